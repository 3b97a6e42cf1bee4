@testable import Delivery
import Foundation
import XCTest

final class MailMessageTests: XCTestCase {
    static let kigali = TimeZone(identifier: "Africa/Kigali")!
    /// 2026-11-24 04:00:00 UTC = 06:00 in Kigali, a Tuesday.
    static let morning = Date(timeIntervalSince1970: 1_795_492_800)
    static let subject = "Raporo y'umunsi — Dusangire ✓"
    /// Every byte value, so any mangling of the attachment shows.
    static let xlsxBytes: [UInt8] = (0..<1000).map { UInt8(($0 * 7 + $0 / 256) % 256) }

    static func message(subject: String = subject, text: String = "Amafaranga: RWF 1,234,568\nIbyo twagurishije: 42",
                        html: String = "<html><body><h1>Raporo</h1><p>Amafaranga: RWF 1,234,568 — ✓</p></body></html>",
                        attachments: [MailMessage.Attachment]? = nil) throws -> MailMessage {
        MailMessage(from: try MailAddress("reports@dusangire.rw", name: "Dusangire Analytics"),
                    to: try MailAddress("aline@example.rw", name: "Aline Uwase"),
                    subject: subject, text: text, html: html,
                    attachments: attachments ?? [.init(filename: "daily-2026-11-23.xlsx",
                                                       mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                                       bytes: xlsxBytes)],
                    date: morning, timeZone: kigali)
    }

    func testHeadersArePresentOnceWithAValidDateAndMessageID() throws {
        let text = try Self.message().renderedText()
        let m = TestMIME(text)
        for name in ["Date", "Message-ID", "MIME-Version", "From", "To", "Subject", "Content-Type"] {
            XCTAssertEqual(m.count(name), 1, "\(name) appears once")
        }
        XCTAssertEqual(m.header("Date"), "Tue, 24 Nov 2026 06:00:00 +0200")
        XCTAssertEqual(m.header("MIME-Version"), "1.0")
        XCTAssertEqual(m.header("From"), "Dusangire Analytics <reports@dusangire.rw>")
        XCTAssertEqual(m.header("To"), "Aline Uwase <aline@example.rw>")
        let id = try XCTUnwrap(m.header("Message-ID"))
        XCTAssertNotNil(id.range(of: "^<[0-9a-f]{32}@dusangire\\.rw>$", options: .regularExpression), id)
        XCTAssertNotEqual(try Self.message().messageID, try Self.message().messageID, "a new id per message")
    }

    func testDateHeaderFollowsRFC5322InOtherZonesAndAcrossMidnight() {
        let leapEvening = Date(timeIntervalSince1970: 1_709_251_199)  // 2024-02-29 23:59:59 UTC
        XCTAssertEqual(MIMEEncoding.date(leapEvening, timeZone: Self.kigali), "Fri, 01 Mar 2024 01:59:59 +0200")
        XCTAssertEqual(MIMEEncoding.date(leapEvening, timeZone: TimeZone(secondsFromGMT: -(3 * 3600 + 1800))!),
                       "Thu, 29 Feb 2024 20:29:59 -0330")
        XCTAssertEqual(MIMEEncoding.date(Date(timeIntervalSince1970: 0), timeZone: TimeZone(identifier: "UTC")!),
                       "Thu, 01 Jan 1970 00:00:00 +0000")
    }

    func testNonASCIISubjectIsEncodedFoldedAndDecodesBack() throws {
        let long = Self.subject + " · Icyumweru cya 47 · Amafaranga yinjiye n'ibyo abakiriya baguze — Kigali"
        for subject in [Self.subject, long] {
            let text = try Self.message(subject: subject).renderedText()
            let m = TestMIME(text)
            let raw = try XCTUnwrap(m.header("Subject"))
            XCTAssertTrue(raw.hasPrefix("=?UTF-8?B?"), raw)
            XCTAssertTrue(raw.unicodeScalars.allSatisfy { $0.isASCII })
            XCTAssertEqual(TestMIME.decodeHeader(raw), subject)
            let head = text.components(separatedBy: "\r\n\r\n")[0]
            for line in head.components(separatedBy: "\r\n") {
                XCTAssertLessThanOrEqual(line.count, 78, "header line too long: \(line)")
            }
        }
        // Long enough to need folding: more than one line.
        let head = try Self.message(subject: long).renderedText().components(separatedBy: "\r\n\r\n")[0]
        XCTAssertTrue(head.contains("\r\n =?UTF-8?B?"), "folded between encoded words")
    }

    func testASCIISubjectStaysReadableAndFolds() throws {
        let subject = "Daily report 2026-11-23: revenue RWF 9,874,300, 1312 sales, 3 rejected rows, 91 rows written today"
        let text = try Self.message(subject: subject).renderedText()
        let raw = try XCTUnwrap(TestMIME(text).header("Subject"))
        XCTAssertEqual(raw.replacingOccurrences(of: "\r\n", with: ""), subject)
        XCTAssertTrue(text.contains("Subject: Daily report 2026-11-23:"))
        let injected = try Self.message(subject: "Hi\r\nBcc: everyone@example.rw").renderedText()
        XCTAssertNil(TestMIME(injected).header("Bcc"), "no header injection through the subject")
    }

