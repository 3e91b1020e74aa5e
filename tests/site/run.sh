#!/usr/bin/env bash
# tests/site/run.sh BUILD [RESULTS_DIR] — the browser tests of the report in
# BUILD/site: installs the pinned npm packages (package-lock.json) when
# node_modules is missing, then runs browser.js in headless chromium. TAP
# goes to RESULTS_DIR/site.tap (default BUILD/test-results) and stdout;
# screenshots to BUILD/site-screenshots/. Exit 1 on any failure.
set -uo pipefail
build=${1:-build}
results=${2:-$build/test-results}
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -d "$here/node_modules/puppeteer-core" ] || [ ! -d "$here/node_modules/axe-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) || {
    echo "tests/site: npm ci failed (the npm registry is needed once)" >&2
    exit 3
  }
fi
mkdir -p "$results"
node "$here/browser.js" "$build/site" "$build/site-screenshots" | tee "$results/site.tap"
rc=${PIPESTATUS[0]}
printf 'browser tests: %d passed, %d failed\n' \
  "$(grep -c '^ok ' "$results/site.tap")" "$(grep -c '^not ok ' "$results/site.tap")"
exit "$rc"
