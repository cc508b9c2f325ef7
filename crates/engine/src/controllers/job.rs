//! The Job controller (pkg/controller/job/job_controller.go, controllers-semantics §4): pods from
//! the template until `completions` succeed, at most `parallelism` at a time, replacements after
//! the pod-failure back-off, `backoffLimit` / `activeDeadlineSeconds` / pod failure policy failures,
//! Indexed completion mode, the 1.31+ condition sequencing (`SuccessCriteriaMet` / `FailureTarget`
//! first, `Complete` / `Failed` once no pod is terminating), and ttlSecondsAfterFinished (the
//! TTL-after-finished controller's cascading delete).
//!
//! The Job is an `OtherObject` (JSON body); its status is rebuilt from the owned pods plus the
//! counters that outlive them (a counted pod may be deleted later without changing `succeeded`).
//! Instead of `status.uncountedTerminatedPods` round trips, a finished pod is counted in the sync
//! that first sees it, and its `batch.kubernetes.io/job-tracking` finalizer is removed then.

use podplay_api::time::{seconds, Millis, SECOND};
use podplay_api::types::{Object, ObjectMeta, OtherObject, OwnerReference, Pod, PodSpec, Time};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

use super::job_backoff::BackoffRecord;
use crate::cluster::Task;
use crate::simulation::Simulation;

pub const JOB_TRACKING_FINALIZER: &str = "batch.kubernetes.io/job-tracking";
pub const COMPLETION_INDEX_ANNOTATION: &str = "batch.kubernetes.io/job-completion-index";
pub const CONTROLLER_UID_LABEL: &str = "batch.kubernetes.io/controller-uid";
pub const JOB_NAME_LABEL: &str = "batch.kubernetes.io/job-name";
pub const LEGACY_CONTROLLER_UID_LABEL: &str = "controller-uid";
pub const LEGACY_JOB_NAME_LABEL: &str = "job-name";
/// `MaxPodCreateDeletePerSync`.
const MAX_POD_CREATE_DELETE_PER_SYNC: i64 = 500;

/// What the Job controller remembers between syncs that is not in the API (the back-off store
/// and which created pods are not yet counted: the job-tracking finalizer's bookkeeping).
#[derive(Debug, Clone, Default)]
pub struct JobState {
    pub backoff: BTreeMap<String, BackoffRecord>,
    /// Job uid → uids of its pods not yet counted as succeeded or failed.
    pub uncounted: BTreeMap<String, BTreeSet<String>>,
    /// Job uid → a sync is already on the agenda at this time.
    pub requeued: BTreeSet<(String, Millis)>,
}

type OtherKey = (String, String, String);

pub(crate) fn get<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    v.pointer(path)
}
pub(crate) fn get_i64(v: &Value, path: &str) -> Option<i64> {
    v.pointer(path).and_then(Value::as_i64)
}
pub(crate) fn get_str<'a>(v: &'a Value, path: &str) -> Option<&'a str> {
    v.pointer(path).and_then(Value::as_str)
}

