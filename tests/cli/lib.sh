# tests/cli/lib.sh — assertions for the CLI tests. Each prints why it failed
# and returns non-zero, which fails the test (tests run under set -e).

# run CMD...: runs the command, keeping stdout in $OUT, stderr in $ERR and
# the exit status in $RC; never fails by itself.
run() {
  local o e
  o=$(mktemp) e=$(mktemp)
  set +e
  "$@" >"$o" 2>"$e"
  RC=$?
  set -e
  OUT=$(cat "$o") ERR=$(cat "$e")
  rm -f "$o" "$e"
}

expect_rc() {
  [ "$RC" -eq "$1" ] && return 0
  echo "expected exit $1, got $RC"
  echo "stdout: $OUT"
  echo "stderr: $ERR"
  return 1
}

# expect_out TEXT / expect_err TEXT: the text, whole and literal, anywhere
# in the output; a text of several lines must appear as those lines
# together (grep -F took each line as a pattern of its own and passed when
# any one of them matched).
expect_out() {
  [[ "$OUT" == *"$1"* ]] && return 0
  echo "stdout lacks: $1"; echo "stdout: $OUT"; return 1
}
expect_err() {
  [[ "$ERR" == *"$1"* ]] && return 0
  echo "stderr lacks: $1"; echo "stderr: $ERR"; return 1
}
expect_no_out() {
  [ -z "$OUT" ] && return 0
  echo "expected no stdout, got: $OUT"; return 1
}

# a minimal valid FR document
write_fr() { # FILE ID [STATUS]
  mkdir -p "$(dirname "$1")"
  printf '## %s: Title of %s\nRev: 1\nStatus: %s\nNeeds: impl, utest\n\nText of %s.\n' \
    "$2" "$2" "${3:-approved}" "$2" >>"$1"
}
