# tests/cli/test_diff.sh — `hwledger diff A B` between two signed reports of
# the trace fixture under git: every section of the text, JSON and Markdown
# forms, regressions first, and the sides that must not be compared (not
# signed, changed after signing, not a report at all).

DIFF_INPUTS=(--results results.xml --results results.tap --lcov app.info)

# The fixture with a third FR, FR-APP-009, that B removes; a failing
# test_add (FR-APP-001 failing) that B fixes.
diff_repo() {
  cp -r "$FIXTURES/trace/ours" repo && cd repo
  mkdir -p build traceability
  printf '[{"directory": "%s", "file": "src/app.c", "command": "cc -std=c11 -c src/app.c -o build/app.o"}]\n' \
    "$PWD" > build/compile_commands.json
  printf 'build/\n.hwledger/\n' > .gitignore
  printf '\n## FR-APP-009: Old feature\nRev: 1\nStatus: draft\nNeeds: impl\n\nGone in B.\n' >> frs/app.md
  sed -i 's|<testcase name="test_add" time="0.000" ></testcase>|<testcase name="test_add" time="0.000" ><failure message="no"/></testcase>|' results.xml
  "$HW" -q sast --tool all --baseline traceability/sast-baseline.json --update-baseline >/dev/null
  git init -q . && git add -A && git -c user.name=t -c user.email=t@t commit -qm A
  "$HW" -q report "${DIFF_INPUTS[@]}" -o A >/dev/null 2>&1 || true
}

# B: FR-APP-001 reworded and its test fixed, FR-APP-002's test failing (a
# regression) and its coverage lower, FR-APP-003 added, FR-APP-009 removed,
# and a strcpy that two analyzers find.
diff_change() {
  sed -i 's/The library adds two integers./The library adds two integers\nwithout overflow./' frs/app.md
  sed -i '/^## FR-APP-009/,$d' frs/app.md
  printf '## FR-APP-003: Negate a number\nRev: 1\nStatus: draft\nNeeds: impl\n\nThe library negates.\n' >> frs/app.md
  sed -i -e 's|<failure message="no"/>||' \
    -e 's|<testcase name="test_twice" time="0.000" ></testcase>|<testcase name="test_twice" time="0.000" ><failure message="no"/></testcase>|' results.xml
  sed -i 's/^DA:10,1$/DA:10,0/; s/^LH:4$/LH:3/' app.info
  # untagged, so that its finding is no FR's defect
  printf '#include <string.h>\nvoid copy(char *d, const char *s)\n{\n\tstrcpy(d, s);\n}\n' >> src/app.c
  git -c user.name=t -c user.email=t@t commit -qam B
  "$HW" -q report "${DIFF_INPUTS[@]}" -o B >/dev/null 2>&1 || true
}

