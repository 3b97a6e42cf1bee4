import Analytics
import Extract
import Postgres
import Shop
import Warehouse

/// The conversion funnel and traffic (README, "Funnel and traffic"), for every day of the job's ranges: sessions
/// and steps by user type, orders against complete_order sessions, page views. Bad event rows are set aside.
public struct FunnelStage: AnalyticsStage {
    public let name = "funnel"

    public init() {}

    public var usesOrdersPlaced: Bool { true }

    /// Days of events held in memory at once.
    static let chunkDays = 31

    public func prepare(_ context: StageContext) throws -> PreparedStage {
        let src = context.source, calendar = context.calendar
        let (facts, factsRead) = try context.shared.customerFacts()
        var read = factsRead
        var rejected: [RejectedRow] = []
        var days: [FunnelDay] = [], gaps: [FunnelGap] = [], pages: [PageViews] = []
        // A month at a time: sessions are held per chunk, not for a whole two-year backfill at once. The figures are
        // the same, since a ledger already reads one margin day either side and keeps only its own days' sessions.
        for whole in context.ranges {
          for r in whole.chunks(ofAtMost: FunnelStage.chunkDays) {
            var ledger = FunnelLedger(range: r, calendar: calendar, facts: facts)
            let w = ledger.eventsWindow
            read += try src.conversionEvents(from: w.start, to: w.end) { result in
                switch result {
                case .success(let e): ledger.add(e)
                // Events of the margin days belong to the neighbouring chunks' days: only this chunk's are kept.
                case .failure(let row): if row.day.map(r.contains) ?? (r.first == whole.first) { rejected.append(row) }
                }
            }
            if let placed = context.ordersPlaced {
                ledger.addOrders(placed)
            } else {
                let (start, end) = calendar.bounds(of: r)
                read += try src.campaignOrders(from: start, to: end) { order, _ in ledger.addOrder(userId: order.userId, createdAt: order.createdAt) }
            }
            read += try src.pageViews(in: r) { result in
                switch result {
                case .success(let p): pages.append(p)
                case .failure(let row): rejected.append(row)
                }
            }
            let (d, g) = ledger.finished()
            days += d
            gaps += g
          }
        }
        return PreparedStage(rowsRead: read, rejected: rejected,
                             warehouse: try FunnelStore.changes(ranges: context.ranges, days: days, gaps: gaps, pages: pages, runId: context.runId))
    }
}
