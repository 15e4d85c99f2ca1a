#!/usr/bin/env bash
# Prepares everything the end-to-end tests need to run a real VS Code workbench offline:
#   - Debian packages: libkrb5-dev (kerberos headers), ripgrep, chromium, fonts-noto-color-emoji (the ⛓ in screenshots), and a C/C++ toolchain
#   - code-server (VS Code for the browser, Node extension host) in .cache/code-server/,
#     with its native modules rebuilt for this Node.js and ripgrep taken from Debian
#     (@vscode/ripgrep would otherwise try to download its binary).
#
# Idempotent and cached: a stamp file records what was built; when it matches, the script
# only re-checks the Debian packages and a few files, which takes a second or two.
#
# Environment:
#   CODE_SERVER_VERSION   code-server version to install (default 4.100.3)
#   THROUGHLINE_E2E_CACHE cache folder (default <repo>/.cache/code-server)
#   E2E_SETUP_FORCE=1     ignore the stamp and redo every step
set -Eeuo pipefail

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${THROUGHLINE_E2E_CACHE:-$ROOT/.cache/code-server}"
STAMP="$CACHE/.setup-stamp"
VSCODE_DIR="$CACHE/node_modules/code-server/lib/vscode"
CODE_SERVER_BIN="$CACHE/node_modules/.bin/code-server"
NPM_QUIET=(--no-audit --no-fund --loglevel=error --no-update-notifier)

START_SECONDS=$SECONDS
CURRENT_STEP="starting"

log() { printf '[setup-e2e +%ss] %s\n' "$((SECONDS - START_SECONDS))" "$*"; }
step() { CURRENT_STEP="$*"; log "$*"; }
die() { printf '[setup-e2e] ERROR: %s\n' "$*" >&2; exit 1; }
on_error() {
  local rc=$?
  printf '[setup-e2e] ERROR: step failed (exit %s): %s\n' "$rc" "$CURRENT_STEP" >&2
  printf '[setup-e2e] Fix the problem above and re-run: bash scripts/setup-e2e.sh (E2E_SETUP_FORCE=1 to redo all steps)\n' >&2
  exit "$rc"
}
trap on_error ERR

# ---------------------------------------------------------------------------------------------
# Preconditions
# ---------------------------------------------------------------------------------------------
command -v node >/dev/null 2>&1 || die "node is not on PATH (Node.js 20 is required)"
command -v npm >/dev/null 2>&1 || die "npm is not on PATH"
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
[ "$NODE_MAJOR" -ge 20 ] || die "Node.js >= 20 is required (found $(node -v))"
NODE_ABI="$(node -p 'process.versions.modules')"
ARCH="$(node -p 'process.arch')"

# ---------------------------------------------------------------------------------------------
# 1. Debian packages (apt only when something is missing)
# ---------------------------------------------------------------------------------------------
step "checking Debian packages"
missing=()
dpkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
for pkg in libkrb5-dev ripgrep chromium fonts-noto-color-emoji; do
  dpkg_installed "$pkg" || missing+=("$pkg")
done
# Toolchain for node-gyp (native modules are rebuilt from source).
command -v make >/dev/null 2>&1 && command -v g++ >/dev/null 2>&1 || missing+=(build-essential)
command -v python3 >/dev/null 2>&1 || missing+=(python3)

