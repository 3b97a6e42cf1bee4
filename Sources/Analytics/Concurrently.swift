import Foundation

/// Runs two parts of a computation at the same time, each on its own thread, and returns both results once both have
/// ended. An error of either is thrown then, the first part's first. Parts that cannot fail make a call that cannot.
///
/// Each part touches only what the other leaves alone meanwhile: its own connection (a stage's
/// `ShopSource.onSecondConnection()`) and its own values. What both read, neither writes.
public func concurrently<A, B, E: Error>(_ first: () throws(E) -> A, _ second: () throws(E) -> B) throws(E) -> (A, B) {
    try withoutActuallyEscaping(first) { (first) throws(E) -> (A, B) in
        try withoutActuallyEscaping(second) { (second) throws(E) -> (A, B) in
            let parts = Parts(first: first, second: second)
            DispatchQueue.concurrentPerform(iterations: 2) { i in parts.run(i) }
            return (try parts.a!.get(), try parts.b!.get())
        }
    }
}

/// The two parts and their results: part 0 sets only `a`, part 1 only `b`, and both are read after both ended.
private final class Parts<A, B, E: Error>: @unchecked Sendable {
    let first: () throws(E) -> A
    let second: () throws(E) -> B
    var a: Result<A, E>?
    var b: Result<B, E>?

    init(first: @escaping () throws(E) -> A, second: @escaping () throws(E) -> B) { self.first = first; self.second = second }

    func run(_ part: Int) {
        if part == 0 { a = Result { () throws(E) -> A in try first() } } else { b = Result { () throws(E) -> B in try second() } }
    }
}

/// `items.map(transform)`, the items split evenly between the processor's cores (in order: the result is the same
/// array whatever the number of cores).
func parallelMap<T: Sendable, R>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
    guard !items.isEmpty else { return [] }
    return [R](unsafeUninitializedCapacity: items.count) { buffer, initialized in
        nonisolated(unsafe) let base = buffer.baseAddress!
        forEachPart(of: items.count, perCore: 1_000) { part in
            for k in part { (base + k).initialize(to: transform(items[k])) }
        }
        initialized = items.count
    }
}

/// Calls `body` with `0..<count` in contiguous parts, one per core and all at once, when each part gets at least
/// `perCore` items; else with the whole range on this thread. Each call touches only its own part.
public func forEachPart(of count: Int, perCore: Int, _ body: @Sendable (Range<Int>) -> Void) {
    let parts = partsOf(count, perCore: perCore)
    guard parts.count > 1 else { return body(parts[0]) }
    DispatchQueue.concurrentPerform(iterations: parts.count) { p in body(parts[p]) }
}

/// `transform` of each of the parts `forEachPart` makes of `0..<count`, run as it runs them, in the parts' order.
public func mapParts<R>(of count: Int, perCore: Int, _ transform: @Sendable (Range<Int>) -> R) -> [R] {
    let parts = partsOf(count, perCore: perCore)
    guard parts.count > 1 else { return [transform(parts[0])] }
    return [R](unsafeUninitializedCapacity: parts.count) { buffer, initialized in
        nonisolated(unsafe) let base = buffer.baseAddress!
        DispatchQueue.concurrentPerform(iterations: parts.count) { p in (base + p).initialize(to: transform(parts[p])) }
        initialized = parts.count
    }
}

/// `0..<count` in contiguous parts of at least `perCore` items, at most one per core.
private func partsOf(_ count: Int, perCore: Int) -> [Range<Int>] {
    let parts = min(ProcessInfo.processInfo.activeProcessorCount, count / perCore)
    guard parts > 1 else { return [0..<count] }
    return (0..<parts).map { p in (count * p / parts)..<(count * (p + 1) / parts) }
}
