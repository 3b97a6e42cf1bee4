import Shop

/// What a campaign's return is measured on (README, "Campaigns"): the revenue of the sales that carried its coupon
/// code, or the lift of its audience's revenue over the baseline.
public enum CampaignReturnBasis: String, Sendable, Equatable {
    case coupon, lift
}

/// What a campaign's ROI is divided by: its budget when one is set (above zero), else the coupon discount it gave.
public enum CampaignCostBasis: String, Sendable, Equatable {
    case budget, discount
}

/// Why a figure (the lift, or the ROI) cannot be measured.
public enum CampaignUnmeasurable: String, Sendable, Equatable {
    /// No budget and no discount given: nothing to divide by.
    case noCost = "no_cost"
    /// The shop's sales do not reach back the four weeks the baseline needs.
    case shortHistory = "short_history"
    /// The campaign's audience is not one the project knows, so nobody is in it.
    case unknownAudience = "unknown_audience"
}

/// A campaign's figures over its window up to the job's last day (README, "Campaigns").
public struct CampaignTotals: Sendable, Equatable {
    public var campaign: Campaign
    /// The figures cover `firstDay...lastDay`: the shop days of the window, cut at the job's last day (`asOf`).
    public var asOf: ShopDay
    public var firstDay: ShopDay
    public var lastDay: ShopDay
    /// Sales credited to the campaign: the ones that carried its coupon code inside its window.
    public var couponOrders = 0
    /// Sum of their `total`.
    public var couponRevenue = Money.zero
    /// Coupon discount (`discount_amount`) of those sales.
    public var discountGiven = Money.zero
    public var customersReached = 0
    public var customersConverted = 0
    /// Converted / reached, in percent (0 when no customer was reached); at most 100 since converted customers
    /// count as reached.
    public var conversionRate = Percentage(hundredths: 0)
    /// Discount given / budget, in percent; nil without a budget.
    public var budgetUsed: Percentage?
    /// Revenue of every sale in the audience over `firstDay...lastDay` (with the coupon or not).
    public var audienceRevenue = Money.zero
    /// First day of the baseline: the four weeks (28 shop days) before `firstDay`.
    public var baselineFirstDay: ShopDay
    /// What the audience would have spent on the window's days without the campaign: for each window day, the
    /// average of the audience's revenue on the same weekday in the four weeks before. nil when not measurable.
    public var baselineRevenue: Money?
    /// `audienceRevenue - baselineRevenue`, and that over the baseline in percent (nil when the baseline is 0).
    public var lift: Money?
    public var uplift: Percentage?
    /// Why the lift is nil.
    public var liftUnmeasurable: CampaignUnmeasurable?
    /// What the ROI is computed on, what it is divided by, and the ROI in percent; nil with a reason when not measurable.
    public var returnBasis: CampaignReturnBasis = .coupon
    public var cost: Money?
    public var costBasis: CampaignCostBasis?
    public var roi: Percentage?
    public var roiUnmeasurable: CampaignUnmeasurable?

    public init(campaign: Campaign, asOf: ShopDay, firstDay: ShopDay, lastDay: ShopDay) {
        self.campaign = campaign; self.asOf = asOf; self.firstDay = firstDay; self.lastDay = lastDay
        baselineFirstDay = firstDay.advanced(by: -CampaignLedger.baselineDays)
    }

    public var days: Int { firstDay.distance(to: lastDay) + 1 }

    /// The return the ROI is computed on (coupon revenue or lift); nil when the lift is not measurable.
    public var measuredReturn: Money? { returnBasis == .coupon ? couponRevenue : lift }
}

/// One campaign on one shop day.
public struct CampaignDay: Sendable, Equatable {
    public var campaignId: Int64
    public var day: ShopDay
    /// Sales that carried the campaign's coupon code, their revenue and coupon discount.
    public var couponOrders = 0
    public var couponRevenue = Money.zero
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
    /// The baseline covers this many shop days before a campaign's first day: four weeks, so each weekday appears four
    /// times.
    public static let baselineDays = 28

