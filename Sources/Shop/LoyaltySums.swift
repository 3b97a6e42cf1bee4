/// One customer's loyalty points summed over transactions of both stores (README, "Loyalty points"), and the
/// transactions left out because their points are beyond ±`LoyaltyLimits.pointsPerTransaction` (README, "Rejected
/// rows", `out_of_range`). Kept per user in the warehouse, so a nightly run adds only the transactions that can have
/// changed it (README, "What a nightly run reads").
public struct LoyaltySums: Sendable, Equatable {
    public var earned: Int64 = 0
    public var redeemed: Int64 = 0
    /// Ordered by table, then id (as the full extract lists them).
    public private(set) var setAside: [SetAsidePoints] = []

    public init(earned: Int64 = 0, redeemed: Int64 = 0, setAside: [SetAsidePoints] = []) {
        self.earned = earned; self.redeemed = redeemed; self.setAside = setAside.sorted()
    }

    /// Adds one transaction: its earned and redeemed points (as `sql/source/shared/loyalty_transactions.sql` computes
    /// them), or, beyond the limit, the transaction to the ones set aside.
    public mutating func add(_ t: LoyaltyTransaction) {
        if t.points.magnitude <= LoyaltyLimits.pointsPerTransaction.magnitude {
            earned += t.earned
            redeemed += t.redeemed
        } else {
            let item = SetAsidePoints(source: t.source, id: t.id, points: t.points)
            // Usually appended in order; a late-inserted transaction may land before the last one.
            if let last = setAside.last, item < last { setAside.insert(item, at: setAside.firstIndex { item < $0 }!) } else { setAside.append(item) }
        }
    }

    /// Both sums added, the set-aside transactions merged.
    public static func + (a: LoyaltySums, b: LoyaltySums) -> LoyaltySums {
        LoyaltySums(earned: a.earned + b.earned, redeemed: a.redeemed + b.redeemed, setAside: a.setAside + b.setAside)
    }
}

/// One loyalty transaction of either store, as `sql/source/shared/loyalty_transactions.sql` returns it.
public struct LoyaltyTransaction: Sendable, Equatable {
    public var userId: Int64
    /// The table: `loyalty_pointstransaction` or `subscriptions_loyaltytransaction`.
    public var source: String
    public var id: Int64
    public var points: Int64
    public var earned: Int64
    public var redeemed: Int64
    /// Microseconds since the epoch.
    public var createdAt: Int64

    public init(userId: Int64, source: String, id: Int64, points: Int64, earned: Int64, redeemed: Int64, createdAt: Int64) {
        self.userId = userId; self.source = source; self.id = id; self.points = points; self.earned = earned
        self.redeemed = redeemed; self.createdAt = createdAt
    }
}

/// A loyalty transaction left out of a customer's points, written `table/id/points` (in the extract's text arrays and
/// in the warehouse's kept state).
public struct SetAsidePoints: Sendable, Hashable, Comparable {
    public var source: String
    public var id: Int64
    public var points: Int64

    public init(source: String, id: Int64, points: Int64) { self.source = source; self.id = id; self.points = points }

    public static func < (a: SetAsidePoints, b: SetAsidePoints) -> Bool { (a.source, a.id) < (b.source, b.id) }

    /// `table/id/points`.
    public var text: String { source + "/" + String(id) + "/" + String(points) }

    /// The elements of a text array of `table/id/points` in COPY text (`{a/1/5,b/2/7}`; no element needs quoting);
    /// unreadable elements are skipped. nil or empty: none.
    public static func list(_ arrayText: String?) -> [SetAsidePoints] {
        guard let arrayText else { return [] }
        return arrayText.dropFirst().dropLast().split(separator: ",").compactMap { item in
            let parts = item.split(separator: "/")
            guard parts.count == 3, let id = Int64(parts[1]), let points = Int64(parts[2]) else { return nil }
            return SetAsidePoints(source: String(parts[0]), id: id, points: points)
        }
    }
}

/// Bounds on loyalty values (README, "Rejected rows").
public enum LoyaltyLimits {
    /// Points of one transaction beyond ± this are a data error: the transaction is set aside.
    public static let pointsPerTransaction: Int64 = 1_000_000
}

/// The highest id of each loyalty store in a run's snapshot, kept with the customers' loyalty sums: a transaction
/// inserted later has a higher id, whatever its `created_at`.
public struct LoyaltyHighWater: Sendable, Equatable {
    /// `loyalty_pointstransaction`
    public var orders: Int64
    /// `subscriptions_loyaltytransaction`
    public var subscriptions: Int64
    public init(orders: Int64, subscriptions: Int64) { self.orders = orders; self.subscriptions = subscriptions }
}
