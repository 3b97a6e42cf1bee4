import Shop

/// Orders placed (any status, rejected rows excluded) per shop day and customer: what the funnel's gap report
/// matches against complete_order sessions. The daily extract counts them as it streams the orders, so the funnel
/// need not read the orders again.
public struct OrdersPlaced: Sendable {
    public private(set) var byDay: [ShopDay: [Int64: Int]] = [:]

    public init() {}

    /// Counts one order of `userId` created on `day`.
    public mutating func add(userId: Int64, day: ShopDay) {
        byDay[day, default: [:]][userId, default: 0] += 1
    }
}
