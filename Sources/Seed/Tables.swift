import Postgres
import Shop

/// Writes each table with one COPY. Order streams are replayed per table (see `OrderStream`).
struct TableWriter {
    let connection: Connection
    let world: World
    let progress: @Sendable (String) -> Void
    var report = SeedReport()
    /// Loyalty state after a full pass over the orders (set by the orders pass).
    var finalStream: OrderStream?
    /// Subscription order count per subscription id (set by the orders pass).
    var subscriptionOrderCount: [Int] = []

    init(connection: Connection, world: World, progress: @escaping @Sendable (String) -> Void) {
        self.connection = connection
        self.world = world
        self.progress = progress
    }

    static let hour: Int64 = 3_600_000_000
    static let minute: Int64 = 60_000_000
    static let second: Int64 = 1_000_000

    mutating func writeAll() throws -> SeedReport {
        try users()
        try menu()
        try corporate()
        try plansAndSubscriptions()
        try campaigns()
        try orders()
        try orderItems()
        try payments()
        try refunds()
        try loyalty()
        try subscriptionOrders()
        try subscriptionLoyalty()
        try vipTiers()
        try referrals()
        try catering()
        try conversionEvents()
        try pageViews()
        return report
    }

    private func copy(_ table: String, _ columns: String, _ fill: (inout CopyWriter) throws -> Void) throws -> Int {
        let n = try connection.copyIn("COPY public.\(table) (\(columns)) FROM STDIN", fill)
        progress("seed: \(table): \(n) rows")
        return n
    }

    // MARK: People

    mutating func users() throws {
        let w = world
        report.users = try copy("auth_user", "id, password, last_login, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined") { c in
            for id in 1...(w.customers + Catalog.staff.count) {
                let staff = id > w.customers
                let n = w.name(of: id)
                let username = w.username(of: id)
                let joined = staff ? w.periodStart - 800 * 24 * TableWriter.hour + Int64(id - w.customers) * TableWriter.hour
                                   : w.joined[id - 1]
                let lastLoginRoll = hashUnit(w.seed, id, 30)
                c.append(id)
                c.append("!")  // unusable password: these accounts cannot log in
                if staff || lastLoginRoll < 0.8 {
                    let back = Int64(hashUnit(w.seed, id, 31) * Double(30 * 24 * TableWriter.hour))
                    c.append(Fmt.timestamp(max(joined + TableWriter.minute, w.periodEnd - back)))
                } else {
                    c.appendNull()
                }
                c.append(false)
                c.append(username)
                c.append(n.first)
                c.append(n.last)
                c.append(username + (staff ? "@dusangire.example.rw" : "@example.rw"))
                c.append(staff)
                c.append(staff || hashUnit(w.seed, id, 32) < 0.98)
                c.append(Fmt.timestamp(joined))
                try c.endRow()
            }
        }
    }

    // MARK: Menu

    mutating func menu() throws {
        let created = world.periodStart - 400 * 24 * TableWriter.hour
        _ = try copy("menu_category", "id, name, description, slug, is_active, created_at, updated_at") { c in
            for (i, cat) in Catalog.categories.enumerated() {
                c.append(i + 1); c.append(cat.name); c.append(cat.description); c.append(cat.slug); c.append(true)
                c.append(Fmt.timestamp(created)); c.append(Fmt.timestamp(created)); try c.endRow()
            }
        }
        let w = world
        report.menuItems = try copy("menu_menuitem", "id, name, description, price, image, calories, protein, carbs, fat, is_available, is_featured, created_at, updated_at, category_id, ingredients, average_rating, total_reviews") { c in
            for (i, item) in Catalog.menu.enumerated() {
                let id = i + 1
                c.append(id); c.append(item.name); c.append(item.description); c.appendScaled(item.price, scale: 2)
                c.append("menu_items/item_\(id).jpg")
                c.append(item.calories)
                c.appendScaled(item.protein, scale: 2); c.appendScaled(item.carbs, scale: 2); c.appendScaled(item.fat, scale: 2)
                c.append(id != 17 || hashUnit(w.seed, id, 40) < 0.5)  // the sharing platter is sometimes off the menu
                c.append(item.featured)
                c.append(Fmt.timestamp(created + Int64(id) * TableWriter.hour))
                c.append(Fmt.timestamp(w.periodStart - Int64(hashUnit(w.seed, id, 41) * 60) * 24 * TableWriter.hour))
                c.append(item.category + 1)
                c.append(item.ingredients)
                c.appendScaled(380 + Int64(hashUnit(w.seed, id, 42) * 111), scale: 2)  // 3.80 ... 4.90
                c.append(Int(5 + item.popularity * 120 * hashUnit(w.seed, id, 43)))
                try c.endRow()
            }
        }
    }

    // MARK: Corporate

