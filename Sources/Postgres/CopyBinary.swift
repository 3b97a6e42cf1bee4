import CLibPQ

/// What a column of a binary COPY holds. The query's columns are cast to these types (`bigint`, `text`, `timestamptz`,
/// `date`, `boolean`, `numeric`), so a source whose ids are `integer` or whose text is `varchar` decodes the same.
public enum BinaryColumn: Sendable {
    case integer, text, timestamptz, date, boolean, numeric, dateArray

    var sqlType: String {
        switch self {
        case .integer: "bigint"
        case .text: "text"
        case .timestamptz: "timestamptz"
        case .date: "date"
        case .boolean: "boolean"
        case .numeric: "numeric"
        case .dateArray: "date[]"
        }
    }
}

extension Connection {
    /// Streams the rows of `query` as a binary COPY, each column read as `columns` says (by position). Returns the
    /// number of rows.
    ///
    /// For a large stream of timestamps this is the cheaper way: the server sends a timestamp as its eight bytes
    /// instead of formatting it as text, which cost more than a third of the server's time on the conversion events,
    /// and the job reads the bytes instead of parsing the text. A row's `string(_:)` still gives each value as a text
    /// COPY would have, for the rows that are set aside.
    @discardableResult
    public func copyOutBinary(_ query: String, columns: [BinaryColumn], _ body: (borrowing BinaryCopyRow) throws -> Void) throws -> Int {
        let names = columns.indices.map { "c\($0)" }
        let select = zip(names, columns).map { "q.\($0)::\($1.sqlType)" }.joined(separator: ", ")
        try startCopyOut("COPY (SELECT \(select) FROM (\(query)) AS q(\(names.joined(separator: ", ")))) TO STDOUT (FORMAT binary)")
        var row = BinaryCopyRow(columns: columns)
        var rows = 0, header = true
        // After an error in `body` or a malformed row, the rest of the stream is read and dropped, so the connection
        // stays usable; the first error is thrown at the end.
        var failure: (any Error)?
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let n = PQgetCopyData(handle, &buffer, 0)
            if n == -1 { try finishResult(); break }
            if n == -2 { throw checkingLost(.copyFailed(reason: lastError)) }
            guard let buffer else { continue }
            defer { PQfreemem(buffer) }
            guard failure == nil else { continue }
            var message = UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: Int(n))
            if header {
                // The first message starts with the file header: signature, flags, and an extension area.
                guard let rest = BinaryCopyRow.afterHeader(message) else {
                    failure = PostgresError.copyFailed(reason: "the binary COPY did not start with its header"); continue
                }
                message = rest
                header = false
                if message.isEmpty { continue }
            }
            guard row.reset(message) else {
                failure = PostgresError.copyFailed(reason: "a row of the binary COPY was cut short or had more fields than asked for"); continue
            }
            if row.isTrailer { continue }
            do { try body(row); rows += 1 } catch { failure = error }
        }
        if let failure { throw failure }
        return rows
    }
}

/// One row of a binary COPY stream, valid only inside the handler; fields are read in place.
public struct BinaryCopyRow: CopyFields, ~Copyable {
    private var bytes = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    /// Field k is `bytes[starts[k] ..< starts[k] + lengths[k]]`; `lengths[k]` is -1 for NULL.
    private var starts: UnsafeMutablePointer<Int>
    private var lengths: UnsafeMutablePointer<Int>
    private let capacity: Int
    private let columns: [BinaryColumn]
    /// Number of fields in the row (-1 for the stream's trailer).
    public private(set) var count = 0

    init(columns: [BinaryColumn]) {
        self.columns = columns
        capacity = max(columns.count, 1)
        starts = .allocate(capacity: capacity)
        lengths = .allocate(capacity: capacity)
    }

    deinit { starts.deallocate(); lengths.deallocate() }

    /// PostgreSQL's binary COPY signature, `PGCOPY\n\377\r\n\0`.
    static let signature: [UInt8] = [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00]