fn labels_of(v: Option<&Value>) -> BTreeMap<String, String> {
    v.and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// `SetDefaults_Job` plus the Job strategy's `generateSelector`, applied when the apiserver
/// creates a Job (after uid assignment), and its validation of what kubectl users trip on.
pub fn prepare_job_for_create(o: &mut OtherObject) -> Result<(), String> {
    let name = o.metadata.name.clone().unwrap_or_default();
    let uid = o.metadata.uid.clone().unwrap_or_default();
    let spec = o
        .body
        .entry("spec")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .ok_or_else(|| format!("The Job \"{name}\" is invalid: spec: Required value"))?;
    let restart = spec
        .get("template")
        .and_then(|t| t.pointer("/spec/restartPolicy"))
        .and_then(Value::as_str)
        .unwrap_or("Always")
        .to_string();
    if restart != "Never" && restart != "OnFailure" {
        return Err(format!("The Job \"{name}\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"{restart}\": supported values: \"OnFailure\", \"Never\""));
    }
    let has = |spec: &Map<String, Value>, k: &str| spec.get(k).is_some_and(|v| !v.is_null());
    if !has(spec, "completions") && !has(spec, "parallelism") {
        spec.insert("completions".into(), json!(1));
        spec.insert("parallelism".into(), json!(1));
    }
    if !has(spec, "parallelism") {
        spec.insert("parallelism".into(), json!(1));
    }
    if !has(spec, "backoffLimit") {
        let limit = if has(spec, "backoffLimitPerIndex") {
            i64::from(i32::MAX)
        } else {
            6
        };
        spec.insert("backoffLimit".into(), json!(limit));
    }
    if !has(spec, "completionMode") {
        spec.insert("completionMode".into(), json!("NonIndexed"));
    }
    if !has(spec, "suspend") {
        spec.insert("suspend".into(), json!(false));
    }
    if !has(spec, "manualSelector") {
        spec.insert("manualSelector".into(), json!(false));
    }
    if !has(spec, "podReplacementPolicy") {
        let p = if has(spec, "podFailurePolicy") {
            "Failed"
        } else {
            "TerminatingOrFailed"
        };
        spec.insert("podReplacementPolicy".into(), json!(p));
    }
    let manual = spec.get("manualSelector").and_then(Value::as_bool) == Some(true);
    if !manual {
        // generateSelector: the uid-keyed selector and the labels that match it.
        spec.insert(
            "selector".into(),
            json!({"matchLabels": {CONTROLLER_UID_LABEL: uid}}),
        );
        let tpl = spec
            .entry("template")
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .ok_or_else(|| {
                format!("The Job \"{name}\" is invalid: spec.template: Required value")
            })?;
        let meta = tpl.entry("metadata").or_insert_with(|| json!({}));
        if !meta.is_object() {
            *meta = json!({});
        }
        let labels = meta
            .as_object_mut()
            .map(|m| m.entry("labels").or_insert_with(|| json!({})));
        if let Some(labels) = labels {
            if !labels.is_object() {
                *labels = json!({});
            }
            if let Some(l) = labels.as_object_mut() {
                l.insert(CONTROLLER_UID_LABEL.into(), json!(uid));
                l.insert(JOB_NAME_LABEL.into(), json!(name));
                l.insert(LEGACY_CONTROLLER_UID_LABEL.into(), json!(uid));
                l.insert(LEGACY_JOB_NAME_LABEL.into(), json!(name));
            }
        }
    } else if !has(spec, "selector") {
        return Err(format!(
            "The Job \"{name}\" is invalid: spec.selector: Required value"
        ));
    }
    // Defaulting on read: a Job without labels shows its template's.
    if o.metadata.labels.is_empty() {
        o.metadata.labels = labels_of(
            o.body
                .get("spec")
                .and_then(|s| s.pointer("/template/metadata/labels")),
        );
    }
    Ok(())
}

/// The parts of a Job's spec the controller reads.
#[derive(Debug, Clone)]
struct JobSpec {
    completions: Option<i64>,
    parallelism: i64,
    backoff_limit: i64,
    active_deadline: Option<i64>,
    ttl: Option<i64>,
    indexed: bool,
    suspend: bool,
    restart_on_failure: bool,
    pod_failure_policy: Vec<Value>,
}

impl JobSpec {
    fn of(body: &Map<String, Value>) -> JobSpec {
        let spec = body.get("spec").cloned().unwrap_or(Value::Null);
        JobSpec {
            completions: get_i64(&spec, "/completions"),
            parallelism: get_i64(&spec, "/parallelism").unwrap_or(1).max(0),
            backoff_limit: get_i64(&spec, "/backoffLimit").unwrap_or(6),
            active_deadline: get_i64(&spec, "/activeDeadlineSeconds"),
            ttl: get_i64(&spec, "/ttlSecondsAfterFinished"),
            indexed: get_str(&spec, "/completionMode") == Some("Indexed"),
            suspend: spec.get("suspend").and_then(Value::as_bool) == Some(true),
            restart_on_failure: get_str(&spec, "/template/spec/restartPolicy") == Some("OnFailure"),
            pod_failure_policy: get(&spec, "/podFailurePolicy/rules")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
        }
    }
}

fn phase(p: &Pod) -> &str {
    p.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("")
}

fn is_pod_active(p: &Pod) -> bool {
    !matches!(phase(p), "Succeeded" | "Failed") && p.metadata.deletion_timestamp.is_none()
}

/// `isPodFailed` with podReplacementPolicy TerminatingOrFailed: a deleted pod that did not succeed
/// is a failure as soon as it is terminating.
fn is_pod_finished(p: &Pod) -> Option<bool> {
    match phase(p) {
        "Succeeded" => Some(true),
        "Failed" => Some(false),
        _ if p.metadata.deletion_timestamp.is_some() => Some(false),
        _ => None,
    }
}

/// `getFinishedTime`: the last container finish (when all have finished), else the deletion
/// time minus grace, else creation. metav1.Time has whole seconds on the wire.
fn finished_time(p: &Pod) -> Millis {
    let statuses: Vec<_> = p
        .status
        .as_ref()
        .map(|s| s.container_statuses.iter().collect())
        .unwrap_or_default();
    let all_done = !statuses.is_empty() && statuses.iter().all(|c| c.state.terminated.is_some());
    let t = if all_done {
        statuses
            .iter()
            .filter_map(|c| c.state.terminated.as_ref().and_then(|t| t.finished_at))
            .map(|t| t.0)
            .max()
    } else {
        None
    };
    let t = t.or_else(|| {
        p.metadata
            .deletion_timestamp
            .map(|d| d.0 - seconds(p.metadata.deletion_grace_period_seconds.unwrap_or(0)))
    });
    let t = t.unwrap_or_else(|| p.metadata.creation_timestamp.map(|c| c.0).unwrap_or(0));
    t.div_euclid(SECOND) * SECOND
}

fn is_ready(p: &Pod) -> bool {
    p.status.as_ref().is_some_and(|s| {
        s.conditions
            .iter()
            .any(|c| c.type_ == "Ready" && c.status == "True")
    })
}

fn completion_index(p: &Pod) -> Option<i64> {
    p.metadata
        .annotations
        .get(COMPLETION_INDEX_ANNOTATION)
        .and_then(|s| s.parse().ok())
}

/// What a pod failure policy rule decided for a failed pod.
#[derive(Debug, Clone, PartialEq)]
pub enum PolicyAction {
    FailJob(String),
    Ignore,
    Count,
}

/// `matchPodFailurePolicy`: the first rule matching the failed pod's non-zero exit codes or its
/// conditions decides; no match counts the failure as usual.
pub fn match_pod_failure_policy(rules: &[Value], pod: &Pod) -> PolicyAction {
    let ns = pod.metadata.namespace();
    let name = pod.metadata.name();
    let statuses: Vec<_> = pod
        .status
        .as_ref()
        .map(|s| {
            s.init_container_statuses
                .iter()
                .chain(s.container_statuses.iter())
                .collect()
        })
        .unwrap_or_default();
    for (index, rule) in rules.iter().enumerate() {
        let action = get_str(rule, "/action").unwrap_or("");
        if let Some(on) = rule.get("onExitCodes") {
            let container = get_str(on, "/containerName");
            let operator = get_str(on, "/operator").unwrap_or("In");
            let values: Vec<i64> = on
                .get("values")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_i64).collect())
                .unwrap_or_default();
            let hit = statuses.iter().find_map(|cs| {
                if container.is_some_and(|c| c != cs.name) {
                    return None;
                }
                let code = i64::from(cs.state.terminated.as_ref()?.exit_code);
                let matches = match operator {
                    "In" => values.contains(&code),
                    _ => !values.contains(&code),
                };
                (code != 0 && matches).then_some((cs.name.clone(), code))
            });
            if let Some((cname, code)) = hit {
                return match action {
                    "Ignore" => PolicyAction::Ignore,
                    "FailJob" => PolicyAction::FailJob(format!("Container {cname} for pod {ns}/{name} failed with exit code {code} matching FailJob rule at index {index}")),
                    _ => PolicyAction::Count,
                };
            }
        } else if let Some(conds) = rule.get("onPodConditions").and_then(Value::as_array) {
            let pod_conds = pod
                .status
                .as_ref()
                .map(|s| s.conditions.clone())
                .unwrap_or_default();
            let hit = conds.iter().find_map(|want| {
                let t = get_str(want, "/type")?;
                let st = get_str(want, "/status").unwrap_or("True");
                pod_conds
                    .iter()
                    .any(|c| c.type_ == t && c.status == st)
                    .then(|| t.to_string())
            });
            if let Some(t) = hit {
                return match action {
                    "Ignore" => PolicyAction::Ignore,
                    "FailJob" => PolicyAction::FailJob(format!(
                        "Pod {ns}/{name} has condition {t} matching FailJob rule at index {index}"
                    )),
                    _ => PolicyAction::Count,
                };
            }
        }
    }
    PolicyAction::Count
}

