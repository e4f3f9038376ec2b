#!/usr/bin/env bash
# The container image, built and run without Docker: buildah builds the Dockerfile (chroot
# isolation), podman runs it with runc, and the checks below run against the running
# containers. Installs what it needs (apt), makes the base image locally
# (test/image/base-image.sh: no registry is reachable), and writes "<passed> <failed>" to
# $STIPEND_CI_RESULTS/image.counts. Exits 1 when anything failed.
#   usage: bash .ci/image.sh     env: STIPEND_IMAGE (localhost/stipend:ci),
#          STIPEND_TEST_DATABASE_URL (else .ci/start-postgres.sh), STIPEND_TOOLS_CACHE
set -uo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

image="${STIPEND_IMAGE:-localhost/stipend:ci}"
cache="${STIPEND_TOOLS_CACHE:-$HOME/.cache/stipend-tools}"
label="dev.stipend.image-check"  # its value: the pid of the run that made the container
run="stipend-image-$$"
work="$(mktemp -d)"
passed=0 failed=0 db=""
started=$SECONDS

pass() { passed=$((passed + 1)); echo "  ok    $1"; }
fail() {
  failed=$((failed + 1)); echo "  FAIL  $1"
  [ -z "${2:-}" ] || printf '%s\n' "$2" | tail -n 25 | sed 's/^/        /'
}
finish() {
  podman ps -aq --filter "label=$label=$$" 2>/dev/null | xargs -r podman rm -f -t 0 >/dev/null 2>&1
  [ -z "$db" ] || "$psql" "$pg_url" -qc "drop database if exists $db with (force)" >/dev/null 2>&1
  rm -rf "$work"
  echo "image: $passed passed, $failed failed ($((SECONDS - started)) s)"
  [ -z "${STIPEND_CI_RESULTS:-}" ] || echo "$passed $failed" >"$STIPEND_CI_RESULTS/image.counts"
  if [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]; then exit 0; else exit 1; fi
}
trap finish EXIT
# A step everything after it needs: on failure, count it and stop.
must() {
  local what="$1"; shift
  if ! out="$("$@" 2>&1)"; then fail "$what" "$out"; exit 1; fi
}

# --- tools -------------------------------------------------------------------------------
echo "--- image: tools (apt: buildah, podman, runc, debootstrap)"
missing=()
for tool in buildah podman runc debootstrap; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  must "install ${missing[*]}" bash -c "apt-get update -qq </dev/null && apt-get install -y -qq --no-install-recommends ${missing[*]} </dev/null"
fi
# podman reads only this file (nothing system-wide is changed). crun refuses this kernel's
# hybrid cgroups: runc. Without CAP_SYS_RESOURCE no container may get more open files or
# processes than podman has (its defaults ask for more): stay within them.
mkdir -p "$cache/podman"
hard_nofile="$(ulimit -Hn)"; [ "$hard_nofile" = unlimited ] || [ "$hard_nofile" -gt 1048576 ] && hard_nofile=1048576
cat >"$cache/podman/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$hard_nofile:$hard_nofile", "nproc=32768:32768"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
export CONTAINERS_CONF="$cache/podman/containers.conf"
# Containers left by a run that was killed (its pid is gone); a run still going keeps its own.
podman ps -a --filter "label=$label" --format "{{.ID}} {{index .Labels \"$label\"}}" 2>/dev/null |
  while read -r id pid; do kill -0 "$pid" 2>/dev/null || podman rm -f -t 0 "$id" >/dev/null 2>&1; done

