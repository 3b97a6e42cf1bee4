import Analytics
import Postgres
import Shop

/// Campaign tables: `analytics.campaigns` (replaced whole), `analytics.campaign_performance` (per campaign and as-of day),
/// `analytics.campaign_daily` (per day range), the shop's `analytics_campaignperformance`, and the report's reader.
/// Writers expect the caller's transaction.
public struct CampaignStore {
    private let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// Sources of the rejected rows this area keeps without a day (so the day-range delete does not replace them).
    public static let undatedSources = ["analytics_campaign", "analytics_campaignperformance"]

    /// The campaign tables' changes: the catalog replaced whole (with this area's undated rejected rows), the
    /// performance rows of the campaigns `computed` (and none of campaigns no longer `attributed`), and the daily
    /// history of the day `ranges` (every campaign's rows of those days are deleted, then the rows of `history` that
    /// fall in them are written).
    public static func changes(campaigns: [Campaign], totals: [CampaignTotals], computed: [Int64], attributed: [Int64],
                               history: [CampaignDay], ranges: [ShopDayRange], calendar: ShopCalendar, runId: Int64) throws -> TableChanges {
        var deletes = [
            SQLStatement("DELETE FROM analytics.campaigns"),
            SQLStatement("DELETE FROM analytics.rejected_rows WHERE day IS NULL AND source = ANY($1::text[])",
                         ["{" + CampaignStore.undatedSources.joined(separator: ",") + "}"]),
            // Only the rows as of the job's day: rows as of other days stay, so a past day's report keeps its figures.
            SQLStatement("""
                DELETE FROM analytics.campaign_performance
                WHERE (campaign_id = ANY($1::bigint[]) AND as_of = ANY($3::date[])) OR NOT (campaign_id = ANY($2::bigint[]))
                """, [CampaignStore.array(computed), CampaignStore.array(attributed), "{" + Set(totals.map(\.asOf.iso)).sorted().joined(separator: ",") + "}"]),
        ]
        for r in ranges {
            deletes.append(SQLStatement("DELETE FROM analytics.campaign_daily WHERE day BETWEEN $1::date AND $2::date", [r.first.iso, r.last.iso]))
        }
        var catalog = CopyRows()
        for c in campaigns {
            catalog.append(c.id); catalog.append(c.name); catalog.append(c.status.rawValue); catalog.append(c.audience.rawValue)
            catalog.append(c.discountType); catalog.appendScaled(c.discountValue, scale: 2); catalog.append(c.couponCode)
            catalog.append(Instant.utcString(micros: c.start)); catalog.append(Instant.utcString(micros: c.end))
            catalog.append(calendar.day(ofMicros: c.start).iso); catalog.append(calendar.day(ofMicros: c.end).iso)
            catalog.appendScaled(c.budget?.hundredths, scale: 2); catalog.append(c.status.isAttributed); catalog.append(runId)
            try catalog.endRow()
        }
        var performance = CopyRows()
        for t in totals {
            var w = CopyRows()
            w.append(t.campaign.id); w.append(t.asOf.iso); w.append(t.firstDay.iso); w.append(t.lastDay.iso)
            w.append(t.couponOrders); w.money(t.couponRevenue); w.money(t.discountGiven)
            w.append(t.customersReached); w.append(t.customersConverted); w.appendScaled(t.conversionRate.hundredths, scale: 2)
            w.appendScaled(t.budgetUsed?.hundredths, scale: 2); w.money(t.audienceRevenue); w.append(t.baselineFirstDay.iso)
            w.appendScaled(t.baselineRevenue?.hundredths, scale: 2); w.appendScaled(t.lift?.hundredths, scale: 2)
            w.appendScaled(t.uplift?.hundredths, scale: 2); w.append(t.liftUnmeasurable?.rawValue); w.append(t.returnBasis.rawValue)
            w.appendScaled(t.cost?.hundredths, scale: 2); w.append(t.costBasis?.rawValue); w.appendScaled(t.roi?.hundredths, scale: 2)
            w.append(t.roiUnmeasurable?.rawValue); w.append(runId)
            try w.endRow()
            performance.append(contentsOf: w)
        }
        var daily = CopyRows()
        for d in history where ranges.contains(where: { $0.contains(d.day) }) {
            var w = CopyRows()
            w.append(d.day.iso); w.append(d.campaignId); w.append(d.couponOrders)
            w.money(d.couponRevenue); w.money(d.discountGiven); w.append(d.customersReached); w.append(d.customersConverted)
            w.appendScaled(d.conversionRate.hundredths, scale: 2); w.money(d.audienceRevenue); w.append(runId)
            try w.endRow()
            daily.append(contentsOf: w)
        }
        return TableChanges(deletes: deletes, writes: [
            TableWrite(table: "analytics.campaigns", columns: [
                "campaign_id", "name", "status", "target_audience", "discount_type", "discount_value", "coupon_code",
                "start_at", "end_at", "first_day", "last_day", "budget", "attributed", "run_id"], rows: catalog),
            TableWrite(table: "analytics.campaign_performance", columns: [
                "campaign_id", "as_of", "first_day", "last_day", "coupon_orders", "coupon_revenue",
                "discount_given", "customers_reached", "customers_converted", "conversion_rate", "budget_used", "audience_revenue",
                "baseline_first_day", "baseline_revenue", "lift", "uplift", "lift_unmeasurable", "return_basis", "cost", "cost_basis", "roi",
                "roi_unmeasurable", "run_id"], rows: performance),
            TableWrite(table: "analytics.campaign_daily", columns: [
                "day", "campaign_id", "coupon_orders", "coupon_revenue", "discount_given",
                "customers_reached", "customers_converted", "conversion_rate", "audience_revenue", "run_id"], rows: daily),
        ])
    }

