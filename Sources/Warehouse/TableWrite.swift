import Postgres
import Shop

/// One SQL statement with its parameters, as a value (run later, inside the load transaction).
public struct SQLStatement: Sendable, Equatable {
    public var sql: String
    public var parameters: [String?]

    public init(_ sql: String, _ parameters: [String?] = []) {
        self.sql = sql
        self.parameters = parameters
    }
}

/// The rows one table gets from a job, encoded for COPY: the job's load step writes them, nothing else does.
public struct TableWrite: Sendable {
    /// Schema-qualified, e.g. `analytics.daily_snapshot`.
    public var table: String
    /// The columns of `rows`, in order.
    public var columns: [String]
    public var rows: CopyRows
    /// For the shop's own tables: the rows go through a temporary table and one INSERT (an upsert on `key`) that
    /// sets the stamp columns to `now()`. `nil` for the warehouse's tables, which are plain COPY.
    public var shopTable: ShopTableLoad?

    public init(table: String, columns: [String], rows: CopyRows = CopyRows(), shopTable: ShopTableLoad? = nil) {
        self.table = table
        self.columns = columns
        self.rows = rows
        self.shopTable = shopTable
    }

    /// Writes the rows on `connection` (inside the caller's transaction); returns the number of rows.
    public func write(on connection: Connection) throws -> Int {
        let list = columns.joined(separator: ", ")
        guard let shopTable else { return try connection.copyIn("COPY \(table) (\(list)) FROM STDIN", rows: rows) }
        let temp = "load_" + table.split(separator: ".").last!
        try connection.execute("CREATE TEMP TABLE IF NOT EXISTS \(temp) ON COMMIT DROP AS SELECT \(list) FROM \(table) WITH NO DATA")
        try connection.execute("TRUNCATE \(temp)")
        let n = try connection.copyIn("COPY \(temp) (\(list)) FROM STDIN", rows: rows)
        let stamps = shopTable.stampedOnInsert
        var sql = "INSERT INTO \(table) (\((columns + stamps).joined(separator: ", "))) SELECT "
            + (columns + stamps.map { _ in "now()" }).joined(separator: ", ") + " FROM \(temp)"
        if let key = shopTable.key {
            let updates = columns.filter { !key.contains($0) }.map { "\($0) = EXCLUDED.\($0)" } + shopTable.stampedOnUpdate.map { "\($0) = now()" }
            sql += " ON CONFLICT (\(key.joined(separator: ", "))) DO UPDATE SET " + updates.joined(separator: ", ")
        }
        try connection.execute(sql)
        return n
    }
}

/// How rows reach one of the shop's own `analytics_*` tables, the one way all four are written: COPY into a temporary
/// table holding just the written columns (never `id`, which the shop's identity column fills), then one INSERT (an
/// upsert when `key` is given) that also sets the timestamp columns to `now()`. The temporary table is dropped at commit.
public struct ShopTableLoad: Sendable {
    /// The unique key to upsert on; nil to insert only.
    public var key: [String]?
    /// Set to `now()` when a row is inserted, and (`stampedOnUpdate`) when an upsert updates it.
    public var stampedOnInsert: [String]
    public var stampedOnUpdate: [String]

    public init(key: [String]? = nil, stampedOnInsert: [String] = [], stampedOnUpdate: [String] = []) {
        self.key = key
        self.stampedOnInsert = stampedOnInsert
        self.stampedOnUpdate = stampedOnUpdate
    }
}

/// What one part of a job changes in one database, as values: the old rows to delete, then the new rows to write.
/// The job's load step runs every part's deletes first, then every part's writes, in one transaction.
public struct TableChanges: Sendable {
    public var deletes: [SQLStatement]
    public var writes: [TableWrite]
    /// Rows that could not be written (a value too wide for the shop's column), kept as rejected rows instead.
    public var problems: [RejectedRow]

    public init(deletes: [SQLStatement] = [], writes: [TableWrite] = [], problems: [RejectedRow] = []) {
        self.deletes = deletes
        self.writes = writes
        self.problems = problems
    }

    public static func + (a: TableChanges, b: TableChanges) -> TableChanges {
        TableChanges(deletes: a.deletes + b.deletes, writes: a.writes + b.writes, problems: a.problems + b.problems)
    }

    /// Rows to be written.
    public var rowCount: Int { writes.reduce(0) { $0 + $1.rows.rows } }
}
