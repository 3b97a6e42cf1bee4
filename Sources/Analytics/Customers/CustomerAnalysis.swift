import Foundation
import Shop

/// One customer's row: every field of the shop's `analytics_customermetrics`, plus segments, RFM and the model's
/// outputs (README, "Customer metrics").
public struct CustomerMetrics: Sendable, Equatable {
    public var userId: Int64
    public var totalOrders: Int
    public var totalSpent: Money
    public var averageOrderValue: Money
    /// `created_at` of the first and last sale (microseconds), `nil` without a sale.
    public var firstOrderAt: Int64?
    public var lastOrderAt: Int64?
    public var firstOrderDay: ShopDay?
    public var lastOrderDay: ShopDay?
    /// As-of day minus the last sale's shop day; without a sale, minus the shop day the customer joined (never < 0).
    public var daysSinceLastOrder: Int
    public var lifetimeValue: Money
    public var churnRisk: Bool
    public var vipTier: VIPTier?
    public var subscriptionActive: Bool
    public var loyaltyPointsEarned: Int64
    public var loyaltyPointsRedeemed: Int64
    public var loyaltyValueRedeemed: Money
    public var referralCount: Int
    public var referralEarnings: Money
    public var totalDiscountsReceived: Money
    public var vipDiscountsReceived: Money
    public var segments: CustomerSegments
    public var rfm: RFMScore?
    public var rfmGroup: RFMGroup
    /// The model's inputs in days: distinct purchase days - 1, last - first purchase day, as-of day - first purchase day.
    public var history: PurchaseHistory?
    public var prediction: CustomerPrediction?
}

/// The purchase model's outputs for one customer (estimates, not exact money).
public struct CustomerPrediction: Sendable, Equatable {
    public var probabilityAlive: Double
    public var expectedSales30: Double
    public var expectedSales90: Double
    /// Expected value of a purchase day (Gamma-Gamma), `nil` if the spend model could not be fitted.
    public var expectedValue: Money?
    /// Discounted expected spend over the next 12 months of 30 days.
    public var clv12Months: Money?
}

/// An entry of the top list or the at-risk list.
public struct CustomerListEntry: Sendable, Equatable {
    public var rank: Int
    public var userId: Int64
    public var lifetimeValue: Money
    public var totalOrders: Int
    public var daysSinceLastOrder: Int
    public var rfmGroup: RFMGroup
    public var action: AtRiskAction?
    public var probabilityAlive: Double?
}

/// One acquisition cohort: customers whose first sale fell in `month` (its first day), and how many of them bought
/// in each later month. `buyers[0]` is the cohort's size; `buyers[k]` the customers with a sale k months later.
public struct CohortRow: Sendable, Equatable {
    public var month: ShopDay
    public var buyers: [Int]
    public init(month: ShopDay, buyers: [Int]) { self.month = month; self.buyers = buyers }
    public var size: Int { buyers[0] }
    /// Share of the cohort that bought k months after its first month (k >= 1).
    public func share(_ k: Int) -> Double? { k < buyers.count && size > 0 ? Double(buyers[k]) / Double(size) : nil }
}

/// A program figure for the summary tables: exactly one of count, amount, share.
public struct ProgramFigure: Sendable, Equatable {
    public var program: String
    public var figure: String
    public var count: Int64?
    public var amount: Money?
    public var share: Double?
    public init(program: String, figure: String, count: Int64? = nil, amount: Money? = nil, share: Double? = nil) {
        self.program = program; self.figure = figure; self.count = count; self.amount = amount; self.share = share
    }
}

/// The fits of the two models, or why there is none.
public struct CustomerModelFit: Sendable {
    public var purchases: BGNBDFit?
    public var spend: GammaGammaFit?
    /// About the purchase model: why it was not fitted, or what its parameters mean; else `nil`.
    public var note: String?
    /// Why the spend model was not fitted or not used, else `nil`.
    public var spendNote: String?
    /// The cap on each customer's mean purchase value in the spend model (`GammaGamma.valueCap`), RWF.
    public var spendValueCap: Double?
    /// The model checked on the shop's own history, or why it was not (`checkNote`).
    public var check: ModelCheck?
    public var checkNote: String?
    public static let timeUnit = "day"

    /// Whether the purchase model converged and found customers who stop buying (`BGNBDParameters.findsDropout`).
    /// Without it, P(alive) and the CLV say nothing about who has left, and the report does not show them.
    public var dropoutFound: Bool { purchases.map { $0.converged && $0.parameters.findsDropout } ?? false }
}

