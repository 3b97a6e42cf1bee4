/// The segments one customer is in, as bits: a million customers' rows are built without a `Set` each.
public struct CustomerSegments: Sendable, Hashable, ExpressibleByArrayLiteral, CustomStringConvertible {
    var bits: UInt8

    init(bits: UInt8) { self.bits = bits }

    public init(arrayLiteral segments: CustomerSegment...) {
        bits = 0
        for s in segments { insert(s) }
    }

    public func contains(_ s: CustomerSegment) -> Bool { bits & s.bit != 0 }

    public mutating func insert(_ s: CustomerSegment) { bits |= s.bit }

    /// The segments in `CustomerSegment.allCases` order.
    public var members: [CustomerSegment] { CustomerSegment.ordered.filter(contains) }

    public var description: String { "[" + members.map { "." + $0.rawValue }.joined(separator: ", ") + "]" }
}

/// The customer segments (README, "Customer segments"). A customer can be in several.
public enum CustomerSegment: String, CaseIterable, Sendable {
    case vip
    case subscribed
    case highValue = "high_value"
    case churnRisk = "churn_risk"
    case inactive
    case new

    /// The cases in declaration order, kept once: `allCases` builds a new array on every use.
    static let ordered = allCases

    /// The segment's bit in a `CustomerSegments`: bit k for the k-th case.
    var bit: UInt8 { UInt8(1) << UInt8(CustomerSegment.ordered.firstIndex(of: self)!) }

    public var label: String {
        switch self {
        case .vip: "VIP"
        case .subscribed: "Subscribed"
        case .highValue: "High value"
        case .churnRisk: "Churn risk"
        case .inactive: "Inactive"
        case .new: "New"
        }
    }

    /// The rule, with the thresholds in force.
    public func rule(_ r: CustomerRules) -> String {
        switch self {
        case .vip: "has a VIP tier (subscriptions_viptier achieved on or before the as-of day)"
        case .subscribed: "has an active subscription that started on or before the as-of day"
        case .highValue: "lifetime value >= \(r.highValue)"
        case .churnRisk: "at least one sale and none for \(r.churnDays)+ days"
        case .inactive: "at least one sale and none for \(r.inactiveDays)+ days"
        case .new: "first sale within the last \(r.newDays) days (as-of day included)"
        }
    }
}

/// RFM quintile scores, 1 (worst) to 5 (best). `fm` combines frequency and monetary: (F + M) / 2 rounded up.
public struct RFMScore: Sendable, Equatable {
    public var r: Int, f: Int, m: Int
    public init(r: Int, f: Int, m: Int) { self.r = r; self.f = f; self.m = m }
    public var fm: Int { (f + m + 1) / 2 }
}

/// Named RFM groups in the spirit of Shopify's, decided by the first rule that matches, in this order
/// (README, "RFM"). Customers without a sale have no scores and are `prospects`.
public enum RFMGroup: String, CaseIterable, Sendable {
    case champions, loyal, promising, new
    case needsAttention = "needs_attention"
    case atRisk = "at_risk"
    case previouslyLoyal = "previously_loyal"
    case almostLost = "almost_lost"
    case dormant, prospects

    /// The group of a customer with `sales` sales and the given scores (`nil` scores: no sale).
    public static func of(_ s: RFMScore?, sales: Int) -> RFMGroup {
        guard let s, sales > 0 else { return .prospects }
        if s.r >= 4 && s.fm >= 4 { return .champions }
        if s.r >= 4 && sales == 1 { return .new }
        if s.r >= 3 && s.fm >= 3 && sales >= 2 { return .loyal }
        if s.r >= 4 { return .promising }
        if s.r == 3 { return .needsAttention }
        if s.fm >= 4 { return .atRisk }
        if s.fm == 3 { return .previouslyLoyal }
        if s.r == 2 { return .almostLost }
        return .dormant
    }

