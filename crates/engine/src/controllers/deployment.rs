//! The Deployment controller (deployment_controller.go, sync.go, rolling.go, recreate.go,
//! progress.go; controllers-semantics §1): finds or creates the new ReplicaSet
//! (`<name>-<pod-template-hash>`, revision annotations), rolls out by RollingUpdate or Recreate,
//! scales proportionally on a resize, honours pause, prunes history, and writes the status with
//! its Available and Progressing conditions.

use podplay_api::time::Millis;
use podplay_api::types::{ObjectMeta, OtherObject, Time};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

use super::replicaset::{spec_i64, status_i64};
use super::rollout_math::{self as m, Counts, RsView, Strategy};
use super::{owner_ref, selector_matches, template_hash, WorkloadKey};
use crate::simulation::Simulation;

pub const REVISION: &str = "deployment.kubernetes.io/revision";
pub const REVISION_HISTORY: &str = "deployment.kubernetes.io/revision-history";
pub const DESIRED_REPLICAS: &str = "deployment.kubernetes.io/desired-replicas";
pub const MAX_REPLICAS: &str = "deployment.kubernetes.io/max-replicas";
pub const HASH_LABEL: &str = "pod-template-hash";

/// Annotations a Deployment does not pass on to its ReplicaSets (`skipCopyAnnotation`).
fn skip_copy_annotation(k: &str) -> bool {
    matches!(
        k,
        "kubectl.kubernetes.io/last-applied-configuration"
            | REVISION
            | REVISION_HISTORY
            | DESIRED_REPLICAS
            | MAX_REPLICAS
            | "deprecated.deployment.rollback.to"
    )
}

pub(crate) fn strategy_of(d: &Map<String, Value>) -> Strategy {
    let s = d.get("spec").and_then(|s| s.get("strategy"));
    let rolling = s
        .and_then(|s| s.get("type"))
        .and_then(Value::as_str)
        .unwrap_or("RollingUpdate")
        == "RollingUpdate";
    let ru = s.and_then(|s| s.get("rollingUpdate"));
    if !rolling {
        return Strategy::recreate();
    }
    Strategy {
        rolling: true,
        max_surge: Some(
            ru.and_then(|r| r.get("maxSurge"))
                .cloned()
                .unwrap_or(json!("25%")),
        ),
        max_unavailable: Some(
            ru.and_then(|r| r.get("maxUnavailable"))
                .cloned()
                .unwrap_or(json!("25%")),
        ),
    }
}

/// The template without the pod-template-hash label (and without what that leaves empty), for
/// `EqualIgnoreHash`.
pub(crate) fn template_ignoring_hash(t: &Value) -> Value {
    let mut t = t.clone();
    if let Some(meta) = t.get_mut("metadata").and_then(Value::as_object_mut) {
        if let Some(l) = meta.get_mut("labels").and_then(Value::as_object_mut) {
            l.remove(HASH_LABEL);
            if l.is_empty() {
                meta.remove("labels");
            }
        }
        if meta.is_empty() {
            if let Some(o) = t.as_object_mut() {
                o.remove("metadata");
            }
        }
    }
    t
}

fn template_of(body: &Map<String, Value>) -> Value {
    body.get("spec")
        .and_then(|s| s.get("template"))
        .cloned()
        .unwrap_or(Value::Null)
}

fn revision_of(meta: &ObjectMeta) -> i64 {
    meta.annotations
        .get(REVISION)
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
}

fn has_progress_deadline(d: &Map<String, Value>) -> Option<i64> {
    spec_i64(d, "progressDeadlineSeconds").filter(|s| *s != i32::MAX as i64)
}

fn conditions(d: &OtherObject) -> Vec<Value> {
    d.body
        .get("status")
        .and_then(|s| s.get("conditions"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn condition<'a>(conds: &'a [Value], type_: &str) -> Option<&'a Value> {
    conds
        .iter()
        .find(|c| c.get("type").and_then(Value::as_str) == Some(type_))
}

fn field<'a>(c: Option<&'a Value>, f: &str) -> Option<&'a str> {
    c.and_then(|c| c.get(f)).and_then(Value::as_str)
}

