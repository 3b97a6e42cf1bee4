import Foundation
import Shop
import TestSupport
import XCTest

/// What a manager reads, on a generated shop run end to end: plain words only (issue 8, item 4), and past periods that
/// re-render with the figures they had (item 9).
final class ReportWordingTests: XCTestCase {
    var out: String!

    override func setUpWithError() throws {
        out = FileManager.default.temporaryDirectory.appendingPathComponent("dusangire-words-\(UUID().uuidString)").path
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: out) }

    /// A generated shop (60 days to Tuesday 1 December 2026, 150 customers, campaigns, funnel events) with one
    /// order whose total does not add up, so the data-quality part has something to say.
    func seededShop() throws -> (TestShop, [String: String]) {
        let shop = try TestShop()
        let env = ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url, "DUSANGIRE_SEED_URL": shop.url]
        let seeded = try CLI.run(["seed", "--last-day", "2026-12-01", "--days", "60", "--customers", "150"], env: env)
        XCTAssertEqual(seeded.status, 0, seeded.err)
        try shop.user(900_001, first: "Odette", last: "Mukamana")
        try shop.order(900_001, user: 900_001, kigali: "2026-12-01 12:30", subtotal: 5000, total: 4000)
        return (shop, env)
    }

    func cli(_ args: [String], _ env: [String: String]) throws {
        let r = try CLI.run(args, env: env)
        XCTAssertEqual(r.status, 0, "\(args.joined(separator: " ")): \(r.err)")
    }

    /// Names a manager must never read: snake_case words (`customers_with_sales`, `complete_order`), schema.table
    /// names (`analytics.rejected_rows`), and counts of four or more digits without separators (years excepted).
    static func codeNames(in text: String) -> [String] {
        let patterns = ["\\b[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+\\b", "\\b(analytics|public)\\.[a-z_]+", "(?<![\\d.,:/-])\\b(?!(19|20)\\d\\d\\b)\\d{4,}\\b(?![.,:/-]?\\d)"]
        return patterns.flatMap { p -> [String] in
            let re = try! NSRegularExpression(pattern: p)
            return re.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range, in: text).map { String(text[$0]) } }
        }
    }

    /// The HTML page's text outside the "For analysts" section: tags and the stylesheet removed, entities decoded.
    static func managerText(html: String) throws -> String {
        let analysts = try XCTUnwrap(html.range(of: "<section id=\"for-analysts\">"), "the page has a For analysts section")
        let end = try XCTUnwrap(html.range(of: "</section>", range: analysts.upperBound..<html.endIndex))
        let manager = String(html[..<analysts.lowerBound]) + String(html[end.upperBound...])
        let noStyle = manager.replacingOccurrences(of: "<style>[^<]*</style>", with: " ", options: .regularExpression)
        let noTags = noStyle.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
        return noTags.replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    func testManagerReportsNameNoTablesColumnsOrCodes() throws {
        let (shop, env) = try seededShop()
        defer { withExtendedLifetime(shop) {} }
        try cli(["run", "--date", "2026-12-01", "--out", out], env)
        try cli(["report", "--name", "weekly", "--date", "2026-11-29", "--out", out], env)
        try cli(["report", "--name", "monthly", "--date", "2026-11-30", "--out", out], env)

        for stem in ["daily-2026-12-01", "weekly-2026-W48", "monthly-2026-11"] {
            let html = try String(contentsOfFile: out + "/\(stem).html", encoding: .utf8)
            let text = try Self.managerText(html: html)
            XCTAssertEqual(Self.codeNames(in: text), [], "\(stem).html names tables or codes outside For analysts")
            XCTAssertFalse(text.contains("source rows"), stem)

            let xlsx = XLSXFile(out + "/\(stem).xlsx")
            for sheet in try xlsx.sheetNames() where sheet != "For analysts" {
                let texts = try xlsx.texts(ofSheet: sheet).joined(separator: " | ")
                XCTAssertEqual(Self.codeNames(in: texts), [], "\(stem).xlsx sheet \(sheet)")
            }
            XCTAssertEqual(Self.codeNames(in: try xlsx.chartTexts().joined(separator: " | ")), [], "\(stem).xlsx charts")
            XCTAssertTrue(try xlsx.sheetNames().contains("Glossary"))

            // The analysts' part does carry the names, so nothing is lost.
            let analysts = try xlsx.texts(ofSheet: "For analysts")
            XCTAssertTrue(analysts.contains("direct_order"), stem)
        }
        // A day's unique visitors are the shop's count; a week's are their sum, named as such in every format.
        let dayViews = try String(contentsOfFile: out + "/daily-2026-12-01-page-views.csv", encoding: .utf8)
        XCTAssertTrue(dayViews.hasPrefix("First day,Last day,Page,Views,Unique visitors\r\n"), dayViews)
        let weekViews = try String(contentsOfFile: out + "/weekly-2026-W48-page-views.csv", encoding: .utf8)
        XCTAssertTrue(weekViews.hasPrefix("First day,Last day,Page,Views,Visitor-days\r\n"), weekViews)
        XCTAssertTrue(try XLSXFile(out + "/weekly-2026-W48.xlsx").texts(ofSheet: "Page views").contains("Visitor-days"))
        // The bad order of 1 December: in words for the manager, by code for the analyst.
        let daily = try String(contentsOfFile: out + "/daily-2026-12-01.html", encoding: .utf8)
        XCTAssertTrue(daily.contains("1 record from the shop&#39;s database was set aside for this period"), "singular, plain")
        XCTAssertTrue(daily.contains("The total does not equal items + delivery - discounts"))
        let analysts = try XLSXFile(out + "/daily-2026-12-01.xlsx").texts(ofSheet: "For analysts")
        XCTAssertTrue(analysts.contains("total_mismatch"))
        XCTAssertTrue(analysts.contains("orders_order"))
    }

    /// Issue 8's example: the 1 December daily report, re-rendered after `backfill --from 2026-11-01 --to 2026-11-30`,
    /// lost its "Expected sales" and "CLV" cards and showed campaign figures as of 30 November. A past period must
    /// re-render with the numbers it gave when first rendered; and a weekly report shows customers as of its Sunday,
    /// or says why it cannot.
    func testPastPeriodsReRenderWithTheFiguresTheyHad() throws {
        let (shop, env) = try seededShop()
        defer { withExtendedLifetime(shop) {} }
        let first = out + "/first", again = out + "/again"
        // As on the demo: the history loaded, then the nightly run of 1 December writes its report.
        try cli(["backfill", "--from", "2026-10-03", "--to", "2026-11-30", "--no-report"], env)
        try cli(["run", "--date", "2026-12-01", "--out", first], env)
        let firstHTML = try String(contentsOfFile: first + "/daily-2026-12-01.html", encoding: .utf8)
        XCTAssertTrue(firstHTML.contains("Expected sales, next 30 days"))
        XCTAssertTrue(firstHTML.contains("12-month CLV, all customers"))
        let running = try XCTUnwrap(try shop.admin.scalar("""
            SELECT count(*) FROM analytics.campaign_performance p JOIN analytics.campaigns c USING (campaign_id)
            WHERE p.as_of = '2026-12-01' AND c.first_day <= '2026-11-30' AND c.last_day >= '2026-12-01'
            """))
        XCTAssertNotEqual(running, "0", "a campaign runs over 30 November and 1 December, so its figures differ between the two days")

        try cli(["backfill", "--from", "2026-11-01", "--to", "2026-11-30", "--no-report"], env)
        try cli(["report", "--name", "daily", "--date", "2026-12-01", "--out", again], env)
        let againHTML = try String(contentsOfFile: again + "/daily-2026-12-01.html", encoding: .utf8)
        XCTAssertEqual(againHTML, firstHTML, "the re-rendered page is the page first rendered")
        let firstBook = XLSXFile(first + "/daily-2026-12-01.xlsx"), againBook = XLSXFile(again + "/daily-2026-12-01.xlsx")
        for sheet in try firstBook.sheetNames() {
            XCTAssertEqual(try againBook.texts(ofSheet: sheet), try firstBook.texts(ofSheet: sheet), sheet)
            XCTAssertEqual(try againBook.sheet(named: sheet), try firstBook.sheet(named: sheet), sheet)
        }

        // The week that ended on Sunday 29 November: no job computed customers as of that day, and the report says so.
        try cli(["report", "--name", "weekly", "--date", "2026-11-29", "--out", again], env)
        let weekly = try String(contentsOfFile: again + "/weekly-2026-W48.html", encoding: .utf8)
        XCTAssertTrue(weekly.contains("<h2>Customers</h2><p class=\"warn\">Customer figures as of Sunday 29 November 2026, the last day of this report, were never computed"), weekly)
        XCTAssertFalse(weekly.contains("As of 30 November 2026"), "never another day's figures as the week's")
        // Once they are computed, the weekly report shows them, as of its Sunday.
        try cli(["backfill", "--from", "2026-11-29", "--to", "2026-11-29", "--areas", "customers", "--no-report"], env)
        try cli(["report", "--name", "weekly", "--date", "2026-11-29", "--out", again], env)
        let weeklyAgain = try String(contentsOfFile: again + "/weekly-2026-W48.html", encoding: .utf8)
        XCTAssertTrue(weeklyAgain.contains("As of 29 November 2026 (end of that shop day)."))
        XCTAssertTrue(weeklyAgain.contains("Expected sales, next 30 days"))
        XCTAssertFalse(weeklyAgain.contains("were never computed"))
        // And the daily report of 1 December still has its own.
        try cli(["report", "--name", "daily", "--date", "2026-12-01", "--out", again], env)
        XCTAssertEqual(try String(contentsOfFile: again + "/daily-2026-12-01.html", encoding: .utf8), firstHTML)
    }
}
