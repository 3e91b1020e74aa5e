# tests/cli/test_review.sh — reviews.json carries each review's signed
# ledger event, and trace believes an entry only when that event verifies
# under a key of traceability/trusted_keys and lists the entry (specs/
# traceability.md, "Change impact and reviews"). The fixture and helpers
# (review_fixture, reviewed_once, review_defects, has_lines) are test_levels.sh's.

# the review-unverified defects of a trace as "FR FILE:LINE MESSAGE"
review_unverified() { review_defects review-unverified message; }

# bad_reviews FILTER MESSAGE: reviews.signed through the jq FILTER is
# reviews.json, which trace refuses (exit 2) with MESSAGE
bad_reviews() {
  jq "$1" reviews.signed >traceability/reviews.json
  run "$HW" trace --no-index --results results.tap
  expect_rc 2 || return 1
  expect_err "$2"
}

# SYS-001 reviewed, then reworded: the five links of test_levels.sh's
# test_review_reworded_parent_makes_its_links_suspect_until_reviewed are
# suspect, and the new text hash is in $NEW_SHA
reviewed_then_reworded() {
  reviewed_once
  sed -i 's/^Every approved child is verified: SYS-001 is verified\.$/The pump stops within 50 ms./' reqs/system/system.md
  run "$HW" frs list --json
  NEW_SHA=$(jq -r '.frs[] | select(.id == "SYS-001") | .sha256' <<<"$OUT")
  [ "$(review_suspects | wc -l)" -eq 5 ]
}

# A review is believed without the ledger (CI has none: .hwledger/ is not
# committed), from the signed event reviews.json carries; a hand-made
# entry for the new text, with an invented seq and event_hash, clears
# nothing and is a defect at its line.
# Verifies: FR-TRACE-012
test_review_forged_entry_clears_no_suspect_link() {
  reviewed_then_reworded
  # the forger's entry: the new hash, a made-up event
  jq --arg sha "$NEW_SHA" '.reviews[0].sha256 = $sha | .reviews[0].seq = 7 | .reviews[0].event_hash = ("ab" * 32)' \
    reviews.signed >traceability/reviews.json
  [ "$(review_suspects | wc -l)" -eq 5 ]
  has_lines "$(review_unverified)" \
    "SYS-001 traceability/reviews.json:4 the review of SYS-001 is not accepted: the file holds no signed event with its event_hash; its links are suspect until 'hwledger review SYS-001' signs it again"
  # the real event's hash, the new text hash: the signed payload lists
  # the old one
  jq --arg sha "$NEW_SHA" '.reviews[0].sha256 = $sha' reviews.signed >traceability/reviews.json
  [ "$(review_suspects | wc -l)" -eq 5 ]
  review_unverified | grep -q "SYS-001 traceability/reviews.json:4 .*: signed event 0 does not list SYS-001 Rev 1 with this text hash;"
  # its seq alone changed
  jq '.reviews[0].seq = 9' reviews.signed >traceability/reviews.json
  review_unverified | grep -q ": its seq 9 is not event 0's;"
  # a real review, then no ledger at all: still believed
  cp reviews.signed traceability/reviews.json
  run "$HW" review SYS-001 -m "50 ms is what the valve allows"
  expect_rc 0
  rm -rf .hwledger
  [ -z "$(review_suspects)" ]
  [ -z "$(review_unverified)" ]
  run "$HW" gate --no-index --results results.tap --policy suspect-policy.json
  expect_rc 0
}

