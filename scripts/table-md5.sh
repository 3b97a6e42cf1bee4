#!/usr/bin/env bash
# md5 of every analytics table's contents, one line per table, to compare two runs of the job:
#   scripts/table-md5.sh DATABASE            (warehouse: the analytics schema)
#   scripts/table-md5.sh DATABASE shop       (the shop's own analytics_* tables that the job writes)
# Columns that name a run or a moment (run_id, id, *_at, tracked_at, watermark...) are left out, and the run log,
# migrations and delivery log are skipped: what is compared is the figures. Uses PGHOST/PGPORT/PGUSER.
set -euo pipefail
DB="$1"; WHAT="${2:-warehouse}"
if [[ "$WHAT" == shop ]]; then
    where="table_schema = 'public' AND table_name IN ('analytics_dailyanalyticssnapshot', 'analytics_revenuestream',
           'analytics_customermetrics', 'analytics_campaignperformance')"
else
    where="table_schema = 'analytics' AND table_name NOT IN ('runs', 'schema_migrations', 'delivery_log')"
fi
skip="('run_id', 'id', 'created_at', 'updated_at', 'tracked_at', 'started_at', 'finished_at', 'applied_at', 'watermark', 'sent_at')"
psql -X -At -d "$DB" -c "
    SELECT table_schema || '.' || table_name, string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position)
    FROM information_schema.columns WHERE $where AND column_name NOT IN $skip
    GROUP BY 1 ORDER BY 1" |
while IFS='|' read -r table cols; do
    printf '%-45s %s\n' "$table" "$(psql -X -At -d "$DB" -c \
        "SELECT count(*) || ' ' || coalesce(md5(string_agg(r, '|' ORDER BY r)), '-') FROM (SELECT ($cols)::text AS r FROM $table) t")"
done
