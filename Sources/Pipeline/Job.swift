import Analytics
import Extract
import Foundation
import Postgres
import Shop
import Warehouse

/// How a job runs. Everything a job needs from the outside world comes in here; the job itself reads no
/// environment variables and no clock other than the source database's.
public struct JobOptions {
    public var calendar: ShopCalendar
    public var timeZoneName: String
    public var sql: SQLFiles
    /// Also upsert the shop's own `analytics_dailyanalyticssnapshot` and `analytics_revenuestream`.
    public var djangoTables = false
    public var djangoSchema = "public"
    /// Rejected rows fail the run instead of being set aside.
    public var strict = false
    /// Wait for another run's lock (true) or give up at once with `JobError.busy` (false).
    public var waitForLock = true
    /// How far before the last watermark `run` looks for changes, to catch transactions that committed late.
    public var watermarkOverlapSeconds: Int64 = 3600
    /// Progress lines (rows read, phases). Called on the job's thread.
    public var progress: @Sendable (String) -> Void = { _ in }
    /// Extract and compute only: no run log row, nothing loaded.
    public var dryRun = false
    /// Where the shop's own analytics tables are written when `djangoTables` is on; `nil` means the warehouse
    /// connection (then they commit in the same transaction as the analytics schema).
    public var djangoConnection: Connection?
    /// Further parts of the job (customers, campaigns, funnel), run after the daily figures in the same snapshot
    /// and the same load transaction.
    public var stages: [any AnalyticsStage] = []
    /// Test hook: called inside the load transaction after the old rows were deleted.
    public var afterDelete: @Sendable () -> Void = {}
    public var version = "0.1.0"

    public init(calendar: ShopCalendar, timeZoneName: String, sql: SQLFiles) {
        self.calendar = calendar
        self.timeZoneName = timeZoneName
        self.sql = sql
    }
}

/// What a finished job did, for the summary line and the tests.
public struct JobSummary: Sendable {
    public var runId: Int64
    public var days: [ShopDayRange]
    public var counts: RunCounts
    public var rejectedByReason: [String: Int]
    public var seconds: Double
    /// The computed days (small: one value per day).
    public var snapshots: [DailySnapshot]
}

public enum JobError: Error, CustomStringConvertible {
    case busy
    case rejectedRowsInStrictMode(count: Int, reasons: [String: Int])

    public var description: String {
        switch self {
        case .busy:
            return "Another dusangire-analytics run holds the lock on this warehouse; try again when it finishes (or drop --no-wait to wait for it)."
        case .rejectedRowsInStrictMode(let n, let reasons):
            let list = reasons.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            return "\(n) source rows were rejected (\(list)) and --strict is on, so nothing was loaded; fix the rows or run without --strict to set them aside."
        }
    }
}

/// The batch job: extract from the shop, compute the days, replace them in the warehouse in one transaction.
/// A session advisory lock on the warehouse keeps two jobs from interleaving.
public final class Job {
    static let lockKey: Int64 = 0x4475_7361_6E67_0002

    private let source: Connection
    private let warehouse: Connection
    private let options: JobOptions

    public init(source: Connection, warehouse: Connection, options: JobOptions) {
        self.source = source
        self.warehouse = warehouse
        self.options = options
    }

    /// Recomputes every shop day of `range`.
    public func backfill(_ range: ShopDayRange) throws -> JobSummary {
        try locked(command: "backfill", range: range) { src in ([range], src.snapshotTime) }
    }

    /// The nightly job: recomputes `date` and every earlier day touched by changes since the last successful run.
    public func nightly(date: ShopDay) throws -> JobSummary {
        let log = RunLog(connection: warehouse)
        return try locked(command: "run", range: ShopDayRange(date, date)) { src in
            var days: Set<ShopDay> = [date]
            if let mark = try log.lastWatermark(command: "run") ?? log.lastWatermark(command: nil) {
                let changed = try src.changedDays(since: mark - options.watermarkOverlapSeconds * 1_000_000)
                days.formUnion(changed.filter { $0 <= date })
                if changed.count > 1 { options.progress("changes since the last run touch \(changed.count) days") }
            }
            return (Job.contiguousRanges(days), src.snapshotTime)
        }
    }

    /// Groups days into contiguous ranges, in order.
    public static func contiguousRanges(_ days: Set<ShopDay>) -> [ShopDayRange] {
        var result: [ShopDayRange] = []
        for d in days.sorted() {
            if let last = result.last, last.last.advanced(by: 1) == d {
                result[result.count - 1] = ShopDayRange(last.first, d)
            } else {
                result.append(ShopDayRange(d, d))
            }
        }
        return result
    }

