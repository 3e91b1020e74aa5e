# tests/cli/test_glossary.sh — `hwledger glossary import` and `lint`.

G=$FIXTURES/glossary

# Verifies: FR-GLOSS-001
test_glossary_import_writes_the_documented_json() {
  run "$HW" -v glossary import "$G/pdf-export.txt"
  expect_rc 0
  expect_err "pdf-export.txt: 10 entries, style arrow"
  jq -e '.schema == "hwledger.glossary/1" and .count == 10
         and (.entries[0] | has("term") and has("aliases") and has("definition")
              and has("categories") and has("children") and has("references")
              and has("sources") and has("backlinks"))
         and (.entries[] | select(.term == "Static Analysis") | .children | length) == 2
         and (.entries[0].sources[0].line == 20)' <<<"$OUT" >/dev/null
}

# Verifies: FR-GLOSS-001, FR-GLOSS-002
test_glossary_import_merges_files_and_writes_markdown() {
  run "$HW" glossary import "$G/bold-colon.md" "$G/bullet-colon.md" "$G/definition-list.md" \
    "$G/em-dash.txt" "$G/pdf-export.txt" --format md -o all.md
  expect_rc 0
  expect_no_out
  grep -q '^\*\*Bandwidth (Memory Bandwidth)\*\*: How many bytes' all.md
  run "$HW" glossary import all.md
  expect_rc 0
  [ "$(jq .count <<<"$OUT")" = 35 ]
  [ "$(jq '[.entries[].term] | unique | length' <<<"$OUT")" = "$(jq '.entries | length' <<<"$OUT")" ]
}

# Verifies: FR-GLOSS-002
test_glossary_markdown_keeps_entries_without_a_category_out_of_one() {
  # a term under a heading, then a table of acronyms that has none
  printf '# Terms\n\n## Signing\n\n**Salt**: Mixed into the key.\n' >terms.md
  printf '| Acronym | Expansion |\n|---|---|\n| TTL | Time To Live |\n' >acr.md
  run "$HW" glossary import terms.md acr.md --format md -o g.md
  expect_rc 0
  run "$HW" glossary import g.md
  expect_rc 0
  jq -e '(.entries[] | select(.term == "TTL") | .categories) == []
         and (.entries[] | select(.term == "Salt") | .categories) == ["Signing"]' \
    <<<"$OUT" >/dev/null
}

# Markdown has five heading levels below the title: a category path of
# five (## to ######) is written whole
# Verifies: FR-GLOSS-002
test_glossary_markdown_keeps_five_levels_of_categories() {
  printf '# G\n\n## Alpha\n\n### Beta\n\n#### Gamma\n\n##### Delta\n\n###### Epsilon\n\n**Deep**: A deep term.\n' >deep.md
  run "$HW" glossary import deep.md --format md -o g.md
  expect_rc 0
  run "$HW" glossary import g.md
  expect_rc 0
  jq -e '.entries[0].categories == ["Alpha", "Beta", "Gamma", "Delta", "Epsilon"]' <<<"$OUT" >/dev/null ||
    { cat g.md; return 1; }
}

# Verifies: FR-GLOSS-001
test_glossary_import_acronym_rows_become_aliases_of_real_terms() {
  # a published glossary, unedited (origin in tests/fixtures/glossary/README.md)
  run "$HW" glossary import "$G/hatofit-GLOSSARY.md"
  expect_rc 0
  jq -e '[.entries[] | select(.term == "NoSQL")] | length == 1
         and (.[0].aliases == ["Not Only SQL"])
         and (.[0].definition | startswith("A non-relational database"))' <<<"$OUT" >/dev/null
  jq -e '(.entries[] | select(.term == "API") | .aliases) == ["Application Programming Interface"]
         and (.entries[] | select(.term == "Dependency Injection") | .aliases) == ["DI"]
         and (.entries[] | select(.term == "VO2") | .definition) == "Volume of Oxygen"' <<<"$OUT" >/dev/null
}

# Verifies: FR-GLOSS-001
test_glossary_import_pdf_levels_and_figure_captions() {
  run "$HW" glossary import "$G/pdf-levels.txt"
  expect_rc 0
  jq -e '(.entries[] | select(.term == "Bit") | .categories)
           == ["L1 - Foundations", "1. Binary & Data Foundations", "Core Data Units"]
         and (.entries[] | select(.term == "ASCII") | .categories[2]) == "Encodings"
         and (.entries[] | select(.term == "SwiGLU") | .categories[2]) == "Feed-Forward Layers"
         and (.entries[] | select(.term == "Perplexity") | .categories[0])
           == "L3- Applications & Evaluation"
         and (.entries[] | select(.term == "Byte") | .references) == []' <<<"$OUT" >/dev/null
}

