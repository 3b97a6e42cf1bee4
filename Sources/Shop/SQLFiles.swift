import Foundation

/// The project's SQL, read from the `sql/` folder at run time so another shop can adapt the mapping without
/// recompiling: `sql/source/*.sql` (one extract each), `sql/migrations/NNNN_name.sql`, `sql/shop/*.sql`.
public struct SQLFiles: Sendable {
    public let directory: URL

    public enum Failure: Error, CustomStringConvertible {
        case notFound(searched: [String])
        case unreadable(path: String)
        public var description: String {
            switch self {
            case .notFound(let searched):
                return "The sql/ folder was not found (looked in \(searched.joined(separator: ", "))); pass --sql-dir or set DUSANGIRE_SQL_DIR to the project's sql folder."
            case .unreadable(let path):
                return "The SQL file \(path) could not be read; check that it exists and is readable."
            }
        }
    }

    public init(directory: URL) { self.directory = directory }

    /// Finds `sql/` (see `ProjectFolder.locate`).
    public static func locate(explicit: String?, executable: String) throws -> SQLFiles {
        guard let dir = ProjectFolder.locate("sql", marker: "source/orders.sql", explicit: explicit, executable: executable) else {
            throw Failure.notFound(searched: ProjectFolder.candidates("sql", explicit: explicit, executable: executable))
        }
        return SQLFiles(directory: URL(fileURLWithPath: dir))
    }

    /// The text of `sql/<relativePath>`.
    public func text(_ relativePath: String) throws -> String {
        let url = directory.appendingPathComponent(relativePath)
        guard let data = FileManager.default.contents(atPath: url.path), let s = String(data: data, encoding: .utf8) else {
            throw Failure.unreadable(path: url.path)
        }
        return s
    }

    /// The files of a subfolder, sorted by name.
    public func files(in folder: String) throws -> [String] {
        let dir = directory.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".sql") }.sorted()
    }

    /// A source query with `:name` placeholders replaced by the given literals (already quoted SQL literals made
    /// by the caller from typed values, never from user text). Comments are dropped so COPY gets one statement.
    /// A placeholder naming a file of `sql/source/shared/` (`:order_columns` is `shared/order_columns.sql`) is
    /// replaced by that file's text first: SQL that several extracts share is written once.
    public func query(_ relativePath: String, _ literals: [String: String]) throws -> String {
        var sql = try statement(relativePath)
        let shared = try files(in: "source/shared").map { String($0.dropLast(4)) }
        for name in shared.sorted(by: { $0.count > $1.count }) where sql.contains(":" + name) {
            sql = sql.replacingOccurrences(of: ":" + name, with: try statement("source/shared/\(name).sql"))
        }
        // Longest names first so :from_day is not eaten by :from.
        for (name, literal) in literals.sorted(by: { $0.key.count > $1.key.count }) {
            sql = sql.replacingOccurrences(of: ":" + name, with: literal)
        }
        return sql
    }

    /// The text of a file without its comment lines and its final semicolon.
    private func statement(_ relativePath: String) throws -> String {
        var lines: [String] = []
        for line in try text(relativePath).split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("--") || trimmed.isEmpty { continue }
            lines.append(String(line))
        }
        var sql = lines.joined(separator: "\n")
        while sql.hasSuffix(";") || sql.hasSuffix("\n") { sql.removeLast() }
        return sql
    }
}

/// SQL literals from typed values only.
public enum SQLLiteral {
    public static func timestamp(micros: Int64) -> String { "'" + Instant.utcString(micros: micros) + "'::timestamptz" }
    public static func date(_ day: ShopDay) -> String { "'" + day.iso + "'::date" }
}

/// Finds one of the project's folders (`sql`, `reports`) at run time.
public enum ProjectFolder {
    /// Where to look, in order: the explicit folder (flag or environment), next to the checkout the executable was
    /// built in (`.build/<config>/` is three levels down), `<prefix>/share/dusangire-analytics/<name>`, `./<name>`.
    public static func candidates(_ name: String, explicit: String?, executable: String) -> [String] {
        if let explicit, !explicit.isEmpty { return [explicit] }
        let exe = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        return [exe.appendingPathComponent("../../../\(name)").standardized.path,
                exe.appendingPathComponent("../../\(name)").standardized.path,
                exe.appendingPathComponent("../share/dusangire-analytics/\(name)").standardized.path,
                FileManager.default.currentDirectoryPath + "/" + name]
    }

    /// The first candidate that holds `marker`, or nil.
    public static func locate(_ name: String, marker: String, explicit: String?, executable: String) -> String? {
        candidates(name, explicit: explicit, executable: executable).first { FileManager.default.fileExists(atPath: $0 + "/" + marker) }
    }
}
