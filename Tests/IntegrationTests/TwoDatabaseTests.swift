import Foundation
import Postgres
import Warehouse
import XCTest

/// A warehouse database of its own beside a `TestShop`, migrated, dropped at the end of the test.
final class TestWarehouse {
    let name: String
    let admin: Connection
    private let server: Connection

    init() throws {
        server = try Connection("dbname=postgres")
        name = "dusangire_wh_\(UInt32.random(in: 0...UInt32.max))"
        try server.execute("CREATE DATABASE \(name)")
        admin = try Connection("dbname=\(name)")
        try admin.execute("SET client_min_messages = warning")
        try Migrator(connection: admin, sql: TestShop.sql).migrate()
    }

    deinit {
        _ = try? server.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    var url: String { "dbname=\(name)" }
}

/// The shop's own analytics tables in the shop's database and the warehouse in another (DUSANGIRE_DJANGO_URL): after
/// a failure or a kill at any point, the next run leaves both in agreement; a run that exits 0 leaves them agreeing;
/// `runs` says when the shop's tables are behind.
final class TwoDatabaseTests: XCTestCase {
    private var shop: TestShop!
    private var warehouse: TestWarehouse!
    private var env: [String: String] = [:]

    override func setUpWithError() throws {
        shop = try TestShop()
        warehouse = try TestWarehouse()
        env = ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": warehouse.url, "DUSANGIRE_DJANGO_URL": shop.url]
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 5000)
        try shop.couponCode(order: 1, "WEEK")
        try shop.campaign(1, name: "Week for all", description: "Use coupon code WEEK.", startKigali: "2026-11-23 00:00:00",
                          endKigali: "2026-11-29 23:59:59", budget: nil)
    }

    override func tearDown() {
        shop = nil
        warehouse = nil
    }

    private func backfill(_ day: String = "2026-11-23", env extra: [String: String] = [:]) throws -> CLI.Result {
        try CLI.run(["backfill", "--from", day, "--to", day, "--django-tables", "--no-report"], env: env.merging(extra) { $1 })
    }

    /// Orders and revenue of 2026-11-23 as the shop's table has them, and as the warehouse has them.
    private func shopDay() throws -> String? {
        try shop.admin.scalar("SELECT total_orders || ' ' || total_revenue FROM public.analytics_dailyanalyticssnapshot WHERE date = '2026-11-23'")
    }

    private func warehouseDay() throws -> String? {
        try warehouse.admin.scalar("SELECT total_orders || ' ' || total_revenue FROM analytics.daily_snapshot WHERE day = '2026-11-23'")
    }

    /// The shop's other tables in one line: user 1's sales and spending; the day's channel rows and their sum; each
    /// campaign row's id, sales with its coupon and their revenue.
    private func shopDetails() throws -> String? {
        try shop.admin.scalar("""
            SELECT (SELECT total_orders || ' ' || total_spent FROM public.analytics_customermetrics WHERE user_id = 1) || ' / ' ||
                   (SELECT count(*) || ' ' || sum(amount) FROM public.analytics_revenuestream WHERE date = '2026-11-23') || ' / ' ||
                   (SELECT string_agg(campaign_id || ' ' || orders_influenced || ' ' || revenue_generated, ',' ORDER BY id)
                    FROM public.analytics_campaignperformance)
            """)
    }

    private func lastLine(_ text: String) -> String { text.split(separator: "\n").last.map(String.init) ?? "" }

    private func runStates() throws -> String? {
        try warehouse.admin.scalar("SELECT string_agg(status || ':' || COALESCE(shop_tables, '-'), ',' ORDER BY id) FROM analytics.runs")
    }

    private func pendingRows() throws -> String? {
        try warehouse.admin.scalar("""
            SELECT (SELECT count(*) FROM shop_tables_pending.analytics_dailyanalyticssnapshot) + (SELECT count(*) FROM shop_tables_pending.analytics_revenuestream)
                 + (SELECT count(*) FROM shop_tables_pending.analytics_customermetrics) + (SELECT count(*) FROM shop_tables_pending.analytics_campaignperformance)
            """)
    }

