//! `kubectl describe pod`, delegated to the kubectl crate's printer.
use podplay_api::time::Millis;
use podplay_api::types::{Event, Pod};

pub fn describe_pod(pod: &Pod, events: &[Event], now: Millis) -> String {
    let refs: Vec<&Event> = events.iter().collect();
    podplay_kubectl::printers::describe::describe_pod(pod, &refs, now)
}
