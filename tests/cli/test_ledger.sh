# tests/cli/test_ledger.sh — `hwledger ledger` end to end in a real git
# repository: keys, appends, checkpoints, anchors, export and offline
# verification, and the bundle tampered with.

ledger_repo() {
  git init -q . && git -c user.name=t -c user.email=t@t commit -q --allow-empty -m one
  "$HW" -q ledger keygen --name alice > alice.line
  mkdir -p traceability && cp alice.line traceability/trusted_keys
  echo '{"check": "trace", "verdict": "pass"}' > payload.json
}

# Verifies: FR-LEDGER-001
test_ledger_keygen_writes_a_private_and_a_public_key() {
  run "$HW" ledger keygen --name ci-bot
  expect_rc 0
  [[ "$OUT" =~ ^ci-bot\+[0-9a-f]{8}\+[A-Za-z0-9+/=]{44}$ ]] || { echo "bad key line: $OUT"; return 1; }
  [ "$(stat -c %a .hwledger/keys/ci-bot.key)" = 600 ]
  [ "$(cat .hwledger/keys/ci-bot.pub)" = "$OUT" ]
  run "$HW" ledger keygen --name ci-bot
  expect_rc 2
  expect_err "exists; not overwritten"
  run "$HW" ledger keygen --name 'bad name'
  expect_rc 2
}

# A NAME.pub already in a folder of the user's (without its key) is not
# replaced, and no key is left without its public half.
# Verifies: FR-LEDGER-001
test_ledger_keygen_never_replaces_a_public_key_of_the_user() {
  mkdir k && echo 'the user'"'"'s line' > k/ci-bot.pub
  run "$HW" ledger keygen --name ci-bot --dir k
  expect_rc 2
  expect_err "hwledger: k/ci-bot.pub: exists; not overwritten"
  [ "$(cat k/ci-bot.pub)" = "the user's line" ] && [ ! -e k/ci-bot.key ]
}

# Verifies: FR-LEDGER-001
test_ledger_signing_key_that_is_not_there_is_an_error() {
  ledger_repo
  run env HWLEDGER_SIGNING_KEY=/missing "$HW" ledger append --kind a --payload payload.json
  expect_rc 3
  expect_err "hwledger: /missing: no such file (named by HWLEDGER_SIGNING_KEY)"
  [ ! -e .hwledger/ledger.db ] || [ "$("$HW" ledger log --json | jq '.events | length')" = 0 ]
  # no key anywhere is this machine's setup too (exit 3), for every
  # command that must sign
  rm -r .hwledger/keys
  run "$HW" ledger append --kind a --payload payload.json
  expect_rc 3
  expect_err "hwledger: no signing key: set HWLEDGER_SIGNING_KEY or run 'hwledger ledger keygen'"
  run "$HW" ledger checkpoint
  expect_rc 3
  expect_err "no signing key"
  [ ! -e .hwledger/ledger.db ] || [ "$("$HW" ledger log --json | jq '.events | length')" = 0 ]
}

# Verifies: FR-LEDGER-002, FR-LEDGER-004
test_ledger_append_log_and_verify() {
  ledger_repo
  run "$HW" ledger append --kind trace --payload payload.json
  expect_rc 0
  expect_out "appended event 0 (trace, 38 bytes, commit $(git rev-parse HEAD))"
  echo '{"n": 2}' | "$HW" ledger append --kind plan --payload -
  run "$HW" ledger log --json
  jq -e '.schema == "hwledger.log/1" and (.events | length) == 2 and .events[1].kind == "plan"' <<<"$OUT" >/dev/null
  run "$HW" ledger log --kind plan
  expect_out "plan"
  ! grep -q trace <<<"$OUT" || return 1
  run "$HW" ledger verify --json
  expect_rc 0
  jq -e '.ok and .events == 2 and .covered == 0 and .uncovered != null' <<<"$OUT" >/dev/null
}

