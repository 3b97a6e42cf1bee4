#!/usr/bin/env bash
# Renders every HTML report in a folder with headless Chromium and fails if one does not render: the page must
# load with no console error and produce a non-empty screenshot. Screenshots go next to the reports as *.png.
#   scripts/check-html.sh [output]
set -euo pipefail
dir="${1:-output}"
browser="$(command -v chromium || command -v chromium-browser || true)"
if [[ -z "$browser" ]]; then
    echo "check-html: installing chromium (apt)"
    if [[ $EUID -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
    $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
    browser="$(command -v chromium)"
fi
shopt -s nullglob
pages=("$dir"/*.html "$dir"/masked/*.html)
[[ ${#pages[@]} -gt 0 ]] || { echo "check-html: no HTML files in $dir" >&2; exit 1; }
failed=0
for page in "${pages[@]}"; do
    png="${page%.html}.png"
    log="$(mktemp)"
    if ! timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=420,3000 \
            --enable-logging=stderr --v=0 --screenshot="$png" "file://$(realpath "$page")" >"$log" 2>&1; then
        echo "check-html: FAILED to render $page"; failed=1
    elif grep -E 'CONSOLE|Uncaught|Failed to load|net::ERR' "$log" >/dev/null; then
        echo "check-html: errors while rendering $page:"; grep -E 'CONSOLE|Uncaught|Failed to load|net::ERR' "$log" | head -5; failed=1
    elif [[ ! -s "$png" ]]; then
        echo "check-html: no screenshot for $page"; failed=1
    else
        echo "check-html: ok $page ($(stat -c %s "$png") byte screenshot at phone width)"
    fi
    rm -f "$log"
done
exit "$failed"
