//! The garbage collector (pkg/controller/garbagecollector), generic over ownerReferences: whatever
//! kind an owner is, its dependents (stored objects and pods whose ownerReferences name its uid)
//! follow the delete's propagation policy:
//! - `background` (kubectl's default): the owner goes at once, then each dependent that has no
//!   other live owner is deleted the same way (pods gracefully); one that has keeps living with
//!   the dead owner's reference removed;
//! - `orphan`: the owner goes; dependents lose the reference and live on;
//! - `foreground`: the owner stays with a deletionTimestamp and the `foregroundDeletion`
//!   finalizer until its blocking dependents are gone, which are deleted first.

use podplay_api::types::{ObjectMeta, Time};

use crate::simulation::Simulation;

pub const FOREGROUND_FINALIZER: &str = "foregroundDeletion";

type OtherKey = (String, String, String);

fn owned_by(meta: &ObjectMeta, uid: &str) -> bool {
    meta.owner_references.iter().any(|r| r.uid == uid)
}

impl Simulation {
    fn uid_alive(&self, uid: &str) -> bool {
        self.cl.store.others.values().any(|o| {
            o.metadata.uid.as_deref() == Some(uid) && o.metadata.deletion_timestamp.is_none()
        }) || self.cl.store.pod_by_uid(uid).is_some()
    }

    /// Deletes a stored object (any kind kept as `Object::Other`) with a propagation policy.
    /// False when there is no such object.
    pub(crate) fn delete_other_with_propagation(&mut self, key: &OtherKey, cascade: &str) -> bool {
        let Some(obj) = self.cl.store.others.get(key).cloned() else {
            return false;
        };
        let uid = obj.metadata.uid.clone().unwrap_or_default();
        match cascade {
            "orphan" => {
                self.cl.store.others.remove(key);
                self.emit_deleted_row(&key.0, &key.1, &key.2);
                self.orphan_dependents(&uid);
            }
            "foreground" => {
                let now = self.now();
                if let Some(o) = self.cl.store.others.get_mut(key) {
                    if o.metadata.deletion_timestamp.is_none() {
                        o.metadata.deletion_timestamp = Some(Time(now));
                        o.metadata.deletion_grace_period_seconds = Some(0);
                    }
                    if !o
                        .metadata
                        .finalizers
                        .iter()
                        .any(|f| f == FOREGROUND_FINALIZER)
                    {
                        o.metadata.finalizers.push(FOREGROUND_FINALIZER.into());
                    }
                    self.cl.store.versions.stamp(&mut o.metadata);
                }
                self.delete_dependents(&uid, "foreground");
                self.finish_foreground_deletions();
            }
            _ => {
                self.cl.store.others.remove(key);
                self.emit_deleted_row(&key.0, &key.1, &key.2);
                self.delete_dependents(&uid, "background");
            }
        }
        true
    }

    /// Dependents lose their reference to `uid`.
    fn orphan_dependents(&mut self, uid: &str) {
        for o in self.cl.store.others.values_mut() {
            if owned_by(&o.metadata, uid) {
                o.metadata.owner_references.retain(|r| r.uid != uid);
                self.cl.store.versions.stamp(&mut o.metadata);
            }
        }
        let keys: Vec<crate::store::Key> = self
            .cl
            .store
            .pods
            .iter()
            .filter(|(_, p)| owned_by(&p.metadata, uid))
            .map(|(k, _)| k.clone())
            .collect();
        for k in keys {
            if let Some(p) = self.cl.store.pods.get_mut(&k) {
                p.metadata.owner_references.retain(|r| r.uid != uid);
                self.cl.store.versions.stamp(&mut p.metadata);
                self.cl.store.index_pod_owners(&k);
                self.cl.dirty.insert(k);
            }
        }
    }

    /// attemptToDeleteItem for each dependent of a deleted owner.
    fn delete_dependents(&mut self, uid: &str, policy: &str) {
        let others: Vec<OtherKey> = self
            .cl
            .store
            .others
            .iter()
            .filter(|(_, o)| owned_by(&o.metadata, uid))
            .map(|(k, _)| k.clone())
            .collect();
        for k in others {
            if self.still_has_live_owner(&k, uid) {
                continue;
            }
            self.delete_other_with_propagation(&k, policy);
        }
        let pods: Vec<crate::store::Key> = self
            .cl
            .store
            .pods
            .iter()
            .filter(|(_, p)| owned_by(&p.metadata, uid))
            .map(|(k, _)| k.clone())
            .collect();
        for k in pods {
            let others_alive = self.cl.store.pods.get(&k).is_some_and(|p| {
                p.metadata
                    .owner_references
                    .iter()
                    .any(|r| r.uid != uid && self.uid_alive(&r.uid))
            });
            if others_alive {
                if let Some(p) = self.cl.store.pods.get_mut(&k) {
                    p.metadata.owner_references.retain(|r| r.uid != uid);
                    self.cl.store.versions.stamp(&mut p.metadata);
                    self.cl.store.index_pod_owners(&k);
                    self.cl.dirty.insert(k);
                }
                continue;
            }
            let deleting = self
                .cl
                .store
                .pods
                .get(&k)
                .is_some_and(|p| p.metadata.deletion_timestamp.is_some());
            if !deleting {
                self.delete_pod(&k, None, false);
            }
        }
    }