    public let attribution: CampaignAttribution
    public let asOf: ShopDay
    private var facts: [Int64: CustomerFacts]
    private var accumulators: [Accumulator]
    private let endMicros: Int64
    /// Orders taken from a stream before the users' first sales were known whose reach of a new-customer campaign waits
    /// for them (`addStreamed`, `complete`).
    private var pending: [PendingReach] = []
    /// The customers reached and converted, by campaign, while packed (`pack`).
    private var packed: [PackedReach]?

    /// - Parameters:
    ///   - campaigns: every campaign of the shop (attribution looks at all attributed ones).
    ///   - computing: ids of the campaigns whose figures are wanted (attributed and started on or before `asOf`;
    ///     others are ignored).
    ///   - asOf: the last shop day counted.
    ///   - facts: per customer, as of the end of `asOf`.
    ///   - earliestSaleDay: the shop day of the shop's first sale (the baseline needs data back to its first day;
    ///     a later first sale makes the lift not measurable).
    ///   - kept: per campaign, what an earlier run kept (`states`), still right on every day outside `recomputed`: such
    ///     a campaign takes orders and activity of the `recomputed` days only, and its other days from `kept`. The
    ///     other campaigns take every day's.
    public init(campaigns: [Campaign], computing: Set<Int64>, asOf: ShopDay, calendar: ShopCalendar,
                facts: [Int64: CustomerFacts], earliestSaleDay: ShopDay?, kept: [Int64: CampaignState] = [:],
                recomputed: [ShopDayRange] = []) {
        attribution = CampaignAttribution(campaigns: campaigns, calendar: calendar)
        self.asOf = asOf
        self.facts = facts
        endMicros = calendar.startMicros(of: asOf.advanced(by: 1))
        accumulators = attribution.campaigns.compactMap { c in
            guard computing.contains(c.id) else { return nil }
            let first = calendar.day(ofMicros: c.start)
            let last = min(calendar.day(ofMicros: c.end), asOf)
            guard first <= last else { return nil }
            var a = Accumulator(campaign: c, firstDay: first, lastDay: last, earliestSaleDay: earliestSaleDay)
            if let state = kept[c.id] { a.keep(state, recomputed: recomputed) }
            return a
        }
    }

    /// The campaigns computed, by id.
    public var computedIds: [Int64] { accumulators.map(\.campaign.id) }

    /// The shop days whose orders the ledger needs, in order: for each computed campaign, from the first day of its
    /// baseline to its last day counted (only the recomputed ones of a campaign with kept figures).
    public var ordersDays: [ShopDayRange] { neededDays { ShopDayRange($0.baselineFirst, $0.lastDay) } }

    /// The shop days whose customer activity (conversion events) the ledger needs: the computed campaigns' window days
    /// (only the recomputed ones of a campaign with kept figures).
    public var activityDays: [ShopDayRange] { neededDays { ShopDayRange($0.firstDay, $0.lastDay) } }

    private func neededDays(_ span: (Accumulator) -> ShopDayRange) -> [ShopDayRange] {
        var days = Set<ShopDay>()
        for a in accumulators {
            let s = span(a)
            if let fresh = a.fresh {
                for r in fresh where r.first <= s.last && s.first <= r.last {
                    days.formUnion(ShopDayRange(max(r.first, s.first), min(r.last, s.last)))
                }
            } else {
                days.formUnion(s)
            }
        }
        return ShopDayRange.contiguous(days)
    }

    /// Adds an order (any status; only sales are credited, by their `couponCode`). Orders in any status are activity
    /// for "reached".
    public mutating func add(_ order: Order) {
        take(order, facts: facts[order.userId], firstSaleUnknown: false)
    }

