import Foundation
import Postgres

/// What went wrong delivering a report. Each `description` is one plain sentence saying what happened and what to
/// do; none ever contains the SMTP password (servers are shown as `smtp://host:port`, without credentials).
///
/// Suggested exit codes for the command line: `unreachable` and `logLost` 69 (`sentButNotLogged` as its cause); the configuration cases (`missingSetting`,
/// `invalidSetting`, `passwordInURL`, `configUnreadable`, `configReadableByOthers`, `configLine`, `invalidAddress`,
/// `tlsUnavailable`, `loginFailed`, `logReadOnly`) 78; the rest 1.
public enum DeliveryError: Error, CustomStringConvertible, Sendable, Equatable {
    case missingSetting(name: String)
    case invalidSetting(name: String, value: String, expected: String)
    case passwordInURL(name: String)
    case configUnreadable(path: String)
    case configReadableByOthers(path: String)
    case configLine(path: String, line: Int, reason: String)
    case invalidAddress(String)
    case attachmentUnreadable(path: String)
    case emlNotWritten(path: String, reason: String)
    /// The server could not be reached at all (DNS, refused, timeout before the greeting).
    case unreachable(server: String, reason: String)
    /// TLS was required but the server does not offer STARTTLS, or the handshake failed.
    case tlsUnavailable(server: String, reason: String)
    /// The server refused the user name or password.
    case loginFailed(server: String, user: String, code: Int, reason: String)
    /// The server refused the sender, the recipient or the message (with its SMTP reply code when there was one).
    case rejected(recipient: String, server: String, code: Int, reason: String)
    /// Any other transfer failure (connection lost, timeout mid-transfer...).
    case sendFailed(recipient: String, server: String, code: Int, reason: String)
    case libcurl(reason: String)
    case log(reason: String)
    /// The warehouse's connection was lost while the log was read or written (`reason`: what was lost, with no advice).
    case logLost(reason: String)
    /// The delivery log cannot record a message (a read-only warehouse, a role without the grant): found before the
    /// first message, which would otherwise go again on every later send.
    case logReadOnly(warehouse: String)
    /// The warehouse server's disk (or the tablespace of the log) is full: the log cannot record a message.
    case logFull
    /// A message went out but the log could not record it (`because`: `log`, `logLost` or `logFull`): a later send
    /// mails it again.
    indirect case sentButNotLogged(recipient: String, because: DeliveryError)

    /// The log's failure from the warehouse's error: a lost connection is told as such (exit 69), anything else as
    /// the server said it.
    static func logFailure(_ error: any Error) -> DeliveryError {
        if let e = error as? PostgresError, case .connectionLost = e { return .logLost(reason: e.cause) }
        // The server's own sentence for a full disk speaks of a job's figures and its rollback, not of a mailing.
        if (error as? PostgresError)?.sqlState == ServerError.diskFull { return .logFull }
        return .log(reason: "\(error)")
    }

    /// The system's words for a file that could not be written ("no space left on device", "file too large"), which
    /// Foundation keeps under its own ("The operation could not be completed. There isn't enough space.").
    static func systemReason(_ error: any Error) -> String {
        let ns = error as NSError
        guard let posix = (ns.userInfo[NSUnderlyingErrorKey] as? any Error).map({ $0 as NSError }), posix.domain == NSPOSIXErrorDomain else {
            return ns.localizedDescription
        }
        return String(cString: strerror(Int32(posix.code))).lowercased()
    }

