import ArgumentParser
import Foundation
import Pipeline
import Postgres
import Shop
import Warehouse

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create or upgrade the analytics schema in the warehouse (sql/migrations). Safe to run twice.")

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let sql = try connection.sqlFiles()
        let wh = try connection.openWarehouse()
        // Never in the middle of a job: one that started under the old schema would load into the new one.
        let applied = try Job.holdingLock(on: wh, progress: connection.progress) { try Migrator(connection: wh, sql: sql).migrate() }
        let version = try Migrator(connection: wh, sql: sql).currentVersion() ?? 0
        if applied.isEmpty {
            Console.out("migrate: schema analytics is up to date at version \(version) on \(wh.target)")
        } else {
            Console.out("migrate: applied \(applied.map { "\($0.version) \($0.name)" }.joined(separator: ", ")); now at version \(version) on \(wh.target)")
        }
    }
}

/// Options shared by the commands that compute days.
struct JobFlags: ParsableArguments {
    @Flag(name: .customLong("django-tables"), help: "Also fill the shop's own analytics_* tables (daily snapshot, revenue streams, customer metrics, campaign performance) so its admin shows correct numbers; upserts, never duplicates. Written through DUSANGIRE_DJANGO_URL if set, else the warehouse connection.")
    var djangoTables = false

    @Flag(help: "Fail the run (exit 65, nothing loaded) if any source row is rejected, instead of setting it aside.")
    var strict = false

    @Flag(name: .customLong("no-wait"), help: "If another run holds the lock, exit at once with code 75 instead of waiting for it.")
    var noWait = false

    @Option(help: ArgumentHelp("Folder for the reports.", valueName: "dir"))
    var out = "output"

    @Flag(name: .customLong("no-report"), help: "Compute and load only; write no report files.")
    var noReport = false

    @Flag(name: .customLong("dry-run"), help: "Extract and compute, print what would be loaded, and load nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("Which areas to compute beside the daily figures: all, none, or a comma list of customers, campaigns, funnel.", valueName: "list"))
    var areas = "all"

    @OptionGroup var reportOptions: ReportOptions

    func validate() throws {
        _ = try areaSelection()
    }

    /// The selected areas, or a usage error naming the bad one.
    func areaSelection() throws -> Set<String> {
        switch areas {
        case "all": return Set(Areas.names)
        case "none": return []
        default:
            let chosen = Set(areas.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            if let bad = chosen.first(where: { !Areas.names.contains($0) }) {
                throw ValidationError("--areas: '\(bad)' is not an area; use all, none, or a comma list of \(Areas.names.joined(separator: ", ")).")
            }
            return chosen
        }
    }
}

struct Backfill: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute a range of shop days and replace them in one transaction; rerunning gives identical tables.",
        discussion: "Example: dusangire-analytics backfill --from 2026-09-01 --to 2026-09-30. Days are shop days (Africa/Kigali by default).")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var flags: JobFlags

    @Option(help: ArgumentHelp("First shop day, YYYY-MM-DD.", valueName: "date"), transform: DayArgument.parse)
    var from: DayArgument

    @Option(help: ArgumentHelp("Last shop day, YYYY-MM-DD (inclusive).", valueName: "date"), transform: DayArgument.parse)
    var to: DayArgument

    func validate() throws {
        if from.day > to.day {
            throw ValidationError("--from \(from.day.iso) is after --to \(to.day.iso); swap them.")
        }
    }

    func run() throws {
        let range = ShopDayRange(from.day, to.day)
        let summary = try JobRunner(connection: connection, flags: flags).run(command: "backfill") { job in
            try job.backfill(range)
        }
        if let summary { try JobRunner.report(summary: summary, connection: connection, flags: flags, day: to.day) }
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The nightly job: compute yesterday (shop time) and every earlier day changed since the last run, load, write the daily report.",
        discussion: "Schedule it after midnight in the shop's zone (see schedules/). An order created on Monday and delivered on Tuesday moves Monday's figures in Tuesday's run.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var flags: JobFlags

    @Option(help: ArgumentHelp("The shop day to compute, YYYY-MM-DD. Default: yesterday in the shop's time zone.", valueName: "date"), transform: DayArgument.parse)
    var date: DayArgument?

    @Flag(help: "After a successful load, e-mail the daily report and the other one-day reports such as the kitchen plan (as `send --name daily`, `send --name kitchen`); nothing is sent if the run fails.")
    var send = false

    @OptionGroup var sendOptions: SendOptions

    func run() throws {
        let (calendar, _) = try connection.calendar()
        let day = date?.day ?? calendar.day(of: Date()).advanced(by: -1)
        let summary = try JobRunner(connection: connection, flags: flags).run(command: "run") { job in
            try job.nightly(date: day)
        }
        if let summary {
            let sendIt = "send it with `dusangire-analytics send --name daily --date \(day.iso)` (and the other nightly reports likewise)"
            do {
                try JobRunner.report(summary: summary, connection: connection, flags: flags, day: day, mailing: send ? "; nothing was e-mailed: then \(sendIt)" : "")
            } catch let e as CLIError where send && e.status == .reportNotWritten {
                // The mailing needs the report: say that nothing went, and how to send it once the report is written.
                throw CLIError.reportNotWritten(Exit.sentence(e.description).dropLast()
                    + "; nothing was e-mailed: once the report is written, \(sendIt).")
            }
            if send {
                Interruption.now("after its load committed (run \(summary.runId), kept) and its report was written, while mailing: \(sendIt); whoever already has it is skipped")
                let mailer = Mailer(connection: connection, reportOptions: flags.reportOptions, options: sendOptions, dryRun: false, out: flags.out)
                for name in try flags.reportOptions.nightlyReports() { try mailer.send(name: name, day: day, runID: summary.runId) }
            }
        }
    }

    func validate() throws {
        if send && flags.noReport { throw ValidationError("--send needs the report: drop --no-report.") }
        if send && flags.dryRun { throw ValidationError("--send with --dry-run: a dry run loads nothing, so there is nothing to send; use `send --dry-run` to write .eml files.") }
    }
}

struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the run log: start, end, range, rows read/written/rejected, status, error.")

