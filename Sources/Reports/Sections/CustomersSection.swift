import Analytics
import Foundation
import Shop
import Warehouse

/// The report's Customers section: segments, RFM groups, top customers, the at-risk list with actions, cohorts,
/// the loyalty and referral programs, and the purchase model's fit (README, "Customer analytics"). Sheets
/// "Customers", "RFM" and "Cohorts"; CSV tables `customer-*`.
public struct CustomersSection: RegisteredSection {
    public static let key = "customers"
    public var report: CustomerReport
    /// How many rows of the at-risk list the HTML page shows (the sheet and CSV have them all).
    public var atRiskShown = 20

    public init(_ report: CustomerReport) { self.report = report }

    public var title: String { "Customers" }

    public static func read(_ source: SectionSource) throws -> (any ReportSection)? {
        guard let warehouse = source.warehouse else { return nil }
        // Customers as of the period's last day, never an earlier day's figures passed off as the period's.
        let day = source.report.range.last
        if let customers = try CustomerStore(connection: warehouse).report(for: day) { return CustomersSection(customers) }
        return UnavailableSection(
            title: "Customers", key: key,
            reason: "Customer figures as of \(ShopPeriod.day.label(ShopDayRange(day, day))), the last day of this report, were never computed, so this report cannot show them. "
                + "They are worked out by the nightly run for the day it covers; no run covered that day.",
            remedy: "Compute them with: dusangire-analytics backfill --from \(day.iso) --to \(day.iso) --areas customers (it also recomputes that day's daily figures, which is harmless).")
    }

    /// The top and at-risk lists name customers: readers who may not see customer data get initials.
    public func forAudience(_ audience: Audience) -> any ReportSection {
        var copy = self
        for i in copy.report.top.indices { copy.report.top[i].name = audience.name(copy.report.top[i].name) }
        for i in copy.report.atRisk.indices { copy.report.atRisk[i].name = audience.name(copy.report.atRisk[i].name) }
        return copy
    }

    public func html(into b: inout HTMLBuilder) {
        let r = report
        b.element("p", "As of \(r.asOf.words) (end of that shop day). Lifetime value is the customer's historical spend on sales.", class: "note")
        b.record(.cards(cards.map { ReportBlock.Card(label: $0.0, value: $0.1, lines: []) }))
        b.raw("<div class=\"cards\">")
        for (label, value) in cards { b.raw("<div class=\"card\"><div class=\"label\">"); b.text(label); b.raw("</div><div class=\"value\">"); b.text(value); b.raw("</div></div>") }
        b.raw("</div>")

        b.element("h3", "Segments")
        b.table(header: ["Segment", "Customers", "Lifetime value"],
                rows: r.segments.map { [$0.label, CountText.grouped($0.customers), $0.lifetimeValue.description] }, numeric: [1, 2])
        b.element("p", "A customer can be in several segments. The Glossary sheet of the workbook says what each means.", class: "note")
        b.element("h3", "Customer groups by recency, frequency and spend (RFM)")
        b.table(header: ["Group", "Customers", "Lifetime value"],
                rows: r.rfmGroups.map { [$0.label, CountText.grouped($0.customers), $0.lifetimeValue.description] }, numeric: [1, 2])
        b.element("h3", "Top customers by lifetime value")
        b.table(header: ["#", "Customer", "Lifetime value", "Sales", "Days since last sale", "Group"],
                rows: r.top.map { [String($0.rank), $0.name, $0.lifetimeValue.description, CountText.grouped($0.totalOrders),
                                   CountText.grouped($0.daysSinceLastOrder), $0.rfmGroup] },
                numeric: [0, 2, 3, 4])
        b.element("h3", "At risk (no sale for the churn period), by lifetime value")
        if let sentence = r.noDropoutSentence { b.element("p", sentence, class: "note") }
        if r.atRisk.isEmpty {
            b.element("p", "No customer is at risk.", class: "ok")
        } else {
            // The model's chance that a customer still buys, only from a model that found customers who stop.
            let alive = r.modelFoundDropout
            b.table(header: ["#", "Customer", "Lifetime value", "Sales", "Days since last sale"] + (alive ? ["Chance still active"] : []) + ["Recommended action"],
                    rows: r.atRisk.prefix(atRiskShown).map {
                        [String($0.rank), $0.name, $0.lifetimeValue.description, CountText.grouped($0.totalOrders), CountText.grouped($0.daysSinceLastOrder)]
                            + (alive ? [$0.probabilityAlive.map { String(format: "%.0f%%", $0 * 100) } ?? "–"] : []) + [$0.action ?? ""]
                    }, numeric: alive ? [0, 2, 3, 4, 5] : [0, 2, 3, 4])
            if r.atRisk.count > atRiskShown {
                b.element("p", "\(CountText.grouped(r.atRisk.count - atRiskShown)) more in the workbook's At risk sheet.", class: "note")
            }
        }
        b.element("h3", "Acquisition cohorts: share of each first-sale month's customers who bought again, by month")
        let (header, rows) = cohortGrid(limit: 12)
        b.table(header: header, rows: rows, numeric: Set(1..<header.count))
        b.element("h3", "Loyalty and referral programs")
        b.table(header: ["Program", "Figure", "Value"], rows: r.programs.map { [PlainNames.program($0.program), PlainNames.programFigure($0.figure), show($0)] }, numeric: [2])
        b.element("p", (r.modelFoundDropout
            ? "Predictions are model estimates: the chance a customer is still active, expected sales in the next 30 and 90 days, and a 12-month CLV discounted monthly."
            : "Predictions are model estimates: expected sales in the next 30 and 90 days.") + " How the model fits, and how well it predicted the last 30 days, is under For analysts.", class: "note")
    }

