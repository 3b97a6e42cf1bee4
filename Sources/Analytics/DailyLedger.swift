import Shop

/// Accumulates orders, refunds and catering sales, one at a time, into per-day figures for a range of shop days.
///
/// Pure: it never reads a clock or a database. Memory is per day plus 16 bytes per sale (who bought, for how much:
/// the distinct customers and the top customers are folded from it day by day), not
/// per order, so it streams any number of rows. Anything outside the range is ignored.
public struct DailyLedger: Sendable {
    public let range: ShopDayRange
    public let calendar: ShopCalendar
    private var days: [DayAccumulator]

    public init(range: ShopDayRange, calendar: ShopCalendar) {
        self.range = range
        self.calendar = calendar
        days = range.map { DayAccumulator(day: $0) }
    }

    private func index(of day: ShopDay) -> Int? {
        range.contains(day) ? range.first.distance(to: day) : nil
    }

    /// Adds an order created in (or near) the range. Sales count on the shop day of `created_at`.
    public mutating func add(_ order: Order) {
        let day = calendar.day(ofMicros: order.createdAt)
        guard let i = index(of: day) else { return }
        days[i].add(order, deliveredLate: order.deliveredAt.map { calendar.day(ofMicros: $0) > day } ?? false,
                    hour: calendar.hour(ofMicros: order.createdAt))
    }

    /// Adds a refund on the shop day it happened.
    public mutating func add(_ refund: Refund) {
        guard let i = index(of: calendar.day(ofMicros: refund.at)) else { return }
        switch refund.kind {
        case .completedRequest:
            days[i].snapshot.refundsCompleted += 1
            days[i].snapshot.refundAmount += refund.amount
        case .refundedOrder:
            days[i].snapshot.refundedOrders += 1
            days[i].snapshot.refundedOrderValue += refund.amount
        }
    }

    /// Adds a catering booking on its event day.
    public mutating func add(_ catering: CateringSale) {
        guard let i = index(of: catering.eventDay) else { return }
        days[i].channels[RevenueChannel.catering.index].add(catering.amount)
    }

    /// One snapshot for every day of the range, in order, zeros where nothing sold.
    public var snapshots: [DailySnapshot] { days.map { $0.finished() } }

    /// Every channel for every day of the range (zero rows included), in day then channel order.
    public var channels: [ChannelRevenue] {
        days.flatMap { d in
            RevenueChannel.allCases.map { c in
                ChannelRevenue(day: d.day, channel: c, amount: d.channels[c.index].amount, transactions: d.channels[c.index].count)
            }
        }
    }

