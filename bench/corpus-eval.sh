#!/usr/bin/env bash
# Lectern retrieval quality on real Docusaurus books. Starts the packaged service on a scratch database, imports
# each corpus the way a user would (the folder holding sidebars.js and the docs folder, zipped, POSTed to
# /api/v1/books/{book}/import), times the import and the indexing until the outbox is empty, then runs
# bench/search-eval.py in corpus mode on each (search modes and context packs) and, with --sample, on the sample
# book's set as well. Reports go to bench/results/<UTC>-corpus-eval/ (git-ignored); a summary is printed.
# See bench/README.md ("Retrieval quality on real books"). The service is stopped and the database dropped on exit.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="$REPO/bench"
# shellcheck source=bench/lib.sh
source "$BENCH/lib.sh"

usage() {
  cat <<'EOF'
Usage: bench/corpus-eval.sh [--sample] [--corpora LIST] [--corpora-dir DIR] [--questions-dir DIR] [--modes LIST]
                            [--token-budget N] [--build] [--keep-db]
  --sample             also load the sample book and run bench/eval/questions.json (all three sets in one run)
  --corpora LIST       comma-separated corpus folders to import and evaluate (env CORPORA,
                       default redux-docs,tech-interview-handbook; "" with --sample for the sample book only)
  --corpora-dir DIR    where the corpus folders are (env CORPORA_DIR, default /work/shared/corpora)
  --questions-dir DIR  where <corpus>.json question files are (env QUESTIONS_DIR, default bench/eval)
  --modes LIST         search modes (env MODES, default dense,fulltext,hybrid)
  --token-budget N     context pack budget (env TOKEN_BUDGET, default 1500)
  --build              rebuild target/quarkus-app/quarkus-run.jar even if it exists
  --keep-db            leave the database in place afterwards (env KEEP_DB=1)
Other knobs (env): PORT=18086 DB_NAME=lectern_corpus_eval READY_TIMEOUT=120 INDEX_TIMEOUT=1800
  PGHOST=localhost PGPORT=5432 PGUSER=postgres JAVA_OPTS= (and any LECTERN_* setting, passed to the service)
EOF
}

BUILD=0
KEEP_DB="${KEEP_DB:-0}"
SAMPLE=0
CORPORA="${CORPORA-redux-docs,tech-interview-handbook}"
CORPORA_DIR="${CORPORA_DIR:-/work/shared/corpora}"
QUESTIONS_DIR="${QUESTIONS_DIR:-$BENCH/eval}"
MODES="${MODES:-dense,fulltext,hybrid}"
TOKEN_BUDGET="${TOKEN_BUDGET:-1500}"
while [ $# -gt 0 ]; do
  case "$1" in
    --sample) SAMPLE=1 ;;
    --corpora) CORPORA="$2"; shift ;;
    --corpora-dir) CORPORA_DIR="$2"; shift ;;
    --questions-dir) QUESTIONS_DIR="$2"; shift ;;
    --modes) MODES="$2"; shift ;;
    --token-budget) TOKEN_BUDGET="$2"; shift ;;
    --build) BUILD=1 ;;
    --keep-db) KEEP_DB=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
PORT="${PORT:-18086}"
DB_NAME="${DB_NAME:-lectern_corpus_eval}"
READY_TIMEOUT="${READY_TIMEOUT:-120}"
INDEX_TIMEOUT="${INDEX_TIMEOUT:-1800}"
export PGHOST="${PGHOST:-localhost}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
BASE="http://127.0.0.1:$PORT"

IFS=',' read -r -a CORPUS_LIST <<<"$CORPORA"
[ "${#CORPUS_LIST[@]}" -gt 0 ] || [ "$SAMPLE" = 1 ] || { echo "nothing to evaluate: give --corpora or --sample" >&2; exit 2; }
for v in TOKEN_BUDGET READY_TIMEOUT INDEX_TIMEOUT PORT; do
  [[ "${!v}" =~ ^[0-9]+$ ]] && [ "${!v}" -ge 1 ] || { echo "$v must be a positive integer (got '${!v}')" >&2; exit 2; }
