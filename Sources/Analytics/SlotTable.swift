/// Finds entries kept in an array of their owner's by an open-addressing table of their own: linear probing, at most
/// half full, cells holding the entry's index + 1 (0: empty). The owner hashes and compares its keys; this keeps the
/// cells. Used where a `Dictionary` would run SipHash over every key of millions (`PurchaseHistogram`, the funnel's
/// sessions).
struct SlotTable: Sendable {
    /// The count of cells is a power of two (or 0).
    private var cells: [Int32] = []

    /// The index of the entry hashed `hash` that `matches` accepts, or nil.
    func find(hash: Int, matches: (Int) -> Bool) -> Int? {
        guard !cells.isEmpty else { return nil }
        let mask = cells.count - 1
        var c = hash & mask
        while cells[c] != 0 {
            let i = Int(cells[c]) - 1
            if matches(i) { return i }
            c = (c + 1) & mask
        }
        return nil
    }

    /// The index of the entry hashed `hash` that `matches` accepts; else `count`, recorded as a new entry that the
    /// caller appends. `count`: the entries so far; `hashOf(i)`: entry i's hash, to place them again when the table grows.
    mutating func findOrAdd(hash: Int, count: Int, hashOf: (Int) -> Int, matches: (Int) -> Bool) -> (index: Int, isNew: Bool) {
        if 2 * (count + 1) > cells.count { grow(toHold: count + 1, count: count, hashOf: hashOf) }
        let mask = cells.count - 1
        var c = hash & mask
        while cells[c] != 0 {
            let i = Int(cells[c]) - 1
            if matches(i) { return (i, false) }
            c = (c + 1) & mask
        }
        cells[c] = Int32(count + 1)
        return (count, true)
    }

    /// Room for `entries` entries without growing (`count` and `hashOf` as in `findOrAdd`).
    mutating func reserve(_ entries: Int, count: Int, hashOf: (Int) -> Int) {
        if 2 * entries > cells.count { grow(toHold: entries, count: count, hashOf: hashOf) }
    }

    private mutating func grow(toHold entries: Int, count: Int, hashOf: (Int) -> Int) {
        var n = max(64, cells.count)
        while n < 2 * entries { n *= 2 }
        cells = [Int32](repeating: 0, count: n)
        let mask = n - 1
        for i in 0..<count {
            var c = hashOf(i) & mask
            while cells[c] != 0 { c = (c + 1) & mask }
            cells[c] = Int32(i + 1)
        }
    }
}