# Verifies: FR-REPORT-003
test_diff_shows_every_change_regressions_first() {
  diff_repo
  diff_change
  run "$HW" diff A B --allow-untrusted
  expect_rc 1
  expect_out "A: A, commit $(git rev-parse HEAD~1 | cut -c1-12), signed by local (not trusted); 1/2 approved FRs verified"
  expect_out "B: B, commit $(git rev-parse HEAD | cut -c1-12), signed by local (not trusted); 1/2 approved FRs verified"
  expect_out "regressions (1):
  FR-APP-002: verified -> failing (regression)
added (1):
  FR-APP-003: Negate a number (uncovered)
removed (1):
  FR-APP-009: Old feature (uncovered)
reworded (1):
  FR-APP-001: Add two numbers
    @@ -1,3 +1,4 @@
     Add two numbers
     
    -The library adds two integers.
    +The library adds two integers
    +without overflow.
re-levelled (0):
re-parented (0):
status changes (2, regressions first):
  FR-APP-002: verified -> failing (regression)
  FR-APP-001: failing -> verified
coverage: 100.0% (4/4) -> "
  expect_out "  FR-APP-002: 100.0% (2/2) -> 50.0% (1/2)"
  expect_out "sast findings: 2 new, 0 fixed"
  expect_out "  new: src/app.c:15: Flawfinder FF1001: buffer/strcpy"
  expect_out "defects: 1 new, 1 fixed"
  expect_out "  new: failing-test-"
  expect_out "test_twice() verifies FR-APP-002 and failed"
  expect_out "test_add() verifies FR-APP-001 and failed"
  # the same diff as JSON, and a file written with -o
  run "$HW" diff A B --allow-untrusted --format json -o diff.json
  expect_rc 1
  expect_no_out
  jq -e '.schema == "hwledger.diff/1" and .regressions == 1 and .words == "text"
    and ([.status[] | [.id, .regression]] == [["FR-APP-002", true], ["FR-APP-001", false]])
    and ([.added[].id] == ["FR-APP-003"]) and ([.removed[].id] == ["FR-APP-009"])
    and ([.reworded[].id] == ["FR-APP-001"]) and (.reworded[0].diff | test("^@@ -1,3 \\+1,4 @@"))
    and .relevelled == [] and .reparented == []
    and .coverage.frs == [{"id": "FR-APP-002", "from": {"hit": 2, "lines": 2}, "to": {"hit": 1, "lines": 2}}]
    and .sast.compared == true and (.sast.new | length) == 2 and .sast.fixed == []
    and (.defects.new | length) == 1 and (.defects.fixed | length) == 1
    and .a.commit != .b.commit and .b.trusted == false' diff.json >/dev/null
  # Markdown: the table and the regression
  run "$HW" diff A B --allow-untrusted --format md
  expect_rc 1
  expect_out "## hwledger diff: 1 regression"
  expect_out "| approved FRs verified | 1/2 | 1/2 |"
  expect_out "| reworded | 1 |"
  expect_out "| SAST findings new / fixed | 2 / 0 |"
  expect_out "### Regressions

- \`FR-APP-002\` Double a number: verified"
  # nothing changed: exit 0, empty sections; the signer given as trusted
  run "$HW" diff --key B/ledger/bundle/keys B B
  expect_rc 0
  expect_out "regressions (0):"
  expect_out "sast findings: 0 new, 0 fixed"
}

# A waiver counts for a side's share but is no verification: the diff says
# "verified or waived" and how many, as trace and gate do.
# Verifies: FR-REPORT-003
test_diff_says_a_waived_fr_apart_from_the_verified() {
  diff_repo
  mkdir -p traceability
  printf '{"schema": "hwledger.policy/1", "waivers": [{"fr": "FR-APP-001", "reason": "known flaky", "expires": "2099-01-01"}]}\n' \
    > traceability/policy.json
  git add traceability/policy.json && git -c user.name=t -c user.email=t@t commit -qm waiver
  "$HW" -q report "${DIFF_INPUTS[@]}" -o W >/dev/null 2>&1 || true
  run "$HW" diff A W --allow-untrusted
  expect_out "; 1/2 approved FRs verified
B: W,"
  expect_out "; 2/2 approved FRs verified or waived (1 waived)"
  run "$HW" diff A W --allow-untrusted --format md
  expect_out "| approved FRs verified or waived | 1/2 | 2/2 (1 waived) |"
  run "$HW" diff A W --allow-untrusted --format json
  jq -e '.a.approved_waived == 0 and .b.approved_waived == 1
    and .b.approved_verified == 2' <<<"$OUT" >/dev/null
}

# A signed site rendered from FR documents that no longer hold an FR of
# its trace.json: that FR's text is unknown on that side, so its titles
# alone are compared, and the same trace is no rewording.
# Verifies: FR-REPORT-003
test_diff_an_fr_that_frs_json_lacks_is_not_reworded() {
  diff_repo
  sed -i '/^## FR-APP-009/,$d' frs/app.md
  "$HW" -q site --checks build/checks --sign -o X >/dev/null 2>&1
  jq -e '[.frs[].id] | index("FR-APP-009") == null' X/evidence/frs.json >/dev/null
  jq -e '[.frs[].id] | index("FR-APP-009") != null' X/evidence/trace.json >/dev/null
  run "$HW" diff A X --allow-untrusted
  expect_rc 0
  grep -qxF 'reworded (0):' <<<"$OUT" || { echo "$OUT"; return 1; }
}

# Verifies: FR-REPORT-003
test_diff_markdown_caps_long_lists() {
  diff_repo
  # twelve approved FRs, verified in A, gone uncovered in B (their tags
  # are removed): twelve regressions, ten listed
  line=$(wc -l < src/app.c)
  printf 'TN:\nSF:src/app.c\n' > more.info
  for i in $(seq 10 21); do
    printf '\n## FR-APP-%03d: Feature %d\nRev: 1\nStatus: approved\nNeeds: impl\n\nIt works.\n' "$i" "$i" >> frs/app.md
    printf '/* Implements: FR-APP-%03d */\nint f%d(void)\n{\n\treturn %d;\n}\n' "$i" "$i" "$i" >> src/app.c
    printf 'DA:%d,1\nDA:%d,1\n' $((line + 2)) $((line + 4)) >> more.info
    line=$((line + 5))
  done
  echo end_of_record >> more.info
  DIFF_INPUTS+=(--lcov more.info)
  git -c user.name=t -c user.email=t@t commit -qam more
  "$HW" -q report "${DIFF_INPUTS[@]}" -o A >/dev/null 2>&1 || true
  sed -i '/Implements: FR-APP-0[12]/d' src/app.c
  git -c user.name=t -c user.email=t@t commit -qam fewer
  "$HW" -q report "${DIFF_INPUTS[@]}" -o B >/dev/null 2>&1 || true
  run "$HW" diff A B --allow-untrusted --format md
  expect_rc 1
  expect_out "## hwledger diff: 12 regressions"
  expect_out "- and 2 more"
  [ "$(grep -c '^- `FR-APP-0' <<<"$OUT")" = 10 ] || { echo "not 10 listed"; return 1; }
}

