//! Pod spec validation (validatePodSpec and what it calls), in the API server's order.

use std::collections::BTreeSet;

use super::names::*;
use super::{child, idx, key, BadValue, FieldError};
use crate::types::{
    Container, HttpGetAction, IntOrString, LifecycleHandler, PodSpec, Probe, TcpSocketAction,
    Volume,
};

const NOT_NEGATIVE: &str = "must be greater than or equal to 0";
const INIT_ONLY_ALWAYS: &str = "may not be set for init containers without restartPolicy=Always";

pub fn validate_pod_spec(spec: &PodSpec, path: &str, errs: &mut Vec<FieldError>) {
    let volumes = validate_volumes(&spec.volumes, &child(path, "volumes"), errs);
    let grace = spec.termination_grace_period_seconds;
    validate_containers(spec, &volumes, grace, &child(path, "containers"), errs);
    validate_init_containers(spec, &volumes, grace, &child(path, "initContainers"), errs);
    match spec.restart_policy.as_deref().unwrap_or("") {
        "Always" | "OnFailure" | "Never" => {}
        "" => errs.push(FieldError::required(child(path, "restartPolicy"), "")),
        other => errs.push(FieldError::not_supported(
            child(path, "restartPolicy"),
            other,
            &["Always", "OnFailure", "Never"],
        )),
    }
    match spec.dns_policy.as_deref().unwrap_or("") {
        "ClusterFirstWithHostNet" | "ClusterFirst" | "Default" | "None" => {}
        "" => errs.push(FieldError::required(child(path, "dnsPolicy"), "")),
        other => errs.push(FieldError::not_supported(
            child(path, "dnsPolicy"),
            other,
            &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
        )),
    }
    validate_labels(&spec.node_selector, &child(path, "nodeSelector"), errs);
    if let Some(n) = spec.node_name.as_deref().filter(|n| !n.is_empty()) {
        for m in is_dns1123_subdomain(n) {
            errs.push(FieldError::invalid(
                child(path, "nodeName"),
                BadValue::Str(n.into()),
                m,
            ));
        }
    }
    if let Some(n) = spec
        .service_account_name
        .as_deref()
        .filter(|n| !n.is_empty())
    {
        for m in is_dns1123_subdomain(n) {
            errs.push(FieldError::invalid(
                child(path, "serviceAccountName"),
                BadValue::Str(n.into()),
                m,
            ));
        }
    }
    if let Some(v) = spec.active_deadline_seconds {
        if !(1..=i64::from(i32::MAX)).contains(&v) {
            errs.push(FieldError::invalid(
                child(path, "activeDeadlineSeconds"),
                BadValue::Int(v),
                "must be between 1 and 2147483647, inclusive",
            ));
        }
    }
    for (field, value) in [("hostname", &spec.hostname), ("subdomain", &spec.subdomain)] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            for m in is_dns1123_label(v) {
                errs.push(FieldError::invalid(
                    child(path, field),
                    BadValue::Str(v.into()),
                    m,
                ));
            }
        }
    }
    validate_tolerations(spec, &child(path, "tolerations"), errs);
    if let Some(g) = spec.termination_grace_period_seconds {
        if g < 0 {
            errs.push(FieldError::invalid(
                child(path, "terminationGracePeriodSeconds"),
                BadValue::Int(g),
                NOT_NEGATIVE,
            ));
        }
    }
}

pub(crate) fn validate_labels(
    labels: &std::collections::BTreeMap<String, String>,
    path: &str,
    errs: &mut Vec<FieldError>,
) {
    for (k, v) in labels {
        for m in is_qualified_name(k) {
            errs.push(FieldError::invalid(path, BadValue::Str(k.clone()), m));
        }
        for m in is_valid_label_value(v) {
            errs.push(FieldError::invalid(path, BadValue::Str(v.clone()), m));
        }
    }
}

