# tests/cli/test_hostile.sh — what a hostile or a clumsy user tries
# (issue #23): output folders that are the user's, outputs at links,
# devices and FIFOs, FIFOs at every kind of input. Commands that a
# regression would hang run under `timeout 10`, so it fails instead.

# a fixture repository with its evidence, committed (a repository root)
hostile_repo() {
  site_repo
  git init -q . && git add -A && git -c user.name=t -c user.email=t@t commit -qm one
}

# expect_no_hang: the last `run timeout 10 ...` ended by itself
expect_no_hang() {
  [ "$RC" -ne 124 ] && return 0
  echo "timed out: it waited on a FIFO"; return 1
}

# Verifies: FR-SITE-003
test_hostile_site_refuses_a_folder_it_did_not_render() {
  hostile_repo
  mkdir docs && echo notes > docs/notes.txt
  for _ in 1 2; do
    run "$HW" site --checks checks -o docs
    expect_rc 3
    expect_err "hwledger: docs: is not a site hwledger rendered (no .hwledger-site); not replaced (--force replaces it)"
  done
  [ "$(cat docs/notes.txt)" = notes ] && [ "$(ls -A docs)" = notes.txt ]
  [ ! -e .hwledger/site-spare/notes.txt ]
  # an empty folder, or a site it rendered, is replaced
  mkdir empty
  run "$HW" site --checks checks -o empty
  expect_rc 0
  [ "$(cat empty/.hwledger-site)" = hwledger.site/1 ]
  "$HW" -q site --checks checks -o empty
  "$HW" -q site --checks checks -o empty
  [ -s empty/index.html ]
  # a site rendered before the marker is known by its search index
  rm empty/.hwledger-site
  "$HW" -q site --checks checks -o empty
  [ -f empty/.hwledger-site ]
  # a marker that is not the renderer's does not make a site
  mkfifo docs/.hwledger-site
  run timeout 10 "$HW" site --checks checks -o docs
  expect_rc 3
  rm docs/.hwledger-site && echo mine > docs/.hwledger-site
  run "$HW" site --checks checks -o docs
  expect_rc 3
  rm docs/.hwledger-site
  # --force replaces the user's folder, which is removed, never kept as
  # the spare
  run "$HW" site --checks checks -o docs --force
  expect_rc 0
  [ -s docs/index.html ] && [ ! -e docs/notes.txt ]
  [ ! -e .hwledger/site-spare/notes.txt ]
}

# Verifies: FR-SITE-003
test_hostile_site_never_replaces_a_repository() {
  hostile_repo
  mkdir -p work/inner other
  git init -q other && echo mine > other/file
  mkdir -p .hwledger && echo ledger > .hwledger/ledger.db
  for d in . .. "$PWD" .git .git/refs other work/.. .hwledger; do
    run "$HW" site --checks checks -o "$d" --force
    expect_rc 3
    expect_err "never replaced"
  done
  # run from a folder inside the repository: the root holds it
  (cd work/inner && run "$HW" site --checks ../../checks -o ../.. --force && expect_rc 3)
  # a folder of the repository is the user's: refused without --force
  run "$HW" site --checks checks -o src
  expect_rc 3
  [ "$(cat other/file)" = mine ] && [ -d other/.git ]
  git status --porcelain | grep -v '^??' | { ! grep .; }
  [ -f src/app.c ] && [ -d .git/objects ] && [ -s .hwledger/ledger.db ]
}

# Verifies: FR-SITE-003
test_hostile_site_output_link_and_old_name_are_not_replaced() {
  hostile_repo
  mkdir target && echo mine > target/file
  ln -s target link
  run "$HW" site --checks checks -o link
  expect_rc 3
  expect_err "link: is a symbolic link; not replaced"
  [ -L link ] && [ "$(cat target/file)" = mine ]
  # without RENAME_EXCHANGE the old site is moved aside onto a folder of
  # its own, never onto DIR.old, which may be the user's
  mkdir out.old && echo mine > out.old/file
  "$HW" -q site --checks checks -o out
  run env HWLEDGER_SITE_NO_EXCHANGE=1 "$HW" site --checks checks -o out
  expect_rc 0
  run flock .hwledger/site-spare.lock env HWLEDGER_SITE_NO_EXCHANGE=1 "$HW" site --checks checks -o out
  expect_rc 0
  [ "$(cat out.old/file)" = mine ] && [ -s out/index.html ]
  [ "$(ls -d out.old-* 2>/dev/null | wc -l)" = 0 ]
}