/// Everything computed for the customers as of one day (README, "Customer analytics"). Per-customer values are
/// kept as arrays; `metrics(at:)` builds one customer's row on demand, so a million customers never exist as a
/// million structs.
public struct CustomerAnalysis: Sendable {
    public let book: CustomerBook
    public let rules: CustomerRules
    var rfmR: [UInt8], rfmF: [UInt8], rfmM: [UInt8]
    var group: [UInt8]
    var segmentBits: [UInt8]
    var pAlive: [Double], e30: [Double], e90: [Double], value: [Double], clv: [Double]
    public internal(set) var model: CustomerModelFit

    public var asOf: ShopDay { book.asOf }
    public var count: Int { book.count }

    /// The dense index of a user, if a customer.
    public func index(of userId: Int64) -> Int? { book.index[userId].map(Int.init) }

    public func metrics(for userId: Int64) -> CustomerMetrics? { index(of: userId).map(metrics(at:)) }

    public func metrics(at i: Int) -> CustomerMetrics {
        let b = book
        let n = Int(b.sales[i])
        let has = n > 0
        return CustomerMetrics(
            userId: b.userIds[i], totalOrders: n, totalSpent: Money(hundredths: b.spent[i]),
            averageOrderValue: Money(hundredths: b.spent[i]).divided(by: Int64(n)),
            firstOrderAt: has ? b.firstAt[i] : nil, lastOrderAt: has ? b.lastAt[i] : nil,
            firstOrderDay: has ? ShopDay(epochDay: b.firstDay[i]) : nil, lastOrderDay: has ? ShopDay(epochDay: b.lastDay[i]) : nil,
            daysSinceLastOrder: daysSince(i), lifetimeValue: Money(hundredths: b.spent[i]),
            churnRisk: segmentBits[i] & CustomerSegment.churnRisk.bit != 0,
            vipTier: VIPTier(rawValue: b.vip[i]), subscriptionActive: b.subscribed[i],
            loyaltyPointsEarned: b.pointsEarned[i], loyaltyPointsRedeemed: b.pointsRedeemed[i],
            loyaltyValueRedeemed: Money(hundredths: b.loyaltyValue[i]), referralCount: Int(b.referralsCompleted[i]),
            referralEarnings: Money(hundredths: b.referralEarnings[i]), totalDiscountsReceived: Money(hundredths: b.discounts[i]),
            vipDiscountsReceived: Money(hundredths: b.vipDiscounts[i]), segments: CustomerSegments(bits: segmentBits[i]),
            rfm: has ? RFMScore(r: Int(rfmR[i]), f: Int(rfmF[i]), m: Int(rfmM[i])) : nil,
            rfmGroup: RFMGroup.ordered[Int(group[i])], history: has ? history(i) : nil, prediction: prediction(at: i))
    }

    /// The model's outputs for customer `i` (`metrics(at:).prediction`, without building the rest of the row).
    public func prediction(at i: Int) -> CustomerPrediction? {
        guard book.sales[i] > 0, !pAlive[i].isNaN else { return nil }
        return CustomerPrediction(probabilityAlive: pAlive[i], expectedSales30: e30[i], expectedSales90: e90[i],
                                  expectedValue: value[i].isNaN ? nil : CustomerAnalysis.money(value[i]),
                                  clv12Months: clv[i].isNaN ? nil : CustomerAnalysis.money(clv[i]))
    }

    func daysSince(_ i: Int) -> Int {
        let from = book.sales[i] > 0 ? book.lastDay[i] : book.joinedDay[i]
        return max(0, Int(book.asOf.epochDay - from))
    }

    func history(_ i: Int) -> PurchaseHistory {
        PurchaseHistory(frequency: Int(book.purchaseDays[i]) - 1, recency: Double(book.lastDay[i] - book.firstDay[i]),
                        age: Double(book.asOf.epochDay - book.firstDay[i]))
    }

    static func money(_ francs: Double) -> Money? {
        guard francs.isFinite, abs(francs) < 1e15 else { return nil }
        return Money(hundredths: Int64((francs * 100).rounded()))
    }

    // MARK: summaries

