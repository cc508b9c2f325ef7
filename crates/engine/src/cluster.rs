//! Everything in the simulated world except the pod workers: the clock and agenda, the apiserver's
//! store, the event recorder, the trace, and per-node kubelet state. Pod workers are kept apart
//! (in `Simulation`) so that one can be worked on while the network reaches into the others.

use podplay_api::time::{Millis, SECOND};
use podplay_api::types::{
    Node, NodeAddress, NodeCondition, NodeSpec, NodeStatus, NodeSystemInfo, ObjectMeta, Quantity,
    Taint, Time,
};
use std::collections::{BTreeMap, BTreeSet};

use crate::events::{Involved, Recorder};
use crate::kubelet::backoff::BackOff;
use crate::sim::queue::Agenda;
use crate::sim::rng::Stream;
use crate::store::Store;
use crate::trace::Record;

/// Everything that can be due at a moment of virtual time.
#[derive(Debug, Clone, PartialEq)]
pub enum Task {
    /// A pod worker should sync (PLEG event, probe result change, API update).
    Sync { w: usize },
    /// The pod worker's own requeue after a sync (retry after an error, or the periodic resync).
    Requeue { w: usize, gen: u64 },
    /// An in-flight sync step has something to re-check (a pull finished, a grace period ended...).
    Continue { w: usize, gen: u64 },
    /// A container's processes asked to be woken (sleep ended).
    ContainerWake {
        w: usize,
        container: String,
        id: String,
    },
    /// A probe worker's ticker (`probe` indexes the pod worker's probes).
    ProbeTick { w: usize, probe: usize, gen: u64 },
    /// An exec probe's timeoutSeconds ran out.
    ProbeTimeout { w: usize, probe: usize, gen: u64 },
    /// The kubelet sees the API's deletion of a pod (its watch delivers the update).
    Delete { uid: String, grace_seconds: i64 },
    /// The scheduler looks at pending pods.
    Schedule,
    /// The kubelet's final delete (grace 0) after a pod terminated.
    RemovePod { uid: String },
    /// A scripted action (index into the script).
    Script { index: usize },
    /// Workload controllers look again (minReadySeconds passed, a progress deadline is due).
    Workloads,
    /// The HPA controller's sync of one HorizontalPodAutoscaler.
    HpaSync { namespace: String, name: String },
    /// metrics-server scrapes the kubelets.
    MetricsScrape,
    /// The Job controller's requeue of a Job (back-off over, deadline, TTL).
    JobSync { namespace: String, name: String },
    /// The CronJob controller's requeue at the next schedule time.
    CronJobSync { namespace: String, name: String },
    /// Node lifecycle and taint eviction timers.
    Sched(crate::controllers::sched_hooks::SchedTask),
}

/// The kubelet's per-node state that outlives pods: images on the node, back-offs, PLEG phase.
#[derive(Debug, Clone)]
pub struct NodeAgent {
    pub name: String,
    pub ip: String,
    /// Third octet of the node's pod CIDR 10.244.N.0/24.
    pub cidr_index: u8,
    pub next_pod_ip: u8,
    pub images: BTreeSet<String>,
    pub crash_backoff: BackOff,
    pub image_backoff: BackOff,
    /// Image pull failures remembered for the ImagePullBackOff message, by image.
    pub last_pull_error: BTreeMap<String, String>,
    /// PLEG relists happen at `pleg_phase + k·1 s`.
    pub pleg_phase: Millis,
}

pub const PLEG_RELIST: Millis = SECOND;

impl NodeAgent {
    pub fn next_relist_after(&self, t: Millis) -> Millis {
        let k = (t - self.pleg_phase).div_euclid(PLEG_RELIST) + 1;
        self.pleg_phase + k * PLEG_RELIST
    }
}

