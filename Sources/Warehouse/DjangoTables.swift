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
        var n = try ShopTableLoad(
            connection: connection, table: "\(schema).analytics_dailyanalyticssnapshot",
            columns: ["date", "total_orders", "unique_customers", "total_revenue", "total_discount", "average_order_value",
                      "vip_orders", "subscription_orders", "referral_orders", "cash_orders", "mobile_money_orders",
                      "bank_transfer_orders", "card_orders", "vip_discounts_given", "loyalty_discounts_given",
                      "referral_discounts_given"],
            key: ["date"], stampedOnInsert: ["created_at", "updated_at"], stampedOnUpdate: ["updated_at"]
        ).load { w in
            for s in snapshots {
                w.append(s.day.iso); w.append(s.totalOrders); w.append(s.uniqueCustomers)
                w.money(s.totalRevenue); w.money(s.totalDiscount); w.money(s.averageOrderValue)
                w.append(s.vipOrders); w.append(s.subscriptionOrders); w.append(s.referralOrders); w.append(s.cashOrders)
                w.append(s.mobileMoneyOrders); w.append(s.bankTransferOrders); w.append(s.cardOrders)
                w.money(s.vipDiscountsGiven); w.money(s.loyaltyDiscountsGiven); w.money(s.referralDiscountsGiven)
                try w.endRow()
            }
        }

        let streams = ledger.channels.filter { c in
            if DjangoTables.fits(c.amount, precision: 12) { return true }
            problems.append(RejectedRow(source: "analytics_revenuestream", sourceId: "\(c.day.iso)/\(c.channel.rawValue)", day: c.day,
                                        rejection: Rejection(.valueTooWide, "amount \(c.amount.decimalString) does not fit numeric(12,2)"),
                                        raw: c.day.iso))
            return false
        }
        let streamTable = "\(schema).analytics_revenuestream"
        // Channels this project does not write (a name the shop may have used before) are removed for the range,
        // so the range holds exactly the seven channels.
        try connection.execute("DELETE FROM \(streamTable) WHERE date BETWEEN $1::date AND $2::date AND channel <> ALL($3::text[])",
                               [ledger.range.first.iso, ledger.range.last.iso, "{" + RevenueChannel.allCases.map(\.rawValue).joined(separator: ",") + "}"])
        n += try ShopTableLoad(connection: connection, table: streamTable, columns: ["date", "channel", "amount", "transaction_count"],
                               key: ["date", "channel"], stampedOnInsert: ["created_at", "updated_at"], stampedOnUpdate: ["updated_at"]
        ).load { w in
            for c in streams {
                w.append(c.day.iso); w.append(c.channel.rawValue); w.money(c.amount); w.append(c.transactions)
                try w.endRow()
            }
        }
        return (n, problems)
    }

    /// Whether an amount fits numeric(precision, 2).
    static func fits(_ m: Money, precision: Int) -> Bool {
        var limit: Int64 = 1
        for _ in 0..<precision { limit *= 10 }
        return m.hundredths.magnitude < UInt64(limit)
    }
}
