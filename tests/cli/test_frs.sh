# tests/cli/test_frs.sh — `frs list` and `frs lint` on fixtures and on this
# repository.

# Verifies: FR-FRS-005
test_frs_lint_accepts_the_good_fixture() {
  run "$HW" -C "$FIXTURES/frs/good" frs lint
  expect_rc 0
  expect_out "frs lint: 3 FRs in 1 file, no errors"
  [ -z "$ERR" ] || { echo "unexpected stderr: $ERR"; return 1; }
}

# Every folder of tests/fixtures/frs but good/ is one kind of bad input with
# the exact diagnostics expected on stderr.
# Verifies: FR-FRS-002, FR-FRS-005, FR-FRS-006, FR-CLI-005
test_frs_lint_bad_fixtures_exit_2_with_file_line_messages() {
  local n=0 bad=0
  for dir in "$FIXTURES"/frs/*/; do
    [ -f "$dir/expected-stderr" ] || continue
    n=$((n + 1))
    run "$HW" -C "$dir" frs lint
    if [ "$RC" -ne 2 ] || [ "$ERR" != "$(cat "$dir/expected-stderr")" ]; then
      echo "$(basename "$dir"): exit $RC, stderr: $ERR"
      bad=$((bad + 1))
    fi
    [ -z "$OUT" ] || { echo "$(basename "$dir"): stdout: $OUT"; bad=$((bad + 1)); }
  done
  [ "$n" -ge 18 ] || { echo "only $n fixtures"; return 1; }
  [ "$bad" -eq 0 ]
}

# Verifies: FR-FRS-002
test_frs_lint_caps_the_id_length() {
  # a 600-character ID passed lint, then its page name broke the site
  local ok long
  ok="FR-$(printf 'A%.0s' $(seq 1 57))-001"    # 64 characters: the cap
  long="FR-$(printf 'A%.0s' $(seq 1 594))-001" # 601
  write_fr frs/a.md "$ok"
  run "$HW" frs lint
  expect_rc 0
  write_fr frs/a.md "$long"
  run "$HW" frs lint
  expect_rc 2
  expect_err "hwledger: frs/a.md:7: FR id 'FR-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA…' is 601 characters long: at most 64"
  [ "$(grep -c '^hwledger:' <<<"$ERR")" -eq 1 ] || { echo "$ERR"; return 1; }
  # one character over: refused the same way
  printf '## FR-%s-001: Title\nRev: 1\nStatus: draft\nNeeds: impl\n\nText.\n' \
    "$(printf 'A%.0s' $(seq 1 58))" > frs/a.md
  run "$HW" frs lint
  expect_rc 2
  expect_err "is 65 characters long: at most 64"
}

# Verifies: FR-FRS-004
test_frs_list_json_is_valid_and_versioned() {
  run "$HW" -C "$FIXTURES/frs/good" frs list --json
  expect_rc 0
  jq -e '.schema == "hwledger.frs/1" and .count == 3 and (.frs | length) == 3' <<<"$OUT" >/dev/null
  jq -e '.frs[0] | .id == "FR-APP-001" and .rev == 2 and .status == "approved"
         and .needs == ["impl", "utest"] and .file == "frs/app.md" and .line == 3
         and (.sha256 | test("^[0-9a-f]{64}$"))
         and (.text | startswith("The application starts"))' <<<"$OUT" >/dev/null
  jq -e '[.frs[].status] == ["approved", "draft", "deprecated"]' <<<"$OUT" >/dev/null
}

# Verifies: FR-FRS-004
test_frs_list_prints_a_table_with_a_summary() {
  run "$HW" -C "$FIXTURES/frs/good" frs list
  expect_rc 0
  expect_out "ID"
  expect_out "FR-APP-002     1  draft       impl, utest, itest  Stop cleanly"
  expect_out "3 FRs in 1 file: 1 approved, 1 draft, 1 deprecated"
}

# Verifies: FR-FRS-004, FR-FRS-006
test_frs_list_refuses_bad_input_and_prints_nothing() {
  run "$HW" -C "$FIXTURES/frs/duplicate-id" frs list --json
  expect_rc 2
  expect_no_out
  expect_err "duplicate FR id FR-A-001"
}

# Verifies: FR-FRS-006, FR-CLI-007
test_frs_default_size_cap_is_4_mib() {
  mkdir frs
  write_fr frs/big.md FR-A-001
  # pad the FR's text to exactly 4 MiB: accepted
  local size pad
  size=$(stat -c %s frs/big.md)
  pad=$((4194304 - size))
  head -c "$((pad - 1))" /dev/zero | tr '\0' 'x' >> frs/big.md
  echo >> frs/big.md
  [ "$(stat -c %s frs/big.md)" -eq 4194304 ] || return 1
  run "$HW" frs lint
  expect_rc 0
  echo x >> frs/big.md
  run "$HW" frs lint
  expect_rc 2
  expect_err "hwledger: frs/big.md: file is 4194306 bytes, over the limit of 4194304"
}

# Verifies: FR-FRS-006
test_frs_missing_folder_is_exit_2() {
  run "$HW" frs lint
  expect_rc 2
  expect_err "hwledger: frs: no such directory"
}

# Verifies: FR-FRS-005
test_frs_lint_passes_on_this_repository() {
  run "$HW" -C "$ROOT" frs lint
  expect_rc 0
  [ -z "$ERR" ] || { echo "diagnostics on our own FRs: $ERR"; return 1; }
}

# Verifies: FR-FRS-006, FR-SITE-003
test_frs_read_on_two_threads_come_out_as_on_one() {
  local want=() two_out two_err
  mkdir frs
  for i in $(seq -w 1 40); do
    write_fr "frs/area$i.md" "FR-A-0$i"
    write_fr "frs/area$i.md" "FR-B-0$i" draft
    want+=("FR-A-0$i" "FR-B-0$i")
  done
  # problems in both halves
  printf '## FR-C-001: No status\n\nText.\n' > frs/area05x.md
  printf '## FR-C-002: No status\n\nText.\n' > frs/area35x.md
  printf 'binary\0file\n' > frs/area20x.md
  run env HWLEDGER_THREADS=2 "$HW" frs lint
  expect_rc 2
  two_err=$ERR
  run env HWLEDGER_THREADS=1 "$HW" frs lint
  expect_rc 2
  [ "$ERR" = "$two_err" ] || { echo "one: $ERR"; echo "two: $two_err"; return 1; }
  [ "$(grep -c 'FR-C-00[12]: missing Status' <<<"$ERR")" = 2 ]
  grep -q 'area20x.md:1:7: binary file' <<<"$ERR"
  # without problems: every FR, in file order, the same on one thread
  rm frs/area05x.md frs/area35x.md frs/area20x.md
  run env HWLEDGER_THREADS=2 "$HW" frs list --json
  expect_rc 0
  two_out=$OUT
  [ "$(jq -r '.frs[].id' <<<"$OUT" | tr '\n' ' ')" = "${want[*]} " ] ||
    { jq -c '[.frs[].id][:6]' <<<"$OUT"; return 1; }
  run env HWLEDGER_THREADS=1 "$HW" frs list --json
  [ "$OUT" = "$two_out" ] || { echo "the listings differ"; return 1; }
}
