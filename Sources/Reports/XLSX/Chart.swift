/// A vertical run of cells in one column (0-based, inclusive), e.g. the
/// dates in A2:A31 are `ColumnRange(col: 0, firstRow: 1, lastRow: 30)`.
public struct ColumnRange: Hashable, Sendable {
    public var col: Int
    public var firstRow: Int
    public var lastRow: Int

    public init(col: Int, firstRow: Int, lastRow: Int) {
        self.col = col
        self.firstRow = firstRow
        self.lastRow = lastRow
    }
}

/// One data series of a chart: category labels and values from a sheet.
public struct ChartSeries: Hashable, Sendable {
    /// Legend text.
    public var name: String
    /// The sheet's *final* (sanitised) name, i.e. `Sheet.name`.
    public var sheet: String
    public var categories: ColumnRange
    public var values: ColumnRange

    public init(name: String, sheet: String, categories: ColumnRange, values: ColumnRange) {
        self.name = name
        self.sheet = sheet
        self.categories = categories
        self.values = values
    }

    /// Preferred: takes the `Sheet` so the name is always the sanitised one.
    public init(name: String, sheet: Sheet, categories: ColumnRange, values: ColumnRange) {
        self.init(name: name, sheet: sheet.name, categories: categories, values: values)
    }
}

/// A native Excel chart.
public struct ChartSpec: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// Lines over categories (e.g. revenue per day).
        case line
        /// Vertical bars.
        case column
        /// Horizontal bars (long category names, e.g. products).
        case bar
        /// Pie (use one series).
        case pie
    }

    public enum Legend: Hashable, Sendable {
        case none, bottom, right, top
    }

    public var kind: Kind
    public var title: String?
    public var series: [ChartSeries]
    /// Title of the category axis (the horizontal one, or the vertical one for `.bar`); `yAxisTitle` is the value axis's.
    public var xAxisTitle: String?
    /// Title of the value axis.
    public var yAxisTitle: String?
    /// Number format of the value axis labels, e.g. `#,##0` (ignored for pie).
    public var valueNumberFormat: String?
    /// Number format of the category axis labels for categories that are dates (Excel serials), e.g. `dd mmm`, so
    /// the axis shows `23 Nov`, never `46349`.
    public var categoryDateFormat: String?
    public var legend: Legend
    /// Size in pixels (Excel's default chart is 480 x 288).
    public var width: Int
    public var height: Int

    public init(
        kind: Kind, title: String? = nil, series: [ChartSeries],
        xAxisTitle: String? = nil, yAxisTitle: String? = nil, valueNumberFormat: String? = nil,
        categoryDateFormat: String? = nil, legend: Legend = .bottom, width: Int = 720, height: Int = 360
    ) {
        self.categoryDateFormat = categoryDateFormat
        self.kind = kind
        self.title = title
        self.series = series
        self.xAxisTitle = xAxisTitle
        self.yAxisTitle = yAxisTitle
        self.valueNumberFormat = valueNumberFormat
        self.legend = legend
        self.width = width
        self.height = height
    }
}