    /// The bytes after the file header at the start of `message`; nil if it has no valid header.
    static func afterHeader(_ message: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        guard message.count >= 19, message.prefix(11).elementsEqual(signature) else { return nil }
        let extensionLength = Int(int32(message, at: 15))
        guard extensionLength >= 0, 19 + extensionLength <= message.count else { return nil }
        return UnsafeBufferPointer(rebasing: message[(19 + extensionLength)...])
    }

    var isTrailer: Bool { count == -1 }

    /// Splits one tuple; false if it is cut short or has more fields than the columns named.
    mutating func reset(_ message: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes = message
        guard message.count >= 2 else { return false }
        let fields = Int(Int16(bitPattern: UInt16(message[0]) << 8 | UInt16(message[1])))
        if fields == -1 { count = -1; return true }
        guard fields >= 0, fields <= capacity else { return false }
        var at = 2
        for k in 0..<fields {
            guard at + 4 <= message.count else { return false }
            let length = Int(Self.int32(message, at: at))
            at += 4
            starts[k] = at
            if length < 0 { lengths[k] = -1; continue }
            guard at + length <= message.count else { return false }
            lengths[k] = length
            at += length
        }
        count = fields
        return true
    }

    @inline(__always) static func int32(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int32 {
        Int32(bigEndian: UnsafeRawPointer(b.baseAddress! + i).loadUnaligned(as: Int32.self))
    }

    @inline(__always) private func int64(at i: Int) -> Int64 {
        Int64(bigEndian: UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: Int64.self))
    }

