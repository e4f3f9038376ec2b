#!/usr/bin/env bash
# Install what test/k8s/start-apiserver.sh needs: etcd + openssl (apt),
# kube-apiserver + kubectl (built from the k8s Go modules), helm (go install).
# Binaries are cached outside the repo, keyed by version (pins in env.sh);
# every step is skipped when its output exists, so re-runs take seconds.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=env.sh
source "$here/env.sh"

export GOTOOLCHAIN=local  # never try to download a Go toolchain
export GOFLAGS=-mod=mod
command -v go >/dev/null || { echo "go not found (expected /usr/local/go/bin/go)" >&2; exit 1; }
log() { echo "[install-tools] $*" >&2; }
# Run go from a scratch dir so no surrounding go.mod/go.work interferes.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

# --- apt: etcd + openssl ------------------------------------------------------
# etcd: Debian's etcd-server, unless apt has no candidate or
# STIPEND_ETCD_FROM_SOURCE=1: then build etcd from Go modules (build_etcd below).
apt_updated=false
apt_update() { $apt_updated || apt-get update -qq </dev/null; apt_updated=true; }
apt_install() {
  apt_update
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" </dev/null >/dev/null
}
command -v openssl >/dev/null || apt_install openssl
build_etcd=false
if [ "${STIPEND_ETCD_FROM_SOURCE:-0}" = 1 ]; then
  [ -x "$STIPEND_K8S_BIN/etcd" ] || build_etcd=true
elif ! command -v etcd >/dev/null; then  # PATH (env.sh) includes $STIPEND_K8S_BIN
  apt_update
  if apt-cache policy etcd-server 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    apt_install etcd-server
  else
    build_etcd=true
  fi
fi

# --- kube-apiserver + kubectl ---------------------------------------------------
# k8s.io/kubernetes can't be `go install`ed: its go.mod `replace`s the staging
# modules (k8s.io/api, client-go, ...) with local dirs. So build it from a
# throwaway module that replaces each staging module with its published v0.X.Y.
if [ -x "$STIPEND_K8S_BIN/kube-apiserver" ] && [ -x "$STIPEND_K8S_BIN/kubectl" ]; then
  log "kube-apiserver/kubectl $STIPEND_K8S_VERSION already built"
else
  kv="$STIPEND_K8S_VERSION"          # v1.37.2
  sv="v0.${kv#v1.}"                  # v0.37.2 (staging modules)
  minor="${kv#v1.}"; minor="${minor%%.*}"
  log "building kube-apiserver + kubectl $kv in $work (first time: ~10 min on 2 cores)"
  k8smod="$(go mod download -json "k8s.io/kubernetes@$kv" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  [ -f "$k8smod" ] || { echo "could not download k8s.io/kubernetes@$kv" >&2; exit 1; }
  {
    echo "module stipend.local/k8s-tools"
    echo
    grep -m1 '^go ' "$k8smod"
    echo
    echo "require k8s.io/kubernetes $kv"
    echo
    echo "replace ("
    # staging modules = `replace X => ./staging/...` that are also required
    awk '$2 == "=>" && $3 ~ /^\.\/staging\// {print $1}' "$k8smod" | while read -r m; do
      if grep -Eq "^[[:space:]]+$m v0\.0\.0" "$k8smod"; then echo "	$m => $m $sv"; fi
    done
    echo ")"
  } >"$work/go.mod"
  vpkg=k8s.io/component-base/version
  cpkg=k8s.io/client-go/pkg/version
  bdate="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  # Stamp the real version: helm charts' kubeVersion checks read the server's gitVersion.
  ldflags="-s -w"
  for p in $vpkg $cpkg; do
    ldflags+=" -X $p.gitVersion=$kv -X $p.gitMajor=1 -X $p.gitMinor=$minor"
    ldflags+=" -X $p.gitTreeState=clean -X $p.buildDate=$bdate"
  done
  mkdir -p "$work/out" "$STIPEND_K8S_BIN"
  go build -trimpath -ldflags "$ldflags" -o out/ \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl
  # Move into place only once both built, so a half-done build is retried.
  mv -f out/kube-apiserver out/kubectl "$STIPEND_K8S_BIN/"
fi

# --- etcd from Go modules (fallback) -------------------------------------------
# Same trick: etcd's server module replaces its sibling modules with ../dirs.
# Uses the etcd version k8s.io/kubernetes itself pins.
if $build_etcd; then
  k8smod="$(go mod download -json "k8s.io/kubernetes@$STIPEND_K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  ev="$(sed -n 's/^[[:space:]]*go\.etcd\.io\/etcd\/server\/v3 \(v[^ ]*\).*/\1/p' "$k8smod" | head -1)"
  [ -n "$ev" ] || { echo "no go.etcd.io/etcd/server/v3 version in $k8smod" >&2; exit 1; }
  log "building etcd $ev from Go modules"
  mkdir -p "$work/etcd" "$STIPEND_K8S_BIN"
  {
    echo "module stipend.local/etcd-build"
    echo
    grep -m1 '^go ' "$k8smod"
    echo
    echo "require go.etcd.io/etcd/server/v3 $ev"
    echo
    echo "replace ("
    for m in api/v3 client/pkg/v3 client/v3 pkg/v3; do
      echo "	go.etcd.io/etcd/$m => go.etcd.io/etcd/$m $ev"
    done
    echo ")"
  } >"$work/etcd/go.mod"
  (cd "$work/etcd" && go build -trimpath -ldflags "-s -w" -o etcd go.etcd.io/etcd/server/v3)
  mv -f "$work/etcd/etcd" "$STIPEND_K8S_BIN/etcd"
fi

# --- helm -----------------------------------------------------------------------
if [ -x "$STIPEND_HELM_BIN/helm" ]; then
  log "helm $STIPEND_HELM_VERSION already installed"
else
  hv="$STIPEND_HELM_VERSION"
  log "go install helm $hv"
  hmod="$(go mod download -json "helm.sh/helm/v3@$hv" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  # helm's Makefile stamps its default k8s version from its client-go version.
  hminor="$(sed -n 's/^[[:space:]]*k8s\.io\/client-go v0\.\([0-9]*\)\..*/\1/p' "$hmod" | head -1)"
  hl="-s -w -X helm.sh/helm/v3/internal/version.version=$hv"
  if [ -n "$hminor" ]; then
    for p in pkg/lint/rules pkg/chartutil; do
      hl+=" -X helm.sh/helm/v3/$p.k8sVersionMajor=1 -X helm.sh/helm/v3/$p.k8sVersionMinor=$hminor"
    done
  fi
  mkdir -p "$STIPEND_HELM_BIN"
  GOFLAGS='' GOBIN="$STIPEND_HELM_BIN" go install -trimpath -ldflags "$hl" "helm.sh/helm/v3/cmd/helm@$hv"
fi

echo "etcd:           $(command -v etcd)"
echo "openssl:        $(command -v openssl)"
echo "kube-apiserver: $STIPEND_K8S_BIN/kube-apiserver"
echo "kubectl:        $STIPEND_K8S_BIN/kubectl"
echo "helm:           $STIPEND_HELM_BIN/helm"
