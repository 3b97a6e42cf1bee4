import Analytics
import Drawing
import Foundation
import Shop

/// The e-mail body of a report: a summary a manager reads on a phone in ten seconds, not the whole report (which is
/// attached as PDF and XLSX). The period at a glance, three to five highlights in plain sentences, the targets and two
/// charts as PNG pictures that the message carries as inline parts (`cid:`): Gmail, Outlook and Yahoo show no inline
/// SVG. The HTML is a table layout with inline styles (what Gmail and Outlook keep), at most 600 px wide and one
/// column, so a 390 px phone never scrolls sideways.
public struct ReportEmail {
    public let report: PeriodReport
    public let definition: ReportDefinition
    public let audience: Audience

    /// The report's sections (for a report without a dashboard, whose e-mail says their `summaryLines`).
    public let sections: [any ReportSection]

    public init(_ report: PeriodReport, definition: ReportDefinition, audience: Audience, sections: [any ReportSection] = []) {
        self.report = report; self.definition = definition; self.audience = audience
        self.sections = sections.map { $0.forAudience(audience) }
    }

    /// Without a dashboard (the kitchen plan, one campaign) the e-mail is its sections' own sentences, no sales summary.
    var sectionsOnly: [String]? {
        definition.shows("dashboard") ? nil : sections.filter { definition.shows($0.key) }.flatMap(\.summaryLines)
    }

    /// A picture the HTML shows as `<img src="cid:contentID">`.
    public struct Picture: Sendable {
        public var contentID: String
        public var filename: String
        public var png: [UInt8]
    }

    public struct Rendered: Sendable {
        public var html: String
        public var text: String
        public var pictures: [Picture]
    }

    /// The body as HTML and plain text, and the pictures the HTML refers to.
    public func rendered() throws -> Rendered {
        if let lines = sectionsOnly { return Rendered(html: plainHTML(lines), text: plainText(lines), pictures: []) }
        let charts = self.charts
        let pictures = try charts.map { name, chart in
            Picture(contentID: "\(name)-\(report.fileStem)@dusangire-analytics", filename: "\(name).png",
                    png: try chart.png(width: Self.chartWidth, height: Self.chartHeight))
        }
        return Rendered(html: html(pictures: zip(charts.map(\.chart), pictures).map { ($0, $1) }), text: text, pictures: pictures)
    }

    static let chartWidth = 360.0, chartHeight = 210.0

    // MARK: content

    private var tables: ReportTables { ReportTables(report, audience: audience) }

    /// The four figures at a glance.
    static let glance: [KPI] = [.revenue, .sales, .uniqueCustomers, .averageOrderValue]

    /// What the period is compared with, as a sentence ends: "last Tuesday", "the previous week" (the report's
    /// main comparison).
    public var comparison: String { report.mainComparison.phrase }

    /// RWF 1.15 M from a million francs on, else RWF 845,000.
    static func money(_ m: Money) -> String {
        let francs = m.wholeFrancs
        if abs(francs) >= 1_000_000 { return String(format: "RWF %.2f M", Double(francs) / 1_000_000) }
        return m.description
    }

    static func count(_ n: Int, _ one: String, _ many: String? = nil) -> String {
        "\(CountText.grouped(n)) \(n == 1 ? one : (many ?? one + "s"))"
    }

    /// `38% below` / `12% above` / `the same as`.
    static func change(_ c: Double) -> String {
        let p = Int((abs(c) * 100).rounded())
        if p == 0 { return "about the same as" }
        return "\(p)% \(c < 0 ? "below" : "above")"
    }

