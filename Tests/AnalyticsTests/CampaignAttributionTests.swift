import Analytics
import Shop
import XCTest

/// A small hand-made shop in November 2026 (Kigali days; times are Kigali wall-clock, UTC+2) with five campaigns:
///
/// | id | name                 | status    | audience      | window (Kigali)               | budget | code            |
/// |----|----------------------|-----------|---------------|-------------------------------|--------|-----------------|
/// | 1  | Karibu new customers | completed | new_customers | 11-02 00:00 .. 11-08 23:59:59 |  8,000 | KARIBU15 (desc.)|
/// | 2  | VIP week             | completed | vip           | 11-05 00:00 .. 11-11 23:59:59 |  2,000 | VIPWEEK (name)  |
/// | 3  | Weekend feast        | completed | all           | 11-07 00:00 .. 11-08 23:59:59 |   none | WEEKENDFEAST    |
/// | 4  | Draft promo          | draft     | all           | 11-01 00:00 .. 11-30 23:59:59 |  1,000 | DRAFTPROMO      |
/// | 5  | Refer a friend       | active    | referrals     | 11-01 00:00 .. 11-10 23:59:59 |  2,000 | REFERAFRIEND    |
///
/// Customers: 1 first sale 11-03 10:00; 2 VIP since 10-01, first sale 10-20; 3 first sale 10-25; 4 referred 10-30,
/// first sale 11-04 11:00; 5 VIP since 11-06, first sale 10-01; 6 nothing (only a conversion event).
final class CampaignAttributionTests: XCTestCase {
    let kigali = ShopCalendar(identifier: "Africa/Kigali")!
    let asOf = ShopDay(year: 2026, month: 11, day: 11)

    func nov(_ day: Int, _ h: Int, _ m: Int, _ s: Int = 0, month: Int = 11) -> Int64 {
        kigali.startMicros(of: ShopDay(year: 2026, month: month, day: day)) + Int64(h * 3600 + m * 60 + s) * 1_000_000
    }

    var campaigns: [Campaign] {
        [
            Campaign(id: 1, name: "Karibu new customers", description: "15% off with coupon code KARIBU15 for a first order.",
                     status: .completed, audience: .newCustomers, start: nov(2, 0, 0), end: nov(8, 23, 59, 59), budget: Money(francs: 8_000)),
            Campaign(id: 2, name: "VIP week", description: "20% off for our VIP customers.", status: .completed, audience: .vip,
                     start: nov(5, 0, 0), end: nov(11, 23, 59, 59), budget: Money(francs: 2_000)),
            Campaign(id: 3, name: "Weekend feast", status: .completed, audience: .all, start: nov(7, 0, 0), end: nov(8, 23, 59, 59), budget: nil),
            Campaign(id: 4, name: "Draft promo", status: .draft, audience: .all, start: nov(1, 0, 0), end: nov(30, 23, 59, 59), budget: Money(francs: 1_000)),
            Campaign(id: 5, name: "Refer a friend", status: .active, audience: .referrals, start: nov(1, 0, 0), end: nov(10, 23, 59, 59),
                     budget: Money(francs: 2_000)),
        ]
    }

    var facts: [Int64: CustomerFacts] {
        [1: CustomerFacts(firstSaleAt: nov(3, 10, 0)),
         2: CustomerFacts(firstSaleAt: nov(20, 12, 0, month: 10), vipSince: ShopDay(year: 2026, month: 10, day: 1)),
         3: CustomerFacts(firstSaleAt: nov(25, 12, 0, month: 10)),
         4: CustomerFacts(firstSaleAt: nov(4, 11, 0), referredAt: nov(30, 9, 0, month: 10)),
         5: CustomerFacts(firstSaleAt: nov(1, 9, 0, month: 10), vipSince: ShopDay(year: 2026, month: 11, day: 6))]
    }

    func sale(_ id: Int64, user: Int64, at: Int64, total: Int64, coupon: Int64 = 0, referral: Int64 = 0,
              status: OrderStatus = .delivered, pay: PaymentStatus = .completed) -> Order {
        let d = Discounts(coupon: Money(francs: coupon), referral: Money(francs: referral))
        return Order(id: id, userId: user, status: status, paymentMethod: .mtnMobileMoney, paymentStatus: pay,
                     subtotal: Money(francs: total) + d.total, discounts: d, total: Money(francs: total), createdAt: at)
    }

