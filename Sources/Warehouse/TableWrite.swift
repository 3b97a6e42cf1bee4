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
    /// The job emptied the table earlier in the same transaction (`TRUNCATE`) and this write fills it again: with at
    /// least `TableWrite.rebuildFrom` rows, the table's indexes are dropped before the COPY and built again after it,
    /// from the sorted rows, which costs PostgreSQL less than adding a million entries one by one (README,
    /// "Benchmark"). An index a foreign key relies on stays. Transactional like the rest of the load: a failure leaves
    /// the table and its indexes as they were.
    public var refills: Bool

    /// Below this many rows, keeping the indexes costs less than building them again.
    static let rebuildFrom = 20_000

    public init(table: String, columns: [String], rows: CopyRows = CopyRows(), shopTable: ShopTableLoad? = nil, refills: Bool = false) {
        self.table = table
        self.columns = columns
        self.rows = rows
        self.shopTable = shopTable
        self.refills = refills
    }

    /// This write, marked as filling a table the load emptied before it (`refills`) when `emptied`.
    public func refilling(_ emptied: Bool = true) -> TableWrite {
        var w = self
        w.refills = emptied
        return w
    }

    /// Writes the rows on `connection` (inside the caller's transaction); returns the number of rows.
    public func write(on connection: Connection) throws -> Int {
        guard let shopTable else {
            guard refills, rows.rows >= TableWrite.rebuildFrom else { return try copy(on: connection) }
            let indexes = try TableIndex.droppable(of: table, on: connection)
            for i in indexes { try connection.execute(i.drop) }
            let n = try copy(on: connection)
            for i in indexes { try connection.execute(i.create) }
            return n
        }
        let list = columns.joined(separator: ", ")
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

extension TableWrite {
    /// From this many rows on, a warehouse table's rows go in PostgreSQL's binary format, turned from their text on
    /// the way (`Connection.copyInBinary`): the server then parses no numbers, dates or times, which was a third to
    /// half of its time on the customer tables. Below, the catalog lookup costs more than it saves.
    static let binaryFrom = 1_000

    /// COPY of the rows into `table`: binary when there are enough of them and every column's type has a binary
    /// form here, else text. The stored values are the same either way.
    func copy(on connection: Connection) throws -> Int {
        let sql = "COPY \(table) (\(columns.joined(separator: ", "))) FROM STDIN"
        guard rows.rows >= TableWrite.binaryFrom, let layout = try connection.binaryCopyLayout(table: table, columns: columns) else {
            return try connection.copyIn(sql, rows: rows)
        }
        return try connection.copyInBinary(sql, rows: rows, layout: layout).rows
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

/// One index of a warehouse table, as the catalog states it: how to drop it and how to build it again, the same name
/// and definition (a primary key or unique constraint stays a constraint).
struct TableIndex {
    var drop: String
    var create: String

    /// The indexes of `table` that no foreign key relies on, in a fixed order.
    static func droppable(of table: String, on connection: Connection) throws -> [TableIndex] {
        let result = try connection.execute("""
            SELECT i.indexrelid::regclass::text AS index_name, pg_get_indexdef(i.indexrelid) AS index_definition,
                   quote_ident(c.conname) AS constraint_name, pg_get_constraintdef(c.oid) AS constraint_definition
            FROM pg_index i
            LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u')
            WHERE i.indrelid = $1::regclass
              AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = i.indexrelid)
            ORDER BY i.indexrelid
            """, [table])
        return try StoredRow.rows(of: result, source: table).map { row in
            if let constraint = try row("constraint_name", as: String?.self) {
                let definition = try row("constraint_definition", as: String.self)
                return TableIndex(drop: "ALTER TABLE \(table) DROP CONSTRAINT \(constraint)",
                                  create: "ALTER TABLE \(table) ADD CONSTRAINT \(constraint) \(definition)")
            }
            return TableIndex(drop: "DROP INDEX \(try row("index_name", as: String.self))", create: try row("index_definition", as: String.self))
        }
    }
}
