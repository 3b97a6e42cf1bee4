import Postgres
import Shop

/// Reads the shop's database through the queries in `sql/source/`, streaming each row as a domain value.
///
/// All reads of one job happen in a single read-only, repeatable-read transaction, so every extract sees the
/// same snapshot of the shop, and `snapshotTime` is the source's clock for that snapshot.
public final class ShopSource {
    // Internal, so extracts in other files of this module (one per area) can use them.
    let connection: Connection
    let sql: SQLFiles
    let calendar: ShopCalendar
    /// `now()` of the source transaction, microseconds since the epoch.
    public private(set) var snapshotTime: Int64 = 0

    public init(connection: Connection, sql: SQLFiles, calendar: ShopCalendar) {
        self.connection = connection
        self.sql = sql
        self.calendar = calendar
    }

    /// Starts the snapshot. Call `finish()` when the extract is done.
    public func begin() throws {
        try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        open = true
        let now = try connection.scalar("SELECT now()") ?? ""
        guard let micros = now.utf8.withContiguousStorageIfAvailable({ CopyParse.timestampMicros($0) }) ?? nil else {
            throw PostgresError.copyFailed(reason: "the source returned an unreadable clock value '\(now)'")
        }
        snapshotTime = micros
    }

    private var open = false

    /// Ends the snapshot; safe to call more than once.
    public func finish() {
        guard open else { return }
        open = false
        _ = try? connection.execute("COMMIT")
    }

    /// Streams the orders created in `[start, end)` (microseconds), checked: each arrives as an `Order` or a
    /// `RejectedRow`. Returns the number of rows read.
    @discardableResult
    public func orders(from start: Int64, to end: Int64, _ body: (Result<Order, RejectedRow>) throws -> Void) throws -> Int {
        let query = try sql.query("source/orders.sql", ["from": SQLLiteral.timestamp(micros: start), "to": SQLLiteral.timestamp(micros: end)])
        let now = snapshotTime
        return try connection.copyOut("COPY (\(query)) TO STDOUT") { row in
            let candidate = orderCandidate(row, updatedAt: row.timestampMicros(15),
                                           deliveredAt: row.isNull(16) ? nil : row.timestampMicros(16),
                                           isSubscription: row.bool(17) ?? false, isCorporateEmployee: row.bool(18) ?? false,
                                           itemsSold: row.int64(19) ?? 0)
            switch candidate.validated(notAfter: now) {
            case .success(let order):
                try body(.success(order))
            case .failure(let rejection):
                let raw = rawText(row)
                try body(.failure(RejectedRow(source: "orders_order", sourceId: row.string(0),
                                              day: candidate.createdAt.map { calendar.day(ofMicros: $0) },
                                              rejection: rejection, raw: raw)))
            }
        }
    }

    /// Streams the refunds that happened in `[start, end)`.
    @discardableResult
    public func refunds(from start: Int64, to end: Int64, _ body: (Result<Refund, RejectedRow>) throws -> Void) throws -> Int {
        let query = try sql.query("source/refunds.sql", ["from": SQLLiteral.timestamp(micros: start), "to": SQLLiteral.timestamp(micros: end)])
        return try connection.copyOut("COPY (\(query)) TO STDOUT") { row in
            let kind = Refund.Kind(rawValue: row.string(0) ?? "")
            if let kind, let id = row.int64(1), let amount = row.scaled(3, scale: 2), amount >= 0, let at = row.timestampMicros(4) {
                try body(.success(Refund(kind: kind, sourceId: id, orderId: row.int64(2), amount: Money(hundredths: amount), at: at)))
            } else {
                let raw = rawText(row)
                let amount = row.scaled(3, scale: 2)
                let rejection = amount.map { $0 < 0 } == true
                    ? Rejection(.negativeAmount, "refund amount is negative")
                    : Rejection(.unreadableValue, "refund row has an unreadable kind, id, amount or time")
                try body(.failure(RejectedRow(source: kind == .refundedOrder ? "orders_order" : "payments_refundrequest",
                                              sourceId: row.string(1), day: row.timestampMicros(4).map { calendar.day(ofMicros: $0) },
                                              rejection: rejection, raw: raw)))
            }
        }
    }

