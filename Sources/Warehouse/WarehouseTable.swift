import Analytics
import Postgres
import Shop

/// One warehouse table described once: its name and its columns, each column a name with how it writes a value of
/// `Row` into COPY text and (when it is read back) how it reads one. The same description gives the COPY column list
/// and the encoding of every row, the select list of a read, and the names a read decodes by; a value that cannot be
/// read is an error naming the table and the column, never a silent zero.
///
/// `stamps` are trailing columns with one value for all the rows of one write (the run that wrote them, the day they
/// are as of): encoded once per write, not once per row.
public struct WarehouseTable<Row>: Sendable {
    /// Schema-qualified, e.g. `analytics.daily_snapshot`.
    public let name: String
    public let columns: [Column<Row>]
    /// Columns written after `columns` with the same value on every row of a write.
    public let stamps: [String]
    /// A row to decode into (every readable column is then set); nil for a table that is only written.
    private let blank: (@Sendable () -> Row)?

    public init(_ name: String, stamps: [String] = ["run_id"], blank: (@Sendable () -> Row)? = nil, _ columns: [Column<Row>]) {
        self.name = name
        self.stamps = stamps
        self.blank = blank
        self.columns = columns
    }

    /// Every written column, in COPY order.
    public var columnNames: [String] { columns.map(\.name) + stamps }

    /// A writer for one load of this table; `stamps` are the values of the stamp columns, in their order.
    public func rows(stamps values: [any StoredValue] = []) -> TableRows<Row> {
        precondition(values.count == stamps.count, "\(name) takes \(stamps.count) stamp values")
        return TableRows(table: self, stamps: values)
    }

    /// The rows as one write of this table.
    public func write(_ rows: some Sequence<Row>, stamps values: [any StoredValue] = []) throws -> TableWrite {
        var w = self.rows(stamps: values)
        for r in rows { try w.append(r) }
        return w.write
    }

    /// The rows `row(0)`, `row(1)`, ... `row(count - 1)` as one write of this table, encoded on every core at once in
    /// contiguous parts (each compressing its own blocks) and joined in order: the same text as appending them one by
    /// one. `row` is called once per item, from several threads.
    public func write(count: Int, stamps values: [any StoredValue] = [], _ row: @Sendable (Int) -> Row) throws -> TableWrite {
        precondition(values.count == stamps.count, "\(name) takes \(stamps.count) stamp values")
        let parts = mapParts(of: count, perCore: 50_000) { part in
            var w = TableRows(table: self, stamps: values)
            return Result<CopyRows, any Error> { for k in part { try w.append(row(k)) }; return w.encoded }
        }
        var rows = CopyRows()
        for part in parts { rows.append(contentsOf: try part.get()) }
        return TableWrite(table: name, columns: columnNames, rows: rows)
    }

    /// The rows a query over this table returns: `SELECT <every readable column> FROM <name> <clause>`, each row
    /// decoded by column name into a fresh row. `clause` is the WHERE/ORDER BY text, with `$n` parameters.
    public func read(on connection: Connection, _ clause: String, _ parameters: [String?] = []) throws -> [Row] {
        guard let blank else { preconditionFailure("\(name) is not described for reading") }
        let readable = columns.filter { $0.decode != nil }
        let result = try connection.execute("SELECT \(readable.map(\.name).joined(separator: ", ")) FROM \(name) \(clause)", parameters)
        let at = try readable.map { c in
            guard let k = result.columns.firstIndex(of: c.name) else { throw PostgresError.missingColumn(source: name, column: c.name) }
            return k
        }
        return try result.rows.map { values in
            var row = blank()
            for (c, k) in zip(readable, at) where !c.decode!(&row, values[k]) {
                throw PostgresError.unreadableColumn(source: name, column: c.name, value: values[k], expected: c.expected)
            }
            return row
        }
    }

    /// The rows of a query written by hand (sums, joins), read by column name with errors naming this table.
    public func stored(_ result: QueryResult) -> [StoredRow] { StoredRow.rows(of: result, source: name) }

    /// The column named `name` (for another table holding the same values: the shop's own tables).
    public func column(_ name: String) -> Column<Row> {
        guard let c = columns.first(where: { $0.name == name }) else { preconditionFailure("\(self.name) has no column \(name)") }
        return c
    }

    /// How many rows PostgreSQL's statistics say the table holds (`pg_class.reltuples`, kept by the last `VACUUM`,
    /// `ANALYZE` or index build; 0 when it has none): a capacity to reserve before reading the table into memory, where
    /// a dictionary grown row by row was rebuilt about twenty times on the way to a million entries (at 10M orders a
    /// tenth of the nightly run's own CPU, most of it the kernel clearing the pages of each new copy). Never a count
    /// the job's figures rely on.
    public func estimatedRows(on connection: Connection) throws -> Int {
        let estimate = try connection.scalar("SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE oid = to_regclass($1)", [name])
        return estimate.flatMap { Int($0) } ?? 0
    }

