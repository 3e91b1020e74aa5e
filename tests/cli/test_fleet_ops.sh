# tests/cli/test_fleet_ops.sh — the fleet in operation: the server's limits
# under slow and idle clients, its metrics, hosts probed over SSH, the
# service units, and the whole fleet of issue #29 on one machine. Uses the
# helpers of test_fleet.sh (fleet_ca, fleet_cert, fleet_serve, fleet_stop).

FLEET_PY="$ROOT/tests/cli/fleet"

# wait_for CMD...: runs CMD every 0.05 s until it succeeds, for at most
# 60 s (a bound against hanging, never a timing assertion)
wait_for() {
  for _ in $(seq 1200); do
    "$@" && return 0
    sleep 0.05
  done
  echo "still not true after 60 s: $*"
  return 1
}

# Verifies: FR-FLEET-020
test_fleet_serve_cuts_a_slow_client_and_serves_the_others() {
  fleet_ca
  fleet_cert gpu-1 gpu-1.crt
  run "$HW" fleet serve --idle-timeout 0
  expect_rc 2
  expect_err "bad value '0' for --idle-timeout"
  FLEET_SERVE_ARGS="--idle-timeout 1" fleet_serve
  # two clients that send a byte of a handshake every 0.2 s, never done
  python3 "$FLEET_PY/dribble.py" "${URL##*:}" .hwledger/fleet/ca/ca.crt 2 >dribble.out &
  dribbler=$!
  trap 'kill $SERVER $dribbler 2>/dev/null || true' EXIT
  wait_for grep -qx open dribble.out
  # while they dribble, the fleet's agent is served
  run "$HW" agent --server "$URL" --cert gpu-1.crt --key agent/gpu-1.key --once
  expect_rc 0
  # and both are cut, however often they send
  wait "$dribbler" || { echo "a slow client was not cut: $(cat dribble.out)"; return 1; }
  grep -qx "cut 2" dribble.out
  run "$HW" fleet hosts --server "$URL" --cert gpu-1.crt --key agent/gpu-1.key
  expect_rc 0
  expect_out "gpu-1"
  fleet_stop
  grep -q "hwledger: fleet serve: a request took more than 1 s; connection closed" serve.log
}

# open descriptors of the server: its 1,000 idle connections and its own
server_fds_over() {
  [ "$(find "/proc/$SERVER/fd" -mindepth 1 | wc -l)" -gt "$1" ]
}

# Verifies: FR-FLEET-020
test_fleet_serve_holds_a_thousand_idle_connections_and_serves_on() {
  fleet_ca
  fleet_cert gpu-1 gpu-1.crt
  # a soft limit on open files too low for 1,000 connections: the server
  # raises its own as far as the hard limit lets it
  ulimit -Sn 512
  FLEET_SERVE_ARGS="--idle-timeout 600" fleet_serve
  python3 "$FLEET_PY/idle.py" "${URL##*:}" 1000 ready >idle.out &
  idle=$!
  trap 'kill $SERVER $idle 2>/dev/null || true' EXIT
  wait_for test -e ready
  # the server has accepted them all (not left them in the listen queue)
  wait_for server_fds_over 1000
  run "$HW" agent --server "$URL" --cert gpu-1.crt --key agent/gpu-1.key --once
  expect_rc 0
  run "$HW" fleet hosts --server "$URL" --cert gpu-1.crt --key agent/gpu-1.key
  expect_rc 0
  expect_out "gpu-1"
  # the idle ones were all still open while it was served
  server_fds_over 1000
  # at the limit of 1,024 every thread of the pool is full; SIGTERM still
  # stops the server at once, not after the idle timeout
  python3 "$FLEET_PY/idle.py" "${URL##*:}" 24 ready2 >idle2.out &
  trap 'kill $SERVER $idle $! 2>/dev/null || true' EXIT
  wait_for test -e ready2
  wait_for server_fds_over 1024
  kill "$SERVER"
  wait_for server_exited
  wait "$SERVER" || { echo "the server exited $?:"; cat serve.log; return 1; }
  ! grep -q "Server reached connection limit" serve.log || return 1
}

