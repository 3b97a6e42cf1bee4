@testable import Extract
import XCTest

/// The ids the daily extract looks orders up in answer exactly as a Swift `Set` would, held as a bitmap (dense ids) or
/// as sorted ids (sparse ones), at both ends of Int64.
final class IdSetTests: XCTestCase {
    func testDenseAndSparseIdsAnswerLikeASet() {
        var generator = SystemRandomNumberGenerator()
        let cases: [(String, [Int64])] = [
            ("dense user ids", (0..<5_000).map { _ in Int64.random(in: 1...8_000, using: &generator) }),
            ("sparse order ids", (0..<300).map { _ in Int64.random(in: 1...100_000_000_000, using: &generator) }),
            ("ids at both ends of Int64", [Int64.min, Int64.min + 1, -1, 0, 1, Int64.max - 1, Int64.max]),
            ("one id", [42]),
            ("negative dense ids with repeats", [-70, -70, -64, -63, -1, -1]),
        ]
        for (name, ids) in cases {
            let set = IdSet(ids), expected = Set(ids)
            var probes = ids.flatMap { [$0, $0 &- 1, $0 &+ 1, $0 &+ 64, $0 &- 64] }
            probes += [Int64.min, Int64.max, 0, -1, 1] + (0..<2_000).map { _ in Int64.random(in: -10_000...10_000, using: &generator) }
            for p in probes where set.contains(p) != expected.contains(p) {
                XCTFail("\(name): contains(\(p)) is \(set.contains(p)), a Set says \(expected.contains(p))")
                break
            }
        }
        XCTAssertFalse(IdSet([]).contains(0), "an empty set holds nothing")
    }
}