    mutating func corporate() throws {
        let w = world
        let created = w.periodStart - 300 * 24 * TableWriter.hour
        _ = try copy("corporate_corporatepartner", "id, name, address, contact_person, contact_email, contact_phone, partner_type, is_active, created_at, updated_at") { c in
            for (i, p) in Catalog.partners.enumerated() {
                c.append(i + 1); c.append(p.name); c.append(p.address); c.append(p.contact); c.append(p.email)
                c.append(p.phone); c.append(p.type); c.append(true)
                c.append(Fmt.timestamp(created + Int64(i) * 24 * TableWriter.hour))
                c.append(Fmt.timestamp(created + Int64(i + 30) * 24 * TableWriter.hour))
                try c.endRow()
            }
        }
        _ = try copy("corporate_corporatecontract", "id, contract_number, start_date, end_date, discount_percentage, billing_cycle, is_active, created_at, updated_at, partner_id, notes, status") { c in
            for (i, p) in Catalog.partners.enumerated() {
                let start = w.calendar.day(ofMicros: created).advanced(by: 7 + i * 3)
                c.append(i + 1)
                c.append("DSG-CORP-" + String(start.components.year) + "-" + Fmt.pad(i + 1, 3))
                c.append(Fmt.date(start)); c.append(Fmt.date(start.advanced(by: 730)))
                c.appendScaled(p.discountPercent, scale: 2)
                c.append(i == 0 ? "monthly" : i == 3 ? "quarterly" : "monthly")
                c.append(true)
                c.append(Fmt.timestamp(created + Int64(i) * 24 * TableWriter.hour))
                c.append(Fmt.timestamp(created + Int64(i + 30) * 24 * TableWriter.hour))
                c.append(i + 1)
                c.append(i == 0 ? "Invoiced to KFH staff welfare; employees show their badge." as String? : nil)
                c.append("active")
                try c.endRow()
            }
        }
        _ = try copy("corporate_corporateemployee", "id, employee_id, department, is_active, joined_at, partner_id, user_id") { c in
            var id = 0
            for i in 0..<w.customers where w.corporate[i] > 0 {
                id += 1
                let p = Catalog.partners[Int(w.corporate[i]) - 1]
                c.append(id)
                c.append(p.prefix + "-" + Fmt.pad((i * 7919) % 100_000, 5))
                c.append(p.departments[Int(hashUnit(w.seed, i + 1, 50) * Double(p.departments.count))])
                c.append(hashUnit(w.seed, i + 1, 51) < 0.96)
                c.append(Fmt.timestamp(w.joined[i] + Int64(hashUnit(w.seed, i + 1, 52) * 72) * TableWriter.hour))
                c.append(Int(w.corporate[i]))
                c.append(i + 1)
                try c.endRow()
            }
        }
    }

    // MARK: Subscriptions

    mutating func plansAndSubscriptions() throws {
        let w = world
        let created = w.periodStart - 200 * 24 * TableWriter.hour
        var counts = [Int](repeating: 0, count: Catalog.plans.count)
        for s in w.subscriptions where s.status == "active" || s.status == "paused" { counts[s.plan] += 1 }
        _ = try copy("subscriptions_subscriptionplan", "id, name, description, plan_type, price, meals_per_cycle, duration_days, is_active, is_featured, created_at, updated_at, discount_percentage, is_popular, subscribers_count, category") { c in
            for (i, p) in Catalog.plans.enumerated() {
                c.append(i + 1); c.append(p.name); c.append(p.description); c.append(p.type)
                c.appendScaled(p.price, scale: 2); c.append(p.mealsPerCycle); c.append(p.durationDays)
                c.append(true); c.append(p.featured)
                c.append(Fmt.timestamp(created)); c.append(Fmt.timestamp(created + 10 * 24 * TableWriter.hour))
                c.appendScaled(p.discountPercent, scale: 2); c.append(p.popular); c.append(counts[i]); c.append(p.category)
                try c.endRow()
            }
        }
        report.subscriptions = try copy("subscriptions_subscription", "id, status, start_date, end_date, next_billing_date, paused_until, preferred_delivery_time, dietary_preferences, auto_order_enabled, created_at, updated_at, cancelled_at, plan_id, user_id, auto_renewal_enabled, delivery_address_id") { c in
            for s in w.subscriptions {
                let h = hashUnit(w.seed, s.id, 60)
                c.append(s.id); c.append(s.status); c.append(Fmt.date(s.start)); c.append(Fmt.date(s.end))
                c.append(s.status == "active" ? Fmt.date(s.end) : nil)
                c.append(s.pausedUntil.map(Fmt.date))
                c.append(h < 0.85 ? Fmt.time(minutes: [720, 750, 780, 1110, 1140][Int(h * 5 / 0.85)]) : nil)
                c.append(Catalog.dietaryPreferences[Int(hashUnit(w.seed, s.id, 61) * Double(Catalog.dietaryPreferences.count))])
                c.append(hashUnit(w.seed, s.id, 62) < 0.7)
                c.append(Fmt.timestamp(s.createdAt))
                let updated: Int64 = s.cancelledAt ?? (s.status == "paused"
                    ? w.calendar.startMicros(of: s.activeUntil) + 9 * TableWriter.hour
                    : min(w.periodEnd - TableWriter.hour, w.calendar.startMicros(of: s.end)))
                c.append(Fmt.timestamp(max(updated, s.createdAt)))
                c.append(s.cancelledAt.map(Fmt.timestamp))
                c.append(s.plan + 1); c.append(s.userId)
                c.append(s.status != "cancelled" && hashUnit(w.seed, s.id, 63) < 0.6)
                c.appendNull()
                try c.endRow()
            }
        }
    }

