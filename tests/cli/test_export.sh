# tests/cli/test_export.sh — `hwledger export`: the matrix as CSV and XLSX
# (read back: the CSV's fields, the XLSX's sheet XML through unzip), the
# printable specification as HTML and PDF (read back with pdfinfo and
# pdftotext), bad input, and the exports in a signed report's site.

EXPORT_INPUTS=(--results results.xml --results results.tap --lcov app.info)

# The trace fixture with a requirement whose title is a formula.
export_repo() {
  cp -r "$FIXTURES/trace/ours" repo && cd repo
  printf '\n## FR-APP-003: =HYPERLINK("http://example.invalid","click")\nRev: 1\nStatus: draft\nNeeds: impl\n\nA title that a spreadsheet must not evaluate.\n' >> frs/app.md
}

# the CSV field of column $2 (1-based) in the line of $1: fields are quoted
# and no field of the fixture holds a comma inside quotes but the ones read
csv_field() {
  grep -F "\"$1\"" "$3" | python3 -c '
import csv, sys
print(next(csv.reader(sys.stdin))[int(sys.argv[1]) - 1])' "$2"
}

# Verifies: FR-EXPORT-001
test_export_csv_forward_and_reverse_neutralise_formulas() {
  export_repo
  run "$HW" export --format csv -o m.csv "${EXPORT_INPUTS[@]}"
  expect_rc 0
  # RFC 4180: CRLF line ends, every field quoted, the header first
  head -1 m.csv | od -c | grep -q '\\r  \\n'
  head -1 m.csv | grep -q '^"ID","Level","Title","Requirement status","Rev","Parents","Status","Reason","Functions","Tests","Results","Coverage","SAST findings","Suspect links","Waiver"'
  [ "$(csv_field FR-APP-001 7 m.csv)" = verified ]
  [ "$(csv_field FR-APP-001 9 m.csv)" = "src/app.c:add" ]
  [ "$(csv_field FR-APP-001 10 m.csv)" = "test_add: pass" ]
  [ "$(csv_field FR-APP-002 11 m.csv)" = "2/2 passed" ]
  csv_field FR-APP-001 12 m.csv | grep -q '^[0-9]*/[0-9]* lines ([0-9.]*%)$'
  # the formula is text: an apostrophe first, the quotes doubled
  grep -qF '"FR-APP-003","default","'"'"'=HYPERLINK(""http://example.invalid"",""click"")"' m.csv
  run "$HW" export --format csv --reverse -o r.csv "${EXPORT_INPUTS[@]}"
  expect_rc 0
  head -1 r.csv | grep -q '^"Kind","File","Line","Function","Requirements","Result"'
  grep -q '^"function","src/app.c","[0-9]*","add","FR-APP-001",""' r.csv
  grep -q '^"test","tests/test_app.c","[0-9]*","test_twice","FR-APP-002","pass"' r.csv
  # the reverse matrix lists the tests that name no requirement
  printf 'void test_orphan(void)\n{\n}\n' >> tests/test_app.c
  run "$HW" export --format csv --reverse -o r2.csv "${EXPORT_INPUTS[@]}"
  expect_rc 0
  grep -q '^"test","tests/test_app.c","[0-9]*","","","test test_orphan() names no FR' r2.csv
}

# A tag above a prototype is outside any function: every matrix names it
# as the site does, not "(file)" in one and an empty cell in another.
# Verifies: FR-EXPORT-001
test_export_names_a_tag_outside_a_function_as_the_site_does() {
  export_repo
  { printf '/* Implements: FR-APP-001 */\nint add(int a, int b);\n\n'; sed '1d' src/app.c; } > app.c
  mv app.c src/app.c
  run "$HW" export --format csv -o f.csv "${EXPORT_INPUTS[@]}"
  expect_rc 0
  [ "$(csv_field FR-APP-001 9 f.csv)" = "src/app.c:(outside a function)" ] ||
    { echo "Functions: $(csv_field FR-APP-001 9 f.csv)"; return 1; }
  run "$HW" export --format csv --reverse -o r.csv "${EXPORT_INPUTS[@]}"
  expect_rc 0
  grep -qF '"function","src/app.c","1","(outside a function)","FR-APP-001",""' r.csv ||
    { cat r.csv; return 1; }
}

