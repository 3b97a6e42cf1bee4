import Analytics
import Foundation
import Postgres
import Shop

/// Writes the customer analysis into `analytics.customer_*`, `cohorts`, `program_summary` and `churn_model_fit`
/// (inside the caller's load transaction), fills the shop's `analytics_customermetrics` on request, and reads the
/// report's figures back.
public struct CustomerStore {
    private let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// The customer tables' changes: the whole of `customer_metrics` and the as-of day's rows of the small tables are
    /// replaced. `names`: display names of the users on the lists.
    public static func changes(_ a: CustomerAnalysis, names: [Int64: String], runId: Int64) throws -> TableChanges {
        let asOf = a.asOf.iso
        var deletes = [SQLStatement("TRUNCATE analytics.customer_metrics")]
        for table in ["customer_segments", "customer_rfm", "customer_lists", "cohorts", "program_summary", "customer_model_totals", "model_check"] {
            deletes.append(SQLStatement("DELETE FROM analytics.\(table) WHERE as_of = $1::date", [asOf]))
        }
        var w = CopyRows()  // customer_metrics
        for i in 0..<a.count {
            let m = a.metrics(at: i)
            w.append(m.userId); w.append(asOf); w.append(m.totalOrders); w.money(m.totalSpent); w.money(m.averageOrderValue)
            w.append(m.firstOrderAt.map { Instant.utcString(micros: $0) }); w.append(m.lastOrderAt.map { Instant.utcString(micros: $0) })
            w.append(m.daysSinceLastOrder); w.money(m.lifetimeValue); w.append(m.churnRisk); w.append(m.vipTier?.capitalised)
            w.append(m.subscriptionActive); w.append(m.loyaltyPointsEarned); w.append(m.loyaltyPointsRedeemed)
            w.money(m.loyaltyValueRedeemed); w.append(m.referralCount); w.money(m.referralEarnings)
            w.money(m.totalDiscountsReceived); w.money(m.vipDiscountsReceived)
            for s in [CustomerSegment.vip, .subscribed, .highValue, .inactive, .new] { w.append(m.segments.contains(s)) }
            w.append(m.rfm?.r); w.append(m.rfm?.f); w.append(m.rfm?.m); w.append(m.rfmGroup.rawValue)
            w.append(m.history?.frequency); w.append(m.history.map { Int($0.recency) }); w.append(m.history.map { Int($0.age) })
            let p = m.prediction
            w.double(p?.probabilityAlive); w.double(p?.expectedSales30); w.double(p?.expectedSales90)
            w.appendScaled(p?.expectedValue?.hundredths, scale: 2); w.appendScaled(p?.clv12Months?.hundredths, scale: 2)
            w.append(runId)
            try w.endRow()
        }
        var segments = CopyRows()
        for s in a.segmentCounts {
            segments.append(asOf); segments.append(s.segment.rawValue); segments.append(s.customers); segments.money(s.lifetimeValue)
            segments.append(s.segment.rule(a.rules)); segments.append(runId)
            try segments.endRow()
        }
        var rfm = CopyRows()
        for g in a.rfmGroupCounts {
            rfm.append(asOf); rfm.append(g.group.rawValue); rfm.append(g.customers); rfm.money(g.lifetimeValue); rfm.append(g.group.rule)
            rfm.append(runId)
            try rfm.endRow()
        }
        var lists = CopyRows()
        for (list, entries) in [("top_lifetime_value", a.topByLifetimeValue), ("at_risk", a.atRisk)] {
            for e in entries {
                lists.append(asOf); lists.append(list); lists.append(e.rank); lists.append(e.userId); lists.append(names[e.userId] ?? "user \(e.userId)")
                lists.money(e.lifetimeValue); lists.append(e.totalOrders); lists.append(e.daysSinceLastOrder); lists.append(e.rfmGroup.rawValue)
                lists.double(e.probabilityAlive); lists.append(e.action?.rawValue); lists.append(e.action?.label); lists.append(runId)
                try lists.endRow()
            }
        }
        var cohorts = CopyRows()
        for c in a.cohorts {
            for (k, buyers) in c.buyers.enumerated() {
                cohorts.append(asOf); cohorts.append(c.month.iso); cohorts.append(k); cohorts.append(buyers); cohorts.append(c.size)
                cohorts.share(k == 0 ? 1 : c.share(k)); cohorts.append(runId)
                try cohorts.endRow()
            }
        }
        var programs = CopyRows()
        for f in a.programFigures {
            programs.append(asOf); programs.append(f.program); programs.append(f.figure); programs.append(f.count)
            programs.appendScaled(f.amount?.hundredths, scale: 2); programs.share(f.share); programs.append(runId)
            try programs.endRow()
        }
        return TableChanges(deletes: deletes, writes: [
            TableWrite(table: "analytics.customer_metrics", columns: [
                "user_id", "as_of", "total_orders", "total_spent", "average_order_value", "first_order_date",
                "last_order_date", "days_since_last_order", "lifetime_value", "churn_risk", "vip_tier_current", "subscription_active",
                "loyalty_points_earned", "loyalty_points_redeemed", "loyalty_value_redeemed", "referral_count", "referral_earnings",
                "total_discounts_received", "vip_discounts_received", "is_vip", "is_subscribed", "is_high_value", "is_inactive", "is_new",
                "rfm_recency", "rfm_frequency", "rfm_monetary", "rfm_group", "frequency", "recency_days", "age_days", "probability_alive",
                "expected_sales_30d", "expected_sales_90d", "expected_order_value", "clv_12_months", "run_id"], rows: w),
            TableWrite(table: "analytics.customer_segments", columns: ["as_of", "segment", "customers", "lifetime_value", "rule", "run_id"],
                       rows: segments),
            TableWrite(table: "analytics.customer_rfm", columns: ["as_of", "rfm_group", "customers", "lifetime_value", "rule", "run_id"], rows: rfm),
            TableWrite(table: "analytics.customer_lists", columns: [
                "as_of", "list", "rank", "user_id", "customer_name", "lifetime_value", "total_orders",
                "days_since_last_order", "rfm_group", "probability_alive", "action", "action_label", "run_id"], rows: lists),
            TableWrite(table: "analytics.cohorts", columns: ["as_of", "cohort_month", "months_after", "customers", "cohort_size", "share", "run_id"],
                       rows: cohorts),
            TableWrite(table: "analytics.program_summary", columns: ["as_of", "program", "figure", "count", "amount", "share", "run_id"],
                       rows: programs),
            try modelCheck(a, runId: runId),
            try fit(a, runId: runId),
            try modelTotals(a, runId: runId),
        ])
    }

