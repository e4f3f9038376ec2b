#!/usr/bin/env bash
# Start a real, loopback-only Kubernetes API server for tests: etcd +
# kube-apiserver (RBAC on), no controller-manager/scheduler/kubelet.
# Idempotent: if it's already up and ready, just prints the kubeconfig.
# Last line of stdout is always `KUBECONFIG=<path>`; logs go to stderr.
# Needs test/k8s/install-tools.sh to have run first.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=env.sh
source "$here/env.sh"

state="$STIPEND_K8S_STATE"
pki="$state/pki"
timeout="${STIPEND_K8S_START_TIMEOUT:-60}"
etcd_url="http://127.0.0.1:$STIPEND_ETCD_PORT"
log() { echo "[start-apiserver] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

etcd_bin="$(command -v etcd || true)"
[ -n "$etcd_bin" ] || die "etcd not found; run $here/install-tools.sh"
apiserver_bin="$STIPEND_K8S_BIN/kube-apiserver"
kubectl_bin="$STIPEND_K8S_BIN/kubectl"
{ [ -x "$apiserver_bin" ] && [ -x "$kubectl_bin" ]; } || die "kube-apiserver/kubectl not in $STIPEND_K8S_BIN; run $here/install-tools.sh"
command -v openssl >/dev/null || die "openssl not found; run $here/install-tools.sh"

mkdir -p "$state" "$pki"
chmod 700 "$state"

# pid from <name>.pid if that process is alive and really is <name>
# (guards against a stale pid file whose pid got reused).
running_pid() {
  local f="$state/$1.pid" pid
  [ -f "$f" ] || return 1
  pid="$(cat "$f")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null && return 1  # zombie
  [ "$(basename "$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | head -n1)")" = "$1" ] || return 1
  echo "$pid"
}
ready() { "$kubectl_bin" --kubeconfig="$KUBECONFIG" --request-timeout=5s get --raw /readyz >/dev/null 2>&1; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Detached from our session/stdin so it outlives this script (and CI steps).
spawn() { # name cmd...
  local name="$1"; shift
  rm -f "$state/$name.pid"
  # shellcheck disable=SC2016  # $$/$0/$@ are for the inner bash
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$state/$name.pid" "$@" \
    </dev/null >>"$state/$name.log" 2>&1 &
  for _ in $(seq 50); do [ -s "$state/$name.pid" ] && return 0; sleep 0.1; done
  die "$name did not start"
}
finish() { echo "KUBECONFIG=$KUBECONFIG"; exit 0; }

if [ -f "$KUBECONFIG" ] && running_pid kube-apiserver >/dev/null && running_pid etcd >/dev/null && ready; then
  log "already running and ready"
  finish
fi

# --- PKI (generated once; kept across restarts so the kubeconfig stays valid) --
gen_cert() { # name subject ext-lines...
  local name="$1" subj="$2"; shift 2
  openssl genrsa -out "$pki/$name.key" 2048 2>/dev/null
  openssl req -new -key "$pki/$name.key" -subj "$subj" -out "$pki/$name.csr" 2>/dev/null
  printf '%s\n' "$@" >"$pki/$name.ext"
  openssl x509 -req -in "$pki/$name.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 3650 -sha256 -extfile "$pki/$name.ext" -out "$pki/$name.crt" 2>/dev/null
  rm -f "$pki/$name.csr" "$pki/$name.ext"
}
if [ ! -f "$pki/admin.crt" ]; then
  log "generating CA, serving cert, admin client cert, service-account key in $pki"
  rm -f "$pki"/*
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$pki/ca.key" -out "$pki/ca.crt" \
    -days 3650 -subj "/CN=stipend-test-ca" 2>/dev/null
  gen_cert apiserver "/CN=kube-apiserver" \
    "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
    "extendedKeyUsage=serverAuth" \
    "subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  # O=system:masters: the admin bypasses RBAC.
  gen_cert admin "/O=system:masters/CN=stipend-admin" \
    "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
    "extendedKeyUsage=clientAuth"
  openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
  chmod 600 "$pki"/*.key
fi

# Embed certs so the kubeconfig can be copied anywhere.
b64() { base64 -w0 <"$1"; }
cat >"$KUBECONFIG.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: stipend-test
  cluster:
    server: https://127.0.0.1:$STIPEND_APISERVER_PORT
    certificate-authority-data: $(b64 "$pki/ca.crt")
users:
- name: stipend-admin
  user:
    client-certificate-data: $(b64 "$pki/admin.crt")
    client-key-data: $(b64 "$pki/admin.key")
contexts:
- name: stipend-test
  context:
    cluster: stipend-test
    user: stipend-admin
    namespace: default
current-context: stipend-test
EOF
chmod 600 "$KUBECONFIG.tmp"
mv -f "$KUBECONFIG.tmp" "$KUBECONFIG"

# --- etcd ------------------------------------------------------------------------
if running_pid etcd >/dev/null; then
  log "etcd already running (pid $(running_pid etcd))"
else
  port_busy "$STIPEND_ETCD_PORT" && die "port $STIPEND_ETCD_PORT busy (not our etcd); set STIPEND_ETCD_PORT"
  port_busy "$STIPEND_ETCD_PEER_PORT" && die "port $STIPEND_ETCD_PEER_PORT busy; set STIPEND_ETCD_PEER_PORT"
  log "starting etcd on $etcd_url (data: $state/etcd-data)"
  peer="http://127.0.0.1:$STIPEND_ETCD_PEER_PORT"
  spawn etcd "$etcd_bin" --name stipend --data-dir "$state/etcd-data" \
    --listen-client-urls "$etcd_url" --advertise-client-urls "$etcd_url" \
    --listen-peer-urls "$peer" --initial-advertise-peer-urls "$peer" \
    --initial-cluster "stipend=$peer" --initial-cluster-state new \
    --log-level warn
fi
deadline=$((SECONDS + timeout))
while :; do
  curl -fsS --max-time 2 "$etcd_url/health" 2>/dev/null | grep -q '"health":"true"' && break
  running_pid etcd >/dev/null || { tail -n 30 "$state/etcd.log" >&2; die "etcd exited"; }
  [ "$SECONDS" -lt "$deadline" ] || { tail -n 30 "$state/etcd.log" >&2; die "etcd not healthy after ${timeout}s"; }
  sleep 0.2
done

# --- kube-apiserver -------------------------------------------------------------
if running_pid kube-apiserver >/dev/null; then
  log "kube-apiserver already running (pid $(running_pid kube-apiserver)), waiting for ready"
else
  port_busy "$STIPEND_APISERVER_PORT" && die "port $STIPEND_APISERVER_PORT busy (not our apiserver); set STIPEND_APISERVER_PORT"
  log "starting kube-apiserver $STIPEND_K8S_VERSION on https://127.0.0.1:$STIPEND_APISERVER_PORT"
  spawn kube-apiserver "$apiserver_bin" \
    --etcd-servers="$etcd_url" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 \
    --endpoint-reconciler-type=none `# it refuses a loopback advertise address` \
    --secure-port="$STIPEND_APISERVER_PORT" \
    --cert-dir="$state/apiserver-certs" \
    --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" \
    --client-ca-file="$pki/ca.crt" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$pki/sa.pub" \
    --service-account-signing-key-file="$pki/sa.key" \
    --service-cluster-ip-range=10.96.0.0/16 \
    --authorization-mode=RBAC \
    --profiling=false
fi
deadline=$((SECONDS + timeout))
while :; do
  ready && break
  running_pid kube-apiserver >/dev/null || { tail -n 40 "$state/kube-apiserver.log" >&2; die "kube-apiserver exited"; }
  [ "$SECONDS" -lt "$deadline" ] || { tail -n 40 "$state/kube-apiserver.log" >&2; "$here/stop-apiserver.sh" || true; die "kube-apiserver not ready after ${timeout}s (log: $state/kube-apiserver.log)"; }
  sleep 1
done
# No controller-manager, so nothing creates namespaces' "default" ServiceAccount;
# without it Pod creation is rejected. Create it for the default namespace only.
"$kubectl_bin" --kubeconfig="$KUBECONFIG" -n default get serviceaccount default >/dev/null 2>&1 ||
  "$kubectl_bin" --kubeconfig="$KUBECONFIG" -n default create serviceaccount default >/dev/null 2>&1 || true
log "ready (${SECONDS}s); logs in $state/*.log; stop with $here/stop-apiserver.sh"
finish
