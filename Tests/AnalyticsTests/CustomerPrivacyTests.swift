import Shop
import XCTest

final class CustomerPrivacyTests: XCTestCase {
    func testNamesKeepOnlyInitials() {
        XCTAssertEqual(CustomerPrivacy.maskName("Aline Uwase"), "A. U.")
        XCTAssertEqual(CustomerPrivacy.maskName("  jean-paul   habimana "), "J. H.")
        XCTAssertEqual(CustomerPrivacy.maskName("Émilienne Mukamana Ingabire"), "É. M. I.")
        XCTAssertEqual(CustomerPrivacy.maskName("Aline"), "A.")
        XCTAssertEqual(CustomerPrivacy.maskName(""), "")
        // One ideograph or syllable is that whole part of the name: "王. 明." was the name itself.
        XCTAssertEqual(CustomerPrivacy.maskName("王 明"), "•. •.")
        XCTAssertEqual(CustomerPrivacy.maskName("김 민"), "•. •.")
        XCTAssertEqual(CustomerPrivacy.maskName("王明 Uwase"), "王. U.")
        XCTAssertEqual(CustomerPrivacy.maskName("Aline U"), "A. U.")
        XCTAssertEqual(CustomerPrivacy.maskName("<script>alert(1)</script>"), "S.", "markup does not survive masking")
    }

    func testPhonesKeepNetworkDigitAndLastThree() {
        XCTAssertEqual(CustomerPrivacy.maskPhone("+250788123456"), "+250 7•• ••• 456")
        XCTAssertEqual(CustomerPrivacy.maskPhone("+250 788 123 456"), "+250 7•• ••• 456")
        XCTAssertEqual(CustomerPrivacy.maskPhone("00250 722-000-987"), "+250 7•• ••• 987")
        XCTAssertEqual(CustomerPrivacy.maskPhone("250788123456"), "+250 7•• ••• 456")
        XCTAssertEqual(CustomerPrivacy.maskPhone("0788 123 456"), "07•• ••• 456")
        XCTAssertEqual(CustomerPrivacy.maskPhone("+1 202 555 0147"), "+••••••••147")
        XCTAssertEqual(CustomerPrivacy.maskPhone("12345"), "•••")
        XCTAssertEqual(CustomerPrivacy.maskPhone(""), "•••")
    }
}
