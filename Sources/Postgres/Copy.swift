import CLibPQ

#if canImport(Glibc)
import Glibc
#endif

extension Connection {
    /// Streams the rows of `COPY (query) TO STDOUT` (text format) to `handle`, one row at a time; nothing is kept.
    ///
    /// If `handle` throws, the rest of the stream is drained so the connection stays usable, and the error is
    /// rethrown. Returns the number of rows read.
    @discardableResult
    public func copyOut(_ sql: String, _ body: (borrowing CopyRow) throws -> Void) throws -> Int {
        let cursor = try CopyCursor(self, sql)
        var rows = 0
        do {
            while try cursor.advance(body) { rows += 1 }
        } catch {
            try cursor.close()  // drains the rest, so the connection stays usable
            throw error
        }
        return rows
    }

    /// Streams rows into `COPY ... FROM STDIN` (text format). `fill` appends rows to the writer; data is sent in
    /// 256 KiB chunks. If `fill` throws, the COPY is aborted (nothing is written) and the error rethrown.
    @discardableResult
    public func copyIn(_ sql: String, _ fill: (inout CopyWriter) throws -> Void) throws -> Int {
        let start = PQexec(handle, sql)
        guard let start else { throw checkingLost(.server(ServerError(message: lastError))) }
        defer { PQclear(start) }
        guard PQresultStatus(start) == PGRES_COPY_IN else {
            if PQresultStatus(start) == PGRES_FATAL_ERROR { throw checkingLost(.server(ServerError(result: start))) }
            throw PostgresError.copyFailed(reason: "the statement did not start a COPY FROM STDIN")
        }
        var writer = CopyWriter(connection: self)
        do {
            try fill(&writer)
            try writer.flush()
        } catch {
            _ = PQputCopyEnd(handle, "aborted by dusangire-analytics")
            _ = try? finishResult()
            throw error
        }
        guard PQputCopyEnd(handle, nil) == 1 else { throw checkingLost(.copyFailed(reason: lastError)) }
        try finishResult()
        return writer.rows
    }

    /// Loads `rows` with `COPY ... FROM STDIN` (text format), in 256 KiB chunks. Returns the number of rows.
    @discardableResult
    public func copyIn(_ sql: String, rows: CopyRows) throws -> Int {
        try copyIn(sql) { w in
            try rows.forEachBlock { block in
                var at = 0
                while at < block.count {
                    let end = min(at + (1 << 18), block.count)
                    try putCopyData(UnsafeRawBufferPointer(rebasing: block[at..<end]))
                    at = end
                }
            }
            w.rows = rows.rows
        }
    }

    func putCopyData(_ bytes: UnsafeRawBufferPointer) throws(PostgresError) {
        guard bytes.count > 0 else { return }
        let ok = bytes.withMemoryRebound(to: CChar.self) { PQputCopyData(handle, $0.baseAddress, Int32($0.count)) }
        guard ok == 1 else { throw checkingLost(.copyFailed(reason: lastError)) }
    }

    /// Reads results until none are left; throws the first error among them.
    func finishResult() throws(PostgresError) {
        var firstError: PostgresError?
        while let r = PQgetResult(handle) {
            let s = PQresultStatus(r)
            if firstError == nil && s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_COPY_OUT {
                firstError = .server(ServerError(result: r))
            }
            PQclear(r)
        }
        if let firstError { throw checkingLost(firstError) }
    }

}

/// What the extracts read of one row of a COPY stream, in either format (`CopyRow`, `BinaryCopyRow`): a value reads
/// the same in both, and `string(_:)` gives it as a text COPY would, for a row that is set aside.
public protocol CopyFields: ~Copyable {
    /// Number of fields in the row.
    var count: Int { get }
    /// The bytes of field `i` as the stream holds them (in a text COPY still escaped).
    func raw(_ i: Int) -> UnsafeBufferPointer<UInt8>
    func isNull(_ i: Int) -> Bool
    func int64(_ i: Int) -> Int64?
    func scaled(_ i: Int, scale: Int) -> Int64?
    func timestampMicros(_ i: Int) -> Int64?
    /// A date as days since 1970-01-01.
    func epochDay(_ i: Int) -> Int32?
    /// The plain dates of a `date[]`, in order, as days since 1970-01-01.
    func epochDays(_ i: Int, _ body: (Int32) throws -> Void) rethrows
    func string(_ i: Int) -> String?
}

