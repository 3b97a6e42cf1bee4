import Analytics
import Extract
import Foundation
#if canImport(Glibc)
import Glibc
#endif
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
    /// The shop's database when its own analytics tables live there and not in the warehouse; `nil` means the
    /// warehouse connection (then they commit in the same transaction as the analytics schema). With a separate
    /// database the rows wait in the warehouse until the shop has them (`PendingShopTables`), and every job first
    /// writes what earlier runs left pending.
    public var djangoConnection: Connection?
    /// Further parts of the job (customers, campaigns, funnel), run after the daily figures in the same snapshot
    /// and the same load transaction.
    public var stages: [any AnalyticsStage] = []
    /// Test hook: called inside the load transaction after the old rows were deleted.
    public var afterDelete: @Sendable () -> Void = {}
    /// Called inside the load transaction once everything is written, right before its COMMIT (the CLI's line for a
    /// signal: from here on the load may be kept).
    public var beforeCommit: @Sendable () -> Void = {}
    /// Test hooks, with the shop's tables in another database: after the warehouse transaction committed (the shop's
    /// rows still pending), and after the shop's transaction committed (the run not yet marked synced).
    public var afterWarehouseCommit: @Sendable () -> Void = {}
    public var afterShopCommit: @Sendable () -> Void = {}
    /// Called as the reads beside the orders' stream start, on their thread (for the fault tests).
    public var besideOrders: @Sendable () throws -> Void = {}
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
    /// Another run held the lock longer than the server's `lock_timeout` let this one wait for it.
    case busyPastLockTimeout
    case rejectedRowsInStrictMode(count: Int, reasons: [String: Int])
    /// The warehouse holds the figures but the shop's own tables in another database could not be written.
    case shopTablesBehind(runs: [Int64], loaded: Bool, reason: String)

    public var description: String {
        switch self {
        case .busy:
            return "Another dusangire-analytics run holds the lock on this warehouse; try again when it finishes (or drop --no-wait to wait for it)."
        case .busyPastLockTimeout:
            return "Another dusangire-analytics run held the lock on this warehouse longer than the server's lock_timeout lets this one wait; try again when it finishes, or lift the limit for the job's role (ALTER ROLE ... SET lock_timeout = 0)."
        case .rejectedRowsInStrictMode(let n, let reasons):
            let list = reasons.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            return "\(n) source rows were rejected (\(list)) and --strict is on, so nothing was loaded; fix the rows or run without --strict to set them aside."
        case .shopTablesBehind(let runs, let loaded, let reason):
            let which = "run\(runs.count == 1 ? "" : "s") \(runs.map(String.init).joined(separator: ", "))"
            let what = loaded ? "The warehouse was loaded (\(which)), but the shop's own analytics tables could not be written"
                : "The shop's own analytics tables are behind the warehouse since \(which) and could not be written, so nothing new was computed"
            return "\(what) (\(reason.trimmingCharacters(in: CharacterSet(charactersIn: ". ")))); they stay marked as behind and the next run or `dusangire-analytics sync-shop` writes them once the shop's database accepts writes."
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
        try locked(command: "backfill", range: range) { src in Plan(ranges: [range], watermark: src.snapshotTime, previousRun: nil) }
    }

    /// The nightly job: recomputes `date` and every earlier day touched by changes since the last successful run.
    public func nightly(date: ShopDay) throws -> JobSummary {
        let log = RunLog(connection: warehouse)
        return try locked(command: "run", range: ShopDayRange(date, date)) { src in
            var days: Set<ShopDay> = [date]
            // The last nightly run found every change before its watermark, for the daily figures and the areas it
            // computed: this run starts from the oldest of those of the daily figures and of each of its areas. Without
            // one, from the oldest backfill's watermark (a later backfill may have covered only some days, and changes
            // made before it on others would be lost).
            let firstBackfill = try log.firstWatermarkRun(command: "backfill")
            let last = try ([nil] + options.stages.map { Optional($0.name) })
                .compactMap { try log.lastWatermarkRun(command: "run", area: $0) ?? firstBackfill }
                .min { $0.watermark < $1.watermark }
            var watermark = src.snapshotTime
            if let mark = last?.watermark {
                let changed = try src.changedDays(since: mark - options.watermarkOverlapSeconds * 1_000_000)
                // A change dated outside the shop's dates (an order of 1850 edited today) touches no day a report
                // can show; the customer stage reports such rows.
                days.formUnion(changed.filter { $0 <= date && $0.isWithinShopDates })
                if changed.count > 1 { options.progress("changes since the last run touch \(changed.count) days") }
                // A run for a day before days a job already computed leaves the changes on those days to the next run
                // for a later day: it keeps the watermark it started from, so that run finds them again.
                if let computed = try log.lastComputedDay(), let later = changed.filter({ $0 > date && $0 <= computed }).min() {
                    options.progress("changes touch \(later) and later days computed before; the next run for a later day recomputes them")
                    watermark = mark
                }
            }
            return Plan(ranges: Job.contiguousRanges(days), watermark: watermark, previousRun: last?.id)
        }
    }

    /// Groups days into contiguous ranges, in order.
    public static func contiguousRanges(_ days: Set<ShopDay>) -> [ShopDayRange] { ShopDayRange.contiguous(days) }

    /// Which days a job recomputes.
    struct Plan {
        var ranges: [ShopDayRange]
        /// Where the next nightly run starts looking for changes.
        var watermark: Int64
        /// The run whose watermark this nightly run starts from: every change since it is among `ranges`. nil for a
        /// backfill.
        var previousRun: Int64?
    }

    /// Every run: take the lock, open the run log entry, then plan, extract, compute and load. Only `load` writes.
    private func locked(command: String, range: ShopDayRange,
                        plan: (ShopSource) throws -> Plan) throws -> JobSummary {
        try Job.takeLock(warehouse, options: options)
        defer { _ = try? warehouse.advisoryUnlock(Job.lockKey) }

        let started = Date()
        let log = RunLog(connection: warehouse)
        try log.abandonStale()
        // The shop's tables in another database first catch up with what earlier runs left pending.
        if !options.dryRun { try ShopTablesSync(warehouse: warehouse, options: options).catchUp() }
        let runId = options.dryRun ? 0
            : try log.start(command: command, range: range, timeZone: options.timeZoneName, version: options.version,
                            areas: options.stages.map(\.name))
        var counts = RunCounts()
        do {
            let src = ShopSource(connection: source, sql: options.sql, calendar: options.calendar)
            try src.begin()
            defer { src.finish() }
            // Plan: which days, and the watermark the next nightly run starts from.
            let planned = try plan(src)
            let ranges = planned.ranges
            counts.range = ShopDayRange(ranges.first!.first, ranges.last!.last)
            counts.daysRecomputed = ranges.reduce(0) { $0 + $1.count }
            let shared = SharedExtracts(source: src, asOf: ranges.last!.last, calendar: options.calendar, warehouse: warehouse,
                                        ranges: ranges, previousRun: planned.previousRun, progress: options.progress)
            // Extract: the daily figures' source rows, streamed into one ledger per range, and beside them what stages
            // read that needs nothing from them.
            var (days, beside) = try extract(src, plan: planned, shared: shared, runId: runId)
            shared.touchedUsers = days.touched
            let snapshots = days.ledgers.flatMap(\.snapshots)
            // Compute: the stages, and every row the load will write, as values.
            let changes = try compute(src, plan: planned, days: &days, beside: &beside, shared: shared, runId: runId)
            src.finish()
            counts.rowsRead = changes.rowsRead
            counts.rowsRejected = Int64(changes.rejected.count)
            if options.strict && !changes.rejected.isEmpty {
                throw JobError.rejectedRowsInStrictMode(count: changes.rejected.count, reasons: Job.byReason(changes.rejected))
            }
            // Every rejected row, the values too wide for the shop's tables included, so the breakdown adds up.
            let reasons = Job.byReason(changes.rejected + changes.shop.problems)
            if !options.dryRun {
                // Load: one transaction.
                try load(changes, runId: runId, watermark: planned.watermark, counts: &counts, log: log)
            }
            return JobSummary(runId: runId, days: ranges, counts: counts, rejectedByReason: reasons,
                              seconds: Date().timeIntervalSince(started), snapshots: snapshots)
        } catch JobError.shopTablesBehind(let runs, let loaded, let reason) {
            // The warehouse committed: the run stays `succeeded`, its shop tables `pending`.
            let error = JobError.shopTablesBehind(runs: runs, loaded: loaded, reason: reason)
            try? log.shopTablesFailed(runId, error: error.description)
            throw error
        } catch {
            if !options.dryRun { try? log.fail(runId, error: String(describing: error), counts: counts) }
            throw error
        }
    }

    /// Rejected rows counted by reason.
    static func byReason(_ rows: [RejectedRow]) -> [String: Int] {
        Dictionary(grouping: rows, by: { $0.rejection.reason.rawValue }).mapValues(\.count)
    }

    /// The daily figures of the ranges, with what their extract read and set aside.
    struct ExtractedDays {
        var ledgers: [DailyLedger] = []
        var top: [TopCustomer] = []
        var rejected: [RejectedRow] = []
        /// Each range's rejected orders and lines, until `finishDays` puts the range's refunds and catering after them.
        var rejectedByRange: [[RejectedRow]] = []
        var rowsRead: Int64 = 0
        /// Orders placed per day and customer, counted only when a stage uses them (the funnel), so it reads no orders.
        var placed: OrdersPlaced?
        /// Users with an order (of any status) created on the days, for a nightly run: the customers whose sales may
        /// have changed, each with the earliest of those days.
        var touched: [Int64: ShopDay]?
        /// The shop's menu, naming the dishes of `item_sales`.
        var menu: [Int64: MenuItem] = [:]
        /// Each user's sales, summed from the order stream when a stage `usesStreamedSales` and the stream holds every
        /// sale (a backfill of one range with no sale before it), so that stage reads no sales again.
        var sales: StreamedSales?
        /// What stages take from that same stream (`AnalyticsStage.streamedOrders`), by the stage's place in the job.
        var streamed: [Int: any StreamedOrders] = [:]

        mutating func touch(_ user: Int64, on day: ShopDay) {
            guard touched != nil else { return }
            if let earlier = touched?[user], earlier <= day { return }
            touched?[user] = day
        }
    }

    /// The daily extract and, beside the orders' stream on a connection of its own in the same snapshot, what needs
    /// nothing from it: the days' refunds and catering sales, and what the stages read (`AnalyticsStage.readBesideExtract`,
    /// by the stage's place in the job). The orders and their lines keep two connections busy on about 1.7 of the two
    /// cores; the rest would otherwise wait for them.
    private func extract(_ src: ShopSource, plan: Plan, shared: SharedExtracts, runId: Int64) throws -> (ExtractedDays, [Int: any Sendable]) {
        let besides = options.stages.indices.filter { options.stages[$0].readsBesideExtract }
        func readBeside(on source: ShopSource, warehouse: Connection) throws -> (BesideOrders, [Int: any Sendable]) {
            let daily = try readBesideOrders(source, ranges: plan.ranges)
            var read: [Int: any Sendable] = [:]
            for i in besides {
                read[i] = try options.stages[i].readBesideExtract(stageContext(src, plan: plan, shared: shared, runId: runId),
                                                                  source: source, warehouse: warehouse)
            }
            return (daily, read)
        }
        func orders() throws -> ExtractedDays {
            try streamOrders(src, ranges: plan.ranges, touched: plan.previousRun != nil, shared: shared)
        }
        var days: ExtractedDays, daily: BesideOrders, read: [Int: any Sendable]
        do {
            let ordersConnections = try src.ordersCanceller()
            let own = try src.onNewConnection()
            let ownWarehouse = besides.isEmpty ? warehouse : try warehouse.sibling()
            let besideConnections = [own.canceller()] + (besides.isEmpty ? [] : [QueryCanceller([ownWarehouse])])
            (days, (daily, read)) = try concurrentlyStopping(orders, cancelling: [ordersConnections], {
                try options.besideOrders()
                return try readBeside(on: own, warehouse: ownWarehouse)
            }, cancelling: besideConnections)
        } catch let error as PostgresError where error.isConnectionLimit {
            // A role or server with no room for the third connection: the same reads, after the orders, on the first.
            options.progress("  the shop or the warehouse takes no further connection (\(error.reason)); reading the rest after the orders")
            days = try orders()
            (daily, read) = try readBeside(on: src, warehouse: warehouse)
        }
        try finishDays(src, &days, with: daily)
        return (days, read)
    }

    /// The refunds and catering sales of each range, read beside the orders.
    struct BesideOrders {
        var refunds: [[Result<Refund, RejectedRow>]] = []
        var catering: [[Result<CateringSale, RejectedRow>]] = []
        var rowsRead: Int64 = 0
    }

    private func readBesideOrders(_ src: ShopSource, ranges: [ShopDayRange]) throws -> BesideOrders {
        var b = BesideOrders()
        for r in ranges {
            let (start, end) = options.calendar.bounds(of: r)
            var refunds: [Result<Refund, RejectedRow>] = [], catering: [Result<CateringSale, RejectedRow>] = []
            b.rowsRead += Int64(try src.refunds(from: start, to: end) { refunds.append($0) })
            b.rowsRead += Int64(try src.catering(in: r) { catering.append($0) })
            b.refunds.append(refunds)
            b.catering.append(catering)
        }
        // The refunds dated outside the shop's dates, which no range reaches: reported once, on the job's last day.
        if let last = ranges.last {
            b.rowsRead += Int64(try src.refundsOutsideShopDates(reportedOn: last.last) { b.refunds[b.refunds.count - 1].append(.failure($0)) })
        }
        return b
    }

    /// A stage's context. What the daily extract gives (and what a stage before it gave) is passed in; without it the
    /// context is the one for `AnalyticsStage.readBesideExtract`.
    private func stageContext(_ src: ShopSource, plan: Plan, shared: SharedExtracts, runId: Int64, ordersPlaced: OrdersPlaced? = nil,
                              streamedSales: StreamedSales? = nil, streamedOrders: (any StreamedOrders)? = nil,
                              activityTaps: [ActivityTap] = [], workBeforeEvents: (any WorkBeforeEvents)? = nil,
                              readBeside: (any Sendable)? = nil, touchedUsers: [Int64: ShopDay]? = nil) -> StageContext {
        StageContext(source: src, asOf: plan.ranges.last!.last, ranges: plan.ranges, calendar: options.calendar,
                     snapshotTime: src.snapshotTime, lateCommit: options.watermarkOverlapSeconds * 1_000_000,
                     progress: options.progress, ordersPlaced: ordersPlaced, streamedSales: Handoff(streamedSales),
                     streamedOrders: Handoff(streamedOrders), activityTaps: activityTaps, workBeforeEvents: Handoff(workBeforeEvents),
                     readBeside: Handoff(readBeside), shared: shared, runId: runId, shopTables: options.djangoTables && !options.dryRun,
                     shopSchema: shopSchema, warehouse: warehouse, previousRun: plan.previousRun, touchedUsers: touchedUsers)
    }

    /// Streams each range's orders into its ledger; `finishDays` adds the refunds and catering sales read beside them
    /// and closes the ledgers.
    private func streamOrders(_ src: ShopSource, ranges: [ShopDayRange], touched: Bool, shared: SharedExtracts) throws -> ExtractedDays {
        var x = ExtractedDays()
        if touched { x.touched = [:] }
        x.placed = options.stages.contains { $0.usesOrdersPlaced } ? OrdersPlaced() : nil
        let calendar = options.calendar
        if !touched, ranges.count == 1, options.stages.contains(where: \.usesStreamedSales),
           try !src.anySale(before: calendar.startMicros(of: ranges[0].first)) {
            x.sales = StreamedSales(asOf: ranges[0].last, calendar: calendar)
            let setup = StreamSetup(source: src, range: ranges[0], calendar: calendar, shared: shared, progress: options.progress)
            for (i, stage) in options.stages.enumerated() {
                if let taker = try stage.streamedOrders(setup) { x.streamed[i] = taker }
            }
        }
        let takers = x.streamed.sorted { $0.key < $1.key }.map(\.value)
        let (menu, menuRows) = try src.menu()
        x.menu = menu
        x.rowsRead += Int64(menuRows)
        for r in ranges {
            var ledger = DailyLedger(range: r, calendar: calendar)
            let (start, end) = calendar.bounds(of: r)
            options.progress("extracting \(r) (\(r.count) day\(r.count == 1 ? "" : "s"))")
            var read: Int64 = 0
            let t0 = Date()
            let ordersAndLines = try src.orders(from: start, to: end, menu: menu) { result in
                read += 1
                if read % 1_000_000 == 0 {
                    let rate = Double(read) / max(Date().timeIntervalSince(t0), 0.001)
                    options.progress("  \(read / 1_000_000)M orders read (\(Int(rate / 1000))k/s)")
                }
                switch result {
                case .success(let order):
                    ledger.add(order)
                    if !takers.isEmpty {
                        let first = x.sales?.firstSale(of: order.userId)
                        for t in takers { t.add(order, firstSaleSoFar: first) }
                    }
                    x.sales?.add(order)
                    x.placed?.add(userId: order.userId, day: calendar.day(ofMicros: order.createdAt))
                    x.touch(order.userId, on: calendar.day(ofMicros: order.createdAt))
                case .failure(let row):
                    x.rejected.append(row)
                    // A row that no longer passes the checks may have been a sale: its user is re-read too.
                    if x.touched != nil, let user = Int64(row.raw.split(separator: "\t", omittingEmptySubsequences: false).dropFirst().first ?? "") {
                        x.touch(user, on: row.day ?? r.first)
                    }
                }
            }
            x.rowsRead += Int64(ordersAndLines)
            x.ledgers.append(ledger)
            x.rejectedByRange.append(x.rejected)
            x.rejected = []
        }
        for t in takers { t.ended(salesOutOfOrder: !(x.sales?.disordered.isEmpty ?? true)) }
        return x
    }

    /// Adds each range's refunds and catering sales to its ledger (their set-aside rows after the range's orders', as
    /// when they were read after them), closes the ledgers, and names the top customers.
    private func finishDays(_ src: ShopSource, _ x: inout ExtractedDays, with beside: BesideOrders) throws {
        x.rowsRead += beside.rowsRead
        for i in x.ledgers.indices {
            x.rejected += x.rejectedByRange[i]
            for result in beside.refunds[i] {
                switch result {
                case .success(let refund): x.ledgers[i].add(refund)
                case .failure(let row): x.rejected.append(row)
                }
            }
            for result in beside.catering[i] {
                switch result {
                case .success(let sale): x.ledgers[i].add(sale)
                case .failure(let row): x.rejected.append(row)
                }
            }
            x.ledgers[i].close()  // frees the per-sale entries before the stages run
        }
        x.rejectedByRange = []
        x.top = x.ledgers.flatMap { $0.topCustomers(limit: 5) }
        let names = try src.customerNames(Array(Set(x.top.map(\.userId))).sorted())
        for i in x.top.indices { x.top[i].name = names[x.top[i].userId] ?? "user \(x.top[i].userId)" }
    }

    /// Hands the memory a stage freed back to the system. glibc keeps freed small blocks (a million customers' arrays)
    /// in its heap, where they still count as the process's memory while the next stage allocates its own; without this
    /// the 10M backfill's peak held both.
    static func returnFreedMemory() {
        #if canImport(Glibc)
        _ = Job.mallocTrim?(0)
        #endif
    }

    #if canImport(Glibc)
    /// glibc's `malloc_trim`, which Swift's Glibc module does not export (found by name; nil elsewhere).
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()
    #endif

    /// Everything one job changes, as values, in the order the load applies it.
    struct JobChanges {
        /// The analytics schema: the days' tables, each stage's tables, then the rejected rows.
        var warehouse = TableChanges()
        /// The shop's own analytics tables (`--django-tables`); its `problems` are among the warehouse's rejected rows.
        var shop = TableChanges()
        /// Source rows set aside (not counting the shop tables' problems).
        var rejected: [RejectedRow] = []
        var rowsRead: Int64 = 0
    }

    /// `days` gives up its ledgers once their rows are encoded: the stages after need memory more than they do.
    private func compute(_ src: ShopSource, plan: Plan, days: inout ExtractedDays, beside: inout [Int: any Sendable], shared: SharedExtracts,
                         runId: Int64) throws -> JobChanges {
        let ranges = plan.ranges
        var c = JobChanges(rejected: days.rejected, rowsRead: days.rowsRead)
        let shopTables = options.djangoTables && !options.dryRun
        let dayWrites = try AnalyticsStore.writes(days.ledgers, top: days.top, runId: runId, menu: days.menu)
        c.warehouse = TableChanges(deletes: AnalyticsStore.deletes(ranges), writes: dayWrites)
        if shopTables { c.shop = try DjangoTables.changes(days.ledgers, schema: shopSchema) }
        days.ledgers = []  // at 10M orders, the days' customer lists alone are some 70 MB
        Job.returnFreedMemory()
        let stages = options.stages
        // A stage's context; what is handed to a stage (the streamed sales and orders, what it read beside the extract)
        // goes with its first context.
        func context(_ i: Int, activityTaps: [ActivityTap] = [], workBeforeEvents: (any WorkBeforeEvents)? = nil) -> StageContext {
            stageContext(src, plan: plan, shared: shared, runId: runId, ordersPlaced: stages[i].usesOrdersPlaced ? days.placed : nil,
                         streamedSales: stages[i].usesStreamedSales ? days.sales.take() : nil, streamedOrders: days.streamed.removeValue(forKey: i),
                         activityTaps: activityTaps, workBeforeEvents: workBeforeEvents, readBeside: beside.removeValue(forKey: i),
                         touchedUsers: days.touched)
        }
        // The stages after one that reads the conversion events do their work up to the activity they take from them first.
        var beforeEvents: [Int: any WorkBeforeEvents] = [:]
        for (i, stage) in stages.enumerated() {
            if stage.readsEvents {
                for j in stages.indices where j > i && beforeEvents[j] == nil {
                    options.progress("computing \(stages[j].name), up to the activity it takes from the \(stage.name)'s events")
                    if let work = try stages[j].workBeforeEvents(context(j)) { beforeEvents[j] = work }
                }
            }
            options.progress("computing \(stage.name)")
            let p = try stage.prepare(context(i, activityTaps: stage.readsEvents ? stages.indices.filter { $0 > i }.compactMap { beforeEvents[$0]?.activity } : [],
                                              workBeforeEvents: beforeEvents.removeValue(forKey: i)))
            c.rowsRead += Int64(p.rowsRead)
            c.rejected += p.rejected
            c.warehouse = c.warehouse + p.warehouse
            c.shop = c.shop + p.shop
            Job.returnFreedMemory()
        }
        if let rejected = try AnalyticsStore.rejected(c.rejected + c.shop.problems, runId: runId) { c.warehouse.writes.append(rejected) }
        return c
    }

    /// The shop's tables live in another database than the warehouse.
    private var separateShop: Bool { options.djangoTables && options.djangoConnection != nil }

    /// Where the shop tables' rows go in the load transaction: the shop's own schema, or the warehouse's pending
    /// rows when the shop is another database (copied there after the commit).
    private var shopSchema: String { separateShop ? PendingShopTables.schema : options.djangoSchema }

    /// The one load transaction: every delete, then every write (the shop's tables too, or their pending rows when
    /// they live in another database), then the run log entry. With the shop in another database, its tables follow
    /// in a transaction of their own once the warehouse has committed (README, "Two databases").
    private func load(_ changes: JobChanges, runId: Int64, watermark: Int64, counts: inout RunCounts, log: RunLog) throws {
        options.progress("loading \(counts.daysRecomputed) day\(counts.daysRecomputed == 1 ? "" : "s") in one transaction")
        let warehouse = self.warehouse
        try warehouse.transaction {
            for d in changes.warehouse.deletes { try warehouse.execute(d.sql, d.parameters) }
            options.afterDelete()
            var written = 0
            for w in changes.warehouse.writes { written += try w.write(on: warehouse) }
            if options.djangoTables {
                for d in changes.shop.deletes { try warehouse.execute(d.sql, d.parameters) }
                for w in changes.shop.writes { written += try w.write(on: warehouse) }
            }
            counts.rowsWritten = Int64(written)
            counts.rowsRejected += Int64(changes.shop.problems.count)
            try log.finish(runId, counts, watermark: watermark, shopTablesPending: separateShop)
            options.beforeCommit()
        }
        if separateShop {
            options.afterWarehouseCommit()
            try ShopTablesSync(warehouse: warehouse, options: options).write(loaded: true)
        }
    }
}
