import Drawing

/// HTML escaping: every value that reaches a page goes through `HTML.escape`.
public enum HTML {
    /// Escapes `& < > " '` for element text and attribute values, and replaces the characters HTML forbids
    /// (`DisplayText.isUnsafe`: control characters, noncharacters such as U+FFFE) with U+FFFD.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(DisplayText.isUnsafe(ch) ? "\u{FFFD}" : ch)
            }
        }
        return out
    }

    /// The shared stylesheet: readable on a phone, printable, no external assets.
    static let style = """
        body{font-family:-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:0;background:#f4f6f4;color:#1d2b24}
        main{max-width:960px;margin:0 auto;padding:16px}
        header{background:#0f5132;color:#fff;padding:16px}
        header h1{margin:0;font-size:1.3em} header p{margin:4px 0 0;opacity:.85;font-size:.9em}
        h2{font-size:1.1em;margin:24px 0 8px;color:#0f5132}
        .cards{display:flex;flex-wrap:wrap;gap:8px}
        .card{background:#fff;border-radius:8px;padding:10px 12px;flex:1 1 28%;min-width:140px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
        .card .label{font-size:.8em;color:#5a6b62} .card .value{font-size:1.2em;font-weight:600;margin-top:2px;overflow-wrap:anywhere}
        .card .delta{font-size:.78em;margin-top:2px;color:#5a6b62} .up{color:#146c43} .down{color:#b02a37}
        .scroll{overflow-x:auto;background:#fff;border-radius:8px;box-shadow:0 1px 2px rgba(0,0,0,.08);max-width:100%}
        table{border-collapse:separate;border-spacing:0;width:100%;font-size:.9em}
        th,td{padding:6px 8px;border-bottom:1px solid #e3e8e5;text-align:left;white-space:nowrap;background:#fff}
        th{background:#e9f2ec;font-weight:600} td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        th:first-child,td:first-child{position:sticky;left:0;z-index:1;white-space:normal;min-width:96px;max-width:150px;border-right:1px solid #e3e8e5}
        .chart{background:#fff;border-radius:8px;padding:8px;box-shadow:0 1px 2px rgba(0,0,0,.08);margin:8px 0}
        .bar{background:#e3e8e5;border-radius:4px;width:72px;display:inline-block;vertical-align:middle}
        h1,h2,h3,p{overflow-wrap:anywhere}
        .note{font-size:.82em;color:#5a6b62} .ok{color:#146c43} .warn{color:#b02a37}
        footer{font-size:.78em;color:#5a6b62;margin:24px 0}
        """
}

/// A small HTML builder that escapes every text it is given. Besides the HTML it keeps the page's content as
/// `blocks` (headings, paragraphs, tables, charts), which the PDF lays out: one rendering, two formats that agree.
/// Raw markup is not in the blocks; what raw markup shows, the caller `record`s as a block itself.
public struct HTMLBuilder {
    public private(set) var html = ""
    public private(set) var blocks: [ReportBlock] = []

    public init() {}

    /// Markup written as is: only for literal markup and for SVG built from escaped values.
    public mutating func raw(_ s: String) { html += s }
    public mutating func text(_ s: String) { html += HTML.escape(s) }
    /// An element with text: `h2`/`h3` become PDF headings, anything else a paragraph (`class` sets its tone).
    public mutating func element(_ tag: String, _ text: String, class cls: String? = nil) {
        html += "<\(tag)\(cls.map { " class=\"\(HTML.escape($0))\"" } ?? "")>" + HTML.escape(text) + "</\(tag)>"
        switch tag {
        case "h1", "h2": blocks.append(.heading(text, level: 2))
        case "h3", "h4": blocks.append(.heading(text, level: 3))
        default: blocks.append(.paragraph(text, tone: ReportBlock.Tone(cls)))
        }
    }

    /// Adds a block for the PDF only (the caller wrote its HTML with `raw`).
    public mutating func record(_ block: ReportBlock) { blocks.append(block) }

    /// A bar chart: inline SVG in the page, drawn as vectors in the PDF.
    public mutating func chart(_ chart: BarChart) {
        html += "<div class=\"chart\">" + chart.svg + "</div>"
        blocks.append(.chart(chart))
    }

    /// A table; `numeric` marks right-aligned columns. On a narrow screen it scrolls inside its own box with the
    /// first column fixed.
    public mutating func table(header: [String], rows: [[String]], numeric: Set<Int> = []) {
        blocks.append(.table(header: header, rows: rows, numeric: numeric))
        raw("<div class=\"scroll\"><table><thead><tr>")
        for (i, h) in header.enumerated() { raw(numeric.contains(i) ? "<th class=\"num\">" : "<th>"); text(h); raw("</th>") }
        raw("</tr></thead><tbody>")
        for r in rows {
            raw("<tr>")
            for (i, c) in r.enumerated() { raw(numeric.contains(i) ? "<td class=\"num\">" : "<td>"); text(c); raw("</td>") }
            raw("</tr>")
        }
        raw("</tbody></table></div>")
    }
}
