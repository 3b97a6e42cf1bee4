import Shop

/// The shop's revenue channels, as `analytics_revenuestream.channel` names them. Rules: README, "Revenue by channel".
public enum RevenueChannel: String, CaseIterable, Sendable {
    case directOrder = "direct_order"
    case subscription
    case corporate
    case referral
    case loyalty
    case catering
    case vipUpgrade = "vip_upgrade"

    /// The channel of a sale, first match wins: subscription, corporate, referral, loyalty, else direct order.
    /// Every sale has exactly one, so the order channels add up to the day's revenue.
    public static func of(_ sale: Order) -> RevenueChannel {
        if sale.isSubscription { return .subscription }
        if sale.isCorporateEmployee || sale.discounts.corporate.hundredths > 0 { return .corporate }
        if sale.discounts.referral.hundredths > 0 { return .referral }
        if sale.discounts.loyalty.hundredths > 0 { return .loyalty }
        return .directOrder
    }

    /// Channels whose money is order totals (and so part of the snapshot's `total_revenue`).
    public var isOrderChannel: Bool { self != .catering && self != .vipUpgrade }

    public var label: String {
        switch self {
        case .directOrder: "Direct orders"
        case .subscription: "Subscriptions"
        case .corporate: "Corporate"
        case .referral: "Referrals"
        case .loyalty: "Loyalty"
        case .catering: "Catering"
        case .vipUpgrade: "VIP upgrades"
        }
    }
}
