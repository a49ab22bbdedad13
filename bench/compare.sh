#!/usr/bin/env bash
# Lectern beside the obvious alternative and beside the database's limit, in one run (issue 16). Two endpoints:
#   the anonymous chapter read  GET /api/v1/books/{book}/chapters/{chapter}   (READ_CONNECTIONS, default 64 and 16)
#   the progress upsert         PUT /api/v1/me/progress/chapters/{id}, X-Api-Key   (UPSERT_CONNECTIONS, default 64)
# each measured in turn, on the same data, with the same connections and durations, by
#   (1) pgbench sending the statements the service sends (bench/chapter-read.sql, bench/progress-upsert.sql);
#   (2) Lectern, the packaged jar with its defaults (pool 20), under wrk;
#   (3) the Node peer, bench/peers/node (Fastify + pg, the same statements, pool 20 split over one worker per CPU),
#       under wrk.
# Also: process start to the first 200 of a chapter read and the RSS after the runs, for both services; the load
# average before and after every run; and a sample of responses from both services compared byte for byte (status,
# ETag, Content-Type, body). Prints a table with the ratios Lectern/peer and Lectern/pgbench.
# See bench/README.md ("Lectern beside a Node peer"). Every load run is bounded in time; the services are stopped and
# the database dropped on exit. Exits 1 if the sampled responses differ.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="$REPO/bench"
PEER_DIR="$BENCH/peers/node"
# shellcheck source=bench/lib.sh
source "$BENCH/lib.sh"

usage() {
  cat <<'EOF'
Usage: bench/compare.sh [--build] [--chapters N] [--duration SECONDS] [--warmup SECONDS] [--keep-db]
  --build            rebuild target/quarkus-app/quarkus-run.jar even if it exists
  --chapters N       chapters to seed (env CHAPTERS, default 200)
  --duration S       seconds per measured run (env DURATION, default 30)
  --warmup S         seconds of warm-up per endpoint and service (env WARMUP, default 20)
  --keep-db          leave the database in place afterwards (env KEEP_DB=1)
Other knobs (env): READ_CONNECTIONS="64 16" UPSERT_CONNECTIONS=64 THREADS=2 PORT=18180 PEER_PORT=18181
  DB_NAME=lectern_bench_compare BODY_BYTES=3200 SAMPLE=20 (seeded chapters in the byte comparison)
  PEER_WORKERS=nproc READY_TIMEOUT=120 PGHOST=localhost PGPORT=5432 PGUSER=postgres JAVA_OPTS= NODE_OPTIONS=
  LECTERN_DB_POOL_SIZE (both services, default 20)
  EMBEDDER=remote (default: Lectern embeds through an OpenAI-compatible stub, bench/peers/node/embedder-stub.js on
    EMBEDDER_PORT=18183, as a deployment with a remote provider does; its RSS is then the issue's figure) or onnx (the
    in-process model, loaded while the seeded chapters are indexed)
EOF
}

parse_load_bench_args "$@"

READ_CONNECTIONS="${READ_CONNECTIONS:-64 16}"
UPSERT_CONNECTIONS="${UPSERT_CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
PORT="${PORT:-18180}"
PEER_PORT="${PEER_PORT:-18181}"
DB_NAME="${DB_NAME:-lectern_bench_compare}"
BODY_BYTES="${BODY_BYTES:-3200}"
SAMPLE="${SAMPLE:-20}"
PEER_WORKERS="${PEER_WORKERS:-$(nproc)}"
READY_TIMEOUT="${READY_TIMEOUT:-120}"
EMBEDDER="${EMBEDDER:-remote}"
EMBEDDER_PORT="${EMBEDDER_PORT:-18183}"
case "$EMBEDDER" in remote|onnx) ;; *) echo "EMBEDDER must be remote or onnx (got '$EMBEDDER')" >&2; exit 2 ;; esac
for v in CHAPTERS DURATION WARMUP THREADS PORT PEER_PORT BODY_BYTES SAMPLE PEER_WORKERS READY_TIMEOUT; do
  [[ "${!v}" =~ ^[0-9]+$ ]] && [ "${!v}" -ge 1 ] || { echo "$v must be a positive integer (got '${!v}')" >&2; exit 2; }
done
for c in $READ_CONNECTIONS $UPSERT_CONNECTIONS; do
  [[ "$c" =~ ^[0-9]+$ ]] && [ "$c" -ge 1 ] || { echo "connection counts must be positive integers (got '$c')" >&2; exit 2; }
