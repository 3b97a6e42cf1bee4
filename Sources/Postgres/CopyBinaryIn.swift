import CLibPQ

/// How one column of a table takes a value in PostgreSQL's binary COPY format, from the column's type in the catalog.
/// A type not listed here (`jsonb`, `text[]`, a domain) leaves the whole table to the text format.
enum BinaryField {
    case int2, int4, int8, float8, bool, text, numeric, date, timestamptz, dateArray, int8Array

    init?(typeOid: Int64) {
        switch typeOid {
        case 21: self = .int2
        case 23: self = .int4
        case 20: self = .int8
        case 701: self = .float8
        case 16: self = .bool
        case 25, 1043: self = .text  // text, varchar (its length limit is checked on the way in, as for text input)
        case 1700: self = .numeric
        case 1082: self = .date
        case 1184: self = .timestamptz
        case 1182: self = .dateArray
        case 1016: self = .int8Array
        default: return nil
        }
    }
}

extension BinaryColumn {
    /// How a column of `field`'s type is read from a binary COPY; nil for a type `BinaryCopyRow` has no reader for.
    init?(_ field: BinaryField) {
        switch field {
        case .int2, .int4, .int8: self = .integer
        case .text: self = .text
        case .numeric: self = .numeric
        case .date: self = .date
        case .timestamptz: self = .timestamptz
        case .bool: self = .boolean
        case .dateArray: self = .dateArray
        case .float8, .int8Array: return nil
        }
    }
}

/// The binary format of the columns of one `COPY table (columns) FROM STDIN`, in the list's order.
public struct BinaryCopyLayout: Sendable {
    let fields: [BinaryField]
}

/// A field of the text rows that is not what its column's type reads the way this transcoder knows: the rows are
/// loaded as text instead (from a savepoint), where PostgreSQL reads them as it always did.
struct UnexpectedCopyText: Error {}

extension Connection {
    /// The binary format of `columns` of `table`, from the catalog; nil when a column is missing or has a type the
    /// transcoder does not know (the rows then go as text).
    public func binaryCopyLayout(table: String, columns: [String]) throws -> BinaryCopyLayout? {
        guard !columns.isEmpty else { return nil }
        let result = try execute("""
            SELECT a.attname::text AS name, a.atttypid::bigint AS type_oid
            FROM pg_attribute a
            WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
            """, [table])
        var types: [String: Int64] = [:]
        for values in result.rows { if let n = values[0], let t = values[1].flatMap({ Int64($0) }) { types[n] = t } }
        var fields: [BinaryField] = []
        for c in columns {
            guard let t = types[c], let f = BinaryField(typeOid: t) else { return nil }
            fields.append(f)
        }
        return BinaryCopyLayout(fields: fields)
    }

    /// How `columns` of `table` are read from a binary COPY, from the catalog as `binaryCopyLayout` finds their types;
    /// nil when a column is missing or has a type the reader does not know (the rows are then read as text).
    public func binaryColumns(table: String, columns: [String]) throws -> [BinaryColumn]? {
        guard let layout = try binaryCopyLayout(table: table, columns: columns) else { return nil }
        let read = layout.fields.compactMap(BinaryColumn.init)
        return read.count == layout.fields.count ? read : nil
    }

    /// Loads `rows` (COPY text) with `sql` (a `COPY ... FROM STDIN` of `layout`'s columns) in the binary format: each
    /// block of text is turned into PostgreSQL's binary format on its way out, on this side, while the server stores
    /// the block before. The server then parses no numbers, dates or times: a third to a half of its time on the
    /// large customer tables (README, "Benchmark"). The stored values are the same as the text's: PostgreSQL's own
    /// input rules give these bits for this text (`BinaryCopyInTests`).
    ///
    /// Should a field be one the transcoder does not read (text the warehouse's encoder never writes), the rows go as
    /// text instead: inside a transaction from a savepoint taken before, outside one after the failed COPY. Returns
    /// the number of rows, and whether they went as text.
    @discardableResult
    public func copyInBinary(_ sql: String, rows: CopyRows, layout: BinaryCopyLayout) throws -> (rows: Int, asText: Bool) {
        let inTransaction = PQtransactionStatus(handle) == PQTRANS_INTRANS
        if inTransaction { _ = try execute("SAVEPOINT dusangire_binary_copy") }
        do {
            let n = try copyIn(sql + " (FORMAT binary)") { w in
                var out = BinaryCopyOut(fields: layout.fields)
                out.header()
                func send(_ out: inout BinaryCopyOut) throws {
                    try putCopyData(out.pending)
                    out.sent()
                }
                try rows.forEachBlock { try out.transcode($0, flush: send) }
                out.trailer()
                try send(&out)
                w.rows = rows.rows
            }
            if inTransaction { _ = try execute("RELEASE SAVEPOINT dusangire_binary_copy") }
            return (n, false)
        } catch is UnexpectedCopyText {
            if inTransaction { _ = try execute("ROLLBACK TO SAVEPOINT dusangire_binary_copy"); _ = try execute("RELEASE SAVEPOINT dusangire_binary_copy") }
            return (try copyIn(sql, rows: rows), true)
        }
    }
}

