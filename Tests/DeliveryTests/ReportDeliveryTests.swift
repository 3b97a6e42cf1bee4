import Delivery
import Foundation
import Postgres
import Shop
import XCTest

/// The façade and the delivery log. The log tests need PostgreSQL (as Tests/IntegrationTests do): they skip without
/// PGHOST / DUSANGIRE_TEST_PG, and `make test` always provides a server.
final class ReportDeliveryTests: XCTestCase {
    static let period = ShopDayRange(ShopDay(year: 2026, month: 11, day: 23), ShopDay(year: 2026, month: 11, day: 23))
    /// Only managers see customer data here.
    static func shows(_ role: RecipientRole) -> Bool { role == .manager }

    /// What the report renderer would hand over: a copy per recipient, customer data per the policy.
    static func copies() throws -> [ReportCopy] {
        try [Recipient(email: "Manager <manager@dusangire.rw>", role: .manager),
             Recipient(email: "analyst@dusangire.rw", role: .analyst)].map { r in
            let name = shows(r.role) ? "Aline Uwase" : CustomerPrivacy.maskName("Aline Uwase")
            let phone = shows(r.role) ? "+250788123456" : CustomerPrivacy.maskPhone("+250788123456")
            return ReportCopy(recipient: r, subject: "Raporo y'umunsi — 2026-11-23",
                              text: "Top customer: \(name) (\(phone))\n",
                              html: "<p>Top customer: \(name) (\(phone))</p>")
        }
    }

