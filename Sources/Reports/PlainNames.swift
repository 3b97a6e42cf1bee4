/// Words a manager reads in place of the shop's table names, the project's reason codes and the campaign catalog's
/// stored values. The names themselves appear only in the analysts' part of a report ("For analysts").
public enum PlainNames {
    /// What kind of record a source table holds: `orders_order` -> `orders`.
    public static func records(_ table: String) -> String {
        switch table {
        case "orders_order": "orders"
        case "orders_orderitem": "order lines (dishes of an order)"
        case "payments_refundrequest": "refund requests"
        case "catering_cateringbooking": "catering bookings"
        case "auth_user": "customer accounts"
        case "loyalty_pointstransaction", "subscriptions_loyaltytransaction": "loyalty point transactions"
        case "analytics_campaign": "campaigns"
        case "analytics_conversionevent": "website events"
        case "analytics_pageviewanalytics": "page view counts"
        case "analytics_customermetrics": "customer figures copied to the shop's dashboard"
        case "analytics_dailyanalyticssnapshot": "daily figures copied to the shop's dashboard"
        case "analytics_revenuestream": "channel figures copied to the shop's dashboard"
        case "analytics_campaignperformance": "campaign figures copied to the shop's dashboard"
        default: "other records"
        }
    }

    /// Why a row was set aside, in words: `total_mismatch` -> `the total does not match...`.
    public static func reason(_ code: String) -> String {
        switch code {
        case "unreadable_value": "a number or date could not be read"
        case "missing_user": "the customer does not exist in the shop"
        case "unknown_status": "the order status is not one the shop uses"
        case "unknown_payment_method": "the payment method is not one the shop uses"
        case "unknown_payment_status": "the payment status is not one the shop uses"
        case "negative_amount": "an amount is below zero"
        case "total_mismatch": "the total does not equal items + delivery - discounts"
        case "future_created_at": "it is dated in the future"
        case "unknown_event_type": "the kind of website event is not one the funnel knows"
        case "missing_session": "the website event has no visit it belongs to"
        case "value_too_wide": "a value is too large for the shop's dashboard table"
        case "out_of_range": "a date or amount is outside what the shop can have"
        case "unknown_menu_item": "the dish is not on the shop's menu"
        case "unknown_vip_tier": "the VIP tier is not one the shop uses"
        default: "another data problem"
        }
    }

    /// A campaign status as stored (`active`) in words (`Active`).
    public static func campaignStatus(_ status: String) -> String {
        switch status {
        case "draft": "Draft"
        case "active": "Running"
        case "paused": "Paused"
        case "completed": "Ended"
        case "cancelled": "Cancelled"
        default: "Unknown status"
        }
    }
}

extension PlainNames {
    /// A customer program as stored (`referral`) in words (`Referral program`).
    public static func program(_ program: String) -> String {
        switch program {
        case "customers": "All customers"
        case "loyalty": "Loyalty points"
        case "referral": "Referral program"
        default: program.replacingOccurrences(of: "_", with: " ").capitalisedFirst
        }
    }

    /// A program figure as stored (`customers_with_sales`) in words (`Customers with a sale`).
    public static func programFigure(_ figure: String) -> String {
        switch figure {
        case "customers": "Customers"
        case "customers_with_sales": "Customers with a sale"
        case "repeat_customers": "Repeat customers (2 or more sales)"
        case "repeat_purchase_rate": "Repeat purchase rate"
        case "sales_counted": "Sales counted"
        case "sales_of_non_customers": "Sales to staff accounts (not counted for any customer)"
        case "points_earned": "Points earned"
        case "points_redeemed": "Points redeemed"
        case "value_redeemed": "Value of the points redeemed"
        case "customers_with_points": "Customers who earned points"
        case "sales_using_points": "Sales paid partly with points"
        case "share_of_sales_using_points": "Share of sales paid partly with points"
        case "referrals_made": "Referrals made"
        case "completed": "Referrals completed"
        case "pending": "Referrals pending"
        case "expired": "Referrals expired"
        case "cancelled": "Referrals cancelled"
        case "conversion": "Completed / made"
        case "bonuses_paid": "Bonuses paid to referrers"
        case "bonus_points": "Bonus points given to referrers"
        case "referred_customers": "Referred customers"
        case "referred_customers_with_sales": "Referred customers with a sale"
        case "sales_from_referred": "Sales to referred customers"
        case "revenue_from_referred": "Revenue from referred customers"
        default: figure.replacingOccurrences(of: "_", with: " ").capitalisedFirst
        }
    }
}
