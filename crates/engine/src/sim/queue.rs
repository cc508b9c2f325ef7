//! The simulation's agenda: wake-ups ordered by (time, insertion sequence), so that things due at the
//! same millisecond happen first-in first-out, as nexosim orders them. Scheduling in the past is a bug
//! in the caller; it is clamped to "now" so time never goes backwards.

use podplay_api::time::Millis;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

#[derive(Debug, Clone)]
pub struct Agenda<T> {
    heap: BinaryHeap<Reverse<Entry<T>>>,
    seq: u64,
    now: Millis,
}

#[derive(Debug, Clone)]
struct Entry<T> {
    at: Millis,
    seq: u64,
    item: T,
}

impl<T> PartialEq for Entry<T> {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}
impl<T> Eq for Entry<T> {}
impl<T> PartialOrd for Entry<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Entry<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.at, self.seq).cmp(&(other.at, other.seq))
    }
}

impl<T> Default for Agenda<T> {
    fn default() -> Self {
        Agenda {
            heap: BinaryHeap::new(),
            seq: 0,
            now: 0,
        }
    }
}

impl<T> Agenda<T> {
    pub fn now(&self) -> Millis {
        self.now
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    pub fn schedule(&mut self, at: Millis, item: T) {
        let at = at.max(self.now);
        self.seq += 1;
        self.heap.push(Reverse(Entry {
            at,
            seq: self.seq,
            item,
        }));
    }

    pub fn peek_time(&self) -> Option<Millis> {
        self.heap.peek().map(|Reverse(e)| e.at)
    }

    /// Takes the next item due at or before `until`, advancing the clock to its time.
    pub fn pop_until(&mut self, until: Millis) -> Option<(Millis, T)> {
        match self.heap.peek() {
            Some(Reverse(e)) if e.at <= until => {}
            _ => return None,
        }
        let Reverse(e) = self.heap.pop()?;
        debug_assert!(e.at >= self.now, "time went backwards");
        self.now = e.at;
        Some((e.at, e.item))
    }

    /// Moves the clock forward with nothing due (e.g. the end of a run).
    pub fn advance_to(&mut self, t: Millis) {
        if t > self.now {
            self.now = t;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_time_items_run_in_insertion_order() {
        let mut a = Agenda::default();
        a.schedule(5, "b");
        a.schedule(1, "a");
        a.schedule(5, "c");
        let got: Vec<_> = std::iter::from_fn(|| a.pop_until(10)).collect();
        assert_eq!(got, vec![(1, "a"), (5, "b"), (5, "c")]);
    }

    #[test]
    fn scheduling_in_the_past_is_clamped_to_now() {
        let mut a = Agenda::default();
        a.schedule(10, 1);
        a.pop_until(10);
        a.schedule(3, 2);
        assert_eq!(a.pop_until(100), Some((10, 2)));
    }

    #[test]
    fn pop_until_leaves_later_items() {
        let mut a = Agenda::default();
        a.schedule(20, ());
        assert_eq!(a.pop_until(19), None);
        assert_eq!(a.len(), 1);
    }
}
