import Analytics
import Shop
import Warehouse

/// The Campaigns section: every campaign with its coupon sales, ROI and audience lift, then a block per campaign
/// running on the report day or ended recently, with its daily history. Definitions: README, "Campaigns".
public struct CampaignsSection: RegisteredSection {
    public static let key = "campaigns"
    public let report: CampaignReport
    public init(_ report: CampaignReport) { self.report = report }

    public var title: String { "Campaigns" }

    public static func read(_ source: SectionSource) throws -> (any ReportSection)? {
        guard let warehouse = source.warehouse else { return nil }
        return CampaignsSection(try CampaignStore(connection: warehouse).report(for: source.report.range))
    }

    static let listHeader = ["Campaign", "Status", "Audience", "Coupon code", "First day", "Last day", "Coupon sales",
                             "Coupon revenue (RWF)", "Discount given (RWF)", "Budget (RWF)", "Budget used", "Cost (RWF)",
                             "ROI measured on", "ROI", "ROI not measurable because", "Customers reached",
                             "Customers converted", "Conversion rate", "Audience revenue (RWF)",
                             "Expected without the campaign (RWF)", "Lift (RWF)", "Lift", "Lift not measurable because"]
    static let historyHeader = ["Campaign", "Day", "Coupon sales", "Coupon revenue (RWF)", "Discount given (RWF)",
                                "Customers reached", "Customers converted", "Conversion rate", "Audience revenue (RWF)"]

    /// Explains the figures in two sentences.
    static let rules = "A sale counts for a campaign only when it carries the campaign's coupon code during the campaign. ROI = (coupon revenue − cost) / cost, where the cost is the budget, or the discount given when there is no budget; a campaign without its own code is judged on its audience's lift instead: what the audience spent during the campaign against the same weekdays of the four weeks before."

    public func html(into b: inout HTMLBuilder) {
        guard !report.campaigns.isEmpty else {
            b.element("p", "The shop has no campaigns.", class: "note")
            return
        }
        b.table(header: ["Campaign", "Status", "Audience", "Dates", "Coupon sales", "Coupon revenue", "Cost", "ROI", "Audience lift"],
                rows: report.campaigns.map { c in
                    let f = c.figures
                    let notYet = c.attributed && f == nil ? "not computed yet" : "–"
                    return [c.name, PlainNames.campaignStatus(c.status), c.audienceName.capitalisedFirst, "\(c.firstDay.iso) – \(c.lastDay.iso)",
                            f.map { CountText.grouped($0.couponOrders) } ?? notYet,
                            f.map { $0.couponRevenue.description } ?? "–",
                            f?.cost.map { $0.description + (f?.costBasis == .budget ? " (budget)" : " (discount)") } ?? "–",
                            f.map { $0.roiText + ($0.roi != nil ? " on " + $0.roiBasisText : "") } ?? "–",
                            f?.liftText ?? "–"]
                }, numeric: [4, 5, 6])
        b.element("p", Self.rules + " Together the campaigns' coupons brought \(CountText.of(report.totalOrders, "sale")) worth \(report.totalRevenue), with \(report.totalDiscount) of coupon discounts. Draft and cancelled campaigns are not counted.", class: "note")

        for d in report.details {
            let c = d.campaign
            b.element("h3", c.name)
            let state = c.lastDay < report.day ? "ended \(c.lastDay.words)" : "running until \(c.lastDay.words)"
            var line = "\(PlainNames.campaignStatus(c.status)), for \(c.audienceName), coupon code \(c.couponCode), \(state)."
            if let f = c.figures {
                line += " \(CountText.of(f.couponOrders, "coupon sale")) worth \(f.couponRevenue), discount \(f.discountGiven)"
                line += c.budget.map { ", budget \($0)." } ?? ", no budget."
                line += " ROI: \(f.roiText)" + (f.roi != nil ? " (\(f.roiBasisText))." : ".")
                line += " Audience lift: \(f.liftText)."
            }
            b.element("p", line, class: "note")
            b.chart(BarChart(title: "\(c.name): coupon revenue per day (RWF)",
                             bars: d.history.map { (AreaCell.shortDate($0.day), $0.couponRevenue.wholeFrancs) }, highlightLast: c.lastDay >= report.day))
            b.table(header: ["Day", "Coupon sales", "Coupon revenue", "Discount", "Reached", "Converted", "Conversion", "Audience revenue"],
                    rows: d.history.suffix(7).reversed().map { h in
                        [h.day.iso, CountText.grouped(h.couponOrders), h.couponRevenue.description, h.discountGiven.description,
                         CountText.grouped(h.customersReached), CountText.grouped(h.customersConverted), h.conversionRate.description, h.audienceRevenue.description]
                    }, numeric: [1, 2, 3, 4, 5, 6, 7])
        }
    }