    /// The purchase model's totals as of the analysis day (`customer_model_totals`, one row per as-of day, none when no
    /// customer has a prediction): what the report's "Expected sales" and "CLV" cards show, kept so that a past day
    /// re-renders with them after `customer_metrics` moved on to another day. The same totals a sum over the stored
    /// rows gives: a non-finite estimate is stored as NULL there and not added here.
    private static func modelTotals(_ a: CustomerAnalysis, runId: Int64) throws -> TableWrite {
        var predicted = 0, sales30 = 0.0, sales90 = 0.0, clv: Money?
        for i in 0..<a.count {
            guard let p = a.metrics(at: i).prediction, p.probabilityAlive.isFinite else { continue }
            predicted += 1
            if p.expectedSales30.isFinite { sales30 += p.expectedSales30 }
            if p.expectedSales90.isFinite { sales90 += p.expectedSales90 }
            if let v = p.clv12Months { clv = (clv ?? .zero) + v }
        }
        var w = CopyRows()
        if predicted > 0 {
            w.append(a.asOf.iso); w.append(predicted); w.double(sales30); w.double(sales90)
            w.appendScaled(clv?.hundredths, scale: 2); w.append(runId)
            try w.endRow()
        }
        return TableWrite(table: "analytics.customer_model_totals", columns: [
            "as_of", "customers_predicted", "expected_sales_30d", "expected_sales_90d", "clv_12_months", "run_id"], rows: w)
    }

