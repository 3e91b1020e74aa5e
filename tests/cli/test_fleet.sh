# tests/cli/test_fleet.sh — the fleet's certificates end to end: the CA,
# enrolment tokens traded for an agent's certificate, revocation and the
# check the server makes on every connection. Time comes from
# HWLEDGER_NOW, never from the wall clock.

# a CA in the default place, the server's signing key and the key of an
# agent named gpu-1
fleet_ca() {
  "$HW" -q fleet ca init
  "$HW" -q ledger keygen --name server-signer >/dev/null
  "$HW" -q ledger keygen --name gpu-1 --dir agent >/dev/null
}

# fleet_cert HOST FILE: enrols HOST and trades its token for FILE
fleet_cert() {
  local token
  token=$("$HW" fleet enroll "$1")
  "$HW" -q fleet issue --token "$token" --key agent/gpu-1.pub -o "$2"
}

# fleet_operator: the operator ops's key and certificate, ops/ops.key and
# ops.crt; ${ops[@]} reaches $URL with them
fleet_operator() {
  local token
  "$HW" -q ledger keygen --name ops --dir ops >/dev/null
  token=$("$HW" fleet enroll --operator ops)
  "$HW" -q fleet issue --token "$token" --key ops/ops.pub -o ops.crt
  ops=(--server "$URL" --cert ops.crt --key ops/ops.key)
}

# Verifies: FR-FLEET-001
test_fleet_ca_init_writes_a_private_key_and_a_certificate() {
  run "$HW" fleet ca init --dir ca --name "Lab CA" --days 10
  expect_rc 0
  expect_out "ca/ca.crt"
  [ "$(stat -c %a ca/ca.key)" = 600 ]
  grep -q '^-----BEGIN CERTIFICATE-----$' ca/ca.crt
  # nothing is replaced, the certificate first
  cp ca/ca.crt before.crt
  run "$HW" fleet ca init --dir ca
  expect_rc 2
  expect_err "hwledger: ca/ca.crt: exists; not overwritten"
  cmp ca/ca.crt before.crt
  # the CA's certificate is no agent's
  run "$HW" fleet check before.crt --ca ca
  expect_rc 1
  expect_err "refused: not a client certificate"
  rm ca/ca.crt
  run "$HW" fleet ca init --dir ca
  expect_rc 2
  expect_err "hwledger: ca/ca.key: exists; not overwritten"
  [ ! -e ca/ca.crt ]
  run "$HW" fleet ca init --dir ca2 --days 0
  expect_rc 2
  expect_err "bad value '0' for --days"
}

