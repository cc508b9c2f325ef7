//! kubectl commands and `sim` actions run against the simulation, with kubectl's output, and the
//! script grammar of the CLI contract (`@30s kubectl exec ...`).

pub mod autoscale;
pub mod expose;
pub mod nodes;
pub mod rollout;
pub mod describe_workloads;
pub mod annotate;
pub mod record;

use podplay_api::time::Millis;
use podplay_api::types::Pod;
use podplay_kubectl::command::{self, Command};
use podplay_kubectl::printers::get::{self as printers, PrintOptions, Row};
use podplay_kubectl::printers::messages;
use podplay_kubectl::resource::Kind;
use podplay_runtime::{ExecId, Signal};

use crate::simulation::Simulation;
use crate::store::Key;
use crate::trace::Record;
use crate::world::Ctx;

mod batch;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CommandOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit: i32,
}

impl CommandOutput {
    pub(crate) fn ok(stdout: String) -> CommandOutput {
        CommandOutput {
            stdout,
            stderr: String::new(),
            exit: 0,
        }
    }
    pub(crate) fn err(stderr: String) -> CommandOutput {
        let stderr = if stderr.ends_with('\n') {
            stderr
        } else {
            format!("{stderr}\n")
        };
        CommandOutput {
            stdout: String::new(),
            stderr,
            exit: 1,
        }
    }
}

/// A `kubectl get -w` started by a script: after its first table, every change of a watched object
/// prints one more row (kubectl's watch printer, widths remembered), as an output record.
#[derive(Debug, Clone)]
pub struct Watcher {
    pub command: String,
    pub get: command::Get,
    pub printer: printers::WatchPrinter,
    /// How far into the trace this watcher has looked.
    pub cursor: usize,
}

/// `kubectl run --rm -i/-it` (or `--attach`): the command's output is the pod's, once it has finished.
#[derive(Debug, Clone)]
pub struct PendingRun {
    pub key: crate::store::Key,
    pub command: String,
    pub remove: bool,
    pub tty: bool,
}

#[derive(Debug, Clone)]
pub struct PendingExec {
    pub uid: String,
    pub container: String,
    pub id: ExecId,
    pub command: String,
    pub prefix_stderr: String,
}

/// Splits a command line as a POSIX shell would (quotes, backslashes), without expansion.
pub fn split_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = vec![];
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(x) => cur.push(x),
                        None => return Err("unterminated single quote".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(x @ ('"' | '\\' | '$' | '`')) => cur.push(x),
                            Some(x) => {
                                cur.push('\\');
                                cur.push(x)
                            }
                            None => return Err("unterminated double quote".into()),
                        },
                        Some(x) => cur.push(x),
                        None => return Err("unterminated double quote".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(x) = chars.next() {
                    cur.push(x);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

/// `90`, `90s`, `5m`, `1h30m`, `2m30s`, `1.5s`, `500ms` → milliseconds.
pub fn parse_duration(s: &str) -> Option<Millis> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(n) = s.parse::<u64>() {
        return (n as i64).checked_mul(1000);
    }
    let mut total: i64 = 0;
    let mut num = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let unit = if c == 'm' && chars.peek() == Some(&'s') {
            chars.next();
            1
        } else {
            match c {
                'h' => 3_600_000,
                'm' => 60_000,
                's' => 1_000,
                _ => return None,
            }
        };
        let v: f64 = num.parse().ok()?;
        num.clear();
        if !v.is_finite() || !(0.0..=1e12).contains(&v) {
            return None;
        }
        total = total.checked_add((v * unit as f64).round() as i64)?;
    }
    if !num.is_empty() {
        return None;
    }
    Some(total)
}

/// Parses a script (cli-contract.md): `@<DURATION> <command>` lines, `#` comments, blank lines.
/// Returns the lines in the order they run (stable by time).
pub fn parse_script(text: &str) -> Result<Vec<(Millis, String)>, String> {
    let mut out = vec![];
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some(rest) = line.strip_prefix('@') else {
            return Err(format!(
                "line {}: expected \"@<time> <command>\", got {line:?}",
                i + 1
            ));
        };
        let (time, cmd) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let Some(t) = parse_duration(time) else {
            return Err(format!(
                "line {}: invalid time {time:?} (use e.g. 30s, 5m, 1h30m)",
                i + 1
            ));
        };
        let cmd = cmd.trim();
        if cmd.is_empty() {
            return Err(format!("line {}: missing command after @{time}", i + 1));
        }
        if !(cmd.starts_with("kubectl ") || cmd == "kubectl" || cmd.starts_with("sim ")) {
            return Err(format!(
                "line {}: commands start with \"kubectl\" or \"sim\", got {cmd:?}",
                i + 1
            ));
        }
        out.push((t, cmd.to_string()));
    }
    out.sort_by_key(|(t, _)| *t);
    Ok(out)
}

impl Simulation {
    pub fn set_script(&mut self, lines: Vec<(Millis, String)>, dir: Option<std::path::PathBuf>) {
        for (i, (t, _)) in lines.iter().enumerate() {
            self.cl.agenda.schedule(
                *t,
                crate::cluster::Task::Script {
                    index: self.script.len() + i,
                },
            );
        }
        self.script.extend(lines);
        self.script_dir = dir;
    }

    pub(crate) fn run_script_line(&mut self, index: usize) {
        let Some((_, line)) = self.script.get(index).cloned() else {
            return;
        };
        if let Some(out) = self.run_command(&line) {
            let now = self.now();
            self.cl.trace.push(Record::Output {
                t: now,
                command: line,
                stdout: out.stdout,
                stderr: out.stderr,
                exit: out.exit,
            });
        }
    }

    /// Runs one `kubectl ...` or `sim ...` line now. None when its output comes later (an exec
    /// still running reports through the trace when it finishes).
    pub fn run_command(&mut self, line: &str) -> Option<CommandOutput> {
        let words = match split_words(line) {
            Ok(w) => w,
            Err(e) => return Some(CommandOutput::err(format!("error: {e}"))),
        };
        match words.first().map(String::as_str) {
            Some("kubectl") => self.kubectl(&words[1..], line),
            Some("sim") => Some(self.sim_action(&words[1..])),
            _ => Some(CommandOutput::err(format!(
                "error: unknown command {line:?}: commands start with \"kubectl\" or \"sim\""
            ))),
        }
    }

