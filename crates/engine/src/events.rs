//! client-go's event recorder as the cluster's components use it (kubelet-semantics §8): identical
//! events (same source, involved object including fieldPath, type, reason and message) are merged into
//! one Event object whose count grows; a spam filter per (source, object) lets a burst of 25 through
//! and then one every five minutes.

use podplay_api::time::{Millis, SECOND};
use podplay_api::types::{Event, EventSource, ObjectMeta, ObjectReference, Time};
use std::collections::BTreeMap;

/// EventAggregator: from the 10th distinct message of similar events within 10 minutes, they are
/// merged into one "(combined from similar events)" event (`defaultAggregateMaxEvents`,
/// `defaultAggregateIntervalInSeconds`).
const AGGREGATE_MAX_EVENTS: usize = 10;
const AGGREGATE_INTERVAL: Millis = 600 * SECOND;

/// `defaultSpamBurst` and `defaultSpamQPS` (1/300 s).
const SPAM_BURST: f64 = 25.0;
const SPAM_REFILL_EVERY: Millis = 300 * SECOND;

/// Who an event is about: an object, and for container events the `spec.containers{name}` path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Involved {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub uid: String,
    pub field_path: Option<String>,
}

/// One recorded occurrence, as the trace reports it (no aggregation).
#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence {
    pub t: Millis,
    pub type_: &'static str,
    pub reason: String,
    pub message: String,
    pub involved: Involved,
    pub source: String,
}

