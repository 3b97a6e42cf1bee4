import Analytics
import Foundation
import Shop

/// A report as one self-contained HTML page: inline CSS and inline SVG charts, no scripts, no external assets,
/// readable on a phone and in mail clients. Every value goes through `HTMLBuilder`, which escapes it.
public struct ReportHTML {
    public let report: PeriodReport
    public let definition: ReportDefinition
    public let sections: [any ReportSection]
    public let audience: Audience

    public init(_ report: PeriodReport, definition: ReportDefinition, sections: [any ReportSection] = [], audience: Audience = .full) {
        self.report = report; self.definition = definition; self.sections = sections.map { $0.forAudience(audience) }; self.audience = audience
    }

    public var html: String { page.html }

    /// The page as the builder wrote it: the HTML and its content blocks (which the PDF lays out).
    public var page: HTMLBuilder {
        let r = report
        let t = ReportTables(r, audience: audience)
        var b = HTMLBuilder()
        b.raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        b.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        b.raw("<title>"); b.text("\(r.title): \(r.label)"); b.raw("</title>")
        b.raw("<style>\(HTML.style)</style></head><body>")
        b.raw("<header><h1>"); b.text(r.title); b.raw("</h1><p>")
        b.text("\(r.label). Shop days in \(r.timeZone); amounts in Rwandan francs (RWF).")
        if r.current.daysComputed < r.range.count {
            b.text(" Only \(r.current.daysComputed) of the period's \(CountText.of(r.range.count, "day")) are computed so far.")
        }
        b.raw("</p></header><main>")

        for key in definition.sections {
            switch key {
            case "dashboard": dashboard(&b, t)
            case "targets": targets(&b, t)
            case "channels": channels(&b, t)
            case "payments": payments(&b, t)
            case "discounts": discounts(&b)
            case "top_customers": topCustomers(&b)
            case "quality": quality(&b, t)
            default:
                for s in sections where s.key == key {
                    b.element("h2", s.title)
                    s.html(into: &b)
                }
            }
        }
        if definition.forAnalysts { analysts(&b, t) }
        b.raw("<footer>")
        b.text("A sale is a delivered order that was not refunded, counted on the shop day it was created (\(r.timeZone)). "
               + "Changes compare with \(r.comparisons.map(\.phrase).joined(separator: " and with ")). Definitions: README of dusangire-analytics.")
        b.raw("</footer></main></body></html>\n")
        return b
    }

    private func dashboard(_ b: inout HTMLBuilder, _ t: ReportTables) {
        b.element("h2", r("At a glance"))
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
        b.chart(BarChart(title: "Revenue per day (RWF)", bars: days.map { (shortDate($0.day), $0.totalRevenue.wholeFrancs) }))
        let comparisons = report.comparisons
        b.table(header: t.summaryHeader,
                rows: t.kpis.map { k in
                    [k.kpi.label, ReportTables.show(k.kpi, k.current)]
                        + comparisons.indices.map { i in k.compared[i].map { ReportTables.show(k.kpi, $0) } ?? comparisons[i].missingData ?? "–" }
                        + comparisons.indices.map { pct(k.change($0), signed: true) }
                },
                numeric: Set(1..<(2 + 2 * comparisons.count)))
    }

    private func r(_ s: String) -> String { report.period == .day ? "The day at a glance" : s }

    private func targets(_ b: inout HTMLBuilder, _ t: ReportTables) {
        guard !t.targets.isEmpty else { return }
        b.element("h2", "Targets")
        b.record(.progress(t.targets.map {
            ReportBlock.Progress(label: $0.kpi.label, goal: ReportTables.show($0.kpi, $0.goal), actual: ReportTables.show($0.kpi, $0.actual),
                                 fraction: $0.progress)
        }))
        b.raw("<div class=\"scroll\"><table><thead><tr><th>Target</th><th class=\"num\">Goal</th><th class=\"num\">Actual</th><th>Progress</th></tr></thead><tbody>")
        for row in t.targets {
            let p = row.progress ?? 0
            let width = Int((min(p, 1) * 100).rounded())
            let color = p >= 1 ? "#198754" : (p >= 0.8 ? "#e0a800" : "#b02a37")
            b.raw("<tr><td>"); b.text(row.kpi.label); b.raw("</td><td class=\"num\">"); b.text(ReportTables.show(row.kpi, row.goal))
            b.raw("</td><td class=\"num\">"); b.text(ReportTables.show(row.kpi, row.actual)); b.raw("</td><td>")
            b.raw("<div class=\"bar\">")
            b.raw("<div style=\"background:\(color);height:10px;border-radius:4px;width:\(width)%\"></div></div> ")
            b.text(pct(row.progress, signed: false))
            b.raw("</td></tr>")
        }
        b.raw("</tbody></table></div>")
    }

