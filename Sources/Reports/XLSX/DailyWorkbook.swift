import Analytics
import Shop

/// The daily report as a workbook a manager can open on a phone: sheets Summary, Daily, Channels, Payments and
/// Discounts; RWF formats, frozen headers, autofilters, widths, and native charts.
public struct DailyWorkbook {
    public let report: DailyReport
    public let sections: [any ReportSection]
    public init(_ report: DailyReport, sections: [any ReportSection] = []) { self.report = report; self.sections = sections }

    public func write(to path: String) throws {
        let r = report
        let t = DailyTables(r)
        let wb = try Workbook(path: path, title: "Dusangire daily report \(r.day.iso)", author: "dusangire-analytics")
        let header = wb.format(.header)
        let title = wb.format(.title)
        let note = wb.format(CellStyle(italic: true, fontColor: 0x5A6B62))

        // Summary: the day against the previous day and the same weekday last week.
        let summary = try wb.addSheet(DailyTables.summaryName)
        try summary.write(0, 0, .text("Dusangire daily report, \(r.day.iso)"), title)
        try summary.write(1, 0, .text("Shop days in \(r.timeZone); amounts in RWF. A sale is a delivered order that was not refunded."), note)
        try summary.writeRow(3, [.text("Figure"), .text("Day"), .text("Previous day"), .text("Same day last week"), .text("Change vs previous day")], format: header)
        for (i, k) in t.kpis.enumerated() {
            let change: CellValue = percentChange(from: k.previous.units, to: k.today.units).map { .percent($0) } ?? .empty
            try summary.writeRow(4 + i, [.text(k.label), cell(k.today), cell(k.previous), cell(k.lastWeek), change])
        }
        try summary.conditionalFormat(.cell(.lessThan, 0, style: ConditionalRule.badStyle), firstRow: 4, firstCol: 4, lastRow: 3 + t.kpis.count, lastCol: 4)
        try summary.conditionalFormat(.cell(.greaterThan, 0, style: ConditionalRule.goodStyle), firstRow: 4, firstCol: 4, lastRow: 3 + t.kpis.count, lastCol: 4)
        try summary.setColumn(0, 0, width: 34)
        try summary.setColumn(1, 4, width: 20)
        try summary.freezePanes(row: 4, col: 1)
        var row = 5 + t.kpis.count
        try summary.write(row, 0, .text("Rejected source rows for this day"), header)
        try summary.write(row, 1, .integer(Int64(r.rejected.reduce(0) { $0 + $1.count })))
        row += 1
        for rej in r.rejected {
            try summary.writeRow(row, [.text("  \(rej.source): \(rej.reason)"), .integer(Int64(rej.count))])
            row += 1
        }
        summary.setLandscape(); summary.fitToWidth()

        // Daily: the last 30 days, one row each.
        let daily = try wb.addSheet(DailyTables.dailyName)
        try daily.writeRow(0, DailyTables.dailyHeader.map { .text($0) }, format: header)
        for (i, cells) in t.dailyRows.enumerated() {
            try daily.writeRow(1 + i, cells.map(xlsx))
        }
        let last = t.dailyRows.count
        try daily.freezePanes(row: 1, col: 1)
        try daily.autofilter(firstRow: 0, firstCol: 0, lastRow: last, lastCol: DailyTables.dailyHeader.count - 1)
        try daily.setColumn(0, 0, width: 12)
        try daily.setColumn(1, DailyTables.dailyHeader.count - 1, width: 15)
        try daily.addChart(ChartSpec(kind: .column, title: "Revenue per day (RWF)",
                                     series: [ChartSeries(name: "Revenue", sheet: daily, categories: ColumnRange(col: 0, firstRow: 1, lastRow: last),
                                                          values: ColumnRange(col: 3, firstRow: 1, lastRow: last))],
                                     yAxisTitle: "RWF", valueNumberFormat: "#,##0", legend: .none), at: last + 2, 0)
        daily.setLandscape(); daily.fitToWidth()

        // Channels for the day, with a share chart.
        let channels = try wb.addSheet(DailyTables.channelsName)
        try channels.writeRow(0, DailyTables.channelsHeader.map { .text($0) }, format: header)
        for (i, c) in t.channelRows.enumerated() {
            try channels.writeRow(1 + i, [.text(c.channel.label), .text(c.channel.rawValue), .money(hundredths: c.amount.hundredths),
                                          .integer(Int64(c.transactions)), c.share.map { .percent($0) } ?? .empty])
        }
        let nch = t.channelRows.count
        try channels.writeRow(nch + 1, [.text("Order revenue (= snapshot revenue)"), .empty, .money(hundredths: r.today.totalRevenue.hundredths),
                                         .integer(Int64(r.today.totalOrders))], format: wb.format(.total))
        try channels.freezePanes(row: 1, col: 1)
        try channels.autofilter(firstRow: 0, firstCol: 0, lastRow: nch, lastCol: 4)
        try channels.setColumn(0, 0, width: 34); try channels.setColumn(1, 1, width: 14); try channels.setColumn(2, 4, width: 18)
        try channels.addChart(ChartSpec(kind: .bar, title: "Revenue by channel (RWF)",
                                        series: [ChartSeries(name: "Revenue", sheet: channels, categories: ColumnRange(col: 0, firstRow: 1, lastRow: nch),
                                                             values: ColumnRange(col: 2, firstRow: 1, lastRow: nch))],
                                        valueNumberFormat: "#,##0", legend: .none), at: nch + 3, 0)

        // Payments for the day, and the discounts given.
        let payments = try wb.addSheet(DailyTables.paymentsName)
        try payments.writeRow(0, DailyTables.paymentsHeader.map { .text($0) }, format: header)
        for (i, p) in t.paymentRows.enumerated() {
            try payments.writeRow(1 + i, [.text(p.method.label), .text(p.method.rawValue), .integer(Int64(p.orders)),
                                          .money(hundredths: p.amount.hundredths), p.share.map { .percent($0) } ?? .empty])
        }
        let np = t.paymentRows.count
        try payments.freezePanes(row: 1, col: 1)
        try payments.autofilter(firstRow: 0, firstCol: 0, lastRow: np, lastCol: 4)
        try payments.setColumn(0, 0, width: 22); try payments.setColumn(1, 1, width: 18); try payments.setColumn(2, 4, width: 16)
        try payments.addChart(ChartSpec(kind: .pie, title: "Payment methods by amount",
                                        series: [ChartSeries(name: "Amount", sheet: payments, categories: ColumnRange(col: 0, firstRow: 1, lastRow: np),
                                                             values: ColumnRange(col: 3, firstRow: 1, lastRow: np))],
                                        legend: .right), at: np + 2, 0)

        let discounts = try wb.addSheet("Discounts")
        try discounts.writeRow(0, DailyTables.discountsHeader.map { .text($0) }, format: header)
        for (i, d) in r.discounts.enumerated() {
            try discounts.writeRow(1 + i, [.text(d.kind.label), .text(d.kind.rawValue), .integer(Int64(d.orders)), .money(hundredths: d.amount.hundredths)])
        }
        try discounts.freezePanes(row: 1, col: 1)
        try discounts.autofilter(firstRow: 0, firstCol: 0, lastRow: r.discounts.count, lastCol: 3)
        try discounts.setColumn(0, 0, width: 18); try discounts.setColumn(1, 3, width: 16)

        let top = try wb.addSheet("Top customers")
        try top.writeRow(0, [.text("Rank"), .text("Customer"), .text("Sales"), .text("Revenue (RWF)")], format: header)
        for (i, c) in r.topCustomers.enumerated() {
            try top.writeRow(1 + i, [.integer(Int64(c.rank)), .text(c.name), .integer(Int64(c.sales)), .money(hundredths: c.revenue.hundredths)])
        }
        try top.freezePanes(row: 1, col: 0)
        try top.setColumn(0, 0, width: 8); try top.setColumn(1, 1, width: 32); try top.setColumn(2, 3, width: 16)

        for section in sections { try section.addSheets(to: wb) }

        try wb.close()
    }

    private func cell(_ v: DailyTables.KPIValue) -> CellValue {
        switch v {
        case .money(let m): .money(hundredths: m.hundredths)
        case .count(let c): .integer(c)
        }
    }

    private func xlsx(_ c: CSVCell) -> CellValue {
        switch c {
        case .text(let s): .text(s)
        case .integer(let i): .integer(i)
        case .money(let m): .money(hundredths: m.hundredths)
        case .day(let d): .date(epochDay: d.epochDay)
        }
    }
}
