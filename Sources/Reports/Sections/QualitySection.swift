import Analytics
import Shop

/// The source records set aside in the period, in words (README, "Rejected rows"); the table names and reason codes
/// are in its analysts' table. In the workbook it is on the *Summary* cover when the report has a dashboard, else on a
/// sheet of its own.
public struct QualitySection: RegisteredSection {
    public static let key = "quality"
    public let report: PeriodReport
    /// Whether the workbook gets a *Data quality* sheet (false when the dashboard's cover says it).
    public let ownSheet: Bool
    public init(_ report: PeriodReport, ownSheet: Bool = true) { self.report = report; self.ownSheet = ownSheet }

    public static func read(_ source: SectionSource) throws -> (any ReportSection)? {
        QualitySection(source.report, ownSheet: !source.definition.shows(DashboardSection.key))
    }

    public var title: String { "Data quality" }
    private var t: ReportTables { ReportTables(report, audience: .full) }

    public func html(into b: inout HTMLBuilder) {
        let t = t
        if report.rejected.isEmpty {
            b.element("p", t.setAsideSentence, class: "ok")
        } else {
            b.element("p", t.setAsideSentence, class: "warn")
            b.table(header: ["Records", "Problem", "Set aside"], rows: t.setAside.map { [$0.records, $0.problem, CountText.grouped($0.rows)] }, numeric: [2])
        }
    }

    public func addSheets(to wb: Workbook) throws {
        guard ownSheet else { return }
        let s = try wb.addSheet(title)
        try s.setColumn(0, 0, width: 60); try s.setColumn(1, 1, width: 16)
        try s.write(0, 0, .text(title), wb.format(.title))
        _ = try writeLines(on: s, at: 2, note: wb.format(CellStyle(italic: true, fontColor: 0x5A6B62)))
        try s.printSetup()
    }

    /// `Data quality: <sentence>` at `row`, then a line per kind of record set aside, `Orders, 3 set aside: the total
    /// does not equal...`, one cell each with nothing to its right, so that the sentence shows whole on the cover's
    /// narrow first column (a count beside it cut the sentence off); returns the last row written.
    func writeLines(on sheet: Sheet, at row: Int, note: Format) throws -> Int {
        let t = t
        var row = row
        try sheet.write(row, 0, .text("Data quality: " + t.setAsideSentence), note)
        for line in t.setAsideLines {
            row += 1
            try sheet.write(row, 0, .text("  " + line))
        }
        return row
    }

    public var csvTables: [(name: String, table: CSVTable)] {
        [("rejected", CSVTable(header: ["Records", "Problem", "Rows set aside"], rows: t.setAside.map {
            [.text($0.records), .text($0.problem), .integer(Int64($0.rows))]
        }))]
    }

    public var analystTables: [AnalystTable] {
        [AnalystTable(
            title: "Source rows set aside",
            note: report.rejected.isEmpty ? "None in this period." : "Each row is kept with its reason, detail and raw text in analytics.rejected_rows (README, \"Rejected rows\").",
            header: ["Source table", "Reason code", "Rows", "Reason in words"],
            rows: report.rejected.map { [.text($0.source), .text($0.reason), .integer(Int64($0.count)), .text(PlainNames.reason($0.reason))] })]
    }

    public var glossary: [GlossaryEntry] {
        [GlossaryEntry("Records set aside", "Records from the shop's database that could not be trusted (for example a total that does not add up). They are left out of every figure and listed, with the reason, under For analysts.")]
    }
}
