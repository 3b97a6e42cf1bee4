import Foundation

/// `analytics_campaign.status`.
public enum CampaignStatus: String, CaseIterable, Sendable {
    case draft, active, paused, completed, cancelled

    /// Whether sales are attributed to a campaign in this status (README, "Campaigns"): active, paused and completed
    /// campaigns ran; a draft never started and a cancelled one has no record of when it stopped.
    public var isAttributed: Bool { self == .active || self == .paused || self == .completed }
}

/// `analytics_campaign.target_audience`. A value the project does not know matches no customer by audience (its
/// coupon code still attributes sales).
public enum CampaignAudience: Hashable, Sendable {
    case all, vip, newCustomers, referrals
    case other(String)

    public init(rawValue: String) {
        switch rawValue {
        case "all": self = .all
        case "vip": self = .vip
        case "new_customers": self = .newCustomers
        case "referrals": self = .referrals
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .all: "all"
        case .vip: "vip"
        case .newCustomers: "new_customers"
        case .referrals: "referrals"
        case .other(let s): s
        }
    }
}

/// One row of the shop's `analytics_campaign`, checked. Instants are microseconds since the epoch (UTC).
public struct Campaign: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var description: String
    public var status: CampaignStatus
    public var discountType: String
    /// `discount_value` in hundredths (a percentage or an amount, depending on `discountType`).
    public var discountValue: Int64
    public var audience: CampaignAudience
    /// The window: a sale created at `start <= created_at <= end` is inside it (both ends included).
    public var start: Int64
    public var end: Int64
    public var budget: Money?
    /// The coupon code that identifies the campaign's orders (see `Campaign.couponCode(name:description:)`).
    public var couponCode: String

    public init(id: Int64, name: String, description: String = "", status: CampaignStatus, discountType: String = "percentage",
                discountValue: Int64 = 0, audience: CampaignAudience, start: Int64, end: Int64, budget: Money?,
                couponCode: String? = nil) {
        self.id = id; self.name = name; self.description = description; self.status = status
        self.discountType = discountType; self.discountValue = discountValue; self.audience = audience
        self.start = start; self.end = end; self.budget = budget
        self.couponCode = couponCode ?? Campaign.couponCode(name: name, description: description)
    }

    /// Whether the description names the code (`... coupon code KARIBU15`) rather than the code being the name in
    /// capitals by convention. Decides how the campaign's return is measured (README, "Campaigns").
    public var namesCode: Bool {
        guard let r = description.uppercased().range(of: "COUPON CODE") else { return false }
        return Campaign.namedCode(after: description.uppercased()[r.upperBound...]) != nil
    }

    /// Whether an instant is inside the campaign's window.
    public func contains(_ micros: Int64) -> Bool { micros >= start && micros <= end }

    /// The campaign's coupon code, by the convention the shop's admin follows (README, "Campaigns"):
    /// the word after "coupon code" in the description when there is one (`"15% off with coupon code KARIBU15"`),
    /// else the name in capitals with everything but letters and digits removed (`"VIP week"` -> `VIPWEEK`).
    /// Always upper case; compared with an order's `coupon_code` trimmed and upper-cased.
    public static func couponCode(name: String, description: String) -> String {
        let upper = description.uppercased()
        if let r = upper.range(of: "COUPON CODE"), let code = namedCode(after: upper[r.upperBound...]) { return code }
        return String(name.uppercased().unicodeScalars.filter { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }.map(Character.init))
    }

    /// The code written after "coupon code" (upper-cased text), if any.
    private static func namedCode(after text: Substring) -> String? {
        let rest = text.drop { $0 == " " || $0 == ":" || $0 == "\"" || $0 == "'" }
        let code = rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
        return code.isEmpty ? nil : String(code)
    }

    /// An order's `coupon_code` as it is compared with campaign codes.
    public static func normalizedCode(_ orderCode: String) -> String {
        orderCode.trimmingCharacters(in: .whitespaces).uppercased()
    }
}

/// What the audience rules need to know about one customer, as of the end of the job's last day.
public struct CustomerFacts: Sendable, Equatable {
    /// `created_at` of the customer's first sale ever (delivered, not refunded), if any.
    public var firstSaleAt: Int64?
    /// `subscriptions_viptier.achieved_at` (a calendar day) when the customer has a tier row.
    public var vipSince: ShopDay?
    /// Earliest `created_at` of a `subscriptions_referralprogram` row naming the customer as referee (status not CANCELLED).
    public var referredAt: Int64?

    public init(firstSaleAt: Int64? = nil, vipSince: ShopDay? = nil, referredAt: Int64? = nil) {
        self.firstSaleAt = firstSaleAt; self.vipSince = vipSince; self.referredAt = referredAt
    }
}
