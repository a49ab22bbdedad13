#!/usr/bin/env bash
# Lectern search latency: wrk against POST /api/v1/search of a running service, once per mode (dense, fulltext,
# hybrid), rotating over the evaluation questions as queries. Prints requests/s and p50/p90/p99/max per mode.
# It does not start the service or seed data: see bench/README.md (seed-chunks.py for the 50,000-chunk index).
# Every wrk run is bounded by its duration plus a timeout.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="$REPO/bench"

usage() {
  cat <<'EOF'
Usage: bench/search.sh [--base-url URL] [--api-key KEY] [--modes dense,fulltext,hybrid] [--duration S] [--warmup S]
                       [--book SLUG] [--limit N] [--questions FILE] [--label TEXT]
  --base-url URL     running service (env BASE_URL, default http://localhost:8080)
  --api-key KEY      sent as X-Api-Key (env API_KEY, default dev-admin-key, the dev-mode admin key)
  --modes LIST       comma-separated search modes (env MODES, default dense,fulltext,hybrid)
  --duration S       seconds per measured run (env DURATION, default 30)
  --warmup S         seconds of warm-up per mode, not measured; 0 skips it (env WARMUP, default 10)
  --book SLUG        add filters.book to every query (env BOOK; default none: the whole index is searched)
  --limit N          hits per query (env LIMIT, default 10, the API's default)
  --questions FILE   queries come from this evaluation set (default bench/eval/questions.json)
  --label TEXT       names the run in the report, e.g. "in-process" or "qdrant" (env LABEL)
Other knobs (env): CONNECTIONS=16 THREADS=2
EOF
}

BASE_URL="${BASE_URL:-http://localhost:8080}"
API_KEY="${API_KEY:-dev-admin-key}"
MODES="${MODES:-dense,fulltext,hybrid}"
DURATION="${DURATION:-30}"
WARMUP="${WARMUP:-10}"
BOOK="${BOOK:-}"
LIMIT="${LIMIT:-10}"
QUESTIONS="$BENCH/eval/questions.json"
LABEL="${LABEL:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --base-url) BASE_URL="$2"; shift ;;
    --api-key) API_KEY="$2"; shift ;;
    --modes) MODES="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --warmup) WARMUP="$2"; shift ;;
    --book) BOOK="$2"; shift ;;
    --limit) LIMIT="$2"; shift ;;
    --questions) QUESTIONS="$2"; shift ;;
    --label) LABEL="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
CONNECTIONS="${CONNECTIONS:-16}"
THREADS="${THREADS:-2}"
for v in DURATION LIMIT CONNECTIONS THREADS; do
  [[ "${!v}" =~ ^[0-9]+$ ]] && [ "${!v}" -ge 1 ] || { echo "$v must be a positive integer (got '${!v}')" >&2; exit 2; }
done
[[ "$WARMUP" =~ ^[0-9]+$ ]] || { echo "WARMUP must be a whole number (got '$WARMUP')" >&2; exit 2; }
[ "$LIMIT" -le 50 ] || { echo "LIMIT must be at most 50 (the API's maximum)" >&2; exit 2; }
IFS=',' read -r -a MODE_LIST <<<"$MODES"
for m in "${MODE_LIST[@]}"; do
  case "$m" in dense|fulltext|hybrid) ;; *) echo "unknown mode '$m' (dense, fulltext or hybrid)" >&2; exit 2 ;; esac
done
[ -f "$QUESTIONS" ] || { echo "no questions file at $QUESTIONS" >&2; exit 2; }
BASE_URL="${BASE_URL%/}"
SEARCH_URL="$BASE_URL/api/v1/search"

log() { printf '[search-bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

WORK="$(mktemp -d /tmp/lectern-search-bench.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

if ! command -v wrk >/dev/null 2>&1; then
  log "installing wrk"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq wrk >/dev/null || die "could not install wrk"
fi
for tool in wrk python3 curl awk timeout; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is required"
done

# bodies <mode> <file>: one JSON request body per line, one line per question of the evaluation set.
bodies() {
  python3 - "$QUESTIONS" "$1" "$LIMIT" "$BOOK" >"$2" <<'EOF'
import json, sys
path, mode, limit, book = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
data = json.load(open(path, encoding="utf-8"))
for q in data["questions"] if isinstance(data, dict) else data:
    body = {"query": q["question"], "limit": limit, "mode": mode}
    if book:
        body["filters"] = {"book": book}
    print(json.dumps(body, separators=(",", ":")))
EOF
}

# Converts wrk's latency strings (123.45us, 1.23ms, 1.02s, 1.50m) to milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
  if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000; printf "%.2f", n }'; }

# run_wrk <name> <seconds> <bodies file>; raw output in $WORK/<name>.txt
run_wrk() {
  timeout --kill-after=10 $(($2 + 30)) wrk -t "$THREADS" -c "$CONNECTIONS" -d "${2}s" --timeout 5s --latency \
    -s "$BENCH/search.lua" "$SEARCH_URL" -- "$3" "$API_KEY" >"$WORK/$1.txt" 2>&1 || die "wrk $1 failed: $(cat "$WORK/$1.txt")"
}

# field <name> rps|p50|p90|p99|max|mean|non2xx|sockerr|requests|statuses|samples
field() {
  local f="$WORK/$1.txt"
  case "$2" in
    rps) awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$f" ;;
    p50|p90|p99|max|mean) awk -v k="$2" '/^LATENCY_MS / { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' "$f" ;;
    non2xx) awk '/Non-2xx or 3xx responses:/ {n = $NF} END {print n + 0}' "$f" ;;
    sockerr) awk '/Socket errors:/ {gsub(",", ""); s = $4 + $6 + $8 + $10} END {print s + 0}' "$f" ;;
    requests) awk '/requests in/ {print $1}' "$f" ;;
    statuses) awk '/^STATUS / {printf "%s%s: %s", sep, $2, $3; sep = ", "}' "$f" ;;
    samples) awk '/^SAMPLE / {sub(/^SAMPLE /, ""); print}' "$f" ;;
  esac
}

