import Analytics
import Shop
import Warehouse

/// One campaign on a page of its own (`report --name campaign --campaign ID`): its settings, its figures as last
/// computed (coupon sales, audience lift, reach and conversions, ROI), its daily history and its ROI day by day.
/// Definitions: README, "Campaigns" and "Campaign detail".
public struct CampaignPageSection: RegisteredSection {
    public static let key = "campaign"
    /// A page of its own: only in a definition that names it.
    public static var inDefault: Bool { false }
    public let page: CampaignPage
    public init(_ page: CampaignPage) { self.page = page }

    public var title: String { "Campaign" }

    public static func read(_ source: SectionSource) throws -> (any ReportSection)? {
        guard let warehouse = source.warehouse else { return nil }
        guard let id = source.campaign else { throw ReportSections.Failure.campaignNeeded(report: source.report.name) }
        guard let page = try CampaignStore(connection: warehouse).page(campaign: id, day: source.report.range.last) else {
            throw ReportSections.Failure.noSuchCampaign(id)
        }
        return CampaignPageSection(page)
    }

    static let historyHeader = ["Day", "Coupon sales", "Coupon revenue (RWF)", "Discount given (RWF)", "Customers reached",
                                "Customers converted", "Conversion rate", "Audience revenue (RWF)", "Coupon revenue to date (RWF)",
                                "Cost to date (RWF)", "ROI to date"]

    private var c: CampaignSummary { page.campaign }

    /// The campaign's settings and figures, as label and value, in plain words.
    var facts: [(String, AreaCell)] {
        var rows: [(String, AreaCell)] = [
            ("Campaign", .text(c.name)), ("Status", .text(c.status)), ("Audience", .text(c.audienceName)),
            ("Coupon code", .text(c.couponCode)), ("First day", .day(c.firstDay)), ("Last day", .day(c.lastDay)),
            ("Discount", .text(page.discountType.isEmpty ? "–" : "\(page.discountValue) (\(page.discountType))")),
            ("Budget (RWF)", .money(c.budget)),
        ]
        guard let f = c.figures else { return rows }
        rows += [
            ("Figures as of", .day(f.asOf)), ("Coupon sales", .integer(f.couponOrders)), ("Coupon revenue (RWF)", .money(f.couponRevenue)),
            ("Discount given (RWF)", .money(f.discountGiven)), ("Budget used", .percent(f.budgetUsed)),
            ("Customers reached", .integer(f.customersReached)), ("Customers converted", .integer(f.customersConverted)),
            ("Conversion rate", .percent(f.conversionRate)), ("Audience revenue (RWF)", .money(f.audienceRevenue)),
            ("Expected without the campaign (RWF)", .money(f.baselineRevenue)), ("Lift (RWF)", .money(f.lift)), ("Lift", .percent(f.uplift)),
            ("Lift in words", .text(f.liftText)), ("Cost (RWF)", .money(f.cost)), ("ROI", .percent(f.roi)),
            ("ROI in words", .text(f.roiText + (f.roi != nil ? " (\(f.roiBasisText))" : ""))),
        ]
        return rows
    }

    var historyRows: [[AreaCell]] {
        let roi = Dictionary(uniqueKeysWithValues: page.roiOverTime.map { ($0.day, $0) })
        return page.history.map { h in
            let r = roi[h.day]
            return [.day(h.day), .integer(h.couponOrders), .money(h.couponRevenue), .money(h.discountGiven), .integer(h.customersReached),
                    .integer(h.customersConverted), .percent(h.conversionRate), .money(h.audienceRevenue),
                    .money(r?.couponRevenue), .money(r?.cost), .percent(r?.roi)]
        }
    }

    /// Why there is no figure or no ROI day by day, when that is so.
    var notes: [String] {
        var out: [String] = []
        if c.figures == nil {
            out.append(c.attributed ? "This campaign's figures are not computed yet: run a backfill over its dates."
                                    : "A \(c.status) campaign is not counted: it has no sales of its own.")
        } else if c.figures?.returnBasis == .lift {
            out.append("This campaign has no coupon code of its own, so its ROI is measured on its audience's lift over the whole campaign; there is no ROI day by day.")
        }
        if page.history.isEmpty { out.append("The campaign starts after \(page.day.words).") }
        return out
    }

