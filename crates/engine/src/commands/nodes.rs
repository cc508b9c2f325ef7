//! Node commands: `kubectl cordon|uncordon|drain|taint`, `kubectl label node(s)`, and the world's
//! `sim node-down|node-up`. Wording from kubectl 1.32 (`pkg/cmd/drain`, `pkg/drain/filters.go`,
//! `pkg/cmd/taint`; controllers-semantics §10, golden S18).

use podplay_api::types::Time;
use podplay_api::types::{Pod, Taint};
use podplay_kubectl::printers::messages;
use podplay_kubectl::resource::Kind;

use crate::commands::CommandOutput;
use crate::controllers::node_lifecycle::UNSCHEDULABLE;
use crate::simulation::Simulation;
use crate::trace::Record;

/// A drain waiting for the pods it evicted to be gone (kubectl's waitForDelete).
#[derive(Debug, Clone)]
pub struct PendingDrain {
    pub command: String,
    pub node: String,
    pub stdout: String,
    pub stderr: String,
    /// (uid, name) of evicted pods not yet gone.
    pub waiting: Vec<(String, String)>,
}

/// The `kubectl` subcommands this module answers (as `Command::Other` words).
pub fn handles(words: &[String]) -> bool {
    match words.first().map(String::as_str) {
        Some("cordon" | "uncordon" | "drain" | "taint") => true,
        Some("create") => words.get(1).is_some_and(|w| w == "namespace" || w == "ns"),
        _ => false,
    }
}

fn usage(cmd: &str, use_: &str) -> CommandOutput {
    CommandOutput::err(format!(
        "error: USAGE: {use_} [flags]\nSee 'kubectl {cmd} -h' for help and examples\n"
    ))
}

fn unknown_flag(cmd: &str, flag: &str) -> CommandOutput {
    CommandOutput {
        stdout: String::new(),
        stderr: format!("error: unknown flag: {flag}\nSee 'kubectl {cmd} --help' for usage.\n"),
        exit: 1,
    }
}

#[derive(Debug, Default)]
struct DrainFlags {
    ignore_daemonsets: bool,
    delete_emptydir_data: bool,
    force: bool,
    grace_period: Option<i64>,
    disable_eviction: bool,
}

fn bool_flag(v: Option<&str>) -> bool {
    !matches!(v, Some("false"))
}

fn controller_of(p: &Pod) -> Option<&podplay_api::types::OwnerReference> {
    p.metadata
        .owner_references
        .iter()
        .find(|r| r.controller == Some(true))
}

fn is_terminal(p: &Pod) -> bool {
    crate::scheduler::is_terminal(p)
}

impl Simulation {
    pub(crate) fn kubectl_node_command(
        &mut self,
        words: &[String],
        line: &str,
    ) -> Option<CommandOutput> {
        let cmd = words.first().map(String::as_str).unwrap_or("");
        let args = &words[1..];
        Some(match cmd {
            "cordon" | "uncordon" => self.kubectl_cordon(cmd, args),
            "taint" => self.kubectl_taint(args),
            "create" => self.kubectl_create_namespace(&args[1..]),
            "drain" => return self.kubectl_drain(args, line),
            _ => CommandOutput::err(format!("error: unknown command {cmd:?}\n")),
        })
    }

    fn kubectl_cordon(&mut self, cmd: &str, args: &[String]) -> CommandOutput {
        let mut names = vec![];
        for a in args {
            if a.starts_with('-') {
                if a.starts_with("--dry-run") || a.starts_with("-l") || a.starts_with("--selector")
                {
                    continue;
                }
                return unknown_flag(cmd, a.split('=').next().unwrap_or(a));
            }
            names.push(
                a.trim_start_matches("node/")
                    .trim_start_matches("nodes/")
                    .to_string(),
            );
        }
        if names.is_empty() {
            return usage(cmd, &format!("{cmd} NODE"));
        }
        let want = cmd == "cordon";
        let mut stdout = String::new();
        let mut stderr = String::new();
        for n in names {
            match self.set_unschedulable(&n, want) {
                Ok(changed) => {
                    let verb = match (want, changed) {
                        (true, true) => "cordoned",
                        (true, false) => "already cordoned",
                        (false, true) => "uncordoned",
                        (false, false) => "already uncordoned",
                    };
                    stdout.push_str(&format!("node/{n} {verb}\n"));
                }
                Err(e) => stderr.push_str(&e),
            }
        }
        let exit = i32::from(!stderr.is_empty());
        CommandOutput {
            stdout,
            stderr,
            exit,
        }
    }

