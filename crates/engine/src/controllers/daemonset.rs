//! The DaemonSet controller (pkg/controller/daemon): one pod per eligible node. A node is eligible
//! when the template's node selector/affinity match it and it has no NoSchedule/NoExecute taint
//! the pod does not tolerate, counting the tolerations every daemon pod gets
//! (`AddOrUpdateDaemonPodTolerations`). Pods are pinned with a required node affinity on
//! `metadata.name` and placed by the scheduler. Rolling updates replace pods whose
//! `controller-revision-hash` is old, at most `maxUnavailable` (default 1) nodes down at a time;
//! a node's new pod is created only once its old one is gone.

use podplay_api::types::{
    Node, Object, ObjectMeta, OtherObject, OwnerReference, Pod, PodSpec, Toleration,
};
use serde_json::{json, Value};
use std::collections::BTreeMap;

use crate::events::Involved;
use crate::scheduler::{node_affinity, taints};
use crate::simulation::Simulation;

type OtherKey = (String, String, String);

const SOURCE: &str = "daemonset-controller";

/// The tolerations the DaemonSet controller adds to every daemon pod (no tolerationSeconds, so
/// daemon pods are never evicted for these).
pub fn daemon_pod_tolerations(host_network: bool) -> Vec<Toleration> {
    let t = |key: &str, effect: &str| Toleration {
        key: Some(key.into()),
        operator: Some("Exists".into()),
        effect: Some(effect.into()),
        ..Default::default()
    };
    let mut v = vec![
        t("node.kubernetes.io/not-ready", "NoExecute"),
        t("node.kubernetes.io/unreachable", "NoExecute"),
        t("node.kubernetes.io/disk-pressure", "NoSchedule"),
        t("node.kubernetes.io/memory-pressure", "NoSchedule"),
        t("node.kubernetes.io/pid-pressure", "NoSchedule"),
        t("node.kubernetes.io/unschedulable", "NoSchedule"),
    ];
    if host_network {
        v.push(t("node.kubernetes.io/network-unavailable", "NoSchedule"));
    }
    v
}

/// Adds `tolerations` the spec does not already have (same key, operator, effect).
fn add_tolerations(spec: &mut PodSpec, tolerations: Vec<Toleration>) {
    for t in tolerations {
        if !spec
            .tolerations
            .iter()
            .any(|x| x.key == t.key && x.effect == t.effect && x.operator == t.operator)
        {
            spec.tolerations.push(t);
        }
    }
}

/// `NodeShouldRunDaemonPod`: selector/affinity and taints (with the daemon tolerations).
pub fn node_should_run_daemon_pod(template: &Pod, node: &Node) -> bool {
    should_run_and_continue(template, node).0
}

/// (shouldRun, shouldContinueRunning): a node whose only untolerated taints are NoSchedule (a
/// NotReady node's unreachable:NoSchedule, say) gets no new daemon pod but keeps the one it has.
pub fn should_run_and_continue(template: &Pod, node: &Node) -> (bool, bool) {
    if !node_affinity::required_matches(template, node) {
        return (false, false);
    }
    let tol = &template.spec.tolerations;
    if taints::find_matching_untolerated_taint(&node.spec.taints, tol, taints::do_not_schedule)
        .is_none()
    {
        return (true, true);
    }
    let evicting = taints::find_matching_untolerated_taint(&node.spec.taints, tol, |t| {
        t.effect == "NoExecute"
    });
    (false, evicting.is_none())
}

/// The template as a pod (labels, annotations, spec), or the decoding error.
pub(crate) fn template_pod(owner: &OtherObject) -> Result<Pod, String> {
    let tpl = owner
        .body
        .get("spec")
        .and_then(|s| s.get("template"))
        .cloned()
        .unwrap_or(Value::Null);
    let spec: PodSpec =
        podplay_api::yaml::from_json(&tpl.get("spec").cloned().unwrap_or(json!({})))
            .map_err(|e| e.to_string())?;
    let strs = |v: Option<&Value>| -> BTreeMap<String, String> {
        v.and_then(|m| m.as_object())
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                    .collect()
            })
            .unwrap_or_default()
    };
    Ok(Pod {
        api_version: Some("v1".into()),
        kind: Some("Pod".into()),
        metadata: ObjectMeta {
            namespace: owner.metadata.namespace.clone(),
            labels: strs(tpl.pointer("/metadata/labels")),
            annotations: strs(tpl.pointer("/metadata/annotations")),
            ..Default::default()
        },
        spec,
        status: None,
    })
}

