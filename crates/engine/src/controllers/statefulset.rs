//! The StatefulSet controller (pkg/controller/statefulset): pods with stable names
//! `<sts>-0 … <sts>-(N-1)`, hostname = pod name and subdomain = `serviceName` (so the headless
//! Service gives each a DNS name). `OrderedReady` (default) creates one pod at a time, each only
//! when every lower ordinal is Running and Ready, and removes surplus pods highest ordinal first,
//! one at a time; `Parallel` does both at once. Rolling updates delete the highest-ordinal pod of
//! an old revision (down to `partition`), one at a time, each after the rest are Ready.

use podplay_api::types::{Object, OtherObject, Pod};
use serde_json::json;

use super::daemonset::{controller_ref, involved, is_ready, revision_hash, template_pod};
use crate::simulation::Simulation;

type OtherKey = (String, String, String);

const SOURCE: &str = "statefulset-controller";

fn spec_i64(o: &OtherObject, ptr: &str, default: i64) -> i64 {
    o.body
        .get("spec")
        .and_then(|s| s.pointer(ptr))
        .and_then(|v| v.as_i64())
        .unwrap_or(default)
}

fn spec_str<'a>(o: &'a OtherObject, ptr: &str) -> Option<&'a str> {
    o.body
        .get("spec")
        .and_then(|s| s.pointer(ptr))
        .and_then(|v| v.as_str())
}

fn running_and_ready(p: &Pod) -> bool {
    p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running") && is_ready(p)
}

/// The ordinal of `<sts>-<i>`, if the name has that form.
pub fn ordinal_of(sts: &str, pod: &str) -> Option<i64> {
    pod.strip_prefix(sts)?
        .strip_prefix('-')?
        .parse::<i64>()
        .ok()
        .filter(|i| *i >= 0)
}

impl Simulation {
    pub(crate) fn reconcile_stateful_sets(&mut self) {
        let keys: Vec<OtherKey> = self
            .cl
            .store
            .others
            .keys()
            .filter(|(k, _, _)| k == "StatefulSet")
            .cloned()
            .collect();
        for k in keys {
            self.reconcile_stateful_set(&k);
        }
    }

    fn reconcile_stateful_set(&mut self, key: &OtherKey) {
        let Some(sts) = self.cl.store.others.get(key).cloned() else {
            return;
        };
        if sts.metadata.deletion_timestamp.is_some() {
            return;
        }
        let name = key.2.clone();
        let ns = key.1.clone();
        let uid = sts.metadata.uid.clone().unwrap_or_default();
        let replicas = spec_i64(&sts, "/replicas", 1).max(0);
        let parallel = spec_str(&sts, "/podManagementPolicy") == Some("Parallel");
        let on_delete = spec_str(&sts, "/updateStrategy/type") == Some("OnDelete");
        let partition = spec_i64(&sts, "/updateStrategy/rollingUpdate/partition", 0);
        let revision = format!("{name}-{}", revision_hash(&sts));
        // Pods by ordinal (owned ones; a same-named pod that is not ours blocks that ordinal).
        let mut pods: Vec<(i64, Pod)> = self
            .cl
            .store
            .pods
            .iter()
            .filter(|((n, _), p)| {
                *n == ns && p.metadata.owner_references.iter().any(|r| r.uid == uid)
            })
            .filter_map(|((_, pn), p)| ordinal_of(&name, pn).map(|i| (i, p.clone())))
            .collect();
        pods.sort_by_key(|(i, _)| *i);
        let get = |i: i64| pods.iter().find(|(o, _)| *o == i).map(|(_, p)| p);
        let any_terminating = pods
            .iter()
            .any(|(_, p)| p.metadata.deletion_timestamp.is_some());

        // Create the missing ordinals.
        for i in 0..replicas {
            match get(i) {
                Some(p) => {
                    if !parallel
                        && (!running_and_ready(p) || p.metadata.deletion_timestamp.is_some())
                    {
                        // OrderedReady: wait for this one before the next.
                        self.update_stateful_set_status(key, &revision);
                        return;
                    }
                }
                None => {
                    if self
                        .cl
                        .store
                        .pods
                        .contains_key(&(ns.clone(), format!("{name}-{i}")))
                    {
                        continue;
                    }
                    self.create_stateful_pod(&sts, i, &revision);
                    if !parallel {
                        self.update_stateful_set_status(key, &revision);
                        return;
                    }
                }
            }
        }
        // Surplus ordinals go highest first.
        let mut condemned: Vec<&Pod> = pods
            .iter()
            .filter(|(i, _)| *i >= replicas)
            .map(|(_, p)| p)
            .collect();
        condemned.reverse();
        let mut deletions: Vec<String> = vec![];
        if parallel {
            deletions.extend(
                condemned
                    .iter()
                    .filter(|p| p.metadata.deletion_timestamp.is_none())
                    .filter_map(|p| p.metadata.name.clone()),
            );
        } else if let Some(top) = condemned.first() {
            let healthy = pods
                .iter()
                .filter(|(i, _)| *i < replicas)
                .all(|(_, p)| running_and_ready(p));
            if top.metadata.deletion_timestamp.is_none() && healthy && !any_terminating {
                deletions.extend(top.metadata.name.clone());
            }
        }
        // Rolling update: one old-revision pod at a time, highest ordinal first.
        if deletions.is_empty() && condemned.is_empty() && !on_delete && !any_terminating {
            let all_ready =
                pods.iter().all(|(_, p)| running_and_ready(p)) && pods.len() as i64 == replicas;
            let old = pods.iter().rev().find(|(i, p)| {
                *i >= partition
                    && p.metadata.labels.get("controller-revision-hash") != Some(&revision)
            });
            if let (true, Some((_, p))) = (all_ready, old) {
                deletions.extend(p.metadata.name.clone());
            }
        }
        for pn in deletions {
            let k = (ns.clone(), pn.clone());
            if self.delete_pod(&k, None, false) {
                self.cl.event(
                    SOURCE,
                    involved("StatefulSet", &sts.metadata),
                    "Normal",
                    "SuccessfulDelete",
                    format!("delete Pod {pn} in StatefulSet {name} successful"),
                );
            }
        }
        self.update_stateful_set_status(key, &revision);
    }