/// The binary COPY stream being built from text rows: `transcode` takes whole rows (a `CopyRows` block ends with one).
/// The bytes go into a buffer written through a pointer: appending them to an array one by one cost more than the
/// server saved by not parsing text.
struct BinaryCopyOut: ~Copyable {
    let fields: [BinaryField]
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(fields: [BinaryField]) {
        self.fields = fields
        capacity = 1 << 19
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    /// The bytes not yet sent.
    var pending: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
    mutating func sent() { count = 0 }

    /// Room for `n` more bytes.
    mutating func reserve(_ n: Int) {
        guard count + n > capacity else { return }
        let bigger = max(capacity * 2, count + n)
        let b = UnsafeMutablePointer<UInt8>.allocate(capacity: bigger)
        b.update(from: base, count: count)
        base.deallocate()
        base = b
        capacity = bigger
    }

    mutating func header() {
        reserve(19)
        for b in Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] { put8(b) }
        put32(0); put32(0)  // flags, header extension length
    }

    mutating func trailer() { reserve(2); put16(-1) }

    // The puts write into room `reserve` made.
    @inline(__always) mutating func put8(_ v: UInt8) { base[count] = v; count += 1 }
    @inline(__always) mutating func put16(_ v: Int16) {
        UnsafeMutableRawPointer(base + count).storeBytes(of: UInt16(bitPattern: v).bigEndian, as: UInt16.self); count += 2
    }
    @inline(__always) mutating func put32(_ v: Int32) {
        UnsafeMutableRawPointer(base + count).storeBytes(of: UInt32(bitPattern: v).bigEndian, as: UInt32.self); count += 4
    }
    @inline(__always) mutating func put64(_ v: Int64) {
        UnsafeMutableRawPointer(base + count).storeBytes(of: UInt64(bitPattern: v).bigEndian, as: UInt64.self); count += 8
    }

    /// Whole rows of COPY text (fields separated by tabs, each row ended by a newline); `flush` is called whenever
    /// 256 KiB are pending, so the server stores them while the next are made.
    mutating func transcode(_ text: UnsafeRawBufferPointer, flush: (inout BinaryCopyOut) throws -> Void) throws {
        let t = text.bindMemory(to: UInt8.self)
        var i = 0
        let n = t.count
        let last = fields.count - 1
        while i < n {
            reserve(2)
            put16(Int16(fields.count))
            for k in 0...last {
                var j = i
                while j < n && t[j] != 9 && t[j] != 10 { j += 1 }
                guard j < n, (t[j] == 9) == (k < last) else { throw UnexpectedCopyText() }
                // The most any field's binary form takes: an array of one-character elements, 12 bytes each.
                reserve(24 + 12 * (j - i))
                try put(UnsafeBufferPointer(rebasing: t[i..<j]), as: fields[k])
                i = j + 1
            }
            if count >= 1 << 18 { try flush(&self) }
        }
    }

