import Analytics
import Foundation
import Pipeline
import Postgres
import Shop
import Warehouse
import XCTest

/// Analysts' reruns converge (README, "Reruns, locks and crashes", "Late changes", "What a nightly run reads"): a random
/// sequence of backfills over overlapping and disjoint ranges, nightly runs day after day, reruns of a day, runs for an
/// earlier day, `--areas` subsets and `--django-tables`, with late changes of the shop between them, leaves every
/// analytics table as one full backfill of the same range does in a fresh warehouse.
final class RerunConvergenceTests: XCTestCase {
    static let first = ShopDay(iso: "2026-10-01")!
    static let lastSeeded = ShopDay(iso: "2026-11-30")!

    /// A small deterministic generator (SplitMix64), so a failing case can be replayed from its seed.
    struct Dice {
        var state: UInt64
        mutating func next() -> UInt64 { state &+= 0x9E37_79B9_7F4A_7C15; return splitMix64(state) }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }
        mutating func pick<T>(_ xs: [T]) -> T { xs[int(0...(xs.count - 1))] }
    }

    /// The stages of `--areas`, in the order `Areas.stages` gives them.
    static func stages(_ areas: Set<String>) -> [any AnalyticsStage] {
        var s: [any AnalyticsStage] = []
        if areas.contains("customers") { s.append(CustomerStage()) }
        if areas.contains("funnel") { s.append(FunnelStage()) }
        if areas.contains("campaigns") { s.append(CampaignStage()) }
        return s
    }
    static let every: Set<String> = ["customers", "funnel", "campaigns"]

    /// What the test knows of the shop's orders, to keep every user's first sale where it is: the README leaves the
    /// later days' user types and campaign reach of a moved first sale to the next backfill ("Not recomputed").
    struct Order { var user: Int; var created: String; var status: String; var payment: String }

    final class World {
        let shop: TestShop
        var dice: Dice
        var orders: [Int: Order] = [:]
        var users = 30
        var nextOrder = 1, nextEvent = 1, nextCampaign = 4, nextCatering = 1, nextReferral = 1
        /// Orders rejected for a total that does not add up, not yet fixed.
        var rejected: [Int] = []
        /// The latest day a job computed.
        var cursor: ShopDay
        var log: [String] = []

        init(shop: TestShop, seed: UInt64, cursor: ShopDay) { self.shop = shop; dice = Dice(state: seed); self.cursor = cursor }

        func isSale(_ o: Order) -> Bool { o.status == "delivered" && o.payment != "refunded" }
        func firstSale(_ user: Int, without id: Int? = nil) -> String? {
            orders.filter { $0.key != id && $0.value.user == user && isSale($0.value) }.map(\.value.created).min()
        }
        func time(_ day: ShopDay) -> String { String(format: "%@ %02d:%02d", day.iso, dice.int(7...21), dice.int(0...59)) }
        func randomDay(_ a: ShopDay, _ b: ShopDay) -> ShopDay { a.advanced(by: dice.int(0...a.distance(to: b))) }

        func addOrder(user: Int, created: String, late: Bool) throws {
            let id = nextOrder; nextOrder += 1
            let roll = dice.int(0...99)
            let status = roll < 85 ? "delivered" : roll < 95 ? "cancelled" : "pending"
            let subtotal = 100 * dice.int(10...200)
            let coupon = dice.chance(15) ? dice.pick(["LUNCH", "karibu", "VIPWEEK", "NEWCAMP"]) : nil
            let vip = user <= 3 && dice.chance(50) ? subtotal / 10 : 0
            let points = dice.chance(10) ? 500 : 0
            try shop.order(id, user: user, kigali: created, status: status, payment: status == "cancelled" ? "failed" : "completed",
                           subtotal: subtotal, delivery: 500, coupon: coupon == nil ? 0 : subtotal / 20, loyalty: points, vip: vip,
                           deliveredKigali: status == "delivered" ? created : nil)
            if let coupon { try shop.couponCode(order: id, coupon) }
            if late { try shop.admin.execute("UPDATE public.orders_order SET updated_at = now() WHERE id = $1", [String(id)]) }
            if dice.chance(70) {
                try shop.orderItem(id, order: id, menuItem: dice.int(1...3), quantity: dice.int(1...3), price: 1000, subtotal: "1000")
            }
            orders[id] = Order(user: user, created: created, status: status, payment: status == "cancelled" ? "failed" : "completed")
            // A session ending in the order, and now and then an anonymous one.
            let session = "s\(id)"
            try shop.event(nextEvent, "view_menu", session: session, user: user, kigali: created); nextEvent += 1
            try shop.event(nextEvent, "complete_order", session: session, user: user, kigali: created); nextEvent += 1
        }

        func arrange() throws {
            for u in 1...users { try shop.user(u) }
            for (i, dish) in ["Isombe", "Brochette", "Ibihaza"].enumerated() { try shop.menuItem(i + 1, dish, category: "Category \(i)") }
            try shop.vipTier(user: 1, achieved: "2026-10-15")
            try shop.referral(1, referrer: 2, referee: 3, status: "COMPLETED", bonus: 500, createdKigali: "2026-10-05 09:00",
                              completedKigali: "2026-10-06 09:00")
            try shop.campaign(1, name: "Lunch", description: "coupon code LUNCH", startKigali: "2026-10-20 00:00:00",
                              endKigali: "2026-11-20 23:59:59", budget: "20000")
            try shop.campaign(2, name: "Karibu", description: "coupon code KARIBU", audience: "new_customers",
                              startKigali: "2026-11-05 00:00:00", endKigali: "2026-11-25 23:59:59", budget: nil)
            try shop.campaign(3, name: "VIP week", audience: "vip", startKigali: "2026-11-10 00:00:00", endKigali: "2026-11-17 23:59:59",
                              budget: "3000")
            // Orders in time order (ids follow the clock, as in Django), about five a day. About half the customers stop
            // buying after two weeks to two months, as on the demo shop, so the purchase model finds dropout: on a shop
            // where nobody stops, its fit can run off to parameters whose figures overflow their columns (reported).
            let stops = (1...users).map { _ in
                dice.chance(45) ? RerunConvergenceTests.first.advanced(by: dice.int(14...60)) : RerunConvergenceTests.lastSeeded
            }
            var times: [(String, Int)] = []
            for _ in 0..<300 {
                let user = dice.int(1...users)
                times.append((time(randomDay(RerunConvergenceTests.first, stops[user - 1])), user))
            }
            for (t, u) in times.sorted(by: { $0.0 < $1.0 }) { try addOrder(user: u, created: t, late: false) }
            for _ in 0..<40 {
                let day = randomDay(RerunConvergenceTests.first, RerunConvergenceTests.lastSeeded)
                try shop.event(nextEvent, dice.pick(["view_menu", "add_to_cart"]), session: "a\(nextEvent)", kigali: time(day)); nextEvent += 1
            }
            for _ in 0..<40 { try points(day: randomDay(RerunConvergenceTests.first, RerunConvergenceTests.lastSeeded)) }
            try shop.pageView("menu", day: "2026-10-10", views: 40, unique: 12)
            // Orders whose total does not add up: rejected on their day (total_mismatch) until fixed.
            for _ in 0..<4 {
                let id = nextOrder; nextOrder += 1
                let day = randomDay(RerunConvergenceTests.first, RerunConvergenceTests.lastSeeded)
                try shop.order(id, user: dice.int(1...users), kigali: time(day), subtotal: 5000, delivery: 500, total: 4000)
                rejected.append(id)
            }
        }

        func points(day: ShopDay) throws {
            let user = dice.int(1...users)
            if dice.chance(50) {
                try shop.orderPoints(user: user, points: dice.chance(70) ? dice.int(1...300) : -dice.int(1...100),
                                     type: dice.chance(70) ? "earned" : "redeemed", kigali: time(day))
            } else {
                try shop.subscriptionPoints(user: user, points: dice.int(1...200), type: dice.pick(["EARN", "REDEEM", "BONUS"]), kigali: time(day))
            }
        }

        /// One change the README says a nightly run handles, made now.
        func change() throws {
            let past = { self.randomDay(RerunConvergenceTests.first, self.cursor) }
            switch dice.int(0...11) {
            case 11:  // a rejected order's total fixed late (it becomes a sale, never a user's first)
                guard let id = rejected.first else { return }
                let user = Int(try shop.admin.scalar("SELECT user_id FROM public.orders_order WHERE id = $1", [String(id)]) ?? "") ?? 0
                let created = try shop.admin.scalar("SELECT to_char(created_at AT TIME ZONE 'Africa/Kigali', 'YYYY-MM-DD HH24:MI') FROM public.orders_order WHERE id = $1",
                                                    [String(id)]) ?? ""
                guard let first = firstSale(user), first < created else { return }
                rejected.removeFirst()
                try shop.admin.execute("UPDATE public.orders_order SET total = 5500, updated_at = now() WHERE id = $1", [String(id)])
                orders[id] = Order(user: user, created: created, status: "delivered", payment: "completed")
                log.append("fix \(id)")
            case 0, 1:  // an old sale cancelled late (never a user's first sale)
                let candidates = orders.filter { isSale($0.value) && firstSale($0.value.user) != $0.value.created
                    && ShopDay(iso: String($0.value.created.prefix(10)))! <= cursor }.keys.sorted()
                guard !candidates.isEmpty else { return }
                let id = dice.pick(candidates)
                try shop.admin.execute("UPDATE public.orders_order SET status = 'cancelled', payment_status = 'failed', updated_at = now() WHERE id = $1", [String(id)])
                orders[id]!.status = "cancelled"; orders[id]!.payment = "failed"
                log.append("cancel \(id)")
            case 2:  // a pending order delivered late, after the user's first sale
                let candidates = orders.filter { o in o.value.status == "pending" && (firstSale(o.value.user).map { $0 < o.value.created } ?? false) }.keys.sorted()
                guard !candidates.isEmpty else { return }
                let id = dice.pick(candidates)
                try shop.admin.execute("UPDATE public.orders_order SET status = 'delivered', delivered_at = now(), updated_at = now() WHERE id = $1", [String(id)])
                orders[id]!.status = "delivered"
                log.append("deliver \(id)")
            case 3:  // a sale refunded late, with a refund request completed on a day already computed
                let candidates = orders.filter { isSale($0.value) && firstSale($0.value.user) != $0.value.created }.keys.sorted()
                guard !candidates.isEmpty else { return }
                let id = dice.pick(candidates)
                try shop.admin.execute("UPDATE public.orders_order SET payment_status = 'refunded', updated_at = now() WHERE id = $1", [String(id)])
                orders[id]!.payment = "refunded"
                try shop.completedRefund(orderId: id, amount: 1000, completedKigali: time(past()))
                try shop.admin.execute("UPDATE public.payments_refundrequest SET updated_at = now() WHERE id = (SELECT max(id) FROM public.payments_refundrequest)")
                log.append("refund \(id)")
            case 4:  // an order recorded late for an earlier day (a higher id than the day's others)
                let day = past()
                let user = dice.int(1...users)
                let t = time(day)
                guard let first = firstSale(user), first < t else { return }
                try addOrder(user: user, created: t, late: true)
                log.append("late order \(nextOrder - 1) on \(day.iso)")
            case 5:  // loyalty points, inserted now, on an earlier day or the next one
                try points(day: dice.chance(50) ? past() : cursor.advanced(by: 1))
                log.append("points")
            case 6:  // a new user, who buys on an earlier day
                users += 1
                try shop.user(users)
                try addOrder(user: users, created: time(past()), late: true)
                log.append("user \(users)")
            case 7:  // sessions of the next day
                let day = min(cursor.advanced(by: 1), RerunConvergenceTests.lastSeeded)
                try shop.event(nextEvent, "add_to_cart", session: "n\(nextEvent)", user: dice.int(1...users), kigali: time(day)); nextEvent += 1
                log.append("event")
            case 9:  // a catering booking for an earlier day, or one cancelled
                let id = nextCatering; nextCatering += 1
                try shop.admin.execute("""
                    INSERT INTO public.catering_cateringbooking (id, event_name, event_date, event_time, location, number_of_people,
                      special_requests, status, total_price, created_at, updated_at, package_id, user_id)
                    VALUES ($1, 'Staff lunch', $2::date, '12:00', 'Ward 3', 20, '', 'confirmed', $3, now(), now(), NULL, 1)
                    """, [String(id), past().iso, String(1000 * dice.int(20...90))])
                if id > 1 && dice.chance(50) {
                    try shop.admin.execute("UPDATE public.catering_cateringbooking SET status = 'cancelled', updated_at = now() WHERE id = $1",
                                           [String(dice.int(1...id - 1))])
                }
                log.append("catering \(id)")
            case 10:  // a VIP tier reached, or a referral completed, on the day after the last one computed
                let user = dice.int(4...users)
                let day = cursor.advanced(by: 1)
                if dice.chance(50) {
                    try shop.admin.execute("DELETE FROM public.subscriptions_viptier WHERE user_id = $1", [String(user)])
                    try shop.vipTier(user: user, achieved: day.iso)
                    log.append("vip \(user)")
                } else {
                    nextReferral += 1
                    try shop.referral(nextReferral, referrer: user, referee: nil, status: "COMPLETED", bonus: 300,
                                      createdKigali: "\(day.iso) 09:00", completedKigali: "\(day.iso) 10:00")
                    log.append("referral \(nextReferral)")
                }
            default:  // a campaign created from tomorrow on, or one edited (budget, a later end)
                if dice.chance(50) {
                    let start = cursor.advanced(by: 1)
                    try shop.campaign(nextCampaign, name: "New \(nextCampaign)", description: "coupon code NEWCAMP",
                                      audience: dice.pick(["all", "new_customers", "vip", "referrals"]),
                                      startKigali: "\(start.iso) 00:00:00", endKigali: "\(start.advanced(by: 10).iso) 23:59:59", budget: "5000")
                    log.append("campaign \(nextCampaign)")
                    nextCampaign += 1
                } else if dice.chance(50) {  // a coupon code or an audience changed, or a campaign cancelled
                    let id = dice.int(1...nextCampaign - 1)
                    let edit = dice.pick(["description = 'coupon code VIPWEEK'", "description = 'coupon code LUNCH'",
                                          "target_audience = 'vip'", "target_audience = 'all'", "status = 'cancelled'"])
                    try shop.admin.execute("UPDATE public.analytics_campaign SET \(edit), updated_at = now() WHERE id = $1", [String(id)])
                    log.append("edit campaign \(id): \(edit)")
                } else {
                    let id = dice.int(1...nextCampaign - 1)
                    try shop.admin.execute("UPDATE public.analytics_campaign SET budget = budget + 1000, end_date = end_date + interval '2 days', updated_at = now() WHERE id = $1 AND end_date >= $2::timestamp AT TIME ZONE 'Africa/Kigali'",
                                           [String(id), "\(cursor.iso) 00:00"])
                    log.append("edit campaign \(id)")
                }
            }
        }
    }

    /// A job as the command line builds it, but for the watermark's overlap: none by default, so that a change made
    /// after a job is late for it (the hour of overlap would find every change these tests make again).
    func job(_ shop: TestShop, warehouse: Connection? = nil, areas: Set<String>, django: Bool, overlap: Int64 = 0) throws -> Job {
        var o = JobOptions(calendar: TestShop.kigali, timeZoneName: "Africa/Kigali", sql: TestShop.sql)
        o.djangoTables = django
        o.stages = RerunConvergenceTests.stages(areas)
        o.watermarkOverlapSeconds = overlap
        return Job(source: try shop.reader(), warehouse: try warehouse ?? shop.connect(), options: o)
    }

    /// Every analytics table without what names a run or a moment (as `scripts/table-md5.sh` leaves out), the
    /// as-of-day tables as of `asOf`, each table's rows sorted; and the shop's own analytics tables.
    static func figures(_ c: Connection, asOf: ShopDay) throws -> [String] {
        let skip = ["run_id", "id", "created_at", "updated_at", "tracked_at", "started_at", "finished_at", "applied_at", "watermark", "sent_at"]
        let minus = skip.map { " - '\($0)'" }.joined()
        let tables = try c.execute("""
            SELECT table_schema, table_name,
                   bool_or(column_name = 'as_of') FROM information_schema.columns
            WHERE (table_schema = 'analytics' AND table_name NOT IN ('runs', 'schema_migrations', 'delivery_log', 'churn_model_fit'))
               OR (table_schema = 'public' AND table_name IN ('analytics_dailyanalyticssnapshot', 'analytics_revenuestream',
                   'analytics_customermetrics', 'analytics_campaignperformance'))
            GROUP BY 1, 2 ORDER BY 1, 2
            """).rows
        var out: [String] = []
        for t in tables {
            let name = "\(t[0]!).\(t[1]!)"
            var query = "SELECT (to_jsonb(t)\(minus))::text FROM \(name) t\(t[2] == "t" ? " WHERE as_of = '\(asOf.iso)'" : "") ORDER BY 1"
            if name == "analytics.campaign_performance" {
                // What a report as of that day shows: each campaign's latest figures (a nightly run computes only the
                // campaigns whose window meets a day it recomputes; an ended one keeps its figures as of a day after
                // its end, which a full backfill computes again as of its last day: README, "What a run recomputes").
                query = """
                    SELECT (to_jsonb(t)\(minus) - 'as_of')::text FROM (SELECT DISTINCT ON (campaign_id) * FROM \(name)
                      WHERE as_of <= '\(asOf.iso)' AND (as_of = '\(asOf.iso)' OR last_day <= as_of) ORDER BY campaign_id, as_of DESC) t ORDER BY 1
                    """
            }
            out += try c.execute(query).rows.map { "\(name): \($0[0] ?? "")" }
        }
        // The model fits of the latest run, as the nightly tests compare them.
        out += try c.execute("""
            SELECT model || ' ' || fitted || ' ' || converged || ' ' || customers_used || ' ' || coalesce(parameters::text, '') || ' '
                   || coalesce(log_likelihood::text, '') FROM analytics.churn_model_fit
            WHERE run_id = (SELECT max(run_id) FROM analytics.churn_model_fit) ORDER BY 1
            """).rows.map { "fit: \($0[0] ?? "")" }
        return out
    }

    /// Runs one random case: returns the rows only the sequence has and only the full backfill has, with the log.
    func runCase(seed: UInt64) throws -> (onlySequence: [String], onlyBackfill: [String], log: [String]) {
        let shop = try TestShop(), fresh = try TestShop()
        var dice = Dice(state: seed)
        let world = World(shop: shop, seed: dice.next(), cursor: RerunConvergenceTests.first.advanced(by: dice.int(35...42)))
        try world.arrange()
        let django = dice.chance(50), overlap: Int64 = dice.chance(25) ? 3600 : 0
        func run(_ what: String, areas: Set<String> = RerunConvergenceTests.every, _ body: (Job) throws -> JobSummary) throws {
            let summary: JobSummary
            do { summary = try body(try job(shop, areas: areas, django: django, overlap: overlap)) } catch {
                XCTFail("seed \(seed): \(what) failed after\n\(world.log.joined(separator: "\n"))")
                throw error
            }
            world.log.append("\(what)\(areas == RerunConvergenceTests.every ? "" : " --areas \(areas.sorted().joined(separator: ","))")"
                             + " -> \(summary.days.map(\.description).joined(separator: " "))")
        }
        try run("backfill \(RerunConvergenceTests.first)..\(world.cursor)") {
            try $0.backfill(ShopDayRange(RerunConvergenceTests.first, world.cursor))
        }
        for _ in 0..<dice.int(6...10) {
            for _ in 0..<dice.int(0...3) { try world.change() }
            let areas: Set<String> = dice.chance(75) ? RerunConvergenceTests.every
                : dice.pick([[], ["customers"], ["funnel", "campaigns"], ["campaigns"], ["customers", "funnel"]])
            switch dice.int(0...9) {
            case 0...3:  // the next night, with every area (a day no job computed an area for has none of its figures)
                if world.cursor < RerunConvergenceTests.lastSeeded { world.cursor = world.cursor.advanced(by: 1) }
                let d = world.cursor
                try run("run \(d)") { try $0.nightly(date: d) }
            case 4, 5:  // the same night again
                let d = world.cursor
                try run("run \(d)", areas: areas) { try $0.nightly(date: d) }
            case 6:  // a run for an earlier day
                let d = world.randomDay(RerunConvergenceTests.first, world.cursor)
                try run("run \(d)", areas: areas) { try $0.nightly(date: d) }
            default:  // a backfill of some range already computed
                let a = world.randomDay(RerunConvergenceTests.first, world.cursor), b = world.randomDay(a, world.cursor)
                try run("backfill \(a)..\(b)", areas: areas) { try $0.backfill(ShopDayRange(a, b)) }
            }
        }
        for _ in 0..<dice.int(0...2) { try world.change() }
        let last = world.cursor
        try run("run \(last)") { try $0.nightly(date: last) }
        // The shop's own tables refer to its users and campaigns: the fresh warehouse (a shop database of its own) gets them.
        for table in ["auth_user", "analytics_campaign"] {
            for row in try shop.admin.execute("SELECT to_jsonb(t)::text FROM public.\(table) t").rows {
                try fresh.admin.execute("INSERT INTO public.\(table) SELECT * FROM jsonb_populate_record(NULL::public.\(table), $1::jsonb)", [row[0]])
            }
        }
        _ = try job(shop, warehouse: try fresh.connect(), areas: RerunConvergenceTests.every, django: django)
            .backfill(ShopDayRange(RerunConvergenceTests.first, last))
        let a0 = try RerunConvergenceTests.figures(shop.admin, asOf: last)
        let b0 = try RerunConvergenceTests.figures(fresh.admin, asOf: last)
        XCTAssertGreaterThan(b0.count, 1000)
        // The shop's `analytics_campaignperformance` keeps the figures of the last run that computed each campaign
        // (README, "The shop's analytics_campaignperformance"): compared for the campaigns the last run computed.
        let computed = Set(try shop.admin.execute("SELECT campaign_id FROM analytics.campaign_performance WHERE as_of = $1::date",
                                                  [last.iso]).rows.map { "\"campaign_id\": \($0[0] ?? "")" })
        func lastRunsCampaigns(_ rows: [String]) -> [String] {
            rows.filter { row in
                !row.hasPrefix("public.analytics_campaignperformance:") || computed.contains { row.contains($0 + ",") || row.contains($0 + "}") }
            }
        }
        let (a, b) = (lastRunsCampaigns(a0), lastRunsCampaigns(b0))
        let sa = Set(a), sb = Set(b)
        return (a.filter { !sb.contains($0) }, b.filter { !sa.contains($0) }, world.log + ["django: \(django), overlap: \(overlap) s"])
    }

    func testRandomSequencesOfJobsConvergeOnAFullBackfill() throws {
        let cases = Int(ProcessInfo.processInfo.environment["DUSANGIRE_RERUN_CASES"] ?? "") ?? 8
        let base = UInt64(ProcessInfo.processInfo.environment["DUSANGIRE_RERUN_SEED"] ?? "") ?? 16
        for seed in base..<(base + UInt64(cases)) {
            print("rerun case, seed \(seed)")
            let r: (onlySequence: [String], onlyBackfill: [String], log: [String])
            do { r = try runCase(seed: seed) } catch {
                XCTFail("seed \(seed): \(error)")  // the job and the sequence before it are named where it failed
                continue
            }
            XCTAssertEqual(r.onlySequence, [], "seed \(seed): rows only after the sequence\n\(r.log.joined(separator: "\n"))")
            XCTAssertEqual(r.onlyBackfill, [], "seed \(seed): rows only after the full backfill")
        }
    }

    // MARK: minimal cases the random sequences found

    /// Seed 207 (about 30 customers): the purchase model's fit ran off towards a limit of the model, where no spread in
    /// purchase rates fits best (r = 2e17 at a "log-likelihood" of 0.0, from the lgamma differences' lost digits). Its
    /// predictions were noise wider than any column and the nightly run failed (numeric overflow, exit 1, "the shop's
    /// data holds amounts far beyond a meal shop's"). Such a fit now gives no predictions; every job runs and the
    /// sequence still converges on a full backfill.
    func testAFitBeyondWhatCanBeComputedGivesNoPredictionsAndTheJobsGoOn() throws {
        let r = try runCase(seed: 207)
        XCTAssertEqual(r.onlySequence, [], r.log.joined(separator: "\n"))
        XCTAssertEqual(r.onlyBackfill, [])
    }

    /// Users 1 and 2; user 1 buys on 11-02 and 11-10 (order 2, 5,000), user 2 on 11-05; campaign 1 for everyone from
    /// 11-01 to 11-30. Backfilled 11-01..11-20.
    func smallShop() throws -> TestShop {
        let shop = try TestShop()
        try shop.campaign(1, name: "November", startKigali: "2026-11-01 00:00:00", endKigali: "2026-11-30 23:59:59", budget: "1000")
        try shop.user(1)
        try shop.user(2)
        try shop.order(1, user: 1, kigali: "2026-11-02 10:00", subtotal: 10000)
        try shop.order(2, user: 1, kigali: "2026-11-10 12:00", subtotal: 5000)
        try shop.order(3, user: 2, kigali: "2026-11-05 12:00", subtotal: 3000)
        _ = try job(shop, areas: RerunConvergenceTests.every, django: false)
            .backfill(ShopDayRange(ShopDay(iso: "2026-11-01")!, ShopDay(iso: "2026-11-20")!))
        return shop
    }

    /// The tables after `shop`'s jobs against those of one backfill of 11-01..`last` in a fresh warehouse.
    func assertSameAsAFullBackfill(_ shop: TestShop, to last: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let fresh = try TestShop()
        let day = ShopDay(iso: last)!
        _ = try job(shop, warehouse: try fresh.connect(), areas: RerunConvergenceTests.every, django: false)
            .backfill(ShopDayRange(ShopDay(iso: "2026-11-01")!, day))
        let a = try RerunConvergenceTests.figures(shop.admin, asOf: day), b = try RerunConvergenceTests.figures(fresh.admin, asOf: day)
        XCTAssertGreaterThan(b.count, 100, file: file, line: line)
        XCTAssertEqual(a.filter { !b.contains($0) }, [], "rows only after the jobs", file: file, line: line)
        XCTAssertEqual(b.filter { !a.contains($0) }, [], "rows only after the full backfill", file: file, line: line)
    }

    func cancelLate(_ shop: TestShop, order: Int) throws {
        try shop.admin.execute("UPDATE public.orders_order SET status = 'cancelled', payment_status = 'failed', updated_at = now() WHERE id = $1",
                               [String(order)])
    }

    /// Before any nightly run, a change on a day a backfill of other days does not cover: the first nightly run starts
    /// from the oldest backfill's watermark, not the newest's, and recomputes that day.
    func testTheFirstNightlyRunFindsChangesMadeBeforeALaterBackfillOfOtherDays() throws {
        let shop = try smallShop()
        try cancelLate(shop, order: 2)
        _ = try job(shop, areas: RerunConvergenceTests.every, django: false)
            .backfill(ShopDayRange(ShopDay(iso: "2026-11-01")!, ShopDay(iso: "2026-11-03")!))
        let run = try job(shop, areas: RerunConvergenceTests.every, django: false).nightly(date: ShopDay(iso: "2026-11-21")!)
        XCTAssertEqual(run.days.map(\.description), ["2026-11-10", "2026-11-21"])
        XCTAssertEqual(try shop.snapshot("2026-11-10", "total_orders || '/' || cancelled_orders"), "0/1")
        try assertSameAsAFullBackfill(shop, to: "2026-11-21")
    }

    /// A run for an earlier day than days already computed does not recompute a change on those days, and keeps the
    /// watermark it started from: the next run for a later day recomputes them.
    func testARunForAnEarlierDayLeavesLaterChangesToTheNextRun() throws {
        let shop = try smallShop()
        _ = try job(shop, areas: RerunConvergenceTests.every, django: false).nightly(date: ShopDay(iso: "2026-11-21")!)
        try cancelLate(shop, order: 2)
        let earlier = try job(shop, areas: RerunConvergenceTests.every, django: false).nightly(date: ShopDay(iso: "2026-11-05")!)
        XCTAssertEqual(earlier.days.map(\.description), ["2026-11-05"])
        XCTAssertEqual(try shop.snapshot("2026-11-10", "total_orders"), "1")
        let next = try job(shop, areas: RerunConvergenceTests.every, django: false).nightly(date: ShopDay(iso: "2026-11-22")!)
        XCTAssertEqual(next.days.map(\.description), ["2026-11-10", "2026-11-22"])
        XCTAssertEqual(try shop.snapshot("2026-11-10", "total_orders || '/' || cancelled_orders"), "0/1")
        try assertSameAsAFullBackfill(shop, to: "2026-11-22")
    }

    /// A run with fewer areas (`--areas none`) recomputes the days of a late change for the daily figures only: the
    /// next run with every area starts from the last run that computed them, and recomputes those days for the areas.
    func testARunWithFewerAreasLeavesTheirLateChangesToTheNextRunThatComputesThem() throws {
        let shop = try smallShop()
        _ = try job(shop, areas: RerunConvergenceTests.every, django: false).nightly(date: ShopDay(iso: "2026-11-21")!)
        let audience = "SELECT audience_revenue FROM analytics.campaign_daily WHERE campaign_id = 1 AND day = '2026-11-10'"
        XCTAssertEqual(try shop.rows(audience), ["5000.00"])
        try cancelLate(shop, order: 2)
        let daily = try job(shop, areas: [], django: false).nightly(date: ShopDay(iso: "2026-11-21")!)
        XCTAssertEqual(daily.days.map(\.description), ["2026-11-10", "2026-11-21"])
        XCTAssertEqual(try shop.snapshot("2026-11-10", "total_orders"), "0")
        XCTAssertEqual(try shop.rows(audience), ["5000.00"])
        let next = try job(shop, areas: RerunConvergenceTests.every, django: false).nightly(date: ShopDay(iso: "2026-11-22")!)
        XCTAssertEqual(next.days.map(\.description), ["2026-11-10", "2026-11-22"])
        XCTAssertEqual(try shop.rows(audience), ["0.00"])
        try assertSameAsAFullBackfill(shop, to: "2026-11-22")
        // Every run logs the areas it computed.
        XCTAssertEqual(try shop.rows("SELECT command || ' ' || areas::text FROM analytics.runs ORDER BY id"),
                       ["backfill {campaigns,customers,funnel}", "run {campaigns,customers,funnel}", "run {}", "run {campaigns,customers,funnel}"])
    }

    /// A campaign's coupon code edited in its description after days of its window were computed: the run computes it
    /// in whole, and its daily rows of those days too.
    func testACampaignEditedLateHasItsDailyRowsRecomputed() throws {
        let shop = try smallShop()
        try shop.couponCode(order: 2, "AUTUMN")
        try shop.admin.execute("UPDATE public.orders_order SET discount_amount = 500, total = total - 500 WHERE id = 2")
        _ = try job(shop, areas: RerunConvergenceTests.every, django: false)
            .backfill(ShopDayRange(ShopDay(iso: "2026-11-01")!, ShopDay(iso: "2026-11-20")!))
        let daily = "SELECT coupon_orders || ' ' || coupon_revenue FROM analytics.campaign_daily WHERE campaign_id = 1 AND day = '2026-11-10'"
        XCTAssertEqual(try shop.rows(daily), ["0 0.00"])
        try shop.admin.execute("UPDATE public.analytics_campaign SET description = 'coupon code AUTUMN', updated_at = now() WHERE id = 1")
        _ = try job(shop, areas: RerunConvergenceTests.every, django: false).nightly(date: ShopDay(iso: "2026-11-21")!)
        XCTAssertEqual(try shop.rows("SELECT coupon_orders FROM analytics.campaign_performance WHERE campaign_id = 1 AND as_of = '2026-11-21'"), ["1"])
        XCTAssertEqual(try shop.rows(daily), ["1 4500.00"])
        try assertSameAsAFullBackfill(shop, to: "2026-11-21")
    }
}
