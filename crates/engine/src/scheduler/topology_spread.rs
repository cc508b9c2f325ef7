//! PodTopologySpread: the pod's own `topologySpreadConstraints` (DoNotSchedule filters,
//! ScheduleAnyway scores) and, when it has none, the system default constraints
//! (hostname maxSkew 3, zone maxSkew 5, both ScheduleAnyway) over the pods selected by the
//! Services and controller that select the pod (controllers-semantics §7.1).

use podplay_api::types::{Node, Pod};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

use super::label_selector;

pub const HOSTNAME: &str = "kubernetes.io/hostname";
pub const ZONE: &str = "topology.kubernetes.io/zone";
pub const NOT_MATCH: &str = "node(s) didn't match pod topology spread constraints";
pub const MISSING_LABEL: &str =
    "node(s) didn't match pod topology spread constraints (missing required label)";

/// Which pods a constraint counts.
pub enum Selects<'a> {
    /// A labelSelector from the pod's own constraint.
    Selector(&'a Value),
    /// The system default: the labels of the Services selecting the pod (all ANDed) and the
    /// pod's controller (pods it also owns).
    Default {
        labels: BTreeMap<String, String>,
        owner_uid: Option<String>,
    },
}

pub struct Constraint<'a> {
    pub max_skew: i64,
    pub topology_key: String,
    pub do_not_schedule: bool,
    pub selects: Selects<'a>,
}

impl Constraint<'_> {
    fn counts(&self, ns: &str, other: &Pod) -> bool {
        if other.metadata.namespace.as_deref().unwrap_or("default") != ns
            || other.metadata.deletion_timestamp.is_some()
        {
            return false;
        }
        match &self.selects {
            Selects::Selector(s) => label_selector::matches(Some(s), &other.metadata.labels),
            Selects::Default { labels, owner_uid } => {
                labels
                    .iter()
                    .all(|(k, v)| other.metadata.labels.get(k) == Some(v))
                    && owner_uid.as_ref().is_none_or(|u| {
                        other
                            .metadata
                            .owner_references
                            .iter()
                            .any(|r| &r.uid == u && r.controller == Some(true))
                    })
            }
        }
    }
}

