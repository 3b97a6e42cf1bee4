import ArgumentParser
import Foundation
import Postgres
import Seed
import Shop

struct SeedShop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Fill a shop database (the real shop schema) with generated but realistic data, for demos, tests and benchmarks.",
        discussion: """
            Writes to DUSANGIRE_SEED_URL (else libpq's defaults), never to the --source connection, which is read only.
            The same options always give the same data. Example: dusangire-analytics seed --days 90 --customers 2000
            """)

    @Option(help: "How many shop days of orders, ending yesterday (or --last-day).")
    var days = 90

    @Option(help: "How many customers.")
    var customers = 2000

    @Option(help: "Total orders (default: a realistic volume for the customers and days).")
    var orders: Int?

    @Option(name: .customLong("last-day"), help: ArgumentHelp("Last shop day with orders, YYYY-MM-DD. Default: yesterday.", valueName: "date"), transform: DayArgument.parse)
    var lastDay: DayArgument?

    @Option(help: "Random seed; the same seed gives the same shop.")
    var seed: UInt64 = 42

    @Flag(help: "Empty the seeded tables first if they already hold orders.")
    var replace = false

    @Option(name: .customLong("time-zone"), help: "The shop's time zone.")
    var timeZone: String?

    func validate() throws {
        // Within the shop's dates and what one machine can seed: a larger number is a typo, not a shop.
        guard (1...36_525).contains(days) else { throw ValidationError("--days must be from 1 to 36525 (the shop's dates are one century).") }
        guard (1...10_000_000).contains(customers) else { throw ValidationError("--customers must be from 1 to 10000000.") }
        if let orders, !(0...1_000_000_000).contains(orders) { throw ValidationError("--orders must be from 0 to 1000000000.") }
    }

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        let zone = timeZone ?? env["DUSANGIRE_TIME_ZONE"] ?? "Africa/Kigali"
        guard let calendar = ShopCalendar(identifier: zone) else {
            throw CLIError.config("The time zone '\(zone)' is not known; use an IANA name such as Africa/Kigali.")
        }
        let last = lastDay?.day ?? calendar.day(of: Date()).advanced(by: -1)
        guard last.advanced(by: -(days - 1)) >= ShopDay.earliest else {
            throw CLIError.usage("--days \(days) ending \(last.iso) would start before \(ShopDay.earliest.iso), the first of the shop's dates; give at most \(Int(last.epochDay - ShopDay.earliest.epochDay) + 1) days.")
        }
        let url = env["DUSANGIRE_SEED_URL"]
        let conn: Connection
        do { conn = try Connection(url) } catch { throw CLIError(status: Exit.status(of: error), description: "The seed target database: \(error)") }
        let plan = SeedPlan(lastDay: last, days: days, customers: customers, orders: orders, calendar: calendar)
        var p = plan
        p.seed = seed
        let started = Date()
        let report = try ShopSeeder(connection: conn, progress: { line in
            Console.err(line)
        }).seed(p, replace: replace)
        Console.out(String(format: "seed: %d users, %d orders, %d order items, %d payments, %d refunds into %@ (%@..%@), %.1f s",
                     report.users, report.orders, report.orderItems, report.payments, report.refunds, conn.target.description,
                     last.advanced(by: -(days - 1)).iso, last.iso, Date().timeIntervalSince(started)))
    }
}
