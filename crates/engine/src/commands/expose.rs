//! `kubectl expose (deployment|replicaset|pod|service) NAME` and
//! `kubectl create service clusterip|nodeport|loadbalancer|externalname NAME --tcp=80:8080`:
//! the Service objects kubectl 1.32 builds (kubectl `pkg/cmd/expose/expose.go`,
//! `pkg/cmd/create/create_service.go`), created through the apiserver path of `apply`.

use podplay_api::types::{IntOrString, ObjectMeta, Service, ServicePort};
use podplay_kubectl::printers::messages;
use podplay_kubectl::resource::Kind;
use serde_json::Value;
use std::collections::BTreeMap;

use crate::commands::CommandOutput;
use crate::simulation::Simulation;

/// Flags in `--flag=value` or `--flag value` form, positional words apart. `multi` flags repeat.
#[derive(Debug, Default)]
struct Words {
    positional: Vec<String>,
    flags: BTreeMap<String, Vec<String>>,
}

fn split_flags(args: &[String], known: &[&str], cmd: &str) -> Result<Words, String> {
    let mut w = Words::default();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if !a.starts_with('-') || a == "-" {
            w.positional.push(a.clone());
            i += 1;
            continue;
        }
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) => (f.to_string(), Some(v.to_string())),
            None => (a.clone(), None),
        };
        let flag = match flag.as_str() {
            "-n" => "--namespace".to_string(),
            "-l" => "--labels".to_string(),
            "-o" => "--output".to_string(),
            f => f.to_string(),
        };
        if !known.contains(&flag.as_str()) {
            return Err(format!(
                "error: unknown flag: {flag}\nSee '{cmd} --help' for usage.\n"
            ));
        }
        let value = match inline {
            Some(v) => v,
            None => {
                i += 1;
                args.get(i).cloned().ok_or_else(|| {
                    format!("error: flag needs an argument: {a}\nSee '{cmd} --help' for usage.\n")
                })?
            }
        };
        w.flags.entry(flag).or_default().push(value);
        i += 1;
    }
    Ok(w)
}

impl Words {
    fn one(&self, f: &str) -> Option<&str> {
        self.flags.get(f).and_then(|v| v.last()).map(String::as_str)
    }
}

/// `create service`'s `--tcp` item: `port[:targetPort]` (create_service.go `parsePorts`).
pub fn parse_service_port(spec: &str) -> Result<ServicePort, String> {
    let mut parts = spec.split(':');
    let port_s = parts.next().unwrap_or("");
    let port: u16 = port_s
        .parse()
        .map_err(|_| format!("strconv.ParseUint: parsing {port_s:?}: invalid syntax"))?;
    if port == 0 {
        return Err(format!("port {port_s:?} must be greater than zero"));
    }
    let target = match parts.next() {
        None => IntOrString::Int(i32::from(port)),
        Some(t) => {
            match t.parse::<i64>() {
                Ok(n) if (1..=65535).contains(&n) => IntOrString::Int(n as i32),
                Ok(_) => return Err("must be between 1 and 65535, inclusive".into()),
                Err(_) => {
                    if !valid_port_name(t) {
                        return Err("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".into());
                    }
                    IntOrString::String(t.to_string())
                }
            }
        }
    };
    Ok(ServicePort {
        name: Some(spec.replace(':', "-")),
        protocol: Some("TCP".into()),
        port: i32::from(port),
        target_port: Some(target),
        ..Default::default()
    })
}

