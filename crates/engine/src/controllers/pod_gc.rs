//! PodGC's orphan pass (pkg/controller/podgc `gcOrphaned`): a pod bound to a node that does not
//! exist is, after the node has been missing for the 40 s quarantine, marked Failed with a
//! DisruptionTarget condition (`DeletionByPodGC`, "PodGC: node no longer exists") and deleted at
//! once. The controller passes every 20 s (`gcCheckPeriod`).

use podplay_api::time::{Millis, SECOND};
use podplay_api::types::{PodCondition, Time};

use crate::cluster::Task;
use crate::controllers::sched_hooks::SchedTask;
use crate::simulation::Simulation;

pub const GC_CHECK_PERIOD: Millis = 20 * SECOND;
pub const QUARANTINE: Millis = 40 * SECOND;

/// When PodGC deletes a pod first seen bound to a missing node at `t`: the pass that notices the
/// node missing, plus the quarantine.
pub fn orphan_deleted_at(t: Millis) -> Millis {
    (t.div_euclid(GC_CHECK_PERIOD) + 1) * GC_CHECK_PERIOD + QUARANTINE
}

impl Simulation {
    /// A pod was bound to `node`; if no such node exists, PodGC will collect it.
    pub(crate) fn watch_orphan(&mut self, uid: &str, node: &str) {
        if self.cl.store.nodes.contains_key(node) {
            return;
        }
        let at = orphan_deleted_at(self.now());
        self.cl.agenda.schedule(
            at,
            Task::Sched(SchedTask::PodGcOrphan {
                uid: uid.to_string(),
            }),
        );
    }

    pub(crate) fn gc_orphaned_pod(&mut self, uid: &str) {
        let Some(pod) = self.cl.store.pod_by_uid(uid) else {
            return;
        };
        let Some(node) = pod.spec.node_name.clone() else {
            return;
        };
        if self.cl.store.nodes.contains_key(&node) {
            return;
        }
        let key = crate::store::key_of(&pod.metadata);
        let now = self.now();
        if let Some(p) = self.cl.store.pods.get_mut(&key) {
            let st = p.status.get_or_insert_with(Default::default);
            st.phase = Some("Failed".into());
            st.conditions.retain(|c| c.type_ != "DisruptionTarget");
            st.conditions.push(PodCondition {
                type_: "DisruptionTarget".into(),
                status: "True".into(),
                reason: Some("DeletionByPodGC".into()),
                message: Some("PodGC: node no longer exists".into()),
                last_transition_time: Some(Time(now)),
                ..Default::default()
            });
            self.cl.store.versions.stamp(&mut p.metadata);
            self.cl.dirty.insert(key.clone());
        }
        self.delete_pod(&key, Some(0), true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orphans_go_one_quarantine_after_the_pass_that_sees_the_node_missing() {
        assert_eq!(orphan_deleted_at(0), 60 * SECOND);
        assert_eq!(orphan_deleted_at(25 * SECOND), 80 * SECOND);
    }
}
