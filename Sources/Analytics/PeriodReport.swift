import Shop

/// A period's figures added up from daily snapshots. Sums are exact; the average order value is revenue / sales of
/// the whole period (never an average of daily averages); distinct customers come from the daily customer sets.
public struct PeriodTotals: Sendable, Equatable {
    public var range: ShopDayRange
    /// Days of the period that were computed (a period not yet fully computed shows it).
    public var daysComputed = 0
    public var sales = 0
    public var uniqueCustomers = 0
    public var revenue = Money.zero
    public var discounts = Money.zero
    public var grossSales = Money.zero
    public var deliveryCharges = Money.zero
    public var itemsSold: Int64 = 0
    public var ordersPlaced = 0
    public var cancelledOrders = 0
    public var refundsCompleted = 0
    public var refundAmount = Money.zero
    public var refundedOrders = 0
    public var refundedOrderValue = Money.zero
    public var lateDeliveries = 0
    public var vipOrders = 0
    public var subscriptionOrders = 0
    public var referralOrders = 0

    public init(range: ShopDayRange) { self.range = range }

    /// Adds up the snapshots that fall in `range`; `uniqueCustomers` is given (it cannot be added up).
    public init(range: ShopDayRange, snapshots: [DailySnapshot], uniqueCustomers: Int) {
        self.range = range
        self.uniqueCustomers = uniqueCustomers
        for s in snapshots where range.contains(s.day) {
            daysComputed += 1
            sales += s.totalOrders; revenue += s.totalRevenue; discounts += s.totalDiscount; grossSales += s.grossSales
            deliveryCharges += s.deliveryCharges; itemsSold += s.itemsSold; ordersPlaced += s.ordersPlaced
            cancelledOrders += s.cancelledOrders; refundsCompleted += s.refundsCompleted; refundAmount += s.refundAmount
            refundedOrders += s.refundedOrders; refundedOrderValue += s.refundedOrderValue; lateDeliveries += s.lateDeliveries
            vipOrders += s.vipOrders; subscriptionOrders += s.subscriptionOrders; referralOrders += s.referralOrders
        }
    }

    public var averageOrderValue: Money { revenue.divided(by: Int64(sales)) }

    /// The value of a KPI, in its units (hundredths for money, a count otherwise).
    public func value(of kpi: KPI) -> Int64 {
        switch kpi {
        case .revenue: revenue.hundredths
        case .sales: Int64(sales)
        case .uniqueCustomers: Int64(uniqueCustomers)
        case .averageOrderValue: averageOrderValue.hundredths
        case .discounts: discounts.hundredths
        case .itemsSold: itemsSold
        case .refunds: refundAmount.hundredths
        case .cancelledOrders: Int64(cancelledOrders)
        }
    }
}

/// The key figures a dashboard and targets speak of.
public enum KPI: String, Sendable, CaseIterable, Codable {
    case revenue, sales
    case uniqueCustomers = "unique_customers"
    case averageOrderValue = "average_order_value"
    case discounts
    case itemsSold = "items_sold"
    case refunds
    case cancelledOrders = "cancelled_orders"

    public var label: String {
        switch self {
        case .revenue: "Revenue"
        case .sales: "Sales (delivered, not refunded)"
        case .uniqueCustomers: "Unique customers"
        case .averageOrderValue: "Average order value"
        case .discounts: "Discounts given"
        case .itemsSold: "Items sold"
        case .refunds: "Refunds completed (amount)"
        case .cancelledOrders: "Cancelled orders"
        }
    }

    public var isMoney: Bool { [.revenue, .averageOrderValue, .discounts, .refunds].contains(self) }
    /// Whether a rise is good news (colours the change).
    public var higherIsBetter: Bool { ![.refunds, .cancelledOrders, .discounts].contains(self) }
}

/// A goal for a KPI over a report's period (money in whole francs).
public struct KPITarget: Sendable, Equatable, Codable {
    public var kpi: KPI
    public var goal: Int64
    public init(kpi: KPI, goal: Int64) { self.kpi = kpi; self.goal = goal }

    /// The goal in the KPI's units (hundredths for money).
    public var goalUnits: Int64 { kpi.isMoney ? goal * 100 : goal }
}

/// What a report's figures are compared with (README, "Reports", Dashboard): a day with the same weekday a week
/// earlier and, as a second figure, the day before; a week or a month with the previous one and the same period a
/// year earlier.
public enum ComparisonKind: String, Sendable, CaseIterable {
    case sameWeekdayLastWeek, dayBefore, previousPeriod, samePeriodLastYear

    /// The two comparisons of a period, the main one first.
    public static func kinds(for period: ShopPeriod) -> [ComparisonKind] {
        period == .day ? [.sameWeekdayLastWeek, .dayBefore] : [.previousPeriod, .samePeriodLastYear]
    }

    /// The days compared with `range` (a period of kind `period`).
    public func range(comparedWith range: ShopDayRange, period: ShopPeriod) -> ShopDayRange {
        switch self {
        case .sameWeekdayLastWeek: ShopDayRange(range.first.advanced(by: -7), range.last.advanced(by: -7))
        case .dayBefore: ShopDayRange(range.first.advanced(by: -1), range.last.advanced(by: -1))
        case .previousPeriod: period.previous(range)
        case .samePeriodLastYear: period.sameLastYear(range)
        }
    }

    /// How a sentence names the compared period: `last Tuesday`, `the day before`, `the previous week`,
    /// `the same month last year`.
    public func phrase(period: ShopPeriod, range: ShopDayRange) -> String {
        switch self {
        case .sameWeekdayLastWeek: "last \(range.first.weekdayName)"
        case .dayBefore: "the day before"
        case .previousPeriod: "the previous \(period.noun)"
        case .samePeriodLastYear: "the same \(period.noun) last year"
        }
    }

