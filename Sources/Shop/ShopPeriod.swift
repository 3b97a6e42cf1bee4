/// The period a report covers: a shop day, an ISO week (Monday to Sunday), a calendar month, a calendar quarter, or a
/// range of days chosen on the command line (`report --from --to`, never a definition's period).
public enum ShopPeriod: String, Sendable, Codable, CaseIterable {
    case day, week, month, quarter, range

    /// The word a sentence uses for it: `day`, `week`, `month`, `quarter`, and `period` for a chosen range.
    public var noun: String { self == .range ? "period" : rawValue }

    /// The period of this kind that contains `day` (for `range`, which has no calendar of its own: that day alone).
    public func range(containing day: ShopDay) -> ShopDayRange {
        switch self {
        case .day, .range:
            return ShopDayRange(day, day)
        case .week:
            let monday = day.advanced(by: -(day.isoWeekday - 1))
            return ShopDayRange(monday, monday.advanced(by: 6))
        case .month:
            let c = day.components
            let first = ShopDay(year: c.year, month: c.month, day: 1)
            return ShopDayRange(first, ShopDay(year: c.year, month: c.month, day: CivilDay.daysInMonth(c.year, c.month)))
        case .quarter:
            let c = day.components
            let firstMonth = (c.month - 1) / 3 * 3 + 1
            return ShopDayRange(ShopDay(year: c.year, month: firstMonth, day: 1),
                                ShopDay(year: c.year, month: firstMonth + 2, day: CivilDay.daysInMonth(c.year, firstMonth + 2)))
        }
    }

    /// The period just before `range` (the day, week, month or quarter before; for a chosen range, the same number
    /// of days just before it).
    public func previous(_ range: ShopDayRange) -> ShopDayRange {
        if self == .range { return ShopDayRange(range.first.advanced(by: -range.count), range.first.advanced(by: -1)) }
        return self.range(containing: range.first.advanced(by: -1))
    }

    /// The same period a year earlier: for days, weeks and chosen ranges 364 days (52 weeks) back, so weekdays line
    /// up; for months and quarters the same calendar month or quarter of the previous year.
    public func sameLastYear(_ range: ShopDayRange) -> ShopDayRange {
        switch self {
        case .day, .week, .range:
            return ShopDayRange(range.first.advanced(by: -364), range.last.advanced(by: -364))
        case .month, .quarter:
            let c = range.first.components
            return self.range(containing: ShopDay(year: c.year - 1, month: c.month, day: 1))
        }
    }

    /// A label for people: `Monday 23 November 2026`, `Week 48, 2026 (23–29 Nov)`, `November 2026`.
    public func label(_ range: ShopDayRange) -> String {
        let months = ShopDay.monthNames, days = ShopDay.weekdayNames
        let f = range.first.components, l = range.last.components
        switch self {
        case .day:
            return "\(days[range.first.isoWeekday - 1]) \(range.first.words)"
        case .week:
            let (week, year) = range.first.isoWeek
            return "Week \(week), \(year) (\(f.day) \(months[f.month - 1].prefix(3)) – \(l.day) \(months[l.month - 1].prefix(3)))"
        case .month:
            return "\(months[f.month - 1]) \(f.year)"
        case .quarter:
            return "Q\((f.month - 1) / 3 + 1) \(f.year) (\(months[f.month - 1]) – \(months[l.month - 1]))"
        case .range:
            let first = f.year == l.year ? "\(f.day) \(months[f.month - 1])" : "\(f.day) \(months[f.month - 1]) \(f.year)"
            return "\(first) – \(l.day) \(months[l.month - 1]) \(l.year) (\(range.count) days)"
        }
    }
}

extension ShopDay {
    /// `30 November 2026`, for people (titles and sentences; analysts' tables and commands keep `iso`).
    public var words: String {
        let c = components
        return "\(c.day) \(ShopDay.monthNames[c.month - 1]) \(c.year)"
    }

    public static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                                    "October", "November", "December"]
    public static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// `Tuesday`.
    public var weekdayName: String { ShopDay.weekdayNames[isoWeekday - 1] }

    /// `24 Nov`.
    public var dayAndMonth: String {
        let c = components
        return "\(c.day) \(ShopDay.monthNames[c.month - 1].prefix(3))"
    }

    /// `Tue 24 Nov`: short, for column headings.
    public var shortLabel: String { "\(weekdayName.prefix(3)) \(dayAndMonth)" }

    /// ISO 8601 week number and week-based year.
    public var isoWeek: (week: Int, year: Int) {
        let thursday = advanced(by: 4 - isoWeekday)
        let year = thursday.components.year
        let jan1 = ShopDay(year: year, month: 1, day: 1)
        return (jan1.distance(to: thursday) / 7 + 1, year)
    }
}

extension ShopDayRange {
    /// `Monday 23 November 2026`, or `17 November – 23 November 2026 (7 days)`, for people.
    public var words: String { count == 1 ? ShopPeriod.day.label(self) : ShopPeriod.range.label(self) }
}