# the server has exited (a zombie until the test waits for it)
server_exited() {
  [ ! -e "/proc/$SERVER" ] || [ "$(awk '{print $3}' "/proc/$SERVER/stat")" = Z ]
}

# key_pem KEY OUT: the hwledger secret key file KEY as the PKCS#8 PEM that
# curl and Prometheus read (the Ed25519 seed is its key's first 32 bytes)
key_pem() {
  { echo "-----BEGIN PRIVATE KEY-----"
    { printf '\x30\x2e\x02\x01\x00\x30\x05\x06\x03\x2b\x65\x70\x04\x22\x04\x20'
      sed -n 's/^key: //p' "$1" | base64 -d | head -c 32; } | base64
    echo "-----END PRIVATE KEY-----"; } >"$2"
  chmod 600 "$2"
}

# the metric families of Prometheus text on stdin, through Prometheus's
# own parser (Debian's python3-prometheus-client, so Debian's python3),
# as {"name": [[labels, value]...]}
prom_parse() {
  /usr/bin/python3 -c '
import json, sys
from prometheus_client.parser import text_string_to_metric_families
print(json.dumps({f.name: [[s.labels, s.value] for s in f.samples]
                  for f in text_string_to_metric_families(sys.stdin.read())}))'
}

# Verifies: FR-FLEET-021
test_fleet_metrics_are_prometheus_text_of_every_hosts_readings() {
  fleet_ca
  HWLEDGER_NOW=2000000000 fleet_cert gpu-1 gpu-1.crt
  "$HW" -q ledger keygen --name gpu-2 --dir agent2 >/dev/null
  token=$(HWLEDGER_NOW=2000000000 "$HW" fleet enroll gpu-2)
  HWLEDGER_NOW=2000000000 "$HW" -q fleet issue --token "$token" --key agent2/gpu-2.pub -o gpu-2.crt
  fleet_serve HWLEDGER_NOW=2000000000
  one=(--server "$URL" --cert gpu-1.crt --key agent/gpu-1.key)
  "$HW" agent "${one[@]}" --once
  "$HW" agent --server "$URL" --cert gpu-2.crt --key agent2/gpu-2.key --interval 5 --once
  HWLEDGER_NOW=2000000000 fleet_operator
  "$HW" -q fleet run probe --host gpu-1 "${ops[@]}"
  HWLEDGER_NVML_LIB="$(dirname "$HW")/fakes/libfake_nvml.so" \
    FAKE_NVML_SCENARIO="$FIXTURES/probes/nvml-two-gpus.json" "$HW" agent "${one[@]}" --once
  fleet_stop
  # twenty seconds later: gpu-1 (every 30 s) is up, gpu-2 (every 5 s) down
  fleet_serve HWLEDGER_NOW=2000000020
  key_pem agent/gpu-1.key gpu-1.pem
  curl=(curl -sS --cacert .hwledger/fleet/ca/ca.crt --cert gpu-1.crt --key gpu-1.pem)
  run "${curl[@]}" -D headers "$URL/v1/metrics"
  expect_rc 0
  grep -qi '^content-type: text/plain; version=0.0.4; charset=utf-8' headers
  prom_parse <<<"$OUT" >families.json
  q() { jq -c "$1" families.json; }
  [ "$(q '.hwledger_fleet_host_up | map([.[0].host, .[1]])')" = '[["gpu-1",1],["gpu-2",0]]' ]
  [ "$(q '.hwledger_fleet_host_last_seen_age_seconds | map(.[1])')" = '[20,20]' ]
  [ "$(q '.hwledger_fleet_host_probe_age_seconds')" = '[[{"host":"gpu-1"},20]]' ]
  [ "$(q '.hwledger_fleet_gpu_memory_total_bytes')" = \
    '[[{"host":"gpu-1","gpu":"0","name":"NVIDIA H100 80GB HBM3"},85520809984],[{"host":"gpu-1","gpu":"1","name":"NVIDIA A10"},24146608128]]' ]
  [ "$(q '.hwledger_fleet_gpu_memory_free_bytes[0][1]')" = 84447068160 ]
  [ "$(q '.hwledger_fleet_gpu_memory_used_bytes[0][1]')" = 1073741824 ]
  [ "$(q '.hwledger_fleet_gpu_utilization_ratio[0][1]')" = 0.03 ]
  [ "$(q '.hwledger_fleet_gpu_temperature_celsius | map(.[1])')" = '[34,29]' ]
  # the A10's power draw could not be read: left out, never a 0
  [ "$(q '.hwledger_fleet_gpu_power_draw_watts | map(.[0].gpu)')" = '["0"]' ]
  # gpu-2 was never probed: its agent's up and age, no reading at all
  [ "$(q '[.[] | .[] | select(.[0].host == "gpu-2")] | length')" = 2 ]
  # /metrics is the same, for scrapers that look there
  run "${curl[@]}" "$URL/metrics"
  expect_out "hwledger_fleet_host_up{host=\"gpu-1\""
  # and like every endpoint it needs the fleet's certificate
  run curl -sS --cacert .hwledger/fleet/ca/ca.crt "$URL/metrics"
  expect_out "refused: no client certificate"
  fleet_stop
}

