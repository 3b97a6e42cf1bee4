import Foundation
import Shop

/// One customer's purchase history as the BG/NBD model sees it (Fader, Hardie & Lee 2005):
/// `frequency` = repeat purchases (purchase periods after the first), `recency` = time from the first to the last
/// purchase, `age` (T) = time from the first purchase to the end of observation. Times in one unit (this project
/// uses days; the CDNOW reference data uses weeks).
public struct PurchaseHistory: Hashable, Sendable {
    public var frequency: Int
    public var recency: Double
    public var age: Double
    public init(frequency: Int, recency: Double, age: Double) { self.frequency = frequency; self.recency = recency; self.age = age }
}

/// BG/NBD parameters: purchase rate ~ Gamma(r, alpha), dropout probability ~ Beta(a, b).
public struct BGNBDParameters: Sendable, Equatable {
    public var r: Double, alpha: Double, a: Double, b: Double
    public init(r: Double, alpha: Double, a: Double, b: Double) { self.r = r; self.alpha = alpha; self.a = a; self.b = b }

    /// Whether the parameters describe customers who stop buying (README, "Purchase and spend model"): a at least
    /// 0.0001, a mean chance of stopping after a purchase, a / (a + b), of at least 0.001, and b below 10,000. Below
    /// the first two the fit has found no dropout (a -> 0 drives every P(alive) to 1); a b that large means the fit
    /// ran off towards infinity (not identified). Either way what the model says about who has left is empty.
    public var findsDropout: Bool { a >= 1e-4 && a / (a + b) >= 1e-3 && b < 1e4 }

    /// Whether predictions can be computed from the parameters (README, "Purchase and spend model"): each at most
    /// 10^13. Beyond that the log-likelihood's lgamma terms (about r log r) carry rounding errors above 0.1 and the
    /// expectations' powers (1 - t / (alpha + T + t))^(r + x) lose their digits: at r = 2e17 a fit on 31 customers
    /// "converged" at a log-likelihood of 0.0 and its expected sales were noise wider than any column. A fit on a small
    /// or very regular shop runs that way when a limit of the model (no spread in purchase rates) fits best; fits up to
    /// r = 7e11 (twelve customers buying every Monday) still compute to a few digits and keep their predictions.
    public var isComputable: Bool { [r, alpha, a, b].allSatisfy { $0.isFinite && $0 > 0 && $0 <= 1e13 } }
}

/// A maximum-likelihood fit and how it went.
public struct BGNBDFit: Sendable {
    public var parameters: BGNBDParameters
    /// Total log-likelihood of the data at the fitted parameters, in the data's own time unit.
    public var logLikelihood: Double
    /// Customers the fit used (sum of the histogram counts).
    public var customers: Int
    /// Distinct (frequency, recency, age) triples: what one likelihood evaluation costs.
    public var distinctHistories: Int
    public var converged: Bool
    /// Likelihood evaluations (Nelder–Mead) and, for a settled fit, gradient evaluations (Newton).
    public var evaluations: Int
    public var gradientEvaluations: Int = 0
    /// How the fit started (always cold for a Nelder–Mead-only fit).
    public var start: FitStart = .cold
}

/// Purchase histories grouped into a histogram: customers with the same triple share one likelihood term, so a
/// fit costs O(distinct triples) per evaluation, not O(customers). Logs and log-gammas are further shared across
/// triples with the same frequency, recency or age.
///
/// Histories are kept in the order they were first added. They are found by an open-addressing table of their own
/// (linear probing, at most half full) with a cheap mix of the three fields: a `Dictionary` keyed by the history ran
/// SipHash over three words for each of a million customers, and resized as it grew. Equality is the history's `==`,
/// as a dictionary's (so 0 and -0 are one key, and a NaN history never matches: each is a key of its own).
public struct PurchaseHistogram: Sendable {
    public private(set) var histories: [PurchaseHistory] = []
    public private(set) var counts: [Double] = []
    private var table = SlotTable()

    public init() {}

    public init<S: Sequence>(_ histories: S) where S.Element == PurchaseHistory {
        for h in histories { add(h) }
    }