fn validate_volumes(
    volumes: &[Volume],
    path: &str,
    errs: &mut Vec<FieldError>,
) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (i, v) in volumes.iter().enumerate() {
        let p = idx(path, i);
        let count = v.source_count();
        if count == 0 {
            errs.push(FieldError::required(&p, "must specify a volume type"));
        } else if count > 1 {
            errs.push(FieldError::forbidden(
                child(&p, second_source(v)),
                "may not specify more than 1 volume type",
            ));
        }
        if let Some(h) = &v.host_path {
            if h.path.is_empty() {
                errs.push(FieldError::required(
                    child(&child(&p, "hostPath"), "path"),
                    "",
                ));
            }
        }
        let name_path = child(&p, "name");
        if v.name.is_empty() {
            errs.push(FieldError::required(&name_path, ""));
        } else {
            for m in is_dns1123_label(&v.name) {
                errs.push(FieldError::invalid(
                    &name_path,
                    BadValue::Str(v.name.clone()),
                    m,
                ));
            }
        }
        if !names.insert(v.name.clone()) {
            errs.push(FieldError::duplicate(
                &name_path,
                BadValue::Str(v.name.clone()),
            ));
        }
    }
    names
}

fn second_source(v: &Volume) -> &'static str {
    let set = [
        ("emptyDir", v.empty_dir.is_some()),
        ("configMap", v.config_map.is_some()),
        ("secret", v.secret.is_some()),
        ("hostPath", v.host_path.is_some()),
        ("persistentVolumeClaim", v.persistent_volume_claim.is_some()),
        ("projected", v.projected.is_some()),
        ("downwardAPI", v.downward_api.is_some()),
        ("nfs", v.nfs.is_some()),
        ("csi", v.csi.is_some()),
        ("ephemeral", v.ephemeral.is_some()),
        ("image", v.image.is_some()),
    ];
    set.iter()
        .filter(|(_, on)| *on)
        .nth(1)
        .map(|(n, _)| *n)
        .unwrap_or("emptyDir")
}

fn validate_containers(
    spec: &PodSpec,
    volumes: &BTreeSet<String>,
    grace: Option<i64>,
    path: &str,
    errs: &mut Vec<FieldError>,
) {
    if spec.containers.is_empty() {
        errs.push(FieldError::required(path, ""));
    }
    let mut names = BTreeSet::new();
    for (i, c) in spec.containers.iter().enumerate() {
        let p = idx(path, i);
        validate_container_common(c, volumes, &p, errs);
        if !names.insert(c.name.as_str()) {
            errs.push(FieldError::duplicate(
                child(&p, "name"),
                BadValue::Str(c.name.clone()),
            ));
        }
        if let Some(l) = &c.lifecycle {
            validate_lifecycle(l, grace, &child(&p, "lifecycle"), errs);
        }
        validate_readiness_probe(
            c.readiness_probe.as_ref(),
            &child(&p, "readinessProbe"),
            errs,
        );
        validate_liveness_like(c.startup_probe.as_ref(), &child(&p, "startupProbe"), errs);
        validate_liveness_like(c.liveness_probe.as_ref(), &child(&p, "livenessProbe"), errs);
        if c.restart_policy.is_some() {
            errs.push(FieldError::forbidden(
                child(&p, "restartPolicy"),
                "may not be set for non-init containers",
            ));
        }
    }
}

fn validate_init_containers(
    spec: &PodSpec,
    volumes: &BTreeSet<String>,
    grace: Option<i64>,
    path: &str,
    errs: &mut Vec<FieldError>,
) {
    // Names must be unique across init and regular containers; a clash is reported on the init one.
    let mut names: BTreeSet<&str> = spec.containers.iter().map(|c| c.name.as_str()).collect();
    for (i, c) in spec.init_containers.iter().enumerate() {
        let p = idx(path, i);
        validate_container_common(c, volumes, &p, errs);
        let mut restart_always = false;
        if let Some(rp) = c.restart_policy.as_deref() {
            if rp == "Always" {
                restart_always = true;
            } else {
                errs.push(FieldError::not_supported(
                    child(&p, "restartPolicy"),
                    rp,
                    &["Always"],
                ));
            }
        }
        if names.contains(c.name.as_str()) {
            errs.push(FieldError::duplicate(
                child(&p, "name"),
                BadValue::Str(c.name.clone()),
            ));
        } else if !c.name.is_empty() {
            names.insert(c.name.as_str());
        }
        if restart_always {
            if let Some(l) = &c.lifecycle {
                validate_lifecycle(l, grace, &child(&p, "lifecycle"), errs);
            }
            validate_liveness_like(c.liveness_probe.as_ref(), &child(&p, "livenessProbe"), errs);
            validate_readiness_probe(
                c.readiness_probe.as_ref(),
                &child(&p, "readinessProbe"),
                errs,
            );
            validate_liveness_like(c.startup_probe.as_ref(), &child(&p, "startupProbe"), errs);
        } else {
            if c.lifecycle.is_some() {
                errs.push(FieldError::forbidden(
                    child(&p, "lifecycle"),
                    INIT_ONLY_ALWAYS,
                ));
            }
            if c.liveness_probe.is_some() {
                errs.push(FieldError::forbidden(
                    child(&p, "livenessProbe"),
                    INIT_ONLY_ALWAYS,
                ));
            }
            if c.readiness_probe.is_some() {
                errs.push(FieldError::forbidden(
                    child(&p, "readinessProbe"),
                    INIT_ONLY_ALWAYS,
                ));
            }
            if c.startup_probe.is_some() {
                errs.push(FieldError::forbidden(
                    child(&p, "startupProbe"),
                    INIT_ONLY_ALWAYS,
                ));
            }
        }
    }
}

