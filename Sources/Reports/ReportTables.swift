import Analytics
import Foundation
import Shop

/// A report's tables, shared by the CSV files, the XLSX sheets and the HTML page so all three say the same thing.
public struct ReportTables {
    public let report: PeriodReport
    public let audience: Audience
    public init(_ report: PeriodReport, audience: Audience) { self.report = report; self.audience = audience }

    /// The dashboard's KPIs, in order.
    public static let dashboardKPIs: [KPI] = [.revenue, .sales, .uniqueCustomers, .averageOrderValue, .discounts, .itemsSold,
                                               .refunds, .cancelledOrders]

    public struct KPIRow: Sendable {
        public var kpi: KPI
        public var current: Int64
        /// The KPI in each of the report's comparisons (`PeriodReport.comparisons`, same order); nil where the
        /// compared period lacks data.
        public var compared: [Int64?]
        /// The change against comparison `i` as a fraction; nil without data or from zero.
        public func change(_ i: Int) -> Double? { compared[i].flatMap { percentChange(from: $0, to: current) } }
    }

    public var kpis: [KPIRow] {
        Self.dashboardKPIs.map { k in
            KPIRow(kpi: k, current: report.current.value(of: k), compared: report.comparisons.map { $0.value(of: k) })
        }
    }

    /// A KPI value as people read it (`RWF 12,346`, `1,234`).
    public static func show(_ kpi: KPI, _ units: Int64) -> String {
        kpi.isMoney ? Money(hundredths: units).description : Money(francs: units).groupedFrancs
    }

    public static func cell(_ kpi: KPI, _ units: Int64) -> CSVCell {
        kpi.isMoney ? .money(Money(hundredths: units)) : .integer(units)
    }

    public struct TargetRow: Sendable {
        public var kpi: KPI
        public var goal: Int64, actual: Int64
        /// actual / goal (1.0 = reached); nil for a zero goal.
        public var progress: Double? { goal > 0 ? Double(actual) / Double(goal) : nil }
    }

    public var targets: [TargetRow] {
        report.targets.map { TargetRow(kpi: $0.kpi, goal: $0.goalUnits, actual: report.current.value(of: $0.kpi)) }
    }

    public struct ChannelRow: Sendable {
        public var channel: RevenueChannel
        public var amount: Money, transactions: Int
        /// The amount in the main comparison (`PeriodReport.mainComparison`); nil when it lacks data.
        public var compared: Money?
        /// Share of the period's order revenue (nil for catering and VIP upgrades, which are not order revenue).
        public var share: Double?
        public var change: Double? { compared.flatMap { percentChange(from: $0.hundredths, to: amount.hundredths) } }
    }

    public var channels: [ChannelRow] {
        let revenue = report.current.revenue.hundredths
        let main = report.mainComparison
        return report.channels.map { c in
            let prev = main.hasData ? main.channels.first { $0.channel == c.channel }?.amount ?? .zero : nil
            return ChannelRow(channel: c.channel, amount: c.amount, transactions: c.transactions, compared: prev,
                              share: c.channel.isOrderChannel && revenue > 0 ? Double(c.amount.hundredths) / Double(revenue) : nil)
        }
    }

    public func paymentShare(_ p: PaymentMethodFigures) -> Double? {
        let total = report.current.revenue.hundredths
        return total > 0 ? Double(p.amount.hundredths) / Double(total) : nil
    }

    public static let dailyHeader = ["Day", "Sales", "Unique customers", "Revenue (RWF)", "Average order value (RWF)",
                                     "Discounts (RWF)", "VIP orders", "Subscription orders", "Referral orders",
                                     "Cash orders", "Mobile money orders", "Bank transfer orders", "Card orders",
                                     "VIP discounts (RWF)", "Loyalty discounts (RWF)", "Referral discounts (RWF)",
                                     "Orders placed", "Cancelled", "Refunds completed", "Refunded (RWF)"]

    public var dailyRows: [[CSVCell]] {
        report.trend.map { s in
            [.day(s.day), .integer(Int64(s.totalOrders)), .integer(Int64(s.uniqueCustomers)), .money(s.totalRevenue),
             .money(s.averageOrderValue), .money(s.totalDiscount), .integer(Int64(s.vipOrders)),
             .integer(Int64(s.subscriptionOrders)), .integer(Int64(s.referralOrders)), .integer(Int64(s.cashOrders)),
             .integer(Int64(s.mobileMoneyOrders)), .integer(Int64(s.bankTransferOrders)), .integer(Int64(s.cardOrders)),
             .money(s.vipDiscountsGiven), .money(s.loyaltyDiscountsGiven), .money(s.referralDiscountsGiven),
             .integer(Int64(s.ordersPlaced)), .integer(Int64(s.cancelledOrders)), .integer(Int64(s.refundsCompleted)),
             .money(s.refundAmount)]
        }
    }

