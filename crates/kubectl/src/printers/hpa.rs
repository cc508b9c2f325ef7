//! HorizontalPodAutoscaler and Metrics API output: `kubectl get hpa` (printers.go
//! `printHorizontalPodAutoscaler`, `formatHPAMetrics` with the ≥ 1.30 `cpu: 50%/80%` form),
//! `kubectl describe hpa` (`describeHorizontalPodAutoscalerV2`) and `kubectl top pod|node`
//! (metricsutil's printers). The HPA is read from its JSON body, v1 or v2 shape.

use podplay_api::time::{DateTime, Millis};
use podplay_api::types::{Event, OtherObject};
use serde_json::Value;

use crate::printers::describe::{annotations_multiline, describe_events, labels_multiline};
use crate::printers::get::{age, col, Column, Row};
use crate::resource::Kind;
use crate::table::TabWriter;

pub const COLUMNS: &[Column] = &[
    col("NAME"),
    col("REFERENCE"),
    col("TARGETS"),
    col("MINPODS"),
    col("MAXPODS"),
    col("REPLICAS"),
    col("AGE"),
];

/// One Resource metric as printed: (resource, current or None, target text, utilization?).
struct MetricView {
    name: String,
    /// Utilization target (`50%`), or an AverageValue quantity.
    target: String,
    utilization: bool,
    current_pct: Option<i64>,
    current_value: Option<String>,
}

fn quantity_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn metric_views(o: &OtherObject) -> Vec<Option<MetricView>> {
    let spec = o.body.get("spec").cloned().unwrap_or(Value::Null);
    let status = o.body.get("status").cloned().unwrap_or(Value::Null);
    if o.api_version == "autoscaling/v1" {
        let target = spec
            .get("targetCPUUtilizationPercentage")
            .and_then(Value::as_i64);
        return vec![Some(MetricView {
            name: "cpu".into(),
            target: target
                .map(|t| format!("{t}%"))
                .unwrap_or_else(|| "<auto>".into()),
            utilization: true,
            current_pct: status
                .get("currentCPUUtilizationPercentage")
                .and_then(Value::as_i64),
            current_value: None,
        })];
    }
    let current: Vec<Value> = status
        .get("currentMetrics")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    spec.get("metrics")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, m)| {
            if m.get("type").and_then(Value::as_str) != Some("Resource") {
                return None;
            }
            let r = m.get("resource")?;
            let t = r.get("target").cloned().unwrap_or(Value::Null);
            let cur = current
                .get(i)
                .and_then(|c| c.get("resource"))
                .and_then(|c| c.get("current"));
            let average_value = quantity_text(t.get("averageValue"));
            let utilization = average_value.is_none();
            Some(MetricView {
                name: r
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                target: match average_value {
                    Some(v) => v,
                    None => t
                        .get("averageUtilization")
                        .and_then(Value::as_i64)
                        .map(|u| format!("{u}%"))
                        .unwrap_or_else(|| "<auto>".into()),
                },
                utilization,
                current_pct: cur
                    .and_then(|c| c.get("averageUtilization"))
                    .and_then(Value::as_i64),
                current_value: quantity_text(cur.and_then(|c| c.get("averageValue"))),
            })
        })
        .collect()
}

/// `formatHPAMetrics`: `cpu: 250%/50%`, `cpu: <unknown>/50%`, `memory: 100Mi/200Mi`; more than
/// two metrics end in ` + N more...`; no metrics `<none>`.
pub fn hpa_targets(o: &OtherObject) -> String {
    let views = metric_views(o);
    if views.is_empty() {
        return "<none>".into();
    }
    let list: Vec<String> = views
        .iter()
        .map(|v| match v {
            None => "<unknown>/<unknown>".to_string(),
            Some(v) => {
                let current = if v.utilization {
                    v.current_pct.map(|p| format!("{p}%"))
                } else {
                    v.current_value.clone()
                };
                format!(
                    "{}: {}/{}",
                    v.name,
                    current.unwrap_or_else(|| "<unknown>".into()),
                    v.target
                )
            }
        })
        .collect();
    if list.len() > 2 {
        format!("{} + {} more...", list[..2].join(", "), list.len() - 2)
    } else {
        list.join(", ")
    }
}