/// `SetDeploymentCondition`: same status and reason → unchanged; same status → the transition
/// time is kept; the condition moves to the end of the list.
fn set_condition(
    conds: &mut Vec<Value>,
    type_: &str,
    status: &str,
    reason: &str,
    msg: String,
    now: Millis,
) {
    let cur = condition(conds, type_).cloned();
    if field(cur.as_ref(), "status") == Some(status)
        && field(cur.as_ref(), "reason") == Some(reason)
    {
        return;
    }
    let t = Time(now).rfc3339();
    let transition = match cur.as_ref() {
        Some(c) if field(Some(c), "status") == Some(status) => {
            c.get("lastTransitionTime").cloned().unwrap_or(json!(t))
        }
        _ => json!(t),
    };
    conds.retain(|c| c.get("type").and_then(Value::as_str) != Some(type_));
    conds.push(json!({
        "lastTransitionTime": transition,
        "lastUpdateTime": t,
        "message": msg,
        "reason": reason,
        "status": status,
        "type": type_,
    }));
}

fn counts_of(status: &Value) -> Counts {
    let n = |f: &str| status.get(f).and_then(Value::as_i64).unwrap_or(0);
    Counts {
        replicas: n("replicas"),
        updated: n("updatedReplicas"),
        ready: n("readyReplicas"),
        available: n("availableReplicas"),
        observed_generation: n("observedGeneration"),
    }
}

/// One sync's view of a Deployment: the object being updated, and its ReplicaSets.
struct Sync {
    key: WorkloadKey,
    d: OtherObject,
    name: String,
    replicas: i64,
    strategy: Strategy,
    /// Keys of the ReplicaSets it controls, oldest first.
    rs: Vec<WorkloadKey>,
}

impl Simulation {
    fn rs_obj(&self, k: &WorkloadKey) -> Option<&OtherObject> {
        self.cl.store.others.get(k)
    }

    fn rs_view(&self, k: &WorkloadKey) -> Option<RsView> {
        let o = self.rs_obj(k)?;
        let ann = |a: &str| o.metadata.annotations.get(a).and_then(|v| v.parse().ok());
        Some(RsView {
            name: k.2.clone(),
            replicas: spec_i64(&o.body, "replicas").unwrap_or(1),
            available: status_i64(&o.body, "availableReplicas"),
            created: o.metadata.creation_timestamp.map_or(0, |t| t.0),
            desired_annotation: ann(DESIRED_REPLICAS),
            max_annotation: ann(MAX_REPLICAS),
        })
    }

    /// The ReplicaSets a Deployment controls (adopting orphans its selector matches), oldest first.
    fn owned_replica_sets(&mut self, d: &OtherObject) -> Vec<WorkloadKey> {
        let uid = d.metadata.uid.clone().unwrap_or_default();
        let ns = d.metadata.namespace.clone().unwrap_or_default();
        let selector = d
            .body
            .get("spec")
            .and_then(|s| s.get("selector"))
            .cloned()
            .unwrap_or(Value::Null);
        let mut out: Vec<(Millis, WorkloadKey)> = vec![];
        let keys: Vec<WorkloadKey> = self
            .cl
            .store
            .others
            .keys()
            .filter(|(k, n, _)| k == "ReplicaSet" && *n == ns)
            .cloned()
            .collect();
        for k in keys {
            let Some(o) = self.cl.store.others.get_mut(&k) else {
                continue;
            };
            let ctrl = o
                .metadata
                .owner_references
                .iter()
                .find(|r| r.controller == Some(true))
                .map(|r| r.uid.clone());
            let mine = match ctrl {
                Some(u) => u == uid,
                None if selector_matches(&selector, &o.metadata.labels) => {
                    o.metadata.owner_references.push(owner_ref(
                        "Deployment",
                        "apps/v1",
                        &d.metadata,
                    ));
                    self.cl.store.versions.stamp(&mut o.metadata);
                    true
                }
                None => false,
            };
            if mine {
                out.push((o.metadata.creation_timestamp.map_or(0, |t| t.0), k));
            }
        }
        out.sort();
        out.into_iter().map(|(_, k)| k).collect()
    }

