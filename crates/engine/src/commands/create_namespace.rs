//! `kubectl create namespace|ns NAME` (seed 001 recreates its namespace before each step).

use podplay_api::types::{Namespace, Object, ObjectMeta};

use super::CommandOutput;
use crate::simulation::Simulation;

impl Simulation {
    /// `words` are `create namespace NAME [--dry-run=...]`.
    pub(crate) fn kubectl_create_namespace(&mut self, words: &[String]) -> CommandOutput {
        let mut names = vec![];
        let mut dry_run = false;
        for w in words.iter().skip(2) {
            match w.as_str() {
                "--dry-run=client" | "--dry-run=server" | "--dry-run" => dry_run = true,
                "--dry-run=none" => {}
                s if s.starts_with('-') => {
                    return CommandOutput::err(format!(
                        "error: unknown flag: {}\nSee 'kubectl create namespace --help' for usage.",
                        s.split('=').next().unwrap_or(s)
                    ))
                }
                s => names.push(s.to_string()),
            }
        }
        let [name] = names.as_slice() else {
            return CommandOutput::err(if names.is_empty() {
                "error: exactly one NAME is required, got 0\nSee 'kubectl create namespace -h' for help and examples".into()
            } else {
                format!("error: exactly one NAME is required, got {}\nSee 'kubectl create namespace -h' for help and examples", names.len())
            });
        };
        if self.cl.store.namespaces.contains_key(name) {
            return CommandOutput::err(format!(
                "Error from server (AlreadyExists): namespaces \"{name}\" already exists"
            ));
        }
        if dry_run {
            return CommandOutput::ok(format!("namespace/{name} created (dry run)\n"));
        }
        let ns = Namespace {
            api_version: Some("v1".into()),
            kind: Some("Namespace".into()),
            metadata: ObjectMeta {
                name: Some(name.clone()),
                ..Default::default()
            },
            ..Default::default()
        };
        match self.apply_object(Object::Namespace(ns), "") {
            Ok(_) => CommandOutput::ok(format!("namespace/{name} created\n")),
            Err(e) => CommandOutput::err(e),
        }
    }
}
