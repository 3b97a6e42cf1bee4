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

        // Cover: the KPIs against the two comparisons (README, "Reports": a day against the same weekday last week and
        // the day before, a week or month against the previous one and the same period last year).
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
            try cover.write(4 + i, 1, kpi(k.kpi, k.current))
            for (j, c) in comparisons.enumerated() {
                if let v = k.compared[j] { try cover.write(4 + i, 2 + j, kpi(k.kpi, v)) } else { try cover.write(4 + i, 2 + j, .text(c.missingData ?? "no data"), missing) }
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
        try cover.write(row, 0, .text("Data quality: " + t.setAsideSentence), note)
        for rej in t.setAside {
            row += 1
            try cover.writeRow(row, [.text("  \(rej.records): \(rej.problem)"), .integer(Int64(rej.rows))])
        }
        try cover.printSetup(headerRows: 3...3)

        for key in definition.sections {
            switch key {
            case "dashboard": try trendSheet(wb, t, header, chartOn: cover, at: row + 2)
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
        if definition.forAnalysts { try analystsSheet(wb, t, header) }
        try glossarySheet(wb, t, header)
        try wb.close()
    }

    private func kpi(_ k: KPI, _ units: Int64) -> CellValue { k.isMoney ? .money(hundredths: units) : .integer(units) }

    /// The Daily sheet (one table), and its revenue chart on the cover at `row`: below a long table the chart would
    /// be cut across two printed pages (fit-to-width printing ignores manual page breaks).
    private func trendSheet(_ wb: Workbook, _ t: ReportTables, _ header: Format, chartOn cover: Sheet, at row: Int) throws {
        let daily = try wb.addSheet("Daily")
        // Money columns wide enough for `12,345,678 RWF`, counts narrow: 20 columns print on one landscape A4 page
        // width at about 75 %.
        try daily.setColumn(0, 0, width: 11)
        for (c, cell) in (t.dailyRows.first ?? []).enumerated().dropFirst() {
            if case .money = cell { try daily.setColumn(c, c, width: 14) } else { try daily.setColumn(c, c, width: 10) }
        }
        try daily.writeHeader(0, ReportTables.dailyHeader, format: header)
        for (i, cells) in t.dailyRows.enumerated() { try daily.writeRow(1 + i, cells.map(\.cellValue)) }
        let last = t.dailyRows.count
        try daily.freezePanes(row: 1, col: 1)
        try daily.autofilter(firstRow: 0, firstCol: 0, lastRow: last, lastCol: ReportTables.dailyHeader.count - 1)
        try cover.addChart(ChartSpec(kind: .column, title: "Revenue per day (RWF)",
                                     series: [ChartSeries(name: "Revenue", sheet: daily, categories: ColumnRange(col: 0, firstRow: 1, lastRow: last),
                                                          values: ColumnRange(col: 3, firstRow: 1, lastRow: last))],
                                     valueNumberFormat: "#,##0", categoryDateFormat: "dd mmm", legend: .none, width: 900), at: row, 0)
        try daily.printSetup(headerRows: 0...0)
    }

    private func targetsSheet(_ wb: Workbook, _ t: ReportTables, _ header: Format) throws {
        guard !t.targets.isEmpty else { return }
        let s = try wb.addSheet("Targets")
        try s.setColumn(0, 0, width: 34); try s.setColumn(1, 3, width: 18)
        try s.writeHeader(0, ["Target", "Goal", "Actual", "Progress"], format: header)
        for (i, row) in t.targets.enumerated() {
            try s.writeRow(1 + i, [.text(row.kpi.label), kpi(row.kpi, row.goal), kpi(row.kpi, row.actual), row.progress.map { .percent($0) } ?? .empty])
        }
        try s.conditionalFormat(.dataBar(color: 0x198754), firstRow: 1, firstCol: 3, lastRow: t.targets.count, lastCol: 3)
        try s.conditionalFormat(.cell(.greaterOrEqual, 1, style: ConditionalRule.goodStyle), firstRow: 1, firstCol: 3, lastRow: t.targets.count, lastCol: 3)
        try s.freezePanes(row: 1, col: 1)
        try s.printSetup(headerRows: 0...0)
    }

    private func channelsSheet(_ wb: Workbook, _ t: ReportTables, _ header: Format) throws {
        let s = try wb.addSheet("Channels")
        let main = report.mainComparison
        try s.setColumn(0, 0, width: 34); try s.setColumn(1, 5, width: 18)
        try s.writeHeader(0, ["Channel", "Revenue (RWF)", "Transactions", "Share of order revenue", "\(main.heading) (RWF)", "Change"], format: header)
        let missing = wb.format(CellStyle(italic: true, fontColor: 0x5A6B62, align: .right))
        for (i, c) in t.channels.enumerated() {
            try s.writeRow(1 + i, [.text(c.channel.label), .money(hundredths: c.amount.hundredths),
                                   .integer(Int64(c.transactions)), c.share.map { .percent($0) } ?? .empty])
            if let p = c.compared { try s.write(1 + i, 4, .money(hundredths: p.hundredths)) } else { try s.write(1 + i, 4, .text(main.missingData ?? "no data"), missing) }
            try s.write(1 + i, 5, c.change.map { .percent($0) } ?? .empty)
        }
        let n = t.channels.count
        try s.writeRow(n + 1, [.text("Order revenue (= the period's revenue)"), .money(hundredths: report.current.revenue.hundredths),
                               .integer(Int64(report.current.sales))], format: wb.format(.total))
        try s.freezePanes(row: 1, col: 1)
        try s.autofilter(firstRow: 0, firstCol: 0, lastRow: n, lastCol: 5)
        try s.addChart(ChartSpec(kind: .pie, title: "Channel share of revenue",
                                 series: [ChartSeries(name: "Revenue", sheet: s, categories: ColumnRange(col: 0, firstRow: 1, lastRow: 5),
                                                      values: ColumnRange(col: 1, firstRow: 1, lastRow: 5))],
                                 legend: .right), at: n + 3, 0)
        try s.printSetup(headerRows: 0...0)
    }

    private func paymentsSheet(_ wb: Workbook, _ t: ReportTables, _ header: Format) throws {
        let s = try wb.addSheet("Payments")
        try s.setColumn(0, 0, width: 22); try s.setColumn(1, 3, width: 16)
        try s.writeHeader(0, ["Payment method", "Sales", "Amount (RWF)", "Share of revenue"], format: header)
        for (i, p) in report.payments.enumerated() {
            try s.writeRow(1 + i, [.text(p.method.label), .integer(Int64(p.orders)),
                                   .money(hundredths: p.amount.hundredths), t.paymentShare(p).map { .percent($0) } ?? .empty])
        }
        let n = report.payments.count
        try s.freezePanes(row: 1, col: 1)
        try s.autofilter(firstRow: 0, firstCol: 0, lastRow: n, lastCol: 3)
        try s.addChart(ChartSpec(kind: .bar, title: "Amount by payment method (RWF)",
                                 series: [ChartSeries(name: "Amount", sheet: s, categories: ColumnRange(col: 0, firstRow: 1, lastRow: n),
                                                      values: ColumnRange(col: 2, firstRow: 1, lastRow: n))],
                                 valueNumberFormat: "#,##0", legend: .none), at: n + 2, 0)
        try s.printSetup(headerRows: 0...0)
    }

    private func discountsSheet(_ wb: Workbook, _ header: Format) throws {
        let s = try wb.addSheet("Discounts")
        try s.setColumn(0, 0, width: 18); try s.setColumn(1, 2, width: 16)
        try s.writeHeader(0, ["Discount", "Sales with it", "Amount (RWF)"], format: header)
        for (i, d) in report.discountFigures.enumerated() {
            try s.writeRow(1 + i, [.text(d.kind.label), .integer(Int64(d.orders)), .money(hundredths: d.amount.hundredths)])
        }
        try s.freezePanes(row: 1, col: 1)
        try s.autofilter(firstRow: 0, firstCol: 0, lastRow: report.discountFigures.count, lastCol: 2)
        try s.printSetup(headerRows: 0...0)
    }

    private func topCustomersSheet(_ wb: Workbook, _ header: Format) throws {
        guard report.period == .day else { return }
        let s = try wb.addSheet("Top customers")
        try s.setColumn(0, 0, width: 8); try s.setColumn(1, 1, width: 32); try s.setColumn(2, 3, width: 16)
        try s.writeHeader(0, ["Rank", "Customer", "Sales", "Revenue (RWF)"], format: header)
        for (i, c) in report.topCustomers.enumerated() {
            try s.writeRow(1 + i, [.integer(Int64(c.rank)), .text(audience.name(c.name)), .integer(Int64(c.sales)), .money(hundredths: c.revenue.hundredths)])
        }
        try s.freezePanes(row: 1, col: 0)
        try s.printSetup(headerRows: 0...0)
    }

    /// "For analysts": the report's and every section's technical tables, one under the other, each with a bold
    /// title; the only sheet that names tables, codes, rules and model parameters.
    private func analystsSheet(_ wb: Workbook, _ t: ReportTables, _ header: Format) throws {
        let s = try wb.addSheet("For analysts")
        try s.setColumn(0, 0, width: 30); try s.setColumn(1, 7, width: 22)
        try s.write(0, 0, .text("For analysts: stored names, codes, rules and model parameters behind the report. Definitions: README of dusangire-analytics."),
                    wb.format(.title))
        var row = 2
        let note = wb.format(CellStyle(italic: true, fontColor: 0x5A6B62))
        for table in t.analystTables + sections.flatMap(\.analystTables) {
            try s.write(row, 0, .text(table.title), wb.format(CellStyle(bold: true, fontSize: 12)))
            row += 1
            if let n = table.note { try s.write(row, 0, .text(n), note); row += 1 }
            if !table.rows.isEmpty {
                try s.writeHeader(row, table.header, format: header)
                row += 1
                for cells in table.rows { try s.writeRow(row, cells.map(\.cellValue)); row += 1 }
            }
            row += 1
        }
        try s.freezePanes(row: 1, col: 0)
        try s.printSetup(headerRows: 0...0)
    }

    /// "Glossary": every figure of the report in plain words.
    private func glossarySheet(_ wb: Workbook, _ t: ReportTables, _ header: Format) throws {
        let s = try wb.addSheet("Glossary")
        try s.setColumn(0, 0, width: 34); try s.setColumn(1, 1, width: 100)
        try s.writeHeader(0, ["Figure", "What it means"], format: header)
        let wrap = wb.format(CellStyle(wrap: true, verticalAlign: .top)), bold = wb.format(CellStyle(bold: true, wrap: true, verticalAlign: .top))
        for (i, e) in (t.glossary + sections.flatMap(\.glossary)).enumerated() {
            try s.write(1 + i, 0, .text(e.figure), bold)
            try s.write(1 + i, 1, .text(e.meaning), wrap)
            let lines = max(Sheet.wrappedLines(e.meaning, width: 100), Sheet.wrappedLines(e.figure, width: 34))
            if lines > 1 { try s.setRowHeight(1 + i, height: Double(lines) * 15 + 2) }
        }
        try s.freezePanes(row: 1, col: 1)
        try s.printSetup(headerRows: 0...0)
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