    /// A column heading: `Last Tuesday (17 Nov)`, `Day before (Mon 23 Nov)`, `Previous week`, `Same month last year`.
    public func heading(period: ShopPeriod, compared: ShopDayRange) -> String {
        switch self {
        case .sameWeekdayLastWeek: "Last \(compared.first.weekdayName) (\(compared.first.dayAndMonth))"
        case .dayBefore: "Day before (\(compared.first.shortLabel))"
        case .previousPeriod: "Previous \(period.noun)"
        case .samePeriodLastYear: "Same \(period.noun) last year"
        }
    }
}

/// One period a report compares with, and its figures.
public struct PeriodComparison: Sendable {
    public var kind: ComparisonKind
    /// The compared period's figures (`totals.range` is its days).
    public var totals: PeriodTotals
    /// Its channel totals, for the channel table's change.
    public var channels: [ChannelRevenue]
    /// Column heading (`Last Tuesday (17 Nov)`) and the words a sentence uses (`last Tuesday`).
    public var heading: String
    public var phrase: String

    public init(kind: ComparisonKind, period: ShopPeriod, current: ShopDayRange, totals: PeriodTotals, channels: [ChannelRevenue]) {
        self.kind = kind; self.totals = totals; self.channels = channels
        heading = kind.heading(period: period, compared: totals.range)
        phrase = kind.phrase(period: period, range: current)
    }

    /// Whether every day of the compared period was computed. Figures of a period with missing days are not compared
    /// (a partial period would make any change meaningless): see `missingData`.
    public var hasData: Bool { totals.daysComputed == totals.range.count }

    /// What to show instead of a value when the compared period lacks data: `no data`, or `only 12 of 31 days`;
    /// nil when it has all its days.
    public var missingData: String? {
        if hasData { return nil }
        if totals.daysComputed == 0 { return "no data" }
        return "only \(totals.daysComputed) of \(CountText.of(totals.range.count, "day"))"
    }

    /// A KPI's value in the compared period, nil when it lacks data.
    public func value(of kpi: KPI) -> Int64? { hasData ? totals.value(of: kpi) : nil }
}

/// Everything a report shows about a period, read back from the analytics tables: plain values, ready to render.
public struct PeriodReport: Sendable {
    public var name: String
    public var title: String
    public var period: ShopPeriod
    public var range: ShopDayRange
    public var timeZone: String
    public var current: PeriodTotals
    /// What the period is compared with, the main comparison first (`ComparisonKind.kinds(for:)`).
    public var comparisons: [PeriodComparison]
    /// One snapshot per day of the trend window (ending with the period's last day), zero rows where never computed.
    public var trend: [DailySnapshot]
    /// The trend window's days that were never computed: tables show them empty, not as days without a sale.
    public var trendUncomputed: Set<ShopDay>
    /// Channel totals over the period (one per channel, `day` = the period's last day).
    public var channels: [ChannelRevenue]
    public var payments: [PaymentMethodFigures]
    public var discountFigures: [DiscountFigures]
    /// The day's best customers (day reports only; personal data).
    public var topCustomers: [TopCustomer]
    /// Rejected source rows that belong to the period, by source and reason.
    public var rejected: [RejectedCount]
    public var targets: [KPITarget]

    public init(name: String, title: String, period: ShopPeriod, range: ShopDayRange, timeZone: String, current: PeriodTotals,
                comparisons: [PeriodComparison], trend: [DailySnapshot], channels: [ChannelRevenue],
                payments: [PaymentMethodFigures], discountFigures: [DiscountFigures],
                topCustomers: [TopCustomer], rejected: [RejectedCount], targets: [KPITarget],
                trendUncomputed: Set<ShopDay> = []) {
        self.name = name; self.title = title; self.period = period; self.range = range; self.timeZone = timeZone
        self.current = current; self.comparisons = comparisons; self.trend = trend; self.trendUncomputed = trendUncomputed
        self.channels = channels; self.payments = payments
        self.discountFigures = discountFigures; self.topCustomers = topCustomers; self.rejected = rejected; self.targets = targets
    }

    /// The main comparison: the same weekday last week for a day, the previous week or month otherwise.
    public var mainComparison: PeriodComparison { comparisons[0] }

    public var label: String { period.label(range) }

    /// The file-name stem: `daily-2026-11-23`, `weekly-2026-W48`, `monthly-2026-11`, `quarterly-2026-Q4`, and for a
    /// chosen range `weekly-2026-11-02_2026-11-15`.
    public var fileStem: String {
        switch period {
        case .day: return "\(name)-\(range.first.iso)"
        case .week:
            let w = range.first.isoWeek
            return "\(name)-\(w.year)-W\(w.week < 10 ? "0" : "")\(w.week)"
        case .month: return "\(name)-\(range.first.iso.prefix(7))"
        case .quarter: return "\(name)-\(range.first.components.year)-Q\((range.first.components.month - 1) / 3 + 1)"
        case .range: return "\(name)-\(range.first.iso)_\(range.last.iso)"
        }
    }
}

public struct RejectedCount: Sendable, Equatable {
    public var source: String
    public var reason: String
    public var count: Int
    public init(source: String, reason: String, count: Int) { self.source = source; self.reason = reason; self.count = count }
}

/// Fractional change from `old` to `new`, or nil when `old` is zero.
public func percentChange(from old: Int64, to new: Int64) -> Double? {
    guard old != 0 else { return nil }
    return Double(new - old) / Double(old.magnitude)
}