    public var description: String {
        switch self {
        case .missingSetting(let name):
            return "\(name) is not set; set it in the environment or in the file named by DUSANGIRE_SMTP_CONFIG (never on the command line)."
        case .invalidSetting(let name, let value, let expected):
            return "\(name) is \"\(value)\", which is not valid; expected \(expected)."
        case .passwordInURL(let name):
            return "\(name) contains a password; remove it from the URL and put it in DUSANGIRE_SMTP_PASSWORD or the SMTP config file."
        case .configUnreadable(let path):
            return "The SMTP config file \(path) could not be read; check that it exists and that this user may read it."
        case .configReadableByOthers(let path):
            return "The SMTP config file \(path) holds a password but every user on the machine may read it; run chmod o-rwx \(path) (0600 or 0640 is right)."
        case .configLine(let path, let line, let reason):
            return "Line \(line) of the SMTP config file \(path) could not be used (\(reason)); write key=value lines with the keys url, user, password, from, tls and timeout."
        case .invalidAddress(let a):
            return "\"\(a)\" is not an email address this program can send to; write it as name@domain (plain ASCII)."
        case .attachmentUnreadable(let path):
            return "The attachment \(path) could not be read; render the report first or check the path."
        case .emlNotWritten(let path, let reason):
            return "The message file \(path) could not be written (\(reason)); check that the folder exists and is writable."
        case .unreachable(let server, let reason):
            return "Could not reach the SMTP server \(server) (\(reason)); check DUSANGIRE_SMTP_URL and that the server is up and reachable from this machine."
        case .tlsUnavailable(let server, let reason):
            return "Could not set up TLS with the SMTP server \(server) (\(reason)); use the server's STARTTLS port (usually 587) or smtps:// (465), or set DUSANGIRE_SMTP_TLS=try only for a trusted local relay."
        case .loginFailed(let server, let user, let code, let reason):
            return "The SMTP server \(server) refused the login of \(user)\(code > 0 ? " with reply \(code)" : "") (\(reason)); check DUSANGIRE_SMTP_USER and the password."
        case .rejected(let recipient, let server, let code, let reason):
            return "The SMTP server \(server) refused the message to \(recipient) with reply \(code) (\(reason)); check the address and the sender allowed for this account."
        case .sendFailed(let recipient, let server, let code, let reason):
            return "Sending to \(recipient) through \(server) failed\(code > 0 ? " after reply \(code)" : "") (\(reason)); nothing was recorded as sent, so the next send tries again."
        case .libcurl(let reason):
            return "libcurl could not be initialised (\(reason)); reinstall libcurl4-openssl-dev."
        case .log(let reason):
            return "The delivery log could not be written (\(reason)); run `dusangire-analytics migrate` and check the warehouse connection."
        case .logLost(let reason):
            return "The delivery log could not be read or written: \(reason); check that the warehouse's server is running and reachable, then send again: the recipients already recorded are skipped."
        case .logReadOnly(let warehouse):
            return "The warehouse at \(warehouse) accepts no record of a sent message from this role (default_transaction_read_only is on for the role or the database, the server is a standby, or the role may not add to the delivery log), so nothing was sent: a report sent now would go again on every later send; let the role write there, then send again."
        case .logFull:
            return "The warehouse server's disk is full, so the delivery log cannot record what is sent; free space on that disk (or on the tablespace the analytics tables live in), then send again."
        case .sentButNotLogged(let recipient, .logFull):
            return "The report went to \(recipient), but the warehouse server's disk is full and the delivery log could not record it, so the recipients after it were not tried; free space on that disk (or on the tablespace the analytics tables live in), then send again: they get the report, and \(recipient) a second copy."
        case .sentButNotLogged(let recipient, let because):
            let cause: String
            switch because {
            case .logLost(let reason): cause = reason
            case .log(let reason): cause = reason.trimmingCharacters(in: CharacterSet(charactersIn: ". "))
            default: cause = because.description
            }
            return "The report went to \(recipient), but the delivery log could not record it (\(cause)), so the recipients after it were not tried; once the warehouse answers, send again: they get the report, and \(recipient) a second copy."
        }
    }

    /// True for failures of the server or the settings, where trying the next recipient would fail the same way.
    public var affectsEveryRecipient: Bool {
        switch self {
        case .unreachable, .tlsUnavailable, .loginFailed, .libcurl: return true
        default: return false
        }
    }
}
