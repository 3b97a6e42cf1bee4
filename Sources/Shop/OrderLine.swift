/// One line of an order (`orders_orderitem`): a menu item, how many, and the line's `subtotal` (price x quantity at
/// order time, before the order-level discounts). README, "Dishes".
public struct OrderLine: Sendable, Equatable {
    public var menuItemId: Int64
    public var quantity: Int64
    public var subtotal: Money

    public init(menuItemId: Int64, quantity: Int64, subtotal: Money) {
        self.menuItemId = menuItemId; self.quantity = quantity; self.subtotal = subtotal
    }
}

/// An order line as read from the source, before it is checked.
public struct OrderLineCandidate: Sendable, Equatable {
    public var id: Int64?
    public var menuItemId: Int64?
    public var quantity: Int64?
    public var subtotal: Int64?
    /// The menu item exists in `menu_menuitem`.
    public var menuItemExists: Bool

    public init(id: Int64?, menuItemId: Int64?, quantity: Int64?, subtotal: Int64?, menuItemExists: Bool) {
        self.id = id; self.menuItemId = menuItemId; self.quantity = quantity; self.subtotal = subtotal
        self.menuItemExists = menuItemExists
    }

    /// The line, or why it is set aside (README, "Rejected rows"): a missing or unreadable value, a negative quantity
    /// or subtotal, a menu item the menu does not have.
    public func validated() -> Result<OrderLine, Rejection> {
        guard id != nil else { return .failure(Rejection(.unreadableValue, "order item id is missing")) }
        guard let menuItemId else { return .failure(Rejection(.unreadableValue, "menu_item_id is empty or not a number")) }
        guard let quantity else { return .failure(Rejection(.unreadableValue, "quantity is empty or not a number")) }
        guard let subtotal else { return .failure(Rejection(.unreadableValue, "subtotal is empty or not a number")) }
        if quantity < 0 { return .failure(Rejection(.negativeAmount, "quantity is negative (\(quantity))")) }
        if subtotal < 0 { return .failure(Rejection(.negativeAmount, "subtotal is negative (\(Money(hundredths: subtotal).decimalString))")) }
        guard menuItemExists else { return .failure(Rejection(.unknownMenuItem, "menu item \(menuItemId) does not exist in menu_menuitem")) }
        return .success(OrderLine(menuItemId: menuItemId, quantity: quantity, subtotal: Money(hundredths: subtotal)))
    }
}

/// A dish on the shop's menu (`menu_menuitem` with its `menu_category`), as named when the job runs.
public struct MenuItem: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var category: String

    public init(id: Int64, name: String, category: String) { self.id = id; self.name = name; self.category = category }
}
