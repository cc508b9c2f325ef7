//! `kubectl ...` command lines as typed values.
//!
//! `parse(args)` takes the words after `kubectl` and returns a `Command` or a `CommandError`
//! holding exactly what kubectl v1.32 prints on stderr for that mistake (exit code 1). Only
//! client-side checks live here; "not found" and friends are the engine's (see `printers::errors`).

use crate::flagparse::{self, Parsed};
use crate::flags::{self, Flag};
use crate::resource::{Kind, ALL_CATEGORY};
use crate::selector::LabelSelector;

/// What kubectl printed and its exit status, for a command that failed before reaching the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandError {
    pub stderr: String,
    pub exit_code: i32,
}

impl CommandError {
    /// A cobra/pflag usage error: `Error: <msg>\nSee 'kubectl <cmd> --help' for usage.`
    fn usage(cmd: &str, msg: &str) -> CommandError {
        let see = if cmd.is_empty() {
            "See 'kubectl --help' for usage.".to_string()
        } else {
            format!("See 'kubectl {cmd} --help' for usage.")
        };
        CommandError {
            stderr: format!("Error: {msg}\n{see}\n"),
            exit_code: 1,
        }
    }
    /// kubectl's `cmdutil.CheckErr`: `error: <msg>`.
    fn plain(msg: &str) -> CommandError {
        CommandError {
            stderr: format!("error: {msg}\n"),
            exit_code: 1,
        }
    }
    /// `cmdutil.UsageErrorf`: `error: <msg>\nSee 'kubectl <cmd> -h' for help and examples`.
    fn usage_hint(cmd: &str, msg: &str) -> CommandError {
        CommandError {
            stderr: format!("error: {msg}\nSee 'kubectl {cmd} -h' for help and examples\n"),
            exit_code: 1,
        }
    }
}

/// `-o/--output`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum OutputFormat {
    /// The default human-readable table.
    #[default]
    Table,
    Wide,
    Yaml,
    Json,
    Name,
    /// custom-columns=..., jsonpath=..., go-template=... kept verbatim.
    Other(String),
}

/// One thing to fetch: a type, and a name unless all objects of the type are meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub kind: Kind,
    pub name: Option<String>,
}

/// Which namespace(s) a command addresses.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scope {
    /// `-n/--namespace`; None means the context's namespace (`default`).
    pub namespace: Option<String>,
    /// `-A/--all-namespaces`.
    pub all_namespaces: bool,
}

