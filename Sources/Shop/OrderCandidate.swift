/// An order as read from the source, before it is checked: every field may be missing or malformed.
/// `validated(notAfter:notBefore:)` turns it into an `Order` or says why it is rejected.
public struct OrderCandidate: Sendable {
    public var id: Int64?
    public var userId: Int64?
    /// The user row exists in `auth_user`.
    public var userExists: Bool
    public var status: SourceWord<OrderStatus>
    public var paymentMethod: SourceWord<PaymentMethod>
    public var paymentStatus: SourceWord<PaymentStatus>
    public var subtotal: Int64?, deliveryCharge: Int64?
    public var coupon: Int64?, loyalty: Int64?, vip: Int64?, corporate: Int64?, referral: Int64?
    public var total: Int64?
    public var createdAt: Int64?, updatedAt: Int64?, deliveredAt: Int64?
    public var isSubscription: Bool, isCorporateEmployee: Bool
    public var itemsSold: Int64

    public init(id: Int64?, userId: Int64?, userExists: Bool, status: SourceWord<OrderStatus>, paymentMethod: SourceWord<PaymentMethod>,
                paymentStatus: SourceWord<PaymentStatus>, subtotal: Int64?, deliveryCharge: Int64?, coupon: Int64?, loyalty: Int64?,
                vip: Int64?, corporate: Int64?, referral: Int64?, total: Int64?, createdAt: Int64?,
                updatedAt: Int64?, deliveredAt: Int64?, isSubscription: Bool, isCorporateEmployee: Bool,
                itemsSold: Int64) {
        self.id = id; self.userId = userId; self.userExists = userExists; self.status = status
        self.paymentMethod = paymentMethod; self.paymentStatus = paymentStatus; self.subtotal = subtotal
        self.deliveryCharge = deliveryCharge; self.coupon = coupon; self.loyalty = loyalty; self.vip = vip
        self.corporate = corporate; self.referral = referral; self.total = total; self.createdAt = createdAt
        self.updatedAt = updatedAt; self.deliveredAt = deliveredAt; self.isSubscription = isSubscription
        self.isCorporateEmployee = isCorporateEmployee; self.itemsSold = itemsSold
    }

