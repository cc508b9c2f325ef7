//! `kubectl autoscale`, `kubectl top pod|node`, `kubectl get|describe hpa` rows, and
//! `sim load service/NAME RPS`.

use podplay_api::types::{ObjectMeta, OtherObject};
use podplay_kubectl::command::{self, TopKind};
use podplay_kubectl::printers::hpa::{
    describe_hpa, top_nodes_table, top_pods_table, TopNodeLine, TopPodLine,
};
use podplay_kubectl::printers::messages;
use podplay_kubectl::resource::Kind;
use serde_json::json;

use crate::commands::CommandOutput;
use crate::simulation::Simulation;

/// kubectl's `metricsCreationDelay`: younger pods without metrics are "not available yet".
const METRICS_CREATION_DELAY: i64 = 2 * 60 * 1000;

/// Go's `time.Duration.String()` for whole milliseconds (`2m30.5s`, `1h0m5s`).
fn go_duration(ms: i64) -> String {
    let (h, rest) = (ms / 3_600_000, ms % 3_600_000);
    let (m, rest) = (rest / 60_000, rest % 60_000);
    let secs = if rest % 1000 == 0 {
        format!("{}s", rest / 1000)
    } else {
        let frac = format!("{:03}", rest % 1000);
        format!("{}.{}s", rest / 1000, frac.trim_end_matches('0'))
    };
    if h > 0 {
        format!("{h}h{m}m{secs}")
    } else if m > 0 {
        format!("{m}m{secs}")
    } else {
        secs
    }
}

/// `kubectl autoscale TYPE NAME --min --max --cpu-percent` as parsed from the words after
/// `autoscale` (kubectl 1.32 creates an autoscaling/v1 object).
#[derive(Debug, Clone, PartialEq)]
pub struct Autoscale {
    pub kind: Kind,
    pub name: String,
    pub namespace: Option<String>,
    pub min: i64,
    pub max: i64,
    pub cpu_percent: i64,
    pub hpa_name: Option<String>,
}

pub fn parse_autoscale(args: &[String]) -> Result<Autoscale, String> {
    let mut positional = vec![];
    let (mut min, mut max, mut cpu) = (-1i64, -1i64, -1i64);
    let mut namespace = None;
    let mut hpa_name = None;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if a.starts_with('-') => (f.to_string(), Some(v.to_string())),
            _ => (a.clone(), None),
        };
        let value = |i: &mut usize| -> Result<String, String> {
            if let Some(v) = &inline {
                return Ok(v.clone());
            }
            *i += 1;
            args.get(*i)
                .cloned()
                .ok_or_else(|| format!("error: flag needs an argument: {flag}\nSee 'kubectl autoscale --help' for usage.\n"))
        };
        let int = |flag: &str, v: String| -> Result<i64, String> {
            v.parse::<i64>().map_err(|_| format!("error: invalid argument \"{v}\" for \"{flag}\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax\nSee 'kubectl autoscale --help' for usage.\n"))
        };
        match flag.as_str() {
            "--min" => min = int("--min", value(&mut i)?)?,
            "--max" => max = int("--max", value(&mut i)?)?,
            "--cpu-percent" => cpu = int("--cpu-percent", value(&mut i)?)?,
            "--name" => hpa_name = Some(value(&mut i)?),
            "-n" | "--namespace" => namespace = Some(value(&mut i)?),
            f if f.starts_with('-') => {
                return Err(format!(
                    "error: podplay's kubectl autoscale does not support {f} yet\n"
                ))
            }
            _ => positional.push(a.clone()),
        }
        i += 1;
    }
    let (kind, name) = match positional.as_slice() {
        [one] if one.contains('/') => {
            let (k, n) = one.split_once('/').unwrap_or(("", ""));
            (k.to_string(), n.to_string())
        }
        [k, n] => (k.clone(), n.clone()),
        _ => return Err("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n".into()),
    };
    let kind = Kind::resolve(&kind)
        .ok_or_else(|| format!("error: the server doesn't have a resource type \"{kind}\"\n"))?;
    if max < 1 {
        return Err(format!(
            "error: --max=MAXPODS is required and must be at least 1, max: {max}\n"
        ));
    }
    if max < min {
        return Err(format!("error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: {max}, min: {min}\n"));
    }
    Ok(Autoscale {
        kind,
        name,
        namespace,
        min,
        max,
        cpu_percent: cpu,
        hpa_name,
    })
}

