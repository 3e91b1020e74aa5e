# tests/cli/test_fleet_load.sh — two hundred agents on the loopback
# interface register and heartbeat at once (issue #29, "Security and
# faults"): every one is recorded once, in the registry and in the ledger,
# and the server answers them all. fleet_ca, fleet_serve and fleet_stop are
# test_fleet.sh's.

# fleet_agents N: certificates agent-1.crt .. agent-N.crt for the hosts
# agent-1 .. agent-N, all of agent/gpu-1.key (one key may back many
# certificates; each has its own serial and host)
fleet_agents() {
  local i token
  for i in $(seq "$1"); do
    token=$("$HW" fleet enroll "agent-$i") &&
      "$HW" -q fleet issue --token "$token" --key agent/gpu-1.pub -o "agent-$i.crt" ||
      return 1
  done
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

# Verifies: FR-FLEET-004, FR-FLEET-005
test_fleet_two_hundred_agents_register_and_heartbeat_at_once() {
  git init -q . # the ledger is verified in a repository
  fleet_ca
  fleet_agents 200
  fleet_serve
  # sixteen at a time, each agent's first heartbeat and then a second
  seq 200 | xargs -P 16 -I{} sh -c \
    '"$0" agent --server "$1" --cert agent-{}.crt --key agent/gpu-1.key --interval 60 --once &&
     "$0" agent --server "$1" --cert agent-{}.crt --key agent/gpu-1.key --interval 60 --once' \
    "$HW" "$URL" 2>agents.log ||
    { echo "an agent failed:"; head agents.log; return 1; }
  run "$HW" fleet hosts --server "$URL" --cert agent-1.crt --key agent/gpu-1.key --json
  expect_rc 0
  [ "$(jq '.hosts | length' <<<"$OUT")" = 200 ]
  [ "$(jq '[.hosts[] | select(.state == "up")] | length' <<<"$OUT")" = 200 ]
  [ "$(jq -r '[.hosts[].host] | unique | length' <<<"$OUT")" = 200 ]
  fleet_stop
  # each registered once: two heartbeats, one event
  "$HW" ledger log --json >log.json
  [ "$(jq '[.events[] | select(.kind == "fleet-register")] | length' log.json)" = 200 ]
  run "$HW" ledger verify --key .hwledger/keys/server-signer.pub
  expect_rc 0
  ! grep -q 'refused' serve.log
}

# An agent keeps its connection open from one heartbeat to the next
# (src/fleet/client.c), and the server still checks its certificate on
# every request: revoking it while the connection is open refuses the very
# next heartbeat on it.
# Verifies: FR-FLEET-003, FR-FLEET-006
test_fleet_revocation_refuses_an_agent_on_its_open_connection() {
  fleet_ca
  fleet_cert gpu-1 gpu-1.crt
  fleet_serve
  "$HW" agent --server "$URL" --cert gpu-1.crt --key agent/gpu-1.key --interval 1 2>agent.log &
  AGENT=$!
  trap 'kill $AGENT $SERVER 2>/dev/null || true' EXIT
  fleet_wait_up gpu-1 || return 1
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
