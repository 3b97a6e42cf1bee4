import Drawing
import Foundation
import Shop

/// A bar chart: a title and one labelled value per bar. Drawn as inline SVG for the HTML page (`svg`), and on a
/// cairo canvas for the e-mail's PNG pictures and the PDF (`draw(on:x:y:width:height:)`); both share the geometry
/// here (axis scale, which labels show), so the three look alike.
public struct BarChart: Sendable {
    public var title: String
    /// Label and value of each bar; values are display units (e.g. whole francs).
    public var bars: [(label: String, value: Int64)]
    public var highlightLast = true
    /// Bars drawn left to right, one labelled row each (for long labels, e.g. channels and dishes), in every format.
    public var horizontal = false
    /// The SVG's own size (its viewBox): small, so that its 12-unit text stays at least 11 px on a 390 px phone.
    public var width = 360, height = 210

    public init(title: String, bars: [(label: String, value: Int64)], highlightLast: Bool = true, horizontal: Bool = false) {
        self.title = title; self.bars = bars; self.highlightLast = highlightLast; self.horizontal = horizontal
    }

    /// The height a horizontal chart needs at `fontSize`: its title and one row per bar.
    public func horizontalHeight(fontSize: Double = 12) -> Double { fontSize * 2.6 + Double(bars.count) * fontSize * 2.2 }

    static let barColor = 0x75B798 as UInt32, lastBarColor = 0x198754 as UInt32
    static let gridColor = 0xE3E8E5 as UInt32, inkColor = 0x5A6B62 as UInt32, titleColor = 0x1D2B24 as UInt32

    /// The axis maximum: the least of 1, 2, 4, 6 or 8 times a power of ten that is at least the largest bar and whose
    /// quarters (the gridlines) are whole and round: 2M, 4M (1M, 2M, 3M), never 5M, whose quarters read 1.2M and 3.8M
    /// and left a day of RWF 2.05M in the lower half of the chart.
    var scaleMax: Int64 {
        let v = max(bars.map(\.value).max() ?? 0, 1)
        var p: Int64 = 1
        while p <= Int64.max / 100 {
            for m: Int64 in [1, 2, 4, 6, 8] where (m * p) % 4 == 0 && m * p >= v { return m * p }
            p *= 10
        }
        return v
    }

    /// Which bars get a label under them: at most about six, always the last (ten bars had ten dates, which ran into
    /// each other on a phone).
    func labelled(_ i: Int) -> Bool {
        let step = max((bars.count + 5) / 6, 1)
        return i == bars.count - 1 || (i % step == 0 && bars.count - 1 - i >= step)
    }

    /// `1.2M`, `45k`, `9,500`.
    static func compact(_ v: Int64) -> String {
        if v >= 1_000_000 { return String(format: "%.1fM", Double(v) / 1_000_000) }
        if v >= 10_000 { return String(format: "%.0fk", Double(v) / 1000) }
        return Money(francs: v).groupedFrancs
    }