    /// Adds `count` customers with history `h`; returns where `h` is in `histories`.
    @discardableResult
    public mutating func add(_ h: PurchaseHistory, count: Double = 1) -> Int {
        let (i, isNew) = histories.withUnsafeBufferPointer { known in
            table.findOrAdd(hash: PurchaseHistogram.hash(h), count: known.count,
                            hashOf: { PurchaseHistogram.hash(known[$0]) }, matches: { known[$0] == h })
        }
        if isNew {
            self.histories.append(h)
            counts.append(count)
        } else {
            counts[i] += count
        }
        return i
    }

    /// Where `h` is in `histories`, if it is there.
    public func slot(of h: PurchaseHistory) -> Int? {
        table.find(hash: PurchaseHistogram.hash(h)) { histories[$0] == h }
    }

    /// Equal histories hash alike: -0 is hashed as 0 (adding 0 turns -0 into 0 and leaves every other value as it is).
    /// Each field is folded in with `splitMix64`, so that the high bits where a whole number of days differs from the
    /// next reach the low bits the table is indexed by.
    private static func hash(_ h: PurchaseHistory) -> Int {
        var x = splitMix64(UInt64(bitPattern: Int64(h.frequency)) &+ 0x9E37_79B9_7F4A_7C15)
        x = splitMix64(x ^ (h.recency + 0).bitPattern)
        x = splitMix64(x ^ (h.age + 0).bitPattern)
        return Int(truncatingIfNeeded: x)
    }

    public var customers: Double { counts.reduce(0, +) }
    public var isEmpty: Bool { histories.isEmpty }
}

/// The BG/NBD model: likelihood, fit and per-customer predictions, with the closed forms of Fader, Hardie & Lee
/// (2005) as the `lifetimes` Python package implements them. Everything in log space; `lgamma` throughout.
public enum BGNBD {
    /// Log-likelihood of one customer (FHL 2005, eq. 6).
    public static func logLikelihood(_ p: BGNBDParameters, _ h: PurchaseHistory) -> Double {
        let x = Double(h.frequency)
        let a1 = lgamma(p.r + x) - lgamma(p.r) + p.r * log(p.alpha)
        let a2 = lgamma(p.a + p.b) + lgamma(p.b + x) - lgamma(p.b) - lgamma(p.a + p.b + x)
        let a3 = -(p.r + x) * log(p.alpha + h.age)
        let a4 = h.frequency > 0 ? log(p.a) - log(p.b + x - 1) - (p.r + x) * log(p.alpha + h.recency) : -Double.infinity
        return a1 + a2 + logAddExp(a3, a4)
    }

    /// Total log-likelihood of a histogram.
    public static func logLikelihood(_ p: BGNBDParameters, _ data: PurchaseHistogram) -> Double {
        Evaluator(data).logLikelihood(p)
    }

