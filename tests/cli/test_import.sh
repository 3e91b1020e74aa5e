# tests/cli/test_import.sh — `hwledger import` (ReqIF, OpenFastTrace,
# Doorstop) and `hwledger export --format reqif|aspec`
# (specs/interchange.md).

# reqif_schema: a copy of the OMG ReqIF 1.2 schema in ./schema whose
# imports of the XML namespace name the local xml.xsd, so xmllint reads
# local files only (--nonet); prints the path of reqif.xsd.
reqif_schema() {
  cp -r "$FIXTURES/reqif/schema" schema
  local xml="$PWD/schema/http/www.w3.org/2001/xml.xsd" f
  for f in $(grep -rl 'XML/1998/namespace' schema --include='*.xsd'); do
    perl -0pi -e 's{(<xsd?:import\s+namespace="http://www.w3.org/XML/1998/namespace")(\s+schemaLocation="[^"]*")?}{$1 schemaLocation="file://'"$xml"'"}g' "$f"
  done
  echo "$PWD/schema/reqif.xsd"
}

# the levels project of tests/fixtures/interchange, in ./project
copy_project() {
  cp -r "$FIXTURES/interchange/project" project
}

# Verifies: FR-XCH-001
test_export_reqif_is_valid_against_the_omg_schema() {
  local xsd
  xsd=$(reqif_schema)
  copy_project
  run "$HW" -C project export --format reqif -o "$PWD/out.reqif"
  expect_rc 0
  expect_err "hwledger: export: $PWD/out.reqif written"
  [ "$(grep -c '<SPEC-OBJECT ' out.reqif)" -eq 5 ]
  run xmllint --nonet --noout --schema "$xsd" out.reqif
  expect_rc 0
  # a SPECIFICATION per level, a SPEC-RELATION per Parent link (three),
  # the custom attributes with their enumeration
  [ "$(grep -c '<SPECIFICATION ' out.reqif)" -eq 2 ]
  [ "$(grep -c '<SPEC-RELATION ' out.reqif)" -eq 3 ]
  grep -q 'LONG-NAME="Safety"' out.reqif
  grep -q 'LONG-NAME="ASIL-A"' out.reqif
  grep -q 'LONG-NAME="ReqIF.ForeignID"' out.reqif
}

# Verifies: FR-XCH-001
test_export_reqif_identifiers_are_stable() {
  copy_project
  "$HW" -q -C project export --format reqif --today 2026-01-01 -o "$PWD/a.reqif"
  "$HW" -q -C project export --format reqif --today 2026-02-01 -o "$PWD/b.reqif"
  ! cmp -s a.reqif b.reqif || { echo "time stamps should differ"; return 1; }
  [ "$(grep -o 'IDENTIFIER="[^"]*"' a.reqif)" = "$(grep -o 'IDENTIFIER="[^"]*"' b.reqif)" ]
  # a requirement added elsewhere changes no other requirement's IDENTIFIER
  grep -A1 'LONG-NAME="SW-APP-001"' a.reqif | grep -o 'IDENTIFIER="[^"]*"' > before
  printf '\n## SW-APP-000: New\nRev: 1\nStatus: draft\n\nNew text.\n' >> project/frs/app.md
  "$HW" -q -C project export --format reqif -o "$PWD/c.reqif"
  grep -A1 'LONG-NAME="SW-APP-001"' c.reqif | grep -o 'IDENTIFIER="[^"]*"' > after
  [ -s before ] && cmp before after
}