if [ "${#missing[@]}" -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || die "missing packages (${missing[*]}) and apt-get is not available; install them by hand"
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "missing packages (${missing[*]}); run as root or install sudo"
    SUDO=(sudo)
  fi
  step "installing Debian packages: ${missing[*]} (apt-get update + install)"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y -qq -o=Dpkg::Use-Pty=0 "${missing[@]}" >/dev/null
  log "Debian packages installed"
else
  log "Debian packages present"
fi
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium not found after installing the chromium package"
command -v rg >/dev/null 2>&1 || die "rg (ripgrep) not found after installing the ripgrep package"
RG_BIN="$(command -v rg)"

# ---------------------------------------------------------------------------------------------
# 2. The cache: is it already built for this version / Node ABI / arch?
# ---------------------------------------------------------------------------------------------
# Bump RECIPE when the steps below change, so that existing caches are rebuilt.
RECIPE=1
STAMP_CONTENT="code-server=$CODE_SERVER_VERSION node-abi=$NODE_ABI arch=$ARCH recipe=$RECIPE"

cache_looks_complete() {
  [ -x "$CODE_SERVER_BIN" ] &&
    [ -x "$VSCODE_DIR/node_modules/@vscode/ripgrep/bin/rg" ] &&
    [ -L "$VSCODE_DIR/node_modules.asar" ] &&
    [ -d "$VSCODE_DIR/node_modules/node-pty" ]
}

if [ "${E2E_SETUP_FORCE:-0}" != "1" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$STAMP_CONTENT" ] && cache_looks_complete; then
  log "code-server $CODE_SERVER_VERSION already set up in ${CACHE#"$ROOT"/} (stamp matches: $STAMP_CONTENT)"
  log "done in $((SECONDS - START_SECONDS))s"
  exit 0
fi

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" != "$STAMP_CONTENT" ]; then
  step "stamp changed ($(cat "$STAMP") -> $STAMP_CONTENT): wiping $CACHE"
  rm -rf "$CACHE"
fi
rm -f "$STAMP"
mkdir -p "$CACHE"

# The cache folder gets its own package.json so npm never walks up to the project's.
if [ ! -f "$CACHE/package.json" ]; then
  cat >"$CACHE/package.json" <<'JSON'
{
  "name": "throughline-e2e-code-server",
  "private": true,
  "description": "Cache for the end-to-end tests (scripts/setup-e2e.sh). Not part of the project."
}
JSON
fi

# ---------------------------------------------------------------------------------------------
# 3. code-server itself (scripts off: its postinstall would try to download things)
# ---------------------------------------------------------------------------------------------
step "installing code-server@$CODE_SERVER_VERSION into ${CACHE#"$ROOT"/} (npm, a minute or two)"
(cd "$CACHE" && npm install --ignore-scripts --save-exact "${NPM_QUIET[@]}" "code-server@$CODE_SERVER_VERSION")
[ -d "$VSCODE_DIR" ] || die "code-server installed but $VSCODE_DIR is missing"

# ---------------------------------------------------------------------------------------------
# 4. VS Code's own production dependencies and native modules
# ---------------------------------------------------------------------------------------------
step "installing VS Code's production dependencies (lib/vscode, npm, a few minutes)"
(cd "$VSCODE_DIR" && npm install --omit=dev --ignore-scripts "${NPM_QUIET[@]}")

step "rebuilding VS Code's native modules for Node $(node -v) (node-gyp, a minute or two)"
# node-gyp must build against the local Node headers (it cannot download them here).
if [ -z "${npm_config_nodedir:-}" ] && [ "$(npm config get nodedir 2>/dev/null || true)" = "undefined" ]; then
  NODE_PREFIX="$(cd "$(dirname "$(readlink -f "$(command -v node)")")/.." && pwd)"
  if [ -f "$NODE_PREFIX/include/node/node.h" ]; then export npm_config_nodedir="$NODE_PREFIX"; fi
fi
# npm rebuild exits non-zero here although the modules build: node-pty's post-install also
# generates a compile_commands.json with `npx node-gyp`, which npx refuses to fetch. The real
# check is loading every module (below); the full log is kept for when that fails.
REBUILD_LOG="$CACHE/rebuild-vscode.log"
if ! (cd "$VSCODE_DIR" && npm rebuild "${NPM_QUIET[@]}" kerberos node-pty @parcel/watcher @vscode/spdlog native-watchdog) >"$REBUILD_LOG" 2>&1; then
  log "npm rebuild reported errors (expected: node-pty's optional compile_commands step); modules are verified below"
fi

step "using Debian's ripgrep ($RG_BIN) for @vscode/ripgrep"
mkdir -p "$VSCODE_DIR/node_modules/@vscode/ripgrep/bin"
cp -f "$RG_BIN" "$VSCODE_DIR/node_modules/@vscode/ripgrep/bin/rg"
chmod +x "$VSCODE_DIR/node_modules/@vscode/ripgrep/bin/rg"

if [ ! -e "$VSCODE_DIR/node_modules.asar" ]; then
  ln -s node_modules "$VSCODE_DIR/node_modules.asar"
fi

# ---------------------------------------------------------------------------------------------
# 5. code-server's own native module (password hashing; loaded even with --auth none)
# ---------------------------------------------------------------------------------------------
step "rebuilding argon2 for code-server"
(cd "$CACHE" && npm rebuild "${NPM_QUIET[@]}" argon2)

# ---------------------------------------------------------------------------------------------
# 6. Verify: every native module loads, and code-server runs
# ---------------------------------------------------------------------------------------------
step "verifying native modules load"
if ! (cd "$VSCODE_DIR" && node -e '
  const mods = ["kerberos", "node-pty", "node-pty/build/Release/pty.node", "@parcel/watcher", "@vscode/spdlog", "native-watchdog"];
  const failed = [];
  for (const m of mods) { try { require(m); } catch (e) { failed.push(m + ": " + e.message.split("\n")[0]); } }
  if (failed.length) { console.error("[setup-e2e] cannot load:\n  " + failed.join("\n  ")); process.exit(1); }
'); then
  printf '[setup-e2e] last lines of %s:\n' "$REBUILD_LOG" >&2
  tail -n 40 "$REBUILD_LOG" >&2 || true
  die "VS Code's native modules do not load (is a C++ toolchain, python3 and libkrb5-dev installed?)"
fi
(cd "$CACHE/node_modules/code-server" && node -e 'require("argon2")') || die "argon2 does not load"
# code-server writes a default config (with a generated password) to ~/.config and creates
# ~/.local/share/code-server unless told otherwise: keep both inside the cache. The harness
# gives every run its own config and XDG dirs.
printf 'auth: none\n' >"$CACHE/config.yaml"
VERSION_LINE="$(CODE_SERVER_CONFIG="$CACHE/config.yaml" XDG_DATA_HOME="$CACHE/xdg-data" "$CODE_SERVER_BIN" --version 2>&1 | head -n1)" || die "code-server --version failed: $VERSION_LINE"
case "$VERSION_LINE" in
  "$CODE_SERVER_VERSION"*) ;;
  *) die "unexpected code-server --version output: $VERSION_LINE" ;;
esac
log "code-server --version: $VERSION_LINE"

printf '%s\n' "$STAMP_CONTENT" >"$STAMP"
log "done in $((SECONDS - START_SECONDS))s (cached for next time: ${STAMP#"$ROOT"/})"