    /// Streams the catering bookings that count as revenue with event dates in `range`.
    @discardableResult
    public func catering(in range: ShopDayRange, _ body: (Result<CateringSale, RejectedRow>) throws -> Void) throws -> Int {
        let query = try sql.query("source/catering.sql", ["from_day": SQLLiteral.date(range.first), "to_day": SQLLiteral.date(range.last)])
        return try connection.copyOut("COPY (\(query)) TO STDOUT") { row in
            if let id = row.int64(0), let day = row.epochDay(1), let amount = row.scaled(2, scale: 2), amount >= 0 {
                try body(.success(CateringSale(id: id, eventDay: ShopDay(epochDay: day), amount: Money(hundredths: amount))))
            } else {
                let raw = rawText(row)
                try body(.failure(RejectedRow(source: "catering_cateringbooking", sourceId: row.string(0),
                                              day: row.epochDay(1).map { ShopDay(epochDay: $0) },
                                              rejection: Rejection(.negativeAmount, "total_price is negative or unreadable"), raw: raw)))
            }
        }
    }

    /// Display names of the given users (missing users are absent).
    public func customerNames(_ ids: [Int64]) throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        let literal = "'{" + ids.map(String.init).joined(separator: ",") + "}'::bigint[]"
        let query = try sql.query("source/customer_names.sql", ["ids": literal])
        var names: [Int64: String] = [:]
        try connection.copyOut("COPY (\(query)) TO STDOUT") { row in
            if let id = row.int64(0) { names[id] = row.string(1) ?? "" }
        }
        return names
    }

    /// The shop days touched by changes after `since` (microseconds): see `sql/source/changed_since.sql`.
    public func changedDays(since: Int64) throws -> Set<ShopDay> {
        let query = try sql.query("source/changed_since.sql", ["since": SQLLiteral.timestamp(micros: since)])
        var days = Set<ShopDay>()
        try connection.copyOut("COPY (\(query)) TO STDOUT") { row in
            if let t = row.timestampMicros(0) { days.insert(calendar.day(ofMicros: t)) }
            if let d = row.epochDay(1) { days.insert(ShopDay(epochDay: d)) }
        }
        return days
    }
}

/// The first fifteen columns every order extract shares (id ... created_at, in `sql/source/orders.sql`'s order) as an
/// unchecked order; the rest come from each extract's own columns.
func orderCandidate(_ row: borrowing CopyRow, updatedAt: Int64?, deliveredAt: Int64? = nil, isSubscription: Bool = false,
                    isCorporateEmployee: Bool = false, itemsSold: Int64 = 0) -> OrderCandidate {
    OrderCandidate(
        id: row.int64(0), userId: row.int64(1), userExists: row.bool(2) ?? false,
        status: row.string(3), paymentMethod: row.string(4), paymentStatus: row.string(5),
        subtotal: row.scaled(6, scale: 2), deliveryCharge: row.scaled(7, scale: 2), coupon: row.scaled(8, scale: 2),
        loyalty: row.scaled(9, scale: 2), vip: row.scaled(10, scale: 2), corporate: row.scaled(11, scale: 2),
        referral: row.scaled(12, scale: 2), total: row.scaled(13, scale: 2),
        createdAt: row.timestampMicros(14), updatedAt: updatedAt, deliveredAt: deliveredAt,
        isSubscription: isSubscription, isCorporateEmployee: isCorporateEmployee, itemsSold: itemsSold)
}

/// The row as the extract read it (tab-separated COPY text, `\N` for NULL), kept with a rejected row.
func rawText(_ row: borrowing CopyRow) -> String {
    (0..<row.count).map { row.string($0) ?? "\\N" }.joined(separator: "\t")
}
