#!/usr/bin/env bash
# Benchmark: how much slower than a plain COPY of the orders is a full backfill?
#
#   ORDERS=1000000 CUSTOMERS=100000 scripts/bench.sh
#
# Uses the embedded server var/bench-pg (port $PGPORT_EMBEDDED, default 5435),
# database dusangire_bench (shop schema, seeded with ORDERS orders; reseeded only
# when the order count differs or BENCH_RESEED=1) and dusangire_bench_warehouse
# (recreated each time).  Times
#   (a) psql \copy of the order columns the ETL reads, to /dev/null
#   (b) dusangire-analytics backfill over the whole seeded range (Kigali days)
# and prints both in seconds, the ratio b/a and the backfill's peak RSS.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BIN="${DUSANGIRE_BIN:-$ROOT/.build/release/dusangire-analytics}"
PG_DIR="${BENCH_PG_DIR:-$ROOT/var/bench-pg}"
ORDERS="${ORDERS:-1000000}"
CUSTOMERS="${CUSTOMERS:-$(( ORDERS / 10 > 0 ? ORDERS / 10 : 1 ))}"
OUT="${BENCH_OUT:-$ROOT/var/bench-output}"
SHOP_DB=dusangire_bench
WAREHOUSE_DB=dusangire_bench_warehouse
export PGPORT_EMBEDDED="${PGPORT_EMBEDDED:-5435}"

[[ -x "$BIN" ]] || { echo "bench: $BIN not built (run: make build)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "bench: /usr/bin/time missing (run: make deps)" >&2; exit 1; }

now() { date +%s.%N; }

scripts/pg.sh start "$PG_DIR"
eval "$(scripts/pg.sh env "$PG_DIR")"
export PGUSER=postgres
url() { printf 'postgresql://%s@/%s?host=%s&port=%s' "$1" "$2" "$PGHOST" "$PGPORT"; }

have=0
if [[ "${BENCH_RESEED:-0}" != 1 ]] && psql -X -Atc "SELECT 1 FROM pg_database WHERE datname = '$SHOP_DB'" | grep -q 1; then
    have="$(psql -X -At -d "$SHOP_DB" -c 'SELECT count(*) FROM public.orders_order')"
fi
if [[ "$have" != "$ORDERS" ]]; then
    echo "bench: seeding $ORDERS orders, $CUSTOMERS customers into $SHOP_DB"
    scripts/shop-db.sh "$SHOP_DB"
    t0="$(now)"
    DUSANGIRE_SEED_URL="$(url postgres "$SHOP_DB")" "$BIN" seed --orders "$ORDERS" --customers "$CUSTOMERS" --days "${DAYS:-730}"
    echo "bench: seeded in $(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }') s"
    psql -X -q -d "$SHOP_DB" -c 'VACUUM ANALYZE'
else
    echo "bench: reusing $SHOP_DB ($have orders; BENCH_RESEED=1 to reseed)"
fi

PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists --force "$WAREHOUSE_DB"
createdb "$WAREHOUSE_DB"
export DUSANGIRE_SOURCE_URL="$(url dusangire_reader "$SHOP_DB")"
export DUSANGIRE_WAREHOUSE_URL="$(url postgres "$WAREHOUSE_DB")"
"$BIN" migrate

read -r FROM TO < <(psql -X -At -F ' ' -d "$SHOP_DB" -c \
    "SELECT min(created_at AT TIME ZONE 'Africa/Kigali')::date, max(created_at AT TIME ZONE 'Africa/Kigali')::date FROM public.orders_order")
[[ -n "$FROM" ]] || { echo "bench: no orders in $SHOP_DB" >&2; exit 1; }
echo "bench: range $FROM .. $TO"

# (a) the floor: stream the order columns out of the server.
t0="$(now)"
psql -X -q -d "$SHOP_DB" -U dusangire_reader -c "\copy (SELECT id,user_id,status,payment_method,payment_status,subtotal,delivery_charge,discount_amount,loyalty_discount_amount,vip_discount_amount,corporate_discount_amount,referral_discount_amount,total,created_at,updated_at,delivered_at FROM orders_order) TO '/dev/null'"
t1="$(now)"
copy_s="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')"

# (b) the backfill of the daily figures only, (c) the whole job (customers, campaigns, funnel too), each over the
# whole range, each in a fresh warehouse so neither profits from the other.
mkdir -p "$OUT"
timelog="$(mktemp)"
trap 'rm -f "$timelog"' EXIT
backfill() {  # $1 = --areas value; prints "seconds rss_kb"
    PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists --force "$WAREHOUSE_DB"
    createdb "$WAREHOUSE_DB"
    "$BIN" migrate >/dev/null
    local t0 t1
    t0="$(now)"
    /usr/bin/time -v -o "$timelog" "$BIN" backfill --from "$FROM" --to "$TO" --areas "$1" --no-report >&2
    t1="$(now)"
    printf '%s %s\n' "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" \
        "$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$timelog")"
}
read -r daily_s daily_kb < <(backfill none)
read -r full_s full_kb < <(backfill all)
ratio() { awk -v a="$copy_s" -v b="$1" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "n/a" }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }

echo
echo "bench: orders                          $ORDERS, customers $CUSTOMERS ($FROM .. $TO)"
echo "bench: (a) \\copy of the order columns   ${copy_s} s   (the floor)"
echo "bench: (b) backfill, daily figures      ${daily_s} s   ratio b/a $(ratio "$daily_s")   peak RSS $(mib "$daily_kb")"
echo "bench: (c) backfill, every area         ${full_s} s   ratio c/a $(ratio "$full_s")   peak RSS $(mib "$full_kb")"
