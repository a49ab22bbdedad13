#!/usr/bin/env bash
# Lectern read benchmark: the service's chapter read and chapter list under wrk, then the same chapter-read
# SQL straight against PostgreSQL with pgbench (the ceiling for that SQL on this machine).
# See bench/README.md. Every load run is bounded in time; the service is stopped on exit.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="$REPO/bench"
# shellcheck source=bench/lib.sh
source "$BENCH/lib.sh"

usage() {
  cat <<'EOF'
Usage: bench/run.sh [--build] [--chapters N] [--duration SECONDS] [--warmup SECONDS] [--keep-db]
  --build            rebuild target/quarkus-app/quarkus-run.jar even if it exists
  --chapters N       chapters to seed (env CHAPTERS, default 200)
  --duration S       seconds per measured run (env DURATION, default 30)
  --warmup S         seconds of warm-up per HTTP endpoint (env WARMUP, default 20)
  --keep-db          leave the lectern_bench database in place afterwards (env KEEP_DB=1)
Other knobs (env): CONNECTIONS=64 THREADS=2 PORT=18080 DB_NAME=lectern_bench BODY_BYTES=3200
  PGHOST=localhost PGPORT=5432 PGUSER=postgres READY_TIMEOUT=120 JAVA_OPTS= LECTERN_DB_POOL_SIZE (service default 20)
EOF
}

parse_load_bench_args "$@"
for v in CHAPTERS DURATION WARMUP; do
  [[ "${!v}" =~ ^[0-9]+$ ]] && [ "${!v}" -ge 1 ] || { echo "$v must be a positive integer (got '${!v}')" >&2; exit 2; }
done

CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
PORT="${PORT:-18080}"
DB_NAME="${DB_NAME:-lectern_bench}"
BODY_BYTES="${BODY_BYTES:-3200}"
READY_TIMEOUT="${READY_TIMEOUT:-120}"
export PGHOST="${PGHOST:-localhost}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
BOOK="bench-book"
BASE="http://127.0.0.1:$PORT"

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- cleanup
WORK="$(mktemp -d /tmp/lectern-bench.XXXXXX)"
SERVICE_PID=""
install_bench_cleanup

# ---------------------------------------------------------------- tools, environment record
prepare_bench_tools
record_bench_environment
log "nproc=$NPROC load before start: $LOAD_BEFORE"
[ "$PG_MAXCONN" -ge $((CONNECTIONS + POOL_SIZE + 5)) ] || log "WARNING: max_connections=$PG_MAXCONN is tight for $CONNECTIONS pgbench clients"

# ---------------------------------------------------------------- database + service
if curl -s -o /dev/null "$BASE/q/health/ready"; then die "something already listens on port $PORT"; fi
log "recreating database $DB_NAME"
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" -c "CREATE DATABASE $DB_NAME" >/dev/null

log "starting the service on port $PORT"
# shellcheck disable=SC2086
ADMIN_KEY="bench-admin-$RANDOM$RANDOM"
DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$DB_NAME" PORT="$PORT" LECTERN_ADMIN_API_KEY="$ADMIN_KEY" \
  "$JAVA_HOME/bin/java" -Xlog:gc:file="$WORK/gc.log" ${JAVA_OPTS:-} --add-opens java.base/java.lang=ALL-UNNAMED -jar "$JAR" >"$WORK/service.log" 2>&1 &
SERVICE_PID=$!
deadline=$((SECONDS + READY_TIMEOUT))
until curl -sf -o /dev/null "$BASE/q/health/ready"; do
  kill -0 "$SERVICE_PID" 2>/dev/null || die "the service exited during start-up"
  [ "$SECONDS" -lt "$deadline" ] || die "the service was not ready after ${READY_TIMEOUT}s"
  sleep 0.5
done
log "service ready after $((SECONDS - deadline + READY_TIMEOUT))s"

