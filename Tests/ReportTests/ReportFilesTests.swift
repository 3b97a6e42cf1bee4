import Analytics
import Drawing
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
    func report() -> PeriodReport { Self.report(day: day) }

    static func report(day: ShopDay) -> PeriodReport {
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
            // Last Monday (16 Nov) was never computed: "no data", never "RWF 0".
            comparisons: [
                PeriodComparison(kind: .sameWeekdayLastWeek, period: .day, current: range,
                                 totals: PeriodTotals(range: ShopDayRange(day.advanced(by: -7), day.advanced(by: -7))), channels: []),
                PeriodComparison(kind: .dayBefore, period: .day, current: range,
                                 totals: PeriodTotals(range: ShopDayRange(previous.day, previous.day), snapshots: [previous], uniqueCustomers: 1),
                                 channels: [ChannelRevenue(day: previous.day, channel: .directOrder, amount: previous.totalRevenue, transactions: 1)]),
            ],
            trend: trend,
            channels: RevenueChannel.allCases.map {
                ChannelRevenue(day: day, channel: $0, amount: $0 == .directOrder ? today.totalRevenue : .zero, transactions: $0 == .directOrder ? 2 : 0)
            },
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
        XCTAssertTrue(html.contains("+23.5%</span> vs the day before"), "12,345.50 against 10,000 the day before")
        XCTAssertTrue(html.contains("no data for last Monday"), "last Monday was never computed")
        XCTAssertTrue(html.contains("<td class=\"num\">no data</td>"), "a comparison without data is never shown as RWF 0")
        XCTAssertTrue(html.contains("3 records from the shop&#39;s database were set aside"))
        let analysts = try XCTUnwrap(html.range(of: "<section id=\"for-analysts\">"))
        XCTAssertFalse(html[..<analysts.lowerBound].contains("total_mismatch"), "reason codes only for analysts")
        XCTAssertTrue(html[analysts.lowerBound...].contains("total_mismatch"))
        XCTAssertTrue(html.contains("61.7%"), "target progress: 12,345.50 of 20,000")
    }

    /// A job killed while it wrote the report (SIGKILL, SIGTERM, Ctrl-C) leaves its staging folder with half a file in
    /// the output folder; the next report written there removes it. One of a live writer stays, and so does a link.
    func testAWriterKilledMidFileLeavesNoStagingFolderBehindTheNextWrite() throws {
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let dead = dir + "/.partial-\(gone.processIdentifier)-Ab12Cd", live = dir + "/.partial-\(getpid())-Ef34Gh"
        for folder in [dead, live] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data("PK half a workbook".utf8).write(to: URL(fileURLWithPath: folder + "/daily-2026-11-23.xlsx"))
        }
        let outside = dir + "-outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        try Data("keep".utf8).write(to: URL(fileURLWithPath: outside + "/keep"))
        try FileManager.default.createSymbolicLink(atPath: dir + "/.partial-\(gone.processIdentifier)-Ij56Kl", withDestinationPath: outside)

        // Named by an earlier version, without the process: the one two days old goes, the fresh one stays.
        for (name, age) in [("Mn78Op", 2 * 86_400.0), ("Qr90St", 0)] {
            try FileManager.default.createDirectory(atPath: dir + "/.partial-" + name, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-age)], ofItemAtPath: dir + "/.partial-" + name)
        }
        _ = try files()
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".partial-") }.sorted()
        XCTAssertEqual(left, [".partial-\(gone.processIdentifier)-Ij56Kl", ".partial-\(getpid())-Ef34Gh", ".partial-Qr90St"].sorted())
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside), ["keep"], "a link is not followed")
        XCTAssertTrue(FileManager.default.fileExists(atPath: live + "/daily-2026-11-23.xlsx"), "a live writer's file stays")
    }

    /// A full disk under the workbook (a tmpfs with room for the page only; needs root to mount, skipped otherwise) is
    /// said as such, with the file's own name: it said libxlsxwriter's "Zip generic error ZIP_ERRNO", named the staging
    /// folder's file, and advised to check that the folder exists and is writable.
    func testAFullDiskUnderTheWorkbookIsSaidWithTheFilesOwnName() throws {
        let html = try files().html
        let room = (try FileManager.default.attributesOfItem(atPath: html)[.size] as? Int ?? 0) / 4096 * 4096 + 8192
        let small = dir + "-small"
        try FileManager.default.createDirectory(atPath: small, withIntermediateDirectories: true)
        defer { _ = umount(small); try? FileManager.default.removeItem(atPath: small) }
        guard mount("tmpfs", small, "tmpfs", 0, "size=\(room)") == 0 else { throw XCTSkip("cannot mount a tmpfs here (not root)") }
        XCTAssertThrowsError(try ReportFiles(report(), definition: Self.definition).write(into: small)) { error in
            XCTAssertEqual("\(error)", "Could not write \(small)/daily-2026-11-23.xlsx (no space left on the disk); free space on that disk or choose another --out folder.")
        }
    }

    /// An --out folder on a read-only disk was said to be one "this user may not write in", and the advice was to
    /// check that it is writable: the permissions were never the problem.
    func testAFolderOnAReadOnlyDiskIsSaidToBeOnOne() throws {
        let source = dir + "-source", readOnly = dir + "-ro"
        for d in [source, readOnly] { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) }
        defer {
            _ = umount(readOnly)
            for d in [source, readOnly] { try? FileManager.default.removeItem(atPath: d) }
        }
        guard mount(source, readOnly, nil, UInt(MS_BIND), nil) == 0,
              mount(nil, readOnly, nil, UInt(MS_BIND | MS_REMOUNT | MS_RDONLY), nil) == 0 else {
            throw XCTSkip("cannot make a read-only bind mount here (not root, or no mount rights)")
        }
        XCTAssertThrowsError(try ReportFiles(report(), definition: Self.definition).write(into: readOnly)) { error in
            XCTAssertEqual("\(error)", "Could not write \(readOnly) (the disk is read-only); choose an --out folder on a disk that takes writes, or have that disk mounted read-write.")
        }
        XCTAssertThrowsError(try ReportFiles(report(), definition: Self.definition).write(into: readOnly + "/sub")) { error in
            XCTAssertEqual("\(error)", "Could not write \(readOnly)/sub (the folder could not be created: the disk is read-only); choose an --out folder on a disk that takes writes, or have that disk mounted read-write.")
        }
    }

    /// A PDF that cannot be written is said in the system's words (cairo's own file output said only "cairo: error
    /// while writing to output stream") and with the file's own name.
    func testAPDFOnAFullDiskIsSaidInPlainWords() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { throw XCTSkip("no /dev/full on this machine") }
        let canvas = try Canvas.pdf(path: "/dev/full", width: 595.28, height: 841.89)
        canvas.fill(x: 10, y: 10, width: 100, height: 100, Color(0x198754))
        XCTAssertThrowsError(try canvas.finish()) { error in
            XCTAssertEqual("\(error)", "Could not write /dev/full (no space left on the disk); check that the output folder is writable and the disk has room.")
        }
        XCTAssertThrowsError(try Canvas.pdf(path: dir + "/no-such-folder/daily.pdf", width: 595.28, height: 841.89)) { error in
            XCTAssertEqual("\(error)", "Could not write \(dir!)/no-such-folder/daily.pdf (no such file or directory); check that the output folder is writable and the disk has room.")
        }
    }

    /// Links planted in the output folder (at a file's final name, at the temporary name earlier versions wrote
    /// through, or as the masked copy's folder) never carry a file outside the folder the user named.
    func testLinksInTheFolderAreNeverWrittenThrough() throws {
        let outside = dir + "-outside"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        let stem = dir + "/daily-2026-11-23"
        try FileManager.default.createSymbolicLink(atPath: stem + ".html", withDestinationPath: outside + "/final.html")
        for ext in ["html", "xlsx", "pdf"] {
            try FileManager.default.createSymbolicLink(atPath: stem + ".partial-\(getpid()).\(ext)", withDestinationPath: outside + "/partial.\(ext)")
        }
        _ = try files()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside), [], "nothing written outside")
        let html = try FileManager.default.attributesOfItem(atPath: stem + ".html")
        XCTAssertEqual(html[.type] as? FileAttributeType, .typeRegular, "the link at the final name is replaced by the file")
        XCTAssertTrue(try String(contentsOfFile: stem + ".html", encoding: .utf8).contains("RWF 12,346"))
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: dir).contains { $0.hasPrefix(".partial-") }, "no staging folder left")

        try FileManager.default.createSymbolicLink(atPath: dir + "/masked", withDestinationPath: outside)
        XCTAssertThrowsError(try ReportFiles.subfolder("masked", of: dir)) { error in
            XCTAssertTrue("\(error)".contains("is a link or a file"), "\(error)")
        }
        XCTAssertEqual(try ReportFiles.subfolder("own", of: dir), dir + "/own")
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

    /// The daily table's headings say what each figure counts: sales (delivered, not refunded) by kind and payment
    /// method, beside the orders placed and cancelled in any status; the money column beside "Refunds completed" is the
    /// amount of those refund requests (README, "Refunds"), not the value of the refunded orders.
    func testTheDailyTableNamesItsFiguresForWhatTheyCount() throws {
        _ = try files()
        let days = try String(contentsOfFile: dir + "/daily-2026-11-23-days.csv", encoding: .utf8)
        XCTAssertEqual(days.components(separatedBy: "\r\n").first,
                       "Day,Sales,Unique customers,Revenue (RWF),Average order value (RWF),Discounts (RWF),VIP sales,Subscription sales,"
                       + "Referral sales,Cash sales,Mobile money sales,Bank transfer sales,Card sales,VIP discounts (RWF),"
                       + "Loyalty discounts (RWF),Referral discounts (RWF),Orders placed,Cancelled orders,Refunds completed,Refunds completed (RWF)")
        let appendix = DashboardSection(report()).printAppendix
        guard case .table(let printed, _, _)? = appendix.last else { return XCTFail("the appendix ends with its table") }
        XCTAssertEqual(printed.suffix(3), ["Orders placed", "Cancelled orders", "Refunds completed (RWF)"])
    }

    /// "Overall conversion" says what it converts: completed orders out of menu views (README, "Funnel and traffic").
    func testTheFunnelGlossaryExplainsOverallConversion() {
        let day = ShopDay(iso: "2026-11-23")!
        let funnel = FunnelReport(period: ShopDayRange(day, day), today: [], window: [], trend: [], gapToday: FunnelGap(day: day),
                                  gapWindow: FunnelGap(day: day), pages: [])
        XCTAssertTrue(FunnelSection(funnel).glossary.contains(
            GlossaryEntry("Overall conversion", "Visits that completed an order as a share of the visits that viewed the menu.")))
    }

    /// Reached and converted as README "Campaigns" defines them: converted customers are the ones with a coupon sale,
    /// not every customer of the audience who bought during the campaign.
    func testTheCampaignGlossarySaysWhoIsReachedAndConverted() {
        let glossary = CampaignsSection(CampaignReport(day: day, campaigns: [], details: [])).glossary
        XCTAssertFalse(glossary.contains { $0.figure == "Customers reached, converted" })
        XCTAssertTrue(glossary.contains(GlossaryEntry("Customers converted",
                                                      "Customers with a coupon sale of the campaign. Buying during the campaign without its code is not converting.")))
        XCTAssertTrue(glossary.contains(GlossaryEntry("Conversion rate", "Customers converted out of customers reached.")))
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
        XCTAssertTrue(daily.contains("<pageSetup paperSize=\"9\" fitToHeight=\"0\" orientation=\"landscape\"/>"), "A4 landscape, one page wide")
        XCTAssertTrue(daily.contains("<pageSetUpPr fitToPage=\"1\"/>"))
        XCTAssertTrue(daily.contains("<v>46349</v>"), "2026-11-23 is a date serial")
        XCTAssertTrue(daily.contains("<cols>"), "column widths are set")
        // A heading wraps between its words, never inside one: "Subscription" (12 letters) needs more than the counts' 10.
        let subscription = try XCTUnwrap(ReportTables.dailyHeader.firstIndex(of: "Subscription sales")) + 1
        let col = try XCTUnwrap(daily.range(of: "<col min=\"\(subscription)\" max=\"\(subscription)\" width=\""))
        let width = Double(daily[col.upperBound...].prefix { $0 != "\"" }) ?? 0
        XCTAssertGreaterThanOrEqual(width, 13, "the Subscription sales column")

        let chart = try unzip(xlsx, "xl/charts/chart1.xml")
        XCTAssertTrue(chart.contains("<c:barChart>"))
        XCTAssertTrue(chart.contains("Daily!$D$2:$D$31"), "the chart plots the revenue column")

        let strings = try unzip(xlsx, "xl/sharedStrings.xml")
        XCTAssertTrue(strings.contains("=cmd|' /C calc'!A0"), "stored as text")
        let topSheet = try unzip(xlsx, "xl/worksheets/sheet7.xml")
        XCTAssertFalse(topSheet.contains("<f>"), "no formulas from data")
    }

    /// Item 8 of issue 8: what LibreOffice showed wrong. Dates on the revenue chart's axis, grouped axis numbers,
    /// header rows tall enough for their wrapped titles, A4 landscape one page wide with the header repeated.
    func testWorkbookChartsPrintAndHeadersAreReadable() throws {
        _ = try files()
        let xlsx = XLSXFile(dir + "/daily-2026-11-23.xlsx")
        let revenue = try xlsx.part("xl/charts/chart1.xml")
        let dayAxis = try XCTUnwrap(revenue.components(separatedBy: "<c:catAx>").dropFirst().first)
        XCTAssertTrue(dayAxis.contains("<c:numFmt formatCode=\"dd mmm\" sourceLinked=\"0\"/>"), "days show as 23 Nov, not 46349")
        XCTAssertTrue(revenue.contains("<c:numFmt formatCode=\"#,##0\" sourceLinked=\"0\"/>"), "francs grouped on the value axis")
        // The payment chart is horizontal: the grouped format is on its value axis.
        let payments = try xlsx.part("xl/charts/chart3.xml")
        XCTAssertTrue(payments.contains("<c:barDir val=\"bar\"/>"))
        let valueAxis = try XCTUnwrap(payments.components(separatedBy: "<c:valAx>").dropFirst().first)
        XCTAssertTrue(valueAxis.contains("formatCode=\"#,##0\""), valueAxis)

        // Summary!B4 holds "Last Monday (16 Nov)", 20 characters in a 20-wide column: two lines, so the row is
        // two lines tall (15 pt each + 3) and centred, instead of spilling over row 3.
        let summary = try xlsx.sheet(named: "Summary")
        XCTAssertTrue(summary.contains("<row r=\"4\" spans=\"1:6\" ht=\"33\" customHeight=\"1\">"), summary)
        XCTAssertEqual(try xlsx.texts(ofSheet: "Summary")[2...7], ["Figure", "This day", "Last Monday (16 Nov)", "Day before (Sun 22 Nov)",
                                                                  "Change vs last Monday", "Change vs the day before"])
        // The targets' progress bars run from 0 to 100 % of the goal, not from the lowest target to the highest.
        XCTAssertTrue(try xlsx.sheet(named: "Targets").contains("<dataBar><cfvo type=\"num\" val=\"0\"/><cfvo type=\"num\" val=\"1\"/>"))
        // Each kind of record set aside is one sentence in one cell, with nothing beside it to cut it off.
        XCTAssertTrue(try xlsx.texts(ofSheet: "Summary").contains("  Orders, 3 set aside: the total does not equal items + delivery - discounts"))
        let styles = try xlsx.part("xl/styles.xml")
        XCTAssertTrue(styles.contains("<alignment horizontal=\"center\" vertical=\"center\" wrapText=\"1\"/>"), "headers centred both ways")

        // Print: every sheet A4 landscape, one page wide; header rows repeated.
        let names = try xlsx.sheetNames()
        for name in names {
            let sheet = try xlsx.sheet(named: name)
            XCTAssertTrue(sheet.contains("<pageSetup paperSize=\"9\" fitToHeight=\"0\" orientation=\"landscape\"/>"), name)
            XCTAssertTrue(sheet.contains("<pageSetUpPr fitToPage=\"1\"/>"), name)
        }
        let workbook = try xlsx.part("xl/workbook.xml")
        XCTAssertTrue(workbook.contains("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">Summary!$4:$4</definedName>"), workbook)
        XCTAssertTrue(workbook.contains("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"2\">Targets!$1:$1</definedName>"), workbook)

        // The glossary explains the figures in plain words; the analysts' sheet carries the codes.
        XCTAssertEqual(names.suffix(2), ["For analysts", "Glossary"])
        let glossary = try xlsx.texts(ofSheet: "Glossary")
        XCTAssertEqual(glossary.prefix(2), ["Figure", "What it means"])
        XCTAssertTrue(glossary.contains("Last Monday (16 Nov)"))
        XCTAssertTrue(glossary.contains("Average order value"))
        let analysts = try xlsx.texts(ofSheet: "For analysts")
        XCTAssertTrue(analysts.contains("total_mismatch"))
        XCTAssertTrue(analysts.contains("orders_order"))
        XCTAssertTrue(analysts.contains("direct_order"))
    }

    /// Every reason a row can be set aside for has words of its own for the manager (README, "Rejected rows").
    func testEveryRejectionReasonHasPlainWords() {
        for reason in Rejection.Reason.allCases {
            XCTAssertNotEqual(PlainNames.reason(reason.rawValue), "another data problem", reason.rawValue)
            XCTAssertFalse(PlainNames.reason(reason.rawValue).contains("_"), reason.rawValue)
        }
        XCTAssertEqual(PlainNames.reason("total_mismatch"), "the total does not equal items + delivery - discounts")
        XCTAssertEqual(PlainNames.records("orders_order"), "orders")
    }

    /// Counts carry thousands separators and the right plural.
    func testCountsAreGroupedAndPlural() {
        XCTAssertEqual(CountText.grouped(4037), "4,037")
        XCTAssertEqual(CountText.grouped(-1_234_567), "-1,234,567")
        XCTAssertEqual(CountText.grouped(999), "999")
        XCTAssertEqual(CountText.of(1, "source row"), "1 source row")
        XCTAssertEqual(CountText.of(0, "sale"), "0 sales")
        XCTAssertEqual(CountText.of(8739, "sale"), "8,739 sales")
        XCTAssertEqual(CountText.of(2, "entry", plural: "entries"), "2 entries")
    }

    private func unzip(_ file: String, _ member: String) throws -> String { try XLSXFile(file).part(member) }
}
