import Analytics
import Shop
import XCTest

/// A campaign ledger built on what an earlier run kept (`CampaignLedger.states`) and fed only the recomputed days gives
/// the figures a ledger fed every day gives. The shop is `CampaignAttributionTests`' (as of Wednesday 11 November 2026).
final class CampaignStateTests: XCTestCase {
    /// Its fixture: campaigns, customer facts, orders.
    let shop = CampaignAttributionTests(name: "fixture", testClosure: { _ in })
    var kigali: ShopCalendar { shop.kigali }
    func day(_ d: Int) -> ShopDay { ShopDay(year: 2026, month: 11, day: d) }

    /// The run of 11-10 (every order up to then), then the run of 11-11 that recomputes 11-08 (a late change) and
    /// 11-11 from the state of 11-10.
    func nightly(recomputed: [ShopDayRange]) -> (yesterday: CampaignLedger, tonight: CampaignLedger) {
        var before = CampaignLedger(campaigns: shop.campaigns, computing: [1, 2, 3, 5], asOf: day(10), calendar: kigali, facts: shop.facts,
                                    earliestSaleDay: ShopDay(year: 2026, month: 10, day: 1))
        for (o, _) in shop.orders { before.add(o) }
        before.addActivity(userId: 6, at: shop.nov(7, 10, 0))
        let kept = Dictionary(uniqueKeysWithValues: before.states.map { ($0.campaignId, $0) })
        var tonight = CampaignLedger(campaigns: shop.campaigns, computing: [1, 2, 3, 5], asOf: day(11), calendar: kigali, facts: shop.facts,
                                     earliestSaleDay: ShopDay(year: 2026, month: 10, day: 1), kept: kept, recomputed: recomputed)
        // Fed every order and event: only those of the recomputed days count.
        for (o, _) in shop.orders { tonight.add(o) }
        tonight.addActivity(userId: 6, at: shop.nov(7, 10, 0))
        return (before, tonight)
    }

    /// Activity fed to a copy of the ledger (as the job does on a second thread) and its reached customers added back
    /// gives the ledger fed everything itself: totals, days and kept state; with a kept state too.
    func testActivityCountedOnACopyAddsUpToTheLedgerFedEverything() {
        let yesterday = Dictionary(uniqueKeysWithValues: nightly(recomputed: []).yesterday.states.map { ($0.campaignId, $0) })
        for (kept, recomputed) in [([:], []), (yesterday, [ShopDayRange(day(8), day(8)), ShopDayRange(day(11), day(11))])] {
            let empty = CampaignLedger(campaigns: shop.campaigns, computing: [1, 2, 3, 5], asOf: day(11), calendar: kigali, facts: shop.facts,
                                       earliestSaleDay: ShopDay(year: 2026, month: 10, day: 1), kept: kept, recomputed: recomputed)
            let activity: [(Int64, Int64)] = [(6, shop.nov(7, 10, 0)), (2, shop.nov(11, 9, 0)), (4, shop.nov(8, 9, 0))]
            var fedEverything = empty, ordersOnly = empty, copy = empty
            for (o, _) in shop.orders { fedEverything.add(o); ordersOnly.add(o) }
            for (user, at) in activity { fedEverything.addActivity(userId: user, at: at); copy.addActivity(userId: user, at: at) }
            var merged = ordersOnly
            merged.addReached(from: copy)
            XCTAssertEqual(merged.totals, fedEverything.totals)
            XCTAssertEqual(merged.history, fedEverything.history)
            XCTAssertEqual(merged.states, fedEverything.states)
            XCTAssertNotEqual(ordersOnly.history, fedEverything.history, "the activity reached customers the orders did not")
        }
    }

