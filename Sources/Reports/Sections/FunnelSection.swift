import Analytics
import Shop
import Warehouse

/// The Funnel section: the report day's steps with step-to-step conversion and drop-off, the same by user type,
/// the 30 days ending on it, orders against complete_order sessions (the gap), and page views.
/// Definitions: README, "Funnel and traffic".
public struct FunnelSection: RegisteredSection {
    public static let key = "funnel"
    public let report: FunnelReport
    public init(_ report: FunnelReport) { self.report = report }

    public var title: String { "Funnel" }

    public static func read(_ source: SectionSource) throws -> (any ReportSection)? {
        guard let warehouse = source.warehouse else { return nil }
        return FunnelSection(try FunnelStore(connection: warehouse).report(for: source.report.range))
    }

    static let steps = ["Viewed the menu", "Added to cart", "Started checkout", "Completed the order"]
    static let stepsHeader = ["Step", "Sessions (period)", "Step conversion (period)", "Drop-off (period)", "Sessions (30 days)",
                              "Step conversion (30 days)", "Drop-off (30 days)"]
    static let typesHeader = ["User type", "Sessions", "Viewed the menu", "Added to cart", "Started checkout",
                              "Completed the order", "Overall conversion", "Subscribed", "Referral clicks", "Skipped steps"]
    static let gapHeader = ["Period", "Orders placed", "Sessions that completed an order", "Difference", "Orders without the event",
                            "Sessions without an order"]
    /// "Unique visitors" for one day; over several days the shop's daily counts add up to visitor-days (a visitor who
    /// came on two days counts twice), and every format says so in its header.
    private var pagesHeader: [String] { ["Page", "Views", report.period.count == 1 ? "Unique visitors" : "Visitor-days"] }

    /// `Monday 23 November 2026`, or `17 November – 23 November 2026 (7 days)` for a longer period.
    private var periodLabel: String { report.period.words }

    private var all: FunnelDay { FunnelReport.row(.all, in: report.today, day: report.day) }
    private var allWindow: FunnelDay { FunnelReport.row(.all, in: report.window, day: report.day) }

    public func html(into b: inout HTMLBuilder) {
        let day = all, win = allWindow
        guard win.sessions > 0 || report.gapWindow.ordersPlaced > 0 || !report.pages.isEmpty else {
            b.element("p", "No conversion events, orders or page views were recorded in the last 30 days.", class: "note")
            return
        }
        b.chart(BarChart(title: "Sessions reaching each step (\(CountText.of(day.sessions, "session")))",
                         bars: zip(Self.steps, day.reached).map { ($0, Int64($1)) }, highlightLast: true))
        b.table(header: ["Step", "Sessions", "Step conversion", "Drop-off", "30 days", "30-day conversion"],
                rows: stepRows.map { r in [r[0], r[1], r[2], r[3], r[4], r[5]].map(\.plain) }, numeric: [1, 2, 3, 4, 5])
        b.element("p", "Overall conversion (completed / viewed the menu): \(day.overallConversion?.description ?? "–") for \(periodLabel), \(win.overallConversion?.description ?? "–") over 30 days. A session counts on the shop day of its first event and reaches every step up to the furthest one among its events; \(CountText.grouped(day.skippedSteps)) of these sessions skipped a step in the events.", class: "note")

        b.element("h3", "By user type, \(periodLabel)")
        b.table(header: ["User type", "Sessions", "Menu", "Cart", "Checkout", "Completed", "Overall", "30-day overall"],
                rows: FunnelUserType.allCases.map { t in
                    let f = FunnelReport.row(t, in: report.today, day: report.day), w = FunnelReport.row(t, in: report.window, day: report.day)
                    return [t.label, CountText.grouped(f.sessions)] + f.reached.map { CountText.grouped($0) }
                        + [f.overallConversion?.description ?? "–", w.overallConversion?.description ?? "–"]
                }, numeric: [1, 2, 3, 4, 5, 6, 7])

        b.element("h3", "Orders against the website's completed-order events")
        let g = report.gapToday
        b.table(header: ["Period", "Orders placed", "Sessions that completed an order", "Difference", "Orders without event", "Sessions without order"],
                rows: gapRows.map { $0.map(\.plain) }, numeric: [1, 2, 3, 4, 5])
        if g.difference != 0 || g.ordersWithoutEvent != 0 {
            b.element("p", "The website's events and the orders disagree: \(CountText.of(g.ordersWithoutEvent, "order")) of \(periodLabel) \(g.ordersWithoutEvent == 1 ? "has" : "have") no completed-order event from their customer, and \(CountText.of(g.sessionsWithoutOrder, "session")) that completed an order \(g.sessionsWithoutOrder == 1 ? "has" : "have") no order. Both are shown as they are, not corrected.", class: "warn")
        } else {
            b.element("p", "Every order of \(periodLabel) has a matching completed-order event.", class: "ok")
        }

        b.element("h3", "Page views, \(periodLabel)")
        if report.pages.isEmpty {
            b.element("p", "No page views recorded for \(periodLabel).", class: "note")
        } else {
            b.table(header: pagesHeader, rows: report.pages.map { [$0.page, CountText.grouped($0.views), CountText.grouped($0.uniqueVisitors)] }, numeric: [1, 2])
            b.element("p", report.period.count == 1 ? "Unique visitors are the shop's own daily count." : "Visitor-days are the sum of the shop's daily counts of unique visitors: a visitor who came on two days counts twice.", class: "note")
        }
    }

