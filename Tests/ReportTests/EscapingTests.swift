import Analytics
import Foundation
import Reports
import Shop
import XCTest

final class EscapingTests: XCTestCase {
    func testCSVNeutralisesFormulasAndQuotes() {
        XCTAssertEqual(CSVCell.text("=cmd|' /C calc'!A0").encoded, "'=cmd|' /C calc'!A0")
        XCTAssertEqual(CSVCell.text("+250788000000").encoded, "'+250788000000")
        XCTAssertEqual(CSVCell.text("-1").encoded, "'-1")
        XCTAssertEqual(CSVCell.text("@SUM(A1)").encoded, "'@SUM(A1)")
        XCTAssertEqual(CSVCell.text("Uwase, \"Ange\"").encoded, "\"Uwase, \"\"Ange\"\"\"")
        XCTAssertEqual(CSVCell.text("line\nbreak").encoded, "\"line\nbreak\"")
        // CR LF is one Character in Swift: unquoted, it ended the row, and the next line's cell ran as a formula.
        XCTAssertEqual(CSVCell.text("Ramadan\r\n=HYPERLINK(\"http://x\")").encoded, "\"Ramadan\r\n=HYPERLINK(\"\"http://x\"\")\"")
        XCTAssertEqual(CSVCell.text("a\r\nb").encoded, "\"a\r\nb\"")
        XCTAssertEqual(CSVCell.text("a\"\u{301}b").encoded, "\"a\"\"\u{301}b\"", "a quote mark with a combining accent is still a quote mark")
        XCTAssertEqual(CSVCell.text("x\"\u{301},=cmd").encoded, "\"x\"\"\u{301},=cmd\"", "no cell of its own after the quote mark")
        XCTAssertEqual(CSVCell.money(Money(hundredths: -150)).encoded, "-1.50", "numbers are not text: no quote mark")
        XCTAssertEqual(CSVTable(header: ["a", "b"], rows: [[.integer(1), .text("x")]]).encoded, "a,b\r\n1,x\r\n")
        XCTAssertEqual(CSVCell.percent(-0.004).encoded, "-0.4", "a negative change is a number, not neutralised text")
        XCTAssertEqual(CSVCell.decimal("-9582.4256").encoded, "-9582.4256")
    }

    func testHTMLEscapesEverything() {
        XCTAssertEqual(HTML.escape("<script>alert('x')</script> & \"q\""),
                       "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;")
    }
}

final class DashboardJSONTests: XCTestCase {
    func testDailyRevenueIsExactAndParallel() throws {
        var a = Analytics.DailySnapshot(day: ShopDay(iso: "2026-11-22")!)
        a.totalRevenue = Money(hundredths: 123_450); a.totalOrders = 3
        let b = Analytics.DailySnapshot(day: ShopDay(iso: "2026-11-23")!)
        let text = DashboardJSON.dailyRevenue([a, b])
        XCTAssertEqual(text, "{\n  \"dates\": [\"2026-11-22\", \"2026-11-23\"],\n  \"revenue\": [1234.50, 0.00],\n  \"orders\": [3, 0]\n}\n")
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        XCTAssertEqual((parsed?["orders"] as? [Int]), [3, 0])
    }

    func testSegmentsJSONEscapesLabels() throws {
        let r = CustomerReport(asOf: ShopDay(iso: "2026-11-23")!, segments: [
            .init(key: "vip", label: "VIP \"gold\" </script>", customers: 2, lifetimeValue: Money(hundredths: 5), rule: ""),
        ])
        let text = DashboardJSON.customerSegments(r)
        XCTAssertFalse(text.contains("</script>"))
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        let first = (parsed?["segments"] as? [[String: Any]])?.first
        XCTAssertEqual(first?["label"] as? String, "VIP \"gold\" </script>")
        XCTAssertEqual(first?["lifetime_value"] as? Double, 0.05)
        XCTAssertEqual(parsed?["as_of"] as? String, "2026-11-23")
    }
}
