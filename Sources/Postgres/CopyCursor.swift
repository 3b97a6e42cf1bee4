import CLibPQ

/// A `COPY (query) TO STDOUT` (text format) read one row at a time, at the caller's pace, so that two ordered streams
/// on two connections can be merged without holding either. The connection runs nothing else until the cursor is
/// closed (at its end, by `close()`, or when it is released).
public final class CopyCursor {
    private let connection: Connection
    /// Only `advance` touches it, one call at a time (the class is not shared across threads): unchecked, as a dynamic
    /// exclusivity check per row showed in profiles.
    @exclusivity(unchecked) private var row = CopyRow()
    private var open = true

    /// Starts the COPY on `connection`.
    public init(_ connection: Connection, _ sql: String) throws(PostgresError) {
        self.connection = connection
        do { try connection.startCopyOut(sql) } catch { open = false; throw error }
    }

    deinit { try? close() }

    /// Calls `body` with the next row and returns what it returns, or nil (without calling it) after the last row.
    public func next<R>(_ body: (borrowing CopyRow) throws -> R) throws -> R? {
        var result: R?
        guard try advance({ result = try body($0) }) else { return nil }
        return result
    }

    /// Calls `body` with the next row and returns true, or returns false (without calling it) after the last row.
    /// Not generic, so a caller in another module pays no generic dispatch per row.
    public func advance(_ body: (borrowing CopyRow) throws -> Void) throws -> Bool {
        guard open else { return false }
        let handle = connection.handle
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let n = PQgetCopyData(handle, &buffer, 0)
            if n == -1 {
                open = false
                try connection.finishResult()
                return false
            }
            if n == -2 {
                open = false
                throw connection.checkingLost(.copyFailed(reason: connection.lastError))
            }
            guard let buffer else { continue }
            defer { PQfreemem(buffer) }
            let bytes = UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self)
            var len = Int(n)
            if len > 0 && bytes[len - 1] == UInt8(ascii: "\n") { len -= 1 }
            row.reset(UnsafeBufferPointer(start: bytes, count: len))
            try body(row)
            return true
        }
    }

    /// Reads and drops the rest of the stream, so the connection is usable again; safe to call more than once.
    public func close() throws {
        while try advance({ _ in }) {}
    }
}

extension Connection {
    /// Runs `sql`, which must start a `COPY ... TO STDOUT`; the rows are then read with `PQgetCopyData`.
    func startCopyOut(_ sql: String) throws(PostgresError) {
        guard let start = PQexec(handle, sql) else { throw checkingLost(.server(ServerError(message: lastError))) }
        defer { PQclear(start) }
        let status = PQresultStatus(start)
        guard status == PGRES_COPY_OUT else {
            if status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE { throw checkingLost(.server(ServerError(result: start))) }
            throw PostgresError.copyFailed(reason: "the statement did not start a COPY TO STDOUT")
        }
    }
}
