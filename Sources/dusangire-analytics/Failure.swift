import ArgumentParser
import Delivery
import Foundation
import Pipeline
import Postgres
import Reports
import Shop
import Warehouse

/// The program's exit statuses (README, "Exit codes"). Keep the README's table in step with this list.
enum ExitStatus: Int32, CaseIterable {
    case done = 0
    /// The run failed (database error, ...); the previous data is intact.
    case failed = 1
    /// Bad usage: unknown flag, bad or implausible date, `--from` after `--to`, password on the command line.
    case usage = 64
    /// Rejected rows with `--strict`.
    case rejectedRows = 65
    /// A database or mail server could not be reached, or the connection to it was lost.
    case unreachable = 69
    /// The report files could not be written (after `run`/`backfill`: the load was kept).
    case reportNotWritten = 73
    /// Try again later: another run holds the lock (`--no-wait`), or the warehouse was loaded but the shop's own
    /// tables in its other database could not be written (the next run writes them first).
    case busy = 75
    /// Bad configuration.
    case config = 78
}

/// Errors the CLI raises itself, each with its exit status and one sentence.
struct CLIError: Error, CustomStringConvertible {
    let status: ExitStatus
    let description: String

    static func config(_ s: String) -> CLIError { CLIError(status: .config, description: s) }
    static func unreachable(_ s: String) -> CLIError { CLIError(status: .unreachable, description: s) }
    static func failed(_ s: String) -> CLIError { CLIError(status: .failed, description: s) }
    static func usage(_ s: String) -> CLIError { CLIError(status: .usage, description: s) }
    static func reportNotWritten(_ s: String) -> CLIError { CLIError(status: .reportNotWritten, description: s) }
}

/// The one exit point: every error of every command comes here, gets its exit status and is printed as one line,
/// `error: <sentence>`, on standard error (as swift-argument-parser's `exit(withError:)` does for its own errors).
enum Exit {
    static let prefix = "error: "

    /// Prints what `error` means and exits with its status. Help and version requests print to standard output
    /// and exit 0.
    static func with(_ error: Error, command: ParsableCommand.Type = DusangireAnalytics.self, arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        let (status, sentence) = explain(error, arguments: arguments)
        if status == .done {
            let text = DusangireAnalytics.fullMessage(for: error)
            if !text.isEmpty { Console.out(text) }
            Console.finish()
            Foundation.exit(ExitStatus.done.rawValue)
        }
        Console.err(prefix + oneLine(sentence))
        Console.finish()
        Foundation.exit(status.rawValue)
    }

    /// The exit status and sentence of any error the program can meet.
    static func explain(_ error: Error, arguments: [String]) -> (ExitStatus, String) {
        switch error {
        case let e as CLIError:
            return (e.status, e.description)
        case let e as JobError:
            switch e {
            case .busy, .busyPastLockTimeout: return (.busy, e.description)
            case .rejectedRowsInStrictMode: return (.rejectedRows, e.description)
            case .shopTablesBehind: return (.busy, e.description)
            }
        case let e as PostgresError:
            return (status(of: e), e.description)
        case let e as Migrator.Failure:
            return (.failed, e.description)
        case let e as SQLFiles.Failure:
            return (.config, e.description)
        case let e as ReportDefinition.Failure:
            switch e {
            // A name typed wrong; a folder holding no definition at all is the setting to fix.
            case .badName: return (.usage, e.description)
            case .notFound(_, _, let available): return (available.isEmpty ? .config : .usage, e.description)
            case .invalid: return (.config, e.description)
            }
        case let e as ReportSections.Failure:
            return (.usage, e.description)
        case let e as ReportFiles.Failure:
            return (.reportNotWritten, e.description)
        case let e as DeliveryError:
            // A dry run's message file is a file in --out like the report's: the same sentence and exit status.
            if case .emlNotWritten(let path, let reason) = e {
                return explain(ReportFiles.Failure.cannotWrite(path: path, reason: reason), arguments: arguments)
            }
            return (Mailer.status(of: e), e.description)
        case let e as ExitCode:
            return (ExitStatus(rawValue: e.rawValue) ?? .failed, "stopped with exit code \(e.rawValue)")
        default:
            break
        }
        // swift-argument-parser's own errors: help and version requests, and usage errors.
        let code = DusangireAnalytics.exitCode(for: error)
        if code == .success { return (.done, "") }
        if code == .validationFailure {
            if let unknown = unknownOption(in: arguments) { return (.usage, unknown) }
            let message = DusangireAnalytics.message(for: error)
            let first = message.split(separator: "\n").first.map(String.init) ?? message
            return (.usage, sentence(first) + " See `dusangire-analytics \(subcommandName(arguments) ?? "")\(subcommandName(arguments) == nil ? "" : " ")--help`.")
        }
        return (.failed, String(describing: error))
    }

