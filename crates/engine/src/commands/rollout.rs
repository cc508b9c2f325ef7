//! `kubectl scale`, `kubectl set image` and `kubectl rollout ...` against Deployments and
//! ReplicaSets (controllers-semantics §1.10, §1.12, §10). `rollout status` watches: its output
//! record arrives when the rollout finishes (or fails), like a blocking command in a terminal.

use podplay_api::time::Millis;
use podplay_api::types::{OtherObject, Time};
use podplay_kubectl::command::{Scale, Target};
use podplay_kubectl::printers::messages;
use podplay_kubectl::printers::rollout as rp;
use podplay_kubectl::resource::Kind;
use podplay_kubectl::rollout::{Rollout, RolloutVerb, SetImage};
use serde_json::{json, Value};

use super::CommandOutput;
use crate::controllers::deployment::{template_ignoring_hash, HASH_LABEL, REVISION};
use crate::controllers::WorkloadKey;
use crate::simulation::Simulation;
use crate::trace::Record;

/// A `kubectl rollout status` still waiting for its Deployment.
#[derive(Debug, Clone)]
pub struct PendingRolloutStatus {
    pub key: WorkloadKey,
    pub command: String,
    pub stdout: String,
    /// The resourceVersion last seen: every new one is a MODIFIED watch event (one more line).
    pub last_rv: Option<String>,
    pub deadline: Option<Millis>,
}

/// Annotations a rollback keeps from the Deployment rather than taking from the ReplicaSet.
const UNDO_SKIP: &[&str] = &[
    "kubectl.kubernetes.io/last-applied-configuration",
    REVISION,
    "deployment.kubernetes.io/revision-history",
    "deployment.kubernetes.io/desired-replicas",
    "deployment.kubernetes.io/max-replicas",
    "deprecated.deployment.rollback.to",
];

fn not_found(kind: Kind, name: &str) -> CommandOutput {
    CommandOutput::err(messages::not_found(kind, name))
}

fn status_of(d: &OtherObject) -> Result<(String, bool), String> {
    rp::deployment_status(&rp::DeploymentRollout::from_body(
        d.metadata.name(),
        d.metadata.generation.unwrap_or(1),
        &d.body,
    ))
}

impl Simulation {
    fn workload_key(kind: Kind, ns: &str, name: &str) -> WorkloadKey {
        (kind.name().to_string(), ns.to_string(), name.to_string())
    }

    /// A user's write to a Deployment or ReplicaSet spec: generation and resourceVersion move,
    /// and the controllers get to react.
    fn write_workload_spec(&mut self, key: &WorkloadKey, f: impl FnOnce(&mut OtherObject)) {
        if let Some(o) = self.cl.store.others.get_mut(key) {
            let before = o.body.get("spec").cloned();
            f(o);
            if o.body.get("spec") != before.as_ref() {
                o.metadata.generation = Some(o.metadata.generation.unwrap_or(1) + 1);
            }
            self.cl.store.versions.stamp(&mut o.metadata);
        }
        self.dirty_workloads = true;
    }

    fn named_targets(targets: &[Target]) -> Result<Vec<(Kind, String)>, CommandOutput> {
        let mut out = vec![];
        for t in targets {
            match &t.name {
                Some(n) => out.push((t.kind, n.clone())),
                None => {
                    return Err(CommandOutput::err(
                        "error: resource(s) were provided, but no name was specified".into(),
                    ))
                }
            }
        }
        Ok(out)
    }

    pub(crate) fn kubectl_scale(&mut self, s: &Scale) -> CommandOutput {
        let ns = s.scope.namespace_or_default().to_string();
        let targets = match Self::named_targets(&s.targets) {
            Ok(t) => t,
            Err(e) => return e,
        };
        let mut stdout = String::new();
        let mut stderr = String::new();
        for (kind, name) in targets {
            if !matches!(kind, Kind::Deployment | Kind::ReplicaSet) {
                stderr.push_str(&format!(
                    "error: podplay does not scale {} yet\n",
                    kind.plural()
                ));
                continue;
            }
            let key = Self::workload_key(kind, &ns, &name);
            let Some(o) = self.cl.store.others.get(&key) else {
                stderr.push_str(&messages::not_found(kind, &name));
                continue;
            };
            if let Some(cur) = s.current_replicas {
                let have = o
                    .body
                    .get("spec")
                    .and_then(|x| x.get("replicas"))
                    .and_then(Value::as_i64)
                    .unwrap_or(1);
                if have != cur as i64 {
                    stderr.push_str(&format!(
                        "error: Expected replicas to be {cur}, was {have}\n"
                    ));
                    continue;
                }
            }
            let replicas = s.replicas;
            self.write_workload_spec(&key, |o| {
                if let Some(sp) = o.body.get_mut("spec").and_then(Value::as_object_mut) {
                    sp.insert("replicas".into(), json!(replicas));
                }
            });
            stdout.push_str(&messages::scaled(kind, &name));
        }
        let exit = i32::from(!stderr.is_empty());
        self.settle_now();
        CommandOutput {
            stdout,
            stderr,
            exit,
        }
    }

