import Postgres
@testable import Warehouse
import XCTest

/// A table emptied and filled again in one load: its indexes are dropped for the COPY and built again after it, with
/// the same names and definitions, inside the load's transaction.
final class TableRefillTests: XCTestCase {
    private let indexes = "SELECT indexname || ': ' || indexdef FROM pg_indexes WHERE schemaname = 'analytics' AND tablename = $1 ORDER BY 1"
    /// The indexes' object ids: a rebuilt index is a new object.
    private let oids = "SELECT string_agg(indexrelid::text, ',' ORDER BY indexrelid::regclass::text) FROM pg_index WHERE indrelid = 'analytics.refill_test'::regclass"

    /// `count` rows of (id, grp, v) starting at id `first`, for `analytics.refill_test`.
    private func rows(_ count: Int, first: Int64 = 1) throws -> TableWrite {
        var r = CopyRows()
        for k in 0..<Int64(count) {
            r.append(first + k); r.append(k % 3 == 0 ? "a" : "b"); r.append(k)
            try r.endRow()
        }
        return TableWrite(table: "analytics.refill_test", columns: ["id", "grp", "v"], rows: r, refills: true)
    }

    private func table(_ db: Connection) throws {
        try db.execute("CREATE TABLE analytics.refill_test (id bigint PRIMARY KEY, grp text NOT NULL, v bigint NOT NULL, UNIQUE (grp, v))")
        try db.execute("CREATE INDEX refill_test_grp ON analytics.refill_test (grp) WHERE v > 10")
    }

    func testARefilledTableGetsItsRowsAndTheSameIndexesBack() throws {
        let shop = try TestShop()
        let db = try shop.connect()
        try table(db)
        let before = try db.execute(indexes, ["refill_test"]).rows
        XCTAssertEqual(before.count, 3)
        let oidsBefore = try db.scalar(oids)!.split(separator: ",")
        try db.transaction {
            try db.execute("TRUNCATE analytics.refill_test")
            XCTAssertEqual(try rows(25_000).write(on: db), 25_000)
            // Inside the transaction, between the COPY and the commit, the indexes are back already.
            XCTAssertEqual(try db.execute(indexes, ["refill_test"]).rows, before)
        }
        XCTAssertEqual(try db.execute(indexes, ["refill_test"]).rows, before)
        let oidsAfter = try db.scalar(oids)!.split(separator: ",")
        XCTAssertEqual(oidsAfter.count, 3)
        XCTAssertTrue(zip(oidsBefore, oidsAfter).allSatisfy { $0 != $1 }, "every index built again: \(oidsBefore) -> \(oidsAfter)")
        XCTAssertEqual(try db.scalar("SELECT count(*) || ' ' || sum(v) || ' ' || count(*) FILTER (WHERE grp = 'a') FROM analytics.refill_test"),
                       "25000 312487500 8334")
        // The primary key and the unique constraint are constraints again, and they hold.
        XCTAssertEqual(try db.execute("""
            SELECT conname || ' ' || contype::text FROM pg_constraint WHERE conrelid = 'analytics.refill_test'::regclass ORDER BY 1
            """).rows, [["refill_test_grp_v_key u"], ["refill_test_pkey p"]])
        XCTAssertThrowsError(try db.execute("INSERT INTO analytics.refill_test VALUES (1, 'z', -1)"))
        // The planner finds the partial index.
        let plan = try db.execute("EXPLAIN SELECT id FROM analytics.refill_test WHERE grp = 'a' AND v > 24990").rows.map { $0[0] ?? "" }
        XCTAssertTrue(plan.contains { $0.contains("refill_test_grp") || $0.contains("refill_test_grp_v_key") }, "\(plan)")
    }

    /// Rows that break the primary key fail the load when the key is built again, and the rollback leaves the old rows
    /// and every index.
    func testARefillThatBreaksTheKeyFailsAndLeavesTheTableAsItWas() throws {
        let shop = try TestShop()
        let db = try shop.connect()
        try table(db)
        try db.transaction { _ = try rows(3).write(on: db) }
        let before = try db.execute(indexes, ["refill_test"]).rows
        var broken = try rows(20_000)
        broken.rows.append(contentsOf: try rows(1, first: 5).rows)  // id 5 twice
        XCTAssertThrowsError(try db.transaction {
            try db.execute("TRUNCATE analytics.refill_test")
            _ = try broken.write(on: db)
        })
        XCTAssertEqual(try db.scalar("SELECT string_agg(id::text, ',' ORDER BY id) FROM analytics.refill_test"), "1,2,3")
        XCTAssertEqual(try db.execute(indexes, ["refill_test"]).rows, before)
    }

    /// A key that a foreign key relies on is left in place (dropping it would fail): the other indexes are rebuilt.
    func testAKeyAForeignKeyReliesOnStays() throws {
        let shop = try TestShop()
        let db = try shop.connect()
        try table(db)
        try db.execute("CREATE TABLE analytics.refill_child (parent bigint REFERENCES analytics.refill_test (id))")
        let before = try db.execute(indexes, ["refill_test"]).rows
        let key = try db.scalar("SELECT 'analytics.refill_test_pkey'::regclass::oid"), other = try db.scalar("SELECT 'analytics.refill_test_grp'::regclass::oid")
        let droppable = try TableIndex.droppable(of: "analytics.refill_test", on: db).map(\.drop)
        XCTAssertEqual(droppable, ["ALTER TABLE analytics.refill_test DROP CONSTRAINT refill_test_grp_v_key", "DROP INDEX analytics.refill_test_grp"])
        try db.transaction {
            try db.execute("DELETE FROM analytics.refill_test")
            XCTAssertEqual(try rows(21_000).write(on: db), 21_000)
        }
        XCTAssertEqual(try db.execute(indexes, ["refill_test"]).rows, before)
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM analytics.refill_test"), "21000")
        XCTAssertEqual(try db.scalar("SELECT 'analytics.refill_test_pkey'::regclass::oid"), key)
        XCTAssertNotEqual(try db.scalar("SELECT 'analytics.refill_test_grp'::regclass::oid"), other)
    }
}
