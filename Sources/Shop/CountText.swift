/// Counts as people read them: thousands separators and the right plural. Every report, sheet and e-mail writes a
/// count through here, so `4037` never appears where `4,037` is meant, nor "1 rows".
public enum CountText {
    /// `4037` -> `4,037`; `-1200` -> `-1,200`.
    public static func grouped<T: BinaryInteger>(_ n: T) -> String { Money.grouped(Int64(n)) }

    /// `1 sale`, `0 sales`, `4,037 sales`; `plural` for words that do not just take an "s" (`1 entry`, `2 entries`).
    public static func of<T: BinaryInteger>(_ n: T, _ singular: String, plural: String? = nil) -> String {
        grouped(n) + " " + noun(n, singular, plural: plural)
    }

    /// The noun alone, in the form that goes with `n`: `noun(1, "row")` is `row`, `noun(3, "row")` is `rows`.
    public static func noun<T: BinaryInteger>(_ n: T, _ singular: String, plural: String? = nil) -> String {
        n == 1 ? singular : (plural ?? singular + "s")
    }

}