# Verifies: FR-GLOSS-001
test_glossary_import_refuses_unknown_styles_and_options() {
  run "$HW" glossary import "$G/README.md"
  expect_rc 2
  expect_err "README.md: no known glossary style"
  expect_no_out
  run "$HW" glossary import --style fancy "$G/em-dash.txt"
  expect_rc 2
  expect_err "unknown style 'fancy'"
  run "$HW" glossary import --style dash "$G/bold-colon.md"
  expect_rc 2
  run "$HW" glossary import
  expect_rc 2
  printf '**A**: caf\xe9\n' > latin1.md
  run "$HW" glossary import latin1.md
  expect_rc 2
  expect_err "hwledger: latin1.md:1:11: not UTF-8 text (byte 0xe9)"
}

# Verifies: FR-GLOSS-003
test_glossary_lint_reports_undefined_acronyms() {
  mkdir frs specs
  printf '## FR-X-001: Use the GPU\nRev: 1\nStatus: approved\nNeeds: impl\n\nThe GPU talks to the BMC.\n' > frs/x.md
  printf '# G\n\n## Hardware\n\n**GPU (Graphics Processing Unit)**: A processor.\n' > specs/glossary.md
  run "$HW" glossary lint
  expect_rc 1
  expect_err "hwledger: frs/x.md:6: FR-X-001 uses 'BMC', which the glossary does not define"
  expect_out "glossary lint: 1 term, 1 FR: 1 error, 0 warnings"
  printf '\n**BMC (Baseboard Management Controller)**: A small computer that manages a server.\n' >> specs/glossary.md
  run "$HW" glossary lint
  expect_rc 0
}

# A code point (U+FFFD) is no acronym, and a version after a defined
# acronym (HTML5) is the acronym's use; an undefined one (XHTML5) is not.
# Verifies: FR-GLOSS-003
test_glossary_lint_reads_code_points_and_versions_as_no_new_acronyms() {
  mkdir frs specs
  printf '## FR-X-001: Render\nRev: 1\nStatus: approved\nNeeds: impl\n\nA bad byte becomes U+FFFD in the HTML5 output.\n' > frs/x.md
  printf '# G\n\n**HTML (HyperText Markup Language)**: The language of web pages.\n' > specs/glossary.md
  run "$HW" glossary lint
  expect_rc 0
  expect_out "glossary lint: 1 term, 1 FR: 0 errors, 0 warnings"
  printf '\nIt is not XHTML5.\n' >> frs/x.md
  run "$HW" glossary lint
  expect_rc 1
  expect_err "FR-X-001 uses 'XHTML5', which the glossary does not define"
}

# A term used only in the project's README is used, whatever the README's
# name: README.md, ReadMe.md (libyaml), README, README.rst.
# Verifies: FR-GLOSS-003
test_glossary_lint_reads_the_readme_by_any_name() {
  local name
  mkdir frs specs
  printf '## FR-X-001: Parse\nRev: 1\nStatus: approved\nNeeds: impl\n\nThe parser reads.\n' > frs/x.md
  printf '# G\n\n**Scalar**: A single value of a YAML document.\n' > specs/glossary.md
  run "$HW" glossary lint
  expect_err "'Scalar' is used nowhere"
  for name in README.md ReadMe.md README readme.rst; do
    printf 'Each scalar is one value.\n' > "$name"
    run "$HW" glossary lint
    expect_rc 0
    ! grep -q "used nowhere" <<<"$ERR" || { echo "$name: $ERR"; return 1; }
    rm "$name"
  done
  # a file that only starts like one is no README
  printf 'Each scalar is one value.\n' > READMEFIRST.md
  run "$HW" glossary lint
  expect_err "'Scalar' is used nowhere"
}

# A term used only in its plural is used: the lint says nothing of it and
# the backlinks list its FR; a word that only starts with a term is no use.
# Verifies: FR-GLOSS-003
test_glossary_lint_and_backlinks_count_a_plural_as_a_use() {
  mkdir frs specs
  printf '## FR-X-001: Decode\nRev: 1\nStatus: approved\nNeeds: impl\n\nThe decoder joins surrogate pairs and loads libraries; its GPUs idle.\n\n## FR-X-002: Split\nRev: 1\nStatus: approved\nNeeds: impl\n\nThe tokenizer splits the text.\n' > frs/x.md
  printf '**Surrogate pair**: Two UTF-16 code units.\n\n**Library**: Code.\n\n**GPU (Graphics Processing Unit)**: A processor.\n\n**Token**: A piece of text.\n\n**IT (Information Technology)**: Computers.\n' > specs/glossary.md
  run "$HW" glossary lint
  expect_rc 0
  expect_out "glossary lint: 5 terms, 2 FRs: 0 errors, 2 warnings"
  expect_err "hwledger: specs/glossary.md:7: warning: 'Token' is used nowhere in the FRs or documents"
  expect_err "hwledger: specs/glossary.md:9: warning: 'IT' is used nowhere in the FRs or documents"
  ! grep -q "Surrogate pair\|'Library'\|'GPU'" <<<"$ERR" || return 1
  run "$HW" glossary import specs/glossary.md
  expect_rc 0
  jq -e '[.entries[] | {(.term): .backlinks}] | add
         == {"Surrogate pair": ["FR-X-001"], "Library": ["FR-X-001"],
             "GPU": ["FR-X-001"], "Token": [], "IT": []}' <<<"$OUT" >/dev/null
}

