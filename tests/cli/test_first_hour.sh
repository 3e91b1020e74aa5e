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

