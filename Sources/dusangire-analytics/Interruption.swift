import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM (systemd stopping the unit or its TimeoutStartSec=, `timeout` in a cron line), SIGINT (Ctrl-C) and SIGHUP
/// (a closed terminal). The job stops where it is, as after any kill: its load is one transaction, each report file
/// is moved into place whole, a message is recorded once the server took it. What is left to know is which side of
/// the commit it stopped on: one line on standard error says so and what to run, then the program ends by that same
/// signal, so a shell still sees 143, 130 or 129, `timeout` 124, and systemd `signal=TERM` (README, "Exit codes").
enum Interruption {
    static let signals: [Int32] = [SIGTERM, SIGINT, SIGHUP]
    static let names = ["SIGTERM", "SIGINT", "SIGHUP"]

    /// The line for each signal, as C strings the handler can write without allocating. Replaced, never freed (a
    /// handler may be reading the old one; there are a few per run).
    nonisolated(unsafe) private static let lines: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let p = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: 3)
        p.initialize(repeating: nil, count: 3)
        return p
    }()

    /// Installs the handlers, with a line for a command that is not a job (`report`, `send`, `runs`...).
    static func install() {
        now("before it finished: nothing was left half-written (each file is moved into place whole, a load commits in one transaction); run the command again")
        let handler: @convention(c) (Int32) -> Void = { sig in
            let i = sig == SIGTERM ? 0 : sig == SIGINT ? 1 : 2
            if let line = Interruption.lines[i] { _ = write(STDERR_FILENO, line, strlen(line)) }
            signal(sig, SIG_DFL)
            raise(sig)
        }
        for sig in signals { signal(sig, handler) }
    }

    /// What a signal arriving from now on leaves, and what to do: the rest of the sentence after "Stopped by SIGTERM".
    static func now(_ state: String) {
        for (i, name) in names.enumerated() {
            lines[i] = strdup(Exit.prefix + Exit.oneLine("Stopped by \(name) \(state)") + "\n")
        }
    }
}
