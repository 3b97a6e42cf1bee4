import Analytics
import Drawing
import Foundation
import Shop

/// A report as an A4 PDF: the same content as the HTML page (its `HTMLBuilder.blocks`), laid out for print, then the
/// sections' `printAppendix` (the dashboard's day-by-day table). Charts are drawn as vectors; a table that does not fit on a page continues on the next with its
/// header row repeated; a heading never ends a page. Every page has a footer with the report and the page number.
public struct ReportPDF {
    public let html: ReportHTML

    public init(_ report: PeriodReport, definition: ReportDefinition, sections: [any ReportSection] = [], audience: Audience = .full) {
        html = ReportHTML(report, definition: definition, sections: sections, audience: audience)
    }

    /// A4 in points, and the margins.
    static let pageWidth = 595.28, pageHeight = 841.89, margin = 40.0
    static let green = Color(0x0F5132), ink = Color(0x1D2B24), muted = Color(0x5A6B62), rule = Color(0xE3E8E5)
    static let headerFill = Color(0xE9F2EC), good = Color(0x146C43), bad = Color(0xB02A37)

    /// Writes the PDF to `path`.
    public func write(to path: String) throws {
        let canvas = try Canvas.pdf(path: path, width: Self.pageWidth, height: Self.pageHeight)
        var layout = Layout(canvas: canvas, footer: "\(html.report.title): \(html.report.label)")
        layout.banner(title: html.report.title, subtitle: "\(html.report.label). Shop days in \(html.report.timeZone); amounts in Rwandan francs (RWF).")
        let page = html.page
        for block in page.blocks { layout.add(block) }
        for block in html.sections.flatMap(\.printAppendix) { layout.add(block) }
        layout.finishPage()
        try canvas.finish()
    }

    /// The page cursor: where the next block goes, and a new page when it does not fit.
    struct Layout {
        let canvas: Canvas
        let footer: String
        var y = ReportPDF.margin
        var pageNumber = 1
        let left = ReportPDF.margin
        let width = ReportPDF.pageWidth - 2 * ReportPDF.margin
        let bottom = ReportPDF.pageHeight - ReportPDF.margin - 14

        init(canvas: Canvas, footer: String) { self.canvas = canvas; self.footer = footer }

        mutating func finishPage() {
            let font = Font(size: 7.5), page = "Page \(pageNumber)"
            canvas.line(from: left, bottom + 6, to: left + width, bottom + 6, ReportPDF.rule, width: 0.5)
            canvas.text(oneLine(footer, font, width: width - canvas.measure(page, font).width - 12), x: left, y: bottom + 10, font, ReportPDF.muted)
            canvas.text(page, x: left + width, y: bottom + 10, font, ReportPDF.muted, alignment: .right)
        }

        /// `text` as is when it fits `width` on one line, else its longest start that fits with "…" after it (a long
        /// campaign name in the footer ran over the page number and off the page).
        func oneLine(_ text: String, _ font: Font, width: Double) -> String {
            guard canvas.measure(text, font).width > width else { return text }
            let chars = Array(text)
            var fits = 0, tooLong = chars.count
            while tooLong - fits > 1 {
                let mid = (fits + tooLong) / 2
                if canvas.measure(String(chars[..<mid]) + "…", font).width <= width { fits = mid } else { tooLong = mid }
            }
            return String(chars[..<fits]) + "…"
        }

        mutating func newPage() {
            finishPage()
            canvas.newPage()
            pageNumber += 1
            y = ReportPDF.margin
        }

        /// Headings not drawn yet: a heading is kept with the start of the block after it, so it never ends a page.
        var pendingHeadings: [(text: String, level: Int)] = []

        /// Starts a new page unless `height` more points (and the headings waiting for this block) fit on this one;
        /// then draws those headings.
        mutating func ensure(_ height: Double) {
            let headings = pendingHeadings.map { headingHeight($0.text, $0.level) }.reduce(0, +)
            if y + headings + height > bottom && y > ReportPDF.margin { newPage() }
            let waiting = pendingHeadings
            pendingHeadings = []
            for h in waiting { drawHeading(h.text, h.level) }
        }

        func headingFont(_ level: Int) -> Font { Font(size: level <= 2 ? 13 : 10.5, bold: true) }

        func headingHeight(_ text: String, _ level: Int) -> Double {
            (level <= 2 ? 12 : 6) + canvas.measure(text, headingFont(level), width: width).height + 4
        }

        mutating func drawHeading(_ text: String, _ level: Int) {
            y += level <= 2 ? 12 : 6
            y += canvas.text(text, x: left, y: y, width: width, headingFont(level), level <= 2 ? ReportPDF.green : ReportPDF.ink) + 4
        }

