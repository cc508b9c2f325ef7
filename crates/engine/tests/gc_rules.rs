//! Garbage collection over ownerReferences (generic over the owner's kind), namespace deletion,
//! and node-side rules that need a whole simulation. Each test names the rule it checks.

mod common;

use common::*;
use podplay_engine::Simulation;

const RS: &str = r#"
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: pause
        image: registry.k8s.io/pause:3.10
"#;

fn pods_named(sim: &Simulation, prefix: &str) -> Vec<podplay_api::types::Pod> {
    sim.cl
        .store
        .pods
        .values()
        .filter(|p| p.metadata.name.as_deref().unwrap_or("").starts_with(prefix))
        .cloned()
        .collect()
}

fn run(sim: &mut Simulation, line: &str) -> podplay_engine::CommandOutput {
    sim.run_command(line).unwrap_or_default()
}

#[test]
fn background_cascade_deletes_the_owner_at_once_and_its_pods_gracefully() {
    let mut sim = start(RS);
    sim.run_until(10 * S);
    assert_eq!(pods_named(&sim, "web-").len(), 2);
    let out = run(&mut sim, "kubectl delete rs web");
    assert_eq!(out.stdout, "replicaset.apps \"web\" deleted\n");
    assert!(!sim
        .cl
        .store
        .others
        .keys()
        .any(|(k, _, n)| k == "ReplicaSet" && n == "web"));
    // Pods are deleted gracefully: Terminating first, gone once their kubelet finished.
    assert!(pods_named(&sim, "web-")
        .iter()
        .all(|p| p.metadata.deletion_timestamp.is_some()));
    sim.run_until(50 * S);
    assert!(pods_named(&sim, "web-").is_empty());
}

#[test]
fn orphan_cascade_keeps_the_pods_without_their_owner_reference() {
    let mut sim = start(RS);
    sim.run_until(10 * S);
    let out = run(&mut sim, "kubectl delete rs web --cascade=orphan");
    assert_eq!(out.exit, 0, "{out:?}");
    sim.run_until(20 * S);
    let pods = pods_named(&sim, "web-");
    assert_eq!(pods.len(), 2);
    assert!(
        pods.iter()
            .all(|p| p.metadata.owner_references.is_empty()
                && p.metadata.deletion_timestamp.is_none())
    );
}

#[test]
fn foreground_cascade_keeps_the_owner_until_its_blocking_dependents_are_gone() {
    let mut sim = start(RS);
    sim.run_until(10 * S);
    run(&mut sim, "kubectl delete rs web --cascade=foreground");
    let rs = sim
        .cl
        .store
        .others
        .iter()
        .find(|((k, _, n), _)| k == "ReplicaSet" && n == "web")
        .map(|(_, o)| o.clone())
        .expect("the owner stays while its pods terminate");
    assert!(rs.metadata.deletion_timestamp.is_some());
    assert_eq!(
        rs.metadata.finalizers,
        vec!["foregroundDeletion".to_string()]
    );
    // The ReplicaSet controller does not replace pods of an owner being deleted.
    sim.run_until(50 * S);
    assert!(pods_named(&sim, "web-").is_empty());
    assert!(!sim
        .cl
        .store
        .others
        .keys()
        .any(|(k, _, n)| k == "ReplicaSet" && n == "web"));
}

#[test]
fn cascade_flag_accepts_kubectl_values_only() {
    let mut sim = start(RS);
    let out = run(&mut sim, "kubectl delete rs web --cascade=sideways");
    assert_eq!(out.exit, 1);
    assert_eq!(
        out.stderr,
        "error: invalid cascade value (sideways). Must be \"background\", \"foreground\", or \"orphan\"\n"
    );
}

#[test]
fn a_terminating_namespace_refuses_new_objects_and_goes_once_empty() {
    let mut sim = start(RS);
    sim.run_until(10 * S);
    run(&mut sim, "kubectl create namespace team");
    let out = run(&mut sim, "kubectl delete ns team");
    assert_eq!(out.stdout, "namespace \"team\" deleted\n");
    sim.run_until(11 * S);
    assert!(!sim.cl.store.namespaces.contains_key("team"));
    let out = run(&mut sim, "kubectl delete ns kube-system");
    assert_eq!(out.exit, 1);
}