    /// Three to five plain sentences: revenue, sales and customers, the channel that moved most, targets, and what
    /// went wrong (cancellations, records left out).
    public var highlights: [String] {
        let r = report, t = tables, cmp = comparison
        var out: [String] = []
        let main = r.mainComparison
        let rev = r.current.revenue
        if let before = main.value(of: .revenue), let c = percentChange(from: before, to: rev.hundredths) {
            var s = "Revenue \(Self.money(rev)), \(Self.change(c)) \(cmp) (\(Self.money(Money(hundredths: before))))"
            if r.comparisons.count > 1, let second = r.comparisons[1].value(of: .revenue),
               let c2 = percentChange(from: second, to: rev.hundredths) {
                s += " and \(Self.change(c2)) \(r.comparisons[1].phrase)"
            }
            out.append(s + ".")
        } else if let missing = main.missingData {
            out.append("Revenue \(Self.money(rev)); \(missing) for \(cmp) to compare with.")
        } else {
            out.append("Revenue \(Self.money(rev)); there were no sales \(cmp) to compare with.")
        }
        var sales = "\(Self.count(r.current.sales, "sale")) to \(Self.count(r.current.uniqueCustomers, "customer"))"
        if r.current.sales > 0 {
            sales += "; the average sale was \(r.current.averageOrderValue)"
            if let before = main.value(of: .averageOrderValue), let c = percentChange(from: before, to: r.current.averageOrderValue.hundredths) {
                let p = Int((abs(c) * 100).rounded())
                sales += p == 0 ? ", as \(cmp)" : " (\(p)% \(c < 0 ? "lower" : "higher") than \(cmp))"
            }
        }
        out.append(sales + ".")
        let moves = t.channels.filter { $0.channel.isOrderChannel }
            .compactMap { c in c.compared.map { (c.channel.label, c.amount - $0) } }
            .filter { $0.1 != .zero }
        if let most = moves.max(by: { abs($0.1.hundredths) < abs($1.1.hundredths) }) {
            let fell = most.1.hundredths < 0
            out.append("\(most.0) \(fell ? "fell" : "rose") most: \(Money(hundredths: abs(most.1.hundredths))) \(fell ? "less" : "more") than \(cmp).")
        }
        let targets = t.targets
        if !targets.isEmpty {
            let reached = targets.filter { ($0.progress ?? 0) >= 1 }.count
            var s = "\(reached) of \(targets.count) targets reached"
            if let worst = targets.filter({ ($0.progress ?? 0) < 1 }).min(by: { ($0.progress ?? 0) < ($1.progress ?? 0) }) {
                s += "; furthest behind: \(worst.kpi.label.lowercased()), at \(worst.progressText(decimals: 0)) of its goal of \(ReportTables.show(worst.kpi, worst.goal))"
            }
            out.append(s + ".")
        }
        let rejected = r.rejected.reduce(0) { $0 + $1.count }
        if let before = main.value(of: .cancelledOrders), r.current.cancelledOrders > 0 && Int64(r.current.cancelledOrders) > before {
            out.append("\(Self.count(r.current.cancelledOrders, "order was", "orders were")) cancelled (\(CountText.grouped(before)) \(cmp)).")
        }
        if rejected > 0 {
            out.append("\(Self.count(rejected, "record")) from the shop could not be used and \(rejected == 1 ? "is" : "are") left out of these figures; the attached report says why.")
        }
        return Array(out.prefix(5))
    }

    /// The pictures: the revenue trend, and the period's revenue by order channel.
    var charts: [(name: String, chart: BarChart)] {
        let days = report.trend.suffix(report.period == .month ? 92 : 30)
        var out = [("revenue", BarChart(title: "Revenue per day, last \(days.count) days (RWF)",
                                        bars: days.map { (String(format: "%02d/%02d", $0.day.components.day, $0.day.components.month), $0.totalRevenue.wholeFrancs) }))]
        let channels = tables.channels.filter { $0.channel.isOrderChannel && $0.amount != .zero }
        if channels.count >= 2 {
            out.append(("channels", BarChart(title: "Revenue by channel, \(periodNoun) (RWF)",
                                             bars: channels.map { ($0.channel.label, $0.amount.wholeFrancs) }, highlightLast: false, horizontal: true)))
        }
        return out
    }

    /// ` (12 of 30 days so far)`, ` (no figures computed yet)`, or nothing for a complete period.
    private var computedNote: String {
        let done = report.current.daysComputed, all = report.range.count
        if done >= all { return "" }
        if done == 0 { return " (no figures computed yet)" }
        return " (\(done) of \(CountText.of(all, "day")) so far)"
    }

    private var periodNoun: String {
        switch report.period {
        case .day: "this day"
        case .week: "this week"
        case .month: "this month"
        case .quarter: "this quarter"
        case .range: "these days"
        }
    }

    private var attachedWords: String {
        var parts: [String] = []
        if definition.attach.contains("pdf") { parts.append("the full report to read or print (PDF)") }
        if definition.attach.contains("xlsx") { parts.append("every figure in a spreadsheet (XLSX)") }
        if definition.attach.contains("csv") { parts.append("each table as a CSV file") }
        switch parts.count {
        case 0: return "Every section of the report is in the report files."
        case 1: return "Attached: \(parts[0])."
        default: return "Attached: " + parts.dropLast().joined(separator: ", ") + " and " + parts.last! + "."
        }
    }

    // MARK: plain text

