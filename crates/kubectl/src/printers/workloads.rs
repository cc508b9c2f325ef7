//! `kubectl describe deployment|replicaset` (kubectl 1.32 `describe.go`: `describeDeployment`,
//! `describeReplicaSet`, `DescribePodTemplate`) and the label-selector text they print.
//! Workloads are stored as JSON bodies, so the pod template is decoded into typed containers
//! and volumes to share the pod describer's container block.

use std::collections::BTreeMap;

use podplay_api::time::{DateTime, Millis};
use podplay_api::types::{Event, OtherObject, PodSpec};
use serde_json::{Map, Value};

use crate::printers::describe::{
    annotations_multiline, describe_container_at, describe_events, describe_volume_at,
    labels_multiline, tolerations_multiline,
};
use crate::table::TabWriter;

/// Annotations `describe` never prints (`skipAnnotations`).
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

fn string_map(v: Option<&Value>) -> BTreeMap<String, String> {
    v.and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default()
}

fn shown_annotations(a: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut a = a.clone();
    a.remove(LAST_APPLIED);
    a
}

/// `metav1.LabelSelectorAsSelector(s).String()`: requirements sorted by key, `k=v`,
/// `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, joined by commas; "" selects everything.
pub fn label_selector_string(selector: Option<&Value>) -> String {
    let Some(sel) = selector.and_then(Value::as_object) else {
        return String::new();
    };
    let mut reqs: Vec<(String, String)> = vec![];
    if let Some(ml) = sel.get("matchLabels").and_then(Value::as_object) {
        for (k, v) in ml {
            reqs.push((k.clone(), format!("{k}={}", v.as_str().unwrap_or(""))));
        }
    }
    if let Some(me) = sel.get("matchExpressions").and_then(Value::as_array) {
        for e in me {
            let key = e
                .get("key")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let mut values: Vec<&str> = e
                .get("values")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            values.sort_unstable();
            values.dedup();
            let text = match e.get("operator").and_then(Value::as_str).unwrap_or("") {
                "In" => format!("{key} in ({})", values.join(",")),
                "NotIn" => format!("{key} notin ({})", values.join(",")),
                "Exists" => key.clone(),
                "DoesNotExist" => format!("!{key}"),
                _ => continue,
            };
            reqs.push((key, text));
        }
    }
    // sort.Sort(ByKey) — equal keys keep no promised order; a stable sort is one valid outcome.
    reqs.sort_by(|a, b| a.0.cmp(&b.0));
    reqs.into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join(",")
}

/// `metav1.FormatLabelSelector`: as above, `<none>` when empty.
pub fn format_label_selector(selector: Option<&Value>) -> String {
    let s = label_selector_string(selector);
    if s.is_empty() {
        "<none>".into()
    } else {
        s
    }
}

/// `DescribePodTemplate` written into `w`: labels, annotations (when any), containers with the
/// pod describer's block (names one space further in), volumes, node selectors, tolerations.
pub fn describe_pod_template(w: &mut TabWriter, template: &Value) {
    w.write("Pod Template:\n");
    let meta = template.get("metadata");
    labels_multiline(
        w,
        "  Labels",
        &string_map(meta.and_then(|m| m.get("labels"))),
    );
    let ann = string_map(meta.and_then(|m| m.get("annotations")));
    if !ann.is_empty() {
        annotations_multiline(w, "  Annotations", &ann);
    }
    let spec: PodSpec = template
        .get("spec")
        .and_then(|s| podplay_api::yaml::from_json(s).ok())
        .unwrap_or_default();
    if let Some(sa) = spec
        .service_account_name
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        w.write(&format!("  Service Account:\t{sa}\n"));
    }
    if !spec.init_containers.is_empty() {
        w.write("  Init Containers:\n");
        for c in &spec.init_containers {
            describe_container_at(w, c, None, " ");
        }
    }
    if spec.containers.is_empty() {
        w.write("  Containers: <none>\n");
    } else {
        w.write("  Containers:\n");
    }
    for c in &spec.containers {
        describe_container_at(w, c, None, " ");
    }
    if spec.volumes.is_empty() {
        w.write("  Volumes:\t<none>\n");
    } else {
        w.write("  Volumes:\n");
        for v in &spec.volumes {
            describe_volume_at(w, v, " ");
        }
    }
    if let Some(pc) = spec
        .priority_class_name
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        w.write(&format!("  Priority Class Name:\t{pc}\n"));
    }
    labels_multiline(w, "  Node-Selectors", &spec.node_selector);
    tolerations_multiline(w, "  Tolerations", &spec.tolerations);
}

