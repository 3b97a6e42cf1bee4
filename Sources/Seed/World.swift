import Foundation  // log()
import Shop

/// Everything about the synthetic shop that is decided before the orders: the days and how many orders each gets,
/// the customers (compact per-customer arrays; names are recomputed from hashes when needed), subscriptions,
/// campaigns. Its size is O(customers + days), never O(orders).
final class World {
    let plan: SeedPlan
    let seed: UInt64
    let calendar: ShopCalendar
    let firstDay: ShopDay
    let lastDay: ShopDay
    /// First instant of `firstDay` and first instant after `lastDay` (UTC microseconds).
    let periodStart: Int64, periodEnd: Int64
    /// Orders per day, index 0 = `firstDay`.
    let dayCounts: [Int]
    let totalOrders: Int

    // Customers: ids 1...customers; staff after them.
    let customers: Int
    var staffIds: ClosedRange<Int> { (customers + 1)...(customers + Catalog.staff.count) }
    /// `date_joined` by customer (index id-1), increasing with id as Django's auto ids are.
    let joined: [Int64]
    /// Cumulative activity weights (index id-1), for picking who orders.
    let cumulativeWeight: [Double]
    /// The instant after which a customer never orders again (index id-1; `Int64.max` for customers who stay): about
    /// 45% of customers stop, 30 days to a year or so after they start ordering in the period, so the purchase model
    /// has dropout to find.
    let leaves: [Int64]
    /// 0 = none, 1...4 = bronze...platinum.
    let vipTier: [UInt8]
    /// 0 = none, else partner index + 1.
    let corporate: [UInt8]
    /// Index into `PaymentMethod.weights`.
    let preferredMethod: [UInt8]
    /// Index into `subscriptions` + 1, 0 = none.
    let subscriptionOf: [Int32]
    let subscriptions: [Subscription]
    let referrers: [Int]
    let campaigns: [Campaign]
    let cateringDays: [ShopDay]

    struct Subscription {
        let id: Int
        let userId: Int
        let plan: Int
        let status: String
        let start: ShopDay
        let end: ShopDay
        /// Last day its orders are linked (cancel or pause day, else end).
        let activeUntil: ShopDay
        let cancelledAt: Int64?
        let pausedUntil: ShopDay?
        let createdAt: Int64
    }

    struct Campaign {
        let id: Int
        let name: String
        let code: String
        let audience: String
        let discountType: String
        let value: Int64          // percent in hundredths of a percent, or fixed amount in hundredths of RWF
        let start: Int64, end: Int64
        let status: String
        let budget: Int64?
        let description: String
        let eveningsOnly: Bool
    }