# Verifies: FR-EXPORT-001
test_export_xlsx_has_four_sheets_frozen_filtered_and_text_only() {
  export_repo
  run "$HW" export --format xlsx -o m.xlsx "${EXPORT_INPUTS[@]}"
  expect_rc 0
  unzip -p m.xlsx xl/workbook.xml > wb.xml
  for s in Requirements "Reverse matrix" Defects Signature; do
    grep -qF "<sheet name=\"$s\"" wb.xml || { echo "no sheet $s"; return 1; }
  done
  unzip -p m.xlsx xl/worksheets/sheet1.xml > s1.xml
  grep -q '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' s1.xml
  grep -q '<autoFilter ref="A1:O4"/>' s1.xml
  # an empty field is no cell: the only blank cells are statuses (column G)
  grep -q '<c r="G[0-9]*" s="[0-9]*" t="s">' s1.xml
  ! grep -Eq '<c r="[A-FH-O][0-9]+" s="[0-9]+"/>' s1.xml || return 1
  [ "$(grep -o '<c r="[A-O]3"' s1.xml | wc -l)" -lt 15 ]
  # every cell a string: no formula anywhere
  ! unzip -p m.xlsx 'xl/worksheets/*.xml' | grep -q '<f>' || return 1
  unzip -p m.xlsx xl/sharedStrings.xml > ss.xml
  grep -qF '<t>=HYPERLINK("http://example.invalid","click")</t>' ss.xml ||
    grep -qF '<t>=HYPERLINK(&quot;http://example.invalid&quot;,&quot;click&quot;)</t>' ss.xml
  # status colours: verified green
  unzip -p m.xlsx xl/styles.xml | grep -q 'rgb="FFC6EFCE"'
  # an export of no signed report says so on its Signature sheet
  grep -qF 'no: exported from evidence that no signed report covers' ss.xml
  # same evidence, same bytes
  run "$HW" export --format xlsx -o m2.xlsx --today 2026-01-02 "${EXPORT_INPUTS[@]}"
  run "$HW" export --format xlsx -o m3.xlsx --today 2026-01-02 "${EXPORT_INPUTS[@]}"
  cmp m2.xlsx m3.xlsx
}

# A hostile trace.json (found by fuzz_export): a defect without a
# message, a requirement without an ID but with links, are no crash.
# Verifies: FR-EXPORT-001
test_export_trace_without_messages_or_ids_is_no_crash() {
  mkdir ev
  printf '{"schema": "hwledger.trace/1", "frs": [{"id": "FR-A"}, {"links": [{"kind": "impl", "file": "a.c", "function": "f", "line": 3}]}],\n "defects": [{"fr": "FR-A", "kind": "sast-error"}, {"fr": "FR-A", "kind": "sast-error", "message": "m"}]}\n' > ev/trace.json
  run "$HW" export --format csv --checks ev -o e.csv
  expect_rc 0
  [ "$(csv_field FR-A 13 e.csv)" = m ]
  run "$HW" export --format csv --reverse --checks ev -o r.csv
  expect_rc 0
  grep -qF '"function","a.c","3","f","",""' r.csv
}

# Numbers a hostile trace.json gives that no count is (found by
# fuzz_export: converting them was undefined) are no number in a cell; a
# waiver without its strings is what it has.
# Verifies: FR-EXPORT-001
test_export_trace_numbers_out_of_range_are_no_counts() {
  mkdir ev
  printf '{"schema": "hwledger.trace/1", "frs": [{"id": "FR-A", "rev": 1e300, "tests": -1e300, "waiver": {"reason": "r"}, "coverage": {"known": true}},\n {"id": "FR-B", "waiver": {}, "coverage": {"known": true, "hit": 5, "lines": 2}},\n {"id": "FR-C", "coverage": {"known": true, "hit": 1, "lines": 4}}],\n "defects": [{"kind": "orphan-test", "line": 1e300}]}\n' > ev/trace.json
  run "$HW" export --format csv --checks ev -o e.csv
  expect_rc 0
  [ "$(csv_field FR-A 5 e.csv)" = "" ]
  [ "$(csv_field FR-A 11 e.csv)" = "0/0 passed" ]
  [ "$(csv_field FR-A 15 e.csv)" = r ]
  [ "$(csv_field FR-B 15 e.csv)" = "" ]
  # coverage "known" without counts, or with more hit than lines, is none
  [ "$(csv_field FR-A 12 e.csv)" = "" ]
  [ "$(csv_field FR-B 12 e.csv)" = "" ]
  [ "$(csv_field FR-C 12 e.csv)" = "1/4 lines (25.0%)" ]
  run "$HW" export --format csv --reverse --checks ev -o r.csv
  expect_rc 0
  grep -qF '"test","","0","","",""' r.csv
}

