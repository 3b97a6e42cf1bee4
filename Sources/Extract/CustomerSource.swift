import Postgres
import Shop

/// The customer extracts (`sql/source/customer_*.sql`), each streamed row by row inside the job's snapshot.
extension ShopSource {
    private func asOfLiterals(_ asOf: ShopDay) -> [String: String] {
        ["as_of_end": SQLLiteral.timestamp(micros: calendar.startMicros(of: asOf.advanced(by: 1))), "as_of_day": SQLLiteral.date(asOf)]
    }

    /// Streams the customers as of `asOf` (non-staff users who joined by its end). Returns rows read.
    @discardableResult
    public func customerProfiles(asOf: ShopDay, _ body: (CustomerProfileRow) throws -> Void) throws -> Int {
        let query = try sql.query("source/customer_profiles.sql", asOfLiterals(asOf))
        return try connection.copyOut("COPY (\(query)) TO STDOUT") { row in
            guard let id = row.int64(0), let joined = row.timestampMicros(1) else { return }
            try body(CustomerProfileRow(userId: id, joinedAt: joined, tierLevel: row.string(2), subscriptionActive: row.bool(3) ?? false))
        }
    }

    /// Streams every sale created before the end of `asOf`, oldest first, checked like the daily extract: each
    /// arrives as an `Order` or as the rejection (rejected rows are the daily extract's to report). Returns rows read.
    @discardableResult
    public func customerSales(asOf: ShopDay, _ body: (Result<Order, Rejection>) throws -> Void) throws -> Int {
        let query = try sql.query("source/customer_sales.sql", asOfLiterals(asOf))
        let now = snapshotTime
        return try connection.copyOut("COPY (\(query)) TO STDOUT") { row in
            let candidate = orderCandidate(row, updatedAt: nil)
            try body(candidate.validated(notAfter: now))
        }
    }

    /// Streams each user's loyalty points earned and redeemed before the end of `asOf`, both stores combined.
    @discardableResult
    public func customerLoyalty(asOf: ShopDay, _ body: (_ userId: Int64, _ earned: Int64, _ redeemed: Int64) throws -> Void) throws -> Int {
        let query = try sql.query("source/customer_loyalty.sql", asOfLiterals(asOf))
        return try connection.copyOut("COPY (\(query)) TO STDOUT") { row in
            guard let id = row.int64(0) else { return }
            try body(id, row.int64(1) ?? 0, row.int64(2) ?? 0)
        }
    }

    /// Streams the referrals created before the end of `asOf`.
    @discardableResult
    public func customerReferrals(asOf: ShopDay, _ body: (ReferralRow) throws -> Void) throws -> Int {
        let query = try sql.query("source/customer_referrals.sql", asOfLiterals(asOf))
        return try connection.copyOut("COPY (\(query)) TO STDOUT") { row in
            guard let id = row.int64(0), let referrer = row.int64(1), let created = row.timestampMicros(6) else { return }
            try body(ReferralRow(id: id, referrerId: referrer, refereeId: row.int64(2), status: row.string(3) ?? "",
                                 bonusFrancs: row.int64(4) ?? 0, bonusPoints: row.int64(5) ?? 0, createdAt: created,
                                 completedAt: row.isNull(7) ? nil : row.timestampMicros(7)))
        }
    }
}

/// A `customer_profiles.sql` row (the tier as the source spells it; Analytics maps it).
public struct CustomerProfileRow: Sendable {
    public var userId: Int64
    public var joinedAt: Int64
    public var tierLevel: String?
    public var subscriptionActive: Bool
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
