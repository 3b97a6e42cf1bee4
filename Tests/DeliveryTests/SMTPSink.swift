import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real SMTP server on 127.0.0.1 for the tests: `scripts/smtp-sink.py` (aiosmtpd) in a child process, saving each message's
/// raw bytes in a temporary folder. Stopped (and the folder removed) when released.
final class SMTPSink {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/smtp-sink.py")

    let port: Int
    let folder: URL
    private let process = Process()
    private let input = Pipe()

    /// Skips the test when aiosmtpd is missing, except under CI (`CI` set), where that is a failure: the delivery
    /// tests must run there.
    init(user: String? = nil, password: String? = nil) throws {
        try SMTPSink.requireAiosmtpd()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-sink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = ["python3", SMTPSink.script.path, folder.path]
        if let user, let password { arguments += ["--user", user, "--password", password] }
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // The first line is "listening PORT" (or nothing, if the script died).
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("listening "), let port = Int(text.dropFirst("listening ".count)) else {
            process.terminate()
            throw SinkError(message: "scripts/smtp-sink.py did not start (said \"\(text)\"); run it by hand to see why")
        }
        self.port = port
    }

    deinit {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }

    var url: String { "smtp://127.0.0.1:\(port)" }

    /// A received message: its raw bytes and the SMTP envelope.
    struct Received {
        var raw: Data
        var mailFrom: String
        var recipients: [String]
        var login: String?
        var path: URL
    }

    /// The messages received so far, waiting up to 10 s for at least `count` of them.
    func messages(atLeast count: Int) throws -> [Received] {
        let deadline = Date().addingTimeInterval(10)
        while true {
            let names = (try FileManager.default.contentsOfDirectory(atPath: folder.path)).filter { $0.hasSuffix(".eml") }.sorted()
            if names.count >= count || Date() > deadline {
                return try names.map { name in
                    let eml = folder.appendingPathComponent(name)
                    let json = eml.deletingPathExtension().appendingPathExtension("json")
                    let envelope = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any] ?? [:]
                    return Received(raw: try Data(contentsOf: eml), mailFrom: envelope["mail_from"] as? String ?? "",
                                    recipients: envelope["rcpt_tos"] as? [String] ?? [], login: envelope["login"] as? String,
                                    path: eml)
                }
            }
            usleep(50_000)
        }
    }

    static func requireAiosmtpd() throws {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", "import aiosmtpd"]
        check.standardError = FileHandle.nullDevice
        do { try check.run(); check.waitUntilExit() } catch {}
        guard check.terminationStatus == 0 else {
            let why = "python3 with aiosmtpd is needed for the SMTP tests: run scripts/install-deps.sh"
            if ProcessInfo.processInfo.environment["CI"] != nil { throw SinkError(message: why) }
            throw XCTSkip(why)
        }
    }

    /// A TCP port on 127.0.0.1 that nothing listens on (bound, then released).
    static func closedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs Python's own `email` parser on a received message: an independent reading of what arrived.
    static func pythonReading(of file: URL) throws -> [String: Any] {
        let code = """
            import email, email.policy, json, sys
            m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default)
            print(json.dumps({
                "subject": str(m["subject"]),
                "date": m["date"].datetime.isoformat(),
                "message_id": str(m["message-id"]),
                "from": str(m["from"]), "to": str(m["to"]),
                "structure": [p.get_content_type() for p in m.walk()],
                "plain": m.get_body(("plain",)).get_content(),
                "html": m.get_body(("html",)).get_content(),
                "attachments": [[a.get_filename(), a.get_payload(decode=True).hex()] for a in m.iter_attachments()],
                "defects": [repr(d) for p in m.walk() for d in p.defects],
            }))
            """
        let p = Process()
        let out = Pipe()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", code, file.path]
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }
}

struct SinkError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