    /// `spec.unschedulable` and, as TaintNodesByCondition does, the unschedulable NoSchedule taint.
    pub(crate) fn set_unschedulable(&mut self, name: &str, on: bool) -> Result<bool, String> {
        let now = self.now();
        let Some(node) = self.cl.store.nodes.get_mut(name) else {
            return Err(messages::not_found(Kind::Node, name));
        };
        if (node.spec.unschedulable == Some(true)) == on {
            return Ok(false);
        }
        node.spec.unschedulable = on.then_some(true);
        node.spec.taints.retain(|t| t.key != UNSCHEDULABLE);
        if on {
            node.spec.taints.push(Taint {
                key: UNSCHEDULABLE.into(),
                value: None,
                effect: "NoSchedule".into(),
                time_added: Some(Time(now)),
            });
        }
        self.cl.store.versions.stamp(&mut node.metadata);
        self.refresh_node_rows();
        Ok(true)
    }

    /// `kubectl taint nodes NODE key=value:Effect ... | key:Effect- | key-`.
    fn kubectl_taint(&mut self, args: &[String]) -> CommandOutput {
        let mut positional = vec![];
        let mut overwrite = false;
        for a in args {
            if let Some(f) = a.strip_prefix("--") {
                match f.split_once('=') {
                    Some(("overwrite", v)) => overwrite = bool_flag(Some(v)),
                    None if f == "overwrite" => overwrite = true,
                    _ if f.starts_with("dry-run") || f.starts_with("all") => {}
                    _ => return unknown_flag("taint", a.split('=').next().unwrap_or(a)),
                }
            } else {
                positional.push(a.clone());
            }
        }
        // NODE may be `nodes NODE`, `node NODE` or `node/NODE`.
        let (node_name, specs): (String, Vec<String>) =
            match positional.first().map(String::as_str) {
                Some("node" | "nodes" | "no") => match positional.get(1) {
                    Some(n) => (n.clone(), positional[2..].to_vec()),
                    None => return usage(
                        "taint",
                        "taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N",
                    ),
                },
                Some(n) if n.starts_with("node/") || n.starts_with("nodes/") => (
                    n.split_once('/').map(|x| x.1).unwrap_or("").to_string(),
                    positional[1..].to_vec(),
                ),
                Some(other) => {
                    return CommandOutput::err(format!(
                        "error: the server doesn't have a resource type \"{other}\"\n"
                    ))
                }
                None => {
                    return usage(
                        "taint",
                        "taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N",
                    )
                }
            };
        if specs.is_empty() {
            return CommandOutput::err("error: at least one taint update is required\n".into());
        }
        let mut add: Vec<Taint> = vec![];
        let mut remove: Vec<(String, Option<String>)> = vec![];
        for s in &specs {
            if let Some(r) = s.strip_suffix('-') {
                let (key, effect) = match r.split_once(':') {
                    Some((k, e)) => (k, Some(e.to_string())),
                    None => (r, None),
                };
                let key = key.split('=').next().unwrap_or(key).to_string();
                if let Some(e) = &effect {
                    if let Err(m) = validate_effect(e) {
                        return CommandOutput::err(m);
                    }
                }
                remove.push((key, effect));
                continue;
            }
            let Some((kv, effect)) = s.split_once(':') else {
                return CommandOutput::err(format!("error: invalid taint spec: {s}\n"));
            };
            if let Err(m) = validate_effect(effect) {
                return CommandOutput::err(m);
            }
            let (key, value) = match kv.split_once('=') {
                Some((k, v)) => (k, Some(v.to_string()).filter(|v| !v.is_empty())),
                None => (kv, None),
            };
            if key.is_empty() {
                return CommandOutput::err(format!("error: invalid taint spec: {s}\n"));
            }
            add.push(Taint {
                key: key.into(),
                value,
                effect: effect.into(),
                time_added: None,
            });
        }
        let now = self.now();
        let Some(node) = self.cl.store.nodes.get_mut(&node_name) else {
            return CommandOutput::err(messages::not_found(Kind::Node, &node_name));
        };
        if !overwrite {
            let exists: Vec<String> = add
                .iter()
                .filter(|a| {
                    node.spec
                        .taints
                        .iter()
                        .any(|t| t.key == a.key && t.effect == a.effect)
                })
                .map(|a| a.key.clone())
                .collect();
            if !exists.is_empty() {
                return CommandOutput::err(format!(
                    "error: node {node_name} already has {} taint(s) with same effect(s) and --overwrite is false\n",
                    exists.join(",")
                ));
            }
        }
        let mut taints = node.spec.taints.clone();
        let mut errors = vec![];
        for (key, effect) in &remove {
            let before = taints.len();
            taints.retain(|t| !(t.key == *key && effect.as_ref().is_none_or(|e| *e == t.effect)));
            if taints.len() == before {
                let shown = match effect {
                    Some(e) => format!("{key}:{e}"),
                    None => key.clone(),
                };
                errors.push(format!("taint {shown:?} not found"));
            }
        }
        if !errors.is_empty() {
            return CommandOutput::err(format!("error: {}\n", errors.join(", ")));
        }
        for mut a in add.clone() {
            if a.effect == "NoExecute" {
                a.time_added = Some(Time(now));
            }
            taints.retain(|t| !(t.key == a.key && t.effect == a.effect));
            taints.push(a);
        }
        node.spec.taints = taints;
        self.cl.store.versions.stamp(&mut node.metadata);
        let verb = match (add.is_empty(), remove.is_empty()) {
            (true, false) => "untainted",
            (false, false) => "modified",
            _ => "tainted",
        };
        self.refresh_node_rows();
        self.process_node_taints(&node_name);
        CommandOutput::ok(format!("node/{node_name} {verb}\n"))
    }

