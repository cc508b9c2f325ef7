//! A pod worker: the kubelet's per-pod goroutine (pod_workers.go + kubelet.go SyncPod +
//! kuberuntime_manager.go). One sync at a time; a sync first writes the API status from what the
//! runtime reported at its start (so the status lags the runtime by one sync, §2.5), then performs
//! the runtime actions, which may take virtual time (sandbox, pulls, postStart hooks, kills).

use podplay_api::time::{Millis, SECOND};
use podplay_api::types::{Container, PodSpec, PodStatus, Time};
use podplay_runtime::{
    Container as RtContainer, ExecId, Image, Launch, Mount, PodEnv, Signal, VolumeSource,
};
use std::collections::{BTreeMap, BTreeSet};

use crate::cluster::Task;
use crate::events::Involved;
use crate::kubelet::prober::{Outcome, ProbeKind, ProbeResult, ProbeWorker, Results, Target};
use crate::kubelet::status::{self, ContainerView, InstanceView};
use crate::sim::rng::Stream;
use crate::world::Ctx;

/// How long creating the pod sandbox (pause container + CNI) takes. [env]
pub const SANDBOX_CREATE: Millis = 1_000;
/// From a container's process exiting to the runtime's StopContainer returning (task reaped and
/// deleted by containerd). [env]
const STOP_RETURN: Millis = 100;
/// `minimumGracePeriodInSeconds`.
const MIN_GRACE_SECONDS: i64 = 2;

#[derive(Debug, Clone)]
pub struct Instance {
    pub id: String,
    pub rt: RtContainer,
    pub image_id: String,
    pub restart_count: i32,
    pub created_at: Millis,
    pub started_at: Option<Millis>,
    pub exit: Option<(i32, String, Millis)>,
    pub wake_at: Option<Millis>,
}

#[derive(Debug, Default, Clone)]
pub struct ContainerRecord {
    /// Oldest first; the last two are kept (State and Last State, `logs -p`).
    pub instances: Vec<Instance>,
}

impl ContainerRecord {
    pub fn newest(&self) -> Option<&Instance> {
        self.instances.last()
    }
    pub fn newest_mut(&mut self) -> Option<&mut Instance> {
        self.instances.last_mut()
    }
    pub fn running(&self) -> Option<&Instance> {
        self.newest()
            .filter(|i| i.exit.is_none() && i.started_at.is_some())
    }
}

#[derive(Debug, Clone)]
enum StartPhase {
    Begin,
    Pulling {
        started: Millis,
        done_at: Millis,
        image: Result<Image, String>,
    },
    PostStart {
        exec: Option<ExecId>,
        until: Millis,
        /// The handler's error, as the sync error's message (kubelet-semantics §4.1).
        failure: Option<String>,
    },
}

#[derive(Debug, Clone)]
enum KillPhase {
    Begin,
    PreStop {
        exec: Option<ExecId>,
        until: Millis,
        started: Millis,
    },
    Stopping {
        deadline: Millis,
    },
}

#[derive(Debug, Clone)]
struct Killer {
    container: String,
    message: Option<String>,
    grace_seconds: i64,
    /// For a sidecar stopped after the main containers: the end of the pod's grace period, which
    /// its own grace is what remains of.
    deadline: Option<Millis>,
    phase: KillPhase,
}

#[derive(Debug, Clone)]
enum Step {
    Sandbox {
        until: Option<Millis>,
    },
    Start {
        name: String,
        init: bool,
        phase: StartPhase,
    },
    Kill(Killer),
    KillAll(Vec<Killer>),
}

enum Poll {
    Done,
    /// Re-check at this moment (or earlier, when poked).
    At(Millis),
    /// Re-check when poked (a container exited, an exec finished).
    Poked,
}

#[derive(Debug, Default, Clone)]
struct ActiveSync {
    steps: Vec<Step>,
    /// Newest exited instance's finish time per container, from the snapshot at sync start (doBackOff).
    snapshot_finished: BTreeMap<String, Millis>,
    errors: BTreeMap<String, (String, String)>,
    started_ok: BTreeSet<String>,
    failed: bool,
    terminating: bool,
}

#[derive(Debug, Clone)]
struct Seen {
    id: String,
    exit: Option<i32>,
    running: bool,
}

#[derive(Debug, Clone)]
pub struct Deletion {
    pub grace_seconds: i64,
}

#[derive(Debug, Clone)]
pub struct PodWorker {
    pub uid: String,
    /// Where `Workers` keeps this worker; tasks address it by this.
    pub slot: usize,
    pub namespace: String,
    pub name: String,
    pub node: String,
    pub spec: PodSpec,
    pub admitted_at: Millis,
    pub scheduled_at: Option<Millis>,
    pub env: PodEnv,
    pub sandbox_ready: bool,
    pub pod_ip: Option<String>,
    pub containers: BTreeMap<String, ContainerRecord>,
    /// Start errors of the last sync, by container (kubelet's reasonCache).
    pub reason_cache: BTreeMap<String, (String, String)>,
    pub probes: Vec<ProbeWorker>,
    pub results: Results,
    active: Option<ActiveSync>,
    sync_gen: u64,
    pub requeue_gen: u64,
    sync_pending: bool,
    pub deletion: Option<Deletion>,
    pub terminated: bool,
    /// `activeDeadlineSeconds` passed: the pod is failed and its containers are killed.
    deadline_exceeded: bool,
    /// The status manager's copy of what was last written.
    pub status: Option<PodStatus>,
    /// Bumped on every status write: probe workers re-read the status only when it changed.
    status_version: u64,
    /// The signature of the inputs the last written status was made from (see `status_signature`).
    status_signature: Option<u64>,
    /// When the last sync ended (`lastSyncTime`); the next waits for a PLEG relist after it
    /// (`podCache.GetNewerThan`).
    last_sync_end: Option<Millis>,
    /// The PLEG relist whose pod cache the current sync reads: the runtime as of that moment.
    cache_time: Millis,
    ids: Stream,
}

fn fmt_pod(name: &str, ns: &str, uid: &str) -> String {
    format!("{name}_{ns}({uid})")
}

impl PodWorker {
    pub fn new(
        uid: &str,
        namespace: &str,
        name: &str,
        node: &str,
        spec: PodSpec,
        now: Millis,
        seed: u64,
    ) -> PodWorker {
        let mut probes = vec![];
        // Probe workers exist for app containers and sidecars, never for regular init containers.
        for c in spec
            .init_containers
            .iter()
            .filter(|c| c.is_sidecar())
            .chain(spec.containers.iter())
        {
            for (kind, p) in [
                (ProbeKind::Liveness, &c.liveness_probe),
                (ProbeKind::Readiness, &c.readiness_probe),
                (ProbeKind::Startup, &c.startup_probe),
            ] {
                if let Some(p) = p {
                    probes.push(ProbeWorker::new(&c.name, kind, p.clone()));
                }
            }
        }
        PodWorker {
            uid: uid.to_string(),
            slot: usize::MAX,
            namespace: namespace.to_string(),
            name: name.to_string(),
            node: node.to_string(),
            env: PodEnv::new([0, 0, 0, 0], name, namespace, name),
            spec,
            admitted_at: now,
            scheduled_at: None,
            sandbox_ready: false,
            pod_ip: None,
            containers: BTreeMap::new(),
            reason_cache: BTreeMap::new(),
            probes,
            results: Results::default(),
            active: None,
            sync_gen: 0,
            requeue_gen: 0,
            sync_pending: false,
            deletion: None,
            terminated: false,
            deadline_exceeded: false,
            status: None,
            status_version: 0,
            status_signature: None,
            last_sync_end: None,
            cache_time: now,
            ids: Stream::new(seed, &format!("container-id/{uid}")),
        }
    }

    /// The probe workers start ticking at admission: doProbe runs at once and then every period.
    pub fn start_probe_workers(&mut self, cx: &mut Ctx) {
        let now = cx.cl.now();
        if let Some(d) = self.spec.active_deadline_seconds {
            // The active deadline handler asks for a sync when the deadline passes.
            cx.cl.request_sync(
                self.slot,
                self.admitted_at
                    .saturating_add(podplay_api::time::seconds(d.max(0))),
            );
        }
        for (i, p) in self.probes.iter().enumerate() {
            cx.cl.agenda.schedule(
                now,
                Task::ProbeTick {
                    w: self.slot,
                    probe: i,
                    gen: p.gen,
                },
            );
        }
    }

    /// The newest instance of a container as the pod cache shows it: (id, exit if seen, started if seen).
    fn seen(&self, name: &str) -> Option<Seen> {
        let rec = self.containers.get(name)?;
        rec.instances
            .iter()
            .rev()
            .find(|i| i.created_at <= self.cache_time)
            .map(|i| Seen {
                id: i.id.clone(),
                exit: i
                    .exit
                    .as_ref()
                    .filter(|e| e.2 <= self.cache_time)
                    .map(|e| e.0),
                running: i.started_at.is_some_and(|s| s <= self.cache_time)
                    && i.exit.as_ref().is_none_or(|e| e.2 > self.cache_time),
            })
    }

    fn spec_container(&self, name: &str) -> Option<(&Container, bool)> {
        self.spec
            .init_containers
            .iter()
            .map(|c| (c, true))
            .chain(self.spec.containers.iter().map(|c| (c, false)))
            .find(|(c, _)| c.name == name)
    }

    /// The lifecycle hook running now in container `name`: (`postStart`|`preStop`, since, until).
    pub fn hook_running(&self, name: &str) -> Option<(&'static str, Option<Millis>, Millis)> {
        let steps = &self.active.as_ref()?.steps;
        let killer = |k: &Killer| match &k.phase {
            KillPhase::PreStop { until, started, .. } if k.container == name => {
                Some(("preStop", Some(*started), *until))
            }
            _ => None,
        };
        steps.iter().find_map(|s| match s {
            Step::Start {
                name: n,
                phase: StartPhase::PostStart { until, .. },
                ..
            } if n == name => Some(("postStart", None, *until)),
            Step::Kill(k) => killer(k),
            Step::KillAll(ks) => ks.iter().find_map(killer),
            _ => None,
        })
    }

