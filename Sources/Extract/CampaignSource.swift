import Postgres
import Shop

/// Extracts for campaigns, the funnel and traffic (`sql/source/campaign_*.sql`, `conversion_events.sql`,
/// `page_views.sql`), streamed row by row inside the job's snapshot like the daily ones.
extension ShopSource {
    /// Streams every campaign, checked: a known status, readable dates with `start_date <= end_date`, a readable
    /// discount value and budget, neither negative, and a window within the shop's dates. Returns the number of rows read.
    @discardableResult
    public func campaigns(_ body: (Result<Campaign, RejectedRow>) throws -> Void) throws -> Int {
        let query = try sql.query("source/campaign_definitions.sql", [:])
        return try connection.copyOut("COPY (\(query)) TO STDOUT") { row in
            let text = rawText(row), sourceId = row.string(0)
            func reject(_ r: Rejection) -> Result<Campaign, RejectedRow> {
                .failure(RejectedRow(source: "analytics_campaign", sourceId: sourceId, day: nil, rejection: r, raw: text))
            }
            guard let id = row.int64(0), let start = row.timestampMicros(7), let end = row.timestampMicros(8),
                  let value = row.scaled(5, scale: 2), row.isNull(9) || row.scaled(9, scale: 2) != nil else {
                return try body(reject(Rejection(.unreadableValue, "id, discount_value, start_date, end_date or budget is empty or unreadable")))
            }
            let statusText = row.string(3) ?? ""
            guard let status = CampaignStatus(rawValue: statusText) else {
                return try body(reject(Rejection(.unknownStatus, "status '\(statusText)' is not one of \(CampaignStatus.allCases.map(\.rawValue).joined(separator: ", "))")))
            }
            guard start <= end else { return try body(reject(Rejection(.unreadableValue, "end_date is before start_date"))) }
            let budget = row.scaled(9, scale: 2).map { Money(hundredths: $0) }
            if let budget, budget.hundredths < 0 { return try body(reject(Rejection(.negativeAmount, "budget is negative"))) }
            if value < 0 { return try body(reject(Rejection(.negativeAmount, "discount_value is negative"))) }
            // Like orders and refunds: no window reaches outside the shop's dates (infinite ones are unreadable above).
            guard start >= calendar.startMicros(of: ShopDay.earliest), end < calendar.startMicros(of: ShopDay.latest.advanced(by: 1)) else {
                return try body(reject(Rejection(.outOfRange, "the window \(Instant.utcString(micros: start)) to \(Instant.utcString(micros: end)) "
                                                 + "reaches outside the shop's dates (\(ShopDay.earliest.iso) to \(ShopDay.latest.iso))")))
            }
            try body(.success(Campaign(id: id, name: row.string(1) ?? "", description: row.string(2) ?? "", status: status,
                                       discountType: row.string(4) ?? "", discountValue: value,
                                       audience: CampaignAudience(rawValue: row.string(6) ?? ""), start: start, end: end, budget: budget)))
        }
    }

    /// Each customer's facts for the audience rules and the funnel's user types, counting sales created before
    /// `end` (microseconds). With `users`, the first sale only of those users (the other facts of every user).
    /// Returns the number of rows read.
    @discardableResult
    public func customerFacts(before end: Int64, users: [Int64]? = nil, _ body: (Int64, CustomerFacts) throws -> Void) throws -> Int {
        let query = try sql.query("source/campaign_customers.sql", [
            "to": SQLLiteral.timestamp(micros: end), "earliest": SQLLiteral.timestamp(micros: calendar.shopStartMicros),
            "users": users.map { "'{" + $0.map(String.init).joined(separator: ",") + "}'::bigint[]" } ?? "NULL::bigint[]"])
        return try connection.copyOut("COPY (\(query)) TO STDOUT") { row in
            guard let user = row.int64(0) else { return }
            try body(user, CustomerFacts(firstSaleAt: row.timestampMicros(1), vipSince: row.epochDay(2).map { ShopDay(epochDay: $0) },
                                         referredAt: row.timestampMicros(3)))
        }
    }

