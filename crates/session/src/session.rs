//! The session: a simulation, the actions that shaped it, and checkpoints to travel back.

use podplay_api::time::{Millis, SECOND};
use podplay_engine::view::ClusterView;
use podplay_engine::{CommandOutput, Record, Simulation};
use serde::{Deserialize, Serialize};

/// The name the editor's content has for `kubectl apply -f` / `delete -f` in the console.
pub const EDITOR_FILE: &str = "editor.yaml";

/// How far apart (in virtual time) checkpoints are: a seek replays at most this much.
pub const CHECKPOINT_EVERY: Millis = 30 * SECOND;

/// How many checkpoints a session keeps. Each is a copy of the whole simulation (a few MB with
/// 50 pods), so past this the older half is thinned (every other one goes): recent moments stay
/// 30 s from a checkpoint, old ones a minute or two, and memory stays bounded.
pub const MAX_CHECKPOINTS: usize = 48;

/// Something the user did, at a moment of virtual time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    pub t: Millis,
    #[serde(flatten)]
    pub kind: ActionKind,
    /// Part of a scenario's script: planned ahead, and kept when the user forks the timeline.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub scripted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "lowercase")]
pub enum ActionKind {
    /// The editor's text applied (`kubectl apply -f editor.yaml`).
    Apply { text: String },
    /// A console line (`kubectl ...` or `sim ...`).
    Command { line: String },
}

/// An error in the editor's text, where the editor should mark it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EditorDiagnostic {
    /// 1-based.
    pub line: u32,
    /// 1-based.
    pub col: u32,
    /// kubectl's words for it.
    pub message: String,
    pub severity: &'static str,
}

/// One event as the event log lists it (`kubectl get events`, one row per occurrence).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventRow {
    pub t: Millis,
    pub type_: String,
    pub reason: String,
    /// `pod/web-1`, as kubectl's OBJECT column.
    pub object: String,
    pub namespace: String,
    pub message: String,
    /// The container the event is about (from its fieldPath), if any.
    pub container: Option<String>,
}

/// A mark on the timeline: something happened then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Marker {
    pub t: Millis,
    /// `Normal`, `Warning`, or `Action` for the user's own actions.
    pub type_: String,
    pub label: String,
}

#[derive(Clone)]
struct Checkpoint {
    t: Millis,
    /// The simulation at `t`, without its trace (kept once, in the live simulation).
    sim: Simulation,
    trace_len: usize,
    applied: usize,
}

#[derive(Clone)]
pub struct Session {
    seed: u64,
    actions: Vec<Action>,
    sim: Simulation,
    /// How many of `actions` the simulation has performed.
    applied: usize,
    /// The furthest moment simulated: the end of the timeline.
    frontier: Millis,
    checkpoints: Vec<Checkpoint>,
    markers: Vec<Marker>,
    /// How far into the live trace `markers` has looked.
    marker_cursor: usize,
    /// Events up to this moment are already marked (replays after a seek add nothing).
    markers_until: Millis,
    /// A scenario's files that its script can name (`kubectl create -f pod.yaml`), besides the
    /// editor's: part of the session, so replays and share links have them too.
    files: Vec<(String, String)>,
    /// Bumped whenever the trace is cut back (a seek to the past, a fork): lists built
    /// incrementally from it (`events_since`, `outputs_since`) must start again.
    epoch: u64,
}

/// Checks the editor's text as `kubectl apply` would, without applying it.
pub fn validate(text: &str) -> Vec<EditorDiagnostic> {
    match podplay_api::parse_manifests(EDITOR_FILE, text) {
        Ok(_) => vec![],
        Err(diags) => diags
            .into_iter()
            .map(|d| EditorDiagnostic {
                line: d.line.max(1),
                col: d.column.max(1),
                message: d.message,
                severity: "error",
            })
            .collect(),
    }
}

fn involved_container(field_path: &Option<String>) -> Option<String> {
    let f = field_path.as_deref()?;
    let rest = f
        .strip_prefix("spec.containers{")
        .or_else(|| f.strip_prefix("spec.initContainers{"))?;
    rest.strip_suffix('}').map(str::to_string)
}

impl Session {
    pub fn new(seed: u64) -> Session {
        Session::with_files(seed, vec![])
    }

