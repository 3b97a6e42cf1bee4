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

    /// Streams the orders created in `[start, end)` (microseconds), checked: each arrives as an `Order` (with its
    /// readable lines) or a `RejectedRow`. A line of a valid order that cannot be read arrives first as a rejected
    /// row of its own (source `orders_orderitem`); the lines of a rejected order are not checked again. Returns the
    /// number of orders read.
    @discardableResult
    public func orders(from start: Int64, to end: Int64, _ body: (Result<Order, RejectedRow>) throws -> Void) throws -> Int {
        let query = try sql.query("source/orders.sql", ["from": SQLLiteral.timestamp(micros: start), "to": SQLLiteral.timestamp(micros: end)])
        let now = snapshotTime
        var lines: [OrderLine] = []
        return try connection.copyOut("COPY (\(query)) TO STDOUT") { row in
            let candidate = orderCandidate(row, updatedAt: row.timestampMicros(15),
                                           deliveredAt: row.isNull(16) ? nil : row.timestampMicros(16),
                                           isSubscription: row.bool(17) ?? false, isCorporateEmployee: row.bool(18) ?? false,
                                           itemsSold: row.int64(19) ?? 0)
            switch candidate.validated(notAfter: now) {
            case var .success(order):
                lines.removeAll(keepingCapacity: true)
                for (c, raw) in OrderLines.candidates(row.raw(20)) {
                    switch c.validated() {
                    case .success(let line): lines.append(line)
                    case .failure(let rejection):
                        try body(.failure(RejectedRow(source: "orders_orderitem", sourceId: c.id.map(String.init),
                                                      day: calendar.day(ofMicros: order.createdAt), rejection: rejection,
                                                      raw: "order \(order.id): " + String(decoding: raw, as: UTF8.self))))
                    }
                }
                order.lines = lines
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

    /// The shop's menu (`sql/source/menu_items.sql`): every item with its category's name, by id, and the rows read.
    public func menu() throws -> (items: [Int64: MenuItem], rowsRead: Int) {
        let query = try sql.query("source/menu_items.sql", [:])
        var items: [Int64: MenuItem] = [:]
        let n = try connection.copyOut("COPY (\(query)) TO STDOUT") { row in
            if let id = row.int64(0) { items[id] = MenuItem(id: id, name: row.string(1) ?? "", category: row.string(2) ?? "") }
        }
        return (items, n)
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

/// The `lines` column of `sql/source/orders.sql`: `id:menu_item_id:quantity:subtotal:exists` joined by `,`.
enum OrderLines {
    /// Each line as read, with its text (`id:menu_item_id:quantity:subtotal:exists`); valid while `field` is.
    static func candidates(_ field: UnsafeBufferPointer<UInt8>) -> [(OrderLineCandidate, UnsafeBufferPointer<UInt8>)] {
        guard field.count > 0, !(field.count == 2 && field[0] == 92 && field[1] == 78) else { return [] }
        var out: [(OrderLineCandidate, UnsafeBufferPointer<UInt8>)] = []
        var start = 0
        for i in 0...field.count where i == field.count || field[i] == UInt8(ascii: ",") {
            let part = UnsafeBufferPointer(rebasing: field[start..<i])
            out.append((candidate(part), part))
            start = i + 1
        }
        return out
    }

    private static func candidate(_ f: UnsafeBufferPointer<UInt8>) -> OrderLineCandidate {
        var parts: [UnsafeBufferPointer<UInt8>] = []
        var start = 0
        for i in 0...f.count where i == f.count || f[i] == UInt8(ascii: ":") {
            parts.append(UnsafeBufferPointer(rebasing: f[start..<i]))
            start = i + 1
        }
        func part(_ k: Int) -> UnsafeBufferPointer<UInt8> { k < parts.count ? parts[k] : UnsafeBufferPointer(start: nil, count: 0) }
        let exists = part(4).count == 1 && part(4)[0] == UInt8(ascii: "t")
        return OrderLineCandidate(id: CopyParse.int64(part(0)), menuItemId: CopyParse.int64(part(1)),
                                  quantity: CopyParse.int64(part(2)), subtotal: CopyParse.scaled(part(3), scale: 2),
                                  menuItemExists: exists)
    }
}
