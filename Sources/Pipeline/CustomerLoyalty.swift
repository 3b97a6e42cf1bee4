import Extract
import Foundation
import Postgres
import Shop
import Warehouse

/// Each customer's loyalty points as of the end of the job's last day (README, "Loyalty points"), from the sums a run
/// kept in the warehouse and the transactions that can have changed them since, or from every transaction (README,
/// "What a nightly run reads"). Both stores are taken as insert-only (they have no updated_at): a transaction counted
/// once stays counted as it was.
struct CustomerLoyalty: Sendable {
    /// Every user's points as of the end of the as-of day (users of both stores, customers or not).
    var points: [Int64: LoyaltySums] = [:]
    /// The new kept sums, for the job's load transaction.
    var changes = TableChanges()
    /// Source rows read.
    var rowsRead = 0

    /// Reads the points. `asOfEnd`: the end of the as-of day; the sums kept count the transactions created before
    /// `min(asOfEnd, snapshotTime - lateCommit)` (a transaction committed after the snapshot was created, by the shop's
    /// clock, at most `lateCommit` before it, as the watermark assumes), so the next run starts from them. A nightly
    /// run (`useKept`) adds to the kept sums the transactions created since their cutoff or inserted since (an id above
    /// the high water); otherwise, or when the kept sums count beyond the new cutoff, every transaction is read.
    static func read(source: ShopSource, warehouse: Connection, asOfEnd: Int64, snapshotTime: Int64, lateCommit: Int64,
                     useKept: Bool, runId: Int64, progress: (String) -> Void) throws -> CustomerLoyalty {
        var out = CustomerLoyalty()
        let cutoff = min(asOfEnd, snapshotTime - lateCommit)
        let store = CustomerLoyaltyStore(connection: warehouse)
        let highWater = try source.loyaltyHighWater()
        let newRun = CustomerLoyaltyStore.KeptRun(countedBefore: cutoff, highWater: highWater)
        var kept: [Int64: LoyaltySums] = [:]
        // Transactions created at or after the cutoff, up to the end of the as-of day: in the figures, not in the sums
        // kept (usually none: a nightly run starts after the day it computes has ended).
        var after: [Int64: LoyaltySums] = [:]
        if useKept, let run = try store.keptRun(), run.countedBefore <= cutoff {
            kept = try store.sums()
            var changed = Set<Int64>()
            out.rowsRead += try source.loyaltyTransactions(since: run.countedBefore, before: asOfEnd, highWater: run.highWater) { t in
                if t.createdAt < cutoff {
                    kept[t.userId, default: LoyaltySums()].add(t)
                    changed.insert(t.userId)
                } else {
                    after[t.userId, default: LoyaltySums()].add(t)
                }
            }
            progress("  \(kept.count) users' loyalty points kept; \(changed.count) changed by \(out.rowsRead) transactions since \(Instant.utcString(micros: run.countedBefore))")
            out.changes = try CustomerLoyaltyStore.changes(kept, replacing: changed.sorted(), run: newRun, runId: runId)
        } else {
            out.rowsRead += try source.customerLoyalty(before: cutoff) { user, sums in kept[user] = sums }
            if cutoff < asOfEnd {
                let none = LoyaltyHighWater(orders: .max, subscriptions: .max)
                out.rowsRead += try source.loyaltyTransactions(since: cutoff, before: asOfEnd, highWater: none) { t in
                    after[t.userId, default: LoyaltySums()].add(t)
                }
            }
            out.changes = try CustomerLoyaltyStore.changes(kept, replacing: nil, run: newRun, runId: runId)
        }
        // Merged in place: a merged copy would hold every user's sums twice for a moment.
        for (user, sums) in after { kept[user] = (kept[user] ?? LoyaltySums()) + sums }
        out.points = kept
        return out
    }
}