    /// The exit status of a PostgreSQL error.
    static func status(of e: PostgresError) -> ExitStatus {
        switch e {
        case .connectionFailed, .connectionLost: return .unreachable
        // A URL or key=value string libpq cannot read: nothing was tried, the setting is to be fixed.
        case .invalidConnectionString: return .config
        // An adapted extract file without a column the job reads by name.
        case .missingColumn(let source, _) where source.hasSuffix(".sql"): return .config
        // A missing table or grant: the database named, or its role's rights, are to be fixed.
        case .server(let s) where s.isSettingProblem: return .config
        default: return .failed
        }
    }

    /// The message as one line: no line breaks, no `Error:` of its own, exactly one final period.
    static func oneLine(_ s: String) -> String {
        sentence(s.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .joined(separator: " "))
    }

    /// Without a leading `Error:`, ending in exactly one period (or a question mark).
    static func sentence(_ s: String) -> String {
        var t = s.trimmingCharacters(in: .whitespaces)
        for p in ["Error: ", "error: "] where t.hasPrefix(p) { t.removeFirst(p.count) }
        if t.hasSuffix("?") || t.hasSuffix("...") { return t }
        while t.hasSuffix(".") { t.removeLast() }
        return t + "."
    }

    // MARK: mistyped options

    /// The subcommand named in `arguments`, if any.
    static func subcommandName(_ arguments: [String]) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-") else { return nil }
        return DusangireAnalytics.configuration.subcommands.first { $0._commandName == first }?._commandName
    }

    /// "unknown option --form; did you mean --from?" for the first `--option` the subcommand does not have.
    /// swift-argument-parser reports a missing required option before an unknown one, which hides the typo.
    static func unknownOption(in arguments: [String]) -> String? {
        guard let name = subcommandName(arguments),
              let command = DusangireAnalytics.configuration.subcommands.first(where: { $0._commandName == name }) else { return nil }
        let help = DusangireAnalytics.helpMessage(for: command, includeHidden: true, columns: 10_000)
        var known: Set<String> = ["--help", "--version"]
        let separators: Set<Character> = [" ", ",", "[", "]", "\n", "|", "("]
        for word in help.split(whereSeparator: { separators.contains($0) }) where word.hasPrefix("--") {
            known.insert(String(word.prefix { $0 != "=" && $0 != "<" && $0 != "]" }))
        }
        for arg in arguments.dropFirst() {
            if arg == "--" { break }
            guard arg.hasPrefix("--") else { continue }
            let flag = String(arg.prefix { $0 != "=" })
            guard !known.contains(flag) else { continue }
            var best: (name: String, distance: Int)?
            for candidate in known.sorted() where candidate != "--help" && candidate != "--version" {
                let d = editDistance(candidate, flag)
                if best == nil || d < best!.distance { best = (candidate, d) }
            }
            if let best, best.distance <= max(2, flag.count / 3) {
                return "unknown option \(flag); did you mean \(best.name)? See `dusangire-analytics \(name) --help`."
            }
            return "unknown option \(flag); see `dusangire-analytics \(name) --help` for the options of \(name)."
        }
        return nil
    }

    /// Levenshtein distance (transpositions count as two edits).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        var row = Array(0...y.count)
        for i in 1...max(x.count, 1) where !x.isEmpty {
            var prev = row[0]
            row[0] = i
            for j in stride(from: 1, through: y.count, by: 1) {
                let cur = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (x[i - 1] == y[j - 1] ? 0 : 1))
                prev = cur
            }
        }
        return x.isEmpty ? y.count : row[y.count]
    }
}
