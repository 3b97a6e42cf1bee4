import Analytics
import Shop
import Warehouse

/// The Hours section: a weekday x hour heat map of the period's sales (shop time), so the kitchen and the riders
/// know the busy hours (README, "Hours").
public struct HoursSection: RegisteredSection {
    public static let key = "hours"
    public let report: HoursReport
    public init(_ report: HoursReport) { self.report = report }

    public var title: String { "Hours" }

    public static func read(_ source: SectionSource) throws -> (any ReportSection)? {
        guard let warehouse = source.warehouse else { return nil }
        return HoursSection(try DishStore(connection: warehouse).hours(source.report.range))
    }

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
        try s.write(0, 0, .text("Sales by weekday and hour (shop time), \(report.range.words)"), workbook.format(.title))
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
