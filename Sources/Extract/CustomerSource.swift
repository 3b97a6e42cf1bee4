import Foundation
import Postgres
import Shop

/// The customer extracts (`sql/source/customer_*.sql`), each streamed row by row inside the job's snapshot.
extension ShopSource {
    private func asOfLiterals(_ asOf: ShopDay) -> [String: String] {
        ["as_of_end": SQLLiteral.timestamp(micros: calendar.startMicros(of: asOf.advanced(by: 1))), "as_of_day": SQLLiteral.date(asOf)]
    }

    /// Streams the customers as of `asOf` (non-staff users who joined by its end, or whose `date_joined` is no real
    /// time). Returns rows read.
    @discardableResult
    public func customerProfiles(asOf: ShopDay, _ body: (CustomerProfileRow) throws -> Void) throws -> Int {
        let query = try sql.query("source/customer_profiles.sql", asOfLiterals(asOf))
        // In PostgreSQL's binary form: the server does not format a million join times as text.
        return try connection.copyOutBinary(query, columns: [.integer, .timestamptz, .text, .boolean]) { row in
            guard let id = row.int64(0) else { return }
            let joined = row.timestampMicros(1)
            var problem: Rejection?
            if joined == nil {
                let text = row.string(1) ?? "NULL"
                problem = text.hasSuffix("infinity")
                    ? Rejection(.outOfRange, "date_joined is \(text); the customer is kept with an unknown join date")
                    : Rejection(.unreadableValue, "date_joined '\(text)' is not a time; the customer is kept with an unknown join date")
            }
            try body(CustomerProfileRow(userId: id, joinedAt: joined, tierLevel: row.string(2), subscriptionActive: row.bool(3) ?? false,
                                        problem: problem.map { RejectedRow(source: "auth_user", sourceId: String(id), day: asOf, rejection: $0, raw: rawText(row)) }))
        }
    }

    /// Whether a sale that passes the date check (from the start of `ShopDay.earliest` in the shop's time zone) was created before `before` (microseconds):
    /// `sql/source/sales_before.sql` (an adapted file's answer other than false counts as a sale).
    public func anySale(before: Int64) throws -> Bool {
        let query = try sql.query("source/sales_before.sql", ["before": SQLLiteral.timestamp(micros: before),
                                                              "earliest": SQLLiteral.timestamp(micros: calendar.shopStartMicros)])
        return try connection.scalar(query) != "f"
    }

    /// Streams every sale created before the end of `asOf`, oldest first, checked like the daily extract: each
    /// arrives as an `Order` or as the rejected row (dated with its own shop day, nil when `created_at` is
    /// unreadable). With `since` (a nightly run building on the kept sales, `sql/source/customer_sales_since.sql`),
    /// only the sales created from the start of that day on, every sale of `users`, and the rows dated before the
    /// shop's dates (`ShopDay.earliest`). Either way the rows dated after the shop's dates (`ShopDay.latest`) come too,
    /// last: no day's extract reaches them, so the customer stage reports them. Returns rows read.
    @discardableResult
    public func customerSales(asOf: ShopDay, since: ShopDay? = nil, users: [Int64] = [],
                              _ body: (Result<Order, RejectedRow>) throws -> Void) throws -> Int {
        var literals = asOfLiterals(asOf)
        literals["shop_end"] = SQLLiteral.timestamp(micros: calendar.startMicros(of: ShopDay.latest.advanced(by: 1)))
        // Two texts, chosen here: a full read is one plain scan; a read since a day goes by created_at and lists the
        // users read whole (why not one text: the file's comment).
        let file = since == nil ? "source/customer_sales.sql" : "source/customer_sales_since.sql"
        if let since {
            literals["since"] = SQLLiteral.timestamp(micros: calendar.startMicros(of: since))
            literals["users"] = "'{" + users.map(String.init).joined(separator: ",") + "}'::bigint[]"
            literals["shop_start"] = SQLLiteral.timestamp(micros: calendar.startMicros(of: ShopDay.earliest))
        }
        let query = try sql.query(file, literals)
        let now = snapshotTime
        let orderAt = try OrderColumns(try columns(file, of: query))
        var read = 0
        let lookups = try orderLookups(read: &read)
        return try read + connection.copyOut("COPY (\(query)) TO STDOUT") { row in
            let candidate = orderAt.candidate(row, lookups: lookups, updatedAt: nil)
            switch candidate.validated(notAfter: now, notBefore: calendar.shopStartMicros) {
            case .success(let order): try body(.success(order))
            case .failure(let rejection):
                try body(.failure(RejectedRow(source: "orders_order", sourceId: row.string(orderAt.id),
                                              day: candidate.createdAt.map { calendar.day(ofMicros: $0) }, rejection: rejection,
                                              raw: rawText(row))))
            }
        }
    }