    pub fn involved(&self, container: Option<&str>) -> Involved {
        let field_path = container.map(|c| {
            let init = self.spec.init_containers.iter().any(|ic| ic.name == c);
            if init {
                format!("spec.initContainers{{{c}}}")
            } else {
                format!("spec.containers{{{c}}}")
            }
        });
        Involved {
            kind: "Pod".into(),
            namespace: self.namespace.clone(),
            name: self.name.clone(),
            uid: self.uid.clone(),
            field_path,
        }
    }

    fn event(
        &self,
        cx: &mut Ctx,
        container: Option<&str>,
        type_: &'static str,
        reason: &str,
        message: String,
    ) {
        cx.cl
            .event("kubelet", self.involved(container), type_, reason, message);
    }

    fn pleg_notice(&self, cx: &mut Ctx) {
        let now = cx.cl.now();
        let at = cx
            .cl
            .nodes
            .get(&self.node)
            .map_or(now + SECOND, |n| n.next_relist_after(now));
        cx.cl.request_sync(self.slot, at);
    }

    pub(crate) fn backoff_key(&self, container: &str) -> String {
        format!(
            "{}_{}_{}_{}",
            self.name, self.namespace, self.uid, container
        )
    }

    /// Runs `f` on the newest instance of container `name`, with a network that reaches the rest of
    /// the cluster and, over localhost, this pod's other containers.
    fn in_container<R>(
        &mut self,
        name: &str,
        cx: &mut Ctx,
        f: impl FnOnce(&mut Instance, &mut PodEnv, &mut dyn podplay_runtime::World) -> R,
    ) -> Option<R> {
        let mut rec = self.containers.remove(name)?;
        let result = match rec.newest_mut() {
            Some(inst) => {
                // Only a pod with other live containers pays for a copy of its environment.
                let local = self
                    .containers
                    .values()
                    .any(|r| r.newest().is_some_and(|i| i.exit.is_none()))
                    .then(|| self.env.clone());
                let mut world = crate::world::NetView {
                    cl: &mut *cx.cl,
                    workers: &mut *cx.others,
                    from: self.env.ip,
                    local: local.map(|env| crate::world::Local {
                        containers: &mut self.containers,
                        env,
                    }),
                };
                Some(f(inst, &mut self.env, &mut world))
            }
            None => None,
        };
        self.containers.insert(name.to_string(), rec);
        result
    }

    // ---------------------------------------------------------------- sync

    /// `syncPod` (or `syncTerminatingPod` once the pod is being deleted).
    pub fn sync(&mut self, cx: &mut Ctx) {
        if self.terminated {
            return;
        }
        if self.active.is_some() {
            self.sync_pending = true;
            return;
        }
        // The pod worker reads the runtime from the PLEG cache, and waits for a relist newer
        // than its previous sync: syncs come at most once per relist, and see what it saw.
        let now = cx.cl.now();
        if let (Some(last), Some(node)) = (self.last_sync_end, cx.cl.nodes.get(&self.node)) {
            let earliest = node.next_relist_after(last);
            if now < earliest {
                cx.cl.request_sync(self.slot, earliest);
                return;
            }
            self.cache_time = node
                .next_relist_after(now - crate::cluster::PLEG_RELIST)
                .min(now);
        } else {
            self.cache_time = now;
        }
        if let Some(d) = self.spec.active_deadline_seconds {
            if !self.deadline_exceeded
                && now
                    >= self
                        .admitted_at
                        .saturating_add(podplay_api::time::seconds(d.max(0)))
                && !self.is_terminal_phase()
            {
                self.deadline_exceeded = true;
                self.event(
                    cx,
                    None,
                    "Normal",
                    "DeadlineExceeded",
                    "Pod was active on the node longer than the specified deadline".into(),
                );
            }
        }
        if self.deletion.is_some() || (self.deadline_exceeded && !self.is_terminal_phase()) {
            self.start_termination(cx);
            return;
        }
        self.write_status(cx, false);
        self.readiness_manual_triggers(cx);
        if self.is_terminal_phase() {
            self.stop_all_probes(true);
            self.last_sync_end = Some(now);
            return;
        }
        let steps = self.compute_pod_actions(cx);
        let mut active = ActiveSync {
            steps,
            ..Default::default()
        };
        for (name, rec) in &self.containers {
            if let Some(f) = rec
                .instances
                .iter()
                .rev()
                .find_map(|i| i.exit.as_ref().map(|e| e.2))
            {
                active.snapshot_finished.insert(name.clone(), f);
            }
        }
        self.active = Some(active);
        self.drive(cx);
    }

    fn is_terminal_phase(&self) -> bool {
        matches!(
            self.status.as_ref().and_then(|s| s.phase.as_deref()),
            Some("Succeeded") | Some("Failed")
        )
    }

    /// Runs the active sync's steps until one has to wait.
    pub fn drive(&mut self, cx: &mut Ctx) {
        loop {
            let Some(active) = self.active.as_mut() else {
                return;
            };
            if active.steps.is_empty() {
                break;
            }
            let mut step = active.steps.remove(0);
            match self.poll_step(&mut step, cx) {
                Poll::Done => continue,
                poll => {
                    if let Some(a) = self.active.as_mut() {
                        a.steps.insert(0, step);
                    }
                    if let Poll::At(t) = poll {
                        self.sync_gen += 1;
                        cx.cl.agenda.schedule(
                            t,
                            Task::Continue {
                                w: self.slot,
                                gen: self.sync_gen,
                            },
                        );
                    }
                    return;
                }
            }
        }
        self.finish_sync(cx);
    }

    pub fn on_continue(&mut self, gen: u64, cx: &mut Ctx) {
        if gen == self.sync_gen {
            self.drive(cx);
        }
    }

    fn finish_sync(&mut self, cx: &mut Ctx) {
        let Some(active) = self.active.take() else {
            return;
        };
        let now = cx.cl.now();
        self.last_sync_end = Some(now);
        if active.terminating {
            self.finish_termination(cx);
            return;
        }
        // reasonCache.Update: start errors are remembered, successful starts clear them.
        for name in &active.started_ok {
            self.reason_cache.remove(name);
        }
        for (name, err) in &active.errors {
            self.reason_cache.insert(name.clone(), err.clone());
        }
        // completeWork: an error requeues after Jitter(10 s, 0.5) (≤1.33); else resync in Jitter(1 min, 0.5).
        let delay = if active.failed {
            cx.cl.jitter.jitter(10 * SECOND, 50)
        } else {
            cx.cl.jitter.jitter(60 * SECOND, 50)
        };
        self.requeue_gen += 1;
        cx.cl.agenda.schedule(
            now + delay,
            Task::Requeue {
                w: self.slot,
                gen: self.requeue_gen,
            },
        );
        if self.sync_pending {
            self.sync_pending = false;
            self.sync(cx);
        }
    }

    // ---------------------------------------------------------------- actions

    fn should_restart(&self, exit_code: i32) -> bool {
        match self.spec.restart_policy() {
            "Never" => false,
            "OnFailure" => exit_code != 0,
            _ => true,
        }
    }

    /// `computePodActions` + `computeInitContainerActions`: what this sync will do.
    fn compute_pod_actions(&mut self, cx: &mut Ctx) -> Vec<Step> {
        let _ = cx;
        let mut steps = vec![];
        if !self.sandbox_ready {
            steps.push(Step::Sandbox { until: None });
        }
        let start = |name: &str, init: bool| Step::Start {
            name: name.to_string(),
            init,
            phase: StartPhase::Begin,
        };
        // Init containers, in order, until all are done (or a regular container has run).
        let any_app_started = self
            .spec
            .containers
            .iter()
            .any(|c| self.seen(&c.name).is_some());
        let inits = &self.spec.init_containers;
        if !any_app_started {
            for ic in inits {
                let sidecar = ic.is_sidecar();
                match self.seen(&ic.name) {
                    None => {
                        // The next init container waits until this one is done (a sidecar: started).
                        steps.push(start(&ic.name, true));
                        return steps;
                    }
                    Some(s) if s.exit.is_none() => {
                        if sidecar && s.running {
                            if let Some(kill) = self.probe_kill(&ic.name, &s.id, true) {
                                steps.push(kill);
                                steps.push(start(&ic.name, true));
                                return steps;
                            }
                            if self.started_by_probe(&ic.name, &s.id) {
                                continue;
                            }
                        }
                        return steps;
                    }
                    Some(s) => {
                        let code = s.exit.unwrap_or(0);
                        if !sidecar && code == 0 {
                            continue;
                        }
                        if sidecar || self.spec.restart_policy() != "Never" {
                            steps.push(start(&ic.name, true));
                        }
                        return steps;
                    }
                }
            }
        } else {
            // Sidecars keep being restarted after initialization.
            for ic in inits.iter().filter(|c| c.is_sidecar()) {
                if let Some(s) = self.seen(&ic.name) {
                    if s.exit.is_some() {
                        steps.push(start(&ic.name, true));
                    } else if let Some(kill) = self.probe_kill(&ic.name, &s.id, true) {
                        steps.push(kill);
                        steps.push(start(&ic.name, true));
                    }
                }
            }
        }
        for c in &self.spec.containers {
            match self.seen(&c.name) {
                None => steps.push(start(&c.name, false)),
                Some(s) if s.exit.is_none() => {
                    if let Some(kill) = self.probe_kill(&c.name, &s.id, false) {
                        let restart = self.should_restart(1);
                        steps.push(kill);
                        if restart {
                            steps.push(start(&c.name, false));
                        }
                    }
                }
                Some(s) => {
                    if self.should_restart(s.exit.unwrap_or(0)) {
                        steps.push(start(&c.name, false));
                    }
                }
            }
        }
        // When no regular container runs or will be started again, the pod is done: its
        // sidecars do not keep it alive; they are stopped, last started first (KEP-753).
        let app_done = !self.spec.containers.is_empty()
            && !steps
                .iter()
                .any(|st| matches!(st, Step::Start { init: false, .. }))
            && self
                .spec
                .containers
                .iter()
                .all(|c| self.seen(&c.name).is_some_and(|s| s.exit.is_some()));
        if app_done && any_app_started {
            steps.retain(|st| !matches!(st, Step::Start { init: true, .. }));
            let grace = self.spec.termination_grace_period();
            let killers: Vec<Killer> = self
                .spec
                .init_containers
                .iter()
                .rev()
                .filter(|c| c.is_sidecar() && self.is_running(&c.name))
                .map(|c| Killer {
                    container: c.name.clone(),
                    message: None,
                    grace_seconds: grace,
                    deadline: None,
                    phase: KillPhase::Begin,
                })
                .collect();
            if !killers.is_empty() {
                steps.push(Step::KillAll(killers));
            }
        }
        steps
    }

