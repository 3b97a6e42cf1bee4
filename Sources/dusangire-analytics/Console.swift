import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Standard output and standard error as cron and systemd hand them over: closed (`>&-`), a pipe whose reader has
/// gone (`| head -1`, a journal that restarted), a full disk (`>/dev/full`). None of them may stop a job, change
/// what it loads or writes, or reach a connection (README, "Exit codes").
enum Console {
    /// Run first, before anything opens a file or a connection. A closed descriptor 0, 1 or 2 is opened on /dev/null:
    /// otherwise the next connection or file takes its number, and what is printed goes into it (a summary line
    /// written into the warehouse's connection breaks it). SIGPIPE is ignored, so that a reader gone away makes a
    /// write fail instead of ending the job between its load and its report.
    static func prepare() {
        for fd in Int32(0)...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            let null = open("/dev/null", O_RDWR)
            if null >= 0 && null != fd {
                dup2(null, fd)
                close(null)
            }
        }
        signal(SIGPIPE, SIG_IGN)
    }

    /// The reason the first line meant for standard output could not be written (an `errno`), or 0.
    nonisolated(unsafe) private static var outputLost: Int32 = 0

    /// A line on standard output (a summary, the files written, the run log). A failed write is remembered for
    /// `finish()`, never fatal.
    static func out(_ line: String) {
        if !write(line + "\n", to: STDOUT_FILENO) && outputLost == 0 { outputLost = errno }
    }

    /// A line on standard error (progress, the error's sentence). A failed write is ignored: there is nowhere else
    /// to say it.
    static func err(_ line: String) {
        _ = write(line + "\n", to: STDERR_FILENO)
    }

    /// Before the program exits: says on standard error when what it printed on standard output was lost, except to
    /// a reader who stopped reading (`| head -1`), which is what that reader asked for. The exit status stays the
    /// job's: the tables and report files are what it is for, and `runs` keeps its summary.
    static func finish() {
        guard outputLost != 0 && outputLost != EPIPE else { return }
        let reason = String(cString: strerror(outputLost)).lowercased()
        err("note: standard output could not be written (\(reason)), so what this command printed there is lost; its work is not affected, and `dusangire-analytics runs` shows every job.")
    }

    /// Writes all of `text` to `fd`, through interruptions; false when the system refused.
    private static func write(_ text: String, to fd: Int32) -> Bool {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            bytes = bytes.dropFirst(n)
        }
        return true
    }
}
