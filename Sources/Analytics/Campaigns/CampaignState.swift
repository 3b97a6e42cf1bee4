import Shop

/// What a computed campaign's figures are made of, kept in the warehouse between runs so that a nightly run reads only
/// the orders and events of the days it recomputes (README, "What a nightly run reads").
public struct CampaignState: Sendable, Equatable {
    public var campaignId: Int64
    /// One per shop day from the baseline's first day to the last day counted, ascending.
    public var days: [CampaignDayFigures]
    /// One per customer reached in the window, by user id.
    public var customers: [CampaignCustomerDays]

    public init(campaignId: Int64, days: [CampaignDayFigures] = [], customers: [CampaignCustomerDays] = []) {
        self.campaignId = campaignId; self.days = days; self.customers = customers
    }
}

extension CampaignState {
    /// The customers whose kept rows this state changes against `kept` (the same campaign's state as an earlier run
    /// kept it), both by user id: `stale`, the users whose kept row is gone or differs (their rows are deleted), and
    /// `fresh`, the rows that are new or differ (written). A nightly run writes only these (README, "What a nightly run
    /// reads").
    public func customerChanges(from kept: CampaignState) -> (stale: [Int64], fresh: [CampaignCustomerDays]) {
        var stale: [Int64] = [], fresh: [CampaignCustomerDays] = []
        var i = kept.customers.startIndex, j = customers.startIndex
        while i < kept.customers.endIndex || j < customers.endIndex {
            let old = i < kept.customers.endIndex ? kept.customers[i] : nil, new = j < customers.endIndex ? customers[j] : nil
            if let old, new.map({ old.userId < $0.userId }) ?? true {
                stale.append(old.userId); i += 1
            } else if let new, old.map({ new.userId < $0.userId }) ?? true {
                fresh.append(new); j += 1
            } else if let old, let new {
                if old != new { stale.append(old.userId); fresh.append(new) }
                i += 1; j += 1
            }
        }
        return (stale, fresh)
    }
}

/// A campaign's sums for one shop day: the coupon figures (zero on baseline days) and the audience's revenue.
public struct CampaignDayFigures: Sendable, Equatable {
    public var day: ShopDay
    public var couponOrders = 0
    public var couponRevenue = Money.zero
    public var discountGiven = Money.zero
    public var audienceRevenue = Money.zero

    public init(day: ShopDay, couponOrders: Int = 0, couponRevenue: Money = .zero, discountGiven: Money = .zero,
                audienceRevenue: Money = .zero) {
        self.day = day; self.couponOrders = couponOrders; self.couponRevenue = couponRevenue
        self.discountGiven = discountGiven; self.audienceRevenue = audienceRevenue
    }
}

/// The window days on which a customer was reached by a campaign, and those on which a sale was credited to it
/// (a subset), ascending.
public struct CampaignCustomerDays: Sendable, Equatable {
    public var userId: Int64
    public var reached: [ShopDay]
    public var converted: [ShopDay]

    public init(userId: Int64, reached: [ShopDay], converted: [ShopDay]) {
        self.userId = userId; self.reached = reached; self.converted = converted
    }
}

/// Which of a customer's audience facts changed.
public enum CustomerFactKind: Sendable, Equatable {
    case firstSale, vip, referral
}

/// A change of one customer's audience fact between two runs, and the shop days whose audience decisions it may
/// change (README, "Campaigns": new_customers, vip and referrals).
public struct CustomerFactChange: Sendable, Equatable {
    public var userId: Int64
    public var kind: CustomerFactKind
    public var days: ShopDayRange

    public init(userId: Int64, kind: CustomerFactKind, days: ShopDayRange) {
        self.userId = userId; self.kind = kind; self.days = days
    }

    /// The changes between a customer's facts as a kept state saw them (`old`) and now (`new`), both as of their run's
    /// last day, counted up to `asOf`. A fact is a moment: the audience decisions it can change lie between its old
    /// and new moment (through `asOf` when either is missing); a change after `asOf` changes nothing counted.
    public static func between(_ old: CustomerFacts, _ new: CustomerFacts, userId: Int64, asOf: ShopDay,
                               calendar: ShopCalendar) -> [CustomerFactChange] {
        // Called for facts that differ: the days between their moments.
        func span(_ a: ShopDay?, _ b: ShopDay?) -> ShopDayRange? {
            let lo = [a, b].compactMap { $0 }.min()!
            let hi = (a == nil || b == nil) ? asOf : min(max(a!, b!), asOf)
            return lo <= hi ? ShopDayRange(lo, hi) : nil
        }
        let day = { (m: Int64?) in m.map { calendar.day(ofMicros: $0) } }
        var out: [CustomerFactChange] = []
        if old.firstSaleAt != new.firstSaleAt, let d = span(day(old.firstSaleAt), day(new.firstSaleAt)) {
            out.append(CustomerFactChange(userId: userId, kind: .firstSale, days: d))
        }
        if old.vipSince != new.vipSince, let d = span(old.vipSince, new.vipSince) {
            out.append(CustomerFactChange(userId: userId, kind: .vip, days: d))
        }
        if old.referredAt != new.referredAt, let d = span(day(old.referredAt), day(new.referredAt)) {
            out.append(CustomerFactChange(userId: userId, kind: .referral, days: d))
        }
        return out
    }
}

extension CampaignAudience {
    /// Whether the audience's decisions depend on that fact.
    public func dependsOn(_ kind: CustomerFactKind) -> Bool {
        switch (self, kind) {
        case (.newCustomers, .firstSale), (.vip, .vip), (.referrals, .referral): true
        default: false
        }
    }
}