fn spec_i64(o: &OtherObject, field: &str) -> Option<i64> {
    o.body
        .get("spec")
        .and_then(|s| s.get(field))
        .and_then(Value::as_i64)
}

fn status_i64(o: &OtherObject, field: &str) -> i64 {
    o.body
        .get("status")
        .and_then(|s| s.get(field))
        .and_then(Value::as_i64)
        .unwrap_or(0)
}

fn reference(o: &OtherObject) -> String {
    let r = o
        .body
        .get("spec")
        .and_then(|s| s.get("scaleTargetRef"))
        .cloned()
        .unwrap_or(Value::Null);
    let s = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    format!("{}/{}", s("kind"), s("name"))
}

/// `printHorizontalPodAutoscaler`: NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE.
pub fn hpa_row(o: &OtherObject, now: Millis) -> Row {
    Row::new(
        Kind::HorizontalPodAutoscaler,
        &o.metadata,
        vec![
            o.metadata.name().to_string(),
            reference(o),
            hpa_targets(o),
            spec_i64(o, "minReplicas")
                .map(|m| m.to_string())
                .unwrap_or_else(|| "<unset>".into()),
            spec_i64(o, "maxReplicas").unwrap_or(0).to_string(),
            status_i64(o, "currentReplicas").to_string(),
            age(o.metadata.creation_timestamp, now),
        ],
    )
}

/// A condition as describe prints it: (type, status, reason, message).
pub type ConditionRow = (String, String, String, String);

fn behavior_lines(w: &mut TabWriter, direction: &str, rules: Option<&Value>) {
    let Some(r) = rules else {
        return;
    };
    w.write(&format!("  {direction}:\n"));
    if let Some(s) = r.get("stabilizationWindowSeconds").and_then(Value::as_i64) {
        w.write(&format!("    Stabilization Window: {s} seconds\n"));
    }
    let policies = r
        .get("policies")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if !policies.is_empty() {
        let select = r
            .get("selectPolicy")
            .and_then(Value::as_str)
            .unwrap_or("Max");
        w.write(&format!("    Select Policy: {select}\n"));
        w.write("    Policies:\n");
        for p in policies {
            w.write(&format!(
                "      - Type: {}\tValue: {}\tPeriod: {} seconds\n",
                p.get("type").and_then(Value::as_str).unwrap_or(""),
                p.get("value").and_then(Value::as_i64).unwrap_or(0),
                p.get("periodSeconds").and_then(Value::as_i64).unwrap_or(0)
            ));
        }
    }
}

