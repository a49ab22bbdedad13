#!/usr/bin/env bash
# Ingestion throughput of the semantic index beside the bare embedding model, on the same chunks, in one run.
#
#   bench/ingest.sh --base-url http://127.0.0.1:8090 --api-key KEY --db lectern_bench_search [--chapters 24 --chunks 1200]
#                   [--service-pid PID]   # also report the service's CPU time per chunk during (a)
#
# (a) pipeline: seeds a fresh book through the chapter API (bench/seed-chunks.py: PUT text/markdown, 4 at a time) and
#     times chapter write -> outbox -> chunk -> embed -> Postgres -> vector index until outboxDepth is 0. Rate =
#     chunks of that book / (last chunk row written - first chapter row written), both taken from Postgres' clock.
# (b) bare model: the texts the pipeline embedded (heading path + chunk text, as ChapterIndexer.embeddingText builds
#     them), read back from the chunks table, embedded by OnnxEmbedder alone (EmbeddingThroughputBench, 3 rounds) with
#     the same thread count and batch size as the service.
# Overhead = 1 - pipeline / bare (mean of the bare rounds). Target: at most 15 %. With --service-pid it also compares
# CPU per chunk (the service JVM's user+system time during (a) against the bare JVM's during its rounds), which other
# load on the machine distorts less than wall time; PostgreSQL's own CPU is not in either figure.
# It does not start the service: run one yourself (the worker enabled, nothing else indexing).
set -euo pipefail
cd "$(dirname "$0")/.."

BASE_URL=${BASE_URL:-http://localhost:8080}
API_KEY=${API_KEY:-dev-admin-key}
DB_NAME=${DB_NAME:-}
CHAPTERS=${CHAPTERS:-24}
CHUNKS=${CHUNKS:-1200}
THREADS=${THREADS:-2}          # must match the service's lectern.embedding.threads (default: available processors)
BATCH=${BATCH:-32}             # must match lectern.embedding.batch-size
BOOK=${BOOK:-ingest-$(date -u +%Y%m%dt%H%M%S)}
SERVICE_PID=${SERVICE_PID:-}
PGHOST=${PGHOST:-localhost} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER

while [ $# -gt 0 ]; do
  case "$1" in
    --base-url) BASE_URL=$2; shift 2 ;;
    --api-key) API_KEY=$2; shift 2 ;;
    --db) DB_NAME=$2; shift 2 ;;
    --chapters) CHAPTERS=$2; shift 2 ;;
    --chunks) CHUNKS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --book) BOOK=$2; shift 2 ;;
    --service-pid) SERVICE_PID=$2; shift 2 ;;
    *) echo "ingest.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$DB_NAME" ] || { echo "ingest.sh: --db (the service's database) is required" >&2; exit 2; }
if [ -z "${JAVA_HOME:-}" ]; then
  for j in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do [ -d "$j" ] && export JAVA_HOME=$j && break; done
fi

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p bench/results
OUT=bench/results/$STAMP-ingest.md
RAW=bench/results/$STAMP-ingest-raw.txt
TEXTS=$(mktemp --suffix=.json)
trap 'rm -f "$TEXTS"' EXIT

psqlq() { psql -X -At -v ON_ERROR_STOP=1 -d "$DB_NAME" "$@"; }
cpu_seconds() {   # user + system time of a process, in seconds
  [ -n "$SERVICE_PID" ] || { echo 0; return; }
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$SERVICE_PID/stat"
}
# shellcheck source=bench/lib.sh
source bench/lib.sh
depth() { outbox_depth "$BASE_URL" "$API_KEY"; }   # polled every 0.5 s while (a) runs

[ "$(depth)" = 0 ] || { echo "ingest.sh: outboxDepth is not 0 before the start; let the index settle first" >&2; exit 1; }
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load before (a): $LOAD_START" | tee "$RAW"

# (a) the pipeline
T0=$(date +%s.%N)
CPU0=$(cpu_seconds)
python3 bench/seed-chunks.py --base-url "$BASE_URL" --api-key "$API_KEY" --book "$BOOK" \
  --chapters "$CHAPTERS" --chunks "$CHUNKS" >>"$RAW" 2>&1
T_PUT=$(date +%s.%N)
while [ "$(depth)" != 0 ]; do sleep 0.5; done
T1=$(date +%s.%N)
CPU1=$(cpu_seconds)
LOAD_A=$(cut -d' ' -f1-3 /proc/loadavg)