# A hyphen between words is the space of a term: "KV-cache" uses "KV Cache"
# for the lint and the backlinks alike.
# Verifies: FR-GLOSS-003
test_glossary_lint_and_backlinks_count_a_hyphen_as_a_space() {
  mkdir frs specs
  printf '## FR-X-001: Cache\nRev: 1\nStatus: approved\nNeeds: impl\n\nThe KV-cache holds keys.\n\n## FR-X-002: Other\nRev: 1\nStatus: approved\nNeeds: impl\n\nThe tokenizer splits the text.\n' > frs/x.md
  printf '**KV Cache**: Keys and values kept per token.\n\n**Key-value store**: A map.\n' > specs/glossary.md
  printf 'A key value store.\n' > specs/store.md
  run "$HW" glossary lint
  expect_rc 0
  expect_out "glossary lint: 2 terms, 2 FRs: 0 errors, 0 warnings"
  run "$HW" glossary import specs/glossary.md
  expect_rc 0
  jq -e '[.entries[] | {(.term): .backlinks}] | add
         == {"KV Cache": ["FR-X-001"], "Key-value store": []}' <<<"$OUT" >/dev/null
}

# Verifies: FR-GLOSS-003
test_glossary_lint_passes_on_this_repository() {
  run "$HW" -C "$ROOT" glossary lint
  expect_rc 0
  [ "$(sed -n 's/^glossary lint: \([0-9]*\) terms.*/\1/p' <<<"$OUT")" -ge 120 ]
  expect_out ": 0 errors"
}

# Verifies: FR-GLOSS-003
test_glossary_lint_bad_input() {
  run "$HW" glossary lint --strict
  expect_rc 2
  expect_err "glossary lint: unknown option '--strict'"
  mkdir frs
  printf '## FR-X-001: ok\nRev: 1\nStatus: draft\nNeeds: impl\n\nText.\n' > frs/x.md
  run "$HW" glossary lint
  expect_rc 2
  # a new project has none: the message says what the file is for
  expect_err "hwledger: specs/glossary.md: no such file (the default glossary: write one, or name yours: hwledger glossary lint FILE...)"
  printf '## broken heading\n' > frs/y.md
  printf '**A**: b\n' > g.md
  run "$HW" glossary lint g.md
  expect_rc 2
  expect_err "the FRs have errors"
  run "$HW" glossary
  expect_rc 2
  run "$HW" glossary frob
  expect_rc 2
  expect_err "glossary: unknown subcommand 'frob'"
}

# `-o FILE.md` writes the Markdown glossary that lint reads; JSON stays
# the default elsewhere, and --format still decides when given.
# Verifies: FR-GLOSS-002
test_glossary_import_to_a_markdown_file_writes_markdown() {
  mkdir frs specs
  printf '## FR-X-001: Use the GPU\nRev: 1\nStatus: approved\nNeeds: impl\n\nThe GPU runs.\n' > frs/x.md
  printf -- '- **GPU**: A graphics processor.\n' > terms.md
  run "$HW" glossary import terms.md -o specs/glossary.md
  expect_rc 0
  grep -q '^\*\*GPU\*\*' specs/glossary.md
  run "$HW" glossary lint
  expect_rc 0
  "$HW" glossary import terms.md -o g.json
  jq -e '.schema == "hwledger.glossary/1"' g.json >/dev/null
  "$HW" glossary import terms.md --format json -o g2.md
  jq -e '.schema == "hwledger.glossary/1"' g2.md >/dev/null
}

# A second import over a glossary its user edited by hand is refused
# (exit 2, the file untouched) unless --force; a device is written into.
# Verifies: FR-GLOSS-002
test_glossary_import_keeps_an_existing_output_without_force() {
  mkdir specs
  printf -- '- **GPU**: A graphics processor.\n' > terms.md
  run "$HW" glossary import terms.md -o specs/glossary.md
  expect_rc 0
  printf '\n**Edited**: By hand.\n' >> specs/glossary.md
  cp specs/glossary.md want.md
  run "$HW" glossary import terms.md -o specs/glossary.md
  expect_rc 2
  expect_err "hwledger: specs/glossary.md: exists; --force replaces it"
  cmp want.md specs/glossary.md
  # through a link to it, too
  ln -s specs/glossary.md link.md
  run "$HW" glossary import terms.md -o link.md
  expect_rc 2
  cmp want.md specs/glossary.md && [ -L link.md ]
  run "$HW" glossary import terms.md -o specs/glossary.md --force
  expect_rc 0
  [ "$(grep -c Edited specs/glossary.md)" = 0 ]
  run "$HW" glossary import terms.md -o /dev/null
  expect_rc 0
}
