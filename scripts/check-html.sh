#!/usr/bin/env bash
# Renders every HTML report and every e-mail (.eml) in a folder with headless Chromium, as a reader on a 390 px
# phone would see it, and fails if one does not render or does not fit:
#   - the page must load with no console error and produce a non-empty screenshot (next to it, as *.png);
#   - at 390 px the page must not be wider than the screen (no sideways scrolling; a wide table scrolls in its box);
#   - an e-mail must also be at most three 844 px screens tall, and every cid: picture it shows must be in it.
#   scripts/check-html.sh [output]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
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
mails=("$dir"/*.eml)
[[ ${#pages[@]} -gt 0 ]] || { echo "check-html: no HTML files in $dir" >&2; exit 1; }
width=390 screen=844
failed=0

# fits FILE MAX_HEIGHT: the laid-out size at $width px; fails when wider than the screen or taller than MAX_HEIGHT.
fits() {
    local size w h
    if ! size="$("$here/render-page.py" measure "$1" "$width")"; then
        echo "check-html: FAILED to lay out $1 at $width px"; return 1
    fi
    w="${size%x*}" h="${size#*x}"
    if (( w > width )); then
        echo "check-html: $1 is $w px wide at $width px: it scrolls sideways"; return 1
    fi
    if [[ -n "$2" ]] && (( h > $2 )); then
        echo "check-html: $1 is $h px tall at $width px, more than $(( $2 / screen )) screens of $screen px"; return 1
    fi
    echo "check-html: ok $1 (${w}x${h} at $width px)"
}

for page in "${pages[@]}"; do
    png="${page%.html}.png"
    log="$(mktemp)"
    if ! timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=500,3000 \
            --enable-logging=stderr --v=0 --screenshot="$png" "file://$(realpath "$page")" >"$log" 2>&1; then
        echo "check-html: FAILED to render $page"; failed=1
    elif grep -E 'CONSOLE|Uncaught|Failed to load|net::ERR' "$log" >/dev/null; then
        echo "check-html: errors while rendering $page:"; grep -E 'CONSOLE|Uncaught|Failed to load|net::ERR' "$log" | head -5; failed=1
    elif [[ ! -s "$png" ]]; then
        echo "check-html: no screenshot for $page"; failed=1
    else
        fits "$page" "" || failed=1
    fi
    rm -f "$log"
done
for mail in "${mails[@]}"; do
    fits "$mail" $(( 3 * screen )) || failed=1
done
exit "$failed"
