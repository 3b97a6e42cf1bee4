/// Formatting of instants (microseconds since 1970-01-01 UTC) for SQL literals and logs.
public enum Instant {
    /// `2026-11-23 21:30:00.000000+00`: a timestamptz literal PostgreSQL reads exactly.
    public static func utcString(micros: Int64) -> String {
        let t = utc(micros: micros)
        return t.day.iso + " " + zeroPadded(Int64(t.second / 3600), 2) + ":" + zeroPadded(Int64(t.second % 3600 / 60), 2) + ":"
            + zeroPadded(Int64(t.second % 60), 2) + "." + zeroPadded(Int64(t.microsecond), 6) + "+00"
    }

    /// The UTC calendar day of an instant, the second of that day (0..<86400) and the microsecond of that second.
    public static func utc(micros: Int64) -> (day: ShopDay, second: Int, microsecond: Int) {
        let secs = floorDiv(micros, 1_000_000)
        let day = floorDiv(secs, 86_400)
        return (ShopDay(epochDay: Int32(day)), Int(secs - day * 86_400), Int(micros - secs * 1_000_000))
    }
}

/// A source row set aside, with everything needed to find and fix it.
public struct RejectedRow: Sendable, Equatable, Error {
    public var source: String
    public var sourceId: String?
    /// The shop day the row would have counted on, when its timestamp was readable.
    public var day: ShopDay?
    public var rejection: Rejection
    /// The row as the extract read it (tab-separated COPY text).
    public var raw: String

    public init(source: String, sourceId: String?, day: ShopDay?, rejection: Rejection, raw: String) {
        self.source = source; self.sourceId = sourceId; self.day = day; self.rejection = rejection; self.raw = raw
    }
}
