import Shop

/// What the kitchen should expect (README, "Kitchen report"). The report's day D is the last complete shop day
/// ("yesterday" for the cook reading it the next morning); the plan looks at the day after that ("today", D+1) and
/// the one after ("tomorrow", D+2). A day's expected count of a dish is the average of its portions on the same
/// weekday in the four weeks before (days 7, 14, 21 and 28 earlier), over the ones that were computed; a computed
/// day without the dish counts 0.
public struct KitchenPlan: Sendable {
    /// One dish: portions sold on the report's day and what to expect today and tomorrow.
    public struct Dish: Sendable, Equatable {
        public var menuItemId: Int64
        public var name: String
        public var category: String
        public var yesterday: Int64
        public var today: Forecast
        public var tomorrow: Forecast
    }

    /// The expectation for one day: average, lowest and highest of the same weekday's counts.
    public struct Forecast: Sendable, Equatable {
        /// The counts of the same weekday, most recent week first (only computed days).
        public var counts: [Int64]
        /// Average portions in hundredths (1025 = 10.25), rounded half away from zero; nil with no computed week.
        public var expectedHundredths: Int64? {
            counts.isEmpty ? nil : Money.roundedDivision(counts.reduce(0, +) * 100, Int64(counts.count))
        }
        /// Whole portions to prepare: the average rounded half away from zero.
        public var expectedPortions: Int64? { expectedHundredths.map { Money.roundedDivision($0, 100) } }
        public var lowest: Int64? { counts.min() }
        public var highest: Int64? { counts.max() }
    }

    /// The report's day (yesterday for the reader).
    public var day: ShopDay
    public var today: ShopDay { day.advanced(by: 1) }
    public var tomorrow: ShopDay { day.advanced(by: 2) }
    /// The same weekday in the four weeks before `target`, most recent first.
    public static func sameWeekdays(before target: ShopDay) -> [ShopDay] { (1...4).map { target.advanced(by: -7 * $0) } }
    /// How many of the four weeks were computed, for today and for tomorrow.
    public var weeksComputed: (today: Int, tomorrow: Int)
    /// Every dish sold on the report's day or on one of the eight weekdays looked at: most expected tomorrow first
    /// (then most sold yesterday, then name).
    public var dishes: [Dish]

    /// - Parameters:
    ///   - rows: `item_sales` rows covering D-27 ... D (others are ignored).
    ///   - computed: the days that were computed (have a daily snapshot): a computed day without a dish counts 0,
    ///     a day never computed is left out of the average.
    public init(day: ShopDay, rows: [ItemSales], computed: Set<ShopDay>) {
        self.day = day
        let todayDays = KitchenPlan.sameWeekdays(before: day.advanced(by: 1)).filter(computed.contains)
        let tomorrowDays = KitchenPlan.sameWeekdays(before: day.advanced(by: 2)).filter(computed.contains)
        weeksComputed = (todayDays.count, tomorrowDays.count)
        let looked = Set(todayDays + tomorrowDays + [day])
        var counts: [Int64: [ShopDay: Int64]] = [:]
        var names: [Int64: (name: String, category: String, day: ShopDay)] = [:]
        for r in rows where looked.contains(r.day) {
            counts[r.menuItemId, default: [:]][r.day, default: 0] += r.quantity
            if names[r.menuItemId].map({ r.day >= $0.day }) ?? true { names[r.menuItemId] = (r.name, r.category, r.day) }
        }
        let shown = DishNames.distinguished(names.map { ($0.key, $0.value.name, $0.value.category) })
        dishes = counts.map { id, byDay in
            Dish(menuItemId: id, name: shown[id] ?? "", category: names[id]?.category ?? "", yesterday: byDay[day] ?? 0,
                 today: Forecast(counts: todayDays.map { byDay[$0] ?? 0 }),
                 tomorrow: Forecast(counts: tomorrowDays.map { byDay[$0] ?? 0 }))
        }.sorted { a, b in
            let ea = a.tomorrow.expectedHundredths ?? 0, eb = b.tomorrow.expectedHundredths ?? 0
            if ea != eb { return ea > eb }
            if a.yesterday != b.yesterday { return a.yesterday > b.yesterday }
            return a.name != b.name ? a.name < b.name : a.menuItemId < b.menuItemId
        }
    }

    /// The days whose item rows the plan needs: the 28 days ending with `day`.
    public static func daysNeeded(for day: ShopDay) -> ShopDayRange { ShopDayRange(day.advanced(by: -27), day) }
}
