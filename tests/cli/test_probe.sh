# tests/cli/test_probe.sh — `hwledger probe` against fakes that behave like
# the real interfaces: a library with NVML's symbols, vendor tools printing
# their real formats, a fake sysfs and /proc, and a fake ssh.

P=$FIXTURES/probes
FAKES=$ROOT/tests/fakes/bin
NVML=$(dirname "$HW")/fakes

# Verifies: FR-PROBE-001, FR-PROBE-003
test_probe_local_never_reports_unknowns_as_zero() {
  run env HWLEDGER_NVML_LIB=/nonexistent/libnvidia-ml.so.1 "$HW" probe --json
  expect_rc 0
  jq -e '.schema == "hwledger.probe/1" and .hosts[0].host == "local"
         and .hosts[0].backends.nvidia.status == "unsupported"
         and (.hosts[0].backends.nvidia.reason | startswith("no NVIDIA driver"))
         and .hosts[0].system.memory_total.value > 0
         and ([.. | objects | select(has("status") and .status != "ok") | .value] | all(. == null))' <<<"$OUT" >/dev/null
}

# Verifies: FR-PROBE-002, FR-PROBE-001
test_probe_nvml_fake_two_gpus_one_without_power() {
  run env HWLEDGER_NVML_LIB="$NVML/libfake_nvml.so" FAKE_NVML_SCENARIO="$P/nvml-two-gpus.json" "$HW" probe --json
  expect_rc 0
  jq -e '.hosts[0] | .backends.nvidia_driver.value == "550.54.14" and .backends.cuda_driver.value == "12.4"
         and (.gpus | length) == 2
         and .gpus[0].name.value == "NVIDIA H100 80GB HBM3" and .gpus[0].memory_free.value == 84447068160
         and .gpus[0].power_draw.value == 71.54 and .gpus[0].compute_capability.value == "9.0"
         and .gpus[0].mig_mode.value == "disabled" and .gpus[0].pci_bus_id.value == "00000000:18:00.0"
         and .gpus[1].power_draw.status == "unsupported" and .gpus[1].power_draw.value == null
         and .gpus[1].power_limit.value == 150 and .gpus[1].mig_mode.status == "unsupported"' <<<"$OUT" >/dev/null
}

