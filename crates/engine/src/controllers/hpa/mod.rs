//! The HorizontalPodAutoscaler controller (horizontal.go `reconcileAutoscaler`),
//! controllers-semantics §6: every HPA syncs when created and then every 15 s
//! (`--horizontal-pod-autoscaler-sync-period`); it reads its target's `/scale` (spec.replicas and
//! the pod selector of a Deployment, ReplicaSet or StatefulSet), asks metrics-server for the
//! pods' usage, proposes a replica count per metric (`replica_calculator`), normalizes it
//! (`normalize`) and writes the target's spec.replicas, with kube-controller-manager's
//! conditions, events and status.

pub mod normalize;
pub mod replica_calculator;
pub mod spec;

use podplay_api::time::{Millis, SECOND};
use podplay_api::types::{Pod, Time};
use podplay_kubectl::selector::LabelSelector;
use serde_json::{json, Value};
use std::collections::BTreeMap;

use crate::cluster::Task;
use crate::events::Involved;
use crate::simulation::Simulation;
use crate::store::Key;
use normalize::History;
use replica_calculator::{Phase, PodInfo, Proposal, Sample};
use spec::{HpaSpec, Metric, Target};

/// `--horizontal-pod-autoscaler-sync-period`.
pub const SYNC_PERIOD: Millis = 15 * SECOND;
const SOURCE: &str = "horizontal-pod-autoscaler";

/// The controller's memory of one HPA (by uid: a re-created HPA starts afresh).
#[derive(Debug, Clone, Default)]
pub struct State {
    pub uid: String,
    pub history: History,
    /// AbleToScale, ScalingActive, ScalingLimited: (type, status, reason, message, since).
    pub conditions: Vec<(String, String, String, String, Millis)>,
}

#[derive(Debug, Clone, Default)]
pub struct Autoscalers {
    pub states: BTreeMap<Key, State>,
}

/// The target's `/scale`: replicas and the selector of its pods.
struct Scale {
    replicas: i32,
    selector: Option<LabelSelector>,
}

/// A LabelSelector object (matchLabels, matchExpressions) in its string form.
pub fn selector_string(sel: &Value) -> String {
    let mut parts: Vec<String> = vec![];
    if let Some(m) = sel.get("matchLabels").and_then(Value::as_object) {
        for (k, v) in m {
            parts.push(format!("{k}={}", v.as_str().unwrap_or("")));
        }
    }
    for e in sel
        .get("matchExpressions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let key = e.get("key").and_then(Value::as_str).unwrap_or("");
        let values: Vec<&str> = e
            .get("values")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        match e.get("operator").and_then(Value::as_str) {
            Some("In") => parts.push(format!("{key} in ({})", values.join(","))),
            Some("NotIn") => parts.push(format!("{key} notin ({})", values.join(","))),
            Some("Exists") => parts.push(key.to_string()),
            Some("DoesNotExist") => parts.push(format!("!{key}")),
            _ => {}
        }
    }
    parts.join(",")
}

fn metric_name(resource: &str, target: &Target) -> String {
    match target {
        Target::Utilization(_) => {
            format!("{resource} resource utilization (percentage of request)")
        }
        Target::AverageValue(..) => format!("{resource} resource"),
    }
}

/// `resource.NewMilliQuantity(v, DecimalSI).String()`: `500m`, `1`, `104857600`, `100M`.
pub fn milli_quantity(v: i64) -> String {
    if v % 1000 != 0 {
        return format!("{v}m");
    }
    let mut n = v / 1000;
    if n == 0 {
        return "0".into();
    }
    let mut suffix = "";
    for s in ["k", "M", "G", "T", "P", "E"] {
        if n % 1000 != 0 {
            break;
        }
        n /= 1000;
        suffix = s;
    }
    format!("{n}{suffix}")
}

impl Simulation {
    /// A new HPA is queued at once (its informer's add), then resyncs every period.
    pub(crate) fn hpa_created(&mut self, ns: &str, name: &str) {
        let now = self.now();
        self.cl.agenda.schedule(
            now,
            Task::HpaSync {
                namespace: ns.to_string(),
                name: name.to_string(),
            },
        );
        self.emit_hpa_row(ns, name);
    }

