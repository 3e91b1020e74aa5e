# tests/cli/test_levels.sh — requirement levels, Parent/Derived/Depends
# links, custom attributes, the roll-up and the link defects, on the
# fixtures of tests/fixtures/levels/ and on hostile inputs written here.

levels_fixture() { cp -r "$FIXTURES/levels/$1" repo && cd repo; }

# has_lines TEXT LINE...: each LINE is a whole line of TEXT
has_lines() {
  local text=$1 want
  shift
  for want in "$@"; do
    grep -qxF -- "$want" <<<"$text" || { echo "lacks: $want"; echo "$text"; return 1; }
  done
}

# a repository of two levels (SYS- over FR-) with no sources
two_levels() {
  mkdir -p traceability reqs frs
  printf '%s\n' '{"schema": "hwledger.config/1", "levels": [' \
    '{"name": "system", "ids": "SYS-[0-9]{3}", "frs": "reqs"},' \
    '{"name": "software", "ids": "FR-[A-Z]+-[0-9]{3,}", "frs": "frs"}],' \
    '"sources": ["src/*.c"], "tests": ["tests/*.c"]}' >traceability/config.json
}

# Verifies: FR-TRACE-010
test_levels_roll_up_every_status_with_its_reason() {
  levels_fixture good
  run "$HW" trace --no-index --results results.tap --format json
  expect_rc 0
  local got
  got=$(jq -r '.frs[] | "\(.id) \(.level) \(.status) \(.reason // "-")"' <<<"$OUT")
  has_lines "$got" \
    "SYS-001 system verified -" \
    "SYS-002 system failing child SW-A-002 is failing" \
    "SYS-003 system partial child SW-A-003 is not verified" \
    "SYS-004 system uncovered no approved child covers it" \
    "SW-A-001 software verified -" \
    "SW-A-002 software failing child FR-U-002 is failing" \
    "SW-A-003 software partial child FR-U-004 is not verified" \
    "SW-A-005 software verified -" \
    "FR-U-002 unit failing -" \
    "FR-U-004 unit uncovered -"
  jq -e '(.frs[] | select(.id == "SYS-001") | .children) == ["SW-A-001"]' <<<"$OUT" >/dev/null
  jq -e '(.frs[] | select(.id == "SW-A-003") | .children) == ["FR-U-003", "FR-U-004"]' <<<"$OUT" >/dev/null
  jq -e '(.frs[] | select(.id == "SW-A-004") | .parents) == ["SYS-005", "SYS-009"]' <<<"$OUT" >/dev/null
  jq -e '.frs[] | select(.id == "SW-A-005") | .derived and (.rationale | startswith("the chosen"))' <<<"$OUT" >/dev/null
  jq -e '[.levels[] | "\(.name) \(.approved_verified)/\(.approved)"] == ["system 1/4", "software 2/5", "unit 3/5"]' <<<"$OUT" >/dev/null
  # the text matrix says the level and the reasons
  run "$HW" trace --no-index --results results.tap
  expect_out "system    SYS-002     1  approved    failing"
  expect_out "SYS-002 is failing: child SW-A-002 is failing"
  expect_out "level software: 10 FRs, approved verified 2/5"
}

# Verifies: FR-TRACE-011
test_levels_report_every_link_defect_at_its_line() {
  levels_fixture good
  run "$HW" trace --no-index --results results.tap --format json
  expect_rc 0
  local got
  got=$(jq -r '.defects[] | "\(.kind) \(.fr) \(.file):\(.line)"' <<<"$OUT")
  has_lines "$got" \
    "uncovered-parent SYS-004 reqs/system/system.md:26" \
    "uncovered-parent SW-A-004 reqs/software/software.md:25" \
    "unknown-parent SW-A-004 reqs/software/software.md:28" \
    "deprecated-parent SW-A-004 reqs/software/software.md:28" \
    "derived-without-rationale SW-A-006 reqs/software/software.md:40" \
    "parent-not-higher SW-A-007 reqs/software/software.md:50" \
    "parent-not-higher SW-A-008 reqs/software/software.md:57" \
    "link-cycle SW-A-009 reqs/software/software.md:66"
  [ "$(jq '.defects | length' <<<"$OUT")" -eq 9 ]
  # stable ids, the kind first, in every output
  jq -e '[.defects[].id | test("^[a-z-]+-[0-9a-f]{16}$")] | all' <<<"$OUT" >/dev/null
  local cycle
  cycle=$(jq -r '.defects[] | select(.kind == "link-cycle") | .id' <<<"$OUT")
  run "$HW" trace --no-index --results results.tap --format sarif
  jq -e --arg id "$cycle" '.runs[0].results[] | select(.partialFingerprints."hwledgerDefect/v1" == $id) | .ruleId == "link-cycle"' <<<"$OUT" >/dev/null
  run "$HW" trace --no-index --results results.tap --format md
  expect_out "**link-cycle**: link cycle through Parent/Depends: SW-A-009 -> SW-A-010 -> SW-A-009"
  expect_out "- level **system**: 1/4 approved verified"
}

