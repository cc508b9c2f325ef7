//! The ReplicaSet controller (replica_set.go, controllers-semantics §2): claims pods by selector
//! and ownerReference, creates missing pods in slow-start batches (1, 2, 4, ...), deletes surplus
//! pods ranked by `ActivePodsWithRanks`, and writes `status` (replicas, fullyLabeledReplicas,
//! readyReplicas, availableReplicas after minReadySeconds, observedGeneration).

use podplay_api::time::Millis;
use podplay_api::types::{Object, ObjectMeta, OtherObject, Pod, PodSpec};
use serde_json::{json, Map, Value};

use super::{is_active, is_ready, labels_of, owner_ref, selector_matches, WorkloadKey};
use crate::simulation::Simulation;

/// `burstReplicas`: at most this many creates or deletes per sync.
const BURST_REPLICAS: i64 = 500;

pub(crate) fn spec_i64(body: &Map<String, Value>, field: &str) -> Option<i64> {
    body.get("spec")
        .and_then(|s| s.get(field))
        .and_then(Value::as_i64)
}

pub(crate) fn status_i64(body: &Map<String, Value>, field: &str) -> i64 {
    body.get("status")
        .and_then(|s| s.get(field))
        .and_then(Value::as_i64)
        .unwrap_or(0)
}

/// `podutil.IsPodAvailable`: Ready, and Ready since at least minReadySeconds ago. Returns the
/// moment it becomes available when that is still ahead.
pub(crate) fn available_at(p: &Pod, min_ready_seconds: i64) -> Option<Millis> {
    let c = p
        .status
        .as_ref()?
        .conditions
        .iter()
        .find(|c| c.type_ == "Ready" && c.status == "True")?;
    if min_ready_seconds <= 0 {
        return Some(i64::MIN);
    }
    let since = c.last_transition_time.map(|t| t.0)?;
    Some(since.saturating_add(min_ready_seconds.saturating_mul(1000)))
}

impl Simulation {
    /// The controller owner (Deployment) uid of an RS, if any.
    fn controller_uid(meta: &ObjectMeta) -> Option<String> {
        meta.owner_references
            .iter()
            .find(|r| r.controller == Some(true))
            .map(|r| r.uid.clone())
    }

    /// `ClaimPods`: adopts orphans that match the selector, releases owned pods that no longer do.
    /// Returns the keys of the pods it owns, in key order. Pods controlled by someone else are
    /// skipped before any selector work (this runs for every ReplicaSet a pod change concerns).
    fn claim_pods(&mut self, rs: &OtherObject) -> Vec<crate::store::Key> {
        enum Claim {
            Own,
            Release,
            Adopt,
        }
        let uid = rs.metadata.uid.clone().unwrap_or_default();
        let ns = rs.metadata.namespace.clone().unwrap_or_default();
        let selector = rs
            .body
            .get("spec")
            .and_then(|s| s.get("selector"))
            .unwrap_or(&Value::Null);
        let mut claims: Vec<(crate::store::Key, Claim)> = vec![];
        // Only pods that name this ReplicaSet or have no controller can be owned, released or
        // adopted; the owner index lists them in key order (pod_owners.rs).
        for k in self.cl.store.pods_maybe_owned_by(&[uid.as_str()], true) {
            if k.0 != ns {
                continue;
            }
            let Some(p) = self.cl.store.pods.get(k) else {
                continue;
            };
            let controller = p
                .metadata
                .owner_references
                .iter()
                .find(|r| r.controller == Some(true));
            match controller {
                Some(r) if r.uid == uid => {
                    if p.metadata.deletion_timestamp.is_some()
                        || selector_matches(selector, &p.metadata.labels)
                    {
                        claims.push((k.clone(), Claim::Own));
                    } else {
                        claims.push((k.clone(), Claim::Release));
                    }
                }
                None if p.metadata.deletion_timestamp.is_none()
                    && is_active(p)
                    && selector_matches(selector, &p.metadata.labels) =>
                {
                    claims.push((k.clone(), Claim::Adopt));
                }
                _ => {}
            }
        }
        let mut owned = vec![];
        for (k, claim) in claims {
            match claim {
                Claim::Own => owned.push(k),
                Claim::Release => {
                    if let Some(p) = self.cl.store.pods.get_mut(&k) {
                        // Released: the pod keeps running, owned by nobody.
                        p.metadata.owner_references.retain(|r| r.uid != uid);
                        self.cl.store.versions.stamp(&mut p.metadata);
                        self.cl.store.index_pod_owners(&k);
                        self.cl.dirty.insert(k.clone());
                    }
                }
                Claim::Adopt => {
                    if let Some(p) = self.cl.store.pods.get_mut(&k) {
                        p.metadata.owner_references.push(owner_ref(
                            "ReplicaSet",
                            "apps/v1",
                            &rs.metadata,
                        ));
                        self.cl.store.versions.stamp(&mut p.metadata);
                        self.cl.store.pod_owners.adopted(&k);
                        self.cl.store.index_pod_owners(&k);
                        self.cl.dirty.insert(k.clone());
                        owned.push(k);
                    }
                }
            }
        }
        owned
    }