# Verifies: FR-SITE-003, FR-REPORT-001
test_hostile_report_refuses_the_sources_before_any_check() {
  report_repo
  sum=$(find src -type f -exec sha256sum {} + | sort | sha256sum)
  run "$HW" report "${REPORT_INPUTS[@]}" -o src
  expect_rc 3
  expect_err "hwledger: src: is not a site hwledger rendered"
  [ "$(find src -type f -exec sha256sum {} + | sort | sha256sum)" = "$sum" ]
  # refused before anything was signed
  [ ! -e .hwledger/ledger.db ] && [ ! -e build/checks/report.json ]
  run "$HW" report "${REPORT_INPUTS[@]}" -o . --force
  expect_rc 3
  expect_err "never replaced"
  [ "$(find src -type f -exec sha256sum {} + | sort | sha256sum)" = "$sum" ]
}

# the fixture's evidence, with which the gate passes
HOSTILE_IN=(--results results.xml --results results.tap --lcov app.info)

# every command with -o FILE, writing to $1
hostile_outputs() { # FILE
  "$HW" trace "${HOSTILE_IN[@]}" --format json -o "$1"
  "$HW" gate "${HOSTILE_IN[@]}" --format json -o "$1"
  "$HW" sast --import "$FIXTURES/sast/cppcheck.xml" --format json -o "$1" || [ $? = 1 ]
  "$HW" glossary import "$FIXTURES/glossary/pdf-export.txt" -o "$1"
}

# Verifies: FR-CLI-006
test_hostile_output_at_a_link_writes_its_target_and_keeps_it() {
  cp -r "$FIXTURES/trace/ours" repo && cd repo
  mkdir sub
  ln -s sub/mid out.json && ln -s end.json sub/mid   # the last dangles
  while read -r cmd; do
    rm -f sub/end.json
    run eval "$cmd"
    expect_rc 0
    [ -L out.json ] && [ -L sub/mid ] && [ -s sub/end.json ]
  done <<'EOF'
"$HW" trace "${HOSTILE_IN[@]}" --format json -o out.json
"$HW" gate "${HOSTILE_IN[@]}" --format json -o out.json
"$HW" sast --import "$FIXTURES/sast/cppcheck.xml" --format json -o out.json || [ $? = 1 ]
"$HW" glossary import "$FIXTURES/glossary/pdf-export.txt" -o out.json
EOF
  grep -q 'hwledger.glossary\|"terms"' sub/end.json
  ln -s loop loop
  run "$HW" trace --results results.xml -o loop
  expect_rc 3
  expect_err "loop: cannot follow the link"
}

# Verifies: FR-CLI-006
test_hostile_output_at_a_device_or_fifo_is_written_into() {
  cp -r "$FIXTURES/trace/ours" repo && cd repo
  # devices reached through links, so that a regression replaces the
  # link here and never the device
  ln -s /dev/null null && ln -s /dev/full full
  hostile_outputs null
  [ -L null ] && [ -c /dev/null ]
  for cmd in "trace ${HOSTILE_IN[*]}" "gate ${HOSTILE_IN[*]}" \
    "sast --import $FIXTURES/sast/cppcheck.xml" \
    "glossary import $FIXTURES/glossary/pdf-export.txt"; do
    # shellcheck disable=SC2086
    run "$HW" $cmd --format json -o full
    expect_rc 3
    expect_err "full: write failed: No space left on device"
    [ -L full ] && [ -c /dev/full ]
  done
  # a FIFO gets the bytes (its reader started first) and stays a FIFO
  mkfifo fifo
  "$HW" trace --results results.xml --format json > want.json
  cat fifo > got.json &
  run timeout 10 "$HW" trace --results results.xml --format json -o fifo
  wait
  expect_rc 0
  cmp want.json got.json
  [ -p fifo ]
  # a folder is refused
  mkdir dir
  run "$HW" trace --results results.xml -o dir
  expect_rc 3
  expect_err "dir: cannot write: is a folder"
}

