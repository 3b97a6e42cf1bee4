import Shop

/// One user's sales up to some moment, summed: everything the customer figures need of the sales (README, "Customer
/// analytics"). Kept in the warehouse between runs (the sales before the start of a shop day), so a nightly run adds
/// the sales created since to the kept sums instead of re-reading each user's history (README, "What a nightly run
/// reads").
///
/// Pure. Sales must be added in `created_at` order (purchase days and the cohort months rely on it): a fold, so the
/// sums of the sales before a moment with the later sales added in order are the sums of all of them.
public struct CustomerSales: Sendable, Equatable {
    public var userId: Int64
    public var sales: Int32 = 0
    /// Hundredths of a franc.
    public var spent: Int64 = 0, discounts: Int64 = 0, vipDiscounts: Int64 = 0, loyaltyValue: Int64 = 0
    /// The first and last sale (microseconds since the epoch) and their shop days (days since 1970-01-01).
    public var firstAt: Int64 = 0, lastAt: Int64 = 0
    public var firstDay: Int32 = 0, lastDay: Int32 = 0
    /// Distinct shop days with a sale, and the spend of the first of them.
    public var purchaseDays: Int32 = 0
    public var firstDaySpend: Int64 = 0
    /// Sales that used loyalty points (`loyalty_discount_amount > 0`).
    public var salesWithPoints: Int32 = 0
    /// The months with a sale (year * 12 + month - 1), ascending, the first sale's month included.
    public var months = SaleMonths()
    /// For the model check (`ModelCheck`), whose cutoff is `ModelCheck.horizonDays` before the as-of day and so moves
    /// every day: the other purchase days of the `horizonDays` days ending with `lastDay`, as bits (bit k set: a sale
    /// on `lastDay - k`, k from 1 to `horizonDays - 1`), and the last purchase day `horizonDays` or more days before
    /// `lastDay` (0: none). They depend on the sales alone, not on the as-of day, and give the purchase days up to any
    /// cutoff from `lastDay - horizonDays` on (`purchases(upTo:)`).
    public var recentDays: UInt32 = 0
    public var earlierDay: Int32 = 0

    public init(userId: Int64) {
        self.userId = userId
    }

    /// Adds one sale (the caller checks `Order.isSale` and the as-of bound).
    public mutating func add(_ order: Order, calendar: ShopCalendar) {
        let day = calendar.day(ofMicros: order.createdAt).epochDay
        let total = order.total.hundredths
        if sales == 0 {
            firstAt = order.createdAt; firstDay = day; purchaseDays = 1; firstDaySpend = total
        } else {
            if day != lastDay {
                purchaseDays += 1
                moveRecentDays(to: day)
            }
            if day == firstDay { firstDaySpend += total }
        }
        let month = CustomerSales.month(day)
        if months.last != month { months.append(month) }
        if order.discounts.loyalty.hundredths > 0 { salesWithPoints += 1 }
        lastAt = order.createdAt
        lastDay = day
        sales += 1
        spent += total
        discounts += order.discounts.total.hundredths
        vipDiscounts += order.discounts.vip.hundredths
        loyaltyValue += order.discounts.loyalty.hundredths
    }

    /// A sale on `day`, a later day than `lastDay`: `lastDay` becomes one of the recent days, and the days that fall
    /// `horizonDays` or more before `day` leave them (the latest of those becomes `earlierDay`).
    mutating func moveRecentDays(to day: Int32) {
        let window = ModelCheck.horizonDays
        let gap = Int(day - lastDay)
        guard gap < window else { earlierDay = lastDay; recentDays = 0; return }
        // Bit k: a sale on day - k (the old last day is bit `gap`).
        let moved = (UInt64(recentDays) | 1) << gap
        let left = moved >> window
        if left != 0 { earlierDay = day - Int32(window + left.trailingZeroBitCount) }
        recentDays = UInt32(moved & ((1 << window) - 1))
    }

    /// The purchase days and the last purchase day up to the end of `cutoff` (days since 1970-01-01; 0 and 0 without
    /// a sale by then). Exact for a cutoff no earlier than `lastDay - ModelCheck.horizonDays`, as the model check's
    /// is: `horizonDays` before the as-of day, and no sale counted is after the as-of day.
    public func purchases(upTo cutoff: Int32) -> (days: Int32, lastDay: Int32) {
        guard sales > 0 else { return (0, 0) }
        guard cutoff < lastDay else { return (purchaseDays, lastDay) }
        let span = Int(lastDay - cutoff)  // the days after the cutoff are bits 0 (the last day) to span - 1
        precondition(span <= ModelCheck.horizonDays, "a cutoff more than horizonDays before the last sale")
        let after = 1 + (recentDays & UInt32((1 << span) - 1)).nonzeroBitCount
        let days = purchaseDays - Int32(after)
        guard days > 0 else { return (0, 0) }
        let before = recentDays >> span
        return (days, before != 0 ? lastDay - Int32(span + before.trailingZeroBitCount) : earlierDay)
    }

    /// Months since year 0: year * 12 + month - 1, of a shop day.
    public static func month(_ epochDay: Int32) -> Int32 {
        let c = ShopDay(epochDay: epochDay).components
        return Int32(c.year * 12 + c.month - 1)
    }
}
