//! The cause of a pod's or container's current state, in a sentence a learner can read:
//! "restarted because the liveness probe failed 3 times in a row (failureThreshold 3) at 35 s,
//! 40 s, 45 s". Everything comes from what the cluster recorded (status and events), so the
//! sentence never says more than `kubectl describe` could show.

use podplay_api::time::{Millis, SECOND};
use podplay_engine::view::{ContainerView, PodView, StateView};

use crate::session::{EventRow, Session};

/// `35 s`, `2 min 5 s`.
pub fn at(t: Millis) -> String {
    let (s, ms) = (t / SECOND, t % SECOND);
    if s >= 60 {
        let (m, r) = (s / 60, s % 60);
        if r == 0 {
            format!("{m} min")
        } else {
            format!("{m} min {r} s")
        }
    } else if ms != 0 {
        format!("{s}.{ms:03} s")
    } else {
        format!("{s} s")
    }
}

fn list(ts: &[Millis]) -> String {
    let parts: Vec<String> = ts.iter().map(|t| at(*t)).collect();
    parts.join(", ")
}

/// Why the pod (or, with `container`, that container) is in its current state.
pub fn explain(
    session: &Session,
    namespace: &str,
    pod: &str,
    container: Option<&str>,
) -> Option<String> {
    let view = session.view();
    let p = view
        .nodes
        .iter()
        .flat_map(|n| n.pods.iter())
        .chain(view.unscheduled.iter())
        .find(|p| p.namespace == namespace && p.name == pod)?;
    let events: Vec<EventRow> = session
        .events()
        .into_iter()
        .filter(|e| e.namespace == namespace && e.object == format!("pod/{pod}"))
        .collect();
    match container {
        Some(c) => {
            let cv = p
                .init_containers
                .iter()
                .chain(p.containers.iter())
                .find(|x| x.name == c)?;
            Some(explain_container(p, cv, &events))
        }
        None => Some(explain_pod(p, &events, view.t)),
    }
}

fn explain_pod(p: &PodView, events: &[EventRow], now: Millis) -> String {
    if let Some(d) = &p.deletion {
        let left = (d.deadline - now).max(0);
        return format!(
            "being deleted: its containers got SIGTERM and have {} of the {} s grace period left before SIGKILL",
            at(left),
            d.grace_seconds
        );
    }
    if p.node.is_none() {
        return match &p.unschedulable {
            Some(m) => format!("not scheduled: {m}"),
            None => "waiting for the scheduler to pick a node".into(),
        };
    }
    let waiting: Vec<&ContainerView> = p
        .init_containers
        .iter()
        .chain(p.containers.iter())
        .filter(|c| matches!(c.state, StateView::Waiting { .. }))
        .collect();
    if let Some(c) = waiting
        .iter()
        .find(|c| !matches!(&c.state, StateView::Waiting { reason, .. } if reason == "PodInitializing" || reason == "ContainerCreating"))
    {
        return format!("container {}: {}", c.name, explain_container(p, c, events));
    }
    if p.status.starts_with("Init:") {
        if let Some(c) = p
            .init_containers
            .iter()
            .find(|c| !matches!(c.state, StateView::Terminated { exit_code: 0, .. }))
        {
            return format!(
                "initializing: init containers run one at a time, and {} has not finished yet",
                c.name
            );
        }
    }
    let not_ready: Vec<&ContainerView> = p.containers.iter().filter(|c| !c.ready).collect();
    if p.phase == "Running" && !not_ready.is_empty() {
        let c = not_ready[0];
        return format!(
            "running but not ready, so Services do not send it traffic: container {} {}",
            c.name,
            explain_container(p, c, events)
        );
    }
    match p.phase.as_str() {
        "Succeeded" => {
            "all containers exited with code 0 and will not restart (restartPolicy)".into()
        }
        "Failed" => {
            "failed: its containers terminated and the restartPolicy does not restart them".into()
        }
        "Running" => "running and ready: every container passed its readiness checks".into(),
        _ => format!("{}: {}", p.phase.to_lowercase(), p.status),
    }
}

fn probe_title(kind: &str) -> &'static str {
    match kind {
        "liveness" => "Liveness",
        "readiness" => "Readiness",
        _ => "Startup",
    }
}

/// Moments of the failed probes of `kind` for container `c` that led up to a kill at `until`.
fn failures_before(
    events: &[EventRow],
    c: &str,
    kind: &str,
    until: Millis,
    n: usize,
) -> Vec<Millis> {
    let prefix = format!("{} probe failed", probe_title(kind));
    let mut ts: Vec<Millis> = events
        .iter()
        .filter(|e| {
            e.reason == "Unhealthy"
                && e.container.as_deref() == Some(c)
                && e.message.starts_with(&prefix)
                && e.t <= until
        })
        .map(|e| e.t)
        .collect();
    let skip = ts.len().saturating_sub(n);
    ts.drain(..skip);
    ts
}

