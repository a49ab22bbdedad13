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

# Stops a process with SIGTERM, waiting up to <seconds> (default 15) before SIGKILL.
stop_pid() {
  local pid="$1" waits=$(( ${2:-15} * 2 ))
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 "$waits"); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    wait "$pid" 2>/dev/null || true
  fi
  return 0
}
