import CLibPQ

/// A single libpq connection. Owns its `PGconn` and closes it in `deinit`.
///
/// Not thread-safe: use one connection per thread. Every session is put in UTC with ISO dates, so
/// timestamps arrive as `YYYY-MM-DD HH:MM:SS[.ffffff]+00` whatever the server's settings are.
public final class Connection {
    let handle: OpaquePointer
    /// Where this connection goes, without the password: safe for logs and error messages.
    public let target: RedactedTarget
    /// What `sibling()` opens again (it may hold a password: never logged, never printed).
    private let conninfo: String?
    private let applicationName: String

    /// Opens a connection.
    /// - Parameter conninfo: a `postgresql://` URL or `key=value` string; `nil` or empty uses libpq's own defaults
    ///   (the `PG*` environment variables and `~/.pgpass`).
    public init(_ conninfo: String?, applicationName: String = "dusangire-analytics") throws(PostgresError) {
        let info = conninfo ?? ""
        let target = RedactedTarget(conninfo: info)
        // Read first so that a malformed string gets its own message instead of a connection failure.
        if !info.isEmpty, case .failure(let problem) = ConnectionString.options(info) { throw problem }
        let keys = ["dbname", "application_name", "client_encoding"]
        let values = [info, applicationName, "UTF8"]
        let conn: OpaquePointer? = withCStrings(keys) { k in
            withCStrings(values) { v in PQconnectdbParams(k, v, 1) }
        }
        guard let conn else { throw .connectionFailed(target: target, reason: "out of memory") }
        guard PQstatus(conn) == CONNECTION_OK else {
            let reason = PostgresError.plainConnectionReason(String(cString: PQerrorMessage(conn)).trimmedMessage)
            PQfinish(conn)
            throw .connectionFailed(target: target, reason: reason)
        }
        self.handle = conn
        self.target = RedactedTarget(connection: conn)
        self.conninfo = conninfo
        self.applicationName = applicationName
        // libpq prints server notices to standard error by default, including the FATAL a server sends when it
        // drops the connection: the error that follows says it in a sentence, so the raw line is not printed.
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        // Server NOTICEs ("already exists, skipping") are not for the person running the job.
        try execute("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 3; SET client_min_messages = warning")
    }

    deinit { PQfinish(handle) }

    /// A second connection to the same database as the same role (the same connection string), e.g. to read a second
    /// stream inside a snapshot this one exported.
    public func sibling() throws(PostgresError) -> Connection {
        try Connection(conninfo, applicationName: applicationName)
    }

    /// Runs one statement (or, without parameters, several separated by semicolons) and returns its rows as text.
    /// Parameters are sent separately from the SQL text (never interpolated); `nil` is SQL NULL.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?] = []) throws(PostgresError) -> QueryResult {
        let result: OpaquePointer?
        if parameters.isEmpty {
            result = PQexec(handle, sql)
        } else {
            result = withOptionalCStrings(parameters) { values in
                PQexecParams(handle, sql, Int32(parameters.count), nil, values, nil, nil, 0)
            }
        }
        return try QueryResult(checking: result, connection: self)
    }

    /// The names of the columns `query` returns, in order, without running it (the statement is only prepared and
    /// described): an extract looks its columns up by name once, then reads every row by position.
    public func columnNames(of query: String) throws(PostgresError) -> [String] {
        _ = try QueryResult(checking: PQprepare(handle, "", query, 0, nil), connection: self)
        return try QueryResult(checking: PQdescribePrepared(handle, ""), connection: self).columns
    }

    /// Convenience: the first column of the first row, or `nil`.
    public func scalar(_ sql: String, _ parameters: [String?] = []) throws(PostgresError) -> String? {
        let r = try execute(sql, parameters)
        return r.rowCount > 0 ? r[0, 0] : nil
    }

    /// Runs `body` inside `BEGIN ... COMMIT`; any error thrown rolls the transaction back and is rethrown.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
    }

    /// Takes a session-level advisory lock. Returns `false` at once if another session holds it.
    public func tryAdvisoryLock(_ key: Int64) throws(PostgresError) -> Bool {
        try scalar("SELECT pg_try_advisory_lock($1::bigint)", [String(key)]) == "t"
    }

    /// Takes a session-level advisory lock, waiting as long as another session holds it.
    public func advisoryLock(_ key: Int64) throws(PostgresError) {
        try execute("SELECT pg_advisory_lock($1::bigint)", [String(key)])
    }

    public func advisoryUnlock(_ key: Int64) throws(PostgresError) {
        try execute("SELECT pg_advisory_unlock($1::bigint)", [String(key)])
    }

    /// The server's message for the last failure on this connection.
    var lastError: String { String(cString: PQerrorMessage(handle)).trimmedMessage }

    /// `error`, or `connectionLost` when the connection is gone (the server stopped or the network broke), so the
    /// message says that instead of quoting libpq.
    func checkingLost(_ error: PostgresError) -> PostgresError {
        PQstatus(handle) == CONNECTION_BAD ? .connectionLost(target: target, reason: lastError) : error
    }
}

/// The rows of a finished query, as text. Small results only: bulk data goes through COPY.
public struct QueryResult: Sendable {
    public let columns: [String]
    public let rows: [[String?]]
    /// Rows affected by INSERT/UPDATE/DELETE (0 for other statements).
    public let affected: Int

    init(checking result: OpaquePointer?, connection: Connection) throws(PostgresError) {
        guard let result else { throw connection.checkingLost(.server(ServerError(message: connection.lastError))) }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            throw connection.checkingLost(.server(ServerError(result: result)))
        }
        let nf = Int(PQnfields(result)), nt = Int(PQntuples(result))
        columns = (0..<nf).map { String(cString: PQfname(result, Int32($0))) }
        rows = (0..<nt).map { r in
            (0..<nf).map { c in
                PQgetisnull(result, Int32(r), Int32(c)) == 1 ? nil : String(cString: PQgetvalue(result, Int32(r), Int32(c)))
            }
        }
        affected = Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    public var rowCount: Int { rows.count }
    public subscript(row: Int, column: Int) -> String? { rows[row][column] }
}

extension String {
    /// libpq messages end in newlines and sometimes carry a "FATAL:  " prefix; one clean line reads better.
    var trimmedMessage: String {
        var s = self.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: " \t") }.filter { !$0.isEmpty }
            .joined(separator: "; ")
        for prefix in ["FATAL:  ", "ERROR:  "] where s.hasPrefix(prefix) { s.removeFirst(prefix.count) }
        return s
    }

    func trimmingCharacters(in set: String) -> String {
        var scalars = Substring(self)
        while let f = scalars.first, set.contains(f) { scalars.removeFirst() }
        while let l = scalars.last, set.contains(l) { scalars.removeLast() }
        return String(scalars)
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String { String(self).trimmingCharacters(in: set) }
}

func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let dup = strings.map { strdup($0) }
    defer { dup.forEach { free($0) } }
    var ptrs: [UnsafePointer<CChar>?] = dup.map { UnsafePointer($0) }
    ptrs.append(nil)
    return ptrs.withUnsafeBufferPointer { body($0.baseAddress!) }
}

func withOptionalCStrings<R>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let dup = strings.map { $0.map { strdup($0) } ?? nil }
    defer { dup.forEach { free($0) } }
    let ptrs: [UnsafePointer<CChar>?] = dup.map { $0.map { UnsafePointer($0) } }
    return ptrs.withUnsafeBufferPointer { body($0.baseAddress!) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