    var folder: URL!
    var xlsx: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("delivery-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        xlsx = folder.appendingPathComponent("daily-2026-11-23.xlsx")
        try Data(MailMessageTests.xlsxBytes).write(to: xlsx)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func testDryRunWritesOneEmlPerRecipient() throws {
        let outcomes = try ReportDelivery.send(report: "daily", period: Self.period, copies: try Self.copies(), files: [xlsx],
                                               settings: nil, from: try MailAddress("reports@dusangire.rw"), log: nil,
                                               dryRunFolder: folder, clock: { MailMessageTests.morning })
        let expected = ["daily-2026-11-23-manager@dusangire.rw.eml", "daily-2026-11-23-analyst@dusangire.rw.eml"]
        XCTAssertEqual(outcomes.map(\.status), expected.map { .dryRun(file: folder.appendingPathComponent($0)) })
        for (name, outcome) in zip(expected, outcomes) {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            let m = TestMIME(text)
            XCTAssertEqual(m.header("Message-ID"), outcome.messageID)
            XCTAssertEqual(m.header("Date"), "Tue, 24 Nov 2026 06:00:00 +0200")
            XCTAssertEqual(m.parts[1].decodedBody, MailMessageTests.xlsxBytes)
        }
        XCTAssertThrowsError(try ReportDelivery.send(report: "daily", period: Self.period, copies: [], files: [],
                                                     settings: nil, log: nil, dryRunFolder: nil)) { error in
            XCTAssertEqual(error as? DeliveryError, .missingSetting(name: "DUSANGIRE_SMTP_URL"))
        }
        XCTAssertThrowsError(try ReportDelivery.send(report: "daily", period: Self.period, copies: try Self.copies(),
                                                     files: [folder.appendingPathComponent("missing.xlsx")],
                                                     settings: nil, log: nil, dryRunFolder: folder)) { error in
            XCTAssertTrue("\(error)".hasPrefix("The attachment \(folder.path)/missing.xlsx could not be read"), "\(error)")
        }
    }

    // MARK: with PostgreSQL

    func testOnceRecordedAsSentItIsAlreadySent() throws {
        let db = try TestDatabase()
        let log = DeliveryLog(connection: db.connection)
        let next = ShopDayRange(Self.period.first.advanced(by: 1), Self.period.last.advanced(by: 1))
        XCTAssertFalse(try log.alreadySent(report: "daily", period: Self.period, recipient: "manager@dusangire.rw"))
        try log.record(DeliveryRecord(report: "daily", period: Self.period, recipient: "manager@dusangire.rw", role: .manager,
                                      status: .failed, error: "Could not reach the SMTP server."))
        try log.record(DeliveryRecord(report: "daily", period: Self.period, recipient: "manager@dusangire.rw", role: .manager,
                                      status: .dryRun, messageID: "<a@dusangire.rw>"))
        XCTAssertFalse(try log.alreadySent(report: "daily", period: Self.period, recipient: "manager@dusangire.rw"),
                       "a failure or a dry run is not a send")
        try log.record(DeliveryRecord(report: "daily", period: Self.period, recipient: "manager@dusangire.rw", role: .manager,
                                      status: .sent, messageID: "<b@dusangire.rw>"))
        XCTAssertTrue(try log.alreadySent(report: "daily", period: Self.period, recipient: "manager@dusangire.rw"))
        XCTAssertTrue(try log.alreadySent(report: "daily", period: Self.period, recipient: "Manager@Dusangire.RW"))
        XCTAssertFalse(try log.alreadySent(report: "daily", period: next, recipient: "manager@dusangire.rw"))
        XCTAssertFalse(try log.alreadySent(report: "weekly", period: Self.period, recipient: "manager@dusangire.rw"))
        XCTAssertFalse(try log.alreadySent(report: "daily", period: Self.period, recipient: "analyst@dusangire.rw"))

        // The index refuses a second plain "sent" row; record() keeps a racing send as a resend instead of losing it.
        XCTAssertThrowsError(try db.connection.execute("""
            INSERT INTO analytics.delivery_log (report, period_first, period_last, recipient, role, status)
            VALUES ('daily', '2026-11-23', '2026-11-23', 'MANAGER@dusangire.rw', 'manager', 'sent')
            """)) { XCTAssertEqual(($0 as? PostgresError)?.sqlState, "23505") }
        try log.record(DeliveryRecord(report: "daily", period: Self.period, recipient: "manager@dusangire.rw", role: .manager,
                                      status: .sent, messageID: "<c@dusangire.rw>"))
        let rows = try log.entries(report: "daily", period: Self.period)
        XCTAssertEqual(rows.map(\.status), [.failed, .dryRun, .sent, .sent])
        XCTAssertEqual(rows.map(\.resend), [false, false, false, true])
        XCTAssertEqual(rows[0].error, "Could not reach the SMTP server.")
        XCTAssertEqual(rows[2].messageID, "<b@dusangire.rw>")
        XCTAssertNotNil(rows[2].sentAt)
    }

    func testASentReportIsNotSentAgainUnlessResent() throws {
        let db = try TestDatabase()
        let sink = try SMTPSink()
        let log = DeliveryLog(connection: db.connection)
        let settings = try SMTPSettings(url: sink.url, from: try MailAddress("reports@dusangire.rw"), tls: .none, timeout: 10)
        func send(resend: Bool = false) throws -> [DeliveryOutcome.Status] {
            try ReportDelivery.send(report: "daily", period: Self.period, copies: try Self.copies(), files: [xlsx],
                                    settings: settings, log: log, dryRunFolder: nil, resend: resend).map(\.status)
        }
        XCTAssertEqual(try send(), [.sent, .sent])
        XCTAssertEqual(try send(), [.alreadySent, .alreadySent])
        XCTAssertEqual(try sink.messages(atLeast: 2).count, 2, "the second send sent nothing")
        XCTAssertEqual(try send(resend: true), [.sent, .sent])
        XCTAssertEqual(try sink.messages(atLeast: 4).count, 4)
        let rows = try log.entries(report: "daily", period: Self.period)
        XCTAssertEqual(rows.map(\.recipient), ["manager@dusangire.rw", "analyst@dusangire.rw", "manager@dusangire.rw", "analyst@dusangire.rw"])
        XCTAssertEqual(rows.map(\.resend), [false, false, true, true])
        XCTAssertEqual(rows.map(\.role), [.manager, .analyst, .manager, .analyst])
        let ids = try sink.messages(atLeast: 4).map { TestMIME(String(decoding: $0.raw, as: UTF8.self)).header("Message-ID") }
        XCTAssertEqual(ids, rows.map(\.messageID), "the log names the Message-ID that arrived")
    }

    func testAFailedSendIsLoggedWithItsReasonAndTriedAgainNextTime() throws {
        let db = try TestDatabase()
        let log = DeliveryLog(connection: db.connection)
        let run = try XCTUnwrap(db.connection.scalar("""
            INSERT INTO analytics.runs (command, status, time_zone, version) VALUES ('run', 'succeeded', 'Africa/Kigali', 'test')
            RETURNING id
            """).flatMap { Int64($0) })
        let settings = try SMTPSettings(url: "smtp://127.0.0.1:\(SMTPSink.closedPort())", from: try MailAddress("reports@dusangire.rw"),
                                        tls: .try, timeout: 5)
        let outcomes = try ReportDelivery.send(report: "daily", period: Self.period, copies: try Self.copies(), files: [xlsx],
                                               settings: settings, log: log, dryRunFolder: nil, runID: run)
        XCTAssertTrue(outcomes.allSatisfy(\.failed))
        XCTAssertTrue(outcomes[1].summary.hasPrefix("failed for analyst@dusangire.rw (analyst): Could not reach the SMTP server"),
                      outcomes[1].summary)
        let rows = try log.entries(report: "daily", period: Self.period)
        XCTAssertEqual(rows.map(\.status), [.failed, .failed])
        XCTAssertEqual(rows.map(\.runID), [run, run])
        XCTAssertTrue(rows.allSatisfy { $0.error?.hasPrefix("Could not reach the SMTP server") ?? false })
        XCTAssertFalse(try log.alreadySent(report: "daily", period: Self.period, recipient: "manager@dusangire.rw"))
    }

    func testADryRunIsLoggedButDoesNotCountAsSent() throws {
        let db = try TestDatabase()
        let log = DeliveryLog(connection: db.connection)
        let outcomes = try ReportDelivery.send(report: "daily", period: Self.period, copies: try Self.copies(), files: [xlsx],
                                               settings: nil, log: log, dryRunFolder: folder)
        XCTAssertEqual(outcomes.count, 2)
        XCTAssertEqual(try log.entries(report: "daily", period: Self.period).map(\.status), [.dryRun, .dryRun])
        XCTAssertFalse(try log.alreadySent(report: "daily", period: Self.period, recipient: "manager@dusangire.rw"))
    }
}

/// A fresh database on the test server with the project's migrations applied in order (sql/migrations), dropped at
/// the end. The files are applied directly: the Warehouse's Migrator is not a dependency of these tests.
final class TestDatabase {
    static let migrations = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("sql/migrations")

    let name: String
    let connection: Connection
    private let server: Connection

    init() throws {
        let env = ProcessInfo.processInfo.environment
        guard env["DUSANGIRE_TEST_PG"] != nil || env["PGHOST"] != nil else {
            throw XCTSkip("no PostgreSQL for the delivery log tests: run `make test` (it starts one) or set PGHOST/PGPORT/PGUSER")
        }
        server = try Connection("dbname=postgres")
        name = "dusangire_delivery_test_\(UInt32.random(in: 0...UInt32.max))"
        try server.execute("CREATE DATABASE \(name)")
        connection = try Connection("dbname=\(name)")
        try connection.execute("CREATE SCHEMA analytics")
        let files = try FileManager.default.contentsOfDirectory(atPath: TestDatabase.migrations.path)
            .filter { $0.hasSuffix(".sql") }.sorted()
        for file in files {
            try connection.execute(try String(contentsOf: TestDatabase.migrations.appendingPathComponent(file), encoding: .utf8))
        }
    }

    deinit { _ = try? server.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
}
