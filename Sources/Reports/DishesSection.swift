import Analytics
import Shop

/// The Dishes section: the most ordered dishes, those that bring the most, the categories, and the biggest risers and
/// fallers against the previous period. Revenue here is the items' own subtotal, before order-level discounts
/// (README, "Dishes"), so it is more than the period's revenue whenever discounts were given.
public struct DishesSection: ReportSection {
    public let report: DishesReport
    public init(_ report: DishesReport) { self.report = report }

    public var title: String { "Dishes" }

    static let dishHeader = ["Dish", "Category", "Portions", "Revenue at menu prices (RWF)", "Portions, previous period",
                             "Revenue, previous period (RWF)", "Change in portions"]
    static let categoryHeader = ["Category", "Dishes sold", "Portions", "Revenue at menu prices (RWF)", "Share of dish revenue (%)",
                                 "Revenue, previous period (RWF)"]

    private var previousLabel: String {
        let p = report.previousRange
        return p.count == 1 ? p.first.iso : "\(p.first.iso) – \(p.last.iso)"
    }

    public func html(into b: inout HTMLBuilder) {
        guard !report.sold.isEmpty else {
            b.element("p", "No dishes were sold in this period.", class: "note")
            return
        }
        b.element("p", "\(Money(francs: report.totalQuantity).groupedFrancs) portions of \(report.sold.count) dishes, worth \(report.totalRevenue) at the prices on the orders (before order discounts). Changes compare with \(previousLabel).", class: "note")
        b.chart(BarChart(title: "Most ordered dishes (portions)", bars: report.topByQuantity().map { ($0.name, $0.quantity) },
                         highlightLast: false, horizontal: true))
        b.element("h3", "Most ordered")
        b.table(header: ["Dish", "Category", "Portions", "Revenue", "Change"],
                rows: report.topByQuantity().map { [$0.name, $0.category, count($0.quantity), $0.revenue.description, signed($0.quantityChange)] },
                numeric: [2, 3, 4])
        b.element("h3", "Most revenue")
        b.table(header: ["Dish", "Category", "Revenue", "Portions", "Previous"],
                rows: report.topByRevenue().map { [$0.name, $0.category, $0.revenue.description, count($0.quantity), $0.previousRevenue.description] },
                numeric: [2, 3, 4])
        b.element("h3", "Categories")
        b.table(header: ["Category", "Dishes", "Portions", "Revenue", "Share", "Previous"],
                rows: report.categories.map { [$0.category, String($0.dishes), count($0.quantity), $0.revenue.description,
                                               $0.share.map { String(format: "%.1f%%", $0 * 100) } ?? "–", $0.previousRevenue.description] },
                numeric: [1, 2, 3, 4, 5])
        let risers = report.risers(), fallers = report.fallers()
        b.element("h3", "Rising and falling")
        if risers.isEmpty && fallers.isEmpty {
            b.element("p", "Every dish sold as many portions as in \(previousLabel).", class: "note")
        } else {
            b.table(header: ["Dish", "Portions", "Previous", "Change"],
                    rows: (risers + fallers).map { [$0.name, count($0.quantity), count($0.previousQuantity), signed($0.quantityChange)] },
                    numeric: [1, 2, 3])
        }
    }

