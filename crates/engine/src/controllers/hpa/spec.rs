//! An HPA object as the controller reads it: autoscaling/v1 converted to v2 (a v1
//! `targetCPUUtilizationPercentage` is exactly a v2 CPU Utilization metric), v2 defaults applied
//! (§6.2: minReplicas 1, CPU 80% when there are no metrics, `behavior` filled only when present).

use podplay_api::types::Quantity;
use serde_json::Value;

use super::normalize::{Behavior, Policy, PolicyType, Rules, SelectPolicy};

/// `DefaultCPUUtilization`.
pub const DEFAULT_CPU_UTILIZATION: i32 = 80;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Utilization(i32),
    /// milli-units
    AverageValue(i64, String),
}

/// A Resource metric (the kind podplay measures); other metric types are kept as their type name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Metric {
    Resource { name: String, target: Target },
    Unsupported(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HpaSpec {
    pub target_kind: String,
    pub target_name: String,
    pub target_api_version: String,
    /// None: unset in the object (printed `<unset>`), the controller uses 1.
    pub min_replicas: Option<i32>,
    pub max_replicas: i32,
    pub metrics: Vec<Metric>,
    pub behavior: Option<Behavior>,
    /// autoscaling/v1 object (status written in v1's shape).
    pub v1: bool,
}

impl HpaSpec {
    pub fn min(&self) -> i32 {
        self.min_replicas.unwrap_or(1)
    }
}

fn int(v: Option<&Value>) -> Option<i32> {
    v.and_then(Value::as_i64)
        .map(|n| n.clamp(i32::MIN as i64, i32::MAX as i64) as i32)
}

fn quantity_milli(v: Option<&Value>) -> Option<(i64, String)> {
    let text = match v? {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    Quantity::new(text.clone()).cpu_millis().map(|m| (m, text))
}

fn rules(v: Option<&Value>, default: Rules) -> Rules {
    let Some(v) = v else {
        return default;
    };
    let policies: Vec<Policy> = v
        .get("policies")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|p| {
                    let type_ = match p.get("type").and_then(Value::as_str)? {
                        "Pods" => PolicyType::Pods,
                        "Percent" => PolicyType::Percent,
                        _ => return None,
                    };
                    Some(Policy {
                        type_,
                        value: int(p.get("value"))?,
                        period_seconds: int(p.get("periodSeconds"))?,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    Rules {
        stabilization_window_seconds: int(v.get("stabilizationWindowSeconds"))
            .or(default.stabilization_window_seconds),
        select_policy: match v.get("selectPolicy").and_then(Value::as_str) {
            Some("Min") => SelectPolicy::Min,
            Some("Disabled") => SelectPolicy::Disabled,
            Some(_) => SelectPolicy::Max,
            None => default.select_policy,
        },
        policies: if policies.is_empty() {
            default.policies
        } else {
            policies
        },
    }
}

/// Reads an HPA's `spec` (v1 or v2 shape).
pub fn parse(api_version: &str, body: &serde_json::Map<String, Value>) -> HpaSpec {
    let spec = body.get("spec").cloned().unwrap_or(Value::Null);
    let r = spec.get("scaleTargetRef").cloned().unwrap_or(Value::Null);
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let v1 = api_version == "autoscaling/v1";
    let mut metrics = vec![];
    if v1 {
        let target =
            int(spec.get("targetCPUUtilizationPercentage")).unwrap_or(DEFAULT_CPU_UTILIZATION);
        metrics.push(Metric::Resource {
            name: "cpu".into(),
            target: Target::Utilization(target),
        });
    } else {
        for m in spec
            .get("metrics")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let type_ = s(m, "type");
            if type_ != "Resource" {
                metrics.push(Metric::Unsupported(type_));
                continue;
            }
            let res = m.get("resource").cloned().unwrap_or(Value::Null);
            let t = res.get("target").cloned().unwrap_or(Value::Null);
            let target = match t.get("type").and_then(Value::as_str) {
                Some("AverageValue") => match quantity_milli(t.get("averageValue")) {
                    Some((m, text)) => Target::AverageValue(m, text),
                    None => Target::Utilization(DEFAULT_CPU_UTILIZATION),
                },
                _ => Target::Utilization(
                    int(t.get("averageUtilization")).unwrap_or(DEFAULT_CPU_UTILIZATION),
                ),
            };
            metrics.push(Metric::Resource {
                name: s(&res, "name"),
                target,
            });
        }
        if metrics.is_empty() {
            metrics.push(Metric::Resource {
                name: "cpu".into(),
                target: Target::Utilization(DEFAULT_CPU_UTILIZATION),
            });
        }
    }
    let behavior = spec
        .get("behavior")
        .filter(|b| b.is_object())
        .map(|b| Behavior {
            scale_up: rules(b.get("scaleUp"), Rules::default_scale_up()),
            scale_down: rules(b.get("scaleDown"), Rules::default_scale_down()),
        });
    HpaSpec {
        target_kind: s(&r, "kind"),
        target_name: s(&r, "name"),
        target_api_version: s(&r, "apiVersion"),
        min_replicas: int(spec.get("minReplicas")),
        max_replicas: int(spec.get("maxReplicas")).unwrap_or(1),
        metrics,
        behavior,
        v1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(v: Value) -> serde_json::Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn v1_target_cpu_percentage_is_a_v2_cpu_utilization_metric() {
        let s = parse(
            "autoscaling/v1",
            &body(
                json!({"spec": {"scaleTargetRef": {"kind": "Deployment", "name": "nginx"}, "maxReplicas": 10, "targetCPUUtilizationPercentage": 2}}),
            ),
        );
        assert_eq!(
            s.metrics,
            vec![Metric::Resource {
                name: "cpu".into(),
                target: Target::Utilization(2)
            }]
        );
        assert_eq!((s.min_replicas, s.min()), (None, 1));
        assert!(s.behavior.is_none());
    }

    #[test]
    fn v2_without_metrics_defaults_to_cpu_80_percent() {
        let s = parse("autoscaling/v2", &body(json!({"spec": {"maxReplicas": 3}})));
        assert_eq!(
            s.metrics,
            vec![Metric::Resource {
                name: "cpu".into(),
                target: Target::Utilization(80)
            }]
        );
    }

    #[test]
    fn behavior_is_defaulted_only_when_present() {
        let s = parse(
            "autoscaling/v2",
            &body(
                json!({"spec": {"maxReplicas": 3, "behavior": {"scaleDown": {"stabilizationWindowSeconds": 60}}}}),
            ),
        );
        let b = s.behavior.unwrap_or_else(|| panic!("no behavior"));
        assert_eq!(b.scale_up, Rules::default_scale_up());
        assert_eq!(b.scale_down.stabilization_window_seconds, Some(60));
        assert_eq!(b.scale_down.policies, Rules::default_scale_down().policies);
    }

    #[test]
    fn average_value_targets_are_milli_units() {
        let s = parse(
            "autoscaling/v2",
            &body(
                json!({"spec": {"maxReplicas": 3, "metrics": [{"type": "Resource", "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "100Mi"}}}]}}),
            ),
        );
        assert_eq!(
            s.metrics,
            vec![Metric::Resource {
                name: "memory".into(),
                target: Target::AverageValue(104_857_600_000, "100Mi".into())
            }]
        );
    }
}