fn valid_port_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 15
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && s.chars().any(|c| c.is_ascii_lowercase())
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// The Service `kubectl create service <type> NAME` builds.
pub fn build_create_service(type_word: &str, args: &[String]) -> Result<Service, String> {
    let cmd = format!("kubectl create service {type_word}");
    let w = split_flags(
        args,
        &[
            "--tcp",
            "--clusterip",
            "--node-port",
            "--external-name",
            "--namespace",
            "--dry-run",
            "--output",
        ],
        &cmd,
    )?;
    let [name] = w.positional.as_slice() else {
        return Err(format!(
            "error: exactly one NAME is required, got {}\nSee '{cmd} -h' for help and examples\n",
            w.positional.len()
        ));
    };
    let type_ = match type_word {
        "clusterip" => "ClusterIP",
        "nodeport" => "NodePort",
        "loadbalancer" => "LoadBalancer",
        "externalname" => "ExternalName",
        other => {
            return Err(format!(
                "error: unknown command \"{other}\"\nSee 'kubectl create service -h' for help and examples\n"
            ))
        }
    };
    let cluster_ip = w.one("--clusterip").map(str::to_string);
    let mut ports = vec![];
    for item in w.flags.get("--tcp").into_iter().flatten() {
        for spec in item.split(',') {
            ports.push(parse_service_port(spec).map_err(|e| format!("error: {e}\n"))?);
        }
    }
    let headless = cluster_ip.as_deref() == Some("None");
    if ports.is_empty() && !headless && type_ != "ExternalName" {
        return Err("error: at least one tcp port specifier must be provided\n".into());
    }
    if let Some(np) = w.one("--node-port") {
        let n: i32 = np.parse().map_err(|_| {
            format!("error: invalid argument \"{np}\" for \"--node-port\" flag: strconv.ParseInt: parsing \"{np}\": invalid syntax\nSee '{cmd} --help' for usage.\n")
        })?;
        if n != 0 {
            for p in ports.iter_mut() {
                p.node_port = Some(n);
            }
        }
    }
    let mut labels = BTreeMap::new();
    labels.insert("app".to_string(), name.clone());
    let mut svc = Service {
        api_version: Some("v1".into()),
        kind: Some("Service".into()),
        metadata: ObjectMeta {
            name: Some(name.clone()),
            namespace: w.one("--namespace").map(str::to_string),
            labels: labels.clone(),
            ..Default::default()
        },
        ..Default::default()
    };
    svc.spec.type_ = Some(type_.into());
    svc.spec.ports = ports;
    if type_ == "ExternalName" {
        svc.spec.external_name = w.one("--external-name").map(str::to_string);
    } else {
        svc.spec.selector = labels;
    }
    svc.spec.cluster_ip = cluster_ip;
    Ok(svc)
}

/// What `expose` reads from the exposed object.
struct Exposed {
    labels: BTreeMap<String, String>,
    selector: Result<BTreeMap<String, String>, String>,
    /// (containerPort or port, protocol).
    ports: Vec<(i32, String)>,
}

fn json_map(v: Option<&Value>) -> BTreeMap<String, String> {
    v.and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// Ports and protocols of a pod template's containers (`PortsForObject`, `ProtocolsForObject`).
fn template_ports(spec: Option<&Value>) -> Vec<(i32, String)> {
    let mut out = vec![];
    let containers = spec
        .and_then(|s| s.get("containers"))
        .and_then(Value::as_array);
    for c in containers.into_iter().flatten() {
        for p in c
            .get("ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(n) = p.get("containerPort").and_then(Value::as_i64) {
                let proto = p
                    .get("protocol")
                    .and_then(Value::as_str)
                    .unwrap_or("TCP")
                    .to_string();
                out.push((n.clamp(0, 65535) as i32, proto));
            }
        }
    }
    out
}

impl Simulation {
    /// `kubectl create service TYPE NAME ...`.
    pub(crate) fn kubectl_create_service(&mut self, args: &[String]) -> CommandOutput {
        let Some(type_word) = args.first() else {
            return CommandOutput::ok("Create a service using a specified subcommand.\n\nAliases:\nservice, svc\n\nAvailable Commands:\n  clusterip      Create a ClusterIP service\n  externalname   Create an ExternalName service\n  loadbalancer   Create a LoadBalancer service\n  nodeport       Create a NodePort service\n\nUsage:\n  kubectl create service [flags] [options]\n\nUse \"kubectl create service <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n".into());
        };
        let svc = match build_create_service(type_word, &args[1..]) {
            Ok(s) => s,
            Err(e) => return CommandOutput::err(e),
        };
        let dry_run = args.iter().any(|a| a.starts_with("--dry-run"));
        self.submit_service(svc, "created", dry_run)
    }

