//! NodeAffinity (component-helpers `scheduling/corev1/nodeaffinity`): `spec.nodeSelector` ANDed
//! with the required node selector terms (terms ORed, expressions ANDed, labels plus
//! `matchFields` on `metadata.name`), and the preferred terms' weights for scoring.

use podplay_api::types::{Node, Pod};
use serde_json::Value;
use std::collections::BTreeMap;

fn strs(v: Option<&Value>) -> Vec<&str> {
    v.and_then(|v| v.as_array())
        .map(|a| a.iter().filter_map(|x| x.as_str()).collect())
        .unwrap_or_default()
}

/// One `NodeSelectorRequirement` against labels: In/NotIn/Exists/DoesNotExist/Gt/Lt.
/// An invalid requirement (unknown operator, Gt/Lt without exactly one integer) is `None`.
pub fn label_requirement_matches(expr: &Value, labels: &BTreeMap<String, String>) -> Option<bool> {
    let key = expr.get("key").and_then(|k| k.as_str())?;
    let op = expr.get("operator").and_then(|k| k.as_str())?;
    let values = strs(expr.get("values"));
    let label = labels.get(key).map(String::as_str);
    Some(match op {
        "In" => {
            if values.is_empty() {
                return None;
            }
            label.is_some_and(|l| values.contains(&l))
        }
        "NotIn" => {
            if values.is_empty() {
                return None;
            }
            label.is_none_or(|l| !values.contains(&l))
        }
        "Exists" => label.is_some(),
        "DoesNotExist" => label.is_none(),
        "Gt" | "Lt" => {
            // "for 'Gt', 'Lt' operators, exactly one value is required" / "the value must be an integer"
            let [v] = values.as_slice() else { return None };
            let v: i64 = v.parse().ok()?;
            let Some(l) = label.and_then(|l| l.parse::<i64>().ok()) else {
                return Some(false);
            };
            if op == "Gt" {
                l > v
            } else {
                l < v
            }
        }
        _ => return None,
    })
}

/// A `matchFields` requirement: only `metadata.name`, only In/NotIn with exactly one value.
fn field_requirement_matches(expr: &Value, node_name: &str) -> Option<bool> {
    let key = expr.get("key").and_then(|k| k.as_str())?;
    if key != "metadata.name" {
        return None;
    }
    let values = strs(expr.get("values"));
    let [v] = values.as_slice() else { return None };
    match expr.get("operator").and_then(|k| k.as_str())? {
        "In" => Some(node_name == *v),
        "NotIn" => Some(node_name != *v),
        _ => None,
    }
}

/// One `NodeSelectorTerm`: every label and field expression must hold; an empty term matches nothing.
pub fn term_matches(term: &Value, node: &Node) -> bool {
    let exprs = term.get("matchExpressions").and_then(|e| e.as_array());
    let fields = term.get("matchFields").and_then(|e| e.as_array());
    if exprs.is_none_or(|e| e.is_empty()) && fields.is_none_or(|f| f.is_empty()) {
        return false;
    }
    let name = node.metadata.name.as_deref().unwrap_or("");
    exprs
        .into_iter()
        .flatten()
        .all(|e| label_requirement_matches(e, &node.metadata.labels) == Some(true))
        && fields
            .into_iter()
            .flatten()
            .all(|e| field_requirement_matches(e, name) == Some(true))
}

/// `MatchNodeSelectorTerms`: terms are ORed.
pub fn match_node_selector_terms(terms: &[Value], node: &Node) -> bool {
    terms.iter().any(|t| term_matches(t, node))
}

/// The NodeAffinity filter: nodeSelector and requiredDuringSchedulingIgnoredDuringExecution.
pub fn required_matches(pod: &Pod, node: &Node) -> bool {
    if !pod
        .spec
        .node_selector
        .iter()
        .all(|(k, v)| node.metadata.labels.get(k) == Some(v))
    {
        return false;
    }
    let Some(terms) =
        pod.spec.affinity.as_ref().and_then(|a| {
            a.pointer("/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution")
        })
    else {
        return true;
    };
    let terms = terms
        .get("nodeSelectorTerms")
        .and_then(|t| t.as_array())
        .cloned()
        .unwrap_or_default();
    match_node_selector_terms(&terms, node)
}