#[derive(Clone)]
pub struct Cluster {
    /// The scheduler's last per-node verdicts for each pod it could not place, by uid.
    pub node_verdicts: BTreeMap<String, Vec<crate::scheduler::NodeVerdict>>,
    pub seed: u64,
    pub agenda: Agenda<Task>,
    pub store: Store,
    pub recorder: Recorder,
    pub trace: Vec<Record>,
    pub nodes: BTreeMap<String, NodeAgent>,
    pub jitter: Stream,
    pub service_ips: Stream,
    /// Round-robin position per Service, for kube-proxy's choice of endpoint.
    pub lb_cursor: BTreeMap<(String, String), usize>,
    /// Requests each container served recently (console load drives CPU usage).
    pub requests: crate::kube_proxy::RequestLog,
    /// Syncs already on the agenda, by (uid, time): PLEG events for one relist coalesce.
    pub pending_syncs: BTreeSet<(usize, Millis)>,
    pub schedule_pending: bool,
    /// Last row printed per object (kind, ns, name), to emit object records only on change.
    pub last_rows: BTreeMap<(String, String, String), Vec<(&'static str, String)>>,
    pub last_endpoints: BTreeMap<(String, String), (Vec<String>, Vec<String>)>,
    /// The order pods were created in, by uid (the scheduling queue's order).
    pub created_seq: BTreeMap<String, u64>,
    /// Pods whose API object changed during the current task.
    pub dirty: BTreeSet<crate::store::Key>,
    /// Moments the workload controllers asked to be woken at (one task per moment).
    pub workload_timers: BTreeSet<Millis>,
}

impl Cluster {
    pub fn new(seed: u64) -> Cluster {
        Cluster {
            node_verdicts: BTreeMap::new(),
            seed,
            agenda: Agenda::default(),
            store: Store::new(seed),
            recorder: Recorder::default(),
            trace: vec![],
            nodes: BTreeMap::new(),
            jitter: Stream::new(seed, "jitter"),
            service_ips: Stream::new(seed, "service-ip"),
            lb_cursor: BTreeMap::new(),
            requests: Default::default(),
            pending_syncs: BTreeSet::new(),
            schedule_pending: false,
            last_rows: BTreeMap::new(),
            last_endpoints: BTreeMap::new(),
            dirty: BTreeSet::new(),
            created_seq: BTreeMap::new(),
            workload_timers: BTreeSet::new(),
        }
    }

    /// A controller's `AddAfter`: run the workload controllers again at `at`.
    pub fn wake_workloads_at(&mut self, at: Millis) {
        if self.workload_timers.insert(at) {
            self.agenda.schedule(at, Task::Workloads);
        }
    }

    pub fn now(&self) -> Millis {
        self.agenda.now()
    }

    pub fn event(
        &mut self,
        source: &str,
        involved: Involved,
        type_: &'static str,
        reason: &str,
        message: String,
    ) {
        let now = self.now();
        if let Some(o) = self
            .recorder
            .record(now, source, involved, type_, reason, message)
        {
            self.trace.push(Record::Event(o));
        }
    }

    /// Asks for a pod sync at `at`, once per (pod, moment).
    pub fn request_sync(&mut self, w: usize, at: Millis) {
        let at = at.max(self.now());
        if self.pending_syncs.insert((w, at)) {
            self.agenda.schedule(at, Task::Sync { w });
        }
    }

    pub fn request_schedule(&mut self) {
        if !self.schedule_pending {
            self.schedule_pending = true;
            let now = self.now();
            self.agenda.schedule(now, Task::Schedule);
        }
    }