    public var label: String {
        switch self {
        case .champions: "Champions"
        case .loyal: "Loyal"
        case .promising: "Promising"
        case .new: "New"
        case .needsAttention: "Needs attention"
        case .atRisk: "At risk"
        case .previouslyLoyal: "Previously loyal"
        case .almostLost: "Almost lost"
        case .dormant: "Dormant"
        case .prospects: "Prospects"
        }
    }

    /// The rule as the README states it (first match wins, in `allCases` order of `of(_:sales:)`).
    public var rule: String {
        switch self {
        case .champions: "R >= 4 and FM >= 4"
        case .new: "R >= 4 and exactly 1 sale"
        case .loyal: "R >= 3, FM >= 3 and at least 2 sales"
        case .promising: "R >= 4 (the rest: at least 2 sales, FM <= 2)"
        case .needsAttention: "R = 3 (the rest)"
        case .atRisk: "R <= 2 and FM >= 4"
        case .previouslyLoyal: "R <= 2 and FM = 3"
        case .almostLost: "R = 2 and FM <= 2"
        case .dormant: "R = 1 and FM <= 2"
        case .prospects: "no sale yet"
        }
    }

    /// The cases in declaration order, kept once: `allCases` builds a new array on every use.
    static let ordered = allCases

    /// The group's position in `allCases`, as `CustomerAnalysis` keeps it per customer.
    var code: UInt8 { UInt8(RFMGroup.ordered.firstIndex(of: self)!) }
}

/// What to do about a customer on the at-risk list: the first rule that matches (README, "At-risk list").
public enum AtRiskAction: String, CaseIterable, Sendable {
    /// Has an active subscription but no sale for the churn period: the plan is not being used.
    case subscriptionReminder = "subscription_reminder"
    /// VIP tier or high value: worth a personal call and an offer.
    case winBackOffer = "win_back_offer"
    /// Two or more sales: a we-miss-you message with their loyalty balance.
    case reEngagement = "re_engagement"
    /// A single sale: a coupon for the second order.
    case secondOrderCoupon = "second_order_coupon"

    public static func of(subscribed: Bool, vip: Bool, highValue: Bool, sales: Int) -> AtRiskAction {
        if subscribed { return .subscriptionReminder }
        if vip || highValue { return .winBackOffer }
        if sales >= 2 { return .reEngagement }
        return .secondOrderCoupon
    }

    public var label: String {
        switch self {
        case .subscriptionReminder: "Reminder: subscription active but no meals ordered"
        case .winBackOffer: "Win-back offer: personal call and a discount"
        case .reEngagement: "We-miss-you message with loyalty points"
        case .secondOrderCoupon: "Second-order coupon"
        }
    }
}

/// Quintile scores by rank: a customer's score is 1 + floor(5 k / n), where n is the number of customers scored
/// and k the number of them with a strictly worse value. Ties share a score; exact integer arithmetic.
struct QuintileScorer {
    private let sorted: [Int64]

    init(_ values: [Int64]) { sorted = values.sorted() }

    /// Score when larger values are better.
    func higherIsBetter(_ v: Int64) -> Int { score(worse: lowerBound(v)) }
    /// Score when smaller values are better.
    func lowerIsBetter(_ v: Int64) -> Int { score(worse: sorted.count - upperBound(v)) }

    private func score(worse k: Int) -> Int { 1 + (5 * k) / max(sorted.count, 1) }

    private func lowerBound(_ v: Int64) -> Int {
        var lo = 0, hi = sorted.count
        while lo < hi { let m = (lo + hi) / 2; if sorted[m] < v { lo = m + 1 } else { hi = m } }
        return lo
    }

    private func upperBound(_ v: Int64) -> Int {
        var lo = 0, hi = sorted.count
        while lo < hi { let m = (lo + hi) / 2; if sorted[m] <= v { lo = m + 1 } else { hi = m } }
        return lo
    }
}