    pub(crate) fn kubectl_set_image(&mut self, s: &SetImage) -> CommandOutput {
        let ns = s.scope.namespace_or_default().to_string();
        let targets = match Self::named_targets(&s.targets) {
            Ok(t) => t,
            Err(e) => return e,
        };
        let mut stdout = String::new();
        let mut stderr = String::new();
        for (kind, name) in targets {
            if !matches!(kind, Kind::Deployment | Kind::ReplicaSet) {
                stderr.push_str(&format!(
                    "error: podplay does not set images of {} yet\n",
                    kind.plural()
                ));
                continue;
            }
            let key = Self::workload_key(kind, &ns, &name);
            let Some(o) = self.cl.store.others.get(&key) else {
                stderr.push_str(&messages::not_found(kind, &name));
                continue;
            };
            // Every named container must exist (init containers count too).
            let names: Vec<String> = ["containers", "initContainers"]
                .iter()
                .flat_map(|f| {
                    o.body
                        .get("spec")
                        .and_then(|x| x.pointer(&format!("/template/spec/{f}")))
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default()
                })
                .filter_map(|c| c.get("name").and_then(Value::as_str).map(str::to_string))
                .collect();
            if let Some((c, _)) = s
                .images
                .iter()
                .find(|(c, _)| c != "*" && !names.contains(c))
            {
                stderr.push_str(&format!("error: unable to find container named \"{c}\"\n"));
                continue;
            }
            let images = s.images.clone();
            self.write_workload_spec(&key, |o| {
                for f in ["containers", "initContainers"] {
                    let Some(cs) = o
                        .body
                        .get_mut("spec")
                        .and_then(|x| x.pointer_mut(&format!("/template/spec/{f}")))
                        .and_then(Value::as_array_mut)
                    else {
                        continue;
                    };
                    for c in cs.iter_mut() {
                        let cname = c
                            .get("name")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string();
                        for (want, image) in &images {
                            if want == "*" || *want == cname {
                                c["image"] = json!(image);
                            }
                        }
                    }
                }
            });
            stdout.push_str(&format!(
                "{}/{name} image updated\n",
                kind.qualified_singular()
            ));
        }
        let exit = i32::from(!stderr.is_empty());
        self.settle_now();
        CommandOutput {
            stdout,
            stderr,
            exit,
        }
    }

    /// What a command changed is seen (and reacted to) before the next command runs.
    fn settle_now(&mut self) {
        if self.dirty_workloads {
            self.reconcile_workloads();
            self.dirty_workloads = false;
        }
    }

