import Foundation
import XCTest

/// `send` as cron runs it: a real SMTP sink (scripts/smtp-sink.py, aiosmtpd) receives the messages, and Python's own
/// e-mail parser reads them back, so nothing here trusts the project's MIME code.
final class SendTests: XCTestCase {
    /// Starts the sink; returns its port, its folder and the stdin handle that keeps it alive.
    func startSink() throws -> (port: Int, folder: String, process: Process, stdin: Pipe) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sink-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let p = Process(), input = Pipe(), output = Pipe()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", TestShop.repoRoot.appendingPathComponent("scripts/smtp-sink.py").path, folder]
        p.standardInput = input
        p.standardOutput = output
        try p.run()
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        guard line.hasPrefix("listening "), let port = Int(line.dropFirst(10).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            p.terminate()
            if ProcessInfo.processInfo.environment["CI"] == nil { throw XCTSkip("the SMTP sink did not start (aiosmtpd missing?): \(line)") }
            throw NSError(domain: "sink", code: 1, userInfo: [NSLocalizedDescriptionKey: "the SMTP sink did not start: \(line)"])
        }
        return (port, folder, p, input)
    }

    /// Python reads a received message: headers, the decoded text and HTML parts, and the attachment names and bytes.
    func read(_ eml: String) throws -> [String: Any] {
        let code = """
        import email, email.policy, json, sys, base64
        m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
        out = {'subject': str(m['subject']), 'to': str(m['to']), 'date': str(m['date']), 'message_id': str(m['message-id']),
               'parts': [p.get_content_type() for p in m.walk()], 'defects': len(m.defects)}
        for p in m.walk():
            if p.get_content_type() == 'text/plain' and 'text' not in out: out['text'] = p.get_content()
            if p.get_content_type() == 'text/html': out['html'] = p.get_content()
            if p.get_filename(): out.setdefault('attachments', {})[p.get_filename()] = base64.b64encode(p.get_payload(decode=True)).decode()
        print(json.dumps(out))
        """
        let p = Process(), out = Pipe()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", code, eml]
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    /// A shop whose one sale is on 23 November 2026.
    func oneSale() throws -> TestShop {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 9000)
        return shop
    }

    /// A new folder of report definitions holding `daily.json` (the caller removes it).
    func definitions(daily json: String) throws -> String {
        let reports = FileManager.default.temporaryDirectory.appendingPathComponent("defs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
        try Data(json.utf8).write(to: URL(fileURLWithPath: reports + "/daily.json"))
        return reports
    }

    /// What `run` and `send` need to read `shop` and mail through the sink on `port`, with the definitions in `reports`.
    func mailEnv(_ shop: TestShop, sink port: Int, reports: String) -> [String: String] {
        ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url, "DUSANGIRE_REPORTS_DIR": reports,
         "DUSANGIRE_SMTP_URL": "smtp://127.0.0.1:\(port)", "DUSANGIRE_SMTP_FROM": "Dusangire <reports@example.rw>",
         "DUSANGIRE_SMTP_TLS": "none"]
    }

    func testDailyReportIsMailedWithCustomerNamesOnlyToAllowedRoles() throws {
        let shop = try TestShop()
        try shop.user(1, first: "Aline", last: "Uwase")
        try shop.user(2, first: "<script>alert(1)</script>", last: "Mugisha")
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 9000)
        try shop.order(2, user: 2, kigali: "2026-11-23 13:00", subtotal: 4000)
        let reports = try definitions(daily: """
            {"name": "daily", "title": "Raporo y'umunsi — Dusangire", "period": "day",
             "sections": ["dashboard", "top_customers", "quality"],
             "recipients": [{"name": "Manager", "email": "manager@example.rw", "role": "manager"},
                            {"name": "Kitchen", "email": "kitchen@example.rw", "role": "kitchen"}],
             "customer_data_roles": ["manager"]}
            """)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("send-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: reports); try? FileManager.default.removeItem(atPath: out) }
        let sink = try startSink()
        defer { try? sink.stdin.fileHandleForWriting.close(); sink.process.waitUntilExit(); try? FileManager.default.removeItem(atPath: sink.folder) }

        var env = mailEnv(shop, sink: sink.port, reports: reports)
        let run = try CLI.run(["run", "--date", "2026-11-23", "--out", out, "--send"], env: env)
        XCTAssertEqual(run.status, 0, run.err)
        XCTAssertTrue(run.out.contains("send daily 2026-11-23: sent to"), run.out)

        let names = try FileManager.default.contentsOfDirectory(atPath: sink.folder).filter { $0.hasSuffix(".eml") }.sorted()
        XCTAssertEqual(names.count, 2)
        var byRecipient: [String: [String: Any]] = [:]
        for n in names {
            let m = try read(sink.folder + "/" + n)
            byRecipient[m["to"] as? String ?? ""] = m
        }
        let manager = try XCTUnwrap(byRecipient.first { $0.key.contains("manager@") }?.value)
        let kitchen = try XCTUnwrap(byRecipient.first { $0.key.contains("kitchen@") }?.value)
        XCTAssertEqual(manager["subject"] as? String, "Raporo y'umunsi — Dusangire: Monday 23 November 2026")
        XCTAssertEqual(manager["defects"] as? Int, 0)
        XCTAssertEqual(manager["parts"] as? [String], ["multipart/mixed", "multipart/alternative", "text/plain", "multipart/related",
                                                       "text/html", "image/png",
                                                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"])
        XCTAssertTrue((manager["message_id"] as? String ?? "").hasSuffix("@example.rw>"))
        XCTAssertTrue((manager["text"] as? String ?? "").contains("Revenue: RWF 13,000"))
        // The body is a summary: no customer names for anyone; they are in the attachments of those who may see them.
        let managerHTML = manager["html"] as? String ?? ""
        XCTAssertTrue(managerHTML.contains("Revenue RWF 13,000"))
        XCTAssertFalse(managerHTML.contains("<script"))
        XCTAssertFalse(managerHTML.contains("Uwase"))
        let kitchenHTML = kitchen["html"] as? String ?? ""
        XCTAssertFalse(kitchenHTML.contains("Uwase"), "the kitchen's copy has no customer names")
        XCTAssertFalse(kitchenHTML.contains("Mugisha"))

        // The attachment is the workbook as written to disk, byte for byte; the kitchen's is the masked one.
        let attachment = try XCTUnwrap((manager["attachments"] as? [String: String])?["daily-2026-11-23.xlsx"])
        XCTAssertEqual(Data(base64Encoded: attachment), FileManager.default.contents(atPath: out + "/daily-2026-11-23.xlsx"))
        let masked = try XCTUnwrap((kitchen["attachments"] as? [String: String])?["daily-2026-11-23.xlsx"])
        XCTAssertEqual(Data(base64Encoded: masked), FileManager.default.contents(atPath: out + "/masked/daily-2026-11-23.xlsx"))

        // Sent once per period: a second send skips both, --resend sends again.
        let again = try CLI.run(["send", "--date", "2026-11-23", "--out", out], env: env)
        XCTAssertEqual(again.status, 0, again.err)
        XCTAssertEqual(again.out.components(separatedBy: "already sent").count - 1, 2, again.out)
        XCTAssertEqual(try shop.admin.scalar("SELECT count(*) FROM analytics.delivery_log WHERE status = 'sent'"), "2")

        // A server that is down: a clear sentence, exit 69, and the failure logged.
        env["DUSANGIRE_SMTP_URL"] = "smtp://127.0.0.1:1"
        let down = try CLI.run(["send", "--date", "2026-11-23", "--out", out, "--resend"], env: env)
        XCTAssertEqual(down.status, 69, "the README's exit code for a server that cannot be reached")
        XCTAssertTrue(down.err.hasPrefix("error: 2 messages of the daily report could not be sent (Could not reach the SMTP server smtp://127.0.0.1:1"), down.err)
        XCTAssertEqual(down.err.split(separator: "\n").count, 1, down.err)
        XCTAssertEqual(try shop.admin.scalar("SELECT count(*) FROM analytics.delivery_log WHERE status = 'failed'"), "2")

        // A port no server can have: a settings problem (78) in one sentence, found before any message is tried.
        env["DUSANGIRE_SMTP_URL"] = "smtp://127.0.0.1:99999"
        let badPort = try CLI.run(["send", "--date", "2026-11-23", "--out", out, "--resend"], env: env)
        XCTAssertEqual(badPort.status, 78, "the README's exit code for settings problems")
        XCTAssertEqual(badPort.err.trimmingCharacters(in: .newlines), "error: DUSANGIRE_SMTP_URL is \"smtp://127.0.0.1:99999\", which is not valid; "
                       + "expected a port from 1 to 65535 after the host, as in smtp://host:587.")
        XCTAssertEqual(try shop.admin.scalar("SELECT count(*) FROM analytics.delivery_log WHERE status = 'failed'"), "2")
    }

    /// Each campaign's page is a report of its own: sending campaign 2's page after campaign 1's on the same day reaches
    /// the same recipients, under a subject naming the campaign. It was logged as "campaign" for the day, so the second
    /// was skipped as already sent (and a dry run wrote both to the same .eml file).
    func testEachCampaignPageIsSentOnItsOwn() throws {
        let shop = try TestShop()
        try shop.user(1)
        try shop.campaign(1, name: "Karibu week", description: "coupon code KARIBU15", startKigali: "2026-11-23 00:00:00",
                          endKigali: "2026-11-25 23:59:59", budget: "2000")
        try shop.campaign(2, name: "Umuganda brunch", description: "coupon code BRUNCH", startKigali: "2026-11-23 00:00:00",
                          endKigali: "2026-11-25 23:59:59", budget: "2000")
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 10000, coupon: 1500)
        try shop.couponCode(order: 1, "KARIBU15")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("send-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let sink = try startSink()
        defer { try? sink.stdin.fileHandleForWriting.close(); sink.process.waitUntilExit(); try? FileManager.default.removeItem(atPath: sink.folder) }
        let env = mailEnv(shop, sink: sink.port, reports: TestShop.repoRoot.appendingPathComponent("reports").path)
        XCTAssertEqual(try CLI.run(["backfill", "--from", "2026-11-23", "--to", "2026-11-25", "--no-report"], env: env).status, 0)
        for id in ["1", "2"] {
            let dry = try CLI.run(["send", "--name", "campaign", "--campaign", id, "--date", "2026-11-25", "--dry-run", "--out", out], env: env)
            XCTAssertEqual(dry.status, 0, dry.err)
            let r = try CLI.run(["send", "--name", "campaign", "--campaign", id, "--date", "2026-11-25", "--out", out], env: env)
            XCTAssertEqual(r.status, 0, r.err)
            XCTAssertTrue(r.out.contains("sent to manager@dusangire.example"), r.out)
        }
        let emls = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".eml") }.sorted()
        XCTAssertEqual(emls, ["campaign-1-2026-11-25-manager@dusangire.example.eml", "campaign-2-2026-11-25-manager@dusangire.example.eml"])
        let received = try FileManager.default.contentsOfDirectory(atPath: sink.folder).filter { $0.hasSuffix(".eml") }.sorted()
        let subjects = try received.map { try read(sink.folder + "/" + $0)["subject"] as? String ?? "" }
        XCTAssertEqual(subjects, ["Dusangire campaign review: Karibu week: Wednesday 25 November 2026",
                                  "Dusangire campaign review: Umuganda brunch: Wednesday 25 November 2026"])
        // Still once per campaign and day.
        let again = try CLI.run(["send", "--name", "campaign", "--campaign", "2", "--date", "2026-11-25", "--out", out], env: env)
        XCTAssertTrue(again.out.contains("already sent"), again.out)
    }

    /// A bad address anywhere in the list stops the send before the first message: it was found only when its
    /// audience's copies were made, after the manager's had gone.
    func testABadAddressSendsNothing() throws {
        let shop = try oneSale()
        let sink = try startSink()
        defer { try? sink.stdin.fileHandleForWriting.close(); sink.process.waitUntilExit(); try? FileManager.default.removeItem(atPath: sink.folder) }
        // The masked copies' reader comes second: the manager's copy was made and sent before that address was read.
        let manager = #"{"name": "Manager", "email": "manager@example.rw", "role": "manager"}"#
        let kitchen = #"{"name": "Kitchen", "email": "kitchen@@example.rw", "role": "kitchen"}"#
        let reports = try definitions(daily: #"{"name": "daily", "title": "Daily", "period": "day", "sections": ["dashboard"], "#
                                      + #""customer_data_roles": ["manager"], "recipients": [\#(manager), \#(kitchen)]}"#)
        defer { try? FileManager.default.removeItem(atPath: reports) }
        let env = mailEnv(shop, sink: sink.port, reports: reports)
        XCTAssertEqual(try CLI.run(["backfill", "--from", "2026-11-23", "--to", "2026-11-23", "--no-report"], env: env).status, 0)
        let r = try CLI.run(["send", "--date", "2026-11-23", "--out", reports + "/out"], env: env)
        XCTAssertEqual(r.status, 78, "a bad definition is a configuration error")
        XCTAssertEqual(r.err.trimmingCharacters(in: .newlines), "error: reports/daily.json: \"kitchen@@example.rw\" is not an email address this program "
                       + "can send to; write it as name@domain (plain ASCII); nothing was sent.")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: sink.folder).filter { $0.hasSuffix(".eml") }, [])
        XCTAssertEqual(try shop.admin.scalar("SELECT count(*) FROM analytics.delivery_log"), "0")
    }

    /// `run --send` mails the daily report and the other one-day reports: a broken one among them (here the kitchen's,
    /// named "daily" inside) was left out without a word, exit 0, and one with a bad address failed after the daily
    /// report had gone. Every one is now read and checked first; the load is kept.
    func testRunSendChecksEveryNightlyDefinitionBeforeTheFirstMessage() throws {
        let shop = try oneSale()
        let sink = try startSink()
        defer { try? sink.stdin.fileHandleForWriting.close(); sink.process.waitUntilExit(); try? FileManager.default.removeItem(atPath: sink.folder) }
        let reports = try definitions(daily: #"{"name": "daily", "title": "Daily", "period": "day", "sections": ["dashboard"], "#
                                      + #""recipients": [{"name": "Manager", "email": "manager@example.rw", "role": "manager"}]}"#)
        defer { try? FileManager.default.removeItem(atPath: reports) }
        let env = mailEnv(shop, sink: sink.port, reports: reports)
        let kitchen = URL(fileURLWithPath: reports + "/kitchen.json")
        try Data(#"{"name": "daily", "title": "Kitchen", "period": "day", "sections": ["kitchen"]}"#.utf8).write(to: kitchen)
        var r = try CLI.run(["run", "--date", "2026-11-23", "--out", reports + "/out", "--send"], env: env)
        XCTAssertEqual(r.status, 78, r.out)
        XCTAssertEqual(r.err.split(separator: "\n").last, "error: The report definition \(reports)/kitchen.json is not valid (its \"name\" is 'daily', "
                       + "not 'kitchen' as its file's; make them the same); fix it as reports/README.md describes.")
        try Data((#"{"name": "kitchen", "title": "Kitchen", "period": "day", "sections": ["kitchen"], "#
                  + #""recipients": [{"name": "Cook", "email": "cook@@example.rw", "role": "kitchen"}]}"#).utf8).write(to: kitchen)
        r = try CLI.run(["run", "--date", "2026-11-23", "--out", reports + "/out", "--send"], env: env)
        XCTAssertEqual(r.status, 78, r.out)
        XCTAssertTrue(r.err.hasSuffix("error: reports/kitchen.json: \"cook@@example.rw\" is not an email address this program can send to; "
                                      + "write it as name@domain (plain ASCII); nothing was sent.\n"), r.err)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: sink.folder).filter { $0.hasSuffix(".eml") }, [])
        XCTAssertEqual(try shop.admin.scalar("SELECT count(*) FROM analytics.runs WHERE status = 'succeeded'"), "2", "the loads are kept")
    }

    /// The warehouse lost right after the SMTP server took a message, before the log recorded it: the sentence says
    /// who got the report and that a later send gives them a second copy, exit 69 (a lost connection); the next send
    /// serves the rest. It said only that the log could not be written, inside a lost connection's advice for jobs
    /// ("a job cut off this way loads nothing") and an advice to run migrate, exit 1.
    /// A shop with one sale on 2026-11-23, computed; a daily definition for a manager (sees customer data) and the
    /// kitchen (a masked copy); a sink. Returns the environment, the sink's message count, and what to clean up.
    func mailingShop() throws -> (shop: TestShop, env: [String: String], received: () throws -> Int, cleanup: () -> Void) {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 9000)
        let reports = FileManager.default.temporaryDirectory.appendingPathComponent("defs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
        try Data("""
            {"name": "daily", "title": "Daily", "period": "day", "sections": ["dashboard"],
             "recipients": [{"name": "Manager", "email": "manager@example.rw", "role": "manager"},
                            {"name": "Kitchen", "email": "kitchen@example.rw", "role": "kitchen"}],
             "customer_data_roles": ["manager"]}
            """.utf8).write(to: URL(fileURLWithPath: reports + "/daily.json"))
        let sink = try startSink()
        let env = ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url, "DUSANGIRE_REPORTS_DIR": reports,
                   "DUSANGIRE_SMTP_URL": "smtp://127.0.0.1:\(sink.port)", "DUSANGIRE_SMTP_FROM": "Dusangire <reports@example.rw>",
                   "DUSANGIRE_SMTP_TLS": "none"]
        XCTAssertEqual(try CLI.run(["run", "--date", "2026-11-23", "--no-report"], env: env).status, 0)
        return (shop, env, { try FileManager.default.contentsOfDirectory(atPath: sink.folder).filter { $0.hasSuffix(".eml") }.count }, {
            try? sink.stdin.fileHandleForWriting.close(); sink.process.waitUntilExit()
            try? FileManager.default.removeItem(atPath: sink.folder); try? FileManager.default.removeItem(atPath: reports)
        })
    }

    /// Every copy is written before the first message goes: the masked copy's folder in the way (a file named
    /// `masked`) stops the mailing before anyone got the report, exit 73, where the manager had it already and the
    /// kitchen nothing; once the folder is free the next send serves both.
    func testACopyThatCannotBeWrittenStopsTheMailingBeforeTheFirstMessage() throws {
        let m = try mailingShop()
        defer { m.cleanup() }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("send-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: out) }
        try Data("in the way".utf8).write(to: URL(fileURLWithPath: out + "/masked"))
        let stopped = try CLI.run(["send", "--name", "daily", "--date", "2026-11-23", "--out", out], env: m.env)
        XCTAssertEqual(stopped.status, 73, stopped.err)
        XCTAssertTrue(stopped.err.contains("/masked (it is a link or a file, not a folder of its own; remove it)"), stopped.err)
        XCTAssertEqual(try m.received(), 0)
        XCTAssertEqual(try m.shop.admin.scalar("SELECT count(*) FROM analytics.delivery_log"), "0")

        try FileManager.default.removeItem(atPath: out + "/masked")
        XCTAssertEqual(try CLI.run(["send", "--name", "daily", "--date", "2026-11-23", "--out", out], env: m.env).status, 0)
        XCTAssertEqual(try m.received(), 2)
    }

    /// A warehouse that accepts no writes (default_transaction_read_only, a standby): the manager's message went out,
    /// the log could not record it, and the kitchen got nothing, exit 1; every later send mailed the manager again.
    /// Now nothing goes and the sentence says why (exit 78); once the warehouse accepts writes, both are served once.
    func testAWarehouseThatCannotRecordAMessageSendsNothing() throws {
        let m = try mailingShop()
        defer { m.cleanup() }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("send-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        try m.shop.admin.execute("ALTER DATABASE \(m.shop.name) SET default_transaction_read_only = on")
        let refused = try CLI.run(["send", "--name", "daily", "--date", "2026-11-23", "--out", out], env: m.env)
        XCTAssertEqual(refused.status, 78, refused.err)
        XCTAssertTrue(refused.err.hasPrefix("error: The warehouse at "), refused.err)
        XCTAssertTrue(refused.err.hasSuffix("/\(m.shop.name) accepts no record of a sent message from this role (default_transaction_read_only is on for the role or the database, the server is a standby, or the role may not add to the delivery log), so nothing was sent: a report sent now would go again on every later send; let the role write there, then send again.\n"), refused.err)
        XCTAssertEqual(try m.received(), 0)

        try m.shop.admin.execute("ALTER DATABASE \(m.shop.name) RESET default_transaction_read_only")
        XCTAssertEqual(try CLI.run(["send", "--name", "daily", "--date", "2026-11-23", "--out", out], env: m.env).status, 0)
        XCTAssertEqual(try m.received(), 2)
    }

    /// The warehouse's disk full when the log records a message that went out: the sentence was PostgreSQL's advice
    /// for a job ("the work in progress was rolled back, so the previous figures are kept... run again"), with the
    /// server's file name, inside the mailing's, which said to wait until the warehouse answers.
    func testAFullWarehouseDiskAfterAMessageWentOutSaysToFreeSpace() throws {
        let m = try mailingShop()
        defer { m.cleanup() }
        try m.shop.admin.execute("""
            CREATE FUNCTION analytics.disk_full() RETURNS trigger LANGUAGE plpgsql AS
              $$ BEGIN RAISE EXCEPTION 'could not extend file "base/1/2": No space left on device' USING ERRCODE = 'disk_full'; END $$;
            CREATE TRIGGER disk_full BEFORE INSERT ON analytics.delivery_log FOR EACH ROW EXECUTE FUNCTION analytics.disk_full();
            """)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("send-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let full = try CLI.run(["send", "--name", "daily", "--date", "2026-11-23", "--out", out], env: m.env)
        XCTAssertEqual(full.status, 1, full.err)
        XCTAssertEqual(full.err, "error: The report went to manager@example.rw, but the warehouse server's disk is full and the delivery log could not record it, so the recipients after it were not tried; free space on that disk (or on the tablespace the analytics tables live in), then send again: they get the report, and manager@example.rw a second copy.\n")
        XCTAssertEqual(try m.received(), 1)
    }

    func testALogLostAfterAMessageWentOutNamesItsRecipient() throws {
        let m = try mailingShop()
        defer { m.cleanup() }
        let shop = m.shop, env = m.env, received = m.received
        try shop.admin.execute("""
            CREATE FUNCTION analytics.end_session() RETURNS trigger LANGUAGE plpgsql AS
              $$ BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW; END $$;
            CREATE TRIGGER end_session BEFORE INSERT ON analytics.delivery_log FOR EACH ROW EXECUTE FUNCTION analytics.end_session();
            """)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("send-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let lost = try CLI.run(["send", "--name", "daily", "--date", "2026-11-23", "--out", out], env: env)
        XCTAssertEqual(lost.status, 69, lost.err)
        XCTAssertTrue(lost.err.hasPrefix("error: The report went to manager@example.rw, but the delivery log could not record it (the connection to PostgreSQL at "), lost.err)
        XCTAssertTrue(lost.err.contains(" was lost (terminating connection due to administrator command"), lost.err)
        XCTAssertTrue(lost.err.hasSuffix("), so the recipients after it were not tried; once the warehouse answers, send again: they get the report, and manager@example.rw a second copy.\n"), lost.err)
        XCTAssertFalse(lost.err.contains("loads nothing") || lost.err.contains("migrate"), lost.err)
        XCTAssertEqual(try received(), 1)

        try shop.admin.execute("DROP TRIGGER end_session ON analytics.delivery_log")
        let again = try CLI.run(["send", "--name", "daily", "--date", "2026-11-23", "--out", out], env: env)
        XCTAssertEqual(again.status, 0, again.err)
        XCTAssertEqual(try received(), 3, "the kitchen's copy, and the manager's second")
    }

    func testDryRunWritesEmlFilesWithoutSettings() throws {
        let shop = try oneSale()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("eml-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let env = ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url]
        XCTAssertEqual(try CLI.run(["backfill", "--from", "2026-11-17", "--to", "2026-11-23", "--no-report"], env: env).status, 0)
        let r = try CLI.run(["send", "--name", "weekly", "--date", "2026-11-23", "--dry-run", "--out", out], env: env)
        XCTAssertEqual(r.status, 0, r.err)
        let emls = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".eml") }.sorted()
        XCTAssertEqual(emls, ["weekly-2026-11-23_2026-11-29-finance@dusangire.example.eml", "weekly-2026-11-23_2026-11-29-manager@dusangire.example.eml"])
        let m = try read(out + "/" + emls[1])
        XCTAssertEqual(m["subject"] as? String, "Dusangire weekly report: Week 48, 2026 (23 Nov – 29 Nov)")
        XCTAssertNotNil((m["attachments"] as? [String: String])?["weekly-2026-W48.xlsx"])
    }
}
