//! kube-scheduler's default profile, as far as a teaching cluster needs it (controllers-semantics §7):
//! filters in plugin order with the first failing filter's reason recorded per node, the
//! FailedScheduling message built from the sorted reason histogram, and LeastAllocated scoring with
//! a seeded choice among the best nodes.

use podplay_api::types::{Node, Pod, Taint, Toleration};
use std::collections::BTreeMap;

/// Requests used for scoring when a container asks for nothing (`DefaultMilliCPURequest`, `DefaultMemoryRequest`).
const DEFAULT_CPU_MILLIS: i64 = 100;
const DEFAULT_MEMORY: i64 = 200 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    Bind(String),
    /// The FailedScheduling message.
    Unschedulable(String),
}

pub fn toleration_matches(t: &Toleration, taint: &Taint) -> bool {
    if let Some(e) = t.effect.as_deref().filter(|e| !e.is_empty()) {
        if e != taint.effect {
            return false;
        }
    }
    match t.operator.as_deref().unwrap_or("Equal") {
        "Exists" => {
            t.key.as_deref().unwrap_or("").is_empty()
                || t.key.as_deref() == Some(taint.key.as_str())
        }
        _ => {
            t.key.as_deref() == Some(taint.key.as_str())
                && t.value.as_deref().unwrap_or("") == taint.value.as_deref().unwrap_or("")
        }
    }
}

/// What the pods already bound to a node ask for: the NodeResourcesFit and scoring inputs,
/// kept per node so a scheduling pass costs O(pods + nodes), not O(pods²).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NodeUsage {
    pub pods: i64,
    pub cpu: i64,
    pub memory: i64,
    /// The same, counting default requests for containers that ask for nothing (scoring only).
    pub score_cpu: i64,
    pub score_memory: i64,
}

impl NodeUsage {
    pub fn add(&mut self, pod: &Pod) {
        let (c, m) = requests(pod);
        self.pods += 1;
        self.cpu = self.cpu.saturating_add(c);
        self.memory = self.memory.saturating_add(m);
        self.score_cpu = self
            .score_cpu
            .saturating_add(if c == 0 { DEFAULT_CPU_MILLIS } else { c });
        self.score_memory =
            self.score_memory
                .saturating_add(if m == 0 { DEFAULT_MEMORY } else { m });
    }
}

fn requests(pod: &Pod) -> (i64, i64) {
    let sum = |key: &str, f: &dyn Fn(&podplay_api::types::Quantity) -> Option<i64>| -> i64 {
        let app: i64 = pod
            .spec
            .containers
            .iter()
            .filter_map(|c| {
                c.resources
                    .requests
                    .get(key)
                    .or(c.resources.limits.get(key))
                    .and_then(f)
            })
            .sum();
        let init = pod
            .spec
            .init_containers
            .iter()
            .filter_map(|c| {
                c.resources
                    .requests
                    .get(key)
                    .or(c.resources.limits.get(key))
                    .and_then(f)
            })
            .max()
            .unwrap_or(0);
        app.max(init)
    };
    (
        sum("cpu", &|q| q.cpu_millis()),
        sum("memory", &|q| q.bytes()),
    )
}

fn allocatable(node: &Node, key: &str) -> i64 {
    let q = node
        .status
        .allocatable
        .get(key)
        .or(node.status.capacity.get(key));
    match key {
        "cpu" => q.and_then(|q| q.cpu_millis()).unwrap_or(i64::MAX / 4),
        "pods" => q.and_then(|q| q.bytes()).unwrap_or(110),
        _ => q.and_then(|q| q.bytes()).unwrap_or(i64::MAX / 4),
    }
}

fn node_selector_matches(pod: &Pod, node: &Node) -> bool {
    pod.spec
        .node_selector
        .iter()
        .all(|(k, v)| node.metadata.labels.get(k) == Some(v))
        && required_affinity_matches(pod, node)
}

