import Postgres
import XCTest

/// Rows the warehouse writes as COPY text and loads in PostgreSQL's binary format (`Connection.copyInBinary`) are
/// stored with the same values as a text COPY of the same rows: checked on a real server, value by value, for every
/// column type the transcoder knows, with awkward values; and text it does not read goes as text instead.
final class BinaryCopyInTests: XCTestCase {
    static let columns = ["id", "small", "whole", "big", "estimate", "flag", "label", "amount", "rate", "plain", "day", "at", "days", "ids"]
    static let table = """
        (id integer PRIMARY KEY, small smallint, whole integer, big bigint, estimate double precision, flag boolean,
         label text, amount numeric(14,2), rate numeric(7,4), plain numeric, day date, at timestamptz, days date[], ids bigint[])
        """

    /// One row per awkward value set; the last is all NULLs.
    func awkwardRows() throws -> CopyRows {
        var rows = CopyRows()
        typealias Row = (small: Int64, whole: Int64, big: Int64, estimate: Double, flag: Bool, label: String, amount: Int64, rate: Int64,
                         plain: (Int64, Int), day: (Int, Int, Int), at: (Int, Int, Int, Int, Int), days: [(year: Int, month: Int, day: Int)], ids: [Int64])
        let values: [Row] = [
            (-32768, -2_147_483_648, Int64.min, 0.1, true, "tab\tnew\nline\\back\rcr", -123_456_789_012, 12345, (1_234_500, 4),
             (2024, 2, 29), (1969, 12, 31, 86_399, 999_999), [], []),
            (32767, 2_147_483_647, Int64.max, -0.0, false, "ümlaut ☕ 𝄞", 0, -9_999_999, (0, 0), (2000, 1, 1), (2000, 1, 1, 0, 0),
             [(2026, 1, 1), (2026, 3, 1)], [1, -2, 9_223_372_036_854_775_807]),
            (0, 0, 0, 1e-05, true, "", 1, 0, (-5, 1), (1999, 12, 31), (2026, 11, 23, 77_400, 500_000), [(1, 1, 1)], [0]),
            (7, -1, -1, 1.7976931348623157e308, false, "\\N", -1, 1, (100, 2), (1, 1, 1), (1, 1, 1, 0, 1), [(9999, 12, 31)], [42]),
            (1, 1, 1, .leastNonzeroMagnitude, true, "x", 100_000_000, -1, (10_000, 0), (9999, 12, 31), (9999, 12, 31, 86_399, 999_999), [], [7, 7]),
            (2, 2, 2, .infinity, true, "y", -10_000, 10_000, (-123, 3), (2026, 2, 28), (2024, 2, 29, 43_200, 1), [], []),
            (3, 3, 3, -.infinity, false, "z", 99, 5, (7, 0), (2026, 12, 1), (2026, 12, 1, 1, 0), [], []),
            (4, 4, 4, .nan, false, "w", 10, 50, (1, 9), (2026, 12, 2), (2026, 12, 2, 2, 0), [], []),
            (5, 5, 5, 123456.789, true, "v", -99, -50, (-1, 0), (2026, 12, 3), (2026, 12, 3, 3, 0), [], []),
        ]
        for (k, v) in values.enumerated() {
            rows.append(Int64(k + 1))
            rows.append(v.small); rows.append(v.whole); rows.append(v.big); rows.append(v.estimate); rows.append(v.flag)
            rows.append(v.label); rows.appendScaled(v.amount, scale: 2); rows.appendScaled(v.rate, scale: 4)
            rows.appendScaled(v.plain.0, scale: v.plain.1)
            rows.appendDate(year: v.day.0, month: v.day.1, day: v.day.2)
            rows.appendTimestamp(year: v.at.0, month: v.at.1, day: v.at.2, second: v.at.3, microsecond: v.at.4)
            rows.appendDateArray(v.days)
            rows.append(encodedFields: Array(("{" + v.ids.map(String.init).joined(separator: ",") + "}").utf8), count: 1)
            try rows.endRow()
        }
        rows.append(Int64(values.count + 1))
        for _ in 1..<Self.columns.count { rows.appendNull() }
        try rows.endRow()
        return rows
    }

    func contents(_ c: Connection, _ table: String) throws -> [String] {
        try c.execute("SELECT t::text FROM \(table) t ORDER BY id").rows.map { $0[0] ?? "NULL" }
    }