    /// Customers and lifetime value per segment, in `CustomerSegment.allCases` order.
    public var segmentCounts: [(segment: CustomerSegment, customers: Int, lifetimeValue: Money)] {
        var counts = [Int](repeating: 0, count: CustomerSegment.allCases.count)
        var value = [Int64](repeating: 0, count: counts.count)
        for i in 0..<count {
            for (k, s) in CustomerSegment.ordered.enumerated() where segmentBits[i] & s.bit != 0 {
                counts[k] += 1; value[k] += book.spent[i]
            }
        }
        return CustomerSegment.allCases.enumerated().map { ($1, counts[$0], Money(hundredths: value[$0])) }
    }

    /// Customers and lifetime value per RFM group, in `RFMGroup.allCases` order.
    public var rfmGroupCounts: [(group: RFMGroup, customers: Int, lifetimeValue: Money)] {
        var counts = [Int](repeating: 0, count: RFMGroup.allCases.count)
        var value = [Int64](repeating: 0, count: counts.count)
        for i in 0..<count { counts[Int(group[i])] += 1; value[Int(group[i])] += book.spent[i] }
        return RFMGroup.allCases.enumerated().map { ($1, counts[$0], Money(hundredths: value[$0])) }
    }

    /// The customers with the highest lifetime value (ties: more sales, then lower user id); only customers with sales.
    public var topByLifetimeValue: [CustomerListEntry] { ranked(limit: rules.topListSize) { self.book.sales[$0] > 0 } }

    /// Churn-risk customers by lifetime value (same order), each with its action.
    public var atRisk: [CustomerListEntry] {
        ranked(limit: rules.atRiskListSize) { self.segmentBits[$0] & CustomerSegment.churnRisk.bit != 0 }.map { e in
            var e = e
            let i = index(of: e.userId)!
            e.action = AtRiskAction.of(subscribed: book.subscribed[i], vip: book.vip[i] > 0,
                                       highValue: segmentBits[i] & CustomerSegment.highValue.bit != 0, sales: e.totalOrders)
            return e
        }
    }

    private func ranked(limit: Int, _ include: (Int) -> Bool) -> [CustomerListEntry] {
        func before(_ a: Int, _ b: Int) -> Bool {
            let s = book.spent
            if s[a] != s[b] { return s[a] > s[b] }
            if book.sales[a] != book.sales[b] { return book.sales[a] > book.sales[b] }
            return book.userIds[a] < book.userIds[b]
        }
        // A bounded insertion list: O(n * limit) worst case, O(n) typically; no sort of a million rows.
        var best: [Int] = []
        for i in 0..<count where include(i) {
            if best.count == limit, let last = best.last, !before(i, last) { continue }
            let at = best.firstIndex { before(i, $0) } ?? best.count
            best.insert(i, at: at)
            if best.count > limit { best.removeLast() }
        }
        // P(alive) only from a model that found dropout: otherwise it is 100 % for everyone and says nothing.
        let showAlive = model.dropoutFound
        return best.enumerated().map { r, i in
            CustomerListEntry(rank: r + 1, userId: book.userIds[i], lifetimeValue: Money(hundredths: book.spent[i]),
                              totalOrders: Int(book.sales[i]), daysSinceLastOrder: daysSince(i),
                              rfmGroup: RFMGroup.ordered[Int(group[i])], action: nil,
                              probabilityAlive: pAlive[i].isNaN || !showAlive ? nil : pAlive[i])
        }
    }

    /// The acquisition cohorts, oldest first, each with a column for every month up to the as-of month.
    public var cohorts: [CohortRow] {
        let asOfMonth = CustomerSales.month(book.asOf.epochDay)
        return book.cohortBuyers.keys.sorted().map { m in
            var row = book.cohortBuyers[m]!.map(Int.init)
            let width = Int(asOfMonth - m) + 1
            if row.count < width { row += [Int](repeating: 0, count: width - row.count) }
            return CohortRow(month: ShopDay(year: Int(m / 12), month: Int(m % 12) + 1, day: 1), buyers: row)
        }
    }

