import Shop

/// Accumulates customers, their sales, loyalty points and referrals, one row at a time, as of the end of one shop
/// day; `analysis(rules:)` then computes every per-customer figure, the segments, RFM, cohorts, program summaries
/// and the purchase model (README, "Customer analytics").
///
/// Pure: no database, no clock. Memory is per customer, kept as parallel arrays (struct of arrays) indexed by a
/// dense index: about 130 bytes a customer plus the id map, so a million customers take well under 200 MB and any
/// number of sales streams through.
///
/// Order of calls: every `add(_: CustomerProfile)` first, then the sales **in `created_at` order** (the cohort
/// triangle and the distinct purchase days rely on it; the extract sorts them) or each user's `CustomerSales`, then
/// loyalty and referrals.
public struct CustomerBook: Sendable {
    public let asOf: ShopDay
    public let calendar: ShopCalendar
    /// The end of the as-of shop day (microseconds): only what happened before it counts.
    public let asOfEnd: Int64

    var index: [Int64: Int32] = [:]
    var userIds: [Int64] = []
    var joinedDay: [Int32] = []
    var vip: [UInt8] = []
    var subscribed: [Bool] = []
    var sales: [Int32] = []
    var spent: [Int64] = []
    var discounts: [Int64] = []
    var vipDiscounts: [Int64] = []
    var loyaltyValue: [Int64] = []
    var firstAt: [Int64] = []
    var lastAt: [Int64] = []
    var firstDay: [Int32] = []
    var lastDay: [Int32] = []
    var purchaseDays: [Int32] = []
    var firstDaySpend: [Int64] = []
    /// Purchase days and the last purchase day up to the end of `checkCutoff` (0 without a sale by then), for the
    /// model check (`ModelCheck`).
    var purchaseDaysAtCutoff: [Int32] = []
    var lastDayAtCutoff: [Int32] = []
    var pointsEarned: [Int64] = []
    var pointsRedeemed: [Int64] = []
    var referralsCompleted: [Int32] = []
    var referralEarnings: [Int64] = []
    var referred: [Bool] = []
    /// Sales added one by one, summed per user until `closeSales()`.
    var pending: [Int64: CustomerSales] = [:]

    /// Cohort triangle: first-sale month -> customers with a sale in each month after it (index 0 = the cohort's size).
    var cohortBuyers: [Int32: [Int32]] = [:]
    /// Sales of users that are not customers (staff, or not in `auth_user`): not counted anywhere here.
    public private(set) var salesOfNonCustomers = 0
    /// Sales after the end of the as-of day (the extract does not send them; ignored if it does).
    public private(set) var salesAfterAsOf = 0
    /// Sales with `loyalty_discount_amount > 0`, and all sales counted.
    var salesWithPoints = 0
    var salesCounted = 0
    /// Referrals created by the end of the as-of day, by status as of then (a referral completed later counts as
    /// PENDING), and the bonuses of the completed ones.
    var referralsByStatus: [String: Int] = [:]
    var referralBonuses: Int64 = 0
    var referralBonusPoints: Int64 = 0

    /// The last day the model check fits on: `ModelCheck.horizonDays` before the as-of day.
    public var checkCutoff: ShopDay { asOf.advanced(by: -ModelCheck.horizonDays) }

    public init(asOf: ShopDay, calendar: ShopCalendar) {
        self.asOf = asOf
        self.calendar = calendar
        self.asOfEnd = calendar.startMicros(of: asOf.advanced(by: 1))
    }

    /// Number of customers.
    public var count: Int { userIds.count }

    /// Room for `customers` customers, so that the id map and the per-customer arrays are not copied again and again
    /// while a million profiles arrive. Only a capacity: the book holds exactly the customers added.
    public mutating func reserveCapacity(customers n: Int) {
        guard n > count else { return }
        index.reserveCapacity(n)
        vip.reserveCapacity(n); subscribed.reserveCapacity(n); referred.reserveCapacity(n)
        for column in [\CustomerBook.sales, \.joinedDay, \.firstDay, \.lastDay, \.purchaseDays, \.purchaseDaysAtCutoff, \.lastDayAtCutoff,
                       \.referralsCompleted] {
            self[keyPath: column].reserveCapacity(n)
        }
        for column in [\CustomerBook.userIds, \.spent, \.discounts, \.vipDiscounts, \.loyaltyValue, \.firstAt, \.lastAt, \.firstDaySpend,
                       \.pointsEarned, \.pointsRedeemed, \.referralEarnings] {
            self[keyPath: column].reserveCapacity(n)
        }
    }

