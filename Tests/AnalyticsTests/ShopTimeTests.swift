import Foundation
import Shop
import XCTest

final class ShopTimeTests: XCTestCase {
    let kigali = ShopCalendar(identifier: "Africa/Kigali")!

    /// Microseconds of a UTC wall-clock time.
    func utc(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int = 0) -> Int64 {
        Int64(ShopDay(year: y, month: mo, day: d).epochDay) * 86_400_000_000 + Int64(h * 3600 + mi * 60 + s) * 1_000_000
    }

    func testOrderAt2330KigaliCountsForThatDay() {
        // 23:30 in Kigali is 21:30 UTC the same day.
        XCTAssertEqual(kigali.day(ofMicros: utc(2026, 11, 23, 21, 30)), ShopDay(year: 2026, month: 11, day: 23))
    }

    func testMidnightKigaliStartsTheNextDay() {
        // 00:00 Kigali on the 24th is 22:00 UTC on the 23rd; one microsecond before is still the 23rd.
        XCTAssertEqual(kigali.day(ofMicros: utc(2026, 11, 23, 22, 0)), ShopDay(year: 2026, month: 11, day: 24))
        XCTAssertEqual(kigali.day(ofMicros: utc(2026, 11, 23, 22, 0) - 1), ShopDay(year: 2026, month: 11, day: 23))
        XCTAssertEqual(kigali.startMicros(of: ShopDay(year: 2026, month: 11, day: 24)), utc(2026, 11, 23, 22, 0))
    }

    func testDaylightSavingZonesUseEachDaysOwnOffset() {
        let london = ShopCalendar(identifier: "Europe/London")!
        // Summer: local midnight is 23:00 UTC the day before; winter: 00:00 UTC.
        XCTAssertEqual(london.startMicros(of: ShopDay(year: 2026, month: 7, day: 1)), utc(2026, 6, 30, 23, 0))
        XCTAssertEqual(london.startMicros(of: ShopDay(year: 2026, month: 12, day: 1)), utc(2026, 12, 1, 0, 0))
        XCTAssertEqual(london.day(ofMicros: utc(2026, 6, 30, 23, 30)), ShopDay(year: 2026, month: 7, day: 1))
        // The day DST starts (29 March 2026) is 23 hours long.
        let start = london.startMicros(of: ShopDay(year: 2026, month: 3, day: 29))
        let end = london.startMicros(of: ShopDay(year: 2026, month: 3, day: 30))
        XCTAssertEqual(end - start, 23 * 3_600_000_000)
    }

    func testADayWhoseMidnightIsSkippedStartsWhenTheClocksChange() {
        // Santiago springs forward at midnight: 5 September 2026 23:59:59 -04 is followed by 6 September 01:00 -03
        // (04:00 UTC). An order at 23:30 on the 5th (03:30 UTC) belongs to the 5th and lies inside its bounds.
        let santiago = ShopCalendar(identifier: "America/Santiago")!
        let sep5 = ShopDay(year: 2026, month: 9, day: 5), sep6 = ShopDay(year: 2026, month: 9, day: 6)
        XCTAssertEqual(santiago.startMicros(of: sep6), utc(2026, 9, 6, 4, 0))
        XCTAssertEqual(santiago.day(ofMicros: utc(2026, 9, 6, 3, 30)), sep5)
        let (start, end) = santiago.bounds(of: ShopDayRange(sep5, sep5))
        XCTAssertEqual(start, utc(2026, 9, 5, 4, 0))
        XCTAssertEqual(end - start, 24 * 3_600_000_000, "the 5th keeps its 24 hours; the 6th has 23")
        // Cairo, 24 April 2026: 23 April 23:59:59 EET, then 01:00 EEST (22:00 UTC).
        let cairo = ShopCalendar(identifier: "Africa/Cairo")!
        XCTAssertEqual(cairo.startMicros(of: ShopDay(year: 2026, month: 4, day: 24)), utc(2026, 4, 23, 22, 0))
    }

    func testADaySkippedByTheDateLineIsEmptyAndTheDayBeforeKeepsItsHours() {
        // Apia moved from UTC-10 to UTC+14 after 29 December 2011: 30 December never happened there.
        let apia = ShopCalendar(identifier: "Pacific/Apia")!
        let dec29 = ShopDay(year: 2011, month: 12, day: 29), dec30 = dec29.advanced(by: 1), dec31 = dec29.advanced(by: 2)
        XCTAssertEqual(apia.startMicros(of: dec29), utc(2011, 12, 29, 10, 0))
        XCTAssertEqual(apia.startMicros(of: dec30), utc(2011, 12, 30, 10, 0))
        XCTAssertEqual(apia.startMicros(of: dec31), utc(2011, 12, 30, 10, 0))
        XCTAssertEqual(apia.day(ofMicros: utc(2011, 12, 30, 9, 0)), dec29, "23:00 on the 29th, local time")
    }

