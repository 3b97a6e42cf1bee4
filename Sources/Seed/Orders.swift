import Shop

/// One generated order with everything the dependent tables need. Amounts in hundredths of RWF, instants in
/// microseconds since the epoch (UTC); 0 means "none" for the optional instants.
struct GenOrder {
    var id = 0
    var userId = 0
    var dayIndex = 0
    var status: OrderStatus = .delivered
    var methodIndex = 0
    var paymentStatus: PaymentStatus = .completed
    var created: Int64 = 0, updated: Int64 = 0, delivered: Int64 = 0
    var paidAt: Int64 = 0
    var refundAt: Int64 = 0
    /// 0 none, 1 COMPLETED (the order is refunded), 2 REQUESTED, 3 REJECTED.
    var refundRequest: UInt8 = 0
    var subtotal: Int64 = 0, delivery: Int64 = 0
    var coupon: Int64 = 0, loyalty: Int64 = 0, vip: Int64 = 0, corporate: Int64 = 0, referral: Int64 = 0
    var total: Int64 = 0
    var couponCode = ""
    var loyaltyPoints = 0
    var pointsEarned = 0
    var subscriptionId = 0
    var itemCount = 0
    var itemMenu = SIMD4<Int32>(repeating: 0)
    var itemQty = SIMD4<Int32>(repeating: 0)

    var method: PaymentMethod { World.methods[methodIndex] }
    var isPaid: Bool { paymentStatus == .completed || paymentStatus == .refunded }
    var number: String { "DSG-" + Fmt.pad(id, 8) }
}

/// Replays the shop's orders in time order (ids increase with `created_at`), deterministically: every pass over the
/// stream yields the same orders, so each table is written in its own COPY without keeping orders in memory.
struct OrderStream {
    let world: World
    /// Loyalty points balance per customer (index id-1); starts at the opening balance.
    private(set) var balance: [Int32]
    private(set) var earned: [Int32]
    private(set) var redeemed: [Int32]
    /// Sales (delivered, not refunded) per customer in the period, hundredths.
    private(set) var spent: [Int64]
    /// Last loyalty activity per customer (0 = none in the period).
    private(set) var lastPoints: [Int64]

    static let pointValue: Int64 = 500  // one point is worth 5 RWF
    /// VIP discounts apply to orders with a subtotal of at least 5,000 RWF.
    static let vipMinimum: Int64 = 500_000
    static let dayMicros: Int64 = 86_400_000_000

    init(world: World) {
        self.world = world
        balance = (0..<world.customers).map { Int32(OrderStream.openingPoints(world, id: $0 + 1)) }
        earned = [Int32](repeating: 0, count: world.customers)
        redeemed = [Int32](repeating: 0, count: world.customers)
        spent = [Int64](repeating: 0, count: world.customers)
        lastPoints = [Int64](repeating: 0, count: world.customers)
    }

    /// Points carried over from before the period (customers who joined before it, 40% of them).
    static func openingPoints(_ world: World, id: Int) -> Int {
        guard world.joined[id - 1] < world.periodStart, hashUnit(world.seed, id, 20) < 0.4 else { return 0 }
        return 50 * Int(hashUnit(world.seed, id, 21) * 30)  // 0 ... 1,450
    }

    /// Minutes after local midnight (with a fraction) of an order, from the shop's daily rhythm.
    static func timeOfDay(_ rng: inout Rng) -> Double {
        let r = rng.unit()
        if r < 0.24 { return 360 + 180 * rng.triangular() }         // breakfast 06:00-09:00
        if r < 0.60 { return 690 + 150 * rng.triangular() }         // lunch 11:30-14:00
        if r < 0.87 { return 1050 + 150 * rng.triangular() }        // dinner 17:30-20:00
        if r < 0.95 { return 540 + 510 * rng.unit() }               // daytime 09:00-17:30
        if r < 0.98 { return 1200 + 180 * rng.unit() }              // evening 20:00-23:00
        let late = 1380 + 120 * rng.unit()                          // 23:00-01:00: day boundaries
        return late >= 1440 ? late - 1440 : late
    }

    static func window(minutes m: Double) -> Int {
        if m >= 360 && m < 540 { return 0 }
        if m >= 690 && m < 840 { return 1 }
        if m >= 1050 && m < 1200 { return 2 }
        return 3
    }

