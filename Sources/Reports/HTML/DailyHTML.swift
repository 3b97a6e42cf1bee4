import Analytics
import Foundation
import Shop

/// The daily report as one self-contained HTML page: inline CSS, an inline SVG chart, no scripts.
public struct DailyHTML {
    public let report: DailyReport
    public let sections: [any ReportSection]
    public init(_ report: DailyReport, sections: [any ReportSection] = []) { self.report = report; self.sections = sections }

    public var html: String {
        let r = report
        let tables = DailyTables(r)
        var b = HTMLBuilder()
        b.raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        b.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        b.raw("<title>"); b.text("Dusangire daily report \(r.day.iso)"); b.raw("</title>")
        b.raw("<style>\(HTML.style)</style></head><body>")
        b.raw("<header><h1>"); b.text("Dusangire: \(weekdayName(r.day)) \(r.day.iso)"); b.raw("</h1><p>")
        b.text("Daily report. Shop days in \(r.timeZone). Amounts in Rwandan francs (RWF).")
        b.raw("</p></header><main>")

        b.element("h2", "The day at a glance")
        b.raw("<div class=\"cards\">")
        for k in tables.kpis.prefix(6) { card(&b, k.label, k.today, k.previous, k.lastWeek) }
        b.raw("</div>")

        b.element("h2", "Revenue, last 30 days")
        b.raw("<div class=\"chart\">")
        b.raw(BarChartSVG(title: "Revenue per day (RWF)", bars: r.trend.map { (shortDate($0.day), $0.totalRevenue.wholeFrancs) }).svg)
        b.raw("</div>")
        b.element("p", "30 days: \(r.windowRevenue) from \(r.windowSales) sales; average order value \(r.windowAverageOrderValue).", class: "note")

        b.element("h2", "Revenue by channel")
        b.table(header: ["Channel", "Revenue", "Transactions", "Share"],
                rows: tables.channelRows.map { [$0.channel.label, $0.amount.description, String($0.transactions), $0.share.map(percent) ?? "–"] },
                numeric: [1, 2, 3])
        b.element("p", "Order channels add up to the day's revenue; catering is booked separately and VIP tiers are earned, not sold.", class: "note")

        b.element("h2", "Payment methods")
        b.table(header: ["Method", "Sales", "Amount", "Share"],
                rows: tables.paymentRows.map { [$0.method.label, String($0.orders), $0.amount.description, $0.share.map(percent) ?? "–"] },
                numeric: [1, 2, 3])

        b.element("h2", "Discounts")
        b.table(header: ["Discount", "Sales with it", "Amount"],
                rows: r.discounts.map { [$0.kind.label, String($0.orders), $0.amount.description] }, numeric: [1, 2])

        b.element("h2", "Top customers")
        if r.topCustomers.isEmpty {
            b.element("p", "No sales this day.", class: "note")
        } else {
            b.table(header: ["#", "Customer", "Sales", "Revenue"],
                    rows: r.topCustomers.map { [String($0.rank), $0.name, String($0.sales), $0.revenue.description] }, numeric: [0, 2, 3])
        }

        b.element("h2", "Orders and refunds")
        b.table(header: ["Figure", "Day", "Previous day", "Same day last week"],
                rows: tables.kpis.dropFirst(6).map { [$0.label, show($0.today), show($0.previous), show($0.lastWeek)] },
                numeric: [1, 2, 3])

        for section in sections {
            b.element("h2", section.title)
            section.html(into: &b)
        }

        b.element("h2", "Data quality")
        if r.rejected.isEmpty {
            b.element("p", "No source rows were rejected for this day (\(r.rejectedInWindow) in the last 30 days).", class: "ok")
        } else {
            b.element("p", "\(r.rejected.reduce(0) { $0 + $1.count }) source rows were set aside for this day and are not in the figures; they are kept in analytics.rejected_rows with their reasons.", class: "warn")
            b.table(header: ["Source table", "Reason", "Rows"], rows: r.rejected.map { [$0.source, $0.reason, String($0.count)] }, numeric: [2])
        }

        b.raw("<footer>")
        b.text("A sale is a delivered order that was not refunded, counted on the shop day it was created. Definitions: README of dusangire-analytics.")
        b.raw("</footer></main></body></html>\n")
        return b.html
    }

    private func card(_ b: inout HTMLBuilder, _ label: String, _ today: DailyTables.KPIValue, _ prev: DailyTables.KPIValue, _ week: DailyTables.KPIValue) {
        b.raw("<div class=\"card\"><div class=\"label\">"); b.text(label); b.raw("</div><div class=\"value\">")
        b.text(show(today)); b.raw("</div><div class=\"delta\">")
        b.raw(delta(today, prev, "vs previous day")); b.raw("<br>"); b.raw(delta(today, week, "vs last week"))
        b.raw("</div></div>")
    }

    private func delta(_ now: DailyTables.KPIValue, _ then: DailyTables.KPIValue, _ what: String) -> String {
        guard let c = percentChange(from: then.units, to: now.units) else { return HTML.escape("– \(what)") }
        let cls = c > 0.0005 ? "up" : (c < -0.0005 ? "down" : "")
        let arrow = c > 0.0005 ? "▲" : (c < -0.0005 ? "▼" : "■")
        return "<span class=\"\(cls)\">" + HTML.escape(String(format: "%@ %+.1f%%", arrow, c * 100)) + "</span> " + HTML.escape(what)
    }

    private func show(_ v: DailyTables.KPIValue) -> String {
        switch v {
        case .money(let m): m.description
        case .count(let c): Money(francs: c).groupedFrancs
        }
    }

    private func percent(_ d: Double) -> String { String(format: "%.1f%%", d * 100) }
    private func shortDate(_ d: ShopDay) -> String { String(format: "%02d/%02d", d.components.day, d.components.month) }
    private func weekdayName(_ d: ShopDay) -> String {
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][d.isoWeekday - 1]
    }
}
