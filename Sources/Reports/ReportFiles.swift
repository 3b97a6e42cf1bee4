import Analytics
import Drawing
import Foundation
import Shop

/// Writes a report's files into a folder: `<stem>.html`, `<stem>.xlsx`, `<stem>.pdf` and `<stem>-<table>.csv`, where the stem is
/// `daily-2026-11-23`, `weekly-2026-W48` or `monthly-2026-11`. Each file is written under a temporary name and
/// renamed, so a reader never sees half a file.
public struct ReportFiles {
    public enum Failure: Error, CustomStringConvertible {
        /// The file system refused (permissions, a full disk, a file where the folder should be).
        case cannotWrite(path: String, reason: String)
        /// The data held something the file format cannot show.
        case cannotRender(path: String, reason: String)
        public var description: String {
            switch self {
            case .cannotWrite(let path, let reason) where reason.contains("no space left"):
                "Could not write \(path) (\(reason)); free space on that disk or choose another --out folder."
            case .cannotWrite(let path, let reason) where reason.hasSuffix("the disk is read-only"):
                "Could not write \(path) (\(reason)); choose an --out folder on a disk that takes writes, or have that disk mounted read-write."
            case .cannotWrite(let path, let reason) where reason == Failure.tooLarge:
                "Could not write \(path) (\(reason)): this user may not write files that large; raise or remove the limit (`ulimit -f` in the shell or cron line, LimitFSIZE= in the systemd unit)."
            case .cannotWrite(let path, let reason): "Could not write \(path) (\(reason)); check that the --out folder exists and is writable."
            case .cannotRender(let path, let reason): "Could not render \(path) (\(reason)); this is a data problem, not a folder problem: see `dusangire-analytics runs` and the rejected rows."
            }
        }

        /// What `strerror` says of EFBIG: a file beyond the process's RLIMIT_FSIZE.
        static let tooLarge = String(cString: strerror(EFBIG)).lowercased()

        /// A short reason for a file-system error, instead of Foundation's dump of the error value.
        static func plainReason(_ error: Error) -> String {
            let ns = error as NSError
            switch CocoaError.Code(rawValue: ns.code) {
            case .fileWriteNoPermission, .fileReadNoPermission: return "permission denied"
            case .fileWriteOutOfSpace: return "no space left on the disk"
            case .fileWriteVolumeReadOnly: return "the disk is read-only"
            case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or folder"
            case .fileWriteFileExists: return "a file of that name is in the way"
            default: break
            }
            // Any other: the system's own words, which Foundation keeps as a POSIXError (it does not cast to NSError
            // directly) under its "unknown" code 512 (a file larger than `ulimit -f` allows).
            if let posix = (ns.userInfo[NSUnderlyingErrorKey] as? Error).map({ $0 as NSError }), posix.domain == NSPOSIXErrorDomain {
                return String(cString: strerror(Int32(posix.code))).lowercased()
            }
            return ns.domain == NSPOSIXErrorDomain ? String(cString: strerror(Int32(ns.code))).lowercased() : "the system refused it, code \(ns.code)"
        }
    }

    public let report: PeriodReport
    public let definition: ReportDefinition
    /// The definition's sections in its order (`ReportSections.arrange`).
    public let sections: [any ReportSection]
    public let audience: Audience

    public init(_ report: PeriodReport, definition: ReportDefinition, sections: [any ReportSection] = [], audience: Audience = .full) {
        self.report = report; self.definition = definition; self.audience = audience
        self.sections = ReportSections.arrange(report, definition: definition, given: sections)
    }

    /// The files written, by kind.
    public struct Written: Sendable {
        public var html: String
        public var xlsx: String
        public var pdf: String
        public var csv: [String]
        public var all: [String] { [html, xlsx, pdf] + csv }

        /// The files a definition's `attach` asks for, in the order xlsx, pdf, csv.
        public func attachments(_ kinds: [String]) -> [String] {
            (kinds.contains("xlsx") ? [xlsx] : []) + (kinds.contains("pdf") ? [pdf] : []) + (kinds.contains("csv") ? csv : [])
        }
    }

