import Analytics
import Extract
import Foundation
import Postgres
import Shop
import Warehouse

/// Customer analytics as of the job's last day (README, "Customer analytics"): streams the customers, every sale
/// up to the end of that day (oldest first, or summed as a backfill's order stream brought them: README, "What a
/// backfill reads"), the loyalty points and the referrals into a `CustomerBook`, computes
/// the analysis, and loads it in the job's transaction (and the shop's `analytics_customermetrics` with
/// `--django-tables`).
///
/// Orders that fail the daily extract's checks are left out of the customer figures but not reported again here:
/// the daily job reports them on their own day. Those dated outside the shop's dates (or unreadably), which no daily
/// job reaches, are reported here, dated the as-of day; so are the customers and loyalty transactions this stage
/// sets aside.
public struct CustomerStage: AnalyticsStage {
    public var rules: CustomerRules
    /// Customers with a sale needed before the purchase model is fitted.
    public var minimumCustomersForModel: Int
    /// Settle the model fits and start them from the last run's parameters (README, "Settled fits"); false: Nelder–Mead
    /// from all-ones every run.
    public var settledFits: Bool

    public init(rules: CustomerRules = CustomerRules(), minimumCustomersForModel: Int = 10, settledFits: Bool = true) {
        self.rules = rules
        self.minimumCustomersForModel = minimumCustomersForModel
        self.settledFits = settledFits
    }

    public var name: String { "customers" }
    public var usesStreamedSales: Bool { true }

    /// The loyalty points need nothing from the orders: they are read while the orders stream.
    public var readsBesideExtract: Bool { true }

    public func readBesideExtract(_ context: StageContext, source: ShopSource, warehouse: Connection) throws -> any Sendable {
        try CustomerStage.loyalty(context, source: source, warehouse: warehouse)
    }

    /// Every user's loyalty points as of the end of the as-of day: on a nightly run, the kept sums and the transactions
    /// that can have changed them.
    static func loyalty(_ context: StageContext, source: ShopSource, warehouse: Connection) throws -> CustomerLoyalty {
        try CustomerLoyalty.read(source: source, warehouse: warehouse, asOfEnd: context.calendar.startMicros(of: context.asOf.advanced(by: 1)),
                                 snapshotTime: context.snapshotTime, lateCommit: context.lateCommit, useKept: context.previousRun != nil,
                                 runId: context.runId, progress: context.progress)
    }

