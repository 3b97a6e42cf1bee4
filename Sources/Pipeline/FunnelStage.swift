import Analytics
import Dispatch
import Extract
import Foundation
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

    /// Days of events held in memory at once.
    static let chunkDays = 31

    public func prepare(_ context: StageContext) throws -> PreparedStage {
        let (facts, factsRead) = try context.shared.customerFacts()
        // A month at a time: sessions are held per chunk, not for a whole two-year backfill at once. The figures are
        // the same, since a ledger already reads one margin day either side and keeps only its own days' sessions.
        let chunks = context.ranges.flatMap { whole in whole.chunks(ofAtMost: FunnelStage.chunkDays).map { (whole, $0) } }
        // Two chunks at a time, each on its own connection in the job's snapshot and its own thread: reading and
        // counting a month of events keeps one core busy between the client and the server, and a backfill has two.
        let sources = OneThreadEach(chunks.count > 1 && twoAtOnce ? [context.source, try context.source.onSecondConnection()] : [context.source])
        let results = ChunkResults<Chunk>(count: chunks.count)
        let calendar = context.calendar, placed = context.ordersPlaced
        DispatchQueue.concurrentPerform(iterations: sources.count) { w in
            var lastSessions = 0  // sizes this thread's next table of sessions
            for i in stride(from: w, to: chunks.count, by: sources.count) where !results.failed {
                do {
                    let c = try FunnelStage.chunk(chunks[i].1, of: chunks[i].0, source: sources[w], calendar: calendar,
                                                  ordersPlaced: placed, facts: facts, expectedSessions: lastSessions + lastSessions / 8)
                    lastSessions = c.sessions
                    results.set(i, .success(c))
                } catch {
                    results.set(i, .failure(error))
                }
            }
        }
        // In the order of the days, whichever thread counted them (the rejected rows too).
        var read = factsRead
        var rejected: [RejectedRow] = []
        var days: [FunnelDay] = [], gaps: [FunnelGap] = [], pages: [PageViews] = []
        for result in try results.all() {
            let c = try result.get()
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
                              ordersPlaced: OrdersPlaced?, facts: [Int64: CustomerFacts], expectedSessions: Int) throws -> Chunk {
        var c = Chunk()
        var ledger = FunnelLedger(range: r, calendar: calendar, facts: facts, expectedSessions: expectedSessions)
        let w = ledger.eventsWindow
        c.read += try src.conversionEvents(from: w.start, to: w.end) { result in
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
            c.read += try src.campaignOrders(from: start, to: end) { order, _ in ledger.addOrder(userId: order.userId, createdAt: order.createdAt) }
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

/// The job's sources, one per thread: each thread reads only its own (`ShopSource` holds a connection, which is not
/// safe to share, so it is not `Sendable`).
private struct OneThreadEach: @unchecked Sendable {
    private let sources: [ShopSource]
    init(_ sources: [ShopSource]) { self.sources = sources }
    var count: Int { sources.count }
    subscript(thread: Int) -> ShopSource { sources[thread] }
}

/// The chunks' results as the threads finish them, one slot per chunk, behind a lock; after the first failure the
/// threads start no further chunk.
private final class ChunkResults<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<Value, any Error>?]
    private var failure = false

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    var failed: Bool { lock.withLock { failure } }

    func set(_ i: Int, _ result: Result<Value, any Error>) {
        lock.withLock {
            slots[i] = result
            if case .failure = result { failure = true }
        }
    }

    /// Every slot in order; the first failure (in chunk order) is thrown.
    func all() throws -> [Result<Value, any Error>] {
        try lock.withLock {
            for case .failure(let error)? in slots { throw error }
            return slots.map { $0! }
        }
    }
}
