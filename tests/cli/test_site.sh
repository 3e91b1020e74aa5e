# tests/cli/test_site.sh — `hwledger site` end to end: a fixture repository
# traced, gated and signed, rendered into a site; missing and malformed
# evidence, hostile and large inputs, odd file names, the atomic swap.

# the trace fixture with its evidence folder filled by the real commands
site_repo() {
  cp -r "$FIXTURES/trace/ours" repo && cd repo
  mkdir -p specs checks
  printf '# Glossary\n\n- **Twice:** Two times a value.\n' > specs/glossary.md
  "$HW" trace --results results.xml --results results.tap --lcov app.info \
    --format json -o checks/trace.json
  "$HW" -q gate --results results.xml --results results.tap --lcov app.info \
    --format json -o checks/gate.json
  cp app.info checks/coverage.info
}

# Verifies: FR-SITE-001
test_site_renders_every_page_type() {
  site_repo
  run "$HW" site --checks checks -o out/site
  expect_rc 0
  # counts of one are said in the singular
  expect_out "site: 14 pages (2 FRs, 3 source files, 1 glossary term), "
  for f in index.html matrix.html glossary.html sast.html planner.html \
    probes.html ledger.html style.css app.js search-index.js \
    fr/FR-APP-001.html fr/FR-APP-002.html; do
    [ -s "out/site/$f" ] || { echo "missing $f"; return 1; }
  done
  ls out/site/src/*.html >/dev/null
  grep -q '2 verified + 0 waived of 2</p>' out/site/index.html
  grep -q 'st-pass' out/site/index.html   # the gate passed
  grep -q 'twice' out/site/fr/FR-APP-002.html
  # an implementing function links to its line in the source view
  grep -qE 'href="../src/[^"]+\.html#L[0-9]+"' out/site/fr/FR-APP-002.html
  # executed lines are marked from the lcov data
  grep -q 'class="h"' out/site/src/*.html
  [ "$(find out -name '*.tmp-*' | wc -l)" = 0 ]
}

# The site shows an FR's coverage as trace prints it (one decimal), not
# rounded down to a whole percent.
# Verifies: FR-SITE-001
test_site_shows_coverage_as_trace_prints_it() {
  local cov
  cp -r "$FIXTURES/trace/ours" repo && cd repo
  mkdir -p checks
  # add() covered on two of its three lines: 66.7%
  sed -i 's/^DA:4,2$/DA:3,2\nDA:4,0/' app.info
  run "$HW" trace --results results.xml --results results.tap --lcov app.info
  cov=$(awk '$1 == "FR-APP-001" { print $7 }' <<<"$OUT")
  [ "$cov" = "66.7%" ] || { echo "trace printed '$cov'"; return 1; }
  "$HW" trace --results results.xml --results results.tap --lcov app.info \
    --format json -o checks/trace.json
  run "$HW" site --checks checks -o out
  expect_rc 0
  grep -qF "> $cov <small>(2/3)</small>" out/fr/FR-APP-001.html
  grep -qF "> $cov <small>(2/3)</small>" out/matrix.html
  # said once to a screen reader: the bar beside it is a picture of it
  grep -qF '<meter min="0" max="3" value="2" aria-hidden="true">66.7%</meter> 66.7%' out/fr/FR-APP-001.html
  ! grep -qF 'aria-label="coverage"' out/fr/FR-APP-001.html out/matrix.html || return 1
}

# An Implements tag above a prototype belongs to no function: its row on
# the FR page has no line range to show, not "0–0".
# Verifies: FR-SITE-001
test_site_shows_no_lines_for_a_tag_outside_a_function() {
  site_repo
  { printf '/* Implements: FR-APP-001 */\nint add(int a, int b);\n\n'; sed '1d' src/app.c; } > app.c
  mv app.c src/app.c
  "$HW" trace --results results.xml --results results.tap --lcov app.info \
    --format json -o checks/trace.json
  run "$HW" site --checks checks -o out
  expect_rc 0
  grep -q '(outside a function)</a></code></td><td>src/app.c:1</td><td>—</td>' out/fr/FR-APP-001.html || { grep -o '(outside a function).\{0,80\}' out/fr/FR-APP-001.html; return 1; }
  ! grep -q '0–0' out/fr/FR-APP-001.html || return 1
}

# Verifies: FR-SITE-001
test_site_shows_missing_evidence_as_not_run() {
  site_repo
  rm -rf checks
  run "$HW" site --checks checks -o out
  expect_rc 0
  expect_out "some checks were not run (no evidence of theirs in checks)"
  for p in index sast planner probes ledger; do
    grep -q 'not run' "out/$p.html" || { echo "$p.html: no 'not run'"; return 1; }
  done
  grep -q 'No price comparison in the evidence folder (not run)' out/planner.html
  ! grep -q 'st-pass' out/index.html || return 1
}

