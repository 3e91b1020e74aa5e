# tests/bench/lib.sh — timing helpers for the benchmarks. Times are the
# median of RUNS runs (default 5), alternating the tool and its reference so
# that load on a shared machine hits both alike. Never used as a test gate.

RUNS=${RUNS:-5}

now_ns() { date +%s%N; }

# median_ms CMD... : runs CMD RUNS times (stdout discarded), prints the median
# wall time in milliseconds with one decimal.
time_once_ms() {
  local a b
  a=$(now_ns)
  "$@" >/dev/null 2>&1
  b=$(now_ns)
  echo $(( (b - a) / 1000 ))
}

# compare NAME GOAL "TOOL CMD" "REFERENCE CMD": prints one result line.
compare() {
  local name=$1 goal=$2 tool=$3 ref=$4 t=() r=() i mt mr
  bash -c "$tool" >/dev/null 2>&1; bash -c "$ref" >/dev/null 2>&1 # warm up
  for ((i = 0; i < RUNS; i++)); do
    t+=("$(time_once_ms bash -c "$tool")")
    r+=("$(time_once_ms bash -c "$ref")")
  done
  mt=$(printf '%s\n' "${t[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  mr=$(printf '%s\n' "${r[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  awk -v n="$name" -v g="$goal" -v t="$mt" -v r="$mr" 'BEGIN {
    ratio = r > 0 ? t / r : 0
    printf "%-44s hwledger %8.1f ms  reference %8.1f ms  ratio %.2fx  (goal %s)\n",
      n, t / 1000, r / 1000, ratio, g }'
}
