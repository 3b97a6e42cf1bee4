import Postgres
import XCTest

/// `CopyRows` keeps a large table's text in blocks of about a megabyte: the rows come back, and load, whole and in order.
final class CopyRowsBlocksTests: XCTestCase {
    /// 40,000 rows of about 60 bytes: some 2.4 MB, so two full blocks and a partial one.
    private func encoded(from first: Int, count: Int) throws -> CopyRows {
        var rows = CopyRows()
        for i in first..<(first + count) {
            rows.append(Int64(i))
            rows.append("row \(i)\twith a tab, a backslash \\ and é")
            try rows.endRow()
        }
        return rows
    }

    func testBlocksReadBackAndLoadInOrder() throws {
        var rows = try encoded(from: 0, count: 40_000)
        // Appending rows that are themselves in blocks, and a few that are not.
        rows.append(contentsOf: try encoded(from: 40_000, count: 30_000))
        rows.append(contentsOf: try encoded(from: 70_000, count: 3))
        XCTAssertEqual(rows.rows, 70_003)
        let lines = rows.lines
        XCTAssertEqual(lines.count, 70_003)
        XCTAssertEqual(lines[0], "0\trow 0\\twith a tab, a backslash \\\\ and é")
        XCTAssertEqual(lines[39_999], "39999\trow 39999\\twith a tab, a backslash \\\\ and é")
        XCTAssertEqual(lines[40_000], "40000\trow 40000\\twith a tab, a backslash \\\\ and é")
        XCTAssertEqual(lines[70_002], "70002\trow 70002\\twith a tab, a backslash \\\\ and é")

        let shop = try TestShop()
        let db = try shop.connect()
        try db.execute("CREATE TEMP TABLE blocks (id bigint, note text)")
        XCTAssertEqual(try db.copyIn("COPY blocks (id, note) FROM STDIN", rows: rows), 70_003)
        // Every row once, in order of loading, and the text as it was.
        XCTAssertEqual(try db.execute("""
            SELECT count(*), count(DISTINCT id), sum(id), min(id), max(id),
                   bool_and(note = 'row ' || id || E'\\twith a tab, a backslash \\\\ and é')
            FROM blocks
            """).rows, [["70003", "70003", "2450175003", "0", "70002", "t"]])
    }
}
