#!/usr/bin/env bash
# Install everything the workshop dashboard and its browser test need, offline-ready.
#
#   scripts/install_frontend.sh [VENV]        (VENV defaults to .venv)
#
# 1. pip: the pinned dashboard packages (Solara + the assets it would otherwise
#    fetch from a public CDN) and Playwright, into VENV.
# 2. npm: the four front-end packages Solara still loads from its CDN proxy
#    (vega, vega-lite, vega-embed for Altair charts; KaTeX for Markdown maths),
#    unpacked into the folder that Solara's CDN proxy serves from
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
# solara 1.64.1 asks for @widgetti/solara-vuetify-app@10.1.1, which solara-assets
# 1.58.2 (the newest on PyPI) ships; ipyvue/ipyvuetify 3 leave Mesa's grid blank
# (mesa issue 3806) and would need vuetify3 assets that solara-assets 1.58.2 lacks.
PIP_PINS=(
    "solara==1.64.1"
    "solara-server==1.64.1"
    "solara-ui==1.64.1"
    "solara-assets==1.58.2"
    "ipyvue==1.13.0"
    "ipyvuetify==1.12.0"
    "ipywidgets==8.1.9"
    "reacton==1.11.1"
    "altair==6.3.0"
    "starlette==0.52.1"
)
BROWSER_PINS=("playwright==1.65.2")
AXE_PIN="axe-core@4.14.1"   # the browser tests inject VENV/share/axe-core/axe.min.js
# npm spec | folder name under the CDN dir (the exact path Solara's front end requests:
# solara/widgets/vue/vegalite.vue asks for vega@5, vega-lite@5, vega-embed@6;
# solara/components/markdown.py asks for katex@0.16.9)
NPM_PINS=(
    "vega@5.33.1|vega@5"
    "vega-lite@5.23.0|vega-lite@5"
    "vega-embed@6.29.0|vega-embed@6"
    "katex@0.16.9|katex@0.16.9"
)
# a file each folder must hold afterwards (relative to the CDN dir)
REQUIRED_ASSETS=(
    "@widgetti/solara-vuetify-app@10.1.1/dist/solara-vuetify-app8.min.js"
    "@widgetti/solara-vuetify-app@10.1.1/dist/main8.css"
    "@widgetti/solara-vuetify-app@10.1.1/dist/fonts.css"
    "requirejs@2.3.6/require.js"
    "font-awesome@4.5.0/css/font-awesome.min.css"
    "vega@5/build/vega.min.js"
    "vega-lite@5/build/vega-lite.min.js"
    "vega-embed@6/build/vega-embed.min.js"
    "katex@0.16.9/dist/katex.min.js"
    "katex@0.16.9/dist/katex.min.css"
    "katex@0.16.9/dist/contrib/auto-render.min.js"
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

# --- 2. npm assets into Solara's CDN proxy folder ---
STEP="locate Solara's CDN folder"
CDN="$(SOLARA_TELEMETRY_MIXPANEL_ENABLE=False "$PY" -c \
    'import solara.server.settings as s; print(s.assets.proxy_cache_dir)' 2>>"$LOG")"
[[ -n "$CDN" ]] || die "could not ask Solara where its CDN folder is"
mkdir -p "$CDN"

STEP="npm pack of the front-end assets"
for pin in "${NPM_PINS[@]}"; do
    spec="${pin%%|*}"; folder="${pin##*|}"
    name="${spec%@*}"; ver="${spec##*@}"
    dest="$CDN/$folder"
    have="$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' \
        "$dest/package.json" 2>/dev/null || true)"
    [[ "$have" == "$ver" ]] && continue
    command -v npm >/dev/null || die "npm is needed to fetch $spec (apt-get install npm)"
    PACKDIR="${PACKDIR:-$(mktemp -d -t install_frontend.XXXXXX)}"
    STEP="npm pack $spec"
    tgz="$(cd "$PACKDIR" && npm pack --silent "$spec" 2>>"$LOG" | tail -n 1)"
    [[ -f "$PACKDIR/$tgz" ]] || die "npm pack $spec produced no tarball"
    STEP="unpack $spec into $dest"
    rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
    run tar -xzf "$PACKDIR/$tgz" -C "$dest.tmp" --strip-components=1
    rm -rf "$dest" && mv "$dest.tmp" "$dest"
done

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
