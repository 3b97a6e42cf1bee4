import Shop

/// Each user's sales summed as a backfill's order stream brings them (ascending order id), so that the customer figures
/// need not read the same sales again (README, "What a backfill reads"). Used only when the stream holds every sale the
/// figures count: a backfill whose first day has no sale before it.
///
/// `CustomerSales` is a fold in `created_at` order (then id). In id order that is the same fold for a user whose sales'
/// `created_at` never goes down from one to the next (two on the same instant are in id order either way); a user whose
/// sales come out of that order is set aside in `disordered`, to be read whole in `created_at` order. Pure.
public struct StreamedSales: Sendable {
    /// Each user's sums, the users in `disordered` left out.
    public private(set) var states: [Int64: CustomerSales] = [:]
    /// The sums just before the first sale on the as-of day, of the users with a sale on it (what the kept state holds:
    /// the sales before the start of the as-of day; README, "What a nightly run reads").
    public private(set) var beforeDay: [Int64: CustomerSales] = [:]
    /// The users with a sale whose `created_at` is before the sale streamed ahead of it.
    public private(set) var disordered: Set<Int64> = []
    /// Sales summed, the disordered users' left out.
    public private(set) var sales = 0
    private let asOfDayStart: Int64, asOfEnd: Int64
    private let calendar: ShopCalendar

    public init(asOf: ShopDay, calendar: ShopCalendar) {
        self.calendar = calendar
        asOfDayStart = calendar.startMicros(of: asOf)
        asOfEnd = calendar.startMicros(of: asOf.advanced(by: 1))
    }

    /// The `created_at` of the user's first sale among the orders added so far; nil for none (or a disordered user).
    public func firstSale(of user: Int64) -> Int64? { states[user]?.firstAt }

    /// Adds one order of the stream; anything but a sale created before the end of the as-of day is passed over.
    public mutating func add(_ order: Order) {
        guard order.isSale, order.createdAt < asOfEnd else { return }
        let user = order.userId
        guard !disordered.contains(user) else { return }
        if let s = states[user], order.createdAt < s.lastAt {
            disordered.insert(user)
            sales -= Int(s.sales)
            states[user] = nil
            beforeDay[user] = nil
            return
        }
        if order.createdAt >= asOfDayStart && beforeDay[user] == nil { beforeDay[user] = states[user] ?? CustomerSales(userId: user) }
        states[user, default: CustomerSales(userId: user)].add(order, calendar: calendar)
        sales += 1
    }
}