    /// A session whose simulation can read `files` by name (`kubectl apply|create|delete -f`).
    pub fn with_files(seed: u64, files: Vec<(String, String)>) -> Session {
        let mut sim = Simulation::new(seed);
        for (name, text) in &files {
            sim.files.insert(name.clone(), text.clone());
        }
        let mut s = Session {
            files,
            seed,
            actions: vec![],
            sim,
            applied: 0,
            frontier: 0,
            checkpoints: vec![],
            markers: vec![],
            marker_cursor: 0,
            markers_until: -1,
            epoch: 0,
        };
        s.checkpoint();
        s
    }

    /// A session rebuilt from its seed and actions (a share link), simulated up to `moment`.
    pub fn replay(seed: u64, actions: Vec<Action>, moment: Millis) -> Session {
        Session::replay_with_files(seed, vec![], actions, moment)
    }

    /// `replay` of a session that had scenario files.
    pub fn replay_with_files(
        seed: u64,
        files: Vec<(String, String)>,
        actions: Vec<Action>,
        moment: Millis,
    ) -> Session {
        let mut s = Session::with_files(seed, files);
        let mut actions = actions;
        actions.sort_by_key(|a| a.t);
        s.actions = actions;
        let end = s.actions.last().map_or(0, |a| a.t).max(moment).max(0);
        s.frontier = end;
        s.run_to(end, u64::MAX);
        s.seek(moment);
        s
    }

    /// Changes whenever the trace was cut back (seek to the past, fork): incremental readers
    /// of the trace start again from 0.
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// How many checkpoints the session holds (bounded by `MAX_CHECKPOINTS`).
    pub fn checkpoint_count(&self) -> usize {
        self.checkpoints.len()
    }

    /// The scenario files the session's commands can name.
    pub fn files(&self) -> &[(String, String)] {
        &self.files
    }

    /// The moment shown.
    pub fn now(&self) -> Millis {
        self.sim.now()
    }

    /// The furthest moment simulated so far.
    pub fn frontier(&self) -> Millis {
        self.frontier
    }

    pub fn actions(&self) -> &[Action] {
        &self.actions
    }

    pub fn simulation(&self) -> &Simulation {
        &self.sim
    }

    /// Everything visible so far, up to the moment shown.
    pub fn trace(&self) -> &[Record] {
        self.sim.trace()
    }

    /// How many simulated events (agenda tasks) have run in the live simulation.
    pub fn tasks_processed(&self) -> u64 {
        self.sim.tasks_processed()
    }

    /// Applies the editor's text at the moment shown, as `kubectl apply -f editor.yaml`.
    /// Text with errors is not applied: the errors come back, for the editor to mark.
    pub fn apply(&mut self, text: &str) -> Result<CommandOutput, Vec<EditorDiagnostic>> {
        let diags = validate(text);
        if !diags.is_empty() {
            return Err(diags);
        }
        let out = self.act(ActionKind::Apply {
            text: text.to_string(),
        });
        Ok(out.unwrap_or_default())
    }

    /// Runs a console line (`kubectl ...`, `sim ...`) at the moment shown. None when the output
    /// comes later (an exec still running): it then appears as an output record in the trace.
    pub fn command(&mut self, line: &str) -> Option<CommandOutput> {
        let line = line.trim();
        if line.is_empty() {
            return Some(CommandOutput::default());
        }
        self.act(ActionKind::Command {
            line: line.to_string(),
        })
    }

    /// Runs a read-only kubectl line (get without -w, describe, logs, version) for display, without
    /// recording it as an action. Anything else is refused.
    pub fn inspect(&mut self, line: &str) -> CommandOutput {
        let words = podplay_engine::commands::split_words(line).unwrap_or_default();
        let verb = words.get(1).map(String::as_str);
        let read_only = words.first().map(String::as_str) == Some("kubectl")
            && matches!(verb, Some("get" | "describe" | "logs" | "version" | "top"))
            && !words.iter().any(|w| {
                w == "-w"
                    || w == "--watch"
                    || w.starts_with("--watch=")
                    || w == "-f"
                    || w == "--follow"
            });
        if !read_only {
            return CommandOutput {
                stdout: String::new(),
                stderr: format!("inspect only runs read-only kubectl commands, not {line:?}\n"),
                exit: 1,
            };
        }
        let trace_len = self.sim.trace().len();
        let out = self.sim.run_command(line).unwrap_or_default();
        // Reading must leave no trace.
        self.sim.cl.trace.truncate(trace_len);
        out
    }

    /// Starts a scenario: a fresh cluster, its manifests applied at 0 s, and its script's lines
    /// (`(moment, "kubectl ...")`) planned at their moments.
    pub fn load(
        &mut self,
        manifests: &str,
        script: &[(Millis, String)],
    ) -> Result<(), Vec<EditorDiagnostic>> {
        self.load_with_files(manifests, vec![], script)
    }

