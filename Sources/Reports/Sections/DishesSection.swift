import Analytics
import Shop
import Warehouse

/// The Dishes section: the most ordered dishes, those that bring the most, the categories, and the biggest risers and
/// fallers against the previous period. Revenue here is the items' own subtotal, before order-level discounts
/// (README, "Dishes"), so it is more than the period's revenue whenever discounts were given.
public struct DishesSection: RegisteredSection {
    public static let key = "dishes"
    public let report: DishesReport
    public init(_ report: DishesReport) { self.report = report }

    public var title: String { "Dishes" }

    public static func read(_ source: SectionSource) throws -> (any ReportSection)? {
        guard let warehouse = source.warehouse else { return nil }
        let r = source.report
        var dishes = try DishStore(connection: warehouse).dishes(r.range, previous: r.mainComparison.totals.range)
        dishes.previousMissing = r.mainComparison.missingData
        return DishesSection(dishes)
    }

    static let dishHeader = ["Dish", "Category", "Portions", "Revenue at menu prices (RWF)", "Portions, previous period",
                             "Revenue, previous period (RWF)", "Change in portions"]
    static let categoryHeader = ["Category", "Dishes sold", "Portions", "Revenue at menu prices (RWF)", "Share of dish revenue (%)",
                                 "Revenue, previous period (RWF)"]

    /// The period the changes compare with, in words.
    private var previousLabel: String { report.previousRange.words }
    /// Whether the previous period has every day computed, so that its figures and the changes are shown.
    private var compared: Bool { report.previousMissing == nil }
    /// The sentence that says the dishes are not compared, and why.
    private var notCompared: String {
        let missing = report.previousMissing ?? ""
        return "No changes are shown: \(previousLabel) has \(missing == "no data" ? "no data" : missing + " computed")."
    }

    public func html(into b: inout HTMLBuilder) {
        guard !report.sold.isEmpty else {
            b.element("p", "No dishes were sold in this period.", class: "note")
            return
        }
        b.element("p", "\(Money(francs: report.totalQuantity).groupedFrancs) portions of \(report.sold.count) dishes, worth \(report.totalRevenue) at the prices on the orders (before order discounts). " + (compared ? "Changes compare with \(previousLabel)." : notCompared), class: "note")
        b.chart(BarChart(title: "Most ordered dishes (portions)", bars: report.topByQuantity().map { ($0.name, $0.quantity) },
                         highlightLast: false, horizontal: true))
        b.element("h3", "Most ordered")
        b.table(header: ["Dish", "Category", "Portions", "Revenue", "Change"],
                rows: report.topByQuantity().map { [$0.name, $0.category, count($0.quantity), $0.revenue.description, compared ? signed($0.quantityChange) : "–"] },
                numeric: [2, 3, 4])
        b.element("h3", "Most revenue")
        b.table(header: ["Dish", "Category", "Revenue", "Portions", "Previous"],
                rows: report.topByRevenue().map { [$0.name, $0.category, $0.revenue.description, count($0.quantity), compared ? $0.previousRevenue.description : "–"] },
                numeric: [2, 3, 4])
        b.element("h3", "Categories")
        b.table(header: ["Category", "Dishes", "Portions", "Revenue", "Share", "Previous"],
                rows: report.categories.map { [$0.category, String($0.dishes), count($0.quantity), $0.revenue.description,
                                               $0.share.map { String(format: "%.1f%%", $0 * 100) } ?? "–", compared ? $0.previousRevenue.description : "–"] },
                numeric: [1, 2, 3, 4, 5])
        let risers = report.risers(), fallers = report.fallers()
        b.element("h3", "Rising and falling")
        if !compared {
            b.element("p", notCompared, class: "note")
        } else if risers.isEmpty && fallers.isEmpty {
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
        try s.write(0, 0, .text("Dishes, \(report.range.words), " + (compared ? "against \(previousLabel)" : "not compared with \(previousLabel) (\(report.previousMissing ?? ""))")),
                    workbook.format(.title))
        try s.write(1, 0, .text("Revenue at the prices on the orders (the items' subtotals), before order discounts."),
                    workbook.format(CellStyle(italic: true, fontColor: 0x5A6B62)))
        // Widths first, so that the header row is as tall as its wrapped titles; the dish column as wide as the longest
        // name (up to 48 characters), so that no name is cut off by the category beside it.
        let nameWidth = Double(min(max(report.dishes.map(\.name.count).max() ?? 0, 28), 48) + 2)
        try s.setColumn(0, 0, width: nameWidth); try s.setColumn(1, 1, width: 18); try s.setColumn(2, Self.dishHeader.count - 1, width: 18)
        try s.writeHeader(3, Self.dishHeader, format: header)
        let rows = dishRows
        for (i, r) in rows.enumerated() { try s.writeRow(4 + i, r.map(\.cellValue)) }
        let last = 3 + max(rows.count, 1)
        try s.freezePanes(row: 4, col: 1)
        try s.autofilter(firstRow: 3, firstCol: 0, lastRow: last, lastCol: Self.dishHeader.count - 1)
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
        try c.setColumn(0, 0, width: 24); try c.setColumn(1, Self.categoryHeader.count - 1, width: 18)
        try c.writeHeader(0, Self.categoryHeader, format: header)
        let cats = categoryRows
        for (i, r) in cats.enumerated() { try c.writeRow(1 + i, r.map(\.cellValue)) }
        try c.freezePanes(row: 1, col: 1)
        try c.autofilter(firstRow: 0, firstCol: 0, lastRow: max(cats.count, 1), lastCol: Self.categoryHeader.count - 1)
        c.setLandscape(); c.fitToWidth()
    }

    public var csvTables: [(name: String, table: CSVTable)] {
        [("dishes", CSVTable(header: Self.dishHeader, rows: dishRows)),
         ("dish-categories", CSVTable(header: Self.categoryHeader, rows: categoryRows))]
    }

    /// Every dish sold in either period, most portions first.
    var dishRows: [[CSVCell]] {
        report.dishes.filter { compared || $0.quantity > 0 }.map { d in
            [.text(d.name), .text(d.category), .integer(d.quantity), .money(d.revenue)]
                + (compared ? [.integer(d.previousQuantity), .money(d.previousRevenue), .integer(d.quantityChange)] : [.empty, .empty, .empty])
        }
    }

    var categoryRows: [[CSVCell]] {
        report.categories.filter { compared || $0.quantity > 0 }.map { c in
            [.text(c.category), .integer(Int64(c.dishes)), .integer(c.quantity), .money(c.revenue), c.share.map { .percent($0) } ?? .empty,
             compared ? .money(c.previousRevenue) : .empty]
        }
    }

    private func count(_ n: Int64) -> String { Money(francs: n).groupedFrancs }
    private func signed(_ n: Int64) -> String { n > 0 ? "+" + count(n) : count(n) }
}