    fn kubectl(&mut self, args: &[String], line: &str) -> Option<CommandOutput> {
        let cmd = match command::parse(args) {
            Ok(c) => c,
            Err(e) => {
                return Some(CommandOutput {
                    stdout: String::new(),
                    stderr: e.stderr,
                    exit: e.exit_code,
                })
            }
        };
        Some(match cmd {
            Command::Get(g) => self.kubectl_get(&g, line),
            Command::Describe(d) => self.kubectl_describe(&d),
            Command::Logs(l) => self.kubectl_logs(&l),
            Command::Exec(e) => return self.kubectl_exec(&e, line),
            Command::Delete(d) => self.kubectl_delete(&d),
            Command::Apply(a) | Command::Create(a) => self.kubectl_apply_recorded(&a, args),
            Command::Label(l) if l.targets.iter().any(|t| t.kind == Kind::Node) => {
                self.kubectl_label_nodes(&l)
            }
            Command::Label(l) => self.kubectl_label(&l),
            Command::Annotate(l) => self.kubectl_annotate(&l),
            Command::Run(r) => return self.kubectl_run(&r, line),
            Command::Scale(s) => self.kubectl_scale(&s),
            Command::SetImage(s) => self.kubectl_set_image(&s),
            Command::Rollout(r) => return self.kubectl_rollout(&r, line),
            Command::Other(words) if nodes::handles(&words) => {
                return self.kubectl_node_command(&words, line)
            }
            Command::Top(t) => self.kubectl_top(&t),
            Command::Other(words) if words.first().map(String::as_str) == Some("autoscale") => {
                self.kubectl_autoscale(&words[1..])
            }
            Command::Other(words) if words.first().map(String::as_str) == Some("expose") => {
                self.kubectl_expose(&words[1..])
            }
            Command::Other(words)
                if words.first().map(String::as_str) == Some("create")
                    && matches!(words.get(1).map(String::as_str), Some("service" | "svc")) =>
            {
                self.kubectl_create_service(&words[2..])
            }
            Command::CreateJob(c) => self.kubectl_create_job(&c),
            Command::CreateCronJob(c) => self.kubectl_create_cron_job(&c),
            Command::Version(_) => CommandOutput::ok(
                "Client Version: v1.32.3\nKustomize Version: v5.5.0\nServer Version: v1.33.1\n"
                    .into(),
            ),
            other => CommandOutput::err(format!(
                "error: podplay does not simulate this command yet: kubectl {}",
                command_name(&other, args)
            )),
        })
    }

    fn pods_in_scope(&self, scope: &command::Scope) -> Vec<&Pod> {
        self.cl
            .store
            .pods
            .values()
            .filter(|p| {
                scope.all_namespaces
                    || p.metadata.namespace.as_deref() == Some(scope.namespace_or_default())
            })
            .collect()
    }

    fn rows_for(
        &self,
        kind: Kind,
        scope: &command::Scope,
        name: Option<&str>,
        g: &command::Get,
    ) -> Result<Vec<Row>, String> {
        let now = self.now();
        let ns = scope.namespace_or_default().to_string();
        let in_scope = |meta_ns: Option<&str>| scope.all_namespaces || meta_ns == Some(ns.as_str());
        let name_ok = |n: Option<&str>| name.is_none() || n == name;
        let sel = |labels: &std::collections::BTreeMap<String, String>| g.selector.matches(labels);
        // What `get` lists of a kind: in the namespace (when namespaced), by name, by selector.
        let wanted = |m: &podplay_api::types::ObjectMeta, namespaced: bool| {
            (!namespaced || in_scope(m.namespace.as_deref()))
                && name_ok(m.name.as_deref())
                && sel(&m.labels)
        };
        let st = &self.cl.store;
        let mut rows: Vec<Row> = match kind {
            Kind::Pod => st
                .pods
                .values()
                .filter(|o| wanted(&o.metadata, true))
                .map(|o| printers::pod_row(o, now))
                .collect(),
            Kind::Service => st
                .services
                .values()
                .filter(|o| wanted(&o.metadata, true))
                .map(|o| printers::service_row(o, now))
                .collect(),
            Kind::Endpoints => st
                .endpoints
                .values()
                .filter(|o| wanted(&o.metadata, true))
                .map(|o| printers::endpoints_row(o, now))
                .collect(),
            Kind::Node => st
                .nodes
                .values()
                .filter(|o| wanted(&o.metadata, false))
                .map(|o| printers::node_row(o, now))
                .collect(),
            Kind::Namespace => st
                .namespaces
                .values()
                .filter(|o| wanted(&o.metadata, false))
                .map(|o| printers::namespace_row(o, now))
                .collect(),
            Kind::ConfigMap => st
                .config_maps
                .values()
                .filter(|o| wanted(&o.metadata, true))
                .map(|o| printers::configmap_row(o, now))
                .collect(),
            Kind::Secret => st
                .secrets
                .values()
                .filter(|o| wanted(&o.metadata, true))
                .map(|o| printers::secret_row(o, now))
                .collect(),
            Kind::Event => {
                let mut evs: Vec<_> = self
                    .cl
                    .recorder
                    .events
                    .iter()
                    .filter(|e| in_scope(e.metadata.namespace.as_deref()))
                    .collect();
                evs.sort_by_key(|e| e.last_timestamp.map(|t| t.0).unwrap_or(0));
                evs.into_iter()
                    .map(|e| printers::event_row(e, now))
                    .collect()
            }
            Kind::HorizontalPodAutoscaler => self.hpa_rows(scope, name),
            Kind::Job | Kind::CronJob => self.batch_rows(kind, scope, name, g),
            Kind::DaemonSet | Kind::StatefulSet => st
                .others
                .iter()
                .filter(|((k, _, _), o)| k == kind.name() && wanted(&o.metadata, true))
                .map(|(_, o)| match kind {
                    Kind::DaemonSet => {
                        podplay_kubectl::printers::sets::daemon_set_row(&o.metadata, &o.body, now)
                    }
                    _ => {
                        podplay_kubectl::printers::sets::stateful_set_row(&o.metadata, &o.body, now)
                    }
                })
                .collect(),
            other => {
                let kname = other.name();
                self.cl
                    .store
                    .others
                    .iter()
                    .filter(|((k, n, _), o)| {
                        k == kname
                            && (!other.namespaced() || in_scope(Some(n.as_str())))
                            && name_ok(o.metadata.name.as_deref())
                    })
                    .filter(|(_, o)| sel(&o.metadata.labels))
                    .map(|(_, o)| match other {
                        Kind::Deployment => printers::deployment_row(&o.metadata, &o.body, now),
                        Kind::ReplicaSet => printers::replica_set_row(&o.metadata, &o.body, now),
                        _ => printers::generic_row(other, &o.metadata, now),
                    })
                    .collect()
            }
        };
        if let Some(n) = name {
            if rows.is_empty() {
                return Err(messages::not_found(kind, n));
            }
            rows.retain(|r| r.name == n);
        }
        Ok(rows)
    }