# Verifies: FR-REPORT-003
test_diff_refuses_an_unsigned_changed_or_untrusted_side() {
  diff_repo
  cp -r A B
  # a byte of B's trace.json changed after signing: exit 1, named
  size=$(stat -c %s B/evidence/trace.json)
  printf 'Z' | dd of=B/evidence/trace.json bs=1 seek=$((size / 2)) conv=notrunc status=none
  run "$HW" diff A B --allow-untrusted -o out.txt
  expect_rc 1
  expect_err "hwledger: diff FAILED: B (B): evidence/trace.json: changed after rendering"
  [ ! -e out.txt ] || { echo "out.txt written"; return 1; }
  # truncated JSON is a changed file too: the signature is checked first
  rm -rf B && cp -r A B && head -c 100 A/evidence/trace.json > B/evidence/trace.json
  run "$HW" diff A B --allow-untrusted
  expect_rc 1
  expect_err "diff FAILED: B (B): evidence/trace.json: changed after rendering"
  expect_no_out
  # an unsigned report (A's side this time)
  "$HW" -q report "${DIFF_INPUTS[@]}" --unsigned -o U >/dev/null 2>&1 || true
  run "$HW" diff U A --allow-untrusted
  expect_rc 1
  expect_err "diff FAILED: A (U): U: no signed manifest"
  # a signer nobody trusts, unless --allow-untrusted or --key
  run "$HW" diff A A
  expect_rc 1
  expect_err "diff FAILED: A (A): signed by local, a key not in traceability/trusted_keys"
  run "$HW" diff A A --key A/ledger/bundle/keys
  expect_rc 0
  expect_out "signed by local (trusted)"
}

# diff verifies what it reads: the manifest's signature, and each evidence
# file it reads against it. A changed page changes nothing diff reports
# (it read every page and failed on it), while verify-report, the full
# check, still fails on it; an evidence file missing is exit 1.
# Verifies: FR-REPORT-003
test_diff_reads_the_signed_evidence_and_ignores_a_changed_page() {
  diff_repo
  diff_change
  run "$HW" diff A B --allow-untrusted --format json
  expect_rc 1
  local want=$OUT
  sed -i 's|</title>| (changed)</title>|' B/index.html
  grep -qF ' (changed)</title>' B/index.html
  run "$HW" diff A B --allow-untrusted --format json
  expect_rc 1
  [ "$OUT" = "$want" ] || { echo "the diff changed: $OUT"; return 1; }
  run "$HW" verify-report B --allow-untrusted
  expect_rc 1
  expect_err "index.html: changed after rendering"
  # an evidence file the manifest lists, gone
  mv B/evidence/sast.json sast.json
  run "$HW" diff A B --allow-untrusted
  expect_rc 1
  expect_err "hwledger: diff FAILED: B (B): evidence/sast.json: missing"
  expect_no_out
  # one the manifest does not list (a report without SAST), added
  mkdir none
  "$HW" -q report "${DIFF_INPUTS[@]}" --sast-reports none -o C >/dev/null 2>&1 || true
  [ ! -e C/evidence/sast.json ]
  run "$HW" diff C C --allow-untrusted
  expect_rc 0
  cp sast.json C/evidence/sast.json
  run "$HW" diff A C --allow-untrusted
  expect_rc 1
  expect_err "hwledger: diff FAILED: B (C): evidence/sast.json: not in the manifest (added after rendering)"
}