    /// `kubectl expose TYPE NAME [--port] [--target-port] [--type] [--name] ...`.
    pub(crate) fn kubectl_expose(&mut self, args: &[String]) -> CommandOutput {
        let cmd = "kubectl expose";
        let w = match split_flags(
            args,
            &[
                "--port",
                "--target-port",
                "--type",
                "--name",
                "--protocol",
                "--selector",
                "--labels",
                "--cluster-ip",
                "--namespace",
                "--dry-run",
                "--output",
            ],
            cmd,
        ) {
            Ok(w) => w,
            Err(e) => return CommandOutput::err(e),
        };
        let (kind_word, name) = match w.positional.as_slice() {
            [one] if one.contains('/') => {
                let (k, n) = one.split_once('/').unwrap_or(("", ""));
                (k.to_string(), n.to_string())
            }
            [k, n] => (k.clone(), n.clone()),
            _ => return CommandOutput::err("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n".into()),
        };
        let Some(kind) = Kind::resolve(&kind_word) else {
            return CommandOutput::err(format!(
                "error: the server doesn't have a resource type \"{kind_word}\"\n"
            ));
        };
        let ns = w.one("--namespace").unwrap_or("default").to_string();
        let exposed = match self.exposed(kind, &ns, &name) {
            Ok(e) => e,
            Err(e) => return CommandOutput::err(e),
        };
        let selector = match w.one("--selector") {
            Some(s) => parse_map(s),
            None => match exposed.selector {
                Ok(s) => s,
                Err(e) => return CommandOutput::err(format!("error: couldn't retrieve selectors via --selector flag or introspection: {e}\nSee 'kubectl expose -h' for help and examples\n")),
            },
        };
        let headless = w.one("--cluster-ip") == Some("None");
        let port_words: Vec<String> = match w.one("--port") {
            Some(p) => vec![p.to_string()],
            None => exposed.ports.iter().map(|(p, _)| p.to_string()).collect(),
        };
        if port_words.is_empty() && !headless {
            return CommandOutput::err("error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples\n".into());
        }
        let mut ports = vec![];
        let many = port_words.len() > 1;
        for (i, pw) in port_words.iter().enumerate() {
            let Ok(port) = pw.parse::<i32>() else {
                return CommandOutput::err(format!(
                    "error: strconv.Atoi: parsing {pw:?}: invalid syntax\n"
                ));
            };
            let protocol = w
                .one("--protocol")
                .map(str::to_string)
                .or_else(|| {
                    exposed
                        .ports
                        .iter()
                        .find(|(p, _)| *p == port)
                        .map(|(_, pr)| pr.clone())
                })
                .unwrap_or_else(|| "TCP".into());
            let target = match w.one("--target-port") {
                Some(t) => match t.parse::<i32>() {
                    Ok(n) => IntOrString::Int(n),
                    Err(_) => IntOrString::String(t.to_string()),
                },
                None => IntOrString::Int(port),
            };
            ports.push(ServicePort {
                name: many.then(|| format!("port-{}", i + 1)),
                protocol: Some(protocol),
                port,
                target_port: Some(target),
                ..Default::default()
            });
        }
        let labels = match w.one("--labels") {
            Some(l) => parse_map(l),
            None => exposed.labels,
        };
        let mut svc = Service {
            api_version: Some("v1".into()),
            kind: Some("Service".into()),
            metadata: ObjectMeta {
                name: Some(w.one("--name").unwrap_or(&name).to_string()),
                namespace: Some(ns),
                labels,
                ..Default::default()
            },
            ..Default::default()
        };
        svc.spec.selector = selector;
        svc.spec.ports = ports;
        svc.spec.type_ = w.one("--type").map(str::to_string);
        svc.spec.cluster_ip = w.one("--cluster-ip").map(str::to_string);
        let dry_run = args.iter().any(|a| a.starts_with("--dry-run"));
        self.submit_service(svc, "exposed", dry_run)
    }

    fn exposed(&self, kind: Kind, ns: &str, name: &str) -> Result<Exposed, String> {
        let key = (ns.to_string(), name.to_string());
        match kind {
            Kind::Pod => {
                let pod = self
                    .cl
                    .store
                    .pods
                    .get(&key)
                    .ok_or_else(|| messages::not_found(kind, name))?;
                let labels = pod.metadata.labels.clone();
                let selector = if labels.is_empty() {
                    Err("the pod has no labels and cannot be exposed".into())
                } else {
                    Ok(labels.clone())
                };
                let ports = pod
                    .spec
                    .containers
                    .iter()
                    .flat_map(|c| c.ports.iter())
                    .map(|p| {
                        (
                            p.container_port,
                            p.protocol.clone().unwrap_or_else(|| "TCP".into()),
                        )
                    })
                    .collect();
                Ok(Exposed {
                    labels,
                    selector,
                    ports,
                })
            }
            Kind::Service => {
                let svc = self
                    .cl
                    .store
                    .services
                    .get(&key)
                    .ok_or_else(|| messages::not_found(kind, name))?;
                Ok(Exposed {
                    labels: svc.metadata.labels.clone(),
                    selector: Ok(svc.spec.selector.clone()),
                    ports: svc
                        .spec
                        .ports
                        .iter()
                        .map(|p| (p.port, p.protocol.clone().unwrap_or_else(|| "TCP".into())))
                        .collect(),
                })
            }
            Kind::Deployment | Kind::ReplicaSet => {
                let obj = self
                    .cl
                    .store
                    .others
                    .get(&(kind.name().to_string(), ns.to_string(), name.to_string()))
                    .ok_or_else(|| messages::not_found(kind, name))?;
                let spec = obj.body.get("spec");
                let sel = spec.and_then(|s| s.get("selector"));
                let selector = match sel.and_then(|s| s.get("matchExpressions")) {
                    Some(Value::Array(e)) if !e.is_empty() => Err(format!(
                        "couldn't convert expressions - \"{}\" to map-based selector format",
                        Value::Array(e.clone())
                    )),
                    _ => Ok(json_map(sel.and_then(|s| s.get("matchLabels")))),
                };
                let ports = template_ports(
                    spec.and_then(|s| s.get("template"))
                        .and_then(|t| t.get("spec")),
                );
                Ok(Exposed {
                    labels: obj.metadata.labels.clone(),
                    selector,
                    ports,
                })
            }
            other => Err(format!("error: cannot expose a {}\n", other.name())),
        }
    }