    func testEveryDaysStartIsTheFirstInstantOfThatDay() {
        // Whatever the zone does at midnight, the start of D is on D (or later, for a skipped day) and the second
        // before it is on an earlier day, so the bounds of consecutive days leave no instant out.
        for zone in ["Europe/London", "America/New_York", "America/Santiago", "Africa/Cairo", "America/Havana",
                     "Asia/Beirut", "Pacific/Apia", "Asia/Kolkata", "Pacific/Kiritimati", "Australia/Lord_Howe"] {
            let cal = ShopCalendar(identifier: zone)!
            for year in [2011, 2026] {
                for d in ShopDayRange(ShopDay(year: year, month: 1, day: 1), ShopDay(year: year, month: 12, day: 31)) {
                    let s = cal.startMicros(of: d)
                    XCTAssertGreaterThanOrEqual(cal.day(ofMicros: s), d, "\(zone) \(d)")
                    XCTAssertLessThan(cal.day(ofMicros: s - 1_000_000), d, "\(zone) \(d)")
                }
            }
        }
    }

    func testHourIsTheShopsClockHour() {
        XCTAssertEqual(kigali.hour(ofMicros: utc(2026, 11, 23, 21, 30)), 23)  // 23:30 Kigali
        XCTAssertEqual(kigali.hour(ofMicros: utc(2026, 11, 23, 22, 0)), 0)    // midnight Kigali
        XCTAssertEqual(kigali.hour(ofMicros: utc(2026, 11, 23, 21, 59, 59)), 23)
        XCTAssertEqual(kigali.hour(ofMicros: utc(1969, 12, 31, 21, 0)), 23)   // before the epoch
        let london = ShopCalendar(identifier: "Europe/London")!
        XCTAssertEqual(london.hour(ofMicros: utc(2026, 7, 1, 11, 15)), 12)   // summer time, UTC+1
        XCTAssertEqual(london.hour(ofMicros: utc(2026, 12, 1, 11, 15)), 11)
    }

    func testShopDayParsesOnlyRealDates() {
        XCTAssertEqual(ShopDay(iso: "2026-11-23")?.epochDay, 20_780)
        XCTAssertEqual(ShopDay(iso: "2024-02-29")?.iso, "2024-02-29")
        XCTAssertNil(ShopDay(iso: "2026-02-29"))
        XCTAssertNil(ShopDay(iso: "2026-11-31"))
        XCTAssertNil(ShopDay(iso: "23/11/2026"))
        XCTAssertNil(ShopDay(iso: "2026-1-5"))
        XCTAssertEqual(ShopDay(year: 2026, month: 11, day: 23).isoWeekday, 1, "23 November 2026 is a Monday")
    }

    func testUnknownZoneIsRefused() {
        XCTAssertNil(ShopCalendar(identifier: "Africa/Atlantis"))
    }

    func testInstantLiteral() {
        XCTAssertEqual(Instant.utcString(micros: utc(2026, 11, 23, 21, 30) + 5), "2026-11-23 21:30:00.000005+00")
        XCTAssertEqual(Instant.utcString(micros: -1), "1969-12-31 23:59:59.999999+00", "before 1970 the day and second count down")
        XCTAssertEqual(Instant.utcString(micros: 0), "1970-01-01 00:00:00.000000+00")
        // SELECT extract(epoch from '2099-12-31 23:59:59+00'::timestamptz) = 4102444799
        XCTAssertEqual(Instant.utcString(micros: 4_102_444_799_000_000), "2099-12-31 23:59:59.000000+00")
        let t = Instant.utc(micros: -1)
        XCTAssertEqual(t.day.iso, "1969-12-31"); XCTAssertEqual(t.second, 86_399); XCTAssertEqual(t.microsecond, 999_999)
    }

    /// `iso` is C's `%04d-%02d-%02d`: four-digit years, zero-padded, a sign before a negative year.
    func testISODaysArePaddedLikePrintf() {
        XCTAssertEqual(ShopDay(year: 2026, month: 1, day: 5).iso, "2026-01-05")
        XCTAssertEqual(ShopDay(year: 1969, month: 12, day: 31).iso, "1969-12-31")
        XCTAssertEqual(ShopDay(year: 44, month: 3, day: 15).iso, "0044-03-15")
        XCTAssertEqual(ShopDay(year: 0, month: 2, day: 29).iso, "0000-02-29")
        XCTAssertEqual(ShopDay(year: -43, month: 3, day: 15).iso, "-043-03-15")
        XCTAssertEqual(ShopDay(year: 10_000, month: 1, day: 1).iso, "10000-01-01")
    }
}