done
[[ "$DB_NAME" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "DB_NAME must be a plain lower-case identifier (got '$DB_NAME')" >&2; exit 2; }
case "$DB_NAME" in lectern_dev|lectern_test) echo "DB_NAME $DB_NAME is dropped and recreated: use a scratch name" >&2; exit 2 ;; esac
export PGHOST="${PGHOST:-localhost}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
BOOK="bench-book"
LECTERN_URL="http://127.0.0.1:$PORT"
PEER_URL="http://127.0.0.1:$PEER_PORT"
DATABASE_URL_BENCH="postgres://$PGUSER@$PGHOST:$PGPORT/$DB_NAME"

log() { printf '[compare %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
loadavg() { uptime | sed 's/.*load average: *//'; }

# ---------------------------------------------------------------- cleanup (lib.sh: stops SERVICE_PID, drops the db)
WORK="$(mktemp -d /tmp/lectern-compare.XXXXXX)"
SERVICE_PID=""
install_bench_cleanup

# ---------------------------------------------------------------- tools, environment record
prepare_bench_tools
for tool in node npm pgrep; do command -v "$tool" >/dev/null 2>&1 || die "$tool is required"; done
[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] || die "the peer needs Node 20 or later ($(node --version))"
log "installing the Node peer (npm ci in $PEER_DIR)"
(cd "$PEER_DIR" && npm ci --no-audit --no-fund --loglevel=error) >"$WORK/npm.log" 2>&1 || die "npm ci failed: $(tail -n 20 "$WORK/npm.log")"
(cd "$PEER_DIR" && node --test test/) >"$WORK/peer-tests.log" 2>&1 || die "the peer's unit tests failed: $(tail -n 30 "$WORK/peer-tests.log")"
record_bench_environment
# The remote embedder: a stub on this machine, started once for every Lectern run.
EMBEDDER_ENV=(LECTERN_EMBEDDING_PROVIDER=onnx)
if [ "$EMBEDDER" = remote ]; then
  PORT="$EMBEDDER_PORT" node "$PEER_DIR/embedder-stub.js" >"$WORK/embedder-stub.log" 2>&1 &
  HELPER_PID=$!
  EMBEDDER_ENV=(LECTERN_EMBEDDING_PROVIDER=openai "LECTERN_EMBEDDING_BASE_URL=http://127.0.0.1:$EMBEDDER_PORT"
    LECTERN_EMBEDDING_MODEL=stub LECTERN_EMBEDDING_DIMENSION=384)
fi
NODE_VERSION="$(node --version)"
PEER_VERSIONS="fastify $(node -p "require('$PEER_DIR/node_modules/fastify/package.json').version"), pg $(node -p "require('$PEER_DIR/node_modules/pg/package.json').version")"
MAX_CONNS=$(printf '%s\n' $READ_CONNECTIONS $UPSERT_CONNECTIONS | sort -n | tail -n 1)
log "nproc=$NPROC load before start: $LOAD_BEFORE"
[ "$PG_MAXCONN" -ge $((MAX_CONNS + 5)) ] || log "WARNING: max_connections=$PG_MAXCONN is tight for $MAX_CONNS pgbench clients"
for url in "$LECTERN_URL" "$PEER_URL"; do
  if curl -s -o /dev/null "$url/"; then die "something already listens on ${url#http://}"; fi
done

# ---------------------------------------------------------------- service helpers
# tree_cpu_ms: CPU time (ms) used so far by SERVICE_PID and its children (the peer's workers).
tree_cpu_ms() {
  local p total=0
  for p in "$SERVICE_PID" $(pgrep -P "$SERVICE_PID" || true); do
    total=$(( total + $(awk -v hz="$CLK_TCK" '{sub(/^.*\) /, ""); printf "%d", ($12 + $13) * 1000 / hz}' "/proc/$p/stat" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}
# tree_rss: "<MB> <processes>", VmRSS summed over SERVICE_PID and its children.
tree_rss() {
  local p kb=0 n=0
  for p in "$SERVICE_PID" $(pgrep -P "$SERVICE_PID" || true); do
    kb=$(( kb + $(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0) )); n=$((n + 1))
  done
  echo "$(( kb / 1024 )) $n"
}

# start_service <lectern|peer> <log name>: starts it in the background (SERVICE_PID) and sets FIRST_200_MS to the time
# from just before the command to the first 200 of GET .../chapters/ch-1 (polled every 20 ms), or, for a start on an
# empty database, to the first 200 of /q/health/ready (Lectern only).
start_service() {
  local which="$1" name="$2" url probe t0 code deadline
  t0=$(date +%s%N)
  if [ "$which" = lectern ]; then
    # shellcheck disable=SC2086
    # No --add-opens here: the jar's manifest opens what Quarkus needs, and a module option the training run did not
    # have makes the JVM refuse the AOT cache.
    env DATABASE_URL="$DATABASE_URL_BENCH" PORT="$PORT" LECTERN_ADMIN_API_KEY="$ADMIN_KEY" "${EMBEDDER_ENV[@]}" \
      "$JAVA_HOME/bin/java" ${AOT_CACHE:+-XX:AOTCache=$AOT_CACHE} ${JAVA_OPTS:-} -jar "$JAR" >"$WORK/$name.log" 2>&1 &
    url="$LECTERN_URL"
  else
    DATABASE_URL="$DATABASE_URL_BENCH" PORT="$PEER_PORT" LECTERN_ADMIN_API_KEY="$ADMIN_KEY" PEER_WORKERS="$PEER_WORKERS" \
      node "$PEER_DIR/server.js" >"$WORK/$name.log" 2>&1 &
    url="$PEER_URL"
  fi
  SERVICE_PID=$!
  probe="$url/api/v1/books/$BOOK/chapters/ch-1"
  [ "$name" = lectern-seed ] && probe="$url/q/health/ready"
  deadline=$((SECONDS + READY_TIMEOUT))
  while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$probe" || true)
    [ "$code" = 200 ] && break
    kill -0 "$SERVICE_PID" 2>/dev/null || { tail -n 30 "$WORK/$name.log" >&2; die "$which exited during start-up"; }
    [ "$SECONDS" -lt "$deadline" ] || die "$which did not answer 200 within ${READY_TIMEOUT}s (last: $code)"
    sleep 0.02
  done
  FIRST_200_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
  log "$which (pid $SERVICE_PID) answered 200 after $FIRST_200_MS ms"
}
stop_service() {
  stop_pid "$SERVICE_PID" 45
  SERVICE_PID=""
}

# run_wrk <name> <seconds> <connections> <lua script> <url> [script args...]: wrk's output in $WORK/<name>.txt, the
# service's CPU time (ms) in <name>.cpu, the load average before and after in <name>.load.
run_wrk() {
  local name="$1" secs="$2" conns="$3" script="$4" url="$5" cpu0 load0
  shift 5
  load0=$(loadavg); cpu0=$(tree_cpu_ms)
  timeout --kill-after=10 $((secs + 30)) wrk -t "$THREADS" -c "$conns" -d "${secs}s" --timeout 5s --latency \
    -s "$BENCH/$script" "$url" -- "$@" >"$WORK/$name.txt" 2>&1 || die "wrk $name failed: $(cat "$WORK/$name.txt")"
  echo $(( $(tree_cpu_ms) - cpu0 )) >"$WORK/$name.cpu"
  echo "$load0 -> $(loadavg)" >"$WORK/$name.load"
}

# run_pgbench <name> <clients> <sql file> [-D var=value ...]: pgbench -M prepared for DURATION; output in
# $WORK/<name>.txt, the load average before and after in <name>.load.
run_pgbench() {
  local name="$1" clients="$2" file="$3" load0
  shift 3
  load0=$(loadavg)
  timeout --kill-after=10 $((DURATION + 60)) pgbench -n -M prepared -c "$clients" -j "$THREADS" -T "$DURATION" "$@" \
    -f "$BENCH/$file" "$DB_NAME" >"$WORK/$name.txt" 2>&1 || die "pgbench $name failed: $(cat "$WORK/$name.txt")"
  echo "$load0 -> $(loadavg)" >"$WORK/$name.load"
}

# Every upsert run starts from empty progress tables, vacuumed, with the WAL flushed.
reset_progress() {
  psql -X -q -d "$DB_NAME" -c "TRUNCATE reading_progress, progress_events" -c "VACUUM ANALYZE reading_progress" \
    -c "VACUUM ANALYZE progress_events" -c "CHECKPOINT" >/dev/null
}

# ---------------------------------------------------------------- response samples
# probe <expected status> <name> <method> <path> [curl args...]: one request to SAMPLE_URL into SAMPLE_DIR:
# <name>.head (status, ETag, Content-Type, WWW-Authenticate) and <name>.body. A status other than the expected one is
# noted in SAMPLE_DIR/unexpected (checked on Lectern's side: a byte-identical wrong answer proves nothing).
probe() {
  local expected="$1" name="$2" method="$3" path="$4"
  shift 4
  : >"$SAMPLE_DIR/$name.body" # curl writes no file for an empty body (a 304)
  curl -s -o "$SAMPLE_DIR/$name.body" -D "$SAMPLE_DIR/$name.headers" -X "$method" "$@" "$SAMPLE_URL$path" \
    || die "sample request $name failed"
  # The status line, then the compared headers, names in lower case, in name order (the servers order them differently).
  tr -d '\r' <"$SAMPLE_DIR/$name.headers" | awk 'NR == 1 {print "status", $2}' >"$SAMPLE_DIR/$name.head"
  tr -d '\r' <"$SAMPLE_DIR/$name.headers" | awk 'tolower($1) ~ /^(etag|content-type|www-authenticate):$/ {
    h = tolower($1); $1 = ""; print h $0}' | sort >>"$SAMPLE_DIR/$name.head"
  rm -f "$SAMPLE_DIR/$name.headers"
  grep -qx "status $expected" "$SAMPLE_DIR/$name.head" || echo "$name: expected $expected, got $(head -n 1 "$SAMPLE_DIR/$name.head")" >>"$SAMPLE_DIR/unexpected"
}
# wrong_secret <key>: the key with the last character of its secret changed (same prefix: found, then refused).
wrong_secret() { if [ "${1: -1}" = x ]; then echo "${1%?}y"; else echo "${1%?}x"; fi; }
put_progress() { # put_progress <expected> <name> <chapter id> <json> [api key]
  probe "$1" "$2" PUT "/api/v1/me/progress/chapters/$3" -H 'Content-Type: application/json' -H "X-Api-Key: ${5:-$SAMPLE_KEY}" --data-binary "$4"
}

# capture_samples <label> <url>: the same requests, in the same order, from the same state of the data.
capture_samples() {
  SAMPLE_DIR="$WORK/samples/$1"; SAMPLE_URL="$2"
  mkdir -p "$SAMPLE_DIR"
  local step=$(( CHAPTERS / SAMPLE > 0 ? CHAPTERS / SAMPLE : 1 )) i etag first_etag=""
  local chapters="/api/v1/books/$BOOK/chapters"
  for i in $(seq 1 "$step" "$CHAPTERS"); do
    probe 200 "read-ch-$i" GET "$chapters/ch-$i"
    etag=$(sed -n 's/^etag: //p' "$SAMPLE_DIR/read-ch-$i.head")
    [ -n "$etag" ] || die "no ETag in the answer to GET ch-$i ($SAMPLE_URL)"
    first_etag="${first_etag:-$etag}"
    probe 304 "read-ch-$i-if-none-match" GET "$chapters/ch-$i" -H "If-None-Match: $etag"
  done
  probe 304 read-weak-etag GET "$chapters/ch-1" -H "If-None-Match: W/$first_etag"
  probe 304 read-etag-list GET "$chapters/ch-1" -H "If-None-Match: \"7-0000000000000000\", $first_etag"
  probe 304 read-etag-star GET "$chapters/ch-1" -H 'If-None-Match: *'
  probe 200 read-stale-etag GET "$chapters/ch-1" -H 'If-None-Match: "7-0000000000000000"'
  probe 200 read-outcomes GET "$chapters/sample-outcomes"
  probe 404 read-draft-anonymous GET "$chapters/sample-draft"
  probe 200 read-draft-as-author GET "$chapters/sample-draft" -H "X-Api-Key: $AUTHOR_KEY"
  probe 404 read-no-chapter GET "$chapters/no-such-chapter"
  probe 404 read-no-book GET "/api/v1/books/no-such-book/chapters/ch-1"
  probe 401 read-bad-key GET "$chapters/ch-1" -H "X-Api-Key: $(wrong_secret "$SAMPLE_KEY")"

  # The upsert from no progress: a fixed sequence by the sample learner (and the author, for a draft).
  psql -X -q -d "$DB_NAME" -c "DELETE FROM progress_events WHERE user_id IN ('$SAMPLE_ID', '$AUTHOR_ID')" \
    -c "DELETE FROM reading_progress WHERE user_id IN ('$SAMPLE_ID', '$AUTHOR_ID')" >/dev/null
  local ch="$FIRST_CHAPTER_ID" e1=00000000-0000-4000-8000-00000000e001 e2=00000000-0000-4000-8000-00000000e002
  put_progress 200 upsert-1-first "$ch" "{\"percent\":12.5,\"position\":{\"sectionNumber\":2,\"offset\":40},\"timeSpentSeconds\":30,\"eventId\":\"$e1\"}"
  put_progress 200 upsert-2-retried "$ch" "{\"percent\":12.5,\"position\":{\"sectionNumber\":2,\"offset\":40},\"timeSpentSeconds\":30,\"eventId\":\"$e1\"}"
  put_progress 200 upsert-3-stale "$ch" '{"percent":5}'
  put_progress 200 upsert-4-reset-tiny "$ch" '{"percent":0.0001,"reset":true}'
  put_progress 200 upsert-5-complete "$ch" "{\"percent\":100,\"position\":{\"sectionNumber\":3},\"timeSpentSeconds\":5,\"eventId\":\"$e2\"}"
  put_progress 200 upsert-6-after-complete "$ch" '{"percent":40,"position":{"sectionNumber":1,"offset":0}}'
  put_progress 200 upsert-7-reset "$ch" '{"percent":33.333333333333336,"position":{"offset":7},"reset":true}'
  put_progress 404 upsert-draft-as-learner "$DRAFT_CHAPTER_ID" '{"percent":10}'
  put_progress 200 upsert-draft-as-author "$DRAFT_CHAPTER_ID" '{"percent":10}' "$AUTHOR_KEY"
  put_progress 404 upsert-no-chapter 00000000-0000-4000-8000-000000000000 '{"percent":10}'
  put_progress 400 upsert-bad-id not-a-uuid '{"percent":10}'
  put_progress 400 upsert-no-percent "$ch" '{}'
  put_progress 400 upsert-percent-101 "$ch" '{"percent":101}'
  put_progress 400 upsert-unknown-field "$ch" '{"percent":1,"pages":3}'
  put_progress 400 upsert-bad-position "$ch" '{"percent":1,"position":{"sectionNumber":0,"offset":-1}}'
  put_progress 400 upsert-time-without-event "$ch" '{"percent":1,"timeSpentSeconds":3}'
  put_progress 400 upsert-bad-event-id "$ch" '{"percent":1,"eventId":"e1"}'
  put_progress 401 upsert-wrong-secret "$ch" '{"percent":1}' "$(wrong_secret "$SAMPLE_KEY")"
  put_progress 403 upsert-admin-key "$ch" '{"percent":1}' "$ADMIN_KEY"
  probe 401 upsert-no-key PUT "/api/v1/me/progress/chapters/$ch" -H 'Content-Type: application/json' --data-binary '{"percent":1}'

  # The upsert's instants are now(): each is checked for Jackson's ISO_INSTANT form (no fraction, or 3 or 6 digits
  # of which the last three are not all zero), then masked so that the rest compares byte for byte.
  local nz3='([0-9]{2}[1-9]|[0-9][1-9][0-9]|[1-9][0-9]{2})'
  local f
  for f in "$SAMPLE_DIR"/upsert-*.body; do
    sed -E -i "s/\"(updatedAt|completedAt)\":\"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.$nz3|\\.[0-9]{3}$nz3)?Z\"/\"\\1\":\"(an instant)\"/g" "$f"
  done
}

# compare_samples: sets SAMPLES_SAME, SAMPLES_TOTAL, SAMPLES_DIFF (a description of each difference).
compare_samples() {
  local a="$WORK/samples/lectern" b="$WORK/samples/peer" f name heads body
  SAMPLES_SAME=0; SAMPLES_TOTAL=0; SAMPLES_DIFF=""
  for f in "$a"/*.head; do
    name=$(basename "$f" .head); SAMPLES_TOTAL=$((SAMPLES_TOTAL + 1))
    if cmp -s "$f" "$b/$name.head" && cmp -s "$a/$name.body" "$b/$name.body"; then
      SAMPLES_SAME=$((SAMPLES_SAME + 1))
      continue
    fi
    heads=$( (diff "$f" "$b/$name.head" 2>&1 || true) | grep '^[<>]' | tr '\n' ' ' || true)
    body=$( (cmp "$a/$name.body" "$b/$name.body" 2>&1 || true) | head -n 1)
    SAMPLES_DIFF="$SAMPLES_DIFF
- $name: ${heads:-same head} / ${body:-same body}
  - Lectern: $(head -c 400 "$a/$name.body" 2>/dev/null || true)
  - peer:    $(head -c 400 "$b/$name.body" 2>/dev/null || true)"
  done
}

# ---------------------------------------------------------------- database and seed (through Lectern's API)
log "recreating database $DB_NAME"
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" -c "CREATE DATABASE $DB_NAME" >/dev/null
ADMIN_KEY="bench-admin-$RANDOM$RANDOM"
BASE="$LECTERN_URL"
log "starting Lectern to migrate and seed"
start_service lectern lectern-seed
log "seeding $CHAPTERS chapters into book '$BOOK'"
seed_bench_book "$BOOK" "Benchmark Book" "$CHAPTERS" "$BODY_BYTES" "$WORK/chapter-ids.txt"
FIRST_CHAPTER_ID=$(head -n 1 "$WORK/chapter-ids.txt")
read -r LEARNER_ID LEARNER_KEY < <(bench_user "Compare bench learner" learner)
read -r SAMPLE_ID SAMPLE_KEY < <(bench_user "Compare sample learner" learner)
read -r AUTHOR_ID AUTHOR_KEY < <(bench_user "Compare sample author" author)
[ -n "$LEARNER_KEY" ] && [ -n "$SAMPLE_KEY" ] && [ -n "$AUTHOR_KEY" ] || die "could not create the benchmark users"

# Content only the byte comparison reads: outcomes (in an order to sort), an author, a draft, and, set in SQL below,
# a source path, control characters (JSON escapes) and instants with 0 and 3 fraction digits.
api POST /api/v1/frameworks application/json '{"code":"peer","name":"Peer comparison framework"}' 201 "$WORK/fw.json"
api POST /api/v1/frameworks/peer/outcomes application/json '{"code":"PEER.B.2","description":"Second outcome"}' 201 "$WORK/o1.json"
api POST /api/v1/frameworks/peer/outcomes application/json '{"code":"PEER.A.1","description":"First outcome"}' 201 "$WORK/o2.json"
printf '%s\n' '---' 'title: "Outcomes, quotes \"and\" ünïcødé"' 'author: "Ada Lovelace"' 'difficulty: intermediate' \
  'summary: "A chapter the byte comparison reads: € 😀 / \\ <>"' 'outcomes: [PEER.B.2, PEER.A.1]' '---' '' \
  'Opening text with "quotes", a backslash \ and a tab	here.' '' '## Second Part' '' 'More text, ünïcødé and 😀.' >"$WORK/sample.md"
api PUT "/api/v1/books/$BOOK/chapters/sample-outcomes" text/markdown @"$WORK/sample.md" 201 "$WORK/put.json"
printf '%s\n' '---' 'title: "A draft"' 'draft: true' '---' '' 'Not yet published.' >"$WORK/draft.md"
api PUT "/api/v1/books/$BOOK/chapters/sample-draft" text/markdown @"$WORK/draft.md" 201 "$WORK/put.json"
DRAFT_CHAPTER_ID=$(sed -n 's/^{"id":"\([0-9a-f-]\{36\}\)".*/\1/p' "$WORK/put.json")
psql -X -q -v ON_ERROR_STOP=1 -d "$DB_NAME" >/dev/null <<'SQL'
UPDATE chapters SET source_path = 'docs/sample-outcomes.md',
       summary = summary || ' control' || chr(1) || chr(8) || chr(9) || chr(10) || chr(12) || chr(13) || chr(27) || chr(31) || chr(127) || ' end',
       published_at = '2026-01-02 03:04:05.12+00', created_at = '2026-01-02 03:04:05+00'
 WHERE slug = 'sample-outcomes';
UPDATE sections SET body = body || ' and ' || chr(2) || chr(30)
 WHERE chapter_id = (SELECT id FROM chapters WHERE slug = 'sample-outcomes') AND number = 1;
SQL

bench_chapters_table "$DB_NAME" "$WORK/chapter-ids.txt"
JSON_BYTES=$(curl -s -o /dev/null -w '%{size_download}' "$LECTERN_URL/api/v1/books/$BOOK/chapters/ch-1")
await_index_settled "$LECTERN_URL" "$ADMIN_KEY"
log "stopping the seeding instance"
stop_service
psql -X -q -d "$DB_NAME" -c "VACUUM ANALYZE" -c "CHECKPOINT" >/dev/null

# ---------------------------------------------------------------- (1) pgbench: the limit
for c in $READ_CONNECTIONS; do
  log "pgbench: chapter read, ${DURATION}s, $c clients"
  run_pgbench "pgbench-read-$c" "$c" chapter-read.sql -D chapters="$CHAPTERS" -D book="$BOOK"
  log "pgbench: Lectern's warm chapter read (the version check), ${DURATION}s, $c clients"
  run_pgbench "pgbench-readcheck-$c" "$c" chapter-read-check.sql -D chapters="$CHAPTERS" -D book="$BOOK"
done
for c in $UPSERT_CONNECTIONS; do
  reset_progress
  log "pgbench: progress upsert, ${DURATION}s, $c clients"
  run_pgbench "pgbench-upsert-$c" "$c" progress-upsert.sql -D learner="$LEARNER_ID" -D chapters="$CHAPTERS" -D secs=1 \
    -D section=1 -D reset=false
done

# ---------------------------------------------------------------- (2) Lectern, (3) the peer
declare -A FIRST_200 RSS
for which in lectern peer; do
  url="$LECTERN_URL"; [ "$which" = peer ] && url="$PEER_URL"
  log "$which: starting"
  start_service "$which" "$which"
  FIRST_200[$which]=$FIRST_200_MS
  log "$which: warm-up, ${WARMUP}s of chapter reads and ${WARMUP}s of upserts at $MAX_CONNS connections"
  run_wrk "$which-warmup-read" "$WARMUP" "$MAX_CONNS" chapter.lua "$url" "$CHAPTERS" "$BOOK"
  run_wrk "$which-warmup-upsert" "$WARMUP" "$MAX_CONNS" progress.lua "$url" upsert "$LEARNER_KEY" "$WORK/chapter-ids.txt"
  for c in $READ_CONNECTIONS; do
    log "$which: chapter read, ${DURATION}s, $c connections"
    run_wrk "$which-read-$c" "$DURATION" "$c" chapter.lua "$url" "$CHAPTERS" "$BOOK"
  done
  for c in $UPSERT_CONNECTIONS; do
    reset_progress
    log "$which: progress upsert, ${DURATION}s, $c connections"
    run_wrk "$which-upsert-$c" "$DURATION" "$c" progress.lua "$url" upsert "$LEARNER_KEY" "$WORK/chapter-ids.txt"
  done
  RSS[$which]=$(tree_rss)
  log "$which: RSS after the runs ${RSS[$which]% *} MB in ${RSS[$which]#* } process(es); capturing the response sample"
  capture_samples "$which" "$url"
  stop_service
done
compare_samples
UNEXPECTED=$(cat "$WORK/samples/lectern/unexpected" 2>/dev/null || true)
LOAD_END="$(loadavg)"

# ---------------------------------------------------------------- report
rate() { case "$1" in pgbench-*) awk '/^tps = / {printf "%.0f", $3}' "$WORK/$1.txt" ;; *) wrk_field "$1" rps ;; esac; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "n/a" }'; }
percent() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f %%", 100 * a / b; else print "n/a" }'; }
met() { if awk "BEGIN { exit !($1) }"; then echo met; else echo "not met"; fi; }
secs() { awk -v ms="$1" 'BEGIN { printf "%.2f s", ms / 1000 }'; }
row() { # row <label> <kind: read|upsert> <connections>
  local p l n target
  p=$(rate "pgbench-$2-$3"); l=$(rate "lectern-$2-$3"); n=$(rate "peer-$2-$3")
  if [ "$2" = read ]; then
    target="≥ 1.5× peer and ≥ 60 % of pgbench: $(met "$n > 0 && $p > 0 && $l / $n >= 1.5 && $l / $p >= 0.6")"
  else
    target="≥ 1.2× peer and ≥ 90 % of pgbench: $(met "$n > 0 && $p > 0 && $l / $n >= 1.2 && $l / $p >= 0.9")"
  fi
  echo "| $1, $3 connections | $p tps | $n | $l | **$(ratio "$l" "$n")** | **$(percent "$l" "$p")** | $(percent "$n" "$p") | $target |"
}
row_check() { # row_check <connections>: Lectern against pgbench on the one statement its warm reads send
  local p l
  p=$(rate "pgbench-readcheck-$1"); l=$(rate "lectern-read-$1")
  echo "| Chapter read against Lectern's warm-read statement (bench/chapter-read-check.sql), $1 connections | $p tps | | $l | | **$(percent "$l" "$p")** | | |"
}
run_line() { # run_line <name> <what>
  local f="$WORK/$1.txt"
  case "$1" in
    pgbench-*)
      echo "| $2 | $(rate "$1") tps | $(awk '/^latency average/ {print $4}' "$f") (mean) | - | failed tx: $(awk '/number of failed transactions:/ {print $5}' "$f") | - | - | $(cat "$WORK/$1.load") |" ;;
    *)
      echo "| $2 | $(wrk_field "$1" rps) | $(wrk_field "$1" p50) | $(wrk_field "$1" p99) | $(wrk_field "$1" non2xx) | $(wrk_field "$1" sockerr) | $(wrk_field "$1" cpu_per_req) | $(cat "$WORK/$1.load") |" ;;
  esac
}
ERRORS=0
for n in $(cd "$WORK" && ls ./*-read-*.txt ./*-upsert-*.txt | sed 's|^\./||; s|\.txt$||' | grep -v '^pgbench-'); do
  ERRORS=$(( ERRORS + $(wrk_field "$n" non2xx) + $(wrk_field "$n" sockerr) ))
done
for n in $(cd "$WORK" && ls pgbench-*.txt | sed 's|\.txt$||'); do
  ERRORS=$(( ERRORS + $(awk '/number of failed transactions:/ {print $5}' "$WORK/$n.txt") ))
done

mkdir -p "$BENCH/results"
OUT="$BENCH/results/$STAMP-compare.md"
{
  echo "# Lectern beside a Node peer and pgbench, $DATE_HUMAN"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| Machine | nproc=$NPROC, $CPU_MODEL, $MEM_TOTAL RAM; load average (1/5/15 min) at the start / at the end: $LOAD_BEFORE / $LOAD_END |"
  echo "| Code | $CODE_VERSION (jar built $(date -u -r "$JAR" '+%Y-%m-%d %H:%M UTC')) |"
  echo "| Lectern | $JVM_VERSION; packaged jar, default settings, embedder $EMBEDDER${AOT_CACHE:+, the AOT cache the build trained (-XX:AOTCache)}, pool $POOL_SIZE${JAVA_OPTS:+, JAVA_OPTS=$JAVA_OPTS} |"
  echo "| Node peer | bench/peers/node, Node $NODE_VERSION, $PEER_VERSIONS; $PEER_WORKERS worker(s), pool $POOL_SIZE split between them |"
  echo "| PostgreSQL | $PG_VERSION (max_connections=$PG_MAXCONN; $PG_SETTINGS) |"
  echo "| Load generators | $WRK_VERSION, $THREADS threads; $PGBENCH_VERSION, -M prepared, $THREADS threads |"
  echo "| Data | $CHAPTERS published chapters in one book, chapter JSON $JSON_BYTES B; upserts by one learner over them (random chapter, percent and offset, a fresh eventId each), from empty progress tables |"
  echo "| Runs | ${DURATION}s each, in turn: pgbench, then Lectern, then the peer (each after ${WARMUP}s of reads and ${WARMUP}s of upserts) |"
  echo
  echo "| Measure | pgbench (limit) | Node peer | Lectern | Lectern / peer | Lectern / pgbench | peer / pgbench | Target (issue 16) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|"
  for c in $READ_CONNECTIONS; do row "Chapter read (requests/s)" read "$c"; done
  for c in $READ_CONNECTIONS; do row_check "$c"; done
  for c in $UPSERT_CONNECTIONS; do row "Progress upsert (requests/s)" upsert "$c"; done
  echo "| Process start → first 200 of a chapter read | - | $(secs "${FIRST_200[peer]}") | $(secs "${FIRST_200[lectern]}") | | | | Lectern ≤ 1.0 s on an idle machine: $(met "${FIRST_200[lectern]} <= 1000") |"
  echo "| RSS after the runs | - | ${RSS[peer]% *} MB (${RSS[peer]#* } processes) | ${RSS[lectern]% *} MB | | | | Lectern ≤ 300 MB with a remote embedder: $(met "${RSS[lectern]% *} <= 300") |"
  echo
  echo "| Run | Rate (requests/s) | p50 (ms) | p99 (ms) | Non-2xx | Socket errors | Service CPU ms/request | Load average before -> after |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|"
  for c in $READ_CONNECTIONS; do
    for s in pgbench peer lectern; do run_line "$s-read-$c" "$s, chapter read, $c connections"; done
    run_line "pgbench-readcheck-$c" "pgbench, Lectern's warm-read statement, $c connections"
  done
  for c in $UPSERT_CONNECTIONS; do
    for s in pgbench peer lectern; do run_line "$s-upsert-$c" "$s, progress upsert, $c connections"; done
  done
  echo
  echo "- Byte comparison: **$SAMPLES_SAME of $SAMPLES_TOTAL** sampled responses identical between Lectern and the peer (status, ETag, Content-Type, WWW-Authenticate and body; $SAMPLE seeded chapters with and without If-None-Match, outcomes, escapes, drafts, 404s and 401s; a sequence of upserts and their 400/401/403/404 answers, their now() instants checked for ISO_INSTANT form and masked)"
  [ -z "$SAMPLES_DIFF" ] || echo "- Differences:$SAMPLES_DIFF"
  [ -z "$UNEXPECTED" ] || echo "- Lectern answered a sample request with an unexpected status: $(echo "$UNEXPECTED" | tr '\n' ';')"
  echo "- Errors across the measured runs (non-2xx, socket errors, failed pgbench transactions): $ERRORS"
  echo "- pgbench sends bench/chapter-read.sql (the two statements of a plain read: the peer's, and Lectern's on a cold read), bench/chapter-read-check.sql (the one statement of Lectern's warm reads, ChapterReads) and bench/progress-upsert.sql, with pgbench variables for the parameters (see the files)"
  echo
  echo "Command: \`bench/compare.sh --chapters $CHAPTERS --duration $DURATION --warmup $WARMUP\` (READ_CONNECTIONS=\"$READ_CONNECTIONS\" UPSERT_CONNECTIONS=\"$UPSERT_CONNECTIONS\" THREADS=$THREADS PEER_WORKERS=$PEER_WORKERS)"
} >"$OUT"
for f in "$WORK"/pgbench-*.txt "$WORK"/lectern-*.txt "$WORK"/peer-*.txt; do
  { echo "==== $(basename "$f" .txt)"; cat "$f"; } >>"$BENCH/results/$STAMP-compare-raw.txt"
done
cp "$WORK/lectern.log" "$BENCH/results/$STAMP-compare-lectern.log"
cp "$WORK/peer.log" "$BENCH/results/$STAMP-compare-peer.log"
[ "$SAMPLES_SAME" = "$SAMPLES_TOTAL" ] || cp -r "$WORK/samples" "$BENCH/results/$STAMP-compare-samples"
cat "$OUT"
log "results: $OUT (raw tool output: $BENCH/results/$STAMP-compare-raw.txt)"
[ "$SAMPLES_SAME" = "$SAMPLES_TOTAL" ] && [ -z "$UNEXPECTED" ] || die "the sampled responses of Lectern and the peer differ (see above)"