    public var text: String {
        let t = tables
        var lines = ["\(report.title): \(report.label)\(computedNote)", "Amounts in Rwandan francs (RWF).", ""]
        for k in t.kpis where Self.glance.contains(k.kpi) {
            let change = k.change(0).map { String(format: " (%+.1f%% vs %@)", $0 * 100, comparison) } ?? ""
            lines.append("\(k.kpi.label): \(ReportTables.show(k.kpi, k.current))\(change)")
        }
        lines.append("")
        lines.append("Highlights:")
        for h in highlights { lines.append("- " + h) }
        if !t.targets.isEmpty {
            lines.append("")
            lines.append("Targets:")
            for row in t.targets {
                lines.append("  \(row.kpi.label): \(ReportTables.show(row.kpi, row.actual)) of \(ReportTables.show(row.kpi, row.goal))"
                             + (row.progressPercent(decimals: 0).map { " (\($0)%)" } ?? ""))
            }
        }
        lines.append("")
        lines.append(attachedWords)
        return DisplayText.cleaned(lines.joined(separator: "\r\n") + "\r\n")
    }

    // MARK: HTML

    private static let font = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;"
    private static let heading = "margin:0;padding:18px 16px 6px;font-size:17px;line-height:22px;color:#0f5132;font-weight:bold;"

