import Analytics
import Postgres
import Shop

/// What computed campaigns' figures are made of, kept between runs (migration 0013): per campaign and day
/// (`analytics.campaign_state_days`), per campaign and customer reached (`campaign_state_customers`), the audience
/// facts they were computed with (`campaign_state_facts`) and the run that wrote them (`campaign_state_run`). Reads for
/// the next run, and the rows a job replaces (inside its load transaction).
public struct CampaignStateStore {
    private let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// One campaign's sums for one shop day.
    public struct KeptDay: Sendable {
        public var campaignId: Int64
        public var figures: CampaignDayFigures
    }

    /// One campaign's days with one customer.
    public struct KeptCustomer: Sendable {
        public var campaignId: Int64
        public var days: CampaignCustomerDays
    }

    /// The kept state's day and the attributed campaigns' definitions.
    public struct KeptRun: Sendable {
        public var asOf: ShopDay
        public var campaigns: String
    }

    public static let days = WarehouseTable<KeptDay>("analytics.campaign_state_days", [
        Column("campaign_id") { $0.campaignId }, Column("day") { $0.figures.day }, Column("coupon_orders") { $0.figures.couponOrders },
        Column("coupon_revenue") { $0.figures.couponRevenue }, Column("discount_given") { $0.figures.discountGiven },
        Column("audience_revenue") { $0.figures.audienceRevenue },
    ])

    /// The days as dates, ascending: `{2026-11-20,2026-11-23}`.
    public static let customers = WarehouseTable<KeptCustomer>("analytics.campaign_state_customers", [
        Column("campaign_id") { $0.campaignId }, Column("user_id") { $0.days.userId },
        Column("reached_days") { c, w in w.appendDateArray(c.days.reached) },
        Column("converted_days") { c, w in w.appendDateArray(c.days.converted) },
    ])

    /// Users with a tier or a referral (`CustomerFacts` without the first sale).
    public static let facts = WarehouseTable<(userId: Int64, facts: CustomerFacts)>("analytics.campaign_state_facts", [
        Column("user_id") { $0.userId }, Column("vip_since") { $0.facts.vipSince },
        Column("referred_at") { $0.facts.referredAt.map(UTCTime.init(micros:)) },
    ])

    public static let run = WarehouseTable<KeptRun>("analytics.campaign_state_run", [
        Column("as_of") { $0.asOf }, Column("campaigns") { $0.campaigns },
    ])

    /// The kept state's day, the run that wrote it and the attributed campaigns it was computed for; nil when none.
    public func stateRun() throws -> (asOf: ShopDay, runId: Int64, campaigns: String)? {
        let table = CampaignStateStore.run
        guard let r = try table.stored(connection.execute("SELECT as_of, run_id, campaigns FROM \(table.name) LIMIT 1")).first else { return nil }
        return (try r("as_of"), try r("run_id"), try r("campaigns"))
    }

    /// Streams the rows of `table` (its written columns, stamps aside) matching `clause`, with each column's position.
    private func copy<Row>(_ table: WarehouseTable<Row>, _ clause: String, _ body: (borrowing CopyRow, (String) -> Int) throws -> Void) throws {
        let list = table.columns.map(\.name).joined(separator: ", ")
        _ = try connection.copyOut("COPY (SELECT \(list) FROM \(table.name) \(clause)) TO STDOUT") { row in try body(row, table.position(of:)) }
    }

    /// The audience facts the state was computed with (tier since, referred at), by user.
    public func facts() throws -> [Int64: CustomerFacts] {
        var out: [Int64: CustomerFacts] = [:]
        try copy(CampaignStateStore.facts, "") { row, at in
            guard let user = row.int64(at("user_id")) else { return }
            out[user] = CustomerFacts(vipSince: row.epochDay(at("vip_since")).map { ShopDay(epochDay: $0) }, referredAt: row.timestampMicros(at("referred_at")))
        }
        return out
    }

    /// The kept states of those `campaigns` that `runId` computed, by campaign id. Every run that computes a campaign
    /// rewrites its days (`runId` marks them) and leaves its customers' rows as its state has them, writing only the rows
    /// that changed; so a campaign whose days `runId` wrote has its customers' rows as `runId` left them, whichever run
    /// wrote each.
    public func states(campaigns: [Int64], runId: Int64) throws -> [Int64: CampaignState] {
        guard !campaigns.isEmpty else { return [:] }
        var out: [Int64: CampaignState] = [:]
        try copy(CampaignStateStore.days, "WHERE campaign_id IN (\(campaigns.map(String.init).joined(separator: ","))) AND run_id = \(runId) ORDER BY campaign_id, day") { row, at in
            guard let id = row.int64(at("campaign_id")), let day = row.epochDay(at("day")) else { return }
            out[id, default: CampaignState(campaignId: id)].days.append(CampaignDayFigures(
                day: ShopDay(epochDay: day), couponOrders: Int(row.int64(at("coupon_orders")) ?? 0),
                couponRevenue: Money(hundredths: row.scaled(at("coupon_revenue"), scale: 2) ?? 0),
                discountGiven: Money(hundredths: row.scaled(at("discount_given"), scale: 2) ?? 0),
                audienceRevenue: Money(hundredths: row.scaled(at("audience_revenue"), scale: 2) ?? 0)))
        }
        guard !out.isEmpty else { return [:] }
        try copy(CampaignStateStore.customers, "WHERE campaign_id IN (\(out.keys.sorted().map(String.init).joined(separator: ","))) ORDER BY campaign_id, user_id") { row, at in
            guard let id = row.int64(at("campaign_id")), let user = row.int64(at("user_id")) else { return }
            out[id]?.customers.append(CampaignCustomerDays(
                userId: user, reached: CampaignStateStore.days(row, at("reached_days")), converted: CampaignStateStore.days(row, at("converted_days"))))
        }
        return out
    }

