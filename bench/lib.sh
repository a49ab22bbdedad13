# Helpers shared by the bench scripts (sourced, not run). They expect log() and die() to be defined.

# Sets and exports JAVA_HOME to a JDK >= 21: the current one if it qualifies, else the newest under /usr/lib/jvm.
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1; }
pick_java_home() {
  if [ -z "${JAVA_HOME:-}" ] || [ "$(java_major "$JAVA_HOME")" -lt 21 ] 2>/dev/null; then
    JAVA_HOME=""
    for candidate in /usr/lib/jvm/*; do
      [ -x "$candidate/bin/java" ] || continue
      major=$(java_major "$candidate")
      if [ -n "$major" ] && [ "$major" -ge 21 ]; then JAVA_HOME="$candidate"; fi
    done
    [ -n "$JAVA_HOME" ] || die "no JDK >= 21 found under /usr/lib/jvm"
  fi
  export JAVA_HOME
  log "JAVA_HOME=$JAVA_HOME"
}

# Installs wrk from the distribution if it is missing.
ensure_wrk() {
  if ! command -v wrk >/dev/null 2>&1; then
    log "installing wrk"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq wrk >/dev/null || die "could not install wrk"
  fi
}

# Stops a process with SIGTERM, waiting up to <seconds> (default 15) before SIGKILL (and saying so: a service that
# does not exit on SIGTERM is a bug worth seeing in the log, not a benchmark that hangs).
stop_pid() {
  local pid="$1" waits=$(( ${2:-15} * 2 ))
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 "$waits"); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
      log "WARNING: process $pid did not exit within ${2:-15} s of SIGTERM; killing it"
      kill -9 "$pid"
    fi
    wait "$pid" 2>/dev/null || true
  fi
  return 0
}

# Chapters waiting in the service's index outbox (GET /api/v1/admin/stats, admin key). curl and grep only: cheap
# enough to poll every half second beside a measurement (a python3 per poll cost about a tenth of a core).
outbox_depth() {
  curl -s -H "X-Api-Key: $2" "$1/api/v1/admin/stats" | grep -o '"outboxDepth":[0-9]*' | cut -d: -f2
}

# Waits until the service's index outbox is empty (every seeded chapter chunked and embedded), at most <seconds>
# (default 600): otherwise the in-process embedding model runs on the same cores as the measured requests.
await_index_settled() {
  local base="$1" key="$2" limit="${3:-600}" depth="" start=$SECONDS
  while [ $((SECONDS - start)) -lt "$limit" ]; do
    depth=$(outbox_depth "$base" "$key")
    [ "$depth" = 0 ] && { log "index settled (outbox empty) after $((SECONDS - start)) s"; return 0; }
    sleep 1
  done
  die "the index outbox still holds ${depth:-?} chapters after ${limit} s"
}

# ---------------------------------------------------------------- options of run.sh, progress.sh and compare.sh
# parse_load_bench_args "$@": --build, --chapters N, --duration S, --warmup S, --keep-db and -h/--help (which calls the
# script's usage()); sets BUILD, CHAPTERS (default 200), DURATION (30), WARMUP (20) and KEEP_DB (0), each from its
# option, else from the environment variable of its name, else from the default.
parse_load_bench_args() {
  BUILD=0
  CHAPTERS="${CHAPTERS:-200}"
  DURATION="${DURATION:-30}"
  WARMUP="${WARMUP:-20}"
  KEEP_DB="${KEEP_DB:-0}"
  while [ $# -gt 0 ]; do
    case "$1" in
      --build) BUILD=1 ;;
      --chapters) CHAPTERS="$2"; shift ;;
      --duration) DURATION="$2"; shift ;;
      --warmup) WARMUP="$2"; shift ;;
      --keep-db) KEEP_DB=1 ;;
      -h|--help) usage; exit 0 ;;
      *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
  done
}

# ---------------------------------------------------------------- shared set-up of run.sh and progress.sh
# They expect REPO, WORK, DB_NAME, KEEP_DB, BUILD, PGHOST/PGPORT and log()/die() to be set, and SERVICE_PID (and,
# in progress.sh, SAMPLER_PID) to name what cleanup must stop.

# On exit: stops the wait-event sampler and the service, shows the service log's tail after a failure, drops the
# database unless KEEP_DB=1, removes WORK.
bench_cleanup() {
  local rc=$?
  set +e
  if [ -n "${SAMPLER_PID:-}" ] && kill -0 "$SAMPLER_PID" 2>/dev/null; then kill "$SAMPLER_PID"; wait "$SAMPLER_PID" 2>/dev/null; fi
  if [ -n "${SERVICE_PID:-}" ] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    log "stopping service (pid $SERVICE_PID)"
    stop_pid "$SERVICE_PID"
  fi
  if [ -n "${HELPER_PID:-}" ] && kill -0 "$HELPER_PID" 2>/dev/null; then stop_pid "$HELPER_PID"; fi
  if [ "$rc" -ne 0 ] && [ -f "$WORK/service.log" ]; then
    log "last lines of the service log:"; tail -n 30 "$WORK/service.log" >&2
  fi
  if [ "$KEEP_DB" != "1" ]; then
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" >/dev/null 2>&1
  fi
  rm -rf "$WORK"
  exit "$rc"
}
install_bench_cleanup() {
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

# A JDK, wrk and the other tools, PostgreSQL up (started if down), and the jar (built with --build or if missing):
# sets JAR.
prepare_bench_tools() {
  pick_java_home
  ensure_wrk
  local tool
  for tool in wrk pgbench psql pg_isready curl awk sort timeout; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is required"
  done
  if ! pg_isready -q 2>/dev/null; then
    log "PostgreSQL is down; starting it"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start
    for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
    pg_isready -q || die "PostgreSQL did not come up on $PGHOST:$PGPORT"
  fi
  ensure_jar
}

# Sets JAR to the packaged service, built first with --build (BUILD=1) or when missing, and AOT_CACHE to the JDK AOT
# cache the build trained beside it (target/quarkus-app/app.aot, on JDK 25 and later; empty when there is none). The
# build runs AotTrainingIT only, as the training: Quarkus records that run and writes the cache.
ensure_jar() {
  JAR="$REPO/target/quarkus-app/quarkus-run.jar"
  if [ "$BUILD" = 1 ] || [ ! -f "$JAR" ]; then
    log "building $JAR (and its AOT cache on JDK 25+)"
    (cd "$REPO" && JAVA_HOME="$JAVA_HOME" ./mvnw -B -q verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
      -Dit.test=AotTrainingIT -Dfailsafe.failIfNoSpecifiedTests=false)
  fi
  [ -f "$JAR" ] || die "build did not produce $JAR"
  AOT_CACHE=""
  if [ -s "$REPO/target/quarkus-app/app.aot" ] && [ "$(java_major "$JAVA_HOME")" -ge 25 ]; then
    AOT_CACHE="$REPO/target/quarkus-app/app.aot"
  fi
}

# What the report says about the machine, the code and the tools: sets STAMP, DATE_HUMAN, LOAD_BEFORE, NPROC,
# CPU_MODEL, MEM_TOTAL, JVM_VERSION, CODE_VERSION, PG_VERSION, PG_MAXCONN, PG_SETTINGS, WRK_VERSION, PGBENCH_VERSION
# and POOL_SIZE.
record_bench_environment() {
  STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
  DATE_HUMAN="$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  LOAD_BEFORE="$(uptime | sed 's/.*load average: *//')"
  NPROC="$(nproc)"
  CPU_MODEL="$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || echo unknown)"
  MEM_TOTAL="$(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo 2>/dev/null || echo unknown)"
  JVM_VERSION="$("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p)"
  CODE_VERSION="$(cd "$REPO" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  if [ "$CODE_VERSION" != unknown ]; then
    if [ -n "$(cd "$REPO" && git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
      CODE_VERSION="$CODE_VERSION + uncommitted changes"
    fi
    local untracked
    untracked=$(cd "$REPO" && git status --porcelain 2>/dev/null | grep -c '^??' || true)
    [ "$untracked" -eq 0 ] || CODE_VERSION="$CODE_VERSION + $untracked untracked files/dirs (in the jar if under src/)"
  fi
  PG_VERSION="$(psql -X -At -d postgres -c 'show server_version')"
  PG_MAXCONN="$(psql -X -At -d postgres -c 'show max_connections')"
  PG_SETTINGS="$(psql -X -At -d postgres -c "select string_agg(name || '=' || setting || coalesce(unit, ''), ', ' order by name) from pg_settings
    where name in ('shared_buffers', 'synchronous_commit', 'fsync', 'wal_level', 'max_wal_size', 'work_mem')")"
  WRK_VERSION="$( (wrk -v 2>&1 || true) | head -n 1 | awk '{print $1, $2}')"
  PGBENCH_VERSION="$(pgbench --version)"
  POOL_SIZE="${LECTERN_DB_POOL_SIZE:-20}"
}