# Verifies: FR-XCH-001, FR-XCH-002
test_reqif_export_import_export_gives_the_same_requirements() {
  copy_project
  "$HW" -q -C project export --format reqif --today 2026-01-01 -o "$PWD/one.reqif"
  mkdir back
  cp -r project/traceability back/
  run "$HW" -C back import reqif "$PWD/one.reqif"
  expect_rc 0
  expect_out "reqs/one.md"
  expect_out "frs/one.md"
  run "$HW" -C back frs lint
  expect_rc 0
  "$HW" -q -C back export --format reqif --today 2026-01-01 -o "$PWD/two.reqif"
  cmp one.reqif two.reqif || { diff one.reqif two.reqif | head -20; return 1; }
  # the requirements themselves: keys, parents, attributes and text hashes
  "$HW" -C project frs list --json | jq -S '[.frs[] | del(.file, .line)]' > a.json
  "$HW" -C back frs list --json | jq -S '[.frs[] | del(.file, .line)]' > b.json
  [ "$(jq length a.json)" -eq 5 ]
  [ "$(jq 'map(.id)' a.json)" = "$(jq 'map(.id)' b.json)" ]
  diff <(jq 'map({id, rev, status, needs, title})' a.json) \
       <(jq 'map({id, rev, status, needs, title})' b.json)
}

# Verifies: FR-XCH-002
test_import_reqif_turns_xhtml_into_markdown() {
  run "$HW" import reqif "$FIXTURES/interchange/reqif/good.reqif" -o req
  expect_rc 0
  expect_err "warning: 1 <script>/<style> elements in XHTML kept as text"
  expect_err "attributes not imported (declare them in the config's \"attributes\" to keep them): Key"
  expect_err "1 SPEC-OBJECTs with a title only (headings) not imported"
  local md=req/good.md
  grep -qx '# Pump' $md
  # the specification's order; the Parent relation; enum labels as status
  [ "$(grep '^## ' $md)" = "$(printf '## PUMP-2: Log the stop\n## PUMP-1: Stop the pump')" ]
  grep -qx 'Parent: PUMP-1' $md
  [ "$(grep -c '^Status: ' $md)" -eq 2 ]
  grep -qx 'Status: approved' $md
  grep -qxF 'The pump **stops** above *7 bar*.' $md
  grep -qx -- '- close the valve' $md
  grep -qxF '| 7 bar | stop |' $md
  # the script is text, never markup
  grep -qxF 'Run \<script\>alert(1)\</script\> never.' $md
  ! grep -q '<script>' $md || return 1
}

# Verifies: FR-XCH-002
test_import_reqif_map_names_the_attributes() {
  printf '{"id": "Key", "title": "ReqIF.ChapterName", "parent": "Parent"}\n' > map.json
  run "$HW" import reqif "$FIXTURES/interchange/reqif/good.reqif" --map map.json -o req
  expect_rc 0
  # K1/K2 are no requirement IDs: rewritten, and said so
  expect_err "2 IDs rewritten as requirement IDs (such as 'K2')"
  expect_err "attributes not imported (declare them in the config's \"attributes\" to keep them): ReqIF.ForeignID"
  grep -q '^## REQ-K1: Stop the pump$' req/good.md
  grep -qx 'Parent: REQ-K1' req/good.md
}

# Every sample from another tool imports; what is not imported is a
# warning, and the files written pass `frs lint`.
# Verifies: FR-XCH-002
test_import_reqif_third_party_samples() {
  local s n want
  mkdir -p traceability
  printf '{"schema": "hwledger.config/1", "levels": [{"name": "imported", "ids": "[A-Z]+-.+", "frs": "req"}]}\n' \
    > traceability/config.json
  printf '{"id": "IDENTIFIER"}\n' > by-identifier.json
  # sample: requirements expected (the anonymised samples repeat one
  # ReqIF.ForeignID, so their IDENTIFIERs are the IDs)
  while read -r s want map; do
    rm -rf req
    run "$HW" import reqif "$FIXTURES/reqif/samples/$s" ${map:+--map "$map"}
    expect_rc 0
    n=$(grep -c '^## ' "req/${s%.reqif}.md" || true)
    [ "$n" -eq "$want" ] || { echo "$s: $n requirements, expected $want"; return 1; }
    expect_err "warning:"
    run "$HW" frs lint
    [ "$RC" -eq 0 ] || { echo "$s: lint: $ERR"; return 1; }
  done <<'LIST'
capella.reqif 1
doors-05.reqif 1
doors-06.reqif 1
enterprise-architect.reqif 3
polarion.reqif 101 by-identifier.json
reqif-studio.reqif 137 by-identifier.json
rmf-spec-relation.reqif 2
tc1000.reqif 1
tc1100.reqif 5
tc1200.reqif 44
tc1300.reqif 2
tc1400.reqif 0
tc1800.reqif 0
LIST
}

