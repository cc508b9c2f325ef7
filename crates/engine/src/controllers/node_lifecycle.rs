//! The node lifecycle controller (controllers-semantics §8) and a node's kubelet going away
//! (`sim node-down`) and coming back (`sim node-up`).
//!
//! While a node is down its kubelet does nothing: every kubelet task of its pods waits (parked)
//! until it returns. The controller notices at its first monitor pass (every 5 s) after the
//! node's last lease renewal (every 10 s) plus node-monitor-grace-period (50 s from 1.32): the
//! kubelet-owned conditions become Unknown, the pods are marked not Ready, and the node gets the
//! `node.kubernetes.io/unreachable` NoSchedule and NoExecute taints, which start the taint
//! eviction controller's timers.

use podplay_api::time::{Millis, SECOND};
use podplay_api::types::{PodCondition, Taint, Time};

use crate::cluster::Task;
use crate::controllers::sched_hooks::{DownNode, SchedTask};
use crate::events::Involved;
use crate::simulation::Simulation;

/// `--node-monitor-period`.
pub const NODE_MONITOR_PERIOD: Millis = 5 * SECOND;
/// `--node-monitor-grace-period` (50 s from 1.32, PR #126287; the simulated cluster is 1.33).
pub const NODE_MONITOR_GRACE_PERIOD: Millis = 50 * SECOND;
/// The kubelet renews its Lease every 10 s (a quarter of the 40 s lease duration).
pub const LEASE_RENEW_INTERVAL: Millis = 10 * SECOND;

pub const UNREACHABLE: &str = "node.kubernetes.io/unreachable";
pub const NOT_READY: &str = "node.kubernetes.io/not-ready";
pub const UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";

/// When the controller first sees a node that died at `down_at` as unhealthy: the first monitor
/// pass strictly after the last lease renewal plus the grace period.
pub fn not_ready_at(down_at: Millis) -> Millis {
    let last_renew = down_at.div_euclid(LEASE_RENEW_INTERVAL) * LEASE_RENEW_INTERVAL;
    let deadline = last_renew + NODE_MONITOR_GRACE_PERIOD;
    (deadline.div_euclid(NODE_MONITOR_PERIOD) + 1) * NODE_MONITOR_PERIOD
}

pub(crate) fn node_involved(node: &podplay_api::types::Node) -> Involved {
    Involved {
        kind: "Node".into(),
        // A Node has no namespace; the recorder stores its events in "default".
        namespace: String::new(),
        name: node.metadata.name.clone().unwrap_or_default(),
        uid: node.metadata.name.clone().unwrap_or_default(),
        field_path: None,
    }
}

impl Simulation {
    /// `sim node-down NODE`: the node's kubelet stops (power off, network partition).
    pub(crate) fn node_down(&mut self, name: &str) -> Result<String, String> {
        if !self.cl.store.nodes.contains_key(name) {
            return Err(format!("sim node-down: no node named {name:?}"));
        }
        if self.sched.down.contains_key(name) {
            return Err(format!("sim node-down: node {name} is already down"));
        }
        let now = self.now();
        let gen = self.sched.next_gen();
        self.sched.down.insert(
            name.to_string(),
            DownNode {
                since: now,
                gen,
                parked: vec![],
            },
        );
        self.cl.agenda.schedule(
            not_ready_at(now),
            Task::Sched(SchedTask::NodeMonitor {
                node: name.to_string(),
                gen,
            }),
        );
        Ok(format!(
            "node {name} is down: its kubelet stopped posting status\n"
        ))
    }

    /// The monitor pass that finds the node's lease too old.
    pub(crate) fn monitor_node_health(&mut self, name: &str, gen: u64) {
        if self.sched.down.get(name).map(|d| d.gen) != Some(gen) {
            return;
        }
        let now = self.now();
        let Some(node) = self.cl.store.nodes.get_mut(name) else {
            return;
        };
        for c in node.status.conditions.iter_mut() {
            if matches!(
                c.type_.as_str(),
                "Ready" | "MemoryPressure" | "DiskPressure" | "PIDPressure"
            ) {
                c.status = "Unknown".into();
                c.reason = Some("NodeStatusUnknown".into());
                c.message = Some("Kubelet stopped posting node status.".into());
                c.last_transition_time = Some(Time(now));
            }
        }
        // TaintNodesByCondition (NoSchedule) and the NoExecute tainting pass: the first node of
        // the eviction rate limiter goes at once.
        for effect in ["NoSchedule", "NoExecute"] {
            if !node
                .spec
                .taints
                .iter()
                .any(|t| t.key == UNREACHABLE && t.effect == effect)
            {
                node.spec.taints.push(Taint {
                    key: UNREACHABLE.into(),
                    value: None,
                    effect: effect.into(),
                    time_added: Some(Time(now)),
                });
            }
        }
        self.cl.store.versions.stamp(&mut node.metadata);
        let involved = node_involved(node);
        self.cl.event(
            "node-controller",
            involved,
            "Normal",
            "NodeNotReady",
            format!("Node {name} status is now: NodeNotReady"),
        );
        self.mark_pods_not_ready(name);
        self.refresh_node_rows();
        self.process_node_taints(name);
    }

