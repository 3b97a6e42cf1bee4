import Analytics
import Shop

/// The period at a glance: the KPIs against the report's two comparisons, the revenue trend and the day-by-day
/// figures (README, "Reports"). Workbook: the *Summary* cover (with the revenue chart) and the *Daily* sheet; PDF:
/// a *Day by day* table at the end; CSV `summary` and `days`.
public struct DashboardSection: RegisteredSection {
    public static let key = "dashboard"
    public let report: PeriodReport
    /// Whether the cover also says what was set aside (when the definition shows the data quality section, which
    /// then has no sheet of its own).
    public let qualityOnCover: Bool

    public init(_ report: PeriodReport, qualityOnCover: Bool = true) { self.report = report; self.qualityOnCover = qualityOnCover }

    public static func read(_ source: SectionSource) throws -> (any ReportSection)? {
        DashboardSection(source.report, qualityOnCover: source.definition.shows(QualitySection.key))
    }

    public var title: String { report.period == .day ? "The day at a glance" : "At a glance" }
    private var t: ReportTables { ReportTables(report, audience: .full) }

    public func html(into b: inout HTMLBuilder) {
        let t = t
        b.raw("<div class=\"cards\">")
        b.record(.cards(t.kpis.prefix(6).map { k in
            ReportBlock.Card(label: k.kpi.label, value: ReportTables.show(k.kpi, k.current),
                             lines: report.comparisons.indices.map { deltaLine(k, $0) })
        }))
        for k in t.kpis.prefix(6) {
            b.raw("<div class=\"card\"><div class=\"label\">"); b.text(k.kpi.label); b.raw("</div><div class=\"value\">")
            b.text(ReportTables.show(k.kpi, k.current)); b.raw("</div><div class=\"delta\">")
            b.raw(report.comparisons.indices.map { delta(k, $0) }.joined(separator: "<br>"))
            b.raw("</div></div>")
        }
        b.raw("</div>")
        let days = report.trend
        b.element("h2", "Revenue, last \(days.count) days")
        b.chart(BarChart(title: "Revenue per day (RWF)", bars: days.map { (Self.shortDate($0.day), $0.totalRevenue.wholeFrancs) }))
        let comparisons = report.comparisons
        b.table(header: t.summaryHeader,
                rows: t.kpis.map { k in
                    [k.kpi.label, ReportTables.show(k.kpi, k.current)]
                        + comparisons.indices.map { i in k.compared[i].map { ReportTables.show(k.kpi, $0) } ?? comparisons[i].missingData ?? "–" }
                        + comparisons.indices.map { ReportTables.percent(k.change($0), signed: true) }
                },
                numeric: Set(1..<(2 + 2 * comparisons.count)))
    }

    /// The trend window's days, newest first: the figures a printed report is asked about most.
    public var printAppendix: [ReportBlock] {
        let header = ["Day", "Sales", "Unique customers", "Revenue (RWF)", "Average order (RWF)", "Discounts (RWF)",
                      "Orders placed", "Cancelled orders", "Refunds completed (RWF)"]
        let rows = report.trend.reversed().map { s in
            report.trendUncomputed.contains(s.day) ? [s.day.iso] + Array(repeating: "–", count: header.count - 1) :
            [s.day.iso, CountText.grouped(s.totalOrders), CountText.grouped(s.uniqueCustomers),
             s.totalRevenue.groupedFrancs, s.averageOrderValue.groupedFrancs, s.totalDiscount.groupedFrancs,
             CountText.grouped(s.ordersPlaced), CountText.grouped(s.cancelledOrders),
             s.refundAmount.groupedFrancs]
        }
        return [.heading("Day by day", level: 2), .table(header: header, rows: rows, numeric: Set(1..<header.count))]
    }