    /// Field `i`, `{2026-01-01,2026-01-02}`, as days.
    static func days(_ row: borrowing CopyRow, _ i: Int) -> [ShopDay] {
        var days: [ShopDay] = []
        row.epochDays(i) { days.append(ShopDay(epochDay: $0)) }
        return days
    }

    /// What a run built on: the kept states it took days from (`states`, by campaign id, as stored) and the audience
    /// facts as stored (`facts`), read from a state written for the same attributed campaigns.
    public struct Basis: Sendable {
        public var states: [Int64: CampaignState]
        public var facts: [Int64: CustomerFacts]
        public init(states: [Int64: CampaignState], facts: [Int64: CustomerFacts]) { self.states = states; self.facts = facts }
    }

    /// Replaces the kept state: the days of the campaigns `states` describes, their customers' rows, none of campaigns
    /// no longer `attributed`, the audience facts (`facts`: users with a tier or a referral) and the run row. With a
    /// `basis`, a campaign it has states for gets only its customers' rows that changed, and the facts only the users
    /// whose tier or referral date changed (README, "What a nightly run reads"); without one, everything is rewritten.
    public static func changes(_ states: [CampaignState], basis: Basis?, attributed: [Int64], facts: [Int64: CustomerFacts],
                               campaigns: String, asOf: ShopDay, runId: Int64) throws -> TableChanges {
        let kept = basis?.states ?? [:]
        let replaced = CampaignStore.array(states.map(\.campaignId)), stillAttributed = CampaignStore.array(attributed)
        let wholeIds = states.map(\.campaignId).filter { kept[$0] == nil }, whole = CampaignStore.array(wholeIds)
        var deletes = [SQLStatement("DELETE FROM \(days.name) WHERE campaign_id = ANY($1::bigint[]) OR NOT (campaign_id = ANY($2::bigint[]))",
                                    [replaced, stillAttributed])]
        // A basis was kept for the same attributed campaigns, whose run deleted the others' rows. When every attributed
        // campaign is rewritten whole (a backfill of every campaign's window), no row stays: the table is emptied and
        // refilled, its key built once after the COPY instead of entry by entry.
        let refillsCustomers = basis == nil && Set(attributed).isSubset(of: wholeIds)
        if refillsCustomers {
            deletes.append(SQLStatement("TRUNCATE \(customers.name)"))
        } else if basis == nil {
            deletes.append(SQLStatement("DELETE FROM \(customers.name) WHERE campaign_id = ANY($1::bigint[]) OR NOT (campaign_id = ANY($2::bigint[]))",
                                        [whole, stillAttributed]))
        } else {
            deletes.append(SQLStatement("DELETE FROM \(customers.name) WHERE campaign_id = ANY($1::bigint[])", [whole]))
        }
        var dayRows = days.rows(stamps: [runId]), customerRows = customers.rows(stamps: [runId])
        var staleCampaigns: [Int64] = [], staleUsers: [Int64] = []
        for s in states {
            for d in s.days { try dayRows.append(KeptDay(campaignId: s.campaignId, figures: d)) }
            if let k = kept[s.campaignId] {
                let change = s.customerChanges(from: k)
                staleCampaigns += repeatElement(s.campaignId, count: change.stale.count)
                staleUsers += change.stale
                for c in change.fresh { try customerRows.append(KeptCustomer(campaignId: s.campaignId, days: c)) }
            } else {
                for c in s.customers { try customerRows.append(KeptCustomer(campaignId: s.campaignId, days: c)) }
            }
        }
        if !staleUsers.isEmpty {
            deletes.append(SQLStatement("""
                DELETE FROM \(customers.name) k USING unnest($1::bigint[], $2::bigint[]) AS s(campaign_id, user_id)
                WHERE k.campaign_id = s.campaign_id AND k.user_id = s.user_id
                """, [CampaignStore.array(staleCampaigns), CampaignStore.array(staleUsers)]))
        }
        // The facts as stored: the tier and referral dates only.
        let audience = facts.compactMapValues { f in
            f.vipSince != nil || f.referredAt != nil ? CustomerFacts(vipSince: f.vipSince, referredAt: f.referredAt) : nil
        }
        var written = audience
        if let stored = basis?.facts {
            written = audience.filter { stored[$0.key] != $0.value }
            let stale = stored.keys.filter { audience[$0] != stored[$0] }.sorted()
            if !stale.isEmpty {
                deletes.append(SQLStatement("DELETE FROM \(CampaignStateStore.facts.name) WHERE user_id IN (SELECT unnest($1::bigint[]))",
                                            [CampaignStore.array(stale)]))
            }
        } else {
            deletes.append(SQLStatement("TRUNCATE \(CampaignStateStore.facts.name)"))
        }
        deletes.append(SQLStatement("DELETE FROM \(run.name)"))
        return TableChanges(deletes: deletes, writes: [
            dayRows.write, customerRows.write.refilling(refillsCustomers),
            // Emptied by the TRUNCATE above when there were no stored facts to build on.
            try CampaignStateStore.facts.write(written.sorted { $0.key < $1.key }.map { (userId: $0.key, facts: $0.value) }, stamps: [runId])
                .refilling(basis?.facts == nil),
            try run.write([KeptRun(asOf: asOf, campaigns: campaigns)], stamps: [runId]),
        ])
    }
}
