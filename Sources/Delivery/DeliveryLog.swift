import Postgres
import Shop

/// What happened to one message.
public enum DeliveryStatus: String, Sendable, Equatable {
    case sent
    case failed
    case dryRun = "dry_run"
}

/// One row of `analytics.delivery_log` (sql/migrations/0005_delivery_log.sql).
public struct DeliveryRecord: Sendable, Equatable {
    public var report: String
    public var period: ShopDayRange
    /// The recipient's address (`name@domain`).
    public var recipient: String
    public var role: RecipientRole
    public var status: DeliveryStatus
    /// The failure's sentence, for `failed` only.
    public var error: String?
    public var messageID: String?
    /// The run that produced the report, when the send was chained to one (`run --send`).
    public var runID: Int64?
    /// Sent again although already sent (`--resend`, or a race with another sender).
    public var resend: Bool
    /// When it was recorded, UTC (`YYYY-MM-DD HH:MM:SS+00`); nil before recording.
    public var sentAt: String?

    public init(report: String, period: ShopDayRange, recipient: String, role: RecipientRole, status: DeliveryStatus,
                error: String? = nil, messageID: String? = nil, runID: Int64? = nil, resend: Bool = false,
                sentAt: String? = nil) {
        self.report = report
        self.period = period
        self.recipient = recipient
        self.role = role
        self.status = status
        self.error = error
        self.messageID = messageID
        self.runID = runID
        self.resend = resend
        self.sentAt = sentAt
    }
}

/// The delivery log in the warehouse: which report went to whom for which period, so a report is sent at most
/// once per (report, period, recipient) unless resent on purpose.
public struct DeliveryLog {
    private let connection: Connection

    /// Serialises deliveries across processes (a `send` and a `run --send` at once): "Dusang" + 5.
    static let lockKey: Int64 = 0x4475_7361_6E67_0005

    public init(connection: Connection) { self.connection = connection }

    /// True when this report for this period was already sent (status `sent`) to this address (case-insensitive).
    public func alreadySent(report: String, period: ShopDayRange, recipient: String) throws(DeliveryError) -> Bool {
        do {
            return try connection.scalar("""
                SELECT EXISTS (SELECT 1 FROM analytics.delivery_log
                               WHERE report = $1 AND period_first = $2::date AND period_last = $3::date
                                 AND lower(recipient) = lower($4) AND status = 'sent')
                """, [report, period.first.iso, period.last.iso, recipient]) == "t"
        } catch {
            throw DeliveryError.logFailure(error)
        }
    }

    /// Records one message and returns the row's id. A `sent` row that collides with an earlier one (another
    /// process sent the same report meanwhile) is kept as a resend rather than lost.
    @discardableResult
    public func record(_ r: DeliveryRecord) throws(DeliveryError) -> Int64 {
        func insert(resend: Bool) throws(PostgresError) -> Int64 {
            let id = try connection.scalar("""
                INSERT INTO analytics.delivery_log
                    (report, period_first, period_last, recipient, role, status, error, message_id, run_id, resend)
                VALUES ($1, $2::date, $3::date, $4, $5, $6, $7, $8, $9::bigint, $10::boolean)
                RETURNING id
                """, [r.report, r.period.first.iso, r.period.last.iso, r.recipient, r.role.rawValue, r.status.rawValue,
                      r.status == .failed ? (r.error ?? "unknown error") : nil, r.messageID, r.runID.map { String($0) },
                      resend ? "true" : "false"])
            return Int64(id ?? "") ?? 0
        }
        do {
            return try insert(resend: r.resend)
        } catch let e where e.sqlState == "23505" && r.status == .sent && !r.resend {
            do { return try insert(resend: true) } catch { throw DeliveryError.logFailure(error) }
        } catch {
            throw DeliveryError.logFailure(error)
        }
    }

    /// The log of one report and period, oldest first.
    public func entries(report: String, period: ShopDayRange) throws(DeliveryError) -> [DeliveryRecord] {
        do {
            let r = try connection.execute("""
                SELECT recipient, role, status, error, message_id, run_id, resend,
                       to_char(sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00'
                FROM analytics.delivery_log
                WHERE report = $1 AND period_first = $2::date AND period_last = $3::date
                ORDER BY id
                """, [report, period.first.iso, period.last.iso])
            return r.rows.map { c in
                DeliveryRecord(report: report, period: period, recipient: c[0] ?? "", role: RecipientRole(c[1] ?? ""),
                               status: DeliveryStatus(rawValue: c[2] ?? "") ?? .failed, error: c[3], messageID: c[4],
                               runID: c[5].flatMap { Int64($0) }, resend: c[6] == "t", sentAt: c[7])
            }
        } catch {
            throw DeliveryError.logFailure(error)
        }
    }

    /// Refuses, before the first message, a log that cannot record one: a message sent anyway would go again on
    /// every later send (a read-only warehouse: default_transaction_read_only, a standby; a role without the grant).
    public func requireWritable() throws(DeliveryError) {
        let refused: String?
        do {
            refused = try connection.scalar("""
                SELECT current_setting('transaction_read_only') = 'on' OR pg_is_in_recovery()
                       OR NOT has_table_privilege('analytics.delivery_log', 'INSERT')
                """)
        } catch {
            throw DeliveryError.logFailure(error)
        }
        if refused == "t" { throw DeliveryError.logReadOnly(warehouse: connection.target.description) }
    }

    /// Runs `body` holding the delivery lock, so two senders never check-then-send the same report at once.
    public func withLock<T>(_ body: () throws -> T) throws -> T {
        do { try connection.advisoryLock(DeliveryLog.lockKey) } catch { throw DeliveryError.logFailure(error) }
        defer { _ = try? connection.advisoryUnlock(DeliveryLog.lockKey) }
        return try body()
    }
}
