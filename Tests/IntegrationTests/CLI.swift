import Foundation
import XCTest

/// Runs the built `dusangire-analytics` as a separate process, as cron would.
enum CLI {
    struct Result { var status: Int32; var out: String; var err: String }

    /// The built program next to the test bundle (`swift build --build-tests` builds both).
    static var binary: String? {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let p = candidate.appendingPathComponent("dusangire-analytics").path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        let fallback = TestShop.repoRoot.appendingPathComponent(".build/debug/dusangire-analytics").path
        return FileManager.default.isExecutableFile(atPath: fallback) ? fallback : nil
    }

    static func run(_ args: [String], env extra: [String: String] = [:]) throws -> Result {
        guard let binary = Self.binary else { throw XCTSkip("dusangire-analytics is not built; run `swift build` first") }
        return try run(executable: binary, args, env: extra)
    }

    /// Runs the program from a bash `script` that starts it as `"$@"` with the surroundings cron or systemd might give
    /// it: `exec "$@" >&-` (standard output closed), `umask 000; exec "$@"`... The result's status is the program's
    /// exit code, or N when signal N ended it (as `terminationStatus` tells a signal); the script's own after a pipeline.
    static func run(script: String, _ args: [String], env extra: [String: String] = [:]) throws -> Result {
        guard let binary = Self.binary else { throw XCTSkip("dusangire-analytics is not built; run `swift build` first") }
        return try run(executable: "/bin/bash", ["-c", script, "bash", binary] + args, env: extra)
    }

    private static func run(executable: String, _ args: [String], env extra: [String: String]) throws -> Result {
        try run(executable: executable, args, env: extra, meanwhile: { _ in })
    }

    /// Runs the program and, while it runs, `meanwhile` with its process (to signal it once it has reached a point).
    static func run(_ args: [String], env extra: [String: String] = [:], meanwhile: (Process) throws -> Void) throws -> Result {
        guard let binary = Self.binary else { throw XCTSkip("dusangire-analytics is not built; run `swift build` first") }
        return try run(executable: binary, args, env: extra, meanwhile: meanwhile)
    }

    private static func run(executable: String, _ args: [String], env extra: [String: String], meanwhile: (Process) throws -> Void) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["DUSANGIRE_SQL_DIR"] = TestShop.repoRoot.appendingPathComponent("sql").path
        for (k, v) in extra { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        try meanwhile(p)
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: e, as: UTF8.self))
    }

}
