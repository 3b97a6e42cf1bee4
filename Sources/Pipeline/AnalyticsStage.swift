import Analytics
import Foundation
import Extract
import Postgres
import Shop
import Warehouse

/// A part of the job beyond the daily figures (customer metrics, campaigns, the funnel...). A stage extracts and
/// computes inside the job's read-only source snapshot, then loads inside the job's single warehouse transaction,
/// so it shares the job's lock, run log entry, atomicity and rejected-row accounting.
public protocol AnalyticsStage {
    /// Short name for progress lines, e.g. "customers".
    var name: String { get }
    /// Extracts and computes. Must not write anything.
    func prepare(_ context: StageContext) throws -> PreparedStage
    /// The stage wants `StageContext.ordersPlaced`, counted while the daily extract streams the orders.
    var usesOrdersPlaced: Bool { get }
    /// The stage wants `StageContext.streamedSales`, summed while a backfill's daily extract streams the orders.
    var usesStreamedSales: Bool { get }
    /// Called before a backfill's daily extract when its order stream holds every sale (`StageContext.streamedSales`'s
    /// case): what the stage takes from each order as it streams, handed back in `StageContext.streamedOrders`, so the
    /// stage need not read those orders again. nil: nothing.
    func streamedOrders(_ setup: StreamSetup) throws -> (any StreamedOrders)?
    /// The stage reads the shop's conversion events and gives the customers' activity among them to
    /// `StageContext.activityTaps` (the funnel), so that the stages after it need not read those events again.
    var readsEvents: Bool { get }
    /// Called when a stage that `readsEvents` comes before this one in the job, just before it runs: this stage's work up
    /// to the customers' activity it takes from those events (the campaigns: their orders read, the ledger ready for
    /// the reach), handed back in `StageContext.workBeforeEvents`. nil: it takes none.
    func workBeforeEvents(_ context: StageContext) throws -> (any WorkBeforeEvents)?
    /// The stage reads something that needs nothing from the daily extract (`readBesideExtract`).
    var readsBesideExtract: Bool { get }
    /// Called, when the stage `readsBesideExtract`, while the daily extract streams the orders and their lines on two
    /// connections, whose two streams leave part of a core idle: reads what needs nothing from them on `source`, a
    /// connection of its own in the job's snapshot, with `warehouse`, one of its own too (at 10M orders the customers'
    /// loyalty points took 16 s of one core while the other waited). `context` has nothing the extract gives (orders
    /// placed, streamed sales, touched users) and its `shared` extracts are not to be used. Handed back in
    /// `StageContext.readBeside`.
    func readBesideExtract(_ context: StageContext, source: ShopSource, warehouse: Connection) throws -> any Sendable
}

extension AnalyticsStage {
    public var usesOrdersPlaced: Bool { false }
    public var usesStreamedSales: Bool { false }
    public func streamedOrders(_ setup: StreamSetup) throws -> (any StreamedOrders)? { nil }
    public var readsEvents: Bool { false }
    public func workBeforeEvents(_ context: StageContext) throws -> (any WorkBeforeEvents)? { nil }
    public var readsBesideExtract: Bool { false }
    public func readBesideExtract(_ context: StageContext, source: ShopSource, warehouse: Connection) throws -> any Sendable { () }
}

/// A stage's work up to the customers' activity it takes from the conversion events another stage reads
/// (`AnalyticsStage.workBeforeEvents`).
public protocol WorkBeforeEvents: AnyObject {
    /// Where that activity goes.
    var activity: ActivityTap { get }
}

/// Customers' activity taken from the conversion events a stage reads (`AnalyticsStage.readsEvents`): the campaigns'
/// reach (README, "What a backfill reads"). Each reading thread feeds a `part()`, a copy of the campaigns' ledger with
/// nobody reached yet, and gives it back to `merge`: being reached is a set per campaign and day, so the parts add up to
/// feeding the ledger every event, and an event fed twice (a margin day read by two chunks) counts once.
public final class ActivityTap: @unchecked Sendable {
    private var ledger: CampaignLedger
    private let lock = NSLock()

    public init(_ ledger: CampaignLedger) { self.ledger = ledger }

    /// A copy of the ledger with nobody reached yet, for one reading thread.
    public func part() -> CampaignLedger { lock.withLock { ledger.withoutReach } }

    /// Takes back a part fed the activity: its customers reached join the ledger's.
    public func merge(_ part: CampaignLedger) { lock.withLock { ledger.addReached(from: part) } }