    pub(crate) fn kubectl_rollout(&mut self, r: &Rollout, line: &str) -> Option<CommandOutput> {
        let ns = r.scope.namespace_or_default().to_string();
        let targets = match Self::named_targets(&r.targets) {
            Ok(t) => t,
            Err(e) => return Some(e),
        };
        let mut out = CommandOutput::default();
        for (kind, name) in targets {
            if kind != Kind::Deployment {
                out.stderr.push_str(&format!(
                    "error: podplay simulates rollouts of deployments only, not {}\n",
                    kind.plural()
                ));
                out.exit = 1;
                continue;
            }
            let key = Self::workload_key(kind, &ns, &name);
            let Some(d) = self.cl.store.others.get(&key).cloned() else {
                let e = not_found(kind, &name);
                out.stderr.push_str(&e.stderr);
                out.exit = 1;
                continue;
            };
            let qualified = format!("{}/{name}", kind.qualified_singular());
            let res = match r.verb {
                RolloutVerb::Status => return self.rollout_status(r, key, &d, line),
                RolloutVerb::History => self.rollout_history(&d, &qualified, r.revision),
                RolloutVerb::Undo => self.rollout_undo(&key, &d, &qualified, r.revision),
                RolloutVerb::Pause | RolloutVerb::Resume => {
                    let pause = r.verb == RolloutVerb::Pause;
                    let paused = d
                        .body
                        .get("spec")
                        .and_then(|x| x.get("paused"))
                        .and_then(Value::as_bool)
                        .unwrap_or(false);
                    if paused == pause {
                        let what = if pause {
                            "is already paused"
                        } else {
                            "is not paused"
                        };
                        Err(format!("error: deployments.apps \"{name}\" {what}"))
                    } else {
                        self.write_workload_spec(&key, |o| {
                            if let Some(sp) = o.body.get_mut("spec").and_then(Value::as_object_mut)
                            {
                                if pause {
                                    sp.insert("paused".into(), json!(true));
                                } else {
                                    sp.remove("paused");
                                }
                            }
                        });
                        let verb = if pause { "paused" } else { "resumed" };
                        Ok(format!("{qualified} {verb}\n"))
                    }
                }
                RolloutVerb::Restart => {
                    let paused = d
                        .body
                        .get("spec")
                        .and_then(|x| x.get("paused"))
                        .and_then(Value::as_bool)
                        .unwrap_or(false);
                    if paused {
                        Err(format!("error: deployments.apps \"{name}\" can't restart paused deployment (run rollout resume first)"))
                    } else {
                        let at = Time(self.now()).rfc3339();
                        self.write_workload_spec(&key, |o| {
                            if let Some(t) = o
                                .body
                                .get_mut("spec")
                                .and_then(|x| x.get_mut("template"))
                                .and_then(Value::as_object_mut)
                            {
                                let meta = t.entry("metadata").or_insert_with(|| json!({}));
                                if let Some(m) = meta.as_object_mut() {
                                    let ann = m.entry("annotations").or_insert_with(|| json!({}));
                                    if let Some(a) = ann.as_object_mut() {
                                        a.insert(
                                            "kubectl.kubernetes.io/restartedAt".into(),
                                            json!(at),
                                        );
                                    }
                                }
                            }
                        });
                        Ok(format!("{qualified} restarted\n"))
                    }
                }
            };
            match res {
                Ok(s) => out.stdout.push_str(&s),
                Err(e) => {
                    out.stderr.push_str(&e);
                    out.stderr.push('\n');
                    out.exit = 1;
                }
            }
        }
        self.settle_now();
        Some(out)
    }

    /// The ReplicaSets a Deployment controls, with their revision.
    fn revisions_of(&self, d: &OtherObject) -> Vec<(i64, OtherObject)> {
        let uid = d.metadata.uid.clone().unwrap_or_default();
        self.cl
            .store
            .others
            .values()
            .filter(|o| {
                o.kind == "ReplicaSet"
                    && o.metadata
                        .owner_references
                        .iter()
                        .any(|r| r.controller == Some(true) && r.uid == uid)
            })
            .filter_map(|o| {
                o.metadata
                    .annotations
                    .get(REVISION)
                    .and_then(|r| r.parse::<i64>().ok())
                    .map(|r| (r, o.clone()))
            })
            .collect()
    }

    fn rollout_history(
        &self,
        d: &OtherObject,
        qualified: &str,
        revision: i64,
    ) -> Result<String, String> {
        let revs = self.revisions_of(d);
        if revision > 0 {
            return match revs.iter().find(|(r, _)| *r == revision) {
                Some((r, o)) => {
                    let t = o
                        .body
                        .get("spec")
                        .and_then(|s| s.get("template"))
                        .cloned()
                        .unwrap_or(Value::Null);
                    Ok(rp::history_revision(qualified, *r, &t))
                }
                None => Err("error: unable to find the specified revision".into()),
            };
        }
        let rows: Vec<(i64, Option<String>)> = revs
            .iter()
            .map(|(r, o)| {
                (
                    *r,
                    o.metadata
                        .annotations
                        .get("kubernetes.io/change-cause")
                        .cloned(),
                )
            })
            .collect();
        Ok(rp::history_table(qualified, &rows))
    }

