import Analytics
import Shop
import XCTest

/// A small shop whose customer figures are worked out by hand (README, "Customer analytics"). As of 2026-11-23:
///
/// | user | sales (Kigali day: total)                                     | notes                                  |
/// | 1    | 09-01: 10,000 (coupon 500) and 5,000; 10-15: 20,000 (vip 1,000, loyalty 2,000); 11-20: 15,000 | gold VIP, subscribed |
/// | 2    | 11-10: 600,000                                                | referred by 1                          |
/// | 3    | 07-01: 8,000.01; 08-15: 12,000.00                             |                                        |
/// | 4    | none (joined 11-01)                                           |                                        |
/// | 5    | 09-20 23:30 Kigali: 3,000; plus a cancelled and a refunded order |                                     |
final class CustomerAnalysisTests: XCTestCase {
    static let kigali = ShopCalendar(identifier: "Africa/Kigali")!
    static let asOf = ShopDay(year: 2026, month: 11, day: 23)

    static func at(_ y: Int, _ m: Int, _ d: Int, _ hour: Int = 12, _ minute: Int = 0) -> Int64 {
        kigali.startMicros(of: ShopDay(year: y, month: m, day: d)) + Int64(hour * 3600 + minute * 60) * 1_000_000
    }

    static func sale(_ user: Int64, _ time: Int64, subtotal: Int64, coupon: Int64 = 0, vip: Int64 = 0, loyalty: Int64 = 0,
                     status: OrderStatus = .delivered, payment: PaymentStatus = .completed) -> Order {
        let d = Discounts(coupon: Money(hundredths: coupon), loyalty: Money(hundredths: loyalty), vip: Money(hundredths: vip))
        return Order(id: time / 1_000_000 + user, userId: user, status: status, paymentMethod: .mtnMobileMoney, paymentStatus: payment,
                     subtotal: Money(hundredths: subtotal), discounts: d, total: Money(hundredths: subtotal - coupon - vip - loyalty),
                     createdAt: time)
    }

    static func book(reserving room: Int = 0) -> CustomerBook {
        var b = CustomerBook(asOf: asOf, calendar: kigali)
        b.reserveCapacity(customers: room)
        b.add(CustomerProfile(userId: 1, joinedAt: at(2026, 1, 1), vipTier: VIPTier(source: "gold"), subscriptionActive: true))
        b.add(CustomerProfile(userId: 2, joinedAt: at(2026, 11, 9)))
        b.add(CustomerProfile(userId: 3, joinedAt: at(2026, 6, 1)))
        b.add(CustomerProfile(userId: 4, joinedAt: at(2026, 11, 1)))
        b.add(CustomerProfile(userId: 5, joinedAt: at(2026, 9, 1)))
        // In created_at order, as the extract sends them.
        let orders = [
            sale(3, at(2026, 7, 1), subtotal: 800_001),
            sale(3, at(2026, 8, 15), subtotal: 1_200_000),
            sale(1, at(2026, 9, 1, 10), subtotal: 1_050_000, coupon: 50_000),
            sale(1, at(2026, 9, 1, 18), subtotal: 500_000),
            sale(5, at(2026, 9, 20, 23, 30), subtotal: 300_000),
            sale(5, at(2026, 9, 21), subtotal: 900_000, status: .cancelled),
            sale(5, at(2026, 9, 22), subtotal: 900_000, payment: .refunded),
            sale(99, at(2026, 10, 1), subtotal: 100_000),  // staff: not a customer
            sale(1, at(2026, 10, 15), subtotal: 2_300_000, vip: 100_000, loyalty: 200_000),
            sale(2, at(2026, 11, 10), subtotal: 60_000_000),
            sale(1, at(2026, 11, 20), subtotal: 1_500_000),
            sale(1, at(2026, 11, 24, 0, 30), subtotal: 1_000_000),  // after the as-of day
        ]
        for o in orders { b.add(o) }
        b.add(LoyaltyPoints(userId: 1, earned: 300, redeemed: 200))  // order store
        b.add(LoyaltyPoints(userId: 1, earned: 500, redeemed: 0))    // subscription store
        b.add(Referral(id: 1, referrerId: 1, refereeId: 2, status: "COMPLETED", referrerBonus: Money(francs: 1500), referrerBonusPoints: 150,
                       createdAt: at(2026, 11, 5), completedAt: at(2026, 11, 9)))
        b.add(Referral(id: 2, referrerId: 1, refereeId: nil, status: "PENDING", referrerBonus: Money(francs: 1000), createdAt: at(2026, 11, 6), completedAt: nil))
        b.add(Referral(id: 3, referrerId: 3, refereeId: 4, status: "COMPLETED", referrerBonus: Money(francs: 2000),
                       createdAt: at(2026, 11, 20), completedAt: at(2026, 11, 25)))
        b.add(Referral(id: 4, referrerId: 3, refereeId: nil, status: "PENDING", referrerBonus: Money(francs: 2000), createdAt: at(2026, 11, 24), completedAt: nil))
        return b
    }

