//! kube-scheduler's default profile (controllers-semantics §7.1): filters in plugin order
//! (NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit,
//! PodTopologySpread, InterPodAffinity) with the first failing filter's reason recorded per node;
//! the FailedScheduling message from the sorted reason histogram and the preemption PostFilter's
//! verdicts; weighted scores (TaintToleration 3, NodeAffinity 2, NodeResourcesFit LeastAllocated 1,
//! PodTopologySpread 2, InterPodAffinity 2, BalancedAllocation 1) and a seeded choice among the best.
//! Not simulated: ImageLocality (scores 0 everywhere), volumes, actual preemption of victims.

use podplay_api::types::{Node, Pod, Service, Taint};
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

pub mod fit_error;
pub mod inter_pod_affinity;
pub mod label_selector;
pub mod node_affinity;
pub mod taints;
pub mod topology_spread;

pub use taints::toleration_matches;

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

pub fn is_terminal(p: &Pod) -> bool {
    matches!(
        p.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Succeeded") | Some("Failed")
    )
}

/// What the scheduler sees of the cluster for one pass.
pub struct View<'a> {
    pub nodes: &'a BTreeMap<String, Node>,
    pub usage: &'a BTreeMap<String, NodeUsage>,
    /// Pods bound to a node and not terminal (inter-pod affinity, spreading, host ports).
    pub pods: &'a [&'a Pod],
    /// Services, whose selectors feed the default topology spreading.
    pub services: &'a [&'a Service],
}

const UNSCHEDULABLE_TAINT: &str = "node.kubernetes.io/unschedulable";

/// Whether a filter's reason could be resolved by preempting pods (`Unschedulable`), as opposed
/// to `UnschedulableAndUnresolvable`.
fn resolvable(reason: &str) -> bool {
    reason.starts_with("Insufficient ")
        || reason == "Too many pods"
        || reason == NODE_PORTS
        || reason == inter_pod_affinity::ANTI_AFFINITY_RULES_NOT_MATCH
        || reason == inter_pod_affinity::EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH
        || reason == topology_spread::NOT_MATCH
}

const NODE_PORTS: &str = "node(s) didn't have free ports for the requested pod ports";

fn host_ports(pod: &Pod) -> Vec<(i32, String, String)> {
    pod.spec
        .containers
        .iter()
        .chain(pod.spec.init_containers.iter())
        .flat_map(|c| c.ports.iter())
        .filter_map(|p| {
            p.host_port.filter(|h| *h > 0).map(|h| {
                (
                    h,
                    p.protocol.clone().unwrap_or_else(|| "TCP".into()),
                    p.host_ip.clone().unwrap_or_else(|| "0.0.0.0".into()),
                )
            })
        })
        .collect()
}

fn ports_conflict(want: &[(i32, String, String)], on_node: &[&Pod]) -> bool {
    on_node.iter().any(|p| {
        host_ports(p).iter().any(|(h, proto, ip)| {
            want.iter().any(|(wh, wproto, wip)| {
                wh == h && wproto == proto && (wip == ip || wip == "0.0.0.0" || ip == "0.0.0.0")
            })
        })
    })
}

/// Filters one node through the plugins in order: empty if the pod fits, else the first failing
/// plugin's reasons (NodeResourcesFit reports every insufficient resource).
fn filter(
    pod: &Pod,
    node: &Node,
    used: &NodeUsage,
    on_node: &[&Pod],
    spread: &dyn Fn(&Node) -> Option<&'static str>,
    placed: &[inter_pod_affinity::Placed],
) -> Vec<String> {
    // NodeUnschedulable: a cordoned node unless the pod tolerates the unschedulable taint.
    if node.spec.unschedulable == Some(true)
        && !taints::tolerates(
            &pod.spec.tolerations,
            &Taint {
                key: UNSCHEDULABLE_TAINT.into(),
                value: None,
                effect: "NoSchedule".into(),
                time_added: None,
            },
        )
    {
        return vec!["node(s) were unschedulable".into()];
    }
    if let Some(n) = &pod.spec.node_name {
        if Some(n) != node.metadata.name.as_ref() {
            return vec!["node(s) didn't match the requested node name".into()];
        }
    }
    if let Some(t) = taints::find_matching_untolerated_taint(
        &node.spec.taints,
        &pod.spec.tolerations,
        taints::do_not_schedule,
    ) {
        return vec![taints::untolerated_reason(t)];
    }
    if !node_affinity::required_matches(pod, node) {
        return vec!["node(s) didn't match Pod's node affinity/selector".into()];
    }
    let want_ports = host_ports(pod);
    if !want_ports.is_empty() && ports_conflict(&want_ports, on_node) {
        return vec![NODE_PORTS.into()];
    }
    let (cpu, mem) = requests(pod);
    if used.pods + 1 > allocatable(node, "pods") {
        return vec!["Too many pods".into()];
    }
    let mut insufficient = vec![];
    if cpu > 0 && used.cpu.saturating_add(cpu) > allocatable(node, "cpu") {
        insufficient.push("Insufficient cpu".to_string());
    }
    if mem > 0 && used.memory.saturating_add(mem) > allocatable(node, "memory") {
        insufficient.push("Insufficient memory".to_string());
    }
    if !insufficient.is_empty() {
        return insufficient;
    }
    if let Some(r) = spread(node) {
        return vec![r.into()];
    }
    if let Some(r) = inter_pod_affinity::filter(pod, node, placed) {
        return vec![r.into()];
    }
    vec![]
}