    /// One sync of a Deployment (`syncDeployment`); true when it wrote anything.
    pub(crate) fn reconcile_deployment(&mut self, key: &WorkloadKey) -> bool {
        let Some(d) = self.cl.store.others.get(key).cloned() else {
            return false;
        };
        if d.metadata.deletion_timestamp.is_some() {
            // Being deleted in the foreground: no scaling or rollout while the GC works.
            return false;
        }
        let before_rv = self.cl.store.resource_version();
        let rs = self.owned_replica_sets(&d);
        let mut s = Sync {
            key: key.clone(),
            name: key.2.clone(),
            replicas: spec_i64(&d.body, "replicas").unwrap_or(1).max(0),
            strategy: strategy_of(&d.body),
            d,
            rs,
        };
        let original = s.d.clone();
        self.check_paused_conditions(&mut s);
        let paused =
            s.d.body
                .get("spec")
                .and_then(|x| x.get("paused"))
                .and_then(Value::as_bool)
                .unwrap_or(false);
        if paused || self.is_scaling_event(&s) {
            self.sync_scale(&mut s, paused);
        } else if s.strategy.rolling {
            self.rollout_rolling(&mut s);
        } else {
            self.rollout_recreate(&mut s);
        }
        if s.d != original {
            self.cl.store.versions.stamp(&mut s.d.metadata);
            self.cl.store.others.insert(s.key.clone(), s.d.clone());
        }
        self.emit_deployment_row(&s.key);
        self.cl.store.resource_version() != before_rv
    }

    fn emit_deployment_row(&mut self, key: &WorkloadKey) {
        let Some(d) = self.cl.store.others.get(key) else {
            return;
        };
        let want = spec_i64(&d.body, "replicas").unwrap_or(1);
        let columns = vec![
            (
                "READY",
                format!("{}/{want}", status_i64(&d.body, "readyReplicas")),
            ),
            (
                "UP-TO-DATE",
                status_i64(&d.body, "updatedReplicas").to_string(),
            ),
            (
                "AVAILABLE",
                status_i64(&d.body, "availableReplicas").to_string(),
            ),
        ];
        self.emit_row("Deployment", &key.1, &key.2, columns);
    }

    fn check_paused_conditions(&mut self, s: &mut Sync) {
        if has_progress_deadline(&s.d.body).is_none() {
            return;
        }
        let mut conds = conditions(&s.d);
        let reason = field(condition(&conds, "Progressing"), "reason").map(str::to_string);
        if reason.as_deref() == Some("ProgressDeadlineExceeded") {
            return;
        }
        let paused =
            s.d.body
                .get("spec")
                .and_then(|x| x.get("paused"))
                .and_then(Value::as_bool)
                .unwrap_or(false);
        let exists = reason.as_deref() == Some("DeploymentPaused");
        let now = self.now();
        if paused && !exists {
            set_condition(
                &mut conds,
                "Progressing",
                "Unknown",
                "DeploymentPaused",
                "Deployment is paused".into(),
                now,
            );
        } else if !paused && exists {
            set_condition(
                &mut conds,
                "Progressing",
                "Unknown",
                "DeploymentResumed",
                "Deployment is resumed".into(),
                now,
            );
        } else {
            return;
        }
        self.set_status_field(s, "conditions", Value::Array(conds));
    }

    fn set_status_field(&self, s: &mut Sync, f: &str, v: Value) {
        let st = s.d.body.entry("status").or_insert_with(|| json!({}));
        if let Some(o) = st.as_object_mut() {
            o.insert(f.into(), v);
        }
    }

    /// `FindNewReplicaSet`: the oldest RS whose template equals the Deployment's, hash aside.
    fn find_new_rs(&self, s: &Sync) -> Option<WorkloadKey> {
        let want = template_ignoring_hash(&template_of(&s.d.body));
        s.rs.iter()
            .find(|k| {
                self.rs_obj(k)
                    .is_some_and(|o| template_ignoring_hash(&template_of(&o.body)) == want)
            })
            .cloned()
    }

    fn is_scaling_event(&self, s: &Sync) -> bool {
        s.rs.iter().any(|k| {
            self.rs_view(k).is_some_and(|v| {
                v.replicas > 0 && v.desired_annotation.is_some_and(|d| d != s.replicas)
            })
        })
    }