    /// A ledger packed while it waits (`CampaignLedger.pack`), fed more meanwhile and unpacked, gives the figures of one
    /// fed everything unpacked, with customer ids far apart, negative and at both ends of the range too.
    func testAPackedLedgerFedMoreUnpacksToTheSameFigures() {
        let empty = CampaignLedger(campaigns: shop.campaigns, computing: [1, 2, 3, 5], asOf: day(11), calendar: kigali, facts: shop.facts,
                                   earliestSaleDay: ShopDay(year: 2026, month: 10, day: 1))
        let far: [Int64] = [.min, -7, 0, 128, 300, 1 << 40, .max]
        let (firstOrders, laterOrders) = (shop.orders.prefix(4), shop.orders.dropFirst(4))
        var everything = empty, packed = empty
        for (o, _) in firstOrders { everything.add(o); packed.add(o) }
        for user in far { everything.addActivity(userId: user, at: shop.nov(7, 10, 0)); packed.addActivity(userId: user, at: shop.nov(7, 10, 0)) }
        packed.pack()
        XCTAssertTrue(packed.isPacked)
        for (o, _) in laterOrders { everything.add(o); packed.add(o) }
        for user in far.prefix(3) { everything.addActivity(userId: user, at: shop.nov(8, 10, 0)); packed.addActivity(userId: user, at: shop.nov(8, 10, 0)) }
        packed.unpack()
        XCTAssertFalse(packed.isPacked)
        XCTAssertEqual(packed.totals, everything.totals)
        XCTAssertEqual(packed.history, everything.history)
        XCTAssertEqual(packed.states, everything.states)
        XCTAssertEqual(everything.states.first { $0.campaignId == 3 }?.customers.filter { far.contains($0.userId) }.map(\.reached),
                       [[day(7), day(8)], [day(7), day(8)], [day(7), day(8)], [day(7)], [day(7)], [day(7)], [day(7)]])
    }

    func testKeptStateHoldsEachDayAndEachCustomersDays() throws {
        let (yesterday, _) = nightly(recomputed: [])
        let c2 = try XCTUnwrap(yesterday.states.first { $0.campaignId == 2 })
        // 28 baseline days (10-08..11-04) and the window 11-05..11-10.
        XCTAssertEqual(c2.days.count, 34)
        XCTAssertEqual(c2.days.first?.day.iso, "2026-10-08")
        XCTAssertEqual(c2.days.first { $0.day.iso == "2026-11-04" }?.audienceRevenue, Money(francs: 10_000), "VIP sale 3, a baseline day")
        XCTAssertEqual(c2.days.first { $0.day.iso == "2026-11-08" },
                       CampaignDayFigures(day: day(8), couponOrders: 1, couponRevenue: Money(francs: 5_000), discountGiven: Money(francs: 500),
                                          audienceRevenue: Money.zero))
        // Reached: VIP customers 2 (11-05, 11-07 and the refunded order of 11-08) and 5 (11-06), and 3 by coupon on 11-08.
        XCTAssertEqual(c2.customers, [
            CampaignCustomerDays(userId: 2, reached: [day(5), day(7), day(8)], converted: []),
            CampaignCustomerDays(userId: 3, reached: [day(8)], converted: [day(8)]),
            CampaignCustomerDays(userId: 5, reached: [day(6)], converted: []),
        ])
    }

    func testRecomputingSomeDaysFromTheKeptStateGivesTheFullFigures() throws {
        let (_, tonight) = nightly(recomputed: [ShopDayRange(day(8), day(8)), ShopDayRange(day(11), day(11))])
        let totals = Dictionary(uniqueKeysWithValues: tonight.totals.map { ($0.campaign.id, $0) })
        let c1 = try XCTUnwrap(totals[1]), c2 = try XCTUnwrap(totals[2]), c5 = try XCTUnwrap(totals[5])
        // The figures of CampaignAttributionTests.testTotalsPerCampaign and testLiftAgainstTheSameWeekdaysOfTheFourWeeksBefore.
        XCTAssertEqual([c1.couponOrders, c1.customersReached, c1.customersConverted], [1, 3, 1])
        XCTAssertEqual([c2.couponOrders, c2.customersReached, c2.customersConverted], [1, 3, 1])
        XCTAssertEqual(c2.audienceRevenue, Money(francs: 30_000))
        XCTAssertEqual(c2.baselineRevenue, Money(francs: 2_500))
        XCTAssertEqual(c5.audienceRevenue, Money(francs: 15_000))
        XCTAssertEqual(c5.customersReached, 1)
        // Only the recomputed days were read: 11-08's sale 6 counted once, not twice.
        XCTAssertEqual(c2.couponRevenue, Money(francs: 5_000))
        XCTAssertEqual(tonight.ordersDays.map(\.description), ["2026-11-08", "2026-11-11"])
        XCTAssertEqual(tonight.activityDays.map(\.description), ["2026-11-08", "2026-11-11"])
        // And the same as a ledger fed every day.
        XCTAssertEqual(tonight.totals, shop.ledger().totals.filter { $0.campaign.id != 4 })
        XCTAssertEqual(tonight.history, shop.ledger().history.filter { $0.campaignId != 4 })
    }