    /// Maximum-likelihood fit by Nelder–Mead on the log-parameters, starting from all parameters 1, or as `method`
    /// says (a settled fit, perhaps warm-started: README, "Settled fits"). Times are rescaled so the oldest customer
    /// has age 10 while fitting (as `lifetimes` does, for conditioning); the returned parameters and log-likelihood are
    /// in the data's own unit.
    /// `coarseStartFrom` is the number of distinct histories from which a cold settled fit starts from a coarser
    /// histogram's optimum (`coarseStart`).
    public static func fit(_ data: PurchaseHistogram, method: FitMethod<BGNBDParameters> = .nelderMead,
                           coarseStartFrom: Int = coarseStartMinimum) -> BGNBDFit? {
        guard !data.isEmpty else { return nil }
        let maxAge = data.histories.map(\.age).max() ?? 0
        let scale = maxAge > 0 ? 10 / maxAge : 1
        // In a fixed order, not the order customers arrived in: sums of doubles in another order are other numbers,
        // and a rerun must reproduce the fit to the last bit.
        var scaled = PurchaseHistogram()
        let order = data.histories.indices.sorted {
            let a = data.histories[$0], b = data.histories[$1]
            return (a.frequency, a.recency, a.age) < (b.frequency, b.recency, b.age)
        }
        for (h, c) in order.map({ (data.histories[$0], data.counts[$0]) }) {
            scaled.add(PurchaseHistory(frequency: h.frequency, recency: h.recency * scale, age: h.age * scale), count: c)
        }
        let evaluator = Evaluator(scaled)
        let total = data.customers
        func parameters(_ v: [Double]) -> BGNBDParameters { BGNBDParameters(r: exp(v[0]), alpha: exp(v[1]), a: exp(v[2]), b: exp(v[3])) }
        let objective: ([Double]) -> Double = { v in -evaluator.logLikelihood(parameters(v)) / total }
        var result: NelderMead.Result
        var start = FitStart.cold
        var settledBy = 0
        switch method {
        case .nelderMead:
            result = NelderMead.minimize(objective, start: [0, 0, 0, 0])
        case .settled(let previous):
            let gradient: ([Double]) -> [Double] = { v in
                let p = parameters(v)
                let g = evaluator.gradient(p)
                return [-g[0] * p.r / total, -g[1] * p.alpha / total, -g[2] * p.a / total, -g[3] * p.b / total]
            }
            let warm = previous.map { [log($0.r), log($0.alpha * scale), log($0.a), log($0.b)] }
            let coarse = BGNBD.coarseStart(scaled, customers: total, from: coarseStartFrom)
            let outcome = settledMinimum(objective, gradient, warmFrom: warm, nearOptimum: coarse, dimension: 4,
                                         margin: SettledFit.purchaseModelMargin)
            (result, start, settledBy) = (outcome.result, outcome.start, outcome.gradientEvaluations)
        }
        let v = result.point
        let params = BGNBDParameters(r: exp(v[0]), alpha: exp(v[1]) / scale, a: exp(v[2]), b: exp(v[3]))
        var sorted = PurchaseHistogram()
        for i in order { sorted.add(data.histories[i], count: data.counts[i]) }
        return BGNBDFit(parameters: params, logLikelihood: Evaluator(sorted).logLikelihood(params), customers: Int(total.rounded()),
                        distinctHistories: data.histories.count, converged: result.converged && result.value.isFinite,
                        evaluations: result.evaluations, gradientEvaluations: settledBy, start: start)
    }

    /// Histograms with at least this many distinct histories start a cold settled fit from a coarser histogram's optimum.
    public static let coarseStartMinimum = 20_000

    /// Where a cold settled fit of `scaled` (times rescaled so the oldest customer has age 10) may start Newton's method:
    /// the Nelder–Mead optimum of the same customers with recency and age rounded to 1/8 (nine days on two years of
    /// sales), which has a small fraction of the distinct histories, so each evaluation costs a small fraction. At a
    /// million customers Nelder–Mead on the full histogram took most of a fit's time. nil below `minimum` histories.
    static func coarseStart(_ scaled: PurchaseHistogram, customers total: Double,
                            from minimum: Int) -> (() -> (point: [Double], evaluations: Int))? {
        guard scaled.histories.count >= minimum else { return nil }
        return {
            func coarser(_ t: Double) -> Double { (t * 8).rounded() / 8 }
            var coarse = PurchaseHistogram()
            for (h, c) in zip(scaled.histories, scaled.counts) {
                coarse.add(PurchaseHistory(frequency: h.frequency, recency: coarser(h.recency), age: coarser(h.age)), count: c)
            }
            let evaluator = Evaluator(coarse)
            let objective: ([Double]) -> Double = { v in
                -evaluator.logLikelihood(BGNBDParameters(r: exp(v[0]), alpha: exp(v[1]), a: exp(v[2]), b: exp(v[3]))) / total
            }
            let r = NelderMead.minimize(objective, start: [0, 0, 0, 0], valueTolerance: 1e-10, pointTolerance: 1e-5)
            return (r.point, r.evaluations)
        }
    }

    /// P(alive | history): the probability the customer has not dropped out (1 for a customer with no repeat purchase,
    /// as in the model: dropout can only happen right after a purchase).
    public static func probabilityAlive(_ p: BGNBDParameters, _ h: PurchaseHistory) -> Double {
        guard h.frequency > 0 else { return 1 }
        let x = Double(h.frequency)
        let logRatio = log(p.a / (p.b + x - 1)) + (p.r + x) * log((p.alpha + h.age) / (p.alpha + h.recency))
        return 1 / (1 + exp(logRatio))
    }

