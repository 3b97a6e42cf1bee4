import Analytics
import Extract
import Postgres
import Shop
import Warehouse

/// Campaign performance (README, "Campaigns"): computes the attributed campaigns whose window meets the job's days,
/// over their whole window up to the job's last day, and loads the catalog, their totals and the daily history of
/// the job's days; with `--django-tables`, one row per computed campaign in the shop's `analytics_campaignperformance`.
///
/// What a computed campaign's figures are made of is kept in the warehouse (`CampaignStateStore`); a nightly run that
/// may build on it reads only the orders and events of the days it recomputes for that campaign (README, "What a
/// nightly run reads").
public struct CampaignStage: AnalyticsStage {
    public let name = "campaigns"

    public init() {}

    /// On a backfill whose order stream holds every sale, the campaigns take their orders from that stream
    /// (`StreamedCampaigns`) instead of reading them again (README, "What a backfill reads").
    public func streamedOrders(_ setup: StreamSetup) throws -> (any StreamedOrders)? {
        var d = try Definitions.read(setup.source, asOf: setup.range.last, ranges: [setup.range], calendar: setup.calendar)
        guard !d.computing.isEmpty else { return StreamedCampaigns(definitions: d, range: setup.range, ledger: nil) }
        // The tier and referral dates now; the first sales come with the stream (`CampaignLedger.addStreamed`).
        let dates = try setup.shared.audienceDates()
        d.rowsRead += dates.rowsRead
        let ledger = CampaignLedger(campaigns: d.campaigns, computing: d.computing, asOf: setup.range.last, calendar: setup.calendar,
                                    facts: dates.facts, earliestSaleDay: nil)
        return StreamedCampaigns(definitions: d, range: setup.range, ledger: ledger)
    }

    /// With the funnel before it, the campaigns read their orders first and take the customers' activity of the job's days
    /// from the funnel's events (README, "What a backfill reads").
    public func workBeforeEvents(_ context: StageContext) throws -> (any WorkBeforeEvents)? {
        try work(context, activityFromEvents: true)
    }

    public func prepare(_ context: StageContext) throws -> PreparedStage {
        let work = try (context.workBeforeEvents.take() as? CampaignWork) ?? work(context, activityFromEvents: false)
        var ledger = work.activity.take()
        ledger.unpack()  // the customers a backfill's order stream reached, packed until now
        let campaigns = work.definitions.campaigns, asOf = context.asOf, calendar = context.calendar
        let totals = ledger.totals
        let attributed = campaigns.filter(\.status.isAttributed).map(\.id)
        // A figure too wide for its warehouse column is stored empty and reported (the shop's table checks its own).
        let fitted = CampaignStore.fittingWarehouse(totals)
        var warehouse = try CampaignStore.changes(campaigns: campaigns, totals: fitted.totals, computed: ledger.computedIds, attributed: attributed,
                                                  history: ledger.history, ranges: context.ranges, calendar: calendar, runId: context.runId)
        if !work.definitions.computing.isEmpty {
            warehouse = warehouse + (try CampaignStateStore.changes(ledger.states, basis: work.basis, attributed: attributed, facts: work.facts,
                                                                    campaigns: CampaignStage.definitions(campaigns), asOf: asOf, runId: context.runId))
        }
        return PreparedStage(
            rowsRead: work.rowsRead, rejected: work.definitions.rejected + fitted.rejected, warehouse: warehouse,
            shop: context.shopTables ? try CampaignStore.djangoChanges(totals, schema: context.shopSchema, timeZone: calendar.timeZone.identifier)
                : TableChanges())
    }

