//! client-go's `flowcontrol.Backoff` as the kubelet uses it for crash loops and image pulls
//! (kubelet-semantics §2.1–2.2): no jitter in the delay values; an entry expires when the last
//! update is older than the reset window, after which the next delay starts again at the initial one.

use podplay_api::time::{Millis, SECOND};
use std::collections::BTreeMap;

/// `initialCrashLoopBackOff`, `MaxContainerBackOff` and the 600 s reset (kubelet.go).
pub const CRASH_LOOP_INITIAL: Millis = 10 * SECOND;
pub const CRASH_LOOP_MAX: Millis = 300 * SECOND;
pub const CRASH_LOOP_RESET: Millis = 600 * SECOND;
/// `imageBackOffPeriod` and `MaxImageBackOff`.
pub const IMAGE_INITIAL: Millis = 10 * SECOND;
pub const IMAGE_MAX: Millis = 300 * SECOND;

#[derive(Debug, Clone)]
pub struct BackOff {
    initial: Millis,
    max: Millis,
    reset_after: Millis,
    entries: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    backoff: Millis,
    last_update: Millis,
}

impl BackOff {
    pub fn new(initial: Millis, max: Millis, reset_after: Millis) -> BackOff {
        BackOff {
            initial,
            max,
            reset_after,
            entries: BTreeMap::new(),
        }
    }

    pub fn crash_loop() -> BackOff {
        BackOff::new(CRASH_LOOP_INITIAL, CRASH_LOOP_MAX, CRASH_LOOP_RESET)
    }

    pub fn image_pull() -> BackOff {
        // client-go's default expiry is 2 × max.
        BackOff::new(IMAGE_INITIAL, IMAGE_MAX, 2 * IMAGE_MAX)
    }

    fn expired(&self, e: &Entry, now: Millis) -> bool {
        now - e.last_update > self.reset_after
    }

    /// `Next(id, eventTime)`: a new or expired entry starts at the initial delay, else doubles to max.
    pub fn next(&mut self, id: &str, now: Millis) {
        let backoff = match self.entries.get(id) {
            Some(e) if !self.expired(e, now) => (e.backoff * 2).min(self.max),
            _ => self.initial,
        };
        self.entries.insert(
            id.to_string(),
            Entry {
                backoff,
                last_update: now,
            },
        );
    }

    /// `Get(id)`: the current delay, 0 when there is none.
    pub fn get(&self, id: &str) -> Millis {
        self.entries.get(id).map_or(0, |e| e.backoff)
    }

    /// `IsInBackOffSince(id, eventTime)`: still within the delay counted from `since`.
    pub fn is_in_backoff_since(&self, id: &str, since: Millis, now: Millis) -> bool {
        match self.entries.get(id) {
            Some(e) if !self.expired(e, now) => now - since < e.backoff,
            _ => false,
        }
    }

    /// When the delay counted from `since` ends (for requeueing at expiry).
    pub fn expiry(&self, id: &str, since: Millis) -> Millis {
        since + self.get(id)
    }

    /// When the entry was last updated (the last failure it counted).
    pub fn last_update(&self, id: &str) -> Option<Millis> {
        self.entries.get(id).map(|e| e.last_update)
    }

    pub fn forget(&mut self, id: &str) {
        self.entries.remove(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crash_loop_delays_double_from_10s_to_a_300s_cap() {
        let mut b = BackOff::crash_loop();
        let mut seen = vec![];
        for i in 0..8 {
            b.next("c", i * 1000);
            seen.push(b.get("c") / 1000);
        }
        assert_eq!(seen, vec![10, 20, 40, 80, 160, 300, 300, 300]);
    }

    #[test]
    fn crash_loop_backoff_resets_after_ten_minutes_without_update() {
        let mut b = BackOff::crash_loop();
        b.next("c", 0);
        b.next("c", 1000);
        assert_eq!(b.get("c"), 20_000);
        b.next("c", 1000 + 600_001);
        assert_eq!(b.get("c"), 10_000);
    }

    #[test]
    fn in_backoff_is_measured_from_the_finish_time() {
        let mut b = BackOff::crash_loop();
        b.next("c", 2_000);
        assert!(b.is_in_backoff_since("c", 2_000, 11_999));
        assert!(!b.is_in_backoff_since("c", 2_000, 12_000));
        assert!(!b.is_in_backoff_since("unknown", 0, 1));
    }
}
