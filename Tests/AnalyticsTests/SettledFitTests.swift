import Analytics
import Foundation
import XCTest

/// Settled fits (README, "Settled fits"): a fit warm-started from the last fit's parameters settles on the same bits as
/// a fit from all-ones, on the CDNOW reference data of `BGNBDTests`; a warm start from absurd parameters gives way to
/// the cold fit and says why.
final class SettledFitTests: XCTestCase {
    func cdnowHistories() throws -> PurchaseHistogram {
        PurchaseHistogram(try BGNBDTests.cdnow().map { PurchaseHistory(frequency: $0.x, recency: $0.tx, age: $0.T) })
    }

    func cdnowSpends() throws -> [RepeatSpend] {
        try BGNBDTests.cdnow().filter { $0.x > 0 }.map { RepeatSpend(frequency: $0.x, meanValue: $0.m) }
    }

    func testDigammaAgainstKnownValues() {
        XCTAssertEqual(digamma(1), -0.5772156649015329, accuracy: 1e-14)             // -Euler's constant
        XCTAssertEqual(digamma(0.5), -1.9635100260214235, accuracy: 1e-14)           // -gamma - 2 ln 2
        XCTAssertEqual(digamma(10), 2.251752589066721, accuracy: 1e-14)              // H(9) - gamma
        XCTAssertEqual(digamma(0.01), -100.56088545786867, accuracy: 1e-11)
        XCTAssertTrue(digamma(0).isNaN)
    }

    func testWarmBGNBDFitSettlesOnTheColdFitToTheLastBit() throws {
        let data = try cdnowHistories()
        let cold = try XCTUnwrap(BGNBD.fit(data, method: .settled(from: nil)))
        XCTAssertEqual(cold.start, .cold)
        XCTAssertTrue(cold.converged)
        // lifetimes' optimum (BGNBDTests), to its own tolerance.
        XCTAssertEqual(cold.parameters.r, 0.24259292827982148, accuracy: 1e-6)
        XCTAssertEqual(cold.parameters.alpha, 4.413532265271809, accuracy: 2e-5)
        XCTAssertEqual(cold.parameters.a, 0.7928859664406578, accuracy: 1e-5)
        XCTAssertEqual(cold.parameters.b, 2.4257523826257374, accuracy: 5e-5)
        XCTAssertEqual(cold.logLikelihood, -9582.4256, accuracy: 1e-4)
        // Nelder–Mead alone (the fit before settled fits) lands within 1e-6 of the settled optimum.
        let plain = try XCTUnwrap(BGNBD.fit(data)).parameters
        for (a, b) in [(plain.r, cold.parameters.r), (plain.alpha, cold.parameters.alpha), (plain.a, cold.parameters.a), (plain.b, cold.parameters.b)] {
            XCTAssertEqual(a, b, accuracy: 1e-6 * b)
        }
        // Warm from the lifetimes optimum and from a start 30 % off in every parameter.
        for start in [BGNBDParameters(r: 0.24259292827982148, alpha: 4.413532265271809, a: 0.7928859664406578, b: 2.4257523826257374),
                      BGNBDParameters(r: 0.17, alpha: 5.7, a: 1.03, b: 1.7)] {
            let warm = try XCTUnwrap(BGNBD.fit(data, method: .settled(from: start)))
            XCTAssertEqual(warm.start, .warm)
            XCTAssertEqual([warm.parameters.r, warm.parameters.alpha, warm.parameters.a, warm.parameters.b, warm.logLikelihood],
                           [cold.parameters.r, cold.parameters.alpha, cold.parameters.a, cold.parameters.b, cold.logLikelihood])
            XCTAssertEqual(warm.evaluations, 2)  // the check against all-ones, and the settled point's value
            XCTAssertLessThan(warm.gradientEvaluations, 50)
        }
    }

    /// A cold fit of many distinct histories starts Newton from a coarser histogram's optimum (forced here on CDNOW's
    /// 2,357 customers): the same bits as Nelder–Mead on the full histogram, for fewer full evaluations; a warm start
    /// from either gives them too.
    func testColdFitFromTheCoarserHistogramSettlesOnTheSameBits() throws {
        let data = try cdnowHistories()
        let plain = try XCTUnwrap(BGNBD.fit(data, method: .settled(from: nil), coarseStartFrom: .max))
        let coarse = try XCTUnwrap(BGNBD.fit(data, method: .settled(from: nil), coarseStartFrom: 0))
        func bits(_ f: BGNBDFit) -> [UInt64] {
            [f.parameters.r, f.parameters.alpha, f.parameters.a, f.parameters.b, f.logLikelihood].map(\.bitPattern)
        }
        XCTAssertEqual(bits(coarse), bits(plain))
        XCTAssertEqual(coarse.start, .cold)
        XCTAssertTrue(coarse.converged)
        XCTAssertNotEqual(coarse.evaluations, plain.evaluations, "the coarse start was taken")
        let warm = try XCTUnwrap(BGNBD.fit(data, method: .settled(from: coarse.parameters), coarseStartFrom: 0))
        XCTAssertEqual(warm.start, .warm)
        XCTAssertEqual(bits(warm), bits(plain))
    }

