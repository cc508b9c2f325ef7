//! Helpers for the rule tests: start a run from manifests, read the trace the way a user reads
//! `kubectl get -w` and `kubectl get events -w`, and look at the API objects the kubelet wrote.
//! Times are virtual milliseconds (`Millis`); `S` is one second.

#![allow(dead_code)]

use podplay_api::time::Millis;
use podplay_api::types::{ContainerStatus, Pod, PodCondition};
use podplay_engine::commands::parse_script;
use podplay_engine::{Record, Simulation};

pub const S: Millis = 1_000;

/// A run: manifests applied at t=0 on the default teaching cluster.
pub fn start(yaml: &str) -> Simulation {
    start_with(yaml, "", &[])
}

/// Like `start`, with a timed script (`@30s kubectl delete pod web`) and images that every node
/// already has (so that the reference draw "image already present, StartedAt = 1" applies).
pub fn start_with(yaml: &str, script: &str, present_images: &[&str]) -> Simulation {
    let mut sim = Simulation::new(1);
    let manifests = match podplay_api::parse_manifests("pod.yaml", yaml) {
        Ok(m) => m,
        Err(d) => panic!(
            "manifest rejected: {}",
            d.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        ),
    };
    let objects: Vec<_> = manifests.into_iter().map(|m| m.object).collect();
    sim.ensure_nodes(&objects);
    for node in sim.cl.nodes.values_mut() {
        for image in present_images {
            node.images.insert((*image).to_string());
        }
    }
    if !script.is_empty() {
        let lines = parse_script(script).unwrap_or_else(|e| panic!("bad script: {e}"));
        sim.set_script(lines, None);
    }
    for o in objects {
        if let Err(e) = sim.apply_object(o, "pod.yaml") {
            panic!("apply failed: {e}");
        }
    }
    sim
}

/// One event occurrence from the trace.
#[derive(Debug, Clone, PartialEq)]
pub struct Ev {
    pub t: Millis,
    pub type_: String,
    pub reason: String,
    pub message: String,
    pub object: String,
    pub field_path: Option<String>,
    pub source: String,
}

/// Every event occurrence about `Pod/<pod>`, in trace order.
pub fn events(sim: &Simulation, pod: &str) -> Vec<Ev> {
    sim.trace()
        .iter()
        .filter_map(|r| match r {
            Record::Event(o) if o.involved.kind == "Pod" && o.involved.name == pod => Some(Ev {
                t: o.t,
                type_: o.type_.to_string(),
                reason: o.reason.clone(),
                message: o.message.clone(),
                object: format!("{}/{}", o.involved.kind, o.involved.name),
                field_path: o.involved.field_path.clone(),
                source: o.source.clone(),
            }),
            _ => None,
        })
        .collect()
}

/// The occurrences of one reason about a pod.
pub fn reason(sim: &Simulation, pod: &str, reason: &str) -> Vec<Ev> {
    events(sim, pod)
        .into_iter()
        .filter(|e| e.reason == reason)
        .collect()
}

/// Occurrences of one reason whose message starts with `prefix`.
pub fn reason_msg(sim: &Simulation, pod: &str, reason_: &str, prefix: &str) -> Vec<Ev> {
    reason(sim, pod, reason_)
        .into_iter()
        .filter(|e| e.message.starts_with(prefix))
        .collect()
}

/// The times of the `Started` events of one container.
pub fn started(sim: &Simulation, pod: &str, container: &str) -> Vec<Millis> {
    reason(sim, pod, "Started")
        .into_iter()
        .filter(|e| e.message == format!("Started container {container}"))
        .map(|e| e.t)
        .collect()
}

/// One `kubectl get pods -w` row: what changed and when.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub t: Millis,
    pub status: String,
    pub ready: String,
    pub restarts: String,
    pub deleted: bool,
}

pub fn rows(sim: &Simulation, pod: &str) -> Vec<Row> {
    sim.trace()
        .iter()
        .filter_map(|r| match r {
            Record::Object {
                t,
                kind: "Pod",
                name,
                columns,
                deleted,
                ..
            } if name == pod => {
                let col = |k: &str| {
                    columns
                        .iter()
                        .find(|(c, _)| *c == k)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default()
                };
                Some(Row {
                    t: *t,
                    status: col("STATUS"),
                    ready: col("READY"),
                    restarts: col("RESTARTS"),
                    deleted: *deleted,
                })
            }
            _ => None,
        })
        .collect()
}

