import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM (systemd stopping the unit or its TimeoutStartSec=, `timeout` in a cron line), SIGINT (Ctrl-C) and SIGHUP
/// (a closed terminal). The job stops where it is, as after any kill: its load is one transaction, each report file
/// is moved into place whole, a message is recorded once the server took it. What is left to know is which side of
/// the commit it stopped on: one line on standard error says so and what to run, then the program ends by that same
/// signal, so a shell still sees 143, 130 or 129, `timeout` 124, and systemd `signal=TERM` (README, "Exit codes").
///
/// A failure inside the program (SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE: most often memory refused under
/// `ulimit -v` or a unit's MemoryMax=, else a bug) is said the same way, instead of the runtime's backtrace of every
/// thread; `SWIFT_BACKTRACE` set in the environment keeps that backtrace, after the line, for whoever debugs it.
enum Interruption {
    /// The signals handled, in the order of `lines`; the first three stop the job, the others are failures.
    static let signals: [Int32] = [SIGTERM, SIGINT, SIGHUP, SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE]
    static let names = ["SIGTERM", "SIGINT", "SIGHUP", "SIGABRT", "SIGSEGV", "SIGBUS", "SIGILL", "SIGTRAP", "SIGFPE"]
    static let stops = 3

    /// The line for each signal, as C strings the handler can write without allocating. Replaced, never freed (a
    /// handler may be reading the old one; there are a few per run).
    nonisolated(unsafe) private static let lines: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let p = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: signals.count)
        p.initialize(repeating: nil, count: signals.count)
        return p
    }()

    /// What each failure signal did before `install` (the runtime's backtracer), restored when `SWIFT_BACKTRACE` asks.
    nonisolated(unsafe) private static let previous: UnsafeMutablePointer<sigaction> = {
        let p = UnsafeMutablePointer<sigaction>.allocate(capacity: signals.count)
        p.initialize(repeating: sigaction(), count: signals.count)
        return p
    }()
    nonisolated(unsafe) private static var keepBacktrace = false
    /// Standard error as the program was given it, kept apart: while a workbook is written, descriptor 2 goes to
    /// /dev/null for a moment (`Workbook`), and a line written there would be lost.
    nonisolated(unsafe) private static var errorOutput = STDERR_FILENO

    /// Installs the handlers, with a line for a command that is not a job (`report`, `send`, `runs`...).
    static func install() {
        keepBacktrace = ProcessInfo.processInfo.environment["SWIFT_BACKTRACE"] != nil
        let copy = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3)
        if copy >= 0 { errorOutput = copy }
        now("before it finished: nothing was left half-written (each file is moved into place whole, a load commits in one transaction); run the command again")
        let handler: @convention(c) (Int32) -> Void = { sig in
            let i: Int
            switch sig {
            case SIGTERM: i = 0
            case SIGINT: i = 1
            case SIGHUP: i = 2
            case SIGABRT: i = 3
            case SIGSEGV: i = 4
            case SIGBUS: i = 5
            case SIGILL: i = 6
            case SIGTRAP: i = 7
            default: i = 8
            }
            if let line = Interruption.lines[i] { _ = write(Interruption.errorOutput, line, strlen(line)) }
            if i >= Interruption.stops && Interruption.keepBacktrace {
                _ = sigaction(sig, Interruption.previous + i, nil)
            } else {
                signal(sig, SIG_DFL)
            }
            // Delivered once this handler returns (the signal is blocked until then): a fault's own context stays.
            raise(sig)
        }
        for (i, sig) in signals.enumerated() {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = handler
            sigemptyset(&action.sa_mask)
            // On the runtime's alternate stack, if it set one: a stack overflow leaves no room on the thread's own.
            action.sa_flags = SA_ONSTACK
            _ = sigaction(sig, &action, previous + i)
        }
    }

    /// What a signal arriving from now on leaves, and what to do: the rest of the sentence after "Stopped by SIGTERM".
    static func now(_ state: String) {
        for (i, name) in names.enumerated() {
            let why = i < stops ? name : "\(name), a failure inside the program (most often memory: raise `ulimit -v` or the unit's MemoryMax= if one is set, else report it as a bug),"
            lines[i] = strdup(Exit.prefix + Exit.oneLine("Stopped by \(why) \(state)") + "\n")
        }
    }
}