/// `describeHorizontalPodAutoscalerV2` (kubectl reads every HPA as v2).
pub fn describe_hpa(
    o: &OtherObject,
    conditions: &[ConditionRow],
    events: &[&Event],
    now: Millis,
) -> String {
    let mut w = TabWriter::describe();
    let m = &o.metadata;
    w.write(&format!("Name:\t{}\n", m.name()));
    w.write(&format!("Namespace:\t{}\n", m.namespace()));
    labels_multiline(&mut w, "Labels", &m.labels);
    annotations_multiline(&mut w, "Annotations", &m.annotations);
    let created = m
        .creation_timestamp
        .map(|t| DateTime::at(t.0).rfc1123z())
        .unwrap_or_default();
    w.write(&format!("CreationTimestamp:\t{created}\n"));
    w.write(&format!("Reference:\t{}\n", reference(o)));
    w.write("Metrics:\t( current / target )\n");
    for v in metric_views(o).into_iter().flatten() {
        if v.utilization {
            let current = match (v.current_pct, &v.current_value) {
                (Some(p), Some(val)) => format!("{p}% ({val})"),
                (Some(p), None) => format!("{p}%"),
                _ => "<unknown>".into(),
            };
            w.write(&format!(
                "  resource {} on pods  (as a percentage of request):\t{current} / {}\n",
                v.name, v.target
            ));
        } else {
            w.write(&format!(
                "  resource {} on pods:\t{} / {}\n",
                v.name,
                v.current_value
                    .clone()
                    .unwrap_or_else(|| "<unknown>".into()),
                v.target
            ));
        }
    }
    let min = spec_i64(o, "minReplicas")
        .map(|m| m.to_string())
        .unwrap_or_else(|| "<unset>".into());
    w.write(&format!("Min replicas:\t{min}\n"));
    w.write(&format!(
        "Max replicas:\t{}\n",
        spec_i64(o, "maxReplicas").unwrap_or(0)
    ));
    if let Some(b) = o.body.get("spec").and_then(|s| s.get("behavior")) {
        w.write("Behavior:\n");
        behavior_lines(&mut w, "Scale Up", b.get("scaleUp"));
        behavior_lines(&mut w, "Scale Down", b.get("scaleDown"));
    }
    let kind = reference(o).split('/').next().unwrap_or("").to_string();
    w.write(&format!(
        "{kind} pods:\t{} current / {} desired\n",
        status_i64(o, "currentReplicas"),
        status_i64(o, "desiredReplicas")
    ));
    if !conditions.is_empty() {
        w.write("Conditions:\n");
        w.write("  Type\tStatus\tReason\tMessage\n");
        w.write("  ----\t------\t------\t-------\n");
        for (t, s, r, msg) in conditions {
            w.write(&format!("  {t}\t{s}\t{r}\t{msg}\n"));
        }
    }
    describe_events(&mut w, events, now);
    w.flush()
}

/// One `kubectl top pod` line: pod (namespace, name), container (with `--containers`),
/// millicores, bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopPodLine {
    pub namespace: String,
    pub pod: String,
    pub container: Option<String>,
    pub cpu_millis: i64,
    pub memory_bytes: i64,
}

/// One `kubectl top node` line: usage and allocatable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopNodeLine {
    pub name: String,
    pub cpu_millis: i64,
    pub memory_bytes: i64,
    pub allocatable_cpu_millis: i64,
    pub allocatable_memory_bytes: i64,
}

const MI: i64 = 1024 * 1024;

/// metricsutil `printPodMetrics`: `NAME CPU(cores) MEMORY(bytes)` (`POD NAME ...` with
/// `--containers`, `NAMESPACE` first with `-A`); cpu in `m`, memory in `Mi`.
pub fn top_pods_table(
    lines: &[TopPodLine],
    with_namespace: bool,
    containers: bool,
    no_headers: bool,
) -> String {
    let mut rows: Vec<Vec<String>> = vec![];
    if !no_headers {
        let mut h = vec![];
        if with_namespace {
            h.push("NAMESPACE");
        }
        if containers {
            h.push("POD");
        }
        h.extend(["NAME", "CPU(cores)", "MEMORY(bytes)"]);
        rows.push(h.iter().map(|s| s.to_string()).collect());
    }
    for l in lines {
        let mut r = vec![];
        if with_namespace {
            r.push(l.namespace.clone());
        }
        if containers {
            r.push(l.pod.clone());
            r.push(l.container.clone().unwrap_or_default());
        } else {
            r.push(l.pod.clone());
        }
        r.push(format!("{}m", l.cpu_millis));
        r.push(format!("{}Mi", l.memory_bytes / MI));
        rows.push(r);
    }
    // metricsutil ends every value with a tab, so each line keeps its trailing padding.
    let mut w = TabWriter::kubectl();
    for mut r in rows {
        r.push(String::new());
        w.write_row(&r);
    }
    w.flush()
}

