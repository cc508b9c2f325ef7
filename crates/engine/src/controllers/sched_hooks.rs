//! The state and timers of the node-side controllers (node lifecycle, taint eviction, drain waits),
//! kept in one place so the shared loop needs one field, one task variant and a few hook calls.

use podplay_api::time::Millis;
use std::collections::BTreeMap;

use crate::cluster::Task;
use crate::simulation::Simulation;

/// Timers of the node lifecycle and taint eviction controllers.
#[derive(Debug, Clone, PartialEq)]
pub enum SchedTask {
    /// The node lifecycle controller's monitor pass finds the node's lease older than the grace period.
    NodeMonitor { node: String, gen: u64 },
    /// The taint eviction controller's timer for one pod ran out.
    TaintEviction { uid: String, gen: u64 },
    /// PodGC's pass for a pod bound to a node that does not exist.
    PodGcOrphan { uid: String },
}

/// A node whose kubelet is gone (`sim node-down`).
#[derive(Debug, Clone, Default)]
pub struct DownNode {
    pub since: Millis,
    pub gen: u64,
    /// Kubelet work that came due while the kubelet was gone, replayed when it returns.
    pub parked: Vec<Task>,
}

#[derive(Debug, Clone, Default)]
pub struct SchedState {
    pub down: BTreeMap<String, DownNode>,
    pub gen: u64,
    /// Scheduled taint evictions by pod uid: (generation, when).
    pub evictions: BTreeMap<String, (u64, Millis)>,
    pub drains: Vec<crate::commands::nodes::PendingDrain>,
    /// (resourceVersion, pod count) when the DaemonSet and StatefulSet controllers last looked:
    /// nothing written or removed since means nothing for them to do (probe ticks are the
    /// hot path and change nothing).
    pub last_seen: Option<(u64, usize)>,
}

impl SchedState {
    pub fn next_gen(&mut self) -> u64 {
        self.gen += 1;
        self.gen
    }
}

impl Simulation {
    /// Runs one of this module's timers.
    pub(crate) fn handle_sched_task(&mut self, task: SchedTask) {
        match task {
            SchedTask::NodeMonitor { node, gen } => self.monitor_node_health(&node, gen),
            SchedTask::TaintEviction { uid, gen } => self.taint_eviction_due(&uid, gen),
            SchedTask::PodGcOrphan { uid } => self.gc_orphaned_pod(&uid),
        }
    }

    /// The node a kubelet task belongs to, when that node's kubelet is down: the task waits.
    /// Returns the task back when it may run now.
    pub(crate) fn park_if_kubelet_down(&mut self, task: Task) -> Option<Task> {
        if self.sched.down.is_empty() {
            return Some(task);
        }
        let node = match &task {
            Task::Sync { w }
            | Task::Requeue { w, .. }
            | Task::Continue { w, .. }
            | Task::ContainerWake { w, .. }
            | Task::ProbeTick { w, .. }
            | Task::ProbeTimeout { w, .. } => self.workers.node_of_slot(*w).map(str::to_string),
            Task::Delete { uid, .. } | Task::RemovePod { uid } => {
                self.workers.get(uid).map(|w| w.node.clone())
            }
            _ => None,
        };
        let Some(node) = node else {
            return Some(task);
        };
        let now = self.now();
        match self.sched.down.get_mut(&node) {
            Some(d) => {
                if let Task::Sync { w } = &task {
                    self.cl.pending_syncs.remove(&(*w, now));
                }
                d.parked.push(task);
                None
            }
            None => Some(task),
        }
    }

    /// After every task: drains waiting for their pods to go.
    pub(crate) fn after_task_sched(&mut self) {
        if !self.sched.drains.is_empty() {
            self.check_pending_drains();
        }
    }

    /// After the controllers settled: the node-side controllers that follow pods and nodes.
    pub(crate) fn reconcile_sched_controllers(&mut self) {
        let seen = (self.cl.store.resource_version(), self.cl.store.pods.len());
        if self.sched.last_seen != Some(seen) {
            self.reconcile_daemon_sets();
            self.reconcile_stateful_sets();
            self.sched.last_seen =
                Some((self.cl.store.resource_version(), self.cl.store.pods.len()));
        }
        self.reconcile_namespaces();
        self.finish_foreground_deletions();
    }
}
