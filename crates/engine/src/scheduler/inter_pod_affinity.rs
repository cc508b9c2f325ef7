//! InterPodAffinity (scheduler plugin `interpodaffinity`): required affinity and anti-affinity of
//! the incoming pod, the existing pods' required anti-affinity, and the preferred terms' score.
//! A term selects pods (labelSelector, in `namespaces` or the pod's own namespace) and counts them
//! per topology domain (`topologyKey` on the nodes).

use podplay_api::types::{Node, Pod};
use serde_json::Value;
use std::collections::BTreeMap;

use super::label_selector;

/// The filter's reasons, in the order the plugin checks them.
pub const AFFINITY_RULES_NOT_MATCH: &str = "node(s) didn't match pod affinity rules";
pub const ANTI_AFFINITY_RULES_NOT_MATCH: &str = "node(s) didn't match pod anti-affinity rules";
pub const EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH: &str =
    "node(s) didn't satisfy existing pods anti-affinity rules";

fn terms<'a>(pod: &'a Pod, path: &str) -> Vec<&'a Value> {
    pod.spec
        .affinity
        .as_ref()
        .and_then(|a| a.pointer(path))
        .and_then(|t| t.as_array())
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

const REQ_AFFINITY: &str = "/podAffinity/requiredDuringSchedulingIgnoredDuringExecution";
const REQ_ANTI: &str = "/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution";
const PREF_AFFINITY: &str = "/podAffinity/preferredDuringSchedulingIgnoredDuringExecution";
const PREF_ANTI: &str = "/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution";

/// Does `term` (owned by `owner`) select `other`?
fn term_selects(term: &Value, owner: &Pod, other: &Pod) -> bool {
    let namespaces: Vec<&str> = term
        .get("namespaces")
        .and_then(|n| n.as_array())
        .map(|a| a.iter().filter_map(|x| x.as_str()).collect())
        .unwrap_or_default();
    let other_ns = other.metadata.namespace.as_deref().unwrap_or("default");
    let ns_ok = if namespaces.is_empty() && term.get("namespaceSelector").is_none() {
        other_ns == owner.metadata.namespace.as_deref().unwrap_or("default")
    } else {
        // A namespaceSelector `{}` means every namespace.
        namespaces.contains(&other_ns)
            || term
                .get("namespaceSelector")
                .is_some_and(|s| s.as_object().is_some_and(|o| o.is_empty()))
    };
    ns_ok && label_selector::matches(term.get("labelSelector"), &other.metadata.labels)
}

fn topology_key(term: &Value) -> &str {
    term.get("topologyKey")
        .and_then(|k| k.as_str())
        .unwrap_or("")
}

/// Same topology domain: both nodes carry the key with the same value.
fn same_domain(key: &str, a: &Node, b: &Node) -> bool {
    match (a.metadata.labels.get(key), b.metadata.labels.get(key)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// The pods already bound, with their nodes.
pub struct Placed<'a> {
    pub pod: &'a Pod,
    pub node: &'a Node,
}

/// The filter: None when the node passes, else the reason.
pub fn filter(pod: &Pod, node: &Node, placed: &[Placed]) -> Option<&'static str> {
    // satisfyPodAffinity: each required term needs a matching pod in the node's domain — unless no
    // pod anywhere matches the terms and the pod matches them itself (the first pod of a group).
    let affinity = terms(pod, REQ_AFFINITY);
    if !affinity.is_empty() {
        let all_in_domain = affinity.iter().all(|t| {
            node.metadata.labels.contains_key(topology_key(t))
                && placed.iter().any(|p| {
                    term_selects(t, pod, p.pod) && same_domain(topology_key(t), node, p.node)
                })
        });
        if !all_in_domain {
            let none_anywhere = affinity
                .iter()
                .all(|t| !placed.iter().any(|p| term_selects(t, pod, p.pod)));
            let self_match = affinity.iter().all(|t| term_selects(t, pod, pod));
            let key_present = affinity
                .iter()
                .all(|t| node.metadata.labels.contains_key(topology_key(t)));
            if !(none_anywhere && self_match && key_present) {
                return Some(AFFINITY_RULES_NOT_MATCH);
            }
        }
    }
    // satisfyPodAntiAffinity: no pod the terms select in the node's domain.
    for t in terms(pod, REQ_ANTI) {
        if placed
            .iter()
            .any(|p| term_selects(t, pod, p.pod) && same_domain(topology_key(t), node, p.node))
        {
            return Some(ANTI_AFFINITY_RULES_NOT_MATCH);
        }
    }
    // satisfyExistingPodsAntiAffinity: no existing pod in the domain whose anti-affinity selects us.
    for p in placed {
        for t in terms(p.pod, REQ_ANTI) {
            if term_selects(t, p.pod, pod) && same_domain(topology_key(t), node, p.node) {
                return Some(EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);
            }
        }
    }
    None
}

