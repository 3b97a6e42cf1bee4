import Analytics
import Shop
import XCTest

/// The purchase model saying what it knows (README, "Purchase and spend model"): the dropout rule, the spend cap,
/// and the check of the model on the shop's own history, on small hand-made shops.
final class ModelCheckTests: XCTestCase {
    let kigali = ShopCalendar(identifier: "Africa/Kigali")!

    func at(_ m: Int, _ d: Int, _ hour: Int = 12) -> Int64 {
        kigali.startMicros(of: ShopDay(year: 2026, month: m, day: d)) + Int64(hour) * 3_600_000_000
    }

    /// A book as of `asOf` with one customer per entry of `days` (user ids from 1), each buying `hundredths(user, k)`
    /// on the k-th of their (month, day) days, in time order.
    func book(asOf: ShopDay, _ days: [[(Int, Int)]], hundredths: (Int, Int) -> Int64 = { _, _ in 500_000 }) -> CustomerBook {
        var b = CustomerBook(asOf: asOf, calendar: kigali)
        for u in days.indices { b.add(CustomerProfile(userId: Int64(u + 1), joinedAt: at(1, 1))) }
        var sales: [(Int64, Int64, Int64)] = []
        for (u, list) in days.enumerated() {
            for (k, d) in list.enumerated() { sales.append((at(d.0, d.1, 8 + u % 10), Int64(u + 1), hundredths(u + 1, k))) }
        }
        for (n, s) in sales.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }).enumerated() {
            b.add(Order(id: Int64(n + 1), userId: s.1, status: .delivered, paymentMethod: .card, paymentStatus: .completed,
                        subtotal: Money(hundredths: s.2), total: Money(hundredths: s.2), createdAt: s.0))
        }
        return b
    }

    func testDropoutRule() {
        XCTAssertTrue(BGNBDParameters(r: 0.2426, alpha: 4.414, a: 0.7929, b: 2.426).findsDropout)   // CDNOW
        XCTAssertFalse(BGNBDParameters(r: 1.085, alpha: 11.79, a: 5.379e-06, b: 1).findsDropout)      // a -> 0
        XCTAssertFalse(BGNBDParameters(r: 1, alpha: 10, a: 0.01, b: 100).findsDropout)                // a / (a + b) = 0.0001
        XCTAssertTrue(BGNBDParameters(r: 1, alpha: 10, a: 0.01, b: 9).findsDropout)                   // a / (a + b) = 0.001
        XCTAssertFalse(BGNBDParameters(r: 1.09, alpha: 10.7, a: 6_550, b: 5_385_887).findsDropout)    // ran off to infinity
    }

    /// A fit whose parameters go beyond 10^13 gives no predictions: its log-likelihood and expectations have lost
    /// their digits (README, "Purchase and spend model").
    func testParametersBeyondWhatCanBeComputed() {
        XCTAssertTrue(BGNBDParameters(r: 0.2426, alpha: 4.414, a: 0.7929, b: 2.426).isComputable)                   // CDNOW
        XCTAssertTrue(BGNBDParameters(r: 6.957e11, alpha: 4.879e12, a: 2.104e-05, b: 2.548e-4).isComputable)        // every Monday
        XCTAssertFalse(BGNBDParameters(r: 1.978e17, alpha: 1.198e18, a: 2.792, b: 47.4).isComputable)              // LL "0.0"
        XCTAssertFalse(BGNBDParameters(r: 1, alpha: 10, a: 0.5, b: 2e13).isComputable)
        XCTAssertFalse(BGNBDParameters(r: .nan, alpha: 10, a: 0.5, b: 2).isComputable)
    }

    /// Twelve customers who buy every Monday from 7 September to the as-of day, Monday 30 November: nobody is silent
    /// for longer than a week, so there is no dropout to find.
    func testAShopWhereNobodyStopsSaysSoAndListsNoChanceStillActive() throws {
        var mondays: [(Int, Int)] = []
        var d = ShopDay(year: 2026, month: 9, day: 7)
        while d <= ShopDay(year: 2026, month: 11, day: 30) { mondays.append((d.components.month, d.components.day)); d = d.advanced(by: 7) }
        // Customer 13 bought twice in June: at risk by the 60-day rule.
        let a = book(asOf: ShopDay(year: 2026, month: 11, day: 30), Array(repeating: mondays, count: 12) + [[(6, 1), (6, 8)]]).analysis()
        let fit = try XCTUnwrap(a.model.purchases)
        XCTAssertTrue(fit.converged)
        XCTAssertFalse(a.model.dropoutFound, "a = \(fit.parameters.a), b = \(fit.parameters.b)")
        XCTAssertTrue(a.model.note?.hasPrefix("no dropout found") ?? false)
        XCTAssertEqual(a.atRisk.map(\.userId), [13])
        XCTAssertNil(a.atRisk[0].probabilityAlive, "no P(alive) from a model that found no dropout")
    }

    func testValueCapIsThe99thPercentileAndAtMostTenTimesTheMedian() {
        // 19 values 1,000, 1,100 ... 2,800 and one of 9,999,999.99: the 99th percentile (rank 20 of 20) is the huge
        // one; the median is (1,900 + 2,000) / 2 = 1,950, so the cap is 19,500.
        let values = (0..<19).map { 1_000 + 100 * Double($0) } + [9_999_999.99]
        XCTAssertEqual(GammaGamma.valueCap(values), 19_500)
        // 200 values 1 ... 200: rank 198 is 198; ten times the median (100.5) is 1,005.
        XCTAssertEqual(GammaGamma.valueCap((1...200).map(Double.init)), 198)
        XCTAssertNil(GammaGamma.valueCap([]))
    }

    /// Twenty customers buy on 1 September (5,000), then every month: customer k on 1 October, 1 and 25 November for
    /// 1,000 + 100 (k - 1) francs each time (odd customers also on 15 October). Customer 20's 1 October order is a
    /// single 9,999,999.99. As of 30 November.
    func testOneHugeOrderDoesNotMakeItsCustomerAMillionaire() throws {
        let days = (1...20).map { u in u % 2 == 1 ? [(9, 1), (10, 1), (10, 15), (11, 1), (11, 25)] : [(9, 1), (10, 1), (11, 1), (11, 25)] }
        let a = book(asOf: ShopDay(year: 2026, month: 11, day: 30), days) { u, k in
            k == 0 ? 500_000 : u == 20 && k == 1 ? 999_999_999 : 100_000 + 10_000 * Int64(u - 1)
        }.analysis()
        // Mean repeat values: customers 1..19 spend 1,000 ... 2,800 each time; customer 20 (9,999,999.99 + 2 x 2,900) / 3.
        XCTAssertEqual(a.model.spendValueCap, 19_500, "median (1,900 + 2,000) / 2 = 1,950, times ten")
        let huge = try XCTUnwrap(a.metrics(for: 20))
        XCTAssertEqual(huge.lifetimeValue, Money(hundredths: 1_001_079_999), "the historical figures are not capped")
        let p = try XCTUnwrap(huge.prediction)
        let value = try XCTUnwrap(p.expectedValue), clv = try XCTUnwrap(p.clv12Months)
        XCTAssertLessThanOrEqual(value, Money(francs: 19_500), "a weighted mean of the population's mean and the capped own mean")
        let fit = try XCTUnwrap(a.model.purchases)
        let yearOfPurchases = BGNBD.expectedPurchases(fit.parameters, next: 360, PurchaseHistory(frequency: 3, recency: 85, age: 90))
        XCTAssertLessThanOrEqual(Double(clv.hundredths) / 100, 19_500 * yearOfPurchases)
        XCTAssertLessThan(clv, Money(francs: 1_000_000), "not RWF 31 M")
    }

    /// As of 30 November; the check fits on the sales up to 31 October. Customers 1-6 bought on 1 and 15 September,
    /// 1 and 15 October, then 1-3 on 5 and 20 November; 7-10 once on 1 August, then 7 on 10 November; 11 and 12 on
    /// 20 and 25 October, then 11 twice on 2 November (one purchase day); 13 first bought on 10 November.
    func checkBook() -> CustomerBook {
        let regular = [(9, 1), (9, 15), (10, 1), (10, 15)]
        var days: [[(Int, Int)]] = []
        for u in 1...6 { days.append(regular + (u <= 3 ? [(11, 5), (11, 20)] : [])) }
        for u in 7...10 { days.append([(8, 1)] + (u == 7 ? [(11, 10)] : [])) }
        days.append([(10, 20), (10, 25), (11, 2), (11, 2)])
        days.append([(10, 20), (10, 25)])
        days.append([(11, 10)])
        return book(asOf: ShopDay(year: 2026, month: 11, day: 30), days)
    }

    func testModelCheckComparesPredictedAndActualPurchaseDays() throws {
        let a = checkBook().analysis()
        let check = try XCTUnwrap(a.model.check, a.model.checkNote ?? "")
        XCTAssertEqual(check.fittedTo.iso, "2026-10-31")
        XCTAssertEqual(check.fit.customers, 12, "customer 13 first bought after the cutoff")
        XCTAssertEqual(check.purchases.map(\.label), ["All customers", "Bought on 1 day", "Bought on 2 days", "Bought on 3–4 days"])
        XCTAssertEqual(check.purchases.map(\.customers), [12, 4, 2, 6])
        XCTAssertEqual(check.purchases.map(\.actual), [8, 1, 1, 6])
        // The histories on 31 October, by hand: (repeat days, last - first, 31 October - first).
        let histories = [PurchaseHistory(frequency: 3, recency: 44, age: 60), PurchaseHistory(frequency: 0, recency: 0, age: 91),
                         PurchaseHistory(frequency: 1, recency: 5, age: 11)]
        let expected = histories.map { BGNBD.expectedPurchases(check.fit.parameters, next: 30, $0) }
        XCTAssertEqual(try XCTUnwrap(check.purchases[1].predicted), 4 * expected[1], accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(check.purchases[2].predicted), 2 * expected[2], accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(check.purchases[3].predicted), 6 * expected[0], accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(check.purchases[0].predicted), 6 * expected[0] + 4 * expected[1] + 2 * expected[2], accuracy: 1e-9)
    }

    /// 60 customers from September to 22 November: customer u first buys on 1 September + (u mod 17) days, then every
    /// 2 + (u mod 9) days; one in three stops after 1 + (u mod 6) purchase days. Varied enough for the check's fit (on
    /// the sales up to 30 days before `asOf`) to find an optimum inside its range.
    func sixtyCustomers(asOf: ShopDay) -> CustomerBook {
        var days: [[(Int, Int)]] = []
        for u in 1...60 {
            var d = ShopDay(year: 2026, month: 9, day: 1).advanced(by: u % 17), list: [(Int, Int)] = []
            while d <= ShopDay(year: 2026, month: 11, day: 22), list.count < (u % 3 == 0 ? 1 + u % 6 : Int.max) {
                let parts = d.iso.split(separator: "-").map { Int($0)! }
                list.append((parts[1], parts[2]))
                d = d.advanced(by: 2 + u % 9)
            }
            days.append(list)
        }
        return book(asOf: asOf, days) { u, k in Int64(100_000 * (1 + u * 7 % 19) + (u * 37 + k * k * 53) % 150_000) }
    }

    func testSettledCheckFitFromTheLastRunsCheckGivesTheColdFitToTheLastBit() throws {
        // Yesterday's check (fitted to 22 October) is tonight's start; tonight's check is fitted to 23 October.
        let yesterday = try XCTUnwrap(sixtyCustomers(asOf: ShopDay(year: 2026, month: 11, day: 21)).analysis(fitting: ModelFitting(settled: true)).model.check)
        XCTAssertEqual(yesterday.fittedTo.iso, "2026-10-22")
        let book = sixtyCustomers(asOf: ShopDay(year: 2026, month: 11, day: 22))
        let cold = try XCTUnwrap(book.analysis(fitting: ModelFitting(settled: true)).model.check)
        let warm = try XCTUnwrap(book.analysis(fitting: ModelFitting(settled: true, lastCheck: yesterday.fit.parameters)).model.check)
        XCTAssertEqual(cold.fittedTo.iso, "2026-10-23")
        XCTAssertTrue(cold.fit.parameters.findsDropout, "an optimum inside the range")
        XCTAssertNotEqual(yesterday.fit.parameters, cold.fit.parameters)
        XCTAssertEqual(cold.fit.start, .cold)
        XCTAssertEqual(warm.fit.start, .warm)
        XCTAssertEqual(warm.fit.evaluations, 2)
        XCTAssertGreaterThan(cold.fit.evaluations, 50)
        let bits = { (f: BGNBDFit) in [f.parameters.r, f.parameters.alpha, f.parameters.a, f.parameters.b, f.logLikelihood].map(\.bitPattern) }
        XCTAssertEqual(bits(warm.fit), bits(cold.fit))
        XCTAssertEqual(warm.purchases, cold.purchases)
        XCTAssertEqual(warm.atRisk, cold.atRisk)
        // Nelder–Mead alone (DUSANGIRE_SETTLED_MODEL_FITS=0, the figures before) ignores the last check and stops within
        // 1e-6 of the settled optimum.
        let plain = try XCTUnwrap(book.analysis().model.check)
        let plainWithLast = try XCTUnwrap(book.analysis(fitting: ModelFitting(settled: false, lastCheck: yesterday.fit.parameters)).model.check)
        XCTAssertEqual(bits(plainWithLast.fit), bits(plain.fit))
        XCTAssertEqual(plain.fit.gradientEvaluations, 0)
        for (a, b) in zip([plain.fit.parameters.r, plain.fit.parameters.alpha, plain.fit.parameters.a, plain.fit.parameters.b],
                          [cold.fit.parameters.r, cold.fit.parameters.alpha, cold.fit.parameters.a, cold.fit.parameters.b]) {
            XCTAssertEqual(a, b, accuracy: 1e-6 * b)
        }
    }

    func testModelCheckComparesTheAtRiskRules() throws {
        let check = try XCTUnwrap(checkBook().analysis().model.check)
        // Bought nothing in November: 4, 5, 6, 8, 9, 10, 12. No sale for 60 days on 31 October: 7-10, of whom 8-10 stayed away.
        XCTAssertEqual(check.atRisk[0].label, "All customers")
        XCTAssertEqual([check.atRisk[0].customers, check.atRisk[0].actual], [12, 7])
        XCTAssertEqual(check.atRisk[1].label, "No sale for 60 days or more")
        XCTAssertEqual([check.atRisk[1].customers, check.atRisk[1].actual], [4, 3])
        XCTAssertEqual(check.atRisk.count, check.fit.parameters.findsDropout ? 3 : 2)
    }

    func testModelCheckNeedsCustomersBeforeTheCutoff() {
        let a = book(asOf: ShopDay(year: 2026, month: 11, day: 30), Array(repeating: [(11, 5), (11, 20)], count: 12)).analysis()
        XCTAssertNil(a.model.check)
        XCTAssertEqual(a.model.checkNote, "not run: 0 customers with a sale by 2026-10-31, 0 who bought on two different days (needs 10 and 1)")
    }

    /// One user's summed sales on the given days of 2026 (one sale each, a second on a day listed twice).
    func sales(_ days: [(Int, Int)]) -> CustomerSales {
        var s = CustomerSales(userId: 1)
        for (n, d) in days.enumerated() {
            s.add(Order(id: Int64(n + 1), userId: 1, status: .delivered, paymentMethod: .card, paymentStatus: .completed,
                        subtotal: Money(hundredths: 100), total: Money(hundredths: 100), createdAt: at(d.0, d.1, 8 + n % 10)), calendar: kigali)
        }
        return s
    }

    func day(_ m: Int, _ d: Int) -> Int32 { ShopDay(year: 2026, month: m, day: d).epochDay }

    /// The kept sales give the purchase days up to every cutoff the model check can have (30 days before an as-of day
    /// on or after the last sale), so a run that keeps them checks the model as one that reads every sale.
    func testKeptSalesGiveThePurchaseDaysUpToAMovingCutoff() {
        // Purchase days 1 Aug, 20 Oct, 25 Oct, 2 Nov (two sales), 20 Nov. The 30 days ending 20 Nov start 22 Oct:
        // 25 Oct and 2 Nov are in them (20 Nov - 26 and - 18 days), 20 Oct (31 days before) is the earlier day.
        let s = sales([(8, 1), (10, 20), (10, 25), (11, 2), (11, 2), (11, 20)])
        XCTAssertEqual(s.purchaseDays, 5)
        XCTAssertEqual(s.recentDays, 1 << 26 | 1 << 18)
        XCTAssertEqual(s.earlierDay, day(10, 20))
        let expected: [(cutoff: (Int, Int), days: Int32, last: (Int, Int))] = [
            ((10, 21), 2, (10, 20)), ((10, 24), 2, (10, 20)), ((10, 25), 3, (10, 25)), ((11, 1), 3, (10, 25)),
            ((11, 2), 4, (11, 2)), ((11, 19), 4, (11, 2)), ((11, 20), 5, (11, 20)), ((12, 20), 5, (11, 20)),
        ]
        for e in expected {
            let p = s.purchases(upTo: day(e.cutoff.0, e.cutoff.1))
            XCTAssertEqual([p.days, p.lastDay], [e.days, day(e.last.0, e.last.1)], "cutoff \(e.cutoff)")
        }
        // 30 days apart: the first day leaves the recent days at once.
        let apart = sales([(10, 1), (10, 31)])
        XCTAssertEqual([apart.recentDays, UInt32(apart.earlierDay - day(10, 1))], [0, 0])
        XCTAssertEqual([apart.purchases(upTo: day(10, 1)).days, apart.purchases(upTo: day(10, 30)).lastDay], [1, day(10, 1)])
        // 29 days apart: it stays.
        let close = sales([(10, 1), (10, 30)])
        XCTAssertEqual([Int64(close.recentDays), Int64(close.earlierDay)], [1 << 29, 0])
        XCTAssertEqual([close.purchases(upTo: day(9, 30)).days, close.purchases(upTo: day(9, 30)).lastDay], [0, 0])
        XCTAssertEqual([close.purchases(upTo: day(10, 1)).days, close.purchases(upTo: day(10, 1)).lastDay], [1, day(10, 1)])
        // A purchase every day of October: on 31 Oct, 2-30 Oct are recent and 1 Oct is the earlier day.
        let daily = sales((1...31).map { (10, $0) })
        XCTAssertEqual(daily.recentDays, (1 << 30) - 2)
        XCTAssertEqual(daily.earlierDay, day(10, 1))
        XCTAssertEqual([daily.purchases(upTo: day(10, 1)).days, daily.purchases(upTo: day(10, 15)).days], [1, 15])
        XCTAssertEqual(daily.purchases(upTo: day(10, 15)).lastDay, day(10, 15))
        XCTAssertEqual(CustomerSales(userId: 2).purchases(upTo: day(10, 1)).days, 0)
    }
}
