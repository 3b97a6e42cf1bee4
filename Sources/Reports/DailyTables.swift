import Analytics
import Foundation
import Shop

/// The daily report's tables, shared by the CSV files and the XLSX sheets so both always say the same thing.
public struct DailyTables {
    public let report: DailyReport
    public init(_ report: DailyReport) { self.report = report }

    /// Sheet/file names.
    public static let summaryName = "Summary", dailyName = "Daily", channelsName = "Channels", paymentsName = "Payments"

    /// KPI rows for the report day: label, value today, previous day, same weekday last week.
    public var kpis: [(label: String, today: KPIValue, previous: KPIValue, lastWeek: KPIValue)] {
        let t = report.today, p = report.previousDay, w = report.sameDayLastWeek
        func row(_ label: String, _ f: (DailySnapshot) -> KPIValue) -> (String, KPIValue, KPIValue, KPIValue) { (label, f(t), f(p), f(w)) }
        return [
            row("Revenue") { .money($0.totalRevenue) },
            row("Sales (delivered, not refunded)") { .count(Int64($0.totalOrders)) },
            row("Unique customers") { .count(Int64($0.uniqueCustomers)) },
            row("Average order value") { .money($0.averageOrderValue) },
            row("Discounts given") { .money($0.totalDiscount) },
            row("Gross sales (subtotals)") { .money($0.grossSales) },
            row("Delivery charges") { .money($0.deliveryCharges) },
            row("Items sold") { .count($0.itemsSold) },
            row("Orders placed (any status)") { .count(Int64($0.ordersPlaced)) },
            row("Cancelled orders") { .count(Int64($0.cancelledOrders)) },
            row("Refunds completed") { .count(Int64($0.refundsCompleted)) },
            row("Refunded amount") { .money($0.refundAmount) },
            row("Orders marked refunded") { .count(Int64($0.refundedOrders)) },
            row("Late deliveries (next day)") { .count(Int64($0.lateDeliveries)) },
        ]
    }

    public enum KPIValue: Sendable, Equatable {
        case money(Money)
        case count(Int64)
        public var units: Int64 { switch self { case .money(let m): m.hundredths; case .count(let c): c } }
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

    public static let channelsHeader = ["Channel", "Code", "Revenue (RWF)", "Transactions", "Share of order revenue"]

    /// Channel rows for the day, with each order channel's share of the day's order revenue (nil for catering and VIP).
    public var channelRows: [(channel: RevenueChannel, amount: Money, transactions: Int, share: Double?)] {
        let orderRevenue = report.today.totalRevenue.hundredths
        return report.channels.map { c in
            (c.channel, c.amount, c.transactions,
             c.channel.isOrderChannel && orderRevenue > 0 ? Double(c.amount.hundredths) / Double(orderRevenue) : nil)
        }
    }

    public static let paymentsHeader = ["Payment method", "Code", "Sales", "Amount (RWF)", "Share of revenue"]

    public var paymentRows: [(method: PaymentMethod, orders: Int, amount: Money, share: Double?)] {
        let total = report.today.totalRevenue.hundredths
        return report.payments.map { ($0.method, $0.orders, $0.amount, total > 0 ? Double($0.amount.hundredths) / Double(total) : nil) }
    }

    public static let discountsHeader = ["Discount", "Code", "Sales with it", "Amount (RWF)"]

    /// The CSV files of the daily report: name suffix and table.
    public var csvTables: [(name: String, table: CSVTable)] {
        [
            ("summary", CSVTable(header: ["Figure", "Day", "Previous day", "Same day last week"], rows: kpis.map { k in
                func cell(_ v: KPIValue) -> CSVCell { switch v { case .money(let m): .money(m); case .count(let c): .integer(c) } }
                return [.text(k.label), cell(k.today), cell(k.previous), cell(k.lastWeek)]
            })),
            ("days", CSVTable(header: DailyTables.dailyHeader, rows: dailyRows)),
            ("channels", CSVTable(header: DailyTables.channelsHeader, rows: channelRows.map {
                [.text($0.channel.label), .text($0.channel.rawValue), .money($0.amount), .integer(Int64($0.transactions)),
                 .text($0.share.map { String(format: "%.1f%%", $0 * 100) } ?? "")]
            })),
            ("payments", CSVTable(header: DailyTables.paymentsHeader, rows: paymentRows.map {
                [.text($0.method.label), .text($0.method.rawValue), .integer(Int64($0.orders)), .money($0.amount),
                 .text($0.share.map { String(format: "%.1f%%", $0 * 100) } ?? "")]
            })),
            ("discounts", CSVTable(header: DailyTables.discountsHeader, rows: report.discounts.map {
                [.text($0.kind.label), .text($0.kind.rawValue), .integer(Int64($0.orders)), .money($0.amount)]
            })),
            ("top-customers", CSVTable(header: ["Rank", "User id", "Customer", "Sales", "Revenue (RWF)"], rows: report.topCustomers.map {
                [.integer(Int64($0.rank)), .integer($0.userId), .text($0.name), .integer(Int64($0.sales)), .money($0.revenue)]
            })),
            ("rejected", CSVTable(header: ["Source table", "Reason", "Rows"], rows: report.rejected.map {
                [.text($0.source), .text($0.reason), .integer(Int64($0.count))]
            })),
        ]
    }
}
