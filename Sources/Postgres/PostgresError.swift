import CLibPQ

/// What went wrong talking to PostgreSQL. Each `description` is one sentence a person can act on, and none of
/// them ever contains a password.
public enum PostgresError: Error, CustomStringConvertible, Sendable {
    /// `reason`: what is wrong, in words that quote nothing of the string (`ConnectionString.problem`).
    case invalidConnectionString(reason: String)
    case connectionFailed(target: RedactedTarget, reason: String)
    case server(ServerError)
    case copyFailed(reason: String)
    /// The server went away in the middle of the work (restarted, stopped, network cut).
    case connectionLost(target: RedactedTarget, reason: String)
    /// A query or COPY stream (`source`: a table such as `analytics.daily_snapshot`, or a file such as
    /// `sql/source/orders.sql`) returned no column of that name.
    case missingColumn(source: String, column: String)
    /// A column held a value that is not of its kind (`expected`, e.g. "an amount"): NULL where a value is needed,
    /// text where a number is.
    case unreadableColumn(source: String, column: String, value: String?, expected: String)

    /// The server refused a connection for its role's connection limit or its own `max_connections`.
    public var isConnectionLimit: Bool {
        if case .connectionFailed(_, let reason) = self { return reason.contains("too many connections") }
        return false
    }

    /// Why a connection failed, in plain words for the common causes (libpq's message names the socket file, quotes
    /// the server's FATAL line and asks "Is the server running locally...?"); libpq's own words for any other.
    static func plainConnectionReason(_ libpq: String) -> String {
        // The first quoted word right after `marker` (database "x", role "x").
        func quoted(after marker: String) -> String? {
            let parts = libpq.split(separator: "\"", omittingEmptySubsequences: false)
            return stride(from: 1, to: parts.count - 1, by: 2).first { parts[$0 - 1].hasSuffix(marker + " ") }.map { String(parts[$0]) }
        }
        if libpq.contains("too many connections") || libpq.contains("connection limit") { return libpq }
        if libpq.contains("does not exist"), let db = quoted(after: "database") { return "the database \(db) does not exist on that server" }
        if libpq.contains("does not exist"), let role = quoted(after: "role") { return "the role \(role) does not exist on that server" }
        if libpq.contains("password authentication failed") { return "the server refused the password (PGPASSWORD or ~/.pgpass)" }
        if libpq.contains("no password supplied") { return "the server asks for a password and none was given: put it in PGPASSWORD or ~/.pgpass" }
        if libpq.contains("no pg_hba.conf entry") { return "the server's pg_hba.conf does not let this user in from this machine" }
        if libpq.contains("could not translate host name") { return "the host name could not be found" }
        if libpq.contains("timeout expired") { return "the server did not answer in time" }
        if libpq.contains("No such file or directory") { return "no server is listening on that socket" }
        if libpq.contains("Connection refused") { return "nothing answered on that host and port" }
        if libpq.contains("the database system is starting up") { return "the server is still starting up" }
        if libpq.contains("the database system is shutting down") { return "the server is shutting down" }
        return libpq
    }

    /// The server's or libpq's own words, for a progress line.
    public var reason: String {
        switch self {
        case .connectionFailed(_, let reason), .connectionLost(_, let reason), .copyFailed(let reason): return reason
        default: return description
        }
    }