    /// The model check's lines for the as-of day (`ModelCheck`); none when it was not run.
    private static func modelCheck(_ a: CustomerAnalysis, runId: Int64) throws -> TableWrite {
        var w = CopyRows()
        if let check = a.model.check {
            for (kind, rows) in [("purchases", check.purchases), ("at_risk", check.atRisk)] {
                for (k, r) in rows.enumerated() {
                    w.append(a.asOf.iso); w.append(check.fittedTo.iso); w.append(kind); w.append(k); w.append(r.label); w.append(r.customers)
                    w.double(r.predicted); w.append(r.actual); w.append(runId)
                    try w.endRow()
                }
            }
        }
        return TableWrite(table: "analytics.model_check", columns: ["as_of", "fitted_to", "kind", "position", "label", "customers", "predicted",
                                                                    "actual", "run_id"], rows: w)
    }

    /// The model fits (purchase, spend, and the check's purchase fit: one row each), kept for every run.
    private static func fit(_ a: CustomerAnalysis, runId: Int64) throws -> TableWrite {
        let m = a.model
        func json(_ pairs: [(String, Double)]) -> String {
            "{" + pairs.map { "\"\($0.0)\": \($0.1.isFinite ? String($0.1) : "null")" }.joined(separator: ", ") + "}"
        }
        func purchaseModel(_ name: String, _ bg: BGNBDFit?, note: String?) -> [String?] {
            [name, String(bg != nil), bg.map { json([("r", $0.parameters.r), ("alpha", $0.parameters.alpha), ("a", $0.parameters.a), ("b", $0.parameters.b)]) },
             bg.map { String($0.logLikelihood) }, String(bg?.customers ?? 0), bg.map { String($0.distinctHistories) },
             String(bg?.converged ?? false), bg.map { String($0.evaluations) }, note,
             bg.map { String($0.converged && $0.parameters.findsDropout) }]
        }
        var rows: [[String?]] = [purchaseModel("bg_nbd", m.purchases, note: m.note)]
        let gg = m.spend
        var spendParameters = gg.map { [("p", $0.parameters.p), ("q", $0.parameters.q), ("v", $0.parameters.v)] }
        if let cap = m.spendValueCap { spendParameters?.append(("value_cap", cap)) }
        rows.append(["gamma_gamma", String(gg != nil), spendParameters.map(json),
                     gg.map { String($0.logLikelihood) }, String(gg?.customers ?? 0), nil,
                     String(gg?.converged ?? false), gg.map { String($0.evaluations) }, m.spendNote, nil])
        rows.append(purchaseModel("bg_nbd_check", m.check?.fit,
                                  note: m.checkNote ?? m.check.map { "fitted on the sales up to \($0.fittedTo.iso) to check the \(ModelCheck.horizonDays) days after" }))
        var w = CopyRows()
        for r in rows {
            w.append(runId); w.append(a.asOf.iso); w.append(r[0]); w.append(r[1]); w.append(r[0] == "gamma_gamma" ? "rwf" : CustomerModelFit.timeUnit)
            for k in 2...9 { w.append(r[k]) }
            try w.endRow()
        }
        return TableWrite(table: "analytics.churn_model_fit", columns: [
            "run_id", "as_of", "model", "fitted", "time_unit", "parameters", "log_likelihood", "customers_used",
            "distinct_points", "converged", "evaluations", "note", "dropout_found"], rows: w)
    }

