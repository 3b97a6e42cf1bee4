import CCairo

#if canImport(Glibc)
import Glibc
#endif

/// An sRGB colour, e.g. `Color(0x198754)`.
public struct Color: Sendable, Equatable {
    public var red: Double, green: Double, blue: Double
    public init(_ hex: UInt32) {
        red = Double((hex >> 16) & 0xFF) / 255; green = Double((hex >> 8) & 0xFF) / 255; blue = Double(hex & 0xFF) / 255
    }
}

/// A font: DejaVu Sans (Debian's `fonts-dejavu-core`; fontconfig picks the nearest sans if missing) at a size in
/// canvas units.
public struct Font: Sendable, Equatable {
    public var size: Double
    public var bold: Bool
    public init(size: Double, bold: Bool = false) { self.size = size; self.bold = bold }
}

public enum TextAlignment: Sendable { case left, center, right }

/// What went wrong while drawing: one plain sentence.
public enum DrawingError: Error, CustomStringConvertible {
    case cairo(what: String, reason: String)
    /// The system refused to create or write the PDF file (`reason`: its words, as `strerror` gives them).
    case fileNotWritten(path: String, reason: String)
    public var description: String {
        switch self {
        case .cairo(let what, let reason):
            return "Could not \(what) (cairo: \(reason)); check that the output folder is writable and the disk has room."
        case .fileNotWritten(let path, let reason):
            return "Could not write \(path) (\(reason)); check that the output folder is writable and the disk has room."
        }
    }
}

/// A PDF's file, which cairo writes through `write`: the system's reason for a failed write is kept, where cairo's
/// own file output says only "error while writing to output stream" (a full disk, a file larger than `ulimit -f`).
private final class PDFFile {
    let path: String
    private var fd: Int32
    /// The `errno` of the first failed write or close, or 0.
    private(set) var failure: Int32 = 0

    init(path: String) throws(DrawingError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw .fileNotWritten(path: path, reason: PDFFile.words(errno)) }
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    func write(_ data: UnsafePointer<UInt8>, count: Int) -> Bool {
        var done = 0
        while done < count && failure == 0 && fd >= 0 {
            let n = Glibc.write(fd, data + done, count - done)
            if n < 0 {
                if errno != EINTR { failure = errno }
            } else {
                done += n
            }
        }
        return done == count
    }

    func close() {
        if fd >= 0 && Glibc.close(fd) != 0 && failure == 0 { failure = errno }
        fd = -1
    }

    /// The error of a failed write, if one failed.
    var error: DrawingError? { failure == 0 ? nil : .fileNotWritten(path: path, reason: PDFFile.words(failure)) }

    static func words(_ code: Int32) -> String {
        code == ENOSPC || code == EDQUOT ? "no space left on the disk" : String(cString: strerror(code)).lowercased()
    }
}

/// A drawing surface: an image that becomes PNG bytes, or a PDF file of pages. Units are CSS pixels for an image
/// (drawn at `scale` device pixels each, for sharp pictures on phones) and points (1/72 inch) for a PDF.
///
/// The only Swift code that touches cairo pointers: every one is created and freed here. Text uses cairo's own font
/// API (fontconfig + FreeType, no shaping): right for the Latin-script text of these reports.
/// Not thread-safe: one canvas per thread.
public final class Canvas {
    private let surface: OpaquePointer
    private let cr: OpaquePointer
    public let width: Double
    public let height: Double
    /// A PDF canvas's file; released after the surface, which may still write to it.
    private var file: PDFFile?