    /// The ledger with every part merged. The tap keeps a copy with nobody reached, so that the ledger taken owns its sets
    /// (changing one the tap still shared would copy it).
    public func take() -> CampaignLedger {
        lock.withLock {
            let taken = ledger
            ledger = taken.withoutReach
            return taken
        }
    }
}

/// What a stage takes from a backfill's order stream (`AnalyticsStage.streamedOrders`).
public protocol StreamedOrders: AnyObject {
    /// One order of the stream (ascending id; any status, rejected rows aside), with the user's first sale among the
    /// orders streamed before it (`StreamedSales`; nil: none yet).
    func add(_ order: Order, firstSaleSoFar: Int64?)
    /// The stream has ended. `salesOutOfOrder`: some user's sales streamed out of time order, so for those users the
    /// first sale so far was not always their first sale (`StreamedSales.disordered`).
    func ended(salesOutOfOrder: Bool)
}

/// What a stage has to set up what it takes from a backfill's order stream: the stream covers `range`, which ends on
/// the job's last day, and every sale created before the end of that day is in it.
public struct StreamSetup {
    public let source: ShopSource
    public let range: ShopDayRange
    public let calendar: ShopCalendar
    public let shared: SharedExtracts
    public let progress: @Sendable (String) -> Void
}

/// What a stage gets to work with.
public struct StageContext {
    /// The shop, inside the job's repeatable-read snapshot.
    public let source: ShopSource
    /// The last shop day the job computes (`run --date`, or `backfill --to`): "as of" for per-customer figures.
    public let asOf: ShopDay
    /// The day ranges the job recomputes.
    public let ranges: [ShopDayRange]
    public let calendar: ShopCalendar
    /// The source's clock at the start of the snapshot (microseconds since the epoch).
    public let snapshotTime: Int64
    /// How long before `snapshotTime` a row committed after the snapshot may have been created (microseconds): the
    /// watermark's overlap.
    public let lateCommit: Int64
    public let progress: @Sendable (String) -> Void
    /// Orders placed per day and customer over `ranges`, from the daily extract; set when a stage of the job
    /// `usesOrdersPlaced`.
    public let ordersPlaced: OrdersPlaced?
    /// Each user's sales summed from the daily extract's stream, on a backfill whose order stream holds every sale the
    /// customer figures count (no sale before its first day); set for the stage that `usesStreamedSales`, which takes
    /// them (a million users' sums, freed when that stage lets them go, not when the context ends).
    public let streamedSales: Handoff<StreamedSales>
    /// What this stage took from the same stream (`AnalyticsStage.streamedOrders`); the stage takes it.
    public let streamedOrders: Handoff<any StreamedOrders>
    /// For a stage that `readsEvents`: where the stages after it want the customers' activity among the events.
    public let activityTaps: [ActivityTap]
    /// This stage's work up to the activity a stage before it gave (`AnalyticsStage.workBeforeEvents`); the stage takes it.
    public let workBeforeEvents: Handoff<any WorkBeforeEvents>
    /// What this stage read beside the daily extract (`AnalyticsStage.readBesideExtract`); the stage takes it.
    public let readBeside: Handoff<any Sendable>
    /// Extracts more than one stage needs, read once per job.
    public let shared: SharedExtracts
    /// The job's run id, for the rows' `run_id` (0 on a dry run).
    public let runId: Int64
    /// Also compute the rows of the shop's own analytics tables (`--django-tables`).
    public let shopTables: Bool
    /// The schema those rows are for: the shop's own (`public`), or `PendingShopTables.schema` in the warehouse
    /// when the shop's tables live in another database.
    public let shopSchema: String
    /// The warehouse, to read what earlier runs kept (never to write: the job's load step does).
    public let warehouse: Connection
    /// For a nightly run, the run whose watermark it starts from (every change since is among `ranges`); nil for a
    /// backfill.
    public let previousRun: Int64?
    /// For a nightly run, the users with an order created on the recomputed days (any status, rejected rows aside), each
    /// with the earliest such day.
    public let touchedUsers: [Int64: ShopDay]?
}

/// A value handed to one stage, which takes it: the job keeps no reference, so the stage alone decides when it is freed.
public final class Handoff<Value>: @unchecked Sendable {
    private var value: Value?

    init(_ value: consuming Value?) { self.value = value }

    /// The value, the first time; nil after.
    public func take() -> Value? { value.take() }
}

