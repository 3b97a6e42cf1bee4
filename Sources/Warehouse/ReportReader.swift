import Analytics
import Postgres
import Shop

/// Reads report data back from `analytics.*` (no extract), so any past day can be re-rendered.
public struct ReportReader {
    private let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// The daily report for `day`, with the 30 days ending on it.
    public func daily(for day: ShopDay, timeZone: String) throws -> DailyReport {
        let first = day.advanced(by: -29)
        let byDay = try snapshots(from: min(first, day.advanced(by: -7)), to: day)
        func snap(_ d: ShopDay) -> DailySnapshot { byDay[d] ?? DailySnapshot(day: d) }
        let trend = ShopDayRange(first, day).map(snap)

        let ch = try connection.execute("SELECT channel, amount, transactions FROM analytics.revenue_by_channel WHERE day = $1::date", [day.iso])
        var channelRows: [RevenueChannel: ChannelRevenue] = [:]
        for r in ch.rows {
            guard let c = RevenueChannel(rawValue: r[0] ?? "") else { continue }
            channelRows[c] = ChannelRevenue(day: day, channel: c, amount: money(r[1]), transactions: Int(r[2] ?? "") ?? 0)
        }
        let channels = RevenueChannel.allCases.map { channelRows[$0] ?? ChannelRevenue(day: day, channel: $0, amount: .zero, transactions: 0) }

        let pm = try connection.execute("SELECT payment_method, orders, amount FROM analytics.payment_methods WHERE day = $1::date", [day.iso])
        var methodRows: [PaymentMethod: PaymentMethodFigures] = [:]
        for r in pm.rows {
            guard let m = PaymentMethod(rawValue: r[0] ?? "") else { continue }
            methodRows[m] = PaymentMethodFigures(day: day, method: m, orders: Int(r[1] ?? "") ?? 0, amount: money(r[2]))
        }
        let payments = PaymentMethod.allCases.map { methodRows[$0] ?? PaymentMethodFigures(day: day, method: $0, orders: 0, amount: .zero) }

        let dc = try connection.execute("SELECT kind, orders, amount FROM analytics.discounts WHERE day = $1::date", [day.iso])
        var kindRows: [DiscountKind: DiscountFigures] = [:]
        for r in dc.rows {
            guard let k = DiscountKind(rawValue: r[0] ?? "") else { continue }
            kindRows[k] = DiscountFigures(day: day, kind: k, orders: Int(r[1] ?? "") ?? 0, amount: money(r[2]))
        }
        let discounts = DiscountKind.allCases.map { kindRows[$0] ?? DiscountFigures(day: day, kind: $0, orders: 0, amount: .zero) }

        let rj = try connection.execute("""
            SELECT source, reason, count(*) FROM analytics.rejected_rows WHERE day = $1::date
            GROUP BY source, reason ORDER BY count(*) DESC, source, reason
            """, [day.iso])
        let rejected = rj.rows.map { RejectedCount(source: $0[0] ?? "", reason: $0[1] ?? "", count: Int($0[2] ?? "") ?? 0) }
        let window = Int(try connection.scalar("SELECT count(*) FROM analytics.rejected_rows WHERE day BETWEEN $1::date AND $2::date",
                                               [first.iso, day.iso]) ?? "0") ?? 0

        let tc = try connection.execute("""
            SELECT rank, user_id, customer_name, sales, revenue FROM analytics.top_customers WHERE day = $1::date ORDER BY rank
            """, [day.iso])
        var report = DailyReport(day: day, timeZone: timeZone, today: snap(day), previousDay: snap(day.advanced(by: -1)),
                                 sameDayLastWeek: snap(day.advanced(by: -7)), trend: trend, channels: channels, payments: payments,
                                 discounts: discounts, rejected: rejected, rejectedInWindow: window)
        report.topCustomers = tc.rows.map {
            TopCustomer(day: day, rank: Int($0[0] ?? "") ?? 0, userId: Int64($0[1] ?? "") ?? 0, name: $0[2] ?? "",
                        sales: Int($0[3] ?? "") ?? 0, revenue: money($0[4]))
        }
        return report
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
