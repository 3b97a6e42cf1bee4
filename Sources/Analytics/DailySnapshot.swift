import Shop

/// One shop day's figures. The first block is exactly the shop's `analytics_dailyanalyticssnapshot`; the rest are
/// this project's additions. Definitions: README, "Daily snapshot".
public struct DailySnapshot: Sendable, Equatable {
    public var day: ShopDay
    // The shop's own fields.
    public var totalOrders: Int = 0
    public var uniqueCustomers: Int = 0
    public var totalRevenue: Money = .zero
    public var totalDiscount: Money = .zero
    public var averageOrderValue: Money = .zero
    public var vipOrders: Int = 0
    public var subscriptionOrders: Int = 0
    public var referralOrders: Int = 0
    public var cashOrders: Int = 0
    public var mobileMoneyOrders: Int = 0
    public var bankTransferOrders: Int = 0
    public var cardOrders: Int = 0
    public var vipDiscountsGiven: Money = .zero
    public var loyaltyDiscountsGiven: Money = .zero
    public var referralDiscountsGiven: Money = .zero
    // Additions.
    public var grossSales: Money = .zero
    public var deliveryCharges: Money = .zero
    public var couponDiscountsGiven: Money = .zero
    public var corporateDiscountsGiven: Money = .zero
    public var itemsSold: Int64 = 0
    /// Orders created that day in any status (rejected rows excluded).
    public var ordersPlaced: Int = 0
    public var cancelledOrders: Int = 0
    /// Orders whose payment_status became `refunded` that day, and their totals.
    public var refundedOrders: Int = 0
    public var refundedOrderValue: Money = .zero
    /// Completed refund requests that day, and their amounts.
    public var refundsCompleted: Int = 0
    public var refundAmount: Money = .zero
    /// Sales delivered on a later shop day than they were created.
    public var lateDeliveries: Int = 0

    public init(day: ShopDay) { self.day = day }
}

/// Revenue of one channel on one day.
public struct ChannelRevenue: Sendable, Equatable {
    public var day: ShopDay
    public var channel: RevenueChannel
    public var amount: Money
    public var transactions: Int

    public init(day: ShopDay, channel: RevenueChannel, amount: Money, transactions: Int) {
        self.day = day; self.channel = channel; self.amount = amount; self.transactions = transactions
    }
}

/// Sales of one payment method on one day.
public struct PaymentMethodFigures: Sendable, Equatable {
    public var day: ShopDay
    public var method: PaymentMethod
    public var orders: Int
    public var amount: Money

    public init(day: ShopDay, method: PaymentMethod, orders: Int, amount: Money) {
        self.day = day; self.method = method; self.orders = orders; self.amount = amount
    }
}

/// One kind of discount on one day: how many sales carried it, and how much it took off.
public struct DiscountFigures: Sendable, Equatable {
    public var day: ShopDay
    public var kind: DiscountKind
    public var orders: Int
    public var amount: Money

    public init(day: ShopDay, kind: DiscountKind, orders: Int, amount: Money) {
        self.day = day; self.kind = kind; self.orders = orders; self.amount = amount
    }
}

/// One of a day's best customers by revenue. `name` is filled from the shop's users by the caller.
public struct TopCustomer: Sendable, Equatable {
    public var day: ShopDay
    public var rank: Int
    public var userId: Int64
    public var name: String
    public var sales: Int
    public var revenue: Money

    public init(day: ShopDay, rank: Int, userId: Int64, name: String, sales: Int, revenue: Money) {
        self.day = day; self.rank = rank; self.userId = userId; self.name = name; self.sales = sales; self.revenue = revenue
    }
}

/// One menu item on one shop day: how many were sold in the day's sales, and their subtotal (README, "Dishes").
public struct ItemSales: Sendable, Equatable {
    public var day: ShopDay
    public var menuItemId: Int64
    /// The menu's name and category when the day was computed; empty until the caller fills them.
    public var name: String
    public var category: String
    public var quantity: Int64
    /// Sum of the lines' `subtotal`: before the order-level discounts.
    public var revenue: Money

    public init(day: ShopDay, menuItemId: Int64, name: String = "", category: String = "", quantity: Int64, revenue: Money) {
        self.day = day; self.menuItemId = menuItemId; self.name = name; self.category = category
        self.quantity = quantity; self.revenue = revenue
    }
}

/// One hour (0-23 of the shop's clock) of one shop day: the sales created in it and their total (README, "Hours").
public struct HourlySales: Sendable, Equatable {
    public var day: ShopDay
    public var hour: Int
    public var orders: Int
    public var revenue: Money

    public init(day: ShopDay, hour: Int, orders: Int, revenue: Money) {
        self.day = day; self.hour = hour; self.orders = orders; self.revenue = revenue
    }
}
