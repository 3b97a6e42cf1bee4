import Foundation
import Postgres
import Shop
import TestSupport
import XCTest

/// The command-line program as cron runs it: exit codes, one-sentence errors, a crash mid-load.
final class CLITests: XCTestCase {
    func run(_ args: [String], env extra: [String: String] = [:]) throws -> CLI.Result { try CLI.run(args, env: extra) }

    func testFromAfterToIsOneClearSentence() throws {
        let r = try run(["backfill", "--from", "2026-11-24", "--to", "2026-11-23"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.err.contains("--from 2026-11-24 is after --to 2026-11-23; swap them."), r.err)
        XCTAssertFalse(r.err.contains("Fatal error"))
    }

    func testBadDateIsRefused() throws {
        let r = try run(["run", "--date", "2026-02-30"])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.err.contains("2026-02-30"), r.err)
    }

    func testPasswordOnTheCommandLineIsRefused() throws {
        // However libpq would read it: in the URL's user part, as a parameter, or as a parameter whose name is
        // percent-encoded (libpq decodes it: pass%77ord is password).
        for url in ["postgresql://u:secret@localhost/db", "postgresql://u@localhost/db?password=secret",
                    "postgresql://u@localhost/db?sslmode=disable&pass%77ord=secret", "host=localhost user=u password=secret"] {
            let r = try run(["migrate", "--warehouse", url])
            XCTAssertEqual(r.status, 64, url)
            XCTAssertTrue(r.err.contains("PGPASSWORD"), r.err)
            XCTAssertFalse(r.err.contains("secret"), "the password must not be echoed")
        }
    }

    func testServerDownIsExit69WithoutThePassword() throws {
        let r = try run(["migrate"], env: ["DUSANGIRE_WAREHOUSE_URL": "postgresql://analyst@127.0.0.1:1/nowhere", "PGPASSWORD": "hunter2"])
        XCTAssertEqual(r.status, 69)
        XCTAssertTrue(r.err.hasPrefix("error: The warehouse database: Could not connect to PostgreSQL at analyst@127.0.0.1:1/nowhere (nothing answered on that host and port); "), r.err)
        XCTAssertFalse(r.err.contains("hunter2"))
        XCTAssertEqual(r.err.split(separator: "\n").count, 1, "one line")
    }

    /// The common reasons a connection fails, in plain words instead of libpq's (which names the socket file and quotes
    /// the server's FATAL line).
    func testConnectionFailuresAreSaidInPlainWords() throws {
        let shop = try TestShop()
        let socket = try XCTUnwrap(shop.admin.scalar("SELECT current_setting('unix_socket_directories')")).split(separator: ",")[0]
        let port = try XCTUnwrap(shop.admin.scalar("SELECT current_setting('port')"))
        for (url, words) in [("host=\(socket) port=\(port) dbname=no_such_db_here", "(the database no_such_db_here does not exist on that server)"),
                             ("host=\(socket) port=\(port) dbname=\(shop.name) user=no_such_role_here", "(the role no_such_role_here does not exist on that server)"),
                             ("host=/nonexistent/socket/dir dbname=x", "(no server is listening on that socket)")] {
            let r = try run(["runs"], env: ["DUSANGIRE_WAREHOUSE_URL": url])
            XCTAssertEqual(r.status, 69, r.err)
            XCTAssertTrue(r.err.contains(words), r.err)
            XCTAssertFalse(r.err.contains("FATAL"), r.err)
            XCTAssertFalse(r.err.contains("Is the server running"), r.err)
        }
    }

    func testMalformedConnectionStringIsExplained() throws {
        let r = try run(["migrate"], env: ["DUSANGIRE_WAREHOUSE_URL": "host=localhost port"])
        XCTAssertEqual(r.status, 78)
        XCTAssertTrue(r.err.contains("could not be read: a word in it is not written key=value"), r.err)
    }