# Verifies: FR-TRACE-010, FR-TRACE-011
test_levels_gate_judges_each_level_and_fails_on_link_defects() {
  levels_fixture good
  run "$HW" gate --no-index --results results.tap
  expect_rc 1
  expect_out "gate: level system: 1/4 approved verified"
  expect_out "gate: level unit: 3/5 approved verified"
  expect_err "reqs/software/software.md:66: link-cycle: link cycle"
  # link-cycle out of fail_on: the shares by level pass
  jq '.fail_on = ["unknown-fr"]' traceability/policy.json >p && mv p traceability/policy.json
  run "$HW" gate --no-index --results results.tap
  expect_rc 0
  # a level under its own share fails with the reason naming the child
  jq '.min_verified_share.system = 0.5' traceability/policy.json >p && mv p traceability/policy.json
  run "$HW" gate --no-index --results results.tap
  expect_rc 1
  expect_err "1 of 4 approved FRs of level 'system' are verified (25.0%); the policy needs 50.0%"
  expect_err "reqs/system/system.md:14: SYS-002 is failing (child SW-A-002 is failing)"
  # a share for a level the config lacks is bad input
  jq '.min_verified_share = {"hardware": 1}' traceability/policy.json >p && mv p traceability/policy.json
  run "$HW" gate --no-index --results results.tap
  expect_rc 2
  expect_err "traceability/policy.json:4: \"min_verified_share\" names level \"hardware\""
}

# Verifies: FR-FRS-008, FR-FRS-009
test_levels_custom_attributes_of_the_wrong_type_exit_2() {
  levels_fixture bad-attributes
  run "$HW" frs lint
  expect_rc 2
  expect_err "hwledger: reqs/system.md:6:9: SYS-001: invalid Safety 'ASIL-E': must be one of the values the configuration declares"
  expect_err "hwledger: reqs/system.md:7:7: SYS-001: invalid Owner '': must be a non-empty string"
  expect_err "hwledger: reqs/system.md:8:7: SYS-001: invalid Tags 'a,, b': must be a comma-separated list"
  expect_err "hwledger: reqs/system.md:9:6: SYS-001: invalid Due '2023-02-29': must be a calendar date YYYY-MM-DD (February 29th only in a leap year)"
  expect_err "hwledger: reqs/system.md:16:6: SYS-002: invalid Due '2024-13-01'"
  expect_err "hwledger: reqs/system.md:17:7: SYS-002: invalid Tags ','"
  expect_err "hwledger: reqs/system.md:18: SYS-002: unknown key 'Colour'"
  expect_err "hwledger: reqs/system.md:19:10: SYS-002: invalid Derived 'maybe'"
  expect_err "hwledger: reqs/system.md:20:18: SYS-002: Parent must list requirement IDs"
  expect_err "hwledger: frs/sw.md:10: SYS-003 is an ID of level 'system', but this file is in the folder of level 'software'"
  # the same file is bad input to trace too
  run "$HW" trace --no-index
  expect_rc 2
  [ -z "$OUT" ]
}