/// Extracts that several stages need, read on first use and kept for the rest of the job (same snapshot), so
/// `--areas` subsets still read what they need and the whole job reads them once.
public final class SharedExtracts {
    private let source: ShopSource
    private let asOf: ShopDay
    private let calendar: ShopCalendar
    private let warehouse: Connection
    private let ranges: [ShopDayRange]
    private let previousRun: Int64?
    /// For a nightly run, set once the daily extract has counted them (`StageContext.touchedUsers`).
    var touchedUsers: [Int64: ShopDay]?
    private let progress: @Sendable (String) -> Void
    private var facts: [Int64: CustomerFacts]?
    /// Every customer's tier and referral dates, once read (`audienceDates`).
    private var audience: [Int64: CustomerFacts]?
    /// Set when `customerFacts` built on the first sales the run it starts from counted: the users with an order on a
    /// recomputed day (any other user's first sale is as that run counted it), and their first sales as that run
    /// counted them (absent: no sale).
    public private(set) var firstSalesKept: (touched: Set<Int64>, earlier: [Int64: Int64])?
    /// Every user's first sale as the customer stage counted it, when it ran earlier in the job (`publishFirstSales`).
    private var published: FirstSales?

    /// Each user's first sale (`created_at` of the earliest sale before the end of the job's last day), as the customer
    /// stage has it from the sales it read or kept: the same sales `sql/source/campaign_customers.sql` would find, so
    /// `customerFacts` then reads no orders for them.
    public struct FirstSales {
        public var all: [Int64: Int64]
        /// On a nightly run that built on the kept state: the day it was kept as of (the as-of day of the run it
        /// starts from), the users with an order on a recomputed day, and their first sales as that run counted them
        /// (absent: no sale, or not known, which can only make a campaign be computed in whole); nil when every sale
        /// was read.
        public var kept: (asOf: ShopDay, touched: Set<Int64>, earlier: [Int64: Int64])?
        public init(all: [Int64: Int64], kept: (asOf: ShopDay, touched: Set<Int64>, earlier: [Int64: Int64])?) {
            self.all = all; self.kept = kept
        }
    }

    /// Called by the customer stage, before any stage asks for `customerFacts`.
    public func publishFirstSales(_ firstSales: FirstSales) {
        guard facts == nil else { return }
        published = firstSales
    }

    init(source: ShopSource, asOf: ShopDay, calendar: ShopCalendar, warehouse: Connection, ranges: [ShopDayRange],
         previousRun: Int64?, progress: @escaping @Sendable (String) -> Void) {
        self.source = source; self.asOf = asOf; self.calendar = calendar; self.warehouse = warehouse; self.ranges = ranges
        self.previousRun = previousRun; self.progress = progress
    }

    /// Every customer's tier and referral dates (`sql/source/campaign_customers.sql` with an empty list of users, which
    /// reads no orders: those tables are small), and the rows read for them: the count on the first call, 0 afterwards.
    public func audienceDates() throws -> (facts: [Int64: CustomerFacts], rowsRead: Int) {
        if let audience { return (audience, 0) }
        var read: [Int64: CustomerFacts] = [:]
        let n = try source.customerFacts(before: calendar.startMicros(of: asOf.advanced(by: 1)), users: []) { user, f in
            read[user] = CustomerFacts(vipSince: f.vipSince, referredAt: f.referredAt)
        }
        audience = read
        return (read, n)
    }