    /// Streams each user's loyalty points earned and redeemed over the transactions created before `before`
    /// (microseconds), both stores combined, with the user's transactions left out because their points are beyond
    /// ±`LoyaltyLimits.pointsPerTransaction`. Returns rows read.
    @discardableResult
    public func customerLoyalty(before: Int64, _ body: (_ userId: Int64, _ sums: LoyaltySums) throws -> Void) throws -> Int {
        let query = try sql.query("source/customer_loyalty.sql", loyaltyLiterals(since: nil, before: before, highWater: LoyaltyHighWater(orders: 0, subscriptions: 0)))
        return try connection.copyOut("COPY (\(query)) TO STDOUT") { row in
            guard let id = row.int64(0) else { return }
            try body(id, LoyaltySums(earned: row.int64(1) ?? 0, redeemed: row.int64(2) ?? 0, setAside: SetAsidePoints.list(row.string(3))))
        }
    }

    /// Streams the loyalty transactions of both stores created before `before`, and created at or after `since` or
    /// with an id above the store's `highWater` (`sql/source/customer_loyalty_changes.sql`; microseconds). Returns rows
    /// read.
    @discardableResult
    public func loyaltyTransactions(since: Int64, before: Int64, highWater: LoyaltyHighWater,
                                    _ body: (LoyaltyTransaction) throws -> Void) throws -> Int {
        let query = try sql.query("source/customer_loyalty_changes.sql", loyaltyLiterals(since: since, before: before, highWater: highWater))
        return try connection.copyOut("COPY (\(query)) TO STDOUT") { row in
            guard let user = row.int64(0), let id = row.int64(2), let at = row.timestampMicros(6) else { return }
            try body(LoyaltyTransaction(userId: user, source: row.string(1) ?? "", id: id, points: row.int64(3) ?? 0,
                                        earned: row.int64(4) ?? 0, redeemed: row.int64(5) ?? 0, createdAt: at))
        }
    }

    /// The highest id of each loyalty store in the snapshot (0 for an empty store): transactions inserted later have
    /// higher ids.
    public func loyaltyHighWater() throws -> LoyaltyHighWater {
        let row = try connection.execute(try sql.query("source/loyalty_high_water.sql", [:])).rows.first
        func id(_ k: Int) -> Int64 { row.flatMap { $0[k] }.flatMap { Int64($0) } ?? 0 }
        return LoyaltyHighWater(orders: id(0), subscriptions: id(1))
    }

    private func loyaltyLiterals(since: Int64?, before: Int64, highWater: LoyaltyHighWater) -> [String: String] {
        ["since": since.map { SQLLiteral.timestamp(micros: $0) } ?? "'-infinity'::timestamptz",
         "before": SQLLiteral.timestamp(micros: before), "order_high_water": String(highWater.orders),
         "subscription_high_water": String(highWater.subscriptions), "max_points": String(LoyaltyLimits.pointsPerTransaction)]
    }

    /// Streams the referrals created before the end of `asOf`. One without an id or a referrer, or whose creation or
    /// completion is no real time (`-infinity`, `infinity`), is set aside: a rejected row dated `asOf`, never counted
    /// (a completion at `infinity` read as none made the referral count as completed at its creation).
    @discardableResult
    public func customerReferrals(asOf: ShopDay, _ body: (Result<ReferralRow, RejectedRow>) throws -> Void) throws -> Int {
        let query = try sql.query("source/customer_referrals.sql", asOfLiterals(asOf))
        return try connection.copyOut("COPY (\(query)) TO STDOUT") { row in
            let completed = row.isNull(7) ? nil : row.timestampMicros(7)
            let problem: String? = if row.int64(0) == nil || row.int64(1) == nil {
                "the referral has no readable id or referrer"
            } else if row.timestampMicros(6) == nil {
                "created_at '\(row.string(6) ?? "")' is not a time"
            } else if !row.isNull(7) && completed == nil {
                "completed_at '\(row.string(7) ?? "")' is not a time"
            } else {
                nil
            }
            if let problem {
                return try body(.failure(RejectedRow(source: "subscriptions_referralprogram", sourceId: row.string(0), day: asOf,
                                                     rejection: Rejection(.unreadableValue, problem + "; the referral is left out of the referral figures"),
                                                     raw: rawText(row))))
            }
            try body(.success(ReferralRow(id: row.int64(0)!, referrerId: row.int64(1)!, refereeId: row.int64(2), status: row.string(3) ?? "",
                                          bonusFrancs: row.int64(4) ?? 0, bonusPoints: row.int64(5) ?? 0, createdAt: row.timestampMicros(6)!,
                                          completedAt: completed)))
        }
    }
}

/// A `customer_profiles.sql` row (the tier as the source spells it; Analytics maps it).
public struct CustomerProfileRow: Sendable {
    public var userId: Int64
    /// nil when `date_joined` is no real time (then `problem` says so).
    public var joinedAt: Int64?
    public var tierLevel: String?
    public var subscriptionActive: Bool
    /// What was wrong with the row although the customer is kept (reported in data quality).
    public var problem: RejectedRow?
}

/// A `customer_referrals.sql` row.
public struct ReferralRow: Sendable {
    public var id: Int64
    public var referrerId: Int64
    public var refereeId: Int64?
    public var status: String
    public var bonusFrancs: Int64
    public var bonusPoints: Int64
    public var createdAt: Int64
    public var completedAt: Int64?
}