extension CopyFields where Self: ~Copyable {
    /// The value of `words` that field `i` spells, without making a String; `nil` for NULL or any other text.
    public func word<Value>(_ i: Int, in words: CopyWords<Value>) -> Value? { words.value(of: raw(i)) }
}

/// One row of a text-format COPY stream, valid only inside the handler. Fields are read in place, without copies.
///
/// The field bounds live in one buffer allocated with the row and reused for every row of the stream: splitting a row
/// allocates nothing.
public struct CopyRow: CopyFields, ~Copyable {
    private var bytes = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    /// `ends[k]` is where field k ends (exclusive); field k starts one byte after `ends[k - 1]` (at 0 for the first).
    private var ends: UnsafeMutablePointer<Int>
    private var capacity: Int
    /// Number of fields in the row.
    public private(set) var count = 0

    init() {
        capacity = 32
        ends = .allocate(capacity: capacity)
    }

    deinit { ends.deallocate() }

    mutating func reset(_ line: UnsafeBufferPointer<UInt8>) {
        bytes = line
        var n = 0
        if let base = line.baseAddress {
            let length = line.count
            var i = 0
            // Eight bytes at a time: a word's tab bytes become zero bytes of `t`, and `zero` has the high bit of
            // exactly those bytes set (no carry crosses a byte: (b & 0x7F) + 0x7F <= 0xFE).
            let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F, tabs: UInt64 = 0x0909_0909_0909_0909
            while i + 8 <= length {
                let t = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) ^ tabs
                var zero = ~(((t & low7) &+ low7) | t | low7)
                while zero != 0 {
                    if n + 1 == capacity { grow() }
                    ends[n] = i + zero.trailingZeroBitCount / 8; n += 1
                    zero &= zero &- 1
                }
                i += 8
            }
            while i < length {
                if base[i] == 9 {  // tab
                    if n + 1 == capacity { grow() }
                    ends[n] = i; n += 1
                }
                i += 1
            }
        }
        ends[n] = line.count
        count = n + 1
    }

    private mutating func grow() {
        let more = UnsafeMutablePointer<Int>.allocate(capacity: capacity * 2)
        more.update(from: ends, count: capacity)
        ends.deallocate()
        ends = more
        capacity *= 2
    }

    /// The whole row as COPY text (fields still escaped, no newline), for `append(row:)`.
    fileprivate var line: UnsafeBufferPointer<UInt8> { bytes }

    /// The raw bytes of field `i` (still COPY-escaped); empty for a field the row does not have.
    public func raw(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        guard i >= 0, i < count, let base = bytes.baseAddress else { return UnsafeBufferPointer(start: nil, count: 0) }
        let start = i == 0 ? 0 : ends[i - 1] + 1
        return UnsafeBufferPointer(start: base + start, count: ends[i] - start)
    }

    public func isNull(_ i: Int) -> Bool {
        let f = raw(i)
        return f.count == 2 && f[0] == 92 && f[1] == 78  // \N
    }

    /// A whole number, or `nil` for NULL or anything that is not one.
    public func int64(_ i: Int) -> Int64? { CopyParse.int64(raw(i)) }

    /// A `numeric` as an integer count of 1/10^scale units (e.g. hundredths for scale 2), exact. `nil` for NULL,
    /// for text that is not a number, for more fraction digits than `scale`, or on overflow.
    public func scaled(_ i: Int, scale: Int) -> Int64? { CopyParse.scaled(raw(i), scale: scale) }

    /// A `timestamptz` as microseconds since 1970-01-01 UTC. `nil` for NULL or text that is not a timestamp.
    public func timestampMicros(_ i: Int) -> Int64? { CopyParse.timestampMicros(raw(i)) }

    /// A `date` as days since 1970-01-01. `nil` for NULL or text that is not a date.
    public func epochDay(_ i: Int) -> Int32? { CopyParse.epochDay(raw(i)) }

    /// The elements of a `date[]` (`{2026-01-01,2026-03-01}`) as days since 1970-01-01, in order, to `body`; an
    /// element that is no plain date (`infinity`, a quoted BC date) is skipped. Nothing for NULL.
    public func epochDays(_ i: Int, _ body: (Int32) throws -> Void) rethrows { try CopyParse.epochDays(raw(i), body) }

    /// `t`/`f` as a Bool; `nil` for NULL.
    public func bool(_ i: Int) -> Bool? {
        let f = raw(i)
        guard f.count == 1 else { return nil }
        return f[0] == UInt8(ascii: "t") ? true : (f[0] == UInt8(ascii: "f") ? false : nil)
    }

    /// Field `i` as text with COPY escapes decoded; `nil` for NULL.
    public func string(_ i: Int) -> String? {
        if isNull(i) { return nil }
        let f = raw(i)
        if !f.contains(92) { return String(decoding: f, as: UTF8.self) }
        return String(decoding: CopyParse.unescape(f), as: UTF8.self)
    }
}

