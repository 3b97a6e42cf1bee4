import Analytics
import Postgres
import Shop

/// `analytics.customer_sales_state`: each user's sales summed up to the end of the day the customer figures were last
/// computed for, and (`customer_sales_state_run`) that day and the run that wrote it. Reads for the next run, and the
/// rows a job replaces (inside its load transaction).
public struct CustomerSalesStore {
    private let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    static let columns = ["user_id", "sales", "spent", "discounts", "vip_discounts", "loyalty_value", "first_sale_at", "last_sale_at",
                          "first_sale_day", "last_sale_day", "purchase_days", "first_day_spend", "sales_with_points", "sale_months", "run_id"]

    /// The day the stored state is as of and the run that wrote it; nil when there is none.
    public func stateRun() throws -> (asOf: ShopDay, runId: Int64)? {
        let r = try connection.execute("SELECT as_of::text, run_id FROM analytics.customer_sales_state_run LIMIT 1")
        guard r.rowCount > 0, let day = ShopDay(iso: r[0, 0] ?? ""), let run = Int64(r[0, 1] ?? "") else { return nil }
        return (day, run)
    }

    /// Streams every stored user's sales.
    @discardableResult
    public func states(_ body: (CustomerSales) throws -> Void) throws -> Int {
        let list = CustomerSalesStore.columns.dropLast().joined(separator: ", ")
        return try connection.copyOut("COPY (SELECT \(list) FROM analytics.customer_sales_state) TO STDOUT") { row in
            guard let user = row.int64(0) else { return }
            var s = CustomerSales(userId: user)
            s.sales = Int32(row.int64(1) ?? 0)
            s.spent = row.scaled(2, scale: 2) ?? 0; s.discounts = row.scaled(3, scale: 2) ?? 0
            s.vipDiscounts = row.scaled(4, scale: 2) ?? 0; s.loyaltyValue = row.scaled(5, scale: 2) ?? 0
            s.firstAt = row.timestampMicros(6) ?? 0; s.lastAt = row.timestampMicros(7) ?? 0
            s.firstDay = row.epochDay(8) ?? 0; s.lastDay = row.epochDay(9) ?? 0
            s.purchaseDays = Int32(row.int64(10) ?? 0); s.firstDaySpend = row.scaled(11, scale: 2) ?? 0
            s.salesWithPoints = Int32(row.int64(12) ?? 0)
            // {2026-01-01,2026-03-01}: year * 12 + month - 1 of each.
            let text = row.string(13) ?? ""
            s.months = text.dropFirst().dropLast().split(separator: ",").compactMap { d in
                let parts = d.split(separator: "-")
                guard parts.count == 3, let y = Int32(parts[0]), let m = Int32(parts[1]) else { return nil }
                return y * 12 + m - 1
            }
            try body(s)
        }
    }

    /// Replaces the state: every row when `users` is nil (a full read), else the rows of those users (the ones
    /// re-read); `states` are the new rows. The state is then as of `asOf`, written by `runId`.
    public static func changes(_ states: some Sequence<CustomerSales>, replacing users: [Int64]?, asOf: ShopDay, runId: Int64) throws -> TableChanges {
        var deletes = [SQLStatement("DELETE FROM analytics.customer_sales_state_run")]
        if let users {
            deletes.append(SQLStatement("DELETE FROM analytics.customer_sales_state WHERE user_id = ANY($1::bigint[])",
                                        ["{" + users.map(String.init).joined(separator: ",") + "}"]))
        } else {
            deletes.append(SQLStatement("TRUNCATE analytics.customer_sales_state"))
        }
        var w = CopyRows()
        for s in states where s.sales > 0 {
            w.append(s.userId); w.append(Int(s.sales)); w.money(Money(hundredths: s.spent)); w.money(Money(hundredths: s.discounts))
            w.money(Money(hundredths: s.vipDiscounts)); w.money(Money(hundredths: s.loyaltyValue))
            w.append(Instant.utcString(micros: s.firstAt)); w.append(Instant.utcString(micros: s.lastAt))
            w.append(ShopDay(epochDay: s.firstDay).iso); w.append(ShopDay(epochDay: s.lastDay).iso)
            w.append(Int(s.purchaseDays)); w.money(Money(hundredths: s.firstDaySpend)); w.append(Int(s.salesWithPoints))
            w.append("{" + s.months.map { m in
                let y = m / 12, mo = m % 12 + 1
                return String(y) + (mo < 10 ? "-0" : "-") + String(mo) + "-01"
            }.joined(separator: ",") + "}")
            w.append(runId)
            try w.endRow()
        }
        var run = CopyRows()
        run.append(asOf.iso); run.append(runId)
        try run.endRow()
        return TableChanges(deletes: deletes, writes: [
            TableWrite(table: "analytics.customer_sales_state", columns: columns, rows: w),
            TableWrite(table: "analytics.customer_sales_state_run", columns: ["as_of", "run_id"], rows: run),
        ])
    }
}
