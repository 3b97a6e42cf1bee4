import Analytics
import Shop
import XCTest

/// A small shop computed by hand. Days are Kigali days; times are given in Kigali wall-clock (UTC+2).
final class DailyLedgerTests: XCTestCase {
    let kigali = ShopCalendar(identifier: "Africa/Kigali")!
    let mon = ShopDay(year: 2026, month: 11, day: 23)

    func kigaliTime(_ day: ShopDay, _ h: Int, _ m: Int) -> Int64 {
        (Int64(day.epochDay) * 86_400 + Int64(h * 3600 + m * 60) - 7200) * 1_000_000
    }

    func order(_ id: Int64, user: Int64, at: Int64, status: OrderStatus = .delivered, pay: PaymentStatus = .completed,
               method: PaymentMethod = .mtnMobileMoney, subtotal: Int64, delivery: Int64 = 0, discounts: Discounts = Discounts(),
               subscription: Bool = false, corporate: Bool = false, deliveredAt: Int64? = nil, items: Int64 = 1) -> Order {
        let total = Money(francs: subtotal) + Money(francs: delivery) - discounts.total
        return Order(id: id, userId: user, status: status, paymentMethod: method, paymentStatus: pay,
                     subtotal: Money(francs: subtotal), deliveryCharge: Money(francs: delivery), discounts: discounts,
                     total: total, createdAt: at, deliveredAt: deliveredAt, isSubscription: subscription,
                     isCorporateEmployee: corporate, itemsSold: items)
    }

    func ledger(_ orders: [Order], days: Int = 3) -> DailyLedger {
        var l = DailyLedger(range: ShopDayRange(mon, mon.advanced(by: days - 1)), calendar: kigali)
        for o in orders { l.add(o) }
        return l
    }

    func testSmallShopDayFigures() {
        let tue = mon.advanced(by: 1)
        let l = ledger([
            // Sale 1: user 1, 5,000 + 500 delivery, VIP discount 500 -> 5,000; MTN.
            order(1, user: 1, at: kigaliTime(mon, 12, 0), subtotal: 5000, delivery: 500, discounts: Discounts(vip: Money(francs: 500))),
            // Sale 2: user 1 again, 3,000 cash, loyalty 300 -> 2,700; delivered after midnight (late).
            order(2, user: 1, at: kigaliTime(mon, 23, 30), method: .cashOnDelivery, subtotal: 3000,
                  discounts: Discounts(loyalty: Money(francs: 300)), deliveredAt: kigaliTime(tue, 0, 20), items: 3),
            // Sale 3: user 2, subscription order, Airtel, 4,000 with referral 400 -> 3,600.
            order(3, user: 2, at: kigaliTime(mon, 8, 0), method: .airtelMoney, subtotal: 4000,
                  discounts: Discounts(referral: Money(francs: 400)), subscription: true),
            // Not sales: cancelled, refunded, still preparing.
            order(4, user: 3, at: kigaliTime(mon, 9, 0), status: .cancelled, pay: .failed, subtotal: 9000),
            order(5, user: 3, at: kigaliTime(mon, 10, 0), pay: .refunded, subtotal: 7000),
            order(6, user: 4, at: kigaliTime(mon, 11, 0), status: .preparing, pay: .pending, subtotal: 1000),
            // 00:10 Kigali on Tuesday is still Monday in UTC: it belongs to Tuesday.
            order(7, user: 5, at: kigaliTime(tue, 0, 10), method: .card, subtotal: 2500),
        ])
        let s = l.snapshots
        XCTAssertEqual(s.count, 3, "every day of the range has a row")
        let m = s[0]
        XCTAssertEqual(m.totalOrders, 3)
        XCTAssertEqual(m.uniqueCustomers, 2)
        XCTAssertEqual(m.totalRevenue, Money(francs: 11_300))
        XCTAssertEqual(m.totalDiscount, Money(francs: 1_200))
        XCTAssertEqual(m.averageOrderValue, Money(hundredths: 376_667), "11,300 / 3 = 3,766.666... -> 3,766.67")
        XCTAssertEqual(m.vipOrders, 1)
        XCTAssertEqual(m.subscriptionOrders, 1)
        XCTAssertEqual(m.referralOrders, 1)
        XCTAssertEqual(m.cashOrders, 1)
        XCTAssertEqual(m.mobileMoneyOrders, 2)
        XCTAssertEqual(m.cardOrders, 0)
        XCTAssertEqual(m.vipDiscountsGiven, Money(francs: 500))
        XCTAssertEqual(m.loyaltyDiscountsGiven, Money(francs: 300))
        XCTAssertEqual(m.referralDiscountsGiven, Money(francs: 400))
        XCTAssertEqual(m.grossSales, Money(francs: 12_000))
        XCTAssertEqual(m.deliveryCharges, Money(francs: 500))
        XCTAssertEqual(m.itemsSold, 5)
        XCTAssertEqual(m.ordersPlaced, 6)
        XCTAssertEqual(m.cancelledOrders, 1)
        XCTAssertEqual(m.lateDeliveries, 1)

        XCTAssertEqual(s[1].totalOrders, 1)
        XCTAssertEqual(s[1].cardOrders, 1)
        XCTAssertEqual(s[1].totalRevenue, Money(francs: 2500))

        // An empty day is a zero row, not a missing one.
        XCTAssertEqual(s[2], DailySnapshot(day: mon.advanced(by: 2)))
    }

