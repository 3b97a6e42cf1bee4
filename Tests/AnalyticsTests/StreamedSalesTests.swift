import Analytics
import Shop
import XCTest

/// A backfill's order stream (ascending order id) summed per user (README, "What a backfill reads").
final class StreamedSalesTests: XCTestCase {
    typealias T = CustomerAnalysisTests

    /// Stream order: user 1 on 11-01 (1,000) and 11-10 (3,000), user 2 on 11-05 (2,000) then 11-03 (500: out of time
    /// order) and 11-20, user 3's cancelled order, user 1 twice on the as-of day 11-23 (700 and 300) and once after it.
    func testSalesSumInStreamOrderAndAUserWhoseSalesGoBackInTimeIsSetAside() {
        var streamed = StreamedSales(asOf: T.asOf, calendar: T.kigali)
        for order in [
            T.sale(1, T.at(2026, 11, 1), subtotal: 100_000),
            T.sale(2, T.at(2026, 11, 5), subtotal: 200_000),
            T.sale(1, T.at(2026, 11, 10), subtotal: 300_000),
            T.sale(2, T.at(2026, 11, 3), subtotal: 50_000),
            T.sale(2, T.at(2026, 11, 20), subtotal: 80_000),
            T.sale(3, T.at(2026, 11, 21), subtotal: 90_000, status: .cancelled),
            T.sale(1, T.at(2026, 11, 23, 9), subtotal: 70_000),
            T.sale(1, T.at(2026, 11, 23, 18), subtotal: 30_000),
            T.sale(1, T.at(2026, 11, 24, 0, 30), subtotal: 1_000_000),
        ] { streamed.add(order) }

        XCTAssertEqual(streamed.disordered, [2])
        XCTAssertEqual(streamed.sales, 4)
        XCTAssertEqual(Set(streamed.states.keys), [1])
        let user1 = streamed.states[1]!
        XCTAssertEqual([Int64(user1.sales), user1.spent, Int64(user1.purchaseDays), user1.firstDaySpend], [4, 500_000, 3, 100_000])
        XCTAssertEqual([user1.firstDay, user1.lastDay], [ShopDay(iso: "2026-11-01")!.epochDay, T.asOf.epochDay])
        // The sums kept for the next run: the sales before the start of the as-of day.
        XCTAssertEqual(Set(streamed.beforeDay.keys), [1])
        let kept = streamed.beforeDay[1]!
        XCTAssertEqual([Int64(kept.sales), kept.spent, Int64(kept.purchaseDays)], [2, 400_000, 2])
        XCTAssertEqual(kept.lastDay, ShopDay(iso: "2026-11-10")!.epochDay)
    }

    /// Two sales on the same instant are in id order either way: not out of time order.
    func testTwoSalesOnOneInstantAreInOrder() {
        var streamed = StreamedSales(asOf: T.asOf, calendar: T.kigali)
        streamed.add(T.sale(4, T.at(2026, 11, 2), subtotal: 10_000))
        streamed.add(T.sale(4, T.at(2026, 11, 2), subtotal: 20_000))
        XCTAssertEqual(streamed.disordered, [])
        XCTAssertEqual(streamed.states[4].map { [Int64($0.sales), $0.spent, Int64($0.purchaseDays)] }, [2, 30_000, 1])
    }
}
