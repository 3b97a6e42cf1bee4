import Shop

/// A percentage, exact: an integer count of hundredths of a percent (`12.34%` is 1234), as `numeric(_,2)` columns
/// holding percentages store it.
public struct Percentage: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var hundredths: Int64

    public init(hundredths: Int64) { self.hundredths = hundredths }

    /// `part / whole` as a percentage, rounded half away from zero to the hundredth; nil when `whole` is 0. Exact for
    /// any `Int64` inputs; a result beyond `Int64` (only for absurd amounts) is clamped to ±`Int64.max` hundredths,
    /// which no `numeric` column of the warehouse holds, so it is reported as too wide rather than stored.
    public static func of(_ part: Int64, _ whole: Int64) -> Percentage? {
        guard whole != 0 else { return nil }
        let (scaled, overflow) = part.multipliedReportingOverflow(by: 10_000)
        if !overflow { return Percentage(hundredths: Money.roundedDivision(scaled, whole)) }
        // part × 10,000 needs 128 bits: divide the magnitudes in full width, rounding half away from zero as above.
        let d = whole.magnitude, wide = part.magnitude.multipliedFullWidth(by: 10_000)
        let negative = (part < 0) != (whole < 0)
        guard wide.high < d else { return Percentage(hundredths: negative ? -Int64.max : Int64.max) }
        var (q, r) = d.dividingFullWidth(wide)
        if r >= d - r && q < .max { q += 1 }  // 2r >= d without overflowing; a q of UInt64.max is clamped below anyway
        let clamped = Int64(min(q, UInt64(Int64.max)))
        return Percentage(hundredths: negative ? -clamped : clamped)
    }

    public static func < (a: Percentage, b: Percentage) -> Bool { a.hundredths < b.hundredths }

    /// `12.34`, exact, as PostgreSQL's numeric text.
    public var decimalString: String { Money(hundredths: hundredths).decimalString }

    /// `12.3%` for people (one decimal).
    public var description: String {
        let tenths = Money.roundedDivision(hundredths, 10)
        let mag = tenths.magnitude
        return (tenths < 0 ? "-" : "") + CountText.grouped(mag / 10) + "." + String(mag % 10) + "%"
    }

    /// The fraction (0.1234 for 12.34%), for spreadsheet percent cells only.
    public var fraction: Double { Double(hundredths) / 10_000 }

    /// Whether it fits `numeric(precision, 2)`.
    public func fits(precision: Int) -> Bool {
        var limit: Int64 = 1
        for _ in 0..<precision { limit *= 10 }
        return hundredths.magnitude < UInt64(limit)
    }
}
