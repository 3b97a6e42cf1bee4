import Analytics
import Postgres
import Shop

/// The shop's own analytics tables, `analytics_dailyanalyticssnapshot` and `analytics_revenuestream`, as its Django
/// migrations made them. Rows are upserted on their unique keys (date; date + channel), so the ids the shop's admin
/// shows stay stable and nothing is ever duplicated.
public enum DjangoTables {
    /// The ledgers' days for the shop's tables in `schema` (`public` in the shop's database). Values that do not fit
    /// the shop's narrower columns (numeric(12,2), numeric(10,2)) are not written: the day comes back as a problem
    /// instead, so the run reports it rather than failing.
    public static func changes(_ ledgers: [DailyLedger], schema: String = "public") throws -> TableChanges {
        var problems: [RejectedRow] = []
        var deletes: [SQLStatement] = []
        var snapshotRows = CopyRows(), streamRows = CopyRows()
        let streamTable = "\(schema).analytics_revenuestream"
        for ledger in ledgers {
            for s in ledger.snapshots {
                let wide: [(String, Money, Int)] = [("total_revenue", s.totalRevenue, 12), ("total_discount", s.totalDiscount, 12),
                                                    ("average_order_value", s.averageOrderValue, 10),
                                                    ("vip_discounts_given", s.vipDiscountsGiven, 12),
                                                    ("loyalty_discounts_given", s.loyaltyDiscountsGiven, 12),
                                                    ("referral_discounts_given", s.referralDiscountsGiven, 12)]
                if let bad = wide.first(where: { !DjangoTables.fits($0.1, precision: $0.2) }) {
                    problems.append(RejectedRow(source: "analytics_dailyanalyticssnapshot", sourceId: s.day.iso, day: s.day,
                                                rejection: Rejection(.valueTooWide, "\(bad.0) = \(bad.1.decimalString) does not fit numeric(\(bad.2),2); the day was not written to the shop's table"),
                                                raw: s.day.iso))
                    continue
                }
                snapshotRows.append(s.day.iso); snapshotRows.append(s.totalOrders); snapshotRows.append(s.uniqueCustomers)
                snapshotRows.money(s.totalRevenue); snapshotRows.money(s.totalDiscount); snapshotRows.money(s.averageOrderValue)
                snapshotRows.append(s.vipOrders); snapshotRows.append(s.subscriptionOrders); snapshotRows.append(s.referralOrders)
                snapshotRows.append(s.cashOrders); snapshotRows.append(s.mobileMoneyOrders); snapshotRows.append(s.bankTransferOrders)
                snapshotRows.append(s.cardOrders); snapshotRows.money(s.vipDiscountsGiven); snapshotRows.money(s.loyaltyDiscountsGiven)
                snapshotRows.money(s.referralDiscountsGiven)
                try snapshotRows.endRow()
            }
            for c in ledger.channels {
                guard DjangoTables.fits(c.amount, precision: 12) else {
                    problems.append(RejectedRow(source: "analytics_revenuestream", sourceId: "\(c.day.iso)/\(c.channel.rawValue)", day: c.day,
                                                rejection: Rejection(.valueTooWide, "amount \(c.amount.decimalString) does not fit numeric(12,2)"),
                                                raw: c.day.iso))
                    continue
                }
                streamRows.append(c.day.iso); streamRows.append(c.channel.rawValue); streamRows.money(c.amount); streamRows.append(c.transactions)
                try streamRows.endRow()
            }
            // Channels this project does not write (a name the shop may have used before) are removed for the range,
            // so the range holds exactly the seven channels.
            deletes.append(SQLStatement("DELETE FROM \(streamTable) WHERE date BETWEEN $1::date AND $2::date AND channel <> ALL($3::text[])",
                                        [ledger.range.first.iso, ledger.range.last.iso, DjangoTables.channels]))
        }
        return TableChanges(deletes: deletes, writes: [ShopTable.dailySnapshot.write(schema: schema, rows: snapshotRows),
                                                       ShopTable.revenueStream.write(schema: schema, rows: streamRows)],
                            problems: problems)
    }

    /// Which of the shop's four tables the database behind `connection` lacks in `schema` (checked before a job
    /// extracts, so a wrong target fails at once).
    public static func missingTables(on connection: Connection, schema: String = "public") throws -> [String] {
        try connection.execute("""
            SELECT t FROM unnest($1::text[]) WITH ORDINALITY AS u(t, i)
            WHERE to_regclass(quote_ident($2) || '.' || quote_ident(t)) IS NULL ORDER BY i
            """, ["{" + ShopTable.all.map(\.name).joined(separator: ",") + "}", schema]).rows.compactMap { $0[0] }
    }

    /// The channels this project writes, as a text[] literal.
    static let channels = "{" + RevenueChannel.allCases.map(\.rawValue).joined(separator: ",") + "}"

    /// Whether an amount fits numeric(precision, 2).
    static func fits(_ m: Money, precision: Int) -> Bool {
        var limit: Int64 = 1
        for _ in 0..<precision { limit *= 10 }
        return m.hundredths.magnitude < UInt64(limit)
    }
}

/// One of the shop's own analytics tables as this project writes it: the written columns (never `id`) and how they
/// are loaded. One definition each, used by the writers and by the copy of pending rows (`PendingShopTables`).
public struct ShopTable: Sendable {
    public let name: String
    public let columns: [String]
    public let load: ShopTableLoad

    /// The rows for this table in `schema`.
    public func write(schema: String, rows: CopyRows) -> TableWrite {
        TableWrite(table: "\(schema).\(name)", columns: columns, rows: rows, shopTable: load)
    }

    public static let dailySnapshot = ShopTable(
        name: "analytics_dailyanalyticssnapshot",
        columns: ["date", "total_orders", "unique_customers", "total_revenue", "total_discount", "average_order_value",
                  "vip_orders", "subscription_orders", "referral_orders", "cash_orders", "mobile_money_orders",
                  "bank_transfer_orders", "card_orders", "vip_discounts_given", "loyalty_discounts_given", "referral_discounts_given"],
        load: ShopTableLoad(key: ["date"], stampedOnInsert: ["created_at", "updated_at"], stampedOnUpdate: ["updated_at"]))

    public static let revenueStream = ShopTable(
        name: "analytics_revenuestream", columns: ["date", "channel", "amount", "transaction_count"],
        load: ShopTableLoad(key: ["date", "channel"], stampedOnInsert: ["created_at", "updated_at"], stampedOnUpdate: ["updated_at"]))

    public static let customerMetrics = ShopTable(
        name: "analytics_customermetrics",
        columns: ["total_orders", "total_spent", "average_order_value", "first_order_date", "last_order_date",
                  "days_since_last_order", "lifetime_value", "churn_risk", "vip_tier_current", "subscription_active",
                  "loyalty_points_earned", "loyalty_points_redeemed", "loyalty_value_redeemed", "referral_count",
                  "referral_earnings", "total_discounts_received", "vip_discounts_received", "user_id"],
        load: ShopTableLoad(key: ["user_id"], stampedOnInsert: ["updated_at"], stampedOnUpdate: ["updated_at"]))

    /// Insert only: one row per campaign and tracking time (the writer first deletes the same campaigns' rows
    /// tracked the same shop day).
    public static let campaignPerformance = ShopTable(
        name: "analytics_campaignperformance",
        columns: ["campaign_id", "orders_influenced", "revenue_generated", "customers_reached", "customers_converted",
                  "conversion_rate", "roi"],
        load: ShopTableLoad(stampedOnInsert: ["tracked_at"]))

    public static let all = [dailySnapshot, revenueStream, customerMetrics, campaignPerformance]
}
