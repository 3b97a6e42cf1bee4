/// Excel sheet-name rules, applied in Swift before libxlsxwriter sees a name:
/// at most 31 characters, none of `[ ] : * ? / \`, no leading/trailing
/// apostrophe, not blank, not "History", unique ignoring case.
enum SheetName {
    static let maxLength = 31

    /// A valid, unique version of `requested`, readable for a manager:
    /// "Daily revenue: Nov/2026" -> "Daily revenue - Nov-2026".
    static func sanitise(_ requested: String, existing: [String]) -> String {
        var cleaned = ""
        for ch in requested {
            switch ch {
            case "[": cleaned.append("(")
            case "]": cleaned.append(")")
            case "/", "\\": cleaned.append("-")
            case ":": cleaned.append(" -")
            case "*", "?": cleaned.append(" ")
            default:
                if ch.unicodeScalars.allSatisfy({ $0.properties.generalCategory != .control }) {
                    cleaned.append(ch)
                } else {
                    cleaned.append(" ")
                }
            }
        }
        // Collapse runs of whitespace, trim, and drop apostrophes at the ends.
        cleaned = cleaned.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        while cleaned.first == "'" { cleaned.removeFirst() }
        while cleaned.last == "'" { cleaned.removeLast() }
        cleaned = trim(cleaned)
        if cleaned.isEmpty { cleaned = "Sheet" }
        if cleaned.lowercased() == "history" { cleaned = "History (data)" }

        let taken = Set(existing.map { $0.lowercased() })
        var candidate = truncated(cleaned, to: maxLength)
        var n = 2
        while taken.contains(candidate.lowercased()) {
            let suffix = " (\(n))"
            candidate = trim(truncated(cleaned, to: maxLength - suffix.count)) + suffix
            n += 1
        }
        return candidate
    }

    /// Cut at a character boundary so that both the UTF-16 length (Excel) and the
    /// code point count (libxlsxwriter) are at most `limit`.
    static func truncated(_ s: String, to limit: Int) -> String {
        if s.utf16.count <= limit { return s }
        var out = ""
        var units = 0
        for ch in s {
            let u = ch.utf16.count
            if units + u > limit { break }
            out.append(ch)
            units += u
        }
        while out.last == "'" { out.removeLast() }
        return trim(out)
    }
}

extension SheetName {
    static func trim(_ string: String) -> String {
        var s = Substring(string)
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}
