import Shop

/// A VIP tier as `subscriptions_viptier.tier_level` stores it (lower case); the shop's
/// `analytics_customermetrics.vip_tier_current` wants it capitalised.
public enum VIPTier: UInt8, CaseIterable, Sendable {
    case bronze = 1, silver, gold, platinum

    /// From the source's text, any case; `nil` for anything else.
    public init?(source: String) {
        switch source.lowercased() {
        case "bronze": self = .bronze
        case "silver": self = .silver
        case "gold": self = .gold
        case "platinum": self = .platinum
        default: return nil
        }
    }

    /// `Bronze`, `Silver`... as the shop's Django table stores it.
    public var capitalised: String {
        switch self {
        case .bronze: "Bronze"
        case .silver: "Silver"
        case .gold: "Gold"
        case .platinum: "Platinum"
        }
    }
}

/// A customer as of the as-of day: a non-staff `auth_user` row (README, "Customers").
public struct CustomerProfile: Sendable, Equatable {
    public var userId: Int64
    /// `date_joined`, microseconds since the epoch; nil when the shop holds no real time there (`-infinity`,
    /// `infinity`, unreadable): the customer is kept with an unknown join date (README, "Customers").
    public var joinedAt: Int64?
    public var vipTier: VIPTier?
    /// Has a `subscriptions_subscription` with status `active` that started on or before the as-of day.
    public var subscriptionActive: Bool

    public init(userId: Int64, joinedAt: Int64?, vipTier: VIPTier? = nil, subscriptionActive: Bool = false) {
        self.userId = userId; self.joinedAt = joinedAt; self.vipTier = vipTier; self.subscriptionActive = subscriptionActive
    }
}

/// A customer's loyalty points, both stores added (README, "Loyalty points").
public struct LoyaltyPoints: Sendable, Equatable {
    public var userId: Int64
    public var earned: Int64
    public var redeemed: Int64
    public init(userId: Int64, earned: Int64, redeemed: Int64) { self.userId = userId; self.earned = earned; self.redeemed = redeemed }
}

/// One `subscriptions_referralprogram` row.
public struct Referral: Sendable, Equatable {
    public var id: Int64
    public var referrerId: Int64
    public var refereeId: Int64?
    /// Upper case in the shop: PENDING, COMPLETED, EXPIRED, CANCELLED.
    public var status: String
    public var referrerBonus: Money
    public var referrerBonusPoints: Int64
    public var createdAt: Int64
    public var completedAt: Int64?

    public init(id: Int64, referrerId: Int64, refereeId: Int64?, status: String, referrerBonus: Money, referrerBonusPoints: Int64 = 0,
                createdAt: Int64, completedAt: Int64?) {
        self.id = id; self.referrerId = referrerId; self.refereeId = refereeId; self.status = status
        self.referrerBonus = referrerBonus; self.referrerBonusPoints = referrerBonusPoints
        self.createdAt = createdAt; self.completedAt = completedAt
    }

    /// Completed by the end of the as-of day: status COMPLETED and `completed_at` (else `created_at`) before `end`.
    public func isCompleted(before end: Int64) -> Bool {
        status.uppercased() == "COMPLETED" && (completedAt ?? createdAt) < end
    }
}

/// Thresholds of the customer rules (README, "Customer segments"); every one configurable.
public struct CustomerRules: Sendable, Equatable {
    /// Churn risk: at least one sale and none for this many days.
    public var churnDays = 60
    /// Inactive: at least one sale and none for this many days.
    public var inactiveDays = 30
    /// New: first sale within this many days (the as-of day and the days before it).
    public var newDays = 30
    /// High value: lifetime value at least this.
    public var highValue = Money(francs: 500_000)
    /// Monthly discount rate of the 12-month CLV.
    public var monthlyDiscountRate = 0.01
    /// Length of the at-risk list and of the top list.
    public var atRiskListSize = 100
    public var topListSize = 10

    public init() {}
}
