import Dispatch

/// Runs two parts of a stage at the same time, each on its own thread, and returns both results once both have ended.
/// An error of either is thrown then, the first part's first.
///
/// Each part touches only what the other leaves alone meanwhile: its own connection (`ShopSource.onSecondConnection()`)
/// and its own values. What both read, neither writes.
func concurrently<A, B>(_ first: () throws -> A, _ second: () throws -> B) throws -> (A, B) {
    try withoutActuallyEscaping(first) { first in
        try withoutActuallyEscaping(second) { second in
            let parts = Parts(first: first, second: second)
            DispatchQueue.concurrentPerform(iterations: 2) { i in parts.run(i) }
            return (try parts.a!.get(), try parts.b!.get())
        }
    }
}

/// The two parts and their results: part 0 sets only `a`, part 1 only `b`, and both are read after both ended.
private final class Parts<A, B>: @unchecked Sendable {
    let first: () throws -> A
    let second: () throws -> B
    var a: Result<A, any Error>?
    var b: Result<B, any Error>?

    init(first: @escaping () throws -> A, second: @escaping () throws -> B) { self.first = first; self.second = second }

    func run(_ part: Int) {
        if part == 0 { a = Result { try first() } } else { b = Result { try second() } }
    }
}
