import ArgumentParser
import Foundation
import Pipeline
import Postgres
import Shop
import Warehouse

#if canImport(Glibc)
import Glibc
#endif

/// Wires a job: connections, options, the summary line.
struct JobRunner {
    let connection: ConnectionOptions
    let flags: JobFlags

    /// Runs the job and prints the summary line. Returns nil for a dry run.
    func run(command: String, _ body: (Job) throws -> JobSummary) throws -> JobSummary? {
        Interruption.now("before its load committed: nothing of this run was loaded and the previous figures are intact (`dusangire-analytics runs` shows it as ended without finishing); run it again")
        let (calendar, zoneName) = try connection.calendar()
        let sql = try connection.sqlFiles()
        let source = try connection.openSource()
        let warehouse = try connection.openWarehouse()
        try Self.requireMigrated(warehouse, sql: sql)
        try connection.requireZone(zoneName, calendar: calendar, knownBy: warehouse)
        var options = JobOptions(calendar: calendar, timeZoneName: zoneName, sql: sql)
        options.djangoTables = flags.djangoTables
        options.strict = flags.strict
        options.waitForLock = !flags.noWait
        options.dryRun = flags.dryRun
        options.progress = connection.progress
        options.version = DusangireAnalytics.version
        options.stages = Areas.stages(configuration: AreaConfiguration(timeZone: zoneName), selected: try flags.areaSelection())
        // The shop's database: for --django-tables, and to write what earlier runs left pending there.
        if let url = connection.djangoURL, !url.isEmpty,
           try flags.djangoTables || !PendingShopTables(warehouse: warehouse).pendingRuns().isEmpty {
            options.djangoConnection = try connection.open(url, role: "shop (Django tables)")
        }
        if flags.djangoTables && !flags.dryRun {
            // Checked before the extract, which can take minutes.
            let target = options.djangoConnection ?? warehouse
            let missing = try DjangoTables.missingTables(on: target, schema: options.djangoSchema)
            if !missing.isEmpty {
                let fix = options.djangoConnection == nil
                    ? "set DUSANGIRE_DJANGO_URL to the shop's database (the warehouse is not the shop's) or drop --django-tables"
                    : "check that DUSANGIRE_DJANGO_URL names the shop's database"
                throw CLIError.config("--django-tables writes the shop's own analytics tables, but \(target.target) has no \(options.djangoSchema).\(missing[0]); \(fix).")
            }
        }
        options.beforeCommit = {
            Interruption.now("as its load was committing: `dusangire-analytics runs` shows whether it was kept or ended without finishing; either way no figure is half-written, and running it again is safe")
        }
        // With the shop's tables in another database: the warehouse has committed, the shop's copy is to follow.
        options.afterWarehouseCommit = {
            Interruption.now("after the warehouse's load committed (kept), while the shop's own tables were written: the next run, or `dusangire-analytics sync-shop`, writes them")
        }
        // For the crash tests: die like a killed (kill-...) or stopped (term-...) process at a given point of the load.
        let fault = ProcessInfo.processInfo.environment["DUSANGIRE_FAULT"] ?? ""
        for (signal, prefix) in [(SIGKILL, "kill-"), (SIGTERM, "term-")] where fault.hasPrefix(prefix) {
            let die: @Sendable () -> Void = { raise(signal) }
            switch fault.dropFirst(prefix.count) {
            case "after-delete": options.afterDelete = die
            case "before-commit": options.beforeCommit = { [then = options.beforeCommit] in then(); die() }
            case "after-warehouse-commit": options.afterWarehouseCommit = { [then = options.afterWarehouseCommit] in then(); die() }
            case "after-shop-commit": options.afterShopCommit = die
            default: break
            }
        }
        // For the failure test: a trap inside the program, as a bug or refused memory would make one.
        if fault == "trap-after-delete" { options.afterDelete = { fatalError("the fault DUSANGIRE_FAULT asked for") } }
        if fault == "lose-warehouse-after-delete" {
            // For the lost-server test: the warehouse drops this job's connection mid-load, as a restart would.
            let pid = try warehouse.scalar("SELECT pg_backend_pid()") ?? "0"
            let url = connection.warehouseURL ?? connection.environment["DUSANGIRE_WAREHOUSE_URL"]
            options.afterDelete = { _ = try? Connection(url).execute("SELECT pg_terminate_backend($1::int)", [pid]) }
        }
        let summary = try body(Job(source: source, warehouse: warehouse, options: options))
        if !flags.dryRun { Interruption.now("after its load committed (run \(summary.runId), kept)") }
        Console.out(Self.summaryLine(command: command, summary, dryRun: flags.dryRun))
        return flags.dryRun ? nil : summary
    }