# Verifies: FR-XCH-003, FR-CLI-005
test_import_reqif_bad_input_exits_2_and_writes_nothing() {
  local dir="$FIXTURES/interchange/reqif/bad" f bad=0
  while IFS='|' read -r f msg; do
    run "$HW" import reqif "$dir/$f" -o req
    if [ "$RC" -ne 2 ] || ! grep -qF -- "hwledger: $dir/$f:$msg" <<<"$ERR" || [ -e req ]; then
      echo "$f: exit $RC, stderr: $ERR"
      bad=$((bad + 1))
    fi
  done <<'LIST'
doctype.reqif|2:18: DOCTYPE refused: ReqIF files may not declare entities
unknown-datatype.reqif|17:9: unknown datatype DATATYPE-DEFINITION-BLOB
missing-identifier.reqif|68:9: SPEC-OBJECT without IDENTIFIER
duplicate-identifier.reqif|68: duplicate IDENTIFIER 'o-1' of a SPEC-OBJECT (also at line 52)
missing-object.reqif|89: SPEC-RELATION to SPEC-OBJECT 'o-9', which does not exist
truncated.reqif|49:2: malformed XML: no element found
LIST
  [ "$bad" -eq 0 ]
}

# Verifies: FR-XCH-003
test_import_reqif_map_without_an_id_attribute_exits_2() {
  local dir="$FIXTURES/interchange/reqif"
  run "$HW" import reqif "$dir/good.reqif" --map "$dir/bad/no-id.map.json" -o req
  expect_rc 2
  expect_err "hwledger: $dir/bad/no-id.map.json:1: the map names no ID attribute (\"id\")"
  run "$HW" import reqif "$dir/good.reqif" --map "$dir/bad/unknown-id.map.json" -o req
  expect_rc 2
  expect_err "hwledger: $dir/good.reqif:1: the map's ID attribute 'Number' is no attribute definition of this file"
  [ ! -e req ]
}

# Verifies: FR-XCH-007
test_import_never_replaces_a_file_it_did_not_write_or_that_changed() {
  local src="$FIXTURES/interchange/reqif/good.reqif"
  mkdir req
  echo 'mine' > req/good.md
  run "$HW" import reqif "$src" -o req --force
  expect_rc 2
  expect_err "req/good.md: exists and was not written by hwledger import: not replaced"
  [ "$(cat req/good.md)" = mine ]
  rm req/good.md
  run "$HW" import reqif "$src" -o req
  expect_rc 0
  # unchanged since: imported again
  run "$HW" import reqif "$src" -o req
  expect_rc 0
  # edited: kept unless --force
  echo 'A note of mine.' >> req/good.md
  cp req/good.md edited
  run "$HW" import reqif "$src" -o req
  expect_rc 2
  expect_err "req/good.md: changed since it was imported: not replaced (--force replaces it)"
  cmp req/good.md edited
  run "$HW" import reqif "$src" -o req --force
  expect_rc 0
  ! grep -q 'A note of mine' req/good.md || return 1
}

# Verifies: FR-XCH-004
test_export_aspec_is_valid_for_openfasttrace() {
  copy_project
  run "$HW" -C project export --format aspec -o "$PWD/out.xml"
  expect_rc 0
  run xmllint --nonet --noout --schema "$FIXTURES/oft/aspec.xsd" out.xml
  expect_rc 0
  # a specobjects per level; Parent links as covered items; no evidence,
  # nothing covered
  [ "$(grep -c '<specobjects doctype="system">' out.xml)" -eq 1 ]
  [ "$(grep -c '<specobjects doctype="software">' out.xml)" -eq 1 ]
  [ "$(grep -c '<coveredType>' out.xml)" -eq 3 ]
  [ "$(grep -c '<dependsOnSpecObject>' out.xml)" -eq 1 ]
  ! grep -q '>COVERED<' out.xml || return 1
  grep -q '<status>rejected</status>' out.xml && return 1
  grep -q '<needsobj>impl</needsobj>' out.xml
}

