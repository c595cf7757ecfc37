# shellcheck shell=bash
# Shared helpers of scripts/services/{kafka,elasticsearch}.sh. Sourced, not run.
#
# A service script sets, before sourcing this file:
#   SERVICE         short name (kafka, elasticsearch): prefix of every message,
#                   Maven profile in pom.xml and folder name under .services/
# and, after sourcing it, PROCESS_MARKER: a string only its server's command line contains
# (used to tell our server from an unrelated process that got the same pid after a crash).
#
# Layout (everything git-ignored under .services/):
#   .services/lib/<service>/         jars copied from Maven Central (see pom.xml)
#   .services/<service>/<service>.pid
#   .services/<service>/<service>.log
#   .services/<service>/...          data, generated config

SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPTS_DIR/../.." && pwd)"
SERVICES_DIR="${SERVICES_DIR:-$REPO_ROOT/.services}"
STATE_DIR="$SERVICES_DIR/$SERVICE"
LIB_DIR="$SERVICES_DIR/lib/$SERVICE"
PID_FILE="$STATE_DIR/$SERVICE.pid"
LOG_FILE="$STATE_DIR/$SERVICE.log"
# Seconds to wait for a server to answer after launch, and for it to exit after SIGTERM.
START_TIMEOUT="${SERVICES_START_TIMEOUT:-120}"
STOP_TIMEOUT="${SERVICES_STOP_TIMEOUT:-30}"
# The log is appended to across restarts; past this size the old one becomes <log>.1.
LOG_ROTATE_BYTES=$((50 * 1024 * 1024))

log() { printf '%s: %s\n' "$SERVICE" "$*"; }
die() {
  printf '%s: error: %s\n' "$SERVICE" "$*" >&2
  exit 1
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# seconds since a now_ms value, one decimal ("7.4")
seconds_since() {
  local ms=$(($(now_ms) - $1))
  printf '%d.%d' $((ms / 1000)) $(((ms % 1000) / 100))
}

require_commands() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || die "'$c' is not installed (needed to run $SERVICE locally)"
  done
}

# True when something accepts TCP connections on 127.0.0.1:<port> (bash's /dev/tcp: no nc needed).
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# One start/stop at a time per service: two test runners calling `start` together must not
# launch two servers. The lock is released when the script exits.
take_lock() {
  mkdir -p "$STATE_DIR"
  exec 9>"$STATE_DIR/.lock"
  flock -w 300 9 || die "another start/stop of $SERVICE is still running (lock $STATE_DIR/.lock)"
}

# True while the process exists and is not a zombie (an orphan that init has not reaped yet).
alive() {
  local state
  kill -0 "$1" 2>/dev/null || return 1
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ -n $state && $state != Z ]]
}

# Prints the server's pid if the pid file names a live process that is our server.
# After a kill -9 or a reboot the pid file stays behind; its number may be free or reused.
server_pid() {
  local pid cmdline
  [[ -f $PID_FILE ]] || return 1
  pid="$(<"$PID_FILE")"
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  alive "$pid" || return 1
  # another program that got the same pid has a different command line
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ $cmdline == *"$PROCESS_MARKER"* ]] || return 1
  echo "$pid"
}

# fetch_libs: copies the jars of this service's Maven profile into $LIB_DIR, once.
# A stamp (hash of pom.xml) makes later starts skip Maven entirely (saves ~4 s a start), and
# re-fetches when pom.xml changes (new version). Jars land in a temp folder first, so an
# interrupted download never leaves a half-filled lib folder that looks complete.
fetch_libs() {
  require_commands mvn sha256sum
  local stamp tmp
  stamp="$(sha256sum "$SCRIPTS_DIR/pom.xml" | cut -d' ' -f1)"
  if [[ -f $LIB_DIR/.stamp && "$(<"$LIB_DIR/.stamp")" == "$stamp" ]]; then
    return 0
  fi
  log "fetching jars from Maven Central into ${LIB_DIR#"$REPO_ROOT"/} (first start only) ..."
  mkdir -p "$SERVICES_DIR/lib"
  tmp="$LIB_DIR.tmp.$$"
  rm -rf "$tmp" "$tmp.log"
  if ! mvn -B -q -f "$SCRIPTS_DIR/pom.xml" -P "$SERVICE" \
    dependency:copy-dependencies -DoutputDirectory="$tmp" >"$tmp.log" 2>&1; then
    cat "$tmp.log" >&2
    rm -rf "$tmp" "$tmp.log"
    die "Maven could not fetch the $SERVICE jars (see above)"
  fi
  rm -rf "$LIB_DIR" "$tmp.log"
  mv "$tmp" "$LIB_DIR"
  echo "$stamp" >"$LIB_DIR/.stamp"
}

rotate_log() {
  if [[ -f $LOG_FILE ]] && (($(stat -c %s "$LOG_FILE") > LOG_ROTATE_BYTES)); then
    mv -f "$LOG_FILE" "$LOG_FILE.1"
  fi
}