    /// Folds each day's sales into its customers and frees the per-sale entries, so the memory they took is back
    /// before the next stage runs. Call when no more orders will be added; results are the same before and after.
    /// The days are folded on all cores (each on one, touching only its own day): at 10M orders a backfill's 730 days
    /// took a second on one.
    public mutating func close() {
        days.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let days = buffer
            forEachPart(of: days.count, perCore: 16) { part in
                for i in part { days[i].close() }
            }
        }
    }

    /// The `limit` customers with the most revenue on each day (ties: more sales, then lower user id), ranked from 1.
    /// After `close()`, at most `DayAccumulator.keptTop` per day.
    public func topCustomers(limit: Int = 5) -> [TopCustomer] {
        days.flatMap { d in
            d.ranked(limit: limit).enumerated().map { i, e in
                TopCustomer(day: d.day, rank: i + 1, userId: e.user, name: "", sales: Int(e.sales), revenue: Money(hundredths: e.revenue))
            }
        }
    }

    /// Each day's distinct customers with a sale, sorted (every day of the range, empty where none).
    public var dailyCustomers: [(day: ShopDay, customers: [Int64])] {
        days.map { d in (d.day, d.closed?.users ?? d.customerTallies().map(\.user)) }
    }

    /// Every payment method for every day of the range.
    public var payments: [PaymentMethodFigures] {
        days.flatMap { d in
            PaymentMethod.allCases.enumerated().map { i, m in
                PaymentMethodFigures(day: d.day, method: m, orders: d.methods[i].count, amount: d.methods[i].amount)
            }
        }
    }

    /// Per day, the menu items of the day's sales (README, "Dishes"): one row per day and item with at least one
    /// sale, in day then menu item order. Names are the caller's to fill (`ItemSales.name`, `.category`).
    public var itemSales: [ItemSales] {
        days.flatMap { d in
            d.items.keys.sorted().map { id in
                let t = d.items[id]!
                return ItemSales(day: d.day, menuItemId: id, quantity: t.quantity, revenue: Money(hundredths: t.revenue))
            }
        }
    }

    /// Every hour 0-23 of every day of the range (zeros included): the sales created in that hour of the shop's
    /// clock, and their total (README, "Hours").
    public var hourlySales: [HourlySales] {
        days.flatMap { d in
            (0..<24).map { h in HourlySales(day: d.day, hour: h, orders: d.hours[h].count, revenue: d.hours[h].amount) }
        }
    }

    /// Every discount kind for every day of the range.
    public var discounts: [DiscountFigures] {
        days.flatMap { d in
            DiscountKind.allCases.enumerated().map { i, k in
                DiscountFigures(day: d.day, kind: k, orders: d.discounts[i].count, amount: d.discounts[i].amount)
            }
        }
    }
}

struct CustomerTally: Sendable {
    var user: Int64
    var sales: Int32
    var revenue: Int64
}

extension DayAccumulator {
    mutating func close() {
        guard closed == nil else { return }
        let tallies = customerTallies()
        closed = (tallies.map(\.user), DayAccumulator.best(tallies, limit: DayAccumulator.keptTop))
        saleUsers = []
        saleTotals = []
    }

    /// The best `limit` customers: most revenue, then more sales, then lower user id.
    func ranked(limit: Int) -> [CustomerTally] {
        if let top = closed?.top { return Array(top.prefix(limit)) }
        return DayAccumulator.best(customerTallies(), limit: limit)
    }

    /// The first `limit` of `tallies` in ranking order (a pass that keeps the best so far, not a sort of them all).
    static func best(_ tallies: [CustomerTally], limit: Int) -> [CustomerTally] {
        guard limit > 0 else { return [] }
        var top: [CustomerTally] = []
        top.reserveCapacity(limit + 1)
        for t in tallies where top.count < limit || ranksBefore(t, top[top.count - 1]) {
            top.insert(t, at: top.firstIndex { ranksBefore(t, $0) } ?? top.count)
            if top.count > limit { top.removeLast() }
        }
        return top
    }

    /// Most revenue first, then more sales, then the lower user id (a total order: a day has one tally per user).
    static func ranksBefore(_ a: CustomerTally, _ b: CustomerTally) -> Bool {
        a.revenue != b.revenue ? a.revenue > b.revenue : a.sales != b.sales ? a.sales > b.sales : a.user < b.user
    }

    /// The day's customers with their sales and revenue, by user id.
    func customerTallies() -> [CustomerTally] {
        var sales = zip(saleUsers, saleTotals).map { (user: $0, total: $1) }
        sales.sort { $0.user < $1.user }  // sums of whole hundredths: the order among one user's sales does not matter
        var out: [CustomerTally] = []
        for sale in sales {
            if let last = out.last, last.user == sale.user {
                out[out.count - 1].sales += 1
                out[out.count - 1].revenue += sale.total
            } else {
                out.append(CustomerTally(user: sale.user, sales: 1, revenue: sale.total))
            }
        }
        return out
    }
}

struct Tally: Sendable {
    var count = 0
    var amount = Money.zero
    mutating func add(_ m: Money) { count += 1; amount += m }
}

