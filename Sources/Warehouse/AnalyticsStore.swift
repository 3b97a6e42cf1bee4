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
        let run: [any StoredValue] = [runId]
        var snapshots = dailySnapshot.rows(stamps: run), channels = revenueByChannel.rows(stamps: run)
        var payments = paymentMethods.rows(stamps: run), discounts = discountFigures.rows(stamps: run)
        var customers = dailyCustomers.rows(stamps: run), items = itemSales.rows(stamps: run), hours = hourlySales.rows(stamps: run)
        for ledger in ledgers {
            for var i in ledger.itemSales {
                let item = menu[i.menuItemId]
                i.name = item?.name ?? "menu item \(i.menuItemId)"
                i.category = item?.category ?? ""
                try items.append(i)
            }
            for h in ledger.hourlySales { try hours.append(h) }
            for s in ledger.snapshots { try snapshots.append(s) }
            for c in ledger.channels { try channels.append(c) }
            for p in ledger.payments { try payments.append(p) }
            for d in ledger.discounts { try discounts.append(d) }
            for d in ledger.dailyCustomers { try customers.append(d) }
        }
        return [snapshots.write, channels.write, payments.write, discounts.write, customers.write,
                try topCustomers.write(top, stamps: run), items.write, hours.write]
    }

    /// The rejected rows with their reasons; `nil` when there are none.
    public static func rejected(_ rows: [RejectedRow], runId: Int64) throws -> TableWrite? {
        guard !rows.isEmpty else { return nil }
        return try rejectedRows.write(rows, stamps: [runId])
    }

    // MARK: the tables

    /// One row per computed day (README, "Daily snapshot").
    public static let dailySnapshot = WarehouseTable<DailySnapshot>("analytics.daily_snapshot", blank: { DailySnapshot(day: ShopDay(epochDay: 0)) }, [
        Column("day", \.day), Column("total_orders", \.totalOrders), Column("unique_customers", \.uniqueCustomers),
        Column("total_revenue", \.totalRevenue), Column("total_discount", \.totalDiscount), Column("average_order_value", \.averageOrderValue),
        Column("vip_orders", \.vipOrders), Column("subscription_orders", \.subscriptionOrders), Column("referral_orders", \.referralOrders),
        Column("cash_orders", \.cashOrders), Column("mobile_money_orders", \.mobileMoneyOrders),
        Column("bank_transfer_orders", \.bankTransferOrders), Column("card_orders", \.cardOrders),
        Column("vip_discounts_given", \.vipDiscountsGiven), Column("loyalty_discounts_given", \.loyaltyDiscountsGiven),
        Column("referral_discounts_given", \.referralDiscountsGiven), Column("gross_sales", \.grossSales),
        Column("delivery_charges", \.deliveryCharges), Column("coupon_discounts_given", \.couponDiscountsGiven),
        Column("corporate_discounts_given", \.corporateDiscountsGiven), Column("items_sold", \.itemsSold),
        Column("orders_placed", \.ordersPlaced), Column("cancelled_orders", \.cancelledOrders), Column("refunded_orders", \.refundedOrders),
        Column("refunded_order_value", \.refundedOrderValue), Column("refunds_completed", \.refundsCompleted),
        Column("refund_amount", \.refundAmount), Column("late_deliveries", \.lateDeliveries),
    ])

    public static let revenueByChannel = WarehouseTable<ChannelRevenue>("analytics.revenue_by_channel", [
        Column("day", \.day), Column("channel", \.channel), Column("amount", \.amount), Column("transactions", \.transactions),
    ])

    public static let paymentMethods = WarehouseTable<PaymentMethodFigures>("analytics.payment_methods", [
        Column("day", \.day), Column("payment_method", \.method), Column("orders", \.orders), Column("amount", \.amount),
    ])

    public static let discountFigures = WarehouseTable<DiscountFigures>("analytics.discounts", [
        Column("day", \.day), Column("kind", \.kind), Column("orders", \.orders), Column("amount", \.amount),
    ])

    /// Each day's distinct customers with a sale, so a period's distinct count is exact.
    public static let dailyCustomers = WarehouseTable<(day: ShopDay, customers: [Int64])>("analytics.daily_customers", [
        Column("day") { $0.day },
        Column("customer_ids") { d, w in w.appendIntegerArray(d.customers) },
    ])

    public static let topCustomers = WarehouseTable<TopCustomer>(
        "analytics.top_customers", blank: { TopCustomer(day: ShopDay(epochDay: 0), rank: 0, userId: 0, name: "", sales: 0, revenue: .zero) }, [
            Column("day", \.day), Column("rank", \.rank), Column("user_id", \.userId), Column("customer_name", \.name),
            Column("sales", \.sales), Column("revenue", \.revenue),
        ])

    public static let itemSales = WarehouseTable<ItemSales>(
        "analytics.item_sales", blank: { ItemSales(day: ShopDay(epochDay: 0), menuItemId: 0, quantity: 0, revenue: .zero) }, [
            Column("day", \.day), Column("menu_item_id", \.menuItemId), Column("item_name", \.name), Column("category", \.category),
            Column("quantity", \.quantity), Column("revenue", \.revenue),
        ])

    public static let hourlySales = WarehouseTable<HourlySales>(
        "analytics.hourly_sales", blank: { HourlySales(day: ShopDay(epochDay: 0), hour: 0, orders: 0, revenue: .zero) }, [
            Column("day", \.day), Column("hour", \.hour), Column("orders", \.orders), Column("revenue", \.revenue),
        ])

    /// Source rows set aside, with their reasons (README, "Rejected rows").
    public static let rejectedRows = WarehouseTable<RejectedRow>("analytics.rejected_rows", [
        Column("source", \.source), Column("source_id", \.sourceId), Column("day", \.day),
        Column("reason") { $0.rejection.reason.rawValue }, Column("detail") { $0.rejection.detail }, Column("raw", \.raw),
    ])
}

extension RevenueChannel: StoredWord {}
extension PaymentMethod: StoredWord {}
extension DiscountKind: StoredWord {}

extension CopyEncoder {
    /// Money as exact numeric text (`1234.50`).
    mutating func money(_ m: Money) { appendScaled(m.hundredths, scale: 2) }
}
