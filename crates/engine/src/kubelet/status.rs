//! How the kubelet turns what the runtime reports into the API's PodStatus (kubelet-semantics §3):
//! `convertToAPIContainerStatuses` (newest instance is State, the one before is LastState, a pending
//! start error from the reason cache turns State into Waiting), `getPhase`, and the five conditions in
//! the order the kubelet writes them.

use podplay_api::time::Millis;
use podplay_api::types::{
    Container, ContainerState, ContainerStateRunning, ContainerStateTerminated,
    ContainerStateWaiting, ContainerStatus, PodCondition, PodSpec, PodStatus, Time,
};

/// The runtime's view of one container instance, as the status generator needs it.
#[derive(Debug, Clone)]
pub struct InstanceView {
    pub id: String,
    pub restart_count: i32,
    pub image: String,
    pub image_id: String,
    pub started_at: Option<Millis>,
    /// (exit code, reason, finished at)
    pub exit: Option<(i32, String, Millis)>,
    /// Created but not (yet) running.
    pub created_only: bool,
}

pub struct ContainerView<'a> {
    pub spec: &'a Container,
    /// Newest first; at most two are looked at.
    pub instances: Vec<InstanceView>,
    pub pending_error: Option<(String, String)>,
    pub ready: bool,
    pub started: bool,
}

pub fn container_status(
    v: &ContainerView,
    has_init: bool,
    previous: Option<&ContainerStatus>,
) -> ContainerStatus {
    let default_waiting = if has_init {
        "PodInitializing"
    } else {
        "ContainerCreating"
    };
    let mut st = ContainerStatus {
        name: v.spec.name.clone(),
        image: v.spec.image.clone().unwrap_or_default(),
        ..Default::default()
    };
    match v.instances.first() {
        None => {
            st.state.waiting = Some(ContainerStateWaiting {
                reason: Some(default_waiting.into()),
                message: None,
            });
            // A container that never ran keeps the restart count of what the API last said.
            st.restart_count = previous.map_or(0, |p| p.restart_count);
        }
        Some(newest) => {
            st.state = instance_state(newest);
            st.restart_count = newest.restart_count;
            st.image_id = newest.image_id.clone();
            st.container_id = Some(format!("containerd://{}", newest.id));
            if let Some(prev) = v.instances.get(1) {
                st.last_state = instance_state(prev);
            }
            st.ready = v.ready && newest.exit.is_none() && !newest.created_only;
            st.started = Some(v.started && newest.exit.is_none() && !newest.created_only);
        }
    }
    if let Some((reason, message)) = &v.pending_error {
        // "If a container should be restarted in next syncpod, it is *Waiting*."
        if st.state.running.is_none() {
            if st.state.terminated.is_some() {
                st.last_state = st.state.clone();
            }
            st.state = ContainerState {
                waiting: Some(ContainerStateWaiting {
                    reason: Some(reason.clone()),
                    message: (!message.is_empty()).then(|| message.clone()),
                }),
                ..Default::default()
            };
            st.ready = false;
            if st.started.is_some() {
                st.started = Some(false);
            }
        }
    }
    st
}

fn instance_state(i: &InstanceView) -> ContainerState {
    let cid = Some(format!("containerd://{}", i.id));
    if let Some((code, reason, finished)) = &i.exit {
        ContainerState {
            terminated: Some(ContainerStateTerminated {
                exit_code: *code,
                reason: Some(reason.clone()),
                started_at: i.started_at.map(Time),
                finished_at: Some(Time(*finished)),
                container_id: cid,
                ..Default::default()
            }),
            ..Default::default()
        }
    } else if let (Some(s), false) = (i.started_at, i.created_only) {
        ContainerState {
            running: Some(ContainerStateRunning {
                started_at: Some(Time(s)),
            }),
            ..Default::default()
        }
    } else {
        ContainerState {
            waiting: Some(ContainerStateWaiting::default()),
            ..Default::default()
        }
    }
}

fn is_sidecar(c: &Container) -> bool {
    c.restart_policy.as_deref() == Some("Always")
}