    /// Everything but the rows: the campaigns, their customers' facts and kept figures, the ledger fed their orders and
    /// the customers' activity, but for the activity of the job's days when the funnel's events bring it
    /// (`activityFromEvents`).
    private func work(_ context: StageContext, activityFromEvents: Bool) throws -> CampaignWork {
        let src = context.source, calendar = context.calendar, asOf = context.asOf
        let streamed = context.streamedOrders.take() as? StreamedCampaigns
        let d = try streamed?.definitions ?? Definitions.read(src, asOf: asOf, ranges: context.ranges, calendar: calendar)
        let campaigns = d.campaigns, computing = d.computing
        var read = d.rowsRead

        var facts: [Int64: CustomerFacts] = [:]
        var earliestSale: Int64?
        var basis: CampaignStateStore.Basis?
        if !computing.isEmpty {
            let shared = try context.shared.customerFacts()
            facts = shared.facts
            read += shared.rowsRead
            for f in facts.values { if let s = f.firstSaleAt { earliestSale = min(earliestSale ?? s, s) } }
            basis = try keptStates(context, computing: computing, campaigns: campaigns, definitions: CampaignStage.definitions(campaigns), facts: facts)
        }
        let kept = basis?.states ?? [:]
        let earliestSaleDay = earliestSale.map { calendar.day(ofMicros: $0) }
        var ledger: CampaignLedger
        var ordersDays: [ShopDayRange]
        if let streamed, var fed = streamed.ledger, streamed.firstSalesRight {
            // The stream brought the orders of its days: only the days before it are read (they hold no sale, but other
            // orders there reach customers).
            fed.complete(facts: facts, earliestSaleDay: earliestSaleDay)
            ledger = fed
            ordersDays = ledger.ordersDays.compactMap { r in
                r.first < streamed.range.first ? ShopDayRange(r.first, min(r.last, streamed.range.first.advanced(by: -1))) : nil
            }
            context.progress("  campaigns: \(computing.count) computed from the daily extract's orders"
                             + (ordersDays.isEmpty ? "" : ", and the orders of " + ordersDays.map(\.description).joined(separator: ", ")))
        } else {
            ledger = CampaignLedger(campaigns: campaigns, computing: computing, asOf: asOf, calendar: calendar, facts: facts,
                                    earliestSaleDay: earliestSaleDay, kept: kept, recomputed: context.ranges)
            ordersDays = ledger.ordersDays
            if !ordersDays.isEmpty {
                let whole = computing.count - kept.count
                context.progress("  campaigns: \(computing.count) computed (\(kept.count) from kept figures, \(whole) in whole), orders of "
                                 + ordersDays.map(\.description).joined(separator: ", "))
            }
        }
        // The activity the funnel's events do not bring: the days outside the job's.
        var activityDays = ledger.activityDays
        if activityFromEvents {
            let fromEvents = Set(context.ranges.flatMap { $0 })
            activityDays = ShopDayRange.contiguous(Set(activityDays.flatMap { $0 }).subtracting(fromEvents))
        }
        // The orders and the customers' activity at the same time, each on its own connection and thread: the activity
        // goes to a copy of the ledger, whose reached customers then join the ledger's.
        func readOrders(on src: ShopSource) throws -> Int {
            var n = 0
            for r in ordersDays {
                let (start, end) = calendar.bounds(of: r)
                n += try src.campaignOrders(from: start, to: end) { order in ledger.add(order) }
            }
            return n
        }
        func readActivity(into ledger: CampaignLedger, on src: ShopSource) throws -> (read: Int, ledger: CampaignLedger) {
            var fed = ledger, n = 0
            for r in activityDays {
                let (start, end) = calendar.bounds(of: r)
                n += try src.customerActivity(from: start, to: end) { user, at in fed.addActivity(userId: user, at: at) }
            }
            return (n, fed)
        }
        if !ordersDays.isEmpty && !activityDays.isEmpty {
            let other = try src.onSecondConnection()
            let (orders, activity) = try concurrentlyStopping({ try readOrders(on: src) }, cancelling: [src.canceller()],
                                                              { [ledger] in try readActivity(into: ledger.withoutReach, on: other) }, cancelling: [other.canceller()])
            read += orders + activity.read
            ledger.addReached(from: activity.ledger)
        } else {
            read += try readOrders(on: src)
            let activity = try readActivity(into: ledger, on: src)
            read += activity.read
            ledger = activity.ledger
        }
        return CampaignWork(definitions: d, facts: facts, basis: basis, rowsRead: read, activity: ActivityTap(ledger))
    }

    /// Every campaign (the rows that cannot be read set aside, dated the job's last day), and the ids of those the job computes: attributed, with a
    /// window that meets the job's days, up to its last day.
    struct Definitions {
        var campaigns: [Campaign] = []
        var rejected: [RejectedRow] = []
        var rowsRead = 0
        var computing: Set<Int64> = []

        static func read(_ src: ShopSource, asOf: ShopDay, ranges: [ShopDayRange], calendar: ShopCalendar) throws -> Definitions {
            var d = Definitions()
            d.rowsRead = try src.campaigns { result in
                switch result {
                case .success(let c): d.campaigns.append(c)
                case .failure(var row):
                    // A campaign row has no day of its own: reported as of the job's last day, whose rejected rows the
                    // load replaces, so every job reports what is still wrong once (README, "Rejected rows").
                    row.rejection.detail += "; reported as of \(asOf.iso), the job's last day"
                    row.day = asOf
                    d.rejected.append(row)
                }
            }
            d.computing = Set(d.campaigns.filter { c in
                let first = calendar.day(ofMicros: c.start), last = min(calendar.day(ofMicros: c.end), asOf)
                return c.status.isAttributed && first <= last && ranges.contains { $0.first <= last && first <= $0.last }
            }.map(\.id))
            return d
        }
    }

    /// The attributed campaigns' definitions that decide attribution and audiences, one line each: a kept state is used
    /// only for the same definitions.
    static func definitions(_ campaigns: [Campaign]) -> String {
        campaigns.filter(\.status.isAttributed).sorted { $0.id < $1.id }.map { c in
            "\(c.id) \(c.couponCode) \(c.start) \(c.end) \(c.audience.rawValue)"
        }.joined(separator: "\n")
    }

