import Postgres
import Warehouse

/// Brings the shop's own analytics tables, when they live in another database than the warehouse, up to date with
/// the rows the warehouse keeps for them (`PendingShopTables`; README, "Reruns, locks and crashes"). Runs under the
/// job lock: inside a job, and on its own as `sync-shop`.
struct ShopTablesSync {
    let warehouse: Connection
    let options: JobOptions

    /// Before a job's own work: writes what earlier runs left pending (a job killed, or the shop's database failing,
    /// after the warehouse committed). Without the shop's connection it can only say so.
    func catchUp() throws {
        let runs = try PendingShopTables(warehouse: warehouse).pendingRuns()
        guard !runs.isEmpty else { return }
        guard options.djangoConnection != nil else {
            options.progress("the shop's own analytics tables are behind the warehouse since run \(runs[0]); give the job the shop's database to write them")
            return
        }
        options.progress("writing the shop's own analytics tables left behind by \(Self.runList(runs))")
        _ = try write(loaded: false)
    }

    /// Copies every pending row into the shop's tables in one shop transaction, then marks the pending runs synced.
    /// `loaded`: this job has just loaded the warehouse (for the message if the shop fails). Returns the runs
    /// brought up to date and the rows written.
    @discardableResult
    func write(loaded: Bool) throws -> (runs: [Int64], rows: Int) {
        guard let shop = options.djangoConnection else { return ([], 0) }
        let pending = PendingShopTables(warehouse: warehouse)
        let runs = try pending.pendingRuns()
        guard !runs.isEmpty else { return ([], 0) }
        do {
            let n = try pending.copy(to: shop, schema: options.djangoSchema, timeZone: options.timeZoneName)
            options.progress("wrote \(n) rows into the shop's own analytics tables (\(Self.runList(runs)))")
            options.afterShopCommit()
            try pending.markSynced()
            return (runs, n)
        } catch {
            // The cause alone: a connection error's own advice ("a job cut off this way loads nothing") would
            // contradict the sentence around it, which says the warehouse was loaded.
            throw JobError.shopTablesBehind(runs: runs, loaded: loaded, reason: (error as? PostgresError)?.cause ?? String(describing: error))
        }
    }

    static func runList(_ runs: [Int64]) -> String {
        "run\(runs.count == 1 ? "" : "s") \(runs.map(String.init).joined(separator: ", "))"
    }
}

extension Job {
    /// `sync-shop`: under the job lock, writes into the shop's tables (`options.djangoConnection`, required) what
    /// runs left pending. Returns the runs brought up to date (none when nothing was behind) and the rows written.
    public static func syncShopTables(warehouse: Connection, options: JobOptions) throws -> (runs: [Int64], rows: Int) {
        try takeLock(warehouse, options: options)
        defer { _ = try? warehouse.advisoryUnlock(Job.lockKey) }
        return try ShopTablesSync(warehouse: warehouse, options: options).write(loaded: false)
    }

    /// Whether some session holds the job lock on this warehouse now: read from `pg_locks`, so it neither waits nor
    /// takes the lock. A run left `running` while nobody holds it has ended without finishing.
    public static func lockHeld(on warehouse: Connection) throws -> Bool {
        try warehouse.scalar("""
            SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
                             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                             AND (classid::bigint << 32 | objid::bigint) = $1::bigint)
            """, [String(Job.lockKey)]) == "t"
    }

    /// Takes the job lock on the warehouse, waiting with a message or (`waitForLock` off) throwing `JobError.busy`.
    static func takeLock(_ warehouse: Connection, options: JobOptions) throws {
        if options.waitForLock {
            try waitForLock(warehouse, progress: options.progress)
        } else if try !warehouse.tryAdvisoryLock(Job.lockKey) {
            throw JobError.busy
        }
    }

    private static func waitForLock(_ warehouse: Connection, progress: (String) -> Void) throws {
        if try !warehouse.tryAdvisoryLock(Job.lockKey) {
            progress("another run holds the lock; waiting for it to finish")
            do {
                try warehouse.advisoryLock(Job.lockKey)
            } catch where error.sqlState == "55P03" {
                // The role's lock_timeout ended the wait: the other run is still at work, as with --no-wait.
                throw JobError.busyPastLockTimeout
            }
        }
    }

    /// Runs `body` holding the job lock, after waiting (with a message) for a job that holds it: `migrate` changes the
    /// tables a job reads and writes, so the two never interleave.
    public static func holdingLock<T>(on warehouse: Connection, progress: (String) -> Void, _ body: () throws -> T) throws -> T {
        try waitForLock(warehouse, progress: progress)
        defer { _ = try? warehouse.advisoryUnlock(Job.lockKey) }
        return try body()
    }
}
