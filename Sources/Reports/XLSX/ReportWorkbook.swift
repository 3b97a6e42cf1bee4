import Analytics
import Shop

/// A report as a workbook a manager can open on a phone: a cover sheet with the KPIs, then a sheet per section;
/// money in RWF formats (numbers stay numbers), days as dates, frozen headers, autofilters, widths, native charts.
public struct ReportWorkbook {
    public let report: PeriodReport
    public let definition: ReportDefinition
    public let sections: [any ReportSection]
    public let audience: Audience

    public init(_ report: PeriodReport, definition: ReportDefinition, sections: [any ReportSection] = [], audience: Audience = .full) {
        self.report = report; self.definition = definition; self.sections = sections.map { $0.forAudience(audience) }; self.audience = audience
    }

    public func write(to path: String) throws {
        let r = report
        let t = ReportTables(r, audience: audience)
        let wb = try Workbook(path: path, title: "\(r.title): \(r.label)", author: "dusangire-analytics")
        let header = wb.format(.header)
        let note = wb.format(CellStyle(italic: true, fontColor: 0x5A6B62))

        // Cover: the KPIs against the previous period and last year.
        let cover = try wb.addSheet("Summary")
        try cover.write(0, 0, .text(r.title), wb.format(.title))
        try cover.write(1, 0, .text("\(r.label). Shop days in \(r.timeZone); amounts in RWF. A sale is a delivered order that was not refunded."), note)
        try cover.writeRow(3, ["Figure", r.label, "Previous period", "Same period last year", "Change vs previous", "Change vs last year"].map { .text($0) }, format: header)
        for (i, k) in t.kpis.enumerated() {
            try cover.writeRow(4 + i, [.text(k.kpi.label), kpi(k.kpi, k.current), kpi(k.kpi, k.previous), kpi(k.kpi, k.lastYear),
                                       k.changeVsPrevious.map { .percent($0) } ?? .empty, k.changeVsLastYear.map { .percent($0) } ?? .empty])
        }
        let lastKPI = 3 + t.kpis.count
        // Green for good news, red for bad: a fall in refunds or cancellations is good news.
        for (i, k) in t.kpis.enumerated() {
            let (rise, fall) = k.kpi.higherIsBetter ? (ConditionalRule.goodStyle, ConditionalRule.badStyle)
                                                    : (ConditionalRule.badStyle, ConditionalRule.goodStyle)
            try cover.conditionalFormat(.cell(.greaterThan, 0, style: rise), firstRow: 4 + i, firstCol: 4, lastRow: 4 + i, lastCol: 5)
            try cover.conditionalFormat(.cell(.lessThan, 0, style: fall), firstRow: 4 + i, firstCol: 4, lastRow: 4 + i, lastCol: 5)
        }
        try cover.setColumn(0, 0, width: 34)
        try cover.setColumn(1, 5, width: 19)
        try cover.freezePanes(row: 4, col: 1)
        var row = lastKPI + 2
        if r.current.daysComputed < r.range.count {
            try cover.write(row, 0, .text("Only \(r.current.daysComputed) of the period's \(r.range.count) days are computed so far."), note)
            row += 1
        }
        try cover.write(row, 0, .text("Rejected source rows in the period"), header)
        try cover.write(row, 1, .integer(Int64(r.rejected.reduce(0) { $0 + $1.count })))
        for rej in r.rejected {
            row += 1
            try cover.writeRow(row, [.text("  \(rej.source): \(rej.reason)"), .integer(Int64(rej.count))])
        }
        cover.setLandscape(); cover.fitToWidth()

        for key in definition.sections {
            switch key {
            case "dashboard": try trendSheet(wb, t, header)
            case "targets": try targetsSheet(wb, t, header)
            case "channels": try channelsSheet(wb, t, header)
            case "payments": try paymentsSheet(wb, t, header)
            case "discounts": try discountsSheet(wb, header)
            case "top_customers": try topCustomersSheet(wb, header)
            case "quality": break  // on the cover
            default:
                for s in sections where s.key == key { try s.addSheets(to: wb) }
            }
        }
        try wb.close()
    }