/// The template section alone (`kubectl rollout history --revision=N`).
pub fn pod_template_text(template: &Value) -> String {
    let mut w = TabWriter::describe();
    describe_pod_template(&mut w, template);
    w.flush()
}

fn date(meta_time: Option<podplay_api::types::Time>) -> String {
    DateTime::at(meta_time.map_or(0, |t| t.0)).rfc1123z()
}

fn i64_at(body: &Map<String, Value>, pointer: &str) -> i64 {
    Value::Object(body.clone())
        .pointer(pointer)
        .and_then(Value::as_i64)
        .unwrap_or(0)
}

fn int_or_string(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => "0".into(),
    }
}

fn conditions_table(w: &mut TabWriter, status: Option<&Value>) {
    let conds = status
        .and_then(|s| s.get("conditions"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if conds.is_empty() {
        return;
    }
    w.write("Conditions:\n  Type\tStatus\tReason\n");
    w.write("  ----\t------\t------\n");
    for c in conds {
        let f = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        w.write(&format!(
            "  {} \t{}\t{}\n",
            f("type"),
            f("status"),
            f("reason")
        ));
    }
}

/// `printReplicaSetsByLabels`: `name (status.replicas/spec.replicas replicas created)`, joined
/// by ", ", or `<none>`.
fn replica_sets_line(sets: &[&OtherObject]) -> String {
    let parts: Vec<String> = sets
        .iter()
        .map(|rs| {
            let spec = rs
                .body
                .get("spec")
                .and_then(|s| s.get("replicas"))
                .and_then(Value::as_i64)
                .unwrap_or(1);
            format!(
                "{} ({}/{spec} replicas created)",
                rs.metadata.name(),
                i64_at(&rs.body, "/status/replicas")
            )
        })
        .collect();
    if parts.is_empty() {
        "<none>".into()
    } else {
        parts.join(", ")
    }
}

/// `kubectl describe deployment`. `old` are all its old ReplicaSets (oldest first, including
/// those scaled to 0: the describer uses `allOldRSs`), `new` its new one; `events` None with
/// `--show-events=false`.
pub fn describe_deployment(
    d: &OtherObject,
    old: &[&OtherObject],
    new: Option<&OtherObject>,
    events: Option<&[&Event]>,
    now: Millis,
) -> String {
    let mut w = TabWriter::describe();
    let m = &d.metadata;
    let spec = d.body.get("spec");
    let status = d.body.get("status");
    w.write(&format!("Name:\t{}\n", m.name()));
    w.write(&format!("Namespace:\t{}\n", m.namespace()));
    w.write(&format!(
        "CreationTimestamp:\t{}\n",
        date(m.creation_timestamp)
    ));
    labels_multiline(&mut w, "Labels", &m.labels);
    annotations_multiline(&mut w, "Annotations", &shown_annotations(&m.annotations));
    w.write(&format!(
        "Selector:\t{}\n",
        label_selector_string(spec.and_then(|s| s.get("selector")))
    ));
    let desired = spec
        .and_then(|s| s.get("replicas"))
        .and_then(Value::as_i64)
        .unwrap_or(1);
    w.write(&format!(
        "Replicas:\t{desired} desired | {} updated | {} total | {} available | {} unavailable\n",
        i64_at(&d.body, "/status/updatedReplicas"),
        i64_at(&d.body, "/status/replicas"),
        i64_at(&d.body, "/status/availableReplicas"),
        i64_at(&d.body, "/status/unavailableReplicas"),
    ));
    let strategy = spec.and_then(|s| s.get("strategy"));
    let stype = strategy
        .and_then(|s| s.get("type"))
        .and_then(Value::as_str)
        .unwrap_or("RollingUpdate");
    w.write(&format!("StrategyType:\t{stype}\n"));
    w.write(&format!(
        "MinReadySeconds:\t{}\n",
        spec.and_then(|s| s.get("minReadySeconds"))
            .and_then(Value::as_i64)
            .unwrap_or(0)
    ));
    // apps/v1 defaulting fills rollingUpdate (25%/25%) for the RollingUpdate type only.
    let ru = strategy.and_then(|s| s.get("rollingUpdate"));
    if ru.is_some() || stype == "RollingUpdate" {
        let pick = |f: &str| {
            ru.and_then(|r| r.get(f))
                .map(|v| int_or_string(Some(v)))
                .unwrap_or_else(|| "25%".into())
        };
        w.write(&format!(
            "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
            pick("maxUnavailable"),
            pick("maxSurge")
        ));
    }
    let template = spec
        .and_then(|s| s.get("template"))
        .cloned()
        .unwrap_or(Value::Null);
    describe_pod_template(&mut w, &template);
    conditions_table(&mut w, status);
    if !old.is_empty() || new.is_some() {
        w.write(&format!("OldReplicaSets:\t{}\n", replica_sets_line(old)));
        let new: Vec<&OtherObject> = new.into_iter().collect();
        w.write(&format!("NewReplicaSet:\t{}\n", replica_sets_line(&new)));
    }
    if let Some(evs) = events {
        describe_events(&mut w, evs, now);
    }
    w.flush()
}

/// Pods a controller owns, by phase (`getPodStatusForController`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PodPhaseCounts {
    pub running: usize,
    pub waiting: usize,
    pub succeeded: usize,
    pub failed: usize,
}

/// `kubectl describe replicaset`.
pub fn describe_replica_set(
    rs: &OtherObject,
    pods: PodPhaseCounts,
    events: Option<&[&Event]>,
    now: Millis,
) -> String {
    let mut w = TabWriter::describe();
    let m = &rs.metadata;
    let spec = rs.body.get("spec");
    w.write(&format!("Name:\t{}\n", m.name()));
    w.write(&format!("Namespace:\t{}\n", m.namespace()));
    w.write(&format!(
        "Selector:\t{}\n",
        format_label_selector(spec.and_then(|s| s.get("selector")))
    ));
    labels_multiline(&mut w, "Labels", &m.labels);
    annotations_multiline(&mut w, "Annotations", &shown_annotations(&m.annotations));
    if let Some(o) = m
        .owner_references
        .iter()
        .find(|o| o.controller == Some(true))
    {
        w.write(&format!("Controlled By:\t{}/{}\n", o.kind, o.name));
    }
    w.write(&format!(
        "Replicas:\t{} current / {} desired\n",
        i64_at(&rs.body, "/status/replicas"),
        spec.and_then(|s| s.get("replicas"))
            .and_then(Value::as_i64)
            .unwrap_or(1)
    ));
    w.write(&format!(
        "Pods Status:\t{} Running / {} Waiting / {} Succeeded / {} Failed\n",
        pods.running, pods.waiting, pods.succeeded, pods.failed
    ));
    let template = spec
        .and_then(|s| s.get("template"))
        .cloned()
        .unwrap_or(Value::Null);
    describe_pod_template(&mut w, &template);
    conditions_table(&mut w, rs.body.get("status"));
    if let Some(evs) = events {
        describe_events(&mut w, evs, now);
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use podplay_api::types::{ObjectMeta, Time};
    use serde_json::json;

    fn object(kind: &str, name: &str, body: Value) -> OtherObject {
        OtherObject {
            api_version: "apps/v1".into(),
            kind: kind.into(),
            metadata: ObjectMeta {
                name: Some(name.into()),
                namespace: Some("default".into()),
                creation_timestamp: Some(Time(0)),
                ..Default::default()
            },
            body: body.as_object().cloned().unwrap_or_default(),
        }
    }

    fn nginx_template() -> Value {
        json!({"metadata": {"labels": {"app": "nginx"}},
               "spec": {"containers": [{"name": "nginx", "image": "nginx:1.14.2",
                        "ports": [{"containerPort": 80, "protocol": "TCP"}]}]}})
    }

    #[test]
    fn selector_text_sorts_requirements_by_key_like_label_selector_as_selector() {
        let s = json!({"matchLabels": {"tier": "web", "app": "x"},
                       "matchExpressions": [{"key": "env", "operator": "In", "values": ["prod", "dev"]},
                                            {"key": "zz", "operator": "DoesNotExist"}]});
        assert_eq!(
            label_selector_string(Some(&s)),
            "app=x,env in (dev,prod),tier=web,!zz"
        );
        assert_eq!(format_label_selector(None), "<none>");
    }

    /// golden-controller-scenarios S2: `kubectl describe deploy` at the end of a rollout.
    #[test]
    fn describe_deployment_prints_kubectl_1_32_layout() {
        let mut d = object(
            "Deployment",
            "nginx-deployment",
            json!({"spec": {"replicas": 3, "selector": {"matchLabels": {"app": "nginx"}},
                            "strategy": {"type": "RollingUpdate",
                                         "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
                            "template": nginx_template()},
                   "status": {"replicas": 3, "updatedReplicas": 3, "readyReplicas": 3,
                              "availableReplicas": 3,
                              "conditions": [
                                {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"},
                                {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"}]}}),
        );
        d.metadata
            .annotations
            .insert("deployment.kubernetes.io/revision".into(), "2".into());
        d.metadata.labels.insert("app".into(), "nginx".into());
        let old = object(
            "ReplicaSet",
            "nginx-deployment-66b6c48dd5",
            json!({"spec": {"replicas": 0}, "status": {"replicas": 0}}),
        );
        let new = object(
            "ReplicaSet",
            "nginx-deployment-559d658b74",
            json!({"spec": {"replicas": 3}, "status": {"replicas": 3}}),
        );
        let out = describe_deployment(&d, &[&old], Some(&new), Some(&[]), 60_000);
        let want = "\
Name:                   nginx-deployment
Namespace:              default
CreationTimestamp:      Sat, 01 Jun 2024 12:00:00 +0000
Labels:                 app=nginx
Annotations:            deployment.kubernetes.io/revision: 2
Selector:               app=nginx
Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable
StrategyType:           RollingUpdate
MinReadySeconds:        0
RollingUpdateStrategy:  25% max unavailable, 25% max surge
Pod Template:
  Labels:  app=nginx
  Containers:
   nginx:
    Image:         nginx:1.14.2
    Port:          80/TCP
    Host Port:     0/TCP
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Conditions:
  Type           Status  Reason
  ----           ------  ------
  Available      True    MinimumReplicasAvailable
  Progressing    True    NewReplicaSetAvailable
OldReplicaSets:  nginx-deployment-66b6c48dd5 (0/0 replicas created)
NewReplicaSet:   nginx-deployment-559d658b74 (3/3 replicas created)
Events:          <none>
";
        assert_eq!(out, want, "\n{out}");
    }

    #[test]
    fn describe_recreate_deployment_has_no_rolling_update_strategy_line() {
        let d = object(
            "Deployment",
            "web",
            json!({"spec": {"replicas": 1, "selector": {"matchLabels": {"app": "nginx"}},
                            "strategy": {"type": "Recreate"}, "template": nginx_template()}}),
        );
        let out = describe_deployment(&d, &[], None, None, 0);
        assert!(out.contains("StrategyType:       Recreate\n"), "{out}");
        assert!(!out.contains("RollingUpdateStrategy"), "{out}");
        assert!(!out.contains("OldReplicaSets"), "{out}");
        assert!(!out.contains("Events"), "{out}");
    }

    #[test]
    fn describe_replica_set_prints_controller_and_pod_phases() {
        let mut rs = object(
            "ReplicaSet",
            "web-6c8f9d7b45",
            json!({"spec": {"replicas": 3, "selector": {"matchLabels": {"app": "nginx", "pod-template-hash": "6c8f9d7b45"}},
                            "template": nginx_template()},
                   "status": {"replicas": 3}}),
        );
        rs.metadata
            .owner_references
            .push(podplay_api::types::OwnerReference {
                api_version: "apps/v1".into(),
                kind: "Deployment".into(),
                name: "web".into(),
                uid: "u".into(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            });
        let counts = PodPhaseCounts {
            running: 2,
            waiting: 1,
            ..Default::default()
        };
        let out = describe_replica_set(&rs, counts, Some(&[]), 0);
        let head = "\
Name:           web-6c8f9d7b45
Namespace:      default
Selector:       app=nginx,pod-template-hash=6c8f9d7b45
Labels:         <none>
Annotations:    <none>
Controlled By:  Deployment/web
Replicas:       3 current / 3 desired
Pods Status:    2 Running / 1 Waiting / 0 Succeeded / 0 Failed
Pod Template:
";
        assert!(out.starts_with(head), "\n{out}");
    }
}