    public var description: String {
        switch self {
        case .invalidConnectionString(let reason):
            return "The connection string could not be read: \(reason) (it is not shown, as it may hold a password); use a URL like postgresql://user@host:5432/dbname or key=value pairs, and put the password in PGPASSWORD or ~/.pgpass."
        case .connectionFailed(let target, let reason):
            if isConnectionLimit {
                // A role's CONNECTION LIMIT, or the server's max_connections: a run opens up to three connections to
                // the shop and two to the warehouse (README, "What it does").
                return "Could not connect to PostgreSQL at \(target) (\(reason)); a run needs up to three connections to the shop and two to the warehouse: raise the role's connection limit or the server's max_connections, or wait for other sessions to end."
            }
            return "Could not connect to PostgreSQL at \(target) (\(reason)); check that the server is running and the host, port, user and database are right."
        case .server(let e):
            return e.description
        case .copyFailed(let reason):
            return "A COPY stream failed (\(reason.withoutFinalPeriod)); run the command again, and if it fails the same way check the server's log."
        case .missingColumn(let source, let column):
            if source.hasSuffix(".sql") {
                return "The query in \(source) returns no column named \(column); an adapted file must keep every column the file's header lists, with the same names."
            }
            return "The warehouse table \(source) has no column named \(column); run `dusangire-analytics migrate` to bring the warehouse up to date."
        case .unreadableColumn(let source, let column, let value, let expected):
            let held = value.map { "'\($0.prefix(40))'" } ?? "no value (NULL)"
            if source.hasSuffix(".sql") {
                return "The query in \(source) returned \(held) in column \(column), where \(expected) was expected; fix the query so the column keeps its meaning."
            }
            return "The warehouse table \(source) holds \(held) in column \(column), where \(expected) was expected; recompute the days concerned with `dusangire-analytics backfill`."
        case .connectionLost(let target, let reason):
            let plain = PostgresError.plainLostReason(reason)
            if reason.contains("idle-in-transaction timeout") || reason.contains("idle-session timeout") {
                let setting = reason.contains("idle-session") ? "idle_session_timeout" : "idle_in_transaction_session_timeout"
                return "The server at \(target) ended the job's session because it sat idle longer than its \(setting) allows (\(plain)); a job keeps its snapshot of the shop open while it computes, so turn the limit off for the job's roles (ALTER ROLE ... SET \(setting) = 0), then run the command again (a job cut off this way loads nothing)."
            }
            return "The connection to PostgreSQL at \(target) was lost (\(plain)); check that the server is running and reachable, then run the command again (a job cut off this way loads nothing)."
        }
    }

    /// What went wrong, as a clause with no advice after it, for a sentence that says itself what happened to the
    /// work (the shop's own tables behind a loaded warehouse): the advice of `description` would contradict it.
    public var cause: String {
        switch self {
        case .connectionFailed(let target, let reason): return "could not connect to PostgreSQL at \(target) (\(reason.withoutFinalPeriod))"
        case .connectionLost(let target, let reason): return "the connection to PostgreSQL at \(target) was lost (\(PostgresError.plainLostReason(reason)))"
        case .server(let e): return e.said
        default: return description.withoutFinalPeriod
        }
    }

    /// libpq's words for a lost connection without its guesses ("This probably means the server terminated abnormally",
    /// "before or while processing the request"), which read as if the server had crashed when an administrator or a
    /// timeout ended the session.
    static func plainLostReason(_ reason: String) -> String {
        let guesses = ["This probably means the server terminated abnormally", "before or while processing the request"]
        let parts = reason.withoutFinalPeriod.split(separator: "; ").map(String.init).filter { part in !guesses.contains { part.hasPrefix($0) } }
        return parts.isEmpty ? reason.withoutFinalPeriod : parts.joined(separator: "; ")
    }

    /// The SQLSTATE of a server error, if there is one.
    public var sqlState: String? {
        if case .server(let e) = self { return e.sqlState }
        return nil
    }
}

extension String {
    /// Without trailing periods, for a reason quoted inside a sentence.
    var withoutFinalPeriod: String {
        var s = self
        while s.hasSuffix(".") || s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}

/// A server error with its fields kept apart, as `PQresultErrorField` gives them.
public struct ServerError: Error, CustomStringConvertible, Sendable {
    public var sqlState: String?
    public var message: String
    public var detail: String?
    public var hint: String?

    init(message: String) { self.message = message }

    init(result: OpaquePointer) {
        func field(_ code: Int32) -> String? {
            guard let p = PQresultErrorField(result, code) else { return nil }
            return String(cString: p)
        }
        sqlState = field(Int32(UInt8(ascii: "C")))
        message = field(Int32(UInt8(ascii: "M"))) ?? String(cString: PQresultErrorMessage(result)).trimmedMessage
        detail = field(Int32(UInt8(ascii: "D")))
        hint = field(Int32(UInt8(ascii: "H")))
    }

    /// The server's words: message, SQLSTATE, detail and hint.
    public var said: String {
        var said = "PostgreSQL said: \(message)"
        if let sqlState { said += " (SQLSTATE \(sqlState))" }
        // Without their final periods: the words sit inside a sentence, in brackets.
        if let detail { said += "; \(detail.withoutFinalPeriod)" }
        if let hint { said += "; hint: \(hint.withoutFinalPeriod)" }
        return said
    }

