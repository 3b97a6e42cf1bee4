import CXLSXWriter
import Drawing
import Postgres
import Shop

/// A worksheet of a `Workbook`. Rows and columns are 0-based (row 0 = Excel row 1,
/// col 0 = column A). Holds its workbook strongly, so the C memory stays valid;
/// after `Workbook.close()` every throwing call fails with `.alreadyClosed`
/// and the non-throwing page-setup calls do nothing.
public final class Sheet {
    /// The final (sanitised, unique) sheet name, as shown in Excel.
    public let name: String
    public let workbook: Workbook
    private let handle: UnsafeMutablePointer<lxw_worksheet>
    /// Widths set with `setColumn`, to fit header rows to their text.
    private var columnWidths: [Int: Double] = [:]

    /// Excel limits.
    public static let maxRows = 1_048_576
    public static let maxColumns = 16_384
    /// Longest text a cell may hold; longer text is cut and ends with "…".
    public static let maxTextLength = 32_767

    init(workbook: Workbook, handle: UnsafeMutablePointer<lxw_worksheet>, name: String) {
        self.workbook = workbook
        self.handle = handle
        self.name = name
    }

    // MARK: Cells

    /// Writes one cell. `.money`, `.percent` and `.date` get their house number
    /// format when `format` is nil or has no number format of its own (so a bold
    /// total in `.money` still shows "RWF"). Text is always a string, never a formula.
    public func write(_ row: Int, _ col: Int, _ value: CellValue, _ format: Format? = nil) throws(XLSXError) {
        let ws = try open()
        try checkCell(row, col)
        let fmt = try workbook.pointer(for: effectiveFormat(value, format))
        let r = lxw_row_t(row), c = lxw_col_t(col)
        let err: lxw_error
        switch value {
        case .text(let string):
            err = worksheet_write_string(ws, r, c, Self.cellText(string), fmt)
        case .number(let number):
            try checkFinite(number, row, col)
            err = worksheet_write_number(ws, r, c, number, fmt)
        case .integer(let number):
            err = worksheet_write_number(ws, r, c, Double(number), fmt)
        case .money(let hundredths):
            // Display-only conversion: the data stays Int64 hundredths upstream.
            err = worksheet_write_number(ws, r, c, Double(hundredths) / 100, fmt)
        case .percent(let fraction):
            try checkFinite(fraction, row, col)
            err = worksheet_write_number(ws, r, c, fraction, fmt)
        case .date(let epochDay):
            if var date = Self.civilDate(epochDay: epochDay) {
                err = worksheet_write_datetime(ws, r, c, &date, fmt)
            } else {
                // Excel shows no date before 1900-01-01 or after 9999-12-31: such a day is written as its ISO text,
                // so a bad date in the data shows as what it is instead of failing the whole workbook.
                err = worksheet_write_string(ws, r, c, Self.cellText(ShopDay(epochDay: epochDay).iso), nil)
            }
        case .empty:
            guard fmt != nil else { return }
            err = worksheet_write_blank(ws, r, c, fmt)
        }
        try check(err, where_(row, col))
    }

    /// Writes `values` left to right starting at `startCol`. `formats[i]` (if
    /// present) applies to `values[i]`; a shorter or nil array means "no format".
    public func writeRow(
        _ row: Int, _ values: [CellValue], formats: [Format?]? = nil, startCol: Int = 0
    ) throws(XLSXError) {
        for (i, value) in values.enumerated() {
            let format = formats.flatMap { i < $0.count ? $0[i] : nil }
            try write(row, startCol + i, value, format)
        }
    }

    /// Writes `values` left to right, all with the same format (e.g. a header row).
    public func writeRow(_ row: Int, _ values: [CellValue], format: Format?, startCol: Int = 0) throws(XLSXError) {
        for (i, value) in values.enumerated() {
            try write(row, startCol + i, value, format)
        }
    }

