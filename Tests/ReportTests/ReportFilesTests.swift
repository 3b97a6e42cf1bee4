import Analytics
import Foundation
import Reports
import Shop
import TestSupport
import XCTest

/// The daily report's files, written and read back: the XLSX unzipped, the HTML and CSV as text.
final class ReportFilesTests: XCTestCase {
    let day = ShopDay(iso: "2026-11-23")!
    var dir: String!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("daily-\(UUID().uuidString)").path
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    static let definition = ReportDefinition(name: "daily", title: "Dusangire daily report", period: .day,
                                             targets: [KPITarget(kpi: .revenue, goal: 20_000)],
                                             recipients: [ReportRecipient(name: "M", email: "m@example.rw", role: "manager")],
                                             customerDataRoles: ["manager"])

    /// A report with hand-set figures: 2 sales of RWF 12,345.50 on the day, RWF 10,000 the day before, a hostile
    /// top customer.
    func report() -> PeriodReport {
        var today = DailySnapshot(day: day)
        today.totalOrders = 2; today.uniqueCustomers = 2; today.totalRevenue = Money(hundredths: 1_234_550)
        today.averageOrderValue = Money(hundredths: 617_275); today.mobileMoneyOrders = 2
        var previous = DailySnapshot(day: day.advanced(by: -1))
        previous.totalOrders = 1; previous.totalRevenue = Money(francs: 10_000); previous.averageOrderValue = Money(francs: 10_000)
        let trend = ShopDayRange(day.advanced(by: -29), day).map { d in d == day ? today : d == previous.day ? previous : DailySnapshot(day: d) }
        let range = ShopDayRange(day, day)
        return PeriodReport(
            name: "daily", title: "Dusangire daily report", period: .day, range: range, timeZone: "Africa/Kigali",
            current: PeriodTotals(range: range, snapshots: [today], uniqueCustomers: 2),
            previous: PeriodTotals(range: ShopDayRange(previous.day, previous.day), snapshots: [previous], uniqueCustomers: 1),
            lastYear: PeriodTotals(range: ShopDayRange(day.advanced(by: -364), day.advanced(by: -364))), trend: trend,
            channels: RevenueChannel.allCases.map {
                ChannelRevenue(day: day, channel: $0, amount: $0 == .directOrder ? today.totalRevenue : .zero, transactions: $0 == .directOrder ? 2 : 0)
            },
            previousChannels: [ChannelRevenue(day: previous.day, channel: .directOrder, amount: previous.totalRevenue, transactions: 1)],
            payments: PaymentMethod.allCases.map {
                PaymentMethodFigures(day: day, method: $0, orders: $0 == .mtnMobileMoney ? 2 : 0, amount: $0 == .mtnMobileMoney ? today.totalRevenue : .zero)
            },
            discountFigures: DiscountKind.allCases.map { DiscountFigures(day: day, kind: $0, orders: 0, amount: .zero) },
            topCustomers: [
                TopCustomer(day: day, rank: 1, userId: 7, name: "<script>alert('x')</script>", sales: 1, revenue: Money(hundredths: 1_000_050)),
                TopCustomer(day: day, rank: 2, userId: 8, name: "=cmd|' /C calc'!A0", sales: 1, revenue: Money(francs: 2_345)),
            ],
            rejected: [RejectedCount(source: "orders_order", reason: "total_mismatch", count: 3)],
            targets: Self.definition.targets)
    }

    func files(_ audience: Audience = .full) throws -> ReportFiles.Written {
        try ReportFiles(report(), definition: Self.definition, audience: audience).write(into: dir)
    }

    func testHTMLIsSelfContainedAndEscapesCustomerNames() throws {
        let files = try files()
        let html = try String(contentsOfFile: dir + "/daily-2026-11-23.html", encoding: .utf8)
        XCTAssertEqual(files.html, dir + "/daily-2026-11-23.html")
        XCTAssertFalse(html.contains("<script"), "no script element, hostile or otherwise")
        XCTAssertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        XCTAssertFalse(html.contains("src=\"http"), "no external assets")
        XCTAssertFalse(html.contains("<link"))
        XCTAssertTrue(html.contains("<svg"), "the chart is inline SVG")
        XCTAssertTrue(html.contains("RWF 12,346"), "revenue in whole francs")
        XCTAssertTrue(html.contains("+23.5%"), "12,345.50 against 10,000 the day before")
        XCTAssertTrue(html.contains("total_mismatch"))
        XCTAssertTrue(html.contains("61.7%"), "target progress: 12,345.50 of 20,000")
    }

