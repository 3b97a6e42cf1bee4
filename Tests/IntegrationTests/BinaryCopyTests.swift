import Postgres
import XCTest

/// A binary COPY reads the same values as a text COPY of the same query, and gives each field the text PostgreSQL itself
/// prints (what a set-aside row keeps): checked against a real server, value by value.
final class BinaryCopyTests: XCTestCase {
    /// Awkward values of every column type the job reads in binary, one row each, with NULLs.
    static let query = """
        SELECT * FROM (VALUES
          (1::int, 'view_menu'::varchar, 'plain-session', 7::int, '2026-03-01 10:00:00+00'::timestamptz, '2026-03-01'::date, true),
          (-9223372036854775808, 'tab\tnew\nline\\back', '  ', NULL, '2026-03-01 23:59:59.123+02'::timestamptz, '0044-03-15 BC'::date, false),
          (2147483648, 'ümlaut ☕ 𝄞', '', 2147483647, '2000-01-01 00:00:00.000001+00'::timestamptz, 'infinity'::date, NULL),
          (0, NULL, NULL, -1, '1969-12-31 23:59:59.5+00'::timestamptz, '-infinity'::date, true),
          (42, 'x', 'y', 1, 'infinity'::timestamptz, '10000-01-01'::date, true),
          (43, 'x', 'y', 1, '-infinity'::timestamptz, '1999-12-31'::date, true),
          (44, 'x', 'y', 1, '0005-02-29 12:00:00.010+00 BC'::timestamptz, NULL, true),
          (45, 'x', 'y', 1, '12026-07-04 01:02:03.4+00'::timestamptz, '2000-01-01'::date, true),
          (46, 'x', 'y', 1, NULL, '1970-01-01'::date, false)
        ) AS v(id, kind, session, user_id, at, day, flag)
        """
    static let columns: [BinaryColumn] = [.integer, .text, .text, .integer, .timestamptz, .date, .boolean]

    func testBinaryRowsReadAndPrintLikeTextRows() throws {
        let shop = try TestShop()
        let c = try shop.connect()
        struct Values: Equatable {
            var texts: [String?]
            var ints: [Int64?]
            var micros: Int64?
            var day: Int32?
            var flag: Bool?
        }
        var text: [Values] = []
        try c.copyOut("COPY (\(Self.query)) TO STDOUT") { row in
            text.append(Values(texts: (0..<row.count).map { row.string($0) }, ints: [row.int64(0), row.int64(3)],
                               micros: row.timestampMicros(4), day: row.epochDay(5), flag: row.bool(6)))
        }
        var binary: [Values] = []
        let n = try c.copyOutBinary(Self.query, columns: Self.columns) { row in
            binary.append(Values(texts: (0..<row.count).map { row.string($0) }, ints: [row.int64(0), row.int64(3)],
                                 micros: row.timestampMicros(4), day: row.epochDay(5), flag: row.bool(6)))
        }
        XCTAssertEqual(n, 9)
        XCTAssertEqual(binary.count, text.count)
        XCTAssertEqual(binary, text, "every value and every field's text the same in both forms")
        // The text parsers read four-digit years only, and no least bigint: nor does binary, so a row reads the same.
        XCTAssertNil(binary[7].micros, "12026-07-04 01:02:03.4 UTC")
        XCTAssertEqual(binary[7].texts[4], "12026-07-04 01:02:03.4+00")
        XCTAssertNil(binary[4].day, "10000-01-01")
        XCTAssertEqual(binary[1].ints, [nil, nil])
        XCTAssertEqual(binary[1].texts[0], "-9223372036854775808")
        XCTAssertEqual(binary.first?.micros, 1_772_359_200_000_000, "2026-03-01 10:00 UTC")
        XCTAssertEqual(binary[1].texts[1], "tab\tnew\nline\\back", "text as it is, no COPY escapes")
        XCTAssertEqual(binary[1].texts[5], "0044-03-15 BC")
        XCTAssertEqual(binary[6].texts[4], "0005-02-29 12:00:00.01+00 BC")
        XCTAssertNil(binary[4].micros, "infinity is no instant")
    }