# Verifies: FR-FRS-008
test_levels_bad_level_configs_exit_2_at_their_line() {
  two_levels
  write_fr reqs/s.md SYS-001
  write_fr frs/a.md FR-A-001
  run "$HW" frs lint
  expect_rc 0
  # not a regular expression
  sed -i 's/SYS-\[0-9\]{3}/SYS-([0-9]/' traceability/config.json
  run "$HW" frs lint
  expect_rc 2
  expect_err "hwledger: traceability/config.json:2: level \"system\": \"ids\" is not a valid POSIX extended regular expression"
  # two patterns that both match an ID
  two_levels
  sed -i 's/SYS-\[0-9\]{3}/[A-Z]+-.*/' traceability/config.json
  run "$HW" frs lint
  expect_rc 2
  expect_err "hwledger: frs/a.md:1: FR-A-001 matches the ID patterns of two levels (the second is 'software')"
  # a duplicate and an empty level name, an ID of no level, frs with levels
  two_levels
  sed -i 's/"name": "software"/"name": "system"/' traceability/config.json
  run "$HW" frs lint
  expect_rc 2
  expect_err "hwledger: traceability/config.json:3: two levels are named \"system\""
  two_levels
  sed -i 's/"name": "software"/"name": ""/' traceability/config.json
  run "$HW" frs lint
  expect_rc 2
  expect_err "level 2 must have a non-empty \"name\", \"ids\" and \"frs\""
  two_levels
  write_fr frs/b.md Fr-B-001
  run "$HW" frs lint
  expect_rc 2
  expect_err "hwledger: frs/b.md:1: malformed requirement id 'Fr-B-001'"
  rm frs/b.md
  write_fr frs/b.md NFR-B-001
  run "$HW" frs lint
  expect_rc 2
  expect_err "hwledger: frs/b.md:1: NFR-B-001 does not match the ID pattern 'FR-[A-Z]+-[0-9]{3,}' of level 'software'"
  rm frs/b.md
  jq '.frs = "frs"' traceability/config.json >c && mv c traceability/config.json
  run "$HW" frs lint
  expect_rc 2
  expect_err "\"frs\" and \"levels\" both given"
}

# A level that is no object (an array, a string) is exit 2 at the line
# where it starts, not a crash, and a level without "name" is not
# reported at the next level's "name".
# Verifies: FR-FRS-008
test_levels_config_level_of_the_wrong_json_type_exits_2_at_its_line() {
  local level
  write_fr reqs/s.md SYS-001
  write_fr frs/a.md FR-A-001
  for level in '[1]' '["name"]' '"x"' '{"ids": "SYS-[0-9]{3}", "frs": "reqs"}'; do
    mkdir -p traceability
    printf '%s\n' '{"schema": "hwledger.config/1", "levels": [' \
      "$level," \
      '{"name": "software", "ids": "FR-[A-Z]+-[0-9]{3}", "frs": "frs"}]}' \
      >traceability/config.json
    run "$HW" frs lint
    expect_rc 2
    expect_err "hwledger: traceability/config.json:2: level 1 must have a non-empty \"name\", \"ids\" and \"frs\""
  done
}

# A pattern is compiled as written and must match the whole ID: one that
# would close a ^(...)$ wrapper early ("A)|(.*") is no valid ERE, and an
# alternative matches only a whole ID.
# Verifies: FR-FRS-008
test_levels_id_pattern_cannot_escape_the_whole_id_match() {
  two_levels
  write_fr reqs/s.md SYS-001
  write_fr frs/a.md FR-A-001
  sed -i 's/"SYS-\[0-9\]{3}"/"SYS-[0-9]{3})|(.*"/' traceability/config.json
  run "$HW" frs lint
  expect_rc 2
  expect_err "hwledger: traceability/config.json:2: level \"system\": \"ids\" is not a valid POSIX extended regular expression"
  two_levels
  sed -i 's/"SYS-\[0-9\]{3}"/"SYS|SYS-[0-9]{3}|S"/' traceability/config.json
  run "$HW" frs lint
  expect_rc 0
  expect_out "2 FRs in 2 files, no errors"
}

# Depends orders requirements of one level: an item of another level is
# an error at its column, so that no cycle can run through a Parent link
# that goes up and a Depends that comes down (SYS-001 -> FR-U-001 ->
# SW-A-001 -> SYS-001 was reported nowhere).
# Verifies: FR-FRS-008
test_levels_depends_on_another_level_exits_2_at_its_column() {
  levels_fixture good
  sed -i '0,/^Safety: ASIL-B$/s//Safety: ASIL-B\nDepends: SYS-002,  FR-U-001/' reqs/system/system.md
  run "$HW" frs lint
  expect_rc 2
  expect_err "hwledger: reqs/system/system.md:7:20: SYS-001: Depends names FR-U-001, of level 'unit': a requirement depends on ones of its own level ('system'); a link to a higher level is a Parent"
  run "$HW" trace --no-index --results results.tap
  expect_rc 2
  expect_no_out
}

