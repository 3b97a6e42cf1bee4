import Analytics
import Foundation
import Pipeline
import Postgres
import Reports
import Shop
import Warehouse

/// The areas beyond the daily figures, wired in one place: the stages a job runs. (A report's sections read their own
/// figures: `ReportSections` in Sources/Reports.)
enum Areas {
    /// The areas `--areas` can name.
    static let names = ["customers", "campaigns", "funnel"]

    /// Stages for `run` and `backfill`, for the selected areas.
    static func stages(configuration: AreaConfiguration, selected: Set<String> = Set(names)) -> [any AnalyticsStage] {
        var stages: [any AnalyticsStage] = []
        if selected.contains("customers") { stages.append(CustomerStage(rules: configuration.customerRules, settledFits: configuration.settledFits)) }  // customers (issue 3)
        // The funnel before the campaigns: its events bring the campaigns' customer activity (`readsEvents`).
        if selected.contains("funnel") { stages.append(FunnelStage()) }  // funnel and traffic (issue 4)
        if selected.contains("campaigns") { stages.append(CampaignStage()) }  // campaigns (issue 4)
        return stages
    }
}

extension Areas {
    /// `customer-segments.json`, when customer analytics exist for the day.
    static func customerSegmentsJSON(warehouse: Connection, asOf day: ShopDay) throws -> String? {
        try CustomerStore(connection: warehouse).report(for: day).map(DashboardJSON.customerSegments)
    }
}

/// Settings the areas share (thresholds and the like), from flags and the environment.
struct AreaConfiguration {
    var timeZone: String
    /// Customer thresholds (README, "Customer segments"): DUSANGIRE_CHURN_DAYS, DUSANGIRE_INACTIVE_DAYS,
    /// DUSANGIRE_NEW_DAYS, DUSANGIRE_HIGH_VALUE_RWF, DUSANGIRE_CLV_MONTHLY_DISCOUNT (e.g. 0.01).
    var customerRules: CustomerRules = AreaConfiguration.customerRules(ProcessInfo.processInfo.environment)
    /// Settle the model fits and start them from the last run's (README, "Settled fits"); DUSANGIRE_SETTLED_MODEL_FITS=0
    /// fits from scratch by Nelder–Mead alone, as before issue 9.
    var settledFits: Bool = AreaConfiguration.settledFits(ProcessInfo.processInfo.environment)

    static func settledFits(_ env: [String: String]) -> Bool {
        switch env["DUSANGIRE_SETTLED_MODEL_FITS"] ?? "" {
        case "0": return false
        case "", "1": return true
        case let text: Exit.with(CLIError.config("DUSANGIRE_SETTLED_MODEL_FITS=\(text) is neither 1 (settled fits) nor 0; fix or unset it."))
        }
    }

    /// The largest day thresholds (a century) and high-value threshold (RWF 1,000,000,000,000) the settings accept.
    static let mostDays = 36_525
    static let mostFrancs = 1_000_000_000_000

    static func customerRules(_ env: [String: String]) -> CustomerRules {
        var r = CustomerRules()
        // Bounded so that every figure computed from them fits: days within the shop's dates' century, a customer's
        // value within what a lifetime of meals could be (an amount beyond would overflow the hundredths, not mean more).
        func int(_ name: String, upTo limit: Int, _ unit: String) -> Int? {
            guard let text = env[name], !text.isEmpty else { return nil }
            guard let v = Int(text), v > 0, v <= limit else {
                Exit.with(CLIError.config("\(name)=\(text) is not a whole number of \(unit) from 1 to \(limit); fix or unset it."))
            }
            return v
        }
        if let v = int("DUSANGIRE_CHURN_DAYS", upTo: AreaConfiguration.mostDays, "days") { r.churnDays = v }
        if let v = int("DUSANGIRE_INACTIVE_DAYS", upTo: AreaConfiguration.mostDays, "days") { r.inactiveDays = v }
        if let v = int("DUSANGIRE_NEW_DAYS", upTo: AreaConfiguration.mostDays, "days") { r.newDays = v }
        if let v = int("DUSANGIRE_HIGH_VALUE_RWF", upTo: AreaConfiguration.mostFrancs, "francs") { r.highValue = Money(francs: Int64(v)) }
        if let text = env["DUSANGIRE_CLV_MONTHLY_DISCOUNT"], !text.isEmpty {
            guard let v = Double(text), v >= 0, v < 1 else { Exit.with(CLIError.config("DUSANGIRE_CLV_MONTHLY_DISCOUNT=\(text) is not a rate between 0 and 1 (e.g. 0.01); fix or unset it.")) }
            r.monthlyDiscountRate = v
        }
        return r
    }
}
