#!/usr/bin/env bash
# Install the system packages dusangire-analytics needs to build, test and demo
# (Debian/Ubuntu, apt).  Only touches apt when something is missing; works as
# root or, when not root, through sudo.  One line of output per action.
set -euo pipefail

PACKAGES=(
    libpq-dev             # libpq for the PostgreSQL client (CLibPQ)
    libxlsxwriter-dev     # .xlsx reports
    libcurl4-openssl-dev  # HTTP (mail/webhooks)
    libcairo2-dev         # PNG charts for the e-mail and the PDF report (CCairo)
    libzstd-dev           # the rows waiting for the load, compressed (CZstd)
    fonts-dejavu-core     # the font cairo draws the charts and the PDF with
    chromium              # tests and make check-html: lay the e-mail and pages out at phone width
    poppler-utils         # tests: pdfinfo, pdftoppm, pdftotext read the PDF back
    libreoffice-calc-nogui  # tests: a real spreadsheet program opens the workbook (and turns it into pictures to look at)
    postgresql            # server binaries (15 on bookworm) for the embedded test/demo server
    postgresql-client     # psql, createdb, pg_isready
    unzip
    python3               # scripts/extract-shop-ddl.py
    pkg-config            # SwiftPM finds libpq / xlsxwriter through it
    tzdata                # Africa/Kigali
    time                  # /usr/bin/time -v in scripts/bench.sh
)

installed() {
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

missing=()
for p in "${PACKAGES[@]}"; do
    installed "$p" || missing+=("$p")
done
if [[ ! -x /usr/bin/time ]] && [[ ! " ${missing[*]} " == *" time "* ]]; then
    missing+=(time)
fi

SUDO=()
if [[ $EUID -ne 0 ]] && command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
fi
need_root() {
    [[ $EUID -eq 0 || ${#SUDO[@]} -gt 0 ]] || { echo "install-deps: need root or sudo to install: $*" >&2; exit 1; }
}

export DEBIAN_FRONTEND=noninteractive
log="$(mktemp -t install-deps.XXXXXX.log)"
trap 'rm -f "$log"' EXIT

apt_updated=0
apt_update() {
    [[ $apt_updated -eq 1 ]] && return
    echo "install-deps: apt-get update"
    if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >"$log" 2>&1; then
        cat "$log" >&2; echo "install-deps: apt-get update failed" >&2; exit 1
    fi
    apt_updated=1
}

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "install-deps: all ${#PACKAGES[@]} packages present"
else
    need_root "${missing[*]}"
    apt_update
    echo "install-deps: apt-get install ${missing[*]}"
    if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
            "${missing[@]}" >"$log" 2>&1; then
        cat "$log" >&2; echo "install-deps: apt-get install failed" >&2; exit 1
    fi
    echo "install-deps: installed ${#missing[@]} package(s)"
fi

# aiosmtpd: the local SMTP server the delivery tests send mail to (scripts/smtp-sink.py). pip for the python3 on
# PATH; where pip is missing or refuses (Debian's own python3 is "externally managed"), Debian's python3-aiosmtpd.
if python3 -c 'import aiosmtpd' 2>/dev/null; then
    echo "install-deps: python3 aiosmtpd present"
else
    echo "install-deps: pip install aiosmtpd"
    if ! python3 -m pip install -q --disable-pip-version-check aiosmtpd >"$log" 2>&1 \
            || ! python3 -c 'import aiosmtpd' 2>/dev/null; then
        need_root python3-aiosmtpd
        apt_update
        echo "install-deps: pip could not install it; apt-get install python3-aiosmtpd"
        if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
                python3-aiosmtpd >"$log" 2>&1; then
            cat "$log" >&2; echo "install-deps: apt-get install python3-aiosmtpd failed" >&2; exit 1
        fi
        python3 -c 'import aiosmtpd' 2>/dev/null \
            || { echo "install-deps: aiosmtpd is installed but $(command -v python3) cannot import it" >&2; exit 1; }
    fi
fi

# Swift: not an apt package on Debian. A Swift 6 toolchain must be on PATH (swift.org's tarball unpacked in /opt/swift
# with /opt/swift/usr/bin on PATH, or swiftly); say so plainly instead of failing later in the build.
swift_hint="install a Swift 6 toolchain from https://www.swift.org/install/linux/ (swiftly, or the tarball unpacked in /opt/swift) and put its usr/bin on PATH"
if ! command -v swift >/dev/null 2>&1; then
    echo "install-deps: no swift on PATH; $swift_hint" >&2; exit 1
fi
swift_major="$(swift --version 2>/dev/null | sed -nE 's/.*Swift version ([0-9]+)\..*/\1/p' | head -n 1)"
if [[ -z "$swift_major" || "$swift_major" -lt 6 ]]; then
    echo "install-deps: $(command -v swift) is not Swift 6 or later; $swift_hint" >&2; exit 1
fi
echo "install-deps: swift $(swift --version 2>/dev/null | sed -nE 's/.*Swift version ([0-9.]+).*/\1/p' | head -n 1) present"
