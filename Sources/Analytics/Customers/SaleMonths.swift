/// The months in which one customer bought (year * 12 + month - 1), ascending: the first, the 63 after it as bits, and
/// any later ones in a list (a customer who still buys more than five years after the first sale). A million customers'
/// months are then no million small arrays to allocate, copy and free: at 10M orders a nightly run spent about a third
/// of its step from the kept sums to the analysis on them.
public struct SaleMonths: Sendable, Equatable, Sequence, ExpressibleByArrayLiteral {
    /// The first month; meaningful only when `bits` is not zero.
    private var start: Int32 = 0
    /// Bit k: a sale in month `start + k` (bit 0 is the first month: set in any non-empty value).
    private var bits: UInt64 = 0
    /// The months from `start + 64` on, ascending.
    private var later: [Int32] = []

    public init() {}

    public init(arrayLiteral months: Int32...) {
        for m in months { append(m) }
    }

    public var isEmpty: Bool { bits == 0 }

    public var first: Int32? { isEmpty ? nil : start }

    public var last: Int32? { later.last ?? (isEmpty ? nil : start + Int32(63 - bits.leadingZeroBitCount)) }

    /// Adds a month after the last one; a month not after it is already counted, or out of order, and is left out.
    public mutating func append(_ month: Int32) {
        guard let last else { start = month; bits = 1; return }
        guard month > last else { return }
        let k = Int64(month) - Int64(start)
        if k < 64 { bits |= 1 << UInt64(k) } else { later.append(month) }
    }

    public func makeIterator() -> Iterator { Iterator(start: start, bits: bits, later: later) }

    public struct Iterator: IteratorProtocol {
        fileprivate let start: Int32
        fileprivate var bits: UInt64
        fileprivate let later: [Int32]
        fileprivate var nextLater = 0

        public mutating func next() -> Int32? {
            if bits != 0 {
                let k = bits.trailingZeroBitCount
                bits &= bits - 1
                return start + Int32(k)
            }
            guard nextLater < later.count else { return nil }
            defer { nextLater += 1 }
            return later[nextLater]
        }
    }
}