/// `succeededIndexes.String()`: sorted intervals, `1,3-5`.
pub fn format_indexes(idx: &BTreeSet<i64>) -> String {
    let mut parts: Vec<String> = vec![];
    let mut iter = idx.iter().peekable();
    while let Some(&first) = iter.next() {
        let mut last = first;
        while iter.peek().is_some_and(|n| **n == last + 1) {
            last += 1;
            iter.next();
        }
        parts.push(if first == last {
            first.to_string()
        } else {
            format!("{first}-{last}")
        });
    }
    parts.join(",")
}

/// Parses `completedIndexes` back (tolerant: bad parts are skipped).
pub fn parse_indexes(s: &str) -> BTreeSet<i64> {
    let mut out = BTreeSet::new();
    for part in s.split(',').filter(|p| !p.is_empty()) {
        match part.split_once('-') {
            Some((a, b)) => {
                if let (Ok(a), Ok(b)) = (a.parse::<i64>(), b.parse::<i64>()) {
                    for i in a..=b.min(a.saturating_add(100_000)) {
                        out.insert(i);
                    }
                }
            }
            None => {
                if let Ok(i) = part.parse() {
                    out.insert(i);
                }
            }
        }
    }
    out
}

fn condition(type_: &str, reason: &str, message: &str, now: Millis) -> Value {
    let t = Time(now).rfc3339();
    json!({"type": type_, "status": "True", "lastProbeTime": t, "lastTransitionTime": t,
           "reason": reason, "message": message})
}

fn has_condition(status: &Value, type_: &str) -> Option<Value> {
    status
        .get("conditions")
        .and_then(Value::as_array)
        .and_then(|cs| {
            cs.iter()
                .find(|c| {
                    get_str(c, "/type") == Some(type_) && get_str(c, "/status") == Some("True")
                })
                .cloned()
        })
}

/// A Job has finished when it has a true Complete or Failed condition.
pub fn job_finished(body: &Map<String, Value>) -> Option<&'static str> {
    let status = body.get("status").cloned().unwrap_or(Value::Null);
    if has_condition(&status, "Complete").is_some() {
        Some("Complete")
    } else if has_condition(&status, "Failed").is_some() {
        Some("Failed")
    } else {
        None
    }
}

