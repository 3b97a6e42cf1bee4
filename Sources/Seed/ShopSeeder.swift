import Foundation  // replacingOccurrences
import Postgres
import Shop

/// What to generate. Orders run from `lastDay - (days - 1)` to `lastDay` (shop days, Kigali).
public struct SeedPlan: Sendable {
    /// Last shop day with orders (Kigali).
    public var lastDay: ShopDay
    /// Number of shop days with orders, e.g. 90.
    public var days: Int
    /// Number of customers (auth_user rows besides two staff accounts), e.g. 2,000.
    public var customers: Int
    /// Total orders (0 allowed), spread over the days; `nil` gives a realistic volume of about `customers * days / 12`.
    public var orders: Int?
    /// The same plan and seed give byte-identical data.
    public var seed: UInt64 = 42
    public var calendar: ShopCalendar

    public init(lastDay: ShopDay, days: Int, customers: Int, orders: Int? = nil, calendar: ShopCalendar) {
        self.lastDay = lastDay
        self.days = days
        self.customers = customers
        self.orders = orders
        self.calendar = calendar
    }

    /// Orders the plan will generate.
    public var orderCount: Int { orders ?? max(1, customers * days / 12) }
}

/// Rows written, by table.
public struct SeedReport: Sendable, Equatable {
    public var users = 0, menuItems = 0, orders = 0, orderItems = 0, payments = 0, refunds = 0, subscriptions = 0,
               subscriptionOrders = 0, cateringBookings = 0, campaigns = 0, conversionEvents = 0, pageViews = 0

    public init() {}
}

/// Why seeding did not start. Nothing is written in any of these cases.
public enum SeedError: Error, CustomStringConvertible, Sendable {
    case invalidPlan(String)
    case missingTables([String])
    case notEmpty(table: String, rows: Int)

    public var description: String {
        switch self {
        case .invalidPlan(let why):
            return "The seed plan is not usable: \(why)."
        case .missingTables(let tables):
            return "The shop schema is not loaded: \(tables.count) table(s) missing (\(tables.prefix(5).joined(separator: ", "))\(tables.count > 5 ? ", ..." : "")); load sql/shop/0001_shop_schema.sql first (scripts/shop-db.sh DBNAME)."
        case .notEmpty(let table, let rows):
            return "The shop database already holds data (\(rows) row(s) in public.\(table)); seed into an empty shop, or replace its data (the seeder's replace option truncates the shop tables first)."
        }
    }
}

/// Writes a realistic, deterministic synthetic shop into the shop's real schema with COPY, streaming: orders are
/// generated and written row by row (several deterministic passes, one per table), never held in memory.
///
/// Everything happens in one transaction: on any error nothing is left behind. For speed, the foreign keys and the
/// plain (non-unique) indexes of the seeded tables are dropped inside that transaction and recreated (and the keys
/// validated) before it commits; primary keys and unique constraints stay in place throughout.
public struct ShopSeeder {
    let connection: Connection
    let progress: @Sendable (String) -> Void

    public init(connection: Connection, progress: @escaping @Sendable (String) -> Void = { _ in }) {
        self.connection = connection
        self.progress = progress
    }

    /// Tables the seeder writes.
    static let seededTables = [
        "auth_user", "menu_category", "menu_menuitem", "orders_order", "orders_orderitem", "payments_payment",
        "payments_refundrequest", "loyalty_loyaltypoints", "loyalty_pointstransaction",
        "subscriptions_subscriptionplan", "subscriptions_subscription", "subscriptions_subscriptionorder",
        "subscriptions_viptier", "subscriptions_loyaltypoints", "subscriptions_loyaltytransaction",
        "subscriptions_referralprogram", "corporate_corporatepartner", "corporate_corporatecontract",
        "corporate_corporateemployee", "catering_cateringpackage", "catering_cateringbooking", "analytics_campaign",
        "analytics_conversionevent", "analytics_pageviewanalytics",
    ]

    /// Shop tables derived from the others (written by the analytics job with --django-tables), emptied on replace
    /// so that they never describe data that is gone; the seeder leaves them empty.
    static let derivedTables = [
        "analytics_dailyanalyticssnapshot", "analytics_revenuestream", "analytics_customermetrics",
        "analytics_campaignperformance",
    ]

