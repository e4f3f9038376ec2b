# shellcheck shell=bash
# Source me: `source test/k8s/env.sh`.
# Single place for the tool version pins used by every test/k8s script, plus
# PATH/KUBECONFIG for the cached kube-apiserver, kubectl and helm binaries.
# Safe to source from an interactive shell: sets no shell options.

export STIPEND_K8S_VERSION="${STIPEND_K8S_VERSION:-v1.37.2}"   # k8s.io/kubernetes
export STIPEND_HELM_VERSION="${STIPEND_HELM_VERSION:-v3.22.0}"  # helm.sh/helm/v3

export STIPEND_TOOLS_CACHE="${STIPEND_TOOLS_CACHE:-${HOME:-/root}/.cache/stipend-tools}"
export STIPEND_K8S_BIN="$STIPEND_TOOLS_CACHE/k8s-$STIPEND_K8S_VERSION/bin"
export STIPEND_HELM_BIN="$STIPEND_TOOLS_CACHE/helm-$STIPEND_HELM_VERSION/bin"
# etcd is Debian's /usr/bin/etcd, or (fallback) one built into $STIPEND_K8S_BIN.

# Runtime state (certs, etcd data, logs, pids) and loopback-only, non-default ports.
export STIPEND_K8S_STATE="${STIPEND_K8S_STATE:-/tmp/stipend-k8s}"
export STIPEND_ETCD_PORT="${STIPEND_ETCD_PORT:-23790}"
export STIPEND_ETCD_PEER_PORT="${STIPEND_ETCD_PEER_PORT:-23800}"
export STIPEND_APISERVER_PORT="${STIPEND_APISERVER_PORT:-16443}"
export KUBECONFIG="$STIPEND_K8S_STATE/kubeconfig"

# Prepend our bins (once) so they win over any other kubectl on the machine.
case ":$PATH:" in
  *":$STIPEND_K8S_BIN:"*) ;;
  *) export PATH="$STIPEND_K8S_BIN:$STIPEND_HELM_BIN:/usr/local/go/bin:$PATH" ;;
esac