/// The fixed words of a text column (an enum's raw values), found from a COPY field's bytes without making a String:
/// millions of rows name a status or a payment method.
public struct CopyWords<Value> {
    /// The words one after another; word k is `text[ends[k - 1]..<ends[k]]` (from 0 for the first).
    @usableFromInline let text: [UInt8]
    @usableFromInline let ends: [Int]
    @usableFromInline let values: [Value]

    public init(_ words: [(String, Value)]) {
        text = words.flatMap { Array($0.0.utf8) }
        var end = 0
        ends = words.map { end += $0.0.utf8.count; return end }
        values = words.map(\.1)
    }

    /// The value whose word is exactly `field`. A field holding a COPY escape (`\\`, `\t`, `\N`...) matches no word,
    /// as no word holds a backslash or a control character. Inlinable, so that it is specialised for `Value` where it
    /// is used: generic code over an unknown `Value` looked up metadata on every call.
    @inlinable public func value(of field: UnsafeBufferPointer<UInt8>) -> Value? {
        guard let k = CopyParse.wordIndex(of: field, in: text, ends: ends) else { return nil }
        return values[k]
    }
}

extension CopyWords: Sendable where Value: Sendable {}

extension CopyWords where Value: CaseIterable & RawRepresentable, Value.RawValue == String {
    /// Every case of `Value`, by its raw value.
    public init() { self.init(Value.allCases.map { ($0.rawValue, $0) }) }
}

/// Encodes rows in COPY's text format, escaping every value. Two kinds: `CopyWriter` streams them into a running
/// COPY; `CopyRows` keeps them as a value to load later.
///
/// The methods are inlinable so that a caller in another module gets them specialised for its concrete encoder:
/// the warehouse writes millions of fields, and a protocol-witness call per byte cost more than the encoding.
public protocol CopyEncoder {
    /// The encoded text not yet handed on.
    var buffer: [UInt8] { get set }
    /// Fields appended to the current row so far.
    var fieldsInRow: Int { get set }
    /// Rows ended so far.
    var rows: Int { get set }
    /// Called after each row ends (a writer sends full buffers on).
    mutating func rowEnded() throws
}

extension CopyEncoder {
    @inlinable mutating func separator() {
        if fieldsInRow > 0 { buffer.append(9) }
        fieldsInRow += 1
    }

    @inlinable public mutating func appendNull() { separator(); buffer.append(92); buffer.append(78) }