# ---------------------------------------------------------------- load helpers of run.sh and progress.sh
# Converts wrk's latency strings (123.45us, 1.23ms, 1.02s, 1.50m) to milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
  if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000; printf "%.2f", n }'; }

# CPU time (ms) the service process has used so far, from /proc/<pid>/stat (utime + stime).
CLK_TCK="$(getconf CLK_TCK)"
service_cpu_ms() { awk -v hz="$CLK_TCK" '{sub(/^.*\) /, ""); printf "%d", ($12 + $13) * 1000 / hz}' "/proc/$SERVICE_PID/stat"; }

# Machine-wide CPU counters (the "cpu" line of /proc/stat); cpu_delta prints "busy% steal%" between two samples.
cpu_sample() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8, $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }
cpu_delta() { awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); t = y[3] - x[3]; if (t <= 0) t = 1
  printf "%.0f%% %.1f%%", 100 * (y[1] - x[1]) / t, 100 * (y[2] - x[2]) / t }'; }

# After <delay> s, lists other processes using >= 10% CPU (over 1 s), i.e. not this bench's service, wrk,
# pgbench or PostgreSQL: those are other builds or tests competing for the cores.
snap_others() {
  sleep "$1"
  top -b -n 2 -d 1 | awk -v me="${SERVICE_PID:-0}" '/^top -/ {n++} n == 2 && /^ *[0-9]+ / && $1 != me && $9 + 0 >= 10 &&
    $12 != "wrk" && $12 != "pgbench" && $12 != "postgres" && $12 != "top" {out = out sep $12 " (pid " $1 ") " $9 "%"; sep = ", "}
    END {printf "%s", out == "" ? "none" : out}'
}