# Verifies: FR-LEDGER-003, FR-LEDGER-004
test_ledger_checkpoint_and_anchor_on_the_git_ref() {
  ledger_repo
  for k in a b c; do "$HW" -q ledger append --kind "$k" --payload payload.json; done
  run "$HW" ledger checkpoint
  expect_rc 0
  [ "$(sed -n 2p <<<"$OUT")" = 3 ]
  expect_out "— alice "
  run "$HW" ledger anchor
  expect_rc 0
  expect_out "anchored checkpoint of 3 events at"
  [ "$(git cat-file -p refs/hwledger/checkpoints:checkpoint | sed -n 2p)" = 3 ]
  run "$HW" ledger anchor
  expect_out "already anchored"
  "$HW" -q ledger append --kind d
  "$HW" -q ledger checkpoint >/dev/null
  "$HW" -q ledger anchor
  [ "$(git rev-list --count refs/hwledger/checkpoints)" = 2 ]
  run "$HW" ledger verify
  expect_rc 0
  expect_out "4 events verified; 2 checkpoints, 2 anchored"
  # moving the ref back is caught
  git update-ref refs/hwledger/checkpoints refs/hwledger/checkpoints~1
  run "$HW" ledger verify
  expect_rc 1
  expect_err "no longer holds anchor commit"
}

# Verifies: FR-LEDGER-003
test_ledger_without_libgit2_says_so_and_anchors_nothing() {
  ledger_repo
  "$HW" -q ledger append --kind a --payload payload.json
  "$HW" -q ledger checkpoint >/dev/null
  # libgit2 is opened on first use; a missing one is an environment error
  run env HWLEDGER_LIBGIT2=libgit2-missing.so.0 "$HW" ledger anchor
  expect_rc 3
  expect_err "cannot load libgit2 (libgit2-missing.so.0"
  ! git rev-parse -q --verify refs/hwledger/checkpoints >/dev/null || return 1
  # a library without libgit2's symbols is refused by name
  run env HWLEDGER_LIBGIT2=libz.so.1 "$HW" ledger anchor
  expect_rc 3
  expect_err "libz.so.1 has no git_"
  # verify cannot look the commits up: an environment error, not a forgery
  run env HWLEDGER_LIBGIT2=libgit2-missing.so.0 "$HW" ledger verify
  expect_rc 3
  expect_err "cannot load libgit2"
  # an append still works, and warns that it records no commit
  run env HWLEDGER_LIBGIT2=libgit2-missing.so.0 "$HW" ledger append --kind b --payload payload.json
  expect_rc 0
  expect_err "warning: cannot load libgit2"
  run "$HW" ledger anchor
  expect_rc 0
}

# Verifies: FR-LEDGER-005
test_ledger_bundle_verifies_offline_and_catches_edits() {
  ledger_repo
  for k in a b c d e; do "$HW" -q ledger append --kind "$k" --payload payload.json; done
  "$HW" -q ledger checkpoint >/dev/null
  run "$HW" ledger export --bundle bundle
  expect_rc 0
  [ "$(wc -l < bundle/events.jsonl)" = 5 ]
  grep -qF "$(cat alice.line)" bundle/keys
  # offline: another folder, no repository, no database
  mkdir ../offline && cp -r bundle alice.line ../offline/ && cd ../offline
  run "$HW" ledger verify --bundle bundle --key alice.line
  expect_rc 0
  expect_out "5 events verified"
  run "$HW" ledger verify --bundle bundle --key alice.line --event 3 --json
  expect_rc 0
  jq -e '.ok and (.message | contains("event 3 is included"))' <<<"$OUT" >/dev/null
  run "$HW" ledger verify --bundle bundle --key alice.line --event 7
  expect_rc 1
  expect_err "not covered by the bundle's checkpoint"
  # one changed character of a payload
  sed -i '2s/"payload":"[A-Za-z]/"payload":"Z/' bundle/events.jsonl
  run "$HW" ledger verify --bundle bundle --key alice.line
  expect_rc 1
  expect_err "ledger verify FAILED: event 1: its hash does not match its bytes"
  # a key that is not the signer's
  git -C .. status >/dev/null 2>&1 || true
  "$HW" -q ledger keygen --name mallory --dir . > mallory.line
  sed -i '2s/"payload":"Z/"payload":"e/' bundle/events.jsonl
  run "$HW" ledger verify --bundle bundle --key mallory.line
  expect_rc 1
  expect_err "which is not a trusted key"
}

