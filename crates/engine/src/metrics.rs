//! metrics-server and the load that drives usage.
//!
//! - **Load**: `sim load service/NAME RPS` keeps a steady request rate on a Service; kube-proxy
//!   spreads it evenly over the Service's ready endpoints (the remainder to the first ones, in
//!   endpoint order), and each serving container's runtime turns its share into CPU usage
//!   (`Container::set_load`, the container model's usage).
//! - **Console load**: requests that pods make themselves (`wget` in a loop, an exec'd `curl`)
//!   are counted per serving container on the network path (`kube_proxy::RequestLog`); their
//!   average rate over the last 15 s adds to the container's load when usage is sampled.
//! - **Scrape**: metrics-server (installed in podplay's cluster) scrapes every kubelet every
//!   15 s (`--metric-resolution=15s`). CPU is a rate, so a pod has metrics only from the second
//!   scrape that sees it running; each sample carries the scrape time and a 15 s window (what
//!   the HPA's CPU-initialization rule compares against). Memory is the working set then.
//! - Node usage is the sum of its pods plus a fixed system overhead (kubelet, runtime, OS).

use podplay_api::time::{Millis, SECOND};
use std::collections::{BTreeMap, BTreeSet};

use crate::cluster::Task;
use crate::simulation::Simulation;
use crate::store::Key;

