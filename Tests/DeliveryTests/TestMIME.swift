import Foundation

/// A deliberately small MIME reader written apart from the renderer (its own unfolding, boundary splitting and
/// decoders), so the tests check the rendered bytes against an independent reading of them.
struct TestMIME {
    let headers: [(name: String, value: String)]
    /// The raw body, CRLF line endings as received.
    let body: String

    init(_ text: String) {
        let split = text.range(of: "\r\n\r\n")
        let head = split.map { String(text[..<$0.lowerBound]) } ?? text
        body = split.map { String(text[$0.upperBound...]) } ?? ""
        var hs: [(String, String)] = []
        for line in head.components(separatedBy: "\r\n") {
            if line.hasPrefix(" ") || line.hasPrefix("\t"), !hs.isEmpty {
                hs[hs.count - 1].1 += line  // unfolding: drop the CRLF only
            } else if let colon = line.firstIndex(of: ":") {
                hs.append((String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
            }
        }
        headers = hs
    }

    func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
    func count(_ name: String) -> Int { headers.filter { $0.name.lowercased() == name.lowercased() }.count }

    /// `multipart/mixed` from `multipart/mixed; boundary="..."`.
    var contentType: String {
        (header("Content-Type") ?? "text/plain").split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// A parameter of a header, `"quoted"` or bare, RFC 2231 `name*=` and `name*0*=...` continuations decoded.
    func parameter(_ header: String, _ name: String) -> String? {
        guard let value = self.header(header) else { return nil }
        var plain: String?
        var pieces: [Int: String] = [:]
        var extended: String?
        for raw in value.split(separator: ";").dropFirst() {
            let p = raw.trimmingCharacters(in: .whitespaces)
            guard let eq = p.firstIndex(of: "=") else { continue }
            let key = String(p[..<eq]).lowercased()
            var v = String(p[p.index(after: eq)...])
            if v.hasPrefix("\"") && v.hasSuffix("\"") {
                v = String(v.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
            }
            if key == name { plain = v }
            if key == name + "*" { extended = v }
            if key.hasPrefix(name + "*"), key.hasSuffix("*"), let n = Int(key.dropFirst(name.count + 1).dropLast()) {
                pieces[n] = v
            }
        }
        if extended == nil, !pieces.isEmpty { extended = pieces.keys.sorted().map { pieces[$0]! }.joined() }
        if let e = extended {
            let parts = e.components(separatedBy: "'")
            guard parts.count == 3, parts[0].uppercased() == "UTF-8" else { return nil }
            return parts[2].removingPercentEncoding
        }
        return plain
    }

    /// The parts of a multipart body, in order.
    var parts: [TestMIME] {
        guard let boundary = parameter("Content-Type", "boundary") else { return [] }
        let chunks = ("\r\n" + body).components(separatedBy: "\r\n--" + boundary)
        // chunks[0] is the preamble; the last starts with "--" (the close delimiter).
        return chunks.dropFirst().filter { !$0.hasPrefix("--") }.map { chunk in
            TestMIME(String(chunk.drop { $0 != "\r\n" }.dropFirst()))  // the rest of the delimiter line
        }
    }

    /// The body decoded by its Content-Transfer-Encoding.
    var decodedBody: [UInt8] {
        switch (header("Content-Transfer-Encoding") ?? "7bit").lowercased() {
        case "base64":
            return [UInt8](Data(base64Encoded: body.replacingOccurrences(of: "\r\n", with: "")) ?? Data())
        case "quoted-printable":
            return TestMIME.decodeQuotedPrintable(body)
        default:
            return Array(body.utf8)
        }
    }

    var decodedText: String { String(decoding: decodedBody, as: UTF8.self) }

    static func decodeQuotedPrintable(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        let b = Array(s.utf8)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "=") {
                if i + 2 < b.count, b[i + 1] == 13, b[i + 2] == 10 { i += 3; continue }  // soft break
                out.append(UInt8(String(decoding: b[(i + 1)...(i + 2)], as: UTF8.self), radix: 16)!)
                i += 3
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return out
    }

    /// RFC 2047: `=?UTF-8?B?...?=` words decoded, whitespace between adjacent encoded words dropped.
    static func decodeHeader(_ value: String) -> String {
        let pattern = try! NSRegularExpression(pattern: "=\\?([^?]+)\\?([BbQq])\\?([^?]*)\\?=")
        var out = ""
        var rest = value[...]
        var lastWasEncoded = false
        while let m = pattern.firstMatch(in: String(rest), range: NSRange(rest.startIndex..., in: rest)) {
            let s = String(rest)
            let r = Range(m.range, in: s)!
            let between = String(s[..<r.lowerBound])
            if !(lastWasEncoded && between.allSatisfy { $0 == " " || $0 == "\t" }) { out += between }
            let payload = String(s[Range(m.range(at: 3), in: s)!])
            out += String(decoding: Data(base64Encoded: payload) ?? Data(), as: UTF8.self)
            lastWasEncoded = true
            rest = s[r.upperBound...][...]
        }
        return out + rest
    }
}