    /// Writes text across a merged range (titles). Not available in
    /// constant-memory mode: there use `CellStyle(align: .centerAcrossSelection)`
    /// on each cell of the range instead.
    public func mergeRange(
        firstRow: Int, firstCol: Int, lastRow: Int, lastCol: Int, text: String, _ format: Format? = nil
    ) throws(XLSXError) {
        let ws = try open()
        guard !workbook.constantMemory else {
            throw .invalidArgument(
                "sheet \"\(name)\": merged ranges do not work in constant-memory mode; use align .centerAcrossSelection")
        }
        try checkRange(firstRow, firstCol, lastRow, lastCol)
        let fmt = try workbook.pointer(for: format)
        let err = worksheet_merge_range(
            ws, lxw_row_t(firstRow), lxw_col_t(firstCol), lxw_row_t(lastRow), lxw_col_t(lastCol),
            Self.cellText(text), fmt)
        try check(err, rangeName(firstRow, firstCol, lastRow, lastCol))
    }

    // MARK: Layout

    /// Column width in characters (Excel's unit; ~8.43 is the default) and an
    /// optional default format for the columns.
    public func setColumn(_ first: Int, _ last: Int, width: Double, format: Format? = nil) throws(XLSXError) {
        let ws = try open()
        try checkRange(0, first, 0, last)
        guard width.isFinite, width >= 0 else { throw .invalidArgument("sheet \"\(name)\": column width \(width)") }
        let fmt = try workbook.pointer(for: format)
        try check(worksheet_set_column(ws, lxw_col_t(first), lxw_col_t(last), width, fmt),
                  "columns \(Self.columnName(first)):\(Self.columnName(last))")
        for c in first...last { columnWidths[c] = width }
    }

    /// Writes a header row (wrapped text) and makes the row tall enough for its longest title at the column widths
    /// already set, so no title spills over the row above. Set the widths first.
    public func writeHeader(_ row: Int, _ titles: [String], format: Format?, startCol: Int = 0) throws(XLSXError) {
        try writeRow(row, titles.map { .text($0) }, format: format, startCol: startCol)
        let lines = titles.enumerated().map { i, t in Self.wrappedLines(t, width: columnWidths[startCol + i] ?? 8.43) }.max() ?? 1
        if lines > 1 { try setRowHeight(row, height: Double(lines) * 15 + 3) }
    }

    /// How many lines `text` takes when wrapped at word boundaries in a column `width` characters wide (bold
    /// headers are a little wider than the default font: one character of slack per line).
    static func wrappedLines(_ text: String, width: Double) -> Int {
        let room = max(Int(width.rounded(.down)) - 1, 1)
        var lines = 1, used = 0
        for word in text.split(separator: " ") {
            let n = word.count
            if used == 0 { used = n } else if used + 1 + n <= room { used += 1 + n } else { lines += 1; used = n }
            while used > room { lines += 1; used -= room }
        }
        return lines
    }

    /// Row height in points (15 is the default). In constant-memory mode call it
    /// before writing that row.
    public func setRowHeight(_ row: Int, height: Double, format: Format? = nil) throws(XLSXError) {
        let ws = try open()
        try checkCell(row, 0)
        guard height.isFinite, height >= 0 else { throw .invalidArgument("sheet \"\(name)\": row height \(height)") }
        let fmt = try workbook.pointer(for: format)
        try check(worksheet_set_row(ws, lxw_row_t(row), height, fmt), "row \(row + 1)")
    }

    /// Freezes everything above `row` and left of `col`:
    /// `freezePanes(row: 1, col: 0)` keeps the header row visible.
    public func freezePanes(row: Int, col: Int) throws(XLSXError) {
        let ws = try open()
        try checkCell(row, col)
        worksheet_freeze_panes(ws, lxw_row_t(row), lxw_col_t(col))
    }

    /// Filter drop-downs on the header row `firstRow`, covering the data below.
    public func autofilter(firstRow: Int, firstCol: Int, lastRow: Int, lastCol: Int) throws(XLSXError) {
        let ws = try open()
        try checkRange(firstRow, firstCol, lastRow, lastCol)
        try check(worksheet_autofilter(ws, lxw_row_t(firstRow), lxw_col_t(firstCol),
                                       lxw_row_t(lastRow), lxw_col_t(lastCol)),
                  "autofilter " + rangeName(firstRow, firstCol, lastRow, lastCol))
    }

    /// Tab colour, `0xRRGGBB`.
    public func setTabColor(_ color: UInt32) {
        guard let ws = try? open() else { return }
        worksheet_set_tab_color(ws, color & 0xFF_FFFF)
    }

    // MARK: Printing

    public func setLandscape() {
        guard let ws = try? open() else { return }
        worksheet_set_landscape(ws)
    }

    /// A4 paper (the default is US Letter).
    public func setPaperA4() {
        guard let ws = try? open() else { return }
        worksheet_set_paper(ws, 9)
    }

