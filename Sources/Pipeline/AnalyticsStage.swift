import Extract
import Postgres
import Shop

/// A part of the job beyond the daily figures (customer metrics, campaigns, the funnel...). A stage extracts and
/// computes inside the job's read-only source snapshot, then loads inside the job's single warehouse transaction,
/// so it shares the job's lock, run log entry, atomicity and rejected-row accounting.
public protocol AnalyticsStage {
    /// Short name for progress lines, e.g. "customers".
    var name: String { get }
    /// Extracts and computes. Must not write anything.
    func prepare(_ context: StageContext) throws -> PreparedStage
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
}

/// A stage's computed result, waiting to be loaded.
public struct PreparedStage {
    public var rowsRead: Int
    /// Source rows set aside, with reasons (kept in `analytics.rejected_rows` with the job's own).
    public var rejected: [RejectedRow]
    /// Replaces the stage's rows in the warehouse (inside the load transaction; delete what it replaces first,
    /// including its own earlier rejected rows that the day-range delete does not cover). Gets the connection and
    /// the run id; returns rows written.
    public var load: (Connection, Int64) throws -> Int
    /// Writes the shop's own Django table(s) when `--django-tables` is on; returns rows written and values that
    /// did not fit.
    public var loadDjango: ((Connection) throws -> (written: Int, problems: [RejectedRow]))?

    public init(rowsRead: Int, rejected: [RejectedRow], load: @escaping (Connection, Int64) throws -> Int,
                loadDjango: ((Connection) throws -> (written: Int, problems: [RejectedRow]))? = nil) {
        self.rowsRead = rowsRead; self.rejected = rejected; self.load = load; self.loadDjango = loadDjango
    }
}