/// The raw score: + weight for each preferred affinity term matched by a pod in the domain,
/// − weight for each preferred anti-affinity term; existing pods' preferred terms about the
/// incoming pod count symmetrically (normalised later to 0..100 by min/max).
pub fn raw_score(pod: &Pod, node: &Node, placed: &[Placed]) -> i64 {
    let weighted = |owner: &Pod, path: &str| -> Vec<(i64, Value)> {
        terms(owner, path)
            .into_iter()
            .map(|t| {
                (
                    t.get("weight").and_then(|w| w.as_i64()).unwrap_or(0),
                    t.get("podAffinityTerm").cloned().unwrap_or(Value::Null),
                )
            })
            .collect()
    };
    let mut score = 0;
    for (sign, path) in [(1, PREF_AFFINITY), (-1, PREF_ANTI)] {
        for (w, t) in weighted(pod, path) {
            for p in placed {
                if term_selects(&t, pod, p.pod) && same_domain(topology_key(&t), node, p.node) {
                    score += sign * w;
                }
            }
        }
        for p in placed {
            for (w, t) in weighted(p.pod, path) {
                if term_selects(&t, p.pod, pod) && same_domain(topology_key(&t), node, p.node) {
                    score += sign * w;
                }
            }
        }
    }
    score
}

/// Whether any pod involved has inter-pod terms at all (the plugin skips itself otherwise).
pub fn relevant(pod: &Pod, placed: &[Placed]) -> bool {
    let has = |p: &Pod| {
        p.spec
            .affinity
            .as_ref()
            .is_some_and(|a| a.get("podAffinity").is_some() || a.get("podAntiAffinity").is_some())
    };
    has(pod) || placed.iter().any(|p| has(p.pod))
}

/// Pods per node name, for callers that build `Placed` lists.
pub fn by_node<'a>(pods: &[&'a Pod]) -> BTreeMap<String, Vec<&'a Pod>> {
    let mut m: BTreeMap<String, Vec<&Pod>> = BTreeMap::new();
    for p in pods {
        if let Some(n) = &p.spec.node_name {
            m.entry(n.clone()).or_default().push(p);
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(name: &str) -> Node {
        let mut n = Node::default();
        n.metadata.name = Some(name.into());
        n.metadata
            .labels
            .insert("kubernetes.io/hostname".into(), name.into());
        n
    }

    fn pod(app: &str, affinity: Option<Value>) -> Pod {
        let mut p = Pod::default();
        p.metadata.namespace = Some("default".into());
        p.metadata.labels.insert("app".into(), app.into());
        p.spec.affinity = affinity;
        p
    }

    fn anti(app: &str) -> Value {
        json!({"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
            {"labelSelector": {"matchLabels": {"app": app}}, "topologyKey": "kubernetes.io/hostname"}]}})
    }

    #[test]
    fn required_anti_affinity_keeps_replicas_on_different_hosts() {
        let (n1, n2) = (node("n1"), node("n2"));
        let existing = pod("web", Some(anti("web")));
        let placed = [Placed {
            pod: &existing,
            node: &n1,
        }];
        let incoming = pod("web", Some(anti("web")));
        assert_eq!(
            filter(&incoming, &n1, &placed),
            Some(ANTI_AFFINITY_RULES_NOT_MATCH)
        );
        assert_eq!(filter(&incoming, &n2, &placed), None);
        // A pod without terms is still kept off n1 by the existing pod's anti-affinity.
        let plain = pod("web", None);
        assert_eq!(
            filter(&plain, &n1, &placed),
            Some(EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH)
        );
    }

    #[test]
    fn required_affinity_follows_the_selected_pods_but_the_first_pod_of_a_group_may_go_anywhere() {
        let (n1, n2) = (node("n1"), node("n2"));
        let aff = json!({"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
            {"labelSelector": {"matchLabels": {"app": "cache"}}, "topologyKey": "kubernetes.io/hostname"}]}});
        let cache = pod("cache", None);
        let placed = [Placed {
            pod: &cache,
            node: &n1,
        }];
        let web = pod("web", Some(aff.clone()));
        assert_eq!(filter(&web, &n1, &placed), None);
        assert_eq!(filter(&web, &n2, &placed), Some(AFFINITY_RULES_NOT_MATCH));
        // Nothing matches anywhere and the pod does not match its own term: unschedulable.
        assert_eq!(filter(&web, &n1, &[]), Some(AFFINITY_RULES_NOT_MATCH));
        let self_matching = pod("cache", Some(aff));
        assert_eq!(filter(&self_matching, &n2, &[]), None);
    }
}