# Verifies: FR-CLI-007
test_hostile_fifo_inputs_of_trace_and_frs_are_refused() {
  cp -r "$FIXTURES/trace/ours" repo && cd repo
  mkfifo fifo
  for args in "trace --results fifo" "trace --lcov fifo" "gate --results fifo"; do
    # shellcheck disable=SC2086
    run timeout 10 "$HW" $args
    expect_no_hang
    expect_rc 2
    expect_err "hwledger: fifo: not a regular file"
  done
  # an FR document
  mkfifo frs/more.md
  for cmd in "frs lint" "frs list" "trace"; do
    # shellcheck disable=SC2086
    run timeout 10 "$HW" $cmd
    expect_no_hang
    expect_rc 2
    expect_err "hwledger: frs/more.md: not a regular file"
  done
  rm frs/more.md
  # the configuration and the policy
  mkdir -p traceability
  mv traceability/config.json config.json 2>/dev/null || true
  mkfifo traceability/config.json
  run timeout 10 "$HW" trace
  expect_no_hang
  expect_rc 2
  expect_err "hwledger: traceability/config.json: not a regular file"
  rm traceability/config.json
  mkfifo traceability/policy.json
  run timeout 10 "$HW" gate --results results.xml
  expect_no_hang
  expect_rc 2
  expect_err "hwledger: traceability/policy.json: not a regular file"
}

# Verifies: FR-CLI-007
test_hostile_fifo_inputs_of_ledger_plan_glossary_sast_are_refused() {
  cp -r "$FIXTURES/trace/ours" repo && cd repo
  mkfifo fifo m.safetensors m.gguf
  "$HW" -q ledger keygen --name a > /dev/null
  while read -r cmd; do
    run eval timeout 10 "$cmd"
    expect_no_hang
    expect_rc 2
    expect_err "not a regular file"
  done <<'EOF'
"$HW" ledger append --kind x --payload fifo
"$HW" plan --model fifo --ctx 8k --gpu 'H100 SXM'
"$HW" plan --model m.safetensors --ctx 8k --gpu 'H100 SXM'
"$HW" plan --model m.gguf --ctx 8k --gpu 'H100 SXM'
"$HW" glossary import fifo
"$HW" glossary lint fifo
"$HW" sast --import fifo
EOF
  # the trusted keys
  mkfifo traceability/trusted_keys
  run timeout 10 "$HW" ledger verify
  expect_no_hang
  expect_rc 2
  expect_err "hwledger: traceability/trusted_keys: not a regular file"
  # stdin, where documented, is still read
  echo '{"a": 1}' | "$HW" -q ledger append --kind x --payload -
}

# Verifies: FR-CLI-007
test_hostile_fifo_in_the_evidence_folder_is_refused() {
  site_repo
  for doc in trace.json gate.json sast.json coverage.info; do
    [ -e "checks/$doc" ] && mv "checks/$doc" keep
    mkfifo "checks/$doc"
    run timeout 10 "$HW" site --checks checks -o out
    expect_no_hang
    expect_rc 2
    expect_err "hwledger: checks/$doc: not a regular file"
    rm "checks/$doc"
    [ -e keep ] && mv keep "checks/$doc"
  done
  [ ! -e out ]
}

