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
        XCTAssertEqual(CSVCell.money(Money(hundredths: -150)).encoded, "-1.50", "numbers are not text: no quote mark")
        XCTAssertEqual(CSVTable(header: ["a", "b"], rows: [[.integer(1), .text("x")]]).encoded, "a,b\r\n1,x\r\n")
    }

    func testHTMLEscapesEverything() {
        XCTAssertEqual(HTML.escape("<script>alert('x')</script> & \"q\""),
                       "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;")
    }
}