struct DayAccumulator: Sendable {
    var day: ShopDay { snapshot.day }
    var snapshot: DailySnapshot
    /// Who bought and for how much, one entry per sale (16 bytes; a dictionary per day would cost about three times
    /// that across ten million sales). Folded into per-customer tallies when a result is asked for.
    var saleUsers: [Int64] = []
    var saleTotals: [Int64] = []
    /// Set by `close()`: the day's distinct customers (sorted) and its best ones; the per-sale arrays are then empty.
    var closed: (users: [Int64], top: [CustomerTally])?
    static let keptTop = 10
    var channels = [Tally](repeating: Tally(), count: RevenueChannel.allCases.count)
    var methods = [Tally](repeating: Tally(), count: PaymentMethod.allCases.count)
    var discounts = [Tally](repeating: Tally(), count: DiscountKind.allCases.count)
    /// Sales per hour of the shop's clock.
    var hours = [Tally](repeating: Tally(), count: 24)
    /// Quantity and subtotal (hundredths) per menu item, over the day's sales.
    var items: [Int64: (quantity: Int64, revenue: Int64)] = [:]

    init(day: ShopDay) { snapshot = DailySnapshot(day: day) }

    mutating func add(_ o: Order, deliveredLate: Bool, hour: Int) {
        snapshot.ordersPlaced += 1
        if o.status == .cancelled { snapshot.cancelledOrders += 1 }
        guard o.isSale else { return }
        snapshot.totalOrders += 1
        saleUsers.append(o.userId)
        saleTotals.append(o.total.hundredths)
        snapshot.totalRevenue += o.total
        snapshot.totalDiscount += o.discounts.total
        snapshot.grossSales += o.subtotal
        snapshot.deliveryCharges += o.deliveryCharge
        snapshot.itemsSold += o.itemsSold
        if o.discounts.vip.hundredths > 0 { snapshot.vipOrders += 1 }
        if o.discounts.referral.hundredths > 0 { snapshot.referralOrders += 1 }
        if o.isSubscription { snapshot.subscriptionOrders += 1 }
        switch o.paymentMethod {
        case .cashOnDelivery: snapshot.cashOrders += 1
        case .mtnMobileMoney, .airtelMoney: snapshot.mobileMoneyOrders += 1
        case .bankTransfer: snapshot.bankTransferOrders += 1
        case .card: snapshot.cardOrders += 1
        }
        snapshot.vipDiscountsGiven += o.discounts.vip
        snapshot.loyaltyDiscountsGiven += o.discounts.loyalty
        snapshot.referralDiscountsGiven += o.discounts.referral
        snapshot.couponDiscountsGiven += o.discounts.coupon
        snapshot.corporateDiscountsGiven += o.discounts.corporate
        if deliveredLate { snapshot.lateDeliveries += 1 }
        hours[hour].add(o.total)
        for line in o.lines { DayAccumulator.add(line, to: &items[line.menuItemId, default: (0, 0)]) }
        channels[RevenueChannel.of(o).index].add(o.total)
        methods[o.paymentMethod.index].add(o.total)
        for (i, k) in DiscountKind.allCases.enumerated() where o.discounts[k].hundredths > 0 {
            discounts[i].add(o.discounts[k])
        }
    }

    /// One lookup of the dish per line (two subscripts would hash its id twice).
    private static func add(_ line: OrderLine, to dish: inout (quantity: Int64, revenue: Int64)) {
        dish.quantity += line.quantity
        dish.revenue += line.subtotal.hundredths
    }

    func finished() -> DailySnapshot {
        var s = snapshot
        s.uniqueCustomers = closed?.users.count ?? Set(saleUsers).count
        s.averageOrderValue = s.totalRevenue.divided(by: Int64(s.totalOrders))
        return s
    }
}

extension RevenueChannel {
    var index: Int { RevenueChannel.allCases.firstIndex(of: self)! }
}

extension PaymentMethod {
    var index: Int { PaymentMethod.allCases.firstIndex(of: self)! }
}