    func testChannelsReconcileWithRevenue() {
        let l = ledger([
            order(1, user: 1, at: kigaliTime(mon, 12, 0), subtotal: 5000, discounts: Discounts(referral: Money(francs: 100))),
            order(2, user: 2, at: kigaliTime(mon, 12, 0), subtotal: 3000, subscription: true),
            order(3, user: 3, at: kigaliTime(mon, 12, 0), subtotal: 2000, corporate: true),
            order(4, user: 4, at: kigaliTime(mon, 12, 0), subtotal: 1000, discounts: Discounts(loyalty: Money(francs: 50))),
            order(5, user: 5, at: kigaliTime(mon, 12, 0), subtotal: 1500),
            order(6, user: 6, at: kigaliTime(mon, 12, 0), subtotal: 1200, discounts: Discounts(corporate: Money(francs: 120))),
        ], days: 1)
        var byChannel: [RevenueChannel: ChannelRevenue] = [:]
        for c in l.channels { byChannel[c.channel] = c }
        XCTAssertEqual(byChannel[.referral]?.amount, Money(francs: 4900))
        XCTAssertEqual(byChannel[.subscription]?.amount, Money(francs: 3000))
        XCTAssertEqual(byChannel[.corporate]?.amount, Money(francs: 3080))
        XCTAssertEqual(byChannel[.corporate]?.transactions, 2)
        XCTAssertEqual(byChannel[.loyalty]?.amount, Money(francs: 950))
        XCTAssertEqual(byChannel[.directOrder]?.amount, Money(francs: 1500))
        XCTAssertEqual(byChannel[.vipUpgrade]?.amount, .zero)
        XCTAssertEqual(byChannel[.catering]?.amount, .zero)
        let orderChannels = l.channels.filter { $0.channel.isOrderChannel }.reduce(Money.zero) { $0 + $1.amount }
        XCTAssertEqual(orderChannels, l.snapshots[0].totalRevenue)
        XCTAssertEqual(orderChannels, Money(francs: 13_430))
    }

    func testSubscriptionWinsOverOtherChannels() {
        let o = order(1, user: 1, at: 0, subtotal: 1000, discounts: Discounts(loyalty: Money(francs: 10), referral: Money(francs: 10)),
                      subscription: true, corporate: true)
        XCTAssertEqual(RevenueChannel.of(o), .subscription)
    }

    func testRefundsCountOnTheDayTheyHappen() {
        var l = ledger([], days: 2)
        l.add(Refund(kind: .completedRequest, sourceId: 9, orderId: 5, amount: Money(francs: 7000), at: kigaliTime(mon.advanced(by: 1), 9, 0)))
        l.add(Refund(kind: .refundedOrder, sourceId: 5, orderId: 5, amount: Money(francs: 7000), at: kigaliTime(mon, 23, 59)))
        l.add(Refund(kind: .refundedOrder, sourceId: 6, orderId: 6, amount: Money(francs: 1), at: kigaliTime(mon.advanced(by: 5), 9, 0)))
        XCTAssertEqual(l.snapshots[0].refundedOrders, 1)
        XCTAssertEqual(l.snapshots[0].refundedOrderValue, Money(francs: 7000))
        XCTAssertEqual(l.snapshots[0].refundsCompleted, 0)
        XCTAssertEqual(l.snapshots[1].refundsCompleted, 1)
        XCTAssertEqual(l.snapshots[1].refundAmount, Money(francs: 7000))
        XCTAssertEqual(l.snapshots[0].totalRevenue, .zero, "refunds are their own figures, not negative revenue")
    }

