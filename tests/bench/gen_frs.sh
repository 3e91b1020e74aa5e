#!/usr/bin/env bash
# tests/bench/gen_frs.sh DIR FILES PER_FILE — writes FILES FR documents of
# PER_FILE FRs each under DIR/frs/, with realistic text, cross-references
# and Markdown structure.
set -eu
dir=$1 files=$2 per=$3
mkdir -p "$dir/frs"
awk -v dir="$dir" -v files="$files" -v per="$per" 'BEGIN {
  for (f = 0; f < files; f++) {
    area = sprintf("A%c%c", 65 + int(f / 26) % 26, 65 + f % 26)
    out = sprintf("%s/frs/area%03d.md", dir, f)
    printf "# Area %s requirements\n\nRequirements of area %s.\n\n", area, area > out
    for (i = 1; i <= per; i++) {
      printf "## FR-%s-%03d: Requirement %d of area %s\n", area, i, i, area > out
      printf "Rev: %d\nStatus: %s\nNeeds: impl, utest\n\n", 1 + i % 3, (i % 5 ? "approved" : "draft") > out
      printf "The component shall process *every* request of kind %d within the\n", i > out
      printf "configured limit, record the outcome in the `audit` log and report\n" > out
      printf "failures to the caller with a stable error code.\n\n" > out
      if (i > 1) printf "It builds on FR-%s-%03d.\n\n", area, i - 1 > out
      printf "- inputs are validated first\n- outputs are written atomically\n\n" > out
    }
    close(out)
  }
}'
