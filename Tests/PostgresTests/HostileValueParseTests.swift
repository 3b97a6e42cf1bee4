import Postgres
import XCTest

/// Values a hostile or broken shop can hold, as PostgreSQL's text format writes them. Expected numbers come from
/// PostgreSQL itself (`extract(epoch from ...)`, `date - '1970-01-01'`), not from the parser.
final class HostileValueParseTests: XCTestCase {
    private func bytes<R>(_ s: String, _ f: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        Array(s.utf8).withUnsafeBufferPointer(f)
    }

    func testBCTimestampsAreBCNotAD() {
        // SELECT extract(epoch from '0044-03-15 12:00:00+00 BC'::timestamptz) = -63517780800
        XCTAssertEqual(bytes("0044-03-15 12:00:00+00 BC") { CopyParse.timestampMicros($0) }, -63_517_780_800_000_000)
        // The same digits without BC are 44 AD, 87 years later: SELECT extract(epoch from '0044-03-15 12:00:00+00') = -60772248000
        XCTAssertEqual(bytes("0044-03-15 12:00:00+00") { CopyParse.timestampMicros($0) }, -60_772_248_000_000_000)
        // SELECT '0044-03-15 BC'::date - '1970-01-01'::date = -735160
        XCTAssertEqual(bytes("0044-03-15 BC") { CopyParse.epochDay($0) }, -735_160)
        XCTAssertEqual(bytes("0044-03-15 12:00:00.5+02 BC") { CopyParse.timestampMicros($0) }, -63_517_780_800_000_000 - 7_200_000_000 + 500_000)
    }

    func testInfinityAndTrailingJunkAreUnreadableNotGuessed() {
        XCTAssertNil(bytes("infinity") { CopyParse.timestampMicros($0) })
        XCTAssertNil(bytes("-infinity") { CopyParse.timestampMicros($0) })
        XCTAssertNil(bytes("2026-11-23 21:30:00+00 AD?") { CopyParse.timestampMicros($0) })
        XCTAssertNil(bytes("2026-11-23 21:30:00+00x") { CopyParse.timestampMicros($0) })
        XCTAssertEqual(bytes("2026-11-23 21:30:00Z") { CopyParse.timestampMicros($0) }, 1_795_469_400_000_000)
    }
}