# ---------------------------------------------------------------- seed
log "seeding $CHAPTERS chapters into book '$BOOK'"
seed_bench_book "$BOOK" "Benchmark Book" "$CHAPTERS" "$BODY_BYTES"
# Size of what the read returns (JSON body), over a sample of chapters.
sizes=""
for i in $(seq 1 $(( (CHAPTERS + 9) / 10 )) "$CHAPTERS"); do
  sizes="$sizes $(curl -s -o /dev/null -w '%{size_download}' "$BASE/api/v1/books/$BOOK/chapters/ch-$i")"
done
JSON_BYTES=$(echo "$sizes" | tr ' ' '\n' | awk 'NF {s += $1; n++} END {printf "%d", s / n}')
SECTIONS_AVG=$(psql -X -At -d "$DB_NAME" -c "select round(avg(c), 1) from (select count(*) c from sections group by chapter_id) t")
LIST_BYTES=$(curl -s -o /dev/null -w '%{size_download}' "$BASE/api/v1/books/$BOOK/chapters?limit=20")
log "chapter JSON ~${JSON_BYTES} B on average, ${SECTIONS_AVG} sections per chapter; list page ${LIST_BYTES} B"
await_index_settled "$BASE" "$ADMIN_KEY"
psql -X -q -d "$DB_NAME" -c "VACUUM ANALYZE" >/dev/null

