#!/usr/bin/env bash
# tests/bench/gen_langs.sh DIR FILES LINES_PER_FILE — a generated tree of
# one third each C, C++ and Python (FILES files in all, about LINES_PER_FILE
# lines each) for the language benchmark: the C third is gen_tree.sh's, the
# C++ files hold namespaced classes with inline and out-of-line methods and
# a raw string, the Python files classes and functions with a docstring;
# every other function carries an `Implements:` tag.
set -eu
dir=$1 files=$2 lines=$3
third=$(( files / 3 ))
here=$(cd "$(dirname "$0")" && pwd)
"$here/gen_tree.sh" "$dir" "$third" "$lines"
awk -v dir="$dir" -v files="$third" -v lines="$lines" 'BEGIN {
  per = int(lines / 25)
  for (f = 0; f < files; f++) {
    out = sprintf("%s/src/mod%04d.cpp", dir, f)
    printf "#include <string>\nnamespace gen { namespace m%d {\n", f > out
    printf "class Box {\npublic:\n  int size() const { return n_; }\n  int fill(int a);\nprivate:\n  int n_ = 0;\n};\n" > out
    for (k = 0; k < per; k++) {
      if (k % 2 == 0)
        printf "// Implements: FR-GEN-%04d\n", (f * per + k) % 2000 + 1 > out
      else
        printf "// helper without a tag\n" > out
      printf "int Box::fill_%d(int a, const std::string &s)\n{\n", k > out
      printf "\tint total = 0; /* a comment with { braces } */\n" > out
      printf "\tconst char *raw = R\"x(a raw } string // Implements: X)x\";\n" > out
      printf "\tauto add = [&](int v) { total += v; };\n" > out
      for (l = 0; l < 8; l++)
        printf "\tif (s[%d] == %s)\n\t\tadd(a * %d);\n", l % 7, (l % 2 ? "'\''{'\''" : "'\''\"'\''"), l > out
      printf "\treturn total + (int)raw[0];\n}\n" > out
    }
    printf "} }\n" > out
    close(out)
  }
  for (f = 0; f < files; f++) {
    out = sprintf("%s/src/mod%04d.py", dir, f)
    printf "import os\n\n\nclass Box:\n    \"\"\"A box.\"\"\"\n\n" > out
    for (k = 0; k < per; k++) {
      if (k % 2 == 0)
        printf "    # Implements: FR-GEN-%04d\n", (f * per + k) % 2000 + 1 > out
      else
        printf "    # helper without a tag\n" > out
      printf "    def fill_%d(self, a, s):\n", k > out
      printf "        \"\"\"Fills the box { with a docstring }.\"\"\"\n" > out
      printf "        total = 0  # a comment\n" > out
      printf "        msg = f\"an f-string {a} with # and Implements: X\"\n" > out
      for (l = 0; l < 9; l++)
        printf "        if s[%d] == \"%s\":\n            total += a * %d\n", l % 7, (l % 2 ? "{" : "#"), l > out
      printf "        return total + len(msg)\n\n" > out
    }
    close(out)
  }
}'
printf '{"sources": ["src/**/*.c", "src/**/*.cpp", "src/**/*.py"], "tests": []}\n' \
  > "$dir/traceability/config.json"