    /// The label split into lines of at most `columns` characters (at spaces), for few wide bars.
    static func wrap(_ label: String, columns: Int) -> [String] {
        var lines: [String] = [], line = ""
        for word in label.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > columns { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    private static func hex(_ c: UInt32) -> String { String(format: "#%06x", c) }

    /// Inline SVG (no scripts, no external assets), as wide as its box up to 560 px.
    public var svg: String {
        if horizontal { return svgHorizontal }
        let titleLines = self.titleLines, drop = 16 * (titleLines.count - 1)
        let left = 44, bottom = 40, top = 26 + drop, right = 6, font = 12
        let height = self.height + drop
        let plotW = width - left - right, plotH = height - top - bottom
        let scaleMax = self.scaleMax
        var s = opening(height: height, titleLines: titleLines)
        for k in 0...4 {
            let v = scaleMax * Int64(k) / 4
            let y = top + plotH - Int(Double(plotH) * Double(v) / Double(scaleMax))
            s += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(width - right)\" y2=\"\(y)\" stroke=\"\(Self.hex(Self.gridColor))\"/>"
            s += "<text x=\"\(left - 4)\" y=\"\(y + 4)\" font-size=\"\(font)\" text-anchor=\"end\" fill=\"\(Self.hex(Self.inkColor))\">\(HTML.escape(Self.compact(v)))</text>"
        }
        guard !bars.isEmpty else { return s + "</svg>" }
        let slot = Double(plotW) / Double(bars.count)
        let barW = max(slot * 0.75, 1)
        let columns = max(Int(slot / (Double(font) * 0.6)), 4)
        for (i, b) in bars.enumerated() {
            let h = Double(plotH) * Double(max(b.value, 0)) / Double(scaleMax)
            let x = Double(left) + Double(i) * slot + (slot - barW) / 2
            let y = Double(top + plotH) - h
            let color = highlightLast && i == bars.count - 1 ? Self.lastBarColor : Self.barColor
            s += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%@\">", x, y, barW, h, Self.hex(color))
            s += "<title>\(HTML.escape(b.label)): \(HTML.escape(Self.compact(b.value)))</title></rect>"
            if labelled(i) {
                if bars.count > 6 && i == bars.count - 1 && x + barW / 2 + 18 > Double(width) {  // keep the last label inside
                    s += String(format: "<text x=\"%d\" y=\"%d\" font-size=\"%d\" text-anchor=\"end\" fill=\"%@\">",
                                width, top + plotH + 15, font, Self.hex(Self.inkColor)) + HTML.escape(b.label) + "</text>"
                    continue
                }
                let lines = bars.count <= 6 ? Self.wrap(b.label, columns: columns) : [b.label]
                for (n, line) in lines.prefix(2).enumerated() {
                    s += String(format: "<text x=\"%.1f\" y=\"%d\" font-size=\"%d\" text-anchor=\"middle\" fill=\"%@\">",
                                x + barW / 2, top + plotH + 15 + 13 * n, font, Self.hex(Self.inkColor))
                    s += HTML.escape(line) + "</text>"
                }
            }
        }
        return s + "</svg>"
    }

    /// `text` in at most `limit` lines of at most `columns` characters (at spaces; a longer word, and what does not fit
    /// in the last line, are cut with "…").
    static func lines(_ text: String, columns: Int, limit: Int) -> [String] {
        func cut(_ line: String) -> String { String(line.prefix(max(columns - 1, 1))) + "…" }
        var out = wrap(text, columns: columns).map { $0.count > columns ? cut($0) : $0 }
        if out.count > limit {
            out = Array(out.prefix(limit))
            let last = out[limit - 1]
            out[limit - 1] = last.hasSuffix("…") ? last : (last.count < columns ? last + "…" : cut(last))
        }
        return out
    }

    /// The title in the lines the SVG draws it: up to two, of what 13-unit bold text fits across the chart (a campaign's
    /// name before ": coupon revenue per day (RWF)" ran past the chart's edge and was cut off there).
    var titleLines: [String] {
        let lines = Self.lines(title, columns: max(Int(Double(width) / (13 * 0.62)), 8), limit: 2)
        return lines.isEmpty ? [""] : lines
    }

    /// The SVG's opening: its size, its tooltip and its title, each line 16 units below the one before.
    func opening(height: Int, titleLines: [String]) -> String {
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" style=\"max-width:560px;display:block\" role=\"img\" aria-label=\"\(HTML.escape(title))\">"
        s += "<title>\(HTML.escape(title))</title>"
        for (n, line) in titleLines.enumerated() {
            s += "<text x=\"0\" y=\"\(14 + 16 * n)\" font-size=\"13\" font-weight=\"600\" fill=\"\(Self.hex(Self.titleColor))\">\(HTML.escape(line))</text>"
        }
        return s
    }

    /// The horizontal chart as inline SVG, one row per bar as the canvas draws it: the label on the left (at most two
    /// fifths of the width, in up to two lines, cut with "…" and clipped there, the whole label in the row's tooltip),
    /// then the bar and its value. Upright, ten dishes' names were each written under its bar, one over the other.
    var svgHorizontal: String {
        let titleLines = self.titleLines
        let font = 12, top = 26 + 16 * (titleLines.count - 1)
        let charWidth = Double(font) * 0.62
        let labelWidth = min(Double(bars.map(\.label.count).max() ?? 0) * charWidth + 8, Double(width) * 0.4)
        let valueWidth = Double(bars.map { Self.compact($0.value).count }.max() ?? 0) * charWidth + 6
        let barSpace = max(Double(width) - labelWidth - valueWidth, 1)
        let maxValue = Double(max(bars.map(\.value).max() ?? 0, 1))
        let fits = max(Int((labelWidth - 8) / charWidth), 2)
        let labels = bars.map { Self.lines($0.label, columns: fits, limit: 2) }
        let row = labels.contains { $0.count > 1 } ? 38 : 26
        let height = top + bars.count * row
        var s = opening(height: height, titleLines: titleLines)
        for (i, b) in bars.enumerated() {
            let y = top + i * row
            let w = max(barSpace * Double(max(b.value, 0)) / maxValue, b.value > 0 ? 1 : 0)
            let color = highlightLast && i == bars.count - 1 ? Self.lastBarColor : Self.barColor
            s += "<g><title>\(HTML.escape(b.label)): \(HTML.escape(Self.compact(b.value)))</title>"
            // A nested svg clips what is wider than the label's column (wide letters the estimate does not foresee).
            s += String(format: "<svg x=\"0\" y=\"%d\" width=\"%.1f\" height=\"%d\">", y, labelWidth - 6, row)
            for (n, line) in labels[i].enumerated() {
                let baseline = row / 2 + 4 + (labels[i].count > 1 ? (n == 0 ? -7 : 7) : 0)
                s += String(format: "<text x=\"0\" y=\"%d\" font-size=\"%d\" fill=\"%@\">", baseline, font, Self.hex(Self.inkColor))
                    + HTML.escape(line) + "</text>"
            }
            s += "</svg>"
            s += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%@\"/>",
                        labelWidth, Double(y) + Double(row) * 0.18, w, Double(row) * 0.64, Self.hex(color))
            s += String(format: "<text x=\"%.1f\" y=\"%d\" font-size=\"%d\" fill=\"%@\">", labelWidth + w + 4, y + row / 2 + 4, font,
                        Self.hex(Self.inkColor)) + HTML.escape(Self.compact(b.value)) + "</text></g>"
        }
        return s + "</svg>"
    }

