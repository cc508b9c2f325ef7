//! What the playground draws: a plain snapshot of the cluster at the current moment, built from the
//! apiserver's objects (what `kubectl` would show) and the kubelets' own state (what only a node
//! knows: probe results as they happen, hooks in progress, back-off timers). The UI never reaches
//! into the engine; it renders one of these per frame it needs.

use podplay_api::time::{Millis, SECOND};
use podplay_api::types::{ContainerState, ContainerStatus, Pod};
use podplay_kubectl::printers::get::{node_row, pod_row, service_row};
use serde::Serialize;
use std::collections::BTreeMap;

use crate::kubelet::prober::{ProbeKind, ProbeResult};
use crate::kubelet::worker::PodWorker;
use crate::simulation::Simulation;

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct ClusterView {
    pub t: Millis,
    pub nodes: Vec<NodeView>,
    /// Pods no node has taken (Pending, or gated), with the scheduler's reason.
    pub unscheduled: Vec<PodView>,
    pub services: Vec<ServiceView>,
    /// Controllers and what they own (Deployments → ReplicaSets → pods, Jobs, ...).
    pub workloads: Vec<WorkloadView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeView {
    pub name: String,
    /// The STATUS column: `Ready`, `NotReady`, `Ready,SchedulingDisabled`.
    pub status: String,
    pub roles: String,
    pub ip: String,
    pub taints: Vec<String>,
    pub pods: Vec<PodView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PodView {
    pub namespace: String,
    pub name: String,
    pub uid: String,
    pub node: Option<String>,
    pub ip: Option<String>,
    /// kubectl's STATUS column (`Running`, `Init:1/2`, `CrashLoopBackOff`, `Terminating`, ...).
    pub status: String,
    /// kubectl's READY column (`1/2`).
    pub ready: String,
    /// kubectl's RESTARTS column (`3 (12s ago)`).
    pub restarts: String,
    pub phase: String,
    /// The pause container: the sandbox exists and holds the pod's network.
    pub sandbox_ready: bool,
    /// Kind and name of the controller that owns the pod.
    pub owner: Option<(String, String)>,
    pub labels: BTreeMap<String, String>,
    /// Set while the pod is being deleted: the grace period and when it ends.
    pub deletion: Option<DeletionView>,
    /// Why the scheduler has not placed it (PodScheduled=False message).
    pub unschedulable: Option<String>,
    /// For a pod the scheduler could not place: each node and why its filters refused it.
    pub node_verdicts: Vec<(String, Vec<String>)>,
    pub init_containers: Vec<ContainerView>,
    pub containers: Vec<ContainerView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeletionView {
    pub grace_seconds: i64,
    pub deadline: Millis,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ContainerRole {
    Init,
    /// An init container with `restartPolicy: Always`.
    Sidecar,
    Regular,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum StateView {
    Waiting {
        reason: String,
        message: String,
    },
    Running {
        since: Millis,
    },
    Terminated {
        exit_code: i32,
        reason: String,
        finished: Millis,
    },
}

impl StateView {
    /// `waiting`, `running` or `terminated`: the `data-state` the page exposes.
    pub fn word(&self) -> &'static str {
        match self {
            StateView::Waiting { .. } => "waiting",
            StateView::Running { .. } => "running",
            StateView::Terminated { .. } => "terminated",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContainerView {
    pub name: String,
    pub role: ContainerRole,
    pub image: String,
    pub state: StateView,
    /// The previous instance's end, as `Last State: Terminated` shows it.
    pub last_exit: Option<(i32, String)>,
    pub ready: bool,
    pub started: Option<bool>,
    pub restart_count: i32,
    pub probes: Vec<ProbeView>,
    /// A lifecycle hook running now.
    pub hook: Option<HookView>,
    /// While the kubelet holds the restart back: when the back-off ends and how long it is.
    pub backoff: Option<BackOffView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProbeView {
    /// `startup`, `liveness` or `readiness`.
    pub kind: &'static str,
    /// The last attempt: when, and whether it passed.
    pub last: Option<(Millis, bool)>,
    /// Consecutive failures so far, against `failure_threshold`.
    pub failures: i32,
    pub failure_threshold: i32,
    pub success_threshold: i32,
    pub period_seconds: i32,
    /// The published result (`None` while unknown).
    pub result: Option<bool>,
    /// The probe stopped for this container (liveness/startup after failing, or startup passed).
    pub on_hold: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HookView {
    /// `postStart` or `preStop`.
    pub kind: &'static str,
    pub since: Option<Millis>,
    pub until: Millis,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BackOffView {
    pub until: Millis,
    pub seconds: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceView {
    pub namespace: String,
    pub name: String,
    pub type_: String,
    pub cluster_ip: String,
    pub ports: String,
    pub selector: BTreeMap<String, String>,
    /// Ready endpoints: (pod name, ip).
    pub ready: Vec<(String, String)>,
    pub not_ready: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkloadView {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    /// kubectl's columns for it (READY, UP-TO-DATE, COMPLETIONS, ...), in order.
    pub columns: Vec<(String, String)>,
    /// Objects it owns directly, as (kind, name).
    pub owned: Vec<(String, String)>,
    /// `deployment.kubernetes.io/revision` (ReplicaSets), when there is one.
    pub revision: Option<String>,
    /// What the kind's picture needs beyond kubectl's row (a rollout's budget, a Job's counts, a
    /// CronJob's next run), resolved as the controller resolves it.
    pub detail: Option<WorkloadDetail>,
}

/// The numbers each workload kind is drawn from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum WorkloadDetail {
    /// A Deployment: `spec.replicas` and its RollingUpdate budget after `ResolveFenceposts`
    /// (surge rounded up, unavailable down, 0/0 → 0/1); both 0 for Recreate.
    Rollout {
        replicas: i64,
        strategy: String,
        max_surge: i64,
        max_unavailable: i64,
    },
    /// A Job: spec and status counts; `backoff_until` while a replacement waits out the pod
    /// failure back-off (10 s · 2^(n−1), max 10 min).
    Job {
        completions: Option<i64>,
        parallelism: i64,
        backoff_limit: i64,
        succeeded: i64,
        failed: i64,
        active: i64,
        /// `Complete` or `Failed` once the Job has finished.
        finished: Option<String>,
        backoff_until: Option<Millis>,
    },
    /// A CronJob: its schedule, the last time it was scheduled and the next (virtual ms).
    CronJob {
        schedule: String,
        time_zone: Option<String>,
        suspend: bool,
        concurrency_policy: String,
        last_schedule: Option<Millis>,
        next_run: Option<Millis>,
    },
}

fn time_of(t: &Option<podplay_api::types::Time>) -> Millis {
    t.as_ref().map_or(0, |t| t.0)
}

fn state_view(s: &ContainerState) -> StateView {
    if let Some(r) = &s.running {
        return StateView::Running {
            since: time_of(&r.started_at),
        };
    }
    if let Some(t) = &s.terminated {
        return StateView::Terminated {
            exit_code: t.exit_code,
            reason: t.reason.clone().unwrap_or_default(),
            finished: time_of(&t.finished_at),
        };
    }
    let w = s.waiting.clone().unwrap_or_default();
    StateView::Waiting {
        reason: w.reason.unwrap_or_else(|| "ContainerCreating".into()),
        message: w.message.unwrap_or_default(),
    }
}

fn probe_kind_word(k: ProbeKind) -> &'static str {
    match k {
        ProbeKind::Startup => "startup",
        ProbeKind::Liveness => "liveness",
        ProbeKind::Readiness => "readiness",
    }
}

fn container_view(
    pod: &Pod,
    name: &str,
    image: &str,
    role: ContainerRole,
    statuses: &[ContainerStatus],
    worker: Option<&PodWorker>,
    sim: &Simulation,
) -> ContainerView {
    let status = statuses.iter().find(|s| s.name == name);
    let state = status.map_or(
        StateView::Waiting {
            reason: if pod.spec.node_name.is_some() {
                "ContainerCreating".into()
            } else {
                "Pending".into()
            },
            message: String::new(),
        },
        |s| state_view(&s.state),
    );
    let last_exit = status
        .and_then(|s| s.last_state.terminated.as_ref())
        .map(|t| (t.exit_code, t.reason.clone().unwrap_or_default()));
    let mut probes = vec![];
    let mut hook = None;
    let mut backoff = None;
    if let Some(w) = worker {
        let id = w
            .containers
            .get(name)
            .and_then(|r| r.newest())
            .map(|i| i.id.as_str());
        for p in w.probes.iter().filter(|p| p.container == name) {
            let result = id
                .and_then(|id| w.results.get(id, p.kind))
                .and_then(|r| match r {
                    ProbeResult::Success => Some(true),
                    ProbeResult::Failure => Some(false),
                    ProbeResult::Unknown => None,
                });
            probes.push(ProbeView {
                kind: probe_kind_word(p.kind),
                last: p.last_at,
                failures: if p.last_result == Some(ProbeResult::Failure) {
                    p.failures.len() as i32
                } else {
                    0
                },
                failure_threshold: p.probe.failure_threshold(),
                success_threshold: p.probe.success_threshold(),
                period_seconds: p.probe.period(),
                result,
                on_hold: p.on_hold,
            });
        }
        hook = w
            .hook_running(name)
            .map(|(kind, since, until)| HookView { kind, since, until });
        if let StateView::Waiting { reason, .. } = &state {
            if reason == "CrashLoopBackOff" {
                let finished = w
                    .containers
                    .get(name)
                    .and_then(|r| r.newest())
                    .and_then(|i| i.exit.as_ref().map(|e| e.2));
                if let (Some(finished), Some(node)) = (finished, sim.cl.nodes.get(&w.node)) {
                    let d = node.crash_backoff.get(&w.backoff_key(name));
                    backoff = Some(BackOffView {
                        until: finished + d,
                        seconds: d / SECOND,
                    });
                }
            }
        }
    }
    ContainerView {
        name: name.to_string(),
        role,
        image: image.to_string(),
        state,
        last_exit,
        ready: status.is_some_and(|s| s.ready),
        started: status.and_then(|s| s.started),
        restart_count: status.map_or(0, |s| s.restart_count),
        probes,
        hook,
        backoff,
    }
}

fn pod_view(sim: &Simulation, pod: &Pod, now: Millis) -> PodView {
    let row = pod_row(pod, now);
    let cell = |i: usize| row.cells.get(i).cloned().unwrap_or_default();
    let uid = pod.metadata.uid.clone().unwrap_or_default();
    let worker = sim.workers.get(&uid);
    let status = pod.status.clone().unwrap_or_default();
    let init_containers = pod
        .spec
        .init_containers
        .iter()
        .map(|c| {
            let role = if c.is_sidecar() {
                ContainerRole::Sidecar
            } else {
                ContainerRole::Init
            };
            container_view(
                pod,
                &c.name,
                c.image.as_deref().unwrap_or_default(),
                role,
                &status.init_container_statuses,
                worker,
                sim,
            )
        })
        .collect();
    let containers = pod
        .spec
        .containers
        .iter()
        .map(|c| {
            container_view(
                pod,
                &c.name,
                c.image.as_deref().unwrap_or_default(),
                ContainerRole::Regular,
                &status.container_statuses,
                worker,
                sim,
            )
        })
        .collect();
    let deletion = pod.metadata.deletion_timestamp.as_ref().map(|ts| {
        // The deletion timestamp is when the grace period ends.
        DeletionView {
            grace_seconds: pod.metadata.deletion_grace_period_seconds.unwrap_or(0),
            deadline: ts.0,
        }
    });
    let unschedulable = status
        .conditions
        .iter()
        .find(|c| c.type_ == "PodScheduled" && c.status == "False")
        .and_then(|c| c.message.clone());
    PodView {
        namespace: pod.metadata.namespace().to_string(),
        name: pod.metadata.name().to_string(),
        uid,
        node: pod.spec.node_name.clone(),
        ip: status.pod_ip.clone(),
        ready: cell(1),
        status: cell(2),
        restarts: cell(3),
        phase: status.phase.clone().unwrap_or_else(|| "Pending".into()),
        sandbox_ready: worker.is_some_and(|w| w.sandbox_ready),
        owner: pod
            .metadata
            .owner_references
            .iter()
            .find(|o| o.controller == Some(true))
            .or(pod.metadata.owner_references.first())
            .map(|o| (o.kind.clone(), o.name.clone())),
        labels: pod.metadata.labels.clone(),
        deletion,
        node_verdicts: if pod.spec.node_name.is_none() {
            sim.cl
                .node_verdicts
                .get(pod.metadata.uid.as_deref().unwrap_or(""))
                .cloned()
                .unwrap_or_default()
        } else {
            vec![]
        },
        unschedulable,
        init_containers,
        containers,
    }
}

impl Simulation {
    /// The whole cluster as the playground draws it, at the current moment.
    pub fn view(&self) -> ClusterView {
        let now = self.now();
        let mut nodes: Vec<NodeView> = self
            .cl
            .store
            .nodes
            .values()
            .map(|n| {
                let row = node_row(n, now);
                NodeView {
                    name: n.metadata.name().to_string(),
                    status: row.cells.get(1).cloned().unwrap_or_default(),
                    roles: row.cells.get(2).cloned().unwrap_or_default(),
                    ip: self
                        .cl
                        .nodes
                        .get(n.metadata.name())
                        .map(|a| a.ip.clone())
                        .unwrap_or_default(),
                    taints: n
                        .spec
                        .taints
                        .iter()
                        .map(|t| match &t.value {
                            Some(v) if !v.is_empty() => format!("{}={}:{}", t.key, v, t.effect),
                            _ => format!("{}:{}", t.key, t.effect),
                        })
                        .collect(),
                    pods: vec![],
                }
            })
            .collect();
        let mut unscheduled = vec![];
        for pod in self.cl.store.pods.values() {
            let v = pod_view(self, pod, now);
            match v
                .node
                .as_deref()
                .and_then(|n| nodes.iter_mut().find(|x| x.name == n))
            {
                Some(node) => node.pods.push(v),
                None => unscheduled.push(v),
            }
        }
        let services = self
            .cl
            .store
            .services
            .iter()
            .map(|(key, s)| {
                let row = service_row(s, now);
                let (ready, not_ready) = self.endpoint_pods(key);
                ServiceView {
                    namespace: key.0.clone(),
                    name: key.1.clone(),
                    type_: row.cells.get(1).cloned().unwrap_or_default(),
                    cluster_ip: row.cells.get(2).cloned().unwrap_or_default(),
                    ports: row.cells.get(4).cloned().unwrap_or_default(),
                    selector: s.spec.selector.clone(),
                    ready,
                    not_ready,
                }
            })
            .collect();
        ClusterView {
            t: now,
            nodes,
            unscheduled,
            services,
            workloads: self.workload_views(),
        }
    }

    /// (pod, ip) of a Service's ready and not-ready endpoints.
    fn endpoint_pods(
        &self,
        key: &crate::store::Key,
    ) -> (Vec<(String, String)>, Vec<(String, String)>) {
        let Some(ep) = self.cl.store.endpoints.get(key) else {
            return (vec![], vec![]);
        };
        let name = |a: &podplay_api::types::EndpointAddress| {
            (
                a.target_ref
                    .as_ref()
                    .and_then(|r| r.name.clone())
                    .unwrap_or_default(),
                a.ip.clone(),
            )
        };
        let mut ready = vec![];
        let mut not_ready = vec![];
        for s in &ep.subsets {
            ready.extend(s.addresses.iter().map(name));
            not_ready.extend(s.not_ready_addresses.iter().map(name));
        }
        (ready, not_ready)
    }

    /// Objects the engine keeps as `Other` (Deployments, ReplicaSets, Jobs, ...), each with what it
    /// owns. The columns are filled by the trace's last row for it, when there is one.
    fn workload_views(&self) -> Vec<WorkloadView> {
        let mut out: Vec<WorkloadView> = self
            .cl
            .store
            .others
            .iter()
            .filter(|((kind, _, _), _)| {
                matches!(
                    kind.as_str(),
                    "Deployment"
                        | "ReplicaSet"
                        | "Job"
                        | "CronJob"
                        | "DaemonSet"
                        | "StatefulSet"
                        | "HorizontalPodAutoscaler"
                )
            })
            .map(|((kind, ns, name), o)| WorkloadView {
                kind: kind.clone(),
                namespace: ns.clone(),
                name: name.clone(),
                columns: self
                    .cl
                    .last_rows
                    .get(&(kind.clone(), ns.clone(), name.clone()))
                    .map(|c| c.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
                    .unwrap_or_default(),
                owned: vec![],
                revision: o
                    .metadata
                    .annotations
                    .get("deployment.kubernetes.io/revision")
                    .cloned(),
                detail: self.workload_detail(o),
            })
            .collect();
        // Ownership, from the owned side's ownerReferences.
        let mut owned: BTreeMap<(String, String, String), Vec<(String, String)>> = BTreeMap::new();
        for ((kind, ns, name), o) in &self.cl.store.others {
            for r in &o.metadata.owner_references {
                owned
                    .entry((r.kind.clone(), ns.clone(), r.name.clone()))
                    .or_default()
                    .push((kind.clone(), name.clone()));
            }
        }
        for ((ns, name), p) in &self.cl.store.pods {
            for r in &p.metadata.owner_references {
                owned
                    .entry((r.kind.clone(), ns.clone(), r.name.clone()))
                    .or_default()
                    .push(("Pod".into(), name.clone()));
            }
        }
        for w in &mut out {
            if let Some(o) = owned.remove(&(w.kind.clone(), w.namespace.clone(), w.name.clone())) {
                w.owned = o;
            }
        }
        out
    }
}

impl Simulation {
    /// The kind-specific numbers of a workload (None for kinds drawn from their row alone).
    fn workload_detail(&self, o: &podplay_api::types::OtherObject) -> Option<WorkloadDetail> {
        use crate::controllers::cron_schedule::{parse_standard, Zone};
        use podplay_api::time::EPOCH_UNIX_SECS;
        use serde_json::Value;
        let body = Value::Object(o.body.clone());
        let int = |path: &str| body.pointer(path).and_then(Value::as_i64);
        let text = |path: &str| body.pointer(path).and_then(Value::as_str);
        match o.kind.as_str() {
            "Deployment" => {
                let replicas = int("/spec/replicas").unwrap_or(1);
                let strategy = text("/spec/strategy/type").unwrap_or("RollingUpdate");
                let (max_surge, max_unavailable) = if strategy == "Recreate" {
                    (0, 0)
                } else {
                    // Unset fields default to 25%/25% (apps/v1 defaulting).
                    let quarter = Value::from("25%");
                    let surge = body
                        .pointer("/spec/strategy/rollingUpdate/maxSurge")
                        .unwrap_or(&quarter);
                    let unavailable = body
                        .pointer("/spec/strategy/rollingUpdate/maxUnavailable")
                        .unwrap_or(&quarter);
                    crate::controllers::rollout_math::resolve_fenceposts(
                        Some(surge),
                        Some(unavailable),
                        replicas,
                    )
                    .unwrap_or((0, 0))
                };
                Some(WorkloadDetail::Rollout {
                    replicas,
                    strategy: strategy.to_string(),
                    max_surge,
                    max_unavailable: max_unavailable.min(replicas),
                })
            }
            "Job" => {
                let finished = body
                    .pointer("/status/conditions")
                    .and_then(Value::as_array)
                    .and_then(|cs| {
                        cs.iter().find_map(|c| {
                            let t = c.get("type").and_then(Value::as_str)?;
                            let ok = c.get("status").and_then(Value::as_str) == Some("True");
                            (ok && (t == "Complete" || t == "Failed")).then(|| t.to_string())
                        })
                    });
                let now = self.now();
                let backoff_until = if finished.is_none() {
                    o.metadata
                        .uid
                        .as_ref()
                        .and_then(|uid| self.batch.jobs.backoff.get(uid))
                        .map(|b| b.remaining(now))
                        .filter(|r| *r > 0)
                        .map(|r| now + r)
                } else {
                    None
                };
                Some(WorkloadDetail::Job {
                    completions: int("/spec/completions"),
                    parallelism: int("/spec/parallelism").unwrap_or(1),
                    backoff_limit: int("/spec/backoffLimit").unwrap_or(6),
                    succeeded: int("/status/succeeded").unwrap_or(0),
                    failed: int("/status/failed").unwrap_or(0),
                    active: int("/status/active").unwrap_or(0),
                    finished,
                    backoff_until,
                })
            }
            "CronJob" => {
                let schedule = text("/spec/schedule").unwrap_or_default().to_string();
                let time_zone = text("/spec/timeZone").map(str::to_string);
                let suspend = body.pointer("/spec/suspend").and_then(Value::as_bool) == Some(true);
                let zone = match &time_zone {
                    None => Some(Zone::UTC),
                    Some(z) => Zone::load(z),
                };
                // The next activation strictly after now, as `Schedule.Next` computes it.
                let now_unix = (EPOCH_UNIX_SECS * 1000 + self.now()).div_euclid(1000);
                let next_run = match (parse_standard(&schedule), zone, suspend) {
                    (Ok(s), Some(zone), false) => s
                        .next(now_unix, zone)
                        .map(|u| (u - EPOCH_UNIX_SECS) * SECOND),
                    _ => None,
                };
                Some(WorkloadDetail::CronJob {
                    schedule,
                    time_zone,
                    suspend,
                    concurrency_policy: text("/spec/concurrencyPolicy")
                        .unwrap_or("Allow")
                        .to_string(),
                    last_schedule: text("/status/lastScheduleTime")
                        .and_then(podplay_api::time::parse_rfc3339),
                    next_run,
                })
            }
            _ => None,
        }
    }
}
