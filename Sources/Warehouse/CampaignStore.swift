import Analytics
import Postgres
import Shop

/// Campaign tables: `analytics.campaigns` (replaced whole), `analytics.campaign_performance` (per campaign and as-of day),
/// `analytics.campaign_daily` (per day range), the shop's `analytics_campaignperformance`, and the report's reader.
/// Writers expect the caller's transaction.
public struct CampaignStore {
    private let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// Sources of this area's rejected rows. They are dated the job's last day, so the day-range delete of the rejected
    /// rows replaces them; earlier versions kept them without a day, and those undated rows are deleted on every run.
    public static let rejectedSources = ["analytics_campaign", "analytics_campaignperformance"]

    /// The campaign tables' changes: the catalog replaced whole (and this area's undated rejected rows, of earlier
    /// versions, deleted), the
    /// performance rows of the campaigns `computed` (and none of campaigns no longer `attributed`), and the daily
    /// history: every campaign's rows of the day `ranges` are deleted, and so are a computed campaign's rows up to the
    /// totals' as-of day; then every row of `history` (the computed campaigns' window days up to that day, all of them
    /// computed, also those before the job's days) is written. So a campaign's days add up to its figures. A campaign no
    /// longer attributed keeps no daily rows.
    public static func changes(campaigns: [Campaign], totals: [CampaignTotals], computed: [Int64], attributed: [Int64],
                               history: [CampaignDay], ranges: [ShopDayRange], calendar: ShopCalendar, runId: Int64) throws -> TableChanges {
        var deletes = [
            SQLStatement("DELETE FROM analytics.campaigns"),
            SQLStatement("DELETE FROM analytics.rejected_rows WHERE day IS NULL AND source = ANY($1::text[])",
                         ["{" + CampaignStore.rejectedSources.joined(separator: ",") + "}"]),
            // Only the rows as of the job's day: rows as of other days stay, so a past day's report keeps its figures.
            SQLStatement("""
                DELETE FROM analytics.campaign_performance
                WHERE (campaign_id = ANY($1::bigint[]) AND as_of = ANY($3::date[])) OR NOT (campaign_id = ANY($2::bigint[]))
                """, [CampaignStore.array(computed), CampaignStore.array(attributed), "{" + Set(totals.map(\.asOf.iso)).sorted().joined(separator: ",") + "}"]),
        ]
        for r in ranges {
            deletes.append(SQLStatement("DELETE FROM analytics.campaign_daily WHERE day BETWEEN $1::date AND $2::date", [r.first.iso, r.last.iso]))
        }
        for asOf in Set(totals.map(\.asOf)).sorted() {
            let ids = totals.filter { $0.asOf == asOf }.map(\.campaign.id)
            deletes.append(SQLStatement("DELETE FROM analytics.campaign_daily WHERE campaign_id = ANY($1::bigint[]) AND day <= $2::date",
                                        [CampaignStore.array(ids), asOf.iso]))
        }
        deletes.append(SQLStatement("DELETE FROM analytics.campaign_daily WHERE NOT (campaign_id = ANY($1::bigint[]))", [CampaignStore.array(attributed)]))
        let catalog = campaigns.map { c in (campaign: c, firstDay: calendar.day(ofMicros: c.start), lastDay: calendar.day(ofMicros: c.end)) }
        return TableChanges(deletes: deletes, writes: [
            try CampaignStore.catalog.write(catalog, stamps: [runId]),
            try CampaignStore.performance.write(totals, stamps: [runId]),
            try CampaignStore.daily.write(history, stamps: [runId]),
        ])
    }