# Verifies: FR-TRACE-011
test_levels_survive_self_links_long_cycles_and_many_parents() {
  local i
  two_levels
  mkdir -p src tests
  # 999 system requirements, one software requirement naming all of them
  # (and SYS-999 twice, and itself)
  for i in $(seq -w 1 999); do
    printf '## SYS-%s: S\nRev: 1\nStatus: approved\n\nText.\n\n' "$i"
  done >reqs/s.md
  {
    printf '## FR-A-001: Many parents\nRev: 1\nStatus: approved\nNeeds: impl\nParent: '
    for i in $(seq -w 1 999); do printf 'SYS-%s, ' "$i"; done
    printf 'SYS-999, FR-A-001\n\nText.\n\n'
    # a chain of Depends 2,000 long that closes on itself
    for i in $(seq 2 2001); do
      printf '## FR-B-%03d: Link\nRev: 1\nStatus: draft\nDepends: FR-B-%03d\n\nText.\n\n' "$i" $((i == 2001 ? 2 : i + 1))
    done
  } >frs/a.md
  printf '/* Implements: FR-A-001 */\nint f(void)\n{\n\treturn 0;\n}\n' >src/a.c
  echo '{"schema": "hwledger.policy/1", "coverage_threshold": 0}' >traceability/policy.json
  run "$HW" trace --no-index --format json
  expect_rc 0
  jq -e '(.frs[] | select(.id == "SYS-500") | .status) == "verified"' <<<"$OUT" >/dev/null
  jq -e '[.defects[] | select(.kind == "parent-not-higher")] | length == 1' <<<"$OUT" >/dev/null
  jq -e '[.defects[] | select(.kind == "link-cycle")] | length == 1' <<<"$OUT" >/dev/null
  jq -e '.defects[] | select(.kind == "link-cycle") | .message | startswith("link cycle through Parent/Depends: FR-B-002 -> FR-B-003")' <<<"$OUT" >/dev/null
}

# Verifies: FR-FRS-008
test_levels_tags_and_text_references_name_any_level() {
  two_levels
  mkdir -p src tests
  write_fr reqs/s.md SYS-001
  printf '## FR-A-001: A\nRev: 1\nStatus: approved\nParent: SYS-001\n\nCovers SYS-001 and SYS-002.\n' >frs/a.md
  run "$HW" frs lint
  expect_rc 2
  expect_err "hwledger: frs/a.md:6: FR-A-001 refers to SYS-002, which is not a known FR"
  sed -i 's/ and SYS-002//' frs/a.md
  printf '/* Implements: FR-A-001, SYS-001@1 */\nint f(void)\n{\n\treturn 0;\n}\n/* Implements: SYS-007 */\nint g(void)\n{\n\treturn 0;\n}\n' >src/a.c
  run "$HW" trace --no-index --format json
  expect_rc 0
  jq -e '(.frs[] | select(.id == "SYS-001") | .impl) == 1' <<<"$OUT" >/dev/null
  jq -e '[.defects[] | "\(.kind) \(.fr)"] | index("unknown-fr SYS-007") != null' <<<"$OUT" >/dev/null
}

# Verifies: FR-TRACE-011
test_levels_untraced_functions_only_when_the_policy_asks() {
  two_levels
  mkdir -p src/gen tests
  write_fr reqs/s.md SYS-001
  printf '## FR-A-001: A\nRev: 1\nStatus: approved\nNeeds: impl\nParent: SYS-001\n\nText.\n' >frs/a.md
  printf '/* Implements: FR-A-001 */\nint f(void)\n{\n\treturn 0;\n}\n\nstatic int helper(void)\n{\n\treturn 1;\n}\n\nint main_loop(void)\n{\n\treturn helper();\n}\n' >src/a.c
  printf 'int generated(void)\n{\n\treturn 2;\n}\n' >src/gen/g.c
  sed -i 's|"src/\*.c"|"src/**/*.c"|' traceability/config.json
  run "$HW" trace --no-index --format json
  expect_rc 0
  jq -e '[.defects[] | select(.kind == "untraced-function")] | length == 0' <<<"$OUT" >/dev/null
  echo '{"schema": "hwledger.policy/1", "coverage_threshold": 0, "fail_on": ["untraced-function"],
    "untraced_functions": {"report": true, "allow": ["src/gen/**", "main_*"]}}' >traceability/policy.json
  run "$HW" trace --no-index --format json
  expect_rc 0
  [ "$(jq -r '[.defects[] | select(.kind == "untraced-function") | "\(.file):\(.line) \(.message)"] | join("|")' <<<"$OUT")" = \
    "src/a.c:7 helper() implements no requirement: add an 'Implements:' tag, or allow it in the policy" ]
  run "$HW" gate --no-index
  expect_rc 1
  expect_err "src/a.c:7: untraced-function: helper() implements no requirement"
  echo '{"schema": "hwledger.policy/1", "untraced_functions": {"report": "yes"}}' >traceability/policy.json
  run "$HW" gate --no-index
  expect_rc 2
  expect_err "traceability/policy.json:1: \"untraced_functions\" must be"
}

