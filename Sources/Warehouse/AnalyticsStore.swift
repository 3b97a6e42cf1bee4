import Analytics
import Postgres
import Shop

/// Writes computed days into `analytics.*`. Every method expects to run inside the caller's transaction: a range
/// is deleted and written again, so a rerun replaces and never duplicates, and a crash leaves the old rows.
public struct AnalyticsStore {
    private let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// Deletes every row of the range from the day-keyed tables (and the rejected rows that belong to it).
    public func deleteRange(_ range: ShopDayRange) throws {
        let p = [range.first.iso, range.last.iso]
        for table in ["daily_snapshot", "revenue_by_channel", "payment_methods", "discounts", "top_customers", "daily_customers"] {
            try connection.execute("DELETE FROM analytics.\(table) WHERE day BETWEEN $1::date AND $2::date", p)
        }
        try connection.execute("DELETE FROM analytics.rejected_rows WHERE day BETWEEN $1::date AND $2::date", p)
    }

    /// Writes the ledger's days; returns the number of rows written.
    public func write(_ ledger: DailyLedger, runId: Int64) throws -> Int {
        var n = try connection.copyIn("COPY analytics.daily_snapshot FROM STDIN") { w in
            for s in ledger.snapshots {
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
        }
        n += try connection.copyIn("COPY analytics.revenue_by_channel (day, channel, amount, transactions, run_id) FROM STDIN") { w in
            for c in ledger.channels {
                w.append(c.day.iso); w.append(c.channel.rawValue); w.money(c.amount); w.append(c.transactions); w.append(runId)
                try w.endRow()
            }
        }
        n += try connection.copyIn("COPY analytics.payment_methods (day, payment_method, orders, amount, run_id) FROM STDIN") { w in
            for p in ledger.payments {
                w.append(p.day.iso); w.append(p.method.rawValue); w.append(p.orders); w.money(p.amount); w.append(runId)
                try w.endRow()
            }
        }
        n += try connection.copyIn("COPY analytics.discounts (day, kind, orders, amount, run_id) FROM STDIN") { w in
            for d in ledger.discounts {
                w.append(d.day.iso); w.append(d.kind.rawValue); w.append(d.orders); w.money(d.amount); w.append(runId)
                try w.endRow()
            }
        }
        n += try connection.copyIn("COPY analytics.daily_customers (day, customer_ids, run_id) FROM STDIN") { w in
            for d in ledger.dailyCustomers {
                w.append(d.day.iso); w.append("{" + d.customers.map(String.init).joined(separator: ",") + "}"); w.append(runId)
                try w.endRow()
            }
        }
        return n
    }

    /// Writes each day's top customers.
    public func writeTopCustomers(_ rows: [TopCustomer], runId: Int64) throws -> Int {
        try connection.copyIn("COPY analytics.top_customers (day, rank, user_id, customer_name, sales, revenue, run_id) FROM STDIN") { w in
            for t in rows {
                w.append(t.day.iso); w.append(t.rank); w.append(t.userId); w.append(t.name); w.append(t.sales); w.money(t.revenue)
                w.append(runId)
                try w.endRow()
            }
        }
    }

    /// Keeps the rejected rows with their reasons.
    public func writeRejected(_ rows: [RejectedRow], runId: Int64) throws -> Int {
        guard !rows.isEmpty else { return 0 }
        return try connection.copyIn("COPY analytics.rejected_rows (run_id, source, source_id, day, reason, detail, raw) FROM STDIN") { w in
            for r in rows {
                w.append(runId); w.append(r.source); w.append(r.sourceId); w.append(r.day?.iso)
                w.append(r.rejection.reason.rawValue); w.append(r.rejection.detail); w.append(r.raw)
                try w.endRow()
            }
        }
    }
}

extension CopyWriter {
    /// Money as exact numeric text (`1234.50`).
    mutating func money(_ m: Money) { appendScaled(m.hundredths, scale: 2) }
}
