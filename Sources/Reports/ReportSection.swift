import Analytics
import Foundation
import Postgres
import Shop

/// One part of a report (the dashboard, channels, dishes, the customers, the kitchen plan...): it knows its title,
/// its tables, and how it renders into every format. A report shows exactly the sections its definition lists, in
/// that order, in the HTML page, the PDF, the workbook and the CSV files alike.
public protocol ReportSection {
    /// The name a report definition uses for it (`dashboard`, `channels`, `customers`...).
    var key: String { get }
    /// The section's heading, e.g. "Customers" (the page writes it above `html(into:)`).
    var title: String { get }
    /// The section as a given reader may see it: one that shows customer names or phones returns a copy with them
    /// masked when `audience.showsCustomerData` is false. Default: unchanged (no personal data).
    func forAudience(_ audience: Audience) -> any ReportSection
    /// Appends the section, below its title, to the HTML page (every value through the builder, which escapes it).
    /// The PDF lays out the same content (the builder's blocks). Plain words only: table, column, event and code
    /// names belong in `analystTables`.
    func html(into page: inout HTMLBuilder)
    /// What the printed report adds after everything else (the dashboard's day-by-day table). Default: nothing.
    var printAppendix: [ReportBlock] { get }
    /// Adds the section's sheet(s) to the workbook.
    func addSheets(to workbook: Workbook) throws
    /// The section's CSV files: a name suffix (`channels`, `customers`...) and the table.
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
    public func forAudience(_ audience: Audience) -> any ReportSection { self }
    public var printAppendix: [ReportBlock] { [] }
    public var analystTables: [AnalystTable] { [] }
    public var glossary: [GlossaryEntry] { [] }
    public var summaryLines: [String] { [] }
}

/// A section a definition can name: registered in `ReportSections.all`, it knows its key and reads its own figures.
public protocol RegisteredSection: ReportSection {
    /// The name a report definition uses for it.
    static var key: String { get }
    /// Whether a definition without `sections` shows it (default true; a page of its own, like the kitchen plan, says
    /// false).
    static var inDefault: Bool { get }
    /// The section for this report, or nil when it has nothing to show (no targets set; top customers outside a day
    /// report; a section over the analytics tables when `source.warehouse` is nil).
    static func read(_ source: SectionSource) throws -> (any ReportSection)?
}

extension RegisteredSection {
    public var key: String { Self.key }
    public static var inDefault: Bool { true }
}

/// What a section is read from: the period's own figures, the definition, and the warehouse for the areas that keep
/// tables of their own (customers, campaigns, dishes...).
public struct SectionSource {
    public let report: PeriodReport
    public let definition: ReportDefinition
    /// The analytics database; nil when a report is rendered from its period's figures alone (tests, a section list
    /// handed over whole).
    public let warehouse: Connection?
    /// The campaign of `report --campaign ID`, for one campaign's page.
    public let campaign: Int64?

    public init(report: PeriodReport, definition: ReportDefinition, warehouse: Connection? = nil, campaign: Int64? = nil) {
        self.report = report; self.definition = definition; self.warehouse = warehouse; self.campaign = campaign
    }
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