    /// The position of `column` in `columnNames` (for COPY streams read back with this table's column list).
    public func position(of column: String) -> Int {
        guard let k = columnNames.firstIndex(of: column) else { preconditionFailure("\(name) has no column \(column)") }
        return k
    }
}

/// One column of a `WarehouseTable`: its name, how it writes a value of `Row`, and how it reads one back into `Row`.
public struct Column<Row>: Sendable {
    public let name: String
    /// Appends the column's field of the row `row` points to. The row is passed by address: `TableRows.append` hands
    /// every column the same row, where passing it by value copied the row (and retained its references) per cell.
    let encode: @Sendable (UnsafePointer<Row>, inout CopyRows) -> Void
    /// Sets the field of `Row` from the column's text (nil for NULL); false when the text is not such a value.
    let decode: (@Sendable (inout Row, String?) -> Bool)?
    /// What the column holds, for a decoding error ("an amount").
    let expected: String

    /// The same column under another name (another table's name for the same value).
    public func named(_ other: String) -> Column {
        Column(name: other, encode: encode, decode: decode, expected: expected)
    }

    private init(name: String, encode: @escaping @Sendable (UnsafePointer<Row>, inout CopyRows) -> Void,
                 decode: (@Sendable (inout Row, String?) -> Bool)?, expected: String) {
        self.name = name; self.encode = encode; self.decode = decode; self.expected = expected
    }

    /// A column kept in the field `path` of `Row`: written from it and read back into it.
    public init<V: StoredValue>(_ name: String, _ path: WritableKeyPath<Row, V> & Sendable) {
        self.name = name
        if let offset = MemoryLayout<Row>.offset(of: path) {
            // A stored field is read at its offset, as MemoryLayout documents: as fast as a closure `{ $0.field }`,
            // where going through the key path costs about 100 ns a cell (millions of cells in a backfill).
            encode = { row, w in UnsafeRawPointer(row).load(fromByteOffset: offset, as: V.self).encode(into: &w) }
        } else {
            encode = { row, w in row.pointee[keyPath: path].encode(into: &w) }
        }
        decode = { row, text in
            guard let v = V.decode(text) else { return false }
            row[keyPath: path] = v
            return true
        }
        expected = V.expected
    }

    /// A column written from a value computed from `Row` (a name looked up, a list joined); read back by hand.
    public init<V: StoredValue>(_ name: String, _ value: @escaping @Sendable (Row) -> V) {
        self.name = name
        encode = { row, w in value(row.pointee).encode(into: &w) }
        decode = nil
        expected = V.expected
    }

    /// A column with an encoding of its own (`encode` appends exactly one field); read back by hand.
    public init(_ name: String, encode: @escaping @Sendable (Row, inout CopyRows) -> Void) {
        self.name = name
        self.encode = { row, w in encode(row.pointee, &w) }
        decode = nil
        expected = "a value"
    }
}

/// The rows of one load of a table, encoded as they are appended.
public struct TableRows<Row> {
    private let table: WarehouseTable<Row>
    /// The columns' encoders, in order: iterating the columns themselves copied each one (its name, its reader), a
    /// retain and a release of four references per cell. Each is kept in a struct: an array of bare closures holds
    /// them in the most general form, and every call went through a conversion thunk.
    private let encoders: [Encoder]
    private struct Encoder { let encode: @Sendable (UnsafePointer<Row>, inout CopyRows) -> Void }
    private var rows = CopyRows()
    private let stampFields: [UInt8]

    init(table: WarehouseTable<Row>, stamps: [any StoredValue]) {
        self.table = table
        encoders = table.columns.map { Encoder(encode: $0.encode) }
        var s = CopyRows()
        for v in stamps { v.encode(into: &s) }
        stampFields = s.buffer
    }

    public mutating func append(_ row: Row) throws {
        withUnsafePointer(to: row) { p in
            encoders.withUnsafeBufferPointer { e in
                for k in e.indices { e[k].encode(p, &rows) }
            }
        }
        rows.append(encodedFields: stampFields, count: table.stamps.count)
        try rows.endRow()
    }

    /// Rows appended so far.
    public var count: Int { rows.rows }

    /// The rows appended so far, encoded.
    var encoded: CopyRows { rows }

    /// The rows as a write of the table.
    public var write: TableWrite { TableWrite(table: table.name, columns: table.columnNames, rows: rows) }
}

/// A row of a query, read by column name: a missing column or an unreadable value is an error that names the
/// table (or file) and the column.
public struct StoredRow {
    private let source: String
    private let index: [String: Int]
    private let values: [String?]

    static func rows(of result: QueryResult, source: String) -> [StoredRow] {
        var index: [String: Int] = [:]
        for (k, c) in result.columns.enumerated() where index[c] == nil { index[c] = k }
        return result.rows.map { StoredRow(source: source, index: index, values: $0) }
    }