    /// Print all columns on one page width (as many pages tall as needed).
    public func fitToWidth() {
        guard let ws = try? open() else { return }
        worksheet_fit_to_pages(ws, 1, 0)
    }

    /// The house print set-up: A4 landscape, all columns on one page width, and the header rows `headerRows`
    /// (0-based, inclusive) repeated at the top of every printed page.
    public func printSetup(headerRows: ClosedRange<Int>? = nil) throws(XLSXError) {
        setPaperA4()
        setLandscape()
        fitToWidth()
        if let h = headerRows { try repeatRows(h.lowerBound, h.upperBound) }
    }

    /// Repeat these rows (e.g. the header) at the top of every printed page.
    public func repeatRows(_ first: Int, _ last: Int) throws(XLSXError) {
        let ws = try open()
        try checkRange(first, 0, last, 0)
        try check(worksheet_repeat_rows(ws, lxw_row_t(first), lxw_row_t(last)), "repeat rows")
    }

    // MARK: Charts

    /// Inserts a native chart with its top-left corner at (`row`, `col`).
    /// Series must name sheets of this workbook (use `Sheet.name`).
    public func addChart(_ spec: ChartSpec, at row: Int, _ col: Int) throws(XLSXError) {
        let ws = try open()
        let wb = try workbook.open()
        try checkCell(row, col)
        guard !spec.series.isEmpty else { throw .invalidArgument("chart \(spec.title ?? ""): no series") }
        guard spec.width > 0, spec.height > 0, spec.width <= 10_000, spec.height <= 10_000 else {
            throw .invalidArgument("chart size \(spec.width)x\(spec.height) px")
        }
        for series in spec.series {
            guard workbook.sheetNames.contains(series.sheet) else {
                throw .invalidArgument(
                    "chart series \"\(series.name)\" refers to unknown sheet \"\(series.sheet)\" (sheets: \(workbook.sheetNames))")
            }
            for range in [series.categories, series.values] {
                try checkRange(range.firstRow, range.col, range.lastRow, range.col)
            }
        }

        let type: lxw_chart_type
        switch spec.kind {
        case .line: type = LXW_CHART_LINE
        case .column: type = LXW_CHART_COLUMN
        case .bar: type = LXW_CHART_BAR
        case .pie: type = LXW_CHART_PIE
        }
        guard let chart = workbook_add_chart(wb, UInt8(type.rawValue)) else {
            throw .writeFailed("cannot create chart \"\(spec.title ?? "")\"")
        }
        // From here on the chart belongs to the workbook (freed by it).
        if let title = spec.title { chart_title_set_name(chart, Self.literal(title)) }
        for series in spec.series {
            guard let s = chart_add_series(chart, nil, nil) else {
                throw .writeFailed("cannot add chart series \"\(series.name)\"")
            }
            // Sheet name + numbers: libxlsxwriter builds and quotes the range itself.
            chart_series_set_categories(
                s, series.sheet,
                lxw_row_t(series.categories.firstRow), lxw_col_t(series.categories.col),
                lxw_row_t(series.categories.lastRow), lxw_col_t(series.categories.col))
            chart_series_set_values(
                s, series.sheet,
                lxw_row_t(series.values.firstRow), lxw_col_t(series.values.col),
                lxw_row_t(series.values.lastRow), lxw_col_t(series.values.col))
            chart_series_set_name(s, Self.literal(series.name))
        }
        if spec.kind != .pie {
            // libxlsxwriter swaps the axes of a bar chart: there x_axis is the (horizontal) value axis and y_axis
            // the category axis (measured: the format set on y_axis landed in <c:catAx>).
            let valueAxis = spec.kind == .bar ? chart.pointee.x_axis : chart.pointee.y_axis
            let categoryAxis = spec.kind == .bar ? chart.pointee.y_axis : chart.pointee.x_axis
            if let x = spec.xAxisTitle, let axis = categoryAxis {
                chart_axis_set_name(axis, Self.literal(x))
            }
            if let y = spec.yAxisTitle, let axis = valueAxis {
                chart_axis_set_name(axis, Self.literal(y))
            }
            if let numberFormat = spec.valueNumberFormat, let axis = valueAxis {
                chart_axis_set_num_format(axis, numberFormat)
            }
            if let dateFormat = spec.categoryDateFormat, let axis = categoryAxis {
                chart_axis_set_num_format(axis, dateFormat)
            }
        }
        let legend: lxw_chart_legend_position
        switch spec.legend {
        case .none: legend = LXW_CHART_LEGEND_NONE
        case .bottom: legend = LXW_CHART_LEGEND_BOTTOM
        case .right: legend = LXW_CHART_LEGEND_RIGHT
        case .top: legend = LXW_CHART_LEGEND_TOP
        }
        chart_legend_set_position(chart, UInt8(legend.rawValue))

        var options = lxw_chart_options()
        options.x_scale = Double(spec.width) / 480
        options.y_scale = Double(spec.height) / 288
        let err = worksheet_insert_chart_opt(ws, lxw_row_t(row), lxw_col_t(col), chart, &options)
        try check(err, "chart \"\(spec.title ?? "")\" at \(Self.cellName(row, col))")
    }