# A requirement without an ID in trace.json crashed the printable HTML
# (fuzz_export, once it ran the writers): its defects were looked up by a
# NULL ID.
# Verifies: FR-EXPORT-002
test_export_html_requirement_without_id_is_no_crash() {
  mkdir ev frs
  printf '{"schema": "hwledger.trace/1", "frs": [{"id": "FR-A"}, {"links": [{"kind": "impl", "file": "a.c", "function": "f", "line": 3}]}],\n "defects": [{"fr": "FR-A", "kind": "suspect-link", "message": "m"}]}\n' > ev/trace.json
  run "$HW" export --format html --checks ev -o e.html --today 2026-01-02
  expect_rc 0
  [ "$(grep -c '<article class="req"' e.html)" = 2 ]
  grep -qF '<tr><th scope="row">Suspect link</th><td>m</td></tr>' e.html
}

# Counts and a Rev that a hostile trace.json does not give whole were
# converted to int in the printable HTML, undefined behaviour (found by
# fuzz_export once it ran the writers; x86 printed "-2147483648
# requirements"), and a waiver without its strings printed "(null)". Such
# a count is "not recorded", such a Rev empty, as in the CSV, and a
# waiver shows what it has.
# Verifies: FR-EXPORT-002
test_export_html_numbers_a_trace_does_not_give_whole_are_none() {
  mkdir ev frs
  printf '{"schema": "hwledger.trace/1", "frs": [{"id": "FR-A", "rev": 1e300, "waiver": {}}, {"id": "FR-B", "waiver": {"expires": "2027-01-01"}}],\n "summary": {"frs": "two", "approved": 1e300}}\n' > ev/trace.json
  run "$HW" export --format html --checks ev -o e.html --today 2026-01-02
  expect_rc 0
  grep -qF '<tr><th scope="row">Requirements</th><td>not recorded</td></tr>' e.html
  grep -qF '<tr><th scope="row">Rev</th><td></td></tr>' e.html
  grep -qF '<tr><th scope="row">Waiver</th><td>(expires 2027-01-01)</td></tr>' e.html
  ! grep -q -- '-2147483648\|(null)' e.html || return 1
  # a summary with whole counts is shown as before
  printf '{"schema": "hwledger.trace/1", "frs": [{"id": "FR-A", "rev": 2, "waiver": {"reason": "r", "expires": "2027-01-01"}}], "summary": {"frs": 3, "approved": 2, "approved_verified": 1}}\n' > ev/trace.json
  run "$HW" export --format html --checks ev -o f.html --today 2026-01-02
  expect_rc 0
  grep -qF '<td>3 requirements; 1 of 2 approved verified</td>' f.html
  grep -qF '<tr><th scope="row">Rev</th><td>2</td></tr>' f.html
  grep -qF '<tr><th scope="row">Waiver</th><td>r (expires 2027-01-01)</td></tr>' f.html
}

