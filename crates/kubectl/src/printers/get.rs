//! `kubectl get` tables: column definitions and rows per kind (server-side `printers.go` in
//! kubectl 1.32's columns), and the client-side decorations (NAMESPACE for `-A`, `-L` label
//! columns, `--show-labels`, `--show-kind`, `--no-headers`).

use std::collections::BTreeMap;

use podplay_api::time::Millis;
use podplay_api::types::{
    ConfigMap, Endpoints, Event, Namespace, Node, ObjectMeta, Pod, Secret, Service, Time,
};

use crate::duration::translate_timestamp_since;
use crate::printers::pod_status::{restarts_cell, summarize};
use crate::resource::Kind;
use crate::table::TabWriter;

/// One column of a kind's table. `wide` columns appear only with `-o wide` (Priority 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub header: &'static str,
    pub wide: bool,
}

pub(crate) const fn col(header: &'static str) -> Column {
    Column {
        header,
        wide: false,
    }
}
pub(crate) const fn wide(header: &'static str) -> Column {
    Column { header, wide: true }
}

/// One object's cells (all columns, wide ones included) plus what decorations need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub cells: Vec<String>,
}

impl Row {
    pub(crate) fn new(kind: Kind, meta: &ObjectMeta, cells: Vec<String>) -> Row {
        Row {
            kind,
            namespace: meta.namespace().to_string(),
            name: meta.name().to_string(),
            labels: meta.labels.clone(),
            cells,
        }
    }

    /// The cell under `header` (e.g. "STATUS"), if this kind has that column.
    pub fn cell(&self, header: &str) -> Option<&str> {
        columns(self.kind)
            .iter()
            .position(|c| c.header == header)
            .and_then(|i| self.cells.get(i))
            .map(String::as_str)
    }
}

/// Client-side options of `kubectl get`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PrintOptions {
    pub wide: bool,
    /// `-A`: a NAMESPACE column first.
    pub with_namespace: bool,
    pub show_labels: bool,
    /// `-L key`: one column per key, headed by the key's last path segment in upper case.
    pub label_columns: Vec<String>,
    pub no_headers: bool,
    /// Names as `pod/web` (`--show-kind`, or several kinds in one `get`).
    pub show_kind: bool,
}

