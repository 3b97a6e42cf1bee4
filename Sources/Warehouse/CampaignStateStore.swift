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

    /// The kept state's day, the run that wrote it and the attributed campaigns it was computed for; nil when none.
    public func stateRun() throws -> (asOf: ShopDay, runId: Int64, campaigns: String)? {
        let r = try connection.execute("SELECT as_of::text, run_id, campaigns FROM analytics.campaign_state_run LIMIT 1")
        guard r.rowCount > 0, let day = ShopDay(iso: r[0, 0] ?? ""), let run = Int64(r[0, 1] ?? "") else { return nil }
        return (day, run, r[0, 2] ?? "")
    }

    /// The audience facts the state was computed with (tier since, referred at), by user.
    public func facts() throws -> [Int64: CustomerFacts] {
        var out: [Int64: CustomerFacts] = [:]
        _ = try connection.copyOut("COPY (SELECT user_id, vip_since, referred_at FROM analytics.campaign_state_facts) TO STDOUT") { row in
            guard let user = row.int64(0) else { return }
            out[user] = CustomerFacts(vipSince: row.epochDay(1).map { ShopDay(epochDay: $0) }, referredAt: row.timestampMicros(2))
        }
        return out
    }

    /// The kept states of those `campaigns` that `runId` wrote, by campaign id.
    public func states(campaigns: [Int64], runId: Int64) throws -> [Int64: CampaignState] {
        guard !campaigns.isEmpty else { return [:] }
        let filter = "campaign_id IN (\(campaigns.map(String.init).joined(separator: ","))) AND run_id = \(runId)"
        var out: [Int64: CampaignState] = [:]
        _ = try connection.copyOut("""
            COPY (SELECT campaign_id, day, coupon_orders, coupon_revenue, discount_given, audience_revenue
                  FROM analytics.campaign_state_days WHERE \(filter) ORDER BY campaign_id, day) TO STDOUT
            """) { row in
            guard let id = row.int64(0), let day = row.epochDay(1) else { return }
            out[id, default: CampaignState(campaignId: id)].days.append(CampaignDayFigures(
                day: ShopDay(epochDay: day), couponOrders: Int(row.int64(2) ?? 0), couponRevenue: Money(hundredths: row.scaled(3, scale: 2) ?? 0),
                discountGiven: Money(hundredths: row.scaled(4, scale: 2) ?? 0), audienceRevenue: Money(hundredths: row.scaled(5, scale: 2) ?? 0)))
        }
        _ = try connection.copyOut("""
            COPY (SELECT campaign_id, user_id, reached_days, converted_days
                  FROM analytics.campaign_state_customers WHERE \(filter) ORDER BY campaign_id, user_id) TO STDOUT
            """) { row in
            guard let id = row.int64(0), let user = row.int64(1) else { return }
            out[id, default: CampaignState(campaignId: id)].customers.append(CampaignCustomerDays(
                userId: user, reached: CampaignStateStore.days(row.string(2) ?? ""), converted: CampaignStateStore.days(row.string(3) ?? "")))
        }
        return out
    }

    /// `{2026-01-01,2026-01-02}` as days.
    static func days(_ text: String) -> [ShopDay] {
        text.dropFirst().dropLast().split(separator: ",").compactMap { ShopDay(iso: String($0)) }
    }

    static func array(_ days: [ShopDay]) -> String { "{" + days.map(\.iso).joined(separator: ",") + "}" }

    /// Replaces the kept state: the rows of the campaigns `states` describes, none of campaigns no longer `attributed`,
    /// the audience facts whole (`facts`: users with a tier or a referral) and the run row.
    public static func changes(_ states: [CampaignState], attributed: [Int64], facts: [Int64: CustomerFacts], campaigns: String,
                               asOf: ShopDay, runId: Int64) throws -> TableChanges {
        let replaced = CampaignStore.array(states.map(\.campaignId)), kept = CampaignStore.array(attributed)
        let deletes = ["campaign_state_days", "campaign_state_customers"].map { t in
            SQLStatement("DELETE FROM analytics.\(t) WHERE campaign_id = ANY($1::bigint[]) OR NOT (campaign_id = ANY($2::bigint[]))",
                         [replaced, kept])
        } + [SQLStatement("TRUNCATE analytics.campaign_state_facts"), SQLStatement("DELETE FROM analytics.campaign_state_run")]
        var days = CopyRows(), customers = CopyRows(), factRows = CopyRows(), run = CopyRows()
        for s in states {
            for d in s.days {
                days.append(s.campaignId); days.append(d.day.iso); days.append(d.couponOrders); days.money(d.couponRevenue)
                days.money(d.discountGiven); days.money(d.audienceRevenue); days.append(runId)
                try days.endRow()
            }
            for c in s.customers {
                customers.append(s.campaignId); customers.append(c.userId); customers.append(array(c.reached))
                customers.append(array(c.converted)); customers.append(runId)
                try customers.endRow()
            }
        }
        for (user, f) in facts.sorted(by: { $0.key < $1.key }) where f.vipSince != nil || f.referredAt != nil {
            factRows.append(user); factRows.append(f.vipSince?.iso); factRows.append(f.referredAt.map(Instant.utcString(micros:)))
            factRows.append(runId)
            try factRows.endRow()
        }
        run.append(asOf.iso); run.append(runId); run.append(campaigns)
        try run.endRow()
        return TableChanges(deletes: deletes, writes: [
            TableWrite(table: "analytics.campaign_state_days", columns: [
                "campaign_id", "day", "coupon_orders", "coupon_revenue", "discount_given", "audience_revenue", "run_id"], rows: days),
            TableWrite(table: "analytics.campaign_state_customers", columns: [
                "campaign_id", "user_id", "reached_days", "converted_days", "run_id"], rows: customers),
            TableWrite(table: "analytics.campaign_state_facts", columns: ["user_id", "vip_since", "referred_at", "run_id"], rows: factRows),
            TableWrite(table: "analytics.campaign_state_run", columns: ["as_of", "run_id", "campaigns"], rows: run),
        ])
    }
}
