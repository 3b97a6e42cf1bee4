/// SplitMix64's finalizer: every input bit reaches every output bit, so that keys differing only in high bits (whole
/// days, say) still spread over a table indexed by the low bits. For the project's own hash tables.
@inlinable public func splitMix64(_ v: UInt64) -> UInt64 {
    var z = (v ^ (v >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}