    /// A running container whose liveness or startup result is Failure is killed (§1.6).
    fn probe_kill(&self, name: &str, id: &str, sidecar: bool) -> Option<Step> {
        let failed = |kind| self.results.get(id, kind) == Some(ProbeResult::Failure);
        let what = if failed(ProbeKind::Liveness) {
            "liveness"
        } else if failed(ProbeKind::Startup) {
            "startup"
        } else {
            return None;
        };
        let message = if sidecar {
            format!("Init container {name} failed {what} probe")
        } else if self.should_restart(1) {
            format!("Container {name} failed {what} probe, will be restarted")
        } else {
            format!("Container {name} failed {what} probe")
        };
        // setTerminationGracePeriod: the probe's own grace period wins over the pod's.
        let kind = if what == "liveness" {
            ProbeKind::Liveness
        } else {
            ProbeKind::Startup
        };
        let probe_grace = self
            .probes
            .iter()
            .find(|p| p.container == name && p.kind == kind)
            .and_then(|p| p.probe.termination_grace_period_seconds);
        let grace = probe_grace.unwrap_or_else(|| self.spec.termination_grace_period());
        Some(Step::Kill(Killer {
            container: name.to_string(),
            message: Some(message),
            grace_seconds: grace,
            deadline: None,
            phase: KillPhase::Begin,
        }))
    }

    fn container_started(&self, name: &str, i: &Instance) -> bool {
        if i.exit.is_some() || i.started_at.is_none() {
            return false;
        }
        self.started_by_probe(name, &i.id)
    }

    /// `isContainerStarted`: the startup probe succeeded, or there is none.
    fn started_by_probe(&self, name: &str, id: &str) -> bool {
        match self.results.get(id, ProbeKind::Startup) {
            Some(r) => r == ProbeResult::Success,
            None => !self
                .probes
                .iter()
                .any(|p| p.container == name && p.kind == ProbeKind::Startup),
        }
    }

    fn poll_step(&mut self, step: &mut Step, cx: &mut Ctx) -> Poll {
        let now = cx.cl.now();
        match step {
            Step::Sandbox { until } => match until {
                None => {
                    if let Err(msg) = self.mount_volumes(cx) {
                        self.event(cx, None, "Warning", "FailedMount", msg);
                        if let Some(a) = self.active.as_mut() {
                            a.failed = true;
                            a.steps.clear();
                        }
                        return Poll::Done;
                    }
                    *until = Some(now + SANDBOX_CREATE);
                    Poll::At(now + SANDBOX_CREATE)
                }
                Some(t) if now >= *t => {
                    self.create_sandbox(cx);
                    Poll::Done
                }
                Some(t) => Poll::At(*t),
            },
            Step::Start { name, init, phase } => {
                let (name, init) = (name.clone(), *init);
                self.poll_start(&name, init, phase, cx)
            }
            Step::Kill(k) => self.poll_kill(k, cx),
            Step::KillAll(ks) => {
                let mut next: Option<Millis> = None;
                let mut all_done = true;
                for k in ks.iter_mut() {
                    match self.poll_kill(k, cx) {
                        Poll::Done => {}
                        Poll::At(t) => {
                            all_done = false;
                            next = Some(next.map_or(t, |n| n.min(t)));
                        }
                        Poll::Poked => all_done = false,
                    }
                }
                ks.retain(|k| {
                    !matches!(k.phase, KillPhase::Stopping { .. }) || self.is_running(&k.container)
                });
                if all_done {
                    Poll::Done
                } else {
                    next.map_or(Poll::Poked, Poll::At)
                }
            }
        }
    }

    fn mount_volumes(&mut self, cx: &mut Ctx) -> Result<(), String> {
        for v in &self.spec.volumes {
            let source = if let Some(cm) = &v.config_map {
                let cm_name = cm.name.clone().unwrap_or_default();
                match cx
                    .cl
                    .store
                    .config_maps
                    .get(&(self.namespace.clone(), cm_name.clone()))
                {
                    Some(obj) => VolumeSource::ConfigMap(obj.data.clone()),
                    None if cm.optional == Some(true) => VolumeSource::ConfigMap(BTreeMap::new()),
                    None => {
                        return Err(format!("MountVolume.SetUp failed for volume \"{}\" : configmap \"{cm_name}\" not found", v.name));
                    }
                }
            } else if let Some(sec) = &v.secret {
                let sname = sec.secret_name.clone().unwrap_or_default();
                match cx
                    .cl
                    .store
                    .secrets
                    .get(&(self.namespace.clone(), sname.clone()))
                {
                    Some(obj) => VolumeSource::Secret(crate::world::secret_data(obj)),
                    None if sec.optional == Some(true) => VolumeSource::Secret(BTreeMap::new()),
                    None => {
                        return Err(format!("MountVolume.SetUp failed for volume \"{}\" : secret \"{sname}\" not found", v.name));
                    }
                }
            } else if let Some(hp) = &v.host_path {
                VolumeSource::HostPath(hp.path.clone())
            } else if v.projected.is_some() && v.name.starts_with("kube-api-access-") {
                // The service account token volume: what `cat .../serviceaccount/namespace` reads.
                let mut files = BTreeMap::new();
                files.insert("namespace".to_string(), self.namespace.clone());
                files.insert(
                    "token".to_string(),
                    format!(
                        "eyJhbGciOiJSUzI1NiIsImtpZCI6InBvZHBsYXkifQ.{}.c2lnbmF0dXJl",
                        self.uid.replace('-', "")
                    ),
                );
                files.insert("ca.crt".to_string(), "-----BEGIN CERTIFICATE-----\nMIIBpodplaysimulatedclusterCA\n-----END CERTIFICATE-----\n".to_string());
                VolumeSource::Secret(files)
            } else {
                VolumeSource::EmptyDir
            };
            if !self.env.volumes.contains_key(&v.name) {
                self.env.add_volume(v.name.clone(), source);
            }
        }
        Ok(())
    }

    fn create_sandbox(&mut self, cx: &mut Ctx) {
        let Some(node) = cx.cl.nodes.get_mut(&self.node) else {
            return;
        };
        let ip = [10, 244, node.cidr_index, node.next_pod_ip];
        node.next_pod_ip = node.next_pod_ip.wrapping_add(1).max(2);
        self.env.ip = ip;
        self.pod_ip = Some(format!("10.244.{}.{}", ip[2], ip[3]));
        self.sandbox_ready = true;
        self.pleg_notice(cx);
    }

    fn image_of(&self, name: &str) -> String {
        self.spec_container(name)
            .and_then(|(c, _)| c.image.clone())
            .unwrap_or_default()
    }

    fn record_start_error(&mut self, name: &str, reason: &str, message: String) {
        if let Some(a) = self.active.as_mut() {
            a.errors
                .insert(name.to_string(), (reason.to_string(), message));
            a.failed = true;
        }
    }