    /// Text, with COPY's escapes for backslash, tab, newline and carriage return; NULL for nil.
    @inlinable public mutating func append(_ text: String?) {
        guard var text else { return appendNull() }
        separator()
        text.withUTF8 { u in
            // Runs without a byte to escape are copied whole.
            var from = 0
            for i in 0..<u.count {
                let escaped: UInt8
                switch u[i] {
                case 92: escaped = 92
                case 9: escaped = UInt8(ascii: "t")
                case 10: escaped = UInt8(ascii: "n")
                case 13: escaped = UInt8(ascii: "r")
                default: continue
                }
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: u[from..<i]))
                buffer.append(92); buffer.append(escaped)
                from = i + 1
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: u[from..<u.count]))
        }
    }

    @inlinable public mutating func append(_ value: Int64?) {
        guard let value else { return appendNull() }
        separator(); appendDigits(value, scale: 0)
    }

    @inlinable public mutating func append(_ value: Int?) { append(value.map(Int64.init)) }

    @inlinable public mutating func append(_ value: Bool?) {
        guard let value else { return appendNull() }
        separator(); buffer.append(value ? UInt8(ascii: "t") : UInt8(ascii: "f"))
    }

    /// A double as Swift's shortest text that reads back as the same value (`0.1`, `1e-05`, `-inf`, `nan`), which
    /// PostgreSQL's float8 input reads exactly; NULL for nil.
    @inlinable public mutating func append(_ value: Double?) {
        guard let value else { return appendNull() }
        separator(); buffer.append(contentsOf: value.description.utf8)
    }

    /// A fixed-point value given in 1/10^scale units: `appendScaled(12345, scale: 2)` writes `123.45`.
    @inlinable public mutating func appendScaled(_ units: Int64?, scale: Int) {
        guard let units else { return appendNull() }
        separator(); appendDigits(units, scale: scale)
    }

    /// A date, `YYYY-MM-DD`: the year zero-padded to four digits, after a `-` when negative (C's `%04d`).
    @inlinable public mutating func appendDate(year: Int, month: Int, day: Int) {
        separator(); appendDateText(year: year, month: month, day: day)
    }

    /// A UTC timestamptz, `YYYY-MM-DD HH:MM:SS.ffffff+00`, the date as `appendDate` writes it; `second` is the second
    /// of the day (0..<86400), `microsecond` 0..<1_000_000.
    @inlinable public mutating func appendTimestamp(year: Int, month: Int, day: Int, second: Int, microsecond: Int) {
        separator()
        appendDateText(year: year, month: month, day: day)
        buffer.append(UInt8(ascii: " "))
        appendPadded(second / 3600, width: 2); buffer.append(UInt8(ascii: ":"))
        appendPadded(second % 3600 / 60, width: 2); buffer.append(UInt8(ascii: ":"))
        appendPadded(second % 60, width: 2); buffer.append(UInt8(ascii: "."))
        appendPadded(microsecond, width: 6)
        buffer.append(UInt8(ascii: "+")); buffer.append(UInt8(ascii: "0")); buffer.append(UInt8(ascii: "0"))
    }

    /// A `date[]`: `{2026-01-01,2026-03-01}`, each date as `appendDate` writes it; `{}` when empty.
    @inlinable public mutating func appendDateArray<Dates: Sequence>(_ dates: Dates) where Dates.Element == (year: Int, month: Int, day: Int) {
        separator()
        buffer.append(UInt8(ascii: "{"))
        var first = true
        for d in dates {
            if !first { buffer.append(UInt8(ascii: ",")) }
            first = false
            appendDateText(year: d.year, month: d.month, day: d.day)
        }
        buffer.append(UInt8(ascii: "}"))
    }

    /// A `bigint[]`: `{1,2,3}`; `{}` when empty.
    @inlinable public mutating func appendIntegerArray(_ values: [Int64]) {
        separator()
        buffer.append(UInt8(ascii: "{"))
        for (k, v) in values.enumerated() {
            if k > 0 { buffer.append(UInt8(ascii: ",")) }
            appendDigits(v, scale: 0)
        }
        buffer.append(UInt8(ascii: "}"))
    }

    @inlinable mutating func appendDateText(year: Int, month: Int, day: Int) {
        if year < 0 { buffer.append(UInt8(ascii: "-")); appendPadded(-year, width: 3) } else { appendPadded(year, width: 4) }
        buffer.append(UInt8(ascii: "-")); appendPadded(month, width: 2)
        buffer.append(UInt8(ascii: "-")); appendPadded(day, width: 2)
    }

    /// `value` (>= 0) in decimal, zero-padded to at least `width` digits.
    @inlinable mutating func appendPadded(_ value: Int, width: Int) {
        if width == 2, value >= 0, value < 100 {  // a month, a day, an hour, a minute, a second: two bytes
            buffer.append(UInt8(truncatingIfNeeded: value / 10) &+ 48); buffer.append(UInt8(truncatingIfNeeded: value % 10) &+ 48)
            return
        }
        var digits = 1, p = 10
        while digits < 19, value >= p { digits += 1; p &*= 10 }
        for _ in digits..<max(width, digits) { buffer.append(UInt8(ascii: "0")) }
        appendDigits(Int64(value), scale: 0)
    }

    /// `value` in 1/10^scale units as decimal text, the same text as `CopyFormat.scaled`, written straight into the
    /// buffer: the warehouse writes millions of numbers, and a `String` for each costs more than the rest of the row.
    @inlinable mutating func appendDigits(_ value: Int64, scale: Int) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var m = value.magnitude
        if scale == 0, m < 10 { buffer.append(UInt8(truncatingIfNeeded: m) &+ 48); return }
        let capacity = 21 + scale
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { t in
            var i = capacity
            if scale > 0 {
                for _ in 0..<scale { i -= 1; t[i] = UInt8(truncatingIfNeeded: m % 10) &+ 48; m /= 10 }
                i -= 1; t[i] = UInt8(ascii: ".")
            }
            repeat { i -= 1; t[i] = UInt8(truncatingIfNeeded: m % 10) &+ 48; m /= 10 } while m > 0
            // Byte by byte: for a number's few bytes, cheaper than the generic append(contentsOf:).
            for k in i..<capacity { buffer.append(t[k]) }
        }
    }

    /// Fields already in COPY text (tab-separated, escaped, no row end), appended as they are: values a writer
    /// encodes once and repeats on every row, such as the run that wrote them. `count` is how many fields they are.
    @inlinable public mutating func append(encodedFields fields: [UInt8], count: Int) {
        guard count > 0 else { return }
        if fieldsInRow > 0 { buffer.append(9) }
        buffer.append(contentsOf: fields)
        fieldsInRow += count
    }

    @inlinable public mutating func endRow() throws {
        buffer.append(10)
        fieldsInRow = 0
        rows += 1
        try rowEnded()
    }

    /// A whole row read from another COPY stream with the same columns, as it is (no decoding, no re-escaping);
    /// ends the row.
    public mutating func append(row: borrowing CopyRow) throws {
        precondition(fieldsInRow == 0, "append(row:) starts a row of its own")
        buffer.append(contentsOf: row.line)
        try endRow()
    }
}

