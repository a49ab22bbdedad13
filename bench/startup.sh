#!/usr/bin/env bash
# Lectern start-up and memory: time from process start to /q/health/ready answering 200, Quarkus' own "started in",
# and the resident set size (VmRSS) after a warm-up load, for several JVM configurations, N runs each.
# See bench/README.md ("Start-up and memory"). The service is stopped on exit; the database is dropped unless --keep-db.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="$REPO/bench"
# shellcheck source=bench/lib.sh
source "$BENCH/lib.sh"

usage() {
  cat <<'EOF'
Usage: bench/startup.sh [--no-build] [--runs N] [--warmup SECONDS] [--configs LIST] [--keep-db]
  --no-build         use target/quarkus-app as it is (default: ./mvnw -B package -DskipTests first)
  --runs N           runs per configuration (env RUNS, default 5)
  --warmup S         seconds of load per endpoint after ready (env WARMUP, default 5): a chapter read, then /api/v1/books
  --configs LIST     comma-separated configurations (env CONFIGS, default: all of them, in this order):
                       default         no JVM flags, migrate-at-start on (a no-op migrate: the schema is current)
                       no-migrate      no JVM flags, LECTERN_MIGRATE_AT_START=false (the Kubernetes app pods)
                       serial          -XX:+UseSerialGC, migrate-at-start off
                       serial-xmx128   -XX:+UseSerialGC -Xmx128m -Xss512k -XX:ReservedCodeCacheSize=64m, migrate-at-start off
                       serial-xmx80    -XX:+UseSerialGC -Xmx80m -Xss512k -XX:ReservedCodeCacheSize=48m, migrate-at-start off
                       g1-ram50        -XX:MaxRAMPercentage=50 with a 512 MiB cap emulated by -XX:MaxRAM=512m, migrate-at-start off
                       aot             JDK 25 AOT cache (-XX:AOTCache, trained by one run with -XX:AOTCacheOutput), SerialGC, migrate-at-start off
                       aot-migrate     as aot, with migrate-at-start on
                       aot-xmx80       as aot, with the serial-xmx80 sizing
                       build-aot       the AOT cache the build trained (target/quarkus-app/app.aot: Quarkus' aot-jar
                                       packaging, recorded from AotTrainingIT on JDK 25+), default GC, migrate-at-start off
                       build-aot-512m  as build-aot, sized as the image under the production overlay's 512 MiB limit
                                       (-XX:MaxRAM=512m -XX:MaxRAMPercentage=50 -XX:InitialRAMPercentage=10,
                                       and SerialGC as the JVM picks there), as docker/Dockerfile.jvm starts it
                       c1-only         -XX:TieredStopAtLevel=1 (reference only, not for production), migrate-at-start off
  --keep-db          leave the lectern_bench_startup database in place (env KEEP_DB=1)
Other knobs (env): PORT=18090 DB_NAME=lectern_bench_startup PGHOST=localhost PGPORT=5432 PGUSER=postgres
  READY_TIMEOUT=60 CONNECTIONS=8 THREADS=2 POLL=0.02 (seconds between readiness polls)
EOF
}

BUILD=1
RUNS="${RUNS:-5}"
WARMUP="${WARMUP:-5}"
CONFIGS="${CONFIGS:-default,no-migrate,serial,serial-xmx128,serial-xmx80,g1-ram50,aot,aot-migrate,aot-xmx80,build-aot,build-aot-512m,c1-only}"
KEEP_DB="${KEEP_DB:-0}"
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0 ;;
    --runs) RUNS="$2"; shift ;;
    --warmup) WARMUP="$2"; shift ;;
    --configs) CONFIGS="$2"; shift ;;
    --keep-db) KEEP_DB=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
for v in RUNS WARMUP; do
  [[ "${!v}" =~ ^[0-9]+$ ]] && [ "${!v}" -ge 1 ] || { echo "$v must be a positive integer (got '${!v}')" >&2; exit 2; }
