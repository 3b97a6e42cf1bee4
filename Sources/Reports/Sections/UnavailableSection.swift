/// A section a report definition lists but whose figures do not exist for the period (for example customer figures
/// never computed as of the period's last day): the report says so, in plain words, instead of dropping it silently.
public struct UnavailableSection: ReportSection {
    public let title: String
    public let key: String
    /// Why, for the manager: one or two plain sentences.
    public let reason: String
    /// What an analyst can do about it (may name commands).
    public let remedy: String?

    public init(title: String, key: String, reason: String, remedy: String? = nil) {
        self.title = title; self.key = key; self.reason = reason; self.remedy = remedy
    }

    public func html(into b: inout HTMLBuilder) { b.element("p", reason, class: "warn") }

    public func addSheets(to workbook: Workbook) throws {
        let s = try workbook.addSheet(title)
        try s.setColumn(0, 0, width: 120)
        try s.write(0, 0, .text(title), workbook.format(.title))
        try s.write(2, 0, .text(reason), workbook.format(CellStyle(wrap: true, verticalAlign: .top)))
        try s.setRowHeight(2, height: Double(Sheet.wrappedLines(reason, width: 120)) * 15 + 2)
        try s.printSetup()
    }

    public var csvTables: [(name: String, table: CSVTable)] { [] }

    public var analystTables: [AnalystTable] {
        guard let remedy else { return [] }
        return [AnalystTable(title: "\(title): not available", note: remedy, header: [], rows: [])]
    }
}
