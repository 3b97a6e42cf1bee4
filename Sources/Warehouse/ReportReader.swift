import Analytics
import Postgres
import Shop

/// Reads report data back from `analytics.*` (no extract), so any past period can be re-rendered.
public struct ReportReader {
    private let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// What a report asks for.
    public struct Request: Sendable {
        public var name: String
        public var title: String
        public var period: ShopPeriod
        /// Any day inside the period.
        public var day: ShopDay
        public var trendDays: Int
        public var targets: [KPITarget]
        public var timeZone: String
        /// A range chosen by hand (`report --from --to`), instead of the period containing `day`: compared with the
        /// same number of days just before it and 364 days earlier. A single day is reported as a day.
        public var range: ShopDayRange?

        public init(name: String, title: String, period: ShopPeriod, day: ShopDay, trendDays: Int, targets: [KPITarget], timeZone: String,
                    range: ShopDayRange? = nil) {
            self.name = name; self.title = title; self.period = period; self.day = day; self.trendDays = trendDays
            self.targets = targets; self.timeZone = timeZone; self.range = range
        }
    }

    public func report(_ q: Request) throws -> PeriodReport {
        var q = q
        if let chosen = q.range {
            q.period = chosen.count == 1 ? .day : .range
            q.day = chosen.first
        }
        let range = q.range ?? q.period.range(containing: q.day)
        let compared = ComparisonKind.kinds(for: q.period).map { ($0, $0.range(comparedWith: range, period: q.period)) }
        let trendRange = ShopDayRange(range.last.advanced(by: -(max(q.trendDays, range.count) - 1)), range.last)
        let from = compared.map(\.1.first).reduce(trendRange.first, min)
        let byDay = try snapshots(from: from, to: range.last)
        let all = Array(byDay.values)
        func totals(_ r: ShopDayRange) throws -> PeriodTotals {
            PeriodTotals(range: r, snapshots: all, uniqueCustomers: try distinctCustomers(r))
        }
        let trend = trendRange.map { byDay[$0] ?? DailySnapshot(day: $0) }

        var top: [TopCustomer] = []
        if q.period == .day {
            top = try AnalyticsStore.topCustomers.read(on: connection, "WHERE day = $1::date ORDER BY rank", [range.first.iso])
        }
        let rejected = AnalyticsStore.rejectedRows
        let rj = try rejected.stored(connection.execute("""
            SELECT source, reason, count(*) AS rows FROM \(rejected.name) WHERE day BETWEEN $1::date AND $2::date
            GROUP BY source, reason ORDER BY count(*) DESC, source, reason
            """, [range.first.iso, range.last.iso])).map { r in
            RejectedCount(source: try r("source"), reason: try r("reason"), count: try r("rows"))
        }

        return PeriodReport(
            name: q.name, title: q.title, period: q.period, range: range, timeZone: q.timeZone,
            current: try totals(range),
            comparisons: try compared.map { kind, r in
                PeriodComparison(kind: kind, period: q.period, current: range, totals: try totals(r), channels: try channels(r))
            },
            trend: trend, channels: try channels(range), payments: try payments(range),
            discountFigures: try discounts(range), topCustomers: top,
            rejected: rj,
            targets: q.targets,
            trendUncomputed: Set(trendRange.filter { byDay[$0] == nil }))
    }

    /// Distinct customers with a sale in the range, exact.
    public func distinctCustomers(_ r: ShopDayRange) throws -> Int {
        let table = AnalyticsStore.dailyCustomers
        return try table.stored(connection.execute("""
            SELECT count(DISTINCT c) AS customers FROM \(table.name) d, unnest(d.customer_ids) c
            WHERE d.day BETWEEN $1::date AND $2::date
            """, [r.first.iso, r.last.iso]))[0]("customers")
    }

    /// Revenue per day for the `days` days ending with `last` (zero where never computed): the JSON endpoint.
    public func dailyRevenue(days: Int, endingWith last: ShopDay) throws -> [DailySnapshot] {
        let r = ShopDayRange(last.advanced(by: -(days - 1)), last)
        let byDay = try snapshots(from: r.first, to: r.last)
        return r.map { byDay[$0] ?? DailySnapshot(day: $0) }
    }

    private func channels(_ r: ShopDayRange) throws -> [ChannelRevenue] {
        let found = try sums(AnalyticsStore.revenueByChannel, key: "channel", count: "transactions", r)
        return RevenueChannel.allCases.map {
            ChannelRevenue(day: r.last, channel: $0, amount: found[$0.rawValue]?.amount ?? .zero, transactions: found[$0.rawValue]?.count ?? 0)
        }
    }

    private func payments(_ r: ShopDayRange) throws -> [PaymentMethodFigures] {
        let found = try sums(AnalyticsStore.paymentMethods, key: "payment_method", count: "orders", r)
        return PaymentMethod.allCases.map {
            PaymentMethodFigures(day: r.last, method: $0, orders: found[$0.rawValue]?.count ?? 0, amount: found[$0.rawValue]?.amount ?? .zero)
        }
    }

    private func discounts(_ r: ShopDayRange) throws -> [DiscountFigures] {
        let found = try sums(AnalyticsStore.discountFigures, key: "kind", count: "orders", r)
        return DiscountKind.allCases.map {
            DiscountFigures(day: r.last, kind: $0, orders: found[$0.rawValue]?.count ?? 0, amount: found[$0.rawValue]?.amount ?? .zero)
        }
    }

    /// Per key of a day-keyed breakdown table, the range's total count and amount. `key` and `count` are columns of
    /// `table`.
    private func sums<Row>(_ table: WarehouseTable<Row>, key: String, count: String, _ r: ShopDayRange) throws -> [String: (count: Int, amount: Money)] {
        let rows = try table.stored(connection.execute("""
            SELECT \(key), sum(\(count)) AS \(count), sum(amount) AS amount FROM \(table.name)
            WHERE day BETWEEN $1::date AND $2::date GROUP BY \(key)
            """, [r.first.iso, r.last.iso]))
        var out: [String: (count: Int, amount: Money)] = [:]
        for c in rows { out[try c(key, as: String.self)] = (try c(count), try c("amount")) }
        return out
    }

    /// Snapshots of a range, by day; days never computed are absent.
    public func snapshots(from first: ShopDay, to last: ShopDay) throws -> [ShopDay: DailySnapshot] {
        let rows = try AnalyticsStore.dailySnapshot.read(on: connection, "WHERE day BETWEEN $1::date AND $2::date ORDER BY day", [first.iso, last.iso])
        return Dictionary(rows.map { ($0.day, $0) }, uniquingKeysWith: { a, _ in a })
    }
}
