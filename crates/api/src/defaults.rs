//! Defaulting, as the API server applies it on create: `SetDefaults_*` from
//! pkg/apis/core/v1/defaults.go, plus what the default admission plugins add to every pod
//! (ServiceAccount, Priority, DefaultTolerationSeconds), so `kubectl get -o yaml` shows what a
//! real cluster shows. Defaulting only fills what is absent; it never overwrites.

use serde_json::Value;

use crate::types::{
    Container, HttpGetAction, IntOrString, LifecycleHandler, Node, Object, Pod, PodSpec, Probe,
    Quantity, Service, Toleration,
};

/// Fills every defaulted field of `obj`.
pub fn apply_defaults(obj: &mut Object) {
    if obj.is_namespaced() && obj.metadata().namespace.is_none() {
        obj.metadata_mut().namespace = Some("default".into());
    }
    match obj {
        Object::Pod(p) => default_pod(p),
        Object::Service(s) => default_service(s),
        Object::Endpoints(e) => {
            for port in e.subsets.iter_mut().flat_map(|s| s.ports.iter_mut()) {
                port.protocol.get_or_insert_with(|| "TCP".into());
            }
        }
        Object::Namespace(ns) => {
            // SetDefaults_Namespace: the immutable name label (1.21+).
            let name = ns.metadata.name().to_string();
            ns.metadata
                .labels
                .entry("kubernetes.io/metadata.name".into())
                .or_insert(name);
            let spec = ns.spec.get_or_insert_with(Default::default);
            if spec.finalizers.is_empty() {
                spec.finalizers.push("kubernetes".into());
            }
            ns.status
                .get_or_insert_with(Default::default)
                .phase
                .get_or_insert_with(|| "Active".into());
        }
        Object::Secret(s) => {
            s.type_.get_or_insert_with(|| "Opaque".into());
        }
        Object::Node(n) => default_node(n),
        Object::ConfigMap(_) | Object::Event(_) | Object::Other(_) => {}
    }
}

/// `SetDefaults_Container`: the `latest` tag (explicit or implied) pulls `Always`; any other tag or a
/// digest pulls `IfNotPresent`.
pub fn default_image_pull_policy(image: &str) -> &'static str {
    if image.contains('@') {
        return "IfNotPresent";
    }
    // The tag is after the last ':' that comes after the last '/' (a registry port is not a tag).
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.rsplit_once(':') {
        Some((_, tag)) if tag != "latest" => "IfNotPresent",
        _ => "Always",
    }
}

pub fn default_pod(pod: &mut Pod) {
    default_pod_spec(&mut pod.spec);
}

/// Defaults of a pod spec; also used for templates inside workloads.
pub fn default_pod_spec(spec: &mut PodSpec) {
    spec.restart_policy.get_or_insert_with(|| "Always".into());
    spec.termination_grace_period_seconds.get_or_insert(30);
    spec.dns_policy.get_or_insert_with(|| "ClusterFirst".into());
    spec.scheduler_name
        .get_or_insert_with(|| "default-scheduler".into());
    spec.security_context
        .get_or_insert_with(|| Value::Object(Default::default()));
    spec.enable_service_links.get_or_insert(true);
    // Admission: ServiceAccount plugin.
    if spec.service_account_name.is_none() {
        spec.service_account_name = Some(
            spec.service_account
                .clone()
                .unwrap_or_else(|| "default".into()),
        );
    }
    if spec.service_account.is_none() {
        spec.service_account = spec.service_account_name.clone();
    }
    // Admission: Priority plugin (no PriorityClass → 0).
    spec.priority.get_or_insert(0);
    spec.preemption_policy
        .get_or_insert_with(|| "PreemptLowerPriority".into());
    // Admission: DefaultTolerationSeconds.
    for key in [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    ] {
        let present = spec.tolerations.iter().any(|t| {
            t.key.as_deref() == Some(key) && matches!(t.effect.as_deref(), None | Some("NoExecute"))
        });
        if !present {
            spec.tolerations.push(Toleration {
                key: Some(key.into()),
                operator: Some("Exists".into()),
                effect: Some("NoExecute".into()),
                toleration_seconds: Some(300),
                value: None,
            });
        }
    }
    let host_network = spec.host_network == Some(true);
    for c in spec
        .init_containers
        .iter_mut()
        .chain(spec.containers.iter_mut())
    {
        default_container(c, host_network);
    }
    for v in &mut spec.volumes {
        if v.source_count() == 0 {
            // SetDefaults_Volume: a volume with no source is an emptyDir.
            v.empty_dir = Some(Default::default());
        }
        if let Some(cm) = &mut v.config_map {
            cm.default_mode.get_or_insert(0o644);
        }
        if let Some(s) = &mut v.secret {
            s.default_mode.get_or_insert(0o644);
        }
    }
}

