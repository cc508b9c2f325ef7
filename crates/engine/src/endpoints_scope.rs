//! Which Services a settle step's pod changes can concern, so the endpoints controller
//! recomputes only those. The real controller's pod handler (`getPodServiceMemberships`)
//! enqueues the Services whose selector matches the pod now or matched it before; here "before"
//! is the set of pods each Service's last computation took as endpoints. A Service whose object
//! changed since (its resourceVersion), or that was never computed, is always recomputed; a
//! full pass (a Service written, a pod removed) still recomputes every Service.

use podplay_api::types::Service;
use std::collections::{BTreeMap, BTreeSet};

use crate::store::{Key, Store};

#[derive(Debug, Clone, Default)]
pub struct EndpointsScope {
    /// Pods changed since the last endpoints pass.
    pub changed: BTreeSet<Key>,
    /// Per Service: its resourceVersion and the pods it listed at its last computation.
    last: BTreeMap<Key, (Option<String>, BTreeSet<Key>)>,
}

impl EndpointsScope {
    /// True when none of the `changed` pods can alter `svc`'s endpoints: none is in its
    /// namespace and selected by it now, none was one of its endpoints, and the Service itself
    /// is as it was at its last computation.
    pub fn unaffected(&self, svc: &Service, store: &Store) -> bool {
        let key = crate::store::key_of(&svc.metadata);
        let Some((rv, members)) = self.last.get(&key) else {
            return false;
        };
        if rv != &svc.metadata.resource_version {
            return false;
        }
        self.changed.iter().all(|k| {
            k.0 != key.0
                || (!members.contains(k)
                    && !store.pods.get(k).is_some_and(|p| {
                        svc.spec
                            .selector
                            .iter()
                            .all(|(l, v)| p.metadata.labels.get(l) == Some(v))
                    }))
        })
    }

    /// What `svc`'s computation listed (ready and not-ready addresses' pods).
    pub fn computed(&mut self, svc: &Service, members: BTreeSet<Key>) {
        self.last.insert(
            crate::store::key_of(&svc.metadata),
            (svc.metadata.resource_version.clone(), members),
        );
    }
}