# ---------------------------------------------------------------- environment record
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
DATE_HUMAN="$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
CODE_VERSION="$(cd "$REPO" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
WRK_VERSION="$( (wrk -v 2>&1 || true) | head -n 1 | awk '{print $1, $2}')"
bodies hybrid "$WORK/count.bodies"
QUESTION_COUNT=$(wc -l <"$WORK/count.bodies")
LOAD_BEFORE="$(uptime | sed 's/.*load average: *//')"

# The index should have settled (every chapter write embedded and indexed) before latency means anything.
STATS="admin stats unavailable"
code=$(curl -s -o "$WORK/stats.json" -w '%{http_code}' -H "X-Api-Key: $API_KEY" "$BASE_URL/api/v1/admin/stats" || true)
if [ "$code" = 200 ]; then
  OUTBOX=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("outboxDepth"))' "$WORK/stats.json")
  STATS="outboxDepth=$OUTBOX"
  if [ "$OUTBOX" != 0 ] && [ "$OUTBOX" != None ]; then
    log "WARNING: outboxDepth is $OUTBOX: the index is still catching up, so latencies include indexing work"
  fi
else
  STATS="admin stats: HTTP ${code:-none}"
  log "GET /api/v1/admin/stats answered ${code:-nothing}; cannot tell whether the index has settled"
fi

log "$QUESTION_COUNT queries from $QUESTIONS, limit $LIMIT, book filter: ${BOOK:-none}; $CONNECTIONS connections, $THREADS threads"
for mode in "${MODE_LIST[@]}"; do
  bodies "$mode" "$WORK/$mode.bodies"
  # One request first: a 401/404/503 would otherwise be timed as if it were a search.
  head -n 1 "$WORK/$mode.bodies" >"$WORK/probe.body"
  code=$(curl -s -o "$WORK/probe.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    -H "X-Api-Key: $API_KEY" --data-binary @"$WORK/probe.body" "$SEARCH_URL" || true)
  [ "$code" = 200 ] || die "probe search ($mode) answered ${code:-nothing}: $(head -c 500 "$WORK/probe.json" 2>/dev/null)"
  if [ "$WARMUP" -gt 0 ]; then
    log "$mode: warm-up ${WARMUP}s"
    run_wrk "warmup-$mode" "$WARMUP" "$WORK/$mode.bodies"
  fi
  log "$mode: ${DURATION}s"
  run_wrk "$mode" "$DURATION" "$WORK/$mode.bodies"
done
LOAD_END="$(uptime | sed 's/.*load average: *//')"

# ---------------------------------------------------------------- report
mkdir -p "$BENCH/results"
OUT="$BENCH/results/$STAMP-search.md"
ERRORS=0
{
  echo "# Lectern search latency${LABEL:+ ($LABEL)}, $DATE_HUMAN"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| Service | $BASE_URL ($STATS) |"
  echo "| Code | $CODE_VERSION |"
  echo "| Machine | nproc=$(nproc), load average before / after: $LOAD_BEFORE / $LOAD_END |"
  echo "| Load | $WRK_VERSION, $CONNECTIONS connections, $THREADS threads, ${DURATION}s per mode after ${WARMUP}s warm-up |"
  echo "| Queries | $QUESTION_COUNT questions of $(basename "$QUESTIONS") in rotation, limit $LIMIT, book filter: ${BOOK:-none} |"
  echo
  echo "| Mode | Requests/s | p50 (ms) | p90 (ms) | p99 (ms) | Max (ms) | Non-2xx | Socket errors |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  for mode in "${MODE_LIST[@]}"; do
    echo "| $mode | $(field "$mode" rps) | $(field "$mode" p50) | $(field "$mode" p90) | $(field "$mode" p99) | $(field "$mode" max) | $(field "$mode" non2xx) | $(field "$mode" sockerr) |"
  done
  echo
  for mode in "${MODE_LIST[@]}"; do
    echo "- $mode: $(field "$mode" requests) requests, status codes: $(field "$mode" statuses); wrk --latency p50/p99: $(to_ms "$(awk '$1 == "50%" {print $2}' "$WORK/$mode.txt")") / $(to_ms "$(awk '$1 == "99%" {print $2}' "$WORK/$mode.txt")") ms"
    if [ -n "$(field "$mode" samples)" ]; then
      echo "  - first body of each non-2xx status: $(field "$mode" samples | head -n 3 | tr '\n' ' ')"
    fi
  done
  echo
  echo "Command: \`bench/search.sh --base-url $BASE_URL --modes $MODES --duration $DURATION --warmup $WARMUP --limit $LIMIT${BOOK:+ --book $BOOK}\` (CONNECTIONS=$CONNECTIONS THREADS=$THREADS)"
} >"$OUT"
for mode in "${MODE_LIST[@]}"; do
  ERRORS=$((ERRORS + $(field "$mode" non2xx) + $(field "$mode" sockerr)))
  { echo "==== $mode"; cat "$WORK/$mode.txt"; } >>"$BENCH/results/$STAMP-search-raw.txt"
done
cat "$OUT"
log "results: $OUT (raw wrk output: $BENCH/results/$STAMP-search-raw.txt)"
[ "$ERRORS" -eq 0 ] || die "$ERRORS non-2xx responses or socket errors during the measured runs"
