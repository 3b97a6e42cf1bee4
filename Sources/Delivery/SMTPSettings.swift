import Foundation

/// Where and how to send mail. Read from the environment or a config file, never from the command line, so the
/// password stays out of `ps` and shell history.
///
/// | key in the file | environment | meaning |
/// | --- | --- | --- |
/// | `url` | `DUSANGIRE_SMTP_URL` | `smtp://host:587` (STARTTLS) or `smtps://host:465` (TLS from the start); no credentials in it |
/// | `user` | `DUSANGIRE_SMTP_USER` | login name (optional: no login without it) |
/// | `password` | `DUSANGIRE_SMTP_PASSWORD` | login password |
/// | `from` | `DUSANGIRE_SMTP_FROM` | `Dusangire Reports <reports@example.rw>` |
/// | `tls` | `DUSANGIRE_SMTP_TLS` | `required` (default: STARTTLS or fail), `try` (STARTTLS if offered), `none` |
/// | `timeout` | `DUSANGIRE_SMTP_TIMEOUT` | seconds for one message, default 60 |
///
/// The file is named by `DUSANGIRE_SMTP_CONFIG` (e.g. `/etc/dusangire-analytics/smtp.conf`): `key=value` lines,
/// `#` comments, values optionally in double quotes; the keys may also be written as their environment names
/// (`DUSANGIRE_SMTP_URL=...`), so the same file can serve as a systemd `EnvironmentFile`. A file holding a password
/// that any user may read is refused. Environment variables override the file key by key.
public struct SMTPSettings: Sendable, Equatable {
    /// How TLS is used on an `smtp://` URL (`smtps://` is always TLS).
    public enum TLSMode: String, Sendable, CaseIterable {
        /// STARTTLS, and fail if the server does not offer it (CURLUSESSL_ALL).
        case required
        /// STARTTLS when offered, else plain text (CURLUSESSL_TRY).
        case `try`
        /// Plain text (CURLUSESSL_NONE): a local relay or a test sink only.
        case none
    }

    public var url: String
    public var username: String?
    public var password: String?
    public var from: MailAddress
    public var tls: TLSMode
    /// Seconds allowed for one message, connection included.
    public var timeout: Int

    public init(url: String, username: String? = nil, password: String? = nil, from: MailAddress,
                tls: TLSMode = .required, timeout: Int = 60) throws(DeliveryError) {
        self.url = try SMTPSettings.checkedURL(url, name: "DUSANGIRE_SMTP_URL")
        self.username = username
        self.password = password
        self.from = from
        self.tls = tls
        self.timeout = timeout
    }

    /// The server as shown in messages: `smtp://host:port`, never with credentials.
    public var server: String { url }

    static let keys = ["url", "user", "password", "from", "tls", "timeout"]

    /// Reads the settings from `DUSANGIRE_SMTP_*` and, when `DUSANGIRE_SMTP_CONFIG` is set, the file it names.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws(DeliveryError) -> SMTPSettings {
        var values: [String: String] = [:]
        var source: [String: String] = [:]  // where each value came from, for messages
        if let path = environment["DUSANGIRE_SMTP_CONFIG"], !path.isEmpty {
            for (k, v) in try readConfig(path: path) {
                values[k] = v
                source[k] = "\(k) in \(path)"
            }
        }
        for k in keys {
            let name = "DUSANGIRE_SMTP_" + k.uppercased()
            if let v = environment[name], !v.isEmpty {
                values[k] = v
                source[k] = name
            }
        }
        func name(_ k: String) -> String { source[k] ?? "DUSANGIRE_SMTP_" + k.uppercased() }

