//! `metav1.LabelSelector` as stored in objects (`matchLabels` ANDed with `matchExpressions`, whose
//! operators are In/NotIn/Exists/DoesNotExist). A nil selector matches nothing, `{}` everything
//! (controllers-semantics §9.1).

use serde_json::Value;
use std::collections::BTreeMap;

/// `LabelSelectorAsSelector(sel).Matches(labels)`; an invalid selector matches nothing.
pub fn matches(selector: Option<&Value>, labels: &BTreeMap<String, String>) -> bool {
    let Some(sel) = selector.filter(|s| !s.is_null()) else {
        return false;
    };
    let ml_ok = sel
        .get("matchLabels")
        .and_then(|m| m.as_object())
        .is_none_or(|m| {
            m.iter().all(|(k, v)| {
                v.as_str()
                    .is_some_and(|v| labels.get(k).map(String::as_str) == Some(v))
            })
        });
    ml_ok
        && sel
            .get("matchExpressions")
            .and_then(|e| e.as_array())
            .is_none_or(|exprs| {
                exprs.iter().all(|e| {
                    let key = e.get("key").and_then(|k| k.as_str()).unwrap_or("");
                    let values: Vec<&str> = e
                        .get("values")
                        .and_then(|v| v.as_array())
                        .map(|a| a.iter().filter_map(|x| x.as_str()).collect())
                        .unwrap_or_default();
                    let label = labels.get(key).map(String::as_str);
                    match e.get("operator").and_then(|o| o.as_str()).unwrap_or("") {
                        "In" => label.is_some_and(|l| values.contains(&l)),
                        "NotIn" => label.is_none_or(|l| !values.contains(&l)),
                        "Exists" => label.is_some(),
                        "DoesNotExist" => label.is_none(),
                        _ => false,
                    }
                })
            })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn nil_selector_matches_nothing_and_empty_selector_everything() {
        assert!(!matches(None, &labels(&[("a", "b")])));
        assert!(matches(Some(&json!({})), &labels(&[("a", "b")])));
    }

    #[test]
    fn match_labels_and_expressions_are_anded() {
        let s = json!({"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "env", "operator": "NotIn", "values": ["prod"]}]});
        assert!(matches(Some(&s), &labels(&[("app", "web")])));
        assert!(!matches(
            Some(&s),
            &labels(&[("app", "web"), ("env", "prod")])
        ));
        assert!(!matches(Some(&s), &labels(&[("app", "db")])));
    }
}
