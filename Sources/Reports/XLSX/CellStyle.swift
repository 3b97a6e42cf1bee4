/// Horizontal alignment of a cell's content.
public enum Alignment: Hashable, Sendable {
    case left, center, right
    /// Centre across the selected (formatted) cells without merging them;
    /// works in constant-memory mode, unlike merged ranges.
    case centerAcrossSelection
}

/// Vertical alignment of a cell's content (Excel's default is bottom).
public enum VerticalAlignment: Hashable, Sendable {
    case top, center, bottom
}

/// A value description of a cell format. Workbooks turn each distinct
/// `CellStyle` into exactly one native format (see `Workbook.format(_:)`).
///
/// Colours are `0xRRGGBB`.
public struct CellStyle: Hashable, Sendable {
    /// Excel number format, e.g. `#,##0" RWF"`, `0.0%`, `yyyy-mm-dd`. `nil` = General.
    public var numberFormat: String?
    public var bold: Bool
    public var italic: Bool
    public var fontColor: UInt32?
    public var background: UInt32?
    public var wrap: Bool
    public var align: Alignment?
    public var verticalAlign: VerticalAlignment?
    /// Thin border on all four sides.
    public var border: Bool
    public var fontSize: Double?

    public init(
        numberFormat: String? = nil, bold: Bool = false, italic: Bool = false,
        fontColor: UInt32? = nil, background: UInt32? = nil, wrap: Bool = false,
        align: Alignment? = nil, verticalAlign: VerticalAlignment? = nil, border: Bool = false, fontSize: Double? = nil
    ) {
        self.verticalAlign = verticalAlign
        self.numberFormat = numberFormat
        self.bold = bold
        self.italic = italic
        self.fontColor = fontColor
        self.background = background
        self.wrap = wrap
        self.align = align
        self.border = border
        self.fontSize = fontSize
    }

    /// A copy with some fields changed: `CellStyle.money.with { $0.bold = true }`.
    public func with(_ change: (inout CellStyle) -> Void) -> CellStyle {
        var copy = self
        change(&copy)
        return copy
    }

    // MARK: The house styles

    /// Column header: bold, light blue-grey fill, thin border, wrapped, centred both ways (write it with
    /// `Sheet.writeHeader`, which makes the row tall enough for the wrapped text).
    public static let header = CellStyle(
        bold: true, background: 0xD9E1F2, wrap: true, align: .center, verticalAlign: .center, border: true)
    /// Whole Rwandan francs: `1,234,568 RWF`.
    public static let money = CellStyle(numberFormat: "#,##0\" RWF\"")
    /// Francs with cents: `1,234,567.50 RWF`.
    public static let moneyCents = CellStyle(numberFormat: "#,##0.00\" RWF\"")
    /// Whole numbers with thousands separators.
    public static let integer = CellStyle(numberFormat: "#,##0")
    /// One decimal percent; the cell value is a fraction (0.123 shows as 12.3%).
    public static let percent = CellStyle(numberFormat: "0.0%")
    /// ISO date.
    public static let date = CellStyle(numberFormat: "yyyy-mm-dd")
    /// Text format (`@`): Excel will not reinterpret what is typed later.
    public static let text = CellStyle(numberFormat: "@")
    /// Sheet title: bold 14 pt.
    public static let title = CellStyle(bold: true, fontSize: 14)
    /// Totals row: bold with a thin top/bottom border look (thin border all round).
    public static let total = CellStyle(bold: true, border: true)
}

/// A native format owned by one `Workbook`. Obtain it from `Workbook.format(_:)`;
/// it is only valid with sheets of that same workbook.
public struct Format {
    /// The style this format was built from.
    public let style: CellStyle
    let owner: WorkbookToken
    let index: Int
}

/// Identity token of a workbook, held by its formats (so a format from one
/// workbook can never be applied to another, even after the first is freed).
final class WorkbookToken: Sendable {}