    /// Each customer's facts (`sql/source/campaign_customers.sql`) counting sales created by the end of the job's
    /// last day, and the rows read for them: the count on the first call, 0 afterwards (they are read once).
    ///
    /// On a nightly run that may build on the customers' kept sales and recomputes every day from the state's day on
    /// (`KeptState.firstSalesUsable`), the first sales come from `analytics.customer_sales_state` and only the users
    /// whose orders the run recomputes are re-read (README, "What a nightly run reads"); the tier and referral facts are
    /// read for everyone.
    public func customerFacts() throws -> (facts: [Int64: CustomerFacts], rowsRead: Int) {
        if let facts { return (facts, 0) }
        let end = calendar.startMicros(of: asOf.advanced(by: 1))
        var read: [Int64: CustomerFacts] = [:]
        if let first = published {
            // The customer stage counted every first sale: only the tier and referral dates are read.
            published = nil
            read.reserveCapacity(first.all.count)
            for (user, at) in first.all { read[user] = CustomerFacts(firstSaleAt: at) }
            let (dates, n) = try audienceDates()
            audience = nil
            for (user, f) in dates {
                read[user, default: CustomerFacts()].vipSince = f.vipSince
                read[user, default: CustomerFacts()].referredAt = f.referredAt
            }
            if let kept = first.kept {
                firstSalesKept = (kept.touched, kept.earlier)
                progress("  customers' first sales kept from the run of \(kept.asOf.iso); \(kept.touched.count) with orders recomputed")
            }
            facts = read
            return (read, n)
        }
        let store = CustomerSalesStore(connection: warehouse)
        if let touched = touchedUsers.map({ Set($0.keys) }), let kept = try store.stateRun(),
           KeptState.firstSalesUsable(stateAsOf: kept.asOf, stateRun: kept.runId, previousRun: previousRun, asOf: asOf, ranges: ranges) {
            var earlier: [Int64: Int64] = [:]
            try store.firstSales { user, at in
                read[user] = CustomerFacts(firstSaleAt: at)
                if touched.contains(user) { earlier[user] = at }
            }
            for user in touched { read[user]?.firstSaleAt = nil }
            let n = try source.customerFacts(before: end, users: touched.sorted()) { user, f in
                var merged = read[user] ?? CustomerFacts()
                if touched.contains(user) { merged.firstSaleAt = f.firstSaleAt }
                merged.vipSince = f.vipSince; merged.referredAt = f.referredAt
                read[user] = merged
            }
            read = read.filter { $0.value != CustomerFacts() }
            firstSalesKept = (touched, earlier)
            progress("  customers' first sales kept from the run of \(kept.asOf.iso); \(touched.count) re-read")
            facts = read
            return (read, n)
        }
        let n = try source.customerFacts(before: end) { user, f in read[user] = f }
        facts = read
        return (read, n)
    }
}

/// When a nightly run may build on what an earlier run kept in the warehouse (README, "What a nightly run reads").
enum KeptState {
    /// A state that covers everything up to the end of its day (the campaigns'): it was written by the run this nightly
    /// run starts from (`previousRun`: every change since its watermark is among the recomputed days), is as of a day
    /// no later than `asOf`, and every day after it through `asOf` is recomputed.
    static func usable(stateAsOf: ShopDay, stateRun: Int64, previousRun: Int64?, asOf: ShopDay, ranges: [ShopDayRange]) -> Bool {
        guard salesUsable(stateAsOf: stateAsOf, stateRun: stateRun, previousRun: previousRun, asOf: asOf) else { return false }
        return stateAsOf == asOf || recomputed(ShopDayRange(stateAsOf.advanced(by: 1), asOf), ranges)
    }

    /// The customers' kept sales, which cover the sales created before the start of their day: written by the run this
    /// nightly run starts from, as of a day no later than `asOf`. The run reads every sale created from that day's
    /// start on, so the days from it to `asOf` need not be recomputed.
    static func salesUsable(stateAsOf: ShopDay, stateRun: Int64, previousRun: Int64?, asOf: ShopDay) -> Bool {
        guard let previousRun else { return false }
        return stateRun == previousRun && stateAsOf <= asOf
    }

    /// The kept sales' first sales, for a run that reads no sales since the state's day (no customer stage): as
    /// `salesUsable`, and every day from the state's day through `asOf` is recomputed, so every user with a sale on
    /// them is among the users re-read.
    static func firstSalesUsable(stateAsOf: ShopDay, stateRun: Int64, previousRun: Int64?, asOf: ShopDay, ranges: [ShopDayRange]) -> Bool {
        salesUsable(stateAsOf: stateAsOf, stateRun: stateRun, previousRun: previousRun, asOf: asOf)
            && recomputed(ShopDayRange(stateAsOf, asOf), ranges)
    }

    private static func recomputed(_ days: ShopDayRange, _ ranges: [ShopDayRange]) -> Bool {
        days.allSatisfy { d in ranges.contains { $0.contains(d) } }
    }
}

/// A stage's computed result, waiting to be loaded: values only. The job's load step runs the deletes and writes of
/// every stage in its one transaction.
public struct PreparedStage {
    public var rowsRead: Int
    /// Source rows set aside, with reasons (kept in `analytics.rejected_rows` with the job's own).
    public var rejected: [RejectedRow]
    /// What the stage replaces in the warehouse. Its deletes include its own earlier rejected rows that the
    /// day-range delete does not cover.
    public var warehouse: TableChanges
    /// What the stage writes to the shop's own analytics tables (`--django-tables`), with the values that did not fit.
    public var shop: TableChanges

    public init(rowsRead: Int, rejected: [RejectedRow], warehouse: TableChanges, shop: TableChanges = TableChanges()) {
        self.rowsRead = rowsRead; self.rejected = rejected; self.warehouse = warehouse; self.shop = shop
    }
}