    /// The bytes of field `i` (text as it is, no escapes); empty for NULL or a field the row does not have.
    public func raw(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        guard i >= 0, i < count, lengths[i] > 0, let base = bytes.baseAddress else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: base + starts[i], count: lengths[i])
    }

    public func isNull(_ i: Int) -> Bool { i < 0 || i >= count || lengths[i] < 0 }

    /// An `.integer` field; nil for NULL and for the least bigint, which the text form's parser does not read either
    /// (`CopyParse.int64`), so that a row reads the same in both forms.
    public func int64(_ i: Int) -> Int64? {
        guard let v = eightBytes(i), v != .min else { return nil }
        return v
    }

    /// The eight bytes of field `i` as a big-endian integer; nil for NULL or another length.
    private func eightBytes(_ i: Int) -> Int64? {
        guard i >= 0, i < count, lengths[i] == 8 else { return nil }
        return int64(at: starts[i])
    }

    /// A `.timestamptz` field as microseconds since 1970-01-01 UTC; nil for NULL, for `infinity` and `-infinity`, and
    /// from the year 10000 on: the text form's parser (`CopyParse.timestampMicros`) reads none of them either.
    public func timestampMicros(_ i: Int) -> Int64? {
        guard let v = eightBytes(i), v != .min, v < BinaryCopyRow.yearTenThousand else { return nil }
        return v + BinaryCopyRow.epochShiftMicros
    }

    /// A `.numeric` field as a whole number of 1/10^scale units, read as `CopyParse.scaled` reads its text: nil for
    /// NULL, `NaN` and the infinities, for a non-zero digit beyond `scale` decimals, and beyond the range of Int64
    /// (its least value included).
    public func scaled(_ i: Int, scale: Int) -> Int64? {
        guard let n = numeric(i), n.sign == BinaryCopyRow.positive || n.sign == BinaryCopyRow.negative else { return nil }
        var magnitude: UInt64 = 0
        for k in 0..<n.digits {
            let d = n.digit(k)
            guard d != 0 else { continue }
            guard Numeric.digitRange.contains(d) else { return nil }
            let digit = UInt64(d)
            // Digit k counts 10000^(weight - k) units, that is 10^power units of 1/10^scale.
            let power = 4 * (n.weight - k) + scale
            var part = digit
            if power < 0 {
                guard power > -4, digit % Self.tens[-power] == 0 else { return nil }
                part = digit / Self.tens[-power]
            } else {
                guard power < Self.tens.count else { return nil }
                let (m, o) = digit.multipliedReportingOverflow(by: Self.tens[power])
                guard !o else { return nil }
                part = m
            }
            let (sum, o) = magnitude.addingReportingOverflow(part)
            guard !o else { return nil }
            magnitude = sum
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return n.sign == BinaryCopyRow.negative ? -Int64(magnitude) : Int64(magnitude)
    }

    /// 10^0 ... 10^19, the powers of ten a UInt64 holds.
    private static let tens: [UInt64] = (0...19).map { k in (0..<k).reduce(UInt64(1)) { p, _ in p * 10 } }

    /// A `numeric` field as PostgreSQL sends it: digit count, weight of the first base-10000 digit, sign, display
    /// scale, then the digits (each checked by whoever reads it: `scaled` on its hot path reads each once).
    private struct Numeric {
        let digits: Int, weight: Int, sign: UInt16, scale: Int
        let at: UnsafePointer<UInt8>
        static let digitRange = 0..<10_000
        func digit(_ k: Int) -> Int { Numeric.int16(at + 8 + 2 * k) }
        var digitsInRange: Bool { (0..<digits).allSatisfy { Numeric.digitRange.contains(digit($0)) } }
        static func int16(_ p: UnsafePointer<UInt8>) -> Int { Int(Int16(bitPattern: UInt16(p[0]) << 8 | UInt16(p[1]))) }
    }

    static let positive: UInt16 = 0x0000, negative: UInt16 = 0x4000, notANumber: UInt16 = 0xC000
    static let plusInfinity: UInt16 = 0xD000, minusInfinity: UInt16 = 0xF000

    private func numeric(_ i: Int) -> Numeric? {
        guard i >= 0, i < count, lengths[i] >= 8, let base = bytes.baseAddress else { return nil }
        let at = base + starts[i]
        let n = Numeric(digits: Numeric.int16(at), weight: Numeric.int16(at + 2), sign: UInt16(truncatingIfNeeded: Numeric.int16(at + 4)),
                        scale: Numeric.int16(at + 6), at: at)
        guard n.digits >= 0, lengths[i] == 8 + 2 * n.digits, n.scale >= 0 else { return nil }
        return n
    }

    /// A `numeric` as PostgreSQL's text output writes it (`numeric_out`): its display scale's decimals, `NaN`,
    /// `Infinity`, `-Infinity`.
    private static func numericText(_ n: Numeric) -> String? {
        switch n.sign {
        case BinaryCopyRow.notANumber: return "NaN"
        case BinaryCopyRow.plusInfinity: return "Infinity"
        case BinaryCopyRow.minusInfinity: return "-Infinity"
        case BinaryCopyRow.positive, BinaryCopyRow.negative: guard n.digitsInRange else { return nil }
        default: return nil
        }
        func digit(_ d: Int) -> Int { d >= 0 && d < n.digits ? n.digit(d) : 0 }
        func four(_ v: Int) -> String { let t = String(v); return String(repeating: "0", count: 4 - t.count) + t }
        var text = n.sign == BinaryCopyRow.negative ? "-" : ""
        var d: Int
        if n.weight < 0 {
            d = n.weight + 1
            text += "0"
        } else {
            text += String(digit(0))
            d = 1
            while d <= n.weight { text += four(digit(d)); d += 1 }
        }
        if n.scale > 0 {
            var fraction = "", written = 0  // counted, not measured: a String's count walks it
            while written < n.scale { fraction += four(digit(d)); d += 1; written += 4 }
            text += "." + fraction.prefix(n.scale)
        }
        return text
    }

    /// A `.date` field as days since 1970-01-01; nil for NULL, `infinity` and `-infinity`, and from the year 10000 on
    /// (as `CopyParse.epochDay`).
    public func epochDay(_ i: Int) -> Int32? {
        guard i >= 0, i < count, lengths[i] == 4 else { return nil }
        let v = Self.int32(bytes, at: starts[i])
        guard v != .min, v < BinaryCopyRow.yearTenThousandDay else { return nil }
        return v + BinaryCopyRow.epochShiftDays
    }

    /// The elements of a `.dateArray` field as days since 1970-01-01, in order, to `body`, read as `CopyParse.epochDays`
    /// reads the text: an element that is no plain date (NULL, `infinity`, before the year 1, from the year 10000 on)
    /// is skipped, and so is every element of an array of more than one dimension or whose first index is not 1 (its
    /// text starts with the bounds, `[0:1]={...}`). Nothing for NULL.
    public func epochDays(_ i: Int, _ body: (Int32) throws -> Void) rethrows {
        guard let array = dateArray(i), array.lowerBound == 1 else { return }
        try forEachDate(in: array) { v in
            if let v, v >= BinaryCopyRow.yearOneDay, v < BinaryCopyRow.yearTenThousandDay { try body(v + BinaryCopyRow.epochShiftDays) }
        }
    }

    /// A one-dimensional `date[]` field: where its elements start and end, how many there are, the index of the first.
    private struct DateArray {
        var first: Int, end: Int, elements: Int, lowerBound: Int32
    }

    /// Field `i` as a one-dimensional `date[]`; nil for NULL or another shape.
    private func dateArray(_ i: Int) -> DateArray? {
        guard i >= 0, i < count, lengths[i] >= 20, Self.int32(bytes, at: starts[i]) == 1 else { return nil }
        let start = starts[i], elements = Int(Self.int32(bytes, at: start + 12))
        guard elements >= 0 else { return nil }
        return DateArray(first: start + 20, end: start + lengths[i], elements: elements, lowerBound: Self.int32(bytes, at: start + 16))
    }

    /// Calls `body` with each element of `array` in order: its days since 2000-01-01, nil for NULL (or a value not
    /// four bytes long). Stops at an element that would overrun the field.
    private func forEachDate(in array: DateArray, _ body: (Int32?) throws -> Void) rethrows {
        var at = array.first
        for _ in 0..<array.elements {
            guard at + 4 <= array.end else { return }
            let length = Int(Self.int32(bytes, at: at))
            at += 4
            guard at + max(length, 0) <= array.end else { return }
            try body(length == 4 ? Self.int32(bytes, at: at) : nil)
            at += max(length, 0)
        }
    }

    /// A `.boolean` field; nil for NULL.
    public func bool(_ i: Int) -> Bool? {
        guard i >= 0, i < count, lengths[i] == 1 else { return nil }
        return bytes[starts[i]] != 0
    }

    /// Field `i` as PostgreSQL's text output gives it in a session in UTC with ISO dates (what a text COPY gives, for
    /// a row that is set aside); nil for NULL.
    public func string(_ i: Int) -> String? {
        guard !isNull(i) else { return nil }
        switch i < columns.count ? columns[i] : .text {
        case .text: return String(decoding: raw(i), as: UTF8.self)
        case .integer: return eightBytes(i).map(String.init)
        case .boolean: return bool(i).map { $0 ? "t" : "f" }
        case .date:
            guard lengths[i] == 4 else { return nil }
            let v = Self.int32(bytes, at: starts[i])
            if v == .max { return "infinity" }
            if v == .min { return "-infinity" }
            return PostgresText.date(epochDay: Int(v) + Int(BinaryCopyRow.epochShiftDays))
        case .timestamptz:
            guard let v = eightBytes(i) else { return nil }
            if v == .max { return "infinity" }
            if v == .min { return "-infinity" }
            return PostgresText.timestamptz(sinceTwoThousand: v)
        case .numeric:
            guard let n = numeric(i) else { return nil }
            return BinaryCopyRow.numericText(n)
        case .dateArray:
            return dateArrayText(i)
        }
    }

    /// A `.dateArray` field as `array_out` writes it: `{2026-01-01,NULL,infinity,"0044-03-15 BC"}` (`{}` when empty,
    /// `[0:1]={...}` from another first index); nil for NULL or an array of more than one dimension (which the job
    /// never writes).
    private func dateArrayText(_ i: Int) -> String? {
        guard i >= 0, i < count, lengths[i] >= 12 else { return nil }
        if Self.int32(bytes, at: starts[i]) == 0 { return "{}" }
        guard let array = dateArray(i) else { return nil }
        var texts: [String] = []
        forEachDate(in: array) { v in
            switch v {
            case nil: texts.append("NULL")
            case .max: texts.append("infinity")
            case .min: texts.append("-infinity")
            case let v?:
                let text = PostgresText.date(epochDay: Int(v) + Int(BinaryCopyRow.epochShiftDays))
                texts.append(text.contains(" ") ? "\"" + text + "\"" : text)
            }
        }
        let bounds = array.lowerBound == 1 ? "" : "[\(array.lowerBound):\(Int(array.lowerBound) + array.elements - 1)]="
        return bounds + "{" + texts.joined(separator: ",") + "}"
    }

    /// PostgreSQL counts from 2000-01-01: 10,957 days after 1970-01-01.
    static let epochShiftDays: Int32 = 10_957
    static let epochShiftMicros: Int64 = 10_957 * 86_400 * 1_000_000
    /// 10000-01-01 (00:00 UTC), in days and in microseconds since 2000-01-01.
    static let yearTenThousandDay = Int32(CivilDate.daysFromCivil(10_000, 1, 1)) - epochShiftDays
    /// 0001-01-01, the first day a text date has no ` BC`, in days since 2000-01-01.
    static let yearOneDay = Int32(CivilDate.daysFromCivil(1, 1, 1)) - epochShiftDays
    static let yearTenThousand = Int64(yearTenThousandDay) * 86_400_000_000
}

