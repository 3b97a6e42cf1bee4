import Postgres
import Shop

/// `analytics.customer_loyalty_state`: each user's loyalty points summed over the transactions created before the
/// kept cutoff, and (`customer_loyalty_state_run`) that cutoff and each store's highest id, as the run that wrote
/// them saw the shop (migration 0014; README, "What a nightly run reads"). Reads for the next run, and the rows a job
/// replaces (inside its load transaction).
public struct CustomerLoyaltyStore {
    private let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// What the kept sums count: the transactions created before `countedBefore` (microseconds) with an id up to the
    /// store's high water.
    public struct KeptRun: Sendable, Equatable {
        public var countedBefore: Int64
        public var highWater: LoyaltyHighWater
        public init(countedBefore: Int64, highWater: LoyaltyHighWater) { self.countedBefore = countedBefore; self.highWater = highWater }
    }

    public static let state = WarehouseTable<(userId: Int64, sums: LoyaltySums)>("analytics.customer_loyalty_state", [
        Column("user_id") { $0.userId }, Column("points_earned") { $0.sums.earned }, Column("points_redeemed") { $0.sums.redeemed },
        // A text array of table/id/points (no element needs quoting), NULL when none.
        Column("set_aside") { r -> String? in r.sums.setAside.isEmpty ? nil : "{" + r.sums.setAside.map(\.text).joined(separator: ",") + "}" },
    ])

    public static let run = WarehouseTable<KeptRun>("analytics.customer_loyalty_state_run", [
        Column("counted_before") { Instant.utcString(micros: $0.countedBefore) },
        Column("order_high_water") { $0.highWater.orders }, Column("subscription_high_water") { $0.highWater.subscriptions },
    ])

    /// What the kept sums count; nil when nothing is kept.
    public func keptRun() throws -> KeptRun? {
        var kept: KeptRun?
        try connection.copyOut("COPY (SELECT counted_before, order_high_water, subscription_high_water FROM \(CustomerLoyaltyStore.run.name) LIMIT 1) TO STDOUT") { row in
            guard let before = row.timestampMicros(0), let orders = row.int64(1), let subscriptions = row.int64(2) else { return }
            kept = KeptRun(countedBefore: before, highWater: LoyaltyHighWater(orders: orders, subscriptions: subscriptions))
        }
        return kept
    }

    /// Every user's kept sums.
    public func sums() throws -> [Int64: LoyaltySums] {
        var out: [Int64: LoyaltySums] = [:]
        out.reserveCapacity(try CustomerLoyaltyStore.state.estimatedRows(on: connection))
        try connection.copyOut("COPY (SELECT user_id, points_earned, points_redeemed, set_aside FROM \(CustomerLoyaltyStore.state.name)) TO STDOUT") { row in
            guard let user = row.int64(0) else { return }
            out[user] = LoyaltySums(earned: row.int64(1) ?? 0, redeemed: row.int64(2) ?? 0, setAside: SetAsidePoints.list(row.string(3)))
        }
        return out
    }

    /// Replaces the kept sums: every row when `users` is nil, else the rows of those users; `sums` are the new rows
    /// (a user absent from `sums` has no row). They then count what `run` says, written by `runId`.
    public static func changes(_ sums: [Int64: LoyaltySums], replacing users: [Int64]?, run kept: KeptRun, runId: Int64) throws -> TableChanges {
        let deletes = [SQLStatement("DELETE FROM \(run.name)"), state.deleting(users: users)]
        var w = state.rows(stamps: [runId])
        for user in (users ?? Array(sums.keys)).sorted() {
            if let s = sums[user] { try w.append((user, s)) }
        }
        // `deleting(users: nil)` empties the table: the write refills it.
        return TableChanges(deletes: deletes, writes: [w.write.refilling(users == nil), try run.write([kept], stamps: [runId])])
    }
}

extension WarehouseTable {
    /// Empties a per-user table (`users` nil) or deletes the rows of `users` (its `user_id` is its key).
    func deleting(users: [Int64]?) -> SQLStatement {
        guard let users else { return SQLStatement("TRUNCATE \(name)") }
        return SQLStatement("DELETE FROM \(name) WHERE user_id = ANY($1::bigint[])", ["{" + users.map(String.init).joined(separator: ",") + "}"])
    }
}
