import Foundation
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
        // The extracts are plain scans and joins streamed out once: compiling them (PostgreSQL's JIT, on by default
        // for costly plans) takes longer than it saves.
        try connection.execute("SET LOCAL jit = off")
        snapshotId = try connection.scalar("SELECT pg_export_snapshot()")
        let now = try connection.scalar("SELECT now()") ?? ""
        guard let micros = now.utf8.withContiguousStorageIfAvailable({ CopyParse.timestampMicros($0) }) ?? nil else {
            throw PostgresError.copyFailed(reason: "the source returned an unreadable clock value '\(now)'")
        }
        snapshotTime = micros
    }

    private var open = false
    /// The snapshot `begin()` exported, for `second`.
    private var snapshotId: String?
    /// A second connection inside the same snapshot, opened on first use: the order lines stream on it while the
    /// orders stream on `connection`, so the server reads both at once.
    private var secondConnection: Connection?
    /// The ids the orders are looked up in (`order_lookups.sql`), read once, on first use (`orderLookups(read:)`).
    private var lookups: OrderLookups?

    /// Ends the snapshot; safe to call more than once.
    public func finish() {
        if let second = secondConnection {
            secondConnection = nil
            _ = try? second.execute("COMMIT")
        }
        guard open else { return }
        open = false
        _ = try? connection.execute("COMMIT")
    }

    /// The ids the orders are looked up in, read on first use (adding the rows to `read`).
    func orderLookups(read: inout Int) throws -> OrderLookups {
        if let lookups { return lookups }
        let l = try OrderLookups.read(connection, query: try sql.query("source/order_lookups.sql", [:]))
        read += l.rowsRead
        lookups = l
        return l
    }

    /// The second connection, in the snapshot of `begin()`.
    private func second() throws -> Connection {
        if let secondConnection { return secondConnection }
        let c = try inSnapshot()
        secondConnection = c
        return c
    }

    /// A canceller for the orders' two connections (opening the second now): `orders(from:to:_:)` streams on them.
    public func ordersCanceller() throws -> QueryCanceller {
        QueryCanceller([connection, try second()])
    }

    /// A canceller for this source's own connection.
    public func canceller() -> QueryCanceller { QueryCanceller([connection]) }

    /// A new connection in the snapshot of `begin()`.
    private func inSnapshot() throws -> Connection {
        guard open, let snapshotId else { throw PostgresError.copyFailed(reason: "the shop's snapshot is not open") }
        let c = try connection.sibling()
        try c.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try c.execute("SET TRANSACTION SNAPSHOT '\(snapshotId.filter { $0.isHexDigit || $0 == "-" })'")
        try c.execute("SET LOCAL jit = off")
        return c
    }

    /// The job's snapshot read on the second connection, for a stage that reads two streams at once on two threads:
    /// each of the two sources is used by one thread only. This source's `finish()` does nothing; the original's
    /// ends both.
    public func onSecondConnection() throws -> ShopSource {
        let other = ShopSource(connection: try second(), sql: sql, calendar: calendar)
        other.snapshotTime = snapshotTime
        other.lookups = lookups  // read once per job: the second source reads them only if the first has not yet
        return other
    }

    /// The job's snapshot read on a connection of its own (a third, beside the two the orders and their lines stream on),
    /// for reads that need nothing from those streams; the connection closes when the source is released.
    public func onNewConnection() throws -> ShopSource {
        let other = ShopSource(connection: try inSnapshot(), sql: sql, calendar: calendar)
        other.snapshotTime = snapshotTime
        return other
    }

    /// Streams the orders created in `[start, end)` (microseconds), checked: each arrives as an `Order` (with its
    /// readable lines) or a `RejectedRow`. A line of a valid order that cannot be read, or whose item is not on `menu`
    /// (the shop's menu, `menu()`, read in the same snapshot), arrives first as a rejected row of its own (source
    /// `orders_orderitem`); the lines of a rejected order are not checked again. Returns the number of rows read
    /// (orders and lines).
    ///
    /// The orders (`orders.sql`) and their lines (`order_items.sql`) are two streams in ascending order id, read on
    /// two connections in one snapshot and merged, so neither is held in memory. The lines start when the first
    /// order arrives, from its id. Each stream is read and checked on a thread of its own, batches ahead
    /// (`ReadAhead`): `body` runs on the calling thread, which meanwhile must not use this source.
    @discardableResult
    public func orders(from start: Int64, to end: Int64, menu: [Int64: MenuItem],
                       _ body: (Result<Order, RejectedRow>) throws -> Void) throws -> Int {
        let bounds = ["from": SQLLiteral.timestamp(micros: start), "to": SQLLiteral.timestamp(micros: end)]
        let query = try sql.query("source/orders.sql", bounds)
        var read = 0
        let lookups = try orderLookups(read: &read)
        let linesConnection = try second()
        let items = OrderItemStream(menu: IdSet(Array(menu.keys))) { [sql] firstOrder in
            var literals = bounds
            literals["first_order_id"] = String(firstOrder)
            return try CopyCursor(linesConnection, "COPY (\(try sql.query("source/order_items.sql", literals))) TO STDOUT")
        }
        let at = try columns("source/orders.sql", of: query)
        let binary = OrderColumns.binaryColumns(at.names)
        let orderAt = try OrderColumns(at)
        let updatedAt = try at("updated_at"), deliveredAt = try at("delivered_at"), couponCode = try at("coupon_code")
        let counted = Counted()
        let ahead = ReadAhead<[Result<Order, RejectedRow>]>(depth: 8) { [self] hand in
            defer { try? items.close() }
            var batch: [Result<Order, RejectedRow>] = []
            batch.reserveCapacity(1_024)
            counted.orders = try checkedOrders(query, binary, orderAt, updatedAt: updatedAt, deliveredAt: deliveredAt, couponCode: couponCode,
                                               lookups: lookups, items: items) { result in
                batch.append(result)
                if batch.count == 1_024 {
                    guard hand(batch) else { throw ReadAheadStopped() }
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { _ = hand(batch) }
        }
        do {
            while let batch = try ahead.nextBatch() {
                for result in batch { try body(result) }
            }
        } catch {
            try? ahead.close()
            throw error
        }
        try ahead.close()  // the reading thread has ended: its counts and `items` are this thread's again
        return read + counted.orders + items.read
    }

    /// The orders the reading thread of `orders(from:to:menu:_:)` read.
    private final class Counted: @unchecked Sendable {
        var orders = 0
    }

    /// Reads the orders of `query` (a binary COPY of `columns`) and merges their lines from `items`, checked, in order
    /// (a rejected line before its order); returns the orders read.
    private func checkedOrders(_ query: String, _ columns: [BinaryColumn], _ orderAt: OrderColumns, updatedAt: Int, deliveredAt: Int,
                               couponCode: Int,
                               lookups: OrderLookups, items: OrderItemStream,
                               _ body: (Result<Order, RejectedRow>) throws -> Void) throws -> Int {
        let now = snapshotTime
        var taken: [(id: Int64, line: OrderLine)] = []
        var lines: [OrderLine] = []
        var bad: [OrderItemStream.Rejected] = []
        return try connection.copyOutBinary(query, columns: columns) { row in
            let id = row.int64(orderAt.id)
            taken.removeAll(keepingCapacity: true)
            lines.removeAll(keepingCapacity: true)
            bad.removeAll(keepingCapacity: true)
            var sold: Int64 = 0
            if let id {
                try items.take(orderId: id) { item, rejected in
                    sold += item.quantity ?? 0
                    if let line = item.line { taken.append((item.id ?? .min, line)) } else if let rejected { bad.append(rejected) }
                }
                // An order's lines in id order, as the shop lists them (the query orders by order id only; a line id is
                // the table's primary key, so never missing or repeated), and its lines set aside in that order too.
                if taken.indices.dropFirst().contains(where: { taken[$0 - 1].id > taken[$0].id }) { taken.sort { $0.id < $1.id } }
                if bad.count > 1 { bad.sort { ($0.id ?? .min) < ($1.id ?? .min) } }
                for t in taken { lines.append(t.line) }
            }
            let candidate = orderAt.candidate(row, lookups: lookups, updatedAt: row.timestampMicros(updatedAt),
                                            deliveredAt: row.isNull(deliveredAt) ? nil : row.timestampMicros(deliveredAt),
                                            isSubscription: lookups.isSubscriptionOrder(id),
                                            isCorporateEmployee: lookups.isCorporateEmployee(row.int64(orderAt.userId)), itemsSold: sold)
            switch candidate.validated(notAfter: now, notBefore: calendar.shopStartMicros) {
            case var .success(order):
                for line in bad {
                    try body(.failure(RejectedRow(source: "orders_orderitem", sourceId: line.id.map(String.init),
                                                  day: calendar.day(ofMicros: order.createdAt), rejection: line.rejection,
                                                  raw: "order \(order.id): " + line.raw)))
                }
                order.lines = lines
                if !row.isNull(couponCode) && !row.raw(couponCode).isEmpty { order.couponCode = row.string(couponCode) ?? "" }
                try body(.success(order))
            case .failure(let rejection):
                let raw = rawText(row)
                try body(.failure(RejectedRow(source: "orders_order", sourceId: row.string(orderAt.id),
                                              day: candidate.createdAt.map { calendar.day(ofMicros: $0) },
                                              rejection: rejection, raw: raw)))
            }
        }
    }

    /// Streams the refunds that happened in `[start, end)`.
    @discardableResult
    public func refunds(from start: Int64, to end: Int64, _ body: (Result<Refund, RejectedRow>) throws -> Void) throws -> Int {
        try refunds(try sql.query("source/refunds.sql", ["from": SQLLiteral.timestamp(micros: start), "to": SQLLiteral.timestamp(micros: end)]), body)
    }

    /// Streams the refunds dated outside the shop's dates (`sql/source/refunds_outside_shop_dates.sql`), which no range
    /// reaches, each as a rejected row dated `day` (the job's last day): every job reports them once, and a refund is
    /// never left out without a word.
    @discardableResult
    public func refundsOutsideShopDates(reportedOn day: ShopDay, _ body: (RejectedRow) throws -> Void) throws -> Int {
        let query = try sql.query("source/refunds_outside_shop_dates.sql", [
            "shop_start": SQLLiteral.timestamp(micros: calendar.startMicros(of: ShopDay.earliest)),
            "shop_end": SQLLiteral.timestamp(micros: calendar.startMicros(of: ShopDay.latest.advanced(by: 1))),
        ])
        let note = "; reported as of \(day.iso) because its own day is outside the shop's dates (\(ShopDay.earliest.iso) to \(ShopDay.latest.iso))"
        return try refunds(query) { result in
            switch result {
            case .success(let refund):
                try body(RejectedRow(source: refund.kind == .refundedOrder ? "orders_order" : "payments_refundrequest", sourceId: String(refund.sourceId),
                                     day: day, rejection: Rejection(.outOfRange, "refund of \(refund.amount.decimalString) dated \(Instant.utcString(micros: refund.at))" + note),
                                     raw: (refund.orderId.map { "order \($0), " } ?? "") + "amount \(refund.amount.decimalString)"))
            case .failure(var row):
                row.rejection.detail += note
                row.day = day
                try body(row)
            }
        }
    }

    private func refunds(_ query: String, _ body: (Result<Refund, RejectedRow>) throws -> Void) throws -> Int {
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
                // README "Rejected rows": a price below zero is negative_amount; one that does not parse (NaN) or a
                // missing id or date is unreadable_value.
                let negative = row.epochDay(1) != nil && row.int64(0) != nil && (row.scaled(2, scale: 2) ?? 0) < 0
                try body(.failure(RejectedRow(source: "catering_cateringbooking", sourceId: row.string(0),
                                              day: row.epochDay(1).map { ShopDay(epochDay: $0) },
                                              rejection: negative ? Rejection(.negativeAmount, "total_price is negative")
                                                  : Rejection(.unreadableValue, "id, event_date or total_price is empty or unreadable"),
                                              raw: raw)))
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

/// The positions of a source file's columns, looked up by name once per extract: the job reads a file's columns by
/// name, so an adapted file may compute and order them as it likes (README, "What it does").
struct SourceColumns {
    let file: String
    /// The columns' names, in the query's order.
    let names: [String]
    private let index: [String: Int]

    init(file: String, names: [String]) {
        self.file = file
        self.names = names
        var index: [String: Int] = [:]
        for (k, n) in names.enumerated() where index[n] == nil { index[n] = k }
        self.index = index
    }

    /// The position of the column `name`; an error naming the file and the column when the query has none.
    func callAsFunction(_ name: String) throws -> Int {
        guard let k = index[name] else { throw PostgresError.missingColumn(source: "sql/" + file, column: name) }
        return k
    }
}

extension ShopSource {
    /// The columns `query` (the text of `file`) returns, by name; the query is described, not run.
    func columns(_ file: String, of query: String) throws -> SourceColumns {
        SourceColumns(file: file, names: try connection.columnNames(of: query))
    }
}

/// Where the order columns every order extract shares (`sql/source/shared/order_columns.sql`) are in one file's
/// output; each extract reads its other columns by name itself.
struct OrderColumns {
    let id, userId, status, paymentMethod, paymentStatus, subtotal, deliveryCharge: Int
    let coupon, loyalty, vip, corporate, referral, total, createdAt: Int

    init(_ at: SourceColumns) throws {
        id = try at("id"); userId = try at("user_id"); status = try at("status")
        paymentMethod = try at("payment_method"); paymentStatus = try at("payment_status"); subtotal = try at("subtotal")
        deliveryCharge = try at("delivery_charge"); coupon = try at("discount_amount"); loyalty = try at("loyalty_discount_amount")
        vip = try at("vip_discount_amount"); corporate = try at("corporate_discount_amount"); referral = try at("referral_discount_amount")
        total = try at("total"); createdAt = try at("created_at")
    }

    /// The row's order, unchecked, its user looked up in `lookups`; the rest comes from each extract's own columns.
    func candidate<Row: CopyFields & ~Copyable>(_ row: borrowing Row, lookups: OrderLookups, updatedAt: Int64?, deliveredAt: Int64? = nil,
                   isSubscription: Bool = false, isCorporateEmployee: Bool = false, itemsSold: Int64 = 0) -> OrderCandidate {
        let user = row.int64(userId)
        return OrderCandidate(
            id: row.int64(id), userId: user, userExists: lookups.userExists(user),
            status: word(row, status, OrderColumns.statuses), paymentMethod: word(row, paymentMethod, OrderColumns.paymentMethods),
            paymentStatus: word(row, paymentStatus, OrderColumns.paymentStatuses),
            subtotal: row.scaled(subtotal, scale: 2), deliveryCharge: row.scaled(deliveryCharge, scale: 2), coupon: row.scaled(coupon, scale: 2),
            loyalty: row.scaled(loyalty, scale: 2), vip: row.scaled(vip, scale: 2), corporate: row.scaled(corporate, scale: 2),
            referral: row.scaled(referral, scale: 2), total: row.scaled(total, scale: 2),
            createdAt: row.timestampMicros(createdAt), updatedAt: updatedAt, deliveredAt: deliveredAt,
            isSubscription: isSubscription, isCorporateEmployee: isCorporateEmployee, itemsSold: itemsSold)
    }

    /// How `orders.sql`'s columns `names` are read from its binary COPY: the ids as whole numbers, the amounts as
    /// `numeric`, the times as `timestamptz`, the rest as text. The server then formats no amount or time as text and
    /// the job parses none (at 10M orders the text took the thread that reads the orders a fifth of its time).
    static func binaryColumns(_ names: [String]) -> [BinaryColumn] {
        names.map { name in
            switch name {
            case "id", "user_id": .integer
            case "subtotal", "delivery_charge", "discount_amount", "loyalty_discount_amount", "vip_discount_amount",
                 "corporate_discount_amount", "referral_discount_amount", "total": .numeric
            case "created_at", "updated_at", "delivered_at": .timestamptz
            default: .text
            }
        }
    }

    static let statuses = CopyWords<OrderStatus>()
    static let paymentMethods = CopyWords<PaymentMethod>()
    static let paymentStatuses = CopyWords<PaymentStatus>()
}

/// Field `i` as one of `words`, found from its bytes; other text (kept for the rejected row's message) only then
/// becomes a String.
func word<Word, Row: CopyFields & ~Copyable>(_ row: borrowing Row, _ i: Int, _ words: CopyWords<Word>) -> SourceWord<Word> {
    if let known = row.word(i, in: words) { return .known(known) }
    return .other(row.string(i))
}

/// The row as the extract read it (tab-separated COPY text, `\N` for NULL), kept with a rejected row.
func rawText<Row: CopyFields & ~Copyable>(_ row: borrowing Row) -> String {
    (0..<row.count).map { row.string($0) ?? "\\N" }.joined(separator: "\t")
}

/// The order lines of `sql/source/order_items.sql`, read ahead so that they can be merged with the orders in ascending
/// order id (each order's lines in any order: the merge puts them in id order). A thread of their own reads and checks
/// them, batches of 2,048 up to 8 ahead of the merge (`ReadAhead`), so the lines' connection and their parsing need
/// not wait for the orders' turn on the merging thread.
final class OrderItemStream {
    /// A line as the merge takes it: plain values only, as the merge copies millions of them.
    struct Item: Sendable {
        var orderId: Int64
        /// The line's id (nil when unreadable: the line is then set aside).
        var id: Int64?
        var quantity: Int64?
        /// The checked line; nil when the line is set aside, and `rejected` is then its place in its batch's `rejected`.
        var line: OrderLine?
        var rejected: Int32 = -1
    }

    /// A line set aside: its id and the line as the shop holds it, `id:menu_item_id:quantity:subtotal:exists`, for its
    /// rejected row.
    struct Rejected {
        var id: Int64?
        var rejection: Rejection
        var raw: String
    }

    /// What the lines' thread hands over at a time.
    struct Batch {
        var items: [Item] = []
        var rejected: [Rejected] = []
    }

    /// Starts the lines' COPY from the first order's id.
    private let start: (Int64) throws -> CopyCursor
    /// The ids of the menu's items: a line whose item is not among them is set aside.
    private let menu: IdSet
    private var ahead: ReadAhead<Batch>?
    /// The batch being merged, and the next item in it.
    private var batch = Batch()
    private var next = 0
    /// Lines taken so far: the lines of the orders merged (a line of an order outside the range, which
    /// `order_items.sql` may give, is skipped and not counted).
    private(set) var read = 0

    init(menu: IdSet, startingAt start: @escaping (Int64) throws -> CopyCursor) {
        self.menu = menu
        self.start = start
    }

    /// Calls `body` with each line of order `orderId` (and why it is set aside, when it is), skipping lines of lower
    /// order ids (lines of orders outside the range). The order ids must ascend from call to call; the first call
    /// starts the lines from its id.
    func take(orderId: Int64, _ body: (Item, Rejected?) throws -> Void) throws {
        if ahead == nil { ahead = Self.readAhead(try start(orderId), menu: menu) }
        while let item = try peek(), item.orderId < orderId { next += 1 }
        while let item = try peek(), item.orderId == orderId {
            read += 1
            next += 1
            try body(item, item.line == nil ? batch.rejected[Int(item.rejected)] : nil)
        }
    }

    /// The next line not yet merged, nil after the last.
    private func peek() throws -> Item? {
        if next == batch.items.count {
            guard let more = try ahead?.nextBatch() else { return nil }
            batch = more
            next = 0
        }
        return batch.items[next]
    }

    /// Reads and drops the lines not taken, so the connection is free again.
    func close() throws { try ahead?.close() }
}

extension OrderItemStream {
    /// Reads and checks the lines of `cursor` on a thread of their own. When the merge stops taking them, the rest of
    /// the COPY is read and dropped there, so the connection is free again.
    static func readAhead(_ cursor: CopyCursor, menu: IdSet) -> ReadAhead<Batch> {
        ReadAhead(depth: 8) { hand in
            var batch = Batch()
            batch.items.reserveCapacity(2_048)
            while true {
                var read = false
                guard try cursor.advance({ row in read = Self.add(row, menu: menu, to: &batch) }) else { break }
                if read, batch.items.count == 2_048 {
                    guard hand(batch) else { return try cursor.close() }
                    batch.items.removeAll(keepingCapacity: true)
                    batch.rejected.removeAll()
                }
            }
            if !batch.items.isEmpty { _ = hand(batch) }
        }
    }

    /// Adds the row's line to `batch`; false for a row without an order id (order_id is NOT NULL in the shop). `menu`
    /// holds the ids of the menu's items.
    static func add(_ row: borrowing CopyRow, menu: IdSet, to batch: inout Batch) -> Bool {
        guard let orderId = row.int64(0) else { return false }
        let menuItemId = row.int64(2)
        let exists = menuItemId.map(menu.contains) ?? false
        let candidate = OrderLineCandidate(id: row.int64(1), menuItemId: menuItemId, quantity: row.int64(3),
                                           subtotal: row.scaled(4, scale: 2), menuItemExists: exists)
        var item = Item(orderId: orderId, id: candidate.id, quantity: candidate.quantity)
        switch candidate.validated() {
        case .success(let line): item.line = line
        case .failure(let rejection):
            let raw = (1...4).map { row.string($0) ?? "" }.joined(separator: ":") + (exists ? ":t" : ":f")
            item.rejected = Int32(batch.rejected.count)
            batch.rejected.append(Rejected(id: candidate.id, rejection: rejection, raw: raw))
        }
        batch.items.append(item)
        return true
    }
}
