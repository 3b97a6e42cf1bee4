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
