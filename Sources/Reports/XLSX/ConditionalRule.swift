/// A conditional format over a range (works in constant-memory mode too).
public enum ConditionalRule: Hashable, Sendable {
    public enum Comparison: Hashable, Sendable {
        case equal, notEqual, greaterThan, lessThan, greaterOrEqual, lessOrEqual
    }

    /// Cells whose value compares true against `value` get `style`
    /// (only font colour/bold/italic, background, border and number format apply).
    /// For money cells compare against francs (hundredths / 100).
    case cell(Comparison, Double, style: CellStyle)
    /// Cells with `low <= value <= high` get `style`.
    case between(Double, Double, style: CellStyle)
    /// Two-colour scale from the lowest to the highest value.
    case twoColorScale(low: UInt32, high: UInt32)
    /// Three-colour scale (lowest, 50th percentile, highest).
    case threeColorScale(low: UInt32, mid: UInt32, high: UInt32)
    /// In-cell data bars, from the lowest to the highest value in the range, or over `scale` when given (a progress
    /// bar: 0...1, so that 71 % fills 71 % of the cell whatever the other cells hold; values beyond fill it or none).
    case dataBar(color: UInt32, scale: ClosedRange<Double>? = nil)

    /// Red (low) - yellow - green (high): the usual "good is green" scale.
    public static let redYellowGreen = ConditionalRule.threeColorScale(
        low: 0xF8696B, mid: 0xFFEB84, high: 0x63BE7B)
    /// Green (low) - yellow - red (high): for costs, refunds, waste.
    public static let greenYellowRed = ConditionalRule.threeColorScale(
        low: 0x63BE7B, mid: 0xFFEB84, high: 0xF8696B)

    /// Light red fill, dark red text (Excel's "bad" look).
    public static let badStyle = CellStyle(fontColor: 0x9C0006, background: 0xFFC7CE)
    /// Light green fill, dark green text (Excel's "good" look).
    public static let goodStyle = CellStyle(fontColor: 0x006100, background: 0xC6EFCE)
}
