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
                                        [ledger.range.first.iso, ledger.range.last.iso,
                                         "{" + RevenueChannel.allCases.map(\.rawValue).joined(separator: ",") + "}"]))
        }
        let stamps = ShopTableLoad(stampedOnInsert: ["created_at", "updated_at"], stampedOnUpdate: ["updated_at"])
        var snapshot = stamps, stream = stamps
        snapshot.key = ["date"]
        stream.key = ["date", "channel"]
        return TableChanges(deletes: deletes, writes: [
            TableWrite(table: "\(schema).analytics_dailyanalyticssnapshot",
                       columns: ["date", "total_orders", "unique_customers", "total_revenue", "total_discount", "average_order_value",
                                 "vip_orders", "subscription_orders", "referral_orders", "cash_orders", "mobile_money_orders",
                                 "bank_transfer_orders", "card_orders", "vip_discounts_given", "loyalty_discounts_given",
                                 "referral_discounts_given"],
                       rows: snapshotRows, shopTable: snapshot),
            TableWrite(table: streamTable, columns: ["date", "channel", "amount", "transaction_count"], rows: streamRows, shopTable: stream),
        ], problems: problems)
    }

    /// Whether an amount fits numeric(precision, 2).
    static func fits(_ m: Money, precision: Int) -> Bool {
        var limit: Int64 = 1
        for _ in 0..<precision { limit *= 10 }
        return m.hundredths.magnitude < UInt64(limit)
    }
}