# Verifies: FR-SITE-001
test_site_shows_the_ledger_timeline_and_fr_history() {
  site_repo
  git init -q . && git add -A && git -c user.name=t -c user.email=t@t commit -qm one
  "$HW" -q ledger keygen --name alice > alice.line
  mkdir -p traceability && cp alice.line traceability/trusted_keys
  "$HW" -q ledger append --kind trace --payload checks/trace.json
  "$HW" -q ledger checkpoint >/dev/null
  "$HW" -q ledger export --bundle checks/bundle
  "$HW" ledger verify --json > checks/ledger-verify.json
  run "$HW" site --checks checks -o out
  expect_rc 0
  grep -q 'id="e0"' out/ledger.html
  grep -q 'st-verified' out/ledger.html
  cmp checks/bundle/events.jsonl out/ledger/bundle/events.jsonl
  grep -q 'href="../ledger.html#e0"' out/fr/FR-APP-001.html
  grep -q '<polyline' out/index.html   # the trend over signed events
}

# Verifies: FR-SITE-003
test_site_malformed_evidence_is_exit_2_and_keeps_the_old_site() {
  site_repo
  "$HW" -q site --checks checks -o out
  sum=$(find out -type f -exec sha256sum {} + | sort | sha256sum)
  head -c 100 checks/trace.json > checks/trace.json.cut && mv checks/trace.json.cut checks/trace.json
  run "$HW" site --checks checks -o out
  expect_rc 2
  expect_err "hwledger: checks/trace.json:"
  [ "$(find out -type f -exec sha256sum {} + | sort | sha256sum)" = "$sum" ]
  [ "$(ls -d out.tmp-* 2>/dev/null | wc -l)" = 0 ]
  echo '{"schema": "hwledger.gate/1", "pass": true}' > checks/sast.json
  run "$HW" site --checks checks -o out
  expect_rc 2
  expect_err "checks/sast.json:1: schema is not hwledger.sast/"
}

# Verifies: FR-SITE-001
test_site_refuses_evidence_of_another_version_or_type() {
  # "hwledger.gate/2" rendered as a pass and "pass": "yes" as not run,
  # both exit 0: the version and the types are checked like the name
  local c doc file want
  site_repo
  cases=(
    'gate.json|{"schema": "hwledger.gate/2", "pass": true}|schema is not hwledger.gate/1'
    'gate.json|{"schema": "hwledger.gate/1", "pass": "yes"}|"pass" must be a boolean, not a string'
    'gate.json|{"schema": "hwledger.gate/1", "pass": 1}|"pass" must be a boolean, not a number'
    'gate.json|{"schema": "hwledger.gate/1"}|"pass" is missing'
    'gate.json|{"schema": "hwledger.gate/1", "pass": true, "reasons": [{"message": 7}]}|"reasons[].message" must be a string, not a number'
    'gate.json|["hwledger.gate/1"]|schema is not hwledger.gate/1'
    'trace.json|{"schema": "hwledger.trace/1", "summary": {}, "frs": {}}|"frs" must be an array, not an object'
    'sast.json|{"schema": "hwledger.sast/1", "total": 0, "new": "0", "findings": []}|"new" must be a number, not a string'
    'sast.json|{"schema": "hwledger.sast/1", "total": 1, "new": 0, "findings": [1]}|"findings" holds a number, not an object'
    'plan.json|{"schema": "hwledger.plancheck-results/1", "total": 1, "failed": 0, "checks": [{"ok": "true"}]}|"checks[].ok" must be a boolean, not a string'
    'probe.json|{"schema": "hwledger.probecheck-results/1", "total": 0, "failed": 0, "checks": [], "probe": []}|"probe" must be an object, not an array'
    'ledger-verify.json|{"schema": "hwledger.verify/1", "ok": null}|"ok" must be a boolean, not null'
    'report.json|{"schema": "hwledger.report/10", "ok": true}|schema is not hwledger.report/1'
    'cheapest.json|{"schema": "hwledger.cheapest/1", "configurations": [{"usd_per_hour": "2"}]}|"configurations[].usd_per_hour" must be a number, not a string'
    'sweep-x.json|{"schema": "hwledger.sweep/1", "ctx": [1], "batch": [1]}|"per_gpu_bytes" is missing'
  )
  cp checks/gate.json gate.good
  cp checks/trace.json trace.good
  for c in "${cases[@]}"; do
    IFS='|' read -r file doc want <<<"$c"
    printf '%s\n' "$doc" > "checks/$file"
    run "$HW" site --checks checks -o out
    expect_rc 2
    expect_err "hwledger: checks/$file"
    expect_err "$want"
    cp gate.good checks/gate.json
    cp trace.good checks/trace.json
    rm -f checks/sast.json checks/plan.json checks/probe.json \
      checks/ledger-verify.json checks/report.json checks/cheapest.json checks/sweep-x.json
  done
  # a bad value is named at its line, an entry's at the entry's
  printf '{\n  "schema": "hwledger.gate/1",\n  "pass": "yes"\n}\n' > checks/gate.json
  run "$HW" site --checks checks -o out
  expect_err 'hwledger: checks/gate.json:3: "pass" must be a boolean'
  printf '{\n  "schema": "hwledger.gate/1",\n  "pass": true,\n  "reasons": [\n    {"message": "a"},\n    {"message": 7}\n  ]\n}\n' > checks/gate.json
  run "$HW" site --checks checks -o out
  expect_err 'hwledger: checks/gate.json:6: "reasons[].message" must be a string'
  printf '{\n  "schema": "hwledger.gate/1",\n  "reasons": [\n    {"message": "a"},\n    8\n  ]\n}\n' > checks/gate.json
  run "$HW" site --checks checks -o out
  expect_err 'hwledger: checks/gate.json:1: "pass" is missing'
  printf '{\n  "schema": "hwledger.gate/1",\n  "pass": true,\n  "reasons": [\n    {"message": "a"},\n    8\n  ]\n}\n' > checks/gate.json
  run "$HW" site --checks checks -o out
  expect_err 'hwledger: checks/gate.json:6: "reasons" holds a number, not an object'
  cp gate.good checks/gate.json
  # the documents the commands write still render
  run "$HW" site --checks checks -o out
  expect_rc 0
}