    /// `load` of a scenario whose script names files of its own (`kubectl create -f pod.yaml`).
    /// Empty manifests apply nothing at 0 s: the script does it all.
    pub fn load_with_files(
        &mut self,
        manifests: &str,
        files: Vec<(String, String)>,
        script: &[(Millis, String)],
    ) -> Result<(), Vec<EditorDiagnostic>> {
        let diags = if manifests.trim().is_empty() {
            vec![]
        } else {
            validate(manifests)
        };
        if !diags.is_empty() {
            return Err(diags);
        }
        *self = Session::with_files(self.seed, files);
        if !manifests.trim().is_empty() {
            self.actions.push(Action {
                t: 0,
                kind: ActionKind::Apply {
                    text: manifests.to_string(),
                },
                scripted: true,
            });
        }
        let mut lines: Vec<(Millis, String)> =
            script.iter().filter(|(t, _)| *t >= 0).cloned().collect();
        lines.sort_by_key(|(t, _)| *t);
        self.actions
            .extend(lines.into_iter().map(|(t, line)| Action {
                t,
                kind: ActionKind::Command { line },
                scripted: true,
            }));
        self.run_to(0, u64::MAX);
        Ok(())
    }

    /// Throws the cluster away and starts again (same seed), keeping nothing of the old timeline.
    pub fn reset(&mut self) {
        *self = Session::with_files(self.seed, std::mem::take(&mut self.files));
    }

    /// The cluster as the playground draws it, at the moment shown.
    pub fn view(&self) -> ClusterView {
        self.sim.view()
    }

    /// Events up to the moment shown, oldest first.
    pub fn events(&self) -> Vec<EventRow> {
        self.events_since(0).0
    }

    /// Events recorded since trace index `from`, with the index to ask from next time. After a
    /// seek back the trace is shorter: a `from` beyond its end means "start again" (the caller
    /// sees the returned index go down and rebuilds its list).
    pub fn events_since(&self, from: usize) -> (Vec<EventRow>, usize) {
        let trace = self.sim.trace();
        let from = if from > trace.len() { 0 } else { from };
        let rows = trace[from..]
            .iter()
            .filter_map(|r| match r {
                Record::Event(o) => Some(EventRow {
                    t: o.t,
                    type_: o.type_.to_string(),
                    reason: o.reason.clone(),
                    object: format!("{}/{}", o.involved.kind.to_lowercase(), o.involved.name),
                    namespace: o.involved.namespace.clone(),
                    message: o.message.clone(),
                    container: involved_container(&o.involved.field_path),
                }),
                _ => None,
            })
            .collect();
        (rows, trace.len())
    }

    /// Outputs of commands that finished after they were typed (execs, attached runs), since trace
    /// index `from`; returns them with the next index to ask from.
    pub fn outputs_since(&self, from: usize) -> (Vec<(Millis, String, CommandOutput)>, usize) {
        let trace = self.sim.trace();
        let from = from.min(trace.len());
        let out = trace[from..]
            .iter()
            .filter_map(|r| match r {
                Record::Output {
                    t,
                    command,
                    stdout,
                    stderr,
                    exit,
                } => Some((
                    *t,
                    command.clone(),
                    CommandOutput {
                        stdout: stdout.clone(),
                        stderr: stderr.clone(),
                        exit: *exit,
                    },
                )),
                _ => None,
            })
            .collect();
        (out, trace.len())
    }

    /// How one object's `kubectl get` row changed over time, up to the moment shown: (moment,
    /// columns) per change. The HPA chart (TARGETS, REPLICAS) and a Job's COMPLETIONS read this.
    pub fn row_history(
        &self,
        kind: &str,
        namespace: &str,
        name: &str,
    ) -> Vec<(Millis, Vec<(String, String)>)> {
        self.sim
            .trace()
            .iter()
            .filter_map(|r| match r {
                Record::Object {
                    t,
                    kind: k,
                    namespace: ns,
                    name: n,
                    columns,
                    deleted: false,
                    ..
                } if *k == kind && ns == namespace && n == name => Some((
                    *t,
                    columns
                        .iter()
                        .map(|(c, v)| (c.to_string(), v.clone()))
                        .collect(),
                )),
                _ => None,
            })
            .collect()
    }

    /// Timeline marks over the whole timeline (up to the frontier), oldest first.
    pub fn markers(&self) -> &[Marker] {
        &self.markers
    }