        mutating func banner(title: String, subtitle: String) {
            let sub = Font(size: 9), big = Font(size: 16, bold: true)
            // The title wraps in the banner (a campaign's page adds the campaign's name, up to 200 characters); each
            // line after the first adds its height.
            let more = canvas.measure(title, big, width: width - 24).height - canvas.measure("T", big).height
            let h = 14 + 18 + more + 4 + canvas.measure(subtitle, sub, width: width - 24).height + 12
            canvas.fill(x: left, y: y, width: width, height: h, ReportPDF.green, radius: 4)
            canvas.text(title, x: left + 12, y: y + 12, width: width - 24, big, Color(0xFFFFFF))
            canvas.text(subtitle, x: left + 12, y: y + 36 + more, width: width - 24, sub, Color(0xDDEBE3))
            y += h + 6
        }

        mutating func add(_ block: ReportBlock) {
            switch block {
            case .heading(let text, let level):
                pendingHeadings.append((text, level))  // drawn by the next block's `ensure`
            case .paragraph(let text, let tone):
                let font = Font(size: tone == .plain ? 9.5 : 8.5)
                let color = tone == .ok ? ReportPDF.good : (tone == .warn ? ReportPDF.bad : (tone == .note ? ReportPDF.muted : ReportPDF.ink))
                let h = canvas.measure(text, font, width: width).height
                ensure(h)
                y += canvas.text(text, x: left, y: y, width: width, font, color) + 6
            case .chart(let chart):
                // A horizontal chart takes a row per bar: ten dishes need 197 points at this size, not 170.
                let height = chart.horizontal ? max(170, chart.horizontalHeight(fontSize: 8)) : 170
                ensure(height + 10)
                chart.draw(on: canvas, x: left, y: y, width: width, height: height, fontSize: 8)
                y += height + 10
            case .cards(let cards):
                self.cards(cards)
            case .progress(let rows):
                progress(rows)
            case .table(let header, let rows, let numeric):
                table(header: header, rows: rows, numeric: numeric)
            case .heatMap(let rows, let columns, let values):
                heatMap(rows: rows, columns: columns, values: values)
            }
        }

        /// A grid of cells shaded from white (nothing) to the report's green (the largest value), the count in each.
        mutating func heatMap(rows: [String], columns: [String], values: [[Int]]) {
            let font = Font(size: 6.5), labelWidth = 28.0, cell = (width - labelWidth) / Double(max(columns.count, 1)), h = 13.0
            ensure(h * Double(rows.count + 1) + 8)
            let top = max(values.flatMap { $0 }.max() ?? 0, 1)
            for (i, c) in columns.enumerated() {
                canvas.text(c, x: left + labelWidth + Double(i) * cell, y: y + 3, width: cell, font, ReportPDF.muted, alignment: .right)
            }
            y += h
            for (r, label) in rows.enumerated() {
                canvas.text(label, x: left, y: y + 3, font, ReportPDF.ink)
                for (i, v) in (r < values.count ? values[r] : []).enumerated() where i < columns.count {
                    let f = Double(v) / Double(top)
                    func mix(_ from: Double, _ to: Double) -> UInt32 { UInt32((from + (to - from) * f).rounded()) }
                    let color = Color(mix(0xFF, 0x0F) << 16 | mix(0xFF, 0x51) << 8 | mix(0xFF, 0x32))
                    let x = left + labelWidth + Double(i) * cell
                    canvas.fill(x: x, y: y, width: cell - 1, height: h - 1, color)
                    if v > 0 { canvas.text(String(v), x: x, y: y + 3, width: cell - 2, font, f > 0.55 ? Color(0xFFFFFF) : ReportPDF.ink, alignment: .right) }
                }
                y += h
            }
            y += 8
        }

        mutating func cards(_ cards: [ReportBlock.Card]) {
            let perRow = 3, gap = 8.0
            let w = (width - gap * Double(perRow - 1)) / Double(perRow)
            let label = Font(size: 8), value = Font(size: 13, bold: true), line = Font(size: 7.5)
            for start in stride(from: 0, to: cards.count, by: perRow) {
                let row = cards[start..<min(start + perRow, cards.count)]
                let h = row.map { c in
                    16 + canvas.measure(c.label, label, width: w - 16).height + canvas.measure(c.value, value, width: w - 16).height
                        + Double(c.lines.count) * 10
                }.max() ?? 0
                ensure(h + gap)
                for (i, c) in row.enumerated() {
                    let x = left + Double(i) * (w + gap)
                    canvas.fill(x: x, y: y, width: w, height: h, Color(0xF4F6F4), radius: 4)
                    var cy = y + 8
                    cy += canvas.text(c.label, x: x + 8, y: cy, width: w - 16, label, ReportPDF.muted)
                    cy += canvas.text(c.value, x: x + 8, y: cy, width: w - 16, value, ReportPDF.ink)
                    for l in c.lines {
                        let color = l.tone == .ok ? ReportPDF.good : (l.tone == .warn ? ReportPDF.bad : ReportPDF.muted)
                        cy += canvas.text(l.text, x: x + 8, y: cy, width: w - 16, line, color) - 0.5
                    }
                }
                y += h + gap
            }
        }

