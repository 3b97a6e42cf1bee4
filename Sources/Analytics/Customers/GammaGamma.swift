import Foundation

/// Gamma-Gamma parameters (Fader, Hardie & Lee 2005, "RFM and CLV"; Fader & Hardie's note on the Gamma-Gamma
/// model): a purchase's value ~ Gamma(p, nu), nu ~ Gamma(q, v).
public struct GammaGammaParameters: Sendable, Equatable {
    public var p: Double, q: Double, v: Double
    public init(p: Double, q: Double, v: Double) { self.p = p; self.q = q; self.v = v }

    /// The population's mean purchase value, v p / (q - 1) (infinite when q <= 1).
    public var populationMean: Double { q > 1 ? v * p / (q - 1) : .infinity }
}

public struct GammaGammaFit: Sendable {
    public var parameters: GammaGammaParameters
    public var logLikelihood: Double
    /// Repeat customers the fit used.
    public var customers: Int
    public var converged: Bool
    /// Likelihood evaluations (Nelder–Mead) and, for a settled fit, gradient evaluations (Newton).
    public var evaluations: Int
    public var gradientEvaluations: Int = 0
    /// How the fit started (always cold for a Nelder–Mead-only fit).
    public var start: FitStart = .cold
}

/// One repeat customer for the spend model: `frequency` repeat purchases with mean value `meanValue`.
public struct RepeatSpend: Hashable, Sendable {
    public var frequency: Int
    public var meanValue: Double
    public init(frequency: Int, meanValue: Double) { self.frequency = frequency; self.meanValue = meanValue }
}

/// The Gamma-Gamma spend model, fitted on repeat customers only (frequency > 0 and a positive mean value), as the
/// literature and `lifetimes` do. A customer without repeat purchases gets the population mean.
public enum GammaGamma {
    public static func logLikelihood(_ g: GammaGammaParameters, _ s: RepeatSpend) -> Double {
        let x = Double(s.frequency), m = s.meanValue
        return lgamma(g.p * x + g.q) - lgamma(g.p * x) - lgamma(g.q) + g.q * log(g.v) + (g.p * x - 1) * log(m)
            + g.p * x * log(x) - (g.p * x + g.q) * log(x * m + g.v)
    }

