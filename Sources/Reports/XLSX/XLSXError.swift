/// Everything that can go wrong while building or writing an `.xlsx` file.
///
/// Every libxlsxwriter error code is turned into one of these, with the
/// library's own `lxw_strerror` text plus where it happened (sheet, cell, path).
public enum XLSXError: Error, CustomStringConvertible, Equatable {
    /// The workbook could not be created at `path` (missing directory, not writable, out of memory).
    case cannotCreate(path: String)
    /// A write / layout call failed; the text names the sheet and cell or range.
    case writeFailed(String)
    /// `close()` could not write the file.
    case closeFailed(path: String, reason: String)
    /// A caller-side mistake caught before reaching the C library
    /// (negative/too large row or column, unknown sheet in a chart, foreign format, ...).
    case invalidArgument(String)
    /// The workbook was already closed (or discarded) when this call was made.
    case alreadyClosed(path: String)

    public var description: String {
        switch self {
        case .cannotCreate(let path):
            return "cannot create XLSX workbook at \(path): the directory does not exist or is not writable"
        case .writeFailed(let message):
            return "XLSX write failed: \(message)"
        case .closeFailed(let path, let reason):
            return "cannot write XLSX file \(path): \(reason)"
        case .invalidArgument(let message):
            return "invalid XLSX argument: \(message)"
        case .alreadyClosed(let path):
            return "XLSX workbook \(path) is already closed"
        }
    }
}
