#!/usr/bin/env bash
# Load test over loopback: direct upstream vs nginx (reverse proxy, limit_req) vs Ventra Gateway (memory store
# and Redis store).
#
# The proxy under test runs on core 0 (taskset -c 0); wrk, the upstream (nginx `return 200`) and redis-server
# on core 1.
# Each setup is warmed up, then measured RUNS times; the script prints a table of req/s and p50/p99 with
# ratios to direct upstream and to nginx, and writes results.csv, summary.csv and chart.png to OUT_DIR.
# Everything it starts it stops by PID on exit; every step has a time bound; it only talks to 127.0.0.1.
#
# Usage: benchmarks/load/run.sh [--duration S] [--warmup S] [--gateway-warmup S] [--runs N] [--connections N]
#                               [--out DIR] [--profile | --chart-only]
#   --gateway-warmup  warm-up of each gateway row (default 30 s: on its one pinned core the JVM needs about
#                 25 s of load before C2 has compiled the hot path; 10 s left it at a fifth of its speed).
#   --profile     instead of the table, record a JFR profile of the gateway under load (30 s) and print its
#                 top frames to OUT_DIR/profile-top.txt.
#   --chart-only  redraw OUT_DIR/chart.png from OUT_DIR/summary.csv; starts nothing.
# Environment: GATEWAY_JAR (default gateway-proxy/target/ventra-gateway.jar), GATEWAY_JAVA_OPTS,
#              BASE_PORT (default 18080; uses BASE_PORT+1 .. BASE_PORT+14),
#              REDIS_SERVER (default: redis-server from PATH, else the binary inside the embedded-redis jar in
#              ~/.m2, extracted to the temp dir; SKIP_REDIS=1 leaves the Redis rows out),
#              NICE (default 0; e.g. -10 as root, to shield the measured processes from other load on the machine).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"

DURATION=10
WARMUP=10
GATEWAY_WARMUP=30
RUNS=3
CONNECTIONS=50
OUT_DIR="$REPO_ROOT/benchmarks/load/results"
PROFILE=0
CHART_ONLY=0
ACCOUNTS=1000
GATEWAY_JAR="${GATEWAY_JAR:-$REPO_ROOT/gateway-proxy/target/ventra-gateway.jar}"
GATEWAY_JAVA_OPTS="${GATEWAY_JAVA_OPTS:--Xms512m -Xmx512m}"
BASE_PORT="${BASE_PORT:-18080}"
NICE="${NICE:-0}"
REDIS_SERVER="${REDIS_SERVER:-}"
SKIP_REDIS="${SKIP_REDIS:-0}"
EMBEDDED_REDIS_JAR="${EMBEDDED_REDIS_JAR:-$HOME/.m2/repository/com/github/codemonstur/embedded-redis/1.4.4/embedded-redis-1.4.4.jar}"
EMBEDDED_REDIS_RESOURCE=redis-server-6.2.6-v5-linux-amd64

while [[ $# -gt 0 ]]; do
    case "$1" in
        --duration) DURATION="$2"; shift 2 ;;
        --warmup) WARMUP="$2"; shift 2 ;;
        --gateway-warmup) GATEWAY_WARMUP="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --connections) CONNECTIONS="$2"; shift 2 ;;
        --out) OUT_DIR="$2"; shift 2 ;;
        --profile) PROFILE=1; shift ;;
        --chart-only) CHART_ONLY=1; shift ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        *) echo "Unknown option: $1 (expected: --duration, --warmup, --gateway-warmup, --runs, --connections, --out, --profile, --chart-only)" >&2
           exit 2 ;;
    esac
done

UPSTREAM_PORT=$((BASE_PORT + 1))
NGINX_PORT=$((BASE_PORT + 2))
NGINX_LIMIT_PORT=$((BASE_PORT + 3))
GATEWAY_PORT=$((BASE_PORT + 4))
REDIS_PORT=$((BASE_PORT + 5))
GATEWAY_ADMIN_PORT=$((BASE_PORT + 14))
HOST=127.0.0.1
PATH_UNDER_TEST=/api/v1/items/42
HOT_KEY=bench-key-0