fn explain_container(p: &PodView, c: &ContainerView, events: &[EventRow]) -> String {
    let mut parts = vec![];
    // The last kill the kubelet decided, if the container restarted because of a probe.
    let kill = events.iter().rev().find(|e| {
        e.reason == "Killing"
            && e.container.as_deref() == Some(c.name.as_str())
            && e.message.contains("failed")
    });
    if c.restart_count > 0 {
        let why = match kill {
            Some(k)
                if k.message.contains("liveness probe") || k.message.contains("startup probe") =>
            {
                let kind = if k.message.contains("liveness") {
                    "liveness"
                } else {
                    "startup"
                };
                let threshold = c
                    .probes
                    .iter()
                    .find(|pr| pr.kind == kind)
                    .map_or(3, |pr| pr.failure_threshold);
                let ts = failures_before(events, &c.name, kind, k.t, threshold.max(1) as usize);
                format!(
                    "restarted because the {kind} probe failed {} times in a row (failureThreshold {threshold}) at {}",
                    threshold,
                    list(&ts)
                )
            }
            _ => match &c.last_exit {
                Some((code, reason)) => format!(
                    "restarted {} time{} because it exited with code {code} ({reason})",
                    c.restart_count,
                    if c.restart_count == 1 { "" } else { "s" }
                ),
                None => format!("restarted {} times", c.restart_count),
            },
        };
        parts.push(why);
    }
    match &c.state {
        StateView::Waiting { reason, message } => {
            let s = match reason.as_str() {
                "CrashLoopBackOff" => match &c.backoff {
                    Some(b) => format!(
                        "waiting in CrashLoopBackOff: the kubelet holds the restart back for {} s (the back-off doubles after each crash, up to 5 min), until {}",
                        b.seconds,
                        at(b.until)
                    ),
                    None => "waiting in CrashLoopBackOff: the kubelet holds the restart back".into(),
                },
                "ErrImagePull" | "ImagePullBackOff" => format!(
                    "waiting: the image {} could not be pulled{}",
                    c.image,
                    if message.is_empty() { String::new() } else { format!(" ({message})") }
                ),
                "CreateContainerConfigError" => format!("waiting: {message}"),
                "PodInitializing" => "waiting for the init containers to finish".into(),
                "ContainerCreating" => {
                    if p.sandbox_ready {
                        "being created: pulling the image or starting the container".into()
                    } else {
                        "being created: the pod sandbox (pause container and network) comes first".into()
                    }
                }
                r => {
                    if message.is_empty() {
                        format!("waiting ({r})")
                    } else {
                        format!("waiting ({r}): {message}")
                    }
                }
            };
            parts.push(s);
        }
        StateView::Terminated {
            exit_code,
            reason,
            finished,
        } => {
            let signal = match exit_code {
                137 => " (killed by SIGKILL)",
                143 => " (stopped by SIGTERM)",
                _ => "",
            };
            parts.push(format!(
                "terminated at {} with exit code {exit_code}{signal} ({reason})",
                at(*finished)
            ));
        }
        StateView::Running { since } => {
            if let Some(h) = &c.hook {
                parts.push(format!(
                    "running its {} hook (it must finish before the kubelet goes on)",
                    h.kind
                ));
            }
            let readiness = c.probes.iter().find(|pr| pr.kind == "readiness");
            let startup = c.probes.iter().find(|pr| pr.kind == "startup");
            if let Some(s) = startup.filter(|s| s.result != Some(true)) {
                parts.push(format!(
                    "running since {}, waiting for the startup probe to pass ({} of {} failures allowed so far); liveness and readiness wait for it",
                    at(*since),
                    s.failures,
                    s.failure_threshold
                ));
            } else if c.ready {
                parts.push(format!("running since {} and ready", at(*since)));
            } else if let Some(r) = readiness {
                let last = events.iter().rev().find(|e| {
                    e.reason == "Unhealthy"
                        && e.container.as_deref() == Some(c.name.as_str())
                        && e.message.starts_with("Readiness probe failed")
                });
                let tail = match last {
                    Some(e) => format!("; last failure at {}: {}", at(e.t), e.message),
                    None => String::new(),
                };
                if r.failures > 0 {
                    parts.push(format!(
                        "running since {} but not ready: the readiness probe failed {} time{} in a row (failureThreshold {}){tail}",
                        at(*since),
                        r.failures,
                        if r.failures == 1 { "" } else { "s" },
                        r.failure_threshold
                    ));
                } else {
                    parts.push(format!(
                        "running since {} but not ready yet: the readiness probe has not passed{tail}",
                        at(*since)
                    ));
                }
            } else {
                parts.push(format!("running since {}", at(*since)));
            }
        }
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::at;

    #[test]
    fn moments_read_as_seconds_then_minutes() {
        assert_eq!(at(35_000), "35 s");
        assert_eq!(at(125_000), "2 min 5 s");
        assert_eq!(at(120_000), "2 min");
        assert_eq!(at(8_264), "8.264 s");
    }
}
