import Analytics
import Foundation
import Shop

/// The report's Customers section: segments, RFM groups, top customers, the at-risk list with actions, cohorts,
/// the loyalty and referral programs, and the purchase model's fit (README, "Customer analytics"). Sheets
/// "Customers", "RFM" and "Cohorts"; CSV tables `customer-*`.
public struct CustomersSection: ReportSection {
    public var report: CustomerReport
    /// How many rows of the at-risk list the HTML page shows (the sheet and CSV have them all).
    public var atRiskShown = 20

    public init(_ report: CustomerReport) { self.report = report }

    public var title: String { "Customers" }

    /// The top and at-risk lists name customers: readers who may not see customer data get initials.
    public func forAudience(_ audience: Audience) -> any ReportSection {
        var copy = self
        for i in copy.report.top.indices { copy.report.top[i].name = audience.name(copy.report.top[i].name) }
        for i in copy.report.atRisk.indices { copy.report.atRisk[i].name = audience.name(copy.report.atRisk[i].name) }
        return copy
    }

    public func html(into b: inout HTMLBuilder) {
        let r = report
        b.element("p", "As of \(r.asOf.iso) (end of that shop day). Lifetime value is the customer's historical spend on sales.", class: "note")
        b.raw("<div class=\"cards\">")
        for (label, value) in cards { b.raw("<div class=\"card\"><div class=\"label\">"); b.text(label); b.raw("</div><div class=\"value\">"); b.text(value); b.raw("</div></div>") }
        b.raw("</div>")

        b.element("h3", "Segments")
        b.table(header: ["Segment", "Customers", "Lifetime value", "Rule"],
                rows: r.segments.map { [$0.label, String($0.customers), $0.lifetimeValue.description, $0.rule] }, numeric: [1, 2])
        b.element("h3", "RFM groups")
        b.table(header: ["Group", "Customers", "Lifetime value", "Rule"],
                rows: r.rfmGroups.map { [$0.label, String($0.customers), $0.lifetimeValue.description, $0.rule] }, numeric: [1, 2])
        b.element("h3", "Top customers by lifetime value")
        b.table(header: ["#", "Customer", "Lifetime value", "Sales", "Days since last sale", "RFM group"],
                rows: r.top.map { [String($0.rank), $0.name, $0.lifetimeValue.description, String($0.totalOrders), String($0.daysSinceLastOrder), $0.rfmGroup] },
                numeric: [0, 2, 3, 4])
        b.element("h3", "At risk (no sale for the churn period), by lifetime value")
        if r.atRisk.isEmpty {
            b.element("p", "No customer is at risk.", class: "ok")
        } else {
            b.table(header: ["#", "Customer", "Lifetime value", "Sales", "Days since last sale", "P(alive)", "Recommended action"],
                    rows: r.atRisk.prefix(atRiskShown).map {
                        [String($0.rank), $0.name, $0.lifetimeValue.description, String($0.totalOrders), String($0.daysSinceLastOrder),
                         $0.probabilityAlive.map { String(format: "%.0f%%", $0 * 100) } ?? "–", $0.action ?? ""]
                    }, numeric: [0, 2, 3, 4, 5])
            if r.atRisk.count > atRiskShown {
                b.element("p", "\(r.atRisk.count - atRiskShown) more in the workbook's Customers sheet.", class: "note")
            }
        }
        b.element("h3", "Acquisition cohorts: share of each first-sale month's customers who bought again, by month")
        let (header, rows) = cohortGrid(limit: 12)
        b.table(header: header, rows: rows, numeric: Set(1..<header.count))
        b.element("h3", "Loyalty and referral programs")
        b.table(header: ["Program", "Figure", "Value"], rows: r.programs.map { [$0.program, label($0.figure), show($0)] }, numeric: [2])
        b.element("h3", "Purchase model (BG/NBD) and spend model (Gamma-Gamma)")
        b.table(header: ["Model", "Parameters", "Log-likelihood", "Customers used", "Converged", "Note"],
                rows: r.fits.map { f in
                    [f.model == "bg_nbd" ? "BG/NBD (days)" : "Gamma-Gamma (RWF)",
                     f.parameters.map { "\($0.0) = \(String(format: "%.4g", $0.1))" }.joined(separator: ", "),
                     f.logLikelihood.map { String(format: "%.1f", $0) } ?? "–", String(f.customersUsed), f.converged ? "yes" : "no", f.note ?? ""]
                }, numeric: [2, 3])
        b.element("p", "Predictions are model estimates: P(alive), expected sales in the next 30 and 90 days, and a 12-month CLV discounted monthly.", class: "note")
    }

    var cards: [(String, String)] {
        let r = report
        func count(_ p: String, _ f: String) -> String { r.figure(p, f)?.count.map { Money(francs: $0).groupedFrancs } ?? "–" }
        var out = [("Customers", count("customers", "customers")), ("With a sale", count("customers", "customers_with_sales")),
                   ("Repeat purchase rate", r.figure("customers", "repeat_purchase_rate")?.share.map { String(format: "%.1f%%", $0 * 100) } ?? "–")]
        if let churn = r.segments.first(where: { $0.key == CustomerSegment.churnRisk.rawValue }) {
            out.append(("Churn risk", Money(francs: Int64(churn.customers)).groupedFrancs))
        }
        if let e = r.expectedSales30 { out.append(("Expected sales, next 30 days", Money(francs: Int64(e.rounded())).groupedFrancs)) }
        if let c = r.clv12Months { out.append(("12-month CLV, all customers", c.description)) }
        return out
    }

