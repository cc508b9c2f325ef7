//! Services as a user meets them (issue 4, controllers-semantics §3): NodePort reachability and
//! allocation, headless DNS, publishNotReadyAddresses, `kubectl expose` and `kubectl create service`.

mod common;
use common::*;

const WEB: &str = r#"
apiVersion: v1
kind: Pod
metadata:
  name: web-0
  labels: {app: web}
spec:
  hostname: web-0
  subdomain: web
  containers:
  - name: nginx
    image: nginx:1.27
    ports: [{containerPort: 80}]
---
apiVersion: v1
kind: Pod
metadata:
  name: web-1
  labels: {app: web}
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    ports: [{containerPort: 80}]
---
apiVersion: v1
kind: Pod
metadata:
  name: client
spec:
  containers:
  - name: sh
    image: busybox:1.36
    command: [sleep, "3600"]
"#;

fn with_service(svc: &str) -> String {
    format!("{WEB}---\n{svc}")
}

#[test]
fn node_port_on_any_node_ip_reaches_the_service() {
    let mut sim = start(&with_service(
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: NodePort\n  selector: {app: web}\n  ports: [{port: 80}]\n",
    ));
    sim.run_until(40 * S);
    let np = sim
        .cl
        .store
        .services
        .get(&("default".into(), "web".into()))
        .and_then(|s| s.spec.ports[0].node_port)
        .unwrap_or(0);
    assert!((30000..=32767).contains(&np), "nodePort {np}");
    let get = kubectl(&mut sim, "kubectl get svc web");
    assert!(get.contains(&format!("80:{np}/TCP")), "{get}");
    assert!(get.contains("NodePort"), "{get}");
    for node_ip in ["172.18.0.2", "172.18.0.3", "172.18.0.4"] {
        let out = kubectl(
            &mut sim,
            &format!("kubectl exec client -- wget -qO- http://{node_ip}:{np}/"),
        );
        assert!(out.contains("Welcome to nginx!"), "{node_ip}: {out}");
    }
    let out = kubectl(
        &mut sim,
        "kubectl exec client -- wget -qO- http://172.18.0.3:31999/",
    );
    assert!(out.contains("Connection refused"), "{out}");
}

#[test]
fn node_ports_of_two_services_never_collide_and_a_taken_one_is_refused() {
    let mut sim = start(WEB);
    sim.run_until(S);
    let mut seen = std::collections::BTreeSet::new();
    for i in 0..40 {
        let out = kubectl(
            &mut sim,
            &format!("kubectl create service nodeport s{i} --tcp=80:80"),
        );
        assert_eq!(out, format!("service/s{i} created\n"));
        let np = sim
            .cl
            .store
            .services
            .get(&("default".into(), format!("s{i}")))
            .and_then(|s| s.spec.ports[0].node_port)
            .unwrap_or(0);
        assert!(seen.insert(np), "{np} allocated twice");
    }
    let taken = seen.iter().next().copied().unwrap_or(0);
    let out = kubectl(
        &mut sim,
        &format!("kubectl create service nodeport fixed --tcp=80:80 --node-port={taken}"),
    );
    assert!(
        out.contains(&format!(
            "The Service \"fixed\" is invalid: spec.ports[0].nodePort: Invalid value: {taken}: provided port is already allocated"
        )),
        "{out}"
    );
}

#[test]
fn headless_service_resolves_to_each_ready_pod_and_per_pod_names() {
    let mut sim = start(&with_service(
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  clusterIP: None\n  selector: {app: web}\n  ports: [{port: 80}]\n",
    ));
    sim.run_until(40 * S);
    let (ip0, ip1) = (pod_ip(&sim, "web-0"), pod_ip(&sim, "web-1"));
    let get = kubectl(&mut sim, "kubectl get svc web");
    assert!(get.contains("ClusterIP   None"), "{get}");
    let out = kubectl(&mut sim, "kubectl exec client -- nslookup web");
    assert!(
        out.contains(&format!("Address: {ip0}")) && out.contains(&format!("Address: {ip1}")),
        "{out}"
    );
    // StatefulSet-style name: hostname web-0, subdomain web.
    let out = kubectl(
        &mut sim,
        "kubectl exec client -- nslookup web-0.web.default.svc.cluster.local",
    );
    assert!(out.contains(&format!("Address: {ip0}")), "{out}");
    assert!(!out.contains(&ip1), "{out}");
    // web-1 set no hostname: no per-pod record.
    let out = kubectl(&mut sim, "kubectl exec client -- nslookup web-1.web");
    assert!(out.contains("NXDOMAIN"), "{out}");
    // A request to the name goes straight to a pod (no virtual IP).
    let out = kubectl(&mut sim, "kubectl exec client -- wget -qO- web");
    assert!(out.contains("Welcome to nginx!"), "{out}");
    let ep = sim
        .cl
        .store
        .endpoints
        .get(&("default".into(), "web".into()))
        .map(|e| e.subsets[0].addresses.clone())
        .unwrap_or_default();
    let hostnames: Vec<_> = ep.iter().map(|a| a.hostname.clone()).collect();
    assert!(hostnames.contains(&Some("web-0".into())), "{hostnames:?}");
    assert!(hostnames.contains(&None), "{hostnames:?}");
}

