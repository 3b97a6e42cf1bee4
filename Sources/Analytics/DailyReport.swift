import Shop

/// Everything the daily report shows, read back from the analytics tables: plain values, ready to render.
public struct DailyReport: Sendable {
    public var day: ShopDay
    public var timeZone: String
    public var today: DailySnapshot
    public var previousDay: DailySnapshot
    public var sameDayLastWeek: DailySnapshot
    /// Every day of the 30 ending with `day`, oldest first; days never computed are zero rows.
    public var trend: [DailySnapshot]
    public var channels: [ChannelRevenue]
    public var payments: [PaymentMethodFigures]
    public var discounts: [DiscountFigures]
    /// The day's best customers by revenue (personal data).
    public var topCustomers: [TopCustomer] = []
    /// Rejected source rows that belong to the report's day, by reason.
    public var rejected: [RejectedCount]
    /// Rejected rows across the whole 30-day window.
    public var rejectedInWindow: Int

    public init(day: ShopDay, timeZone: String, today: DailySnapshot, previousDay: DailySnapshot, sameDayLastWeek: DailySnapshot,
                trend: [DailySnapshot], channels: [ChannelRevenue], payments: [PaymentMethodFigures], discounts: [DiscountFigures],
                rejected: [RejectedCount], rejectedInWindow: Int) {
        self.day = day; self.timeZone = timeZone; self.today = today; self.previousDay = previousDay
        self.sameDayLastWeek = sameDayLastWeek; self.trend = trend; self.channels = channels; self.payments = payments
        self.discounts = discounts; self.rejected = rejected; self.rejectedInWindow = rejectedInWindow
    }

    /// Revenue of the trailing window.
    public var windowRevenue: Money { trend.reduce(.zero) { $0 + $1.totalRevenue } }
    public var windowSales: Int { trend.reduce(0) { $0 + $1.totalOrders } }
    /// Average order value over the window: total revenue / total sales (not an average of daily averages).
    public var windowAverageOrderValue: Money { windowRevenue.divided(by: Int64(windowSales)) }
}

public struct RejectedCount: Sendable, Equatable {
    public var source: String
    public var reason: String
    public var count: Int
    public init(source: String, reason: String, count: Int) { self.source = source; self.reason = reason; self.count = count }
}

/// Percentage change from `old` to `new`, or nil when `old` is zero.
public func percentChange(from old: Int64, to new: Int64) -> Double? {
    guard old != 0 else { return nil }
    return Double(new - old) / Double(old.magnitude)
}
