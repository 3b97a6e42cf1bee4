/// An amount of Rwandan francs, exact: an integer count of hundredths, as the shop's `numeric(10,2)` columns
/// store it. Never a floating-point number.
public struct Money: Hashable, Comparable, Sendable, AdditiveArithmetic, CustomStringConvertible {
    public var hundredths: Int64

    public init(hundredths: Int64) { self.hundredths = hundredths }
    public init(francs: Int64) { self.hundredths = francs * 100 }

    public static let zero = Money(hundredths: 0)
    public static func + (a: Money, b: Money) -> Money { Money(hundredths: a.hundredths + b.hundredths) }
    public static func - (a: Money, b: Money) -> Money { Money(hundredths: a.hundredths - b.hundredths) }
    public static func += (a: inout Money, b: Money) { a.hundredths += b.hundredths }
    public static func -= (a: inout Money, b: Money) { a.hundredths -= b.hundredths }
    public static func < (a: Money, b: Money) -> Bool { a.hundredths < b.hundredths }
    public static prefix func - (a: Money) -> Money { Money(hundredths: -a.hundredths) }

    /// `self / count`, rounded half away from zero to the hundredth; zero when `count` is 0.
    public func divided(by count: Int64) -> Money {
        guard count != 0 else { return .zero }
        return Money(hundredths: Money.roundedDivision(hundredths, count))
    }

    /// Integer division rounded half away from zero.
    public static func roundedDivision(_ n: Int64, _ d: Int64) -> Int64 {
        precondition(d != 0)
        let q = n / d, r = n % d
        if 2 * r.magnitude >= d.magnitude { return q + ((n < 0) != (d < 0) ? -1 : 1) }
        return q
    }

    /// Whole francs, rounded half away from zero (RWF has no minor unit in use).
    public var wholeFrancs: Int64 { Money.roundedDivision(hundredths, 100) }

    /// `1234.50`, as PostgreSQL's numeric text: exact, no grouping.
    public var decimalString: String {
        let mag = hundredths.magnitude
        let frac = mag % 100
        return (hundredths < 0 ? "-" : "") + String(mag / 100) + "." + (frac < 10 ? "0" : "") + String(frac)
    }

    /// `RWF 1,234,568` (whole francs, grouped), for people.
    public var description: String { "RWF " + Money.grouped(wholeFrancs) }

    /// `1,234,568`: whole francs with thousands separators.
    public var groupedFrancs: String { Money.grouped(wholeFrancs) }

    static func grouped(_ v: Int64) -> String {
        let digits = String(v.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (v < 0 ? "-" : "") + out
    }

    /// Parses `1234`, `1234.5`, `-0.05`; `nil` for anything else or more than two decimals.
    public init?(decimal text: String) {
        var s = Substring(text)
        var negative = false
        if s.first == "-" { negative = true; s = s.dropFirst() }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int64(parts[0]), !parts[0].isEmpty, parts[0].allSatisfy(\.isNumber) else { return nil }
        var frac: Int64 = 0
        if parts.count == 2 {
            let f = parts[1]
            guard (1...2).contains(f.count), f.allSatisfy(\.isNumber), let v = Int64(f) else { return nil }
            frac = f.count == 1 ? v * 10 : v
        }
        let h = whole * 100 + frac
        hundredths = negative ? -h : h
    }
}