    func testMetricsOfARepeatCustomer() throws {
        let a = Self.book().analysis()
        let m = try XCTUnwrap(a.metrics(for: 1))
        XCTAssertEqual(m.totalOrders, 4)
        XCTAssertEqual(m.totalSpent, Money(francs: 50_000))
        XCTAssertEqual(m.lifetimeValue, Money(francs: 50_000))
        XCTAssertEqual(m.averageOrderValue, Money(francs: 12_500))
        XCTAssertEqual(m.firstOrderAt, Self.at(2026, 9, 1, 10))
        XCTAssertEqual(m.lastOrderAt, Self.at(2026, 11, 20))
        XCTAssertEqual(m.daysSinceLastOrder, 3)
        XCTAssertFalse(m.churnRisk)
        XCTAssertEqual(m.vipTier, .gold)
        XCTAssertEqual(m.vipTier?.capitalised, "Gold")
        XCTAssertTrue(m.subscriptionActive)
        XCTAssertEqual(m.loyaltyPointsEarned, 800)
        XCTAssertEqual(m.loyaltyPointsRedeemed, 200)
        XCTAssertEqual(m.loyaltyValueRedeemed, Money(francs: 2_000))
        XCTAssertEqual(m.referralCount, 1)
        XCTAssertEqual(m.referralEarnings, Money(francs: 1_500))
        XCTAssertEqual(m.totalDiscountsReceived, Money(francs: 3_500))
        XCTAssertEqual(m.vipDiscountsReceived, Money(francs: 1_000))
        // Two sales on 09-01 are one purchase day: 3 purchase days, recency 09-01..11-20 = 80, age 09-01..11-23 = 83.
        XCTAssertEqual(m.history, PurchaseHistory(frequency: 2, recency: 80, age: 83))
        XCTAssertEqual(m.segments, [.vip, .subscribed])
    }

    func testAverageOrderValueRoundsHalfAwayFromZero() throws {
        let m = try XCTUnwrap(Self.book().analysis().metrics(for: 3))
        XCTAssertEqual(m.totalSpent, Money(hundredths: 2_000_001))
        XCTAssertEqual(m.averageOrderValue, Money(hundredths: 1_000_001))  // 10,000.005 -> 10,000.01
        XCTAssertEqual(m.daysSinceLastOrder, 100)
        XCTAssertTrue(m.churnRisk)
        XCTAssertEqual(m.referralCount, 0)  // completed only after the as-of day
        XCTAssertEqual(m.segments, [.churnRisk, .inactive])
    }

    func testCustomerWithoutASaleCountsDaysSinceJoining() throws {
        let m = try XCTUnwrap(Self.book().analysis().metrics(for: 4))
        XCTAssertEqual(m.totalOrders, 0)
        XCTAssertEqual(m.averageOrderValue, .zero)
        XCTAssertNil(m.firstOrderAt)
        XCTAssertNil(m.lastOrderAt)
        XCTAssertEqual(m.daysSinceLastOrder, 22)
        XCTAssertFalse(m.churnRisk)
        XCTAssertNil(m.rfm)
        XCTAssertEqual(m.rfmGroup, .prospects)
        XCTAssertEqual(m.segments, [])
    }