    func html(pictures: [(chart: BarChart, picture: Picture)]) -> String {
        let r = report, t = tables
        var b = HTMLBuilder()
        b.raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        b.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
        b.text("\(r.title): \(r.label)")
        b.raw("</title></head><body style=\"margin:0;padding:0;background:#f4f6f4;\">")
        b.raw("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"background:#f4f6f4;\"><tr><td align=\"center\" style=\"padding:8px 6px;\">")
        b.raw("<!--[if mso]><table role=\"presentation\" width=\"600\" align=\"center\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\"><tr><td><![endif]-->")
        b.raw("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"max-width:600px;width:100%;background:#ffffff;\(Self.font)color:#1d2b24;\">")

        // Title
        b.raw("<tr><td style=\"background:#0f5132;color:#ffffff;padding:14px 16px;\"><div style=\"font-size:19px;line-height:24px;font-weight:bold;\(Self.breaksLongWords)\">")
        b.text(r.title)
        b.raw("</div><div style=\"font-size:14px;line-height:20px;color:#dcebe2;\">")
        b.text(r.label + computedNote)
        b.raw("</div></td></tr>")

        // At a glance: two figures a row.
        b.raw("<tr><td style=\"\(Self.heading)\">")
        b.text(r.period == .day ? "The day at a glance" : (r.period == .week ? "The week at a glance" : "The month at a glance"))
        b.raw("</td></tr><tr><td style=\"padding:0 10px;\"><table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\">")
        let glance = t.kpis.filter { Self.glance.contains($0.kpi) }
        for pair in stride(from: 0, to: glance.count, by: 2).map({ Array(glance[$0..<min($0 + 2, glance.count)]) }) {
            b.raw("<tr>")
            for k in pair {
                b.raw("<td width=\"50%\" valign=\"top\" style=\"padding:6px;\"><div style=\"background:#f4f6f4;border-radius:6px;padding:8px 10px;\">")
                b.raw("<div style=\"font-size:13px;line-height:17px;color:#5a6b62;\">"); b.text(Self.shortLabel(k.kpi)); b.raw("</div>")
                b.raw("<div style=\"font-size:17px;line-height:24px;font-weight:bold;white-space:nowrap;\">"); b.text(ReportTables.show(k.kpi, k.current)); b.raw("</div>")
                b.raw("<div style=\"font-size:13px;line-height:17px;\">"); b.raw(delta(k)); b.raw("</div>")
                b.raw("</div></td>")
            }
            b.raw("</tr>")
        }
        b.raw("</table></td></tr>")

        // Highlights
        b.raw("<tr><td style=\"\(Self.heading)\">Highlights</td></tr><tr><td style=\"padding:0 16px;\"><table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\">")
        for h in highlights {
            b.raw("<tr><td valign=\"top\" width=\"14\" style=\"font-size:15px;line-height:21px;color:#0f5132;padding:3px 0;\">&#8226;</td>")
            b.raw("<td style=\"font-size:15px;line-height:21px;padding:3px 0;\">"); b.text(h); b.raw("</td></tr>")
        }
        b.raw("</table></td></tr>")

        if let first = pictures.first { picture(&b, first) }

        // Targets
        if !t.targets.isEmpty {
            b.raw("<tr><td style=\"\(Self.heading)\">Targets</td></tr><tr><td style=\"padding:0 16px;\"><table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\">")
            for row in t.targets {
                let p = row.progress ?? 0
                let width = max(row.barPercent, 1)
                let color = p >= 1 ? "#198754" : (p >= 0.8 ? "#e0a800" : "#b02a37")
                b.raw("<tr><td style=\"font-size:14px;line-height:19px;padding:6px 0 2px;\"><b>"); b.text(Self.shortLabel(row.kpi)); b.raw("</b> ")
                b.text("\(ReportTables.show(row.kpi, row.actual)) of \(ReportTables.show(row.kpi, row.goal))")
                b.raw("</td><td align=\"right\" style=\"font-size:14px;line-height:19px;padding:6px 0 2px;white-space:nowrap;\">")
                b.text(row.progressText(decimals: 0))
                b.raw("</td></tr><tr><td colspan=\"2\" style=\"padding:0 0 4px;\"><table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"background:#e3e8e5;\"><tr>")
                b.raw("<td width=\"\(width)%\" height=\"8\" style=\"background:\(color);font-size:1px;line-height:8px;\">&nbsp;</td>")
                if width < 100 { b.raw("<td style=\"font-size:1px;line-height:8px;\">&nbsp;</td>") }
                b.raw("</tr></table></td></tr>")
            }
            b.raw("</table></td></tr>")
        }

        for more in pictures.dropFirst() { picture(&b, more) }

        // What is attached
        b.raw("<tr><td style=\"padding:16px;font-size:14px;line-height:20px;color:#5a6b62;border-top:1px solid #e3e8e5;\">")
        b.text(attachedWords + " Shop days in \(r.timeZone).")
        b.raw("</td></tr>")
        b.raw("</table><!--[if mso]></td></tr></table><![endif]--></td></tr></table></body></html>\n")
        return b.html
    }

    /// A name of one long word (a campaign's, a title's) wraps inside the column instead of widening the message past
    /// a phone's screen (`word-break:break-word` for the mail programs that know only it).
    static let breaksLongWords = "word-break:break-word;overflow-wrap:anywhere;"

    /// The body of a report without a dashboard: title, period, its sections' sentences, what is attached.
    func plainHTML(_ lines: [String]) -> String {
        var b = HTMLBuilder()
        b.raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"); b.text("\(report.title): \(report.label)")
        b.raw("</title></head><body style=\"margin:0;padding:8px 6px;background:#f4f6f4;\">")
        b.raw("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"max-width:600px;width:100%;background:#ffffff;\(Self.font)color:#1d2b24;\">")
        b.raw("<tr><td style=\"background:#0f5132;color:#ffffff;padding:14px 16px;font-size:19px;line-height:24px;font-weight:bold;\(Self.breaksLongWords)\">")
        b.text(report.title); b.raw("</td></tr>")
        for line in lines {
            b.raw("<tr><td style=\"font-size:15px;line-height:21px;padding:6px 16px;\(Self.breaksLongWords)\">"); b.text(line); b.raw("</td></tr>")
        }
        b.raw("<tr><td style=\"padding:16px;font-size:14px;line-height:20px;color:#5a6b62;border-top:1px solid #e3e8e5;\">")
        b.text(attachedWords); b.raw("</td></tr></table></body></html>\n")
        return b.html
    }

    /// The same in plain text, control characters and noncharacters of the data shown as U+FFFD as on the page (a
    /// dish named with an escape sequence reached the kitchen's mail as it was).
    func plainText(_ lines: [String]) -> String {
        DisplayText.cleaned((["\(report.title): \(report.label)", ""] + lines + ["", attachedWords]).joined(separator: "\r\n") + "\r\n")
    }

    private func picture(_ b: inout HTMLBuilder, _ p: (chart: BarChart, picture: Picture)) {
        b.raw("<tr><td style=\"padding:14px 16px 4px;\">")
        b.raw("<img src=\"cid:\(HTML.escape(p.picture.contentID))\" width=\"440\" alt=\"\(HTML.escape(p.chart.title))\" ")
        b.raw("style=\"display:block;width:100%;max-width:440px;height:auto;border:0;\">")
        b.raw("</td></tr>")
    }

    /// A figure's name, short enough for half a phone screen.
    static func shortLabel(_ kpi: KPI) -> String {
        switch kpi {
        case .sales: "Sales"
        case .averageOrderValue: "Average sale"
        default: kpi.label
        }
    }

    private func delta(_ k: ReportTables.KPIRow) -> String {
        guard let c = k.change(0) else {
            let main = report.mainComparison
            return "<span style=\"color:#5a6b62;\">" + HTML.escape(main.hasData ? "– vs \(main.phrase)" : "\(main.missingData ?? "no data") for \(main.phrase)") + "</span>"
        }
        let good = k.kpi.higherIsBetter ? c > 0.0005 : c < -0.0005
        let bad = k.kpi.higherIsBetter ? c < -0.0005 : c > 0.0005
        let arrow = c > 0.0005 ? "▲" : (c < -0.0005 ? "▼" : "■")
        let color = good ? "#146c43" : (bad ? "#b02a37" : "#5a6b62")
        return "<span style=\"color:\(color);\">" + HTML.escape(String(format: "%@ %+.0f%%", arrow, c * 100)) + "</span>"
            + "<span style=\"color:#5a6b62;\">" + HTML.escape(" vs \(comparison)") + "</span>"
    }
}
