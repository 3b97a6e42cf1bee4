import Shop

/// Who a session belongs to (README, "Funnel"): anonymous when none of its events carries a user; else new when the
/// user had no sale before the session's shop day, returning when they had one on an earlier shop day.
public enum FunnelUserType: String, CaseIterable, Sendable {
    case new, returning, anonymous
    /// Every session of the day, whatever its user type.
    case all

    public var label: String {
        switch self {
        case .new: "New"
        case .returning: "Returning"
        case .anonymous: "Anonymous"
        case .all: "All sessions"
        }
    }
}

/// The funnel of one shop day for one user type: sessions, and sessions that reached each step.
public struct FunnelDay: Sendable, Equatable {
    public var day: ShopDay
    public var userType: FunnelUserType
    /// Sessions that started that day (any event).
    public var sessions = 0
    /// Sessions that reached view_menu, add_to_cart, start_checkout, complete_order: a session reaches every step up
    /// to the furthest step among its events.
    public var reached = [0, 0, 0, 0]
    /// Sessions with a subscribe or a referral_click event (beside the funnel).
    public var subscribed = 0
    public var referralClicks = 0
    /// Sessions whose furthest step is not preceded by all earlier steps' events (lost or out-of-order events).
    public var skippedSteps = 0

    public init(day: ShopDay, userType: FunnelUserType) { self.day = day; self.userType = userType }

    public mutating func add(_ other: FunnelDay) {
        sessions += other.sessions
        for i in 0..<4 { reached[i] += other.reached[i] }
        subscribed += other.subscribed; referralClicks += other.referralClicks; skippedSteps += other.skippedSteps
    }

    /// Reached step `k` (1...4) over reached step `k - 1`, in percent; step 1 over every session. nil when the
    /// earlier count is 0.
    public func stepConversion(_ k: Int) -> Percentage? {
        Percentage.of(Int64(reached[k - 1]), Int64(k == 1 ? sessions : reached[k - 2]))
    }

    /// Sessions lost between step `k - 1` and step `k` (for step 1: sessions with no funnel event).
    public func dropOff(_ k: Int) -> Int { (k == 1 ? sessions : reached[k - 2]) - reached[k - 1] }

    /// complete_order over view_menu, in percent.
    public var overallConversion: Percentage? { Percentage.of(Int64(reached[3]), Int64(reached[0])) }
}

/// Orders against sessions with a complete_order event, for one shop day (README, "Funnel", gap).
public struct FunnelGap: Sendable, Equatable {
    public var day: ShopDay
    /// Orders created that day, any status (rows the daily extract rejects excluded): every completed checkout.
    public var ordersPlaced = 0
    /// Sessions of the day with a complete_order event.
    public var completeOrderSessions = 0
    /// Per customer and day: orders beyond their complete_order sessions, summed.
    public var ordersWithoutEvent = 0
    /// Per customer and day: complete_order sessions beyond their orders, summed; plus anonymous ones.
    public var sessionsWithoutOrder = 0

    public init(day: ShopDay) { self.day = day }

    /// Orders placed minus complete_order sessions.
    public var difference: Int { ordersPlaced - completeOrderSessions }
}

/// Accumulates conversion events and orders, one at a time, into the funnel of each shop day of a range.
///
/// A session of day D is a `session_id` with events on D and none on the day before; it reaches what its events of D
/// and of the next day reach (README, "Funnel and traffic"). So a session crossing midnight counts once, on its first
/// day, and a key the shop keeps for weeks is a new session on each day it comes back after a day without events:
/// each day's figures follow from the events of that day and the days either side, whichever job reads them. Feed it
/// the events from one day before the range to one day after. Memory: one small entry per session and day with
/// events, plus per day and customer order counts. Pure: no clock, no database.
public struct FunnelLedger: Sendable {
    public let range: ShopDayRange
    public let calendar: ShopCalendar
    /// Each customer's first sale instant (as of the end of the range or later; only "before the day" is used).
    private let firstSale: @Sendable (Int64) -> Int64?
    private var sessions = SessionTable()
    /// One user id per order placed, by day (folded into counts one day at a time).
    private var orders: [ShopDay: [Int64]] = [:]