/// The NodeAffinity score: the sum of the weights of the preferred terms the node matches.
pub fn preferred_score(pod: &Pod, node: &Node) -> i64 {
    pod.spec
        .affinity
        .as_ref()
        .and_then(|a| a.pointer("/nodeAffinity/preferredDuringSchedulingIgnoredDuringExecution"))
        .and_then(|p| p.as_array())
        .map(|terms| {
            terms
                .iter()
                .filter(|t| t.get("preference").is_some_and(|p| term_matches(p, node)))
                .map(|t| t.get("weight").and_then(|w| w.as_i64()).unwrap_or(0))
                .sum()
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(name: &str, labels: &[(&str, &str)]) -> Node {
        let mut n = Node::default();
        n.metadata.name = Some(name.into());
        n.metadata.labels = labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        n
    }

    /// B12: component-helpers helpers_test.go `TestMatchNodeSelectorTerms`.
    #[test]
    fn test_match_node_selector_terms() {
        let cases: Vec<(&str, Value, Node, bool)> = vec![
            (
                "label In matches",
                json!([{"matchExpressions": [{"key": "label_1", "operator": "In", "values": ["label_1_val"]}]}]),
                node("host_1", &[("label_1", "label_1_val")]),
                true,
            ),
            (
                "field selector metadata.name In one value",
                json!([{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["host_1"]}]}]),
                node("host_1", &[]),
                true,
            ),
            (
                "field selector with two values is invalid, so no match",
                json!([{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["host_1", "host_2"]}]}]),
                node("host_1", &[]),
                false,
            ),
            (
                "label and field requirements in one term are ANDed",
                json!([{"matchExpressions": [{"key": "label_1", "operator": "In", "values": ["label_1_val"]}],
                        "matchFields": [{"key": "metadata.name", "operator": "In", "values": ["host_1"]}]}]),
                node("host_2", &[("label_1", "label_1_val")]),
                false,
            ),
            (
                "terms are ORed",
                json!([{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["host_1"]}]},
                       {"matchExpressions": [{"key": "label_1", "operator": "Exists"}]}]),
                node("host_2", &[("label_1", "x")]),
                true,
            ),
            (
                "empty terms match nothing",
                json!([{}]),
                node("host_1", &[]),
                false,
            ),
        ];
        for (name, terms, n, want) in cases {
            let terms = terms.as_array().cloned().unwrap_or_default();
            assert_eq!(match_node_selector_terms(&terms, &n), want, "{name}");
        }
    }

    /// controllers-semantics §9.1 / golden S21: Gt/Lt need one integer; a non-integer label or a
    /// missing key does not match.
    #[test]
    fn gt_matches_only_integer_labels_above_the_value() {
        let expr = json!({"key": "cpu-gen", "operator": "Gt", "values": ["4"]});
        let got: Vec<bool> = [Some("3"), Some("5"), Some("x"), None]
            .iter()
            .map(|v| {
                let mut l = BTreeMap::new();
                if let Some(v) = v {
                    l.insert("cpu-gen".to_string(), v.to_string());
                }
                label_requirement_matches(&expr, &l) == Some(true)
            })
            .collect();
        assert_eq!(got, vec![false, true, false, false]);
        let two = json!({"key": "a", "operator": "Lt", "values": ["1", "2"]});
        assert_eq!(label_requirement_matches(&two, &BTreeMap::new()), None);
        let notint = json!({"key": "a", "operator": "Lt", "values": ["x"]});
        assert_eq!(label_requirement_matches(&notint, &BTreeMap::new()), None);
    }

    #[test]
    fn not_in_and_does_not_exist_match_a_missing_key() {
        let l = BTreeMap::new();
        assert_eq!(
            label_requirement_matches(
                &json!({"key": "a", "operator": "NotIn", "values": ["x"]}),
                &l
            ),
            Some(true)
        );
        assert_eq!(
            label_requirement_matches(&json!({"key": "a", "operator": "DoesNotExist"}), &l),
            Some(true)
        );
        assert_eq!(
            label_requirement_matches(&json!({"key": "a", "operator": "In", "values": ["x"]}), &l),
            Some(false)
        );
    }

    #[test]
    fn preferred_terms_sum_the_weights_that_match() {
        let mut pod = Pod::default();
        pod.spec.affinity = Some(
            json!({"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 10, "preference": {"matchExpressions": [{"key": "disktype", "operator": "In", "values": ["ssd"]}]}},
                {"weight": 5, "preference": {"matchExpressions": [{"key": "zone", "operator": "Exists"}]}}
            ]}}),
        );
        assert_eq!(
            preferred_score(&pod, &node("a", &[("disktype", "ssd"), ("zone", "z")])),
            15
        );
        assert_eq!(preferred_score(&pod, &node("b", &[("disktype", "hdd")])), 0);
    }
}