final class MoneyTests: XCTestCase {
    func testAverageRoundsHalfAwayFromZero() {
        XCTAssertEqual(Money(hundredths: 20_001).divided(by: 2).hundredths, 10_001, "100.005 rounds up to 100.01")
        XCTAssertEqual(Money(hundredths: 100_000).divided(by: 3).hundredths, 33_333)
        XCTAssertEqual(Money(hundredths: 200_000).divided(by: 3).hundredths, 66_667)
        XCTAssertEqual(Money(hundredths: -20_001).divided(by: 2).hundredths, -10_001)
        XCTAssertEqual(Money(hundredths: 5).divided(by: 0), .zero, "no sales: average is 0")
    }

    func testFormatting() {
        XCTAssertEqual(Money(hundredths: 123_456_750).description, "RWF 1,234,568")
        XCTAssertEqual(Money(hundredths: 123_456_750).decimalString, "1234567.50")
        XCTAssertEqual(Money(hundredths: -5).decimalString, "-0.05")
        XCTAssertEqual(Money(hundredths: 99_949).wholeFrancs, 999)
        XCTAssertEqual(Money(hundredths: 99_950).wholeFrancs, 1000)
    }

    func testParsing() {
        XCTAssertEqual(Money(decimal: "1234.5")?.hundredths, 123_450)
        XCTAssertEqual(Money(decimal: "-0.05")?.hundredths, -5)
        XCTAssertNil(Money(decimal: "1.234"))
        XCTAssertNil(Money(decimal: "abc"))
    }
}

final class ShopPeriodTests: XCTestCase {
    let d = ShopDay(iso: "2026-11-25")!  // a Wednesday

    func testWeekIsMondayToSunday() {
        XCTAssertEqual(ShopPeriod.week.range(containing: d).description, "2026-11-23..2026-11-29")
        XCTAssertEqual(ShopPeriod.week.previous(ShopPeriod.week.range(containing: d)).description, "2026-11-16..2026-11-22")
        XCTAssertEqual(ShopPeriod.week.sameLastYear(ShopPeriod.week.range(containing: d)).description, "2025-11-24..2025-11-30")
        XCTAssertEqual(ShopPeriod.week.label(ShopPeriod.week.range(containing: d)), "Week 48, 2026 (23 Nov – 29 Nov)")
        XCTAssertEqual(ShopDay(iso: "2027-01-01")!.isoWeek.week, 53, "1 January 2027 (a Friday) is in week 53 of 2026")
        XCTAssertEqual(ShopDay(iso: "2027-01-01")!.isoWeek.year, 2026)
    }

    func testMonthAndItsComparisons() {
        let nov = ShopPeriod.month.range(containing: d)
        XCTAssertEqual(nov.description, "2026-11-01..2026-11-30")
        XCTAssertEqual(ShopPeriod.month.previous(nov).description, "2026-10-01..2026-10-31")
        XCTAssertEqual(ShopPeriod.month.sameLastYear(nov).description, "2025-11-01..2025-11-30")
        XCTAssertEqual(ShopPeriod.month.range(containing: ShopDay(iso: "2028-02-10")!).count, 29)
        XCTAssertEqual(ShopPeriod.month.label(nov), "November 2026")
    }

    func testDayComparesWithTheSameWeekdayLastYear() {
        let day = ShopPeriod.day.range(containing: d)
        XCTAssertEqual(ShopPeriod.day.previous(day).description, "2026-11-24")
        XCTAssertEqual(ShopPeriod.day.sameLastYear(day).description, "2025-11-26")
        XCTAssertEqual(ShopDay(iso: "2025-11-26")!.isoWeekday, d.isoWeekday)
    }
}

final class ShopDayRangeTests: XCTestCase {
    func testChunksCoverTheRangeInOrder() {
        let r = ShopDayRange(ShopDay(iso: "2026-01-01")!, ShopDay(iso: "2026-03-05")!)
        XCTAssertEqual(r.chunks(ofAtMost: 31).map(\.description), ["2026-01-01..2026-01-31", "2026-02-01..2026-03-03", "2026-03-04..2026-03-05"])
        XCTAssertEqual(ShopDayRange(r.first, r.first).chunks(ofAtMost: 31).map(\.description), ["2026-01-01"])
    }
}
