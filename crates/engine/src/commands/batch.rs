//! kubectl commands for Jobs and CronJobs: `get` rows, `describe`, `create job` (from an image or
//! `--from=cronjob/X`) and `create cronjob`.

use podplay_api::types::{ObjectMeta, OtherObject, OwnerReference};
use podplay_kubectl::command::{self, OutputFormat};
use podplay_kubectl::create_batch::{job_from_cron_job, CreateCronJob, CreateJob};
use podplay_kubectl::printers::batch as printers;
use podplay_kubectl::printers::get::Row;
use podplay_kubectl::printers::messages;
use podplay_kubectl::resource::Kind;
use podplay_kubectl::selector::LabelSelector;
use serde_json::Value;

use super::CommandOutput;
use crate::simulation::Simulation;

fn other_from_manifest(v: &Value, ns: &str) -> OtherObject {
    let meta: ObjectMeta = v
        .get("metadata")
        .and_then(|m| podplay_api::yaml::from_json(m).ok())
        .unwrap_or_default();
    let mut body = serde_json::Map::new();
    if let Some(spec) = v.get("spec") {
        body.insert("spec".into(), spec.clone());
    }
    OtherObject {
        api_version: "batch/v1".into(),
        kind: v
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("Job")
            .to_string(),
        metadata: ObjectMeta {
            namespace: Some(ns.to_string()),
            ..meta
        },
        body,
    }
}

/// The object as the API returns it: apiVersion, kind, metadata, spec, status.
pub(super) fn other_to_value(o: &OtherObject) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("apiVersion".into(), Value::String(o.api_version.clone()));
    m.insert("kind".into(), Value::String(o.kind.clone()));
    m.insert(
        "metadata".into(),
        serde_json::to_value(&o.metadata).unwrap_or(Value::Null),
    );
    for (k, v) in &o.body {
        m.insert(k.clone(), v.clone());
    }
    Value::Object(m)
}

impl Simulation {
    pub(super) fn batch_rows(
        &self,
        kind: Kind,
        scope: &command::Scope,
        name: Option<&str>,
        g: &command::Get,
    ) -> Vec<Row> {
        let now = self.now();
        let ns = scope.namespace_or_default();
        self.cl
            .store
            .others
            .iter()
            .filter(|((k, n, nm), o)| {
                k == kind.name()
                    && (scope.all_namespaces || n == ns)
                    && name.is_none_or(|w| w == nm)
                    && g.selector.matches(&o.metadata.labels)
            })
            .map(|(_, o)| match kind {
                Kind::CronJob => printers::cron_job_row(&o.metadata, &o.body, now),
                _ => printers::job_row(&o.metadata, &o.body, now),
            })
            .collect()
    }

    pub(super) fn describe_batch(
        &self,
        t: &command::Target,
        scope: &command::Scope,
        selector: &LabelSelector,
        out: &mut Vec<String>,
        stderr: &mut String,
    ) {
        let now = self.now();
        let ns = scope.namespace_or_default().to_string();
        let exact = t.name.as_deref().is_some_and(|w| {
            self.cl.store.others.contains_key(&(
                t.kind.name().to_string(),
                ns.clone(),
                w.to_string(),
            ))
        });
        let before = out.len();
        for ((k, n, name), o) in &self.cl.store.others {
            let name_ok = match t.name.as_deref() {
                None => true,
                Some(w) if exact => w == name,
                Some(w) => name.starts_with(w),
            };
            if k != t.kind.name()
                || !(scope.all_namespaces || *n == ns)
                || !name_ok
                || !selector.matches(&o.metadata.labels)
            {
                continue;
            }
            let events: Vec<_> = self.cl.recorder.for_object(k, n, name).collect();
            out.push(match t.kind {
                Kind::CronJob => printers::describe_cron_job(&o.metadata, &o.body, &events, now),
                _ => printers::describe_job(&o.metadata, &o.body, &events, now),
            });
        }
        if out.len() == before {
            if let Some(n) = &t.name {
                stderr.push_str(&messages::not_found(t.kind, n));
            }
        }
    }