    /// Billing cycles of the subscriptions that fall before the end of the period, in a fixed order; ids follow the
    /// order payments (`totalOrders + 1`, ...).
    func forEachSubscriptionPayment(_ body: (_ paymentId: Int, _ sub: World.Subscription, _ paidAt: Int64) throws -> Void) rethrows {
        let w = world
        var id = w.totalOrders
        for s in w.subscriptions {
            let p = Catalog.plans[s.plan]
            var day = s.start
            while day <= s.activeUntil && day < s.end && day <= w.lastDay {
                id += 1
                let paidAt = w.calendar.startMicros(of: day) + 6 * TableWriter.hour
                    + Int64(hashUnit(w.seed, id, 70) * Double(3 * TableWriter.hour))
                try body(id, s, paidAt)
                day = day.advanced(by: p.durationDays)
            }
        }
    }

    // MARK: Campaigns

    mutating func campaigns() throws {
        let w = world
        report.campaigns = try copy("analytics_campaign", "id, name, description, status, discount_type, discount_value, target_audience, start_date, end_date, budget, created_at, updated_at") { c in
            for k in w.campaigns {
                c.append(k.id); c.append(k.name); c.append(k.description); c.append(k.status); c.append(k.discountType)
                c.appendScaled(k.value, scale: 2); c.append(k.audience)
                c.append(Fmt.timestamp(k.start)); c.append(Fmt.timestamp(k.end)); c.appendScaled(k.budget, scale: 2)
                let created = min(k.start, w.periodEnd) - 7 * 24 * TableWriter.hour
                c.append(Fmt.timestamp(created))
                c.append(Fmt.timestamp(k.status == "completed" ? k.end + TableWriter.hour : max(created, min(k.start, w.periodEnd - TableWriter.hour))))
                try c.endRow()
            }
        }
    }

    // MARK: Orders

    static let instructions = ["", "", "", "", "", "", "Maternity ward, room ", "Pediatrics ward, bed ", "Ward 3B, bed ",
                               "Private wing, room ", "Staff room, 2nd floor, desk ", "Reception, call on arrival, gate "]
    static let requests = ["No pepper, please", "Extra sauce", "Less salt", "Cut the meat small for a child",
                           "Please bring cutlery", "Sauce on the side"]

    func transactionId(_ o: GenOrder) -> String {
        let h = SplitMix64.mix(world.seed ^ SplitMix64.mix(UInt64(o.id) &+ 0x7A11))
        switch o.method {
        case .mtnMobileMoney: return "MP" + String(10_000_000_000 + h % 90_000_000_000)
        case .airtelMoney: return "AM" + String(1_000_000_000 + h % 9_000_000_000)
        case .card: return "FLW-" + Hex.digits(h, 12).uppercased()
        case .bankTransfer: return "BKT" + String(100_000_000 + h % 900_000_000)
        case .cashOnDelivery: return ""
        }
    }

    mutating func orders() throws {
        let w = world
        var stream = OrderStream(world: w)
        var subCounts = [Int](repeating: 0, count: w.subscriptions.count + 1)
        let step = max(w.totalOrders / 10, 1)
        report.orders = try copy("orders_order", "id, order_number, status, customer_name, customer_phone, delivery_address_id, delivery_instructions, subtotal, delivery_charge, total, created_at, updated_at, delivered_at, user_id, coupon_code, discount_amount, loyalty_discount_amount, loyalty_points_redeemed, referral_discount_amount, vip_discount_amount, corporate_discount_amount, account_number, payment_method, payment_notes, payment_status, phone_number, transaction_id, special_requests") { c in
            try stream.run { o in
                let h = SplitMix64.mix(w.seed ^ SplitMix64.mix(UInt64(o.id) &+ 0x0DE5))
                c.append(o.id)
                c.append(o.number)
                c.append(o.status.rawValue)
                c.append(w.fullName(of: o.userId))
                let phone = w.phone(of: o.userId)
                c.append(phone)
                c.appendNull()
                let ins = TableWriter.instructions[Int(h % UInt64(TableWriter.instructions.count))]
                c.append(ins.isEmpty ? ins : ins + String(1 + (h >> 16) % 40))
                c.appendScaled(o.subtotal, scale: 2)
                c.appendScaled(o.delivery, scale: 2)
                c.appendScaled(o.total, scale: 2)
                c.append(Fmt.timestamp(o.created))
                c.append(Fmt.timestamp(o.updated))
                c.append(o.delivered == 0 ? nil : Fmt.timestamp(o.delivered))
                c.append(o.userId)
                c.append(o.couponCode)
                c.appendScaled(o.coupon, scale: 2)
                c.appendScaled(o.loyalty, scale: 2)
                c.append(o.loyaltyPoints)
                c.appendScaled(o.referral, scale: 2)
                c.appendScaled(o.vip, scale: 2)
                c.appendScaled(o.corporate, scale: 2)
                c.append(o.method == .bankTransfer ? "00040-" + String(1_000_000 + (h >> 20) % 9_000_000) : "")
                c.append(o.method.rawValue)
                c.append("")
                c.append(o.paymentStatus.rawValue)
                c.append(o.method == .mtnMobileMoney || o.method == .airtelMoney ? phone : "")
                c.append(o.isPaid ? transactionId(o) : "")
                c.append((h >> 40) % 100 < 6 ? TableWriter.requests[Int((h >> 48) % UInt64(TableWriter.requests.count))] : "")
                try c.endRow()
                subCounts[o.subscriptionId] += 1
                if o.id % step == 0 { progress("seed: orders \(o.id) / \(w.totalOrders)") }
            }
        }
        finalStream = stream
        subscriptionOrderCount = subCounts
    }

