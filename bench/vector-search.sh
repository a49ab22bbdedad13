#!/usr/bin/env bash
# Recall and single-query latency of the in-process vector index: its shortlist search against its exact scan, on the same
# points and queries (dev.lectern.index.vector.InProcessSearchBench, in a plain JVM: no Quarkus, no database).
# Usage: bench/vector-search.sh [--real] [points=66000] [dimension=384] [queries=300] [limit=10]
#   --real   real embeddings instead of random vectors: the passages of shared/corpora's books and the evaluation
#            questions through the in-process model (CorpusVectors), embedded once into target/bench-vectors/
#   JAVA_OPTS, e.g. -Dbench.shortlist=20,50,100 -Dbench.mix=66000 -Dbench.copies=1100 -Dbench.exactBelow=0
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO"
REAL=""
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if [ "${1:-}" = "--real" ]; then REAL=1; shift; fi
CP_FILE="$(mktemp)"
trap 'rm -f "$CP_FILE"' EXIT
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >/dev/null
CP="target/classes:target/test-classes:$(cat "$CP_FILE")"
PROPS=()
if [ -n "$REAL" ]; then
  CORPORA="${CORPORA:-$REPO/../shared/corpora}"
  [ -d "$CORPORA" ] || CORPORA=/work/shared/corpora
  OUT="$REPO/target/bench-vectors"
  if [ ! -f "$OUT/corpus-queries.bin" ]; then
    "$JAVA" -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$CP" \
      dev.lectern.index.vector.CorpusVectors "$CORPORA" "$REPO/bench/eval" "$OUT"
  fi
  PROPS=(-Dbench.vectors="$OUT/corpus-vectors.bin" -Dbench.queries="$OUT/corpus-queries.bin")
fi
# shellcheck disable=SC2086
exec "$JAVA" -Djava.util.logging.manager=org.jboss.logmanager.LogManager ${JAVA_OPTS:-} "${PROPS[@]}" -cp "$CP" \
  dev.lectern.index.vector.InProcessSearchBench "$@"