    /// Adds an order as a backfill's daily extract streams it (ascending id), before every user's first sale is known:
    /// the ledger was made with the tier and referral dates only, and `firstSaleSoFar` is the user's first sale among the
    /// orders streamed before this one (`StreamedSales`). For a user whose sales stream in time order (the stream's
    /// `disordered` users aside, which the caller checks once the stream has ended) that is the first sale when there is
    /// one; with none, a sale is the first, and a non-sale order's reach of a new-customer campaign waits for `complete`.
    /// Every decision is then the one `add` makes with the complete facts (README, "What a backfill reads").
    public mutating func addStreamed(_ order: Order, firstSaleSoFar: Int64?) {
        var f = facts[order.userId] ?? CustomerFacts()
        f.firstSaleAt = firstSaleSoFar ?? (order.isSale ? order.createdAt : nil)
        take(order, facts: f, firstSaleUnknown: f.firstSaleAt == nil)
    }

    /// Ends what `addStreamed` began: the complete facts (first sales included) for what is added after, the shop's
    /// first sale day for the baselines, and the pending reaches decided.
    public mutating func complete(facts: [Int64: CustomerFacts], earliestSaleDay: ShopDay?) {
        self.facts = facts
        for i in accumulators.indices { accumulators[i].setEarliestSaleDay(earliestSaleDay) }
        for p in pending where attribution.isEligible(.newCustomers, facts: facts[p.userId], at: p.at) {
            accumulators[p.accumulator].reach(p.userId, day: attribution.calendar.day(ofMicros: p.at))
        }
        pending = []
    }