impl Simulation {
    pub(crate) fn kubectl_autoscale(&mut self, args: &[String]) -> CommandOutput {
        let a = match parse_autoscale(args) {
            Ok(a) => a,
            Err(e) => return CommandOutput::err(e),
        };
        let ns = a.namespace.clone().unwrap_or_else(|| "default".into());
        if !matches!(
            a.kind,
            Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet
        ) {
            return CommandOutput::err(format!(
                "error: cannot autoscale a {}: cannot autoscale a {}\n",
                a.kind.name(),
                a.kind.name()
            ));
        }
        let target = (a.kind.name().to_string(), ns.clone(), a.name.clone());
        let Some(t) = self.cl.store.others.get(&target) else {
            return CommandOutput::err(messages::not_found(a.kind, &a.name));
        };
        let name = a.hpa_name.clone().unwrap_or_else(|| a.name.clone());
        let mut spec = json!({
            "scaleTargetRef": {"apiVersion": t.api_version, "kind": a.kind.name(), "name": a.name},
            "maxReplicas": a.max,
        });
        if a.min >= 1 {
            spec["minReplicas"] = json!(a.min);
        }
        if a.cpu_percent >= 0 {
            spec["targetCPUUtilizationPercentage"] = json!(a.cpu_percent);
        }
        let mut body = serde_json::Map::new();
        body.insert("spec".into(), spec);
        let obj = OtherObject {
            api_version: "autoscaling/v1".into(),
            kind: "HorizontalPodAutoscaler".into(),
            metadata: ObjectMeta {
                name: Some(name.clone()),
                namespace: Some(ns.clone()),
                ..Default::default()
            },
            body,
        };
        if self.cl.store.others.contains_key(&(
            "HorizontalPodAutoscaler".to_string(),
            ns.clone(),
            name.clone(),
        )) {
            return CommandOutput::err(format!("Error from server (AlreadyExists): horizontalpodautoscalers.autoscaling \"{name}\" already exists\n"));
        }
        match self.apply_object(podplay_api::types::Object::Other(obj), "autoscale") {
            Ok(_) => CommandOutput::ok(format!(
                "horizontalpodautoscaler.autoscaling/{name} autoscaled\n"
            )),
            Err(e) => CommandOutput::err(format!("{e}\n")),
        }
    }

    pub(crate) fn hpa_rows(
        &self,
        scope: &command::Scope,
        name: Option<&str>,
    ) -> Vec<podplay_kubectl::printers::get::Row> {
        let now = self.now();
        let ns = scope.namespace_or_default();
        self.cl
            .store
            .others
            .iter()
            .filter(|((k, n, o), _)| {
                k == "HorizontalPodAutoscaler"
                    && (scope.all_namespaces || n == ns)
                    && name.is_none_or(|w| w == o)
            })
            .map(|(_, o)| podplay_kubectl::printers::hpa::hpa_row(o, now))
            .collect()
    }

    pub(crate) fn describe_hpas(
        &self,
        scope: &command::Scope,
        name: Option<&str>,
        out: &mut Vec<String>,
        stderr: &mut String,
    ) {
        let now = self.now();
        let ns = scope.namespace_or_default();
        let before = out.len();
        for ((k, n, o), obj) in &self.cl.store.others {
            if k != "HorizontalPodAutoscaler"
                || !(scope.all_namespaces || n == ns)
                || !name.is_none_or(|w| o.starts_with(w))
            {
                continue;
            }
            let events: Vec<_> = self
                .cl
                .recorder
                .for_object("HorizontalPodAutoscaler", n, o)
                .collect();
            out.push(describe_hpa(obj, &self.hpa_conditions(n, o), &events, now));
        }
        if out.len() == before {
            if let Some(w) = name {
                stderr.push_str(&messages::not_found(Kind::HorizontalPodAutoscaler, w));
            }
        }
    }

