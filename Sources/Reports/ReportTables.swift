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
        public var current: Int64, previous: Int64, lastYear: Int64
        public var changeVsPrevious: Double? { percentChange(from: previous, to: current) }
        public var changeVsLastYear: Double? { percentChange(from: lastYear, to: current) }
    }

    public var kpis: [KPIRow] {
        Self.dashboardKPIs.map {
            KPIRow(kpi: $0, current: report.current.value(of: $0), previous: report.previous.value(of: $0),
                   lastYear: report.lastYear.value(of: $0))
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
        public var amount: Money, transactions: Int, previous: Money
        /// Share of the period's order revenue (nil for catering and VIP upgrades, which are not order revenue).
        public var share: Double?
        public var change: Double? { percentChange(from: previous.hundredths, to: amount.hundredths) }
    }

    public var channels: [ChannelRow] {
        let revenue = report.current.revenue.hundredths
        return report.channels.map { c in
            let prev = report.previousChannels.first { $0.channel == c.channel }?.amount ?? .zero
            return ChannelRow(channel: c.channel, amount: c.amount, transactions: c.transactions, previous: prev,
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

    /// The CSV files: name suffix and table.
    public var csvTables: [(name: String, table: CSVTable)] {
        func pct(_ d: Double?) -> CSVCell { d.map { .percent($0) } ?? .empty }
        var out: [(String, CSVTable)] = [
            ("summary", CSVTable(header: ["Figure", report.label, "Previous period", "Same period last year", "Change vs previous (%)", "Change vs last year (%)"],
                                 rows: kpis.map { k in
                                     [.text(k.kpi.label), Self.cell(k.kpi, k.current), Self.cell(k.kpi, k.previous),
                                      Self.cell(k.kpi, k.lastYear), pct(k.changeVsPrevious), pct(k.changeVsLastYear)]
                                 })),
            ("days", CSVTable(header: Self.dailyHeader, rows: dailyRows)),
            ("channels", CSVTable(header: ["Channel", "Code", "Revenue (RWF)", "Transactions", "Share of order revenue (%)", "Previous period (RWF)", "Change (%)"],
                                  rows: channels.map {
                                      [.text($0.channel.label), .text($0.channel.rawValue), .money($0.amount), .integer(Int64($0.transactions)),
                                       pct($0.share), .money($0.previous), pct($0.change)]
                                  })),
            ("payments", CSVTable(header: ["Payment method", "Code", "Sales", "Amount (RWF)", "Share of revenue (%)"],
                                  rows: report.payments.map {
                                      [.text($0.method.label), .text($0.method.rawValue), .integer(Int64($0.orders)), .money($0.amount), pct(paymentShare($0))]
                                  })),
            ("discounts", CSVTable(header: ["Discount", "Code", "Sales with it", "Amount (RWF)"],
                                   rows: report.discountFigures.map {
                                       [.text($0.kind.label), .text($0.kind.rawValue), .integer(Int64($0.orders)), .money($0.amount)]
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
        out.append(("rejected", CSVTable(header: ["Source table", "Reason", "Rows"], rows: report.rejected.map {
            [.text($0.source), .text($0.reason), .integer(Int64($0.count))]
        })))
        return out
    }
}