# The reason, the Rev, the date and the key of an entry are the signed
# ones: an entry edited to match a Rev bump clears nothing.
# Verifies: FR-TRACE-012
test_review_entry_with_a_changed_reason_or_rev_is_not_accepted() {
  review_fixture
  run "$HW" review SW-A-001 -m "first review"
  expect_rc 0
  cp traceability/reviews.json reviews.signed
  sed -i '4s/^Rev: 1$/Rev: 2/' reqs/software/software.md
  [ "$(review_suspects | wc -l)" -eq 3 ]
  jq '.reviews[0].rev = 2' reviews.signed >traceability/reviews.json
  [ "$(review_suspects | wc -l)" -eq 3 ]
  review_unverified | grep -q "^SW-A-001 traceability/reviews.json:4 .*: signed event 0 does not list SW-A-001 Rev 2 with this text hash;"
  jq '.reviews[0].reason = "a better reason"' reviews.signed >traceability/reviews.json
  review_unverified | grep -q ": its reason is not the signed one;"
  jq '.reviews[0].date = "2001-01-01"' reviews.signed >traceability/reviews.json
  review_unverified | grep -q ": its date is not [0-9-]*, the event's;"
  jq '.reviews[0].key_id = "bob+00000000"' reviews.signed >traceability/reviews.json
  review_unverified | grep -q ": its key_id is not alice+[0-9a-f]*, the event's signer;"
  # the signed bytes themselves: a payload or a signature changed
  jq '.events[0].sig = ("A" * 86 + "==")' reviews.signed >traceability/reviews.json
  review_unverified | grep -q ": the signature of event 0 does not verify under the trusted key [0-9a-f]*;"
  jq '.events[0].payload = ("{\"schema\": \"hwledger.review/1\", \"reason\": \"x\", \"requirements\": []}" | @base64)' \
    reviews.signed >traceability/reviews.json
  review_unverified | grep -q ": event 0 does not hash to its event_hash;"
  # review-unverified is no default gate failure: the links it leaves
  # suspect are what a policy gates on
  echo '{"schema": "hwledger.policy/1", "min_verified_share": 0}' >default-policy.json
  run "$HW" gate --no-index --results results.tap --policy default-policy.json --format json
  jq -e '[.reasons[].message | select(test("review"))] == []' <<<"$OUT" >/dev/null
  run "$HW" gate --no-index --results results.tap --policy suspect-policy.json
  expect_rc 1
}

# A key outside traceability/trusted_keys signs no review trace believes;
# review says so when it signs.
# Verifies: FR-TRACE-012
test_review_signed_by_an_untrusted_key_is_not_accepted() {
  review_fixture
  "$HW" -q ledger keygen --name mallory >mallory.line
  sed -i '4s/^Rev: 1$/Rev: 2/' reqs/software/software.md
  run "$HW" review SW-A-001 -m "looks fine to me" --key .hwledger/keys/mallory.key
  expect_rc 0
  expect_err "hwledger: warning: mallory+"
  expect_err "is not in traceability/trusted_keys: trace will not accept this review until it is"
  [ "$(review_suspects | wc -l)" -eq 3 ]
  review_unverified | grep -q "^SW-A-001 traceability/reviews.json:4 the review of SW-A-001 is not accepted: event 0 is signed by key [0-9a-f]\{8\}, which is not in traceability/trusted_keys;"
  # the way out is trusting the key: signing again with it changes nothing
  review_unverified | grep -q "; its links are suspect until that key's public line is added to traceability/trusted_keys, or 'hwledger review SW-A-001' signs it again with a trusted key$"
  # trusting the key (a change to trusted_keys) makes trace believe it:
  # the stored trace is not replayed
  find . -exec touch -h -d '2020-01-01 00:00:00' {} +
  run "$HW" trace --results results.tap --format json
  run "$HW" -v trace --results results.tap --format json
  expect_err "replayed"
  jq -e '[.defects[] | select(.kind == "review-unverified")] | length == 1' <<<"$OUT" >/dev/null
  cat mallory.line >>traceability/trusted_keys
  touch -d '2020-01-02 00:00:00' traceability/trusted_keys
  run "$HW" -v trace --results results.tap --format json
  grep -qF "replayed" <<<"$ERR" && { echo "replayed a stale run: $ERR"; return 1; }
  jq -e '[.defects[] | select(.kind == "suspect-link" or .kind == "review-unverified")] | length == 0' <<<"$OUT" >/dev/null
}