    mutating func orderItems() throws {
        var stream = OrderStream(world: world)
        var id = 0
        report.orderItems = try copy("orders_orderitem", "id, quantity, price, subtotal, menu_item_id, order_id") { c in
            try stream.run { o in
                for k in 0..<o.itemCount {
                    id += 1
                    let item = Catalog.menu[Int(o.itemMenu[k])]
                    let q = Int64(o.itemQty[k])
                    c.append(id); c.append(q); c.appendScaled(item.price, scale: 2); c.appendScaled(item.price * q, scale: 2)
                    c.append(Int(o.itemMenu[k]) + 1); c.append(o.id)
                    try c.endRow()
                }
            }
        }
    }

    static let gateways: [PaymentMethod: String] = [
        .mtnMobileMoney: "MTN MoMo", .airtelMoney: "Airtel Money", .card: "Flutterwave", .bankTransfer: "Bank of Kigali",
        .cashOnDelivery: "cash",
    ]

    mutating func payments() throws {
        let w = world
        var stream = OrderStream(world: w)
        let twoDays = 2 * 24 * TableWriter.hour
        let columns = "id, payment_method, status, amount, transaction_id, phone_number, account_number, notes, created_at, updated_at, paid_at, order_id, gateway_name, gateway_response, payment_link, payment_id, currency, payment_type, transaction_status, transaction_reference, invoice_number, invoice_generated, reconciled, reconciled_at, customer_notes, processing_started_at, subscription_id, bank_provider_id"
        report.payments = try copy("payments_payment", columns) { c in
            try stream.run { o in
                guard o.isPaid else { return }
                var rng = Rng(seed: w.seed, stream: "payment-uuid", index: UInt64(o.id))
                let txn = transactionId(o)
                let reconciled = o.paidAt + twoDays < w.periodEnd
                c.append(o.id)
                c.append(o.method.rawValue)
                c.append("completed")
                c.appendScaled(o.total, scale: 2)
                c.append(txn)
                c.append(o.method == .mtnMobileMoney || o.method == .airtelMoney ? w.phone(of: o.userId) : "")
                c.append(o.method == .bankTransfer ? "00040-" + String(1_000_000 + o.userId % 9_000_000) : "")
                c.append("")
                c.append(Fmt.timestamp(o.created))
                c.append(Fmt.timestamp(reconciled ? o.paidAt + 24 * TableWriter.hour : o.paidAt))
                c.append(Fmt.timestamp(o.paidAt))
                c.append(o.id)
                c.append(TableWriter.gateways[o.method]!)
                c.appendNull()
                c.append("")
                c.append(rng.uuid())
                c.append("RWF")
                c.append("order_payment")
                c.append("confirmed")
                c.append(txn)
                c.append("INV-" + o.number)
                c.append(true)
                c.append(reconciled)
                c.append(reconciled ? Fmt.timestamp(o.paidAt + 24 * TableWriter.hour) : nil)
                c.append("")
                c.append(Fmt.timestamp(o.created))
                c.appendNull(); c.appendNull()
                try c.endRow()
            }
            try forEachSubscriptionPayment { id, s, paidAt in
                var rng = Rng(seed: w.seed, stream: "payment-uuid", index: UInt64(id))
                var m = World.methods[Int(w.preferredMethod[s.userId - 1])]
                if m == .cashOnDelivery { m = .mtnMobileMoney }
                let txn = (m == .mtnMobileMoney ? "MP" : m == .airtelMoney ? "AM" : "SUB") + String(10_000_000_000 + SplitMix64.mix(UInt64(id)) % 90_000_000_000)
                let reconciled = paidAt + twoDays < w.periodEnd
                c.append(id); c.append(m.rawValue); c.append("completed")
                c.appendScaled(Catalog.plans[s.plan].price, scale: 2)
                c.append(txn)
                c.append(m == .mtnMobileMoney || m == .airtelMoney ? w.phone(of: s.userId) : "")
                c.append("")
                c.append("")
                c.append(Fmt.timestamp(paidAt - 2 * TableWriter.minute))
                c.append(Fmt.timestamp(reconciled ? paidAt + 24 * TableWriter.hour : paidAt))
                c.append(Fmt.timestamp(paidAt))
                c.appendNull()
                c.append(TableWriter.gateways[m]!)
                c.appendNull()
                c.append("")
                c.append(rng.uuid())
                c.append("RWF")
                c.append("subscription_payment")
                c.append("confirmed")
                c.append(txn)
                c.append("INV-SUB-" + Fmt.pad(id, 8))
                c.append(true)
                c.append(reconciled)
                c.append(reconciled ? Fmt.timestamp(paidAt + 24 * TableWriter.hour) : nil)
                c.append("")
                c.append(Fmt.timestamp(paidAt - 2 * TableWriter.minute))
                c.append(s.id)
                c.appendNull()
                try c.endRow()
            }
        }
    }

