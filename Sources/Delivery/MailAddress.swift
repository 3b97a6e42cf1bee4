/// An email address with an optional display name: `Dusangire Reports <reports@dusangire.rw>`.
///
/// The address itself must be plain ASCII `local@domain` (no SMTPUTF8); the display name may be any text and is
/// RFC 2047 encoded in headers when it is not ASCII.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    /// `local@domain`, as given to SMTP `MAIL FROM` / `RCPT TO`.
    public let address: String
    public let name: String?

    /// - Throws: `DeliveryError.invalidAddress` when `address` is not a plain `local@domain`.
    public init(_ address: String, name: String? = nil) throws(DeliveryError) {
        let a = address.trimmingSpaces
        guard MailAddress.isValid(a) else { throw .invalidAddress(address) }
        self.address = a
        let n = name.map { MIMEEncoding.singleLine($0).trimmingSpaces }
        self.name = (n?.isEmpty ?? true) ? nil : n
    }

    /// Parses `reports@dusangire.rw`, `<reports@dusangire.rw>` or `Dusangire Reports <reports@dusangire.rw>`
    /// (the name may be in double quotes).
    public init(parsing text: String) throws(DeliveryError) {
        let t = text.trimmingSpaces
        guard t.hasSuffix(">"), let open = t.lastIndex(of: "<") else {
            try self.init(t)
            return
        }
        let address = String(t[t.index(after: open)..<t.index(before: t.endIndex)])
        var name = t[..<open].trimmingSpaces
        if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
            name = String(name.dropFirst().dropLast()).replacingEscapes
        }
        try self.init(address, name: name.isEmpty ? nil : name)
    }

    /// The domain after `@` (used for the Message-ID).
    public var domain: String { String(address[address.index(after: address.lastIndex(of: "@")!)...]) }

    public var description: String { name.map { "\($0) <\(address)>" } ?? address }

    /// The header form as folding tokens: `Name <addr>`, `"Name, Jr." <addr>` or `=?UTF-8?B?...?= <addr>`.
    var headerTokens: [String] {
        guard let name else { return [address] }
        let atext = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-/=?^_`{|}~ ".utf8)
        if name.utf8.allSatisfy({ atext.contains($0) }) && !name.contains("=?") {
            return name.split(separator: " ").map(String.init) + ["<\(address)>"]
        }
        if MIMEEncoding.isPrintableASCII(name) {
            let quoted = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return ["\"\(quoted)\"", "<\(address)>"]
        }
        return MIMEEncoding.encodedWords(name) + ["<\(address)>"]
    }

    static func isValid(_ a: String) -> Bool {
        let parts = a.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, a.utf8.count <= 254 else { return false }
        let forbidden = Set(" \t\r\n<>()[],;:\\\"".utf8)
        guard a.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && !forbidden.contains($0) }) else { return false }
        let domain = parts[1]
        return !domain.hasPrefix(".") && !domain.hasSuffix(".") && !domain.contains("..")
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\n" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s.removeLast() }
        return String(s)
    }

    /// `\"` -> `"`, `\\` -> `\` (RFC 5322 quoted-pair).
    var replacingEscapes: String {
        var out = ""
        var escaped = false
        for c in self {
            if escaped { out.append(c); escaped = false } else if c == "\\" { escaped = true } else { out.append(c) }
        }
        return out
    }
}
