import Shop

/// The Funnel section of a report, read back from the analytics tables.
public struct FunnelReport: Sendable {
    /// The report's period (one day for the daily report); `day` is its last day.
    public var period: ShopDayRange
    public var day: ShopDay { period.last }
    /// The period summed per user type (new, returning, anonymous, all).
    public var today: [FunnelDay]
    /// The 30 days ending on the period's last day (or the period, when longer), summed per user type (sessions are counted once, on their day).
    public var window: [FunnelDay]
    /// "All sessions" of each of the 30 days, oldest first (zero rows for days not computed).
    public var trend: [FunnelDay]
    /// Orders against complete_order sessions over the period, and over the window.
    public var gapToday: FunnelGap
    public var gapWindow: FunnelGap
    /// The period's pages (views and unique visitors summed over its days), most viewed first.
    public var pages: [PageViews]
    public static let windowDays = 30

    public init(period: ShopDayRange, today: [FunnelDay], window: [FunnelDay], trend: [FunnelDay], gapToday: FunnelGap,
                gapWindow: FunnelGap, pages: [PageViews]) {
        self.period = period; self.today = today; self.window = window; self.trend = trend
        self.gapToday = gapToday; self.gapWindow = gapWindow; self.pages = pages
    }

    /// The row of a user type in `rows` (a zero row when absent).
    public static func row(_ type: FunnelUserType, in rows: [FunnelDay], day: ShopDay) -> FunnelDay {
        rows.first { $0.userType == type } ?? FunnelDay(day: day, userType: type)
    }
}

extension FunnelGap {
    public mutating func add(_ g: FunnelGap) {
        ordersPlaced += g.ordersPlaced; completeOrderSessions += g.completeOrderSessions
        ordersWithoutEvent += g.ordersWithoutEvent; sessionsWithoutOrder += g.sessionsWithoutOrder
    }
}