    func testUnknownJoinDateKeepsTheCustomerAndHisSales() throws {
        var b = CustomerBook(asOf: Self.asOf, calendar: Self.kigali)
        b.add(CustomerProfile(userId: 8, joinedAt: nil))  // date_joined -infinity in the shop
        b.add(CustomerProfile(userId: 9, joinedAt: nil))
        b.add(Self.sale(8, Self.at(2026, 11, 3), subtotal: 250_000))
        b.add(Self.sale(8, Self.at(2026, 11, 20), subtotal: 100_000))
        XCTAssertEqual(b.count, 2)
        XCTAssertEqual(b.salesOfNonCustomers, 0)
        let a = b.analysis()
        let m8 = try XCTUnwrap(a.metrics(for: 8))
        XCTAssertEqual(m8.totalOrders, 2)
        XCTAssertEqual(m8.totalSpent, Money(francs: 3500))
        XCTAssertEqual(m8.daysSinceLastOrder, 3)
        let m9 = try XCTUnwrap(a.metrics(for: 9))
        XCTAssertEqual(m9.totalOrders, 0)
        XCTAssertEqual(m9.daysSinceLastOrder, 0, "no sale and no known join date: 0 days (README)")
    }

    func testOnlySalesBeforeTheEndOfTheAsOfDayCount() throws {
        var b = Self.book()
        b.closeSales()  // sales of users who are not customers are counted when the sales are closed
        XCTAssertEqual(b.salesAfterAsOf, 1)
        XCTAssertEqual(b.salesOfNonCustomers, 1)
        let m5 = try XCTUnwrap(b.analysis().metrics(for: 5))
        XCTAssertEqual(m5.totalOrders, 1)  // cancelled and refunded orders are not sales
        XCTAssertEqual(m5.lastOrderDay, ShopDay(year: 2026, month: 9, day: 20))  // 23:30 Kigali is still 09-20
        XCTAssertEqual(m5.daysSinceLastOrder, 64)
    }

    func testSegments() {
        let a = Self.book().analysis()
        let counts = Dictionary(uniqueKeysWithValues: a.segmentCounts.map { ($0.segment, $0.customers) })
        XCTAssertEqual(counts, [.vip: 1, .subscribed: 1, .highValue: 1, .churnRisk: 2, .inactive: 2, .new: 1])
        XCTAssertEqual(a.metrics(for: 2)?.segments, [.highValue, .new])
        XCTAssertEqual(a.segmentCounts.first { $0.segment == .churnRisk }?.lifetimeValue, Money(hundredths: 2_000_001 + 300_000))
    }

    func testThresholdsAreConfigurable() {
        var rules = CustomerRules()
        rules.churnDays = 100
        rules.highValue = Money(francs: 50_000)
        let a = Self.book().analysis(rules: rules)
        XCTAssertEqual(a.metrics(for: 3)?.churnRisk, true)   // exactly 100 days
        XCTAssertEqual(a.metrics(for: 5)?.churnRisk, false)  // 64 days
        XCTAssertEqual(a.metrics(for: 1)?.segments.contains(.highValue), true)
    }

