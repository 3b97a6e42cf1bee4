import Shop

/// Which campaign a sale is credited to, and which customers a campaign's audience covers (README, "Campaigns").
///
/// A sale goes to **at most one** campaign, so no figure summed over campaigns counts a sale twice:
/// 1. a sale whose `coupon_code` is the code of an attributed campaign whose window contains it goes to that
///    campaign (the lowest id if codes collide), whatever its audience;
/// 2. otherwise it goes to the most specific attributed campaign whose window contains it and whose audience it
///    matches: new_customers, then referrals, then vip, then all; between campaigns of the same audience, the one
///    that started last, then the lowest id.
///
/// Pure: campaigns and customer facts in, decisions out.
public struct CampaignAttribution: Sendable {
    /// Attributed campaigns (status active, paused or completed), by id.
    public let campaigns: [Campaign]
    public let calendar: ShopCalendar
    private let byCode: [String: Int]

    public init(campaigns: [Campaign], calendar: ShopCalendar) {
        self.campaigns = campaigns.filter(\.status.isAttributed).sorted { $0.id < $1.id }
        self.calendar = calendar
        var codes: [String: Int] = [:]
        for (i, c) in self.campaigns.enumerated() where !c.couponCode.isEmpty && codes[c.couponCode] == nil { codes[c.couponCode] = i }
        byCode = codes
    }

    /// Where a sale goes: the campaign and whether its coupon decided it; nil for no campaign (or not a sale).
    public func campaign(for sale: Order, couponCode: String, facts: CustomerFacts?) -> (campaign: Campaign, viaCoupon: Bool)? {
        guard sale.isSale else { return nil }
        let code = Campaign.normalizedCode(couponCode)
        if !code.isEmpty {
            // Codes may collide across campaigns whose windows differ: take the lowest id whose window contains the sale.
            if byCode[code] != nil, let c = campaigns.first(where: { $0.couponCode == code && $0.contains(sale.createdAt) }) {
                return (c, true)
            }
        }
        var best: Campaign?
        for c in campaigns where c.contains(sale.createdAt) && matches(c.audience, sale: sale, facts: facts) {
            guard let b = best else { best = c; continue }
            let (rc, rb) = (Self.specificity(c.audience), Self.specificity(b.audience))
            if rc < rb || (rc == rb && (c.start > b.start || (c.start == b.start && c.id < b.id))) { best = c }
        }
        return best.map { ($0, false) }
    }

    /// Lower is more specific.
    static func specificity(_ a: CampaignAudience) -> Int {
        switch a {
        case .newCustomers: 0
        case .referrals: 1
        case .vip: 2
        case .all: 3
        case .other: 4
        }
    }

    /// Whether a sale is in an audience:
    /// * all: every sale;
    /// * vip: the sale carries a VIP discount, or the customer's tier was achieved on or before the sale's shop day;
    /// * new_customers: the sale is the customer's first sale ever;
    /// * referrals: the sale carries a referral discount, or the customer was referred (as referee) before it;
    /// * anything else: no sale.
    public func matches(_ audience: CampaignAudience, sale: Order, facts: CustomerFacts?) -> Bool {
        switch audience {
        case .all: return true
        case .vip: return sale.discounts.vip.hundredths > 0 || isVIP(facts, at: sale.createdAt)
        case .newCustomers: return facts?.firstSaleAt == sale.createdAt
        case .referrals: return sale.discounts.referral.hundredths > 0 || isReferred(facts, at: sale.createdAt)
        case .other: return false
        }
    }

    /// Whether a customer active at `at` (an order in any status, or a conversion event) is in an audience then;
    /// `order` is the order when the activity is one (its discounts count as for a sale).
    /// new_customers: the customer had no sale before that moment.
    public func isEligible(_ audience: CampaignAudience, facts: CustomerFacts?, at: Int64, order: Order? = nil) -> Bool {
        switch audience {
        case .all: return true
        case .vip: return (order?.discounts.vip.hundredths ?? 0) > 0 || isVIP(facts, at: at)
        case .newCustomers: return facts?.firstSaleAt.map { $0 >= at } ?? true
        case .referrals: return (order?.discounts.referral.hundredths ?? 0) > 0 || isReferred(facts, at: at)
        case .other: return false
        }
    }

    private func isVIP(_ facts: CustomerFacts?, at: Int64) -> Bool {
        guard let since = facts?.vipSince else { return false }
        return since <= calendar.day(ofMicros: at)
    }

    private func isReferred(_ facts: CustomerFacts?, at: Int64) -> Bool {
        guard let referred = facts?.referredAt else { return false }
        return referred <= at
    }
}