    private func channels(_ b: inout HTMLBuilder, _ t: ReportTables) {
        b.element("h2", "Revenue by channel")
        let main = report.mainComparison
        b.table(header: ["Channel", "Revenue", "Transactions", "Share", main.heading, "Change"],
                rows: t.channels.map { [$0.channel.label, $0.amount.description, CountText.grouped($0.transactions), pct($0.share, signed: false),
                                        $0.compared?.description ?? main.missingData ?? "–", pct($0.change, signed: true)] },
                numeric: [1, 2, 3, 4, 5])
        b.element("p", "The order channels (all but catering and VIP upgrades) add up to the period's revenue; catering is booked separately, and VIP tiers are earned, not sold.", class: "note")
    }

    private func payments(_ b: inout HTMLBuilder, _ t: ReportTables) {
        b.element("h2", "Payment methods")
        b.table(header: ["Method", "Sales", "Amount", "Share"],
                rows: report.payments.map { [$0.method.label, CountText.grouped($0.orders), $0.amount.description, pct(t.paymentShare($0), signed: false)] },
                numeric: [1, 2, 3])
    }

    private func discounts(_ b: inout HTMLBuilder) {
        b.element("h2", "Discounts")
        b.table(header: ["Discount", "Sales with it", "Amount"],
                rows: report.discountFigures.map { [$0.kind.label, CountText.grouped($0.orders), $0.amount.description] }, numeric: [1, 2])
    }

    private func topCustomers(_ b: inout HTMLBuilder) {
        guard report.period == .day else { return }
        b.element("h2", "Top customers of the day")
        if report.topCustomers.isEmpty {
            b.element("p", "No sales this day.", class: "note")
        } else {
            b.table(header: ["#", "Customer", "Sales", "Revenue"],
                    rows: report.topCustomers.map { [String($0.rank), audience.name($0.name), CountText.grouped($0.sales), $0.revenue.description] },
                    numeric: [0, 2, 3])
        }
    }

    private func quality(_ b: inout HTMLBuilder, _ t: ReportTables) {
        b.element("h2", "Data quality")
        if report.rejected.isEmpty {
            b.element("p", t.setAsideSentence, class: "ok")
        } else {
            b.element("p", t.setAsideSentence, class: "warn")
            b.table(header: ["Records", "Problem", "Set aside"], rows: t.setAside.map { [$0.records, $0.problem, CountText.grouped($0.rows)] }, numeric: [2])
        }
    }

    /// The "For analysts" section: the only part of the page that names tables, codes, rules and model parameters.
    private func analysts(_ b: inout HTMLBuilder, _ t: ReportTables) {
        b.raw("<section id=\"for-analysts\">")
        b.element("h2", "For analysts")
        b.element("p", "Technical detail behind the figures above: stored names and codes, rules and model parameters. Definitions: README of dusangire-analytics.", class: "note")
        for table in t.analystTables + sections.flatMap(\.analystTables) {
            b.element("h3", table.title)
            if let note = table.note { b.element("p", note, class: "note") }
            if !table.rows.isEmpty {
                let numeric = Set(table.rows[0].indices.filter { i in table.rows.allSatisfy { i < $0.count && $0[i].isNumber } })
                b.table(header: table.header, rows: table.rows.map { $0.map(\.plain) }, numeric: numeric)
            }
        }
        b.raw("</section>")
    }

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

    private func pct(_ d: Double?, signed: Bool) -> String {
        guard let d else { return "–" }
        return String(format: signed ? "%+.1f%%" : "%.1f%%", d * 100)
    }

    private func shortDate(_ d: ShopDay) -> String { String(format: "%02d/%02d", d.components.day, d.components.month) }
}
