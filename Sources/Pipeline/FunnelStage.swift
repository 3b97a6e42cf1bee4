import Analytics
import Extract
import Postgres
import Shop
import Warehouse

/// The conversion funnel and traffic (README, "Funnel and traffic"), for every day of the job's ranges: sessions
/// and steps by user type, orders against complete_order sessions, page views. Bad event rows are set aside.
public struct FunnelStage: AnalyticsStage {
    public let name = "funnel"

    /// Whether a job of more than one chunk reads two chunks at once (the default), or one after the other.
    let twoAtOnce: Bool

    public init(twoChunksAtOnce: Bool = true) { twoAtOnce = twoChunksAtOnce }

    public var usesOrdersPlaced: Bool { true }

    /// The customers' activity among the events goes to the stages after it that want it (the campaigns' reach).
    public var readsEvents: Bool { true }

    /// Days of events held in memory at once.
    static let chunkDays = 31

    public func prepare(_ context: StageContext) throws -> PreparedStage {
        let (facts, factsRead) = try context.shared.customerFacts()
        // A month at a time: sessions are held per chunk, not for a whole two-year backfill at once. The figures are
        // the same, since a ledger already reads one margin day either side and keeps only its own days' sessions.
        let chunks = context.ranges.flatMap { whole in whole.chunks(ofAtMost: FunnelStage.chunkDays).map { (whole, $0) } }
        // Two chunks at a time, each on its own connection in the job's snapshot and its own thread: reading and
        // counting a month of events keeps one core busy between the client and the server, and a backfill has two.
        let calendar = context.calendar, placed = context.ordersPlaced, taps = context.activityTaps
        func every(_ step: Int, from first: Int, on src: ShopSource) throws -> [Chunk] {
            var out: [Chunk] = []
            var lastSessions = 0  // sizes the next table of sessions
            for i in stride(from: first, to: chunks.count, by: step) {
                out.append(try FunnelStage.chunk(chunks[i].1, of: chunks[i].0, source: src, calendar: calendar, ordersPlaced: placed,
                                                 facts: facts, taps: taps, expectedSessions: lastSessions + lastSessions / 8))
                lastSessions = out.last!.sessions
            }
            return out
        }
        var counted: [Chunk] = []
        if chunks.count > 1 && twoAtOnce {
            let other = try context.source.onSecondConnection()
            let (even, odd) = try concurrentlyStopping({ try every(2, from: 0, on: context.source) }, cancelling: [context.source.canceller()],
                                                       { try every(2, from: 1, on: other) }, cancelling: [other.canceller()])
            for (k, c) in even.enumerated() { counted.append(c); if k < odd.count { counted.append(odd[k]) } }
        } else {
            counted = try every(1, from: 0, on: context.source)
        }
        // In the order of the days, whichever thread counted them (the rejected rows too).
        var read = factsRead
        var rejected: [RejectedRow] = []
        var days: [FunnelDay] = [], gaps: [FunnelGap] = [], pages: [PageViews] = []
        for c in counted {
            read += c.read; rejected += c.rejected; days += c.days; gaps += c.gaps; pages += c.pages
        }
        return PreparedStage(rowsRead: read, rejected: rejected,
                             warehouse: try FunnelStore.changes(ranges: context.ranges, days: days, gaps: gaps, pages: pages, runId: context.runId))
    }

    /// One chunk's figures, with what was read for them.
    private struct Chunk: Sendable {
        var read = 0
        var rejected: [RejectedRow] = []
        var days: [FunnelDay] = [], gaps: [FunnelGap] = [], pages: [PageViews] = []
        var sessions = 0
    }

    /// The days `r` (a chunk of the job's range `whole`), read on `src`.
    private static func chunk(_ r: ShopDayRange, of whole: ShopDayRange, source src: ShopSource, calendar: ShopCalendar,
                              ordersPlaced: OrdersPlaced?, facts: [Int64: CustomerFacts], taps: [ActivityTap],
                              expectedSessions: Int) throws -> Chunk {
        var c = Chunk()
        var ledger = FunnelLedger(range: r, calendar: calendar, facts: facts, expectedSessions: expectedSessions)
        let w = ledger.eventsWindow
        // The customers' activity of the chunk's days (and its margin days, which another chunk gives too: harmless).
        var parts = taps.map { $0.part() }
        let activity: ((Int64, Int64) -> Void)? = parts.isEmpty ? nil : { user, at in
            for k in parts.indices { parts[k].addActivity(userId: user, at: at) }
        }
        defer { for (k, tap) in taps.enumerated() { tap.merge(parts[k]) } }
        c.read += try src.conversionEvents(from: w.start, to: w.end, activity: activity) { result in
            switch result {
            case .success(let e): ledger.add(e)
            // Events of the margin days belong to the neighbouring chunks' days: only this chunk's are kept.
            case .failure(let row): if row.day.map(r.contains) ?? (r.first == whole.first) { c.rejected.append(row) }
            }
        }
        if let placed = ordersPlaced {
            ledger.addOrders(placed)
        } else {
            let (start, end) = calendar.bounds(of: r)
            c.read += try src.campaignOrders(from: start, to: end) { order in ledger.addOrder(userId: order.userId, createdAt: order.createdAt) }
        }
        c.read += try src.pageViews(in: r) { result in
            switch result {
            case .success(let p): c.pages.append(p)
            case .failure(let row): c.rejected.append(row)
            }
        }
        c.sessions = ledger.sessionCount
        (c.days, c.gaps) = ledger.finished()
        return c
    }
}