    /// The e-mail: the campaign's dates, coupon sales, ROI and lift in a sentence each.
    public var summaryLines: [String] {
        var out = ["\(c.name): \(c.status), for \(c.audienceName), coupon code \(c.couponCode), \(c.firstDay.words) to \(c.lastDay.words)."]
        if let f = c.figures {
            out.append("\(CountText.of(f.couponOrders, "coupon sale")) worth \(f.couponRevenue), \(f.discountGiven) of discount (as of \(f.asOf.words)).")
            out.append("Return on investment: \(f.roiText)" + (f.roi != nil ? " (\(f.roiBasisText))." : "."))
            out.append("Audience lift: \(f.liftText).")
        }
        return out + notes
    }

    public func html(into b: inout HTMLBuilder) {
        b.table(header: ["", ""], rows: facts.map { [$0.0, $0.1.plain] }, numeric: [1])
        for n in notes { b.element("p", n, class: "note") }
        b.element("p", CampaignsSection.rules, class: "note")
        guard !page.history.isEmpty else { return }
        b.chart(BarChart(title: "Coupon revenue per day (RWF)", bars: page.history.map { (AreaCell.shortDate($0.day), $0.couponRevenue.wholeFrancs) },
                         highlightLast: c.lastDay >= page.day))
        b.table(header: ["Day", "Coupon sales", "Coupon revenue", "Discount", "Reached", "Converted", "Conversion", "Audience revenue", "ROI to date"],
                rows: historyRows.reversed().map { r in [r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[10]].map(\.plain) },
                numeric: [1, 2, 3, 4, 5, 6, 7, 8])
        b.element("p", "ROI to date = (coupon revenue so far − cost) / cost, where the cost is the budget, or the discount given so far when there is no budget. Reached and converted count each day's customers; the campaign's totals count each customer once.", class: "note")
    }

    public func addSheets(to workbook: Workbook) throws {
        let header = workbook.format(.header)
        let s = try workbook.addSheet("Campaign")
        try s.write(0, 0, .text(c.name), workbook.format(.title))
        for (i, (label, value)) in facts.enumerated() {
            try s.write(2 + i, 0, .text(label), header)
            try s.write(2 + i, 1, value.xlsx)
        }
        var row = 3 + facts.count
        for n in notes { try s.write(row, 0, .text(n), workbook.format(CellStyle(italic: true, fontColor: 0x5A6B62))); row += 1 }
        row += 1
        try s.writeRow(row, Self.historyHeader.map { .text($0) }, format: header)
        let rows = historyRows
        for (i, r) in rows.enumerated() { try s.writeRow(row + 1 + i, r.map(\.xlsx)) }
        try s.freezePanes(row: row + 1, col: 1)
        try s.setColumn(0, 0, width: 34); try s.setColumn(1, Self.historyHeader.count - 1, width: 16)
        if !rows.isEmpty {
            let last = row + rows.count
            try s.autofilter(firstRow: row, firstCol: 0, lastRow: last, lastCol: Self.historyHeader.count - 1)
            try s.conditionalFormat(.cell(.lessThan, 0, style: ConditionalRule.badStyle), firstRow: row + 1, firstCol: 10, lastRow: last, lastCol: 10)
            try s.conditionalFormat(.cell(.greaterOrEqual, 0, style: ConditionalRule.goodStyle), firstRow: row + 1, firstCol: 10, lastRow: last, lastCol: 10)
            try s.addChart(ChartSpec(kind: .column, title: "Coupon revenue per day (RWF)",
                                     series: [ChartSeries(name: "Coupon revenue", sheet: s, categories: ColumnRange(col: 0, firstRow: row + 1, lastRow: last),
                                                          values: ColumnRange(col: 2, firstRow: row + 1, lastRow: last))],
                                     valueNumberFormat: "#,##0", legend: .none), at: last + 2, 0)
        }
        s.setLandscape(); s.fitToWidth()
    }

    public var csvTables: [(name: String, table: CSVTable)] {
        [("campaign-summary", CSVTable(header: ["Figure", "Value"], rows: facts.map { [.text($0.0), $0.1.csv] })),
         ("campaign-history", CSVTable(header: Self.historyHeader, rows: historyRows.map { $0.map(\.csv) }))]
    }
}
