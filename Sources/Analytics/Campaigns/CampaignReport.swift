import Shop

/// The Campaigns section of a report, read back from the analytics tables: plain values, ready to render.
public struct CampaignReport: Sendable {
    public var day: ShopDay
    /// Every campaign of the shop (as of the last run), newest start first.
    public var campaigns: [CampaignSummary]
    /// Campaigns running on the report day or ended within `recentDays` before it, with their daily history.
    public var details: [CampaignDetail]
    public static let recentDays = 14

    public init(day: ShopDay, campaigns: [CampaignSummary], details: [CampaignDetail]) {
        self.day = day; self.campaigns = campaigns; self.details = details
    }

    /// Over the campaigns with figures: sums of the coupon figures. A sale carries one coupon code, so these count
    /// each sale once. (Lifts are not added up: audiences overlap.)
    public var totalOrders: Int { campaigns.reduce(0) { $0 + ($1.figures?.couponOrders ?? 0) } }
    public var totalRevenue: Money { campaigns.reduce(.zero) { $0 + ($1.figures?.couponRevenue ?? .zero) } }
    public var totalDiscount: Money { campaigns.reduce(.zero) { $0 + ($1.figures?.discountGiven ?? .zero) } }
}

/// One campaign in the report's list.
public struct CampaignSummary: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var status: String
    public var audience: String
    public var couponCode: String
    public var firstDay: ShopDay
    public var lastDay: ShopDay
    public var budget: Money?
    /// Whether its sales are attributed (status active, paused or completed).
    public var attributed: Bool
    /// nil for campaigns not attributed or not computed yet.
    public var figures: CampaignFigures?

    public init(id: Int64, name: String, status: String, audience: String, couponCode: String, firstDay: ShopDay,
                lastDay: ShopDay, budget: Money?, attributed: Bool, figures: CampaignFigures?) {
        self.id = id; self.name = name; self.status = status; self.audience = audience; self.couponCode = couponCode
        self.firstDay = firstDay; self.lastDay = lastDay; self.budget = budget; self.attributed = attributed; self.figures = figures
    }

    /// Who the campaign is for, in plain words.
    public var audienceName: String { CampaignAudience(rawValue: audience).plainName }

    /// Running on `day` (its window contains the day).
    public func isRunning(on day: ShopDay) -> Bool { firstDay <= day && day <= lastDay }
}

/// A campaign's figures as stored in `analytics.campaign_performance` (see `CampaignTotals` for each one).
public struct CampaignFigures: Sendable, Equatable {
    public var asOf: ShopDay
    public var couponOrders: Int
    public var couponRevenue: Money
    public var discountGiven: Money
    public var customersReached: Int
    public var customersConverted: Int
    public var conversionRate: Percentage
    public var budgetUsed: Percentage?
    public var audienceRevenue: Money
    public var baselineRevenue: Money?
    public var lift: Money?
    public var uplift: Percentage?
    public var liftUnmeasurable: CampaignUnmeasurable?
    public var returnBasis: CampaignReturnBasis
    public var cost: Money?
    public var costBasis: CampaignCostBasis?
    public var roi: Percentage?
    public var roiUnmeasurable: CampaignUnmeasurable?

    public init(asOf: ShopDay, couponOrders: Int, couponRevenue: Money, discountGiven: Money, customersReached: Int,
                customersConverted: Int, conversionRate: Percentage, budgetUsed: Percentage?, audienceRevenue: Money,
                baselineRevenue: Money?, lift: Money?, uplift: Percentage?, liftUnmeasurable: CampaignUnmeasurable?,
                returnBasis: CampaignReturnBasis, cost: Money?, costBasis: CampaignCostBasis?, roi: Percentage?,
                roiUnmeasurable: CampaignUnmeasurable?) {
        self.asOf = asOf; self.couponOrders = couponOrders; self.couponRevenue = couponRevenue
        self.discountGiven = discountGiven; self.customersReached = customersReached
        self.customersConverted = customersConverted; self.conversionRate = conversionRate; self.budgetUsed = budgetUsed
        self.audienceRevenue = audienceRevenue; self.baselineRevenue = baselineRevenue; self.lift = lift; self.uplift = uplift
        self.liftUnmeasurable = liftUnmeasurable; self.returnBasis = returnBasis; self.cost = cost; self.costBasis = costBasis
        self.roi = roi; self.roiUnmeasurable = roiUnmeasurable
    }

    /// The same figures as a computation produced them.
    public init(_ t: CampaignTotals) {
        self.init(asOf: t.asOf, couponOrders: t.couponOrders, couponRevenue: t.couponRevenue, discountGiven: t.discountGiven,
                  customersReached: t.customersReached, customersConverted: t.customersConverted, conversionRate: t.conversionRate,
                  budgetUsed: t.budgetUsed, audienceRevenue: t.audienceRevenue, baselineRevenue: t.baselineRevenue, lift: t.lift,
                  uplift: t.uplift, liftUnmeasurable: t.liftUnmeasurable, returnBasis: t.returnBasis, cost: t.cost,
                  costBasis: t.costBasis, roi: t.roi, roiUnmeasurable: t.roiUnmeasurable)
    }
}

/// A campaign with its daily history (oldest first, at most the last 30 days of its window up to the report day).
public struct CampaignDetail: Sendable {
    public var campaign: CampaignSummary
    public var history: [CampaignDay]
    public init(campaign: CampaignSummary, history: [CampaignDay]) { self.campaign = campaign; self.history = history }
}

// MARK: plain words for managers (README, "Campaigns")

extension CampaignAudience {
    /// Who the campaign is for, in plain words.
    public var plainName: String {
        switch self {
        case .all: "all customers"
        case .vip: "VIP customers"
        case .newCustomers: "new customers"
        case .referrals: "referred customers"
        case .other(let s): "unknown audience (“\(s)”)"
        }
    }
}

extension CampaignUnmeasurable {
    /// Why a figure cannot be measured, in plain words.
    public var plainReason: String {
        switch self {
        case .noCost: "no budget and no discount given"
        case .shortHistory: "less than four weeks of sales before the campaign"
        case .unknownAudience: "the audience is unknown"
        }
    }
}

extension CampaignFigures {
    /// The ROI, or "not measurable: why".
    public var roiText: String {
        if let roi { return roi.signedDescription }
        return "not measurable: " + (roiUnmeasurable ?? .noCost).plainReason
    }

    /// The audience's lift ("+RWF 12,000 (+8.5%)"), or "not measurable: why".
    public var liftText: String {
        guard let lift else { return "not measurable: " + (liftUnmeasurable ?? .shortHistory).plainReason }
        return (lift.hundredths >= 0 ? "+" : "−") + Money(hundredths: abs(lift.hundredths)).description
            + (uplift.map { " (\($0.signedDescription))" } ?? "")
    }

    /// What the ROI was computed on and divided by, in plain words ("coupon sales against the budget").
    public var roiBasisText: String {
        let on = returnBasis == .coupon ? "coupon sales" : "audience lift"
        switch costBasis {
        case .budget?: return "\(on) against the budget"
        case .discount?: return "\(on) against the discount given"
        case nil: return on
        }
    }
}

extension Percentage {
    /// `+12.3%` / `−4.0%` / `0.0%`, for changes and returns.
    public var signedDescription: String { hundredths > 0 ? "+" + description : hundredths < 0 ? "−" + Percentage(hundredths: -hundredths).description : description }
}