    func testCateringIsItsOwnChannelOutsideOrderRevenue() {
        var l = ledger([order(1, user: 1, at: kigaliTime(mon, 12, 0), subtotal: 1000)], days: 1)
        l.add(CateringSale(id: 1, eventDay: mon, amount: Money(francs: 450_000)))
        let catering = l.channels.first { $0.channel == .catering }!
        XCTAssertEqual(catering.amount, Money(francs: 450_000))
        XCTAssertEqual(catering.transactions, 1)
        XCTAssertEqual(l.snapshots[0].totalRevenue, Money(francs: 1000))
    }

    func testPaymentAndDiscountBreakdowns() {
        let l = ledger([
            order(1, user: 1, at: kigaliTime(mon, 12, 0), subtotal: 5000, discounts: Discounts(coupon: Money(francs: 500), vip: Money(francs: 250))),
            order(2, user: 2, at: kigaliTime(mon, 13, 0), method: .bankTransfer, subtotal: 8000),
        ], days: 1)
        let mtn = l.payments.first { $0.method == .mtnMobileMoney }!
        XCTAssertEqual(mtn.orders, 1)
        XCTAssertEqual(mtn.amount, Money(francs: 4250))
        XCTAssertEqual(l.payments.first { $0.method == .bankTransfer }!.amount, Money(francs: 8000))
        XCTAssertEqual(l.discounts.first { $0.kind == .coupon }!.amount, Money(francs: 500))
        XCTAssertEqual(l.discounts.first { $0.kind == .vip }!.orders, 1)
        XCTAssertEqual(l.discounts.first { $0.kind == .referral }!.orders, 0)
    }
}

final class OrderValidationTests: XCTestCase {
    /// 2026-11-23 21:30:00 UTC, and the extract's clock 2 ms later.
    static let created: Int64 = 1_795_469_400_000_000
    static let now = created + 2_000

    func candidate() -> OrderCandidate {
        OrderCandidate(id: 1, userId: 7, userExists: true, status: "delivered", paymentMethod: "airtel_money",
                       paymentStatus: "completed", subtotal: 500_000, deliveryCharge: 50_000, coupon: 10_000, loyalty: 0,
                       vip: 0, corporate: 0, referral: 0, total: 540_000, createdAt: Self.created, updatedAt: Self.created,
                       deliveredAt: nil, isSubscription: false, isCorporateEmployee: false, itemsSold: 2)
    }

    func reason(_ change: (inout OrderCandidate) -> Void) -> Rejection.Reason? {
        var c = candidate()
        change(&c)
        if case .failure(let r) = c.validated(notAfter: Self.now, notBefore: ShopDay.utcStartMicros) { return r.reason }
        return nil
    }

    func testAGoodRowPasses() {
        guard case .success(let o) = candidate().validated(notAfter: Self.now, notBefore: ShopDay.utcStartMicros) else { return XCTFail("rejected") }
        XCTAssertEqual(o.total, Money(francs: 5400))
        XCTAssertEqual(o.paymentMethod, .airtelMoney)
    }

    func testBadRowsAreRejectedWithTheirReason() {
        XCTAssertEqual(reason { $0.userExists = false }, .missingUser)
        XCTAssertEqual(reason { $0.status = "completed" }, .unknownStatus, "orders have no 'completed' status")
        XCTAssertEqual(reason { $0.paymentMethod = "mobile_money" }, .unknownPaymentMethod)
        XCTAssertEqual(reason { $0.paymentStatus = "paid" }, .unknownPaymentStatus)
        XCTAssertEqual(reason { $0.coupon = -1; $0.total = 540_001 }, .negativeAmount)
        XCTAssertEqual(reason { $0.total = 540_100 }, .totalMismatch)
        XCTAssertEqual(reason { $0.createdAt = Self.now + 1 }, .futureCreatedAt)
        // Before 2000-01-01 00:00 UTC (946684800 s): out of the shop's dates, 1850-05-01 10:00 UTC and 44 BC.
        XCTAssertEqual(reason { $0.createdAt = 946_684_799_999_999 }, .outOfRange)
        XCTAssertEqual(reason { $0.createdAt = -3_776_421_600_000_000 }, .outOfRange)
        XCTAssertEqual(reason { $0.createdAt = -63_517_780_800_000_000 }, .outOfRange)
        XCTAssertNil(reason { $0.createdAt = 946_684_800_000_000 }, "2000-01-01 00:00 UTC is the first instant allowed")
        XCTAssertEqual(reason { $0.subtotal = nil }, .unreadableValue)
        XCTAssertNil(reason { _ in })
    }
}