    /// Expected purchases in the next `t` time units given the history (FHL 2005, eq. 10), as `lifetimes`'
    /// `conditional_expected_number_of_purchases_up_to_time`. Uses the Gauss hypergeometric function 2F1.
    public static func expectedPurchases(_ p: BGNBDParameters, next t: Double, _ h: PurchaseHistory) -> Double {
        guard t > 0 else { return 0 }
        return expectedPurchasesNumerator(p, next: t, frequency: h.frequency, age: h.age) / expectedPurchasesDenominator(p, h)
    }

    /// The numerator of `expectedPurchases` (t > 0): everything but the recency, so customers with the same frequency
    /// and age share it, and with it the hypergeometric series, the cost of an expectation.
    static func expectedPurchasesNumerator(_ p: BGNBDParameters, next t: Double, frequency: Int, age: Double) -> Double {
        let x = Double(frequency)
        let ha = p.r + x, hb = p.b + x, hc = p.a + p.b + x - 1
        let z = t / (p.alpha + age + t)
        let logHyp = Hypergeometric.log2F1(ha, hb, hc, z)
        let first = (p.a + p.b + x - 1) / (p.a - 1)
        let second = -expm1(logHyp + (p.r + x) * log((p.alpha + age) / (p.alpha + t + age)))
        return first * second
    }

    /// The denominator of `expectedPurchases`, which does not depend on the horizon.
    static func expectedPurchasesDenominator(_ p: BGNBDParameters, _ h: PurchaseHistory) -> Double {
        var denominator = 1.0
        if h.frequency > 0 {
            let x = Double(h.frequency)
            denominator += (p.a / (p.b + x - 1)) * exp((p.r + x) * log((p.alpha + h.age) / (p.alpha + h.recency)))
        }
        return denominator
    }

    /// Sum over the next `months` months of the expected purchases in month m divided by (1 + rate)^m: multiplied
    /// by the expected value of a purchase it gives the discounted CLV, as `lifetimes`' `customer_lifetime_value`
    /// computes it. `unitsPerMonth`: 30 for days (this project), 4.345 for weeks.
    public static func discountedPurchases(_ p: BGNBDParameters, _ h: PurchaseHistory, months: Int, unitsPerMonth: Double,
                                           monthlyDiscountRate rate: Double) -> Double {
        discountedPurchases(months: months, monthlyDiscountRate: rate) { m in expectedPurchases(p, next: Double(m) * unitsPerMonth, h) }
    }

    /// `discountedPurchases` with the expected purchases up to the end of month m given by `upTo(m)`.
    static func discountedPurchases(months: Int, monthlyDiscountRate rate: Double, upTo: (Int) -> Double) -> Double {
        var total = 0.0
        var previous = 0.0
        for m in 1...max(months, 1) {
            let e = upTo(m)
            total += (e - previous) / pow(1 + rate, Double(m))
            previous = e
        }
        return total
    }

    /// Shares the expensive pieces of the likelihood across triples.
    struct Evaluator {
        let freqs: [Int]            // distinct frequencies
        let recencies: [Double]     // distinct recencies
        let ages: [Double]          // distinct ages
        let fi: [Int32], ri: [Int32], ai: [Int32]
        let counts: [Double]

        init(_ data: PurchaseHistogram) {
            func index<T: Hashable & Comparable>(_ values: [T]) -> ([T], [Int32]) {
                let distinct = Array(Set(values)).sorted()
                var at: [T: Int32] = [:]
                for (i, v) in distinct.enumerated() { at[v] = Int32(i) }
                return (distinct, values.map { at[$0]! })
            }
            (freqs, fi) = index(data.histories.map(\.frequency))
            (recencies, ri) = index(data.histories.map(\.recency))
            (ages, ai) = index(data.histories.map(\.age))
            counts = data.counts
        }