    var cards: [(String, String)] {
        let r = report
        func count(_ p: String, _ f: String) -> String { r.figure(p, f)?.count.map { CountText.grouped($0) } ?? "–" }
        var out = [("Customers", count("customers", "customers")), ("With a sale", count("customers", "customers_with_sales")),
                   ("Repeat purchase rate", r.figure("customers", "repeat_purchase_rate")?.share.map { String(format: "%.1f%%", $0 * 100) } ?? "–")]
        if let churn = r.segments.first(where: { $0.key == CustomerSegment.churnRisk.rawValue }) {
            out.append(("Churn risk", CountText.grouped(churn.customers)))
        }
        if let e = r.expectedSales30 { out.append(("Expected sales, next 30 days", CountText.grouped(Int64(e.rounded())))) }
        if let c = r.clv12Months, r.modelFoundDropout { out.append(("12-month CLV, all customers", c.description)) }
        return out
    }

    func cohortGrid(limit: Int) -> ([String], [[String]]) {
        let rows = report.cohorts.suffix(limit)
        let width = min(rows.map { $0.buyers.count }.max() ?? 1, limit + 1)
        let header = ["First sale", "Customers"] + (1..<max(width, 1)).map { "+\($0) mo" }
        let body = rows.map { c in
            [String(c.month.iso.prefix(7)), CountText.grouped(c.size)] + (1..<max(width, 1)).map { k in c.share(k).map { String(format: "%.0f%%", $0 * 100) } ?? "" }
        }
        return (header, body)
    }

    private func show(_ f: ProgramFigure) -> String {
        if let c = f.count { return CountText.grouped(c) }
        if let a = f.amount { return a.description }
        if let s = f.share { return String(format: "%.1f%%", s * 100) }
        return "–"
    }

    // MARK: workbook

