#!/usr/bin/env bash
# Install everything the workshop dashboard and its browser test need, offline-ready.
#
#   scripts/install_frontend.sh [VENV]        (VENV defaults to .venv)
#
# 1. pip: the pinned dashboard packages (the `workshop` extra of pyproject.toml:
#    Solara + solara-assets, the files it would otherwise fetch from a public CDN)
#    and Playwright, into VENV. The pages load nothing else (no vega, no KaTeX:
#    they draw no Altair chart and no Markdown maths), so `pip install
#    "ijmond-sim[workshop]"` alone serves them offline.
# 2. a check that the files the pages load are in Solara's CDN folder
#    (solara.server.settings.assets.proxy_cache_dir = VENV/share/solara/cdn).
# 3. npm: axe-core (the accessibility checker the browser tests inject), into
#    VENV/share/axe-core/ (unless IJMOND_NO_BROWSER=1).
# 4. apt: Debian's chromium, only if /usr/bin/chromium is missing.
#
# Idempotent: a second run checks and changes nothing. Quiet on success; on an
# error it prints the failing step and its output and exits non-zero.
# Set IJMOND_NO_BROWSER=1 to skip Playwright and Chromium (a laptop that only
# serves the dashboard needs neither).
set -Eeuo pipefail

VENV="${1:-.venv}"

# --- pins (checked together: every asset loads from localhost, nothing off-host) ---
# The dashboard's pins are the `workshop` extra of pyproject.toml (read below).
# solara 1.64.1 asks for @widgetti/solara-vuetify-app@10.1.1, which solara-assets
# 1.58.2 (the newest on PyPI) ships; ipyvue/ipyvuetify 3 leave Mesa's grid blank
# (mesa issue 3806) and would need vuetify3 assets that solara-assets 1.58.2 lacks.
BROWSER_PINS=("playwright==1.65.2")
AXE_PIN="axe-core@4.14.1"   # the browser tests inject VENV/share/axe-core/axe.min.js
# a file the pages load from each folder of the CDN dir (all from solara-assets)
REQUIRED_ASSETS=(
    "@widgetti/solara-vuetify-app@10.1.1/dist/solara-vuetify-app8.min.js"
    "@widgetti/solara-vuetify-app@10.1.1/dist/main8.css"
    "@widgetti/solara-vuetify-app@10.1.1/dist/fonts.css"
    "requirejs@2.3.6/require.js"
    "font-awesome@4.5.0/css/font-awesome.min.css"
)

LOG="$(mktemp -t install_frontend.XXXXXX.log)"
STEP="start"
cleanup() { rm -f "$LOG"; [[ -n "${PACKDIR:-}" ]] && rm -rf "$PACKDIR"; return 0; }
on_error() {
    local rc=$?
    echo "install_frontend.sh: FAILED at step: $STEP (exit $rc)" >&2
    echo "---- output of that step ----" >&2
    cat "$LOG" >&2 || true
    exit "$rc"
}
trap on_error ERR
trap cleanup EXIT
run() { "$@" >>"$LOG" 2>&1; }
die() { echo "install_frontend.sh: $*" >&2; exit 1; }

PY="$VENV/bin/python"
[[ -x "$PY" ]] || die "no virtual environment at '$VENV' (expected $PY); run 'make setup' first"
"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 12))' \
    || die "$PY is older than Python 3.12 (Mesa 3.5 needs 3.12)"

# --- 1. pip ---
STEP="read the workshop pins of pyproject.toml"
mapfile -t PIP_PINS < <("$PY" -c 'import sys, tomllib
print("\n".join(tomllib.load(open(sys.argv[1], "rb"))["project"]["optional-dependencies"]["workshop"]))' \
    "$(dirname "$0")/../pyproject.toml")
[[ ${#PIP_PINS[@]} -gt 0 ]] || die "no workshop pins in pyproject.toml"
STEP="pip install of the dashboard packages"
want=("${PIP_PINS[@]}")
[[ "${IJMOND_NO_BROWSER:-0}" == 1 ]] || want+=("${BROWSER_PINS[@]}")
# pip's own check is slow-ish; skip it when every pin is already installed
missing="$("$PY" - "${want[@]}" <<'EOF'
import sys
from importlib.metadata import PackageNotFoundError, version
for spec in sys.argv[1:]:
    name, pinned = spec.split("==")
    try:
        if version(name) != pinned:
            print(spec)
    except PackageNotFoundError:
        print(spec)
EOF
)"
if [[ -n "$missing" ]]; then
    run "$PY" -m pip install --quiet --disable-pip-version-check "${want[@]}"
fi

# --- 2. the files the pages load, in Solara's CDN proxy folder ---
STEP="locate Solara's CDN folder"
CDN="$(SOLARA_TELEMETRY_MIXPANEL_ENABLE=False "$PY" -c \
    'import solara.server.settings as s; print(s.assets.proxy_cache_dir)' 2>>"$LOG")"
[[ -n "$CDN" ]] || die "could not ask Solara where its CDN folder is"
mkdir -p "$CDN"

STEP="check the local assets"
for f in "${REQUIRED_ASSETS[@]}"; do
    [[ -s "$CDN/$f" ]] || die "front-end asset missing after install: $CDN/$f"
done

# --- 3. axe-core for the accessibility check of the browser tests ---
if [[ "${IJMOND_NO_BROWSER:-0}" != 1 ]]; then
    STEP="npm pack $AXE_PIN"
    dest="$VENV/share/axe-core"
    have="$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' \
        "$dest/package.json" 2>/dev/null || true)"
    if [[ "$have" != "${AXE_PIN##*@}" ]]; then
        command -v npm >/dev/null || die "npm is needed to fetch $AXE_PIN (apt-get install npm)"
        PACKDIR="${PACKDIR:-$(mktemp -d -t install_frontend.XXXXXX)}"
        tgz="$(cd "$PACKDIR" && npm pack --silent "$AXE_PIN" 2>>"$LOG" | tail -n 1)"
        [[ -f "$PACKDIR/$tgz" ]] || die "npm pack $AXE_PIN produced no tarball"
        rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
        run tar -xzf "$PACKDIR/$tgz" -C "$dest.tmp" --strip-components=1
        rm -rf "$dest" && mv "$dest.tmp" "$dest"
    fi
    [[ -s "$dest/axe.min.js" ]] || die "axe-core missing after install: $dest/axe.min.js"
fi

# --- 4. Chromium for the browser test ---
if [[ "${IJMOND_NO_BROWSER:-0}" != 1 && ! -x /usr/bin/chromium ]]; then
    STEP="apt-get install chromium"
    SUDO=""
    if [[ "$(id -u)" != 0 ]]; then
        command -v sudo >/dev/null || die "/usr/bin/chromium is missing and this is not root (run: apt-get install chromium)"
        SUDO="sudo"
    fi
    run $SUDO apt-get update -qq
    run env DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium
    [[ -x /usr/bin/chromium ]] || die "apt-get installed chromium but /usr/bin/chromium is missing"
fi
