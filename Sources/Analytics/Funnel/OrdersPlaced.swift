import Shop

/// Orders placed (any status, rejected rows excluded) per shop day and customer: what the funnel's gap report
/// matches against complete_order sessions. The daily extract counts them as it streams the orders, so the funnel
/// need not read the orders again.
///
/// Kept as one user id per order (8 bytes an order; a dictionary per day would cost five times that at ten million
/// orders); `counts(on:)` folds one day at a time.
public struct OrdersPlaced: Sendable {
    public private(set) var byDay: [ShopDay: [Int64]] = [:]

    public init() {}

    /// Counts one order of `userId` created on `day`.
    public mutating func add(userId: Int64, day: ShopDay) {
        byDay[day, default: []].append(userId)
    }

    /// Orders per customer on `day`.
    public func counts(on day: ShopDay) -> [Int64: Int] {
        var out: [Int64: Int] = [:]
        for u in byDay[day] ?? [] { out[u, default: 0] += 1 }
        return out
    }
}
