//! The taint eviction controller (pkg/controller/tainteviction, controllers-semantics §8): pods on
//! a node with NoExecute taints are deleted at once when a taint is not tolerated, after the
//! smallest matching `tolerationSeconds` when all are, never when tolerated without seconds.
//! A timer is cancelled (with an event) when the taints go away first.

use podplay_api::time::seconds;
use podplay_api::types::{Pod, Taint};

use crate::cluster::Task;
use crate::controllers::sched_hooks::SchedTask;
use crate::events::Involved;
use crate::scheduler::taints::toleration_matches;
use crate::simulation::Simulation;

const SOURCE: &str = "taint-eviction-controller";

/// `getMinTolerationTime` over the tolerations that match the taints: None = tolerated forever,
/// Some(0) = now. Untolerated taints also give Some(0).
pub fn eviction_delay_seconds(pod: &Pod, taints: &[Taint]) -> Option<i64> {
    let no_execute: Vec<&Taint> = taints.iter().filter(|t| t.effect == "NoExecute").collect();
    if no_execute.is_empty() {
        return None;
    }
    let mut min: Option<i64> = None;
    for taint in &no_execute {
        let matching: Vec<_> = pod
            .spec
            .tolerations
            .iter()
            .filter(|t| toleration_matches(t, taint))
            .collect();
        if matching.is_empty() {
            return Some(0);
        }
        for t in matching {
            if let Some(s) = t.toleration_seconds {
                let s = s.max(0);
                min = Some(min.map_or(s, |m| m.min(s)));
            }
        }
    }
    min
}

fn involved(pod: &Pod) -> Involved {
    Involved {
        kind: "Pod".into(),
        namespace: pod.metadata.namespace.clone().unwrap_or_default(),
        name: pod.metadata.name.clone().unwrap_or_default(),
        uid: pod.metadata.uid.clone().unwrap_or_default(),
        field_path: None,
    }
}

impl Simulation {
    /// The node's taints changed: start or cancel eviction timers for its pods.
    pub(crate) fn process_node_taints(&mut self, node: &str) {
        let taints = self
            .cl
            .store
            .nodes
            .get(node)
            .map(|n| n.spec.taints.clone())
            .unwrap_or_default();
        let pods: Vec<Pod> = self
            .cl
            .store
            .pods
            .values()
            .filter(|p| {
                p.spec.node_name.as_deref() == Some(node) && p.metadata.deletion_timestamp.is_none()
            })
            .cloned()
            .collect();
        let now = self.now();
        for pod in pods {
            let uid = pod.metadata.uid.clone().unwrap_or_default();
            match eviction_delay_seconds(&pod, &taints) {
                None => {
                    if self.sched.evictions.remove(&uid).is_some() {
                        let msg = format!(
                            "Cancelling deletion of Pod {}/{}",
                            pod.metadata.namespace.as_deref().unwrap_or(""),
                            pod.metadata.name.as_deref().unwrap_or("")
                        );
                        self.cl.event(
                            SOURCE,
                            involved(&pod),
                            "Normal",
                            "TaintManagerEviction",
                            msg,
                        );
                    }
                }
                Some(delay) => {
                    if self.sched.evictions.contains_key(&uid) {
                        continue;
                    }
                    let gen = self.sched.next_gen();
                    let at = now.saturating_add(seconds(delay));
                    self.sched.evictions.insert(uid.clone(), (gen, at));
                    self.cl
                        .agenda
                        .schedule(at, Task::Sched(SchedTask::TaintEviction { uid, gen }));
                }
            }
        }
    }

    /// A timer ran out: mark the pod and delete it (gracefully; a gone kubelet never finishes it).
    pub(crate) fn taint_eviction_due(&mut self, uid: &str, gen: u64) {
        if self.sched.evictions.get(uid).map(|e| e.0) != Some(gen) {
            return;
        }
        self.sched.evictions.remove(uid);
        let Some(pod) = self.cl.store.pod_by_uid(uid).cloned() else {
            return;
        };
        let key = crate::store::key_of(&pod.metadata);
        let msg = format!("Marking for deletion Pod {}/{}", key.0, key.1);
        self.cl.event(
            SOURCE,
            involved(&pod),
            "Normal",
            "TaintManagerEviction",
            msg,
        );
        self.add_disruption_target(
            &key,
            "DeletionByTaintManager",
            "Taint manager: deleting due to NoExecute taint",
        );
        self.delete_pod(&key, None, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use podplay_api::types::Toleration;

    fn taint(key: &str, effect: &str) -> Taint {
        Taint {
            key: key.into(),
            value: None,
            effect: effect.into(),
            time_added: None,
        }
    }

    fn tol(key: &str, secs: Option<i64>) -> Toleration {
        Toleration {
            key: Some(key.into()),
            operator: Some("Exists".into()),
            effect: Some("NoExecute".into()),
            toleration_seconds: secs,
            ..Default::default()
        }
    }

    #[test]
    fn min_toleration_seconds_sets_the_eviction_delay() {
        let mut pod = Pod::default();
        let unreachable = vec![taint("node.kubernetes.io/unreachable", "NoExecute")];
        // Not tolerated: at once.
        assert_eq!(eviction_delay_seconds(&pod, &unreachable), Some(0));
        // The DefaultTolerationSeconds toleration: 300 s.
        pod.spec
            .tolerations
            .push(tol("node.kubernetes.io/unreachable", Some(300)));
        assert_eq!(eviction_delay_seconds(&pod, &unreachable), Some(300));
        pod.spec
            .tolerations
            .push(tol("node.kubernetes.io/unreachable", Some(60)));
        assert_eq!(eviction_delay_seconds(&pod, &unreachable), Some(60));
        // Tolerated without seconds (DaemonSet pods): never.
        let mut ds = Pod::default();
        ds.spec
            .tolerations
            .push(tol("node.kubernetes.io/unreachable", None));
        assert_eq!(eviction_delay_seconds(&ds, &unreachable), None);
        // NoSchedule taints never evict.
        assert_eq!(
            eviction_delay_seconds(&Pod::default(), &[taint("x", "NoSchedule")]),
            None
        );
    }
}
