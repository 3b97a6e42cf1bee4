import Foundation
import Pipeline
import Postgres
import Shop
import TestSupport
import XCTest

/// A definition's `sections` means the same in every format: the command line renders a small hand-made shop and the
/// HTML headings, the workbook's sheet names, the PDF's text and the CSV file list are read back.
final class SectionChoiceTests: XCTestCase {
    let day = "2026-11-26"

    /// Thursday 26 November 2026: one order of a Brochette (2,000 RWF) and one of two Isombe (4,000 RWF), paid by
    /// cash, at noon Kigali time; the two days before are computed too.
    private func shop() throws -> TestShop {
        let shop = try TestShop()
        try shop.menuItem(1, "Brochettes", category: "Grills", price: 2000)
        try shop.menuItem(2, "Isombe", category: "Local dishes", price: 2000)
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "\(day) 12:10", subtotal: 2000)
        try shop.orderItem(1, order: 1, menuItem: 1, quantity: 1, price: 2000)
        try shop.order(2, user: 1, kigali: "\(day) 12:20", subtotal: 4000)
        try shop.orderItem(2, order: 2, menuItem: 2, quantity: 2, price: 2000)
        _ = try shop.job().backfill(ShopDayRange(ShopDay(iso: "2026-11-24")!, ShopDay(iso: day)!))
        return shop
    }

    /// A reports folder holding one definition, `picked.json`, with these sections.
    private func definitions(_ sections: String, forAnalysts: Bool = true) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("defs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let json = """
            {"name": "picked", "title": "Picked sections", "period": "day", "sections": \(sections), "for_analysts": \(forAnalysts)}
            """
        try json.write(toFile: dir + "/picked.json", atomically: true, encoding: .utf8)
        // The folder is recognised by its daily.json.
        try FileManager.default.copyItem(atPath: TestShop.repoRoot.appendingPathComponent("reports/daily.json").path, toPath: dir + "/daily.json")
        return dir
    }

    private func render(_ shop: TestShop, name: String, reports: String) throws -> (out: String, result: CLI.Result) {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("picked-\(UUID().uuidString)").path
        let env = ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url, "DUSANGIRE_REPORTS_DIR": reports]
        return (out, try CLI.run(["report", "--name", name, "--date", day, "--out", out], env: env))
    }

    private func files(_ out: String, ending suffix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(suffix) }.sorted()
    }

    private func headings(_ html: String) -> [String] {
        let re = try! NSRegularExpression(pattern: "<h2>([^<]*)</h2>")
        return re.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { String(html[Range($0.range(at: 1), in: html)!]) }
    }

    private func pdfText(_ path: String) throws -> String {
        let p = Process(), out = Pipe()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext") else { throw XCTSkip("pdftotext is not installed (scripts/install-deps.sh)") }
        p.arguments = [path, "-"]
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    func testChosenSectionsAreExactlyWhatTheHTMLWorkbookPDFAndCSVShow() throws {
        let shop = try shop()
        let reports = try definitions(#"["channels", "dishes", "quality"]"#)
        let (out, r) = try render(shop, name: "picked", reports: reports)
        defer { try? FileManager.default.removeItem(atPath: out); try? FileManager.default.removeItem(atPath: reports) }
        XCTAssertEqual(r.status, 0, r.err)
        let stem = out + "/picked-\(day)"

        let html = try String(contentsOfFile: stem + ".html", encoding: .utf8)
        XCTAssertEqual(headings(html), ["Revenue by channel", "Dishes", "Data quality", "For analysts"])

        XCTAssertEqual(try XLSXFile(stem + ".xlsx").sheetNames(), ["Channels", "Dishes", "Categories", "Data quality", "For analysts", "Glossary"])
        XCTAssertTrue(try XLSXFile(stem + ".xlsx").texts(ofSheet: "Data quality").contains(
            "Data quality: No records from the shop's database were set aside for this period."))

        let pdf = try pdfText(stem + ".pdf")
        for shown in ["Revenue by channel", "Most ordered", "Data quality", "For analysts"] { XCTAssertTrue(pdf.contains(shown), shown) }
        for left in ["The day at a glance", "Day by day", "Payment methods", "Discounts", "Top customers", "Customers", "Hours"] {
            XCTAssertFalse(pdf.contains(left), left)
        }

        XCTAssertEqual(try files(out, ending: ".csv"), ["picked-\(day)-channels.csv", "picked-\(day)-dish-categories.csv",
                                                       "picked-\(day)-dishes.csv", "picked-\(day)-rejected.csv"])
        // Two sales on the day, 2,000 + 4,000 RWF, both direct orders: 100 % of the revenue.
        let channels = try String(contentsOfFile: stem + "-channels.csv", encoding: .utf8).components(separatedBy: "\r\n")
        XCTAssertEqual(channels[1], "Direct orders,6000.00,2,100.0,,")
    }

    func testKitchenReportWritesNoShopWideFile() throws {
        let shop = try shop()
        let reports = TestShop.repoRoot.appendingPathComponent("reports").path
        let (out, r) = try render(shop, name: "kitchen", reports: reports)
        defer { try? FileManager.default.removeItem(atPath: out) }
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(try files(out, ending: ".csv"), ["kitchen-\(day)-kitchen.csv"])
        XCTAssertEqual(try XLSXFile(out + "/kitchen-\(day).xlsx").sheetNames(), ["Kitchen", "Glossary"])
        let pdf = try pdfText(out + "/kitchen-\(day).pdf")
        XCTAssertTrue(pdf.contains("Kitchen plan"))
        XCTAssertFalse(pdf.contains("Day by day"), "the sales of the last 30 days are not the kitchen's")
        XCTAssertFalse(pdf.contains("Revenue"))
    }

    func testSectionsLeftOutOfADashboardReportLeaveNoFileBehind() throws {
        let shop = try shop()
        let reports = try definitions(#"["dashboard", "payments"]"#, forAnalysts: false)
        let (out, r) = try render(shop, name: "picked", reports: reports)
        defer { try? FileManager.default.removeItem(atPath: out); try? FileManager.default.removeItem(atPath: reports) }
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(try files(out, ending: ".csv"), ["picked-\(day)-days.csv", "picked-\(day)-payments.csv", "picked-\(day)-summary.csv"])
        XCTAssertEqual(try XLSXFile(out + "/picked-\(day).xlsx").sheetNames(), ["Summary", "Daily", "Payments", "Glossary"])
        let html = try String(contentsOfFile: out + "/picked-\(day).html", encoding: .utf8)
        XCTAssertEqual(headings(html), ["The day at a glance", "Revenue, last 30 days", "Payment methods"])
        let pdf = try pdfText(out + "/picked-\(day).pdf")
        XCTAssertTrue(pdf.contains("Day by day"))
        XCTAssertFalse(pdf.contains("Data quality"))
    }

    func testAnUnknownSectionIsRefusedInOnePlainSentence() throws {
        let shop = try shop()
        let reports = try definitions(#"["dashboard", "weather"]"#)
        let (out, r) = try render(shop, name: "picked", reports: reports)
        defer { try? FileManager.default.removeItem(atPath: out); try? FileManager.default.removeItem(atPath: reports) }
        XCTAssertEqual(r.status, 78)
        XCTAssertEqual(r.err, "error: The report definition \(reports)/picked.json is not valid (unknown section 'weather'; known: dashboard, targets, "
                       + "channels, payments, discounts, dishes, hours, top_customers, customers, campaigns, funnel, kitchen, campaign, quality); "
                       + "fix it as reports/README.md describes.\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "nothing written")
    }
}
