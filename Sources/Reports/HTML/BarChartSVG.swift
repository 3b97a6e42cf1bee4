import Foundation

/// An inline SVG bar chart (no scripts, no external assets), for mail clients and phones.
public struct BarChartSVG {
    public var title: String
    /// Label and value of each bar; values are display units (e.g. whole francs).
    public var bars: [(label: String, value: Int64)]
    public var highlightLast = true
    public var width = 900, height = 260

    public init(title: String, bars: [(label: String, value: Int64)], highlightLast: Bool = true) {
        self.title = title; self.bars = bars; self.highlightLast = highlightLast
    }

    public var svg: String {
        let left = 70, bottom = 40, top = 28, right = 10
        let plotW = width - left - right, plotH = height - top - bottom
        let maxValue = max(bars.map(\.value).max() ?? 0, 1)
        let scaleMax = niceCeiling(maxValue)
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" role=\"img\" aria-label=\"\(HTML.escape(title))\">"
        s += "<title>\(HTML.escape(title))</title>"
        s += "<text x=\"\(left)\" y=\"18\" font-size=\"14\" font-weight=\"600\" fill=\"#1d2b24\">\(HTML.escape(title))</text>"
        for k in 0...4 {
            let v = scaleMax * Int64(k) / 4
            let y = top + plotH - Int(Double(plotH) * Double(v) / Double(scaleMax))
            s += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(width - right)\" y2=\"\(y)\" stroke=\"#e3e8e5\"/>"
            s += "<text x=\"\(left - 6)\" y=\"\(y + 4)\" font-size=\"11\" text-anchor=\"end\" fill=\"#5a6b62\">\(HTML.escape(compact(v)))</text>"
        }
        guard !bars.isEmpty else { return s + "</svg>" }
        let slot = Double(plotW) / Double(bars.count)
        let barW = max(slot * 0.75, 1)
        for (i, b) in bars.enumerated() {
            let h = Double(plotH) * Double(max(b.value, 0)) / Double(scaleMax)
            let x = Double(left) + Double(i) * slot + (slot - barW) / 2
            let y = Double(top + plotH) - h
            let color = highlightLast && i == bars.count - 1 ? "#198754" : "#75b798"
            s += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%@\">", x, y, barW, h, color)
            s += "<title>\(HTML.escape(b.label)): \(HTML.escape(compact(b.value)))</title></rect>"
            if i % max(bars.count / 6, 1) == 0 || i == bars.count - 1 {
                s += String(format: "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" fill=\"#5a6b62\">", x + barW / 2, height - bottom + 16)
                s += HTML.escape(b.label) + "</text>"
            }
        }
        return s + "</svg>"
    }

    private func niceCeiling(_ v: Int64) -> Int64 {
        var p: Int64 = 1
        while p * 10 <= v { p *= 10 }
        for m: Int64 in [1, 2, 5, 10] where m * p >= v { return m * p }
        return 10 * p
    }

    private func compact(_ v: Int64) -> String {
        if v >= 1_000_000 { return String(format: "%.1fM", Double(v) / 1_000_000) }
        if v >= 10_000 { return String(format: "%.0fk", Double(v) / 1000) }
        return String(v)
    }
}
