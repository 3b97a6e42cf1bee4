import Postgres

/// The ids the daily extract looks each order up in (`sql/source/order_lookups.sql`): the shop's users, the orders a
/// subscription placed and the users who are corporate employees. Read once per job and held as `IdSet`s, so the
/// orders' query joins nothing and streams in id order unsorted.
struct OrderLookups {
    private var users = IdSet()
    private var subscriptionOrders = IdSet()
    private var corporateEmployees = IdSet()
    /// Rows the query returned.
    private(set) var rowsRead = 0

    private enum Kind { case user, subscriptionOrder, corporateEmployee }
    private static let kinds = CopyWords<Kind>([("user", .user), ("subscription_order", .subscriptionOrder),
                                                ("corporate_employee", .corporateEmployee)])

    /// Runs `query` (the text of `order_lookups.sql`) on `connection`. A row of another kind, or without an id, adds
    /// nothing.
    static func read(_ connection: Connection, query: String) throws -> OrderLookups {
        var users: [Int64] = [], subscriptionOrders: [Int64] = [], corporateEmployees: [Int64] = []
        var l = OrderLookups()
        l.rowsRead = try connection.copyOut("COPY (\(query)) TO STDOUT") { row in
            guard let id = row.int64(1) else { return }
            switch row.word(0, in: kinds) {
            case .user: users.append(id)
            case .subscriptionOrder: subscriptionOrders.append(id)
            case .corporateEmployee: corporateEmployees.append(id)
            case nil: break
            }
        }
        l.users = IdSet(users); l.subscriptionOrders = IdSet(subscriptionOrders); l.corporateEmployees = IdSet(corporateEmployees)
        return l
    }

    /// The user's `auth_user` row exists.
    func userExists(_ user: Int64?) -> Bool { user.map(users.contains) ?? false }
    /// A `subscriptions_subscriptionorder` row names the order.
    func isSubscriptionOrder(_ order: Int64?) -> Bool { order.map(subscriptionOrders.contains) ?? false }
    /// The user is a `corporate_corporateemployee`.
    func isCorporateEmployee(_ user: Int64?) -> Bool { user.map(corporateEmployees.contains) ?? false }
}

/// A set of ids, for the one question the extract asks of it millions of times: is this id in it? Held as a bitmap over
/// the ids' span when that takes at most 8 bytes an id or 2 MiB (a shop's user ids and order ids are nearly dense:
/// one bit test instead of a binary search, which cost the daily extract a tenth of its time), else as the sorted ids.
struct IdSet {
    private var low: Int64 = 0
    /// Bit `id - low` is set for every id, when the bitmap is used.
    private var bits: [UInt64] = []
    /// The sorted ids, when the bitmap is not used.
    private var sorted: [Int64] = []

    /// A bitmap is used up to this many words whatever the count (2 MiB: the subscription orders of 10M orders).
    static let bitmapWordsAlways = 1 << 18

    init() {}

    init(_ ids: [Int64]) {
        guard let first = ids.min(), let last = ids.max() else { return }
        let span = UInt64(bitPattern: last &- first)  // last >= first: the true difference, up to 2^64 - 1
        guard span / 64 + 1 <= UInt64(max(ids.count, IdSet.bitmapWordsAlways)) else {
            sorted = ids.sorted()
            return
        }
        low = first
        bits = [UInt64](repeating: 0, count: Int(span / 64 + 1))
        for id in ids {
            let at = UInt64(bitPattern: id &- first)
            bits[Int(at / 64)] |= 1 << (at % 64)
        }
    }

    func contains(_ id: Int64) -> Bool {
        if !bits.isEmpty {
            guard id >= low else { return false }
            let at = UInt64(bitPattern: id &- low)
            return at / 64 < UInt64(bits.count) && bits[Int(at / 64)] & (1 << (at % 64)) != 0
        }
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < id { lo = mid + 1 } else { hi = mid }
        }
        return lo < sorted.count && sorted[lo] == id
    }
}
