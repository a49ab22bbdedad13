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
