import Analytics
import Foundation
import Shop

/// A report as one self-contained HTML page: inline CSS and inline SVG charts, no scripts, no external assets,
/// readable on a phone and in mail clients. Every value goes through `HTMLBuilder`, which escapes it.
public struct ReportHTML {
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

    public var html: String { page.html }

    /// The page as the builder wrote it: the HTML and its content blocks (which the PDF lays out).
    public var page: HTMLBuilder {
        let r = report
        var b = HTMLBuilder()
        b.raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        b.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        b.raw("<title>"); b.text("\(r.title): \(r.label)"); b.raw("</title>")
        b.raw("<style>\(HTML.style)</style></head><body>")
        b.raw("<header><h1>"); b.text(r.title); b.raw("</h1><p>")
        b.text("\(r.label). Shop days in \(r.timeZone); amounts in Rwandan francs (RWF).")
        if r.current.daysComputed < r.range.count {
            b.text(" Only \(r.current.daysComputed) of the period's \(CountText.of(r.range.count, "day")) are computed so far.")
        }
        b.raw("</p></header><main>")
        for s in sections {
            b.element("h2", s.title)
            s.html(into: &b)
        }
        if definition.forAnalysts && sections.contains(where: { !$0.analystTables.isEmpty }) { analysts(&b) }
        b.raw("<footer>")
        b.text("A sale is a delivered order that was not refunded, counted on the shop day it was created (\(r.timeZone)). "
               + "Changes compare with \(r.comparisons.map(\.phrase).joined(separator: " and with ")). Definitions: README of dusangire-analytics.")
        b.raw("</footer></main></body></html>\n")
        return b
    }

    /// The "For analysts" section: the only part of the page that names tables, codes, rules and model parameters.
    private func analysts(_ b: inout HTMLBuilder) {
        b.raw("<section id=\"for-analysts\">")
        b.element("h2", "For analysts")
        b.element("p", "Technical detail behind the figures above: stored names and codes, rules and model parameters. Definitions: README of dusangire-analytics.", class: "note")
        for table in sections.flatMap(\.analystTables) {
            b.element("h3", table.title)
            if let note = table.note { b.element("p", note, class: "note") }
            if !table.rows.isEmpty {
                let numeric = Set(table.rows[0].indices.filter { i in table.rows.allSatisfy { i < $0.count && $0[i].isNumber } })
                b.table(header: table.header, rows: table.rows.map { $0.map(\.plain) }, numeric: numeric)
            }
        }
        b.raw("</section>")
    }
}
