//! The default cluster (cli-contract.md "The default cluster"): without Node documents, one
//! control-plane node tainted NoSchedule and two workers; with Node documents, exactly those.

mod common;

use common::*;
use serde_json::Value;

fn node_records(records: &[Value]) -> Vec<(String, String, String)> {
    of_kind(records, "object")
        .into_iter()
        .filter(|r| s(r, "objectKind") == "Node")
        .map(|r| {
            (
                s(r, "name").to_string(),
                s(&r["columns"], "STATUS").to_string(),
                s(&r["columns"], "ROLES").to_string(),
            )
        })
        .collect()
}

fn output_of(records: &[Value], command: &str) -> String {
    of_kind(records, "output")
        .into_iter()
        .find(|r| s(r, "command") == command)
        .map(|r| s(r, "stdout").to_string())
        .unwrap_or_else(|| panic!("no output for {command:?}"))
}

/// Does a `kubectl describe` section hold the line `KEY:   VALUE` (any alignment)?
fn has_field(text: &str, key: &str, value: &str) -> bool {
    text.lines().any(|l| {
        l.trim_start()
            .strip_prefix(key)
            .and_then(|rest| rest.strip_prefix(':'))
            .is_some_and(|v| v.trim() == value)
    })
}

/// Runs FILES with SCRIPT in the scratch folder `name` (one per call: tests run in parallel).
fn run_with_script(name: &str, files: &[&str], script: &str, until: &str) -> Vec<Value> {
    let dir = scratch(name);
    std::fs::write(dir.join("s.txt"), script).expect("script");
    let mut args = vec![
        "run", "--script", "s.txt", "--until", until, "--output", "json",
    ];
    let paths: Vec<String> = files
        .iter()
        .map(|f| fixtures().join(f).to_string_lossy().into_owned())
        .collect();
    args.extend(paths.iter().map(String::as_str));
    let out = podplay_in(&dir, &args);
    out.assert_ok();
    out.records()
}

#[test]
fn default_cluster_is_one_control_plane_and_two_workers() {
    let records = run_with_script(
        "default-cluster-1",
        &["pod-web.yaml"],
        "@1s kubectl get nodes\n",
        "2s",
    );
    let nodes = node_records(&records);
    let control_planes: Vec<_> = nodes.iter().filter(|n| n.2 == "control-plane").collect();
    let workers: Vec<_> = nodes.iter().filter(|n| n.2 == "<none>").collect();
    assert_eq!(control_planes.len(), 1, "{nodes:?}");
    assert_eq!(workers.len(), 2, "{nodes:?}");
    assert_eq!(nodes.len(), 3, "{nodes:?}");
    assert!(nodes.iter().all(|n| n.1 == "Ready"), "{nodes:?}");
    let get = output_of(&records, "kubectl get nodes");
    let rows: Vec<&str> = get.lines().skip(1).collect();
    assert_eq!(rows.len(), 3, "{get}");
    assert!(get.starts_with("NAME "), "{get}");
}

#[test]
fn default_control_plane_node_has_the_no_schedule_taint_and_workers_have_none() {
    let records = run_with_script(
        "default-cluster-2",
        &["pod-web.yaml"],
        "@1s kubectl get nodes --no-headers\n",
        "2s",
    );
    let nodes = node_records(&records);
    let control_plane = nodes
        .iter()
        .find(|n| n.2 == "control-plane")
        .map(|n| n.0.clone())
        .unwrap_or_default();
    let workers: Vec<String> = nodes
        .iter()
        .filter(|n| n.2 == "<none>")
        .map(|n| n.0.clone())
        .collect();
    let mut script = format!("@1s kubectl describe node {control_plane}\n");
    for w in &workers {
        script.push_str(&format!("@1s kubectl describe node {w}\n"));
    }
    let records = run_with_script("default-cluster-3", &["pod-web.yaml"], &script, "2s");
    let cp = output_of(&records, &format!("kubectl describe node {control_plane}"));
    assert!(
        cp.contains("\nTaints:             node-role.kubernetes.io/control-plane:NoSchedule\n"),
        "{cp}"
    );
    for w in &workers {
        let d = output_of(&records, &format!("kubectl describe node {w}"));
        assert!(d.contains("\nTaints:             <none>\n"), "{d}");
    }
}

#[test]
fn default_nodes_have_a_realistic_capacity() {
    let records = run_with_script(
        "default-cluster-4",
        &["pod-web.yaml"],
        "@1s kubectl describe node node1\n",
        "2s",
    );
    let d = output_of(&records, "kubectl describe node node1");
    let capacity = d
        .split("\nCapacity:\n")
        .nth(1)
        .and_then(|rest| rest.split("\nAllocatable:\n").next())
        .unwrap_or_else(|| panic!("no Capacity section: {d}"));
    assert!(has_field(capacity, "cpu", "2"), "{capacity}");
    assert!(capacity.contains("  memory:"), "{capacity}");
    assert!(has_field(capacity, "pods", "110"), "{capacity}");
}

#[test]
fn default_cluster_schedules_pods_on_workers_only() {
    let out = podplay(&["run", "--until", "2s", "--output", "json", "six-pods.yaml"]);
    out.assert_ok();
    let records = out.records();
    let nodes = node_records(&records);
    let control_plane = nodes
        .iter()
        .find(|n| n.2 == "control-plane")
        .map(|n| n.0.clone())
        .unwrap_or_default();
    let scheduled: Vec<&Value> = of_kind(&records, "event")
        .into_iter()
        .filter(|r| s(r, "reason") == "Scheduled")
        .collect();
    assert_eq!(scheduled.len(), 6, "{scheduled:#?}");
    for r in scheduled {
        assert!(
            !s(r, "message").ends_with(&format!(" to {control_plane}")),
            "scheduled on the tainted control plane: {r}"
        );
    }
}

#[test]
fn node_documents_replace_the_default_cluster() {
    let records = run_with_script(
        "default-cluster-5",
        &["node-big-worker.yaml", "pod-web.yaml"],
        "@1s kubectl get nodes --show-labels\n@1s kubectl describe node big-worker\n",
        "2s",
    );
    let nodes = node_records(&records);
    assert_eq!(
        nodes,
        [("big-worker".into(), "Ready".into(), "<none>".into())]
    );
    let get = output_of(&records, "kubectl get nodes --show-labels");
    assert_eq!(get.lines().count(), 2, "only the documented node: {get}");
    assert!(
        get.contains("disk=ssd"),
        "labels come from the document: {get}"
    );
    let describe = output_of(&records, "kubectl describe node big-worker");
    assert!(
        describe.contains("\nTaints:             <none>\n"),
        "{describe}"
    );
    assert!(has_field(&describe, "cpu", "8"), "{describe}");
    assert!(has_field(&describe, "memory", "16Gi"), "{describe}");
    let scheduled = of_kind(&records, "event")
        .into_iter()
        .find(|r| s(r, "reason") == "Scheduled")
        .map(|r| s(r, "message").to_string())
        .unwrap_or_default();
    assert_eq!(scheduled, "Successfully assigned default/web to big-worker");
}

#[test]
fn node_documents_given_after_the_pods_still_replace_the_default_cluster() {
    let records = run_with_script(
        "default-cluster-6",
        &["pod-web.yaml", "node-big-worker.yaml"],
        "",
        "2s",
    );
    let names: Vec<String> = node_records(&records).into_iter().map(|n| n.0).collect();
    assert_eq!(names, ["big-worker"]);
}
