import Foundation
import Pipeline
import Postgres
import Shop
import TestSupport
import XCTest

/// The kitchen plan, the quarterly review and a report over a chosen range, rendered by the command line from the
/// analytics tables of a small hand-made shop, and read back from the files.
final class DishReportsTests: XCTestCase {
    /// Thursday 26 November 2026: the report's day ("yesterday"); today is Friday 27, tomorrow Saturday 28.
    let day = ShopDay(iso: "2026-11-26")!

    /// Portions of each dish sold per day (one order per day and dish, 2,000 RWF a portion, at noon Kigali time):
    /// Brochettes on the last four Saturdays 3, 5, 2 and 0; on Friday 20 four; yesterday one. Isombe once on
    /// Saturday 21 and twice yesterday. Every day from 30 October (the plan's first) to the 26th is computed.
    private func shop() throws -> TestShop {
        let shop = try TestShop()
        try shop.menuItem(1, "Brochettes", category: "Grills", price: 2000)
        try shop.menuItem(2, "Isombe", category: "Local dishes", price: 2000)
        try shop.user(1)
        let sold: [(String, Int, Int)] = [("2026-11-21", 1, 3), ("2026-11-14", 1, 5), ("2026-11-07", 1, 2), ("2026-11-20", 1, 4),
                                         ("2026-11-26", 1, 1), ("2026-11-21", 2, 1), ("2026-11-26", 2, 2)]
        for (i, (d, item, n)) in sold.enumerated() {
            try shop.order(i + 1, user: 1, kigali: "\(d) 12:\(10 + i)", subtotal: 2000 * n)
            try shop.orderItem(i + 1, order: i + 1, menuItem: item, quantity: n, price: 2000)
        }
        _ = try shop.job().backfill(ShopDayRange(ShopDay(iso: "2026-10-30")!, day))
        return shop
    }