    fn create_batch(
        &mut self,
        kind: Kind,
        manifest: Value,
        ns: &str,
        output: &OutputFormat,
        dry_run: Option<&str>,
    ) -> CommandOutput {
        let name = manifest
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let qualified = kind.qualified_singular();
        if dry_run == Some("client") {
            return match output {
                OutputFormat::Yaml => CommandOutput::ok(crate::yaml_out::to_yaml(&manifest)),
                OutputFormat::Json => CommandOutput::ok(
                    serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n",
                ),
                OutputFormat::Name => CommandOutput::ok(format!("{qualified}/{name}\n")),
                _ => CommandOutput::ok(format!("{qualified}/{name} created (dry run)\n")),
            };
        }
        if !self.cl.store.namespace_exists(ns) {
            return CommandOutput::err(format!(
                "error: failed to create {}: namespaces \"{ns}\" not found\n",
                kind.singular()
            ));
        }
        let key = (kind.name().to_string(), ns.to_string(), name.clone());
        if self.cl.store.others.contains_key(&key) {
            return CommandOutput::err(format!(
                "error: failed to create {}: {} \"{name}\" already exists\n",
                kind.singular(),
                kind.qualified_plural()
            ));
        }
        let mut obj = other_from_manifest(&manifest, ns);
        let now = self.now();
        let created = match kind {
            Kind::Job => self.create_job_object(&mut obj, now),
            _ => {
                self.cl.store.stamp_create(&mut obj.metadata, now);
                crate::controllers::batch::prepare_for_create(&mut obj).map(|_| {
                    self.cl.store.others.insert(key.clone(), obj.clone());
                    self.sync_cron_job(&key);
                })
            }
        };
        if let Err(e) = created {
            return CommandOutput::err(format!(
                "error: failed to create {}: {e}\n",
                kind.singular()
            ));
        }
        self.dirty_workloads = true;
        let stdout = match output {
            OutputFormat::Name => format!("{qualified}/{name}\n"),
            OutputFormat::Yaml | OutputFormat::Json => {
                let v = self
                    .cl
                    .store
                    .others
                    .get(&key)
                    .map(other_to_value)
                    .unwrap_or(Value::Null);
                if *output == OutputFormat::Json {
                    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
                } else {
                    crate::yaml_out::to_yaml(&v)
                }
            }
            _ => format!("{qualified}/{name} created\n"),
        };
        CommandOutput::ok(stdout)
    }

    pub(super) fn kubectl_create_job(&mut self, c: &CreateJob) -> CommandOutput {
        let ns = c.scope.namespace_or_default().to_string();
        let manifest = match &c.from_cron_job {
            None => c.manifest(),
            Some(cj) => {
                let key = ("CronJob".to_string(), ns.clone(), cj.clone());
                let Some(o) = self.cl.store.others.get(&key) else {
                    return CommandOutput::err(messages::not_found(Kind::CronJob, cj));
                };
                let v = other_to_value(o);
                let mut m = job_from_cron_job(&c.name, &v);
                // The owner reference kubectl writes (no blockOwnerDeletion).
                let owner = OwnerReference {
                    api_version: "batch/v1".into(),
                    kind: "CronJob".into(),
                    name: cj.clone(),
                    uid: o.metadata.uid.clone().unwrap_or_default(),
                    controller: Some(true),
                    block_owner_deletion: None,
                };
                m["metadata"]["ownerReferences"] =
                    serde_json::to_value(vec![owner]).unwrap_or(Value::Null);
                m
            }
        };
        self.create_batch(Kind::Job, manifest, &ns, &c.output, c.dry_run.as_deref())
    }

    pub(super) fn kubectl_create_cron_job(&mut self, c: &CreateCronJob) -> CommandOutput {
        let ns = c.scope.namespace_or_default().to_string();
        self.create_batch(
            Kind::CronJob,
            c.manifest(),
            &ns,
            &c.output,
            c.dry_run.as_deref(),
        )
    }
}
