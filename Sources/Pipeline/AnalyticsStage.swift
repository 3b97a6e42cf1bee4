import Analytics
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
}

extension AnalyticsStage {
    public var usesOrdersPlaced: Bool { false }
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
    public let progress: @Sendable (String) -> Void
    /// Orders placed per day and customer over `ranges`, from the daily extract; set when a stage of the job
    /// `usesOrdersPlaced`.
    public let ordersPlaced: OrdersPlaced?
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
    /// For a nightly run, the users with an order created on the recomputed days (any status, rejected rows aside).
    public let touchedUsers: Set<Int64>?
}

/// Extracts that several stages need, read on first use and kept for the rest of the job (same snapshot), so
/// `--areas` subsets still read what they need and the whole job reads them once.
public final class SharedExtracts {
    private let source: ShopSource
    private let asOf: ShopDay
    private let calendar: ShopCalendar
    private var facts: [Int64: CustomerFacts]?

    init(source: ShopSource, asOf: ShopDay, calendar: ShopCalendar) {
        self.source = source; self.asOf = asOf; self.calendar = calendar
    }

    /// Each customer's facts (`sql/source/campaign_customers.sql`) counting sales created by the end of the job's
    /// last day, and the rows read for them: the count on the first call, 0 afterwards (they are read once).
    public func customerFacts() throws -> (facts: [Int64: CustomerFacts], rowsRead: Int) {
        if let facts { return (facts, 0) }
        var read: [Int64: CustomerFacts] = [:]
        let n = try source.customerFacts(before: calendar.startMicros(of: asOf.advanced(by: 1))) { user, f in read[user] = f }
        facts = read
        return (read, n)
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
