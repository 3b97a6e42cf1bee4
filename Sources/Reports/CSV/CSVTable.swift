import Drawing
import Foundation
import Shop

/// A CSV cell: numbers stay bare; text is quoted when needed and neutralised against formula injection.
public enum CSVCell: Sendable, Equatable {
    case text(String)
    case integer(Int64)
    case money(Money)
    case day(ShopDay)
    /// A fraction written as a percentage number with one decimal (`0.123` -> `12.3`), so it stays a number.
    case percent(Double)
    /// An exact number already formatted (`-12.50`): written as is, never neutralised like text.
    case decimal(String)
    case empty

    /// RFC 4180 text for the cell. A text cell that a spreadsheet would read as a formula (starting with
    /// `=`, `+`, `-`, `@`, tab or carriage return) gets a leading `'`, so it shows as text and never runs.
    public var encoded: String {
        switch self {
        case .integer(let v): return String(v)
        case .money(let m): return m.decimalString
        case .day(let d): return d.iso
        case .percent(let p): return String(format: "%.1f", p * 100)
        case .decimal(let d): return d
        case .empty: return ""
        case .text(let text):
            var s = DisplayText.cleaned(text)
            if let f = s.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(Character(f)) { s = "'" + s }
            // By scalar, not by Character: a line break written CR LF is one Character, equal to neither "\n" nor "\r",
            // and a quote mark followed by a combining accent is one Character that is not a quote mark, so neither was
            // quoted or doubled, and the rest of the value became cells (and formulas) of its own.
            if s.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                var quoted = String.UnicodeScalarView()
                quoted.append("\"")
                for u in s.unicodeScalars {
                    if u == "\"" { quoted.append("\"") }
                    quoted.append(u)
                }
                quoted.append("\"")
                return String(quoted)
            }
            return s
        }
    }
}

/// A table for CSV: a header and rows. `encoded` is RFC 4180 with CRLF line ends, UTF-8.
public struct CSVTable: Sendable {
    public var header: [String]
    public var rows: [[CSVCell]]

    public init(header: [String], rows: [[CSVCell]]) { self.header = header; self.rows = rows }

    public var encoded: String {
        var out = header.map { CSVCell.text($0).encoded }.joined(separator: ",") + "\r\n"
        for r in rows { out += r.map(\.encoded).joined(separator: ",") + "\r\n" }
        return out
    }
}