    func testAFirstRunFillsBothDatabasesAndLeavesNothingPending() throws {
        let r = try backfill()
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(try warehouseDay(), "1 5000.00")
        XCTAssertEqual(try shopDay(), "1 5000.00")
        // 1 sale of 5000 for user 1; seven channels summing to the day's revenue.
        XCTAssertEqual(try shopDetails(), "1 5000.00 / 7 5000.00 / 1 1 5000.00")
        XCTAssertEqual(try runStates(), "succeeded:synced")
        XCTAssertEqual(try pendingRows(), "0")
        // The shop's own database holds no copy of the warehouse's run log: the warehouse was the one written.
        XCTAssertEqual(try shop.admin.scalar("SELECT count(*) FROM analytics.runs"), "0")
    }

    func testAWarehouseCommitThatFailsLeavesTheShopAsTheWarehouseAndTheNextRunAgrees() throws {
        XCTAssertEqual(try backfill().status, 0)
        try shop.order(2, user: 1, kigali: "2026-11-23 13:00", subtotal: 1000)
        try shop.couponCode(order: 2, "WEEK")
        // The run's last statement before its commit fails: the warehouse keeps the previous figures.
        try warehouse.admin.execute("""
            CREATE FUNCTION analytics.refuse_success() RETURNS trigger LANGUAGE plpgsql AS
              $$ BEGIN RAISE EXCEPTION 'forced failure of the warehouse commit'; END $$;
            CREATE TRIGGER refuse_success BEFORE UPDATE ON analytics.runs FOR EACH ROW
              WHEN (NEW.status = 'succeeded') EXECUTE FUNCTION analytics.refuse_success();
            """)
        let failed = try backfill()
        XCTAssertEqual(failed.status, 1, failed.err)
        XCTAssertTrue(failed.err.contains("forced failure of the warehouse commit"), failed.err)
        XCTAssertEqual(try warehouseDay(), "1 5000.00")
        XCTAssertEqual(try shopDay(), "1 5000.00", "the shop's table must not run ahead of the warehouse")
        XCTAssertEqual(try shopDetails(), "1 5000.00 / 7 5000.00 / 1 1 5000.00")

        try warehouse.admin.execute("DROP TRIGGER refuse_success ON analytics.runs")
        let again = try backfill()
        XCTAssertEqual(again.status, 0, again.err)
        XCTAssertEqual(try warehouseDay(), "2 6000.00")
        XCTAssertEqual(try shopDay(), "2 6000.00")
        XCTAssertEqual(try shopDetails(), "2 6000.00 / 7 6000.00 / 1 2 6000.00")
        XCTAssertEqual(try runStates(), "succeeded:synced,failed:-,succeeded:synced")
    }

    func testAKillAtAnyPointOfTheLoadIsRepairedByTheNextRunOfAnotherDay() throws {
        XCTAssertEqual(try backfill().status, 0)
        var orders = 1, revenue = 5000
        for (i, fault) in ["kill-after-delete", "kill-after-warehouse-commit", "kill-after-shop-commit"].enumerated() {
            orders += 1
            revenue += 1000
            try shop.order(10 + i, user: 1, kigali: "2026-11-23 1\(i):30", subtotal: 1000)
            let killed = try backfill(env: ["DUSANGIRE_FAULT": fault])
            XCTAssertNotEqual(killed.status, 0, fault)
            let before = "\(orders - 1) \(revenue - 1000).00", after = "\(orders) \(revenue).00"
            switch fault {
            case "kill-after-delete":  // inside the warehouse transaction: nothing changed anywhere
                XCTAssertEqual(before, "1 5000.00")
                XCTAssertEqual(try warehouseDay(), before, fault)
                XCTAssertEqual(try shopDay(), before, fault)
            case "kill-after-warehouse-commit":  // the warehouse has the day, the shop not yet, and `runs` says so
                XCTAssertEqual(after, "3 7000.00")
                XCTAssertEqual(try warehouseDay(), after, fault)
                XCTAssertEqual(try shopDay(), before, fault)
                let runs = try CLI.run(["runs"], env: env)
                XCTAssertEqual(runs.status, 0, runs.err)
                XCTAssertTrue(runs.out.hasPrefix("The shop's own analytics tables are behind the warehouse (run 5): "), runs.out)
                XCTAssertTrue(runs.out.contains("succeeded, shop tables behind"), runs.out)
            default:  // the shop has it too, the run is not yet marked synced
                XCTAssertEqual(after, "4 8000.00")
                XCTAssertEqual(try warehouseDay(), after, fault)
                XCTAssertEqual(try shopDay(), after, fault)
            }
            // The next run computes another day, and first brings the shop's tables up to the warehouse.
            let next = try backfill("2026-11-25")
            XCTAssertEqual(next.status, 0, "\(fault): \(next.err)")
            XCTAssertEqual(try shopDay(), try warehouseDay(), fault)
            XCTAssertEqual(try pendingRows(), "0", fault)
            XCTAssertFalse(try CLI.run(["runs"], env: env).out.contains("behind"), fault)
            // And a run of the day itself agrees, with every order.
            XCTAssertEqual(try backfill().status, 0, fault)
            XCTAssertEqual(try shopDay(), after, fault)
            XCTAssertEqual(try warehouseDay(), after, fault)
        }
        XCTAssertEqual(try shop.admin.scalar("SELECT count(*) FROM public.analytics_campaignperformance"), "1",
                       "one row per campaign and day, however often the rows were copied again")
        XCTAssertEqual(try runStates(), "succeeded:synced,abandoned:-,succeeded:synced,succeeded:synced,succeeded:synced,"
                       + "succeeded:synced,succeeded:synced,succeeded:synced,succeeded:synced,succeeded:synced")
    }