    private func report(_ shop: TestShop, _ args: [String]) throws -> String {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("reports-\(UUID().uuidString)").path
        let env = ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url,
                   "DUSANGIRE_REPORTS_DIR": TestShop.repoRoot.appendingPathComponent("reports").path]
        let r = try CLI.run(["report"] + args + ["--out", out], env: env)
        XCTAssertEqual(r.status, 0, r.err)
        return out
    }

    private func csv(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    func testKitchenPlanExpectsTheAverageOfTheLastFourSameWeekdays() throws {
        let shop = try shop()
        let out = try report(shop, ["--name", "kitchen", "--date", "2026-11-26"])
        defer { try? FileManager.default.removeItem(atPath: out) }
        XCTAssertEqual(try csv(out + "/kitchen-2026-11-26-kitchen.csv"), [
            "Dish,Category,Sold yesterday,Expected today,Lowest today,Highest today,Expected tomorrow,Lowest tomorrow,Highest tomorrow",
            "Brochettes,Grills,1,1.00,0,4,2.50,0,5",
            "Isombe,Local dishes,2,0.00,0,0,0.25,0,1",
        ])
        let html = try String(contentsOfFile: out + "/kitchen-2026-11-26.html", encoding: .utf8)
        XCTAssertTrue(html.contains("Yesterday, Thursday 26 November: 3 portions sold."), html)
        XCTAssertTrue(html.contains("Tomorrow, Saturday 28 November: expect about 3 portions, as on the last 4 Saturdays."))
        XCTAssertTrue(html.contains("Today, Friday 27 November: expect about 1 portion, as on the last 4 Fridays."))
        XCTAssertTrue(html.contains("<td class=\"num\">0 – 5</td>"))
        XCTAssertFalse(html.contains("Uwase"), "no customer in the kitchen's page")
        XCTAssertFalse(html.contains("Top customers"))
        XCTAssertFalse(html.contains("For analysts"), "the kitchen's plan has no analysts' section")
        let xlsx = XLSXFile(out + "/kitchen-2026-11-26.xlsx")
        XCTAssertTrue(try xlsx.sheetNames().contains("Kitchen"))
        XCTAssertFalse(try xlsx.sheetNames().contains("For analysts"))
        XCTAssertTrue(try xlsx.sheet(named: "Kitchen").contains("<v>2.5</v>"))
    }

    func testKitchenMailSaysThePlanNotTheSales() throws {
        let shop = try shop()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("kitchen-mail-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let env = ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url,
                   "DUSANGIRE_REPORTS_DIR": TestShop.repoRoot.appendingPathComponent("reports").path]
        let r = try CLI.run(["send", "--name", "kitchen", "--date", "2026-11-26", "--dry-run", "--out", out], env: env)
        XCTAssertEqual(r.status, 0, r.err)
        let eml = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: out).first { $0.hasSuffix(".eml") })
        let message = try String(contentsOfFile: out + "/" + eml, encoding: .utf8)
        XCTAssertTrue(message.contains("Brochettes: about 3 tomorrow (0 to 5), 1 sold yesterday."), message)
        XCTAssertFalse(message.contains("Highlights"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/masked/kitchen-2026-11-26.pdf"))  // the kitchen may not see customer data
    }

    func testQuarterlyReviewCoversTheCalendarQuarter() throws {
        let shop = try shop()
        let out = try report(shop, ["--name", "quarterly", "--date", "2026-11-26"])
        defer { try? FileManager.default.removeItem(atPath: out) }
        let summary = try csv(out + "/quarterly-2026-Q4-summary.csv")
        XCTAssertEqual(summary[0], "Figure,This quarter,Previous quarter,Same quarter last year,Change vs the previous quarter (%),Change vs the same quarter last year (%)")
        // Q3 and Q4 2025 were never computed: no data, not 0.
        XCTAssertEqual(summary[1], "Revenue,36000.00,,,,")
        XCTAssertEqual(summary[2], "\"Sales (delivered, not refunded)\",7,,,,")
        XCTAssertTrue(try String(contentsOfFile: out + "/quarterly-2026-Q4.html", encoding: .utf8).contains("Q4 2026 (October – December)"))
        // Nor for the dishes: no previous portions, no change, where they read 0 and +15.
        XCTAssertEqual(try csv(out + "/quarterly-2026-Q4-dishes.csv").dropFirst(), [
            "Brochettes,Grills,15,30000.00,,,", "Isombe,Local dishes,3,6000.00,,,",
        ])
        XCTAssertTrue(try String(contentsOfFile: out + "/quarterly-2026-Q4.html", encoding: .utf8)
            .contains("No changes are shown: 1 July – 30 September 2026 (92 days) has no data."))
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/quarterly-2026-Q4.html"))
        XCTAssertTrue(try XLSXFile(out + "/quarterly-2026-Q4.xlsx").sheetNames().contains("Dishes"))
    }

    /// The 5 days before 3-7 November start on 29 October, which was never computed: the dishes are not compared with
    /// them, as the dashboard does not compare, where every dish showed as a riser against the 4 days there are.
    func testDishesAreNotComparedWithAPeriodNotFullyComputed() throws {
        let shop = try shop()
        let out = try report(shop, ["--name", "weekly", "--from", "2026-11-03", "--to", "2026-11-07"])
        defer { try? FileManager.default.removeItem(atPath: out) }
        let stem = out + "/weekly-2026-11-03_2026-11-07"
        XCTAssertEqual(try csv(stem + "-dishes.csv").dropFirst(), ["Brochettes,Grills,2,4000.00,,,"])
        XCTAssertEqual(try csv(stem + "-dish-categories.csv").dropFirst(), ["Grills,1,2,4000.00,100.0,"])
        let html = try String(contentsOfFile: stem + ".html", encoding: .utf8)
        XCTAssertTrue(html.contains("No changes are shown: 29 October – 2 November 2026 (5 days) has only 4 of 5 days computed."), html)
        XCTAssertFalse(html.contains("<td class=\"num\">+2</td>"), html)
        XCTAssertTrue(try XLSXFile(stem + ".xlsx").texts(ofSheet: "Dishes").contains(
            "Dishes, 3 November – 7 November 2026 (5 days), not compared with 29 October – 2 November 2026 (5 days) (only 4 of 5 days)"))
    }

    func testAnyRangeComparesWithTheSameNumberOfDaysBefore() throws {
        let shop = try shop()
        let out = try report(shop, ["--name", "weekly", "--from", "2026-11-20", "--to", "2026-11-26"])
        defer { try? FileManager.default.removeItem(atPath: out) }
        let stem = out + "/weekly-2026-11-20_2026-11-26"
        let summary = try csv(stem + "-summary.csv")
        XCTAssertEqual(summary[0], "Figure,This period,Previous period,Same period last year,Change vs the previous period (%),Change vs the same period last year (%)")
        // 20-26 Nov: 22,000 in 5 sales; 13-19 Nov (the 7 days before): 10,000 in 1; a year earlier: never computed.
        XCTAssertEqual(summary[1], "Revenue,22000.00,10000.00,,120.0,")
        XCTAssertEqual(summary[2], "\"Sales (delivered, not refunded)\",5,1,,400.0,")
        XCTAssertEqual(try csv(stem + "-dishes.csv").dropFirst(), [
            "Brochettes,Grills,8,16000.00,5,10000.00,3", "Isombe,Local dishes,3,6000.00,0,0.00,3",
        ])
        let hours = try csv(stem + "-hours.csv")
        XCTAssertEqual(hours.count, 1 + 7 * 24)
        XCTAssertTrue(hours.contains("Friday,12,1,1,8000.00"))
        XCTAssertTrue(hours.contains("Saturday,12,1,2,8000.00"))
        XCTAssertTrue(hours.contains("Thursday,12,1,2,6000.00"))
        let html = try String(contentsOfFile: stem + ".html", encoding: .utf8)
        XCTAssertTrue(html.contains("Most ordered"))
        XCTAssertTrue(html.contains("20 November – 26 November 2026 (7 days)"))
        // The dishes compare with the 7 days before, named in words, not as ISO dates.
        XCTAssertTrue(html.contains("Changes compare with 13 November – 19 November 2026 (7 days)."))
        XCTAssertTrue(try XLSXFile(stem + ".xlsx").texts(ofSheet: "Dishes").contains(
            "Dishes, 20 November – 26 November 2026 (7 days), against 13 November – 19 November 2026 (7 days)"))
        XCTAssertTrue(try XLSXFile(stem + ".xlsx").sheetNames().contains("Hours"))
        // The dishes' header row is as tall as its wrapped titles ("Revenue at menu prices (RWF)": two lines), and the
        // categories print one page wide like the dishes.
        let dishes = try XLSXFile(stem + ".xlsx").sheet(named: "Dishes")
        XCTAssertTrue(dishes.contains("<row r=\"4\" spans=\"1:7\" ht=\"33\" customHeight=\"1\">"), dishes)
        let categories = try XLSXFile(stem + ".xlsx").sheet(named: "Categories")
        XCTAssertTrue(categories.contains("<row r=\"1\" spans=\"1:6\" ht=\"33\" customHeight=\"1\">"), categories)
        XCTAssertTrue(categories.contains("orientation=\"landscape\""), categories)
    }

    func testARangeNeedsBothEndsAndNoDate() throws {
        let r = try CLI.run(["report", "--name", "weekly", "--from", "2026-11-20"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.err.contains("--from and --to go together"), r.err)
        let both = try CLI.run(["report", "--name", "weekly", "--from", "2026-11-20", "--to", "2026-11-26", "--date", "2026-11-26"])
        XCTAssertEqual(both.status, 64)
    }
}

/// One campaign's page (`report --name campaign --campaign ID`), rendered from the analytics tables and read back.
final class CampaignPageTests: XCTestCase {
    /// "Karibu week", Monday 23 to Wednesday 25 November, coupon KARIBU15, budget 2,000: a coupon sale of 8,500 on
    /// Monday (1,500 off) and one of 3,400 on Wednesday (600 off); nothing on Tuesday.
    private func shop() throws -> TestShop {
        let shop = try TestShop()
        try shop.user(1); try shop.user(2)
        try shop.campaign(1, name: "Karibu week", description: "15% off with coupon code KARIBU15", startKigali: "2026-11-23 00:00:00",
                          endKigali: "2026-11-25 23:59:59", budget: "2000")
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 10000, coupon: 1500)
        try shop.couponCode(order: 1, "KARIBU15")
        try shop.order(2, user: 2, kigali: "2026-11-25 12:00", subtotal: 4000, coupon: 600)
        try shop.couponCode(order: 2, "karibu15")
        _ = try shop.job(configure: { $0.stages = [CampaignStage()] }).backfill(ShopDayRange(ShopDay(iso: "2026-11-23")!, ShopDay(iso: "2026-11-25")!))
        return shop
    }

    private func env(_ shop: TestShop) -> [String: String] {
        ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url,
         "DUSANGIRE_REPORTS_DIR": TestShop.repoRoot.appendingPathComponent("reports").path]
    }

    func testCampaignPageShowsItsHistoryAndROIDayByDay() throws {
        let shop = try shop()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("campaign-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try CLI.run(["report", "--name", "campaign", "--campaign", "1", "--date", "2026-11-25", "--out", out], env: env(shop))
        XCTAssertEqual(r.status, 0, r.err)
        let stem = out + "/campaign-1-2026-11-25"
        let history = try String(contentsOfFile: stem + "-campaign-history.csv", encoding: .utf8).components(separatedBy: "\r\n")
        XCTAssertEqual(Array(history.dropFirst().prefix(3)), [
            "2026-11-23,1,8500.00,1500.00,1,1,100.00,8500.00,8500.00,2000.00,325.00",
            "2026-11-24,0,0.00,0.00,0,0,0.00,0.00,8500.00,2000.00,325.00",
            "2026-11-25,1,3400.00,600.00,1,1,100.00,3400.00,11900.00,2000.00,495.00",
        ])
        let summary = try String(contentsOfFile: stem + "-campaign-summary.csv", encoding: .utf8)
        XCTAssertTrue(summary.contains("Coupon code,KARIBU15\r\n"), summary)
        XCTAssertTrue(summary.contains("Coupon sales,2\r\n"))
        XCTAssertTrue(summary.contains("Coupon revenue (RWF),11900.00\r\n"))
        XCTAssertTrue(summary.contains("ROI,495.00\r\n"))
        XCTAssertTrue(summary.contains("Lift in words,not measurable: less than four weeks of sales before the campaign\r\n"))
        let html = try String(contentsOfFile: stem + ".html", encoding: .utf8)
        XCTAssertTrue(html.contains("Dusangire campaign review: Karibu week"))
        XCTAssertTrue(html.contains("<td class=\"num\">+495.0%</td>") || html.contains("<td class=\"num\">495.0%</td>"), html)
        XCTAssertTrue(try XLSXFile(stem + ".xlsx").sheetNames().contains("Campaign"))
    }

    func testCampaignPageNeedsAnIdTheShopHas() throws {
        let shop = try shop()
        let missing = try CLI.run(["report", "--name", "campaign", "--date", "2026-11-25", "--out", "/tmp"], env: env(shop))
        XCTAssertEqual(missing.status, 64)
        XCTAssertTrue(missing.err.contains("add --campaign ID"), missing.err)
        let unknown = try CLI.run(["report", "--name", "campaign", "--campaign", "99", "--date", "2026-11-25", "--out", "/tmp"], env: env(shop))
        XCTAssertEqual(unknown.status, 64)
        XCTAssertTrue(unknown.err.contains("There is no campaign 99"), unknown.err)
    }
}
