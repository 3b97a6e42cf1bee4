import Foundation

/// The Nelder–Mead simplex minimiser (standard coefficients: reflection 1, expansion 2, contraction 1/2,
/// shrink 1/2), used on log-parameters so every parameter stays positive without bounds.
///
/// A non-finite objective value counts as +infinity, so the simplex simply moves away from where the model
/// overflows. The search also stops (as converged) when the best value improves by less than 1e-10 relative over
/// 50 × dimension iterations: an optimum on the boundary, where a log-parameter drifts off, is then accepted. After convergence the search restarts from the best point (a fresh simplex) until a restart no
/// longer improves it, which guards against the simplex collapsing early.
public enum NelderMead {
    public struct Result: Sendable {
        public var point: [Double]
        public var value: Double
        /// Objective evaluations used.
        public var evaluations: Int
        /// True when the simplex met both tolerances (not stopped by the evaluation limit).
        public var converged: Bool
    }

    /// Minimises `f` from `start`.
    /// - Parameters:
    ///   - step: initial simplex edge along each axis.
    ///   - valueTolerance: stop when every vertex's value is within this of the best (absolute).
    ///   - pointTolerance: ... and every vertex is within this of the best in every coordinate.
    public static func minimize(_ f: ([Double]) -> Double, start: [Double], step: Double = 0.5,
                                valueTolerance: Double = 1e-12, pointTolerance: Double = 1e-9,
                                maxEvaluations: Int = 20_000) -> Result {
        var evaluations = 0
        func value(_ x: [Double]) -> Double {
            evaluations += 1
            let v = f(x)
            return v.isFinite ? v : .infinity
        }
        var best = start
        var bestValue = value(start)
        var converged = false
        for _ in 0..<8 {
            let run = simplex(value, start: best, step: step, valueTolerance: valueTolerance, pointTolerance: pointTolerance,
                              budget: { maxEvaluations - evaluations })
            let improved = run.value < bestValue - valueTolerance
            if run.value <= bestValue { best = run.point; bestValue = run.value }
            converged = run.converged
            if !run.converged || !improved { break }
        }
        return Result(point: best, value: bestValue, evaluations: evaluations, converged: converged)
    }

    private static func simplex(_ value: ([Double]) -> Double, start: [Double], step: Double, valueTolerance: Double,
                                pointTolerance: Double, budget: () -> Int) -> (point: [Double], value: Double, converged: Bool) {
        let n = start.count
        var points = [start]
        for i in 0..<n {
            var p = start
            p[i] += step
            points.append(p)
        }
        var values = points.map(value)
        var iterations = 0
        var checkpoint = values.min() ?? .infinity
        while true {
            // Order best first.
            let order = values.indices.sorted { values[$0] < values[$1] }
            points = order.map { points[$0] }
            values = order.map { values[$0] }
            let spreadValue = values.last! - values[0]
            var spreadPoint = 0.0
            for p in points.dropFirst() {
                for i in 0..<n { spreadPoint = max(spreadPoint, abs(p[i] - points[0][i])) }
            }
            if spreadValue <= valueTolerance && spreadPoint <= pointTolerance { return (points[0], values[0], true) }
            if budget() <= 0 || !values[0].isFinite { return (points[0], values[0], false) }
            // A flat optimum (a parameter running off to 0 or infinity, e.g. BG/NBD's a when nobody drops out)
            // never meets the point tolerance: stop when the best value no longer moves.
            iterations += 1
            if iterations % (50 * n) == 0 {
                if checkpoint - values[0] <= 1e-10 * max(1, abs(values[0])) { return (points[0], values[0], true) }
                checkpoint = values[0]
            }

            var centroid = [Double](repeating: 0, count: n)
            for p in points.dropLast() { for i in 0..<n { centroid[i] += p[i] / Double(n) } }
            let worst = points[n]
            func along(_ t: Double) -> [Double] { (0..<n).map { centroid[$0] + t * (centroid[$0] - worst[$0]) } }

            let reflected = along(1)
            let fr = value(reflected)
            if fr < values[0] {
                let expanded = along(2)
                let fe = value(expanded)
                if fe < fr { points[n] = expanded; values[n] = fe } else { points[n] = reflected; values[n] = fr }
            } else if fr < values[n - 1] {
                points[n] = reflected; values[n] = fr
            } else {
                let outside = fr < values[n]
                let contracted = along(outside ? 0.5 : -0.5)
                let fc = value(contracted)
                if fc < (outside ? fr : values[n]) {
                    points[n] = contracted; values[n] = fc
                } else {
                    for j in 1...n {
                        points[j] = (0..<n).map { points[0][$0] + 0.5 * (points[j][$0] - points[0][$0]) }
                        values[j] = value(points[j])
                    }
                }
            }
        }
    }
}