    /// The kept states this nightly run can build on, by campaign, and the audience facts they were computed with:
    /// written by the run it starts from, for the same attributed campaigns, with every day since recomputed and the
    /// customers' first sales taken from the warehouse too; a campaign whose audience facts changed for some customer on
    /// a day it keeps is computed in whole. Nil when the kept state cannot be used at all.
    private func keptStates(_ context: StageContext, computing: Set<Int64>, campaigns: [Campaign], definitions: String,
                            facts: [Int64: CustomerFacts]) throws -> CampaignStateStore.Basis? {
        let store = CampaignStateStore(connection: context.warehouse)
        guard let firstSales = context.shared.firstSalesKept, let run = try store.stateRun(), run.campaigns == definitions,
              KeptState.usable(stateAsOf: run.asOf, stateRun: run.runId, previousRun: context.previousRun, asOf: context.asOf,
                               ranges: context.ranges) else { return nil }
        // What changed since the kept state: first sales of the users re-read, tiers and referrals of anyone.
        let earlierFacts = try store.facts()
        var changes: [CustomerFactChange] = []
        for user in firstSales.touched.union(earlierFacts.keys).union(facts.keys.filter { facts[$0]?.vipSince != nil || facts[$0]?.referredAt != nil }) {
            let now = facts[user] ?? CustomerFacts()
            var then = earlierFacts[user] ?? CustomerFacts()
            then.firstSaleAt = firstSales.touched.contains(user) ? firstSales.earlier[user] : now.firstSaleAt
            changes += CustomerFactChange.between(then, now, userId: user, asOf: context.asOf, calendar: context.calendar)
        }
        var usable: [Int64] = []
        for c in campaigns where computing.contains(c.id) {
            let first = context.calendar.day(ofMicros: c.start)
            let span = ShopDayRange(first.advanced(by: -CampaignLedger.baselineDays), min(context.calendar.day(ofMicros: c.end), context.asOf))
            // A change matters when it falls on a day the campaign keeps (inside its span, outside the recomputed days).
            let matters = changes.contains { ch in
                guard c.audience.dependsOn(ch.kind), ch.days.first <= span.last, span.first <= ch.days.last else { return false }
                let overlap = ShopDayRange(max(ch.days.first, span.first), min(ch.days.last, span.last))
                return !context.ranges.contains { $0.first <= overlap.first && overlap.last <= $0.last }
            }
            if !matters { usable.append(c.id) }
        }
        return CampaignStateStore.Basis(states: try store.states(campaigns: usable, runId: run.runId), facts: earlierFacts)
    }
}

/// A backfill's campaigns fed the daily extract's orders as they stream (`CampaignLedger.addStreamed`): the campaign stage
/// then reads no orders of the stream's days again.
final class StreamedCampaigns: StreamedOrders {
    let definitions: CampaignStage.Definitions
    /// The days the stream covers.
    let range: ShopDayRange
    /// nil when no campaign is computed.
    private(set) var ledger: CampaignLedger?
    private var salesOutOfOrder = false

    init(definitions: CampaignStage.Definitions, range: ShopDayRange, ledger: CampaignLedger?) {
        self.definitions = definitions; self.range = range; self.ledger = ledger
    }

    func add(_ order: Order, firstSaleSoFar: Int64?) {
        ledger?.addStreamed(order, firstSaleSoFar: firstSaleSoFar)
    }

    /// Packs the ledger's customers while the customer stage (the job's largest) and the funnel run.
    func ended(salesOutOfOrder: Bool) {
        self.salesOutOfOrder = salesOutOfOrder
        ledger?.pack()
    }

    /// Whether the first sales the stream gave were every user's first sale, as the ledger's new-customer decisions need:
    /// every user's sales streamed in time order, or no computed campaign is for new customers. Otherwise the campaign
    /// stage reads the orders again, as any other backfill does.
    var firstSalesRight: Bool {
        !salesOutOfOrder || !definitions.campaigns.contains { definitions.computing.contains($0.id) && $0.audience == .newCustomers }
    }
}

/// The campaign stage's work up to the customers' activity the funnel's events bring (`AnalyticsStage.workBeforeEvents`).
final class CampaignWork: WorkBeforeEvents {
    let definitions: CampaignStage.Definitions
    /// The customers' facts the figures were computed with (kept for the next run's audience checks).
    let facts: [Int64: CustomerFacts]
    let basis: CampaignStateStore.Basis?
    let rowsRead: Int
    let activity: ActivityTap

    init(definitions: CampaignStage.Definitions, facts: [Int64: CustomerFacts], basis: CampaignStateStore.Basis?, rowsRead: Int,
         activity: ActivityTap) {
        self.definitions = definitions; self.facts = facts; self.basis = basis; self.rowsRead = rowsRead; self.activity = activity
    }
}