    /// Writes every file.
    public func write(into folder: String) throws -> Written {
        try Self.makeFolder(folder)
        let base = folder + "/" + report.fileStem
        try Self.atomically(base + ".html") {
            try Data(ReportHTML(report, definition: definition, sections: sections, audience: audience).html.utf8).write(to: URL(fileURLWithPath: $0))
        }
        try Self.atomically(base + ".xlsx") {
            try ReportWorkbook(report, definition: definition, sections: sections, audience: audience).write(to: $0)
        }
        try Self.atomically(base + ".pdf") {
            try ReportPDF(report, definition: definition, sections: sections, audience: audience).write(to: $0)
        }
        var csv: [String] = []
        for (name, table) in sections.map({ $0.forAudience(audience) }).flatMap(\.csvTables) {
            let path = base + "-" + name + ".csv"
            try Self.atomically(path) { try Data(table.encoded.utf8).write(to: URL(fileURLWithPath: $0)) }
            csv.append(path)
        }
        return Written(html: base + ".html", xlsx: base + ".xlsx", pdf: base + ".pdf", csv: csv)
    }

    static func makeFolder(_ folder: String) throws {
        // The nearest part of the path that exists must be a folder.
        var existing = (folder as NSString).standardizingPath
        while !existing.isEmpty && existing != "/" && !FileManager.default.fileExists(atPath: existing) {
            existing = (existing as NSString).deletingLastPathComponent
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: existing, isDirectory: &isFolder), !isFolder.boolValue {
            throw Failure.cannotWrite(path: folder, reason: "\(existing) is a file, not a folder")
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw Failure.cannotWrite(path: folder, reason: "the folder could not be created: \(Failure.plainReason(error))")
        }
        guard access(folder, W_OK) == 0 else {
            // A read-only disk (a read-only mount, a disk remounted read-only after errors) is not a permission to grant.
            throw Failure.cannotWrite(path: folder, reason: errno == EROFS ? "the disk is read-only" : "this user may not write in that folder")
        }
        removeAbandonedStaging(in: folder)
    }

