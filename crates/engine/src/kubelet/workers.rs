//! The kubelets' pod workers, in slots: tasks address a worker by its slot (no lookup by uid on
//! the hot path), the API side finds one by uid. A worker is taken out of its slot while it runs so
//! the network can reach the others; slots are never reused, so a stale task finds nothing.

use std::collections::BTreeMap;

use crate::kubelet::worker::PodWorker;

#[derive(Debug, Default, Clone)]
pub struct Workers {
    slots: Vec<Option<Box<PodWorker>>>,
    by_uid: BTreeMap<String, usize>,
}

impl Workers {
    /// Adds a worker; returns its slot (also stored in the worker).
    pub fn add(&mut self, mut w: PodWorker) -> usize {
        let slot = self.slots.len();
        w.slot = slot;
        self.by_uid.insert(w.uid.clone(), slot);
        self.slots.push(Some(Box::new(w)));
        slot
    }

    pub fn slot_of(&self, uid: &str) -> Option<usize> {
        self.by_uid.get(uid).copied()
    }

    /// Takes the worker out of its slot (to run it); `put` brings it back.
    pub fn take(&mut self, slot: usize) -> Option<Box<PodWorker>> {
        self.slots.get_mut(slot).and_then(Option::take)
    }

    pub fn put(&mut self, w: Box<PodWorker>) {
        let slot = w.slot;
        if let Some(s) = self.slots.get_mut(slot) {
            *s = Some(w);
        }
    }

    pub fn get(&self, uid: &str) -> Option<&PodWorker> {
        self.slot_of(uid)
            .and_then(|s| self.slots.get(s))
            .and_then(|w| w.as_deref())
    }

    /// The node of the worker in `slot` (None once it is gone or while it runs).
    pub fn node_of_slot(&self, slot: usize) -> Option<&str> {
        self.slots
            .get(slot)
            .and_then(|w| w.as_deref())
            .map(|w| w.node.as_str())
    }

    pub fn contains(&self, uid: &str) -> bool {
        self.get(uid).is_some()
    }

    /// Forgets a worker for good.
    pub fn remove(&mut self, uid: &str) -> Option<Box<PodWorker>> {
        let slot = self.by_uid.remove(uid)?;
        self.slots.get_mut(slot).and_then(Option::take)
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut PodWorker> {
        self.slots.iter_mut().filter_map(|w| w.as_deref_mut())
    }
}