# Verifies: FR-FLEET-022
test_fleet_service_units_are_hardened_and_verify() {
  for unit in hwledger-fleet hwledger-agent; do
    f="$ROOT/dist/systemd/$unit.service"
    for key in NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes \
      PrivateTmp=yes Restart=on-failure "StateDirectory=$unit" \
      "User=$unit" "WorkingDirectory=/var/lib/$unit" \
      WantedBy=multi-user.target; do
      key=${key/hwledger-fleet/hwledger}
      grep -qx -- "$key" "$f" || { echo "$unit lacks $key"; return 1; }
    done
    grep -q '^ExecStart=/usr/local/bin/hwledger ' "$f"
    # systemd's own check, where systemd is installed: not a word of
    # complaint (a bad value is only a warning to it)
    if command -v systemd-analyze >/dev/null; then
      sed "s|/usr/local/bin/hwledger|$HW|" "$f" >"$unit.service"
      run systemd-analyze verify "./$unit.service"
      expect_rc 0
      [ -z "$ERR$OUT" ] || { echo "systemd-analyze: $ERR$OUT"; return 1; }
    fi
  done
  grep -q '^ExecStart=/usr/local/bin/hwledger fleet serve ' "$ROOT/dist/systemd/hwledger-fleet.service"
  grep -q '^ExecStart=/usr/local/bin/hwledger agent --server ' "$ROOT/dist/systemd/hwledger-agent.service"
}

# the payloads of the ledger's fleet-result events, as a JSON array
fleet_results() {
  sqlite3 .hwledger/ledger.db \
    "SELECT CAST(payload AS TEXT) FROM events WHERE kind = 'fleet-result' ORDER BY seq" | jq -s -c .
}

# ssh_probed N: the server has recorded N hosts probed over SSH
ssh_probed() {
  [ "$("$HW" fleet status "${mine[@]}" --json | jq '[.hosts[] | select(.via == "ssh")] | length')" = "$1" ]
}

# Verifies: FR-FLEET-023
test_fleet_serve_probes_hosts_without_an_agent_over_ssh() {
  fleet_ca
  HWLEDGER_NOW=2000000000 fleet_cert gpu-1 gpu-1.crt
  run "$HW" fleet serve --ssh-hosts missing-file
  expect_rc 2
  expect_err "hwledger: missing-file: no such file"
  printf '# hosts without an agent\nops@gpu4\n\n  ops@down4\n' >ssh-hosts
  FLEET_SERVE_ARGS="--ssh-hosts ssh-hosts --ssh-interval 3600 --ssh-timeout 60" fleet_serve \
    HWLEDGER_NOW=2000000000 PATH="$ROOT/tests/fakes/bin:$PATH" \
    FAKE_REMOTE_SMI="$FIXTURES/probes/nvidia-smi.csv"
  mine=(--server "$URL" --cert gpu-1.crt --key agent/gpu-1.key)
  HWLEDGER_NOW=2000000000 "$HW" agent "${mine[@]}" --once
  # the first round of SSH probes starts once the server listens
  wait_for ssh_probed 2
  run "$HW" fleet status "${mine[@]}"
  expect_rc 0
  expect_out "gpu-1 up, last seen 2033-05-18T03:33:20Z, not probed yet"
  expect_out "ops@down4 down via ssh, never seen, not probed yet"
  expect_out "ops@gpu4 up via ssh, last seen 2033-05-18T03:33:20Z, probed 2033-05-18T03:33:20Z:
  gpu 0: NVIDIA H100 80GB HBM3 memory free 84447068160 of 85520809984"
  run "$HW" fleet hosts "${mine[@]}"
  expect_out "ops@gpu4                 up    last seen 2033-05-18T03:33:20Z via ssh"
  fleet_stop
  # each probe is the fleet's signed event, marked as over SSH, the host
  # that could not be reached too
  git init -q . && "$HW" ledger verify --key .hwledger/keys/server-signer.pub
  fleet_results >results.json
  [ "$(jq -c '[.[] | [.host, .via, .result.hosts[0].reachable]]' results.json)" = \
    '[["ops@gpu4","ssh",true],["ops@down4","ssh",false]]' ] || { cat results.json; return 1; }
}

