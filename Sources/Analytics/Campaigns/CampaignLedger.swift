import Shop

/// A campaign's figures over its window up to the job's last day (README, "Campaigns").
public struct CampaignTotals: Sendable, Equatable {
    public var campaign: Campaign
    /// The figures cover `firstDay...lastDay`: the shop days of the window, cut at the job's last day (`asOf`).
    public var asOf: ShopDay
    public var firstDay: ShopDay
    public var lastDay: ShopDay
    public var ordersInfluenced = 0
    /// Of those, the sales that carried the campaign's coupon code.
    public var couponOrders = 0
    public var revenueGenerated = Money.zero
    /// Coupon discount (`discount_amount`) of the influenced sales that used the campaign's code.
    public var discountGiven = Money.zero
    public var customersReached = 0
    public var customersConverted = 0
    /// Converted / reached, in percent (0 when no customer was reached); at most 100 since converted customers
    /// count as reached.
    public var conversionRate = Percentage(hundredths: 0)
    /// Discount given / budget, in percent; nil without a budget.
    public var budgetUsed: Percentage?
    /// (revenue generated - budget) / budget, in percent; nil without a budget (or a zero budget).
    public var roi: Percentage?
    /// Revenue of every sale in the audience over `firstDay...lastDay` (attributed anywhere or not).
    public var audienceRevenue = Money.zero
    /// The equal-length window just before the campaign: its first day (its last is `firstDay - 1`), the audience's
    /// revenue there, the difference, and that difference over the baseline in percent. nil when the shop has no
    /// sales that far back.
    public var baselineFirstDay: ShopDay?
    public var baselineRevenue: Money?
    public var incrementalRevenue: Money?
    public var uplift: Percentage?

    public var days: Int { firstDay.distance(to: lastDay) + 1 }
}

/// One campaign on one shop day.
public struct CampaignDay: Sendable, Equatable {
    public var campaignId: Int64
    public var day: ShopDay
    public var ordersInfluenced = 0
    public var couponOrders = 0
    public var revenueGenerated = Money.zero
    public var discountGiven = Money.zero
    public var customersReached = 0
    public var customersConverted = 0
    public var conversionRate = Percentage(hundredths: 0)
    public var audienceRevenue = Money.zero

    public init(campaignId: Int64, day: ShopDay) { self.campaignId = campaignId; self.day = day }
}

/// Accumulates orders and customer activity, one at a time, into campaign figures.
///
/// Pure: no clock, no database. Memory: per computed campaign, per window day, the sets of customers reached and
/// converted; nothing per order.
public struct CampaignLedger: Sendable {
    public let attribution: CampaignAttribution
    public let asOf: ShopDay
    private let facts: [Int64: CustomerFacts]
    private var accumulators: [Accumulator]
    private let endMicros: Int64

    /// - Parameters:
    ///   - campaigns: every campaign of the shop (attribution looks at all attributed ones).
    ///   - computing: ids of the campaigns whose figures are wanted (attributed and started on or before `asOf`;
    ///     others are ignored).
    ///   - asOf: the last shop day counted.
    ///   - facts: per customer, as of the end of `asOf`.
    ///   - earliestSaleDay: the shop day of the shop's first sale (the baseline needs data back to its first day).
    public init(campaigns: [Campaign], computing: Set<Int64>, asOf: ShopDay, calendar: ShopCalendar,
                facts: [Int64: CustomerFacts], earliestSaleDay: ShopDay?) {
        attribution = CampaignAttribution(campaigns: campaigns, calendar: calendar)
        self.asOf = asOf
        self.facts = facts
        endMicros = calendar.startMicros(of: asOf.advanced(by: 1))
        accumulators = attribution.campaigns.compactMap { c in
            guard computing.contains(c.id) else { return nil }
            let first = calendar.day(ofMicros: c.start)
            let last = min(calendar.day(ofMicros: c.end), asOf)
            guard first <= last else { return nil }
            return Accumulator(campaign: c, firstDay: first, lastDay: last, earliestSaleDay: earliestSaleDay)
        }
    }

    /// The campaigns computed, by id.
    public var computedIds: [Int64] { accumulators.map(\.campaign.id) }

    /// The instants `[start, end)` whose orders the ledger needs: from the first baseline day of a computed campaign
    /// to the end of `asOf`. nil when nothing is computed.
    public func ordersWindow(calendar: ShopCalendar) -> (start: Int64, end: Int64)? {
        guard let first = accumulators.map({ $0.baselineFirst }).min() else { return nil }
        return (calendar.startMicros(of: first), endMicros)
    }

    /// The instants `[start, end)` whose customer activity (conversion events) the ledger needs.
    public var activityWindow: (start: Int64, end: Int64)? {
        guard let first = accumulators.map({ $0.campaign.start }).min() else { return nil }
        return (first, endMicros)
    }