    /// One row per customer for the shop's `analytics_customermetrics`, upserted on its unique `user_id`. A customer
    /// with a value too wide for the shop's columns (numeric(12,2), numeric(10,2), integer) is not written and comes
    /// back as a `value_too_wide` problem. Rows of users who are no longer customers are left alone.
    public static func djangoChanges(_ a: CustomerAnalysis, schema: String = "public") throws -> TableChanges {
        var problems: [RejectedRow] = []
        var w = ShopTable.customerMetricsRows.rows()
        for i in 0..<a.count {
            let m = a.metrics(at: i)
            let money: [(String, Money, Int)] = [("total_spent", m.totalSpent, 12), ("average_order_value", m.averageOrderValue, 10),
                                                 ("lifetime_value", m.lifetimeValue, 12), ("loyalty_value_redeemed", m.loyaltyValueRedeemed, 12),
                                                 ("referral_earnings", m.referralEarnings, 12),
                                                 ("total_discounts_received", m.totalDiscountsReceived, 12),
                                                 ("vip_discounts_received", m.vipDiscountsReceived, 12)]
            let ints: [(String, Int64)] = [("user_id", m.userId), ("total_orders", Int64(m.totalOrders)),
                                           ("days_since_last_order", Int64(m.daysSinceLastOrder)),
                                           ("loyalty_points_earned", m.loyaltyPointsEarned), ("loyalty_points_redeemed", m.loyaltyPointsRedeemed),
                                           ("referral_count", Int64(m.referralCount))]
            var problem: String?
            if let bad = money.first(where: { !DjangoTables.fits($0.1, precision: $0.2) }) {
                problem = "\(bad.0) = \(bad.1.decimalString) does not fit numeric(\(bad.2),2)"
            } else if let bad = ints.first(where: { $0.1 < Int64(Int32.min) || $0.1 > Int64(Int32.max) }) {
                problem = "\(bad.0) = \(bad.1) does not fit integer"
            }
            if let problem {
                problems.append(RejectedRow(source: "analytics_customermetrics", sourceId: String(m.userId), day: a.asOf,
                                            rejection: Rejection(.valueTooWide, problem + "; the customer was not written to the shop's table"),
                                            raw: "user \(m.userId)"))
                continue
            }
            try w.append(m)
        }
        return TableChanges(writes: [ShopTable.customerMetrics.write(schema: schema, rows: w.write)], problems: problems)
    }

    /// The parameters of the last run's purchase and spend fits (README, "Settled fits"), each nil unless that fit
    /// converged. `churn_model_fit` keeps each parameter as the shortest text that reads back as the same Double, in
    /// jsonb (an exact decimal), so they come back to the last bit.
    public func lastFits() throws -> (purchases: BGNBDParameters?, spend: GammaGammaParameters?) {
        let r = try connection.execute("""
            SELECT model, parameters->>'r', parameters->>'alpha', parameters->>'a', parameters->>'b',
                   parameters->>'p', parameters->>'q', parameters->>'v'
            FROM analytics.churn_model_fit
            WHERE run_id = (SELECT max(run_id) FROM analytics.churn_model_fit WHERE model = 'bg_nbd')
              AND model IN ('bg_nbd', 'gamma_gamma') AND fitted AND converged
            """)
        var purchases: BGNBDParameters?, spend: GammaGammaParameters?
        for row in r.rows {
            let v = row.dropFirst().map { $0.flatMap(Double.init) }
            if row[0] == "bg_nbd", let r = v[0], let alpha = v[1], let a = v[2], let b = v[3] {
                purchases = BGNBDParameters(r: r, alpha: alpha, a: a, b: b)
            } else if row[0] == "gamma_gamma", let p = v[4], let q = v[5], let vv = v[6] {
                spend = GammaGammaParameters(p: p, q: q, v: vv)
            }
        }
        return (purchases, spend)
    }

    // MARK: reading back for the report