/// requiredDuringSchedulingIgnoredDuringExecution: any term may match; all expressions of a term must.
fn required_affinity_matches(pod: &Pod, node: &Node) -> bool {
    let Some(terms) = pod
        .spec
        .affinity
        .as_ref()
        .and_then(|a| {
            a.pointer(
                "/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms",
            )
        })
        .and_then(|t| t.as_array())
    else {
        return true;
    };
    terms.iter().any(|term| {
        term.get("matchExpressions")
            .and_then(|e| e.as_array())
            .is_none_or(|exprs| {
                exprs.iter().all(|e| {
                    let key = e.get("key").and_then(|k| k.as_str()).unwrap_or("");
                    let op = e.get("operator").and_then(|k| k.as_str()).unwrap_or("");
                    let values: Vec<&str> = e
                        .get("values")
                        .and_then(|v| v.as_array())
                        .map(|v| v.iter().filter_map(|x| x.as_str()).collect())
                        .unwrap_or_default();
                    let label = node.metadata.labels.get(key).map(String::as_str);
                    match op {
                        "In" => label.is_some_and(|l| values.contains(&l)),
                        "NotIn" => label.is_none_or(|l| !values.contains(&l)),
                        "Exists" => label.is_some(),
                        "DoesNotExist" => label.is_none(),
                        "Gt" | "Lt" => {
                            let (Some(l), Some(v)) = (
                                label.and_then(|l| l.parse::<i64>().ok()),
                                values.first().and_then(|v| v.parse::<i64>().ok()),
                            ) else {
                                return false;
                            };
                            if op == "Gt" {
                                l > v
                            } else {
                                l < v
                            }
                        }
                        _ => false,
                    }
                })
            })
    })
}

/// Filters one node: None if the pod fits, else the first failing plugin's reason.
fn filter(pod: &Pod, node: &Node, used: &NodeUsage) -> Option<String> {
    if node.spec.unschedulable == Some(true)
        && !pod.spec.tolerations.iter().any(|t| {
            toleration_matches(
                t,
                &Taint {
                    key: "node.kubernetes.io/unschedulable".into(),
                    value: None,
                    effect: "NoSchedule".into(),
                    time_added: None,
                },
            )
        })
    {
        return Some("node(s) were unschedulable".into());
    }
    if let Some(n) = &pod.spec.node_name {
        if Some(n) != node.metadata.name.as_ref() {
            return Some("node(s) didn't match the requested node name".into());
        }
    }
    for taint in node
        .spec
        .taints
        .iter()
        .filter(|t| t.effect == "NoSchedule" || t.effect == "NoExecute")
    {
        if !pod
            .spec
            .tolerations
            .iter()
            .any(|t| toleration_matches(t, taint))
        {
            return Some(format!(
                "node(s) had untolerated taint {{{}: {}}}",
                taint.key,
                taint.value.as_deref().unwrap_or("")
            ));
        }
    }
    if !node_selector_matches(pod, node) {
        return Some("node(s) didn't match Pod's node affinity/selector".into());
    }
    let (cpu, mem) = requests(pod);
    let (used_cpu, used_mem) = (used.cpu, used.memory);
    if used.pods + 1 > allocatable(node, "pods") {
        return Some("Too many pods".into());
    }
    let mut insufficient = vec![];
    if cpu > 0 && used_cpu.saturating_add(cpu) > allocatable(node, "cpu") {
        insufficient.push("Insufficient cpu");
    }
    if mem > 0 && used_mem.saturating_add(mem) > allocatable(node, "memory") {
        insufficient.push("Insufficient memory");
    }
    if !insufficient.is_empty() {
        // NodeResourcesFit reports every insufficient resource of the node.
        return Some(insufficient.join(", "));
    }
    None
}

