import Postgres
import Shop

/// The `analytics.runs` table: one row per command run, written at the start (status `running`) and at the end.
public struct RunLog {
    private let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// Marks runs left `running` by a process that died as `abandoned`. Call only while holding the job lock.
    public func abandonStale() throws {
        try connection.execute("""
            UPDATE analytics.runs SET status = 'abandoned', finished_at = clock_timestamp(),
                   error = 'the process ended before the run finished (killed, crashed or lost its connection)'
            WHERE status = 'running'
            """)
    }

    /// Inserts a `running` row and returns its id (committed at once, so the run is visible while it works).
    /// `areas`: what the run computes beside the daily figures (the stages' names).
    public func start(command: String, range: ShopDayRange?, timeZone: String, version: String, areas: [String] = []) throws -> Int64 {
        let id = try connection.scalar("""
            INSERT INTO analytics.runs (command, range_first, range_last, status, time_zone, version, areas)
            VALUES ($1, $2::date, $3::date, 'running', $4, $5, string_to_array($6, ',')) RETURNING id
            """, [command, range?.first.iso, range?.last.iso, timeZone, version, areas.sorted().joined(separator: ",")])
        return Int64(id ?? "") ?? 0
    }

    /// Records the end of a run. Called inside the load transaction on success, so the log and the data commit together.
    /// `shopTablesPending`: the run left rows for the shop's tables in another database (`PendingShopTables`).
    public func finish(_ id: Int64, _ s: RunCounts, watermark: Int64?, shopTablesPending: Bool = false) throws {
        try connection.execute("""
            UPDATE analytics.runs SET finished_at = clock_timestamp(), status = 'succeeded', days_recomputed = $2,
                   rows_read = $3, rows_written = $4, rows_rejected = $5, watermark = $6::timestamptz,
                   range_first = COALESCE($7::date, range_first), range_last = COALESCE($8::date, range_last),
                   shop_tables = CASE WHEN $9::boolean THEN 'pending' END
            WHERE id = $1
            """, [String(id), String(s.daysRecomputed), String(s.rowsRead), String(s.rowsWritten), String(s.rowsRejected),
                  watermark.map { Instant.utcString(micros: $0) }, s.range?.first.iso, s.range?.last.iso, String(shopTablesPending)])
    }

    /// Records why a loaded run's rows did not reach the shop's tables (the run stays `succeeded`, its shop tables
    /// `pending`).
    public func shopTablesFailed(_ id: Int64, error: String) throws {
        try connection.execute("UPDATE analytics.runs SET error = $2 WHERE id = $1 AND shop_tables = 'pending'", [String(id), error])
    }

    /// Records a failure (outside any transaction, so it survives the rollback of the load).
    public func fail(_ id: Int64, error: String, counts: RunCounts) throws {
        try connection.execute("""
            UPDATE analytics.runs SET finished_at = clock_timestamp(), status = 'failed', error = $2,
                   rows_read = $3, rows_rejected = $4 WHERE id = $1
            """, [String(id), error, String(counts.rowsRead), String(counts.rowsRejected)])
    }

    /// The newest successful run of `command` (any command when nil) with a watermark, that computed `area` when one is
    /// named (a run logged before areas were, computed them all): its id and the watermark.
    public func lastWatermarkRun(command: String?, area: String? = nil) throws -> (id: Int64, watermark: Int64)? {
        try watermarkRun(command: command, area: area, newest: true)
    }

    /// The oldest successful run of `command` with a watermark: where a nightly run starts when no nightly run came
    /// before it, since the backfills after the oldest may each have covered only part of the days.
    public func firstWatermarkRun(command: String) throws -> (id: Int64, watermark: Int64)? {
        try watermarkRun(command: command, area: nil, newest: false)
    }

    /// The latest day a successful job computed.
    public func lastComputedDay() throws -> ShopDay? {
        try connection.scalar("SELECT max(range_last)::text FROM analytics.runs WHERE status = 'succeeded'").flatMap(ShopDay.init(iso:))
    }

    private func watermarkRun(command: String?, area: String?, newest: Bool) throws -> (id: Int64, watermark: Int64)? {
        let r = try connection.execute("""
            SELECT id, watermark FROM analytics.runs
            WHERE status = 'succeeded' AND watermark IS NOT NULL AND ($1::text IS NULL OR command = $1)
              AND ($2::text IS NULL OR areas IS NULL OR $2 = ANY (areas))
            ORDER BY id \(newest ? "DESC" : "ASC") LIMIT 1
            """, [command, area])
        guard r.rowCount > 0, let id = Int64(r[0, 0] ?? ""), let text = r[0, 1],
              let mark = text.utf8.withContiguousStorageIfAvailable({ CopyParse.timestampMicros($0) }) ?? nil else { return nil }
        return (id, mark)
    }

    /// The newest runs, newest first.
    public func recent(limit: Int) throws -> [RunRecord] {
        let r = try connection.execute("""
            SELECT id, command, to_char(started_at AT TIME ZONE time_zone, 'YYYY-MM-DD HH24:MI:SS'),
                   COALESCE(to_char(finished_at AT TIME ZONE time_zone, 'YYYY-MM-DD HH24:MI:SS'), ''),
                   COALESCE(range_first::text, ''), COALESCE(range_last::text, ''), days_recomputed,
                   rows_read, rows_written, rows_rejected, status, COALESCE(error, ''), time_zone, COALESCE(shop_tables, '')
            FROM analytics.runs ORDER BY id DESC LIMIT $1
            """, [String(limit)])
        return r.rows.map { c in
            RunRecord(id: Int64(c[0] ?? "") ?? 0, command: c[1] ?? "", started: c[2] ?? "", finished: c[3] ?? "",
                      rangeFirst: c[4] ?? "", rangeLast: c[5] ?? "", daysRecomputed: Int(c[6] ?? "") ?? 0,
                      rowsRead: Int64(c[7] ?? "") ?? 0, rowsWritten: Int64(c[8] ?? "") ?? 0,
                      rowsRejected: Int64(c[9] ?? "") ?? 0, status: c[10] ?? "", error: c[11] ?? "", timeZone: c[12] ?? "",
                      shopTables: c[13] ?? "")
        }
    }
}

/// What a run counted.
public struct RunCounts: Sendable, Equatable {
    public var range: ShopDayRange?
    public var daysRecomputed = 0
    public var rowsRead: Int64 = 0
    public var rowsWritten: Int64 = 0
    public var rowsRejected: Int64 = 0
    public init() {}
}

/// One row of the run log, for `dusangire-analytics runs`.
public struct RunRecord: Sendable {
    public var id: Int64
    public var command, started, finished, rangeFirst, rangeLast: String
    public var daysRecomputed: Int
    public var rowsRead, rowsWritten, rowsRejected: Int64
    public var status, error, timeZone: String
    /// "" (no shop tables in another database), "pending" (they are behind the warehouse) or "synced".
    public var shopTables: String
}