# Verifies: FR-SITE-003
test_site_renders_a_source_page_for_a_long_path() {
  # "_" is written "_5F": a 195-character path made a 480-byte page name
  # and site exited 3
  local dir file page
  site_repo
  dir=src/$(printf 'a_%.0s' $(seq 1 46))
  file=$dir/$(printf 'b_%.0s' $(seq 1 48)).c
  [ "${#file}" -ge 195 ] || { echo "path of ${#file}"; return 1; }
  mkdir -p "$dir"
  printf '/* Implements: FR-APP-001 */\nint long_named(void) { return 0; }\n' > "$file"
  "$HW" trace --results results.xml --results results.tap --lcov app.info \
    --format json -o checks/trace.json
  run "$HW" site --checks checks -o out
  expect_rc 0
  page=$(grep -o 'href="../src/[^"#]*_h[0-9a-f]\{32\}\.html' out/fr/FR-APP-001.html | head -1)
  page=${page#href=\"../}
  [ -n "$page" ] && [ -s "out/$page" ] || { echo "no page for the long path"; ls out/src; return 1; }
  [ "$(basename "$page" | wc -c)" -le 256 ]
  grep -q 'long_named' "out/$page"
  # stable: the same path gives the same name
  run "$HW" site --checks checks -o out2
  [ -s "out2/$page" ]
}

# Verifies: FR-SITE-003
test_site_replacing_a_big_old_site_leaves_only_the_new_one() {
  site_repo
  "$HW" -q site --checks checks -o fresh
  mkdir -p .hwledger keep
  : > keep/precious
  for mode in exchange rename; do
    "$HW" -q site --checks checks -o out
    # the old site grows past what one thread removes alone: a flat
    # folder of 700 files and a nested one, a link that must not be
    # followed out of the site
    mkdir -p out/fr/extra/deeper
    for i in $(seq 1 700); do : > "out/fr/old $i.html"; done
    : > out/fr/extra/deeper/x.html
    ln -s ../../keep out/fr/link-out
    # another render holds the spare: this one writes a folder of its
    # own beside the site and removes the old site after the swap
    if [ "$mode" = rename ]; then
      run flock .hwledger/site-spare.lock env HWLEDGER_SITE_NO_EXCHANGE=1 HWLEDGER_THREADS=2 "$HW" site --checks checks -o out
    else
      run flock .hwledger/site-spare.lock env HWLEDGER_THREADS=2 "$HW" site --checks checks -o out
    fi
    expect_rc 0
    diff -r fresh out
    [ -f keep/precious ]
    [ "$(ls -d out.* .out* 2>/dev/null | wc -l)" = 0 ]
  done
}

# Verifies: FR-SITE-003
test_site_rewrites_its_spare_in_place_and_never_through_a_link() {
  site_repo
  "$HW" -q site --checks checks -o fresh
  "$HW" -q site --checks checks -o out
  [ ! -e .hwledger/site-spare ]   # the first render's folder became out
  "$HW" -q site --checks checks -o out
  diff -r fresh .hwledger/site-spare   # the old site, kept as the spare
  sp=.hwledger/site-spare
  a=$(cd "$sp/fr" && ls | sed -n 1p); b=$(cd "$sp/fr" && ls | sed -n 2p)
  ino=$(stat -c %i "$sp/fr/$a")
  # a page hard-linked into a published copy, a link out of the spare, a
  # file whose mode was changed, a stale page, a stray folder
  mkdir keep && echo precious > keep/precious
  ln "$sp/glossary.html" published.html && cp published.html published.want
  rm "$sp/fr/$b" && ln -s ../../../keep/precious "$sp/fr/$b"
  chmod 600 "$sp/index.html"
  : > "$sp/fr/stale.html"
  mkdir -p "$sp/junk/deeper" && : > "$sp/junk/deeper/x"
  echo 'damaged' > "$sp/app.js"
  # the glossary changes, so pages change; fresh2 is rendered without the
  # spare (another render holds it)
  printf -- '- **Value:** What a thing is worth.\n' >> specs/glossary.md
  flock .hwledger/site-spare.lock "$HW" -q site --checks checks -o fresh2
  ! diff -rq fresh fresh2 >/dev/null || return 1
  run "$HW" site --checks checks -o out
  expect_rc 0
  diff -r fresh2 out
  [ "$(stat -c %i "out/fr/$a")" = "$ino" ]     # rewritten in place...
  cmp published.html published.want             # ...never through a link
  [ "$(cat keep/precious)" = precious ]
  [ -f "out/fr/$b" ] && [ ! -L "out/fr/$b" ]
  [ "$(stat -c %a out/index.html)" = 644 ]
  [ ! -e out/fr/stale.html ] && [ ! -e out/junk ]
  # a site asked for in the spare's own folder is rendered beside it, not
  # written in place
  ino=$(stat -c %i .hwledger/site-spare/index.html)
  run "$HW" site --checks checks -o .hwledger/site-spare
  expect_rc 0
  diff -r fresh2 .hwledger/site-spare
  [ "$(stat -c %i .hwledger/site-spare/index.html)" != "$ino" ]
  "$HW" -q site --checks checks -o out
  diff -r fresh2 out
  # a render that fails leaves the site in place and the spare its own
  head -c 100 checks/trace.json > t && mv t checks/trace.json
  run "$HW" site --checks checks -o out
  expect_rc 2
  diff -r fresh2 out
}

# Verifies: FR-SITE-003
test_site_unwritable_output_is_exit_3() {
  site_repo
  echo file > blocker
  run "$HW" site --checks checks -o blocker/site
  expect_rc 3
  expect_err "hwledger: "
  run "$HW" site --checks checks -o blocker
  expect_rc 3
  expect_err "not a folder"
  [ "$(cat blocker)" = file ]
}

# Verifies: FR-SITE-001, FR-SITE-003
test_site_on_two_threads_is_byte_for_byte_the_site_of_one() {
  site_repo
  # enough FRs to split, each using the glossary's term (backlinks from
  # both halves), one with hostile text
  awk 'BEGIN { for (i = 0; i < 300; i++) printf "## FR-GEN-%03d: Gen %d\nRev: 1\nStatus: draft\nNeeds: impl\n\nTwice the value, <b>%d</b> twice.\n\n", i, i, i }' > frs/gen.md
  "$HW" -q ledger keygen --name alice > alice.line
  run env HWLEDGER_THREADS=2 "$HW" site --sign --checks checks -o two
  expect_rc 0
  expect_out "302 FRs"
  HWLEDGER_THREADS=1 "$HW" -q site --sign --checks checks -o one
  diff -r one two
  [ -s two/manifest.json ] && [ -s two/manifest.sig ]
  # every page is in the signed manifest, and Twice is used by all 300
  [ "$(grep -o '"fr/FR-GEN-[0-9]*.html"' two/manifest.json | sort -u | wc -l)" = 300 ]
  [ "$(grep -o 'href="fr/FR-GEN-[0-9]*.html"' two/glossary.html | wc -l)" -ge 300 ]
  grep -q 'FR-GEN-299' two/search-index.js
  # the pages of both halves link the term's first use only
  [ "$(grep -o 'class="term"' two/fr/FR-GEN-000.html | wc -l)" = 1 ]
  [ "$(grep -o 'class="term"' two/fr/FR-GEN-299.html | wc -l)" = 1 ]
}

# Verifies: FR-SITE-003
test_site_is_deterministic() {
  site_repo
  "$HW" -q site --checks checks -o one
  "$HW" -q site --checks checks -o two
  diff -r one two
}

# Verifies: FR-SITE-001, FR-SITE-003
test_site_handles_odd_file_names_and_hostile_titles() {
  site_repo
  mkdir -p "src/dir with space"
  printf '/* Implements: FR-APP-003 */\nint odd(void)\n{\n\treturn 1;\n}\n' > "src/dir with space/ünï code.c"
  printf '\n## FR-APP-003: <b>bold</b> & "quotes" <script>x()</script>\nRev: 1\nStatus: approved\nNeeds: impl\n\n<iframe src="https://evil.example"></iframe> text\n' >> frs/app.md
  "$HW" trace --format json -o checks/trace.json --results results.tap
  run "$HW" site --checks checks -o out
  expect_rc 0
  page=$(ls out/src/ | grep 'space')
  [ -n "$page" ] || { ls out/src; return 1; }
  grep -qF "src/$page#L" out/fr/FR-APP-003.html
  ! grep -q '<script>x' out/fr/FR-APP-003.html out/matrix.html out/index.html || return 1
  ! grep -q '<iframe' out/fr/FR-APP-003.html || return 1
  grep -qF '&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quotes&quot;' out/matrix.html
}

# Verifies: FR-SITE-001
test_site_renders_10000_frs_and_a_1mb_body() {
  mkdir -p frs checks
  awk 'BEGIN { for (f = 0; f < 100; f++) { file = sprintf("frs/area%03d.md", f);
    for (i = 0; i < 100; i++) printf "## FR-%c%c-%03d: Requirement %d of %d\nRev: 1\nStatus: approved\nNeeds: impl\n\nThe tool shall do thing %d.\n\n", 65 + int(f / 26), 65 + f % 26, i, i, f, i > file } }'
  { printf '## FR-BIG-001: Big\nRev: 1\nStatus: draft\nNeeds: impl\n\n'
    head -c 1000000 /dev/zero | tr '\0' 'x' | fold -w 100; echo; } > frs/big.md
  printf '{"schema":"hwledger.config/1","frs":"frs","sources":[],"tests":[],"max_file_bytes":4194304}\n' > config.json
  mkdir -p traceability && mv config.json traceability/
  run "$HW" site --checks checks -o out
  expect_rc 0
  expect_out "10001 FRs"
  [ "$(ls out/fr | wc -l)" = 10001 ]
  [ "$(stat -c %s out/fr/FR-BIG-001.html)" -gt 1000000 ]
}

