import Analytics
import Shop

/// Revenue by channel, each channel's share of order revenue and its change against the report's main comparison
/// (README, "Revenue channels").
public struct ChannelsSection: RegisteredSection {
    public static let key = "channels"
    public let report: PeriodReport
    public init(_ report: PeriodReport) { self.report = report }

    public static func read(_ source: SectionSource) throws -> (any ReportSection)? { ChannelsSection(source.report) }

    public var title: String { "Revenue by channel" }
    private var rows: [ReportTables.ChannelRow] { ReportTables(report, audience: .full).channels }

    public func html(into b: inout HTMLBuilder) {
        let main = report.mainComparison
        b.table(header: ["Channel", "Revenue", "Transactions", "Share", main.heading, "Change"],
                rows: rows.map { [$0.channel.label, $0.amount.description, CountText.grouped($0.transactions), ReportTables.percent($0.share, signed: false),
                                  $0.compared?.description ?? main.missingData ?? "–", ReportTables.percent($0.change, signed: true)] },
                numeric: [1, 2, 3, 4, 5])
        b.element("p", "The order channels (all but catering and VIP upgrades) add up to the period's revenue; catering is booked separately, and VIP tiers are earned, not sold.", class: "note")
    }

    public func addSheets(to wb: Workbook) throws {
        let rows = rows
        let s = try wb.addSheet("Channels")
        let main = report.mainComparison
        try s.setColumn(0, 0, width: 34); try s.setColumn(1, 5, width: 18)
        try s.writeHeader(0, ["Channel", "Revenue (RWF)", "Transactions", "Share of order revenue", "\(main.heading) (RWF)", "Change"], format: wb.format(.header))
        let missing = wb.format(CellStyle(italic: true, fontColor: 0x5A6B62, align: .right))
        for (i, c) in rows.enumerated() {
            try s.writeRow(1 + i, [.text(c.channel.label), .money(hundredths: c.amount.hundredths),
                                   .integer(Int64(c.transactions)), c.share.map { .percent($0) } ?? .empty])
            if let p = c.compared { try s.write(1 + i, 4, .money(hundredths: p.hundredths)) } else { try s.write(1 + i, 4, .text(main.missingData ?? "no data"), missing) }
            try s.write(1 + i, 5, c.change.map { .percent($0) } ?? .empty)
        }
        let n = rows.count
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

    public var csvTables: [(name: String, table: CSVTable)] {
        func pct(_ d: Double?) -> CSVCell { d.map { .percent($0) } ?? .empty }
        return [("channels", CSVTable(header: ["Channel", "Revenue (RWF)", "Transactions", "Share of order revenue (%)",
                                               "\(report.mainComparison.heading) (RWF)", "Change (%)"],
                                      rows: rows.map {
                                          [.text($0.channel.label), .money($0.amount), .integer(Int64($0.transactions)),
                                           pct($0.share), $0.compared.map { .money($0) } ?? .empty, pct($0.change)]
                                      }))]
    }

    public var analystTables: [AnalystTable] {
        [AnalystTable(title: "Codes behind the channel labels", note: "As stored in analytics.revenue_by_channel (channel).",
                      header: ["Label", "Code"], rows: RevenueChannel.allCases.map { [.text($0.label), .text($0.rawValue)] })]
    }

    public var glossary: [GlossaryEntry] {
        [
            GlossaryEntry("Revenue by channel", "Every sale goes to one channel, the first that fits: subscription meals, corporate customers, referral discounts, loyalty points, else direct orders. These five add up to the revenue."),
            GlossaryEntry("Share of order revenue", "A channel's revenue as a share of the period's revenue."),
            GlossaryEntry(RevenueChannel.catering.label, "Confirmed or completed catering bookings on their event day. They are not orders, so they are reported beside the revenue, not in it."),
            GlossaryEntry(RevenueChannel.vipUpgrade.label, "Always zero: VIP tiers are earned by spending, the shop does not sell them."),
        ]
    }
}
