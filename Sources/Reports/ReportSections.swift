import Analytics
import Shop

/// Every section a report definition can name, in one list: the only place that names them. The definitions' known
/// and default sections, and what each format shows, come from it. To add a section, write its type (conforming to
/// `RegisteredSection`) in a file of its own and add it here (README, "Adding a report section").
public enum ReportSections {
    /// The sections, in the order a definition without `sections` shows them.
    public static var all: [any RegisteredSection.Type] {
        [DashboardSection.self, TargetsSection.self, ChannelsSection.self, PaymentsSection.self, DiscountsSection.self,
         DishesSection.self, HoursSection.self, TopCustomersSection.self, CustomersSection.self, CampaignsSection.self,
         FunnelSection.self, KitchenSection.self, CampaignPageSection.self, QualitySection.self]
    }

    /// The names a definition may list.
    public static var keys: [String] { all.map { $0.key } }
    /// What a definition without `sections` shows.
    public static var defaultKeys: [String] { all.filter { $0.inDefault }.map { $0.key } }

    /// The definition's sections for this report, in the definition's order, read from `source` (a section with
    /// nothing to show is left out).
    public static func read(_ source: SectionSource) throws -> [any ReportSection] {
        var out: [any ReportSection] = []
        for key in source.definition.sections {
            guard let type = all.first(where: { $0.key == key }) else { continue }
            if let section = try type.read(source) { out.append(section) }
        }
        return out
    }

    /// The definition's sections in its order: those in `given` (read from the warehouse by the caller) where it
    /// holds the key, else read from the period's own figures (the dashboard, channels, targets...).
    public static func arrange(_ report: PeriodReport, definition: ReportDefinition, given: [any ReportSection]) -> [any ReportSection] {
        let source = SectionSource(report: report, definition: definition)
        var out: [any ReportSection] = []
        for key in definition.sections {
            let chosen = given.filter { $0.key == key }
            if !chosen.isEmpty {
                out += chosen
            } else if let type = all.first(where: { $0.key == key }), let section = try? type.read(source) {
                // Without a warehouse a read cannot fail: the period's own sections only build values, the others return nil.
                out.append(section)
            }
        }
        return out
    }

    /// The report's glossary: what a shop day is, then each section's entries in order.
    static func glossary(_ report: PeriodReport, _ sections: [any ReportSection]) -> [GlossaryEntry] {
        [GlossaryEntry("Shop day", "A calendar day in \(report.timeZone) time. An order counts on the shop day it was placed.")]
            + sections.flatMap(\.glossary)
    }

    /// Why a section could not be read.
    public enum Failure: Error, CustomStringConvertible {
        /// One campaign's page without `--campaign ID`.
        case campaignNeeded(report: String)
        /// `--campaign ID` names no campaign in the analytics tables.
        case noSuchCampaign(Int64)
        public var description: String {
            switch self {
            case .campaignNeeded(let report):
                "The report '\(report)' shows one campaign: add --campaign ID (the id in the campaigns table of the Campaigns section)."
            case .noSuchCampaign(let id):
                "There is no campaign \(id) in the analytics tables; check the id in the Campaigns section of a daily report, or run the nightly job first."
            }
        }
    }
}
