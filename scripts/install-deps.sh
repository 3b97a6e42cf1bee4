#!/usr/bin/env bash
# Install the system packages dusangire-analytics needs to build, test and demo
# (Debian/Ubuntu, apt).  Only touches apt when something is missing; works as
# root or, when not root, through sudo.  One line of output per action.
set -euo pipefail

PACKAGES=(
    libpq-dev             # libpq for the PostgreSQL client (CLibPQ)
    libxlsxwriter-dev     # .xlsx reports
    libcurl4-openssl-dev  # HTTP (mail/webhooks)
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

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "install-deps: all ${#PACKAGES[@]} packages present"
    exit 0
fi

SUDO=()
if [[ $EUID -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    SUDO=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
log="$(mktemp -t install-deps.XXXXXX.log)"
trap 'rm -f "$log"' EXIT

echo "install-deps: apt-get update"
if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >"$log" 2>&1; then
    cat "$log" >&2; echo "install-deps: apt-get update failed" >&2; exit 1
fi
echo "install-deps: apt-get install ${missing[*]}"
if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        "${missing[@]}" >"$log" 2>&1; then
    cat "$log" >&2; echo "install-deps: apt-get install failed" >&2; exit 1
fi
echo "install-deps: installed ${#missing[@]} package(s)"
