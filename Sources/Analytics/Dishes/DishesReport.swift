import Shop

/// One dish over a report's period and the period before it (README, "Dishes").
public struct DishFigures: Sendable, Equatable {
    public var menuItemId: Int64
    public var name: String
    public var category: String
    public var quantity: Int64
    /// Sum of the lines' subtotals: before order-level discounts.
    public var revenue: Money
    public var previousQuantity: Int64
    public var previousRevenue: Money

    public init(menuItemId: Int64, name: String, category: String, quantity: Int64 = 0, revenue: Money = .zero,
                previousQuantity: Int64 = 0, previousRevenue: Money = .zero) {
        self.menuItemId = menuItemId; self.name = name; self.category = category; self.quantity = quantity
        self.revenue = revenue; self.previousQuantity = previousQuantity; self.previousRevenue = previousRevenue
    }

    /// Portions more (or fewer) than in the previous period.
    public var quantityChange: Int64 { quantity - previousQuantity }
}

/// One menu category over the period.
public struct CategoryFigures: Sendable, Equatable {
    public var category: String
    public var dishes: Int
    public var quantity: Int64
    public var revenue: Money
    public var previousRevenue: Money
    /// Share of the period's dish revenue (nil when it is zero).
    public var share: Double?
}

/// The Dishes section's figures, from `analytics.item_sales` of the period and the period before it.
public struct DishesReport: Sendable {
    public var range: ShopDayRange
    public var previousRange: ShopDayRange
    /// Every dish sold in either period: most portions first (then more revenue, then lower menu item id).
    public var dishes: [DishFigures]
    /// Why the previous period is not compared (`no data`, `only 3 of 7 days`: `PeriodComparison.missingData`), nil
    /// when every one of its days was computed. A partial period would make every dish look like a riser or a faller.
    public var previousMissing: String?

    /// - Parameter rows: item rows of both periods (others are ignored). A dish's name and category are those of its
    ///   latest row.
    public init(range: ShopDayRange, previousRange: ShopDayRange, rows: [ItemSales]) {
        self.range = range
        self.previousRange = previousRange
        var byId: [Int64: (figures: DishFigures, named: ShopDay)] = [:]
        for r in rows where range.contains(r.day) || previousRange.contains(r.day) {
            var entry = byId[r.menuItemId] ?? (DishFigures(menuItemId: r.menuItemId, name: r.name, category: r.category), r.day)
            if r.day >= entry.named { entry.figures.name = r.name; entry.figures.category = r.category; entry.named = r.day }
            if range.contains(r.day) {
                entry.figures.quantity += r.quantity; entry.figures.revenue += r.revenue
            } else {
                entry.figures.previousQuantity += r.quantity; entry.figures.previousRevenue += r.revenue
            }
            byId[r.menuItemId] = entry
        }
        var dishes = byId.values.map(\.figures)
        let shown = DishNames.distinguished(dishes.map { ($0.menuItemId, $0.name, $0.category) })
        for i in dishes.indices { dishes[i].name = shown[dishes[i].menuItemId] ?? dishes[i].name }
        self.dishes = dishes.sorted(by: DishesReport.byQuantity)
    }

    static func byQuantity(_ a: DishFigures, _ b: DishFigures) -> Bool {
        a.quantity != b.quantity ? a.quantity > b.quantity : a.revenue != b.revenue ? a.revenue > b.revenue : a.menuItemId < b.menuItemId
    }

    /// Dishes sold in the period.
    public var sold: [DishFigures] { dishes.filter { $0.quantity > 0 } }

    /// The `limit` dishes with the most portions (ties: more revenue, then lower menu item id).
    public func topByQuantity(_ limit: Int = 10) -> [DishFigures] { Array(sold.prefix(limit)) }

