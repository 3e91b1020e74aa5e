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
  ! grep -rqF "$token" .hwledger/fleet
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
  expect_out "gpu-1                    down  last seen 2000000000"
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

# Verifies: FR-FLEET-007, FR-FLEET-008
test_fleet_probe_job_runs_on_the_agent_and_is_signed_into_the_ledger() {
  fleet_ca
  fleet_cert gpu-1 gpu-1.crt
  fleet_serve
  mine=(--server "$URL" --cert gpu-1.crt --key agent/gpu-1.key)
  # a host the server has not heard from has no readings, never zeros
  run "$HW" agent "${mine[@]}" --once
  expect_rc 0
  run "$HW" fleet status "${mine[@]}"
  expect_rc 0
  expect_out "gpu-1 up, last seen "
  expect_out ", not probed yet"
  run "$HW" fleet run probe --host gpu-1 "${mine[@]}"
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
  [ "$(jq -c '[.events[] | .kind]' log.json)" = '["fleet-register","fleet-result"]' ]
  run "$HW" fleet run reboot --host gpu-1 "${mine[@]}"
  expect_rc 2
}