    /// kubectl's client-side `DeploymentRollbacker`.
    fn rollout_undo(
        &mut self,
        key: &WorkloadKey,
        d: &OtherObject,
        qualified: &str,
        to: i64,
    ) -> Result<String, String> {
        if to < 0 {
            return Err(format!(
                "error: unable to find specified revision {to} in history"
            ));
        }
        let mut revs = self.revisions_of(d);
        revs.sort_by_key(|(r, _)| *r);
        let target = if to > 0 {
            match revs.iter().find(|(r, _)| *r == to) {
                Some((_, o)) => o.clone(),
                None => {
                    return Err(format!(
                        "error: unable to find specified revision {to} in history"
                    ))
                }
            }
        } else {
            match revs.len().checked_sub(2).and_then(|i| revs.get(i)) {
                Some((_, o)) => o.clone(),
                None => {
                    return Err(format!(
                        "error: no rollout history found for deployment {:?}",
                        d.metadata.name()
                    ))
                }
            }
        };
        let paused = d
            .body
            .get("spec")
            .and_then(|x| x.get("paused"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if paused {
            return Err("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again".into());
        }
        let rs_template = target
            .body
            .get("spec")
            .and_then(|s| s.get("template"))
            .cloned()
            .unwrap_or(Value::Null);
        let d_template = d
            .body
            .get("spec")
            .and_then(|s| s.get("template"))
            .cloned()
            .unwrap_or(Value::Null);
        if template_ignoring_hash(&rs_template) == template_ignoring_hash(&d_template) {
            return Ok(format!(
                "{qualified} skipped rollback (current template already matches revision {to})\n"
            ));
        }
        let mut template = rs_template;
        if let Some(l) = template
            .pointer_mut("/metadata/labels")
            .and_then(Value::as_object_mut)
        {
            l.remove(HASH_LABEL);
        }
        let mut annotations = std::collections::BTreeMap::new();
        for k in UNDO_SKIP {
            if let Some(v) = d.metadata.annotations.get(*k) {
                annotations.insert(k.to_string(), v.clone());
            }
        }
        for (k, v) in &target.metadata.annotations {
            if !UNDO_SKIP.contains(&k.as_str()) {
                annotations.insert(k.clone(), v.clone());
            }
        }
        self.write_workload_spec(key, |o| {
            if let Some(sp) = o.body.get_mut("spec").and_then(Value::as_object_mut) {
                sp.insert("template".into(), template);
            }
            o.metadata.annotations = annotations;
        });
        Ok(format!("{qualified} rolled back\n"))
    }

    fn rollout_status(
        &mut self,
        r: &Rollout,
        key: WorkloadKey,
        d: &OtherObject,
        line: &str,
    ) -> Option<CommandOutput> {
        match status_of(d) {
            Err(e) => Some(CommandOutput::err(format!("error: {e}"))),
            Ok((msg, done)) if done || !r.watch => Some(CommandOutput::ok(msg)),
            Ok((msg, _)) => {
                let deadline = (r.timeout_ms > 0).then(|| self.now() + r.timeout_ms);
                if let Some(t) = deadline {
                    self.cl.wake_workloads_at(t);
                }
                self.pending_rollouts.push(PendingRolloutStatus {
                    key,
                    command: line.to_string(),
                    stdout: msg,
                    last_rv: d.metadata.resource_version.clone(),
                    deadline,
                });
                None
            }
        }
    }

    /// Watching `rollout status` commands print a line per change of their Deployment, and
    /// report (as one output record) once it is done, failed, deleted or timed out.
    pub(crate) fn check_pending_rollouts(&mut self) {
        if self.pending_rollouts.is_empty() {
            return;
        }
        let now = self.now();
        let pending = std::mem::take(&mut self.pending_rollouts);
        for mut p in pending {
            let d = self.cl.store.others.get(&p.key).cloned();
            let finished: Option<(String, i32)> = match d {
                None => Some(("error: object has been deleted\n".into(), 1)),
                Some(d) if d.metadata.resource_version != p.last_rv => {
                    p.last_rv = d.metadata.resource_version.clone();
                    match status_of(&d) {
                        Err(e) => Some((format!("error: {e}\n"), 1)),
                        Ok((msg, done)) => {
                            p.stdout.push_str(&msg);
                            done.then(|| (String::new(), 0))
                        }
                    }
                }
                Some(_) => None,
            };
            let finished = finished.or_else(|| {
                p.deadline.filter(|t| now >= *t).map(|_| {
                    (
                        "error: timed out waiting for the condition\n".to_string(),
                        1,
                    )
                })
            });
            match finished {
                Some((stderr, exit)) => self.cl.trace.push(Record::Output {
                    t: now,
                    command: p.command.clone(),
                    stdout: p.stdout.clone(),
                    stderr,
                    exit,
                }),
                None => self.pending_rollouts.push(p),
            }
        }
    }
}
