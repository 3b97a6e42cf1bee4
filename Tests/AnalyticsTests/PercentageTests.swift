import Analytics
import XCTest

/// `Percentage.of` for amounts whose part × 10,000 does not fit `Int64`: exact where the result fits, clamped beyond.
final class PercentageTests: XCTestCase {
    func testOrdinaryPercentagesRoundHalfAwayFromZero() {
        XCTAssertEqual(Percentage.of(2, 3)?.hundredths, 6667)
        XCTAssertEqual(Percentage.of(-1, 8)?.hundredths, -1250)
        XCTAssertEqual(Percentage.of(1, -40_000)?.hundredths, 0)
        XCTAssertNil(Percentage.of(5, 0))
    }

    func testAPartTooLargeToScaleIsStillExact() {
        // 92,300 orders of RWF 99,999,999.99 against 1,000 francs: the uplift that trapped.
        XCTAssertEqual(Percentage.of(922_999_999_907_700, 100_000)?.hundredths, 92_299_999_990_770)
        XCTAssertEqual(Percentage.of(922_999_999_907_701, 7)?.hundredths, 1_318_571_428_439_572_857)
        XCTAssertEqual(Percentage.of(-922_999_999_907_701, 7)?.hundredths, -1_318_571_428_439_572_857)
        XCTAssertEqual(Percentage.of(Int64.max, 20_000)?.hundredths, 4_611_686_018_427_387_904, "a half rounds away from zero")
        XCTAssertEqual(Percentage.of(Int64.max, 10_000)?.hundredths, 9_223_372_036_854_775_807)
    }

    func testInt64ExtremesNeverTrap() {
        XCTAssertEqual(Percentage.of(Int64.max, Int64.max)?.hundredths, 10_000)
        XCTAssertEqual(Percentage.of(Int64.min, Int64.max)?.hundredths, -10_000)
        XCTAssertEqual(Percentage.of(Int64.max, Int64.min)?.hundredths, -10_000)
        XCTAssertEqual(Percentage.of(Int64.min, Int64.min)?.hundredths, 10_000)
        XCTAssertEqual(Percentage.of(Int64.max, 1)?.hundredths, 9_223_372_036_854_775_807, "beyond Int64: clamped")
        XCTAssertEqual(Percentage.of(Int64.min, 1)?.hundredths, -9_223_372_036_854_775_807)
        XCTAssertEqual(Percentage.of(Int64.min, -1)?.hundredths, 9_223_372_036_854_775_807)
        XCTAssertFalse(Percentage.of(Int64.max, 1)!.fits(precision: 16))
        XCTAssertEqual(Percentage.of(Int64.min, 1)?.description.first, "-")
    }
}