# Verifies: FR-LEDGER-005
test_ledger_export_fails_before_it_writes() {
  ledger_repo
  "$HW" -q ledger append --kind a --payload payload.json
  mkdir bundle && echo mine > bundle/events.jsonl
  # no checkpoint: refused before anything in the folder is touched
  run "$HW" ledger export --bundle bundle
  expect_rc 2
  expect_err "no checkpoint to export"
  [ "$(cat bundle/events.jsonl)" = mine ] || { echo "events.jsonl was overwritten"; return 1; }
  "$HW" -q ledger checkpoint >/dev/null
  # a folder holding anything but a bundle's files is the user's
  echo notes > bundle/notes.txt
  run "$HW" ledger export --bundle bundle
  expect_rc 3
  expect_err "holds 'notes.txt', which is not part of an export bundle"
  [ "$(cat bundle/events.jsonl)" = mine ] && [ "$(cat bundle/notes.txt)" = notes ]
  # an older bundle is replaced whole; a new folder is made
  rm bundle/notes.txt
  run "$HW" ledger export --bundle bundle
  expect_rc 0
  "$HW" -q ledger append --kind b --payload payload.json
  "$HW" -q ledger checkpoint >/dev/null
  run "$HW" ledger export --bundle bundle
  expect_rc 0
  [ "$(wc -l < bundle/events.jsonl)" = 2 ] && [ "$(sed -n 2p bundle/checkpoint)" = 2 ]
  "$HW" -q ledger verify --bundle bundle --key alice.line
  run "$HW" ledger export --bundle new/bundle
  expect_rc 0
  cmp new/bundle/events.jsonl bundle/events.jsonl
  [ "$(stat -c %a new/bundle)" = 755 ]
  # no temporary folder is left behind
  ! ls -d bundle.tmp-* new/bundle.tmp-* 2>/dev/null || return 1
}

# Verifies: FR-LEDGER-001
test_ledger_a_retired_key_signs_nothing_more() {
  ledger_repo
  "$HW" -q ledger append --kind a --payload payload.json
  "$HW" -q ledger keygen --name carol --dir k >/dev/null
  # handing over to the signing key itself would retire the only signer
  run "$HW" ledger rotate --to .hwledger/keys/alice.pub
  expect_rc 2
  expect_err "is the signing key itself"
  run "$HW" ledger rotate --to k/carol.pub
  expect_rc 0
  expect_out "event 1: alice hands signing over to carol"
  # alice is retired: an append with her key is refused, nothing is added
  run "$HW" ledger append --kind b --payload payload.json
  expect_rc 2
  expect_err "key alice was retired by the key rotation in event 1"
  run "$HW" ledger rotate --to k/carol.pub
  expect_rc 2
  expect_err "key alice was retired"
  run "$HW" ledger log --json
  jq -e '.events | length == 2' <<<"$OUT" >/dev/null
  # nor may carol hand signing back to the retired key
  run env HWLEDGER_SIGNING_KEY=k/carol.key "$HW" ledger rotate --to .hwledger/keys/alice.pub
  expect_rc 2
  expect_err "key alice was retired by the key rotation in event 1 and cannot sign again"
  run env HWLEDGER_SIGNING_KEY=k/carol.key "$HW" ledger append --kind b --payload payload.json
  expect_rc 0
  run "$HW" ledger verify
  expect_rc 0
  expect_out "3 events verified"
}

# Verifies: FR-LEDGER-004
test_ledger_wedged_by_an_untrusted_key_is_repaired_by_a_trusted_one() {
  ledger_repo
  "$HW" -q ledger append --kind a --payload payload.json
  "$HW" -q ledger keygen --name mallory --dir k >/dev/null
  # the last event signed by a key nobody trusts: verify fails for ever
  HWLEDGER_SIGNING_KEY=k/mallory.key "$HW" -q ledger append --kind b --payload payload.json
  run "$HW" ledger verify
  expect_rc 1
  expect_err "event 1: signed by key id"
  "$HW" -q ledger append --kind c --payload payload.json
  run "$HW" ledger verify
  expect_rc 1
  expect_err "event 1: signed by key id"
  # a repair signed by the untrusted key itself proves nothing
  HWLEDGER_SIGNING_KEY=k/mallory.key "$HW" -q ledger repair 1
  run "$HW" ledger verify
  expect_rc 1
  expect_err "event 1: signed by key id"
  # the way out: a repair event signed by a trusted key disowns it
  run "$HW" ledger repair 1 --reason "signed with the wrong key"
  expect_rc 0
  expect_out "event 4: alice disowns 1 event"
  run "$HW" ledger log --kind ledger-repair --json
  jq -e '.events | length == 2' <<<"$OUT" >/dev/null
  run "$HW" ledger verify --json
  expect_rc 1
  # ...but mallory's own repair (event 3) is still untrusted: disown it too
  jq -e '.first_bad == 3' <<<"$OUT" >/dev/null
  "$HW" -q ledger repair 3
  run "$HW" ledger verify
  expect_rc 0
  expect_out "6 events verified"
  expect_out "2 events not signed by a trusted key are disowned by a repair event"
  # the disowned events are still in the chain: an edit is still caught
  "$HW" -q ledger checkpoint >/dev/null
  "$HW" -q ledger export --bundle bundle
  sed -i '2s/"payload":"[A-Za-z]/"payload":"Z/' bundle/events.jsonl
  run "$HW" ledger verify --bundle bundle --key alice.line
  expect_rc 1
  expect_err "event 1: its hash does not match its bytes"
  # bad arguments
  run "$HW" ledger repair 99
  expect_rc 2
  expect_err "event 99 is not in the ledger"
  run "$HW" ledger repair
  expect_rc 2
  run "$HW" ledger repair -1
  expect_rc 2
}

