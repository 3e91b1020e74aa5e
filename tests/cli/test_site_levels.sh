# tests/cli/test_site_levels.sh — the site of a project with requirement
# levels (tests/fixtures/levels/good): the tree page, each requirement's
# links, suspect links and reviews, and its neighbourhood graph; a flat
# project has none of them.

# the levels fixture traced into checks/ (FR-U-003 given a second parent,
# so that one child sits under two parents)
site_levels_repo() {
  cp -r "$FIXTURES/levels/good" repo && cd repo
  sed -i 's/^Parent: SW-A-003$/Parent: SW-A-003, SW-A-001/' frs/unit.md
  sed -i '/^## FR-U-004/,/^Parent/s/^Parent: SW-A-003, SW-A-001$/Parent: SW-A-003/' frs/unit.md
  mkdir -p checks
  "$HW" -q trace --no-index --results results.tap --format json -o checks/trace.json
}

# the <li> of node ID on the tree page, from its line to the end of its
# subtree (the first place it appears)
tree_node() { sed -n "/<li id=\"n-$1\"/,/^<\/ul><\/details><\/li>\$/p" out/tree.html; }

# Verifies: FR-SITE-004
test_site_tree_nests_children_under_each_parent_with_statuses() {
  site_levels_repo
  run "$HW" site --checks checks -o out
  expect_rc 0
  grep -q '<a href="tree.html">Tree</a>' out/index.html
  # the levels top down, each requirement's children nested under it
  [ "$(grep -o '<h2>Level [a-z]*</h2>' out/tree.html | tr '\n' ' ')" = \
    "<h2>Level system</h2> <h2>Level software</h2> <h2>Level unit</h2> " ]
  tree_node SYS-001 | grep -q 'href="fr/SW-A-001.html">SW-A-001</a> Read the pressure sensor <span class="badge st-verified">verified</span><details open><summary class="counts">2/2 children verified</summary>'
  tree_node SW-A-001 | grep -q 'href="fr/FR-U-001.html">FR-U-001</a>'
  tree_node SYS-002 | grep -q '<a href="fr/SYS-002.html">SYS-002</a> The pump reports its state <span class="badge st-failing">failing</span><details open><summary class="counts">0/1 children verified</summary>'
  tree_node SW-A-003 | grep -q '<summary class="counts">1/2 children verified</summary>'
  tree_node SW-A-003 | grep -q 'href="fr/FR-U-004.html">FR-U-004</a> Rotate the log <span class="badge st-uncovered">uncovered</span>'
  # a child of two parents is under each
  [ "$(tree_node SW-A-001 | grep -c 'href="fr/FR-U-003.html"')" -eq 1 ]
  [ "$(tree_node SW-A-003 | grep -c 'href="fr/FR-U-003.html"')" -eq 1 ]
  # a derived requirement is a root of its level, with its rationale
  grep -q '<a href="fr/SW-A-005.html">SW-A-005</a> Watchdog <span class="badge st-verified">verified</span> <span class="derived">derived: the chosen microcontroller needs a watchdog; no system requirement asks for it</span><details open><summary class="counts">1/1 children verified</summary>' out/tree.html
  # the attribute filter offers every value, a list's items apart
  grep -q '<option value="Safety=ASIL-B">Safety=ASIL-B</option>' out/tree.html
  grep -q '<option value="Tags=pump">Tags=pump</option>' out/tree.html
  grep -q '<li id="n-SW-A-001" data-attrs="&#10;Safety=ASIL-B&#10;">' out/tree.html
}

# A value may hold any character of a line, '|' too: the tree's filter
# offers it whole, and a node matches only its own values (each token of
# data-attrs ends with a newline, which no value holds).
# Verifies: FR-SITE-004
test_site_tree_filter_keeps_a_value_with_a_bar_whole() {
  site_levels_repo
  sed -i '/^## SYS-002:/,/^$/s/^Status: approved$/Status: approved\nOwner: a|Safety=ASIL-D/' reqs/system/system.md
  "$HW" -q trace --no-index --results results.tap --format json -o checks/trace.json
  run "$HW" site --checks checks -o out
  expect_rc 0
  grep -qF '<option value="Owner=a|Safety=ASIL-D">Owner=a|Safety=ASIL-D</option>' out/tree.html
  ! grep -qF '<option value="Safety=ASIL-D">' out/tree.html || return 1
  grep -qF '<li id="n-SYS-002" data-attrs="&#10;Owner=a|Safety=ASIL-D&#10;">' out/tree.html
}