# Verifies: FR-PROBE-002
test_probe_nvml_old_driver_init_failure_and_wrong_library() {
  run env HWLEDGER_NVML_LIB="$NVML/libfake_nvml_old.so" FAKE_NVML_SCENARIO="$P/nvml-two-gpus.json" "$HW" probe --json
  jq -e '.hosts[0].gpus[0].compute_capability.reason == "this driver'"'"'s NVML has no nvmlDeviceGetCudaComputeCapability"
         and .hosts[0].gpus[0].memory_total.status == "ok"' <<<"$OUT" >/dev/null
  run env HWLEDGER_NVML_LIB="$NVML/libfake_nvml.so" FAKE_NVML_SCENARIO="$P/nvml-init-fails.json" "$HW" probe --json
  expect_rc 0
  jq -e '.hosts[0].backends.nvidia | .status == "error" and (.reason | contains("nvmlInit: Driver Not Loaded (9)"))' <<<"$OUT" >/dev/null
  lib=$(ls /usr/lib/x86_64-linux-gnu/libcjson.so.1 /usr/lib/*/libcjson.so.1 2>/dev/null | head -n 1)
  run env HWLEDGER_NVML_LIB="$lib" "$HW" probe --json
  jq -e '.hosts[0].backends.nvidia | .status == "error" and (.reason | contains("lacks nvmlInit"))' <<<"$OUT" >/dev/null
}

# Verifies: FR-PROBE-002, FR-PROBE-003
test_probe_amd_sysfs_and_host_from_fake_trees() {
  run env PATH=/usr/bin:/bin HWLEDGER_SYSFS_ROOT="$P/sysfs" HWLEDGER_PROC_ROOT="$P/proc" "$HW" probe --json
  expect_rc 0
  jq -e '.hosts[0] | .backends.amd.value == "sysfs" and (.gpus | length) == 1
         and .gpus[0].vendor == "amd" and .gpus[0].memory_total.value == 25753026560
         and .gpus[0].memory_free.value == 24679284736 and .gpus[0].temperature.value == 45
         and .gpus[0].power_draw.value == 56 and .gpus[0].utilization.value == 12
         and .system.cpu_model.value == "Fake CPU 9000" and .system.threads.value == 4
         and .system.cores.value == 2 and .system.memory_total.value == 67108864000
         and .system.numa_nodes.value == 2 and .system.hugepages_free.value == 8' <<<"$OUT" >/dev/null
}

# Verifies: FR-PROBE-002
test_probe_rocm_smi_and_system_profiler_fakes() {
  run env PATH="$FAKES:$PATH" FAKE_ROCM_FILE="$P/rocm-smi.json" FAKE_SP_FILE="$P/system_profiler.json" \
    HWLEDGER_NVML_LIB=/none "$HW" probe --json
  expect_rc 0
  jq -e '.hosts[0] | .backends.amd.value == "rocm-smi" and .backends.apple.value == "system_profiler"
         and .gpus[0].name.value == "AMD Instinct MI300X" and .gpus[0].memory_total.value == 206141652992
         and .gpus[0].temperature.status == "unsupported" and .gpus[0].power_draw.value == 132
         and .gpus[1].vendor == "apple" and .gpus[1].memory_total.value == 206158430208
         and (.gpus[1].memory_total.reason | contains("unified"))' <<<"$OUT" >/dev/null
  # macmon gives the Apple GPU its live readings (the last sample)
  run env PATH="$FAKES:$PATH" FAKE_SP_FILE="$P/system_profiler.json" FAKE_MACMON_FILE="$P/macmon.jsonl" \
    HWLEDGER_NVML_LIB=/none "$HW" probe --json
  jq -e '.hosts[0].gpus[] | select(.vendor == "apple") | .source == "system_profiler+macmon"
         and .memory_used.value == 120259084288 and .memory_free.value == 85899345920
         and .utilization.value == 43.75 and .temperature.value == 52.5 and .power_draw.value == 38.25
         and (.memory_free.reason | contains("unified")) and .uuid.status == "unsupported"' <<<"$OUT" >/dev/null
  # installed but failing: an error on each live reading, never a 0
  run env PATH="$FAKES:$PATH" FAKE_SP_FILE="$P/system_profiler.json" HWLEDGER_NVML_LIB=/none "$HW" probe --json
  jq -e '.hosts[0].gpus[] | select(.vendor == "apple") | .memory_used.status == "error"
         and .memory_used.reason == "macmon failed" and .memory_total.status == "ok"
         and .source == "system_profiler"' <<<"$OUT" >/dev/null
  # a vendor tool that hangs is killed at the timeout and reported (the
  # other fake tools answer at once: 5 s leaves them room on a loaded
  # machine)
  run env PATH="$FAKES:$PATH" FAKE_ROCM_HANG=1 HWLEDGER_TOOL_TIMEOUT=5 HWLEDGER_NVML_LIB=/none "$HW" probe --json
  expect_rc 0
  jq -e '.hosts[0].backends.amd | .status == "error" and (.reason | contains("timed out"))' <<<"$OUT" >/dev/null
}

# Verifies: FR-PROBE-004
test_probe_remote_hosts_fail_alone() {
  # hang1 never answers; the timeout leaves the others room on a loaded
  # machine
  run env PATH="$FAKES:$PATH" FAKE_REMOTE_SMI="$P/nvidia-smi.csv" "$HW" probe --json --timeout 5 \
    --ssh ops@gpu1 --ssh ops@down1 --ssh ops@hang1 --ssh ops@garbage1 --ssh ops@huge1 --ssh ops@plain1
  expect_rc 0
  jq -e '[.hosts[] | .host] == ["ops@gpu1", "ops@down1", "ops@hang1", "ops@garbage1", "ops@huge1", "ops@plain1"]
         and (.hosts[0] | .reachable and (.gpus | length) == 2 and .gpus[0].memory_total.value == 85520809984
              and .gpus[1].power_draw.status == "unsupported" and .system.memory_total.value > 0)
         and (.hosts[1] | (.reachable | not) and (.error.reason | contains("exit 255")))
         and (.hosts[2].error.reason | contains("timed out"))
         and (.hosts[3].error.reason | contains("stopped early"))
         and (.hosts[4].error.reason | contains("1 MiB"))
         and (.hosts[5] | .reachable and (.gpus | length) == 0 and .backends.nvidia.status == "unsupported")' <<<"$OUT" >/dev/null || { jq -c ".hosts[] | [.host, .reachable, .error.reason, (.gpus | length)]" <<<"$OUT"; return 1; }
  # a remote Mac: system_profiler and macmon over the same ssh call
  run env PATH="$FAKES:$PATH" FAKE_REMOTE_SP="$P/system_profiler.json" FAKE_REMOTE_MACMON="$P/macmon.jsonl" \
    "$HW" probe --json --ssh ops@mac1
  jq -e '.hosts[0] | .backends.apple.value == "system_profiler"
         and .gpus[0].vendor == "apple" and .gpus[0].memory_used.value == 120259084288
         and .gpus[0].utilization.value == 43.75' <<<"$OUT" >/dev/null
  printf '# fleet\nops@plain1\n\n  ops@down2\n' > hosts.txt
  run env PATH="$FAKES:$PATH" "$HW" probe --hosts hosts.txt --json
  jq -e '[.hosts[].reachable] == [true, false]' <<<"$OUT" >/dev/null
}

# Verifies: FR-PROBE-005
test_probe_check_passes_here_and_fails_honestly() {
  run env HWLEDGER_NVML_LIB=/none "$HW" -C "$ROOT" probe check
  expect_rc 0
  expect_out "probe check: 3 checks, 0 failed"
  mkdir checks
  printf '{"name": "needs a big GPU", "expect": {"gpus_min": 1, "gpu0_free_min_bytes": 8e10}}\n' > checks/gpu.json
  run env HWLEDGER_NVML_LIB=/none "$HW" probe check checks
  expect_rc 1
  expect_out "FAIL needs a big GPU"
  expect_out "local: 0 GPUs, expected at least 1"
  run env HWLEDGER_NVML_LIB="$NVML/libfake_nvml.so" FAKE_NVML_SCENARIO="$P/nvml-two-gpus.json" "$HW" probe check checks --json
  expect_rc 0
  jq -e '.failed == 0 and .checks[0].ok and (.probe.hosts[0].gpus | length) == 2' <<<"$OUT" >/dev/null
  printf '{"name": "typo", "expect": {"gpus_mni": 1}}\n' > checks/gpu.json
  run "$HW" probe check checks
  expect_rc 2
  expect_err "unknown expectation \"gpus_mni\""
}

# Verifies: FR-PROBE-005
test_plan_against_the_probed_gpu() {
  run env HWLEDGER_NVML_LIB="$NVML/libfake_nvml.so" FAKE_NVML_SCENARIO="$P/nvml-two-gpus.json" \
    "$HW" -C "$ROOT" plan --model planner/models/llama-3.1-8b.json --gpu probed --json
  expect_rc 0
  jq -e '.inputs.gpu == "probed GPU 0 (NVIDIA H100 80GB HBM3)" and .inputs.gpu_memory_bytes == 84447068160 and .fits' <<<"$OUT" >/dev/null
  run env HWLEDGER_NVML_LIB=/none "$HW" -C "$ROOT" plan --model planner/models/llama-3.1-8b.json --gpu probed
  expect_rc 3
  expect_err "no GPU with a known free memory"
}

# Verifies: FR-PROBE-004
test_probe_remote_refuses_option_hosts_and_reports_no_ssh() {
  run "$HW" probe --json --ssh '-oProxyCommand=touch pwned'
  expect_rc 0
  jq -e '.hosts[0] | (.reachable | not) and (.error.reason | contains("may not start with"))' <<<"$OUT" >/dev/null
  [ ! -e pwned ]
  run env PATH=/nonexistent "$HW" probe --json --ssh ops@anywhere
  jq -e '.hosts[0].error.reason == "no ssh client"' <<<"$OUT" >/dev/null
  # numbers with units or fractions are refused, not read as their prefix
  for bad in "--timeout 5s" "--timeout 0" "--timeout nan" "--pool 3x" "--pool 2.5"; do
    run "$HW" probe --json $bad --ssh ops@anywhere
    expect_rc 2
  done
  # a hosts file beyond the cap is refused, not cut short
  seq -f 'ops@h%g' 1025 > many.txt
  run "$HW" probe --json --hosts many.txt
  expect_rc 2
  expect_err "more than 1024 hosts"
  # a usage error after a hosts file was read (make asan checks for leaks)
  run "$HW" probe check --hosts hosts-none.txt
  expect_rc 2
  printf 'ops@h1\n' > one.txt
  run "$HW" probe check --hosts one.txt --pool 3x
  expect_rc 2
}

# A value that is missing or out of range names the option and what it
# must be (it was "probe: bad argument '--timeout'", without the value).
# Verifies: FR-CLI-001
test_probe_says_what_a_bad_option_value_must_be() {
  run "$HW" probe --timeout x
  expect_rc 2
  expect_err "hwledger: --timeout needs seconds, more than 0 and at most 86400, not 'x'"
  run "$HW" probe check --pool 0
  expect_rc 2
  expect_err "hwledger: --pool needs a whole number from 1 to 1024, not '0'"
  run "$HW" probe --timeout
  expect_rc 2
  expect_err "hwledger: --timeout needs a value"
  run "$HW" probe --bogus
  expect_rc 2
  expect_err "hwledger: probe: unknown argument '--bogus'"
  # --fleet's options belong to probe check only
  run "$HW" probe --cert c.pem
  expect_rc 2
  expect_err "hwledger: probe: unknown argument '--cert'"
}

# A project without probe checks runs `probe check`: the message says
# what the folder is for and how to name another.
# Verifies: FR-PROBE-005
test_probe_check_without_its_folder_says_what_belongs_there() {
  run "$HW" probe check
  expect_rc 2
  expect_err "hwledger: probes/checks: no such directory (probe check applies the probe checks there, one *.json each"
  expect_err "hwledger probe check DIR)"
  [ -z "$OUT" ]
}