    /// `kubectl label node(s) NODE k=v k2-`.
    pub(crate) fn kubectl_label_nodes(
        &mut self,
        l: &podplay_kubectl::command::Label,
    ) -> CommandOutput {
        let mut stdout = String::new();
        let mut stderr = String::new();
        for t in &l.targets {
            let Some(name) = &t.name else { continue };
            let Some(node) = self.cl.store.nodes.get_mut(name) else {
                stderr.push_str(&messages::not_found(Kind::Node, name));
                continue;
            };
            let mut changed = false;
            let mut conflict = None;
            for (k, v) in &l.set {
                match node.metadata.labels.get(k) {
                    Some(old) if old != v && !l.overwrite => {
                        conflict = Some((k.clone(), old.clone()))
                    }
                    Some(old) if old == v => {}
                    _ => {
                        node.metadata.labels.insert(k.clone(), v.clone());
                        changed = true;
                    }
                }
            }
            if let Some((k, v)) = conflict {
                stderr.push_str(&messages::label_exists(&k, &v));
                continue;
            }
            for k in &l.remove {
                changed |= node.metadata.labels.remove(k).is_some();
            }
            if changed {
                self.cl.store.versions.stamp(&mut node.metadata);
            }
            stdout.push_str(&messages::labeled(
                Kind::Node,
                name,
                if changed { "labeled" } else { "not labeled" },
            ));
        }
        self.refresh_node_rows();
        let exit = i32::from(!stderr.is_empty());
        CommandOutput {
            stdout,
            stderr,
            exit,
        }
    }