# Issue #29's "done when": a CA, a server and three agents (a fake
# two-GPU NVML, a fake Mac, nothing at all) plus one host over SSH.
# Verifies: FR-FLEET-006, FR-FLEET-007, FR-FLEET-008, FR-FLEET-023
test_fleet_three_agents_and_an_ssh_host_report_to_one_server() {
  local fakes=$ROOT/tests/fakes/bin p=$FIXTURES/probes h
  declare -A token
  "$HW" -q fleet ca init
  "$HW" -q ledger keygen --name server-signer >/dev/null
  for h in nv-1 mac-1 bare-1; do
    "$HW" -q ledger keygen --name "$h" --dir agents >/dev/null
    token[$h]=$("$HW" fleet enroll "$h")
  done
  printf 'ops@gpu9\n' >ssh-hosts
  FLEET_SERVE_ARGS="--ssh-hosts ssh-hosts --ssh-interval 3600 --ssh-timeout 60" fleet_serve \
    PATH="$fakes:$PATH" FAKE_REMOTE_SMI="$p/nvidia-smi.csv"
  mkdir no-sysfs
  fleet_operator
  # each agent enrols over the network, registers, and answers a probe
  # job with what its machine has
  for h in nv-1 mac-1 bare-1; do
    "$HW" -q agent enroll --server "$URL" --token "${token[$h]}" --key "agents/$h.key" -o "$h.crt"
    "$HW" agent --server "$URL" --cert "$h.crt" --key "agents/$h.key" --once
    "$HW" -q fleet run probe --host "$h" "${ops[@]}"
  done
  HWLEDGER_NVML_LIB="$(dirname "$HW")/fakes/libfake_nvml.so" FAKE_NVML_SCENARIO="$p/nvml-two-gpus.json" \
    "$HW" agent --server "$URL" --cert nv-1.crt --key agents/nv-1.key --once
  PATH="$fakes:$PATH" FAKE_SP_FILE="$p/system_profiler.json" FAKE_MACMON_FILE="$p/macmon.jsonl" \
    HWLEDGER_NVML_LIB=/none "$HW" agent --server "$URL" --cert mac-1.crt --key agents/mac-1.key --once
  HWLEDGER_NVML_LIB=/none HWLEDGER_SYSFS_ROOT="$PWD/no-sysfs" \
    "$HW" agent --server "$URL" --cert bare-1.crt --key agents/bare-1.key --once
  mine=(--server "$URL" --cert bare-1.crt --key agents/bare-1.key)
  wait_for ssh_probed 1
  run "$HW" fleet status "${mine[@]}"
  expect_rc 0
  # four hosts, each up with its readings
  [ "$(grep -c '^[^ ].* up.*, probed [0-9T:-]*Z:$' <<<"$OUT")" = 4 ] || { echo "$OUT"; return 1; }
  expect_out ":
  no GPU"
  expect_out ":
  gpu 0: NVIDIA H100 80GB HBM3 memory free 84447068160 of 85520809984
  gpu 1: NVIDIA A10 memory free 24146345984 of 24146608128"
  expect_out "  gpu 0: Apple M2 Ultra memory free 85899345920 of 206158430208"
  expect_out "ops@gpu9 up via ssh"
  fleet_stop
  # the ledger verifies and holds every registration, job and result
  git init -q . && "$HW" ledger verify --key .hwledger/keys/server-signer.pub
  [ "$("$HW" ledger log --json | jq -c '[.events[] | .kind] | group_by(.) | map([.[0], length])')" = \
    '[["fleet-job",3],["fleet-register",3],["fleet-result",4]]' ]
  [ "$(fleet_results | jq -c 'map([.host, .via // "agent"]) | sort')" = \
    '[["bare-1","agent"],["mac-1","agent"],["nv-1","agent"],["ops@gpu9","ssh"]]' ]
}

