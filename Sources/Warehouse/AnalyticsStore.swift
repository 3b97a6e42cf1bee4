import Analytics
import Postgres
import Shop

/// The day-keyed tables of `analytics.*` (daily figures, top customers, rejected rows), as the rows a job loads: a
/// range's rows are deleted and written again in the job's one transaction, so a rerun replaces and never duplicates,
/// and a crash leaves the old rows.
public enum AnalyticsStore {
    static let dayTables = ["daily_snapshot", "revenue_by_channel", "payment_methods", "discounts", "top_customers", "daily_customers",
                            "item_sales", "hourly_sales"]

    /// Deletes every row of the ranges from the day-keyed tables (and the rejected rows that belong to them).
    public static func deletes(_ ranges: [ShopDayRange]) -> [SQLStatement] {
        ranges.flatMap { range in
            (dayTables + ["rejected_rows"]).map {
                SQLStatement("DELETE FROM analytics.\($0) WHERE day BETWEEN $1::date AND $2::date", [range.first.iso, range.last.iso])
            }
        }
    }

    /// The ledgers' days and each day's top customers. `menu` names the dishes of `item_sales` (an item the menu does
    /// not have is written as "menu item N").
    public static func writes(_ ledgers: [DailyLedger], top: [TopCustomer], runId: Int64, menu: [Int64: MenuItem] = [:]) throws -> [TableWrite] {
        var snapshots = CopyRows(), channels = CopyRows(), payments = CopyRows(), discounts = CopyRows(), customers = CopyRows()
        var items = CopyRows(), hours = CopyRows()
        for ledger in ledgers {
            for i in ledger.itemSales {
                let item = menu[i.menuItemId]
                items.append(i.day.iso); items.append(i.menuItemId); items.append(item?.name ?? "menu item \(i.menuItemId)")
                items.append(item?.category ?? ""); items.append(i.quantity); items.money(i.revenue); items.append(runId)
                try items.endRow()
            }
            for h in ledger.hourlySales {
                hours.append(h.day.iso); hours.append(h.hour); hours.append(h.orders); hours.money(h.revenue); hours.append(runId)
                try hours.endRow()
            }
            for s in ledger.snapshots { try snapshotRow(s, runId: runId, into: &snapshots) }
            for c in ledger.channels {
                channels.append(c.day.iso); channels.append(c.channel.rawValue); channels.money(c.amount); channels.append(c.transactions)
                channels.append(runId)
                try channels.endRow()
            }
            for p in ledger.payments {
                payments.append(p.day.iso); payments.append(p.method.rawValue); payments.append(p.orders); payments.money(p.amount)
                payments.append(runId)
                try payments.endRow()
            }
            for d in ledger.discounts {
                discounts.append(d.day.iso); discounts.append(d.kind.rawValue); discounts.append(d.orders); discounts.money(d.amount)
                discounts.append(runId)
                try discounts.endRow()
            }
            for d in ledger.dailyCustomers {
                customers.append(d.day.iso); customers.append("{" + d.customers.map(String.init).joined(separator: ",") + "}")
                customers.append(runId)
                try customers.endRow()
            }
        }
        var tops = CopyRows()
        for t in top {
            tops.append(t.day.iso); tops.append(t.rank); tops.append(t.userId); tops.append(t.name); tops.append(t.sales)
            tops.money(t.revenue); tops.append(runId)
            try tops.endRow()
        }
        return [
            TableWrite(table: "analytics.daily_snapshot", columns: [
                "day", "total_orders", "unique_customers", "total_revenue", "total_discount", "average_order_value", "vip_orders",
                "subscription_orders", "referral_orders", "cash_orders", "mobile_money_orders", "bank_transfer_orders", "card_orders",
                "vip_discounts_given", "loyalty_discounts_given", "referral_discounts_given", "gross_sales", "delivery_charges",
                "coupon_discounts_given", "corporate_discounts_given", "items_sold", "orders_placed", "cancelled_orders",
                "refunded_orders", "refunded_order_value", "refunds_completed", "refund_amount", "late_deliveries", "run_id"],
                       rows: snapshots),
            TableWrite(table: "analytics.revenue_by_channel", columns: ["day", "channel", "amount", "transactions", "run_id"], rows: channels),
            TableWrite(table: "analytics.payment_methods", columns: ["day", "payment_method", "orders", "amount", "run_id"], rows: payments),
            TableWrite(table: "analytics.discounts", columns: ["day", "kind", "orders", "amount", "run_id"], rows: discounts),
            TableWrite(table: "analytics.daily_customers", columns: ["day", "customer_ids", "run_id"], rows: customers),
            TableWrite(table: "analytics.top_customers", columns: ["day", "rank", "user_id", "customer_name", "sales", "revenue", "run_id"],
                       rows: tops),
            TableWrite(table: "analytics.item_sales", columns: ["day", "menu_item_id", "item_name", "category", "quantity", "revenue", "run_id"],
                       rows: items),
            TableWrite(table: "analytics.hourly_sales", columns: ["day", "hour", "orders", "revenue", "run_id"], rows: hours),
        ]
    }

    private static func snapshotRow(_ s: DailySnapshot, runId: Int64, into w: inout CopyRows) throws {
        w.append(s.day.iso)
        w.append(s.totalOrders); w.append(s.uniqueCustomers)
        w.money(s.totalRevenue); w.money(s.totalDiscount); w.money(s.averageOrderValue)
        w.append(s.vipOrders); w.append(s.subscriptionOrders); w.append(s.referralOrders)
        w.append(s.cashOrders); w.append(s.mobileMoneyOrders); w.append(s.bankTransferOrders); w.append(s.cardOrders)
        w.money(s.vipDiscountsGiven); w.money(s.loyaltyDiscountsGiven); w.money(s.referralDiscountsGiven)
        w.money(s.grossSales); w.money(s.deliveryCharges); w.money(s.couponDiscountsGiven); w.money(s.corporateDiscountsGiven)
        w.append(s.itemsSold); w.append(s.ordersPlaced); w.append(s.cancelledOrders)
        w.append(s.refundedOrders); w.money(s.refundedOrderValue); w.append(s.refundsCompleted); w.money(s.refundAmount)
        w.append(s.lateDeliveries); w.append(runId)
        try w.endRow()
    }

    /// The rejected rows with their reasons; `nil` when there are none.
    public static func rejected(_ rows: [RejectedRow], runId: Int64) throws -> TableWrite? {
        guard !rows.isEmpty else { return nil }
        var t = TableWrite(table: "analytics.rejected_rows", columns: ["run_id", "source", "source_id", "day", "reason", "detail", "raw"])
        for r in rows {
            t.rows.append(runId); t.rows.append(r.source); t.rows.append(r.sourceId); t.rows.append(r.day?.iso)
            t.rows.append(r.rejection.reason.rawValue); t.rows.append(r.rejection.detail); t.rows.append(r.raw)
            try t.rows.endRow()
        }
        return t
    }
}

extension CopyEncoder {
    /// Money as exact numeric text (`1234.50`).
    mutating func money(_ m: Money) { appendScaled(m.hundredths, scale: 2) }
}
