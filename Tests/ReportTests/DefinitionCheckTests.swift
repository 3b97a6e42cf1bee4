import Foundation
import XCTest

@testable import Reports

/// A report definition that cannot be trusted is refused before anything is read, rendered or sent, in one sentence
/// that says where the fault is (reports/README.md).
final class DefinitionCheckTests: XCTestCase {
    /// Why `daily.json` holding `json` is refused, or nil when it is accepted.
    func refusal(_ json: String) throws -> String? {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("defs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(json.utf8).write(to: dir.appendingPathComponent("daily.json"))
        do {
            _ = try ReportDefinition.load(name: "daily", folder: dir.path)
            return nil
        } catch ReportDefinition.Failure.invalid(_, let reason) {
            return reason
        }
    }

    func daily(_ rest: String) -> String { #"{"name": "daily", "title": "Daily", "period": "day""# + rest + "}" }

    /// A revenue goal of 10^17 francs passed, and its hundredths overflowed: `report` and `send` stopped on a Swift trap.
    func testAGoalOutsideOneToAQuadrillionIsRefused() throws {
        XCTAssertEqual(try refusal(daily(#", "targets": [{"kpi": "revenue", "goal": 100000000000000000}]"#)),
                       "the revenue target's goal is 100000000000000000; a goal is a whole number from 1 to 1,000,000,000,000,000")
        XCTAssertEqual(try refusal(daily(#", "targets": [{"kpi": "sales", "goal": 0}]"#)),
                       "the sales target's goal is 0; a goal is a whole number from 1 to 1,000,000,000,000,000")
        XCTAssertNotNil(try refusal(daily(#", "targets": [{"kpi": "sales", "goal": -5}]"#)))
        XCTAssertNil(try refusal(daily(#", "targets": [{"kpi": "revenue", "goal": 1000000000000000}]"#)))
    }

    /// Foundation kept the second of two equal keys without a word.
    func testAKeyGivenTwiceIsRefused() throws {
        XCTAssertEqual(try refusal(daily(#", "customer_data_roles": ["manager"], "customer_data_roles": ["kitchen"]"#)),
                       "the key 'customer_data_roles' is given twice; keep one")
        XCTAssertEqual(try refusal(daily(#", "recipients": [{"name": "A", "email": "a@x.rw", "role": "manager"}, "#
                                         + #"{"name": "B", "email": "b@x.rw", "role": "kitchen", "r\u006fle": "manager"}]"#)),
                       "the key 'recipients[1].role' is given twice; keep one")
        XCTAssertNil(try refusal(daily(#", "recipients": [{"name": "role", "email": "a@x.rw", "role": "manager"}, "#
                                       + #"{"name": "\"role\", \\", "email": "b@x.rw", "role": "kitchen"}]"#)),
                     "the same key in two objects, and a key's name as a value, are no repeat")
    }

    /// Foundation passed over a key it did not know, so a mistyped one silently meant its default: every reader masked.
    func testAKeyNoDefinitionHasIsRefused() throws {
        let reason = { (key: String) in "the key '\(key)' is not one a definition has (reports/README.md lists them); correct or remove it" }
        XCTAssertEqual(try refusal(daily(#", "customer_data_role": ["manager"]"#)), reason("customer_data_role"))
        XCTAssertEqual(try refusal(daily(#", "recipients": [{"name": "A", "email": "a@x.rw", "role": "manager", "rol": "x"}]"#)),
                       reason("recipients[0].rol"))
        XCTAssertEqual(try refusal(daily(#", "targets": [{"kpi": "sales", "goal": 5, "gaol": 6}]"#)), reason("targets[0].gaol"))
        XCTAssertNil(try refusal(daily(#", "trend_days": 7, "attach_csv": true, "for_analysts": false, "targets": [{"kpi": "sales", "goal": 5}]"#)))
    }

    /// "Manager" against customer_data_roles ["manager"] got the masked copy while its line said manager.
    func testARoleDifferingOnlyInCapitalsIsRefused() throws {
        XCTAssertEqual(try refusal(daily(#", "customer_data_roles": ["manager"], "recipients": [{"name": "A", "email": "a@x.rw", "role": "Manager"}]"#)),
                       "the role 'Manager' of recipient 'a@x.rw' differs only in capitals from 'manager' in customer_data_roles; write it the same way")
        XCTAssertNil(try refusal(daily(#", "customer_data_roles": ["manager"], "recipients": [{"name": "A", "email": "a@x.rw", "role": "kitchen"}]"#)))
    }

    /// A goal of 0.5 or a trend of 7.5 days got Foundation's "not valid JSON, or a number too large", with no place.
    func testANumberThatIsNotWholeIsNamed() throws {
        XCTAssertEqual(try refusal(daily(#", "targets": [{"kpi": "sales", "goal": 5}, {"kpi": "revenue", "goal": 0.5}]"#)),
                       "targets[1].goal must be a whole number, without a fraction and within its range")
        XCTAssertEqual(try refusal(daily(#", "trend_days": 7.5"#)), "trend_days must be a whole number, without a fraction and within its range")
        XCTAssertEqual(try refusal(daily(#", "targets": [{"kpi": "sales", "goal": 1e30}]"#)),
                       "targets[0].goal must be a whole number, without a fraction and within its range")
        XCTAssertEqual(try refusal(#"{"name": "daily", "#), "it is not valid JSON, or it holds a number too large for its field")
    }

    /// A section listed twice showed four times on the page, its sheets eight times in the workbook.
    func testASectionListedTwiceIsRefused() throws {
        XCTAssertEqual(try refusal(daily(#", "sections": ["dashboard", "customers", "dashboard"]"#)),
                       "the section 'dashboard' is listed twice; list each section once")
        XCTAssertNil(try refusal(daily(#", "sections": ["dashboard", "customers"]"#)))
    }

    func testARecipientWithoutARoleIsRefused() throws {
        XCTAssertEqual(try refusal(daily(#", "recipients": [{"name": "A", "email": "a@x.rw", "role": "manager"}, {"name": "B", "email": "b@x.rw", "role": " "}]"#)),
                       "recipients[1] has an empty role; give each recipient a role, such as manager or kitchen")
    }

    /// kitchen.json named "daily" wrote over the daily report's files and its e-mails were recorded as the daily report's.
    func testANameOtherThanTheFilesIsRefused() throws {
        XCTAssertEqual(try refusal(#"{"name": "kitchen", "title": "Kitchen", "period": "day"}"#),
                       "its \"name\" is 'kitchen', not 'daily' as its file's; make them the same")
    }

    /// A huge title made a 2 MB e-mail header; a line break in it has no place in a subject.
    func testATitleIsOneLineOfUpTo200Characters() throws {
        let reason = "\"title\" must be one line of 1 to 200 characters (it heads every page and is the e-mail's subject)"
        XCTAssertEqual(try refusal(#"{"name": "daily", "title": "\#(String(repeating: "<b>", count: 100))", "period": "day"}"#), reason)
        XCTAssertEqual(try refusal(#"{"name": "daily", "title": "Daily\r\nBcc: x@example.rw", "period": "day"}"#), reason)
        XCTAssertEqual(try refusal(#"{"name": "daily", "title": "", "period": "day"}"#), reason)
        XCTAssertNil(try refusal(#"{"name": "daily", "title": "Raporo y'umunsi — Dusangire", "period": "day"}"#))
    }

    /// Each fault in words, never Foundation's debug text ("DecodingError.valueNotFound: ... Debug description: ...").
    func testEachFaultIsNamedInWords() throws {
        XCTAssertEqual(try refusal(#"{"name": "daily", "title": null, "period": "day"}"#), "title is null; give it a value")
        XCTAssertEqual(try refusal(#"{"name": "daily", "title": "Daily", "period": "year"}"#), "period must be one of day, week, month, quarter")
        XCTAssertEqual(try refusal(daily(#", "targets": [{"kpi": "revnue", "goal": 5}]"#)),
                       "targets[0].kpi must be one of revenue, sales, unique_customers, average_order_value, discounts, items_sold, refunds, cancelled_orders")
        XCTAssertEqual(try refusal(daily(#", "recipients": [{"name": "A", "email": "a@x.rw"}]"#)), "the key 'role' is missing in recipients[0]")
        XCTAssertEqual(try refusal(#"["daily"]"#), "it must be one JSON object, { \"name\": ..., \"title\": ..., ... }")
        XCTAssertEqual(try refusal(daily(#", "trend_days": "thirty""#)), "the value at trend_days has the wrong type")
    }
}
