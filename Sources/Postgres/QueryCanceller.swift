import CLibPQ

/// Asks the server to cancel whatever some connections are running, from any thread (libpq's `PQcancel`, made for
/// that): a job stops a long stream at once when the part running beside it has failed, instead of reading it to
/// its end first.
public final class QueryCanceller: @unchecked Sendable {
    private let handles: [OpaquePointer]

    /// Made on the thread that owns the connections, while none of them is in use by another.
    public init(_ connections: [Connection]) {
        handles = connections.compactMap { PQgetCancel($0.handle) }
    }

    deinit { for h in handles { PQfreeCancel(h) } }

    /// Sends a cancel request for each connection's running statement (none running: nothing happens). Errors are
    /// dropped: the statement then ends on its own, as it would have without the request. libpq's `PQcancel` uses
    /// only its `PGcancel` and a buffer of the caller's, so no lock is needed.
    public func cancel() {
        var message = [CChar](repeating: 0, count: 256)
        for h in handles { _ = PQcancel(h, &message, Int32(message.count)) }
    }
}