    public func prepare(_ context: StageContext) throws -> PreparedStage {
        let src = context.source
        let asOf = context.asOf
        var book = CustomerBook(asOf: asOf, calendar: context.calendar)
        // About as many customers as the last run counted (none the first time).
        book.reserveCapacity(customers: try CustomerStore.metrics.estimatedRows(on: context.warehouse))
        var read = 0
        var rejected: [RejectedRow] = []
        let t0 = Date()
        // Two parts at once, each on its own connection in the job's snapshot and its own thread: the customers and
        // their loyalty points (unless read beside the daily extract) on the second connection (with a warehouse
        // connection of their own for the kept sums), their sales here. Only the first part fills the book; the sales
        // join it after both ended.
        let asOfEnd = book.asOfEnd
        let loyaltyRead = context.readBeside.take() as? CustomerLoyalty
        var stateChanges = TableChanges()
        var setAside = 0
        var sales = 0
        var salesRead = 0
        var salesRejected: [RejectedRow] = []
        var states: [Int64: CustomerSales] = [:]
        func readCustomersAndLoyalty(on src: ShopSource, warehouse: Connection) throws -> CustomerLoyalty {
            read += try src.customerProfiles(asOf: asOf) { row in
                if let problem = row.problem { rejected.append(problem) }
                let tier = row.tierLevel.flatMap(VIPTier.init(source:))
                if let level = row.tierLevel, tier == nil {
                    // Never guessed at: the customer is kept, without a tier, and the tier reported.
                    rejected.append(RejectedRow(source: "subscriptions_viptier", sourceId: nil, day: asOf,
                                                rejection: Rejection(.unknownVIPTier, "tier_level '\(level)' of user \(row.userId) is not one of "
                                                    + VIPTier.allCases.map { $0.capitalised.lowercased() }.joined(separator: ", ") + "; the customer is kept without a tier"),
                                                raw: "user_id=\(row.userId)\ttier_level=\(level)"))
                }
                book.add(CustomerProfile(userId: row.userId, joinedAt: row.joinedAt, vipTier: tier, subscriptionActive: row.subscriptionActive))
            }
            context.progress("  \(book.count) customers as of \(asOf.iso)")
            return try loyaltyRead ?? CustomerStage.loyalty(context, source: src, warehouse: warehouse)
        }
        func readSales() throws {
            // Each user's sales: all of them read from the shop (a backfill, or no usable state), or, on a nightly run that
            // starts from the run that wrote the state, the state (each user's sales before the start of its day) with the
            // sales created since folded on, and the users with an order on a recomputed day before the state's day read
            // whole (README, "What a nightly run reads"). The state written for the next run holds the sales before the
            // start of the as-of day: a user's sums just before the first sale of that day.
            var kept: (asOf: ShopDay, reread: Set<Int64>, earlier: [Int64: Int64])?
            let store = CustomerSalesStore(connection: context.warehouse)
            if let touched = context.touchedUsers, let run = try store.stateRun(),
               KeptState.salesUsable(stateAsOf: run.asOf, stateRun: run.runId, previousRun: context.previousRun, asOf: asOf) {
                states.reserveCapacity(try CustomerSalesStore.state.estimatedRows(on: context.warehouse))
                try store.states { states[$0.userId] = $0 }
                // The first sales as the run the state comes from counted them (to the end of its day), for the users whose
                // first sale may have moved since (`SharedExtracts.FirstSales`): the kept one, else one on that day (below).
                var earlier: [Int64: Int64] = [:]
                for user in touched.keys { if let s = states[user] { earlier[user] = s.firstAt } }
                let reread = Set(touched.compactMap { $0.value < run.asOf ? $0.key : nil })
                for user in reread { states[user] = nil }
                kept = (run.asOf, reread, earlier)
                context.progress("  \(states.count) users' sales kept from the run of \(run.asOf.iso); \(reread.count) re-read")
            }
            let since = kept.map { context.calendar.startMicros(of: $0.asOf) } ?? Int64.min
            let dayStart = context.calendar.startMicros(of: asOf)
            // The users whose sums before the as-of day a nightly run changes (every user's on a full read), and the sums
            // before the as-of day of the users with a sale on it.
            var changed = kept?.reread ?? []
            var beforeDay: [Int64: CustomerSales] = [:]
            // A backfill whose order stream held every sale: the sums come from it, and the query below reads only the
            // users whose sales streamed out of `created_at` order, whole, and the rows dated before the shop's dates
            // (README, "What a backfill reads"). Otherwise every sale, or those since the kept day.
            var reread = kept?.reread.sorted() ?? []
            var readSince = kept?.asOf
            if let streamed = context.streamedSales.take() {
                // Taken whole: `states` is then their only holder (a million users' sums, not held twice while they change).
                (states, beforeDay, sales, reread) = (streamed.states, streamed.beforeDay, streamed.sales, streamed.disordered.sorted())
                readSince = asOf.advanced(by: 1)
                context.progress("  \(sales) sales summed as the orders streamed; \(reread.count) user\(reread.count == 1 ? "" : "s") read again in time order")
            }
            salesRead += try src.customerSales(asOf: asOf, since: readSince, users: reread) { result in
                switch result {
                case .success(let order):
                    // A read since a day also brings every row dated before the shop's dates (to report them, as a full read
                    // does): only the re-read users' sales before the state's day count.
                    guard order.isSale, order.createdAt < asOfEnd else { return }
                    let user = order.userId
                    if order.createdAt < since && !(kept?.reread.contains(user) ?? true) { return }
                    if order.createdAt >= dayStart {
                        if beforeDay[user] == nil { beforeDay[user] = states[user] ?? CustomerSales(userId: user) }
                    } else if kept != nil {
                        changed.insert(user)
                    }
                    states[user, default: CustomerSales(userId: user)].add(order, calendar: context.calendar)
                    sales += 1
                    if sales % 1_000_000 == 0 {
                        let rate = Double(sales) / max(Date().timeIntervalSince(t0), 0.001)
                        context.progress("  \(sales / 1_000_000)M sales read for customers (\(Int(rate / 1000))k/s)")
                    }
                case .failure(var row):
                    setAside += 1
                    // A sale no daily job can report (its day is unreadable or outside the shop's dates) is reported
                    // here, as of the job's last day; the others are the daily job's to report on their own day.
                    if row.day.map({ !$0.isWithinShopDates }) ?? true {
                        row.rejection.detail += "; reported as of \(asOf.iso) because its own day is outside the shop's dates"
                        row.day = asOf
                        salesRejected.append(row)
                    }
                }
            }
            var firstSales: [Int64: Int64] = [:]
            firstSales.reserveCapacity(states.count)
            for s in states.values { firstSales[s.userId] = s.firstAt }
            // The campaigns and the funnel need every first sale: they take them from here instead of reading the orders.
            var keptFirstSales: (asOf: ShopDay, touched: Set<Int64>, earlier: [Int64: Int64])?
            if let kept, let touched = context.touchedUsers {
                // A user with no kept sums had a first sale on the state's day, as that run counted it, when the first sale
                // is on that day now: had the day's orders changed since, the day would be recomputed.
                var earlier = kept.earlier
                for user in touched.keys where earlier[user] == nil {
                    if let s = states[user], s.sales > 0, s.firstDay == kept.asOf.epochDay { earlier[user] = s.firstAt }
                }
                keptFirstSales = (kept.asOf, Set(touched.keys), earlier)
            }
            context.shared.publishFirstSales(SharedExtracts.FirstSales(all: firstSales, kept: keptFirstSales))
            firstSales = [:]
            // The sums before the as-of day: of everyone on a full read, else of the users whose sums changed.
            if kept == nil {
                stateChanges = try CustomerSalesStore.changes(states.values.lazy.map { beforeDay[$0.userId] ?? $0 }, replacing: nil,
                                                              asOf: asOf, runId: context.runId)
            } else {
                let users = changed.sorted()
                stateChanges = try CustomerSalesStore.changes(users.lazy.compactMap { beforeDay[$0] ?? states[$0] }, replacing: users,
                                                              asOf: asOf, runId: context.runId)
            }
            beforeDay = [:]
        }
        let other = try src.onSecondConnection(), otherWarehouse = try context.warehouse.sibling()
        // The sales' part reads the kept sums on the job's own warehouse connection, which the job goes on using after
        // a failure (to mark the run failed): a late cancel request must not reach it there, so only its shop
        // connection is cancelled.
        var (loyalty, _) = try concurrentlyStopping({ try readCustomersAndLoyalty(on: other, warehouse: otherWarehouse) },
                                                    cancelling: [other.canceller(), QueryCanceller([otherWarehouse])],
                                                    readSales, cancelling: [src.canceller()])
        read += salesRead
        rejected += salesRejected
        for s in states.values { book.add(s) }
        states = [:]
        read += loyalty.rowsRead
        for (user, points) in loyalty.points {
            book.add(LoyaltyPoints(userId: user, earned: points.earned, redeemed: points.redeemed))
        }
        // The transactions set aside, by user: only their users are sorted, not every user's sums.
        for (user, points) in loyalty.points.filter({ !$0.value.setAside.isEmpty }).sorted(by: { $0.key < $1.key }) {
            rejected += points.setAside.map { item in
                RejectedRow(source: item.source, sourceId: String(item.id), day: asOf,
                            rejection: Rejection(.outOfRange, "\(item.points) points in one transaction is beyond ±\(LoyaltyLimits.pointsPerTransaction); left out of user \(user)'s points"),
                            raw: "user_id=\(user)\tpoints=\(item.points)")
            }
        }
        loyalty.points = [:]  // in the book now; at 10M orders some 800k users' sums would stay held through the analysis
        read += try src.customerReferrals(asOf: asOf) { result in
            switch result {
            case .success(let r):
                book.add(Referral(id: r.id, referrerId: r.referrerId, refereeId: r.refereeId, status: r.status,
                                  referrerBonus: Money(francs: r.bonusFrancs), referrerBonusPoints: r.bonusPoints,
                                  createdAt: r.createdAt, completedAt: r.completedAt))
            case .failure(let row):
                rejected.append(row)
            }
        }
        var fitting = ModelFitting(settled: settledFits)
        if settledFits { (fitting.lastPurchases, fitting.lastSpend, fitting.lastCheck) = try CustomerStore(connection: context.warehouse).lastFits() }
        let t1 = Date()
        let analysis = book.analysis(rules: rules, minimumCustomersForModel: minimumCustomersForModel, fitting: fitting)
        func started(_ start: FitStart, _ evaluations: Int, _ gradients: Int) -> String {
            let counts = gradients > 0 ? "\(evaluations) evaluations and \(gradients) gradients" : "\(evaluations) evaluations"
            switch start {
            case .cold: return (settledFits ? "from scratch, " : "") + counts
            case .warm: return "from the last fit, " + counts
            case .coldAfterWarm(let why): return "from scratch because the start from the last fit failed (\(why)), " + counts
            }
        }
        let fitLine: String
        if let bg = analysis.model.purchases {
            let p = bg.parameters
            fitLine = String(format: "BG/NBD r=%.4g alpha=%.4g a=%.4g b=%.4g, log-likelihood %.1f, %d customers (%d distinct histories), %@, %@",
                             p.r, p.alpha, p.a, p.b, bg.logLikelihood, bg.customers, bg.distinctHistories,
                             started(bg.start, bg.evaluations, bg.gradientEvaluations), bg.converged ? "converged" : "not converged")
                + (analysis.model.spend.map { "; Gamma-Gamma " + started($0.start, $0.evaluations, $0.gradientEvaluations) } ?? "")
                + (analysis.model.check.map { "; check " + started($0.fit.start, $0.fit.evaluations, $0.fit.gradientEvaluations) } ?? "")
        } else {
            fitLine = "no purchase model: \(analysis.model.note ?? "")"
        }
        context.progress(String(format: "  %d sales (%d set aside), analysis in %.1f s; %@", sales, setAside, Date().timeIntervalSince(t1), fitLine))

        let listed = Set(analysis.topByLifetimeValue.map(\.userId) + analysis.atRisk.map(\.userId))
        let names = try src.customerNames(listed.sorted())
        return PreparedStage(rowsRead: read, rejected: rejected,
                             warehouse: try CustomerStore.changes(analysis, names: names, runId: context.runId) + stateChanges + loyalty.changes,
                             shop: context.shopTables ? try CustomerStore.djangoChanges(analysis, schema: context.shopSchema) : TableChanges())
    }
}