    /// The shop's database failing after the warehouse committed (read only; its connection lost): the sentence says
    /// the warehouse was loaded and why the shop's tables were not written, without the cause's own advice, which
    /// says nothing was loaded, nor libpq's guess that the server terminated abnormally.
    func testTheShopsFailureIsNamedWithoutContradictingTheLoad() throws {
        XCTAssertEqual(try backfill().status, 0)
        let faults: [(set: String, reset: String, cause: String)] = [
            ("ALTER DATABASE \(shop.name) SET default_transaction_read_only = on", "ALTER DATABASE \(shop.name) RESET default_transaction_read_only",
             "written (PostgreSQL said: cannot execute "),
            ("""
             CREATE FUNCTION public.end_session() RETURNS trigger LANGUAGE plpgsql AS
               $$ BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW; END $$;
             CREATE TRIGGER end_session BEFORE INSERT OR UPDATE ON public.analytics_dailyanalyticssnapshot
               FOR EACH ROW EXECUTE FUNCTION public.end_session();
             """, "DROP TRIGGER end_session ON public.analytics_dailyanalyticssnapshot",
             " was lost (terminating connection due to administrator command"),
        ]
        for (i, fault) in faults.enumerated() {
            try shop.order(2 + i, user: 1, kigali: "2026-11-23 13:00", subtotal: 1000)
            try shop.admin.execute(fault.set)
            let failed = try backfill()
            try shop.admin.execute(fault.reset)
            XCTAssertEqual(failed.status, 75, failed.err)
            let line = lastLine(failed.err)
            XCTAssertTrue(line.hasPrefix("error: The warehouse was loaded (run "), line)
            XCTAssertTrue(line.contains("), but the shop's own analytics tables could not be written ("), line)
            XCTAssertTrue(line.contains(fault.cause), line)
            XCTAssertTrue(line.hasSuffix("; they stay marked as behind and the next run or `dusangire-analytics sync-shop` writes them once the shop's database accepts writes."), line)
            XCTAssertFalse(line.contains("loads nothing") || line.contains("previous figures are kept") || line.contains("terminated abnormally"), line)
            XCTAssertEqual(try warehouseDay(), "\(2 + i) \(6000 + 1000 * i).00")
            XCTAssertEqual(try shopDay(), "\(1 + i) \(5000 + 1000 * i).00", "the shop as the last warehouse it took")
            XCTAssertEqual(try CLI.run(["sync-shop"], env: env).status, 0)
            XCTAssertEqual(try shopDay(), "\(2 + i) \(6000 + 1000 * i).00")
        }
    }