        func logLikelihood(_ p: BGNBDParameters) -> Double {
            let base = p.r * log(p.alpha) - lgamma(p.r) + lgamma(p.a + p.b) - lgamma(p.b)
            let perFreq = freqs.map { f -> (Double, Double, Double) in
                let x = Double(f)
                let common = lgamma(p.r + x) + lgamma(p.b + x) - lgamma(p.a + p.b + x)
                let dropout = f > 0 ? log(p.a) - log(p.b + x - 1) : -Double.infinity
                return (common, dropout, p.r + x)
            }
            let logAge = ages.map { log(p.alpha + $0) }
            let logRecency = recencies.map { log(p.alpha + $0) }
            var total = 0.0
            for k in counts.indices {
                let (common, dropout, rx) = perFreq[Int(fi[k])]
                let a3 = -rx * logAge[Int(ai[k])]
                let a4 = dropout - rx * logRecency[Int(ri[k])]
                total += counts[k] * (base + common + logAddExp(a3, a4))
            }
            return total
        }

        /// The gradient of `logLikelihood` with respect to (r, alpha, a, b).
        func gradient(_ p: BGNBDParameters) -> [Double] {
            let psiR = digamma(p.r), psiAB = digamma(p.a + p.b), psiB = digamma(p.b)
            let perFreq = freqs.map { f -> (dr: Double, da: Double, db: Double, dropout: Double, rx: Double, bx: Double) in
                let x = Double(f)
                let psiABX = digamma(p.a + p.b + x)
                return (digamma(p.r + x) - psiR, psiAB - psiABX, psiAB - psiB + digamma(p.b + x) - psiABX,
                        f > 0 ? log(p.a) - log(p.b + x - 1) : -Double.infinity, p.r + x, p.b + x - 1)
            }
            let logAge = ages.map { log(p.alpha + $0) }
            let logRecency = recencies.map { log(p.alpha + $0) }
            var gr = 0.0, galpha = 0.0, ga = 0.0, gb = 0.0
            let logAlpha = log(p.alpha)
            for k in counts.indices {
                let q = perFreq[Int(fi[k])]
                let la = logAge[Int(ai[k])], lr = logRecency[Int(ri[k])]
                let a3 = -q.rx * la, a4 = q.dropout - q.rx * lr
                let w4 = a4 == -Double.infinity ? 0 : 1 / (1 + exp(a3 - a4))
                let w3 = 1 - w4
                let c = counts[k]
                gr += c * (logAlpha + q.dr - w3 * la - w4 * lr)
                galpha += c * (p.r / p.alpha - q.rx * (w3 / (p.alpha + ages[Int(ai[k])]) + w4 / (p.alpha + recencies[Int(ri[k])])))
                ga += c * (q.da + w4 / p.a)
                gb += c * (q.db - (w4 == 0 ? 0 : w4 / q.bx))
            }
            return [gr, galpha, ga, gb]
        }
    }
}

