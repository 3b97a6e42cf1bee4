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
}