/// Schedules one pod. `bound` holds the pods already on each node; `pick` chooses among equal best.
pub fn schedule(
    pod: &Pod,
    nodes: &BTreeMap<String, Node>,
    usage: &BTreeMap<String, NodeUsage>,
    pick: &mut dyn FnMut(usize) -> usize,
) -> Decision {
    let mut feasible = vec![];
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let mut unresolvable = 0;
    let none = NodeUsage::default();
    for (name, node) in nodes {
        match filter(pod, node, usage.get(name).unwrap_or(&none)) {
            None => feasible.push(name.clone()),
            Some(r) => {
                if !r.starts_with("Insufficient") && r != "Too many pods" {
                    unresolvable += 1;
                }
                for part in r.split(", ") {
                    *reasons.entry(part.to_string()).or_default() += 1;
                }
            }
        }
    }
    if feasible.is_empty() {
        let n = nodes.len();
        let mut hist: Vec<String> = reasons.iter().map(|(r, c)| format!("{c} {r}")).collect();
        hist.sort();
        let mut pre: Vec<String> = vec![];
        if unresolvable > 0 {
            pre.push(format!(
                "{unresolvable} Preemption is not helpful for scheduling"
            ));
        }
        if n > unresolvable {
            pre.push(format!(
                "{} No preemption victims found for incoming pod",
                n - unresolvable
            ));
        }
        pre.sort();
        if n == 0 {
            return Decision::Unschedulable("no nodes available to schedule pods".into());
        }
        return Decision::Unschedulable(format!(
            "0/{n} nodes are available: {}. preemption: 0/{n} nodes are available: {}.",
            hist.join(", "),
            pre.join(", ")
        ));
    }
    // LeastAllocated (cpu and memory equally weighted), counting default requests for best-effort pods.
    let mut mine = NodeUsage::default();
    mine.add(pod);
    let score = |name: &String| -> i64 {
        let node = &nodes[name];
        let used = usage.get(name).unwrap_or(&none);
        let cpu = used.score_cpu.saturating_add(mine.score_cpu);
        let mem = used.score_memory.saturating_add(mine.score_memory);
        let ac = allocatable(node, "cpu").max(1);
        let am = allocatable(node, "memory").max(1);
        let s = |alloc: i64, used: i64| {
            if used > alloc {
                0
            } else {
                ((alloc - used) as i128 * 100 / alloc as i128) as i64
            }
        };
        (s(ac, cpu) + s(am, mem)) / 2
    };
    let best = feasible.iter().map(score).max().unwrap_or(0);
    let top: Vec<&String> = feasible.iter().filter(|n| score(n) == best).collect();
    let i = pick(top.len()).min(top.len().saturating_sub(1));
    Decision::Bind(top[i].clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::default_nodes;

    fn nodes() -> BTreeMap<String, Node> {
        default_nodes()
            .into_iter()
            .map(|n| (n.metadata.name.clone().unwrap_or_default(), n))
            .collect()
    }

    #[test]
    fn control_plane_taint_keeps_ordinary_pods_on_workers() {
        let pod = Pod::default();
        for i in 0..4 {
            let d = schedule(&pod, &nodes(), &BTreeMap::new(), &mut |n| i % n);
            assert!(
                matches!(d, Decision::Bind(ref n) if n != "control-plane"),
                "{d:?}"
            );
        }
    }

    #[test]
    fn failed_scheduling_message_matches_fit_error_format() {
        let mut pod = Pod::default();
        let mut c = podplay_api::types::Container::default();
        let mut r = podplay_api::types::ResourceRequirements::default();
        r.requests
            .insert("cpu".into(), podplay_api::types::Quantity::new("5"));
        c.resources = r;
        pod.spec.containers.push(c);
        let d = schedule(&pod, &nodes(), &BTreeMap::new(), &mut |_| 0);
        assert_eq!(
            d,
            Decision::Unschedulable(
                "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.".into()
            )
        );
    }

    #[test]
    fn node_selector_that_no_node_has_is_reported_per_node() {
        let mut pod = Pod::default();
        pod.spec
            .node_selector
            .insert("disktype".into(), "ssd".into());
        let d = schedule(&pod, &nodes(), &BTreeMap::new(), &mut |_| 0);
        let Decision::Unschedulable(m) = d else {
            panic!()
        };
        assert!(m.starts_with("0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector."), "{m}");
    }
}
