#!/usr/bin/env bash
# Installs the real editors the editor tests (test/editors/) drive headless:
#   - Neovim from Debian bookworm (0.7.2; any 0.7+ is accepted)
#   - Emacs 29+ (built-in eglot) as emacs-nox from bookworm-backports
#
# Idempotent and quiet: when both editors are already on the PATH at a good version it only
# checks them (well under a second) and touches neither apt nor the network. Otherwise it adds
# bookworm-backports to apt's sources when it is missing (same mirror as the machine's Debian
# source), runs `apt-get update` once and installs with --no-install-recommends. Needs root
# (or sudo) for apt-get.
#
# Environment:
#   EDITORS_SETUP_FORCE=1   reinstall even when the editors look fine
set -Eeuo pipefail

START_SECONDS=$SECONDS
CURRENT_STEP="starting"
MIN_EMACS_MAJOR=29

log() { printf '[setup-editors +%ss] %s\n' "$((SECONDS - START_SECONDS))" "$*"; }
step() { CURRENT_STEP="$*"; log "$*"; }
die() {
  printf '[setup-editors] ERROR: %s\n' "$*" >&2
  exit 1
}
on_error() {
  local rc=$?
  printf '[setup-editors] ERROR: step failed (exit %s): %s\n' "$rc" "$CURRENT_STEP" >&2
  printf '[setup-editors] Fix the problem above and re-run: bash scripts/setup-editors.sh\n' >&2
  exit "$rc"
}
trap on_error ERR

# "0.7.2" from "NVIM v0.7.2"; empty when nvim is missing or broken.
nvim_version() { command -v nvim >/dev/null 2>&1 && nvim --version 2>/dev/null | sed -n '1s/^NVIM v\([0-9][0-9.]*\).*/\1/p' || true; }
# "30" from "GNU Emacs 30.1"; empty when emacs is missing or broken.
emacs_major() { command -v emacs >/dev/null 2>&1 && emacs --version 2>/dev/null | sed -n '1s/^GNU Emacs \([0-9]*\)\..*/\1/p' || true; }

nvim_ok() {
  local v
  v="$(nvim_version)"
  [ -n "$v" ] || return 1
  local major="${v%%.*}" rest="${v#*.}"
  local minor="${rest%%.*}"
  [ "$major" -gt 0 ] || [ "$minor" -ge 7 ]
}
emacs_ok() {
  local major
  major="$(emacs_major)"
  [ -n "$major" ] && [ "$major" -ge "$MIN_EMACS_MAJOR" ]
}

step "checking editors"
need_nvim=0
need_emacs=0
if [ "${EDITORS_SETUP_FORCE:-0}" = "1" ]; then
  need_nvim=1
  need_emacs=1
fi
nvim_ok || need_nvim=1
emacs_ok || need_emacs=1

if [ "$need_nvim" = 0 ] && [ "$need_emacs" = 0 ]; then
  log "Neovim $(nvim_version) and Emacs $(emacs --version | sed -n '1s/^GNU Emacs //p') present"
  exit 0
fi

# ---------------------------------------------------------------------------------------------
# apt
# ---------------------------------------------------------------------------------------------
command -v apt-get >/dev/null 2>&1 || die "Neovim 0.7+ and Emacs ${MIN_EMACS_MAJOR}+ are needed and apt-get is not available; install them by hand"
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || die "installing editors needs root: run as root or install sudo"
  SUDO=(sudo)
fi
CODENAME="$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")"
[ -n "$CODENAME" ] || die "cannot tell the Debian release from /etc/os-release"

packages=()
[ "$need_nvim" = 0 ] || packages+=(neovim)

if [ "$need_emacs" = 1 ]; then
  BACKPORTS="$CODENAME-backports"
  # Is a backports suite already configured (one-line .list or deb822 .sources)?
  if ! grep -rqsE "(^deb[[:space:]].*[[:space:]]$BACKPORTS([[:space:]]|$))|(^Suites:.*[[:space:]]$BACKPORTS([[:space:]]|$))" \
    /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null; then
    # Reuse the mirror the machine's Debian source already uses.
    MIRROR="$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -E '/debian/?$' | head -n1 || true)"
    if [ -z "$MIRROR" ]; then
      MIRROR="$(grep -hsE "^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?[a-z]+://[^[:space:]]+[[:space:]]+$CODENAME[[:space:]]" /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
        sed -E 's/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?//' | awk '{print $1}' | head -n1 || true)"
    fi
    MIRROR="${MIRROR:-http://deb.debian.org/debian}"
    step "adding $BACKPORTS ($MIRROR) to /etc/apt/sources.list.d/$BACKPORTS.list"
    printf 'deb %s %s main\n' "$MIRROR" "$BACKPORTS" | "${SUDO[@]}" tee "/etc/apt/sources.list.d/$BACKPORTS.list" >/dev/null
  fi
fi

export DEBIAN_FRONTEND=noninteractive
APT_LOG="$(mktemp)"
trap 'rm -f "$APT_LOG"' EXIT
step "apt-get update"
if ! "${SUDO[@]}" apt-get update -qq >"$APT_LOG" 2>&1; then
  cat "$APT_LOG" >&2
  die "apt-get update failed (is the Debian mirror reachable?)"
fi
APT_INSTALL=(apt-get install -y -qq --no-install-recommends -o=Dpkg::Use-Pty=0)

if [ "${#packages[@]}" -gt 0 ]; then
  step "installing ${packages[*]}"
  if ! "${SUDO[@]}" "${APT_INSTALL[@]}" "${packages[@]}" >"$APT_LOG" 2>&1; then
    tail -n 30 "$APT_LOG" >&2
    die "apt-get install ${packages[*]} failed"
  fi
fi
if [ "$need_emacs" = 1 ]; then
  step "installing emacs-nox from $BACKPORTS"
  if ! "${SUDO[@]}" "${APT_INSTALL[@]}" -t "$BACKPORTS" emacs-nox >"$APT_LOG" 2>&1; then
    tail -n 30 "$APT_LOG" >&2
    die "apt-get install -t $BACKPORTS emacs-nox failed (Emacs ${MIN_EMACS_MAJOR}+ comes from $BACKPORTS)"
  fi
fi

# ---------------------------------------------------------------------------------------------
# Verify
# ---------------------------------------------------------------------------------------------
step "verifying"
nvim_ok || die "Neovim 0.7+ is not on the PATH after installing (found: '$(nvim_version)')"
emacs_ok || die "Emacs ${MIN_EMACS_MAJOR}+ is not on the PATH after installing (found major version: '$(emacs_major)'); is another emacs earlier on the PATH?"
emacs --batch --eval '(progn (require (quote eglot)) (princ "eglot ok\n"))' >/dev/null 2>&1 || die "Emacs $(emacs_major) has no eglot"
log "Neovim $(nvim_version) and Emacs $(emacs --version | sed -n '1s/^GNU Emacs //p') ready in $((SECONDS - START_SECONDS))s"