/// metricsutil `printNodeMetrics`: `NAME CPU(cores) CPU(%) MEMORY(bytes) MEMORY(%)`.
pub fn top_nodes_table(lines: &[TopNodeLine], no_headers: bool) -> String {
    let mut w = TabWriter::kubectl();
    if !no_headers {
        w.write_row(&[
            "NAME",
            "CPU(cores)",
            "CPU(%)",
            "MEMORY(bytes)",
            "MEMORY(%)",
            "",
        ]);
    }
    for l in lines {
        let pct = |used: i64, total: i64| {
            if total > 0 {
                format!("{}%", used * 100 / total)
            } else {
                "<unknown>".into()
            }
        };
        w.write_row(&[
            l.name.clone(),
            format!("{}m", l.cpu_millis),
            pct(l.cpu_millis, l.allocatable_cpu_millis),
            format!("{}Mi", l.memory_bytes / MI),
            pct(l.memory_bytes, l.allocatable_memory_bytes),
            String::new(),
        ]);
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    //! B13 TestPrintHPA (TARGETS), in the 1.30+ form with the resource name.
    use super::*;
    use serde_json::json;

    fn hpa(api: &str, body: Value) -> OtherObject {
        let mut o = OtherObject {
            api_version: api.into(),
            kind: "HorizontalPodAutoscaler".into(),
            ..Default::default()
        };
        o.metadata.name = Some("some-hpa".into());
        o.body = body.as_object().cloned().unwrap_or_default();
        o
    }

    #[test]
    fn test_print_hpa_targets_unknown_before_metrics() {
        let o = hpa(
            "autoscaling/v2",
            json!({"spec": {"minReplicas": 1, "maxReplicas": 10, "scaleTargetRef": {"kind": "Deployment", "name": "php-apache"}, "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]}}),
        );
        assert_eq!(hpa_targets(&o), "cpu: <unknown>/80%");
        let r = hpa_row(&o, 0);
        assert_eq!(r.cells[1], "Deployment/php-apache");
        assert_eq!(r.cells[3], "1");
    }

    #[test]
    fn test_print_hpa_targets_current_utilization() {
        let o = hpa(
            "autoscaling/v2",
            json!({"spec": {"maxReplicas": 10, "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]}, "status": {"currentReplicas": 4, "currentMetrics": [{"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 50, "averageValue": "100m"}}}]}}),
        );
        assert_eq!(hpa_targets(&o), "cpu: 50%/80%");
        let r = hpa_row(&o, 0);
        assert_eq!(r.cells[3], "<unset>");
        assert_eq!(r.cells[5], "4");
    }

    #[test]
    fn test_print_hpa_targets_average_value_and_more() {
        let m = json!({"type": "Resource", "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "100Mi"}}});
        let o = hpa(
            "autoscaling/v2",
            json!({"spec": {"maxReplicas": 10, "metrics": [m, m, m]}}),
        );
        assert_eq!(
            hpa_targets(&o),
            "memory: <unknown>/100Mi, memory: <unknown>/100Mi + 1 more..."
        );
        let o = hpa(
            "autoscaling/v2",
            json!({"spec": {"maxReplicas": 10, "metrics": []}}),
        );
        assert_eq!(hpa_targets(&o), "<none>");
    }

    #[test]
    fn v1_objects_print_their_cpu_percentage() {
        let o = hpa(
            "autoscaling/v1",
            json!({"spec": {"maxReplicas": 10, "targetCPUUtilizationPercentage": 2}, "status": {"currentCPUUtilizationPercentage": 250}}),
        );
        assert_eq!(hpa_targets(&o), "cpu: 250%/2%");
    }

    #[test]
    fn top_tables_use_millicores_and_mebibytes() {
        let t = top_pods_table(
            &[TopPodLine {
                namespace: "default".into(),
                pod: "web".into(),
                container: None,
                cpu_millis: 1,
                memory_bytes: 5 * MI + 3,
            }],
            false,
            false,
            false,
        );
        assert_eq!(
            t,
            "NAME   CPU(cores)   MEMORY(bytes)   \nweb    1m           5Mi             \n"
        );
        let n = top_nodes_table(
            &[TopNodeLine {
                name: "node1".into(),
                cpu_millis: 100,
                memory_bytes: 1024 * MI,
                allocatable_cpu_millis: 2000,
                allocatable_memory_bytes: 4096 * MI,
            }],
            false,
        );
        assert!(
            n.starts_with("NAME    CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)"),
            "{n}"
        );
        assert!(
            n.contains("node1   100m         5%       1024Mi          25%"),
            "{n}"
        );
    }
}