    fn poll_start(&mut self, name: &str, init: bool, phase: &mut StartPhase, cx: &mut Ctx) -> Poll {
        let now = cx.cl.now();
        let image = self.image_of(name);
        match phase {
            StartPhase::Begin => {
                // doBackOff: measured from the newest exited instance in this sync's snapshot.
                let finished = self
                    .active
                    .as_ref()
                    .and_then(|a| a.snapshot_finished.get(name).copied());
                if let Some(finished) = finished {
                    let key = self.backoff_key(name);
                    let node = cx.cl.nodes.get_mut(&self.node);
                    if let Some(node) = node {
                        if node.crash_backoff.is_in_backoff_since(&key, finished, now) {
                            let backoff = podplay_kubectl::duration::go_duration(
                                node.crash_backoff.get(&key),
                            );
                            let pod = fmt_pod(&self.name, &self.namespace, &self.uid);
                            self.event(
                                cx,
                                Some(name),
                                "Warning",
                                "BackOff",
                                format!("Back-off restarting failed container {name} in pod {pod}"),
                            );
                            self.record_start_error(name, "CrashLoopBackOff", format!("back-off {backoff} restarting failed container={name} pod={pod}"));
                            return Poll::Done;
                        }
                        node.crash_backoff.next(&key, finished);
                    }
                }
                // EnsureImageExists (image_manager.go): the reference must parse; then what the
                // node has and the pull policy decide; a failed pull backs off before trying again.
                let policy = self
                    .spec_container(name)
                    .map(|(c, _)| c.image_pull_policy().to_string())
                    .unwrap_or_default();
                let resolved = podplay_runtime::Catalog::builtin().pull(&image);
                if let Err(e) = &resolved {
                    if e.reason == "InvalidImageName" {
                        let msg = e.message.clone();
                        self.event(cx, Some(name), "Warning", "InspectFailed", msg.clone());
                        self.event(
                            cx,
                            Some(name),
                            "Warning",
                            "Failed",
                            "Error: InvalidImageName".to_string(),
                        );
                        self.record_start_error(name, "InvalidImageName", msg);
                        return Poll::Done;
                    }
                }
                let present = cx
                    .cl
                    .nodes
                    .get(&self.node)
                    .is_some_and(|n| n.images.contains(&image));
                if present && policy != "Always" {
                    if let Ok(img) = resolved {
                        self.event(
                            cx,
                            Some(name),
                            "Normal",
                            "Pulled",
                            format!("Container image \"{image}\" already present on machine"),
                        );
                        return self.create_and_start(name, init, &img, phase, cx);
                    }
                }
                if policy == "Never" {
                    let msg = format!(
                        "Container image \"{image}\" is not present with pull policy of Never"
                    );
                    self.event(cx, Some(name), "Warning", "ErrImageNeverPull", msg.clone());
                    self.event(
                        cx,
                        Some(name),
                        "Warning",
                        "Failed",
                        "Error: ErrImageNeverPull".to_string(),
                    );
                    self.record_start_error(name, "ErrImageNeverPull", msg);
                    return Poll::Done;
                }
                let key = format!("{}_{}", self.uid, image);
                if let Some(node) = cx.cl.nodes.get(&self.node) {
                    let last = node.image_backoff.last_update(&key);
                    if last.is_some_and(|l| node.image_backoff.is_in_backoff_since(&key, l, now)) {
                        let prev = node
                            .last_pull_error
                            .get(&image)
                            .cloned()
                            .unwrap_or_default();
                        self.event(
                            cx,
                            Some(name),
                            "Normal",
                            "BackOff",
                            format!("Back-off pulling image \"{image}\""),
                        );
                        self.event(
                            cx,
                            Some(name),
                            "Warning",
                            "Failed",
                            "Error: ImagePullBackOff".to_string(),
                        );
                        self.record_start_error(
                            name,
                            "ImagePullBackOff",
                            format!("Back-off pulling image \"{image}\": ErrImagePull: {prev}"),
                        );
                        return Poll::Done;
                    }
                }
                self.event(
                    cx,
                    Some(name),
                    "Normal",
                    "Pulling",
                    format!("Pulling image \"{image}\""),
                );
                // A present image pulled again (policy Always) only re-resolves its manifest; a
                // registry that says "not found" answers about as fast.
                let took = match &resolved {
                    Ok(img) if !present => img.pull_millis(),
                    _ => 200 + cx.cl.jitter.between(0, 800),
                };
                *phase = StartPhase::Pulling {
                    started: now,
                    done_at: now + took,
                    image: resolved.map_err(|e| e.message),
                };
                Poll::At(now + took)
            }
            StartPhase::Pulling {
                started,
                done_at,
                image: img,
            } => {
                if now < *done_at {
                    return Poll::At(*done_at);
                }
                let img = match img {
                    Ok(img) => img.clone(),
                    Err(err) => {
                        let err = err.clone();
                        return self.pull_failed(name, &image, err, cx);
                    }
                };
                let took = podplay_kubectl::duration::go_duration(now - *started);
                self.event(
                    cx,
                    Some(name),
                    "Normal",
                    "Pulled",
                    format!("Successfully pulled image \"{image}\" in {took} ({took} including waiting). Image size: {} bytes.", img.size_bytes()),
                );
                if let Some(node) = cx.cl.nodes.get_mut(&self.node) {
                    node.images.insert(image.clone());
                }
                self.create_and_start(name, init, &img, phase, cx)
            }
            StartPhase::PostStart {
                exec,
                until,
                failure,
            } => {
                let done = match exec {
                    Some(id) => {
                        let r = self
                            .containers
                            .get(name)
                            .and_then(|r| r.newest())
                            .and_then(|i| i.rt.exec_result(*id));
                        match r {
                            Some(res) => {
                                if res.exit_code != 0 {
                                    let command = self
                                        .spec_container(name)
                                        .and_then(|(c, _)| c.lifecycle.as_ref())
                                        .and_then(|l| l.post_start.as_ref())
                                        .and_then(|h| h.exec.as_ref())
                                        .map(|e| e.command.clone())
                                        .unwrap_or_default();
                                    *failure = Some(self.exec_hook_error(
                                        name,
                                        &command,
                                        res.exit_code,
                                        &res.output,
                                    ));
                                }
                                true
                            }
                            None => !self.is_running(name),
                        }
                    }
                    None => now >= *until,
                };
                if !done {
                    return if exec.is_some() {
                        Poll::Poked
                    } else {
                        Poll::At(*until)
                    };
                }
                if let Some(msg) = failure.take() {
                    self.post_start_failed(name, msg, cx);
                } else {
                    self.started_ok(name);
                }
                Poll::Done
            }
        }
    }

    fn pull_failed(&mut self, name: &str, image: &str, err: String, cx: &mut Ctx) -> Poll {
        self.event(
            cx,
            Some(name),
            "Warning",
            "Failed",
            format!("Failed to pull image \"{image}\": {err}"),
        );
        self.event(
            cx,
            Some(name),
            "Warning",
            "Failed",
            "Error: ErrImagePull".to_string(),
        );
        let key = format!("{}_{}", self.uid, image);
        let now = cx.cl.now();
        if let Some(node) = cx.cl.nodes.get_mut(&self.node) {
            node.image_backoff.next(&key, now);
            node.last_pull_error.insert(image.to_string(), err.clone());
        }
        self.record_start_error(name, "ErrImagePull", err);
        Poll::Done
    }

    fn started_ok(&mut self, name: &str) {
        if let Some(a) = self.active.as_mut() {
            a.started_ok.insert(name.to_string());
        }
    }

    /// `makeEnvironmentVariables`: envFrom first, then env (later names win), resolving
    /// ConfigMap and Secret references; a missing one is the CreateContainerConfigError message.
    fn environment(&self, c: &Container, cx: &Ctx) -> Result<Vec<(String, String)>, String> {
        let ns = &self.namespace;
        let mut out: Vec<(String, String)> = vec![];
        let set = |out: &mut Vec<(String, String)>, k: String, v: String| {
            out.retain(|(n, _)| *n != k);
            out.push((k, v));
        };
        for src in &c.env_from {
            let prefix = src.prefix.clone().unwrap_or_default();
            if let Some(r) = &src.config_map_ref {
                let name = r.name.clone().unwrap_or_default();
                match cx.cl.store.config_maps.get(&(ns.clone(), name.clone())) {
                    Some(cm) => cm
                        .data
                        .iter()
                        .for_each(|(k, v)| set(&mut out, format!("{prefix}{k}"), v.clone())),
                    None if r.optional == Some(true) => {}
                    None => return Err(format!("configmap \"{name}\" not found")),
                }
            }
            if let Some(r) = &src.secret_ref {
                let name = r.name.clone().unwrap_or_default();
                match cx.cl.store.secrets.get(&(ns.clone(), name.clone())) {
                    Some(sec) => crate::world::secret_data(sec)
                        .into_iter()
                        .for_each(|(k, v)| set(&mut out, format!("{prefix}{k}"), v)),
                    None if r.optional == Some(true) => {}
                    None => return Err(format!("secret \"{name}\" not found")),
                }
            }
        }
        for e in &c.env {
            let value = match (&e.value, &e.value_from) {
                (Some(v), _) => Some(expand_env_refs(v, &out)),
                (None, Some(from)) => self.env_value_from(from, cx)?,
                (None, None) => Some(String::new()),
            };
            if let Some(v) = value {
                set(&mut out, e.name.clone(), v);
            }
        }
        Ok(out)
    }

    /// One `valueFrom`: Ok(None) when an optional reference is missing (the variable is unset).
    fn env_value_from(&self, from: &serde_json::Value, cx: &Ctx) -> Result<Option<String>, String> {
        let ns = &self.namespace;
        let field = |v: &serde_json::Value, f: &str| {
            v.get(f).and_then(|x| x.as_str()).unwrap_or("").to_string()
        };
        if let Some(r) = from.get("configMapKeyRef") {
            let (name, key) = (field(r, "name"), field(r, "key"));
            let optional = r.get("optional").and_then(|o| o.as_bool()) == Some(true);
            return match cx.cl.store.config_maps.get(&(ns.clone(), name.clone())) {
                Some(cm) => match cm.data.get(&key) {
                    Some(v) => Ok(Some(v.clone())),
                    None if optional => Ok(None),
                    None => Err(format!("couldn't find key {key} in ConfigMap {ns}/{name}")),
                },
                None if optional => Ok(None),
                None => Err(format!("configmap \"{name}\" not found")),
            };
        }
        if let Some(r) = from.get("secretKeyRef") {
            let (name, key) = (field(r, "name"), field(r, "key"));
            let optional = r.get("optional").and_then(|o| o.as_bool()) == Some(true);
            return match cx.cl.store.secrets.get(&(ns.clone(), name.clone())) {
                Some(sec) => match crate::world::secret_data(sec).remove(&key) {
                    Some(v) => Ok(Some(v)),
                    None if optional => Ok(None),
                    None => Err(format!("couldn't find key {key} in Secret {ns}/{name}")),
                },
                None if optional => Ok(None),
                None => Err(format!("secret \"{name}\" not found")),
            };
        }
        let path = from
            .pointer("/fieldRef/fieldPath")
            .and_then(|p| p.as_str())
            .unwrap_or("");
        Ok(Some(match path {
            "metadata.name" => self.name.clone(),
            "metadata.namespace" => self.namespace.clone(),
            "metadata.uid" => self.uid.clone(),
            "status.podIP" | "status.podIPs" => self.pod_ip.clone().unwrap_or_default(),
            "status.hostIP" | "status.hostIPs" => cx
                .cl
                .nodes
                .get(&self.node)
                .map(|n| n.ip.clone())
                .unwrap_or_default(),
            "spec.nodeName" => self.node.clone(),
            "spec.serviceAccountName" => self
                .spec
                .service_account_name
                .clone()
                .unwrap_or_else(|| "default".into()),
            _ => String::new(),
        }))
    }

    fn launch_for(&self, c: &Container, env: Vec<(String, String)>) -> Launch {
        let mounts = c
            .volume_mounts
            .iter()
            .map(|m| Mount {
                volume: m.name.clone(),
                mount_path: m.mount_path.clone(),
                read_only: m.read_only.unwrap_or(false),
                sub_path: m.sub_path.clone(),
            })
            .collect();
        let limit = |k: &str| c.resources.limits.get(k);
        Launch {
            name: c.name.clone(),
            command: c.command.clone(),
            args: c.args.clone(),
            env,
            working_dir: c.working_dir.clone(),
            ports: c
                .ports
                .iter()
                .map(|p| p.container_port.clamp(0, 65535) as u16)
                .collect(),
            mounts,
            memory_limit: limit("memory")
                .and_then(|q| q.bytes())
                .map(|b| b.max(0) as u64),
            cpu_limit_millis: limit("cpu")
                .and_then(|q| q.cpu_millis())
                .map(|m| m.max(0) as u64),
        }
    }

