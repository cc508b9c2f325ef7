//! The CronJob controller (pkg/controller/cronjob/cronjob_controllerv2.go, utils.go;
//! controllers-semantics §5): at each schedule time (+100 ms, `nextScheduleDelta`) a Job named
//! `<cronjob>-<scheduled unix minutes>`; only the most recent missed time is started; Forbid /
//! Replace / Allow; startingDeadlineSeconds; suspend; the active list and its bookkeeping events;
//! history limits. A CronJob also syncs when one of its Jobs finishes or disappears.

use podplay_api::time::{Millis, EPOCH_UNIX_SECS, SECOND};
use podplay_api::types::{ObjectMeta, OtherObject, OwnerReference, Time};
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

use super::cron_schedule::{most_recent_schedule_time, parse_standard, Missed, Schedule, Zone};
use super::job::{get_i64, get_str, job_finished, prepare_job_for_create};
use crate::cluster::Task;
use crate::events::Involved;
use crate::simulation::Simulation;

type OtherKey = (String, String, String);

/// `nextScheduleDelta`.
const NEXT_SCHEDULE_DELTA: Millis = 100;
pub const SCHEDULED_TIMESTAMP_ANNOTATION: &str = "batch.kubernetes.io/cronjob-scheduled-timestamp";

#[derive(Debug, Clone, Default)]
pub struct CronJobState {
    /// (CronJob uid, time) of syncs already on the agenda.
    pub requeued: BTreeSet<(String, Millis)>,
    /// Zones already reported as unknown (the note is written once).
    pub noted_zones: BTreeSet<String>,
}

fn unix_secs(t: Millis) -> i64 {
    (EPOCH_UNIX_SECS * 1000 + t).div_euclid(1000)
}
fn virtual_ms(unix: i64) -> Millis {
    (unix - EPOCH_UNIX_SECS) * SECOND
}

/// RFC 3339 of a unix time as seen in `zone` (`2024-06-01T20:01:00+08:00`).
fn rfc3339_in(unix: i64, zone: Zone) -> String {
    if zone.offset_secs == 0 {
        return Time(virtual_ms(unix)).rfc3339();
    }
    let local = Time(virtual_ms(unix + zone.offset_secs)).rfc3339();
    let off = zone.offset_secs.abs();
    let sign = if zone.offset_secs < 0 { '-' } else { '+' };
    format!(
        "{}{sign}{:02}:{:02}",
        local.trim_end_matches('Z'),
        off / 3600,
        off % 3600 / 60
    )
}

/// `time.RFC1123Z` in UTC, as the MissSchedule event prints the scheduled time.
fn rfc1123z(unix: i64) -> String {
    let d = podplay_api::time::DateTime::at(virtual_ms(unix));
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} +0000",
        DAYS.get(d.weekday as usize).unwrap_or(&"Sun"),
        d.day,
        MONTHS
            .get(d.month.saturating_sub(1) as usize)
            .unwrap_or(&"Jan"),
        d.year,
        d.hour,
        d.minute,
        d.second
    )
}