    @OptionGroup var connection: ConnectionOptions

    // Unconditional: "--limit -1" is read as the value -1 and refused as out of range, not as a missing value.
    @Option(parsing: .unconditional, help: "How many runs to show, newest first (1 to 10000).")
    var limit = 20

    func validate() throws {
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000 (it is \(limit)).") }
    }

    func run() throws {
        let wh = try connection.openMigratedWarehouse()
        let runs = try RunLog(connection: wh).recent(limit: limit)
        if runs.isEmpty { Console.out("No runs yet; start with `dusangire-analytics migrate` and `dusangire-analytics run`."); return }
        let behind = try PendingShopTables(warehouse: wh).pendingRuns()
        if !behind.isEmpty {
            Console.out("The shop's own analytics tables are behind the warehouse (run\(behind.count == 1 ? "" : "s") \(behind.map(String.init).joined(separator: ", "))): "
                  + "the next run or backfill with DUSANGIRE_DJANGO_URL set, or `dusangire-analytics sync-shop`, writes them.")
        }
        Console.out([pad("id", 5), pad("command", 9), pad("started", 19), pad("finished", 19), pad("range", 23),
                     pad("days", 5), pad("read", 10), pad("written", 9), pad("rejected", 8), "status"].joined(separator: " "))
        // A run still marked running while no job holds the lock has died (killed, crashed, cut off from the
        // warehouse); the next job marks it abandoned, and until then it is not shown as if it were working.
        let someJobRuns = try runs.contains { $0.status == "running" } && Job.lockHeld(on: wh)
        for r in runs {
            let range = r.rangeFirst == r.rangeLast ? r.rangeFirst : "\(r.rangeFirst)..\(r.rangeLast)"
            let status = r.status == "running" && !someJobRuns
                ? "ended without finishing (killed, crashed or cut off from the warehouse): nothing of it was loaded; the next run marks it abandoned"
                : r.status
            Console.out([pad(String(r.id), 5), pad(r.command, 9), pad(r.started, 19), pad(r.finished, 19), pad(range, 23),
                         pad(String(r.daysRecomputed), 5), pad(String(r.rowsRead), 10), pad(String(r.rowsWritten), 9),
                         pad(String(r.rowsRejected), 8),
                         status + (r.shopTables == "pending" ? ", shop tables behind" : "") + (r.error.isEmpty ? "" : ": " + r.error)]
                .joined(separator: " "))
        }
    }

    private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
}

struct SyncShop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync-shop",
        abstract: "Write into the shop's own analytics tables what earlier runs left behind (DUSANGIRE_DJANGO_URL).",
        discussion: "When the shop's tables live in another database than the warehouse, a run loads the warehouse first and the shop's tables after; if the shop's database failed or the run was killed in between, `runs` says the shop's tables are behind. Every later run writes them first; this command does only that.")

    @OptionGroup var connection: ConnectionOptions

    @Flag(name: .customLong("no-wait"), help: "If a run holds the lock, exit at once with code 75 instead of waiting for it.")
    var noWait = false

    func run() throws {
        let (calendar, zoneName) = try connection.calendar()
        let sql = try connection.sqlFiles()
        let warehouse = try connection.openWarehouse()
        try JobRunner.requireMigrated(warehouse, sql: sql)
        try connection.requireZone(zoneName, calendar: calendar, knownBy: warehouse)
        guard let url = connection.djangoURL, !url.isEmpty else {
            throw CLIError.config("sync-shop writes the shop's own analytics tables in the shop's database; set DUSANGIRE_DJANGO_URL to it.")
        }
        var options = JobOptions(calendar: calendar, timeZoneName: zoneName, sql: sql)
        options.djangoConnection = try connection.open(url, role: "shop (Django tables)")
        options.waitForLock = !noWait
        options.progress = connection.progress
        let (runs, rows) = try Job.syncShopTables(warehouse: warehouse, options: options)
        if runs.isEmpty {
            Console.out("sync-shop: the shop's own analytics tables were up to date")
        } else {
            Console.out("sync-shop: wrote \(rows) rows into the shop's own analytics tables, left behind by run\(runs.count == 1 ? "" : "s") \(runs.map(String.init).joined(separator: ", "))")
        }
    }
}
