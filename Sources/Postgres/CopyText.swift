#if canImport(Glibc)
import Glibc
#endif

/// Parsing of PostgreSQL's text output for the types the extract uses. Pure functions over bytes, so they can be
/// tested without a server and run at millions of rows per second.
public enum CopyParse {
    public static func int64(_ f: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard f.count > 0 else { return nil }
        var i = 0, negative = false
        if f[0] == UInt8(ascii: "-") { negative = true; i = 1 } else if f[0] == UInt8(ascii: "+") { i = 1 }
        guard i < f.count else { return nil }
        var v: Int64 = 0
        while i < f.count {
            let d = f[i] &- 48
            guard d < 10 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(d))
            guard !o1, !o2 else { return nil }
            v = a; i += 1
        }
        return negative ? -v : v
    }

    /// `-123.4` with scale 2 is -12340. Rejects more fraction digits than `scale` rather than rounding.
    public static func scaled(_ f: UnsafeBufferPointer<UInt8>, scale: Int) -> Int64? {
        guard f.count > 0 else { return nil }
        var i = 0, negative = false
        if f[0] == UInt8(ascii: "-") { negative = true; i = 1 } else if f[0] == UInt8(ascii: "+") { i = 1 }
        var v: Int64 = 0, digits = 0, fraction = -1
        while i < f.count {
            let b = f[i]
            if b == UInt8(ascii: ".") {
                guard fraction < 0 else { return nil }
                fraction = 0
            } else {
                let d = b &- 48
                guard d < 10 else { return nil }
                if fraction >= 0 { fraction += 1; guard fraction <= scale else {
                    // Trailing zeros beyond the scale are harmless (numeric(12,4) of a whole amount).
                    if d == 0 { i += 1; continue } else { return nil } } }
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(d))
                guard !o1, !o2 else { return nil }
                v = a; digits += 1
            }
            i += 1
        }
        guard digits > 0 else { return nil }
        var have = max(fraction, 0)
        if have > scale { have = scale }
        while have < scale {
            let (m, o) = v.multipliedReportingOverflow(by: 10)
            guard !o else { return nil }
            v = m; have += 1
        }
        return negative ? -v : v
    }

    /// Days since 1970-01-01 of `YYYY-MM-DD` (the first 10 bytes). PostgreSQL writes years before 1 AD with a
    /// trailing ` BC` (`0044-03-15 BC`, also after a timestamp's time): such a year Y is the proleptic year 1 - Y,
    /// never Y AD.
    public static func epochDay(_ f: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard f.count >= 10, f[4] == UInt8(ascii: "-"), f[7] == UInt8(ascii: "-"),
              let y = digits(f, 0, 4), let m = digits(f, 5, 2), let d = digits(f, 8, 2),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        return Int32(CivilDate.daysFromCivil(isBC(f) ? 1 - y : y, m, d))
    }

    /// The elements of a `date[]` in COPY text (`{2026-01-01,2026-03-01}`) as days since 1970-01-01, in order; an element
    /// that is no plain `YYYY-MM-DD` (`infinity`, a quoted BC date) is skipped, and NULL (`\N`) has none.
    public static func epochDays(_ f: UnsafeBufferPointer<UInt8>, _ body: (Int32) throws -> Void) rethrows {
        guard f.count >= 2, f[0] == UInt8(ascii: "{"), f[f.count - 1] == UInt8(ascii: "}"), let base = f.baseAddress else { return }
        var start = 1
        while start < f.count - 1 {
            var end = start
            while end < f.count - 1, f[end] != UInt8(ascii: ",") { end += 1 }
            let element = UnsafeBufferPointer(start: base + start, count: end - start)
            if element.count == 10, let day = epochDay(element) { try body(day) }
            start = end + 1
        }
    }

    /// Which of the words laid end to end in `text` (word k ends at `ends[k]`) is exactly `field`; nil for none.
    @usableFromInline static func wordIndex(of field: UnsafeBufferPointer<UInt8>, in text: [UInt8], ends: [Int]) -> Int? {
        guard let f = field.baseAddress else { return nil }
        return text.withUnsafeBufferPointer { t in
            var start = 0
            for (k, end) in ends.enumerated() {
                if end - start == field.count, memcmp(t.baseAddress! + start, f, field.count) == 0 { return k }
                start = end
            }
            return nil
        }
    }

    /// The value ends in ` BC`.
    static func isBC(_ f: UnsafeBufferPointer<UInt8>) -> Bool {
        f.count >= 13 && f[f.count - 3] == UInt8(ascii: " ") && f[f.count - 2] == UInt8(ascii: "B") && f[f.count - 1] == UInt8(ascii: "C")
    }

    /// `YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM[:SS]]]` to microseconds since the epoch (UTC).
    public static func timestampMicros(_ f: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let day = epochDay(f), f.count >= 19, f[10] == UInt8(ascii: " ") || f[10] == UInt8(ascii: "T"),
              let hh = digits(f, 11, 2), let mi = digits(f, 14, 2), let ss = digits(f, 17, 2),
              hh < 24, mi < 60, ss < 61 else { return nil }
        var i = 19
        var micros: Int64 = 0
        if i < f.count && f[i] == UInt8(ascii: ".") {
            i += 1
            var n = 0
            while i < f.count, f[i] &- 48 < 10 {
                if n < 6 { micros = micros * 10 + Int64(f[i] - 48) }
                n += 1; i += 1
            }
            while n < 6 { micros *= 10; n += 1 }
        }
        var offset: Int64 = 0
        let end = isBC(f) ? f.count - 3 : f.count
        if i < end {
            let sign: Int64
            switch f[i] {
            case UInt8(ascii: "+"): sign = 1
            case UInt8(ascii: "-"): sign = -1
            case UInt8(ascii: "Z"): sign = 0
            default: return nil
            }
            if sign != 0 {
                guard let oh = digits(f, i + 1, 2) else { return nil }
                var secs = Int64(oh) * 3600
                var j = i + 3
                if j < f.count, f[j] == UInt8(ascii: ":"), let om = digits(f, j + 1, 2) { secs += Int64(om) * 60; j += 3 }
                if j < f.count, f[j] == UInt8(ascii: ":"), let os = digits(f, j + 1, 2) { secs += Int64(os); j += 3 }
                offset = sign * secs
                i = j
            } else {
                i += 1
            }
        }
        // Anything left over (`infinity`, a stray suffix) makes the value unreadable rather than guessed at.
        guard i == end else { return nil }
        let seconds = Int64(day) * 86_400 + Int64(hh) * 3600 + Int64(mi) * 60 + Int64(ss) - offset
        return seconds * 1_000_000 + micros
    }

    /// Decodes COPY text escapes (`\\`, `\t`, `\n`, `\r`, `\b`, `\f`, `\v`, octal `\ooo`, `\xhh`).
    public static func unescape(_ f: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(f.count)
        var i = 0
        while i < f.count {
            let b = f[i]
            guard b == 92, i + 1 < f.count else { out.append(b); i += 1; continue }
            let c = f[i + 1]
            i += 2
            switch c {
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "v"): out.append(11)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var v = Int(c - 48), n = 1
                while n < 3, i < f.count, (48...55).contains(f[i]) { v = v * 8 + Int(f[i] - 48); i += 1; n += 1 }
                out.append(UInt8(truncatingIfNeeded: v))
            case UInt8(ascii: "x"):
                var v = 0, n = 0
                while n < 2, i < f.count, let h = hex(f[i]) { v = v * 16 + h; i += 1; n += 1 }
                out.append(UInt8(truncatingIfNeeded: v))
            default: out.append(c)
            }
        }
        return out
    }

    private static func hex(_ b: UInt8) -> Int? {
        switch b {
        case 48...57: return Int(b - 48)
        case 65...70: return Int(b - 55)
        case 97...102: return Int(b - 87)
        default: return nil
        }
    }

    static func digits(_ f: UnsafeBufferPointer<UInt8>, _ at: Int, _ n: Int) -> Int? {
        guard at + n <= f.count else { return nil }
        var v = 0
        for k in at..<(at + n) {
            let d = f[k] &- 48
            guard d < 10 else { return nil }
            v = v * 10 + Int(d)
        }
        return v
    }
}

/// Formatting of values for PostgreSQL's text input.
public enum CopyFormat {
    public static func scaled(_ units: Int64, scale: Int) -> String {
        guard scale > 0 else { return String(units) }
        var p: Int64 = 1
        for _ in 0..<scale { p *= 10 }
        let mag = units.magnitude
        let whole = mag / UInt64(p), frac = mag % UInt64(p)
        var f = String(frac)
        while f.count < scale { f = "0" + f }
        return (units < 0 ? "-" : "") + String(whole) + "." + f
    }

}

/// Proleptic Gregorian calendar arithmetic (Howard Hinnant's algorithms), free of Foundation and time zones.
public enum CivilDate {
    public static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The inverse of `daysFromCivil`: the proleptic year (0 is 1 BC), month and day of days since 1970-01-01.
    @inlinable public static func civilFromDays(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
    }

}
