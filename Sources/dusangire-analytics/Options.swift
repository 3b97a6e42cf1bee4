import ArgumentParser
import Foundation
import Postgres
import Shop

/// Where the shop and the warehouse are, and how the shop keeps time.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("source"), help: ArgumentHelp("The shop's database (read only): a postgresql:// URL or key=value string, without a password.", valueName: "url"))
    var sourceURL: String?

    @Option(name: .customLong("warehouse"), help: ArgumentHelp("Where the analytics tables go (may be the shop's database).", valueName: "url"))
    var warehouseURL: String?

    @Option(name: .customLong("time-zone"), help: ArgumentHelp("The shop's time zone: shop days start at midnight there. Default: DUSANGIRE_TIME_ZONE or Africa/Kigali.", valueName: "zone"))
    var timeZone: String?

    @Option(name: .customLong("sql-dir"), help: ArgumentHelp("The project's sql/ folder (source queries and migrations). Default: found next to the program.", valueName: "dir"))
    var sqlDir: String?

    @Flag(name: .shortAndLong, help: "Print only errors and the summary line.")
    var quiet = false

    func validate() throws {
        for (flag, url) in [("--source", sourceURL), ("--warehouse", warehouseURL)] {
            if let url, Self.hasPassword(url) {
                throw ValidationError("\(flag) contains a password; remove it and put the password in PGPASSWORD or ~/.pgpass, so it never shows in the process list.")
            }
        }
    }

    /// Whether a connection string holds a password, as libpq reads it (`pass%77ord=` too).
    static func hasPassword(_ url: String) -> Bool { ConnectionString.hasPassword(url) }

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    func calendar() throws -> (ShopCalendar, String) {
        let name = timeZone ?? environment["DUSANGIRE_TIME_ZONE"] ?? "Africa/Kigali"
        guard let cal = ShopCalendar(identifier: name) else {
            throw CLIError.config("The time zone '\(name)' is not known; use an IANA name such as Africa/Kigali.")
        }
        return (cal, name)
    }

    /// Refuses a zone the warehouse's PostgreSQL reads otherwise than the job: the run log and the shop's own tables
    /// hand the name to PostgreSQL's `AT TIME ZONE`. Foundation also takes abbreviations PostgreSQL does not know (`CAT`,
    /// SQLSTATE 22023) and offsets it reads the other way round (`GMT+5` is five hours west of UTC to PostgreSQL). Both
    /// are asked the zone's offset now and half a year on (a lookup in `pg_timezone_names` cost 20 ms a run).
    func requireZone(_ name: String, calendar: ShopCalendar, knownBy warehouse: Connection) throws {
        let instants = [Date(), Date().addingTimeInterval(182 * 86_400)]
        let ours = instants.map { String(calendar.timeZone.secondsFromGMT(for: $0)) }.joined(separator: " ")
        var theirs: String?
        do {
            theirs = try warehouse.scalar("""
                SELECT string_agg(extract(epoch FROM timezone($1, t) - timezone('UTC', t))::bigint::text, ' ' ORDER BY n)
                FROM unnest(ARRAY[to_timestamp($2::float8), to_timestamp($3::float8)]) WITH ORDINALITY AS i (t, n)
                """, [name] + instants.map { String($0.timeIntervalSince1970) })
        } catch {
            guard error.sqlState == "22023" else { throw error }
        }
        guard theirs == ours else {
            throw CLIError.config("The time zone '\(name)' is not one the PostgreSQL server at \(warehouse.target) knows by name; use an IANA name such as Africa/Kigali.")
        }
    }

    func sqlFiles() throws -> SQLFiles {
        do {
            return try SQLFiles.locate(explicit: sqlDir ?? environment["DUSANGIRE_SQL_DIR"], executable: DusangireAnalytics.executablePath)
        } catch let e as SQLFiles.Failure {
            throw CLIError.config(e.description)
        }
    }

    func openSource() throws -> Connection {
        try open(sourceURL ?? environment["DUSANGIRE_SOURCE_URL"], role: "shop (source)")
    }

    func openWarehouse() throws -> Connection {
        try open(warehouseURL ?? environment["DUSANGIRE_WAREHOUSE_URL"], role: "warehouse")
    }

    /// The warehouse, checked to hold the analytics schema: without it, a configuration error saying to migrate
    /// instead of PostgreSQL's "relation does not exist".
    func openMigratedWarehouse() throws -> Connection {
        let warehouse = try openWarehouse()
        try JobRunner.requireMigrated(warehouse, sql: try sqlFiles())
        return warehouse
    }

    /// The shop's own analytics tables: DUSANGIRE_DJANGO_URL, else the warehouse connection.
    var djangoURL: String? { environment["DUSANGIRE_DJANGO_URL"] }

    func open(_ url: String?, role: String) throws -> Connection {
        do {
            return try Connection(url)
        } catch {
            throw CLIError(status: Exit.status(of: error), description: "The \(role) database: \(error.description)")
        }
    }

    var progress: @Sendable (String) -> Void {
        let quiet = self.quiet
        return { line in
            guard !quiet else { return }
            Console.err(line)
        }
    }
}

/// A `YYYY-MM-DD` shop day on the command line, within the shop's dates (`ShopDay.earliest...latest`).
struct DayArgument {
    let day: ShopDay

    /// For `@Option(transform:)`: says why a date is refused (swift-argument-parser adds the flag's name).
    static func parse(_ text: String) throws -> DayArgument {
        guard let d = ShopDay(iso: text) else {
            throw ValidationError("it is not a calendar date written YYYY-MM-DD")
        }
        guard d.isWithinShopDates else {
            throw ValidationError("the shop's dates run from \(ShopDay.earliest.iso) to \(ShopDay.latest.iso); give a day in that range")
        }
        return DayArgument(day: d)
    }
}