    /// Registers a customer; a second profile for the same user replaces the first's tier and subscription.
    public mutating func add(_ p: CustomerProfile) {
        if let i = index[p.userId] {
            vip[Int(i)] = p.vipTier?.rawValue ?? 0
            subscribed[Int(i)] = p.subscriptionActive
            return
        }
        index[p.userId] = Int32(userIds.count)
        userIds.append(p.userId)
        // An unknown join date counts as the as-of day: without a sale, 0 days since (README, "Customer metrics").
        joinedDay.append(p.joinedAt.map { calendar.day(ofMicros: $0).epochDay } ?? asOf.epochDay)
        vip.append(p.vipTier?.rawValue ?? 0)
        subscribed.append(p.subscriptionActive)
        sales.append(0); spent.append(0); discounts.append(0); vipDiscounts.append(0); loyaltyValue.append(0)
        firstAt.append(0); lastAt.append(0); firstDay.append(0); lastDay.append(0); purchaseDays.append(0); firstDaySpend.append(0)
        purchaseDaysAtCutoff.append(0); lastDayAtCutoff.append(0)
        pointsEarned.append(0); pointsRedeemed.append(0); referralsCompleted.append(0); referralEarnings.append(0); referred.append(false)
    }

    /// Adds one order. Only sales count (README, "Sale"); other orders are ignored. Sales must arrive in
    /// `created_at` order. They are summed per user and counted by `closeSales()` (which `analysis` calls if needed).
    public mutating func add(_ order: Order) {
        guard order.isSale else { return }
        guard order.createdAt < asOfEnd else { salesAfterAsOf += 1; return }
        pending[order.userId, default: CustomerSales(userId: order.userId)].add(order, calendar: calendar)
    }

    /// Counts the sales added one by one so far.
    public mutating func closeSales() {
        for s in pending.values { add(s) }
        pending = [:]
    }

    /// Adds one user's sales as of the end of the as-of day (each user once; after every profile; none after the as-of
    /// day): a customer's figures, or the count of sales of users who are not customers.
    public mutating func add(_ s: CustomerSales) {
        guard let ix = index[s.userId], s.sales > 0 else { salesOfNonCustomers += Int(s.sales); return }
        let i = Int(ix)
        salesCounted += Int(s.sales)
        salesWithPoints += Int(s.salesWithPoints)
        sales[i] = s.sales; spent[i] = s.spent; discounts[i] = s.discounts; vipDiscounts[i] = s.vipDiscounts
        loyaltyValue[i] = s.loyaltyValue
        firstAt[i] = s.firstAt; lastAt[i] = s.lastAt; firstDay[i] = s.firstDay; lastDay[i] = s.lastDay
        purchaseDays[i] = s.purchaseDays; firstDaySpend[i] = s.firstDaySpend
        (purchaseDaysAtCutoff[i], lastDayAtCutoff[i]) = s.purchases(upTo: checkCutoff.epochDay)
        guard let first = s.months.first else { return }
        // The cohort's row is changed in place, found once for all the customer's months: a copy of it for each month
        // cost a copy of the row per month per customer, and a lookup per month a tenth of the customers' step.
        CustomerBook.count(s.months, from: first, in: &cohortBuyers[first, default: [0]])
    }

    /// Counts a customer in their cohort's row: at month 0 and at each later month with a sale.
    private static func count(_ months: SaleMonths, from first: Int32, in row: inout [Int32]) {
        for m in months {
            let k = Int(m - first)
            if row.count <= k { row += repeatElement(0, count: k + 1 - row.count) }
            row[k] += 1
        }
    }

    /// Adds a customer's loyalty points (added to what the customer already has, so the two stores may come as
    /// separate rows).
    public mutating func add(_ points: LoyaltyPoints) {
        guard let i = index[points.userId].map(Int.init) else { return }
        pointsEarned[i] += points.earned
        pointsRedeemed[i] += points.redeemed
    }

    /// Adds a referral (rows created after the as-of day are ignored).
    public mutating func add(_ referral: Referral) {
        guard referral.createdAt < asOfEnd else { return }
        let completed = referral.isCompleted(before: asOfEnd)
        let status = referral.status.uppercased()
        referralsByStatus[completed ? "COMPLETED" : (status == "COMPLETED" ? "PENDING" : status), default: 0] += 1
        guard completed else { return }
        referralBonuses += referral.referrerBonus.hundredths
        referralBonusPoints += referral.referrerBonusPoints
        if let i = index[referral.referrerId].map(Int.init) {
            referralsCompleted[i] += 1
            referralEarnings[i] += referral.referrerBonus.hundredths
        }
        if let r = referral.refereeId, let i = index[r].map(Int.init) { referred[i] = true }
    }

}