    private mutating func take(_ order: Order, facts f: CustomerFacts?, firstSaleUnknown: Bool) {
        guard order.createdAt < endMicros else { return }
        let day = attribution.calendar.day(ofMicros: order.createdAt)
        let credited = attribution.campaign(for: order, couponCode: order.couponCode)
        for i in accumulators.indices {
            let c = accumulators[i].campaign
            if order.isSale && attribution.matches(c.audience, sale: order, facts: f) {
                accumulators[i].addAudienceSale(order.total, day: day)
            }
            guard c.contains(order.createdAt) else { continue }
            if firstSaleUnknown && c.audience == .newCustomers {
                pending.append(PendingReach(accumulator: i, userId: order.userId, at: order.createdAt))
            } else if attribution.isEligible(c.audience, facts: f, at: order.createdAt, order: order) {
                accumulators[i].reach(order.userId, day: day)
            }
            if credited?.id == c.id { accumulators[i].credit(order, day: day) }
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

    /// Sets aside the customers reached and converted so far, packed (each day's and the campaign's, as sorted ids
    /// delta-coded in bytes: a byte or two a customer instead of a hash table's 10 to 20), while the ledger waits for
    /// later stages: the campaigns fed by a backfill's order stream, during the customer stage and the funnel. The ledger
    /// takes orders and activity meanwhile (being reached and converted are sets, which `unpack` joins); its figures
    /// (`totals`, `history`, `states`) need it unpacked.
    public mutating func pack() {
        guard packed == nil else { return }
        packed = accumulators.indices.map { i in
            let a = accumulators[i]
            defer {
                accumulators[i].reached = []; accumulators[i].converted = []
                for d in accumulators[i].days.indices { accumulators[i].days[d].reached = []; accumulators[i].days[d].converted = [] }
            }
            return PackedReach(reached: PackedIds(a.reached), converted: PackedIds(a.converted),
                               days: a.days.map { (PackedIds($0.reached), PackedIds($0.converted)) })
        }
    }

    /// Joins the customers `pack` set aside to those reached and converted since.
    public mutating func unpack() {
        guard var packed else { return }
        self.packed = nil
        for i in packed.indices {
            accumulators[i].reached.formUnion(packed[i].reached.set)
            accumulators[i].converted.formUnion(packed[i].converted.set)
            for (d, day) in packed[i].days.enumerated() {
                accumulators[i].days[d].reached.formUnion(day.reached.set)
                accumulators[i].days[d].converted.formUnion(day.converted.set)
            }
            packed[i] = PackedReach(reached: PackedIds([]), converted: PackedIds([]), days: [])  // freed as it goes
        }
    }

    /// Whether the figures can be read (`pack` waits for `unpack`).
    public var isPacked: Bool { packed != nil }

    /// A copy with nobody reached yet (nor packed, nor waiting for first sales), to be fed customer activity on another
    /// thread and handed to `addReached`.
    public var withoutReach: CampaignLedger {
        var copy = self
        copy.packed = nil
        copy.pending = []
        for i in copy.accumulators.indices {
            copy.accumulators[i].reached = []
            for d in copy.accumulators[i].days.indices { copy.accumulators[i].days[d].reached = [] }
        }
        return copy
    }

    /// Takes the customers `other` reached: a copy of this ledger that was fed only customer activity (on another
    /// thread, say). Being reached is a set per campaign and per day, so this gives what feeding the activity here would.
    public mutating func addReached(from other: CampaignLedger) {
        precondition(other.accumulators.count == accumulators.count, "a ledger's copy has the same campaigns")
        for i in accumulators.indices {
            accumulators[i].reached.formUnion(other.accumulators[i].reached)
            for d in accumulators[i].days.indices {
                accumulators[i].days[d].reached.formUnion(other.accumulators[i].days[d].reached)
            }
        }
    }

    /// One row per computed campaign, by id.
    public var totals: [CampaignTotals] {
        assert(packed == nil, "a packed ledger's figures are read after unpack()")
        return accumulators.map { $0.totals(asOf: asOf) }
    }

    /// One row per computed campaign and window day (zeros included), by campaign then day.
    public var history: [CampaignDay] {
        assert(packed == nil, "a packed ledger's figures are read after unpack()")
        return accumulators.flatMap { $0.history() }
    }

    /// What each computed campaign's figures are made of, for the next run to keep, by campaign id.
    public var states: [CampaignState] {
        assert(packed == nil, "a packed ledger's figures are read after unpack()")
        return accumulators.map { $0.state() }
    }
}

/// One campaign's customers reached and converted, packed (`CampaignLedger.pack`).
private struct PackedReach: Sendable {
    var reached: PackedIds, converted: PackedIds
    var days: [(reached: PackedIds, converted: PackedIds)]
}

/// A set of ids as bytes: ascending, each the difference from the one before (the first from 0, all modulo 2^64) in
/// LEB128 (seven bits a byte, the high bit set on every byte but a number's last).
struct PackedIds: Sendable, Equatable {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0

    init<S: Sequence<Int64>>(_ ids: S) {
        let sorted = ids.sorted()
        count = sorted.count
        bytes.reserveCapacity(sorted.count * 2)
        var previous: Int64 = 0
        for id in sorted {
            var delta = UInt64(bitPattern: id &- previous)
            previous = id
            while delta >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: delta) | 0x80)
                delta >>= 7
            }
            bytes.append(UInt8(delta))
        }
    }

    var set: Set<Int64> {
        var out = Set<Int64>(minimumCapacity: count)
        var previous: Int64 = 0, delta: UInt64 = 0, shift: UInt64 = 0
        for b in bytes {
            delta |= UInt64(b & 0x7f) << shift
            if b < 0x80 {
                previous = previous &+ Int64(bitPattern: delta)
                out.insert(previous)
                delta = 0; shift = 0
            } else {
                shift += 7
            }
        }
        return out
    }
}

/// A non-sale order whose reach of a new-customer campaign waits for the user's first sale.
private struct PendingReach: Sendable {
    var accumulator: Int
    var userId: Int64
    var at: Int64
}

private struct DayTally: Sendable {
    var orders = 0
    var revenue = Money.zero, discount = Money.zero, audienceRevenue = Money.zero
    var reached = Set<Int64>(), converted = Set<Int64>()
}

