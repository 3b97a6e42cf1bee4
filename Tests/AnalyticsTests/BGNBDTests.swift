import Analytics
import Foundation
import XCTest

/// The BG/NBD and Gamma-Gamma models against the public reference: the CDNOW summary that the `lifetimes` Python
/// package ships (`lifetimes/datasets/cdnow_customers_summary_with_transactions.csv`, 2357 customers, times in
/// weeks, copied unchanged into Fixtures/), and that package's own fit and predictions.
///
/// The reference numbers below were computed with lifetimes 0.11.3 (Python 3.11, numpy 2.4, scipy 1.17):
///
///     from lifetimes import BetaGeoFitter, GammaGammaFitter
///     from lifetimes.datasets import load_cdnow_summary, load_cdnow_summary_data_with_monetary_value
///     d = load_cdnow_summary(index_col=[0])
///     bgf = BetaGeoFitter(penalizer_coef=0.0).fit(d["frequency"], d["recency"], d["T"])
///     print(bgf.params_)                      # r, alpha, a, b
///     print(-BetaGeoFitter._negative_log_likelihood(np.log(bgf.params_.values), d["frequency"].values,
///           d["recency"].values, d["T"].values, np.ones(len(d)), 0.0) * len(d))   # log-likelihood, weeks
///     bgf.conditional_probability_alive(x, t_x, T)
///     bgf.conditional_expected_number_of_purchases_up_to_time(4, x, t_x, T)      # and 13
///     m = load_cdnow_summary_data_with_monetary_value(); r = m[m["frequency"] > 0]
///     ggf = GammaGammaFitter(penalizer_coef=0.0).fit(r["frequency"], r["monetary_value"])
///     ggf.conditional_expected_average_profit(x, monetary)
///     ggf.customer_lifetime_value(bgf, m["frequency"], m["recency"], m["T"], m["monetary_value"],
///                                 time=12, freq="W", discount_rate=0.01)
final class BGNBDTests: XCTestCase {
    struct Row { var id: Int; var x: Int; var tx: Double; var T: Double; var m: Double }

    static func cdnow() throws -> [Row] {
        guard let url = Bundle.module.url(forResource: "cdnow_customers_summary_with_transactions", withExtension: "csv",
                                          subdirectory: "Fixtures") else {
            throw XCTSkip("fixture missing")
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).dropFirst().map { line in
            let f = line.split(separator: ",").map(String.init)
            return Row(id: Int(f[0])!, x: Int(f[1])!, tx: Double(f[2])!, T: Double(f[3])!, m: Double(f[4])!)
        }
    }

