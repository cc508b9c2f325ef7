//! The apiserver's defaulting and validation of Deployments and ReplicaSets (apps/v1
//! `SetDefaults_Deployment`, `ValidateDeploymentSpec`; controllers-semantics §1.1).

use podplay_api::types::OtherObject;
use serde_json::{json, Value};

use super::rollout_math::scaled_value;
use super::{labels_of, selector_matches};

/// How apimachinery's field errors print an IntOrString value (`%#v` of the struct).
fn go_int_or_string(v: &Value) -> String {
    match v {
        Value::String(s) => format!("intstr.IntOrString{{Type:1, IntVal:0, StrVal:{s:?}}}"),
        other => format!(
            "intstr.IntOrString{{Type:0, IntVal:{}, StrVal:\"\"}}",
            other.as_i64().unwrap_or(0)
        ),
    }
}

/// Defaults, then validates; the error is kubectl's `The Deployment "x" is invalid: ...`.
pub fn default_and_validate(o: &mut OtherObject) -> Result<(), String> {
    let kind = o.kind.clone();
    if kind != "Deployment" && kind != "ReplicaSet" {
        return Ok(());
    }
    let name = o.metadata.name.clone().unwrap_or_default();
    let spec = o.body.entry("spec").or_insert_with(|| json!({}));
    let Some(spec) = spec.as_object_mut() else {
        return Ok(());
    };
    spec.entry("replicas").or_insert(json!(1));
    let mut errs: Vec<String> = vec![];
    if kind == "Deployment" {
        spec.entry("revisionHistoryLimit").or_insert(json!(10));
        spec.entry("progressDeadlineSeconds").or_insert(json!(600));
        let strategy = spec.entry("strategy").or_insert_with(|| json!({}));
        if let Some(st) = strategy.as_object_mut() {
            st.entry("type").or_insert(json!("RollingUpdate"));
            let recreate = st.get("type").and_then(Value::as_str) == Some("Recreate");
            if recreate {
                if st.contains_key("rollingUpdate") {
                    errs.push("spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'".into());
                }
            } else {
                let ru = st.entry("rollingUpdate").or_insert_with(|| json!({}));
                if let Some(ru) = ru.as_object_mut() {
                    ru.entry("maxUnavailable").or_insert(json!("25%"));
                    ru.entry("maxSurge").or_insert(json!("25%"));
                    let (surge, unavail) = (ru["maxSurge"].clone(), ru["maxUnavailable"].clone());
                    for (f, v) in [("maxUnavailable", &unavail), ("maxSurge", &surge)] {
                        if let Err(e) = scaled_value(v, 100, true) {
                            errs.push(format!(
                                "spec.strategy.rollingUpdate.{f}: Invalid value: {}: {e}",
                                go_int_or_string(v)
                            ));
                        }
                    }
                    let zero = |v: &Value| scaled_value(v, 100, true).is_ok_and(|n| n == 0);
                    if zero(&surge) && zero(&unavail) {
                        errs.push(format!("spec.strategy.rollingUpdate.maxUnavailable: Invalid value: {}: may not be 0 when `maxSurge` is 0", go_int_or_string(&unavail)));
                    }
                    if unavail.is_string()
                        && scaled_value(&unavail, 100, true).is_ok_and(|n| n > 100)
                    {
                        errs.push(format!("spec.strategy.rollingUpdate.maxUnavailable: Invalid value: {}: must not be greater than 100%", go_int_or_string(&unavail)));
                    }
                }
            }
        }
        let pds = spec
            .get("progressDeadlineSeconds")
            .and_then(Value::as_i64)
            .unwrap_or(600);
        let mrs = spec
            .get("minReadySeconds")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        if pds <= mrs {
            errs.push(format!("spec.progressDeadlineSeconds: Invalid value: {pds}: must be greater than minReadySeconds"));
        }
    }
    let selector = spec.get("selector").cloned().unwrap_or(Value::Null);
    let tlabels = labels_of(
        spec.get("template")
            .and_then(|t| t.pointer("/metadata/labels"))
            .unwrap_or(&Value::Null),
    );
    if selector.is_null() {
        errs.push("spec.selector: Required value".into());
    } else if !selector_matches(&selector, &tlabels) {
        let shown: Vec<String> = tlabels
            .iter()
            .map(|(k, v)| format!("{k:?}:{v:?}"))
            .collect();
        errs.push(format!(
            "spec.template.metadata.labels: Invalid value: map[string]string{{{}}}: `selector` does not match template `labels`",
            shown.join(", ")
        ));
    }
    if errs.is_empty() {
        return Ok(());
    }
    let body = if errs.len() == 1 {
        errs.remove(0)
    } else {
        format!("[{}]", errs.join(", "))
    };
    Err(format!("The {kind} \"{name}\" is invalid: {body}"))
}

/// A spec change bumps metadata.generation (the registry's PrepareForUpdate).
pub fn bump_generation(old: &OtherObject, new: &mut OtherObject) {
    let g = old.metadata.generation.unwrap_or(1);
    new.metadata.generation = Some(if old.body.get("spec") != new.body.get("spec") {
        g + 1
    } else {
        g
    });
}