    /// One field's text as `field`'s binary value, with its length first; `\N` is NULL.
    mutating func put(_ f: UnsafeBufferPointer<UInt8>, as field: BinaryField) throws {
        if f.count == 2 && f[0] == 92 && f[1] == 78 { put32(-1); return }
        switch field {
        case .int2:
            guard let v = CopyDigits.integer(f), let s = Int16(exactly: v) else { throw UnexpectedCopyText() }
            put32(2); put16(s)
        case .int4:
            guard let v = CopyDigits.integer(f), let s = Int32(exactly: v) else { throw UnexpectedCopyText() }
            put32(4); put32(s)
        case .int8:
            guard let v = CopyDigits.integer(f) else { throw UnexpectedCopyText() }
            put32(8); put64(v)
        case .float8:
            // Swift's shortest text for a double (`Double.description`) reads back as the same double, as PostgreSQL's
            // float8 input reads it.
            guard let v = Double(String(decoding: f, as: UTF8.self)) else { throw UnexpectedCopyText() }
            put32(8); put64(Int64(bitPattern: v.bitPattern))
        case .bool:
            guard f.count == 1, f[0] == UInt8(ascii: "t") || f[0] == UInt8(ascii: "f") else { throw UnexpectedCopyText() }
            put32(1); put8(f[0] == UInt8(ascii: "t") ? 1 : 0)
        case .text:
            try putText(f)
        case .numeric:
            try putNumeric(f)
        case .date:
            guard let d = CopyDigits.date(f) else { throw UnexpectedCopyText() }
            put32(4); put32(Int32(d - CopyDigits.postgresEpochDay))
        case .timestamptz:
            guard let m = CopyDigits.utcTimestamp(f) else { throw UnexpectedCopyText() }
            put32(8); put64(m)
        case .dateArray:
            try putArray(f, elementOid: 1082, elementSize: 4)
        case .int8Array:
            try putArray(f, elementOid: 20, elementSize: 8)
        }
    }

    /// COPY text with its escapes (`\\`, `\t`, `\n`, `\r`, the only ones the encoder writes) undone.
    mutating func putText(_ f: UnsafeBufferPointer<UInt8>) throws {
        let lengthAt = count
        put32(0)
        var i = 0
        while i < f.count {
            let b = f[i]
            if b != 92 { put8(b); i += 1; continue }
            guard i + 1 < f.count else { throw UnexpectedCopyText() }
            switch f[i + 1] {
            case 92: put8(92)
            case UInt8(ascii: "t"): put8(9)
            case UInt8(ascii: "n"): put8(10)
            case UInt8(ascii: "r"): put8(13)
            default: throw UnexpectedCopyText()
            }
            i += 2
        }
        UnsafeMutableRawPointer(base + lengthAt).storeBytes(of: UInt32(count - lengthAt - 4).bigEndian, as: UInt32.self)
    }

    /// A one-dimensional array without NULLs (`{a,b}`, `{}` empty) of dates (`elementSize` 4) or bigints (8).
    mutating func putArray(_ f: UnsafeBufferPointer<UInt8>, elementOid: Int32, elementSize: Int32) throws {
        guard f.count >= 2, f[0] == UInt8(ascii: "{"), f[f.count - 1] == UInt8(ascii: "}") else { throw UnexpectedCopyText() }
        let inner = UnsafeBufferPointer(rebasing: f[1..<(f.count - 1)])
        let elements = inner.isEmpty ? [] : inner.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        put32(Int32(elements.isEmpty ? 12 : 20 + elements.count * (4 + Int(elementSize))))
        put32(elements.isEmpty ? 0 : 1); put32(0); put32(elementOid)  // dimensions, has NULLs, element type
        if !elements.isEmpty { put32(Int32(elements.count)); put32(1) }  // length, lower bound
        for e in elements {
            let e = UnsafeBufferPointer(rebasing: e)
            put32(elementSize)
            if elementSize == 4 {
                guard let d = CopyDigits.date(e) else { throw UnexpectedCopyText() }
                put32(Int32(d - CopyDigits.postgresEpochDay))
            } else {
                guard let v = CopyDigits.integer(e) else { throw UnexpectedCopyText() }
                put64(v)
            }
        }
    }