done

PORT="${PORT:-18090}"
DB_NAME="${DB_NAME:-lectern_bench_startup}"
READY_TIMEOUT="${READY_TIMEOUT:-60}"
CONNECTIONS="${CONNECTIONS:-8}"
THREADS="${THREADS:-2}"
POLL="${POLL:-0.02}"
export PGHOST="${PGHOST:-localhost}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
BASE="http://127.0.0.1:$PORT"
BOOK="bench-startup"
ADMIN_KEY="bench-admin-$RANDOM$RANDOM"

log() { printf '[startup %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

WORK="$(mktemp -d /tmp/lectern-startup.XXXXXX)"
SERVICE_PID=""
# Up to 50 s: the AOT training run writes its cache at exit.
stop_service() {
  stop_pid "$SERVICE_PID" 50
  SERVICE_PID=""
}
cleanup() {
  local rc=$?
  set +e
  stop_service
  if [ "$rc" -ne 0 ] && [ -f "$WORK/service.log" ]; then
    log "last lines of the service log:"; tail -n 30 "$WORK/service.log" >&2
  fi
  [ "$KEEP_DB" = 1 ] || psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" >/dev/null 2>&1
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- tools
pick_java_home
JAVA_MAJOR="$(java_major "$JAVA_HOME")"
ensure_wrk
for tool in wrk psql pg_isready curl awk sort; do command -v "$tool" >/dev/null 2>&1 || die "$tool is required"; done
pg_isready -q || die "PostgreSQL is not answering on $PGHOST:$PGPORT"

ensure_jar
if [[ ",$CONFIGS," == *",build-aot"* ]] && [ -z "$AOT_CACHE" ]; then
  die "build-aot needs target/quarkus-app/app.aot and JDK 25+: build with --build on JDK 25"
fi
curl -s -o /dev/null "$BASE/q/health/ready" && die "something already listens on port $PORT"

# ---------------------------------------------------------------- configurations
config_flags() {
  case "$1" in
    default|no-migrate) echo "" ;;
    serial) echo "-XX:+UseSerialGC" ;;
    serial-xmx128) echo "-XX:+UseSerialGC -Xmx128m -Xss512k -XX:ReservedCodeCacheSize=64m" ;;
    serial-xmx80) echo "-XX:+UseSerialGC -Xmx80m -Xss512k -XX:ReservedCodeCacheSize=48m" ;;
    g1-ram50) echo "-XX:MaxRAM=512m -XX:MaxRAMPercentage=50" ;;
    aot|aot-migrate) echo "-XX:+UseSerialGC -XX:AOTCache=$WORK/app.aot" ;;
    aot-xmx80) echo "-XX:+UseSerialGC -Xmx80m -Xss512k -XX:ReservedCodeCacheSize=48m -XX:AOTCache=$WORK/app.aot" ;;
    build-aot) echo "-XX:AOTCache=$AOT_CACHE" ;;
    build-aot-512m) echo "-XX:AOTCache=$AOT_CACHE -XX:MaxRAM=512m -XX:MaxRAMPercentage=50 -XX:InitialRAMPercentage=10 -XX:+UseSerialGC" ;;
    c1-only) echo "-XX:TieredStopAtLevel=1" ;;
    *) die "unknown configuration: $1" ;;
  esac
}
config_dir() { echo "$REPO/target/quarkus-app"; }
config_migrates() { case "$1" in default|aot-migrate) echo true ;; *) echo false ;; esac; }

