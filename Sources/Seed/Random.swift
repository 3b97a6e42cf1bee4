/// Deterministic pseudo-random numbers for the seeder. Never Foundation's or the system's generator: the same seed
/// must give byte-identical data on every machine and every run.

/// SplitMix64 (Steele, Lea, Flood 2014): used to expand one 64-bit seed into independent stream states, and as a
/// stateless hash of (seed, key) for per-entity attributes.
struct SplitMix64 {
    var state: UInt64

    init(_ seed: UInt64) { state = seed }

    @inline(__always) mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    @inline(__always) static func mix(_ x0: UInt64) -> UInt64 {
        var z = x0
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// xoshiro256** 1.0 (Blackman, Vigna): the workhorse generator. Small, fast and good enough for synthetic data.
struct Rng {
    private var s0, s1, s2, s3: UInt64

    /// A generator for one named purpose (`stream`), so that adding draws to one table never shifts another's data.
    init(seed: UInt64, stream: String, index: UInt64 = 0) {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a of the stream name: stable across runs (unlike Hasher).
        for b in stream.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        var sm = SplitMix64(seed ^ SplitMix64.mix(h &+ SplitMix64.mix(index &+ 0x5EED)))
        s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    @inline(__always) mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in [0, 1).
    @inline(__always) mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in [0, n); `n` > 0. (Lemire's multiply-shift; the tiny bias is irrelevant here.)
    @inline(__always) mutating func below(_ n: Int) -> Int {
        Int(truncatingIfNeeded: ((next() >> 32) &* UInt64(n)) >> 32)
    }

    /// Uniform in the closed range.
    @inline(__always) mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + below(r.count) }

    @inline(__always) mutating func int64(_ r: ClosedRange<Int64>) -> Int64 {
        r.lowerBound + Int64(truncatingIfNeeded: next() % UInt64(r.upperBound - r.lowerBound + 1))
    }

    /// True with probability `p`.
    @inline(__always) mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// Roughly bell-shaped in [0, 1): the mean of two uniforms (triangular).
    @inline(__always) mutating func triangular() -> Double { (unit() + unit()) * 0.5 }

    /// An element of `items`, uniformly.
    @inline(__always) mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// An index into `weights` with probability proportional to its weight (small lists only).
    mutating func weighted(_ weights: [Double]) -> Int {
        var total = 0.0
        for w in weights { total += w }
        var x = unit() * total
        for (i, w) in weights.enumerated() {
            if x < w { return i }
            x -= w
        }
        return weights.count - 1
    }

    /// A version-4 UUID in canonical text form.
    mutating func uuid() -> String {
        let a = next(), b = next()
        let hi = (a & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        let lo = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        let h = Hex.digits(hi, 16) + Hex.digits(lo, 16)
        let c = Array(h.utf8)
        func part(_ r: Range<Int>) -> String { String(decoding: c[r], as: UTF8.self) }
        return part(0..<8) + "-" + part(8..<12) + "-" + part(12..<16) + "-" + part(16..<20) + "-" + part(20..<32)
    }

    /// `count` lowercase hex digits.
    mutating func hex(_ count: Int) -> String {
        var s = ""
        while s.count < count { s += Hex.digits(next(), 16) }
        return String(s.prefix(count))
    }

    /// `count` decimal digits (leading zeros kept).
    mutating func digits(_ count: Int) -> String {
        var bytes = [UInt8](repeating: 48, count: count)
        for i in 0..<count { bytes[i] = 48 + UInt8(below(10)) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

enum Hex {
    static func digits(_ v: UInt64, _ count: Int) -> String {
        let table = Array("0123456789abcdef".utf8)
        var bytes = [UInt8](repeating: 48, count: count)
        var x = v
        for i in stride(from: count - 1, through: 0, by: -1) {
            bytes[i] = table[Int(x & 15)]
            x >>= 4
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A stateless hash of (seed, key, salt) to [0, 1): per-entity attributes that any pass can recompute.
@inline(__always) func hashUnit(_ seed: UInt64, _ key: Int, _ salt: UInt64) -> Double {
    let h = SplitMix64.mix(seed ^ SplitMix64.mix(UInt64(bitPattern: Int64(key)) &+ salt &* 0x9E37_79B9_7F4A_7C15))
    return Double(h >> 11) * 0x1.0p-53
}