    func testPartsAreTextThenHTMLThenTheAttachmentWithItsExactBytes() throws {
        let message = try Self.message()
        let m = TestMIME(message.renderedText())
        XCTAssertEqual(m.contentType, "multipart/mixed")
        let top = m.parts
        XCTAssertEqual(top.count, 2)
        XCTAssertEqual(top[0].contentType, "multipart/alternative")
        let alternatives = top[0].parts
        XCTAssertEqual(alternatives.map(\.contentType), ["text/plain", "text/html"], "plain text first")
        XCTAssertEqual(alternatives[0].parameter("Content-Type", "charset")?.uppercased(), "UTF-8")
        XCTAssertEqual(alternatives[0].decodedText, "Amafaranga: RWF 1,234,568\r\nIbyo twagurishije: 42")
        XCTAssertEqual(alternatives[1].decodedText,
                       "<html><body><h1>Raporo</h1><p>Amafaranga: RWF 1,234,568 — ✓</p></body></html>")
        let attachment = top[1]
        XCTAssertEqual(attachment.contentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        XCTAssertTrue(attachment.header("Content-Disposition")?.hasPrefix("attachment;") ?? false)
        XCTAssertEqual(attachment.parameter("Content-Disposition", "filename"), "daily-2026-11-23.xlsx")
        XCTAssertEqual(attachment.header("Content-Transfer-Encoding"), "base64")
        XCTAssertEqual(attachment.decodedBody, Self.xlsxBytes)
        let lines = attachment.body.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertEqual(lines.dropLast().map(\.count), Array(repeating: 76, count: lines.count - 1), "76-character lines")
    }

    func testEveryLineEndsInCRLFAndIsShortAndASCII() throws {
        let text = try Self.message(text: String(repeating: "Ijambo ryiza cyane ✓ ", count: 40) + "\n. dot\nend  ",
                                    html: "<p>" + String(repeating: "é", count: 300) + "</p>").renderedText()
        XCTAssertFalse(text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "no bare LF")
        XCTAssertFalse(text.replacingOccurrences(of: "\r\n", with: "").contains("\r"), "no bare CR")
        XCTAssertTrue(text.hasSuffix("\r\n"))
        XCTAssertTrue(text.unicodeScalars.allSatisfy { $0.isASCII })
        for line in text.components(separatedBy: "\r\n") {
            XCTAssertLessThanOrEqual(line.count, 78, line)
            XCTAssertFalse(line.hasPrefix("."), "no line starts with a dot: \(line)")
        }
        let parts = TestMIME(text).parts[0].parts
        XCTAssertEqual(parts[0].decodedText, String(repeating: "Ijambo ryiza cyane ✓ ", count: 40) + "\r\n. dot\r\nend  ")
        XCTAssertEqual(parts[1].decodedText, "<p>" + String(repeating: "é", count: 300) + "</p>")
    }

    func testNonASCIIAttachmentNameUsesRFC2231() throws {
        let name = "Raporo y'ukwezi — Ugushyingo 2026 (abakiriya bose, amafaranga n'ibindi).xlsx"
        let text = try Self.message(attachments: [.init(filename: name, mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                                        bytes: [1, 2, 3])]).renderedText()
        let attachment = TestMIME(text).parts[1]
        XCTAssertEqual(attachment.parameter("Content-Disposition", "filename"), name)
        XCTAssertEqual(attachment.parameter("Content-Type", "name"), name)
        XCTAssertTrue(try XCTUnwrap(attachment.header("Content-Disposition")).contains("filename*0*=UTF-8''"))
        XCTAssertEqual(attachment.decodedBody, [1, 2, 3])
    }

    func testAddressesAreValidatedAndNamesEncoded() throws {
        XCTAssertThrowsError(try MailAddress("not an address"))
        XCTAssertThrowsError(try MailAddress("a@b\r\nBcc: x@y"))
        XCTAssertThrowsError(try MailAddress("@example.rw"))
        let parsed = try MailAddress(parsing: "\"Uwase, Aline\" <aline@example.rw>")
        XCTAssertEqual(parsed.name, "Uwase, Aline")
        XCTAssertEqual(parsed.address, "aline@example.rw")
        XCTAssertEqual(try MailAddress(parsing: "reports@dusangire.rw").name, nil)
        let m = MailMessage(from: try MailAddress("reports@dusangire.rw", name: "Raporo — Dusangire"),
                            to: try MailAddress(parsing: "\"Uwase, Aline\" <aline@example.rw>"),
                            subject: "x", text: "", html: "", date: Self.morning)
        let parsedBack = TestMIME(m.renderedText())
        XCTAssertEqual(TestMIME.decodeHeader(try XCTUnwrap(parsedBack.header("From"))), "Raporo — Dusangire <reports@dusangire.rw>")
        XCTAssertEqual(parsedBack.header("To"), "\"Uwase, Aline\" <aline@example.rw>")
    }
}
