import ArgumentParser
import Analytics
import Foundation
import Postgres
import Reports
import Shop
import Warehouse

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render a report from the analytics tables alone (no extract), for any past period.",
        discussion: """
            Reads reports/NAME.json (period, sections, targets). Examples:
              dusangire-analytics report --name daily --date 2026-11-23       one day
              dusangire-analytics report --name weekly --date 2026-11-23      the ISO week containing that day
              dusangire-analytics report --name monthly --date 2026-11-23     November 2026
              dusangire-analytics report --name quarterly --date 2026-11-23   Q4 2026 (October to December)
              dusangire-analytics report --name campaign --campaign 3 --date 2026-11-23   one campaign, as of that day
              dusangire-analytics report --name weekly --from 2026-11-02 --to 2026-11-15
                                  any range, against the same number of days just before it and 364 days earlier
            Writes HTML, PDF, XLSX and one CSV per table into --out, plus daily-revenue.json (the last --days days) and,
            when customer analytics exist, customer-segments.json.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var reportOptions: ReportOptions

    @Option(help: "Which report: a file reports/NAME.json (daily, weekly, monthly, quarterly, kitchen).")
    var name = "daily"

    @Option(help: ArgumentHelp("A day inside the report's period, YYYY-MM-DD. Default: yesterday in the shop's time zone.", valueName: "date"), transform: DayArgument.parse)
    var date: DayArgument?

    @Option(help: ArgumentHelp("First day of a range to report instead of the definition's period, YYYY-MM-DD (with --to).", valueName: "date"),
            transform: DayArgument.parse)
    var from: DayArgument?

    @Option(help: ArgumentHelp("Last day of that range, YYYY-MM-DD (inclusive).", valueName: "date"), transform: DayArgument.parse)
    var to: DayArgument?

    @Option(parsing: .unconditional, help: ArgumentHelp("The campaign to show, by its id (for --name campaign).", valueName: "id"))
    var campaign: Int64?

    @Option(help: ArgumentHelp("Folder for the files.", valueName: "dir"))
    var out = "output"

    @Option(help: "How many days daily-revenue.json covers.")
    var days = 30

    func validate() throws {
        guard (1...3660).contains(days) else { throw ValidationError("--days must be between 1 and 3660.") }
        if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together; give both, or neither and --date.") }
        if let from, let to {
            if date != nil { throw ValidationError("--date chooses a period, --from and --to a range: give one or the other.") }
            if from.day > to.day { throw ValidationError("--from \(from.day.iso) is after --to \(to.day.iso); swap them.") }
            if from.day.distance(to: to.day) >= 3660 { throw ValidationError("--from to --to spans more than 3660 days; choose a shorter range.") }
        }
    }

    func run() throws {
        let (calendar, _) = try connection.calendar()
        let day = to?.day ?? date?.day ?? calendar.day(of: Date()).advanced(by: -1)
        let range = from.flatMap { f in to.map { ShopDayRange(f.day, $0.day) } }
        let rendering = try ReportRendering(connection: connection, options: reportOptions, name: name, day: day, range: range,
                                            campaign: campaign)
        for f in try rendering.writeFiles(into: out).all { Console.out(f) }
        for f in try rendering.writeDashboardJSON(into: out, days: days) { Console.out(f) }
    }
}

/// Where report definitions live.
struct ReportOptions: ParsableArguments {
    @Option(name: .customLong("reports-dir"), help: ArgumentHelp("The folder of report definitions. Default: DUSANGIRE_REPORTS_DIR, else reports/ next to the program.", valueName: "dir"))
    var reportsDir: String?

    func folder() throws -> String {
        let explicit = reportsDir ?? ProcessInfo.processInfo.environment["DUSANGIRE_REPORTS_DIR"]
        guard let dir = ProjectFolder.locate("reports", marker: "daily.json", explicit: explicit, executable: DusangireAnalytics.executablePath) else {
            let looked = ProjectFolder.candidates("reports", explicit: explicit, executable: DusangireAnalytics.executablePath)
            throw CLIError.config("The report definitions were not found (looked in \(looked.joined(separator: ", "))); pass --reports-dir or set DUSANGIRE_REPORTS_DIR.")
        }
        return dir
    }
}

extension ReportOptions {
    /// The reports `run --send` mails after the nightly load: `daily`, then every other definition in the folder whose
    /// period is a day (the kitchen plan), by name; not one campaign's page, which needs its id. Every definition of the
    /// folder is read and every address of those checked first, so a broken one stops the mailing before the first
    /// message (it was left out without a word: the kitchen got nothing and the run said nothing).
    func nightlyReports() throws -> [String] {
        let folder = try folder()
        let files: [String] = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let names: [String] = files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }
            .filter { $0 != "daily" && ReportDefinition.isValidName($0) }.sorted()
        var nightly: [String] = []
        for name in ["daily"] + names {
            let def = try ReportDefinition.load(name: name, folder: folder)
            if name == "daily" || (def.period == .day && !def.shows(CampaignPageSection.key)) {
                _ = try Mailer.recipients(of: def)
                nightly.append(name)
            }
        }
        return nightly
    }
}

/// A report read from the warehouse, ready to write for any audience.
struct ReportRendering {
    let definition: ReportDefinition
    let report: PeriodReport
    let sections: [any ReportSection]
    let warehouse: Connection

    init(connection: ConnectionOptions, options: ReportOptions, name: String, day: ShopDay, range: ShopDayRange? = nil,
         campaign: Int64? = nil) throws {
        let (_, zone) = try connection.calendar()
        // Before any connection: a bad --name is a usage error (64), a bad definition a configuration error (78).
        let definition = try ReportDefinition.load(name: name, folder: try options.folder())
        self.definition = definition
        warehouse = try connection.openMigratedWarehouse()
        let request = ReportReader.Request(name: definition.name, title: definition.title, period: definition.period, day: day,
                                           trendDays: definition.trendDays, targets: definition.targets, timeZone: zone, range: range)
        // Every read of the report in one snapshot: a job that commits meanwhile (a backfill replacing the days) shows
        // in none of its figures or in all, never in the sections read after its commit only.
        try warehouse.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        var report = try ReportReader(connection: warehouse).report(request)
        if connection.environment["DUSANGIRE_FAULT"] == "commit-between-report-reads",
           let sql = connection.environment["DUSANGIRE_FAULT_SQL"] {
            // For the test: another session commits a change between the report's first read and its sections'.
            _ = try connection.openWarehouse().execute(sql)
        }
        sections = try ReportSections.read(SectionSource(report: report, definition: definition, warehouse: warehouse, campaign: campaign))
        try warehouse.execute("COMMIT")
        if let page = sections.compactMap({ $0 as? CampaignPageSection }).first {
            // One campaign's report: its name in the title and its id in the file names (campaign-7-2026-11-23.html).
            report.name += "-\(page.page.campaign.id)"
            report.title += ": " + page.page.campaign.name
        }
        self.report = report
    }

    /// The full copy (analyst's) on disk.
    func writeFiles(into out: String, audience: Audience = .full) throws -> ReportFiles.Written {
        try ReportFiles(report, definition: definition, sections: sections, audience: audience).write(into: out)
    }

    /// The two dashboard endpoints as files.
    func writeDashboardJSON(into out: String, days: Int) throws -> [String] {
        let revenue = try ReportReader(connection: warehouse).dailyRevenue(days: days, endingWith: report.range.last)
        var files = [try DashboardJSON.write(DashboardJSON.dailyRevenue(revenue), name: "daily-revenue.json", into: out)]
        if let segments = try Areas.customerSegmentsJSON(warehouse: warehouse, asOf: report.range.last) {
            files.append(try DashboardJSON.write(segments, name: "customer-segments.json", into: out))
        }
        return files
    }
}