    /// Fails with a clear error if the shop tables are missing or already hold data (unless `replace`, which
    /// TRUNCATEs the seeded and derived tables with RESTART IDENTITY CASCADE first, in the same transaction).
    public func seed(_ plan: SeedPlan, replace: Bool = false) throws -> SeedReport {
        guard plan.days >= 1 else { throw SeedError.invalidPlan("days must be at least 1 (got \(plan.days))") }
        guard plan.days <= 3660 else { throw SeedError.invalidPlan("days must be at most 3,660 (got \(plan.days))") }
        guard plan.customers >= 1 else { throw SeedError.invalidPlan("customers must be at least 1 (got \(plan.customers))") }
        guard plan.customers <= 50_000_000 else { throw SeedError.invalidPlan("customers must be at most 50,000,000") }
        if let n = plan.orders, n < 0 || n > 99_999_999 {
            throw SeedError.invalidPlan("orders must be between 0 and 99,999,999 (got \(n))")
        }

        let all = ShopSeeder.seededTables + ShopSeeder.derivedTables
        let missing = try connection.execute(
            "SELECT t FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n) WHERE to_regclass('public.' || quote_ident(t)) IS NULL ORDER BY n",
            ["{" + all.joined(separator: ",") + "}"]
        ).rows.compactMap { $0[0] }
        if !missing.isEmpty { throw SeedError.missingTables(missing) }

        if !replace {
            // Orders first: the usual reason a shop is not empty.
            for table in ["orders_order"] + ShopSeeder.seededTables.filter({ $0 != "orders_order" }) {
                if try connection.scalar("SELECT EXISTS (SELECT 1 FROM public.\(table))") == "t" {
                    let n = Int(try connection.scalar("SELECT count(*) FROM public.\(table)") ?? "0") ?? 0
                    throw SeedError.notEmpty(table: table, rows: n)
                }
            }
        }

        let world = World(plan: plan)
        progress("seed: \(world.firstDay.iso) .. \(world.lastDay.iso), \(plan.customers) customers, \(world.totalOrders) orders, seed \(plan.seed)")
        let report = try connection.transaction { () throws -> SeedReport in
            if replace {
                progress("seed: emptying the shop tables")
                try connection.execute("TRUNCATE " + all.map { "public." + $0 }.joined(separator: ", ") + " RESTART IDENTITY CASCADE")
            }
            // Index builds and the foreign-key checks at the end sort and hash millions of rows: give them memory.
            try connection.execute("SET LOCAL maintenance_work_mem = '512MB'; SET LOCAL work_mem = '256MB'")
            let bulk = try BulkLoad.begin(connection, tables: ShopSeeder.seededTables)
            var tables = TableWriter(connection: connection, world: world, progress: progress)
            let report = try tables.writeAll()
            progress("seed: rebuilding indexes and checking foreign keys")
            try bulk.finish()
            for table in ShopSeeder.seededTables {
                try connection.execute(
                    "SELECT setval(pg_get_serial_sequence('public.\(table)', 'id'), max(id)) FROM public.\(table)")
            }
            return report
        }
        progress("seed: analyzing")
        try connection.execute("ANALYZE " + ShopSeeder.seededTables.map { "public." + $0 }.joined(separator: ", "))
        return report
    }
}

/// Drops foreign keys and plain indexes of a set of tables for the length of a bulk load, and puts them back
/// (same names, same definitions) afterwards. Must run inside a transaction: if anything fails, the rollback
/// restores them too.
struct BulkLoad {
    let connection: Connection
    var constraints: [(table: String, name: String, definition: String)] = []
    var indexes: [String] = []

    static func begin(_ connection: Connection, tables: [String]) throws -> BulkLoad {
        var b = BulkLoad(connection: connection)
        let list = "{" + tables.joined(separator: ",") + "}"
        let fks = try connection.execute("""
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c
            WHERE c.contype = 'f'
              AND (c.conrelid IN (SELECT ('public.' || quote_ident(t))::regclass FROM unnest($1::text[]) t)
                OR c.confrelid IN (SELECT ('public.' || quote_ident(t))::regclass FROM unnest($1::text[]) t))
            ORDER BY 1, 2
            """, [list])
        for r in fks.rows { b.constraints.append((r[0]!, r[1]!, r[2]!)) }
        let idx = try connection.execute("""
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid IN (SELECT ('public.' || quote_ident(t))::regclass FROM unnest($1::text[]) t)
              AND NOT i.indisprimary AND NOT i.indisunique
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            ORDER BY 1
            """, [list])
        for c in b.constraints {
            try connection.execute("ALTER TABLE \(c.table) DROP CONSTRAINT \(quoteIdent(c.name))")
        }
        for r in idx.rows {
            try connection.execute("DROP INDEX \(r[0]!)")
            b.indexes.append(r[1]!)
        }
        return b
    }

    func finish() throws {
        for def in indexes { try connection.execute(def) }
        for c in constraints {
            try connection.execute("ALTER TABLE \(c.table) ADD CONSTRAINT \(quoteIdent(c.name)) \(c.definition)")
        }
    }
}

func quoteIdent(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