    /// A dependent with another owner still alive only loses the dead owner's reference.
    fn still_has_live_owner(&mut self, key: &OtherKey, dead: &str) -> bool {
        let Some(o) = self.cl.store.others.get(key) else {
            return false;
        };
        let alive = o
            .metadata
            .owner_references
            .iter()
            .any(|r| r.uid != dead && self.uid_alive(&r.uid));
        if alive {
            if let Some(o) = self.cl.store.others.get_mut(key) {
                o.metadata.owner_references.retain(|r| r.uid != dead);
                self.cl.store.versions.stamp(&mut o.metadata);
            }
        }
        alive
    }

    /// Owners deleted in the foreground go once no dependent that blocks them is left.
    pub(crate) fn finish_foreground_deletions(&mut self) {
        if !self
            .cl
            .store
            .others
            .values()
            .any(|o| o.metadata.deletion_timestamp.is_some())
        {
            return;
        }
        loop {
            let done: Option<OtherKey> = self
                .cl
                .store
                .others
                .iter()
                .filter(|(_, o)| {
                    o.metadata
                        .finalizers
                        .iter()
                        .any(|f| f == FOREGROUND_FINALIZER)
                })
                .find(|(_, o)| {
                    let uid = o.metadata.uid.clone().unwrap_or_default();
                    let blocks = |m: &ObjectMeta| {
                        m.owner_references
                            .iter()
                            .any(|r| r.uid == uid && r.block_owner_deletion == Some(true))
                    };
                    !self.cl.store.others.values().any(|d| blocks(&d.metadata))
                        && !self.cl.store.pods.values().any(|p| blocks(&p.metadata))
                })
                .map(|(k, _)| k.clone());
            let Some(k) = done else { break };
            if self.cl.store.others.remove(&k).is_some() {
                self.emit_deleted_row(&k.0, &k.1, &k.2);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use podplay_api::types::{OtherObject, OwnerReference, Pod};

    fn widget(sim: &mut Simulation, name: &str) -> String {
        let mut meta = ObjectMeta {
            name: Some(name.into()),
            namespace: Some("default".into()),
            ..Default::default()
        };
        sim.cl.store.stamp_create(&mut meta, 0);
        let uid = meta.uid.clone().unwrap_or_default();
        sim.cl.store.others.insert(
            ("Widget".into(), "default".into(), name.into()),
            OtherObject {
                api_version: "example.com/v1".into(),
                kind: "Widget".into(),
                metadata: meta,
                body: Default::default(),
            },
        );
        uid
    }

    fn owned_pod(sim: &mut Simulation, name: &str, owners: &[&str]) {
        let mut p = Pod::default();
        p.metadata.name = Some(name.into());
        p.metadata.namespace = Some("default".into());
        p.metadata.owner_references = owners
            .iter()
            .map(|u| OwnerReference {
                api_version: "example.com/v1".into(),
                kind: "Widget".into(),
                name: "w".into(),
                uid: (*u).into(),
                controller: None,
                block_owner_deletion: None,
            })
            .collect();
        // Not bound to a node: deletion is immediate, which keeps the test about the GC alone.
        sim.cl.store.pods.insert(("default".into(), name.into()), p);
        sim.cl
            .store
            .index_pod_owners(&("default".into(), name.into()));
    }

    #[test]
    fn gc_is_generic_over_owner_kinds_and_spares_dependents_with_a_live_owner() {
        let mut sim = Simulation::new(1);
        let w = widget(&mut sim, "w");
        let other = widget(&mut sim, "other");
        owned_pod(&mut sim, "only-w", &[&w]);
        owned_pod(&mut sim, "both", &[&w, &other]);
        let key = ("Widget".to_string(), "default".to_string(), "w".to_string());
        assert!(sim.delete_other_with_propagation(&key, "background"));
        assert!(!sim.cl.store.others.contains_key(&key));
        let pods = &sim.cl.store.pods;
        assert!(!pods.contains_key(&("default".to_string(), "only-w".to_string())));
        let both = &pods[&("default".to_string(), "both".to_string())];
        assert_eq!(both.metadata.owner_references.len(), 1);
        assert_eq!(both.metadata.owner_references[0].uid, other);
    }

    #[test]
    fn dependents_of_dependents_follow_in_a_chain() {
        let mut sim = Simulation::new(1);
        let top = widget(&mut sim, "top");
        let mid = widget(&mut sim, "mid");
        if let Some(m) =
            sim.cl
                .store
                .others
                .get_mut(&("Widget".into(), "default".into(), "mid".into()))
        {
            m.metadata.owner_references.push(OwnerReference {
                api_version: "example.com/v1".into(),
                kind: "Widget".into(),
                name: "top".into(),
                uid: top.clone(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            });
        }
        owned_pod(&mut sim, "leaf", &[&mid]);
        let key = (
            "Widget".to_string(),
            "default".to_string(),
            "top".to_string(),
        );
        sim.delete_other_with_propagation(&key, "background");
        assert!(sim.cl.store.others.is_empty());
        assert!(sim.cl.store.pods.is_empty());
    }
}