    /// Maximum likelihood by Nelder–Mead on log-parameters from all ones, or as `method` says (a settled fit, perhaps
    /// warm-started: README, "Settled fits"). Values are divided by their mean while fitting (p and q do not depend on
    /// the money unit; v scales with it), so francs and dollars fit alike.
    public static func fit(_ data: [RepeatSpend], method: FitMethod<GammaGammaParameters> = .nelderMead) -> GammaGammaFit? {
        let usable = data.filter { $0.frequency > 0 && $0.meanValue > 0 && $0.meanValue.isFinite }
        guard !usable.isEmpty else { return nil }
        var grouped: [RepeatSpend: Double] = [:]
        for s in usable { grouped[s, default: 0] += 1 }
        // Sorted, not in dictionary order: Swift seeds hashing per process, and a sum of doubles in another order is
        // another number, so an unsorted fit would differ from run to run.
        let points = grouped.keys.sorted { ($0.frequency, $0.meanValue) < ($1.frequency, $1.meanValue) }
        let weights = points.map { grouped[$0]! }
        let scale = zip(points, weights).reduce(0) { $0 + $1.0.meanValue * $1.1 } / Double(usable.count)
        let freqs = Array(Set(points.map(\.frequency))).sorted()
        var freqIndex: [Int: Int] = [:]
        for (i, f) in freqs.enumerated() { freqIndex[f] = i }
        let fi = points.map { freqIndex[$0.frequency]! }
        let x = points.map { Double($0.frequency) }
        let m = points.map { $0.meanValue / scale }
        let logM = m.map { log($0) }
        let logX = x.map { log($0) }
        let total = Double(usable.count)

        func scaledLL(_ g: GammaGammaParameters) -> Double {
            let perFreq = freqs.map { f in lgamma(g.p * Double(f) + g.q) - lgamma(g.p * Double(f)) }
            let base = -lgamma(g.q) + g.q * log(g.v)
            var ll = 0.0
            for k in points.indices {
                let px = g.p * x[k]
                ll += weights[k] * (perFreq[fi[k]] + base + (px - 1) * logM[k] + px * logX[k] - (px + g.q) * log(x[k] * m[k] + g.v))
            }
            return ll
        }
        /// The gradient of `scaledLL` with respect to (p, q, v).
        func scaledGradient(_ g: GammaGammaParameters) -> [Double] {
            let psiQ = digamma(g.q)
            let perFreq = freqs.map { f in (digamma(g.p * Double(f) + g.q), digamma(g.p * Double(f))) }
            let logV = log(g.v)
            var dp = 0.0, dq = 0.0, dv = 0.0
            for k in points.indices {
                let (psiPXQ, psiPX) = perFreq[fi[k]]
                let denominator = x[k] * m[k] + g.v
                let logD = log(denominator)
                dp += weights[k] * x[k] * (psiPXQ - psiPX + logM[k] + logX[k] - logD)
                dq += weights[k] * (psiPXQ - psiQ + logV - logD)
                dv += weights[k] * (g.q / g.v - (g.p * x[k] + g.q) / denominator)
            }
            return [dp, dq, dv]
        }
        func parameters(_ v: [Double]) -> GammaGammaParameters { GammaGammaParameters(p: exp(v[0]), q: exp(v[1]), v: exp(v[2])) }
        let objective: ([Double]) -> Double = { v in -scaledLL(parameters(v)) / total }
        let result: NelderMead.Result
        var start = FitStart.cold
        var settledBy = 0
        switch method {
        case .nelderMead:
            result = NelderMead.minimize(objective, start: [0, 0, 0])
        case .settled(let previous):
            let gradient: ([Double]) -> [Double] = { v in
                let g = parameters(v)
                let d = scaledGradient(g)
                return [-d[0] * g.p / total, -d[1] * g.q / total, -d[2] * g.v / total]
            }
            let outcome = settledMinimum(objective, gradient, warmFrom: previous.map { [log($0.p), log($0.q), log($0.v / scale)] }, dimension: 3)
            (result, start, settledBy) = (outcome.result, outcome.start, outcome.gradientEvaluations)
        }
        let g = GammaGammaParameters(p: exp(result.point[0]), q: exp(result.point[1]), v: exp(result.point[2]) * scale)
        let ll = zip(points, weights).reduce(0) { $0 + $1.1 * logLikelihood(g, $1.0) }
        return GammaGammaFit(parameters: g, logLikelihood: ll, customers: usable.count, converged: result.converged && ll.isFinite,
                             evaluations: result.evaluations, gradientEvaluations: settledBy, start: start)
    }

    /// The highest mean purchase value the spend model uses for a customer (README, "Purchase and spend model"): the
    /// 99th percentile (nearest rank) of the repeat customers' mean values, and never more than ten times their
    /// median (the mean of the two middle values when their number is even). One huge order thus cannot make its
    /// customer's expected spend, or the fit, explode. nil for no values.
    public static func valueCap(_ values: [Double]) -> Double? {
        let sorted = values.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return nil }
        let n = sorted.count
        let p99 = sorted[Int((0.99 * Double(n)).rounded(.up)) - 1]
        let median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        return min(p99, 10 * median)
    }

    /// Expected value of the customer's purchases: a weighted mean of the population mean and the customer's own
    /// mean (`lifetimes`' `conditional_expected_average_profit`). With no repeat purchase, the population mean.
    public static func expectedValue(_ g: GammaGammaParameters, frequency: Int, meanValue: Double) -> Double {
        let x = Double(frequency)
        let weight = g.p * x / (g.p * x + g.q - 1)
        return (1 - weight) * g.populationMean + weight * (frequency > 0 ? meanValue : 0)
    }
}
