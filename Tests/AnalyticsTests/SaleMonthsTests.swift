@testable import Analytics
import XCTest

/// A customer's months with a sale, kept as bits from the first month and a list past the 64th: the same months, in the
/// same order, as the plain list they replace.
final class SaleMonthsTests: XCTestCase {
    /// The months a list keeps when each is added only if it differs from the last (as `CustomerSales.add` does).
    private func plain(_ months: [Int32]) -> [Int32] {
        var list: [Int32] = []
        for m in months where list.last != m { list.append(m) }
        return list
    }

    func testTheMonthsComeBackInOrder() {
        let start: Int32 = 2024 * 12 + 11
        let cases: [[Int32]] = [
            [], [start], [start, start, start], [start, start + 1, start + 2], [start, start + 63], [start, start + 64],
            [start, start + 5, start + 5, start + 62, start + 63, start + 64, start + 65, start + 200, start + 200, start + 9_000],
            [-5, -1, 0, 1, 60, 70], Array(stride(from: start, to: start + 130, by: 1)), Array(stride(from: start, to: start + 400, by: 7)),
        ]
        for months in cases {
            var kept = SaleMonths()
            for m in months where kept.last != m { kept.append(m) }
            let list = plain(months)
            XCTAssertEqual(Array(kept), list, "\(months)")
            XCTAssertEqual(kept.first, list.first)
            XCTAssertEqual(kept.last, list.last)
            XCTAssertEqual(kept.isEmpty, list.isEmpty)
        }
        XCTAssertEqual(Array(SaleMonths(arrayLiteral: 3, 70, 71)), [3, 70, 71])
        XCTAssertEqual(SaleMonths(arrayLiteral: 3, 70, 71).last, 71)
        XCTAssertEqual(SaleMonths(arrayLiteral: 3, 66).last, 66, "the list's last, past the bits")
        XCTAssertEqual(SaleMonths(arrayLiteral: 3, 65).last, 65)
        XCTAssertEqual(SaleMonths(arrayLiteral: 3, 66), SaleMonths(arrayLiteral: 3, 66))
        XCTAssertNotEqual(SaleMonths(arrayLiteral: 3, 66), SaleMonths(arrayLiteral: 3, 67))
        XCTAssertNotEqual(SaleMonths(arrayLiteral: 3), SaleMonths())
    }

    func testAMonthBeforeTheLastIsLeftOut() {
        var kept: SaleMonths = [10, 12]
        kept.append(11)
        kept.append(12)
        kept.append(9)
        XCTAssertEqual(Array(kept), [10, 12])
        kept.append(100)
        kept.append(80)
        XCTAssertEqual(Array(kept), [10, 12, 100])
    }
}
