import Postgres

/// Writes rows into one of the shop's own `analytics_*` tables, the one way all four are written: COPY into a
/// temporary table holding just the given columns, then one INSERT (an upsert when `key` is given) that also sets
/// the timestamp columns to `now()`. Call inside the load transaction; the temporary table is dropped at commit.
struct ShopTableLoad {
    let connection: Connection
    /// Schema-qualified, e.g. `public.analytics_revenuestream`.
    let table: String
    /// The columns the caller writes, in COPY order (never `id`, which the shop's identity column fills).
    let columns: [String]
    /// The unique key to upsert on; nil to insert only.
    var key: [String]? = nil
    /// Set to `now()` when a row is inserted, and (`stampedOnUpdate`) when an upsert updates it.
    var stampedOnInsert: [String] = []
    var stampedOnUpdate: [String] = []

    /// Copies the rows the writer appends (one value per column of `columns`, in order) and loads them.
    func load(_ fill: (inout CopyWriter) throws -> Void) throws -> Int {
        let temp = "load_" + table.split(separator: ".").last!
        let list = columns.joined(separator: ", ")
        try connection.execute("CREATE TEMP TABLE IF NOT EXISTS \(temp) ON COMMIT DROP AS SELECT \(list) FROM \(table) WITH NO DATA")
        try connection.execute("TRUNCATE \(temp)")
        let n = try connection.copyIn("COPY \(temp) (\(list)) FROM STDIN", fill)
        var sql = "INSERT INTO \(table) (\((columns + stampedOnInsert).joined(separator: ", "))) SELECT "
            + (columns + stampedOnInsert.map { _ in "now()" }).joined(separator: ", ") + " FROM \(temp)"
        if let key {
            let updates = columns.filter { !key.contains($0) }.map { "\($0) = EXCLUDED.\($0)" } + stampedOnUpdate.map { "\($0) = now()" }
            sql += " ON CONFLICT (\(key.joined(separator: ", "))) DO UPDATE SET " + updates.joined(separator: ", ")
        }
        try connection.execute(sql)
        return n
    }
}
