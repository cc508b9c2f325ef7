//! The READY, STATUS and RESTARTS cells of `kubectl get pods`: a port of `printPod` in
//! `pkg/printers/internalversion/printers.go` (kubelet-semantics.md §5.1–5.2).

use podplay_api::time::Millis;
use podplay_api::types::{Container, ContainerStatus, Pod, PodStatus};

use crate::duration::human_duration;

/// `pod.status.reason` the node lifecycle controller sets on pods of an unreachable node.
const NODE_UNREACHABLE_POD_REASON: &str = "NodeLost";

/// Everything printPod derives from a pod's status in one pass (it computes them together
/// because the init-container loop decides both STATUS and which restarts count).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodSummary {
    pub ready: i32,
    pub total: i32,
    pub reason: String,
    pub restarts: i32,
    /// Latest `lastState.terminated.finishedAt` among the containers whose restarts are counted.
    pub last_restart: Option<Millis>,
}

fn is_sidecar(pod: &Pod, name: &str) -> bool {
    pod.spec
        .init_containers
        .iter()
        .find(|c: &&Container| c.name == name)
        .is_some_and(|c| c.is_sidecar())
}

fn later(a: Option<Millis>, b: Option<Millis>) -> Option<Millis> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

fn last_finished(cs: &ContainerStatus) -> Option<Millis> {
    cs.last_state
        .terminated
        .as_ref()
        .and_then(|t| t.finished_at)
        .map(|t| t.0)
}

fn condition_true(status: &PodStatus, type_: &str) -> bool {
    status
        .conditions
        .iter()
        .any(|c| c.type_ == type_ && c.status == "True")
}

