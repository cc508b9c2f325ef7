//! `kubectl create job` and `kubectl create cronjob` (kubectl 1.32 create_job.go,
//! create_cronjob.go): flags, validation messages, and the manifests they send.

use serde_json::{json, Value};

use crate::command::{dry_run, output_format, scope, CommandError, OutputFormat, Scope};
use crate::flagparse;
use crate::flags::{Flag, FlagKind, GLOBAL};

const fn value(long: &'static str, short: Option<char>, default: &'static str) -> Flag {
    Flag {
        long,
        short,
        kind: FlagKind::Value,
        default,
    }
}
const fn boolean(long: &'static str, default: &'static str) -> Flag {
    Flag {
        long,
        short: None,
        kind: FlagKind::Bool,
        default,
    }
}

pub const CREATE_JOB: &[Flag] = &[
    boolean("allow-missing-template-keys", "true"),
    Flag {
        long: "dry-run",
        short: None,
        kind: FlagKind::OptionalValue,
        default: "none",
    },
    value("field-manager", None, "kubectl-create"),
    value("from", None, ""),
    value("image", None, ""),
    value("output", Some('o'), ""),
    boolean("save-config", "false"),
    boolean("show-managed-fields", "false"),
    value("template", None, ""),
    value("validate", None, "strict"),
];

pub const CREATE_CRONJOB: &[Flag] = &[
    boolean("allow-missing-template-keys", "true"),
    Flag {
        long: "dry-run",
        short: None,
        kind: FlagKind::OptionalValue,
        default: "none",
    },
    value("field-manager", None, "kubectl-create"),
    value("image", None, ""),
    value("output", Some('o'), ""),
    value("restart", None, ""),
    boolean("save-config", "false"),
    value("schedule", None, ""),
    boolean("show-managed-fields", "false"),
    value("template", None, ""),
    value("validate", None, "strict"),
];

/// `kubectl create job NAME (--image=I [-- CMD...] | --from=cronjob/X)`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateJob {
    pub name: String,
    pub image: Option<String>,
    /// The CronJob named by `--from=cronjob/NAME` (or `cj/NAME`, `cronjobs.batch/NAME`).
    pub from_cron_job: Option<String>,
    pub command: Vec<String>,
    pub scope: Scope,
    pub output: OutputFormat,
    pub dry_run: Option<String>,
}

/// `kubectl create cronjob NAME --image=I --schedule=S [--restart=R] [-- CMD...]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateCronJob {
    pub name: String,
    pub image: String,
    pub schedule: String,
    pub restart: String,
    pub command: Vec<String>,
    pub scope: Scope,
    pub output: OutputFormat,
    pub dry_run: Option<String>,
}

fn plain(msg: &str) -> CommandError {
    CommandError {
        stderr: format!("error: {msg}\n"),
        exit_code: 1,
    }
}

fn usage_hint(cmd: &str, msg: &str) -> CommandError {
    CommandError {
        stderr: format!("error: {msg}\nSee 'kubectl {cmd} -h' for help and examples\n"),
        exit_code: 1,
    }
}

fn usage(cmd: &str, msg: &str) -> CommandError {
    CommandError {
        stderr: format!("Error: {msg}\nSee 'kubectl {cmd} --help' for usage.\n"),
        exit_code: 1,
    }
}

/// NAME and the command after `--` (cobra's ArgsLenAtDash split).
fn name_and_command(
    cmd: &str,
    p: &flagparse::Parsed,
) -> Result<(String, Vec<String>), CommandError> {
    let at = p.args_len_at_dash.unwrap_or(p.positional.len());
    let names = &p.positional[..at.min(p.positional.len())];
    if names.len() != 1 {
        return Err(usage_hint(
            cmd,
            &format!("exactly one NAME is required, got {}", names.len()),
        ));
    }
    Ok((
        names[0].clone(),
        p.positional[at.min(p.positional.len())..].to_vec(),
    ))
}

pub fn parse_create_job(args: &[String]) -> Result<CreateJob, CommandError> {
    let cmd = "create job";
    let p = flagparse::parse(args, &[CREATE_JOB, GLOBAL]).map_err(|m| usage(cmd, &m))?;
    let (name, command) = name_and_command(cmd, &p)?;
    let image = p.last("image").filter(|s| !s.is_empty()).map(String::from);
    let from = p.last("from").filter(|s| !s.is_empty()).map(String::from);
    if image.is_none() == from.is_none() {
        return Err(plain("either --image or --from must be specified"));
    }
    if !command.is_empty() && from.is_some() {
        return Err(plain("cannot specify --from and command"));
    }
    let from_cron_job = match from {
        None => None,
        Some(f) => {
            let (kind, n) = f.split_once('/').unwrap_or((f.as_str(), ""));
            if !matches!(
                kind,
                "cronjob" | "cronjobs" | "cj" | "cronjob.batch" | "cronjobs.batch"
            ) {
                return Err(plain(&format!("from must be an existing cronjob: {f}")));
            }
            if n.is_empty() {
                return Err(plain(
                    "arguments in resource/name form must have a single resource and name",
                ));
            }
            Some(n.to_string())
        }
    };
    Ok(CreateJob {
        name,
        image,
        from_cron_job,
        command,
        scope: scope(&p),
        output: output_format(p.last("output"))?,
        dry_run: dry_run(&p)?,
    })
}