done
[[ "$DB_NAME" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "DB_NAME must be a plain lower-case identifier (got '$DB_NAME')" >&2; exit 2; }
case "$DB_NAME" in lectern_dev|lectern_test) echo "DB_NAME $DB_NAME is dropped and recreated: use a scratch name" >&2; exit 2 ;; esac
for corpus in "${CORPUS_LIST[@]}"; do
  [[ "$corpus" =~ ^[a-z0-9]+(-[a-z0-9]+)*$ ]] || { echo "corpus '$corpus' is not usable as a book slug" >&2; exit 2; }
  [ -d "$CORPORA_DIR/$corpus" ] || { echo "no corpus folder $CORPORA_DIR/$corpus" >&2; exit 2; }
  [ -f "$QUESTIONS_DIR/$corpus.json" ] || { echo "no question file $QUESTIONS_DIR/$corpus.json (see --questions-dir)" >&2; exit 2; }
done

log() { printf '[corpus-eval %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# ---------------------------------------------------------------- cleanup (lib.sh: stops the service, drops the db)
WORK="$(mktemp -d /tmp/lectern-corpus-eval.XXXXXX)"
SERVICE_PID=""
install_bench_cleanup

# ---------------------------------------------------------------- tools, environment record
pick_java_home
for tool in curl python3 psql pg_isready awk; do command -v "$tool" >/dev/null 2>&1 || die "$tool is required"; done
[ -x "$JAVA_HOME/bin/jar" ] || die "$JAVA_HOME/bin/jar is missing (a JDK, not a JRE, is needed to zip the corpora)"
pg_isready -q || die "PostgreSQL is not accepting connections on $PGHOST:$PGPORT"
ensure_jar

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
DATE_HUMAN="$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
LOAD_BEFORE="$(uptime | sed 's/.*load average: *//')"
JVM_VERSION="$("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p)"
CODE_VERSION="$(cd "$REPO" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ "$CODE_VERSION" != unknown ] && [ -n "$(cd "$REPO" && git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  CODE_VERSION="$CODE_VERSION + uncommitted changes"
fi
OUT="$BENCH/results/$STAMP-corpus-eval"
mkdir -p "$OUT"
ln -s "$OUT/service.log" "$WORK/service.log"   # bench_cleanup shows its tail after a failure
log "nproc=$(nproc) load before start: $LOAD_BEFORE; results in $OUT"

# ---------------------------------------------------------------- database + service
if curl -s -o /dev/null "$BASE/q/health/ready"; then die "something already listens on port $PORT"; fi
log "recreating database $DB_NAME"
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" -c "CREATE DATABASE $DB_NAME" >/dev/null

ADMIN_KEY="corpus-eval-admin-$RANDOM$RANDOM"
SAMPLE_LOAD=false; [ "$SAMPLE" = 1 ] && SAMPLE_LOAD=true
log "starting the service on port $PORT (sample book: $SAMPLE_LOAD)"
# shellcheck disable=SC2086
DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$DB_NAME" PORT="$PORT" LECTERN_ADMIN_API_KEY="$ADMIN_KEY" \
  LECTERN_SAMPLE_BOOK_LOAD="$SAMPLE_LOAD" \
  "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} --add-opens java.base/java.lang=ALL-UNNAMED -jar "$JAR" >"$OUT/service.log" 2>&1 &
SERVICE_PID=$!
deadline=$((SECONDS + READY_TIMEOUT))
until curl -sf -o /dev/null "$BASE/q/health/ready"; do
  kill -0 "$SERVICE_PID" 2>/dev/null || die "the service exited during start-up"
  [ "$SECONDS" -lt "$deadline" ] || die "the service was not ready after ${READY_TIMEOUT}s"
  sleep 0.5
done
log "service ready after $((SECONDS - deadline + READY_TIMEOUT))s"
if [ "$SAMPLE" = 1 ]; then
  T0=$(now); await_index_settled "$BASE" "$ADMIN_KEY" "$INDEX_TIMEOUT"; SAMPLE_INDEX_S=$(secs "$T0" "$(now)")
