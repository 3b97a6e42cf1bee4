import Analytics
import Foundation
import Shop

/// A report's tables, shared by the sections made from the period's own figures (dashboard, targets, channels...)
/// and the e-mail, so every format says the same thing.
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

        /// actual / goal as a percentage number with `decimals` decimals (`99.9`), **rounded down**, so a goal not
        /// reached never reads 100 (RWF 327,495,108 of RWF 327,500,000 is 99, or 99.9 with one decimal); nil for a
        /// zero goal. Worked out from the whole numbers, not from `progress` (29 / 100 * 100 is 28.999... in binary).
        /// Every format that prints a target's progress goes through this, so they cannot disagree.
        public func progressPercent(decimals: Int) -> String? {
            guard goal > 0 else { return nil }
            var scale: Int64 = 100
            for _ in 0..<decimals { scale *= 10 }
            let (scaled, overflow) = actual.multipliedReportingOverflow(by: scale)
            let value: Double
            if overflow {
                // Past a whole number's range only for a goal of a few hundredths against trillions: in floating point.
                value = (Double(actual) / Double(goal) * Double(scale)).rounded(.down) / Double(scale / 100)
            } else {
                value = Double(scaled / goal - (scaled % goal < 0 ? 1 : 0)) / Double(scale / 100)  // floor, below zero too
            }
            return String(format: "%.\(decimals)f", value)
        }

        /// The share of the goal a progress bar fills, in whole percent from 0 to 100, rounded down like the text: a
        /// goal not reached never shows a full bar.
        public var barPercent: Int { Int(min(max(progressPercent(decimals: 0).flatMap(Double.init) ?? 0, 0), 100)) }

        /// `progressPercent` with a percent sign (`99%`, `99.9%`); `–` for a zero goal.
        public func progressText(decimals: Int) -> String { progressPercent(decimals: decimals).map { $0 + "%" } ?? "–" }
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
                                     "Discounts (RWF)", "VIP sales", "Subscription sales", "Referral sales",
                                     "Cash sales", "Mobile money sales", "Bank transfer sales", "Card sales",
                                     "VIP discounts (RWF)", "Loyalty discounts (RWF)", "Referral discounts (RWF)",
                                     "Orders placed", "Cancelled orders", "Refunds completed", "Refunds completed (RWF)"]

    /// The trend window's days; a day never computed has its date and empty cells (not the zeros of a day without a sale).
    public var dailyRows: [[CSVCell]] {
        report.trend.map { s in
            report.trendUncomputed.contains(s.day) ? [.day(s.day)] + Array(repeating: .empty, count: Self.dailyHeader.count - 1)
                                                   : Self.dailyCells(s)
        }
    }

    /// One day's cells under `dailyHeader`.
    public static func dailyCells(_ s: DailySnapshot) -> [CSVCell] {
        [.day(s.day), .integer(Int64(s.totalOrders)), .integer(Int64(s.uniqueCustomers)), .money(s.totalRevenue),
         .money(s.averageOrderValue), .money(s.totalDiscount), .integer(Int64(s.vipOrders)),
         .integer(Int64(s.subscriptionOrders)), .integer(Int64(s.referralOrders)), .integer(Int64(s.cashOrders)),
         .integer(Int64(s.mobileMoneyOrders)), .integer(Int64(s.bankTransferOrders)), .integer(Int64(s.cardOrders)),
         .money(s.vipDiscountsGiven), .money(s.loyaltyDiscountsGiven), .money(s.referralDiscountsGiven),
         .integer(Int64(s.ordersPlaced)), .integer(Int64(s.cancelledOrders)), .integer(Int64(s.refundsCompleted)),
         .money(s.refundAmount)]
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

    /// The rejected rows of the period, one sentence per kind of record and reason, for a line of its own:
    /// `Orders, 3 set aside: the total does not equal items + delivery - discounts`.
    public var setAsideLines: [String] {
        report.rejected.map { "\(PlainNames.records($0.source).capitalisedFirst), \(CountText.grouped($0.count)) set aside: \(PlainNames.reason($0.reason))" }
    }

    /// One sentence on the rejected rows, for the page and the cover: `No source records were set aside...` or
    /// `3 orders were left out of the figures...`.
    public var setAsideSentence: String {
        let n = report.rejected.reduce(0) { $0 + $1.count }
        guard n > 0 else { return "No records from the shop's database were set aside for this period." }
        return "\(CountText.of(n, "record")) from the shop's database \(n == 1 ? "was" : "were") set aside for this period and "
            + "\(n == 1 ? "is" : "are") not in the figures, because \(n == 1 ? "it" : "they") could not be trusted; details under For analysts."
    }

    /// A fraction as a percentage with one decimal (`+23.5%` when `signed`); `–` without a value.
    public static func percent(_ d: Double?, signed: Bool) -> String {
        guard let d else { return "–" }
        return String(format: signed ? "%+.1f%%" : "%.1f%%", d * 100)
    }
}

extension String {
    /// `total mismatch` -> `Total mismatch`.
    var capitalisedFirst: String { prefix(1).uppercased() + dropFirst() }
}