    /// `kubectl drain NODE`: cordon, check the pods (filters.go), evict, wait for them to be gone.
    fn kubectl_drain(&mut self, args: &[String], line: &str) -> Option<CommandOutput> {
        let mut f = DrainFlags::default();
        let mut names = vec![];
        for a in args {
            let Some(flag) = a.strip_prefix("--") else {
                names.push(a.trim_start_matches("node/").to_string());
                continue;
            };
            let (k, v) = match flag.split_once('=') {
                Some((k, v)) => (k, Some(v)),
                None => (flag, None),
            };
            match k {
                "ignore-daemonsets" => f.ignore_daemonsets = bool_flag(v),
                "delete-emptydir-data" | "delete-local-data" => {
                    f.delete_emptydir_data = bool_flag(v)
                }
                "force" => f.force = bool_flag(v),
                "disable-eviction" => f.disable_eviction = bool_flag(v),
                "grace-period" => {
                    f.grace_period = v.and_then(|v| v.parse().ok()).filter(|g: &i64| *g >= 0)
                }
                "timeout" | "skip-wait-for-delete-timeout" | "dry-run" => {}
                _ => return Some(unknown_flag("drain", &format!("--{k}"))),
            }
        }
        let Some(name) = names.first().cloned() else {
            return Some(usage("drain", "drain NODE"));
        };
        let mut stdout = String::new();
        let mut stderr = String::new();
        match self.set_unschedulable(&name, true) {
            Ok(true) => stdout.push_str(&format!("node/{name} cordoned\n")),
            Ok(false) => stdout.push_str(&format!("node/{name} already cordoned\n")),
            Err(e) => return Some(CommandOutput::err(e)),
        }
        // GetPodsForDeletion: each pod through the filters; the first that refuses decides.
        let pods: Vec<Pod> = self
            .cl
            .store
            .pods
            .values()
            .filter(|p| p.spec.node_name.as_deref() == Some(name.as_str()))
            .cloned()
            .collect();
        let mut errors: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
        let mut warnings: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
        let mut evict: Vec<Pod> = vec![];
        for p in pods {
            let id = format!(
                "{}/{}",
                p.metadata.namespace.as_deref().unwrap_or(""),
                p.metadata.name.as_deref().unwrap_or("")
            );
            let owner = controller_of(&p);
            if owner.is_some_and(|o| o.kind == "DaemonSet") {
                if f.ignore_daemonsets {
                    warnings
                        .entry("ignoring DaemonSet-managed Pods")
                        .or_default()
                        .push(id);
                } else {
                    errors
                        .entry("cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)")
                        .or_default()
                        .push(id);
                }
                continue;
            }
            let terminal = is_terminal(&p);
            if !terminal && p.spec.volumes.iter().any(|v| v.empty_dir.is_some()) {
                if !f.delete_emptydir_data {
                    errors
                        .entry("cannot delete Pods with local storage (use --delete-emptydir-data to override)")
                        .or_default()
                        .push(id);
                    continue;
                }
                warnings
                    .entry("deleting Pods with local storage")
                    .or_default()
                    .push(id.clone());
            }
            if !terminal && owner.is_none() {
                if !f.force {
                    errors
                        .entry("cannot delete Pods that declare no controller (use --force to override)")
                        .or_default()
                        .push(id);
                    continue;
                }
                warnings
                    .entry("deleting Pods that declare no controller")
                    .or_default()
                    .push(id);
            }
            evict.push(p);
        }
        if !errors.is_empty() {
            let errs: Vec<String> = errors
                .iter()
                .map(|(m, pods)| format!("{m}: {}", pods.join(", ")))
                .collect();
            let joined = if errs.len() == 1 {
                errs[0].clone()
            } else {
                format!("[{}]", errs.join(", "))
            };
            stderr.push_str(&format!(
                "error: unable to drain node {name:?} due to error: {joined}, continuing command...\nThere are pending nodes to be drained:\n {name}\n"
            ));
            // RunDrain returns NewAggregate([that error]); CheckErr prints each element of the
            // outer aggregate on its own line without a prefix: one line, the inner text.
            stderr.push_str(&joined);
            stderr.push('\n');
            return Some(CommandOutput {
                stdout,
                stderr,
                exit: 1,
            });
        }
        if !warnings.is_empty() {
            let w: Vec<String> = warnings
                .iter()
                .map(|(m, pods)| format!("{m}: {}", pods.join(", ")))
                .collect();
            stderr.push_str(&format!("Warning: {}\n", w.join("; ")));
        }
        let mut waiting = vec![];
        for p in &evict {
            let key = crate::store::key_of(&p.metadata);
            if f.disable_eviction {
                stdout.push_str(&format!("deleting pod {}/{}\n", key.0, key.1));
            } else {
                stdout.push_str(&format!("evicting pod {}/{}\n", key.0, key.1));
                // The Eviction API marks the pod before deleting it.
                self.add_disruption_target(&key, "EvictionByEvictionAPI", "Eviction API: evicting");
            }
            self.delete_pod(&key, f.grace_period, false);
            waiting.push((p.metadata.uid.clone().unwrap_or_default(), key.1.clone()));
        }
        let d = PendingDrain {
            command: line.to_string(),
            node: name,
            stdout,
            stderr,
            waiting,
        };
        self.sched.drains.push(d);
        self.check_pending_drains();
        None
    }

    /// Drains whose pods are all gone print the rest of their output.
    pub(crate) fn check_pending_drains(&mut self) {
        let now = self.now();
        let drains = std::mem::take(&mut self.sched.drains);
        for mut d in drains {
            let mut still = vec![];
            for (uid, name) in std::mem::take(&mut d.waiting) {
                if self.cl.store.pod_by_uid(&uid).is_some() {
                    still.push((uid, name));
                } else {
                    d.stdout.push_str(&format!("pod/{name} evicted\n"));
                }
            }
            d.waiting = still;
            if d.waiting.is_empty() {
                d.stdout.push_str(&format!("node/{} drained\n", d.node));
                self.cl.trace.push(Record::Output {
                    t: now,
                    command: d.command,
                    stdout: d.stdout,
                    stderr: d.stderr,
                    exit: 0,
                });
            } else {
                self.sched.drains.push(d);
            }
        }
    }

    /// `sim node-down NODE` / `sim node-up NODE`.
    pub(crate) fn sim_node_action(&mut self, args: &[String]) -> CommandOutput {
        let action = args.first().map(String::as_str).unwrap_or("");
        let Some(node) = args.get(1) else {
            return CommandOutput::err(format!("usage: sim {action} NODE"));
        };
        let node = node.trim_start_matches("node/");
        let r = if action == "node-down" {
            self.node_down(node)
        } else {
            self.node_up(node)
        };
        match r {
            Ok(s) => CommandOutput::ok(s),
            Err(e) => CommandOutput::err(e),
        }
    }
}

fn validate_effect(e: &str) -> Result<(), String> {
    match e {
        "NoSchedule" | "PreferNoSchedule" | "NoExecute" => Ok(()),
        _ => Err(format!(
            "error: invalid taint effect: {e}, unsupported taint effect\n"
        )),
    }
}
