import Foundation
import Shop

/// One recipient's copy of a report, already rendered by the caller (with customer data shown or masked for the
/// recipient's role: `ReportDefinition.seesCustomerData`, `CustomerPrivacy`).
public struct ReportCopy: Sendable {
    public var recipient: Recipient
    public var subject: String
    public var text: String
    public var html: String
    /// The pictures the HTML shows by `cid:` (the charts).
    public var inlineImages: [MailMessage.InlineImage]

    public init(recipient: Recipient, subject: String, text: String, html: String, inlineImages: [MailMessage.InlineImage] = []) {
        self.recipient = recipient
        self.subject = subject
        self.text = text
        self.html = html
        self.inlineImages = inlineImages
    }
}

/// What happened for one recipient.
public struct DeliveryOutcome: Sendable {
    public enum Status: Sendable, Equatable {
        case sent
        /// Not sent: the log says this report for this period already went to this address (use `resend`).
        case alreadySent
        /// Dry run: the message was written to this file instead.
        case dryRun(file: URL)
        case failed(DeliveryError)
    }

    public var recipient: Recipient
    public var status: Status
    /// The message's `Message-ID` (nil when nothing was built).
    public var messageID: String?

    /// One line for the command's output: `sent daily 2026-11-23 to a@b (manager)`.
    public var summary: String {
        switch status {
        case .sent: return "sent to \(recipient)"
        case .alreadySent: return "skipped \(recipient): already sent for this period (use --resend to send again)"
        case .dryRun(let file): return "wrote \(file.path) for \(recipient)"
        case .failed(let e): return "failed for \(recipient): \(e)"
        }
    }

    public var failed: Bool { if case .failed = status { return true } else { return false } }
}

/// Mails (or, in a dry run, writes as `.eml` files) the copies of one report for one period, and records each in the
/// delivery log. The command line's `send` and `run --send` call this once the report files exist.
public enum ReportDelivery {
    /// - Parameters:
    ///   - report: the report's name (`daily`, `weekly`, `monthly`), as logged.
    ///   - period: the period the report covers, as logged (one day for `daily`).
    ///   - copies: one rendered copy per recipient.
    ///   - files: attachments (the XLSX, PDF, CSV the definition asks for), read once before anything is sent.
    ///   - settings: the SMTP settings; may be nil in a dry run (the sender is then `from`).
    ///   - from: the sender of a dry run without settings; defaults to `dusangire-analytics@localhost`.
    ///   - log: the delivery log; nil to neither check nor record (tests, ad-hoc mails).
    ///   - dryRunFolder: write `<report>-<period>-<address>.eml` files there instead of sending.
    ///   - resend: send even to recipients the log says already have this report.
    ///   - runID: the run that produced the report (`run --send`), logged with each message.
    ///   - clock: the `Date` header's clock; `timeZone`: the zone it is written in (the shop's).
    /// - Returns: one outcome per copy, in order. Per-recipient failures (a refused address) are outcomes, not
    ///   throws; when the server itself fails (unreachable, TLS, login) the remaining copies fail with the same error
    ///   without trying. The caller exits non-zero if any outcome `failed`.
    /// - Throws: `DeliveryError` for what stops everything: no settings, an unreadable attachment, a log failure.
    public static func send(report: String, period: ShopDayRange, copies: [ReportCopy], files: [URL],
                            settings: SMTPSettings?, from: MailAddress? = nil, log: DeliveryLog?,
                            dryRunFolder: URL?, resend: Bool = false, runID: Int64? = nil,
                            clock: () -> Date = Date.init,
                            timeZone: TimeZone = TimeZone(identifier: "Africa/Kigali")!) throws -> [DeliveryOutcome] {
        let attachments = try files.map { url throws(DeliveryError) in try MailMessage.Attachment(contentsOf: url) }
        let sender: MailAddress
        let smtp: SMTPSender?  // nil in a dry run, which never reaches the send
        if dryRunFolder == nil {
            guard let settings else { throw DeliveryError.missingSetting(name: "DUSANGIRE_SMTP_URL") }
            sender = settings.from
            smtp = try SMTPSender(settings: settings)
        } else {
            sender = try settings?.from ?? from ?? MailAddress("dusangire-analytics@localhost")
            smtp = nil
        }

        func deliverAll() throws -> [DeliveryOutcome] {
            var outcomes: [DeliveryOutcome] = []
            var fatal: DeliveryError?
            for copy in copies {
                let to = copy.recipient.address
                func record(_ status: DeliveryStatus, error: DeliveryError? = nil, messageID: String?) throws {
                    try log?.record(DeliveryRecord(report: report, period: period, recipient: to.address,
                                                   role: copy.recipient.role, status: status, error: error?.description,
                                                   messageID: messageID, runID: runID, resend: resend))
                }
                if let fatal {
                    try record(.failed, error: fatal, messageID: nil)
                    outcomes.append(DeliveryOutcome(recipient: copy.recipient, status: .failed(fatal), messageID: nil))
                    continue
                }
                if dryRunFolder == nil, !resend, let log,
                   try log.alreadySent(report: report, period: period, recipient: to.address) {
                    outcomes.append(DeliveryOutcome(recipient: copy.recipient, status: .alreadySent, messageID: nil))
                    continue
                }
                let message = MailMessage(from: sender, to: to, subject: copy.subject, text: copy.text, html: copy.html,
                                          attachments: attachments, inlineImages: copy.inlineImages, date: clock(), timeZone: timeZone)
                if let folder = dryRunFolder {
                    let file = folder.appendingPathComponent(emlName(report: report, period: period, recipient: to.address))
                    do {
                        try Data(message.rendered()).write(to: file, options: .atomic)
                    } catch {
                        throw DeliveryError.emlNotWritten(path: file.path, reason: DeliveryError.systemReason(error))
                    }
                    try record(.dryRun, messageID: message.messageID)
                    outcomes.append(DeliveryOutcome(recipient: copy.recipient, status: .dryRun(file: file), messageID: message.messageID))
                    continue
                }
                do {
                    try smtp!.send(message)
                    do {
                        try record(.sent, messageID: message.messageID)
                    } catch let e as DeliveryError {
                        throw DeliveryError.sentButNotLogged(recipient: to.address, because: e)
                    }
                    outcomes.append(DeliveryOutcome(recipient: copy.recipient, status: .sent, messageID: message.messageID))
                } catch let e as DeliveryError where !isLogError(e) {
                    try record(.failed, error: e, messageID: message.messageID)
                    outcomes.append(DeliveryOutcome(recipient: copy.recipient, status: .failed(e), messageID: message.messageID))
                    if e.affectsEveryRecipient { fatal = e }
                }
            }
            return outcomes
        }
        if let log {
            try log.requireWritable()
            return try log.withLock(deliverAll)
        }
        return try deliverAll()
    }

    /// `daily-2026-11-23-aline@example.rw.eml`; a longer period is written `2026-11-16_2026-11-22`.
    public static func emlName(report: String, period: ShopDayRange, recipient: String) -> String {
        let days = period.first == period.last ? period.first.iso : "\(period.first.iso)_\(period.last.iso)"
        let safe = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-@+".unicodeScalars)
        func clean(_ s: String) -> String { String(String.UnicodeScalarView(s.unicodeScalars.map { safe.contains($0) ? $0 : "_" })) }
        return "\(clean(report))-\(days)-\(clean(recipient)).eml"
    }

    private static func isLogError(_ e: DeliveryError) -> Bool {
        switch e {
        case .log, .logLost, .logFull, .sentButNotLogged: return true
        default: return false
        }
    }
}
