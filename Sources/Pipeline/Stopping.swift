import Analytics
import Foundation
import Postgres

/// `concurrently`, where a part that fails stops the other: the statements on the other part's connections are
/// cancelled, and again until that part has ended (a statement it starts after a request is cancelled too), and the
/// error thrown is the failed part's, not the other's "canceling statement". Without this a lost connection beside
/// the orders' stream was reported only once the stream had been read to its end, a minute at 10M orders.
func concurrentlyStopping<A, B>(_ first: () throws -> A, cancelling firstConnections: [QueryCanceller],
                                _ second: () throws -> B, cancelling secondConnections: [QueryCanceller]) throws -> (A, B) {
    let firstEnded = Flag(), secondEnded = Flag()
    let cause = FirstFailure()
    func part<T>(_ body: () throws -> T, ended: Flag, other: [QueryCanceller], otherEnded: Flag) throws -> T {
        defer { ended.set() }
        do {
            return try body()
        } catch {
            if cause.record(error) {
                while !otherEnded.isSet { other.forEach { $0.cancel() }; Thread.sleep(forTimeInterval: 0.05) }
            }
            throw error
        }
    }
    do {
        return try concurrently({ try part(first, ended: firstEnded, other: secondConnections, otherEnded: secondEnded) },
                                { try part(second, ended: secondEnded, other: firstConnections, otherEnded: firstEnded) })
    } catch {
        throw cause.error ?? error
    }
}

/// A flag one thread sets and another reads.
private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}

/// The first error of two threads.
private final class FirstFailure: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var error: (any Error)?
    /// Keeps `error` if it is the first; true then.
    func record(_ e: any Error) -> Bool {
        lock.lock(); defer { lock.unlock() }
        guard error == nil else { return false }
        error = e
        return true
    }
}