        guard let url = values["url"] else { throw .missingSetting(name: "DUSANGIRE_SMTP_URL") }
        guard let fromText = values["from"] else { throw .missingSetting(name: "DUSANGIRE_SMTP_FROM") }
        let from: MailAddress
        do { from = try MailAddress(parsing: fromText) } catch {
            throw .invalidSetting(name: name("from"), value: fromText, expected: "an address like Dusangire Reports <reports@example.rw>")
        }
        var tls = TLSMode.required
        if let t = values["tls"] {
            guard let mode = TLSMode(rawValue: t.lowercased()) else {
                throw .invalidSetting(name: name("tls"), value: t, expected: "required, try or none")
            }
            tls = mode
        }
        var timeout = 60
        if let t = values["timeout"] {
            guard let s = Int(t), s > 0, s <= 3600 else {
                throw .invalidSetting(name: name("timeout"), value: t, expected: "a number of seconds from 1 to 3600")
            }
            timeout = s
        }
        let user = values["user"], password = values["password"]
        if user != nil && password == nil { throw .missingSetting(name: "DUSANGIRE_SMTP_PASSWORD") }
        if user == nil && password != nil { throw .missingSetting(name: "DUSANGIRE_SMTP_USER") }
        return SMTPSettings(checkedURL: try checkedURL(url, name: name("url")), username: user, password: password,
                            from: from, tls: tls, timeout: timeout)
    }

    private init(checkedURL: String, username: String?, password: String?, from: MailAddress, tls: TLSMode, timeout: Int) {
        url = checkedURL
        self.username = username
        self.password = password
        self.from = from
        self.tls = tls
        self.timeout = timeout
    }

    /// `smtp://host[:port]` or `smtps://host[:port]`, with no user or password in it and a port from 1 to 65535.
    static func checkedURL(_ text: String, name: String) throws(DeliveryError) -> String {
        let t = text.trimmingSpaces
        let lower = t.lowercased()
        guard let scheme = ["smtp://", "smtps://"].first(where: { lower.hasPrefix($0) }) else {
            throw .invalidSetting(name: name, value: redact(t), expected: "smtp://host:587 or smtps://host:465")
        }
        let rest = t.dropFirst(scheme.count)
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        if let at = authority.lastIndex(of: "@") {
            if authority[..<at].contains(":") { throw .passwordInURL(name: name) }
            throw .invalidSetting(name: name, value: redact(t), expected: "a URL without a user name (set DUSANGIRE_SMTP_USER)")
        }
        guard !authority.isEmpty, !authority.hasPrefix(":"), t.allSatisfy({ !$0.isWhitespace }) else {
            throw .invalidSetting(name: name, value: t, expected: "smtp://host:587 or smtps://host:465")
        }
        guard portIsValid(authority) else {
            throw .invalidSetting(name: name, value: t, expected: "a port from 1 to 65535 after the host, as in smtp://host:587")
        }
        return t
    }

    /// True for `host`, `host:port` and `[IPv6]:port` with a port that is a whole number from 1 to 65535. libcurl
    /// refuses any other port only when the message is sent, in words of its own, and the send fails as if the
    /// server had.
    private static func portIsValid(_ authority: Substring) -> Bool {
        var rest = authority
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return false }
            rest = rest[rest.index(after: close)...]
            if rest.isEmpty { return true }
            guard rest.hasPrefix(":") else { return false }
        } else {
            guard let colon = rest.lastIndex(of: ":") else { return true }
            rest = rest[colon...]
        }
        let digits = rest.dropFirst()
        return (1...5).contains(digits.count) && digits.allSatisfy { ("0"..."9").contains($0) }
            && (1...65535).contains(Int(digits) ?? 0)
    }

    /// A URL for an error message: anything before `@` in the authority is dropped.
    static func redact(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url.contains("@") ? "(a value with credentials)" : url }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" }
        guard let at = authority.lastIndex(of: "@") else { return url }
        return String(url[..<schemeEnd.upperBound]) + String(rest[rest.index(after: at)...])
    }

    /// The key=value pairs of a config file, keys normalised to `url`, `user`... Refuses a password in a file any
    /// user may read.
    static func readConfig(path: String) throws(DeliveryError) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw .configUnreadable(path: path)
        }
        var values: [String: String] = [:]
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw.trimmingSpaces
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingSpaces }
            guard let eq = line.firstIndex(of: "=") else {
                throw .configLine(path: path, line: i + 1, reason: "no = sign")
            }
            var key = line[..<eq].trimmingSpaces.lowercased()
            if key.hasPrefix("dusangire_smtp_") { key = String(key.dropFirst("dusangire_smtp_".count)) }
            if key == "username" { key = "user" }
            guard keys.contains(key) else {
                // Nothing of the line is shown: with the separator mistyped (`password: c2VjcmV0==`), what stands
                // before an `=` holds the password.
                throw .configLine(path: path, line: i + 1, reason: "an unknown key; the line is not repeated here, as it may hold a password")
            }
            var value = line[line.index(after: eq)...].trimmingSpaces
            if value.count >= 2, (value.hasPrefix("\"") && value.hasSuffix("\"")) || (value.hasPrefix("'") && value.hasSuffix("'")) {
                value = String(value.dropFirst().dropLast())
            }
            if !value.isEmpty { values[key] = value }
        }
        if values["password"] != nil {
            // stat(2) follows a symbolic link to the file that holds the password (FileManager's attributes are the
            // link's own, always 0777).
            var info = stat()
            if stat(path, &info) == 0, info.st_mode & S_IROTH != 0 { throw .configReadableByOthers(path: path) }
        }
        return values
    }
}

extension SMTPSettings: CustomStringConvertible, CustomReflectable {
    /// `smtp://host:587 as user, from ..., TLS required`: never the password.
    public var description: String {
        "\(url)\(username.map { " as \($0)" } ?? ""), from \(from), TLS \(tls.rawValue), timeout \(timeout) s"
    }

    /// `dump` and debuggers see the description only, so the password cannot leak through them either.
    public var customMirror: Mirror { Mirror(self, children: ["description": description]) }
}