/// `getPhase(pod, statuses, podIsTerminal)` (kubelet_pods.go), step by step as §3.4 lists it.
pub fn pod_phase(
    spec: &PodSpec,
    init: &[ContainerStatus],
    app: &[ContainerStatus],
    pod_is_terminal: bool,
) -> &'static str {
    let (
        mut pending,
        mut running,
        mut waiting,
        mut stopped,
        mut succeeded,
        mut unknown,
        mut failed_init,
    ) = (0, 0, 0, 0, 0, 0, 0);
    for c in &spec.init_containers {
        let st = init.iter().find(|s| s.name == c.name);
        if is_sidecar(c) {
            match st {
                None => unknown += 1,
                Some(s) if s.state.running.is_some() => {
                    if s.started == Some(true) {
                        running += 1
                    } else {
                        pending += 1
                    }
                }
                Some(s) if s.state.terminated.is_some() => {}
                Some(s) => {
                    if s.last_state.terminated.is_none() {
                        pending += 1;
                        waiting += 1;
                    }
                }
            }
            continue;
        }
        match st {
            None => pending += 1,
            Some(s) if s.state.running.is_some() => pending += 1,
            Some(s) if s.state.terminated.is_some() => {
                if s.state
                    .terminated
                    .as_ref()
                    .is_some_and(|t| t.exit_code != 0)
                {
                    failed_init += 1;
                }
            }
            Some(s) => {
                if s.last_state
                    .terminated
                    .as_ref()
                    .is_some_and(|t| t.exit_code != 0)
                {
                    failed_init += 1;
                } else {
                    pending += 1;
                }
            }
        }
    }
    for c in &spec.containers {
        match app.iter().find(|s| s.name == c.name) {
            None => unknown += 1,
            Some(s) if s.state.running.is_some() => running += 1,
            Some(s) if s.state.terminated.is_some() => {
                stopped += 1;
                if s.state
                    .terminated
                    .as_ref()
                    .is_some_and(|t| t.exit_code == 0)
                {
                    succeeded += 1;
                }
            }
            Some(s) => {
                if s.last_state.terminated.is_some() {
                    stopped += 1;
                } else {
                    waiting += 1;
                }
            }
        }
    }
    let policy = spec.restart_policy();
    let regular_started = app.iter().any(|s| {
        s.state.running.is_some()
            || s.state.terminated.is_some()
            || s.last_state.terminated.is_some()
    });
    if failed_init > 0 && policy == "Never" {
        return "Failed";
    }
    if (pending > 0 && !regular_started) || waiting > 0 {
        return "Pending";
    }
    if running > 0 && unknown == 0 {
        return "Running";
    }
    if running == 0 && stopped > 0 && unknown == 0 {
        if pod_is_terminal {
            return if stopped == succeeded {
                "Succeeded"
            } else {
                "Failed"
            };
        }
        return match policy {
            "Always" => "Running",
            _ if stopped == succeeded => "Succeeded",
            "Never" => "Failed",
            _ => "Running",
        };
    }
    "Pending"
}

fn condition(type_: &str, ok: bool, reason: Option<&str>, message: Option<String>) -> PodCondition {
    PodCondition {
        type_: type_.into(),
        status: if ok { "True" } else { "False" }.into(),
        reason: reason.map(str::to_string),
        message,
        ..Default::default()
    }
}

