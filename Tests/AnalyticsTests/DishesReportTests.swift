import Analytics
import Shop
import XCTest

/// The Dishes, Hours and kitchen figures on small hand-made inputs (README, "Dishes", "Hours", "Kitchen report").
final class DishesReportTests: XCTestCase {
    let mon = ShopDay(iso: "2026-11-23")!

    private func item(_ day: ShopDay, _ id: Int64, _ name: String, _ qty: Int64, _ francs: Int64, category: String = "Mains") -> ItemSales {
        ItemSales(day: day, menuItemId: id, name: name, category: category, quantity: qty, revenue: Money(francs: francs))
    }

    func testTopDishesCategoriesRisersAndFallers() {
        let week = ShopDayRange(mon, mon.advanced(by: 6)), before = ShopDayRange(mon.advanced(by: -7), mon.advanced(by: -1))
        let rows = [
            item(mon, 1, "Brochettes", 10, 20_000, category: "Grills"), item(mon.advanced(by: 2), 1, "Brochettes", 5, 10_000, category: "Grills"),
            item(mon, 2, "Isombe", 12, 18_000), item(mon, 3, "Juice", 4, 4_000, category: "Drinks"),
            item(before.first, 1, "Brochettes (old name)", 20, 40_000, category: "Grills"), item(before.first, 3, "Juice", 1, 1_000, category: "Drinks"),
            item(before.first, 4, "Soup", 6, 6_000),
            item(mon.advanced(by: 7), 2, "Isombe", 99, 99_000),  // after the week: ignored
        ]
        let r = DishesReport(range: week, previousRange: before, rows: rows)
        XCTAssertEqual(r.topByQuantity().map(\.name), ["Brochettes", "Isombe", "Juice"])
        XCTAssertEqual(r.topByQuantity().map(\.quantity), [15, 12, 4])
        XCTAssertEqual(r.topByRevenue().map(\.name), ["Brochettes", "Isombe", "Juice"])
        XCTAssertEqual(r.totalQuantity, 31)
        XCTAssertEqual(r.totalRevenue, Money(francs: 52_000))
        XCTAssertEqual(r.risers().map(\.name), ["Isombe", "Juice"])       // +12, +3
        XCTAssertEqual(r.fallers().map(\.name), ["Soup", "Brochettes"])   // -6, -5
        XCTAssertEqual(r.fallers().map(\.quantityChange), [-6, -5])
        let cats = r.categories
        XCTAssertEqual(cats.map(\.category), ["Grills", "Mains", "Drinks"])
        XCTAssertEqual(cats.map(\.revenue), [Money(francs: 30_000), Money(francs: 18_000), Money(francs: 4_000)])
        XCTAssertEqual(cats[1].dishes, 1)  // Soup sold nothing this week
        XCTAssertEqual(cats[0].share!, 30_000.0 / 52_000.0, accuracy: 1e-12)
        XCTAssertEqual(cats[1].previousRevenue, Money(francs: 6_000))
    }

    /// Two menu items named "Isombe" showed as two rows that looked the same, in the dishes and the kitchen's plan.
    func testDishesSharingANameAreToldApart() {
        let week = ShopDayRange(mon, mon.advanced(by: 6)), before = ShopDayRange(mon.advanced(by: -7), mon.advanced(by: -1))
        let rows = [item(mon, 1, "Isombe", 5, 5_000, category: "Lunch"), item(mon, 2, "Isombe", 3, 3_000, category: "Dinner"),
                    item(mon, 3, "Juice", 4, 4_000, category: "Drinks"), item(mon, 4, "Juice", 2, 2_000, category: "Drinks"),
                    item(mon, 5, "Soup", 1, 1_000)]
        let r = DishesReport(range: week, previousRange: before, rows: rows)
        XCTAssertEqual(r.topByQuantity().map(\.name), ["Isombe (Lunch)", "Juice (menu no. 3)", "Isombe (Dinner)", "Juice (menu no. 4)", "Soup"])
        let plan = KitchenPlan(day: mon, rows: rows, computed: [mon])
        XCTAssertEqual(Set(plan.dishes.map(\.name)), ["Isombe (Lunch)", "Isombe (Dinner)", "Juice (menu no. 3)", "Juice (menu no. 4)", "Soup"])
    }

    func testHoursAddUpByWeekdayAndHour() {
        let rows = [HourlySales(day: mon, hour: 12, orders: 3, revenue: Money(francs: 9_000)),
                    HourlySales(day: mon.advanced(by: 7), hour: 12, orders: 2, revenue: Money(francs: 4_000)),
                    HourlySales(day: mon.advanced(by: 1), hour: 19, orders: 4, revenue: Money(francs: 8_000))]
        let h = HoursReport(range: ShopDayRange(mon, mon.advanced(by: 13)), rows: rows)
        XCTAssertEqual(h.orders[0][12], 5)
        XCTAssertEqual(h.revenue[0][12], Money(francs: 13_000))
        XCTAssertEqual(h.orders[1][19], 4)
        XCTAssertEqual(h.daysPerWeekday, [2, 2, 2, 2, 2, 2, 2])
        XCTAssertEqual(h.busiest?.weekday, 0)
        XCTAssertEqual(h.busiest?.hour, 12)
        XCTAssertEqual(h.ordersByHour[19], 4)
    }

    func testKitchenPlanAveragesComputedSameWeekdaysOnly() {
        // Report day: Thursday 26 November. Tomorrow is Saturday 28: Saturdays 21, 14, 7 and 31 October.
        let day = ShopDay(iso: "2026-11-26")!
        let sat21 = ShopDay(iso: "2026-11-21")!, sat14 = ShopDay(iso: "2026-11-14")!
        let rows = [item(sat21, 1, "Brochettes", 3, 6_000), item(sat14, 1, "Brochettes", 4, 8_000), item(day, 2, "Isombe", 2, 3_000)]
        // 31 October was never computed: three Saturdays count, and Saturday 7 (computed, nothing sold) is a 0.
        let computed = Set(KitchenPlan.daysNeeded(for: day).filter { $0 != ShopDay(iso: "2026-10-31")! })
        let plan = KitchenPlan(day: day, rows: rows, computed: computed)
        XCTAssertEqual(plan.tomorrow, ShopDay(iso: "2026-11-28")!)
        XCTAssertEqual(plan.weeksComputed.tomorrow, 3)
        XCTAssertEqual(plan.weeksComputed.today, 4)
        XCTAssertEqual(plan.dishes.map(\.name), ["Brochettes", "Isombe"])
        let b = plan.dishes[0]
        XCTAssertEqual(b.tomorrow.counts, [3, 4, 0])
        XCTAssertEqual(b.tomorrow.expectedHundredths, 233)   // 7 / 3 = 2.33
        XCTAssertEqual(b.tomorrow.expectedPortions, 2)
        XCTAssertEqual(b.tomorrow.lowest, 0)
        XCTAssertEqual(b.tomorrow.highest, 4)
        XCTAssertEqual(b.yesterday, 0)
        XCTAssertEqual(plan.dishes[1].yesterday, 2)
        XCTAssertEqual(plan.dishes[1].tomorrow.expectedHundredths, 0)
    }
}