# Verifies: FR-SITE-002
test_site_search_index_covers_frs_functions_tests_findings_and_terms() {
  site_repo
  "$HW" sast --import "$FIXTURES/sast/cppcheck.xml" --format json -o checks/sast.json || true
  run "$HW" site --checks checks -o out
  expect_rc 0
  # a script that assigns the records loads from file:// without a server
  head -c 19 out/search-index.js | grep -qF 'window.HW_SEARCH = '
  [ "$(tail -c 2 out/search-index.js)" = ";" ] || { echo "not one statement"; return 1; }
  sed '1s/^window.HW_SEARCH = //; $s/;$//' out/search-index.js > records.json
  jq -e '[.[].t] | unique | (index("FR") and index("function") and index("test") and index("term") and index("finding"))' records.json >/dev/null
  jq -e 'any(.[]; .k | startswith("FR-APP-001"))' records.json >/dev/null
  jq -e 'any(.[]; .t == "term" and .k == "Twice")' records.json >/dev/null
  [ ! -e out/search-index.json ] || { echo "a second copy of the records"; return 1; }
  ! grep -Eq '(src|href)="(https?:)?//' out/*.html || return 1   # nothing from a network
}

# Verifies: FR-SITE-001
test_site_renders_plan_probe_sast_and_glossary_evidence() {
  local nvml probes
  nvml=$(dirname "$HW")/fakes probes=$FIXTURES/probes
  site_repo
  cat > specs/glossary.md <<'EOF'
# Glossary

## Memory
- **KV Cache (KVC):** Keys and values kept per token.
- **Twice:** Two times a value.

## Compute
- **TP (Tensor Parallelism):** Splitting layers over devices.
EOF
  (cd "$ROOT" && "$HW" plan check --json) |
    jq '.checks[0].ok = false | .checks[0].failures = ["weights over budget"] | .failed = 1' > checks/plan.json
  (cd "$ROOT" && "$HW" plan --model planner/models/llama-3.1-8b.json --gpu 'H100 SXM' \
    --sweep 'ctx=1k..8k batch=1..4' --json) > checks/sweep-a.json
  (cd "$ROOT" && "$HW" plan --model planner/models/llama-3.1-70b.json --cheapest --top 3 \
    --today 2027-06-01 --json) > checks/cheapest.json
  (cd "$ROOT" && env HWLEDGER_NVML_LIB="$nvml/libfake_nvml.so" \
    FAKE_NVML_SCENARIO="$probes/nvml-two-gpus.json" "$HW" probe check --json) > checks/probe.json || true
  cat > checks/sast.json <<'EOF'
{"schema": "hwledger.sast/1", "total": 3, "new": 1, "findings": [
 {"tool": "cppcheck", "rule": "nullPointer", "severity": "error", "file": "src/app.c",
  "line": 3, "message": "Null <pointer> dereference", "frs": ["FR-APP-001"],
  "suppressed": false, "new": true},
 {"tool": "flawfinder", "rule": "FF1001", "severity": "warning", "file": "src/app.c",
  "line": 9, "message": "buffer", "frs": ["FR-APP-002", "FR-NOPE-001"],
  "suppressed": true, "new": false},
 {"tool": "gcc", "rule": "analyzer-leak", "severity": "note", "message": "no file",
  "frs": [], "suppressed": false, "new": false}]}
EOF
  run "$HW" site --checks checks -o out
  expect_rc 0
  # planner: a stacked bar per check, the failing check, the heatmap
  [ "$(grep -c '<figure class="chart">' out/planner.html)" -ge "$(jq '.checks | length' checks/plan.json)" ]
  grep -q 'weights over budget' out/planner.html
  grep -q 'batch 4' out/planner.html
  # the price comparison: three dated rows, stale on that --today, sources named
  [ "$(grep -c 'badge st-fail">stale' out/planner.html)" = 3 ]
  grep -q 'Cheapest priced GPU layouts' out/planner.html
  grep -q 'https://' out/planner.html
  grep -q 'st-fail' out/index.html
  # probes: both fake GPUs and their readings
  grep -q 'GPU 1' out/probes.html
  grep -q 'NVIDIA' out/probes.html
  # SAST: by FR and by file, on the FR page, escaped, counted on the dashboard
  grep -q 'href="fr/FR-APP-001.html">FR-APP-001</a>: 1 error,' out/sast.html
  grep -q 'Null &lt;pointer&gt; dereference' out/fr/FR-APP-001.html
  grep -q 'st-suppressed' out/fr/FR-APP-002.html
  grep -q 'error <strong>1</strong>' out/index.html
  grep -q '(no file)' out/sast.html
  # glossary: categories, aliases, letters, and a term linked from an FR
  grep -q 'Categories' out/glossary.html
  grep -q 'Also: KVC' out/glossary.html
  grep -q 'id="letter-T"' out/glossary.html
}

# A plural use of a term is linked as written and makes a backlink; a word
# that only starts with a term ("tokenizer") is no use.
# Verifies: FR-SITE-001, FR-GLOSS-003
test_site_links_a_terms_plural_as_written() {
  mkdir frs specs
  printf '## FR-X-001: Decode\nRev: 1\nStatus: approved\nNeeds: impl\n\nThe decoder joins surrogate pairs, counts Tokens and loads libraries; its GPUs idle.\n\n## FR-X-002: Split\nRev: 1\nStatus: approved\nNeeds: impl\n\nThe tokenizer splits the text.\n' > frs/x.md
  printf '**Surrogate pair**: Two UTF-16 code units.\n\n**Token**: A piece of text.\n\n**Library**: Code.\n\n**GPU**: A processor.\n\n**IT**: Computers.\n' > specs/glossary.md
  run "$HW" site -o out
  expect_rc 0
  links=$(grep -o '<a class="term" href="../glossary.html#[a-z-]*" aria-describedby="tip[0-9]*">[^<]*</a>' out/fr/FR-X-001.html | sed 's/.*#\([a-z-]*\)".*>\(.*\)<\/a>/\1=\2/' | tr '\n' ' ')
  [ "$links" = "t-surrogate-pair=surrogate pairs t-token=Tokens t-library=libraries t-gpu=GPUs " ] || { echo "links: $links"; return 1; }
  ! grep -q 'class="term"' out/fr/FR-X-002.html || return 1
  # the glossary page's backlinks: FR-X-001 for the four, none for IT
  [ "$(grep -o 'href="fr/FR-X-001.html"' out/glossary.html | wc -l)" = 4 ]
  ! grep -q 'href="fr/FR-X-002.html"' out/glossary.html || return 1
}

# FR text is Markdown, wrapped where its author liked: a term whose words
# a line break parts is a use, linked once with the break kept, and the
# glossary's lint and backlinks count it (before: only the second use,
# on one line, was linked; as the only use, none).
# Verifies: FR-SITE-001, FR-GLOSS-003
test_site_links_a_term_across_a_line_break() {
  mkdir frs specs
  printf '## FR-X-001: Append\nRev: 1\nStatus: approved\nNeeds: impl\n\nEach run appends to the evidence\nledger, then *signs* the evidence ledger.\n\n## FR-X-002: KV\nRev: 1\nStatus: approved\nNeeds: impl\n\nThe KV\ncache grows.\n' > frs/x.md
  printf '**Evidence ledger**: The signed record.\n\n**KV cache**: Keys and values.\n' > specs/glossary.md
  run "$HW" site -o out
  expect_rc 0
  grep -q 'appends to the <a class="term" href="../glossary.html#t-evidence-ledger" aria-describedby="tip1">evidence$' out/fr/FR-X-001.html
  grep -q '^ledger</a><span class="tip" id="tip1" role="tooltip">The signed record.</span>, then <em>signs</em> the evidence ledger.</p>' out/fr/FR-X-001.html
  [ "$(grep -c 'class="term"' out/fr/FR-X-001.html)" = 1 ]
  grep -q '>KV$' out/fr/FR-X-002.html
  [ "$(grep -o 'href="fr/FR-X-00[12].html"' out/glossary.html | sort -u | wc -l)" = 2 ]
  run "$HW" glossary lint specs/glossary.md
  expect_rc 0
  expect_out "glossary lint: 2 terms, 2 FRs: 0 errors, 0 warnings"
}

# Verifies: FR-SITE-001
test_site_shows_a_failed_ledger_verification() {
  site_repo
  printf '{"schema": "hwledger.verify/1", "ok": false, "events": 3, "first_bad": 1, "message": "event 1: bad signature"}\n' > checks/ledger-verify.json
  run "$HW" site --checks checks -o out
  expect_rc 0
  grep -q 'event 1: bad signature' out/ledger.html
  grep -q 'st-fail' out/index.html
}

# Verifies: FR-SITE-001
test_site_pages_are_valid_html5() {
  site_repo
  "$HW" -q ledger keygen --name alice >/dev/null
  git init -q . && git add -A && git -c user.name=t -c user.email=t@t commit -qm one
  "$HW" -q ledger append --kind trace --payload checks/trace.json
  "$HW" -q ledger checkpoint >/dev/null
  "$HW" -q ledger export --bundle checks/bundle
  (cd "$ROOT" && "$HW" plan check --json) > checks/plan.json
  (cd "$ROOT" && "$HW" probe check --json) > checks/probe.json || true
  (cd "$ROOT" && "$HW" plan --model planner/models/llama-3.1-8b.json --gpu 'H100 SXM' \
    --sweep 'ctx=1k..8k batch=1..4' --json) > checks/sweep-a.json
  "$HW" -q site --checks checks -o out
  # HTML Tidy 5.6 predates aria-current (ARIA 1.1): that one is not a fault
  for f in out/*.html out/fr/*.html out/src/*.html; do
    tidy -e -q "$f" 2>&1 | grep -v 'proprietary attribute "aria-current"' |
      sed "s|^|$f: |"
  done > tidy.txt
  [ ! -s tidy.txt ] || { head -20 tidy.txt; return 1; }
}

# Verifies: FR-SITE-001
test_site_shows_planner_and_probe_tabs_only_with_data() {
  site_repo
  run "$HW" site --checks checks -o out
  expect_rc 0
  ! grep -q '<li><a href="planner.html"' out/index.html || return 1
  ! grep -q '<li><a href="probes.html"' out/index.html || return 1
  grep -q '<li><a href="ledger.html"' out/index.html
  [ -s out/planner.html ] # the page stays, for the dashboard's card
  (cd "$ROOT" && "$HW" plan check --json) > checks/plan.json
  run "$HW" site --checks checks -o out
  expect_rc 0
  grep -q '<li><a href="planner.html"' out/index.html
  ! grep -q '<li><a href="probes.html"' out/index.html || return 1
}

# Verifies: FR-SITE-001
test_site_counts_waivers_apart_and_shows_why_who_and_until_when() {
  local f
  site_repo
  cat > traceability/policy.json <<'JSON'
{"schema": "hwledger.policy/1", "waivers": [{"fr": "FR-APP-002",
  "reason": "the CLI <test> needs a board", "expires": "2099-12-31", "by": "Q. Lead"}]}
JSON
  "$HW" trace --results results.xml --results results.tap --lcov app.info \
    --format json -o checks/trace.json
  jq -e '.summary.approved_verified == 2' checks/trace.json >/dev/null
  run "$HW" site --checks checks -o out
  expect_rc 0
  grep -q '1 verified + 1 waived of 2</p>' out/index.html
  grep -q '1 verified + 1 waived of 2 approved FRs' out/matrix.html
  ! grep -q '2/2' out/index.html || return 1
  for f in out/index.html out/fr/FR-APP-002.html; do
    grep -q 'the CLI &lt;test&gt; needs a board <small>(granted by Q. Lead; expires 2099-12-31)' "$f" ||
      { echo "$f: no waiver"; return 1; }
  done
  # the gate passed, yet the FR card is green only because 2 of 2 are
  # verified or waived
  grep -q 'data-check="trace" data-verdict="pass"><span class="badge st-pass">' out/index.html
  # "by" is a name, or a bad input at the waiver's line
  sed -i 's/"Q. Lead"/7/' traceability/policy.json
  run "$HW" trace --results results.xml --format json
  expect_rc 2
  expect_err 'traceability/policy.json:1: the waiver for FR-APP-002: "by" must be a string'
}

# Verifies: FR-SITE-001
test_site_sast_page_says_what_each_finding_is_and_names_a_file_once() {
  site_repo
  cat > checks/sast.json <<'JSON'
{"schema": "hwledger.sast/1", "total": 3, "new": 1, "findings": [
 {"tool": "cppcheck", "rule": "nullPointer", "severity": "error", "file": "src/app.c",
  "line": 3, "message": "null", "frs": [], "group": 0, "suppressed": false,
  "in_baseline": false, "new": true},
 {"tool": "flawfinder", "rule": "FF1001", "severity": "warning", "file": "src/b.c",
  "line": 9, "message": "buffer", "frs": [], "group": 1, "suppressed": false,
  "in_baseline": false, "new": true},
 {"tool": "gcc", "rule": "analyzer-null", "severity": "error", "file": "src/app.c",
  "line": 3, "message": "null again", "frs": [], "group": 0, "suppressed": false,
  "in_baseline": false, "new": false}]}
JSON
  run "$HW" site --checks checks -o out
  expect_rc 0
  [ "$(grep -c '<h3>src/app.c</h3>' out/sast.html)" = 1 ]
  grep -q 'st-duplicate">duplicate' out/sast.html
  ! grep -q 'baseline' out/sast.html || return 1   # there is none
  ! grep -q 'baseline' out/index.html || return 1
  grep -q '3 findings; 1 count toward the gate' out/sast.html
  grep -q 'duplicates <strong>1</strong>' out/index.html
  jq '.findings[1].in_baseline = true | .findings[1].new = false | .new = 1' checks/sast.json > s.json
  mv s.json checks/sast.json
  run "$HW" site --checks checks -o out
  grep -q '1 are in the baseline' out/sast.html
  grep -q 'st-baseline">baseline' out/sast.html
  # a baseline holds duplicates too (on cJSON, 5 of 45): one stays a
  # duplicate, counted as `hwledger sast` counts it, not as a third error
  jq '.findings[2].in_baseline = true' checks/sast.json > s.json
  mv s.json checks/sast.json
  run "$HW" site --checks checks -o out
  expect_rc 0
  grep -q 'st-duplicate">duplicate' out/sast.html
  grep -q '<li>error <strong>1</strong></li>' out/index.html
  grep -q 'duplicates <strong>1</strong>' out/index.html
}

# Verifies: FR-REPORT-001, FR-SITE-001
test_site_of_a_report_shows_its_lcov_coverage_and_the_ledgers_counts() {
  local page msg
  report_repo
  "$HW" -q report "${REPORT_INPUTS[@]}" >/dev/null 2>&1 || true
  "$HW" -q report "${REPORT_INPUTS[@]}" >/dev/null 2>&1 || true
  # the source view shows the coverage the FR figures came from (--lcov)
  page=$(grep -l '<title>src/app.c ' build/site/src/*.html)
  grep -q 'class="h"' "$page"
  ! grep -q 'No coverage data' "$page" || return 1
  # the ledger card says what `ledger verify` says of the whole ledger
  run "$HW" ledger verify --key build/checks/signing-key.pub
  expect_rc 0
  msg=$(sed -n 's/^ledger verify: ok — //p' <<<"$OUT")
  [ -n "$msg" ] && grep -qF "<p>$msg</p>" build/site/index.html ||
    { echo "ledger verify says '$msg'; the card: $(grep -o 'aria-label="Ledger".*' build/site/index.html | head -c 400)"; return 1; }
  run "$HW" verify-report --key build/checks/signing-key.pub build/site
  expect_rc 0
}

# A --glossary file the user named but misspelt was rendered as a site
# with no term defined, exit 0, nothing said. It is refused, nothing
# written; the default glossary may be missing.
# Verifies: FR-SITE-001
test_site_refuses_a_named_glossary_that_is_not_there() {
  site_repo
  run "$HW" site --checks checks --glossary specs/glosary.md -o out
  expect_rc 2
  expect_err "hwledger: specs/glosary.md: no such file (--glossary names the glossary, specs/glossary.md by default)"
  [ ! -e out ]
  run "$HW" site --checks checks --glossary specs/glossary.md -o out
  expect_rc 0
  expect_out "1 glossary term)"
  # the default: no glossary written yet
  rm -rf specs out
  run "$HW" site --checks checks -o out
  expect_rc 0
  expect_out "0 glossary terms)"
}
