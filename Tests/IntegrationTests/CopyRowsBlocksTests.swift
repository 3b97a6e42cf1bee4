import Postgres
import XCTest

/// `CopyRows` keeps a large table's text in blocks of about a megabyte, those after the first eight compressed: the
/// rows come back, and load, whole and in order.
final class CopyRowsBlocksTests: XCTestCase {
    /// Rows of about 50 bytes: 300,000 are some 15 MB.
    private func encoded(from first: Int, count: Int) throws -> CopyRows {
        var rows = CopyRows()
        for i in first..<(first + count) {
            rows.append(Int64(i))
            rows.append("row \(i)\twith a tab, a backslash \\ and é")
            try rows.endRow()
        }
        return rows
    }

    private func line(_ i: Int) -> String { "\(i)\trow \(i)\\twith a tab, a backslash \\\\ and é" }

    func testBlocksReadBackAndLoadInOrder() throws {
        // Eight blocks as written, then six compressed and a partial one.
        var rows = try encoded(from: 0, count: 300_000)
        var text = 0
        try rows.forEachBlock { text += $0.count }
        XCTAssertEqual(text, (0..<300_000).reduce(0) { $0 + line($1).utf8.count + 1 })
        XCTAssertLessThan(rows.heldBytes, text - 5 << 20, "the blocks after the eighth wait compressed")
        // Appending rows that are themselves in blocks, and a few that are not.
        rows.append(contentsOf: try encoded(from: 300_000, count: 30_000))
        rows.append(contentsOf: try encoded(from: 330_000, count: 3))
        XCTAssertEqual(rows.rows, 330_003)
        let lines = try rows.lines()
        XCTAssertEqual(lines.count, 330_003)
        for i in [0, 1, 17_000, 160_000, 170_001, 299_999, 300_000, 329_999, 330_000, 330_002] {
            XCTAssertEqual(lines[i], line(i))
        }
        XCTAssertEqual(lines, (0..<330_003).map(line))

        let shop = try TestShop()
        let db = try shop.connect()
        try db.execute("CREATE TEMP TABLE blocks (id bigint, note text)")
        XCTAssertEqual(try db.copyIn("COPY blocks (id, note) FROM STDIN", rows: rows), 330_003)
        // Every row once, in order of loading, and the text as it was.
        XCTAssertEqual(try db.execute("""
            SELECT count(*), count(DISTINCT id), sum(id), min(id), max(id),
                   bool_and(note = 'row ' || id || E'\\twith a tab, a backslash \\\\ and é')
            FROM blocks
            """).rows, [["330003", "330003", "54450825003", "0", "330002", "t"]])
        // The binary COPY reads the same blocks.
        try db.execute("CREATE TEMP TABLE blocks_binary (id bigint, note text)")
        let layout = try XCTUnwrap(try db.binaryCopyLayout(table: "blocks_binary", columns: ["id", "note"]))
        let binary = try db.copyInBinary("COPY blocks_binary (id, note) FROM STDIN", rows: rows, layout: layout)
        XCTAssertEqual(binary.rows, 330_003)
        XCTAssertFalse(binary.asText)
        XCTAssertEqual(try db.execute("SELECT count(*) FROM blocks b JOIN blocks_binary c USING (id) WHERE b.note = c.note").rows, [["330003"]])
    }
}