    /// The totals with each figure that does not fit its `analytics.campaign_performance` column (budget_used, uplift
    /// and roi numeric(16,2); baseline_revenue, lift and cost numeric(14,2): absurd amounts or a tiny budget) left
    /// empty, and a `value_too_wide` rejected row per such figure, dated the totals' as-of day, naming the campaign
    /// and the figure: one campaign's figure never fails the run.
    public static func fittingWarehouse(_ totals: [CampaignTotals]) -> (totals: [CampaignTotals], rejected: [RejectedRow]) {
        var rejected: [RejectedRow] = []
        let fitted = totals.map { t in
            var t = t
            func tooWide(_ figure: String, _ value: String, _ type: String) {
                rejected.append(RejectedRow(source: "analytics.campaign_performance", sourceId: String(t.campaign.id), day: t.asOf,
                                            rejection: Rejection(.valueTooWide, "\(figure) = \(value) does not fit numeric(\(type)); stored empty for campaign \(t.campaign.id)"),
                                            raw: "campaign \(t.campaign.id) \(t.campaign.name) as of \(t.asOf.iso)"))
            }
            if let v = t.budgetUsed, !v.fits(precision: 16) { tooWide("budget_used", v.decimalString + " (percent)", "16,2"); t.budgetUsed = nil }
            if let v = t.uplift, !v.fits(precision: 16) { tooWide("uplift", v.decimalString + " (percent)", "16,2"); t.uplift = nil }
            if let v = t.roi, !v.fits(precision: 16) { tooWide("roi", v.decimalString + " (percent)", "16,2"); t.roi = nil }
            if let v = t.baselineRevenue, !DjangoTables.fits(v, precision: 14) { tooWide("baseline_revenue", v.decimalString, "14,2"); t.baselineRevenue = nil }
            if let v = t.lift, !DjangoTables.fits(v, precision: 14) { tooWide("lift", v.decimalString, "14,2"); t.lift = nil }
            if let v = t.cost, !DjangoTables.fits(v, precision: 14) { tooWide("cost", v.decimalString, "14,2"); t.cost = nil }
            return t
        }
        return (fitted, rejected)
    }

    // MARK: the tables

    /// The shop's campaigns as the job last read them, with their first and last shop day.
    public static let catalog = WarehouseTable<(campaign: Campaign, firstDay: ShopDay, lastDay: ShopDay)>("analytics.campaigns", [
        Column("campaign_id") { $0.campaign.id }, Column("name") { $0.campaign.name }, Column("status") { $0.campaign.status },
        Column("target_audience") { $0.campaign.audience.rawValue }, Column("discount_type") { $0.campaign.discountType },
        Column("discount_value") { Money(hundredths: $0.campaign.discountValue) }, Column("coupon_code") { $0.campaign.couponCode },
        Column("start_at") { Instant.utcString(micros: $0.campaign.start) }, Column("end_at") { Instant.utcString(micros: $0.campaign.end) },
        Column("first_day") { $0.firstDay }, Column("last_day") { $0.lastDay }, Column("budget") { $0.campaign.budget },
        Column("attributed") { $0.campaign.status.isAttributed },
    ])

    /// Each campaign's figures as of a day (README, "Campaigns").
    public static let performance = WarehouseTable<CampaignTotals>("analytics.campaign_performance", [
        Column("campaign_id") { $0.campaign.id }, Column("as_of", \.asOf), Column("first_day", \.firstDay), Column("last_day", \.lastDay),
        Column("coupon_orders", \.couponOrders), Column("coupon_revenue", \.couponRevenue), Column("discount_given", \.discountGiven),
        Column("customers_reached", \.customersReached), Column("customers_converted", \.customersConverted),
        Column("conversion_rate", \.conversionRate), Column("budget_used", \.budgetUsed), Column("audience_revenue", \.audienceRevenue),
        Column("baseline_first_day", \.baselineFirstDay), Column("baseline_revenue", \.baselineRevenue), Column("lift", \.lift),
        Column("uplift", \.uplift), Column("lift_unmeasurable", \.liftUnmeasurable), Column("return_basis", \.returnBasis),
        Column("cost", \.cost), Column("cost_basis", \.costBasis), Column("roi", \.roi), Column("roi_unmeasurable", \.roiUnmeasurable),
    ])

    /// Each campaign's figures of each day of its window.
    public static let daily = WarehouseTable<CampaignDay>("analytics.campaign_daily", blank: { CampaignDay(campaignId: 0, day: ShopDay(epochDay: 0)) }, [
        Column("day", \.day), Column("campaign_id", \.campaignId), Column("coupon_orders", \.couponOrders),
        Column("coupon_revenue", \.couponRevenue), Column("discount_given", \.discountGiven), Column("customers_reached", \.customersReached),
        Column("customers_converted", \.customersConverted), Column("conversion_rate", \.conversionRate),
        Column("audience_revenue", \.audienceRevenue),
    ])