# Verifies: FR-FLEET-002
test_fleet_enrol_token_is_traded_once_for_a_certificate() {
  fleet_ca
  token=$("$HW" fleet enroll gpu-1)
  [[ "$token" =~ ^hwf1-[A-Za-z0-9_-]{43}$ ]] || { echo "bad token: $token"; return 1; }
  # the server keeps only the token's hash
  ! grep -rqF "$token" .hwledger/fleet || return 1
  run "$HW" fleet issue --token "$token" --key agent/gpu-1.pub -o gpu-1.crt
  expect_rc 0
  [[ "$OUT" =~ ^gpu-1.crt:\ gpu-1,\ serial\ [0-9a-f]{32}$ ]] || { echo "bad line: $OUT"; return 1; }
  serial=${OUT##* }
  cmp gpu-1.crt ".hwledger/fleet/issued/$serial.pem"
  run "$HW" fleet check gpu-1.crt
  expect_rc 0
  expect_out "accepted: gpu-1"
  run "$HW" fleet issue --token "$token" --key agent/gpu-1.pub -o again.crt
  expect_rc 2
  expect_err "hwledger: unknown or already used enrolment token"
  [ ! -e again.crt ]
  run "$HW" fleet issue --token hwf1-short --key agent/gpu-1.pub -o x.crt
  expect_rc 2
  expect_err "not an enrolment token"
}

# Verifies: FR-FLEET-002
test_fleet_enrol_token_expires_and_bad_input_keeps_it() {
  fleet_ca
  token=$(HWLEDGER_NOW=1000 "$HW" fleet enroll gpu-1 --ttl 60)
  # an output that exists, or a key that is not one, uses up nothing
  echo mine > taken.crt
  run "$HW" fleet issue --token "$token" --key agent/gpu-1.pub -o taken.crt
  expect_rc 2
  expect_err "hwledger: taken.crt: exists; not overwritten"
  [ "$(cat taken.crt)" = mine ]
  run "$HW" fleet issue --token "$token" --key taken.crt -o new.crt
  expect_rc 2
  run env HWLEDGER_NOW=1060 "$HW" fleet issue --token "$token" --key agent/gpu-1.pub -o new.crt
  expect_rc 2
  expect_err "hwledger: enrolment token for 'gpu-1' expired"
  [ ! -e new.crt ]
  run "$HW" fleet enroll 'bad host'
  expect_rc 2
  run env HWLEDGER_NOW=soon "$HW" fleet enroll gpu-2
  expect_rc 2
  expect_err "HWLEDGER_NOW='soon' is not a number of seconds since 1970"
}

# Verifies: FR-FLEET-002
test_fleet_ca_key_readable_by_others_is_refused() {
  fleet_ca
  token=$("$HW" fleet enroll gpu-1)
  chmod 640 .hwledger/fleet/ca/ca.key
  run "$HW" fleet issue --token "$token" --key agent/gpu-1.pub -o gpu-1.crt
  expect_rc 2
  expect_err "secret key is readable by others (mode 640); chmod 600 it"
  [ ! -e gpu-1.crt ]
}

# Verifies: FR-FLEET-003
test_fleet_check_refuses_other_ca_expired_and_revoked() {
  fleet_ca
  HWLEDGER_NOW=1000000000 fleet_cert gpu-1 old.crt
  fleet_cert gpu-1 good.crt
  fleet_cert gpu-1 revoked.crt
  # a certificate of another fleet's CA
  mkdir other && (cd other && "$HW" -q fleet ca init && "$HW" -q ledger keygen --name gpu-1 --dir agent &&
    fleet_cert gpu-1 ../foreign.crt)
  run "$HW" fleet check foreign.crt
  expect_rc 1
  expect_err "hwledger: foreign.crt: refused: not issued by this fleet's CA"
  run "$HW" fleet check old.crt
  expect_rc 1
  expect_err "hwledger: old.crt: refused: expired at 2001-12-08T01:46:40Z"
  run env HWLEDGER_NOW=999999999 "$HW" fleet check old.crt
  expect_rc 1
  expect_err "refused: not valid before 2001-09-09T01:46:40Z"
  run "$HW" fleet revoke revoked.crt --reason "disk lost"
  expect_rc 0
  expect_out "revoked: serial "
  run "$HW" fleet check revoked.crt
  expect_rc 1
  expect_err "refused: revoked (serial "
  # revoking twice lists it once; the others are still accepted
  run "$HW" fleet revoke revoked.crt
  expect_rc 0
  [ "$(wc -l < .hwledger/fleet/denied)" = 1 ]
  grep -q ' disk lost$' .hwledger/fleet/denied
  # and the revocation is signed into the ledger, once
  [ "$("$HW" ledger log --json | jq -c '[.events[] | .kind]')" = '["fleet-revoke"]' ]
  run "$HW" fleet check good.crt
  expect_rc 0
  expect_out "accepted: gpu-1"
  run "$HW" fleet check agent/gpu-1.pub
  expect_rc 2
  expect_err "hwledger: agent/gpu-1.pub: not a PEM certificate"
}

# Verifies: FR-FLEET-003
test_fleet_revoke_by_serial_and_a_bad_deny_list() {
  fleet_ca
  fleet_cert gpu-1 gpu-1.crt
  serial=$(ls .hwledger/fleet/issued)
  serial=${serial%.pem}
  run "$HW" fleet revoke "$serial"
  expect_rc 0
  expect_out "revoked: serial $serial"
  run "$HW" fleet check gpu-1.crt
  expect_rc 1
  # no signing key: nothing is revoked unrecorded
  fleet_cert gpu-1 other.crt
  mv .hwledger/keys keys.away
  run "$HW" fleet revoke other.crt
  expect_rc 3
  expect_err "no signing key"
  run "$HW" fleet check other.crt
  expect_rc 0
  mv keys.away .hwledger/keys
  run "$HW" fleet revoke "$serial" --reason "$(printf 'two\nlines')"
  expect_rc 2
  expect_err "the reason must be one line"
  echo 'not a serial' >> .hwledger/fleet/denied
  run "$HW" fleet check gpu-1.crt
  expect_rc 2
  expect_err "hwledger: .hwledger/fleet/denied:2:1: expected a serial of 32 hex digits"
  run "$HW" fleet revoke nothing-here
  expect_rc 2
}

# fleet_serve [ENV...]: starts the server on a free loopback port (the
# environment words before it, e.g. HWLEDGER_NOW=...; serve's own options
# in FLEET_SERVE_ARGS), its log in serve.log; $URL once it listens. The
# test's exit stops it.
fleet_serve() {
  rm -f .hwledger/fleet/port
  # shellcheck disable=SC2086 # FLEET_SERVE_ARGS: options, split into words
  env "$@" "$HW" fleet serve --listen 127.0.0.1:0 ${FLEET_SERVE_ARGS:-} 2>>serve.log &
  SERVER=$!
  trap 'kill $SERVER 2>/dev/null || true' EXIT
  for _ in $(seq 400); do
    [ -s .hwledger/fleet/port ] && break
    kill -0 "$SERVER" 2>/dev/null || { echo "the server stopped:"; cat serve.log; return 1; }
    sleep 0.05
  done
  [ -s .hwledger/fleet/port ] || { echo "the server did not listen"; return 1; }
  URL="https://127.0.0.1:$(cat .hwledger/fleet/port)"
}

# SIGTERM stops the server cleanly: exit 0
fleet_stop() {
  kill "$SERVER"
  wait "$SERVER" || { echo "the server exited $?:"; cat serve.log; return 1; }
}

# Verifies: FR-FLEET-004
test_fleet_serve_refuses_every_client_that_is_not_the_fleets() {
  fleet_ca
  fleet_cert gpu-1 good.crt
  fleet_cert gpu-1 revoked.crt
  HWLEDGER_NOW=1000000000 fleet_cert gpu-1 old.crt
  "$HW" -q fleet revoke revoked.crt
  mkdir other && (cd other && "$HW" -q fleet ca init && "$HW" -q ledger keygen --name gpu-1 --dir agent &&
    fleet_cert gpu-1 ../foreign.crt)
  fleet_serve
  key=agent/gpu-1.key
  run "$HW" agent --server "$URL" --cert foreign.crt --key other/agent/gpu-1.key --once
  expect_rc 3
  expect_err "hwledger: $URL: 403: refused: not issued by this fleet's CA"
  run "$HW" agent --server "$URL" --cert old.crt --key $key --once
  expect_rc 3
  expect_err "403: refused: expired at 2001-12-08T01:46:40Z"
  run "$HW" agent --server "$URL" --cert revoked.crt --key $key --once
  expect_rc 3
  expect_err "403: refused: revoked (serial "
  run "$HW" fleet hosts --server "$URL"
  expect_rc 3
  expect_err "403: refused: no client certificate"
  # plain HTTP gets no answer, only a closed connection
  run timeout 10 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/${1##*:}"; printf "GET /v1/hosts HTTP/1.0\r\n\r\n" >&3; cat <&3' _ "$URL"
  [[ "$OUT" != *HTTP/* ]] || { echo "plain HTTP was answered: $OUT"; return 1; }
  # TLS 1.2 is refused in the handshake; TLS 1.3 from the same client is not
  run timeout 10 openssl s_client -tls1_2 -connect "127.0.0.1:${URL##*:}" </dev/null
  [ "$RC" -ne 0 ] || { echo "TLS 1.2 was accepted: $OUT"; return 1; }
  run timeout 10 openssl s_client -tls1_3 -connect "127.0.0.1:${URL##*:}" </dev/null
  expect_out "TLSv1.3"
  # and the fleet's own agent is still served
  run "$HW" agent --server "$URL" --cert good.crt --key $key --once
  expect_rc 0
  run "$HW" fleet hosts --server "$URL" --cert good.crt --key $key
  expect_rc 0
  [[ "$OUT" =~ ^gpu-1\ +up\  ]] || { echo "bad hosts: $OUT"; return 1; }
  fleet_stop
  grep -q "hwledger: fleet serve: refused: not issued by this fleet's CA" serve.log
  grep -q "hwledger: fleet serve: refused: no client certificate" serve.log
}

# Verifies: FR-FLEET-005
test_fleet_heartbeat_registers_once_and_survives_a_restart() {
  fleet_ca
  HWLEDGER_NOW=2000000000 fleet_cert gpu-1 gpu-1.crt
  mine=(--cert gpu-1.crt --key agent/gpu-1.key)
  fleet_serve HWLEDGER_NOW=2000000000
  run "$HW" agent --server "$URL" "${mine[@]}" --interval 10 --once
  expect_rc 0
  run "$HW" agent --server "$URL" "${mine[@]}" --interval 10 --once
  expect_rc 0
  run "$HW" fleet hosts --server "$URL" "${mine[@]}" --json
  expect_rc 0
  [ "$(jq -c '[.hosts[] | [.host, .state, .last_seen, .interval]]' <<<"$OUT")" = '[["gpu-1","up",2000000000,10]]' ]
  fleet_stop
  # one registration, signed into the ledger, however many heartbeats
  [ "$("$HW" ledger log --json | jq '[.events[] | select(.kind == "fleet-register")] | length')" = 1 ]
  # the registry outlives the server; silent for three intervals is up,
  # for more it is down
  fleet_serve HWLEDGER_NOW=2000000030
  run "$HW" fleet hosts --server "$URL" "${mine[@]}" --json
  [ "$(jq -r '.hosts[0].state' <<<"$OUT")" = up ]
  fleet_stop
  fleet_serve HWLEDGER_NOW=2000000031
  run "$HW" fleet hosts --server "$URL" "${mine[@]}"
  expect_rc 0
  expect_out "gpu-1                    down  last seen 2033-05-18T03:33:20Z"
  fleet_stop
  [ "$("$HW" ledger log --json | jq '.events | length')" = 1 ]
}

# Verifies: FR-FLEET-006
test_fleet_agent_enrols_over_the_network_and_reconnects() {
  fleet_ca
  token=$("$HW" fleet enroll gpu-1)
  fleet_serve
  port=${URL##*:}
  run "$HW" agent enroll --server "$URL" --token "$token" --key agent/gpu-1.key -o gpu-1.crt
  expect_rc 0
  [[ "$OUT" =~ ^gpu-1.crt:\ gpu-1,\ serial\ [0-9a-f]{32}$ ]] || { echo "bad line: $OUT"; return 1; }
  run "$HW" fleet check gpu-1.crt
  expect_rc 0
  run "$HW" agent enroll --server "$URL" --token "$token" --key agent/gpu-1.key -o again.crt
  expect_rc 3
  expect_err "403: unknown or already used enrolment token"
  [ ! -e again.crt ]
  # a body over 64 KiB is refused, and the server serves on
  run "$HW" agent enroll --server "$URL" --token "$(head -c 70000 /dev/zero | tr '\0' a)" --key agent/gpu-1.key -o big.crt
  expect_rc 3
  expect_err "413: a body over 64 KiB"
  fleet_stop
  # the agent starts while the server is gone, says so, and gets through
  # once it is back on the same port
  "$HW" agent --server "$URL" --cert gpu-1.crt --key agent/gpu-1.key --interval 1 2>agent.log &
  agent=$!
  trap 'kill $SERVER $agent 2>/dev/null || true' EXIT
  for _ in $(seq 400); do grep -q "cannot connect" agent.log && break; sleep 0.05; done
  grep -q "hwledger: agent: $URL: cannot connect: Connection refused; again in 1 s" agent.log
  rm -f .hwledger/fleet/port
  "$HW" fleet serve --listen "127.0.0.1:$port" 2>>serve.log &
  SERVER=$!
  trap 'kill $SERVER $agent 2>/dev/null || true' EXIT
  for _ in $(seq 600); do
    run "$HW" fleet hosts --server "$URL" --cert gpu-1.crt --key agent/gpu-1.key
    [[ "$OUT" == gpu-1*up* ]] && break
    sleep 0.05
  done
  expect_out "up"
  # SIGTERM stops the agent cleanly too
  kill "$agent"
  wait "$agent"
  fleet_stop
}

# fleet_up: a CA, a server, gpu-1's certificate as ${mine[@]} and the
# operator's as ${ops[@]}
fleet_up() {
  fleet_ca
  fleet_cert gpu-1 gpu-1.crt
  fleet_serve
  mine=(--server "$URL" --cert gpu-1.crt --key agent/gpu-1.key)
  fleet_operator
}

# Verifies: FR-FLEET-007, FR-FLEET-008
test_fleet_probe_job_runs_on_the_agent_and_is_signed_into_the_ledger() {
  fleet_up
  # a host the server has not heard from has no readings, never zeros
  run "$HW" agent "${mine[@]}" --once
  expect_rc 0
  run "$HW" fleet status "${mine[@]}"
  expect_rc 0
  expect_out "gpu-1 up, last seen "
  expect_out ", not probed yet"
  run "$HW" fleet run probe --host gpu-1 "${ops[@]}"
  expect_rc 0
  expect_out "job 1: probe gpu-1"
  # the agent runs the job with the fake two-GPU NVML
  run env HWLEDGER_NVML_LIB="$(dirname "$HW")/fakes/libfake_nvml.so" \
    FAKE_NVML_SCENARIO="$FIXTURES/probes/nvml-two-gpus.json" "$HW" agent "${mine[@]}" --once
  expect_rc 0
  run "$HW" fleet status "${mine[@]}"
  expect_rc 0
  expect_out "  gpu 0: NVIDIA H100 80GB HBM3 memory free 84447068160 of 85520809984"
  expect_out "  gpu 1: NVIDIA A10 memory free"
  run "$HW" fleet status "${mine[@]}" --json
  [ "$(jq '.hosts[0].probe.hosts[0].gpus | length' <<<"$OUT")" = 2 ]
  # no job left: the next round only heartbeats
  run "$HW" agent "${mine[@]}" --once
  expect_rc 0
  fleet_stop
  # the result, its nonce and the agent's signature are in the ledger
  "$HW" ledger log --json > log.json
  [ "$(jq -c '[.events[] | .kind]' log.json)" = '["fleet-register","fleet-job","fleet-result"]' ]
  run "$HW" fleet run reboot --host gpu-1 "${ops[@]}"
  expect_rc 2
}

# fleet_payloads KIND: the payloads of the ledger's events of KIND, one a
# line, in order
fleet_payloads() {
  sqlite3 .hwledger/ledger.db "SELECT payload FROM events WHERE kind = '$1' ORDER BY seq"
}

# fleet_job_state ID STATE: waits until the server lists job ID as STATE
fleet_job_state() {
  for _ in $(seq 400); do
    [ "$("$HW" fleet jobs "${mine[@]}" --json | jq -r ".jobs[] | select(.id == $1) | .state")" = "$2" ] && return 0
    sleep 0.05
  done
  echo "job $1 is not $2:"; "$HW" fleet jobs "${mine[@]}"; return 1
}

# fleet_hung_agent: an agent in the background whose job hangs in the
# probe (a stuck driver), as $AGENT; its job's child is $CHILD once the
# server lists job 1 as running
fleet_hung_agent() {
  echo '{"init": "hang"}' > hang.json
  HWLEDGER_NVML_LIB="$(dirname "$HW")/fakes/libfake_nvml.so" FAKE_NVML_SCENARIO=hang.json \
    "$HW" agent "${mine[@]}" --once 2>>agent.log &
  AGENT=$!
  trap 'kill $SERVER 2>/dev/null || true; kill -9 $AGENT $(pgrep -P $AGENT) 2>/dev/null || true' EXIT
  fleet_job_state 1 running
  CHILD=$(pgrep -P "$AGENT")
}

# fleet_first_job: a fleet at 2000000000 with gpu-1's certificate as
# ${mine[@]} and job 1 queued for it: a probe, 60 s a try, one retry
fleet_first_job() {
  fleet_ca
  HWLEDGER_NOW=2000000000 fleet_cert gpu-1 gpu-1.crt
  fleet_serve HWLEDGER_NOW=2000000000
  mine=(--server "$URL" --cert gpu-1.crt --key agent/gpu-1.key)
  HWLEDGER_NOW=2000000000 fleet_operator
  run "$HW" fleet run probe --host gpu-1 --deadline 60 --retries 1 "${ops[@]}"
  expect_rc 0
  expect_out "job 1: probe gpu-1"
}

# fleet_jobs_at NOW: the server started again at NOW, and its jobs
fleet_jobs_at() {
  fleet_serve HWLEDGER_NOW="$1"
  mine[1]=$URL ops[1]=$URL
  run "$HW" fleet jobs "${mine[@]}"
}

# fleet_kill_agent: the agent and its job's child killed mid-job
fleet_kill_agent() {
  kill -9 "$AGENT" "$CHILD"
  wait "$AGENT" 2>/dev/null || true
}

# Verifies: FR-FLEET-009
test_fleet_jobs_cancel_and_a_job_killed_on_the_agent() {
  fleet_first_job
  run "$HW" fleet run probe --host gpu-1 "${ops[@]}"
  expect_out "job 2: probe gpu-1"
  run "$HW" fleet cancel 2 "${ops[@]}"
  expect_rc 0
  expect_out "job 2: cancelled"
  run "$HW" fleet cancel 2 "${ops[@]}"
  expect_rc 3
  expect_err "409: job 2 is cancelled already: only a queued or running job is cancelled"
  run "$HW" fleet cancel 9 "${ops[@]}"
  expect_rc 3
  expect_err "404: no job 9"
  run "$HW" fleet run probe --host gpu-1 --deadline 0 "${ops[@]}"
  expect_rc 2
  run "$HW" fleet run probe --host gpu-1 --retries 101 "${ops[@]}"
  expect_rc 2
  # the job's child is killed mid-way (a stuck driver, an operator's
  # kill -9): the job is reported killed, signed like any result, and the
  # agent lives on
  fleet_hung_agent
  kill -9 "$CHILD"
  wait "$AGENT"
  run "$HW" fleet jobs "${mine[@]}"
  expect_rc 0
  expect_out "1 gpu-1 probe killed, attempts 1 of 2, queued 2033-05-18T03:33:20Z, given 2033-05-18T03:33:20Z, done 2033-05-18T03:33:20Z"
  expect_out "2 gpu-1 probe cancelled, attempts 0 of 1, queued 2033-05-18T03:33:20Z, given -, done 2033-05-18T03:33:20Z"
  run "$HW" fleet jobs "${mine[@]}" --json
  [ "$(jq -c '[.jobs[] | [.id, .state, .deadline, .retries]]' <<<"$OUT")" = '[[1,"killed",60,1],[2,"cancelled",300,0]]' ]
  # the cancelled job was never given
  run "$HW" agent "${mine[@]}" --once
  expect_rc 0
  fleet_stop
  "$HW" ledger log --json > log.json
  [ "$(jq -c '[.events[] | .kind]' log.json)" = '["fleet-job","fleet-job","fleet-job","fleet-register","fleet-result"]' ]
  [ "$(fleet_payloads fleet-job | jq -sc '[.[] | [.event, .job.id]]')" = '[["queued",1],["queued",2],["cancelled",2]]' ]
  [ "$(fleet_payloads fleet-result | jq -r '.state, .result.state, .result.reason')" = "$(printf 'killed\nkilled\nkilled by signal 9 (Killed)')" ]
}

# Verifies: FR-FLEET-009
test_fleet_server_killed_mid_job_retries_then_times_out() {
  fleet_first_job
  # the server is killed while the agent runs the job, and the agent too
  fleet_hung_agent
  kill -9 "$SERVER"
  wait "$SERVER" 2>/dev/null || true
  fleet_kill_agent
  # before its deadline (60 s) and the grace for its answer (30 s) the
  # job still runs; then it is given again
  fleet_jobs_at 2000000089
  expect_out "1 gpu-1 probe running, attempts 1 of 2"
  fleet_stop
  fleet_jobs_at 2000000090
  expect_out "1 gpu-1 probe queued, attempts 1 of 2, queued 2033-05-18T03:33:20Z, given -, done -"
  # the second attempt's agent dies too: no retry is left
  fleet_hung_agent
  fleet_kill_agent
  fleet_stop
  fleet_jobs_at 2000000180
  expect_out "1 gpu-1 probe timed-out, attempts 2 of 2, queued 2033-05-18T03:33:20Z, given 2033-05-18T03:34:50Z, done 2033-05-18T03:36:20Z"
  fleet_stop
  "$HW" ledger log --json > log.json
  [ "$(fleet_payloads fleet-job | jq -sc '[.[] | [.event, .job.attempts]]')" = '[["queued",0],["retried",1],["timed-out",2]]' ]
  [ "$(jq '[.events[] | select(.kind == "fleet-register")] | length' log.json)" = 1 ]
}

# Verifies: FR-FLEET-010
test_fleet_only_an_operator_queues_or_cancels_jobs() {
  fleet_ca
  fleet_cert gpu-1 gpu-1.crt
  fleet_serve
  mine=(--server "$URL" --cert gpu-1.crt --key agent/gpu-1.key)
  token=$("$HW" fleet enroll --operator ops)
  "$HW" -q ledger keygen --name ops --dir ops >/dev/null
  run "$HW" fleet issue --token "$token" --key ops/ops.pub -o ops.crt
  expect_rc 0
  [[ "$OUT" =~ ^ops.crt:\ ops\ \(operator\),\ serial\ [0-9a-f]{32}$ ]] || { echo "bad line: $OUT"; return 1; }
  # an operator enrolled over the network is one too
  token=$("$HW" fleet enroll --operator ops)
  run "$HW" agent enroll --server "$URL" --token "$token" --key ops/ops.key -o ops2.crt
  expect_rc 0
  run "$HW" fleet run probe --host gpu-1 "${mine[@]}"
  expect_rc 3
  expect_err "hwledger: $URL: 403: refused: queuing or cancelling a job needs an operator's certificate, not an agent's"
  for cert in ops.crt ops2.crt; do
    run "$HW" fleet run probe --host gpu-1 --server "$URL" --cert $cert --key ops/ops.key
    expect_rc 0
  done
  run "$HW" fleet cancel 1 "${mine[@]}"
  expect_rc 3
  expect_err "403: refused: queuing or cancelling a job needs an operator's certificate"
  # an operator takes no job and is no agent of the fleet
  run "$HW" agent --server "$URL" --cert ops.crt --key ops/ops.key --once
  expect_rc 3
  expect_err "403: refused: an operator's certificate is not an agent's"
  # both read the fleet
  run "$HW" fleet jobs "${mine[@]}"
  expect_rc 0
  expect_out "1 gpu-1 probe queued"
  run "$HW" fleet cancel 1 --server "$URL" --cert ops.crt --key ops/ops.key
  expect_rc 0
  run "$HW" fleet hosts --server "$URL" --cert ops.crt --key ops/ops.key --json
  expect_rc 0
  [ "$(jq '.hosts | length' <<<"$OUT")" = 0 ]
  fleet_stop
  grep -q "hwledger: fleet serve: refused: queuing or cancelling a job needs an operator's certificate" serve.log
  [ "$(fleet_payloads fleet-job | jq -sc '[.[] | .event]')" = '["queued","queued","cancelled"]' ]
}

# Verifies: FR-FLEET-011
test_fleet_plan_and_allowed_commands_run_on_the_agent() {
  fleet_up
  mkdir models && cp "$ROOT/planner/models/gpt2.json" models/
  printf '{"hello": ["echo", "hello from", "the agent"],\n "big": ["head", "-c", "30000", "/dev/zero"],\n "slow": ["sleep", "30"]}\n' > allow.json
  run "$HW" fleet run plan --host gpu-1 "${ops[@]}" -- --model models/gpt2.json --ctx 1k
  expect_rc 0
  expect_out "job 1: plan gpu-1"
  for name in hello rm-rf big; do
    "$HW" -q fleet run command --host gpu-1 "${ops[@]}" -- $name >/dev/null
  done
  "$HW" -q fleet run command --host gpu-1 --deadline 1 "${ops[@]}" -- slow >/dev/null
  # the server takes only what a job of its kind may have
  run "$HW" fleet run plan --host gpu-1 "${ops[@]}" -- --model models/gpt2.json --export vllm
  expect_rc 2
  expect_err "plan job: '--export' is not one of --model"
  run "$HW" fleet run plan --host gpu-1 "${ops[@]}" -- --model ../etc/x.json
  expect_rc 2
  expect_err "must be a path inside the agent's folder"
  run "$HW" fleet run command --host gpu-1 "${ops[@]}" -- 'rm -rf /'
  expect_rc 2
  run "$HW" fleet run probe --host gpu-1 "${ops[@]}" -- --ssh x
  expect_rc 2
  expect_err "probe job: no arguments"
  # an allow-list that is not one stops the agent before it starts
  echo '{"x": "echo"}' > bad.json
  run "$HW" agent "${mine[@]}" --allow bad.json --once
  expect_rc 2
  expect_err "hwledger: bad.json: command 'x': expected a name"
  # one job a round, against the fake two-GPU NVML
  for _ in 1 2 3 4 5; do
    run env HWLEDGER_NVML_LIB="$(dirname "$HW")/fakes/libfake_nvml.so" \
      FAKE_NVML_SCENARIO="$FIXTURES/probes/nvml-two-gpus.json" "$HW" agent "${mine[@]}" --allow allow.json --once
    expect_rc 0
  done
  run "$HW" fleet jobs "${mine[@]}" --json
  [ "$(jq -c '[.jobs[] | [.kind, .args, .state]]' <<<"$OUT")" = '[["plan",["--model","models/gpt2.json","--ctx","1k"],"done"],["command",["hello"],"done"],["command",["rm-rf"],"refused"],["command",["big"],"failed"],["command",["slow"],"killed"]]' ]
  fleet_stop
  fleet_payloads fleet-result > results.jsonl
  [ "$(jq -sr '.[0].result | .schema, .inputs.ctx, (.per_gpu_bytes > 0)' results.jsonl)" = "$(printf 'hwledger.plan/1\n1024\ntrue')" ]
  [ "$(jq -sc '.[1].result' results.jsonl)" = '{"schema":"hwledger.fleet.command/1","command":"hello","output":"hello from the agent\n"}' ]
  [ "$(jq -sr '.[2:][] | .result.reason' results.jsonl)" = "$(printf "command 'rm-rf' is not in this agent's allow-list\nits output went over 24576 bytes\nkilled at its deadline of 1 s")" ]
}

# Verifies: FR-FLEET-012
test_fleet_agent_rotates_its_key_and_the_old_certificate_is_refused() {
  fleet_up
  old=$(openssl x509 -in gpu-1.crt -noout -serial | cut -d= -f2 | tr A-F a-f)
  run "$HW" agent "${mine[@]}" --once
  expect_rc 0
  "$HW" -q ledger keygen --name gpu-1-new --dir agent >/dev/null
  echo mine > taken.crt
  run "$HW" agent rotate "${mine[@]}" --new-key agent/gpu-1-new.key -o taken.crt
  expect_rc 2
  expect_err "hwledger: taken.crt: exists; not overwritten"
  run "$HW" agent rotate "${mine[@]}" --new-key agent/gpu-1.key -o same.crt
  expect_rc 3
  expect_err "400: the new key is the old one"
  [ ! -e same.crt ]
  run "$HW" agent rotate "${mine[@]}" --new-key agent/gpu-1-new.key -o gpu-1-new.crt
  expect_rc 0
  [[ "$OUT" =~ ^gpu-1-new.crt:\ gpu-1,\ serial\ [0-9a-f]{32}$ ]] || { echo "bad line: $OUT"; return 1; }
  new=${OUT##* }
  # the old certificate is refused from now on, the new one served
  run "$HW" agent "${mine[@]}" --once
  expect_rc 3
  expect_err "403: refused: revoked (serial $old)"
  run "$HW" agent rotate "${mine[@]}" --new-key agent/gpu-1-new.key -o again.crt
  expect_rc 3
  expect_err "403: refused: revoked (serial $old)"
  run "$HW" agent --server "$URL" --cert gpu-1-new.crt --key agent/gpu-1-new.key --once
  expect_rc 0
  run "$HW" fleet check gpu-1-new.crt
  expect_out "accepted: gpu-1"
  # an operator's certificate rotates to an operator's
  "$HW" -q ledger keygen --name ops-new --dir ops >/dev/null
  run "$HW" agent rotate "${ops[@]}" --new-key ops/ops-new.key -o ops-new.crt
  expect_rc 0
  run "$HW" fleet run probe --host gpu-1 --server "$URL" --cert ops-new.crt --key ops/ops-new.key
  expect_rc 0
  run "$HW" fleet run probe --host gpu-1 "${ops[@]}"
  expect_rc 3
  fleet_stop
  [ "$(fleet_payloads fleet-revoke | jq -sr '.[0] | .serial, .reason')" = "$(printf '%s\nrotated to serial %s' "$old" "$new")" ]
  [ "$(fleet_payloads fleet-revoke | wc -l)" = 2 ]
  [ "$(wc -l < .hwledger/fleet/denied)" = 2 ]
}

# Verifies: FR-FLEET-013
test_fleet_ca_rotates_through_an_overlap_trusting_both() {
  fleet_up
  # an agent host's CA folder: the CA's certificate, no key
  mkdir agentca && cp .hwledger/fleet/ca/ca.crt agentca/
  a=(--server "$URL" --ca agentca)
  run "$HW" agent "${a[@]}" --cert gpu-1.crt --key agent/gpu-1.key --once
  expect_rc 0
  fleet_stop
  # the next CA, named as the old one, trusting the old one
  "$HW" -q fleet ca init --dir newca
  run "$HW" fleet ca trust .hwledger/fleet/ca/ca.crt --dir newca
  expect_rc 0
  [[ "$OUT" =~ ^newca/trusted/[0-9a-f]{40}\.crt$ ]] || { echo "bad line: $OUT"; return 1; }
  cmp "$OUT" .hwledger/fleet/ca/ca.crt
  run "$HW" fleet ca trust .hwledger/fleet/ca/ca.crt --dir newca
  expect_rc 0
  [ "$(ls newca/trusted)" = "$(basename "$OUT")" ]
  # only another fleet CA's own certificate is trusted
  run "$HW" fleet ca trust gpu-1.crt --dir newca
  expect_rc 2
  expect_err "hwledger: gpu-1.crt: not a CA certificate"
  run "$HW" fleet ca trust newca/ca.crt --dir newca
  expect_rc 2
  expect_err "hwledger: newca/ca.crt: is the CA of newca itself"
  # the server now issues from the new CA, its own certificate too: an
  # agent that does not trust the new CA yet says so
  FLEET_SERVE_ARGS="--ca newca" fleet_serve
  a=(--server "$URL" --ca agentca)
  run "$HW" agent "${a[@]}" --cert gpu-1.crt --key agent/gpu-1.key --once
  expect_rc 3
  expect_err "the server's certificate is not of a CA that agentca trusts"
  # trusting both, the agent's old certificate is still served (judged
  # by the old CA), and it rotates to one of the new CA
  run "$HW" fleet ca trust newca/ca.crt --dir agentca
  expect_rc 0
  run "$HW" agent "${a[@]}" --cert gpu-1.crt --key agent/gpu-1.key --once
  expect_rc 0
  "$HW" -q ledger keygen --name gpu-1-new --dir agent >/dev/null
  run "$HW" agent rotate "${a[@]}" --cert gpu-1.crt --key agent/gpu-1.key \
    --new-key agent/gpu-1-new.key -o gpu-1-new.crt
  expect_rc 0
  new_kid=$(openssl x509 -in newca/ca.crt -noout -ext subjectKeyIdentifier | tail -n 1 | tr -d ' :')
  aki=$(openssl x509 -in gpu-1-new.crt -noout -ext authorityKeyIdentifier | tail -n 1 | tr -d ' :')
  [ "${aki#keyid}" = "$new_kid" ] || { echo "issued by $aki, not $new_kid"; return 1; }
  run "$HW" fleet check gpu-1-new.crt --ca newca
  expect_out "accepted: gpu-1"
  # the old CA dropped: what it issued is refused, the new is served
  fleet_stop
  rm newca/trusted/*.crt
  FLEET_SERVE_ARGS="--ca newca" fleet_serve
  run "$HW" fleet hosts --server "$URL" --ca agentca --cert ops.crt --key ops/ops.key
  expect_rc 3
  expect_err "403: refused: not issued by this fleet's CA"
  run "$HW" agent --server "$URL" --ca agentca --cert gpu-1-new.crt --key agent/gpu-1-new.key --once
  expect_rc 0
  # a trusted file that is not a certificate stops the server at start
  echo garbage > newca/trusted/bad.crt
  fleet_stop
  run "$HW" fleet serve --listen 127.0.0.1:0 --ca newca
  expect_rc 2
  expect_err "newca/trusted/bad.crt"
}

# Verifies: FR-FLEET-013
test_fleet_ca_trust_refuses_what_is_not_a_fleet_ca() {
  fleet_ca
  fleet_cert gpu-1 gpu-1.crt
  HWLEDGER_NOW=1000000000 "$HW" -q fleet ca init --dir next --days 10
  # a CA certificate signed by another key is not a fleet's own CA
  openssl genpkey -algorithm ed25519 -out other.pem 2>/dev/null
  openssl genpkey -algorithm ed25519 -out sub.pem 2>/dev/null
  openssl req -new -x509 -key other.pem -subj /CN=other -days 10 -out other.crt 2>/dev/null
  openssl req -new -key sub.pem -subj /CN=sub -out sub.csr 2>/dev/null
  printf 'basicConstraints=critical,CA:TRUE\nsubjectKeyIdentifier=hash\n' > ext.cnf
  openssl x509 -req -in sub.csr -CA other.crt -CAkey other.pem -days 10 \
    -extfile ext.cnf -out sub.crt 2>/dev/null
  run "$HW" fleet ca trust sub.crt
  expect_rc 2
  expect_err "hwledger: sub.crt: not signed by its own key: only a fleet's own CA is trusted"
  # one that has expired at the fleet's clock
  run "$HW" fleet ca trust next/ca.crt
  expect_rc 2
  expect_err "hwledger: next/ca.crt: expired at 2001-09-19T01:46:40Z"
  run "$HW" fleet ca trust missing.crt
  expect_rc 2
  expect_err "hwledger: missing.crt: no such file"
  [ ! -d .hwledger/fleet/ca/trusted ]
  # more than 8 CAs in all is refused where they are read
  for i in 1 2 3 4 5 6 7 8; do
    "$HW" -q fleet ca init --dir "ca$i"
    "$HW" -q fleet ca trust "ca$i/ca.crt"
  done
  run "$HW" fleet check gpu-1.crt
  expect_rc 2
  expect_err "more than 8 CAs to trust"
  rm .hwledger/fleet/ca/trusted/"$(ls .hwledger/fleet/ca/trusted | head -n 1)"
  run "$HW" fleet check gpu-1.crt
  expect_rc 0
  expect_out "accepted: gpu-1"
}

# `agent` is its own command: a mistake on its line prints agent's usage,
# not fleet's (which has no agent line), under its own name.
# Verifies: FR-CLI-001
test_agent_mistakes_print_the_agents_usage() {
  run "$HW" agent --server https://127.0.0.1:1 --cert c --key k --bogus
  expect_rc 2
  expect_err "hwledger: agent: bad argument '--bogus'"
  expect_err "usage: hwledger agent enroll"
  ! grep -q "fleet ca init" <<<"$ERR" || { echo "fleet's usage: $ERR"; return 1; }
  run "$HW" agent enroll --server https://127.0.0.1:1
  expect_rc 2
  expect_err "hwledger: agent enroll needs --token, --key and -o"
  expect_err "usage: hwledger agent enroll"
  run "$HW" agent --interval x
  expect_rc 2
  expect_err "hwledger: agent: bad value 'x' for --interval"
  # fleet's own mistakes still print fleet's usage
  run "$HW" fleet hosts --bogus
  expect_rc 2
  expect_err "hwledger: fleet: bad argument '--bogus'"
  expect_err "usage: hwledger fleet ca init"
}

# A missing argument is named with its subcommand (it was "fleet: missing
# argument"); a bare `fleet` or `fleet ca` asks for the subcommand.
# Verifies: FR-CLI-001
test_fleet_names_the_missing_argument_and_subcommand() {
  run "$HW" fleet enroll
  expect_rc 2
  expect_err "hwledger: fleet enroll needs HOST (or --operator NAME)"
  run "$HW" fleet revoke --reason lost
  expect_rc 2
  expect_err "hwledger: fleet revoke needs CERT or SERIAL"
  run "$HW" fleet ca trust
  expect_rc 2
  expect_err "hwledger: fleet ca trust needs CA.crt"
  run "$HW" fleet run --host h
  expect_rc 2
  expect_err "hwledger: fleet run needs probe, plan or command"
  run "$HW" fleet
  expect_rc 2
  expect_err "hwledger: fleet needs a subcommand"
  run "$HW" fleet ca
  expect_rc 2
  expect_err "hwledger: fleet ca needs init or trust"
  run "$HW" fleet ca innit
  expect_rc 2
  expect_err "hwledger: fleet ca: unknown subcommand 'innit' (init or trust)"
}