    private init(surface: OpaquePointer, width: Double, height: Double, scale: Double, what: String) throws(DrawingError) {
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            throw .cairo(what: what, reason: String(cString: cairo_status_to_string(status)))
        }
        self.surface = surface
        cr = cairo_create(surface)
        self.width = width; self.height = height
        cairo_scale(cr, scale, scale)
    }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    /// A white image `width` x `height` CSS pixels, stored at `scale` device pixels per CSS pixel.
    public static func image(width: Double, height: Double, scale: Double = 2) throws(DrawingError) -> Canvas {
        let s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32((width * scale).rounded()), Int32((height * scale).rounded()))!
        let c = try Canvas(surface: s, width: width, height: height, scale: scale, what: "create a \(Int(width))x\(Int(height)) image")
        c.fill(x: 0, y: 0, width: width, height: height, Color(0xFFFFFF))
        return c
    }

    /// A PDF file at `path` whose pages are `width` x `height` points (A4: 595.28 x 841.89).
    public static func pdf(path: String, width: Double, height: Double) throws(DrawingError) -> Canvas {
        let file = try PDFFile(path: path)
        let s = cairo_pdf_surface_create_for_stream({ closure, data, length in
            let file = Unmanaged<PDFFile>.fromOpaque(closure!).takeUnretainedValue()
            guard let data else { return CAIRO_STATUS_SUCCESS }
            return file.write(data, count: Int(length)) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR
        }, Unmanaged.passUnretained(file).toOpaque(), width, height)!
        let canvas = try Canvas(surface: s, width: width, height: height, scale: 1, what: "create the PDF \(path)")
        canvas.file = file
        return canvas
    }

    /// The image as PNG bytes.
    public func pngBytes() throws(DrawingError) -> [UInt8] {
        final class Sink { var bytes: [UInt8] = [] }
        let sink = Sink()
        try drawn("draw a PNG image")
        cairo_surface_flush(surface)
        let status = cairo_surface_write_to_png_stream(surface, { closure, data, length in
            let sink = Unmanaged<Sink>.fromOpaque(closure!).takeUnretainedValue()
            if let data { sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length))) }
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(sink).toOpaque())
        guard status == CAIRO_STATUS_SUCCESS else {
            throw .cairo(what: "write a PNG image", reason: String(cString: cairo_status_to_string(status)))
        }
        return sink.bytes
    }

    /// Ends the current PDF page and starts a new one.
    public func newPage() { cairo_show_page(cr) }

    /// Writes the PDF out; the canvas cannot be drawn on afterwards.
    public func finish() throws(DrawingError) {
        cairo_show_page(cr)
        try drawn("write the PDF")
        cairo_surface_finish(surface)
        file?.close()
        if let error = file?.error { throw error }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw .cairo(what: "write the PDF", reason: String(cString: cairo_status_to_string(status)))
        }
    }

    /// Throws when a drawing call failed: cairo then ignores every later call on this canvas without a word (a page
    /// would end early), and keeps the error on the drawing context, not on the surface.
    private func drawn(_ what: String) throws(DrawingError) {
        if let error = file?.error { throw error }
        let status = cairo_status(cr)
        guard status == CAIRO_STATUS_SUCCESS else { throw .cairo(what: what, reason: String(cString: cairo_status_to_string(status))) }
    }

    // MARK: shapes

    public func fill(x: Double, y: Double, width: Double, height: Double, _ color: Color, radius: Double = 0) {
        setColor(color)
        if radius > 0 && width > 2 * radius && height > 2 * radius {
            cairo_new_sub_path(cr)
            cairo_arc(cr, x + width - radius, y + radius, radius, -Double.pi / 2, 0)
            cairo_arc(cr, x + width - radius, y + height - radius, radius, 0, Double.pi / 2)
            cairo_arc(cr, x + radius, y + height - radius, radius, Double.pi / 2, Double.pi)
            cairo_arc(cr, x + radius, y + radius, radius, Double.pi, 3 * Double.pi / 2)
            cairo_close_path(cr)
        } else {
            cairo_rectangle(cr, x, y, width, height)
        }
        cairo_fill(cr)
    }

    public func line(from x1: Double, _ y1: Double, to x2: Double, _ y2: Double, _ color: Color, width: Double = 1) {
        setColor(color)
        cairo_set_line_width(cr, width)
        cairo_move_to(cr, x1, y1)
        cairo_line_to(cr, x2, y2)
        cairo_stroke(cr)
    }

    // MARK: text

    /// The size of `text` in `font`, wrapped at `width` when given.
    public func measure(_ text: String, _ font: Font, width: Double? = nil) -> (width: Double, height: Double) {
        select(font)
        let lines = self.lines(DisplayText.cleaned(text), width: width)
        return (lines.map(advance).max() ?? 0, Double(max(lines.count, 1)) * lineHeight(font))
    }

    /// Draws `text` with its top-left corner at (x, y), or inside a box `width` wide (wrapped at word boundaries,
    /// aligned within the box). Without a box, `alignment` places the text's left, centre or right on x.
    /// With `maxLines`, a text that needs more lines is cut after that many, its last line ending in "…" within the
    /// box, so a long name never runs into what is drawn below it. Returns the height used.
    @discardableResult
    public func text(_ text: String, x: Double, y: Double, width: Double? = nil, _ font: Font, _ color: Color,
                     alignment: TextAlignment = .left, maxLines: Int? = nil) -> Double {
        select(font)
        setColor(color)
        var extents = cairo_font_extents_t()
        cairo_font_extents(cr, &extents)
        let lh = lineHeight(font)
        var lines = self.lines(DisplayText.cleaned(text), width: width)
        if let maxLines, lines.count > max(maxLines, 1) {
            lines = Array(lines.prefix(max(maxLines, 1)))
            var last = lines[lines.count - 1]
            while !last.isEmpty, let width, advance(last + "…") > width { last.removeLast() }
            lines[lines.count - 1] = last + "…"
        }
        for (n, line) in lines.enumerated() {
            let w = advance(line)
            var left = x
            switch (alignment, width) {
            case (.left, _): break
            case (.center, let box?): left += (box - w) / 2
            case (.right, let box?): left += box - w
            case (.center, nil): left -= w / 2
            case (.right, nil): left -= w
            }
            cairo_move_to(cr, left, y + Double(n) * lh + (lh - extents.height) / 2 + extents.ascent)
            cairo_show_text(cr, line)
        }
        return Double(max(lines.count, 1)) * lh
    }

    private func select(_ font: Font) {
        cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, font.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, font.size)
    }

    private func lineHeight(_ font: Font) -> Double { (font.size * 1.25).rounded(.up) }

    private func advance(_ s: String) -> Double {
        var e = cairo_text_extents_t()
        cairo_text_extents(cr, s, &e)
        return e.x_advance
    }

    /// The text's lines: split at newlines, then (with a width) filled word by word; a word wider than the box is
    /// cut between characters.
    private func lines(_ text: String, width: Double?) -> [String] {
        var out: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            guard let width else { out.append(paragraph); continue }
            var line = ""
            for word in paragraph.split(separator: " ").map(String.init) {
                let candidate = line.isEmpty ? word : line + " " + word
                if advance(candidate) <= width { line = candidate; continue }
                if !line.isEmpty { out.append(line); line = "" }
                var piece = ""
                for ch in word {
                    if !piece.isEmpty && advance(piece + String(ch)) > width { out.append(piece); piece = "" }
                    piece.append(ch)
                }
                line = piece
            }
            out.append(line)
        }
        return out
    }

    private func setColor(_ c: Color) { cairo_set_source_rgb(cr, c.red, c.green, c.blue) }
}
