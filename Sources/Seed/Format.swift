import Postgres
import Shop

/// Fast text for COPY: the seeder formats millions of timestamps, so it does not go through `String(format:)`.
enum Fmt {
    /// `2026-11-23 21:30:00.123456+00`, the same text as `Instant.utcString(micros:)`, without Foundation.
    static func timestamp(_ micros: Int64) -> String {
        let secs = floorDiv(micros, 1_000_000)
        let us = Int(micros - secs * 1_000_000)
        let day = floorDiv(secs, 86_400)
        let sod = Int(secs - day * 86_400)
        let c = CivilDate.civilFromDays(Int(day))
        return String(unsafeUninitializedCapacity: 29) { buf in
            put(buf, 0, c.year, 4); buf[4] = 45
            put(buf, 5, c.month, 2); buf[7] = 45
            put(buf, 8, c.day, 2); buf[10] = 32
            put(buf, 11, sod / 3600, 2); buf[13] = 58
            put(buf, 14, sod % 3600 / 60, 2); buf[16] = 58
            put(buf, 17, sod % 60, 2); buf[19] = 46
            put(buf, 20, us, 6)
            buf[26] = 43; buf[27] = 48; buf[28] = 48
            return 29
        }
    }

    /// `2026-11-23`
    static func date(_ day: ShopDay) -> String {
        let c = CivilDate.civilFromDays(Int(day.epochDay))
        return String(unsafeUninitializedCapacity: 10) { buf in
            put(buf, 0, c.year, 4); buf[4] = 45
            put(buf, 5, c.month, 2); buf[7] = 45
            put(buf, 8, c.day, 2)
            return 10
        }
    }

    /// `12:30:00`
    static func time(minutes: Int) -> String { pad(minutes / 60, 2) + ":" + pad(minutes % 60, 2) + ":00" }

    /// Zero-padded decimal.
    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    @inline(__always) private static func put(_ buf: UnsafeMutableBufferPointer<UInt8>, _ at: Int, _ v: Int, _ width: Int) {
        var x = v
        for i in stride(from: at + width - 1, through: at, by: -1) {
            buf[i] = UInt8(48 + x % 10)
            x /= 10
        }
    }

    @inline(__always) static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