private struct Accumulator: Sendable {
    let campaign: Campaign
    let firstDay: ShopDay, lastDay: ShopDay
    let baselineFirst: ShopDay
    private(set) var historyComplete: Bool
    var days: [DayTally]
    var reached = Set<Int64>(), converted = Set<Int64>()
    /// The audience's revenue on each of the baseline's 28 days, from `baselineFirst`.
    var baselineByDay = [Money](repeating: .zero, count: CampaignLedger.baselineDays)
    /// The days whose orders and activity count (the others come from a kept state); nil for every day.
    var fresh: [ShopDayRange]?

    init(campaign: Campaign, firstDay: ShopDay, lastDay: ShopDay, earliestSaleDay: ShopDay?) {
        self.campaign = campaign; self.firstDay = firstDay; self.lastDay = lastDay
        let baseline = firstDay.advanced(by: -CampaignLedger.baselineDays)
        baselineFirst = baseline
        historyComplete = earliestSaleDay.map { $0 <= baseline } ?? false
        days = Array(repeating: DayTally(), count: firstDay.distance(to: lastDay) + 1)
    }

    mutating func setEarliestSaleDay(_ earliestSaleDay: ShopDay?) {
        historyComplete = earliestSaleDay.map { $0 <= baselineFirst } ?? false
    }

    private func index(_ day: ShopDay) -> Int? {
        day >= firstDay && day <= lastDay ? firstDay.distance(to: day) : nil
    }

    /// Whether the orders and activity of `day` count here.
    func takes(_ day: ShopDay) -> Bool { fresh.map { $0.contains { $0.contains(day) } } ?? true }

    /// Takes every day outside `recomputed` from a kept state.
    mutating func keep(_ state: CampaignState, recomputed: [ShopDayRange]) {
        fresh = recomputed
        for f in state.days where !takes(f.day) {
            if let i = index(f.day) {
                days[i].orders = f.couponOrders; days[i].revenue = f.couponRevenue
                days[i].discount = f.discountGiven; days[i].audienceRevenue = f.audienceRevenue
            } else if f.day >= baselineFirst && f.day < firstDay {
                baselineByDay[baselineFirst.distance(to: f.day)] = f.audienceRevenue
            }
        }
        for c in state.customers {
            for d in c.reached where !takes(d) {
                guard let i = index(d) else { continue }
                reached.insert(c.userId); days[i].reached.insert(c.userId)
            }
            for d in c.converted where !takes(d) {
                guard let i = index(d) else { continue }
                converted.insert(c.userId); days[i].converted.insert(c.userId)
            }
        }
    }

    mutating func addAudienceSale(_ total: Money, day: ShopDay) {
        guard takes(day) else { return }
        if let i = index(day) {
            days[i].audienceRevenue += total
        } else if day >= baselineFirst && day < firstDay {
            baselineByDay[baselineFirst.distance(to: day)] += total
        }
    }

    mutating func reach(_ user: Int64, day: ShopDay) {
        guard takes(day) else { return }
        reached.insert(user)
        if let i = index(day) { days[i].reached.insert(user) }
    }

    mutating func credit(_ o: Order, day: ShopDay) {
        guard takes(day), let i = index(day) else { return }
        converted.insert(o.userId); reached.insert(o.userId)
        days[i].converted.insert(o.userId); days[i].reached.insert(o.userId)
        days[i].orders += 1
        days[i].revenue += o.total
        days[i].discount += o.discounts.coupon
    }

    /// Σ over the window's days of the baseline's average for that weekday: Σ_slot (window days in the slot) ×
    /// (baseline revenue of the slot) / 4, divided once at the end so the result is exact to the hundredth.
    var expectedRevenue: Money {
        // Slot k holds the baseline days whose distance to `firstDay` is k modulo 7 (the same weekday as window days
        // `firstDay + k`, `+ k + 7`...); the baseline starts 28 days before, so baseline day j is in slot j % 7.
        var baselineBySlot = [Money](repeating: .zero, count: 7)
        for (j, m) in baselineByDay.enumerated() { baselineBySlot[j % 7] += m }
        var sum: Int64 = 0
        for i in days.indices { sum += baselineBySlot[i % 7].hundredths }
        return Money(hundredths: Money.roundedDivision(sum, Int64(CampaignLedger.baselineDays / 7)))
    }