    init(plan: SeedPlan) {
        self.plan = plan
        seed = plan.seed
        calendar = plan.calendar
        lastDay = plan.lastDay
        firstDay = plan.lastDay.advanced(by: -(plan.days - 1))
        periodStart = calendar.startMicros(of: firstDay)
        periodEnd = calendar.startMicros(of: lastDay.advanced(by: 1))
        customers = plan.customers

        // Days: weekly seasonality (a hospital is busiest on weekdays), a slow upward trend, holidays and noise.
        var weights: [Double] = []
        for i in 0..<plan.days {
            let d = firstDay.advanced(by: i)
            weights.append(World.dayWeight(d, index: i, days: plan.days, seed: plan.seed))
        }
        let total = plan.orders ?? max(1, plan.customers * plan.days / 12)
        dayCounts = World.apportion(total, weights)
        totalOrders = total

        // Customers: 70% joined during the two years before the period, the rest during it; ids follow join time.
        var joined = [Int64](repeating: 0, count: customers)
        var cumulative = [Double](repeating: 0, count: customers)
        var vip = [UInt8](repeating: 0, count: customers)
        var corp = [UInt8](repeating: 0, count: customers)
        var method = [UInt8](repeating: 0, count: customers)
        var leaves = [Int64](repeating: .max, count: customers)
        let before = Int((Double(customers) * 0.7).rounded())
        let twoYears: Int64 = 730 * 86_400_000_000
        let periodLength = periodEnd - periodStart
        var running = 0.0
        let special = Set(Catalog.specialCustomers.map(\.id))
        for i in 0..<customers {
            let id = i + 1
            let base: Int64
            if i < before {
                base = periodStart - twoYears + Int64(Double(twoYears) * Double(i) / Double(max(before, 1)))
            } else {
                base = periodStart + Int64(Double(periodLength) * Double(i - before) / Double(max(customers - before, 1)))
            }
            joined[i] = base + Int64(hashUnit(plan.seed, id, 1) * 3_600_000_000)  // jitter within the hour
            let u = max(hashUnit(plan.seed, id, 2), 1e-9)
            var w = -log(u)  // exponential: most customers order now and then
            if hashUnit(plan.seed, id, 3) < 0.1 { w *= 6 }  // regulars: staff, long-stay families
            if hashUnit(plan.seed, id, 9) < 0.08 { w *= 3 }  // subscribers eat with us most days
            if special.contains(id) { w = 5 }
            running += w
            cumulative[i] = running
            if hashUnit(plan.seed, id, 4) < 0.15 {
                let t = hashUnit(plan.seed, id, 5)
                vip[i] = t < 0.50 ? 1 : t < 0.80 ? 2 : t < 0.95 ? 3 : 4
            }
            if hashUnit(plan.seed, id, 6) < 0.05 {
                corp[i] = UInt8(1 + Int(hashUnit(plan.seed, id, 7) * Double(Catalog.partners.count)))
            }
            method[i] = UInt8(World.pickMethod(hashUnit(plan.seed, id, 8)))
            if !special.contains(id) && hashUnit(plan.seed, id, 30) < 0.45 {
                let days = 30 - 150 * log(max(hashUnit(plan.seed, id, 31), 1e-9))
                leaves[i] = max(joined[i], periodStart) + Int64(days * 86_400_000_000)
            }
        }
        self.leaves = leaves
        self.joined = joined
        cumulativeWeight = cumulative
        vipTier = vip
        corporate = corp
        preferredMethod = method

        // Subscriptions: about 8% of customers.
        var subs: [Subscription] = []
        var subOf = [Int32](repeating: 0, count: customers)
        var rng = Rng(seed: plan.seed, stream: "subscriptions")
        for i in 0..<customers where hashUnit(plan.seed, i + 1, 9) < 0.08 {
            let userId = i + 1
            let planIndex = rng.weighted(Catalog.plans.map(\.share))
            let p = Catalog.plans[planIndex]
            let joinedDay = calendar.day(ofMicros: joined[i])
            let earliest = max(joinedDay, firstDay.advanced(by: -45))
            let latest = lastDay.advanced(by: -3)
            guard earliest <= latest else { continue }
            let start = earliest.advanced(by: rng.below(earliest.distance(to: latest) + 1))
            // Daily plans run for a few weeks (renewed daily); weekly ones for some weeks; monthly for one or more months.
            let cycles = p.durationDays == 1 ? rng.int(14...60) : p.durationDays == 7 ? rng.int(2...10) : rng.int(1...3)
            let end = start.advanced(by: p.durationDays * cycles)
            let roll = rng.unit()
            var status = "active", activeUntil = end
            var cancelledAt: Int64?, pausedUntil: ShopDay?
            if end <= lastDay {
                status = "expired"
            } else if roll < 0.20 {
                status = "cancelled"
                let c = start.advanced(by: rng.below(max(1, start.distance(to: lastDay))))
                activeUntil = c
                cancelledAt = calendar.startMicros(of: c) + Int64(rng.int(8 * 60...20 * 60)) * 60_000_000
            } else if roll < 0.32 {
                status = "paused"
                let pauseDay = max(start, lastDay.advanced(by: -rng.int(1...10)))
                activeUntil = pauseDay
                pausedUntil = lastDay.advanced(by: rng.int(3...21))
            }
            let created = max(joined[i], calendar.startMicros(of: start) - Int64(rng.int(1...48)) * 3_600_000_000)
            subs.append(Subscription(id: subs.count + 1, userId: userId, plan: planIndex, status: status, start: start,
                                     end: end, activeUntil: activeUntil, cancelledAt: cancelledAt, pausedUntil: pausedUntil,
                                     createdAt: created))
            subOf[i] = Int32(subs.count)
        }
        subscriptions = subs
        subscriptionOf = subOf

        var refs: [Int] = []
        for i in 0..<customers where hashUnit(plan.seed, i + 1, 10) < 0.05 { refs.append(i + 1) }
        referrers = refs

        campaigns = World.makeCampaigns(firstDay: firstDay, lastDay: lastDay, days: plan.days, calendar: calendar)

        // Catering: about one booking per ten days.
        var crng = Rng(seed: plan.seed, stream: "catering-days")
        var cdays: [ShopDay] = []
        for i in 0..<plan.days where crng.chance(0.1) { cdays.append(firstDay.advanced(by: i)) }
        if cdays.isEmpty { cdays.append(lastDay) }
        cateringDays = cdays
    }