# Verifies: FR-FLEET-024
test_fleet_probe_check_judges_every_host_of_the_fleet() {
  fleet_ca
  "$HW" -q ledger keygen --name bare-1 --dir agent >/dev/null
  fleet_cert gpu-1 gpu-1.crt
  token=$("$HW" fleet enroll bare-1)
  "$HW" -q fleet issue --token "$token" --key agent/bare-1.pub -o bare-1.crt
  printf 'ops@down5\n' >ssh-hosts
  FLEET_SERVE_ARGS="--ssh-hosts ssh-hosts --ssh-interval 3600 --ssh-timeout 60" fleet_serve PATH="$ROOT/tests/fakes/bin:$PATH"
  mine=(--server "$URL" --cert gpu-1.crt --key agent/gpu-1.key)
  "$HW" agent "${mine[@]}" --once
  "$HW" agent --server "$URL" --cert bare-1.crt --key agent/bare-1.key --once
  fleet_operator
  # bare-1 is never probed; gpu-1 answers with the fake two-GPU NVML
  "$HW" -q fleet run probe --host gpu-1 "${ops[@]}"
  HWLEDGER_NVML_LIB="$(dirname "$HW")/fakes/libfake_nvml.so" \
    FAKE_NVML_SCENARIO="$FIXTURES/probes/nvml-two-gpus.json" "$HW" agent "${mine[@]}" --once
  wait_for ssh_probed 1
  mkdir checks
  printf '{"name": "a big GPU", "expect": {"gpus_min": 2, "gpu0_free_min_bytes": 8e10}}\n' >checks/gpu.json
  fleet=(--fleet "$URL" --cert gpu-1.crt --key agent/gpu-1.key)
  run "$HW" probe check checks "${fleet[@]}"
  expect_rc 1
  expect_out "FAIL a big GPU"
  expect_out "bare-1: unreachable: not probed yet"
  expect_out "ops@down5: unreachable: "
  [[ "$OUT" != *gpu-1:* ]] || { echo "gpu-1 failed: $OUT"; return 1; }
  run "$HW" probe check checks "${fleet[@]}" --json
  expect_rc 1
  [ "$(jq -c '[.probe.hosts[] | [.host, .reachable, (.gpus | length)]]' <<<"$OUT")" = \
    '[["bare-1",false,0],["gpu-1",true,2],["ops@down5",false,0]]' ]
  run "$HW" probe check checks --cert gpu-1.crt
  expect_rc 2
  run "$HW" probe check checks --fleet "$URL" --cert gpu-1.crt
  expect_rc 2
  expect_err "--cert and --key go together"
  run "$HW" probe check checks --fleet "$URL"
  expect_rc 3
  expect_err "403: refused: no client certificate"
  # a second agent of gpu-1 (a second certificate): the host is judged
  # once
  fleet_cert gpu-1 gpu-1b.crt
  "$HW" agent --server "$URL" --cert gpu-1b.crt --key agent/gpu-1.key --once
  run "$HW" probe check checks "${fleet[@]}" --json
  [ "$(jq '.probe.hosts | length' <<<"$OUT")" = 3 ]
  fleet_stop
  # a day later every agent is down: gpu-1 is unreachable, its last
  # readings named but not judged
  FLEET_SERVE_ARGS="--ssh-hosts ssh-hosts --ssh-interval 3600 --ssh-timeout 60" fleet_serve \
    HWLEDGER_NOW=$(($(date +%s) + 86400)) PATH="$ROOT/tests/fakes/bin:$PATH"
  run "$HW" probe check checks --fleet "$URL" --cert gpu-1.crt --key agent/gpu-1.key
  expect_rc 1
  expect_out "gpu-1: unreachable: down; its latest readings are of "
  fleet_stop
}