# Verifies: FR-REPORT-003
test_diff_bad_input_exits_2_and_writes_nothing() {
  diff_repo
  mkdir notreport && echo hi > notreport/readme.txt
  run "$HW" diff A notreport --allow-untrusted -o out.txt
  expect_rc 2
  expect_err "hwledger: notreport: not a report folder of 'hwledger report' nor a ledger bundle"
  run "$HW" diff /nonexistent A --allow-untrusted -o out.txt
  expect_rc 2
  expect_err "/nonexistent: no such folder"
  # a file that is there is no side, nor a missing folder
  run "$HW" diff notreport/readme.txt A --allow-untrusted -o out.txt
  expect_rc 2
  expect_err "hwledger: notreport/readme.txt: not a folder: each side is a report folder, a ledger bundle or a git revision"
  [ ! -e out.txt ] || { echo "out.txt written"; return 1; }
  # a signed report whose trace check did not run (an error: a results
  # file that is not there) has no trace.json
  "$HW" -q report "${DIFF_INPUTS[@]}" --results nothing.xml -o T >/dev/null 2>&1 || true
  run "$HW" diff A T --allow-untrusted
  expect_rc 2
  expect_err "hwledger: T/evidence/trace.json: missing"
  # and its bundle's latest trace event has no result
  run "$HW" diff A T/ledger/bundle --allow-untrusted
  expect_rc 2
  expect_err "hwledger: T/ledger/bundle/events.jsonl: no trace result in the bundle"
  expect_no_out
  run "$HW" diff A
  expect_rc 2
  expect_err "needs two reports (folders or git revisions)"
  run "$HW" diff A A A
  expect_rc 2
  run "$HW" diff A A --format html
  expect_rc 2
  expect_err "--format needs text, json or md, not 'html'"
  run "$HW" diff A A --bogus x
  expect_rc 2
  expect_err "unknown argument '--bogus'"
  run "$HW" diff --help
  expect_rc 0
  expect_out "usage: hwledger diff A B"
}