    /// Percentage (hundredths of a percent) of an amount, rounded to whole francs.
    @inline(__always) static func percent(_ amount: Int64, _ bp: Int64) -> Int64 {
        Money.roundedDivision(amount * bp, 1_000_000) * 100
    }

    static let itemCounts = [1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 4]
    static let inProgress: [OrderStatus] = [.pending, .confirmed, .preparing, .ready]
    static let inProgressWeights: [Double] = [35, 25, 25, 15]

    /// Cumulative item weights for each meal window.
    static let itemCumulative: [[Double]] = (0..<4).map { w in
        var acc = 0.0
        return Catalog.menu.map { item in acc += Catalog.categoryMix[w][item.category] * item.popularity; return acc }
    }

    mutating func run(_ body: (inout GenOrder) throws -> Void) rethrows {
        let w = world
        var o = GenOrder()
        var nextId = 1
        var times: [Int64] = []
        for dayIndex in 0..<w.dayCounts.count {
            let day = w.firstDay.advanced(by: dayIndex)
            let dayStart = w.calendar.startMicros(of: day)
            let fromEnd = dayIndex - (w.dayCounts.count - 1)  // 0 = last day, -1 = the day before
            let umuganda = World.isUmuganda(day)
            var rng = Rng(seed: w.seed, stream: "orders", index: UInt64(dayIndex))
            let count = w.dayCounts[dayIndex]
            times.removeAll(keepingCapacity: true)
            for _ in 0..<count {
                var m = OrderStream.timeOfDay(&rng)
                if umuganda && m >= 480 && m < 660 { m = 690 + 150 * rng.triangular() }
                times.append(Int64(m * 60_000_000))
            }
            times.sort()
            for t in times {
                o.id = nextId; nextId += 1
                o.dayIndex = dayIndex
                o.created = dayStart + t
                let minutes = Double(t) / 60_000_000
                o.userId = w.pickCustomer(at: o.created, &rng)
                let u = o.userId - 1

                // Items.
                let cumulative = OrderStream.itemCumulative[OrderStream.window(minutes: minutes)]
                let n = OrderStream.itemCounts[rng.below(20)]
                o.itemCount = 0
                o.subtotal = 0
                var tries = 0
                while o.itemCount < n && tries < 12 {
                    tries += 1
                    let x = rng.unit() * cumulative[cumulative.count - 1]
                    var k = 0
                    while cumulative[k] <= x { k += 1 }
                    var dup = false
                    for j in 0..<o.itemCount where o.itemMenu[j] == Int32(k) { dup = true }
                    if dup { continue }
                    let q = rng.chance(0.8) ? 1 : rng.chance(0.8) ? 2 : 3
                    o.itemMenu[o.itemCount] = Int32(k)
                    o.itemQty[o.itemCount] = Int32(q)
                    o.itemCount += 1
                    o.subtotal += Catalog.menu[k].price * Int64(q)
                }
                let dr = rng.unit()
                o.delivery = dr < 0.45 ? 0 : dr < 0.80 ? 50_000 : 100_000

                // Payment method: mostly the customer's usual one.
                o.methodIndex = rng.chance(0.6) ? Int(w.preferredMethod[u]) : World.pickMethod(rng.unit())
                let cash = o.method == .cashOnDelivery

                // Status and its instants.
                let inProgressShare = fromEnd == 0 ? 0.22 : fromEnd == -1 ? 0.03 : 0
                let sr = rng.unit()
                o.delivered = 0; o.paidAt = 0; o.refundAt = 0; o.refundRequest = 0
                if sr < inProgressShare {
                    let s = rng.weighted(OrderStream.inProgressWeights)
                    o.status = OrderStream.inProgress[s]
                    o.updated = o.created + Int64(rng.int(60...1200)) * 1_000_000
                    if cash { o.paymentStatus = .pending }
                    else if o.status == .pending { o.paymentStatus = rng.chance(0.5) ? .processing : .pending }
                    else { o.paymentStatus = .completed; o.paidAt = o.created + Int64(rng.int(20...180)) * 1_000_000 }
                } else if sr < inProgressShare + 0.065 {
                    o.status = .cancelled
                    o.updated = o.created + Int64(rng.int(180...2400)) * 1_000_000
                    o.paymentStatus = cash ? .pending : (rng.chance(0.65) ? .failed : .pending)
                } else {
                    o.status = .delivered
                    o.delivered = o.created + Int64(25 * 60 + Int(2700 * rng.triangular())) * 1_000_000 + Int64(rng.below(1_000_000))
                    o.updated = o.delivered + Int64(rng.int(0...300)) * 1_000_000
                    o.paymentStatus = .completed
                    o.paidAt = cash ? o.delivered : o.created + Int64(rng.int(20...180)) * 1_000_000
                    let rr = rng.unit()
                    if rr < 0.015 {
                        let at = o.delivered + Int64(rng.int(20 * 3600...46 * 3600)) * 1_000_000
                        if at < w.periodEnd {
                            o.refundAt = at; o.updated = at; o.paymentStatus = .refunded; o.refundRequest = 1
                        }
                    } else if rr < 0.019 {
                        o.refundRequest = 3
                    } else if rr < 0.022 && fromEnd >= -4 {
                        o.refundRequest = 2
                    }
                }

                // Discounts, each capped by what is left of the subtotal so that the total never goes negative.
                var left = o.subtotal
                o.coupon = 0; o.loyalty = 0; o.vip = 0; o.corporate = 0; o.referral = 0
                o.couponCode = ""; o.loyaltyPoints = 0
                if rng.chance(0.08) {
                    var chosen: World.Campaign?
                    for c in w.campaigns where c.status != "draft" && o.created >= c.start && o.created <= c.end {
                        let fits: Bool
                        switch c.audience {
                        case "new_customers": fits = o.created - w.joined[u] < 30 * OrderStream.dayMicros
                        case "vip": fits = w.vipTier[u] > 0
                        default: fits = !c.eveningsOnly || minutes >= 1050
                        }
                        if fits && rng.chance(c.audience == "referrals" ? 0.2 : 0.6) { chosen = c; break }
                    }
                    var amount: Int64
                    if let c = chosen {
                        o.couponCode = c.code
                        amount = c.discountType == "percentage" ? OrderStream.percent(o.subtotal, c.value) : c.value
                    } else if rng.chance(0.7) {
                        o.couponCode = "KARIBU10"
                        amount = min(OrderStream.percent(o.subtotal, 1000), 200_000)
                    } else {
                        o.couponCode = "DUSANGIRE500"
                        amount = 50_000
                    }
                    amount = min(amount, left)
                    o.coupon = amount; left -= amount
                }
                if o.status != .cancelled && balance[u] >= 200 && rng.chance(0.07) {
                    var points = min(Int(balance[u]), 100 * rng.int(2...10))
                    if Int64(points) * OrderStream.pointValue > left { points = Int(left / OrderStream.pointValue) }
                    if points > 0 {
                        o.loyaltyPoints = points
                        o.loyalty = Int64(points) * OrderStream.pointValue
                        left -= o.loyalty
                        balance[u] -= Int32(points)
                        redeemed[u] += Int32(points)
                        lastPoints[u] = o.created
                    }
                }
                let tier = Int(w.vipTier[u])
                if tier > 0 && o.subtotal >= OrderStream.vipMinimum {
                    let amount = min(OrderStream.percent(o.subtotal, Catalog.vipTiers[tier - 1].percent), left)
                    o.vip = amount; left -= amount
                }
                let partner = Int(w.corporate[u])
                if partner > 0 {
                    let amount = min(OrderStream.percent(o.subtotal, Catalog.partners[partner - 1].discountPercent), left)
                    o.corporate = amount; left -= amount
                }
                if rng.chance(0.03) {
                    let amount = min(min(OrderStream.percent(o.subtotal, 1000), 200_000), left)
                    o.referral = amount; left -= amount
                }
                o.total = o.subtotal + o.delivery - o.coupon - o.loyalty - o.vip - o.corporate - o.referral

                // Loyalty earned on sales: one point per 100 RWF paid.
                o.pointsEarned = 0
                if o.status == .delivered && o.paymentStatus != .refunded {
                    o.pointsEarned = Int(o.total / 10_000)
                    balance[u] += Int32(o.pointsEarned)
                    earned[u] += Int32(o.pointsEarned)
                    spent[u] += o.total
                    if o.pointsEarned > 0 { lastPoints[u] = max(lastPoints[u], o.delivered) }
                }

                // Subscribers' meals.
                o.subscriptionId = 0
                let s = Int(w.subscriptionOf[u])
                if s > 0 {
                    let sub = w.subscriptions[s - 1]
                    if day >= sub.start && day <= sub.activeUntil && o.status != .cancelled && rng.chance(0.65) {
                        o.subscriptionId = sub.id
                    }
                }
                try body(&o)
            }
        }
    }
}
