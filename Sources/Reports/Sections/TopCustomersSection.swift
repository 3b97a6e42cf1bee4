import Analytics
import Shop

/// The five customers who spent the most on the report's day (personal data: names are masked for readers who may
/// not see customer data). Only in a day's report.
public struct TopCustomersSection: RegisteredSection {
    public static let key = "top_customers"
    public let report: PeriodReport
    public var audience: Audience
    public init(_ report: PeriodReport, audience: Audience = .full) { self.report = report; self.audience = audience }

    public static func read(_ source: SectionSource) throws -> (any ReportSection)? {
        source.report.period == .day ? TopCustomersSection(source.report) : nil
    }

    public func forAudience(_ audience: Audience) -> any ReportSection { TopCustomersSection(report, audience: audience) }

    public var title: String { "Top customers of the day" }

    public func html(into b: inout HTMLBuilder) {
        if report.topCustomers.isEmpty {
            b.element("p", "No sales this day.", class: "note")
        } else {
            b.table(header: ["#", "Customer", "Sales", "Revenue"],
                    rows: report.topCustomers.map { [String($0.rank), audience.name($0.name), CountText.grouped($0.sales), $0.revenue.description] },
                    numeric: [0, 2, 3])
        }
    }

    public func addSheets(to wb: Workbook) throws {
        let s = try wb.addSheet("Top customers")
        try s.setColumn(0, 0, width: 8); try s.setColumn(1, 1, width: 32); try s.setColumn(2, 3, width: 16)
        try s.writeHeader(0, ["Rank", "Customer", "Sales", "Revenue (RWF)"], format: wb.format(.header))
        for (i, c) in report.topCustomers.enumerated() {
            try s.writeRow(1 + i, [.integer(Int64(c.rank)), .text(audience.name(c.name)), .integer(Int64(c.sales)), .money(hundredths: c.revenue.hundredths)])
        }
        try s.freezePanes(row: 1, col: 0)
        try s.printSetup(headerRows: 0...0)
    }

    public var csvTables: [(name: String, table: CSVTable)] {
        [("top-customers", CSVTable(header: ["Rank", "Customer", "Sales", "Revenue (RWF)"], rows: report.topCustomers.map {
            [.integer(Int64($0.rank)), .text(audience.name($0.name)), .integer(Int64($0.sales)), .money($0.revenue)]
        }))]
    }

    public var glossary: [GlossaryEntry] {
        [GlossaryEntry("Top customers of the day", "The five customers who spent the most that day (personal data: for the shop's managers only).")]
    }
}
