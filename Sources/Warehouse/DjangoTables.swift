import Analytics
import Postgres
import Shop

/// The shop's own analytics tables, `analytics_dailyanalyticssnapshot` and `analytics_revenuestream`, as its Django
/// migrations made them. Rows are upserted on their unique keys (date; date + channel), so the ids the shop's admin
/// shows stay stable and nothing is ever duplicated. Call inside the load transaction.
public struct DjangoTables {
    private let connection: Connection
    private let schema: String

    /// - Parameter schema: where the shop's tables live (`public` in the shop's database).
    public init(connection: Connection, schema: String = "public") {
        self.connection = connection
        self.schema = schema
    }

    /// Values that do not fit the shop's narrower columns (numeric(12,2), numeric(10,2)) are not written: the day is
    /// returned as a problem instead, so the run reports it rather than failing.
    public func write(_ ledger: DailyLedger) throws -> (written: Int, problems: [RejectedRow]) {
        var problems: [RejectedRow] = []
        let snapshots = ledger.snapshots.filter { s in
            let wide: [(String, Money, Int)] = [("total_revenue", s.totalRevenue, 12), ("total_discount", s.totalDiscount, 12),
                                                ("average_order_value", s.averageOrderValue, 10),
                                                ("vip_discounts_given", s.vipDiscountsGiven, 12),
                                                ("loyalty_discounts_given", s.loyaltyDiscountsGiven, 12),
                                                ("referral_discounts_given", s.referralDiscountsGiven, 12)]
            if let bad = wide.first(where: { !DjangoTables.fits($0.1, precision: $0.2) }) {
                problems.append(RejectedRow(source: "analytics_dailyanalyticssnapshot", sourceId: s.day.iso, day: s.day,
                                            rejection: Rejection(.valueTooWide, "\(bad.0) = \(bad.1.decimalString) does not fit numeric(\(bad.2),2); the day was not written to the shop's table"),
                                            raw: s.day.iso))
                return false
            }
            return true
        }
        let table = "\(schema).analytics_dailyanalyticssnapshot"
        try connection.execute("CREATE TEMP TABLE IF NOT EXISTS django_snapshot_load (LIKE \(table)) ON COMMIT DROP")
        try connection.execute("TRUNCATE django_snapshot_load")
        var n = try connection.copyIn("""
            COPY django_snapshot_load (id, date, total_orders, unique_customers, total_revenue, total_discount, average_order_value,
              vip_orders, subscription_orders, referral_orders, cash_orders, mobile_money_orders, bank_transfer_orders,
              card_orders, vip_discounts_given, loyalty_discounts_given, referral_discounts_given, created_at, updated_at) FROM STDIN
            """) { w in
            for s in snapshots {
                w.append(0 as Int64); w.append(s.day.iso); w.append(s.totalOrders); w.append(s.uniqueCustomers)
                w.money(s.totalRevenue); w.money(s.totalDiscount); w.money(s.averageOrderValue)
                w.append(s.vipOrders); w.append(s.subscriptionOrders); w.append(s.referralOrders); w.append(s.cashOrders)
                w.append(s.mobileMoneyOrders); w.append(s.bankTransferOrders); w.append(s.cardOrders)
                w.money(s.vipDiscountsGiven); w.money(s.loyaltyDiscountsGiven); w.money(s.referralDiscountsGiven)
                w.append("now"); w.append("now")
                try w.endRow()
            }
        }
        try connection.execute("""
            INSERT INTO \(table) (date, total_orders, unique_customers, total_revenue, total_discount, average_order_value,
              vip_orders, subscription_orders, referral_orders, cash_orders, mobile_money_orders, bank_transfer_orders,
              card_orders, vip_discounts_given, loyalty_discounts_given, referral_discounts_given, created_at, updated_at)
            SELECT date, total_orders, unique_customers, total_revenue, total_discount, average_order_value,
              vip_orders, subscription_orders, referral_orders, cash_orders, mobile_money_orders, bank_transfer_orders,
              card_orders, vip_discounts_given, loyalty_discounts_given, referral_discounts_given, now(), now()
            FROM django_snapshot_load
            ON CONFLICT (date) DO UPDATE SET total_orders = EXCLUDED.total_orders, unique_customers = EXCLUDED.unique_customers,
              total_revenue = EXCLUDED.total_revenue, total_discount = EXCLUDED.total_discount,
              average_order_value = EXCLUDED.average_order_value, vip_orders = EXCLUDED.vip_orders,
              subscription_orders = EXCLUDED.subscription_orders, referral_orders = EXCLUDED.referral_orders,
              cash_orders = EXCLUDED.cash_orders, mobile_money_orders = EXCLUDED.mobile_money_orders,
              bank_transfer_orders = EXCLUDED.bank_transfer_orders, card_orders = EXCLUDED.card_orders,
              vip_discounts_given = EXCLUDED.vip_discounts_given, loyalty_discounts_given = EXCLUDED.loyalty_discounts_given,
              referral_discounts_given = EXCLUDED.referral_discounts_given, updated_at = now()
            """)

        let streams = ledger.channels.filter { c in
            if DjangoTables.fits(c.amount, precision: 12) { return true }
            problems.append(RejectedRow(source: "analytics_revenuestream", sourceId: "\(c.day.iso)/\(c.channel.rawValue)", day: c.day,
                                        rejection: Rejection(.valueTooWide, "amount \(c.amount.decimalString) does not fit numeric(12,2)"),
                                        raw: c.day.iso))
            return false
        }
        let streamTable = "\(schema).analytics_revenuestream"
        try connection.execute("CREATE TEMP TABLE IF NOT EXISTS django_stream_load (LIKE \(streamTable)) ON COMMIT DROP")
        try connection.execute("TRUNCATE django_stream_load")
        n += try connection.copyIn("COPY django_stream_load (id, date, channel, amount, transaction_count, created_at, updated_at) FROM STDIN") { w in
            for c in streams {
                w.append(0 as Int64); w.append(c.day.iso); w.append(c.channel.rawValue); w.money(c.amount); w.append(c.transactions)
                w.append("now"); w.append("now")
                try w.endRow()
            }
        }
        // Channels this project does not write (a name the shop may have used before) are removed for the range,
        // so the range holds exactly the seven channels.
        try connection.execute("DELETE FROM \(streamTable) WHERE date BETWEEN $1::date AND $2::date AND channel <> ALL($3::text[])",
                               [ledger.range.first.iso, ledger.range.last.iso, "{" + RevenueChannel.allCases.map(\.rawValue).joined(separator: ",") + "}"])
        try connection.execute("""
            INSERT INTO \(streamTable) (date, channel, amount, transaction_count, created_at, updated_at)
            SELECT date, channel, amount, transaction_count, now(), now() FROM django_stream_load
            ON CONFLICT (date, channel) DO UPDATE SET amount = EXCLUDED.amount,
              transaction_count = EXCLUDED.transaction_count, updated_at = now()
            """)
        return (n, problems)
    }

    /// Whether an amount fits numeric(precision, 2).
    static func fits(_ m: Money, precision: Int) -> Bool {
        var limit: Int64 = 1
        for _ in 0..<precision { limit *= 10 }
        return m.hundredths.magnitude < UInt64(limit)
    }
}