    public init(range: ShopDayRange, calendar: ShopCalendar, firstSales: [Int64: Int64]) {
        self.range = range; self.calendar = calendar; self.firstSale = { firstSales[$0] }
    }

    /// The first sales taken from the customers' facts as they are (no copy of a million-entry dictionary).
    /// `expectedSessions` sizes the table of sessions up front (a month's ledger can pass the last month's count).
    public init(range: ShopDayRange, calendar: ShopCalendar, facts: [Int64: CustomerFacts], expectedSessions: Int = 0) {
        self.range = range; self.calendar = calendar; self.firstSale = { facts[$0]?.firstSaleAt }
        sessions.reserve(expectedSessions)
    }

    /// Sessions fed so far, the margin days' included.
    public var sessionCount: Int { sessions.states.count }

    /// The instants `[start, end)` of events to feed: one day before the range to one day after it.
    public var eventsWindow: (start: Int64, end: Int64) {
        (calendar.startMicros(of: range.first.advanced(by: -1)), calendar.startMicros(of: range.last.advanced(by: 2)))
    }

    public mutating func add(_ e: ConversionEvent) {
        sessions.add(e, day: calendar.day(ofMicros: e.at))
    }

    /// Adds an order (any status) to the day of its `created_at`.
    public mutating func addOrder(userId: Int64, createdAt: Int64) {
        let day = calendar.day(ofMicros: createdAt)
        guard range.contains(day) else { return }
        orders[day, default: []].append(userId)
    }

    /// Adds the orders counted elsewhere (e.g. by the daily extract), as `addOrder` would for each of them. Days
    /// outside the range are left out.
    public mutating func addOrders(_ placed: OrdersPlaced) {
        for (day, users) in placed.byDay where range.contains(day) {
            if orders[day] == nil { orders[day] = users } else { orders[day]!.append(contentsOf: users) }
        }
    }

    /// The user type of a session on `day`.
    public func userType(user: Int64?, day: ShopDay) -> FunnelUserType {
        guard let user else { return .anonymous }
        guard let first = firstSale(user) else { return .new }
        return calendar.day(ofMicros: first) < day ? .returning : .new
    }

    /// For every day of the range: new, returning, anonymous and all, zeros included; by day, then user type.
    public var days: [FunnelDay] { finished().days }

    /// For every day of the range, orders against complete_order sessions.
    public var gaps: [FunnelGap] { finished().gaps }

    /// `days` and `gaps` computed together (each of those computes both).
    public func finished() -> (days: [FunnelDay], gaps: [FunnelGap]) {
        let types = FunnelUserType.allCases
        var days = range.flatMap { d in types.map { FunnelDay(day: d, userType: $0) } }
        var gaps = range.map { FunnelGap(day: $0) }
        var completes: [ShopDay: [Int64: Int]] = [:]
        for i in sessions.states.indices {
            let day = sessions.days[i]
            // A key with events the day before belongs to that day's session (or, after a longer run of days, to none).
            guard range.contains(day), sessions.index(of: i, on: day.advanced(by: -1)) == nil else { continue }
            var s = sessions.states[i]
            if let next = sessions.index(of: i, on: day.advanced(by: 1)) { s.add(sessions.states[next]) }
            let type = userType(user: s.userId, day: day)
            let base = range.first.distance(to: day) * types.count
            for t in [type, .all] {
                let i = base + types.firstIndex(of: t)!
                days[i].sessions += 1
                for k in 0..<s.furthestStep { days[i].reached[k] += 1 }
                if s.has(.subscribe) { days[i].subscribed += 1 }
                if s.has(.referralClick) { days[i].referralClicks += 1 }
                if s.skipsSteps { days[i].skippedSteps += 1 }
            }
            if s.has(.completeOrder) {
                gaps[range.first.distance(to: day)].completeOrderSessions += 1
                if let u = s.userId {
                    completes[day, default: [:]][u, default: 0] += 1
                } else {
                    gaps[range.first.distance(to: day)].sessionsWithoutOrder += 1
                }
            }
        }
        for i in gaps.indices {
            let d = gaps[i].day
            var placed: [Int64: Int] = [:]
            for u in orders[d] ?? [] { placed[u, default: 0] += 1 }
            let done = completes[d] ?? [:]
            gaps[i].ordersPlaced = orders[d]?.count ?? 0
            for (u, n) in placed { gaps[i].ordersWithoutEvent += max(0, n - (done[u] ?? 0)) }
            for (u, n) in done { gaps[i].sessionsWithoutOrder += max(0, n - (placed[u] ?? 0)) }
        }
        return (days, gaps)
    }
}

