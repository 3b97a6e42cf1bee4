import Foundation

/// Runs a producer on a thread of its own, which hands what it reads over in batches (never empty ones), at most
/// `depth` batches ahead of the thread that takes them (`nextBatch`). The order streams use it so that reading and checking rows need not wait
/// for the turn of the thread that adds them up: on two cores the merging thread was runnable 95% of the time yet
/// running only half of it, while one core stood idle a fifth of the time.
///
/// Only the producer's thread touches what the producer captured (its connection, its cursor) until it has ended:
/// `close` waits for that.
final class ReadAhead<Batch>: @unchecked Sendable {
    /// Hands a batch over; false when the taker has stopped taking batches (the producer then ends at once, leaving
    /// its connection usable).
    typealias Hand = (Batch) -> Bool

    private let depth: Int
    private let produce: (Hand) throws -> Void
    private let condition = NSCondition()
    // Guarded by `condition`:
    private var ready: [Batch] = []
    /// The thread has ended: at the producer's end, or with `failure`.
    private var threadDone = false
    private var failure: (any Error)?
    private var stopping = false

    /// Starts `produce` on its own thread at once.
    init(depth: Int, _ produce: @escaping (Hand) throws -> Void) {
        self.depth = depth
        self.produce = produce
        let thread = Thread { [self] in run() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// The next batch, nil after the last; throws what the producer threw.
    func nextBatch() throws -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !threadDone { condition.wait() }
        if !ready.isEmpty {
            let batch = ready.removeFirst()
            condition.broadcast()
            return batch
        }
        if let failure { throw failure }
        return nil
    }

    /// Stops taking batches and waits for the producer to end; throws what it threw (other than `ReadAheadStopped`).
    func close() throws {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !threadDone { condition.wait() }
        let failure = self.failure
        condition.unlock()
        if let failure { throw failure }
    }

    private func run() {
        do {
            try produce { [self] batch in hand(batch) }
            finish(nil)
        } catch is ReadAheadStopped {
            finish(nil)
        } catch {
            finish(error)
        }
    }

    /// Hands a batch over once fewer than `depth` wait; false when the taker has stopped.
    private func hand(_ batch: Batch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while ready.count >= depth && !stopping { condition.wait() }
        if stopping { return false }
        ready.append(batch)
        condition.broadcast()
        return true
    }

    private func finish(_ error: (any Error)?) {
        condition.lock()
        failure = error
        threadDone = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Thrown inside a `ReadAhead` producer whose `Hand` returned false, to leave a callback-driven read; never reaches a
/// caller.
struct ReadAheadStopped: Error {}
