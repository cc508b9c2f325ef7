//! Probe workers (pkg/kubelet/prober/worker.go, kubelet-semantics §1.2–1.4): one per (container,
//! probe type), ticking every periodSeconds from the moment the pod was admitted. This module holds
//! the worker's bookkeeping and its threshold rules; running the probe action against the container
//! is the pod worker's job, since it owns the containers.

use podplay_api::time::{Millis, SECOND};
use podplay_api::types::Probe;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProbeKind {
    Liveness,
    Readiness,
    Startup,
}

impl ProbeKind {
    /// `probeType.String()`, as it starts event messages.
    pub fn title(self) -> &'static str {
        match self {
            ProbeKind::Liveness => "Liveness",
            ProbeKind::Readiness => "Readiness",
            ProbeKind::Startup => "Startup",
        }
    }

    /// The value a result starts at for a new container (`worker.initialValue`).
    pub fn initial(self) -> ProbeResult {
        match self {
            ProbeKind::Liveness => ProbeResult::Success,
            ProbeKind::Readiness => ProbeResult::Failure,
            ProbeKind::Startup => ProbeResult::Unknown,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeResult {
    Success,
    Failure,
    Unknown,
}

/// What a probe worker reads of its container in the pod status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Running { started_at: Millis, started: bool },
    NotRunning { terminated: bool },
}

/// What running a probe action gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Success,
    /// Success, but with a warning event (an HTTP redirect not followed).
    Warning(String),
    Failure(String),
    /// The prober itself failed (e.g. a named port that does not exist): not counted.
    Error(String),
}

#[derive(Debug, Clone)]
pub struct ProbeWorker {
    pub container: String,
    pub kind: ProbeKind,
    /// Shared, so running a probe does not copy its spec.
    pub probe: std::rc::Rc<Probe>,
    /// Bumped when the ticker is reset or the worker stops, so stale ticks are ignored.
    pub gen: u64,
    pub stopped: bool,
    pub on_hold: bool,
    pub result_run: i32,
    pub last_result: Option<ProbeResult>,
    pub container_id: Option<String>,
    /// An exec probe still running: (exec id, instance id, started at).
    pub in_flight: Option<(u64, String, Millis)>,
    /// Moments of the consecutive failures so far, for explanations ("failed 3 times at 35 s, 40 s, 45 s").
    pub failures: Vec<Millis>,
    /// The last attempt that counted: when, and whether it passed (the playground's probe pulse).
    pub last_at: Option<(Millis, bool)>,
    /// What the status said about the container, and the status version it was read from.
    pub seen: Option<(u64, Target)>,
    /// The HTTP request this probe sends (built once; the pod IP and port do not change).
    pub http_request: Option<std::rc::Rc<podplay_runtime::HttpRequest>>,
}

impl ProbeWorker {
    pub fn new(container: &str, kind: ProbeKind, probe: Probe) -> ProbeWorker {
        ProbeWorker {
            container: container.to_string(),
            kind,
            probe: std::rc::Rc::new(probe),
            gen: 0,
            stopped: false,
            on_hold: false,
            result_run: 0,
            last_result: None,
            container_id: None,
            in_flight: None,
            failures: vec![],
            last_at: None,
            seen: None,
            http_request: None,
        }
    }

    pub fn period(&self) -> Millis {
        self.probe.period().max(1) as Millis * SECOND
    }

    pub fn timeout(&self) -> Millis {
        self.probe.timeout().max(1) as Millis * SECOND
    }

    /// Step 7: `int32(time.Since(startedAt).Seconds()) < initialDelaySeconds` — note the truncation.
    pub fn initial_delay_pending(&self, started_at: Millis, now: Millis) -> bool {
        ((now - started_at) / SECOND) < self.probe.initial_delay() as i64
    }

    /// Steps 10–11: counts consecutive identical results and says which result (if any) to publish.
    pub fn count(&mut self, result: ProbeResult, now: Millis) -> Option<ProbeResult> {
        self.last_at = Some((now, result == ProbeResult::Success));
        if self.last_result == Some(result) {
            self.result_run += 1;
        } else {
            self.last_result = Some(result);
            self.result_run = 1;
        }
        if result == ProbeResult::Failure {
            if self.result_run == 1 {
                self.failures.clear();
            }
            self.failures.push(now);
        }
        let publish = (result == ProbeResult::Failure
            && self.result_run < self.probe.failure_threshold())
            || (result == ProbeResult::Success && self.result_run < self.probe.success_threshold());
        if publish {
            return None;
        }
        if (self.kind == ProbeKind::Liveness && result == ProbeResult::Failure)
            || self.kind == ProbeKind::Startup
        {
            // Stop probing until the container restarts.
            self.on_hold = true;
            self.result_run = 0;
        }
        Some(result)
    }