    // MARK: Customers

    /// The customer who places an order at `at`: weighted by activity, among those who had joined by then.
    func pickCustomer(at: Int64, _ rng: inout Rng) -> Int {
        // Eligible: a prefix of ids (join time increases with id).
        var lo = 0, hi = customers
        while lo < hi { let m = (lo + hi) >> 1; if joined[m] <= at { lo = m + 1 } else { hi = m } }
        let eligible = max(lo, 1)
        // A customer who has stopped is drawn again (16 tries; the last draw stands, which is rare enough).
        var pick = 0
        for _ in 0..<16 {
            let x = rng.unit() * cumulativeWeight[eligible - 1]
            lo = 0; hi = eligible - 1
            while lo < hi { let m = (lo + hi) >> 1; if cumulativeWeight[m] <= x { lo = m + 1 } else { hi = m } }
            pick = lo
            if at <= leaves[pick] { break }
        }
        return pick + 1
    }

    func name(of id: Int) -> (first: String, last: String) {
        if id > customers {
            let s = Catalog.staff[id - customers - 1]
            return (s.first, s.last)
        }
        for s in Catalog.specialCustomers where s.id == id { return (s.first, s.last) }
        let f = Catalog.givenNames[Int(hashUnit(seed, id, 11) * Double(Catalog.givenNames.count))]
        let l = Catalog.surnames[Int(hashUnit(seed, id, 12) * Double(Catalog.surnames.count))]
        return (f, l)
    }

    func fullName(of id: Int) -> String { let n = name(of: id); return n.first + " " + n.last }

    /// `+2507XXXXXXXX`: MTN (078, 079) or Airtel (072, 073) numbers.
    func phone(of id: Int) -> String {
        let h = SplitMix64.mix(seed ^ SplitMix64.mix(UInt64(id) &+ 0xF0_0D))
        let prefixes = ["78", "78", "78", "79", "72", "73"]
        return "+250" + prefixes[Int(h % 6)] + Fmt.pad(Int((h >> 8) % 10_000_000), 7)
    }

    func username(of id: Int) -> String {
        if id > customers { return Catalog.staff[id - customers - 1].username }
        let n = name(of: id)
        let f = World.fold(n.first), l = World.fold(n.last)
        let stem = f.isEmpty || l.isEmpty ? "customer" : f + "." + l
        return stem + String(id)
    }

    /// Lowercase ASCII letters of a name (accents dropped), for usernames.
    static func fold(_ s: String) -> String {
        var out = ""
        for ch in s.lowercased() {
            switch ch {
            case "é", "è", "ê", "ë": out.append("e")
            case "à", "â", "ä": out.append("a")
            case "ï", "î": out.append("i")
            case "ô", "ö": out.append("o")
            case "ù", "û", "ü": out.append("u")
            case "ç": out.append("c")
            case "a"..."z": out.append(ch)
            default: break
            }
        }
        return out
    }

    // MARK: Days

    static func dayWeight(_ d: ShopDay, index: Int, days: Int, seed: UInt64) -> Double {
        let weekday: [Double] = [1.12, 1.08, 1.05, 1.04, 1.00, 0.80, 0.72]  // Monday ... Sunday
        var w = weekday[d.isoWeekday - 1]
        w *= 0.92 + 0.16 * Double(index) / Double(max(days - 1, 1))
        w *= 0.9 + 0.2 * hashUnit(seed, Int(d.epochDay), 13)
        let c = d.components
        if isUmuganda(d) { w *= 0.85 }
        // Public holidays: fewer staff on site (patients still eat).
        let holidays: [(Int, Int)] = [(1, 1), (2, 1), (4, 7), (5, 1), (7, 1), (7, 4), (8, 15), (12, 25), (12, 26)]
        if holidays.contains(where: { $0.0 == c.month && $0.1 == c.day }) { w *= 0.8 }
        return w
    }