# Verifies: FR-LEDGER-005
test_ledger_prove_prints_an_audit_path() {
  ledger_repo
  for k in a b c d e f g; do "$HW" -q ledger append --kind "$k"; done
  "$HW" -q ledger checkpoint >/dev/null
  run "$HW" ledger prove 5
  expect_rc 0
  jq -e '.schema == "hwledger.proof/1" and .tree_size == 7 and (.path | length) == 3' <<<"$OUT" >/dev/null
  run "$HW" ledger prove 7
  expect_rc 2
  expect_err "event 7 is not covered"
}

# Verifies: FR-LEDGER-005
test_ledger_sequence_numbers_are_refused_unless_plain_decimal() {
  ledger_repo
  for k in a b c; do "$HW" -q ledger append --kind "$k"; done
  "$HW" -q ledger checkpoint >/dev/null
  "$HW" -q ledger export --bundle bundle
  # a negative number, a sign, a space, or one past 64 bits is never read
  # as another number
  for s in -1 +1 ' 1' 1x '' 18446744073709551615 99999999999999999999; do
    run "$HW" ledger prove "$s"
    expect_rc 2
    expect_err "bad sequence number '$s'"
    run "$HW" ledger verify --bundle bundle --key alice.line --event "$s"
    expect_rc 2
    expect_err "--event needs a sequence number, not '$s'"
  done
  run "$HW" ledger prove 1
  expect_rc 0
}

# Verifies: FR-LEDGER-001, FR-LEDGER-004
test_ledger_rotation_and_untrusted_keys() {
  ledger_repo
  "$HW" -q ledger append --kind a
  "$HW" -q ledger keygen --name bob --dir newkeys > /dev/null
  run "$HW" ledger rotate --to newkeys/bob.pub
  expect_rc 0
  expect_out "alice hands signing over to bob"
  HWLEDGER_SIGNING_KEY=newkeys/bob.key "$HW" -q ledger append --kind b
  run "$HW" ledger verify
  expect_rc 0
  expect_out "3 events verified"
  # alice may not sign after handing over (the store refuses it; see
  # test_ledger_a_retired_key_signs_nothing_more)
}

# Verifies: FR-LEDGER-002, FR-LEDGER-004
test_ledger_bad_input_and_missing_things() {
  ledger_repo
  run "$HW" ledger append
  expect_rc 2
  expect_err "ledger append needs --kind KIND"
  run "$HW" ledger append --kind k --payload missing.json
  expect_rc 2
  expect_err "missing.json: no such file"
  run "$HW" ledger checkpoint
  expect_rc 0   # an empty ledger checkpoints to size 0
  rm traceability/trusted_keys
  run "$HW" ledger verify
  expect_rc 2
  expect_err "no trusted keys"
  mkdir bundle && echo '{"seq": 0}' > bundle/events.jsonl
  run "$HW" ledger verify --bundle bundle --key alice.line
  expect_rc 2
  expect_err "bundle/events.jsonl:1: not a valid event line"
  run "$HW" ledger verify --bundle bundle
  expect_rc 2
  run "$HW" ledger frobnicate
  expect_rc 2
  expect_err "ledger: unknown subcommand 'frobnicate'"
  # a signing key asked for but not there: the environment (exit 3)
  export HWLEDGER_SIGNING_KEY=nope.key
  run "$HW" ledger append --kind k
  unset HWLEDGER_SIGNING_KEY
  expect_rc 3
  expect_err "nope.key: no such file"
}

