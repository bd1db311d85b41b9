//! The hash a manifest keeps of a file's bytes: the output's manifest and the photo cache
//! compare files by it, so it is said once, below both.

/// The hash of a file's bytes (XXH3, 128 bits).
pub fn hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}
