/// A piece of a report's content, kept by `HTMLBuilder` next to the HTML it writes, for the PDF to lay out.
public enum ReportBlock: Sendable {
    /// How a paragraph reads: a side note, good news or a warning.
    public enum Tone: Sendable {
        case plain, note, ok, warn
        init(_ cssClass: String?) {
            switch cssClass {
            case "note": self = .note
            case "ok": self = .ok
            case "warn": self = .warn
            default: self = .plain
            }
        }
    }

    /// A key figure's card: its label, value and the lines under it (the changes).
    public struct Card: Sendable {
        public var label: String, value: String
        public var lines: [(text: String, tone: Tone)]
        public init(label: String, value: String, lines: [(text: String, tone: Tone)]) {
            self.label = label; self.value = value; self.lines = lines
        }
    }

    /// A target's row: what, the goal, the actual figure, actual / goal (nil for a zero goal) for the bar, and the
    /// same as shown (`99.9%`, `ReportTables.TargetRow.progressText`).
    public struct Progress: Sendable {
        public var label: String, goal: String, actual: String
        public var fraction: Double?
        public var percent: String
        public init(label: String, goal: String, actual: String, fraction: Double?, percent: String) {
            self.label = label; self.goal = goal; self.actual = actual; self.fraction = fraction; self.percent = percent
        }
    }

    case heading(String, level: Int)
    case paragraph(String, tone: Tone)
    case table(header: [String], rows: [[String]], numeric: Set<Int>)
    case chart(BarChart)
    case cards([Card])
    case progress([Progress])
    /// A grid shaded by value (the weekday x hour heat map): row and column labels, and a count per cell.
    case heatMap(rows: [String], columns: [String], values: [[Int]])
}