fn validate_container_common(
    c: &Container,
    volumes: &BTreeSet<String>,
    p: &str,
    errs: &mut Vec<FieldError>,
) {
    let name_path = child(p, "name");
    if c.name.is_empty() {
        errs.push(FieldError::required(&name_path, ""));
    } else {
        for m in is_dns1123_label(&c.name) {
            errs.push(FieldError::invalid(
                &name_path,
                BadValue::Str(c.name.clone()),
                m,
            ));
        }
    }
    if c.image().is_empty() {
        errs.push(FieldError::required(child(p, "image"), ""));
    }
    match c.termination_message_policy.as_deref().unwrap_or("") {
        "File" | "FallbackToLogsOnError" => {}
        "" => errs.push(FieldError::required(
            child(p, "terminationMessagePolicy"),
            "must be 'File' or 'FallbackToLogsOnError'",
        )),
        other => errs.push(FieldError::not_supported(
            child(p, "terminationMessagePolicy"),
            other,
            &["File", "FallbackToLogsOnError"],
        )),
    }
    validate_container_ports(c, &child(p, "ports"), errs);
    for (i, e) in c.env.iter().enumerate() {
        if e.name.is_empty() {
            errs.push(FieldError::required(
                child(&idx(&child(p, "env"), i), "name"),
                "",
            ));
        }
    }
    validate_volume_mounts(c, volumes, &child(p, "volumeMounts"), errs);
    match c.image_pull_policy.as_deref().unwrap_or("") {
        "Always" | "IfNotPresent" | "Never" => {}
        "" => errs.push(FieldError::required(child(p, "imagePullPolicy"), "")),
        other => errs.push(FieldError::not_supported(
            child(p, "imagePullPolicy"),
            other,
            &["Always", "IfNotPresent", "Never"],
        )),
    }
    validate_resources(c, &child(p, "resources"), errs);
}

fn validate_container_ports(c: &Container, path: &str, errs: &mut Vec<FieldError>) {
    let mut names = BTreeSet::new();
    for (i, port) in c.ports.iter().enumerate() {
        let p = idx(path, i);
        if let Some(name) = port.name.as_deref().filter(|n| !n.is_empty()) {
            let msgs = is_valid_port_name(name);
            if !msgs.is_empty() {
                for m in msgs {
                    errs.push(FieldError::invalid(
                        child(&p, "name"),
                        BadValue::Str(name.into()),
                        m,
                    ));
                }
            } else if !names.insert(name) {
                errs.push(FieldError::duplicate(
                    child(&p, "name"),
                    BadValue::Str(name.into()),
                ));
            }
        }
        if port.container_port == 0 {
            errs.push(FieldError::required(child(&p, "containerPort"), ""));
        } else {
            for m in is_valid_port_num(i64::from(port.container_port)) {
                errs.push(FieldError::invalid(
                    child(&p, "containerPort"),
                    BadValue::Int(port.container_port.into()),
                    m,
                ));
            }
        }
        if let Some(hp) = port.host_port.filter(|hp| *hp != 0) {
            for m in is_valid_port_num(i64::from(hp)) {
                errs.push(FieldError::invalid(
                    child(&p, "hostPort"),
                    BadValue::Int(hp.into()),
                    m,
                ));
            }
        }
        validate_protocol(port.protocol.as_deref(), &child(&p, "protocol"), errs);
    }
}