    /// Loyalty, referral and repeat-purchase figures (README, "Program summaries").
    public var programFigures: [ProgramFigure] {
        let b = book
        var earned: Int64 = 0, redeemed: Int64 = 0, value: Int64 = 0, withPoints = 0
        var withSales = 0, repeaters = 0
        var referredCustomers = 0, referredBuyers = 0, referredRevenue: Int64 = 0, referredSales = 0
        for i in 0..<count {
            earned += b.pointsEarned[i]; redeemed += b.pointsRedeemed[i]; value += b.loyaltyValue[i]
            if b.pointsEarned[i] > 0 { withPoints += 1 }
            if b.sales[i] > 0 { withSales += 1 }
            if b.sales[i] > 1 { repeaters += 1 }
            if b.referred[i] {
                referredCustomers += 1; referredRevenue += b.spent[i]; referredSales += Int(b.sales[i])
                if b.sales[i] > 0 { referredBuyers += 1 }
            }
        }
        func c(_ p: String, _ f: String, _ v: Int) -> ProgramFigure { ProgramFigure(program: p, figure: f, count: Int64(v)) }
        func c64(_ p: String, _ f: String, _ v: Int64) -> ProgramFigure { ProgramFigure(program: p, figure: f, count: v) }
        func a(_ p: String, _ f: String, _ v: Int64) -> ProgramFigure { ProgramFigure(program: p, figure: f, amount: Money(hundredths: v)) }
        func s(_ p: String, _ f: String, _ n: Int, _ d: Int) -> ProgramFigure {
            ProgramFigure(program: p, figure: f, share: d > 0 ? Double(n) / Double(d) : nil)
        }
        let made = b.referralsByStatus.values.reduce(0, +)
        let completed = b.referralsByStatus["COMPLETED"] ?? 0
        return [
            c("customers", "customers", count), c("customers", "customers_with_sales", withSales),
            c("customers", "repeat_customers", repeaters), s("customers", "repeat_purchase_rate", repeaters, withSales),
            c("customers", "sales_counted", b.salesCounted), c("customers", "sales_of_non_customers", b.salesOfNonCustomers),
            c64("loyalty", "points_earned", earned), c64("loyalty", "points_redeemed", redeemed),
            a("loyalty", "value_redeemed", value), c("loyalty", "customers_with_points", withPoints),
            c("loyalty", "sales_using_points", b.salesWithPoints), s("loyalty", "share_of_sales_using_points", b.salesWithPoints, b.salesCounted),
            c("referral", "referrals_made", made), c("referral", "completed", completed),
            c("referral", "pending", b.referralsByStatus["PENDING"] ?? 0), c("referral", "expired", b.referralsByStatus["EXPIRED"] ?? 0),
            c("referral", "cancelled", b.referralsByStatus["CANCELLED"] ?? 0), s("referral", "conversion", completed, made),
            a("referral", "bonuses_paid", b.referralBonuses), c64("referral", "bonus_points", b.referralBonusPoints),
            c("referral", "referred_customers", referredCustomers), c("referral", "referred_customers_with_sales", referredBuyers),
            c("referral", "sales_from_referred", referredSales), a("referral", "revenue_from_referred", referredRevenue),
        ]
    }

    /// Expected sales of all customers in the next 30 and 90 days (model estimates; 0 without a model).
    public var expectedSales: (next30: Double, next90: Double) {
        var a = 0.0, b = 0.0
        for i in 0..<count where !e30[i].isNaN { a += e30[i]; b += e90[i] }
        return (a, b)
    }
}

/// How `CustomerBook.analysis` fits the purchase and spend models (README, "Settled fits").
public struct ModelFitting: Sendable {
    /// Settle every fit (Nelder–Mead, then Newton and a rounding grid); false: Nelder–Mead only, the figures as before.
    public var settled: Bool
    /// The last fit's parameters to start from (settled fits only); nil: from all-ones.
    public var lastPurchases: BGNBDParameters?
    public var lastSpend: GammaGammaParameters?
    /// The last run's model check fit (`bg_nbd_check`), fitted on the sales up to its own cutoff.
    public var lastCheck: BGNBDParameters?

    public init(settled: Bool, lastPurchases: BGNBDParameters? = nil, lastSpend: GammaGammaParameters? = nil,
                lastCheck: BGNBDParameters? = nil) {
        self.settled = settled; self.lastPurchases = lastPurchases; self.lastSpend = lastSpend; self.lastCheck = lastCheck
    }

    /// Nelder–Mead from all-ones.
    public static let nelderMead = ModelFitting(settled: false)

    var purchases: FitMethod<BGNBDParameters> { settled ? .settled(from: lastPurchases) : .nelderMead }
    var spend: FitMethod<GammaGammaParameters> { settled ? .settled(from: lastSpend) : .nelderMead }
    var check: FitMethod<BGNBDParameters> { settled ? .settled(from: lastCheck) : .nelderMead }
}