    public func addSheets(to wb: Workbook) throws {
        let r = report
        let header = wb.format(.header)
        let title = wb.format(.title)
        let note = wb.format(CellStyle(italic: true, fontColor: 0x5A6B62))
        let alive = r.modelFoundDropout
        let listHeader = ["Rank", "Customer", "User id", "Lifetime value (RWF)", "Sales", "Days since last sale", "Group"]
            + (alive ? ["Chance still active"] : []) + ["Recommended action"]
        func list(_ rows: [CustomerReport.ListRow]) -> [[CellValue]] {
            rows.map { [.integer(Int64($0.rank)), .text($0.name), .integer($0.userId), .money(hundredths: $0.lifetimeValue.hundredths),
                         .integer(Int64($0.totalOrders)), .integer(Int64($0.daysSinceLastOrder)), .text($0.rfmGroup)]
                         + (alive ? [$0.probabilityAlive.map { .percent($0) } ?? .empty] : []) + [.text($0.action ?? "")] }
        }
        /// One table per sheet: a title, then the header (frozen, filtered, repeated on every printed page).
        func sheet(_ name: String, _ heading: String, widths: [Double], _ columns: [String], _ rows: [[CellValue]]) throws -> Sheet {
            let s = try wb.addSheet(name)
            for (c, w) in widths.enumerated() { try s.setColumn(c, c, width: w) }
            try s.write(0, 0, .text(heading), title)
            try s.writeHeader(2, columns, format: header)
            for (i, cells) in rows.enumerated() { try s.writeRow(3 + i, cells) }
            try s.freezePanes(row: 3, col: 0)
            if !rows.isEmpty { try s.autofilter(firstRow: 2, firstCol: 0, lastRow: 2 + rows.count, lastCol: columns.count - 1) }
            try s.printSetup(headerRows: 2...2)
            return s
        }

        let figures = try sheet("Customers", "Customers as of \(r.asOf.words)", widths: [22, 48, 18], ["Program", "Figure", "Value"], r.programs.map { f in
            [.text(PlainNames.program(f.program)), .text(PlainNames.programFigure(f.figure)),
             f.count.map { .integer($0) } ?? f.amount.map { .money(hundredths: $0.hundredths) } ?? f.share.map { .percent($0) } ?? .empty]
        })
        try figures.write(1, 0, .text("Lifetime value is the customer's historical spend on sales. The Glossary sheet explains every figure."), note)
        _ = try sheet("Segments", "Customer segments as of \(r.asOf.words) (a customer can be in several)", widths: [22, 14, 20], ["Segment", "Customers", "Lifetime value (RWF)"],
                      r.segments.map { [.text($0.label), .integer(Int64($0.customers)), .money(hundredths: $0.lifetimeValue.hundredths)] })
        _ = try sheet("Best customers", "Top customers by lifetime value, as of \(r.asOf.words)", widths: [7, 28, 10, 16, 9, 12, 18, 10, 44],
                      listHeader, list(r.top))

        // The at-risk list on a sheet of its own, to sort and filter: the longer the silence and the higher the
        // lifetime value, the stronger the colour.
        let risk = try sheet("At risk", "At risk as of \(r.asOf.words): no sale for the churn period, by lifetime value", widths: [7, 28, 10, 16, 9, 12, 18, 10, 44],
                             listHeader, list(r.atRisk))
        try risk.freezePanes(row: 3, col: 2)
        if let sentence = r.noDropoutSentence { try risk.write(1, 0, .text(sentence), note) }
        if !r.atRisk.isEmpty {
            let last = 2 + r.atRisk.count
            try risk.conditionalFormat(.dataBar(color: 0x198754), firstRow: 3, firstCol: 3, lastRow: last, lastCol: 3)
            try risk.conditionalFormat(.threeColorScale(low: 0xFFF3CD, mid: 0xF8B26A, high: 0xB02A37), firstRow: 3, firstCol: 5, lastRow: last, lastCol: 5)
        }

        let rfm = try sheet("RFM", "Customer groups by recency, frequency and spend (RFM), as of \(r.asOf.words)", widths: [20, 14, 20], ["Group", "Customers", "Lifetime value (RWF)"],
                            r.rfmGroups.map { [.text($0.label), .integer(Int64($0.customers)), .money(hundredths: $0.lifetimeValue.hundredths)] })
        if !r.rfmGroups.isEmpty {
            try rfm.addChart(ChartSpec(kind: .bar, title: "Customers per group",
                                       series: [ChartSeries(name: "Customers", sheet: rfm, categories: ColumnRange(col: 0, firstRow: 3, lastRow: 2 + r.rfmGroups.count),
                                                            values: ColumnRange(col: 1, firstRow: 3, lastRow: 2 + r.rfmGroups.count))],
                                       valueNumberFormat: "#,##0", legend: .none), at: r.rfmGroups.count + 4, 0)
        }

        let width = max(r.cohorts.map { $0.buyers.count }.max() ?? 1, 1)
        let cohorts = try sheet("Cohorts", "Share of each first-sale month's customers who bought again, by month", widths: [16, 11] + Array(repeating: 8, count: width - 1),
                                ["First-sale month", "Customers"] + (1..<width).map { "+\($0) mo" },
                                r.cohorts.map { c in [.date(epochDay: c.month.epochDay), .integer(Int64(c.size))] + (1..<width).map { k in c.share(k).map { .percent($0) } ?? .empty } })
        try cohorts.freezePanes(row: 3, col: 2)
    }

    // MARK: analysts and glossary

