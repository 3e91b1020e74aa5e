#!/usr/bin/env bash
# ci/deps.sh — install every build, test and tool dependency of hwledger from
# the Debian archive. Idempotent: prints nothing and exits 0 when everything is
# already present. `ci/deps.sh --check` only reports (exit 1 when something is
# missing) and never installs.
#
# The site's browser tests are part of `make test` and need chromium, Node
# and npm, so they are installed like everything else (`--site` is accepted
# and changes nothing, for scripts written when they were optional).
set -u

# Debian package -> a file or command that proves it is installed.
# Keep this list in the order a reader would look for things: toolchain,
# libraries, test tools, analyzers, benchmark references.
PKGS=(
  "gcc:cmd:gcc"
  "libc6-dev:file:/usr/include/stdio.h"
  "make:cmd:make"
  "pkg-config:cmd:pkg-config"
  "git:cmd:git"
  "libgit2-dev:pc:libgit2"
  "libxlsxwriter-dev:pc:xlsxwriter"
  "libgnutls28-dev:pc:gnutls"
  "libmicrohttpd-dev:pc:libmicrohttpd"
  "libcurl4-gnutls-dev:pc:libcurl"
  "libcmark-dev:pc:libcmark"
  "libcjson-dev:pc:libcjson"
  "libsqlite3-dev:pc:sqlite3"
  "libsodium-dev:pc:libsodium"
  "libxxhash-dev:pc:libxxhash"
  "nettle-dev:pc:nettle"
  "libexpat1-dev:pc:expat"
  "libyaml-dev:pc:yaml-0.1"
  "libcmocka-dev:pc:cmocka"
  "lcov:cmd:lcov"
  "cmake:cmd:cmake"
  "clang:cmd:clang"
  "libclang-rt-14-dev:file:/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a"
  "g++:cmd:g++"
  "libgtest-dev:file:/usr/include/gtest/gtest.h"
  "python3-pytest:file:/usr/lib/python3/dist-packages/pytest/__init__.py"
  "python3-coverage:file:/usr/lib/python3/dist-packages/coverage/__init__.py"
  "python3-prometheus-client:file:/usr/lib/python3/dist-packages/prometheus_client/parser.py"
  "cppcheck:cmd:cppcheck"
  "clang-tidy:cmd:clang-tidy"
  "flawfinder:cmd:flawfinder"
  "cmark:cmd:cmark"
  "ripgrep:cmd:rg"
  "jq:cmd:jq"
  "openssl:cmd:openssl"
  "curl:cmd:curl"
  "time:file:/usr/bin/time"
  "sqlite3:cmd:sqlite3"
  "procps:cmd:pgrep"
  "tidy:cmd:tidy"
  "libxml2-utils:cmd:xmllint"
  "unzip:cmd:unzip"
  "poppler-utils:cmd:pdftotext"
  "chromium:cmd:chromium"
  "nodejs:cmd:node"
  "npm:cmd:npm"
)

check_only=0
for arg in "$@"; do
  case "$arg" in
    --check) check_only=1 ;;
    --site) ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "ci/deps.sh: unknown option '$arg'" >&2; exit 2 ;;
  esac
done

present() {
  local kind=$1 what=$2
  case "$kind" in
    cmd) command -v "$what" >/dev/null 2>&1 ;;
    pc) command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$what" ;;
    file) [ -e "$what" ] ;;
  esac
}

missing=()
for entry in "${PKGS[@]}"; do
  IFS=: read -r pkg kind what <<<"$entry"
  # the fuzzer runtime's path carries clang's exact version; accept any 14.x
  if [ "$pkg" = libclang-rt-14-dev ]; then
    compgen -G "/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null && continue
    missing+=("$pkg")
    continue
  fi
  present "$kind" "$what" || missing+=("$pkg")
done

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$check_only" = 1 ]; then
  echo "ci/deps.sh: missing: ${missing[*]}" >&2
  exit 1
fi

cmd="apt-get install -y -q --no-install-recommends ${missing[*]}"
if [ "$(id -u)" != 0 ]; then
  echo "ci/deps.sh: these packages are missing: ${missing[*]}" >&2
  echo "ci/deps.sh: run as root:  apt-get update && $cmd" >&2
  exit 3
fi

echo "ci/deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -q >/dev/null; then
  echo "ci/deps.sh: apt-get update failed" >&2
  exit 3
fi
if ! $cmd >/tmp/hwledger-deps.log 2>&1; then
  tail -n 30 /tmp/hwledger-deps.log >&2
  echo "ci/deps.sh: '$cmd' failed (log: /tmp/hwledger-deps.log)" >&2
  exit 3
fi
exit 0
