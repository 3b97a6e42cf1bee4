import ArgumentParser
import Foundation
import Reports
import Shop
import Warehouse

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render a report from the analytics tables alone (no extract), for any past day.",
        discussion: "Example: dusangire-analytics report --name daily --date 2026-11-23 --out output. Writes HTML, XLSX and one CSV per table.")

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Which report: daily.")
    var name = "daily"

    @Option(help: ArgumentHelp("The report's shop day, YYYY-MM-DD. Default: yesterday in the shop's time zone.", valueName: "date"))
    var date: DayArgument?

    @Option(help: ArgumentHelp("Folder for the files.", valueName: "dir"))
    var out = "output"

    func validate() throws {
        guard name == "daily" else { throw ValidationError("--name \(name) is not a report this version knows; use daily.") }
    }

    func run() throws {
        try exitCodes {
            let (calendar, _) = try connection.calendar()
            let day = date?.day ?? calendar.day(of: Date()).advanced(by: -1)
            for f in try ReportCommandSupport.writeDaily(day: day, connection: connection, out: out) { print(f) }
        }
    }
}

enum ReportCommandSupport {
    static func writeDaily(day: ShopDay, connection: ConnectionOptions, out: String) throws -> [String] {
        let (_, zone) = try connection.calendar()
        let wh = try connection.openWarehouse()
        let report = try ReportReader(connection: wh).daily(for: day, timeZone: zone)
        let sections = try Areas.sections(warehouse: wh, day: day, configuration: AreaConfiguration(timeZone: zone))
        do {
            return try DailyReportFiles(report, sections: sections).write(into: out)
        } catch let e as DailyReportFiles.Failure {
            throw CLIError.failed(e.description)
        }
    }
}
