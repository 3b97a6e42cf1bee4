import XCTest

@testable import Reports

/// The page's charts, as the SVG a browser draws.
final class BarChartTests: XCTestCase {
    /// The label lines of an SVG chart as drawn: (y of the row's box + y of the line, text).
    func labelLines(_ svg: String) -> [(y: Int, text: String)] {
        svg.matches(of: /<svg x="0" y="(\d+)" width="[\d.]+" height="\d+">(.*?)<\/svg>/).flatMap { row in
            row.2.matches(of: /<text x="0" y="(\d+)"[^>]*>([^<]*)<\/text>/).map { (Int(row.1)! + Int($0.1)!, String($0.2)) }
        }
    }

    /// A day of RWF 2.05M put the axis at 5M, gridlines labelled 1.2M and 3.8M, and the bars in the lower half.
    func testTheAxisEndsWhereItsQuartersAreRound() {
        func axis(_ top: Int64) -> [String] {
            let svg = BarChart(title: "Revenue", bars: [("a", top / 2), ("b", top)]).svg
            return svg.matches(of: /text-anchor="end"[^>]*>([^<]*)<\/text>/).map { String($0.1) }
        }
        XCTAssertEqual(axis(2_050_000), ["0", "1.0M", "2.0M", "3.0M", "4.0M"])
        XCTAssertEqual(axis(1_880_000), ["0", "500k", "1.0M", "1.5M", "2.0M"])
        XCTAssertEqual(axis(61_000), ["0", "20k", "40k", "60k", "80k"])
        XCTAssertEqual(axis(3), ["0", "1", "2", "3", "4"])
        XCTAssertEqual(axis(9), ["0", "5", "10", "15", "20"])
    }

    /// A campaign of ten days labelled every one of its ten bars, and the dates ran into each other on a phone.
    func testAtMostAboutSixBarsAreLabelled() {
        for (count, labels) in [(5, 5), (6, 6), (7, 4), (10, 5), (11, 6), (30, 6), (92, 6)] {
            let chart = BarChart(title: "Revenue", bars: (0..<count).map { ("d\($0)", Int64($0 + 1)) })
            XCTAssertEqual((0..<count).filter(chart.labelled).count, labels, "\(count) bars")
            XCTAssertTrue(chart.labelled(count - 1), "the last bar is always labelled")
        }
    }

    /// The ten most ordered dishes were drawn upright, each dish's whole name centred under its narrow bar, so the names
    /// ran over each other into one unreadable line (the chart is horizontal in the PDF and the e-mail already).
    func testAHorizontalChartHasOneRowPerBarOnThePageToo() {
        let long = String(repeating: "Verylongdishname", count: 8)
        let chart = BarChart(title: "Most ordered dishes (portions)",
                             bars: [("Grilled chicken with potatoes", 30), ("Isombe", 12), (long, 2), ("<b>Bold</b> & co", 1)],
                             highlightLast: false, horizontal: true)
        let lines = labelLines(chart.svg)
        XCTAssertEqual(lines.map(\.text), ["Grilled chicken", "with potatoes", "Isombe", String(long.prefix(17)) + "…",
                                           "&lt;b&gt;Bold&lt;/b&gt; &amp; co"])
        XCTAssertEqual(lines.map(\.y), lines.map(\.y).sorted(), "top to bottom")
        XCTAssertEqual(Set(lines.map(\.y)).count, lines.count, "no two lines on one baseline")
        XCTAssertTrue(chart.svg.contains("<title>\(long): 2</title>"), "the whole name in the row's tooltip")
        XCTAssertFalse(chart.svg.contains("<b>"))
    }

    /// A campaign's chart is titled with its name: "Karibu new customers: coupon revenue per day (RWF)" ran past the
    /// chart's right edge and was cut off there. A long title now takes two lines and the chart grows to hold them.
    func testALongChartTitleWrapsInsideTheChart() {
        func titles(_ svg: String) -> [String] { svg.matches(of: /<text x="0" y="\d+" font-size="13" font-weight="600"[^>]*>([^<]*)<\/text>/).map { String($0.1) } }
        let days = [("23/11", Int64(8500)), ("24/11", 0), ("25/11", 3400)]
        let short = BarChart(title: "Revenue per day (RWF)", bars: days).svg
        XCTAssertEqual(titles(short), ["Revenue per day (RWF)"])
        XCTAssertTrue(short.contains(#"viewBox="0 0 360 210""#))
        let long = BarChart(title: "Karibu new customers: coupon revenue per day (RWF)", bars: days).svg
        XCTAssertEqual(titles(long), ["Karibu new customers: coupon revenue per day", "(RWF)"])
        XCTAssertTrue(long.contains(#"viewBox="0 0 360 226""#), "one more line, 16 units taller")
        let huge = BarChart(title: String(repeating: "Umuganda ", count: 20) + ": coupon revenue per day (RWF)", bars: days, horizontal: true).svg
        XCTAssertEqual(titles(huge).count, 2)
        XCTAssertEqual(titles(huge).last?.hasSuffix("…"), true, "\(titles(huge))")
    }
}
