//! `kubectl annotate` (kubectl 1.32 `annotate.go`) on any stored object: pods (for example
//! `controller.kubernetes.io/pod-deletion-cost`, which the ReplicaSet controller reads when it
//! picks pods to delete), Deployments (`kubernetes.io/change-cause`, which the Deployment
//! controller copies to its new ReplicaSet), ReplicaSets, Services, nodes, namespaces...

use std::collections::BTreeMap;

use podplay_api::types::ObjectMeta;
use podplay_kubectl::command::Label;
use podplay_kubectl::printers::messages;
use podplay_kubectl::resource::Kind;

use super::CommandOutput;
use crate::simulation::Simulation;

/// The change-cause annotation is always overwritable (`validateNoAnnotationOverwrites`).
const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";

/// `validateNoAnnotationOverwrites`: without `--overwrite`, any new key the object already has
/// is an error, even with the same value. Go walks a map (random order); keys are sorted here.
pub fn overwrite_conflicts(
    existing: &BTreeMap<String, String>,
    set: &[(String, String)],
) -> Option<String> {
    let mut keys: Vec<&str> = set.iter().map(|(k, _)| k.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    let found: Vec<String> = keys
        .into_iter()
        .filter(|k| *k != CHANGE_CAUSE)
        .filter_map(|k| {
            existing
                .get(k)
                .map(|v| format!("'{k}' already has a value ({v})"))
        })
        .collect();
    if found.is_empty() {
        None
    } else {
        Some(format!(
            "error: --overwrite is false but found the following declared annotation(s): {}\n",
            found.join("; ")
        ))
    }
}

impl Simulation {
    /// The metadata of one stored object of `kind`, for writing.
    fn meta_mut(&mut self, kind: Kind, ns: &str, name: &str) -> Option<&mut ObjectMeta> {
        let key = (ns.to_string(), name.to_string());
        let s = &mut self.cl.store;
        match kind {
            Kind::Pod => s.pods.get_mut(&key).map(|o| &mut o.metadata),
            Kind::Service => s.services.get_mut(&key).map(|o| &mut o.metadata),
            Kind::Node => s.nodes.get_mut(name).map(|o| &mut o.metadata),
            Kind::Namespace => s.namespaces.get_mut(name).map(|o| &mut o.metadata),
            Kind::ConfigMap => s.config_maps.get_mut(&key).map(|o| &mut o.metadata),
            Kind::Secret => s.secrets.get_mut(&key).map(|o| &mut o.metadata),
            Kind::Endpoints => s.endpoints.get_mut(&key).map(|o| &mut o.metadata),
            other => s
                .others
                .get_mut(&(other.name().to_string(), ns.to_string(), name.to_string()))
                .map(|o| &mut o.metadata),
        }
    }

    /// Names of the objects of `kind` in `ns` (or cluster-wide) whose labels match.
    fn names_matching(&self, kind: Kind, ns: &str, l: &Label) -> Vec<String> {
        let s = &self.cl.store;
        let pick = |m: &ObjectMeta| {
            (!kind.namespaced() || l.scope.all_namespaces || m.namespace() == ns)
                && l.selector.matches(&m.labels)
        };
        let metas: Vec<&ObjectMeta> = match kind {
            Kind::Pod => s.pods.values().map(|o| &o.metadata).collect(),
            Kind::Service => s.services.values().map(|o| &o.metadata).collect(),
            Kind::Node => s.nodes.values().map(|o| &o.metadata).collect(),
            Kind::Namespace => s.namespaces.values().map(|o| &o.metadata).collect(),
            Kind::ConfigMap => s.config_maps.values().map(|o| &o.metadata).collect(),
            Kind::Secret => s.secrets.values().map(|o| &o.metadata).collect(),
            Kind::Endpoints => s.endpoints.values().map(|o| &o.metadata).collect(),
            other => s
                .others
                .iter()
                .filter(|((k, _, _), _)| k == other.name())
                .map(|(_, o)| &o.metadata)
                .collect(),
        };
        metas
            .into_iter()
            .filter(|m| pick(m))
            .map(|m| m.name().to_string())
            .collect()
    }

    pub(crate) fn kubectl_annotate(&mut self, l: &Label) -> CommandOutput {
        let ns = l.scope.namespace_or_default().to_string();
        let mut stdout = String::new();
        let mut stderr = String::new();
        if !l.filenames.is_empty() {
            return CommandOutput::err(
                "error: podplay does not annotate objects named by -f yet".into(),
            );
        }
        // Resolve every target first, as the builder does, so a missing object fails alone.
        let mut objects: Vec<(Kind, String)> = vec![];
        for t in &l.targets {
            match &t.name {
                Some(n) => objects.push((t.kind, n.clone())),
                None if l.all || !l.selector.is_empty() => objects.extend(
                    self.names_matching(t.kind, &ns, l)
                        .into_iter()
                        .map(|n| (t.kind, n)),
                ),
                None => {
                    return CommandOutput::err(
                        "error: resource(s) were provided, but no name was specified".into(),
                    )
                }
            }
        }
        for (kind, name) in objects {
            let obj_ns = if kind.namespaced() { ns.as_str() } else { "" };
            let Some(meta) = self.meta_mut(kind, obj_ns, &name) else {
                stderr.push_str(&messages::not_found(kind, &name));
                continue;
            };
            if l.list {
                for (k, v) in &meta.annotations {
                    stdout.push_str(&format!("{k}={v}\n"));
                }
                continue;
            }
            if !l.overwrite {
                if let Some(e) = overwrite_conflicts(&meta.annotations, &l.set) {
                    stderr.push_str(&e);
                    continue;
                }
            }
            let before = meta.annotations.clone();
            for (k, v) in &l.set {
                meta.annotations.insert(k.clone(), v.clone());
            }
            for k in &l.remove {
                meta.annotations.remove(k);
            }
            // A merge patch that changes nothing does not write (no new resourceVersion).
            if meta.annotations != before {
                // The object is borrowed out of the store; stamp it with the store's counter.
                let mut versions = std::mem::take(&mut self.cl.store.versions);
                if let Some(m) = self.meta_mut(kind, obj_ns, &name) {
                    versions.stamp(m);
                }
                self.cl.store.versions = versions;
                match kind {
                    Kind::Pod => {
                        self.cl.dirty.insert((obj_ns.to_string(), name.clone()));
                    }
                    Kind::Deployment | Kind::ReplicaSet => self.dirty_workloads = true,
                    _ => {}
                }
            }
            stdout.push_str(&messages::labeled(kind, &name, "annotated"));
        }
        if self.dirty_workloads {
            self.reconcile_workloads();
            self.dirty_workloads = false;
        }
        let exit = i32::from(!stderr.is_empty());
        CommandOutput {
            stdout,
            stderr,
            exit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotate_without_overwrite_rejects_an_existing_key_even_with_the_same_value() {
        let existing = BTreeMap::from([("a".to_string(), "1".to_string())]);
        assert_eq!(
            overwrite_conflicts(&existing, &[("a".into(), "1".into())]),
            Some("error: --overwrite is false but found the following declared annotation(s): 'a' already has a value (1)\n".into())
        );
        assert_eq!(
            overwrite_conflicts(&existing, &[("b".into(), "1".into())]),
            None
        );
    }

    #[test]
    fn change_cause_is_always_overwritable() {
        let existing = BTreeMap::from([(CHANGE_CAUSE.to_string(), "x".to_string())]);
        assert_eq!(
            overwrite_conflicts(&existing, &[(CHANGE_CAUSE.into(), "y".into())]),
            None
        );
    }
}