    func cohortGrid(limit: Int) -> ([String], [[String]]) {
        let rows = report.cohorts.suffix(limit)
        let width = min(rows.map { $0.buyers.count }.max() ?? 1, limit + 1)
        let header = ["First sale", "Customers"] + (1..<max(width, 1)).map { "+\($0) mo" }
        let body = rows.map { c in
            [String(c.month.iso.prefix(7)), String(c.size)] + (1..<max(width, 1)).map { k in c.share(k).map { String(format: "%.0f%%", $0 * 100) } ?? "" }
        }
        return (header, body)
    }

    private func label(_ figure: String) -> String { figure.replacingOccurrences(of: "_", with: " ").capitalizedFirst }

    private func show(_ f: ProgramFigure) -> String {
        if let c = f.count { return Money(francs: c).groupedFrancs }
        if let a = f.amount { return a.description }
        if let s = f.share { return String(format: "%.1f%%", s * 100) }
        return "–"
    }

    // MARK: workbook

    public func addSheets(to wb: Workbook) throws {
        let r = report
        let header = wb.format(.header)
        let title = wb.format(.title)

        let sheet = try wb.addSheet("Customers")
        try sheet.write(0, 0, .text("Customers as of \(r.asOf.iso)"), title)
        var row = 2
        func block(_ heading: String, _ columns: [String], _ rows: [[CellValue]]) throws {
            try sheet.write(row, 0, .text(heading), title)
            row += 1
            try sheet.writeRow(row, columns.map { .text($0) }, format: header)
            row += 1
            for cells in rows { try sheet.writeRow(row, cells); row += 1 }
            row += 1
        }
        try block("Figures", ["Program", "Figure", "Value"], r.programs.map { f in
            [.text(f.program), .text(f.figure),
             f.count.map { .integer($0) } ?? f.amount.map { .money(hundredths: $0.hundredths) } ?? f.share.map { .percent($0) } ?? .empty]
        })
        try block("Segments", ["Segment", "Customers", "Lifetime value (RWF)", "Rule"],
                  r.segments.map { [.text($0.label), .integer(Int64($0.customers)), .money(hundredths: $0.lifetimeValue.hundredths), .text($0.rule)] })
        try block("Top customers by lifetime value", ["Rank", "Customer", "User id", "Lifetime value (RWF)", "Sales", "Days since last sale", "RFM group"],
                  r.top.map { [.integer(Int64($0.rank)), .text($0.name), .integer($0.userId), .money(hundredths: $0.lifetimeValue.hundredths),
                               .integer(Int64($0.totalOrders)), .integer(Int64($0.daysSinceLastOrder)), .text($0.rfmGroup)] })
        try block("At risk", ["Rank", "Customer", "User id", "Lifetime value (RWF)", "Sales", "Days since last sale", "P(alive)", "Recommended action"],
                  r.atRisk.map { [.integer(Int64($0.rank)), .text($0.name), .integer($0.userId), .money(hundredths: $0.lifetimeValue.hundredths),
                                  .integer(Int64($0.totalOrders)), .integer(Int64($0.daysSinceLastOrder)),
                                  $0.probabilityAlive.map { .percent($0) } ?? .empty, .text($0.action ?? "")] })
        try block("Model fit", ["Model", "Parameters", "Log-likelihood", "Customers used", "Converged", "Note"],
                  r.fits.map { f in
                      [.text(f.model), .text(f.parameters.map { "\($0.0)=\(String(format: "%.6g", $0.1))" }.joined(separator: " ")),
                       f.logLikelihood.map { .number($0) } ?? .empty, .integer(Int64(f.customersUsed)), .text(f.converged ? "yes" : "no"),
                       .text(f.note ?? "")]
                  })
        try sheet.setColumn(0, 0, width: 26); try sheet.setColumn(1, 1, width: 30); try sheet.setColumn(2, 7, width: 18)

        // The at-risk list on a sheet of its own, to sort and filter: the longer the silence and the higher the
        // lifetime value, the stronger the colour.
        let risk = try wb.addSheet("At risk")
        try risk.writeRow(0, ["Rank", "Customer", "User id", "Lifetime value (RWF)", "Sales", "Days since last sale", "P(alive)", "Recommended action"]
            .map { .text($0) }, format: header)
        for (i, c) in r.atRisk.enumerated() {
            try risk.writeRow(1 + i, [.integer(Int64(c.rank)), .text(c.name), .integer(c.userId), .money(hundredths: c.lifetimeValue.hundredths),
                                      .integer(Int64(c.totalOrders)), .integer(Int64(c.daysSinceLastOrder)),
                                      c.probabilityAlive.map { .percent($0) } ?? .empty, .text(c.action ?? "")])
        }
        try risk.freezePanes(row: 1, col: 2)
        try risk.setColumn(0, 0, width: 7); try risk.setColumn(1, 1, width: 28); try risk.setColumn(2, 6, width: 14)
        try risk.setColumn(7, 7, width: 44)
        if !r.atRisk.isEmpty {
            let last = r.atRisk.count
            try risk.autofilter(firstRow: 0, firstCol: 0, lastRow: last, lastCol: 7)
            try risk.conditionalFormat(.dataBar(color: 0x198754), firstRow: 1, firstCol: 3, lastRow: last, lastCol: 3)
            try risk.conditionalFormat(.threeColorScale(low: 0xFFF3CD, mid: 0xF8B26A, high: 0xB02A37), firstRow: 1, firstCol: 5, lastRow: last, lastCol: 5)
        }

        let rfm = try wb.addSheet("RFM")
        try rfm.writeRow(0, ["Group", "Customers", "Lifetime value (RWF)", "Rule"].map { .text($0) }, format: header)
        for (i, g) in r.rfmGroups.enumerated() {
            try rfm.writeRow(1 + i, [.text(g.label), .integer(Int64(g.customers)), .money(hundredths: g.lifetimeValue.hundredths), .text(g.rule)])
        }
        try rfm.freezePanes(row: 1, col: 1)
        try rfm.setColumn(0, 0, width: 20); try rfm.setColumn(1, 2, width: 18); try rfm.setColumn(3, 3, width: 44)
        if !r.rfmGroups.isEmpty {
            try rfm.addChart(ChartSpec(kind: .bar, title: "Customers per RFM group",
                                       series: [ChartSeries(name: "Customers", sheet: rfm, categories: ColumnRange(col: 0, firstRow: 1, lastRow: r.rfmGroups.count),
                                                            values: ColumnRange(col: 1, firstRow: 1, lastRow: r.rfmGroups.count))],
                                       legend: .none), at: r.rfmGroups.count + 2, 0)
        }

        let cohorts = try wb.addSheet("Cohorts")
        let width = r.cohorts.map { $0.buyers.count }.max() ?? 1
        try cohorts.writeRow(0, [.text("First-sale month"), .text("Customers")] + (1..<max(width, 1)).map { .text("+\($0) mo") }, format: header)
        for (i, c) in r.cohorts.enumerated() {
            try cohorts.writeRow(1 + i, [.date(epochDay: c.month.epochDay), .integer(Int64(c.size))]
                                 + (1..<max(width, 1)).map { k in c.share(k).map { .percent($0) } ?? .empty })
        }
        try cohorts.freezePanes(row: 1, col: 2)
        try cohorts.setColumn(0, 0, width: 16); try cohorts.setColumn(1, max(width, 1), width: 10)
    }