    fn kubectl_get(&mut self, g: &command::Get, line: &str) -> CommandOutput {
        if let command::OutputFormat::Other(format) = &g.output {
            return CommandOutput::err(format!("error: podplay does not support -o {format} yet (table, wide, yaml, json and name are supported)"));
        }
        if g.watch || g.watch_only {
            return self.start_watch(g, line);
        }
        let opts = PrintOptions {
            wide: g.output == command::OutputFormat::Wide,
            with_namespace: g.scope.all_namespaces,
            show_labels: g.show_labels,
            label_columns: g.label_columns.clone(),
            no_headers: g.no_headers,
            show_kind: g.show_kind,
        };
        let mut groups: Vec<(Kind, Vec<Row>)> = vec![];
        let mut stderr = String::new();
        for t in &g.targets {
            match self.rows_for(t.kind, &g.scope, t.name.as_deref(), g) {
                Ok(rows) => match groups.iter_mut().find(|(k, _)| *k == t.kind) {
                    Some((_, r)) => r.extend(rows),
                    None => groups.push((t.kind, rows)),
                },
                Err(e) => stderr.push_str(&e),
            }
        }
        let any = groups.iter().any(|(_, r)| !r.is_empty());
        if matches!(g.output, command::OutputFormat::Name) {
            let mut out = String::new();
            for (k, rows) in &groups {
                for r in rows {
                    out.push_str(&printers::name_line(*k, &r.name));
                }
            }
            return CommandOutput {
                stdout: out,
                stderr: stderr.clone(),
                exit: i32::from(!stderr.is_empty()),
            };
        }
        if matches!(
            g.output,
            command::OutputFormat::Yaml | command::OutputFormat::Json
        ) {
            return self.get_structured(g, groups);
        }
        if !any && stderr.is_empty() {
            let kind = g.targets.first().map(|t| t.kind).unwrap_or(Kind::Pod);
            let ns_word = if kind.namespaced() {
                g.scope.namespace_or_default()
            } else {
                ""
            };
            return CommandOutput {
                stdout: String::new(),
                stderr: messages::no_resources_found(kind, ns_word, g.scope.all_namespaces),
                exit: 0,
            };
        }
        let stdout = printers::print_tables(&groups, &opts);
        let exit = i32::from(!stderr.is_empty());
        CommandOutput {
            stdout,
            stderr,
            exit,
        }
    }

    fn start_watch(&mut self, g: &command::Get, line: &str) -> CommandOutput {
        let Some(kind) = g.targets.first().map(|t| t.kind) else {
            return CommandOutput::err(
                "error: you must specify the type of resource to get".into(),
            );
        };
        if g.targets.len() > 1 {
            return CommandOutput::err("error: you may only specify a single resource type".into());
        }
        let opts = PrintOptions {
            wide: g.output == command::OutputFormat::Wide,
            with_namespace: g.scope.all_namespaces,
            show_labels: g.show_labels,
            label_columns: g.label_columns.clone(),
            no_headers: g.no_headers,
            show_kind: false,
        };
        let mut printer = printers::WatchPrinter::new(kind, opts);
        let mut stdout = String::new();
        let mut stderr = String::new();
        if !g.watch_only {
            match self.rows_for(kind, &g.scope, g.targets[0].name.as_deref(), g) {
                Ok(rows) if rows.is_empty() => {
                    let ns = if kind.namespaced() {
                        g.scope.namespace_or_default()
                    } else {
                        ""
                    };
                    stderr = messages::no_resources_found(kind, ns, g.scope.all_namespaces);
                }
                Ok(rows) => stdout = printer.print(&rows),
                Err(e) => return CommandOutput::err(e),
            }
        }
        self.watchers.push(Watcher {
            command: line.to_string(),
            get: g.clone(),
            printer,
            cursor: self.cl.trace.len(),
        });
        CommandOutput {
            stdout,
            stderr,
            exit: 0,
        }
    }

    /// Feeds the watchers what changed since they last looked.
    pub(crate) fn feed_watchers(&mut self) {
        if self.watchers.is_empty() {
            return;
        }
        let now = self.now();
        let mut watchers = std::mem::take(&mut self.watchers);
        let end = self.cl.trace.len();
        for w in watchers.iter_mut() {
            let kind = w.get.targets[0].kind;
            let name = w.get.targets[0].name.clone();
            let ns = w.get.scope.namespace_or_default().to_string();
            let mut lines = String::new();
            for i in w.cursor..end {
                let row = match &self.cl.trace[i] {
                    Record::Object {
                        kind: k,
                        namespace,
                        name: n,
                        deleted,
                        watch_row,
                        ..
                    } if Kind::resolve(k) == Some(kind) => {
                        if !(w.get.scope.all_namespaces || !kind.namespaced() || *namespace == ns)
                            || name.as_deref().is_some_and(|x| x != n)
                        {
                            continue;
                        }
                        if *deleted && kind == Kind::Pod {
                            Some(Row {
                                kind,
                                namespace: namespace.clone(),
                                name: n.clone(),
                                labels: Default::default(),
                                cells: watch_row.clone(),
                            })
                        } else {
                            self.rows_for(
                                kind,
                                &command::Scope {
                                    namespace: Some(namespace.clone()),
                                    all_namespaces: false,
                                },
                                Some(n),
                                &w.get,
                            )
                            .ok()
                            .and_then(|mut r| r.pop())
                        }
                    }
                    Record::Event(o) if kind == Kind::Event => {
                        if !(w.get.scope.all_namespaces || o.involved.namespace == ns) {
                            continue;
                        }
                        self.cl
                            .recorder
                            .events
                            .iter()
                            .find(|e| {
                                e.reason.as_deref() == Some(o.reason.as_str())
                                    && e.message.as_deref() == Some(o.message.as_str())
                                    && e.involved_object.name.as_deref()
                                        == Some(o.involved.name.as_str())
                            })
                            .map(|e| printers::event_row(e, now))
                    }
                    _ => None,
                };
                if let Some(row) = row {
                    lines.push_str(&w.printer.print(&[row]));
                }
            }
            w.cursor = end;
            if !lines.is_empty() {
                self.cl.trace.push(Record::Output {
                    t: now,
                    command: w.command.clone(),
                    stdout: lines,
                    stderr: String::new(),
                    exit: 0,
                });
            }
        }
        let added = std::mem::take(&mut self.watchers);
        self.watchers = watchers;
        self.watchers.extend(added);
        // The records just pushed are not changes to watch.
        let len = self.cl.trace.len();
        for w in self.watchers.iter_mut() {
            w.cursor = len;
        }
    }

