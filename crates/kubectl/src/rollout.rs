//! `kubectl rollout status|history|undo|pause|resume|restart` and `kubectl set image`: their
//! flags (kubectl v1.32 `--help`) and command lines as typed values. Client-side errors are
//! kubectl's own text.

use crate::command::{CommandError, Scope, Target};
use crate::flagparse;
use crate::flags::{self, Flag, FlagKind};
use crate::resource::Kind;

const fn flag(
    long: &'static str,
    short: Option<char>,
    kind: FlagKind,
    default: &'static str,
) -> Flag {
    Flag {
        long,
        short,
        kind,
        default,
    }
}

const B: FlagKind = FlagKind::Bool;
const V: FlagKind = FlagKind::Value;
const O: FlagKind = FlagKind::OptionalValue;

pub const ROLLOUT_STATUS: &[Flag] = &[
    flag("filename", Some('f'), V, "[]"),
    flag("kustomize", Some('k'), V, ""),
    flag("recursive", Some('R'), B, "false"),
    flag("revision", None, V, "0"),
    flag("selector", Some('l'), V, ""),
    flag("timeout", None, V, "0s"),
    flag("watch", Some('w'), B, "true"),
];

pub const ROLLOUT_HISTORY: &[Flag] = &[
    flag("allow-missing-template-keys", None, B, "true"),
    flag("filename", Some('f'), V, "[]"),
    flag("kustomize", Some('k'), V, ""),
    flag("output", Some('o'), V, ""),
    flag("recursive", Some('R'), B, "false"),
    flag("revision", None, V, "0"),
    flag("selector", Some('l'), V, ""),
    flag("show-managed-fields", None, B, "false"),
    flag("template", None, V, ""),
];

pub const ROLLOUT_UNDO: &[Flag] = &[
    flag("allow-missing-template-keys", None, B, "true"),
    flag("dry-run", None, O, "none"),
    flag("filename", Some('f'), V, "[]"),
    flag("kustomize", Some('k'), V, ""),
    flag("output", Some('o'), V, ""),
    flag("recursive", Some('R'), B, "false"),
    flag("selector", Some('l'), V, ""),
    flag("show-managed-fields", None, B, "false"),
    flag("template", None, V, ""),
    flag("to-revision", None, V, "0"),
];

/// pause, resume and restart share their flags.
pub const ROLLOUT_PATCH: &[Flag] = &[
    flag("allow-missing-template-keys", None, B, "true"),
    flag("field-manager", None, V, "kubectl-rollout"),
    flag("filename", Some('f'), V, "[]"),
    flag("kustomize", Some('k'), V, ""),
    flag("output", Some('o'), V, ""),
    flag("recursive", Some('R'), B, "false"),
    flag("selector", Some('l'), V, ""),
    flag("show-managed-fields", None, B, "false"),
    flag("template", None, V, ""),
];

