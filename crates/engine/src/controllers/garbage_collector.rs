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