# Verifies: FR-SITE-004
test_site_requirement_page_shows_its_links_graph_and_reviews() {
  site_levels_repo
  git init -q . && git -c user.name=t -c user.email=t@t commit -q --allow-empty -m one
  "$HW" -q ledger keygen --name alice > alice.line
  cp alice.line traceability/trusted_keys
  "$HW" -q review SYS-001 -m "first review of the pump"
  sed -i 's/^Every approved child is verified: SYS-001 is verified\.$/The pump stops within 50 ms./' reqs/system/system.md
  "$HW" -q trace --no-index --results results.tap --format json -o checks/trace.json
  "$HW" -q ledger checkpoint >/dev/null
  "$HW" -q ledger export --bundle checks/bundle
  run "$HW" site --checks checks -o out
  expect_rc 0
  local p=out/fr/FR-U-003.html
  grep -q '<dt>Level</dt><dd>unit</dd>' $p
  grep -q '<dt>Parents</dt><dd><ul class="links"><li><a href="SW-A-003.html">SW-A-003</a> <span class="badge st-partial">partial</span></li><li><a href="SW-A-001.html">SW-A-001</a> <span class="badge st-verified">verified</span></li></ul>' $p
  # siblings: the other children of both parents, each once
  grep -q '<dt>Siblings</dt><dd><ul class="links"><li><a href="FR-U-001.html">FR-U-001</a> <span class="badge st-verified">verified</span></li><li><a href="FR-U-004.html">FR-U-004</a> <span class="badge st-uncovered">uncovered</span></li></ul>' $p
  # the graph: its parents above, each box a link with a title
  grep -q '<figure class="graph"><svg ' $p
  grep -q '<a href="SW-A-003.html"><title>SW-A-003: partial</title><rect class="g-partial" x="[0-9]*" y="10"' $p
  grep -q '<a href="FR-U-003.html"><title>FR-U-003: verified</title><rect class="g-verified" x="[0-9]*" y="60"' $p
  p=out/fr/SW-A-003.html
  grep -q '<dt>Status reason</dt><dd>child FR-U-004 is not verified</dd>' $p
  grep -q '<dt>Children</dt><dd><ul class="links"><li><a href="FR-U-003.html">FR-U-003</a> <span class="badge st-verified">verified</span></li><li><a href="FR-U-004.html">FR-U-004</a>' $p
  grep -q '<rect class="g-uncovered" x="[0-9]*" y="120"' $p
  grep -q '<dt>Derived</dt><dd>the chosen microcontroller' out/fr/SW-A-005.html
  # attributes, a list's items together
  grep -q '<dt>Safety</dt><dd>ASIL-B</dd>.*<dt>Tags</dt><dd>pump, pressure</dd><dt>Due</dt><dd>2024-02-29</dd>' out/fr/SYS-001.html
  # the reworded parent makes SW-A-001's Parent line suspect, with its path
  sed -n '/<h2>Suspect links/,/<h2>Reviews/p' out/fr/SW-A-001.html > suspect.html
  grep -q '<li>reqs/software/software.md:6 SW-A-001 names Parent SYS-001, which changed since its review (text changed at Rev 1); path SYS-001 -&gt; SW-A-001: ' suspect.html
  # ... and FR-U-001's tags, linked to their lines in the source view
  grep -q '<li><a href="../src/src_2Fpump.c.html#L1">src/pump.c:1</a> .*path SYS-001 -&gt; SW-A-001 -&gt; FR-U-001' out/fr/FR-U-001.html
  # its review, from the signed event in the bundle
  sed -n '/<h2>Reviews/,/<h2>Implementation/p' out/fr/SYS-001.html > reviews.html
  grep -qE '<li><a href="../ledger.html#e0">event 0</a> [0-9]{4}-[0-9]{2}-[0-9]{2}, Rev 1, key <code>[0-9a-f]{8}</code>: first review of the pump</li>' reviews.html
  grep -q 'No signed review names it' out/fr/SW-A-001.html
  # with no bundle, the history is not run
  rm -r checks/bundle
  "$HW" -q site --checks checks -o out
  grep -q 'review history not available (not run)' out/fr/SYS-001.html
}

# Verifies: FR-SITE-004
test_site_levels_same_input_renders_the_same_bytes() {
  site_levels_repo
  "$HW" -q site --checks checks -o out1
  "$HW" -q site --checks checks -o out2
  diff -r out1 out2
  [ -s out1/tree.html ]
}

# Verifies: FR-SITE-004
test_site_flat_project_has_no_tree_and_no_graph() {
  cp -r "$FIXTURES/trace/ours" repo && cd repo
  mkdir -p checks
  "$HW" -q trace --results results.xml --results results.tap --lcov app.info \
    --format json -o checks/trace.json
  run "$HW" site --checks checks -o out
  expect_rc 0
  [ ! -e out/tree.html ]
  grep -q 'tree.html' out/index.html out/fr/*.html && return 1
  grep -q 'class="graph"\|<h2>Links</h2>' out/fr/*.html && return 1
  [ -s out/fr/FR-APP-001.html ]
}

# Verifies: FR-SITE-004
test_site_levels_of_the_wrong_type_are_exit_2_and_keep_the_site() {
  site_levels_repo
  "$HW" -q site --checks checks -o out
  cp out/tree.html tree.before
  jq '.frs[0].parents = "SYS-001"' checks/trace.json > t.json && mv t.json checks/trace.json
  run "$HW" site --checks checks -o out
  expect_rc 2
  expect_err '"frs[].parents" must be an array, not a string'
  cmp tree.before out/tree.html
}