/// PostgreSQL's text output of dates and UTC timestamps (`DateStyle = ISO`, `TimeZone = UTC`).
public enum PostgresText {
    /// `2026-03-01`; years before 1 AD as `0044-03-15 BC`.
    public static func date(epochDay: Int) -> String {
        let (y, m, d) = CivilDate.civilFromDays(epochDay)
        return ymd(y, m, d) + (y <= 0 ? " BC" : "")
    }

    /// `2026-03-01 10:00:00.12+00`: the fraction only when there is one, without trailing zeros.
    public static func timestamptz(micros: Int64) -> String {
        let (days, inDay) = micros.quotientAndRemainder(dividingBy: 86_400_000_000)
        return timestamptz(day: Int(days), inDay: inDay)
    }

    /// The same from microseconds since 2000-01-01, as PostgreSQL keeps them: the whole range of Int64, none of it
    /// shifted past its end.
    static func timestamptz(sinceTwoThousand micros: Int64) -> String {
        let (days, inDay) = micros.quotientAndRemainder(dividingBy: 86_400_000_000)
        return timestamptz(day: Int(days) + Int(BinaryCopyRow.epochShiftDays), inDay: inDay)
    }

    private static func timestamptz(day days: Int, inDay: Int64) -> String {
        let (day, rest) = inDay < 0 ? (days - 1, inDay + 86_400_000_000) : (days, inDay)
        let (y, m, d) = CivilDate.civilFromDays(day)
        let seconds = rest / 1_000_000, fraction = rest % 1_000_000
        var text = ymd(y, m, d) + " " + two(Int(seconds / 3600)) + ":" + two(Int(seconds / 60 % 60)) + ":" + two(Int(seconds % 60))
        if fraction > 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: 6 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text + "+00" + (y <= 0 ? " BC" : "")
    }

    private static func ymd(_ y: Int, _ m: Int, _ d: Int) -> String {
        let year = String(y <= 0 ? 1 - y : y)
        return String(repeating: "0", count: max(0, 4 - year.count)) + year + "-" + two(m) + "-" + two(d)
    }

    private static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
}