private struct SessionState: Sendable {
    var firstAt: Int64
    var events: UInt8 = 0
    /// The smallest user id among the session's events (a session may log in midway).
    var userId: Int64?

    mutating func add(_ e: ConversionEvent) {
        firstAt = min(firstAt, e.at)
        events |= e.type.bit
        if let u = e.userId { userId = min(userId ?? u, u) }
    }

    /// The same session's events of another day.
    mutating func add(_ other: SessionState) {
        firstAt = min(firstAt, other.firstAt)
        events |= other.events
        if let u = other.userId { userId = min(userId ?? u, u) }
    }

    func has(_ t: ConversionEventType) -> Bool { events & t.bit != 0 }

    /// The furthest funnel step among the events (0 without any): the highest of the four step bits.
    var furthestStep: Int {
        has(.completeOrder) ? 4 : has(.startCheckout) ? 3 : has(.addToCart) ? 2 : has(.viewMenu) ? 1 : 0
    }

    /// Some step before the furthest one has no event.
    var skipsSteps: Bool {
        let below = (UInt8(1) << UInt8(furthestStep)) - 1  // the bits of steps 1...furthest (view_menu is bit 0)
        return events & below != below
    }
}

/// The events of a ledger by session key and shop day, in the order they first appeared, found by a `SlotTable` over
/// `SessionID.tableHash` and the day: a `Dictionary` ran SipHash over five words for each of millions of events, and
/// again for every key each time it grew. Equality is the id's `==` and the day's, as a dictionary's.
private struct SessionTable: Sendable {
    private(set) var ids: [SessionID] = []
    private(set) var days: [ShopDay] = []
    private(set) var states: [SessionState] = []
    private var table = SlotTable()

    private static func hash(_ id: SessionID, _ day: ShopDay) -> Int { id.tableHash ^ (Int(day.epochDay) &* -7_046_029_254_386_353_131) }

    /// Adds the event to its key's entry of its day, which starts with it when it is new.
    mutating func add(_ e: ConversionEvent, day: ShopDay) {
        let (i, isNew) = ids.withUnsafeBufferPointer { known in
            days.withUnsafeBufferPointer { knownDays in
                table.findOrAdd(hash: Self.hash(e.session, day), count: known.count, hashOf: { Self.hash(known[$0], knownDays[$0]) },
                                matches: { knownDays[$0] == day && known[$0] == e.session })
            }
        }
        if isNew {
            ids.append(e.session)
            days.append(day)
            states.append(SessionState(firstAt: e.at))
        }
        states[i].add(e)
    }

    /// The entry of entry `i`'s key on `day`, if that key has events then.
    func index(of i: Int, on day: ShopDay) -> Int? {
        let id = ids[i]
        return table.find(hash: Self.hash(id, day)) { days[$0] == day && ids[$0] == id }
    }

    /// Room for `count` entries without growing.
    mutating func reserve(_ count: Int) {
        guard count > 0 else { return }
        ids.reserveCapacity(count)
        days.reserveCapacity(count)
        states.reserveCapacity(count)
        ids.withUnsafeBufferPointer { known in
            days.withUnsafeBufferPointer { knownDays in table.reserve(count, count: known.count, hashOf: { Self.hash(known[$0], knownDays[$0]) }) }
        }
    }
}