    /// The *Summary* cover: the KPIs against the two comparisons (a day against the same weekday last week and the day
    /// before, a week or month against the previous one and the same period last year), then the *Daily* sheet, whose
    /// revenue chart goes on the cover (below a long table it would be cut across two printed pages).
    public func addSheets(to wb: Workbook) throws {
        let r = report, t = t
        let header = wb.format(.header)
        let note = wb.format(CellStyle(italic: true, fontColor: 0x5A6B62))
        let cover = try wb.addSheet("Summary")
        try cover.write(0, 0, .text(r.title), wb.format(.title))
        try cover.write(1, 0, .text("\(r.label). Shop days in \(r.timeZone); amounts in RWF. A sale is a delivered order that was not refunded. The Glossary sheet explains every figure."), note)
        let comparisons = r.comparisons
        try cover.setColumn(0, 0, width: 34)
        try cover.setColumn(1, 1 + 2 * comparisons.count, width: 20)
        try cover.writeHeader(3, t.summaryHeader, format: header)
        let missing = wb.format(CellStyle(italic: true, fontColor: 0x5A6B62, align: .right))
        for (i, k) in t.kpis.enumerated() {
            try cover.write(4 + i, 0, .text(k.kpi.label))
            try cover.write(4 + i, 1, Self.cell(k.kpi, k.current))
            for (j, c) in comparisons.enumerated() {
                if let v = k.compared[j] { try cover.write(4 + i, 2 + j, Self.cell(k.kpi, v)) } else { try cover.write(4 + i, 2 + j, .text(c.missingData ?? "no data"), missing) }
                try cover.write(4 + i, 2 + comparisons.count + j, k.change(j).map { .percent($0) } ?? .empty)
            }
        }
        let lastKPI = 3 + t.kpis.count
        // Green for good news, red for bad: a fall in refunds or cancellations is good news.
        let firstChange = 2 + comparisons.count, lastChange = 1 + 2 * comparisons.count
        for (i, k) in t.kpis.enumerated() {
            let (rise, fall) = k.kpi.higherIsBetter ? (ConditionalRule.goodStyle, ConditionalRule.badStyle)
                                                    : (ConditionalRule.badStyle, ConditionalRule.goodStyle)
            try cover.conditionalFormat(.cell(.greaterThan, 0, style: rise), firstRow: 4 + i, firstCol: firstChange, lastRow: 4 + i, lastCol: lastChange)
            try cover.conditionalFormat(.cell(.lessThan, 0, style: fall), firstRow: 4 + i, firstCol: firstChange, lastRow: 4 + i, lastCol: lastChange)
        }
        try cover.freezePanes(row: 4, col: 1)
        var row = lastKPI + 2
        if r.current.daysComputed < r.range.count {
            try cover.write(row, 0, .text("Only \(r.current.daysComputed) of the period's \(CountText.of(r.range.count, "day")) are computed so far."), note)
            row += 1
        }
        if qualityOnCover {
            row = try QualitySection(r).writeLines(on: cover, at: row, note: note)
        }
        try cover.printSetup(headerRows: 3...3)

        let daily = try wb.addSheet("Daily")
        // Money columns wide enough for `12,345,678 RWF`, counts narrow but never narrower than their heading's longest
        // word (a heading wraps between words, not inside one: "Subscription"): 20 columns print on one landscape A4
        // page width at about 75 %.
        try daily.setColumn(0, 0, width: 11)
        for (c, cell) in ReportTables.dailyCells(DailySnapshot(day: r.range.last)).enumerated().dropFirst() {
            let longestWord = ReportTables.dailyHeader[c].split(separator: " ").map(\.count).max() ?? 0
            let width: Double
            if case .money = cell { width = 14 } else { width = 10 }
            try daily.setColumn(c, c, width: max(width, Double(longestWord + 1)))
        }
        try daily.writeHeader(0, ReportTables.dailyHeader, format: header)
        for (i, cells) in t.dailyRows.enumerated() { try daily.writeRow(1 + i, cells.map(\.cellValue)) }
        let last = t.dailyRows.count
        try daily.freezePanes(row: 1, col: 1)
        try daily.autofilter(firstRow: 0, firstCol: 0, lastRow: last, lastCol: ReportTables.dailyHeader.count - 1)
        try cover.addChart(ChartSpec(kind: .column, title: "Revenue per day (RWF)",
                                     series: [ChartSeries(name: "Revenue", sheet: daily, categories: ColumnRange(col: 0, firstRow: 1, lastRow: last),
                                                          values: ColumnRange(col: 3, firstRow: 1, lastRow: last))],
                                     valueNumberFormat: "#,##0", categoryDateFormat: "dd mmm", legend: .none, width: 900), at: row + 2, 0)
        try daily.printSetup(headerRows: 0...0)
    }