    func testOnlyTheCustomersWhoseDaysChangedAreRewritten() {
        func days(_ user: Int64, _ reached: [Int], _ converted: [Int] = []) -> CampaignCustomerDays {
            CampaignCustomerDays(userId: user, reached: reached.map(day), converted: converted.map(day))
        }
        let kept = CampaignState(campaignId: 2, customers: [days(1, [5]), days(2, [5, 7], [7]), days(4, [8]), days(6, [6]), days(9, [9])])
        // Tonight: 1 as before, 2 also reached on 11-11, 3 new, 4 gone (a cancelled order), 6 converted after all, 9 as
        // before, 10 new.
        let tonight = CampaignState(campaignId: 2, customers: [days(1, [5]), days(2, [5, 7, 11], [7]), days(3, [11], [11]), days(6, [6], [6]),
                                                               days(9, [9]), days(10, [11])])
        let change = tonight.customerChanges(from: kept)
        XCTAssertEqual(change.stale, [2, 4, 6])
        XCTAssertEqual(change.fresh, [days(2, [5, 7, 11], [7]), days(3, [11], [11]), days(6, [6], [6]), days(10, [11])])
        XCTAssertTrue(kept.customerChanges(from: kept) == ([], []))
        XCTAssertEqual(tonight.customerChanges(from: CampaignState(campaignId: 2)).fresh, tonight.customers)
        XCTAssertEqual(CampaignState(campaignId: 2).customerChanges(from: kept).stale, [1, 2, 4, 6, 9])
    }

    func testWithoutKeptStateEveryDayIsRead() {
        let l = CampaignLedger(campaigns: shop.campaigns, computing: [2], asOf: day(11), calendar: kigali, facts: [:], earliestSaleDay: nil)
        XCTAssertEqual(l.ordersDays.map(\.description), ["2026-10-08..2026-11-11"])
        XCTAssertEqual(l.activityDays.map(\.description), ["2026-11-05..2026-11-11"])
    }

    func testAFactChangeSpansTheDaysBetweenItsOldAndNewMoment() {
        let asOf = day(11)
        func change(_ old: CustomerFacts, _ new: CustomerFacts) -> [String] {
            CustomerFactChange.between(old, new, userId: 7, asOf: asOf, calendar: kigali).map { "\($0.kind) \($0.days)" }
        }
        // A first sale tonight: only tonight's decisions change.
        XCTAssertEqual(change(CustomerFacts(), CustomerFacts(firstSaleAt: shop.nov(11, 9, 0))), ["firstSale 2026-11-11"])
        // A first sale cancelled late: the next sale (11-09) is the first now, the days between change.
        XCTAssertEqual(change(CustomerFacts(firstSaleAt: shop.nov(3, 9, 0)), CustomerFacts(firstSaleAt: shop.nov(9, 9, 0))),
                       ["firstSale 2026-11-03..2026-11-09"])
        // A tier backdated, a referral withdrawn: through the as-of day when a moment is gone.
        XCTAssertEqual(change(CustomerFacts(vipSince: day(6), referredAt: shop.nov(2, 8, 0)), CustomerFacts(vipSince: day(1))),
                       ["vip 2026-11-01..2026-11-06", "referral 2026-11-02..2026-11-11"])
        // A tier from next month changes nothing counted yet; unchanged facts change nothing.
        XCTAssertEqual(change(CustomerFacts(), CustomerFacts(vipSince: ShopDay(year: 2026, month: 12, day: 1))), [])
        XCTAssertEqual(change(CustomerFacts(vipSince: day(6)), CustomerFacts(vipSince: day(6))), [])
        XCTAssertTrue(CampaignAudience.vip.dependsOn(.vip))
        XCTAssertFalse(CampaignAudience.all.dependsOn(.firstSale))
    }
}
