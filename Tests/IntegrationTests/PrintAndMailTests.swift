import Foundation
import XCTest

/// What a manager receives and prints, checked with other people's tools: Python's e-mail parser reads the `.eml`,
/// headless Chromium lays the e-mail out at phone width (scripts/render-page.py), poppler renders and reads the PDF.
final class PrintAndMailTests: XCTestCase {
    /// A program on PATH, or a skip outside CI (`scripts/install-deps.sh` installs chromium and poppler-utils).
    func tool(_ name: String) throws -> String {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let p = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        if ProcessInfo.processInfo.environment["CI"] == nil { throw XCTSkip("\(name) is not installed (scripts/install-deps.sh)") }
        throw NSError(domain: "tool", code: 1, userInfo: [NSLocalizedDescriptionKey: "\(name) is not installed"])
    }

    /// Runs a program; returns its exit status and standard output.
    @discardableResult
    func run(_ program: String, _ args: [String]) throws -> (status: Int32, out: String) {
        let p = Process(), out = Pipe()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = args
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func temporaryFolder(_ prefix: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Python reads a message: its part types, the HTML and text, whether each picture is a PNG and its Content-ID,
    /// the `cid:` references of the HTML, and the words a reader sees (tags removed, entities decoded).
    func readMessage(_ eml: String) throws -> [String: Any] {
        let code = """
        import email, email.policy, json, sys, re, html
        m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
        out = {'parts': [p.get_content_type() for p in m.walk()], 'defects': len(m.defects), 'images': {}, 'files': []}
        for p in m.walk():
            t = p.get_content_type()
            if t == 'text/plain' and 'text' not in out: out['text'] = p.get_content()
            if t == 'text/html' and not p.get_filename(): out['html'] = p.get_content()
            if t.startswith('image/'):
                out['images'][str(p['content-id']).strip('<>')] = p.get_payload(decode=True)[:8] == b'\\x89PNG\\r\\n\\x1a\\n'
            elif p.get_filename(): out['files'].append(p.get_filename())
        out['cids'] = re.findall(r'src="cid:([^"]+)"', out.get('html', ''))
        out['words'] = html.unescape(re.sub(r'<[^>]+>', ' ', re.sub(r'<(style|title)[^>]*>.*?</\\1>', ' ', out.get('html', ''), flags=re.S)))
        print(json.dumps(out))
        """
        let r = try run(try tool("python3"), ["-c", code, eml])
        XCTAssertEqual(r.status, 0)
        return try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any] ?? [:]
    }

    /// snake_case words and schema.table names: what a manager must never read.
    func analystWords(_ s: String) -> [String] {
        let patterns = [#"\b[a-z0-9]+_[a-z0-9_]+\b"#, #"\b(analytics|public)\.[a-z_]+"#]
        return patterns.flatMap { p -> [String] in
            let re = try! NSRegularExpression(pattern: p)
            return re.matches(in: s, range: NSRange(s.startIndex..., in: s)).map { String(s[Range($0.range, in: s)!]) }
        }
    }

    func testManagersEmailIsAPhoneSizedSummaryWithInlinePNGCharts() throws {
        _ = try tool("chromium")
        let pdftotext = try tool("pdftotext")
        let shop = try TestShop()
        try shop.user(1, first: "Aline", last: "Uwase")
        try shop.user(2, first: "Eric", last: "Mugisha")
        // The report day, Monday 23 November: 2 sales, RWF 13,000. The Monday before and the day before: RWF 10,000
        // each, one sale each.
        try shop.order(1, user: 1, kigali: "2026-11-16 10:00", subtotal: 10000)
        try shop.order(2, user: 2, kigali: "2026-11-22 10:00", subtotal: 10000)
        try shop.order(3, user: 1, kigali: "2026-11-23 12:00", subtotal: 9000)
        try shop.order(4, user: 2, kigali: "2026-11-23 13:00", subtotal: 4000)
        let reports = try temporaryFolder("defs"), out = try temporaryFolder("mail")
        defer { try? FileManager.default.removeItem(atPath: reports); try? FileManager.default.removeItem(atPath: out) }
        try Data("""
            {"name": "daily", "title": "Dusangire daily report", "period": "day",
             "sections": ["dashboard", "targets", "channels", "top_customers", "quality"],
             "targets": [{"kpi": "revenue", "goal": 20000}, {"kpi": "sales", "goal": 2}],
             "recipients": [{"name": "Manager", "email": "manager@example.rw", "role": "manager"},
                            {"name": "Kitchen", "email": "kitchen@example.rw", "role": "kitchen"}],
             "customer_data_roles": ["manager"], "attach": ["xlsx", "pdf"]}
            """.utf8).write(to: URL(fileURLWithPath: reports + "/daily.json"))
        let env = ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url, "DUSANGIRE_REPORTS_DIR": reports]
        XCTAssertEqual(try CLI.run(["backfill", "--from", "2026-11-16", "--to", "2026-11-23", "--no-report"], env: env).status, 0)
        let sent = try CLI.run(["send", "--date", "2026-11-23", "--dry-run", "--out", out], env: env)
        XCTAssertEqual(sent.status, 0, sent.err)

        let eml = out + "/daily-2026-11-23-manager@example.rw.eml"
        let m = try readMessage(eml)
        XCTAssertEqual(m["defects"] as? Int, 0)
        XCTAssertEqual(m["parts"] as? [String], ["multipart/mixed", "multipart/alternative", "text/plain", "multipart/related",
                                                 "text/html", "image/png",
                                                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/pdf"])
        XCTAssertEqual(m["files"] as? [String], ["daily-2026-11-23.xlsx", "daily-2026-11-23.pdf"])
        let html = m["html"] as? String ?? ""
        XCTAssertFalse(html.lowercased().contains("<svg"), "no inline SVG: Gmail and Outlook do not show it")
        // Every picture the HTML shows is a PNG part of the message, under that Content-ID.
        let images = m["images"] as? [String: Bool] ?? [:]
        let cids = m["cids"] as? [String] ?? []
        XCTAssertEqual(cids, ["revenue-daily-2026-11-23@dusangire-analytics"])
        for cid in cids { XCTAssertEqual(images[cid], true, "cid:\(cid) is a PNG part") }

        // The highlights, computed by hand.
        let words = (m["words"] as? String ?? "").replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
        XCTAssertTrue(words.contains("Revenue RWF 13,000, 30% above last Monday (RWF 10,000) and 30% above the day before."), words)
        XCTAssertTrue(words.contains("2 sales to 2 customers; the average sale was RWF 6,500 (35% lower than last Monday)."), words)
        XCTAssertTrue(words.contains("1 of 2 targets reached; furthest behind: revenue, at 65% of its goal of RWF 20,000."), words)
        XCTAssertTrue(words.contains("Attached: the full report to read or print (PDF) and every figure in a spreadsheet (XLSX)."), words)
        let text = m["text"] as? String ?? ""
        XCTAssertTrue(text.contains("- Revenue RWF 13,000, 30% above"), text)
        XCTAssertEqual(analystWords(words + " " + text), [], "no table, column or enum names in the e-mail")

        // On a 390 px phone: no sideways scrolling, at most three 844 px screens.
        let size = try run(try tool("python3"), [TestShop.repoRoot.appendingPathComponent("scripts/render-page.py").path, "measure", eml, "390"])
        XCTAssertEqual(size.status, 0)
        let wh = size.out.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "x").compactMap { Int($0) }
        XCTAssertEqual(wh.count, 2, size.out)
        XCTAssertEqual(wh.first, 390, "the e-mail is no wider than the phone")
        XCTAssertLessThanOrEqual(wh.last ?? .max, 3 * 844)

        // The attached PDF is the recipient's own: names for the manager, initials for the kitchen.
        let managerPDF = try run(pdftotext, [out + "/daily-2026-11-23.pdf", "-"]).out
        XCTAssertTrue(managerPDF.contains("Aline Uwase"), managerPDF)
        let kitchen = try readMessage(out + "/daily-2026-11-23-kitchen@example.rw.eml")
        XCTAssertEqual(kitchen["files"] as? [String], ["daily-2026-11-23.xlsx", "daily-2026-11-23.pdf"])
        let kitchenPDF = try run(pdftotext, [out + "/masked/daily-2026-11-23.pdf", "-"]).out
        XCTAssertTrue(kitchenPDF.contains("A. U."), kitchenPDF)
        XCTAssertFalse(kitchenPDF.contains("Uwase"))
        XCTAssertFalse((kitchen["words"] as? String ?? "").contains("Uwase"))
    }

    /// Pixels of a page rendered by pdftoppm (binary PPM) in the charts' bar colours.
    func barPixels(_ ppm: Data) -> Int {
        // Header: "P6\n<w> <h>\n255\n", then RGB triples.
        var fields: [String] = [], i = ppm.startIndex, current = ""
        while fields.count < 4 && i < ppm.endIndex {
            let c = Character(UnicodeScalar(ppm[i]))
            if c.isWhitespace { if !current.isEmpty { fields.append(current); current = "" } } else { current.append(c) }
            i += 1
        }
        guard fields.first == "P6" else { return -1 }
        let colours: [(Int, Int, Int)] = [(0x75, 0xB7, 0x98), (0x19, 0x87, 0x54)]
        var n = 0
        var p = i
        while p + 2 < ppm.endIndex {
            let r = Int(ppm[p]), g = Int(ppm[p + 1]), b = Int(ppm[p + 2])
            if colours.contains(where: { abs($0.0 - r) < 10 && abs($0.1 - g) < 10 && abs($0.2 - b) < 10 }) { n += 1 }
            p += 3
        }
        return n
    }

    func testPDFOfDailyWeeklyAndMonthlyReportsHasChartsAndRepeatsTableHeaders() throws {
        let pdfinfo = try tool("pdfinfo"), pdftoppm = try tool("pdftoppm"), pdftotext = try tool("pdftotext")
        let shop = try TestShop()
        try shop.user(1)
        for (i, day) in ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-20", "2026-11-22", "2026-11-23"].enumerated() {
            try shop.order(i + 1, user: 1, kigali: "\(day) 12:00", subtotal: 5000 + 1000 * i)
        }
        let out = try temporaryFolder("pdf")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let env = ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url,
                   "DUSANGIRE_REPORTS_DIR": TestShop.repoRoot.appendingPathComponent("reports").path]
        XCTAssertEqual(try CLI.run(["backfill", "--from", "2026-11-01", "--to", "2026-11-30", "--no-report"], env: env).status, 0)
        for name in ["daily", "weekly", "monthly"] {
            let r = try CLI.run(["report", "--name", name, "--date", "2026-11-23", "--out", out], env: env)
            XCTAssertEqual(r.status, 0, r.err)
        }
        for stem in ["daily-2026-11-23", "weekly-2026-W48", "monthly-2026-11"] {
            let pdf = out + "/\(stem).pdf"
            let info = try run(pdfinfo, [pdf])
            XCTAssertEqual(info.status, 0, "\(stem).pdf is a PDF")
            XCTAssertTrue(info.out.contains("595.28 x 841.89 pts (A4)"), info.out)
            let pages = Int(info.out.split(separator: "\n").first { $0.hasPrefix("Pages:") }?.split(separator: " ").last ?? "") ?? 0
            XCTAssertGreaterThanOrEqual(pages, 2, stem)
            // Every page renders; the first shows the revenue chart's bars.
            XCTAssertEqual(try run(pdftoppm, ["-r", "30", pdf, out + "/\(stem)-page"]).status, 0)
            let rendered = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasPrefix("\(stem)-page") && $0.hasSuffix(".ppm") }
            XCTAssertEqual(rendered.count, pages, "\(stem): one picture per page")
            XCTAssertEqual(try run(pdftoppm, ["-r", "50", "-f", "1", "-l", "1", pdf, out + "/\(stem)-first"]).status, 0)
            let first = try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: out).first { $0.hasPrefix("\(stem)-first") })
            XCTAssertGreaterThan(barPixels(try Data(contentsOf: URL(fileURLWithPath: out + "/" + first))), 50, "\(stem): chart bars on page 1")
            // The day-by-day table ends on the last page, which repeats the table's header.
            let last = try run(pdftotext, ["-f", String(pages), "-l", String(pages), "-layout", pdf, "-"]).out
            XCTAssertTrue(last.contains("Unique") && last.contains("Average") && last.contains("Refunds"), "\(stem): header on the last page\n\(last)")
        }
        // Monthly: 92 days back from 30 November; the oldest, 31 August, is the table's last row, on a later page
        // than its start.
        let monthly = out + "/monthly-2026-11.pdf"
        let pages = Int(try run(pdfinfo, [monthly]).out.split(separator: "\n").first { $0.hasPrefix("Pages:") }?.split(separator: " ").last ?? "") ?? 0
        let lastPage = try run(pdftotext, ["-f", String(pages), "-l", String(pages), monthly, "-"]).out
        XCTAssertTrue(lastPage.contains("2026-08-31"), lastPage)
        XCTAssertFalse(lastPage.contains("Day by day"), "the table started on an earlier page")
        let all = try run(pdftotext, [monthly, "-"]).out
        XCTAssertTrue(all.contains("2026-11-23"))
        XCTAssertTrue(all.contains("Revenue per day (RWF)"))
    }

    /// A name holding a Unicode noncharacter (U+FFFE, U+FDD0) reaches the PDF as U+FFFD, and the PDF goes on to its
    /// last section: cairo refuses such a character, and a refused string silently stopped every later drawing.
    func testANoncharacterInANameNeitherStopsThePDFNorVanishes() throws {
        let pdftotext = try tool("pdftotext")
        let shop = try TestShop()
        func scalar(_ v: UInt32) -> String { String(Character(Unicode.Scalar(v)!)) }  // a literal may not hold them
        try shop.user(1, first: "Ali" + scalar(0xFFFE) + "ne", last: "Uwa" + scalar(0xFDD0) + "se")
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 5000)
        let out = try temporaryFolder("nonchar")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let env = ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url,
                   "DUSANGIRE_REPORTS_DIR": TestShop.repoRoot.appendingPathComponent("reports").path]
        let r = try CLI.run(["run", "--date", "2026-11-23", "--out", out], env: env)
        XCTAssertEqual(r.status, 0, r.err)
        let text = try run(pdftotext, [out + "/daily-2026-11-23.pdf", "-"]).out
        XCTAssertTrue(text.contains("Ali\u{FFFD}ne"), text)
        XCTAssertTrue(text.contains("For analysts"), "the PDF reaches its last section\n\(text)")
    }

    /// A campaign named with one long word (the shop's field holds 200 characters) made its page 2,451 px wide on a
    /// 390 px phone and its e-mail 2,263 px: the heading and the mail's title and lines did not wrap. In the PDF the
    /// title ran off the page, the footer over the page number, and every label of the table was cut ("Statu s").
    func testACampaignNamedWithOneLongWordFitsAPhoneAndAPage() throws {
        let python = try tool("python3"), pdftotext = try tool("pdftotext")
        _ = try tool("chromium")
        let shop = try TestShop()
        try shop.user(1)
        try shop.campaign(1, name: String(repeating: "Longcampaignnamewithoutspaces", count: 6), description: "coupon code KARIBU15",
                          startKigali: "2026-11-23 00:00:00", endKigali: "2026-11-25 23:59:59", budget: "2000")
        try shop.order(1, user: 1, kigali: "2026-11-23 12:00", subtotal: 10000, coupon: 1500)
        try shop.couponCode(order: 1, "KARIBU15")
        let out = try temporaryFolder("long-name")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let env = ["DUSANGIRE_SOURCE_URL": shop.readerURL, "DUSANGIRE_WAREHOUSE_URL": shop.url,
                   "DUSANGIRE_REPORTS_DIR": TestShop.repoRoot.appendingPathComponent("reports").path]
        XCTAssertEqual(try CLI.run(["backfill", "--from", "2026-11-23", "--to", "2026-11-25", "--no-report"], env: env).status, 0)
        let r = try CLI.run(["send", "--name", "campaign", "--campaign", "1", "--date", "2026-11-25", "--dry-run", "--out", out], env: env)
        XCTAssertEqual(r.status, 0, r.err)
        let renderer = TestShop.repoRoot.appendingPathComponent("scripts/render-page.py").path
        for file in ["campaign-1-2026-11-25.html", "campaign-1-2026-11-25-manager@dusangire.example.eml"] {
            let size = try run(python, [renderer, "measure", out + "/" + file, "390"])
            XCTAssertEqual(size.status, 0, file)
            XCTAssertEqual(size.out.split(separator: "x").first, "390", "\(file) is no wider than the phone: \(size.out)")
        }
        // Every word of the PDF's first page inside the right margin (A4 is 595 pt wide, margins 40 pt), the footer's
        // before the page number, and the table's labels whole.
        let words = try run(pdftotext, ["-bbox", "-f", "1", "-l", "1", out + "/campaign-1-2026-11-25.pdf", "-"]).out
            .components(separatedBy: "\n").compactMap { line -> (xMin: Double, xMax: Double, word: String)? in
                guard let m = line.firstMatch(of: /xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*)<\/word>/),
                      let x0 = Double(m.1), let x1 = Double(m.2) else { return nil }
                return (x0, x1, String(m.3))
            }
        XCTAssertGreaterThan(words.count, 20)
        XCTAssertEqual(words.filter { $0.xMax > 556 }.map(\.word), [], "nothing runs off the page")
        let page = try XCTUnwrap(words.last { $0.word == "Page" })
        XCTAssertLessThan(try XCTUnwrap(words.dropLast(2).last).xMax, page.xMin, "the footer ends before the page number")
        for label in ["Status", "Audience", "Discount"] { XCTAssertTrue(words.contains { $0.word == label }, label) }
    }
}
