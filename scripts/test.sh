#!/usr/bin/env bash
# Build and run the Swift tests against a throwaway embedded PostgreSQL.
#
# The server lives in a temporary directory (port $PGPORT_EMBEDDED, default 5434,
# unix socket only) and is stopped and deleted on exit.  The tests see:
#   PGHOST, PGPORT, PGUSER=postgres   the server (superuser, trust auth)
#   DUSANGIRE_TEST_PG=1               integration tests may use it
#   DUSANGIRE_SHOP_SCHEMA_SQL         absolute path of sql/shop/0001_shop_schema.sql
# Extra arguments go to `swift test` (e.g. scripts/test.sh --filter IntegrationTests).
# Exit code: swift build's or swift test's.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export PGPORT_EMBEDDED="${PGPORT_EMBEDDED:-5434}"
PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/dusangire-test-pg.XXXXXX")"

cleanup() {
    local rc=$?
    scripts/pg.sh destroy "$PG_DIR" >/dev/null 2>&1 || rm -rf "$PG_DIR"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

scripts/pg.sh start "$PG_DIR"
eval "$(scripts/pg.sh env "$PG_DIR")"
export PGUSER=postgres
export DUSANGIRE_TEST_PG=1
export DUSANGIRE_SHOP_SCHEMA_SQL="$ROOT/sql/shop/0001_shop_schema.sql"

swift build --build-tests
# The tests are XCTest; --disable-swift-testing keeps Swift Testing from closing the output with "0 tests".
log="$(mktemp)"
set +e
swift test --skip-build --disable-swift-testing "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
# One plain closing line: "tests: N passed, N failed, N skipped" from XCTest's last summary, which reads
# "Executed 139 tests, with 1 test skipped and 0 failures" when a test was skipped. Its "failures" are failed
# assertions (one test can fail several), so the failed tests are counted from their own "Test Case ... failed" lines.
summary="$(grep -E 'Executed [0-9]+ tests?, with ' "$log" | tail -n 1)"
failed_tests="$(grep -cE "^Test Case '.*' failed \(" "$log" || true)"
rm -f "$log"
if [[ -n "$summary" ]]; then
    executed="$(sed -E 's/.*Executed ([0-9]+) tests?.*/\1/' <<<"$summary")"
    failures="$(sed -E 's/.* ([0-9]+) failures?.*/\1/' <<<"$summary")"
    skipped="$(grep -oE '[0-9]+ tests? skipped' <<<"$summary" | grep -oE '^[0-9]+' || echo 0)"
    echo "test.sh: swift test exit code $rc"
    echo "tests: $((executed - failed_tests - skipped)) passed, $failed_tests failed, $skipped skipped$( ((failures > 0)) && echo " ($failures failed assertions)")"
else
    echo "test.sh: swift test exit code $rc (no XCTest summary found)"
fi
exit "$rc"