/// Schedules one pod against nodes alone (no other pods known): kept for callers and tests.
pub fn schedule(
    pod: &Pod,
    nodes: &BTreeMap<String, Node>,
    usage: &BTreeMap<String, NodeUsage>,
    pick: &mut dyn FnMut(usize) -> usize,
) -> Decision {
    schedule_in(
        pod,
        &View {
            nodes,
            usage,
            pods: &[],
            services: &[],
        },
        pick,
    )
}

/// `DefaultNormalizeScore`: scale to 0..100 by the maximum; `reverse` flips (fewer is better).
fn default_normalize(scores: &mut [i64], reverse: bool) {
    let max = scores.iter().copied().max().unwrap_or(0);
    if max == 0 {
        if reverse {
            scores.iter_mut().for_each(|s| *s = 100);
        }
        return;
    }
    for s in scores.iter_mut() {
        let v = 100 * *s / max;
        *s = if reverse { 100 - v } else { v };
    }
}

/// Schedules one pod: filters, then scores, then a seeded choice among the best.
pub fn schedule_in(pod: &Pod, view: &View, pick: &mut dyn FnMut(usize) -> usize) -> Decision {
    schedule_explained(pod, view, pick).0
}

/// What a node's filters said about a pod: the node and the reasons it was filtered out (empty
/// when it fits). The playground shows these for a pending pod, node by node.
pub type NodeVerdict = (String, Vec<String>);

/// `schedule_in`, with every node's filter verdict.
pub fn schedule_explained(
    pod: &Pod,
    view: &View,
    pick: &mut dyn FnMut(usize) -> usize,
) -> (Decision, Vec<NodeVerdict>) {
    let mut per_node: Vec<NodeVerdict> = vec![];
    let d = decide(pod, view, pick, &mut per_node);
    (d, per_node)
}

