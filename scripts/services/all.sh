#!/usr/bin/env bash
# Starts / stops / shows the local Kafka and Elasticsearch together.
#
#   bash scripts/services/all.sh start|stop|status
#
# start: the jars are fetched first, one service after the other (two Maven processes writing
# the same ~/.m2 at once can corrupt a download), then both servers boot in parallel: each
# spends most of its boot waiting on itself, so on 2 cores this is faster than one by one.
# Exit code: 0 when both are up (start), both stopped (stop), both running (status).
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SERVICES=(kafka elasticsearch)

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# run_parallel <command>: runs `<service>.sh <command>` for every service at once; fails if any did.
run_parallel() {
  local cmd=$1 svc rc=0
  local -a pids=()
  for svc in "${SERVICES[@]}"; do
    bash "$DIR/$svc.sh" "$cmd" &
    pids+=("$!")
  done
  for pid in "${pids[@]}"; do
    wait "$pid" || rc=1
  done
  return "$rc"
}

case "${1:-}" in
  start)
    t0="$(now_ms)"
    for svc in "${SERVICES[@]}"; do
      bash "$DIR/$svc.sh" fetch
    done
    if run_parallel start; then
      ms=$(($(now_ms) - t0))
      printf 'all: services ready in %d.%d s\n' $((ms / 1000)) $(((ms % 1000) / 100))
    else
      echo "all: error: not every service started (see above)" >&2
      exit 1
    fi
    ;;
  stop) run_parallel stop ;;
  status)
    rc=0
    for svc in "${SERVICES[@]}"; do
      bash "$DIR/$svc.sh" status || rc=1
    done
    exit "$rc"
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
