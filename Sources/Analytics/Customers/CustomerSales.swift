import Shop

/// One user's sales up to the end of a shop day, summed: everything the customer figures need of the sales (README,
/// "Customer analytics"). Kept in the warehouse between runs, so a nightly run re-reads the sales of only the users
/// whose orders it recomputes, and folds the rest from here.
///
/// Pure. Sales must be added in `created_at` order (purchase days and the cohort months rely on it).
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
    public var months: [Int32] = []
    /// For the model check (`ModelCheck`), not kept between runs: the purchase days and the last purchase day up to
    /// the end of `checkCutoff` (0 without a sale by then).
    public var checkCutoff: Int32
    public var purchaseDaysAtCutoff: Int32 = 0, lastDayAtCutoff: Int32 = 0

    public init(userId: Int64, checkCutoff: ShopDay? = nil) {
        self.userId = userId
        self.checkCutoff = checkCutoff?.epochDay ?? .max
    }

    /// The summed sales, as kept between runs (the model check's fields are not part of them).
    public static func == (a: CustomerSales, b: CustomerSales) -> Bool {
        a.userId == b.userId && a.sales == b.sales && a.spent == b.spent && a.discounts == b.discounts && a.vipDiscounts == b.vipDiscounts
            && a.loyaltyValue == b.loyaltyValue && a.firstAt == b.firstAt && a.lastAt == b.lastAt && a.firstDay == b.firstDay
            && a.lastDay == b.lastDay && a.purchaseDays == b.purchaseDays && a.firstDaySpend == b.firstDaySpend
            && a.salesWithPoints == b.salesWithPoints && a.months == b.months
    }

    /// Adds one sale (the caller checks `Order.isSale` and the as-of bound).
    public mutating func add(_ order: Order, calendar: ShopCalendar) {
        let day = calendar.day(ofMicros: order.createdAt).epochDay
        let total = order.total.hundredths
        if sales == 0 {
            firstAt = order.createdAt; firstDay = day; purchaseDays = 1; firstDaySpend = total
        } else {
            if day != lastDay { purchaseDays += 1 }
            if day == firstDay { firstDaySpend += total }
        }
        let month = CustomerSales.month(day)
        if months.last != month { months.append(month) }
        if order.discounts.loyalty.hundredths > 0 { salesWithPoints += 1 }
        lastAt = order.createdAt
        lastDay = day
        if day <= checkCutoff { purchaseDaysAtCutoff = purchaseDays; lastDayAtCutoff = day }
        sales += 1
        spent += total
        discounts += order.discounts.total.hundredths
        vipDiscounts += order.discounts.vip.hundredths
        loyaltyValue += order.discounts.loyalty.hundredths
    }

    /// Months since year 0: year * 12 + month - 1, of a shop day.
    public static func month(_ epochDay: Int32) -> Int32 {
        let c = ShopDay(epochDay: epochDay).components
        return Int32(c.year * 12 + c.month - 1)
    }
}
