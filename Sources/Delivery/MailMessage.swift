import Foundation

/// One email to one recipient, rendered to RFC 5322 bytes by this type itself. The same bytes are written as an
/// `.eml` file in a dry run and uploaded as-is over SMTP, so what the tests check is exactly what is sent.
///
/// Structure:
/// ```
/// multipart/mixed
///   multipart/alternative
///     text/plain; charset=UTF-8   (quoted-printable; first, so clients prefer the HTML)
///     multipart/related           (only when the HTML shows pictures; else the text/html part alone)
///       text/html; charset=UTF-8  (quoted-printable; shows each picture as <img src="cid:...">)
///       image/png                 (inline, Content-ID, base64)
///   attachment(s)                 (base64, 76-character lines; RFC 2231 file names when not ASCII)
/// ```
/// Every line ends in CRLF and no header line passes 78 characters (except an unbreakable word).
public struct MailMessage: Sendable, Equatable {
    /// A file attached to the message.
    public struct Attachment: Sendable, Equatable {
        public var filename: String
        /// `type/subtype`, e.g. `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`.
        public var mimeType: String
        public var bytes: [UInt8]

        public init(filename: String, mimeType: String, bytes: [UInt8]) {
            self.filename = filename
            self.mimeType = mimeType
            self.bytes = bytes
        }

        /// Reads a file, naming the attachment after it and guessing its type from the extension.
        public init(contentsOf url: URL) throws(DeliveryError) {
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw .attachmentUnreadable(path: url.path)
            }
            self.init(filename: url.lastPathComponent, mimeType: Attachment.mimeType(forExtension: url.pathExtension),
                      bytes: [UInt8](data))
        }