    /// Exact decimal text (`-123.45`, `0`, `7.0000`) as PostgreSQL's numeric: base-10000 digits without leading or
    /// trailing zero groups, the weight of the first, and the text's number of decimals as the display scale
    /// (the column's scale then applies, as for text input).
    mutating func putNumeric(_ f: UnsafeBufferPointer<UInt8>) throws {
        var start = 0
        let negative = f.count > 0 && f[0] == UInt8(ascii: "-")
        if negative { start = 1 }
        var point = f.count  // where the decimal point is (the end when there is none)
        for i in start..<f.count {
            let b = f[i]
            if b == UInt8(ascii: ".") && point == f.count { point = i; continue }
            guard b &- 48 <= 9 else { throw UnexpectedCopyText() }
        }
        let intCount = point - start, fracCount = point == f.count ? 0 : f.count - point - 1
        guard intCount > 0 || fracCount > 0, point == f.count || fracCount > 0 else { throw UnexpectedCopyText() }
        // Digit number p counts from the first of the integer part padded on the left to a whole group of four.
        let leftPad = (4 - intCount % 4) % 4
        let groupCount = (leftPad + intCount + fracCount + 3) / 4
        func digit(_ p: Int) -> Int16 {
            let q = p - leftPad  // position among the text's digits
            guard q >= 0, q < intCount + fracCount else { return 0 }
            return Int16(f[q < intCount ? start + q : point + 1 + (q - intCount)] &- 48)
        }
        func group(_ g: Int) -> Int16 { digit(4 * g) * 1000 + digit(4 * g + 1) * 100 + digit(4 * g + 2) * 10 + digit(4 * g + 3) }
        var first = 0
        while first < groupCount && group(first) == 0 { first += 1 }
        var end = groupCount
        while end > first && group(end - 1) == 0 { end -= 1 }
        let kept = end - first
        let weight = kept == 0 ? 0 : (leftPad + intCount) / 4 - 1 - first
        put32(Int32(8 + 2 * kept))
        put16(Int16(kept)); put16(Int16(weight))
        put16(kept == 0 || !negative ? 0 : 0x4000)
        put16(Int16(fracCount))
        for g in first..<end { put16(group(g)) }
    }
}

/// Reading the few text forms the warehouse's encoder writes (`CopyEncoder`), strictly: whole numbers, `YYYY-MM-DD` and
/// UTC timestamps `YYYY-MM-DD HH:MM:SS.ffffff+00`, through `CopyParse` where it reads them the same; nil for anything
/// else, which then goes as text.
enum CopyDigits {
    /// 2000-01-01, the day PostgreSQL's binary dates and times count from, in days since 1970-01-01.
    static let postgresEpochDay = 10_957

    /// A whole number over bigint's whole range, without a sign but `-`: `CopyParse.int64`, which reads the shop's
    /// text, stops one short of the least bigint, which the encoder writes like any other.
    static func integer(_ f: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0, negative = false
        if f.count > 0 && f[0] == UInt8(ascii: "-") { negative = true; i = 1 }
        guard i < f.count, f.count - i <= 19 else { return nil }
        var v: UInt64 = 0  // 19 digits fit
        while i < f.count {
            let d = f[i] &- 48
            guard d <= 9 else { return nil }
            v = v * 10 + UInt64(d)
            i += 1
        }
        if negative { return v <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- v) : nil }
        return v <= UInt64(Int64.max) ? Int64(v) : nil
    }

    /// Days since 1970-01-01 of exactly `YYYY-MM-DD`, a day that exists, from year 1 (`CopyParse.epochDay`, which
    /// reads the shop's text, lets 30 February or year 0 through: PostgreSQL's input reads neither).
    static func date(_ f: UnsafeBufferPointer<UInt8>) -> Int? {
        guard f.count == 10, let day = CopyParse.epochDay(f), let m = CopyParse.digits(f, 5, 2), let d = CopyParse.digits(f, 8, 2) else { return nil }
        let c = CivilDate.civilFromDays(Int(day))
        return c.year >= 1 && c.month == m && c.day == d ? Int(day) : nil
    }

    /// Microseconds since 2000-01-01 UTC of exactly `YYYY-MM-DD HH:MM:SS.ffffff+00`, the form the encoder writes.
    static func utcTimestamp(_ f: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard f.count == 29, f[19] == UInt8(ascii: "."), f[26] == UInt8(ascii: "+"), f[27] == UInt8(ascii: "0"), f[28] == UInt8(ascii: "0"),
              date(UnsafeBufferPointer(rebasing: f[0..<10])) != nil, let micros = CopyParse.timestampMicros(f) else { return nil }
        return micros - Int64(postgresEpochDay) * 86_400_000_000
    }
}