# Verifies: FR-REPORT-003
test_diff_compares_two_ledger_bundles_by_status() {
  local want
  diff_repo
  diff_change
  "$HW" -q ledger export --bundle exported
  # the bundles of the two sites, and one exported from the ledger: the
  # statuses of each side's latest trace event
  run "$HW" diff A/ledger/bundle exported --key A/ledger/bundle/keys
  expect_rc 1
  expect_out "B: exported, commit $(git rev-parse HEAD | cut -c1-12), signed by local (trusted); 1/2 approved FRs verified"
  expect_out "regressions (1):
  FR-APP-002: verified -> failing (regression)
added (1):
  FR-APP-003 (uncovered)
removed (1):
  FR-APP-009 (uncovered)
reworded (0), not compared (a ledger event keeps no words, levels or parents):"
  expect_out "  FR-APP-001: failing -> verified"
  # what a ledger event does not keep is said as not compared, never as
  # 0 changes (each line checked whole: expect_out matches any one line)
  while IFS= read -r want; do
    grep -qxF -- "$want" <<<"$OUT" || { echo "lacks: $want"; echo "$OUT"; return 1; }
  done <<'WANT'
reworded (0), not compared (a ledger event keeps no words, levels or parents):
re-levelled (0), not compared (a ledger event keeps no words, levels or parents):
re-parented (0), not compared (a ledger event keeps no words, levels or parents):
WANT
  expect_out "coverage: not compared (a ledger event keeps none)"
  expect_out "defects: not compared (a ledger event keeps none)"
  # nor does the Markdown
  run "$HW" diff A/ledger/bundle exported --key A/ledger/bundle/keys --format md
  expect_rc 1
  while IFS= read -r want; do
    grep -qxF -- "$want" <<<"$OUT" || { echo "lacks: $want"; echo "$OUT"; return 1; }
  done <<'WANT'
| reworded | not compared |
| re-levelled | not compared |
| re-parented | not compared |
| status changes | 2 |
| coverage changes | not compared |
| defects | not compared |
WANT
  # a site against a bundle: what both keep
  run "$HW" diff A B/ledger/bundle --allow-untrusted --format json
  expect_rc 1
  jq -e '.words == "none" and .regressions == 1 and .coverage.compared == false
    and .defects.compared == false and .sast.compared == false
    and ([.removed[] | [.id, .title]] == [["FR-APP-009", "Old feature"]])' <<<"$OUT" >/dev/null
  # a changed event in a bundle fails its side
  cp -r B/ledger/bundle changed
  sed -i '0,/"kind":"trace"/s//"kind":"trice"/' changed/events.jsonl
  cmp -s changed/events.jsonl B/ledger/bundle/events.jsonl && { echo "nothing changed"; return 1; }
  run "$HW" diff A/ledger/bundle changed --allow-untrusted
  expect_rc 1
  expect_err "hwledger: diff FAILED: B (changed): changed: "
  expect_no_out
}

# Two git revisions: each side is the latest signed trace of its commit in
# the repository's ledger, which is verified first; a run with uncommitted
# changes is not the revision.
# Verifies: FR-REPORT-003
test_diff_compares_two_git_revisions_from_the_ledger() {
  diff_repo
  # the sites of the runs stay out of the tree, so that B's run is clean
  printf 'A/\nB/\n' >> .gitignore
  diff_change
  run "$HW" diff HEAD~1 HEAD --allow-untrusted
  expect_rc 1
  expect_out "A: HEAD~1 (.hwledger/ledger.db event 1), commit $(git rev-parse HEAD~1 | cut -c1-12), signed by local (not trusted); 1/2 approved FRs verified"
  expect_out "B: HEAD (.hwledger/ledger.db event 6), commit $(git rev-parse HEAD | cut -c1-12), signed by local (not trusted); 1/2 approved FRs verified"
  expect_out "regressions (1):
  FR-APP-002: verified -> failing (regression)
added (1):
  FR-APP-003 (uncovered)
removed (1):
  FR-APP-009 (uncovered)"
  expect_out "  FR-APP-001: failing -> verified"
  expect_out "coverage: not compared (a ledger event keeps none)"
  # a revision and a report folder
  run "$HW" diff A HEAD --allow-untrusted --format json
  expect_rc 1
  jq -e --arg c "$(git rev-parse HEAD)" '.regressions == 1 and .words == "none"
    and .b.commit == $c and .b.dir == "HEAD (.hwledger/ledger.db event 6)"' <<<"$OUT" >/dev/null
  # the local key is in no trusted list: the ledger does not verify
  run "$HW" diff HEAD~1 HEAD
  expect_rc 1
  expect_err "hwledger: diff FAILED: A (HEAD~1): .hwledger/ledger.db: event 0: signed by key id "
  expect_no_out
  # trusting it with --key FILE
  run "$HW" diff HEAD~1 HEAD --key .hwledger/keys/local.pub --format md
  expect_rc 1
  expect_out "FR-APP-002"
  # neither a folder nor a revision
  run "$HW" diff nosuch HEAD --allow-untrusted
  expect_rc 2
  expect_err "hwledger: nosuch: no such folder, nor a git revision of this repository"
  # a commit without a report, then one reported only with changes in the tree
  git -c user.name=t -c user.email=t@t commit -q --allow-empty -m C
  run "$HW" diff HEAD~1 HEAD --allow-untrusted
  expect_rc 2
  expect_err "hwledger: .hwledger/ledger.db: no signed trace result of HEAD (commit $(git rev-parse HEAD | cut -c1-12)): run 'hwledger report' at that revision"
  echo '/* changed */' >> src/app.c
  "$HW" -q report "${DIFF_INPUTS[@]}" -o C >/dev/null 2>&1 || true
  run "$HW" diff HEAD~1 HEAD --allow-untrusted -o out.txt
  expect_rc 2
  expect_err "no signed trace result of HEAD (commit $(git rev-parse HEAD | cut -c1-12)), only of trees with uncommitted changes"
  [ ! -e out.txt ] || { echo "out.txt written"; return 1; }
}