    /// (order, coupon code) in the shop, the order carrying its code too; the comment says where each sale goes and why.
    var orders: [(Order, String)] {
        let orders: [(Order, String)] = [
            (sale(1, user: 1, at: nov(3, 10, 0), total: 10_000, coupon: 1_500), "KARIBU15"),      // C1 by coupon
            (sale(2, user: 2, at: nov(5, 0, 0), total: 20_000), ""),                              // none: no code (VIP audience: lift only)
            (sale(3, user: 2, at: nov(4, 23, 59, 59), total: 10_000), ""),                        // none: one second before C2 opens
            (sale(4, user: 3, at: nov(7, 12, 0), total: 8_000), ""),                              // none: no code
            (sale(5, user: 2, at: nov(7, 13, 0), total: 6_000), ""),                              // none: no code
            (sale(6, user: 3, at: nov(8, 9, 0), total: 5_000, coupon: 500), " vipweek "),         // C2 by coupon, though not VIP
            (sale(7, user: 4, at: nov(4, 11, 0), total: 12_000), ""),                             // none: a first sale, but no code
            (sale(8, user: 4, at: nov(6, 11, 0), total: 3_000, referral: 300), ""),               // none: a referral discount is no code
            (sale(9, user: 5, at: nov(6, 8, 0), total: 4_000), ""),                               // none: no code
            (sale(10, user: 1, at: nov(9, 0, 0), total: 7_000, coupon: 700), "KARIBU15"),         // none: C1's coupon after C1 ended
            (sale(11, user: 3, at: nov(7, 14, 0), total: 1_000, status: .cancelled, pay: .failed), "WEEKENDFEAST"),   // not a sale (activity)
            (sale(12, user: 2, at: nov(8, 10, 0), total: 2_500, pay: .refunded), "VIPWEEK"),      // not a sale (activity)
            (sale(13, user: 3, at: nov(8, 23, 30), total: 9_000, coupon: 900), "DUSANGIRE500"),   // none: a shop coupon, not a campaign's
            (sale(14, user: 3, at: nov(9, 0, 30), total: 2_000), ""),                             // none
        ]
        return orders.map { order, code in
            var withCode = order
            withCode.couponCode = code
            return (withCode, code)
        }
    }

    func ledger(earliestSaleDay: ShopDay? = ShopDay(year: 2026, month: 10, day: 1)) -> CampaignLedger {
        var l = CampaignLedger(campaigns: campaigns, computing: [1, 2, 3, 4, 5], asOf: asOf, calendar: kigali, facts: facts,
                               earliestSaleDay: earliestSaleDay)
        for (o, _) in orders { l.add(o) }
        l.addActivity(userId: 6, at: nov(7, 10, 0))
        return l
    }

    func testCouponCodeFromDescriptionElseFromName() {
        XCTAssertEqual(campaigns[0].couponCode, "KARIBU15")
        XCTAssertTrue(campaigns[0].namesCode)
        XCTAssertEqual(campaigns[1].couponCode, "VIPWEEK")
        XCTAssertFalse(campaigns[1].namesCode, "the code is the name in capitals by convention; the description names none")
        XCTAssertEqual(Campaign.couponCode(name: "Ramadan evenings", description: "Use coupon code: ramadan-24."), "RAMADAN-24")
        XCTAssertEqual(Campaign.couponCode(name: "Umuganda brunch", description: "500 RWF off with coupon code UMUGANDABRUNCH (codes are the campaign name in capitals, without spaces)."), "UMUGANDABRUNCH")
        XCTAssertEqual(Campaign.normalizedCode(" vipweek "), "VIPWEEK")
        // README "Coupon code": only ASCII letters and digits stay of a name; an accented letter goes too.
        XCTAssertEqual(Campaign.couponCode(name: "Fête des mères", description: ""), "FTEDESMRES")
        XCTAssertEqual(Campaign.couponCode(name: "Fête", description: "coupon code karibu15"), "KARIBU15")
        XCTAssertEqual(Campaign.normalizedCode("\tcheap "), "CHEAP", "spaces and tabs at either end")
    }