# Verifies: FR-LEDGER-002
test_ledger_append_several_events_in_one_transaction() {
  ledger_repo
  echo '{"n": 2}' > two.json
  run "$HW" ledger append --kind trace --payload payload.json --kind plan --payload two.json --payload-type text/plain
  expect_rc 0
  expect_out "appended event 0 (trace"
  expect_out "appended event 1 (plan, 9 bytes"
  run "$HW" ledger log --json
  jq -e '[.events[] | .kind] == ["trace", "plan"] and .events[1].payload_type == "text/plain"' <<<"$OUT" >/dev/null
  # one unreadable payload: nothing is appended
  run "$HW" ledger append --kind a --payload payload.json --kind b --payload missing.json
  expect_rc 2
  run "$HW" ledger log --json
  jq -e '.events | length == 2' <<<"$OUT" >/dev/null
  run "$HW" ledger append --payload payload.json
  expect_rc 2
  run "$HW" ledger append --kind a --payload - --kind b --payload -
  expect_rc 2
}

# A project in a subfolder of a larger repository (a monorepo) anchored
# on the one refs/hwledger/checkpoints every project shared: the second
# project's anchor went on top of the first's history, and each one's
# verify then read the other's checkpoints (signed by a key it does not
# trust) and failed. Each subfolder anchors on its own ref; the top level
# keeps refs/hwledger/checkpoints.
ledger_project() {
  mkdir -p "$1" && (
    cd "$1"
    "$HW" -q ledger keygen --name "k$2" > key.line
    mkdir -p traceability && cp key.line traceability/trusted_keys
    echo '{"check": "trace", "verdict": "pass"}' > payload.json
  )
}
ledger_step() {
  (
    cd "$1"
    "$HW" -q ledger append --kind trace --payload payload.json
    "$HW" -q ledger checkpoint >/dev/null
    "$HW" ledger anchor
  )
}

# Verifies: FR-LEDGER-003, FR-LEDGER-004
test_ledger_projects_in_one_repository_anchor_on_their_own_refs() {
  git init -q . && git -c user.name=t -c user.email=t@t commit -q --allow-empty -m one
  ledger_project . 0 && ledger_project app 1 && ledger_project libs/core 2
  for round in 1 2 3; do
    for p in app . libs/core; do
      run ledger_step "$p"
      expect_rc 0
    done
    # any order: the last one anchored first in the next round
    for p in libs/core app .; do
      run ledger_step "$p"
      expect_rc 0
      run bash -c "cd '$p' && '$HW' ledger verify"
      expect_rc 0
    done
  done
  run ledger_step app
  expect_out "anchored checkpoint of 7 events at"
  expect_out " on refs/hwledger/projects/app/checkpoints"
  run bash -c "cd app && '$HW' ledger anchor"
  expect_out "is already anchored at $(git rev-parse refs/hwledger/projects/app/checkpoints) on refs/hwledger/projects/app/checkpoints"
  run ledger_step .
  expect_out " on refs/hwledger/checkpoints"
  [ "$(git rev-list --count refs/hwledger/checkpoints)" = 7 ]
  [ "$(git rev-list --count refs/hwledger/projects/app/checkpoints)" = 7 ]
  [ "$(git rev-list --count refs/hwledger/projects/libs/core/checkpoints)" = 6 ]
  [ "$(git cat-file -p refs/hwledger/projects/libs/core/checkpoints:checkpoint | sed -n 2p)" = 6 ]
  for p in . app libs/core; do
    run bash -c "cd '$p' && '$HW' ledger verify --json"
    expect_rc 0
    jq -e '.ok and .anchors == (if "'"$p"'" == "libs/core" then 6 else 7 end)' <<<"$OUT" >/dev/null
  done
  # the messages name the ref actually read: app's ref moved back
  git update-ref refs/hwledger/projects/app/checkpoints refs/hwledger/projects/app/checkpoints~1
  run bash -c "cd app && '$HW' ledger verify"
  expect_rc 1
  expect_err "refs/hwledger/projects/app/checkpoints no longer holds anchor commit"
  run bash -c "'$HW' ledger verify"
  expect_rc 0
}