    /// Checks the row in a fixed order and returns the first problem found, or the order.
    /// - Parameter now: the extract's instant (microseconds since the epoch); a `created_at` after it is rejected.
    /// `now`: the moment of the extract; `shopStart`: the start of the shop's first date (2000-01-01) in its time zone
    /// (`ShopCalendar.shopStartMicros`), both in microseconds.
    public func validated(notAfter now: Int64, notBefore shopStart: Int64) -> Result<Order, Rejection> {
        guard let id else { return .failure(Rejection(.unreadableValue, "id is missing")) }
        guard let userId, userExists else {
            return .failure(Rejection(.missingUser, userId.map { "user \($0) does not exist in auth_user" } ?? "user_id is empty"))
        }
        guard case .known(let status) = status else {
            return .failure(Rejection(.unknownStatus, "status '\(status.text ?? "")' is not one of \(OrderStatus.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        guard case .known(let method) = paymentMethod else {
            return .failure(Rejection(.unknownPaymentMethod, "payment_method '\(paymentMethod.text ?? "")' is not one of \(PaymentMethod.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        guard case .known(let payStatus) = paymentStatus else {
            return .failure(Rejection(.unknownPaymentStatus, "payment_status '\(paymentStatus.text ?? "")' is not one of \(PaymentStatus.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        // The amounts in this order, the first problem found wins (checked one by one: an array of them cost an
        // allocation per order).
        func problem(_ name: String, _ value: Int64?) -> Rejection? {
            guard let value else { return Rejection(.unreadableValue, "\(name) is empty or not a number") }
            return value < 0 ? Rejection(.negativeAmount, "\(name) is negative (\(Money(hundredths: value).decimalString))") : nil
        }
        if let p = problem("subtotal", subtotal) ?? problem("delivery_charge", deliveryCharge) ?? problem("discount_amount", coupon)
            ?? problem("loyalty_discount_amount", loyalty) ?? problem("vip_discount_amount", vip)
            ?? problem("corporate_discount_amount", corporate) ?? problem("referral_discount_amount", referral) ?? problem("total", total) {
            return .failure(p)
        }
        guard let createdAt else { return .failure(Rejection(.unreadableValue, "created_at is empty or unreadable")) }
        let discounts = Discounts(coupon: Money(hundredths: coupon!), loyalty: Money(hundredths: loyalty!), vip: Money(hundredths: vip!),
                                  corporate: Money(hundredths: corporate!), referral: Money(hundredths: referral!))
        let expected = Money(hundredths: subtotal!) + Money(hundredths: deliveryCharge!) - discounts.total
        guard expected.hundredths == total! else {
            return .failure(Rejection(.totalMismatch, "total \(Money(hundredths: total!).decimalString) is not subtotal + delivery_charge - discounts = \(expected.decimalString)"))
        }
        if createdAt > now { return .failure(Rejection(.futureCreatedAt, "created_at is after the time of the extract")) }
        if createdAt < shopStart {
            // The year on the shop's clock (its offset at its first date), as the reader would date the order.
            let local = createdAt &+ (ShopDay.utcStartMicros - shopStart)
            let c = ShopDay(epochDay: Int32(clamping: local / 86_400_000_000 - (local % 86_400_000_000 < 0 ? 1 : 0))).components
            let year = c.year > 0 ? String(c.year) : "\(1 - c.year) BC"
            return .failure(Rejection(.outOfRange, "created_at is in the year \(year), before \(ShopDay.earliest.iso), the first of the shop's dates"))
        }
        return .success(Order(id: id, userId: userId, status: status, paymentMethod: method, paymentStatus: payStatus,
                              subtotal: Money(hundredths: subtotal!), deliveryCharge: Money(hundredths: deliveryCharge!),
                              discounts: discounts, total: Money(hundredths: total!), createdAt: createdAt,
                              updatedAt: updatedAt ?? createdAt, deliveredAt: deliveredAt, isSubscription: isSubscription,
                              isCorporateEmployee: isCorporateEmployee, itemsSold: itemsSold))
    }
}

/// A word column of the source as read: one of the words `Word` knows, or the text that is none of them (nil for
/// NULL), kept for the rejected row's message. A string literal reads as its word.
public enum SourceWord<Word: RawRepresentable & Sendable>: Sendable, ExpressibleByStringLiteral, ExpressibleByNilLiteral
where Word.RawValue == String {
    case known(Word)
    case other(String?)

    public init(text: String?) {
        if let text, let word = Word(rawValue: text) { self = .known(word) } else { self = .other(text) }
    }

    public init(stringLiteral text: String) { self.init(text: text) }
    public init(nilLiteral: ()) { self = .other(nil) }

    /// The text as the source holds it; nil for NULL.
    public var text: String? {
        switch self {
        case .known(let word): word.rawValue
        case .other(let text): text
        }
    }
}

/// Why a source row was set aside. Rejected rows are kept (table `analytics.rejected_rows`) and counted; they never
/// enter the figures.
public struct Rejection: Sendable, Equatable, Error {
    public enum Reason: String, Sendable, CaseIterable {
        case missingUser = "missing_user"
        case unknownStatus = "unknown_status"
        case unknownPaymentMethod = "unknown_payment_method"
        case unknownPaymentStatus = "unknown_payment_status"
        case negativeAmount = "negative_amount"
        case totalMismatch = "total_mismatch"
        case futureCreatedAt = "future_created_at"
        case unreadableValue = "unreadable_value"
        case unknownEventType = "unknown_event_type"
        case missingSession = "missing_session"
        case valueTooWide = "value_too_wide"
        case outOfRange = "out_of_range"
        case unknownMenuItem = "unknown_menu_item"
        case unknownVIPTier = "unknown_vip_tier"
    }

    public var reason: Reason
    public var detail: String

    public init(_ reason: Reason, _ detail: String) { self.reason = reason; self.detail = detail }
}

/// A refund, attributed to the shop day on which it happened.
public struct Refund: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// `payments_refundrequest` with status COMPLETED, at `refund_completed_at` (else its last update).
        case completedRequest = "refund_request"
        /// `orders_order` with payment_status `refunded`, at its `updated_at` (the shop records no refund time).
        case refundedOrder = "refunded_order"
    }

    public var kind: Kind
    public var sourceId: Int64
    public var orderId: Int64?
    public var amount: Money
    public var at: Int64

    public init(kind: Kind, sourceId: Int64, orderId: Int64?, amount: Money, at: Int64) {
        self.kind = kind; self.sourceId = sourceId; self.orderId = orderId; self.amount = amount; self.at = at
    }
}

/// A catering booking that counts as revenue: status confirmed or completed, on its event date.
public struct CateringSale: Sendable, Equatable {
    public var id: Int64
    public var eventDay: ShopDay
    public var amount: Money

    public init(id: Int64, eventDay: ShopDay, amount: Money) { self.id = id; self.eventDay = eventDay; self.amount = amount }
}
