//! `kubectl describe deployment|replicaset`: gathers what `DeploymentDescriber` and
//! `ReplicaSetDescriber` fetch (owned ReplicaSets split old/new, pod phases, events) and hands it
//! to the kubectl crate's printers.

use podplay_api::types::{Event, OtherObject};
use podplay_kubectl::command;
use podplay_kubectl::printers::messages;
use podplay_kubectl::printers::workloads::{self, PodPhaseCounts};
use podplay_kubectl::resource::Kind;
use serde_json::Value;

use crate::controllers::deployment::template_ignoring_hash;
use crate::controllers::selector_matches;
use crate::simulation::Simulation;

impl Simulation {
    /// Objects of `kind` a describe target names: the exact name when it exists, otherwise every
    /// object whose name starts with it (kubectl describe's fallback), or all with a selector.
    fn describe_targets(
        &self,
        kind: &str,
        t: &command::Target,
        d: &command::Describe,
    ) -> Vec<&OtherObject> {
        let ns = d.scope.namespace_or_default();
        let in_scope: Vec<&OtherObject> = self
            .cl
            .store
            .others
            .iter()
            .filter(|((k, n, _), _)| k == kind && (d.scope.all_namespaces || n == ns))
            .map(|(_, o)| o)
            .filter(|o| d.selector.matches(&o.metadata.labels))
            .collect();
        match t.name.as_deref() {
            None => in_scope,
            Some(name) => {
                let exact: Vec<&OtherObject> = in_scope
                    .iter()
                    .copied()
                    .filter(|o| o.metadata.name() == name)
                    .collect();
                if !exact.is_empty() {
                    return exact;
                }
                in_scope
                    .into_iter()
                    .filter(|o| o.metadata.name().starts_with(name))
                    .collect()
            }
        }
    }

    fn events_of<'a>(&'a self, kind: &'a str, o: &'a OtherObject) -> Vec<&'a Event> {
        self.cl
            .recorder
            .for_object(kind, o.metadata.namespace(), o.metadata.name())
            .collect()
    }

    /// `deploymentutil.GetAllReplicaSets`: the ReplicaSets the Deployment controls, oldest first
    /// (creation time, then name); the new one is the oldest whose template equals the
    /// Deployment's ignoring the pod-template-hash label; the others are all old ones.
    fn replica_sets_of<'a>(
        &'a self,
        d: &OtherObject,
    ) -> (Vec<&'a OtherObject>, Option<&'a OtherObject>) {
        let uid = d.metadata.uid.as_deref().unwrap_or_default();
        let mut owned: Vec<&OtherObject> = self
            .cl
            .store
            .others
            .iter()
            .filter(|((k, n, _), _)| k == "ReplicaSet" && n == d.metadata.namespace())
            .map(|(_, o)| o)
            .filter(|o| {
                o.metadata
                    .owner_references
                    .iter()
                    .any(|r| r.controller == Some(true) && r.uid == uid)
            })
            .collect();
        owned.sort_by(|a, b| {
            let t = |o: &OtherObject| o.metadata.creation_timestamp.map_or(0, |t| t.0);
            t(a).cmp(&t(b))
                .then_with(|| a.metadata.name().cmp(b.metadata.name()))
        });
        let template = |o: &OtherObject| {
            template_ignoring_hash(
                o.body
                    .get("spec")
                    .and_then(|s| s.get("template"))
                    .unwrap_or(&Value::Null),
            )
        };
        let want = template(d);
        let new = owned.iter().copied().find(|rs| template(rs) == want);
        let new_name = new.map(|n| n.metadata.name().to_string());
        let old = owned
            .into_iter()
            .filter(|rs| Some(rs.metadata.name()) != new_name.as_deref())
            .collect();
        (old, new)
    }

    /// `getPodStatusForController`: pods matching the selector whose controller is `rs`.
    fn pod_phases_of(&self, rs: &OtherObject) -> PodPhaseCounts {
        let uid = rs.metadata.uid.as_deref().unwrap_or_default();
        let selector = rs
            .body
            .get("spec")
            .and_then(|s| s.get("selector"))
            .cloned()
            .unwrap_or(Value::Null);
        let mut c = PodPhaseCounts::default();
        for p in self.cl.store.pods.values() {
            if p.metadata.namespace() != rs.metadata.namespace()
                || !selector_matches(&selector, &p.metadata.labels)
                || !p
                    .metadata
                    .owner_references
                    .iter()
                    .any(|r| r.controller == Some(true) && r.uid == uid)
            {
                continue;
            }
            match p.status.as_ref().and_then(|s| s.phase.as_deref()) {
                Some("Running") => c.running += 1,
                Some("Pending") => c.waiting += 1,
                Some("Succeeded") => c.succeeded += 1,
                Some("Failed") => c.failed += 1,
                _ => {}
            }
        }
        c
    }

    /// Describes the Deployments or ReplicaSets a target names; true when `t` was one of them.
    pub(crate) fn describe_workloads(
        &self,
        t: &command::Target,
        d: &command::Describe,
        out: &mut Vec<String>,
        stderr: &mut String,
    ) -> bool {
        let now = self.now();
        let kind = match t.kind {
            Kind::Deployment => "Deployment",
            Kind::ReplicaSet => "ReplicaSet",
            _ => return false,
        };
        let found = self.describe_targets(kind, t, d);
        if found.is_empty() {
            if let Some(n) = &t.name {
                stderr.push_str(&messages::not_found(t.kind, n));
            }
            return true;
        }
        for o in found {
            let events = self.events_of(kind, o);
            let events = d.show_events.then_some(events.as_slice());
            let text = if kind == "Deployment" {
                let (old, new) = self.replica_sets_of(o);
                workloads::describe_deployment(o, &old, new, events, now)
            } else {
                workloads::describe_replica_set(o, self.pod_phases_of(o), events, now)
            };
            out.push(text);
        }
        true
    }
}
