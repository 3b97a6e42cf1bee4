import Postgres
import XCTest

/// A binary COPY reads the same values as a text COPY of the same query, and gives each field the text PostgreSQL itself
/// prints (what a set-aside row keeps): checked against a real server, value by value.
final class BinaryCopyTests: XCTestCase {
    /// Awkward values of every column type the job reads in binary, one row each, with NULLs.
    static let query = """
        SELECT * FROM (VALUES
          (1::int, 'view_menu'::varchar, 'plain-session', 7::int, '2026-03-01 10:00:00+00'::timestamptz, '2026-03-01'::date, true),
          (-9223372036854775807, 'tab\tnew\nline\\back', '  ', NULL, '2026-03-01 23:59:59.123+02'::timestamptz, '0044-03-15 BC'::date, false),
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
        for (b, t) in zip(binary, text) {
            XCTAssertEqual(b.texts, t.texts)
            XCTAssertEqual(b.ints, t.ints)
            XCTAssertEqual(b.flag, t.flag)
            // The text parser reads four-digit years only; binary reads the years past 9999 too.
            if t.micros != nil || !(b.texts[4] ?? "").hasPrefix("1202") { XCTAssertEqual(b.micros, t.micros, b.texts[4] ?? "NULL") }
            if t.day != nil || b.texts[5] != "10000-01-01" { XCTAssertEqual(b.day, t.day, b.texts[5] ?? "NULL") }
        }
        XCTAssertEqual(binary[7].micros, 317_352_646_923_400_000, "12026-07-04 01:02:03.4 UTC")
        XCTAssertEqual(binary.first?.micros, 1_772_359_200_000_000, "2026-03-01 10:00 UTC")
        XCTAssertEqual(binary[1].texts[1], "tab\tnew\nline\\back", "text as it is, no COPY escapes")
        XCTAssertEqual(binary[1].texts[5], "0044-03-15 BC")
        XCTAssertEqual(binary[6].texts[4], "0005-02-29 12:00:00.01+00 BC")
        XCTAssertNil(binary[4].micros, "infinity is no instant")
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