    /// Streams the orders created in `[start, end)` that pass the daily extract's checks, each with its `couponCode`
    /// (rows that fail are skipped: the daily extract reports them). Returns the number of rows read.
    @discardableResult
    public func campaignOrders(from start: Int64, to end: Int64, _ body: (Order) throws -> Void) throws -> Int {
        let query = try sql.query("source/campaign_orders.sql", ["from": SQLLiteral.timestamp(micros: start), "to": SQLLiteral.timestamp(micros: end)])
        let now = snapshotTime
        let at = try columns("source/campaign_orders.sql", of: query)
        let orderAt = try OrderColumns(at), updatedAt = try at("updated_at"), couponCode = try at("coupon_code")
        var read = 0
        let lookups = try orderLookups(read: &read)
        return try read + connection.copyOut("COPY (\(query)) TO STDOUT") { row in
            let candidate = orderAt.candidate(row, lookups: lookups, updatedAt: row.timestampMicros(updatedAt))
            if case .success(var order) = candidate.validated(notAfter: now, notBefore: calendar.shopStartMicros) {
                order.couponCode = row.string(couponCode) ?? ""
                try body(order)
            }
        }
    }

    /// Streams logged-in customers' conversion events in `[start, end)` as (user id, instant).
    @discardableResult
    public func customerActivity(from start: Int64, to end: Int64, _ body: (Int64, Int64) throws -> Void) throws -> Int {
        let query = try sql.query("source/campaign_activity.sql", ["from": SQLLiteral.timestamp(micros: start), "to": SQLLiteral.timestamp(micros: end)])
        return try connection.copyOut("COPY (\(query)) TO STDOUT") { row in
            if let user = row.int64(0), let at = row.timestampMicros(1) { try body(user, at) }
        }
    }

    /// Streams the conversion events in `[start, end)`, checked (`ConversionEvent.checked`): each arrives as an
    /// event or a `RejectedRow`. `activity`, when given, first gets every row with a user and a readable instant, the
    /// rows set aside too (the campaigns' customer activity, as `campaign_activity.sql` reads it). Returns the number
    /// of rows read.
    @discardableResult
    public func conversionEvents(from start: Int64, to end: Int64, activity: ((Int64, Int64) throws -> Void)? = nil,
                                 _ body: (Result<ConversionEvent, RejectedRow>) throws -> Void) throws -> Int {
        let query = try sql.query("source/conversion_events.sql", ["from": SQLLiteral.timestamp(micros: start), "to": SQLLiteral.timestamp(micros: end)])
        // Binary: millions of timestamps, which the server would otherwise format as text and the job parse back.
        return try connection.copyOutBinary(query, columns: [.integer, .text, .text, .integer, .timestamptz]) { row in
            let at = row.timestampMicros(4), user = row.int64(3)
            if let activity, let at, let user { try activity(user, at) }
            // The usual row (a known type, a non-blank session id) without making Strings; anything else takes the
            // checked path below, which decides the same way for these rows.
            if let id = row.int64(0), let at, let kind = ConversionEventType(utf8: row.raw(1)), !row.isNull(2) {
                let session = SessionID(utf8: row.raw(2))
                if !session.isBlank {
                    return try body(.success(ConversionEvent(id: id, type: kind, session: session, userId: user, at: at)))
                }
            }
            switch ConversionEvent.checked(id: row.int64(0), type: row.string(1), sessionId: row.string(2), userId: user, at: at) {
            case .success(let e): try body(.success(e))
            case .failure(let r):
                try body(.failure(RejectedRow(source: "analytics_conversionevent", sourceId: row.string(0),
                                              day: at.map { calendar.day(ofMicros: $0) }, rejection: r, raw: rawText(row))))
            }
        }
    }

    /// Streams the page-view rows of the days in `range`; negative or unreadable counts are set aside.
    @discardableResult
    public func pageViews(in range: ShopDayRange, _ body: (Result<PageViews, RejectedRow>) throws -> Void) throws -> Int {
        let query = try sql.query("source/page_views.sql", ["from_day": SQLLiteral.date(range.first), "to_day": SQLLiteral.date(range.last)])
        return try connection.copyOut("COPY (\(query)) TO STDOUT") { row in
            let day = row.epochDay(2).map { ShopDay(epochDay: $0) }
            if let day, let views = row.int64(3), let unique = row.int64(4), views >= 0, unique >= 0 {
                try body(.success(PageViews(day: day, page: row.string(1) ?? "", views: Int(views), uniqueVisitors: Int(unique))))
            } else {
                let negative = (row.int64(3) ?? 0) < 0 || (row.int64(4) ?? 0) < 0
                try body(.failure(RejectedRow(source: "analytics_pageviewanalytics", sourceId: row.string(0), day: day,
                                              rejection: negative ? Rejection(.negativeAmount, "view_count or unique_visitors is negative")
                                                  : Rejection(.unreadableValue, "date, view_count or unique_visitors is empty or unreadable"),
                                              raw: rawText(row))))
            }
        }
    }
}