    /// libpq's own message quotes the part of the string it stopped at, which may be the password: the sentence says
    /// what is wrong in words of its own and quotes nothing.
    func testMalformedConnectionStringIsNeverQuoted() throws {
        let cases = [("postgresql://reports:Top%Secret9@dbhost/db", "a % in it does not start a two-digit code"),
                     ("postgresql://reports:TopSecret9@[::1/db", "an IPv6 host in it is not written in brackets")]
        for (url, words) in cases {
            let r = try run(["runs"], env: ["DUSANGIRE_WAREHOUSE_URL": url])
            XCTAssertEqual(r.status, 78, r.err)
            XCTAssertTrue(r.err.contains(words), r.err)
            XCTAssertFalse(r.err.contains("Secret9"), r.err)
            XCTAssertFalse(r.err.contains("reports"), r.err)
        }
    }

    /// Thresholds so large that a figure computed from them would overflow are refused as settings, never a crash.
    func testThresholdsTooLargeAreAConfigurationError() throws {
        let shop = try TestShop()
        for (name, value) in [("DUSANGIRE_HIGH_VALUE_RWF", "92233720368547759"), ("DUSANGIRE_NEW_DAYS", "2147483648"),
                              ("DUSANGIRE_CHURN_DAYS", "36526")] {
            let r = try run(["run", "--date", "2026-11-23", "--no-report"],
                            env: ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url, name: value])
            XCTAssertEqual(r.status, 78, r.err)
            XCTAssertTrue(r.err.hasPrefix("error: \(name)=\(value) is not a whole number of"), r.err)
            XCTAssertEqual(r.err.split(separator: "\n").count, 1, r.err)
        }
    }

    /// A shop URL naming another database, or a shop role without its grant, is a setting to fix (exit 78), said first
    /// in plain words, the server's own after.
    func testAMissingTableOrGrantIsAConfigurationError() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 5000)
        try shop.admin.execute("REVOKE SELECT ON public.orders_order FROM \(TestShop.readerRole)")
        var r = try run(["run", "--date", "2026-11-23", "--no-report"], env: ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url])
        XCTAssertEqual(r.status, 78, r.err)
        XCTAssertTrue(r.err.contains("error: The database role may not use a table the job needs (PostgreSQL said: permission denied for table orders_order"), r.err)
        try shop.admin.execute("GRANT SELECT ON public.orders_order TO \(TestShop.readerRole)")
        try shop.admin.execute("ALTER TABLE public.payments_refundrequest RENAME TO payments_refundrequest_gone")
        r = try run(["run", "--date", "2026-11-23", "--no-report"], env: ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url])
        XCTAssertEqual(r.status, 78, r.err)
        XCTAssertTrue(r.err.contains("error: A table the job reads is not in the database (PostgreSQL said: relation \"public.payments_refundrequest\" does not exist"), r.err)
    }

    /// `send` takes the campaign page's --campaign as `report` does (its advice without one says to add it).
    func testSendTakesTheCampaignOfACampaignPage() throws {
        let shop = try TestShop()
        let env = ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url,
                   "DUSANGIRE_REPORTS_DIR": TestShop.repoRoot.appendingPathComponent("reports").path]
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("send-campaign-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        var r = try run(["send", "--name", "campaign", "--date", "2026-11-23", "--dry-run", "--out", out], env: env)
        XCTAssertEqual(r.status, 64, r.err)
        XCTAssertTrue(r.err.contains("add --campaign ID"), r.err)
        r = try run(["send", "--name", "campaign", "--campaign", "999999", "--date", "2026-11-23", "--dry-run", "--out", out], env: env)
        XCTAssertEqual(r.status, 64, r.err)
        XCTAssertTrue(r.err.hasPrefix("error: There is no campaign 999999 in the analytics tables"), r.err)
    }

    func testANegativeLimitIsOutOfRangeNotMissing() throws {
        let r = try run(["runs", "--limit", "-1"])
        XCTAssertEqual(r.status, 64, r.err)
        XCTAssertTrue(r.err.hasPrefix("error: --limit must be between 1 and 10000 (it is -1)."), r.err)
    }

    func testSeedSizesBeyondTheShopsDatesAreBadUsage() throws {
        var r = try run(["seed", "--days", "100000000"])
        XCTAssertEqual(r.status, 64, r.err)
        XCTAssertTrue(r.err.contains("--days must be from 1 to 36525"), r.err)
        r = try run(["seed", "--days", "10000", "--last-day", "2026-12-01"])
        XCTAssertEqual(r.status, 64, r.err)
        XCTAssertEqual(r.err, "error: --days 10000 ending 2026-12-01 would start before 2000-01-01, the first of the shop's dates; give at most 9832 days.\n")
    }

    func testUnknownTimeZoneIsAConfigurationError() throws {
        let shop = try TestShop()
        let r = try run(["run", "--date", "2026-11-23", "--time-zone", "Africa/Atlantis"],
                        env: ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url])
        XCTAssertEqual(r.status, 78)
        XCTAssertTrue(r.err.contains("Africa/Atlantis"), r.err)
    }

    /// Foundation takes `CAT` (an abbreviation) and `GMT+5` (an offset PostgreSQL reads the other way round); PostgreSQL
    /// knows neither by name. The backfill went through, then every `runs` failed with the server's words.
    /// A role's lock_timeout ended the wait for another run's lock: that run is still at work, so it is exit 75 (try
    /// again later) as with --no-wait, where it was exit 1 as if the job had failed.
    func testALockTimeoutWhileAnotherRunWorksIsExit75() throws {
        let shop = try TestShop()
        let holder = try shop.connect()
        _ = try holder.execute("SELECT pg_advisory_lock(4932975829155512322)")  // Job.lockKey, as a running job holds it
        let r = try run(["backfill", "--from", "2026-11-23", "--to", "2026-11-23", "--no-report"],
                        env: ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url, "PGOPTIONS": "-c lock_timeout=200"])
        XCTAssertEqual(r.status, 75, r.err)
        XCTAssertTrue(r.err.hasSuffix("error: Another dusangire-analytics run held the lock on this warehouse longer than the server's lock_timeout lets this one wait; try again when it finishes, or lift the limit for the job's role (ALTER ROLE ... SET lock_timeout = 0).\n"), r.err)
        _ = try holder.execute("SELECT pg_advisory_unlock(4932975829155512322)")
        XCTAssertEqual(try run(["backfill", "--from", "2026-11-23", "--to", "2026-11-23", "--no-report"],
                               env: ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url, "PGOPTIONS": "-c lock_timeout=200"]).status, 0)
    }

    func testAZoneNamePostgreSQLDoesNotKnowIsAConfigurationError() throws {
        let shop = try TestShop()
        let env = ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url]
        for zone in ["CAT", "GMT+5"] {
            let r = try run(["backfill", "--from", "2026-11-23", "--to", "2026-11-23", "--no-report", "--time-zone", zone], env: env)
            XCTAssertEqual(r.status, 78, r.err)
            XCTAssertTrue(r.err.hasPrefix("error: The time zone '\(zone)' is not one the PostgreSQL server at "), r.err)
            XCTAssertTrue(r.err.hasSuffix(" knows by name; use an IANA name such as Africa/Kigali.\n"), r.err)
        }
        let ok = try run(["backfill", "--from", "2026-11-23", "--to", "2026-11-23", "--no-report", "--time-zone", "UTC"], env: env)
        XCTAssertEqual(ok.status, 0, ok.err)
        let runs = try run(["runs"], env: env)
        XCTAssertEqual(runs.status, 0, runs.err)
        XCTAssertEqual(runs.out.components(separatedBy: "\n").filter { $0.contains("backfill") }.count, 1, runs.out)
    }

    func testARunKilledMidLoadLeavesThePreviousTables() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 5000)
        let env = ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url]
        let ok = try run(["backfill", "--from", "2026-11-23", "--to", "2026-11-24", "--no-report"], env: env)
        XCTAssertEqual(ok.status, 0, ok.err)
        XCTAssertTrue(ok.out.hasPrefix("backfill: 2 days [2026-11-23..2026-11-24]"), ok.out)
        let before = try shop.contents()
        try shop.order(2, user: 1, kigali: "2026-11-23 13:00", subtotal: 1000)

        var crashEnv = env
        crashEnv["DUSANGIRE_FAULT"] = "kill-after-delete"
        let killed = try run(["backfill", "--from", "2026-11-23", "--to", "2026-11-24", "--no-report"], env: crashEnv)
        XCTAssertNotEqual(killed.status, 0)
        XCTAssertEqual(try shop.contents(), before, "the killed run's deletes were rolled back")
        XCTAssertEqual(try shop.snapshot("2026-11-23", "total_revenue"), "5000.00")

        // The next run marks the dead one abandoned and loads the new order.
        let again = try run(["backfill", "--from", "2026-11-23", "--to", "2026-11-24", "--no-report"], env: env)
        XCTAssertEqual(again.status, 0, again.err)
        XCTAssertEqual(try shop.snapshot("2026-11-23", "total_revenue"), "6000.00")
        XCTAssertEqual(try shop.admin.scalar("SELECT string_agg(status, ',' ORDER BY id) FROM analytics.runs"), "succeeded,abandoned,succeeded")
    }

    /// A killed run stays `running` in the log until the next job marks it abandoned; `runs` says meanwhile that it
    /// ended without finishing, unless a job holds the lock (then it may be that very run, working).
    func testRunsSaysAKilledRunEndedWithoutFinishing() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 5000)
        let env = ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url]
        let killed = try run(["backfill", "--from", "2026-11-23", "--to", "2026-11-23", "--no-report"],
                             env: env.merging(["DUSANGIRE_FAULT": "kill-after-delete"]) { $1 })
        XCTAssertNotEqual(killed.status, 0)
        let dead = try run(["runs"], env: env)
        XCTAssertEqual(dead.status, 0, dead.err)
        XCTAssertTrue(dead.out.contains(" ended without finishing (killed, crashed or cut off from the warehouse): nothing of it was loaded; the next run marks it abandoned\n"), dead.out)
        XCTAssertFalse(dead.out.contains(" running"), dead.out)

        let holder = try shop.connect()
        _ = try holder.execute("SELECT pg_advisory_lock($1::bigint)", [String(0x4475_7361_6E67_0002)])
        let working = try run(["runs"], env: env)
        XCTAssertTrue(working.out.hasSuffix(" running\n"), working.out)
    }

    /// `migrate` waits for a job that holds the lock, as a second job does: a migration applied in the middle of a job
    /// changed the tables under it (a column made NOT NULL mid-extract failed its load in the server's words).
    func testMigrateWaitsForARunningJob() throws {
        let shop = try TestShop()
        let env = ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url]
        let job = try shop.connect()
        _ = try job.execute("SELECT pg_advisory_lock($1::bigint)", [String(0x4475_7361_6E67_0002)])
        let url = shop.url
        let ends = Thread {
            Thread.sleep(forTimeInterval: 1)
            _ = try? Connection(url).execute("""
                SELECT pg_terminate_backend(pid) FROM pg_locks
                WHERE locktype = 'advisory' AND objid = \(0x6E67_0002) AND granted AND pid <> pg_backend_pid()
                """)
        }
        let started = Date()
        ends.start()
        let r = try run(["migrate"], env: env)
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.err.contains("another run holds the lock; waiting for it to finish"), r.err)
        XCTAssertGreaterThan(Date().timeIntervalSince(started), 0.9, "migrated only once the job had ended")
    }

    /// A report reads its figures in one snapshot: a job committing between its first read and its sections' (here an
    /// update of the day's revenue and of its hours, as a backfill replaces both) shows in none of the files, where the
    /// hours came from after the commit and the summary from before.
    func testAReportReadsOneSnapshotWhileAJobCommits() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 5000)
        let env = ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url]
        XCTAssertEqual(try run(["backfill", "--from", "2026-11-23", "--to", "2026-11-23", "--no-report", "--quiet"], env: env).status, 0)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("snapshot-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try run(["report", "--name", "daily", "--date", "2026-11-23", "--out", out], env: env.merging([
            "DUSANGIRE_FAULT": "commit-between-report-reads",
            "DUSANGIRE_FAULT_SQL": "UPDATE analytics.daily_snapshot SET total_revenue = 7000 WHERE day = '2026-11-23'; "
                + "UPDATE analytics.hourly_sales SET revenue = 7000 WHERE day = '2026-11-23'",
        ]) { $1 })
        XCTAssertEqual(r.status, 0, r.err)
        let hours = try String(contentsOfFile: out + "/daily-2026-11-23-hours.csv", encoding: .utf8)
        XCTAssertTrue(hours.contains(",5000.00"), hours)
        XCTAssertFalse(hours.contains("7000"), hours)
        XCTAssertEqual(try shop.snapshot("2026-11-23", "total_revenue"), "7000.00", "the other session's change was committed")
    }

    func testRunWritesTheDailyReportFiles() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.user(2, first: "Jean", last: "Habimana")
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 5000)
        try shop.order(2, user: 2, kigali: "2026-08-20 12:00", subtotal: 30000)  // 95 days before: at risk
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("dusangire-cli-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try run(["run", "--date", "2026-11-23", "--out", out, "--django-tables"],
                        env: ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url])
        XCTAssertEqual(r.status, 0, r.err)
        for f in ["daily-2026-11-23.html", "daily-2026-11-23.xlsx", "daily-2026-11-23-days.csv", "daily-2026-11-23-channels.csv",
                  "daily-revenue.json", "customer-segments.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/" + f), f)
        }
        let days = try String(contentsOfFile: out + "/daily-2026-11-23-days.csv", encoding: .utf8)
        XCTAssertTrue(days.contains("\r\n2026-11-23,1,1,5000.00,5000.00,0.00,"), days)
        // The trend's days before the first run were never computed: their cells are empty, not the zeros of a day
        // without a sale, and the Daily sheet's money columns keep their width although its first day is such a day.
        XCTAssertTrue(days.contains("\r\n2026-11-22" + String(repeating: ",", count: 19) + "\r\n"), days)
        XCTAssertFalse(days.contains("2026-11-22,0,"), days)
        XCTAssertEqual(try shop.admin.scalar("SELECT total_revenue::text FROM public.analytics_dailyanalyticssnapshot WHERE date = '2026-11-23'"), "5000.00")

        // The workbook: the at-risk list on its own sheet, with conditional formats; the channel share as a pie.
        let xlsx = XLSXFile(out + "/daily-2026-11-23.xlsx")
        let names = try xlsx.sheetNames()
        let sheet = try xlsx.sheet(named: "At risk")
        XCTAssertTrue(try xlsx.sheet(named: "Daily").contains("<col min=\"4\" max=\"4\" width=\"14."), "revenue column as wide as money needs")
        let strings = try xlsx.part("xl/sharedStrings.xml")
        XCTAssertTrue(strings.contains("Jean Habimana"))
        XCTAssertTrue(sheet.contains("<dataBar>"), "lifetime value as data bars")
        XCTAssertTrue(sheet.contains("<colorScale>"), "days since the last sale as a colour scale")
        XCTAssertTrue(sheet.contains("<v>95</v>"), "95 days since the last sale")
        let channels = try XCTUnwrap(names.firstIndex(of: "Channels"))
        let rels = try xlsx.part("xl/worksheets/_rels/sheet\(channels + 1).xml.rels")
        XCTAssertTrue(rels.contains("drawing"), "the channel sheet has a chart")
        let charts = try xlsx.parts().filter { $0.hasPrefix("xl/charts/chart") }.map(xlsx.part).joined()
        XCTAssertTrue(charts.contains("<c:pieChart>"), "channel share")
        XCTAssertTrue(charts.contains("Channels!$B$2:$B$6"), "the pie plots the five order channels")
    }

}