    public var analystTables: [AnalystTable] {
        let r = report
        return [
            AnalystTable(title: "Customer segment rules (as of \(r.asOf.iso))", note: "Stored in analytics.customer_segments; thresholds are settings (README, \"Customer segments\").",
                         header: ["Segment", "Code", "Rule"], rows: r.segments.map { [.text($0.label), .text($0.key), .text($0.rule)] }),
            AnalystTable(title: "RFM group rules", note: "R, F, M: quintile scores 1 to 5 among customers with a sale; FM = (F + M) / 2 rounded up; the first rule that matches (README, \"RFM\").",
                         header: ["Group", "Code", "Rule"], rows: r.rfmGroups.map { [.text($0.label), .text($0.key), .text($0.rule)] }),
            AnalystTable(title: "Purchase model (BG/NBD) and spend model (Gamma-Gamma)", note: "Rows of analytics.churn_model_fit for the as-of day's run.",
                         header: ["Model", "Parameters", "Log-likelihood", "Customers used", "Converged", "Note"],
                         rows: r.fits.map { f in
                             [.text(CustomersSection.modelName(f.model)),
                              .text(f.parameters.map { "\($0.0) = \(String(format: "%.4g", $0.1))" }.joined(separator: ", ")),
                              f.logLikelihood.map { .decimal(String(format: "%.1f", $0)) } ?? .empty, .integer(Int64(f.customersUsed)),
                              .text(f.converged ? "yes" : "no"), .text(f.note ?? "")]
                         }),
        ] + checkTables + [
            AnalystTable(title: "Program figures as stored", note: "analytics.program_summary (program, figure).",
                         header: ["Program", "Figure", "Shown as"], rows: r.programs.map { [.text($0.program), .text($0.figure), .text(PlainNames.programFigure($0.figure))] }),
        ]
    }

    static func modelName(_ model: String) -> String {
        switch model {
        case "bg_nbd": "BG/NBD (days)"
        case "bg_nbd_check": "BG/NBD check fit (days)"
        default: "Gamma-Gamma (RWF)"
        }
    }

    /// The model check (analytics.model_check): predicted against actual purchase days, and who the at-risk rules found.
    var checkTables: [AnalystTable] {
        let r = report
        guard let fittedTo = r.checkFittedTo else { return [] }
        let quiet = r.checkAtRisk.first?.actual ?? 0
        func share(_ n: Int, _ d: Int) -> CSVCell { d > 0 ? .percent(Double(n) / Double(d)) : .empty }
        return [
            AnalystTable(title: "Model check: the purchase model fitted on the sales up to \(fittedTo.iso), against the \(ModelCheck.horizonDays) days after",
                         note: "Customers who had bought by \(fittedTo.iso), grouped by the days they had bought on; a purchase day is a shop day with at least one sale. Difference = (predicted − actual) / actual.",
                         header: ["Customers", "How many", "Predicted purchase days", "Actual purchase days", "Difference"],
                         rows: r.checkPurchases.map { row in
                             let p = row.predicted ?? 0
                             return [.text(row.label), .integer(Int64(row.customers)), .decimal(String(format: "%.1f", p)), .integer(Int64(row.actual)),
                                     row.actual > 0 ? .percent((p - Double(row.actual)) / Double(row.actual)) : .empty]
                         }),
            AnalystTable(title: "Model check: who the at-risk rules flagged on \(fittedTo.iso)",
                         note: "Of the customers each rule flagged, how many bought nothing in the \(ModelCheck.horizonDays) days after, and what share of all customers who bought nothing each rule found.",
                         header: ["Flagged by", "Customers", "Bought nothing after", "Share of flagged", "Share of all who bought nothing"],
                         rows: r.checkAtRisk.map { row in
                             [.text(row.label), .integer(Int64(row.customers)), .integer(Int64(row.actual)), share(row.actual, row.customers), share(row.actual, quiet)]
                         }),
        ]
    }

    public var glossary: [GlossaryEntry] {
        [
            GlossaryEntry("Customers", "People with a customer account (staff excluded) who had joined by the as-of day, with or without a sale."),
            GlossaryEntry("Lifetime value", "Everything a customer has spent on sales up to the as-of day."),
            GlossaryEntry("Repeat purchase rate", "Customers with two or more sales, as a share of customers with at least one."),
            GlossaryEntry("Segments", "VIP: has a VIP tier. Subscribed: has an active meal subscription. High value: lifetime value above the shop's threshold. Churn risk: bought before but not for the churn period (60 days unless set otherwise). Inactive: bought before but not for 30 days. New: first sale within the last 30 days."),
            GlossaryEntry("RFM groups", "Customers with a sale ranked on how recently, how often and how much they bought, and named by those ranks: Champions bought recently, often and much; At risk used to buy often but not lately; Dormant bought little, long ago; Prospects have not bought yet."),
            GlossaryEntry("At risk list", "Churn-risk customers with the highest lifetime value first, each with one suggested action."),
            GlossaryEntry("Chance still active", "The purchase model's estimate of the chance that the customer still buys from the shop (shown only when the model found customers who stop buying)."),
            GlossaryEntry("Expected sales, next 30 days", "The purchase model's estimate of how many sales all customers together will make in the next 30 days."),
            GlossaryEntry("12-month CLV", "The models' estimate of what customers will spend in the next 12 months, discounted monthly (shown only when the purchase model found customers who stop buying; one customer's average order is capped so a single huge order cannot inflate it)."),
            GlossaryEntry("Cohorts", "Customers grouped by the month of their first sale; each later month shows the share of them who bought again that month."),
            GlossaryEntry("Loyalty points", "Points customers earned and redeemed (orders and subscriptions together), and the sales that used points."),
            GlossaryEntry("Referral program", "Referrals customers made, how many completed, the bonuses paid, and what referred customers bought."),
        ]
    }

