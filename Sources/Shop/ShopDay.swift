import Foundation

/// A calendar day in the shop's time zone, stored as days since 1970-01-01 of that local calendar.
/// Orders belong to the shop day of their `created_at` seen from the shop (Kigali), never UTC's.
public struct ShopDay: Hashable, Comparable, Strideable, Sendable, CustomStringConvertible {
    public var epochDay: Int32

    public init(epochDay: Int32) { self.epochDay = epochDay }

    public init(year: Int, month: Int, day: Int) {
        epochDay = Int32(CivilDay.daysFromCivil(year, month, day))
    }

    /// Parses `YYYY-MM-DD`; `nil` if it is not a real calendar date.
    public init?(iso text: String) {
        let p = text.split(separator: "-", omittingEmptySubsequences: false)
        guard p.count == 3, p[0].count == 4, p[1].count == 2, p[2].count == 2,
              let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]), (1...12).contains(m), d >= 1,
              d <= CivilDay.daysInMonth(y, m) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var components: (year: Int, month: Int, day: Int) { CivilDay.civilFromDays(Int(epochDay)) }

    /// `2026-11-23`: the year zero-padded to four digits, after a `-` when negative (C's `%04d`), without
    /// `String(format:)`, which costs microseconds a call.
    public var iso: String {
        let c = components
        let year = c.year < 0 ? "-" + zeroPadded(Int64(-c.year), 3) : zeroPadded(Int64(c.year), 4)
        return year + "-" + zeroPadded(Int64(c.month), 2) + "-" + zeroPadded(Int64(c.day), 2)
    }

    public var description: String { iso }

    /// 1 = Monday ... 7 = Sunday.
    public var isoWeekday: Int { Int(((Int64(epochDay) % 7) + 7 + 3) % 7) + 1 }

    /// The days the shop's data and reports may hold (README, "Shop day"): 2000-01-01 through 2099-12-31. A source
    /// row dated outside them is a data error (`out_of_range`), and the command line refuses such a `--date`, so a
    /// report never meets a date a spreadsheet cannot show (Excel's start at 1900-01-01).
    public static let earliest = ShopDay(year: 2000, month: 1, day: 1)
    public static let latest = ShopDay(year: 2099, month: 12, day: 31)
    /// 2000-01-01 00:00 UTC, microseconds since the epoch. Source times before the start of that day in the shop's time
    /// zone (`ShopCalendar.shopStartMicros`), not this, are out of range: in Kigali two hours earlier.
    public static let utcStartMicros: Int64 = 946_684_800 * 1_000_000

    /// The day lies between `earliest` and `latest`.
    public var isWithinShopDates: Bool { self >= ShopDay.earliest && self <= ShopDay.latest }

    public static func < (a: ShopDay, b: ShopDay) -> Bool { a.epochDay < b.epochDay }
    public func distance(to other: ShopDay) -> Int { Int(other.epochDay - epochDay) }
    public func advanced(by n: Int) -> ShopDay { ShopDay(epochDay: epochDay + Int32(n)) }
}

/// An inclusive range of shop days.
public struct ShopDayRange: Sendable, Hashable, Sequence, CustomStringConvertible {
    public let first: ShopDay
    public let last: ShopDay

    /// - Precondition: `first <= last`.
    public init(_ first: ShopDay, _ last: ShopDay) {
        precondition(first <= last, "a range's first day must not be after its last")
        self.first = first
        self.last = last
    }

    public var count: Int { first.distance(to: last) + 1 }
    public func contains(_ d: ShopDay) -> Bool { d >= first && d <= last }
    public func makeIterator() -> StrideThrough<ShopDay>.Iterator { stride(from: first, through: last, by: 1).makeIterator() }
    public var description: String { first == last ? first.iso : "\(first.iso)..\(last.iso)" }

    /// Days grouped into contiguous ranges, in order.
    public static func contiguous(_ days: Set<ShopDay>) -> [ShopDayRange] {
        var result: [ShopDayRange] = []
        for d in days.sorted() {
            if let last = result.last, last.last.advanced(by: 1) == d {
                result[result.count - 1] = ShopDayRange(last.first, d)
            } else {
                result.append(ShopDayRange(d, d))
            }
        }
        return result
    }

    /// The range cut into consecutive ranges of at most `n` days, in order.
    public func chunks(ofAtMost n: Int) -> [ShopDayRange] {
        precondition(n >= 1)
        return stride(from: 0, to: count, by: n).map { k in
            ShopDayRange(first.advanced(by: k), first.advanced(by: Swift.min(k + n, count) - 1))
        }
    }
}

