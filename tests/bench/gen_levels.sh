#!/usr/bin/env bash
# tests/bench/gen_levels.sh DIR — two repositories of the same 100,000
# requirements (issue #26): DIR/levels with 4 levels (1,000 + 9,000 +
# 30,000 + 60,000) and 250,000 Parent links, DIR/flat with the same FR
# files without the Parent keys and without levels. Every requirement
# needs impl; the lowest level's are each implemented by one tagged
# function.
set -eu
dir=$1
mkdir -p "$dir/levels/traceability" "$dir/levels/src"
awk -v dir="$dir/levels" 'BEGIN {
  n[1] = 1000; n[2] = 9000; n[3] = 30000; n[4] = 60000
  area[1] = "SA"; area[2] = "SB"; area[3] = "SC"; area[4] = "SD"
  links = 0
  for (lv = 1; lv <= 4; lv++) {
    system("mkdir -p " dir "/req" lv)
    for (i = 0; i < n[lv]; i++) {
      if (i % 1000 == 0) {
        if (out) close(out)
        out = sprintf("%s/req%d/part%03d.md", dir, lv, i / 1000)
        printf "# Level %d, part %d\n\n", lv, i / 1000 > out
      }
      printf "## FR-%s-%06d: Requirement %d of level %d\n", area[lv], i, i, lv > out
      printf "Rev: 1\nStatus: %s\n", (i % 50 ? "approved" : "draft") > out
      printf "Needs: impl\n" > out
      if (lv > 1) {
        # 2 parents each; 3 on level 3; on level 4 a third for 22,000
        k = lv == 3 || (lv == 4 && i % 30 < 11) ? 3 : 2
        printf "Parent: " > out
        for (j = 0; j < k; j++) {
          printf "%sFR-%s-%06d", j ? ", " : "", area[lv - 1], (i * 7 + j * 13) % n[lv - 1] > out
          links++
        }
        printf "\n" > out
      }
      printf "\nThe component shall handle case %d of level %d and report\n", i, lv > out
      printf "failures to the caller with a stable error code.\n\n" > out
    }
  }
  close(out)
  for (i = 0; i < n[4]; i++) {
    if (i % 1000 == 0) {
      if (src) close(src)
      src = sprintf("%s/src/f%03d.c", dir, i / 1000)
    }
    printf "/* Implements: FR-SD-%06d */\nint f%d(int x)\n{\n\treturn x + %d;\n}\n\n", i, i, i > src
  }
  close(src)
  if (links != 250000) { print "gen_levels: " links " links, not 250000" > "/dev/stderr"; exit 1 }
}'
cat >"$dir/levels/traceability/config.json" <<'JSON'
{
  "schema": "hwledger.config/1",
  "levels": [
    {"name": "l1", "ids": "FR-SA-[0-9]{6}", "frs": "req1"},
    {"name": "l2", "ids": "FR-SB-[0-9]{6}", "frs": "req2"},
    {"name": "l3", "ids": "FR-SC-[0-9]{6}", "frs": "req3"},
    {"name": "l4", "ids": "FR-SD-[0-9]{6}", "frs": "req4", "needs": ["impl"]}
  ],
  "sources": ["src/*.c"],
  "tests": []
}
JSON
rm -rf "$dir/flat"
mkdir -p "$dir/flat/frs" "$dir/flat/traceability"
cp -r "$dir/levels/src" "$dir/flat/src"
for lv in 1 2 3 4; do
  for f in "$dir/levels/req$lv"/*.md; do
    grep -v '^Parent: ' "$f" >"$dir/flat/frs/l$lv-$(basename "$f")"
  done
done
printf '{"schema": "hwledger.config/1", "frs": "frs", "sources": ["src/*.c"], "tests": []}\n' \
  >"$dir/flat/traceability/config.json"
find "$dir" -exec touch -h -d '2020-01-01 00:00:00' {} +