    /// Refuses a warehouse without the analytics schema, or behind the migrations in `sql/`.
    static func requireMigrated(_ warehouse: Connection, sql: SQLFiles) throws {
        let migrator = Migrator(connection: warehouse, sql: sql)
        guard let current = try migrator.currentVersion() else {
            throw CLIError.config("The warehouse at \(warehouse.target) has no analytics schema yet; run `dusangire-analytics migrate` first.")
        }
        if let missing = try migrator.unapplied().first {
            throw CLIError.config("The warehouse at \(warehouse.target) lacks migration \(missing) of the analytics schema (it is at version \(current)); run `dusangire-analytics migrate` first.")
        }
    }

    static func summaryLine(command: String, _ s: JobSummary, dryRun: Bool) -> String {
        let days = s.days.map(\.description).joined(separator: ", ")
        let revenue = s.snapshots.reduce(Money.zero) { $0 + $1.totalRevenue }
        let sales = s.snapshots.reduce(0) { $0 + $1.totalOrders }
        var line = "\(command)\(dryRun ? " (dry run, nothing loaded)" : ""): \(s.counts.daysRecomputed) day\(s.counts.daysRecomputed == 1 ? "" : "s") [\(days)]"
        line += ", \(s.counts.rowsRead) rows read, \(sales) sales, revenue \(revenue)"
        line += ", \(s.counts.rowsRejected) rejected"
        if !s.rejectedByReason.isEmpty {
            line += " (" + s.rejectedByReason.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ") + ")"
        }
        if !dryRun { line += ", \(s.counts.rowsWritten) rows written, run \(s.runId)" }
        line += String(format: ", %.1f s", s.seconds)
        return line
    }

    /// Writes the daily report for `day` after a successful load. Any failure here leaves the load in place and
    /// says so, with its own exit status (73), so cron and the on-call person know the data is fine.
    /// `mailing`: what a `run --send` stopped before its report is written still has to send.
    static func report(summary: JobSummary, connection: ConnectionOptions, flags: JobFlags, day: ShopDay, mailing: String = "") throws {
        guard !flags.noReport else { return }
        Interruption.now("after its load committed (run \(summary.runId), kept), before the daily report was written whole: write it with `dusangire-analytics report --name daily --date \(day.iso)`\(mailing)")
        switch ProcessInfo.processInfo.environment["DUSANGIRE_FAULT"] {
        case "term-before-report": raise(SIGTERM)
        // As while a workbook is written: standard error sent to /dev/null for a moment.
        case "term-with-stderr-silenced": _ = dup2(open("/dev/null", O_WRONLY), STDERR_FILENO); raise(SIGTERM)
        default: break
        }
        do {
            let rendering = try ReportRendering(connection: connection, options: flags.reportOptions, name: "daily", day: day)
            for f in try rendering.writeFiles(into: flags.out).all { connection.progress("wrote \(f)") }
            for f in try rendering.writeDashboardJSON(into: flags.out, days: 30) { connection.progress("wrote \(f)") }
        } catch {
            let (_, sentence) = Exit.explain(error, arguments: [])
            throw CLIError.reportNotWritten("The load succeeded and is kept (run \(summary.runId)), but the daily report was not written: \(Exit.sentence(sentence).dropLast()); then write it with `dusangire-analytics report --name daily --date \(day.iso)`.")
        }
    }
}