# An unchanged requirement reviewed with a key outside trusted_keys: its
# suspect links say the review is not accepted because of the key, and
# that trusting the key cures it, not that the requirement changed, nor
# only to review again (which, with that key, changes nothing).
# Verifies: FR-TRACE-012
test_review_by_an_untrusted_key_suspect_links_name_the_key_not_a_change() {
  review_fixture
  "$HW" -q ledger keygen --name mallory >mallory.line
  run "$HW" review SW-A-001 -m "ok" --key .hwledger/keys/mallory.key
  expect_rc 0
  local s
  s=$(review_defects suspect-link message)
  [ "$(wc -l <<<"$s")" -eq 3 ]
  if grep -q "changed since its review" <<<"$s"; then echo "$s"; return 1; fi
  has_lines "$s" \
    "FR-U-001 frs/unit.md:6 FR-U-001 names Parent SW-A-001, whose review at traceability/reviews.json:4 is not accepted: event 0 is signed by key $(jq -r '.events[0].key_id' traceability/reviews.json), which is not in traceability/trusted_keys; path SW-A-001 -> FR-U-001: check the link, then add that key's public line (its .pub file) to traceability/trusted_keys, or run 'hwledger review SW-A-001' with a trusted key"
  grep -q "^FR-U-001 src/pump.c:1 convert() implements FR-U-001, and SW-A-001's review at traceability/reviews.json:4 is not accepted: event 0 is signed by key [0-9a-f]\{8\}, which is not in traceability/trusted_keys; path SW-A-001 -> FR-U-001: check the link, then add that key's public line (its .pub file) to traceability/trusted_keys, or run 'hwledger review SW-A-001' with a trusted key$" <<<"$s" ||
    { echo "$s"; return 1; }
  # an entry that fails for another reason: signing again does cure it
  jq '.reviews[0].reason = "edited"' traceability/reviews.json >r.json && mv r.json traceability/reviews.json
  cat mallory.line >>traceability/trusted_keys
  s=$(review_defects suspect-link message)
  grep -q "names Parent SW-A-001, whose review at traceability/reviews.json:4 is not accepted; path SW-A-001 -> FR-U-001: check the link, then run 'hwledger review SW-A-001'$" <<<"$s" ||
    { echo "$s"; return 1; }
}

# A reviews.json of the older form (entries without the signed events) is
# a defect per entry that tells what to do; review --all signs them again.
# Verifies: FR-TRACE-012
test_review_file_of_the_older_form_is_signed_again_by_review_all() {
  review_fixture
  run "$HW" review SYS-001 SW-A-001 -m "first review"
  expect_rc 0
  jq 'del(.events)' traceability/reviews.json >old.json && cp old.json traceability/reviews.json
  has_lines "$(review_unverified)" \
    "SW-A-001 traceability/reviews.json:4 the review of SW-A-001 is not accepted: an entry of the older form, without its signed event; its links are suspect until 'hwledger review SW-A-001' signs it again" \
    "SYS-001 traceability/reviews.json:14 the review of SYS-001 is not accepted: an entry of the older form, without its signed event; its links are suspect until 'hwledger review SYS-001' signs it again"
  run "$HW" review --all -m "signed again"
  expect_rc 0
  expect_out "review: 2 requirements recorded in ledger event 1"
  [ -z "$(review_unverified)" ]
  jq -e '(.events | length) == 1 and .events[0].seq == 1 and .events[0].kind == "review"' traceability/reviews.json >/dev/null
}