    /// Umuganda: the last Saturday of the month, community work in the morning (no deliveries 08:00 to 11:00).
    static func isUmuganda(_ d: ShopDay) -> Bool {
        d.isoWeekday == 6 && d.advanced(by: 7).components.month != d.components.month
    }

    /// Splits `total` into integers proportional to `weights` (largest remainder, ties by index).
    static func apportion(_ total: Int, _ weights: [Double]) -> [Int] {
        let sum = weights.reduce(0, +)
        var counts = weights.map { Int((Double(total) * $0 / sum).rounded(.down)) }
        var rest = total - counts.reduce(0, +)
        let order = weights.indices.sorted {
            let a = Double(total) * weights[$0] / sum - Double(counts[$0])
            let b = Double(total) * weights[$1] / sum - Double(counts[$1])
            return a != b ? a > b : $0 < $1
        }
        var k = 0
        while rest > 0 { counts[order[k % order.count]] += 1; rest -= 1; k += 1 }
        return counts
    }

    // MARK: Payment methods

    static let methods: [PaymentMethod] = [.mtnMobileMoney, .airtelMoney, .cashOnDelivery, .card, .bankTransfer]
    static let methodWeights: [Double] = [0.48, 0.17, 0.20, 0.09, 0.06]

    static func pickMethod(_ u: Double) -> Int {
        var x = u
        for (i, w) in methodWeights.enumerated() { if x < w { return i }; x -= w }
        return 0
    }

    // MARK: Campaigns

    /// Campaign coupon codes follow one convention: the campaign name in upper case with everything but letters and
    /// digits removed ("VIP week" -> VIPWEEK). The description says so, for people reading the shop's admin.
    static func code(for name: String) -> String {
        String(name.uppercased().unicodeScalars.filter { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }.map(Character.init))
    }

    static func makeCampaigns(firstDay: ShopDay, lastDay: ShopDay, days: Int, calendar: ShopCalendar) -> [Campaign] {
        func at(_ dayOffset: Int, _ hour: Int) -> Int64 {
            calendar.startMicros(of: firstDay.advanced(by: dayOffset)) + Int64(hour) * 3_600_000_000
        }
        let span = max(days, 10)
        let specs: [(String, String, String, Int64, Int, Int, Int64?, Bool)] = [
            // name, audience, type, value, start offset, length days, budget (hundredths), evenings only
            ("Karibu new customers", "new_customers", "percentage", 1500, 0, span / 3, 50_000_000, false),
            ("VIP week", "vip", "percentage", 2000, span * 4 / 9, 7, 30_000_000, false),
            ("Refer a friend", "referrals", "fixed", 100_000, span / 4, span, nil, false),
            ("Ramadan evenings", "all", "percentage", 1000, span * 6 / 10, 30, 80_000_000, true),
            ("Umuganda brunch", "all", "fixed", 50_000, span + 5, 14, nil, false),
        ]
        let end = calendar.startMicros(of: lastDay.advanced(by: 1))
        var out: [Campaign] = []
        for (i, s) in specs.enumerated() {
            let start = at(s.4, 0)
            let stop = at(s.4 + s.5, 0) - 1_000_000
            let status = start >= end ? "draft" : stop < end ? "completed" : "active"
            let code = code(for: s.0)
            let what = s.2 == "percentage" ? "\(s.3 / 100)% off" : "\(s.3 / 100) RWF off"
            let description = "\(what) with coupon code \(code) (codes are the campaign name in capitals, without spaces)."
                + (s.7 ? " Orders after 17:30 only." : "")
            out.append(Campaign(id: i + 1, name: s.0, code: code, audience: s.1, discountType: s.2, value: s.3,
                                start: start, end: stop, status: status, budget: s.6, description: description, eveningsOnly: s.7))
        }
        return out
    }
}