    /// The value of `column` as a `V`.
    public func callAsFunction<V: StoredValue>(_ column: String, as type: V.Type = V.self) throws -> V {
        guard let k = index[column] else { throw PostgresError.missingColumn(source: source, column: column) }
        guard let v = V.decode(values[k]) else {
            throw PostgresError.unreadableColumn(source: source, column: column, value: values[k], expected: V.expected)
        }
        return v
    }
}

/// A value kept in a warehouse column: how it is written as one COPY field, and how the text a query returns for it
/// is read back.
public protocol StoredValue: Sendable {
    /// Appends the value as one COPY field.
    func encode(into rows: inout CopyRows)
    /// The value of a query's text (`nil` text is SQL NULL); nil when the text is not such a value.
    static func decode(_ text: String?) -> Self?
    /// What the column holds, in words, for an error ("a whole number").
    static var expected: String { get }
}

extension Optional: StoredValue where Wrapped: StoredValue {
    public func encode(into rows: inout CopyRows) {
        if let self { self.encode(into: &rows) } else { rows.appendNull() }
    }

    public static func decode(_ text: String?) -> Wrapped?? {
        guard let text else { return .some(nil) }
        return Wrapped.decode(text).map { .some($0) }
    }

    public static var expected: String { Wrapped.expected + " or NULL" }
}

extension Int: StoredValue {
    public func encode(into rows: inout CopyRows) { rows.append(self) }
    public static func decode(_ text: String?) -> Int? { text.flatMap { Int($0) } }
    public static var expected: String { "a whole number" }
}

extension Int64: StoredValue {
    public func encode(into rows: inout CopyRows) { rows.append(self) }
    public static func decode(_ text: String?) -> Int64? { text.flatMap { Int64($0) } }
    public static var expected: String { "a whole number" }
}

extension Int32: StoredValue {
    public func encode(into rows: inout CopyRows) { rows.append(Int64(self)) }
    public static func decode(_ text: String?) -> Int32? { text.flatMap { Int32($0) } }
    public static var expected: String { "a whole number" }
}

extension String: StoredValue {
    public func encode(into rows: inout CopyRows) { rows.append(self) }
    public static func decode(_ text: String?) -> String? { text }
    public static var expected: String { "text" }
}

extension Bool: StoredValue {
    public func encode(into rows: inout CopyRows) { rows.append(self) }
    public static func decode(_ text: String?) -> Bool? { text == "t" ? true : (text == "f" ? false : nil) }
    public static var expected: String { "t or f" }
}

/// A model estimate: written with every digit (`String(v)`), NULL when it is not finite.
extension Double: StoredValue {
    public func encode(into rows: inout CopyRows) {
        if isFinite { rows.append(self as Double?) } else { rows.appendNull() }
    }
    public static func decode(_ text: String?) -> Double? { text.flatMap { Double($0) } }
    public static var expected: String { "a number" }
}

/// An instant (microseconds since 1970-01-01 UTC) as a timestamptz, the text of `Instant.utcString`
/// (`2026-11-23 21:30:00.000000+00`), written straight into the rows.
public struct UTCTime: StoredValue {
    public var micros: Int64

    public init(micros: Int64) { self.micros = micros }

    public func encode(into rows: inout CopyRows) {
        let t = Instant.utc(micros: micros)
        let c = t.day.components
        rows.appendTimestamp(year: c.year, month: c.month, day: c.day, second: t.second, microsecond: t.microsecond)
    }

    public static func decode(_ text: String?) -> UTCTime? {
        guard var text else { return nil }
        return text.withUTF8 { CopyParse.timestampMicros($0) }.map(UTCTime.init(micros:))
    }

    public static var expected: String { "a time" }
}

extension CopyRows {
    /// Days as a `date[]` (`{2026-01-01,2026-03-01}`), in the order given.
    mutating func appendDateArray(_ days: some Sequence<ShopDay>) {
        appendDateArray(days.lazy.map(\.components))
    }
}

/// Exact numeric text with two decimals (`1234.50`).
extension Money: StoredValue {
    public func encode(into rows: inout CopyRows) { rows.appendScaled(hundredths, scale: 2) }
    public static func decode(_ text: String?) -> Money? { text.flatMap { Money(decimal: $0) } }
    public static var expected: String { "an amount" }
}

/// `YYYY-MM-DD`.
extension ShopDay: StoredValue {
    public func encode(into rows: inout CopyRows) {
        let c = components
        rows.appendDate(year: c.year, month: c.month, day: c.day)
    }
    public static func decode(_ text: String?) -> ShopDay? { text.flatMap { ShopDay(iso: $0) } }
    public static var expected: String { "a date" }
}

/// A value stored as its raw text (an enum of the shop's or the project's words).
public protocol StoredWord: StoredValue, RawRepresentable where RawValue == String {}

extension StoredWord {
    public func encode(into rows: inout CopyRows) { rows.append(rawValue) }
    public static func decode(_ text: String?) -> Self? { text.flatMap { Self(rawValue: $0) } }
    public static var expected: String { "one of " + String(describing: Self.self) + "'s words" }
}