    /// `getNewReplicaSet`: syncs the existing new RS's annotations and the Deployment's revision,
    /// or creates the new RS when `create`.
    fn get_new_rs(&mut self, s: &mut Sync, create: bool) -> Option<WorkloadKey> {
        let now = self.now();
        let existing = self.find_new_rs(s);
        let max_old =
            s.rs.iter()
                .filter(|k| Some(*k) != existing.as_ref())
                .filter_map(|k| self.rs_obj(k).map(|o| revision_of(&o.metadata)))
                .max()
                .unwrap_or(0);
        let new_revision = max_old + 1;
        let deadline = has_progress_deadline(&s.d.body);
        if let Some(k) = existing {
            let d_ann = s.d.metadata.annotations.clone();
            let min_ready = spec_i64(&s.d.body, "minReadySeconds");
            let mut revision = String::new();
            if let Some(o) = self.cl.store.others.get_mut(&k) {
                let mut changed = copy_annotations(&d_ann, &mut o.metadata.annotations);
                changed |= set_new_rs_revision(&mut o.metadata.annotations, new_revision);
                let rs_min = spec_i64(&o.body, "minReadySeconds");
                if rs_min != min_ready {
                    if let Some(sp) = o.body.get_mut("spec").and_then(Value::as_object_mut) {
                        sp.insert("minReadySeconds".into(), json!(min_ready.unwrap_or(0)));
                    }
                    changed = true;
                }
                if changed {
                    self.cl.store.versions.stamp(&mut o.metadata);
                }
                revision = o
                    .metadata
                    .annotations
                    .get(REVISION)
                    .cloned()
                    .unwrap_or_default();
            }
            if s.d.metadata.annotations.get(REVISION) != Some(&revision) {
                s.d.metadata.annotations.insert(REVISION.into(), revision);
            }
            let mut conds = conditions(&s.d);
            if deadline.is_some() && condition(&conds, "Progressing").is_none() {
                set_condition(
                    &mut conds,
                    "Progressing",
                    "True",
                    "FoundNewReplicaSet",
                    format!("Found new replica set {:?}", k.2),
                    now,
                );
                self.set_status_field(s, "conditions", Value::Array(conds));
            }
            return Some(k);
        }
        if !create {
            return None;
        }
        let template = template_of(&s.d.body);
        let collisions =
            s.d.body
                .get("status")
                .and_then(|x| x.get("collisionCount"))
                .and_then(Value::as_i64)
                .unwrap_or(0);
        let hash = if collisions > 0 {
            template_hash(&json!([template, collisions]))
        } else {
            template_hash(&template)
        };
        let ns = s.key.1.clone();
        let rs_name = format!("{}-{hash}", s.name);
        let rs_key = ("ReplicaSet".to_string(), ns.clone(), rs_name.clone());
        if self.cl.store.others.contains_key(&rs_key) {
            // Hash collision: another template owns the name; try the next hash.
            self.set_status_field(s, "collisionCount", json!(collisions + 1));
            return None;
        }
        let mut tpl = template.clone();
        if let Some(t) = tpl.as_object_mut() {
            let meta = t.entry("metadata").or_insert_with(|| json!({}));
            if let Some(meta) = meta.as_object_mut() {
                let labels = meta.entry("labels").or_insert_with(|| json!({}));
                if let Some(l) = labels.as_object_mut() {
                    l.insert(HASH_LABEL.into(), json!(hash));
                }
            }
        }
        let mut selector =
            s.d.body
                .get("spec")
                .and_then(|x| x.get("selector"))
                .cloned()
                .unwrap_or(json!({}));
        if let Some(sel) = selector.as_object_mut() {
            let ml = sel.entry("matchLabels").or_insert_with(|| json!({}));
            if let Some(ml) = ml.as_object_mut() {
                ml.insert(HASH_LABEL.into(), json!(hash));
            }
        }
        let mut labels = super::labels_of(tpl.pointer("/metadata/labels").unwrap_or(&Value::Null));
        labels.insert(HASH_LABEL.into(), hash.clone());
        let old_sum: i64 =
            s.rs.iter()
                .filter_map(|k| self.rs_view(k))
                .map(|v| v.replicas)
                .sum();
        let count = m::new_rs_new_replicas(&s.strategy, s.replicas, old_sum, 0);
        let mut annotations = BTreeMap::new();
        copy_annotations(&s.d.metadata.annotations, &mut annotations);
        annotations.insert(REVISION.into(), new_revision.to_string());
        annotations.insert(DESIRED_REPLICAS.into(), s.replicas.to_string());
        annotations.insert(
            MAX_REPLICAS.into(),
            (s.replicas + m::max_surge(&s.strategy, s.replicas)).to_string(),
        );
        let mut meta = ObjectMeta {
            name: Some(rs_name.clone()),
            namespace: Some(ns),
            labels,
            annotations,
            owner_references: vec![owner_ref("Deployment", "apps/v1", &s.d.metadata)],
            generation: Some(1),
            ..Default::default()
        };
        self.cl.store.stamp_create(&mut meta, now);
        let mut spec = json!({"replicas": count, "selector": selector, "template": tpl});
        if let Some(mr) = spec_i64(&s.d.body, "minReadySeconds").filter(|v| *v != 0) {
            spec["minReadySeconds"] = json!(mr);
        }
        let mut body = Map::new();
        body.insert("spec".into(), spec);
        self.cl.store.others.insert(
            rs_key.clone(),
            OtherObject {
                api_version: "apps/v1".into(),
                kind: "ReplicaSet".into(),
                metadata: meta,
                body,
            },
        );
        s.rs.push(rs_key.clone());
        if count > 0 {
            self.cl.event(
                "deployment-controller",
                Self::involved_of("Deployment", &s.d.metadata),
                "Normal",
                "ScalingReplicaSet",
                format!("Scaled up replica set {rs_name} to {count}"),
            );
        }
        s.d.metadata
            .annotations
            .insert(REVISION.into(), new_revision.to_string());
        if deadline.is_some() {
            let mut conds = conditions(&s.d);
            set_condition(
                &mut conds,
                "Progressing",
                "True",
                "NewReplicaSetCreated",
                format!("Created new replica set {rs_name:?}"),
                now,
            );
            self.set_status_field(s, "conditions", Value::Array(conds));
        }
        Some(rs_key)
    }

