import Foundation

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

    /// One bit per type (in the order of the cases), for a session's set of events.
    public var bit: UInt8 {
        switch self {
        case .viewMenu: 1
        case .addToCart: 2
        case .startCheckout: 4
        case .completeOrder: 8
        case .subscribe: 16
        case .referralClick: 32
        }
    }

    /// The type whose `rawValue` is these UTF-8 bytes (compared exactly), without making a String: the length and the
    /// first byte pick the one candidate, whose bytes are then compared (the funnel reads millions of these).
    public init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        let candidate: ConversionEventType
        switch (bytes.count, bytes.first) {
        case (9, UInt8(ascii: "v")?): candidate = .viewMenu
        case (9, UInt8(ascii: "s")?): candidate = .subscribe
        case (11, UInt8(ascii: "a")?): candidate = .addToCart
        case (14, UInt8(ascii: "s")?): candidate = .startCheckout
        case (14, UInt8(ascii: "c")?): candidate = .completeOrder
        case (14, UInt8(ascii: "r")?): candidate = .referralClick
        default: return nil
        }
        let same = ConversionEventType.spellings[candidate.index].withUnsafeBufferPointer { memcmp($0.baseAddress!, bytes.baseAddress!, $0.count) == 0 }
        guard same else { return nil }
        self = candidate
    }

    /// Each case's `rawValue` as UTF-8 bytes, in the order of the cases.
    private static let spellings: [[UInt8]] = allCases.map { Array($0.rawValue.utf8) }

    private var index: Int {
        switch self {
        case .viewMenu: 0
        case .addToCart: 1
        case .startCheckout: 2
        case .completeOrder: 3
        case .subscribe: 4
        case .referralClick: 5
        }
    }
}

/// A session id (`analytics_conversionevent.session_id`), held without a heap allocation when it is ASCII and at
/// most 32 bytes long (Django's session keys are 32 hex digits): the funnel keys millions of events by it.
///
/// Two ids are equal exactly when the Strings are (Swift compares canonical equivalents as equal): a non-ASCII id
/// is kept in its NFC form, and an id that is ASCII in that form is held inline like any other.
public struct SessionID: Hashable, Sendable {
    private var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0
    /// Bytes held inline (0...32); `UInt8.max` when the id is in `long`.
    private var count: UInt8 = 0
    private var long: String?

    public init(_ text: String) {
        var t = text
        if let inline = t.withUTF8({ SessionID(inlineASCII: $0) }) { self = inline; return }
        if t.utf8.contains(where: { $0 >= 0x80 }) {
            t = t.precomposedStringWithCanonicalMapping
            if let inline = t.withUTF8({ SessionID(inlineASCII: $0) }) { self = inline; return }
        }
        count = .max
        long = t
    }

    /// The id from its UTF-8 bytes.
    public init(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        if let inline = SessionID(inlineASCII: bytes) { self = inline } else { self.init(String(decoding: bytes, as: UTF8.self)) }
    }

    private init?(inlineASCII bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= 32 else { return nil }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        let ok = withUnsafeMutableBytes(of: &words) { raw -> Bool in
            for (i, b) in bytes.enumerated() {
                if b >= 0x80 { return false }
                raw[i] = b
            }
            return true
        }
        guard ok else { return nil }
        (w0, w1, w2, w3) = words
        count = UInt8(bytes.count)
    }

    /// The id as text.
    public var text: String {
        if let long { return long }
        var words = (w0, w1, w2, w3)
        let n = Int(count)
        return withUnsafeBytes(of: &words) { String(decoding: $0.prefix(n), as: UTF8.self) }
    }

    /// A cheap hash for a table of its own (the funnel's sessions), equal for equal ids: the inline words folded
    /// with `splitMix64`; a long id's String hash (Swift's, which agrees with the String's `==`).
    public var tableHash: Int {
        if let long { return long.hashValue }
        var x = splitMix64(w0 &+ UInt64(count) &* 0x9E37_79B9_7F4A_7C15)
        x = splitMix64(x ^ w1)
        if count > 16 { x = splitMix64(x ^ w2); x = splitMix64(x ^ w3) }
        return Int(truncatingIfNeeded: x)
    }

    /// Empty or only white space, as `ConversionEvent.checked` decides (`Character.isWhitespace`: spaces, tabs, line
    /// breaks, no-break spaces...): the blank ids of the README's `missing_session`. An inline id is ASCII, whose white
    /// space is the space and U+0009...U+000D.
    public var isBlank: Bool {
        if let long { return !long.contains(where: { !$0.isWhitespace }) }
        var words = (w0, w1, w2, w3)
        let n = Int(count)
        return withUnsafeBytes(of: &words) { !$0.prefix(n).contains(where: { $0 != 0x20 && !(0x09...0x0D).contains($0) }) }
    }
}

/// One checked row of `analytics_conversionevent` (its `metadata` is not read).
public struct ConversionEvent: Sendable, Equatable {
    public var id: Int64
    public var type: ConversionEventType
    public var session: SessionID
    /// The session id as text (NFC when it is not ASCII).
    public var sessionId: String { session.text }
    public var userId: Int64?
    /// Microseconds since the epoch (UTC).
    public var at: Int64

    public init(id: Int64, type: ConversionEventType, sessionId: String, userId: Int64?, at: Int64) {
        self.init(id: id, type: type, session: SessionID(sessionId), userId: userId, at: at)
    }

    public init(id: Int64, type: ConversionEventType, session: SessionID, userId: Int64?, at: Int64) {
        self.id = id; self.type = type; self.session = session; self.userId = userId; self.at = at
    }

    /// Checks a row read from the source, in this order: a readable timestamp, a known event type, a non-empty
    /// session id (README, "Funnel"). Returns the event or why it is set aside.
    public static func checked(id: Int64?, type: String?, sessionId: String?, userId: Int64?, at: Int64?) -> Result<ConversionEvent, Rejection> {
        guard let id, let at else { return .failure(Rejection(.unreadableValue, "id or timestamp is empty or unreadable")) }
        guard let t = type, let kind = ConversionEventType(rawValue: t) else {
            return .failure(Rejection(.unknownEventType, "event_type '\(type ?? "")' is not one of \(ConversionEventType.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        guard let s = sessionId, s.contains(where: { !$0.isWhitespace }) else {
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