        /// The MIME type of the files reports produce; `application/octet-stream` for anything else.
        public static func mimeType(forExtension ext: String) -> String {
            switch ext.lowercased() {
            case "xlsx": return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            case "csv": return "text/csv"
            case "html", "htm": return "text/html"
            case "json": return "application/json"
            case "pdf": return "application/pdf"
            case "txt": return "text/plain"
            case "zip": return "application/zip"
            default: return "application/octet-stream"
            }
        }
    }

    /// A picture the HTML shows by `cid:` (charts: mail clients show these, not inline SVG).
    public struct InlineImage: Sendable, Equatable {
        /// Without angle brackets, e.g. `revenue-daily-2026-11-23@dusangire-analytics`; the HTML says `cid:` + this.
        public var contentID: String
        public var filename: String
        public var mimeType: String
        public var bytes: [UInt8]
        public init(contentID: String, filename: String, mimeType: String = "image/png", bytes: [UInt8]) {
            self.contentID = contentID; self.filename = filename; self.mimeType = mimeType; self.bytes = bytes
        }
    }

    public var from: MailAddress
    public var to: MailAddress
    public var subject: String
    /// The plain-text body (any line endings; sent as CRLF).
    public var text: String
    /// The HTML body: a complete, self-contained document.
    public var html: String
    public var attachments: [Attachment]
    /// Pictures the HTML refers to by `cid:`.
    public var inlineImages: [InlineImage]
    /// The `Date` header's instant (from the caller's clock) and the zone it is written in.
    public var date: Date
    public var timeZone: TimeZone
    /// `<random@domain-of-from>`, angle brackets included.
    public var messageID: String

    /// - Parameter messageID: defaults to a new random `<32 hex digits@domain-of-from>`.
    public init(from: MailAddress, to: MailAddress, subject: String, text: String, html: String,
                attachments: [Attachment] = [], inlineImages: [InlineImage] = [], date: Date, timeZone: TimeZone = TimeZone(identifier: "UTC")!,
                messageID: String? = nil) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.attachments = attachments
        self.inlineImages = inlineImages
        self.date = date
        self.timeZone = timeZone
        self.messageID = messageID ?? MailMessage.newMessageID(domain: from.domain)
    }

    /// `<32 random hex digits@domain>`.
    public static func newMessageID(domain: String) -> String {
        var rng = SystemRandomNumberGenerator()
        let hex = (0..<2).map { _ in
            let s = String(rng.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }.joined()
        return "<\(hex)@\(domain)>"
    }

    /// The complete message (headers and body) as sent.
    public func rendered() -> [UInt8] { Array(renderedText().utf8) }

    /// The complete message as text: every byte is ASCII, since bodies are encoded and headers RFC 2047-encoded.
    public func renderedText() -> String {
        let tag = messageID.unicodeScalars.filter { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
            .prefix(16).map(String.init).joined()
        // "=_" cannot occur in quoted-printable or base64 text, so these boundaries never collide with a body.
        let mixed = "=_dusangire_mixed_\(tag)"
        let alternative = "=_dusangire_alt_\(tag)"
        let related = "=_dusangire_rel_\(tag)"
        let nl = MIMEEncoding.crlf
        var m = ""
        m += MIMEEncoding.header("Date", [MIMEEncoding.date(date, timeZone: timeZone)])
        m += MIMEEncoding.header("Message-ID", [MIMEEncoding.singleLine(messageID)])
        m += MIMEEncoding.header("MIME-Version", ["1.0"])
        m += MIMEEncoding.header("From", from.headerTokens)
        m += MIMEEncoding.header("To", to.headerTokens)
        m += MIMEEncoding.header("Subject", MIMEEncoding.unstructuredTokens(subject))
        m += MIMEEncoding.header("Content-Type", ["multipart/mixed;", "boundary=\"\(mixed)\""])
        m += nl
        m += "This is a multipart message in MIME format." + nl
        m += nl + "--" + mixed + nl
        m += MIMEEncoding.header("Content-Type", ["multipart/alternative;", "boundary=\"\(alternative)\""])
        m += nl
        m += "--" + alternative + nl
        m += MIMEEncoding.header("Content-Type", ["text/plain;", "charset=UTF-8"])
        m += MIMEEncoding.header("Content-Transfer-Encoding", ["quoted-printable"])
        m += nl + MIMEEncoding.quotedPrintable(text)
        m += "--" + alternative + nl
        if !inlineImages.isEmpty {
            m += MIMEEncoding.header("Content-Type", ["multipart/related;", "type=\"text/html\";", "boundary=\"\(related)\""])
            m += nl + "--" + related + nl
        }
        m += MIMEEncoding.header("Content-Type", ["text/html;", "charset=UTF-8"])
        m += MIMEEncoding.header("Content-Transfer-Encoding", ["quoted-printable"])
        m += nl + MIMEEncoding.quotedPrintable(html)
        if !inlineImages.isEmpty {
            for image in inlineImages {
                m += nl + "--" + related + nl
                m += MIMEEncoding.header("Content-Type", [MailMessage.safeMIMEType(image.mimeType) + ";"]
                                         + MIMEEncoding.parameterTokens("name", image.filename))
                m += MIMEEncoding.header("Content-ID", ["<" + MIMEEncoding.singleLine(image.contentID) + ">"])
                m += MIMEEncoding.header("Content-Disposition", ["inline;"] + MIMEEncoding.parameterTokens("filename", image.filename))
                m += MIMEEncoding.header("Content-Transfer-Encoding", ["base64"])
                m += nl + MIMEEncoding.base64Lines(image.bytes)
            }
            m += nl + "--" + related + "--" + nl
        }
        m += "--" + alternative + "--" + nl
        for a in attachments {
            m += nl + "--" + mixed + nl
            m += MIMEEncoding.header("Content-Type", [MailMessage.safeMIMEType(a.mimeType) + ";"]
                                     + MIMEEncoding.parameterTokens("name", a.filename))
            m += MIMEEncoding.header("Content-Disposition", ["attachment;"] + MIMEEncoding.parameterTokens("filename", a.filename))
            m += MIMEEncoding.header("Content-Transfer-Encoding", ["base64"])
            m += nl + MIMEEncoding.base64Lines(a.bytes)
        }
        m += nl + "--" + mixed + "--" + nl
        return m
    }

    /// `type/subtype` made of token characters, else `application/octet-stream` (no header injection through it).
    static func safeMIMEType(_ t: String) -> String {
        let token = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&^_.+-".utf8)
        let parts = t.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { token.contains($0) } }) else {
            return "application/octet-stream"
        }
        return t.lowercased()
    }
}