    func testASaleIsCreditedOnlyByItsCouponCodeInsideTheWindow() {
        let a = CampaignAttribution(campaigns: campaigns, calendar: kigali)
        let expected: [Int64: Int64] = [1: 1, 6: 2]
        for (o, code) in orders {
            XCTAssertEqual(a.campaign(for: o, couponCode: code)?.id, expected[o.id], "order \(o.id)")
        }
    }

    func testDraftCampaignsAreNotAttributed() {
        let a = CampaignAttribution(campaigns: campaigns, calendar: kigali)
        XCTAssertEqual(a.campaigns.map(\.id), [1, 2, 3, 5])
        XCTAssertNil(ledger().totals.first { $0.campaign.id == 4 })
    }

    func testTotalsPerCampaign() throws {
        let totals = Dictionary(uniqueKeysWithValues: ledger().totals.map { ($0.campaign.id, $0) })
        let c1 = try XCTUnwrap(totals[1]), c2 = try XCTUnwrap(totals[2]), c3 = try XCTUnwrap(totals[3]), c5 = try XCTUnwrap(totals[5])

        // C1: only sale 1 carried KARIBU15 in the window. Reached: 1 and 4 (first sales), 6 (an event, no sale yet).
        XCTAssertEqual([c1.couponOrders, c1.customersReached, c1.customersConverted], [1, 3, 1])
        XCTAssertEqual(c1.couponRevenue, Money(francs: 10_000))
        XCTAssertEqual(c1.discountGiven, Money(francs: 1_500))
        XCTAssertEqual(c1.conversionRate.decimalString, "33.33")
        XCTAssertEqual(c1.budgetUsed?.decimalString, "18.75")      // 1,500 / 8,000
        XCTAssertEqual(c1.returnBasis, .coupon)
        XCTAssertEqual(c1.cost, Money(francs: 8_000))
        XCTAssertEqual(c1.costBasis, .budget)
        XCTAssertEqual(c1.roi?.decimalString, "25.00")             // (10,000 - 8,000) / 8,000

        // C2: sale 6 by coupon (its customer is not VIP). Reached: VIP customers 2 and 5, and 3 converted.
        XCTAssertEqual([c2.couponOrders, c2.customersReached, c2.customersConverted], [1, 3, 1])
        XCTAssertEqual(c2.couponRevenue, Money(francs: 5_000))
        XCTAssertEqual(c2.discountGiven, Money(francs: 500))
        XCTAssertEqual(c2.budgetUsed?.decimalString, "25.00")
        XCTAssertEqual(c2.returnBasis, .coupon, "its code was used, so it is judged on its coupon")
        XCTAssertEqual(c2.roi?.decimalString, "150.00")            // (5,000 - 2,000) / 2,000

        // C3: nobody used WEEKENDFEAST (order 11 was cancelled): judged on lift; no budget and no discount: no cost.
        XCTAssertEqual([c3.couponOrders, c3.customersReached, c3.customersConverted], [0, 3, 0])
        XCTAssertEqual(c3.returnBasis, .lift)
        XCTAssertNil(c3.cost)
        XCTAssertNil(c3.roi, "no cost, no ROI")
        XCTAssertEqual(c3.roiUnmeasurable, .noCost)
        XCTAssertNil(c3.budgetUsed)

        // C5: no coupon use, a budget: ROI on the referred audience's lift. Referred sales 11-01..11-10: 7 and 8 (15,000);
        // none on the same weekdays of 10-04..10-31.
        XCTAssertEqual([c5.couponOrders, c5.customersReached, c5.customersConverted], [0, 1, 0])
        XCTAssertEqual(c5.returnBasis, .lift)
        XCTAssertEqual(c5.audienceRevenue, Money(francs: 15_000))
        XCTAssertEqual(c5.baselineRevenue, Money(francs: 0))
        XCTAssertEqual(c5.lift, Money(francs: 15_000))
        XCTAssertEqual(c5.roi?.decimalString, "650.00")            // (15,000 - 2,000) / 2,000
        XCTAssertEqual(c5.budgetUsed?.decimalString, "0.00")
    }

