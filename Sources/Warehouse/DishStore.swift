import Analytics
import Postgres
import Shop

/// Reads `analytics.item_sales` and `analytics.hourly_sales` back for the reports (Dishes, Hours, the kitchen plan).
/// The job writes them with the daily figures (`AnalyticsStore`).
public struct DishStore {
    private let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// Item rows of a range, in day then menu item order.
    public func itemSales(_ r: ShopDayRange) throws -> [ItemSales] {
        try AnalyticsStore.itemSales.read(on: connection, "WHERE day BETWEEN $1::date AND $2::date ORDER BY day, menu_item_id", [r.first.iso, r.last.iso])
    }

    /// Hour rows of a range.
    public func hourlySales(_ r: ShopDayRange) throws -> [HourlySales] {
        try AnalyticsStore.hourlySales.read(on: connection, "WHERE day BETWEEN $1::date AND $2::date ORDER BY day, hour", [r.first.iso, r.last.iso])
    }

    /// The days of a range that were computed (have a daily snapshot).
    public func computedDays(_ r: ShopDayRange) throws -> Set<ShopDay> {
        let table = AnalyticsStore.dailySnapshot
        let result = try connection.execute("SELECT day FROM \(table.name) WHERE day BETWEEN $1::date AND $2::date", [r.first.iso, r.last.iso])
        return Set(try table.stored(result).map { try $0("day") })
    }

    /// The Dishes section: the period against the one before it.
    public func dishes(_ range: ShopDayRange, previous: ShopDayRange) throws -> DishesReport {
        let rows = try itemSales(ShopDayRange(min(range.first, previous.first), max(range.last, previous.last)))
        return DishesReport(range: range, previousRange: previous, rows: rows)
    }

    /// The Hours section.
    public func hours(_ range: ShopDayRange) throws -> HoursReport { HoursReport(range: range, rows: try hourlySales(range)) }

    /// The kitchen plan for the report's day.
    public func kitchenPlan(day: ShopDay) throws -> KitchenPlan {
        let r = KitchenPlan.daysNeeded(for: day)
        return KitchenPlan(day: day, rows: try itemSales(r), computed: try computedDays(r))
    }
}