/// The pod's constraints, or the system defaults when it declares none (and something selects it).
pub fn constraints<'a>(
    pod: &'a Pod,
    service_selectors: &[&BTreeMap<String, String>],
) -> (Vec<Constraint<'a>>, bool) {
    if !pod.spec.topology_spread_constraints.is_empty() {
        let list = pod
            .spec
            .topology_spread_constraints
            .iter()
            .map(|c| Constraint {
                max_skew: c
                    .get("maxSkew")
                    .and_then(|v| v.as_i64())
                    .unwrap_or(1)
                    .max(1),
                topology_key: c
                    .get("topologyKey")
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string(),
                do_not_schedule: c.get("whenUnsatisfiable").and_then(|v| v.as_str())
                    != Some("ScheduleAnyway"),
                selects: Selects::Selector(c.get("labelSelector").unwrap_or(&Value::Null)),
            })
            .collect();
        return (list, false);
    }
    let mut labels = BTreeMap::new();
    for sel in service_selectors {
        labels.extend(sel.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    let owner_uid = pod
        .metadata
        .owner_references
        .iter()
        .find(|r| r.controller == Some(true))
        .map(|r| r.uid.clone());
    if labels.is_empty() && owner_uid.is_none() {
        return (vec![], true);
    }
    let mk = |key: &str, skew| Constraint {
        max_skew: skew,
        topology_key: key.to_string(),
        do_not_schedule: false,
        selects: Selects::Default {
            labels: labels.clone(),
            owner_uid: owner_uid.clone(),
        },
    };
    (vec![mk(HOSTNAME, 3), mk(ZONE, 5)], true)
}

/// Matching pods per topology value of `key`, over `nodes` (pods on nodes without the key are not counted).
fn domain_counts(
    c: &Constraint,
    ns: &str,
    nodes: &[&Node],
    pods_on: &BTreeMap<String, Vec<&Pod>>,
) -> BTreeMap<String, i64> {
    let mut counts = BTreeMap::new();
    for n in nodes {
        let Some(v) = n.metadata.labels.get(&c.topology_key) else {
            continue;
        };
        let here = pods_on
            .get(n.metadata.name.as_deref().unwrap_or(""))
            .map(|ps| ps.iter().filter(|p| c.counts(ns, p)).count() as i64)
            .unwrap_or(0);
        *counts.entry(v.clone()).or_insert(0) += here;
    }
    counts
}

/// The filter for DoNotSchedule constraints: skew = (domain count + self) − global minimum.
/// `eligible` are the nodes that pass NodeAffinity (the domains the pod could use).
pub fn filter(
    pod: &Pod,
    constraints: &[Constraint],
    node: &Node,
    eligible: &[&Node],
    pods_on: &BTreeMap<String, Vec<&Pod>>,
) -> Option<&'static str> {
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    for c in constraints.iter().filter(|c| c.do_not_schedule) {
        let Some(v) = node.metadata.labels.get(&c.topology_key) else {
            return Some(MISSING_LABEL);
        };
        let counts = domain_counts(c, ns, eligible, pods_on);
        let min = counts.values().copied().min().unwrap_or(0);
        let self_match = i64::from(c.counts(ns, pod));
        let here = counts.get(v).copied().unwrap_or(0);
        if here + self_match - min > c.max_skew {
            return Some(NOT_MATCH);
        }
    }
    None
}

/// Scores (already normalised to 0..100) for the feasible nodes, in their order; None when the
/// plugin has nothing to say (no constraints apply).
pub fn scores(
    pod: &Pod,
    constraints: &[Constraint],
    system_defaulted: bool,
    feasible: &[&Node],
    pods_on: &BTreeMap<String, Vec<&Pod>>,
) -> Option<Vec<i64>> {
    let soft: Vec<&Constraint> = constraints.iter().filter(|c| !c.do_not_schedule).collect();
    if soft.is_empty() {
        return None;
    }
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    // Explicit constraints ignore nodes lacking any key; system defaults only skip the missing ones.
    let ignored: BTreeSet<usize> = if system_defaulted {
        BTreeSet::new()
    } else {
        feasible
            .iter()
            .enumerate()
            .filter(|(_, n)| {
                soft.iter()
                    .any(|c| !n.metadata.labels.contains_key(&c.topology_key))
            })
            .map(|(i, _)| i)
            .collect()
    };
    let considered: Vec<&Node> = feasible
        .iter()
        .enumerate()
        .filter(|(i, _)| !ignored.contains(i))
        .map(|(_, n)| *n)
        .collect();
    let mut raw = vec![0i64; feasible.len()];
    for c in &soft {
        let counts = domain_counts(c, ns, &considered, pods_on);
        let size = if c.topology_key == HOSTNAME {
            considered.len()
        } else {
            counts.len()
        };
        let weight = ((size + 2) as f64).ln();
        for (i, n) in feasible.iter().enumerate() {
            if ignored.contains(&i) {
                continue;
            }
            if let Some(v) = n.metadata.labels.get(&c.topology_key) {
                let cnt = if c.topology_key == HOSTNAME {
                    pods_on
                        .get(n.metadata.name.as_deref().unwrap_or(""))
                        .map(|ps| ps.iter().filter(|p| c.counts(ns, p)).count() as i64)
                        .unwrap_or(0)
                } else {
                    counts.get(v).copied().unwrap_or(0)
                };
                // scoreForCount, summed in float and rounded per node as the plugin does.
                let s = cnt as f64 * weight + (c.max_skew - 1) as f64;
                raw[i] = raw[i].saturating_add((s * 1000.0) as i64);
            }
        }
    }
    // The plugin rounds the float sum; the 1000× fixed point above keeps that exact enough.
    let raw: Vec<i64> = raw
        .iter()
        .map(|s| (*s as f64 / 1000.0).round() as i64)
        .collect();
    let mut min = i64::MAX;
    let mut max = 0;
    for (i, s) in raw.iter().enumerate() {
        if !ignored.contains(&i) {
            min = min.min(*s);
            max = max.max(*s);
        }
    }
    Some(
        raw.iter()
            .enumerate()
            .map(|(i, s)| {
                if ignored.contains(&i) {
                    0
                } else if max == 0 {
                    100
                } else {
                    100 * (max + min - s) / max
                }
            })
            .collect(),
    )
}