final class DailyLedgerCloseTests: XCTestCase {
    func testClosingGivesTheSameResults() {
        let kigali = ShopCalendar(identifier: "Africa/Kigali")!
        let day = ShopDay(iso: "2026-11-23")!
        var l = DailyLedger(range: ShopDayRange(day, day), calendar: kigali)
        let noon = kigali.startMicros(of: day) + 12 * 3_600_000_000
        for (i, (user, francs)) in [(7, 100), (3, 500), (7, 450), (9, 550), (3, 50)].enumerated() {
            l.add(Order(id: Int64(i), userId: Int64(user), status: .delivered, paymentMethod: .card, paymentStatus: .completed,
                        subtotal: Money(francs: Int64(francs)), total: Money(francs: Int64(francs)), createdAt: noon))
        }
        let before = (l.snapshots, l.topCustomers(limit: 5), l.dailyCustomers.map(\.customers))
        l.close()
        XCTAssertEqual(l.snapshots, before.0)
        XCTAssertEqual(l.topCustomers(limit: 5), before.1)
        XCTAssertEqual(l.dailyCustomers.map(\.customers), before.2)
        XCTAssertEqual(before.1.map(\.userId), [3, 7, 9], "550 (two sales) before 550 (one sale)")
        XCTAssertEqual(before.0[0].uniqueCustomers, 3)
        XCTAssertEqual(before.2, [[3, 7, 9]])
    }
    /// Forty days of sales with many ties (closed on two cores when the machine has them): each day's best customers are
    /// the first of all its customers sorted by revenue, then sales, then user id, before and after closing, and its
    /// customers are its distinct buyers in order.
    func testTheBestCustomersAreTheFirstOfAFullSortOnEveryDay() {
        let kigali = ShopCalendar(identifier: "Africa/Kigali")!
        let first = ShopDay(iso: "2026-10-01")!
        let range = ShopDayRange(first, first.advanced(by: 39))
        var l = DailyLedger(range: range, calendar: kigali)
        var state: UInt64 = 42
        func next() -> UInt64 { state &+= 1; return splitMix64(state) }
        var expected: [ShopDay: [Int64: (sales: Int, revenue: Int64)]] = [:]
        for i in 0..<6_000 {
            let day = first.advanced(by: Int(next() % 40))
            let user = Int64(next() % 60), francs = Int64(next() % 4 + 1) * 100  // few amounts: many ties
            l.add(Order(id: Int64(i), userId: user, status: .delivered, paymentMethod: .card, paymentStatus: .completed,
                        subtotal: Money(francs: francs), total: Money(francs: francs),
                        createdAt: kigali.startMicros(of: day) + 12 * 3_600_000_000))
            expected[day, default: [:]][user, default: (0, 0)].sales += 1
            expected[day, default: [:]][user, default: (0, 0)].revenue += francs * 100
        }
        func best(_ day: ShopDay, _ limit: Int) -> [Int64] {
            (expected[day] ?? [:]).sorted { a, b in
                a.value.revenue != b.value.revenue ? a.value.revenue > b.value.revenue
                    : a.value.sales != b.value.sales ? a.value.sales > b.value.sales : a.key < b.key
            }.prefix(limit).map(\.key)
        }
        for limit in [1, 5, 10] {
            let top = l.topCustomers(limit: limit)
            for day in range {
                XCTAssertEqual(top.filter { $0.day == day }.map(\.userId), best(day, limit), "\(day), best \(limit)")
            }
        }
        XCTAssertEqual(l.topCustomers(limit: 0), [])
        let before = (l.topCustomers(limit: 5), l.dailyCustomers.map(\.customers))
        l.close()
        XCTAssertEqual(l.topCustomers(limit: 5), before.0)
        XCTAssertEqual(l.dailyCustomers.map(\.customers), before.1)
        XCTAssertEqual(before.1, range.map { (expected[$0] ?? [:]).keys.sorted() })
    }
}
