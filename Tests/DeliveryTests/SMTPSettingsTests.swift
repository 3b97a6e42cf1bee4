import Delivery
import Foundation
import XCTest

final class SMTPSettingsTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func config(_ text: String, mode: Int) throws -> String {
        let path = folder.appendingPathComponent("smtp.conf").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    func testFromTheEnvironment() throws {
        let s = try SMTPSettings.load(environment: [
            "DUSANGIRE_SMTP_URL": "smtp://mail.example.rw:587", "DUSANGIRE_SMTP_USER": "reports",
            "DUSANGIRE_SMTP_PASSWORD": "s3cret-Pa55", "DUSANGIRE_SMTP_FROM": "Dusangire Reports <reports@example.rw>",
        ])
        XCTAssertEqual(s.url, "smtp://mail.example.rw:587")
        XCTAssertEqual(s.username, "reports")
        XCTAssertEqual(s.password, "s3cret-Pa55")
        XCTAssertEqual(s.from.address, "reports@example.rw")
        XCTAssertEqual(s.from.name, "Dusangire Reports")
        XCTAssertEqual(s.tls, .required, "STARTTLS required unless said otherwise")
        XCTAssertEqual(s.timeout, 60)
        XCTAssertFalse(s.description.contains("s3cret"))
        var dumped = ""
        dump(s, to: &dumped)
        XCTAssertFalse(dumped.contains("s3cret"), dumped)
    }

    func testFromAConfigFileWithTheEnvironmentOverridingIt() throws {
        let path = try config("""
            # Dusangire SMTP
            url = smtps://mail.example.rw:465
            user=reports
            password="p@ss word=1"
            DUSANGIRE_SMTP_FROM=reports@example.rw
            tls=try
            timeout=20
            """, mode: 0o600)
        let s = try SMTPSettings.load(environment: ["DUSANGIRE_SMTP_CONFIG": path, "DUSANGIRE_SMTP_TLS": "none"])
        XCTAssertEqual(s.url, "smtps://mail.example.rw:465")
        XCTAssertEqual(s.password, "p@ss word=1")
        XCTAssertEqual(s.from.address, "reports@example.rw")
        XCTAssertEqual(s.tls, .none, "the environment wins")
        XCTAssertEqual(s.timeout, 20)
    }