# wrk_field <name> rps|p50|p99|max|avg|non2xx|sockerr|sockdetail|requests|statuses|samples|cpu_per_req|kb_per_req
wrk_field() {
  local f="$WORK/$1.txt"
  case "$2" in
    rps) awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$f" ;;
    p50) to_ms "$(awk '$1 == "50%" {print $2}' "$f")" ;;
    p99) to_ms "$(awk '$1 == "99%" {print $2}' "$f")" ;;
    max) to_ms "$(awk '$1 == "Latency" {print $4; exit}' "$f")" ;;
    avg) to_ms "$(awk '$1 == "Latency" {print $2; exit}' "$f")" ;;
    non2xx) awk '/Non-2xx or 3xx responses:/ {n = $NF} END {print n + 0}' "$f" ;;
    sockerr) awk '/Socket errors:/ {gsub(",", ""); s = $4 + $6 + $8 + $10} END {print s + 0}' "$f" ;;
    sockdetail) awk '/Socket errors:/ {sub(/^ *Socket errors: */, ""); print}' "$f" ;;
    requests) awk '/requests in/ {print $1}' "$f" ;;
    statuses) awk '$1 == "STATUS" {out = out sep $2 ": " $3; sep = ", "} END {print out == "" ? "none counted" : out}' "$f" ;;
    samples) awk '$1 == "SAMPLE" {$1 = ""; print}' "$f" ;;
    cpu_per_req) awk -v cpu="$(cat "$WORK/$1.cpu")" '/requests in/ {printf "%.2f", cpu / $1}' "$f" ;;
    kb_per_req) awk '/requests in/ {v = $(NF - 1); u = v; sub(/^[0-9.]+/, "", u); n = v + 0;
      if (u == "B") n /= 1024; else if (u == "MB") n *= 1024; else if (u == "GB") n *= 1048576; printf "%.2f", n / $1}' "$f" ;;
  esac
}

