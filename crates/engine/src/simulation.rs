//! The public face of the engine: a `Simulation` takes manifests, kubectl commands and `sim`
//! actions, advances virtual time, and appends what a user would see to its trace.

use podplay_api::time::Millis;
use podplay_api::types::{
    EndpointAddress, EndpointPort, EndpointSubset, Endpoints, IntOrString, Namespace, Node, Object,
    ObjectMeta, ObjectReference, Pod, PodCondition, PodStatus, Service, Time, Toleration,
};
use podplay_kubectl::printers::get::{node_row, pod_row, service_row};
use std::collections::{BTreeMap, BTreeSet};

use crate::cluster::{default_nodes, Cluster, Task};
use crate::events::Involved;
use crate::kubelet::worker::PodWorker;
use crate::scheduler::{self, Decision};
use crate::sim::rng::Stream;
use crate::store::{key_of, Key};
use crate::trace::Record;
use crate::world::Ctx;

#[derive(Clone)]
pub struct Simulation {
    pub cl: Cluster,
    pub workers: crate::kubelet::workers::Workers,
    pub(crate) scheduler_pick: Stream,
    pub(crate) name_suffix: Stream,
    /// Pods whose API object changed since the last trace rows were computed.
    dirty_pods: BTreeSet<Key>,
    dirty_endpoints: bool,
    /// Pods changed since the endpoints pass, and what each Service listed then.
    endpoints_scope: crate::endpoints_scope::EndpointsScope,
    pub(crate) dirty_workloads: bool,
    /// `kubectl create|apply --record`: the change-cause written into each applied object.
    pub(crate) record_change_cause: Option<String>,
    /// Workloads that pod changes concern, synced at the end of the settle step.
    pub(crate) workload_queue: BTreeSet<crate::controllers::WorkloadKey>,
    /// Scripted actions: (time, line), in the order they run.
    pub(crate) script: Vec<(Millis, String)>,
    pub(crate) script_dir: Option<std::path::PathBuf>,
    /// Files `kubectl apply|delete -f` can name without a disk: the playground's editor content.
    pub files: BTreeMap<String, String>,
    /// kubectl execs still running, whose output is reported when they finish.
    pub(crate) pending_execs: Vec<crate::commands::PendingExec>,
    /// `kubectl get -w` commands of the script that keep printing changes.
    pub(crate) watchers: Vec<crate::commands::Watcher>,
    /// Attached `kubectl run`s waiting for their pod to finish.
    pub(crate) pending_runs: Vec<crate::commands::PendingRun>,
    /// `kubectl rollout status` commands still watching their Deployment.
    pub(crate) pending_rollouts: Vec<crate::commands::rollout::PendingRolloutStatus>,
    /// Tasks handled so far: the simulated events the benchmarks count.
    tasks: u64,
    /// metrics-server's latest scrape and the `sim load` on Services.
    pub(crate) metrics: crate::metrics::MetricsServer,
    /// The HPA controller's per-HPA memory.
    pub(crate) autoscalers: crate::controllers::hpa::Autoscalers,
    /// The Job and CronJob controllers' memory.
    pub(crate) batch: crate::controllers::batch::BatchState,
    /// Node lifecycle, taint eviction and drain state.
    pub(crate) sched: crate::controllers::sched_hooks::SchedState,
}

impl Cluster {
    /// The status manager's write: the pod's status in the API changes (and the world reacts).
    pub fn write_pod_status(&mut self, ns: &str, name: &str, uid: &str, status: PodStatus) {
        let key = (ns.to_string(), name.to_string());
        let Some(mut pod) = self.store.pods.remove(&key) else {
            return;
        };
        if pod.metadata.uid.as_deref() != Some(uid) {
            self.store.pods.insert(key, pod);
            return;
        }
        let mut status = status;
        // The scheduler owns PodScheduled; keep its transition time.
        if let Some(old) = pod.status.as_ref() {
            status.nominated_node_name = old.nominated_node_name.clone();
        }
        pod.status = Some(status);
        self.store.stamp_update(&mut pod.metadata);
        self.store.pods.insert(key.clone(), pod);
        self.dirty.insert(key);
    }
}

