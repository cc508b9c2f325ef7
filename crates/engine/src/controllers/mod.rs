//! The workload controllers that bring pods into being from templates, as far as the pod
//! experiments need them: a Deployment owns a ReplicaSet named `<deployment>-<pod-template-hash>`,
//! which keeps `replicas` pods named `<replicaset>-<5 random>` (controllers-semantics §1.4, §2).
//! Rollouts, scaling policies and history belong to the workloads work and are not simulated yet.

pub mod daemonset;
pub mod garbage_collector;
pub mod namespace;
pub mod node_lifecycle;
pub mod sched_hooks;
pub mod statefulset;
pub mod taint_eviction;

use podplay_api::types::{Object, ObjectMeta, OtherObject, OwnerReference, Pod, PodSpec, Time};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

use crate::events::Involved;
use crate::simulation::Simulation;
use crate::trace::Record;

/// `rand.SafeEncodeString`: each decimal digit through "bcdfghjklmnpqrstvwxz2456789" at
/// `(int(char) % 27)`, so hashes only use 4-9, b, c, d, f.
pub fn safe_encode(n: u32) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    n.to_string()
        .bytes()
        .map(|c| ALPHABET[(c as usize) % 27] as char)
        .collect()
}

/// FNV-32a over the template's canonical JSON (keys sorted), standing in for `ComputeHash`'s deep
/// hash of the Go struct: the same template always gives the same hash.
pub fn template_hash(template: &Value) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in canonical(template).bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    safe_encode(h)
}

fn canonical(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .iter()
                .map(|k| format!("{:?}:{}", k, canonical(&m[*k])))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(canonical).collect::<Vec<_>>().join(",")
        ),
        other => other.to_string(),
    }
}