    // MARK: Conditional formats

    /// Applies a conditional format to a range, e.g.
    /// `conditionalFormat(.cell(.lessThan, 0, style: ConditionalRule.badStyle), firstRow: 1, firstCol: 3, lastRow: 30, lastCol: 3)`.
    public func conditionalFormat(
        _ rule: ConditionalRule, firstRow: Int, firstCol: Int, lastRow: Int, lastCol: Int
    ) throws(XLSXError) {
        let ws = try open()
        try checkRange(firstRow, firstCol, lastRow, lastCol)
        var cf = lxw_conditional_format()
        switch rule {
        case .cell(let comparison, let value, let style):
            try checkFinite(value, firstRow, firstCol)
            cf.type = UInt8(LXW_CONDITIONAL_TYPE_CELL.rawValue)
            let criteria: lxw_conditional_criteria
            switch comparison {
            case .equal: criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO
            case .notEqual: criteria = LXW_CONDITIONAL_CRITERIA_NOT_EQUAL_TO
            case .greaterThan: criteria = LXW_CONDITIONAL_CRITERIA_GREATER_THAN
            case .lessThan: criteria = LXW_CONDITIONAL_CRITERIA_LESS_THAN
            case .greaterOrEqual: criteria = LXW_CONDITIONAL_CRITERIA_GREATER_THAN_OR_EQUAL_TO
            case .lessOrEqual: criteria = LXW_CONDITIONAL_CRITERIA_LESS_THAN_OR_EQUAL_TO
            }
            cf.criteria = UInt8(criteria.rawValue)
            cf.value = value
            cf.format = try workbook.pointer(for: workbook.format(style))
        case .between(let low, let high, let style):
            try checkFinite(low, firstRow, firstCol)
            try checkFinite(high, firstRow, firstCol)
            cf.type = UInt8(LXW_CONDITIONAL_TYPE_CELL.rawValue)
            cf.criteria = UInt8(LXW_CONDITIONAL_CRITERIA_BETWEEN.rawValue)
            cf.min_value = min(low, high)
            cf.max_value = max(low, high)
            cf.format = try workbook.pointer(for: workbook.format(style))
        case .twoColorScale(let low, let high):
            cf.type = UInt8(LXW_CONDITIONAL_2_COLOR_SCALE.rawValue)
            cf.min_color = low & 0xFF_FFFF
            cf.max_color = high & 0xFF_FFFF
        case .threeColorScale(let low, let mid, let high):
            cf.type = UInt8(LXW_CONDITIONAL_3_COLOR_SCALE.rawValue)
            cf.min_color = low & 0xFF_FFFF
            cf.mid_color = mid & 0xFF_FFFF
            cf.max_color = high & 0xFF_FFFF
        case .dataBar(let color, let scale):
            cf.type = UInt8(LXW_CONDITIONAL_DATA_BAR.rawValue)
            cf.bar_color = color & 0xFF_FFFF
            if let scale {
                cf.min_rule_type = UInt8(LXW_CONDITIONAL_RULE_TYPE_NUMBER.rawValue)
                cf.min_value = scale.lowerBound
                cf.max_rule_type = UInt8(LXW_CONDITIONAL_RULE_TYPE_NUMBER.rawValue)
                cf.max_value = scale.upperBound
            }
        }
        let err = worksheet_conditional_format_range(
            ws, lxw_row_t(firstRow), lxw_col_t(firstCol), lxw_row_t(lastRow), lxw_col_t(lastCol), &cf)
        try check(err, "conditional format " + rangeName(firstRow, firstCol, lastRow, lastCol))
    }

