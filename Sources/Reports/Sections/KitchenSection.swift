import Analytics
import Foundation
import Shop
import Warehouse

/// The kitchen's page: for each dish, what sold yesterday and what to expect today and tomorrow, from the same
/// weekday of the last four weeks (README, "Kitchen report"). Dishes only: no customer appears in it.
public struct KitchenSection: RegisteredSection {
    public static let key = "kitchen"
    /// A page of its own: only in a definition that names it.
    public static var inDefault: Bool { false }
    public let plan: KitchenPlan
    public init(_ plan: KitchenPlan) { self.plan = plan }

    public var title: String { "Kitchen plan" }

    public static func read(_ source: SectionSource) throws -> (any ReportSection)? {
        guard let warehouse = source.warehouse else { return nil }
        return KitchenSection(try DishStore(connection: warehouse).kitchenPlan(day: source.report.range.last))
    }

    static let header = ["Dish", "Category", "Sold yesterday", "Expected today", "Lowest today", "Highest today",
                         "Expected tomorrow", "Lowest tomorrow", "Highest tomorrow"]

    static func dayName(_ d: ShopDay) -> String {
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        return "\(HoursReport.weekdays[d.isoWeekday - 1]) \(d.components.day) \(months[d.components.month - 1])"
    }

    private func portions(_ n: Int64?) -> String { n.map(CountText.grouped) ?? "–" }
    /// `1 portion`, `405 portions`.
    private func portionCount(_ n: Int64) -> String { CountText.of(n, "portion") }

    /// What the page says before the table, in plain words.
    public var summary: [String] {
        let weekdayToday = HoursReport.weekdays[plan.today.isoWeekday - 1], weekdayTomorrow = HoursReport.weekdays[plan.tomorrow.isoWeekday - 1]
        let sold = plan.dishes.reduce(0) { $0 + $1.yesterday }
        let tomorrow = plan.dishes.compactMap(\.tomorrow.expectedHundredths).reduce(0, +)
        let today = plan.dishes.compactMap(\.today.expectedHundredths).reduce(0, +)
        var lines = ["Yesterday, \(Self.dayName(plan.day)): \(portionCount(sold)) sold."]
        lines.append(plan.weeksComputed.today == 0 ? "Today, \(Self.dayName(plan.today)): no earlier \(weekdayToday)s to go by."
                     : "Today, \(Self.dayName(plan.today)): expect about \(portionCount(Money.roundedDivision(today, 100))), as on the last \(CountText.of(plan.weeksComputed.today, weekdayToday)).")
        lines.append(plan.weeksComputed.tomorrow == 0 ? "Tomorrow, \(Self.dayName(plan.tomorrow)): no earlier \(weekdayTomorrow)s to go by."
                     : "Tomorrow, \(Self.dayName(plan.tomorrow)): expect about \(portionCount(Money.roundedDivision(tomorrow, 100))), as on the last \(CountText.of(plan.weeksComputed.tomorrow, weekdayTomorrow)).")
        return lines
    }

    /// The e-mail: the summary, then the ten dishes most expected tomorrow.
    public var summaryLines: [String] {
        summary + plan.dishes.prefix(10).map { d in
            "\(d.name): about \(portions(d.tomorrow.expectedPortions)) tomorrow"
                + (d.tomorrow.lowest.map { " (\(portions($0)) to \(portions(d.tomorrow.highest)))" } ?? "")
                + ", \(portions(d.yesterday)) sold yesterday."
        }
    }

    public func html(into b: inout HTMLBuilder) {
        for line in summary { b.element("p", line) }
        guard !plan.dishes.isEmpty else {
            b.element("p", "No dish was sold on these days.", class: "note")
            return
        }
        b.table(header: ["Dish", "Sold yesterday", "Expected today", "Expected tomorrow", "Tomorrow, lowest – highest"],
                rows: plan.dishes.map { d in
                    [d.name, portions(d.yesterday), portions(d.today.expectedPortions), portions(d.tomorrow.expectedPortions),
                     d.tomorrow.lowest.map { "\(portions($0)) – \(portions(d.tomorrow.highest))" } ?? "–"]
                }, numeric: [1, 2, 3, 4])
        b.element("p", "Expected = the average number sold on the same weekday over the last four weeks, rounded to whole portions; lowest and highest are the smallest and the biggest of those four days. A week that is not in the figures yet is left out.", class: "note")
    }

    public func addSheets(to workbook: Workbook) throws {
        let s = try workbook.addSheet("Kitchen")
        try s.write(0, 0, .text("Kitchen plan"), workbook.format(.title))
        for (i, line) in summary.enumerated() { try s.write(1 + i, 0, .text(line)) }
        let top = 2 + summary.count
        try s.writeRow(top, Self.header.map { .text($0) }, format: workbook.format(.header))
        let average = workbook.format(CellStyle(numberFormat: "0.00"))
        for (i, d) in plan.dishes.enumerated() {
            let row = top + 1 + i
            try s.writeRow(row, [.text(d.name), .text(d.category), .integer(d.yesterday)])
            for (k, f) in [d.today, d.tomorrow].enumerated() {
                let col = 3 + 3 * k
                if let e = f.expectedHundredths { try s.write(row, col, .number(Double(e) / 100), average) }
                try s.writeRow(row, [f.lowest.map { .integer($0) } ?? .empty, f.highest.map { .integer($0) } ?? .empty], format: nil, startCol: col + 1)
            }
        }
        try s.freezePanes(row: top + 1, col: 1)
        try s.autofilter(firstRow: top, firstCol: 0, lastRow: top + max(plan.dishes.count, 1), lastCol: Self.header.count - 1)
        try s.setColumn(0, 0, width: 30); try s.setColumn(1, 1, width: 18); try s.setColumn(2, Self.header.count - 1, width: 16)
        s.setLandscape(); s.fitToWidth()
    }

    public var csvTables: [(name: String, table: CSVTable)] {
        func exact(_ h: Int64?) -> CSVCell { h.map { .decimal(Money(hundredths: $0).decimalString) } ?? .empty }
        func int(_ v: Int64?) -> CSVCell { v.map { .integer($0) } ?? .empty }
        return [("kitchen", CSVTable(header: Self.header, rows: plan.dishes.map { d in
            [.text(d.name), .text(d.category), .integer(d.yesterday),
             exact(d.today.expectedHundredths), int(d.today.lowest), int(d.today.highest),
             exact(d.tomorrow.expectedHundredths), int(d.tomorrow.lowest), int(d.tomorrow.highest)]
        }))]
    }
}
