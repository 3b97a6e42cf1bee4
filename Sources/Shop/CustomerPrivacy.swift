/// How personal data is hidden from readers who may not see it. Masking keeps a row recognisable to the shop without
/// identifying the person:
/// * a name keeps each word's initial: `Aline Uwase` -> `A. U.`, `jean-paul habimana` -> `J. H.`;
/// * a phone keeps the country code, the first digit of the number (the network) and the last three digits:
///   `+250788123456` -> `+250 7•• ••• 456`, `0788 123 456` -> `07•• ••• 456`; any other format keeps only a leading
///   `+` and the last three digits (`+1 202 555 0147` -> `+••••••••147`); fewer than seven digits -> `•••`.
public enum CustomerPrivacy {
    /// The first letter (or digit) of each space-separated word, upper-cased, each followed by a dot; a hyphenated
    /// word counts once (`Jean-Paul` -> `J.`). A word that is one ideograph or syllable (`王 明`, `김 민`) is all of
    /// that part of the name, so it shows as `•.` (`•. •.`), never as itself. Empty for an empty name.
    public static func maskName(_ name: String) -> String {
        name.split(whereSeparator: { $0.isWhitespace })
            .compactMap { word -> String? in
                let letters = word.filter { $0.isLetter || $0.isNumber }
                guard let first = letters.first else { return nil }
                return letters.count == 1 && isWholeSyllable(first) ? "•." : first.uppercased() + "."
            }
            .joined(separator: " ")
    }

    /// An ideograph (Han), a Hangul syllable or a kana: one such character can be a whole given name or surname.
    static func isWholeSyllable(_ c: Character) -> Bool {
        guard let u = c.unicodeScalars.first else { return false }
        return u.properties.isIdeographic || (0xAC00...0xD7A3).contains(u.value) || (0x3040...0x30FF).contains(u.value)
    }

    /// `+250788123456` -> `+250 7•• ••• 456` (see the type's documentation for the other formats).
    public static func maskPhone(_ phone: String) -> String {
        let trimmed = String(phone.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
        var digits = trimmed.filter { $0.isASCII && $0.isNumber }
        // 00 is the international prefix written without a plus.
        let plus = trimmed.hasPrefix("+") || trimmed.hasPrefix("00")
        if trimmed.hasPrefix("00") { digits.removeFirst(2) }
        guard digits.count >= 7 else { return "•••" }
        let last3 = String(digits.suffix(3))
        // Rwanda: +250 / 00250 followed by 9 digits, or a local 0 followed by 9 digits.
        if digits.count == 12, digits.hasPrefix("250"), plus || trimmed.first == "2" {
            return "+250 \(digits.dropFirst(3).prefix(1))•• ••• \(last3)"
        }
        if digits.count == 10, digits.hasPrefix("0"), !plus {
            return "0\(digits.dropFirst(1).prefix(1))•• ••• \(last3)"
        }
        return (plus ? "+" : "") + String(repeating: "•", count: digits.count - 3) + last3
    }
}
