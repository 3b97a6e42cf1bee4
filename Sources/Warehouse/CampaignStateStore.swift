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
        Column("reached_days") { dateArray($0.days.reached) }, Column("converted_days") { dateArray($0.days.converted) },
    ])

    /// Users with a tier or a referral (`CustomerFacts` without the first sale).
    public static let facts = WarehouseTable<(userId: Int64, facts: CustomerFacts)>("analytics.campaign_state_facts", [
        Column("user_id") { $0.userId }, Column("vip_since") { $0.facts.vipSince },
        Column("referred_at") { $0.facts.referredAt.map(Instant.utcString(micros:)) },
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

    /// The kept states of those `campaigns` that `runId` wrote, by campaign id.
    public func states(campaigns: [Int64], runId: Int64) throws -> [Int64: CampaignState] {
        guard !campaigns.isEmpty else { return [:] }
        let filter = "WHERE campaign_id IN (\(campaigns.map(String.init).joined(separator: ","))) AND run_id = \(runId)"
        var out: [Int64: CampaignState] = [:]
        try copy(CampaignStateStore.days, filter + " ORDER BY campaign_id, day") { row, at in
            guard let id = row.int64(at("campaign_id")), let day = row.epochDay(at("day")) else { return }
            out[id, default: CampaignState(campaignId: id)].days.append(CampaignDayFigures(
                day: ShopDay(epochDay: day), couponOrders: Int(row.int64(at("coupon_orders")) ?? 0),
                couponRevenue: Money(hundredths: row.scaled(at("coupon_revenue"), scale: 2) ?? 0),
                discountGiven: Money(hundredths: row.scaled(at("discount_given"), scale: 2) ?? 0),
                audienceRevenue: Money(hundredths: row.scaled(at("audience_revenue"), scale: 2) ?? 0)))
        }
        try copy(CampaignStateStore.customers, filter + " ORDER BY campaign_id, user_id") { row, at in
            guard let id = row.int64(at("campaign_id")), let user = row.int64(at("user_id")) else { return }
            out[id, default: CampaignState(campaignId: id)].customers.append(CampaignCustomerDays(
                userId: user, reached: CampaignStateStore.days(row.string(at("reached_days")) ?? ""),
                converted: CampaignStateStore.days(row.string(at("converted_days")) ?? "")))
        }
        return out
    }

    /// `{2026-01-01,2026-01-02}` as days.
    static func days(_ text: String) -> [ShopDay] {
        text.dropFirst().dropLast().split(separator: ",").compactMap { ShopDay(iso: String($0)) }
    }

    static func dateArray(_ days: [ShopDay]) -> String { "{" + days.map(\.iso).joined(separator: ",") + "}" }

    /// Replaces the kept state: the rows of the campaigns `states` describes, none of campaigns no longer `attributed`,
    /// the audience facts whole (`facts`: users with a tier or a referral) and the run row.
    public static func changes(_ states: [CampaignState], attributed: [Int64], facts: [Int64: CustomerFacts], campaigns: String,
                               asOf: ShopDay, runId: Int64) throws -> TableChanges {
        let replaced = CampaignStore.array(states.map(\.campaignId)), kept = CampaignStore.array(attributed)
        let deletes = [days.name, customers.name].map { t in
            SQLStatement("DELETE FROM \(t) WHERE campaign_id = ANY($1::bigint[]) OR NOT (campaign_id = ANY($2::bigint[]))", [replaced, kept])
        } + [SQLStatement("TRUNCATE \(CampaignStateStore.facts.name)"), SQLStatement("DELETE FROM \(run.name)")]
        var dayRows = days.rows(stamps: [runId]), customerRows = customers.rows(stamps: [runId])
        for s in states {
            for d in s.days { try dayRows.append(KeptDay(campaignId: s.campaignId, figures: d)) }
            for c in s.customers { try customerRows.append(KeptCustomer(campaignId: s.campaignId, days: c)) }
        }
        let audience = facts.sorted { $0.key < $1.key }.filter { $0.value.vipSince != nil || $0.value.referredAt != nil }
        return TableChanges(deletes: deletes, writes: [
            dayRows.write, customerRows.write,
            try CampaignStateStore.facts.write(audience.map { (userId: $0.key, facts: $0.value) }, stamps: [runId]),
            try run.write([KeptRun(asOf: asOf, campaigns: campaigns)], stamps: [runId]),
        ])
    }
}