    fn create_and_start(
        &mut self,
        name: &str,
        _init: bool,
        image: &Image,
        phase: &mut StartPhase,
        cx: &mut Ctx,
    ) -> Poll {
        let now = cx.cl.now();
        let Some((spec, _)) = self.spec_container(name) else {
            return Poll::Done;
        };
        let spec = spec.clone();
        let restart_count = self
            .containers
            .get(name)
            .and_then(|r| r.newest())
            .map_or(0, |i| i.restart_count + 1);
        let id = format!(
            "{:016x}{:016x}{:016x}{:016x}",
            self.ids.next_u64(),
            self.ids.next_u64(),
            self.ids.next_u64(),
            self.ids.next_u64()
        );
        let env = match self.environment(&spec, cx) {
            Ok(env) => env,
            Err(msg) => {
                // generateContainerConfig failed: nothing is created.
                self.event(cx, Some(name), "Warning", "Failed", format!("Error: {msg}"));
                self.record_start_error(name, "CreateContainerConfigError", msg);
                return Poll::Done;
            }
        };
        let rt = RtContainer::new(image, self.launch_for(&spec, env));
        let created = crate::world::created_message(name);
        self.event(cx, Some(name), "Normal", "Created", created);
        let rec = self.containers.entry(name.to_string()).or_default();
        rec.instances.push(Instance {
            id: id.clone(),
            rt,
            image_id: image.image_id(),
            restart_count,
            created_at: now,
            started_at: None,
            exit: None,
            wake_at: None,
        });
        if rec.instances.len() > 2 {
            rec.instances.remove(0);
        }
        // StartContainer
        let Some(start) =
            self.in_container(name, cx, |inst, env, world| inst.rt.start(env, world, now))
        else {
            return Poll::Done;
        };
        if let Err(e) = start {
            let msg = e.message.clone();
            if let Some(inst) = self.containers.get_mut(name).and_then(|r| r.newest_mut()) {
                inst.exit = Some((128, "StartError".into(), now));
                inst.started_at = Some(now);
            }
            self.event(cx, Some(name), "Warning", "Failed", format!("Error: {msg}"));
            self.record_start_error(name, "RunContainerError", msg);
            self.pleg_notice(cx);
            return Poll::Done;
        }
        if let Some(inst) = self.containers.get_mut(name).and_then(|r| r.newest_mut()) {
            inst.started_at = Some(now);
        }
        self.event(
            cx,
            Some(name),
            "Normal",
            "Started",
            format!("Started container {name}"),
        );
        self.after_runtime_call(name, cx);
        self.pleg_notice(cx);
        // postStart runs synchronously: the pod worker is blocked until it returns.
        if let Some(hook) = spec.lifecycle.as_ref().and_then(|l| l.post_start.clone()) {
            let (exec, until, failure) = self.run_hook(name, &hook, cx);
            *phase = StartPhase::PostStart {
                exec,
                until,
                failure,
            };
            return Poll::At(now);
        }
        self.started_ok(name);
        Poll::Done
    }

    /// Starts a lifecycle handler; returns (exec process, end time for sleep, the handler's
    /// error if it failed at once).
    fn run_hook(
        &mut self,
        name: &str,
        hook: &podplay_api::types::LifecycleHandler,
        cx: &mut Ctx,
    ) -> (Option<ExecId>, Millis, Option<String>) {
        let now = cx.cl.now();
        if let Some(exec) = &hook.exec {
            if let Some(id) = self.in_container(name, cx, |inst, env, world| {
                inst.rt.exec(&exec.command, env, world, now)
            }) {
                self.after_runtime_call(name, cx);
                return (Some(id), now, None);
            }
            return (
                None,
                now,
                Some(self.exec_hook_error(name, &exec.command, 126, "container is not running")),
            );
        }
        if let Some(s) = &hook.sleep {
            return (
                None,
                now.saturating_add(podplay_api::time::seconds(s.seconds.max(0))),
                None,
            );
        }
        let pod = fmt_pod(&self.name, &self.namespace, &self.uid);
        let ip = DisplayIp(self.env.ip);
        if let Some(h) = &hook.http_get {
            let Some(port) = self.resolve_port(name, &h.port) else {
                return (None, now, Some(format!("HTTP lifecycle hook ({}) for Container \"{name}\" in Pod \"{pod}\" failed - error: {}", h.path(), port_error(&h.port))));
            };
            let failure = match self.serve_local(port, h.path(), cx) {
                Some(code) if (200..400).contains(&code) => None,
                Some(code) => Some(format!("HTTP lifecycle hook ({}) for Container \"{name}\" in Pod \"{pod}\" failed - error: HTTP status code {code}", h.path())),
                None => Some(format!(
                    "HTTP lifecycle hook ({}) for Container \"{name}\" in Pod \"{pod}\" failed - error: Get \"http://{ip}:{port}{}\": dial tcp {ip}:{port}: connect: connection refused",
                    h.path(),
                    h.path()
                )),
            };
            return (None, now, failure);
        }
        if let Some(t) = &hook.tcp_socket {
            let open = self
                .resolve_port(name, &t.port)
                .filter(|p| self.env.listener(*p).is_some());
            let failure = open.is_none().then(|| format!("TCPSocket lifecycle hook for Container \"{name}\" in Pod \"{pod}\" failed - error: dial tcp {ip}: connect: connection refused"));
            return (None, now, failure);
        }
        (None, now, None)
    }

    /// handlers.go's message for a failed exec hook: the command, the CRI's exit error, the output.
    fn exec_hook_error(&self, name: &str, command: &[String], code: i32, output: &str) -> String {
        let command = command.join(" ");
        format!(
            "Exec lifecycle hook ([{command}]) for Container \"{name}\" in Pod \"{}\" failed - error: command '{command}' exited with {code}: , message: {}",
            fmt_pod(&self.name, &self.namespace, &self.uid),
            podplay_api::yaml::go_quote(output)
        )
    }

    fn post_start_failed(&mut self, name: &str, msg: String, cx: &mut Ctx) {
        self.event(
            cx,
            Some(name),
            "Warning",
            "FailedPostStartHook",
            "PostStartHook failed".to_string(),
        );
        let grace = self.spec.termination_grace_period();
        // The kill (with preStop and grace) happens inside this sync, before the error is recorded.
        if let Some(a) = self.active.as_mut() {
            a.steps.insert(
                0,
                Step::Kill(Killer {
                    container: name.to_string(),
                    message: Some("FailedPostStartHook".into()),
                    grace_seconds: grace,
                    deadline: None,
                    phase: KillPhase::Begin,
                }),
            );
        }
        self.record_start_error(name, "PostStartHookError", msg);
    }

    fn is_running(&self, name: &str) -> bool {
        self.containers
            .get(name)
            .and_then(|r| r.running())
            .is_some()
    }

    fn poll_kill(&mut self, k: &mut Killer, cx: &mut Ctx) -> Poll {
        let now = cx.cl.now();
        let name = k.container.clone();
        loop {
            match &mut k.phase {
                KillPhase::Begin => {
                    if let Some(d) = k.deadline {
                        k.grace_seconds = (d - now).max(0) / SECOND;
                    }
                    let msg = k
                        .message
                        .clone()
                        .unwrap_or_else(|| format!("Stopping container {name}"));
                    self.event(cx, Some(&name), "Normal", "Killing", msg);
                    if !self.is_running(&name) {
                        return Poll::Done;
                    }
                    let pre_stop = self
                        .spec_container(&name)
                        .and_then(|(c, _)| c.lifecycle.as_ref())
                        .and_then(|l| l.pre_stop.clone());
                    match pre_stop {
                        Some(hook) if k.grace_seconds > 0 => {
                            let (exec, until, failure) = self.run_hook(&name, &hook, cx);
                            if failure.is_some() {
                                self.event(
                                    cx,
                                    Some(&name),
                                    "Warning",
                                    "FailedPreStopHook",
                                    "PreStopHook failed".to_string(),
                                );
                            }
                            let deadline =
                                now.saturating_add(podplay_api::time::seconds(k.grace_seconds));
                            let until = if exec.is_some() {
                                deadline
                            } else {
                                until.min(deadline)
                            };
                            k.phase = KillPhase::PreStop {
                                exec,
                                until,
                                started: now,
                            };
                        }
                        _ => {
                            self.send_stop_signal(&name, k.grace_seconds, k, cx);
                        }
                    }
                }
                KillPhase::PreStop {
                    exec,
                    until,
                    started,
                } => {
                    let finished = match exec {
                        Some(id) => {
                            let r = self
                                .containers
                                .get(&name)
                                .and_then(|r| r.newest())
                                .and_then(|i| i.rt.exec_result(*id));
                            if let Some(res) = &r {
                                if res.exit_code != 0 {
                                    self.event(
                                        cx,
                                        Some(&name),
                                        "Warning",
                                        "FailedPreStopHook",
                                        "PreStopHook failed".to_string(),
                                    );
                                }
                            }
                            r.is_some() || !self.is_running(&name)
                        }
                        None => false,
                    };
                    if !finished && now < *until {
                        return Poll::At(*until);
                    }
                    let elapsed = (now - *started) / SECOND;
                    let remaining = k.grace_seconds.saturating_sub(elapsed);
                    self.send_stop_signal(&name, remaining, k, cx);
                }
                KillPhase::Stopping { deadline } => {
                    if !self.is_running(&name) {
                        // StopContainer returns once the runtime has reaped the process.
                        let exited = self
                            .containers
                            .get(&name)
                            .and_then(|r| r.newest())
                            .and_then(|i| i.exit.as_ref())
                            .map_or(now, |e| e.2);
                        return if now >= exited + STOP_RETURN {
                            Poll::Done
                        } else {
                            Poll::At(exited + STOP_RETURN)
                        };
                    }
                    if now >= *deadline {
                        self.signal(&name, Signal::Kill, cx);
                        if self.is_running(&name) {
                            // A process that survives SIGKILL is impossible; record the kill.
                            self.record_exit(&name, 137, "Error", cx);
                        }
                        return Poll::At(now + STOP_RETURN);
                    }
                    return Poll::At(*deadline);
                }
            }
        }
    }

    fn send_stop_signal(&mut self, name: &str, grace_seconds: i64, k: &mut Killer, cx: &mut Ctx) {
        let grace = grace_seconds.max(MIN_GRACE_SECONDS);
        let sig = self
            .containers
            .get(name)
            .and_then(|r| r.newest())
            .map_or(Signal::Term, |i| i.rt.image().stop_signal());
        self.signal(name, sig, cx);
        k.phase = KillPhase::Stopping {
            deadline: cx
                .cl
                .now()
                .saturating_add(podplay_api::time::seconds(grace)),
        };
    }