# The first signed report has no earlier trace event: its Changes page says
# there is nothing to compare, and no changes.json is published; an
# unsigned report is not compared with the ledger.
# Verifies: FR-REPORT-004
test_report_changes_page_first_report_has_nothing_to_compare() {
  diff_repo
  [ -f A/changes.html ] || { echo "no changes.html"; return 1; }
  grep -qF 'First report: nothing to compare' A/changes.html ||
    { echo "changes.html does not say nothing to compare"; return 1; }
  [ ! -e A/evidence/changes.json ] || { echo "changes.json in the first report"; return 1; }
  [ ! -e build/checks/changes.json ] || { echo "changes.json in the checks"; return 1; }
  grep -qF 'href="changes.html"' A/index.html || { echo "dashboard does not link to it"; return 1; }
  run "$HW" verify-report A --allow-untrusted
  expect_rc 0
  "$HW" -q report "${DIFF_INPUTS[@]}" --unsigned -o U >/dev/null 2>&1 || true
  grep -qF 'an unsigned report is not compared with the ledger' U/changes.html ||
    { echo "unsigned report's changes.html"; return 1; }
}

# The second report compares its trace with the first's signed trace event:
# the regression first, then the FR added, the FR removed and the other
# status change; changes.json is signed through the manifest.
# Verifies: FR-REPORT-004
test_report_changes_page_shows_the_regression_first() {
  diff_repo
  diff_change
  jq -e '.schema == "hwledger.diff/1" and .regressions == 1 and .words == "none"
    and ([.status[] | [.id, .from, .to, .regression]] ==
         [["FR-APP-002", "verified", "failing", true], ["FR-APP-001", "failing", "verified", false]])
    and ([.added[] | [.id, .title]] == [["FR-APP-003", "Negate a number"]])
    and ([.removed[].id] == ["FR-APP-009"])
    and .a.commit == "'"$(git rev-parse HEAD~1)"'" and .b.commit == "'"$(git rev-parse HEAD)"'"
    and (.a.dir | test("^\\.hwledger/.*\\(event [0-9]+\\)$"))' B/evidence/changes.json >/dev/null ||
    { echo "changes.json:"; cat B/evidence/changes.json; return 1; }
  cmp -s B/evidence/changes.json build/checks/changes.json || { echo "not the checks' changes.json"; return 1; }
  jq -e '[.files[].path] | index("evidence/changes.json") and index("changes.html")' \
    B/manifest.json >/dev/null || { echo "changes.json or changes.html not in the manifest"; return 1; }
  # the sections in order, each FR in its own: regressions first
  run grep -oE '<h2 id="[a-z]+">[A-Za-z ]+ \([0-9]+\)</h2>|<a href="fr/FR-APP-00[0-9].html">|>FR-APP-009<' B/changes.html
  expect_out '<h2 id="regressions">Regressions (1)</h2>
<a href="fr/FR-APP-002.html">
<h2 id="added">Added (1)</h2>
<a href="fr/FR-APP-003.html">
<h2 id="removed">Removed (1)</h2>
>FR-APP-009<
<h2 id="status">Other status changes (1)</h2>
<a href="fr/FR-APP-001.html">'
  grep -qF 'Not compared: the texts, coverage, SAST findings and defects' B/changes.html ||
    { echo "does not say what is not compared"; return 1; }
  run "$HW" verify-report B --allow-untrusted
  expect_rc 0
  # a changed byte of changes.json fails the report
  sed -i 's/"FR-APP-002"/"FR-APP-003"/' B/evidence/changes.json
  cmp -s B/evidence/changes.json build/checks/changes.json && { echo "nothing changed"; return 1; }
  run "$HW" verify-report B --allow-untrusted
  expect_rc 1
  expect_err "evidence/changes.json: changed after rendering"
}
