import ArgumentParser
import Delivery
import Drawing
import Foundation
import Reports
import Shop

struct Send: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "E-mail a report to the recipients its definition names: a summary with charts, the PDF and XLSX attached.",
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

    @Option(help: ArgumentHelp("A day inside the report's period, YYYY-MM-DD. Default: yesterday in the shop's time zone.", valueName: "date"), transform: DayArgument.parse)
    var date: DayArgument?

    @Option(help: ArgumentHelp("Folder for the report files (and the .eml files of a dry run).", valueName: "dir"))
    var out = "output"

    @Flag(name: .customLong("dry-run"), help: "Write the messages as .eml files into --out instead of sending them (SMTP settings not needed).")
    var dryRun = false

    @Option(parsing: .unconditional, help: ArgumentHelp("The campaign to send, by its id (for --name campaign).", valueName: "id"))
    var campaign: Int64?

    func run() throws {
        let (calendar, _) = try connection.calendar()
        let day = date?.day ?? calendar.day(of: Date()).advanced(by: -1)
        if !dryRun {
            Interruption.now("while mailing: run the same send again; whoever already has the report is skipped (one whose message was cut off may get it twice)")
        }
        try Mailer(connection: connection, reportOptions: reportOptions, options: sendOptions, dryRun: dryRun, out: out)
            .send(name: name, day: day, runID: nil, campaign: campaign)
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

    func send(name: String, day: ShopDay, runID: Int64?, campaign: Int64? = nil) throws {
        let (_, zone) = try connection.calendar()
        let rendering = try ReportRendering(connection: connection, options: reportOptions, name: name, day: day, campaign: campaign)
        let def = rendering.definition
        let recipients = try Mailer.recipients(of: def)
        // A campaign's page is its own report (campaign-7): its own subject, .eml files and record of who got it.
        let report = rendering.report
        let settings: SMTPSettings?
        do {
            settings = dryRun ? (try? SMTPSettings.load()) : try SMTPSettings.load()
        } catch {
            throw CLIError.config(error.description)
        }
        let log = DeliveryLog(connection: rendering.warehouse)
        var failures: [DeliveryError] = []
        // One rendering per audience: those who may see customer data, and those who may not. Every copy is written
        // before the first message goes: a full disk or an unwritable folder then stops the mailing before anyone got
        // the report, where it stopped it after the first audience had it and before the other's files were written.
        var renderings: [(copies: [ReportCopy], attachments: [String])] = []
        for shows in [true, false] {
            let group = recipients.filter { def.seesCustomerData($0.role) == shows }
            guard !group.isEmpty else { continue }
            let audience = Audience(role: shows ? "customer-data" : "masked", showsCustomerData: shows)
            // The masked copy goes to a folder of its own, so the analyst's files keep their names (never a link planted
            // there: the files would land wherever it points).
            let files = try rendering.writeFiles(into: shows ? out : try ReportFiles.subfolder("masked", of: out), audience: audience)
            let body: ReportEmail.Rendered
            do {
                body = try ReportEmail(rendering.report, definition: def, audience: audience, sections: rendering.sections).rendered()
            } catch let e as DrawingError {
                throw CLIError.reportNotWritten(e.description)
            }
            let pictures = body.pictures.map { MailMessage.InlineImage(contentID: $0.contentID, filename: $0.filename, bytes: $0.png) }
            let copies = group.map { r in
                ReportCopy(recipient: r.recipient, subject: "\(report.title): \(report.label)", text: body.text, html: body.html,
                           inlineImages: pictures)
            }
            renderings.append((copies, files.attachments(def.attach)))
        }
        for (copies, attachments) in renderings {
            let outcomes = try ReportDelivery.send(report: report.name, period: report.range, copies: copies,
                                                   files: attachments.map { URL(fileURLWithPath: $0) }, settings: settings, log: log,
                                                   dryRunFolder: dryRun ? URL(fileURLWithPath: out) : nil,
                                                   resend: options.resend, runID: runID,
                                                   timeZone: TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!)
            for o in outcomes {
                Console.out("send \(report.name) \(report.range): \(o.summary)")
                if case .failed(let e) = o.status { failures.append(e) }
            }
        }
        if let first = failures.first {
            // The exit status of the failures when they all mean the same (the server down: 69), else 1.
            let statuses = Set(failures.map(Mailer.status(of:)))
            let status = statuses.count == 1 ? statuses.first! : .failed
            let n = failures.count
            throw CLIError(status: status, description: "\(n) message\(n == 1 ? "" : "s") of the \(report.name) report could not be sent (\(first.description.trimmingCharacters(in: CharacterSet(charactersIn: ".")))); fix the cause and run `send` again: recipients already served are skipped.")
        }
    }

    /// The definition's recipients, every address checked before anything is written or sent: a bad one further down
    /// the list (or among the masked copies' readers) must not leave the report sent to some and not to others.
    static func recipients(of def: ReportDefinition) throws -> [(role: String, recipient: Delivery.Recipient)] {
        guard !def.recipients.isEmpty else {
            throw CLIError.config("reports/\(def.name).json names no recipients; add some under \"recipients\".")
        }
        do {
            return try def.recipients.map { r in
                (r.role, Delivery.Recipient(try MailAddress(r.email, name: r.name), role: RecipientRole(r.role)))
            }
        } catch let e as DeliveryError {
            throw CLIError.config("reports/\(def.name).json: \(e.description.trimmingCharacters(in: CharacterSet(charactersIn: "."))); nothing was sent.")
        }
    }

    /// The exit status of a delivery error: 69 when the server cannot be reached, 78 for settings, TLS or login.
    static func status(of e: DeliveryError) -> ExitStatus {
        switch e {
        case .unreachable, .logLost: return .unreachable
        case .sentButNotLogged(_, let because): return status(of: because)
        case .missingSetting, .invalidSetting, .passwordInURL, .configUnreadable, .configReadableByOthers, .configLine,
             .invalidAddress, .tlsUnavailable, .loginFailed, .logReadOnly:
            return .config
        default: return .failed
        }
    }
}