/// The five conditions, in the order the kubelet writes them (and `kubectl describe` prints them).
pub fn pod_conditions(
    spec: &PodSpec,
    init: &[ContainerStatus],
    app: &[ContainerStatus],
    phase: &str,
    sandbox_ready: bool,
    scheduled_at: Option<Millis>,
) -> Vec<PodCondition> {
    let mut out = vec![condition(
        "PodReadyToStartContainers",
        sandbox_ready,
        None,
        None,
    )];

    // Initialized
    let any_regular_started = app
        .iter()
        .any(|s| s.state.running.is_some() || s.state.terminated.is_some());
    let mut unknown_init = vec![];
    let mut incomplete_init = vec![];
    for c in &spec.init_containers {
        match init.iter().find(|s| s.name == c.name) {
            None => unknown_init.push(c.name.clone()),
            Some(s) => {
                let done = if is_sidecar(c) {
                    s.started == Some(true)
                } else {
                    s.state
                        .terminated
                        .as_ref()
                        .is_some_and(|t| t.exit_code == 0)
                };
                if !done {
                    incomplete_init.push(c.name.clone());
                }
            }
        }
    }
    if spec.init_containers.is_empty()
        || any_regular_started
        || (unknown_init.is_empty() && incomplete_init.is_empty())
    {
        out.push(condition("Initialized", true, None, None));
    } else {
        let mut parts = vec![];
        if !unknown_init.is_empty() {
            parts.push(format!(
                "containers with unknown status: [{}]",
                unknown_init.join(" ")
            ));
        }
        if !incomplete_init.is_empty() {
            parts.push(format!(
                "containers with incomplete status: [{}]",
                incomplete_init.join(" ")
            ));
        }
        out.push(condition(
            "Initialized",
            false,
            Some("ContainersNotInitialized"),
            Some(parts.join(", ")),
        ));
    }

    // ContainersReady and Ready
    let mut unknown = vec![];
    let mut unready = vec![];
    for c in spec.init_containers.iter().filter(|c| is_sidecar(c)) {
        match init.iter().find(|s| s.name == c.name) {
            None => unknown.push(c.name.clone()),
            Some(s) if !s.ready => unready.push(c.name.clone()),
            _ => {}
        }
    }
    for c in &spec.containers {
        match app.iter().find(|s| s.name == c.name) {
            None => unknown.push(c.name.clone()),
            Some(s) if !s.ready => unready.push(c.name.clone()),
            _ => {}
        }
    }
    let containers_ready = if phase == "Succeeded" && unknown.is_empty() {
        condition("ContainersReady", false, Some("PodCompleted"), None)
    } else if phase == "Failed" {
        condition("ContainersReady", false, Some("PodFailed"), None)
    } else if unknown.is_empty() && unready.is_empty() {
        condition("ContainersReady", true, None, None)
    } else {
        let mut parts = vec![];
        if !unknown.is_empty() {
            parts.push(format!(
                "containers with unknown status: [{}]",
                unknown.join(" ")
            ));
        }
        if !unready.is_empty() {
            parts.push(format!(
                "containers with unready status: [{}]",
                unready.join(" ")
            ));
        }
        condition(
            "ContainersReady",
            false,
            Some("ContainersNotReady"),
            Some(parts.join(", ")),
        )
    };
    let mut ready = containers_ready.clone();
    ready.type_ = "Ready".into();
    if ready.status == "True" {
        let missing: Vec<_> = spec
            .readiness_gates
            .iter()
            .map(|g| g.condition_type.clone())
            .collect();
        if let Some(first) = missing.first() {
            ready = condition(
                "Ready",
                false,
                Some("ReadinessGatesNotReady"),
                Some(format!(
                    "corresponding condition of pod readiness gate \"{first}\" does not exist."
                )),
            );
        }
    }
    out.push(ready);
    out.push(containers_ready);
    let mut scheduled = condition("PodScheduled", true, None, None);
    scheduled.last_transition_time = scheduled_at.map(Time);
    out.push(scheduled);
    out
}

/// Carries lastTransitionTime over from the previous status where a condition's status is unchanged.
pub fn stamp_transitions(new: &mut [PodCondition], old: &[PodCondition], now: Millis) {
    for c in new.iter_mut() {
        let prev = old.iter().find(|o| o.type_ == c.type_);
        c.last_transition_time = match prev {
            Some(p) if p.status == c.status => p.last_transition_time,
            _ => c.last_transition_time.or(Some(Time(now))),
        };
        c.last_probe_time = None;
    }
}

/// QoS class (pkg/apis/core/helper/qos): BestEffort without any request or limit, Guaranteed when
/// every container's cpu and memory limits are set and equal to the requests, else Burstable.
pub fn qos_class(spec: &PodSpec) -> &'static str {
    let all: Vec<&Container> = spec
        .init_containers
        .iter()
        .chain(&spec.containers)
        .collect();
    let any = all
        .iter()
        .any(|c| !c.resources.requests.is_empty() || !c.resources.limits.is_empty());
    if !any {
        return "BestEffort";
    }
    let guaranteed = spec.containers.iter().all(|c| {
        let r = &c.resources;
        ["cpu", "memory"].iter().all(|k| {
            let l = r.limits.get(*k);
            let q = r.requests.get(*k).or(l);
            l.is_some() && l == q
        })
    });
    if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

pub fn empty_status() -> PodStatus {
    PodStatus::default()
}