impl Simulation {
    /// Syncs every Job (called after each task when pods or workloads changed).
    pub(crate) fn reconcile_jobs(&mut self) {
        let jobs: Vec<OtherKey> = self
            .cl
            .store
            .others
            .keys()
            .filter(|(k, _, _)| k == "Job")
            .cloned()
            .collect();
        for key in jobs {
            self.sync_job(&key);
        }
    }

    /// Puts a sync of the Job on the agenda at `at` (once per moment).
    fn requeue_job(&mut self, key: &OtherKey, uid: &str, at: Millis) {
        if self.batch.jobs.requeued.insert((uid.to_string(), at)) {
            self.cl.agenda.schedule(
                at,
                Task::JobSync {
                    namespace: key.1.clone(),
                    name: key.2.clone(),
                },
            );
        }
    }

    pub(crate) fn on_job_sync_task(&mut self, namespace: String, name: String) {
        let now = self.now();
        let key = ("Job".to_string(), namespace, name);
        if let Some(uid) = self
            .cl
            .store
            .others
            .get(&key)
            .and_then(|j| j.metadata.uid.clone())
        {
            self.batch.jobs.requeued.remove(&(uid, now));
        }
        self.sync_job(&key);
    }

    /// `syncJob`.
    pub(crate) fn sync_job(&mut self, key: &OtherKey) {
        let now = self.now();
        let Some(job) = self.cl.store.others.get(key).cloned() else {
            return;
        };
        let uid = job.metadata.uid.clone().unwrap_or_default();
        let spec = JobSpec::of(&job.body);
        let old_status = job.body.get("status").cloned().unwrap_or(json!({}));
        if let Some(result) = job_finished(&job.body) {
            self.job_after_finish(key, &job, &spec, &old_status, result);
            return;
        }
        let pods: Vec<Pod> = self
            .cl
            .store
            .pods
            .values()
            .filter(|p| {
                p.metadata.namespace.as_deref() == Some(key.1.as_str())
                    && p.metadata
                        .owner_references
                        .iter()
                        .any(|r| r.uid == uid && r.controller == Some(true))
            })
            .cloned()
            .collect();
        let mut succeeded = get_i64(&old_status, "/succeeded").unwrap_or(0);
        let mut failed = get_i64(&old_status, "/failed").unwrap_or(0);
        let mut completed: BTreeSet<i64> =
            parse_indexes(get_str(&old_status, "/completedIndexes").unwrap_or(""));
        let failure_target = has_condition(&old_status, "FailureTarget");
        let success_met = has_condition(&old_status, "SuccessCriteriaMet");

        // Count the pods that finished since the last sync (trackJobStatusAndRemoveFinalizers).
        let uncounted = self
            .batch
            .jobs
            .uncounted
            .entry(uid.clone())
            .or_default()
            .clone();
        let mut newly: Vec<(Millis, bool)> = vec![];
        let mut counted_now: Vec<(String, String)> = vec![];
        let mut policy_fail: Option<String> = None;
        for p in &pods {
            let puid = p.metadata.uid.clone().unwrap_or_default();
            if !uncounted.contains(&puid) {
                continue;
            }
            let Some(ok) = is_pod_finished(p) else {
                continue;
            };
            counted_now.push((puid, p.metadata.name().to_string()));
            if ok {
                match (spec.indexed, completion_index(p)) {
                    (true, Some(i)) if spec.completions.is_some_and(|c| i < c) => {
                        if completed.insert(i) {
                            succeeded += 1;
                        }
                    }
                    (true, _) => {}
                    (false, _) => succeeded += 1,
                }
                newly.push((finished_time(p), true));
                continue;
            }
            match match_pod_failure_policy(&spec.pod_failure_policy, p) {
                PolicyAction::Ignore => {}
                PolicyAction::FailJob(msg) => {
                    failed += 1;
                    if policy_fail.is_none() {
                        policy_fail = Some(msg);
                    }
                    newly.push((finished_time(p), false));
                }
                PolicyAction::Count => {
                    failed += 1;
                    newly.push((finished_time(p), false));
                }
            }
        }
        // A pod that vanished before it was counted (force-deleted) is a failure.
        let present: BTreeSet<String> =
            pods.iter().filter_map(|p| p.metadata.uid.clone()).collect();
        let vanished: Vec<String> = uncounted
            .iter()
            .filter(|u| !present.contains(*u))
            .cloned()
            .collect();
        for u in &vanished {
            failed += 1;
            newly.push((now.div_euclid(SECOND) * SECOND, false));
            counted_now.push((u.clone(), String::new()));
        }
        if let Some(set) = self.batch.jobs.uncounted.get_mut(&uid) {
            for (u, _) in &counted_now {
                set.remove(u);
            }
        }
        // The finalizer goes once the pod is counted.
        for (_, name) in counted_now.iter().filter(|(_, n)| !n.is_empty()) {
            let k = (key.1.clone(), name.clone());
            if let Some(p) = self.cl.store.pods.get_mut(&k) {
                if p.metadata
                    .finalizers
                    .iter()
                    .any(|f| f == JOB_TRACKING_FINALIZER)
                {
                    p.metadata
                        .finalizers
                        .retain(|f| f != JOB_TRACKING_FINALIZER);
                    self.cl.store.versions.stamp(&mut p.metadata);
                }
            }
        }
        let backoff = self
            .batch
            .jobs
            .backoff
            .get(&uid)
            .copied()
            .unwrap_or_default()
            .with_finished(newly);
        self.batch.jobs.backoff.insert(uid.clone(), backoff);

        let fresh_pods: Vec<Pod> = self
            .cl
            .store
            .pods
            .values()
            .filter(|p| pods.iter().any(|q| q.metadata.uid == p.metadata.uid))
            .cloned()
            .collect();
        let mut active: Vec<Pod> = fresh_pods
            .iter()
            .filter(|p| is_pod_active(p))
            .cloned()
            .collect();
        let mut start_time =
            get_str(&old_status, "/startTime").and_then(|s| Time::parse_rfc3339(s).map(|t| t.0));
        if start_time.is_none() && !spec.suspend {
            start_time = Some(now);
        }
        let mut events: Vec<(&'static str, String, String)> = vec![];
        let mut conditions: Vec<Value> = old_status
            .get("conditions")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();

        // Which terminal state, if any, this sync reaches (its interim condition first).
        let mut finished: Option<(bool, String, String)> = None;
        if let Some(ft) = &failure_target {
            finished = Some((
                false,
                get_str(ft, "/reason").unwrap_or("").to_string(),
                get_str(ft, "/message").unwrap_or("").to_string(),
            ));
        } else if let Some(sc) = &success_met {
            finished = Some((
                true,
                get_str(sc, "/reason").unwrap_or("").to_string(),
                get_str(sc, "/message").unwrap_or("").to_string(),
            ));
        } else {
            let restarts: i64 = active
                .iter()
                .filter_map(|p| p.status.as_ref())
                .flat_map(|s| {
                    s.container_statuses
                        .iter()
                        .chain(s.init_container_statuses.iter())
                })
                .map(|c| i64::from(c.restart_count))
                .sum();
            let past_on_failure = spec.restart_on_failure
                && if spec.backoff_limit == 0 {
                    restarts > 0
                } else {
                    restarts >= spec.backoff_limit
                };
            let past_deadline = !spec.suspend
                && spec
                    .active_deadline
                    .zip(start_time)
                    .is_some_and(|(ads, st)| now - st >= seconds(ads));
            if let Some(msg) = policy_fail {
                finished = Some((false, "PodFailurePolicy".into(), msg));
            } else if failed > spec.backoff_limit || past_on_failure {
                finished = Some((
                    false,
                    "BackoffLimitExceeded".into(),
                    "Job has reached the specified backoff limit".into(),
                ));
            } else if past_deadline {
                finished = Some((
                    false,
                    "DeadlineExceeded".into(),
                    "Job was active longer than specified deadline".into(),
                ));
            }
            if let Some((_, reason, message)) = &finished {
                conditions.push(condition("FailureTarget", reason, message, now));
            }
        }

        if let Some((ok, _, _)) = &finished {
            if !ok || !active.is_empty() {
                // Remaining active pods go (deleteActivePods).
                for p in std::mem::take(&mut active) {
                    let k = (key.1.clone(), p.metadata.name().to_string());
                    self.delete_pod(&k, None, false);
                }
            }
        } else {
            // manageJob.
            if spec.suspend {
                for p in std::mem::take(&mut active) {
                    let k = (key.1.clone(), p.metadata.name().to_string());
                    self.delete_pod(&k, None, false);
                }
            } else {
                let want = match spec.completions {
                    None if succeeded > 0 => active.len() as i64,
                    None => spec.parallelism,
                    Some(c) => (c - succeeded).min(spec.parallelism).max(0),
                };
                let have = active.len() as i64;
                if have > want {
                    // Extra pods: the newest (least valuable) go first.
                    let mut victims = active.clone();
                    victims.sort_by_key(|p| {
                        (
                            p.spec.node_name.is_some(),
                            phase(p) == "Running",
                            is_ready(p),
                            std::cmp::Reverse(
                                p.metadata.creation_timestamp.map(|t| t.0).unwrap_or(0),
                            ),
                        )
                    });
                    for p in victims.iter().take((have - want) as usize) {
                        let k = (key.1.clone(), p.metadata.name().to_string());
                        self.delete_pod(&k, None, false);
                        active.retain(|a| a.metadata.uid != p.metadata.uid);
                    }
                } else if have < want {
                    let remaining = backoff.remaining(now);
                    if remaining > 0 {
                        self.requeue_job(key, &uid, now + remaining);
                    } else {
                        let n = (want - have).min(MAX_POD_CREATE_DELETE_PER_SYNC);
                        let mut indexes: Vec<Option<i64>> = vec![];
                        if spec.indexed {
                            let busy: BTreeSet<i64> =
                                active.iter().filter_map(completion_index).collect();
                            let total = spec.completions.unwrap_or(0);
                            let mut i = 0;
                            while (indexes.len() as i64) < n && i < total {
                                if !completed.contains(&i) && !busy.contains(&i) {
                                    indexes.push(Some(i));
                                }
                                i += 1;
                            }
                        } else {
                            indexes = vec![None; n as usize];
                        }
                        for index in indexes {
                            if let Some(p) = self.create_job_pod(&job, index) {
                                active.push(p);
                            }
                        }
                    }
                }
                // Complete once enough succeeded and nothing runs.
                let complete = if spec.indexed {
                    spec.completions
                        .is_some_and(|c| completed.len() as i64 >= c)
                        && active.is_empty()
                } else {
                    match spec.completions {
                        None => succeeded > 0 && active.is_empty(),
                        Some(c) => succeeded >= c && active.is_empty(),
                    }
                };
                if complete {
                    let msg = "Reached expected number of succeeded pods";
                    conditions.push(condition(
                        "SuccessCriteriaMet",
                        "CompletionsReached",
                        msg,
                        now,
                    ));
                    finished = Some((true, "CompletionsReached".into(), msg.into()));
                }
                // activeDeadlineSeconds: come back at the exact deadline.
                if let (Some(ads), Some(st), None) = (spec.active_deadline, start_time, &finished) {
                    let at = st + seconds(ads);
                    if at > now {
                        self.requeue_job(key, &uid, at);
                    }
                }
            }
        }

        // Status from the pods as they are now.
        let owned_now: Vec<Pod> = self
            .cl
            .store
            .pods
            .values()
            .filter(|p| {
                p.metadata.namespace.as_deref() == Some(key.1.as_str())
                    && p.metadata.owner_references.iter().any(|r| r.uid == uid)
            })
            .cloned()
            .collect();
        let n_active = owned_now.iter().filter(|p| is_pod_active(p)).count() as i64;
        let n_ready = owned_now
            .iter()
            .filter(|p| is_pod_active(p) && is_ready(p))
            .count() as i64;
        let n_terminating = owned_now
            .iter()
            .filter(|p| {
                p.metadata.deletion_timestamp.is_some()
                    && !matches!(phase(p), "Succeeded" | "Failed")
            })
            .count() as i64;
        let mut completion_time = get_str(&old_status, "/completionTime").map(str::to_string);
        let mut final_reached: Option<(bool, String, String)> = None;
        if let Some((ok, reason, message)) = &finished {
            let still_uncounted = self
                .batch
                .jobs
                .uncounted
                .get(&uid)
                .is_some_and(|s| !s.is_empty());
            if n_terminating == 0 && !still_uncounted && n_active == 0 {
                let type_ = if *ok { "Complete" } else { "Failed" };
                conditions.push(condition(type_, reason, message, now));
                if *ok {
                    completion_time = Some(Time(now).rfc3339());
                    events.push(("Normal", "Completed".into(), "Job completed".into()));
                } else {
                    events.push(("Warning", reason.clone(), message.clone()));
                }
                final_reached = Some((*ok, reason.clone(), message.clone()));
            }
        }
        let mut status = Map::new();
        if n_active > 0 {
            status.insert("active".into(), json!(n_active));
        }
        if !completed.is_empty() {
            status.insert("completedIndexes".into(), json!(format_indexes(&completed)));
        }
        if let Some(ct) = &completion_time {
            status.insert("completionTime".into(), json!(ct));
        }
        if !conditions.is_empty() {
            status.insert("conditions".into(), Value::Array(conditions));
        }
        if failed > 0 {
            status.insert("failed".into(), json!(failed));
        }
        status.insert("ready".into(), json!(n_ready));
        if let Some(st) = start_time {
            status.insert("startTime".into(), json!(Time(st).rfc3339()));
        }
        if succeeded > 0 {
            status.insert("succeeded".into(), json!(succeeded));
        }
        status.insert("terminating".into(), json!(n_terminating));
        status.insert("uncountedTerminatedPods".into(), json!({}));
        let status = Value::Object(status);
        if job.body.get("status") != Some(&status) {
            if let Some(j) = self.cl.store.others.get_mut(key) {
                j.body.insert("status".into(), status);
                self.cl.store.versions.stamp(&mut j.metadata);
            }
        }
        for (type_, reason, message) in events {
            self.cl.event(
                "job-controller",
                Self::involved_job(&job.metadata),
                type_,
                &reason,
                message,
            );
        }
        self.emit_job_row(key);
        if final_reached.is_some() {
            self.on_job_finished(key);
        }
    }

    fn involved_job(meta: &ObjectMeta) -> crate::events::Involved {
        crate::events::Involved {
            kind: "Job".into(),
            namespace: meta.namespace.clone().unwrap_or_default(),
            name: meta.name.clone().unwrap_or_default(),
            uid: meta.uid.clone().unwrap_or_default(),
            field_path: None,
        }
    }

    /// A finished Job: its owner CronJob hears of it, and the TTL-after-finished controller
    /// deletes it (with its pods) `ttlSecondsAfterFinished` after the finishing condition.
    fn on_job_finished(&mut self, key: &OtherKey) {
        let Some(job) = self.cl.store.others.get(key).cloned() else {
            return;
        };
        let spec = JobSpec::of(&job.body);
        let status = job.body.get("status").cloned().unwrap_or(Value::Null);
        self.job_after_finish(key, &job, &spec, &status, "");
        let owner = job
            .metadata
            .owner_references
            .iter()
            .find(|r| r.kind == "CronJob" && r.controller == Some(true))
            .map(|r| r.name.clone());
        if let Some(cj) = owner {
            self.sync_cron_job(&("CronJob".to_string(), key.1.clone(), cj));
        }
    }

    fn job_after_finish(
        &mut self,
        key: &OtherKey,
        job: &OtherObject,
        spec: &JobSpec,
        status: &Value,
        _result: &str,
    ) {
        let now = self.now();
        self.emit_job_row(key);
        let Some(ttl) = spec.ttl else {
            return;
        };
        let finish = ["Complete", "Failed"]
            .iter()
            .filter_map(|t| has_condition(status, t))
            .filter_map(|c| get_str(&c, "/lastTransitionTime").and_then(Time::parse_rfc3339))
            .map(|t| t.0)
            .next();
        let Some(finish) = finish else {
            return;
        };
        let at = finish + seconds(ttl.max(0));
        if now >= at {
            // The TTL controller deletes the Job with foreground propagation: pods go too.
            if let Some(o) = self.cl.store.others.remove(key) {
                self.emit_deleted_row("Job", &key.1, &key.2);
                if let Some(u) = o.metadata.uid.clone() {
                    self.batch.jobs.backoff.remove(&u);
                    self.batch.jobs.uncounted.remove(&u);
                    self.delete_owned_by(&u);
                }
            }
        } else {
            let uid = job.metadata.uid.clone().unwrap_or_default();
            self.requeue_job(key, &uid, at);
        }
    }

    /// One pod from the Job's template (`podControl.CreatePodsWithGenerateName`).
    fn create_job_pod(&mut self, job: &OtherObject, index: Option<i64>) -> Option<Pod> {
        let tpl = job
            .body
            .get("spec")
            .and_then(|s| s.get("template"))
            .cloned()
            .unwrap_or(Value::Null);
        let job_name = job.metadata.name.clone().unwrap_or_default();
        let ns = job.metadata.namespace.clone().unwrap_or_default();
        let involved = Self::involved_job(&job.metadata);
        let mut spec: PodSpec =
            match podplay_api::yaml::from_json(&tpl.get("spec").cloned().unwrap_or(json!({}))) {
                Ok(s) => s,
                Err(e) => {
                    self.cl.event(
                        "job-controller",
                        involved,
                        "Warning",
                        "FailedCreate",
                        format!("Error creating: {e}"),
                    );
                    return None;
                }
            };
        let mut labels = labels_of(tpl.pointer("/metadata/labels"));
        let mut annotations = labels_of(tpl.pointer("/metadata/annotations"));
        let base = match index {
            Some(i) => {
                // podGenerateNameWithIndex: the prefix is cut to fit, the index kept.
                let suffix = format!("-{i}-");
                let keep = 58usize.saturating_sub(suffix.len());
                let prefix: String = job_name.chars().take(keep).collect();
                annotations.insert(COMPLETION_INDEX_ANNOTATION.into(), i.to_string());
                labels.insert(COMPLETION_INDEX_ANNOTATION.into(), i.to_string());
                if spec.hostname.is_none() {
                    let host: String = format!("{job_name}-{i}").chars().take(63).collect();
                    spec.hostname = Some(host);
                }
                let env = podplay_api::types::EnvVar {
                    name: "JOB_COMPLETION_INDEX".into(),
                    value: None,
                    value_from: Some(
                        json!({"fieldRef": {"apiVersion": "v1", "fieldPath": format!("metadata.annotations['{COMPLETION_INDEX_ANNOTATION}']")}}),
                    ),
                };
                for c in spec
                    .containers
                    .iter_mut()
                    .chain(spec.init_containers.iter_mut())
                {
                    if !c.env.iter().any(|e| e.name == "JOB_COMPLETION_INDEX") {
                        c.env.push(env.clone());
                    }
                }
                format!("{prefix}{suffix}")
            }
            None => format!("{job_name}-").chars().take(58).collect(),
        };
        let name = loop {
            let candidate = format!("{base}{}", self.random_suffix(5));
            if !self
                .cl
                .store
                .pods
                .contains_key(&(ns.clone(), candidate.clone()))
            {
                break candidate;
            }
        };
        let mut pod = Pod {
            api_version: Some("v1".into()),
            kind: Some("Pod".into()),
            metadata: ObjectMeta {
                name: Some(name.clone()),
                generate_name: Some(base),
                namespace: Some(ns.clone()),
                labels,
                annotations,
                owner_references: vec![OwnerReference {
                    api_version: "batch/v1".into(),
                    kind: "Job".into(),
                    name: job_name,
                    uid: job.metadata.uid.clone().unwrap_or_default(),
                    controller: Some(true),
                    block_owner_deletion: Some(true),
                }],
                finalizers: vec![JOB_TRACKING_FINALIZER.into()],
                ..Default::default()
            },
            spec,
            status: None,
        };
        let mut obj = Object::Pod(pod.clone());
        podplay_api::apply_defaults(&mut obj);
        if let Object::Pod(p) = obj {
            pod = p;
        }
        self.create_pod(pod);
        let created = self.cl.store.pods.get(&(ns, name.clone())).cloned();
        if let Some(p) = &created {
            let job_uid = job.metadata.uid.clone().unwrap_or_default();
            self.batch
                .jobs
                .uncounted
                .entry(job_uid)
                .or_default()
                .insert(p.metadata.uid.clone().unwrap_or_default());
        }
        self.cl.event(
            "job-controller",
            involved,
            "Normal",
            "SuccessfulCreate",
            format!("Created pod: {name}"),
        );
        created
    }

    /// The Job's trace row: STATUS and COMPLETIONS as `kubectl get jobs` prints them; DURATION
    /// once it is fixed (a running Job's DURATION grows every second, like its AGE, so it is
    /// recorded only when the row changes for another reason).
    pub(crate) fn emit_job_row(&mut self, key: &OtherKey) {
        let now = self.now();
        let Some(job) = self.cl.store.others.get(key) else {
            return;
        };
        let row = podplay_kubectl::printers::batch::job_row(&job.metadata, &job.body, now);
        let cell = |h: &str| row.cell(h).unwrap_or("").to_string();
        let status = cell("STATUS");
        let completions = cell("COMPLETIONS");
        let id = ("Job".to_string(), key.1.clone(), key.2.clone());
        let same = self.cl.last_rows.get(&id).is_some_and(|old| {
            let get = |h: &str| old.iter().find(|(k, _)| *k == h).map(|(_, v)| v.as_str());
            get("STATUS") == Some(status.as_str())
                && get("COMPLETIONS") == Some(completions.as_str())
        });
        if same {
            return;
        }
        let columns = vec![
            ("STATUS", status),
            ("COMPLETIONS", completions),
            ("DURATION", cell("DURATION")),
        ];
        self.emit_row("Job", &key.1, &key.2, columns);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completed_indexes_print_as_intervals() {
        let s: BTreeSet<i64> = [0, 1, 2, 4, 6, 7].into_iter().collect();
        assert_eq!(format_indexes(&s), "0-2,4,6-7");
        assert_eq!(parse_indexes("0-2,4,6-7"), s);
        assert_eq!(format_indexes(&BTreeSet::new()), "");
    }

    #[test]
    fn job_defaults_generate_the_uid_selector_and_four_labels() {
        let mut o = OtherObject {
            api_version: "batch/v1".into(),
            kind: "Job".into(),
            metadata: ObjectMeta {
                name: Some("pi".into()),
                uid: Some("u-1".into()),
                ..Default::default()
            },
            body: json!({"spec": {"template": {"spec": {"restartPolicy": "Never", "containers": []}}}})
                .as_object()
                .cloned()
                .unwrap_or_default(),
        };
        assert_eq!(prepare_job_for_create(&mut o), Ok(()));
        let spec = &o.body["spec"];
        assert_eq!(spec["completions"], 1);
        assert_eq!(spec["parallelism"], 1);
        assert_eq!(spec["backoffLimit"], 6);
        assert_eq!(spec["completionMode"], "NonIndexed");
        assert_eq!(spec["podReplacementPolicy"], "TerminatingOrFailed");
        assert_eq!(spec["selector"]["matchLabels"][CONTROLLER_UID_LABEL], "u-1");
        let l = &spec["template"]["metadata"]["labels"];
        assert_eq!(l["job-name"], "pi");
        assert_eq!(l["controller-uid"], "u-1");
        assert_eq!(
            o.metadata.labels.get(JOB_NAME_LABEL).map(String::as_str),
            Some("pi")
        );
    }

    #[test]
    fn job_with_restart_policy_always_is_rejected() {
        let mut o = OtherObject {
            api_version: "batch/v1".into(),
            kind: "Job".into(),
            metadata: ObjectMeta {
                name: Some("x".into()),
                ..Default::default()
            },
            body: json!({"spec": {"template": {"spec": {"containers": []}}}})
                .as_object()
                .cloned()
                .unwrap_or_default(),
        };
        let e = prepare_job_for_create(&mut o).err().unwrap_or_default();
        assert!(
            e.contains("Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\""),
            "{e}"
        );
    }

    #[test]
    fn pod_failure_policy_fail_job_on_exit_code_names_the_rule() {
        let mut pod = Pod::default();
        pod.metadata.name = Some("p".into());
        pod.metadata.namespace = Some("default".into());
        let mut cs = podplay_api::types::ContainerStatus {
            name: "main".into(),
            ..Default::default()
        };
        cs.state.terminated = Some(podplay_api::types::ContainerStateTerminated {
            exit_code: 42,
            ..Default::default()
        });
        pod.status = Some(podplay_api::types::PodStatus {
            container_statuses: vec![cs],
            ..Default::default()
        });
        let rules = vec![
            json!({"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}),
            json!({"action": "FailJob", "onExitCodes": {"containerName": "main", "operator": "In", "values": [42]}}),
        ];
        assert_eq!(
            match_pod_failure_policy(&rules, &pod),
            PolicyAction::FailJob(
                "Container main for pod default/p failed with exit code 42 matching FailJob rule at index 1".into()
            )
        );
        let rules =
            vec![json!({"action": "Ignore", "onExitCodes": {"operator": "NotIn", "values": [1]}})];
        assert_eq!(match_pod_failure_policy(&rules, &pod), PolicyAction::Ignore);
    }
}
