import Foundation
import Shop
import TestSupport
import XCTest

@testable import Reports

/// Names and values an attacker or a broken shop can store, on their way into pages, workbooks and CSV files.
final class HostileTextTests: XCTestCase {
    func testControlCharactersAndNoncharactersNeverReachHTML() {
        XCTAssertEqual(HTML.escape("Ali\u{0007}ne\u{FFFE} U\u{0000}wase\u{FFFF}\u{1B}[31m"), "Ali\u{FFFD}ne\u{FFFD} U\u{FFFD}wase\u{FFFD}\u{FFFD}[31m")
        let plane1 = String(Character(Unicode.Scalar(0x1FFFE)!)), fdd0 = String(Character(Unicode.Scalar(0xFDD0)!))
        XCTAssertEqual(HTML.escape("a\u{7F}b\u{85}c" + fdd0 + "d" + plane1 + "e"), "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}e")
        XCTAssertEqual(HTML.escape("tab\tnew\nline\r é 🇷🇼"), "tab\tnew\nline\r é 🇷🇼", "ordinary text and whitespace are kept")
    }

    func testCSVReplacesControlCharacters() {
        XCTAssertEqual(CSVCell.text("Aline\u{0008}\u{FFFE}").encoded, "Aline\u{FFFD}\u{FFFD}")
        XCTAssertEqual(CSVCell.text("\u{0000}=1+1").encoded, "\u{FFFD}=1+1")
    }

    func testReportNamesAreNeverPaths() {
        for good in ["daily", "weekly", "monthly", "board_2026", "ops-weekly"] { XCTAssertTrue(ReportDefinition.isValidName(good), good) }
        for bad in ["", "../../escaped", "../reports/daily", "a/b", ".hidden", "daily.json", "dai ly", "x\u{0000}", "é",
                    String(repeating: "a", count: 65)] {
            XCTAssertFalse(ReportDefinition.isValidName(bad), bad)
        }
    }

    func testADefinitionNamedLikeAPathIsRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("defs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(#"{"name": "../../escaped", "title": "Daily", "period": "day"}"#.utf8).write(to: dir.appendingPathComponent("daily.json"))
        XCTAssertThrowsError(try ReportDefinition.load(name: "daily", folder: dir.path)) { error in
            guard case .invalid(_, let reason)? = error as? ReportDefinition.Failure else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("letters, digits"), reason)
        }
        XCTAssertThrowsError(try ReportDefinition.load(name: "../daily", folder: dir.path)) { error in
            guard case .badName("../daily")? = error as? ReportDefinition.Failure else { return XCTFail("\(error)") }
        }
    }

    /// A goal too large for its field is not called merely "not valid JSON" (Foundation's words, which name no field).
    func testAGoalTooLargeIsNamed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("defs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(#"{"name": "daily", "title": "Daily", "period": "day", "targets": [{"kpi": "revenue", "goal": 1e30}]}"#.utf8)
            .write(to: dir.appendingPathComponent("daily.json"))
        XCTAssertThrowsError(try ReportDefinition.load(name: "daily", folder: dir.path)) { error in
            guard case .invalid(_, let reason)? = error as? ReportDefinition.Failure else { return XCTFail("\(error)") }
            XCTAssertEqual(reason, "it is not valid JSON, or it holds a number too large for its field")
        }
    }

    func testADateExcelCannotShowIsWrittenAsText() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("dates.xlsx").path
        let wb = try Workbook(path: path)
        let s = try wb.addSheet("Dates")
        try s.write(0, 0, .date(epochDay: -244_712))  // 1300-01-01, before Excel's 1900-01-01
        try s.write(1, 0, .date(epochDay: 20_780))    // 2026-11-23, a real date cell
        try wb.close()
        let xlsx = XLSXFile(path)
        XCTAssertTrue(try xlsx.part("xl/sharedStrings.xml").contains("1300-01-01"))
        XCTAssertTrue(try xlsx.sheet(named: "Dates").contains("<v>46349</v>"), "2026-11-23 is Excel serial 46349")
    }
}
