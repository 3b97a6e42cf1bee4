import Analytics
import Postgres
import Shop

/// `analytics.customer_sales_state`: each user's sales summed over those created before the START of the day the
/// customer figures were last computed for, and (`customer_sales_state_run`) that day and the run that wrote it (README,
/// "What a nightly run reads"). Reads for the next run, and the rows a job replaces (inside its load transaction).
public struct CustomerSalesStore {
    private let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// Each user's sales summed up (the money columns in hundredths, `first_sale_at` and `last_sale_at` in microseconds,
    /// the days as days since 1970-01-01 in `CustomerSales`).
    public static let state = WarehouseTable<CustomerSales>("analytics.customer_sales_state", [
        Column("user_id", \.userId), Column("sales", \.sales),
        Column("spent") { Money(hundredths: $0.spent) }, Column("discounts") { Money(hundredths: $0.discounts) },
        Column("vip_discounts") { Money(hundredths: $0.vipDiscounts) }, Column("loyalty_value") { Money(hundredths: $0.loyaltyValue) },
        Column("first_sale_at") { UTCTime(micros: $0.firstAt) }, Column("last_sale_at") { UTCTime(micros: $0.lastAt) },
        Column("first_sale_day") { ShopDay(epochDay: $0.firstDay) }, Column("last_sale_day") { ShopDay(epochDay: $0.lastDay) },
        Column("purchase_days", \.purchaseDays), Column("first_day_spend") { Money(hundredths: $0.firstDaySpend) },
        Column("sales_with_points", \.salesWithPoints),
        // Months as dates, {2026-01-01,2026-03-01}; `months` holds year * 12 + month - 1 of each.
        Column("sale_months") { s, w in
            w.appendDateArray(s.months.lazy.map { m in (year: Int(m / 12), month: Int(m % 12) + 1, day: 1) })
        },
        // For the model check: the purchase days of `recentDays`, ascending, and `earlierDay` (NULL for none).
        Column("recent_purchase_days") { s, w in
            w.appendDateArray((1..<ModelCheck.horizonDays).reversed().lazy.filter { k in s.recentDays & (1 << UInt32(k)) != 0 }
                .map { k in ShopDay(epochDay: s.lastDay - Int32(k)) })
        },
        Column("earlier_purchase_day") { s -> ShopDay? in s.earlierDay == 0 ? nil : ShopDay(epochDay: s.earlierDay) },
    ])

    /// The day the state is as of, and the run that wrote it: one row.
    public static let stateRun = WarehouseTable<ShopDay>("analytics.customer_sales_state_run", [Column("as_of") { $0 }])

    /// The day the stored state is as of and the run that wrote it; nil when there is none.
    public func stateRun() throws -> (asOf: ShopDay, runId: Int64)? {
        let table = CustomerSalesStore.stateRun
        guard let r = try table.stored(connection.execute("SELECT as_of, run_id FROM \(table.name) LIMIT 1")).first else { return nil }
        return (try r("as_of"), try r("run_id"))
    }

    /// Streams every stored user's first sale (`created_at`, microseconds).
    @discardableResult
    public func firstSales(_ body: (Int64, Int64) throws -> Void) throws -> Int {
        try connection.copyOut("COPY (SELECT user_id, first_sale_at FROM \(CustomerSalesStore.state.name)) TO STDOUT") { row in
            if let user = row.int64(0), let at = row.timestampMicros(1) { try body(user, at) }
        }
    }

    /// Streams every stored user's sales.
    @discardableResult
    public func states(_ body: (CustomerSales) throws -> Void) throws -> Int {
        let table = CustomerSalesStore.state
        // Positions of the select list, looked up by name once.
        let at = table.position
        let user = at("user_id"), sales = at("sales"), spent = at("spent"), discounts = at("discounts"), vip = at("vip_discounts")
        let loyalty = at("loyalty_value"), firstAt = at("first_sale_at"), lastAt = at("last_sale_at"), firstDay = at("first_sale_day")
        let lastDay = at("last_sale_day"), purchaseDays = at("purchase_days"), firstDaySpend = at("first_day_spend")
        let withPoints = at("sales_with_points"), months = at("sale_months")
        let recentDays = at("recent_purchase_days"), earlierDay = at("earlier_purchase_day")
        let names = table.columns.map(\.name)
        func read<Row: CopyFields & ~Copyable>(_ row: borrowing Row) throws {
            guard let userId = row.int64(user) else { return }
            var s = CustomerSales(userId: userId)
            s.sales = Int32(row.int64(sales) ?? 0)
            s.spent = row.scaled(spent, scale: 2) ?? 0; s.discounts = row.scaled(discounts, scale: 2) ?? 0
            s.vipDiscounts = row.scaled(vip, scale: 2) ?? 0; s.loyaltyValue = row.scaled(loyalty, scale: 2) ?? 0
            s.firstAt = row.timestampMicros(firstAt) ?? 0; s.lastAt = row.timestampMicros(lastAt) ?? 0
            s.firstDay = row.epochDay(firstDay) ?? 0; s.lastDay = row.epochDay(lastDay) ?? 0
            s.purchaseDays = Int32(row.int64(purchaseDays) ?? 0); s.firstDaySpend = row.scaled(firstDaySpend, scale: 2) ?? 0
            s.salesWithPoints = Int32(row.int64(withPoints) ?? 0)
            // {2026-01-01,2026-03-01}: year * 12 + month - 1 of each, read from the bytes (a String per row cost more
            // than the rest of the read).
            row.epochDays(months) { d in
                let c = ShopDay(epochDay: d).components
                s.months.append(Int32(c.year * 12 + c.month - 1))
            }
            // The recent purchase days as bits counted back from the last sale day (CustomerSales.recentDays).
            let last = s.lastDay
            row.epochDays(recentDays) { d in
                if d < last && last - d < ModelCheck.horizonDays { s.recentDays |= 1 << UInt32(last - d) }
            }
            s.earlierDay = row.epochDay(earlierDay) ?? 0
            try body(s)
        }
        let query = "SELECT \(names.joined(separator: ", ")) FROM \(table.name)"
        // In PostgreSQL's binary form, each column read as the catalog types it: the server formats no dates (two arrays
        // of them a row), which cost it a third of the read (at a million users 1.12-1.20 s as text, 0.80-0.85 s
        // binary, by `psql \copy`). A column of a type the binary reader does not know leaves the read to the text.
        guard let columns = try connection.binaryColumns(table: table.name, columns: names) else {
            return try connection.copyOut("COPY (\(query)) TO STDOUT") { try read($0) }
        }
        return try connection.copyOutBinary(query, columns: columns) { try read($0) }
    }

    /// Replaces the state: every row when `users` is nil (a full read), else the rows of those users (the ones whose
    /// sums changed); `states` are the new rows, each user's sales before the start of `asOf`. The state is then as of
    /// `asOf`, written by `runId`.
    public static func changes(_ states: some Sequence<CustomerSales>, replacing users: [Int64]?, asOf: ShopDay, runId: Int64) throws -> TableChanges {
        let deletes = [SQLStatement("DELETE FROM \(stateRun.name)"), state.deleting(users: users)]
        var w = state.rows(stamps: [runId])
        for s in states where s.sales > 0 { try w.append(s) }
        // `deleting(users: nil)` empties the table: the write refills it.
        return TableChanges(deletes: deletes, writes: [w.write.refilling(users == nil), try stateRun.write([asOf], stamps: [runId])])
    }
}
