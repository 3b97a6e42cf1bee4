import Shop

/// One campaign on a page of its own (README, "Campaign detail"): its settings and figures as last computed, every
/// day of its window up to the report's day, and its return on investment day by day.
public struct CampaignPage: Sendable {
    /// The report's day: the history stops there (or at the campaign's last day).
    public var day: ShopDay
    public var campaign: CampaignSummary
    /// The shop's settings for it: `discount_type`, `discount_value`, start and end instants as text.
    public var discountType: String
    public var discountValue: String
    /// Every shop day of the window from its first day to min(report day, last day), oldest first; zero rows for days
    /// never computed. Empty when the campaign starts after the report's day.
    public var history: [CampaignDay]

    public init(day: ShopDay, campaign: CampaignSummary, discountType: String, discountValue: String, history: [CampaignDay]) {
        self.day = day; self.campaign = campaign; self.discountType = discountType; self.discountValue = discountValue
        self.history = history
    }

    /// The return on investment as it stood at the end of one day of the window.
    public struct ROIToDate: Sendable, Equatable {
        public var day: ShopDay
        /// Coupon sales and coupon discount from the window's first day to this day.
        public var couponRevenue: Money
        public var discountGiven: Money
        /// The budget when set (above zero), else the discount given so far; nil when there is none yet.
        public var cost: Money?
        /// (coupon revenue to date − cost) / cost in percent; nil without a cost.
        public var roi: Percentage?
    }

    /// The ROI day by day, for a campaign whose ROI is measured on its coupon sales: the same rule as the campaign's
    /// ROI, applied to the days up to each one. Empty for a campaign measured on its audience's lift (the lift's
    /// baseline is a figure of the whole window, not of each day) or without figures.
    public var roiOverTime: [ROIToDate] {
        guard let f = campaign.figures, f.returnBasis == .coupon else { return [] }
        var revenue = Money.zero, discount = Money.zero
        let budget = campaign.budget.flatMap { $0.hundredths > 0 ? $0 : nil }
        return history.map { h in
            revenue += h.couponRevenue
            discount += h.discountGiven
            let cost = budget ?? (discount.hundredths > 0 ? discount : nil)
            return ROIToDate(day: h.day, couponRevenue: revenue, discountGiven: discount, cost: cost,
                             roi: cost.flatMap { Percentage.of((revenue - $0).hundredths, $0.hundredths) })
        }
    }

    /// Sums of the daily history (customers are not added up: a customer counts on every day they were reached).
    public var couponOrders: Int { history.reduce(0) { $0 + $1.couponOrders } }
    public var couponRevenue: Money { history.reduce(.zero) { $0 + $1.couponRevenue } }
}
