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
        var deletes = [SQLStatement("TRUNCATE \(metrics.name)")]
        for table in [segments.name, rfmGroups.name, lists.name, cohorts.name, programs.name, modelTotals.name, modelCheck.name] {
            deletes.append(SQLStatement("DELETE FROM \(table) WHERE as_of = $1::date", [asOf]))
        }
        let stamps: [any StoredValue] = [a.asOf, runId]
        let segmentRows = a.segmentCounts.map {
            CustomerReport.Count(key: $0.segment.rawValue, label: $0.segment.label, customers: $0.customers, lifetimeValue: $0.lifetimeValue,
                                 rule: $0.segment.rule(a.rules))
        }
        let groupRows = a.rfmGroupCounts.map {
            CustomerReport.Count(key: $0.group.rawValue, label: $0.group.label, customers: $0.customers, lifetimeValue: $0.lifetimeValue,
                                 rule: $0.group.rule)
        }
        let listRows = [("top_lifetime_value", a.topByLifetimeValue), ("at_risk", a.atRisk)].flatMap { list, entries in
            entries.map { (list: list, entry: $0, name: names[$0.userId] ?? "user \($0.userId)") }
        }
        let cohortRows = a.cohorts.flatMap { c in
            c.buyers.enumerated().map { k, buyers in (cohort: c, monthsAfter: k, customers: buyers) }
        }
        return TableChanges(deletes: deletes, writes: [
            try metrics.write(count: a.count, stamps: stamps) { a.metrics(at: $0) }.refilling(),  // emptied by the TRUNCATE above
            try segments.write(segmentRows, stamps: stamps),
            try rfmGroups.write(groupRows, stamps: stamps),
            try lists.write(listRows, stamps: stamps),
            try cohorts.write(cohortRows, stamps: stamps),
            try programs.write(a.programFigures, stamps: stamps),
            try modelCheckWrite(a, runId: runId),
            try fit(a, runId: runId),
            try modelTotalsWrite(a, runId: runId),
        ])
    }

    // MARK: the tables

    /// Every customer's figures as of the last computation (README, "Customer metrics"); `as_of` and `run_id` are stamps.
    public static let metrics = WarehouseTable<CustomerMetrics>("analytics.customer_metrics", stamps: ["as_of", "run_id"], [
        Column("user_id", \.userId), Column("total_orders", \.totalOrders), Column("total_spent", \.totalSpent),
        Column("average_order_value", \.averageOrderValue),
        Column("first_order_date") { $0.firstOrderAt.map(UTCTime.init(micros:)) },
        Column("last_order_date") { $0.lastOrderAt.map(UTCTime.init(micros:)) },
        Column("days_since_last_order", \.daysSinceLastOrder), Column("lifetime_value", \.lifetimeValue), Column("churn_risk", \.churnRisk),
        Column("vip_tier_current") { $0.vipTier?.capitalised }, Column("subscription_active", \.subscriptionActive),
        Column("loyalty_points_earned", \.loyaltyPointsEarned), Column("loyalty_points_redeemed", \.loyaltyPointsRedeemed),
        Column("loyalty_value_redeemed", \.loyaltyValueRedeemed), Column("referral_count", \.referralCount),
        Column("referral_earnings", \.referralEarnings), Column("total_discounts_received", \.totalDiscountsReceived),
        Column("vip_discounts_received", \.vipDiscountsReceived),
        Column("is_vip") { $0.segments.contains(.vip) }, Column("is_subscribed") { $0.segments.contains(.subscribed) },
        Column("is_high_value") { $0.segments.contains(.highValue) }, Column("is_inactive") { $0.segments.contains(.inactive) },
        Column("is_new") { $0.segments.contains(.new) },
        Column("rfm_recency") { $0.rfm?.r }, Column("rfm_frequency") { $0.rfm?.f }, Column("rfm_monetary") { $0.rfm?.m },
        Column("rfm_group", \.rfmGroup), Column("frequency") { $0.history?.frequency }, Column("recency_days") { $0.history.map { Int($0.recency) } },
        Column("age_days") { $0.history.map { Int($0.age) } },
        Column("probability_alive") { $0.prediction?.probabilityAlive }, Column("expected_sales_30d") { $0.prediction?.expectedSales30 },
        Column("expected_sales_90d") { $0.prediction?.expectedSales90 }, Column("expected_order_value") { $0.prediction?.expectedValue },
        Column("clv_12_months") { $0.prediction?.clv12Months },
    ])

    /// Customers and lifetime value per segment, with the segment's rule in words.
    public static let segments = WarehouseTable<CustomerReport.Count>("analytics.customer_segments", stamps: ["as_of", "run_id"], blank: blankCount, [
        Column("segment", \.key), Column("customers", \.customers), Column("lifetime_value", \.lifetimeValue), Column("rule", \.rule),
    ])

    /// Customers and lifetime value per RFM group, with the group's rule in words.
    public static let rfmGroups = WarehouseTable<CustomerReport.Count>("analytics.customer_rfm", stamps: ["as_of", "run_id"], blank: blankCount, [
        Column("rfm_group", \.key), Column("customers", \.customers), Column("lifetime_value", \.lifetimeValue), Column("rule", \.rule),
    ])

    @Sendable private static func blankCount() -> CustomerReport.Count {
        CustomerReport.Count(key: "", label: "", customers: 0, lifetimeValue: .zero, rule: "")
    }

    /// The top customers by lifetime value and the customers at risk, ranked, with the action suggested.
    public static let lists = WarehouseTable<(list: String, entry: CustomerListEntry, name: String)>(
        "analytics.customer_lists", stamps: ["as_of", "run_id"], [
            Column("list") { $0.list }, Column("rank") { $0.entry.rank }, Column("user_id") { $0.entry.userId },
            Column("customer_name") { $0.name }, Column("lifetime_value") { $0.entry.lifetimeValue }, Column("total_orders") { $0.entry.totalOrders },
            Column("days_since_last_order") { $0.entry.daysSinceLastOrder }, Column("rfm_group") { $0.entry.rfmGroup },
            Column("probability_alive") { $0.entry.probabilityAlive }, Column("action") { $0.entry.action?.rawValue },
            Column("action_label") { $0.entry.action?.label },
        ])

    /// Each monthly cohort's buyers k months after its first month (k = 0 is the cohort's size, share 1).
    public static let cohorts = WarehouseTable<(cohort: CohortRow, monthsAfter: Int, customers: Int)>(
        "analytics.cohorts", stamps: ["as_of", "run_id"], [
            Column("cohort_month") { $0.cohort.month }, Column("months_after") { $0.monthsAfter }, Column("customers") { $0.customers },
            Column("cohort_size") { $0.cohort.size }, Column("share") { Share($0.monthsAfter == 0 ? 1 : $0.cohort.share($0.monthsAfter)) },
        ])

    /// The loyalty, referral and customer programs' figures (README, "Program summaries").
    public static let programs = WarehouseTable<ProgramFigure>("analytics.program_summary", stamps: ["as_of", "run_id"], [
        Column("program", \.program), Column("figure", \.figure), Column("count", \.count), Column("amount", \.amount),
        Column("share") { Share($0.share) },
    ])

    /// The purchase model's totals per as-of day.
    public static let modelTotals = WarehouseTable<(customers: Int, sales30: Double, sales90: Double, clv: Money?)>(
        "analytics.customer_model_totals", stamps: ["as_of", "run_id"], [
            Column("customers_predicted") { $0.customers }, Column("expected_sales_30d") { $0.sales30 },
            Column("expected_sales_90d") { $0.sales90 }, Column("clv_12_months") { $0.clv },
        ])

    /// The model check's lines (`ModelCheck`) per as-of day.
    public static let modelCheck = WarehouseTable<(fittedTo: ShopDay, kind: String, position: Int, row: ModelCheck.Row)>(
        "analytics.model_check", stamps: ["as_of", "run_id"], [
            Column("fitted_to") { $0.fittedTo }, Column("kind") { $0.kind }, Column("position") { $0.position },
            Column("label") { $0.row.label }, Column("customers") { $0.row.customers }, Column("predicted") { $0.row.predicted },
            Column("actual") { $0.row.actual },
        ])

    /// The purchase model's totals as of the analysis day (`customer_model_totals`, one row per as-of day, none when no
    /// customer has a prediction): what the report's "Expected sales" and "CLV" cards show, kept so that a past day
    /// re-renders with them after `customer_metrics` moved on to another day. The same totals a sum over the stored
    /// rows gives: a non-finite estimate is stored as NULL there and not added here.
    private static func modelTotalsWrite(_ a: CustomerAnalysis, runId: Int64) throws -> TableWrite {
        var predicted = 0, sales30 = 0.0, sales90 = 0.0, clv: Money?
        for i in 0..<a.count {
            guard let p = a.prediction(at: i), p.probabilityAlive.isFinite else { continue }
            predicted += 1
            if p.expectedSales30.isFinite { sales30 += p.expectedSales30 }
            if p.expectedSales90.isFinite { sales90 += p.expectedSales90 }
            if let v = p.clv12Months { clv = (clv ?? .zero) + v }
        }
        let rows = predicted > 0 ? [(customers: predicted, sales30: sales30, sales90: sales90, clv: clv)] : []
        return try modelTotals.write(rows, stamps: [a.asOf, runId])
    }

    /// The model check's lines for the as-of day (`ModelCheck`); none when it was not run.
    private static func modelCheckWrite(_ a: CustomerAnalysis, runId: Int64) throws -> TableWrite {
        let rows = a.model.check.map { check in
            [("purchases", check.purchases), ("at_risk", check.atRisk)].flatMap { kind, rows in
                rows.enumerated().map { k, r in (fittedTo: check.fittedTo, kind: kind, position: k, row: r) }
            }
        } ?? []
        return try modelCheck.write(rows, stamps: [a.asOf, runId])
    }

    /// The model fits (purchase, spend, and the check's purchase fit: one row each), kept for every run.
    private static func fit(_ a: CustomerAnalysis, runId: Int64) throws -> TableWrite {
        let m = a.model
        func json(_ pairs: [(String, Double)]) -> String {
            "{" + pairs.map { "\"\($0.0)\": \($0.1.isFinite ? String($0.1) : "null")" }.joined(separator: ", ") + "}"
        }
        func purchaseModel(_ name: String, _ bg: BGNBDFit?, note: String?) -> ModelFitRow {
            ModelFitRow(model: name, fitted: bg != nil, timeUnit: CustomerModelFit.timeUnit,
                        parameters: bg.map { json([("r", $0.parameters.r), ("alpha", $0.parameters.alpha), ("a", $0.parameters.a), ("b", $0.parameters.b)]) },
                        logLikelihood: bg?.logLikelihood, customersUsed: bg?.customers ?? 0, distinctPoints: bg?.distinctHistories,
                        converged: bg?.converged ?? false, evaluations: bg?.evaluations, note: note,
                        dropoutFound: bg.map { $0.converged && $0.parameters.findsDropout })
        }
        let gg = m.spend
        var spendParameters = gg.map { [("p", $0.parameters.p), ("q", $0.parameters.q), ("v", $0.parameters.v)] }
        if let cap = m.spendValueCap { spendParameters?.append(("value_cap", cap)) }
        let rows = [
            purchaseModel("bg_nbd", m.purchases, note: m.note),
            ModelFitRow(model: "gamma_gamma", fitted: gg != nil, timeUnit: "rwf", parameters: spendParameters.map(json),
                        logLikelihood: gg?.logLikelihood, customersUsed: gg?.customers ?? 0, distinctPoints: nil,
                        converged: gg?.converged ?? false, evaluations: gg?.evaluations, note: m.spendNote, dropoutFound: nil),
            purchaseModel("bg_nbd_check", m.check?.fit,
                          note: m.checkNote ?? m.check.map { "fitted on the sales up to \($0.fittedTo.iso) to check the \(ModelCheck.horizonDays) days after" }),
        ]
        return try modelFits.write(rows, stamps: [a.asOf, runId])
    }

    /// One model fit as `churn_model_fit` keeps it.
    public struct ModelFitRow: Sendable {
        var model: String, fitted: Bool, timeUnit: String
        /// jsonb text: each parameter as the shortest text that reads back as the same Double.
        var parameters: String?
        var logLikelihood: Double?, customersUsed: Int, distinctPoints: Int?, converged: Bool, evaluations: Int?, note: String?
        var dropoutFound: Bool?
    }

    /// The model fits, kept for every run (README, "Purchase and spend model").
    public static let modelFits = WarehouseTable<ModelFitRow>("analytics.churn_model_fit", stamps: ["as_of", "run_id"], [
        Column("model") { $0.model }, Column("fitted") { $0.fitted }, Column("time_unit") { $0.timeUnit }, Column("parameters") { $0.parameters },
        // Every digit, and a log-likelihood that is not finite as PostgreSQL's NaN or Infinity, not NULL.
        Column("log_likelihood") { $0.logLikelihood.map { String($0) } }, Column("customers_used") { $0.customersUsed },
        Column("distinct_points") { $0.distinctPoints }, Column("converged") { $0.converged }, Column("evaluations") { $0.evaluations },
        Column("note") { $0.note }, Column("dropout_found") { $0.dropoutFound },
    ])

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

    /// The parameters of the last run's purchase and spend fits and of its model check's purchase fit (README,
    /// "Settled fits"), each nil unless that fit converged. `churn_model_fit` keeps each parameter as the shortest text
    /// that reads back as the same Double, in jsonb (an exact decimal), so they come back to the last bit.
    public func lastFits() throws -> (purchases: BGNBDParameters?, spend: GammaGammaParameters?, check: BGNBDParameters?) {
        let table = CustomerStore.modelFits
        let rows = try table.stored(connection.execute("""
            SELECT model, parameters->>'r' AS r, parameters->>'alpha' AS alpha, parameters->>'a' AS a, parameters->>'b' AS b,
                   parameters->>'p' AS p, parameters->>'q' AS q, parameters->>'v' AS v
            FROM \(table.name)
            WHERE run_id = (SELECT max(run_id) FROM \(table.name) WHERE model = 'bg_nbd')
              AND model IN ('bg_nbd', 'gamma_gamma', 'bg_nbd_check') AND fitted AND converged
            """))
        var purchases: BGNBDParameters?, spend: GammaGammaParameters?, check: BGNBDParameters?
        for row in rows {
            func v(_ name: String) throws -> Double? { try row(name) }
            let model: String = try row("model")
            if model == "gamma_gamma" {
                if let p = try v("p"), let q = try v("q"), let vv = try v("v") { spend = GammaGammaParameters(p: p, q: q, v: vv) }
            } else if let r = try v("r"), let alpha = try v("alpha"), let a = try v("a"), let b = try v("b") {
                let parameters = BGNBDParameters(r: r, alpha: alpha, a: a, b: b)
                if model == "bg_nbd" { purchases = parameters } else { check = parameters }
            }
        }
        return (purchases, spend, check)
    }

    // MARK: reading back for the report

    /// The customer figures as of `day` (a report's last day); `nil` if they were never computed for that day. Never
    /// another day's figures: a past period re-renders with the figures it had.
    public func report(for day: ShopDay) throws -> CustomerReport? {
        guard try connection.scalar("SELECT 1 FROM \(CustomerStore.segments.name) WHERE as_of = $1::date LIMIT 1", [day.iso]) != nil else { return nil }
        let asOf = day
        let p = [asOf.iso]
        var report = CustomerReport(asOf: asOf)
        let segments = Dictionary(try CustomerStore.segments.read(on: connection, "WHERE as_of = $1::date", p).map { ($0.key, $0) },
                                  uniquingKeysWith: { a, _ in a })
        report.segments = CustomerSegment.allCases.compactMap { s in segments[s.rawValue].map { var c = $0; c.label = s.label; return c } }
        let groups = Dictionary(try CustomerStore.rfmGroups.read(on: connection, "WHERE as_of = $1::date", p).map { ($0.key, $0) },
                                uniquingKeysWith: { a, _ in a })
        report.rfmGroups = RFMGroup.allCases.compactMap { g in groups[g.rawValue].map { var c = $0; c.label = g.label; return c } }
        let lists = try CustomerStore.lists.stored(connection.execute("""
            SELECT list, rank, user_id, customer_name, lifetime_value, total_orders, days_since_last_order, rfm_group, probability_alive, action_label
            FROM \(CustomerStore.lists.name) WHERE as_of = $1::date ORDER BY list, rank
            """, p))
        for r in lists {
            let group: String = try r("rfm_group")
            let row = CustomerReport.ListRow(rank: try r("rank"), userId: try r("user_id"), name: try r("customer_name"),
                                             lifetimeValue: try r("lifetime_value"), totalOrders: try r("total_orders"),
                                             daysSinceLastOrder: try r("days_since_last_order"), rfmGroup: RFMGroup(rawValue: group)?.label ?? group,
                                             probabilityAlive: try r("probability_alive"), action: try r("action_label"))
            if try r("list", as: String.self) == "at_risk" { report.atRisk.append(row) } else { report.top.append(row) }
        }
        let co = try CustomerStore.cohorts.stored(connection.execute("""
            SELECT cohort_month, months_after, customers FROM \(CustomerStore.cohorts.name) WHERE as_of = $1::date ORDER BY cohort_month, months_after
            """, p))
        var cohorts: [(ShopDay, [Int])] = []
        for r in co {
            let m: ShopDay = try r("cohort_month")
            if cohorts.last?.0 != m { cohorts.append((m, [])) }
            cohorts[cohorts.count - 1].1.append(try r("customers"))
        }
        report.cohorts = cohorts.map { CohortRow(month: $0.0, buyers: $0.1) }
        let pr = try CustomerStore.programs.stored(connection.execute(
            "SELECT program, figure, count, amount, share FROM \(CustomerStore.programs.name) WHERE as_of = $1::date", p))
        let order = CustomerProgramOrder.figures
        report.programs = try pr.map { r in
            ProgramFigure(program: try r("program"), figure: try r("figure"), count: try r("count"), amount: try r("amount"), share: try r("share"))
        }.sorted { (order[$0.program + "/" + $0.figure] ?? Int.max, $0.figure) < (order[$1.program + "/" + $1.figure] ?? Int.max, $1.figure) }
        let fits = try CustomerStore.modelFits.stored(connection.execute("""
            SELECT model, fitted, time_unit, parameters::text AS parameters, log_likelihood, customers_used, distinct_points, converged, note,
                   dropout_found
            FROM \(CustomerStore.modelFits.name)
            WHERE run_id = (SELECT max(run_id) FROM \(CustomerStore.modelFits.name) WHERE as_of = $1::date) ORDER BY model
            """, p))
        report.fits = try fits.map { r in
            let model: String = try r("model"), converged: Bool = try r("converged")
            var params: [(String, Double)] = []
            if let text = try r("parameters", as: String?.self), let data = text.data(using: .utf8),
               let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
                let keys = model == "gamma_gamma" ? ["p", "q", "v", "value_cap"] : ["r", "alpha", "a", "b"]
                params = keys.compactMap { k in (object[k] as? NSNumber).map { (k, $0.doubleValue) } }
            }
            return CustomerReport.ModelFit(model: model, fitted: try r("fitted"), timeUnit: try r("time_unit"), parameters: params,
                                           logLikelihood: try r("log_likelihood"), customersUsed: try r("customers_used"),
                                           distinctPoints: try r("distinct_points"), converged: converged, note: try r("note"),
                                           dropoutFound: (try r("dropout_found", as: Bool?.self)) ?? legacyDropout(model: model, converged: converged, params))
        }
        let check = try CustomerStore.modelCheck.stored(connection.execute("""
            SELECT fitted_to, kind, label, customers, predicted, actual FROM \(CustomerStore.modelCheck.name)
            WHERE as_of = (SELECT max(as_of) FROM \(CustomerStore.modelCheck.name) WHERE as_of <= $1::date) ORDER BY kind DESC, position
            """, p))
        for r in check {
            report.checkFittedTo = try r("fitted_to")
            let row = ModelCheck.Row(label: try r("label"), customers: try r("customers"), predicted: try r("predicted"), actual: try r("actual"))
            if try r("kind", as: String.self) == "purchases" { report.checkPurchases.append(row) } else { report.checkAtRisk.append(row) }
        }
        // The model's totals as of that day, kept per day (customer_metrics holds only the latest computation, so
        // summing it would lose a past day's totals once a later job ran).
        let sums = try CustomerStore.modelTotals.stored(connection.execute("""
            SELECT expected_sales_30d, expected_sales_90d, clv_12_months, customers_predicted
            FROM \(CustomerStore.modelTotals.name) WHERE as_of = $1::date
            """, p))
        if let r = sums.first, try r("customers_predicted", as: Int.self) > 0 {
            report.expectedSales30 = try r("expected_sales_30d"); report.expectedSales90 = try r("expected_sales_90d")
            report.clv12Months = try r("clv_12_months")
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

/// A share as numeric(7,4), rounded half away from zero to 4 decimals; NULL for nil or a value that is not finite.
struct Share: StoredValue {
    var value: Double?

    init(_ value: Double?) { self.value = value }

    func encode(into rows: inout CopyRows) {
        guard let v = value, v.isFinite else { return rows.appendNull() }
        rows.appendScaled(Int64((v * 10_000).rounded()), scale: 4)
    }

    static func decode(_ text: String?) -> Share? {
        guard let text else { return Share(nil) }
        return Double(text).map { Share($0) }
    }

    static var expected: String { "a share" }
}

extension RFMGroup: StoredWord {}