fi

# ---------------------------------------------------------------- import and index each corpus
# book_chunks <slug>: chapters and chunks the index holds for the book.
book_chunks() {
  psql -X -At -F' ' -d "$DB_NAME" -c "SELECT count(DISTINCT c.id), count(k.id) FROM books b JOIN chapters c ON c.book_id = b.id
    LEFT JOIN chunks k ON k.chapter_id = c.id WHERE b.slug = '$1' AND c.deleted_at IS NULL"
}
declare -A IMPORT_LINE
for corpus in "${CORPUS_LIST[@]}"; do
  zip="$WORK/$corpus.zip"
  # The folder itself, as a user zips it: entries <corpus>/sidebars.js, <corpus>/<docs folder>/..., deflated.
  "$JAVA_HOME/bin/jar" cfM "$zip" -C "$CORPORA_DIR" "$corpus"
  zip_kb=$(( $(stat -c %s "$zip") / 1024 ))
  title=$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1], encoding="utf-8")); print(d.get("title") or sys.argv[2])' \
    "$QUESTIONS_DIR/$corpus.json" "$corpus")
  body=$(python3 -c 'import json, sys; print(json.dumps({"slug": sys.argv[1], "title": sys.argv[2], "language": "en"}))' "$corpus" "$title")
  code=$(curl -s -o "$WORK/book.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' -H "X-Api-Key: $ADMIN_KEY" \
    -d "$body" "$BASE/api/v1/books")
  [ "$code" = 201 ] || die "creating the book $corpus answered $code: $(cat "$WORK/book.json")"
  log "$corpus: importing ${zip_kb} KB"
  T0=$(now)
  code=$(curl -s -o "$OUT/$corpus-import.json" -w '%{http_code}' -X POST -H 'Content-Type: application/zip' \
    -H "X-Api-Key: $ADMIN_KEY" --data-binary @"$zip" "$BASE/api/v1/books/$corpus/import")
  T1=$(now)
  [ "$code" = 200 ] || [ "$code" = 201 ] || die "importing $corpus answered $code: $(head -c 500 "$OUT/$corpus-import.json")"
  IMPORT_S=$(secs "$T0" "$T1")
  counts=$(python3 - "$OUT/$corpus-import.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
failed = [f"{f['path']} ({f.get('error', '?')})" for f in d.get("files", []) if f.get("status") == "failed"]
print(f"{len(d.get('files', []))} files: {d.get('created', 0)} created, {d.get('updated', 0)} updated, "
      f"{d.get('unchanged', 0)} unchanged, {d.get('failed', 0)} failed" + (": " + "; ".join(failed) if failed else ""))
EOF
)
  log "$corpus: import took ${IMPORT_S}s ($counts); waiting for the index"
  await_index_settled "$BASE" "$ADMIN_KEY" "$INDEX_TIMEOUT"
  T2=$(now)
  # Full text weighs terms by PostgreSQL's statistics of the column; autovacuum refreshes them within a minute or so of
  # a large import. Take them now, so that every run measures the same thing rather than racing autovacuum.
  psql -X -q -d "$DB_NAME" -c "ANALYZE chunks" >/dev/null
  INDEX_S=$(secs "$T1" "$T2")
  read -r n_chapters n_chunks < <(book_chunks "$corpus")
  rate=$(awk -v n="$n_chunks" -v s="$INDEX_S" 'BEGIN { printf "%.1f", (s > 0 ? n / s : 0) }')
  IMPORT_LINE[$corpus]="Import **${IMPORT_S} s** ($zip_kb KB zip; $counts). Indexing **${INDEX_S} s** from the import's answer until the outbox was empty, $(secs "$T0" "$T2") s from its request ($n_chapters chapters, $n_chunks chunks, $rate chunks/s over the former)"
  log "$corpus: indexed in ${INDEX_S}s ($n_chunks chunks)"
done

# ---------------------------------------------------------------- evaluate (every book loaded and indexed)
EVAL_FAILED=0
for corpus in "${CORPUS_LIST[@]}"; do
  log "$corpus: search-eval.py ($MODES, context packs of $TOKEN_BUDGET tokens)"
  rc=0
  python3 "$BENCH/search-eval.py" --base-url "$BASE" --api-key "$ADMIN_KEY" --questions "$QUESTIONS_DIR/$corpus.json" \
    --book "$corpus" --chapter-map "$OUT/$corpus-import.json" --modes "$MODES" --token-budget "$TOKEN_BUDGET" \
    --json-out "$OUT/$corpus.json" >"$OUT/$corpus.md" 2>"$WORK/$corpus.err" || rc=$?
  cat "$WORK/$corpus.err" >&2
  [ "$rc" = 0 ] || { log "search-eval.py failed on $corpus (exit $rc)"; EVAL_FAILED=1; }
done
if [ "$SAMPLE" = 1 ]; then
  log "sample book: search-eval.py on bench/eval/questions.json"
  rc=0
  python3 "$BENCH/search-eval.py" --base-url "$BASE" --api-key "$ADMIN_KEY" --questions "$BENCH/eval/questions.json" \
    --modes "$MODES" --json-out "$OUT/sample.json" >"$OUT/sample.md" 2>"$WORK/sample.err" || rc=$?
  cat "$WORK/sample.err" >&2
  [ "$rc" = 0 ] || { log "search-eval.py failed on the sample book (exit $rc)"; EVAL_FAILED=1; }
fi
LOAD_END="$(uptime | sed 's/.*load average: *//')"
SERVICE_ERRORS=$(grep -c -E '^[0-9:,]+ +ERROR' "$OUT/service.log" || true)

# ---------------------------------------------------------------- summary
{
  echo "# Lectern retrieval on real books, $DATE_HUMAN"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| Code | $CODE_VERSION (jar built $(date -u -r "$JAR" '+%Y-%m-%d %H:%M UTC')) |"
  echo "| Machine | nproc=$(nproc); load average (1/5/15 min) before start / at the end: $LOAD_BEFORE / $LOAD_END |"
  echo "| JVM | $JVM_VERSION |"
  echo "| Service | packaged jar on port $PORT, database $DB_NAME, service defaults otherwise (in-process vector index unless QDRANT_URL is set; $SERVICE_ERRORS ERROR lines in its log) |"
  echo "| Evaluation | modes $MODES; real books: search limit 10, recall at 5, MRR at 10, context packs of $TOKEN_BUDGET tokens, questions from $QUESTIONS_DIR; sample book: limit, recall and MRR at 5 |"
  for corpus in "${CORPUS_LIST[@]}"; do
    echo
    echo "## $corpus"
    echo
    echo "${IMPORT_LINE[$corpus]}."
    echo
    if [ -s "$OUT/$corpus.md" ]; then
      # The report without its title and without the lists of missed questions; headings one level down.
      awk '/^## Missed questions/ {exit} NR > 2 {sub(/^## /, "### "); print}' "$OUT/$corpus.md" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
    else
      echo "(no report: search-eval.py failed, see the log)"
    fi
    echo
    echo "Full report with the missed questions: \`$OUT/$corpus.md\`; per question: \`$OUT/$corpus.json\`."
  done
  if [ "$SAMPLE" = 1 ]; then
    echo
    echo "## Sample book (bench/eval/questions.json)"
    echo
    echo "Loaded at start (LECTERN_SAMPLE_BOOK_LOAD=true); indexed ${SAMPLE_INDEX_S} s after readiness."
    echo
    cat "$OUT/sample.md"
  fi
  echo
  SAMPLE_FLAG=""; [ "$SAMPLE" = 1 ] && SAMPLE_FLAG=" --sample"
  echo "Command: \`bench/corpus-eval.sh$SAMPLE_FLAG --corpora '$CORPORA' --modes $MODES --token-budget $TOKEN_BUDGET\`"
} >"$OUT/summary.md"
cat "$OUT/summary.md"
log "results: $OUT (summary.md, <corpus>.md and .json, <corpus>-import.json, service.log)"
[ "$EVAL_FAILED" = 0 ] || die "an evaluation failed"