    /// One row per computed campaign for the shop's `analytics_campaignperformance` (tracked_at = now()), first
    /// deleting the rows of the same campaigns tracked on the same shop day (so a rerun that day replaces its rows
    /// instead of adding more). The figures are ours: orders_influenced and revenue_generated are the coupon sales and
    /// their revenue, conversion_rate and roi percentages; roi is 0.00 there when it is not measurable (the column
    /// cannot be empty). A row with a value that does not fit (revenue numeric(12,2), conversion_rate numeric(5,2),
    /// roi numeric(8,2)) is not written and comes back as a problem, dated its as-of day (the job's last day).
    public static func djangoChanges(_ totals: [CampaignTotals], schema: String, timeZone: String) throws -> TableChanges {
        var problems: [RejectedRow] = []
        var rows = ShopTable.campaignPerformanceRows.rows()
        for t in totals {
            let tooWide: String?
            if !DjangoTables.fits(t.couponRevenue, precision: 12) {
                tooWide = "revenue_generated = \(t.couponRevenue.decimalString) does not fit numeric(12,2)"
            } else if !t.conversionRate.fits(precision: 5) {
                tooWide = "conversion_rate = \(t.conversionRate.decimalString) does not fit numeric(5,2)"
            } else if let roi = t.roi, !roi.fits(precision: 8) {
                tooWide = "roi = \(roi.decimalString) (percent) does not fit numeric(8,2)"
            } else {
                tooWide = nil
            }
            if let tooWide {
                problems.append(RejectedRow(source: "analytics_campaignperformance", sourceId: String(t.campaign.id), day: t.asOf,
                                            rejection: Rejection(.valueTooWide, "\(tooWide); campaign \(t.campaign.id) was not written to the shop's table"),
                                            raw: "campaign \(t.campaign.id) \(t.campaign.name) as of \(t.asOf.iso)"))
                continue
            }
            try rows.append(t)
        }
        let table = "\(schema).analytics_campaignperformance"
        return TableChanges(deletes: [SQLStatement("""
            DELETE FROM \(table) WHERE campaign_id = ANY($1::bigint[])
              AND (tracked_at AT TIME ZONE $2)::date = (now() AT TIME ZONE $2)::date
            """, [CampaignStore.array(totals.map(\.campaign.id)), timeZone])],
            writes: [ShopTable.campaignPerformance.write(schema: schema, rows: rows.write)],
            problems: problems)
    }

    // MARK: reading for the report

    /// The Campaigns section for a period (one day for the daily report) as of its last day: every campaign with
    /// its figures, and the daily history (up to the last 30 days, ending on the period's last day) of the campaigns
    /// running during the period or ended within `CampaignReport.recentDays` before it.
    public func report(for period: ShopDayRange) throws -> CampaignReport {
        let day = period.last
        let list = try summaries(day: day)
        var details: [CampaignDetail] = []
        for c in list where c.attributed && c.firstDay <= day && period.first.distance(to: c.lastDay) >= -CampaignReport.recentDays {
            let to = min(day, c.lastDay)
            details.append(CampaignDetail(campaign: c, history: try history(c, ShopDayRange(max(c.firstDay, to.advanced(by: -29)), to))))
        }
        return CampaignReport(day: day, campaigns: list, details: details)
    }

    /// One campaign's page as of `day` (README, "Campaign detail"): its settings, the figures the report of `day` had,
    /// and every day of its window up to `day`; nil when the shop has no campaign with that id.
    public func page(campaign id: Int64, day: ShopDay) throws -> CampaignPage? {
        guard let c = try summaries(day: day, campaign: id).first else { return nil }
        let settings = try CampaignStore.catalog.stored(connection.execute(
            "SELECT discount_type, discount_value::text AS discount_value FROM \(CampaignStore.catalog.name) WHERE campaign_id = $1::bigint",
            [String(id)])).first
        let to = min(day, c.lastDay)
        return CampaignPage(day: day, campaign: c, discountType: try settings?("discount_type") ?? "", discountValue: try settings?("discount_value") ?? "",
                            history: c.firstDay <= to ? try history(c, ShopDayRange(c.firstDay, to)) : [])
    }