/// metrics-server's `--metric-resolution`.
pub const RESOLUTION: Millis = 15 * SECOND;
/// What a node uses besides its pods (kubelet, containerd, system daemons).
pub const NODE_SYSTEM_CPU_MILLIS: i64 = 60;
pub const NODE_SYSTEM_MEMORY_BYTES: i64 = 600 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerMetrics {
    pub name: String,
    pub cpu_millis: i64,
    pub memory_bytes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodMetrics {
    pub uid: String,
    pub node: String,
    pub timestamp: Millis,
    pub window: Millis,
    pub containers: Vec<ContainerMetrics>,
}

impl PodMetrics {
    pub fn cpu_millis(&self) -> i64 {
        self.containers.iter().map(|c| c.cpu_millis).sum()
    }
    pub fn memory_bytes(&self) -> i64 {
        self.containers.iter().map(|c| c.memory_bytes).sum()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeMetrics {
    pub timestamp: Millis,
    pub cpu_millis: i64,
    pub memory_bytes: i64,
}

#[derive(Debug, Clone, Default)]
pub struct MetricsServer {
    pub pods: BTreeMap<Key, PodMetrics>,
    pub nodes: BTreeMap<String, NodeMetrics>,
    /// Pods (uid) and nodes running at the previous scrape: a rate needs two points.
    seen_pods: BTreeSet<String>,
    seen_nodes: BTreeSet<String>,
    scheduled: bool,
    /// Requests per second per Service (`sim load`).
    pub service_load: BTreeMap<Key, u32>,
}

impl Simulation {
    /// Puts metrics-server's first scrape on the agenda (once); it reschedules itself.
    pub(crate) fn start_metrics_server(&mut self) {
        if self.metrics.scheduled {
            return;
        }
        self.metrics.scheduled = true;
        let next = (self.now().div_euclid(RESOLUTION) + 1) * RESOLUTION;
        self.cl.agenda.schedule(next, Task::MetricsScrape);
    }

    /// `sim load service/NAME RPS`.
    pub(crate) fn set_service_load(&mut self, key: Key, rps: u32) {
        if rps == 0 {
            self.metrics.service_load.remove(&key);
        } else {
            self.metrics.service_load.insert(key, rps);
        }
        self.distribute_load();
    }

    /// kube-proxy's even spread of every Service's load over its ready endpoints, handed to the
    /// container listening on the endpoint's port.
    pub(crate) fn distribute_load(&mut self) {
        let now = self.now();
        // (pod ip, port) → rps
        let mut per_endpoint: BTreeMap<(String, u16), u32> = BTreeMap::new();
        for (key, rps) in &self.metrics.service_load {
            let Some(ep) = self.cl.store.endpoints.get(key) else {
                continue;
            };
            let mut targets = vec![];
            for s in &ep.subsets {
                let port = s.ports.first().map(|p| p.port.clamp(0, 65535) as u16);
                for a in &s.addresses {
                    if let Some(p) = port {
                        targets.push((a.ip.clone(), p));
                    }
                }
            }
            if targets.is_empty() {
                continue;
            }
            let n = targets.len() as u32;
            for (i, t) in targets.into_iter().enumerate() {
                let share = rps / n + u32::from((i as u32) < rps % n);
                *per_endpoint.entry(t).or_insert(0) += share;
            }
        }
        // Looked up by pod IP: one map probe per worker instead of a scan of every endpoint
        // (this runs on every endpoints change, with a thousand pods behind a Service).
        let mut by_ip: BTreeMap<&str, Vec<(u16, u32)>> = BTreeMap::new();
        for ((eip, port), rps) in &per_endpoint {
            by_ip.entry(eip.as_str()).or_default().push((*port, *rps));
        }
        for w in self.workers.values_mut() {
            let ip = w.pod_ip.as_deref().unwrap_or_default();
            let mut per_container: BTreeMap<String, u32> = BTreeMap::new();
            for (port, rps) in by_ip.get(ip).map(Vec::as_slice).unwrap_or_default() {
                if let Some(c) = w.env.listener(*port) {
                    *per_container.entry(c.to_string()).or_insert(0) += rps;
                }
            }
            for (name, rec) in w.containers.iter_mut() {
                if let Some(inst) = rec.newest_mut() {
                    // `sim load`'s share plus what pods' own requests (a wget loop) brought.
                    let console = self.cl.requests.rate(&w.uid, name, now);
                    let sim = per_container.get(name).copied().unwrap_or(0);
                    inst.rt.set_load(sim.saturating_add(console));
                }
            }
        }
    }

    /// One metrics-server scrape of every kubelet.
    pub(crate) fn scrape_metrics(&mut self) {
        let now = self.now();
        self.cl
            .agenda
            .schedule(now + RESOLUTION, Task::MetricsScrape);
        self.distribute_load();
        self.cl.requests.prune(now);
        let mut pods = BTreeMap::new();
        let mut running = BTreeSet::new();
        for w in self.workers.values_mut() {
            if w.terminated || !w.sandbox_ready {
                continue;
            }
            let mut containers = vec![];
            for (name, rec) in w.containers.iter() {
                if let Some(inst) = rec.running() {
                    let u = inst.rt.usage(now);
                    containers.push(ContainerMetrics {
                        name: name.clone(),
                        cpu_millis: u.cpu_millis.min(i64::MAX as u64) as i64,
                        memory_bytes: u.memory_bytes.min(i64::MAX as u64) as i64,
                    });
                }
            }
            if containers.is_empty() {
                continue;
            }
            running.insert(w.uid.clone());
            if !self.metrics.seen_pods.contains(&w.uid) {
                continue;
            }
            pods.insert(
                (w.namespace.clone(), w.name.clone()),
                PodMetrics {
                    uid: w.uid.clone(),
                    node: w.node.clone(),
                    timestamp: now,
                    window: RESOLUTION,
                    containers,
                },
            );
        }
        let mut nodes = BTreeMap::new();
        let names: Vec<String> = self.cl.store.nodes.keys().cloned().collect();
        for n in &names {
            if self.metrics.seen_nodes.contains(n) {
                let on: Vec<&PodMetrics> = pods.values().filter(|p| &p.node == n).collect();
                nodes.insert(
                    n.clone(),
                    NodeMetrics {
                        timestamp: now,
                        cpu_millis: NODE_SYSTEM_CPU_MILLIS
                            + on.iter().map(|p| p.cpu_millis()).sum::<i64>(),
                        memory_bytes: NODE_SYSTEM_MEMORY_BYTES
                            + on.iter().map(|p| p.memory_bytes()).sum::<i64>(),
                    },
                );
            }
        }
        self.metrics.seen_pods = running;
        self.metrics.seen_nodes = names.into_iter().collect();
        self.metrics.pods = pods;
        self.metrics.nodes = nodes;
    }
}