    /// The `limit` dishes with the most revenue (ties: more portions, then lower menu item id).
    public func topByRevenue(_ limit: Int = 10) -> [DishFigures] {
        Array(sold.sorted { a, b in
            a.revenue != b.revenue ? a.revenue > b.revenue : a.quantity != b.quantity ? a.quantity > b.quantity : a.menuItemId < b.menuItemId
        }.prefix(limit))
    }

    /// The biggest rises in portions against the previous period (ties: more portions now, then lower id).
    public func risers(_ limit: Int = 5) -> [DishFigures] {
        Array(dishes.filter { $0.quantityChange > 0 }.sorted { a, b in
            a.quantityChange != b.quantityChange ? a.quantityChange > b.quantityChange : DishesReport.byQuantity(a, b)
        }.prefix(limit))
    }

    /// The biggest falls in portions against the previous period (ties: more portions before, then lower id).
    public func fallers(_ limit: Int = 5) -> [DishFigures] {
        Array(dishes.filter { $0.quantityChange < 0 }.sorted { a, b in
            a.quantityChange != b.quantityChange ? a.quantityChange < b.quantityChange
                : a.previousQuantity != b.previousQuantity ? a.previousQuantity > b.previousQuantity : a.menuItemId < b.menuItemId
        }.prefix(limit))
    }

    public var totalQuantity: Int64 { dishes.reduce(0) { $0 + $1.quantity } }
    public var totalRevenue: Money { dishes.reduce(.zero) { $0 + $1.revenue } }

    /// Categories by revenue in the period (ties: name).
    public var categories: [CategoryFigures] {
        var byName: [String: CategoryFigures] = [:]
        for d in dishes {
            var c = byName[d.category] ?? CategoryFigures(category: d.category, dishes: 0, quantity: 0, revenue: .zero, previousRevenue: .zero)
            if d.quantity > 0 { c.dishes += 1 }
            c.quantity += d.quantity; c.revenue += d.revenue; c.previousRevenue += d.previousRevenue
            byName[d.category] = c
        }
        let total = totalRevenue.hundredths
        return byName.values.map { c in
            var c = c
            c.share = total > 0 ? Double(c.revenue.hundredths) / Double(total) : nil
            return c
        }.filter { $0.quantity > 0 || $0.previousRevenue.hundredths > 0 }
         .sorted { $0.revenue != $1.revenue ? $0.revenue > $1.revenue : $0.category < $1.category }
    }
}

/// Sales by weekday and hour of the shop's clock over a period (README, "Hours"): sums over the period's days.
public struct HoursReport: Sendable {
    public var range: ShopDayRange
    /// `orders[w][h]`, `revenue[w][h]`: weekday w (0 = Monday ... 6 = Sunday), hour h (0-23).
    public var orders: [[Int]]
    public var revenue: [[Money]]

    public init(range: ShopDayRange, rows: [HourlySales]) {
        self.range = range
        orders = Array(repeating: Array(repeating: 0, count: 24), count: 7)
        revenue = Array(repeating: Array(repeating: .zero, count: 24), count: 7)
        for r in rows where range.contains(r.day) && (0..<24).contains(r.hour) {
            orders[r.day.isoWeekday - 1][r.hour] += r.orders
            revenue[r.day.isoWeekday - 1][r.hour] += r.revenue
        }
    }

    public static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// How many days of each weekday the period has (0 = Monday).
    public var daysPerWeekday: [Int] {
        var n = Array(repeating: 0, count: 7)
        for d in range { n[d.isoWeekday - 1] += 1 }
        return n
    }

    /// The weekday and hour with the most sales (earliest on ties), nil without sales.
    public var busiest: (weekday: Int, hour: Int, orders: Int)? {
        var best: (Int, Int, Int)?
        for w in 0..<7 { for h in 0..<24 where orders[w][h] > (best?.2 ?? 0) { best = (w, h, orders[w][h]) } }
        return best
    }

    /// Sales per hour over all weekdays.
    public var ordersByHour: [Int] { (0..<24).map { h in orders.reduce(0) { $0 + $1[h] } } }
}