    public func addSheets(to workbook: Workbook) throws {
        let header = workbook.format(.header)
        let s = try workbook.addSheet("Dishes")
        try s.write(0, 0, .text("Dishes, \(report.range.first.iso) – \(report.range.last.iso), against \(previousLabel)"), workbook.format(.title))
        try s.write(1, 0, .text("Revenue at the prices on the orders (the items' subtotals), before order discounts."),
                    workbook.format(CellStyle(italic: true, fontColor: 0x5A6B62)))
        try s.writeRow(3, Self.dishHeader.map { .text($0) }, format: header)
        let rows = dishRows
        for (i, r) in rows.enumerated() { try s.writeRow(4 + i, r.map(\.cellValue)) }
        let last = 3 + max(rows.count, 1)
        try s.freezePanes(row: 4, col: 1)
        try s.autofilter(firstRow: 3, firstCol: 0, lastRow: last, lastCol: Self.dishHeader.count - 1)
        try s.setColumn(0, 0, width: 30); try s.setColumn(1, 1, width: 18); try s.setColumn(2, Self.dishHeader.count - 1, width: 18)
        if !rows.isEmpty {
            try s.conditionalFormat(.cell(.greaterThan, 0, style: ConditionalRule.goodStyle), firstRow: 4, firstCol: 6, lastRow: last, lastCol: 6)
            try s.conditionalFormat(.cell(.lessThan, 0, style: ConditionalRule.badStyle), firstRow: 4, firstCol: 6, lastRow: last, lastCol: 6)
            let top = min(report.sold.count, 10)
            if top > 0 {
                try s.addChart(ChartSpec(kind: .bar, title: "Most ordered dishes (portions)",
                                         series: [ChartSeries(name: "Portions", sheet: s, categories: ColumnRange(col: 0, firstRow: 4, lastRow: 3 + top),
                                                              values: ColumnRange(col: 2, firstRow: 4, lastRow: 3 + top))],
                                         valueNumberFormat: "#,##0", legend: .none), at: last + 2, 0)
            }
        }
        s.setLandscape(); s.fitToWidth()

        let c = try workbook.addSheet("Categories")
        try c.writeRow(0, Self.categoryHeader.map { .text($0) }, format: header)
        let cats = categoryRows
        for (i, r) in cats.enumerated() { try c.writeRow(1 + i, r.map(\.cellValue)) }
        try c.freezePanes(row: 1, col: 1)
        try c.autofilter(firstRow: 0, firstCol: 0, lastRow: max(cats.count, 1), lastCol: Self.categoryHeader.count - 1)
        try c.setColumn(0, 0, width: 24); try c.setColumn(1, Self.categoryHeader.count - 1, width: 18)
    }

    public var csvTables: [(name: String, table: CSVTable)] {
        [("dishes", CSVTable(header: Self.dishHeader, rows: dishRows)),
         ("dish-categories", CSVTable(header: Self.categoryHeader, rows: categoryRows))]
    }

    /// Every dish sold in either period, most portions first.
    var dishRows: [[CSVCell]] {
        report.dishes.map { d in
            [.text(d.name), .text(d.category), .integer(d.quantity), .money(d.revenue), .integer(d.previousQuantity),
             .money(d.previousRevenue), .integer(d.quantityChange)]
        }
    }

    var categoryRows: [[CSVCell]] {
        report.categories.map { c in
            [.text(c.category), .integer(Int64(c.dishes)), .integer(c.quantity), .money(c.revenue), c.share.map { .percent($0) } ?? .empty,
             .money(c.previousRevenue)]
        }
    }

    private func count(_ n: Int64) -> String { Money(francs: n).groupedFrancs }
    private func signed(_ n: Int64) -> String { n > 0 ? "+" + count(n) : count(n) }
}

/// The Hours section: a weekday x hour heat map of the period's sales (shop time), so the kitchen and the riders
/// know the busy hours (README, "Hours").
public struct HoursSection: ReportSection {
    public let report: HoursReport
    public init(_ report: HoursReport) { self.report = report }

    public var title: String { "Hours" }

    static let csvHeader = ["Weekday", "Hour", "Days of that weekday in the period", "Sales", "Revenue (RWF)"]

    /// The hours shown: from the first to the last hour with a sale (all 24 when there is none).
    var shownHours: ClosedRange<Int> {
        let byHour = report.ordersByHour
        guard let first = byHour.firstIndex(where: { $0 > 0 }), let last = byHour.lastIndex(where: { $0 > 0 }) else { return 0...23 }
        return first...last
    }