    /// The staging folders (`atomically`) of writers that died before renaming their file (a job killed while it
    /// wrote the report, SIGKILL, SIGTERM or Ctrl-C): each is named for its process (`.partial-<pid>-XXXXXX`), and one
    /// whose process is gone holds only half a file, so it goes. Those of a live process (another report being
    /// written into the same folder) stay; a link of that name is not followed. One an earlier version named without its
    /// process (`.partial-XXXXXX`) goes once it is a day old.
    static func removeAbandonedStaging(in folder: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(stagingPrefix) {
            let fields = name.dropFirst(stagingPrefix.count).split(separator: "-", omittingEmptySubsequences: false)
            let path = folder + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { continue }
            if fields.count == 1, fields[0].count == 6 {
                // Named by an earlier version, without its process: gone once a day old (no report takes that long).
                guard time(nil) - st.st_mtim.tv_sec > 86_400 else { continue }
            } else {
                guard fields.count == 2, fields[1].count == 6, let pid = pid_t(fields[0]), pid > 0 else { continue }
                if kill(pid, 0) == 0 || errno != ESRCH { continue }
            }
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// How a staging folder's name begins; the writer's process id and mkdtemp's six characters follow.
    static let stagingPrefix = ".partial-"

    /// Writes a file at `path` through `write`, which is given another path to write to: a file in a folder this
    /// call creates for it (a name nobody can guess, mode 0700, named for this process so that the next writer can
    /// remove it if this one dies: `removeAbandonedStaging`), moved onto `path` when complete. So a reader never
    /// sees half a file, and a link planted in the output folder is never written through: a link at `path` itself
    /// is replaced by the file, not followed (README, "Reports").
    static func atomically(_ path: String, _ write: (String) throws -> Void) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        var template = Array((folder + "/" + stagingPrefix + "\(getpid())-XXXXXX").utf8CString)
        guard mkdtemp(&template) != nil else {
            throw Failure.cannotWrite(path: path, reason: "no file could be made in that folder (\(String(cString: strerror(errno))))")
        }
        let staging = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let tmp = staging + "/" + name
        defer { try? FileManager.default.removeItem(atPath: staging) }
        do {
            try write(tmp)
            // rename(2) puts the file in place of whatever `path` is (a file, a link), in one step.
            guard rename(tmp, path) == 0 else { throw Failure.cannotWrite(path: path, reason: String(cString: strerror(errno)).lowercased()) }
        } catch let e as XLSXError {
            if case .invalidArgument = e { throw Failure.cannotRender(path: path, reason: e.description) }
            // The library's reason alone: its path is the staging folder's, not the one the user named.
            if case .closeFailed(_, let reason) = e { throw Failure.cannotWrite(path: path, reason: reason) }
            throw Failure.cannotWrite(path: path, reason: e.description)
        } catch let e as DrawingError {
            // The system's reason alone: its path is the staging folder's, not the one the user named.
            if case .fileNotWritten(_, let reason) = e { throw Failure.cannotWrite(path: path, reason: reason) }
            throw Failure.cannotWrite(path: path, reason: e.description)
        } catch let e as Failure {
            throw e
        } catch {
            throw Failure.cannotWrite(path: path, reason: Failure.plainReason(error))
        }
    }

    /// `<folder>/<name>`, a folder of the job's own inside the one the user named, made if missing. Refused when it is
    /// a link or a file: the files for it would land wherever the link points, outside the folder the user named.
    public static func subfolder(_ name: String, of folder: String) throws -> String {
        let path = folder + "/" + name
        var st = stat()
        if lstat(path, &st) == 0 && (st.st_mode & S_IFMT) != S_IFDIR {
            throw Failure.cannotWrite(path: path, reason: "it is a link or a file, not a folder of its own; remove it")
        }
        try makeFolder(path)
        return path
    }
}

/// The shop's two dashboard endpoints, as files.
public enum DashboardJSON {
    /// `daily-revenue.json`: `{"dates": [...], "revenue": [...], "orders": [...]}`; revenue as exact decimal numbers.
    public static func dailyRevenue(_ days: [DailySnapshot]) -> String {
        let dates = days.map { "\"\($0.day.iso)\"" }.joined(separator: ", ")
        let revenue = days.map { $0.totalRevenue.decimalString }.joined(separator: ", ")
        let orders = days.map { String($0.totalOrders) }.joined(separator: ", ")
        return "{\n  \"dates\": [\(dates)],\n  \"revenue\": [\(revenue)],\n  \"orders\": [\(orders)]\n}\n"
    }

    /// `customer-segments.json`: `{"as_of": "2026-11-23", "segments": [{"segment", "label", "customers",
    /// "lifetime_value"}...], "rfm_groups": [...]}` (counts only: no personal data).
    public static func customerSegments(_ r: CustomerReport) -> String {
        func list(_ rows: [CustomerReport.Count], key: String) -> String {
            rows.map {
                "    {\"\(key)\": \(string($0.key)), \"label\": \(string($0.label)), \"customers\": \($0.customers), \"lifetime_value\": \($0.lifetimeValue.decimalString)}"
            }.joined(separator: ",\n")
        }
        return "{\n  \"as_of\": \"\(r.asOf.iso)\",\n  \"segments\": [\n\(list(r.segments, key: "segment"))\n  ],\n"
            + "  \"rfm_groups\": [\n\(list(r.rfmGroups, key: "group"))\n  ]\n}\n"
    }

    /// Writes `text` to `<folder>/<name>` atomically and returns the path.
    public static func write(_ text: String, name: String, into folder: String) throws -> String {
        try ReportFiles.makeFolder(folder)
        let path = folder + "/" + name
        try ReportFiles.atomically(path) { try Data(text.utf8).write(to: URL(fileURLWithPath: $0)) }
        return path
    }

    /// A JSON string literal with everything escaped that must be.
    public static func string(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"  // safe to embed in HTML too
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
