import Analytics
import Shop
import XCTest

/// The funnel's shortcuts give the same answers as the plain paths: session ids held inline compare like Strings,
/// and orders counted by the daily extract match orders added one by one.
final class FunnelSharingTests: XCTestCase {
    let kigali = ShopCalendar(identifier: "Africa/Kigali")!
    let mon = ShopDay(year: 2026, month: 11, day: 23)

    func testSessionIdsCompareLikeStrings() {
        let hex = "d3a9562a9139652589f361accc11fede"
        XCTAssertEqual(SessionID(hex), SessionID(hex))
        XCTAssertEqual(SessionID(hex).text, hex)
        XCTAssertNotEqual(SessionID(hex), SessionID(hex + " "))
        XCTAssertNotEqual(SessionID("a"), SessionID("a\u{0}"), "a NUL byte is part of the id")
        let long = String(repeating: "x", count: 40)
        XCTAssertEqual(SessionID(long), SessionID(long))
        XCTAssertEqual(SessionID(long).text, long)
        XCTAssertNotEqual(SessionID(long), SessionID(String(long.dropLast())))
        // Swift's String treats canonical equivalents as equal; so do session ids.
        XCTAssertEqual("caf\u{E9}", "cafe\u{301}")
        XCTAssertEqual(SessionID("caf\u{E9}"), SessionID("cafe\u{301}"))
        XCTAssertEqual(Set([SessionID("caf\u{E9}"), SessionID("cafe\u{301}")]).count, 1)
        XCTAssertEqual(SessionID("\u{212A}"), SessionID("K"), "the Kelvin sign is canonically a K")
        let bytes: [UInt8] = Array(hex.utf8)
        XCTAssertEqual(bytes.withUnsafeBufferPointer { SessionID(utf8: $0) }, SessionID(hex))
        XCTAssertTrue(SessionID("   ").isBlank)
        XCTAssertTrue(SessionID("").isBlank)
        XCTAssertFalse(SessionID(" s ").isBlank)
        // Blank as missing_session decides (ConversionEvent.checked): any white space, not only spaces.
        for blank in [" \t", "\n", "\r\n", "\u{0B}\u{0C}", "\u{A0}", " \u{2003} ", String(repeating: "\t", count: 40)] {
            XCTAssertTrue(SessionID(blank).isBlank, blank.debugDescription)
        }
        XCTAssertFalse(SessionID("\t-\t").isBlank)
        XCTAssertFalse(SessionID("\u{1F}").isBlank, "a control character that is not white space")
    }

    func testEventTypeFromBytesIsExact() {
        for t in ConversionEventType.allCases {
            XCTAssertEqual(Array(t.rawValue.utf8).withUnsafeBufferPointer { ConversionEventType(utf8: $0) }, t)
        }
        XCTAssertNil(Array("View_menu".utf8).withUnsafeBufferPointer { ConversionEventType(utf8: $0) })
        XCTAssertNil(Array("view_menu ".utf8).withUnsafeBufferPointer { ConversionEventType(utf8: $0) })
        // Same length and first byte as a type, one byte off; and too short to be any.
        for near in ["view_menX", "subscribX", "add_to_carT", "start_checkouT", "complete_ordeR", "referral_clicK", "", "s"] {
            XCTAssertNil(Array(near.utf8).withUnsafeBufferPointer { ConversionEventType(utf8: $0) }, near)
        }
    }