    private func locked(command: String, range: ShopDayRange,
                        plan: (ShopSource) throws -> ([ShopDayRange], Int64)) throws -> JobSummary {
        if options.waitForLock {
            if try !warehouse.tryAdvisoryLock(Job.lockKey) {
                options.progress("another run holds the lock; waiting for it to finish")
                try warehouse.advisoryLock(Job.lockKey)
            }
        } else if try !warehouse.tryAdvisoryLock(Job.lockKey) {
            throw JobError.busy
        }
        defer { _ = try? warehouse.advisoryUnlock(Job.lockKey) }

        let started = Date()
        let log = RunLog(connection: warehouse)
        try log.abandonStale()
        let runId = options.dryRun ? 0
            : try log.start(command: command, range: range, timeZone: options.timeZoneName, version: options.version)
        var counts = RunCounts()
        do {
            let src = ShopSource(connection: source, sql: options.sql, calendar: options.calendar)
            try src.begin()
            defer { src.finish() }
            let (ranges, watermark) = try plan(src)
            counts.range = ShopDayRange(ranges.first!.first, ranges.last!.last)
            counts.daysRecomputed = ranges.reduce(0) { $0 + $1.count }

            var ledgers: [DailyLedger] = []
            var rejected: [RejectedRow] = []
            // Counted during the daily extract only when a stage uses them (the funnel), so it reads no orders.
            var placed: OrdersPlaced? = options.stages.contains { $0.usesOrdersPlaced } ? OrdersPlaced() : nil
            let calendar = options.calendar
            for r in ranges {
                var ledger = DailyLedger(range: r, calendar: options.calendar)
                let (start, end) = options.calendar.bounds(of: r)
                options.progress("extracting \(r) (\(r.count) day\(r.count == 1 ? "" : "s"))")
                var read: Int64 = 0
                let t0 = Date()
                try src.orders(from: start, to: end) { result in
                    read += 1
                    if read % 1_000_000 == 0 {
                        let rate = Double(read) / max(Date().timeIntervalSince(t0), 0.001)
                        options.progress("  \(read / 1_000_000)M orders read (\(Int(rate / 1000))k/s)")
                    }
                    switch result {
                    case .success(let order):
                        ledger.add(order)
                        placed?.add(userId: order.userId, day: calendar.day(ofMicros: order.createdAt))
                    case .failure(let row): rejected.append(row)
                    }
                }
                counts.rowsRead += read
                counts.rowsRead += Int64(try src.refunds(from: start, to: end) { result in
                    switch result {
                    case .success(let refund): ledger.add(refund)
                    case .failure(let row): rejected.append(row)
                    }
                })
                counts.rowsRead += Int64(try src.catering(in: r) { result in
                    switch result {
                    case .success(let sale): ledger.add(sale)
                    case .failure(let row): rejected.append(row)
                    }
                })
                ledger.close()  // frees the per-sale entries before the stages run
                ledgers.append(ledger)
            }
            var top = ledgers.flatMap { $0.topCustomers(limit: 5) }
            let names = try src.customerNames(Array(Set(top.map(\.userId))).sorted())
            for i in top.indices { top[i].name = names[top[i].userId] ?? "user \(top[i].userId)" }
            var prepared: [PreparedStage] = []
            let asOf = counts.range!.last
            let shared = SharedExtracts(source: src, asOf: asOf, calendar: options.calendar)
            for stage in options.stages {
                options.progress("computing \(stage.name)")
                let p = try stage.prepare(StageContext(source: src, asOf: asOf, ranges: ranges, calendar: options.calendar,
                                                       snapshotTime: src.snapshotTime, progress: options.progress,
                                                       ordersPlaced: stage.usesOrdersPlaced ? placed : nil, shared: shared))
                counts.rowsRead += Int64(p.rowsRead)
                rejected += p.rejected
                prepared.append(p)
            }
            src.finish()
            counts.rowsRejected = Int64(rejected.count)
            let reasons = Dictionary(grouping: rejected, by: { $0.rejection.reason.rawValue }).mapValues(\.count)
            if options.strict && !rejected.isEmpty {
                throw JobError.rejectedRowsInStrictMode(count: rejected.count, reasons: reasons)
            }

            if options.dryRun {
                return JobSummary(runId: 0, days: ranges, counts: counts, rejectedByReason: reasons,
                                  seconds: Date().timeIntervalSince(started), snapshots: ledgers.flatMap(\.snapshots))
            }
            options.progress("loading \(counts.daysRecomputed) day\(counts.daysRecomputed == 1 ? "" : "s") in one transaction")
            let store = AnalyticsStore(connection: warehouse)
            try warehouse.transaction {
                for r in ranges { try store.deleteRange(r) }
                options.afterDelete()
                var written = 0
                var problems: [RejectedRow] = []
                for l in ledgers {
                    written += try store.write(l, runId: runId)
                }
                written += try store.writeTopCustomers(top, runId: runId)
                for p in prepared { written += try p.load(warehouse, runId) }
                if options.djangoTables {
                    // A separate shop connection commits just before the warehouse does; a failure there rolls both back.
                    let target = options.djangoConnection ?? warehouse
                    let write = {
                        for l in ledgers {
                            let (n, p) = try DjangoTables(connection: target, schema: self.options.djangoSchema).write(l)
                            written += n
                            problems += p
                        }
                        for stage in prepared {
                            guard let loadDjango = stage.loadDjango else { continue }
                            let (n, p) = try loadDjango(target)
                            written += n
                            problems += p
                        }
                    }
                    if let separate = options.djangoConnection { try separate.transaction(write) } else { try write() }
                }
                written += try store.writeRejected(rejected + problems, runId: runId)
                counts.rowsWritten = Int64(written)
                counts.rowsRejected += Int64(problems.count)
                try log.finish(runId, counts, watermark: watermark)
            }
            return JobSummary(runId: runId, days: ranges, counts: counts, rejectedByReason: reasons,
                              seconds: Date().timeIntervalSince(started), snapshots: ledgers.flatMap(\.snapshots))
        } catch {
            if !options.dryRun { try? log.fail(runId, error: String(describing: error), counts: counts) }
            throw error
        }
    }
}