impl Scope {
    /// The namespace to use when not listing across all namespaces.
    pub fn namespace_or_default(&self) -> &str {
        self.namespace.as_deref().unwrap_or("default")
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Get {
    pub targets: Vec<Target>,
    pub filenames: Vec<String>,
    pub scope: Scope,
    pub output: OutputFormat,
    pub selector: LabelSelector,
    pub field_selector: Option<String>,
    pub watch: bool,
    pub watch_only: bool,
    pub show_labels: bool,
    pub show_kind: bool,
    pub no_headers: bool,
    pub ignore_not_found: bool,
    /// `-L/--label-columns`: extra columns named after these label keys.
    pub label_columns: Vec<String>,
    pub sort_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Describe {
    /// A named target that does not exist falls back to every object whose name starts with it
    /// (kubectl describe's prefix match).
    pub targets: Vec<Target>,
    pub filenames: Vec<String>,
    pub scope: Scope,
    pub selector: LabelSelector,
    pub show_events: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Logs {
    /// `POD` or `TYPE/NAME` (kind Pod for a bare name); None with `-l`.
    pub target: Option<Target>,
    pub container: Option<String>,
    pub scope: Scope,
    pub selector: LabelSelector,
    pub previous: bool,
    pub follow: bool,
    /// `--tail`; -1 = all lines (or 10 with a selector, kubectl's default there).
    pub tail: i64,
    pub timestamps: bool,
    pub all_containers: bool,
    pub prefix: bool,
    /// `--since` in milliseconds.
    pub since_ms: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Exec {
    /// `NAME` (Pod), `pod/NAME`, `deploy/NAME`, ... — the engine picks the pod of a workload.
    pub target: Target,
    pub container: Option<String>,
    pub scope: Scope,
    pub stdin: bool,
    pub tty: bool,
    pub quiet: bool,
    pub command: Vec<String>,
}

impl Default for Target {
    fn default() -> Self {
        Target {
            kind: Kind::Pod,
            name: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Delete {
    pub targets: Vec<Target>,
    pub filenames: Vec<String>,
    pub scope: Scope,
    pub selector: LabelSelector,
    /// `--all`.
    pub all: bool,
    /// What kubectl sends: None = the object's own terminationGracePeriodSeconds (flag -1);
    /// `--now` = 1; `--grace-period=0` without `--force` becomes 1; `--force` alone = 0.
    pub grace_period: Option<i64>,
    pub force: bool,
    pub wait: bool,
    pub ignore_not_found: bool,
    /// Printed on stderr before anything else (the `--force` warning).
    pub warning: Option<String>,
    /// `--cascade`: "background" (default), "foreground" or "orphan" (`true`/`false` mapped as kubectl does).
    pub cascade: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Apply {
    pub filenames: Vec<String>,
    pub recursive: bool,
    pub scope: Scope,
    pub output: OutputFormat,
    /// `--dry-run`: None, `client` or `server`.
    pub dry_run: Option<String>,
    pub server_side: bool,
    /// `--record` (deprecated): the command line goes into `kubernetes.io/change-cause`.
    pub record: bool,
}

/// `label` and `annotate`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Label {
    pub targets: Vec<Target>,
    pub filenames: Vec<String>,
    pub scope: Scope,
    pub selector: LabelSelector,
    pub all: bool,
    /// `key=value` in the order given.
    pub set: Vec<(String, String)>,
    /// `key-`.
    pub remove: Vec<String>,
    pub overwrite: bool,
    pub list: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Run {
    pub name: String,
    pub image: String,
    pub scope: Scope,
    /// Always (default), OnFailure or Never.
    pub restart: String,
    pub rm: bool,
    pub stdin: bool,
    pub tty: bool,
    pub attach: bool,
    /// `--command`: the words after `--` replace the image's entrypoint instead of its args.
    pub command: bool,
    /// Words after the name or after `--`.
    pub args: Vec<String>,
    /// `--labels` (default `run=<name>`).
    pub labels: Vec<(String, String)>,
    pub env: Vec<(String, String)>,
    pub port: Option<i32>,
    pub image_pull_policy: Option<String>,
    pub dry_run: Option<String>,
    pub output: OutputFormat,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scale {
    pub targets: Vec<Target>,
    pub filenames: Vec<String>,
    pub scope: Scope,
    pub selector: LabelSelector,
    pub replicas: i32,
    pub current_replicas: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TopKind {
    Pod,
    Node,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Top {
    pub kind: TopKind,
    pub name: Option<String>,
    pub scope: Scope,
    pub selector: LabelSelector,
    pub containers: bool,
    pub no_headers: bool,
    pub sort_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Version {
    pub client: bool,
    pub output: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Get(Get),
    Describe(Describe),
    Logs(Logs),
    Exec(Exec),
    Delete(Delete),
    Apply(Apply),
    /// `create -f` (subcommands such as `create deployment` arrive as `Other`).
    Create(Apply),
    Label(Label),
    Annotate(Label),
    Run(Run),
    Scale(Scale),
    Top(Top),
    Version(Version),
    /// `rollout status|history|undo|pause|resume|restart`.
    Rollout(crate::rollout::Rollout),
    /// `set image`.
    SetImage(crate::rollout::SetImage),
    /// `create job NAME --image=... [-- cmd]` or `create job NAME --from=cronjob/X`.
    CreateJob(crate::create_batch::CreateJob),
    /// `create cronjob NAME --image=... --schedule=... [-- cmd]`.
    CreateCronJob(crate::create_batch::CreateCronJob),
    /// A real kubectl command this parser does not model yet, verbatim (after `kubectl`).
    Other(Vec<String>),
}

/// kubectl v1.32's top-level commands (for "unknown command" and for `Other`).
const KNOWN_COMMANDS: &[&str] = &[
    "annotate",
    "api-resources",
    "api-versions",
    "apply",
    "attach",
    "auth",
    "autoscale",
    "certificate",
    "cluster-info",
    "completion",
    "config",
    "cordon",
    "cp",
    "create",
    "debug",
    "delete",
    "describe",
    "diff",
    "drain",
    "edit",
    "events",
    "exec",
    "explain",
    "expose",
    "get",
    "help",
    "kustomize",
    "label",
    "logs",
    "options",
    "patch",
    "plugin",
    "port-forward",
    "proxy",
    "replace",
    "rollout",
    "run",
    "scale",
    "set",
    "taint",
    "top",
    "uncordon",
    "version",
    "wait",
    "alpha",
];

/// Parse the words after `kubectl`.
pub fn parse(args: &[String]) -> Result<Command, CommandError> {
    // Global flags may precede the command (`kubectl -n dev get pods`); kubectl moves them behind it.
    let mut leading: Vec<String> = Vec::new();
    let mut i = 0;
    while i < args.len() && args[i].starts_with('-') && args[i] != "-" {
        let a = &args[i];
        let needs_value = flag_takes_separate_value(a, flags::GLOBAL);
        match needs_value {
            None => {
                let shown = a.split('=').next().unwrap_or(a);
                return Err(CommandError {
                    stderr: format!("Error: flags cannot be placed before plugin name: {shown}\n"),
                    exit_code: 1,
                });
            }
            Some(true) => {
                if i + 1 >= args.len() {
                    return Err(global_missing_value(a));
                }
                leading.push(a.clone());
                leading.push(args[i + 1].clone());
                i += 2;
            }
            Some(false) => {
                leading.push(a.clone());
                i += 1;
            }
        }
    }
    let Some(cmd) = args.get(i) else {
        return Ok(Command::Other(args.to_vec()));
    };
    let mut rest: Vec<String> = leading;
    rest.extend(args[i + 1..].iter().cloned());
    match cmd.as_str() {
        "get" => parse_get(&rest),
        "describe" => parse_describe(&rest),
        "logs" => parse_logs(&rest),
        "exec" => parse_exec(&rest),
        "delete" => parse_delete(&rest),
        "apply" => parse_apply("apply", &rest, flags::APPLY).map(Command::Apply),
        "create" => {
            match rest.first().map(String::as_str) {
                Some("job") => {
                    return crate::create_batch::parse_create_job(&rest[1..])
                        .map(Command::CreateJob)
                }
                Some("cronjob" | "cj") => {
                    return crate::create_batch::parse_create_cron_job(&rest[1..])
                        .map(Command::CreateCronJob)
                }
                _ => {}
            }
            // `create deployment ...`, `create namespace ...`: subcommands the engine may add later.
            if rest.first().is_some_and(|w| !w.starts_with('-')) {
                let mut v = vec![cmd.clone()];
                v.extend(rest);
                return Ok(Command::Other(v));
            }
            parse_apply("create", &rest, flags::CREATE).map(Command::Create)
        }
        "label" => parse_label("label", &rest, flags::LABEL).map(Command::Label),
        "annotate" => parse_label("annotate", &rest, flags::ANNOTATE).map(Command::Annotate),
        "run" => parse_run(&rest),
        "scale" => parse_scale(&rest),
        "top" => parse_top(&rest),
        "version" => parse_version(&rest),
        "rollout" => crate::rollout::parse_rollout(&rest).map(Command::Rollout),
        "set" => match crate::rollout::parse_set(&rest)? {
            Some(si) => Ok(Command::SetImage(si)),
            None => {
                let mut v = vec![cmd.clone()];
                v.extend(rest);
                Ok(Command::Other(v))
            }
        },
        c if KNOWN_COMMANDS.contains(&c) => {
            let mut v = vec![cmd.clone()];
            v.extend(rest);
            Ok(Command::Other(v))
        }
        c => Err(unknown_command(c)),
    }
}

/// For a leading global flag: Some(true) if it takes the next word as value, Some(false) if it is
/// self-contained, None if it is not a global flag.
fn flag_takes_separate_value(a: &str, table: &[Flag]) -> Option<bool> {
    use crate::flags::FlagKind;
    if let Some(body) = a.strip_prefix("--") {
        let (name, inline) = match body.split_once('=') {
            Some((n, _)) => (n, true),
            None => (body, false),
        };
        let f = table.iter().find(|f| f.long == name)?;
        return Some(!inline && f.kind == FlagKind::Value);
    }
    let c = a.chars().nth(1)?;
    let f = table.iter().find(|f| f.short == Some(c))?;
    Some(f.kind == FlagKind::Value && a.chars().count() == 2)
}

fn global_missing_value(a: &str) -> CommandError {
    let msg = if let Some(name) = a.strip_prefix("--") {
        format!("flag needs an argument: --{name}")
    } else {
        let c = a.chars().nth(1).unwrap_or('?');
        format!("flag needs an argument: '{c}' in -{c}")
    };
    CommandError::usage("", &msg)
}

fn unknown_command(c: &str) -> CommandError {
    let mut msg = format!("Error: unknown command \"{c}\" for \"kubectl\"\n");
    // cobra suggests commands within Levenshtein distance 2 (or sharing a prefix).
    let suggestions: Vec<&&str> = KNOWN_COMMANDS
        .iter()
        .filter(|k| **k != "alpha" && (levenshtein(c, k) <= 2 || k.starts_with(c)))
        .collect();
    if !suggestions.is_empty() {
        msg.push_str("\nDid you mean this?\n");
        for s in suggestions {
            msg.push_str(&format!("\t{s}\n"));
        }
        msg.push('\n');
    }
    CommandError {
        stderr: msg,
        exit_code: 1,
    }
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let v = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            cur.push(v);
        }
        prev = cur;
    }
    prev[b.len()]
}

fn flags_of(cmd: &str, args: &[String], table: &[Flag]) -> Result<Parsed, CommandError> {
    flagparse::parse(args, &[table, flags::GLOBAL]).map_err(|m| CommandError::usage(cmd, &m))
}

pub(crate) fn scope(p: &Parsed) -> Scope {
    Scope {
        namespace: p.last("namespace").map(str::to_string),
        all_namespaces: p.flag("all-namespaces"),
    }
}

fn int_flag(cmd: &str, p: &Parsed, long: &str, default: i64) -> Result<i64, CommandError> {
    match p.last(long) {
        None => Ok(default),
        Some(v) => v.parse::<i64>().map_err(|_| {
            CommandError::usage(
                cmd,
                &format!(
                    "invalid argument \"{v}\" for \"--{long}\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax"
                ),
            )
        }),
    }
}

fn selector(p: &Parsed) -> Result<LabelSelector, CommandError> {
    match p.last("selector") {
        None => Ok(LabelSelector::everything()),
        Some(s) => LabelSelector::parse(s).map_err(|e| CommandError::plain(&e)),
    }
}

pub(crate) fn output_format(v: Option<&str>) -> Result<OutputFormat, CommandError> {
    Ok(match v.unwrap_or("") {
        "" => OutputFormat::Table,
        "wide" => OutputFormat::Wide,
        "yaml" => OutputFormat::Yaml,
        "json" => OutputFormat::Json,
        "name" => OutputFormat::Name,
        "custom-columns" => {
            return Err(CommandError::plain(
                "custom-columns format specified but no custom columns given",
            ))
        }
        o if ["custom-columns=", "custom-columns-file=", "jsonpath=", "jsonpath-as-json=", "jsonpath-file=", "go-template=", "go-template-file=", "template=", "templatefile="]
            .iter()
            .any(|p| o.starts_with(p)) =>
        {
            OutputFormat::Other(o.to_string())
        }
        o => {
            return Err(CommandError::plain(&format!(
                "unable to match a printer suitable for the output format \"{o}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
            )))
        }
    })
}

fn unknown_type(word: &str) -> CommandError {
    CommandError::plain(&format!(
        "the server doesn't have a resource type \"{word}\""
    ))
}

/// Resolve `TYPE[,TYPE] [NAME...]` or `TYPE/NAME...` (kubectl's resource builder rules).
fn resolve_targets(args: &[String]) -> Result<Vec<Target>, CommandError> {
    let Some(first) = args.first() else {
        return Ok(vec![]);
    };
    if args.iter().any(|a| a.contains('/')) {
        if !args.iter().all(|a| a.contains('/')) {
            return Err(CommandError::plain("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'"));
        }
        let mut out = Vec::new();
        for a in args {
            let Some((t, name)) = a.split_once('/') else {
                return Err(CommandError::plain(
                    "arguments in resource/name form must have a single resource and name",
                ));
            };
            if name.is_empty() || name.contains('/') {
                return Err(CommandError::plain(
                    "arguments in resource/name form must have a single resource and name",
                ));
            }
            let kind = Kind::resolve(t).ok_or_else(|| unknown_type(t))?;
            out.push(Target {
                kind,
                name: Some(name.to_string()),
            });
        }
        return Ok(out);
    }
    let mut kinds = Vec::new();
    for t in first.split(',').filter(|t| !t.is_empty()) {
        if t.eq_ignore_ascii_case("all") {
            kinds.extend_from_slice(ALL_CATEGORY);
        } else {
            kinds.push(Kind::resolve(t).ok_or_else(|| unknown_type(t))?);
        }
    }
    let names = &args[1..];
    let mut out = Vec::new();
    for k in kinds {
        if names.is_empty() {
            out.push(Target {
                kind: k,
                name: None,
            });
        }
        for n in names {
            out.push(Target {
                kind: k,
                name: Some(n.clone()),
            });
        }
    }
    Ok(out)
}

fn named(targets: &[Target]) -> bool {
    targets.iter().any(|t| t.name.is_some())
}

fn parse_get(args: &[String]) -> Result<Command, CommandError> {
    let p = flags_of("get", args, flags::GET)?;
    let output = output_format(p.last("output"))?;
    let filenames = p.all("filename");
    if p.positional.is_empty() && filenames.is_empty() {
        return Err(CommandError {
            stderr: "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n".to_string(),
            exit_code: 1,
        });
    }
    let targets = resolve_targets(&p.positional)?;
    let scope = scope(&p);
    if p.has("selector") && named(&targets) {
        return Err(CommandError::plain(
            "name cannot be provided when a selector is specified",
        ));
    }
    if scope.all_namespaces && named(&targets) {
        return Err(CommandError::plain(
            "a resource cannot be retrieved by name across all namespaces",
        ));
    }
    Ok(Command::Get(Get {
        targets,
        filenames,
        scope,
        output,
        selector: selector(&p)?,
        field_selector: p.last("field-selector").map(str::to_string),
        watch: p.flag("watch"),
        watch_only: p.flag("watch-only"),
        show_labels: p.flag("show-labels"),
        show_kind: p.flag("show-kind"),
        no_headers: p.flag("no-headers"),
        ignore_not_found: p.flag("ignore-not-found"),
        label_columns: p
            .all("label-columns")
            .iter()
            .flat_map(|v| v.split(',').map(str::to_string).collect::<Vec<_>>())
            .collect(),
        sort_by: p.last("sort-by").map(str::to_string),
    }))
}

fn parse_describe(args: &[String]) -> Result<Command, CommandError> {
    let p = flags_of("describe", args, flags::DESCRIBE)?;
    let filenames = p.all("filename");
    if p.positional.is_empty() && filenames.is_empty() {
        return Err(CommandError::plain("You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources."));
    }
    let targets = resolve_targets(&p.positional)?;
    Ok(Command::Describe(Describe {
        targets,
        filenames,
        scope: scope(&p),
        selector: selector(&p)?,
        show_events: p.bool_or("show-events", true),
    }))
}

/// `NAME` is a pod; `TYPE/NAME` names any kind.
fn pod_or_typed(word: &str) -> Result<Target, CommandError> {
    match word.split_once('/') {
        None => Ok(Target {
            kind: Kind::Pod,
            name: Some(word.to_string()),
        }),
        Some((t, n)) => Ok(Target {
            kind: Kind::resolve(t).ok_or_else(|| unknown_type(t))?,
            name: Some(n.to_string()),
        }),
    }
}

fn parse_logs(args: &[String]) -> Result<Command, CommandError> {
    let p = flags_of("logs", args, flags::LOGS)?;
    let tail = int_flag("logs", &p, "tail", -1)?;
    let has_selector = p.has("selector");
    let usage = || {
        CommandError::plain("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples")
    };
    let (target, mut container) = match (p.positional.len(), has_selector) {
        (0, true) => (None, None),
        (0, false) => return Err(usage()),
        (1, _) => (Some(pod_or_typed(&p.positional[0])?), None),
        (2, _) => (
            Some(pod_or_typed(&p.positional[0])?),
            Some(p.positional[1].clone()),
        ),
        _ => return Err(usage()),
    };
    if let Some(c) = p.last("container") {
        container = Some(c.to_string());
    }
    let since_ms = match p.last("since") {
        None => None,
        Some(v) => Some(parse_go_duration(v).ok_or_else(|| {
            CommandError::usage(
                "logs",
                &format!(
                    "invalid argument \"{v}\" for \"--since\" flag: time: invalid duration \"{v}\""
                ),
            )
        })?),
    };
    Ok(Command::Logs(Logs {
        target,
        container,
        scope: scope(&p),
        selector: selector(&p)?,
        previous: p.flag("previous"),
        follow: p.flag("follow"),
        tail,
        timestamps: p.flag("timestamps"),
        all_containers: p.flag("all-containers"),
        prefix: p.flag("prefix"),
        since_ms,
    }))
}

/// Go `time.ParseDuration` for the units kubectl users type (`10s`, `5m`, `1h30m`, `1.5s`, `300ms`).
pub fn parse_go_duration(s: &str) -> Option<i64> {
    if s == "0" {
        return Some(0);
    }
    let mut total: f64 = 0.0;
    let mut rest = s;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let num_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if num_end == 0 {
            return None;
        }
        let n: f64 = rest[..num_end].parse().ok()?;
        rest = &rest[num_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let mult = match &rest[..unit_end] {
            "ms" => 1.0,
            "s" => 1000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            _ => return None,
        };
        rest = &rest[unit_end..];
        total += n * mult;
    }
    Some(total as i64)
}

fn parse_exec(args: &[String]) -> Result<Command, CommandError> {
    let p = flags_of("exec", args, flags::EXEC)?;
    let before_dash = p.args_len_at_dash.unwrap_or(p.positional.len());
    if p.positional.is_empty() || before_dash == 0 {
        return Err(CommandError::plain(
            "pod, type/name or --filename must be specified",
        ));
    }
    if p.args_len_at_dash.is_none() && p.positional.len() > 1 {
        return Err(CommandError::usage_hint(
            "exec",
            "exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead",
        ));
    }
    let command: Vec<String> = p.positional[before_dash..].to_vec();
    if command.is_empty() {
        return Err(CommandError::plain(
            "you must specify at least one command for the container",
        ));
    }
    let target = pod_or_typed(&p.positional[0])?;
    Ok(Command::Exec(Exec {
        target,
        container: p.last("container").map(str::to_string),
        scope: scope(&p),
        stdin: p.flag("stdin"),
        tty: p.flag("tty"),
        quiet: p.flag("quiet"),
        command,
    }))
}

fn parse_delete(args: &[String]) -> Result<Command, CommandError> {
    let p = flags_of("delete", args, flags::DELETE)?;
    let grace = int_flag("delete", &p, "grace-period", -1)?;
    let filenames = p.all("filename");
    let all = p.flag("all");
    let has_selector = p.has("selector");
    if p.positional.is_empty() && filenames.is_empty() {
        if all || has_selector {
            return Err(CommandError::plain(
                "at least one resource must be specified to use a selector",
            ));
        }
        return Err(CommandError::plain("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'"));
    }
    if all && has_selector {
        return Err(CommandError::plain(
            "setting 'all' parameter but found a non empty selector. ",
        ));
    }
    let now = p.flag("now");
    let force = p.flag("force");
    if now && grace != -1 {
        return Err(CommandError::plain(
            "--now and --grace-period cannot be specified together",
        ));
    }
    // delete.go GetCascadingStrategy: the deprecated booleans map to background/orphan.
    let cascade = match p.last("cascade").unwrap_or("background") {
        "background" | "true" | "" => "background",
        "orphan" | "false" => "orphan",
        "foreground" => "foreground",
        other => {
            return Err(CommandError::plain(&format!(
                "invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\""
            )))
        }
    }
    .to_string();
    let targets = resolve_targets(&p.positional)?;
    if (all || has_selector) && named(&targets) {
        return Err(CommandError::plain(
            "name cannot be provided when a selector is specified",
        ));
    }
    if !targets.is_empty() && !named(&targets) && !all && !has_selector && !p.has("field-selector")
    {
        return Err(CommandError::plain(
            "resource(s) were provided, but no name was specified",
        ));
    }
    // delete.go Complete(): --now means 1s; 0 without --force is bumped to 1; --force alone is 0.
    let mut g = if now { 1 } else { grace };
    if g == 0 && !force {
        g = 1;
    }
    if force && g < 0 {
        g = 0;
    }
    Ok(Command::Delete(Delete {
        targets,
        filenames,
        scope: scope(&p),
        selector: selector(&p)?,
        all,
        grace_period: (g >= 0).then_some(g),
        force,
        wait: p.bool_or("wait", true),
        ignore_not_found: p.flag("ignore-not-found"),
        warning: force.then(|| "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n".to_string()),
        cascade,
    }))
}

fn parse_apply(cmd: &str, args: &[String], table: &[Flag]) -> Result<Apply, CommandError> {
    let p = flags_of(cmd, args, table)?;
    let filenames = p.all("filename");
    if filenames.is_empty() && !p.has("kustomize") {
        return Err(CommandError::plain("must specify one of -f and -k"));
    }
    if let Some(extra) = p.positional.first() {
        let _ = extra;
        return Err(CommandError::usage_hint(
            cmd,
            &format!("Unexpected args: {:?}", p.positional).replace('"', ""),
        ));
    }
    Ok(Apply {
        filenames,
        recursive: p.flag("recursive"),
        scope: scope(&p),
        output: output_format(p.last("output"))?,
        dry_run: dry_run(&p)?,
        server_side: p.flag("server-side"),
        record: p.flag("record"),
    })
}

pub(crate) fn dry_run(p: &Parsed) -> Result<Option<String>, CommandError> {
    match p.last("dry-run") {
        None | Some("none") => Ok(None),
        // A bare `--dry-run` is deprecated and means client.
        Some("unchanged") | Some("client") | Some("true") => Ok(Some("client".to_string())),
        Some("server") => Ok(Some("server".to_string())),
        Some(v) => Err(CommandError::plain(&format!(
            "Invalid dry-run value ({v}). Must be \"none\", \"server\", or \"client\"."
        ))),
    }
}

fn parse_label(cmd: &str, args: &[String], table: &[Flag]) -> Result<Label, CommandError> {
    let p = flags_of(cmd, args, table)?;
    let what = if cmd == "label" {
        "label"
    } else {
        "annotation"
    };
    let mut resources = Vec::new();
    let mut changes = Vec::new();
    for a in &p.positional {
        if a.contains('=') || (a.ends_with('-') && !resources.is_empty()) {
            changes.push(a.clone());
        } else {
            resources.push(a.clone());
        }
    }
    let filenames = p.all("filename");
    if resources.is_empty() && filenames.is_empty() {
        return Err(CommandError::plain(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>",
        ));
    }
    if changes.is_empty() && !p.flag("list") {
        return Err(CommandError::plain(&format!(
            "at least one {what} update is required"
        )));
    }
    let mut set = Vec::new();
    let mut remove = Vec::new();
    for c in &changes {
        if let Some(k) = c.strip_suffix('-').filter(|k| !k.contains('=')) {
            remove.push(k.to_string());
            continue;
        }
        // Annotation values may hold '=' (ParsePairs splits once); label values may not.
        let parts: Vec<&str> = if cmd == "label" {
            c.split('=').collect()
        } else {
            c.splitn(2, '=').collect()
        };
        if parts.len() != 2 || parts[0].is_empty() {
            return Err(CommandError::plain(&format!("invalid {what} spec: {c}")));
        }
        set.push((parts[0].to_string(), parts[1].to_string()));
    }
    let both: Vec<&str> = remove
        .iter()
        .filter(|k| set.iter().any(|(s, _)| s == *k))
        .map(String::as_str)
        .collect();
    if cmd == "annotate" && !both.is_empty() {
        // validateAnnotations
        return Err(CommandError::plain(&format!(
            "can not both modify and remove the following annotation(s) in the same command: {}",
            both.join(", ")
        )));
    }
    if set.iter().any(|(k, _)| remove.contains(k)) {
        return Err(CommandError::plain(&format!(
            "can not both modify and remove {} in the same command",
            if cmd == "label" {
                "a label"
            } else {
                "an annotation"
            }
        )));
    }
    let targets = resolve_targets(&resources)?;
    Ok(Label {
        targets,
        filenames,
        scope: scope(&p),
        selector: selector(&p)?,
        all: p.flag("all"),
        set,
        remove,
        overwrite: p.flag("overwrite"),
        list: p.flag("list"),
    })
}

fn parse_run(args: &[String]) -> Result<Command, CommandError> {
    let p = flags_of("run", args, flags::RUN)?;
    let Some(image) = p.last("image") else {
        // kubectl prints this through klog (`E... run.go:72] "command failed" err=...`); the
        // timestamp/pid prefix is left out because it is not reproducible.
        return Err(CommandError::plain("required flag(s) \"image\" not set"));
    };
    let before_dash = p.args_len_at_dash.unwrap_or(p.positional.len());
    if p.positional.is_empty() || before_dash == 0 {
        return Err(CommandError::usage_hint("run", "NAME is required for run"));
    }
    let name = p.positional[0].clone();
    let args_rest: Vec<String> = p.positional[1..].to_vec();
    let restart = p.last("restart").unwrap_or("Always").to_string();
    if !["Always", "OnFailure", "Never"].contains(&restart.as_str()) {
        return Err(CommandError::usage_hint(
            "run",
            &format!("invalid restart policy: {restart}"),
        ));
    }
    let stdin = p.flag("stdin");
    let tty = p.flag("tty");
    let attach_flag = p.has("attach");
    let attach = if attach_flag { p.flag("attach") } else { stdin };
    let rm = p.flag("rm");
    let dry_run = dry_run(&p)?;
    if dry_run.is_some() && (attach || stdin || tty) {
        return Err(CommandError::usage_hint("run", "--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)"));
    }
    if rm && !attach {
        return Err(CommandError::usage_hint(
            "run",
            "--rm should only be used for attached containers",
        ));
    }
    let labels = match p.last("labels") {
        None => vec![("run".to_string(), name.clone())],
        Some(l) => {
            let mut out = Vec::new();
            for kv in l.split(',') {
                match kv.split_once('=') {
                    Some((k, v)) if !k.is_empty() && !v.contains('=') => {
                        out.push((k.to_string(), v.to_string()))
                    }
                    _ => return Err(CommandError::plain(&format!("invalid label spec: {kv}"))),
                }
            }
            out
        }
    };
    let mut env = Vec::new();
    for e in p.all("env") {
        match e.split_once('=') {
            Some((k, v)) => env.push((k.to_string(), v.to_string())),
            None => return Err(CommandError::plain(&format!("invalid env: {e}"))),
        }
    }
    let port = match p.last("port") {
        None | Some("") => None,
        Some(v) => Some(v.parse::<i32>().map_err(|_| {
            CommandError::plain(&format!("strconv.Atoi: parsing \"{v}\": invalid syntax"))
        })?),
    };
    Ok(Command::Run(Run {
        name,
        image: image.to_string(),
        scope: scope(&p),
        restart,
        rm,
        stdin,
        tty,
        attach,
        command: p.flag("command"),
        args: args_rest,
        labels,
        env,
        port,
        image_pull_policy: p.last("image-pull-policy").map(str::to_string),
        dry_run,
        output: output_format(p.last("output"))?,
    }))
}

fn parse_scale(args: &[String]) -> Result<Command, CommandError> {
    let p = flags_of("scale", args, flags::SCALE)?;
    let replicas = int_flag("scale", &p, "replicas", 0)?;
    let current = int_flag("scale", &p, "current-replicas", -1)?;
    if !p.has("replicas") {
        return Err(CommandError::plain("required flag(s) \"replicas\" not set"));
    }
    let filenames = p.all("filename");
    if p.positional.is_empty() && filenames.is_empty() {
        return Err(CommandError::plain("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'"));
    }
    if replicas < 0 {
        return Err(CommandError::plain(
            "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0",
        ));
    }
    Ok(Command::Scale(Scale {
        targets: resolve_targets(&p.positional)?,
        filenames,
        scope: scope(&p),
        selector: selector(&p)?,
        replicas: replicas.clamp(0, i32::MAX as i64) as i32,
        current_replicas: (current >= 0).then_some(current.clamp(0, i32::MAX as i64) as i32),
    }))
}

const TOP_HELP: &str = "Display resource (CPU/memory) usage.

 The top command allows you to see the resource consumption for nodes or pods.

 This command requires Metrics Server to be correctly configured and working on the server.

Available Commands:
  node          Display resource (CPU/memory) usage of nodes
  pod           Display resource (CPU/memory) usage of pods

Usage:
  kubectl top [flags] [options]

Use \"kubectl top <command> --help\" for more information about a given command.
Use \"kubectl options\" for a list of global command-line options (applies to all commands).
";

fn parse_top(args: &[String]) -> Result<Command, CommandError> {
    let sub = args.iter().position(|a| !a.starts_with('-'));
    let Some(si) = sub else {
        return Err(CommandError {
            stderr: TOP_HELP.to_string(),
            exit_code: 1,
        });
    };
    let (kind, table, name) = match args[si].as_str() {
        "pod" | "pods" | "po" => (TopKind::Pod, flags::TOP_POD, "top pod"),
        "node" | "nodes" | "no" => (TopKind::Node, flags::TOP_NODE, "top node"),
        other => {
            return Err(CommandError::plain(&format!(
                "unknown command \"{other}\"\nSee 'kubectl top -h' for help and examples"
            )))
        }
    };
    let mut rest: Vec<String> = args[..si].to_vec();
    rest.extend(args[si + 1..].iter().cloned());
    let p = flags_of(name, &rest, table)?;
    Ok(Command::Top(Top {
        kind,
        name: p.positional.first().cloned(),
        scope: scope(&p),
        selector: selector(&p)?,
        containers: p.flag("containers"),
        no_headers: p.flag("no-headers"),
        sort_by: p.last("sort-by").map(str::to_string),
    }))
}

fn parse_version(args: &[String]) -> Result<Command, CommandError> {
    let p = flags_of("version", args, flags::VERSION)?;
    let output = p.last("output").map(str::to_string);
    if let Some(o) = &output {
        if o != "yaml" && o != "json" {
            return Err(CommandError::plain("--output must be 'yaml' or 'json'"));
        }
    }
    Ok(Command::Version(Version {
        client: p.flag("client"),
        output,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(line: &str) -> Command {
        let args: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        parse(&args).unwrap_or_else(|e| panic!("{line}: {}", e.stderr))
    }

    fn t(kind: Kind, name: Option<&str>) -> Target {
        Target {
            kind,
            name: name.map(str::to_string),
        }
    }

    #[test]
    fn get_accepts_aliases_lists_and_type_slash_name() {
        let Command::Get(g) = ok("get po,svc web -o wide -n dev") else {
            panic!()
        };
        assert_eq!(
            g.targets,
            vec![t(Kind::Pod, Some("web")), t(Kind::Service, Some("web"))]
        );
        assert_eq!(g.output, OutputFormat::Wide);
        assert_eq!(g.scope.namespace.as_deref(), Some("dev"));
        let Command::Get(g) = ok("get pod/a deploy/b") else {
            panic!()
        };
        assert_eq!(
            g.targets,
            vec![t(Kind::Pod, Some("a")), t(Kind::Deployment, Some("b"))]
        );
    }

    #[test]
    fn get_watch_labels_selector_and_all_namespaces() {
        let Command::Get(g) = ok("get pods -w --show-labels -l app=web -A") else {
            panic!()
        };
        assert!(g.watch && g.show_labels && g.scope.all_namespaces);
        assert_eq!(g.selector, LabelSelector::parse("app=web").unwrap());
        let Command::Get(g) = ok("get ev --watch-only") else {
            panic!()
        };
        assert!(g.watch_only && !g.watch);
        assert_eq!(g.targets, vec![t(Kind::Event, None)]);
    }

    #[test]
    fn get_all_expands_to_the_all_category() {
        let Command::Get(g) = ok("get all") else {
            panic!()
        };
        assert_eq!(g.targets.first(), Some(&t(Kind::Pod, None)));
        assert_eq!(g.targets.len(), ALL_CATEGORY.len());
    }

    #[test]
    fn global_flags_may_come_before_the_command() {
        let Command::Get(g) = ok("-n kube-system get pods") else {
            panic!()
        };
        assert_eq!(g.scope.namespace.as_deref(), Some("kube-system"));
    }

    #[test]
    fn logs_second_argument_is_the_container() {
        let Command::Logs(l) = ok("logs web sidecar -p --tail=5 --timestamps") else {
            panic!()
        };
        assert_eq!(l.target, Some(t(Kind::Pod, Some("web"))));
        assert_eq!(l.container.as_deref(), Some("sidecar"));
        assert!(l.previous && l.timestamps && !l.follow);
        assert_eq!(l.tail, 5);
        let Command::Logs(l) = ok("logs -f deploy/web -c nginx --since=5m") else {
            panic!()
        };
        assert_eq!(l.target, Some(t(Kind::Deployment, Some("web"))));
        assert_eq!(l.container.as_deref(), Some("nginx"));
        assert_eq!(l.since_ms, Some(300_000));
        assert!(l.follow);
    }

    #[test]
    fn exec_takes_the_command_after_double_dash() {
        let Command::Exec(e) = ok("exec -it web -c nginx -- sh -c ls") else {
            panic!()
        };
        assert!(e.stdin && e.tty);
        assert_eq!(e.target, t(Kind::Pod, Some("web")));
        assert_eq!(e.container.as_deref(), Some("nginx"));
        assert_eq!(e.command, vec!["sh", "-c", "ls"]);
        let Command::Exec(e) = ok("exec deploy/web -- cat /etc/hostname") else {
            panic!()
        };
        assert_eq!(e.target, t(Kind::Deployment, Some("web")));
    }

    #[test]
    fn delete_grace_period_follows_kubectl_complete() {
        let g = |line: &str| match ok(line) {
            Command::Delete(d) => d.grace_period,
            _ => panic!(),
        };
        assert_eq!(g("delete pod web"), None);
        assert_eq!(g("delete pod web --now"), Some(1));
        assert_eq!(g("delete pod web --grace-period=0"), Some(1));
        assert_eq!(g("delete pod web --grace-period=0 --force"), Some(0));
        assert_eq!(g("delete pod web --force"), Some(0));
        assert_eq!(g("delete pod web --grace-period=5"), Some(5));
        let Command::Delete(d) = ok("delete pods --all --wait=false") else {
            panic!()
        };
        assert!(d.all && !d.wait && d.warning.is_none());
        let Command::Delete(d) = ok("delete -f web.yaml --force") else {
            panic!()
        };
        assert_eq!(d.filenames, vec!["web.yaml"]);
        assert!(d.warning.is_some());
        let Command::Delete(d) = ok("delete pod/web") else {
            panic!()
        };
        assert_eq!(d.targets, vec![t(Kind::Pod, Some("web"))]);
    }

    #[test]
    fn label_splits_resources_from_changes() {
        let Command::Label(l) = ok("label pod web tier=fe app- --overwrite") else {
            panic!()
        };
        assert_eq!(l.targets, vec![t(Kind::Pod, Some("web"))]);
        assert_eq!(l.set, vec![("tier".to_string(), "fe".to_string())]);
        assert_eq!(l.remove, vec!["app"]);
        assert!(l.overwrite);
        assert!(matches!(
            ok("annotate pod/web note=x"),
            Command::Annotate(_)
        ));
    }

    #[test]
    fn run_defaults_label_run_and_restart_always() {
        let Command::Run(r) = ok("run web --image=nginx:1.27") else {
            panic!()
        };
        assert_eq!(r.labels, vec![("run".to_string(), "web".to_string())]);
        assert_eq!(r.restart, "Always");
        let Command::Run(r) = ok("run bb --image=busybox --restart=Never --rm -it -- sh -c date")
        else {
            panic!()
        };
        assert!(r.rm && r.stdin && r.tty && r.attach);
        assert_eq!(r.args, vec!["sh", "-c", "date"]);
        assert!(!r.command);
    }

    #[test]
    fn scale_top_version_and_other() {
        let Command::Scale(s) = ok("scale deploy/web --replicas=3") else {
            panic!()
        };
        assert_eq!(s.replicas, 3);
        assert_eq!(s.targets, vec![t(Kind::Deployment, Some("web"))]);
        let Command::Top(tp) = ok("top pod --containers") else {
            panic!()
        };
        assert_eq!(tp.kind, TopKind::Pod);
        assert!(tp.containers);
        assert!(matches!(
            ok("version --client"),
            Command::Version(Version { client: true, .. })
        ));
        assert!(matches!(
            ok("rollout status deployment/web"),
            Command::Rollout(r) if r.verb == crate::rollout::RolloutVerb::Status
        ));
        assert!(matches!(ok("create namespace dev"), Command::Other(_)));
        assert!(
            matches!(ok("apply -f a.yaml -f b.yaml"), Command::Apply(a) if a.filenames.len() == 2)
        );
    }

    #[test]
    fn go_durations_parse() {
        assert_eq!(parse_go_duration("1h30m"), Some(5_400_000));
        assert_eq!(parse_go_duration("1.5s"), Some(1500));
        assert_eq!(parse_go_duration("300ms"), Some(300));
        assert_eq!(parse_go_duration("5x"), None);
    }
}
