import Analytics
import Reports
import Shop
import XCTest

/// The Customers section says what the purchase model knows: no chance-still-active column and no CLV card when the
/// fit found no dropout, one plain sentence instead; the model check's tables with their shares.
final class CustomerModelSectionTests: XCTestCase {
    func report(dropout: Bool) -> CustomerReport {
        var r = CustomerReport(asOf: ShopDay(iso: "2026-11-30")!)
        r.fits = [CustomerReport.ModelFit(model: "bg_nbd", fitted: true, timeUnit: "day", parameters: [("a", dropout ? 0.5 : 5e-6), ("b", 2)],
                                          logLikelihood: -10, customersUsed: 12, distinctPoints: 5, converged: true, note: nil,
                                          dropoutFound: dropout)]
        r.atRisk = [CustomerReport.ListRow(rank: 1, userId: 8, name: "Aline Uwase", lifetimeValue: Money(francs: 5_000), totalOrders: 1,
                                           daysSinceLastOrder: 121, rfmGroup: "Dormant", probabilityAlive: dropout ? 0.25 : nil,
                                           action: "Second-order coupon")]
        r.clv12Months = Money(francs: 1_000_000)
        r.checkFittedTo = ShopDay(iso: "2026-10-31")
        r.checkPurchases = [ModelCheck.Row(label: "All customers", customers: 12, predicted: 10, actual: 8)]
        r.checkAtRisk = [ModelCheck.Row(label: "All customers", customers: 12, predicted: nil, actual: 7),
                         ModelCheck.Row(label: "No sale for 60 days or more", customers: 4, predicted: nil, actual: 3)]
        return r
    }

    func html(_ r: CustomerReport) -> String {
        var b = HTMLBuilder()
        CustomersSection(r).html(into: &b)
        return b.html
    }

    func testNoDropoutShowsASentenceAndNoChanceOrCLV() {
        let page = html(report(dropout: false))
        XCTAssertTrue(page.contains("The purchase model found no clear sign that customers stop buying"))
        XCTAssertFalse(page.contains("Chance still active"))
        XCTAssertFalse(page.contains("CLV"))
        XCTAssertFalse(page.contains("RWF 1,000,000"))
    }

    func testDropoutShowsTheChanceStillActiveAndTheCLV() {
        let page = html(report(dropout: true))
        XCTAssertFalse(page.contains("found no clear sign"))
        XCTAssertTrue(page.contains("<th class=\"num\">Chance still active</th>"))
        XCTAssertTrue(page.contains("<td class=\"num\">25%</td>"))
        XCTAssertTrue(page.contains("12-month CLV, all customers</div><div class=\"value\">RWF 1,000,000"))
    }

    func testModelCheckTablesGoToTheAnalysts() throws {
        let tables = CustomersSection(report(dropout: true)).analystTables
        let purchases = try XCTUnwrap(tables.first { $0.title.hasPrefix("Model check: the purchase model fitted on the sales up to 2026-10-31") })
        // Predicted 10 against 8 actual: +25 %.
        XCTAssertEqual(purchases.rows.map { $0.map(\.encoded) }, [["All customers", "12", "10.0", "8", "25.0"]])
        // The 60-day rule flagged 4, of whom 3 bought nothing (75 %): 3 of the 7 who bought nothing (42.9 %).
        let rules = try XCTUnwrap(tables.first { $0.title == "Model check: who the at-risk rules flagged on 2026-10-31" })
        XCTAssertEqual(rules.rows.map { $0.map(\.encoded) }, [["All customers", "12", "7", "58.3", "100.0"],
                                                            ["No sale for 60 days or more", "4", "3", "75.0", "42.9"]])
        XCTAssertFalse(html(report(dropout: true)).contains("Model check"), "not in the managers' part of the section")
    }
}