        mutating func progress(_ rows: [ReportBlock.Progress]) {
            table(header: ["Target", "Goal", "Actual", "Progress"], rows: rows.map { r in
                [r.label, r.goal, r.actual, r.percent]
            }, numeric: [1, 2, 3], bars: rows.map(\.fraction))
        }

        /// A table: columns as wide as their content (shrunk in proportion when the page is too narrow, text then
        /// wrapping), rows that continue on the next page under a repeated header.
        mutating func table(header: [String], rows: [[String]], numeric: Set<Int>, bars: [Double?]? = nil) {
            guard !header.isEmpty else { return }
            var size = 8.0
            let pad = 4.0
            let extra = { (i: Int) in bars != nil && i == 3 ? 60.0 : 0 }
            /// Per column: the width without wrapping, and the narrowest it may be (its widest word).
            func bounds(_ size: Double) -> (full: [Double], least: [Double]) {
                var full: [Double] = [], least: [Double] = []
                for i in header.indices {
                    let texts = [(header[i], Font(size: size, bold: true))] + rows.map { (i < $0.count ? $0[i] : "", Font(size: size)) }
                    full.append((texts.map { canvas.measure($0.0, $0.1).width }.max() ?? 0) + 2 * pad + extra(i))
                    least.append((texts.flatMap { t in t.0.split(separator: " ").map { canvas.measure(String($0), t.1).width } }.max() ?? 0)
                                 + 2 * pad + extra(i))
                }
                return (full, least)
            }
            var (full, least) = bounds(size)
            while least.reduce(0, +) > width && size > 6.5 {
                size -= 0.5
                (full, least) = bounds(size)
            }
            var widths: [Double]
            let fullTotal = full.reduce(0, +), leastTotal = least.reduce(0, +)
            if fullTotal <= width {
                widths = full.map { $0 + (width - fullTotal) * $0 / fullTotal }
            } else if leastTotal <= width {
                // Columns wrap in proportion to how much they can give.
                let slack = fullTotal - leastTotal
                widths = zip(full, least).map { f, l in l + (width - leastTotal) * (f - l) / slack }
            } else {
                // A word wider than the page (a long name without spaces) is cut between characters: the columns that
                // hold such words share what the others leave, and the others keep their widest word, where scaling
                // every column down cut "Status" into "Statu s".
                var cap = width, left = width
                for (k, l) in least.sorted().enumerated() {
                    let share = left / Double(least.count - k)
                    if l > share { cap = share; break }
                    left -= l
                }
                widths = least.map { min($0, cap) }
            }
            let body = Font(size: size), bold = Font(size: size, bold: true)
            func rowHeight(_ cells: [String], _ font: Font) -> Double {
                cells.enumerated().map { i, c in
                    i < widths.count ? canvas.measure(c, font, width: widths[i] - 2 * pad).height : 0
                }.max().map { $0 + 2 * pad } ?? 0
            }
            let headerHeight = rowHeight(header, bold)
            func drawHeader() {
                canvas.fill(x: left, y: y, width: width, height: headerHeight, ReportPDF.headerFill)
                var x = left
                for (i, h) in header.enumerated() {
                    canvas.text(h, x: x + pad, y: y + pad, width: widths[i] - 2 * pad, bold, ReportPDF.ink,
                                alignment: numeric.contains(i) ? .right : .left)
                    x += widths[i]
                }
                y += headerHeight
            }
            // A short table stays whole; a long one starts with at least three rows under its header.
            let opening = rows.prefix(rows.count <= 6 ? rows.count : 3).map { rowHeight($0, body) }.reduce(0, +)
            ensure(headerHeight + opening + 4)
            drawHeader()
            for (r, cells) in rows.enumerated() {
                let h = rowHeight(cells, body)
                if y + h > bottom {
                    newPage()
                    drawHeader()
                }
                var x = left
                for (i, c) in cells.enumerated() where i < widths.count {
                    if let bars, i == 3, r < bars.count {
                        let f = min(max(bars[r] ?? 0, 0), 1)
                        let color = f >= 1 ? Color(0x198754) : (f >= 0.8 ? Color(0xE0A800) : ReportPDF.bad)
                        canvas.fill(x: x + pad, y: y + h / 2 - 3, width: 52, height: 6, ReportPDF.rule, radius: 0)
                        canvas.fill(x: x + pad, y: y + h / 2 - 3, width: 52 * f, height: 6, color)
                    }
                    canvas.text(c, x: x + pad, y: y + pad, width: widths[i] - 2 * pad, body, ReportPDF.ink,
                                alignment: numeric.contains(i) ? .right : .left)
                    x += widths[i]
                }
                canvas.line(from: left, y + h, to: left + width, y + h, ReportPDF.rule, width: 0.5)
                y += h
            }
            y += 8
        }
    }
}
