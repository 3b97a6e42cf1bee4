import Analytics
import Shop
import XCTest

/// Hand-made sessions on Monday 23 and Tuesday 24 November 2026 (Kigali wall-clock times).
/// Customers: 1's first sale was on the 20th (returning), 2's first sale is on the 23rd at 10:00 (new on the 23rd,
/// returning on the 24th), 3 and 4 never bought.
final class FunnelLedgerTests: XCTestCase {
    let kigali = ShopCalendar(identifier: "Africa/Kigali")!
    let mon = ShopDay(year: 2026, month: 11, day: 23)

    func at(_ day: Int, _ h: Int, _ m: Int) -> Int64 {
        kigali.startMicros(of: ShopDay(year: 2026, month: 11, day: day)) + Int64(h * 3600 + m * 60) * 1_000_000
    }

    var nextId: Int64 = 0
    func event(_ type: ConversionEventType, _ session: String, user: Int64? = nil, _ t: Int64) -> ConversionEvent {
        nextId += 1
        return ConversionEvent(id: nextId, type: type, sessionId: session, userId: user, at: t)
    }

    func ledger() -> FunnelLedger {
        var l = FunnelLedger(range: ShopDayRange(mon, mon.advanced(by: 1)), calendar: kigali,
                             firstSales: [1: at(20, 12, 0), 2: at(23, 10, 0)])
        let events = [
            // S1 anonymous: menu, cart.
            event(.viewMenu, "S1", at(23, 9, 0)), event(.addToCart, "S1", at(23, 9, 2)),
            // S2 customer 1 (returning): the four steps.
            event(.viewMenu, "S2", user: 1, at(23, 9, 5)), event(.addToCart, "S2", user: 1, at(23, 9, 6)),
            event(.startCheckout, "S2", user: 1, at(23, 9, 8)), event(.completeOrder, "S2", user: 1, at(23, 9, 10)),
            // S3 logs in midway as customer 2 (new that day); no start_checkout event: a skipped step.
            event(.viewMenu, "S3", at(23, 9, 55)), event(.addToCart, "S3", user: 2, at(23, 9, 57)),
            event(.completeOrder, "S3", user: 2, at(23, 10, 0)),
            // S4 customer 3 (new): subscribe only, beside the funnel.
            event(.subscribe, "S4", user: 3, at(23, 11, 0)),
            // S5 anonymous, starts at 23:50 and adds to cart after midnight: counts on the 23rd.
            event(.addToCart, "S5", at(24, 0, 10)), event(.viewMenu, "S5", at(23, 23, 50)),
            // S6 started on the 22nd: not in the range, although it completed on the 23rd.
            event(.viewMenu, "S6", at(22, 23, 55)), event(.completeOrder, "S6", user: 1, at(23, 0, 5)),
            // S7 customer 2 on the 24th: returning now.
            event(.viewMenu, "S7", user: 2, at(24, 8, 0)), event(.addToCart, "S7", user: 2, at(24, 8, 1)),
            // S8 anonymous complete_order only.
            event(.completeOrder, "S8", at(24, 12, 0)),
        ]
        for e in events { l.add(e) }
        // Orders of the 23rd: customer 1 one, customer 2 two, customer 4 one (no event at all).
        l.addOrder(userId: 1, createdAt: at(23, 9, 10))
        l.addOrder(userId: 2, createdAt: at(23, 10, 0))
        l.addOrder(userId: 2, createdAt: at(23, 12, 0))
        l.addOrder(userId: 4, createdAt: at(23, 15, 0))
        return l
    }

    func row(_ days: [FunnelDay], _ day: Int, _ t: FunnelUserType) -> FunnelDay {
        days.first { $0.day == ShopDay(year: 2026, month: 11, day: day) && $0.userType == t }!
    }

    /// A session key the shop keeps for weeks (README, "Sessions"): a session of day D is a key with events on D and
    /// none the day before, reaching what its events of D and D + 1 reach. So every range that holds a day gives it
    /// the same figures: a backfill of a month and nightly runs of one day each agree.
    func testAKeyKeptForDaysIsANewSessionAfterADayWithoutEventsWhateverTheRange() {
        let key = [
            event(.viewMenu, "K", at(21, 10, 0)),                                             // a session on the 21st
            event(.viewMenu, "K", at(23, 9, 0)), event(.addToCart, "K", at(23, 9, 5)),       // a new one on the 23rd...
            event(.startCheckout, "K", at(24, 8, 0)),                                         // ...that goes on the 24th
            event(.completeOrder, "K", at(25, 12, 0)),                                        // a third day running: no session
            event(.viewMenu, "K", at(27, 18, 0)),                                             // new again on the 27th
        ]
        func figures(_ first: Int, _ last: Int) -> [Int: (sessions: Int, reached: [Int])] {
            var l = FunnelLedger(range: ShopDayRange(ShopDay(year: 2026, month: 11, day: first), ShopDay(year: 2026, month: 11, day: last)),
                                 calendar: kigali, firstSales: [:])
            for e in key where e.at >= l.eventsWindow.start && e.at < l.eventsWindow.end { l.add(e) }
            var out: [Int: (sessions: Int, reached: [Int])] = [:]
            for d in l.days where d.userType == .all { out[d.day.components.day] = (d.sessions, d.reached) }
            return out
        }
        let month = figures(21, 27)
        XCTAssertEqual((21...27).map { month[$0]!.sessions }, [1, 0, 1, 0, 0, 0, 1])
        XCTAssertEqual(month[21]!.reached, [1, 0, 0, 0])
        XCTAssertEqual(month[23]!.reached, [1, 1, 1, 0], "the 24th's checkout counts with the 23rd; the 25th's order with no day")
        XCTAssertEqual(month[27]!.reached, [1, 0, 0, 0])
        for day in 21...27 {
            let one = figures(day, day)[day]!
            XCTAssertEqual(one.sessions, month[day]!.sessions, "the \(day)th alone")
            XCTAssertEqual(one.reached, month[day]!.reached, "the \(day)th alone")
        }
    }

