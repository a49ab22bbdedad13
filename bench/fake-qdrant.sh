#!/usr/bin/env bash
# Runs the in-test fake Qdrant (src/test/java/dev/lectern/index/vector/FakeQdrantServer, exact cosine scan in Java) as
# its own process on a free loopback port, for bench/search.sh runs of the Qdrant adapter where no Qdrant binary exists:
#
#   bench/fake-qdrant.sh bench-qdrant-key &      # prints FAKE_QDRANT_URL=http://127.0.0.1:PORT
#   QDRANT_URL=http://127.0.0.1:PORT QDRANT_API_KEY=bench-qdrant-key java -jar target/quarkus-app/quarkus-run.jar
#
# Its numbers measure the adapter, the client and the gRPC path, not Qdrant's HNSW. Stop it with kill.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${JAVA_HOME:-}" ]; then
  for j in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do [ -d "$j" ] && export JAVA_HOME=$j && break; done
fi
CP_FILE=$(mktemp)
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >/dev/null \
  || { rm -f "$CP_FILE"; exit 1; }
CP="target/classes:target/test-classes:$(cat "$CP_FILE")"
rm -f "$CP_FILE"
exec "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -cp "$CP" dev.lectern.index.vector.FakeQdrantMain "${1:-${QDRANT_API_KEY:-}}"