# Verifies: FR-TRACE-007
test_levels_stored_trace_is_not_replayed_after_a_higher_level_changes() {
  levels_fixture good
  find . -exec touch -h -d '2020-01-01 00:00:00' {} +
  run "$HW" trace --results results.tap
  expect_rc 0
  run "$HW" -v trace --results results.tap
  expect_err "replayed"
  # a system requirement's file is an input like the FR files
  sed -i 's/^## SYS-004: The pump has a manual override/## SYS-004: The pump has a hand override/' reqs/system/system.md
  touch -d '2020-01-02 00:00:00' reqs/system/system.md
  run "$HW" -v trace --results results.tap
  expect_rc 0
  grep -qF "replayed" <<<"$ERR" && { echo "replayed a stale run: $ERR"; return 1; }
  expect_out "SYS-004     1  approved    uncovered"
}

# the good fixture in a git repository with a signing key the ledger trusts
review_fixture() {
  levels_fixture good
  git init -q . && git -c user.name=t -c user.email=t@t commit -q --allow-empty -m one
  "$HW" -q ledger keygen --name alice > alice.line
  cp alice.line traceability/trusted_keys
  printf '%s\n' '{"schema": "hwledger.policy/1", "min_verified_share": 0,' \
    '"fail_on": ["suspect-link"]}' > suspect-policy.json
}

# the fixture with SYS-001 reviewed, its reviews.json kept in reviews.signed
reviewed_once() {
  review_fixture
  run "$HW" review SYS-001 -m "first review"
  expect_rc 0
  cp traceability/reviews.json reviews.signed
}

# the number of events in the ledger
review_events() { sqlite3 .hwledger/ledger.db 'SELECT count(*) FROM events'; }

# review_defects KIND [message]: the defects of one kind of a trace as
# "FR FILE:LINE", with the message after it when asked
review_defects() {
  run "$HW" trace --no-index --results results.tap --format json
  expect_rc 0 || return 1
  jq -r --arg kind "$1" --arg msg "${2:-}" '.defects[] | select(.kind == $kind) | "\(.fr) \(.file):\(.line)" + (if $msg == "" then "" else " " + .message end)' <<<"$OUT"
}

# the suspect-link defects of a trace as "FR FILE:LINE"
review_suspects() { review_defects suspect-link; }