    mutating func refunds() throws {
        let w = world
        var stream = OrderStream(world: w)
        var id = 0
        let approver = w.customers + 1
        report.refunds = try copy("payments_refundrequest", "id, reason, refund_amount, status, refund_transaction_id, response_notes, refund_completed_at, created_at, updated_at, approved_at, approved_by_id, payment_id") { c in
            try stream.run { o in
                guard o.refundRequest != 0 else { return }
                id += 1
                let h = SplitMix64.mix(w.seed ^ SplitMix64.mix(UInt64(o.id) &+ 0x4EF0))
                c.append(id)
                c.append(Catalog.refundReasons[Int(h % UInt64(Catalog.refundReasons.count))])
                c.appendScaled(o.total, scale: 2)
                switch o.refundRequest {
                case 1:  // completed: the order is refunded at o.refundAt
                    let requested = o.delivered + (o.refundAt - o.delivered) / 4
                    let approved = requested + (o.refundAt - requested) / 2
                    c.append("COMPLETED")
                    c.append("RF" + String(1_000_000_000 + h % 9_000_000_000))
                    c.append(o.method == .cashOnDelivery ? "Refunded in cash at the counter." : "Refunded to the customer's \(o.method.label) account.")
                    c.append(Fmt.timestamp(o.refundAt))
                    c.append(Fmt.timestamp(requested))
                    c.append(Fmt.timestamp(o.refundAt))
                    c.append(Fmt.timestamp(approved))
                    c.append(approver)
                case 2:  // still waiting
                    let requested = o.delivered + Int64(1 + h % 5) * TableWriter.hour
                    c.append("REQUESTED"); c.append(""); c.append(""); c.appendNull()
                    c.append(Fmt.timestamp(requested)); c.append(Fmt.timestamp(requested)); c.appendNull(); c.appendNull()
                default:  // rejected
                    let requested = o.delivered + Int64(1 + h % 20) * TableWriter.hour
                    let decided = requested + Int64(2 + (h >> 8) % 20) * TableWriter.hour
                    c.append("REJECTED"); c.append("")
                    c.append("Meal was delivered as ordered; the customer was offered a voucher instead.")
                    c.appendNull()
                    c.append(Fmt.timestamp(requested)); c.append(Fmt.timestamp(decided)); c.appendNull(); c.append(approver)
                }
                c.append(o.id)  // payment id = order id for order payments
                try c.endRow()
            }
        }
    }

    // MARK: Loyalty

    mutating func loyalty() throws {
        let w = world
        guard let final = finalStream else { return }
        _ = try copy("loyalty_loyaltypoints", "id, total_points, lifetime_points, points_redeemed, created_at, updated_at, user_id") { c in
            for i in 0..<w.customers {
                let opening = OrderStream.openingPoints(w, id: i + 1)
                c.append(i + 1)
                c.append(Int(final.balance[i]))
                c.append(opening + Int(final.earned[i]))
                c.append(Int(final.redeemed[i]))
                c.append(Fmt.timestamp(w.joined[i]))
                c.append(Fmt.timestamp(max(w.joined[i], final.lastPoints[i], opening > 0 ? w.periodStart - TableWriter.hour : 0)))
                c.append(i + 1)
                try c.endRow()
            }
        }
        var stream = OrderStream(world: w)
        var id = 0
        _ = try copy("loyalty_pointstransaction", "id, points, transaction_type, reason, created_at, order_id, user_id") { c in
            for i in 0..<w.customers {
                let opening = OrderStream.openingPoints(w, id: i + 1)
                guard opening > 0 else { continue }
                id += 1
                c.append(id); c.append(opening); c.append("bonus"); c.append("Opening balance carried over")
                c.append(Fmt.timestamp(w.periodStart - TableWriter.hour)); c.appendNull(); c.append(i + 1)
                try c.endRow()
            }
            try stream.run { o in
                if o.loyaltyPoints > 0 {
                    id += 1
                    c.append(id); c.append(-o.loyaltyPoints); c.append("redeemed"); c.append("Redeemed on order " + o.number)
                    c.append(Fmt.timestamp(o.created)); c.append(o.id); c.append(o.userId)
                    try c.endRow()
                }
                if o.pointsEarned > 0 {
                    id += 1
                    c.append(id); c.append(o.pointsEarned); c.append("earned"); c.append("Order " + o.number)
                    c.append(Fmt.timestamp(o.delivered)); c.append(o.id); c.append(o.userId)
                    try c.endRow()
                }
            }
        }
    }

    mutating func subscriptionOrders() throws {
        var stream = OrderStream(world: world)
        var id = 0
        let w = world
        report.subscriptionOrders = try copy("subscriptions_subscriptionorder", "id, scheduled_date, created_at, order_id, subscription_id") { c in
            try stream.run { o in
                guard o.subscriptionId > 0 else { return }
                id += 1
                c.append(id)
                c.append(Fmt.date(w.firstDay.advanced(by: o.dayIndex)))
                c.append(Fmt.timestamp(o.created))
                c.append(o.id)
                c.append(o.subscriptionId)
                try c.endRow()
            }
        }
    }

