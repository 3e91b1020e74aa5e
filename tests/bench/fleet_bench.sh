#!/usr/bin/env bash
# tests/bench/fleet_bench.sh BUILD — issue #29's fleet rows, also run
# alone: a probe job's round trip through the server and an agent vs a
# plain curl GET over mutual TLS to the same server, and the server's CPU
# while 200 agents heartbeat every second (from /proc/PID/stat). A fresh
# CA, server and agents under BUILD/bench/fleet; the server's log there.
set -eu
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
hw=$root/$build/hwledger
work=$root/$build/bench/fleet
TIMEIT=${TIMEIT:-$root/$build/bench/timeit}
. "$root/tests/bench/lib.sh"
rm -rf "$work" && mkdir -p "$work/certs" && cd "$work"

"$hw" -q fleet ca init
"$hw" -q ledger keygen --name server-signer >/dev/null
"$hw" -q ledger keygen --name bench --dir agent >/dev/null
for i in $(seq 0 200); do
  token=$("$hw" fleet enroll "agent-$i")
  "$hw" -q fleet issue --token "$token" --key agent/bench.pub -o "certs/agent-$i.crt"
done
# the operator who queues the jobs (FR-FLEET-010)
"$hw" -q fleet issue --token "$("$hw" fleet enroll --operator ops)" \
  --key agent/bench.pub -o certs/ops.crt
# curl reads a PKCS#8 PEM: the Ed25519 seed is the key's first 32 bytes
{ echo "-----BEGIN PRIVATE KEY-----"
  { printf '\x30\x2e\x02\x01\x00\x30\x05\x06\x03\x2b\x65\x70\x04\x22\x04\x20'
    sed -n 's/^key: //p' agent/bench.key | base64 -d | head -c 32; } | base64
  echo "-----END PRIVATE KEY-----"; } >bench.pem
chmod 600 bench.pem

"$hw" fleet serve --listen 127.0.0.1:0 2>serve.log &
server=$!
agents=()
trap 'kill $server "${agents[@]}" 2>/dev/null || true' EXIT
for _ in $(seq 400); do [ -s .hwledger/fleet/port ] && break; sleep 0.05; done
url=https://127.0.0.1:$(cat .hwledger/fleet/port)
mine="--server '$url' --cert certs/agent-0.crt --key agent/bench.key"
HWLEDGER_NVML_LIB=/none "$hw" agent --server "$url" --cert certs/agent-0.crt --key agent/bench.key --once

# issue #29: queue a probe and have the agent run it and post the signed
# result (two processes, four requests), vs one GET of the same server
ops="--server '$url' --cert certs/ops.crt --key agent/bench.key"
compare "fleet probe job round trip vs curl GET mTLS" "<= 3x" \
  "'$hw' -q fleet run probe --host agent-0 $ops && HWLEDGER_NVML_LIB=/none '$hw' agent $mine --once" \
  "curl -sf --cacert .hwledger/fleet/ca/ca.crt --cert certs/agent-0.crt --key bench.pem '$url/v1/hosts'"

# issue #29: 200 agents heartbeating every second; the server's CPU over
# 20 s once all have registered, as a share of one core
for i in $(seq 1 200); do
  "$hw" agent --server "$url" --cert "certs/agent-$i.crt" --key agent/bench.key --interval 1 2>/dev/null &
  agents+=($!)
done
for _ in $(seq 1200); do
  [ "$("$hw" fleet hosts --server "$url" --cert certs/agent-0.crt --key agent/bench.key --json |
    jq '[.hosts[] | select(.state == "up")] | length')" -ge 201 ] && break
  sleep 0.1
done
ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
hz=$(getconf CLK_TCK)
t0=$(ticks) w0=$(now_ns)
sleep 20
t1=$(ticks) w1=$(now_ns)
awk -v t="$((t1 - t0))" -v hz="$hz" -v w="$((w1 - w0))" 'BEGIN {
  printf "%-44s server CPU %6.2f s in %5.1f s  share %.1f%% of a core  (goal <= 5%%)\n",
    "fleet serve, 200 agents heartbeating every 1 s", t / hz, w / 1e9, 100 * (t / hz) / (w / 1e9) }'
