//! An index of pods by owner: for every ownerReference uid, the keys of the pods that name it,
//! and under `""` the pods that have (or had) no controller. The ReplicaSet controller syncs once
//! per pod change that concerns it, and a scan of every pod in the cluster per sync made a
//! thousand-pod cluster quadratic; the informers' indexers are what real controllers use instead.
//!
//! The index is a *superset*: entries are added whenever a pod is created or its owners change,
//! and dropped when a pod is removed, but a stale entry (an owner released, a key reused) is
//! harmless because every reader re-checks the pod itself with the same predicate a full scan
//! used. Debug builds (the test suites) assert on every read that nothing a full scan would have
//! found is missing.

use podplay_api::types::Pod;
use std::collections::{BTreeMap, BTreeSet};

use crate::store::{Key, Store};

/// Where pods without a controller reference are indexed.
const ORPHANS: &str = "";

#[derive(Debug, Clone, Default)]
pub struct PodOwners {
    by_uid: BTreeMap<String, BTreeSet<Key>>,
}

impl PodOwners {
    /// Records `pod`'s current owners (adds only; see the module comment).
    pub fn add(&mut self, key: &Key, pod: &Pod) {
        let refs = &pod.metadata.owner_references;
        for r in refs {
            self.entry(&r.uid).insert(key.clone());
        }
        if !refs.iter().any(|r| r.controller == Some(true)) {
            self.entry(ORPHANS).insert(key.clone());
        }
    }

    /// A pod that now has a controller is no orphan any more (keeps the orphan set small).
    pub fn adopted(&mut self, key: &Key) {
        if let Some(s) = self.by_uid.get_mut(ORPHANS) {
            s.remove(key);
        }
    }

    /// A pod left the store: forget it everywhere, including under owners it no longer names
    /// (a released pod), so removed pods leave nothing behind. Owners are few; pods are many.
    pub fn remove(&mut self, key: &Key) {
        self.by_uid.retain(|_, s| {
            s.remove(key);
            !s.is_empty()
        });
    }

    fn entry(&mut self, uid: &str) -> &mut BTreeSet<Key> {
        self.by_uid.entry(uid.to_string()).or_default()
    }

    fn listed(&self, uid: &str) -> impl Iterator<Item = &Key> {
        self.by_uid.get(uid).into_iter().flatten()
    }
}

impl Store {
    /// Keys (in key order) of the pods that may reference one of `uids` as owner, or that may
    /// have no controller when `orphans`; callers filter them with their own predicate.
    pub fn pods_maybe_owned_by(&self, uids: &[&str], orphans: bool) -> Vec<&Key> {
        let mut out: Vec<&Key> = vec![];
        let mut sources = 0;
        for uid in uids.iter().copied().chain(orphans.then_some(ORPHANS)) {
            let before = out.len();
            out.extend(self.pod_owners.listed(uid));
            sources += usize::from(out.len() > before);
        }
        // Each set is in key order already; only a merge of several needs sorting.
        if sources > 1 {
            out.sort_unstable();
            out.dedup();
        }
        #[cfg(debug_assertions)]
        for (k, p) in &self.pods {
            let refs = &p.metadata.owner_references;
            let wanted = refs.iter().any(|r| uids.contains(&r.uid.as_str()))
                || (orphans && !refs.iter().any(|r| r.controller == Some(true)));
            debug_assert!(
                !wanted || out.contains(&k),
                "pod owner index misses {k:?}: a write to owner references did not re-index"
            );
        }
        out
    }

    /// Re-indexes the pod at `key` after its owner references changed (or it was created).
    pub fn index_pod_owners(&mut self, key: &Key) {
        if let Some(p) = self.pods.get(key) {
            self.pod_owners.add(key, p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use podplay_api::types::OwnerReference;

    fn pod(name: &str, owner: Option<&str>) -> (Key, Pod) {
        let mut p = Pod::default();
        p.metadata.name = Some(name.into());
        p.metadata.namespace = Some("default".into());
        p.metadata.owner_references = owner
            .map(|u| OwnerReference {
                api_version: "apps/v1".into(),
                kind: "ReplicaSet".into(),
                name: "rs".into(),
                uid: u.into(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            })
            .into_iter()
            .collect();
        (("default".into(), name.into()), p)
    }

    #[test]
    fn owner_index_lists_owned_pods_and_orphans_in_key_order() {
        let mut st = Store::new(1);
        for (name, owner) in [
            ("b", Some("u1")),
            ("a", Some("u1")),
            ("c", None),
            ("d", Some("u2")),
        ] {
            let (k, p) = pod(name, owner);
            st.pods.insert(k.clone(), p);
            st.index_pod_owners(&k);
        }
        let names = |s: Vec<&Key>| s.into_iter().map(|k| k.1.clone()).collect::<Vec<_>>();
        assert_eq!(names(st.pods_maybe_owned_by(&["u1"], false)), ["a", "b"]);
        assert_eq!(
            names(st.pods_maybe_owned_by(&["u1"], true)),
            ["a", "b", "c"]
        );
        assert_eq!(
            names(st.pods_maybe_owned_by(&["u1", "u2"], false)),
            ["a", "b", "d"]
        );
    }

    #[test]
    fn a_released_pod_is_indexed_as_an_orphan_and_a_removed_pod_is_forgotten() {
        let mut st = Store::new(1);
        let (k, p) = pod("a", Some("u1"));
        st.pods.insert(k.clone(), p);
        st.index_pod_owners(&k);
        if let Some(p) = st.pods.get_mut(&k) {
            p.metadata.owner_references.clear();
        }
        st.index_pod_owners(&k);
        assert!(st.pods_maybe_owned_by(&[], true).contains(&&k));
        st.pods.remove(&k);
        st.pod_owners.remove(&k);
        assert!(st.pods_maybe_owned_by(&["u1"], true).is_empty());
    }
}
