import ArgumentParser
import Delivery
import Foundation
import Reports
import Shop

struct Send: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "E-mail a report to the recipients its definition names (plain text and HTML, the XLSX attached).",
        discussion: """
            Renders from the analytics tables (like `report`), then sends one message per recipient. Recipients whose role
            may not see customer data (customer_data_roles in reports/NAME.json) get a copy with names masked, in the body
            and in the attachment. A report already sent for a period is not sent again unless --resend. SMTP settings come
            from DUSANGIRE_SMTP_URL, DUSANGIRE_SMTP_USER, DUSANGIRE_SMTP_PASSWORD, DUSANGIRE_SMTP_FROM, DUSANGIRE_SMTP_TLS or
            the file named by DUSANGIRE_SMTP_CONFIG; never from the command line.
            Example: dusangire-analytics send --name weekly --date 2026-11-22 --dry-run
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var reportOptions: ReportOptions
    @OptionGroup var sendOptions: SendOptions

    @Option(help: "Which report: a file reports/NAME.json (daily, weekly, monthly).")
    var name = "daily"

    @Option(help: ArgumentHelp("A day inside the report's period, YYYY-MM-DD. Default: yesterday in the shop's time zone.", valueName: "date"))
    var date: DayArgument?

    @Option(help: ArgumentHelp("Folder for the report files (and the .eml files of a dry run).", valueName: "dir"))
    var out = "output"

    @Flag(name: .customLong("dry-run"), help: "Write the messages as .eml files into --out instead of sending them (SMTP settings not needed).")
    var dryRun = false

    func run() throws {
        try exitCodes {
            let (calendar, _) = try connection.calendar()
            let day = date?.day ?? calendar.day(of: Date()).advanced(by: -1)
            try Mailer(connection: connection, reportOptions: reportOptions, options: sendOptions, dryRun: dryRun, out: out)
                .send(name: name, day: day, runID: nil)
        }
    }
}

struct SendOptions: ParsableArguments {
    @Flag(help: "Send even to recipients who already got this report for this period.")
    var resend = false
}

/// Renders a report per audience and hands the copies to `ReportDelivery`.
struct Mailer {
    let connection: ConnectionOptions
    let reportOptions: ReportOptions
    let options: SendOptions
    let dryRun: Bool
    let out: String

    func send(name: String, day: ShopDay, runID: Int64?) throws {
        let (_, zone) = try connection.calendar()
        let rendering = try ReportRendering(connection: connection, options: reportOptions, name: name, day: day)
        let def = rendering.definition
        guard !def.recipients.isEmpty else {
            throw CLIError.config("reports/\(name).json names no recipients; add some under \"recipients\".")
        }
        let settings: SMTPSettings?
        do {
            settings = dryRun ? (try? SMTPSettings.load()) : try SMTPSettings.load()
        } catch {
            throw CLIError.config(error.description)
        }
        let log = DeliveryLog(connection: rendering.warehouse)
        var failures = 0
        // One rendering per audience: those who may see customer data, and those who may not.
        for shows in [true, false] {
            let group = def.recipients.filter { def.seesCustomerData($0.role) == shows }
            guard !group.isEmpty else { continue }
            let audience = Audience(role: shows ? "customer-data" : "masked", showsCustomerData: shows)
            // The masked copy goes to a folder of its own, so the analyst's files keep their names.
            let files = try rendering.writeFiles(into: shows ? out : out + "/masked", audience: audience)
            let html = try String(contentsOfFile: files.html, encoding: .utf8)
            let text = ReportText(rendering.report, audience: audience).text
            let copies = try group.map { r in
                ReportCopy(recipient: try Delivery.Recipient(MailAddress(r.email, name: r.name), role: RecipientRole(r.role)),
                           subject: "\(def.title): \(rendering.report.label)", text: text, html: html)
            }
            let attachments = [files.xlsx] + (def.attachCSV ? files.csv : [])
            let outcomes: [DeliveryOutcome]
            do {
                outcomes = try ReportDelivery.send(report: def.name, period: rendering.report.range, copies: copies,
                                                   files: attachments.map { URL(fileURLWithPath: $0) }, settings: settings, log: log,
                                                   dryRunFolder: dryRun ? URL(fileURLWithPath: out) : nil,
                                                   resend: options.resend, runID: runID,
                                                   timeZone: TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!)
            } catch let e as DeliveryError {
                throw Mailer.cliError(e)
            }
            for o in outcomes {
                print("send \(def.name) \(rendering.report.range): \(o.summary)")
                if o.failed { failures += 1 }
            }
        }
        if failures > 0 {
            throw CLIError.failed("\(failures) message\(failures == 1 ? "" : "s") of the \(def.name) report could not be sent (see above); fix the cause and run `send` again: recipients already served are skipped.")
        }
    }

    static func cliError(_ e: DeliveryError) -> CLIError {
        switch e {
        case .unreachable: return .unreachable(e.description)
        case .missingSetting, .invalidSetting, .passwordInURL, .configUnreadable, .configReadableByOthers, .configLine,
             .invalidAddress, .tlsUnavailable, .loginFailed:
            return .config(e.description)
        default: return .failed(e.description)
        }
    }
}
