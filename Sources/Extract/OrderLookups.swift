import Postgres

/// The ids the daily extract looks each order up in (`sql/source/order_lookups.sql`): the shop's users, the orders a
/// subscription placed and the users who are corporate employees. Read once per job and held as sorted arrays
/// (8 bytes an id: 9 MB for a million users), so the orders' query joins nothing and streams in id order unsorted.
struct OrderLookups {
    private var users: [Int64] = []
    private var subscriptionOrders: [Int64] = []
    private var corporateEmployees: [Int64] = []
    /// Rows the query returned.
    private(set) var rowsRead = 0

    private enum Kind { case user, subscriptionOrder, corporateEmployee }
    private static let kinds = CopyWords<Kind>([("user", .user), ("subscription_order", .subscriptionOrder),
                                                ("corporate_employee", .corporateEmployee)])

    /// Runs `query` (the text of `order_lookups.sql`) on `connection`. A row of another kind, or without an id, adds
    /// nothing.
    static func read(_ connection: Connection, query: String) throws -> OrderLookups {
        var l = OrderLookups()
        l.rowsRead = try connection.copyOut("COPY (\(query)) TO STDOUT") { row in
            guard let id = row.int64(1) else { return }
            switch row.word(0, in: kinds) {
            case .user: l.users.append(id)
            case .subscriptionOrder: l.subscriptionOrders.append(id)
            case .corporateEmployee: l.corporateEmployees.append(id)
            case nil: break
            }
        }
        l.users.sort(); l.subscriptionOrders.sort(); l.corporateEmployees.sort()
        return l
    }

    /// The user's `auth_user` row exists.
    func userExists(_ user: Int64?) -> Bool { user.map { OrderLookups.contains(users, $0) } ?? false }
    /// A `subscriptions_subscriptionorder` row names the order.
    func isSubscriptionOrder(_ order: Int64?) -> Bool { order.map { OrderLookups.contains(subscriptionOrders, $0) } ?? false }
    /// The user is a `corporate_corporateemployee`.
    func isCorporateEmployee(_ user: Int64?) -> Bool { user.map { OrderLookups.contains(corporateEmployees, $0) } ?? false }

    /// Binary search of a sorted array.
    private static func contains(_ ids: [Int64], _ id: Int64) -> Bool {
        var low = 0, high = ids.count
        while low < high {
            let mid = (low + high) / 2
            if ids[mid] < id { low = mid + 1 } else { high = mid }
        }
        return low < ids.count && ids[low] == id
    }
}