pub(crate) fn validate_protocol(protocol: Option<&str>, path: &str, errs: &mut Vec<FieldError>) {
    match protocol.unwrap_or("") {
        "TCP" | "UDP" | "SCTP" => {}
        "" => errs.push(FieldError::required(path, "")),
        other => errs.push(FieldError::not_supported(
            path,
            other,
            &["SCTP", "TCP", "UDP"],
        )),
    }
}

fn validate_volume_mounts(
    c: &Container,
    volumes: &BTreeSet<String>,
    path: &str,
    errs: &mut Vec<FieldError>,
) {
    let mut mount_points = BTreeSet::new();
    for (i, m) in c.volume_mounts.iter().enumerate() {
        let p = idx(path, i);
        if m.name.is_empty() {
            errs.push(FieldError::required(child(&p, "name"), ""));
        }
        if !volumes.contains(&m.name) {
            errs.push(FieldError::not_found(
                child(&p, "name"),
                BadValue::Str(m.name.clone()),
            ));
        }
        if m.mount_path.is_empty() {
            errs.push(FieldError::required(child(&p, "mountPath"), ""));
        }
        if !mount_points.insert(m.mount_path.as_str()) {
            errs.push(FieldError::invalid(
                child(&p, "mountPath"),
                BadValue::Str(m.mount_path.clone()),
                "must be unique",
            ));
        }
        if let Some(sp) = m.sub_path.as_deref().filter(|s| !s.is_empty()) {
            if sp.starts_with('/') {
                errs.push(FieldError::invalid(
                    child(&p, "subPath"),
                    BadValue::Str(sp.into()),
                    "must be a relative path",
                ));
            } else if sp.split('/').any(|part| part == "..") {
                errs.push(FieldError::invalid(
                    child(&p, "subPath"),
                    BadValue::Str(sp.into()),
                    "must not contain '..'",
                ));
            }
        }
    }
}

fn validate_resources(c: &Container, path: &str, errs: &mut Vec<FieldError>) {
    let standard = |name: &str| {
        matches!(name, "cpu" | "memory" | "ephemeral-storage")
            || name.starts_with("hugepages-")
            || name.contains('/')
    };
    let lim_path = child(path, "limits");
    let req_path = child(path, "requests");
    for (name, q) in &c.resources.limits {
        let p = key(&lim_path, name);
        if !standard(name) {
            errs.push(FieldError::invalid(
                &p,
                BadValue::Str(name.clone()),
                "must be a standard resource for containers",
            ));
        }
        if q.0.starts_with('-') {
            errs.push(FieldError::invalid(
                &p,
                BadValue::Str(q.0.clone()),
                "must be greater than or equal to 0",
            ));
        }
    }
    for (name, q) in &c.resources.requests {
        let p = key(&req_path, name);
        if !standard(name) {
            errs.push(FieldError::invalid(
                &p,
                BadValue::Str(name.clone()),
                "must be a standard resource for containers",
            ));
        }
        if q.0.starts_with('-') {
            errs.push(FieldError::invalid(
                &p,
                BadValue::Str(q.0.clone()),
                "must be greater than or equal to 0",
            ));
        }
        if let Some(limit) = c.resources.limits.get(name) {
            let (req_v, lim_v) = if name == "cpu" {
                (q.cpu_millis(), limit.cpu_millis())
            } else {
                (q.bytes(), limit.bytes())
            };
            if let (Some(r), Some(l)) = (req_v, lim_v) {
                if r > l {
                    errs.push(FieldError::invalid(
                        &p,
                        BadValue::Str(q.0.clone()),
                        format!("must be less than or equal to {name} limit of {}", limit.0),
                    ));
                }
            }
        }
    }
}

fn validate_readiness_probe(probe: Option<&Probe>, path: &str, errs: &mut Vec<FieldError>) {
    let Some(probe) = probe else { return };
    validate_probe(probe, path, errs);
    if let Some(g) = probe.termination_grace_period_seconds {
        errs.push(FieldError::invalid(
            child(path, "terminationGracePeriodSeconds"),
            BadValue::Int(g),
            "must not be set for readinessProbes",
        ));
    }
}