# ---------------------------------------------------------------------------------------------------------
# Preconditions. Nothing is installed silently.
# ---------------------------------------------------------------------------------------------------------
missing=()
for tool in wrk nginx java taskset curl sha256sum timeout awk; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [[ ${#missing[@]} -gt 0 ]]; then
    echo "Missing: ${missing[*]}" >&2
    echo "On Debian/Ubuntu: apt-get install -y wrk nginx-light (nginx works too), and a JDK 17+." >&2
    exit 1
fi
if [[ ! -f "$GATEWAY_JAR" ]]; then
    echo "Gateway jar not found: $GATEWAY_JAR (expected: build it with mvn -q -B -DskipTests package)" >&2
    exit 1
fi
if [[ "$(nproc)" -lt 2 ]]; then
    echo "Needs 2 cores to pin the proxy and wrk apart (found: $(nproc))" >&2
    exit 1
fi
for port in "$UPSTREAM_PORT" "$NGINX_PORT" "$NGINX_LIMIT_PORT" "$GATEWAY_PORT" "$REDIS_PORT" "$GATEWAY_ADMIN_PORT"; do
    if (exec 3<>"/dev/tcp/$HOST/$port") 2>/dev/null; then
        echo "Port $port on $HOST is in use (expected: free; set BASE_PORT)" >&2
        exit 1
    fi
done

# ---------------------------------------------------------------------------------------------------------
# Process bookkeeping: every process is started through `start`, and stopped by PID on exit.
# ---------------------------------------------------------------------------------------------------------
WORK="$(mktemp -d -t ventra-load.XXXXXX)"
PIDS=()

cleanup() {
    local pid
    for pid in "${PIDS[@]:-}"; do
        [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]:-}"; do
        [[ -z "$pid" ]] && continue
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# find_redis_server: sets REDIS_SERVER, or SKIP_REDIS=1 with a message. Installs nothing: redis-server from
# PATH, else the Linux binary the embedded-redis test dependency carries (extracted into the temp dir).
find_redis_server() {
    [[ "$SKIP_REDIS" == 1 || "$PROFILE" == 1 || "$CHART_ONLY" == 1 ]] && return 0
    if [[ -z "$REDIS_SERVER" ]] && command -v redis-server >/dev/null 2>&1; then
        REDIS_SERVER="$(command -v redis-server)"
    fi
    if [[ -z "$REDIS_SERVER" && -f "$EMBEDDED_REDIS_JAR" ]] && command -v unzip >/dev/null 2>&1 \
            && [[ "$(uname -s)-$(uname -m)" == Linux-x86_64 ]]; then
        REDIS_SERVER="$WORK/redis-server"
        unzip -p "$EMBEDDED_REDIS_JAR" "$EMBEDDED_REDIS_RESOURCE" >"$REDIS_SERVER" && chmod +x "$REDIS_SERVER" \
                || REDIS_SERVER=""
    fi
    if [[ -z "$REDIS_SERVER" ]] || ! "$REDIS_SERVER" --version >/dev/null 2>&1; then
        echo "No usable redis-server (expected: on PATH, REDIS_SERVER=..., or $EMBEDDED_REDIS_JAR);" \
             "the Redis rows are skipped" >&2
        REDIS_SERVER=""
        SKIP_REDIS=1
    fi
}

# start CORE LOGFILE COMMAND...: runs COMMAND pinned to CORE in the background and records its PID.
start() {
    local core="$1" log="$2"
    shift 2
    nice -n "$NICE" taskset -c "$core" "$@" >"$log" 2>&1 &
    PIDS+=("$!")
}

stop_last() {
    local pid="${PIDS[-1]}"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    unset 'PIDS[-1]'
}

# wait_ready PORT: until an HTTP GET with the hot key answers 200, for at most 30 s.
wait_ready() {
    local port="$1"
    for _ in $(seq 1 300); do
        local code
        code="$(curl -s -o /dev/null -m 1 -w '%{http_code}' -H "X-Api-Key: $HOT_KEY" \
                "http://$HOST:$port$PATH_UNDER_TEST" || true)"
        [[ "$code" == "200" ]] && return 0
        sleep 0.1
    done
    echo "Nothing answering 200 on $HOST:$port after 30 s" >&2
    return 1
}

# ---------------------------------------------------------------------------------------------------------
# Configurations.
# ---------------------------------------------------------------------------------------------------------
nginx_common() {
    local dir="$1"
    mkdir -p "$dir/logs" "$dir/tmp"
    cat <<EOF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    keepalive_timeout 60s;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
EOF
}

write_upstream_conf() {
    local dir="$WORK/upstream"
    mkdir -p "$dir"
    {
        nginx_common "$dir"
        cat <<EOF
    server {
        listen $HOST:$UPSTREAM_PORT;
        location / {
            default_type text/plain;
            return 200 "hello from upstream\n";
        }
    }
}
EOF
    } >"$dir/nginx.conf"
}

# The nginx under test: a plain reverse proxy, and the same with limit_req keyed by API key at a rate that
# never refuses (so both do the same work apart from the limiter).
write_proxy_conf() {
    local dir="$WORK/nginx"
    mkdir -p "$dir"
    {
        nginx_common "$dir"
        cat <<EOF
    upstream backend {
        server $HOST:$UPSTREAM_PORT;
        keepalive 64;
    }
    limit_req_zone \$http_x_api_key zone=perkey:10m rate=1000000r/s;
    server {
        listen $HOST:$NGINX_PORT;
        location / {
            proxy_pass http://backend;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
    server {
        listen $HOST:$NGINX_LIMIT_PORT;
        location / {
            limit_req zone=perkey burst=1000000 nodelay;
            proxy_pass http://backend;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
EOF
    } >"$dir/nginx.conf"
}

# The gateway: memory store, one route to the nginx upstream, $ACCOUNTS keys on a plan that never refuses
# (1e9 per minute), so every request takes a token from a real bucket.
# write_gateway_conf [redis]: with "redis", the store is the Redis on $REDIS_PORT and Redis failures answer
# 503 (on-failure: deny) instead of falling back to local buckets, so a row can never be inflated by the
# fallback unnoticed: any failed store call shows up as a non-2xx response.
write_gateway_conf() {
    local dir="$WORK/gateway"
    local store="  type: memory"
    if [[ "${1:-}" == redis ]]; then
        store="  type: redis
  redis: { uri: \"redis://$HOST:$REDIS_PORT\", mode: standalone, timeout: 100ms }
  on-failure: deny"
    fi
    mkdir -p "$dir"
    {
        echo "keys:"
        for i in $(seq 0 $((ACCOUNTS - 1))); do
            local hash
            hash="$(printf '%s' "bench-key-$i" | sha256sum | cut -d' ' -f1)"
            echo "  - { sha256: $hash, account: acct-$i, plan: bench }"
        done
    } >"$dir/api-keys.yaml"
    cat >"$dir/gateway.yaml" <<EOF
server:
  bind: $HOST
  port: $GATEWAY_PORT
  admin-bind: $HOST
  admin-port: $GATEWAY_ADMIN_PORT
  shutdown-grace: 1s
  io-threads: 1
store:
$store
identity:
  api-keys: { header: X-Api-Key, file: api-keys.yaml }
plans:
  bench: { limit: 1000000000, period: 1m }
routes:
  - { path: /**, upstream: "http://$HOST:$UPSTREAM_PORT" }
EOF
    # wrk Lua script that spreads requests over all accounts (each wrk thread has its own counter).
    cat >"$WORK/accounts.lua" <<EOF
local n = 0
request = function()
    n = (n + 1) % $ACCOUNTS
    return wrk.format(nil, nil, { ["X-Api-Key"] = "bench-key-" .. n })
end
EOF
}

start_upstream() {
    start 1 "$WORK/upstream/stdout.log" nginx -p "$WORK/upstream" -c "$WORK/upstream/nginx.conf" \
            -e "$WORK/upstream/logs/error.log"
    wait_ready "$UPSTREAM_PORT"
}

start_nginx() {
    start 0 "$WORK/nginx/stdout.log" nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" \
            -e "$WORK/nginx/logs/error.log"
    wait_ready "$NGINX_PORT"
}

# redis_cmd COMMAND...: one inline command to the benchmark's redis-server over bash's /dev/tcp (no redis-cli
# needed); prints the first reply line.
redis_cmd() (
    exec 3<>"/dev/tcp/$HOST/$REDIS_PORT" || exit 1
    printf '%s\r\n' "$*" >&3
    reply=""
    IFS= read -r -t 2 reply <&3 || true
    printf '%s\n' "${reply%$'\r'}"
) 2>/dev/null

# start_redis: redis-server on core 1 (beside wrk and the upstream), loopback only, no persistence.
start_redis() {
    local dir="$WORK/redis"
    mkdir -p "$dir"
    start 1 "$dir/stdout.log" "$REDIS_SERVER" --bind "$HOST" --port "$REDIS_PORT" --protected-mode yes \
            --save "" --appendonly no --dir "$dir" --daemonize no --maxmemory 256mb
    for _ in $(seq 1 100); do
        [[ "$(redis_cmd PING || true)" == "+PONG" ]] && return 0
        sleep 0.1
    done
    echo "redis-server did not answer PING on $HOST:$REDIS_PORT after 10 s" >&2
    return 1
}

# redis_stats NAME: after a row, record how many commands and keys Redis saw, as a check that the row went
# through Redis (appended to redis-stats.txt).
redis_stats() {
    {
        echo "== after $1: dbsize $(redis_cmd DBSIZE | tr -d ':')"
        if command -v redis-cli >/dev/null 2>&1; then
            timeout 5 redis-cli -h "$HOST" -p "$REDIS_PORT" info commandstats | tr -d '\r' | grep -E '^cmdstat_' || true
            timeout 5 redis-cli -h "$HOST" -p "$REDIS_PORT" config resetstat >/dev/null || true
        fi
    } >>"$OUT_DIR/redis-stats.txt"
}

# start_gateway [EXTRA_JAVA_OPTS...]
start_gateway() {
    # shellcheck disable=SC2086
    start 0 "$WORK/gateway/stdout.log" java $GATEWAY_JAVA_OPTS "$@" -jar "$GATEWAY_JAR" run \
            --config "$WORK/gateway/gateway.yaml"
    wait_ready "$GATEWAY_PORT"
}

# ---------------------------------------------------------------------------------------------------------
# Measuring.
# ---------------------------------------------------------------------------------------------------------
# to_ms VALUE: wrk prints 812.00us, 1.20ms or 1.01s.
to_ms() {
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
        else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
        else { printf "nan" }
    }'
}

# wrk_run PORT SECONDS [LUA]: prints "req_per_s p50_ms p99_ms non2xx socket_errors".
wrk_run() {
    local port="$1" seconds="$2" lua="${3:-}" out
    local args=(-t2 "-c$CONNECTIONS" "-d${seconds}s" --latency -H "X-Api-Key: $HOT_KEY")
    [[ -n "$lua" ]] && args+=(-s "$lua")
    out="$(timeout $((seconds + 30)) nice -n "$NICE" taskset -c 1 wrk "${args[@]}" "http://$HOST:$port$PATH_UNDER_TEST")"
    echo "$out" >>"$WORK/wrk.log"
    local rps p50 p99 non2xx errors
    rps="$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")"
    p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")"
    p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")"
    non2xx="$(awk '/Non-2xx or 3xx responses:/ { print $5 }' <<<"$out")"
    errors="$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' <<<"$out")"
    echo "$rps $p50 $p99 ${non2xx:-0} ${errors:-0}"
}

# measure NAME PORT [LUA [WARMUP_S]]: warm up, then RUNS runs, appended to results.csv.
measure() {
    local name="$1" port="$2" lua="${3:-}" warmup="${4:-$WARMUP}"
    echo "== $name: warm-up ${warmup}s, then $RUNS × ${DURATION}s at $CONNECTIONS connections" >&2
    wrk_run "$port" "$warmup" "$lua" >/dev/null
    for run in $(seq 1 "$RUNS"); do
        local result
        result="$(wrk_run "$port" "$DURATION" "$lua")"
        echo "   run $run: $result  (req/s p50_ms p99_ms non2xx errors)" >&2
        echo "$name,$run,${result// /,}" >>"$OUT_DIR/results.csv"
    done
}

# ---------------------------------------------------------------------------------------------------------
# Profile mode: JFR of the gateway under wrk load.
# ---------------------------------------------------------------------------------------------------------
run_profile() {
    mkdir -p "$OUT_DIR"
    write_upstream_conf
    write_gateway_conf
    start_upstream
    local jfr="$OUT_DIR/gateway.jfr"
    rm -f "$jfr"
    start_gateway "-XX:StartFlightRecording=delay=${WARMUP}s,duration=30s,settings=profile,filename=$jfr"
    echo "== profiling the gateway: warm-up ${WARMUP}s, then 30 s recorded under wrk" >&2
    wrk_run "$GATEWAY_PORT" "$WARMUP" >/dev/null
    local result
    result="$(wrk_run "$GATEWAY_PORT" 32)"
    echo "   under the recording: $result  (req/s p50_ms p99_ms non2xx errors)" >&2
    for _ in $(seq 1 100); do
        [[ -s "$jfr" ]] && break
        sleep 0.2
    done
    stop_last
    {
        echo "# JFR jdk.ExecutionSample of the gateway under wrk ($CONNECTIONS connections, one hot key)"
        echo "# wrk during the recording: $result  (req/s p50_ms p99_ms non2xx errors)"
        echo
        echo "## Top frames (self), by samples"
        jfr print --events jdk.ExecutionSample --stack-depth 1 "$jfr" | awk '
            /stackTrace = \[/ { getline; sub(/^[ \t]+/, ""); sub(/[ \t]+line:.*/, ""); count[$0]++; total++ }
            END { for (f in count) printf "%6d %5.1f%%  %s\n", count[f], 100 * count[f] / total, f }' \
            | sort -rn | head -30
        echo
        echo "## Methods on the stack (inclusive), by samples"
        jfr print --events jdk.ExecutionSample --stack-depth 64 "$jfr" | awk '
            /stackTrace = \[/ { inside = 1; total++; delete seen; next }
            inside && /^[ \t]*\]/ { inside = 0; next }
            inside { sub(/^[ \t]+/, ""); sub(/[ \t]+line:.*/, ""); if (!($0 in seen)) { seen[$0] = 1; count[$0]++ } }
            END { for (f in count) printf "%6d %5.1f%%  %s\n", count[f], 100 * count[f] / total, f }' \
            | grep -E 'io\.ventra|io\.github\.bucket4j|benmanes|MessageDigest|jackson|logback' \
            | sort -rn | head -40
    } >"$OUT_DIR/profile-top.txt"
    cat "$OUT_DIR/profile-top.txt"
}

# ---------------------------------------------------------------------------------------------------------
# Report.
# ---------------------------------------------------------------------------------------------------------
summarize() {
    # Median of the runs per setup, in first-seen order; ratios against "direct" and "nginx".
    awk -F, 'NR > 1 {
        if (!($1 in n)) { order[++setups] = $1 }
        i = ++n[$1]; rps[$1, i] = $3; p50[$1, i] = $4; p99[$1, i] = $5; bad[$1] += $6 + $7
    }
    function median(arr, name, k,    vals, j, m, t) {
        for (j = 1; j <= k; j++) vals[j] = arr[name, j]
        for (j = 1; j <= k; j++) for (m = j + 1; m <= k; m++) if (vals[m] < vals[j]) { t = vals[j]; vals[j] = vals[m]; vals[m] = t }
        return (k % 2) ? vals[(k + 1) / 2] : (vals[k / 2] + vals[k / 2 + 1]) / 2
    }
    END {
        for (s = 1; s <= setups; s++) {
            name = order[s]
            mr[name] = median(rps, name, n[name]); m50[name] = median(p50, name, n[name])
            m99[name] = median(p99, name, n[name])
        }
        print "setup,req_per_s,p50_ms,p99_ms,x_direct,x_nginx,p99_added_over_direct_ms,non2xx_or_errors"
        for (s = 1; s <= setups; s++) {
            name = order[s]
            xd = ("direct" in mr) ? sprintf("%.2f", mr[name] / mr["direct"]) : ""
            xn = ("nginx" in mr) ? sprintf("%.2f", mr[name] / mr["nginx"]) : ""
            added = ("direct" in m99) ? sprintf("%.3f", m99[name] - m99["direct"]) : ""
            printf "%s,%.0f,%.3f,%.3f,%s,%s,%s,%d\n", name, mr[name], m50[name], m99[name], xd, xn, added, bad[name]
        }
    }' "$OUT_DIR/results.csv" >"$OUT_DIR/summary.csv"
    echo
    echo "Median of $RUNS runs, ${DURATION}s each, $CONNECTIONS connections; proxy on core 0, wrk + upstream on core 1"
    column -t -s, "$OUT_DIR/summary.csv"
}

# ratios: the ratios the targets of issue 6 are stated in, from summary.csv, to ratios.txt.
ratios() {
    awk -F, 'NR > 1 { r[$1] = $2 }
    function line(label, a, b) {
        if ((a in r) && (b in r) && r[b] > 0) printf "%-58s %6.2f   (%s / %s)\n", label, r[a] / r[b], a, b
    }
    END {
        k = "'"${ACCOUNTS}keys"'"
        line("nginx reverse proxy vs direct (reference 0.72)", "nginx", "direct")
        line("nginx limit_req vs nginx (reference 0.98)", "nginx-limit_req", "nginx")
        line("gateway memory vs nginx (target >= 0.9)", "gateway-memory", "nginx")
        line("gateway memory vs direct", "gateway-memory", "direct")
        line("gateway memory " k " vs nginx limit_req " k, "gateway-memory-" k, "nginx-limit_req-" k)
        line("gateway redis " k " vs nginx limit_req (target >= 0.5)", "gateway-redis-" k, "nginx-limit_req")
        line("gateway redis " k " vs nginx limit_req " k " (same wrk script)", "gateway-redis-" k, "nginx-limit_req-" k)
        line("gateway redis hot vs gateway redis " k " (target >= 0.8)", "gateway-redis", "gateway-redis-" k)
        line("gateway redis hot vs nginx limit_req", "gateway-redis", "nginx-limit_req")
        line("gateway redis " k " vs gateway memory " k, "gateway-redis-" k, "gateway-memory-" k)
        line("gateway redis hot vs gateway memory hot", "gateway-redis", "gateway-memory")
    }' "$OUT_DIR/summary.csv" >"$OUT_DIR/ratios.txt"
    echo
    echo "Ratios of req/s (medians):"
    cat "$OUT_DIR/ratios.txt"
}

chart() {
    local png="$OUT_DIR/chart.png"
    if python3 -c 'import matplotlib' 2>/dev/null; then
        python3 - "$OUT_DIR/summary.csv" "$png" <<'EOF'
import csv, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
rows = list(csv.DictReader(open(sys.argv[1])))
names = [r["setup"] for r in rows]
fig, (a, b) = plt.subplots(1, 2, figsize=(12, 4.5))
a.bar(names, [float(r["req_per_s"]) for r in rows], color="#4477aa"); a.set_title("req/s (higher is better)")
b.bar(names, [float(r["p99_ms"]) for r in rows], color="#cc6677"); b.set_title("p99 latency, ms (lower is better)")
for ax in (a, b):
    ax.tick_params(axis="x", rotation=30)
fig.tight_layout(); fig.savefig(sys.argv[2], dpi=110)
EOF
    elif command -v gnuplot >/dev/null 2>&1; then
        tail -n +2 "$OUT_DIR/summary.csv" | awk -F, '{ printf "%d \"%s\" %s %s\n", NR - 1, $1, $2, $4 }' \
                >"$WORK/chart.dat"
        gnuplot <<EOF
set terminal pngcairo size 1300,500 font "sans,10" noenhanced
set output "$png"
set multiplot layout 1,2 title "Loopback, $CONNECTIONS connections, proxy pinned to one core (median of $RUNS runs)"
set style fill solid 0.8
set boxwidth 0.6
set grid ytics
set xtics rotate by -25
set yrange [0:*]
set title "req/s (higher is better)"
plot "$WORK/chart.dat" using 1:3:xtic(2) with boxes lc rgb "#4477aa" notitle, \
     "" using 1:3:(sprintf("%.0f", \$3)) with labels offset 0,0.7 notitle
set title "p99 latency, ms (lower is better)"
plot "$WORK/chart.dat" using 1:4:xtic(2) with boxes lc rgb "#cc6677" notitle, \
     "" using 1:4:(sprintf("%.2f", \$4)) with labels offset 0,0.7 notitle
unset multiplot
EOF
    else
        echo "No chart: neither python3 with matplotlib nor gnuplot is available" >&2
        return 0
    fi
    echo "Chart: $png"
}

# ---------------------------------------------------------------------------------------------------------
# Main.
# ---------------------------------------------------------------------------------------------------------
if [[ "$CHART_ONLY" == 1 ]]; then
    RUNS="$(awk -F, 'NR > 1 { n[$1]++ } END { for (s in n) { print n[s]; exit } }' "$OUT_DIR/results.csv")"
    chart
    exit 0
fi
if [[ "$PROFILE" == 1 ]]; then
    run_profile
    exit 0
fi

mkdir -p "$OUT_DIR"
find_redis_server
rm -f "$OUT_DIR/redis-stats.txt" "$OUT_DIR/ratios.txt"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "setup,run,req_per_s,p50_ms,p99_ms,non2xx,socket_errors" >"$OUT_DIR/results.csv"
write_upstream_conf
write_proxy_conf
write_gateway_conf
start_upstream

measure direct "$UPSTREAM_PORT"

start_nginx
measure nginx "$NGINX_PORT"
measure nginx-limit_req "$NGINX_LIMIT_PORT"
measure "nginx-limit_req-${ACCOUNTS}keys" "$NGINX_LIMIT_PORT" "$WORK/accounts.lua"
stop_last

start_gateway
measure gateway-memory "$GATEWAY_PORT" "" "$GATEWAY_WARMUP"
measure "gateway-memory-${ACCOUNTS}keys" "$GATEWAY_PORT" "$WORK/accounts.lua" "$GATEWAY_WARMUP"
stop_last

# Redis store: redis-server on core 1 (with wrk and the upstream, as issue 6 places it), the gateway on core
# 0 with `store.type: redis`; one hot account, then $ACCOUNTS accounts. Redis is flushed between the two rows.
if [[ "$SKIP_REDIS" != 1 ]]; then
    echo "== redis-server: $REDIS_SERVER ($("$REDIS_SERVER" --version | awk '{ print $3 }'))" >&2
    start_redis
    write_gateway_conf redis
    start_gateway
    redis_cmd FLUSHALL >/dev/null
    redis_stats "gateway start"
    measure gateway-redis "$GATEWAY_PORT" "" "$GATEWAY_WARMUP"
    redis_stats gateway-redis
    redis_cmd FLUSHALL >/dev/null
    measure "gateway-redis-${ACCOUNTS}keys" "$GATEWAY_PORT" "$WORK/accounts.lua" "$GATEWAY_WARMUP"
    redis_stats "gateway-redis-${ACCOUNTS}keys"
    stop_last   # the gateway
    stop_last   # redis-server
fi

summarize
ratios
echo "Load average (1/5/15 min) before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)" \
        | tee "$OUT_DIR/loadavg.txt"
[[ -f "$OUT_DIR/redis-stats.txt" ]] && echo "Redis command counts per row: $OUT_DIR/redis-stats.txt"
chart
cp "$WORK/wrk.log" "$OUT_DIR/wrk.log"
echo "Per-run figures: $OUT_DIR/results.csv; raw wrk output: $OUT_DIR/wrk.log"