pub fn parse_create_cron_job(args: &[String]) -> Result<CreateCronJob, CommandError> {
    let cmd = "create cronjob";
    let p = flagparse::parse(args, &[CREATE_CRONJOB, GLOBAL]).map_err(|m| usage(cmd, &m))?;
    // cobra checks required flags before the command runs (in the order they were marked).
    for f in ["image", "schedule"] {
        if !p.has(f) {
            return Err(plain(&format!("required flag(s) \"{f}\" not set")));
        }
    }
    let (name, command) = name_and_command(cmd, &p)?;
    let restart = match p.last("restart").unwrap_or("") {
        "" => "OnFailure".to_string(),
        r @ ("OnFailure" | "Never") => r.to_string(),
        r => {
            return Err(plain(&format!(
                "restart must be one of OnFailure, Never: {r}"
            )))
        }
    };
    Ok(CreateCronJob {
        name,
        image: p.last("image").unwrap_or("").to_string(),
        schedule: p.last("schedule").unwrap_or("").to_string(),
        restart,
        command,
        scope: scope(&p),
        output: output_format(p.last("output"))?,
        dry_run: dry_run(&p)?,
    })
}

fn container(name: &str, image: &str, command: &[String]) -> Value {
    let mut c = json!({"image": image, "name": name, "resources": {}});
    if !command.is_empty() {
        c["command"] = json!(command);
    }
    c
}

impl CreateJob {
    /// `createJob`: the Job kubectl sends for `--image` (restartPolicy Never).
    pub fn manifest(&self) -> Value {
        json!({
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {"name": self.name},
            "spec": {"template": {"metadata": {}, "spec": {
                "containers": [container(&self.name, self.image.as_deref().unwrap_or(""), &self.command)],
                "restartPolicy": "Never",
            }}},
        })
    }
}

/// `createJobFromCronJob`: the CronJob's jobTemplate, annotated as a manual run and owned by
/// the CronJob (which then sees a Job it did not create).
pub fn job_from_cron_job(name: &str, cron_job: &Value) -> Value {
    let tpl = cron_job
        .pointer("/spec/jobTemplate")
        .cloned()
        .unwrap_or(Value::Null);
    let mut annotations = tpl
        .pointer("/metadata/annotations")
        .cloned()
        .filter(Value::is_object)
        .unwrap_or(json!({}));
    annotations["cronjob.kubernetes.io/instantiate"] = json!("manual");
    let mut meta = json!({"name": name, "annotations": annotations});
    if let Some(l) = tpl.pointer("/metadata/labels").filter(|v| v.is_object()) {
        meta["labels"] = l.clone();
    }
    meta["ownerReferences"] = json!([{
        "apiVersion": "batch/v1", "kind": "CronJob",
        "name": cron_job.pointer("/metadata/name").cloned().unwrap_or(Value::Null),
        "uid": cron_job.pointer("/metadata/uid").cloned().unwrap_or(Value::Null),
        "controller": true,
    }]);
    json!({
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": meta,
        "spec": tpl.get("spec").cloned().unwrap_or(json!({})),
    })
}

impl CreateCronJob {
    /// `createCronJob`: jobTemplate named after the CronJob, restartPolicy from --restart.
    pub fn manifest(&self) -> Value {
        json!({
            "apiVersion": "batch/v1",
            "kind": "CronJob",
            "metadata": {"name": self.name},
            "spec": {
                "jobTemplate": {"metadata": {"name": self.name}, "spec": {"template": {"metadata": {}, "spec": {
                    "containers": [container(&self.name, &self.image, &self.command)],
                    "restartPolicy": self.restart,
                }}}},
                "schedule": self.schedule,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn create_job_takes_the_command_after_the_dash() {
        let j =
            parse_create_job(&words("myjob --image=busybox -- sh -c true")).map_err(|e| e.stderr);
        let j = j.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(j.name, "myjob");
        assert_eq!(j.command, words("sh -c true"));
        let m = j.manifest();
        assert_eq!(m["spec"]["template"]["spec"]["restartPolicy"], "Never");
        assert_eq!(
            m["spec"]["template"]["spec"]["containers"][0]["name"],
            "myjob"
        );
    }

    #[test]
    fn create_job_errors_are_kubectls() {
        let e = |s: &str| parse_create_job(&words(s)).err().map(|e| e.stderr);
        assert_eq!(
            e("x").as_deref(),
            Some("error: either --image or --from must be specified\n")
        );
        assert_eq!(
            e("--image=b").as_deref(),
            Some("error: exactly one NAME is required, got 0\nSee 'kubectl create job -h' for help and examples\n")
        );
        assert_eq!(
            e("x --image=b --from=cronjob/y").as_deref(),
            Some("error: either --image or --from must be specified\n")
        );
        assert_eq!(
            parse_create_job(&words("x --from=cronjob/y"))
                .ok()
                .and_then(|j| j.from_cron_job)
                .as_deref(),
            Some("y")
        );
    }

    #[test]
    fn create_cronjob_requires_image_and_schedule_and_defaults_to_on_failure() {
        let e = |s: &str| parse_create_cron_job(&words(s)).err().map(|e| e.stderr);
        assert_eq!(
            e("c --image=b").as_deref(),
            Some("error: required flag(s) \"schedule\" not set\n")
        );
        assert_eq!(
            e("c --schedule=x").as_deref(),
            Some("error: required flag(s) \"image\" not set\n")
        );
        let mut args = words("hello --image=busybox -- date");
        args.insert(1, "--schedule=*/1 * * * *".into());
        let c = parse_create_cron_job(&args).unwrap_or_else(|e| panic!("{}", e.stderr));
        let m = c.manifest();
        assert_eq!(m["spec"]["schedule"], "*/1 * * * *");
        assert_eq!(m["spec"]["jobTemplate"]["metadata"]["name"], "hello");
        assert_eq!(
            m["spec"]["jobTemplate"]["spec"]["template"]["spec"]["restartPolicy"],
            "OnFailure"
        );
    }
}