    public func addSheets(to workbook: Workbook) throws {
        let header = workbook.format(.header), title = workbook.format(.title)
        /// One table per sheet: title, header (frozen and repeated on every printed page), rows.
        func sheet(_ name: String, _ heading: String, _ columns: [String], _ rows: [[CellValue]], firstWidth: Double = 26) throws -> Sheet {
            let s = try workbook.addSheet(name)
            try s.setColumn(0, 0, width: firstWidth); try s.setColumn(1, max(columns.count - 1, 1), width: 15)
            try s.write(0, 0, .text(heading), title)
            try s.writeHeader(2, columns, format: header)
            for (i, cells) in rows.enumerated() { try s.writeRow(3 + i, cells) }
            try s.freezePanes(row: 3, col: 1)
            try s.printSetup(headerRows: 2...2)
            return s
        }
        let steps = try sheet("Funnel", "Conversion funnel, \(periodLabel) and the 30 days ending on \(report.day.words)", Self.stepsHeader, stepRows.map { $0.map(\.xlsx) })
        try steps.addChart(ChartSpec(kind: .bar, title: "Sessions reaching each step",
                                     series: [ChartSeries(name: "Sessions", sheet: steps, categories: ColumnRange(col: 0, firstRow: 3, lastRow: 6),
                                                          values: ColumnRange(col: 1, firstRow: 3, lastRow: 6))],
                                     valueNumberFormat: "#,##0", legend: .none, width: 640, height: 300), at: 8, 0)
        let periodTypes = typeRows(report.today).map { [CellValue.text(periodLabel)] + $0.map(\.xlsx) }
        let windowTypes = typeRows(report.window).map { [CellValue.text("30 days")] + $0.map(\.xlsx) }
        _ = try sheet("Funnel by user type", "Funnel by user type, \(periodLabel) and the 30 days ending on \(report.day.words)",
                      ["Period"] + Self.typesHeader, periodTypes + windowTypes, firstWidth: 24)
        _ = try sheet("Orders vs events", "Orders against the website's completed-order events", Self.gapHeader, gapRows.map { $0.map(\.xlsx) })
        _ = try sheet("Page views", "Page views, \(periodLabel)", pagesHeader,
                      report.pages.map { [.text($0.page), .integer(Int64($0.views)), .integer(Int64($0.uniqueVisitors))] })
    }