#[test]
fn publish_not_ready_addresses_lists_unready_pods_as_ready() {
    // controllers-semantics §3: ready = publishNotReadyAddresses || (serving && !terminating).
    let pods = r#"
apiVersion: v1
kind: Pod
metadata: {name: never-ready, labels: {app: db}}
spec:
  containers:
  - name: c
    image: busybox:1.36
    command: [sleep, "3600"]
    readinessProbe: {exec: {command: ["false"]}, periodSeconds: 5}
"#;
    let svc = |name: &str, publish: bool| {
        format!("---\napiVersion: v1\nkind: Service\nmetadata: {{name: {name}}}\nspec:\n  clusterIP: None\n  publishNotReadyAddresses: {publish}\n  selector: {{app: db}}\n  ports: [{{port: 5432}}]\n")
    };
    let mut sim = start(&format!(
        "{pods}{}{}",
        svc("plain", false),
        svc("published", true)
    ));
    sim.run_until(30 * S);
    let subsets = |sim: &podplay_engine::Simulation, n: &str| {
        sim.cl
            .store
            .endpoints
            .get(&("default".into(), n.into()))
            .map(|e| e.subsets.clone())
            .unwrap_or_default()
    };
    let plain = subsets(&sim, "plain");
    assert_eq!(plain[0].addresses.len(), 0);
    assert_eq!(plain[0].not_ready_addresses.len(), 1);
    let published = subsets(&sim, "published");
    assert_eq!(published[0].addresses.len(), 1);
    assert_eq!(published[0].not_ready_addresses.len(), 0);
}

#[test]
fn expose_deployment_makes_a_service_from_its_selector_and_ports() {
    let deploy = r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports: [{containerPort: 80}]
"#;
    let mut sim = start(deploy);
    sim.run_until(30 * S);
    assert_eq!(
        kubectl(&mut sim, "kubectl expose deployment web --type=NodePort"),
        "service/web exposed\n"
    );
    let svc = sim
        .cl
        .store
        .services
        .get(&("default".into(), "web".into()))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        svc.spec.selector.get("app").map(String::as_str),
        Some("web")
    );
    assert_eq!(
        svc.metadata.labels.get("app").map(String::as_str),
        Some("web")
    );
    assert_eq!(svc.spec.ports[0].port, 80);
    assert_eq!(svc.spec.ports[0].name, None);
    assert!(svc.spec.ports[0].node_port.is_some());
    sim.run_until(31 * S);
    let ep = kubectl(&mut sim, "kubectl get endpoints web");
    assert_eq!(ep.matches(":80").count(), 2, "{ep}");
    let again = kubectl(&mut sim, "kubectl expose deployment web --port=80");
    assert!(
        again.contains("Error from server (AlreadyExists): services \"web\" already exists"),
        "{again}"
    );
    let out = kubectl(&mut sim, "kubectl expose deploy/missing --port=80");
    assert!(
        out.contains("deployments.apps \"missing\" not found"),
        "{out}"
    );
}

#[test]
fn expose_pod_without_port_or_labels_fails_like_kubectl() {
    let mut sim = start(WEB);
    sim.run_until(S);
    let out = kubectl(&mut sim, "kubectl expose pod client");
    assert!(out.contains("error: couldn't retrieve selectors via --selector flag or introspection: the pod has no labels and cannot be exposed"), "{out}");
    let out = kubectl(
        &mut sim,
        "kubectl expose pod web-1 --name=one --port=8080 --target-port=80",
    );
    assert_eq!(out, "service/one exposed\n");
}
