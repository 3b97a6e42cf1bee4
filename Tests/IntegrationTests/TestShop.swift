import Foundation
import Pipeline
import Postgres
import Shop
import Warehouse
import XCTest

/// A fresh shop database on the test server (PGHOST/PGPORT/PGUSER from the environment, as `make test` sets them):
/// the project's copy of the shop schema, a read-only role for the extract, and the analytics schema migrated.
/// Dropped again at the end of the test.
final class TestShop {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sql = SQLFiles(directory: repoRoot.appendingPathComponent("sql"))
    static let kigali = ShopCalendar(identifier: "Africa/Kigali")!
    static let readerRole = "dusangire_reader_test"

    let name: String
    /// Superuser connection to the test database, for arranging data.
    let admin: Connection
    private let server: Connection

    /// Skips the test when no server was provided (plain `swift test`); `make test` always provides one.
    init() throws {
        let env = ProcessInfo.processInfo.environment
        guard env["DUSANGIRE_TEST_PG"] != nil || env["PGHOST"] != nil else {
            throw XCTSkip("no PostgreSQL for integration tests: run `make test` (it starts one) or set PGHOST/PGPORT/PGUSER")
        }
        server = try Connection("dbname=postgres")
        name = "dusangire_test_\(UInt32.random(in: 0...UInt32.max))"
        try server.execute("CREATE DATABASE \(name)")
        admin = try Connection("dbname=\(name)")
        try admin.execute(try TestShop.sql.text("shop/0001_shop_schema.sql"))
        try admin.execute("SET client_min_messages = warning")
        try admin.execute("""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '\(TestShop.readerRole)') THEN
                CREATE ROLE \(TestShop.readerRole) LOGIN;
                ALTER ROLE \(TestShop.readerRole) SET default_transaction_read_only = on;
              END IF;
            END $$;
            GRANT USAGE ON SCHEMA public TO \(TestShop.readerRole);
            GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(TestShop.readerRole);
            """)
        try Migrator(connection: admin, sql: TestShop.sql).migrate()
    }

