import CLibPQ

/// A libpq connection string (a `postgresql://` URL or `key=value` pairs), read as libpq itself reads it: the one
/// place that decides what a string says, so that a check (is there a password in it?) and the connection agree,
/// whatever spelling libpq accepts (`password=`, `pass%77ord=`, `user:secret@host`).
public enum ConnectionString {
    /// The options the string sets, or why libpq cannot read it, in plain words that never quote the string (it may
    /// hold a password; libpq's own message quotes the part it stopped at).
    static func options(_ s: String) -> Result<[String: String], PostgresError> {
        var err: UnsafeMutablePointer<CChar>?
        guard let parsed = PQconninfoParse(s, &err) else {
            let libpq = err.map { String(cString: $0) } ?? ""
            if let err { PQfreemem(err) }
            return .failure(.invalidConnectionString(reason: problem(libpq)))
        }
        defer { PQconninfoFree(parsed) }
        var options: [String: String] = [:]
        var p = parsed
        while let key = p.pointee.keyword {
            if let v = p.pointee.val { options[String(cString: key)] = String(cString: v) }
            p += 1
        }
        return .success(options)
    }

    /// Whether the string holds a password, as libpq reads it. A string libpq cannot read is judged by its text: a
    /// `user:secret@` part or a `password=` key.
    public static func hasPassword(_ s: String) -> Bool {
        if case .success(let options) = options(s) { return !(options["password"] ?? "").isEmpty }
        if s.hasPrefix("postgres://") || s.hasPrefix("postgresql://") {
            let rest = s.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
            let authority = rest.count > 2 ? rest[2] : ""
            if let at = authority.lastIndex(of: "@"), authority[..<at].contains(":") { return true }
        }
        // A `password` key: at the start or after a space, `?` or `&`, then spaces and `=`.
        let text = Array(s.lowercased().removingPercentEncodedLetters.utf8), key = Array("password".utf8)
        guard text.count >= key.count else { return false }
        for start in 0...(text.count - key.count) where Array(text[start..<start + key.count]) == key {
            guard start == 0 || [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "?"), UInt8(ascii: "&")].contains(text[start - 1]) else { continue }
            if let next = text[(start + key.count)...].first(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }), next == UInt8(ascii: "=") {
                return true
            }
        }
        return false
    }

    /// What libpq's parse error `libpq` means, in words that quote nothing of the string.
    static func problem(_ libpq: String) -> String {
        let cases: [(String, String)] = [
            ("percent-encoded", "a % in it does not start a two-digit code (a % in a password is written %25)"),
            ("IPv6", "an IPv6 host in it is not written in brackets, like [::1]"),
            ("unexpected character", "a character in the URL stands where the URL's form does not allow it"),
            ("key/value separator", "a parameter after the ? is not written key=value"),
            ("invalid URI query parameter", "a parameter after the ? is not one PostgreSQL knows"),
            ("invalid connection option", "it names an option PostgreSQL does not know"),
            ("missing \"=\"", "a word in it is not written key=value"),
            ("unterminated quoted string", "a quoted value in it is not closed"),
            ("out of memory", "the machine ran out of memory reading it"),
        ]
        return cases.first { libpq.contains($0.0) }?.1 ?? "PostgreSQL's client library cannot read it"
    }
}

extension String {
    /// Percent-encoded ASCII letters decoded (`pass%77ord` -> `password`), for a check of key names only.
    fileprivate var removingPercentEncodedLetters: String {
        var out = ""
        var i = startIndex
        while i < endIndex {
            if self[i] == "%", let end = index(i, offsetBy: 3, limitedBy: endIndex),
               let code = UInt8(self[index(after: i)..<end], radix: 16), code < 0x80, Character(Unicode.Scalar(code)).isLetter {
                out.append(Character(Unicode.Scalar(code)).lowercased())
                i = end
            } else {
                out.append(self[i])
                i = index(after: i)
            }
        }
        return out
    }
}
