import Analytics
import Postgres
import Shop

/// Funnel and traffic tables: `analytics.funnel_daily`, `analytics.funnel_gap` and `analytics.page_views`, replaced
/// day range by day range; and the report's reader. Writers expect the caller's transaction.
public struct FunnelStore {
    private let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// The funnel tables' changes for the day `ranges`: their rows (and this area's undated rejected rows, which the
    /// day-range delete does not cover) are deleted, then the computed days written.
    public static func changes(ranges: [ShopDayRange], days: [FunnelDay], gaps: [FunnelGap], pages: [PageViews],
                               runId: Int64) throws -> TableChanges {
        var deletes: [SQLStatement] = []
        for range in ranges {
            for table in [funnelDaily.name, funnelGap.name, pageViews.name] {
                deletes.append(SQLStatement("DELETE FROM \(table) WHERE day BETWEEN $1::date AND $2::date", [range.first.iso, range.last.iso]))
            }
            deletes.append(SQLStatement("DELETE FROM analytics.rejected_rows WHERE day IS NULL AND source IN ('analytics_conversionevent', 'analytics_pageviewanalytics')"))
        }
        return TableChanges(deletes: deletes, writes: [
            try FunnelStore.funnelDaily.write(days, stamps: [runId]),
            try FunnelStore.funnelGap.write(gaps, stamps: [runId]),
            try FunnelStore.pageViews.write(pages, stamps: [runId]),
        ])
    }

    // MARK: the tables

    /// Sessions per day and user type, and how many reached each step (README, "Funnel and traffic").
    public static let funnelDaily = WarehouseTable<FunnelDay>(
        "analytics.funnel_daily", blank: { FunnelDay(day: ShopDay(epochDay: 0), userType: .all) }, [
            Column("day", \.day), Column("user_type", \.userType), Column("sessions", \.sessions),
            Column("view_menu", \.reached[0]), Column("add_to_cart", \.reached[1]), Column("start_checkout", \.reached[2]),
            Column("complete_order", \.reached[3]), Column("subscribe", \.subscribed), Column("referral_click", \.referralClicks),
            Column("skipped_steps", \.skippedSteps),
        ])

    public static let funnelGap = WarehouseTable<FunnelGap>("analytics.funnel_gap", blank: { FunnelGap(day: ShopDay(epochDay: 0)) }, [
        Column("day", \.day), Column("orders_placed", \.ordersPlaced), Column("complete_order_sessions", \.completeOrderSessions),
        Column("orders_without_event", \.ordersWithoutEvent), Column("sessions_without_order", \.sessionsWithoutOrder),
    ])

    public static let pageViews = WarehouseTable<PageViews>("analytics.page_views", [
        Column("day", \.day), Column("page_name", \.page), Column("views", \.views), Column("unique_visitors", \.uniqueVisitors),
    ])

    // MARK: reading for the report

    /// The Funnel section for a period (one day for the daily report), with the 30 days ending on its last day (or
    /// the period itself when it is longer).
    public func report(for period: ShopDayRange) throws -> FunnelReport {
        let day = period.last
        let first = min(period.first, day.advanced(by: -(FunnelReport.windowDays - 1)))
        let rows = try FunnelStore.funnelDaily.read(on: connection, "WHERE day BETWEEN $1::date AND $2::date ORDER BY day, user_type",
                                                    [first.iso, day.iso])
        let today = FunnelUserType.allCases.map { t in
            rows.filter { $0.userType == t && period.contains($0.day) }.reduce(into: FunnelDay(day: day, userType: t)) { $0.add($1) }
        }
        let window = FunnelUserType.allCases.map { t in
            rows.filter { $0.userType == t }.reduce(into: FunnelDay(day: day, userType: t)) { $0.add($1) }
        }
        let trend = ShopDayRange(first, day).map { d in rows.first { $0.day == d && $0.userType == .all } ?? FunnelDay(day: d, userType: .all) }

        var gapToday = FunnelGap(day: day), gapWindow = FunnelGap(day: day)
        for x in try FunnelStore.funnelGap.read(on: connection, "WHERE day BETWEEN $1::date AND $2::date", [first.iso, day.iso]) {
            gapWindow.add(x)
            if period.contains(x.day) { gapToday.add(x) }
        }
        let table = FunnelStore.pageViews
        let pages = try table.stored(connection.execute("""
            SELECT page_name, sum(views) AS views, sum(unique_visitors) AS unique_visitors FROM \(table.name)
            WHERE day BETWEEN $1::date AND $2::date GROUP BY page_name ORDER BY sum(views) DESC, page_name
            """, [period.first.iso, day.iso])).map { r in
            PageViews(day: day, page: try r("page_name"), views: try r("views"), uniqueVisitors: try r("unique_visitors"))
        }
        return FunnelReport(period: period, today: today, window: window, trend: trend, gapToday: gapToday, gapWindow: gapWindow, pages: pages)
    }
}
extension FunnelUserType: StoredWord {}
