import CZstd

/// A full block of COPY text as `CopyRows` keeps it while the rows wait for the load: as written, or compressed with
/// zstd at level 1 (a warehouse table's text is some 3.5 times smaller, at about 430 MB/s to compress and 1.5 GB/s
/// to read back on the bench machine).
enum CopyBlock: Sendable {
    case plain([UInt8])
    case compressed([UInt8], size: Int)

    /// `text` compressed, or as it is should zstd fail or gain nothing.
    static func compressing(_ text: [UInt8]) -> CopyBlock {
        let bound = ZSTD_compressBound(text.count)
        let packed = withUnsafeTemporaryAllocation(byteCount: bound, alignment: 16) { out -> [UInt8]? in
            let n = text.withUnsafeBytes { ZSTD_compress(out.baseAddress, bound, $0.baseAddress, $0.count, 1) }
            guard ZSTD_isError(n) == 0, n < text.count else { return nil }
            return Array(UnsafeRawBufferPointer(rebasing: out[..<n]))
        }
        return packed.map { .compressed($0, size: text.count) } ?? .plain(text)
    }

    /// Calls `body` with the block's text; a compressed block is read back into `scratch`, which the caller reuses
    /// for the next block.
    func withText(scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        switch self {
        case .plain(let text):
            try text.withUnsafeBytes(body)
        case .compressed(let packed, let size):
            if scratch.count < size { scratch = [UInt8](repeating: 0, count: size) }
            let n = scratch.withUnsafeMutableBytes { out in
                packed.withUnsafeBytes { ZSTD_decompress(out.baseAddress, size, $0.baseAddress, $0.count) }
            }
            guard ZSTD_isError(n) == 0, n == size else {
                throw CopyRowsUnreadable(reason: ZSTD_isError(n) != 0 ? String(cString: ZSTD_getErrorName(n)) : "\(n) of \(size) bytes")
            }
            try scratch.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[..<size])) }
        }
    }

    /// Bytes held.
    var heldBytes: Int {
        switch self {
        case .plain(let text): text.count
        case .compressed(let packed, _): packed.count
        }
    }
}

/// Rows kept compressed for the load could not be read back (the process's memory is damaged): nothing was loaded.
public struct CopyRowsUnreadable: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public var description: String {
        "The rows waiting for the load could not be read back (\(reason)); nothing was loaded. Run the job again; if it happens again, the machine's memory may be failing."
    }
}
