#!/usr/bin/env bash
# Lectern learner-progress benchmark, in one run:
#   (a) PUT /api/v1/me/progress/chapters/{id} (the reading-progress upsert) under wrk, as one learner;
#   (b) the same upsert statement straight against PostgreSQL with pgbench (the ceiling for that SQL here);
#   (c) GET /api/v1/me/reviews/due?limit=20 under wrk, with 1,000,000 review items seeded, plus EXPLAIN
#       (ANALYZE, BUFFERS) of the due query;
#   (d) POST a review of a random item of the learner, without and with an Idempotency-Key (the header's cost).
# See bench/README.md ("Learner progress benchmark"). Every load run is bounded in time; the service is
# stopped and the database dropped on exit.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="$REPO/bench"
# shellcheck source=bench/lib.sh
source "$BENCH/lib.sh"

usage() {
  cat <<'EOF'
Usage: bench/progress.sh [--build] [--chapters N] [--duration SECONDS] [--warmup SECONDS] [--keep-db]
  --build            rebuild target/quarkus-app/quarkus-run.jar even if it exists
  --chapters N       chapters to seed and upsert progress into (env CHAPTERS, default 200)
  --duration S       seconds per measured run (env DURATION, default 30)
  --warmup S         seconds of warm-up per HTTP endpoint (env WARMUP, default 20)
  --keep-db          leave the database in place afterwards (env KEEP_DB=1)
Other knobs (env): CONNECTIONS=64 (upsert: wrk connections and pgbench clients) DUE_CONNECTIONS=16 (due queue)
  THREADS=2 PORT=18082 DB_NAME=lectern_progress_bench DUE_ITEMS=1000000 DUE_LEARNERS=1000 LEARNER_ITEMS=1000
  REVIEW_ROUNDS=2 (alternations of plain and keyed review runs in (d))
  BODY_BYTES=1200 PGHOST=localhost PGPORT=5432 PGUSER=postgres READY_TIMEOUT=120 JAVA_OPTS=
  LECTERN_DB_POOL_SIZE (service default 20)
EOF
}

parse_load_bench_args "$@"

CONNECTIONS="${CONNECTIONS:-64}"
DUE_CONNECTIONS="${DUE_CONNECTIONS:-16}"
THREADS="${THREADS:-2}"
PORT="${PORT:-18082}"
DB_NAME="${DB_NAME:-lectern_progress_bench}"
DUE_ITEMS="${DUE_ITEMS:-1000000}"
DUE_LEARNERS="${DUE_LEARNERS:-1000}"
REVIEW_ROUNDS="${REVIEW_ROUNDS:-2}"
LEARNER_ITEMS="${LEARNER_ITEMS:-1000}"
BODY_BYTES="${BODY_BYTES:-1200}"
READY_TIMEOUT="${READY_TIMEOUT:-120}"
for v in CHAPTERS DURATION WARMUP CONNECTIONS DUE_CONNECTIONS THREADS DUE_ITEMS DUE_LEARNERS LEARNER_ITEMS REVIEW_ROUNDS; do
  [[ "${!v}" =~ ^[0-9]+$ ]] && [ "${!v}" -ge 1 ] || { echo "$v must be a positive integer (got '${!v}')" >&2; exit 2; }
done
[ "$DUE_ITEMS" -gt "$LEARNER_ITEMS" ] || { echo "DUE_ITEMS must be larger than LEARNER_ITEMS" >&2; exit 2; }
PER_LEARNER=$(( (DUE_ITEMS - LEARNER_ITEMS) / DUE_LEARNERS ))
[ "$PER_LEARNER" -ge 1 ] || { echo "DUE_ITEMS - LEARNER_ITEMS must be at least DUE_LEARNERS" >&2; exit 2; }
SEEDED_ITEMS=$(( PER_LEARNER * DUE_LEARNERS + LEARNER_ITEMS ))
DUE_LIMIT=20
export PGHOST="${PGHOST:-localhost}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
BOOK="progress-bench-book"
BASE="http://127.0.0.1:$PORT"
DUE_PATH="/api/v1/me/reviews/due?limit=$DUE_LIMIT"