# With a report's trace, a verified requirement is COVERED, the others not.
# Verifies: FR-XCH-004
test_export_aspec_marks_verified_requirements_covered() {
  copy_project
  mkdir checks
  printf '{"schema": "hwledger.trace/1", "frs": [{"id": "SW-APP-001", "status": "verified"}, {"id": "SW-APP-002", "status": "failing"}]}\n' > checks/trace.json
  run "$HW" -C project export --format aspec --checks "$PWD/checks" -o "$PWD/out.xml"
  expect_rc 0
  run xmllint --nonet --noout --schema "$FIXTURES/oft/aspec.xsd" out.xml
  expect_rc 0
  [ "$(grep -c '<shallowCoverageStatus>COVERED<' out.xml)" -eq 1 ]
  item() { sed -n "/<id>$1<\/id>/,/<\/specobject>/p" out.xml; }
  item SW-APP-001 | grep -q '<deepCoverageStatus>COVERED<'
  item SW-APP-002 | grep -q '<comment>failing</comment>'
  item SW-APP-002 | grep -q '<deepCoverageStatus>UNCOVERED<'
}

# Verifies: FR-XCH-005
test_import_oft_items_become_requirements() {
  run "$HW" import oft "$FIXTURES/interchange/oft/good.md" -o req
  expect_rc 0
  expect_err "warning: Needs of artifact types hwledger does not trace not imported: req, dsn"
  expect_err "warning: 1 Tags sections not imported"
  expect_err "warning: 1 forwarding lines (A-->B:id) not imported"
  local md=req/good.md
  [ "$(grep -c '^## ' $md)" -eq 3 ]
  grep -qx '## REQ-PUMP-STOP-ABOVE-LIMIT: Stop above the limit' $md
  grep -A6 '^## REQ-PUMP-STOP' $md | grep -qx 'Rev: 2'
  grep -A6 '^## REQ-PUMP-STOP' $md | grep -qx 'Status: draft'
  grep -A6 '^## REQ-PUMP-STOP' $md | grep -qx 'Needs: impl, utest'
  grep -A6 '^## REQ-PUMP-STOP' $md | grep -qx 'Parent: FEAT-PUMP-CONTROL'
  grep -A6 '^## REQ-PUMP-STOP' $md | grep -qx 'Depends: REQ-PRESSURE-SENSOR'
  grep -qxF '**Rationale:** Above 7 bar the pipes may burst.' $md
  ! grep -q 'NOT-READ' $md || return 1
}

# OpenFastTrace's own system requirements import and pass the lint.
# Verifies: FR-XCH-005
test_import_oft_their_own_specification() {
  mkdir -p traceability
  printf '{"schema": "hwledger.config/1", "levels": [{"name": "oft", "ids": "(FEAT|REQ)-[A-Z0-9_-]+", "frs": "req"}]}\n' \
    > traceability/config.json
  run "$HW" import oft "$FIXTURES/oft"
  expect_rc 0
  expect_out "import oft: 55 requirements"
  # three Covers entries there lack the revision: said, not imported
  [ "$(grep -c 'warning: no item ID in' <<<"$ERR")" -eq 3 ]
  expect_err "system_requirements.md:829:3: warning: no item ID in '[feat~requirement-tracing](#requirement-tracing)': not imported"
  # a Parent per Covers section (each has a good entry too)
  [ "$(grep -c '^Parent: ' req/system_requirements.md)" -eq 45 ]
  # an ID over 64 characters is shortened with a hash
  grep -q '^## REQ-INCLUDE-ITEMS-THAT-DO-NOT-HAVE-TAGS-OR-WHERE-AT-LEA-[0-9A-F]\{8\}: ' req/system_requirements.md
  run "$HW" frs lint
  expect_rc 0
}