    // MARK: CSV

    public var csvTables: [(name: String, table: CSVTable)] {
        let r = report
        func list(_ rows: [CustomerReport.ListRow]) -> CSVTable {
            CSVTable(header: ["Rank", "User id", "Customer", "Lifetime value (RWF)", "Sales", "Days since last sale", "Group", "Chance still active", "Recommended action"],
                     rows: rows.map { [.integer(Int64($0.rank)), .integer($0.userId), .text($0.name), .money($0.lifetimeValue),
                                       .integer(Int64($0.totalOrders)), .integer(Int64($0.daysSinceLastOrder)), .text($0.rfmGroup),
                                       r.modelFoundDropout ? $0.probabilityAlive.map { .decimal(String(format: "%.4f", $0)) } ?? .empty : .empty,
                                       .text($0.action ?? "")] })
        }
        let width = r.cohorts.map { $0.buyers.count }.max() ?? 1
        return [
            ("customer-segments", CSVTable(header: ["Segment", "Customers", "Lifetime value (RWF)"],
                                           rows: r.segments.map { [.text($0.label), .integer(Int64($0.customers)), .money($0.lifetimeValue)] })),
            ("customer-rfm", CSVTable(header: ["Group", "Customers", "Lifetime value (RWF)"],
                                      rows: r.rfmGroups.map { [.text($0.label), .integer(Int64($0.customers)), .money($0.lifetimeValue)] })),
            ("customer-top", list(r.top)),
            ("customer-at-risk", list(r.atRisk)),
            ("customer-cohorts", CSVTable(header: ["First-sale month", "Customers"] + (1..<max(width, 1)).map { "Buyers, month +\($0)" },
                                          rows: r.cohorts.map { c in [.day(c.month), .integer(Int64(c.size))] + (1..<max(width, 1)).map { k in
                                              k < c.buyers.count ? .integer(Int64(c.buyers[k])) : .text("") } })),
            ("customer-programs", CSVTable(header: ["Program", "Figure", "Count", "Amount (RWF)", "Share"],
                                           rows: r.programs.map { [.text(PlainNames.program($0.program)), .text(PlainNames.programFigure($0.figure)), $0.count.map { .integer($0) } ?? .empty,
                                                                    $0.amount.map { .money($0) } ?? .empty,
                                                                    $0.share.map { .decimal(String(format: "%.4f", $0)) } ?? .empty] })),
            ("customer-model-check", CSVTable(header: ["Fitted to", "Kind", "Line", "Customers", "Predicted purchase days", "Actual"],
                                              rows: (r.checkPurchases.map { ("purchases", $0) } + r.checkAtRisk.map { ("at risk", $0) }).map { kind, row in
                                                  [r.checkFittedTo.map { .day($0) } ?? .empty, .text(kind), .text(row.label), .integer(Int64(row.customers)),
                                                   row.predicted.map { .decimal(String(format: "%.2f", $0)) } ?? .empty, .integer(Int64(row.actual))] })),
            ("customer-model", CSVTable(header: ["Model", "Time unit", "Parameters", "Log-likelihood", "Customers used", "Converged", "Note"],
                                        rows: r.fits.map { f in [.text(f.model), .text(f.timeUnit),
                                                                 .text(f.parameters.map { "\($0.0)=\($0.1)" }.joined(separator: " ")),
                                                                 logLikelihoodCell(f.logLikelihood), .integer(Int64(f.customersUsed)),
                                                                 .text(f.converged ? "yes" : "no"), .text(f.note ?? "")] })),
        ]
    }
}

/// A log-likelihood for CSV as a bare number (never neutralised like text); empty when there is none.
private func logLikelihoodCell(_ v: Double?) -> CSVCell {
    guard let v, v.isFinite else { return .empty }
    return .decimal(String(format: "%.4f", v))
}
