#!/usr/bin/env bash
# End-to-end demo on a private embedded PostgreSQL (var/demo-pg):
#   fresh shop database (schema + read-only role) -> seed 90 days -> recommended indexes -> migrate the
#   warehouse -> backfill the 90 days -> run yesterday with --django-tables -> reports.
# Usually started by `make demo` (which builds first).  Re-running starts from scratch.
#
# Databases:  dusangire_shop       the shop (written only by `seed` and by --django-tables)
#             dusangire_warehouse  the ETL's own warehouse
# Environment passed to the binary (URLs only; no password ever appears in argv):
#   DUSANGIRE_SOURCE_URL     dusangire_reader@dusangire_shop (read-only role)
#   DUSANGIRE_WAREHOUSE_URL  postgres@dusangire_warehouse
#   DUSANGIRE_DJANGO_URL     postgres@dusangire_shop (writes the shop's analytics_* tables)
#   DUSANGIRE_SEED_URL       postgres@dusangire_shop
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BIN="${DUSANGIRE_BIN:-$ROOT/.build/release/dusangire-analytics}"
PG_DIR="${DEMO_PG_DIR:-$ROOT/var/demo-pg}"
OUT="${DEMO_OUT:-$ROOT/output}"
DAYS="${DEMO_DAYS:-90}"
CUSTOMERS="${DEMO_CUSTOMERS:-2000}"
SHOP_DB=dusangire_shop
WAREHOUSE_DB=dusangire_warehouse

step() { printf '\n==> %s\n' "$*"; }

[[ -x "$BIN" ]] || { echo "demo: $BIN not built (run: make build)" >&2; exit 1; }

scripts/pg.sh start "$PG_DIR"
eval "$(scripts/pg.sh env "$PG_DIR")"
export PGUSER=postgres
url() { printf 'postgresql://%s@/%s?host=%s&port=%s' "$1" "$2" "$PGHOST" "$PGPORT"; }

step "fresh databases $SHOP_DB and $WAREHOUSE_DB"
scripts/shop-db.sh "$SHOP_DB"
PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists --force "$WAREHOUSE_DB"
createdb "$WAREHOUSE_DB"

export DUSANGIRE_SOURCE_URL="$(url dusangire_reader "$SHOP_DB")"
export DUSANGIRE_WAREHOUSE_URL="$(url postgres "$WAREHOUSE_DB")"
export DUSANGIRE_DJANGO_URL="$(url postgres "$SHOP_DB")"
export DUSANGIRE_SEED_URL="$(url postgres "$SHOP_DB")"

# Shop days are Kigali days.
FROM="$(TZ=Africa/Kigali date -d "$DAYS days ago" +%F)"
TO="$(TZ=Africa/Kigali date -d yesterday +%F)"

mkdir -p "$OUT"

step "seed: $DAYS days, $CUSTOMERS customers"
"$BIN" seed --days "$DAYS" --customers "$CUSTOMERS"

step "the indexes the README recommends on the shop (sql/shop/recommended_indexes.sql)"
psql -X -q -v ON_ERROR_STOP=1 -d "$SHOP_DB" -f sql/shop/recommended_indexes.sql

step "migrate the warehouse"
"$BIN" migrate

step "backfill $FROM .. $TO (also the shop's own analytics tables)"
"$BIN" backfill --from "$FROM" --to "$TO" --django-tables --out "$OUT"

# Customer and campaign figures are computed as of a job's last day. The weekly and monthly reports show them as of
# the period's last day, so compute those two days too (before `run`, which leaves the latest figures current).
LAST_SUNDAY="$(TZ=Africa/Kigali date -d "$(TZ=Africa/Kigali date +%F) -$(TZ=Africa/Kigali date +%u) days" +%F)"
LAST_MONTH_END="$(TZ=Africa/Kigali date -d "$(TZ=Africa/Kigali date +%Y-%m-01) -1 day" +%F)"
for D in $(printf '%s\n' "$LAST_MONTH_END" "$LAST_SUNDAY" | sort -u); do
    if [[ ! "$D" < "$FROM" && "$D" < "$TO" ]]; then
        step "customers and campaigns as of $D (the last day of a weekly or monthly report)"
        "$BIN" backfill --from "$D" --to "$D" --areas customers,campaigns --no-report --quiet
    fi
done

step "run (yesterday, $TO) with --django-tables"
"$BIN" run --django-tables --out "$OUT"

# The daily report was written by `run`; the weekly and monthly ones cover the last complete week and month.
step "report --name weekly (week ending $LAST_SUNDAY)"
"$BIN" report --name weekly --date "$LAST_SUNDAY" --out "$OUT"
step "report --name monthly (month ending $LAST_MONTH_END)"
"$BIN" report --name monthly --date "$LAST_MONTH_END" --out "$OUT"
step "send --name daily --dry-run (the e-mails as .eml files; masked copies for roles without customer data)"
"$BIN" send --name daily --date "$TO" --dry-run --out "$OUT"

step "done"
echo "output files in $OUT:"
find "$OUT" -maxdepth 1 -type f \( -name '*.html' -o -name '*.pdf' -o -name '*.xlsx' -o -name '*.eml' -o -name '*.json' \) | sort | sed "s|^$ROOT/||; s|^|  |"
echo "  ... and $(find "$OUT" -name '*.csv' | wc -l) CSV files (one per table); masked copies in $OUT/masked/"
echo "open the daily report: $OUT/daily-$TO.html (or .pdf, .xlsx)"
echo "shop database:      psql \"$DUSANGIRE_DJANGO_URL\""
echo "warehouse database: psql \"$DUSANGIRE_WAREHOUSE_URL\""
echo "stop the server:    make pg-stop"
