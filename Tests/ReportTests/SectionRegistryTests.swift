import Analytics
import Foundation
import Reports
import Shop
import TestSupport
import XCTest

/// The section registry: the names definitions may use come from it, and a definition's choice is what every file
/// shows (files written and read back, without a database: the sections made from the period's own figures).
final class SectionRegistryTests: XCTestCase {
    func testDefinitionsKnowTheRegisteredSectionsInOrder() {
        XCTAssertEqual(ReportDefinition.knownSections, ["dashboard", "targets", "channels", "payments", "discounts", "dishes", "hours",
                                                        "top_customers", "customers", "campaigns", "funnel", "kitchen", "campaign", "quality"])
        XCTAssertEqual(ReportDefinition.defaultSections, ["dashboard", "targets", "channels", "payments", "discounts", "dishes", "hours",
                                                          "top_customers", "customers", "campaigns", "funnel", "quality"])
    }

    func testPaymentsAndTopCustomersAloneAreAllTheFilesHold() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("subset-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var definition = ReportFilesTests.definition
        definition.sections = ["top_customers", "payments"]
        let written = try ReportFiles(ReportFilesTests.report(day: ShopDay(iso: "2026-11-23")!), definition: definition).write(into: dir)
        XCTAssertEqual(written.csv.map { ($0 as NSString).lastPathComponent },
                       ["daily-2026-11-23-top-customers.csv", "daily-2026-11-23-payments.csv"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".csv") }.sorted(),
                       ["daily-2026-11-23-payments.csv", "daily-2026-11-23-top-customers.csv"])
        let html = try String(contentsOfFile: written.html, encoding: .utf8)
        let re = try NSRegularExpression(pattern: "<h2>([^<]*)</h2>")
        XCTAssertEqual(re.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { String(html[Range($0.range(at: 1), in: html)!]) },
                       ["Top customers of the day", "Payment methods", "For analysts"])
        XCTAssertFalse(html.contains("Day by day") || html.contains("set aside"), "no dashboard, no data quality")
        let xlsx = XLSXFile(written.xlsx)
        XCTAssertEqual(try xlsx.sheetNames(), ["Top customers", "Payments", "For analysts", "Glossary"])
        // The glossary has what a shop day is, then only the chosen sections' figures.
        XCTAssertEqual(try xlsx.texts(ofSheet: "Glossary").filter { !$0.contains(" ") || $0.count < 30 }.prefix(5),
                       ["Figure", "What it means", "Shop day", "Top customers of the day", "Payment methods"])
        // Two sales paid with MTN mobile money, RWF 12,345.50: all of the day's revenue.
        XCTAssertEqual(try String(contentsOfFile: dir + "/daily-2026-11-23-payments.csv", encoding: .utf8)
                        .components(separatedBy: "\r\n").filter { $0.contains(",2,") }, ["MTN Mobile Money,2,12345.50,100.0"])
    }
}