    /// One sync of a ReplicaSet; true when it created or deleted pods.
    pub(crate) fn reconcile_replica_set(&mut self, key: &WorkloadKey) -> bool {
        let Some(rs) = self.cl.store.others.get(key).cloned() else {
            return false;
        };
        if rs.metadata.deletion_timestamp.is_some() {
            // Being deleted in the foreground: the garbage collector removes its pods.
            return false;
        }
        let owned = self.claim_pods(&rs);
        let active: Vec<crate::store::Key> = owned
            .into_iter()
            .filter(|k| self.cl.store.pods.get(k).is_some_and(is_active))
            .collect();
        let want = spec_i64(&rs.body, "replicas").unwrap_or(1).max(0);
        let diff = active.len() as i64 - want;
        let mut acted = false;
        if diff < 0 {
            // slowStartBatch: 1, 2, 4, ... until one batch has an error.
            let mut remaining = (-diff).min(BURST_REPLICAS);
            let mut batch = 1;
            'batches: while remaining > 0 {
                let n = batch.min(remaining);
                for _ in 0..n {
                    if !self.create_pod_from_template(&rs) {
                        break 'batches;
                    }
                    acted = true;
                }
                remaining -= n;
                batch *= 2;
            }
        } else if diff > 0 {
            let now = self.now();
            // Ranked by reference: how many related pods share each one's node.
            let related_per_node = self.related_pods_per_node(&rs);
            let ranked: Vec<(&Pod, usize)> = active
                .iter()
                .filter_map(|k| self.cl.store.pods.get(k))
                .map(|p| {
                    let node = p.spec.node_name.as_deref().unwrap_or_default();
                    (p, related_per_node.get(node).copied().unwrap_or(0))
                })
                .collect();
            let victims: Vec<String> =
                super::pod_ranking::pods_to_delete(ranked, diff.min(BURST_REPLICAS) as usize, now)
                    .into_iter()
                    .map(|v| v.metadata.name.clone().unwrap_or_default())
                    .collect();
            for n in victims {
                let k = (key.1.clone(), n.clone());
                if self.delete_pod(&k, None, false) {
                    acted = true;
                    self.cl.event(
                        "replicaset-controller",
                        Self::involved_of("ReplicaSet", &rs.metadata),
                        "Normal",
                        "SuccessfulDelete",
                        format!("Deleted pod: {n}"),
                    );
                }
            }
        }
        let changed = self.update_replica_set_status(key);
        acted || changed
    }

    /// `getIndirectlyRelatedPods`: the active pods of every RS with the same controller (the
    /// Deployment), or of this RS alone; they rank victims by how doubled-up their node is.
    /// Counted per node name (a pod without one counts under ""), which is all the rank needs.
    fn related_pods_per_node(&self, rs: &OtherObject) -> std::collections::BTreeMap<&str, usize> {
        let uids: Vec<String> = match Self::controller_uid(&rs.metadata) {
            Some(owner) => self
                .cl
                .store
                .others
                .values()
                .filter(|o| {
                    o.kind == "ReplicaSet"
                        && Self::controller_uid(&o.metadata).as_deref() == Some(owner.as_str())
                })
                .filter_map(|o| o.metadata.uid.clone())
                .collect(),
            None => rs.metadata.uid.iter().cloned().collect(),
        };
        let uid_refs: Vec<&str> = uids.iter().map(String::as_str).collect();
        let mut per_node = std::collections::BTreeMap::new();
        for k in self.cl.store.pods_maybe_owned_by(&uid_refs, false) {
            let Some(p) = self.cl.store.pods.get(k) else {
                continue;
            };
            if is_active(p)
                && p.metadata
                    .owner_references
                    .iter()
                    .any(|r| r.controller == Some(true) && uids.contains(&r.uid))
            {
                *per_node
                    .entry(p.spec.node_name.as_deref().unwrap_or_default())
                    .or_insert(0) += 1;
            }
        }
        per_node
    }

    /// RealPodControl.CreatePods: a pod from the template, `generateName: <rs>-`. False on error.
    fn create_pod_from_template(&mut self, rs: &OtherObject) -> bool {
        let tpl = rs
            .body
            .get("spec")
            .and_then(|s| s.get("template"))
            .cloned()
            .unwrap_or(Value::Null);
        let spec: Result<PodSpec, _> =
            podplay_api::yaml::from_json(&tpl.get("spec").cloned().unwrap_or(json!({})));
        let involved = Self::involved_of("ReplicaSet", &rs.metadata);
        let spec = match spec {
            Ok(s) => s,
            Err(e) => {
                self.cl.event(
                    "replicaset-controller",
                    involved,
                    "Warning",
                    "FailedCreate",
                    format!("Error creating: {e}"),
                );
                return false;
            }
        };
        let rs_name = rs.metadata.name.clone().unwrap_or_default();
        let ns = rs.metadata.namespace.clone().unwrap_or_default();
        let base: String = format!("{rs_name}-").chars().take(58).collect();
        let name = loop {
            let candidate = format!("{base}{}", self.random_suffix(5));
            if !self
                .cl
                .store
                .pods
                .contains_key(&(ns.clone(), candidate.clone()))
            {
                break candidate;
            }
        };
        let mut pod = Pod {
            api_version: Some("v1".into()),
            kind: Some("Pod".into()),
            metadata: ObjectMeta {
                name: Some(name.clone()),
                generate_name: Some(base),
                namespace: Some(ns),
                labels: labels_of(tpl.pointer("/metadata/labels").unwrap_or(&Value::Null)),
                annotations: labels_of(
                    tpl.pointer("/metadata/annotations").unwrap_or(&Value::Null),
                ),
                owner_references: vec![owner_ref("ReplicaSet", "apps/v1", &rs.metadata)],
                ..Default::default()
            },
            spec,
            status: None,
        };
        let mut obj = Object::Pod(pod.clone());
        podplay_api::apply_defaults(&mut obj);
        if let Object::Pod(p) = obj {
            pod = p;
        }
        self.create_pod(pod);
        self.cl.event(
            "replicaset-controller",
            involved,
            "Normal",
            "SuccessfulCreate",
            format!("Created pod: {name}"),
        );
        true
    }

    /// `calculateStatus` of replica_set_utils.go, written only when it changed. Pods that are
    /// Ready but not yet available (minReadySeconds) ask for a resync when they will be.
    pub(crate) fn update_replica_set_status(&mut self, key: &WorkloadKey) -> bool {
        let Some(rs) = self.cl.store.others.get(key) else {
            return false;
        };
        let now = self.now();
        let uid = rs.metadata.uid.clone().unwrap_or_default();
        let min_ready = spec_i64(&rs.body, "minReadySeconds").unwrap_or(0);
        let template_labels = labels_of(
            rs.body
                .get("spec")
                .and_then(|s| s.pointer("/template/metadata/labels"))
                .unwrap_or(&Value::Null),
        );
        let pods: Vec<&Pod> = self
            .cl
            .store
            .pods_maybe_owned_by(&[uid.as_str()], false)
            .into_iter()
            .filter_map(|k| self.cl.store.pods.get(k))
            .filter(|p| {
                p.metadata
                    .owner_references
                    .iter()
                    .any(|r| r.uid == uid && r.controller == Some(true))
                    && is_active(p)
            })
            .collect();
        let ready = pods.iter().filter(|p| is_ready(p)).count() as i64;
        let mut available = 0i64;
        let mut wake: Option<Millis> = None;
        for p in &pods {
            if let Some(at) = available_at(p, min_ready) {
                if at <= now {
                    available += 1;
                } else {
                    wake = Some(wake.map_or(at, |w: Millis| w.min(at)));
                }
            }
        }
        let fully_labeled = pods
            .iter()
            .filter(|p| {
                template_labels
                    .iter()
                    .all(|(k, v)| p.metadata.labels.get(k) == Some(v))
            })
            .count() as i64;
        let generation = rs.metadata.generation.unwrap_or(1);
        let mut status = Map::new();
        if available > 0 {
            status.insert("availableReplicas".into(), json!(available));
        }
        if fully_labeled > 0 {
            status.insert("fullyLabeledReplicas".into(), json!(fully_labeled));
        }
        status.insert("observedGeneration".into(), json!(generation));
        if ready > 0 {
            status.insert("readyReplicas".into(), json!(ready));
        }
        status.insert("replicas".into(), json!(pods.len()));
        let status = Value::Object(status);
        let desired = spec_i64(&rs.body, "replicas").unwrap_or(1);
        let columns = vec![
            ("DESIRED", desired.to_string()),
            ("CURRENT", pods.len().to_string()),
            ("READY", ready.to_string()),
        ];
        let changed = rs.body.get("status") != Some(&status);
        if changed {
            if let Some(rs) = self.cl.store.others.get_mut(key) {
                rs.body.insert("status".into(), status);
                self.cl.store.versions.stamp(&mut rs.metadata);
            }
        }
        if let Some(at) = wake {
            self.cl.wake_workloads_at(at);
        }
        self.emit_row("ReplicaSet", &key.1, &key.2, columns);
        changed
    }
}
