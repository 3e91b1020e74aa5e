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
  kill "$idle"
  fleet_stop
  ! grep -q "Server reached connection limit" serve.log
}