    /// `scaleReplicaSet`: new size and the replicas annotations; the event only on a size change.
    fn scale_rs(&mut self, s: &Sync, k: &WorkloadKey, to: i64, op: &str) -> bool {
        let desired = s.replicas.to_string();
        let max = (s.replicas + m::max_surge(&s.strategy, s.replicas)).to_string();
        let Some(o) = self.cl.store.others.get_mut(k) else {
            return false;
        };
        let from = spec_i64(&o.body, "replicas").unwrap_or(1);
        let size = from != to;
        let ann = o.metadata.annotations.get(DESIRED_REPLICAS) != Some(&desired)
            || o.metadata.annotations.get(MAX_REPLICAS) != Some(&max);
        if !size && !ann {
            return false;
        }
        if let Some(sp) = o.body.get_mut("spec").and_then(Value::as_object_mut) {
            sp.insert("replicas".into(), json!(to));
        }
        o.metadata
            .annotations
            .insert(DESIRED_REPLICAS.into(), desired);
        o.metadata.annotations.insert(MAX_REPLICAS.into(), max);
        if size {
            o.metadata.generation = Some(o.metadata.generation.unwrap_or(1) + 1);
        }
        self.cl.store.versions.stamp(&mut o.metadata);
        if size {
            self.cl.event(
                "deployment-controller",
                Self::involved_of("Deployment", &s.d.metadata),
                "Normal",
                "ScalingReplicaSet",
                format!("Scaled {op} replica set {} to {to} from {from}", k.2),
            );
        }
        size
    }

    /// `scaleReplicaSetAndRecordEvent`.
    fn scale_rs_and_record(&mut self, s: &Sync, k: &WorkloadKey, to: i64) -> bool {
        let from = self.rs_view(k).map_or(0, |v| v.replicas);
        if from == to {
            return false;
        }
        let op = if to > from { "up" } else { "down" };
        self.scale_rs(s, k, to, op)
    }

    fn key_named(s: &Sync, name: &str) -> Option<WorkloadKey> {
        s.rs.iter().find(|k| k.2 == name).cloned()
    }

    /// `sync`: proportional scaling (and history cleanup while paused), then the status.
    fn sync_scale(&mut self, s: &mut Sync, paused: bool) {
        let new = self.get_new_rs(s, false);
        let new_view = new.as_ref().and_then(|k| self.rs_view(k));
        let old: Vec<RsView> =
            s.rs.iter()
                .filter(|k| Some(*k) != new.as_ref())
                .filter_map(|k| self.rs_view(k))
                .collect();
        let status_replicas = status_i64(&s.d.body, "replicas");
        let sizes = m::proportional_scale(
            &s.strategy,
            s.replicas,
            status_replicas,
            new_view.as_ref(),
            &old,
        );
        for (name, to) in sizes {
            if let Some(k) = Self::key_named(s, &name) {
                let from = self.rs_view(&k).map_or(0, |v| v.replicas);
                let op = if to > from { "up" } else { "down" };
                self.scale_rs(s, &k, to, op);
            }
        }
        if paused {
            self.cleanup_deployment(s, new.as_ref());
        }
        self.sync_status(s, new.as_ref(), false);
    }