    public func addSheets(to workbook: Workbook) throws {
        let header = workbook.format(.header)
        let sheet = try workbook.addSheet("Campaigns")
        try sheet.write(0, 0, .text("Campaigns as of \(report.day.words)"), workbook.format(.title))
        // The list's 23 columns in two sheets, so each prints one page wide at a readable size: the coupon sales and
        // the ROI here, the audience and its lift on "Campaign audiences" (the CSV file keeps them in one table).
        let split = Self.listHeader.firstIndex(of: "Customers reached") ?? Self.listHeader.count
        let widths: [Double] = [28, 10, 16, 18, 11, 11, 9, 14, 13, 13, 9, 13, 18, 9, 22]
        for c in 0..<split { try sheet.setColumn(c, c, width: c < widths.count ? widths[c] : 13) }
        try sheet.writeHeader(3, Array(Self.listHeader[..<split]), format: header)
        // The rules wrapped over the table's width: as one long line, the printed page would be as wide as the text.
        let tableWidth = (0..<split).reduce(0.0) { $0 + ($1 < widths.count ? widths[$1] : 13) }
        try sheet.mergeRange(firstRow: 1, firstCol: 0, lastRow: 1, lastCol: split - 1, text: Self.rules,
                             workbook.format(CellStyle(italic: true, fontColor: 0x5A6B62, wrap: true, verticalAlign: .top)))
        try sheet.setRowHeight(1, height: Double(Sheet.wrappedLines(Self.rules, width: tableWidth)) * 15 + 3)
        let rows = listRows
        for (i, r) in rows.enumerated() { try sheet.writeRow(4 + i, r[..<split].map(\.xlsx)) }
        let last = 3 + rows.count
        try sheet.writeRow(last + 1, [.text("All campaigns (each sale once)"), .empty, .empty, .empty, .empty, .empty,
                                      .integer(Int64(report.totalOrders)), .money(hundredths: report.totalRevenue.hundredths),
                                      .money(hundredths: report.totalDiscount.hundredths)], format: workbook.format(.total))
        try sheet.freezePanes(row: 4, col: 1)
        try sheet.autofilter(firstRow: 3, firstCol: 0, lastRow: max(last, 4), lastCol: split - 1)
        let row = last + 3
        if !rows.isEmpty {
            try sheet.addChart(ChartSpec(kind: .bar, title: "Coupon revenue by campaign (RWF)",
                                         series: [ChartSeries(name: "Coupon revenue", sheet: sheet, categories: ColumnRange(col: 0, firstRow: 4, lastRow: last),
                                                              values: ColumnRange(col: 7, firstRow: 4, lastRow: last))],
                                         valueNumberFormat: "#,##0", legend: .none), at: row, 0)
        }
        try sheet.printSetup(headerRows: 3...3)

        let audiences = try workbook.addSheet("Campaign audiences")
        let audienceHeader = [Self.listHeader[0]] + Self.listHeader[split...]
        try audiences.setColumn(0, 0, width: 28); try audiences.setColumn(1, audienceHeader.count - 2, width: 15)
        try audiences.setColumn(audienceHeader.count - 1, audienceHeader.count - 1, width: 34)
        try audiences.write(0, 0, .text("Campaign audiences and their lift, as of \(report.day.words)"), workbook.format(.title))
        try audiences.writeHeader(2, audienceHeader, format: header)
        for (i, r) in rows.enumerated() { try audiences.writeRow(3 + i, ([r[0]] + r[split...]).map(\.xlsx)) }
        try audiences.freezePanes(row: 3, col: 1)
        if !rows.isEmpty { try audiences.autofilter(firstRow: 2, firstCol: 0, lastRow: 2 + rows.count, lastCol: audienceHeader.count - 1) }
        try audiences.printSetup(headerRows: 2...2)

        // The daily history on a sheet of its own: one table per sheet, header frozen and repeated in print.
        let days = try workbook.addSheet("Campaign days")
        try days.setColumn(0, 0, width: 28); try days.setColumn(1, 1, width: 12); try days.setColumn(2, Self.historyHeader.count - 1, width: 15)
        try days.write(0, 0, .text("Campaigns day by day (running on the report's last day or ended in the \(CampaignReport.recentDays) days before)"), workbook.format(.title))
        try days.writeHeader(2, Self.historyHeader, format: header)
        let history = historyRows
        for (i, r) in history.enumerated() { try days.writeRow(3 + i, r.map(\.xlsx)) }
        try days.freezePanes(row: 3, col: 1)
        if !history.isEmpty { try days.autofilter(firstRow: 2, firstCol: 0, lastRow: 2 + history.count, lastCol: Self.historyHeader.count - 1) }
        try days.printSetup(headerRows: 2...2)
    }

