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

const WEB: &str = r#"
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  nodeName: node2
  containers:
  - name: nginx
    image: nginx:1.27
"#;

/// controllers-semantics §8: a deleted pod on an unreachable node stays Terminating (its kubelet
/// never confirms) until it is force-deleted or the node returns.
#[test]
fn pods_on_an_unreachable_node_stay_terminating_until_force_deleted() {
    let mut sim = start(WEB);
    sim.run_until(20 * S);
    assert_eq!(run(&mut sim, "sim node-down node2").exit, 0);
    sim.run_until(30 * S);
    run(&mut sim, "kubectl delete pod web --wait=false");
    sim.run_until(200 * S);
    assert!(pod(&sim, "web").metadata.deletion_timestamp.is_some());
    let out = run(&mut sim, "kubectl get pods");
    assert!(out.stdout.contains("Terminating"), "{out:?}");
    run(&mut sim, "kubectl delete pod web --grace-period=0 --force");
    assert!(!pod_exists(&sim, "web"));
}

/// A node's kubelet that is down does nothing: no probe, no restart, no status write.
#[test]
fn a_down_kubelet_writes_no_status() {
    let mut sim = start(WEB);
    sim.run_until(20 * S);
    let rv = pod(&sim, "web").metadata.resource_version.clone();
    run(&mut sim, "sim node-down node2");
    run(&mut sim, "sim crash web");
    sim.run_until(60 * S);
    // Nothing wrote the pod between the crash and the controller's NotReady mark (after 60 s).
    assert_eq!(pod(&sim, "web").metadata.resource_version, rv);
    assert_eq!(run(&mut sim, "sim node-down node2").exit, 1);
    assert_eq!(run(&mut sim, "sim node-up node1").exit, 1);
}