fn default_container(c: &mut Container, host_network: bool) {
    if c.image_pull_policy.is_none() {
        c.image_pull_policy = Some(default_image_pull_policy(c.image()).into());
    }
    c.termination_message_path
        .get_or_insert_with(|| "/dev/termination-log".into());
    c.termination_message_policy
        .get_or_insert_with(|| "File".into());
    for p in &mut c.ports {
        p.protocol.get_or_insert_with(|| "TCP".into());
        if host_network && p.host_port.is_none() {
            p.host_port = Some(p.container_port);
        }
    }
    // SetDefaults_Pod: requests default to limits where only limits are given.
    let limits: Vec<(String, Quantity)> = c
        .resources
        .limits
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (k, v) in limits {
        c.resources.requests.entry(k).or_insert(v);
    }
    for probe in [
        &mut c.liveness_probe,
        &mut c.readiness_probe,
        &mut c.startup_probe,
    ]
    .into_iter()
    .flatten()
    {
        default_probe(probe);
    }
    if let Some(l) = &mut c.lifecycle {
        for h in [&mut l.post_start, &mut l.pre_stop].into_iter().flatten() {
            default_handler(h);
        }
    }
    for e in &mut c.env {
        // SetDefaults_ObjectFieldSelector: fieldRef.apiVersion "v1".
        if let Some(Value::Object(from)) = &mut e.value_from {
            if let Some(Value::Object(field_ref)) = from.get_mut("fieldRef") {
                field_ref
                    .entry("apiVersion")
                    .or_insert_with(|| Value::String("v1".into()));
            }
        }
    }
}

/// `SetDefaults_Probe`: zero means "use the default", except initialDelaySeconds.
pub fn default_probe(p: &mut Probe) {
    fix_zero(&mut p.timeout_seconds, 1);
    fix_zero(&mut p.period_seconds, 10);
    fix_zero(&mut p.success_threshold, 1);
    fix_zero(&mut p.failure_threshold, 3);
    if let Some(h) = &mut p.http_get {
        default_http_get(h);
    }
}

fn fix_zero(v: &mut Option<i32>, default: i32) {
    if matches!(v, None | Some(0)) {
        *v = Some(default);
    }
}

fn default_handler(h: &mut LifecycleHandler) {
    if let Some(g) = &mut h.http_get {
        default_http_get(g);
    }
}

/// `SetDefaults_HTTPGetAction`.
pub fn default_http_get(h: &mut HttpGetAction) {
    if h.path.as_deref().is_none_or(str::is_empty) {
        h.path = Some("/".into());
    }
    if h.scheme.as_deref().is_none_or(str::is_empty) {
        h.scheme = Some("HTTP".into());
    }
}

pub fn default_service(s: &mut Service) {
    let spec = &mut s.spec;
    spec.type_.get_or_insert_with(|| "ClusterIP".into());
    spec.session_affinity.get_or_insert_with(|| "None".into());
    let t = spec.type_().to_string();
    for p in &mut spec.ports {
        p.protocol.get_or_insert_with(|| "TCP".into());
        let unset = match &p.target_port {
            None => true,
            Some(IntOrString::Int(0)) => true,
            Some(IntOrString::String(s)) => s.is_empty(),
            _ => false,
        };
        if unset {
            p.target_port = Some(IntOrString::Int(p.port));
        }
    }
    if t != "ExternalName" {
        spec.internal_traffic_policy
            .get_or_insert_with(|| "Cluster".into());
        if spec.ip_families.is_empty() {
            spec.ip_families.push("IPv4".into());
        }
        spec.ip_family_policy
            .get_or_insert_with(|| "SingleStack".into());
    }
    if t == "NodePort" || t == "LoadBalancer" {
        spec.external_traffic_policy
            .get_or_insert_with(|| "Cluster".into());
    }
    if t == "LoadBalancer" {
        spec.allocate_load_balancer_node_ports.get_or_insert(true);
    }
    if spec.session_affinity.as_deref() == Some("ClientIP")
        && spec.session_affinity_config.is_none()
    {
        spec.session_affinity_config =
            Some(serde_json::json!({"clientIP": {"timeoutSeconds": 10800}}));
    }
}

fn default_node(n: &mut Node) {
    // SetDefaults_NodeStatus: allocatable defaults to capacity.
    if n.status.allocatable.is_empty() {
        n.status.allocatable = n.status.capacity.clone();
    }
}

/// The pod's QoS class, as the API server computes it on create (pkg/apis/core/helper/qos):
/// Guaranteed when every container has cpu and memory limits equal to requests; BestEffort when
/// no container has any cpu/memory request or limit; Burstable otherwise.
pub fn qos_class(spec: &PodSpec) -> &'static str {
    let containers = || spec.init_containers.iter().chain(spec.containers.iter());
    let relevant = |k: &String| k == "cpu" || k == "memory";
    let any = containers().any(|c| {
        c.resources.requests.keys().any(relevant) || c.resources.limits.keys().any(relevant)
    });
    if !any {
        return "BestEffort";
    }
    let guaranteed = containers().all(|c| {
        ["cpu", "memory"].iter().all(|r| {
            let lim = c.resources.limits.get(*r);
            let req = c.resources.requests.get(*r).or(lim);
            match (lim, req) {
                (Some(l), Some(q)) => quantity_eq(r, l, q),
                _ => false,
            }
        })
    });
    if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

fn quantity_eq(resource: &str, a: &Quantity, b: &Quantity) -> bool {
    if resource == "cpu" {
        a.cpu_millis() == b.cpu_millis()
    } else {
        a.bytes() == b.bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_pull_policy_defaults_from_the_tag() {
        assert_eq!(default_image_pull_policy("nginx"), "Always");
        assert_eq!(default_image_pull_policy("nginx:latest"), "Always");
        assert_eq!(default_image_pull_policy("nginx:1.27"), "IfNotPresent");
        assert_eq!(default_image_pull_policy("localhost:5000/app"), "Always");
        assert_eq!(
            default_image_pull_policy("localhost:5000/app:v2"),
            "IfNotPresent"
        );
        assert_eq!(
            default_image_pull_policy("nginx@sha256:abc"),
            "IfNotPresent"
        );
    }
}
