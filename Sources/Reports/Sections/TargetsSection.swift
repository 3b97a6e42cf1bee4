import Analytics
import Shop

/// The definition's goals for the period, as progress: green when reached, amber from 80 %, red below (README,
/// "Reports"). Left out when the definition sets no target.
public struct TargetsSection: RegisteredSection {
    public static let key = "targets"
    public let report: PeriodReport
    public init(_ report: PeriodReport) { self.report = report }

    public static func read(_ source: SectionSource) throws -> (any ReportSection)? {
        source.report.targets.isEmpty ? nil : TargetsSection(source.report)
    }

    public var title: String { "Targets" }
    private var rows: [ReportTables.TargetRow] { ReportTables(report, audience: .full).targets }

    public func html(into b: inout HTMLBuilder) {
        let rows = rows
        b.record(.progress(rows.map {
            ReportBlock.Progress(label: $0.kpi.label, goal: ReportTables.show($0.kpi, $0.goal), actual: ReportTables.show($0.kpi, $0.actual),
                                 fraction: $0.progress, percent: $0.progressText(decimals: 1))
        }))
        b.raw("<div class=\"scroll\"><table><thead><tr><th>Target</th><th class=\"num\">Goal</th><th class=\"num\">Actual</th><th>Progress</th></tr></thead><tbody>")
        for row in rows {
            let p = row.progress ?? 0
            let width = row.barPercent
            let color = p >= 1 ? "#198754" : (p >= 0.8 ? "#e0a800" : "#b02a37")
            b.raw("<tr><td>"); b.text(row.kpi.label); b.raw("</td><td class=\"num\">"); b.text(ReportTables.show(row.kpi, row.goal))
            b.raw("</td><td class=\"num\">"); b.text(ReportTables.show(row.kpi, row.actual)); b.raw("</td><td>")
            b.raw("<div class=\"bar\">")
            b.raw("<div style=\"background:\(color);height:10px;border-radius:4px;width:\(width)%\"></div></div> ")
            b.text(row.progressText(decimals: 1))
            b.raw("</td></tr>")
        }
        b.raw("</tbody></table></div>")
    }

    public func addSheets(to wb: Workbook) throws {
        let rows = rows
        let s = try wb.addSheet("Targets")
        try s.setColumn(0, 0, width: 34); try s.setColumn(1, 3, width: 18)
        try s.writeHeader(0, ["Target", "Goal", "Actual", "Progress"], format: wb.format(.header))
        func cell(_ k: KPI, _ units: Int64) -> CellValue { k.isMoney ? .money(hundredths: units) : .integer(units) }
        for (i, row) in rows.enumerated() {
            // The share as the page shows it (99.9%, rounded down at the format's one decimal), so the cell never reads
            // 100.0% for a goal not reached.
            let shown = row.progressPercent(decimals: 1).flatMap(Double.init).map { CellValue.percent(($0 * 10).rounded() / 1000) } ?? .empty
            try s.writeRow(1 + i, [.text(row.kpi.label), cell(row.kpi, row.goal), cell(row.kpi, row.actual), shown])
        }
        // Each bar is its own share of the goal: 71 % fills 71 % of the cell (scaled to the range, the lowest target's bar
        // was empty and the highest one full).
        try s.conditionalFormat(.dataBar(color: 0x198754, scale: 0...1), firstRow: 1, firstCol: 3, lastRow: rows.count, lastCol: 3)
        try s.conditionalFormat(.cell(.greaterOrEqual, 1, style: ConditionalRule.goodStyle), firstRow: 1, firstCol: 3, lastRow: rows.count, lastCol: 3)
        try s.freezePanes(row: 1, col: 1)
        try s.printSetup(headerRows: 0...0)
    }

    public var csvTables: [(name: String, table: CSVTable)] {
        [("targets", CSVTable(header: ["Target", "Goal", "Actual", "Progress (%)"], rows: rows.map {
            [.text($0.kpi.label), ReportTables.cell($0.kpi, $0.goal), ReportTables.cell($0.kpi, $0.actual),
             $0.progressPercent(decimals: 1).map { .decimal($0) } ?? .empty]
        }))]
    }

    public var glossary: [GlossaryEntry] {
        [GlossaryEntry("Targets", "Goals set for the \(report.period.noun). Progress is the actual figure as a share of the goal: green when reached, amber from 80 %, red below.")]
    }
}
