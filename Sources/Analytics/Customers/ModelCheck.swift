import Foundation
import Shop

/// The purchase model checked on the shop's own history (README, "Purchase and spend model"): BG/NBD fitted on the
/// sales up to `fittedTo` (the as-of day minus `horizonDays`), its expected purchase days in the `horizonDays` days
/// after, against the purchase days that happened, overall and by how many days each customer had bought on by
/// `fittedTo`; and how well each way of flagging customers at risk on `fittedTo` found the ones who then bought
/// nothing. Only customers with a sale by `fittedTo` take part (the model predicts nothing for customers it has not
/// met).
public struct ModelCheck: Sendable {
    /// At most 32: `CustomerSales` keeps a user's purchase days of the last `horizonDays` days in the bits of a UInt32.
    public static let horizonDays = 30

    /// One line of the check. `predicted` is nil on the at-risk lines.
    public struct Row: Sendable, Equatable {
        public var label: String
        public var customers: Int
        /// Expected purchase days in the horizon (sum over the customers).
        public var predicted: Double?
        /// Purchase lines: purchase days that happened in the horizon. At-risk lines: customers flagged who bought
        /// nothing in the horizon.
        public var actual: Int
        public init(label: String, customers: Int, predicted: Double?, actual: Int) {
            self.label = label; self.customers = customers; self.predicted = predicted; self.actual = actual
        }
    }

    public var fittedTo: ShopDay
    /// The fit on the shorter history.
    public var fit: BGNBDFit
    /// "All customers" first, then by purchase days up to `fittedTo`: 1, 2, 3–4, 5–8, 9 or more.
    public var purchases: [Row]
    /// "All customers" (actual: those who bought nothing in the horizon), then the customers flagged by the no-sale
    /// rule on `fittedTo`, then (when the fit found dropout) those the model gave a chance below 50 % of still buying.
    public var atRisk: [Row]

    /// The purchase-day groups: lower bound and label.
    static let groups: [(from: Int, label: String)] = [
        (1, "Bought on 1 day"), (2, "Bought on 2 days"), (3, "Bought on 3–4 days"), (5, "Bought on 5–8 days"), (9, "Bought on 9 days or more"),
    ]

    static func group(purchaseDays: Int) -> Int { groups.lastIndex { purchaseDays >= $0.from } ?? 0 }
}

extension CustomerBook {
    /// The model check, or why there is none (`minimumCustomers` with a sale by the cutoff, one of whom bought on two
    /// days, and a fit that converges), the check's purchase model fitted as `method` says.
    func modelCheck(rules: CustomerRules, minimumCustomers: Int, method: FitMethod<BGNBDParameters>) -> (check: ModelCheck?, note: String?) {
        let cutoff = checkCutoff.epochDay
        let buyers = (0..<count).filter { purchaseDaysAtCutoff[$0] > 0 }
        let repeaters = buyers.lazy.filter { self.purchaseDaysAtCutoff[$0] > 1 }.count
        guard buyers.count >= minimumCustomers, repeaters > 0 else {
            return (nil, "not run: \(buyers.count) customers with a sale by \(checkCutoff.iso), \(repeaters) who bought on two different days (needs \(minimumCustomers) and 1)")
        }
        func history(_ i: Int) -> PurchaseHistory {
            PurchaseHistory(frequency: Int(purchaseDaysAtCutoff[i]) - 1, recency: Double(lastDayAtCutoff[i] - firstDay[i]),
                            age: Double(cutoff - firstDay[i]))
        }
        var histogram = PurchaseHistogram()
        let slots = buyers.map { histogram.add(history($0)) }
        guard let fit = BGNBD.fit(histogram, method: method), fit.converged else {
            return (nil, "not run: the fit on the sales up to \(checkCutoff.iso) did not converge")
        }
        guard fit.parameters.isComputable else {
            return (nil, "not run: the fit on the sales up to \(checkCutoff.iso) ran beyond what can be computed (a parameter above 10^13)")
        }
        let horizon = Double(ModelCheck.horizonDays)
        let dropout = fit.parameters.findsDropout
        var predicted = [Double](repeating: 0, count: ModelCheck.groups.count)
        var actual = [Int](repeating: 0, count: predicted.count), customers = actual
        var quiet = 0, ruleFlagged = 0, ruleQuiet = 0, modelFlagged = 0, modelQuiet = 0
        // Each distinct history's predictions once, by its place in the histogram.
        var cache = [(expected: Double, alive: Double)?](repeating: nil, count: histogram.histories.count)
        // In a fixed order (by customer), so the sums are the same on every run.
        for (k, i) in buyers.enumerated() {
            let p: (expected: Double, alive: Double)
            if let hit = cache[slots[k]] { p = hit } else {
                let h = history(i)
                p = (BGNBD.expectedPurchases(fit.parameters, next: horizon, h), BGNBD.probabilityAlive(fit.parameters, h))
                cache[slots[k]] = p
            }
            let after = Int(purchaseDays[i] - purchaseDaysAtCutoff[i])
            let g = ModelCheck.group(purchaseDays: Int(purchaseDaysAtCutoff[i]))
            predicted[g] += p.expected; actual[g] += after; customers[g] += 1
            if after == 0 { quiet += 1 }
            if Int(cutoff - lastDayAtCutoff[i]) >= rules.churnDays {
                ruleFlagged += 1
                if after == 0 { ruleQuiet += 1 }
            }
            if dropout && p.alive < 0.5 {
                modelFlagged += 1
                if after == 0 { modelQuiet += 1 }
            }
        }
        var purchases = [ModelCheck.Row(label: "All customers", customers: buyers.count, predicted: predicted.reduce(0, +),
                                        actual: actual.reduce(0, +))]
        for (k, g) in ModelCheck.groups.enumerated() where customers[k] > 0 {
            purchases.append(ModelCheck.Row(label: g.label, customers: customers[k], predicted: predicted[k], actual: actual[k]))
        }
        var atRisk = [ModelCheck.Row(label: "All customers", customers: buyers.count, predicted: nil, actual: quiet),
                      ModelCheck.Row(label: "No sale for \(rules.churnDays) days or more", customers: ruleFlagged, predicted: nil, actual: ruleQuiet)]
        if dropout {
            atRisk.append(ModelCheck.Row(label: "Purchase model: chance still active below 50 %", customers: modelFlagged, predicted: nil,
                                         actual: modelQuiet))
        }
        return (ModelCheck(fittedTo: checkCutoff, fit: fit, purchases: purchases, atRisk: atRisk), nil)
    }
}