# Verifies: FR-FLEET-025
test_fleet_site_probes_page_shows_every_fleet_host_from_the_ledger() {
  fleet_ca
  fleet_cert gpu-1 gpu-1.crt
  printf 'ops@gpu7\n' >ssh-hosts
  FLEET_SERVE_ARGS="--ssh-hosts ssh-hosts --ssh-interval 3600 --ssh-timeout 60" fleet_serve \
    PATH="$ROOT/tests/fakes/bin:$PATH" FAKE_REMOTE_SMI="$FIXTURES/probes/nvidia-smi.csv"
  mine=(--server "$URL" --cert gpu-1.crt --key agent/gpu-1.key)
  "$HW" agent "${mine[@]}" --once
  fleet_operator
  "$HW" -q fleet run probe --host gpu-1 "${ops[@]}"
  HWLEDGER_NVML_LIB="$(dirname "$HW")/fakes/libfake_nvml.so" \
    FAKE_NVML_SCENARIO="$FIXTURES/probes/nvml-two-gpus.json" "$HW" agent "${mine[@]}" --once
  wait_for ssh_probed 1
  fleet_stop
  serial=$(fleet_results | jq -r '.[] | select(.host == "gpu-1") | .serial')
  # the report reads the fleet from the ledger's bundle: no network
  git init -q .
  mkdir checks
  write_fr frs/app.md FR-APP-001
  "$HW" -q ledger checkpoint >/dev/null
  "$HW" -q ledger export --bundle checks/bundle
  run "$HW" site --checks checks -o out
  expect_rc 0
  grep -q '<h2>Fleet</h2>' out/probes.html
  grep -q '<h3>Host gpu-1</h3>' out/probes.html
  grep -q "signed by the agent of certificate <code>$serial</code>" out/probes.html
  grep -q '<h3>Host ops@gpu7</h3>' out/probes.html
  grep -q 'probed over SSH by the fleet server' out/probes.html
  grep -q 'NVIDIA A10' out/probes.html
  grep -q "Probed [0-9-]* [0-9:]*Z, [0-9]* s before the ledger's last event" out/probes.html
  # without fleet events the page has no fleet section
  rm -r checks/bundle out
  "$HW" -q site --checks checks -o out
  ! grep -q '<h2>Fleet</h2>' out/probes.html || return 1
}

# heartbeat N: agent N (agent-N.crt) heartbeats once
heartbeat() {
  "$HW" agent --server "$URL" --cert "certs/agent-$1.crt" --key agent/gpu-1.key --interval 60 --once
}

# Verifies: FR-FLEET-020
test_fleet_two_hundred_agents_register_and_heartbeat() {
  fleet_ca
  mkdir certs
  # 200 certificates (of one key: what is tested is the server, not the
  # keys), each its own agent to the server
  for i in $(seq 200); do
    token=$("$HW" fleet enroll "agent-$i")
    "$HW" -q fleet issue --token "$token" --key agent/gpu-1.pub -o "certs/agent-$i.crt"
  done
  fleet_serve
  export -f heartbeat
  export URL HW
  # two rounds, 16 agents at a time: each registers once, then heartbeats
  for round in 1 2; do
    seq 200 | xargs -P 16 -I{} bash -c 'heartbeat {}' || { echo "round $round failed"; return 1; }
  done
  run "$HW" fleet hosts --server "$URL" --cert certs/agent-1.crt --key agent/gpu-1.key --json
  expect_rc 0
  [ "$(jq '[.hosts[] | select(.state == "up" and .interval == 60)] | length' <<<"$OUT")" = 200 ]
  fleet_stop
  [ "$("$HW" ledger log --json | jq '[.events[] | select(.kind == "fleet-register")] | length')" = 200 ]
}