    /// Every campaign (or the one with id `campaign`) with the figures a report of `day` shows, newest start first.
    private func summaries(day: ShopDay, campaign: Int64? = nil) throws -> [CampaignSummary] {
        let r = try connection.execute("""
            SELECT c.campaign_id, c.name, c.status, c.target_audience, c.coupon_code, c.first_day, c.last_day, c.budget, c.attributed,
                   p.as_of, p.coupon_orders, p.coupon_revenue, p.discount_given, p.customers_reached, p.customers_converted,
                   p.conversion_rate, p.budget_used, p.audience_revenue, p.baseline_revenue, p.lift, p.uplift, p.lift_unmeasurable,
                   p.return_basis, p.cost, p.cost_basis, p.roi, p.roi_unmeasurable
            FROM \(CampaignStore.catalog.name) c LEFT JOIN LATERAL (
                -- The figures the report of `day` had: as of that day or the latest day before it; for a campaign
                -- that had ended by then, its final figures (as of its last day or later) first.
                SELECT * FROM \(CampaignStore.performance.name) q
                WHERE q.campaign_id = c.campaign_id AND (q.as_of <= $1::date OR c.last_day <= $1::date)
                ORDER BY CASE WHEN q.as_of <= $1::date AND q.as_of >= c.last_day THEN 0 WHEN q.as_of <= $1::date THEN 1 ELSE 2 END,
                         abs(q.as_of - $1::date)
                LIMIT 1) p ON true
            WHERE $2::bigint IS NULL OR c.campaign_id = $2::bigint
            ORDER BY c.first_day DESC, c.campaign_id
            """, [day.iso, campaign.map(String.init)])
        // The campaign's columns and its figures' columns, each read by name with errors naming its own table.
        return try zip(CampaignStore.catalog.stored(r), CampaignStore.performance.stored(r)).map { c, p in
            var figures: CampaignFigures?
            if let asOf = try p("as_of", as: ShopDay?.self) {
                figures = CampaignFigures(asOf: asOf, couponOrders: try p("coupon_orders"), couponRevenue: try p("coupon_revenue"),
                                          discountGiven: try p("discount_given"), customersReached: try p("customers_reached"),
                                          customersConverted: try p("customers_converted"), conversionRate: try p("conversion_rate"),
                                          budgetUsed: try p("budget_used"), audienceRevenue: try p("audience_revenue"),
                                          baselineRevenue: try p("baseline_revenue"), lift: try p("lift"), uplift: try p("uplift"),
                                          liftUnmeasurable: try p("lift_unmeasurable"), returnBasis: try p("return_basis"), cost: try p("cost"),
                                          costBasis: try p("cost_basis"), roi: try p("roi"), roiUnmeasurable: try p("roi_unmeasurable"))
            }
            return CampaignSummary(id: try c("campaign_id"), name: try c("name"), status: try c("status"), audience: try c("target_audience"),
                                   couponCode: try c("coupon_code"), firstDay: try c("first_day"), lastDay: try c("last_day"),
                                   budget: try c("budget"), attributed: try c("attributed"), figures: figures)
        }
    }

    /// A campaign's daily rows over `days`, zero rows where none was computed.
    private func history(_ c: CampaignSummary, _ days: ShopDayRange) throws -> [CampaignDay] {
        let rows = try CampaignStore.daily.read(on: connection, "WHERE campaign_id = $1::bigint AND day BETWEEN $2::date AND $3::date ORDER BY day",
                                                [String(c.id), days.first.iso, days.last.iso])
        let byDay = Dictionary(rows.map { ($0.day, $0) }, uniquingKeysWith: { a, _ in a })
        return days.map { byDay[$0] ?? CampaignDay(campaignId: c.id, day: $0) }
    }

    static func array(_ ids: [Int64]) -> String { "{" + ids.map(String.init).joined(separator: ",") + "}" }
}

extension CampaignStatus: StoredWord {}
extension CampaignUnmeasurable: StoredWord {}
extension CampaignReturnBasis: StoredWord {}
extension CampaignCostBasis: StoredWord {}
