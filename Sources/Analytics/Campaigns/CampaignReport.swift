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

    /// Over the campaigns with figures: sums of the additive figures. A sale is credited to at most one campaign,
    /// so these count each sale once.
    public var totalOrders: Int { campaigns.reduce(0) { $0 + ($1.figures?.ordersInfluenced ?? 0) } }
    public var totalRevenue: Money { campaigns.reduce(.zero) { $0 + ($1.figures?.revenueGenerated ?? .zero) } }
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

    /// Running on `day` (its window contains the day).
    public func isRunning(on day: ShopDay) -> Bool { firstDay <= day && day <= lastDay }
}

/// A campaign's figures as stored in `analytics.campaign_performance` (see `CampaignTotals`).
public struct CampaignFigures: Sendable, Equatable {
    public var asOf: ShopDay
    public var ordersInfluenced: Int
    public var couponOrders: Int
    public var revenueGenerated: Money
    public var discountGiven: Money
    public var customersReached: Int
    public var customersConverted: Int
    public var conversionRate: Percentage
    public var budgetUsed: Percentage?
    public var roi: Percentage?
    public var audienceRevenue: Money
    public var baselineRevenue: Money?
    public var incrementalRevenue: Money?
    public var uplift: Percentage?

    public init(asOf: ShopDay, ordersInfluenced: Int, couponOrders: Int, revenueGenerated: Money, discountGiven: Money,
                customersReached: Int, customersConverted: Int, conversionRate: Percentage, budgetUsed: Percentage?,
                roi: Percentage?, audienceRevenue: Money, baselineRevenue: Money?, incrementalRevenue: Money?, uplift: Percentage?) {
        self.asOf = asOf; self.ordersInfluenced = ordersInfluenced; self.couponOrders = couponOrders
        self.revenueGenerated = revenueGenerated; self.discountGiven = discountGiven; self.customersReached = customersReached
        self.customersConverted = customersConverted; self.conversionRate = conversionRate; self.budgetUsed = budgetUsed
        self.roi = roi; self.audienceRevenue = audienceRevenue; self.baselineRevenue = baselineRevenue
        self.incrementalRevenue = incrementalRevenue; self.uplift = uplift
    }
}

/// A campaign with its daily history (oldest first, at most the last 30 days of its window up to the report day).
public struct CampaignDetail: Sendable {
    public var campaign: CampaignSummary
    public var history: [CampaignDay]
    public init(campaign: CampaignSummary, history: [CampaignDay]) { self.campaign = campaign; self.history = history }
}