    /// The ledger's own table of sessions: every distinct id one session, however many events and however the table
    /// was sized; canonical equivalents one session, as Strings are one.
    func testTheSessionTableCountsEachSessionOnce() {
        let t = kigali.startMicros(of: mon) + 3_600_000_000
        let ids = (0..<5_000).map { String($0, radix: 16) } + [String(repeating: "y", count: 40), "caf\u{E9}", "cafe\u{301}", "\u{212A}", "K"]
        for expected in [0, 10, 100_000] {
            var l = FunnelLedger(range: ShopDayRange(mon, mon), calendar: kigali, facts: [:], expectedSessions: expected)
            var id: Int64 = 0
            for round in 0..<2 {
                for s in ids {
                    id += 1
                    l.add(ConversionEvent(id: id, type: round == 0 ? .viewMenu : .addToCart, sessionId: s, userId: nil, at: t))
                }
            }
            XCTAssertEqual(l.sessionCount, 5_003, "5,000 short ids, one long, two pairs of canonical equivalents")
            let all = l.days.first { $0.userType == .all }!
            XCTAssertEqual(all.sessions, 5_003)
            XCTAssertEqual(all.reached, [5_003, 5_003, 0, 0], "both events of each id in one session")
            XCTAssertEqual(all.skippedSteps, 0)
        }
    }

    func testOrdersCountedElsewhereMatchOrdersAddedOneByOne() {
        let range = ShopDayRange(mon, mon.advanced(by: 1))
        func at(_ day: ShopDay, _ h: Int) -> Int64 { kigali.startMicros(of: day) + Int64(h) * 3_600_000_000 }
        let orders: [(Int64, Int64)] = [(1, at(mon, 9)), (2, at(mon, 10)), (2, at(mon, 23)), (3, at(mon.advanced(by: 1), 0)),
                                        (4, at(mon.advanced(by: 2), 1)), (5, at(mon.advanced(by: -1), 23))]
        let events = [ConversionEvent(id: 1, type: .completeOrder, sessionId: "A", userId: 2, at: at(mon, 10)),
                      ConversionEvent(id: 2, type: .completeOrder, sessionId: "B", userId: 6, at: at(mon, 11)),
                      ConversionEvent(id: 3, type: .completeOrder, sessionId: "C", userId: nil, at: at(mon.advanced(by: 1), 8))]
        var oneByOne = FunnelLedger(range: range, calendar: kigali, firstSales: [:])
        var counted = FunnelLedger(range: range, calendar: kigali, firstSales: [:])
        var placed = OrdersPlaced()
        for (user, t) in orders {
            oneByOne.addOrder(userId: user, createdAt: t)
            placed.add(userId: user, day: kigali.day(ofMicros: t))
        }
        counted.addOrders(placed)
        for e in events { oneByOne.add(e); counted.add(e) }
        XCTAssertEqual(counted.gaps, oneByOne.gaps)
        XCTAssertEqual(counted.gaps.map(\.ordersPlaced), [3, 1])
        XCTAssertEqual(counted.gaps.map(\.ordersWithoutEvent), [2, 1])
        XCTAssertEqual(counted.gaps.map(\.sessionsWithoutOrder), [1, 1])
        XCTAssertEqual(counted.finished().days, oneByOne.days)
    }

    func testSkippedStepsFromTheEventBits() {
        var l = FunnelLedger(range: ShopDayRange(mon, mon), calendar: kigali, firstSales: [:])
        let t = kigali.startMicros(of: mon) + 3_600_000_000
        let sessions: [(String, [ConversionEventType])] = [
            ("all", [.viewMenu, .addToCart, .startCheckout, .completeOrder]),  // no skip, reaches 4
            ("cart", [.addToCart]),                                            // skips view_menu, reaches 2
            ("menu", [.viewMenu, .subscribe]),                                 // no skip, reaches 1
            ("side", [.referralClick]),                                        // reaches 0, no skip
            ("hole", [.viewMenu, .startCheckout]),                             // skips add_to_cart, reaches 3
        ]
        var id: Int64 = 0
        for (s, types) in sessions {
            for ty in types { id += 1; l.add(ConversionEvent(id: id, type: ty, sessionId: s, userId: nil, at: t)) }
        }
        let all = l.days.first { $0.userType == .all }!
        XCTAssertEqual(all.sessions, 5)
        XCTAssertEqual(all.reached, [4, 3, 2, 1])
        XCTAssertEqual(all.skippedSteps, 2)
        XCTAssertEqual(all.subscribed, 1)
        XCTAssertEqual(all.referralClicks, 1)
    }
}
