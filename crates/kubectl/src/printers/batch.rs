//! `kubectl get` and `kubectl describe` for Jobs and CronJobs (printers.go `printJob`,
//! `printCronJob`; describe.go `describeJob`, `describeCronJob`, `DescribePodTemplate`).

use podplay_api::time::Millis;
use podplay_api::types::{Event, ObjectMeta, Time};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

use crate::duration::{human_duration, translate_timestamp_since};
use crate::printers::describe::{annotations_multiline, date, describe_events, labels_multiline};
use crate::printers::get::Row;
use crate::resource::Kind;
use crate::table::TabWriter;

fn s<'a>(v: &'a Value, p: &str) -> Option<&'a str> {
    v.pointer(p).and_then(Value::as_str)
}
fn n(v: &Value, p: &str) -> Option<i64> {
    v.pointer(p).and_then(Value::as_i64)
}
fn time_of(v: &Value, p: &str) -> Option<Millis> {
    s(v, p).and_then(Time::parse_rfc3339).map(|t| t.0)
}
fn str_map(v: Option<&Value>) -> BTreeMap<String, String> {
    v.and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// `hasJobCondition`: the condition of that type is True.
fn has_condition(status: &Value, type_: &str) -> bool {
    status
        .get("conditions")
        .and_then(Value::as_array)
        .and_then(|cs| cs.iter().find(|c| s(c, "/type") == Some(type_)))
        .is_some_and(|c| s(c, "/status") == Some("True"))
}

/// `metav1.FormatLabelSelector`: `k=v,k2 in (a,b)`; `<none>` for an empty selector.
pub fn format_label_selector(sel: Option<&Value>) -> String {
    let Some(sel) = sel.filter(|v| v.is_object()) else {
        return "<none>".into();
    };
    let mut parts: Vec<String> = str_map(sel.get("matchLabels"))
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    for e in sel
        .get("matchExpressions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
    {
        let key = s(&e, "/key").unwrap_or("");
        let values: Vec<String> = e
            .get("values")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        parts.push(match s(&e, "/operator").unwrap_or("") {
            "In" => format!("{key} in ({})", values.join(",")),
            "NotIn" => format!("{key} notin ({})", values.join(",")),
            "Exists" => key.to_string(),
            "DoesNotExist" => format!("!{key}"),
            op => format!("{key} {op} ({})", values.join(",")),
        });
    }
    if parts.is_empty() {
        "<none>".into()
    } else {
        parts.join(",")
    }
}

fn containers_cells(pod_spec: Option<&Value>) -> (String, String) {
    let cs = pod_spec
        .and_then(|p| p.get("containers"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let f = |k: &str| {
        cs.iter()
            .filter_map(|c| c.get(k).and_then(Value::as_str).map(String::from))
            .collect::<Vec<_>>()
            .join(",")
    };
    (f("name"), f("image"))
}

/// `kubectl get jobs`: NAME STATUS COMPLETIONS DURATION AGE (+ CONTAINERS IMAGES SELECTOR).
pub fn job_row(meta: &ObjectMeta, body: &Map<String, Value>, now: Millis) -> Row {
    let spec = body.get("spec").cloned().unwrap_or(Value::Null);
    let status = body.get("status").cloned().unwrap_or(Value::Null);
    let succeeded = n(&status, "/succeeded").unwrap_or(0);
    let completions = match n(&spec, "/completions") {
        Some(c) => format!("{succeeded}/{c}"),
        None => match n(&spec, "/parallelism").unwrap_or(0) {
            p if p > 1 => format!("{succeeded}/1 of {p}"),
            _ => format!("{succeeded}/1"),
        },
    };
    let duration = match (
        time_of(&status, "/startTime"),
        time_of(&status, "/completionTime"),
    ) {
        (None, _) => String::new(),
        (Some(st), None) => human_duration(now - st),
        (Some(st), Some(ct)) => human_duration(ct - st),
    };
    let state = if has_condition(&status, "Complete") {
        "Complete"
    } else if has_condition(&status, "Failed") {
        "Failed"
    } else if meta.deletion_timestamp.is_some() {
        "Terminating"
    } else if has_condition(&status, "Suspended") {
        "Suspended"
    } else if has_condition(&status, "FailureTarget") {
        "FailureTarget"
    } else {
        "Running"
    };
    let (c, i) = containers_cells(spec.pointer("/template/spec"));
    Row {
        kind: Kind::Job,
        namespace: meta.namespace().to_string(),
        name: meta.name().to_string(),
        labels: meta.labels.clone(),
        cells: vec![
            meta.name().to_string(),
            state.to_string(),
            completions,
            duration,
            translate_timestamp_since(meta.creation_timestamp.map(|t| t.0), now),
            c,
            i,
            format_label_selector(spec.get("selector")),
        ],
    }
}

/// `kubectl get cronjobs`: NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE (+ wide).
pub fn cron_job_row(meta: &ObjectMeta, body: &Map<String, Value>, now: Millis) -> Row {
    let spec = body.get("spec").cloned().unwrap_or(Value::Null);
    let status = body.get("status").cloned().unwrap_or(Value::Null);
    let last = time_of(&status, "/lastScheduleTime")
        .map(|t| translate_timestamp_since(Some(t), now))
        .unwrap_or_else(|| "<none>".into());
    let suspend = match spec.get("suspend").and_then(Value::as_bool) {
        Some(true) => "True",
        Some(false) => "False",
        None => "<unset>",
    };
    let active = status
        .get("active")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let (c, i) = containers_cells(spec.pointer("/jobTemplate/spec/template/spec"));
    Row {
        kind: Kind::CronJob,
        namespace: meta.namespace().to_string(),
        name: meta.name().to_string(),
        labels: meta.labels.clone(),
        cells: vec![
            meta.name().to_string(),
            s(&spec, "/schedule").unwrap_or("").to_string(),
            s(&spec, "/timeZone").unwrap_or("<none>").to_string(),
            suspend.to_string(),
            active.to_string(),
            last,
            translate_timestamp_since(meta.creation_timestamp.map(|t| t.0), now),
            c,
            i,
            format_label_selector(spec.pointer("/jobTemplate/spec/selector")),
        ],
    }
}

/// `DescribePodTemplate` (containers without status).
fn describe_pod_template(w: &mut TabWriter, tpl: Option<&Value>) {
    w.write("Pod Template:\n");
    let Some(tpl) = tpl else {
        w.write("  <unset>");
        return;
    };
    labels_multiline(w, "  Labels", &str_map(tpl.pointer("/metadata/labels")));
    let ann = str_map(tpl.pointer("/metadata/annotations"));
    if !ann.is_empty() {
        annotations_multiline(w, "  Annotations", &ann);
    }
    let spec = tpl.get("spec").cloned().unwrap_or(Value::Null);
    if let Some(sa) = s(&spec, "/serviceAccountName").filter(|x| !x.is_empty()) {
        w.write(&format!("  Service Account:\t{sa}\n"));
    }
    for (title, field) in [
        ("Init Containers", "initContainers"),
        ("Containers", "containers"),
    ] {
        let cs = spec
            .get(field)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if cs.is_empty() && field == "initContainers" {
            continue;
        }
        w.write(&format!("  {title}:\n"));
        for c in &cs {
            describe_template_container(w, c);
        }
    }
    let vols = spec
        .get("volumes")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if vols.is_empty() {
        w.write("  Volumes:\t<none>\n");
    } else {
        w.write("  Volumes:\n");
        for v in &vols {
            w.write(&format!("   {}:\n", s(v, "/name").unwrap_or("")));
        }
    }
    labels_multiline(w, "  Node-Selectors", &str_map(spec.get("nodeSelector")));
    let tols = spec
        .get("tolerations")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if tols.is_empty() {
        w.write("  Tolerations:\t<none>\n");
    } else {
        for (i, t) in tols.iter().enumerate() {
            let key = s(t, "/key").unwrap_or("");
            let text = match (s(t, "/value"), s(t, "/effect")) {
                (Some(v), Some(e)) => format!("{key}={v}:{e}"),
                (None, Some(e)) => format!("{key}:{e}"),
                (Some(v), None) => format!("{key}={v}"),
                (None, None) => key.to_string(),
            };
            let title = if i == 0 { "  Tolerations:" } else { "" };
            w.write(&format!("{title}\t{text}\n"));
        }
    }
}

fn describe_template_container(w: &mut TabWriter, c: &Value) {
    w.write(&format!("   {}:\n", s(c, "/name").unwrap_or("")));
    w.write(&format!("    Image:\t{}\n", s(c, "/image").unwrap_or("")));
    let ports = c
        .get("ports")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if ports.is_empty() {
        w.write("    Port:\t<none>\n    Host Port:\t<none>\n");
    } else {
        let proto = |p: &Value| s(p, "/protocol").unwrap_or("TCP").to_string();
        let ps: Vec<String> = ports
            .iter()
            .map(|p| format!("{}/{}", n(p, "/containerPort").unwrap_or(0), proto(p)))
            .collect();
        let hs: Vec<String> = ports
            .iter()
            .map(|p| format!("{}/{}", n(p, "/hostPort").unwrap_or(0), proto(p)))
            .collect();
        let plural = if ports.len() > 1 { "s" } else { "" };
        w.write(&format!("    Port{plural}:\t{}\n", ps.join(", ")));
        w.write(&format!("    Host Port{plural}:\t{}\n", hs.join(", ")));
    }
    for (title, field) in [("Command", "command"), ("Args", "args")] {
        if let Some(a) = c
            .get(field)
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty())
        {
            w.write(&format!("    {title}:\n"));
            for x in a {
                for line in x.as_str().unwrap_or("").split('\n') {
                    w.write(&format!("      {line}\n"));
                }
            }
        }
    }
    let env = c
        .get("env")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if env.is_empty() {
        w.write("    Environment:\t<none>\n");
    } else {
        w.write("    Environment:\n");
        for e in &env {
            let name = s(e, "/name").unwrap_or("");
            match (s(e, "/value"), e.pointer("/valueFrom/fieldRef")) {
                (_, Some(r)) => w.write(&format!(
                    "      {name}:\t ({}:{})\n",
                    s(r, "/apiVersion").unwrap_or("v1"),
                    s(r, "/fieldPath").unwrap_or("")
                )),
                (v, None) => w.write(&format!("      {name}:\t{}\n", v.unwrap_or(""))),
            }
        }
    }
    let mounts = c
        .get("volumeMounts")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if mounts.is_empty() {
        w.write("    Mounts:\t<none>\n");
    } else {
        w.write("    Mounts:\n");
        for m in &mounts {
            let ro = if m.get("readOnly").and_then(Value::as_bool) == Some(true) {
                "ro"
            } else {
                "rw"
            };
            w.write(&format!(
                "      {} from {} ({ro})\n",
                s(m, "/mountPath").unwrap_or(""),
                s(m, "/name").unwrap_or("")
            ));
        }
    }
}

/// `kubectl describe job`.
pub fn describe_job(
    meta: &ObjectMeta,
    body: &Map<String, Value>,
    events: &[&Event],
    now: Millis,
) -> String {
    let mut w = TabWriter::describe();
    let spec = body.get("spec").cloned().unwrap_or(Value::Null);
    let status = body.get("status").cloned().unwrap_or(Value::Null);
    w.write(&format!("Name:\t{}\n", meta.name()));
    w.write(&format!("Namespace:\t{}\n", meta.namespace()));
    let sel = format_label_selector(spec.get("selector"));
    w.write(&format!(
        "Selector:\t{}\n",
        if sel == "<none>" { "" } else { sel.as_str() }
    ));
    labels_multiline(&mut w, "Labels", &meta.labels);
    annotations_multiline(&mut w, "Annotations", &meta.annotations);
    if let Some(r) = meta
        .owner_references
        .iter()
        .find(|r| r.controller == Some(true))
    {
        w.write(&format!("Controlled By:\t{}/{}\n", r.kind, r.name));
    }
    if let Some(p) = n(&spec, "/parallelism") {
        w.write(&format!("Parallelism:\t{p}\n"));
    }
    match n(&spec, "/completions") {
        Some(c) => w.write(&format!("Completions:\t{c}\n")),
        None => w.write("Completions:\t<unset>\n"),
    }
    if let Some(m) = s(&spec, "/completionMode") {
        w.write(&format!("Completion Mode:\t{m}\n"));
    }
    if let Some(b) = spec.get("suspend").and_then(Value::as_bool) {
        w.write(&format!("Suspend:\t{b}\n"));
    }
    if let Some(b) = n(&spec, "/backoffLimit") {
        w.write(&format!("Backoff Limit:\t{b}\n"));
    }
    if let Some(t) = n(&spec, "/ttlSecondsAfterFinished") {
        w.write(&format!("TTL Seconds After Finished:\t{t}\n"));
    }
    let start = time_of(&status, "/startTime");
    let done = time_of(&status, "/completionTime");
    if let Some(st) = start {
        w.write(&format!("Start Time:\t{}\n", date(Time(st))));
    }
    if let Some(ct) = done {
        w.write(&format!("Completed At:\t{}\n", date(Time(ct))));
    }
    if let (Some(st), Some(ct)) = (start, done) {
        w.write(&format!("Duration:\t{}\n", human_duration(ct - st)));
    }
    if let Some(a) = n(&spec, "/activeDeadlineSeconds") {
        w.write(&format!("Active Deadline Seconds:\t{a}s\n"));
    }
    let c = |f: &str| n(&status, f).unwrap_or(0);
    match n(&status, "/ready") {
        Some(r) => w.write(&format!(
            "Pods Statuses:\t{} Active ({r} Ready) / {} Succeeded / {} Failed\n",
            c("/active"),
            c("/succeeded"),
            c("/failed")
        )),
        None => w.write(&format!(
            "Pods Statuses:\t{} Active / {} Succeeded / {} Failed\n",
            c("/active"),
            c("/succeeded"),
            c("/failed")
        )),
    }
    if s(&spec, "/completionMode") == Some("Indexed") {
        let idx = s(&status, "/completedIndexes").filter(|x| !x.is_empty());
        w.write(&format!(
            "Completed Indexes:\t{}\n",
            idx.unwrap_or("<none>")
        ));
    }
    describe_pod_template(&mut w, spec.get("template"));
    describe_events(&mut w, events, now);
    w.flush()
}

/// `kubectl describe cronjob`.
pub fn describe_cron_job(
    meta: &ObjectMeta,
    body: &Map<String, Value>,
    events: &[&Event],
    now: Millis,
) -> String {
    let mut w = TabWriter::describe();
    let spec = body.get("spec").cloned().unwrap_or(Value::Null);
    let status = body.get("status").cloned().unwrap_or(Value::Null);
    w.write(&format!("Name:\t{}\n", meta.name()));
    w.write(&format!("Namespace:\t{}\n", meta.namespace()));
    labels_multiline(&mut w, "Labels", &meta.labels);
    annotations_multiline(&mut w, "Annotations", &meta.annotations);
    w.write(&format!(
        "Schedule:\t{}\n",
        s(&spec, "/schedule").unwrap_or("")
    ));
    w.write(&format!(
        "Concurrency Policy:\t{}\n",
        s(&spec, "/concurrencyPolicy").unwrap_or("")
    ));
    let b = |v: Option<bool>| match v {
        Some(true) => "True",
        Some(false) => "False",
        None => "<unset>",
    };
    w.write(&format!(
        "Suspend:\t{}\n",
        b(spec.get("suspend").and_then(Value::as_bool))
    ));
    let opt = |f: &str| n(&spec, f).map_or("<unset>".to_string(), |x| x.to_string());
    w.write(&format!(
        "Successful Job History Limit:\t{}\n",
        opt("/successfulJobsHistoryLimit")
    ));
    w.write(&format!(
        "Failed Job History Limit:\t{}\n",
        opt("/failedJobsHistoryLimit")
    ));
    match n(&spec, "/startingDeadlineSeconds") {
        Some(d) => w.write(&format!("Starting Deadline Seconds:\t{d}s\n")),
        None => w.write("Starting Deadline Seconds:\t<unset>\n"),
    }
    let jt = spec
        .pointer("/jobTemplate/spec")
        .cloned()
        .unwrap_or(Value::Null);
    let sel = format_label_selector(jt.get("selector"));
    w.write(&format!(
        "Selector:\t{}\n",
        if sel == "<none>" {
            "<unset>"
        } else {
            sel.as_str()
        }
    ));
    let jopt = |f: &str| n(&jt, f).map_or("<unset>".to_string(), |x| x.to_string());
    w.write(&format!("Parallelism:\t{}\n", jopt("/parallelism")));
    w.write(&format!("Completions:\t{}\n", jopt("/completions")));
    if let Some(a) = n(&jt, "/activeDeadlineSeconds") {
        w.write(&format!("Active Deadline Seconds:\t{a}s\n"));
    }
    describe_pod_template(&mut w, jt.get("template"));
    match time_of(&status, "/lastScheduleTime") {
        Some(t) => w.write(&format!("Last Schedule Time:\t{}\n", date(Time(t)))),
        None => w.write("Last Schedule Time:\t<unset>\n"),
    }
    let active: Vec<String> = status
        .get("active")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|r| s(r, "/name").map(String::from))
                .collect()
        })
        .unwrap_or_default();
    if active.is_empty() {
        w.write("Active Jobs:\t<none>\n");
    } else {
        w.write(&format!("Active Jobs:\t{}\n", active.join(", ")));
    }
    describe_events(&mut w, events, now);
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    /// printers.go printJob: COMPLETIONS forms and the STATUS priority.
    #[test]
    fn job_completions_and_status_follow_print_job() {
        let meta = ObjectMeta {
            name: Some("j".into()),
            ..Default::default()
        };
        let r = job_row(
            &meta,
            &body(json!({"spec": {"completions": 5}, "status": {"succeeded": 2}})),
            0,
        );
        assert_eq!(r.cells[1..3], ["Running".to_string(), "2/5".to_string()]);
        let r = job_row(
            &meta,
            &body(json!({"spec": {"parallelism": 3}, "status": {}})),
            0,
        );
        assert_eq!(r.cells[2], "0/1 of 3");
        let r = job_row(&meta, &body(json!({"spec": {"parallelism": 1}})), 0);
        assert_eq!(r.cells[2], "0/1");
        let r = job_row(
            &meta,
            &body(
                json!({"spec": {"completions": 1}, "status": {"conditions": [
                {"type": "FailureTarget", "status": "True"}, {"type": "Failed", "status": "True"}],
                "startTime": "2024-06-01T12:00:00Z"}}),
            ),
            39_000,
        );
        assert_eq!(r.cells[1], "Failed");
        // DURATION grows while there is no completionTime.
        assert_eq!(r.cells[3], "39s");
        let r = job_row(
            &meta,
            &body(json!({"status": {"conditions": [{"type": "FailureTarget", "status": "True"}]}})),
            0,
        );
        assert_eq!(r.cells[1], "FailureTarget");
    }

    #[test]
    fn cron_job_row_prints_none_for_unset_zone_and_last_schedule() {
        let meta = ObjectMeta {
            name: Some("hello".into()),
            ..Default::default()
        };
        let r = cron_job_row(
            &meta,
            &body(json!({"spec": {"schedule": "*/1 * * * *", "suspend": false}})),
            0,
        );
        assert_eq!(
            r.cells[1..6],
            ["*/1 * * * *", "<none>", "False", "0", "<none>"].map(String::from)
        );
    }
}