    deinit {
        _ = try? server.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// A read-only connection as the extract uses it.
    func reader() throws -> Connection { try Connection("dbname=\(name) user=\(TestShop.readerRole)") }
    /// Another superuser connection (the warehouse, here the same database).
    func connect() throws -> Connection { try Connection("dbname=\(name)") }

    /// Connection string for the CLI (no password: trust auth on the socket).
    var url: String { "dbname=\(name)" }
    var readerURL: String { "dbname=\(name) user=\(TestShop.readerRole)" }

    func job(djangoTables: Bool = false, configure: (inout JobOptions) -> Void = { _ in }) throws -> Job {
        var o = JobOptions(calendar: TestShop.kigali, timeZoneName: "Africa/Kigali", sql: TestShop.sql)
        o.djangoTables = djangoTables
        configure(&o)
        return Job(source: try reader(), warehouse: try connect(), options: o)
    }

    // MARK: arranging data

    @discardableResult
    func user(_ id: Int, first: String = "Aline", last: String = "Uwase") throws -> Int {
        try admin.execute("""
            INSERT INTO public.auth_user (id, password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
            VALUES ($1, '!', false, $2, $3, $4, '', false, true, '2026-01-01 00:00+00')
            """, [String(id), "user\(id)", first, last])
        return id
    }

    /// An order; money in whole francs, times as `YYYY-MM-DD HH:MM` in Kigali.
    func order(_ id: Int, user: Int, kigali created: String, status: String = "delivered", payment: String = "completed",
               method: String = "mtn_mobile_money", subtotal: Int, delivery: Int = 0, coupon: Int = 0, loyalty: Int = 0,
               vip: Int = 0, corporate: Int = 0, referral: Int = 0, total: Int? = nil, updatedKigali: String? = nil,
               deliveredKigali: String? = nil) throws {
        let t = total ?? subtotal + delivery - coupon - loyalty - vip - corporate - referral
        try admin.execute("""
            INSERT INTO public.orders_order (id, order_number, status, customer_name, customer_phone, delivery_instructions,
              subtotal, delivery_charge, total, created_at, updated_at, delivered_at, user_id, coupon_code, discount_amount,
              loyalty_discount_amount, loyalty_points_redeemed, referral_discount_amount, vip_discount_amount,
              corporate_discount_amount, account_number, payment_method, payment_notes, payment_status, phone_number,
              transaction_id, special_requests)
            VALUES ($1, $17, $2, 'Test Customer', '+250788000000', '', $3, $4, $5,
              ($6::timestamp AT TIME ZONE 'Africa/Kigali'), ($7::timestamp AT TIME ZONE 'Africa/Kigali'),
              ($8::timestamp AT TIME ZONE 'Africa/Kigali'), $9, '', $10, $11, 0, $12, $13, $14, '', $15, '', $16, '', '', '')
            """, [String(id), status, String(subtotal), String(delivery), String(t), created, updatedKigali ?? created,
                  deliveredKigali, String(user), String(coupon), String(loyalty), String(referral), String(vip),
                  String(corporate), method, payment, "T-\(id)"])
    }

    /// A menu item in a category (the category is created when new); price in whole francs.
    func menuItem(_ id: Int, _ name: String, category: String, price: Int = 1000) throws {
        try admin.execute("""
            INSERT INTO public.menu_category (id, name, description, slug, is_active, created_at, updated_at)
            SELECT coalesce(max(id), 0) + 1, $1::text, '', lower($1::text), true, now(), now() FROM public.menu_category
            WHERE NOT EXISTS (SELECT 1 FROM public.menu_category WHERE name = $1::text)
            """, [category])
        try admin.execute("""
            INSERT INTO public.menu_menuitem (id, name, description, price, is_available, is_featured, created_at, updated_at,
              category_id, ingredients, average_rating, total_reviews)
            SELECT $1, $2, '', $3, true, false, now(), now(), id, '', 0, 0 FROM public.menu_category WHERE name = $4
            """, [String(id), name, String(price), category])
    }

    /// An order line; subtotal in francs (default price x quantity).
    func orderItem(_ id: Int, order: Int, menuItem: Int, quantity: Int, price: Int, subtotal: String? = nil) throws {
        try admin.execute("""
            INSERT INTO public.orders_orderitem (id, quantity, price, subtotal, menu_item_id, order_id) VALUES ($1, $2, $3, $4, $5, $6)
            """, [String(id), String(quantity), String(price), subtotal ?? String(price * quantity), String(menuItem), String(order)])
    }

    /// Makes the user an employee of corporate partner 1.
    func corporateEmployee(user: Int) throws {
        try admin.execute("""
            INSERT INTO public.corporate_corporatepartner (id, name, address, contact_person, contact_email, contact_phone,
              partner_type, is_active, created_at, updated_at)
            VALUES (1, 'King Faisal Hospital', 'Kigali', 'HR', 'hr@example.rw', '+250788000000', 'hospital', true, now(), now())
            ON CONFLICT DO NOTHING
            """)
        try admin.execute("""
            INSERT INTO public.corporate_corporateemployee (employee_id, department, is_active, joined_at, partner_id, user_id)
            VALUES ('E-' || $1, 'Nursing', true, now(), 1, $1::int)
            """, [String(user)])
    }

    func subscriptionOrder(_ orderId: Int, user: Int) throws {
        try admin.execute("""
            INSERT INTO public.subscriptions_subscriptionplan (id, name, plan_type, category, description, price, meals_per_cycle,
              duration_days, discount_percentage, is_active, is_featured, is_popular, subscribers_count, created_at, updated_at)
            VALUES (1, 'Weekly', 'weekly', 'general', '', 30000, 7, 7, 10, true, false, false, 0, now(), now()) ON CONFLICT DO NOTHING
            """)
        try admin.execute("""
            INSERT INTO public.subscriptions_subscription (status, start_date, end_date, dietary_preferences, auto_order_enabled,
              created_at, updated_at, plan_id, user_id, auto_renewal_enabled)
            VALUES ('active', '2026-11-01', '2026-12-01', '', false, now(), now(), 1, $1, false)
            """, [String(user)])
        try admin.execute("""
            INSERT INTO public.subscriptions_subscriptionorder (scheduled_date, created_at, order_id, subscription_id)
            SELECT '2026-11-23', now(), $1, max(id) FROM public.subscriptions_subscription
            """, [String(orderId)])
    }

    /// A completed refund request for an order (via its payment), completed at a Kigali time.
    func completedRefund(orderId: Int, amount: Int, completedKigali: String) throws {
        let paymentId = try admin.scalar("""
            INSERT INTO public.payments_payment (payment_method, status, amount, transaction_id, phone_number, account_number, notes,
              created_at, updated_at, order_id, gateway_name, payment_link, payment_id, currency, payment_type, transaction_status,
              transaction_reference, invoice_number, invoice_generated, reconciled, customer_notes)
            VALUES ('mtn_mobile_money', 'refunded', $1, '', '', '', '', now(), now(), $2, '', '', gen_random_uuid(), 'RWF',
              'order_payment', 'confirmed', '', '', false, false, '') RETURNING id
            """, [String(amount), String(orderId)])
        try admin.execute("""
            INSERT INTO public.payments_refundrequest (reason, refund_amount, status, refund_transaction_id, response_notes,
              refund_completed_at, created_at, updated_at, payment_id)
            VALUES ('', $1, 'COMPLETED', '', '', ($2::timestamp AT TIME ZONE 'Africa/Kigali'),
              ($2::timestamp AT TIME ZONE 'Africa/Kigali'), ($2::timestamp AT TIME ZONE 'Africa/Kigali'), $3)
            """, [String(amount), completedKigali, paymentId])
    }

    // MARK: reading results

    /// One column of `analytics.daily_snapshot` for a day, as text.
    func snapshot(_ day: String, _ column: String) throws -> String? {
        try admin.scalar("SELECT \(column)::text FROM analytics.daily_snapshot WHERE day = $1::date", [day])
    }

    /// Every analytics table's rows (without run ids), for comparing two runs.
    func contents() throws -> [String] {
        var out: [String] = []
        for (table, order) in [("daily_snapshot", "day"), ("revenue_by_channel", "day, channel"), ("payment_methods", "day, payment_method"),
                               ("discounts", "day, kind")] {
            let r = try admin.execute("SELECT to_jsonb(t) - 'run_id' FROM analytics.\(table) t ORDER BY \(order)")
            out += r.rows.map { "\(table): \($0[0] ?? "")" }
        }
        let rej = try admin.execute("SELECT source, source_id, day, reason, detail FROM analytics.rejected_rows ORDER BY source, source_id")
        out += rej.rows.map { "rejected: \($0.map { $0 ?? "" }.joined(separator: "|"))" }
        return out
    }
}

extension XCTestCase {
    /// A copy of the project's `sql/` with `change` applied to one of its files (`source/orders.sql` unless named),
    /// removed when the test ends: how another shop adapts the queries.
    func adaptedSQL(_ file: String = "source/orders.sql", _ change: (String) -> String) throws -> SQLFiles {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dusangire-sql-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.copyItem(at: TestShop.sql.directory, to: dir)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent(file)
        try change(try String(contentsOf: path, encoding: .utf8)).write(to: path, atomically: true, encoding: .utf8)
        return SQLFiles(directory: dir)
    }
}
