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