/// Liveness and startup probes: successThreshold must be 1.
fn validate_liveness_like(probe: Option<&Probe>, path: &str, errs: &mut Vec<FieldError>) {
    let Some(probe) = probe else { return };
    validate_probe(probe, path, errs);
    let st = probe.success_threshold.unwrap_or(1);
    if st != 1 {
        errs.push(FieldError::invalid(
            child(path, "successThreshold"),
            BadValue::Int(st.into()),
            "must be 1",
        ));
    }
}

fn validate_probe(p: &Probe, path: &str, errs: &mut Vec<FieldError>) {
    validate_handlers(
        &[
            ("exec", p.exec.is_some()),
            ("httpGet", p.http_get.is_some()),
            ("tcpSocket", p.tcp_socket.is_some()),
            ("grpc", p.grpc.is_some()),
        ],
        path,
        errs,
        |name, path, errs| match name {
            "exec" => validate_exec(p.exec.as_ref().map(|e| e.command.as_slice()), path, errs),
            "httpGet" => validate_http_get(p.http_get.as_ref(), path, errs),
            "tcpSocket" => validate_tcp_socket(p.tcp_socket.as_ref(), path, errs),
            "grpc" => {
                if let Some(g) = &p.grpc {
                    for m in is_valid_port_num(i64::from(g.port)) {
                        errs.push(FieldError::invalid(
                            child(path, "port"),
                            BadValue::Int(g.port.into()),
                            m,
                        ));
                    }
                }
            }
            _ => {}
        },
    );
    for (field, v) in [
        ("initialDelaySeconds", p.initial_delay_seconds),
        ("timeoutSeconds", p.timeout_seconds),
        ("periodSeconds", p.period_seconds),
        ("successThreshold", p.success_threshold),
        ("failureThreshold", p.failure_threshold),
    ] {
        if let Some(v) = v.filter(|v| *v < 0) {
            errs.push(FieldError::invalid(
                child(path, field),
                BadValue::Int(v.into()),
                NOT_NEGATIVE,
            ));
        }
    }
    if let Some(g) = p.termination_grace_period_seconds.filter(|g| *g <= 0) {
        errs.push(FieldError::invalid(
            child(path, "terminationGracePeriodSeconds"),
            BadValue::Int(g),
            "must be greater than 0",
        ));
    }
}

/// validateHandler: exactly one handler; the second and later are Forbidden, none is Required.
fn validate_handlers(
    set: &[(&str, bool)],
    path: &str,
    errs: &mut Vec<FieldError>,
    mut each: impl FnMut(&str, &str, &mut Vec<FieldError>),
) {
    let mut count = 0;
    for (name, on) in set {
        if !on {
            continue;
        }
        let p = child(path, name);
        if count > 0 {
            errs.push(FieldError::forbidden(
                p,
                "may not specify more than 1 handler type",
            ));
        } else {
            count += 1;
            each(name, &p, errs);
        }
    }
    if count == 0 {
        errs.push(FieldError::required(path, "must specify a handler type"));
    }
}

fn validate_exec(command: Option<&[String]>, path: &str, errs: &mut Vec<FieldError>) {
    if command.is_none_or(<[String]>::is_empty) {
        errs.push(FieldError::required(child(path, "command"), ""));
    }
}

fn validate_http_get(h: Option<&HttpGetAction>, path: &str, errs: &mut Vec<FieldError>) {
    let Some(h) = h else { return };
    if h.path.as_deref().unwrap_or("").is_empty() {
        errs.push(FieldError::required(child(path, "path"), ""));
    }
    validate_port_num_or_name(&h.port, &child(path, "port"), errs);
    let scheme = h.scheme.as_deref().unwrap_or("");
    if scheme != "HTTP" && scheme != "HTTPS" {
        errs.push(FieldError::not_supported(
            child(path, "scheme"),
            scheme,
            &["HTTP", "HTTPS"],
        ));
    }
}

fn validate_tcp_socket(t: Option<&TcpSocketAction>, path: &str, errs: &mut Vec<FieldError>) {
    if let Some(t) = t {
        validate_port_num_or_name(&t.port, &child(path, "port"), errs);
    }
}