    fn get_structured(&self, g: &command::Get, groups: Vec<(Kind, Vec<Row>)>) -> CommandOutput {
        let mut items = vec![];
        for (kind, rows) in &groups {
            for r in rows {
                let key = (r.namespace.clone(), r.name.clone());
                let v = match kind {
                    Kind::Pod => self
                        .cl
                        .store
                        .pods
                        .get(&key)
                        .and_then(|o| serde_json::to_value(with_type(o.clone())).ok()),
                    Kind::Service => self
                        .cl
                        .store
                        .services
                        .get(&key)
                        .and_then(|o| serde_json::to_value(o).ok()),
                    Kind::Endpoints => self
                        .cl
                        .store
                        .endpoints
                        .get(&key)
                        .and_then(|o| serde_json::to_value(o).ok()),
                    Kind::Node => self
                        .cl
                        .store
                        .nodes
                        .get(&r.name)
                        .and_then(|o| serde_json::to_value(o).ok()),
                    Kind::Deployment | Kind::ReplicaSet => self
                        .cl
                        .store
                        .others
                        .get(&(kind.name().to_string(), key.0.clone(), key.1.clone()))
                        .map(crate::controllers::workload_json),
                    Kind::Job | Kind::CronJob => self
                        .cl
                        .store
                        .others
                        .get(&(kind.name().to_string(), key.0.clone(), key.1.clone()))
                        .map(batch::other_to_value),
                    _ => None,
                };
                if let Some(v) = v {
                    items.push(v);
                }
            }
        }
        let single = items.len() == 1 && g.targets.iter().all(|t| t.name.is_some());
        let doc = if single {
            items.remove(0)
        } else {
            serde_json::json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}})
        };
        let stdout = match g.output {
            command::OutputFormat::Json => {
                serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
            }
            _ => crate::yaml_out::to_yaml(&doc),
        };
        CommandOutput::ok(stdout)
    }

    fn kubectl_describe(&mut self, d: &command::Describe) -> CommandOutput {
        let now = self.now();
        let mut out = vec![];
        let mut stderr = String::new();
        for t in &d.targets {
            if t.kind == Kind::HorizontalPodAutoscaler {
                self.describe_hpas(&d.scope, t.name.as_deref(), &mut out, &mut stderr);
                continue;
            }
            if t.kind == Kind::Service || t.kind == Kind::Node {
                self.describe_other(t, &d.scope, &mut out, &mut stderr);
                continue;
            }
            if t.kind == Kind::Job || t.kind == Kind::CronJob {
                self.describe_batch(t, &d.scope, &d.selector, &mut out, &mut stderr);
                continue;
            }
            if self.describe_workloads(t, d, &mut out, &mut stderr) {
                continue;
            }
            if t.kind != Kind::Pod {
                stderr.push_str(&format!(
                    "error: podplay does not describe {} yet\n",
                    t.kind.plural()
                ));
                continue;
            }
            let pods: Vec<&Pod> = self
                .pods_in_scope(&d.scope)
                .into_iter()
                .filter(|p| {
                    t.name
                        .as_deref()
                        .is_none_or(|n| p.metadata.name.as_deref() == Some(n))
                        && d.selector.matches(&p.metadata.labels)
                })
                .collect();
            if pods.is_empty() {
                if let Some(n) = &t.name {
                    stderr.push_str(&messages::not_found(Kind::Pod, n));
                }
                continue;
            }
            for p in pods {
                let events: Vec<_> = self
                    .cl
                    .recorder
                    .for_object("Pod", p.metadata.namespace(), p.metadata.name())
                    .cloned()
                    .collect();
                out.push(crate::describe::describe_pod(p, &events, now));
            }
        }
        CommandOutput {
            stdout: out.join("\n\n"),
            exit: i32::from(!stderr.is_empty()),
            stderr,
        }
    }

    fn describe_other(
        &self,
        t: &command::Target,
        scope: &command::Scope,
        out: &mut Vec<String>,
        stderr: &mut String,
    ) {
        use podplay_kubectl::printers::describe;
        let now = self.now();
        let ns = scope.namespace_or_default().to_string();
        // Like kubectl, a name that matches nothing exactly describes every object it prefixes.
        let wanted = |n: Option<&str>| {
            t.name
                .as_deref()
                .is_none_or(|w| n.is_some_and(|n| n.starts_with(w)))
        };
        let before = out.len();
        if t.kind == Kind::Service {
            for (k, svc) in &self.cl.store.services {
                if (scope.all_namespaces || k.0 == ns) && wanted(svc.metadata.name.as_deref()) {
                    let events: Vec<_> =
                        self.cl.recorder.for_object("Service", &k.0, &k.1).collect();
                    out.push(describe::describe_service(
                        svc,
                        self.cl.store.endpoints.get(k),
                        &events,
                        now,
                    ));
                }
            }
        } else {
            for (name, node) in &self.cl.store.nodes {
                if wanted(Some(name)) {
                    let pods: Vec<&Pod> = self
                        .cl
                        .store
                        .pods
                        .values()
                        .filter(|p| p.spec.node_name.as_deref() == Some(name))
                        .collect();
                    let events: Vec<_> = self.cl.recorder.for_object("Node", "", name).collect();
                    out.push(describe::describe_node(node, &pods, &events, now));
                }
            }
        }
        if out.len() == before {
            if let Some(n) = &t.name {
                stderr.push_str(&messages::not_found(t.kind, n));
            }
        }
    }

    fn find_pod(&self, scope: &command::Scope, target: &command::Target) -> Result<Key, String> {
        let ns = scope.namespace_or_default().to_string();
        let Some(name) = target.name.clone() else {
            return Err("error: expected 'exec POD_NAME COMMAND [ARG1] [ARG2] ... [ARGN]'.\nPOD_NAME and COMMAND are required arguments for the exec command".into());
        };
        if target.kind != Kind::Pod {
            // deploy/NAME and friends pick the first pod their selector matches.
            let kname = target.kind.name();
            let selector = self
                .cl
                .store
                .others
                .get(&(kname.to_string(), ns.clone(), name.clone()))
                .and_then(|o| {
                    o.body
                        .get("spec")
                        .and_then(|s| s.pointer("/selector/matchLabels"))
                        .cloned()
                });
            let Some(sel) = selector.and_then(|s| {
                podplay_api::yaml::from_json::<std::collections::BTreeMap<String, String>>(&s).ok()
            }) else {
                return Err(format!(
                    "Error from server (NotFound): {}.{} \"{name}\" not found",
                    target.kind.plural(),
                    target.kind.group()
                ));
            };
            return self
                .cl
                .store
                .pods
                .iter()
                .find(|((pns, _), p)| {
                    *pns == ns && sel.iter().all(|(k, v)| p.metadata.labels.get(k) == Some(v))
                })
                .map(|(k, _)| k.clone())
                .ok_or_else(|| {
                    format!("error: no pods found for {}/{name}", target.kind.singular())
                });
        }
        let key = (ns, name.clone());
        if self.cl.store.pods.contains_key(&key) {
            Ok(key)
        } else {
            Err(messages::not_found(Kind::Pod, &name))
        }
    }

    fn default_container(pod: &Pod, requested: Option<&str>) -> Result<(String, String), String> {
        let names: Vec<&str> = pod
            .spec
            .containers
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        match requested {
            Some(c) => {
                if pod
                    .spec
                    .containers
                    .iter()
                    .chain(&pod.spec.init_containers)
                    .any(|x| x.name == c)
                {
                    Ok((c.to_string(), String::new()))
                } else {
                    Err(messages::container_not_found(c, pod.metadata.name()))
                }
            }
            None => {
                let first = names.first().map(|s| s.to_string()).unwrap_or_default();
                let notice = if names.len() > 1 {
                    format!(
                        "Defaulted container \"{first}\" out of: {}\n",
                        names.join(", ")
                    )
                } else {
                    String::new()
                };
                Ok((first, notice))
            }
        }
    }

    fn kubectl_logs(&mut self, l: &command::Logs) -> CommandOutput {
        let Some(target) = &l.target else {
            return CommandOutput::err(
                "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.".into(),
            );
        };
        let key = match self.find_pod(&l.scope, target) {
            Ok(k) => k,
            Err(e) => return CommandOutput::err(e),
        };
        let Some(pod) = self.cl.store.pods.get(&key).cloned() else {
            return CommandOutput::err(messages::not_found(Kind::Pod, &key.1));
        };
        let (container, notice) = match Self::default_container(&pod, l.container.as_deref()) {
            Ok(c) => c,
            Err(e) => return CommandOutput::err(e),
        };
        let uid = pod.metadata.uid.clone().unwrap_or_default();
        let Some(rec) = self
            .workers
            .get(&uid)
            .and_then(|w| w.containers.get(&container))
        else {
            let reason = pod
                .status
                .as_ref()
                .and_then(|s| {
                    s.container_statuses
                        .iter()
                        .chain(&s.init_container_statuses)
                        .find(|c| c.name == container)
                })
                .and_then(|c| c.state.waiting.as_ref())
                .and_then(|w| w.reason.clone())
                .unwrap_or_else(|| "ContainerCreating".into());
            return CommandOutput::err(format!("Error from server (BadRequest): container \"{container}\" in pod \"{}\" is waiting to start: {reason}", key.1));
        };
        let inst = if l.previous {
            if rec.instances.len() < 2 {
                return CommandOutput::err(format!("Error from server (BadRequest): previous terminated container \"{container}\" in pod \"{}\" not found", key.1));
            }
            rec.instances.get(rec.instances.len() - 2)
        } else {
            rec.newest()
        };
        let Some(inst) = inst else {
            return CommandOutput::ok(String::new());
        };
        let mut lines: Vec<String> = inst
            .rt
            .logs()
            .iter()
            .map(|l2| {
                if l.timestamps {
                    format!("{} {}", rfc3339_nano(l2.t), l2.text())
                } else {
                    l2.text().into_owned()
                }
            })
            .collect();
        if l.tail >= 0 {
            let n = l.tail as usize;
            if lines.len() > n {
                lines.drain(..lines.len() - n);
            }
        }
        let mut stdout = lines.join("\n");
        if !stdout.is_empty() {
            stdout.push('\n');
        }
        CommandOutput {
            stdout,
            stderr: notice,
            exit: 0,
        }
    }

    fn kubectl_exec(&mut self, e: &command::Exec, line: &str) -> Option<CommandOutput> {
        let key = match self.find_pod(&e.scope, &e.target) {
            Ok(k) => k,
            Err(err) => return Some(CommandOutput::err(err)),
        };
        let pod = self.cl.store.pods.get(&key).cloned()?;
        let (container, notice) = match Self::default_container(&pod, e.container.as_deref()) {
            Ok(c) => c,
            Err(err) => {
                return Some(CommandOutput::err(format!(
                    "Error from server (BadRequest): {}",
                    err.trim_start_matches("error: ")
                )))
            }
        };
        let uid = pod.metadata.uid.clone().unwrap_or_default();
        let mut id = None;
        self.with_worker(&uid, |w, cx| id = w.exec(&container, &e.command, cx));
        let Some(id) = id else {
            return Some(CommandOutput::err(format!(
                "error: unable to upgrade connection: container not found (\"{container}\")"
            )));
        };
        let pending = PendingExec {
            uid,
            container,
            id,
            command: line.to_string(),
            prefix_stderr: notice,
        };
        match self.exec_output(&pending) {
            Some(out) => Some(out),
            None => {
                self.pending_execs.push(pending);
                None
            }
        }
    }

    fn kubectl_run(&mut self, r: &command::Run, line: &str) -> Option<CommandOutput> {
        let ns = r.scope.namespace_or_default().to_string();
        if !self.cl.store.namespace_exists(&ns) {
            return Some(CommandOutput::err(format!(
                "Error from server (NotFound): namespaces \"{ns}\" not found"
            )));
        }
        if self
            .cl
            .store
            .pods
            .contains_key(&(ns.clone(), r.name.clone()))
        {
            return Some(CommandOutput::err(format!(
                "Error from server (AlreadyExists): pods \"{}\" already exists",
                r.name
            )));
        }
        // kubectl's pod generator (cmd/run): label run=NAME unless --labels, one container named
        // after the pod, the words after `--` as args (or as the command with --command).
        let mut labels = serde_json::Map::new();
        if r.labels.is_empty() {
            labels.insert("run".into(), serde_json::Value::String(r.name.clone()));
        }
        for (k, v) in &r.labels {
            labels.insert(k.clone(), serde_json::Value::String(v.clone()));
        }
        let mut container = serde_json::json!({"name": r.name, "image": r.image, "resources": {}});
        if !r.args.is_empty() {
            container[if r.command { "command" } else { "args" }] = serde_json::json!(r.args);
        }
        if let Some(p) = r.port {
            container["ports"] = serde_json::json!([{"containerPort": p}]);
        }
        if !r.env.is_empty() {
            container["env"] = serde_json::Value::Array(
                r.env
                    .iter()
                    .map(|(k, v)| serde_json::json!({"name": k, "value": v}))
                    .collect(),
            );
        }
        if let Some(p) = &r.image_pull_policy {
            container["imagePullPolicy"] = serde_json::json!(p);
        }
        if r.stdin {
            container["stdin"] = serde_json::json!(true);
            container["stdinOnce"] = serde_json::json!(true);
        }
        if r.tty {
            container["tty"] = serde_json::json!(true);
        }
        let restart = if r.restart.is_empty() {
            "Always".to_string()
        } else {
            r.restart.clone()
        };
        let doc = serde_json::json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": r.name, "namespace": ns, "labels": labels},
            "spec": {"containers": [container], "dnsPolicy": "ClusterFirst", "restartPolicy": restart},
        });
        let yaml = crate::yaml_out::to_yaml(&doc);
        let objs = match podplay_api::parse_manifests("kubectl-run", &yaml) {
            Ok(ms) => ms.into_iter().map(|m| m.object).collect::<Vec<_>>(),
            Err(d) => {
                return Some(CommandOutput::err(
                    d.iter()
                        .map(|d| d.kubectl.clone())
                        .collect::<Vec<_>>()
                        .join("\n"),
                ))
            }
        };
        for o in objs {
            if let Err(e) = self.apply_object(o, "kubectl-run") {
                return Some(CommandOutput::err(e));
            }
        }
        if r.rm && !(r.stdin || r.attach) {
            return Some(CommandOutput::err(
                "error: --rm should only be used for attached containers".into(),
            ));
        }
        if r.stdin || r.attach {
            self.pending_runs.push(PendingRun {
                key: (ns, r.name.clone()),
                command: line.to_string(),
                remove: r.rm,
                tty: r.tty,
            });
            return None;
        }
        Some(CommandOutput::ok(format!("pod/{} created\n", r.name)))
    }

    /// Attached `kubectl run`s whose pod has finished print its output now.
    pub(crate) fn check_pending_runs(&mut self) {
        if self.pending_runs.is_empty() {
            return;
        }
        let now = self.now();
        let runs = std::mem::take(&mut self.pending_runs);
        for r in runs {
            let pod = self.cl.store.pods.get(&r.key).cloned();
            let phase = pod
                .as_ref()
                .and_then(|p| p.status.as_ref())
                .and_then(|s| s.phase.clone());
            let done =
                matches!(phase.as_deref(), Some("Succeeded") | Some("Failed")) || pod.is_none();
            // With restartPolicy Always the command would never end: report after the first run.
            let first_exit = pod
                .as_ref()
                .and_then(|p| p.status.as_ref())
                .is_some_and(|s| {
                    s.container_statuses
                        .iter()
                        .any(|c| c.state.terminated.is_some() || c.last_state.terminated.is_some())
                });
            if !done && !first_exit {
                self.pending_runs.push(r);
                continue;
            }
            let uid = pod
                .as_ref()
                .and_then(|p| p.metadata.uid.clone())
                .unwrap_or_default();
            let logs: String = self
                .workers
                .get(&uid)
                .and_then(|w| w.containers.get(&r.key.1))
                .and_then(|rec| rec.instances.first())
                .map(|i| {
                    i.rt.logs()
                        .iter()
                        .map(|l| format!("{}\n", l.text()))
                        .collect()
                })
                .unwrap_or_default();
            let mut stderr = String::new();
            if r.tty {
                stderr.push_str("If you don't see a command prompt, try pressing enter.\n");
            }
            let mut stdout = logs;
            let code = pod
                .as_ref()
                .and_then(|p| p.status.as_ref())
                .and_then(|s| s.container_statuses.first())
                .and_then(|c| {
                    c.state
                        .terminated
                        .as_ref()
                        .or(c.last_state.terminated.as_ref())
                })
                .map_or(0, |t| t.exit_code);
            if r.remove {
                let _ = self.delete_pod(&r.key, None, false);
                stdout.push_str(&messages::deleted(Kind::Pod, &r.key.1));
            }
            if code != 0 {
                stderr.push_str(&format!("pod {}/{} terminated (Error)\n", r.key.0, r.key.1));
            }
            self.cl.trace.push(Record::Output {
                t: now,
                command: r.command.clone(),
                stdout,
                stderr,
                exit: i32::from(code != 0),
            });
        }
    }

    fn exec_output(&self, p: &PendingExec) -> Option<CommandOutput> {
        let inst = self
            .workers
            .get(&p.uid)
            .and_then(|w| w.containers.get(&p.container))
            .and_then(|r| r.newest());
        let Some(inst) = inst else {
            return Some(CommandOutput {
                stdout: String::new(),
                stderr: format!("{}command terminated with exit code 137\n", p.prefix_stderr),
                exit: 137,
            });
        };
        let r = inst.rt.exec_result(p.id)?;
        let mut stderr = p.prefix_stderr.clone();
        if r.exit_code != 0 {
            stderr.push_str(&format!(
                "command terminated with exit code {}\n",
                r.exit_code
            ));
        }
        Some(CommandOutput {
            stdout: r.output,
            stderr,
            exit: r.exit_code,
        })
    }

    /// Execs started by kubectl that finished since: their output goes into the trace now.
    pub(crate) fn check_pending_execs(&mut self) {
        if self.pending_execs.is_empty() {
            return;
        }
        let now = self.now();
        let pending = std::mem::take(&mut self.pending_execs);
        for p in pending {
            match self.exec_output(&p) {
                Some(out) => self.cl.trace.push(Record::Output {
                    t: now,
                    command: p.command.clone(),
                    stdout: out.stdout,
                    stderr: out.stderr,
                    exit: out.exit,
                }),
                None => self.pending_execs.push(p),
            }
        }
    }

    fn kubectl_delete(&mut self, d: &command::Delete) -> CommandOutput {
        let mut stdout = String::new();
        let mut stderr = String::new();
        if let Some(w) = &d.warning {
            stderr.push_str(w);
        }
        let default_ns = d.scope.namespace_or_default().to_string();
        let mut work: Vec<(Kind, String, String)> = vec![];
        for t in &d.targets {
            match &t.name {
                Some(n) => work.push((t.kind, default_ns.clone(), n.clone())),
                None => {
                    let names: Vec<String> = match t.kind {
                        Kind::Pod => self
                            .cl
                            .store
                            .pods
                            .iter()
                            .filter(|((ns, _), p)| {
                                *ns == default_ns && d.selector.matches(&p.metadata.labels)
                            })
                            .map(|((_, n), _)| n.clone())
                            .collect(),
                        Kind::Service => self
                            .cl
                            .store
                            .services
                            .iter()
                            .filter(|((ns, _), o)| {
                                *ns == default_ns && d.selector.matches(&o.metadata.labels)
                            })
                            .map(|((_, n), _)| n.clone())
                            .collect(),
                        k => self
                            .cl
                            .store
                            .others
                            .iter()
                            .filter(|((kk, ns, _), o)| {
                                kk == k.name()
                                    && *ns == default_ns
                                    && d.selector.matches(&o.metadata.labels)
                            })
                            .map(|((_, _, n), _)| n.clone())
                            .collect(),
                    };
                    if names.is_empty() && !d.all && d.selector.is_empty() {
                        stderr.push_str(
                            "error: resource(s) were provided, but no name was specified\n",
                        );
                    }
                    work.extend(names.into_iter().map(|n| (t.kind, default_ns.clone(), n)));
                }
            }
        }
        for f in &d.filenames {
            match self.read_manifests(f) {
                Ok(objs) => {
                    for o in objs {
                        let Some(kind) = Kind::resolve(o.kind()) else {
                            continue;
                        };
                        let ns = o
                            .metadata()
                            .namespace
                            .clone()
                            .unwrap_or_else(|| default_ns.clone());
                        work.push((kind, ns, o.metadata().name.clone().unwrap_or_default()));
                    }
                }
                Err(e) => stderr.push_str(&e),
            }
        }
        for (kind, ns, name) in work {
            match self.delete_one(kind, &ns, &name, d) {
                Ok(line) => stdout.push_str(&line),
                Err(e) if d.ignore_not_found && e.contains("NotFound") => {}
                Err(e) => stderr.push_str(&e),
            }
        }
        let exit = i32::from(!stderr.is_empty() && stdout.is_empty());
        CommandOutput {
            stdout,
            stderr,
            exit,
        }
    }

    /// Deletes one object, as the apiserver does (pods gracefully, owners with what they own).
    fn delete_one(
        &mut self,
        kind: Kind,
        ns: &str,
        name: &str,
        d: &command::Delete,
    ) -> Result<String, String> {
        let key = (ns.to_string(), name.to_string());
        let gone = match kind {
            Kind::Pod => self.delete_pod(&key, d.grace_period, d.force),
            Kind::Service => {
                let removed = self.cl.store.services.remove(&key).is_some();
                if removed {
                    self.cl.store.endpoints.remove(&key);
                    self.emit_deleted_row("Service", ns, name);
                }
                removed
            }
            Kind::ConfigMap => self.cl.store.config_maps.remove(&key).is_some(),
            Kind::Secret => self.cl.store.secrets.remove(&key).is_some(),
            Kind::Namespace => return self.delete_namespace(name),
            Kind::Node => {
                return Err(format!(
                    "error: podplay does not delete nodes yet (node \"{name}\" is kept)\n"
                ))
            }
            k => self.delete_other_with_propagation(
                &(k.name().to_string(), ns.to_string(), name.to_string()),
                &d.cascade,
            ),
        };
        if gone && kind == Kind::Pod && d.force && d.grace_period == Some(0) {
            // kubectl's delete says so when the API deletes at once (grace period 0).
            Ok(format!("pod \"{name}\" force deleted\n"))
        } else if gone {
            Ok(messages::deleted(kind, name))
        } else {
            Err(messages::not_found(kind, name))
        }
    }

    /// The text of a file given to `-f`: one the playground holds (its editor), or one on disk
    /// relative to the script's folder.
    fn read_file(&self, f: &str) -> Option<String> {
        if let Some(t) = self.files.get(f) {
            return Some(t.clone());
        }
        let path = match &self.script_dir {
            Some(dir) if !std::path::Path::new(f).is_absolute() => dir.join(f),
            _ => std::path::PathBuf::from(f),
        };
        std::fs::read_to_string(&path).ok()
    }

    /// Reads a manifest file given to `-f` (relative to the script's folder).
    fn read_manifests(&self, f: &str) -> Result<Vec<podplay_api::types::Object>, String> {
        let text = self
            .read_file(f)
            .ok_or_else(|| format!("error: the path \"{f}\" does not exist\n"))?;
        podplay_api::parse_manifests(f, &text)
            .map(|ms| ms.into_iter().map(|m| m.object).collect())
            .map_err(|diags| diags.iter().map(|d| format!("{}\n", d.kubectl)).collect())
    }

    pub(crate) fn kubectl_apply(&mut self, a: &command::Apply) -> CommandOutput {
        let mut stdout = String::new();
        let mut stderr = String::new();
        for f in &a.filenames {
            let text = match self.read_file(f) {
                Some(t) => t,
                None => {
                    stderr.push_str(&format!("error: the path \"{f}\" does not exist\n"));
                    continue;
                }
            };
            match podplay_api::parse_manifests(f, &text) {
                Ok(ms) => {
                    let objs: Vec<_> = ms.into_iter().map(|m| m.object).collect();
                    self.ensure_nodes(&objs);
                    for mut o in objs {
                        if let Some(c) = &self.record_change_cause {
                            o.metadata_mut().annotations.insert(
                                podplay_kubectl::record::CHANGE_CAUSE.to_string(),
                                c.clone(),
                            );
                        }
                        match self.apply_object(o, f) {
                            Ok(l) => {
                                stdout.push_str(&l);
                                stdout.push('\n');
                            }
                            Err(e) => {
                                stderr.push_str(&e);
                                stderr.push('\n');
                            }
                        }
                    }
                }
                Err(diags) => {
                    for d in diags {
                        stderr.push_str(&d.kubectl);
                        stderr.push('\n');
                    }
                }
            }
        }
        let exit = i32::from(!stderr.is_empty());
        CommandOutput {
            stdout,
            stderr,
            exit,
        }
    }

    fn kubectl_label(&mut self, l: &command::Label) -> CommandOutput {
        let mut stdout = String::new();
        let mut stderr = String::new();
        let ns = l.scope.namespace_or_default().to_string();
        for t in &l.targets {
            if t.kind != Kind::Pod {
                stderr.push_str(&format!(
                    "error: podplay does not label {} yet\n",
                    t.kind.plural()
                ));
                continue;
            }
            let Some(name) = &t.name else { continue };
            let key = (ns.clone(), name.clone());
            let Some(pod) = self.cl.store.pods.get_mut(&key) else {
                stderr.push_str(&messages::not_found(Kind::Pod, name));
                continue;
            };
            let mut changed = false;
            let mut conflict = None;
            for (k, v) in &l.set {
                match pod.metadata.labels.get(k) {
                    Some(old) if old != v && !l.overwrite => {
                        conflict = Some((k.clone(), old.clone()))
                    }
                    Some(old) if old == v => {}
                    _ => {
                        pod.metadata.labels.insert(k.clone(), v.clone());
                        changed = true;
                    }
                }
            }
            if let Some((k, v)) = conflict {
                stderr.push_str(&messages::label_exists(&k, &v));
                continue;
            }
            for k in &l.remove {
                changed |= pod.metadata.labels.remove(k).is_some();
            }
            if changed {
                self.cl.store.versions.stamp(&mut pod.metadata);
                self.cl.dirty.insert(key.clone());
            }
            stdout.push_str(&messages::labeled(
                Kind::Pod,
                name,
                if changed { "labeled" } else { "not labeled" },
            ));
        }
        let exit = i32::from(!stderr.is_empty());
        CommandOutput {
            stdout,
            stderr,
            exit,
        }
    }

    /// Things that happen to the world rather than through the API.
    #[rustfmt::skip]
    fn sim_action(&mut self, args: &[String]) -> CommandOutput {
        match args.first().map(String::as_str) {
            Some("crash") => {
                let Some(pod) = args.get(1) else { return CommandOutput::err("usage: sim crash POD [-c CONTAINER] [--exit-code N]".into()) };
                let mut container = None;
                let mut code: i32 = 1;
                let mut i = 2;
                while i < args.len() {
                    match args[i].as_str() {
                        "-c" | "--container" => {
                            container = args.get(i + 1).cloned();
                            i += 2;
                        }
                        s if s.starts_with("--exit-code=") => {
                            match s["--exit-code=".len()..].parse() {
                                Ok(c) => code = c,
                                Err(_) => return CommandOutput::err(format!("sim crash: --exit-code needs a number from 0 to 255, got {:?}", &s["--exit-code=".len()..])),
                            }
                            i += 1;
                        }
                        "--exit-code" => {
                            match args.get(i + 1).and_then(|s| s.parse().ok()) {
                                Some(c) => code = c,
                                None => return CommandOutput::err(format!("sim crash: --exit-code needs a number from 0 to 255, got {:?}", args.get(i + 1).map(String::as_str).unwrap_or(""))),
                            }
                            i += 2;
                        }
                        other => return CommandOutput::err(format!("sim crash: unknown argument {other:?}")),
                    }
                }
                let key = ("default".to_string(), pod.trim_start_matches("pod/").to_string());
                let Some(p) = self.cl.store.pods.get(&key).cloned() else { return CommandOutput::err(messages::not_found(Kind::Pod, &key.1)) };
                let c = container.unwrap_or_else(|| p.spec.containers.first().map(|c| c.name.clone()).unwrap_or_default());
                let uid = p.metadata.uid.clone().unwrap_or_default();
                let mut done = false;
                self.with_worker(&uid, |w, cx| done = w.crash(&c, code, cx));
                if done {
                    CommandOutput::ok(format!("container {c} of pod {} exited with code {code}\n", key.1))
                } else {
                    CommandOutput::err(format!("sim crash: container {c} of pod {} is not running", key.1))
                }
            }
            Some("load") => self.sim_load(&args[1..]),
            Some("node-down") | Some("node-up") => self.sim_node_action(args),
            Some(other) => CommandOutput::err(format!("sim: unknown action {other:?} (known: crash, load, node-down, node-up)")),
            None => CommandOutput::err("usage: sim ACTION ...".into()),
        }
    }
}