    /// A new container appeared: forget the old one's history (step 3).
    pub fn reset_for(&mut self, container_id: &str) {
        self.container_id = Some(container_id.to_string());
        self.on_hold = false;
        self.result_run = 0;
        self.last_result = None;
        self.in_flight = None;
        self.failures.clear();
        self.last_at = None;
    }
}

/// The results managers: the last published result per container ID and probe kind.
#[derive(Debug, Clone, Default)]
pub struct Results {
    map: BTreeMap<u64, [Option<ProbeResult>; 3]>,
    /// Bumped on every change: what the pod status depends on.
    pub version: u64,
}

fn slot(kind: ProbeKind) -> usize {
    match kind {
        ProbeKind::Liveness => 0,
        ProbeKind::Readiness => 1,
        ProbeKind::Startup => 2,
    }
}

/// Container IDs are 64 random hex digits; their first 16 identify one among a pod's containers
/// (and compare as one integer, not as 64 bytes, on every probe).
fn key(container_id: &str) -> u64 {
    container_id
        .get(..16)
        .and_then(|h| u64::from_str_radix(h, 16).ok())
        .unwrap_or_else(|| {
            // Not a container ID we made: fall back to a hash of the whole text.
            container_id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
            })
        })
}

impl Results {
    /// Returns true when this changed what was published (only changes reach the sync loop).
    pub fn set(&mut self, container_id: &str, kind: ProbeKind, r: ProbeResult) -> bool {
        let changed =
            self.map.entry(key(container_id)).or_default()[slot(kind)].replace(r) != Some(r);
        if changed {
            self.version += 1;
        }
        changed
    }

    pub fn get(&self, container_id: &str, kind: ProbeKind) -> Option<ProbeResult> {
        self.map.get(&key(container_id)).and_then(|e| e[slot(kind)])
    }

    pub fn remove_container(&mut self, container_id: &str) {
        if self.map.remove(&key(container_id)).is_some() {
            self.version += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn worker(kind: ProbeKind, failure: i32, success: i32, delay: i32) -> ProbeWorker {
        let probe = Probe {
            failure_threshold: Some(failure),
            success_threshold: Some(success),
            initial_delay_seconds: Some(delay),
            ..Default::default()
        };
        ProbeWorker::new("c", kind, probe)
    }

    #[test]
    fn liveness_publishes_failure_only_at_the_failure_threshold() {
        let mut w = worker(ProbeKind::Liveness, 3, 1, 0);
        assert_eq!(w.count(ProbeResult::Failure, 1), None);
        assert_eq!(w.count(ProbeResult::Failure, 2), None);
        assert_eq!(w.count(ProbeResult::Failure, 3), Some(ProbeResult::Failure));
        assert!(
            w.on_hold,
            "liveness goes on hold after publishing a failure"
        );
        assert_eq!(w.failures, vec![1, 2, 3]);
    }

    #[test]
    fn a_success_in_between_restarts_the_failure_count() {
        let mut w = worker(ProbeKind::Readiness, 3, 1, 0);
        w.count(ProbeResult::Failure, 1);
        w.count(ProbeResult::Failure, 2);
        assert_eq!(w.count(ProbeResult::Success, 3), Some(ProbeResult::Success));
        assert_eq!(w.count(ProbeResult::Failure, 4), None);
    }

    #[test]
    fn readiness_needs_success_threshold_consecutive_successes() {
        let mut w = worker(ProbeKind::Readiness, 3, 2, 0);
        assert_eq!(w.count(ProbeResult::Success, 1), None);
        assert_eq!(w.count(ProbeResult::Success, 2), Some(ProbeResult::Success));
        assert!(!w.on_hold, "readiness never goes on hold");
    }

    #[test]
    fn startup_goes_on_hold_after_any_published_result() {
        let mut w = worker(ProbeKind::Startup, 3, 1, 0);
        assert_eq!(w.count(ProbeResult::Success, 1), Some(ProbeResult::Success));
        assert!(w.on_hold);
    }

    #[test]
    fn initial_delay_compares_truncated_whole_seconds() {
        let w = worker(ProbeKind::Liveness, 3, 1, 5);
        assert!(
            w.initial_delay_pending(4_000, 8_999),
            "4.999 s truncates to 4 < 5"
        );
        assert!(!w.initial_delay_pending(4_000, 9_000));
    }

    #[test]
    fn results_publish_only_changes() {
        let mut r = Results::default();
        assert!(r.set("id", ProbeKind::Readiness, ProbeResult::Failure));
        assert!(!r.set("id", ProbeKind::Readiness, ProbeResult::Failure));
        assert!(r.set("id", ProbeKind::Readiness, ProbeResult::Success));
    }
}