pub const SET_IMAGE: &[Flag] = &[
    flag("all", None, B, "false"),
    flag("allow-missing-template-keys", None, B, "true"),
    flag("dry-run", None, O, "none"),
    flag("field-manager", None, V, "kubectl-set"),
    flag("filename", Some('f'), V, "[]"),
    flag("kustomize", Some('k'), V, ""),
    flag("local", None, B, "false"),
    flag("output", Some('o'), V, ""),
    flag("recursive", Some('R'), B, "false"),
    flag("selector", Some('l'), V, ""),
    flag("show-managed-fields", None, B, "false"),
    flag("template", None, V, ""),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RolloutVerb {
    Status,
    History,
    Undo,
    Pause,
    Resume,
    Restart,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rollout {
    pub verb: RolloutVerb,
    pub targets: Vec<Target>,
    pub scope: Scope,
    /// `--revision` (status, history) or `--to-revision` (undo); 0 = latest / previous.
    pub revision: i64,
    /// `rollout status --watch` (default true).
    pub watch: bool,
    /// `rollout status --timeout` in milliseconds; 0 = wait forever.
    pub timeout_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetImage {
    pub targets: Vec<Target>,
    pub scope: Scope,
    /// `CONTAINER=IMAGE` pairs in the order given (`*` means every container).
    pub images: Vec<(String, String)>,
}

fn usage(cmd: &str, msg: &str) -> CommandError {
    CommandError {
        stderr: format!("Error: {msg}\nSee 'kubectl {cmd} --help' for usage.\n"),
        exit_code: 1,
    }
}

fn plain(msg: &str) -> CommandError {
    CommandError {
        stderr: format!("error: {msg}\n"),
        exit_code: 1,
    }
}

fn scope(p: &flagparse::Parsed) -> Scope {
    Scope {
        namespace: p.last("namespace").map(str::to_string),
        all_namespaces: p.flag("all-namespaces"),
    }
}

fn int(cmd: &str, p: &flagparse::Parsed, long: &str) -> Result<i64, CommandError> {
    match p.last(long) {
        None => Ok(0),
        Some(v) => v.parse::<i64>().map_err(|_| {
            usage(
                cmd,
                &format!("invalid argument \"{v}\" for \"--{long}\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax"),
            )
        }),
    }
}

/// `TYPE NAME`, `TYPE/NAME...` as the resource builder reads them.
fn targets(args: &[String]) -> Result<Vec<Target>, CommandError> {
    let unknown = |t: &str| plain(&format!("the server doesn't have a resource type \"{t}\""));
    if args.iter().any(|a| a.contains('/')) {
        if !args.iter().all(|a| a.contains('/')) {
            return Err(plain("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'"));
        }
        return args
            .iter()
            .map(|a| {
                let (t, n) = a.split_once('/').unwrap_or((a, ""));
                if n.is_empty() || n.contains('/') {
                    return Err(plain(
                        "arguments in resource/name form must have a single resource and name",
                    ));
                }
                Ok(Target {
                    kind: Kind::resolve(t).ok_or_else(|| unknown(t))?,
                    name: Some(n.to_string()),
                })
            })
            .collect();
    }
    let Some(first) = args.first() else {
        return Ok(vec![]);
    };
    let kind = Kind::resolve(first).ok_or_else(|| unknown(first))?;
    if args.len() == 1 {
        return Ok(vec![Target { kind, name: None }]);
    }
    Ok(args[1..]
        .iter()
        .map(|n| Target {
            kind,
            name: Some(n.clone()),
        })
        .collect())
}

/// `kubectl rollout ...` (the words after `rollout`).
pub fn parse_rollout(args: &[String]) -> Result<Rollout, CommandError> {
    let Some(si) = args.iter().position(|a| !a.starts_with('-')) else {
        return Err(CommandError {
            stderr: include_str!("help/rollout.txt").to_string(),
            exit_code: 1,
        });
    };
    let (verb, table, name) = match args[si].as_str() {
        "status" => (RolloutVerb::Status, ROLLOUT_STATUS, "rollout status"),
        "history" => (RolloutVerb::History, ROLLOUT_HISTORY, "rollout history"),
        "undo" => (RolloutVerb::Undo, ROLLOUT_UNDO, "rollout undo"),
        "pause" => (RolloutVerb::Pause, ROLLOUT_PATCH, "rollout pause"),
        "resume" => (RolloutVerb::Resume, ROLLOUT_PATCH, "rollout resume"),
        "restart" => (RolloutVerb::Restart, ROLLOUT_PATCH, "rollout restart"),
        other => {
            return Err(plain(&format!(
                "unknown command \"{other}\"\nSee 'kubectl rollout -h' for help and examples"
            )))
        }
    };
    let mut rest: Vec<String> = args[..si].to_vec();
    rest.extend(args[si + 1..].iter().cloned());
    let p = flagparse::parse(&rest, &[table, flags::GLOBAL]).map_err(|m| usage(name, &m))?;
    let revision = match verb {
        RolloutVerb::Undo => int(name, &p, "to-revision")?,
        RolloutVerb::Status | RolloutVerb::History => int(name, &p, "revision")?,
        _ => 0,
    };
    if p.positional.is_empty() && p.all("filename").is_empty() {
        return Err(plain("required resource not specified"));
    }
    let timeout_ms = match p.last("timeout") {
        None => 0,
        Some(t) => crate::command::parse_go_duration(t).ok_or_else(|| {
            usage(
                name,
                &format!("invalid argument \"{t}\" for \"--timeout\" flag: time: invalid duration \"{t}\""),
            )
        })?,
    };
    Ok(Rollout {
        verb,
        targets: targets(&p.positional)?,
        scope: scope(&p),
        revision,
        watch: p.bool_or("watch", true),
        timeout_ms,
    })
}

/// `kubectl set ...` (the words after `set`); only `image` is modelled.
pub fn parse_set(args: &[String]) -> Result<Option<SetImage>, CommandError> {
    let Some(si) = args.iter().position(|a| !a.starts_with('-')) else {
        return Err(CommandError {
            stderr: include_str!("help/set.txt").to_string(),
            exit_code: 1,
        });
    };
    match args[si].as_str() {
        "image" => {}
        "env" | "resources" | "selector" | "serviceaccount" | "subject" => return Ok(None),
        other => {
            return Err(plain(&format!(
                "unknown command \"{other}\"\nSee 'kubectl set -h' for help and examples"
            )))
        }
    }
    let mut rest: Vec<String> = args[..si].to_vec();
    rest.extend(args[si + 1..].iter().cloned());
    let p =
        flagparse::parse(&rest, &[SET_IMAGE, flags::GLOBAL]).map_err(|m| usage("set image", &m))?;
    // Resources come first, then CONTAINER=IMAGE pairs (the first word with '=' starts them).
    let split = p
        .positional
        .iter()
        .position(|a| a.contains('='))
        .unwrap_or(p.positional.len());
    let (res, pairs) = p.positional.split_at(split);
    if res.is_empty() && p.all("filename").is_empty() {
        return Err(plain("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'"));
    }
    let mut images = vec![];
    for pair in pairs {
        match pair.split_once('=') {
            Some((c, i)) if !c.is_empty() && !i.is_empty() => {
                images.push((c.to_string(), i.to_string()))
            }
            _ => return Err(plain(&format!("invalid image {pair}"))),
        }
    }
    if images.is_empty() {
        return Err(plain("at least one image update is required"));
    }
    Ok(Some(SetImage {
        targets: targets(res)?,
        scope: scope(&p),
        images,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn rollout_undo_takes_to_revision_and_type_name() {
        let r = parse_rollout(&words("undo deployment web --to-revision=1 -n dev")).unwrap();
        assert_eq!(r.verb, RolloutVerb::Undo);
        assert_eq!(r.revision, 1);
        assert_eq!(r.scope.namespace.as_deref(), Some("dev"));
        assert_eq!(r.targets[0].kind, Kind::Deployment);
        assert_eq!(r.targets[0].name.as_deref(), Some("web"));
    }

    #[test]
    fn rollout_without_resource_is_kubectls_error() {
        let e = parse_rollout(&words("status")).unwrap_err();
        assert_eq!(e.stderr, "error: required resource not specified\n");
        let e = parse_rollout(&words("foo")).unwrap_err();
        assert!(e.stderr.starts_with("error: unknown command \"foo\""));
        let e = parse_rollout(&words("status deploy/web --revision=x")).unwrap_err();
        assert!(e
            .stderr
            .contains("invalid argument \"x\" for \"--revision\" flag"));
    }

    #[test]
    fn set_image_splits_resources_from_container_images() {
        let s = parse_set(&words("image deploy/web nginx=nginx:1.16.1 side=busybox"))
            .unwrap()
            .unwrap();
        assert_eq!(s.targets[0].name.as_deref(), Some("web"));
        assert_eq!(
            s.images,
            vec![
                ("nginx".to_string(), "nginx:1.16.1".to_string()),
                ("side".to_string(), "busybox".to_string())
            ]
        );
        let s = parse_set(&words("image deploy web nginx=x"))
            .unwrap()
            .unwrap();
        assert_eq!(s.targets[0].name.as_deref(), Some("web"));
        assert!(parse_set(&words("image")).is_err());
    }
}