    /// Agreement to 3 significant digits (relative 5e-4).
    func assertSignificant(_ actual: Double, _ expected: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual, expected, accuracy: abs(expected) * 5e-4, what, file: file, line: line)
    }

    func testFitMatchesLifetimesOnCDNOW() throws {
        let rows = try Self.cdnow()
        XCTAssertEqual(rows.count, 2357)
        let data = PurchaseHistogram(rows.map { PurchaseHistory(frequency: $0.x, recency: $0.tx, age: $0.T) })
        let fit = try XCTUnwrap(BGNBD.fit(data))
        assertSignificant(fit.parameters.r, 0.24259292827982148, "r")
        assertSignificant(fit.parameters.alpha, 4.413532265271809, "alpha")
        assertSignificant(fit.parameters.a, 0.7928859664406578, "a")
        assertSignificant(fit.parameters.b, 2.4257523826257374, "b")
        // Fader, Hardie & Lee (2005) report -9582.4 for CDNOW; lifetimes gives -9582.4256 at its optimum.
        XCTAssertEqual(fit.logLikelihood, -9582.4256, accuracy: 0.01)
        XCTAssertEqual(fit.customers, 2357)
        XCTAssertLessThan(fit.distinctHistories, 2357)  // grouped
        XCTAssertTrue(fit.converged)
    }

    func testPredictionsMatchLifetimesAtItsParameters() {
        let p = BGNBDParameters(r: 0.24259292827982148, alpha: 4.413532265271809, a: 0.7928859664406578, b: 2.4257523826257374)
        // (x, t_x, T): P(alive), E[purchases in 4 weeks], E[purchases in 13 weeks], from lifetimes.
        let cases: [(Int, Double, Double, Double, Double, Double)] = [
            (0, 0.0, 38.86, 1.0, 0.022115856666647022, 0.069811237509529),
            (2, 30.43, 38.86, 0.7266091367990596, 0.14731609528730052, 0.4571567871658551),
            (1, 1.71, 38.86, 0.21222738807220765, 0.02391706671325956, 0.07469799170558793),
            (7, 29.43, 35.0, 0.7790050593378186, 0.5548907102214522, 1.691448704477968),
            (20, 35.0, 38.0, 0.8595681992211813, 1.5875835716231526, 4.823798375076345),
        ]
        for (x, tx, T, alive, e4, e13) in cases {
            let h = PurchaseHistory(frequency: x, recency: tx, age: T)
            assertSignificant(BGNBD.probabilityAlive(p, h), alive, "P(alive) \(x) \(tx) \(T)")
            assertSignificant(BGNBD.expectedPurchases(p, next: 4, h), e4, "E4 \(x) \(tx) \(T)")
            assertSignificant(BGNBD.expectedPurchases(p, next: 13, h), e13, "E13 \(x) \(tx) \(T)")
        }
    }

    func testGammaGammaMatchesLifetimesOnCDNOW() throws {
        let rows = try Self.cdnow()
        let spends = rows.filter { $0.x > 0 }.map { RepeatSpend(frequency: $0.x, meanValue: $0.m) }
        XCTAssertEqual(spends.count, 946)
        let fit = try XCTUnwrap(GammaGamma.fit(spends))
        assertSignificant(fit.parameters.p, 6.24880249607099, "p")
        assertSignificant(fit.parameters.q, 3.7445884609237634, "q")
        assertSignificant(fit.parameters.v, 15.447748064943575, "v")
        // lifetimes: mean negative log-likelihood 4.2874452891150785 over 946 customers.
        XCTAssertEqual(fit.logLikelihood, -4.2874452891150785 * 946, accuracy: 0.5)
        XCTAssertEqual(fit.customers, 946)

        let g = GammaGammaParameters(p: 6.24880249607099, q: 3.7445884609237634, v: 15.447748064943575)
        for (x, m, expected) in [(0, 0.0, 35.17100215250688), (1, 11.77, 18.911479869933782), (2, 22.35, 24.65861618923827),
                                 (6, 60.0, 58.30641703571568)] {
            assertSignificant(GammaGamma.expectedValue(g, frequency: x, meanValue: m), expected, "E[value] \(x) \(m)")
        }
    }

    /// Reruns must give the same numbers to the last bit, whatever order the customers arrive in.
    func testGammaGammaFitDoesNotDependOnInputOrder() throws {
        let spends = try Self.cdnow().filter { $0.x > 0 }.map { RepeatSpend(frequency: $0.x, meanValue: $0.m) }
        let a = try XCTUnwrap(GammaGamma.fit(spends)).parameters
        let b = try XCTUnwrap(GammaGamma.fit(spends.reversed())).parameters
        XCTAssertEqual([a.p, a.q, a.v], [b.p, b.q, b.v])
    }

    func testBGNBDFitDoesNotDependOnInputOrder() throws {
        let rows = try Self.cdnow()
        let histories = rows.map { PurchaseHistory(frequency: $0.x, recency: $0.tx, age: $0.T) }
        let a = try XCTUnwrap(BGNBD.fit(PurchaseHistogram(histories)))
        let b = try XCTUnwrap(BGNBD.fit(PurchaseHistogram(histories.reversed())))
        XCTAssertEqual([a.parameters.r, a.parameters.alpha, a.parameters.a, a.parameters.b, a.logLikelihood],
                       [b.parameters.r, b.parameters.alpha, b.parameters.a, b.parameters.b, b.logLikelihood])
    }

    func testTwelveMonthCLVMatchesLifetimes() {
        // lifetimes' customer_lifetime_value with freq="W" uses 4.345 weeks per month; customers 1, 2, 3 of CDNOW.
        let p = BGNBDParameters(r: 0.24259292827982148, alpha: 4.413532265271809, a: 0.7928859664406578, b: 2.4257523826257374)
        let g = GammaGammaParameters(p: 6.24880249607099, q: 3.7445884609237634, v: 15.447748064943575)
        for (x, tx, T, m, clv) in [(2, 30.43, 38.86, 22.35, 36.278495763627944), (1, 1.71, 38.86, 11.77, 4.637466328570688),
                                   (0, 0.0, 38.86, 0.0, 8.34409312180974)] {
            let units = BGNBD.discountedPurchases(p, PurchaseHistory(frequency: x, recency: tx, age: T), months: 12,
                                                  unitsPerMonth: 4.345, monthlyDiscountRate: 0.01)
            assertSignificant(units * GammaGamma.expectedValue(g, frequency: x, meanValue: m), clv, "CLV \(x)")
        }
    }

    func testHypergeometricSeriesAgainstClosedForms() {
        // 2F1(1, 1; 2; z) = -ln(1 - z) / z;  2F1(a, b; b; z) = (1 - z)^-a.
        for z in [0.1, 0.5, 0.9, 0.99] {
            XCTAssertEqual(Hypergeometric.log2F1(1, 1, 2, z), log(-log(1 - z) / z), accuracy: 1e-12)
            XCTAssertEqual(Hypergeometric.log2F1(2.5, 3, 3, z), -2.5 * log(1 - z), accuracy: 1e-11)
        }
        // Large parameters near z = 1: far beyond a Double without the rescaling.
        XCTAssertEqual(Hypergeometric.log2F1(400, 7, 7, 0.999), -400 * log(0.001), accuracy: 1e-8)
    }

    func testLikelihoodOfGroupedDataEqualsSumOverCustomers() {
        let p = BGNBDParameters(r: 0.5, alpha: 3, a: 0.8, b: 2)
        let hs = [PurchaseHistory(frequency: 0, recency: 0, age: 10), PurchaseHistory(frequency: 3, recency: 6, age: 10),
                  PurchaseHistory(frequency: 0, recency: 0, age: 10), PurchaseHistory(frequency: 1, recency: 2, age: 5)]
        let sum = hs.reduce(0) { $0 + BGNBD.logLikelihood(p, $1) }
        XCTAssertEqual(BGNBD.logLikelihood(p, PurchaseHistogram(hs)), sum, accuracy: 1e-10)
    }

    /// The histogram's own table: equal histories share a slot (0 and -0 are equal, as for a dictionary), slots are
    /// in first-seen order, and they stay where they were as the table grows past its first 64 cells.
    func testHistogramSlotsAreFirstSeenOrderAndSurviveGrowth() {
        var h = PurchaseHistogram()
        XCTAssertNil(h.slot(of: PurchaseHistory(frequency: 0, recency: 0, age: 1)))
        XCTAssertEqual(h.add(PurchaseHistory(frequency: 2, recency: 10, age: 30)), 0)
        XCTAssertEqual(h.add(PurchaseHistory(frequency: 0, recency: 0, age: 30)), 1)
        XCTAssertEqual(h.add(PurchaseHistory(frequency: 2, recency: 10, age: 30), count: 2), 0)
        XCTAssertEqual(h.add(PurchaseHistory(frequency: 0, recency: -0.0, age: 30)), 1)
        for k in 0..<500 { XCTAssertEqual(h.add(PurchaseHistory(frequency: k % 7, recency: Double(k), age: 1_000)), 2 + k) }
        XCTAssertEqual(h.histories.count, 502)
        XCTAssertEqual(h.counts[0], 3)
        XCTAssertEqual(h.counts[1], 2)
        XCTAssertEqual(h.customers, 505)
        XCTAssertEqual(h.slot(of: PurchaseHistory(frequency: 2, recency: 10, age: 30)), 0)
        XCTAssertEqual(h.slot(of: PurchaseHistory(frequency: 499 % 7, recency: 499, age: 1_000)), 501)
        XCTAssertNil(h.slot(of: PurchaseHistory(frequency: 1, recency: 499, age: 1_000)))
        XCTAssertEqual(h.histories[1], PurchaseHistory(frequency: 0, recency: 0, age: 30))
    }
}
