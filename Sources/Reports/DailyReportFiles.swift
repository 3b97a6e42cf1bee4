import Analytics
import Foundation
import Shop

/// Writes the daily report's files into a folder: `daily-<day>.html`, `daily-<day>.xlsx` and
/// `daily-<day>-<table>.csv`. Each file is written to a temporary name and renamed, so a reader never sees half a file.
public struct DailyReportFiles {
    public enum Failure: Error, CustomStringConvertible {
        case cannotWrite(path: String, reason: String)
        public var description: String {
            switch self {
            case .cannotWrite(let path, let reason): "Could not write \(path) (\(reason)); check that the --out folder exists and is writable."
            }
        }
    }

    public let report: DailyReport
    public let sections: [any ReportSection]
    public init(_ report: DailyReport, sections: [any ReportSection] = []) { self.report = report; self.sections = sections }

    /// Writes every file and returns their paths.
    public func write(into folder: String) throws -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw Failure.cannotWrite(path: folder, reason: "the folder could not be created")
        }
        let base = folder + "/daily-" + report.day.iso
        var written: [String] = []
        try atomically(base + ".html") { try Data(DailyHTML(report, sections: sections).html.utf8).write(to: URL(fileURLWithPath: $0)) }
        written.append(base + ".html")
        try atomically(base + ".xlsx") { try DailyWorkbook(report, sections: sections).write(to: $0) }
        written.append(base + ".xlsx")
        for (name, table) in DailyTables(report).csvTables + sections.flatMap(\.csvTables) {
            let path = base + "-" + name + ".csv"
            try atomically(path) { try Data(table.encoded.utf8).write(to: URL(fileURLWithPath: $0)) }
            written.append(path)
        }
        return written
    }

    private func atomically(_ path: String, _ write: (String) throws -> Void) throws {
        let ext = (path as NSString).pathExtension
        let tmp = (path as NSString).deletingPathExtension + ".partial-\(getpid())." + ext
        do {
            try write(tmp)
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: tmp, toPath: path)
        } catch let e as XLSXError {
            try? FileManager.default.removeItem(atPath: tmp)
            throw Failure.cannotWrite(path: path, reason: e.description)
        } catch {
            try? FileManager.default.removeItem(atPath: tmp)
            throw Failure.cannotWrite(path: path, reason: "\(error)")
        }
    }
}