/// `SetDefaults_CronJob` and the validation users meet at `kubectl create`.
pub fn prepare_cron_job_for_create(o: &mut OtherObject) -> Result<(), String> {
    let name = o.metadata.name.clone().unwrap_or_default();
    let invalid = |e: String| format!("The CronJob \"{name}\" is invalid: {e}");
    if name.chars().count() > 52 {
        return Err(invalid(format!(
            "metadata.name: Invalid value: \"{name}\": must be no more than 52 characters"
        )));
    }
    let spec = o
        .body
        .entry("spec")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .ok_or_else(|| invalid("spec: Required value".into()))?;
    let schedule = spec
        .get("schedule")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if schedule.is_empty() {
        return Err(invalid("spec.schedule: Required value".into()));
    }
    if let Err(e) = parse_standard(&schedule) {
        return Err(invalid(format!(
            "spec.schedule: Invalid value: \"{schedule}\": {e}"
        )));
    }
    let tz = spec.get("timeZone").and_then(Value::as_str);
    if schedule.contains("TZ") {
        let msg = if tz.is_some() {
            "cannot use both timeZone field and TZ or CRON_TZ in schedule"
        } else {
            "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"
        };
        return Err(invalid(format!(
            "spec.schedule: Invalid value: \"{schedule}\": {msg}"
        )));
    }
    let restart = spec
        .get("jobTemplate")
        .and_then(|t| t.pointer("/spec/template/spec/restartPolicy"))
        .and_then(Value::as_str)
        .unwrap_or("Always")
        .to_string();
    if restart != "Never" && restart != "OnFailure" {
        return Err(invalid(format!("spec.jobTemplate.spec.template.spec.restartPolicy: Unsupported value: \"{restart}\": supported values: \"OnFailure\", \"Never\"")));
    }
    for (k, v) in [
        ("concurrencyPolicy", json!("Allow")),
        ("suspend", json!(false)),
        ("successfulJobsHistoryLimit", json!(3)),
        ("failedJobsHistoryLimit", json!(1)),
    ] {
        if spec.get(k).is_none_or(Value::is_null) {
            spec.insert(k.into(), v);
        }
    }
    Ok(())
}

impl Simulation {
    fn involved_cron_job(meta: &ObjectMeta) -> Involved {
        Involved {
            kind: "CronJob".into(),
            namespace: meta.namespace.clone().unwrap_or_default(),
            name: meta.name.clone().unwrap_or_default(),
            uid: meta.uid.clone().unwrap_or_default(),
            field_path: None,
        }
    }

    fn cron_event(&mut self, cj: &OtherObject, type_: &'static str, reason: &str, msg: String) {
        self.cl.event(
            "cronjob-controller",
            Self::involved_cron_job(&cj.metadata),
            type_,
            reason,
            msg,
        );
    }

    fn requeue_cron_job(&mut self, key: &OtherKey, uid: &str, at: Millis) {
        if self.batch.cron.requeued.insert((uid.to_string(), at)) {
            self.cl.agenda.schedule(
                at,
                Task::CronJobSync {
                    namespace: key.1.clone(),
                    name: key.2.clone(),
                },
            );
        }
    }

    pub(crate) fn on_cron_job_sync_task(&mut self, namespace: String, name: String) {
        let now = self.now();
        let key = ("CronJob".to_string(), namespace, name);
        if let Some(uid) = self
            .cl
            .store
            .others
            .get(&key)
            .and_then(|j| j.metadata.uid.clone())
        {
            self.batch.cron.requeued.remove(&(uid, now));
        }
        self.sync_cron_job(&key);
    }

    /// CronJobs whose active list names a Job that no longer exists hear of it (the Job
    /// informer's delete handler).
    pub(crate) fn reconcile_cron_jobs_missing(&mut self) {
        let mut stale: Vec<OtherKey> = vec![];
        for (k, cj) in self
            .cl
            .store
            .others
            .iter()
            .filter(|(k, _)| k.0 == "CronJob")
        {
            let active = cj
                .body
                .get("status")
                .and_then(|s| s.get("active"))
                .and_then(Value::as_array);
            let missing = active.is_some_and(|a| {
                a.iter().any(|r| {
                    let n = get_str(r, "/name").unwrap_or("");
                    !self.cl.store.others.contains_key(&(
                        "Job".to_string(),
                        k.1.clone(),
                        n.to_string(),
                    ))
                })
            });
            if missing {
                stale.push(k.clone());
            }
        }
        for k in stale {
            self.sync_cron_job(&k);
        }
    }