    // MARK: CSV

    public var csvTables: [(name: String, table: CSVTable)] {
        let r = report
        func list(_ rows: [CustomerReport.ListRow]) -> CSVTable {
            CSVTable(header: ["rank", "user_id", "customer", "lifetime_value", "sales", "days_since_last_sale", "rfm_group", "probability_alive", "action"],
                     rows: rows.map { [.integer(Int64($0.rank)), .integer($0.userId), .text($0.name), .money($0.lifetimeValue),
                                       .integer(Int64($0.totalOrders)), .integer(Int64($0.daysSinceLastOrder)), .text($0.rfmGroup),
                                       $0.probabilityAlive.map { .decimal(String(format: "%.4f", $0)) } ?? .empty, .text($0.action ?? "")] })
        }
        let width = r.cohorts.map { $0.buyers.count }.max() ?? 1
        return [
            ("customer-segments", CSVTable(header: ["segment", "customers", "lifetime_value", "rule"],
                                           rows: r.segments.map { [.text($0.key), .integer(Int64($0.customers)), .money($0.lifetimeValue), .text($0.rule)] })),
            ("customer-rfm", CSVTable(header: ["rfm_group", "customers", "lifetime_value", "rule"],
                                      rows: r.rfmGroups.map { [.text($0.key), .integer(Int64($0.customers)), .money($0.lifetimeValue), .text($0.rule)] })),
            ("customer-top", list(r.top)),
            ("customer-at-risk", list(r.atRisk)),
            ("customer-cohorts", CSVTable(header: ["cohort_month", "customers"] + (1..<max(width, 1)).map { "buyers_month_\($0)" },
                                          rows: r.cohorts.map { c in [.day(c.month), .integer(Int64(c.size))] + (1..<max(width, 1)).map { k in
                                              k < c.buyers.count ? .integer(Int64(c.buyers[k])) : .text("") } })),
            ("customer-programs", CSVTable(header: ["program", "figure", "count", "amount", "share"],
                                           rows: r.programs.map { [.text($0.program), .text($0.figure), $0.count.map { .integer($0) } ?? .empty,
                                                                    $0.amount.map { .money($0) } ?? .empty,
                                                                    $0.share.map { .decimal(String(format: "%.4f", $0)) } ?? .empty] })),
            ("customer-model", CSVTable(header: ["model", "time_unit", "parameters", "log_likelihood", "customers_used", "converged", "note"],
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

private extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
