/// Characters that must never reach a page, a workbook or a CSV file from the data: control characters (other than
/// tab, line feed and carriage return), DEL, the C1 controls, Unicode noncharacters (U+FDD0...U+FDEF and every
/// U+xxFFFE / U+xxFFFF), and the bidirectional embeddings, overrides and isolates (U+202A...U+202E,
/// U+2066...U+2069), which right-to-left names do not need and which, left open in a dish's name, showed the rest of
/// the kitchen's sentence backwards ("42 sold" read "24 sold"). HTML forbids the first, XML cannot hold them, and
/// they can hide or reorder what a reader sees;
/// cairo refuses the noncharacters, and a refused string stops every later drawing on its page (here, in `Drawing`,
/// so that the canvas cleans what it draws as the HTML, workbook and CSV writers do).
public enum DisplayText {
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        switch v {
        case 0x09, 0x0A, 0x0D: return false
        case 0x00...0x1F, 0x7F...0x9F, 0xFDD0...0xFDEF, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return v & 0xFFFE == 0xFFFE
        }
    }

    /// `s` with each unsafe character replaced by U+FFFD (the replacement character), so the reader sees that
    /// something was there.
    public static func cleaned(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: isUnsafe) else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars { out.append(isUnsafe(u) ? "\u{FFFD}" : u) }
        return String(out)
    }
}
