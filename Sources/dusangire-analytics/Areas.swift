import Analytics
import Foundation
import Pipeline
import Postgres
import Reports
import Shop
import Warehouse

/// The areas beyond the daily figures, wired in one place: the stages a job runs and the sections a report shows.
/// Each area (customers, campaigns, funnel...) adds its stage and its section here.
enum Areas {
    /// The areas `--areas` can name.
    static let names = ["customers", "campaigns", "funnel"]

    /// Stages for `run` and `backfill`, for the selected areas.
    static func stages(configuration: AreaConfiguration, selected: Set<String> = Set(names)) -> [any AnalyticsStage] {
        var stages: [any AnalyticsStage] = []
        if selected.contains("customers") { stages.append(CustomerStage(rules: configuration.customerRules)) }  // customers (issue 3)
        if selected.contains("campaigns") { stages.append(CampaignStage()) }  // campaigns (issue 4)
        if selected.contains("funnel") { stages.append(FunnelStage()) }  // funnel and traffic (issue 4)
        return stages
    }

    /// Report sections read from the warehouse for the report's period (only those `shown`).
    static func sections(warehouse: Connection, report: PeriodReport, configuration: AreaConfiguration,
                         shown: (String) -> Bool = { _ in true }, campaign: Int64? = nil) throws -> [any ReportSection] {
        let range = report.range, day = range.last
        var sections: [any ReportSection] = []
        if shown("campaign") {  // one campaign's page (issue 11)
            guard let id = campaign else {
                throw CLIError.usage("The report '\(report.name)' shows one campaign: add --campaign ID (the id in the campaigns table of the Campaigns section).")
            }
            guard let page = try CampaignStore(connection: warehouse).page(campaign: id, day: day) else {
                throw CLIError.usage("There is no campaign \(id) in the analytics tables; check the id in the Campaigns section of a daily report, or run the nightly job first.")
            }
            sections.append(CampaignPageSection(page))
        }
        let dishes = DishStore(connection: warehouse)  // dishes, hours, kitchen (issue 11)
        if shown("dishes") { sections.append(DishesSection(try dishes.dishes(range, previous: report.mainComparison.totals.range))) }
        if shown("hours") { sections.append(HoursSection(try dishes.hours(range))) }
        if shown("kitchen") { sections.append(KitchenSection(try dishes.kitchenPlan(day: day))) }
        // Customers as of the period's last day, never an earlier day's figures passed off as the period's.
        if let customers = try CustomerStore(connection: warehouse).report(for: day) {
            sections.append(CustomersSection(customers))  // customers (issue 3)
        } else {
            sections.append(UnavailableSection(
                title: "Customers", key: "customers",
                reason: "Customer figures as of \(ShopPeriod.day.label(ShopDayRange(day, day))), the last day of this report, were never computed, so this report cannot show them. "
                    + "They are worked out by the nightly run for the day it covers; no run covered that day.",
                remedy: "Compute them with: dusangire-analytics backfill --from \(day.iso) --to \(day.iso) --areas customers (it also recomputes that day's daily figures, which is harmless)."))
        }
        sections += [CampaignsSection(try CampaignStore(connection: warehouse).report(for: range)),
                     FunnelSection(try FunnelStore(connection: warehouse).report(for: range))]  // campaigns, funnel (issue 4)
        return sections
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

    static func customerRules(_ env: [String: String]) -> CustomerRules {
        var r = CustomerRules()
        func int(_ name: String) -> Int? {
            guard let text = env[name], !text.isEmpty else { return nil }
            guard let v = Int(text), v > 0 else { Exit.with(CLIError.config("\(name)=\(text) is not a positive whole number; fix or unset it.")) }
            return v
        }
        if let v = int("DUSANGIRE_CHURN_DAYS") { r.churnDays = v }
        if let v = int("DUSANGIRE_INACTIVE_DAYS") { r.inactiveDays = v }
        if let v = int("DUSANGIRE_NEW_DAYS") { r.newDays = v }
        if let v = int("DUSANGIRE_HIGH_VALUE_RWF") { r.highValue = Money(francs: Int64(v)) }
        if let text = env["DUSANGIRE_CLV_MONTHLY_DISCOUNT"], !text.isEmpty {
            guard let v = Double(text), v >= 0, v < 1 else { Exit.with(CLIError.config("DUSANGIRE_CLV_MONTHLY_DISCOUNT=\(text) is not a rate between 0 and 1 (e.g. 0.01); fix or unset it.")) }
            r.monthlyDiscountRate = v
        }
        return r
    }
}
