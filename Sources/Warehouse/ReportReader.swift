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
            let tc = try connection.execute("""
                SELECT rank, user_id, customer_name, sales, revenue FROM analytics.top_customers WHERE day = $1::date ORDER BY rank
                """, [range.first.iso])
            top = tc.rows.map {
                TopCustomer(day: range.first, rank: Int($0[0] ?? "") ?? 0, userId: Int64($0[1] ?? "") ?? 0, name: $0[2] ?? "",
                            sales: Int($0[3] ?? "") ?? 0, revenue: money($0[4]))
            }
        }
        let rj = try connection.execute("""
            SELECT source, reason, count(*) FROM analytics.rejected_rows WHERE day BETWEEN $1::date AND $2::date
            GROUP BY source, reason ORDER BY count(*) DESC, source, reason
            """, [range.first.iso, range.last.iso])

        return PeriodReport(
            name: q.name, title: q.title, period: q.period, range: range, timeZone: q.timeZone,
            current: try totals(range),
            comparisons: try compared.map { kind, r in
                PeriodComparison(kind: kind, period: q.period, current: range, totals: try totals(r), channels: try channels(r))
            },
            trend: trend, channels: try channels(range), payments: try payments(range),
            discountFigures: try discounts(range), topCustomers: top,
            rejected: rj.rows.map { RejectedCount(source: $0[0] ?? "", reason: $0[1] ?? "", count: Int($0[2] ?? "") ?? 0) },
            targets: q.targets)
    }

    /// Distinct customers with a sale in the range, exact.
    public func distinctCustomers(_ r: ShopDayRange) throws -> Int {
        Int(try connection.scalar("""
            SELECT count(DISTINCT c) FROM analytics.daily_customers d, unnest(d.customer_ids) c
            WHERE d.day BETWEEN $1::date AND $2::date
            """, [r.first.iso, r.last.iso]) ?? "0") ?? 0
    }

    /// Revenue per day for the `days` days ending with `last` (zero where never computed): the JSON endpoint.
    public func dailyRevenue(days: Int, endingWith last: ShopDay) throws -> [DailySnapshot] {
        let r = ShopDayRange(last.advanced(by: -(days - 1)), last)
        let byDay = try snapshots(from: r.first, to: r.last)
        return r.map { byDay[$0] ?? DailySnapshot(day: $0) }
    }

    private func channels(_ r: ShopDayRange) throws -> [ChannelRevenue] {
        let found = try sums("revenue_by_channel", key: "channel", count: "transactions", r)
        return RevenueChannel.allCases.map {
            ChannelRevenue(day: r.last, channel: $0, amount: found[$0.rawValue]?.amount ?? .zero, transactions: found[$0.rawValue]?.count ?? 0)
        }
    }

    private func payments(_ r: ShopDayRange) throws -> [PaymentMethodFigures] {
        let found = try sums("payment_methods", key: "payment_method", count: "orders", r)
        return PaymentMethod.allCases.map {
            PaymentMethodFigures(day: r.last, method: $0, orders: found[$0.rawValue]?.count ?? 0, amount: found[$0.rawValue]?.amount ?? .zero)
        }
    }

    private func discounts(_ r: ShopDayRange) throws -> [DiscountFigures] {
        let found = try sums("discounts", key: "kind", count: "orders", r)
        return DiscountKind.allCases.map {
            DiscountFigures(day: r.last, kind: $0, orders: found[$0.rawValue]?.count ?? 0, amount: found[$0.rawValue]?.amount ?? .zero)
        }
    }

    /// Per key of a day-keyed breakdown table, the range's total count and amount. Names are this file's constants.
    private func sums(_ table: String, key: String, count: String, _ r: ShopDayRange) throws -> [String: (count: Int, amount: Money)] {
        let rows = try connection.execute("""
            SELECT \(key), sum(\(count)), sum(amount) FROM analytics.\(table)
            WHERE day BETWEEN $1::date AND $2::date GROUP BY \(key)
            """, [r.first.iso, r.last.iso])
        var out: [String: (count: Int, amount: Money)] = [:]
        for c in rows.rows { out[c[0] ?? ""] = (Int(c[1] ?? "") ?? 0, money(c[2])) }
        return out
    }

    /// Snapshots of a range, by day; days never computed are absent.
    public func snapshots(from first: ShopDay, to last: ShopDay) throws -> [ShopDay: DailySnapshot] {
        let r = try connection.execute("""
            SELECT day, total_orders, unique_customers, total_revenue, total_discount, average_order_value, vip_orders,
                   subscription_orders, referral_orders, cash_orders, mobile_money_orders, bank_transfer_orders, card_orders,
                   vip_discounts_given, loyalty_discounts_given, referral_discounts_given, gross_sales, delivery_charges,
                   coupon_discounts_given, corporate_discounts_given, items_sold, orders_placed, cancelled_orders,
                   refunded_orders, refunded_order_value, refunds_completed, refund_amount, late_deliveries
            FROM analytics.daily_snapshot WHERE day BETWEEN $1::date AND $2::date ORDER BY day
            """, [first.iso, last.iso])
        var out: [ShopDay: DailySnapshot] = [:]
        for c in r.rows {
            guard let d = ShopDay(iso: c[0] ?? "") else { continue }
            func i(_ k: Int) -> Int { Int(c[k] ?? "") ?? 0 }
            func m(_ k: Int) -> Money { money(c[k]) }
            var s = DailySnapshot(day: d)
            s.totalOrders = i(1); s.uniqueCustomers = i(2); s.totalRevenue = m(3); s.totalDiscount = m(4)
            s.averageOrderValue = m(5); s.vipOrders = i(6); s.subscriptionOrders = i(7); s.referralOrders = i(8)
            s.cashOrders = i(9); s.mobileMoneyOrders = i(10); s.bankTransferOrders = i(11); s.cardOrders = i(12)
            s.vipDiscountsGiven = m(13); s.loyaltyDiscountsGiven = m(14); s.referralDiscountsGiven = m(15)
            s.grossSales = m(16); s.deliveryCharges = m(17); s.couponDiscountsGiven = m(18); s.corporateDiscountsGiven = m(19)
            s.itemsSold = Int64(i(20)); s.ordersPlaced = i(21); s.cancelledOrders = i(22); s.refundedOrders = i(23)
            s.refundedOrderValue = m(24); s.refundsCompleted = i(25); s.refundAmount = m(26); s.lateDeliveries = i(27)
            out[d] = s
        }
        return out
    }

    private func money(_ text: String?) -> Money { text.flatMap { Money(decimal: $0) } ?? .zero }
}