    fn create_stateful_pod(&mut self, sts: &OtherObject, ordinal: i64, revision: &str) {
        let name = sts.metadata.name.clone().unwrap_or_default();
        let Ok(mut pod) = template_pod(sts) else {
            return;
        };
        let pod_name = format!("{name}-{ordinal}");
        pod.metadata.name = Some(pod_name.clone());
        let labels = &mut pod.metadata.labels;
        labels.insert("controller-revision-hash".into(), revision.into());
        labels.insert(
            "statefulset.kubernetes.io/pod-name".into(),
            pod_name.clone(),
        );
        labels.insert("apps.kubernetes.io/pod-index".into(), ordinal.to_string());
        pod.metadata.owner_references = vec![controller_ref("StatefulSet", &sts.metadata)];
        pod.spec.hostname = Some(pod_name.clone());
        if let Some(svc) = spec_str(sts, "/serviceName").filter(|s| !s.is_empty()) {
            pod.spec.subdomain = Some(svc.to_string());
        }
        let mut obj = Object::Pod(pod);
        podplay_api::apply_defaults(&mut obj);
        let Object::Pod(pod) = obj else { return };
        self.create_pod(pod);
        self.cl.event(
            SOURCE,
            involved("StatefulSet", &sts.metadata),
            "Normal",
            "SuccessfulCreate",
            format!("create Pod {pod_name} in StatefulSet {name} successful"),
        );
    }

    fn update_stateful_set_status(&mut self, key: &OtherKey, revision: &str) {
        let Some(sts) = self.cl.store.others.get(key) else {
            return;
        };
        let uid = sts.metadata.uid.clone().unwrap_or_default();
        let pods: Vec<&Pod> = self
            .cl
            .store
            .pods
            .values()
            .filter(|p| {
                p.metadata.deletion_timestamp.is_none()
                    && p.metadata.owner_references.iter().any(|r| r.uid == uid)
            })
            .collect();
        let ready = pods.iter().filter(|p| is_ready(p)).count() as i64;
        let updated = pods
            .iter()
            .filter(|p| {
                p.metadata
                    .labels
                    .get("controller-revision-hash")
                    .map(String::as_str)
                    == Some(revision)
            })
            .count() as i64;
        let want = spec_i64(sts, "/replicas", 1);
        let status = json!({
            "observedGeneration": 1,
            "replicas": pods.len(),
            "readyReplicas": ready,
            "currentReplicas": pods.len() as i64 - (pods.len() as i64 - updated),
            "updatedReplicas": updated,
            "availableReplicas": ready,
            "currentRevision": revision,
            "updateRevision": revision,
        });
        if sts.body.get("status") != Some(&status) {
            if let Some(s) = self.cl.store.others.get_mut(key) {
                s.body.insert("status".into(), status);
                self.cl.store.versions.stamp(&mut s.metadata);
            }
        }
        let columns = vec![("READY", format!("{ready}/{want}"))];
        self.emit_row("StatefulSet", &key.1, &key.2, columns);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_come_from_stable_names_only() {
        assert_eq!(ordinal_of("web", "web-0"), Some(0));
        assert_eq!(ordinal_of("web", "web-12"), Some(12));
        assert_eq!(ordinal_of("web", "web-x"), None);
        assert_eq!(ordinal_of("web", "webby-1"), None);
    }
}
