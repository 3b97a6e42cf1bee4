@testable import Postgres
import XCTest

/// A row is split at its tabs eight bytes at a time: checked against a plain split of the same bytes, for lines of
/// every length around the word size, tabs anywhere, and the bytes closest to a tab (8, 10, 0x89, 0xC9).
final class CopyRowSplitTests: XCTestCase {
    private func fields(_ line: [UInt8]) -> [[UInt8]] {
        var row = CopyRow()
        return line.withUnsafeBufferPointer { b in
            row.reset(b)
            return (0..<row.count).map { Array(row.raw($0)) }
        }
    }

    func testEveryTabIsFoundAtAnyPosition() {
        let alphabet: [UInt8] = [9, 9, 8, 10, 0x89, 0xC9, 0x39, 0x5C, 0x4E, 0, 0xFF, 0x61]
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        for length in 0...70 {
            for _ in 0..<40 {
                let line: [UInt8] = (0..<length).map { _ in
                    seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    return alphabet[Int(seed >> 59) % alphabet.count]
                }
                let expected = line.split(separator: 9, omittingEmptySubsequences: false).map(Array.init)
                XCTAssertEqual(fields(line), expected, "line \(line)")
            }
        }
    }

    func testAllTabsAndNoTabs() {
        XCTAssertEqual(fields(Array(repeating: 9, count: 40)), Array(repeating: [], count: 41), "40 tabs are 41 empty fields")
        XCTAssertEqual(fields(Array("no tab at all, longer than a word".utf8)), [Array("no tab at all, longer than a word".utf8)])
        XCTAssertEqual(fields([]), [[]], "an empty line is one empty field")
    }
}