    func testAShopThatRefusesWritesMakesTheRunFailAndTheTablesBehindUntilItAccepts() throws {
        XCTAssertEqual(try backfill().status, 0)
        try shop.order(2, user: 1, kigali: "2026-11-23 13:00", subtotal: 1000)
        try shop.couponCode(order: 2, "WEEK")
        try shop.admin.execute("""
            CREATE FUNCTION public.refuse_write() RETURNS trigger LANGUAGE plpgsql AS
              $$ BEGIN RAISE EXCEPTION 'the shop refuses writes'; END $$;
            CREATE TRIGGER refuse_write BEFORE INSERT OR UPDATE ON public.analytics_dailyanalyticssnapshot
              FOR EACH ROW EXECUTE FUNCTION public.refuse_write();
            """)
        let failed = try backfill()
        XCTAssertEqual(failed.status, 75, failed.err)
        XCTAssertTrue(lastLine(failed.err).hasPrefix("error: The warehouse was loaded (run 2), but the shop's own analytics tables could not be written ("), failed.err)
        XCTAssertTrue(lastLine(failed.err).hasSuffix("they stay marked as behind and the next run or `dusangire-analytics sync-shop` writes them once the shop's database accepts writes."), failed.err)
        XCTAssertEqual(try warehouseDay(), "2 6000.00")
        XCTAssertEqual(try shopDay(), "1 5000.00")
        XCTAssertEqual(try shopDetails(), "1 5000.00 / 7 5000.00 / 1 1 5000.00", "the shop's transaction rolled back whole")
        let runs = try CLI.run(["runs"], env: env)
        XCTAssertTrue(runs.out.contains("succeeded, shop tables behind: The warehouse was loaded (run 2)"), runs.out)

        // Still refused: the next run stops before computing anything.
        let refused = try backfill("2026-11-25")
        XCTAssertEqual(refused.status, 75, refused.err)
        XCTAssertTrue(lastLine(refused.err).hasPrefix("error: The shop's own analytics tables are behind the warehouse since run 2 and could not be written, so nothing new was computed ("), refused.err)
        XCTAssertEqual(try warehouse.admin.scalar("SELECT count(*) FROM analytics.runs"), "2")

        try shop.admin.execute("DROP TRIGGER refuse_write ON public.analytics_dailyanalyticssnapshot")
        let sync = try CLI.run(["sync-shop"], env: env)
        XCTAssertEqual(sync.status, 0, sync.err)
        XCTAssertTrue(sync.out.hasPrefix("sync-shop: wrote "), sync.out)
        XCTAssertTrue(sync.out.hasSuffix(" rows into the shop's own analytics tables, left behind by run 2\n"), sync.out)
        XCTAssertEqual(try shopDay(), "2 6000.00")
        XCTAssertEqual(try shopDetails(), "2 6000.00 / 7 6000.00 / 1 2 6000.00")
        XCTAssertEqual(try runStates(), "succeeded:synced,succeeded:synced")
        XCTAssertEqual(try CLI.run(["sync-shop"], env: env).out, "sync-shop: the shop's own analytics tables were up to date\n")
        XCTAssertFalse(try CLI.run(["runs"], env: env).out.contains("behind"))
    }

    func testDjangoTablesWithoutTheShopsDatabaseFailBeforeExtracting() throws {
        let r = try CLI.run(["backfill", "--from", "2026-11-23", "--to", "2026-11-23", "--django-tables", "--no-report"],
                            env: ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": warehouse.url])
        XCTAssertEqual(r.status, 78, r.err)
        XCTAssertTrue(r.err.hasPrefix("error: --django-tables writes the shop's own analytics tables, but "), r.err)
        XCTAssertTrue(r.err.hasSuffix(" has no public.analytics_dailyanalyticssnapshot; set DUSANGIRE_DJANGO_URL to the shop's database (the warehouse is not the shop's) or drop --django-tables.\n"), r.err)
        XCTAssertEqual(r.err.split(separator: "\n").count, 1, "one sentence, no progress: nothing was extracted")
        XCTAssertEqual(try warehouse.admin.scalar("SELECT count(*) FROM analytics.runs"), "0", "no run was started")
    }

    func testAWarehouseMissingAMigrationIsRefusedWithTheFix() throws {
        try warehouse.admin.execute("DELETE FROM analytics.schema_migrations WHERE version = 9")
        for args in [["runs"], ["backfill", "--from", "2026-11-23", "--to", "2026-11-23", "--no-report"]] {
            let r = try CLI.run(args, env: env)
            XCTAssertEqual(r.status, 78, "\(args): \(r.err)")
            XCTAssertTrue(r.err.contains(" lacks migration 9 of the analytics schema (it is at version "), r.err)
            XCTAssertTrue(r.err.hasSuffix("run `dusangire-analytics migrate` first.\n"), r.err)
        }
        XCTAssertEqual(try warehouse.admin.scalar("SELECT count(*) FROM analytics.runs"), "0")
    }
}