/// Appends rows to a running `COPY ... FROM STDIN`, sending them in 256 KiB chunks.
public struct CopyWriter: CopyEncoder {
    private let connection: Connection
    public var buffer: [UInt8] = []
    public var fieldsInRow = 0
    public var rows = 0

    init(connection: Connection) {
        self.connection = connection
        buffer.reserveCapacity(1 << 18)
    }

    public mutating func rowEnded() throws {
        if buffer.count >= 1 << 18 { try flush() }
    }

    mutating func flush() throws {
        try buffer.withUnsafeBytes { try connection.putCopyData($0) }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Rows in COPY's text format, kept as a value until `Connection.copyIn(_:rows:)` loads them.
///
/// The text is kept in blocks of about `blockSize` bytes: a large table's rows (at 10M orders the customer rows are
/// some 230 MB of text) grow a block at a time, instead of being copied into an array twice as large each time it
/// fills, which for a moment holds both. A table's blocks after its first `plainBlocks` wait compressed
/// (`CopyBlock`): the rows of every table wait in memory until the one load transaction, and at 10M orders their text
/// was half the job's peak memory.
public struct CopyRows: CopyEncoder, Sendable {
    /// The block being filled.
    public var buffer: [UInt8] = []
    public var fieldsInRow = 0
    public var rows = 0
    /// The full blocks before `buffer`, in order; each ends with a whole row.
    private var blocks: [CopyBlock] = []
    static let blockSize = 1 << 20
    /// Blocks kept as written: a small table's rows cost no compression.
    static let plainBlocks = 8

    public init() {}

    public mutating func rowEnded() {
        guard buffer.count >= CopyRows.blockSize else { return }
        blocks.append(blocks.count < CopyRows.plainBlocks ? .plain(buffer) : .compressing(buffer))
        buffer = []
        buffer.reserveCapacity(CopyRows.blockSize + CopyRows.blockSize / 8)
    }

    /// Appends another set of rows of the same columns (its blocks as they are).
    public mutating func append(contentsOf other: CopyRows) {
        if other.blocks.isEmpty {
            buffer.append(contentsOf: other.buffer)
        } else {
            if !buffer.isEmpty { blocks.append(.plain(buffer)) }
            blocks += other.blocks
            buffer = other.buffer
        }
        rows += other.rows
    }

    /// Calls `body` with the text of the rows, in order, a block at a time.
    public func forEachBlock(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var scratch: [UInt8] = []
        for b in blocks { try b.withText(scratch: &scratch, body) }
        try buffer.withUnsafeBytes(body)
    }

    /// Bytes the rows hold in memory (less than their text once blocks are compressed).
    public var heldBytes: Int { blocks.reduce(buffer.count) { $0 + $1.heldBytes } }

    /// The rows as text, one line per row (for tests and messages).
    public func lines() throws -> [String] {
        var all: [UInt8] = []
        try forEachBlock { all.append(contentsOf: $0) }
        return String(decoding: all, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }
}