    private func kpi(_ k: KPI, _ units: Int64) -> CellValue { k.isMoney ? .money(hundredths: units) : .integer(units) }

    private func trendSheet(_ wb: Workbook, _ t: ReportTables, _ header: Format) throws {
        let daily = try wb.addSheet("Daily")
        try daily.writeRow(0, ReportTables.dailyHeader.map { .text($0) }, format: header)
        for (i, cells) in t.dailyRows.enumerated() { try daily.writeRow(1 + i, cells.map(\.cellValue)) }
        let last = t.dailyRows.count
        try daily.freezePanes(row: 1, col: 1)
        try daily.autofilter(firstRow: 0, firstCol: 0, lastRow: last, lastCol: ReportTables.dailyHeader.count - 1)
        try daily.setColumn(0, 0, width: 12)
        try daily.setColumn(1, ReportTables.dailyHeader.count - 1, width: 15)
        try daily.addChart(ChartSpec(kind: .column, title: "Revenue per day (RWF)",
                                     series: [ChartSeries(name: "Revenue", sheet: daily, categories: ColumnRange(col: 0, firstRow: 1, lastRow: last),
                                                          values: ColumnRange(col: 3, firstRow: 1, lastRow: last))],
                                     yAxisTitle: "RWF", valueNumberFormat: "#,##0", legend: .none), at: last + 2, 0)
        daily.setLandscape(); daily.fitToWidth()
    }

    private func targetsSheet(_ wb: Workbook, _ t: ReportTables, _ header: Format) throws {
        guard !t.targets.isEmpty else { return }
        let s = try wb.addSheet("Targets")
        try s.writeRow(0, ["Target", "Goal", "Actual", "Progress"].map { .text($0) }, format: header)
        for (i, row) in t.targets.enumerated() {
            try s.writeRow(1 + i, [.text(row.kpi.label), kpi(row.kpi, row.goal), kpi(row.kpi, row.actual), row.progress.map { .percent($0) } ?? .empty])
        }
        try s.conditionalFormat(.dataBar(color: 0x198754), firstRow: 1, firstCol: 3, lastRow: t.targets.count, lastCol: 3)
        try s.conditionalFormat(.cell(.greaterOrEqual, 1, style: ConditionalRule.goodStyle), firstRow: 1, firstCol: 3, lastRow: t.targets.count, lastCol: 3)
        try s.freezePanes(row: 1, col: 1)
        try s.setColumn(0, 0, width: 34); try s.setColumn(1, 3, width: 18)
    }

    private func channelsSheet(_ wb: Workbook, _ t: ReportTables, _ header: Format) throws {
        let s = try wb.addSheet("Channels")
        try s.writeRow(0, ["Channel", "Code", "Revenue (RWF)", "Transactions", "Share of order revenue", "Previous period (RWF)", "Change"].map { .text($0) }, format: header)
        for (i, c) in t.channels.enumerated() {
            try s.writeRow(1 + i, [.text(c.channel.label), .text(c.channel.rawValue), .money(hundredths: c.amount.hundredths),
                                   .integer(Int64(c.transactions)), c.share.map { .percent($0) } ?? .empty,
                                   .money(hundredths: c.previous.hundredths), c.change.map { .percent($0) } ?? .empty])
        }
        let n = t.channels.count
        try s.writeRow(n + 1, [.text("Order revenue (= the period's revenue)"), .empty, .money(hundredths: report.current.revenue.hundredths),
                               .integer(Int64(report.current.sales))], format: wb.format(.total))
        try s.freezePanes(row: 1, col: 1)
        try s.autofilter(firstRow: 0, firstCol: 0, lastRow: n, lastCol: 6)
        try s.setColumn(0, 0, width: 34); try s.setColumn(1, 1, width: 14); try s.setColumn(2, 6, width: 18)
        try s.addChart(ChartSpec(kind: .pie, title: "Channel share of revenue",
                                 series: [ChartSeries(name: "Revenue", sheet: s, categories: ColumnRange(col: 0, firstRow: 1, lastRow: 5),
                                                      values: ColumnRange(col: 2, firstRow: 1, lastRow: 5))],
                                 legend: .right), at: n + 3, 0)
    }

