import Postgres
import XCTest

final class CopyParseTests: XCTestCase {
    private func bytes<R>(_ s: String, _ f: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        Array(s.utf8).withUnsafeBufferPointer(f)
    }

    func testNumericBecomesExactHundredths() {
        XCTAssertEqual(bytes("1234.50") { CopyParse.scaled($0, scale: 2) }, 123_450)
        XCTAssertEqual(bytes("-0.05") { CopyParse.scaled($0, scale: 2) }, -5)
        XCTAssertEqual(bytes("7") { CopyParse.scaled($0, scale: 2) }, 700)
        XCTAssertEqual(bytes("3.1") { CopyParse.scaled($0, scale: 2) }, 310)
        XCTAssertEqual(bytes("99999999.99") { CopyParse.scaled($0, scale: 2) }, 9_999_999_999)
        XCTAssertEqual(bytes("2.500") { CopyParse.scaled($0, scale: 2) }, 250, "trailing zeros past the scale are exact")
        XCTAssertNil(bytes("2.505") { CopyParse.scaled($0, scale: 2) }, "a third decimal would be rounded: refuse it")
        XCTAssertNil(bytes("12a") { CopyParse.scaled($0, scale: 2) })
        XCTAssertNil(bytes("") { CopyParse.scaled($0, scale: 2) })
        XCTAssertNil(bytes("1.2.3") { CopyParse.scaled($0, scale: 2) })
    }

    func testTimestampsWithOffsetsAreUTCMicroseconds() {
        // 2026-11-23 21:30:00 UTC = 1795469400 s.
        XCTAssertEqual(bytes("2026-11-23 21:30:00+00") { CopyParse.timestampMicros($0) }, 1_795_469_400_000_000)
        XCTAssertEqual(bytes("2026-11-23 23:30:00+02") { CopyParse.timestampMicros($0) }, 1_795_469_400_000_000)
        XCTAssertEqual(bytes("2026-11-23 21:30:00.25+00") { CopyParse.timestampMicros($0) }, 1_795_469_400_250_000)
        XCTAssertEqual(bytes("2026-11-23 21:30:00.000001+00") { CopyParse.timestampMicros($0) }, 1_795_469_400_000_001)
        XCTAssertEqual(bytes("2026-11-23 16:00:00-05:30") { CopyParse.timestampMicros($0) }, 1_795_469_400_000_000)
        XCTAssertEqual(bytes("1969-12-31 23:59:59+00") { CopyParse.timestampMicros($0) }, -1_000_000)
        XCTAssertNil(bytes("2026-13-01 00:00:00+00") { CopyParse.timestampMicros($0) })
        XCTAssertNil(bytes("yesterday") { CopyParse.timestampMicros($0) })
    }

    func testDatesAndIntegers() {
        XCTAssertEqual(bytes("1970-01-01") { CopyParse.epochDay($0) }, 0)
        XCTAssertEqual(bytes("2026-11-23") { CopyParse.epochDay($0) }, 20_780)
        XCTAssertEqual(bytes("-42") { CopyParse.int64($0) }, -42)
        XCTAssertNil(bytes("99999999999999999999") { CopyParse.int64($0) }, "overflow is not a number")
    }

    func testCopyEscapesAreDecoded() {
        let decoded = bytes(#"a\tb\\c\nd\101\x42"#) { String(decoding: CopyParse.unescape($0), as: UTF8.self) }
        XCTAssertEqual(decoded, "a\tb\\c\nd" + "AB")
    }

    func testScaledFormattingIsExact() {
        XCTAssertEqual(CopyFormat.scaled(123_450, scale: 2), "1234.50")
        XCTAssertEqual(CopyFormat.scaled(-5, scale: 2), "-0.05")
        XCTAssertEqual(CopyFormat.scaled(0, scale: 2), "0.00")
    }

    func testRowsKeptAsAValueAreEscapedCopyText() throws {
        var rows = CopyRows()
        rows.append("tab\there"); rows.append(nil as String?); rows.append(Int64(-7)); rows.append(true)
        rows.appendScaled(123_450, scale: 2)
        try rows.endRow()
        var more = CopyRows()
        more.append("back\\slash\nline"); more.append(nil as Int64?); more.append(0); more.append(false)
        more.appendScaled(nil, scale: 2)
        try more.endRow()
        rows.append(contentsOf: more)
        XCTAssertEqual(rows.rows, 2)
        XCTAssertEqual(try rows.lines(), ["tab\\there\t\\N\t-7\tt\t1234.50", "back\\\\slash\\nline\t\\N\t0\tf\t\\N"])
    }

    func testNumbersAreWrittenAsPostgreSQLReadsThem() throws {
        var rows = CopyRows()
        rows.append(Int64.min); rows.append(Int64.max); rows.append(0); rows.append(-1); rows.append(1_000_000)
        rows.appendScaled(-5, scale: 2); rows.appendScaled(0, scale: 2); rows.appendScaled(7, scale: 4)
        rows.appendScaled(-123_456_789, scale: 4); rows.appendScaled(Int64.min, scale: 2); rows.appendScaled(42, scale: 0)
        rows.append(encodedFields: Array("17\t2026-12-01".utf8), count: 2)
        try rows.endRow()
        XCTAssertEqual(try rows.lines(), ["-9223372036854775808\t9223372036854775807\t0\t-1\t1000000\t-0.05\t0.00\t0.0007\t-12345.6789"
                                    + "\t-92233720368547758.08\t42\t17\t2026-12-01"])
    }
}
