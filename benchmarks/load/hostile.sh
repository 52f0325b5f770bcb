#!/usr/bin/env bash
# Hostile-client run over loopback: slowhttptest (slow headers, slow body, slow read) against a local gateway,
# with wrk measuring how well legitimate traffic is served before and during the slow-headers attack.
#
# It starts the gateway (with its built-in demo upstream) from GATEWAY_JAR on 127.0.0.1, runs each tool with a
# fixed duration and a `timeout` bound, writes every tool's output to OUT_DIR, prints a summary, and stops the
# gateway by the PID it recorded. It talks only to 127.0.0.1 and installs nothing.
#
# Usage: benchmarks/load/hostile.sh [--duration S] [--connections N] [--out DIR]
#   --duration     seconds per attack (default 30)
#   --connections  slow connections per attack (default 1000)
# Environment: GATEWAY_JAR (default gateway-proxy/target/ventra-gateway.jar; build it with
#              `mvn -q -B -pl gateway-proxy -am package -DskipTests`), BASE_PORT (default 28080; uses +1, +2).
# Needs: java, slowhttptest (apt-get install -y slowhttptest), wrk (apt-get install -y wrk), curl, sha256sum.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
DURATION=30
CONNECTIONS=1000
OUT_DIR="$REPO_ROOT/benchmarks/load/results/hostile"
GATEWAY_JAR="${GATEWAY_JAR:-$REPO_ROOT/gateway-proxy/target/ventra-gateway.jar}"
BASE_PORT="${BASE_PORT:-28080}"

while [[ $# -gt 0 ]]; do
    case "$1" in
        --duration) DURATION="$2"; shift 2 ;;
        --connections) CONNECTIONS="$2"; shift 2 ;;
        --out) OUT_DIR="$2"; shift 2 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) echo "Unknown option: $1 (expected: --duration, --connections, --out)" >&2; exit 2 ;;
    esac
done

for tool in java slowhttptest wrk curl sha256sum timeout; do
    command -v "$tool" >/dev/null 2>&1 || { echo "Missing tool: $tool" >&2; exit 2; }
done
[[ -f "$GATEWAY_JAR" ]] || { echo "Missing $GATEWAY_JAR (build it first, see --help)" >&2; exit 2; }

HOST=127.0.0.1
GATEWAY_PORT=$BASE_PORT
ADMIN_PORT=$((BASE_PORT + 1))
UPSTREAM_PORT=$((BASE_PORT + 2))
URL="http://$HOST:$GATEWAY_PORT/api/other"
KEY=ent-hostile
WORK="$(mktemp -d)"
mkdir -p "$OUT_DIR"
GATEWAY_PID=""

stop_gateway() {
    if [[ -n "$GATEWAY_PID" ]] && kill -0 "$GATEWAY_PID" 2>/dev/null; then
        kill -TERM "$GATEWAY_PID"
        for _ in $(seq 1 100); do kill -0 "$GATEWAY_PID" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$GATEWAY_PID" 2>/dev/null && kill -KILL "$GATEWAY_PID"
    fi
    rm -rf "$WORK"
}
trap stop_gateway EXIT

# Safe defaults except where noted; the defaults are what is under test.
cat > "$WORK/gateway.yaml" <<YAML
server: { bind: $HOST, port: $GATEWAY_PORT, admin-bind: $HOST, admin-port: $ADMIN_PORT, shutdown-grace: 5s }
proxy: { max-connections: 10000 }
identity:
  api-keys: { header: X-API-Key, file: keys.yaml }
plans:
  enterprise: { unlimited: true }
routes:
  - { path: /**, upstream: "http://$HOST:$UPSTREAM_PORT" }
YAML
printf 'keys:\n  - { sha256: %s, account: hostile, plan: enterprise }\n' \
    "$(printf '%s' "$KEY" | sha256sum | cut -d' ' -f1)" > "$WORK/keys.yaml"

java -Xms256m -Xmx512m -jar "$GATEWAY_JAR" run --config "$WORK/gateway.yaml" --demo-upstream --no-watch \
    > "$OUT_DIR/gateway.log" 2>&1 &
GATEWAY_PID=$!
for _ in $(seq 1 100); do
    curl -fsS -o /dev/null -H "X-API-Key: $KEY" "$URL" 2>/dev/null && break
    sleep 0.2
done
curl -fsS -o /dev/null -H "X-API-Key: $KEY" "$URL" || { echo "The gateway did not come up" >&2; exit 1; }

bound=$((DURATION + 30))
baseline() {
    timeout "$bound" wrk -t2 -c32 -d"${1}s" --latency -H "X-API-Key: $KEY" "$URL" > "$OUT_DIR/$2.txt" 2>&1 || true
}
open_connections() {
    ss -Htn state established "( sport = :$GATEWAY_PORT )" 2>/dev/null | wc -l
}

echo "== wrk baseline (${DURATION}s)"
baseline "$DURATION" wrk-baseline

echo "== slowhttptest slow headers (slowloris), $CONNECTIONS connections, wrk alongside"
timeout "$bound" slowhttptest -H -c "$CONNECTIONS" -i 5 -r 200 -t GET -u "$URL" -x 24 -p 3 -l "$DURATION" \
    -g -o "$OUT_DIR/slowloris" > "$OUT_DIR/slowloris.txt" 2>&1 &
SLOW_PID=$!
sleep 5
echo "   open connections 5 s into the attack: $(open_connections)" | tee "$OUT_DIR/slowloris-open.txt"
baseline $((DURATION - 10)) wrk-during-slowloris
wait "$SLOW_PID" || true

echo "== slowhttptest slow body (R-U-D-Y), $CONNECTIONS connections"
timeout "$bound" slowhttptest -B -c "$CONNECTIONS" -i 5 -r 200 -s 65536 -t POST -u "$URL" -x 10 -p 3 \
    -l "$DURATION" -g -o "$OUT_DIR/slowbody" > "$OUT_DIR/slowbody.txt" 2>&1 || true

echo "== slowhttptest slow read, $CONNECTIONS connections"
timeout "$bound" slowhttptest -X -c "$CONNECTIONS" -r 200 -w 512 -y 1024 -n 5 -z 32 -k 3 -u "$URL" -p 3 \
    -l "$DURATION" -g -o "$OUT_DIR/slowread" > "$OUT_DIR/slowread.txt" 2>&1 || true

echo "== gateway still serving after the attacks?"
curl -fsS -o /dev/null -w '   status %{http_code} in %{time_total}s\n' -H "X-API-Key: $KEY" "$URL" \
    | tee "$OUT_DIR/after.txt"

summary() {
    local name="$1"
    echo "-- $name"
    sed 's/\x1b\[[0-9;]*m//g' "$OUT_DIR/$name.txt" \
        | grep -E "status on|pending|connected|error|closed|service available|Exit status" | tail -7 || true
}
{
    echo "wrk baseline:"; grep -E "Requests/sec|Latency|99%|Non-2xx" "$OUT_DIR/wrk-baseline.txt" || true
    echo "wrk during slowloris:"; grep -E "Requests/sec|Latency|99%|Non-2xx" "$OUT_DIR/wrk-during-slowloris.txt" \
        || true
    summary slowloris
    summary slowbody
    summary slowread
} | tee "$OUT_DIR/summary.txt"