    func testAllCampaignsTogetherCountEachSaleOnce() {
        let totals = ledger().totals
        XCTAssertEqual(totals.reduce(0) { $0 + $1.couponOrders }, 2)
        XCTAssertEqual(totals.reduce(Money.zero) { $0 + $1.couponRevenue }, Money(francs: 15_000))
    }

    func testDailyHistory() throws {
        let h = ledger().history.filter { $0.campaignId == 2 }
        XCTAssertEqual(h.map(\.day.iso).first, "2026-11-05")
        XCTAssertEqual(h.count, 7)
        let sun = try XCTUnwrap(h.first { $0.day.iso == "2026-11-08" })
        // Sale 6 by coupon (user 3); user 2's refunded order is activity: reached 2, converted 1.
        XCTAssertEqual([sun.couponOrders, sun.customersReached, sun.customersConverted], [1, 2, 1])
        XCTAssertEqual(sun.couponRevenue, Money(francs: 5_000))
        XCTAssertEqual(sun.discountGiven, Money(francs: 500))
        XCTAssertEqual(sun.conversionRate.decimalString, "50.00")
        let quiet = try XCTUnwrap(h.first { $0.day.iso == "2026-11-10" })
        XCTAssertEqual([quiet.couponOrders, quiet.customersReached], [0, 0], "a day without activity is a zero row")
    }

    func testLiftAgainstTheSameWeekdaysOfTheFourWeeksBefore() throws {
        let c2 = try XCTUnwrap(ledger().totals.first { $0.campaign.id == 2 })
        // VIP sales 11-05..11-11 (Thu..Wed): 20,000 + 4,000 + 6,000. Baseline 10-08..11-04: sale 3 (10,000) on
        // Wednesday 11-04; the window has one Wednesday, so 10,000 / 4 = 2,500 expected.
        XCTAssertEqual(c2.audienceRevenue, Money(francs: 30_000))
        XCTAssertEqual(c2.baselineFirstDay.iso, "2026-10-08")
        XCTAssertEqual(c2.baselineRevenue, Money(francs: 2_500))
        XCTAssertEqual(c2.lift, Money(francs: 27_500))
        XCTAssertEqual(c2.uplift?.decimalString, "1100.00")
        let c3 = try XCTUnwrap(ledger().totals.first { $0.campaign.id == 3 })
        XCTAssertEqual(c3.audienceRevenue, Money(francs: 28_000))   // sales 4, 5, 6, 13 (order 11 was cancelled)
        XCTAssertEqual(c3.baselineRevenue, Money(francs: 0))
        XCTAssertNil(c3.uplift, "no baseline revenue, no percentage")
    }

    func testShortHistoryMakesTheLiftNotMeasurable() throws {
        let totals = Dictionary(uniqueKeysWithValues: ledger(earliestSaleDay: ShopDay(year: 2026, month: 10, day: 9)).totals.map { ($0.campaign.id, $0) })
        let c2 = try XCTUnwrap(totals[2]), c5 = try XCTUnwrap(totals[5])
        XCTAssertNil(c2.baselineRevenue)
        XCTAssertNil(c2.lift)
        XCTAssertEqual(c2.liftUnmeasurable, .shortHistory, "C2's baseline starts 10-08, the day before the shop's first sale")
        XCTAssertEqual(c2.roi?.decimalString, "150.00", "a coupon campaign's ROI does not need the baseline")
        XCTAssertNil(c5.roi)
        XCTAssertEqual(c5.roiUnmeasurable, .shortHistory)
    }

    func testWindowIsCutAtTheJobsLastDay() throws {
        var l = CampaignLedger(campaigns: campaigns, computing: [2], asOf: ShopDay(year: 2026, month: 11, day: 7), calendar: kigali,
                               facts: facts, earliestSaleDay: nil)
        for (o, _) in orders { l.add(o) }
        let c2 = try XCTUnwrap(l.totals.first)
        XCTAssertEqual(c2.lastDay.iso, "2026-11-07")
        XCTAssertEqual(c2.couponOrders, 0)   // sale 6 is on the 8th
        XCTAssertEqual(c2.audienceRevenue, Money(francs: 30_000))   // sales 2, 9, 5
        XCTAssertEqual(l.history.count, 3)
    }
}