impl Simulation {
    pub fn new(seed: u64) -> Simulation {
        let mut cl = Cluster::new(seed);
        for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
            let mut n = Namespace {
                api_version: Some("v1".into()),
                kind: Some("Namespace".into()),
                metadata: ObjectMeta {
                    name: Some(ns.into()),
                    ..Default::default()
                },
                ..Default::default()
            };
            n.metadata
                .labels
                .insert("kubernetes.io/metadata.name".into(), ns.into());
            cl.store.stamp_create(&mut n.metadata, 0);
            cl.store.namespaces.insert(ns.into(), n);
        }
        let mut sim = Simulation {
            cl,
            workers: Default::default(),
            scheduler_pick: Stream::new(seed, "scheduler"),
            name_suffix: Stream::new(seed, "name-suffix"),
            dirty_pods: BTreeSet::new(),
            dirty_endpoints: false,
            endpoints_scope: Default::default(),
            dirty_workloads: false,
            record_change_cause: None,
            workload_queue: BTreeSet::new(),
            script: vec![],
            script_dir: None,
            files: BTreeMap::new(),
            pending_execs: vec![],
            watchers: vec![],
            pending_runs: vec![],
            pending_rollouts: vec![],
            tasks: 0,
            metrics: Default::default(),
            autoscalers: Default::default(),
            batch: Default::default(),
            sched: Default::default(),
        };
        let mut kubernetes = Service::default();
        kubernetes.metadata.name = Some("kubernetes".into());
        kubernetes.metadata.namespace = Some("default".into());
        kubernetes
            .metadata
            .labels
            .insert("component".into(), "apiserver".into());
        kubernetes
            .metadata
            .labels
            .insert("provider".into(), "kubernetes".into());
        kubernetes.spec.cluster_ip = Some("10.96.0.1".into());
        kubernetes.spec.type_ = Some("ClusterIP".into());
        kubernetes.spec.ports.push(podplay_api::types::ServicePort {
            name: Some("https".into()),
            protocol: Some("TCP".into()),
            port: 443,
            target_port: Some(IntOrString::Int(6443)),
            ..Default::default()
        });
        let _ = sim.create_service(kubernetes);
        let mut dns = Service::default();
        dns.metadata.name = Some("kube-dns".into());
        dns.metadata.namespace = Some("kube-system".into());
        dns.spec.cluster_ip = Some("10.96.0.10".into());
        dns.spec.type_ = Some("ClusterIP".into());
        for (n, p, proto) in [
            ("dns", 53, "UDP"),
            ("dns-tcp", 53, "TCP"),
            ("metrics", 9153, "TCP"),
        ] {
            dns.spec.ports.push(podplay_api::types::ServicePort {
                name: Some(n.into()),
                protocol: Some(proto.into()),
                port: p,
                target_port: Some(IntOrString::Int(p)),
                ..Default::default()
            });
        }
        let _ = sim.create_service(dns);
        sim.start_metrics_server();
        sim
    }

    pub fn now(&self) -> Millis {
        self.cl.now()
    }

    /// How many simulated events (agenda tasks: probe ticks, syncs, timers, ...) have run.
    pub fn tasks_processed(&self) -> u64 {
        self.tasks
    }

    pub fn trace(&self) -> &[Record] {
        &self.cl.trace
    }

    /// Adds the default teaching cluster unless `objects` bring their own nodes.
    pub fn ensure_nodes(&mut self, objects: &[Object]) {
        if self.cl.store.nodes.is_empty() && !objects.iter().any(|o| matches!(o, Object::Node(_))) {
            for n in default_nodes() {
                self.add_node(n);
            }
        }
    }

    pub fn add_node(&mut self, mut node: Node) {
        let name = node.metadata.name.clone().unwrap_or_default();
        let now = self.now();
        self.cl.store.stamp_create(&mut node.metadata, now);
        if node.status.conditions.is_empty() {
            node.status.conditions = crate::cluster::node_conditions(now);
        }
        if node.status.node_info.is_none() {
            node.status.node_info = default_nodes()
                .into_iter()
                .next()
                .and_then(|n| n.status.node_info);
        }
        if node.status.capacity.is_empty() {
            node.status.capacity = default_nodes().remove(1).status.capacity;
            node.status.allocatable = node.status.capacity.clone();
        }
        self.cl.add_node_agent(&node);
        self.cl.store.nodes.insert(name, node);
        self.emit_node_rows();
        self.cl.request_schedule();
    }

    // ------------------------------------------------------------------ the loop

    /// Runs everything due up to and including `until`, then sets the clock there.
    pub fn run_until(&mut self, until: Millis) {
        while let Some((_, task)) = self.cl.agenda.pop_until(until) {
            self.tasks += 1;
            self.handle(task);
            self.settle();
        }
        self.cl.agenda.advance_to(until);
    }

    /// Runs at most `max` of the tasks due by `until`, each followed by the controllers' reaction,
    /// and returns how many ran. The clock stays at the last task's moment (a busy moment can be
    /// split across calls: the order of tasks is the same, so the outcome is too); `run_until`
    /// finishes what is left.
    pub fn run_tasks(&mut self, until: Millis, max: u64) -> u64 {
        let mut n = 0;
        while n < max {
            let Some((_, task)) = self.cl.agenda.pop_until(until) else {
                break;
            };
            self.tasks += 1;
            self.handle(task);
            self.settle();
            n += 1;
        }
        n
    }

    /// Runs the next moment that has something due; returns it.
    pub fn step(&mut self) -> Option<Millis> {
        let t = self.cl.agenda.peek_time()?;
        self.run_until(t);
        Some(t)
    }

    pub fn next_time(&self) -> Option<Millis> {
        self.cl.agenda.peek_time()
    }

    /// Runs `f` on the worker in `slot`, lending it the rest of the cluster.
    fn at_worker(&mut self, slot: usize, f: impl FnOnce(&mut PodWorker, &mut Ctx)) {
        let Some(mut w) = self.workers.take(slot) else {
            return;
        };
        {
            let mut cx = Ctx {
                cl: &mut self.cl,
                others: &mut self.workers,
            };
            f(&mut w, &mut cx);
        }
        self.workers.put(w);
    }

    pub(crate) fn with_worker(&mut self, uid: &str, f: impl FnOnce(&mut PodWorker, &mut Ctx)) {
        if let Some(slot) = self.workers.slot_of(uid) {
            self.at_worker(slot, f);
        }
    }

    fn handle(&mut self, task: Task) {
        let now = self.now();
        let Some(task) = self.park_if_kubelet_down(task) else {
            return;
        };
        match task {
            Task::Sync { w } => {
                self.cl.pending_syncs.remove(&(w, now));
                self.at_worker(w, |w, cx| w.sync(cx));
            }
            Task::Requeue { w, gen } => self.at_worker(w, |w, cx| {
                if w.requeue_gen == gen {
                    w.sync(cx)
                }
            }),
            Task::Continue { w, gen } => self.at_worker(w, |w, cx| w.on_continue(gen, cx)),
            Task::ContainerWake { w, container, id } => {
                self.at_worker(w, |w, cx| w.on_container_wake(&container, &id, cx))
            }
            Task::ProbeTick { w, probe, gen } => {
                self.at_worker(w, |w, cx| w.on_probe_tick(probe, gen, cx))
            }
            Task::ProbeTimeout { w, probe, gen } => {
                self.at_worker(w, |w, cx| w.on_probe_timeout(probe, gen, cx))
            }
            Task::Delete { uid, grace_seconds } => {
                self.with_worker(&uid, |w, cx| w.request_deletion(grace_seconds, cx))
            }
            Task::Schedule => {
                self.cl.schedule_pending = false;
                self.schedule_pending_pods();
            }
            Task::RemovePod { uid } => self.remove_pod_object(&uid),
            Task::Script { index } => self.run_script_line(index),
            Task::Workloads => {
                self.cl.workload_timers.remove(&now);
                self.dirty_workloads = true;
            }
            Task::HpaSync { namespace, name } => self.sync_hpa(&namespace, &name),
            Task::MetricsScrape => self.scrape_metrics(),
            Task::JobSync { namespace, name } => self.on_job_sync_task(namespace, name),
            Task::CronJobSync { namespace, name } => self.on_cron_job_sync_task(namespace, name),
            Task::Sched(t) => self.handle_sched_task(t),
        }
        self.check_pending_execs();
        self.check_pending_runs();
        self.after_task_sched();
    }

    /// After each task: the controllers that watch pods react (they may create or delete pods, which
    /// they react to in turn), and the trace records what changed.
    fn settle(&mut self) {
        for _ in 0..16 {
            let mut batch_dirty = false;
            self.reconcile_sched_controllers();
            let dirty: Vec<Key> = std::mem::take(&mut self.cl.dirty).into_iter().collect();
            self.dirty_pods.extend(dirty);
            if self.dirty_pods.is_empty() && !self.dirty_workloads {
                break;
            }
            if !self.dirty_pods.is_empty() {
                // Only the Services these pods concern recompute (endpoints_scope.rs).
                self.endpoints_scope
                    .changed
                    .extend(self.dirty_pods.iter().cloned());
                // Only the workloads these pods concern sync (controllers/workqueue.rs).
                match self.workloads_for_pods(&self.dirty_pods) {
                    Some(keys) => self.workload_queue.extend(keys),
                    None => self.dirty_workloads = true,
                }
                // The Job controller watches its pods too.
                batch_dirty |= self.cl.store.has_other_kind("Job");
            }
            let keys: Vec<Key> = std::mem::take(&mut self.dirty_pods).into_iter().collect();
            for k in keys {
                self.emit_pod_row(&k);
            }
            if std::mem::take(&mut self.dirty_workloads) {
                self.workload_queue.clear();
                self.reconcile_workloads();
                self.reconcile_batch();
            } else {
                if !self.workload_queue.is_empty() {
                    let queue = std::mem::take(&mut self.workload_queue);
                    self.reconcile_workloads_for(queue);
                }
                if batch_dirty {
                    self.reconcile_batch();
                }
            }
        }
        // No `distribute_load` here: a container's load is read only by metrics-server's
        // scrape (`Container::usage`), which spreads the load itself first, so spreading it
        // on every pod change (a thousand workers each time) changed nothing anyone saw.
        if std::mem::take(&mut self.dirty_endpoints) {
            self.endpoints_scope.changed.clear();
            self.reconcile_endpoints(true);
        } else if !self.endpoints_scope.changed.is_empty() {
            self.reconcile_endpoints(false);
            self.endpoints_scope.changed.clear();
        }
        self.feed_watchers();
        self.check_pending_rollouts();
    }

    // ------------------------------------------------------------------ objects

    /// `kubectl apply` of one object: returns kubectl's line (`pod/web created`) or its error.
    pub fn apply_object(&mut self, obj: Object, source: &str) -> Result<String, String> {
        let result = self.apply_object_inner(obj, source);
        // What the write changed is seen (and recorded) before anything reacts to it.
        self.settle();
        result
    }

    fn apply_object_inner(&mut self, obj: Object, source: &str) -> Result<String, String> {
        let kind = obj.kind().to_string();
        let ns_required = !matches!(obj, Object::Node(_) | Object::Namespace(_));
        let mut meta = obj.metadata().clone();
        if ns_required && meta.namespace.is_none() {
            meta.namespace = Some("default".into());
        }
        let ns = meta.namespace.clone().unwrap_or_default();
        if ns_required && !self.cl.store.namespace_exists(&ns) {
            return Err(format!("Error from server (NotFound): error when creating \"{source}\": namespaces \"{ns}\" not found"));
        }
        if ns_required && self.namespace_terminating(&ns) {
            let name = meta.name.clone().unwrap_or_default();
            let plural = podplay_kubectl::resource::Kind::resolve(obj.kind())
                .map(|k| k.qualified_plural())
                .unwrap_or_else(|| obj.kind().to_lowercase());
            return Err(format!("Error from server (Forbidden): error when creating \"{source}\": {plural} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated"));
        }
        let name = meta.name.clone().unwrap_or_default();
        let lower = kind.to_lowercase();
        match obj {
            Object::Pod(mut pod) => {
                pod.metadata.namespace = Some(ns.clone());
                let key = (ns.clone(), name.clone());
                if let Some(existing) = self.cl.store.pods.get(&key) {
                    if existing.metadata.deletion_timestamp.is_some() {
                        return Err(format!("Error from server (Forbidden): error when applying patch:\nto:\nResource: \"/v1, Resource=pods\", GroupVersionKind: \"/v1, Kind=Pod\"\nName: \"{name}\", Namespace: \"{ns}\"\nfor: \"{source}\": pods \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated"));
                    }
                    return self.update_pod(key, pod);
                }
                self.create_pod(pod);
                Ok(format!("pod/{name} created"))
            }
            Object::Service(mut svc) => {
                svc.metadata.namespace = Some(ns.clone());
                if let Some(existing) = self
                    .cl
                    .store
                    .services
                    .get(&(ns.clone(), name.clone()))
                    .cloned()
                {
                    let mut updated = existing.clone();
                    updated.metadata.labels = svc.metadata.labels.clone();
                    updated.metadata.annotations = svc.metadata.annotations.clone();
                    updated.spec.selector = svc.spec.selector.clone();
                    updated.spec.ports = svc.spec.ports.clone();
                    updated.spec.publish_not_ready_addresses = svc.spec.publish_not_ready_addresses;
                    crate::services::apply_update(&mut updated, &svc, &existing, &mut self.cl)?;
                    if updated == existing {
                        return Ok(format!("service/{name} unchanged"));
                    }
                    self.cl.store.stamp_update(&mut updated.metadata);
                    self.cl.store.services.insert((ns, name.clone()), updated);
                    self.dirty_endpoints = true;
                    return Ok(format!("service/{name} configured"));
                }
                self.create_service(svc)
                    .map(|_| format!("service/{name} created"))
            }
            Object::Namespace(mut n) => {
                if self.cl.store.namespaces.contains_key(&name) {
                    return Ok(format!("namespace/{name} unchanged"));
                }
                n.metadata
                    .labels
                    .insert("kubernetes.io/metadata.name".into(), name.clone());
                let now = self.now();
                self.cl.store.stamp_create(&mut n.metadata, now);
                self.cl.store.namespaces.insert(name.clone(), n);
                Ok(format!("namespace/{name} created"))
            }
            Object::ConfigMap(mut cm) => {
                cm.metadata.namespace = Some(ns.clone());
                let verb = self.upsert(
                    |s| &mut s.config_maps,
                    (ns, name.clone()),
                    cm,
                    |c| &mut c.metadata,
                );
                Ok(format!("configmap/{name} {verb}"))
            }
            Object::Secret(mut sec) => {
                sec.metadata.namespace = Some(ns.clone());
                let verb = self.upsert(
                    |s| &mut s.secrets,
                    (ns, name.clone()),
                    sec,
                    |c| &mut c.metadata,
                );
                Ok(format!("secret/{name} {verb}"))
            }
            Object::Node(node) => {
                if self.cl.store.nodes.contains_key(&name) {
                    return Ok(format!("node/{name} unchanged"));
                }
                self.add_node(node);
                Ok(format!("node/{name} created"))
            }
            Object::Endpoints(mut ep) => {
                ep.metadata.namespace = Some(ns.clone());
                let verb = self.upsert(
                    |s| &mut s.endpoints,
                    (ns, name.clone()),
                    ep,
                    |c| &mut c.metadata,
                );
                Ok(format!("endpoints/{name} {verb}"))
            }
            Object::Event(_) => Ok(format!("event/{name} created")),
            Object::Other(mut o) => {
                if ns_required {
                    o.metadata.namespace = Some(ns.clone());
                }
                let group = o
                    .api_version
                    .split_once('/')
                    .map(|(g, _)| format!(".{g}"))
                    .unwrap_or_default();
                crate::controllers::admission::default_and_validate(&mut o)?;
                let k = (kind.clone(), ns, name.clone());
                let now = self.now();
                let existing = self.cl.store.others.get(&k).cloned();
                let verb = match existing {
                    Some(old) => {
                        let mut merged = old.clone();
                        merged.metadata.labels = o.metadata.labels.clone();
                        merged
                            .metadata
                            .annotations
                            .extend(o.metadata.annotations.clone());
                        for (f, v) in &o.body {
                            if f != "status" {
                                merged.body.insert(f.clone(), v.clone());
                            }
                        }
                        crate::controllers::admission::bump_generation(&old, &mut merged);
                        if merged == old {
                            "unchanged"
                        } else {
                            self.cl.store.versions.stamp(&mut merged.metadata);
                            self.cl.store.others.insert(k.clone(), merged);
                            "configured"
                        }
                    }
                    None => {
                        o.body.remove("status");
                        if kind == "Deployment" || kind == "ReplicaSet" {
                            o.metadata.generation = Some(1);
                        }
                        self.cl.store.stamp_create(&mut o.metadata, now);
                        crate::controllers::batch::prepare_for_create(&mut o).map_err(|e| {
                            format!("Error from server (Invalid): error when creating \"{source}\": {e}")
                        })?;
                        self.cl.store.others.insert(k.clone(), o);
                        "created"
                    }
                };
                if kind == "Deployment"
                    || kind == "ReplicaSet"
                    || kind == "DaemonSet"
                    || kind == "StatefulSet"
                {
                    self.dirty_workloads = true;
                } else if kind == "HorizontalPodAutoscaler" {
                    if verb == "created" {
                        self.hpa_created(&k.1, &name);
                    }
                } else if crate::controllers::batch::is_batch_kind(&kind) {
                    self.dirty_workloads = true;
                    if verb != "unchanged" {
                        self.on_batch_object_created(&kind, &k.1, &k.2);
                    }
                } else if verb == "created" {
                    self.cl.trace.push(Record::Note {
                        t: now,
                        message: format!("{kind} \"{name}\" is stored but not simulated yet: podplay simulates Pods, Deployments and ReplicaSets, Jobs and CronJobs, HorizontalPodAutoscalers, Services, Endpoints, Nodes, Namespaces, ConfigMaps and Secrets for now"),
                    });
                }
                Ok(format!("{lower}{group}/{name} {verb}"))
            }
        }
    }

    fn upsert<T: Clone + PartialEq>(
        &mut self,
        map: impl Fn(&mut crate::store::Store) -> &mut BTreeMap<Key, T>,
        key: Key,
        mut obj: T,
        meta: impl Fn(&mut T) -> &mut ObjectMeta,
    ) -> &'static str {
        let now = self.now();
        let existing = map(&mut self.cl.store).get(&key).cloned();
        match existing {
            Some(mut old) => {
                let (uid, created) = (
                    meta(&mut old).uid.clone(),
                    meta(&mut old).creation_timestamp,
                );
                let rv = meta(&mut old).resource_version.clone();
                {
                    let m = meta(&mut obj);
                    m.uid = uid;
                    m.creation_timestamp = created;
                    m.resource_version = rv;
                }
                if obj == old {
                    return "unchanged";
                }
                self.cl.store.stamp_update(meta(&mut obj));
                map(&mut self.cl.store).insert(key, obj);
                "configured"
            }
            None => {
                self.cl.store.stamp_create(meta(&mut obj), now);
                map(&mut self.cl.store).insert(key, obj);
                "created"
            }
        }
    }

    fn update_pod(&mut self, key: Key, pod: Pod) -> Result<String, String> {
        let Some(existing) = self.cl.store.pods.get(&key).cloned() else {
            return Err(String::new());
        };
        let name = key.1.clone();
        let mut incoming = pod.spec.clone();
        // Fields the apiserver defaulted or admission added are not the user's changes.
        incoming.node_name = existing.spec.node_name.clone();
        incoming.tolerations = existing.spec.tolerations.clone();
        incoming.volumes = existing.spec.volumes.clone();
        incoming.service_account_name = existing.spec.service_account_name.clone();
        for (c, old) in incoming
            .containers
            .iter_mut()
            .zip(&existing.spec.containers)
        {
            c.volume_mounts = old.volume_mounts.clone();
        }
        for (c, old) in incoming
            .init_containers
            .iter_mut()
            .zip(&existing.spec.init_containers)
        {
            c.volume_mounts = old.volume_mounts.clone();
        }
        let labels_same = existing.metadata.labels == pod.metadata.labels
            && existing.metadata.annotations == pod.metadata.annotations;
        if incoming == existing.spec && labels_same {
            return Ok(format!("pod/{name} unchanged"));
        }
        if incoming != existing.spec {
            return Err(format!(
                "The Pod \"{name}\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"
            ));
        }
        let mut updated = existing;
        updated.metadata.labels = pod.metadata.labels;
        updated.metadata.annotations = pod.metadata.annotations;
        self.cl.store.stamp_update(&mut updated.metadata);
        self.cl.store.pods.insert(key.clone(), updated);
        self.cl.store.index_pod_owners(&key);
        self.cl.dirty.insert(key);
        Ok(format!("pod/{name} configured"))
    }

    /// The apiserver's part of creating a pod: defaults and admission, then the scheduler's turn.
    pub fn create_pod(&mut self, mut pod: Pod) {
        let now = self.now();
        let ns = pod
            .metadata
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into());
        pod.metadata.namespace = Some(ns.clone());
        if pod.metadata.name.is_none() {
            if let Some(prefix) = pod.metadata.generate_name.clone() {
                pod.metadata.name = Some(format!("{prefix}{}", self.random_suffix(5)));
            }
        }
        // ServiceAccount admission: the projected token volume every pod gets.
        if pod.spec.service_account_name.is_none() {
            pod.spec.service_account_name = Some("default".into());
        }
        if pod.spec.automount_service_account_token != Some(false) {
            let vol_name = format!("kube-api-access-{}", self.random_suffix(5));
            pod.spec.volumes.push(podplay_api::types::Volume {
                name: vol_name.clone(),
                projected: Some(serde_json::json!({"defaultMode": 420, "sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                    {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                    {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}
                ]})),
                ..Default::default()
            });
            for c in pod
                .spec
                .containers
                .iter_mut()
                .chain(pod.spec.init_containers.iter_mut())
            {
                c.volume_mounts.push(podplay_api::types::VolumeMount {
                    name: vol_name.clone(),
                    mount_path: "/var/run/secrets/kubernetes.io/serviceaccount".into(),
                    read_only: Some(true),
                    ..Default::default()
                });
            }
        }
        // DefaultTolerationSeconds admission.
        for key in [
            "node.kubernetes.io/not-ready",
            "node.kubernetes.io/unreachable",
        ] {
            let tolerated = pod.spec.tolerations.iter().any(|t| {
                (t.key.as_deref() == Some(key)
                    || t.key.as_deref().unwrap_or("").is_empty()
                        && t.operator.as_deref() == Some("Exists"))
                    && t.effect
                        .as_deref()
                        .is_none_or(|e| e.is_empty() || e == "NoExecute")
            });
            if !tolerated {
                pod.spec.tolerations.push(Toleration {
                    key: Some(key.into()),
                    operator: Some("Exists".into()),
                    effect: Some("NoExecute".into()),
                    toleration_seconds: Some(300),
                    ..Default::default()
                });
            }
        }
        pod.status = Some(PodStatus {
            phase: Some("Pending".into()),
            qos_class: Some(crate::kubelet::status::qos_class(&pod.spec).to_string()),
            ..Default::default()
        });
        self.cl.store.stamp_create(&mut pod.metadata, now);
        let seq = self.cl.created_seq.len() as u64 + 1;
        self.cl
            .created_seq
            .insert(pod.metadata.uid.clone().unwrap_or_default(), seq);
        let key = key_of(&pod.metadata);
        let bound_node = pod.spec.node_name.clone();
        self.cl.store.pods.insert(key.clone(), pod);
        self.cl.store.index_pod_owners(&key);
        self.cl.dirty.insert(key.clone());
        match bound_node {
            Some(node) => self.admit(&key, &node, None),
            None => self.cl.request_schedule(),
        }
    }

    pub fn random_suffix(&mut self, n: usize) -> String {
        // apimachinery's rand.String alphabet: no vowels, no confusable characters.
        const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
        (0..n)
            .map(|_| {
                ALPHABET[(self.name_suffix.next_u64() % ALPHABET.len() as u64) as usize] as char
            })
            .collect()
    }

    pub fn create_service(&mut self, mut svc: Service) -> Result<(), String> {
        let now = self.now();
        let ns = svc
            .metadata
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into());
        svc.metadata.namespace = Some(ns.clone());
        if svc.spec.type_.is_none() {
            svc.spec.type_ = Some("ClusterIP".into());
        }
        if svc.spec.cluster_ip.as_deref().is_none_or(|s| s.is_empty()) {
            let used: BTreeSet<String> = self
                .cl
                .store
                .services
                .values()
                .filter_map(|s| s.spec.cluster_ip.clone())
                .collect();
            let ip = loop {
                let n = self.cl.service_ips.between(11, 65_000);
                let ip = format!("10.96.{}.{}", n / 254, n % 254 + 1);
                if !used.contains(&ip) {
                    break ip;
                }
            };
            svc.spec.cluster_ip = Some(ip);
        }
        svc.spec.cluster_ips = svc.spec.cluster_ip.iter().cloned().collect();
        if svc.spec.session_affinity.is_none() {
            svc.spec.session_affinity = Some("None".into());
        }
        if svc.spec.type_.as_deref() == Some("NodePort")
            || svc.spec.type_.as_deref() == Some("LoadBalancer")
        {
            if svc.spec.external_traffic_policy.is_none() {
                svc.spec.external_traffic_policy = Some("Cluster".into());
            }
        }
        for p in svc.spec.ports.iter_mut() {
            if p.protocol.is_none() {
                p.protocol = Some("TCP".into());
            }
            if p.target_port.is_none() {
                p.target_port = Some(IntOrString::Int(p.port));
            }
        }
        let used = crate::services::used_node_ports(&self.cl.store, None);
        crate::services::assign_node_ports(&mut svc, &mut self.cl.service_ips, used, None)?;
        self.cl.store.stamp_create(&mut svc.metadata, now);
        let key = key_of(&svc.metadata);
        self.cl.store.services.insert(key, svc.clone());
        self.emit_service_row(&svc);
        self.dirty_endpoints = true;
        Ok(())
    }

    // ------------------------------------------------------------------ scheduler

    fn schedule_pending_pods(&mut self) {
        // The scheduling queue: higher priority first, then the order pods were created in
        // (PrioritySort), not the order of their names.
        let mut pending: Vec<(i32, u64, Key)> = self
            .cl
            .store
            .pods
            .iter()
            .filter(|(_, p)| p.spec.node_name.is_none() && p.metadata.deletion_timestamp.is_none())
            .map(|(k, p)| {
                (
                    -p.spec.priority.unwrap_or(0),
                    self.cl
                        .created_seq
                        .get(p.metadata.uid.as_deref().unwrap_or(""))
                        .copied()
                        .unwrap_or(0),
                    k.clone(),
                )
            })
            .collect();
        if pending.is_empty() {
            // Nothing to place: skip the per-node usage pass over every bound pod.
            return;
        }
        pending.sort();
        let pending: Vec<Key> = pending.into_iter().map(|(_, _, k)| k).collect();
        // What each node already holds: computed once per pass, updated as pods are bound.
        let mut usage: BTreeMap<String, scheduler::NodeUsage> = BTreeMap::new();
        for p in self.cl.store.pods.values() {
            if let Some(n) = &p.spec.node_name {
                if !matches!(
                    p.status.as_ref().and_then(|s| s.phase.as_deref()),
                    Some("Succeeded") | Some("Failed")
                ) {
                    usage.entry(n.clone()).or_default().add(p);
                }
            }
        }
        for key in pending {
            let Some(pod) = self.cl.store.pods.get(&key).cloned() else {
                continue;
            };
            if !pod.spec.scheduling_gates.is_empty() {
                // The SchedulingGates PreEnqueue plugin keeps the pod out of the queue.
                self.mark_unscheduled(
                    &key,
                    "SchedulingGated",
                    "Scheduling is blocked due to non-empty scheduling gates",
                );
                continue;
            }
            let pick = &mut self.scheduler_pick;
            let bound: Vec<&Pod> = self
                .cl
                .store
                .pods
                .values()
                .filter(|p| p.spec.node_name.is_some() && !crate::scheduler::is_terminal(p))
                .collect();
            let services: Vec<&Service> = self.cl.store.services.values().collect();
            let view = scheduler::View {
                nodes: &self.cl.store.nodes,
                usage: &usage,
                pods: &bound,
                services: &services,
            };
            let (decision, verdicts) = scheduler::schedule_explained(&pod, &view, &mut |n| {
                (pick.next_u64() % n.max(1) as u64) as usize
            });
            let uid = pod.metadata.uid.clone().unwrap_or_default();
            if matches!(decision, Decision::Bind(_)) {
                self.cl.node_verdicts.remove(&uid);
            } else {
                self.cl.node_verdicts.insert(uid, verdicts);
            }
            let involved = Involved {
                kind: "Pod".into(),
                namespace: key.0.clone(),
                name: key.1.clone(),
                uid: pod.metadata.uid.clone().unwrap_or_default(),
                field_path: None,
            };
            match decision {
                Decision::Bind(node) => {
                    usage.entry(node.clone()).or_default().add(&pod);
                    self.cl.event(
                        "default-scheduler",
                        involved,
                        "Normal",
                        "Scheduled",
                        format!("Successfully assigned {}/{} to {node}", key.0, key.1),
                    );
                    let now = self.now();
                    if let Some(p) = self.cl.store.pods.get_mut(&key) {
                        p.spec.node_name = Some(node.clone());
                        let st = p.status.get_or_insert_with(Default::default);
                        st.conditions.retain(|c| c.type_ != "PodScheduled");
                        st.conditions.push(PodCondition {
                            type_: "PodScheduled".into(),
                            status: "True".into(),
                            last_transition_time: Some(Time(now)),
                            ..Default::default()
                        });
                        self.cl.store.versions.stamp(&mut p.metadata);
                    }
                    self.cl.dirty.insert(key.clone());
                    self.admit(&key, &node, Some(now));
                }
                Decision::Unschedulable(msg) => {
                    // A retry that fails for the same reasons records nothing new.
                    if self.mark_unscheduled(&key, "Unschedulable", &msg) {
                        self.cl.event(
                            "default-scheduler",
                            involved,
                            "Warning",
                            "FailedScheduling",
                            msg,
                        );
                    }
                }
            }
        }
    }

    /// Sets PodScheduled=False with `reason` unless it already says so; true when it changed.
    fn mark_unscheduled(&mut self, key: &Key, reason: &str, message: &str) -> bool {
        let now = self.now();
        let Some(p) = self.cl.store.pods.get_mut(key) else {
            return false;
        };
        let st = p.status.get_or_insert_with(Default::default);
        let same = st.conditions.iter().any(|c| {
            c.type_ == "PodScheduled"
                && c.status == "False"
                && c.reason.as_deref() == Some(reason)
                && c.message.as_deref() == Some(message)
        });
        if same {
            return false;
        }
        st.conditions.retain(|c| c.type_ != "PodScheduled");
        st.conditions.push(PodCondition {
            type_: "PodScheduled".into(),
            status: "False".into(),
            reason: Some(reason.into()),
            message: Some(message.into()),
            last_transition_time: Some(Time(now)),
            ..Default::default()
        });
        self.cl.store.versions.stamp(&mut p.metadata);
        self.cl.dirty.insert(key.clone());
        true
    }

    /// The kubelet on `node` sees the pod bound to it (HandlePodAdditions).
    fn admit(&mut self, key: &Key, node: &str, scheduled_at: Option<Millis>) {
        let Some(pod) = self.cl.store.pods.get(key).cloned() else {
            return;
        };
        if !self.cl.nodes.contains_key(node) {
            self.watch_orphan(pod.metadata.uid.as_deref().unwrap_or(""), node);
            return;
        }
        let uid = pod.metadata.uid.clone().unwrap_or_default();
        let now = self.now();
        let mut w = PodWorker::new(
            &uid,
            &key.0,
            &key.1,
            node,
            pod.spec.clone(),
            now,
            self.cl.seed,
        );
        w.scheduled_at = scheduled_at.or(Some(now));
        let slot = self.workers.add(w);
        self.at_worker(slot, |w, cx| w.start_probe_workers(cx));
        self.cl.request_sync(slot, now);
    }

    // ------------------------------------------------------------------ deletion

    /// `kubectl delete pod`: graceful unless grace is 0 with --force.
    pub fn delete_pod(&mut self, key: &Key, grace: Option<i64>, force: bool) -> bool {
        let now = self.now();
        let Some(pod) = self.cl.store.pods.get_mut(key) else {
            return false;
        };
        let uid = pod.metadata.uid.clone().unwrap_or_default();
        let terminal = matches!(
            pod.status.as_ref().and_then(|s| s.phase.as_deref()),
            Some("Succeeded") | Some("Failed")
        );
        let grace = grace
            .filter(|g| *g >= 0)
            .unwrap_or_else(|| pod.spec.termination_grace_period());
        let unscheduled = pod.spec.node_name.is_none();
        if (force && grace == 0) || unscheduled || (terminal && !self.workers.contains(&uid)) {
            if let Some(gone) = self.cl.store.pods.remove(key) {
                self.cl.store.pod_owners.remove(key);
                self.emit_pod_deleted(&gone);
            }
            self.dirty_endpoints = true;
            if let Some(mut w) = self.workers.remove(&uid) {
                let mut cx = Ctx {
                    cl: &mut self.cl,
                    others: &mut self.workers,
                };
                w.request_deletion(if force { 1 } else { grace }, &mut cx);
                w.terminated = true;
            }
            return true;
        }
        if pod.metadata.deletion_timestamp.is_none() {
            pod.metadata.deletion_timestamp =
                Some(Time(now.saturating_add(podplay_api::time::seconds(grace))));
            pod.metadata.deletion_grace_period_seconds = Some(grace);
        } else {
            let g = pod
                .metadata
                .deletion_grace_period_seconds
                .unwrap_or(grace)
                .min(grace);
            pod.metadata.deletion_grace_period_seconds = Some(g);
        }
        let g = pod.metadata.deletion_grace_period_seconds.unwrap_or(grace);
        self.cl.store.versions.stamp(&mut pod.metadata);
        self.cl.dirty.insert(key.clone());
        if terminal {
            self.cl.agenda.schedule(now, Task::RemovePod { uid });
            return true;
        }
        // The kubelet learns of it through its watch, after the API write.
        self.cl.agenda.schedule(
            now,
            Task::Delete {
                uid,
                grace_seconds: g,
            },
        );
        true
    }

    fn remove_pod_object(&mut self, uid: &str) {
        self.cl.node_verdicts.remove(uid);
        let key = self
            .cl
            .store
            .pods
            .iter()
            .find(|(_, p)| p.metadata.uid.as_deref() == Some(uid))
            .map(|(k, _)| k.clone());
        if let Some(key) = key {
            let deleting = self
                .cl
                .store
                .pods
                .get(&key)
                .is_some_and(|p| p.metadata.deletion_timestamp.is_some());
            if deleting {
                if let Some(gone) = self.cl.store.pods.remove(&key) {
                    self.cl.store.pod_owners.remove(&key);
                    self.emit_pod_deleted(&gone);
                }
                self.workers.remove(uid);
                self.dirty_endpoints = true;
                self.cl.request_schedule();
            }
        }
    }

    // ------------------------------------------------------------------ endpoints

    /// The endpoints controller (legacy Endpoints, controllers-semantics §3).
    /// Every Service when `all`, else those the changed pods concern (endpoints_scope.rs).
    fn reconcile_endpoints(&mut self, all: bool) {
        let services: Vec<Service> = self.cl.store.services.values().cloned().collect();
        for svc in services {
            if svc.spec.selector.is_empty() {
                continue;
            }
            if !all && self.endpoints_scope.unaffected(&svc, &self.cl.store) {
                continue;
            }
            let ns = svc.metadata.namespace.clone().unwrap_or_default();
            let name = svc.metadata.name.clone().unwrap_or_default();
            let publish = svc.spec.publish_not_ready_addresses == Some(true);
            let mut ready = vec![];
            let mut not_ready = vec![];
            let mut ports: Vec<EndpointPort> = vec![];
            for pod in self.cl.store.pods.values() {
                if pod.metadata.namespace.as_deref() != Some(ns.as_str()) {
                    continue;
                }
                if !svc
                    .spec
                    .selector
                    .iter()
                    .all(|(k, v)| pod.metadata.labels.get(k) == Some(v))
                {
                    continue;
                }
                // Borrowed, not cloned: this runs for every pod on every pod change.
                let Some(st) = pod.status.as_ref() else {
                    continue;
                };
                let Some(ip) = st.pod_ip.clone() else {
                    continue;
                };
                if matches!(st.phase.as_deref(), Some("Succeeded") | Some("Failed")) {
                    continue;
                }
                if pod.metadata.deletion_timestamp.is_some() && !publish {
                    continue;
                }
                let is_ready = st
                    .conditions
                    .iter()
                    .any(|c| c.type_ == "Ready" && c.status == "True");
                if ports.is_empty() {
                    for sp in &svc.spec.ports {
                        let port = match &sp.target_port {
                            Some(IntOrString::Int(n)) => Some(*n),
                            Some(IntOrString::String(s)) => pod
                                .spec
                                .containers
                                .iter()
                                .flat_map(|c| c.ports.iter())
                                .find(|p| p.name.as_deref() == Some(s.as_str()))
                                .map(|p| p.container_port),
                            None => Some(sp.port),
                        };
                        if let Some(port) = port {
                            ports.push(EndpointPort {
                                name: sp.name.clone(),
                                port,
                                protocol: sp.protocol.clone(),
                                ..Default::default()
                            });
                        }
                    }
                }
                let addr = EndpointAddress {
                    ip,
                    // A per-pod DNS name only for pods that named this Service as subdomain.
                    hostname: pod
                        .spec
                        .hostname
                        .clone()
                        .filter(|_| pod.spec.subdomain.as_deref() == Some(name.as_str())),
                    node_name: pod.spec.node_name.clone(),
                    target_ref: Some(ObjectReference {
                        kind: Some("Pod".into()),
                        namespace: Some(ns.clone()),
                        name: pod.metadata.name.clone(),
                        uid: pod.metadata.uid.clone(),
                        ..Default::default()
                    }),
                    ..Default::default()
                };
                if is_ready || publish {
                    ready.push(addr);
                } else {
                    not_ready.push(addr);
                }
            }
            ready.sort_by(|a, b| a.ip.cmp(&b.ip));
            not_ready.sort_by(|a, b| a.ip.cmp(&b.ip));
            let members = ready
                .iter()
                .chain(&not_ready)
                .filter_map(|a| a.target_ref.as_ref()?.name.clone())
                .map(|n| (ns.clone(), n))
                .collect();
            self.endpoints_scope.computed(&svc, members);
            let subsets = if ready.is_empty() && not_ready.is_empty() {
                vec![]
            } else {
                vec![EndpointSubset {
                    addresses: ready.clone(),
                    not_ready_addresses: not_ready.clone(),
                    ports: ports.clone(),
                }]
            };
            let key = (ns.clone(), name.clone());
            let now = self.now();
            let changed = self
                .cl
                .store
                .endpoints
                .get(&key)
                .is_none_or(|e| e.subsets != subsets);
            if changed {
                let existing = self.cl.store.endpoints.get(&key).cloned();
                let mut ep = existing.unwrap_or_else(|| Endpoints {
                    api_version: Some("v1".into()),
                    kind: Some("Endpoints".into()),
                    metadata: ObjectMeta {
                        name: Some(name.clone()),
                        namespace: Some(ns.clone()),
                        labels: svc.metadata.labels.clone(),
                        ..Default::default()
                    },
                    ..Default::default()
                });
                if ep.metadata.uid.is_none() {
                    self.cl.store.stamp_create(&mut ep.metadata, now);
                } else {
                    self.cl.store.stamp_update(&mut ep.metadata);
                }
                ep.subsets = subsets;
                self.cl.store.endpoints.insert(key.clone(), ep);
            }
            let port = ports.first().map(|p| p.port);
            let fmt = |v: &Vec<EndpointAddress>| -> Vec<String> {
                v.iter()
                    .map(|a| match port {
                        Some(p) => format!("{}:{p}", a.ip),
                        None => a.ip.clone(),
                    })
                    .collect()
            };
            let now_lists = (fmt(&ready), fmt(&not_ready));
            if self.cl.last_endpoints.get(&key) != Some(&now_lists) {
                self.cl
                    .last_endpoints
                    .insert(key.clone(), now_lists.clone());
                self.cl.trace.push(Record::Endpoints {
                    t: now,
                    namespace: ns,
                    name,
                    ready: now_lists.0,
                    not_ready: now_lists.1,
                });
            }
        }
    }

    // ------------------------------------------------------------------ trace rows

    fn emit_pod_row(&mut self, key: &Key) {
        let now = self.now();
        let Some(pod) = self.cl.store.pods.get(key) else {
            return;
        };
        let row = pod_row(pod, now);
        let columns = pod_columns(&row);
        let id = ("Pod".to_string(), key.0.clone(), key.1.clone());
        if self.cl.last_rows.get(&id) == Some(&columns) {
            return;
        }
        self.cl.last_rows.insert(id, columns.clone());
        self.cl.trace.push(Record::Object {
            t: now,
            kind: "Pod",
            namespace: key.0.clone(),
            name: key.1.clone(),
            columns,
            deleted: false,
            watch_row: row.cells.clone(),
        });
    }

    /// Emits an object record for a kind whose columns the caller computed, when they changed.
    pub(crate) fn emit_row(
        &mut self,
        kind: &'static str,
        ns: &str,
        name: &str,
        columns: Vec<(&'static str, String)>,
    ) {
        let id = (kind.to_string(), ns.to_string(), name.to_string());
        if self.cl.last_rows.get(&id) == Some(&columns) {
            return;
        }
        let now = self.now();
        self.cl.last_rows.insert(id, columns.clone());
        let mut cells = vec![name.to_string()];
        cells.extend(columns.iter().map(|(_, v)| v.clone()));
        self.cl.trace.push(Record::Object {
            t: now,
            kind,
            namespace: ns.to_string(),
            name: name.to_string(),
            columns,
            deleted: false,
            watch_row: cells,
        });
    }

    pub(crate) fn emit_deleted_row(&mut self, kind: &str, ns: &str, name: &str) {
        let kind: &'static str = match kind {
            "Deployment" => "Deployment",
            "ReplicaSet" => "ReplicaSet",
            "Service" => "Service",
            "Node" => "Node",
            "HorizontalPodAutoscaler" => "HorizontalPodAutoscaler",
            "Job" => "Job",
            "CronJob" => "CronJob",
            "DaemonSet" => "DaemonSet",
            "StatefulSet" => "StatefulSet",
            _ => return,
        };
        let id = (kind.to_string(), ns.to_string(), name.to_string());
        let columns = self.cl.last_rows.remove(&id).unwrap_or_default();
        let now = self.now();
        let mut cells = vec![name.to_string()];
        cells.extend(columns.iter().map(|(_, v)| v.clone()));
        self.cl.trace.push(Record::Object {
            t: now,
            kind,
            namespace: ns.to_string(),
            name: name.to_string(),
            columns,
            deleted: true,
            watch_row: cells,
        });
    }

    /// The DELETED watch event: the pod's last state, its row as kubectl prints it at that moment.
    fn emit_pod_deleted(&mut self, pod: &Pod) {
        let now = self.now();
        let key = key_of(&pod.metadata);
        self.cl
            .last_rows
            .remove(&("Pod".to_string(), key.0.clone(), key.1.clone()));
        let row = pod_row(pod, now);
        let columns = pod_columns(&row);
        self.cl.trace.push(Record::Object {
            t: now,
            kind: "Pod",
            namespace: key.0,
            name: key.1,
            columns,
            deleted: true,
            watch_row: row.cells,
        });
    }

    fn emit_service_row(&mut self, svc: &Service) {
        let now = self.now();
        let row = service_row(svc, now);
        let columns: Vec<(&'static str, String)> =
            ["TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "SELECTOR"]
                .iter()
                .map(|h| (*h, row.cell(h).unwrap_or("").to_string()))
                .collect();
        let (ns, name) = key_of(&svc.metadata);
        self.cl.last_rows.insert(
            ("Service".into(), ns.clone(), name.clone()),
            columns.clone(),
        );
        self.cl.trace.push(Record::Object {
            t: now,
            kind: "Service",
            namespace: ns,
            name,
            columns,
            deleted: false,
            watch_row: row.cells,
        });
    }

    pub(crate) fn emit_node_rows(&mut self) {
        let now = self.now();
        let nodes: Vec<Node> = self.cl.store.nodes.values().cloned().collect();
        for node in nodes {
            let row = node_row(&node, now);
            let columns: Vec<(&'static str, String)> = ["STATUS", "ROLES"]
                .iter()
                .map(|h| (*h, row.cell(h).unwrap_or("").to_string()))
                .collect();
            let name = node.metadata.name.clone().unwrap_or_default();
            let id = ("Node".to_string(), String::new(), name.clone());
            if self.cl.last_rows.get(&id) == Some(&columns) {
                continue;
            }
            self.cl.last_rows.insert(id, columns.clone());
            self.cl.trace.push(Record::Object {
                t: now,
                kind: "Node",
                namespace: String::new(),
                name,
                columns,
                deleted: false,
                watch_row: row.cells,
            });
        }
    }
}

/// The trace's columns of a pod row: kubectl's wide columns but NAME and AGE, RESTARTS as the bare
/// count (so a record means the count changed, not that "5s ago" became "6s ago").
fn pod_columns(row: &podplay_kubectl::printers::get::Row) -> Vec<(&'static str, String)> {
    [
        "READY",
        "STATUS",
        "RESTARTS",
        "IP",
        "NODE",
        "NOMINATED NODE",
        "READINESS GATES",
    ]
    .iter()
    .map(|h| {
        let v = row.cell(h).unwrap_or("").to_string();
        let v = if *h == "RESTARTS" {
            v.split(' ').next().unwrap_or("0").to_string()
        } else {
            v
        };
        (*h, v)
    })
    .collect()
}