/// The columns of a kind, in kubectl 1.32's order. Kinds podplay cannot yet print get `NAME AGE`,
/// the table kubectl falls back to.
pub fn columns(kind: Kind) -> &'static [Column] {
    const POD: &[Column] = &[
        col("NAME"),
        col("READY"),
        col("STATUS"),
        col("RESTARTS"),
        col("AGE"),
        wide("IP"),
        wide("NODE"),
        wide("NOMINATED NODE"),
        wide("READINESS GATES"),
    ];
    const SERVICE: &[Column] = &[
        col("NAME"),
        col("TYPE"),
        col("CLUSTER-IP"),
        col("EXTERNAL-IP"),
        col("PORT(S)"),
        col("AGE"),
        wide("SELECTOR"),
    ];
    const ENDPOINTS: &[Column] = &[col("NAME"), col("ENDPOINTS"), col("AGE")];
    const NODE: &[Column] = &[
        col("NAME"),
        col("STATUS"),
        col("ROLES"),
        col("AGE"),
        col("VERSION"),
        wide("INTERNAL-IP"),
        wide("EXTERNAL-IP"),
        wide("OS-IMAGE"),
        wide("KERNEL-VERSION"),
        wide("CONTAINER-RUNTIME"),
    ];
    const NAMESPACE: &[Column] = &[col("NAME"), col("STATUS"), col("AGE")];
    const CONFIGMAP: &[Column] = &[col("NAME"), col("DATA"), col("AGE")];
    const SECRET: &[Column] = &[col("NAME"), col("TYPE"), col("DATA"), col("AGE")];
    const EVENT: &[Column] = &[
        col("LAST SEEN"),
        col("TYPE"),
        col("REASON"),
        col("OBJECT"),
        wide("SUBOBJECT"),
        wide("SOURCE"),
        col("MESSAGE"),
        wide("FIRST SEEN"),
        wide("COUNT"),
        wide("NAME"),
    ];
    const DEFAULT: &[Column] = &[col("NAME"), col("AGE")];
    const DEPLOYMENT: &[Column] = &[
        col("NAME"),
        col("READY"),
        col("UP-TO-DATE"),
        col("AVAILABLE"),
        col("AGE"),
        wide("CONTAINERS"),
        wide("IMAGES"),
        wide("SELECTOR"),
    ];
    const REPLICASET: &[Column] = &[
        col("NAME"),
        col("DESIRED"),
        col("CURRENT"),
        col("READY"),
        col("AGE"),
        wide("CONTAINERS"),
        wide("IMAGES"),
        wide("SELECTOR"),
    ];
    const JOB: &[Column] = &[
        col("NAME"),
        col("STATUS"),
        col("COMPLETIONS"),
        col("DURATION"),
        col("AGE"),
        wide("CONTAINERS"),
        wide("IMAGES"),
        wide("SELECTOR"),
    ];
    const CRONJOB: &[Column] = &[
        col("NAME"),
        col("SCHEDULE"),
        col("TIMEZONE"),
        col("SUSPEND"),
        col("ACTIVE"),
        col("LAST SCHEDULE"),
        col("AGE"),
        wide("CONTAINERS"),
        wide("IMAGES"),
        wide("SELECTOR"),
    ];
    match kind {
        Kind::Job => JOB,
        Kind::CronJob => CRONJOB,
        Kind::DaemonSet => super::sets::DAEMONSET_COLUMNS,
        Kind::StatefulSet => super::sets::STATEFULSET_COLUMNS,
        Kind::Deployment => DEPLOYMENT,
        Kind::ReplicaSet => REPLICASET,
        Kind::Pod => POD,
        Kind::Service => SERVICE,
        Kind::Endpoints => ENDPOINTS,
        Kind::Node => NODE,
        Kind::Namespace => NAMESPACE,
        Kind::ConfigMap => CONFIGMAP,
        Kind::Secret => SECRET,
        Kind::Event => EVENT,
        Kind::HorizontalPodAutoscaler => crate::printers::hpa::COLUMNS,
        _ => DEFAULT,
    }
}

pub(crate) fn age(t: Option<Time>, now: Millis) -> String {
    translate_timestamp_since(t.map(|t| t.0), now)
}

fn or_none(s: Option<&str>) -> String {
    match s {
        Some(v) if !v.is_empty() => v.to_string(),
        _ => "<none>".to_string(),
    }
}

