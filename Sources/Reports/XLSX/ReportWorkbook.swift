import Analytics
import Shop

/// A report as a workbook a manager can open on a phone: each of the definition's sections adds its sheets (the
/// dashboard a *Summary* cover with the KPIs and a *Daily* sheet), then *For analysts* and a *Glossary*; money in RWF
/// formats (numbers stay numbers), days as dates, frozen headers, autofilters, widths, native charts.
public struct ReportWorkbook {
    public let report: PeriodReport
    public let definition: ReportDefinition
    /// The definition's sections in its order (`ReportSections.arrange`), as this audience may see them.
    public let sections: [any ReportSection]
    public let audience: Audience

    /// `sections`: those read from the warehouse (customers, dishes...); the rest are made from `report`.
    public init(_ report: PeriodReport, definition: ReportDefinition, sections: [any ReportSection] = [], audience: Audience = .full) {
        self.report = report; self.definition = definition; self.audience = audience
        self.sections = ReportSections.arrange(report, definition: definition, given: sections).map { $0.forAudience(audience) }
    }

    public func write(to path: String) throws {
        let wb = try Workbook(path: path, title: "\(report.title): \(report.label)", author: "dusangire-analytics")
        for s in sections { try s.addSheets(to: wb) }
        let header = wb.format(.header)
        if definition.forAnalysts && sections.contains(where: { !$0.analystTables.isEmpty }) { try analystsSheet(wb, header) }
        try glossarySheet(wb, header)
        try wb.close()
    }

    /// "For analysts": every section's technical tables, one under the other, each with a bold title; the only sheet
    /// that names tables, codes, rules and model parameters.
    private func analystsSheet(_ wb: Workbook, _ header: Format) throws {
        let s = try wb.addSheet("For analysts")
        try s.setColumn(0, 0, width: 30); try s.setColumn(1, 7, width: 22)
        try s.write(0, 0, .text("For analysts: stored names, codes, rules and model parameters behind the report. Definitions: README of dusangire-analytics."),
                    wb.format(.title))
        var row = 2
        let note = wb.format(CellStyle(italic: true, fontColor: 0x5A6B62))
        for table in sections.flatMap(\.analystTables) {
            try s.write(row, 0, .text(table.title), wb.format(CellStyle(bold: true, fontSize: 12)))
            row += 1
            if let n = table.note { try s.write(row, 0, .text(n), note); row += 1 }
            if !table.rows.isEmpty {
                try s.writeHeader(row, table.header, format: header)
                row += 1
                for cells in table.rows { try s.writeRow(row, cells.map(\.cellValue)); row += 1 }
            }
            row += 1
        }
        try s.freezePanes(row: 1, col: 0)
        try s.printSetup(headerRows: 0...0)
    }

    /// "Glossary": every figure of the report in plain words.
    private func glossarySheet(_ wb: Workbook, _ header: Format) throws {
        let s = try wb.addSheet("Glossary")
        try s.setColumn(0, 0, width: 34); try s.setColumn(1, 1, width: 100)
        try s.writeHeader(0, ["Figure", "What it means"], format: header)
        let wrap = wb.format(CellStyle(wrap: true, verticalAlign: .top)), bold = wb.format(CellStyle(bold: true, wrap: true, verticalAlign: .top))
        for (i, e) in ReportSections.glossary(report, sections).enumerated() {
            try s.write(1 + i, 0, .text(e.figure), bold)
            try s.write(1 + i, 1, .text(e.meaning), wrap)
            let lines = max(Sheet.wrappedLines(e.meaning, width: 100), Sheet.wrappedLines(e.figure, width: 34))
            if lines > 1 { try s.setRowHeight(1 + i, height: Double(lines) * 15 + 2) }
        }
        try s.freezePanes(row: 1, col: 1)
        try s.printSetup(headerRows: 0...0)
    }
}

extension CSVCell {
    /// The same value as a spreadsheet cell (numbers stay numbers, days become dates).
    public var cellValue: CellValue {
        switch self {
        case .text(let s): .text(s)
        case .integer(let i): .integer(i)
        case .money(let m): .money(hundredths: m.hundredths)
        case .day(let d): .date(epochDay: d.epochDay)
        case .percent(let p): .percent(p)
        case .decimal(let d): Double(d).map { .number($0) } ?? .text(d)
        case .empty: .empty
        }
    }
}