    mutating func subscriptionLoyalty() throws {
        let w = world
        // Ledger per subscriber: welcome bonus, points on each subscription payment, now and then a redemption.
        struct Entry { var type: String; var points: Int; var text: String; var at: Int64; var payment: Int? }
        var ledgers: [[Entry]] = w.subscriptions.map { s in
            [Entry(type: "BONUS", points: 500, text: "Welcome bonus for subscribing to \(Catalog.plans[s.plan].name)", at: s.createdAt, payment: nil)]
        }
        forEachSubscriptionPayment { id, s, paidAt in
            let pts = Int(Catalog.plans[s.plan].price / 10_000)
            ledgers[s.id - 1].append(Entry(type: "EARN", points: pts, text: "Subscription payment INV-SUB-" + Fmt.pad(id, 8), at: paidAt + TableWriter.minute, payment: id))
        }
        var txId = 0
        _ = try copy("subscriptions_loyaltypoints", "id, balance, earned_total, redeemed_total, subscription_bonus_rate, expires_at, last_activity_at, created_at, notes, user_id") { c in
            for s in w.subscriptions {
                let bal = ledgers[s.id - 1].reduce(0) { $0 + $1.points }
                let last = ledgers[s.id - 1].map(\.at).max()!
                var redeemed = 0
                if bal >= 800 && hashUnit(w.seed, s.id, 80) < 0.35 {
                    redeemed = 500
                    let at = min(last + 24 * TableWriter.hour, w.periodEnd - TableWriter.minute)
                    ledgers[s.id - 1].append(Entry(type: "REDEEM", points: 500, text: "Redeemed for a free meal", at: at, payment: nil))
                }
                let lastAt = ledgers[s.id - 1].map(\.at).max()!
                c.append(s.id); c.append(bal - redeemed); c.append(bal); c.append(redeemed)
                c.appendScaled([100, 110, 125, 125][s.plan], scale: 2)
                c.append(Fmt.date(w.lastDay.advanced(by: 365)))
                c.append(Fmt.timestamp(lastAt)); c.append(Fmt.timestamp(s.createdAt)); c.append(""); c.append(s.userId)
                try c.endRow()
            }
        }
        _ = try copy("subscriptions_loyaltytransaction", "id, transaction_type, points_amount, description, balance_before, balance_after, created_at, related_payment_id, related_subscription_id, user_id") { c in
            for s in w.subscriptions {
                var balance = 0
                for e in ledgers[s.id - 1] {
                    txId += 1
                    let after = e.type == "REDEEM" ? balance - e.points : balance + e.points
                    c.append(txId); c.append(e.type); c.append(e.points); c.append(e.text); c.append(balance); c.append(after)
                    c.append(Fmt.timestamp(e.at)); c.append(e.payment); c.append(s.id); c.append(s.userId)
                    try c.endRow()
                    balance = after
                }
            }
        }
    }

    mutating func vipTiers() throws {
        let w = world
        guard let final = finalStream else { return }
        _ = try copy("subscriptions_viptier", "id, tier_level, spending_ytd, spending_total, promotion_percentage, access_level, achieved_at, next_tier_threshold, benefits_list, created_at, updated_at, user_id") { c in
            var id = 0
            for i in 0..<w.customers where w.vipTier[i] > 0 {
                id += 1
                let t = Int(w.vipTier[i]) - 1
                let tier = Catalog.vipTiers[t]
                // Spending before the period brought them to the tier; the period's sales come on top.
                let before = Money.roundedDivision(Int64(Double(tier.threshold) * (1 + hashUnit(w.seed, i + 1, 90))), 100) * 100
                let total = before + final.spent[i]
                let ytd = final.spent[i] + before * Int64(1 + hashUnit(w.seed, i + 1, 91) * 3) / 10
                let joinedDay = w.calendar.day(ofMicros: w.joined[i])
                let achieved = max(joinedDay, w.firstDay.advanced(by: -Int(hashUnit(w.seed, i + 1, 92) * 240)))
                c.append(id); c.append(tier.name)
                c.appendScaled(ytd, scale: 2); c.appendScaled(total, scale: 2)
                c.appendScaled(tier.percent, scale: 2); c.append(t + 1)
                c.append(Fmt.date(achieved))
                c.appendScaled(t + 1 < Catalog.vipTiers.count ? Catalog.vipTiers[t + 1].threshold : tier.threshold, scale: 2)
                c.append(tier.benefits)
                c.append(Fmt.timestamp(max(w.joined[i], w.calendar.startMicros(of: achieved) + 2 * TableWriter.hour)))
                c.append(Fmt.timestamp(w.periodEnd - TableWriter.hour))
                c.append(i + 1)
                try c.endRow()
            }
        }
    }