# ---------------------------------------------------------------- seeding shared by run.sh, progress.sh and compare.sh
# They expect BASE (the service's URL), ADMIN_KEY (its bootstrap admin key), BENCH and WORK to be set.

# json_field <name> <file>: the value of a string field of a one-line JSON object (the last one of that name).
json_field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" "$2"; }

# api <method> <path> <content-type> <data|@file> <expected codes regex> <out file>: a request as the admin key.
api() {
  local code
  code=$(curl -s -o "$6" -w '%{http_code}' -X "$1" -H "Content-Type: $3" -H "X-Api-Key: $ADMIN_KEY" --data-binary "$4" "$BASE$2")
  [[ "$code" =~ ^($5)$ ]] || die "$1 $2 answered $code: $(head -c 500 "$6")"
}

# seed_bench_book <book> <title> <chapters> <body-bytes> [ids-file]: creates the published book and PUTs chapters
# ch-1 .. ch-N as Markdown from bench/chapter.awk (the same N and size always give the same documents); with ids-file,
# writes the chapters' ids there, one a line, in order. Writes need an author or admin: the bootstrap admin key.
seed_bench_book() {
  local book="$1" title="$2" n="$3" bytes="$4" ids="${5:-}" i id
  api POST /api/v1/books application/json "{\"slug\":\"$book\",\"title\":\"$title\",\"published\":true}" 201 "$WORK/book.json"
  [ -z "$ids" ] || : >"$ids"
  for i in $(seq 1 "$n"); do
    awk -v n="$i" -v target="$bytes" -f "$BENCH/chapter.awk" >"$WORK/ch.md"
    api PUT "/api/v1/books/$book/chapters/ch-$i" text/markdown @"$WORK/ch.md" '200|201' "$WORK/put.json"
    [ -n "$ids" ] || continue
    id=$(sed -n 's/^{"id":"\([0-9a-f-]\{36\}\)".*/\1/p' "$WORK/put.json")
    [ -n "$id" ] || die "no chapter id in the answer to PUT ch-$i: $(head -c 300 "$WORK/put.json")"
    echo "$id" >>"$ids"
  done
}

# bench_user <display name> <role>: creates a user with that one role and an API key for it; prints "<user id> <key>".
bench_user() {
  local id key
  api POST /api/v1/admin/users application/json "{\"displayName\":\"$1\",\"roles\":[\"$2\"]}" 201 "$WORK/user.json"
  id=$(sed -n 's/^{"id":"\([0-9a-f-]\{36\}\)".*/\1/p' "$WORK/user.json")
  [ -n "$id" ] || die "no user id in $(cat "$WORK/user.json")"
  api POST "/api/v1/admin/users/$id/api-keys" application/json '{"name":"bench"}' 201 "$WORK/key.json"
  key=$(json_field key "$WORK/key.json")
  [[ "$key" == lk_* ]] || die "no key in $(cat "$WORK/key.json")"
  echo "$id $key"
}

# bench_chapters_table <db> <ids-file>: the table bench_chapters (n, id) numbering the seeded chapters 1..N, from which
# pgbench picks a random chapter id (progress-upsert.sql); not a table of the service.
bench_chapters_table() {
  psql -X -q -v ON_ERROR_STOP=1 -d "$1" >/dev/null <<SQL
CREATE TABLE bench_chapters (n int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, id uuid NOT NULL);
\copy bench_chapters (id) FROM '$2'
SQL
  [ "$(psql -X -At -d "$1" -c "select count(*) from bench_chapters b join chapters c on c.id = b.id")" = "$(wc -l <"$2")" ] \
    || die "bench_chapters does not match the seeded chapters"
}