    /// Adds an order (any status; only sales are attributed). Orders in any status are activity for "reached".
    public mutating func add(_ order: Order, couponCode: String) {
        guard order.createdAt < endMicros else { return }
        let f = facts[order.userId]
        let day = attribution.calendar.day(ofMicros: order.createdAt)
        let decision = attribution.campaign(for: order, couponCode: couponCode, facts: f)
        for i in accumulators.indices {
            let c = accumulators[i].campaign
            if order.isSale && attribution.matches(c.audience, sale: order, facts: f) {
                accumulators[i].addAudienceSale(order.total, day: day)
            }
            guard c.contains(order.createdAt) else { continue }
            if attribution.isEligible(c.audience, facts: f, at: order.createdAt, order: order) {
                accumulators[i].reach(order.userId, day: day)
            }
            if let decision, decision.campaign.id == c.id {
                accumulators[i].credit(order, viaCoupon: decision.viaCoupon, day: day)
            }
        }
    }

    /// Adds a logged-in customer's conversion event (activity for "reached").
    public mutating func addActivity(userId: Int64, at: Int64) {
        guard at < endMicros else { return }
        let f = facts[userId]
        for i in accumulators.indices where accumulators[i].campaign.contains(at) {
            if attribution.isEligible(accumulators[i].campaign.audience, facts: f, at: at) {
                accumulators[i].reach(userId, day: attribution.calendar.day(ofMicros: at))
            }
        }
    }

    /// One row per computed campaign, by id.
    public var totals: [CampaignTotals] { accumulators.map { $0.totals(asOf: asOf) } }

    /// One row per computed campaign and window day (zeros included), by campaign then day.
    public var history: [CampaignDay] { accumulators.flatMap { $0.history() } }
}

private struct DayTally: Sendable {
    var orders = 0, couponOrders = 0
    var revenue = Money.zero, discount = Money.zero, audienceRevenue = Money.zero
    var reached = Set<Int64>(), converted = Set<Int64>()
}

private struct Accumulator: Sendable {
    let campaign: Campaign
    let firstDay: ShopDay, lastDay: ShopDay
    let baselineFirst: ShopDay
    let baselineAvailable: Bool
    var days: [DayTally]
    var reached = Set<Int64>(), converted = Set<Int64>()
    var baselineRevenue = Money.zero

    init(campaign: Campaign, firstDay: ShopDay, lastDay: ShopDay, earliestSaleDay: ShopDay?) {
        self.campaign = campaign; self.firstDay = firstDay; self.lastDay = lastDay
        let n = firstDay.distance(to: lastDay) + 1
        let baseline = firstDay.advanced(by: -n)
        baselineFirst = baseline
        baselineAvailable = earliestSaleDay.map { $0 <= baseline } ?? false
        days = Array(repeating: DayTally(), count: n)
    }

    private func index(_ day: ShopDay) -> Int? {
        day >= firstDay && day <= lastDay ? firstDay.distance(to: day) : nil
    }

    mutating func addAudienceSale(_ total: Money, day: ShopDay) {
        if let i = index(day) {
            days[i].audienceRevenue += total
        } else if day >= baselineFirst && day < firstDay {
            baselineRevenue += total
        }
    }

    mutating func reach(_ user: Int64, day: ShopDay) {
        reached.insert(user)
        if let i = index(day) { days[i].reached.insert(user) }
    }

    mutating func credit(_ o: Order, viaCoupon: Bool, day: ShopDay) {
        guard let i = index(day) else { return }
        converted.insert(o.userId); reached.insert(o.userId)
        days[i].converted.insert(o.userId); days[i].reached.insert(o.userId)
        days[i].orders += 1
        days[i].revenue += o.total
        if viaCoupon {
            days[i].couponOrders += 1
            days[i].discount += o.discounts.coupon
        }
    }

    func totals(asOf: ShopDay) -> CampaignTotals {
        var t = CampaignTotals(campaign: campaign, asOf: asOf, firstDay: firstDay, lastDay: lastDay)
        for d in days {
            t.ordersInfluenced += d.orders; t.couponOrders += d.couponOrders
            t.revenueGenerated += d.revenue; t.discountGiven += d.discount; t.audienceRevenue += d.audienceRevenue
        }
        t.customersReached = reached.count
        t.customersConverted = converted.count
        t.conversionRate = Percentage.of(Int64(converted.count), Int64(reached.count)) ?? Percentage(hundredths: 0)
        if let budget = campaign.budget, budget.hundredths > 0 {
            t.budgetUsed = Percentage.of(t.discountGiven.hundredths, budget.hundredths)
            t.roi = Percentage.of((t.revenueGenerated - budget).hundredths, budget.hundredths)
        }
        if baselineAvailable {
            t.baselineFirstDay = baselineFirst
            t.baselineRevenue = baselineRevenue
            t.incrementalRevenue = t.audienceRevenue - baselineRevenue
            t.uplift = Percentage.of((t.audienceRevenue - baselineRevenue).hundredths, baselineRevenue.hundredths)
        }
        return t
    }

    func history() -> [CampaignDay] {
        days.enumerated().map { i, d in
            var row = CampaignDay(campaignId: campaign.id, day: firstDay.advanced(by: i))
            row.ordersInfluenced = d.orders; row.couponOrders = d.couponOrders
            row.revenueGenerated = d.revenue; row.discountGiven = d.discount
            row.customersReached = d.reached.count; row.customersConverted = d.converted.count
            row.conversionRate = Percentage.of(Int64(d.converted.count), Int64(d.reached.count)) ?? Percentage(hundredths: 0)
            row.audienceRevenue = d.audienceRevenue
            return row
        }
    }
}
