/// Formatting of instants (microseconds since 1970-01-01 UTC) for SQL literals and logs.
public enum Instant {
    /// `2026-11-23 21:30:00.000000+00`: a timestamptz literal PostgreSQL reads exactly.
    public static func utcString(micros: Int64) -> String {
        let secs = floorDiv(micros, 1_000_000)
        let us = micros - secs * 1_000_000
        let day = floorDiv(secs, 86_400)
        let sod = secs - day * 86_400
        let d = ShopDay(epochDay: Int32(day))
        return d.iso + " " + pad(sod / 3600, 2) + ":" + pad(sod % 3600 / 60, 2) + ":" + pad(sod % 60, 2) + "." + pad(us, 6) + "+00"
    }

    private static func pad(_ v: Int64, _ n: Int) -> String {
        let s = String(v)
        return s.count >= n ? s : String(repeating: "0", count: n - s.count) + s
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
