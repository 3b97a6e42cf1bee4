import Analytics
import Foundation
import Shop

/// A report as `reports/NAME.json` defines it: period, sections, targets, recipients and who may see customer data.
/// The keys are explained in `reports/README.md`.
public struct ReportDefinition: Sendable, Decodable, Equatable {
    public var name: String
    public var title: String
    public var period: ShopPeriod
    public var trendDays: Int
    public var sections: [String]
    public var targets: [KPITarget]
    public var recipients: [ReportRecipient]
    public var customerDataRoles: [String]
    /// What the e-mail attaches: any of `xlsx`, `pdf`, `csv` (all the CSV files).
    public var attach: [String]
    public var attachCSV: Bool { attach.contains("csv") }
    /// Whether the report ends with the "For analysts" section and sheet (stored names, codes, rules, model
    /// parameters). Default true; the kitchen's plan turns it off.
    public var forAnalysts: Bool
    public static let attachable = ["xlsx", "pdf", "csv"]

    /// The section names a definition may list (`ReportSections.all`).
    public static var knownSections: [String] { ReportSections.keys }
    /// What a definition without `sections` shows: everything but the pages of their own (the kitchen's plan, one
    /// campaign's page).
    public static var defaultSections: [String] { ReportSections.defaultKeys }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, title, period, sections, targets, recipients
        case trendDays = "trend_days", customerDataRoles = "customer_data_roles", attachCSV = "attach_csv", attach
        case forAnalysts = "for_analysts"
    }

    public init(name: String, title: String, period: ShopPeriod, trendDays: Int = 30, sections: [String] = ReportDefinition.defaultSections,
                targets: [KPITarget] = [], recipients: [ReportRecipient] = [], customerDataRoles: [String] = [], attach: [String] = ["xlsx"],
                forAnalysts: Bool = true) {
        self.name = name; self.title = title; self.period = period; self.trendDays = trendDays; self.sections = sections
        self.targets = targets; self.recipients = recipients; self.customerDataRoles = customerDataRoles; self.attach = attach
        self.forAnalysts = forAnalysts
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        title = try c.decode(String.self, forKey: .title)
        period = try c.decode(ShopPeriod.self, forKey: .period)
        trendDays = try c.decodeIfPresent(Int.self, forKey: .trendDays) ?? 30
        sections = try c.decodeIfPresent([String].self, forKey: .sections) ?? ReportDefinition.defaultSections
        targets = try c.decodeIfPresent([KPITarget].self, forKey: .targets) ?? []
        recipients = try c.decodeIfPresent([ReportRecipient].self, forKey: .recipients) ?? []
        customerDataRoles = try c.decodeIfPresent([String].self, forKey: .customerDataRoles) ?? []
        // `attach_csv: true` is the older way to say `"attach": ["xlsx", "csv"]`.
        let csv = try c.decodeIfPresent(Bool.self, forKey: .attachCSV) ?? false
        attach = try c.decodeIfPresent([String].self, forKey: .attach) ?? (["xlsx"] + (csv ? ["csv"] : []))
        if csv && !attach.contains("csv") { attach.append("csv") }
        forAnalysts = try c.decodeIfPresent(Bool.self, forKey: .forAnalysts) ?? true
    }

    public func shows(_ section: String) -> Bool { sections.contains(section) }

    /// Whether a role may see customer names and phones.
    public func seesCustomerData(_ role: String) -> Bool { customerDataRoles.contains(role) }

    /// A report name is also the start of every file name it writes: 1 to 64 ASCII letters, digits, `-` and `_`,
    /// so no name can reach outside `--out` (`../x`) or hide in a path.
    public static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count) && name.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x5F
        }
    }

    public enum Failure: Error, CustomStringConvertible {
        /// `--name` is not a report name (e.g. a path).
        case badName(String)
        case notFound(name: String, folder: String, available: [String])
        case invalid(path: String, reason: String)
        public var description: String {
            switch self {
            case .badName(let name):
                return "'\(name)' is not a report name; a name has only letters, digits, - and _ (for example daily), and names the file NAME.json in the report definitions folder."
            case .notFound(let name, let folder, let available):
                return "There is no report named '\(name)' in \(folder) (available: \(available.joined(separator: ", "))); use one of those or add \(name).json."
            case .invalid(let path, let reason):
                return "The report definition \(path) is not valid (\(reason)); fix it as reports/README.md describes."
            }
        }
    }

    /// The longest title a definition may have, in characters.
    public static let maxTitleLength = 200
    /// The largest goal a target may have (francs or a count): its hundredths, and the progress worked out from them,
    /// stay far inside a whole number's range (a revenue goal of 10^17 francs overflowed it).
    public static let maxGoal: Int64 = 1_000_000_000_000_000

    /// Where a value sits, as a person writes it: `targets[0].kpi`.
    static func place(_ path: [any CodingKey]) -> String {
        path.reduce("") { s, key in
            if let i = key.intValue { return s + "[\(i)]" }
            return s.isEmpty ? key.stringValue : s + "." + key.stringValue
        }
    }

    /// The first key that appears twice in one object of `data` (valid JSON), with where it is (`recipients[1].role`).
    static func repeatedKey(in data: Data) -> String? {
        struct Level { var isObject: Bool; var path: String; var keys: Set<String> = []; var index = 0; var lastKey = "" }
        let b = [UInt8](data)
        var stack: [Level] = []
        var expectsKey = false
        func inner() -> String {
            guard let top = stack.last else { return "" }
            if !top.isObject { return top.path + "[\(top.index)]" }
            return top.path.isEmpty ? top.lastKey : top.path + "." + top.lastKey
        }
        var i = 0
        while i < b.count {
            switch b[i] {
            case UInt8(ascii: "{"): stack.append(Level(isObject: true, path: inner())); expectsKey = true
            case UInt8(ascii: "["): stack.append(Level(isObject: false, path: inner())); expectsKey = false
            case UInt8(ascii: "}"), UInt8(ascii: "]"): _ = stack.popLast(); expectsKey = false
            case UInt8(ascii: ","):
                if stack.last?.isObject == true { expectsKey = true } else if !stack.isEmpty { stack[stack.count - 1].index += 1 }
            case UInt8(ascii: "\""):
                var j = i + 1
                while j < b.count && b[j] != UInt8(ascii: "\"") { j += b[j] == UInt8(ascii: "\\") ? 2 : 1 }
                if expectsKey, !stack.isEmpty {
                    let raw = Data(b[i..<min(j + 1, b.count)])
                    // The key as JSON means it (`"ti\u0074le"` is `title`).
                    let key = (try? JSONSerialization.jsonObject(with: raw, options: .fragmentsAllowed)) as? String ?? String(decoding: raw, as: UTF8.self)
                    let top = stack.count - 1
                    guard stack[top].keys.insert(key).inserted else { return stack[top].path.isEmpty ? key : stack[top].path + "." + key }
                    stack[top].lastKey = key
                    expectsKey = false
                }
                i = j
            default: break
            }
            i += 1
        }
        return nil
    }

    /// The keys a definition's objects may hold: the definition's own, a recipient's and a target's.
    static let knownKeys: [(within: String, keys: [String])] = [
        ("", CodingKeys.allCases.map(\.rawValue)), ("recipients", ["name", "email", "role"]), ("targets", ["kpi", "goal"]),
    ]

    /// The first key of `data` (valid JSON) that no reader of a definition knows, with where it is
    /// (`recipients[0].rol`): Foundation passes over it, so a mistyped key (`customer_data_role`) silently meant its
    /// default, and every reader got the masked copy.
    static func unknownKey(in top: [String: Any]) -> String? {
        for (within, keys) in knownKeys {
            let objects = within.isEmpty ? [top] : (top[within] as? [Any] ?? []).map { $0 as? [String: Any] ?? [:] }
            for (i, object) in objects.enumerated() {
                if let key = object.keys.sorted().first(where: { !keys.contains($0) }) {
                    return within.isEmpty ? key : "\(within)[\(i)].\(key)"
                }
            }
        }
        return nil
    }

    /// Where a definition that is valid JSON holds a number its reader cannot take as a whole number (`"goal": 0.5`,
    /// `"trend_days": 1e30`): Foundation says only that the data is corrupted, with no place.
    static func wholeNumberMissing(in top: [String: Any]) -> String? {
        func whole(_ v: Any?) -> Bool {
            guard let n = v as? NSNumber else { return true }  // absent, or not a number: another check says so
            let d = n.doubleValue
            return d == d.rounded() && abs(d) <= 9.2e18
        }
        if !whole(top["trend_days"]) { return "trend_days" }
        for (i, t) in (top["targets"] as? [Any] ?? []).enumerated() where !whole((t as? [String: Any])?["goal"]) {
            return "targets[\(i)].goal"
        }
        return nil
    }

    /// Reads `<folder>/<name>.json` and checks it.
    public static func load(name: String, folder: String) throws -> ReportDefinition {
        guard isValidName(name) else { throw Failure.badName(name) }
        let path = folder + "/" + name + ".json"
        guard let data = FileManager.default.contents(atPath: path) else {
            let available = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
                .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.filter(isValidName).sorted()
            throw Failure.notFound(name: name, folder: folder, available: available)
        }
        // The file as plain JSON, for the checks Foundation's decoder cannot make (nil when it is not a JSON object).
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        let def: ReportDefinition
        do {
            def = try JSONDecoder().decode(ReportDefinition.self, from: data)
        } catch let DecodingError.dataCorrupted(ctx) {
            // Foundation says "not valid JSON" for a number too large for its field too (1e30 as a goal), with no path.
            let at = place(ctx.codingPath)
            let reason: String
            switch ctx.codingPath.last?.stringValue {
            case _ where at.isEmpty:
                reason = object.flatMap(wholeNumberMissing).map { "\($0) must be a whole number, without a fraction and within its range" }
                    ?? "it is not valid JSON, or it holds a number too large for its field"
            case "period"?: reason = "\(at) must be one of day, week, month, quarter"
            case "kpi"?: reason = "\(at) must be one of \(KPI.allCases.map(\.rawValue).joined(separator: ", "))"
            default: reason = "the value at \(at) cannot be read (a number too large, or text where a number goes)"
            }
            throw Failure.invalid(path: path, reason: reason)
        } catch let DecodingError.keyNotFound(key, ctx) {
            let within = place(ctx.codingPath)
            throw Failure.invalid(path: path, reason: "the key '\(key.stringValue)' is missing" + (within.isEmpty ? "" : " in \(within)"))
        } catch let DecodingError.valueNotFound(_, ctx) {
            throw Failure.invalid(path: path, reason: "\(place(ctx.codingPath)) is null; give it a value")
        } catch let DecodingError.typeMismatch(_, ctx) {
            let at = place(ctx.codingPath)
            throw Failure.invalid(path: path, reason: at.isEmpty ? "it must be one JSON object, { \"name\": ..., \"title\": ..., ... }"
                                                                 : "the value at \(at) has the wrong type")
        } catch {
            throw Failure.invalid(path: path, reason: "it cannot be read")
        }
        // Foundation keeps the last of two equal keys without a word: "customer_data_roles" given twice is read as the
        // second, whatever the first said.
        if let repeated = repeatedKey(in: data) {
            throw Failure.invalid(path: path, reason: "the key '\(repeated)' is given twice; keep one")
        }
        if let unknown = object.flatMap(unknownKey) {
            throw Failure.invalid(path: path, reason: "the key '\(unknown)' is not one a definition has (reports/README.md lists them); correct or remove it")
        }
        guard (1...maxTitleLength).contains(def.title.count),
              !def.title.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else {
            throw Failure.invalid(path: path, reason: "\"title\" must be one line of 1 to \(maxTitleLength) characters (it heads every page and is the e-mail's subject)")
        }
        if let t = def.targets.first(where: { !(1...maxGoal).contains($0.goal) }) {
            throw Failure.invalid(path: path, reason: "the \(t.kpi.rawValue) target's goal is \(t.goal); a goal is a whole number from 1 to 1,000,000,000,000,000")
        }
        guard isValidName(def.name) else {
            throw Failure.invalid(path: path, reason: "\"name\" must be letters, digits, - and _ only (it starts every file name the report writes)")
        }
        // The name starts every file the report writes and is how its e-mails are recorded: kitchen.json named "daily"
        // wrote over the daily report's files, and its e-mails counted as the daily report's, which was then skipped as
        // already sent.
        guard def.name == name else {
            throw Failure.invalid(path: path, reason: "its \"name\" is '\(def.name)', not '\(name)' as its file's; make them the same")
        }
        if def.period == .range {
            throw Failure.invalid(path: path, reason: "period 'range' is for `report --from --to`; use day, week, month or quarter")
        }
        if let unknown = def.sections.first(where: { !knownSections.contains($0) }) {
            throw Failure.invalid(path: path, reason: "unknown section '\(unknown)'; known: \(knownSections.joined(separator: ", "))")
        }
        // Each section once: one listed twice was read twice and then placed at both places, so it showed four times
        // (and its sheets eight).
        if let twice = def.sections.enumerated().first(where: { def.sections[..<$0.offset].contains($0.element) })?.element {
            throw Failure.invalid(path: path, reason: "the section '\(twice)' is listed twice; list each section once")
        }
        // A role decides what a recipient sees: an empty one is a mistake, not a role (its reader got a masked copy
        // without a word).
        if let i = def.recipients.firstIndex(where: { $0.role.allSatisfy(\.isWhitespace) }) {
            throw Failure.invalid(path: path, reason: "recipients[\(i)] has an empty role; give each recipient a role, such as manager or kitchen")
        }
        // Roles are compared as written: "Manager" against customer_data_roles ["manager"] got the masked copy while
        // the run's line and the delivery log said manager.
        for r in def.recipients where !def.customerDataRoles.contains(r.role) {
            if let written = def.customerDataRoles.first(where: { $0.lowercased() == r.role.lowercased() }) {
                throw Failure.invalid(path: path, reason: "the role '\(r.role)' of recipient '\(r.email)' differs only in capitals from '\(written)' in customer_data_roles; write it the same way")
            }
        }
        if let bad = def.recipients.first(where: { !$0.email.contains("@") }) {
            throw Failure.invalid(path: path, reason: "recipient '\(bad.email)' is not an e-mail address")
        }
        if let bad = def.attach.first(where: { !attachable.contains($0) }) {
            throw Failure.invalid(path: path, reason: "attach lists '\(bad)'; it may hold \(attachable.joined(separator: ", "))")
        }
        guard def.trendDays >= 1 && def.trendDays <= 731 else { throw Failure.invalid(path: path, reason: "trend_days must be 1 to 731") }
        return def
    }
}

/// Someone a report is sent to, with the role that decides what they may see.
public struct ReportRecipient: Sendable, Decodable, Equatable {
    public var name: String
    public var email: String
    public var role: String
    public init(name: String, email: String, role: String) { self.name = name; self.email = email; self.role = role }
}

/// Who a rendering is for: customer names and phones appear only when `showsCustomerData`.
public struct Audience: Sendable, Equatable {
    public var role: String
    public var showsCustomerData: Bool
    public init(role: String, showsCustomerData: Bool) { self.role = role; self.showsCustomerData = showsCustomerData }

    /// The analyst's own copy on disk: everything.
    public static let full = Audience(role: "analyst", showsCustomerData: true)

    /// A customer's name as this audience may see it: as is, or initials (`Aline Uwase` -> `A. U.`; `CustomerPrivacy`).
    public func name(_ s: String) -> String { showsCustomerData ? s : CustomerPrivacy.maskName(s) }
    /// A phone number as this audience may see it: as is, or all but the last three digits hidden.
    public func phone(_ s: String) -> String { showsCustomerData ? s : CustomerPrivacy.maskPhone(s) }
}
