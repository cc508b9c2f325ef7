//! The workload controllers that bring pods into being from templates: a Deployment owns
//! ReplicaSets named `<deployment>-<pod-template-hash>` and rolls between them
//! (`deployment.rs`, arithmetic in `rollout_math.rs`); a ReplicaSet keeps `replicas` pods named
//! `<replicaset>-<5 random>` (`replicaset.rs`, scale-down order in `pod_ranking.rs`)
//! (controllers-semantics §1, §2).

pub mod admission;
pub mod batch;
pub mod cron_schedule;
pub mod cronjob;
pub mod daemonset;
pub mod deployment;
pub mod garbage_collector;
pub mod hpa;
pub mod job;
pub mod job_backoff;
pub mod namespace;
pub mod node_lifecycle;
pub mod pod_gc;
pub mod pod_ranking;
pub mod replicaset;
pub mod rollout_math;
pub mod sched_hooks;
pub mod statefulset;
pub mod taint_eviction;
pub mod workqueue;

use podplay_api::types::{ObjectMeta, OwnerReference, Pod};
#[cfg(test)]
use serde_json::json;
use serde_json::Value;
use std::collections::BTreeMap;

use crate::events::Involved;
use crate::simulation::Simulation;

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

pub(crate) fn labels_of(v: &Value) -> BTreeMap<String, String> {
    v.as_object()
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) fn owner_ref(kind: &str, api_version: &str, meta: &ObjectMeta) -> OwnerReference {
    OwnerReference {
        api_version: api_version.into(),
        kind: kind.into(),
        name: meta.name.clone().unwrap_or_default(),
        uid: meta.uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

pub(crate) fn is_active(p: &Pod) -> bool {
    p.metadata.deletion_timestamp.is_none()
        && !matches!(
            p.status.as_ref().and_then(|s| s.phase.as_deref()),
            Some("Succeeded") | Some("Failed")
        )
}

pub(crate) fn is_ready(p: &Pod) -> bool {
    p.status.as_ref().is_some_and(|s| {
        s.conditions
            .iter()
            .any(|c| c.type_ == "Ready" && c.status == "True")
    })
}

/// A Deployment or ReplicaSet as `kubectl get -o yaml|json` shows it.
pub fn workload_json(o: &podplay_api::types::OtherObject) -> Value {
    podplay_api::types::Object::Other(o.clone()).to_json()
}

/// (kind, namespace, name) of an object in `Store::others`.
pub type WorkloadKey = (String, String, String);

/// A LabelSelector (matchLabels and matchExpressions) against labels; an empty or missing
/// selector selects nothing (apps/v1 requires one).
pub fn selector_matches(selector: &Value, labels: &BTreeMap<String, String>) -> bool {
    let Some(sel) = selector.as_object() else {
        return false;
    };
    let ml = sel.get("matchLabels").and_then(Value::as_object);
    let me = sel.get("matchExpressions").and_then(Value::as_array);
    if ml.is_none_or(|m| m.is_empty()) && me.is_none_or(|e| e.is_empty()) {
        return false;
    }
    let labels_ok = ml.is_none_or(|m| {
        m.iter()
            .all(|(k, v)| labels.get(k).map(String::as_str) == v.as_str())
    });
    let exprs_ok = me.is_none_or(|es| {
        es.iter().all(|e| {
            let key = e.get("key").and_then(Value::as_str).unwrap_or("");
            let values: Vec<&str> = e
                .get("values")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            match e.get("operator").and_then(Value::as_str).unwrap_or("") {
                "In" => labels
                    .get(key)
                    .is_some_and(|v| values.contains(&v.as_str())),
                "NotIn" => labels
                    .get(key)
                    .is_none_or(|v| !values.contains(&v.as_str())),
                "Exists" => labels.contains_key(key),
                "DoesNotExist" => !labels.contains_key(key),
                _ => false,
            }
        })
    });
    labels_ok && exprs_ok
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

    fn workload_keys(&self, kind: &str) -> Vec<WorkloadKey> {
        self.cl
            .store
            .others
            .keys()
            .filter(|(k, _, _)| k == kind)
            .cloned()
            .collect()
    }

    /// Reconciles every Deployment and ReplicaSet until nothing changes (cheap when there are
    /// none). Syncs that a real cluster runs milliseconds apart without waiting for a pod happen
    /// here in the same instant, in their order (golden-controller-scenarios conventions).
    pub(crate) fn reconcile_workloads(&mut self) {
        for _ in 0..64 {
            let mut changed = false;
            for key in self.workload_keys("Deployment") {
                changed |= self.reconcile_deployment(&key);
            }
            for key in self.workload_keys("ReplicaSet") {
                changed |= self.reconcile_replica_set(&key);
            }
            if !changed {
                break;
            }
        }
    }

    /// Cascading delete (background propagation): the owner goes at once, then what it owns.
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
