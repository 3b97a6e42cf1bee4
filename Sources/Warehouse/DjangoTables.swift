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
        var snapshotRows = ShopTable.dailySnapshotRows.rows(), streamRows = ShopTable.revenueStreamRows.rows()
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
                try snapshotRows.append(s)
            }
            for c in ledger.channels {
                guard DjangoTables.fits(c.amount, precision: 12) else {
                    problems.append(RejectedRow(source: "analytics_revenuestream", sourceId: "\(c.day.iso)/\(c.channel.rawValue)", day: c.day,
                                                rejection: Rejection(.valueTooWide, "amount \(c.amount.decimalString) does not fit numeric(12,2)"),
                                                raw: c.day.iso))
                    continue
                }
                try streamRows.append(c)
            }
            // Channels this project does not write (a name the shop may have used before) are removed for the range,
            // so the range holds exactly the seven channels.
            deletes.append(SQLStatement("DELETE FROM \(streamTable) WHERE date BETWEEN $1::date AND $2::date AND channel <> ALL($3::text[])",
                                        [ledger.range.first.iso, ledger.range.last.iso, DjangoTables.channels]))
        }
        return TableChanges(deletes: deletes, writes: [ShopTable.dailySnapshot.write(schema: schema, rows: snapshotRows.write),
                                                       ShopTable.revenueStream.write(schema: schema, rows: streamRows.write)],
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
/// are loaded. One definition each, used by the writers and by the copy of pending rows (`PendingShopTables`); the
/// columns come from the table's description (`dailySnapshotRows`...), whose name is the table's without a schema
/// (the shop's `public`, or the warehouse's `shop_tables_pending`).
public struct ShopTable: Sendable {
    public let name: String
    public let columns: [String]
    public let load: ShopTableLoad

    init<Row>(_ rows: WarehouseTable<Row>, load: ShopTableLoad) {
        precondition(rows.stamps.isEmpty, "the shop's tables stamp their rows with now(), not with values")
        name = rows.name
        columns = rows.columnNames
        self.load = load
    }

    /// The rows (written with this table's description) for this table in `schema`.
    public func write(schema: String, rows: TableWrite) -> TableWrite {
        precondition(rows.table == name && rows.columns == columns, "rows of \(rows.table) written as \(name)")
        return write(schema: schema, encoded: rows.rows)
    }

    /// Rows already encoded in this table's columns (the pending rows copied as they are), for this table in `schema`.
    public func write(schema: String, encoded rows: CopyRows) -> TableWrite {
        TableWrite(table: "\(schema).\(name)", columns: columns, rows: rows, shopTable: load)
    }

    /// The shop's snapshot holds some of `analytics.daily_snapshot`'s figures, `day` named `date`.
    public static let dailySnapshotRows = WarehouseTable<DailySnapshot>(
        "analytics_dailyanalyticssnapshot", stamps: [],
        [AnalyticsStore.dailySnapshot.column("day").named("date")] + [
            "total_orders", "unique_customers", "total_revenue", "total_discount", "average_order_value", "vip_orders",
            "subscription_orders", "referral_orders", "cash_orders", "mobile_money_orders", "bank_transfer_orders", "card_orders",
            "vip_discounts_given", "loyalty_discounts_given", "referral_discounts_given",
        ].map(AnalyticsStore.dailySnapshot.column))
    public static let dailySnapshot = ShopTable(dailySnapshotRows,
                                                load: ShopTableLoad(key: ["date"], stampedOnInsert: ["created_at", "updated_at"], stampedOnUpdate: ["updated_at"]))

    /// `analytics.revenue_by_channel`'s columns under the shop's names.
    public static let revenueStreamRows = WarehouseTable<ChannelRevenue>("analytics_revenuestream", stamps: [], [
        AnalyticsStore.revenueByChannel.column("day").named("date"), AnalyticsStore.revenueByChannel.column("channel"),
        AnalyticsStore.revenueByChannel.column("amount"), AnalyticsStore.revenueByChannel.column("transactions").named("transaction_count"),
    ])
    public static let revenueStream = ShopTable(revenueStreamRows,
                                                load: ShopTableLoad(key: ["date", "channel"], stampedOnInsert: ["created_at", "updated_at"], stampedOnUpdate: ["updated_at"]))

    /// `vip_tier_current` is empty text, never NULL, for a customer without a tier (the shop's column has no NULL).
    public static let customerMetricsRows = WarehouseTable<CustomerMetrics>("analytics_customermetrics", stamps: [], [
        Column("total_orders", \.totalOrders), Column("total_spent", \.totalSpent), Column("average_order_value", \.averageOrderValue),
        Column("first_order_date") { $0.firstOrderAt.map(UTCTime.init(micros:)) },
        Column("last_order_date") { $0.lastOrderAt.map(UTCTime.init(micros:)) },
        Column("days_since_last_order", \.daysSinceLastOrder), Column("lifetime_value", \.lifetimeValue), Column("churn_risk", \.churnRisk),
        Column("vip_tier_current") { $0.vipTier?.capitalised ?? "" }, Column("subscription_active", \.subscriptionActive),
        Column("loyalty_points_earned", \.loyaltyPointsEarned), Column("loyalty_points_redeemed", \.loyaltyPointsRedeemed),
        Column("loyalty_value_redeemed", \.loyaltyValueRedeemed), Column("referral_count", \.referralCount),
        Column("referral_earnings", \.referralEarnings), Column("total_discounts_received", \.totalDiscountsReceived),
        Column("vip_discounts_received", \.vipDiscountsReceived), Column("user_id", \.userId),
    ])
    public static let customerMetrics = ShopTable(customerMetricsRows,
                                                  load: ShopTableLoad(key: ["user_id"], stampedOnInsert: ["updated_at"], stampedOnUpdate: ["updated_at"]))

    /// Our figures in the shop's words: orders_influenced and revenue_generated are the coupon sales and their revenue,
    /// conversion_rate and roi percentages; roi is 0.00 when it is not measurable (the column cannot be empty).
    public static let campaignPerformanceRows = WarehouseTable<CampaignTotals>("analytics_campaignperformance", stamps: [], [
        Column("campaign_id") { $0.campaign.id }, Column("orders_influenced", \.couponOrders), Column("revenue_generated", \.couponRevenue),
        Column("customers_reached", \.customersReached), Column("customers_converted", \.customersConverted),
        Column("conversion_rate", \.conversionRate), Column("roi") { $0.roi ?? Percentage(hundredths: 0) },
    ])
    /// Insert only: one row per campaign and tracking time (the writer first deletes the same campaigns' rows
    /// tracked the same shop day).
    public static let campaignPerformance = ShopTable(campaignPerformanceRows, load: ShopTableLoad(stampedOnInsert: ["tracked_at"]))

    public static let all = [dailySnapshot, revenueStream, customerMetrics, campaignPerformance]
}

/// numeric(_,2) text, like an amount.
extension Percentage: StoredValue {
    public func encode(into rows: inout CopyRows) { rows.appendScaled(hundredths, scale: 2) }
    public static func decode(_ text: String?) -> Percentage? { text.flatMap { Money(decimal: $0) }.map { Percentage(hundredths: $0.hundredths) } }
    public static var expected: String { "a percentage" }
}
