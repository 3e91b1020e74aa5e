# tests/cli/test_cli.sh — global options, dispatch, help, exit codes, init.

# Verifies: FR-CLI-001
test_version_prints_name_and_version() {
  run "$HW" --version
  expect_rc 0
  [[ "$OUT" =~ ^hwledger\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "bad: $OUT"; return 1; }
}

# Verifies: FR-CLI-001
test_help_lists_every_command_and_exit_codes() {
  run "$HW" --help
  expect_rc 0
  for c in init frs trace gate plan probe ledger sast glossary site report verify-report help; do
    expect_out "  $c "
  done
  expect_out "exit codes: 0 ok, 1 a check or gate failed, 2 usage or bad input, 3 environment error"
}

# Verifies: FR-CLI-001
test_no_command_is_a_usage_error() {
  run "$HW"
  expect_rc 2
  expect_err "hwledger: no command given"
  expect_err "usage: hwledger"
  expect_no_out
}

# Verifies: FR-CLI-001
test_unknown_command_prints_usage_and_exits_2() {
  run "$HW" frobnicate
  expect_rc 2
  expect_err "hwledger: unknown command 'frobnicate'"
  expect_err "usage: hwledger"
  expect_no_out
}

# Verifies: FR-CLI-001
test_unknown_options_exit_2() {
  run "$HW" --frob frs list
  expect_rc 2
  expect_err "hwledger: unknown option '--frob'"
  write_fr frs/a.md FR-A-001
  run "$HW" frs list --frob
  expect_rc 2
  expect_err "frs list: unknown argument '--frob'"
  expect_err "usage: hwledger frs list [--json]"
  run "$HW" frs explode
  expect_rc 2
  expect_err "frs: unknown subcommand 'explode'"
  run "$HW" frs
  expect_rc 2
  run "$HW" init extra
  expect_rc 2
  run "$HW" -C
  expect_rc 2
  expect_err "-C needs a directory"
}

# Verifies: FR-CLI-001
test_dash_C_runs_the_command_in_another_directory() {
  write_fr repo/frs/a.md FR-A-001
  run "$HW" -C repo frs list
  expect_rc 0
  expect_out "FR-A-001"
  run "$HW" -C does-not-exist frs list
  expect_rc 2
  expect_err "does-not-exist: cannot change directory"
}

# Verifies: FR-CLI-001
test_color_option_is_validated_and_applied() {
  write_fr frs/a.md FR-A-001
  run "$HW" --color=sometimes frs list
  expect_rc 2
  expect_err "--color must be auto, always or never, not 'sometimes'"
  run "$HW" --color=always frs list
  expect_rc 0
  grep -q $'\033\\[32mapproved' <<<"$OUT" || { echo "no colour: $OUT"; return 1; }
  run "$HW" --color=never frs list
  ! grep -q $'\033' <<<"$OUT" || { echo "colour with never"; return 1; }
  # auto: stdout is not a terminal here, so no colour
  run "$HW" frs list
  ! grep -q $'\033' <<<"$OUT" || { echo "colour on a pipe"; return 1; }
}

# Verifies: FR-CLI-001
test_quiet_and_verbose_change_only_the_chatter() {
  write_fr frs/a.md FR-A-001
  run "$HW" -q frs lint
  expect_rc 0
  expect_no_out
  run "$HW" -v frs lint
  expect_rc 0
  expect_err "frs: 1 FR in 1 file, 0 errors, 0 warnings"
  expect_out "frs lint: 1 FR in 1 file, no errors"
  run "$HW" -q frs list
  expect_out "FR-A-001"
  ! grep -q "FRs in" <<<"$OUT" || { echo "summary printed with -q"; return 1; }
}

# Verifies: FR-CLI-002
test_a_failed_write_to_stdout_is_exit_3() {
  [ -w /dev/full ] || { echo "no /dev/full"; return 1; }
  write_fr frs/a.md FR-A-001
  set +e
  "$HW" frs list --json >/dev/full 2>err
  rc=$?
  set -e
  [ "$rc" -eq 3 ] || { echo "exit $rc"; return 1; }
  grep -q "cannot write" err
}

# Verifies: FR-CLI-003
test_help_command_prints_the_command_usage() {
  run "$HW" help frs
  expect_rc 0
  expect_out "usage: hwledger frs list [--json]"
  expect_out "usage: hwledger frs lint"
  run "$HW" help report
  expect_rc 0
  expect_out "usage: hwledger report"
  run "$HW" verify-report --help
  expect_rc 0
  expect_out "usage: hwledger verify-report DIR"
  run "$HW" help trace
  expect_rc 0
  expect_out "usage: hwledger trace [--results PATH...]"
  run "$HW" frs --help
  expect_rc 0
  expect_out "usage: hwledger frs list"
  run "$HW" help nosuch
  expect_rc 2
  expect_err "unknown command 'nosuch'"
  run "$HW" help
  expect_rc 0
  expect_out "commands:"
}

# specs/cli.md is "every command and option the binary accepts, as
# `hwledger help COMMAND` prints them": each option and subcommand that
# help prints is in that command's section of the spec.
# Verifies: FR-CLI-003
test_every_option_help_prints_is_in_the_cli_spec() {
  local c sec opt sub bad=
  for c in init frs import trace gate review sast glossary plan probe \
           ledger site report verify-report diff export fleet; do
    sec=$(awk -v h="\`$c\`" '/^##/ { on = /^### / && index($0, h) } on' \
            "$ROOT/specs/cli.md" | tr -s ' \n' '  ')
    [ -n "$sec" ] || { echo "no section for $c"; return 1; }
    for opt in $("$HW" help "$c" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
      grep -q -- "$opt\b" <<<"$sec" || bad="$bad $c $opt;"
    done
    for sub in $("$HW" help "$c" |
                 sed -n "s/^usage: hwledger $c \([a-z][a-z-]*\).*/\1/p" |
                 sort -u); do
      grep -q -- "$c $sub\b" <<<"$sec" || bad="$bad $c $sub;"
    done
  done
  [ -z "$bad" ] || { echo "in help, not in specs/cli.md:$bad"; return 1; }
  # probe check takes the host options of probe, and help says so
  run "$HW" help probe
  expect_out "usage: hwledger probe check [DIR] [--json] [--ssh USER@HOST]... [--hosts FILE] [--timeout SECONDS] [--pool N]"
}

# Verifies: FR-CLI-003
test_every_command_and_subcommand_takes_help() {
  # `sast --help` was "unknown option", `frs lint --help` and the like
  # "unknown argument"; help never needs a repository, so run it in none
  local c h
  for c in init frs trace gate plan probe ledger sast glossary site report \
           verify-report help "frs list" "frs lint" "ledger verify" \
           "ledger append --kind x" "plan check" "probe check" "glossary lint" \
           "glossary import a.json" "sast --tool all"; do
    for h in --help -h; do
      # shellcheck disable=SC2086
      run "$HW" $c $h
      expect_rc 0
      expect_out "usage: hwledger ${c%% *}"
      [ -z "$ERR" ] || { echo "$c $h: stderr: $ERR"; return 1; }
    done
  done
}

# A project not laid out as src/ and tests/ (cxxopts: include/ and
# test/; leveldb: tests beside the code; snappy: files at the root) gets
# the globs of the files it holds, tests apart, and never those of build
# outputs, vendored code, examples or hidden folders.
# Verifies: FR-CLI-004
test_init_selects_the_files_the_tree_holds() {
  mkdir -p include/cx test/unit docs build third_party/z .git src/app/tests db
  for f in include/cx/opts.hpp test/main.cpp test/unit/run.sh docs/ex.c \
           build/gen.c third_party/z/z.c .git/x.c src/app/m.py \
           src/app/tests/test_m.py db/db.cc db/db_test.cc snappy.cc \
           snappy.h snappy_unittest.cc notes.txt test/data.txt \
           test/CMakeLists.txt build.sh; do
    echo 'int x;' > "$f"
  done
  run "$HW" init
  expect_rc 0
  expect_out "created  traceability/config.json (5 source globs, 5 test globs, from the files found)"
  jq -e '.sources == ["*.cc", "*.h", "db/**/*.cc", "include/**/*.hpp", "src/**/*.py"]
         and .tests == ["*_unittest.cc", "db/**/*_test.cc", "src/app/tests/**/*.py", "test/**/*.cpp", "test/**/*.sh"]' \
    traceability/config.json >/dev/null || { cat traceability/config.json; return 1; }
  # what it wrote is a config every command reads, selecting those files
  run "$HW" -v trace
  expect_rc 0
  expect_err "10 files"
  # an empty tree gets the documented defaults (the next test)
}

# Verifies: FR-CLI-004
test_init_sets_up_a_repository_that_lints() {
  run "$HW" init
  expect_rc 0
  expect_out "created  frs/example.md"
  expect_out "created  traceability/config.json"
  expect_out "created  traceability/policy.json"
  jq -e '.schema == "hwledger.config/1" and (.sources | index("src/**/*.c"))
         and (.sources | index("src/**/*.h")) and .tests == ["tests/**/*.c"]' \
    traceability/config.json >/dev/null
  jq -e '.schema == "hwledger.policy/1"' traceability/policy.json >/dev/null
  run "$HW" frs lint
  expect_rc 0
  run "$HW" frs list --json
  [ "$(jq -r '.frs[0].id' <<<"$OUT")" = FR-EXAMPLE-001 ]
}

# Verifies: FR-CLI-004
test_init_never_overwrites_existing_files() {
  write_fr frs/mine.md FR-MINE-001
  mkdir -p traceability
  echo '{"frs": "frs"}' > traceability/config.json
  run "$HW" init
  expect_rc 0
  expect_out "kept     frs/ (1 FR document)"
  expect_out "kept     traceability/config.json (exists)"
  expect_out "created  traceability/policy.json"
  [ ! -e frs/example.md ] || { echo "example added beside existing FRs"; return 1; }
  [ "$(cat traceability/config.json)" = '{"frs": "frs"}' ]
  run "$HW" init
  expect_out "kept     traceability/policy.json (exists)"
}

# Verifies: FR-CLI-008
test_commands_work_without_a_config_file() {
  write_fr frs/a.md FR-A-001
  [ ! -e traceability ] || return 1
  run "$HW" frs lint
  expect_rc 0
  run "$HW" frs list --json
  expect_rc 0
  [ "$(jq -r '.count' <<<"$OUT")" = 1 ]
}


# README: "-v, like -q and -C, goes before the command". Written after it,
# the refusal says so (it was only "trace: unknown argument '-v'").
# Verifies: FR-CLI-001
test_a_global_option_after_the_command_is_told_where_it_goes() {
  "$HW" -q init >/dev/null
  run "$HW" trace -v
  expect_rc 2
  expect_err "hwledger: trace: unknown argument '-v' (-v is a global option: it goes before the command, as in hwledger -v trace)"
  run "$HW" frs list -C ..
  expect_rc 2
  expect_err "(-C is a global option: it goes before the command, as in hwledger -C DIR frs)"
  run "$HW" report --color=never
  expect_rc 2
  expect_err "as in hwledger --color=never report)"
  # one line, as every problem is
  [ "$(grep -c '^hwledger:' <<<"$ERR")" = 1 ]
  # a refusal of something else carries no hint
  run "$HW" trace --fromat json -v
  expect_rc 2
  ! grep -q 'global option' <<<"$ERR" || { echo "$ERR"; return 1; }
  # and where the command takes the value, nothing changes
  run "$HW" -v trace
  expect_rc 0
}
