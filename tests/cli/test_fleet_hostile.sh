# tests/cli/test_fleet_hostile.sh — the fleet against what a hostile
# tester found (issue #29's "Security and faults"): clocks out of range,
# an expired CA, outputs that cannot be written, a server that closes,
# sends session tickets or drips its answer, jobs of another shape, and a
# revocation on a connection the agent keeps open. fleet_ca, fleet_cert,
# fleet_serve and fleet_stop are test_fleet.sh's.

# The fleet's clock is digits only and no later than the last second an
# X.509 time can name: a larger one overflowed a token's expiry.
# Verifies: FR-FLEET-001
test_fleet_clock_out_of_range_is_refused() {
  fleet_ca
  for v in 9223372036854775000 253402300800 ' 5' '+5' '5 ' ''; do
    [ -z "$v" ] && continue
    run env HWLEDGER_NOW="$v" "$HW" fleet enroll gpu-1
    expect_rc 2 || return 1
    expect_err "hwledger: HWLEDGER_NOW='$v' is not a number of seconds since 1970 up to 253402300799 (9999-12-31T23:59:59Z)" || return 1
  done
  ! ls .hwledger/fleet/tokens/* 2>/dev/null | grep -q . || return 1
  run env HWLEDGER_NOW=253402300799 "$HW" fleet enroll gpu-1
  expect_rc 0
}

# A CA signs only while it is valid, nothing it signed outlives it, and a
# certificate it signed is refused once it has expired.
# Verifies: FR-FLEET-001, FR-FLEET-002, FR-FLEET-003
test_fleet_expired_ca_signs_nothing_and_is_trusted_no_more() {
  T0=1000000000 # 2001-09-09T01:46:40Z
  HWLEDGER_NOW=$T0 "$HW" -q fleet ca init --days 1
  "$HW" -q ledger keygen --name server-signer >/dev/null
  "$HW" -q ledger keygen --name gpu-1 --dir agent >/dev/null
  token=$(HWLEDGER_NOW=$T0 "$HW" fleet enroll gpu-1)
  run env HWLEDGER_NOW=$T0 "$HW" fleet issue --token "$token" --key agent/gpu-1.pub -o gpu-1.crt --days 90
  expect_rc 0
  # the agent's certificate ends with the CA, not 90 days later
  [ "$(openssl x509 -in gpu-1.crt -noout -enddate)" = \
    "$(openssl x509 -in .hwledger/fleet/ca/ca.crt -noout -enddate)" ]
  run env HWLEDGER_NOW=$((T0 + 3600)) "$HW" fleet check gpu-1.crt
  expect_rc 0
  run env HWLEDGER_NOW=$((T0 + 86400)) "$HW" fleet check gpu-1.crt
  expect_rc 1
  expect_err "refused: the fleet's CA expired at 2001-09-10T01:46:40Z"
  # an expired CA issues nothing, and the token stays usable
  token=$(HWLEDGER_NOW=$((T0 + 86400)) "$HW" fleet enroll gpu-2)
  run env HWLEDGER_NOW=$((T0 + 86400)) "$HW" fleet issue --token "$token" --key agent/gpu-1.pub -o gpu-2.crt
  expect_rc 2
  expect_err "the fleet's CA expired at 2001-09-10T01:46:40Z: make a new one (fleet ca init) and enrol the agents again"
  [ ! -e gpu-2.crt ]
  run env HWLEDGER_NOW=$((T0 + 3600)) "$HW" fleet issue --token "$token" --key agent/gpu-1.pub -o gpu-2.crt
  expect_rc 0
  # and a server whose CA expired by the system clock does not start
  # (its own certificate would be refused by every client)
  run "$HW" fleet serve --listen 127.0.0.1:0
  expect_rc 2
  expect_err "the fleet's CA expired at 2001-09-10T01:46:40Z"
}

# An output that cannot be written is found before anything is used up:
# the token of `fleet issue` and `agent enroll`, the old certificate of
# `agent rotate` (which the server revokes once it issues the new one).
# Verifies: FR-FLEET-002, FR-FLEET-006, FR-FLEET-012
test_fleet_unwritable_output_uses_up_nothing() {
  fleet_ca
  token=$("$HW" fleet enroll gpu-1)
  run "$HW" fleet issue --token "$token" --key agent/gpu-1.pub -o missing/gpu-1.crt
  expect_rc 3
  expect_err "hwledger: missing/gpu-1.crt: cannot write: No such file or directory"
  run "$HW" fleet issue --token "$token" --key agent/gpu-1.pub -o gpu-1.crt
  expect_rc 0
  fleet_serve
  token=$("$HW" fleet enroll gpu-2)
  run "$HW" agent enroll --server "$URL" --token "$token" --key agent/gpu-1.key -o missing/gpu-2.crt
  expect_rc 3
  expect_err "hwledger: missing/gpu-2.crt: cannot write: No such file or directory"
  run "$HW" agent enroll --server "$URL" --token "$token" --key agent/gpu-1.key -o gpu-2.crt
  expect_rc 0
  [ -s gpu-2.crt ]
  "$HW" -q ledger keygen --name gpu-1b --dir agent >/dev/null
  run "$HW" agent rotate --server "$URL" --cert gpu-1.crt --key agent/gpu-1.key \
    --new-key agent/gpu-1b.key -o missing/new.crt
  expect_rc 3
  expect_err "hwledger: missing/new.crt: cannot write: No such file or directory"
  # the old certificate is not revoked: it still heartbeats
  run "$HW" agent --server "$URL" --cert gpu-1.crt --key agent/gpu-1.key --once
  expect_rc 0
  [ ! -s .hwledger/fleet/denied ]
  fleet_stop
}

# fake_server MODE: tests/cli/fleet/fake_server.py on a free port with a
# server certificate the fleet's CA signed (openssl, from the CA key's
# seed); $FAKE its URL. The test's exit stops it.
fake_server() {
  { printf '302e020100300506032b657004220420' | xxd -r -p
    sed -n 's/^key: //p' .hwledger/fleet/ca/ca.key | base64 -d | head -c 32; } |
    openssl pkey -inform DER -out ca.pem
  openssl genpkey -algorithm ed25519 -out fake.key 2>/dev/null
  openssl req -new -key fake.key -subj /CN=fake -out fake.csr 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > fake.ext
  openssl x509 -req -in fake.csr -CA .hwledger/fleet/ca/ca.crt -CAkey ca.pem \
    -CAcreateserial -days 2 -extfile fake.ext -out fake.crt 2>/dev/null
  python3 "$ROOT/tests/cli/fleet/fake_server.py" "$1" fake.crt fake.key \
    .hwledger/fleet/ca/ca.crt fake.port 2>fake.log &
  FAKE_PID=$!
  trap 'kill $FAKE_PID 2>/dev/null || true' EXIT
  for _ in $(seq 400); do [ -s fake.port ] && break; sleep 0.05; done
  [ -s fake.port ] || { echo "the fake server did not listen"; cat fake.log; return 1; }
  FAKE="https://127.0.0.1:$(cat fake.port)"
}

# fleet_wait_up HOST: waits until the server lists HOST up (its agent's
# first heartbeat came), asking with HOST.crt; fails after 30 s
fleet_wait_up() {
  for _ in $(seq 600); do
    "$HW" fleet hosts --server "$URL" --cert "$1.crt" --key agent/gpu-1.key --json 2>/dev/null |
      jq -e --arg h "$1" '.hosts[] | select(.host == $h and .state == "up")' >/dev/null &&
      return 0
    sleep 0.05
  done
  echo "$1 never came up"
  return 1
}

# fleet_agent_running: a CA, a server and gpu-1's agent heartbeating
# every second in the background ($AGENT, its log agent.log), up
fleet_agent_running() {
  fleet_ca
  fleet_cert gpu-1 gpu-1.crt
  fleet_serve
  "$HW" agent --server "$URL" --cert gpu-1.crt --key agent/gpu-1.key --interval 1 2>agent.log &
  AGENT=$!
  trap 'kill $AGENT $SERVER 2>/dev/null || true' EXIT
  fleet_wait_up gpu-1
}

# A server that stops, or closes the connection the agent kept, costs the
# agent a retry, not its life: it used to die of SIGPIPE (exit 141) with
# no word when it wrote to a connection the server had closed.
# Verifies: FR-FLEET-006
test_fleet_agent_outlives_its_server() {
  fleet_agent_running || return 1
  fleet_stop
  for _ in $(seq 600); do grep -q 'again in' agent.log && break; sleep 0.05; done
  kill -0 "$AGENT" || { wait "$AGENT"; echo "the agent died: exit $?"; cat agent.log; return 1; }
  grep -q "hwledger: agent: $URL: .*; again in 1 s" agent.log
  kill "$AGENT"
  wait "$AGENT"
}

# A TLS 1.3 server that sends session tickets (OpenSSL does, two after
# every handshake) is answered, not taken for one that timed out; and a
# server that drips an answer a byte at a time is cut at the request's
# deadline (10 s for the whole answer), not waited on forever.
# Verifies: FR-FLEET-004, FR-FLEET-006
test_fleet_client_takes_session_tickets_and_cuts_a_dripping_server() {
  fleet_ca
  fleet_cert gpu-1 gpu-1.crt
  fake_server ok
  run "$HW" agent --server "$FAKE" --cert gpu-1.crt --key agent/gpu-1.key --once
  expect_rc 0
  kill "$FAKE_PID"; wait "$FAKE_PID" 2>/dev/null || true
  rm -f fake.port
  fake_server drip
  run timeout 60 "$HW" agent --server "$FAKE" --cert gpu-1.crt --key agent/gpu-1.key --once
  expect_rc 3
  expect_err "hwledger: $FAKE: no whole answer in 10 s"
}

# The agent signs and posts a result only for a job of the shape the
# server gives: a whole id (it goes into the result's URL) and a nonce of
# 32 hex digits (it goes into what is signed).
# Verifies: FR-FLEET-007
test_fleet_agent_refuses_a_job_of_another_shape() {
  fleet_ca
  fleet_cert gpu-1 gpu-1.crt
  for mode in id nonce; do
    fake_server "$mode"
    run "$HW" agent --server "$FAKE" --cert gpu-1.crt --key agent/gpu-1.key --once
    expect_rc 3 || return 1
    expect_err "hwledger: $FAKE: not a job: " || return 1
    grep -q 'GET /v1/jobs/next' fake.log
    ! grep -q '/result' fake.log || { echo "a result was posted for a bad job"; return 1; }
    kill "$FAKE_PID"; wait "$FAKE_PID" 2>/dev/null || true
    rm -f fake.port
  done
}

# An agent keeps its connection open from one heartbeat to the next
# (src/fleet/client.c), and the server still checks its certificate on
# every request: revoking it while the connection is open refuses the very
# next heartbeat on it.
# Verifies: FR-FLEET-003, FR-FLEET-006
test_fleet_revocation_refuses_an_agent_on_its_open_connection() {
  fleet_agent_running || return 1
  run "$HW" fleet revoke gpu-1.crt --reason "stolen laptop"
  expect_rc 0
  for _ in $(seq 600); do
    grep -q 'refused: revoked (serial ' agent.log && break
    sleep 0.05
  done
  grep -q "hwledger: agent: $URL: 403: refused: revoked (serial " agent.log ||
    { echo "the agent was not refused:"; cat agent.log; return 1; }
  kill "$AGENT"
  wait "$AGENT" || true
}

# A refused enrolment is logged as every refusal is: tokens tried one
# after another leave a trace in the server's log.
# Verifies: FR-FLEET-006
test_fleet_refused_enrolment_is_logged() {
  fleet_ca
  fleet_serve
  run "$HW" agent enroll --server "$URL" --token hwf1-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA \
    --key agent/gpu-1.key -o gpu-1.crt
  expect_rc 3
  expect_err "403: unknown or already used enrolment token"
  [ ! -e gpu-1.crt ]
  fleet_stop
  grep -q '^hwledger: fleet serve: refused: enrolment: unknown or already used enrolment token$' serve.log ||
    { echo "not logged:"; cat serve.log; return 1; }
}

# fleet_take_job: gpu-1 takes its next job over curl (${curl[@]}): $JOB
# its id, $NONCE its nonce
fleet_take_job() {
  local job
  job=$("${curl[@]}" "$URL/v1/jobs/next")
  JOB=$(jq -r .id <<<"$job")
  NONCE=$(jq -r .nonce <<<"$job")
}

# fleet_post_result DOC: DOC posted as the result of job $JOB, signed with
# gpu-1's key (gpu-1.pem) over the bytes the agent signs; the server's
# answer in $OUT, its HTTP status on the last line
fleet_post_result() {
  local sum sig
  sum=$(printf '%s' "$1" | sha256sum | cut -d' ' -f1)
  printf 'hwledger.fleet.result/1\n%s\n%s\n%s' "$JOB" "$NONCE" "$sum" >msg
  sig=$(openssl pkeyutl -sign -rawin -inkey gpu-1.pem -in msg | base64 -w0)
  jq -cn --arg n "$NONCE" --arg r "$1" --arg s "$sig" \
    '{schema: "hwledger.fleet.result/1", nonce: $n, result: $r, signature: $s}' >post.json
  run "${curl[@]}" -w '\n%{http_code}' --data-binary @post.json "$URL/v1/jobs/$JOB/result"
}

# fleet_curl: gpu-1's key as PEM and ${curl[@]}, curl with its certificate
fleet_curl() {
  key_pem agent/gpu-1.key gpu-1.pem
  curl=(curl -sS --cacert .hwledger/fleet/ca/ca.crt --cert gpu-1.crt --key gpu-1.pem)
}

# A probe job's result is a probe of one host, each GPU with its index:
# one of another shape is refused (400, with what is wrong) rather than
# stored and printed as "gpu -nan"; and the text of `fleet status`,
# `hosts` and `jobs` shows a control character an agent's probe carries
# (a GPU name with an escape sequence) as \xHH, never as itself.
# Verifies: FR-FLEET-007, FR-FLEET-008
test_fleet_probe_result_is_checked_and_its_text_escaped() {
  fleet_up
  fleet_curl
  "$HW" agent "${mine[@]}" --once
  "$HW" -q fleet run probe --host gpu-1 "${ops[@]}"
  fleet_take_job
  fleet_post_result '{"schema": "hwledger.probe/1", "hosts": [{"host": "gpu-1", "reachable": true, "system": {}, "backends": {}, "gpus": [{"name": {"status": "ok", "value": "A10"}}]}]}'
  [ "$(tail -n 1 <<<"$OUT")" = 400 ] || { echo "not refused: $OUT"; return 1; }
  expect_out "the result of a probe job is not a probe of one host: it has a GPU whose index is not its place in the list"
  fleet_post_result '{"schema": "hwledger.probe/1", "hosts": []}'
  expect_out "it is not a list of one host"
  run "$HW" fleet status "${mine[@]}"
  expect_out ", not probed yet"
  # a probe of the right shape whose GPU name carries an escape sequence
  # and a newline (the agent's own probe makes them spaces; a hostile
  # agent sends what it likes)
  HWLEDGER_NVML_LIB="$(dirname "$HW")/fakes/libfake_nvml.so" \
    FAKE_NVML_SCENARIO="$FIXTURES/probes/nvml-two-gpus.json" "$HW" probe --json |
    jq -c '.hosts[0].gpus[0].name.value = "EVIL\u001b[2J\nfake"' >evil.json
  "$HW" -q fleet run probe --host gpu-1 "${ops[@]}"
  fleet_take_job
  fleet_post_result "$(cat evil.json)"
  [ "$(tail -n 1 <<<"$OUT")" = 200 ] || { echo "refused: $OUT"; return 1; }
  for what in status hosts jobs; do
    run "$HW" fleet "$what" "${mine[@]}"
    expect_rc 0 || return 1
    [[ "$OUT" != *$'\e'* ]] || { echo "fleet $what printed an escape: $OUT"; return 1; }
  done
  run "$HW" fleet status "${mine[@]}"
  expect_out '  gpu 0: EVIL\x1b[2J\x0afake memory free '
  [ "$(grep -c . <<<"$OUT")" = 3 ] || { echo "a line too many: $OUT"; return 1; }
}

# A deny list whose last line has no newline (an editor left it so) is
# read, and a revocation after it starts a line of its own; a deny list
# the server cannot read is the server's fault: 500 to every client, with
# the reason logged, not 403 as if every client were refused.
# Verifies: FR-FLEET-003, FR-FLEET-004
test_fleet_deny_list_without_a_last_newline_and_a_bad_one() {
  fleet_ca
  fleet_cert gpu-1 gpu-1.crt
  fleet_cert gpu-1 gpu-1b.crt
  fleet_cert gpu-1 good.crt
  serial=$(openssl x509 -in gpu-1.crt -noout -serial | cut -d= -f2 | tr A-F a-f)
  printf '%s 1000000000 stolen' "$serial" >.hwledger/fleet/denied
  run "$HW" fleet check gpu-1.crt
  expect_rc 1
  expect_err "refused: revoked (serial $serial)"
  run "$HW" fleet revoke gpu-1b.crt
  expect_rc 0
  [ "$(wc -l <.hwledger/fleet/denied)" = 2 ] || { cat .hwledger/fleet/denied; return 1; }
  run "$HW" fleet check gpu-1b.crt
  expect_rc 1
  run "$HW" fleet check good.crt
  expect_rc 0
  fleet_serve
  echo garbage >>.hwledger/fleet/denied
  run "$HW" agent --server "$URL" --cert good.crt --key agent/gpu-1.key --once
  expect_rc 3
  expect_err "hwledger: $URL: 500: .hwledger/fleet/denied:3:1: expected a serial of 32 hex digits"
  fleet_stop
  grep -q '^hwledger: fleet serve: .hwledger/fleet/denied:3:1: expected a serial' serve.log ||
    { echo "not logged:"; cat serve.log; return 1; }
  # a NUL byte would hide the lines after it
  printf '\0\n' >.hwledger/fleet/denied
  run "$HW" fleet check good.crt
  expect_rc 2
  expect_err "binary data (a NUL byte) in the deny list"
}

# A NUL byte ends a C string: in an enrolment token (\u0000 in the JSON
# body) or a query value (%00) it silently cut the rest off, and the
# shorter value was taken. Both are refused, 400, and the token stays
# usable.
# Verifies: FR-FLEET-004, FR-FLEET-006
test_fleet_nul_in_a_token_or_a_query_value_is_refused() {
  fleet_ca
  fleet_cert gpu-1 gpu-1.crt
  fleet_serve
  fleet_curl
  token=$("$HW" fleet enroll gpu-2)
  jq -cn --arg t "$token" --arg k "$(cat agent/gpu-1.pub)" \
    '{schema: "hwledger.fleet.enroll/1", token: ($t + "\u0000junk"), key: $k}' >enroll.json
  run curl -sS --cacert .hwledger/fleet/ca/ca.crt -w '\n%{http_code}' \
    --data-binary @enroll.json "$URL/v1/enroll"
  [ "$(tail -n 1 <<<"$OUT")" = 400 ] || { echo "not refused: $OUT"; return 1; }
  expect_out 'the body holds a NUL byte (or \\u0000 in a string)'
  run "${curl[@]}" -w '\n%{http_code}' -X POST "$URL/v1/heartbeat?interval=5%00junk"
  [ "$(tail -n 1 <<<"$OUT")" = 400 ] || { echo "not refused: $OUT"; return 1; }
  expect_out 'a query argument holds a NUL byte (%00)'
  run "$HW" agent enroll --server "$URL" --token "$token" --key agent/gpu-1.key -o gpu-2.crt
  expect_rc 0
}

# A job's id in a URL is as the server writes it: "-1" is not another
# endpoint (a 413 for its body) and "01" is not job 1; both are 404 with
# the reason.
# Verifies: FR-FLEET-009
test_fleet_job_id_in_a_url_is_canonical() {
  fleet_up
  fleet_curl
  "$HW" agent "${mine[@]}" --once
  "$HW" -q fleet run probe --host gpu-1 "${ops[@]}"
  fleet_take_job
  [ "$JOB" = 1 ] || { echo "no job 1: $JOB"; return 1; }
  for id in -1 01 +1 1x 99999999999999999999 ''; do
    run "${curl[@]}" -w '\n%{http_code}' --data-binary '{}' "$URL/v1/jobs/$id/result"
    [ "$(tail -n 1 <<<"$OUT")" = 404 ] || { echo "$id: $OUT"; return 1; }
    expect_out "no such job: a job's id is a whole number from 1, without sign or leading zero" || return 1
  done
  run "$HW" fleet jobs "${mine[@]}" --json
  [ "$(jq -r '.jobs[0].state' <<<"$OUT")" = running ]
  key_pem ops/ops.key ops.pem
  run curl -sS --cacert .hwledger/fleet/ca/ca.crt --cert ops.crt --key ops.pem \
    -w '\n%{http_code}' -X POST "$URL/v1/jobs/01/cancel"
  [ "$(tail -n 1 <<<"$OUT")" = 404 ] || { echo "01 cancelled: $OUT"; return 1; }
  run "$HW" fleet jobs "${mine[@]}" --json
  [ "$(jq -r '.jobs[0].state' <<<"$OUT")" = running ]
}

# A certificate and a key that are not one pair are found before the
# client connects (the server would only close the connection): exit 2
# naming both, for the agent (which would otherwise retry forever) and
# every other client.
# Verifies: FR-FLEET-006
test_fleet_cert_and_key_that_do_not_match_are_refused() {
  fleet_ca
  fleet_cert gpu-1 gpu-1.crt
  "$HW" -q ledger keygen --name gpu-2 --dir other >/dev/null
  fleet_serve
  run timeout 20 "$HW" agent --server "$URL" --cert gpu-1.crt --key other/gpu-2.key
  expect_rc 2
  expect_err "hwledger: gpu-1.crt and other/gpu-2.key do not match: the certificate is not of that key"
  run "$HW" fleet hosts --server "$URL" --cert gpu-1.crt --key other/gpu-2.key
  expect_rc 2
  expect_err "hwledger: gpu-1.crt and other/gpu-2.key do not match"
  run "$HW" agent --server "$URL" --cert gpu-1.crt --key agent/gpu-1.key --once
  expect_rc 0
  fleet_stop
  ! grep -q 'refused' serve.log || return 1
}

# Two servers on one state folder would share its port file, registry and
# jobs: the second is refused (exit 2) while the first holds the folder's
# lock, which goes with the first server when it stops.
# Verifies: FR-FLEET-004
test_fleet_second_server_on_one_state_folder_is_refused() {
  fleet_ca
  fleet_cert gpu-1 gpu-1.crt
  fleet_serve
  port=$(cat .hwledger/fleet/port)
  run timeout 20 "$HW" fleet serve --listen 127.0.0.1:0
  expect_rc 2
  expect_err "hwledger: fleet serve: another server holds .hwledger/fleet (.hwledger/fleet/serve.lock is locked)"
  [ "$(cat .hwledger/fleet/port)" = "$port" ]
  run "$HW" agent --server "$URL" --cert gpu-1.crt --key agent/gpu-1.key --once
  expect_rc 0
  fleet_stop
  fleet_serve
  run "$HW" agent --server "$URL" --cert gpu-1.crt --key agent/gpu-1.key --once
  expect_rc 0
  fleet_stop
}

# fleet.db deleted, or replaced by another file, under a running server is
# noticed: the server records nothing more into a file nobody reads (500
# with the reason, logged) until it is restarted, which opens the file
# then there.
# Verifies: FR-FLEET-005
test_fleet_registry_deleted_or_replaced_under_the_server_is_noticed() {
  fleet_up
  run "$HW" agent "${mine[@]}" --once
  expect_rc 0
  mv .hwledger/fleet/fleet.db fleet.db.away
  run "$HW" agent "${mine[@]}" --once
  expect_rc 3
  expect_err "hwledger: $URL: 500: .hwledger/fleet/fleet.db: deleted or replaced while the server ran: nothing more is recorded; restart the server"
  cp fleet.db.away .hwledger/fleet/fleet.db
  run "$HW" fleet hosts "${mine[@]}"
  expect_rc 3
  expect_err "500: .hwledger/fleet/fleet.db: deleted or replaced"
  fleet_stop
  grep -q '^hwledger: fleet serve: .hwledger/fleet/fleet.db: deleted or replaced while the server ran' serve.log ||
    { echo "not logged:"; cat serve.log; return 1; }
  fleet_serve
  mine[1]=$URL
  run "$HW" fleet hosts "${mine[@]}"
  expect_rc 0
  expect_out "gpu-1"
}

# A name given twice in the agent's allow-list is refused where the second
# is: the agent would run the first and ignore the second unseen.
# Verifies: FR-FLEET-011
test_fleet_agent_allow_list_with_a_duplicate_name_is_refused() {
  fleet_ca
  fleet_cert gpu-1 gpu-1.crt
  printf '{"hello": ["echo", "hi"],\n "uptime": ["uptime"],\n  "hello": ["rm", "-rf", "x"]}\n' >allow.json
  run "$HW" agent --server https://127.0.0.1:1 --cert gpu-1.crt --key agent/gpu-1.key --allow allow.json --once
  expect_rc 2
  expect_err "hwledger: allow.json:3:3: duplicate name 'hello'"
}

# The text of `fleet hosts|status|jobs` gives times as ISO 8601 UTC, not
# seconds since 1970; and a fleet that knows no host says so rather than
# print nothing.
# Verifies: FR-FLEET-005, FR-FLEET-008, FR-FLEET-009
test_fleet_text_times_are_iso_and_an_empty_fleet_says_so() {
  fleet_ca
  HWLEDGER_NOW=2000000000 fleet_cert gpu-1 gpu-1.crt
  fleet_serve HWLEDGER_NOW=2000000000
  mine=(--server "$URL" --cert gpu-1.crt --key agent/gpu-1.key)
  for what in hosts status; do
    run "$HW" fleet "$what" "${mine[@]}"
    expect_rc 0 || return 1
    [ "$OUT" = "the fleet has no hosts" ] || { echo "fleet $what: $OUT"; return 1; }
  done
  run "$HW" agent "${mine[@]}" --once
  expect_rc 0
  HWLEDGER_NOW=2000000000 fleet_operator
  "$HW" -q fleet run probe --host gpu-1 "${ops[@]}"
  run "$HW" fleet hosts "${mine[@]}"
  expect_out "gpu-1                    up    last seen 2033-05-18T03:33:20Z, serial "
  run "$HW" fleet status "${mine[@]}"
  expect_out "gpu-1 up, last seen 2033-05-18T03:33:20Z, not probed yet"
  run "$HW" fleet jobs "${mine[@]}"
  expect_out "1 gpu-1 probe queued, attempts 0 of 1, queued 2033-05-18T03:33:20Z, given -, done -"
}

# Verifies: FR-FLEET-004
test_fleet_client_needs_libcurl_built_on_gnutls() {
  fleet_ca
  fleet_cert gpu-1 gpu-1.crt
  mine=(--server https://127.0.0.1:1 --cert gpu-1.crt --key agent/gpu-1.key)
  run env HWLEDGER_LIBCURL=/nonexistent/libcurl.so "$HW" fleet hosts "${mine[@]}"
  expect_rc 3
  expect_err "libcurl"
  # Debian's libcurl4 is built on OpenSSL, which reads no hwledger key
  run env HWLEDGER_LIBCURL=libcurl.so.4 "$HW" fleet hosts "${mine[@]}"
  expect_rc 3
  expect_err "hwledger: libcurl is not built on GnuTLS (OpenSSL"
  # the GnuTLS one is used, and says nobody listens there
  run "$HW" fleet hosts "${mine[@]}"
  expect_rc 3
  expect_err "hwledger: https://127.0.0.1:1: cannot connect: Connection refused"
}
