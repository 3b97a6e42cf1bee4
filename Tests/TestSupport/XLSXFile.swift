import Foundation

/// An XLSX file opened for reading back in tests: its parts unzipped with `/usr/bin/unzip`, an independent reader.
public struct XLSXFile {
    public let path: String

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public init(_ path: String) { self.path = path }

    /// The text of one part, e.g. `xl/workbook.xml`.
    public func part(_ name: String) throws -> String {
        // unzip treats member names as wildcards: make "[" literal.
        let (status, data) = try Self.run(["-p", path, name.replacingOccurrences(of: "[", with: "[[]")])
        guard status == 0 else { throw Failure(description: "unzip -p \(path) \(name) failed (\(status))") }
        return String(decoding: data, as: UTF8.self)
    }

    /// Every part's name.
    public func parts() throws -> [String] {
        let (status, data) = try Self.run(["-Z1", path])
        guard status == 0 else { throw Failure(description: "unzip -Z1 \(path) failed (\(status))") }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Sheet names in workbook order.
    public func sheetNames() throws -> [String] {
        try part("xl/workbook.xml").components(separatedBy: "<sheet name=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    /// The worksheet XML of a sheet by name (libxlsxwriter numbers the parts in workbook order).
    public func sheet(named name: String) throws -> String {
        guard let i = try sheetNames().firstIndex(of: name) else { throw Failure(description: "no sheet named \(name)") }
        return try part("xl/worksheets/sheet\(i + 1).xml")
    }

    /// Every text a sheet shows: its string cells (shared and inline), XML entities decoded, in cell order.
    public func texts(ofSheet name: String) throws -> [String] {
        let shared = try sharedStrings()
        let xml = try sheet(named: name)
        var out: [String] = []
        for cell in xml.components(separatedBy: "<c ").dropFirst() {
            let end = cell.range(of: "</c>").map { cell[..<$0.lowerBound] } ?? Substring(cell)
            if end.contains("t=\"s\""), let v = Self.between(end, "<v>", "</v>"), let i = Int(v), shared.indices.contains(i) {
                out.append(shared[i])
            } else if end.contains("t=\"inlineStr\""), let t = Self.between(end, "<t", "</t>") {
                out.append(Self.decode(String(t.drop { $0 != ">" }.dropFirst())))
            }
        }
        return out
    }

    /// The shared strings table, entities decoded.
    public func sharedStrings() throws -> [String] {
        guard try parts().contains("xl/sharedStrings.xml") else { return [] }
        return try part("xl/sharedStrings.xml").components(separatedBy: "<si>").dropFirst().map { si in
            let body = si.components(separatedBy: "</si>")[0]
            return Self.decode(body.components(separatedBy: "<t").dropFirst().map { t in
                String(t.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" })
            }.joined())
        }
    }

    /// Chart titles and series names of every chart (what a reader sees on the charts).
    public func chartTexts() throws -> [String] {
        try parts().filter { $0.hasPrefix("xl/charts/chart") }.flatMap { name in
            // Titles (<a:t>) and series names (<c:tx><c:v>); not the cached cell values, which the axes format.
            try part(name).components(separatedBy: "<a:t>").dropFirst().map { Self.decode($0.components(separatedBy: "</a:t>")[0]) }
                + part(name).components(separatedBy: "<c:tx><c:v>").dropFirst().map { Self.decode($0.components(separatedBy: "</c:v>")[0]) }
        }
    }

    static func between(_ s: Substring, _ a: String, _ b: String) -> String? {
        guard let r1 = s.range(of: a), let r2 = s.range(of: b, range: r1.upperBound..<s.endIndex) else { return nil }
        return String(s[r1.upperBound..<r2.lowerBound])
    }

    static func decode(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    static func run(_ args: [String]) throws -> (Int32, Data) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, data)
    }
}
