# tests/bench/lib.sh — timing helpers for the benchmarks. Times are the
# median of RUNS runs (default 5), alternating the tool and its reference so
# that load on a shared machine hits both alike. Never used as a test gate.

RUNS=${RUNS:-5}
TIMEIT=${TIMEIT:-timeit}

now_ns() { date +%s%N; }

# time_once_us CMD... : runs CMD once (output discarded), prints its wall
# time in microseconds.
time_once_us() {
  local a b
  a=$(now_ns)
  "$@" >/dev/null 2>&1
  b=$(now_ns)
  echo $(( (b - a) / 1000 ))
}

# compare NAME GOAL "TOOL CMD" "REFERENCE CMD" ["PREPARE CMD"]: prints one
# result line. The stopwatch is timeit (tests/bench/timeit.c, built by
# `make bench` as $TIMEIT): RUNS alternated runs of each through /bin/sh
# (a command that is one program, after any `cd DIR &&` and NAME=value
# words, is exec'd by it), PREPARE run untimed before each run of TOOL, and
# the shell's own start taken off both medians.
compare() {
  local name=$1 goal=$2 tool=$3 ref=$4 prep=${5:-} res
  res=$("$TIMEIT" "$RUNS" "$prep" "$tool" "$ref") || return 1
  set -- $res
  awk -v n="$name" -v g="$goal" -v t="$1" -v r="$2" 'BEGIN {
    ratio = r > 0 ? t / r : 0
    printf "%-44s hwledger %8.1f ms  reference %8.1f ms  ratio %.2fx  (goal %s)\n",
      n, t / 1000, r / 1000, ratio, g }'
}
