import Foundation

/// How a model is fitted (README, "Purchase and spend model", "Settled fits").
public enum FitMethod<Parameters: Sendable>: Sendable {
    /// Nelder–Mead from all-ones only: the figures as they were before settled fits existed.
    case nelderMead
    /// Nelder–Mead (from `from`, the last fit's parameters, when given: a warm start; else from all-ones), then
    /// settled (`SettledFit`), so that a warm and a cold fit of the same data give the same bits.
    case settled(from: Parameters?)
}

/// How a fit started, for the run's progress line.
public enum FitStart: Sendable, Equatable {
    case cold
    /// From the last fit's parameters.
    case warm
    /// The warm start failed (the reason, one plain phrase) and the model was fitted from all-ones.
    case coldAfterWarm(String)
}

/// Settling a fit: Newton's method on the analytic gradient polishes a Nelder–Mead optimum down to the gradient's own
/// rounding noise (Nelder–Mead alone stops near 1e-8, where the likelihood no longer changes in a Double), then the
/// polished log-parameters are rounded to a grid of 2^-20 and Newton runs again from that grid point. Two fits of the
/// same data (a warm and a cold one) that reach the same cell of the grid thus run the same last Newton steps from the
/// same point and give the same bits. A polished point within the margin of a cell's edge is ambiguous (another fit
/// might fall in the next cell): a warm fit then gives way to a cold one.
///
/// The margin is at least a hundred times the most two polishes of the same data were seen to differ, and at least a
/// hundred times what this fit's own two polishes (from its start and from the cell's centre) differ by. Polishes from
/// 40 to 60 random starts up to 0.1 away differed by at most 1.7e-13 (BG/NBD, CDNOW), 1.3e-13 (1M bench shop), 2.6e-13 (10M)
/// in a log-parameter, and the Gamma-Gamma fits' by up to 7.7e-12 (1M and 10M).
public enum SettledFit {
    /// The grid's cell, in log-parameter space (about 1e-6 relative in the parameters).
    public static let cell = 1.0 / 1_048_576
    /// How close to a cell's edge a polished Gamma-Gamma point may come (its polishes differ by up to 7.7e-12).
    public static let margin = 1e-9
    /// The same for the BG/NBD fits, whose polishes differ by up to 2.6e-13: a tenth of `margin`, so that a warm start
    /// gives way to a cold fit ten times less often (about 0.08 % of fits instead of 0.8 %: the 1M bench shop's model
    /// check, 7.3e-10 from an edge, was one).
    public static let purchaseModelMargin = 1e-10
    /// Newton stops when no log-parameter moves by more than this.
    public static let stepTolerance = 1e-11

    public struct Result: Sendable {
        public var point: [Double]
        /// Gradient evaluations used (each costs about two likelihood evaluations).
        public var gradientEvaluations: Int
        /// Why it could not settle (Newton did not converge, the Hessian is not positive definite...), else nil.
        public var failure: String?
        /// The polished point was within the margin of a cell's edge (`margin`, or a hundred times `noise`, whichever
        /// is more).
        public var ambiguous: Bool
        /// How far apart the two polishes (from the start and from the cell's centre) landed, in the log-parameter
        /// that differs most: this fit's own noise. 0 when the second polish failed.
        public var noise = 0.0
    }

    /// Settles `start` (a Nelder–Mead optimum of the objective whose gradient is `gradient`, in log-parameters);
    /// `margin` is the model's (`margin`, `purchaseModelMargin`).
    public static func settle(_ gradient: ([Double]) -> [Double], from start: [Double], margin: Double = margin) -> Result {
        var evaluations = 0
        let polished = newton(gradient, from: start, evaluations: &evaluations)
        guard let x1 = polished.point else {
            return Result(point: start, gradientEvaluations: evaluations, failure: polished.failure, ambiguous: false)
        }
        var nearestEdge = Double.infinity
        var center = x1
        for i in x1.indices {
            let u = x1[i] / cell
            let below = u.rounded(.down)
            nearestEdge = min(nearestEdge, min(u - below, below + 1 - u) * cell)
            center[i] = (below + 0.5) * cell
        }
        let settled = newton(gradient, from: center, evaluations: &evaluations)
        guard let x = settled.point else {
            return Result(point: x1, gradientEvaluations: evaluations, failure: settled.failure, ambiguous: nearestEdge < margin)
        }
        let noise = zip(x, x1).map { abs($0 - $1) }.max() ?? 0
        return Result(point: x, gradientEvaluations: evaluations, failure: nil, ambiguous: nearestEdge < max(margin, 100 * noise),
                      noise: noise)
    }

    /// Newton's method on `gradient` with the Hessian by forward differences of the gradient (step 1e-6, symmetrised);
    /// a step longer than 1 in any log-parameter, a Hessian that is not positive definite or 30 steps without
    /// converging is a failure.
    static func newton(_ gradient: ([Double]) -> [Double], from start: [Double], evaluations: inout Int) -> (point: [Double]?, failure: String?) {
        let n = start.count
        var x = start
        for _ in 0..<30 {
            let g = gradient(x)
            evaluations += 1
            guard g.allSatisfy(\.isFinite) else { return (nil, "the gradient is not finite") }
            var h = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
            let d = 1e-6
            for j in 0..<n {
                var xj = x
                xj[j] += d
                let gj = gradient(xj)
                evaluations += 1
                for i in 0..<n { h[i][j] = (gj[i] - g[i]) / d }
            }
            for i in 0..<n { for j in 0..<i { let s = (h[i][j] + h[j][i]) / 2; h[i][j] = s; h[j][i] = s } }
            guard let step = solvePositiveDefinite(h, g.map { -$0 }) else { return (nil, "the likelihood is not curved like a maximum there") }
            let longest = step.map(abs).max() ?? 0
            guard longest.isFinite, longest <= 1 else { return (nil, "Newton's step is too long") }
            for i in 0..<n { x[i] += step[i] }
            if longest <= stepTolerance { return (x, nil) }
        }
        return (nil, "Newton's method did not converge in 30 steps")
    }

    /// Solves H s = b by Cholesky; nil if H is not positive definite.
    static func solvePositiveDefinite(_ h: [[Double]], _ b: [Double]) -> [Double]? {
        let n = b.count
        var l = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
            for j in 0...i {
                var s = h[i][j]
                for k in 0..<j { s -= l[i][k] * l[j][k] }
                if i == j {
                    guard s > 0, s.isFinite else { return nil }
                    l[i][i] = s.squareRoot()
                } else {
                    l[i][j] = s / l[j][j]
                }
            }
        }
        var y = b
        for i in 0..<n {
            for k in 0..<i { y[i] -= l[i][k] * y[k] }
            y[i] /= l[i][i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for k in (i + 1)..<n { y[i] -= l[k][i] * y[k] }
            y[i] /= l[i][i]
        }
        return y
    }
}

/// The digamma function ψ(x) = d/dx ln Γ(x) for x > 0: the recurrence ψ(x) = ψ(x + 1) − 1/x up to x >= 12, then the
/// asymptotic series (error below 1e-15 there). NaN for x <= 0.
public func digamma(_ x: Double) -> Double {
    guard x > 0, x.isFinite else { return x == .infinity ? .infinity : .nan }
    var x = x
    var result = 0.0
    while x < 12 { result -= 1 / x; x += 1 }
    let inv = 1 / x, inv2 = inv * inv
    let series = inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240 - inv2 * (1.0 / 132)))))
    return result + log(x) - 0.5 * inv - series
}