# Verifies: FR-CLI-007, FR-REPORT-002
test_hostile_fifo_in_a_signed_site_is_refused() {
  report_repo
  "$HW" -q report "${REPORT_INPUTS[@]}" >/dev/null 2>&1
  # the signer trusted, so that what fails below is the FIFO
  key=(--key build/checks/signing-key.pub)
  "$HW" -q verify-report "${key[@]}" build/site
  # a FIFO as the trusted keys: refused, never waited on nor taken as
  # "no key trusted"
  mkfifo keys
  run timeout 10 "$HW" verify-report build/site --key keys
  expect_no_hang
  expect_rc 2
  expect_err "keys: not a regular file"
  # a FIFO in place of a page the manifest lists, of the manifest, of the
  # bundle's events
  cp -r build/site site
  for f in matrix.html manifest.json ledger/bundle/events.jsonl; do
    rm -rf build/site && cp -r site build/site
    rm "build/site/$f" && mkfifo "build/site/$f"
    run timeout 10 "$HW" verify-report "${key[@]}" build/site
    expect_no_hang
    expect_rc 1
    expect_err "verify-report FAILED"
    expect_err "$f"
  done
}

# Verifies: FR-CLI-007
test_hostile_fifo_named_as_a_library_is_refused() {
  cp -r "$FIXTURES/trace/ours" repo && cd repo
  git init -q . && git add -A && git -c user.name=t -c user.email=t@t commit -qm one
  mkfifo lib.so
  # NVML: no driver, reported as a reading
  run timeout 10 env HWLEDGER_NVML_LIB="$PWD/lib.so" "$HW" probe --json
  expect_no_hang
  expect_rc 0
  expect_out "lib.so cannot be loaded"
  # libgit2, which the ledger's git side loads
  "$HW" -q ledger keygen --name a > /dev/null
  "$HW" -q ledger append --kind x
  "$HW" -q ledger checkpoint > /dev/null
  run timeout 10 env HWLEDGER_LIBGIT2="$PWD/lib.so" "$HW" ledger anchor
  expect_no_hang
  expect_rc 3
  expect_err "lib.so: not a regular file"
}

# a repository with a ledger of four events signed by alice, verified
hostile_ledger() {
  git init -q . && git -c user.name=t -c user.email=t@t commit -q --allow-empty -m one
  "$HW" -q ledger keygen --name alice > alice.line
  mkdir -p traceability && cp alice.line traceability/trusted_keys
  for k in a b c d; do "$HW" -q ledger append --kind "$k"; done
  "$HW" -q ledger verify
}

# sql SQL: runs SQL on the ledger as a hostile user would
sql() { sqlite3 .hwledger/ledger.db "$1"; }

# expect_verify_fails TEXT: `ledger verify` exits 1 naming TEXT
expect_verify_fails() {
  run timeout 20 "$HW" ledger verify
  expect_rc 1
  expect_err "hwledger: ledger verify FAILED: $1"
}

# Verifies: FR-LEDGER-002
test_hostile_ledger_triggers_refuse_sql_updates_and_deletes() {
  hostile_ledger
  # INSERT OR REPLACE deletes the row it replaces without the delete
  # trigger
  for q in "UPDATE events SET kind='z' WHERE seq=1" "DELETE FROM events WHERE seq=3" \
    "DELETE FROM events" "INSERT INTO events SELECT * FROM events WHERE seq=0" \
    "INSERT OR REPLACE INTO events SELECT seq, prev, time_ns, 'z', git_commit, payload_type, payload, hash, key_id, sig FROM events WHERE seq=1" \
    "REPLACE INTO events SELECT * FROM events WHERE seq=2" \
    "INSERT INTO events SELECT * FROM events WHERE seq=3 ON CONFLICT(seq) DO UPDATE SET kind='z'"; do
    run sql "$q"
    [ "$RC" -ne 0 ] || { echo "the database took: $q"; return 1; }
    expect_err "ledger events are append-only"
  done
  [ "$(sql "SELECT group_concat(kind, '') FROM events")" = abcd ]
  "$HW" -q ledger verify
  # triggers dropped by hand come back with the next command
  sql "DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete; DROP TRIGGER events_no_replace"
  "$HW" -q ledger append --kind e
  run sql "DELETE FROM events WHERE seq=4"
  expect_err "ledger events are append-only"
  run sql "REPLACE INTO events SELECT * FROM events WHERE seq=4"
  expect_err "ledger events are append-only"
  "$HW" -q ledger verify
}
