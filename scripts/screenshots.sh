#!/usr/bin/env bash
# The README's pictures, from the demo's own output (run `make demo` first):
#   docs/email-phone.png   the manager's daily e-mail as a 390 px phone shows it (headless Chromium)
#   docs/pdf-page1.png     the first page of the daily PDF report (pdftoppm)
#   scripts/screenshots.sh [output] [docs]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-output}" docs="${2:-docs}"
shopt -s nullglob
mails=("$out"/daily-*-manager@*.eml)
pdfs=("$out"/daily-*.pdf)
[[ ${#mails[@]} -gt 0 && ${#pdfs[@]} -gt 0 ]] || { echo "screenshots: no daily e-mail or PDF in $out; run make demo first" >&2; exit 1; }
command -v pdftoppm >/dev/null || { echo "screenshots: pdftoppm is missing (scripts/install-deps.sh installs poppler-utils)" >&2; exit 1; }
mkdir -p "$docs"
mail="${mails[-1]}" pdf="${pdfs[-1]}"
"$here/render-page.py" screenshot "$mail" 390 "$docs/email-phone.png"
pdftoppm -png -r 70 -f 1 -l 1 -singlefile "$pdf" "$docs/pdf-page1"
echo "$docs/pdf-page1.png (page 1 of $pdf)"
