#!/usr/bin/env bash
# tests/bench/gen_tree.sh DIR FILES LINES_PER_FILE — a generated C tree for
# the traceability benchmarks: FILES source files of about LINES_PER_FILE
# lines, functions of 25 lines of which every other one carries an
# `Implements:` tag (so ~FILES*LINES/50 tags), comments and strings with
# braces, and 2,000 FRs under DIR/frs/.
set -eu
dir=$1 files=$2 lines=$3
rm -rf "$dir"
mkdir -p "$dir/frs" "$dir/src"
awk -v dir="$dir" 'BEGIN {
  for (f = 0; f < 20; f++) {
    out = sprintf("%s/frs/gen%02d.md", dir, f)
    for (i = 0; i < 100; i++) {
      n = f * 100 + i + 1
      printf "## FR-GEN-%04d: Generated requirement %d\nRev: 1\nStatus: approved\nNeeds: impl\n\nThe code does thing %d.\n\n", n, n, n > out
    }
    close(out)
  }
}'
awk -v dir="$dir" -v files="$files" -v lines="$lines" 'BEGIN {
  per = int(lines / 25)
  for (f = 0; f < files; f++) {
    out = sprintf("%s/src/mod%04d.c", dir, f)
    printf "#include <stdio.h>\n#define WRAP(x) { (x); }\n" > out
    for (k = 0; k < per; k++) {
      if (k % 2 == 0)
        printf "/* Implements: FR-GEN-%04d */\n", (f * per + k) % 2000 + 1 > out
      else
        printf "/* helper without a tag */\n" > out
      printf "static int fn_%d_%d(int a, const char *s)\n{\n", f, k > out
      printf "\tint total = 0; /* a comment with { braces } */\n" > out
      printf "\tconst char *msg = \"a string with } and // and /*\";\n" > out
      for (l = 0; l < 9; l++)
        printf "\tif (s[%d] == %s)\n\t\ttotal += a * %d;\n", l % 7, (l % 2 ? "'\''{'\''" : "'\''\"'\''"), l > out
      printf "\treturn total + (int)msg[0];\n}\n" > out
    }
    close(out)
  }
}'
printf '{"sources": ["src/**/*.c"], "tests": []}\n' > "$dir/traceability.json"
mkdir -p "$dir/traceability"
mv "$dir/traceability.json" "$dir/traceability/config.json"