    public var glossary: [GlossaryEntry] {
        [
            GlossaryEntry("Session", "One visit to the shop's website or app, counted on the shop day it started."),
            GlossaryEntry("Funnel steps", "Viewed the menu, added to cart, started checkout, completed the order. A visit counts at every step up to the furthest one it reached."),
            GlossaryEntry("Step conversion", "Visits that reached a step as a share of those that reached the step before."),
            GlossaryEntry("Drop-off", "Visits that reached the step before but not this one."),
            GlossaryEntry("Overall conversion", "Visits that completed an order as a share of the visits that viewed the menu."),
            GlossaryEntry("User types", "New: the customer had no sale before that day. Returning: had a sale on an earlier day. Anonymous: not logged in."),
            GlossaryEntry("Orders against events", "Orders placed, against visits whose events say an order was completed. A difference means the website's event data misses orders or records orders that do not exist."),
            GlossaryEntry("Unique visitors", "The shop's own daily count of different visitors to a page."),
            GlossaryEntry("Visitor-days", "Over several days, the sum of the daily counts of unique visitors: a visitor who came on two days counts twice."),
        ]
    }

    public var csvTables: [(name: String, table: CSVTable)] {
        let typeHeader = ["First day", "Last day"] + Self.typesHeader
        let typeTable = typeRows(report.today).map { [AreaCell.day(report.period.first), AreaCell.day(report.day)] + $0 }
        return [
            ("funnel-steps", CSVTable(header: Self.stepsHeader, rows: stepRows.map { $0.map(\.csv) })),
            ("funnel-user-types", CSVTable(header: typeHeader, rows: typeTable.map { $0.map(\.csv) })),
            ("funnel-days", CSVTable(header: ["Day"] + Self.typesHeader.dropFirst(),
                                     rows: report.trend.map { f in ([AreaCell.day(f.day)] + typeRow(f).dropFirst()).map(\.csv) })),
            ("funnel-gap", CSVTable(header: Self.gapHeader, rows: gapRows.map { $0.map(\.csv) })),
            ("page-views", CSVTable(header: ["First day", "Last day"] + pagesHeader,
                                    rows: report.pages.map { [.day(report.period.first), .day(report.day), .text($0.page), .integer(Int64($0.views)), .integer(Int64($0.uniqueVisitors))] })),
        ]
    }

    private var stepRows: [[AreaCell]] {
        let d = all, w = allWindow
        return (1...4).map { k in
            [.text(Self.steps[k - 1]), .integer(d.reached[k - 1]), .percent(d.stepConversion(k)), .integer(d.dropOff(k)),
             .integer(w.reached[k - 1]), .percent(w.stepConversion(k)), .integer(w.dropOff(k))]
        }
    }

    private func typeRows(_ rows: [FunnelDay]) -> [[AreaCell]] {
        FunnelUserType.allCases.map { typeRow(FunnelReport.row($0, in: rows, day: report.day)) }
    }

    private func typeRow(_ f: FunnelDay) -> [AreaCell] {
        [.text(f.userType.label), .integer(f.sessions)] + f.reached.map { .integer($0) }
            + [.percent(f.overallConversion), .integer(f.subscribed), .integer(f.referralClicks), .integer(f.skippedSteps)]
    }

    private var gapRows: [[AreaCell]] {
        [(periodLabel, report.gapToday), ("30 days", report.gapWindow)].map { label, g in
            [.text(label), .integer(g.ordersPlaced), .integer(g.completeOrderSessions), .integer(g.difference),
             .integer(g.ordersWithoutEvent), .integer(g.sessionsWithoutOrder)]
        }
    }
}

extension AreaCell {
    /// Text for an HTML table.
    var plain: String {
        switch self {
        case .text(let s): s
        case .integer(let v): v.map { CountText.grouped($0) } ?? "–"
        case .money(let m): m?.description ?? "–"
        case .percent(let p): p?.description ?? "–"
        case .day(let d): d.iso
        }
    }
}