    public func html(into b: inout HTMLBuilder) {
        guard let busiest = report.busiest else {
            b.element("p", "No sales in this period.", class: "note")
            return
        }
        let days = report.daysPerWeekday
        b.element("p", "Sales by weekday and hour of the shop's clock, added up over the period (\(report.range.count) day\(report.range.count == 1 ? "" : "s")). The busiest hour was \(HoursReport.weekdays[busiest.weekday]) \(String(format: "%02d:00", busiest.hour))–\(String(format: "%02d:00", (busiest.hour + 1) % 24)) with \(busiest.orders) sales\(days[busiest.weekday] > 1 ? " over \(days[busiest.weekday]) \(HoursReport.weekdays[busiest.weekday])s" : "").", class: "note")
        let hours = shownHours
        let top = max(busiest.orders, 1)
        b.raw("<div class=\"scroll\"><table style=\"font-size:.75em\"><thead><tr><th>Day</th>")
        for h in hours { b.raw("<th class=\"num\">"); b.text(String(format: "%02d", h)); b.raw("</th>") }
        b.raw("</tr></thead><tbody>")
        for w in 0..<7 where days[w] > 0 {
            b.raw("<tr><td>"); b.text(String(HoursReport.weekdays[w].prefix(3))); b.raw("</td>")
            for h in hours {
                let n = report.orders[w][h]
                b.raw("<td class=\"num\" style=\"\(Self.heat(n, top))\">"); b.text(n == 0 ? "" : String(n)); b.raw("</td>")
            }
            b.raw("</tr>")
        }
        b.raw("</tbody></table></div>")
        let shownDays = (0..<7).filter { days[$0] > 0 }
        b.record(.heatMap(rows: shownDays.map { String(HoursReport.weekdays[$0].prefix(3)) }, columns: hours.map { String(format: "%02d", $0) },
                          values: shownDays.map { w in hours.map { report.orders[w][$0] } }))
    }

    /// Inline cell colours from white (no sales) to the report's dark green (the busiest hour).
    static func heat(_ n: Int, _ top: Int) -> String {
        let f = Double(n) / Double(top)
        func mix(_ from: Int, _ to: Int) -> Int { Int((Double(from) + (Double(to) - Double(from)) * f).rounded()) }
        let bg = String(format: "#%02x%02x%02x", mix(0xff, 0x0f), mix(0xff, 0x51), mix(0xff, 0x32))
        return "background:\(bg);color:\(f > 0.55 ? "#ffffff" : "#1d2b24");padding:4px"
    }

    public func addSheets(to workbook: Workbook) throws {
        let header = workbook.format(.header)
        let s = try workbook.addSheet("Hours")
        try s.write(0, 0, .text("Sales by weekday and hour (shop time), \(report.range.first.iso) – \(report.range.last.iso)"), workbook.format(.title))
        let days = report.daysPerWeekday
        for (block, (label, value)) in [("Sales", { (w: Int, h: Int) -> CellValue in .integer(Int64(report.orders[w][h])) }),
                                        ("Revenue (RWF)", { (w: Int, h: Int) -> CellValue in .money(hundredths: report.revenue[w][h].hundredths) })].enumerated() {
            let top = 2 + block * 10
            try s.writeRow(top, [.text(label)] + (0..<24).map { .text(String(format: "%02d", $0)) }, format: header)
            for w in 0..<7 {
                try s.writeRow(top + 1 + w, [.text(HoursReport.weekdays[w] + (days[w] == 1 ? "" : " (\(days[w]) days)"))] + (0..<24).map { value(w, $0) })
            }
            try s.conditionalFormat(.twoColorScale(low: 0xFFFFFF, high: 0x198754), firstRow: top + 1, firstCol: 1, lastRow: top + 7, lastCol: 24)
        }
        try s.setColumn(0, 0, width: 22); try s.setColumn(1, 24, width: 7)
        try s.freezePanes(row: 3, col: 1)
        s.setLandscape(); s.fitToWidth()
    }

    public var csvTables: [(name: String, table: CSVTable)] {
        let days = report.daysPerWeekday
        return [("hours", CSVTable(header: Self.csvHeader, rows: (0..<7).flatMap { w in
            (0..<24).map { h in
                [.text(HoursReport.weekdays[w]), .integer(Int64(h)), .integer(Int64(days[w])), .integer(Int64(report.orders[w][h])),
                 .money(report.revenue[w][h])]
            }
        }))]
    }
}