# A file with no OFT item (hwledger's own aspec XML, given to import oft
# for OpenFastTrace) says so instead of a bare "0 requirements".
# Verifies: FR-XCH-005
test_import_oft_file_with_no_item_warns() {
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<specdocument>\n  <specobjects doctype="req">\n    <specobject><id>FR-A-001</id><version>1</version></specobject>\n  </specobjects>\n</specdocument>\n' > matrix.aspec
  run "$HW" import oft matrix.aspec -o req
  expect_rc 0
  expect_out "import oft: 0 requirements from matrix.aspec"
  expect_err "hwledger: matrix.aspec: warning: no OpenFastTrace specification item in it (a line \`type~name~revision\`): nothing imported from it"
  # a file that has items is not warned about
  run "$HW" import oft "$FIXTURES/interchange/oft/good.md" -o req2
  expect_rc 0
  [[ "$ERR" != *"no OpenFastTrace specification item"* ]] || { echo "$ERR"; return 1; }
}

# A line with ':' and '~' forwards only with "-->" in it, not when an
# arrow comes on a later line (fuzz_oft: the search for it ran to the end
# of the text, and past it when the text did not end in NUL).
# Verifies: FR-XCH-005
test_import_oft_arrow_on_a_later_line_forwards_nothing() {
  printf '`req~a~1`\nThe limit is 5 bar: see req~b~1.\n\n<!-- checked -->\n' > a.md
  run "$HW" import oft a.md -o req
  expect_rc 0
  if grep -q 'forwarding' <<<"$ERR"; then echo "$ERR"; return 1; fi
  grep -qxF 'The limit is 5 bar: see req~b~1.' req/a.md
}

# The arrow of a forwarding line is found at the line's very end, also as
# the last bytes of a file without a final newline, and never across a
# line break ("--" ending one line, ">" starting the next).
# Verifies: FR-XCH-005
test_import_oft_arrow_at_the_end_of_a_line_or_file_forwards() {
  printf '`req~a~1`\nText a.\n\n`req~b~1`\nSee req~c~1: then --\n> quoted.\n\n`req~d~1`\nText d.\ndsn:req~d~1-->' > a.md
  run "$HW" import oft a.md -o req
  expect_rc 0
  expect_err "warning: 1 forwarding lines (A-->B:id) not imported"
  grep -qxF 'See req~c~1: then --' req/a.md
  grep -qxF '> quoted.' req/a.md
  grep -qxF 'Text d.' req/a.md
}

# An empty heading right above an item is no title (fuzz_oft): the
# requirement was written with an empty one, which the lint refuses.
# Verifies: FR-XCH-005
test_import_oft_empty_heading_is_no_title() {
  mkdir -p traceability
  printf '{"schema": "hwledger.config/1", "levels": [{"name": "oft", "ids": "REQ-[A-Z0-9_-]+", "frs": "req"}]}\n' \
    > traceability/config.json
  printf '###\n`req~a~1`\n\nText.\n\n###   \n`req~b~1`\n\nMore.\n' > a.md
  run "$HW" import oft a.md
  expect_rc 0
  grep -qx '## REQ-A: REQ-A' req/a.md
  grep -qx '## REQ-B: REQ-B' req/a.md
  run "$HW" frs lint
  expect_rc 0
}

# A blank first heading is no title, for the file or an item: `#   ` gave
# the file written a blank `#` heading, and `# #` (a heading with nothing
# but its closing sequence) the item the title `#`, an empty title to the
# lint. The file takes its name, the item its ID, as with no heading.
# Verifies: FR-XCH-005
test_import_oft_blank_first_heading_is_no_title() {
  mkdir -p traceability
  printf '{"schema": "hwledger.config/1", "levels": [{"name": "oft", "ids": "REQ-[A-Z0-9_-]+", "frs": "req"}]}\n' \
    > traceability/config.json
  printf '#   \n`req~a~1`\n\nText.\n\n# #\n`req~b~1`\n\nMore.\n\n## Closed ##\n`req~c~1`\n\nLast.\n' > a.md
  run "$HW" import oft a.md
  expect_rc 0
  sed -n 2p req/a.md | grep -qx '# a'
  grep -qx '## REQ-A: REQ-A' req/a.md
  grep -qx '## REQ-B: REQ-B' req/a.md
  grep -qx '## REQ-C: Closed' req/a.md
  run "$HW" frs lint
  expect_rc 0
  # a blank level-1 heading is skipped for the file's title, as `#` was
  printf '# \t\n\n# Real title #\n`req~d~1`\n\nText.\n' > b.md
  run "$HW" import oft b.md -o out
  expect_rc 0
  sed -n 2p out/b.md | grep -qx '# Real title'
  grep -qx '## REQ-D: Real title' out/b.md
}

