/// A section that a report shows beyond the daily figures (customers, campaigns, funnel...). Each renders itself
/// into the three formats, so a new area adds one type here and a reader in Warehouse, nothing else.
public protocol ReportSection {
    /// The section's heading, e.g. "Customers".
    var title: String { get }
    /// Appends the section to the HTML page (every value through the builder, which escapes it).
    func html(into page: inout HTMLBuilder)
    /// Adds the section's sheet(s) to the workbook.
    func addSheets(to workbook: Workbook) throws
    /// The section's CSV files: a name suffix (`customers`, `rfm`...) and the table.
    var csvTables: [(name: String, table: CSVTable)] { get }
}
