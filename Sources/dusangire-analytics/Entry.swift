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
              migrate                           create or upgrade the analytics schema
              run --django-tables --send        the nightly job for yesterday (Kigali
                                                time), then e-mail the daily report
              backfill --from 2026-09-01 --to 2026-09-30
                                                recompute a range (same numbers twice)
              report --name weekly              re-render a report from the tables
              send --name daily --dry-run       write the e-mails as .eml files
              runs                              what ran, when, and how it ended

            Connections: --source / --warehouse, else DUSANGIRE_SOURCE_URL and
            DUSANGIRE_WAREHOUSE_URL, else libpq's defaults (PGHOST, PGPORT, PGUSER,
            PGDATABASE). Passwords belong in PGPASSWORD or ~/.pgpass, never on the
            command line. Shop days are days in Africa/Kigali unless
            DUSANGIRE_TIME_ZONE or --time-zone says otherwise.

            Exit codes: 0 done; 1 failed (see the message and `runs`); 64 bad usage;
            65 rejected rows with --strict; 69 a database or mail server could not be
            reached or the connection was lost; 73 the report could not be written
            (after run/backfill the load was kept); 75 another run holds the lock (try
            later); 78 bad configuration. Stopped by SIGTERM, SIGINT or SIGHUP (or a
            failure inside), a job says in one line what it left, then ends by that
            signal (a shell shows 128 + its number: 143 for SIGTERM).
            """,
        version: version,
        subcommands: [Migrate.self, Run.self, Backfill.self, Report.self, Send.self, Runs.self, SyncShop.self, SeedShop.self]
    )

    /// The program's own file, next to which sql/ and reports/ are looked for (`ProjectFolder`). Not argv[0]: that
    /// is a bare name when cron or a shell found the program through PATH (`dusangire-analytics run` in
    /// schedules/crontab), and the folders were then looked for under / and in the working folder.
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// How many files a job may need open at once: its connections, a report file, the mail server, the threads'
    /// own (a run needs about 14; the rest is headroom).
    static let filesNeeded: rlim_t = 64

    /// Raises the soft limit on open files to what a job needs when the hard limit allows, else says which limit to
    /// raise. Below about 10 the thread library itself traps (exit 132, no word); a little above, a file the job
    /// cannot open was said to be missing or unreadable.
    static func fileLimitRefusal() -> CLIError? {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max, limit.rlim_cur < filesNeeded else { return nil }
        if limit.rlim_max == rlim_t.max || limit.rlim_max >= filesNeeded {
            limit.rlim_cur = filesNeeded
            if setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 { return nil }
        }
        return CLIError.config("This process may have only \(limit.rlim_max) files open at once, and a job needs \(filesNeeded): raise the limit (`ulimit -n` in the shell or cron line, LimitNOFILE= in the systemd unit).")
    }

    /// The one exit point: parse, run, and hand any error to `Exit`, which maps it to its exit status and prints
    /// one sentence.
    static func main() {
        Console.prepare()
        Interruption.install()
        if let refusal = Self.fileLimitRefusal() { Exit.with(refusal) }
        // A file larger than `ulimit -f` (RLIMIT_FSIZE) allows: the write fails with "file too large" and the
        // report's sentence says so, instead of SIGXFSZ ending the job without a word.
        signal(SIGXFSZ, SIG_IGN)
        // Reports, messages and folders are never writable by every user, whatever umask cron or a shell gave
        // (`umask 000`); a stricter one (systemd's UMask=0027 in schedules/) is kept as it is.
        umask(umask(0) | S_IWOTH)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            Exit.with(error)
        }
        Console.finish()
        Foundation.exit(ExitStatus.done.rawValue)
    }
}