    public var description: String {
        let said = self.said
        // The two a setting causes, what to fix first, the server's words after (the warehouse's own tables are checked
        // before a job starts, so a missing table is the shop's).
        switch sqlState {
        case ServerError.undefinedTable:
            return "A table the job reads is not in the database (\(said)); check that DUSANGIRE_SOURCE_URL or --source names the shop's own database, and that the warehouse is migrated (`dusangire-analytics migrate`)."
        case ServerError.numericOutOfRange:
            return "A figure is too large for its column in the warehouse (\(said)); the shop's data holds amounts far beyond a meal shop's (look for orders of tens of millions of francs on the days computed, and the rejected rows), and nothing of this run was loaded: the previous figures are kept."
        case ServerError.insufficientPrivilege:
            return "The database role may not use a table the job needs (\(said)); grant the shop's role SELECT on the shop's tables (README, \"Configuration\"), and the warehouse's role the right to write its analytics schema."
        case ServerError.readOnlyTransaction:
            return "The database accepts no writes from this role (\(said)): default_transaction_read_only is on for the role or the database, or the server is a standby; nothing was written, so the previous figures are kept: let the warehouse's role write (ALTER ROLE ... SET default_transaction_read_only = off) or point the job at the primary server, then run again."
        case ServerError.diskFull:
            return "The database server's disk is full (\(said)); the work in progress was rolled back, so the previous figures are kept: free space on that server's disk (or on the tablespace its tables live in), then run again."
        case ServerError.outOfMemory:
            return "The database server ran out of memory (\(said)); the work in progress was rolled back, so the previous figures are kept: run again when the server is less busy, or give it more memory."
        case ServerError.queryCanceled where message.contains("statement timeout"):
            return "The server stopped a statement that ran longer than its statement_timeout (\(said)); the work in progress was rolled back, so the previous figures are kept: turn the limit off for the job's roles (ALTER ROLE ... SET statement_timeout = 0) or raise it above a run's longest query, then run again."
        case ServerError.queryCanceled:
            return "The job's statement was cancelled on the server (\(said)), by pg_cancel_backend or an administrator; the work in progress was rolled back, so the previous figures are kept: run the command again."
        case ServerError.lockNotAvailable:
            return "The job waited for a lock longer than the server's lock_timeout (\(said)): another session holds a lock the job needs (another run, or a long transaction on the same tables); the work in progress was rolled back, so the previous figures are kept: wait for that session to end, or turn the limit off for the job's roles (ALTER ROLE ... SET lock_timeout = 0), then run again."
        default:
            return said
        }
    }

    /// The SQLSTATEs of a missing table and of a missing grant: a setting to fix, not a failed run.
    public static let undefinedTable = "42P01", insufficientPrivilege = "42501"
    /// A write where the session is read only (`default_transaction_read_only`, a standby): a setting to fix too.
    public static let readOnlyTransaction = "25006"
    /// A statement cancelled (statement_timeout, pg_cancel_backend) and a lock waited for past lock_timeout.
    public static let queryCanceled = "57014", lockNotAvailable = "55P03"
    /// The server's disk (or a tablespace's) full, and the server out of memory.
    public static let diskFull = "53100", outOfMemory = "53200"
    /// A value beyond its numeric column (numeric field overflow).
    public static let numericOutOfRange = "22003"
    public var isSettingProblem: Bool {
        sqlState == ServerError.undefinedTable || sqlState == ServerError.insufficientPrivilege || sqlState == ServerError.readOnlyTransaction
    }
}

/// A connection target with the password removed: `user@host:port/dbname`.
public struct RedactedTarget: CustomStringConvertible, Sendable, Equatable {
    public let description: String

    /// From a connection string, before connecting. Falls back to the libpq defaults' description.
    public init(conninfo: String) {
        guard !conninfo.isEmpty else { description = "the default server (PG* variables)"; return }
        guard case .success(let fields) = ConnectionString.options(conninfo) else { description = "an unreadable connection string"; return }
        description = RedactedTarget.format(user: fields["user"], host: fields["host"] ?? fields["hostaddr"],
                                            port: fields["port"], db: fields["dbname"])
    }

    /// From an open connection: what libpq actually used.
    init(connection conn: OpaquePointer) {
        func s(_ p: UnsafeMutablePointer<CChar>?) -> String? { p.map { String(cString: $0) } }
        description = RedactedTarget.format(user: s(PQuser(conn)), host: s(PQhost(conn)), port: s(PQport(conn)), db: s(PQdb(conn)))
    }

    static func format(user: String?, host: String?, port: String?, db: String?) -> String {
        var s = ""
        if let user, !user.isEmpty { s += user + "@" }
        s += (host?.isEmpty == false ? host! : "localhost")
        if let port, !port.isEmpty { s += ":" + port }
        s += "/" + (db ?? "")
        return s
    }
}