    /// The customer figures as of `day` (a report's last day); `nil` if they were never computed for that day. Never
    /// another day's figures: a past period re-renders with the figures it had.
    public func report(for day: ShopDay) throws -> CustomerReport? {
        guard try connection.scalar("SELECT 1 FROM analytics.customer_segments WHERE as_of = $1::date LIMIT 1", [day.iso]) != nil else { return nil }
        let asOf = day
        let p = [asOf.iso]
        func money(_ t: String?) -> Money { t.flatMap { Money(decimal: $0) } ?? .zero }
        var report = CustomerReport(asOf: asOf)
        let seg = try connection.execute("SELECT segment, customers, lifetime_value, rule FROM analytics.customer_segments WHERE as_of = $1::date", p)
        let segments = Dictionary(seg.rows.map { ($0[0] ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        report.segments = CustomerSegment.allCases.compactMap { s in
            segments[s.rawValue].map { CustomerReport.Count(key: s.rawValue, label: s.label, customers: Int($0[1] ?? "") ?? 0, lifetimeValue: money($0[2]), rule: $0[3] ?? "") }
        }
        let rfm = try connection.execute("SELECT rfm_group, customers, lifetime_value, rule FROM analytics.customer_rfm WHERE as_of = $1::date", p)
        let groups = Dictionary(rfm.rows.map { ($0[0] ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        report.rfmGroups = RFMGroup.allCases.compactMap { g in
            groups[g.rawValue].map { CustomerReport.Count(key: g.rawValue, label: g.label, customers: Int($0[1] ?? "") ?? 0, lifetimeValue: money($0[2]), rule: $0[3] ?? "") }
        }
        let lists = try connection.execute("""
            SELECT list, rank, user_id, customer_name, lifetime_value, total_orders, days_since_last_order, rfm_group, probability_alive, action_label
            FROM analytics.customer_lists WHERE as_of = $1::date ORDER BY list, rank
            """, p)
        for r in lists.rows {
            let row = CustomerReport.ListRow(rank: Int(r[1] ?? "") ?? 0, userId: Int64(r[2] ?? "") ?? 0, name: r[3] ?? "", lifetimeValue: money(r[4]),
                                             totalOrders: Int(r[5] ?? "") ?? 0, daysSinceLastOrder: Int(r[6] ?? "") ?? 0,
                                             rfmGroup: RFMGroup(rawValue: r[7] ?? "")?.label ?? (r[7] ?? ""),
                                             probabilityAlive: r[8].flatMap(Double.init), action: r[9])
            if r[0] == "at_risk" { report.atRisk.append(row) } else { report.top.append(row) }
        }
        let co = try connection.execute("SELECT cohort_month::text, months_after, customers FROM analytics.cohorts WHERE as_of = $1::date ORDER BY cohort_month, months_after", p)
        var cohorts: [(ShopDay, [Int])] = []
        for r in co.rows {
            guard let m = ShopDay(iso: r[0] ?? "") else { continue }
            if cohorts.last?.0 != m { cohorts.append((m, [])) }
            cohorts[cohorts.count - 1].1.append(Int(r[2] ?? "") ?? 0)
        }
        report.cohorts = cohorts.map { CohortRow(month: $0.0, buyers: $0.1) }
        let pr = try connection.execute("SELECT program, figure, count, amount, share FROM analytics.program_summary WHERE as_of = $1::date", p)
        let order = CustomerProgramOrder.figures
        report.programs = pr.rows.map { r in
            ProgramFigure(program: r[0] ?? "", figure: r[1] ?? "", count: r[2].flatMap { Int64($0) }, amount: r[3].flatMap { Money(decimal: $0) },
                          share: r[4].flatMap(Double.init))
        }.sorted { (order[$0.program + "/" + $0.figure] ?? Int.max, $0.figure) < (order[$1.program + "/" + $1.figure] ?? Int.max, $1.figure) }
        let fits = try connection.execute("""
            SELECT model, fitted, time_unit, parameters::text, log_likelihood, customers_used, distinct_points, converged, note, dropout_found
            FROM analytics.churn_model_fit
            WHERE run_id = (SELECT max(run_id) FROM analytics.churn_model_fit WHERE as_of = $1::date) ORDER BY model
            """, p)
        report.fits = fits.rows.map { r in
            var params: [(String, Double)] = []
            if let text = r[3], let data = text.data(using: .utf8),
               let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
                let keys = r[0] == "gamma_gamma" ? ["p", "q", "v", "value_cap"] : ["r", "alpha", "a", "b"]
                params = keys.compactMap { k in (object[k] as? NSNumber).map { (k, $0.doubleValue) } }
            }
            return CustomerReport.ModelFit(model: r[0] ?? "", fitted: r[1] == "t", timeUnit: r[2] ?? "", parameters: params,
                                           logLikelihood: r[4].flatMap(Double.init), customersUsed: Int(r[5] ?? "") ?? 0,
                                           distinctPoints: r[6].flatMap { Int($0) }, converged: r[7] == "t", note: r[8],
                                           dropoutFound: r[9].map { $0 == "t" } ?? legacyDropout(model: r[0], converged: r[7] == "t", params))
        }
        let check = try connection.execute("""
            SELECT fitted_to, kind, label, customers, predicted, actual FROM analytics.model_check
            WHERE as_of = (SELECT max(as_of) FROM analytics.model_check WHERE as_of <= $1::date) ORDER BY kind DESC, position
            """, p)
        for r in check.rows {
            report.checkFittedTo = ShopDay(iso: r[0] ?? "")
            let row = ModelCheck.Row(label: r[2] ?? "", customers: Int(r[3] ?? "") ?? 0, predicted: r[4].flatMap(Double.init), actual: Int(r[5] ?? "") ?? 0)
            if r[1] == "purchases" { report.checkPurchases.append(row) } else { report.checkAtRisk.append(row) }
        }
        // The model's totals as of that day, kept per day (customer_metrics holds only the latest computation, so
        // summing it would lose a past day's totals once a later job ran).
        let sums = try connection.execute("""
            SELECT expected_sales_30d, expected_sales_90d, clv_12_months::text, customers_predicted
            FROM analytics.customer_model_totals WHERE as_of = $1::date
            """, p)
        if let r = sums.rows.first, (Int(r[3] ?? "") ?? 0) > 0 {
            report.expectedSales30 = r[0].flatMap(Double.init); report.expectedSales90 = r[1].flatMap(Double.init)
            report.clv12Months = r[2].flatMap { Money(decimal: $0) }
        }
        return report
    }
}

/// Whether a purchase-model fit logged before the dropout flag existed found dropout, from its parameters.
private func legacyDropout(model: String?, converged: Bool, _ params: [(String, Double)]) -> Bool? {
    guard model != "gamma_gamma", let a = params.first(where: { $0.0 == "a" })?.1, let b = params.first(where: { $0.0 == "b" })?.1 else { return nil }
    return converged && BGNBDParameters(r: 1, alpha: 1, a: a, b: b).findsDropout
}

/// The order program figures are shown in: as `CustomerAnalysis.programFigures` lists them.
enum CustomerProgramOrder {
    static let figures: [String: Int] = {
        let names = ["customers/customers", "customers/customers_with_sales", "customers/repeat_customers", "customers/repeat_purchase_rate",
                     "customers/sales_counted", "customers/sales_of_non_customers", "loyalty/points_earned", "loyalty/points_redeemed",
                     "loyalty/value_redeemed", "loyalty/customers_with_points", "loyalty/sales_using_points",
                     "loyalty/share_of_sales_using_points", "referral/referrals_made", "referral/completed", "referral/pending",
                     "referral/expired", "referral/cancelled", "referral/conversion", "referral/bonuses_paid", "referral/bonus_points",
                     "referral/referred_customers", "referral/referred_customers_with_sales", "referral/sales_from_referred",
                     "referral/revenue_from_referred"]
        return Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
    }()
}

extension CopyEncoder {
    /// A model estimate; NULL for nil or a non-finite value.
    mutating func double(_ v: Double?) {
        guard let v, v.isFinite else { return appendNull() }
        append(String(v))
    }

    /// A share as numeric(7,4), rounded half away from zero to 4 decimals; NULL for nil.
    mutating func share(_ v: Double?) {
        guard let v, v.isFinite else { return appendNull() }
        appendScaled(Int64((v * 10_000).rounded()), scale: 4)
    }
}