    fn hpa_key(ns: &str, name: &str) -> (String, String, String) {
        (
            "HorizontalPodAutoscaler".to_string(),
            ns.to_string(),
            name.to_string(),
        )
    }

    pub(crate) fn emit_hpa_row(&mut self, ns: &str, name: &str) {
        let now = self.now();
        let Some(o) = self.cl.store.others.get(&Self::hpa_key(ns, name)) else {
            return;
        };
        let row = podplay_kubectl::printers::hpa::hpa_row(o, now);
        let columns: Vec<(&'static str, String)> =
            ["REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS"]
                .iter()
                .map(|h| (*h, row.cell(h).unwrap_or("").to_string()))
                .collect();
        self.emit_row("HorizontalPodAutoscaler", ns, name, columns);
    }

    fn get_scale(&self, ns: &str, spec: &HpaSpec) -> Result<Scale, String> {
        let kind = spec.target_kind.as_str();
        let (plural, group) = match kind {
            "Deployment" => ("deployments", "apps"),
            "ReplicaSet" => ("replicasets", "apps"),
            "StatefulSet" => ("statefulsets", "apps"),
            "ReplicationController" => ("replicationcontrollers", ""),
            other => return Err(format!("no matches for kind \"{other}\" in group \"\"")),
        };
        let Some(o) =
            self.cl
                .store
                .others
                .get(&(kind.to_string(), ns.to_string(), spec.target_name.clone()))
        else {
            let g = if group.is_empty() {
                String::new()
            } else {
                format!(".{group}")
            };
            return Err(format!(
                "{plural}/scale{g} \"{}\" not found",
                spec.target_name
            ));
        };
        let s = o.body.get("spec").cloned().unwrap_or(Value::Null);
        let replicas = s
            .get("replicas")
            .and_then(Value::as_i64)
            .unwrap_or(1)
            .clamp(0, i32::MAX as i64) as i32;
        let selector_text = s.get("selector").map(selector_string).unwrap_or_default();
        let selector = LabelSelector::parse(&selector_text).ok();
        Ok(Scale { replicas, selector })
    }

    fn pod_info(p: &Pod, resource: &str) -> PodInfo {
        // Borrowed: this runs for every pod the selector matches on every 15 s sync.
        let default_status = podplay_api::types::PodStatus::default();
        let st = p.status.as_ref().unwrap_or(&default_status);
        let phase = match st.phase.as_deref() {
            Some("Running") => Phase::Running,
            Some("Succeeded") => Phase::Succeeded,
            Some("Failed") => Phase::Failed,
            _ => Phase::Pending,
        };
        let ready = st.conditions.iter().find(|c| c.type_ == "Ready").map(|c| {
            (
                c.status == "True",
                c.last_transition_time.map(|t| t.0).unwrap_or(0),
            )
        });
        let mut request: Result<i64, String> = Ok(0);
        for c in &p.spec.containers {
            let q = c.resources.requests.get(resource).and_then(|q| {
                if resource == "cpu" {
                    q.cpu_millis()
                } else {
                    q.bytes().map(|b| b.saturating_mul(1000))
                }
            });
            request = match (request, q) {
                (Ok(sum), Some(v)) => Ok(sum.saturating_add(v)),
                (Ok(_), None) => Err(c.name.clone()),
                (e, _) => e,
            };
        }
        PodInfo {
            name: p.metadata.name.clone().unwrap_or_default(),
            phase,
            deleting: p.metadata.deletion_timestamp.is_some(),
            start_time: st.start_time.map(|t| t.0),
            ready,
            request,
        }
    }

    /// One metric's proposal: `computeStatusForResourceMetric` and friends.
    fn metric_proposal(
        &self,
        ns: &str,
        current: i32,
        scale: &Scale,
        metric: &Metric,
    ) -> Result<(Proposal, String, Value), String> {
        let Metric::Resource { name, target } = metric else {
            let Metric::Unsupported(t) = metric else {
                return Err("invalid metric".into());
            };
            return Err(format!(
                "unable to get external metric: podplay measures Resource metrics only, not {t}"
            ));
        };
        let now = self.now();
        let selector = scale
            .selector
            .clone()
            .ok_or_else(|| "selector is required".to_string())?;
        let pods: Vec<&Pod> = self
            .cl
            .store
            .pods
            .values()
            .filter(|p| {
                p.metadata.namespace.as_deref() == Some(ns) && selector.matches(&p.metadata.labels)
            })
            .collect();
        let infos: Vec<PodInfo> = pods.iter().map(|p| Self::pod_info(p, name)).collect();
        let samples: BTreeMap<String, Sample> = pods
            .iter()
            .filter_map(|p| {
                let key = (ns.to_string(), p.metadata.name.clone().unwrap_or_default());
                let m = self.metrics.pods.get(&key)?;
                let value = if name == "cpu" {
                    m.cpu_millis()
                } else {
                    m.memory_bytes().saturating_mul(1000)
                };
                Some((
                    key.1,
                    Sample {
                        value,
                        timestamp: m.timestamp,
                        window: m.window,
                    },
                ))
            })
            .collect();
        let describe = metric_name(name, target);
        let wrap = |e: String| {
            let what = match target {
                Target::Utilization(_) => "utilization",
                Target::AverageValue(..) => "usage",
            };
            format!("failed to get {name} {what}: {e}")
        };
        match target {
            Target::Utilization(t) => {
                let p =
                    replica_calculator::resource_replicas(current, *t, name, &infos, &samples, now)
                        .map_err(wrap)?;
                let status = json!({"type": "Resource", "resource": {"name": name, "current": {
                    "averageUtilization": p.utilization, "averageValue": milli_quantity(p.raw_average)}}});
                Ok((p, describe, status))
            }
            Target::AverageValue(v, _) => {
                let p = replica_calculator::raw_resource_replicas(
                    current, *v, name, &infos, &samples, now,
                )
                .map_err(wrap)?;
                let status = json!({"type": "Resource", "resource": {"name": name, "current": {
                    "averageValue": milli_quantity(p.raw_average)}}});
                Ok((p, describe, status))
            }
        }
    }

    fn set_condition(&mut self, key: &Key, t: &str, status: &str, reason: &str, message: String) {
        let now = self.now();
        let Some(st) = self.autoscalers.states.get_mut(key) else {
            return;
        };
        match st.conditions.iter_mut().find(|c| c.0 == t) {
            Some(c) => {
                if c.1 != status {
                    c.4 = now;
                }
                c.1 = status.into();
                c.2 = reason.into();
                c.3 = message;
            }
            None => st
                .conditions
                .push((t.into(), status.into(), reason.into(), message, now)),
        }
    }

    /// `reconcileAutoscaler`, then the next sync in 15 s.
    pub(crate) fn sync_hpa(&mut self, ns: &str, name: &str) {
        let okey = Self::hpa_key(ns, name);
        let key: Key = (ns.to_string(), name.to_string());
        let Some(hpa) = self.cl.store.others.get(&okey).cloned() else {
            self.autoscalers.states.remove(&key);
            return;
        };
        let now = self.now();
        self.cl.agenda.schedule(
            now + SYNC_PERIOD,
            Task::HpaSync {
                namespace: ns.to_string(),
                name: name.to_string(),
            },
        );
        let uid = hpa.metadata.uid.clone().unwrap_or_default();
        if self.autoscalers.states.get(&key).map(|s| s.uid.as_str()) != Some(uid.as_str()) {
            self.autoscalers.states.insert(
                key.clone(),
                State {
                    uid: uid.clone(),
                    ..Default::default()
                },
            );
        }
        let involved = Involved {
            kind: "HorizontalPodAutoscaler".into(),
            namespace: ns.into(),
            name: name.into(),
            uid,
            field_path: None,
        };
        let spec = spec::parse(&hpa.api_version, &hpa.body);
        let scale = match self.get_scale(ns, &spec) {
            Ok(s) => s,
            Err(e) => {
                self.cl
                    .event(SOURCE, involved, "Warning", "FailedGetScale", e.clone());
                self.set_condition(
                    &key,
                    "AbleToScale",
                    "False",
                    "FailedGetScale",
                    format!("the HPA controller was unable to get the target's current scale: {e}"),
                );
                self.write_hpa_status(&okey, &spec, None, None, vec![], false);
                return;
            }
        };
        self.set_condition(
            &key,
            "AbleToScale",
            "True",
            "SucceededGetScale",
            "the HPA controller was able to get the target's current scale".into(),
        );
        let current = scale.replicas;
        let min = spec.min();
        let mut desired = 0;
        let mut rescale_reason = String::new();
        let mut statuses: Vec<Value> = vec![];
        if current == 0 && min != 0 {
            self.set_condition(
                &key,
                "ScalingActive",
                "False",
                "ScalingDisabled",
                "scaling is disabled since the replica count of the target is zero".into(),
            );
            self.write_hpa_status(&okey, &spec, Some(current), Some(0), vec![], false);
            return;
        } else if current > spec.max_replicas {
            rescale_reason = "Current number of replicas above Spec.MaxReplicas".into();
            desired = spec.max_replicas;
        } else if current < min {
            rescale_reason = "Current number of replicas below Spec.MinReplicas".into();
            desired = min;
        } else {
            // computeReplicasForMetrics: the largest proposal over the valid metrics.
            let mut best: Option<(i32, String)> = None;
            let mut invalid = 0;
            let mut first_error: Option<(String, String)> = None;
            for m in &spec.metrics {
                match self.metric_proposal(ns, current, &scale, m) {
                    Ok((p, n, st)) => {
                        statuses.push(st);
                        if best.as_ref().is_none_or(|(r, _)| p.replicas > *r) {
                            best = Some((p.replicas, n));
                        }
                    }
                    Err(e) => {
                        invalid += 1;
                        statuses.push(Value::Null);
                        let resource = match m {
                            Metric::Resource { name, .. } => name.clone(),
                            Metric::Unsupported(t) => t.clone(),
                        };
                        if first_error.is_none() {
                            first_error = Some((resource.clone(), e.clone()));
                        }
                        self.cl.event(
                            SOURCE,
                            involved.clone(),
                            "Warning",
                            "FailedGetResourceMetric",
                            e.clone(),
                        );
                        self.set_condition(
                            &key,
                            "ScalingActive",
                            "False",
                            "FailedGetResourceMetric",
                            format!("the HPA was unable to compute the replica count: {e}"),
                        );
                    }
                }
            }
            let n = spec.metrics.len();
            let failed =
                invalid >= n || (invalid > 0 && best.as_ref().is_some_and(|(r, _)| *r < current));
            if failed {
                if let Some((resource, e)) = first_error {
                    let msg = format!("invalid metrics ({invalid} invalid out of {n}), first error is: failed to get {resource} resource metric value: {e}");
                    self.cl.event(
                        SOURCE,
                        involved,
                        "Warning",
                        "FailedComputeMetricsReplicas",
                        msg,
                    );
                }
                let statuses = statuses.into_iter().filter(|s| !s.is_null()).collect();
                self.write_hpa_status(&okey, &spec, Some(current), Some(current), statuses, false);
                return;
            }
            let (metric_desired, metric_name) = best.unwrap_or((0, String::new()));
            self.set_condition(
                &key,
                "ScalingActive",
                "True",
                "ValidMetricFound",
                format!(
                    "the HPA was able to successfully calculate a replica count from {metric_name}"
                ),
            );
            if metric_desired > desired {
                desired = metric_desired;
            }
            if desired > current {
                rescale_reason = format!("{metric_name} above target");
            }
            if desired < current {
                rescale_reason = "All metrics below target".into();
            }
            let st = self.autoscalers.states.entry(key.clone()).or_default();
            let n = match &spec.behavior {
                None => st
                    .history
                    .normalize(now, current, desired, min, spec.max_replicas),
                Some(b) => st.history.normalize_with_behavior(
                    now,
                    b,
                    current,
                    desired,
                    min,
                    spec.max_replicas,
                ),
            };
            desired = n.replicas;
            let (a, l) = (n.able_to_scale, n.scaling_limited);
            self.set_condition(&key, a.0, a.1, a.2, a.3);
            self.set_condition(&key, l.0, l.1, l.2, l.3);
        }
        let rescale = desired != current;
        if rescale {
            self.write_target_replicas(ns, &spec, desired);
            if let (Some(b), Some(st)) = (&spec.behavior, self.autoscalers.states.get_mut(&key)) {
                st.history.store_scale_event(now, b, current, desired);
            }
            self.set_condition(
                &key,
                "AbleToScale",
                "True",
                "SucceededRescale",
                format!("the HPA controller was able to update the target scale to {desired}"),
            );
            self.cl.event(
                SOURCE,
                involved,
                "Normal",
                "SuccessfulRescale",
                format!("New size: {desired}; reason: {rescale_reason}"),
            );
        }
        let statuses = statuses.into_iter().filter(|s| !s.is_null()).collect();
        self.write_hpa_status(
            &okey,
            &spec,
            Some(current),
            Some(desired),
            statuses,
            rescale,
        );
    }

    /// The `/scale` update: only spec.replicas of the target changes; its controller follows.
    fn write_target_replicas(&mut self, ns: &str, spec: &HpaSpec, replicas: i32) {
        let k = (
            spec.target_kind.clone(),
            ns.to_string(),
            spec.target_name.clone(),
        );
        if let Some(o) = self.cl.store.others.get_mut(&k) {
            if let Some(s) = o.body.get_mut("spec").and_then(Value::as_object_mut) {
                s.insert("replicas".into(), json!(replicas));
            } else {
                o.body.insert("spec".into(), json!({"replicas": replicas}));
            }
            self.cl.store.versions.stamp(&mut o.metadata);
            self.dirty_workloads = true;
        }
    }

    fn write_hpa_status(
        &mut self,
        okey: &(String, String, String),
        spec: &HpaSpec,
        current: Option<i32>,
        desired: Option<i32>,
        metrics: Vec<Value>,
        rescaled: bool,
    ) {
        let now = self.now();
        let key: Key = (okey.1.clone(), okey.2.clone());
        let conditions: Vec<Value> = self
            .autoscalers
            .states
            .get(&key)
            .map(|s| {
                s.conditions
                    .iter()
                    .map(|(t, st, r, m, since)| json!({"type": t, "status": st, "reason": r, "message": m, "lastTransitionTime": Time(*since).rfc3339()}))
                    .collect()
            })
            .unwrap_or_default();
        let Some(o) = self.cl.store.others.get_mut(okey) else {
            return;
        };
        let old = o.body.get("status").cloned().unwrap_or(json!({}));
        let last_scale = if rescaled {
            Some(json!(Time(now).rfc3339()))
        } else {
            old.get("lastScaleTime").cloned()
        };
        let mut status = serde_json::Map::new();
        if spec.v1 {
            if let Some(c) = current {
                status.insert("currentReplicas".into(), json!(c));
            }
            status.insert("desiredReplicas".into(), json!(desired.unwrap_or(0)));
            if let Some(u) = metrics
                .first()
                .and_then(|m| m.pointer("/resource/current/averageUtilization"))
            {
                status.insert("currentCPUUtilizationPercentage".into(), u.clone());
            }
        } else {
            if !metrics.is_empty() {
                status.insert("currentMetrics".into(), Value::Array(metrics));
            }
            if let Some(c) = current {
                status.insert("currentReplicas".into(), json!(c));
            }
            status.insert("desiredReplicas".into(), json!(desired.unwrap_or(0)));
            status.insert("conditions".into(), Value::Array(conditions));
        }
        if let Some(t) = last_scale {
            status.insert("lastScaleTime".into(), t);
        }
        let status = Value::Object(status);
        if old != status {
            o.body.insert("status".into(), status);
            self.cl.store.versions.stamp(&mut o.metadata);
        }
        self.emit_hpa_row(&okey.1, &okey.2);
    }

    /// Conditions for `kubectl describe hpa` (kept for v1 objects too, whose API shape has none).
    pub(crate) fn hpa_conditions(
        &self,
        ns: &str,
        name: &str,
    ) -> Vec<(String, String, String, String)> {
        self.autoscalers
            .states
            .get(&(ns.to_string(), name.to_string()))
            .map(|s| {
                s.conditions
                    .iter()
                    .map(|(t, st, r, m, _)| (t.clone(), st.clone(), r.clone(), m.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milli_quantities_print_as_decimal_si() {
        assert_eq!(milli_quantity(500), "500m");
        assert_eq!(milli_quantity(1000), "1");
        assert_eq!(milli_quantity(0), "0");
        assert_eq!(milli_quantity(104_857_600_000), "104857600");
        assert_eq!(milli_quantity(100_000_000_000), "100M");
    }

    #[test]
    fn selectors_print_in_string_form() {
        let s = json!({"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["a", "b"]}, {"key": "x", "operator": "DoesNotExist"}]});
        assert_eq!(selector_string(&s), "app=web,tier in (a,b),!x");
    }
}