    func totals(asOf: ShopDay) -> CampaignTotals {
        var t = CampaignTotals(campaign: campaign, asOf: asOf, firstDay: firstDay, lastDay: lastDay)
        for d in days {
            t.couponOrders += d.orders
            t.couponRevenue += d.revenue; t.discountGiven += d.discount; t.audienceRevenue += d.audienceRevenue
        }
        t.customersReached = reached.count
        t.customersConverted = converted.count
        t.conversionRate = Percentage.of(Int64(converted.count), Int64(reached.count)) ?? Percentage(hundredths: 0)
        if let budget = campaign.budget, budget.hundredths > 0 {
            t.budgetUsed = Percentage.of(t.discountGiven.hundredths, budget.hundredths)
        }

        // Lift: the audience's revenue against the same weekdays of the four weeks before.
        if case .other = campaign.audience {
            t.liftUnmeasurable = .unknownAudience
        } else if !historyComplete {
            t.liftUnmeasurable = .shortHistory
        } else {
            let expected = expectedRevenue
            t.baselineRevenue = expected
            t.lift = t.audienceRevenue - expected
            t.uplift = Percentage.of((t.audienceRevenue - expected).hundredths, expected.hundredths)
        }

        // ROI on the coupon when the campaign names a code or its code was used; otherwise on the lift.
        t.returnBasis = campaign.namesCode || t.couponOrders > 0 ? .coupon : .lift
        if let budget = campaign.budget, budget.hundredths > 0 {
            t.cost = budget; t.costBasis = .budget
        } else if t.discountGiven.hundredths > 0 {
            t.cost = t.discountGiven; t.costBasis = .discount
        }
        if let cost = t.cost, let back = t.measuredReturn {
            t.roi = Percentage.of((back - cost).hundredths, cost.hundredths)
        } else {
            t.roiUnmeasurable = t.cost == nil ? .noCost : t.liftUnmeasurable
        }
        return t
    }

    func state() -> CampaignState {
        var s = CampaignState(campaignId: campaign.id)
        for (j, m) in baselineByDay.enumerated() {
            s.days.append(CampaignDayFigures(day: baselineFirst.advanced(by: j), audienceRevenue: m))
        }
        var byUser: [Int64: CampaignCustomerDays] = [:]
        for (i, d) in days.enumerated() {
            let day = firstDay.advanced(by: i)
            s.days.append(CampaignDayFigures(day: day, couponOrders: d.orders, couponRevenue: d.revenue, discountGiven: d.discount,
                                             audienceRevenue: d.audienceRevenue))
            for u in d.reached { byUser[u, default: CampaignCustomerDays(userId: u, reached: [], converted: [])].reached.append(day) }
            for u in d.converted { byUser[u, default: CampaignCustomerDays(userId: u, reached: [], converted: [])].converted.append(day) }
        }
        s.customers = byUser.values.sorted { $0.userId < $1.userId }
        return s
    }

    func history() -> [CampaignDay] {
        days.enumerated().map { i, d in
            var row = CampaignDay(campaignId: campaign.id, day: firstDay.advanced(by: i))
            row.couponOrders = d.orders
            row.couponRevenue = d.revenue; row.discountGiven = d.discount
            row.customersReached = d.reached.count; row.customersConverted = d.converted.count
            row.conversionRate = Percentage.of(Int64(d.converted.count), Int64(d.reached.count)) ?? Percentage(hundredths: 0)
            row.audienceRevenue = d.audienceRevenue
            return row
        }
    }
}