    pub fn signal(&mut self, name: &str, sig: Signal, cx: &mut Ctx) {
        let now = cx.cl.now();
        if self
            .containers
            .get(name)
            .and_then(|r| r.newest())
            .is_none_or(|i| i.exit.is_some())
        {
            return;
        }
        self.in_container(name, cx, |inst, env, world| {
            inst.rt.signal(sig, env, world, now)
        });
        self.after_runtime_call(name, cx);
    }

    fn record_exit(&mut self, name: &str, code: i32, reason: &str, cx: &mut Ctx) {
        let now = cx.cl.now();
        if let Some(inst) = self.containers.get_mut(name).and_then(|r| r.newest_mut()) {
            if inst.exit.is_none() {
                inst.exit = Some((code, reason.to_string(), now));
            }
        }
        self.pleg_notice(cx);
    }

    /// After anything ran inside a container: notice PID 1's exit, and ask to be woken for timers.
    pub fn after_runtime_call(&mut self, name: &str, cx: &mut Ctx) {
        let mut exited = None;
        let mut wake = None;
        if let Some(inst) = self.containers.get_mut(name).and_then(|r| r.newest_mut()) {
            if inst.exit.is_none() {
                if let Some(e) = inst.rt.main_exit() {
                    inst.exit = Some((e.code, e.reason.to_string(), e.at));
                    exited = Some(inst.id.clone());
                }
            }
            if inst.exit.is_none() {
                if let Some(t) = inst.rt.next_wake() {
                    if inst.wake_at.is_none_or(|w| t < w || w < cx.cl.now()) {
                        inst.wake_at = Some(t);
                        wake = Some((t, inst.id.clone()));
                    }
                }
            }
        }
        if let Some((t, id)) = wake {
            cx.cl.agenda.schedule(
                t,
                Task::ContainerWake {
                    w: self.slot,
                    container: name.to_string(),
                    id,
                },
            );
        }
        if exited.is_some() {
            self.pleg_notice(cx);
        }
    }

    /// A container's timer fired.
    pub fn on_container_wake(&mut self, name: &str, id: &str, cx: &mut Ctx) {
        let now = cx.cl.now();
        {
            let Some(inst) = self.containers.get_mut(name).and_then(|r| r.newest_mut()) else {
                return;
            };
            if inst.id != id || inst.exit.is_some() {
                return;
            }
            if inst.wake_at == Some(now) {
                inst.wake_at = None;
            }
        }
        self.in_container(name, cx, |inst, env, world| {
            inst.rt.advance(env, world, now)
        });
        self.after_runtime_call(name, cx);
        self.poke(name, cx);
    }

    /// Something inside a container finished: in-flight probes and the active sync re-check.
    pub fn poke(&mut self, name: &str, cx: &mut Ctx) {
        let kinds: Vec<ProbeKind> = self
            .probes
            .iter()
            .filter(|p| p.container == name && p.in_flight.is_some())
            .map(|p| p.kind)
            .collect();
        for kind in kinds {
            self.finish_exec_probe(name, kind, false, cx);
        }
        if self.active.is_some() {
            self.drive(cx);
        }
    }

    // ---------------------------------------------------------------- status

