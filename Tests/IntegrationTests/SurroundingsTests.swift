import Foundation
import XCTest

/// The program as cron and systemd start it: output streams closed, gone or full, a umask, limits, signals
/// (README, "Exit codes"). Each case runs the built program from a shell that sets the surroundings up.
final class SurroundingsTests: XCTestCase {
    func shopWithASale() throws -> TestShop {
        let shop = try TestShop()
        try shop.user(1)
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 5000)
        return shop
    }

    /// A shop whose 2026-11-23 was run once (RWF 5,000) and has had a second sale since (RWF 7,000 once run again);
    /// the environment and arguments of that run.
    func shopRunOnceThenChanged() throws -> (TestShop, [String: String], [String]) {
        let shop = try shopWithASale()
        let env = ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url]
        let args = ["run", "--date", "2026-11-23", "--areas", "none", "--quiet", "--out", temporaryFolder("rerun")]
        XCTAssertEqual(try CLI.run(args, env: env).status, 0)
        try shop.order(2, user: 1, kigali: "2026-11-23 13:00", subtotal: 2000)
        return (shop, env, args)
    }

    func temporaryFolder(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// Standard output closed (its number then went to the warehouse's connection, which the summary line broke),
    /// standard error closed, a reader that has gone (SIGPIPE ended the job between its load and its report), a full
    /// disk under either stream (a write to standard error trapped): the job loads, writes its report and exits 0.
    func testAJobWhoseOutputStreamsAreClosedGoneOrFullLoadsAndWritesItsReport() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { throw XCTSkip("no /dev/full on this machine") }
        let shop = try shopWithASale()
        let cases: [(name: String, script: String, err: String?)] = [
            ("standard output closed", #"exec "$@" >&-"#, nil),
            ("standard error closed", #"exec "$@" 2>&-"#, ""),
            ("standard output to a reader that has gone", #""$@" | true; exit "${PIPESTATUS[0]}""#, nil),
            ("standard error to a reader that has gone", #"exec 3>&1; "$@" 2>&1 >&3 3>&- | true; exit "${PIPESTATUS[0]}""#, ""),
            ("standard output on a full disk", #"exec "$@" >/dev/full"#,
             "note: standard output could not be written (no space left on device), so what this command printed there is lost; its work is not affected, and `dusangire-analytics runs` shows every job.\n"),
            ("standard error on a full disk", #"exec "$@" 2>/dev/full"#, ""),
        ]
        for (n, c) in cases.enumerated() {
            let out = temporaryFolder("streams")
            let r = try CLI.run(script: c.script, ["run", "--date", "2026-11-23", "--areas", "none", "--out", out],
                                env: ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url])
            XCTAssertEqual(r.status, 0, "\(c.name): \(r.err)")
            if let err = c.err {
                if err.isEmpty { XCTAssertEqual(r.err, "", c.name) } else { XCTAssertTrue(r.err.hasSuffix(err), "\(c.name): \(r.err)") }
            }
            XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/daily-2026-11-23.pdf"), c.name)
            XCTAssertEqual(try shop.admin.scalar("SELECT status FROM analytics.runs WHERE id = \(n + 1)"), "succeeded", c.name)
        }
        XCTAssertEqual(try shop.snapshot("2026-11-23", "total_revenue"), "5000.00")
    }

    /// Under `umask 000` every report file, message and folder (the `--out` folder and the one above it, both made by
    /// the job) was writable by every user (0666, 0777): another user could change the figures a manager reads. Now
    /// only other users' write permission is taken away, and a stricter umask is kept.
    func testReportsAreNeverWritableByEveryUser() throws {
        let shop = try shopWithASale()
        let env = ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url,
                   "DUSANGIRE_REPORTS_DIR": TestShop.repoRoot.appendingPathComponent("reports").path]
        func modes(_ folder: String) throws -> [String: String] {
            var found: [String: String] = [:]
            for name in try FileManager.default.subpathsOfDirectory(atPath: folder) + [""] {
                var st = stat()
                XCTAssertEqual(lstat(folder + "/" + name, &st), 0)
                let kind = name.hasSuffix(".eml") ? "eml" : name.isEmpty ? "folder" : (name as NSString).pathExtension.isEmpty ? "folder " + name : (name as NSString).pathExtension
                found[kind] = String(st.st_mode & 0o777, radix: 8)
            }
            return found
        }
        for (umask, expected) in [("000", ["folder": "775", "html": "664", "xlsx": "664", "pdf": "664", "csv": "664", "json": "664", "eml": "664", "folder reports": "775"]),
                                  ("027", ["folder": "750", "html": "640", "xlsx": "640", "pdf": "640", "csv": "640", "json": "640", "eml": "640", "folder reports": "750"])] {
            let parent = temporaryFolder("umask"), out = parent + "/reports"
            for args in [["run", "--date", "2026-11-23", "--areas", "none", "--quiet", "--out", out],
                         ["send", "--name", "daily", "--date", "2026-11-23", "--dry-run", "--out", out]] {
                let r = try CLI.run(script: "umask \(umask); exec \"$@\"", args, env: env)
                XCTAssertEqual(r.status, 0, r.err)
            }
            XCTAssertEqual(try modes(parent), expected, "umask \(umask)")
        }
    }

    /// Started by its bare name through PATH, as schedules/crontab does (`cd /var/lib/dusangire-analytics &&
    /// dusangire-analytics run`), with neither folder set: sql/ and reports/ were looked for from that bare name
    /// (under / and in the working folder) and every nightly run ended with exit 78. They are found next to the
    /// program's own file.
    func testAProgramFoundThroughPathFindsItsFolders() throws {
        let shop = try shopWithASale()
        let out = temporaryFolder("path"), elsewhere = temporaryFolder("cwd")
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        let script = #"unset DUSANGIRE_SQL_DIR DUSANGIRE_REPORTS_DIR; cd "$WORK"; PATH="$(dirname "$1"):/usr/bin:/bin"; name="$(basename "$1")"; shift; exec "$name" "$@""#
        let r = try CLI.run(script: script, ["run", "--date", "2026-11-23", "--areas", "none", "--quiet", "--out", out],
                            env: ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url, "WORK": elsewhere])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/daily-2026-11-23.html"))
    }

    /// A dry run's message file that cannot be written (here larger than `ulimit -f` allows, as on a full disk) is a
    /// file in --out like the report's: exit 73 and the same plain sentence, where it was exit 1 and Foundation's
    /// "The operation could not be completed".
    func testADryRunsMessageFileThatCannotBeWrittenIsSaidAsAReportFile() throws {
        let shop = try shopWithASale()
        let out = temporaryFolder("eml")
        let env = ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url,
                   "DUSANGIRE_REPORTS_DIR": TestShop.repoRoot.appendingPathComponent("reports").path]
        let first = try CLI.run(["run", "--date", "2026-11-23", "--areas", "none", "--quiet", "--out", out], env: env)
        XCTAssertEqual(first.status, 0, first.err)
        // Room for the largest report file, not for a message that carries two of them.
        let largest = try FileManager.default.contentsOfDirectory(atPath: out)
            .map { try FileManager.default.attributesOfItem(atPath: out + "/" + $0)[.size] as? Int ?? 0 }.max() ?? 0
        let r = try CLI.run(script: "ulimit -f \(largest / 1024 + 2); exec \"$@\"",
                            ["send", "--name", "daily", "--date", "2026-11-23", "--dry-run", "--out", out], env: env)
        XCTAssertEqual(r.status, 73, r.err)
        XCTAssertEqual(r.err, "error: Could not write \(out)/daily-2026-11-23-manager@dusangire.example.eml (file too large): this user may not write files that large; raise or remove the limit (`ulimit -f` in the shell or cron line, LimitFSIZE= in the systemd unit).\n")
    }

    /// SIGTERM (systemd stopping the unit, `timeout` in a cron line) ended a job without a word. It still ends by that
    /// signal, as after any kill, and one line says which side of its load's commit it stopped on and what to run.
    func testAJobStoppedBySIGTERMSaysWhatItLeft() throws {
        let (shop, env, args) = try shopRunOnceThenChanged()

        let inLoad = try CLI.run(args, env: env.merging(["DUSANGIRE_FAULT": "term-after-delete"]) { $1 })
        XCTAssertEqual(inLoad.status, SIGTERM, inLoad.err)
        XCTAssertEqual(inLoad.err, "error: Stopped by SIGTERM before its load committed: nothing of this run was loaded and the previous figures are intact (`dusangire-analytics runs` shows it as ended without finishing); run it again.\n")
        XCTAssertEqual(try shop.snapshot("2026-11-23", "total_revenue"), "5000.00")
        // The lock goes with the connection, once the server has seen it close (a moment after the process ends).
        var held: String?
        for _ in 0..<50 {
            held = try shop.admin.scalar("""
                SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """)
            if held == "0" { break }
            usleep(100_000)
        }
        XCTAssertEqual(held, "0")

        // Right before the COMMIT the load may be kept or not (the server may have committed when the signal comes).
        let committing = try CLI.run(args, env: env.merging(["DUSANGIRE_FAULT": "term-before-commit"]) { $1 })
        XCTAssertEqual(committing.status, SIGTERM, committing.err)
        XCTAssertEqual(committing.err, "error: Stopped by SIGTERM as its load was committing: `dusangire-analytics runs` shows whether it was kept or ended without finishing; either way no figure is half-written, and running it again is safe.\n")
        XCTAssertEqual(try shop.snapshot("2026-11-23", "total_revenue"), "5000.00")

        let afterLoad = try CLI.run(args, env: env.merging(["DUSANGIRE_FAULT": "term-before-report"]) { $1 })
        XCTAssertEqual(afterLoad.status, SIGTERM, afterLoad.err)
        XCTAssertEqual(afterLoad.err, "error: Stopped by SIGTERM after its load committed (run 4, kept), before the daily report was written whole: write it with `dusangire-analytics report --name daily --date 2026-11-23`.\n")
        XCTAssertEqual(try shop.snapshot("2026-11-23", "total_revenue"), "7000.00")

        // While a workbook is written standard error goes to /dev/null for a moment; the line still reaches it.
        let silenced = try CLI.run(args, env: env.merging(["DUSANGIRE_FAULT": "term-with-stderr-silenced"]) { $1 })
        XCTAssertEqual(silenced.err, "error: Stopped by SIGTERM after its load committed (run 5, kept), before the daily report was written whole: write it with `dusangire-analytics report --name daily --date 2026-11-23`.\n")

        XCTAssertEqual(try CLI.run(args, env: env).status, 0)
        XCTAssertEqual(try shop.admin.execute("SELECT status FROM analytics.runs ORDER BY id").rows.map { $0[0] ?? "" },
                       ["succeeded", "abandoned", "abandoned", "succeeded", "succeeded", "succeeded"])
    }

    /// Each line of schedules/crontab, with its folders moved to temporary ones and the program replaced by a stand-in
    /// that notes how it was started. An environment file this user cannot read stopped nothing (`set -a; . env; ...`):
    /// the job ran against libpq's defaults and said the server was unreachable. Now the line stops there. And a line
    /// had no time limit, where its unit has TimeoutStartSec=: a job that hung kept the next night's waiting behind it.
    func testEveryCronLineStopsWithoutItsEnvironmentAndWithinItsUnitsTimeLimit() throws {
        let crontab = try String(contentsOfFile: TestShop.repoRoot.appendingPathComponent("schedules/crontab").path, encoding: .utf8)
        let lines = crontab.split(separator: "\n").filter { $0.first?.isNumber ?? false }
        XCTAssertEqual(lines.count, 4)
        let root = temporaryFolder("cron")
        let bin = root + "/bin", home = root + "/var-lib"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try "#!/bin/sh\necho \"$(pwd) $(umask) $DUSANGIRE_WAREHOUSE_URL $*\" >> \(root)/started\n".write(toFile: bin + "/dusangire-analytics", atomically: true, encoding: .utf8)
        XCTAssertEqual(chmod(bin + "/dusangire-analytics", 0o755), 0)
        try "DUSANGIRE_WAREHOUSE_URL=dbname=warehouse\n".write(toFile: root + "/env", atomically: true, encoding: .utf8)
        // `timeout` notes its limit, then runs the rest as the real one would.
        try "#!/bin/sh\necho \"$1\" >> \(root)/limits\nshift\nexec \"$@\"\n".write(toFile: bin + "/timeout", atomically: true, encoding: .utf8)
        XCTAssertEqual(chmod(bin + "/timeout", 0o755), 0)
        // Each unit's arguments (without --out, a full path there) and its TimeoutStartSec=.
        var unitLimits: [String: String] = [:]
        for unit in try FileManager.default.contentsOfDirectory(atPath: TestShop.repoRoot.appendingPathComponent("schedules").path) where unit.hasSuffix(".service") {
            let text = try String(contentsOfFile: TestShop.repoRoot.appendingPathComponent("schedules/" + unit).path, encoding: .utf8)
            func value(_ key: String) -> String { text.split(separator: "\n").first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) } ?? "" }
            let args = value("ExecStart").split(separator: " ").dropFirst().prefix { $0 != "--out" }.joined(separator: " ")
            unitLimits[args] = value("TimeoutStartSec")
        }
        XCTAssertEqual(unitLimits.count, 4)
        for line in lines {
            // The command: what follows the five time fields.
            var fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            let command = String(fields.removeLast()).trimmingCharacters(in: .whitespaces)
                .replacingOccurrences(of: "/var/lib/dusangire-analytics", with: home)
            for (env, expectStarted) in [(root + "/env", true), (root + "/no-such-env", false)] {
                try? FileManager.default.removeItem(atPath: root + "/started")
                let r = try CLI.run(script: "PATH=\"\(bin):/usr/bin:/bin\"; " + command.replacingOccurrences(of: "/etc/dusangire-analytics/env", with: env), [])
                let started = (try? String(contentsOfFile: root + "/started", encoding: .utf8)) ?? ""
                if expectStarted {
                    XCTAssertEqual(r.status, 0, "\(command): \(r.err)")
                    XCTAssertTrue(started.hasPrefix("\(home) 0027 dbname=warehouse "), "\(command): \(started)")
                    // Stopped after as long as the unit allows, rather than running into the next night's run.
                    let args = started.split(separator: " ").dropFirst(3).prefix { $0 != "--out" }.joined(separator: " ")
                    XCTAssertEqual(try? String(contentsOfFile: root + "/limits", encoding: .utf8), "\(unitLimits[args] ?? "no unit for \(args)")\n", command)
                    try? FileManager.default.removeItem(atPath: root + "/limits")
                } else {
                    XCTAssertNotEqual(r.status, 0, command)
                    XCTAssertEqual(started, "", "started without its environment: \(command)")
                }
            }
        }
    }

    /// A limit of 8 open files (`ulimit -n 8`) trapped in the thread library (exit 132, not a word); 12 made the job
    /// say a SQL file it could not open was missing or unreadable (exit 78, the wrong fix). A soft limit is raised to
    /// what a job needs; a hard one below it is named, with the setting to change.
    func testAnOpenFilesLimitIsRaisedOrNamed() throws {
        let shop = try shopWithASale()
        let env = ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url]
        let args = ["run", "--date", "2026-11-23", "--areas", "none", "--quiet", "--out", temporaryFolder("files")]
        for n in [8, 12] {
            let hard = try CLI.run(script: #"ulimit -n \#(n); exec "$@""#, args, env: env)
            XCTAssertEqual(hard.status, 78, hard.err)
            XCTAssertEqual(hard.err, "error: This process may have only \(n) files open at once, and a job needs 64: raise the limit (`ulimit -n` in the shell or cron line, LimitNOFILE= in the systemd unit).\n")
            let soft = try CLI.run(script: #"ulimit -Sn \#(n); exec "$@""#, args, env: env)
            XCTAssertEqual(soft.status, 0, soft.err)
        }
        XCTAssertEqual(try shop.admin.scalar("SELECT count(*) FROM analytics.runs WHERE status = 'succeeded'"), "2")
    }

    /// A failure inside the program (a trap, as a bug or memory refused under `ulimit -v` makes one) printed the
    /// runtime's backtrace of every thread, some 90 lines, and nothing about the data. One line now says what the job
    /// left, as for SIGTERM; the program still ends by the signal (a core dump keeps what a developer needs).
    func testAFailureInsideTheProgramIsOneLineAboutWhatItLeft() throws {
        let (shop, env, args) = try shopRunOnceThenChanged()
        let r = try CLI.run(args, env: env.merging(["DUSANGIRE_FAULT": "trap-after-delete"]) { $1 })
        // A trap is SIGILL on x86-64, SIGTRAP on arm64.
        XCTAssertTrue([SIGILL, SIGTRAP].contains(r.status), "\(r.status): \(r.err)")
        let name = r.status == SIGILL ? "SIGILL" : "SIGTRAP"
        XCTAssertEqual(r.err.split(separator: "\n").last.map(String.init), "error: Stopped by \(name), a failure inside the program (most often memory: raise `ulimit -v` or the unit's MemoryMax= if one is set, else report it as a bug), before its load committed: nothing of this run was loaded and the previous figures are intact (`dusangire-analytics runs` shows it as ended without finishing); run it again.")
        XCTAssertEqual(r.err.split(separator: "\n").count, 2, "the runtime's own line and this one, no backtrace: \(r.err)")
        XCTAssertEqual(try shop.snapshot("2026-11-23", "total_revenue"), "5000.00")
    }

    /// SIGTERM while mailing, here while a mail server that never answers keeps the message waiting: `send` says to
    /// run it again, `run --send` that its load is kept and which send to run; nothing is recorded as sent.
    func testAMailingStoppedBySIGTERMSaysWhichSendToRun() throws {
        let shop = try shopWithASale()
        // A mail server that takes the connection and never greets.
        let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(server) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var size = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                guard bind(server, $0, size) == 0, listen(server, 4) == 0, getsockname(server, $0, &size) == 0 else { throw XCTSkip("no local TCP port") }
            }
        }
        let env = ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url,
                   "DUSANGIRE_REPORTS_DIR": TestShop.repoRoot.appendingPathComponent("reports").path,
                   "DUSANGIRE_SMTP_URL": "smtp://127.0.0.1:\(UInt16(bigEndian: address.sin_port))", "DUSANGIRE_SMTP_TLS": "none",
                   "DUSANGIRE_SMTP_FROM": "Dusangire <reports@example.rw>"]
        let out = temporaryFolder("mailing")
        var held: [Int32] = []
        defer { held.forEach { close($0) } }
        // A program that fails before mailing never connects: give up waiting after a minute.
        var patience = timeval(tv_sec: 60, tv_usec: 0)
        XCTAssertEqual(setsockopt(server, SOL_SOCKET, SO_RCVTIMEO, &patience, socklen_t(MemoryLayout<timeval>.size)), 0)
        func stopOnceConnected(_ p: Process) {
            let connection = accept(server, nil, nil)
            guard connection >= 0 else { return }
            held.append(connection)
            p.terminate()
        }
        let run = try CLI.run(["run", "--date", "2026-11-23", "--areas", "none", "--quiet", "--send", "--out", out], env: env, meanwhile: stopOnceConnected)
        XCTAssertEqual(run.status, SIGTERM, run.err)
        XCTAssertEqual(run.err, "error: Stopped by SIGTERM after its load committed (run 1, kept) and its report was written, while mailing: send it with `dusangire-analytics send --name daily --date 2026-11-23` (and the other nightly reports likewise); whoever already has it is skipped.\n")
        let send = try CLI.run(["send", "--name", "daily", "--date", "2026-11-23", "--out", out], env: env, meanwhile: stopOnceConnected)
        XCTAssertEqual(send.status, SIGTERM, send.err)
        XCTAssertEqual(send.err.split(separator: "\n").last.map(String.init), "error: Stopped by SIGTERM while mailing: run the same send again; whoever already has the report is skipped (one whose message was cut off may get it twice).")
        XCTAssertEqual(try shop.admin.scalar("SELECT count(*) FROM analytics.delivery_log WHERE status = 'sent'"), "0")
        XCTAssertEqual(try shop.snapshot("2026-11-23", "total_revenue"), "5000.00")
    }

    /// A report file larger than `ulimit -f` allows: SIGXFSZ ended the job without a word (exit 153) and left its
    /// staging folder; now the write fails, and the sentence says which limit to raise.
    func testAFileSizeLimitIsSaidAndTheLoadKept() throws {
        let shop = try shopWithASale()
        let out = temporaryFolder("limit")
        let r = try CLI.run(script: #"ulimit -f 4; exec "$@""#, ["run", "--date", "2026-11-23", "--areas", "none", "--quiet", "--out", out],
                            env: ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url])
        XCTAssertEqual(r.status, 73, r.err)
        XCTAssertEqual(r.err, "error: The load succeeded and is kept (run 1), but the daily report was not written: Could not write \(out)/daily-2026-11-23.html (file too large): this user may not write files that large; raise or remove the limit (`ulimit -f` in the shell or cron line, LimitFSIZE= in the systemd unit); then write it with `dusangire-analytics report --name daily --date 2026-11-23`.\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out), [], "no staging folder left behind")
        XCTAssertEqual(try shop.admin.scalar("SELECT status FROM analytics.runs WHERE id = 1"), "succeeded")
    }
}
