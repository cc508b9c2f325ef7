//! The endpoints controller recomputes only the Services a pod change concerns
//! (`endpoints_scope.rs`, the controller's `getPodServiceMemberships`): a pod that stops
//! matching a selector must still leave that Service's endpoints, and a change to one Service's
//! pods must leave another Service's endpoints as they were.

mod common;
use common::*;

const TWO_APPS: &str = r#"
apiVersion: v1
kind: Pod
metadata:
  name: a-0
  labels: {app: a}
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    ports: [{containerPort: 80}]
---
apiVersion: v1
kind: Pod
metadata:
  name: b-0
  labels: {app: b}
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    ports: [{containerPort: 80}]
---
apiVersion: v1
kind: Service
metadata:
  name: a
spec:
  selector: {app: a}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata:
  name: b
spec:
  selector: {app: b}
  ports: [{port: 80}]
"#;

const S: i64 = 1000;

#[test]
fn a_pod_relabelled_out_of_a_selector_leaves_the_services_endpoints() {
    let mut sim = start(TWO_APPS);
    sim.run_until(30 * S);
    let ip_a = pod_ip(&sim, "a-0");
    let before = kubectl(&mut sim, "kubectl get endpoints a");
    assert!(before.contains(&format!("{ip_a}:80")), "{before}");
    let out = kubectl(&mut sim, "kubectl label pod a-0 app=other --overwrite");
    assert_eq!(out, "pod/a-0 labeled\n");
    sim.run_until(100 * S);
    let after = kubectl(&mut sim, "kubectl get endpoints a");
    assert!(!after.contains(&ip_a), "{after}");
    assert!(after.contains("<none>"), "{after}");
}

#[test]
fn a_pod_relabelled_into_a_selector_joins_that_service_only() {
    let mut sim = start(TWO_APPS);
    sim.run_until(30 * S);
    let ip_a = pod_ip(&sim, "a-0");
    let ip_b = pod_ip(&sim, "b-0");
    kubectl(&mut sim, "kubectl label pod a-0 app=b --overwrite");
    sim.run_until(100 * S);
    let b = kubectl(&mut sim, "kubectl get endpoints b");
    assert!(b.contains(&format!("{ip_a}:80")), "{b}");
    assert!(b.contains(&format!("{ip_b}:80")), "{b}");
    let a = kubectl(&mut sim, "kubectl get endpoints a");
    assert!(a.contains("<none>"), "{a}");
}
