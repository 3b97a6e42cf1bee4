import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import TestSupport
import XCTest

@testable import Reports

final class WorkbookTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("xlsx-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let dir { try? FileManager.default.removeItem(at: dir) }
    }

    static let hostile = "=HYPERLINK(\"http://x\",\"y\")"
    static let script = "<script>alert(1)</script>"
    static let kinyarwanda = "Murakoze cyane! Amafaranga y'u Rwanda 🇷🇼 ☕ ikawa"
    /// 2026-11-23 as days since 1970-01-01.
    static let nov23: Int32 = 20780

    // MARK: The full report, read back from the zip

    /// Two sheets, every cell kind, hostile text, layout, conditional formats, two charts.
    @discardableResult
    private func buildReport() throws -> String {
        let path = dir.appendingPathComponent("report.xlsx").path
        let wb = try Workbook(path: path, title: "Daily revenue")
        let daily = try wb.addSheet("Daily revenue: Nov/2026")
        XCTAssertEqual(daily.name, "Daily revenue - Nov-2026")
        let products = try wb.addSheet("Products")

        let header = wb.format(.header)
        XCTAssertEqual(wb.format(.header).index, header.index, "formats are cached")
        try daily.writeRow(0, ["Date", "Revenue", "Margin", "Orders", "Note"].map(CellValue.text), format: header)
        try daily.writeRow(1, [.date(epochDay: Self.nov23), .money(hundredths: 123_456_750), .percent(0.125),
                               .integer(42), .text(Self.hostile)])
        try daily.writeRow(2, [.date(epochDay: Self.nov23 + 1), .money(hundredths: 9_900_000), .percent(0.3),
                               .integer(7), .text(Self.script)])
        try daily.writeRow(3, [.date(epochDay: Self.nov23 + 2), .money(hundredths: 50), .percent(0),
                               .integer(0), .text(Self.kinyarwanda)],
                           formats: [nil, wb.format(.moneyCents), nil, wb.format(.integer)])
        try daily.write(5, 1, .money(hundredths: 133_356_800), wb.format(.total))  // bold total keeps "RWF"
        try daily.setColumn(0, 0, width: 12)
        try daily.setColumn(1, 1, width: 18)
        try daily.setColumn(4, 4, width: 40, format: wb.format(.text))
        try daily.freezePanes(row: 1, col: 0)
        try daily.autofilter(firstRow: 0, firstCol: 0, lastRow: 3, lastCol: 4)
        try daily.conditionalFormat(.redYellowGreen, firstRow: 1, firstCol: 2, lastRow: 3, lastCol: 2)
        try daily.conditionalFormat(.cell(.lessThan, 100, style: ConditionalRule.badStyle),
                                    firstRow: 1, firstCol: 1, lastRow: 3, lastCol: 1)
        daily.setLandscape()
        daily.setPaperA4()
        daily.fitToWidth()
        try daily.repeatRows(0, 0)
        try daily.addChart(
            ChartSpec(kind: .line, title: "Revenue per day",
                      series: [ChartSeries(name: "Revenue", sheet: daily,
                                           categories: ColumnRange(col: 0, firstRow: 1, lastRow: 3),
                                           values: ColumnRange(col: 1, firstRow: 1, lastRow: 3))],
                      xAxisTitle: "Day", yAxisTitle: "RWF", valueNumberFormat: "#,##0"),
            at: 7, 0)

        try products.writeRow(0, [.text("Product"), .text("Units")], format: header)
        for (i, (name, units)) in [("Ikawa", 120), ("Icyayi", 80), ("Mandazi", 200)].enumerated() {
            try products.writeRow(i + 1, [.text(name), .integer(Int64(units))])
        }
        try products.mergeRange(firstRow: 5, firstCol: 0, lastRow: 5, lastCol: 3, text: "Top products",
                                wb.format(.title))
        try products.addChart(
            ChartSpec(kind: .column, title: "=Units sold",  // must stay a literal title
                      series: [ChartSeries(name: "Units", sheet: products.name,
                                           categories: ColumnRange(col: 0, firstRow: 1, lastRow: 3),
                                           values: ColumnRange(col: 1, firstRow: 1, lastRow: 3))],
                      legend: .none),
            at: 7, 0)
        try wb.close()
        try wb.close()  // idempotent
        return path
    }

    func testFullWorkbookRoundTrip() throws {
        let path = try buildReport()
        let files = try listZip(path)
        for part in ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml",
                     "xl/styles.xml", "xl/sharedStrings.xml", "xl/charts/chart1.xml", "xl/charts/chart2.xml",
                     "docProps/core.xml", "docProps/app.xml"] {
            XCTAssertTrue(files.contains(part), "missing \(part) in \(files)")
        }
        for part in files where part.hasSuffix(".xml") || part.hasSuffix(".rels") {
            try assertWellFormed(try unzip(path, part), part)
        }

        let sheet1 = try unzip(path, "xl/worksheets/sheet1.xml")
        let strings = try unzip(path, "xl/sharedStrings.xml")
        let styles = try unzip(path, "xl/styles.xml")
        let workbookXML = try unzip(path, "xl/workbook.xml")

        // Numbers are exact francs.
        XCTAssertTrue(sheet1.contains("<v>1234567.5</v>"), sheet1)
        XCTAssertTrue(sheet1.contains("<v>99000</v>"))
        XCTAssertTrue(sheet1.contains("<v>0.5</v>"))
        XCTAssertTrue(sheet1.contains("<v>1333568</v>"))
        XCTAssertTrue(sheet1.contains("<v>0.125</v>"))
        XCTAssertTrue(sheet1.contains("<v>42</v>"))

        // Hostile text is a shared string, never a formula.
        XCTAssertFalse(sheet1.contains("<f>"), "no formulas expected")
        XCTAssertTrue(strings.contains("<t>=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)</t>")
                      || strings.contains("<t>=HYPERLINK(\"http://x\",\"y\")</t>"), strings)
        XCTAssertTrue(strings.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), strings)
        XCTAssertFalse(strings.contains("<script>"))
        XCTAssertTrue(strings.contains(Self.kinyarwanda), "UTF-8 text kept verbatim")
        let hostileIndex = try XCTUnwrap(sharedStringIndex(of: "=HYPERLINK(", in: strings))
        XCTAssertTrue(sheet1.contains("<c r=\"E2\" t=\"s\"><v>\(hostileIndex)</v></c>")
                      || sheet1.range(of: "<c r=\"E2\" s=\"[0-9]+\" t=\"s\"><v>\(hostileIndex)</v></c>",
                                      options: .regularExpression) != nil, sheet1)

        // Layout.
        XCTAssertNotNil(sheet1.range(of: "<pane [^>]*ySplit=\"1\"", options: .regularExpression), sheet1)
        XCTAssertTrue(sheet1.contains("<autoFilter ref=\"A1:E4\""), sheet1)
        XCTAssertTrue(sheet1.contains("<colorScale>"))
        XCTAssertTrue(sheet1.contains("operator=\"lessThan\""))
        XCTAssertTrue(sheet1.contains("orientation=\"landscape\""))
        XCTAssertTrue(sheet1.contains("fitToHeight=\"0\""))
        XCTAssertTrue(sheet1.contains("<drawing "))

        // Number formats.
        XCTAssertTrue(styles.contains("formatCode=\"#,##0&quot; RWF&quot;\""), styles)
        XCTAssertTrue(styles.contains("formatCode=\"#,##0.00&quot; RWF&quot;\""), styles)
        XCTAssertTrue(styles.contains("formatCode=\"0.0%\""), styles)
        XCTAssertTrue(styles.contains("formatCode=\"yyyy-mm-dd\""), styles)

        // The date is a real date: serial 46349 with a yyyy-mm-dd style.
        XCTAssertEqual(try numberFormat(ofCell: "A2", sheet: sheet1, styles: styles), "yyyy-mm-dd")
        XCTAssertTrue(try cellXML("A2", in: sheet1).contains("<v>46349</v>"))
        XCTAssertEqual(try numberFormat(ofCell: "B2", sheet: sheet1, styles: styles), "#,##0&quot; RWF&quot;")
        XCTAssertEqual(try numberFormat(ofCell: "B4", sheet: sheet1, styles: styles), "#,##0.00&quot; RWF&quot;")
        XCTAssertEqual(try numberFormat(ofCell: "B6", sheet: sheet1, styles: styles), "#,##0&quot; RWF&quot;")
        XCTAssertEqual(try numberFormat(ofCell: "C2", sheet: sheet1, styles: styles), "0.0%")

        // Sheet names and properties.
        XCTAssertTrue(workbookXML.contains("<sheet name=\"Daily revenue - Nov-2026\""), workbookXML)
        XCTAssertTrue(workbookXML.contains("<sheet name=\"Products\""))
        XCTAssertTrue(try unzip(path, "docProps/app.xml").contains("<Company>Dusangire</Company>"))
        XCTAssertTrue(try unzip(path, "docProps/core.xml").contains("<dc:title>Daily revenue</dc:title>"))

        // Charts.
        let chart1 = try unzip(path, "xl/charts/chart1.xml")
        let chart2 = try unzip(path, "xl/charts/chart2.xml")
        XCTAssertTrue(chart1.contains("<c:lineChart>"), chart1)
        XCTAssertTrue(chart1.contains("<c:f>'Daily revenue - Nov-2026'!$B$2:$B$4</c:f>"), chart1)
        XCTAssertTrue(chart1.contains("<c:f>'Daily revenue - Nov-2026'!$A$2:$A$4</c:f>"), chart1)
        XCTAssertTrue(chart1.contains("Revenue per day"))
        XCTAssertTrue(chart1.contains("<a:t>RWF</a:t>"))
        XCTAssertTrue(chart2.contains("<c:barChart>"), chart2)
        XCTAssertTrue(chart2.contains("<c:barDir val=\"col\"/>"))
        XCTAssertTrue(chart2.contains("<c:f>Products!$B$2:$B$4</c:f>"), chart2)
        XCTAssertTrue(chart2.contains("<a:t> =Units sold</a:t>"), "title stays literal text")
        XCTAssertFalse(chart2.contains("<c:legend>"))

        // Merged title on sheet 2.
        XCTAssertTrue(try unzip(path, "xl/worksheets/sheet2.xml").contains("<mergeCell ref=\"A6:D6\"/>"))
    }

    /// The real-reader check; skipped where LibreOffice is not installed.
    func testOpensInLibreOffice() throws {
        let candidates = ["/usr/bin/libreoffice", "/usr/bin/soffice", "/usr/local/bin/libreoffice",
                          "/opt/libreoffice/program/soffice"]
        guard let office = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("LibreOffice is not installed")
        }
        let path = try buildReport()
        let out = dir.appendingPathComponent("lo", isDirectory: true)
        let profile = dir.appendingPathComponent("lo-profile", isDirectory: true)
        let (status, _) = try run(office, ["-env:UserInstallation=file://\(profile.path)", "--headless",
                                           "--convert-to", "csv", "--outdir", out.path, path])
        XCTAssertEqual(status, 0, "LibreOffice could not open \(path)")
        let text = try String(contentsOf: out.appendingPathComponent("report.csv"), encoding: .utf8)
        XCTAssertTrue(text.contains("HYPERLINK"), text)
        XCTAssertTrue(text.contains("2026-11-23"), text)
        XCTAssertTrue(text.contains("Murakoze"), text)
    }

    // MARK: Constant-memory mode

    func testConstantMemoryWritesInlineStringsAndManyRows() throws {
        let path = dir.appendingPathComponent("big.xlsx").path
        let wb = try Workbook(path: path, constantMemory: true, tmpDirectory: dir.path)
        let sheet = try wb.addSheet("Orders")
        try sheet.writeRow(0, [.text("Day"), .text("Total"), .text("Note")], format: wb.format(.header))
        try sheet.freezePanes(row: 1, col: 0)
        for i in 1...20_000 {
            try sheet.writeRow(i, [.date(epochDay: Self.nov23 - Int32(i % 365)),
                                   .money(hundredths: Int64(i) * 1_050),
                                   .text(i == 1 ? Self.hostile : "n\(i % 7)")])
        }
        try sheet.autofilter(firstRow: 0, firstCol: 0, lastRow: 20_000, lastCol: 2)
        try sheet.conditionalFormat(.dataBar(color: 0x638EC6), firstRow: 1, firstCol: 1, lastRow: 20_000, lastCol: 1)
        try sheet.addChart(
            ChartSpec(kind: .bar, title: "Totals",
                      series: [ChartSeries(name: "Total", sheet: sheet,
                                           categories: ColumnRange(col: 0, firstRow: 1, lastRow: 10),
                                           values: ColumnRange(col: 1, firstRow: 1, lastRow: 10))]),
            at: 2, 5)

        // Rows must go top to bottom in this mode: a clear error, not silent loss.
        XCTAssertThrowsError(try sheet.write(3, 0, .text("late"))) { error in
            XCTAssertTrue("\(error)".contains("top to bottom"), "\(error)")
        }
        XCTAssertThrowsError(try sheet.mergeRange(firstRow: 20_001, firstCol: 0, lastRow: 20_001, lastCol: 2,
                                                  text: "x"))
        try wb.close()

        let sheet1 = try unzip(path, "xl/worksheets/sheet1.xml")
        XCTAssertTrue(sheet1.contains("<v>10.5</v>"))
        XCTAssertTrue(sheet1.contains("<v>210000</v>"))  // row 20000: 21,000,000 hundredths
        XCTAssertTrue(sheet1.contains("t=\"inlineStr\""))
        XCTAssertTrue(sheet1.contains("<is><t>=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)</t></is>")
                      || sheet1.contains("<is><t>=HYPERLINK(\"http://x\",\"y\")</t></is>"))
        XCTAssertFalse(sheet1.contains("<f>"))
        XCTAssertTrue(sheet1.contains("<autoFilter ref=\"A1:C20001\""))
        XCTAssertTrue(sheet1.contains("<dataBar>"))
        let chart = try unzip(path, "xl/charts/chart1.xml")
        XCTAssertTrue(chart.contains("<c:barDir val=\"bar\"/>"))
        try assertWellFormed(sheet1, "sheet1.xml")
    }

    // MARK: Errors

    func testNonexistentDirectoryFailsEarlyNamingThePath() {
        let path = dir.appendingPathComponent("no/such/dir/report.xlsx").path
        XCTAssertThrowsError(try Workbook(path: path)) { error in
            XCTAssertEqual(error as? XLSXError, .cannotCreate(path: path))
            XCTAssertTrue("\(error)".contains(path), "\(error)")
        }
    }

    func testCloseFailureNamesThePath() throws {
        let sub = dir.appendingPathComponent("vanishing")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        let path = sub.appendingPathComponent("report.xlsx").path
        let wb = try Workbook(path: path)
        try wb.addSheet("A").write(0, 0, .integer(1))
        try FileManager.default.removeItem(at: sub)
        // What reaches standard error meanwhile: nothing (libxlsxwriter's own "[ERROR] workbook_close(): ..." line is
        // not for the person running the job; the error below says it in a sentence).
        let capture = dir.appendingPathComponent("stderr.txt").path
        let fd = open(capture, O_WRONLY | O_CREAT | O_TRUNC, 0o600), saved = dup(STDERR_FILENO)
        dup2(fd, STDERR_FILENO); close(fd)
        XCTAssertThrowsError(try wb.close()) { error in
            guard case .closeFailed(let failedPath, let reason)? = error as? XLSXError else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual(failedPath, path)
            XCTAssertFalse(reason.isEmpty)
            XCTAssertTrue("\(error)".contains(path))
        }
        fflush(nil); dup2(saved, STDERR_FILENO); close(saved)
        XCTAssertEqual(try String(contentsOfFile: capture, encoding: .utf8), "", "nothing of libxlsxwriter's own on standard error")
        // A second close reports the same failure instead of pretending success.
        XCTAssertThrowsError(try wb.close())
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    /// A full disk (here /dev/full, where every write fails with ENOSPC) is said in words: libxlsxwriter's own
    /// reason is "Zip generic error ZIP_ERRNO while creating the xlsx file".
    func testAFullDiskIsSaidInWords() throws {
        guard access("/dev/full", W_OK) == 0 else { throw XCTSkip("no writable /dev/full") }
        let wb = try Workbook(path: "/dev/full")
        try wb.addSheet("A").write(0, 0, .text(String(repeating: "x", count: 100_000)))
        XCTAssertThrowsError(try wb.close()) { error in
            XCTAssertEqual(error as? XLSXError, .closeFailed(path: "/dev/full", reason: "no space left on the disk"))
        }
    }

    func testMisuseIsReportedNotCrashing() throws {
        let wb = try Workbook(path: dir.appendingPathComponent("a.xlsx").path)
        let other = try Workbook(path: dir.appendingPathComponent("b.xlsx").path)
        let sheet = try wb.addSheet("S")
        XCTAssertThrowsError(try sheet.write(0, 0, .number(.nan)))
        XCTAssertThrowsError(try sheet.write(0, 0, .percent(.infinity)))
        XCTAssertThrowsError(try sheet.write(-1, 0, .integer(1)))
        XCTAssertThrowsError(try sheet.write(0, 16_384, .integer(1)))
        XCTAssertThrowsError(try sheet.write(1_048_576, 0, .integer(1)))
        XCTAssertThrowsError(try sheet.write(0, 0, .integer(1), other.format(.money))) { error in
            XCTAssertTrue("\(error)".contains("another Workbook"))
        }
        // A date Excel cannot show (1887) is data, not misuse: written as its ISO text (HostileTextTests).
        XCTAssertNoThrow(try sheet.write(0, 0, .date(epochDay: -30_000)))
        XCTAssertThrowsError(try sheet.autofilter(firstRow: 5, firstCol: 0, lastRow: 1, lastCol: 2))
        XCTAssertThrowsError(try sheet.addChart(
            ChartSpec(kind: .line, series: [ChartSeries(name: "x", sheet: "Nope",
                                                        categories: ColumnRange(col: 0, firstRow: 0, lastRow: 1),
                                                        values: ColumnRange(col: 1, firstRow: 0, lastRow: 1))]),
            at: 0, 0)) { error in
            XCTAssertTrue("\(error)".contains("Nope"))
        }
        try wb.close()
        XCTAssertThrowsError(try sheet.write(0, 0, .integer(1))) { error in
            XCTAssertEqual(error as? XLSXError, .alreadyClosed(path: wb.path))
        }
        XCTAssertThrowsError(try wb.addSheet("T"))
        sheet.setLandscape()  // no-op, no crash
        _ = wb.format(.percent)
    }

    func testDroppedWorkbookWritesNothingAndLeaksNoFiles() throws {
        let path = dir.appendingPathComponent("dropped.xlsx").path
        let before = openFileCount()
        for _ in 0..<5 {
            let wb = try Workbook(path: path, constantMemory: true, tmpDirectory: dir.path)
            let sheet = try wb.addSheet("S")
            for row in 0..<100 { try sheet.write(row, 0, .text("row \(row)")) }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        if let before { XCTAssertEqual(openFileCount(), before, "temp files of discarded workbooks closed") }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        XCTAssertEqual(leftovers, [], "no temp files left behind")
    }

    func testEmptyWorkbookStillProducesAValidFile() throws {
        let path = dir.appendingPathComponent("empty.xlsx").path
        try Workbook(path: path).close()
        XCTAssertTrue(try listZip(path).contains("xl/worksheets/sheet1.xml"))
    }

    // MARK: Text and names

    func testLongAndControlTextIsCutNotFailing() throws {
        let path = dir.appendingPathComponent("long.xlsx").path
        let wb = try Workbook(path: path)
        let sheet = try wb.addSheet("Long")
        try sheet.write(0, 0, .text(String(repeating: "ab", count: 20_000)))
        try sheet.write(1, 0, .text(String(repeating: "🇷🇼", count: 20_000)))
        try sheet.write(2, 0, .text("nul\u{0}bell\u{7}tab\tok"))
        try wb.close()
        let strings = try unzip(path, "xl/sharedStrings.xml")
        try assertWellFormed(strings, "sharedStrings.xml")
        XCTAssertTrue(strings.contains(String(repeating: "ab", count: 16_383) + "…</t>"))
        XCTAssertTrue(strings.contains("nul\u{FFFD}bell\u{FFFD}tab\tok"), "shown as U+FFFD, as on the page and in the CSV")

        let fdd0 = String(Character(Unicode.Scalar(0xFDD0)!))
        XCTAssertEqual(Sheet.cellText("Odd \u{FFFE}" + fdd0 + " name\u{85}"), "Odd \u{FFFD}\u{FFFD} name\u{FFFD}")
        let cut = Sheet.cellText(String(repeating: "🇷🇼", count: 20_000))
        XCTAssertLessThanOrEqual(cut.utf16.count, Sheet.maxTextLength)
        XCTAssertTrue(cut.hasSuffix("🇷🇼…"), "cut at a character boundary")
    }

    func testSheetNameSanitising() {
        XCTAssertEqual(SheetName.sanitise("Daily revenue: Nov/2026", existing: []), "Daily revenue - Nov-2026")
        XCTAssertEqual(SheetName.sanitise("a[b]c*d?e\\f", existing: []), "a(b)c d e-f")
        XCTAssertEqual(SheetName.sanitise("   ", existing: []), "Sheet")
        XCTAssertEqual(SheetName.sanitise("'quoted'", existing: []), "quoted")
        XCTAssertEqual(SheetName.sanitise("history", existing: []), "History (data)")
        XCTAssertEqual(SheetName.sanitise("Products", existing: ["products"]), "Products (2)")
        XCTAssertEqual(SheetName.sanitise("Products", existing: ["Products", "Products (2)"]), "Products (3)")
        let long = String(repeating: "x", count: 40)
        XCTAssertEqual(SheetName.sanitise(long, existing: []).count, 31)
        let second = SheetName.sanitise(long, existing: [String(repeating: "x", count: 31)])
        XCTAssertEqual(second, String(repeating: "x", count: 27) + " (2)")
        let emoji = SheetName.sanitise(String(repeating: "☕🇷🇼", count: 20), existing: [])
        XCTAssertLessThanOrEqual(emoji.utf16.count, 31)
    }

    func testCivilDates() {
        func ymd(_ d: Int32) -> [Int32]? {
            Sheet.civilDate(epochDay: d).map { [$0.year, $0.month, $0.day] }
        }
        XCTAssertEqual(ymd(0), [1970, 1, 1])
        XCTAssertEqual(ymd(Self.nov23), [2026, 11, 23])
        XCTAssertEqual(ymd(19_782), [2024, 2, 29])
        XCTAssertEqual(ymd(20_415), [2025, 11, 23])
        XCTAssertEqual(ymd(-25_567), [1900, 1, 1])
        XCTAssertNil(ymd(-25_568))
        XCTAssertEqual(ymd(2_932_896), [9999, 12, 31])
        XCTAssertNil(ymd(2_932_897))
        XCTAssertEqual(Sheet.columnName(0), "A")
        XCTAssertEqual(Sheet.columnName(25), "Z")
        XCTAssertEqual(Sheet.columnName(26), "AA")
        XCTAssertEqual(Sheet.columnName(16_383), "XFD")
    }

    // MARK: Helpers

    private func run(_ tool: String, _ args: [String]) throws -> (status: Int32, output: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = args
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, data)
    }

    private func unzip(_ file: String, _ member: String) throws -> String { try XLSXFile(file).part(member) }

    private func listZip(_ file: String) throws -> [String] { try XLSXFile(file).parts() }

    private func assertWellFormed(_ xml: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let parser = XMLParser(data: Data(xml.utf8))
        XCTAssertTrue(parser.parse(), "\(name) is not well-formed: \(String(describing: parser.parserError))",
                      file: file, line: line)
    }

    private func cellXML(_ ref: String, in sheet: String) throws -> String {
        let range = try XCTUnwrap(sheet.range(of: "<c r=\"\(ref)\"[^>]*>.*?</c>", options: .regularExpression),
                                  "cell \(ref) not found")
        return String(sheet[range])
    }

    /// Follows cell -> s="N" -> cellXfs[N].numFmtId -> numFmt formatCode.
    private func numberFormat(ofCell ref: String, sheet: String, styles: String) throws -> String? {
        let cell = try cellXML(ref, in: sheet)
        guard let s = cell.range(of: "s=\"[0-9]+\"", options: .regularExpression) else { return nil }
        let xfIndex = Int(cell[s].dropFirst(3).dropLast())!
        let xfsStart = try XCTUnwrap(styles.range(of: "<cellXfs"))
        let xfsEnd = try XCTUnwrap(styles.range(of: "</cellXfs>"))
        let xfs = String(styles[xfsStart.upperBound..<xfsEnd.lowerBound])
            .components(separatedBy: "<xf ").dropFirst()
        let xf = Array(xfs)[xfIndex]
        let idRange = try XCTUnwrap(xf.range(of: "numFmtId=\"[0-9]+\"", options: .regularExpression))
        let id = xf[idRange].dropFirst(10).dropLast()
        guard let fmt = styles.range(of: "<numFmt numFmtId=\"\(id)\" formatCode=\"[^\"]*\"",
                                     options: .regularExpression) else { return nil }
        let code = styles[fmt].components(separatedBy: "formatCode=\"")[1]
        return String(code.dropLast())
    }

    private func sharedStringIndex(of prefix: String, in sst: String) -> Int? {
        let items = sst.components(separatedBy: "<si>").dropFirst()
        return items.firstIndex { $0.hasPrefix("<t>" + prefix) || $0.hasPrefix("<t xml:space=\"preserve\">" + prefix) }
            .map { $0 - 1 }
    }

    private func openFileCount() -> Int? {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.count
    }
}