/// Lift and ROI on a second hand-made shop: four campaigns over Monday 16 to Wednesday 18 November 2026, as of
/// Friday 20. The baseline is 19 October to 15 November: Mondays 10-19, 10-26, 11-02, 11-09 sold 4,000 each;
/// Tuesday 10-20 sold 6,000 (the other Tuesdays nothing); Wednesdays 10-21, 10-28, 11-04 sold 1,000 and 11-11 1,001;
/// a Thursday sold 50,000 (no window day is a Thursday). In the window: Monday 5,000, Tuesday 3,000 (coupon COFFEE,
/// discount 500), Wednesday 2,000; Thursday 19 (after the window) 7,000.
///
/// Expected without a campaign: 16,000 / 4 + 6,000 / 4 + 4,001 / 4 = 4,000 + 1,500 + 1,000.25 = 6,500.25.
final class CampaignLiftTests: XCTestCase {
    let kigali = ShopCalendar(identifier: "Africa/Kigali")!

    func at(_ month: Int, _ day: Int, _ hour: Int = 12) -> Int64 {
        kigali.startMicros(of: ShopDay(year: 2026, month: month, day: day)) + Int64(hour) * 3_600_000_000
    }

    func campaign(_ id: Int64, _ name: String, description: String = "", audience: CampaignAudience, budget: Int64?) -> Campaign {
        Campaign(id: id, name: name, description: description, status: .completed, audience: audience,
                 start: at(11, 16, 0), end: at(11, 19, 0) - 1_000_000, budget: budget.map { Money(francs: $0) })
    }

    var campaigns: [Campaign] {
        [campaign(1, "Lunch for all", description: "A poster in the lobby.", audience: .all, budget: 10_000),
         campaign(2, "Coffee coupon", description: "Coffee with coupon code COFFEE.", audience: .all, budget: nil),
         campaign(3, "Free advice", audience: .vip, budget: nil),
         campaign(4, "Students", audience: .other("students"), budget: 5_000)]
    }

    func ledger(earliestSaleDay: ShopDay) -> [Int64: CampaignTotals] {
        var l = CampaignLedger(campaigns: campaigns, computing: [1, 2, 3, 4], asOf: ShopDay(year: 2026, month: 11, day: 20),
                               calendar: kigali, facts: [:], earliestSaleDay: earliestSaleDay)
        var id: Int64 = 0
        func sale(_ when: Int64, _ francs: Int64, coupon: Int64 = 0, code: String = "") {
            id += 1
            let d = Discounts(coupon: Money(francs: coupon))
            var order = Order(id: id, userId: id, status: .delivered, paymentMethod: .card, paymentStatus: .completed,
                              subtotal: Money(francs: francs + coupon), discounts: d, total: Money(francs: francs), createdAt: when)
            order.couponCode = code
            l.add(order)
        }
        for d in [19, 26] { sale(at(10, d), 4_000) }
        for d in [2, 9] { sale(at(11, d), 4_000) }
        sale(at(10, 20), 6_000)
        for d in [21, 28] { sale(at(10, d), 1_000) }
        sale(at(11, 4), 1_000); sale(at(11, 11), 1_001)
        sale(at(11, 12), 50_000)
        sale(at(11, 16), 5_000); sale(at(11, 17), 3_000, coupon: 500, code: "COFFEE"); sale(at(11, 18), 2_000)
        sale(at(11, 19), 7_000)
        return Dictionary(uniqueKeysWithValues: l.totals.map { ($0.campaign.id, $0) })
    }

