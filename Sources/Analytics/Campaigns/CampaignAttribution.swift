import Shop

/// Which campaign a sale is credited to, and which customers a campaign's audience covers (README, "Campaigns").
///
/// A sale is credited **by its coupon code only**: to the attributed campaign whose code it carries and whose window
/// contains it (the lowest id if codes collide), whatever its audience. A sale without a campaign's code is credited
/// to no campaign; an audience's wider effect is measured as lift (`CampaignLedger`), never as credited sales.
///
/// Pure: campaigns and customer facts in, decisions out.
public struct CampaignAttribution: Sendable {
    /// Attributed campaigns (status active, paused or completed), by id.
    public let campaigns: [Campaign]
    public let calendar: ShopCalendar
    private let codes: Set<String>

    public init(campaigns: [Campaign], calendar: ShopCalendar) {
        self.campaigns = campaigns.filter(\.status.isAttributed).sorted { $0.id < $1.id }
        self.calendar = calendar
        codes = Set(self.campaigns.map(\.couponCode).filter { !$0.isEmpty })
    }

    /// The campaign a sale is credited to by its coupon code; nil for no campaign (or not a sale).
    public func campaign(for sale: Order, couponCode: String) -> Campaign? {
        guard sale.isSale else { return nil }
        let code = Campaign.normalizedCode(couponCode)
        guard !code.isEmpty, codes.contains(code) else { return nil }
        // Codes may collide across campaigns whose windows differ: take the lowest id whose window contains the sale.
        return campaigns.first { $0.couponCode == code && $0.contains(sale.createdAt) }
    }

    /// Whether a sale is in an audience:
    /// * all: every sale;
    /// * vip: the sale carries a VIP discount, or the customer's tier was achieved on or before the sale's shop day;
    /// * new_customers: the sale is the customer's first sale ever;
    /// * referrals: the sale carries a referral discount, or the customer was referred (as referee) before it;
    /// * anything else (an audience the project does not know): no sale, so its lift is not measurable.
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