    private func paymentsSheet(_ wb: Workbook, _ t: ReportTables, _ header: Format) throws {
        let s = try wb.addSheet("Payments")
        try s.writeRow(0, ["Payment method", "Code", "Sales", "Amount (RWF)", "Share of revenue"].map { .text($0) }, format: header)
        for (i, p) in report.payments.enumerated() {
            try s.writeRow(1 + i, [.text(p.method.label), .text(p.method.rawValue), .integer(Int64(p.orders)),
                                   .money(hundredths: p.amount.hundredths), t.paymentShare(p).map { .percent($0) } ?? .empty])
        }
        let n = report.payments.count
        try s.freezePanes(row: 1, col: 1)
        try s.autofilter(firstRow: 0, firstCol: 0, lastRow: n, lastCol: 4)
        try s.setColumn(0, 0, width: 22); try s.setColumn(1, 1, width: 18); try s.setColumn(2, 4, width: 16)
        try s.addChart(ChartSpec(kind: .bar, title: "Amount by payment method (RWF)",
                                 series: [ChartSeries(name: "Amount", sheet: s, categories: ColumnRange(col: 0, firstRow: 1, lastRow: n),
                                                      values: ColumnRange(col: 3, firstRow: 1, lastRow: n))],
                                 valueNumberFormat: "#,##0", legend: .none), at: n + 2, 0)
    }

    private func discountsSheet(_ wb: Workbook, _ header: Format) throws {
        let s = try wb.addSheet("Discounts")
        try s.writeRow(0, ["Discount", "Code", "Sales with it", "Amount (RWF)"].map { .text($0) }, format: header)
        for (i, d) in report.discountFigures.enumerated() {
            try s.writeRow(1 + i, [.text(d.kind.label), .text(d.kind.rawValue), .integer(Int64(d.orders)), .money(hundredths: d.amount.hundredths)])
        }
        try s.freezePanes(row: 1, col: 1)
        try s.autofilter(firstRow: 0, firstCol: 0, lastRow: report.discountFigures.count, lastCol: 3)
        try s.setColumn(0, 0, width: 18); try s.setColumn(1, 3, width: 16)
    }

    private func topCustomersSheet(_ wb: Workbook, _ header: Format) throws {
        guard report.period == .day else { return }
        let s = try wb.addSheet("Top customers")
        try s.writeRow(0, ["Rank", "Customer", "Sales", "Revenue (RWF)"].map { .text($0) }, format: header)
        for (i, c) in report.topCustomers.enumerated() {
            try s.writeRow(1 + i, [.integer(Int64(c.rank)), .text(audience.name(c.name)), .integer(Int64(c.sales)), .money(hundredths: c.revenue.hundredths)])
        }
        try s.freezePanes(row: 1, col: 0)
        try s.setColumn(0, 0, width: 8); try s.setColumn(1, 1, width: 32); try s.setColumn(2, 3, width: 16)
    }
}

extension CSVCell {
    /// The same value as a spreadsheet cell (numbers stay numbers, days become dates).
    public var cellValue: CellValue {
        switch self {
        case .text(let s): .text(s)
        case .integer(let i): .integer(i)
        case .money(let m): .money(hundredths: m.hundredths)
        case .day(let d): .date(epochDay: d.epochDay)
        case .percent(let p): .percent(p)
        case .decimal(let d): Double(d).map { .number($0) } ?? .text(d)
        case .empty: .empty
        }
    }
}
