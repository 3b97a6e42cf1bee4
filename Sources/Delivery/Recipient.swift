/// Someone a report is mailed to, with the role that decides what personal data their copy shows.
public struct Recipient: Sendable, Hashable, CustomStringConvertible {
    public var address: MailAddress
    public var role: RecipientRole

    public init(_ address: MailAddress, role: RecipientRole) {
        self.address = address
        self.role = role
    }

    /// - Parameter email: `name@domain` or `Name <name@domain>`.
    public init(email: String, role: RecipientRole) throws(DeliveryError) {
        self.init(try MailAddress(parsing: email), role: role)
    }

    public var description: String { "\(address.address) (\(role))" }
}

/// What a recipient does at the shop. Free text in the report definitions; these four are the usual ones.
public struct RecipientRole: RawRepresentable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue.trimmingSpaces.lowercased() }
    public init(_ name: String) { self.init(rawValue: name) }
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    public var description: String { rawValue }

    /// Runs the shop: sees everything, customers included.
    public static let manager: RecipientRole = "manager"
    public static let analyst: RecipientRole = "analyst"
    public static let kitchen: RecipientRole = "kitchen"
    public static let finance: RecipientRole = "finance"
}

/// Which roles may see customers' names and phone numbers in a report; every other copy shows them masked.
///
