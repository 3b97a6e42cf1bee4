import Pipeline
import Postgres
import Reports
import Shop

/// The areas beyond the daily figures, wired in one place: the stages a job runs and the sections a report shows.
/// Each area (customers, campaigns, funnel...) adds its stage and its section here.
enum Areas {
    /// Stages for `run` and `backfill`.
    static func stages(configuration: AreaConfiguration) -> [any AnalyticsStage] {
        []
    }

    /// Report sections read from the warehouse for the report's day.
    static func sections(warehouse: Connection, day: ShopDay, configuration: AreaConfiguration) throws -> [any ReportSection] {
        []
    }
}

/// Settings the areas share (thresholds and the like), from flags and the environment.
struct AreaConfiguration {
    var timeZone: String
}