    /// How near a cell's edge a polished point may lie: 1e-9 for Gamma-Gamma, 1e-10 for the BG/NBD fits, and never less
    /// than a hundred times what the fit's own two polishes differ by. On a quadratic whose optimum is placed near an
    /// edge, Newton lands on it exactly.
    func testTheMarginFromACellsEdgeIsTheModelsOrAHundredTimesTheFitsOwnNoise() {
        let cell = SettledFit.cell
        func quadratic(_ optimum: [Double], noise: Double = 0) -> ([Double]) -> [Double] {
            { v in v.indices.map { i in Double(i + 1) * (v[i] - optimum[i]) + noise * sin(v[i] * 1e13) } }
        }
        let start = [0.1, -0.2, 0.3]
        for (edge, gammaGamma, purchase) in [(5e-10, true, false), (5e-11, true, true), (2e-9, false, false)] {
            let optimum = [3 * cell + edge, -7.5 * cell, 0.25 + cell / 3]
            let g = SettledFit.settle(quadratic(optimum), from: start)
            let p = SettledFit.settle(quadratic(optimum), from: start, margin: SettledFit.purchaseModelMargin)
            XCTAssertNil(g.failure)
            XCTAssertEqual(g.noise, 0, accuracy: 1e-15)
            XCTAssertEqual(g.ambiguous, gammaGamma, "\(edge) from an edge, Gamma-Gamma's margin")
            XCTAssertEqual(p.ambiguous, purchase, "\(edge) from an edge, the BG/NBD fits' margin")
            XCTAssertEqual(p.point, optimum)
        }
        // A gradient with noise: the two polishes differ, and 5e-10 from an edge is within a hundred times that.
        let noisy = SettledFit.settle(quadratic([3 * cell + 5e-10, -7.5 * cell, 0.25 + cell / 3], noise: 8e-12), from: start,
                                      margin: SettledFit.purchaseModelMargin)
        XCTAssertNil(noisy.failure)
        XCTAssertGreaterThan(noisy.noise, 5e-12)
        XCTAssertTrue(noisy.ambiguous)
    }

    func testWarmStartFromAbsurdParametersFallsBackToTheColdFit() throws {
        let data = try cdnowHistories()
        let cold = try XCTUnwrap(BGNBD.fit(data, method: .settled(from: nil)))
        let absurd = try XCTUnwrap(BGNBD.fit(data, method: .settled(from: BGNBDParameters(r: 1e30, alpha: 4, a: 0.8, b: 2.4))))
        XCTAssertEqual(absurd.start, .coldAfterWarm("the last fit's parameters are outside the range a fit can start from"))
        XCTAssertEqual([absurd.parameters.r, absurd.parameters.alpha, absurd.parameters.a, absurd.parameters.b],
                       [cold.parameters.r, cold.parameters.alpha, cold.parameters.a, cold.parameters.b])
        XCTAssertEqual(absurd.evaluations, cold.evaluations)
        // A start far out but inside the range: Nelder–Mead either comes back to the optimum, or the cold fit is used;
        // either way the same bits.
        let far = try XCTUnwrap(BGNBD.fit(data, method: .settled(from: BGNBDParameters(r: 1e-9, alpha: 1e9, a: 1e8, b: 1e-8))))
        XCTAssertEqual([far.parameters.r, far.parameters.alpha, far.parameters.a, far.parameters.b],
                       [cold.parameters.r, cold.parameters.alpha, cold.parameters.a, cold.parameters.b])
    }

    func testWarmGammaGammaFitSettlesOnTheColdFitToTheLastBit() throws {
        let spends = try cdnowSpends()
        let cold = try XCTUnwrap(GammaGamma.fit(spends, method: .settled(from: nil)))
        XCTAssertEqual(cold.start, .cold)
        XCTAssertEqual(cold.parameters.p, 6.24880249607099, accuracy: 5e-4)
        XCTAssertEqual(cold.parameters.q, 3.7445884609237634, accuracy: 5e-4)
        XCTAssertEqual(cold.parameters.v, 15.447748064943575, accuracy: 5e-3)
        let plain = try XCTUnwrap(GammaGamma.fit(spends)).parameters
        for (a, b) in [(plain.p, cold.parameters.p), (plain.q, cold.parameters.q), (plain.v, cold.parameters.v)] {
            XCTAssertEqual(a, b, accuracy: 1e-6 * b)
        }
        let warm = try XCTUnwrap(GammaGamma.fit(spends, method: .settled(from: GammaGammaParameters(p: 6.5, q: 3.6, v: 16))))
        XCTAssertEqual(warm.start, .warm)
        XCTAssertEqual([warm.parameters.p, warm.parameters.q, warm.parameters.v, warm.logLikelihood],
                       [cold.parameters.p, cold.parameters.q, cold.parameters.v, cold.logLikelihood])
        XCTAssertLessThan(warm.evaluations, 10)
        // Too far for Newton: the likelihood is not concave there, so the cold fit is used.
        let far = try XCTUnwrap(GammaGamma.fit(spends, method: .settled(from: GammaGammaParameters(p: 8, q: 3, v: 20))))
        XCTAssertEqual(far.start, .coldAfterWarm("the likelihood is not curved like a maximum there"))
        XCTAssertEqual([far.parameters.p, far.parameters.q, far.parameters.v], [cold.parameters.p, cold.parameters.q, cold.parameters.v])
        let absurd = try XCTUnwrap(GammaGamma.fit(spends, method: .settled(from: GammaGammaParameters(p: .nan, q: 3, v: 20))))
        XCTAssertEqual(absurd.start, .coldAfterWarm("the last fit's parameters are outside the range a fit can start from"))
        XCTAssertEqual([absurd.parameters.p, absurd.parameters.q, absurd.parameters.v], [cold.parameters.p, cold.parameters.q, cold.parameters.v])
    }
}