    fn views(
        &self,
    ) -> (
        Vec<podplay_api::types::ContainerStatus>,
        Vec<podplay_api::types::ContainerStatus>,
    ) {
        let has_init = !self.spec.init_containers.is_empty();
        let empty = PodStatus::default();
        let prev = self.status.as_ref().unwrap_or(&empty);
        let view = |c: &Container, prev_list: &[podplay_api::types::ContainerStatus]| {
            let rec = self.containers.get(&c.name);
            let instances: Vec<InstanceView> = rec
                .map(|r| {
                    r.instances
                        .iter()
                        .rev()
                        .filter(|i| i.created_at <= self.cache_time)
                        .map(|i| InstanceView {
                            id: i.id.clone(),
                            restart_count: i.restart_count,
                            image: c.image.clone().unwrap_or_default(),
                            image_id: i.image_id.clone(),
                            started_at: i.started_at.filter(|s| *s <= self.cache_time),
                            exit: i.exit.clone().filter(|e| e.2 <= self.cache_time),
                            created_only: i.started_at.is_none_or(|s| s > self.cache_time),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let newest_id = instances.first().map(|i| i.id.clone()).unwrap_or_default();
            let has_readiness = self
                .probes
                .iter()
                .any(|p| p.container == c.name && p.kind == ProbeKind::Readiness);
            let ready = match self.results.get(&newest_id, ProbeKind::Readiness) {
                Some(r) => r == ProbeResult::Success,
                None => !has_readiness,
            };
            let started = rec
                .and_then(|r| r.newest())
                .is_some_and(|i| self.container_started(&c.name, i));
            let v = ContainerView {
                spec: c,
                instances,
                pending_error: self.reason_cache.get(&c.name).cloned(),
                ready: ready && started,
                started,
            };
            status::container_status(&v, has_init, prev_list.iter().find(|s| s.name == c.name))
        };
        let init = self
            .spec
            .init_containers
            .iter()
            .map(|c| view(c, &prev.init_container_statuses))
            .collect();
        let mut app: Vec<_> = self
            .spec
            .containers
            .iter()
            .map(|c| view(c, &prev.container_statuses))
            .collect();
        // The kubelet sorts container statuses by name.
        app.sort_by(|a, b| a.name.cmp(&b.name));
        (init, app)
    }

    /// generateAPIPodStatus + statusManager.SetPodStatus: writes only when something changed.
    /// Everything the generated status depends on, folded into one number: which instances the
    /// pod cache shows and in what state, the probe results, the reason cache, the pod's own
    /// flags. A periodic resync with nothing changed then costs a fold instead of a new status.
    fn status_signature(&self, terminal: bool) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut mix = |v: u64| {
            h ^= v;
            h = h.wrapping_mul(0x0100_0000_01b3).rotate_left(5);
        };
        for (name, rec) in &self.containers {
            mix(name.len() as u64);
            mix(name
                .bytes()
                .fold(0u64, |a, b| a.wrapping_mul(31).wrapping_add(b as u64)));
            for i in &rec.instances {
                if i.created_at > self.cache_time {
                    continue;
                }
                mix(u64::from_str_radix(i.id.get(..16).unwrap_or("0"), 16).unwrap_or(0));
                mix(i.restart_count as u64);
                mix(i
                    .started_at
                    .filter(|t| *t <= self.cache_time)
                    .map_or(u64::MAX, |t| t as u64));
                match i.exit.as_ref().filter(|e| e.2 <= self.cache_time) {
                    Some((code, reason, at)) => {
                        mix(*code as u64);
                        mix(reason.len() as u64);
                        mix(*at as u64);
                    }
                    None => mix(7),
                }
            }
        }
        mix(self.results.version);
        for (k, (r, m)) in &self.reason_cache {
            mix(k.len() as u64 ^ (r.len() as u64) << 16 ^ (m.len() as u64) << 32);
            mix(m
                .bytes()
                .fold(0u64, |a, b| a.wrapping_mul(31).wrapping_add(b as u64)));
        }
        mix(u64::from(self.sandbox_ready)
            | u64::from(self.terminated) << 1
            | u64::from(self.deadline_exceeded) << 2
            | u64::from(terminal) << 3
            | u64::from(self.pod_ip.is_some()) << 4
            | u64::from(self.deletion.is_some()) << 5);
        h
    }

    /// The next sync writes a full status even if nothing it knows of changed (a returning
    /// kubelet overwrites what the node controller wrote meanwhile).
    pub fn forget_status_signature(&mut self) {
        self.status_signature = None;
    }

    pub fn write_status(&mut self, cx: &mut Ctx, terminal: bool) {
        let signature = self.status_signature(terminal);
        if self.status.is_some() && self.status_signature == Some(signature) {
            return;
        }
        self.status_signature = Some(signature);
        let now = cx.cl.now();
        let (init, app) = self.views();
        let mut phase = status::pod_phase(&self.spec, &init, &app, terminal);
        if let Some(old) = self.status.as_ref().and_then(|s| s.phase.as_deref()) {
            // A terminal phase is never left.
            if old == "Succeeded" || old == "Failed" {
                phase = if old == "Succeeded" {
                    "Succeeded"
                } else {
                    "Failed"
                };
            }
        }
        let (reason, message) = if self.deadline_exceeded {
            phase = "Failed";
            (
                Some("DeadlineExceeded".to_string()),
                Some("Pod was active on the node longer than the specified deadline".to_string()),
            )
        } else {
            (None, None)
        };
        let mut conditions = status::pod_conditions(
            &self.spec,
            &init,
            &app,
            phase,
            self.sandbox_ready && !self.terminated,
            self.scheduled_at,
        );
        let (old_conditions, old_start) = match &self.status {
            Some(old) => (old.conditions.as_slice(), old.start_time),
            None => (&[][..], None),
        };
        status::stamp_transitions(&mut conditions, old_conditions, now);
        let host_ip = cx.cl.nodes.get(&self.node).map(|n| n.ip.clone());
        let new = PodStatus {
            reason,
            message,
            phase: Some(phase.to_string()),
            conditions,
            host_ip: host_ip.clone(),
            host_ips: host_ip
                .into_iter()
                .map(|ip| podplay_api::types::IpEntry { ip })
                .collect(),
            pod_ip: self.pod_ip.clone(),
            pod_ips: self
                .pod_ip
                .iter()
                .map(|ip| podplay_api::types::IpEntry { ip: ip.clone() })
                .collect(),
            start_time: Some(old_start.unwrap_or(Time(self.admitted_at))),
            init_container_statuses: init,
            container_statuses: app,
            qos_class: Some(status::qos_class(&self.spec).to_string()),
            ..Default::default()
        };
        if self.status.as_ref() == Some(&new) {
            return;
        }
        self.status = Some(new.clone());
        self.status_version += 1;
        cx.cl
            .write_pod_status(&self.namespace, &self.name, &self.uid, new);
    }

    /// UpdatePodStatus's manual trigger: a started container that is not (yet) ready has its
    /// readiness probe run at once, which also re-anchors that worker's ticker (§1.2).
    fn readiness_manual_triggers(&mut self, cx: &mut Ctx) {
        let now = cx.cl.now();
        let idx: Vec<usize> = (0..self.probes.len())
            .filter(|&i| {
                let p = &self.probes[i];
                if p.kind != ProbeKind::Readiness || p.stopped {
                    return false;
                }
                let Some(inst) = self.containers.get(&p.container).and_then(|r| r.running()) else {
                    return false;
                };
                self.container_started(&p.container, inst)
                    && self.results.get(&inst.id, ProbeKind::Readiness)
                        != Some(ProbeResult::Success)
            })
            .collect();
        for i in idx {
            self.probes[i].gen += 1;
            let gen = self.probes[i].gen;
            self.do_probe(i, cx);
            let period = self.probes[i].period();
            cx.cl.agenda.schedule(
                now + period,
                Task::ProbeTick {
                    w: self.slot,
                    probe: i,
                    gen,
                },
            );
        }
    }

    // ---------------------------------------------------------------- probes

    pub fn on_probe_tick(&mut self, i: usize, gen: u64, cx: &mut Ctx) {
        if self.probes.get(i).is_none_or(|p| p.gen != gen || p.stopped) {
            return;
        }
        let keep_going = self.do_probe(i, cx);
        if keep_going {
            let at = cx.cl.now() + self.probes[i].period();
            cx.cl.agenda.schedule(
                at,
                Task::ProbeTick {
                    w: self.slot,
                    probe: i,
                    gen,
                },
            );
        } else {
            self.probes[i].stopped = true;
        }
    }

    /// `worker.doProbe`: returns false when the worker should exit.
    fn do_probe(&mut self, i: usize, cx: &mut Ctx) -> bool {
        let now = cx.cl.now();
        let kind = self.probes[i].kind;
        // Steps 1–2: what the status manager says about the container, read without copying the
        // status (this runs on every tick of every probe).
        let cached = self.probes[i]
            .seen
            .filter(|(v, _)| *v == self.status_version)
            .map(|(_, t)| t);
        let (new_id, target) = if let Some(t) = cached {
            (None, t)
        } else {
            let Some(status) = self.status.as_ref() else {
                return true;
            };
            if matches!(status.phase.as_deref(), Some("Failed") | Some("Succeeded")) {
                return false;
            }
            let name = &self.probes[i].container;
            let Some(cs) = status
                .container_statuses
                .iter()
                .chain(status.init_container_statuses.iter())
                .find(|s| &s.name == name)
            else {
                return true;
            };
            let Some(cid) = cs
                .container_id
                .as_deref()
                .map(|c| c.trim_start_matches("containerd://"))
            else {
                return true;
            };
            let target = match &cs.state.running {
                Some(r) => Target::Running {
                    started_at: r.started_at.map_or(now, |t| t.0),
                    started: cs.started == Some(true),
                },
                None => Target::NotRunning {
                    terminated: cs.state.terminated.is_some(),
                },
            };
            let new_id =
                (self.probes[i].container_id.as_deref() != Some(cid)).then(|| cid.to_string());
            self.probes[i].seen = Some((self.status_version, target));
            (new_id, target)
        };
        // Step 3: a new container starts from the initial result.
        if let Some(cid) = new_id {
            if let Some(old) = self.probes[i].container_id.clone() {
                self.results.remove_container(&old);
            }
            self.probes[i].reset_for(&cid);
            if self.results.set(&cid, kind, kind.initial()) {
                self.on_result_changed(cx);
            }
        }
        let cid = std::mem::take(&mut self.probes[i].container_id).unwrap_or_default();
        let keep_going = self.do_probe_steps(i, &cid, target, cx);
        self.probes[i].container_id = Some(cid);
        keep_going
    }

    /// Steps 4–11 of doProbe for the container `cid` in the state the status manager reported.
    fn do_probe_steps(&mut self, i: usize, cid: &str, target: Target, cx: &mut Ctx) -> bool {
        let now = cx.cl.now();
        let kind = self.probes[i].kind;
        if self.probes[i].on_hold || self.probes[i].in_flight.is_some() {
            return true;
        }
        let (started_at, started) = match target {
            Target::NotRunning { terminated } => {
                if self.results.set(cid, kind, ProbeResult::Failure) {
                    self.on_result_changed(cx);
                }
                return !(terminated && self.spec.restart_policy() == "Never");
            }
            Target::Running {
                started_at,
                started,
            } => (started_at, started),
        };
        if self.deletion.is_some() && kind != ProbeKind::Readiness {
            self.results.set(cid, kind, ProbeResult::Success);
            return false;
        }
        if self.probes[i].initial_delay_pending(started_at, now) {
            return true;
        }
        if (kind == ProbeKind::Startup) == started {
            // A startup probe stops once started; the others wait for it.
            return true;
        }
        if let Some(outcome) = self.run_probe(i, cid, cx) {
            self.handle_outcome(i, cid, outcome, cx);
        }
        true
    }

    fn probe_event(&self, kind: ProbeKind, name: &str, outcome: &Outcome, cx: &mut Ctx) {
        match outcome {
            Outcome::Failure(out) => self.event(
                cx,
                Some(name),
                "Warning",
                "Unhealthy",
                format!(
                    "{} probe failed: {}",
                    kind.title(),
                    out.trim_end_matches('\n')
                ),
            ),
            Outcome::Warning(out) => self.event(
                cx,
                Some(name),
                "Warning",
                "ProbeWarning",
                format!("{} probe warning: {}", kind.title(), out),
            ),
            Outcome::Error(e) => self.event(
                cx,
                Some(name),
                "Warning",
                "Unhealthy",
                format!(
                    "{} probe errored and resulted in unknown state: {}",
                    kind.title(),
                    e
                ),
            ),
            Outcome::Success => {}
        }
    }

    fn handle_outcome(&mut self, i: usize, cid: &str, outcome: Outcome, cx: &mut Ctx) {
        let now = cx.cl.now();
        let (name, kind) = (self.probes[i].container.clone(), self.probes[i].kind);
        self.probe_event(kind, &name, &outcome, cx);
        let result = match outcome {
            Outcome::Success | Outcome::Warning(_) => ProbeResult::Success,
            Outcome::Failure(_) => ProbeResult::Failure,
            Outcome::Error(_) => return,
        };
        if let Some(published) = self.probes[i].count(result, now) {
            if self.results.set(cid, kind, published) {
                self.on_result_changed(cx);
            }
        }
    }

    fn on_result_changed(&mut self, cx: &mut Ctx) {
        let now = cx.cl.now();
        cx.cl.request_sync(self.slot, now);
    }

    /// The port probe `i` targets (a number needs no lookup of the container's named ports).
    fn probe_port(&self, i: usize, port: &podplay_api::types::IntOrString) -> Option<u16> {
        match port {
            podplay_api::types::IntOrString::Int(n) => u16::try_from(*n).ok(),
            podplay_api::types::IntOrString::String(_) => {
                self.resolve_port(&self.probes[i].container, port)
            }
        }
    }

    fn resolve_port(&self, container: &str, port: &podplay_api::types::IntOrString) -> Option<u16> {
        match port {
            podplay_api::types::IntOrString::Int(n) => u16::try_from(*n).ok(),
            podplay_api::types::IntOrString::String(s) => {
                if let Ok(n) = s.parse::<u16>() {
                    return Some(n);
                }
                let c = self.spec_container(container)?.0;
                c.ports
                    .iter()
                    .find(|p| p.name.as_deref() == Some(s))
                    .and_then(|p| u16::try_from(p.container_port).ok())
            }
        }
    }

    /// Serves an HTTP GET on the pod's own IP: whichever container listens on the port answers.
    /// An HTTP probe on the pod's own IP, with the probe worker's request.
    fn probe_local(
        &mut self,
        port: u16,
        req: &podplay_runtime::HttpRequest,
        cx: &mut Ctx,
    ) -> Option<u16> {
        let now = cx.cl.now();
        let (containers, env) = (&mut self.containers, &mut self.env);
        let owner = env.listener(port)?;
        let inst = containers
            .get_mut(owner)
            .and_then(|r| r.newest_mut())
            .filter(|i| i.exit.is_none())?;
        // The kubelet reaches the pod from the node's end of the pod network (the .1 gateway).
        let gateway = [env.ip[0], env.ip[1], env.ip[2], 1];
        inst.rt.probe_http(port, req, gateway, env, now)
    }

    fn serve_local(&mut self, port: u16, path: &str, cx: &mut Ctx) -> Option<u16> {
        let now = cx.cl.now();
        let (containers, env) = (&mut self.containers, &mut self.env);
        let owner = env.listener(port)?;
        let inst = containers
            .get_mut(owner)
            .and_then(|r| r.newest_mut())
            .filter(|i| i.exit.is_none())?;
        let req = podplay_runtime::HttpRequest {
            method: "GET".into(),
            path: path.to_string(),
            host: format!("{}:{port}", crate::world::ip_string(env.ip)),
            headers: vec![("Accept".into(), "*/*".into())],
            user_agent: "kube-probe/1.33".into(),
        };
        // The kubelet reaches the pod from the node's end of the pod network (the .1 gateway).
        let gateway = [env.ip[0], env.ip[1], env.ip[2], 1];
        inst.rt.probe_http(port, &req, gateway, env, now)
    }

    /// httpGet, tcpSocket and grpc probes: they answer at once (the pod's IP reaches its containers).
    fn run_network_probe(
        &mut self,
        i: usize,
        probe: &podplay_api::types::Probe,
        cx: &mut Ctx,
    ) -> Option<Outcome> {
        // Formatted only into failure messages: a passing probe allocates nothing for it.
        let ip = DisplayIp(self.env.ip);
        if let Some(h) = &probe.http_get {
            let Some(port) = self.probe_port(i, &h.port) else {
                return Some(Outcome::Error(port_error(&h.port)));
            };
            let req = match &self.probes[i].http_request {
                // The probe's spec and the pod's IP are fixed for the pod's life.
                Some(r) => std::rc::Rc::clone(r),
                _ => {
                    let r = std::rc::Rc::new(podplay_runtime::HttpRequest {
                        method: "GET".into(),
                        path: h.path().to_string(),
                        host: format!("{ip}:{port}"),
                        headers: vec![("Accept".into(), "*/*".into())],
                        user_agent: "kube-probe/1.33".into(),
                    });
                    self.probes[i].http_request = Some(std::rc::Rc::clone(&r));
                    r
                }
            };
            return Some(match self.probe_local(port, &req, cx) {
                Some(code) if (200..400).contains(&code) => Outcome::Success,
                Some(code) => {
                    Outcome::Failure(format!("HTTP probe failed with statuscode: {code}"))
                }
                None => Outcome::Failure(format!(
                    "Get \"{}://{ip}:{port}{}\": dial tcp {ip}:{port}: connect: connection refused",
                    h.scheme().to_lowercase(),
                    h.path()
                )),
            });
        }
        if let Some(t) = &probe.tcp_socket {
            let Some(port) = self.probe_port(i, &t.port) else {
                return Some(Outcome::Error(port_error(&t.port)));
            };
            return Some(if self.env.listener(port).is_some() {
                Outcome::Success
            } else {
                Outcome::Failure(format!("dial tcp {ip}:{port}: connect: connection refused"))
            });
        }
        if let Some(g) = &probe.grpc {
            let port = u16::try_from(g.port).unwrap_or(0);
            return Some(if self.env.listener(port).is_some() {
                Outcome::Success
            } else {
                Outcome::Failure(format!("timeout: failed to connect service \"{ip}:{port}\" within {}s: context deadline exceeded", probe.timeout()))
            });
        }
        Some(Outcome::Error("missing probe handler".into()))
    }

    /// Runs the probe action; None while an exec probe is still running.
    fn run_probe(&mut self, i: usize, cid: &str, cx: &mut Ctx) -> Option<Outcome> {
        let now = cx.cl.now();
        let probe = std::rc::Rc::clone(&self.probes[i].probe);
        if probe.exec.is_none() {
            return self.run_network_probe(i, &probe, cx);
        }
        let name = self.probes[i].container.clone();
        let alive = self
            .containers
            .get(&name)
            .and_then(|r| r.newest())
            .is_some_and(|inst| inst.id == cid && inst.exit.is_none());
        if let Some(exec) = &probe.exec {
            if !alive {
                return Some(Outcome::Error("rpc error: code = Unknown desc = failed to exec in container: container is in CONTAINER_EXITED state".into()));
            }
            let id = self.in_container(&name, cx, |inst, env, world| {
                inst.rt.exec(&exec.command, env, world, now)
            })?;
            self.after_runtime_call(&name, cx);
            let res = self
                .containers
                .get(&name)
                .and_then(|r| r.newest())
                .and_then(|inst| inst.rt.exec_result(id));
            return match res {
                Some(r) => Some(if r.exit_code == 0 {
                    Outcome::Success
                } else {
                    Outcome::Failure(r.output)
                }),
                None => {
                    self.probes[i].in_flight = Some((id.0, cid.to_string(), now));
                    let p = &self.probes[i];
                    cx.cl.agenda.schedule(
                        now + p.timeout(),
                        Task::ProbeTimeout {
                            w: self.slot,
                            probe: i,
                            gen: p.gen,
                        },
                    );
                    None
                }
            };
        }
        Some(Outcome::Error("missing probe handler".into()))
    }

    /// An exec probe finished or timed out.
    pub fn finish_exec_probe(
        &mut self,
        name: &str,
        kind: ProbeKind,
        timed_out: bool,
        cx: &mut Ctx,
    ) {
        let Some(i) = self
            .probes
            .iter()
            .position(|p| p.container == name && p.kind == kind)
        else {
            return;
        };
        let Some((exec_id, cid, _)) = self.probes[i].in_flight.clone() else {
            return;
        };
        let id = ExecId(exec_id);
        let res = self
            .containers
            .get(name)
            .and_then(|r| r.newest())
            .filter(|inst| inst.id == cid)
            .and_then(|inst| inst.rt.exec_result(id));
        let outcome = match res {
            Some(r) if r.exit_code == 0 => Outcome::Success,
            Some(r) => Outcome::Failure(r.output),
            None if timed_out => {
                if let Some(inst) = self.containers.get_mut(name).and_then(|r| r.newest_mut()) {
                    inst.rt.kill_exec(id);
                }
                let cmd = self.probes[i]
                    .probe
                    .exec
                    .as_ref()
                    .map(|e| e.command.join(" "))
                    .unwrap_or_default();
                Outcome::Failure(format!("command \"{cmd}\" timed out"))
            }
            None => {
                if self
                    .containers
                    .get(name)
                    .and_then(|r| r.newest())
                    .is_some_and(|inst| inst.id == cid && inst.exit.is_none())
                {
                    return;
                }
                Outcome::Error("container exited while the probe ran".into())
            }
        };
        self.probes[i].in_flight = None;
        self.handle_outcome(i, &cid, outcome, cx);
    }

    pub fn on_probe_timeout(&mut self, i: usize, gen: u64, cx: &mut Ctx) {
        if let Some(p) = self.probes.get(i).filter(|p| p.gen == gen) {
            let (name, kind) = (p.container.clone(), p.kind);
            self.finish_exec_probe(&name, kind, true, cx);
        }
    }

    fn stop_all_probes(&mut self, readiness_too: bool) {
        for p in &mut self.probes {
            if readiness_too || p.kind != ProbeKind::Readiness {
                p.stopped = true;
                p.gen += 1;
            }
        }
    }

    // ---------------------------------------------------------------- termination

    /// The API set deletionTimestamp: `syncTerminatingPod`.
    pub fn request_deletion(&mut self, grace_seconds: i64, cx: &mut Ctx) {
        let grace = match &self.deletion {
            Some(d) => d.grace_seconds.min(grace_seconds),
            None => grace_seconds,
        };
        self.deletion = Some(Deletion {
            grace_seconds: grace.max(0),
        });
        if self.active.as_ref().is_some_and(|a| a.terminating) {
            return;
        }
        // A deletion cancels whatever the worker was doing.
        self.active = None;
        self.sync_gen += 1;
        self.sync(cx);
    }

    fn start_termination(&mut self, cx: &mut Ctx) {
        self.write_status(cx, false);
        // StopLivenessAndStartup: readiness keeps probing until the containers are gone.
        self.stop_all_probes(false);
        let grace = self
            .deletion
            .as_ref()
            .map_or(30, |d| d.grace_seconds)
            .max(1);
        // killPod: the main containers (and any regular init container) in parallel; sidecars
        // after them, last started first, within what is left of the grace period (KEP-753).
        let now = cx.cl.now();
        let killer = |n: &str, grace_seconds: i64, deadline: Option<Millis>| Killer {
            container: n.to_string(),
            message: None,
            grace_seconds,
            deadline,
            phase: KillPhase::Begin,
        };
        let mains: Vec<Killer> = self
            .spec
            .containers
            .iter()
            .chain(self.spec.init_containers.iter().filter(|c| !c.is_sidecar()))
            .filter(|c| self.is_running(&c.name))
            .map(|c| killer(&c.name, grace, None))
            .collect();
        let mut steps = vec![Step::KillAll(mains)];
        let deadline = now.saturating_add(podplay_api::time::seconds(grace));
        for c in self
            .spec
            .init_containers
            .iter()
            .rev()
            .filter(|c| c.is_sidecar())
        {
            if self.is_running(&c.name) {
                steps.push(Step::Kill(killer(&c.name, grace, Some(deadline))));
            }
        }
        self.active = Some(ActiveSync {
            steps,
            terminating: true,
            ..Default::default()
        });
        self.drive(cx);
    }

    fn finish_termination(&mut self, cx: &mut Ctx) {
        // SyncTerminatingPod asks the runtime directly (GetPodStatus) after killPod, not the cache.
        self.cache_time = cx.cl.now();
        self.stop_all_probes(true);
        self.reason_cache.clear();
        self.write_status(cx, true);
        self.terminated = true;
        self.sandbox_ready = false;
        let now = cx.cl.now();
        let at = cx
            .cl
            .nodes
            .get(&self.node)
            .map_or(now + SECOND, |n| n.next_relist_after(now));
        cx.cl.agenda.schedule(
            at,
            Task::RemovePod {
                uid: self.uid.clone(),
            },
        );
    }

    /// kubectl exec: runs a command in a container; None if the container is not running.
    pub fn exec(&mut self, name: &str, argv: &[String], cx: &mut Ctx) -> Option<ExecId> {
        let now = cx.cl.now();
        if self
            .containers
            .get(name)
            .and_then(|r| r.newest())
            .is_none_or(|i| i.exit.is_some() || i.started_at.is_none())
        {
            return None;
        }
        let id = self.in_container(name, cx, |inst, env, world| {
            inst.rt.exec(argv, env, world, now)
        })?;
        self.after_runtime_call(name, cx);
        // The exec may have changed what probes and hooks see.
        self.poke(name, cx);
        Some(id)
    }
}

/// `ResolveContainerPort`: a name that no port has falls back to `strconv.Atoi`, whose error is
/// what the probe reports.
fn port_error(p: &podplay_api::types::IntOrString) -> String {
    match p {
        podplay_api::types::IntOrString::Int(n) => format!("invalid port number: {n}"),
        podplay_api::types::IntOrString::String(s) => {
            format!("strconv.Atoi: parsing \"{s}\": invalid syntax")
        }
    }
}

/// `$(VAR)` references in an env value expand to variables defined before it; `$$(VAR)` escapes.
fn expand_env_refs(v: &str, defined: &[(String, String)]) -> String {
    let mut out = String::new();
    let mut rest = v;
    while let Some(i) = rest.find("$(") {
        if rest[..i].ends_with('$') {
            out.push_str(&rest[..i - 1]);
            out.push_str("$(");
            rest = &rest[i + 2..];
            continue;
        }
        out.push_str(&rest[..i]);
        match rest[i + 2..].find(')') {
            Some(j) => {
                let name = &rest[i + 2..i + 2 + j];
                match defined.iter().find(|(k, _)| k == name) {
                    Some((_, val)) => out.push_str(val),
                    None => out.push_str(&rest[i..i + 3 + j]),
                }
                rest = &rest[i + 3 + j..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::expand_env_refs;

    #[test]
    fn env_values_expand_earlier_variables_and_keep_unknown_ones() {
        let defined = vec![("A".to_string(), "x".to_string())];
        assert_eq!(expand_env_refs("$(A)-$(B)", &defined), "x-$(B)");
        assert_eq!(expand_env_refs("$$(A)", &defined), "$(A)");
    }
}

/// An IPv4 address that formats itself only when printed.
#[derive(Clone, Copy)]
struct DisplayIp([u8; 4]);

impl std::fmt::Display for DisplayIp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}.{}", self.0[0], self.0[1], self.0[2], self.0[3])
    }
}