# ---------------------------------------------------------------- load helpers
# run_wrk <name> <seconds> <url> [script args...]; leaves the raw output in $WORK/<name>.txt,
# the service's CPU time during the run (ms) in $WORK/<name>.cpu and machine busy%/steal% in $WORK/<name>.machine
run_wrk() {
  local name="$1" secs="$2" url="$3"; shift 3
  local cpu0 m0 snap; cpu0=$(service_cpu_ms); m0=$(cpu_sample)
  snap_others $((secs / 2)) >"$WORK/$name.others" & snap=$!
  local script=()
  if [ $# -gt 0 ]; then script=(-s "$BENCH/chapter.lua"); fi
  timeout --kill-after=10 $((secs + 30)) wrk -t "$THREADS" -c "$CONNECTIONS" -d "${secs}s" --timeout 5s --latency \
    "${script[@]}" "$url" ${1:+--} "$@" >"$WORK/$name.txt" 2>&1 || die "wrk $name failed: $(cat "$WORK/$name.txt")"
  echo $(( $(service_cpu_ms) - cpu0 )) >"$WORK/$name.cpu"
  cpu_delta "$m0" "$(cpu_sample)" >"$WORK/$name.machine"
  wait "$snap" || true
}

CHAPTER_URL="$BASE"
LIST_URL="$BASE/api/v1/books/$BOOK/chapters?limit=20"

log "warm-up: ${WARMUP}s chapter reads, ${WARMUP}s list"
run_wrk warmup-read "$WARMUP" "$CHAPTER_URL" "$CHAPTERS" "$BOOK"
run_wrk warmup-list "$WARMUP" "$LIST_URL"

LOAD_MEASURE="$(uptime | sed 's/.*load average: *//')"
log "(a) GET chapter, ${DURATION}s, $CONNECTIONS connections, $THREADS threads"
run_wrk read "$DURATION" "$CHAPTER_URL" "$CHAPTERS" "$BOOK"
log "(b) GET chapter list (limit=20), ${DURATION}s"
run_wrk list "$DURATION" "$LIST_URL"

log "stopping the service before pgbench"
stop_pid "$SERVICE_PID" 45
SERVICE_ERRORS=$(grep -c -E '^[0-9:,]+ +ERROR' "$WORK/service.log" || true)
SERVICE_WARNS=$(grep -c -E '^[0-9:,]+ +WARN' "$WORK/service.log" || true)
SERVICE_PID=""

log "(c) pgbench chapter point read, ${DURATION}s, $CONNECTIONS clients, $THREADS threads, -M prepared"
mkdir -p "$WORK/pgbench"
M0=$(cpu_sample)
snap_others $((DURATION / 2)) >"$WORK/pgbench.others" & SNAP=$!
timeout --kill-after=10 $((DURATION + 60)) pgbench -n -M prepared -c "$CONNECTIONS" -j "$THREADS" -T "$DURATION" \
  -D chapters="$CHAPTERS" -D book="$BOOK" -f "$BENCH/chapter-read.sql" \
  --log --log-prefix="$WORK/pgbench/tx" "$DB_NAME" >"$WORK/pgbench.txt" 2>&1 || die "pgbench failed: $(cat "$WORK/pgbench.txt")"
cpu_delta "$M0" "$(cpu_sample)" >"$WORK/pgbench.machine"
wait "$SNAP" || true
PG_TPS=$(awk '/^tps = / {printf "%.0f", $3}' "$WORK/pgbench.txt")
PG_FAILED=$(awk '/number of failed transactions:/ {print $5}' "$WORK/pgbench.txt")
PG_FAILED=${PG_FAILED:-0}
PG_TX=$(awk '/number of transactions actually processed:/ {print $6}' "$WORK/pgbench.txt")
# Per-transaction log: client_id transaction_no latency_us script_no epoch_s epoch_us
cat "$WORK"/pgbench/tx.* | awk '{print $3}' | sort -n >"$WORK/pg-latency.txt"
pct() { awk -v p="$1" '{v[NR] = $1} END { if (NR == 0) { print "n/a"; exit }
  i = int(p / 100 * NR + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR; printf "%.2f", v[i] / 1000 }' "$WORK/pg-latency.txt"; }
PG_P50=$(pct 50)
PG_P99=$(pct 99)

# ---------------------------------------------------------------- report
R_RPS=$(wrk_field read rps); R_P50=$(wrk_field read p50); R_P99=$(wrk_field read p99)
R_NON2XX=$(wrk_field read non2xx); R_SOCK=$(wrk_field read sockerr); R_KB=$(wrk_field read kb_per_req)
L_RPS=$(wrk_field list rps); L_P50=$(wrk_field list p50); L_P99=$(wrk_field list p99)
L_NON2XX=$(wrk_field list non2xx); L_SOCK=$(wrk_field list sockerr); L_KB=$(wrk_field list kb_per_req)
R_CPU=$(wrk_field read cpu_per_req); L_CPU=$(wrk_field list cpu_per_req)
# GC pauses over the service's whole life (start-up, seeding, warm-up and both measured runs).
GC_PAUSES=$(awk '/Pause/ && /ms$/ {v = $NF; sub(/ms$/, "", v); v += 0; n++; s += v; if (v > m) m = v}
  END {printf "%d pauses, total %.0f ms, longest %.1f ms", n, s, m}' "$WORK/gc.log" 2>/dev/null || echo "no GC log")
LOAD_END="$(uptime | sed 's/.*load average: *//')"
W_NON2XX=$(( $(wrk_field warmup-read non2xx) + $(wrk_field warmup-list non2xx) ))
RATIO=$(awk -v a="$R_RPS" -v b="$PG_TPS" 'BEGIN { if (b > 0) printf "%.1f", 100 * a / b; else print "n/a" }')
verdict() { if awk "BEGIN { exit !($1) }"; then echo met; else echo "NOT met"; fi; }
T_RATIO=$(verdict "$RATIO >= 30")
T_P99=$(verdict "$R_P99 < 20")
T_ERR=$(verdict "$R_NON2XX + $R_SOCK + $L_NON2XX + $L_SOCK + $W_NON2XX == 0")

mkdir -p "$BENCH/results"
OUT="$BENCH/results/$STAMP.md"
{
  echo "# Lectern read benchmark, $DATE_HUMAN"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| Machine | nproc=$NPROC, $CPU_MODEL |"
  echo "| Load average (1/5/15 min) before start / before measuring / at the end | $LOAD_BEFORE / $LOAD_MEASURE / $LOAD_END |"
  echo "| Code | $CODE_VERSION (jar built $(date -u -r "$JAR" '+%Y-%m-%d %H:%M UTC')) |"
  echo "| JVM | $JVM_VERSION |"
  echo "| PostgreSQL | $PG_VERSION (max_connections=$PG_MAXCONN) |"
  echo "| Load generators | $WRK_VERSION; $PGBENCH_VERSION |"
  echo "| Data | $CHAPTERS chapters in one book, ${SECTIONS_AVG} sections each, chapter JSON ~${JSON_BYTES} B, list page (limit=20) ${LIST_BYTES} B |"
  echo "| Load | $CONNECTIONS connections, $THREADS threads, ${DURATION}s per run after ${WARMUP}s warm-up per endpoint; service DB pool $POOL_SIZE |"
  echo
  echo "| Scenario | Requests/s | p50 (ms) | p99 (ms) | Non-2xx | Socket errors | KB/response | Service CPU ms/request |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  echo "| (a) GET /api/v1/books/{book}/chapters/{chapter} | $R_RPS | $R_P50 | $R_P99 | $R_NON2XX | $R_SOCK | $R_KB | $R_CPU |"
  echo "| (b) GET /api/v1/books/{book}/chapters?limit=20 | $L_RPS | $L_P50 | $L_P99 | $L_NON2XX | $L_SOCK | $L_KB | $L_CPU |"
  echo "| (c) pgbench point read (same 2 statements), tps | $PG_TPS | $PG_P50 | $PG_P99 | failed tx: $PG_FAILED | - | - | - |"
  echo
  echo "- Chapter read ratio service_rps / pgbench_tps: **${RATIO}%** (target >= 30%: $T_RATIO)"
  echo "- Chapter read p99: **${R_P99} ms** (target < 20 ms: $T_P99)"
  echo "- Errors: non-2xx (a) $R_NON2XX, (b) $L_NON2XX, warm-up $W_NON2XX; socket errors (a) $R_SOCK [$(wrk_field read sockdetail)], (b) $L_SOCK [$(wrk_field list sockdetail)]; no errors: $T_ERR"
  echo "- Service log: $SERVICE_ERRORS ERROR lines, $SERVICE_WARNS WARN lines; JVM GC: $GC_PAUSES"
  echo "- Machine CPU busy / steal during the run: (a) $(cat "$WORK/read.machine"), (b) $(cat "$WORK/list.machine"), (c) $(cat "$WORK/pgbench.machine")"
  echo "- Other processes using >= 10% CPU mid-run: (a) $(cat "$WORK/read.others"); (b) $(cat "$WORK/list.others"); (c) $(cat "$WORK/pgbench.others")"
  echo "- pgbench: $PG_TX transactions; latencies from the per-transaction log (--log), percentiles by sort"
  echo
  echo "Command: \`bench/run.sh --chapters $CHAPTERS --duration $DURATION --warmup $WARMUP\` (CONNECTIONS=$CONNECTIONS THREADS=$THREADS)"
} >"$OUT"
cp "$WORK/service.log" "$BENCH/results/$STAMP-service.log"
[ -f "$WORK/gc.log" ] && cp "$WORK/gc.log" "$BENCH/results/$STAMP-gc.log"
for n in read list pgbench; do
  { echo "==== $n"; cat "$WORK/$n.txt"; } >>"$BENCH/results/$STAMP-raw.txt"
done
cat "$OUT"
log "results: $OUT (raw tool output: $BENCH/results/$STAMP-raw.txt)"
if [ "$SERVICE_ERRORS" -gt 0 ]; then
  log "service log ERROR lines (first 5):"; grep -E '^[0-9:,]+ +ERROR' "$WORK/service.log" | head -n 5 >&2
fi
