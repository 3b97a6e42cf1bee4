/// One cell's content.
public enum CellValue: Hashable, Sendable {
    /// Always written as a string, even if it starts with `=` (never a formula).
    /// Strings over 32,767 characters are cut and end with "…".
    case text(String)
    /// Must be finite (NaN / ±infinity are rejected: Excel cannot store them).
    case number(Double)
    case integer(Int64)
    /// Exact francs from hundredths: `.money(hundredths: 123456750)` -> 1234567.5.
    /// Without an explicit format it gets `CellStyle.money`.
    case money(hundredths: Int64)
    /// A fraction: 0.125 shows as 12.5%. Without an explicit format it gets `CellStyle.percent`.
    case percent(Double)
    /// Days since 1970-01-01, written as a real Excel date serial
    /// (2026-11-23 -> 46349). Without an explicit format it gets `CellStyle.date`. A day Excel cannot show
    /// (before 1900-01-01, after 9999-12-31) is written as its ISO text instead.
    case date(epochDay: Int32)
    /// Nothing is written unless a format is given (then a formatted blank cell).
    case empty
}

extension CellValue {
    /// The number format a value of this kind needs to display correctly,
    /// used when the caller's format has none.
    var defaultStyle: CellStyle? {
        switch self {
        case .money: return .money
        case .percent: return .percent
        case .date: return .date
        default: return nil
        }
    }
}