    pub(crate) fn kubectl_top(&mut self, t: &command::Top) -> CommandOutput {
        let now = self.now();
        match t.kind {
            TopKind::Node => {
                let lines: Vec<TopNodeLine> = self
                    .cl
                    .store
                    .nodes
                    .iter()
                    .filter(|(n, node)| {
                        t.name.as_deref().is_none_or(|w| w == n.as_str())
                            && t.selector.matches(&node.metadata.labels)
                    })
                    .filter_map(|(n, node)| {
                        let m = self.metrics.nodes.get(n)?;
                        let alloc = &node.status.allocatable;
                        Some(TopNodeLine {
                            name: n.clone(),
                            cpu_millis: m.cpu_millis,
                            memory_bytes: m.memory_bytes,
                            allocatable_cpu_millis: alloc
                                .get("cpu")
                                .and_then(|q| q.cpu_millis())
                                .unwrap_or(0),
                            allocatable_memory_bytes: alloc
                                .get("memory")
                                .and_then(|q| q.bytes())
                                .unwrap_or(0),
                        })
                    })
                    .collect();
                if let Some(n) = &t.name {
                    if !self.cl.store.nodes.contains_key(n) {
                        return CommandOutput::err(format!(
                            "Error from server (NotFound): nodes \"{n}\" not found\n"
                        ));
                    }
                    if lines.is_empty() {
                        return CommandOutput::err(format!("Error from server (NotFound): nodemetrics.metrics.k8s.io \"{n}\" not found\n"));
                    }
                }
                if lines.is_empty() {
                    return CommandOutput::err("error: metrics not available yet\n".into());
                }
                CommandOutput::ok(top_nodes_table(&lines, t.no_headers))
            }
            TopKind::Pod => {
                let ns = t.scope.namespace_or_default().to_string();
                let pods: Vec<&podplay_api::types::Pod> = self
                    .cl
                    .store
                    .pods
                    .values()
                    .filter(|p| {
                        (t.scope.all_namespaces
                            || p.metadata.namespace.as_deref() == Some(ns.as_str()))
                            && t.name
                                .as_deref()
                                .is_none_or(|w| p.metadata.name.as_deref() == Some(w))
                            && t.selector.matches(&p.metadata.labels)
                    })
                    .collect();
                let mut lines = vec![];
                for p in &pods {
                    let key = (
                        p.metadata.namespace.clone().unwrap_or_default(),
                        p.metadata.name.clone().unwrap_or_default(),
                    );
                    let Some(m) = self.metrics.pods.get(&key) else {
                        continue;
                    };
                    if t.containers {
                        for c in &m.containers {
                            lines.push(TopPodLine {
                                namespace: key.0.clone(),
                                pod: key.1.clone(),
                                container: Some(c.name.clone()),
                                cpu_millis: c.cpu_millis,
                                memory_bytes: c.memory_bytes,
                            });
                        }
                    } else {
                        lines.push(TopPodLine {
                            namespace: key.0.clone(),
                            pod: key.1.clone(),
                            container: None,
                            cpu_millis: m.cpu_millis(),
                            memory_bytes: m.memory_bytes(),
                        });
                    }
                }
                match t.sort_by.as_deref() {
                    Some("cpu") => lines.sort_by_key(|l| std::cmp::Reverse(l.cpu_millis)),
                    Some("memory") => lines.sort_by_key(|l| std::cmp::Reverse(l.memory_bytes)),
                    _ => {}
                }
                if let Some(n) = &t.name {
                    if pods.is_empty() {
                        return CommandOutput::err(messages::not_found(Kind::Pod, n));
                    }
                    if lines.is_empty() {
                        return CommandOutput::err(format!("Error from server (NotFound): podmetrics.metrics.k8s.io \"{ns}/{n}\" not found\n"));
                    }
                }
                if lines.is_empty() {
                    // verifyEmptyMetrics: an old pod without metrics is reported by name.
                    for p in &pods {
                        let age = now - p.metadata.creation_timestamp.map(|t| t.0).unwrap_or(now);
                        if age > METRICS_CREATION_DELAY {
                            return CommandOutput::err(format!(
                                "error: Metrics not available for pod {}/{}, age: {}\n",
                                p.metadata.namespace(),
                                p.metadata.name(),
                                go_duration(age)
                            ));
                        }
                    }
                    if !pods.is_empty() {
                        return CommandOutput::err("error: metrics not available yet\n".into());
                    }
                    return CommandOutput::err(if t.scope.all_namespaces {
                        "No resources found\n".into()
                    } else {
                        format!("No resources found in {ns} namespace.\n")
                    });
                }
                CommandOutput::ok(top_pods_table(
                    &lines,
                    t.scope.all_namespaces,
                    t.containers,
                    t.no_headers,
                ))
            }
        }
    }

