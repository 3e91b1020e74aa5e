#!/usr/bin/env bash
# tests/bench/gen_site.sh DIR — the site benchmark's project: 10,000 FRs in
# 100 files (gen_frs.sh), 200 source files, an evidence folder whose
# trace.json links every FR to a function and a test with coverage, the
# lcov tracefile of those files, and a 1,000-term glossary (some terms used
# in every FR's text).
set -eu
dir=$1
here=$(cd "$(dirname "$0")" && pwd)
"$here/gen_frs.sh" "$dir" 100 100
mkdir -p "$dir/src" "$dir/specs" "$dir/checks" "$dir/traceability"
printf '{"schema":"hwledger.config/1","frs":"frs","sources":["src/*.c"],"tests":[],"max_file_bytes":4194304}\n' \
  > "$dir/traceability/config.json"
awk -v dir="$dir" 'BEGIN {
  for (f = 0; f < 200; f++) {
    out = sprintf("%s/src/f%03d.c", dir, f)
    for (k = 0; k < 50; k++)
      printf "/* Implements: FR-X-%03d */\nint fn_%d_%d(int x)\n{\n\tif (x > %d)\n\t\treturn x - 1;\n\treturn x + 1;\n}\n\n", k, f, k, k > out
    close(out)
  }
  cov = dir "/checks/coverage.info"
  for (f = 0; f < 200; f++) {
    printf "TN:\nSF:%s/src/f%03d.c\n", dir, f > cov
    for (k = 0; k < 50; k++) {
      b = k * 8
      printf "DA:%d,1\nDA:%d,%d\nDA:%d,%d\nDA:%d,1\n", b + 3, b + 4, k % 3, b + 5, k % 2, b + 6 > cov
    }
    printf "end_of_record\n" > cov
  }
}'
# trace.json: every FR with one impl and one test link and its coverage
awk -v n=0 'BEGIN { printf "{\"schema\": \"hwledger.trace/1\", \"summary\": {\"frs\": 10000, \"approved\": 8000, \"approved_verified\": 8000, \"verified\": 8000, \"defects\": 0}, \"frs\": [\n" }
/^## FR-/ {
  id = substr($2, 1, length($2) - 1)
  f = n % 200; k = n % 50
  printf "%s{\"id\": \"%s\", \"rev\": 1, \"status\": \"verified\", \"impl\": 1, \"tests\": 1, \"tests_passed\": 1, \"coverage\": {\"lines\": 4, \"hit\": 3, \"known\": true}, \"links\": [{\"kind\": \"impl\", \"file\": \"src/f%03d.c\", \"line\": %d, \"function\": \"fn_%d_%d\", \"first_line\": %d, \"last_line\": %d}, {\"kind\": \"utest\", \"file\": \"src/f%03d.c\", \"line\": %d, \"function\": \"test_%d\", \"first_line\": %d, \"last_line\": %d, \"outcome\": \"pass\", \"runs\": 1}]}\n", (n ? "," : ""), id, f, k * 8 + 1, f, k, k * 8 + 2, k * 8 + 7, f, k * 8 + 1, n, k * 8 + 2, k * 8 + 7
  n++
}
END { printf "], \"defects\": []}\n" }' "$dir"/frs/*.md > "$dir/checks/trace.json"
# 1,000 terms, ten of them words of the FR text
{
  echo "# Glossary"
  echo
  for t in Component Request Outcome Audit Caller "Error code" Inputs Outputs Limit Failures; do
    echo "- **$t:** What the requirements mean by ${t,,}, defined once for every reader."
  done
  awk 'BEGIN { for (i = 0; i < 990; i++) printf "- **Term%04d (T%04d):** Definition number %d, a sentence of ordinary length that explains it.\n", i, i, i }'
} > "$dir/specs/glossary.md"
