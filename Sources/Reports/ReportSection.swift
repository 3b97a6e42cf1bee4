import Foundation
import Shop

/// A section that a report shows beyond the daily figures (customers, campaigns, funnel...). Each renders itself
/// into the three formats, so a new area adds one type here and a reader in Warehouse, nothing else.
public protocol ReportSection {
    /// The section's heading, e.g. "Customers".
    var title: String { get }
    /// The name a report definition uses for it (`customers`, `campaigns`, `funnel`). Default: the title's first word.
    var key: String { get }
    /// The section as a given reader may see it: one that shows customer names or phones returns a copy with them
    /// masked when `audience.showsCustomerData` is false. Default: unchanged (no personal data).
    func forAudience(_ audience: Audience) -> any ReportSection
    /// Appends the section to the HTML page (every value through the builder, which escapes it). Plain words only:
    /// table, column, event and code names belong in `analystTables`.
    func html(into page: inout HTMLBuilder)
    /// Adds the section's sheet(s) to the workbook.
    func addSheets(to workbook: Workbook) throws
    /// The section's CSV files: a name suffix (`customers`, `rfm`...) and the table.
    var csvTables: [(name: String, table: CSVTable)] { get }
    /// Technical detail for the report's "For analysts" section and sheet: rules, model parameters, stored codes.
    var analystTables: [AnalystTable] { get }
    /// What the section's figures mean, in plain words, for the workbook's "Glossary" sheet.
    var glossary: [GlossaryEntry] { get }
    /// A few plain sentences for the e-mail of a report without a dashboard (the kitchen plan, one campaign), which
    /// then says these instead of the sales summary. Default: none.
    var summaryLines: [String] { get }
}

extension ReportSection {
    public var key: String { String(title.lowercased().prefix { $0.isLetter }) }
    public func forAudience(_ audience: Audience) -> any ReportSection { self }
    public var analystTables: [AnalystTable] { [] }
    public var glossary: [GlossaryEntry] { [] }
    public var summaryLines: [String] { [] }
}

/// A table for analysts (the "For analysts" section of the HTML page and sheet of the workbook): the only place a
/// report names tables, columns, codes, model parameters and rules.
public struct AnalystTable: Sendable {
    public var title: String
    public var note: String?
    public var header: [String]
    public var rows: [[CSVCell]]

    public init(title: String, note: String? = nil, header: [String], rows: [[CSVCell]]) {
        self.title = title; self.note = note; self.header = header; self.rows = rows
    }
}

/// A figure a report shows and what it means, in plain words (the workbook's "Glossary" sheet).
public struct GlossaryEntry: Sendable, Equatable {
    public var figure: String
    public var meaning: String
    public init(_ figure: String, _ meaning: String) { self.figure = figure; self.meaning = meaning }
}

extension CSVCell {
    /// Whether the cell holds a number (right-aligned in tables).
    public var isNumber: Bool {
        switch self {
        case .integer, .money, .percent, .decimal: true
        case .text, .day, .empty: false
        }
    }

    /// The cell as a person reads it in a table: counts and francs grouped (`4,037`, `RWF 1,234`), days ISO,
    /// percentages with one decimal.
    public var plain: String {
        switch self {
        case .text(let s): s
        case .integer(let v): CountText.grouped(v)
        case .money(let m): m.description
        case .day(let d): d.iso
        case .percent(let p): String(format: "%.1f%%", p * 100)
        case .decimal(let d): d
        case .empty: ""
        }
    }
}