    /// One row per computed campaign for the shop's `analytics_campaignperformance` (tracked_at = now()), first
    /// deleting the rows of the same campaigns tracked on the same shop day (so a rerun that day replaces its rows
    /// instead of adding more). The figures are ours: orders_influenced and revenue_generated are the coupon sales and
    /// their revenue, conversion_rate and roi percentages; roi is 0.00 there when it is not measurable (the column
    /// cannot be empty). A row with a value that does not fit (revenue numeric(12,2), conversion_rate numeric(5,2),
    /// roi numeric(8,2)) is not written and comes back as a problem.
    public static func djangoChanges(_ totals: [CampaignTotals], schema: String, timeZone: String) throws -> TableChanges {
        var problems: [RejectedRow] = []
        var rows = CopyRows()
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
                problems.append(RejectedRow(source: "analytics_campaignperformance", sourceId: String(t.campaign.id), day: nil,
                                            rejection: Rejection(.valueTooWide, "\(tooWide); campaign \(t.campaign.id) was not written to the shop's table"),
                                            raw: "campaign \(t.campaign.id) \(t.campaign.name) as of \(t.asOf.iso)"))
                continue
            }
            rows.append(t.campaign.id); rows.append(t.couponOrders); rows.money(t.couponRevenue)
            rows.append(t.customersReached); rows.append(t.customersConverted); rows.appendScaled(t.conversionRate.hundredths, scale: 2)
            rows.appendScaled(t.roi?.hundredths ?? 0, scale: 2)
            try rows.endRow()
        }
        let table = "\(schema).analytics_campaignperformance"
        return TableChanges(deletes: [SQLStatement("""
            DELETE FROM \(table) WHERE campaign_id = ANY($1::bigint[])
              AND (tracked_at AT TIME ZONE $2)::date = (now() AT TIME ZONE $2)::date
            """, [CampaignStore.array(totals.map(\.campaign.id)), timeZone])],
            writes: [ShopTable.campaignPerformance.write(schema: schema, rows: rows)],
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
        let settings = try connection.execute("SELECT discount_type, discount_value FROM analytics.campaigns WHERE campaign_id = $1::bigint",
                                              [String(id)])
        let to = min(day, c.lastDay)
        return CampaignPage(day: day, campaign: c, discountType: settings.rows.first?[0] ?? "", discountValue: settings.rows.first?[1] ?? "",
                            history: c.firstDay <= to ? try history(c, ShopDayRange(c.firstDay, to)) : [])
    }

    /// Every campaign (or the one with id `campaign`) with the figures a report of `day` shows, newest start first.
    private func summaries(day: ShopDay, campaign: Int64? = nil) throws -> [CampaignSummary] {
        let r = try connection.execute("""
            SELECT c.campaign_id, c.name, c.status, c.target_audience, c.coupon_code, c.first_day, c.last_day, c.budget, c.attributed,
                   p.as_of, p.coupon_orders, p.coupon_revenue, p.discount_given, p.customers_reached, p.customers_converted,
                   p.conversion_rate, p.budget_used, p.audience_revenue, p.baseline_revenue, p.lift, p.uplift, p.lift_unmeasurable,
                   p.return_basis, p.cost, p.cost_basis, p.roi, p.roi_unmeasurable
            FROM analytics.campaigns c LEFT JOIN LATERAL (
                -- The figures the report of `day` had: as of that day or the latest day before it; for a campaign
                -- that had ended by then, its final figures (as of its last day or later) first.
                SELECT * FROM analytics.campaign_performance q
                WHERE q.campaign_id = c.campaign_id AND (q.as_of <= $1::date OR c.last_day <= $1::date)
                ORDER BY CASE WHEN q.as_of <= $1::date AND q.as_of >= c.last_day THEN 0 WHEN q.as_of <= $1::date THEN 1 ELSE 2 END,
                         abs(q.as_of - $1::date)
                LIMIT 1) p ON true
            WHERE $2::bigint IS NULL OR c.campaign_id = $2::bigint
            ORDER BY c.first_day DESC, c.campaign_id
            """, [day.iso, campaign.map(String.init)])
        return r.rows.compactMap { c in
            guard let id = Int64(c[0] ?? ""), let first = ShopDay(iso: c[5] ?? ""), let last = ShopDay(iso: c[6] ?? "") else { return nil }
            var figures: CampaignFigures?
            if let asOf = ShopDay(iso: c[9] ?? "") {
                figures = CampaignFigures(asOf: asOf, couponOrders: Int(c[10] ?? "") ?? 0, couponRevenue: storedMoney(c[11]),
                                          discountGiven: storedMoney(c[12]), customersReached: Int(c[13] ?? "") ?? 0,
                                          customersConverted: Int(c[14] ?? "") ?? 0,
                                          conversionRate: storedPercentage(c[15]) ?? Percentage(hundredths: 0), budgetUsed: storedPercentage(c[16]),
                                          audienceRevenue: storedMoney(c[17]), baselineRevenue: c[18].map { storedMoney($0) },
                                          lift: c[19].map { storedMoney($0) }, uplift: storedPercentage(c[20]),
                                          liftUnmeasurable: c[21].flatMap(CampaignUnmeasurable.init(rawValue:)),
                                          returnBasis: CampaignReturnBasis(rawValue: c[22] ?? "") ?? .coupon, cost: c[23].map { storedMoney($0) },
                                          costBasis: c[24].flatMap(CampaignCostBasis.init(rawValue:)), roi: storedPercentage(c[25]),
                                          roiUnmeasurable: c[26].flatMap(CampaignUnmeasurable.init(rawValue:)))
            }
            return CampaignSummary(id: id, name: c[1] ?? "", status: c[2] ?? "", audience: c[3] ?? "", couponCode: c[4] ?? "",
                                   firstDay: first, lastDay: last, budget: c[7].map { storedMoney($0) }, attributed: c[8] == "t", figures: figures)
        }
    }

    /// A campaign's daily rows over `days`, zero rows where none was computed.
    private func history(_ c: CampaignSummary, _ days: ShopDayRange) throws -> [CampaignDay] {
        let h = try connection.execute("""
            SELECT day, coupon_orders, coupon_revenue, discount_given, customers_reached,
                   customers_converted, conversion_rate, audience_revenue
            FROM analytics.campaign_daily WHERE campaign_id = $1::bigint AND day BETWEEN $2::date AND $3::date ORDER BY day
            """, [String(c.id), days.first.iso, days.last.iso])
        var byDay: [ShopDay: CampaignDay] = [:]
        for row in h.rows {
            guard let d = ShopDay(iso: row[0] ?? "") else { continue }
            var x = CampaignDay(campaignId: c.id, day: d)
            x.couponOrders = Int(row[1] ?? "") ?? 0
            x.couponRevenue = storedMoney(row[2]); x.discountGiven = storedMoney(row[3])
            x.customersReached = Int(row[4] ?? "") ?? 0; x.customersConverted = Int(row[5] ?? "") ?? 0
            x.conversionRate = storedPercentage(row[6]) ?? Percentage(hundredths: 0); x.audienceRevenue = storedMoney(row[7])
            byDay[d] = x
        }
        return days.map { byDay[$0] ?? CampaignDay(campaignId: c.id, day: $0) }
    }

    static func array(_ ids: [Int64]) -> String { "{" + ids.map(String.init).joined(separator: ",") + "}" }
}

/// A stored numeric(_,2) percentage.
func storedPercentage(_ text: String?) -> Percentage? {
    text.flatMap { Money(decimal: $0) }.map { Percentage(hundredths: $0.hundredths) }
}

/// A stored numeric(_,2) amount; zero for NULL.
func storedMoney(_ text: String?) -> Money { text.flatMap { Money(decimal: $0) } ?? .zero }