fn decide(
    pod: &Pod,
    view: &View,
    pick: &mut dyn FnMut(usize) -> usize,
    per_node: &mut Vec<NodeVerdict>,
) -> Decision {
    let nodes = view.nodes;
    let none = NodeUsage::default();
    let pods_on = inter_pod_affinity::by_node(view.pods);
    let empty: Vec<&Pod> = vec![];
    let placed: Vec<inter_pod_affinity::Placed> = view
        .pods
        .iter()
        .filter_map(|p| {
            let n = nodes.get(p.spec.node_name.as_deref()?)?;
            Some(inter_pod_affinity::Placed { pod: p, node: n })
        })
        .collect();
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let selecting: Vec<&BTreeMap<String, String>> = view
        .services
        .iter()
        .filter(|s| {
            s.metadata.namespace.as_deref().unwrap_or("default") == ns
                && !s.spec.selector.is_empty()
                && s.spec
                    .selector
                    .iter()
                    .all(|(k, v)| pod.metadata.labels.get(k) == Some(v))
        })
        .map(|s| &s.spec.selector)
        .collect();
    let (constraints, system_defaulted) = topology_spread::constraints(pod, &selecting);
    let eligible: Vec<&Node> = nodes
        .values()
        .filter(|n| node_affinity::required_matches(pod, n))
        .collect();
    let spread = |n: &Node| topology_spread::filter(pod, &constraints, n, &eligible, &pods_on);

    let mut feasible: Vec<&String> = vec![];
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let mut verdicts: BTreeMap<String, usize> = BTreeMap::new();
    for (name, node) in nodes {
        let on_node = pods_on.get(name).unwrap_or(&empty);
        let r = filter(
            pod,
            node,
            view.usage.get(name).unwrap_or(&none),
            on_node,
            &spread,
            &placed,
        );
        per_node.push((name.clone(), r.clone()));
        if r.is_empty() {
            feasible.push(name);
            continue;
        }
        // The preemption PostFilter's verdict: nothing to gain on an unresolvable node; otherwise
        // equal-priority pods are no victims (preemption itself is not simulated).
        let verdict = if r.iter().all(|x| resolvable(x)) {
            fit_error::NO_PREEMPTION_VICTIMS
        } else {
            fit_error::PREEMPTION_NOT_HELPFUL
        };
        *verdicts.entry(verdict.to_string()).or_default() += 1;
        for part in r {
            *reasons.entry(part).or_default() += 1;
        }
    }
    if feasible.is_empty() {
        let n = nodes.len();
        if n == 0 {
            return Decision::Unschedulable("no nodes available to schedule pods".into());
        }
        let post = fit_error::preemption_message(n, &verdicts);
        return Decision::Unschedulable(fit_error::fit_error_message(
            n,
            None,
            &reasons,
            Some(&post),
        ));
    }

    let feasible_nodes: Vec<&Node> = feasible.iter().filter_map(|n| nodes.get(*n)).collect();
    let mut mine = NodeUsage::default();
    mine.add(pod);
    let (my_cpu, my_mem) = requests(pod);
    // TaintToleration (weight 3): untolerated PreferNoSchedule taints, fewer is better.
    let mut taint = feasible_nodes
        .iter()
        .map(|n| {
            taints::count_intolerable_prefer_no_schedule(&n.spec.taints, &pod.spec.tolerations)
        })
        .collect::<Vec<_>>();
    default_normalize(&mut taint, true);
    // NodeAffinity (weight 2): preferred terms' weights.
    let mut affinity = feasible_nodes
        .iter()
        .map(|n| node_affinity::preferred_score(pod, n))
        .collect::<Vec<_>>();
    default_normalize(&mut affinity, false);
    // NodeResourcesFit LeastAllocated (weight 1) and BalancedAllocation (weight 1).
    let mut fit = vec![];
    let mut balanced = vec![];
    for (name, node) in feasible.iter().zip(&feasible_nodes) {
        let used = view.usage.get(*name).unwrap_or(&none);
        let ac = allocatable(node, "cpu").max(1);
        let am = allocatable(node, "memory").max(1);
        let least = |alloc: i64, used: i64| {
            if used > alloc {
                0
            } else {
                ((alloc - used) as i128 * 100 / alloc as i128) as i64
            }
        };
        let cpu = used.score_cpu.saturating_add(mine.score_cpu);
        let mem = used.score_memory.saturating_add(mine.score_memory);
        fit.push((least(ac, cpu) + least(am, mem)) / 2);
        let fc = (used.cpu.saturating_add(my_cpu) as f64 / ac as f64).min(1.0);
        let fm = (used.memory.saturating_add(my_mem) as f64 / am as f64).min(1.0);
        balanced.push(((1.0 - (fc - fm).abs() / 2.0) * 100.0) as i64);
    }
    // PodTopologySpread (weight 2).
    let spread_scores = topology_spread::scores(
        pod,
        &constraints,
        system_defaulted,
        &feasible_nodes,
        &pods_on,
    )
    .unwrap_or_else(|| vec![0; feasible.len()]);
    // InterPodAffinity (weight 2): min-max normalised.
    let ipa: Vec<i64> = if inter_pod_affinity::relevant(pod, &placed) {
        let raw: Vec<i64> = feasible_nodes
            .iter()
            .map(|n| inter_pod_affinity::raw_score(pod, n, &placed))
            .collect();
        let (min, max) = (
            raw.iter().copied().min().unwrap_or(0),
            raw.iter().copied().max().unwrap_or(0),
        );
        raw.iter()
            .map(|s| {
                if max > min {
                    100 * (s - min) / (max - min)
                } else {
                    0
                }
            })
            .collect()
    } else {
        vec![0; feasible.len()]
    };
    let total: Vec<i64> = (0..feasible.len())
        .map(|i| {
            3 * taint[i]
                + 2 * affinity[i]
                + fit[i]
                + 2 * spread_scores[i]
                + 2 * ipa[i]
                + balanced[i]
        })
        .collect();
    let best = total.iter().copied().max().unwrap_or(0);
    let top: Vec<&String> = feasible
        .iter()
        .zip(&total)
        .filter(|(_, s)| **s == best)
        .map(|(n, _)| *n)
        .collect();
    let i = pick(top.len()).min(top.len().saturating_sub(1));
    match top.get(i) {
        Some(n) => Decision::Bind((*n).clone()),
        None => Decision::Unschedulable("no nodes available to schedule pods".into()),
    }
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

    fn owned(name: &str, owner: &str, node: Option<&str>) -> Pod {
        let mut p = Pod::default();
        p.metadata.name = Some(name.into());
        p.metadata.namespace = Some("default".into());
        p.metadata.labels.insert("app".into(), "web".into());
        p.metadata
            .owner_references
            .push(podplay_api::types::OwnerReference {
                api_version: "apps/v1".into(),
                kind: "ReplicaSet".into(),
                name: "web".into(),
                uid: owner.into(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            });
        p.spec.node_name = node.map(String::from);
        p
    }

    /// §7.1: system default spreading (hostname maxSkew 3, ScheduleAnyway) puts the next replica
    /// of a controller on the node with fewer of its siblings, whatever the tie-break would say.
    #[test]
    fn default_topology_spreading_prefers_the_node_with_fewer_siblings() {
        let ns = nodes();
        let a = owned("a", "rs1", Some("node1"));
        let b = owned("b", "rs1", Some("node1"));
        let bound = [&a, &b];
        let mut usage = BTreeMap::new();
        for p in bound {
            usage
                .entry(p.spec.node_name.clone().unwrap_or_default())
                .or_insert_with(NodeUsage::default)
                .add(p);
        }
        let view = View {
            nodes: &ns,
            usage: &usage,
            pods: &bound,
            services: &[],
        };
        for i in 0..4 {
            let d = schedule_in(&owned("c", "rs1", None), &view, &mut |n| i % n);
            assert_eq!(d, Decision::Bind("node2".into()));
        }
    }

    /// §7.4: PreferNoSchedule only scores: the untainted node wins, the tainted one still fits.
    #[test]
    fn prefer_no_schedule_taint_steers_but_does_not_filter() {
        let mut ns = nodes();
        if let Some(n) = ns.get_mut("node1") {
            n.spec.taints.push(Taint {
                key: "soft".into(),
                value: None,
                effect: "PreferNoSchedule".into(),
                time_added: None,
            });
        }
        for i in 0..4 {
            let d = schedule(&Pod::default(), &ns, &BTreeMap::new(), &mut |n| i % n);
            assert_eq!(d, Decision::Bind("node2".into()));
        }
        if let Some(n) = ns.get_mut("node2") {
            n.spec.unschedulable = Some(true);
        }
        let d = schedule(&Pod::default(), &ns, &BTreeMap::new(), &mut |_| 0);
        assert_eq!(d, Decision::Bind("node1".into()));
    }

    /// §7.2: a requested host port already taken on a node is NodePorts' reason (resolvable).
    #[test]
    fn host_port_conflict_is_reported_by_node_ports() {
        let ns = nodes();
        let mut with_port = Pod::default();
        let mut c = podplay_api::types::Container::default();
        c.ports.push(podplay_api::types::ContainerPort {
            container_port: 80,
            host_port: Some(8080),
            ..Default::default()
        });
        with_port.spec.containers.push(c);
        let mut on1 = with_port.clone();
        on1.spec.node_name = Some("node1".into());
        let mut on2 = with_port.clone();
        on2.spec.node_name = Some("node2".into());
        let bound = [&on1, &on2];
        let usage = BTreeMap::new();
        let view = View {
            nodes: &ns,
            usage: &usage,
            pods: &bound,
            services: &[],
        };
        let d = schedule_in(&with_port, &view, &mut |_| 0);
        assert_eq!(
            d,
            Decision::Unschedulable("0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't have free ports for the requested pod ports. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.".into())
        );
    }
}
