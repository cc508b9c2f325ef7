//! Which workloads a pod change concerns: the informers' `addPod`/`updatePod` handlers enqueue
//! the pod's controller (its ReplicaSet, and that ReplicaSet's Deployment) or, for an orphan,
//! every ReplicaSet whose selector matches it (adoption). Syncing only those, instead of every
//! Deployment and ReplicaSet on every pod write, is what keeps a cluster of many workloads cheap;
//! the syncs that do run happen in the same order as a full pass, so traces do not change.

use std::collections::BTreeSet;

use super::{selector_matches, WorkloadKey};
use crate::simulation::Simulation;
use crate::store::Key;
use serde_json::Value;

impl Simulation {
    fn workload_key_by_uid(&self, kind: &str, uid: &str) -> Option<WorkloadKey> {
        self.cl
            .store
            .others
            .iter()
            .find(|((k, _, _), o)| k == kind && o.metadata.uid.as_deref() == Some(uid))
            .map(|(k, _)| k.clone())
    }

    /// The workloads the changed `pods` concern, or None when a pod is gone (its owner is no
    /// longer known; a Recreate rollout waits for exactly that) and everything must sync.
    pub(crate) fn workloads_for_pods(&self, pods: &BTreeSet<Key>) -> Option<BTreeSet<WorkloadKey>> {
        let mut out = BTreeSet::new();
        for k in pods {
            let p = self.cl.store.pods.get(k)?;
            let controller = p
                .metadata
                .owner_references
                .iter()
                .find(|r| r.controller == Some(true));
            match controller {
                Some(r) if r.kind == "ReplicaSet" => {
                    let rs = self.workload_key_by_uid("ReplicaSet", &r.uid)?;
                    self.enqueue_with_owner(&rs, &mut out);
                    out.insert(rs);
                }
                Some(_) => {}
                None => {
                    for ((kind, ns, _), o) in self.cl.store.others.iter() {
                        if kind != "ReplicaSet" || ns != &k.0 {
                            continue;
                        }
                        let selector = o
                            .body
                            .get("spec")
                            .and_then(|s| s.get("selector"))
                            .unwrap_or(&Value::Null);
                        if selector_matches(selector, &p.metadata.labels) {
                            let key = (kind.clone(), ns.clone(), o.metadata.name().to_string());
                            self.enqueue_with_owner(&key, &mut out);
                            out.insert(key);
                        }
                    }
                }
            }
        }
        Some(out)
    }

    /// Adds the Deployment that controls the ReplicaSet `rs`, if any.
    fn enqueue_with_owner(&self, rs: &WorkloadKey, out: &mut BTreeSet<WorkloadKey>) {
        let Some(o) = self.cl.store.others.get(rs) else {
            return;
        };
        if let Some(r) = o
            .metadata
            .owner_references
            .iter()
            .find(|r| r.controller == Some(true) && r.kind == "Deployment")
        {
            if let Some(d) = self.workload_key_by_uid("Deployment", &r.uid) {
                out.insert(d);
            }
        }
    }

    /// The ReplicaSets a Deployment controls.
    fn replica_sets_controlled_by(&self, d: &WorkloadKey) -> Vec<WorkloadKey> {
        let Some(uid) = self
            .cl
            .store
            .others
            .get(d)
            .and_then(|o| o.metadata.uid.clone())
        else {
            return vec![];
        };
        self.cl
            .store
            .others
            .iter()
            .filter(|((k, _, _), o)| {
                k == "ReplicaSet"
                    && o.metadata
                        .owner_references
                        .iter()
                        .any(|r| r.controller == Some(true) && r.uid == uid)
            })
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// `reconcile_workloads` restricted to `queue`: the same passes in the same order
    /// (Deployments, then ReplicaSets, each in key order) until nothing changes, where a
    /// Deployment that changed enqueues its ReplicaSets and a ReplicaSet that changed enqueues its
    /// Deployment — what the full pass would have found changed.
    pub(crate) fn reconcile_workloads_for(&mut self, mut queue: BTreeSet<WorkloadKey>) {
        for _ in 0..64 {
            let mut changed = false;
            let deployments: Vec<WorkloadKey> = queue
                .iter()
                .filter(|(k, _, _)| k == "Deployment")
                .cloned()
                .collect();
            for key in deployments {
                if self.reconcile_deployment(&key) {
                    changed = true;
                    queue.extend(self.replica_sets_controlled_by(&key));
                }
            }
            let sets: Vec<WorkloadKey> = queue
                .iter()
                .filter(|(k, _, _)| k == "ReplicaSet")
                .cloned()
                .collect();
            for key in sets {
                if self.reconcile_replica_set(&key) {
                    changed = true;
                    let mut owner = BTreeSet::new();
                    self.enqueue_with_owner(&key, &mut owner);
                    queue.extend(owner);
                }
            }
            if !changed {
                break;
            }
        }
    }
}