    /// Draws the chart into the box (x, y, width, height) of a canvas, text at `fontSize`.
    public func draw(on c: Canvas, x: Double, y: Double, width: Double, height: Double, fontSize: Double = 12) {
        if horizontal { return drawHorizontal(on: c, x: x, y: y, width: width, fontSize: fontSize) }
        let small = Font(size: fontSize), ink = Color(Self.inkColor)
        let titleHeight = c.text(title, x: x, y: y, width: width, Font(size: fontSize + 1, bold: true), Color(Self.titleColor))
        let left = x + c.measure(Self.compact(scaleMax), small).width + 6
        let top = y + titleHeight + 8 + fontSize / 2
        let labelLines = bars.count <= 6 ? 2.0 : 1.0
        let bottom = y + height - labelLines * fontSize * 1.3 - 6
        let plotH = bottom - top, plotW = x + width - left
        for k in 0...4 {
            let v = scaleMax * Int64(k) / 4
            let ly = bottom - plotH * Double(v) / Double(scaleMax)
            c.line(from: left, ly, to: x + width, ly, Color(Self.gridColor), width: 0.75)
            c.text(Self.compact(v), x: left - 4, y: ly - fontSize * 0.65, small, ink, alignment: .right)
        }
        guard !bars.isEmpty else { return }
        let slot = plotW / Double(bars.count)
        let barW = max(slot * 0.75, 0.5)
        for (i, b) in bars.enumerated() {
            let h = plotH * Double(max(b.value, 0)) / Double(scaleMax)
            let bx = left + Double(i) * slot + (slot - barW) / 2
            c.fill(x: bx, y: bottom - h, width: barW, height: h,
                   Color(highlightLast && i == bars.count - 1 ? Self.lastBarColor : Self.barColor))
            if labelled(i) {
                if bars.count <= 6 {
                    c.text(b.label, x: bx + barW / 2 - slot / 2, y: bottom + 4, width: slot, small, ink, alignment: .center,
                           maxLines: 2)
                } else {
                    let half = c.measure(b.label, small).width / 2
                    c.text(b.label, x: min(bx + barW / 2, x + width - half), y: bottom + 4, small, ink, alignment: .center)
                }
            }
        }
    }

    private func drawHorizontal(on c: Canvas, x: Double, y: Double, width: Double, fontSize: Double) {
        let small = Font(size: fontSize), ink = Color(Self.inkColor)
        var top = y + c.text(title, x: x, y: y, width: width, Font(size: fontSize + 1, bold: true), Color(Self.titleColor)) + fontSize * 0.8
        let labelWidth = min((bars.map { c.measure($0.label, small).width }.max() ?? 0) + 8, width * 0.4)
        let valueWidth = (bars.map { c.measure(Self.compact($0.value), small).width }.max() ?? 0) + 6
        let barSpace = width - labelWidth - valueWidth
        let maxValue = Double(max(bars.map(\.value).max() ?? 0, 1))
        let row = fontSize * 2.2
        for (i, b) in bars.enumerated() {
            c.text(b.label, x: x, y: top + (row - fontSize * 1.25) / 2, width: labelWidth - 8, small, ink, maxLines: 2)
            let w = max(barSpace * Double(max(b.value, 0)) / maxValue, b.value > 0 ? 1 : 0)
            c.fill(x: x + labelWidth, y: top + row * 0.18, width: w, height: row * 0.64,
                   Color(highlightLast && i == bars.count - 1 ? Self.lastBarColor : Self.barColor))
            c.text(Self.compact(b.value), x: x + labelWidth + w + 4, y: top + (row - fontSize * 1.25) / 2, small, ink)
            top += row
        }
    }

    /// The chart as a PNG picture of `width` x `height` CSS pixels, at `scale` device pixels each.
    public func png(width: Double, height: Double, scale: Double = 3) throws -> [UInt8] {
        let height = horizontal ? horizontalHeight() + 16 : height
        let c = try Canvas.image(width: width, height: height, scale: scale)
        draw(on: c, x: 8, y: 8, width: width - 16, height: height - 16)
        return try c.pngBytes()
    }
}