    func testCustomerNamesAreMaskedForRolesThatMayNotSeeThem() throws {
        _ = try files(Audience(role: "kitchen", showsCustomerData: false))
        let html = try String(contentsOfFile: dir + "/daily-2026-11-23.html", encoding: .utf8)
        XCTAssertFalse(html.contains("alert"), "the name is not there at all")
        XCTAssertFalse(html.contains("cmd|"))
        let csv = try String(contentsOfFile: dir + "/daily-2026-11-23-top-customers.csv", encoding: .utf8)
        XCTAssertTrue(csv.contains("\r\n1,S.,1,10000.50\r\n2,C. C. C.,1,2345.00\r\n"), csv)
        let strings = try unzip(dir + "/daily-2026-11-23.xlsx", "xl/sharedStrings.xml")
        XCTAssertFalse(strings.contains("calc"))
        XCTAssertTrue(Self.definition.seesCustomerData("manager"))
        XCTAssertFalse(Self.definition.seesCustomerData("kitchen"))
    }

    func testCSVFilesAreExactAndInjectionSafe() throws {
        _ = try files()
        let days = try String(contentsOfFile: dir + "/daily-2026-11-23-days.csv", encoding: .utf8)
        XCTAssertEqual(days.components(separatedBy: "\r\n").count, 32, "header, 30 days, final empty")
        XCTAssertTrue(days.contains("\r\n2026-11-23,2,2,12345.50,6172.75,0.00,"))
        let top = try String(contentsOfFile: dir + "/daily-2026-11-23-top-customers.csv", encoding: .utf8)
        XCTAssertTrue(top.contains("\r\n2,'=cmd|' /C calc'!A0,1,2345.00\r\n"), top)
    }

    func testWorkbookHasTheSheetsFormatsAndChart() throws {
        _ = try files()
        let xlsx = dir + "/daily-2026-11-23.xlsx"
        let workbook = try unzip(xlsx, "xl/workbook.xml")
        for name in ["Summary", "Daily", "Targets", "Channels", "Payments", "Discounts", "Top customers"] {
            XCTAssertTrue(workbook.contains("name=\"\(name)\""), "sheet \(name)")
        }
        let styles = try unzip(xlsx, "xl/styles.xml")
        XCTAssertTrue(styles.contains("formatCode=\"#,##0&quot; RWF&quot;\""), "RWF number format")
        XCTAssertTrue(styles.contains("formatCode=\"yyyy-mm-dd\""))

        let summary = try unzip(xlsx, "xl/worksheets/sheet1.xml")
        XCTAssertTrue(summary.contains("<v>12345.5</v>"), "revenue is a number cell in francs")
        XCTAssertTrue(summary.contains("<pane"), "frozen header")

        let daily = try unzip(xlsx, "xl/worksheets/sheet2.xml")
        XCTAssertTrue(daily.contains("<pane xSplit=\"1\" ySplit=\"1\""), daily.prefix(600).description)
        XCTAssertTrue(daily.contains("<autoFilter ref=\"A1:T31\""))
        XCTAssertTrue(daily.contains("<v>46349</v>"), "2026-11-23 is a date serial")
        XCTAssertTrue(daily.contains("<cols>"), "column widths are set")

        let chart = try unzip(xlsx, "xl/charts/chart1.xml")
        XCTAssertTrue(chart.contains("<c:barChart>"))
        XCTAssertTrue(chart.contains("Daily!$D$2:$D$31"), "the chart plots the revenue column")

        let strings = try unzip(xlsx, "xl/sharedStrings.xml")
        XCTAssertTrue(strings.contains("=cmd|' /C calc'!A0"), "stored as text")
        let topSheet = try unzip(xlsx, "xl/worksheets/sheet7.xml")
        XCTAssertFalse(topSheet.contains("<f>"), "no formulas from data")
    }

    private func unzip(_ file: String, _ member: String) throws -> String { try XLSXFile(file).part(member) }
}