    // MARK: Helpers

    private func open() throws(XLSXError) -> UnsafeMutablePointer<lxw_worksheet> {
        _ = try workbook.open()
        return handle
    }

    private func effectiveFormat(_ value: CellValue, _ format: Format?) -> Format? {
        guard let needed = value.defaultStyle else { return format }
        guard let format else { return workbook.format(needed) }
        if format.style.numberFormat != nil { return format }
        return workbook.format(format.style.with { $0.numberFormat = needed.numberFormat })
    }

    private func checkCell(_ row: Int, _ col: Int) throws(XLSXError) {
        guard (0..<Self.maxRows).contains(row), (0..<Self.maxColumns).contains(col) else {
            throw .invalidArgument("sheet \"\(name)\": row \(row) / column \(col) is outside the sheet (0-based)")
        }
    }

    private func checkRange(_ r1: Int, _ c1: Int, _ r2: Int, _ c2: Int) throws(XLSXError) {
        try checkCell(r1, c1)
        try checkCell(r2, c2)
        guard r1 <= r2, c1 <= c2 else {
            throw .invalidArgument("sheet \"\(name)\": range (\(r1),\(c1))...(\(r2),\(c2)) is reversed")
        }
    }

    private func checkFinite(_ value: Double, _ row: Int, _ col: Int) throws(XLSXError) {
        guard value.isFinite else {
            throw .invalidArgument("\(where_(row, col)): \(value) cannot be stored in Excel")
        }
    }

    private func check(_ err: lxw_error, _ context: @autoclosure () -> String) throws(XLSXError) {
        guard err != LXW_NO_ERROR else { return }
        var message = "sheet \"\(name)\" \(context()): \(Workbook.message(err))"
        if workbook.constantMemory && err == LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE {
            message += " (constant-memory mode: rows must be written top to bottom)"
        }
        throw .writeFailed(message)
    }

    private func where_(_ row: Int, _ col: Int) -> String {
        "sheet \"\(name)\" cell \(Self.cellName(row, col))"
    }

    private func rangeName(_ r1: Int, _ c1: Int, _ r2: Int, _ c2: Int) -> String {
        "\(Self.cellName(r1, c1)):\(Self.cellName(r2, c2))"
    }

    /// "A", "Z", "AA", ... for 0-based columns.
    static func columnName(_ col: Int) -> String {
        var n = col + 1
        var name = ""
        while n > 0 {
            let rem = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + rem))) + name
            n = (n - 1) / 26
        }
        return name
    }

    /// "B3" for (2, 1).
    static func cellName(_ row: Int, _ col: Int) -> String {
        guard row >= 0, col >= 0 else { return "(\(row),\(col))" }
        return columnName(col) + String(row + 1)
    }

    /// Text as Excel can store it: NULs, other control characters and noncharacters (XML 1.0 cannot carry them;
    /// tab/newline/CR are kept) shown as U+FFFD, as the page and the CSV show them (README, "Reports"), so the
    /// reader sees that something was there; at most 32,767 UTF-16 units (Excel's limit), cut at a character
    /// boundary with a trailing "…".
    static func cellText(_ string: String) -> String {
        let text = DisplayText.cleaned(string)
        guard text.utf16.count > maxTextLength else { return text }
        var out = ""
        var units = 0
        for ch in text {
            let u = ch.utf16.count
            if units + u > maxTextLength - 1 { break }
            out.append(ch)
            units += u
        }
        return out + "…"
    }

    /// Chart titles/names starting with "=" would be taken as a formula by
    /// libxlsxwriter; prefix a space so they stay literal text.
    static func literal(_ text: String) -> String {
        let cleaned = cellText(text)
        return cleaned.hasPrefix("=") ? " " + cleaned : cleaned
    }

    /// Proleptic Gregorian date for days since 1970-01-01,
    /// or nil outside Excel's 1900-01-01...9999-12-31.
    static func civilDate(epochDay: Int32) -> lxw_datetime? {
        let (year, month, day) = CivilDate.civilFromDays(Int(epochDay))
        guard (1900...9999).contains(year) else { return nil }
        return lxw_datetime(year: Int32(year), month: Int32(month), day: Int32(day), hour: 0, min: 0, sec: 0)
    }
}
