/// Order status as the shop's `orders_order.status` stores it. There is no `completed`.
public enum OrderStatus: String, CaseIterable, Sendable {
    case pending, confirmed, preparing, ready, delivered, cancelled
}

/// `orders_order.payment_method` (also `payments_payment.payment_method`).
public enum PaymentMethod: String, CaseIterable, Sendable {
    case cashOnDelivery = "cash_on_delivery"
    case mtnMobileMoney = "mtn_mobile_money"
    case airtelMoney = "airtel_money"
    case bankTransfer = "bank_transfer"
    case card

    /// Words for a report.
    public var label: String {
        switch self {
        case .cashOnDelivery: "Cash on delivery"
        case .mtnMobileMoney: "MTN Mobile Money"
        case .airtelMoney: "Airtel Money"
        case .bankTransfer: "Bank transfer"
        case .card: "Card"
        }
    }
}

/// `orders_order.payment_status`.
public enum PaymentStatus: String, CaseIterable, Sendable {
    case pending, processing, completed, failed, refunded
}

/// The five discounts an order can carry, one column each.
public enum DiscountKind: String, CaseIterable, Sendable {
    case coupon, loyalty, vip, corporate, referral

    public var label: String {
        switch self {
        case .coupon: "Coupon"
        case .loyalty: "Loyalty points"
        case .vip: "VIP tier"
        case .corporate: "Corporate"
        case .referral: "Referral"
        }
    }
}

/// One checked order, as the transforms see it. Money exact, instants in microseconds since the epoch (UTC).
public struct Order: Sendable, Equatable {
    public var id: Int64
    public var userId: Int64
    public var status: OrderStatus
    public var paymentMethod: PaymentMethod
    public var paymentStatus: PaymentStatus
    public var subtotal: Money
    public var deliveryCharge: Money
    /// Indexed by `DiscountKind`, in `allCases` order.
    public var discounts: Discounts
    public var total: Money
    public var createdAt: Int64
    public var updatedAt: Int64
    public var deliveredAt: Int64?
    /// The order appears in `subscriptions_subscriptionorder`.
    public var isSubscription: Bool
    /// The customer is (or was) an employee of a corporate partner (`corporate_corporateemployee`).
    public var isCorporateEmployee: Bool
    /// Sum of `orders_orderitem.quantity`.
    public var itemsSold: Int64
    /// The order's readable lines (`orders_orderitem`); lines that cannot be read are rejected rows, not here.
    public var lines: [OrderLine]
    /// The coupon the order used, as the shop stored it (empty for none); read by the daily extract for campaign
    /// attribution (`CampaignAttribution` normalizes it).
    public var couponCode = ""

    public init(id: Int64, userId: Int64, status: OrderStatus, paymentMethod: PaymentMethod,
                paymentStatus: PaymentStatus, subtotal: Money, deliveryCharge: Money = .zero,
                discounts: Discounts = Discounts(), total: Money, createdAt: Int64, updatedAt: Int64? = nil,
                deliveredAt: Int64? = nil, isSubscription: Bool = false, isCorporateEmployee: Bool = false,
                itemsSold: Int64 = 1, lines: [OrderLine] = []) {
        self.id = id; self.userId = userId; self.status = status; self.paymentMethod = paymentMethod
        self.paymentStatus = paymentStatus; self.subtotal = subtotal; self.deliveryCharge = deliveryCharge
        self.discounts = discounts; self.total = total; self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt; self.deliveredAt = deliveredAt
        self.isSubscription = isSubscription; self.isCorporateEmployee = isCorporateEmployee; self.itemsSold = itemsSold
        self.lines = lines
    }

    /// A sale: delivered, and not refunded. Only sales count as revenue (README, "Definitions").
    public var isSale: Bool { status == .delivered && paymentStatus != .refunded }
}

/// The five discount columns of an order.
public struct Discounts: Sendable, Equatable {
    public var coupon: Money, loyalty: Money, vip: Money, corporate: Money, referral: Money

    public init(coupon: Money = .zero, loyalty: Money = .zero, vip: Money = .zero, corporate: Money = .zero, referral: Money = .zero) {
        self.coupon = coupon; self.loyalty = loyalty; self.vip = vip; self.corporate = corporate; self.referral = referral
    }

    public subscript(kind: DiscountKind) -> Money {
        switch kind {
        case .coupon: coupon
        case .loyalty: loyalty
        case .vip: vip
        case .corporate: corporate
        case .referral: referral
        }
    }

    public var total: Money { coupon + loyalty + vip + corporate + referral }
}