# Starts the service with extra JVM flags and LECTERN_MIGRATE_AT_START (from the application directory, default
# target/quarkus-app); sets SERVICE_PID (the java process: the subshell execs it) and START_NS.
start_service() {
  local flags="$1" migrate="$2" dir="${3:-$REPO/target/quarkus-app}"
  START_NS=$(date +%s%N)
  # shellcheck disable=SC2086
  (cd "$dir" && DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$DB_NAME" PORT="$PORT" LECTERN_ADMIN_API_KEY="$ADMIN_KEY" \
    LECTERN_MIGRATE_AT_START="$migrate" \
    exec "$JAVA_HOME/bin/java" $flags -jar quarkus-run.jar) >"$WORK/service.log" 2>&1 &
  SERVICE_PID=$!
}

# Polls readiness; prints milliseconds from START_NS to the first 200.
wait_ready() {
  local deadline=$((SECONDS + READY_TIMEOUT))
  until curl -sf -o /dev/null "$BASE/q/health/ready"; do
    kill -0 "$SERVICE_PID" 2>/dev/null || die "the service exited during start-up"
    [ "$SECONDS" -lt "$deadline" ] || die "the service was not ready after ${READY_TIMEOUT}s"
    sleep "$POLL"
  done
  echo $(( ($(date +%s%N) - START_NS) / 1000000 ))
}

rss_mb() { awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$SERVICE_PID/status"; }
started_in_ms() { sed -n 's/.*started in \([0-9.]*\)s.*/\1/p' "$WORK/service.log" | head -n 1 | awk '{printf "%.0f", $1 * 1000}'; }

warm_up() {
  # A cold JVM on a busy machine can take seconds for its first requests: a generous timeout, so they count.
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" --timeout 10s "$BASE/api/v1/books/$BOOK/chapters/ch-1" >"$WORK/wrk-chapter.txt" 2>&1
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" --timeout 10s "$BASE/api/v1/books" >"$WORK/wrk-books.txt" 2>&1
  for f in "$WORK/wrk-chapter.txt" "$WORK/wrk-books.txt"; do
    if grep -q "Non-2xx" "$f"; then die "warm-up got non-2xx responses: $(grep Non-2xx "$f")"; fi
    if grep -q "Socket errors" "$f"; then log "warm-up socket errors: $(grep 'Socket errors' "$f")"; fi
    grep -q "requests in" "$f" && ! grep -q "^ *0 requests in" "$f" || log "WARNING: the warm-up completed no request in ${WARMUP}s (a busy machine?)"
  done
  WARM_RPS="$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$WORK/wrk-chapter.txt")/$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$WORK/wrk-books.txt")"
}

# median / min / max of whitespace-separated integers
stats() { echo "$*" | tr ' ' '\n' | awk 'NF' | sort -n | awk '{v[NR] = $1} END {
  m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%d / %d / %d", m, v[1], v[NR]}'; }

# ---------------------------------------------------------------- database, schema and data
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
LOAD_BEFORE="$(uptime | sed 's/.*load average: *//')"
log "nproc=$(nproc) load before: $LOAD_BEFORE"
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" -c "CREATE DATABASE $DB_NAME" >/dev/null

log "migrating $DB_NAME with LECTERN_MIGRATE_AND_EXIT=true"
LECTERN_MIGRATE_AND_EXIT=true start_service "" true
wait "$SERVICE_PID" || die "the migration run exited with $?"
SERVICE_PID=""
grep -q "migrations applied" "$WORK/service.log" || die "the migration run did not report success"

log "seeding one published book with one chapter"
start_service "" false
wait_ready >/dev/null
code=$(curl -s -o "$WORK/out.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' -H "X-Api-Key: $ADMIN_KEY" \
  -d "{\"slug\":\"$BOOK\",\"title\":\"Start-up Book\",\"published\":true}" "$BASE/api/v1/books")
[ "$code" = 201 ] || die "creating the book answered $code: $(cat "$WORK/out.json")"
awk -v n=1 -v target=3200 -f "$BENCH/chapter.awk" >"$WORK/ch.md"
code=$(curl -s -o "$WORK/out.json" -w '%{http_code}' -X PUT -H 'Content-Type: text/markdown' -H "X-Api-Key: $ADMIN_KEY" \
  --data-binary @"$WORK/ch.md" "$BASE/api/v1/books/$BOOK/chapters/ch-1")
[ "$code" = 201 ] || die "PUT chapter answered $code: $(cat "$WORK/out.json")"
stop_service

if [[ ",$CONFIGS," == *",aot"* ]]; then
  [ "$JAVA_MAJOR" -ge 25 ] || die "the aot configurations need JDK 25 (JEP 514's -XX:AOTCacheOutput); this is $JAVA_MAJOR"
  log "training the AOT cache: one run with -XX:AOTCacheOutput, the warm-up load, then a clean exit"
  start_service "-XX:+UseSerialGC -XX:AOTCacheOutput=$WORK/app.aot" false
  wait_ready >/dev/null
  warm_up
  stop_service
  [ -s "$WORK/app.aot" ] || die "no AOT cache was written"
  AOT_MB=$(du -m "$WORK/app.aot" | cut -f1)
  log "AOT cache: ${AOT_MB} MB"
fi

# ---------------------------------------------------------------- runs
RESULTS="$REPO/bench/results"
mkdir -p "$RESULTS"
OUT="$RESULTS/$STAMP-startup.md"
{
  echo "# Start-up and memory, $STAMP"
  echo
  echo "- machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo) RAM"
  echo "- JVM: $("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p)"
  echo "- code: $(cd "$REPO" && git rev-parse --short HEAD)$(cd "$REPO" && [ -z "$(git status --porcelain --untracked-files=no)" ] || echo ' + uncommitted changes')"
  echo "- load average before: $LOAD_BEFORE"
  echo "- runs per configuration: $RUNS; warm-up: ${WARMUP}s per endpoint, $CONNECTIONS connections"
  echo
  echo "| configuration | JVM flags | migrate at start | ready ms (median / min / max) | Quarkus \"started in\" ms | RSS at ready MB | RSS after warm-up MB | warm-up rps chapter/books | 1-min load at each start |"
  echo "|---|---|---|---|---|---|---|---|---|"
} >"$OUT"

IFS=',' read -r -a CONFIG_LIST <<<"$CONFIGS"
for config in "${CONFIG_LIST[@]}"; do
  flags="$(config_flags "$config")"
  migrate="$(config_migrates "$config")"
  dir="$(config_dir "$config")"
  ready_all="" started_all="" rss_ready_all="" rss_warm_all="" rps_all="" load_all=""
  for run in $(seq 1 "$RUNS"); do
    load_all="$load_all $(cut -d' ' -f1 /proc/loadavg)"
    start_service "$flags" "$migrate" "$dir"
    ready=$(wait_ready)
    rss_ready=$(rss_mb)
    started=$(started_in_ms)
    warm_up
    rss_warm=$(rss_mb)
    stop_service
    log "$config run $run (load ${load_all##* }): ready ${ready} ms (started in ${started} ms), RSS ${rss_ready} MB at ready, ${rss_warm} MB after warm-up ($WARM_RPS rps)"
    ready_all="$ready_all $ready"; started_all="$started_all $started"
    rss_ready_all="$rss_ready_all $rss_ready"; rss_warm_all="$rss_warm_all $rss_warm"; rps_all="$rps_all $WARM_RPS"
  done
  echo "| $config | \`${flags:-none}\` | $migrate | $(stats $ready_all) | $(stats $started_all) | $(stats $rss_ready_all) | $(stats $rss_warm_all) |$rps_all |$load_all |" \
    | sed "s|$WORK/app.aot|app.aot|" >>"$OUT"
done
LOAD_AFTER="$(uptime | sed 's/.*load average: *//')"
{
  echo
  echo "- load average after: $LOAD_AFTER"
  [ -n "${AOT_MB:-}" ] && echo "- AOT cache size: ${AOT_MB} MB (trained by one run with the same warm-up)"
  echo "- targets: ready within 1500 ms, RSS after warm-up under 250 MB"
} >>"$OUT"
log "results: $OUT"
cat "$OUT"