    /// Headings of the summary table: the figure, the period, each comparison, the change against each.
    public var summaryHeader: [String] {
        ["Figure", report.period == .day ? "This day" : "This \(report.period.noun)"]
            + report.comparisons.map(\.heading) + report.comparisons.map { "Change vs \($0.phrase)" }
    }

    /// The rejected rows of the period in words: what kind of record, why, how many.
    public var setAside: [(records: String, problem: String, rows: Int)] {
        report.rejected.map { (PlainNames.records($0.source).capitalisedFirst, PlainNames.reason($0.reason).capitalisedFirst, $0.count) }
    }

    /// One sentence on the rejected rows, for the page and the cover: `No source records were set aside...` or
    /// `3 orders were left out of the figures...`.
    public var setAsideSentence: String {
        let n = report.rejected.reduce(0) { $0 + $1.count }
        guard n > 0 else { return "No records from the shop's database were set aside for this period." }
        return "\(CountText.of(n, "record")) from the shop's database \(n == 1 ? "was" : "were") set aside for this period and "
            + "\(n == 1 ? "is" : "are") not in the figures, because \(n == 1 ? "it" : "they") could not be trusted; details under For analysts."
    }

    /// The CSV files: name suffix and table.
    public var csvTables: [(name: String, table: CSVTable)] {
        func pct(_ d: Double?) -> CSVCell { d.map { .percent($0) } ?? .empty }
        let kpiRows = kpis
        var out: [(String, CSVTable)] = [
            ("summary", CSVTable(header: summaryHeader.map { $0.hasPrefix("Change") ? $0 + " (%)" : $0 },
                                 rows: kpiRows.map { k in
                                     [.text(k.kpi.label), Self.cell(k.kpi, k.current)]
                                         + k.compared.map { $0.map { Self.cell(k.kpi, $0) } ?? .empty }
                                         + k.compared.indices.map { pct(k.change($0)) }
                                 })),
            ("days", CSVTable(header: Self.dailyHeader, rows: dailyRows)),
            ("channels", CSVTable(header: ["Channel", "Revenue (RWF)", "Transactions", "Share of order revenue (%)",
                                           "\(report.mainComparison.heading) (RWF)", "Change (%)"],
                                  rows: channels.map {
                                      [.text($0.channel.label), .money($0.amount), .integer(Int64($0.transactions)),
                                       pct($0.share), $0.compared.map { .money($0) } ?? .empty, pct($0.change)]
                                  })),
            ("payments", CSVTable(header: ["Payment method", "Sales", "Amount (RWF)", "Share of revenue (%)"],
                                  rows: report.payments.map {
                                      [.text($0.method.label), .integer(Int64($0.orders)), .money($0.amount), pct(paymentShare($0))]
                                  })),
            ("discounts", CSVTable(header: ["Discount", "Sales with it", "Amount (RWF)"],
                                   rows: report.discountFigures.map {
                                       [.text($0.kind.label), .integer(Int64($0.orders)), .money($0.amount)]
                                   })),
        ]
        if !targets.isEmpty {
            out.append(("targets", CSVTable(header: ["Target", "Goal", "Actual", "Progress (%)"], rows: targets.map {
                [.text($0.kpi.label), Self.cell($0.kpi, $0.goal), Self.cell($0.kpi, $0.actual), pct($0.progress)]
            })))
        }
        if report.period == .day {
            out.append(("top-customers", CSVTable(header: ["Rank", "Customer", "Sales", "Revenue (RWF)"], rows: report.topCustomers.map {
                [.integer(Int64($0.rank)), .text(audience.name($0.name)), .integer(Int64($0.sales)), .money($0.revenue)]
            })))
        }
        out.append(("rejected", CSVTable(header: ["Records", "Problem", "Rows set aside"], rows: setAside.map {
            [.text($0.records), .text($0.problem), .integer(Int64($0.rows))]
        })))
        return out
    }