    fn rollout_rolling(&mut self, s: &mut Sync) {
        let Some(new) = self.get_new_rs(s, true) else {
            self.sync_status(s, None, true);
            return;
        };
        let all_sum: i64 =
            s.rs.iter()
                .filter_map(|k| self.rs_view(k))
                .map(|v| v.replicas)
                .sum();
        let new_view = self.rs_view(&new).unwrap_or_default();
        if let Some(to) =
            m::reconcile_new_replica_set(&s.strategy, s.replicas, all_sum, new_view.replicas)
        {
            if self.scale_rs_and_record(s, &new, to) {
                self.sync_status(s, Some(&new), true);
                return;
            }
        }
        let mut old: Vec<RsView> =
            s.rs.iter()
                .filter(|k| **k != new)
                .filter_map(|k| self.rs_view(k))
                .filter(|v| v.replicas > 0)
                .collect();
        let new_view = self.rs_view(&new).unwrap_or_default();
        let ops = m::reconcile_old_replica_sets(&s.strategy, s.replicas, &mut old, Some(&new_view));
        let mut scaled = false;
        for op in ops {
            if let Some(k) = Self::key_named(s, &op.name) {
                scaled |= self.scale_rs_and_record(s, &k, op.to);
            }
        }
        if scaled {
            self.sync_status(s, Some(&new), true);
            return;
        }
        if self.complete_now(s) {
            self.cleanup_deployment(s, Some(&new));
        }
        self.sync_status(s, Some(&new), true);
    }

    fn rollout_recreate(&mut self, s: &mut Sync) {
        let new = self.get_new_rs(s, false);
        let olds: Vec<WorkloadKey> =
            s.rs.iter()
                .filter(|k| Some(*k) != new.as_ref())
                .cloned()
                .collect();
        let mut scaled = false;
        for k in &olds {
            if self.rs_view(k).is_some_and(|v| v.replicas > 0) {
                scaled |= self.scale_rs_and_record(s, k, 0);
            }
        }
        if scaled {
            self.sync_status(s, new.as_ref(), true);
            return;
        }
        if self.old_pods_running(&olds) {
            self.sync_status(s, new.as_ref(), true);
            return;
        }
        let new = match new {
            Some(n) => Some(n),
            None => self.get_new_rs(s, true),
        };
        if let Some(n) = &new {
            // scaleUpNewReplicaSetForRecreate
            self.scale_rs_and_record(s, n, s.replicas);
        }
        if self.complete_now(s) {
            self.cleanup_deployment(s, new.as_ref());
        }
        self.sync_status(s, new.as_ref(), true);
    }

    /// `oldPodsRunning`: old RSs still count pods, or some old pod (terminating included) has
    /// not finished.
    fn old_pods_running(&self, olds: &[WorkloadKey]) -> bool {
        let uids: Vec<String> = olds
            .iter()
            .filter_map(|k| self.rs_obj(k))
            .filter(|o| status_i64(&o.body, "replicas") > 0)
            .filter_map(|o| o.metadata.uid.clone())
            .collect();
        if !uids.is_empty() {
            return true;
        }
        let all: Vec<String> = olds
            .iter()
            .filter_map(|k| self.rs_obj(k).and_then(|o| o.metadata.uid.clone()))
            .collect();
        self.cl.store.pods.values().any(|p| {
            p.metadata
                .owner_references
                .iter()
                .any(|r| r.controller == Some(true) && all.contains(&r.uid))
                && !matches!(
                    p.status.as_ref().and_then(|s| s.phase.as_deref()),
                    Some("Succeeded") | Some("Failed")
                )
        })
    }

    /// `DeploymentComplete(d, &d.Status)` on the status as stored before this sync's update.
    fn complete_now(&self, s: &Sync) -> bool {
        let st = s.d.body.get("status").cloned().unwrap_or(json!({}));
        m::deployment_complete(
            s.replicas,
            s.d.metadata.generation.unwrap_or(1),
            &counts_of(&st),
        )
    }

