import Postgres
import Shop

/// Creates or upgrades the analytics schema from `sql/migrations/NNNN_name.sql`, in order, each file once and in
/// its own transaction. Safe to run twice and safe to run concurrently (an advisory lock serialises runners).
public struct Migrator {
    public struct Applied: Sendable, Equatable { public let version: Int; public let name: String }

    public enum Failure: Error, CustomStringConvertible {
        case badFileName(String)
        case changedAfterApplying(version: Int, name: String)
        case failed(version: Int, name: String, error: PostgresError)
        public var description: String {
            switch self {
            case .badFileName(let f):
                return "The migration file \(f) is not named NNNN_description.sql; rename it."
            case .changedAfterApplying(let v, let n):
                return "Migration \(v) (\(n)) was edited after it was applied; restore it and add a new migration instead."
            case .failed(let v, let n, let e):
                return "Migration \(v) (\(n)) failed and was rolled back: \(e)"
            }
        }
    }

    static let lockKey: Int64 = 0x4475_7361_6E67_0001  // "Dusang" + 1

    private let connection: Connection
    private let sql: SQLFiles

    public init(connection: Connection, sql: SQLFiles) {
        self.connection = connection
        self.sql = sql
    }

    /// Applies what is missing and returns what it applied (empty when the schema is up to date).
    @discardableResult
    public func migrate() throws -> [Applied] {
        try connection.advisoryLock(Migrator.lockKey)
        defer { _ = try? connection.advisoryUnlock(Migrator.lockKey) }
        try connection.execute("""
            CREATE SCHEMA IF NOT EXISTS analytics;
            CREATE TABLE IF NOT EXISTS analytics.schema_migrations (
                version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())
            """)
        let done = try connection.execute("SELECT version, checksum FROM analytics.schema_migrations")
        var applied: [Int: String] = [:]
        for r in done.rows { if let v = r[0].flatMap({ Int($0) }) { applied[v] = r[1] ?? "" } }

        var result: [Applied] = []
        for file in try sql.files(in: "migrations") {
            let digits = file.prefix { $0.isNumber }
            guard let version = Int(digits), file.dropFirst(digits.count).hasPrefix("_") else { throw Failure.badFileName(file) }
            let name = String(file.dropFirst(digits.count + 1).dropLast(4))
            let text = try sql.text("migrations/" + file)
            let sum = Migrator.checksum(text)
            if let existing = applied[version] {
                if existing != sum { throw Failure.changedAfterApplying(version: version, name: name) }
                continue
            }
            do {
                try connection.execute("BEGIN")
                try connection.execute(text)
                try connection.execute("INSERT INTO analytics.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                                       [String(version), name, sum])
                try connection.execute("COMMIT")
            } catch {
                _ = try? connection.execute("ROLLBACK")
                throw Failure.failed(version: version, name: name, error: error)
            }
            result.append(Applied(version: version, name: name))
        }
        return result
    }

    /// The newest applied version, or nil before the first migration.
    public func currentVersion() throws -> Int? {
        let exists = try connection.scalar("SELECT to_regclass('analytics.schema_migrations') IS NOT NULL") == "t"
        guard exists else { return nil }
        return try connection.scalar("SELECT max(version) FROM analytics.schema_migrations").flatMap { Int($0) }
    }

    /// The versions among the migration files that the warehouse has not applied yet, in order (call after
    /// `currentVersion()` said the schema exists).
    public func unapplied() throws -> [Int] {
        let applied = Set(try connection.execute("SELECT version FROM analytics.schema_migrations").rows.compactMap { $0[0].flatMap { Int($0) } })
        return try sql.files(in: "migrations").compactMap { Int($0.prefix { $0.isNumber }) }.filter { !applied.contains($0) }.sorted()
    }

    /// FNV-1a 64 of the file's bytes: enough to notice an edited migration.
    static func checksum(_ text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return String(h, radix: 16)
    }
}
