/// `analytics_conversionevent.event_type`. The first four are the funnel's steps, in order; the last two are counted
/// beside the funnel.
public enum ConversionEventType: String, CaseIterable, Sendable {
    case viewMenu = "view_menu"
    case addToCart = "add_to_cart"
    case startCheckout = "start_checkout"
    case completeOrder = "complete_order"
    case subscribe
    case referralClick = "referral_click"

    /// 1...4 for the funnel steps, nil for the others.
    public var step: Int? {
        switch self {
        case .viewMenu: 1
        case .addToCart: 2
        case .startCheckout: 3
        case .completeOrder: 4
        case .subscribe, .referralClick: nil
        }
    }

    /// One bit per type, for a session's set of events.
    public var bit: UInt8 { UInt8(1) << UInt8(ConversionEventType.allCases.firstIndex(of: self)!) }
}

/// One checked row of `analytics_conversionevent` (its `metadata` is not read).
public struct ConversionEvent: Sendable, Equatable {
    public var id: Int64
    public var type: ConversionEventType
    public var sessionId: String
    public var userId: Int64?
    /// Microseconds since the epoch (UTC).
    public var at: Int64

    public init(id: Int64, type: ConversionEventType, sessionId: String, userId: Int64?, at: Int64) {
        self.id = id; self.type = type; self.sessionId = sessionId; self.userId = userId; self.at = at
    }

    /// Checks a row read from the source, in this order: a readable timestamp, a known event type, a non-empty
    /// session id (README, "Funnel"). Returns the event or why it is set aside.
    public static func checked(id: Int64?, type: String?, sessionId: String?, userId: Int64?, at: Int64?) -> Result<ConversionEvent, Rejection> {
        guard let id, let at else { return .failure(Rejection(.unreadableValue, "id or timestamp is empty or unreadable")) }
        guard let t = type, let kind = ConversionEventType(rawValue: t) else {
            return .failure(Rejection(.unknownEventType, "event_type '\(type ?? "")' is not one of \(ConversionEventType.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        guard let s = sessionId, s.contains(where: { $0 != " " }) else {
            return .failure(Rejection(.missingSession, "session_id is empty"))
        }
        return .success(ConversionEvent(id: id, type: kind, sessionId: s, userId: userId, at: at))
    }
}

/// One row of `analytics_pageviewanalytics`: a page's views and unique visitors on a day.
public struct PageViews: Sendable, Equatable {
    public var day: ShopDay
    public var page: String
    public var views: Int
    public var uniqueVisitors: Int

    public init(day: ShopDay, page: String, views: Int, uniqueVisitors: Int) {
        self.day = day; self.page = page; self.views = views; self.uniqueVisitors = uniqueVisitors
    }
}