    mutating func referrals() throws {
        let w = world
        var rng = Rng(seed: w.seed, stream: "referrals")
        _ = try copy("subscriptions_referralprogram", "id, referral_code, referral_link, referrer_bonus_rwf, referrer_bonus_points, referee_discount_percent, status, completed_at, created_at, expires_at, referee_id, referrer_id") { c in
            var id = 0
            for r in w.referrers {
                for _ in 0..<rng.int(1...3) {
                    id += 1
                    let created = max(w.joined[r - 1], w.periodStart) + Int64(rng.unit() * Double(w.periodEnd - max(w.joined[r - 1], w.periodStart)) * 0.9)
                    let expires = created + 30 * 24 * TableWriter.hour
                    let bonus = [1000, 1500, 2000][rng.below(3)]
                    // The referee: a customer who joined after the invitation.
                    var lo = 0, hi = w.customers
                    while lo < hi { let m = (lo + hi) >> 1; if w.joined[m] < created { lo = m + 1 } else { hi = m } }
                    var referee: Int? = lo < w.customers ? lo + 1 + rng.below(min(w.customers - lo, 50)) : nil
                    if referee == r { referee = nil }
                    let roll = rng.unit()
                    var status = roll < 0.55 ? "COMPLETED" : roll < 0.85 ? "PENDING" : "EXPIRED"
                    if status == "COMPLETED" && referee == nil { status = "PENDING" }
                    if status != "COMPLETED" && expires < w.periodEnd && status == "PENDING" { status = "EXPIRED" }
                    let code = "DSG-R" + Fmt.pad(id, 6)
                    c.append(id); c.append(code); c.append("https://dusangire.rw/join?ref=" + code)
                    c.append(bonus); c.append(bonus / 10); c.appendScaled(1000, scale: 2)
                    c.append(status)
                    if status == "COMPLETED", let referee {
                        c.append(Fmt.timestamp(min(max(created, w.joined[referee - 1]) + TableWriter.hour, w.periodEnd - TableWriter.minute)))
                    } else {
                        c.appendNull()
                    }
                    c.append(Fmt.timestamp(created)); c.append(Fmt.timestamp(expires))
                    c.append(status == "COMPLETED" ? referee : nil)
                    c.append(r)
                    try c.endRow()
                }
            }
        }
    }

    // MARK: Catering

    mutating func catering() throws {
        let w = world
        let created = w.periodStart - 250 * 24 * TableWriter.hour
        _ = try copy("catering_cateringpackage", "id, name, description, price_per_person, min_people, image, is_active, created_at") { c in
            for (i, p) in Catalog.packages.enumerated() {
                c.append(i + 1); c.append(p.name); c.append(p.description); c.appendScaled(p.pricePerPerson, scale: 2)
                c.append(p.minPeople); c.appendNull(); c.append(true); c.append(Fmt.timestamp(created)); try c.endRow()
            }
        }
        var rng = Rng(seed: w.seed, stream: "catering")
        let requests: [String?] = [nil, nil, "Vegetarian options for 10 guests", "Halal meat only", "Serve at 12:30 sharp",
                                   "Birthday cake for 30", "No pork, no alcohol"]
        report.cateringBookings = try copy("catering_cateringbooking", "id, event_name, event_date, event_time, location, number_of_people, special_requests, status, total_price, created_at, updated_at, package_id, user_id") { c in
            for (i, day) in w.cateringDays.enumerated() {
                let pkg = rng.below(Catalog.packages.count)
                let p = Catalog.packages[pkg]
                let people = pkg == 1 ? rng.int(40...120) : pkg == 0 ? rng.int(20...60) : rng.int(25...80)
                let recent = day.distance(to: w.lastDay) < 5
                let roll = rng.unit()
                let status = recent ? (roll < 0.6 ? "confirmed" : roll < 0.85 ? "pending" : "cancelled")
                                    : (roll < 0.78 ? "completed" : roll < 0.90 ? "cancelled" : "confirmed")
                let eventStart = w.calendar.startMicros(of: day)
                let minutes = 480 + 30 * rng.int(0...20)
                let user = w.pickCustomer(at: eventStart - 30 * 24 * TableWriter.hour, &rng)
                let booked = max(w.joined[user - 1] + TableWriter.hour, eventStart - Int64(rng.int(7...30)) * 24 * TableWriter.hour)
                let updated = status == "completed" ? eventStart + Int64(minutes + 240) * TableWriter.minute
                    : booked + Int64(rng.int(1...72)) * TableWriter.hour
                c.append(i + 1)
                c.append(Catalog.cateringEvents[rng.below(Catalog.cateringEvents.count)])
                c.append(Fmt.date(day)); c.append(Fmt.time(minutes: minutes))
                c.append(Catalog.cateringLocations[rng.below(Catalog.cateringLocations.count)])
                c.append(people)
                c.append(requests[rng.below(requests.count)])
                c.append(status)
                c.appendScaled(p.pricePerPerson * Int64(people), scale: 2)
                c.append(Fmt.timestamp(booked)); c.append(Fmt.timestamp(min(max(updated, booked), w.periodEnd - TableWriter.minute)))
                c.append(pkg + 1); c.append(user)
                try c.endRow()
            }
        }
    }

    // MARK: Web analytics

    /// Sessions per day: web orders are a share of all orders (the rest come by phone or from the wards), capped.
    func sessions(day index: Int) -> Int {
        let n = Double(world.dayCounts[index]) * 1.3 * (0.9 + 0.2 * hashUnit(world.seed, index, 100))
        return max(5, min(2500, Int(n)))
    }

    /// Share of orders placed on the website (the rest come by phone or from the wards, with no web session).
    static let webOrderShare = 0.62