    /// The report's own tables for analysts: the rejected rows by table and reason code, and the codes behind the
    /// labels of channels, payment methods and discounts.
    public var analystTables: [AnalystTable] {
        var out: [AnalystTable] = []
        out.append(AnalystTable(
            title: "Source rows set aside",
            note: report.rejected.isEmpty ? "None in this period." : "Each row is kept with its reason, detail and raw text in analytics.rejected_rows (README, \"Rejected rows\").",
            header: ["Source table", "Reason code", "Rows", "Reason in words"],
            rows: report.rejected.map { [.text($0.source), .text($0.reason), .integer(Int64($0.count)), .text(PlainNames.reason($0.reason))] }))
        out.append(AnalystTable(
            title: "Codes behind the labels",
            note: "As stored in analytics.revenue_by_channel (channel), analytics.payment_methods (payment_method) and analytics.discounts (kind).",
            header: ["Table", "Label", "Code"],
            rows: RevenueChannel.allCases.map { [.text("Channel"), .text($0.label), .text($0.rawValue)] }
                + PaymentMethod.allCases.map { [.text("Payment method"), .text($0.label), .text($0.rawValue)] }
                + DiscountKind.allCases.map { [.text("Discount"), .text($0.label), .text($0.rawValue)] }))
        return out
    }

    /// What the report's own figures mean (the workbook's Glossary sheet; the README holds the exact definitions).
    public var glossary: [GlossaryEntry] {
        var out = [
            GlossaryEntry("Shop day", "A calendar day in \(report.timeZone) time. An order counts on the shop day it was placed."),
            GlossaryEntry(KPI.revenue.label, "What customers paid for the sales: items plus delivery, after discounts. Catering bookings are reported apart."),
            GlossaryEntry(KPI.sales.label, "Orders that were delivered and not refunded, counted on the day they were placed. Only sales count as revenue."),
            GlossaryEntry(KPI.uniqueCustomers.label, "Different customers with at least one sale; a customer who bought on several days counts once."),
            GlossaryEntry(KPI.averageOrderValue.label, "Revenue divided by the number of sales, over the whole period."),
            GlossaryEntry(KPI.discounts.label, "Coupon, loyalty-point, VIP, corporate and referral discounts on the sales, added up."),
            GlossaryEntry(KPI.itemsSold.label, "Meals and other items on the sales (quantities added up)."),
            GlossaryEntry(KPI.refunds.label, "Money paid back on refund requests completed in the period, on the day of the refund."),
            GlossaryEntry(KPI.cancelledOrders.label, "Orders placed in the period that were cancelled."),
        ]
        out += report.comparisons.map { c in
            GlossaryEntry(c.heading, "The figures of \(c.phrase) (\(c.totals.range.first == c.totals.range.last ? c.totals.range.first.iso : "\(c.totals.range.first.iso) to \(c.totals.range.last.iso)")), "
                          + "compared with this \(report.period.noun). \"No data\" means those days were never computed, so there is nothing to compare with.")
        }
        out += [
            GlossaryEntry("Change", "How much this \(report.period.noun)'s figure is above (+) or below (-) the compared one, in percent of the compared one. Green is good news: for refunds, cancellations and discounts a fall is green."),
            GlossaryEntry("Targets", "Goals set for the \(report.period.noun). Progress is the actual figure as a share of the goal: green when reached, amber from 80 %, red below."),
            GlossaryEntry("Revenue by channel", "Every sale goes to one channel, the first that fits: subscription meals, corporate customers, referral discounts, loyalty points, else direct orders. These five add up to the revenue."),
            GlossaryEntry("Share of order revenue", "A channel's revenue as a share of the period's revenue."),
            GlossaryEntry(RevenueChannel.catering.label, "Confirmed or completed catering bookings on their event day. They are not orders, so they are reported beside the revenue, not in it."),
            GlossaryEntry(RevenueChannel.vipUpgrade.label, "Always zero: VIP tiers are earned by spending, the shop does not sell them."),
            GlossaryEntry("Payment methods", "Sales paid with each method, and their amount."),
            GlossaryEntry("Discounts (sales with it)", "Sales that carried that kind of discount, and the discount's amount."),
            GlossaryEntry("Orders placed", "Orders created on the day, whatever happened to them later."),
            GlossaryEntry("Records set aside", "Records from the shop's database that could not be trusted (for example a total that does not add up). They are left out of every figure and listed, with the reason, under For analysts."),
        ]
        if report.period == .day {
            out.append(GlossaryEntry("Top customers of the day", "The five customers who spent the most that day (personal data: for the shop's managers only)."))
        }
        return out
    }
}

extension String {
    /// `total mismatch` -> `Total mismatch`.
    var capitalisedFirst: String { prefix(1).uppercased() + dropFirst() }
}