/// The row in effect at `t` (the last one emitted at or before it).
pub fn row_at(sim: &Simulation, pod: &str, t: Millis) -> Option<Row> {
    rows(sim, pod).into_iter().rfind(|r| r.t <= t)
}

/// The first row at or after `from` that satisfies `pred`.
pub fn first_row(
    sim: &Simulation,
    pod: &str,
    from: Millis,
    pred: impl Fn(&Row) -> bool,
) -> Option<Row> {
    rows(sim, pod).into_iter().find(|r| r.t >= from && pred(r))
}

/// The STATUS values in the order they were shown, consecutive repeats collapsed.
pub fn statuses(sim: &Simulation, pod: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for r in rows(sim, pod) {
        if out.last() != Some(&r.status) {
            out.push(r.status);
        }
    }
    out
}

pub fn pod<'a>(sim: &'a Simulation, name: &str) -> &'a Pod {
    sim.cl
        .store
        .pods
        .get(&("default".to_string(), name.to_string()))
        .unwrap_or_else(|| panic!("pod {name} not in the store"))
}

pub fn pod_exists(sim: &Simulation, name: &str) -> bool {
    sim.cl
        .store
        .pods
        .contains_key(&("default".to_string(), name.to_string()))
}

pub fn phase(sim: &Simulation, name: &str) -> String {
    pod(sim, name)
        .status
        .as_ref()
        .and_then(|s| s.phase.clone())
        .unwrap_or_default()
}

pub fn uid(sim: &Simulation, name: &str) -> String {
    pod(sim, name).metadata.uid.clone().unwrap_or_default()
}

pub fn pod_ip(sim: &Simulation, name: &str) -> String {
    pod(sim, name)
        .status
        .as_ref()
        .and_then(|s| s.pod_ip.clone())
        .unwrap_or_default()
}

pub fn conditions(sim: &Simulation, name: &str) -> Vec<PodCondition> {
    pod(sim, name)
        .status
        .as_ref()
        .map(|s| s.conditions.clone())
        .unwrap_or_default()
}

pub fn condition(sim: &Simulation, name: &str, type_: &str) -> PodCondition {
    conditions(sim, name)
        .into_iter()
        .find(|c| c.type_ == type_)
        .unwrap_or_else(|| panic!("pod {name} has no {type_} condition"))
}

/// The status of an app or init container.
pub fn container(sim: &Simulation, pod_name: &str, c: &str) -> ContainerStatus {
    let st = pod(sim, pod_name).status.clone().unwrap_or_default();
    st.container_statuses
        .into_iter()
        .chain(st.init_container_statuses)
        .find(|s| s.name == c)
        .unwrap_or_else(|| panic!("pod {pod_name} has no status for container {c}"))
}

pub fn waiting_reason(cs: &ContainerStatus) -> Option<String> {
    cs.state.waiting.as_ref().and_then(|w| w.reason.clone())
}

/// Runs a kubectl line now and returns stdout (stderr appended after a marker when non-empty).
pub fn kubectl(sim: &mut Simulation, line: &str) -> String {
    match sim.run_command(line) {
        Some(o) if o.stderr.is_empty() => o.stdout,
        Some(o) => format!("{}<stderr>{}", o.stdout, o.stderr),
        None => String::new(),
    }
}

/// Steps the run to `until` one second at a time and calls `look` after each step, for facts
/// that only the API object holds (waiting messages, conditions) and that change between rows.
pub fn watch(sim: &mut Simulation, until: Millis, mut look: impl FnMut(&Simulation)) {
    let mut t = sim.now();
    while t < until {
        t = (t + S).min(until);
        sim.run_until(t);
        look(sim);
    }
}

/// `a` lies in `[lo, hi]` (inclusive), with a message naming the rule.
#[track_caller]
pub fn assert_within(what: &str, a: Millis, lo: Millis, hi: Millis) {
    assert!(
        (lo..=hi).contains(&a),
        "{what}: {a} ms is outside [{lo}, {hi}] ms"
    );
}
