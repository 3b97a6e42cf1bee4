#!/usr/bin/env bash
# (Re)create a shop database on the server PGHOST/PGPORT/PGUSER point at (run as a
# superuser, e.g. after `eval "$(scripts/pg.sh env DIR)"`):
#
#   scripts/shop-db.sh DBNAME
#
# Drops DBNAME if it exists, creates it, loads sql/shop/0001_shop_schema.sql and
# grants the read-only login role `dusangire_reader` (no password; the embedded
# server trusts local connections) SELECT on every table in public, with
# default_transaction_read_only = on, so the ETL reads the shop the way it will
# in production.
set -euo pipefail

[[ $# -eq 1 ]] || { echo "usage: $0 DBNAME" >&2; exit 2; }
DB="$1"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCHEMA="$ROOT/sql/shop/0001_shop_schema.sql"
READER="${DUSANGIRE_READER_ROLE:-dusangire_reader}"

psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists --force "$DB"
createdb "$DB"
psql_q -d "$DB" -f "$SCHEMA" >/dev/null
psql_q -d "$DB" -v db="$DB" -v reader="$READER" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'reader')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'reader') \gexec
ALTER ROLE :"reader" SET default_transaction_read_only = on;
GRANT CONNECT ON DATABASE :"db" TO :"reader";
GRANT USAGE ON SCHEMA public TO :"reader";
GRANT SELECT ON ALL TABLES IN SCHEMA public TO :"reader";
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO :"reader";
SQL
echo "shop-db: $DB created ($(psql -X -At -d "$DB" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") tables), reader role $READER"