    /// Registers a node with the kubelet state it needs.
    pub fn add_node_agent(&mut self, node: &Node) {
        let name = node.metadata.name.clone().unwrap_or_default();
        if self.nodes.contains_key(&name) {
            return;
        }
        let index = self.nodes.len() as u8;
        let ip = node
            .status
            .addresses
            .iter()
            .find(|a| a.type_ == "InternalIP")
            .map(|a| a.address.clone())
            .unwrap_or_else(|| format!("172.18.0.{}", index + 2));
        let cidr_index = node
            .spec
            .pod_cidr
            .as_deref()
            .and_then(|c| c.split('.').nth(2))
            .and_then(|s| s.parse().ok())
            .unwrap_or(index);
        let mut phase = Stream::new(self.seed, &format!("pleg-phase/{name}"));
        let mut images = BTreeSet::new();
        images.insert("registry.k8s.io/pause:3.10".to_string());
        self.nodes.insert(
            name.clone(),
            NodeAgent {
                name,
                ip,
                cidr_index,
                next_pod_ip: 2,
                images,
                crash_backoff: BackOff::crash_loop(),
                image_backoff: BackOff::image_pull(),
                last_pull_error: BTreeMap::new(),
                pleg_phase: phase.between(0, PLEG_RELIST - 1),
            },
        );
    }
}

/// The default teaching cluster of the CLI contract: one tainted control-plane node and two workers.
pub fn default_nodes() -> Vec<Node> {
    let mut out = vec![];
    for (i, name) in ["control-plane", "node1", "node2"].iter().enumerate() {
        let mut labels = BTreeMap::new();
        labels.insert("beta.kubernetes.io/arch".into(), "amd64".into());
        labels.insert("beta.kubernetes.io/os".into(), "linux".into());
        labels.insert("kubernetes.io/arch".into(), "amd64".into());
        labels.insert("kubernetes.io/hostname".into(), name.to_string());
        labels.insert("kubernetes.io/os".into(), "linux".into());
        let mut taints = vec![];
        if i == 0 {
            labels.insert("node-role.kubernetes.io/control-plane".into(), "".into());
            labels.insert(
                "node.kubernetes.io/exclude-from-external-load-balancers".into(),
                "".into(),
            );
            taints.push(Taint {
                key: "node-role.kubernetes.io/control-plane".into(),
                value: None,
                effect: "NoSchedule".into(),
                time_added: None,
            });
        }
        let capacity: BTreeMap<String, Quantity> = [
            ("cpu", "2"),
            ("ephemeral-storage", "61202244Ki"),
            ("memory", "4015088Ki"),
            ("pods", "110"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), Quantity::new(*v)))
        .collect();
        out.push(Node {
            api_version: Some("v1".into()),
            kind: Some("Node".into()),
            metadata: ObjectMeta {
                name: Some(name.to_string()),
                labels,
                ..Default::default()
            },
            spec: NodeSpec {
                pod_cidr: Some(format!("10.244.{i}.0/24")),
                pod_cidrs: vec![format!("10.244.{i}.0/24")],
                taints,
                ..Default::default()
            },
            status: NodeStatus {
                allocatable: capacity.clone(),
                capacity,
                addresses: vec![
                    NodeAddress {
                        type_: "InternalIP".into(),
                        address: format!("172.18.0.{}", i + 2),
                    },
                    NodeAddress {
                        type_: "Hostname".into(),
                        address: name.to_string(),
                    },
                ],
                conditions: node_conditions(0),
                node_info: Some(NodeSystemInfo {
                    architecture: "amd64".into(),
                    container_runtime_version: "containerd://2.0.3".into(),
                    kernel_version: "6.8.0-1021-gcp".into(),
                    kubelet_version: "v1.33.1".into(),
                    kube_proxy_version: "".into(),
                    operating_system: "linux".into(),
                    os_image: "Debian GNU/Linux 12 (bookworm)".into(),
                    ..Default::default()
                }),
                ..Default::default()
            },
        });
    }
    out
}

pub fn node_conditions(now: Millis) -> Vec<NodeCondition> {
    let c = |t: &str, s: &str, reason: &str, msg: &str| NodeCondition {
        type_: t.into(),
        status: s.into(),
        last_heartbeat_time: Some(Time(now)),
        last_transition_time: Some(Time(now)),
        reason: Some(reason.into()),
        message: Some(msg.into()),
    };
    vec![
        c(
            "MemoryPressure",
            "False",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
        ),
        c(
            "DiskPressure",
            "False",
            "KubeletHasNoDiskPressure",
            "kubelet has no disk pressure",
        ),
        c(
            "PIDPressure",
            "False",
            "KubeletHasSufficientPID",
            "kubelet has sufficient PID available",
        ),
        c(
            "Ready",
            "True",
            "KubeletReady",
            "kubelet is posting ready status",
        ),
    ]
}
