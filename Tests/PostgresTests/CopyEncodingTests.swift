import Postgres
import XCTest

/// What the encoder writes for each kind of value, byte for byte, against text written out by hand (and, for dates and
/// times, against what C's `%04d-%02d-%02d` and PostgreSQL's timestamptz input take).
final class CopyEncodingTests: XCTestCase {
    private func line(_ fill: (inout CopyRows) throws -> Void) throws -> String {
        var rows = CopyRows()
        try fill(&rows)
        var text: [UInt8] = []
        try rows.forEachBlock { text.append(contentsOf: $0) }
        return String(decoding: text, as: UTF8.self)
    }

    func testTextIsEscapedExactlyAndNonASCIIIsKept() throws {
        XCTAssertEqual(try line { r in
            r.append("Mukamana Éric"); r.append(""); r.append(nil as String?)
            r.append("a\\b\tc\nd\re"); r.append("\\N"); r.append("ends in a backslash\\"); r.append("\t")
            try r.endRow()
        }, "Mukamana Éric\t\t\\N\ta\\\\b\\tc\\nd\\re\t\\\\N\tends in a backslash\\\\\t\\t\n")
    }

    func testMoneyAndWholeNumbers() throws {
        XCTAssertEqual(try line { r in
            r.appendScaled(-1, scale: 2); r.appendScaled(0, scale: 2); r.appendScaled(-100, scale: 2)
            r.appendScaled(123_456_789_012_345, scale: 2); r.appendScaled(Int64.max, scale: 2); r.append(Int?.none)
            try r.endRow()
        }, "-0.01\t0.00\t-1.00\t1234567890123.45\t92233720368547758.07\t\\N\n")
    }

    func testSingleDigitsAndTwoDigitPadsAreWrittenLikeTheLongerNumbers() throws {
        XCTAssertEqual(try line { r in
            r.append(0 as Int64?); r.append(9 as Int64?); r.append(-7 as Int64?); r.append(10 as Int64?); r.append(Int64.min as Int64?)
            r.appendScaled(0, scale: 0); r.appendScaled(-9, scale: 0); r.appendScaled(5, scale: 2); r.appendScaled(-5, scale: 2)
            r.appendScaled(7, scale: 4)
            try r.endRow()
        }, "0\t9\t-7\t10\t-9223372036854775808\t0\t-9\t0.05\t-0.05\t0.0007\n")
        // Two-digit fields at their edges (00, 09, 10, 99), and a year past 9999 still whole.
        XCTAssertEqual(try line { r in
            r.appendTimestamp(year: 2026, month: 1, day: 9, second: 9 * 3600 + 10 * 60 + 59, microsecond: 99)
            r.appendTimestamp(year: 10_000, month: 10, day: 10, second: 0, microsecond: 999_999)
            try r.endRow()
        }, "2026-01-09 09:10:59.000099+00\t10000-10-10 00:00:00.999999+00\n")
    }

    func testDatesAreFourDigitYearsLikePrintf() throws {
        XCTAssertEqual(try line { r in
            r.appendDate(year: 2026, month: 12, day: 2); r.appendDate(year: 1969, month: 12, day: 31)
            r.appendDate(year: 5, month: 1, day: 9); r.appendDate(year: 0, month: 2, day: 29)
            r.appendDate(year: -44, month: 3, day: 15); r.appendDate(year: 12_345, month: 10, day: 10)
            try r.endRow()
        }, "2026-12-02\t1969-12-31\t0005-01-09\t0000-02-29\t-044-03-15\t12345-10-10\n")
    }

    func testTimestampsAreUTCWithSixFractionDigits() throws {
        XCTAssertEqual(try line { r in
            r.appendTimestamp(year: 2026, month: 11, day: 23, second: 77_400, microsecond: 0)
            r.appendTimestamp(year: 1969, month: 12, day: 31, second: 86_399, microsecond: 999_999)
            r.appendTimestamp(year: 2000, month: 1, day: 1, second: 0, microsecond: 1)
            r.appendTimestamp(year: 2099, month: 12, day: 31, second: 3_661, microsecond: 120_000)
            try r.endRow()
        }, "2026-11-23 21:30:00.000000+00\t1969-12-31 23:59:59.999999+00\t2000-01-01 00:00:00.000001+00\t2099-12-31 01:01:01.120000+00\n")
    }

    func testDateArrays() throws {
        XCTAssertEqual(try line { r in
            r.appendDateArray([(year: Int, month: Int, day: Int)]())
            r.appendDateArray([(year: 2026, month: 1, day: 1), (year: 2026, month: 3, day: 1)])
            try r.endRow()
        }, "{}\t{2026-01-01,2026-03-01}\n")
    }

    func testDoublesAreTheShortestTextThatReadsBack() throws {
        XCTAssertEqual(try line { r in
            r.append(0.1); r.append(-2.5); r.append(0.0); r.append(100.0); r.append(1e-05); r.append(1e16)
            r.append(0.30000000000000004); r.append(Double.nan); r.append(-Double.infinity); r.append(Double?.none)
            try r.endRow()
        }, "0.1\t-2.5\t0.0\t100.0\t1e-05\t1e+16\t0.30000000000000004\tnan\t-inf\t\\N\n")
    }

    func testAWordIsFoundFromItsBytesOnly() {
        enum Status: String, CaseIterable { case pending, delivered, cashOnDelivery = "cash_on_delivery" }
        let words = CopyWords<Status>()
        func find(_ s: String) -> Status? { Array(s.utf8).withUnsafeBufferPointer { words.value(of: $0) } }
        XCTAssertEqual(find("delivered"), .delivered)
        XCTAssertEqual(find("cash_on_delivery"), .cashOnDelivery)
        XCTAssertEqual(find("pending"), .pending)
        XCTAssertNil(find("deliver"))
        XCTAssertNil(find("delivered "))
        XCTAssertNil(find("Delivered"))
        XCTAssertNil(find("\\N"), "NULL is no word")
        XCTAssertNil(find(""))
    }

    func testDateArraysAreReadFromTheirBytes() {
        func days(_ s: String) -> [Int32] {
            var out: [Int32] = []
            Array(s.utf8).withUnsafeBufferPointer { CopyParse.epochDays($0) { out.append($0) } }
            return out
        }
        // SELECT '2026-01-01'::date - '1970-01-01'::date = 20454; 2026-03-01 is 59 days later.
        XCTAssertEqual(days("{2026-01-01,2026-03-01}"), [20_454, 20_513])
        XCTAssertEqual(days("{1969-12-31}"), [-1])
        XCTAssertEqual(days("{}"), [])
        XCTAssertEqual(days("\\N"), [])
        XCTAssertEqual(days("{infinity,2026-01-01}"), [20_454], "an element that is no date is skipped")
        XCTAssertEqual(days("{\"0044-03-15 BC\",2026-03-01}"), [20_513])
    }
}
