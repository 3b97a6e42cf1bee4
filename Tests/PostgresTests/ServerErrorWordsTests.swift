@testable import Postgres
import XCTest

/// A server error a person can act on names its cause first and keeps the server's words after it. These two cannot be
/// caused on a test server without filling its disk or its memory, so they are built as libpq gives them.
final class ServerErrorWordsTests: XCTestCase {
    private func error(_ sqlState: String, _ message: String, hint: String? = nil) -> ServerError {
        var e = ServerError(message: message)
        e.sqlState = sqlState
        e.hint = hint
        return e
    }

    func testAFullDiskOnTheDatabaseServerSaysSoAndThatTheFiguresAreKept() {
        let text = error("53100", "could not extend file \"pg_tblspc/50452/PG_15_202209061/18157/50456\": No space left on device",
                         hint: "Check free disk space.").description
        XCTAssertEqual(text, "The database server's disk is full (PostgreSQL said: could not extend file \"pg_tblspc/50452/PG_15_202209061/18157/50456\": "
                       + "No space left on device (SQLSTATE 53100); hint: Check free disk space); the work in progress was rolled back, so the "
                       + "previous figures are kept: free space on that server's disk (or on the tablespace its tables live in), then run again.")
    }

    func testAServerOutOfMemorySaysSo() {
        let text = error("53200", "out of memory").description
        XCTAssertTrue(text.hasPrefix("The database server ran out of memory (PostgreSQL said: out of memory (SQLSTATE 53200)); "), text)
    }
}