    func testLiftOfACampaignWithoutCodeIsItsROIBasis() throws {
        let lunch = try XCTUnwrap(ledger(earliestSaleDay: ShopDay(year: 2026, month: 10, day: 19))[1])
        XCTAssertEqual(lunch.baselineFirstDay.iso, "2026-10-19")
        XCTAssertEqual(lunch.audienceRevenue, Money(francs: 10_000))
        XCTAssertEqual(lunch.baselineRevenue, Money(hundredths: 650_025))
        XCTAssertEqual(lunch.lift, Money(hundredths: 349_975))
        XCTAssertEqual(lunch.uplift?.decimalString, "53.84")          // 3,499.75 / 6,500.25
        XCTAssertEqual(lunch.returnBasis, .lift)
        XCTAssertEqual(lunch.costBasis, .budget)
        XCTAssertEqual(lunch.roi?.decimalString, "-65.00")            // (3,499.75 - 10,000) / 10,000
        XCTAssertEqual(lunch.couponOrders, 0)
    }

    func testCouponCampaignWithoutBudgetIsCostedAtItsDiscount() throws {
        let coffee = try XCTUnwrap(ledger(earliestSaleDay: ShopDay(year: 2026, month: 10, day: 19))[2])
        XCTAssertEqual(coffee.couponOrders, 1)
        XCTAssertEqual(coffee.couponRevenue, Money(francs: 3_000))
        XCTAssertEqual(coffee.cost, Money(francs: 500))
        XCTAssertEqual(coffee.costBasis, .discount)
        XCTAssertEqual(coffee.roi?.decimalString, "500.00")           // (3,000 - 500) / 500
        XCTAssertEqual(coffee.lift, Money(hundredths: 349_975), "the same audience and days as the lunch campaign")
        XCTAssertNil(coffee.budgetUsed)
    }

    func testNoBudgetAndNoDiscountIsNotMeasurable() throws {
        let advice = try XCTUnwrap(ledger(earliestSaleDay: ShopDay(year: 2026, month: 10, day: 19))[3])
        XCTAssertNil(advice.roi)
        XCTAssertEqual(advice.roiUnmeasurable, .noCost)
        XCTAssertEqual(CampaignFigures(advice).roiText, "not measurable: no budget and no discount given")
        XCTAssertEqual(advice.lift, Money(francs: 0), "no VIP customer bought: nothing before, nothing during")
    }

    func testUnknownAudienceSaysSoInsteadOfMinus100Percent() throws {
        let students = try XCTUnwrap(ledger(earliestSaleDay: ShopDay(year: 2026, month: 10, day: 19))[4])
        XCTAssertNil(students.roi)
        XCTAssertEqual(students.roiUnmeasurable, .unknownAudience)
        XCTAssertEqual(students.liftUnmeasurable, .unknownAudience)
        XCTAssertNil(students.lift)
        XCTAssertEqual(CampaignFigures(students).roiText, "not measurable: the audience is unknown")
        XCTAssertEqual(CampaignAudience.other("students").plainName, "unknown audience (“students”)")
    }

    func testHistoryShorterThanFourWeeksMakesLiftNotMeasurable() throws {
        let t = ledger(earliestSaleDay: ShopDay(year: 2026, month: 10, day: 20))
        let lunch = try XCTUnwrap(t[1]), coffee = try XCTUnwrap(t[2])
        XCTAssertNil(lunch.lift)
        XCTAssertNil(lunch.baselineRevenue)
        XCTAssertEqual(lunch.liftUnmeasurable, .shortHistory)
        XCTAssertNil(lunch.roi)
        XCTAssertEqual(lunch.roiUnmeasurable, .shortHistory)
        XCTAssertEqual(CampaignFigures(lunch).liftText, "not measurable: less than four weeks of sales before the campaign")
        XCTAssertEqual(coffee.roi?.decimalString, "500.00", "a coupon campaign's ROI does not need the baseline")
    }

    func testPlainWordsForTheReport() throws {
        let t = ledger(earliestSaleDay: ShopDay(year: 2026, month: 10, day: 19))
        let lunch = CampaignFigures(try XCTUnwrap(t[1]))
        XCTAssertEqual(lunch.roiText, "−65.0%")
        XCTAssertEqual(lunch.roiBasisText, "audience lift against the budget")
        XCTAssertEqual(lunch.liftText, "+RWF 3,500 (+53.8%)")
        XCTAssertEqual(CampaignFigures(try XCTUnwrap(t[2])).roiBasisText, "coupon sales against the discount given")
    }
}
