//! The JSON Lines trace of `podplay run --output json` (cli-contract.md "JSON Lines trace"): record
//! kinds, their required fields, time order, and when object and endpoints records are emitted.

mod common;

use common::*;
use serde_json::Value;
use std::collections::BTreeMap;

fn json_run(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["run", "--output", "json"];
    all.extend_from_slice(args);
    let out = podplay(&all);
    out.assert_ok();
    out.records()
}

fn objects_named<'a>(records: &'a [Value], kind: &str, name: &str) -> Vec<&'a Value> {
    of_kind(records, "object")
        .into_iter()
        .filter(|r| s(r, "objectKind") == kind && s(r, "name") == name)
        .collect()
}

/// The column names of an object record, sorted.
fn column_names(r: &Value) -> Vec<String> {
    r["columns"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn every_line_has_a_number_t_with_millisecond_precision_and_a_string_kind() {
    let records = json_run(&[
        "--until",
        "50s",
        "--script",
        "scripts/grammar.txt",
        "pod-web.yaml",
        "kinds/deployment.yaml",
        "pod-liveness-exec.yaml",
    ]);
    assert!(!records.is_empty());
    for r in &records {
        assert!(r.is_object(), "{r}");
        let t = r["t"]
            .as_f64()
            .unwrap_or_else(|| panic!("t is not a number: {r}"));
        assert!(t >= 0.0, "{r}");
        let ms = t * 1000.0;
        assert!(
            (ms - ms.round()).abs() < 1e-6,
            "t has more than ms precision: {r}"
        );
        assert!(r["kind"].is_string(), "kind is not a string: {r}");
    }
}

#[test]
fn records_come_in_time_order() {
    let records = json_run(&[
        "--until",
        "50s",
        "--script",
        "scripts/grammar.txt",
        "pod-web.yaml",
        "pod-liveness-exec.yaml",
    ]);
    let times: Vec<f64> = records.iter().filter_map(|r| r["t"].as_f64()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
}

#[test]
fn event_record_has_type_reason_object_namespace_message() {
    // The contract's own example: golden S2, exec liveness on a file removed at 30 s.
    let records = json_run(&["--until", "50s", "pod-liveness-exec.yaml"]);
    let unhealthy: Vec<&Value> = of_kind(&records, "event")
        .into_iter()
        .filter(|r| s(r, "reason") == "Unhealthy")
        .collect();
    assert!(!unhealthy.is_empty(), "no Unhealthy event");
    let r = unhealthy[0];
    assert_eq!(s(r, "type"), "Warning");
    assert_eq!(s(r, "object"), "Pod/liveness-exec");
    assert_eq!(s(r, "namespace"), "default");
    assert_eq!(
        s(r, "message"),
        "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory"
    );
    for r in of_kind(&records, "event") {
        for key in ["type", "reason", "object", "namespace", "message"] {
            assert!(r[key].is_string(), "event without string {key}: {r}");
        }
        let object = s(r, "object");
        let (kind, name) = object.split_once('/').unwrap_or(("", ""));
        assert!(
            !kind.is_empty()
                && kind.chars().next().is_some_and(char::is_uppercase)
                && !name.is_empty(),
            "object is not Kind/name: {r}"
        );
    }
}

#[test]
fn event_records_are_one_per_occurrence_never_aggregated() {
    // failureThreshold 3, period 5 s: three identical Unhealthy events before the kill.
    let records = json_run(&["--until", "50s", "pod-liveness-exec.yaml"]);
    let unhealthy: Vec<&Value> = of_kind(&records, "event")
        .into_iter()
        .filter(|r| s(r, "reason") == "Unhealthy")
        .collect();
    assert_eq!(unhealthy.len(), 3, "{unhealthy:#?}");
    let times: Vec<f64> = unhealthy.iter().filter_map(|r| r["t"].as_f64()).collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");
    for r in unhealthy {
        if let Some(count) = r.get("count") {
            assert_eq!(count, 1, "aggregated event record: {r}");
        }
    }
}

#[test]
fn pod_object_record_has_kubectl_wide_columns_without_name_and_age() {
    let records = json_run(&["--until", "20s", "pod-web.yaml"]);
    let pods = objects_named(&records, "Pod", "web");
    assert!(!pods.is_empty());
    for r in &pods {
        assert_eq!(s(r, "namespace"), "default");
        assert_eq!(
            column_names(r),
            [
                "IP",
                "NODE",
                "NOMINATED NODE",
                "READINESS GATES",
                "READY",
                "RESTARTS",
                "STATUS"
            ],
            "{r}"
        );
        assert!(r["columns"]
            .as_object()
            .is_some_and(|c| c.values().all(Value::is_string)));
    }
    let last = pods.last().copied().unwrap_or(&Value::Null);
    assert_eq!(last["columns"]["READY"], "1/1");
    assert_eq!(last["columns"]["STATUS"], "Running");
    assert_eq!(last["columns"]["RESTARTS"], "0");
    assert!(s(&last["columns"], "IP").starts_with("10.244."), "{last}");
    assert!(s(&last["columns"], "NODE").starts_with("node"), "{last}");
}

#[test]
fn object_record_is_emitted_only_when_the_row_changes() {
    let records = json_run(&[
        "--until",
        "60s",
        "--script",
        "scripts/grammar.txt",
        "pod-web.yaml",
        "kinds/deployment.yaml",
        "pod-liveness-exec.yaml",
    ]);
    let mut last: BTreeMap<(String, String, String), &Value> = BTreeMap::new();
    for r in of_kind(&records, "object") {
        let key = (
            s(r, "objectKind").to_string(),
            s(r, "namespace").to_string(),
            s(r, "name").to_string(),
        );
        if let Some(prev) = last.get(&key) {
            assert!(
                prev["columns"] != r["columns"] || r["deleted"] == true,
                "repeated row for {key:?}: {r}"
            );
        }
        last.insert(key, r);
    }
}

#[test]
fn restarts_is_the_bare_count() {
    // S2 restarts its container after three failed probes, with the usual "(Ns ago)" in kubectl.
    let records = json_run(&["--until", "90s", "pod-liveness-exec.yaml"]);
    let pods = objects_named(&records, "Pod", "liveness-exec");
    for r in &pods {
        let restarts = s(&r["columns"], "RESTARTS");
        assert!(
            !restarts.is_empty() && restarts.chars().all(|c| c.is_ascii_digit()),
            "RESTARTS is not a bare count: {r}"
        );
    }
    assert!(
        pods.iter().any(|r| r["columns"]["RESTARTS"] == "1"),
        "the liveness kill must show as RESTARTS 1"
    );
}

#[test]
fn deletion_emits_one_record_with_deleted_true() {
    let dir = scratch("delete");
    std::fs::copy(fixtures().join("pod-web.yaml"), dir.join("pod.yaml")).expect("copy");
    std::fs::write(dir.join("script.txt"), "@12s kubectl delete pod web\n").expect("script");
    let out = podplay_in(
        &dir,
        &[
            "run",
            "--output",
            "json",
            "--until",
            "60s",
            "--script",
            "script.txt",
            "pod.yaml",
        ],
    );
    out.assert_ok();
    let records = out.records();
    let pods = objects_named(&records, "Pod", "web");
    let deleted: Vec<&&Value> = pods.iter().filter(|r| r["deleted"] == true).collect();
    assert_eq!(deleted.len(), 1, "{pods:#?}");
    assert!(
        pods.last().is_some_and(|r| r["deleted"] == true),
        "the deletion record is the pod's last"
    );
    assert!(deleted[0]["t"].as_f64().is_some_and(|t| t >= 12.0));
    assert!(
        pods.iter().any(|r| r["columns"]["STATUS"] == "Terminating"),
        "a deleted running pod shows Terminating first: {pods:#?}"
    );
}

#[test]
fn endpoints_record_lists_ready_and_not_ready_addresses() {
    // The readiness probe makes the pod not ready for a moment after it starts.
    let records = json_run(&["--until", "30s", "web-with-service.yaml"]);
    let eps: Vec<&Value> = of_kind(&records, "endpoints")
        .into_iter()
        .filter(|r| s(r, "name") == "web")
        .collect();
    assert!(!eps.is_empty(), "no endpoints record for service web");
    for r in &eps {
        assert_eq!(s(r, "namespace"), "default");
        for key in ["ready", "notReady"] {
            let list = r[key]
                .as_array()
                .unwrap_or_else(|| panic!("{key} is not a list: {r}"));
            assert!(list.iter().all(Value::is_string), "{r}");
        }
    }
    let ip = objects_named(&records, "Pod", "web")
        .last()
        .map(|r| s(&r["columns"], "IP").to_string())
        .unwrap_or_default();
    let address = Value::String(format!("{ip}:80"));
    assert!(
        eps.iter().any(|r| r["notReady"]
            .as_array()
            .is_some_and(|a| a.contains(&address))),
        "the starting pod is first not ready: {eps:#?}"
    );
    let last = eps.last().copied().unwrap_or(&Value::Null);
    assert_eq!(last["ready"], Value::Array(vec![address]), "{last}");
    assert_eq!(last["notReady"], Value::Array(vec![]), "{last}");
}

#[test]
fn endpoints_record_is_emitted_only_when_addresses_change() {
    let records = json_run(&[
        "--until",
        "60s",
        "web-with-service.yaml",
        "kinds/deployment.yaml",
    ]);
    let mut last: BTreeMap<(String, String), &Value> = BTreeMap::new();
    for r in of_kind(&records, "endpoints") {
        let key = (s(r, "namespace").to_string(), s(r, "name").to_string());
        if let Some(prev) = last.get(&key) {
            assert!(
                prev["ready"] != r["ready"] || prev["notReady"] != r["notReady"],
                "repeated endpoints record: {r}"
            );
        }
        last.insert(key, r);
    }
}

#[test]
fn output_record_has_command_stdout_stderr_exit() {
    let records = json_run(&[
        "--until",
        "20s",
        "--script",
        "scripts/missing-things.txt",
        "pod-web.yaml",
    ]);
    let outputs = of_kind(&records, "output");
    assert_eq!(outputs.len(), 5, "one record per script line: {outputs:#?}");
    for r in &outputs {
        for key in ["command", "stdout", "stderr"] {
            assert!(r[key].is_string(), "output without string {key}: {r}");
        }
        assert!(r["exit"].is_i64(), "exit is not a number: {r}");
    }
    let first = outputs[0];
    assert_eq!(first["t"], 10.0);
    assert_eq!(s(first, "command"), "kubectl delete pod ghost");
    assert_eq!(s(first, "stdout"), "");
    assert_eq!(
        s(first, "stderr"),
        "Error from server (NotFound): pods \"ghost\" not found\n"
    );
    assert_eq!(first["exit"], 1);
}

#[test]
fn output_record_of_kubectl_get_pods_is_what_kubectl_prints() {
    let records = json_run(&[
        "--until",
        "20s",
        "--script",
        "scripts/grammar.txt",
        "pod-web.yaml",
    ]);
    let get = of_kind(&records, "output")
        .into_iter()
        .find(|r| s(r, "command") == "kubectl get pods web --no-headers")
        .cloned()
        .unwrap_or_else(|| panic!("no output record for the get at 12s"));
    assert_eq!(get["t"], 12.0);
    assert_eq!(get["exit"], 0);
    assert_eq!(s(&get, "stderr"), "");
    assert_eq!(s(&get, "stdout"), "web   1/1   Running   0     12s\n");
}

#[test]
fn node_and_service_records_have_their_kubectl_columns() {
    let records = json_run(&["--until", "1s", "web-with-service.yaml"]);
    let node = objects_named(&records, "Node", "node1");
    let node = node.first().unwrap_or_else(|| panic!("no Node record"));
    assert_eq!(s(node, "namespace"), "", "nodes are cluster-scoped");
    let cols = column_names(node);
    for c in ["STATUS", "ROLES"] {
        assert!(cols.iter().any(|x| x == c), "Node lacks {c}: {node}");
    }
    let svc = objects_named(&records, "Service", "web");
    let svc = svc.first().unwrap_or_else(|| panic!("no Service record"));
    let cols = column_names(svc);
    for c in ["TYPE", "CLUSTER-IP", "PORT(S)"] {
        assert!(cols.iter().any(|x| x == c), "Service lacks {c}: {svc}");
    }
    assert_eq!(svc["columns"]["TYPE"], "ClusterIP");
    assert_eq!(svc["columns"]["PORT(S)"], "80/TCP");
}

#[test]
fn deployment_and_replicaset_records_have_their_kubectl_columns() {
    let records = json_run(&["--until", "30s", "kinds/deployment.yaml"]);
    let deploy = objects_named(&records, "Deployment", "web");
    let last = deploy
        .last()
        .unwrap_or_else(|| panic!("no Deployment record"));
    for c in ["READY", "UP-TO-DATE", "AVAILABLE"] {
        assert!(
            column_names(last).iter().any(|x| x == c),
            "Deployment lacks {c}: {last}"
        );
    }
    assert_eq!(last["columns"]["UP-TO-DATE"], "2", "{last}");
    let rs: Vec<&Value> = of_kind(&records, "object")
        .into_iter()
        .filter(|r| s(r, "objectKind") == "ReplicaSet")
        .collect();
    let last = rs.last().unwrap_or_else(|| panic!("no ReplicaSet record"));
    assert!(s(last, "name").starts_with("web-"), "{last}");
    assert_eq!(last["columns"]["DESIRED"], "2", "{last}");
    assert_eq!(last["columns"]["CURRENT"], "2", "{last}");
    assert_eq!(last["columns"]["READY"], "2", "{last}");
    for r in of_kind(&records, "object") {
        let cols = column_names(r);
        assert!(
            !cols.iter().any(|c| c == "NAME" || c == "AGE"),
            "columns must leave out NAME and AGE: {r}"
        );
    }
}

#[test]
fn deployment_record_follows_its_replicaset_to_ready() {
    let records = json_run(&["--until", "60s", "kinds/deployment.yaml"]);
    let deploy = objects_named(&records, "Deployment", "web");
    let last = deploy
        .last()
        .unwrap_or_else(|| panic!("no Deployment record"));
    assert_eq!(last["columns"]["READY"], "2/2", "{last}");
    assert_eq!(last["columns"]["UP-TO-DATE"], "2", "{last}");
    assert_eq!(last["columns"]["AVAILABLE"], "2", "{last}");
}

#[test]
fn job_and_cronjob_records_have_their_kubectl_columns() {
    let records = json_run(&["--until", "70s", "kinds/jobs.yaml"]);
    let job = objects_named(&records, "Job", "once");
    let last = job.last().unwrap_or_else(|| panic!("no Job record"));
    for c in ["STATUS", "COMPLETIONS"] {
        assert!(
            column_names(last).iter().any(|x| x == c),
            "Job lacks {c}: {last}"
        );
    }
    assert_eq!(last["columns"]["STATUS"], "Complete", "{last}");
    assert_eq!(last["columns"]["COMPLETIONS"], "1/1", "{last}");
    let cron = objects_named(&records, "CronJob", "tick");
    let first = cron.first().unwrap_or_else(|| panic!("no CronJob record"));
    for c in ["SCHEDULE", "SUSPEND", "ACTIVE", "LAST SCHEDULE"] {
        assert!(
            column_names(first).iter().any(|x| x == c),
            "CronJob lacks {c}: {first}"
        );
    }
    assert_eq!(first["columns"]["SCHEDULE"], "*/1 * * * *");
    assert_eq!(first["columns"]["SUSPEND"], "False");
}

#[test]
fn hpa_record_has_its_kubectl_columns() {
    let records = json_run(&["--until", "30s", "kinds/deployment.yaml"]);
    let hpa = objects_named(&records, "HorizontalPodAutoscaler", "web");
    let first = hpa
        .first()
        .unwrap_or_else(|| panic!("no HorizontalPodAutoscaler record"));
    for c in ["REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS"] {
        assert!(
            column_names(first).iter().any(|x| x == c),
            "HPA lacks {c}: {first}"
        );
    }
    assert_eq!(first["columns"]["REFERENCE"], "Deployment/web");
    assert_eq!(first["columns"]["MINPODS"], "2");
    assert_eq!(first["columns"]["MAXPODS"], "5");
}