    public var csvTables: [(name: String, table: CSVTable)] {
        let t = t
        return [
            ("summary", CSVTable(header: t.summaryHeader.map { $0.hasPrefix("Change") ? $0 + " (%)" : $0 },
                                 rows: t.kpis.map { k in
                                     [.text(k.kpi.label), ReportTables.cell(k.kpi, k.current)]
                                         + k.compared.map { $0.map { ReportTables.cell(k.kpi, $0) } ?? .empty }
                                         + k.compared.indices.map { i in k.change(i).map { .percent($0) } ?? .empty }
                                 })),
            ("days", CSVTable(header: ReportTables.dailyHeader, rows: t.dailyRows)),
        ]
    }

    public var glossary: [GlossaryEntry] {
        var out = [
            GlossaryEntry(KPI.revenue.label, "What customers paid for the sales: items plus delivery, after discounts. Catering bookings are reported apart."),
            GlossaryEntry(KPI.sales.label, "Orders that were delivered and not refunded, counted on the day they were placed. Only sales count as revenue."),
            GlossaryEntry(KPI.uniqueCustomers.label, "Different customers with at least one sale; a customer who bought on several days counts once."),
            GlossaryEntry(KPI.averageOrderValue.label, "Revenue divided by the number of sales, over the whole period."),
            GlossaryEntry(KPI.discounts.label, "Coupon, loyalty-point, VIP, corporate and referral discounts on the sales, added up."),
            GlossaryEntry(KPI.itemsSold.label, "Meals and other items on the sales (quantities added up)."),
            GlossaryEntry(KPI.refunds.label, "Money paid back on refund requests completed in the period, on the day of the refund."),
            GlossaryEntry(KPI.cancelledOrders.label, "Orders placed in the period that were cancelled."),
        ]
        out += report.comparisons.map { c in
            GlossaryEntry(c.heading, "The figures of \(c.phrase) (\(c.totals.range.words)), "
                          + "compared with this \(report.period.noun). \"No data\" means those days were never computed, so there is nothing to compare with.")
        }
        out += [
            GlossaryEntry("Change", "How much this \(report.period.noun)'s figure is above (+) or below (-) the compared one, in percent of the compared one. Green is good news: for refunds, cancellations and discounts a fall is green."),
            GlossaryEntry("Orders placed", "Orders created on the day, whatever happened to them later."),
        ]
        return out
    }

    private static func cell(_ k: KPI, _ units: Int64) -> CellValue { k.isMoney ? .money(hundredths: units) : .integer(units) }

    /// `▲ +23.5% vs last Tuesday`, coloured good or bad for the KPI; `no data for last Tuesday` without a figure.
    private func delta(_ k: ReportTables.KPIRow, _ i: Int) -> String {
        let comparison = report.comparisons[i]
        guard let c = k.change(i) else {
            return HTML.escape(comparison.hasData ? "– vs \(comparison.phrase)" : "\(comparison.missingData ?? "no data") for \(comparison.phrase)")
        }
        let good = k.kpi.higherIsBetter ? c > 0.0005 : c < -0.0005
        let bad = k.kpi.higherIsBetter ? c < -0.0005 : c > 0.0005
        let arrow = c > 0.0005 ? "▲" : (c < -0.0005 ? "▼" : "■")
        return "<span class=\"\(good ? "up" : (bad ? "down" : ""))\">" + HTML.escape(String(format: "%@ %+.1f%%", arrow, c * 100)) + "</span> "
            + HTML.escape("vs \(comparison.phrase)")
    }

    /// The same change as `delta`, as a card line for the PDF.
    private func deltaLine(_ k: ReportTables.KPIRow, _ i: Int) -> (text: String, tone: ReportBlock.Tone) {
        let comparison = report.comparisons[i]
        guard let c = k.change(i) else {
            return (comparison.hasData ? "– vs \(comparison.phrase)" : "\(comparison.missingData ?? "no data") for \(comparison.phrase)", .note)
        }
        let good = k.kpi.higherIsBetter ? c > 0.0005 : c < -0.0005
        let bad = k.kpi.higherIsBetter ? c < -0.0005 : c > 0.0005
        let arrow = c > 0.0005 ? "▲" : (c < -0.0005 ? "▼" : "■")
        return (String(format: "%@ %+.1f%% ", arrow, c * 100) + "vs \(comparison.phrase)", good ? .ok : (bad ? .warn : .note))
    }

    static func shortDate(_ d: ShopDay) -> String { String(format: "%02d/%02d", d.components.day, d.components.month) }
}