    /// `sim load service/NAME RPS` (`-n NS` for another namespace).
    pub(crate) fn sim_load(&mut self, args: &[String]) -> CommandOutput {
        let usage = "usage: sim load service/NAME RPS [-n NAMESPACE]";
        let mut ns = "default".to_string();
        let mut rest = vec![];
        let mut i = 0;
        while i < args.len() {
            match args[i].as_str() {
                "-n" | "--namespace" => {
                    let Some(v) = args.get(i + 1) else {
                        return CommandOutput::err(format!("{usage}\n"));
                    };
                    ns = v.clone();
                    i += 2;
                }
                s if s.starts_with("--namespace=") => {
                    ns = s["--namespace=".len()..].to_string();
                    i += 1;
                }
                s => {
                    rest.push(s.to_string());
                    i += 1;
                }
            }
        }
        let [target, rps] = rest.as_slice() else {
            return CommandOutput::err(format!("{usage}\n"));
        };
        let name = target
            .strip_prefix("service/")
            .or_else(|| target.strip_prefix("svc/"))
            .unwrap_or(target);
        let Ok(rps) = rps.parse::<u32>() else {
            return CommandOutput::err(format!(
                "sim load: RPS must be a whole number of requests per second, got {rps:?}\n"
            ));
        };
        let key = (ns.clone(), name.to_string());
        if !self.cl.store.services.contains_key(&key) {
            return CommandOutput::err(messages::not_found(Kind::Service, name));
        }
        self.set_service_load(key, rps);
        if rps == 0 {
            CommandOutput::ok(format!("load on service/{name} stopped\n"))
        } else {
            CommandOutput::ok(format!("service/{name}: {rps} requests per second\n"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn autoscale_requires_max_as_kubectl_says() {
        let e = parse_autoscale(&words("deployment web --min=2"))
            .err()
            .unwrap_or_default();
        assert_eq!(
            e,
            "error: --max=MAXPODS is required and must be at least 1, max: -1\n"
        );
        let e = parse_autoscale(&words("deployment web --min=5 --max=3"))
            .err()
            .unwrap_or_default();
        assert_eq!(
            e,
            "error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: 3, min: 5\n"
        );
    }

    #[test]
    fn autoscale_reads_type_name_and_flags() {
        let a = parse_autoscale(&words(
            "deployment php-apache --cpu-percent=50 --min=1 --max=10",
        ))
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (a.kind, a.name.as_str(), a.min, a.max, a.cpu_percent),
            (Kind::Deployment, "php-apache", 1, 10, 50)
        );
        let a = parse_autoscale(&words("deploy/web --max 4")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((a.name.as_str(), a.min, a.cpu_percent), ("web", -1, -1));
    }

    #[test]
    fn go_durations_print_like_time_duration_string() {
        assert_eq!(go_duration(150_500), "2m30.5s");
        assert_eq!(go_duration(3_605_000), "1h0m5s");
        assert_eq!(go_duration(5_000), "5s");
    }
}
