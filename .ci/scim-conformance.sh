#!/usr/bin/env bash
# SCIM 2.0 conformance: runs python-scim's scim2-tester (discovery, CRUD, every attribute's
# PATCH add/replace/remove, attribute projection, errors) against the SCIM server mounted in
# the admin app, on a fresh database of the Postgres that .ci/run started. Writes
# "<passed> <failed>" to $STIPEND_CI_RESULTS/scim.counts. The tester lives in a venv cached
# outside the repository, keyed by its version and the Python's (like focus-validator's).
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=0.5.2 # scim2-tester, as pinned (with its dependencies) in .ci/scim-conformance.requirements.txt
results="${STIPEND_CI_RESULTS:-$(mktemp -d)}"
counts="$results/scim.counts"
echo "0 1" >"$counts" # until the tester has run
log() { echo "[scim-conformance] $*" >&2; }
node=./node_modules/.bin/node

# --- a Python >= 3.11 (scim2-tester needs it): on PATH, else the newest pyenv has built --------
python=""
for candidate in python3.13 python3.12 python3.11 python3; do
  p="$(command -v "$candidate" || true)"
  if [ -n "$p" ] && "$p" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then python="$p"; break; fi
done
if [ -z "$python" ] && command -v pyenv >/dev/null; then
  for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[1-9])\.[0-9]+$' | sort -V -r); do
    p="$(pyenv root)/versions/$v/bin/python3"
    if [ -x "$p" ]; then python="$p"; break; fi
  done
fi
if [ -z "$python" ]; then
  log "no Python >= 3.11 found (PATH or pyenv); install one (e.g. 'pyenv install 3.12')"
  exit 1
fi
pyver="$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"

# --- the tester, cached by version -----------------------------------------------------------
venv="${STIPEND_TOOLS_CACHE:-$HOME/.cache/stipend-tools}/scim2-tester-$VERSION-py$pyver"
if ! "$venv/bin/python" -c 'import scim2_tester, httpx2' 2>/dev/null; then
  log "installing scim2-tester with $python into $venv"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r .ci/scim-conformance.requirements.txt
fi

# --- the server ----------------------------------------------------------------------------------
work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
"$node" test/identity/conformance/serve-scim.ts >"$work/server.json" 2>"$work/server.log" &
server=$!
for _ in $(seq 1 300); do
  [ -s "$work/server.json" ] && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
if [ ! -s "$work/server.json" ]; then
  cat "$work/server.log" >&2
  log "the SCIM server did not start"
  exit 1
fi
url="$("$node" -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).url' "$work/server.json")"
token="$("$node" -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).token' "$work/server.json")"

# --- the checks ----------------------------------------------------------------------------------
log "scim2-tester against $url"
"$venv/bin/python" test/identity/conformance/run_scim2_tester.py "$url" "$token" "$counts" | tee "$work/checks.txt" | grep -Ev '^(SUCCESS|COMPLIANT|ACCEPTABLE) ' || true
read -r passed failed <"$counts"
log "scim2-tester: $passed checks passed, $failed failed (the list above shows every check that did not pass)"