pub(crate) fn controller_ref(kind: &str, meta: &ObjectMeta) -> OwnerReference {
    OwnerReference {
        api_version: "apps/v1".into(),
        kind: kind.into(),
        name: meta.name.clone().unwrap_or_default(),
        uid: meta.uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

pub(crate) fn involved(kind: &str, meta: &ObjectMeta) -> Involved {
    Involved {
        kind: kind.into(),
        namespace: meta.namespace.clone().unwrap_or_default(),
        name: meta.name.clone().unwrap_or_default(),
        uid: meta.uid.clone().unwrap_or_default(),
        field_path: None,
    }
}

pub(crate) fn is_ready(p: &Pod) -> bool {
    p.status.as_ref().is_some_and(|s| {
        s.conditions
            .iter()
            .any(|c| c.type_ == "Ready" && c.status == "True")
    })
}

/// The pod's `controller-revision-hash`: the template's hash (the ControllerRevision's name suffix).
pub(crate) fn revision_hash(owner: &OtherObject) -> String {
    let tpl = owner
        .body
        .get("spec")
        .and_then(|s| s.get("template"))
        .cloned()
        .unwrap_or(Value::Null);
    super::template_hash(&tpl)
}

/// The node a daemon pod is for: its binding, else its pinned node affinity.
fn pod_node(p: &Pod) -> Option<String> {
    p.spec.node_name.clone().or_else(|| {
        p.spec
            .affinity
            .as_ref()?
            .pointer("/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/0/matchFields/0/values/0")?
            .as_str()
            .map(String::from)
    })
}

fn max_unavailable(ds: &OtherObject, desired: i64) -> i64 {
    let v = ds
        .body
        .get("spec")
        .and_then(|s| s.pointer("/updateStrategy/rollingUpdate/maxUnavailable"))
        .cloned()
        .unwrap_or(json!(1));
    let n = match v {
        Value::Number(n) => n.as_i64().unwrap_or(1),
        Value::String(s) => s
            .strip_suffix('%')
            .and_then(|p| p.parse::<i64>().ok())
            // Percentages round up for maxUnavailable of a DaemonSet (`GetScaledValueFromIntOrPercent(.., true)`).
            .map(|p| (p * desired + 99) / 100)
            .unwrap_or(1),
        _ => 1,
    };
    n.max(1)
}

impl Simulation {
    pub(crate) fn reconcile_daemon_sets(&mut self) {
        let keys: Vec<OtherKey> = self
            .cl
            .store
            .others
            .keys()
            .filter(|(k, _, _)| k == "DaemonSet")
            .cloned()
            .collect();
        for k in keys {
            self.reconcile_daemon_set(&k);
        }
    }

    fn reconcile_daemon_set(&mut self, key: &OtherKey) {
        let Some(ds) = self.cl.store.others.get(key).cloned() else {
            return;
        };
        if ds.metadata.deletion_timestamp.is_some() {
            return;
        }
        let Ok(mut template) = template_pod(&ds) else {
            return;
        };
        let host_network = template.spec.host_network == Some(true);
        add_tolerations(&mut template.spec, daemon_pod_tolerations(host_network));
        let hash = revision_hash(&ds);
        let uid = ds.metadata.uid.clone().unwrap_or_default();
        let mut by_node: BTreeMap<String, Vec<Pod>> = BTreeMap::new();
        let mut unplaced: Vec<Pod> = vec![];
        for p in self.cl.store.pods.values() {
            if p.metadata
                .owner_references
                .iter()
                .any(|r| r.uid == uid && r.controller == Some(true))
            {
                match pod_node(p) {
                    Some(n) => by_node.entry(n).or_default().push(p.clone()),
                    None => unplaced.push(p.clone()),
                }
            }
        }
        let nodes: Vec<Node> = self.cl.store.nodes.values().cloned().collect();
        let mut create: Vec<String> = vec![];
        let mut delete: Vec<Pod> = unplaced;
        let mut desired = 0i64;
        let mut old_pods: Vec<Pod> = vec![];
        let mut unavailable = 0i64;
        for node in &nodes {
            let name = node.metadata.name.clone().unwrap_or_default();
            let (should_run, should_continue) = should_run_and_continue(&template, node);
            let pods = by_node.remove(&name).unwrap_or_default();
            let live: Vec<&Pod> = pods
                .iter()
                .filter(|p| p.metadata.deletion_timestamp.is_none())
                .collect();
            if !should_run {
                if !should_continue {
                    delete.extend(live.into_iter().cloned());
                }
                continue;
            }
            desired += 1;
            if pods.is_empty() {
                create.push(name);
                unavailable += 1;
                continue;
            }
            // Extra pods on one node: keep the oldest.
            let mut live = live;
            live.sort_by_key(|p| p.metadata.creation_timestamp.map(|t| t.0).unwrap_or(0));
            for extra in live.iter().skip(1) {
                delete.push((*extra).clone());
            }
            match live.first() {
                Some(p) => {
                    if !is_ready(p) {
                        unavailable += 1;
                    }
                    if p.metadata.labels.get("controller-revision-hash") != Some(&hash) {
                        old_pods.push((*p).clone());
                    }
                }
                None => unavailable += 1,
            }
        }
        // Pods for nodes that no longer exist.
        for pods in by_node.into_values() {
            delete.extend(
                pods.into_iter()
                    .filter(|p| p.metadata.deletion_timestamp.is_none()),
            );
        }
        // Rolling update: old pods go, not-ready ones first, while the budget allows.
        let budget = max_unavailable(&ds, desired);
        old_pods.sort_by_key(|p| (is_ready(p), p.metadata.name.clone()));
        for p in old_pods {
            if !is_ready(&p) {
                delete.push(p);
            } else if unavailable < budget {
                unavailable += 1;
                delete.push(p);
            }
        }
        for node in create {
            self.create_daemon_pod(&ds, &template, &hash, &node);
        }
        delete.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
        delete.dedup_by(|a, b| a.metadata.uid == b.metadata.uid);
        for p in delete {
            let k = crate::store::key_of(&p.metadata);
            let name = k.1.clone();
            if self.delete_pod(&k, None, false) {
                self.cl.event(
                    SOURCE,
                    involved("DaemonSet", &ds.metadata),
                    "Normal",
                    "SuccessfulDelete",
                    format!("Deleted pod: {name}"),
                );
            }
        }
        self.update_daemon_set_status(key, desired, &hash);
    }

    fn create_daemon_pod(&mut self, ds: &OtherObject, template: &Pod, hash: &str, node: &str) {
        let ds_name = ds.metadata.name.clone().unwrap_or_default();
        let ns = ds.metadata.namespace.clone().unwrap_or_default();
        let base: String = format!("{ds_name}-").chars().take(58).collect();
        let name = loop {
            let c = format!("{base}{}", self.random_suffix(5));
            if !self.cl.store.pods.contains_key(&(ns.clone(), c.clone())) {
                break c;
            }
        };
        let mut pod = template.clone();
        pod.metadata.name = Some(name.clone());
        pod.metadata.generate_name = Some(base);
        pod.metadata
            .labels
            .insert("controller-revision-hash".into(), hash.into());
        pod.metadata
            .labels
            .insert("pod-template-generation".into(), "1".into());
        pod.metadata.owner_references = vec![controller_ref("DaemonSet", &ds.metadata)];
        // ReplaceDaemonSetPodNodeNameNodeAffinity: pin the pod to its node for the scheduler.
        let pin =
            json!({"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]});
        let mut affinity = pod.spec.affinity.clone().unwrap_or_else(|| json!({}));
        if let Some(a) = affinity.as_object_mut() {
            a.insert(
                "nodeAffinity".into(),
                json!({"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [pin]}}),
            );
        }
        pod.spec.affinity = Some(affinity);
        let mut obj = Object::Pod(pod);
        podplay_api::apply_defaults(&mut obj);
        let Object::Pod(pod) = obj else { return };
        self.create_pod(pod);
        self.cl.event(
            SOURCE,
            involved("DaemonSet", &ds.metadata),
            "Normal",
            "SuccessfulCreate",
            format!("Created pod: {name}"),
        );
    }

    fn update_daemon_set_status(&mut self, key: &OtherKey, desired: i64, hash: &str) {
        let Some(ds) = self.cl.store.others.get(key) else {
            return;
        };
        let uid = ds.metadata.uid.clone().unwrap_or_default();
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
        let current = pods.len() as i64;
        let ready = pods.iter().filter(|p| is_ready(p)).count() as i64;
        let updated = pods
            .iter()
            .filter(|p| {
                p.metadata
                    .labels
                    .get("controller-revision-hash")
                    .map(String::as_str)
                    == Some(hash)
            })
            .count() as i64;
        let status = json!({
            "currentNumberScheduled": current,
            "desiredNumberScheduled": desired,
            "numberMisscheduled": 0,
            "numberReady": ready,
            "numberAvailable": ready,
            "numberUnavailable": (desired - ready).max(0),
            "updatedNumberScheduled": updated,
            "observedGeneration": 1,
        });
        if ds.body.get("status") != Some(&status) {
            if let Some(ds) = self.cl.store.others.get_mut(key) {
                ds.body.insert("status".into(), status);
                self.cl.store.versions.stamp(&mut ds.metadata);
            }
        }
        let columns = vec![
            ("DESIRED", desired.to_string()),
            ("CURRENT", current.to_string()),
            ("READY", ready.to_string()),
            ("UP-TO-DATE", updated.to_string()),
            ("AVAILABLE", ready.to_string()),
        ];
        self.emit_row("DaemonSet", &key.1, &key.2, columns);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::default_nodes;

    #[test]
    fn daemon_pods_skip_the_tainted_control_plane_unless_they_tolerate_it() {
        let nodes = default_nodes();
        let mut tpl = Pod::default();
        tpl.spec.tolerations = daemon_pod_tolerations(false);
        let eligible: Vec<bool> = nodes
            .iter()
            .map(|n| node_should_run_daemon_pod(&tpl, n))
            .collect();
        assert_eq!(eligible, vec![false, true, true]);
        tpl.spec.tolerations.push(Toleration {
            key: Some("node-role.kubernetes.io/control-plane".into()),
            operator: Some("Exists".into()),
            effect: Some("NoSchedule".into()),
            ..Default::default()
        });
        assert!(nodes.iter().all(|n| node_should_run_daemon_pod(&tpl, n)));
    }

    #[test]
    fn a_not_ready_node_keeps_its_daemon_pod_but_gets_no_new_one() {
        let mut node = default_nodes().remove(1);
        node.spec.taints.push(podplay_api::types::Taint {
            key: "node.kubernetes.io/unreachable".into(),
            value: None,
            effect: "NoSchedule".into(),
            time_added: None,
        });
        node.spec.taints.push(podplay_api::types::Taint {
            key: "node.kubernetes.io/unreachable".into(),
            value: None,
            effect: "NoExecute".into(),
            time_added: None,
        });
        let mut tpl = Pod::default();
        tpl.spec.tolerations = daemon_pod_tolerations(false);
        assert_eq!(should_run_and_continue(&tpl, &node), (false, true));
    }

    #[test]
    fn daemon_pods_run_on_cordoned_nodes() {
        let mut node = default_nodes().remove(1);
        node.spec.unschedulable = Some(true);
        node.spec.taints.push(podplay_api::types::Taint {
            key: "node.kubernetes.io/unschedulable".into(),
            value: None,
            effect: "NoSchedule".into(),
            time_added: None,
        });
        let mut tpl = Pod::default();
        tpl.spec.tolerations = daemon_pod_tolerations(false);
        assert!(node_should_run_daemon_pod(&tpl, &node));
    }
}
