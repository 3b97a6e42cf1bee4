import Postgres

/// The rows meant for the shop's own analytics tables while they wait in the warehouse, when those tables live in
/// another database (`DUSANGIRE_DJANGO_URL`): schema `shop_tables_pending`, migration 0009. Two databases cannot
/// commit together (prepared transactions are off by default), so the warehouse is the source of truth:
///
/// 1. the job writes these rows in its warehouse transaction, with its run marked `shop_tables = 'pending'`;
/// 2. `copy(to:)` writes them into the shop's tables in one shop transaction;
/// 3. `markSynced()` empties them and marks every pending run `synced`, in one warehouse transaction.
///
/// A crash or failure between two steps leaves pending rows; the next job (or `sync-shop`) runs steps 2 and 3
/// first. Step 2 is idempotent (upserts on the shop's unique keys; a campaign's row replaces the one tracked the
/// same shop day), so running it twice is harmless. Call everything while holding the job lock.
public struct PendingShopTables {
    /// Where the writers put the rows (the same table names as in the shop).
    public static let schema = "shop_tables_pending"

    private let warehouse: Connection

    public init(warehouse: Connection) { self.warehouse = warehouse }

    /// Runs whose rows have not reached the shop yet, oldest first.
    public func pendingRuns() throws -> [Int64] {
        try warehouse.execute("SELECT id FROM analytics.runs WHERE shop_tables = 'pending' ORDER BY id").rows.compactMap { $0[0].flatMap { Int64($0) } }
    }

    /// Copies every pending row into the shop's tables (`schema` on `shop`) in one shop transaction and returns the
    /// rows copied. `timeZone` names the shop's zone: a campaign's row replaces the rows of the same campaign tracked
    /// the same shop day.
    public func copy(to shop: Connection, schema: String = "public", timeZone: String) throws -> Int {
        let pending = PendingShopTables.schema
        let dates = try warehouse.scalar("SELECT COALESCE(array_agg(DISTINCT date), '{}')::text FROM \(pending).analytics_revenuestream") ?? "{}"
        let tracked = try warehouse.execute("""
            SELECT COALESCE(array_agg(campaign_id), '{}')::text, COALESCE(array_agg((tracked_at AT TIME ZONE $1)::date), '{}')::text
            FROM \(pending).analytics_campaignperformance
            """, [timeZone])
        var writes: [TableWrite] = []
        for table in ShopTable.all {
            // A campaign's tracking time is part of its row: copied as it was, not stamped again.
            let carried = table.load.key == nil ? table.load.stampedOnInsert : []
            var rows = CopyRows()
            let columns = (table.columns + carried).joined(separator: ", ")
            try warehouse.copyOut("COPY (SELECT \(columns) FROM \(pending).\(table.name)) TO STDOUT") { row in try rows.append(row: row) }
            writes.append(carried.isEmpty ? table.write(schema: schema, encoded: rows)
                          : TableWrite(table: "\(schema).\(table.name)", columns: table.columns + carried, rows: rows, shopTable: ShopTableLoad()))
        }
        return try shop.transaction {
            // As the writers do: the days hold exactly this project's channels; a campaign keeps one row per shop day.
            try shop.execute("DELETE FROM \(schema).analytics_revenuestream WHERE date = ANY($1::date[]) AND channel <> ALL($2::text[])",
                             [dates, DjangoTables.channels])
            try shop.execute("""
                DELETE FROM \(schema).analytics_campaignperformance
                WHERE (campaign_id, (tracked_at AT TIME ZONE $3)::date) IN (SELECT * FROM unnest($1::bigint[], $2::date[]))
                """, [tracked[0, 0], tracked[0, 1], timeZone])
            return try writes.reduce(0) { $0 + (try $1.write(on: shop)) }
        }
    }

    /// After `copy(to:)` committed: empties the pending rows and marks the pending runs `synced`.
    public func markSynced() throws {
        try warehouse.transaction {
            try warehouse.execute("TRUNCATE " + ShopTable.all.map { "\(PendingShopTables.schema).\($0.name)" }.joined(separator: ", "))
            try warehouse.execute("UPDATE analytics.runs SET shop_tables = 'synced', error = NULL WHERE shop_tables = 'pending'")
        }
    }
}