    /// When the next thing is due (for "step to next event"), if anything is.
    pub fn next_event_time(&self) -> Option<Millis> {
        let next_action = self.actions.get(self.applied).map(|a| a.t);
        match (self.sim.next_time(), next_action) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Moves the moment shown forward to `to`, running at most `budget` agenda tasks (the page
    /// calls this once a frame, so the engine never holds the page for long). Returns true when
    /// `to` was reached.
    pub fn advance(&mut self, to: Millis, budget: u64) -> bool {
        let reached = self.run_to(to, budget);
        if self.now() > self.frontier {
            self.frontier = self.now();
        }
        reached
    }

    /// Shows moment `t` (clamped to the timeline): back through the nearest checkpoint, forward by
    /// simulating.
    pub fn seek(&mut self, t: Millis) {
        let t = t.clamp(0, self.frontier);
        if t < self.now() {
            let Some(cp) = self.checkpoints.iter().rev().find(|c| c.t <= t).cloned() else {
                return;
            };
            let prefix = self.sim.trace()[..cp.trace_len.min(self.sim.trace().len())].to_vec();
            self.sim = cp.sim;
            self.sim.cl.trace = prefix;
            self.applied = cp.applied;
            self.epoch += 1;
            self.marker_cursor = self.marker_cursor.min(cp.trace_len);
        }
        self.run_to(t, u64::MAX);
    }

    /// Records and performs an action now. An action in the past (after seeking back) forks the
    /// timeline: what came after is forgotten.
    fn act(&mut self, kind: ActionKind) -> Option<CommandOutput> {
        let now = self.now();
        // Everything due at this moment happens first, as it would on replay.
        self.run_to(now, u64::MAX);
        if now < self.frontier {
            // The user's own later actions belonged to the future just left; a scenario's
            // script still plays.
            let applied = self.applied;
            let mut i = 0;
            self.actions.retain(|a| {
                i += 1;
                i <= applied || a.scripted
            });
            self.checkpoints.retain(|c| c.t <= now);
            self.epoch += 1;
            self.markers.retain(|m| m.t <= now);
            self.frontier = now;
        }
        // What the action itself causes at this moment is new to the timeline.
        self.scan_markers();
        self.markers_until = self.markers_until.min(now - 1);
        let action = Action {
            t: now,
            kind,
            scripted: false,
        };
        self.actions.insert(self.applied, action.clone());
        self.applied += 1;
        let out = self.perform(&action);
        // What the action made due at this moment happens now, as a replay would do it.
        self.run_to(now, u64::MAX);
        out
    }

    fn perform(&mut self, action: &Action) -> Option<CommandOutput> {
        if action.t > self.markers_until {
            self.markers.push(Marker {
                t: action.t,
                type_: "Action".into(),
                label: match &action.kind {
                    ActionKind::Apply { .. } => format!("kubectl apply -f {EDITOR_FILE}"),
                    ActionKind::Command { line } => line.clone(),
                },
            });
        }
        let (line, out) = match &action.kind {
            ActionKind::Apply { text } => {
                self.sim.files.insert(EDITOR_FILE.into(), text.clone());
                let line = format!("kubectl apply -f {EDITOR_FILE}");
                let out = self.sim.run_command(&line);
                (line, out)
            }
            ActionKind::Command { line } => (line.clone(), self.sim.run_command(line)),
        };
        if let Some(o) = &out {
            let t = self.sim.now();
            self.sim.cl.trace.push(Record::Output {
                t,
                command: line,
                stdout: o.stdout.clone(),
                stderr: o.stderr.clone(),
                exit: o.exit,
            });
        }
        out
    }

    /// Simulates up to `to`, performing recorded actions at their moments and leaving checkpoints.
    fn run_to(&mut self, to: Millis, budget: u64) -> bool {
        let mut steps = 0u64;
        loop {
            let next_action = self
                .actions
                .get(self.applied)
                .map(|a| a.t)
                .filter(|t| *t <= to);
            let next_checkpoint = Some(self.next_checkpoint_time()).filter(|t| *t <= to);
            let stop = [next_action, next_checkpoint, Some(to)]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(to);
            // Run the tasks due up to `stop`, within the budget (a busy moment may be split).
            steps += self.sim.run_tasks(stop, budget.saturating_sub(steps));
            if self.sim.next_time().is_some_and(|t| t <= stop) {
                self.scan_markers();
                return false;
            }
            if stop > self.sim.now() {
                self.sim.run_until(stop);
            }
            if next_checkpoint == Some(stop) {
                self.checkpoint();
            }
            if next_action == Some(stop) {
                if let Some(a) = self.actions.get(self.applied).cloned() {
                    self.applied += 1;
                    self.perform(&a);
                }
                continue;
            }
            if stop >= to {
                break;
            }
        }
        self.scan_markers();
        true
    }

    fn next_checkpoint_time(&self) -> Millis {
        let last = self.checkpoints.last().map_or(-1, |c| c.t);
        (last.div_euclid(CHECKPOINT_EVERY) + 1) * CHECKPOINT_EVERY
    }

    fn checkpoint(&mut self) {
        let t = self.sim.now();
        if self.checkpoints.last().is_some_and(|c| c.t >= t) {
            return;
        }
        let trace = std::mem::take(&mut self.sim.cl.trace);
        let sim = self.sim.clone();
        let trace_len = trace.len();
        self.sim.cl.trace = trace;
        self.checkpoints.push(Checkpoint {
            t,
            sim,
            trace_len,
            applied: self.applied,
        });
        if self.checkpoints.len() > MAX_CHECKPOINTS {
            // Thin the older half; the first (the empty cluster at 0 s) always stays.
            let older = self.checkpoints.len() / 2;
            let mut i = 0;
            self.checkpoints.retain(|_| {
                let j = i;
                i += 1;
                j == 0 || j >= older || j % 2 == 0
            });
        }
    }

    /// Adds the events the simulation produced beyond what the timeline already marks.
    fn scan_markers(&mut self) {
        let trace = self.sim.trace();
        let from = self.marker_cursor.min(trace.len());
        let mut added = false;
        for r in &trace[from..] {
            if let Record::Event(o) = r {
                if o.t > self.markers_until {
                    self.markers.push(Marker {
                        t: o.t,
                        type_: o.type_.to_string(),
                        label: format!(
                            "{} {}/{}: {}",
                            o.reason,
                            o.involved.kind.to_lowercase(),
                            o.involved.name,
                            o.message
                        ),
                    });
                    added = true;
                }
            }
        }
        self.marker_cursor = trace.len();
        let now = self.sim.now();
        if now > self.markers_until {
            self.markers_until = now;
        }
        if added {
            // Stable: same-moment marks keep their order.
            self.markers.sort_by_key(|m| m.t);
        }
    }
}

/// Completion candidates for the word being typed at the end of a console line: kubectl verbs,
/// resource kinds and the names of objects in the cluster.
pub fn complete(session: &Session, line: &str) -> Vec<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let typing = if line.ends_with(char::is_whitespace) {
        ""
    } else {
        words.last().copied().unwrap_or("")
    };
    let before = if typing.is_empty() {
        words.len()
    } else {
        words.len().saturating_sub(1)
    };
    const VERBS: &[&str] = &[
        "annotate",
        "apply",
        "autoscale",
        "cordon",
        "create",
        "delete",
        "describe",
        "drain",
        "edit",
        "exec",
        "get",
        "label",
        "logs",
        "rollout",
        "run",
        "scale",
        "set",
        "taint",
        "top",
        "uncordon",
        "version",
    ];
    const KINDS: &[&str] = &[
        "pods",
        "services",
        "endpoints",
        "nodes",
        "deployments",
        "replicasets",
        "jobs",
        "cronjobs",
        "hpa",
        "daemonsets",
        "statefulsets",
        "events",
        "configmaps",
        "secrets",
        "namespaces",
    ];
    let candidates: Vec<String> = match before {
        0 => vec!["kubectl".into(), "sim".into()],
        1 if words.first() == Some(&"kubectl") => VERBS.iter().map(|s| s.to_string()).collect(),
        1 => vec![
            "crash".into(),
            "load".into(),
            "node-down".into(),
            "node-up".into(),
        ],
        _ => {
            let st = &session.sim.cl.store;
            let mut c: Vec<String> = KINDS.iter().map(|s| s.to_string()).collect();
            c.extend(st.pods.keys().map(|(_, n)| n.clone()));
            c.extend(st.services.keys().map(|(_, n)| format!("svc/{n}")));
            c.extend(st.nodes.keys().cloned());
            c.extend(
                st.others
                    .keys()
                    .map(|(k, _, n)| format!("{}/{}", k.to_lowercase(), n)),
            );
            c.push(EDITOR_FILE.into());
            c
        }
    };
    let mut out: Vec<String> = candidates
        .into_iter()
        .filter(|c| c.starts_with(typing) && c != typing)
        .collect();
    out.sort();
    out.dedup();
    out
}