# Starts a command in the background as the server, detached from this terminal's session
# (Ctrl-C in the shell that ran `start` must not kill it), output appended to the log.
# Sets SERVER_PID and writes the pid file.
launch() {
  rotate_log
  # banner: main class and its argument (the full command, class path included, is in /proc)
  printf '\n===== %s: %s start: %s\n' "$(date -Is)" "$SERVICE" "${*: -2}" >>"$LOG_FILE"
  # setsid does not fork here (a background job is never a process-group leader), so $! is
  # the java process itself: the pid file points at the server, not at a wrapper.
  # 9>&-: the server must not inherit the lock of take_lock, or it would hold it until it exits.
  setsid "$@" </dev/null >>"$LOG_FILE" 2>&1 9>&- &
  SERVER_PID=$!
  echo "$SERVER_PID" >"$PID_FILE"
}

# Stops the server we just launched after a failed start, shows why, and exits non-zero.
fail_start() {
  local pid=$1
  shift
  printf '%s: error: %s\n' "$SERVICE" "$*" >&2
  printf '%s: ---- last lines of %s ----\n' "$SERVICE" "$LOG_FILE" >&2
  tail -n 60 "$LOG_FILE" >&2 || true
  printf '%s: ----\n' "$SERVICE" >&2
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    sleep 3
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true # it is our child: reap it
  rm -f "$PID_FILE"
  exit 1
}

# wait_ready <pid> <probe-function>: calls the probe until it succeeds, the server dies, or
# START_TIMEOUT passes.
wait_ready() {
  local pid=$1 probe=$2 deadline=$((SECONDS + START_TIMEOUT))
  until "$probe"; do
    alive "$pid" || fail_start "$pid" "the server exited during start-up"
    ((SECONDS < deadline)) || fail_start "$pid" "no answer after ${START_TIMEOUT}s"
    sleep 0.5
  done
}

# stop: SIGTERM (both servers shut down cleanly on it), then SIGKILL after STOP_TIMEOUT.
stop_server() {
  local pid deadline
  if ! pid="$(server_pid)"; then
    rm -f "$PID_FILE"
    log "not running"
    return 0
  fi
  log "stopping (pid $pid) ..."
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + STOP_TIMEOUT))
  while alive "$pid"; do
    if ((SECONDS >= deadline)); then
      log "still running ${STOP_TIMEOUT}s after SIGTERM: sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      deadline=$((SECONDS + 10))
    fi
    sleep 0.2
  done
  rm -f "$PID_FILE"
  log "stopped"
}

# status: exit 0 when running, 1 when stopped.
status_server() {
  local pid
  if pid="$(server_pid)"; then
    log "running (pid $pid) on $SERVICE_ADDRESS"
    return 0
  fi
  if [[ -f $PID_FILE ]]; then
    log "stopped (stale pid file ${PID_FILE#"$REPO_ROOT"/})"
  else
    log "stopped"
  fi
  return 1
}

# start: the common part of `<service>.sh start`. The service script defines
#   prepare_server  fetch jars, write config, one-time set-up (runs before the clock of the
#                   server start; its own time is included in the total printed)
#   launch_server   calls `launch java ...`
#   probe_server    succeeds once the server answers requests
# Idempotent: a running server (pid file + live process + answering) is left alone.
start_server() {
  local t0 pid t_launch deadline
  t0="$(now_ms)"
  take_lock
  if pid="$(server_pid)"; then
    # started earlier by this script; make sure it still answers before saying yes
    deadline=$((SECONDS + START_TIMEOUT))
    until probe_server; do
      alive "$pid" || break
      ((SECONDS < deadline)) || die "running (pid $pid) but not answering on $SERVICE_ADDRESS after ${START_TIMEOUT}s; see $LOG_FILE"
      sleep 0.5
    done
    if alive "$pid"; then
      log "already running (pid $pid) on $SERVICE_ADDRESS"
      return 0
    fi
  fi
  if [[ -f $PID_FILE ]]; then
    log "removing stale pid file (the server was killed or crashed)"
    rm -f "$PID_FILE"
  fi
  if port_open "$SERVICE_PORT"; then
    die "127.0.0.1:$SERVICE_PORT is already taken by a process this script did not start (another $SERVICE?): stop it first"
  fi
  prepare_server
  t_launch="$(now_ms)"
  launch_server
  wait_ready "$SERVER_PID" probe_server
  log "started in $(seconds_since "$t0") s (server boot $(seconds_since "$t_launch") s), pid $SERVER_PID, on $SERVICE_ADDRESS, log ${LOG_FILE#"$REPO_ROOT"/}"
}

# Dispatches the command line of a service script.
service_main() {
  case "${1:-}" in
    start) start_server ;;
    stop)
      take_lock
      stop_server
      ;;
    status) status_server ;;
    fetch)
      take_lock
      fetch_libs
      ;;
    *)
      echo "usage: $0 start|stop|status|fetch" >&2
      exit 2
      ;;
  esac
}
