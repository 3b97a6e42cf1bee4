import Analytics
import Foundation
@testable import Reports
import Shop
import TestSupport
import XCTest

/// A target's progress reads the same in every format, rounded down: a goal not reached never shows 100%.
final class TargetProgressTests: XCTestCase {
    func row(_ actual: Int64, of goal: Int64) -> ReportTables.TargetRow {
        ReportTables.TargetRow(kpi: .sales, goal: goal, actual: actual)
    }

    func testProgressIsRoundedDownFromTheWholeNumbers() {
        // RWF 327,495,108 of RWF 327,500,000 (hundredths): 99.998506...%.
        XCTAssertEqual(row(32_749_510_800, of: 32_750_000_000).progressText(decimals: 0), "99%")
        XCTAssertEqual(row(32_749_510_800, of: 32_750_000_000).progressText(decimals: 1), "99.9%")
        // 29 / 100 * 100 is 28.999... in binary floating point.
        XCTAssertEqual(row(29, of: 100).progressText(decimals: 0), "29%")
        XCTAssertEqual(row(29, of: 100).progressPercent(decimals: 1), "29.0")
        XCTAssertEqual(row(2, of: 2).progressText(decimals: 0), "100%")
        XCTAssertEqual(row(3, of: 2).progressText(decimals: 1), "150.0%")
        XCTAssertEqual(row(1, of: 3).progressText(decimals: 1), "33.3%")
        XCTAssertEqual(row(2, of: 3).progressText(decimals: 1), "66.6%")
        XCTAssertEqual(row(-1, of: 1_000).progressText(decimals: 1), "-0.1%", "below zero, down is away from zero")
        XCTAssertEqual(row(5, of: 0).progressText(decimals: 0), "–")
        XCTAssertNil(row(5, of: 0).progressPercent(decimals: 1))
        // Past a whole number's range (a goal of one hundredth against the most an amount can hold): clamped, no trap.
        XCTAssertEqual(row(.max, of: 1).barPercent, 100)
        XCTAssertEqual(row(.max, of: 1).progressPercent(decimals: 1), "922337203685477580800.0")
        XCTAssertEqual(row(.min, of: 1).barPercent, 0)
        XCTAssertEqual(row(32_749_510_800, of: 32_750_000_000).barPercent, 99)
    }

    /// The sweep's numbers: revenue RWF 327,495,108 against a goal of RWF 327,500,000, and 2 sales against a goal of 2.
    func testAGoalNotReachedNeverShows100PercentInAnyFormat() throws {
        let definition = ReportDefinition(name: "daily", title: "Dusangire daily report", period: .day,
                                          targets: [KPITarget(kpi: .revenue, goal: 327_500_000), KPITarget(kpi: .sales, goal: 2)],
                                          recipients: [ReportRecipient(name: "M", email: "m@example.rw", role: "manager")],
                                          customerDataRoles: ["manager"])
        var report = ReportFilesTests.report(day: ShopDay(iso: "2026-11-23")!)
        report.current.revenue = Money(francs: 327_495_108)
        report.targets = definition.targets
        let email = ReportEmail(report, definition: definition, audience: .full)

        let text = email.text
        XCTAssertTrue(text.contains("  Revenue: RWF 327,495,108 of RWF 327,500,000 (99%)\r\n"), text)
        XCTAssertTrue(text.contains("  Sales (delivered, not refunded): 2 of 2 (100%)\r\n"), text)
        XCTAssertTrue(email.highlights.contains("1 of 2 targets reached; furthest behind: revenue, at 99% of its goal of RWF 327,500,000."),
                      "\(email.highlights)")

        let mail = try email.rendered().html
        XCTAssertTrue(mail.contains("white-space:nowrap;\">99%</td>"), mail)
        XCTAssertTrue(mail.contains("white-space:nowrap;\">100%</td>"), mail)

        var page = HTMLBuilder()
        TargetsSection(report).html(into: &page)
        XCTAssertTrue(page.html.contains("</div></div> 99.9%</td>"), page.html)
        XCTAssertTrue(page.html.contains("</div></div> 100.0%</td>"), "the sales goal is reached")
        guard case .progress(let rows)? = page.blocks.first else { return XCTFail("no progress block for the PDF") }
        XCTAssertEqual(rows.map(\.percent), ["99.9%", "100.0%"], "what the PDF prints")

        let csv = try XCTUnwrap(TargetsSection(report).csvTables.first?.table)
        XCTAssertEqual(csv.rows.map { $0.last }, [.decimal("99.9"), .decimal("100.0")])

        // The bars: a goal not reached never fills its bar, in the e-mail or on the page.
        XCTAssertTrue(mail.contains("<td width=\"99%\" height=\"8\" style=\"background:#e0a800;"), mail)
        XCTAssertTrue(page.html.contains("width:99%\"></div></div> 99.9%</td>"), page.html)
        // The workbook's cell holds the share as shown (its format has one decimal: 0.9998 would read 100.0%).
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("targets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("targets.xlsx").path
        let wb = try Workbook(path: path)
        try TargetsSection(report).addSheets(to: wb)
        try wb.close()
        let sheet = try XLSXFile(path).part("xl/worksheets/sheet1.xml")
        XCTAssertTrue(sheet.contains("<v>0.999</v>"), sheet)
        XCTAssertTrue(sheet.contains("<v>1</v>"), sheet)
    }
}
