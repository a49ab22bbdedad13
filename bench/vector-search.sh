#!/usr/bin/env bash
# Single-query latency of the in-process vector index (exact cosine scan): 50,000 x 384 by default.
# Usage: bench/vector-search.sh [points] [dimension] [queries] [limit]
# Compiles the test classes if needed; runs in a plain JVM (no Quarkus, no database).
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO"
CP_FILE="$(mktemp)"
trap 'rm -f "$CP_FILE"' EXIT
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >/dev/null
exec java -Djava.util.logging.manager=org.jboss.logmanager.LogManager ${JAVA_OPTS:-} -cp "target/classes:target/test-classes:$(cat "$CP_FILE")" \
  dev.lectern.index.vector.InProcessSearchBench "$@"
