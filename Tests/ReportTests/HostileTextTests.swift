import Drawing
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

    /// A dish named with 600 characters took as many lines as it needed in the PDF's and the e-mail's bar chart of
    /// dishes, drawn over the next bars' names and the heading below; its label now stops after two lines with "…".
    func testALongNameInABarChartStopsAfterTwoLines() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("chart-\(UUID().uuidString).pdf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let canvas = try Canvas.pdf(path: path, width: 400, height: 300)
        let long = String(repeating: "Ugali na sombe ", count: 40) + "END"
        XCTAssertEqual(canvas.text(long, x: 0, y: 0, width: 120, Font(size: 12), Color(0), maxLines: 2), 30, "two lines of 15")
        XCTAssertEqual(canvas.text("Isombe", x: 0, y: 0, width: 120, Font(size: 12), Color(0), maxLines: 2), 15)
        canvas.newPage()
        BarChart(title: "Most ordered", bars: [(long, 9), ("Isombe", 5), ("Sambaza", 3)], highlightLast: false, horizontal: true)
            .draw(on: canvas, x: 0, y: 0, width: 400, height: 200)
        try canvas.finish()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
        guard FileManager.default.isExecutableFile(atPath: p.executableURL!.path) else { throw XCTSkip("pdftotext is not installed") }
        let pipe = Pipe()
        p.arguments = ["-f", "2", "-l", "2", path, "-"]
        p.standardOutput = pipe
        try p.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertTrue(text.contains("…"), text)
        XCTAssertFalse(text.contains("END"), text)
        XCTAssertLessThanOrEqual(text.components(separatedBy: "Ugali").count - 1, 8, text)
        XCTAssertTrue(text.contains("Isombe") && text.contains("Sambaza"), text)
    }

    /// The PDF gave every chart 170 points, so the chart of the ten most ordered dishes (a row each) ran its last
    /// names into the heading under it.
    func testAPDFChartOfTenDishesKeepsClearOfWhatFollows() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("layout-\(UUID().uuidString).pdf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var layout = ReportPDF.Layout(canvas: try Canvas.pdf(path: path, width: ReportPDF.pageWidth, height: ReportPDF.pageHeight),
                                      footer: "test")
        let chart = BarChart(title: "Most ordered dishes (portions)", bars: (1...10).map { ("Dish \($0)", Int64(20 - $0)) },
                             highlightLast: false, horizontal: true)
        let top = layout.y
        layout.add(.chart(chart))
        XCTAssertGreaterThanOrEqual(layout.y - top, chart.horizontalHeight(fontSize: 8))
        XCTAssertGreaterThan(chart.horizontalHeight(fontSize: 8), 180, "the case that overlapped")
        let upright = layout.y
        layout.add(.chart(BarChart(title: "Revenue per day", bars: [("1", 5), ("2", 7)])))
        XCTAssertEqual(layout.y - upright, 180, "an upright chart keeps its size")
        try layout.canvas.finish()
    }

    /// The kitchen's e-mail is its section's sentences; its plain-text part carried a dish's name as the shop stored
    /// it, escape sequence and bell included, where its HTML part showed U+FFFD.
    func testThePlainTextOfAnEmailShowsControlCharactersAsOnThePage() throws {
        let definition = ReportDefinition(name: "kitchen", title: "Dusangire kitchen plan", period: .day, sections: ["kitchen"],
                                          recipients: [ReportRecipient(name: "K", email: "k@example.rw", role: "kitchen")])
        let email = ReportEmail(ReportFilesTests.report(day: ShopDay(iso: "2026-11-23")!), definition: definition, audience: .full)
        let text = email.plainText(["Beans\u{1B}[31m RED\u{7}: about 50 tomorrow (50 to 50), 42 sold yesterday."])
        XCTAssertTrue(text.contains("\r\nBeans\u{FFFD}[31m RED\u{FFFD}: about 50 tomorrow (50 to 50), 42 sold yesterday.\r\n"), text)
        XCTAssertFalse(text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\r" && $0 != "\n" }, text)
    }

    /// A right-to-left override left open in a name reversed what followed it on the same line: the kitchen's
    /// "Beans\u{202E}: 42 sold yesterday" showed "24". Right-to-left names themselves are kept.
    func testBidirectionalOverridesInANameAreShownAsReplacementCharacters() throws {
        XCTAssertEqual(HTML.escape("Beans\u{202E}: 42 sold"), "Beans\u{FFFD}: 42 sold")
        XCTAssertEqual(HTML.escape("a\u{202A}b\u{202B}c\u{202C}d\u{202D}e\u{2066}f\u{2067}g\u{2068}h\u{2069}"),
                       "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}e\u{FFFD}f\u{FFFD}g\u{FFFD}h\u{FFFD}")
        XCTAssertEqual(CSVCell.text("\u{202E}evil").encoded, "\u{FFFD}evil")
        XCTAssertEqual(HTML.escape("شاورما עברית \u{200F}x\u{200E}"), "شاورما עברית \u{200F}x\u{200E}", "names and marks are kept")
        let definition = ReportDefinition(name: "kitchen", title: "Dusangire kitchen plan", period: .day, sections: ["kitchen"])
        let email = ReportEmail(ReportFilesTests.report(day: ShopDay(iso: "2026-11-23")!), definition: definition, audience: .full)
        XCTAssertTrue(email.plainText(["Beans\u{202E}: 42 sold yesterday."]).contains("Beans\u{FFFD}: 42 sold yesterday."))
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
            XCTAssertEqual(reason, "targets[0].goal must be a whole number, without a fraction and within its range")
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