    public var csvTables: [(name: String, table: CSVTable)] {
        [("campaigns", CSVTable(header: Self.listHeader, rows: listRows.map { $0.map(\.csv) })),
         ("campaign-days", CSVTable(header: Self.historyHeader, rows: historyRows.map { $0.map(\.csv) }))]
    }

    public var analystTables: [AnalystTable] {
        [AnalystTable(title: "Campaigns as stored", note: "analytics.campaigns (status, target_audience) and the coupon code each campaign's sales are credited by.",
                      header: ["Campaign", "Status code", "Audience code", "Coupon code"],
                      rows: report.campaigns.map { [.text($0.name), .text($0.status), .text($0.audience), .text($0.couponCode)] })]
    }

    public var glossary: [GlossaryEntry] {
        [
            GlossaryEntry("Campaign dates", "The days from a campaign's start to its end, both included."),
            GlossaryEntry("Coupon sales, coupon revenue", "Sales during the campaign that carried its coupon code, and what they brought in. Only these count for the campaign."),
            GlossaryEntry("Discount given", "The coupon discounts on those sales."),
            GlossaryEntry("Cost", "The campaign's budget, or the discount given when it has no budget."),
            GlossaryEntry("ROI", "Return on the cost: (coupon revenue - cost) / cost, or, for a campaign without its own code, (lift - cost) / cost. \"Not measurable\" says why when it cannot be worked out."),
            GlossaryEntry("Customers reached", "Customers of the campaign's audience who were active during the campaign (placed an order, or used the website or app logged in), and every customer converted."),
            GlossaryEntry("Customers converted", "Customers with a coupon sale of the campaign. Buying during the campaign without its code is not converting."),
            GlossaryEntry("Conversion rate", "Customers converted out of customers reached."),
            GlossaryEntry("Audience lift", "What the campaign's audience spent during the campaign, against what they spent on the same weekdays of the four weeks before."),
        ]
    }

    var listRows: [[AreaCell]] {
        report.campaigns.map { c in
            let f = c.figures
            return [.text(c.name), .text(PlainNames.campaignStatus(c.status)), .text(c.audienceName.capitalisedFirst), .text(c.couponCode), .day(c.firstDay), .day(c.lastDay),
                    .integer(f?.couponOrders), .money(f?.couponRevenue), .money(f?.discountGiven), .money(c.budget),
                    .percent(f?.budgetUsed), .money(f?.cost), .text(f.map(\.roiBasisText) ?? ""), .percent(f?.roi),
                    .text(f?.roiUnmeasurable?.plainReason ?? ""), .integer(f?.customersReached), .integer(f?.customersConverted),
                    .percent(f?.conversionRate), .money(f?.audienceRevenue), .money(f?.baselineRevenue), .money(f?.lift),
                    .percent(f?.uplift), .text(f?.liftUnmeasurable?.plainReason ?? "")]
        }
    }

    var historyRows: [[AreaCell]] {
        report.details.flatMap { d in
            d.history.map { h in
                [.text(d.campaign.name), .day(h.day), .integer(h.couponOrders), .money(h.couponRevenue), .money(h.discountGiven),
                 .integer(h.customersReached), .integer(h.customersConverted), .percent(h.conversionRate), .money(h.audienceRevenue)]
            }
        }
    }
}

/// A cell of this area's tables, written the same way to CSV (exact text) and XLSX (typed, formatted).
enum AreaCell: Sendable {
    case text(String)
    case integer(Int?)
    case money(Money?)
    case percent(Percentage?)
    case day(ShopDay)

    var csv: CSVCell {
        switch self {
        case .text(let s): .text(s)
        case .integer(let v): v.map { .integer(Int64($0)) } ?? .text("")
        case .money(let m): m.map { .money($0) } ?? .text("")
        case .percent(let p): p.map { .decimal($0.decimalString) } ?? .empty
        case .day(let d): .day(d)
        }
    }

    var xlsx: CellValue {
        switch self {
        case .text(let s): .text(s)
        case .integer(let v): v.map { .integer(Int64($0)) } ?? .empty
        case .money(let m): m.map { .money(hundredths: $0.hundredths) } ?? .empty
        case .percent(let p): p.map { .percent($0.fraction) } ?? .empty
        case .day(let d): .date(epochDay: d.epochDay)
        }
    }

    /// `23/11` for chart labels.
    static func shortDate(_ d: ShopDay) -> String { String(format: "%02d/%02d", d.components.day, d.components.month) }
}