/// apimachinery `labels.FormatLabels`: `k=v,k2=v2` sorted by key, `<none>` when empty.
pub fn format_labels(labels: &BTreeMap<String, String>) -> String {
    if labels.is_empty() {
        return "<none>".to_string();
    }
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

pub fn pod_row(pod: &Pod, now: Millis) -> Row {
    let s = summarize(pod);
    let status = pod.status.clone().unwrap_or_default();
    let ip = status
        .pod_ips
        .first()
        .map(|i| i.ip.clone())
        .or(status.pod_ip.clone());
    let gates = if pod.spec.readiness_gates.is_empty() {
        "<none>".to_string()
    } else {
        let ok = pod
            .spec
            .readiness_gates
            .iter()
            .filter(|g| {
                status
                    .conditions
                    .iter()
                    .find(|c| c.type_ == g.condition_type)
                    .is_some_and(|c| c.status == "True")
            })
            .count();
        format!("{ok}/{}", pod.spec.readiness_gates.len())
    };
    Row::new(
        Kind::Pod,
        &pod.metadata,
        vec![
            pod.metadata.name().to_string(),
            format!("{}/{}", s.ready, s.total),
            s.reason.clone(),
            restarts_cell(&s, now),
            age(pod.metadata.creation_timestamp, now),
            or_none(ip.as_deref()),
            or_none(pod.spec.node_name.as_deref()),
            or_none(status.nominated_node_name.as_deref()),
            gates,
        ],
    )
}

/// `80/TCP`, `80:30080/TCP`, comma-separated; `<none>` without ports.
pub fn service_ports(svc: &Service) -> String {
    let s = svc
        .spec
        .ports
        .iter()
        .map(|p| {
            let proto = p.protocol.as_deref().unwrap_or("TCP");
            match p.node_port {
                Some(np) if np > 0 => format!("{}:{}/{}", p.port, np, proto),
                _ => format!("{}/{}", p.port, proto),
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    if s.is_empty() {
        "<none>".to_string()
    } else {
        s
    }
}

fn service_external_ip(svc: &Service) -> String {
    let ext = svc.spec.external_ips.join(",");
    match svc.spec.type_() {
        "ClusterIP" | "NodePort" => or_none(Some(&ext)),
        "LoadBalancer" => {
            let mut ips: Vec<String> = svc
                .status
                .as_ref()
                .and_then(|s| s.load_balancer.as_ref())
                .and_then(|lb| lb.get("ingress"))
                .and_then(|i| i.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|e| {
                            e.get("ip")
                                .or_else(|| e.get("hostname"))
                                .and_then(|v| v.as_str())
                                .map(str::to_string)
                        })
                        .collect()
                })
                .unwrap_or_default();
            ips.extend(svc.spec.external_ips.iter().cloned());
            if ips.is_empty() {
                "<pending>".to_string()
            } else {
                ips.join(",")
            }
        }
        "ExternalName" => svc.spec.external_name.clone().unwrap_or_default(),
        _ => "<unknown>".to_string(),
    }
}

pub fn service_row(svc: &Service, now: Millis) -> Row {
    let cluster_ip = svc
        .spec
        .cluster_ips
        .first()
        .cloned()
        .or(svc.spec.cluster_ip.clone());
    Row::new(
        Kind::Service,
        &svc.metadata,
        vec![
            svc.metadata.name().to_string(),
            svc.spec.type_().to_string(),
            or_none(cluster_ip.as_deref()),
            service_external_ip(svc),
            service_ports(svc),
            age(svc.metadata.creation_timestamp, now),
            format_labels(&svc.spec.selector),
        ],
    )
}

/// `formatEndpoints`: up to three `ip:port`, then ` + N more...`; `<none>` without subsets.
pub fn format_endpoints(ep: &Endpoints) -> String {
    if ep.subsets.is_empty() {
        return "<none>".to_string();
    }
    const MAX: usize = 3;
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0;
    for ss in &ep.subsets {
        if ss.ports.is_empty() {
            count += ss.addresses.len();
            for a in &ss.addresses {
                if list.len() == MAX {
                    more = true;
                    break;
                }
                list.push(a.ip.clone());
            }
            continue;
        }
        for p in &ss.ports {
            count += ss.addresses.len();
            for a in &ss.addresses {
                if list.len() == MAX {
                    more = true;
                    break;
                }
                // net.JoinHostPort brackets IPv6 addresses.
                if a.ip.contains(':') {
                    list.push(format!("[{}]:{}", a.ip, p.port));
                } else {
                    list.push(format!("{}:{}", a.ip, p.port));
                }
            }
        }
    }
    let ret = list.join(",");
    if more {
        format!("{ret} + {} more...", count - MAX)
    } else {
        ret
    }
}

pub fn endpoints_row(ep: &Endpoints, now: Millis) -> Row {
    Row::new(
        Kind::Endpoints,
        &ep.metadata,
        vec![
            ep.metadata.name().to_string(),
            format_endpoints(ep),
            age(ep.metadata.creation_timestamp, now),
        ],
    )
}

/// `Ready`, `NotReady`, `Unknown`, plus `,SchedulingDisabled` when cordoned.
pub fn node_status(node: &Node) -> String {
    let mut status: Vec<String> = Vec::new();
    if let Some(c) = node.status.conditions.iter().find(|c| c.type_ == "Ready") {
        if c.status == "True" {
            status.push("Ready".into());
        } else {
            status.push("NotReady".into());
        }
    }
    if status.is_empty() {
        status.push("Unknown".into());
    }
    if node.spec.unschedulable == Some(true) {
        status.push("SchedulingDisabled".into());
    }
    status.join(",")
}

/// Roles from `node-role.kubernetes.io/<role>` and `kubernetes.io/role=<role>` labels, sorted
/// (kubectl's set iteration order is random; sorting keeps output deterministic).
pub fn node_roles(node: &Node) -> String {
    let mut roles: Vec<String> = Vec::new();
    for (k, v) in &node.metadata.labels {
        if let Some(r) = k.strip_prefix("node-role.kubernetes.io/") {
            if !r.is_empty() {
                roles.push(r.to_string());
            }
        } else if k == "kubernetes.io/role" && !v.is_empty() {
            roles.push(v.clone());
        }
    }
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        "<none>".to_string()
    } else {
        roles.join(",")
    }
}

fn node_address(node: &Node, type_: &str) -> String {
    node.status
        .addresses
        .iter()
        .find(|a| a.type_ == type_)
        .map(|a| a.address.clone())
        .unwrap_or_else(|| "<none>".to_string())
}

pub fn node_row(node: &Node, now: Millis) -> Row {
    let info = node.status.node_info.clone().unwrap_or_default();
    let unknown = |s: &str| {
        if s.is_empty() {
            "<unknown>".to_string()
        } else {
            s.to_string()
        }
    };
    Row::new(
        Kind::Node,
        &node.metadata,
        vec![
            node.metadata.name().to_string(),
            node_status(node),
            node_roles(node),
            age(node.metadata.creation_timestamp, now),
            info.kubelet_version.clone(),
            node_address(node, "InternalIP"),
            node_address(node, "ExternalIP"),
            unknown(&info.os_image),
            unknown(&info.kernel_version),
            unknown(&info.container_runtime_version),
        ],
    )
}

pub fn namespace_row(ns: &Namespace, now: Millis) -> Row {
    let phase = ns
        .status
        .as_ref()
        .and_then(|s| s.phase.clone())
        .unwrap_or_default();
    Row::new(
        Kind::Namespace,
        &ns.metadata,
        vec![
            ns.metadata.name().to_string(),
            phase,
            age(ns.metadata.creation_timestamp, now),
        ],
    )
}

pub fn configmap_row(cm: &ConfigMap, now: Millis) -> Row {
    Row::new(
        Kind::ConfigMap,
        &cm.metadata,
        vec![
            cm.metadata.name().to_string(),
            (cm.data.len() + cm.binary_data.len()).to_string(),
            age(cm.metadata.creation_timestamp, now),
        ],
    )
}

pub fn secret_row(s: &Secret, now: Millis) -> Row {
    // The API server folds stringData into data, so count the union of keys.
    let mut keys: Vec<&String> = s.data.keys().chain(s.string_data.keys()).collect();
    keys.sort();
    keys.dedup();
    Row::new(
        Kind::Secret,
        &s.metadata,
        vec![
            s.metadata.name().to_string(),
            s.type_.clone().unwrap_or_else(|| "Opaque".to_string()),
            keys.len().to_string(),
            age(s.metadata.creation_timestamp, now),
        ],
    )
}

fn event_time(e: &Event) -> Option<Time> {
    e.event_time.as_deref().and_then(Time::parse_rfc3339)
}

/// The OBJECT cell: `pod/web` (kind lower-cased).
pub fn event_object(e: &Event) -> String {
    let kind = e
        .involved_object
        .kind
        .clone()
        .unwrap_or_default()
        .to_lowercase();
    match e.involved_object.name.as_deref() {
        Some(n) if !n.is_empty() => format!("{kind}/{n}"),
        _ => kind,
    }
}

pub fn event_row(e: &Event, now: Millis) -> Row {
    let first = match e.first_timestamp {
        Some(t) => age(Some(t), now),
        None => age(event_time(e), now),
    };
    let last = match e.last_timestamp {
        Some(t) => age(Some(t), now),
        None => first.clone(),
    };
    let count = match e.count {
        Some(c) if c != 0 => c,
        _ => 1,
    };
    let source = match (&e.source.component, &e.source.host) {
        (Some(c), Some(h)) if !c.is_empty() && !h.is_empty() => format!("{c}, {h}"),
        (Some(c), _) if !c.is_empty() => c.clone(),
        _ => e.reporting_component.clone().unwrap_or_default(),
    };
    Row::new(
        Kind::Event,
        &e.metadata,
        vec![
            last,
            e.type_.clone().unwrap_or_default(),
            e.reason.clone().unwrap_or_default(),
            event_object(e),
            e.involved_object.field_path.clone().unwrap_or_default(),
            source,
            e.message.clone().unwrap_or_default().trim().to_string(),
            first,
            count.to_string(),
            e.metadata.name().to_string(),
        ],
    )
}

/// A row for kinds with no specific printer: `NAME AGE`.
/// The CONTAINERS, IMAGES and SELECTOR cells of a workload's `-o wide` row, from its spec.
pub(crate) fn workload_wide_cells(spec: &serde_json::Value) -> [String; 3] {
    let containers = spec
        .pointer("/template/spec/containers")
        .and_then(|c| c.as_array())
        .cloned()
        .unwrap_or_default();
    let field = |f: &str| {
        containers
            .iter()
            .filter_map(|c| c.get(f).and_then(|v| v.as_str()).map(String::from))
            .collect::<Vec<_>>()
            .join(",")
    };
    let selector = spec
        .pointer("/selector/matchLabels")
        .and_then(|m| m.as_object())
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default();
    [
        field("name"),
        field("image"),
        or_none(Some(selector.as_str()).filter(|s| !s.is_empty())),
    ]
}

/// `kubectl get deployments`: READY is ready/desired, from the status the controller wrote.
pub fn deployment_row(
    meta: &ObjectMeta,
    body: &serde_json::Map<String, serde_json::Value>,
    now: Millis,
) -> Row {
    let spec = body.get("spec").cloned().unwrap_or_default();
    let status = body.get("status").cloned().unwrap_or_default();
    let n = |v: &serde_json::Value, f: &str| v.get(f).and_then(|x| x.as_i64()).unwrap_or(0);
    let want = spec.get("replicas").and_then(|x| x.as_i64()).unwrap_or(1);
    let [c, i, sel] = workload_wide_cells(&spec);
    Row::new(
        Kind::Deployment,
        meta,
        vec![
            meta.name().to_string(),
            format!("{}/{want}", n(&status, "readyReplicas")),
            n(&status, "updatedReplicas").to_string(),
            n(&status, "availableReplicas").to_string(),
            age(meta.creation_timestamp, now),
            c,
            i,
            sel,
        ],
    )
}

/// `kubectl get replicasets`: DESIRED from the spec, CURRENT and READY from the status.
pub fn replica_set_row(
    meta: &ObjectMeta,
    body: &serde_json::Map<String, serde_json::Value>,
    now: Millis,
) -> Row {
    let spec = body.get("spec").cloned().unwrap_or_default();
    let status = body.get("status").cloned().unwrap_or_default();
    let n = |v: &serde_json::Value, f: &str| v.get(f).and_then(|x| x.as_i64()).unwrap_or(0);
    let [c, i, sel] = workload_wide_cells(&spec);
    Row::new(
        Kind::ReplicaSet,
        meta,
        vec![
            meta.name().to_string(),
            spec.get("replicas")
                .and_then(|x| x.as_i64())
                .unwrap_or(1)
                .to_string(),
            n(&status, "replicas").to_string(),
            n(&status, "readyReplicas").to_string(),
            age(meta.creation_timestamp, now),
            c,
            i,
            sel,
        ],
    )
}

pub fn generic_row(kind: Kind, meta: &ObjectMeta, now: Millis) -> Row {
    Row::new(
        kind,
        meta,
        vec![meta.name().to_string(), age(meta.creation_timestamp, now)],
    )
}

/// Header and cells as printed, decorations applied. `rows` must all be of `kind`.
pub fn table_lines(kind: Kind, rows: &[Row], opts: &PrintOptions) -> Vec<Vec<String>> {
    let cols = columns(kind);
    let keep: Vec<usize> = (0..cols.len())
        .filter(|i| opts.wide || !cols[*i].wide)
        .collect();
    let mut out = Vec::new();
    if !opts.no_headers {
        let mut h: Vec<String> = Vec::new();
        if opts.with_namespace {
            h.push("NAMESPACE".into());
        }
        h.extend(keep.iter().map(|i| cols[*i].header.to_string()));
        for key in &opts.label_columns {
            h.push(key.rsplit('/').next().unwrap_or(key).to_uppercase());
        }
        if opts.show_labels {
            h.push("LABELS".into());
        }
        out.push(h);
    }
    let name_col = cols.iter().position(|c| c.header == "NAME" && !c.wide);
    for r in rows {
        let mut line: Vec<String> = Vec::new();
        if opts.with_namespace {
            line.push(r.namespace.clone());
        }
        for i in &keep {
            let mut cell = r.cells.get(*i).cloned().unwrap_or_default();
            if opts.show_kind && Some(*i) == name_col {
                cell = format!("{}/{}", r.kind.qualified_singular(), cell);
            }
            line.push(cell);
        }
        for key in &opts.label_columns {
            line.push(r.labels.get(key).cloned().unwrap_or_default());
        }
        if opts.show_labels {
            line.push(format_labels(&r.labels));
        }
        out.push(line);
    }
    out
}

/// One `kubectl get` table, laid out.
pub fn print_table(kind: Kind, rows: &[Row], opts: &PrintOptions) -> String {
    let mut w = TabWriter::kubectl();
    for l in table_lines(kind, rows, opts) {
        w.write_row(&l);
    }
    w.flush()
}

/// Several kinds in one `get` (`get po,svc`, `get all`): one table per kind with rows, separated
/// by a blank line, names shown as `kind/name`.
pub fn print_tables(groups: &[(Kind, Vec<Row>)], opts: &PrintOptions) -> String {
    let mut opts = opts.clone();
    if groups.len() > 1 {
        opts.show_kind = true;
    }
    let mut parts = Vec::new();
    for (kind, rows) in groups {
        if rows.is_empty() {
            continue;
        }
        parts.push(print_table(*kind, rows, &opts));
    }
    parts.join("\n")
}

/// `-o name`: `pod/web`, `deployment.apps/web`.
pub fn name_line(kind: Kind, name: &str) -> String {
    format!("{}/{}\n", kind.qualified_singular(), name)
}

/// `kubectl get -w` / `--watch-only`: the header once, then one row per change, with column
/// widths remembered across flushes (see `table`).
#[derive(Debug, Clone)]
pub struct WatchPrinter {
    writer: TabWriter,
    header_done: bool,
    kind: Kind,
    opts: PrintOptions,
}

impl WatchPrinter {
    pub fn new(kind: Kind, opts: PrintOptions) -> WatchPrinter {
        WatchPrinter {
            writer: TabWriter::kubectl(),
            header_done: false,
            kind,
            opts,
        }
    }

    /// Print rows (the initial list, or one watch event); returns the text to append to stdout.
    pub fn print(&mut self, rows: &[Row]) -> String {
        // Like kubectl, the header goes out with the first row, not before.
        if rows.is_empty() {
            return String::new();
        }
        let mut opts = self.opts.clone();
        opts.no_headers = self.header_done || self.opts.no_headers;
        for l in table_lines(self.kind, rows, &opts) {
            self.writer.write_row(&l);
        }
        self.header_done = true;
        self.writer.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::printers::testutil::{at, obj, pod};
    use serde_json::json;

    fn web(ip: Option<&str>) -> Pod {
        let mut st = json!({"phase": "Running", "containerStatuses": [{"name": "web", "ready": true,
            "restartCount": 0, "image": "nginx", "imageID": "", "state": {"running": {"startedAt": at(1)}}}]});
        if let Some(ip) = ip {
            st["podIP"] = json!(ip);
            st["podIPs"] = json!([{"ip": ip}]);
        }
        let mut p = pod("web", &["web"], &[], st);
        p.spec.node_name = Some("node1".into());
        p.metadata.labels.insert("app".into(), "web".into());
        p
    }

    #[test]
    fn pods_table_default_columns() {
        let out = print_table(
            Kind::Pod,
            &[pod_row(&web(None), 9_000)],
            &PrintOptions::default(),
        );
        assert_eq!(
            out,
            "NAME   READY   STATUS    RESTARTS   AGE\nweb    1/1     Running   0          9s\n"
        );
    }

    #[test]
    fn pods_wide_adds_ip_node_nominated_node_and_readiness_gates() {
        let opts = PrintOptions {
            wide: true,
            ..Default::default()
        };
        let out = print_table(
            Kind::Pod,
            &[pod_row(&web(Some("10.244.1.2")), 9_000)],
            &opts,
        );
        assert_eq!(
            out,
            "NAME   READY   STATUS    RESTARTS   AGE   IP           NODE    NOMINATED NODE   READINESS GATES\n\
             web    1/1     Running   0          9s    10.244.1.2   node1   <none>           <none>\n"
        );
    }

    #[test]
    fn all_namespaces_prepends_namespace_and_show_labels_appends_labels() {
        let opts = PrintOptions {
            with_namespace: true,
            show_labels: true,
            ..Default::default()
        };
        let out = print_table(Kind::Pod, &[pod_row(&web(None), 9_000)], &opts);
        assert_eq!(
            out,
            "NAMESPACE   NAME   READY   STATUS    RESTARTS   AGE   LABELS\n\
             default     web    1/1     Running   0          9s    app=web\n"
        );
    }

    #[test]
    fn label_columns_use_the_last_key_segment_upper_cased() {
        let opts = PrintOptions {
            label_columns: vec!["app".into(), "x.io/tier".into()],
            ..Default::default()
        };
        let lines = table_lines(Kind::Pod, &[pod_row(&web(None), 0)], &opts);
        assert_eq!(lines[0][5..], ["APP".to_string(), "TIER".to_string()]);
        assert_eq!(lines[1][5..], ["web".to_string(), String::new()]);
    }

    #[test]
    fn service_ports_and_external_ip_by_type() {
        let svc: Service = obj(
            json!({"metadata": {"name": "web", "creationTimestamp": at(0)},
            "spec": {"type": "NodePort", "clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10"],
                     "selector": {"app": "web"},
                     "ports": [{"port": 80, "protocol": "TCP", "nodePort": 30080}, {"port": 443, "protocol": "TCP"}]}}),
        );
        let r = service_row(&svc, 65_000);
        assert_eq!(
            r.cells,
            [
                "web",
                "NodePort",
                "10.96.0.10",
                "<none>",
                "80:30080/TCP,443/TCP",
                "65s",
                "app=web"
            ]
        );
        let lb: Service =
            obj(json!({"metadata": {"name": "lb"}, "spec": {"type": "LoadBalancer", "ports": []}}));
        assert_eq!(
            service_row(&lb, 0).cells[3..5],
            ["<pending>".to_string(), "<none>".to_string()]
        );
    }

    #[test]
    fn endpoints_show_three_then_count_the_rest() {
        let ep: Endpoints = obj(json!({"metadata": {"name": "web"}, "subsets": [{
            "addresses": [{"ip": "10.244.1.2"}, {"ip": "10.244.2.3"}, {"ip": "10.244.1.4"}, {"ip": "10.244.2.5"}],
            "ports": [{"port": 80}]}]}));
        assert_eq!(
            format_endpoints(&ep),
            "10.244.1.2:80,10.244.2.3:80,10.244.1.4:80 + 1 more..."
        );
        let none: Endpoints = obj(json!({"metadata": {"name": "web"}}));
        assert_eq!(format_endpoints(&none), "<none>");
    }

    #[test]
    fn node_status_roles_and_wide_columns() {
        let n: Node = obj(
            json!({"metadata": {"name": "cp", "creationTimestamp": at(0),
                "labels": {"node-role.kubernetes.io/control-plane": ""}},
            "spec": {"unschedulable": true},
            "status": {"conditions": [{"type": "Ready", "status": "True"}],
                "addresses": [{"type": "InternalIP", "address": "172.18.0.2"}],
                "nodeInfo": {"machineID": "", "systemUUID": "", "bootID": "", "kernelVersion": "6.8.0",
                    "osImage": "Debian GNU/Linux 12 (bookworm)", "containerRuntimeVersion": "containerd://1.7.18",
                    "kubeletVersion": "v1.32.0", "kubeProxyVersion": "", "operatingSystem": "linux", "architecture": "amd64"}}}),
        );
        let r = node_row(&n, 3_600_000);
        assert_eq!(
            r.cells[..5],
            [
                "cp",
                "Ready,SchedulingDisabled",
                "control-plane",
                "60m",
                "v1.32.0"
            ]
            .map(String::from)
        );
        assert_eq!(r.cells[5..7], ["172.18.0.2", "<none>"].map(String::from));
        let bare: Node = obj(json!({"metadata": {"name": "n"}}));
        assert_eq!(node_status(&bare), "Unknown");
        assert_eq!(node_roles(&bare), "<none>");
    }

    #[test]
    fn events_table_last_seen_type_reason_object_message() {
        let e: Event = obj(
            json!({"metadata": {"name": "web.17d", "namespace": "default"},
            "involvedObject": {"kind": "Pod", "name": "web", "fieldPath": "spec.containers{web}"},
            "reason": "Unhealthy", "message": "Liveness probe failed: boom\n", "type": "Warning",
            "source": {"component": "kubelet", "host": "node1"},
            "firstTimestamp": at(35), "lastTimestamp": at(45), "count": 3}),
        );
        let out = print_table(
            Kind::Event,
            &[event_row(&e, 57_000)],
            &PrintOptions::default(),
        );
        assert_eq!(
            out,
            "LAST SEEN   TYPE      REASON      OBJECT    MESSAGE\n\
             12s         Warning   Unhealthy   pod/web   Liveness probe failed: boom\n"
        );
        let r = event_row(&e, 57_000);
        assert_eq!(
            r.cells[4..],
            [
                "spec.containers{web}",
                "kubelet, node1",
                "Liveness probe failed: boom",
                "22s",
                "3",
                "web.17d"
            ]
            .map(String::from)
        );
    }

    #[test]
    fn several_kinds_print_separate_tables_with_kind_prefixed_names() {
        let svc: Service = obj(
            json!({"metadata": {"name": "web", "creationTimestamp": at(0)},
            "spec": {"clusterIP": "10.96.0.10", "ports": [{"port": 80, "protocol": "TCP"}]}}),
        );
        let out = print_tables(
            &[
                (Kind::Pod, vec![pod_row(&web(None), 9_000)]),
                (Kind::Service, vec![service_row(&svc, 9_000)]),
            ],
            &PrintOptions::default(),
        );
        assert_eq!(
            out,
            "NAME      READY   STATUS    RESTARTS   AGE\npod/web   1/1     Running   0          9s\n\n\
             NAME          TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n\
             service/web   ClusterIP   10.96.0.10   <none>        80/TCP    9s\n"
        );
    }

    #[test]
    fn watch_prints_header_once_with_first_rows() {
        let mut w = WatchPrinter::new(Kind::Pod, PrintOptions::default());
        assert_eq!(w.print(&[]), "");
        let first = w.print(&[pod_row(&web(None), 0)]);
        assert!(first.starts_with("NAME "));
        let next = w.print(&[pod_row(&web(None), 2_000)]);
        assert_eq!(next, "web    1/1     Running   0          2s\n");
    }
}