read -r N_CHUNKS SPAN MEAN_TOKENS < <(psqlq -F' ' -c "
  SELECT count(*), extract(epoch FROM max(k.created_at) - (SELECT min(c2.created_at) FROM chapters c2 WHERE c2.book_id = b.id)),
         round(avg(k.token_count))
    FROM chunks k JOIN chapters c ON c.id = k.chapter_id JOIN books b ON b.id = c.book_id
   WHERE b.slug = '$BOOK' GROUP BY b.id")
N_EMBEDDED=$(psqlq -c "SELECT count(*) FROM chunks k JOIN chapters c ON c.id = k.chapter_id JOIN books b ON b.id = c.book_id
                        WHERE b.slug = '$BOOK' AND k.embedding IS NOT NULL")
psqlq -c "SELECT json_agg(array_to_string(k.heading_path, ' › ') || E'\n\n' || k.text ORDER BY c.slug, k.ordinal)
            FROM chunks k JOIN chapters c ON c.id = k.chapter_id JOIN books b ON b.id = c.book_id
           WHERE b.slug = '$BOOK'" >"$TEXTS"
PUT_S=$(python3 -c "print(f'{$T_PUT - $T0:.1f}')")
WALL_S=$(python3 -c "print(f'{$T1 - $T0:.1f}')")
echo "pipeline: $N_CHUNKS chunks ($N_EMBEDDED embedded), span $SPAN s (db), PUTs took $PUT_S s, client wall $WALL_S s" | tee -a "$RAW"

# (b) the bare model on the same texts
LOAD_B=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load before (b): $LOAD_B" | tee -a "$RAW"
./mvnw -B test -Dtest=EmbeddingThroughputBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.texts="$TEXTS" -Dbench.threads="$THREADS" -Dbench.rounds=3 >"$RAW.mvn" 2>&1 \
  || { cat "$RAW.mvn" >>"$RAW"; rm -f "$RAW.mvn"; echo "ingest.sh: the bare bench failed, see $RAW" >&2; exit 1; }
grep '\[bench\]' "$RAW.mvn" | tee -a "$RAW"
BARE=$(grep -o '= [0-9.]* chunks/s' "$RAW.mvn" | awk '{s += $2; n++} END {if (n) printf "%.1f", s / n}')
BARE_ROUNDS=$(grep -o '= [0-9.]* chunks/s' "$RAW.mvn" | awk '{printf "%s%s", sep, $2; sep=" / "}')
BARE_CPU=$(grep -o '= [0-9.]* ms/chunk' "$RAW.mvn" | awk '{s += $2; n++} END {if (n) printf "%.1f", s / n}')
rm -f "$RAW.mvn"
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$OUT" <<EOF
import sys
chunks, span, bare = int("$N_CHUNKS"), float("$SPAN"), float("$BARE")
service_cpu, bare_cpu = float("$CPU1") - float("$CPU0"), float("${BARE_CPU:-0}")
cpu_line = "" if not "$SERVICE_PID" else (
    f"CPU per chunk: pipeline {service_cpu * 1000 / chunks:.1f} ms (the service JVM, {service_cpu:.1f} s over the run), "
    f"bare {bare_cpu:.1f} ms (mean of the rounds): the pipeline costs {service_cpu * 1000 / chunks / bare_cpu - 1:+.1%} "
    "CPU per chunk in the JVM, PostgreSQL not counted.\n")
pipeline = chunks / span
overhead = 1 - pipeline / bare
verdict = "met" if overhead <= 0.15 else "not met"
report = f"""# Ingestion throughput, $STAMP

| | |
|---|---|
| Book | \`$BOOK\`: $CHAPTERS chapters from bench/seed-chunks.py, $N_CHUNKS chunks (mean $MEAN_TOKENS tokens), $N_EMBEDDED embedded |
| Load average | before (a) $LOAD_START; after (a) $LOAD_A; before (b) $LOAD_B; end $LOAD_END |
| Embedder | OnnxEmbedder, $THREADS threads, batch $BATCH (bare run); the service's own settings for (a) |

| Run | Chunks | Seconds | Chunks/s |
|---|---:|---:|---:|
| (a) pipeline: first chapter written -> last chunk row written (PUTs took $PUT_S s; client saw outboxDepth 0 after $WALL_S s) | {chunks} | {span:.1f} | **{pipeline:.1f}** |
| (b) bare OnnxEmbedder on the same {chunks} texts, rounds $BARE_ROUNDS | {chunks} | {chunks / bare:.1f} (mean) | **{bare:.1f}** |

Overhead 1 - (a)/(b) = **{overhead:.1%}**; target at most 15 %: **{verdict}**.

{cpu_line}"""
open(sys.argv[1], "w").write(report)
print(report)
EOF
echo "written: $OUT (raw: $RAW)"