pub fn summarize(pod: &Pod) -> PodSummary {
    let default_status = PodStatus::default();
    let status = pod.status.as_ref().unwrap_or(&default_status);
    let phase = status.phase.clone().unwrap_or_default();
    let mut reason = match status.reason.as_deref() {
        Some(r) if !r.is_empty() => r.to_string(),
        _ => phase.clone(),
    };
    if status
        .conditions
        .iter()
        .any(|c| c.type_ == "PodScheduled" && c.reason.as_deref() == Some("SchedulingGated"))
    {
        reason = "SchedulingGated".to_string();
    }

    let mut total = pod.spec.containers.len() as i32;
    total += pod
        .spec
        .init_containers
        .iter()
        .filter(|c| c.is_sidecar())
        .count() as i32;
    let mut ready = 0;
    let mut restarts = 0;
    let mut sidecar_restarts = 0;
    let mut last_restart: Option<Millis> = None;
    let mut last_sidecar_restart: Option<Millis> = None;

    let n_init = pod.spec.init_containers.len();
    let mut initializing = false;
    for (i, c) in status.init_container_statuses.iter().enumerate() {
        restarts += c.restart_count;
        last_restart = later(last_restart, last_finished(c));
        let sidecar = is_sidecar(pod, &c.name);
        if sidecar {
            sidecar_restarts += c.restart_count;
            last_sidecar_restart = later(last_sidecar_restart, last_finished(c));
        }
        let st = &c.state;
        if st.terminated.as_ref().is_some_and(|t| t.exit_code == 0) {
            continue;
        }
        if sidecar && c.started == Some(true) {
            if c.ready {
                ready += 1;
            }
            continue;
        }
        if let Some(t) = &st.terminated {
            reason = match t.reason.as_deref() {
                Some(r) if !r.is_empty() => format!("Init:{r}"),
                _ => match t.signal {
                    Some(s) if s != 0 => format!("Init:Signal:{s}"),
                    _ => format!("Init:ExitCode:{}", t.exit_code),
                },
            };
        } else if let Some(r) = st
            .waiting
            .as_ref()
            .and_then(|w| w.reason.as_deref())
            .filter(|r| !r.is_empty() && *r != "PodInitializing")
        {
            reason = format!("Init:{r}");
        } else {
            reason = format!("Init:{i}/{n_init}");
        }
        initializing = true;
        break;
    }

    if !initializing || condition_true(status, "Initialized") {
        restarts = sidecar_restarts;
        last_restart = last_sidecar_restart;
        let mut has_running = false;
        // Reverse order: with statuses sorted by name, the alphabetically first container's
        // waiting/terminated reason is the one left standing.
        for c in status.container_statuses.iter().rev() {
            restarts += c.restart_count;
            last_restart = later(last_restart, last_finished(c));
            let st = &c.state;
            let waiting = st
                .waiting
                .as_ref()
                .and_then(|w| w.reason.as_deref())
                .filter(|r| !r.is_empty());
            if let Some(r) = waiting {
                reason = r.to_string();
            } else if let Some(t) = &st.terminated {
                reason = match t.reason.as_deref() {
                    Some(r) if !r.is_empty() => r.to_string(),
                    _ => match t.signal {
                        Some(s) if s != 0 => format!("Signal:{s}"),
                        _ => format!("ExitCode:{}", t.exit_code),
                    },
                };
            } else if c.ready && st.running.is_some() {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            reason = if condition_true(status, "Ready") {
                "Running".to_string()
            } else {
                "NotReady".to_string()
            };
        }
    }

    let deleting = pod.metadata.deletion_timestamp.is_some();
    let terminal = phase == "Succeeded" || phase == "Failed";
    if deleting && status.reason.as_deref() == Some(NODE_UNREACHABLE_POD_REASON) {
        reason = "Unknown".to_string();
    } else if deleting && !terminal {
        reason = "Terminating".to_string();
    }

    PodSummary {
        ready,
        total,
        reason,
        restarts,
        last_restart,
    }
}

/// The STATUS column.
pub fn pod_status_reason(pod: &Pod) -> String {
    summarize(pod).reason
}

/// The READY column: `ready/total`.
pub fn pod_ready(pod: &Pod) -> String {
    let s = summarize(pod);
    format!("{}/{}", s.ready, s.total)
}

/// The RESTARTS column as (count, cell): `3` or `3 (11s ago)`.
pub fn pod_restarts(pod: &Pod, now: Millis) -> (i32, String) {
    let s = summarize(pod);
    (s.restarts, restarts_cell(&s, now))
}

pub(crate) fn restarts_cell(s: &PodSummary, now: Millis) -> String {
    match s.last_restart {
        Some(t) if s.restarts != 0 => format!("{} ({} ago)", s.restarts, human_duration(now - t)),
        _ => s.restarts.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::printers::testutil::{at, pod};
    use serde_json::json;

    fn running(name: &str, ready: bool, restarts: i32) -> serde_json::Value {
        json!({"name": name, "ready": ready, "restartCount": restarts, "image": "busybox", "imageID": "",
               "state": {"running": {"startedAt": at(1)}}})
    }
    fn waiting(name: &str, reason: &str, restarts: i32) -> serde_json::Value {
        json!({"name": name, "ready": false, "restartCount": restarts, "image": "busybox", "imageID": "",
               "state": {"waiting": {"reason": reason}}})
    }
    fn terminated(
        name: &str,
        reason: Option<&str>,
        code: i32,
        signal: Option<i32>,
    ) -> serde_json::Value {
        let mut t = json!({"exitCode": code, "startedAt": at(1), "finishedAt": at(3)});
        if let Some(r) = reason {
            t["reason"] = json!(r);
        }
        if let Some(s) = signal {
            t["signal"] = json!(s);
        }
        json!({"name": name, "ready": false, "restartCount": 0, "image": "busybox", "imageID": "",
               "state": {"terminated": t}})
    }

    fn status(p: &Pod) -> (String, String) {
        (pod_status_reason(p), pod_ready(p))
    }

    #[test]
    fn status_is_the_phase_when_containers_are_fine() {
        let p = pod(
            "web",
            &["web"],
            &[],
            json!({"phase": "Running", "containerStatuses": [running("web", true, 0)]}),
        );
        assert_eq!(status(&p), ("Running".into(), "1/1".into()));
        let p = pod("web", &["web"], &[], json!({"phase": "Pending"}));
        assert_eq!(status(&p), ("Pending".into(), "0/1".into()));
    }

    #[test]
    fn running_but_unready_container_keeps_phase_and_is_not_counted() {
        let p = pod(
            "web",
            &["web"],
            &[],
            json!({"phase": "Running", "containerStatuses": [running("web", false, 0)]}),
        );
        assert_eq!(status(&p), ("Running".into(), "0/1".into()));
    }

    #[test]
    fn waiting_reason_wins_container_creating_crashloop_imagepull() {
        for r in [
            "ContainerCreating",
            "CrashLoopBackOff",
            "ErrImagePull",
            "ImagePullBackOff",
            "CreateContainerConfigError",
            "PostStartHookError",
        ] {
            let p = pod(
                "web",
                &["web"],
                &[],
                json!({"phase": "Pending", "containerStatuses": [waiting("web", r, 0)]}),
            );
            assert_eq!(pod_status_reason(&p), r);
        }
    }

    #[test]
    fn terminated_reason_then_signal_then_exit_code() {
        let p = pod(
            "j",
            &["j"],
            &[],
            json!({"phase": "Succeeded", "containerStatuses": [terminated("j", Some("Completed"), 0, None)]}),
        );
        assert_eq!(pod_status_reason(&p), "Completed");
        let p = pod(
            "j",
            &["j"],
            &[],
            json!({"phase": "Failed", "containerStatuses": [terminated("j", Some("Error"), 1, None)]}),
        );
        assert_eq!(pod_status_reason(&p), "Error");
        let p = pod(
            "j",
            &["j"],
            &[],
            json!({"phase": "Failed", "containerStatuses": [terminated("j", None, 137, Some(9))]}),
        );
        assert_eq!(pod_status_reason(&p), "Signal:9");
        let p = pod(
            "j",
            &["j"],
            &[],
            json!({"phase": "Failed", "containerStatuses": [terminated("j", None, 2, None)]}),
        );
        assert_eq!(pod_status_reason(&p), "ExitCode:2");
        let p = pod(
            "j",
            &["j"],
            &[],
            json!({"phase": "Running", "containerStatuses": [terminated("j", Some("OOMKilled"), 137, None)]}),
        );
        assert_eq!(pod_status_reason(&p), "OOMKilled");
    }

    #[test]
    fn alphabetically_first_container_reason_wins() {
        // Statuses are sorted by name; the reverse loop leaves the first one's reason.
        let p = pod(
            "p",
            &["a", "b"],
            &[],
            json!({"phase": "Running",
            "containerStatuses": [waiting("a", "CrashLoopBackOff", 2), waiting("b", "ErrImagePull", 0)]}),
        );
        assert_eq!(pod_status_reason(&p), "CrashLoopBackOff");
    }

    #[test]
    fn completed_with_a_running_container_is_running_or_not_ready() {
        let st = |ready_cond: &str| {
            json!({"phase": "Running",
            "conditions": [{"type": "Ready", "status": ready_cond}],
            "containerStatuses": [terminated("a", Some("Completed"), 0, None), running("b", true, 0)]})
        };
        let p = pod("p", &["a", "b"], &[], st("False"));
        assert_eq!(status(&p), ("NotReady".into(), "1/2".into()));
        let p = pod("p", &["a", "b"], &[], st("True"));
        assert_eq!(pod_status_reason(&p), "Running");
    }

    #[test]
    fn init_containers_show_progress_errors_and_waiting_reasons() {
        let p = pod(
            "m",
            &["app"],
            &["i1", "i2"],
            json!({"phase": "Pending",
            "initContainerStatuses": [waiting("i1", "PodInitializing", 0), waiting("i2", "PodInitializing", 0)],
            "containerStatuses": [waiting("app", "PodInitializing", 0)]}),
        );
        assert_eq!(pod_status_reason(&p), "Init:0/2");
        let p = pod(
            "m",
            &["app"],
            &["i1", "i2"],
            json!({"phase": "Pending",
            "initContainerStatuses": [terminated("i1", Some("Completed"), 0, None), running("i2", false, 0)],
            "containerStatuses": [waiting("app", "PodInitializing", 0)]}),
        );
        assert_eq!(pod_status_reason(&p), "Init:1/2");
        let p = pod(
            "m",
            &["app"],
            &["check"],
            json!({"phase": "Failed",
            "initContainerStatuses": [terminated("check", Some("Error"), 1, None)],
            "containerStatuses": [waiting("app", "PodInitializing", 0)]}),
        );
        assert_eq!(pod_status_reason(&p), "Init:Error");
        let p = pod(
            "m",
            &["app"],
            &["check"],
            json!({"phase": "Pending",
            "initContainerStatuses": [waiting("check", "CrashLoopBackOff", 3)],
            "containerStatuses": [waiting("app", "PodInitializing", 0)]}),
        );
        assert_eq!(pod_status_reason(&p), "Init:CrashLoopBackOff");
        assert_eq!(
            pod_restarts(&p, 10_000).0,
            3,
            "init restarts count while initializing"
        );
        let p = pod(
            "m",
            &["app"],
            &["check"],
            json!({"phase": "Pending",
            "initContainerStatuses": [terminated("check", None, 1, Some(15))]}),
        );
        assert_eq!(pod_status_reason(&p), "Init:Signal:15");
        let p = pod(
            "m",
            &["app"],
            &["check"],
            json!({"phase": "Pending",
            "initContainerStatuses": [terminated("check", None, 3, None)]}),
        );
        assert_eq!(pod_status_reason(&p), "Init:ExitCode:3");
    }

    #[test]
    fn pod_initializing_after_init_done() {
        let p = pod(
            "m",
            &["app"],
            &["i1"],
            json!({"phase": "Pending",
            "conditions": [{"type": "Initialized", "status": "True"}],
            "initContainerStatuses": [terminated("i1", Some("Completed"), 0, None)],
            "containerStatuses": [waiting("app", "PodInitializing", 0)]}),
        );
        assert_eq!(pod_status_reason(&p), "PodInitializing");
    }

    #[test]
    fn started_sidecars_count_in_ready_and_total() {
        let mut sc = running("proxy", true, 1);
        sc["started"] = json!(true);
        let p = pod(
            "m",
            &["app"],
            &["proxy+"],
            json!({"phase": "Running",
            "conditions": [{"type": "Initialized", "status": "True"}],
            "initContainerStatuses": [sc], "containerStatuses": [running("app", true, 0)]}),
        );
        assert_eq!(status(&p), ("Running".into(), "2/2".into()));
        assert_eq!(
            pod_restarts(&p, 0).0,
            1,
            "sidecar restarts count after init"
        );
    }

    #[test]
    fn deletion_shows_terminating_unless_terminal_or_node_lost() {
        let mk = |phase: &str, reason: Option<&str>| {
            let mut st = json!({"phase": phase, "containerStatuses": [running("web", true, 0)]});
            if let Some(r) = reason {
                st["reason"] = json!(r);
            }
            let mut p = pod("web", &["web"], &[], st);
            p.metadata.deletion_timestamp = Some(podplay_api::types::Time(30_000));
            p
        };
        assert_eq!(pod_status_reason(&mk("Running", None)), "Terminating");
        assert_eq!(
            pod_status_reason(&mk("Running", Some("NodeLost"))),
            "Unknown"
        );
        let mut done = mk("Succeeded", None);
        done.status.as_mut().unwrap().container_statuses = vec![];
        assert_eq!(pod_status_reason(&done), "Succeeded");
    }

    #[test]
    fn status_reason_evicted_and_scheduling_gated() {
        let p = pod(
            "p",
            &["c"],
            &[],
            json!({"phase": "Failed", "reason": "Evicted"}),
        );
        assert_eq!(pod_status_reason(&p), "Evicted");
        let p = pod(
            "p",
            &["c"],
            &[],
            json!({"phase": "Pending",
            "conditions": [{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]}),
        );
        assert_eq!(pod_status_reason(&p), "SchedulingGated");
    }

    #[test]
    fn restarts_show_time_since_last_termination() {
        let mut c = waiting("crash", "CrashLoopBackOff", 3);
        c["lastState"] =
            json!({"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": at(4)}});
        let p = pod(
            "crash",
            &["crash"],
            &[],
            json!({"phase": "Running", "containerStatuses": [c]}),
        );
        assert_eq!(pod_restarts(&p, 15_000), (3, "3 (11s ago)".to_string()));
        let p = pod(
            "web",
            &["web"],
            &[],
            json!({"phase": "Running", "containerStatuses": [running("web", true, 0)]}),
        );
        assert_eq!(pod_restarts(&p, 15_000), (0, "0".to_string()));
    }
}