    func testSessionsAndStepsByUserType() {
        let d = ledger().days
        XCTAssertEqual(d.count, 8, "two days x four user types")
        let anon = row(d, 23, .anonymous), ret = row(d, 23, .returning), new = row(d, 23, .new), all = row(d, 23, .all)
        XCTAssertEqual(anon.sessions, 2); XCTAssertEqual(anon.reached, [2, 2, 0, 0])
        XCTAssertEqual(ret.sessions, 1); XCTAssertEqual(ret.reached, [1, 1, 1, 1])
        XCTAssertEqual(new.sessions, 2); XCTAssertEqual(new.reached, [1, 1, 1, 1])
        XCTAssertEqual(new.subscribed, 1); XCTAssertEqual(new.skippedSteps, 1)
        XCTAssertEqual(all.sessions, 5); XCTAssertEqual(all.reached, [4, 4, 2, 2])
        XCTAssertEqual(all.subscribed, 1); XCTAssertEqual(all.skippedSteps, 1)

        let tue = row(d, 24, .all)
        XCTAssertEqual(tue.sessions, 2); XCTAssertEqual(tue.reached, [2, 2, 1, 1])
        XCTAssertEqual(row(d, 24, .returning).reached, [1, 1, 0, 0])
        XCTAssertEqual(row(d, 24, .new).sessions, 0)
        XCTAssertEqual(row(d, 24, .anonymous).skippedSteps, 1)
    }

    func testConversionAndDropOff() {
        let all = row(ledger().days, 23, .all)
        XCTAssertEqual((1...4).map { all.stepConversion($0)?.decimalString }, ["80.00", "100.00", "50.00", "100.00"])
        XCTAssertEqual((1...4).map { all.dropOff($0) }, [1, 0, 2, 0])
        XCTAssertEqual(all.overallConversion?.decimalString, "50.00")
        XCTAssertNil(row(ledger().days, 24, .new).overallConversion)
    }

    func testGapBetweenOrdersAndCompleteOrderEvents() {
        let g = ledger().gaps
        XCTAssertEqual(g.map(\.day.iso), ["2026-11-23", "2026-11-24"])
        XCTAssertEqual([g[0].ordersPlaced, g[0].completeOrderSessions, g[0].ordersWithoutEvent, g[0].sessionsWithoutOrder, g[0].difference],
                       [4, 2, 2, 0, 2])
        XCTAssertEqual([g[1].ordersPlaced, g[1].completeOrderSessions, g[1].ordersWithoutEvent, g[1].sessionsWithoutOrder, g[1].difference],
                       [0, 1, 0, 1, -1])
    }

    func testBadEventRowsAreSetAsideWithReasons() {
        func reason(_ type: String?, _ session: String?) -> Rejection.Reason? {
            if case .failure(let r) = ConversionEvent.checked(id: 1, type: type, sessionId: session, userId: nil, at: 0) { return r.reason }
            return nil
        }
        XCTAssertNil(reason("view_menu", "abc"))
        XCTAssertEqual(reason("unknown_step", "abc"), .unknownEventType)
        XCTAssertEqual(reason("VIEW_MENU", "abc"), .unknownEventType)
        XCTAssertEqual(reason("add_to_cart", ""), .missingSession)
        XCTAssertEqual(reason("add_to_cart", "   "), .missingSession)
        XCTAssertEqual(reason("add_to_cart", "\t\n \u{A0}"), .missingSession, "blank is any white space, not only spaces")
        XCTAssertNil(reason("add_to_cart", " s1\t"), "a session id with something in it is a session")
        XCTAssertEqual(reason("unknown_step", ""), .unknownEventType, "the type is checked first")
        if case .failure(let r) = ConversionEvent.checked(id: 1, type: "view_menu", sessionId: "s", userId: nil, at: nil) {
            XCTAssertEqual(r.reason, .unreadableValue)
        } else { XCTFail("a missing timestamp is rejected") }
    }
}
