import Foundation
import Shop

/// The encodings a mail message needs (RFC 2045, 2047, 2231, 5322), as pure functions over bytes and strings.
/// Every line they produce ends in CRLF and stays within 78 characters (76 for encoded bodies).
enum MIMEEncoding {
    static let crlf = "\r\n"

    // MARK: bodies

    /// Base64 in lines of 76 characters, each ending in CRLF (RFC 2045 6.8).
    static func base64Lines(_ bytes: [UInt8]) -> String {
        let encoded = Data(bytes).base64EncodedString()
        var out = ""
        out.reserveCapacity(encoded.utf8.count + encoded.utf8.count / 76 * 2 + 2)
        var line = Substring(encoded)
        while !line.isEmpty {
            out += line.prefix(76)
            out += crlf
            line = line.dropFirst(76)
        }
        return out
    }

    /// Quoted-printable (RFC 2045 6.7) of UTF-8 text. Line breaks of any kind (CRLF, LF, CR) become CRLF hard breaks;
    /// encoded lines are at most 76 characters, with `=` soft breaks. Trailing spaces and tabs, `=`, control
    /// characters and every non-ASCII byte are encoded, and so is a `.` opening a line (so no transport can take it
    /// for the end of the data). The result never contains `=_`, which the multipart boundaries rely on.
    static func quotedPrintable(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        let lines = normalized.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            let bytes = Array(line.utf8)
            var column = 0
            for (i, b) in bytes.enumerated() {
                let isLast = i == bytes.count - 1
                let literal: Bool
                switch b {
                case 0x20, 0x09: literal = !isLast
                case 0x2E: literal = column != 0
                case 0x3D: literal = false
                case 33...126: literal = true
                default: literal = false
                }
                let width = literal ? 1 : 3
                // Keep room for the soft break's "=" (76 characters in all).
                if column + width > 75 {
                    out.append(0x3D); out.append(13); out.append(10)
                    column = 0
                }
                if literal && !(b == 0x2E && column == 0) {
                    out.append(b)
                    column += 1
                } else {
                    out.append(0x3D); out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 0x0F)])
                    column += 3
                }
            }
            if index < lines.count - 1 { out.append(13); out.append(10) }
        }
        out.append(13); out.append(10)
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: headers

    /// `Name: value` folded at whitespace so that no line passes 78 characters, tokens joined by single spaces.
    /// A token longer than a whole line stays whole (RFC 5322 allows up to 998).
    static func header(_ name: String, _ tokens: [String]) -> String {
        var out = name + ":"
        var column = out.count
        for token in tokens where !token.isEmpty {
            // Even before the first token: `Content-Type:` CRLF ` application/vnd...sheet;` is valid folding.
            if column + 1 + token.count > 78 && column > 1 {
                out += crlf
                column = 0
            }
            out += " " + token
            column += 1 + token.count
        }
        return out + crlf
    }

    /// Header text with control characters (CR, LF, tabs...) turned into spaces: no header can be injected.
    static func singleLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }

    static func isPrintableASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// An unstructured header value (Subject) as tokens for `header(_:_:)`: plain words when it is printable ASCII,
    /// else RFC 2047 `=?UTF-8?B?...?=` encoded words.
    static func unstructuredTokens(_ text: String) -> [String] {
        let clean = singleLine(text)
        if isPrintableASCII(clean) && !clean.contains("=?") {
            return clean.split(separator: " ").map(String.init)
        }
        return encodedWords(clean)
    }

    /// RFC 2047 encoded words (`B` encoding, UTF-8). Each word holds at most 39 bytes of text (a 64-character word,
    /// so that even `Subject: ` plus one word fits in 78) and never splits a character's bytes across two words.
    /// Whitespace between adjacent encoded words is dropped by decoders, so folding between them is lossless.
    static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        func flush() {
            guard !chunk.isEmpty else { return }
            words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
            chunk.removeAll()
        }
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > 39 { flush() }
            chunk += bytes
        }
        flush()
        return words
    }

    /// A parameter (`name`, `filename`) of Content-Type / Content-Disposition, as tokens for `header(_:_:)`:
    /// `filename="report.xlsx"` when the value is plain ASCII, else RFC 2231 `filename*=UTF-8''...` percent-encoded,
    /// split into `filename*0*=...; filename*1*=...` continuations when long. Each token ends with `;` except the last
    /// of the header, which the caller arranges.
    static func parameterTokens(_ name: String, _ value: String) -> [String] {
        let clean = singleLine(value)
        if isPrintableASCII(clean) && clean.count <= 60 {
            let quoted = clean.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return ["\(name)=\"\(quoted)\""]
        }
        // RFC 2231 attribute-char: anything else is %XX.
        let safe = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~".utf8)
        let hex = Array("0123456789ABCDEF")
        var pieces: [String] = []  // one per byte, so a continuation never splits a %XX
        for b in clean.utf8 {
            pieces.append(safe.contains(b) ? String(UnicodeScalar(b)) : "%\(hex[Int(b >> 4)])\(hex[Int(b & 0x0F)])")
        }
        let first = "UTF-8''"
        var segments: [String] = []
        var current = ""
        for p in pieces {
            if current.count + p.count > 48 {
                segments.append(current)
                current = ""
            }
            current += p
        }
        segments.append(current)
        if segments.count == 1 { return ["\(name)*=\(first)\(segments[0])"] }
        return segments.enumerated().map { i, s in
            "\(name)*\(i)*=\(i == 0 ? first : "")\(s)" + (i < segments.count - 1 ? ";" : "")
        }
    }

    /// RFC 5322 date-time, e.g. `Tue, 24 Nov 2026 04:00:00 +0200`, in the given zone (English names whatever the
    /// machine's locale).
    static func date(_ date: Date, timeZone: TimeZone) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let offset = Int64(timeZone.secondsFromGMT(for: date))
        let local = seconds + offset
        var days = local / 86_400
        var secondOfDay = local % 86_400
        if secondOfDay < 0 { secondOfDay += 86_400; days -= 1 }
        let day = ShopDay(epochDay: Int32(days))
        let c = day.components
        let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let minutes = abs(offset) / 60
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(weekdays[day.isoWeekday - 1]), \(two(Int64(c.day))) \(months[c.month - 1]) \(c.year) "
            + "\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)) "
            + "\(offset < 0 ? "-" : "+")\(two(minutes / 60))\(two(minutes % 60))"
    }
}