    /// `MarkPodsNotReady`: Ready=False on every pod of the node, with a warning event each.
    fn mark_pods_not_ready(&mut self, node: &str) {
        let now = self.now();
        let keys: Vec<crate::store::Key> = self
            .cl
            .store
            .pods
            .iter()
            .filter(|(_, p)| p.spec.node_name.as_deref() == Some(node))
            .map(|(k, _)| k.clone())
            .collect();
        for key in keys {
            let Some(p) = self.cl.store.pods.get_mut(&key) else {
                continue;
            };
            let st = p.status.get_or_insert_with(Default::default);
            let mut changed = false;
            for c in st.conditions.iter_mut().filter(|c| c.type_ == "Ready") {
                if c.status != "False" {
                    c.status = "False".into();
                    c.last_transition_time = Some(Time(now));
                    changed = true;
                }
            }
            // controllers-semantics §8: `kubectl get pods` then shows Running with READY 0/1,
            // and READY counts ready containers: they are not ready either.
            for cs in st.container_statuses.iter_mut().filter(|cs| cs.ready) {
                cs.ready = false;
                changed = true;
            }
            if !changed {
                continue;
            }
            self.cl.store.versions.stamp(&mut p.metadata);
            let involved = Involved {
                kind: "Pod".into(),
                namespace: key.0.clone(),
                name: key.1.clone(),
                uid: p.metadata.uid.clone().unwrap_or_default(),
                field_path: None,
            };
            self.cl.dirty.insert(key);
            self.cl.event(
                "node-controller",
                involved,
                "Warning",
                "NodeNotReady",
                "Node is not ready".into(),
            );
        }
    }

    /// `sim node-up NODE`: the kubelet is back, posts Ready, and picks up where it stopped.
    pub(crate) fn node_up(&mut self, name: &str) -> Result<String, String> {
        let Some(down) = self.sched.down.remove(name) else {
            return Err(format!("sim node-up: node {name} is not down"));
        };
        let now = self.now();
        let mut was_unknown = false;
        if let Some(node) = self.cl.store.nodes.get_mut(name) {
            let fresh = crate::cluster::node_conditions(now);
            for c in node.status.conditions.iter_mut() {
                if let Some(f) = fresh.iter().find(|f| f.type_ == c.type_) {
                    if c.status != f.status {
                        was_unknown |= c.type_ == "Ready";
                        *c = f.clone();
                    } else {
                        c.last_heartbeat_time = Some(Time(now));
                    }
                }
            }
            node.spec
                .taints
                .retain(|t| t.key != UNREACHABLE && t.key != NOT_READY);
            self.cl.store.versions.stamp(&mut node.metadata);
            if was_unknown {
                let involved = node_involved(node);
                self.cl.event(
                    "node-controller",
                    involved,
                    "Normal",
                    "NodeReady",
                    format!("Node {name} status is now: NodeReady"),
                );
            }
        }
        self.refresh_node_rows();
        self.process_node_taints(name);
        // The kubelet's work resumes; each pod's next sync writes a full status again.
        for task in down.parked {
            match task {
                Task::Sync { w } => self.cl.request_sync(w, now),
                other => self.cl.agenda.schedule(now, other),
            }
        }
        let mut slots = vec![];
        for w in self.workers.values_mut() {
            if w.node == name {
                w.forget_status_signature();
                slots.push(w.slot);
            }
        }
        for s in slots {
            self.cl.request_sync(s, now);
        }
        self.cl.request_schedule();
        Ok(format!(
            "node {name} is up: its kubelet posts status again\n"
        ))
    }

    /// A node's pods get the DisruptionTarget condition before a controller deletes them.
    pub(crate) fn add_disruption_target(
        &mut self,
        key: &crate::store::Key,
        reason: &str,
        message: &str,
    ) {
        let now = self.now();
        if let Some(p) = self.cl.store.pods.get_mut(key) {
            let st = p.status.get_or_insert_with(Default::default);
            st.conditions.retain(|c| c.type_ != "DisruptionTarget");
            st.conditions.push(PodCondition {
                type_: "DisruptionTarget".into(),
                status: "True".into(),
                reason: Some(reason.into()),
                message: Some(message.into()),
                last_transition_time: Some(Time(now)),
                ..Default::default()
            });
            self.cl.store.versions.stamp(&mut p.metadata);
            self.cl.dirty.insert(key.clone());
        }
    }

    /// Node rows changed (conditions, cordon): the trace and the scheduler see it.
    pub(crate) fn refresh_node_rows(&mut self) {
        self.emit_node_rows();
        self.cl.request_schedule();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_is_seen_unhealthy_after_the_last_renewal_plus_the_grace_period() {
        // Down at 30.5 s: last renewal at 30 s, grace ends at 80 s, the next pass is at 85 s.
        assert_eq!(not_ready_at(30_500), 85_000);
        // Down right after a renewal at 60 s: 110 s is not *after* the deadline, 115 s is.
        assert_eq!(not_ready_at(60_000), 115_000);
    }
}