# --- base image ------------------------------------------------------------------------------
base="$(sed -n 's/^ARG NODE_IMAGE=//p' Dockerfile)"
case "$base" in */*) ;; *) base="docker.io/library/$base" ;; esac
echo "--- image: base $base (local stand-in, cached in $cache/image-base)"
t=$SECONDS
bash test/image/base-image.sh "$base" || { fail "base image $base"; exit 1; }
base_s=$((SECONDS - t))

# --- build -----------------------------------------------------------------------------------
echo "--- image: buildah bud -t $image"
build=(--isolation chroot --pull=never --layers -t "$image")
# A TLS-inspecting proxy's CA (this workplace has one) reaches npm ci as a mounted folder
# (a mounted single file would stay behind in the image as an empty file).
ca="$(readlink -f "${NODE_EXTRA_CA_CERTS:-${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}}" || true)"
if [ -f "$ca" ]; then
  build+=(--volume "$(dirname "$ca"):/etc/ssl/certs:ro" --build-arg "NODE_EXTRA_CA_CERTS=/etc/ssl/certs/$(basename "$ca")")
fi
previous="$(podman image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)"
t=$SECONDS
if buildah bud "${build[@]}" -f Dockerfile . >"$work/build.log" 2>&1; then
  build_s=$((SECONDS - t))
  pass "the Dockerfile builds ($build_s s; base image $base_s s)"
else
  fail "the Dockerfile builds" "$(cat "$work/build.log")"
  exit 1
fi
current="$(podman image inspect --format '{{.Id}}' "$image")"
[ -z "$previous" ] || [ "$previous" = "$current" ] || podman rmi "$previous" >/dev/null 2>&1 || true

# --- checks ----------------------------------------------------------------------------------
echo "--- image: checks (podman + runc, read-only root filesystem)"
ro=(--read-only --label "$label=$$")
check_dir=(-v "$root/test/image:/app/test/image:ro")  # the check's helpers, never in the image

# Waits until a container's logs match an extended regex; prints the first match.
wait_log() {
  local name="$1" pattern="$2" deadline=$((SECONDS + ${3:-60})) match
  while [ $SECONDS -lt $deadline ]; do
    match="$(podman logs "$name" 2>&1 | grep -Eo "$pattern" | head -n 1)"
    [ -n "$match" ] && { echo "$match"; return 0; }
    [ "$(podman inspect --format '{{.State.Running}}' "$name" 2>/dev/null)" = true ] || break
    sleep 0.5
  done
  return 1
}

if out="$(podman run --rm "${ro[@]}" --network none "$image" --help 2>&1)" && grep -q '^usage: stipend' <<<"$out" && grep -q 'gateway' <<<"$out"; then
  pass "stipend --help"
else
  fail "stipend --help" "$out"
fi

if out="$(podman run --rm "${ro[@]}" --network none -v "$root/test/image:/check:ro" --entrypoint node "$image" /check/scan-app.ts 2>&1)"; then
  pass "no test code or devDependencies in the image ($(tail -n 1 <<<"$out"))"
else
  fail "no test code or devDependencies in the image" "$out"
fi

# The gateway on the CI Postgres, answering through the mock provider (both from the image).
pg_url="${STIPEND_TEST_DATABASE_URL:-}"
if [ -z "$pg_url" ]; then
  pg_url="$(bash .ci/start-postgres.sh | tail -n 1)"; pg_url="${pg_url#*=}"
fi
psql="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/psql"
db="stipend_image_$$"
must "create database $db" "$psql" "$pg_url" -qc "create database $db"
db_url="${pg_url%/*}/$db"
net=(--network host -e "STIPEND_DATABASE_URL=$db_url")

if out="$(podman run --rm "${ro[@]}" "${net[@]}" "$image" migrate 2>&1)"; then pass "stipend migrate"; else fail "stipend migrate" "$out"; fi
must "seed the example policy" podman run --rm "${ro[@]}" "${net[@]}" "${check_dir[@]}" --entrypoint node "$image" /app/test/image/seed-policy.ts
if key="$(podman run --rm "${ro[@]}" "${net[@]}" "$image" keys create --email ada@acme.example 2>&1)" && [[ "$key" =~ ^sk-stipend-[A-Za-z0-9_-]{40,}$ ]]; then
  pass "stipend keys create"
else
  fail "stipend keys create" "$key"; exit 1
fi

mock="$run-mock"
podman run -d --name "$mock" "${ro[@]}" --network host -e MOCK_PORT=0 --entrypoint node "$image" /app/src/mock-provider/main.ts >/dev/null
mock_url="$(wait_log "$mock" 'http://127\.0\.0\.1:[0-9]+' 30)" || { fail "the mock provider starts" "$(podman logs "$mock" 2>&1)"; exit 1; }

gw="$run-gateway"
podman run -d --name "$gw" "${ro[@]}" "${net[@]}" -e STIPEND_HOST=127.0.0.1 -e STIPEND_PORT=0 -e STIPEND_SHUTDOWN_GRACE_MS=10000 \
  -e OPENAI_API_KEY=mock -e "OPENAI_BASE_URL=$mock_url/v1" -e ANTHROPIC_API_KEY=mock -e "ANTHROPIC_BASE_URL=$mock_url" \
  "$image" >/dev/null
if gw_url="$(wait_log "$gw" '"url":"http://127\.0\.0\.1:[0-9]+' 60)"; then
  gw_url="${gw_url#*\"url\":\"}"
  pass "stipend gateway starts on Postgres ($gw_url)"
else
  fail "stipend gateway starts on Postgres" "$(podman logs "$gw" 2>&1)"; exit 1
fi

uids="$(podman exec "$gw" sh -c 'grep -h "^Uid:" /proc/[0-9]*/status | sort -u; cat /proc/1/cmdline | tr "\0" " "' 2>&1)"
if [ "$(grep -c '^Uid:' <<<"$uids")" = 1 ] && grep -Eq '^Uid:\s+10001\s+10001\s+10001\s+10001$' <<<"$uids" && grep -q '^/usr/bin/tini -- node /app/bin/stipend.mjs' <<<"$(tail -n 1 <<<"$uids")"; then
  pass "every process runs as uid 10001, under tini"
else
  fail "every process runs as uid 10001, under tini" "$uids"
fi

writes="$(podman exec "$gw" sh -c 'grep " / " /proc/mounts; touch /probe; touch /app/probe; mkdir /app/.stipend' 2>&1)"
if grep -Eq ' / [a-z]+ ro[ ,]' <<<"$writes" && [ "$(grep -c 'Read-only file system' <<<"$writes")" = 3 ]; then
  pass "the root filesystem is read-only (writes to /, /app fail with EROFS)"
