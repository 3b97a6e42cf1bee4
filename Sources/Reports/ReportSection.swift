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
    /// Appends the section to the HTML page (every value through the builder, which escapes it).
    func html(into page: inout HTMLBuilder)
    /// Adds the section's sheet(s) to the workbook.
    func addSheets(to workbook: Workbook) throws
    /// The section's CSV files: a name suffix (`customers`, `rfm`...) and the table.
    var csvTables: [(name: String, table: CSVTable)] { get }
}

extension ReportSection {
    public var key: String { String(title.lowercased().prefix { $0.isLetter }) }
    public func forAudience(_ audience: Audience) -> any ReportSection { self }
}