fn labels_of(v: &Value) -> BTreeMap<String, String> {
    v.as_object()
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

fn replicas(body: &Map<String, Value>) -> i64 {
    body.get("spec")
        .and_then(|s| s.get("replicas"))
        .and_then(|r| r.as_i64())
        .unwrap_or(1)
        .max(0)
}

fn owner_ref(kind: &str, api_version: &str, meta: &ObjectMeta) -> OwnerReference {
    OwnerReference {
        api_version: api_version.into(),
        kind: kind.into(),
        name: meta.name.clone().unwrap_or_default(),
        uid: meta.uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

fn is_active(p: &Pod) -> bool {
    p.metadata.deletion_timestamp.is_none()
        && !matches!(
            p.status.as_ref().and_then(|s| s.phase.as_deref()),
            Some("Succeeded") | Some("Failed")
        )
}

fn is_ready(p: &Pod) -> bool {
    p.status.as_ref().is_some_and(|s| {
        s.conditions
            .iter()
            .any(|c| c.type_ == "Ready" && c.status == "True")
    })
}

impl Simulation {
    fn involved_of(kind: &str, meta: &ObjectMeta) -> Involved {
        Involved {
            kind: kind.into(),
            namespace: meta.namespace.clone().unwrap_or_default(),
            name: meta.name.clone().unwrap_or_default(),
            uid: meta.uid.clone().unwrap_or_default(),
            field_path: None,
        }
    }

    /// Reconciles every Deployment and ReplicaSet (cheap when there are none).
    pub(crate) fn reconcile_workloads(&mut self) {
        let deployments: Vec<(String, String, String)> = self
            .cl
            .store
            .others
            .keys()
            .filter(|(k, _, _)| k == "Deployment")
            .cloned()
            .collect();
        for key in deployments {
            self.reconcile_deployment(&key);
        }
        let sets: Vec<(String, String, String)> = self
            .cl
            .store
            .others
            .keys()
            .filter(|(k, _, _)| k == "ReplicaSet")
            .cloned()
            .collect();
        for key in sets {
            self.reconcile_replica_set(&key);
        }
        // calculateStatus sums its ReplicaSets' status, so it follows theirs.
        let deployments: Vec<(String, String, String)> = self
            .cl
            .store
            .others
            .keys()
            .filter(|(k, _, _)| k == "Deployment")
            .cloned()
            .collect();
        for key in deployments {
            self.update_deployment_status(&key);
        }
    }

    fn reconcile_deployment(&mut self, key: &(String, String, String)) {
        let Some(d) = self.cl.store.others.get(key).cloned() else {
            return;
        };
        let template = d
            .body
            .get("spec")
            .and_then(|s| s.get("template"))
            .cloned()
            .unwrap_or(Value::Null);
        let hash = template_hash(&template);
        let name = format!("{}-{hash}", key.2);
        let rs_key = ("ReplicaSet".to_string(), key.1.clone(), name.clone());
        let want = replicas(&d.body);
        if !self.cl.store.others.contains_key(&rs_key) {
            let owned_other = self.cl.store.others.values().any(|o| {
                o.kind == "ReplicaSet"
                    && o.metadata
                        .owner_references
                        .iter()
                        .any(|r| Some(&r.uid) == d.metadata.uid.as_ref())
            });
            if owned_other {
                // A changed template would start a rollout; that is the workloads work.
                let now = self.now();
                let note = format!("Deployment \"{}\" changed its pod template: rolling updates are not simulated yet", key.2);
                if !self
                    .cl
                    .trace
                    .iter()
                    .any(|r| matches!(r, Record::Note { message, .. } if *message == note))
                {
                    self.cl.trace.push(Record::Note {
                        t: now,
                        message: note,
                    });
                }
            } else {
                self.create_replica_set(&d, &template, &hash, want);
            }
        }
        self.update_deployment_status(key);
    }

    fn create_replica_set(&mut self, d: &OtherObject, template: &Value, hash: &str, want: i64) {
        let now = self.now();
        let ns = d.metadata.namespace.clone().unwrap_or_default();
        let name = format!("{}-{hash}", d.metadata.name.clone().unwrap_or_default());
        let mut tpl = template.clone();
        if let Some(labels) = tpl
            .pointer_mut("/metadata/labels")
            .and_then(|l| l.as_object_mut())
        {
            labels.insert("pod-template-hash".into(), Value::String(hash.into()));
        } else if let Some(m) = tpl.as_object_mut() {
            m.entry("metadata")
                .or_insert_with(|| json!({}))
                .as_object_mut()
                .map(|mm| mm.insert("labels".into(), json!({"pod-template-hash": hash})));
        }
        let mut selector = d
            .body
            .get("spec")
            .and_then(|s| s.get("selector"))
            .cloned()
            .unwrap_or(json!({}));
        if let Some(ml) = selector
            .get_mut("matchLabels")
            .and_then(|m| m.as_object_mut())
        {
            ml.insert("pod-template-hash".into(), Value::String(hash.into()));
        }
        let mut labels = labels_of(tpl.pointer("/metadata/labels").unwrap_or(&Value::Null));
        labels.insert("pod-template-hash".into(), hash.into());
        let surge = want + (want as f64 * 0.25).ceil() as i64;
        let mut annotations = BTreeMap::new();
        annotations.insert(
            "deployment.kubernetes.io/desired-replicas".into(),
            want.to_string(),
        );
        annotations.insert(
            "deployment.kubernetes.io/max-replicas".into(),
            surge.to_string(),
        );
        annotations.insert("deployment.kubernetes.io/revision".into(), "1".into());
        let mut meta = ObjectMeta {
            name: Some(name.clone()),
            namespace: Some(ns.clone()),
            labels,
            annotations,
            owner_references: vec![owner_ref("Deployment", "apps/v1", &d.metadata)],
            ..Default::default()
        };
        self.cl.store.stamp_create(&mut meta, now);
        let mut body = Map::new();
        body.insert(
            "spec".into(),
            json!({"replicas": want, "selector": selector, "template": tpl}),
        );
        let rs = OtherObject {
            api_version: "apps/v1".into(),
            kind: "ReplicaSet".into(),
            metadata: meta,
            body,
        };
        self.cl
            .store
            .others
            .insert(("ReplicaSet".into(), ns, name.clone()), rs);
        if let Some(dm) = self.cl.store.others.get_mut(&(
            "Deployment".into(),
            d.metadata.namespace.clone().unwrap_or_default(),
            d.metadata.name.clone().unwrap_or_default(),
        )) {
            dm.metadata
                .annotations
                .insert("deployment.kubernetes.io/revision".into(), "1".into());
        }
        if want > 0 {
            self.cl.event(
                "deployment-controller",
                Self::involved_of("Deployment", &d.metadata),
                "Normal",
                "ScalingReplicaSet",
                format!("Scaled up replica set {name} to {want}"),
            );
        }
    }

    fn reconcile_replica_set(&mut self, key: &(String, String, String)) {
        let Some(rs) = self.cl.store.others.get(key).cloned() else {
            return;
        };
        if rs.metadata.deletion_timestamp.is_some() {
            // Being deleted in the foreground: the garbage collector removes its pods.
            return;
        }
        let uid = rs.metadata.uid.clone().unwrap_or_default();
        let owned: Vec<Pod> = self
            .cl
            .store
            .pods
            .values()
            .filter(|p| {
                p.metadata.namespace.as_deref() == Some(key.1.as_str())
                    && p.metadata.owner_references.iter().any(|r| r.uid == uid)
            })
            .cloned()
            .collect();
        let active: Vec<&Pod> = owned.iter().filter(|p| is_active(p)).collect();
        let want = replicas(&rs.body);
        let diff = active.len() as i64 - want;
        if diff < 0 {
            for _ in 0..(-diff).min(500) {
                self.create_pod_from_template(&rs);
            }
        } else if diff > 0 {
            // getPodsToDelete: unscheduled, then not running, then not ready, then the newest.
            let mut victims: Vec<&Pod> = active.clone();
            victims.sort_by_key(|p| {
                (
                    p.spec.node_name.is_some(),
                    p.status.as_ref().and_then(|s| s.phase.clone()).as_deref() == Some("Running"),
                    is_ready(p),
                    std::cmp::Reverse(p.metadata.creation_timestamp.map(|t| t.0).unwrap_or(0)),
                )
            });
            let names: Vec<String> = victims
                .iter()
                .take(diff as usize)
                .filter_map(|p| p.metadata.name.clone())
                .collect();
            for n in names {
                let k = (key.1.clone(), n.clone());
                if self.delete_pod(&k, None, false) {
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
        self.update_replica_set_status(key);
    }

    fn create_pod_from_template(&mut self, rs: &OtherObject) {
        let tpl = rs
            .body
            .get("spec")
            .and_then(|s| s.get("template"))
            .cloned()
            .unwrap_or(Value::Null);
        let spec: Result<PodSpec, _> =
            serde_json::from_value(tpl.get("spec").cloned().unwrap_or(json!({})));
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
                return;
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
    }

    fn update_replica_set_status(&mut self, key: &(String, String, String)) {
        let Some(rs) = self.cl.store.others.get(key) else {
            return;
        };
        let uid = rs.metadata.uid.clone().unwrap_or_default();
        let pods: Vec<&Pod> = self
            .cl
            .store
            .pods
            .values()
            .filter(|p| p.metadata.owner_references.iter().any(|r| r.uid == uid) && is_active(p))
            .collect();
        let ready = pods.iter().filter(|p| is_ready(p)).count();
        let status = json!({"replicas": pods.len(), "readyReplicas": ready, "availableReplicas": ready, "fullyLabeledReplicas": pods.len(), "observedGeneration": 1});
        let desired = replicas(&rs.body);
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
        self.emit_row("ReplicaSet", &key.1, &key.2, columns);
    }

    fn update_deployment_status(&mut self, key: &(String, String, String)) {
        let Some(d) = self.cl.store.others.get(key).cloned() else {
            return;
        };
        let uid = d.metadata.uid.clone().unwrap_or_default();
        let sets: Vec<&OtherObject> = self
            .cl
            .store
            .others
            .values()
            .filter(|o| {
                o.kind == "ReplicaSet" && o.metadata.owner_references.iter().any(|r| r.uid == uid)
            })
            .collect();
        let sum = |f: &str| -> i64 {
            sets.iter()
                .map(|s| {
                    s.body
                        .get("status")
                        .and_then(|st| st.get(f))
                        .and_then(|v| v.as_i64())
                        .unwrap_or(0)
                })
                .sum()
        };
        let (total, ready, available) = (
            sum("replicas"),
            sum("readyReplicas"),
            sum("availableReplicas"),
        );
        let want = replicas(&d.body);
        let now = self.now();
        let avail_ok = available >= want - (want as f64 * 0.25).floor() as i64;
        let status = json!({
            "observedGeneration": 1,
            "replicas": total,
            "updatedReplicas": total,
            "readyReplicas": ready,
            "availableReplicas": available,
            "unavailableReplicas": (want - available).max(0),
            "conditions": [
                {"type": "Available", "status": if avail_ok {"True"} else {"False"},
                 "reason": if avail_ok {"MinimumReplicasAvailable"} else {"MinimumReplicasUnavailable"},
                 "message": if avail_ok {"Deployment has minimum availability."} else {"Deployment does not have minimum availability."}},
            ],
        });
        let changed = d.body.get("status").map(|s| {
            let mut s = s.clone();
            if let Some(c) = s.get_mut("conditions") {
                *c = status["conditions"].clone();
            }
            s
        }) != Some(status.clone());
        if changed {
            if let Some(dm) = self.cl.store.others.get_mut(key) {
                let mut st = status.clone();
                if let Some(c) = st["conditions"][0].as_object_mut() {
                    c.insert("lastUpdateTime".into(), json!(Time(now).rfc3339()));
                }
                dm.body.insert("status".into(), st);
                self.cl.store.versions.stamp(&mut dm.metadata);
            }
        }
        let columns = vec![
            ("READY", format!("{ready}/{want}")),
            ("UP-TO-DATE", total.to_string()),
            ("AVAILABLE", available.to_string()),
        ];
        self.emit_row("Deployment", &key.1, &key.2, columns);
    }

    /// Cascading delete (background propagation): the owner goes at once, then what it owns.
    /// Superseded by `garbage_collector` (kubectl delete goes there); kept for callers on other branches.
    #[allow(dead_code)]
    pub(crate) fn delete_owned_by(&mut self, uid: &str) {
        let sets: Vec<(String, String, String)> = self
            .cl
            .store
            .others
            .iter()
            .filter(|(_, o)| o.metadata.owner_references.iter().any(|r| r.uid == uid))
            .map(|(k, _)| k.clone())
            .collect();
        for k in sets {
            if let Some(o) = self.cl.store.others.remove(&k) {
                self.emit_deleted_row(&o.kind, &k.1, &k.2);
                if let Some(u) = o.metadata.uid.clone() {
                    self.delete_owned_by(&u);
                }
            }
        }
        let pods: Vec<(String, String)> = self
            .cl
            .store
            .pods
            .iter()
            .filter(|(_, p)| p.metadata.owner_references.iter().any(|r| r.uid == uid))
            .map(|(k, _)| k.clone())
            .collect();
        for k in pods {
            self.delete_pod(&k, None, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pod_template_hash_uses_only_the_safe_alphabet() {
        // rand.SafeEncodeString of 3123191453 (the docs' 75675f5897).
        assert_eq!(safe_encode(3_123_191_453), "75675f5897");
        let h = template_hash(
            &json!({"spec": {"containers": [{"name": "nginx", "image": "nginx:1.14.2"}]}}),
        );
        assert!(h.chars().all(|c| "456789bcdf".contains(c)), "{h}");
    }

    #[test]
    fn the_same_template_gives_the_same_hash_whatever_the_key_order() {
        let a = json!({"metadata": {"labels": {"app": "x"}}, "spec": {"containers": []}});
        let b = json!({"spec": {"containers": []}, "metadata": {"labels": {"app": "x"}}});
        assert_eq!(template_hash(&a), template_hash(&b));
    }
}