# Verifies: FR-TRACE-012
test_review_reworded_parent_makes_its_links_suspect_until_reviewed() {
  review_fixture
  local reword='s/^Every approved child is verified: SYS-001 is verified\.$/The pump stops within 50 ms./'
  # never reviewed: a reworded requirement makes nothing suspect
  cp reqs/system/system.md system.orig
  sed -i "$reword" reqs/system/system.md
  [ -z "$(review_suspects)" ]
  cp system.orig reqs/system/system.md
  run "$HW" review SYS-001 -m "first review"
  expect_rc 0
  expect_out "review: SYS-001 Rev 1 reviewed"
  [ -z "$(review_suspects)" ]
  sed -i "$reword" reqs/system/system.md
  has_lines "$(review_suspects)" \
    "SW-A-001 reqs/software/software.md:6" \
    "FR-U-001 frs/unit.md:6" \
    "FR-U-001 src/pump.c:1" \
    "FR-U-001 tests/test_pump.c:1" \
    "SYS-001 tests/test_pump.c:22"
  [ "$(review_suspects | wc -l)" -eq 5 ]
  run "$HW" trace --no-index --results results.tap --format json
  jq -e '.defects[] | select(.kind == "suspect-link" and .file == "src/pump.c") | .message | contains("path SYS-001 -> SW-A-001 -> FR-U-001")' <<<"$OUT" >/dev/null
  jq -e '[.defects[] | select(.kind == "suspect-link") | .id | test("^suspect-link-[0-9a-f]{16}$")] | all' <<<"$OUT" >/dev/null
  run "$HW" trace --no-index --results results.tap --format sarif
  jq -e '[.runs[0].results[] | select(.ruleId == "suspect-link")] | length == 5' <<<"$OUT" >/dev/null
  jq -e '.runs[0].tool.driver.rules[] | select(.id == "suspect-link") | .shortDescription.text | test("changed since its review")' <<<"$OUT" >/dev/null
  run "$HW" trace --no-index --results results.tap --format md
  expect_out "**suspect-link**"
  run "$HW" trace --no-index --results results.tap
  expect_out "names Parent SYS-001, which changed since its review (text changed at Rev 1)"
  # the gate fails on them, before the review and not after; the stored
  # trace (keyed by reviews.json) is not replayed after the review
  run "$HW" gate --no-index --results results.tap --policy suspect-policy.json
  expect_rc 1
  expect_err "suspect-link"
  run "$HW" trace --results results.tap --format json
  run "$HW" trace --results results.tap --format json
  jq -e '[.defects[] | select(.kind == "suspect-link")] | length == 5' <<<"$OUT" >/dev/null
  run "$HW" review SYS-001 -m "50 ms is what the valve allows"
  expect_rc 0
  expect_out "recorded in ledger event 1, signed by alice+"
  run "$HW" trace --results results.tap --format json
  jq -e '[.defects[] | select(.kind == "suspect-link")] | length == 0' <<<"$OUT" >/dev/null
  [ -z "$(review_suspects)" ]
  run "$HW" gate --no-index --results results.tap --policy suspect-policy.json
  expect_rc 0
  # one signed review event: the ledger verifies, the payload names the
  # ID, its Rev and its new hash, and reviews.json points at the event
  run "$HW" ledger verify
  expect_rc 0
  local sha payload
  run "$HW" frs list --json
  sha=$(jq -r '.frs[] | select(.id == "SYS-001") | .sha256' <<<"$OUT")
  [ ${#sha} -eq 64 ]
  payload=$(sqlite3 .hwledger/ledger.db "SELECT CAST(payload AS TEXT) FROM events WHERE seq = 1 AND kind = 'review'")
  jq -e --arg sha "$sha" '.schema == "hwledger.review/1" and .reason == "50 ms is what the valve allows" and .requirements == [{"id": "SYS-001", "rev": 1, "sha256": $sha}]' <<<"$payload" >/dev/null
  run "$HW" ledger log --json
  jq -e --slurpfile r traceability/reviews.json --arg sha "$sha" \
    '.events[1].hash as $h | $r[0].schema == "hwledger.reviews/1" and ($r[0].reviews | length) == 1 and ($r[0].reviews[0] | .id == "SYS-001" and .rev == 1 and .sha256 == $sha and .seq == 1 and .event_hash == $h and (.key_id | startswith("alice+")))' <<<"$OUT" >/dev/null
}

# Verifies: FR-TRACE-012
test_review_all_after_a_rev_bump_alone_and_the_baseline_as_reviewed_state() {
  review_fixture
  # the baseline's hashes are the reviewed state of what reviews.json lacks
  run "$HW" gate --no-index --results results.tap --update-baseline
  expect_rc 0
  run "$HW" review SYS-003 -m "first review"
  expect_rc 0
  run "$HW" review --all -m "nothing changed"
  expect_rc 0
  expect_out "nothing recorded"
  [ "$(review_events)" -eq 1 ]
  # SW-A-001's Rev goes up, its text stays: its child's links are suspect
  sed -i '4s/^Rev: 1$/Rev: 2/' reqs/software/software.md
  grep -q '^Rev: 2$' reqs/software/software.md
  has_lines "$(review_suspects)" \
    "FR-U-001 frs/unit.md:6" \
    "FR-U-001 src/pump.c:1" \
    "FR-U-001 tests/test_pump.c:1"
  [ "$(review_suspects | wc -l)" -eq 3 ]
  run "$HW" trace --no-index --results results.tap
  expect_out "FR-U-001 names Parent SW-A-001, which changed since its review (Rev 1 -> 2)"
  # --key names the signing key (the environment's would fail)
  run env HWLEDGER_SIGNING_KEY=/missing "$HW" review --all -m "Rev 2 keeps the meaning for the unit" --key .hwledger/keys/alice.key
  expect_rc 0
  expect_out "review: SW-A-001 Rev 2 reviewed"
  expect_out "review: 1 requirement recorded"
  [ -z "$(review_suspects)" ]
  jq -e '[.reviews[] | "\(.id) \(.rev)"] == ["SW-A-001 2", "SYS-003 1"]' traceability/reviews.json >/dev/null
  run "$HW" ledger verify
  expect_rc 0
}

# Verifies: FR-TRACE-012
test_review_bad_input_appends_and_writes_nothing() {
  reviewed_once
  run "$HW" review SYS-077 -m why
  expect_rc 2
  expect_err "SYS-077 is not a requirement"
  run "$HW" review -m why
  expect_rc 2
  run "$HW" review SYS-001 -m ""
  expect_rc 2
  run "$HW" review SYS-001 -m "  "
  expect_rc 2
  run "$HW" review SYS-001
  expect_rc 2
  run "$HW" review SYS-001 --bogus -m why
  expect_rc 2
  [ "$(review_events)" -eq 1 ]
  cmp traceability/reviews.json reviews.signed
  # no signing key: an environment error, nothing appended or written
  run env HWLEDGER_SIGNING_KEY=/missing "$HW" review SYS-001 -m why
  expect_rc 3
  # a --key file that is not there is bad input, as for --cosign
  run "$HW" review SYS-001 -m why --key /missing.key
  expect_rc 2
  [ "$(review_events)" -eq 1 ]
  cmp traceability/reviews.json reviews.signed
  # a malformed reviews.json: at its line and column, for review and trace
  printf '{"schema": "hwledger.reviews/1",\n "reviews": [\n  {"id": "SYS-001",}\n]}\n' > traceability/reviews.json
  cp traceability/reviews.json reviews.bad
  run "$HW" review SYS-001 -m why
  expect_rc 2
  expect_err "traceability/reviews.json:3:"
  printf '{"schema": "hwledger.reviews/1",\n "reviews": [\n   {"id": "SYS-001", "rev": 1}\n]}\n' > traceability/reviews.json
  run "$HW" review SYS-001 -m why
  expect_rc 2
  expect_err "traceability/reviews.json:3:4: each review needs id"
  run "$HW" trace --no-index --results results.tap
  expect_rc 2
  expect_err "traceability/reviews.json:3:4:"
  echo '{"schema": "hwledger.baseline/1", "reviews": []}' > traceability/reviews.json
  run "$HW" review SYS-001 -m why
  expect_rc 2
  expect_err "traceability/reviews.json:1:1: not a reviews file"
  [ "$(review_events)" -eq 1 ]
  # a review of a requirement that is gone is a warning to trace
  cp reviews.signed traceability/reviews.json
  sed -i 's/"SYS-001"/"SYS-099"/' traceability/reviews.json
  run "$HW" trace --no-index --results results.tap
  expect_rc 0
  expect_err "traceability/reviews.json:4: warning: a review of SYS-099, which is no longer a requirement"
}

# A hostile reviews.json: an entry that is no object is reported where it
# starts, a fractional rev and a second entry of one ID are exit 2 (the
# file holds one entry per requirement, the latest review), and no key at
# all is this machine's setup (exit 3); nothing is appended or written.
# Verifies: FR-TRACE-012
test_review_hostile_reviews_file_and_no_key_write_nothing() {
  reviewed_once
  printf '{"schema": "hwledger.reviews/1",\n "reviews": [\n  "SYS-001"]}\n' >traceability/reviews.json
  run "$HW" trace --no-index --results results.tap
  expect_rc 2
  expect_err "hwledger: traceability/reviews.json:3:3: each review needs id"
  jq '.reviews[0].rev = 1.5' reviews.signed >traceability/reviews.json
  run "$HW" trace --no-index --results results.tap
  expect_rc 2
  expect_err "hwledger: traceability/reviews.json:4:5: each review needs id, rev (a whole number from 1)"
  jq '.reviews += [.reviews[0]]' reviews.signed >traceability/reviews.json
  cp traceability/reviews.json reviews.twice
  run "$HW" review SYS-002 -m why
  expect_rc 2
  expect_err "hwledger: traceability/reviews.json:14:5: a second review of SYS-001"
  [ "$(review_events)" -eq 1 ]
  cmp traceability/reviews.json reviews.twice
  cp reviews.signed traceability/reviews.json
  mv .hwledger/keys keys.away
  run env -u HWLEDGER_SIGNING_KEY "$HW" review SYS-002 -m why
  expect_rc 3
  expect_err "hwledger: no signing key"
  [ "$(review_events)" -eq 1 ]
  cmp traceability/reviews.json reviews.signed
}

# A reviews.json of 50,000 entries, in reverse ID order, is read in one
# pass: each entry's line was found by reading the file from its start
# (minutes for this one), and each entry was moved into sorted place.
# Verifies: FR-TRACE-012
test_review_file_of_50000_entries_is_read_in_one_pass() {
  review_fixture
  awk 'BEGIN {
    printf "{\"schema\": \"hwledger.reviews/1\", \"reviews\": [\n"
    for (i = 50000; i >= 1; i--)
      printf "  {\"id\": \"GONE-%06d\", \"rev\": 1, \"sha256\": \"%064d\", \"reason\": \"r\", \"date\": \"2026-12-06\", \"key_id\": \"k\", \"seq\": 0, \"event_hash\": \"%064d\"}%s\n", i, 0, 0, (i > 1 ? "," : "")
    printf "]}\n"
  }' >traceability/reviews.json
  run timeout 60 "$HW" trace --no-index --results results.tap
  expect_rc 0
  [ "$(grep -c 'warning: a review of GONE-' <<<"$ERR")" -eq 50000 ]
  expect_err "traceability/reviews.json:2: warning: a review of GONE-050000, which is no longer a requirement"
  expect_err "traceability/reviews.json:50001: warning: a review of GONE-000001, which is no longer a requirement"
}

# An FR that gives 30,000 declared attributes, in the reverse of their
# declared order, keeps each value; a key given twice is an error at its
# later line, an undeclared one at its line, and the next FR may give the
# same keys again (each key was found by a scan of the declarations and of
# the FR's keys so far: seconds for this FR).
# Verifies: FR-FRS-009
test_levels_fr_of_30000_attributes_keeps_each_and_finds_repeats() {
  two_levels
  jq -c --argjson n 30000 '.attributes = ([range($n) | {key: "A\(.)", value: {type: "string"}}] | from_entries) | .attributes.A7 = {type: "date"}' \
    traceability/config.json >c && mv c traceability/config.json
  { printf '## SYS-001: Many\nRev: 1\nStatus: approved\n'
    awk 'BEGIN { for (i = 29999; i >= 0; i--) printf "A%d: %s\n", i, (i == 7 ? "2026-12-06" : "v" i) }'
    printf '\nText.\n\n## SYS-002: Again\nRev: 1\nStatus: approved\nA29999: again\nA0: again\n\nText.\n'
  } >reqs/s.md
  write_fr frs/a.md FR-A-001
  run "$HW" frs lint
  expect_rc 0
  run "$HW" trace --no-index --format json
  jq -e '(.frs[] | select(.id == "SYS-001") | .attributes | length == 30000 and .A0 == "v0" and .A29999 == "v29999" and .A7 == "2026-12-06") and (.frs[] | select(.id == "SYS-002") | .attributes == {"A29999": "again", "A0": "again"})' <<<"$OUT" >/dev/null
  # a repeat, an undeclared key and a bad date, at their lines
  sed -i 's/^A15000: v15000$/A15000: v15000\nA29998: twice\nA30000: none/; s/^A7: 2026-12-06$/A7: soon/' reqs/s.md
  run "$HW" frs lint
  expect_rc 2
  expect_err "reqs/s.md:15004: SYS-001: duplicate key 'A29998'"
  expect_err "reqs/s.md:15005: SYS-001: unknown key 'A30000'"
  expect_err "SYS-001: invalid A7 'soon'"
}

# 35,000 declared attributes (a config under its 1 MiB cap) are read in
# one pass: each one's line was looked up from the file's start whether or
# not it was wrong (half a minute for this config).
# Verifies: FR-FRS-009
test_levels_config_of_35000_attributes_is_read_in_one_pass() {
  two_levels
  write_fr reqs/s.md SYS-001
  write_fr frs/a.md FR-A-001
  jq -c --argjson n 35000 '.attributes = ([range($n) | {key: "A\(.)", value: {type: "string"}}] | from_entries)' \
    traceability/config.json >c && mv c traceability/config.json
  run timeout 20 "$HW" frs lint
  expect_rc 0
  jq -c '.attributes.A34999.type = "text"' traceability/config.json >c && mv c traceability/config.json
  run timeout 20 "$HW" frs lint
  expect_rc 2
  expect_err "hwledger: traceability/config.json:1: attribute \"A34999\" must be"
}