    /// `sync` + `syncCronJob` + `cleanupFinishedJobs`.
    pub(crate) fn sync_cron_job(&mut self, key: &OtherKey) {
        let now = self.now();
        let Some(cj) = self.cl.store.others.get(key).cloned() else {
            return;
        };
        let uid = cj.metadata.uid.clone().unwrap_or_default();
        let spec = cj.body.get("spec").cloned().unwrap_or(Value::Null);
        let mut status = cj.body.get("status").cloned().unwrap_or(json!({}));
        let mut active: Vec<Value> = status
            .get("active")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let jobs: Vec<OtherObject> = self
            .cl
            .store
            .others
            .iter()
            .filter(|((k, ns, _), o)| {
                k == "Job"
                    && *ns == key.1
                    && o.metadata
                        .owner_references
                        .iter()
                        .any(|r| r.uid == uid && r.controller == Some(true))
            })
            .map(|(_, o)| o.clone())
            .collect();
        let in_active =
            |active: &[Value], juid: &str| active.iter().any(|r| get_str(r, "/uid") == Some(juid));
        // Bookkeeping of the children.
        for j in &jobs {
            let juid = j.metadata.uid.clone().unwrap_or_default();
            let jname = j.metadata.name().to_string();
            let found = in_active(&active, &juid);
            let finished = job_finished(&j.body);
            if !found && finished.is_none() {
                // A manual run (`kubectl create job --from`, annotated cronjob.kubernetes.io/instantiate)
                // is one of these too.
                self.cron_event(
                    &cj,
                    "Warning",
                    "UnexpectedJob",
                    format!("Saw a job that the controller did not create or forgot: {jname}"),
                );
            } else if found {
                if let Some(result) = finished {
                    active.retain(|r| get_str(r, "/uid") != Some(juid.as_str()));
                    self.cron_event(
                        &cj,
                        "Normal",
                        "SawCompletedJob",
                        format!("Saw completed job: {jname}, status: {result}"),
                    );
                }
            }
            if finished == Some("Complete") {
                let ct = j
                    .body
                    .get("status")
                    .and_then(|s| get_str(s, "/completionTime"))
                    .map(str::to_string);
                if let Some(ct) = ct {
                    let newer = get_str(&status, "/lastSuccessfulTime")
                        .and_then(Time::parse_rfc3339)
                        .is_none_or(|old| Time::parse_rfc3339(&ct).is_some_and(|n| n.0 > old.0));
                    if newer {
                        status["lastSuccessfulTime"] = json!(ct);
                    }
                }
            }
        }
        let present: BTreeSet<String> =
            jobs.iter().filter_map(|j| j.metadata.uid.clone()).collect();
        let missing: Vec<String> = active
            .iter()
            .filter(|r| !present.contains(get_str(r, "/uid").unwrap_or("")))
            .map(|r| get_str(r, "/name").unwrap_or("").to_string())
            .collect();
        for name in missing {
            active.retain(|r| get_str(r, "/name") != Some(name.as_str()));
            self.cron_event(
                &cj,
                "Normal",
                "MissingJob",
                format!("Active job went missing: {name}"),
            );
        }

        let mut requeue_at: Option<Millis> = None;
        'schedule: {
            let zone = match get_str(&spec, "/timeZone") {
                None => Zone::UTC,
                Some(z) => match Zone::load(z) {
                    Some(zone) => zone,
                    None => {
                        self.cron_event(
                            &cj,
                            "Warning",
                            "UnknownTimeZone",
                            format!("invalid timeZone: {z:?}: unknown time zone {z}"),
                        );
                        if self.batch.cron.noted_zones.insert(z.to_string()) {
                            self.cl.trace.push(crate::trace::Record::Note {
                                t: now,
                                message: format!("podplay knows only time zones without daylight saving time; CronJob \"{}\" with timeZone {z:?} is not scheduled", key.2),
                            });
                        }
                        break 'schedule;
                    }
                },
            };
            if spec.get("suspend").and_then(Value::as_bool) == Some(true) {
                break 'schedule;
            }
            let schedule_text = get_str(&spec, "/schedule").unwrap_or("");
            let sched: Schedule = match parse_standard(schedule_text) {
                Ok(s) => s,
                Err(e) => {
                    self.cron_event(
                        &cj,
                        "Warning",
                        "UnparseableSchedule",
                        format!("unparseable schedule: {schedule_text:?} : {e}"),
                    );
                    break 'schedule;
                }
            };
            let now_s = unix_secs(now);
            let created = unix_secs(cj.metadata.creation_timestamp.map(|t| t.0).unwrap_or(0));
            let last = get_str(&status, "/lastScheduleTime")
                .and_then(Time::parse_rfc3339)
                .map(|t| unix_secs(t.0));
            let sds = get_i64(&spec, "/startingDeadlineSeconds");
            // nextScheduleTimeDuration: when to look again.
            let next_at = |sim_last: Option<i64>| -> Option<Millis> {
                let (earliest, recent, missed) =
                    match most_recent_schedule_time(created, sim_last, None, now_s, &sched, zone) {
                        Ok(r) => r,
                        Err(_) => (now_s, Some(now_s), Missed::None),
                    };
                let from = super::cron_schedule::requeue_base(earliest, recent, missed, now_s);
                sched
                    .next(from, zone)
                    .map(|n| virtual_ms(n) + NEXT_SCHEDULE_DELTA)
            };
            let scheduled = match most_recent_schedule_time(created, last, sds, now_s, &sched, zone)
            {
                Err(e) => {
                    self.cron_event(
                        &cj,
                        "Warning",
                        "InvalidSchedule",
                        format!("invalid schedule: {schedule_text} : {e}"),
                    );
                    break 'schedule;
                }
                Ok((_, recent, missed)) => {
                    if recent.is_some() && missed == Missed::Many {
                        self.cron_event(&cj, "Warning", "TooManyMissedTimes", "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew".into());
                    }
                    recent
                }
            };
            let Some(scheduled) = scheduled else {
                requeue_at = next_at(last);
                break 'schedule;
            };
            if sds.is_some_and(|d| scheduled + d < now_s) {
                self.cron_event(
                    &cj,
                    "Warning",
                    "MissSchedule",
                    format!(
                        "Missed scheduled time to start a job: {}",
                        rfc1123z(scheduled)
                    ),
                );
                requeue_at = next_at(last);
                break 'schedule;
            }
            let job_name = format!("{}-{}", key.2, scheduled.div_euclid(60));
            let already = active
                .iter()
                .any(|r| get_str(r, "/name") == Some(job_name.as_str()))
                || last == Some(scheduled);
            if already {
                requeue_at = next_at(last);
                break 'schedule;
            }
            let policy = get_str(&spec, "/concurrencyPolicy").unwrap_or("Allow");
            if policy == "Forbid" && !active.is_empty() {
                self.cron_event(
                    &cj,
                    "Normal",
                    "JobAlreadyActive",
                    "Not starting job because prior execution is running and concurrency policy is Forbid".into(),
                );
                requeue_at = next_at(last);
                break 'schedule;
            }
            if policy == "Replace" {
                for r in std::mem::take(&mut active) {
                    let name = get_str(&r, "/name").unwrap_or("").to_string();
                    self.delete_job_of_cron(&key.1, &name);
                    self.cron_event(
                        &cj,
                        "Normal",
                        "SuccessfulDelete",
                        format!("Deleted job {name}"),
                    );
                }
            }
            match self.create_job_from_cron(&cj, &job_name, scheduled, zone) {
                Ok(job) => {
                    self.cron_event(
                        &cj,
                        "Normal",
                        "SuccessfulCreate",
                        format!("Created job {job_name}"),
                    );
                    // The Job controller's informer sees the new Job right after.
                    self.sync_job(&("Job".to_string(), key.1.clone(), job_name.clone()));
                    active.push(json!({
                        "apiVersion": "batch/v1", "kind": "Job", "name": job_name,
                        "namespace": key.1, "resourceVersion": job.metadata.resource_version,
                        "uid": job.metadata.uid,
                    }));
                    status["lastScheduleTime"] = json!(Time(virtual_ms(scheduled)).rfc3339());
                    requeue_at = next_at(Some(scheduled));
                }
                Err(e) => {
                    self.cron_event(
                        &cj,
                        "Warning",
                        "FailedCreate",
                        format!("Error creating job: {e}"),
                    );
                    requeue_at = next_at(last);
                }
            }
        }
        if let Some(obj) = status.as_object_mut() {
            if active.is_empty() {
                obj.remove("active");
            } else {
                obj.insert("active".into(), Value::Array(active));
            }
        }
        if cj.body.get("status") != Some(&status) {
            if let Some(c) = self.cl.store.others.get_mut(key) {
                c.body.insert("status".into(), status);
                self.cl.store.versions.stamp(&mut c.metadata);
            }
        }
        self.cleanup_finished_jobs(key);
        if let Some(at) = requeue_at {
            self.requeue_cron_job(key, &uid, at.max(now));
        }
        self.emit_cron_job_row(key);
    }

    /// Background-propagation delete of a Job the CronJob owns.
    fn delete_job_of_cron(&mut self, ns: &str, name: &str) {
        let k = ("Job".to_string(), ns.to_string(), name.to_string());
        if let Some(o) = self.cl.store.others.remove(&k) {
            self.emit_deleted_row("Job", ns, name);
            if let Some(u) = o.metadata.uid.clone() {
                self.batch.jobs.backoff.remove(&u);
                self.batch.jobs.uncounted.remove(&u);
                self.delete_owned_by(&u);
            }
        }
    }

    /// `getJobFromTemplate2` and the create call (the Job controller sees it at once).
    fn create_job_from_cron(
        &mut self,
        cj: &OtherObject,
        name: &str,
        scheduled: i64,
        zone: Zone,
    ) -> Result<OtherObject, String> {
        let ns = cj.metadata.namespace.clone().unwrap_or_default();
        let key = ("Job".to_string(), ns.clone(), name.to_string());
        if self.cl.store.others.contains_key(&key) {
            return Err(format!("jobs.batch \"{name}\" already exists"));
        }
        let tpl = cj
            .body
            .get("spec")
            .and_then(|s| s.get("jobTemplate"))
            .cloned()
            .unwrap_or(Value::Null);
        let str_map = |v: Option<&Value>| -> std::collections::BTreeMap<String, String> {
            v.and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut annotations = str_map(tpl.pointer("/metadata/annotations"));
        annotations.insert(
            SCHEDULED_TIMESTAMP_ANNOTATION.into(),
            rfc3339_in(scheduled, zone),
        );
        let mut body = Map::new();
        body.insert("spec".into(), tpl.get("spec").cloned().unwrap_or(json!({})));
        let mut job = OtherObject {
            api_version: "batch/v1".into(),
            kind: "Job".into(),
            metadata: ObjectMeta {
                name: Some(name.to_string()),
                namespace: Some(ns),
                labels: str_map(tpl.pointer("/metadata/labels")),
                annotations,
                owner_references: vec![OwnerReference {
                    api_version: "batch/v1".into(),
                    kind: "CronJob".into(),
                    name: cj.metadata.name.clone().unwrap_or_default(),
                    uid: cj.metadata.uid.clone().unwrap_or_default(),
                    controller: Some(true),
                    block_owner_deletion: Some(true),
                }],
                ..Default::default()
            },
            body,
        };
        let now = self.now();
        self.store_new_job(&mut job, now)?;
        Ok(job)
    }

    /// The apiserver's create of a Job (defaults, generated selector), then the Job
    /// controller's first sync.
    pub(crate) fn create_job_object(
        &mut self,
        job: &mut OtherObject,
        now: Millis,
    ) -> Result<(), String> {
        let key = self.store_new_job(job, now)?;
        self.sync_job(&key);
        Ok(())
    }

    /// The apiserver's half of creating a Job.
    fn store_new_job(&mut self, job: &mut OtherObject, now: Millis) -> Result<OtherKey, String> {
        self.cl.store.stamp_create(&mut job.metadata, now);
        prepare_job_for_create(job)?;
        let key = (
            "Job".to_string(),
            job.metadata.namespace.clone().unwrap_or_default(),
            job.metadata.name.clone().unwrap_or_default(),
        );
        self.cl.store.others.insert(key.clone(), job.clone());
        Ok(key)
    }

    /// `cleanupFinishedJobs`: the oldest finished Jobs beyond the history limits go.
    fn cleanup_finished_jobs(&mut self, key: &OtherKey) {
        let Some(cj) = self.cl.store.others.get(key).cloned() else {
            return;
        };
        let uid = cj.metadata.uid.clone().unwrap_or_default();
        let spec = cj.body.get("spec").cloned().unwrap_or(Value::Null);
        let (ok_limit, failed_limit) = (
            get_i64(&spec, "/successfulJobsHistoryLimit"),
            get_i64(&spec, "/failedJobsHistoryLimit"),
        );
        let mut done: Vec<(Option<Millis>, String)> = vec![];
        let mut failed: Vec<(Option<Millis>, String)> = vec![];
        for ((k, ns, name), o) in &self.cl.store.others {
            if k != "Job"
                || *ns != key.1
                || !o.metadata.owner_references.iter().any(|r| r.uid == uid)
            {
                continue;
            }
            let start = o
                .body
                .get("status")
                .and_then(|s| get_str(s, "/startTime"))
                .and_then(Time::parse_rfc3339)
                .map(|t| t.0);
            match job_finished(&o.body) {
                Some("Complete") => done.push((start, name.clone())),
                Some(_) => failed.push((start, name.clone())),
                None => {}
            }
        }
        for (mut list, limit) in [(done, ok_limit), (failed, failed_limit)] {
            let Some(limit) = limit else { continue };
            let excess = list.len() as i64 - limit.max(0);
            if excess <= 0 {
                continue;
            }
            // byJobStartTime: nil start times last, ties by name.
            list.sort_by(|a, b| match (a.0, b.0) {
                (Some(x), Some(y)) => x.cmp(&y).then(a.1.cmp(&b.1)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => a.1.cmp(&b.1),
            });
            for (_, name) in list.into_iter().take(excess as usize) {
                self.delete_job_of_cron(&key.1, &name);
                self.cron_event(
                    &cj,
                    "Normal",
                    "SuccessfulDelete",
                    format!("Deleted job {name}"),
                );
            }
        }
    }

    /// The CronJob's trace row (SCHEDULE, TIMEZONE, SUSPEND, ACTIVE, LAST SCHEDULE). LAST SCHEDULE
    /// is an age and grows with time, so only a new schedule time is a change.
    pub(crate) fn emit_cron_job_row(&mut self, key: &OtherKey) {
        let now = self.now();
        let Some(cj) = self.cl.store.others.get(key) else {
            return;
        };
        let row = podplay_kubectl::printers::batch::cron_job_row(&cj.metadata, &cj.body, now);
        let last = cj
            .body
            .get("status")
            .and_then(|s| get_str(s, "/lastScheduleTime"))
            .unwrap_or("")
            .to_string();
        let cell = |h: &str| row.cell(h).unwrap_or("").to_string();
        let columns = vec![
            ("SCHEDULE", cell("SCHEDULE")),
            ("TIMEZONE", cell("TIMEZONE")),
            ("SUSPEND", cell("SUSPEND")),
            ("ACTIVE", cell("ACTIVE")),
            ("LAST SCHEDULE", cell("LAST SCHEDULE")),
        ];
        let id = ("CronJob".to_string(), key.1.clone(), key.2.clone());
        let stable = |cols: &[(&'static str, String)]| -> Vec<String> {
            cols.iter()
                .filter(|(h, _)| *h != "LAST SCHEDULE")
                .map(|(_, v)| v.clone())
                .collect()
        };
        let last_key = format!("{}/{}/{}", key.1, key.2, last);
        let new_schedule = self.batch.seen_schedules.insert(last_key);
        let same = !new_schedule
            && self
                .cl
                .last_rows
                .get(&id)
                .is_some_and(|old| stable(old) == stable(&columns));
        if same {
            return;
        }
        self.emit_row("CronJob", &key.1, &key.2, columns);
    }
}