    /// `cleanupDeployment`: delete the oldest empty old RSs beyond revisionHistoryLimit.
    fn cleanup_deployment(&mut self, s: &mut Sync, new: Option<&WorkloadKey>) {
        let Some(limit) =
            spec_i64(&s.d.body, "revisionHistoryLimit").filter(|l| *l != i32::MAX as i64)
        else {
            return;
        };
        let mut olds: Vec<(i64, WorkloadKey)> =
            s.rs.iter()
                .filter(|k| Some(*k) != new)
                .filter_map(|k| {
                    self.rs_obj(k)
                        .map(|o| (revision_of(&o.metadata), k.clone()))
                })
                .collect();
        let diff = olds.len() as i64 - limit;
        if diff <= 0 {
            return;
        }
        olds.sort();
        for (_, k) in olds.into_iter().take(diff as usize) {
            let Some(o) = self.rs_obj(&k) else { continue };
            let observed = status_i64(&o.body, "observedGeneration");
            if status_i64(&o.body, "replicas") != 0
                || spec_i64(&o.body, "replicas").unwrap_or(1) != 0
                || o.metadata.generation.unwrap_or(1) > observed
            {
                continue;
            }
            if let Some(gone) = self.cl.store.others.remove(&k) {
                self.emit_deleted_row("ReplicaSet", &k.1, &k.2);
                if let Some(u) = gone.metadata.uid {
                    self.delete_owned_by(&u);
                }
            }
            s.rs.retain(|x| *x != k);
        }
    }

    /// `calculateStatus` plus, when `rollout`, `syncRolloutStatus`'s Progressing condition.
    fn sync_status(&mut self, s: &mut Sync, new: Option<&WorkloadKey>, rollout: bool) {
        let now = self.now();
        let views: Vec<(WorkloadKey, Map<String, Value>)> =
            s.rs.iter()
                .filter_map(|k| self.rs_obj(k).map(|o| (k.clone(), o.body.clone())))
                .collect();
        let sum = |f: &str| -> i64 { views.iter().map(|(_, b)| status_i64(b, f)).sum() };
        let available = sum("availableReplicas");
        let spec_total: i64 = views
            .iter()
            .map(|(_, b)| spec_i64(b, "replicas").unwrap_or(1))
            .sum();
        let updated = new
            .and_then(|n| views.iter().find(|(k, _)| k == n))
            .map_or(0, |(_, b)| status_i64(b, "replicas"));
        let old_status = s.d.body.get("status").cloned().unwrap_or(json!({}));
        let mut conds = conditions(&s.d);
        let max_unavailable = m::max_unavailable(&s.strategy, s.replicas);
        if available >= s.replicas - max_unavailable {
            set_condition(
                &mut conds,
                "Available",
                "True",
                "MinimumReplicasAvailable",
                "Deployment has minimum availability.".into(),
                now,
            );
        } else {
            set_condition(
                &mut conds,
                "Available",
                "False",
                "MinimumReplicasUnavailable",
                "Deployment does not have minimum availability.".into(),
                now,
            );
        }
        let generation = s.d.metadata.generation.unwrap_or(1);
        let new_counts = Counts {
            replicas: sum("replicas"),
            updated,
            ready: sum("readyReplicas"),
            available,
            observed_generation: generation,
        };
        let deadline = has_progress_deadline(&s.d.body);
        if rollout {
            if deadline.is_none() {
                conds.retain(|c| c.get("type").and_then(Value::as_str) != Some("Progressing"));
            }
            let cur = condition(&conds, "Progressing").cloned();
            let complete_reason = field(cur.as_ref(), "reason") == Some("NewReplicaSetAvailable");
            let is_complete = new_counts.replicas == new_counts.updated && complete_reason;
            if deadline.is_some() && !is_complete {
                let subject = match new {
                    Some(n) => format!("ReplicaSet {:?}", n.2),
                    None => format!("Deployment {:?}", s.name),
                };
                if m::deployment_complete(s.replicas, generation, &new_counts) {
                    set_condition(
                        &mut conds,
                        "Progressing",
                        "True",
                        "NewReplicaSetAvailable",
                        format!("{subject} has successfully progressed."),
                        now,
                    );
                } else if m::deployment_progressing(&counts_of(&old_status), &new_counts) {
                    let t = Time(now).rfc3339();
                    let transition = match cur.as_ref() {
                        Some(c) if field(Some(c), "status") == Some("True") => {
                            c.get("lastTransitionTime").cloned().unwrap_or(json!(t))
                        }
                        _ => json!(t),
                    };
                    conds.retain(|c| c.get("type").and_then(Value::as_str) != Some("Progressing"));
                    conds.push(json!({
                        "lastTransitionTime": transition,
                        "lastUpdateTime": t,
                        "message": format!("{subject} is progressing."),
                        "reason": "ReplicaSetUpdated",
                        "status": "True",
                        "type": "Progressing",
                    }));
                } else {
                    let last = field(cur.as_ref(), "lastUpdateTime")
                        .and_then(Time::parse_rfc3339)
                        .map_or(now, |t| t.0);
                    if m::deployment_timed_out(deadline, field(cur.as_ref(), "reason"), last, now) {
                        set_condition(
                            &mut conds,
                            "Progressing",
                            "False",
                            "ProgressDeadlineExceeded",
                            format!("{subject} has timed out progressing."),
                            now,
                        );
                    }
                }
            }
        }
        let mut st = Map::new();
        let put = |st: &mut Map<String, Value>, f: &str, v: i64| {
            if v != 0 {
                st.insert(f.into(), json!(v));
            }
        };
        put(&mut st, "availableReplicas", available);
        if let Some(c) = old_status.get("collisionCount") {
            st.insert("collisionCount".into(), c.clone());
        }
        if !conds.is_empty() {
            st.insert("conditions".into(), Value::Array(conds.clone()));
        }
        st.insert("observedGeneration".into(), json!(generation));
        put(&mut st, "readyReplicas", new_counts.ready);
        put(&mut st, "replicas", new_counts.replicas);
        put(
            &mut st,
            "unavailableReplicas",
            (spec_total - available).max(0),
        );
        put(&mut st, "updatedReplicas", updated);
        s.d.body.insert("status".into(), Value::Object(st));
        // requeueStuckDeployment: look again when the deadline passes.
        if let (Some(dl), Some(c)) = (deadline, condition(&conds, "Progressing")) {
            let reason = field(Some(c), "reason");
            if !matches!(
                reason,
                Some("NewReplicaSetAvailable") | Some("ProgressDeadlineExceeded")
            ) && !m::deployment_complete(s.replicas, generation, &new_counts)
            {
                if let Some(t) = field(Some(c), "lastUpdateTime").and_then(Time::parse_rfc3339) {
                    let at = t.0 + dl * 1000 + 1000;
                    self.cl.wake_workloads_at(at.max(now));
                }
            }
        }
    }
}