# Verifies: FR-XCH-005, FR-CLI-005
test_import_oft_malformed_id_exits_2_and_writes_nothing() {
  run "$HW" import oft "$FIXTURES/interchange/oft/bad-id.md" -o req
  expect_rc 2
  expect_err "hwledger: $FIXTURES/interchange/oft/bad-id.md:4:2: item ID 'req~bad name~1': expected type~name~revision"
  [ ! -e req ]
}

# Doorstop's own requirements tree imports: a file per document, links as
# Parent, and the lint passes.
# Verifies: FR-XCH-006
test_import_doorstop_their_own_tree() {
  mkdir -p traceability
  printf '{"schema": "hwledger.config/1", "levels": [{"name": "doorstop", "ids": "(REQ|EXT|TUT)-[0-9]{3}", "frs": "req"}]}\n' \
    > traceability/config.json
  run "$HW" import doorstop "$FIXTURES/doorstop/reqs"
  expect_rc 0
  expect_out "import doorstop: 29 requirements"
  expect_err "warning: 14 non-normative items (headings, notes) not imported"
  expect_err "warning: item keys not imported: ref, references, CUSTOM-ATTRIB"
  [ "$(grep -c '^## ' req/REQ.md)" -eq 13 ]
  [ "$(grep -c '^## ' req/TUT.md)" -eq 14 ]
  [ "$(grep -c '^## ' req/EXT.md)" -eq 2 ]
  expect_err "warning: 1 items without text: imported with a placeholder text"
  # in level order: TUT003 (level 1, no text), then TUT001 (1.1), which
  # links to REQ003 and REQ004
  [ "$(grep '^## ' req/TUT.md | sed -n 2p)" = '## TUT-001: Creating a New Document and Adding Items' ]
  grep -A4 '^## TUT-001' req/TUT.md | grep -qx 'Parent: REQ-003, REQ-004'
  run "$HW" frs lint
  expect_rc 0
}

# A symbolic link to a folder is not followed: one to the folder it is in
# walked that folder again at each depth (33 copies of each document, a
# duplicate ID each), and two such links doubled the walk at every depth.
# Verifies: FR-XCH-006
test_import_doorstop_does_not_follow_links_to_folders() {
  mkdir -p tree/reqs
  cp "$FIXTURES/doorstop/reqs/.doorstop.yml" "$FIXTURES/doorstop/reqs/REQ003.yml" tree/reqs/
  ln -s . tree/reqs/again
  run "$HW" import doorstop tree -o req
  expect_rc 0
  expect_err "hwledger: tree/reqs/again: warning: symbolic link to a folder; not followed"
  [ "$(grep -c '^## ' req/REQ.md)" -eq 1 ]
  ln -s .. tree/reqs/up
  rm -r req
  run "$HW" import doorstop tree -o req
  expect_rc 0
  expect_err "hwledger: tree/reqs/up: warning: symbolic link to a folder; not followed"
  [ "$(grep -c '^## ' req/REQ.md)" -eq 1 ]
}