    /// Amounts (`numeric`) read in binary as `CopyParse.scaled` reads their text, at several scales, and print as
    /// PostgreSQL prints them: signs, zeros, digits past the scale, NaN and the infinities, the edges of Int64.
    func testNumericsReadAndPrintLikeText() throws {
        let shop = try TestShop()
        let c = try shop.connect()
        let literals = ["4000.00", "-0.50", "12.345", "12.340", "NaN", "Infinity", "-Infinity", "0", "0.00", "0.001", "-0.001",
                        "99999999999999999.99", "92233720368547758.07", "-92233720368547758.07", "-92233720368547758.08",
                        "100000000000000000000", "0.0000001", "10000", "123456789.1", "-1", "1.5", "0.10", "9999.9999",
                        "10000.00001", "922337203685477580.7", "1e-3", "50000000.005"]
        let query = "SELECT v::numeric FROM unnest(ARRAY[" + literals.map { "'\($0)'" }.joined(separator: ", ") + ", NULL]) WITH ORDINALITY AS t(v, k) ORDER BY k"
        struct Values: Equatable { var text: String?; var scaled: [Int64?] }
        var text: [Values] = [], binary: [Values] = []
        try c.copyOut("COPY (\(query)) TO STDOUT") { row in
            text.append(Values(text: row.string(0), scaled: [0, 2, 4].map { row.scaled(0, scale: $0) }))
        }
        try c.copyOutBinary(query, columns: [.numeric]) { row in
            binary.append(Values(text: row.string(0), scaled: [0, 2, 4].map { row.scaled(0, scale: $0) }))
        }
        XCTAssertEqual(binary.count, literals.count + 1)
        for (b, t) in zip(binary, text) { XCTAssertEqual(b, t) }
        XCTAssertEqual(binary[0], Values(text: "4000.00", scaled: [4000, 400_000, 40_000_000]))
        XCTAssertEqual(binary[2].scaled, [nil, nil, 123_450], "12.345: a third decimal")
        XCTAssertEqual(binary[3].scaled, [nil, 1234, 123_400], "12.340: its third decimal is a zero")
        XCTAssertEqual(binary[12].scaled[1], .max)
        XCTAssertEqual(binary[13].scaled[1], -.max)
        XCTAssertEqual(binary[14].scaled[1], nil, "the least Int64 is not read, as in text")
        XCTAssertEqual(binary[4].text, "NaN")
        XCTAssertEqual(binary[16].text, "0.0000001")
        XCTAssertEqual(binary.last, Values(text: nil, scaled: [nil, nil, nil]))
    }

    /// Date arrays (the kept sales state's months and recent purchase days) read in binary as `CopyParse.epochDays`
    /// reads their text, element by element, and print as PostgreSQL prints them.
    func testDateArraysReadAndPrintLikeText() throws {
        let shop = try TestShop()
        let c = try shop.connect()
        let literals = ["{2026-01-01,2026-03-01}", "{}", "{1970-01-01}", "{2026-01-01,NULL,infinity,-infinity,\"0044-03-15 BC\",10000-01-01,9999-12-31,0001-01-01,2000-01-01}",
                        "{{2026-01-01,2026-01-02},{2026-02-01,2026-02-02}}", "{NULL}", "[0:1]={2026-05-01,2026-05-02}"]
        let query = "SELECT v::date[] FROM unnest(ARRAY[" + literals.map { "'\($0.replacingOccurrences(of: "'", with: "''"))'" }.joined(separator: ", ")
            + "]::text[] || ARRAY[NULL::text]) WITH ORDINALITY AS t(v, k) ORDER BY k"
        struct Values: Equatable { var text: String?; var days: [Int32] }
        var text: [Values] = [], binary: [Values] = []
        try c.copyOut("COPY (\(query)) TO STDOUT") { row in
            var days: [Int32] = []
            row.epochDays(0) { days.append($0) }
            text.append(Values(text: row.string(0), days: days))
        }
        try c.copyOutBinary(query, columns: [.dateArray]) { row in
            var days: [Int32] = []
            row.epochDays(0) { days.append($0) }
            binary.append(Values(text: row.string(0), days: days))
        }
        XCTAssertEqual(binary.count, literals.count + 1)
        for (k, (b, t)) in zip(binary, text).enumerated() where k != 4 { XCTAssertEqual(b, t, literals[min(k, literals.count - 1)]) }
        XCTAssertEqual(binary[0], Values(text: "{2026-01-01,2026-03-01}", days: [20_454, 20_513]))
        XCTAssertEqual(binary[1], Values(text: "{}", days: []))
        XCTAssertEqual(binary[3].days, [20_454, 2_932_896, -719_162, 10_957], "the plain dates, in order; NULL, infinities, BC and year 10000 skipped")
        XCTAssertEqual(binary[3].text, "{2026-01-01,NULL,infinity,-infinity,\"0044-03-15 BC\",10000-01-01,9999-12-31,0001-01-01,2000-01-01}")
        XCTAssertEqual(binary[4].days, [], "two dimensions: no element read, as in text")
        XCTAssertEqual(text[4].days, [])
        XCTAssertEqual(binary[6], Values(text: "[0:1]={2026-05-01,2026-05-02}", days: []), "another first index: no element read, as in text")
        XCTAssertEqual(binary.last, Values(text: nil, days: []))
    }

    func testAnEmptyResultAndAnErrorLeaveTheConnectionUsable() throws {
        let shop = try TestShop()
        let c = try shop.connect()
        XCTAssertEqual(try c.copyOutBinary("SELECT 1 WHERE false", columns: [.integer]) { _ in XCTFail("no row") }, 0)
        struct Stop: Error {}
        XCTAssertThrowsError(try c.copyOutBinary("SELECT g FROM generate_series(1, 100000) g", columns: [.integer]) { row in
            if row.int64(0) == 10 { throw Stop() }
        }) { XCTAssertTrue($0 is Stop) }
        XCTAssertThrowsError(try c.copyOutBinary("SELECT 1", columns: [.integer, .integer]) { _ in }, "fewer columns than named")
        XCTAssertEqual(try c.copyOutBinary("SELECT '7'::text", columns: [.integer]) { XCTAssertEqual($0.int64(0), 7) }, 1,
                       "the column is cast to the type named")
    }
}
