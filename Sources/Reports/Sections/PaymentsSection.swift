import Analytics
import Shop

/// The period's sales by payment method, with their amount and share of revenue.
public struct PaymentsSection: RegisteredSection {
    public static let key = "payments"
    public let report: PeriodReport
    public init(_ report: PeriodReport) { self.report = report }

    public static func read(_ source: SectionSource) throws -> (any ReportSection)? { PaymentsSection(source.report) }

    public var title: String { "Payment methods" }
    private func share(_ p: PaymentMethodFigures) -> Double? { ReportTables(report, audience: .full).paymentShare(p) }

    public func html(into b: inout HTMLBuilder) {
        b.table(header: ["Method", "Sales", "Amount", "Share"],
                rows: report.payments.map { [$0.method.label, CountText.grouped($0.orders), $0.amount.description, ReportTables.percent(share($0), signed: false)] },
                numeric: [1, 2, 3])
    }

    public func addSheets(to wb: Workbook) throws {
        let s = try wb.addSheet("Payments")
        try s.setColumn(0, 0, width: 22); try s.setColumn(1, 3, width: 16)
        try s.writeHeader(0, ["Payment method", "Sales", "Amount (RWF)", "Share of revenue"], format: wb.format(.header))
        for (i, p) in report.payments.enumerated() {
            try s.writeRow(1 + i, [.text(p.method.label), .integer(Int64(p.orders)),
                                   .money(hundredths: p.amount.hundredths), share(p).map { .percent($0) } ?? .empty])
        }
        let n = report.payments.count
        try s.freezePanes(row: 1, col: 1)
        try s.autofilter(firstRow: 0, firstCol: 0, lastRow: n, lastCol: 3)
        try s.addChart(ChartSpec(kind: .bar, title: "Amount by payment method (RWF)",
                                 series: [ChartSeries(name: "Amount", sheet: s, categories: ColumnRange(col: 0, firstRow: 1, lastRow: n),
                                                      values: ColumnRange(col: 2, firstRow: 1, lastRow: n))],
                                 valueNumberFormat: "#,##0", legend: .none), at: n + 2, 0)
        try s.printSetup(headerRows: 0...0)
    }

    public var csvTables: [(name: String, table: CSVTable)] {
        [("payments", CSVTable(header: ["Payment method", "Sales", "Amount (RWF)", "Share of revenue (%)"],
                               rows: report.payments.map {
                                   [.text($0.method.label), .integer(Int64($0.orders)), .money($0.amount), share($0).map { .percent($0) } ?? .empty]
                               }))]
    }

    public var analystTables: [AnalystTable] {
        [AnalystTable(title: "Codes behind the payment method labels", note: "As stored in analytics.payment_methods (payment_method).",
                      header: ["Label", "Code"], rows: PaymentMethod.allCases.map { [.text($0.label), .text($0.rawValue)] })]
    }

    public var glossary: [GlossaryEntry] { [GlossaryEntry("Payment methods", "Sales paid with each method, and their amount.")] }
}