/// A settled fit (`SettledFit`): from `warmFrom` (the last fit's log-parameters) straight by Newton's method, or, when
/// there is none or the warm start fails, Nelder–Mead from all-ones to near the optimum and then Newton (README,
/// "Settled fits"). The warm start fails when the last parameters are not finite or beyond e^±25, when Newton fails
/// (a step longer than 1 in a log-parameter, a Hessian that is not positive definite, 30 steps without converging),
/// when the settled point lies within `margin` (`SettledFit.settle`) of a grid cell's edge, or when its likelihood is below that
/// at all-ones. A failed warm start's evaluations are counted in the cold fit's.
///
/// A cold fit first tries `nearOptimum` (a point found cheaply, such as a coarser histogram's optimum) the way a warm
/// start is tried: when it settles cleanly it gives the bits Nelder–Mead's point would have settled on (the same cell,
/// as neither is near its edge); otherwise Nelder–Mead runs as before. It is still a cold fit: the last fit is not used.
func settledMinimum(_ objective: ([Double]) -> Double, _ gradient: ([Double]) -> [Double], warmFrom: [Double]?,
                    nearOptimum: (() -> (point: [Double], evaluations: Int))? = nil,
                    dimension: Int, margin: Double = SettledFit.margin) -> (result: NelderMead.Result, start: FitStart, gradientEvaluations: Int) {
    let allOnes = [Double](repeating: 0, count: dimension)
    var spent = 0, gradients = 0
    var why: String?
    var warmWasAmbiguous = false
    /// The settled point from `start`, with its value, unless it fails, is ambiguous or is worse than all-ones.
    func settledCleanly(from start: [Double]) -> (point: [Double], value: Double)? {
        let s = SettledFit.settle(gradient, from: start, margin: margin)
        gradients += s.gradientEvaluations
        guard s.failure == nil, !s.ambiguous else { return nil }
        spent += 2
        let value = objective(s.point)
        return value.isFinite && value <= objective(allOnes) ? (s.point, value) : nil
    }
    if let warm = warmFrom {
        if !warm.allSatisfy({ $0.isFinite && abs($0) <= 25 }) {
            why = "the last fit's parameters are outside the range a fit can start from"
        } else {
            let s = SettledFit.settle(gradient, from: warm, margin: margin)
            gradients = s.gradientEvaluations
            let value = s.failure == nil ? objective(s.point) : .nan
            spent = s.failure == nil ? 2 : 0
            if let failure = s.failure {
                why = failure
            } else if s.ambiguous {
                warmWasAmbiguous = true
                why = "it settled too close to the edge of a rounding cell to be sure a cold fit settles on the same point"
            } else if !value.isFinite || value > objective(allOnes) {
                why = "its likelihood is below that at the cold fit's starting point"
            } else {
                return (NelderMead.Result(point: s.point, value: value, evaluations: spent, converged: true), .warm, gradients)
            }
        }
    }
    // A warm start that reached the optimum but too near a cell's edge says any start that reaches it will: the coarse
    // start would only add its cost.
    if let nearOptimum, !warmWasAmbiguous {
        let near = nearOptimum()
        spent += near.evaluations
        if let settled = settledCleanly(from: near.point) {
            return (NelderMead.Result(point: settled.point, value: settled.value, evaluations: spent, converged: true),
                    why.map { .coldAfterWarm($0) } ?? .cold, gradients)
        }
    }
    // Newton does the last digits: Nelder–Mead only needs to get near the optimum (1e-5 in the log-parameters).
    var r = NelderMead.minimize(objective, start: allOnes, valueTolerance: 1e-10, pointTolerance: 1e-5)
    r.evaluations += spent
    // A cold fit that cannot be settled (an optimum on the boundary, as when nobody drops out) keeps its Nelder–Mead
    // optimum: a warm start then fails too, so both paths still give the same bits.
    if r.converged, r.value.isFinite {
        let s = SettledFit.settle(gradient, from: r.point)
        gradients += s.gradientEvaluations
        if s.failure == nil {
            r.point = s.point
            r.value = objective(s.point)
            r.evaluations += 1
        }
    }
    return (r, why.map { .coldAfterWarm($0) } ?? .cold, gradients)
}

/// log(e^a + e^b) without overflow; -inf + -inf = -inf.
@inline(__always) func logAddExp(_ a: Double, _ b: Double) -> Double {
    let m = max(a, b)
    if m == -Double.infinity { return m }
    return m + log1p(exp(min(a, b) - m))
}

/// The Gauss hypergeometric function, for the BG/NBD expectations.
public enum Hypergeometric {
    /// ln 2F1(a, b; c; z) for a, b, c > 0 and 0 <= z < 1, by the power series. Every term is positive, so there is
    /// no cancellation; the running sum is rescaled when it grows large (the function itself can overflow a Double
    /// when z is near 1), and the series stops when the remaining tail, bounded by a geometric series with the
    /// terms' eventual ratio, is below 1e-17 of the sum. NaN outside that domain or if 10 million terms do not suffice.
    public static func log2F1(_ a: Double, _ b: Double, _ c: Double, _ z: Double) -> Double {
        guard a > 0, b > 0, c > 0, z >= 0, z < 1 else { return .nan }
        if z == 0 { return 0 }
        var term = 1.0, sum = 1.0, logScale = 0.0
        var k = 0.0
        // The ratio of term k + 1 to term k; the one the stopping test computes is the next term's, so it is kept.
        var ratio = (a + k) * (b + k) / ((c + k) * (k + 1)) * z
        while k < 10_000_000 {
            term *= ratio
            sum += term
            k += 1
            if sum > 1e250 { sum *= 1e-250; term *= 1e-250; logScale += 250 * M_LN10 }
            let next = (a + k) * (b + k) / ((c + k) * (k + 1)) * z
            let bound = max(next, z)
            if bound < 1 && term * bound / (1 - bound) <= sum * 1e-17 { return log(sum) + logScale }
            ratio = next
        }
        return .nan
    }
}