#[derive(Debug, Clone, Default)]
pub struct Recorder {
    /// Event objects as the apiserver stores them, in creation order.
    pub events: Vec<Event>,
    by_key: BTreeMap<(String, Involved, &'static str, String, String), usize>,
    spam: BTreeMap<(String, Involved), (f64, Millis)>,
    /// Similar events (same source, object, type, reason; any message): the distinct messages seen.
    #[allow(clippy::type_complexity)]
    aggregates: BTreeMap<
        (String, Involved, &'static str, String),
        (std::collections::BTreeSet<String>, Millis),
    >,
    next_name: u64,
}

impl Recorder {
    /// Records an event; returns the occurrence if the spam filter let it through.
    pub fn record(
        &mut self,
        now: Millis,
        source: &str,
        involved: Involved,
        type_: &'static str,
        reason: &str,
        message: String,
    ) -> Option<Occurrence> {
        // EventCorrelate: aggregate similar ones, count identical ones, then the spam filter.
        let (message, combined) = self.aggregate(now, source, &involved, type_, reason, message);
        if !self.spam_allows(now, source, &involved) {
            return None;
        }
        // A combined event is one object for all similar ones: its key leaves the message out.
        let key_message = if combined {
            String::new()
        } else {
            message.clone()
        };
        let key_involved = if combined {
            Involved {
                field_path: None,
                ..involved.clone()
            }
        } else {
            involved.clone()
        };
        let key = (
            source.to_string(),
            key_involved,
            type_,
            reason.to_string(),
            key_message,
        );
        if let Some(&i) = self.by_key.get(&key) {
            let e = &mut self.events[i];
            e.count = Some(e.count.unwrap_or(1) + 1);
            e.last_timestamp = Some(Time(now));
            e.message = Some(message.clone());
        } else {
            self.next_name += 1;
            let event = Event {
                api_version: Some("v1".into()),
                kind: Some("Event".into()),
                metadata: ObjectMeta {
                    // Real names are `<object>.<16 hex of the nanosecond timestamp>`.
                    name: Some(format!(
                        "{}.{:016x}",
                        involved.name,
                        0x17d0_0000_0000_0000u64 + self.next_name
                    )),
                    // Events about cluster-scoped objects (nodes) are stored in "default".
                    namespace: Some(if involved.namespace.is_empty() {
                        "default".to_string()
                    } else {
                        involved.namespace.clone()
                    }),
                    ..Default::default()
                },
                involved_object: ObjectReference {
                    kind: Some(involved.kind.clone()),
                    namespace: Some(involved.namespace.clone()),
                    name: Some(involved.name.clone()),
                    uid: Some(involved.uid.clone()),
                    api_version: Some("v1".into()),
                    field_path: involved.field_path.clone(),
                    ..Default::default()
                },
                reason: Some(reason.to_string()),
                message: Some(message.clone()),
                source: EventSource {
                    component: Some(source.to_string()),
                    host: None,
                },
                first_timestamp: Some(Time(now)),
                last_timestamp: Some(Time(now)),
                count: Some(1),
                type_: Some(type_.to_string()),
                ..Default::default()
            };
            self.by_key.insert(key, self.events.len());
            self.events.push(event);
        }
        Some(Occurrence {
            t: now,
            type_,
            reason: reason.to_string(),
            message,
            involved,
            source: source.to_string(),
        })
    }

    /// `EventAggregate`: the message to record, combined once similar events have 10 distinct messages.
    fn aggregate(
        &mut self,
        now: Millis,
        source: &str,
        involved: &Involved,
        type_: &'static str,
        reason: &str,
        message: String,
    ) -> (String, bool) {
        let key = (
            source.to_string(),
            Involved {
                field_path: None,
                ..involved.clone()
            },
            type_,
            reason.to_string(),
        );
        let entry = self
            .aggregates
            .entry(key)
            .or_insert_with(|| (Default::default(), now));
        if now - entry.1 > AGGREGATE_INTERVAL {
            entry.0.clear();
        }
        entry.1 = now;
        entry.0.insert(message.clone());
        if entry.0.len() < AGGREGATE_MAX_EVENTS {
            return (message, false);
        }
        // The set does not grow beyond the limit (client-go pops one).
        if let Some(first) = entry.0.iter().next().cloned() {
            entry.0.remove(&first);
        }
        (format!("(combined from similar events): {message}"), true)
    }

    /// A token bucket per (source, object), refilled lazily.
    fn spam_allows(&mut self, now: Millis, source: &str, involved: &Involved) -> bool {
        let entry = self
            .spam
            .entry((
                source.to_string(),
                Involved {
                    field_path: None,
                    ..involved.clone()
                },
            ))
            .or_insert((SPAM_BURST, now));
        let refill = (now - entry.1) as f64 / SPAM_REFILL_EVERY as f64;
        entry.0 = (entry.0 + refill).min(SPAM_BURST);
        entry.1 = now;
        if entry.0 >= 1.0 {
            entry.0 -= 1.0;
            true
        } else {
            false
        }
    }

    /// Events about one object (any field path), oldest first.
    pub fn for_object<'a>(
        &'a self,
        kind: &'a str,
        namespace: &'a str,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Event> + 'a {
        self.events.iter().filter(move |e| {
            e.involved_object.kind.as_deref() == Some(kind)
                && e.involved_object.namespace.as_deref() == Some(namespace)
                && e.involved_object.name.as_deref() == Some(name)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str) -> Involved {
        Involved {
            kind: "Pod".into(),
            namespace: "default".into(),
            name: name.into(),
            uid: "u".into(),
            field_path: None,
        }
    }

    #[test]
    fn identical_events_merge_into_one_with_a_count() {
        let mut r = Recorder::default();
        for t in [0, 5_000, 10_000] {
            r.record(
                t,
                "kubelet",
                pod("p"),
                "Warning",
                "Unhealthy",
                "Liveness probe failed: x".into(),
            );
        }
        assert_eq!(r.events.len(), 1);
        assert_eq!(r.events[0].count, Some(3));
        assert_eq!(r.events[0].first_timestamp, Some(Time(0)));
        assert_eq!(r.events[0].last_timestamp, Some(Time(10_000)));
    }

    #[test]
    fn similar_events_from_the_tenth_distinct_message_are_combined() {
        let mut r = Recorder::default();
        for i in 0..12 {
            r.record(
                i * 1000,
                "kubelet",
                pod("p"),
                "Warning",
                "Unhealthy",
                format!("m{i}"),
            );
        }
        assert_eq!(r.events.len(), 10, "nine plain events and one combined one");
        assert_eq!(
            r.events[9].message.as_deref(),
            Some("(combined from similar events): m11")
        );
        assert_eq!(r.events[9].count, Some(3));
    }

    #[test]
    fn spam_filter_allows_a_burst_of_25_then_one_per_five_minutes() {
        let mut r = Recorder::default();
        let passed = (0..40)
            .filter(|i| {
                r.record(
                    *i,
                    "kubelet",
                    pod("p"),
                    "Warning",
                    "Unhealthy",
                    format!("m{i}"),
                )
                .is_some()
            })
            .count();
        assert_eq!(passed, 25);
        assert!(r
            .record(
                40 + 300_000,
                "kubelet",
                pod("p"),
                "Warning",
                "Unhealthy",
                "late".into()
            )
            .is_some());
        assert!(r
            .record(
                41 + 300_000,
                "kubelet",
                pod("p"),
                "Warning",
                "Unhealthy",
                "later".into()
            )
            .is_none());
    }
}