    func testRFMScoresAndGroups() {
        // Four buyers. R by days since (3, 13, 100, 64), F by sales (4, 1, 2, 1), M by spend (50,000; 600,000;
        // 20,000.01; 3,000). Score = 1 + floor(5 k / 4), k = buyers strictly worse.
        let a = Self.book().analysis()
        XCTAssertEqual(a.metrics(for: 1)?.rfm, RFMScore(r: 4, f: 4, m: 3))
        XCTAssertEqual(a.metrics(for: 2)?.rfm, RFMScore(r: 3, f: 1, m: 4))
        XCTAssertEqual(a.metrics(for: 3)?.rfm, RFMScore(r: 1, f: 3, m: 2))
        XCTAssertEqual(a.metrics(for: 5)?.rfm, RFMScore(r: 2, f: 1, m: 1))
        XCTAssertEqual(a.metrics(for: 1)?.rfmGroup, .champions)        // R 4, FM 4
        XCTAssertEqual(a.metrics(for: 2)?.rfmGroup, .needsAttention)   // R 3, one sale
        XCTAssertEqual(a.metrics(for: 3)?.rfmGroup, .previouslyLoyal)  // R 1, FM 3
        XCTAssertEqual(a.metrics(for: 5)?.rfmGroup, .almostLost)       // R 2, FM 1
        XCTAssertEqual(a.metrics(for: 4)?.rfmGroup, .prospects)
    }

    func testRFMGroupRulesInOrder() {
        XCTAssertEqual(RFMGroup.of(RFMScore(r: 5, f: 5, m: 3), sales: 9), .champions)
        XCTAssertEqual(RFMGroup.of(RFMScore(r: 5, f: 1, m: 5), sales: 1), .new)
        XCTAssertEqual(RFMGroup.of(RFMScore(r: 3, f: 3, m: 3), sales: 2), .loyal)
        XCTAssertEqual(RFMGroup.of(RFMScore(r: 4, f: 2, m: 1), sales: 2), .promising)
        XCTAssertEqual(RFMGroup.of(RFMScore(r: 3, f: 1, m: 2), sales: 2), .needsAttention)
        XCTAssertEqual(RFMGroup.of(RFMScore(r: 2, f: 5, m: 4), sales: 8), .atRisk)
        XCTAssertEqual(RFMGroup.of(RFMScore(r: 1, f: 3, m: 3), sales: 3), .previouslyLoyal)
        XCTAssertEqual(RFMGroup.of(RFMScore(r: 2, f: 1, m: 2), sales: 1), .almostLost)
        XCTAssertEqual(RFMGroup.of(RFMScore(r: 1, f: 2, m: 1), sales: 2), .dormant)
        XCTAssertEqual(RFMGroup.of(nil, sales: 0), .prospects)
    }

    func testQuintilesOfFiveDistinctValuesAreOneToFive() {
        var b = CustomerBook(asOf: Self.asOf, calendar: Self.kigali)
        for u in 1...5 as ClosedRange<Int64> {
            b.add(CustomerProfile(userId: u, joinedAt: Self.at(2026, 1, 1)))
        }
        for u in 1...5 as ClosedRange<Int64> { b.add(Self.sale(u, Self.at(2026, 11, 1), subtotal: u * 100_000)) }
        let a = b.analysis()
        XCTAssertEqual((1...5).map { a.metrics(for: Int64($0))!.rfm!.m }, [1, 2, 3, 4, 5])
        XCTAssertEqual((1...5).map { a.metrics(for: Int64($0))!.rfm!.r }, [1, 1, 1, 1, 1])  // all tied
    }

    func testTopAndAtRiskListsWithActions() {
        let a = Self.book().analysis()
        XCTAssertEqual(a.topByLifetimeValue.map(\.userId), [2, 1, 3, 5])
        XCTAssertEqual(a.topByLifetimeValue.map(\.rank), [1, 2, 3, 4])
        XCTAssertEqual(a.atRisk.map(\.userId), [3, 5])
        XCTAssertEqual(a.atRisk.map(\.action), [.reEngagement, .secondOrderCoupon])
        XCTAssertEqual(AtRiskAction.of(subscribed: true, vip: true, highValue: true, sales: 5), .subscriptionReminder)
        XCTAssertEqual(AtRiskAction.of(subscribed: false, vip: false, highValue: true, sales: 1), .winBackOffer)
    }

