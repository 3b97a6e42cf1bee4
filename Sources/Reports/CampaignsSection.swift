import Analytics
import Shop

/// The Campaigns section: every campaign with its coupon sales, ROI and audience lift, then a block per campaign
/// running on the report day or ended recently, with its daily history. Definitions: README, "Campaigns".
public struct CampaignsSection: ReportSection {
    public let report: CampaignReport
    public init(_ report: CampaignReport) { self.report = report }

    public var title: String { "Campaigns" }

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
                    return [c.name, c.status, c.audienceName, "\(c.firstDay.iso) – \(c.lastDay.iso)",
                            f.map { Money(francs: Int64($0.couponOrders)).groupedFrancs } ?? notYet,
                            f.map { $0.couponRevenue.description } ?? "–",
                            f?.cost.map { $0.description + (f?.costBasis == .budget ? " (budget)" : " (discount)") } ?? "–",
                            f.map { $0.roiText + ($0.roi != nil ? " on " + $0.roiBasisText : "") } ?? "–",
                            f?.liftText ?? "–"]
                }, numeric: [4, 5, 6])
        b.element("p", Self.rules + " Together the campaigns' coupons brought \(Money(francs: Int64(report.totalOrders)).groupedFrancs) sales worth \(report.totalRevenue), with \(report.totalDiscount) of coupon discounts. Draft and cancelled campaigns are not counted.", class: "note")

        for d in report.details {
            let c = d.campaign
            b.raw("<h3>"); b.text(c.name); b.raw("</h3>")
            let state = c.lastDay < report.day ? "ended \(c.lastDay.iso)" : "running until \(c.lastDay.iso)"
            var line = "\(c.status.prefix(1).uppercased() + c.status.dropFirst()), for \(c.audienceName), coupon code \(c.couponCode), \(state)."
            if let f = c.figures {
                line += " \(Money(francs: Int64(f.couponOrders)).groupedFrancs) coupon \(f.couponOrders == 1 ? "sale" : "sales") worth \(f.couponRevenue), discount \(f.discountGiven)"
                line += c.budget.map { ", budget \($0)." } ?? ", no budget."
                line += " ROI: \(f.roiText)" + (f.roi != nil ? " (\(f.roiBasisText))." : ".")
                line += " Audience lift: \(f.liftText)."
            }
            b.element("p", line, class: "note")
            b.raw("<div class=\"chart\">")
            b.raw(BarChartSVG(title: "\(c.name): coupon revenue per day (RWF)",
                              bars: d.history.map { (AreaCell.shortDate($0.day), $0.couponRevenue.wholeFrancs) }, highlightLast: c.lastDay >= report.day).svg)
            b.raw("</div>")
            b.table(header: ["Day", "Coupon sales", "Coupon revenue", "Discount", "Reached", "Converted", "Conversion", "Audience revenue"],
                    rows: d.history.suffix(7).reversed().map { h in
                        [h.day.iso, String(h.couponOrders), h.couponRevenue.description, h.discountGiven.description,
                         String(h.customersReached), String(h.customersConverted), h.conversionRate.description, h.audienceRevenue.description]
                    }, numeric: [1, 2, 3, 4, 5, 6, 7])
        }
    }

    public func addSheets(to workbook: Workbook) throws {
        let header = workbook.format(.header)
        let sheet = try workbook.addSheet("Campaigns")
        try sheet.write(0, 0, .text("Campaigns as of \(report.day.iso)"), workbook.format(.title))
        try sheet.write(1, 0, .text(Self.rules), workbook.format(CellStyle(italic: true, fontColor: 0x5A6B62)))
        try sheet.writeRow(3, Self.listHeader.map { .text($0) }, format: header)
        let rows = listRows
        for (i, r) in rows.enumerated() { try sheet.writeRow(4 + i, r.map(\.xlsx)) }
        let last = 3 + rows.count
        try sheet.writeRow(last + 1, [.text("All campaigns (each sale once)"), .empty, .empty, .empty, .empty, .empty,
                                      .integer(Int64(report.totalOrders)), .money(hundredths: report.totalRevenue.hundredths),
                                      .money(hundredths: report.totalDiscount.hundredths)], format: workbook.format(.total))
        try sheet.freezePanes(row: 4, col: 1)
        try sheet.autofilter(firstRow: 3, firstCol: 0, lastRow: max(last, 4), lastCol: Self.listHeader.count - 1)
        try sheet.setColumn(0, 0, width: 28); try sheet.setColumn(1, 3, width: 14); try sheet.setColumn(4, 5, width: 12)
        try sheet.setColumn(6, Self.listHeader.count - 1, width: 16)
        var row = last + 3
        if !rows.isEmpty {
            try sheet.addChart(ChartSpec(kind: .bar, title: "Coupon revenue by campaign (RWF)",
                                         series: [ChartSeries(name: "Coupon revenue", sheet: sheet, categories: ColumnRange(col: 0, firstRow: 4, lastRow: last),
                                                              values: ColumnRange(col: 7, firstRow: 4, lastRow: last))],
                                         valueNumberFormat: "#,##0", legend: .none), at: row, 0)
            row += 20
        }
        try sheet.write(row, 0, .text("Daily history (campaigns running on the day or ended in the last \(CampaignReport.recentDays) days)"), workbook.format(.title))
        try sheet.writeRow(row + 1, Self.historyHeader.map { .text($0) }, format: header)
        for (i, r) in historyRows.enumerated() { try sheet.writeRow(row + 2 + i, r.map(\.xlsx)) }
        sheet.setLandscape(); sheet.fitToWidth()
    }

    public var csvTables: [(name: String, table: CSVTable)] {
        [("campaigns", CSVTable(header: Self.listHeader, rows: listRows.map { $0.map(\.csv) })),
         ("campaign-days", CSVTable(header: Self.historyHeader, rows: historyRows.map { $0.map(\.csv) }))]
    }

    var listRows: [[AreaCell]] {
        report.campaigns.map { c in
            let f = c.figures
            return [.text(c.name), .text(c.status), .text(c.audienceName), .text(c.couponCode), .day(c.firstDay), .day(c.lastDay),
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