# A document's prefix is the title of the file written: one with
# newlines wrote lines of its own there, a requirement of its own among
# them. Made one line, it starts none.
# Verifies: FR-XCH-006
test_import_doorstop_prefix_writes_no_requirement_of_its_own() {
  mkdir reqs
  printf 'settings:\n  prefix: "REQ\\n## FR-EVIL-001: injected\\nRev: 1\\nStatus: approved\\n\\nEvil."\n  sep: ""\n' > reqs/.doorstop.yml
  printf 'level: 1\nlinks: []\ntext: |\n  Hello.\n' > reqs/REQ001.yml
  run "$HW" import doorstop reqs -o out
  expect_rc 0
  local md
  md=$(ls out/*.md)
  [ "$(grep -c '^## ' "$md")" -eq 1 ]
  grep -qx '## REQ-REQ001: Hello.' "$md"
  grep -qx '# REQ ## FR-EVIL-001: injected Rev: 1 Status: approved  Evil.' "$md"
}

# An empty link is no UID: it was written as an empty Parent entry
# ("Parent: , REQ-002"), which the lint refuses.
# Verifies: FR-XCH-006, FR-CLI-005
test_import_doorstop_empty_link_exits_2_and_writes_nothing() {
  mkdir reqs
  printf 'settings:\n  prefix: REQ\n  sep: ""\n' > reqs/.doorstop.yml
  printf 'level: 1\nlinks:\n- ""\n- REQ002\ntext: |\n  One.\n' > reqs/REQ001.yml
  printf 'level: 2\ntext: |\n  Two.\n' > reqs/REQ002.yml
  run "$HW" import doorstop reqs -o out
  expect_rc 2
  expect_err "hwledger: reqs/REQ001.yml:1: link '' cannot be made a requirement ID"
  [ ! -e out ]
}

# Verifies: FR-XCH-006, FR-CLI-005
test_import_doorstop_bad_yaml_exits_2_and_writes_nothing() {
  local d="$FIXTURES/interchange/doorstop"
  run "$HW" import doorstop "$d/not-a-mapping" -o req
  expect_rc 2
  expect_err "hwledger: $d/not-a-mapping/SW-002.yml:1:1: the document is not a YAML mapping"
  run "$HW" import doorstop "$d/bad-yaml" -o req
  expect_rc 2
  expect_err "hwledger: $d/bad-yaml/SW001.yml:3:1: invalid YAML: found unexpected end of stream"
  [ ! -e req ]
}

# Verifies: FR-XCH-002, FR-CLI-005
test_import_and_export_usage_errors_exit_2() {
  run "$HW" import
  expect_rc 2
  expect_err "hwledger: import needs a format: reqif, oft or doorstop"
  run "$HW" import csv x.csv
  expect_rc 2
  expect_err "import: unknown format 'csv'"
  run "$HW" import oft x.md --map m.json
  expect_rc 2
  expect_err "import: --map goes with reqif"
  run "$HW" import reqif
  expect_rc 2
  expect_err "import reqif: FILE or DIR is needed"
  run "$HW" import reqif a.reqif b.reqif
  expect_rc 2
  expect_err "import: unknown argument 'b.reqif'"
  run "$HW" import reqif missing.reqif
  expect_rc 2
  expect_err "hwledger: missing.reqif: no such file"
  run "$HW" import doorstop missing
  expect_rc 2
  expect_err "hwledger: missing: not a folder: a Doorstop tree is a folder"
  run "$HW" export --format reqif
  expect_rc 2
  expect_err "export needs --format and -o FILE"
  run "$HW" export --format reqif --reverse -o x
  expect_rc 2
  expect_err "--reverse is for --format csv"
  [ ! -e x ]
}

# The marker line stays one line that a later import reads, whatever the
# source's name holds (a newline, "--").
# Verifies: FR-XCH-007
test_import_marker_survives_odd_source_names() {
  local f
  f=$(printf 'a\nb--c.reqif')
  cp "$FIXTURES/interchange/reqif/good.reqif" "$f"
  run "$HW" -q import reqif "$f" -o req
  expect_rc 0
  [ "$(head -n 1 req/a-b--c.md | cut -c1-45)" = '<!-- hwledger import reqif from a?b-c.reqif, ' ]
  run "$HW" -q import reqif "$f" -o req
  expect_rc 0
}