# Verifies: FR-EXPORT-001
test_export_bad_input_exits_2_and_keeps_what_is_there() {
  export_repo
  run "$HW" export --format docx -o x.docx
  expect_rc 2
  expect_err "--format must be one of csv, xlsx, html, pdf, reqif, aspec, not 'docx'"
  run "$HW" export --format csv -o no/such/dir/m.csv
  expect_rc 2
  expect_err "no/such/dir/m.csv: its folder does not exist"
  run "$HW" export --format xlsx --reverse -o m.xlsx
  expect_rc 2
  printf 'mine\n' > m.csv
  run "$HW" export --format csv -o m.csv
  expect_rc 2
  expect_err "m.csv: exists; --force replaces it"
  [ "$(cat m.csv)" = mine ]
  mkdir -p ev && printf '{"schema": "hwledger.trace/1",\n "frs": [}\n' > ev/trace.json
  run "$HW" export --format csv --checks ev -o e.csv
  expect_rc 2
  expect_err "hwledger: ev/trace.json:2:"
  [ ! -e e.csv ]
  printf '{"schema": "hwledger.gate/1"}\n' > ev/trace.json
  run "$HW" export --format csv --checks ev -o e.csv
  expect_rc 2
  expect_err "ev/trace.json:1: not a hwledger.trace/1 document"
  run "$HW" export --format csv --checks ev --lcov app.info -o e.csv
  expect_rc 2
  # a libxlsxwriter that cannot be loaded is the environment's fault
  HWLEDGER_LIBXLSXWRITER=/nonexistent/libxlsxwriter.so run "$HW" export --format xlsx -o m.xlsx
  expect_rc 3
  expect_err "which the XLSX export needs"
  [ ! -e m.xlsx ]
  # --force replaces it, atomically: no temporary file is left beside it
  run "$HW" export --format csv -o m.csv --force "${EXPORT_INPUTS[@]}"
  expect_rc 0
  head -1 m.csv | grep -q '^"ID"'
  [ "$(ls -A | grep -c '\.tmp')" = 0 ]
}

# 40 requirements, each implemented by 6 functions, so that the
# specification's tables fill several pages.
export_many() {
  mkdir -p frs src
  : > frs/gen.md
  : > src/gen.c
  for i in $(seq -w 1 40); do
    printf '## FR-GEN-0%s: Generated requirement %s\nRev: 1\nStatus: approved\nNeeds: impl\n\nThe %s KV cache requirement.\n\n' "$i" "$i" "$i" >> frs/gen.md
    for k in 1 2 3 4 5 6; do
      printf '/* Implements: FR-GEN-0%s */\nint gen_%s_%s(void)\n{\n\treturn %s;\n}\n' "$i" "$i" "$k" "$k" >> src/gen.c
    done
  done
  printf -- '- **KV cache:** keys and values kept between tokens.\n' > glossary.md
  mkdir -p specs && mv glossary.md specs/glossary.md
}

# Verifies: FR-EXPORT-002
test_export_html_glossary_appendix_lists_used_terms_and_their_users() {
  export_repo
  mkdir -p specs
  printf -- '**Number (numbers)**: a quantity.\n\n**Zeppelin**: an airship.\n\n**Doubles**: twice as much.\n\n**Integer**: a whole number.\n' > specs/glossary.md
  run "$HW" export --format html -o spec.html --today 2026-01-02 "${EXPORT_INPUTS[@]}"
  expect_rc 0
  sed -n '/<h2 id="glossary">/,/<\/section>/p' spec.html > appendix.html
  # a term's users: by its name (FR-APP-002) or an alias (FR-APP-001's
  # title), in the requirements' order; a term no requirement uses is left
  # out
  grep -qF '<dt id="term-Number">Number</dt>' appendix.html
  grep -qF '<dd>a quantity. <small>Used by <a href="#FR-APP-001">FR-APP-001</a>, <a href="#FR-APP-002">FR-APP-002</a>.</small></dd>' appendix.html
  grep -qF 'twice as much. <small>Used by <a href="#FR-APP-002">FR-APP-002</a>.</small>' appendix.html
  # a plural is a use (specs/glossary-import.md, "Uses"): FR-APP-001 says
  # "integers"
  grep -qF 'a whole number. <small>Used by <a href="#FR-APP-001">FR-APP-001</a>, <a href="#FR-APP-002">FR-APP-002</a>.</small>' appendix.html
  ! grep -q Zeppelin appendix.html || return 1
}