    func testBinaryRowsAreStoredAsTheirText() throws {
        let shop = try TestShop()
        let c = try shop.connect()
        try c.execute("CREATE TABLE public.as_text \(Self.table)")
        try c.execute("CREATE TABLE public.as_binary \(Self.table)")
        let rows = try awkwardRows()
        let list = Self.columns.joined(separator: ", ")
        try c.copyIn("COPY public.as_text (\(list)) FROM STDIN", rows: rows)
        let layout = try XCTUnwrap(try c.binaryCopyLayout(table: "public.as_binary", columns: Self.columns))
        // In a transaction, as the job's load writes (a savepoint is taken for the text fallback).
        try c.execute("BEGIN")
        let sql = "COPY public.as_binary (\(list)) FROM STDIN"
        let loaded = try c.copyInBinary(sql, rows: rows, layout: layout)
        XCTAssertEqual(loaded.rows, 10)
        XCTAssertFalse(loaded.asText, "every field read as its binary value")
        try c.execute("COMMIT")
        let text = try contents(c, "public.as_text"), binary = try contents(c, "public.as_binary")
        XCTAssertEqual(text.count, 10)
        XCTAssertEqual(binary, text)
        // The bits of the doubles, which text could round.
        let bits = "SELECT id, float8send(estimate) FROM %@ ORDER BY id"
        XCTAssertEqual(try c.execute(bits.replacingOccurrences(of: "%@", with: "public.as_binary")).rows,
                       try c.execute(bits.replacingOccurrences(of: "%@", with: "public.as_text")).rows)
        XCTAssertEqual(binary[0], "(1,-32768,-2147483648,-9223372036854775808,0.1,t,\"tab\tnew\nline\\\\back\rcr\",-1234567890.12,1.2345,"
                       + "123.4500,2024-02-29,\"1969-12-31 23:59:59.999999+00\",{},{})")
        XCTAssertEqual(binary[2], #"(3,0,0,0,1e-05,t,"",0.01,0.0000,-0.5,1999-12-31,"2026-11-23 21:30:00.5+00",{0001-01-01},{0})"#)
    }

    /// A field the transcoder does not read (text PostgreSQL accepts but the encoder never writes) sends the rows as
    /// text: from a savepoint inside a transaction, which goes on, or after the failed COPY outside one.
    func testTextTheTranscoderDoesNotReadGoesAsText() throws {
        let shop = try TestShop()
        let c = try shop.connect()
        try c.execute("CREATE TABLE public.odd (id integer, day date)")
        var rows = CopyRows()
        for k in 1...3 {
            rows.append(Int64(k))
            if k == 3 { rows.append(encodedFields: Array("2026-3-1".utf8), count: 1) } else { rows.appendDate(year: 2026, month: 3, day: k) }
            try rows.endRow()
        }
        let layout = try XCTUnwrap(try c.binaryCopyLayout(table: "public.odd", columns: ["id", "day"]))
        let sql = "COPY public.odd (id, day) FROM STDIN"
        try c.execute("BEGIN")
        try c.execute("INSERT INTO public.odd VALUES (0, '2026-01-01')")
        let inTransaction = try c.copyInBinary(sql, rows: rows, layout: layout)
        XCTAssertEqual(inTransaction.rows, 3)
        XCTAssertTrue(inTransaction.asText)
        try c.execute("COMMIT")
        XCTAssertEqual(try contents(c, "public.odd"), ["(0,2026-01-01)", "(1,2026-03-01)", "(2,2026-03-02)", "(3,2026-03-01)"])
        try c.execute("TRUNCATE public.odd")
        let alone = try c.copyInBinary(sql, rows: rows, layout: layout)
        XCTAssertEqual(alone.rows, 3)
        XCTAssertTrue(alone.asText)
        XCTAssertEqual(try contents(c, "public.odd").count, 3)
        // A column of a type the transcoder does not know leaves the table to text.
        try c.execute("CREATE TABLE public.with_json (id integer, doc jsonb)")
        XCTAssertNil(try c.binaryCopyLayout(table: "public.with_json", columns: ["id", "doc"]))
        XCTAssertNotNil(try c.binaryCopyLayout(table: "public.with_json", columns: ["id"]))
        XCTAssertNil(try c.binaryCopyLayout(table: "public.with_json", columns: ["id", "missing"]))
    }
}