log() { printf '[progress-bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- cleanup
WORK="$(mktemp -d /tmp/lectern-progress-bench.XXXXXX)"
SERVICE_PID=""
SAMPLER_PID=""
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
ADMIN_KEY="bench-admin-$RANDOM$RANDOM"
# shellcheck disable=SC2086
DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$DB_NAME" PORT="$PORT" LECTERN_ADMIN_API_KEY="$ADMIN_KEY" \
  "$JAVA_HOME/bin/java" -Xlog:gc:file="$WORK/gc.log" ${JAVA_OPTS:-} --add-opens java.base/java.lang=ALL-UNNAMED -jar "$JAR" >"$WORK/service.log" 2>&1 &
SERVICE_PID=$!
JVM_T0=$(date +%s.%N)  # the GC log's uptime stamps count from about here
deadline=$((SECONDS + READY_TIMEOUT))
until curl -sf -o /dev/null "$BASE/q/health/ready"; do
  kill -0 "$SERVICE_PID" 2>/dev/null || die "the service exited during start-up"
  [ "$SECONDS" -lt "$deadline" ] || die "the service was not ready after ${READY_TIMEOUT}s"
  sleep 0.5
done
log "service ready after $((SECONDS - deadline + READY_TIMEOUT))s"

# ---------------------------------------------------------------- seed: book, chapters, learner
log "seeding $CHAPTERS chapters into book '$BOOK'"
seed_bench_book "$BOOK" "Progress Benchmark Book" "$CHAPTERS" "$BODY_BYTES" "$WORK/chapter-ids.txt"
log "creating the benchmark learner and its API key"
read -r LEARNER_ID LEARNER_KEY < <(bench_user "Progress bench learner" learner)
[ -n "$LEARNER_KEY" ] || die "no benchmark learner"
code=$(curl -s -o "$WORK/probe.json" -w '%{http_code}' -X PUT -H 'Content-Type: application/json' -H "X-Api-Key: $LEARNER_KEY" \
  -d '{"percent":1,"position":{"sectionNumber":1,"offset":0},"timeSpentSeconds":1,"eventId":"00000000-0000-4000-8000-000000000001"}' \
  "$BASE/api/v1/me/progress/chapters/$(head -n 1 "$WORK/chapter-ids.txt")")
[ "$code" = 200 ] || die "a first progress PUT as the learner answered $code: $(cat "$WORK/probe.json")"

bench_chapters_table "$DB_NAME" "$WORK/chapter-ids.txt"
await_index_settled "$BASE" "$ADMIN_KEY"
psql -X -q -d "$DB_NAME" -c "VACUUM ANALYZE" >/dev/null

# ---------------------------------------------------------------- load helpers
# Every 2 s, what the database's active backends are waiting on (lock waits show contention on the learner's
# rows); summed over the run into <name>.waits as "event: samples" by frequency.
sample_waits() {
  local name="$1" secs="$2" end=$((SECONDS + $2))
  while [ "$SECONDS" -lt "$end" ]; do
    psql -X -At -F ' ' -d "$DB_NAME" -c "select coalesce(wait_event_type || ':' || wait_event, 'CPU'), count(*) from pg_stat_activity
      where datname = current_database() and state = 'active' and pid <> pg_backend_pid() group by 1" 2>/dev/null >>"$WORK/$name.waitraw" || true
    sleep 2
  done
}
summarise_waits() {
  [ -s "$WORK/$1.waitraw" ] || { echo "no active backend in any sample"; return; }
  awk '{s[$1] += $2; t += $2} END {for (k in s) printf "%d %s\n", s[k], k; }' "$WORK/$1.waitraw" | sort -rn |
    awk '{out = out sep $2 " " $1; sep = ", "} END {print out}'
}

# run_wrk <name> <seconds> <connections> <lua args...>; raw output in $WORK/<name>.txt, the service's CPU time (ms)
# in <name>.cpu, machine busy%/steal% in <name>.machine, other CPU users in <name>.others, waits in <name>.waits.
run_wrk() {
  local name="$1" secs="$2" conns="$3"; shift 3
  local cpu0 m0 snap
  cpu0=$(service_cpu_ms); m0=$(cpu_sample)
  date +%s.%N >"$WORK/$name.window"
  snap_others $((secs / 2)) >"$WORK/$name.others" & snap=$!
  sample_waits "$name" "$secs" & SAMPLER_PID=$!
  timeout --kill-after=10 $((secs + 30)) wrk -t "$THREADS" -c "$conns" -d "${secs}s" --timeout 5s --latency \
    -s "$BENCH/progress.lua" "$BASE" -- "$@" >"$WORK/$name.txt" 2>&1 || die "wrk $name failed: $(cat "$WORK/$name.txt")"
  date +%s.%N >>"$WORK/$name.window"
  echo $(( $(service_cpu_ms) - cpu0 )) >"$WORK/$name.cpu"
  cpu_delta "$m0" "$(cpu_sample)" >"$WORK/$name.machine"
  wait "$snap" || true
  wait "$SAMPLER_PID" || true; SAMPLER_PID=""
  summarise_waits "$name" >"$WORK/$name.waits"
}
# Both upsert runs start from the same state of the progress tables: dead row versions vacuumed, WAL flushed.
settle_progress_tables() {
  psql -X -q -d "$DB_NAME" -c "VACUUM ANALYZE reading_progress" -c "VACUUM ANALYZE progress_events" -c "CHECKPOINT" >/dev/null
}

# ---------------------------------------------------------------- (a) progress upsert through the service
log "warm-up: ${WARMUP}s of progress PUTs"
run_wrk warmup-upsert "$WARMUP" "$CONNECTIONS" upsert "$LEARNER_KEY" "$WORK/chapter-ids.txt"
settle_progress_tables
LOAD_MEASURE="$(uptime | sed 's/.*load average: *//')"
log "(a) PUT progress, ${DURATION}s, $CONNECTIONS connections, $THREADS threads, over $CHAPTERS chapters"
EVENTS0=$(psql -X -At -d "$DB_NAME" -c "select count(*) from progress_events")
run_wrk upsert "$DURATION" "$CONNECTIONS" upsert "$LEARNER_KEY" "$WORK/chapter-ids.txt"
EVENTS_A=$(( $(psql -X -At -d "$DB_NAME" -c "select count(*) from progress_events") - EVENTS0 ))

# ---------------------------------------------------------------- (c) due queue: seed, then GET through the service
log "seeding $SEEDED_ITEMS review items: $PER_LEARNER for each of $DUE_LEARNERS other learners, $LEARNER_ITEMS for the benchmark learner"
T0=$SECONDS
psql -X -q -d "$DB_NAME" -v seed=1 -v explain=0 -v learner="$LEARNER_ID" -v learners="$DUE_LEARNERS" \
  -v per_learner="$PER_LEARNER" -v learner_items="$LEARNER_ITEMS" -f "$BENCH/due-queue.sql" >"$WORK/seed.txt" 2>&1 \
  || die "seeding review items failed: $(cat "$WORK/seed.txt")"
psql -X -q -d "$DB_NAME" -c "CHECKPOINT" >/dev/null
SEED_SECS=$((SECONDS - T0))
ITEMS_TOTAL=$(psql -X -At -d "$DB_NAME" -c "select count(*) from review_items")
LEARNER_DUE=$(psql -X -At -d "$DB_NAME" -c "select count(*) from review_items where user_id = '$LEARNER_ID' and due <= now()")
LEARNER_ALL=$(psql -X -At -d "$DB_NAME" -c "select count(*) from review_items where user_id = '$LEARNER_ID'")
SIZES=$(psql -X -At -d "$DB_NAME" -c "select 'heap ' || pg_size_pretty(pg_relation_size('review_items')) || ', review_items_due_idx '
  || pg_size_pretty(pg_relation_size('review_items_due_idx')) || ', all indexes ' || pg_size_pretty(pg_indexes_size('review_items'))")
log "seeded $ITEMS_TOTAL items in ${SEED_SECS}s ($SIZES); the learner has $LEARNER_DUE of $LEARNER_ALL due now"
code=$(curl -s -o "$WORK/due.json" -w '%{http_code}' -H "X-Api-Key: $LEARNER_KEY" "$BASE$DUE_PATH")
[ "$code" = 200 ] || die "GET $DUE_PATH answered $code: $(head -c 300 "$WORK/due.json")"
DUE_BYTES=$(wc -c <"$WORK/due.json")
DUE_COUNT=$(grep -o '"front"' "$WORK/due.json" | wc -l)
grep -q '"next":"' "$WORK/due.json" && DUE_NEXT=yes || DUE_NEXT=no

log "warm-up: ${WARMUP}s of due-queue GETs"
run_wrk warmup-due "$WARMUP" "$DUE_CONNECTIONS" get "$LEARNER_KEY" "$DUE_PATH"
log "(c) GET $DUE_PATH, ${DURATION}s, $DUE_CONNECTIONS connections, $THREADS threads"
run_wrk due "$DURATION" "$DUE_CONNECTIONS" get "$LEARNER_KEY" "$DUE_PATH"

log "EXPLAIN (ANALYZE, BUFFERS) of the due query"
psql -X -q -d "$DB_NAME" -v seed=0 -v explain=1 -v learner="$LEARNER_ID" -v page=$((DUE_LIMIT + 1)) \
  -f "$BENCH/due-queue.sql" >"$WORK/explain.txt" 2>&1 || die "EXPLAIN failed: $(cat "$WORK/explain.txt")"
if grep -q 'Index Scan using review_items_due_idx\|Index Only Scan using review_items_due_idx' "$WORK/explain.txt"; then
  EXPLAIN_VERDICT="uses review_items_due_idx"
else
  EXPLAIN_VERDICT="does NOT use review_items_due_idx"
fi
EXPLAIN_SORT=$(grep -q 'Sort' "$WORK/explain.txt" && echo "with a Sort node" || echo "no Sort node")
EXPLAIN_MS=$(awk '/Execution Time:/ {print $3}' "$WORK/explain.txt")

# ---------------------------------------------------------------- (d) POST a review, without and with Idempotency-Key
# The learner's items, reviewed at random with a random rating; the two variants alternate so that neither runs only on
# items in a later FSRS state. Concurrent reviews of one item are refused with 409 (optimistic version): counted apart.
psql -X -At -d "$DB_NAME" -c "select id from review_items where user_id = '$LEARNER_ID'" >"$WORK/item-ids.txt"
log "warm-up: ${WARMUP}s of review POSTs"
run_wrk warmup-review "$WARMUP" "$DUE_CONNECTIONS" review "$LEARNER_KEY" "$WORK/item-ids.txt" keyed
wal_syncs() { psql -X -At -d "$DB_NAME" -c "select wal_sync from pg_stat_wal"; }
for round in $(seq 1 "$REVIEW_ROUNDS"); do
  for variant in plain keyed; do
    log "(d) POST review ($variant), ${DURATION}s, $DUE_CONNECTIONS connections, round $round"
    w0=$(wal_syncs)
    run_wrk "review-$variant-$round" "$DURATION" "$DUE_CONNECTIONS" review "$LEARNER_KEY" "$WORK/item-ids.txt" "$variant"
    echo $(( $(wal_syncs) - w0 )) >"$WORK/review-$variant-$round.walsync"
  done
done
KEYS_KEPT=$(psql -X -At -d "$DB_NAME" -c "select count(*) from idempotency_keys where status is not null")

log "stopping the service before pgbench"
stop_pid "$SERVICE_PID" 45
SERVICE_ERRORS=$(grep -c -E '^[0-9:,]+ +ERROR' "$WORK/service.log" || true)
SERVICE_WARNS=$(grep -c -E '^[0-9:,]+ +WARN' "$WORK/service.log" || true)
SERVICE_PID=""

# ---------------------------------------------------------------- (b) the same upsert under pgbench
settle_progress_tables
PGB_ARGS=(-n -c "$CONNECTIONS" -j "$THREADS" -D learner="$LEARNER_ID" -D chapters="$CHAPTERS" -D secs=1 -D section=1 -D reset=false
  -f "$BENCH/progress-upsert.sql")
PG_MODE=prepared
if ! pgbench "${PGB_ARGS[@]}" -M prepared -t 1 -c 1 -j 1 "$DB_NAME" >"$WORK/pgbench-probe.txt" 2>&1; then
  log "pgbench -M prepared failed ($(tail -n 3 "$WORK/pgbench-probe.txt" | tr '\n' ' ')); using -M simple"
  PG_MODE=simple
fi
EVENTS0=$(psql -X -At -d "$DB_NAME" -c "select count(*) from progress_events")
log "(b) pgbench progress upsert, ${DURATION}s, $CONNECTIONS clients, $THREADS threads, -M $PG_MODE"
mkdir -p "$WORK/pgbench"
M0=$(cpu_sample)
snap_others $((DURATION / 2)) >"$WORK/pgbench.others" & SNAP=$!
sample_waits pgbench "$DURATION" & SAMPLER_PID=$!
timeout --kill-after=10 $((DURATION + 60)) pgbench "${PGB_ARGS[@]}" -M "$PG_MODE" -T "$DURATION" \
  --log --log-prefix="$WORK/pgbench/tx" "$DB_NAME" >"$WORK/pgbench.txt" 2>&1 || die "pgbench failed: $(cat "$WORK/pgbench.txt")"
cpu_delta "$M0" "$(cpu_sample)" >"$WORK/pgbench.machine"
wait "$SNAP" || true
wait "$SAMPLER_PID" || true; SAMPLER_PID=""
summarise_waits pgbench >"$WORK/pgbench.waits"
EVENTS_B=$(( $(psql -X -At -d "$DB_NAME" -c "select count(*) from progress_events") - EVENTS0 ))
PG_TPS=$(awk '/^tps = / {printf "%.0f", $3}' "$WORK/pgbench.txt")
PG_FAILED=$(awk '/number of failed transactions:/ {print $5}' "$WORK/pgbench.txt")
PG_FAILED=${PG_FAILED:-0}
PG_TX=$(awk '/number of transactions actually processed:/ {print $6}' "$WORK/pgbench.txt")
cat "$WORK"/pgbench/tx.* | awk '{print $3}' | sort -n >"$WORK/pg-latency.txt"
pct() { awk -v p="$1" '{v[NR] = $1} END { if (NR == 0) { print "n/a"; exit }
  i = int(p / 100 * NR + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR; printf "%.2f", v[i] / 1000 }' "$WORK/pg-latency.txt"; }
PG_P50=$(pct 50)
PG_P99=$(pct 99)
PG_MAX=$(pct 100)
PROGRESS_ROWS=$(psql -X -At -d "$DB_NAME" -c "select count(*) || ' rows, ' || sum(time_spent_seconds) || ' s of reading time in total' from reading_progress")

# ---------------------------------------------------------------- report
U_RPS=$(wrk_field upsert rps); U_P50=$(wrk_field upsert p50); U_P99=$(wrk_field upsert p99); U_MAX=$(wrk_field upsert max)
U_NON2XX=$(wrk_field upsert non2xx); U_SOCK=$(wrk_field upsert sockerr); U_CPU=$(wrk_field upsert cpu_per_req); U_REQ=$(wrk_field upsert requests)
D_RPS=$(wrk_field due rps); D_P50=$(wrk_field due p50); D_P99=$(wrk_field due p99); D_MAX=$(wrk_field due max)
D_NON2XX=$(wrk_field due non2xx); D_SOCK=$(wrk_field due sockerr); D_CPU=$(wrk_field due cpu_per_req); D_KB=$(wrk_field due kb_per_req)
W_NON2XX=$(( $(wrk_field warmup-upsert non2xx) + $(wrk_field warmup-due non2xx) ))
# wrk corrects its latency histogram for coordinated omission before printing it (stats_correct: a response that
# took k times the mean per-connection interval adds k - 1 synthetic samples). Little's law gives the mean a
# closed-loop client really saw, connections / rps; a wrk mean well above it means a few long stalls were spread
# over the percentiles.
little() { awk -v c="$1" -v r="$2" 'BEGIN { if (r > 0) printf "%.2f", 1000 * c / r; else print "n/a" }'; }
U_AVG=$(wrk_field upsert avg); U_LITTLE=$(little "$CONNECTIONS" "$U_RPS")
D_AVG=$(wrk_field due avg); D_LITTLE=$(little "$DUE_CONNECTIONS" "$D_RPS")
# gc_pauses [name]: the JVM's GC pauses over its whole life, or only those inside run <name>'s time window
# (GC log uptime stamps mapped to wall-clock time through JVM_T0, to within the JVM's start-up latency).
gc_pauses() {
  local from=0 to=1e12
  if [ $# -gt 0 ]; then from=$(sed -n 1p "$WORK/$1.window"); to=$(sed -n 2p "$WORK/$1.window"); fi
  awk -v t0="$JVM_T0" -v from="$from" -v to="$to" '/Pause/ && /ms$/ {
      up = $1; sub(/^\[/, "", up); sub(/s\].*$/, "", up); t = t0 + up; if (t < from || t > to) next
      v = $NF; sub(/ms$/, "", v); v += 0; n++; s += v; if (v > m) m = v }
    END {printf "%d pauses, total %.0f ms, longest %.1f ms", n, s, m}' "$WORK/gc.log" 2>/dev/null || echo "no GC log"
}
GC_PAUSES=$(gc_pauses)
LOAD_END="$(uptime | sed 's/.*load average: *//')"
RATIO=$(awk -v a="$U_RPS" -v b="$PG_TPS" 'BEGIN { if (b > 0) printf "%.1f", 100 * a / b; else print "n/a" }')
verdict() { if awk "BEGIN { exit !($1) }"; then echo met; else echo "NOT met"; fi; }
T_RATIO=$(verdict "$RATIO >= 25")
T_DUE=$(verdict "$D_P99 < 10")
T_ERR=$(verdict "$U_NON2XX + $U_SOCK + $D_NON2XX + $D_SOCK + $W_NON2XX + $PG_FAILED == 0")

mkdir -p "$BENCH/results"
OUT="$BENCH/results/$STAMP-progress.md"
{
  echo "# Lectern learner-progress benchmark, $DATE_HUMAN"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| Machine | nproc=$NPROC, $CPU_MODEL, $MEM_TOTAL RAM |"
  echo "| Load average (1/5/15 min) before start / before measuring / at the end | $LOAD_BEFORE / $LOAD_MEASURE / $LOAD_END |"
  echo "| Code | $CODE_VERSION (jar built $(date -u -r "$JAR" '+%Y-%m-%d %H:%M UTC')) |"
  echo "| JVM | $JVM_VERSION |"
  echo "| PostgreSQL | $PG_VERSION (max_connections=$PG_MAXCONN; $PG_SETTINGS) |"
  echo "| Load generators | $WRK_VERSION; $PGBENCH_VERSION |"
  echo "| Upsert data | one learner, $CHAPTERS chapters in one published book; random chapter, percent 0-100 and offset per request, timeSpentSeconds 1, a fresh random eventId each |"
  echo "| Due-queue data | $ITEMS_TOTAL review items ($PER_LEARNER for each of $DUE_LEARNERS other learners, $LEARNER_ALL for the benchmark learner, $LEARNER_DUE of them due at seeding), seeded by SQL in ${SEED_SECS}s; $SIZES |"
  echo "| Due page | $DUE_COUNT items, next cursor: $DUE_NEXT, $DUE_BYTES B of JSON |"
  echo "| Load | (a) and (b) $CONNECTIONS connections/clients, (c) $DUE_CONNECTIONS connections; $THREADS threads; ${DURATION}s per run after ${WARMUP}s warm-up per endpoint; service DB pool $POOL_SIZE |"
  echo
  echo "| Scenario | Requests/s | p50 (ms) | p99 (ms) | Max (ms) | Non-2xx | Socket errors | Service CPU ms/request |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  echo "| (a) PUT /api/v1/me/progress/chapters/{id}, $CONNECTIONS connections | $U_RPS | $U_P50 | $U_P99 | $U_MAX | $U_NON2XX | $U_SOCK | $U_CPU |"
  echo "| (b) pgbench, the same upsert statement, -M $PG_MODE, $CONNECTIONS clients (tps) | $PG_TPS | $PG_P50 | $PG_P99 | $PG_MAX | failed tx: $PG_FAILED | - | - |"
  echo "| (c) GET $DUE_PATH, $DUE_CONNECTIONS connections | $D_RPS | $D_P50 | $D_P99 | $D_MAX | $D_NON2XX | $D_SOCK | $D_CPU |"
  REVIEW_RUNS=$(for round in $(seq 1 "$REVIEW_ROUNDS"); do echo "review-plain-$round review-keyed-$round"; done)
  for n in $REVIEW_RUNS; do
    echo "| (d) POST /api/v1/me/review-items/{id}/reviews, ${n#review-}, $DUE_CONNECTIONS connections | $(wrk_field "$n" rps) | $(wrk_field "$n" p50) | $(wrk_field "$n" p99) | $(wrk_field "$n" max) | $(wrk_field "$n" non2xx) | $(wrk_field "$n" sockerr) | $(wrk_field "$n" cpu_per_req) |"
  done
  echo
  echo "- (d) keyed = a fresh Idempotency-Key per request (claimed, run, response kept: two more statements); per run: WAL syncs per request (pg_stat_wal), status codes, machine CPU busy / steal: $(for n in $REVIEW_RUNS; do printf '%s: %s, [%s], %s; ' "${n#review-}" "$(awk -v w="$(cat "$WORK/$n.walsync")" -v r="$(wrk_field "$n" requests)" 'BEGIN {printf "%.2f", (r > 0 ? w / r : 0)}')" "$(wrk_field "$n" statuses)" "$(cat "$WORK/$n.machine")"; done); keys kept at the end: $KEYS_KEPT"
  echo "- Upsert ratio service_rps / pgbench_tps: **${RATIO}%** (target >= 25%: $T_RATIO)"
  echo "- Due-queue p99 at $DUE_CONNECTIONS connections: **${D_P99} ms** (target < 10 ms: $T_DUE)"
  echo "- Due query plan: $EXPLAIN_VERDICT, $EXPLAIN_SORT, execution ${EXPLAIN_MS:-?} ms in PostgreSQL (plan below)"
  echo "- Status codes: (a) $(wrk_field upsert statuses); (c) $(wrk_field due statuses); warm-ups: $(wrk_field warmup-upsert statuses) / $(wrk_field warmup-due statuses)"
  if [ -n "$(wrk_field upsert samples)$(wrk_field due samples)$(wrk_field warmup-upsert samples)$(wrk_field warmup-due samples)" ]; then
    echo "- First body of each non-2xx status: $(for n in warmup-upsert upsert warmup-due due; do wrk_field "$n" samples; done | sort -u | head -n 5 | tr '\n' ' ')"
  fi
  echo "- Socket errors: (a) [$(wrk_field upsert sockdetail)], (c) [$(wrk_field due sockdetail)]; no errors at all: $T_ERR"
  echo "- Latency check: wrk's mean (after its coordinated-omission correction) vs connections / rps (Little's law, the mean actually seen): (a) $U_AVG vs $U_LITTLE ms, (c) $D_AVG vs $D_LITTLE ms"
  echo "- Progress events written: (a) $EVENTS_A for $U_REQ responses, (b) $EVENTS_B for $PG_TX transactions; reading_progress at the end: $PROGRESS_ROWS"
  echo "- Service log: $SERVICE_ERRORS ERROR lines, $SERVICE_WARNS WARN lines; JVM GC over the whole run: $GC_PAUSES; during (a): $(gc_pauses upsert); during (c): $(gc_pauses due)"
  echo "- Machine CPU busy / steal: (a) $(cat "$WORK/upsert.machine"), (b) $(cat "$WORK/pgbench.machine"), (c) $(cat "$WORK/due.machine")"
  echo "- Other processes using >= 10% CPU mid-run: (a) $(cat "$WORK/upsert.others"); (b) $(cat "$WORK/pgbench.others"); (c) $(cat "$WORK/due.others")"
  echo "- Active backends by wait event (pg_stat_activity every 2 s, summed; CPU = not waiting): (a) $(cat "$WORK/upsert.waits"); (b) $(cat "$WORK/pgbench.waits"); (c) $(cat "$WORK/due.waits")"
  echo "- pgbench: $PG_TX transactions; latencies from the per-transaction log (--log), percentiles by sort"
  echo
  echo "EXPLAIN (ANALYZE, BUFFERS) of the due query (the statement DueQueueStore.page sends, prepared; seventh execution):"
  echo
  echo '```'
  cat "$WORK/explain.txt"
  echo '```'
  echo
  echo "Command: \`bench/progress.sh --chapters $CHAPTERS --duration $DURATION --warmup $WARMUP\` (CONNECTIONS=$CONNECTIONS DUE_CONNECTIONS=$DUE_CONNECTIONS THREADS=$THREADS DUE_ITEMS=$DUE_ITEMS)"
} >"$OUT"
cp "$WORK/service.log" "$BENCH/results/$STAMP-progress-service.log"
[ -f "$WORK/gc.log" ] && cp "$WORK/gc.log" "$BENCH/results/$STAMP-progress-gc.log"
for n in warmup-upsert upsert warmup-due due pgbench; do
  { echo "==== $n"; cat "$WORK/$n.txt"; } >>"$BENCH/results/$STAMP-progress-raw.txt"
done
cat "$OUT"
log "results: $OUT (raw tool output: $BENCH/results/$STAMP-progress-raw.txt)"
if [ "$SERVICE_ERRORS" -gt 0 ]; then
  log "service log ERROR lines (first 5):"; grep -E '^[0-9:,]+ +ERROR' "$WORK/service.log" | head -n 5 >&2
fi
