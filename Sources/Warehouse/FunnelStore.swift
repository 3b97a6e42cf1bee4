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
            for table in ["funnel_daily", "funnel_gap", "page_views"] {
                deletes.append(SQLStatement("DELETE FROM analytics.\(table) WHERE day BETWEEN $1::date AND $2::date", [range.first.iso, range.last.iso]))
            }
            deletes.append(SQLStatement("DELETE FROM analytics.rejected_rows WHERE day IS NULL AND source IN ('analytics_conversionevent', 'analytics_pageviewanalytics')"))
        }
        var funnel = CopyRows(), gapRows = CopyRows(), pageRows = CopyRows()
        for d in days {
            var w = CopyRows()
            w.append(d.day.iso); w.append(d.userType.rawValue); w.append(d.sessions)
            for k in 0..<4 { w.append(d.reached[k]) }
            w.append(d.subscribed); w.append(d.referralClicks); w.append(d.skippedSteps); w.append(runId)
            try w.endRow()
            funnel.append(contentsOf: w)
        }
        for g in gaps {
            var w = CopyRows()
            w.append(g.day.iso); w.append(g.ordersPlaced); w.append(g.completeOrderSessions); w.append(g.ordersWithoutEvent)
            w.append(g.sessionsWithoutOrder); w.append(runId)
            try w.endRow()
            gapRows.append(contentsOf: w)
        }
        for p in pages {
            var w = CopyRows()
            w.append(p.day.iso); w.append(p.page); w.append(p.views); w.append(p.uniqueVisitors); w.append(runId)
            try w.endRow()
            pageRows.append(contentsOf: w)
        }
        return TableChanges(deletes: deletes, writes: [
            TableWrite(table: "analytics.funnel_daily", columns: ["day", "user_type", "sessions", "view_menu", "add_to_cart", "start_checkout",
                                                                 "complete_order", "subscribe", "referral_click", "skipped_steps", "run_id"],
                       rows: funnel),
            TableWrite(table: "analytics.funnel_gap", columns: ["day", "orders_placed", "complete_order_sessions", "orders_without_event",
                                                               "sessions_without_order", "run_id"], rows: gapRows),
            TableWrite(table: "analytics.page_views", columns: ["day", "page_name", "views", "unique_visitors", "run_id"], rows: pageRows),
        ])
    }

    // MARK: reading for the report

    /// The Funnel section for a period (one day for the daily report), with the 30 days ending on its last day (or
    /// the period itself when it is longer).
    public func report(for period: ShopDayRange) throws -> FunnelReport {
        let day = period.last
        let first = min(period.first, day.advanced(by: -(FunnelReport.windowDays - 1)))
        let r = try connection.execute("""
            SELECT day, user_type, sessions, view_menu, add_to_cart, start_checkout, complete_order, subscribe, referral_click, skipped_steps
            FROM analytics.funnel_daily WHERE day BETWEEN $1::date AND $2::date ORDER BY day, user_type
            """, [first.iso, day.iso])
        var rows: [FunnelDay] = []
        for c in r.rows {
            guard let d = ShopDay(iso: c[0] ?? ""), let t = FunnelUserType(rawValue: c[1] ?? "") else { continue }
            func i(_ k: Int) -> Int { Int(c[k] ?? "") ?? 0 }
            var f = FunnelDay(day: d, userType: t)
            f.sessions = i(2); f.reached = [i(3), i(4), i(5), i(6)]
            f.subscribed = i(7); f.referralClicks = i(8); f.skippedSteps = i(9)
            rows.append(f)
        }
        let today = FunnelUserType.allCases.map { t in
            rows.filter { $0.userType == t && period.contains($0.day) }.reduce(into: FunnelDay(day: day, userType: t)) { $0.add($1) }
        }
        let window = FunnelUserType.allCases.map { t in
            rows.filter { $0.userType == t }.reduce(into: FunnelDay(day: day, userType: t)) { $0.add($1) }
        }
        let trend = ShopDayRange(first, day).map { d in rows.first { $0.day == d && $0.userType == .all } ?? FunnelDay(day: d, userType: .all) }

        let g = try connection.execute("""
            SELECT day, orders_placed, complete_order_sessions, orders_without_event, sessions_without_order
            FROM analytics.funnel_gap WHERE day BETWEEN $1::date AND $2::date
            """, [first.iso, day.iso])
        var gapToday = FunnelGap(day: day), gapWindow = FunnelGap(day: day)
        for c in g.rows {
            var x = FunnelGap(day: ShopDay(iso: c[0] ?? "") ?? day)
            x.ordersPlaced = Int(c[1] ?? "") ?? 0; x.completeOrderSessions = Int(c[2] ?? "") ?? 0
            x.ordersWithoutEvent = Int(c[3] ?? "") ?? 0; x.sessionsWithoutOrder = Int(c[4] ?? "") ?? 0
            gapWindow.add(x)
            if period.contains(x.day) { gapToday.add(x) }
        }
        let p = try connection.execute("""
            SELECT page_name, sum(views), sum(unique_visitors) FROM analytics.page_views WHERE day BETWEEN $1::date AND $2::date
            GROUP BY page_name ORDER BY sum(views) DESC, page_name
            """, [period.first.iso, day.iso])
        let pages = p.rows.map { PageViews(day: day, page: $0[0] ?? "", views: Int($0[1] ?? "") ?? 0, uniqueVisitors: Int($0[2] ?? "") ?? 0) }
        return FunnelReport(period: period, today: today, window: window, trend: trend, gapToday: gapToday, gapWindow: gapWindow, pages: pages)
    }
}