    /// Creates the Service as the apiserver would, with kubectl's `service/NAME <verb>` line.
    fn submit_service(&mut self, mut svc: Service, verb: &str, dry_run: bool) -> CommandOutput {
        let ns = svc
            .metadata
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into());
        svc.metadata.namespace = Some(ns.clone());
        let name = svc.metadata.name.clone().unwrap_or_default();
        if !self.cl.store.namespace_exists(&ns) {
            return CommandOutput::err(format!(
                "Error from server (NotFound): namespaces \"{ns}\" not found\n"
            ));
        }
        if self.cl.store.services.contains_key(&(ns, name.clone())) {
            return CommandOutput::err(format!(
                "Error from server (AlreadyExists): services \"{name}\" already exists\n"
            ));
        }
        if dry_run {
            return CommandOutput::ok(format!("service/{name} {verb} (dry run)\n"));
        }
        match self.apply_object(podplay_api::types::Object::Service(svc), "") {
            Ok(_) => CommandOutput::ok(format!("service/{name} {verb}\n")),
            Err(e) => CommandOutput::err(e),
        }
    }
}

/// `a=b,c=d` (kubectl's `--labels`/`--selector` for expose).
fn parse_map(s: &str) -> BTreeMap<String, String> {
    s.split(',')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn create_service_clusterip_matches_kubectl_dry_run() {
        // kubectl create service clusterip web --tcp=80:8080 --dry-run=client -o yaml
        let svc = build_create_service("clusterip", &words("web --tcp=80:8080")).ok();
        let svc = svc.unwrap_or_default();
        assert_eq!(
            svc.metadata.labels.get("app").map(String::as_str),
            Some("web")
        );
        assert_eq!(
            svc.spec.selector.get("app").map(String::as_str),
            Some("web")
        );
        assert_eq!(svc.spec.type_.as_deref(), Some("ClusterIP"));
        let p = &svc.spec.ports[0];
        assert_eq!(p.name.as_deref(), Some("80-8080"));
        assert_eq!(
            (p.port, p.target_port.clone()),
            (80, Some(IntOrString::Int(8080)))
        );
        assert_eq!(p.protocol.as_deref(), Some("TCP"));
    }

    #[test]
    fn create_service_port_list_and_names() {
        let svc = build_create_service(
            "nodeport",
            &words("web --tcp=80:8080,443 --node-port=30080"),
        )
        .unwrap_or_default();
        let names: Vec<_> = svc.spec.ports.iter().map(|p| p.name.clone()).collect();
        assert_eq!(names, vec![Some("80-8080".into()), Some("443".into())]);
        assert!(svc.spec.ports.iter().all(|p| p.node_port == Some(30080)));
        assert_eq!(svc.spec.type_.as_deref(), Some("NodePort"));
    }

    #[test]
    fn create_service_errors_are_kubectls() {
        assert_eq!(
            build_create_service("clusterip", &words("web"))
                .err()
                .as_deref(),
            Some("error: at least one tcp port specifier must be provided\n")
        );
        assert_eq!(
            build_create_service("clusterip", &words("web --tcp=abc"))
                .err()
                .as_deref(),
            Some("error: strconv.ParseUint: parsing \"abc\": invalid syntax\n")
        );
        assert_eq!(
            build_create_service("clusterip", &words("--tcp=80")).err().as_deref(),
            Some("error: exactly one NAME is required, got 0\nSee 'kubectl create service clusterip -h' for help and examples\n")
        );
        // Headless needs no port.
        assert!(build_create_service("clusterip", &words("web --clusterip=None")).is_ok());
    }
}