# Verifies: FR-EXPORT-002
test_export_pdf_has_every_id_and_no_table_cut_by_a_page() {
  command -v chromium >/dev/null || { echo "chromium is a dependency (ci/deps.sh)"; return 1; }
  export_repo
  export_many
  run "$HW" export --format html -o spec.html --today 2026-01-02 "${EXPORT_INPUTS[@]}"
  expect_rc 0
  grep -qF '<title>repo — requirements specification</title>' spec.html
  grep -q '@page' spec.html
  ! grep -qi '<script' spec.html || return 1
  run "$HW" export --format pdf -o spec.pdf --today 2026-01-02 "${EXPORT_INPUTS[@]}"
  expect_rc 0
  pages=$(pdfinfo spec.pdf | awk '/^Pages:/ { print $2 }')
  [ "$pages" -ge 5 ] || { echo "only $pages pages"; return 1; }
  pdftotext -layout spec.pdf all.txt
  for id in FR-APP-001 FR-APP-002 FR-APP-003 $(seq -f 'FR-GEN-%03g' 1 40); do
    grep -qF "$id" all.txt || { echo "$id missing"; return 1; }
  done
  grep -qF "Page 2 of $pages" all.txt
  grep -qF "repo — requirements specification" all.txt
  # the title page and the glossary appendix
  pdftotext -f 1 -l 1 spec.pdf - | grep -qF 2026-01-02
  grep -qF 'keys and values kept between tokens' all.txt
  # each traceability table (its caption, an ID, and its last row, the
  # ID's sixth function) on one page
  first=$(for p in $(seq 1 "$pages"); do
    pdftotext -f "$p" -l "$p" spec.pdf - | grep -q 'Appendix B. Traceability' && echo "$p"; done | tail -1)
  for i in $(seq -w 1 40); do
    cap= last=
    for p in $(seq "$first" "$pages"); do
      pdftotext -f "$p" -l "$p" spec.pdf p.txt
      grep -q "^FR-GEN-0$i\$" p.txt && cap=$p
      grep -q "gen_${i}_6" p.txt && last=$p
    done
    [ -n "$cap" ] && [ "$cap" = "$last" ] ||
      { echo "FR-GEN-0$i: caption on page $cap, last row on page $last"; return 1; }
  done
}

# Verifies: FR-EXPORT-003
test_export_report_site_offers_signed_downloads() {
  report_repo
  run "$HW" report --pdf "${EXPORT_INPUTS[@]}"
  expect_rc 0
  for f in matrix.csv matrix-reverse.csv matrix.xlsx specification.html specification.pdf; do
    [ -s "build/site/downloads/$f" ] || { echo "missing downloads/$f"; return 1; }
    jq -e --arg p "downloads/$f" '[.files[].path] | index($p)' build/site/manifest.json >/dev/null ||
      { echo "downloads/$f not in the manifest"; return 1; }
    grep -qF "href=\"downloads/$f\"" build/site/index.html
  done
  pdftotext build/site/downloads/specification.pdf - | grep -qF FR-APP-002
  # no PDF unless asked for (specs/export.md, "In the report")
  run "$HW" site --checks build/checks -o plain
  expect_rc 0
  [ -s plain/downloads/matrix.csv ] && [ ! -e plain/downloads/specification.pdf ]
  cmp plain/downloads/matrix.xlsx build/site/downloads/matrix.xlsx
  # the workbook's Signature sheet: the signed report's commit, signer and
  # checkpoint root (the note's third line, base64)
  unzip -p build/site/downloads/matrix.xlsx xl/sharedStrings.xml > ss.xml
  grep -qF "<t>$(git rev-parse HEAD)</t>" ss.xml
  grep -qF '<t>yes: verify the report it came from with hwledger verify-report</t>' ss.xml
  sed -n 3p build/checks/bundle/checkpoint | base64 -d | od -An -tx1 | tr -d ' \n' > root.hex
  grep -qF "<t>$(cat root.hex)</t>" ss.xml
  # the same from the evidence folder on the command line
  run "$HW" export --format xlsx --checks build/checks -o e.xlsx
  expect_rc 0
  cmp e.xlsx build/site/downloads/matrix.xlsx
  grep -qF 'FR-APP-001' build/site/downloads/specification.html
  run "$HW" verify-report --allow-untrusted build/site
  expect_rc 0
  # verify-report covers the downloads: one changed byte fails it
  printf 'x' >> build/site/downloads/matrix.csv
  run "$HW" verify-report --allow-untrusted build/site
  expect_rc 1
  expect_err "downloads/matrix.csv: changed after rendering"
}