/// The shop's clock: which shop day an instant falls on, and where a shop day starts and ends in UTC.
///
/// Instants are microseconds since 1970-01-01 UTC (as the extract reads `timestamptz`). Zones with daylight
/// saving are handled: each day's bounds come from the zone's rules, not from a fixed offset.
public struct ShopCalendar: Sendable {
    public let timeZone: TimeZone
    /// For zones whose offset never changes (Kigali), the fixed offset in seconds; day lookups are then pure arithmetic.
    private let fixedOffset: Int64?

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        // No transition in the zone's known future/past means a fixed offset.
        let probe = Date(timeIntervalSince1970: 0)
        if timeZone.nextDaylightSavingTimeTransition(after: probe) == nil,
           timeZone.secondsFromGMT(for: probe) == timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: 2_000_000_000)) {
            fixedOffset = Int64(timeZone.secondsFromGMT(for: probe))
        } else {
            fixedOffset = nil
        }
    }

    public init?(identifier: String) {
        guard let tz = TimeZone(identifier: identifier) else { return nil }
        self.init(timeZone: tz)
    }

    /// The shop day of an instant.
    public func day(ofMicros micros: Int64) -> ShopDay {
        ShopDay(epochDay: Int32(floorDiv(localSeconds(ofMicros: micros), 86_400)))
    }

    /// The hour of the shop's clock (0-23) at an instant. In a zone with daylight saving, the hour repeated when the
    /// clocks go back counts twice in the same hour, and the skipped one has nothing.
    public func hour(ofMicros micros: Int64) -> Int {
        let local = localSeconds(ofMicros: micros)
        return Int(floorDiv(local, 3_600) - floorDiv(local, 86_400) * 24)
    }

    /// Seconds since 1970-01-01 00:00 of the shop's local clock.
    private func localSeconds(ofMicros micros: Int64) -> Int64 {
        let secs = floorDiv(micros, 1_000_000)
        return secs + (fixedOffset ?? Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(secs)))))
    }

    /// The first instant of the shop's first date (`ShopDay.earliest`, 2000-01-01) in its time zone: a source time
    /// before it is out of range.
    public var shopStartMicros: Int64 { startMicros(of: ShopDay.earliest) }

    /// The first instant of the shop day, in microseconds since the epoch (UTC): the first instant that
    /// `day(ofMicros:)` puts on that day or later. Where the clocks skip midnight (America/Santiago, Africa/Cairo,
    /// America/Havana, Asia/Beirut spring forward from 00:00 to 01:00) the day starts at the change, 01:00; where
    /// they skip a whole day (Pacific/Apia, 30 December 2011) that day is empty and starts where the next one does.
    /// Where midnight comes twice it is the first.
    public func startMicros(of day: ShopDay) -> Int64 {
        let localMidnight = Int64(day.epochDay) * 86_400
        if let fixedOffset { return (localMidnight - fixedOffset) * 1_000_000 }
        // Offset at the guessed instant, refined once: right wherever midnight comes once.
        var guess = localMidnight - Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(localMidnight))))
        guess = localMidnight - Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(guess))))
        if localSeconds(ofMicros: guess * 1_000_000) >= localMidnight,
           localSeconds(ofMicros: (guess - 1) * 1_000_000) < localMidnight {
            return guess * 1_000_000
        }
        // Midnight skipped or repeated: the first second whose local time is that midnight or later, searched within a
        // day either side (offsets lie within -12 h and +14 h; a skipped day moves the start by 24 h more).
        var low = localMidnight - 2 * 86_400, high = localMidnight + 2 * 86_400  // local(low) < midnight <= local(high)
        while high - low > 1 {
            let mid = low + (high - low) / 2
            if localSeconds(ofMicros: mid * 1_000_000) >= localMidnight { high = mid } else { low = mid }
        }
        return high * 1_000_000
    }

    /// `[start, end)` of a range of shop days in microseconds since the epoch.
    public func bounds(of range: ShopDayRange) -> (start: Int64, end: Int64) {
        (startMicros(of: range.first), startMicros(of: range.last.advanced(by: 1)))
    }

    /// Today in the shop's zone, for the given instant (the caller reads the clock, not this type).
    public func day(of date: Date) -> ShopDay { day(ofMicros: Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))) }
}

/// `v` (>= 0) in decimal, zero-padded to at least `n` digits.
func zeroPadded(_ v: Int64, _ n: Int) -> String {
    let s = String(v)
    return s.utf8.count >= n ? s : String(repeating: "0", count: n - s.utf8.count) + s
}

@inline(__always) func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

/// Civil calendar arithmetic (proleptic Gregorian).
enum CivilDay {
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1
        return era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
    }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