    /// Sessions that end in an order are built from the orders themselves (the customer browses, fills the cart and
    /// checks out in the minutes before `created_at`), so the funnel's gap report shows only the orders that never
    /// had a web session; the other sessions of the day browse and leave.
    mutating func conversionEvents() throws {
        let w = world
        var id = 0
        var stream = OrderStream(world: w)
        var browsedDays = 0
        report.conversionEvents = try copy("analytics_conversionevent", "id, event_type, session_id, \"timestamp\", metadata, user_id") { c in
            func event(_ type: String, _ session: String, _ t: Int64, _ meta: String, _ user: Int?) throws {
                id += 1
                c.append(id); c.append(type); c.append(session); c.append(Fmt.timestamp(t)); c.append(meta); c.append(user)
                try c.endRow()
            }
            func extras(_ session: String, _ t: Int64, _ user: Int?, _ rng: inout Rng) throws {
                if rng.chance(0.01) {
                    try event("subscribe", session, t + Int64(rng.int(10...120)) * TableWriter.second,
                              #"{"plan": "\#(Catalog.plans[rng.below(Catalog.plans.count)].type)"}"#, user)
                }
                if rng.chance(0.008) { try event("referral_click", session, t + Int64(rng.int(10...120)) * TableWriter.second, "{}", user) }
                if rng.chance(0.005) { try event("unknown_step", "", t, "{}", nil) }  // broken client: tests must reject these
            }
            // Sessions that do not end in an order, for one day: most only look at the menu.
            func browse(_ d: Int) throws {
                var rng = Rng(seed: w.seed, stream: "sessions", index: UInt64(d))
                let dayStart = w.calendar.startMicros(of: w.firstDay.advanced(by: d))
                let count = sessions(day: d)
                for _ in 0..<count {
                    var m = OrderStream.timeOfDay(&rng)
                    if m < 360 || m >= 1320 { m = 360 + 960 * rng.unit() }  // business hours 06:00-22:00
                    var t = dayStart + Int64(m * 60_000_000)
                    let session = rng.hex(32)
                    let r = rng.unit()
                    let steps = r < 0.10 ? 3 : r < 0.38 ? 2 : 1
                    let user: Int? = rng.chance(0.4) ? w.pickCustomer(at: t, &rng) : nil
                    let item = rng.below(Catalog.menu.count)
                    try event("view_menu", session, t, #"{"page": "menu"}"#, user)
                    if steps >= 2 {
                        t += Int64(rng.int(20...240)) * TableWriter.second
                        try event("add_to_cart", session, t, #"{"menu_item_id": \#(item + 1), "quantity": 1}"#, user)
                    }
                    if steps >= 3 {
                        t += Int64(rng.int(30...300)) * TableWriter.second
                        try event("start_checkout", session, t, #"{"cart_total": \#(Catalog.menu[item].price / 100)}"#, user)
                    }
                    try extras(session, t, user, &rng)
                }
            }
            try stream.run { o in
                while browsedDays <= o.dayIndex { try browse(browsedDays); browsedDays += 1 }
                var rng = Rng(seed: w.seed, stream: "websession", index: UInt64(o.id))
                guard rng.chance(TableWriter.webOrderShare) else { return }
                let session = rng.hex(32)
                let done = o.created - Int64(rng.int(5...90)) * TableWriter.second
                let checkout = done - Int64(rng.int(30...400)) * TableWriter.second
                let cart = checkout - Int64(rng.int(30...300)) * TableWriter.second
                let menu = cart - Int64(rng.int(20...240)) * TableWriter.second
                try event("view_menu", session, menu, #"{"page": "menu"}"#, o.userId)
                if !rng.chance(0.01) {  // a lost event now and then: the funnel counts the step as skipped
                    try event("add_to_cart", session, cart, #"{"menu_item_id": \#(Int(o.itemMenu[0]) + 1), "quantity": \#(o.itemQty[0])}"#, o.userId)
                }
                try event("start_checkout", session, checkout, #"{"cart_total": \#(o.subtotal / 100)}"#, o.userId)
                try event("complete_order", session, done, #"{"order_total": \#(o.total / 100), "order_id": \#(o.id)}"#, o.userId)
                try extras(session, done, o.userId, &rng)
            }
            while browsedDays < w.dayCounts.count { try browse(browsedDays); browsedDays += 1 }
        }
    }

    mutating func pageViews() throws {
        let w = world
        let pages: [(String, Double)] = [("home", 0.9), ("menu", 1.3), ("cart", 0.5), ("checkout", 0.3), ("subscriptions", 0.08), ("about", 0.04)]
        var id = 0
        report.pageViews = try copy("analytics_pageviewanalytics", "id, page_name, view_count, unique_visitors, date, created_at") { c in
            for d in 0..<w.dayCounts.count {
                var rng = Rng(seed: w.seed, stream: "pages", index: UInt64(d))
                let s = Double(sessions(day: d))
                let day = w.firstDay.advanced(by: d)
                for (page, share) in pages {
                    id += 1
                    let views = max(1, Int(s * share * (0.9 + 0.2 * rng.unit())))
                    let unique = max(1, Int(Double(views) * (0.6 + 0.25 * rng.unit())))
                    c.append(id); c.append(page); c.append(views); c.append(min(unique, views)); c.append(Fmt.date(day))
                    c.append(Fmt.timestamp(w.calendar.startMicros(of: day.advanced(by: 1)) + 5 * TableWriter.minute))
                    try c.endRow()
                }
            }
        }
    }
}
