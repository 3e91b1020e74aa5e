# tests/cli/test_first_hour.sh — a new user's first hour: hwledger as `make
# install` gives it, run from another folder; `init`; keys kept out of git.

# the build folder of $HW, relative to the repository (build, build/asan...)
install_here() {
  local build=${HW%/hwledger}
  build=${build#"$ROOT"/}
  make -s -C "$ROOT" BUILD="$build" DESTDIR="$PWD/dest" PREFIX=/opt/hw \
    install >/dev/null
  [ -x dest/opt/hw/bin/hwledger ]
}

# Verifies: FR-CLI-011
test_installed_binary_plans_and_renders_from_another_folder() {
  install_here
  local hw=$PWD/dest/opt/hw/bin/hwledger
  cp "$ROOT/planner/models/llama-3.1-8b.json" model.json
  mkdir proj && cd proj
  # the built-in catalog and engine profiles: nothing under planner/ here
  "$hw" plan --model ../model.json --gpu "H100 SXM" >plan.txt
  grep -q 'GPU H100 SXM' plan.txt
  "$hw" plan --model ../model.json --cheapest --top 1 >cheap.txt
  grep -q 'cheapest configurations' cheap.txt
  "$hw" plan --model ../model.json --engine llama.cpp --json >plan.json
  jq -e '.inputs.engine == "llama.cpp"' plan.json >/dev/null
  # and the rest of the first hour: init, lint, trace, site (theme built in)
  "$hw" init >/dev/null 2>&1
  "$hw" frs lint
  "$hw" trace --format json -o trace.json
  "$hw" site -o site >/dev/null
  [ -s site/index.html ] && [ -s site/style.css ]
}

# The installed headers compile on their own: each includes only headers
# that were installed beside it (util.h includes buf.h, json.h...; trace.h
# includes trace/config.h).
# Verifies: FR-CLI-011
test_every_installed_header_compiles_with_only_the_installed_ones() {
  install_here
  local inc=$PWD/dest/opt/hw/include/hwledger h m
  for h in "$inc"/*/*.h; do
    m=$(basename "$(dirname "$h")")
    printf '#include "%s/%s"\nint main(void) { return 0; }\n' \
      "$m" "$(basename "$h")" > t.c
    cc -std=c11 -fsyntax-only -I"$inc" $(pkg-config --cflags libcjson) t.c ||
      { echo "$m/$(basename "$h") does not compile"; return 1; }
  done
  # the module's private header is not part of the interface
  [ ! -e "$inc/trace/internal.h" ]
}

# README's planner example, copied by someone with only the installed
# files: the shipped models are installed with the binary.
# Verifies: FR-CLI-011
test_the_shipped_models_are_installed_for_the_readmes_plan_example() {
  install_here
  local hw=$PWD/dest/opt/hw/bin/hwledger
  local models=$PWD/dest/opt/hw/share/hwledger/models
  [ -s "$models/README.md" ]
  [ "$(ls "$models"/*.json | wc -l)" = "$(ls "$ROOT"/planner/models/*.json | wc -l)" ]
  mkdir proj && cd proj
  "$hw" plan --model "$models/llama-3.1-70b.json" --ctx 32k \
    --gpu "H100 SXM" --tp 4 >plan.txt
  grep -q 'GPU H100 SXM' plan.txt
}

# Verifies: FR-CLI-011
test_a_projects_own_catalog_replaces_the_built_in_one() {
  install_here
  local hw=$PWD/dest/opt/hw/bin/hwledger
  cp "$ROOT/planner/models/llama-3.1-8b.json" model.json
  mkdir -p proj/planner && cd proj
  cat >planner/gpus.json <<'JSON'
{"gpus": [{"name": "Lab Card", "vendor": "nvidia", "memory_gib": 48, "bandwidth_gb_s": 900}]}
JSON
  "$hw" plan --model ../model.json --gpu "Lab Card" >plan.txt
  grep -q 'of 48.0 GiB' plan.txt
  # replaced whole: a GPU only the built-in catalog has is not found
  set +e
  "$hw" plan --model ../model.json --gpu "H100 SXM" >/dev/null 2>err.txt
  rc=$?
  set -e
  [ "$rc" = 2 ] && grep -q "planner/gpus.json.*no GPU named 'H100 SXM'" err.txt
  # a catalog that exists but is not readable JSON is an error, never the
  # built-in copy in its place
  echo '{' >planner/engines.json
  set +e
  "$hw" plan --model ../model.json --gpu "Lab Card" >/dev/null 2>err.txt
  rc=$?
  set -e
  [ "$rc" = 2 ] && grep -q '^hwledger: planner/engines.json:' err.txt
}

# Verifies: FR-CLI-004
test_init_writes_the_full_default_policy_and_keeps_keys_out_of_git() {
  git init -q .
  run "$HW" init
  expect_rc 0
  expect_out "created  .hwledger/.gitignore"
  # the policy init writes is the built-in default, sast-error included
  jq -e '.fail_on | sort == ["duplicate-fr", "expired-waiver", "failing-test",
         "malformed-tag", "sast-error", "unknown-fr"]' traceability/policy.json >/dev/null
  # the example points to nothing the user lacks: no `hwledger help frs`
  ! grep -q 'help frs' frs/example.md || return 1
  "$HW" -q ledger keygen >/dev/null
  [ -s .hwledger/keys/hwledger-local.key ]
  git add -A
  # the rules themselves are committed, so every clone keeps them
  [ "$(git ls-files .hwledger)" = .hwledger/.gitignore ] || { git ls-files; return 1; }
  git ls-files | grep -qx traceability/policy.json
  # a .gitignore the user wrote is theirs: kept as it is
  echo 'keys/' > .hwledger/.gitignore
  run "$HW" init
  expect_out "kept     traceability/policy.json (exists)"
  [ "$(cat .hwledger/.gitignore)" = 'keys/' ]
}

# Verifies: FR-LEDGER-001
test_a_key_made_by_report_or_keygen_is_never_staged() {
  git init -q .
  write_fr frs/a.md FR-A-001
  # no init: the first key is made by keygen in the default folder
  "$HW" -q ledger keygen --name ci >/dev/null
  git add -A
  # the rules themselves are committed, so every clone keeps them
  [ "$(git ls-files .hwledger)" = .hwledger/.gitignore ] || { git ls-files; return 1; }
  git ls-files | grep -qx frs/a.md
}

# Verifies: FR-LEDGER-001
test_report_refuses_to_sign_while_a_private_key_is_in_git() {
  git init -q .
  write_fr frs/a.md FR-A-001
  "$HW" -q init >/dev/null
  "$HW" -q ledger keygen --name ci >/dev/null
  git add -A && git -c user.name=t -c user.email=t@t commit -qm one
  # forced in past the .gitignore
  git add -f .hwledger/keys/ci.key
  run "$HW" report -o site
  expect_rc 2
  expect_err "hwledger: .hwledger/keys/ci.key: a private signing key is in git's index"
  [ ! -e .hwledger/ledger.db ] || { echo "signed with a published key"; return 1; }
  [ ! -e site ]
  # the same key copied anywhere else in the tree, under another name
  git rm -q --cached .hwledger/keys/ci.key
  mkdir -p ci && cp .hwledger/keys/ci.key ci/release.key
  git add ci/release.key
  run "$HW" report -o site
  expect_rc 2
  expect_err "hwledger: ci/release.key: a private signing key is in git's index"
  # a public key and a *.key that is not a hwledger key are fine to commit
  git rm -q --cached ci/release.key
  echo 'not a secret' > ci/other.key
  cp .hwledger/keys/ci.pub ci/ci.pub
  git add ci/other.key ci/ci.pub
  run "$HW" report -o site
  [ "$RC" -le 1 ] || { echo "exit $RC: $ERR"; return 1; }
  [ -s .hwledger/ledger.db ]
}

# Verifies: FR-CLI-008
test_a_sources_or_tests_glob_that_matches_nothing_is_warned_about() {
  "$HW" -q init >/dev/null
  mkdir -p src tests
  echo 'int f(void) { return 1; }' > src/a.c
  echo 'void test_f(void) {}' > tests/t.c
  # the config's "src/**/*.h" matches nothing here: said, not fatal
  run "$HW" trace
  expect_rc 0
  expect_err 'hwledger: traceability/config.json: warning: "src/**/*.h" (the config'"'"'s "sources") selects no file'
  ! grep -q 'tests/\*\*/\*.c' <<<"$ERR" || { echo "a glob that matches is named: $ERR"; return 1; }
  # a typo in a folder name: every file the user meant is missed, and said
  jq '.tests = ["test/**/*.c"]' traceability/config.json > c && mv c traceability/config.json
  run "$HW" trace
  expect_err '"test/**/*.c" (the config'"'"'s "tests") selects no file'
  # a glob whose only file is excluded selects nothing either
  echo 'int g;' > src/a.h
  jq '.exclude = ["src/a.h"]' traceability/config.json > c && mv c traceability/config.json
  run "$HW" trace
  expect_err '"src/**/*.h" (the config'"'"'s "sources") selects no file'
  # and the warning comes back on a run replayed from the stored one
  run "$HW" trace
  expect_err '"src/**/*.h" (the config'"'"'s "sources") selects no file'
}

# The first site of a new project: init's one example FR is counted as
# one, on the command line and on the dashboard.
# Verifies: FR-SITE-001
test_the_first_site_after_init_counts_one_fr_as_one() {
  git init -q .
  "$HW" -q init >/dev/null
  mkdir checks
  "$HW" -q trace --format json -o checks/trace.json
  run "$HW" site --checks checks -o out
  expect_rc 0
  expect_out "(1 FR, 0 source files, 0 glossary terms)"
  grep -q '<p>1 FR, 0 defects</p>' out/index.html
}
