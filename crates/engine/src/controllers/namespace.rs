//! Namespaces: `kubectl create namespace`, and deletion as the namespace controller does it —
//! the namespace turns `Terminating`, everything in it is deleted (owners first, pods gracefully),
//! and the namespace is gone once its last pod is.

use podplay_api::types::{Namespace, NamespaceStatus, ObjectMeta, Time};
use podplay_kubectl::printers::messages;
use podplay_kubectl::resource::Kind;

use crate::commands::CommandOutput;
use crate::simulation::Simulation;

/// Namespaces the apiserver refuses to delete.
const IMMORTAL: &[&str] = &["default", "kube-system", "kube-public"];

impl Simulation {
    pub(crate) fn namespace_terminating(&self, ns: &str) -> bool {
        self.cl
            .store
            .namespaces
            .get(ns)
            .is_some_and(|n| n.metadata.deletion_timestamp.is_some())
    }

    /// `kubectl create namespace NAME`.
    pub(crate) fn kubectl_create_namespace(&mut self, args: &[String]) -> CommandOutput {
        let mut dry_run = false;
        for a in args.iter().filter(|a| a.starts_with('-')) {
            match a.as_str() {
                "--dry-run=client" | "--dry-run=server" | "--dry-run" => dry_run = true,
                "--dry-run=none" => {}
                s => {
                    return CommandOutput::err(format!(
                    "error: unknown flag: {}\nSee 'kubectl create namespace --help' for usage.\n",
                    s.split('=').next().unwrap_or(s)
                ))
                }
            }
        }
        let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        let [name] = names.as_slice() else {
            return CommandOutput::err(
                "error: exactly one NAME is required, got ".to_string()
                    + &names.len().to_string()
                    + "\nSee 'kubectl create namespace -h' for help and examples\n",
            );
        };
        if self.cl.store.namespaces.contains_key(name.as_str()) {
            return CommandOutput::err(format!(
                "Error from server (AlreadyExists): namespaces \"{name}\" already exists\n"
            ));
        }
        if dry_run {
            return CommandOutput::ok(format!("namespace/{name} created (dry run)\n"));
        }
        let now = self.now();
        let mut n = Namespace {
            api_version: Some("v1".into()),
            kind: Some("Namespace".into()),
            metadata: ObjectMeta {
                name: Some(name.to_string()),
                ..Default::default()
            },
            ..Default::default()
        };
        n.metadata
            .labels
            .insert("kubernetes.io/metadata.name".into(), name.to_string());
        n.status = Some(NamespaceStatus {
            phase: Some("Active".into()),
            ..Default::default()
        });
        self.cl.store.stamp_create(&mut n.metadata, now);
        self.cl.store.namespaces.insert(name.to_string(), n);
        CommandOutput::ok(format!("namespace/{name} created\n"))
    }

    /// `kubectl delete namespace NAME`: the apiserver marks it; the controller empties it.
    pub(crate) fn delete_namespace(&mut self, name: &str) -> Result<String, String> {
        if IMMORTAL.contains(&name) {
            return Err(format!("Error from server (Forbidden): namespaces \"{name}\" is forbidden: this namespace may not be deleted\n"));
        }
        let now = self.now();
        let Some(n) = self.cl.store.namespaces.get_mut(name) else {
            return Err(messages::not_found(Kind::Namespace, name));
        };
        if n.metadata.deletion_timestamp.is_none() {
            n.metadata.deletion_timestamp = Some(Time(now));
            n.metadata.deletion_grace_period_seconds = Some(0);
            n.status.get_or_insert_with(Default::default).phase = Some("Terminating".into());
            self.cl.store.versions.stamp(&mut n.metadata);
        }
        // The namespace controller reacts at once.
        self.reconcile_namespaces();
        Ok(messages::deleted(Kind::Namespace, name))
    }

    /// The namespace controller: empty each terminating namespace, remove it once empty.
    pub(crate) fn reconcile_namespaces(&mut self) {
        let terminating: Vec<String> = self
            .cl
            .store
            .namespaces
            .iter()
            .filter(|(_, n)| n.metadata.deletion_timestamp.is_some())
            .map(|(k, _)| k.clone())
            .collect();
        for ns in terminating {
            let others: Vec<(String, String, String)> = self
                .cl
                .store
                .others
                .keys()
                .filter(|(_, n, _)| *n == ns)
                .cloned()
                .collect();
            for k in others {
                self.delete_other_with_propagation(&k, "background");
            }
            let services: Vec<crate::store::Key> = self
                .cl
                .store
                .services
                .keys()
                .filter(|(n, _)| *n == ns)
                .cloned()
                .collect();
            for k in services {
                self.cl.store.services.remove(&k);
                self.cl.store.endpoints.remove(&k);
                self.emit_deleted_row("Service", &k.0, &k.1);
            }
            self.cl.store.endpoints.retain(|(n, _), _| *n != ns);
            self.cl.store.config_maps.retain(|(n, _), _| *n != ns);
            self.cl.store.secrets.retain(|(n, _), _| *n != ns);
            let pods: Vec<crate::store::Key> = self
                .cl
                .store
                .pods
                .iter()
                .filter(|((n, _), p)| *n == ns && p.metadata.deletion_timestamp.is_none())
                .map(|(k, _)| k.clone())
                .collect();
            for k in pods {
                self.delete_pod(&k, None, false);
            }
            let empty = !self.cl.store.pods.keys().any(|(n, _)| *n == ns)
                && !self.cl.store.others.keys().any(|(_, n, _)| *n == ns);
            if empty {
                self.cl.store.namespaces.remove(&ns);
            }
        }
    }
}
