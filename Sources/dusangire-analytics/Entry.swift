import ArgumentParser
import Foundation

@main
struct DusangireAnalytics: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "dusangire-analytics",
        abstract: "Nightly analytics for the Dusangire meal shop: extract from the shop's PostgreSQL, compute daily KPIs, load analytics tables, write reports.",
        discussion: """
            Typical use:
              dusangire-analytics migrate                       create or upgrade the analytics schema (safe to repeat)
              dusangire-analytics run --django-tables --send    the nightly job for yesterday (Kigali time), then e-mail it
              dusangire-analytics backfill --from 2026-09-01 --to 2026-09-30
              dusangire-analytics report --name weekly          re-render a report from the analytics tables
              dusangire-analytics send --name daily --dry-run   e-mail a report (here: write .eml files instead)
              dusangire-analytics runs                          what ran, when, and how it ended

            Connections come from --source/--warehouse, else DUSANGIRE_SOURCE_URL / DUSANGIRE_WAREHOUSE_URL, else
            libpq's defaults (PGHOST, PGPORT, PGUSER, PGDATABASE, ~/.pgpass). Passwords belong in PGPASSWORD or
            ~/.pgpass, never on the command line. Shop days are days in Africa/Kigali unless DUSANGIRE_TIME_ZONE or
            --time-zone says otherwise.

            Exit codes: 0 done; 1 failed (see the message and `runs`); 64 bad usage; 65 rejected rows with --strict;
            69 a database could not be reached; 75 another run holds the lock (try later); 78 bad configuration.
            """,
        version: version,
        subcommands: [Migrate.self, Run.self, Backfill.self, Report.self, Send.self, Runs.self, SeedShop.self]
    )
}