extension CustomerBook {
    /// Computes every figure. The model is fitted when at least `minimumCustomersForModel` customers have a sale and
    /// at least one bought on two different days; the spend model when as many repeat customers have a positive
    /// repeat spend; both as `fitting` says.
    public func analysis(rules: CustomerRules = CustomerRules(), minimumCustomersForModel: Int = 10,
                         fitting: ModelFitting = .nelderMead) -> CustomerAnalysis {
        if !pending.isEmpty {
            var closed = self
            closed.closeSales()
            return closed.analysis(rules: rules, minimumCustomersForModel: minimumCustomersForModel, fitting: fitting)
        }
        // The model check fits a model of its own on the sales up to its cutoff: on another thread, while this one scores
        // the customers and fits the model (each fit alone is the same sequence of steps, so no figure changes).
        var (checked, scored) = concurrently({ modelCheck(rules: rules, minimumCustomers: minimumCustomersForModel, method: fitting.check) },
                                             { scoredAndFitted(rules: rules, minimumCustomersForModel: minimumCustomersForModel, fitting: fitting) })
        (scored.model.check, scored.model.checkNote) = checked
        return scored
    }

    /// Every figure but the model check (`analysis`).
    private func scoredAndFitted(rules: CustomerRules, minimumCustomersForModel: Int, fitting: ModelFitting) -> CustomerAnalysis {
        let n = count
        let buyers = (0..<n).filter { sales[$0] > 0 }
        var days = [Int64](repeating: 0, count: n)
        for i in 0..<n { days[i] = Int64(max(0, asOf.epochDay - (sales[i] > 0 ? lastDay[i] : joinedDay[i]))) }
        let rScore = QuintileScorer(buyers.map { days[$0] })
        let fScore = QuintileScorer(buyers.map { Int64(sales[$0]) })
        let mScore = QuintileScorer(buyers.map { spent[$0] })
        var rfmR = [UInt8](repeating: 0, count: n), rfmF = rfmR, rfmM = rfmR, segments = rfmR
        var group = [UInt8](repeating: RFMGroup.prospects.code, count: n)
        for i in 0..<n {
            var bits: UInt8 = 0
            if vip[i] > 0 { bits |= CustomerSegment.vip.bit }
            if subscribed[i] { bits |= CustomerSegment.subscribed.bit }
            if spent[i] >= rules.highValue.hundredths { bits |= CustomerSegment.highValue.bit }
            if sales[i] > 0 {
                if days[i] >= Int64(rules.churnDays) { bits |= CustomerSegment.churnRisk.bit }
                if days[i] >= Int64(rules.inactiveDays) { bits |= CustomerSegment.inactive.bit }
                if asOf.epochDay - firstDay[i] < Int32(rules.newDays) { bits |= CustomerSegment.new.bit }
                let s = RFMScore(r: rScore.lowerIsBetter(days[i]), f: fScore.higherIsBetter(Int64(sales[i])),
                                 m: mScore.higherIsBetter(spent[i]))
                rfmR[i] = UInt8(s.r); rfmF[i] = UInt8(s.f); rfmM[i] = UInt8(s.m)
                group[i] = RFMGroup.of(s, sales: Int(sales[i])).code
            }
            segments[i] = bits
        }

        // The model: BG/NBD on every customer with a sale (one-time buyers included with frequency 0), Gamma-Gamma
        // on repeat customers; one-time buyers get the population mean purchase value.
        var pAlive = [Double](repeating: .nan, count: n), e30 = pAlive, e90 = pAlive, value = pAlive, clv = pAlive
        var fit = CustomerModelFit()
        func historyOf(_ i: Int) -> PurchaseHistory {
            PurchaseHistory(frequency: Int(purchaseDays[i]) - 1, recency: Double(lastDay[i] - firstDay[i]), age: Double(asOf.epochDay - firstDay[i]))
        }
        var histogram = PurchaseHistogram()
        // Each buyer's place in the histogram, found once as it is built.
        let slots = buyers.map { histogram.add(historyOf($0)) }
        let repeatBuyers = buyers.filter { purchaseDays[$0] > 1 }
        // Fitted once: a fit that did not converge, or ran beyond what can be computed, is kept with its note below.
        let enough = buyers.count >= minimumCustomersForModel && !repeatBuyers.isEmpty
        let fitted = enough ? BGNBD.fit(histogram, method: fitting.purchases) : nil
        if !enough {
            fit.note = "not fitted: \(buyers.count) customers with a sale, \(repeatBuyers.count) who bought on two different days (needs \(minimumCustomersForModel) and 1)"
        } else if let bg = fitted, bg.converged, bg.parameters.isComputable {
            fit.purchases = bg
            if !bg.parameters.findsDropout {
                fit.note = "no dropout found: a = \(String(format: "%.4g", bg.parameters.a)), a / (a + b) = \(String(format: "%.4g", bg.parameters.a / (bg.parameters.a + bg.parameters.b))), b = \(String(format: "%.4g", bg.parameters.b)); P(alive) and CLV are not shown"
            }
            // Each customer's mean repeat value, capped so that one huge order cannot dominate the spend model.
            let rawMeans = repeatBuyers.map { Double(spent[$0] - firstDaySpend[$0]) / 100 / Double(purchaseDays[$0] - 1) }
            let cap = GammaGamma.valueCap(rawMeans.filter { $0 > 0 }) ?? .infinity
            fit.spendValueCap = cap.isFinite ? cap : nil
            func meanRepeatValue(_ i: Int) -> Double { min(Double(spent[i] - firstDaySpend[i]) / 100 / Double(purchaseDays[i] - 1), cap) }
            let spends = repeatBuyers.map { RepeatSpend(frequency: Int(purchaseDays[$0]) - 1, meanValue: meanRepeatValue($0)) }
                .filter { $0.meanValue > 0 }
            var gg: GammaGammaParameters?
            if spends.count >= minimumCustomersForModel, let g = GammaGamma.fit(spends, method: fitting.spend) {
                fit.spend = g
                if g.converged && g.parameters.q > 1 { gg = g.parameters } else {
                    fit.spendNote = "not used: it did not converge or q <= 1 (infinite mean)"
                }
            } else {
                fit.spendNote = "not fitted: \(spends.count) repeat customers with a positive repeat spend (needs \(minimumCustomersForModel))"
            }
            // Each distinct history's predictions once, the histories shared between the cores: each prediction is a
            // function of the parameters and the history alone, so the split changes no bit. The expectations'
            // hypergeometric series depend on the frequency and the age only: each (frequency, age) pair's numerators
            // for months 1...12 are computed once (at 1M orders some 14k pairs for 61k histories), and a history's
            // expectation is its pair's numerator over its own denominator, as `BGNBD.expectedPurchases` divides them.
            let parameters = bg.parameters, rate = rules.monthlyDiscountRate
            let months = 12, unitsPerMonth = 30.0
            var shapes = PurchaseHistogram()  // the (frequency, age) pairs, as histories with recency 0
            let histories = histogram.histories
            let shapeOf = histories.map { shapes.add(PurchaseHistory(frequency: $0.frequency, recency: 0, age: $0.age)) }
            let numerators = parallelMap(shapes.histories) { s in
                (1...months).map { m in BGNBD.expectedPurchasesNumerator(parameters, next: Double(m) * unitsPerMonth, frequency: s.frequency, age: s.age) }
            }
            // The expected purchases in 30 and 90 days are those of months 1 and 3.
            let predicted = parallelMap(Array(histories.indices)) { k in
                let h = histories[k], numerator = numerators[shapeOf[k]]
                let denominator = BGNBD.expectedPurchasesDenominator(parameters, h)
                return (BGNBD.probabilityAlive(parameters, h), numerator[0] / denominator, numerator[2] / denominator,
                        BGNBD.discountedPurchases(months: months, monthlyDiscountRate: rate) { m in numerator[m - 1] / denominator })
            }
            for (k, i) in buyers.enumerated() {
                let h = historyOf(i)
                let p = predicted[slots[k]]
                pAlive[i] = p.0; e30[i] = p.1; e90[i] = p.2
                if let gg {
                    let v = GammaGamma.expectedValue(gg, frequency: h.frequency, meanValue: h.frequency > 0 ? meanRepeatValue(i) : 0)
                    value[i] = v
                    clv[i] = v * p.3
                }
            }
        } else {
            fit.purchases = fitted
            fit.note = fitted.map { $0.converged && !$0.parameters.isComputable } == true
                ? "ran beyond what can be computed (a parameter above 10^13: the shop's sales do not identify the model); no predictions"
                : "did not converge; no predictions"
        }
        if fit.purchases?.converged != true && fit.spendNote == nil { fit.spendNote = "not fitted: the purchase model was not fitted" }
        return CustomerAnalysis(book: self, rules: rules, rfmR: rfmR, rfmF: rfmF, rfmM: rfmM, group: group, segmentBits: segments,
                                pAlive: pAlive, e30: e30, e90: e90, value: value, clv: clv, model: fit)
    }
}