# An event no entry names any more leaves the file: SYS-001 reviewed
# twice keeps only its second event.
# Verifies: FR-TRACE-012
test_review_file_keeps_only_the_events_its_entries_name() {
  review_fixture
  run "$HW" review SYS-001 -m one
  run "$HW" review SYS-003 -m two
  run "$HW" review SYS-001 -m three
  expect_rc 0
  jq -e '[.events[].seq] | sort == [1, 2]' traceability/reviews.json >/dev/null
  jq -e '[.reviews[] | "\(.id) \(.seq)"] == ["SYS-001 2", "SYS-003 1"]' traceability/reviews.json >/dev/null
  [ -z "$(review_unverified)" ]
}

# -m given twice: the reasons are paragraphs of one reason, as git commit
# joins them (a blank one adds nothing), signed and recorded whole.
# Verifies: FR-TRACE-012
test_review_repeated_m_joins_the_reasons_as_paragraphs() {
  review_fixture
  run "$HW" review SYS-001 -m "the valve allows 50 ms" -m " " -m "checked with the supplier"
  expect_rc 0
  jq -e '.reviews[0].reason == "the valve allows 50 ms\n\nchecked with the supplier"' traceability/reviews.json >/dev/null
  jq -e '.events[0].payload | @base64d | fromjson | .reason == "the valve allows 50 ms\n\nchecked with the supplier"' traceability/reviews.json >/dev/null
  [ -z "$(review_unverified)" ]
  run "$HW" review SYS-001 -m " " -m ""
  expect_rc 2
  expect_err "-m with a non-empty reason"
}

# Hostile reviews.json: each is exit 2 at FILE:LINE:COL, for trace and for
# review, and review appends and writes nothing.
# Verifies: FR-TRACE-012
test_review_hostile_signed_reviews_file_is_bad_input_at_its_place() {
  reviewed_once
  # truncated
  head -c 300 reviews.signed >traceability/reviews.json
  run "$HW" trace --no-index --results results.tap
  expect_rc 2
  [[ "$ERR" =~ hwledger:\ traceability/reviews\.json:[0-9]+:[0-9]+:\ invalid\ JSON ]]
  # an event of the wrong types, and one that is no object
  bad_reviews '.events[0].seq = "one"' "hwledger: traceability/reviews.json:16:5: each event needs the fields of a ledger bundle's event"
  bad_reviews '.events = [[]]' "hwledger: traceability/reviews.json:16:5: each event needs"
  bad_reviews '.events = "all of them"' "hwledger: traceability/reviews.json:1:1: not a reviews file"
  jq '.events[0].sig = 5' reviews.signed >traceability/reviews.json
  run "$HW" review SYS-003 -m why
  expect_rc 2
  expect_err "hwledger: traceability/reviews.json:16:5: each event needs"
  # a huge number, a date that is no date
  bad_reviews '.reviews[0].seq = 1e300' "hwledger: traceability/reviews.json:4:5: each review needs"
  bad_reviews '.reviews[0].date = "2026-13-45"' "hwledger: traceability/reviews.json:4:5: each review needs id, rev (a whole number from 1), sha256 (64 hex digits), reason, date (a real date YYYY-MM-DD)"
  # a huge file
  cp reviews.signed traceability/reviews.json
  truncate -s 65M traceability/reviews.json
  run "$HW" trace --no-index --results results.tap
  expect_rc 2
  expect_err "hwledger: traceability/reviews.json: file is 68157440 bytes, over the limit"
  # a NUL escape in an ID cuts it short: refused where it is
  sed 's/"id": "SYS-001"/"id": "SYS-001\\u0000x"/' reviews.signed >traceability/reviews.json
  grep -qF '"SYS-001\u0000x"' traceability/reviews.json
  run "$HW" trace --no-index --results results.tap
  expect_rc 2
  expect_err "hwledger: traceability/reviews.json:5:21: \\u0000 in a string"
  cp traceability/reviews.json reviews.nul
  run "$HW" review SYS-003 -m why
  expect_rc 2
  expect_err "hwledger: traceability/reviews.json:5:21:"
  cmp traceability/reviews.json reviews.nul
  [ "$(review_events)" -eq 1 ]
}
