import Analytics
import Extract
import Postgres
import Shop
import Warehouse

/// Campaign performance (README, "Campaigns"): computes the attributed campaigns whose window meets the job's days,
/// over their whole window up to the job's last day, and loads the catalog, their totals and the daily history of
/// the job's days; with `--django-tables`, one row per computed campaign in the shop's `analytics_campaignperformance`.
public struct CampaignStage: AnalyticsStage {
    public let name = "campaigns"

    public init() {}

    public func prepare(_ context: StageContext) throws -> PreparedStage {
        let src = context.source, calendar = context.calendar, asOf = context.asOf
        var campaigns: [Campaign] = []
        var rejected: [RejectedRow] = []
        var read = try src.campaigns { result in
            switch result {
            case .success(let c): campaigns.append(c)
            case .failure(let row): rejected.append(row)
            }
        }
        let computing = Set(campaigns.filter { c in
            let first = calendar.day(ofMicros: c.start), last = min(calendar.day(ofMicros: c.end), asOf)
            return c.status.isAttributed && first <= last && context.ranges.contains { $0.first <= last && first <= $0.last }
        }.map(\.id))

        var facts: [Int64: CustomerFacts] = [:]
        var earliestSale: Int64?
        if !computing.isEmpty {
            let shared = try context.shared.customerFacts()
            facts = shared.facts
            read += shared.rowsRead
            for f in facts.values { if let s = f.firstSaleAt { earliestSale = min(earliestSale ?? s, s) } }
        }
        var ledger = CampaignLedger(campaigns: campaigns, computing: computing, asOf: asOf, calendar: calendar, facts: facts,
                                    earliestSaleDay: earliestSale.map { calendar.day(ofMicros: $0) })
        facts = [:]
        if let w = ledger.ordersWindow(calendar: calendar) {
            context.progress("  campaigns: \(computing.count) computed, orders from \(calendar.day(ofMicros: w.start))")
            read += try src.campaignOrders(from: w.start, to: w.end) { order, code in ledger.add(order, couponCode: code) }
        }
        if let w = ledger.activityWindow {
            read += try src.customerActivity(from: w.start, to: w.end) { user, at in ledger.addActivity(userId: user, at: at) }
        }
        let totals = ledger.totals
        return PreparedStage(
            rowsRead: read, rejected: rejected,
            warehouse: try CampaignStore.changes(campaigns: campaigns, totals: totals, computed: ledger.computedIds,
                                                 attributed: campaigns.filter(\.status.isAttributed).map(\.id), history: ledger.history,
                                                 ranges: context.ranges, calendar: calendar, runId: context.runId),
            shop: context.shopTables ? try CampaignStore.djangoChanges(totals, schema: context.shopSchema, timeZone: calendar.timeZone.identifier)
                : TableChanges())
    }
}