# Projects in subfolders anchored, before each had a ref of its own, on
# the one refs/hwledger/checkpoints, one on top of the other. After the
# upgrade each one's verify failed, saying its ref "no longer holds" those
# anchors, and no `git update-ref` could carry them over: the shared ref
# held both. Those anchors count where they are; the next go on the
# project's own ref. The old layout is made with linked worktrees: each
# is a top level, so each anchored on the shared ref, as a subfolder did.
# Verifies: FR-LEDGER-003, FR-LEDGER-004
test_ledger_anchors_on_the_shared_ref_still_verify_after_the_upgrade() {
  mkdir repo && cd repo
  git init -q . && git -c user.name=t -c user.email=t@t commit -q --allow-empty -m one
  git worktree add -q --detach ../wt-app && git worktree add -q --detach ../wt-lib
  ledger_project ../wt-app 1 && ledger_project ../wt-lib 2
  for p in ../wt-app ../wt-lib ../wt-app ../wt-lib; do
    run ledger_step "$p"
    expect_rc 0
    expect_out " on refs/hwledger/checkpoints"
  done
  [ "$(git rev-list --count refs/hwledger/checkpoints)" = 4 ]
  # the projects as they now are: subfolders of the main work tree
  mkdir app lib && cp -a ../wt-app/. app/ && cp -a ../wt-lib/. lib/
  rm app/.git lib/.git
  for p in app lib; do
    run bash -c "cd $p && '$HW' ledger verify --json"
    expect_rc 0
    jq -e '.ok and .anchors == 2' <<<"$OUT" >/dev/null || { echo "$OUT"; return 1; }
    run ledger_step $p
    expect_out " on refs/hwledger/projects/$p/checkpoints"
    run bash -c "cd $p && '$HW' ledger verify --json"
    expect_rc 0
    jq -e '.ok and .anchors == 3' <<<"$OUT" >/dev/null || { echo "$OUT"; return 1; }
  done
  # a recorded anchor that is on neither ref still fails, naming the
  # project's ref
  git update-ref refs/hwledger/checkpoints refs/hwledger/checkpoints~1
  run bash -c "cd lib && '$HW' ledger verify"
  expect_rc 1
  expect_err "refs/hwledger/projects/lib/checkpoints no longer holds anchor commit"
}

# A subfolder whose path cannot be part of a ref name is refused naming
# it (exit 2) by anchor and verify: never a crash, never the shared ref.
# Verifies: FR-LEDGER-003
test_ledger_a_folder_that_cannot_name_a_ref_is_refused() {
  git init -q . && git -c user.name=t -c user.email=t@t commit -q --allow-empty -m one
  for p in 'my app' 'x/y.lock' 'a/.hidden' 'b~1' 'what?' 'c:d' 'e^' 'f[1]' 'g*'; do
    ledger_project "$p" 9
    (cd "$p" && "$HW" -q ledger append --kind trace --payload payload.json &&
      "$HW" -q ledger checkpoint >/dev/null)
    run bash -c "cd '$p' && '$HW' ledger anchor"
    expect_rc 2
    expect_err "hwledger: $p: this project's folder cannot be part of the git ref that anchors its ledger (refs/hwledger/projects/<folder>/checkpoints)"
    run bash -c "cd '$p' && '$HW' ledger verify"
    expect_rc 2
    expect_err "hwledger: $p: this project's folder cannot be part of"
  done
  [ -z "$(git for-each-ref refs/hwledger)" ] || { git for-each-ref refs/hwledger; return 1; }
}

# keygen's note says "add the line above": with both streams in one pipe
# (a CI log, `2>&1 | tee`), the line comes first.
# Verifies: FR-LEDGER-001
test_keygen_prints_the_key_line_above_the_note_that_points_to_it() {
  "$HW" ledger keygen --name ci --dir keys 2>&1 | cat > both.txt
  head -n 1 both.txt | grep -q '^ci+[0-9a-f]\{8\}+' || { cat both.txt; return 1; }
  sed -n 2p both.txt | grep -q '^hwledger: wrote keys/ci.key .*add the line above'
  [ "$(head -n 1 both.txt)" = "$(cat keys/ci.pub)" ]
}
