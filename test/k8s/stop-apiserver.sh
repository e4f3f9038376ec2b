#!/usr/bin/env bash
# Stop the kube-apiserver and etcd started by start-apiserver.sh.
# etcd data and certs are kept (next start reuses them) unless --clean is given.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=env.sh
source "$here/env.sh"

state="$STIPEND_K8S_STATE"
log() { echo "[stop-apiserver] $*" >&2; }

clean=false
case "${1:-}" in
  --clean) clean=true ;;
  "") ;;
  *) echo "usage: $0 [--clean]   (--clean also deletes $state)" >&2; exit 2 ;;
esac

# alive = exists and not a zombie (an un-reaped zombie still answers kill -0).
alive() { kill -0 "$1" 2>/dev/null && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
stop() { # name
  local f="$state/$1.pid" pid
  [ -f "$f" ] || { log "$1: not running"; return 0; }
  pid="$(cat "$f")"
  # Only signal the pid if it's still our process (pid files can go stale).
  if [ -n "$pid" ] && alive "$pid" &&
    [ "$(basename "$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | head -n1)")" = "$1" ]; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do alive "$pid" || break; sleep 0.1; done
    if alive "$pid"; then
      log "$1 (pid $pid) ignored SIGTERM for 10s; SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    log "$1 (pid $pid) stopped"
  else
    log "$1: stale pid file"
  fi
  rm -f "$f"
}

stop kube-apiserver  # before etcd, so it doesn't spin on a lost backend
stop etcd
if $clean; then
  rm -rf "$state"
  log "removed $state"
fi