/// `copyDeploymentAnnotationsToReplicaSet`; true when something changed.
fn copy_annotations(from: &BTreeMap<String, String>, to: &mut BTreeMap<String, String>) -> bool {
    let mut changed = false;
    for (k, v) in from {
        if skip_copy_annotation(k) || to.get(k) == Some(v) {
            continue;
        }
        to.insert(k.clone(), v.clone());
        changed = true;
    }
    changed
}

/// `SetNewReplicaSetAnnotations`' revision part: raise the RS's revision to `new_revision`,
/// remembering the old number in revision-history (a rollback to this RS).
fn set_new_rs_revision(ann: &mut BTreeMap<String, String>, new_revision: i64) -> bool {
    let old = ann.get(REVISION).cloned();
    let old_n: i64 = match old.as_deref() {
        None | Some("") => 0,
        Some(o) => match o.parse() {
            Ok(n) => n,
            Err(_) => return false,
        },
    };
    if old_n >= new_revision {
        return false;
    }
    ann.insert(REVISION.into(), new_revision.to_string());
    if let Some(o) = old.filter(|o| !o.is_empty()) {
        let hist = ann.get(REVISION_HISTORY).cloned().unwrap_or_default();
        let mut parts: Vec<String> = if hist.is_empty() {
            vec![]
        } else {
            hist.split(',').map(str::to_string).collect()
        };
        parts.push(o);
        // maxRevHistoryLengthInChars = 2000: drop the oldest entries.
        while parts.join(",").len() > 2000 && parts.len() > 1 {
            parts.remove(0);
        }
        ann.insert(REVISION_HISTORY.into(), parts.join(","));
    }
    true
}
