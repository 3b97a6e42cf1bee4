import Delivery
import Foundation
import Shop
import XCTest

/// Real SMTP: messages go through libcurl to a local aiosmtpd server and are read back as it received them.
final class SMTPSendTests: XCTestCase {
    func settings(_ sink: SMTPSink, tls: SMTPSettings.TLSMode = .none, user: String? = nil, password: String? = nil) throws -> SMTPSettings {
        try SMTPSettings(url: sink.url, username: user, password: password,
                         from: try MailAddress("reports@dusangire.rw", name: "Dusangire Analytics"), tls: tls, timeout: 10)
    }

    func testTheSinkReceivesExactlyTheRenderedBytes() throws {
        let sink = try SMTPSink()
        let message = try MailMessageTests.message()
        let reply = try SMTPSender(settings: try settings(sink)).send(message)
        XCTAssertEqual(reply, 250)

        let received = try sink.messages(atLeast: 1)
        XCTAssertEqual(received.count, 1)
        let mail = received[0]
        XCTAssertEqual(mail.mailFrom, "reports@dusangire.rw")
        XCTAssertEqual(mail.recipients, ["aline@example.rw"])
        XCTAssertEqual([UInt8](mail.raw), message.rendered(), "what is tested as .eml is what arrives")

        // Our reading of what arrived.
        let m = TestMIME(String(decoding: mail.raw, as: UTF8.self))
        XCTAssertEqual(m.header("Date"), "Tue, 24 Nov 2026 06:00:00 +0200")
        XCTAssertEqual(m.header("Message-ID"), message.messageID)
        XCTAssertEqual(TestMIME.decodeHeader(try XCTUnwrap(m.header("Subject"))), MailMessageTests.subject)
        XCTAssertEqual(m.parts[0].parts.map(\.contentType), ["text/plain", "text/html"])
        XCTAssertEqual(m.parts[1].decodedBody, MailMessageTests.xlsxBytes)

        // Python's email package's reading of it.
        let py = try SMTPSink.pythonReading(of: mail.path)
        XCTAssertEqual(py["subject"] as? String, MailMessageTests.subject)
        XCTAssertEqual(py["date"] as? String, "2026-11-24T06:00:00+02:00")
        XCTAssertEqual(py["message_id"] as? String, message.messageID)
        XCTAssertEqual(py["from"] as? String, "Dusangire Analytics <reports@dusangire.rw>")
        XCTAssertEqual(py["structure"] as? [String], ["multipart/mixed", "multipart/alternative", "text/plain", "text/html",
                                                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"])
        XCTAssertEqual(py["plain"] as? String, "Amafaranga: RWF 1,234,568\r\nIbyo twagurishije: 42")
        XCTAssertEqual(py["html"] as? String, "<html><body><h1>Raporo</h1><p>Amafaranga: RWF 1,234,568 — ✓</p></body></html>")
        let attachments = try XCTUnwrap(py["attachments"] as? [[String]])
        XCTAssertEqual(attachments.count, 1)
        XCTAssertEqual(attachments.first?.first, "daily-2026-11-23.xlsx")
        XCTAssertEqual(attachments.first?.last, MailMessageTests.xlsxBytes.map { String(format: "%02x", $0) }.joined())
        XCTAssertEqual(py["defects"] as? [String], [], "Python finds no defect")
    }

    func testARealXLSXSizedAttachmentArrivesIntact() throws {
        let sink = try SMTPSink()
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let message = try MailMessageTests.message(attachments: [.init(filename: "Raporo y'ukwezi — Ugushyingo.xlsx",
                                                                       mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                                                       bytes: bytes)])
        try SMTPSender(settings: try settings(sink, tls: .try)).send(message)
        let mail = try XCTUnwrap(try sink.messages(atLeast: 1).first)
        let attachment = TestMIME(String(decoding: mail.raw, as: UTF8.self)).parts[1]
        XCTAssertEqual(attachment.parameter("Content-Disposition", "filename"), "Raporo y'ukwezi — Ugushyingo.xlsx")
        XCTAssertEqual(attachment.decodedBody, bytes)
    }

    func testLoginIsUsedAndAWrongPasswordIsAClearErrorWithoutIt() throws {
        let sink = try SMTPSink(user: "reports", password: "Kigali-2026!")
        try SMTPSender(settings: try settings(sink, user: "reports", password: "Kigali-2026!")).send(try MailMessageTests.message())
        XCTAssertEqual(try sink.messages(atLeast: 1).first?.login, "reports")

        XCTAssertThrowsError(try SMTPSender(settings: try settings(sink, user: "reports", password: "wrong-Secret-9"))
            .send(try MailMessageTests.message())) { error in
            let text = "\(error)"
            guard case DeliveryError.loginFailed(_, let user, let code, _) = error else { return XCTFail(text) }
            XCTAssertEqual(user, "reports")
            XCTAssertEqual(code, 535)
            XCTAssertTrue(text.hasPrefix("The SMTP server \(sink.url) refused the login of reports with reply 535"), text)
            XCTAssertFalse(text.contains("wrong-Secret-9"))
        }
        XCTAssertEqual(try sink.messages(atLeast: 1).count, 1, "nothing more arrived")
    }

    func testRequiredTLSAgainstAServerWithoutSTARTTLSFailsClearly() throws {
        let sink = try SMTPSink()
        XCTAssertThrowsError(try SMTPSender(settings: try settings(sink, tls: .required)).send(try MailMessageTests.message())) { error in
            guard case DeliveryError.tlsUnavailable = error else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("STARTTLS"), "\(error)")
        }
        XCTAssertEqual(try sink.messages(atLeast: 0).count, 0, "nothing was sent in clear text")
    }

    func testARefusedConnectionSaysWhereAndWhatToCheck() throws {
        let port = SMTPSink.closedPort()
        let s = try SMTPSettings(url: "smtp://127.0.0.1:\(port)", username: "reports", password: "hunter2",
                                 from: try MailAddress("reports@dusangire.rw"), tls: .try, timeout: 5)
        XCTAssertThrowsError(try SMTPSender(settings: s).send(try MailMessageTests.message())) { error in
            let text = "\(error)"
            guard case DeliveryError.unreachable = error else { return XCTFail(text) }
            XCTAssertTrue(text.hasPrefix("Could not reach the SMTP server smtp://127.0.0.1:\(port) (nothing answered on that host and port); "), text)
            XCTAssertTrue(text.contains("check DUSANGIRE_SMTP_URL"), text)
            XCTAssertFalse(text.contains("hunter2"))
            XCTAssertTrue((error as? DeliveryError)?.affectsEveryRecipient ?? false)
        }
    }

    /// The façade: one copy per recipient, customer data masked in the copies of roles that may not see it.
    func testReportDeliverySendsEachRecipientItsOwnCopy() throws {
        let sink = try SMTPSink()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("delivery-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let xlsx = folder.appendingPathComponent("daily-2026-11-23.xlsx")
        try Data(MailMessageTests.xlsxBytes).write(to: xlsx)

        let copies = try ReportDeliveryTests.copies()
        let outcomes = try ReportDelivery.send(report: "daily", period: ReportDeliveryTests.period, copies: copies, files: [xlsx],
                                               settings: try settings(sink), log: nil, dryRunFolder: nil,
                                               clock: { MailMessageTests.morning })
        XCTAssertEqual(outcomes.map(\.status), [.sent, .sent])
        let received = try sink.messages(atLeast: 2)
        XCTAssertEqual(received.map(\.recipients), [["manager@dusangire.rw"], ["analyst@dusangire.rw"]])
        let manager = TestMIME(String(decoding: received[0].raw, as: UTF8.self)).parts[0].parts
        let analyst = TestMIME(String(decoding: received[1].raw, as: UTF8.self)).parts[0].parts
        XCTAssertTrue(manager[1].decodedText.contains("Aline Uwase"))
        XCTAssertTrue(manager[0].decodedText.contains("+250788123456"))
        for part in analyst {
            XCTAssertFalse(part.decodedText.contains("Aline Uwase"), "masked for the analyst")
            XCTAssertFalse(part.decodedText.contains("788123456"))
            XCTAssertTrue(part.decodedText.contains("A. U."))
            XCTAssertTrue(part.decodedText.contains("+250 7•• ••• 456"))
        }
        XCTAssertEqual(TestMIME(String(decoding: received[1].raw, as: UTF8.self)).parts[1].decodedBody, MailMessageTests.xlsxBytes)
        XCTAssertEqual(TestMIME(String(decoding: received[0].raw, as: UTF8.self)).header("Message-ID"), outcomes[0].messageID)
    }
}