/// `2024-06-01T12:00:05.123000000Z`, as `kubectl logs --timestamps` prints them.
fn rfc3339_nano(t: Millis) -> String {
    let d = podplay_api::time::DateTime::at(t);
    let s = d.rfc3339();
    format!("{}.{:03}000000Z", s.trim_end_matches('Z'), d.millis)
}

fn with_type(mut p: Pod) -> Pod {
    p.api_version.get_or_insert_with(|| "v1".into());
    p.kind.get_or_insert_with(|| "Pod".into());
    p
}

fn command_name(c: &Command, args: &[String]) -> String {
    match c {
        Command::Other(words) => words.join(" "),
        _ => args.join(" "),
    }
}

impl crate::kubelet::worker::PodWorker {
    /// `sim crash`: the container's main process dies with `code`.
    pub fn crash(&mut self, name: &str, code: i32, cx: &mut Ctx) -> bool {
        let now = cx.cl.now();
        let Some(inst) = self.containers.get_mut(name).and_then(|r| r.newest_mut()) else {
            return false;
        };
        if inst.exit.is_some() || inst.started_at.is_none() {
            return false;
        }
        inst.rt.signal(
            Signal::Kill,
            &mut self.env,
            &mut podplay_runtime::NoWorld,
            now,
        );
        inst.exit = Some((
            code,
            if code == 0 {
                "Completed".into()
            } else {
                "Error".into()
            },
            now,
        ));
        self.after_runtime_call(name, cx);
        let at = cx
            .cl
            .nodes
            .get(&self.node)
            .map_or(now + 1000, |n| n.next_relist_after(now));
        cx.cl.request_sync(self.slot, at);
        self.poke(name, cx);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_accept_the_contract_forms() {
        assert_eq!(parse_duration("90"), Some(90_000));
        assert_eq!(parse_duration("90s"), Some(90_000));
        assert_eq!(parse_duration("5m"), Some(300_000));
        assert_eq!(parse_duration("1h30m"), Some(5_400_000));
        assert_eq!(parse_duration("2m30s"), Some(150_000));
        assert_eq!(parse_duration("500ms"), Some(500));
        assert_eq!(parse_duration("1.5s"), Some(1_500));
        assert_eq!(parse_duration("abc"), None);
        assert_eq!(parse_duration("5x"), None);
        assert_eq!(parse_duration(""), None);
    }

    #[test]
    fn script_lines_run_in_time_order_and_same_time_in_file_order() {
        let s =
            parse_script("# c\n@1m kubectl get pods\n\n@30s sim crash web\n@30s kubectl get svc\n")
                .unwrap();
        assert_eq!(
            s,
            vec![
                (30_000, "sim crash web".into()),
                (30_000, "kubectl get svc".into()),
                (60_000, "kubectl get pods".into())
            ]
        );
    }

    #[test]
    fn script_errors_name_the_line() {
        assert!(parse_script("@30s ls\n")
            .unwrap_err()
            .starts_with("line 1:"));
        assert!(parse_script("kubectl get pods")
            .unwrap_err()
            .starts_with("line 1:"));
        assert!(parse_script("@zz kubectl get pods")
            .unwrap_err()
            .contains("invalid time"));
    }

    #[test]
    fn unsupported_output_formats_say_so_instead_of_printing_a_table() {
        let mut sim = crate::Simulation::new(1);
        let out = sim
            .run_command("kubectl get pods -o jsonpath={.items}")
            .unwrap_or_default();
        assert_eq!(out.exit, 1);
        assert!(
            out.stderr.contains("does not support -o jsonpath"),
            "{out:?}"
        );
        assert!(out.stdout.is_empty());
    }

    #[test]
    fn words_split_like_a_shell() {
        assert_eq!(
            split_words(r#"kubectl exec web -- sh -c "echo 'hi there'; ls""#).unwrap(),
            vec![
                "kubectl",
                "exec",
                "web",
                "--",
                "sh",
                "-c",
                "echo 'hi there'; ls"
            ]
        );
        assert!(split_words("echo 'oops").is_err());
    }
}