    func testAWorldReadableFileWithAPasswordIsRefused() throws {
        let path = try config("url=smtp://mail.example.rw:587\nuser=reports\npassword=hunter2\nfrom=reports@example.rw\n", mode: 0o644)
        XCTAssertThrowsError(try SMTPSettings.load(environment: ["DUSANGIRE_SMTP_CONFIG": path])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(path) && text.contains("chmod o-rwx"), text)
            XCTAssertFalse(text.contains("hunter2"))
        }
        // Without a password the same permissions are fine.
        let open = try config("url=smtp://relay.local:25\nfrom=reports@example.rw\ntls=none\n", mode: 0o644)
        XCTAssertEqual(try SMTPSettings.load(environment: ["DUSANGIRE_SMTP_CONFIG": open]).tls, .none)
    }

    func testAFileReachedThroughASymbolicLinkIsJudgedByItsOwnMode() throws {
        let target = try config("url=smtp://mail.example.rw:587\nuser=reports\npassword=hunter2\nfrom=reports@example.rw\n", mode: 0o600)
        let link = folder.appendingPathComponent("smtp-link.conf").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        XCTAssertEqual(try SMTPSettings.load(environment: ["DUSANGIRE_SMTP_CONFIG": link]).password, "hunter2",
                       "a 0600 file is accepted through a link, whose own mode is 0777")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: target)
        XCTAssertThrowsError(try SMTPSettings.load(environment: ["DUSANGIRE_SMTP_CONFIG": link])) { error in
            XCTAssertEqual(error as? DeliveryError, .configReadableByOthers(path: link))
        }
    }

    func testErrorsAreOneSentenceWithoutThePassword() throws {
        func message(_ env: [String: String]) -> String {
            do { _ = try SMTPSettings.load(environment: env); return "no error" } catch { return "\(error)" }
        }
        XCTAssertTrue(message([:]).hasPrefix("DUSANGIRE_SMTP_URL is not set"))
        XCTAssertTrue(message(["DUSANGIRE_SMTP_URL": "smtp://h:25"]).hasPrefix("DUSANGIRE_SMTP_FROM is not set"))
        let withPassword = message(["DUSANGIRE_SMTP_URL": "smtp://reports:hunter2@mail.example.rw:587", "DUSANGIRE_SMTP_FROM": "a@b.rw"])
        XCTAssertTrue(withPassword.contains("contains a password"), withPassword)
        XCTAssertFalse(withPassword.contains("hunter2"))
        XCTAssertTrue(message(["DUSANGIRE_SMTP_URL": "http://mail.example.rw", "DUSANGIRE_SMTP_FROM": "a@b.rw"])
            .contains("expected smtp://host:587 or smtps://host:465"))
        XCTAssertTrue(message(["DUSANGIRE_SMTP_URL": "smtp://h:25", "DUSANGIRE_SMTP_FROM": "a@b.rw", "DUSANGIRE_SMTP_TLS": "maybe"])
            .contains("expected required, try or none"))
        let userOnly = message(["DUSANGIRE_SMTP_URL": "smtp://h:25", "DUSANGIRE_SMTP_FROM": "a@b.rw", "DUSANGIRE_SMTP_USER": "u"])
        XCTAssertTrue(userOnly.hasPrefix("DUSANGIRE_SMTP_PASSWORD is not set"), userOnly)
        let path = try config("url=smtp://h:25\nfrom=a@b.rw\npassword hunter2\n", mode: 0o600)
        let badLine = message(["DUSANGIRE_SMTP_CONFIG": path])
        XCTAssertTrue(badLine.hasPrefix("Line 3 of the SMTP config file"), badLine)
        XCTAssertFalse(badLine.contains("hunter2"))
    }

    func testAPortOutside1To65535IsASettingsError() throws {
        func load(_ url: String) throws -> SMTPSettings {
            try SMTPSettings.load(environment: ["DUSANGIRE_SMTP_URL": url, "DUSANGIRE_SMTP_FROM": "a@b.rw"])
        }
        for url in ["smtp://127.0.0.1:99999", "smtp://127.0.0.1:abc", "smtp://127.0.0.1:0", "smtp://127.0.0.1:", "smtps://[::1]:65536",
                    "smtp://mail.example.rw:-25", "smtp://mail.example.rw:+25", "smtp://mail.example.rw:1234567", "smtp://[::1"] {
            XCTAssertThrowsError(try load(url), url) { error in
                XCTAssertEqual("\(error)", "DUSANGIRE_SMTP_URL is \"\(url)\", which is not valid; expected a port from 1 to 65535 after the host, as in smtp://host:587.")
            }
        }
        for url in ["smtp://127.0.0.1:1", "smtp://mail.example.rw:587", "smtps://mail.example.rw:65535", "smtp://mail.example.rw",
                    "smtps://[2001:db8::1]:465", "smtp://[::1]", "smtp://mail.example.rw:25/"] {
            XCTAssertEqual(try load(url).url, url)
        }
    }

    func testALineWithAMistypedSeparatorIsNotRepeated() throws {
        func message(_ text: String) throws -> String {
            let path = try config(text, mode: 0o600)
            do { _ = try SMTPSettings.load(environment: ["DUSANGIRE_SMTP_CONFIG": path]); return "no error" } catch { return "\(error)" }
        }
        // A colon for the `=`, and the base64 padding of the password gives the line an `=` of its own.
        let colon = try message("url=smtp://127.0.0.1:2525\nuser=rep\npassword: c2VjcmV0UGFzcw==\nfrom=R <r@example.rw>\n")
        XCTAssertTrue(colon.hasPrefix("Line 3 of the SMTP config file"), colon)
        XCTAssertTrue(colon.contains("the keys url, user, password, from, tls and timeout"), colon)
        XCTAssertFalse(colon.contains("c2VjcmV0"), colon)
        let spaced = try message("url=smtp://127.0.0.1:2525\nDUSANGIRE_SMTP_PASSWORD :Hunter2=x\nfrom=r@example.rw\n")
        XCTAssertTrue(spaced.hasPrefix("Line 2 of the SMTP config file"), spaced)
        XCTAssertFalse(spaced.contains("Hunter2"), spaced)
        XCTAssertFalse(spaced.contains("DUSANGIRE_SMTP_PASSWORD :"), spaced)
    }
}