    func testCohortTriangleAndRepeatRate() {
        let a = Self.book().analysis()
        XCTAssertEqual(a.cohorts, [
            CohortRow(month: ShopDay(year: 2026, month: 7, day: 1), buyers: [1, 1, 0, 0, 0]),
            CohortRow(month: ShopDay(year: 2026, month: 9, day: 1), buyers: [2, 1, 1]),
            CohortRow(month: ShopDay(year: 2026, month: 11, day: 1), buyers: [1]),
        ])
        XCTAssertEqual(a.cohorts[1].share(1), 0.5)
        let f = Dictionary(uniqueKeysWithValues: a.programFigures.map { ($0.program + "/" + $0.figure, $0) })
        XCTAssertEqual(f["customers/customers"]?.count, 5)
        XCTAssertEqual(f["customers/customers_with_sales"]?.count, 4)
        XCTAssertEqual(f["customers/repeat_customers"]?.count, 2)
        XCTAssertEqual(f["customers/repeat_purchase_rate"]?.share, 0.5)
        XCTAssertEqual(f["customers/sales_counted"]?.count, 8)
    }

    func testLoyaltyAndReferralSummaries() {
        let f = Dictionary(uniqueKeysWithValues: Self.book().analysis().programFigures.map { ($0.program + "/" + $0.figure, $0) })
        XCTAssertEqual(f["loyalty/points_earned"]?.count, 800)
        XCTAssertEqual(f["loyalty/points_redeemed"]?.count, 200)
        XCTAssertEqual(f["loyalty/value_redeemed"]?.amount, Money(francs: 2_000))
        XCTAssertEqual(f["loyalty/sales_using_points"]?.count, 1)
        XCTAssertEqual(f["loyalty/share_of_sales_using_points"]?.share, 0.125)
        XCTAssertEqual(f["referral/referrals_made"]?.count, 3)  // the one created after the as-of day is not counted
        XCTAssertEqual(f["referral/completed"]?.count, 1)
        XCTAssertEqual(f["referral/pending"]?.count, 2)      // one completed only after the as-of day
        XCTAssertEqual(f["referral/conversion"]?.share ?? 0, 1.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(f["referral/bonuses_paid"]?.amount, Money(francs: 1_500))
        XCTAssertEqual(f["referral/bonus_points"]?.count, 150)
        XCTAssertEqual(f["referral/referred_customers"]?.count, 1)
        XCTAssertEqual(f["referral/revenue_from_referred"]?.amount, Money(francs: 600_000))
    }

    /// Room reserved for customers (the job reserves about as many as the last run counted) is only room: the book
    /// holds the customers added, with the same figures, whether it had room for fewer or for many more.
    func testReservedRoomChangesNothing() {
        let plain = Self.book().analysis(minimumCustomersForModel: 3)
        for room in [2, 5_000] {
            let roomy = Self.book(reserving: room).analysis(minimumCustomersForModel: 3)
            XCTAssertEqual(roomy.count, 5)
            XCTAssertEqual((0..<roomy.count).map(roomy.metrics(at:)), (0..<plain.count).map(plain.metrics(at:)))
            XCTAssertEqual(roomy.cohorts, plain.cohorts)
        }
    }

    func testModelIsNotFittedOnTooFewCustomers() throws {
        let a = Self.book().analysis()
        XCTAssertNil(a.model.purchases)
        XCTAssertNotNil(a.model.note)
        XCTAssertNil(try XCTUnwrap(a.metrics(for: 1)).prediction)
    }

    func testModelOutputsWhenFitted() throws {
        let a = Self.book().analysis(minimumCustomersForModel: 3)
        let fit = try XCTUnwrap(a.model.purchases)
        XCTAssertEqual(fit.customers, 4)  // one-time buyers included with frequency 0
        XCTAssertNil(a.model.spend)       // two repeat customers: too few for the spend model
        let p2 = try XCTUnwrap(a.metrics(for: 2)?.prediction)
        XCTAssertEqual(p2.probabilityAlive, 1)  // no repeat purchase: cannot have dropped out in the model
        XCTAssertNil(p2.expectedValue)
        let p1 = try XCTUnwrap(a.metrics(for: 1)?.prediction)
        XCTAssertGreaterThan(p1.expectedSales90, p1.expectedSales30)
        XCTAssertEqual(p1.expectedSales30, BGNBD.expectedPurchases(fit.parameters, next: 30, PurchaseHistory(frequency: 2, recency: 80, age: 83)),
                       accuracy: 1e-12)
        XCTAssertNil(a.metrics(for: 4)?.prediction)
    }

    /// Customers 1-3 share a frequency (2) and an age (83 days) but not a recency: the analysis computes their
    /// expectations' series once for the three, and each must still be exactly what the per-customer formula gives.
    func testPredictionsOfCustomersSharingFrequencyAndAgeAreEachTheirOwn() throws {
        var b = CustomerBook(asOf: Self.asOf, calendar: Self.kigali)
        for u in Int64(1)...6 { b.add(CustomerProfile(userId: u, joinedAt: Self.at(2026, 1, 1))) }
        let orders = [
            Self.sale(5, Self.at(2026, 8, 1), subtotal: 100_000),
            Self.sale(1, Self.at(2026, 9, 1), subtotal: 100_000), Self.sale(2, Self.at(2026, 9, 1), subtotal: 200_000),
            Self.sale(3, Self.at(2026, 9, 1), subtotal: 300_000), Self.sale(4, Self.at(2026, 9, 1), subtotal: 400_000),
            Self.sale(3, Self.at(2026, 9, 15), subtotal: 300_000),
            Self.sale(1, Self.at(2026, 10, 1), subtotal: 100_000), Self.sale(3, Self.at(2026, 10, 1), subtotal: 300_000),
            Self.sale(6, Self.at(2026, 10, 1), subtotal: 600_000), Self.sale(6, Self.at(2026, 10, 5), subtotal: 600_000),
            Self.sale(2, Self.at(2026, 10, 20), subtotal: 200_000), Self.sale(2, Self.at(2026, 11, 1), subtotal: 200_000),
            Self.sale(5, Self.at(2026, 11, 1), subtotal: 100_000), Self.sale(1, Self.at(2026, 11, 20), subtotal: 100_000),
        ]
        for o in orders { b.add(o) }
        let a = b.analysis(minimumCustomersForModel: 3)
        let fit = try XCTUnwrap(a.model.purchases)
        XCTAssertTrue(fit.converged)
        let histories: [Int64: PurchaseHistory] = [
            1: PurchaseHistory(frequency: 2, recency: 80, age: 83), 2: PurchaseHistory(frequency: 2, recency: 61, age: 83),
            3: PurchaseHistory(frequency: 2, recency: 30, age: 83), 4: PurchaseHistory(frequency: 0, recency: 0, age: 83),
            5: PurchaseHistory(frequency: 1, recency: 92, age: 114), 6: PurchaseHistory(frequency: 1, recency: 4, age: 53),
        ]
        for (user, h) in histories {
            let m = try XCTUnwrap(a.metrics(for: user))
            XCTAssertEqual(m.history, h, "user \(user)")
            let p = try XCTUnwrap(m.prediction, "user \(user)")
            // Bit for bit, not to a tolerance.
            XCTAssertEqual(p.expectedSales30.bitPattern, BGNBD.expectedPurchases(fit.parameters, next: 30, h).bitPattern, "user \(user)")
            XCTAssertEqual(p.expectedSales90.bitPattern, BGNBD.expectedPurchases(fit.parameters, next: 90, h).bitPattern, "user \(user)")
            XCTAssertEqual(p.probabilityAlive.bitPattern, BGNBD.probabilityAlive(fit.parameters, h).bitPattern, "user \(user)")
        }
        // Three different recencies, three different expectations.
        let e = try [1, 2, 3].map { try XCTUnwrap(a.metrics(for: $0)?.prediction?.expectedSales30) }
        XCTAssertEqual(Set(e).count, 3)
    }
}