else
  fail "the root filesystem is read-only" "$writes"
fi

ask() { podman run --rm "${ro[@]}" --network host "${check_dir[@]}" --entrypoint node "$image" /app/test/image/ask.ts "$@" 2>&1; }
if out="$(ask "$gw_url" "$key")"; then
  request_id="$(cut -d' ' -f2 <<<"$out")"
  charged=""
  for _ in $(seq 1 20); do
    charged="$("$psql" "$db_url" -Atc "select email || ' ' || cost_nanos from usage_events where request_id = '$request_id' and cost_nanos > 0" 2>&1)"
    [ -n "$charged" ] && break
    sleep 0.5
  done
  if [[ "$charged" == "ada@acme.example "* ]]; then
    pass "a request through the mock provider answers 200 and is charged ($charged nano-dollars)"
  else
    fail "a request through the mock provider is charged" "$out"$'\n'"ledger: $charged"
  fi
else
  fail "a request through the mock provider answers 200" "$out"$'\n'"$(podman logs --tail 20 "$gw" 2>&1)"
fi
if out="$(ask "$gw_url" "$key" --stream)"; then pass "a streamed request answers 200 and ends with [DONE]"; else fail "a streamed request" "$out"; fi

# SIGTERM with a stream open: tini forwards it, the gateway refuses new work, lets the stream
# finish (20 chunks, 150 ms apart) and exits 0 well within the grace.
ask "$gw_url" "$key" --stream 'mock:tokens=20 mock:delay=150' >"$work/drain.out" 2>&1 &
drain_pid=$!
for _ in $(seq 1 40); do  # until the stream holds its reservation
  [ "$("$psql" "$db_url" -Atc 'select count(*) from reservations' 2>/dev/null)" -gt 0 ] 2>/dev/null && break
  sleep 0.25
done
t=$SECONDS
podman stop --time 30 "$gw" >/dev/null 2>&1
stop_s=$((SECONDS - t))
wait "$drain_pid"; drain=$?
code="$(podman inspect --format '{{.State.ExitCode}}' "$gw")"
if [ "$drain" = 0 ] && [ "$code" = 0 ] && [ "$stop_s" -lt 30 ] && podman logs "$gw" 2>&1 | grep -q '"msg":"stopped"'; then
  pass "SIGTERM: the open stream finishes, then the gateway exits 0 (${stop_s} s)"
else
  fail "SIGTERM: the open stream finishes, then the gateway exits 0 within the grace" \
    "stream: $(cat "$work/drain.out")"$'\n'"exit code $code after $stop_s s"$'\n'"$(podman logs --tail 10 "$gw" 2>&1)"
fi
podman stop --time 5 "$mock" >/dev/null 2>&1

# `stipend dev` with no flag at all, in its own network namespace (its default port stays
# private): data dir and examples must work on the read-only root filesystem.
dev="$run-dev"
podman run -d --name "$dev" "${ro[@]}" --network none "${check_dir[@]}" "$image" dev >/dev/null
if dev_url="$(wait_log "$dev" 'Stipend dev gateway: http://[0-9.:]+' 90)"; then
  dev_url="${dev_url#Stipend dev gateway: }"
  dev_key="$(podman logs "$dev" 2>&1 | awk '/^Demo keys/ { getline; print $2; exit }')"
  data_dir="$(podman logs "$dev" 2>&1 | sed -n 's/^Demo keys (also in \(.*\)\/demo-keys.json).*/\1/p')"
  if out="$(podman exec "$dev" node /app/test/image/ask.ts "$dev_url" "$dev_key" 2>&1)"; then
    pass "stipend dev with its defaults answers through its mock provider (data in $data_dir)"
  else
    fail "stipend dev with its defaults answers" "$out"$'\n'"$(podman logs "$dev" 2>&1)"
  fi
else
  fail "stipend dev starts with its defaults" "$(podman logs "$dev" 2>&1)"
fi
podman stop --time 30 "$dev" >/dev/null 2>&1
code="$(podman inspect --format '{{.State.ExitCode}}' "$dev")"
if [ "$code" = 0 ]; then pass "SIGTERM: stipend dev exits 0"; else fail "SIGTERM: stipend dev exits 0" "exit code $code"; fi

# --- what the image weighs (reported, not checked) -------------------------------------------
echo "--- image: size"
podman image tree "$image" 2>/dev/null | sed -n '/Image Layers/,$p'
podman run --rm "${ro[@]}" --network none --entrypoint sh "$image" -c '
  # du counts each file once: later lines are what is left after the earlier ones.
  du -sh /usr/local/bin/node /usr/local/include /usr/local/lib/node_modules/npm /app/node_modules /app/src /usr /var /etc 2>/dev/null |
    sed "s|/usr\$|/usr (Debian, the rest)|"
  echo "largest packages in /app/node_modules (KiB):"; du -sk /app/node_modules/* /app/node_modules/@*/* 2>/dev/null | sort -rn | head -n 5' 2>&1
echo "image $image: $(podman image inspect --format '{{.Size}}' "$image" | awk '{ printf "%.0f MB", $1 / 1e6 }'); base image $base_s s, build ${build_s} s"
