/// Names that tell dishes apart in a report: two menu items may share a name ("Isombe" at lunch and at dinner), and
/// the cook and the manager then saw two rows that looked the same. A name held by more than one dish gets the dish's
/// category when that tells them apart (`Isombe (Lunch)`), else its menu number (`Isombe (menu no. 12)`); every
/// other name stays as the menu has it.
public enum DishNames {
    public static func distinguished(_ dishes: [(id: Int64, name: String, category: String)]) -> [Int64: String] {
        var out: [Int64: String] = [:]
        for group in Dictionary(grouping: dishes, by: \.name).values {
            let byCategory = group.count > 1 && Set(group.map(\.category)).count == group.count
            for d in group {
                out[d.id] = group.count == 1 ? d.name
                    : byCategory && !d.category.isEmpty ? "\(d.name) (\(d.category))" : "\(d.name) (menu no. \(d.id))"
            }
        }
        return out
    }
}