pub(crate) fn validate_port_num_or_name(
    port: &IntOrString,
    path: &str,
    errs: &mut Vec<FieldError>,
) {
    match port {
        IntOrString::Int(n) => {
            for m in is_valid_port_num(i64::from(*n)) {
                errs.push(FieldError::invalid(path, BadValue::Int((*n).into()), m));
            }
        }
        IntOrString::String(s) => {
            for m in is_valid_port_name(s) {
                errs.push(FieldError::invalid(path, BadValue::Str(s.clone()), m));
            }
        }
    }
}

fn validate_lifecycle(
    l: &crate::types::Lifecycle,
    grace: Option<i64>,
    path: &str,
    errs: &mut Vec<FieldError>,
) {
    for (name, h) in [("postStart", &l.post_start), ("preStop", &l.pre_stop)] {
        if let Some(h) = h {
            validate_lifecycle_handler(h, grace, &child(path, name), errs);
        }
    }
}

fn validate_lifecycle_handler(
    h: &LifecycleHandler,
    grace: Option<i64>,
    path: &str,
    errs: &mut Vec<FieldError>,
) {
    validate_handlers(
        &[
            ("exec", h.exec.is_some()),
            ("httpGet", h.http_get.is_some()),
            ("tcpSocket", h.tcp_socket.is_some()),
            ("sleep", h.sleep.is_some()),
        ],
        path,
        errs,
        |name, p, errs| match name {
            "exec" => validate_exec(h.exec.as_ref().map(|e| e.command.as_slice()), p, errs),
            "httpGet" => validate_http_get(h.http_get.as_ref(), p, errs),
            "tcpSocket" => validate_tcp_socket(h.tcp_socket.as_ref(), p, errs),
            "sleep" => {
                if let (Some(s), Some(g)) = (&h.sleep, grace) {
                    if s.seconds < 0 || s.seconds > g {
                        errs.push(FieldError::invalid(
                            child(p, "seconds"),
                            BadValue::Int(s.seconds),
                            format!("must be non-negative and less than terminationGracePeriodSeconds ({g})"),
                        ));
                    }
                }
            }
            _ => {}
        },
    );
}

fn validate_tolerations(spec: &PodSpec, path: &str, errs: &mut Vec<FieldError>) {
    for (i, t) in spec.tolerations.iter().enumerate() {
        let p = idx(path, i);
        if let Some(k) = t.key.as_deref().filter(|k| !k.is_empty()) {
            for m in is_qualified_name(k) {
                errs.push(FieldError::invalid(
                    child(&p, "key"),
                    BadValue::Str(k.into()),
                    m,
                ));
            }
        }
        let key_empty = t.key.as_deref().unwrap_or("").is_empty();
        let op = t.operator.as_deref().unwrap_or("");
        if key_empty && op != "Exists" {
            errs.push(FieldError::invalid(
                child(&p, "operator"),
                BadValue::Str(op.into()),
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            ));
        }
        if t.toleration_seconds.is_some() && t.effect.as_deref() != Some("NoExecute") {
            errs.push(FieldError::invalid(
                child(&p, "effect"),
                BadValue::Str(t.effect.clone().unwrap_or_default()),
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
            ));
        }
        match op {
            "" | "Equal" => {
                if let Some(v) = t.value.as_deref() {
                    for m in is_valid_label_value(v) {
                        errs.push(FieldError::invalid(
                            child(&p, "operator"),
                            BadValue::Str(v.into()),
                            m,
                        ));
                    }
                }
            }
            "Exists" => {
                if t.value.as_deref().is_some_and(|v| !v.is_empty()) {
                    errs.push(FieldError::invalid(
                        child(&p, "operator"),
                        BadValue::Str(t.value.clone().unwrap_or_default()),
                        "value must be empty when `operator` is 'Exists'",
                    ));
                }
            }
            other => errs.push(FieldError::not_supported(
                child(&p, "operator"),
                other,
                &["Equal", "Exists"],
            )),
        }
        if let Some(e) = t.effect.as_deref().filter(|e| !e.is_empty()) {
            if !matches!(e, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
                errs.push(FieldError::not_supported(
                    child(&p, "effect"),
                    e,
                    &["NoSchedule", "PreferNoSchedule", "NoExecute"],
                ));
            }
        }
    }
}
