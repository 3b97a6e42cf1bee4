import Analytics
import Shop

/// The period's discounts by kind: how many sales carried each, and its amount.
public struct DiscountsSection: RegisteredSection {
    public static let key = "discounts"
    public let report: PeriodReport
    public init(_ report: PeriodReport) { self.report = report }

    public static func read(_ source: SectionSource) throws -> (any ReportSection)? { DiscountsSection(source.report) }

    public var title: String { "Discounts" }

    public func html(into b: inout HTMLBuilder) {
        b.table(header: ["Discount", "Sales with it", "Amount"],
                rows: report.discountFigures.map { [$0.kind.label, CountText.grouped($0.orders), $0.amount.description] }, numeric: [1, 2])
    }

    public func addSheets(to wb: Workbook) throws {
        let s = try wb.addSheet("Discounts")
        try s.setColumn(0, 0, width: 18); try s.setColumn(1, 2, width: 16)
        try s.writeHeader(0, ["Discount", "Sales with it", "Amount (RWF)"], format: wb.format(.header))
        for (i, d) in report.discountFigures.enumerated() {
            try s.writeRow(1 + i, [.text(d.kind.label), .integer(Int64(d.orders)), .money(hundredths: d.amount.hundredths)])
        }
        try s.freezePanes(row: 1, col: 1)
        try s.autofilter(firstRow: 0, firstCol: 0, lastRow: report.discountFigures.count, lastCol: 2)
        try s.printSetup(headerRows: 0...0)
    }

    public var csvTables: [(name: String, table: CSVTable)] {
        [("discounts", CSVTable(header: ["Discount", "Sales with it", "Amount (RWF)"],
                                rows: report.discountFigures.map { [.text($0.kind.label), .integer(Int64($0.orders)), .money($0.amount)] }))]
    }

    public var analystTables: [AnalystTable] {
        [AnalystTable(title: "Codes behind the discount labels", note: "As stored in analytics.discounts (kind).",
                      header: ["Label", "Code"], rows: DiscountKind.allCases.map { [.text($0.label), .text($0.rawValue)] })]
    }

    public var glossary: [GlossaryEntry] {
        [GlossaryEntry("Discounts (sales with it)", "Sales that carried that kind of discount, and the discount's amount.")]
    }
}
