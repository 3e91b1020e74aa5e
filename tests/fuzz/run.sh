#!/usr/bin/env bash
# tests/fuzz/run.sh SECONDS TARGET... — runs each libFuzzer target for a
# bounded time, seeded from tests/fuzz/corpus/NAME (and the FR fixtures for
# the FR parser, the C++ and Python fixtures for the scanner). A crash, a
# leak or undefined behaviour fails the run and leaves the input in
# build/fuzz/.
set -u
secs=$1
shift
status=0
for bin in "$@"; do
  name=$(basename "$bin")
  seeds=tests/fuzz/corpus/${name#fuzz_}
  work=build/fuzz/corpus-$name
  mkdir -p "$work"
  dirs=("$work")
  [ -d "$seeds" ] && dirs+=("$seeds")
  if [ "$name" = fuzz_frs ]; then
    find tests/fixtures/frs frs -name '*.md' -exec cp {} "$work/" \; 2>/dev/null
  fi
  if [ "$name" = fuzz_scan ]; then # the C++ and Python readers' sources too
    find tests/fixtures/lang -type f \( -name '*.cpp' -o -name '*.py' \) \
      -exec cp {} "$work/" \; 2>/dev/null
  fi
  echo "fuzz: $name for ${secs}s"
  # UBSan only prints a report and goes on unless told to stop: then
  # undefined behaviour is a crash, with its input kept, like ASan's
  if ! UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
      "$bin" -max_total_time="$secs" -max_len=65536 -timeout=10 \
      -artifact_prefix=build/fuzz/"$name"- "${dirs[@]}" >build/fuzz/"$name".log 2>&1; then
    echo "fuzz: $name FAILED; see build/fuzz/$name.log"
    tail -n 30 build/fuzz/"$name".log
    status=1
  else
    grep -E '^Done|#[0-9]+.*DONE' build/fuzz/"$name".log | tail -n 1
  fi
done
exit $status
