//! The apiserver's object store: typed maps of what `kubectl get` can list, with uid,
//! resourceVersion and creationTimestamp assigned on write, the way the apiserver assigns them.
//! Controllers and kubelets read from here and write back; nothing else holds API state.

use podplay_api::time::Millis;
use podplay_api::types::{
    ConfigMap, Endpoints, Namespace, Node, ObjectMeta, OtherObject, Pod, Secret, Service, Time,
};
use std::collections::BTreeMap;

use crate::sim::rng::Stream;

/// (namespace, name); cluster-scoped objects use "".
pub type Key = (String, String);

pub fn key_of(meta: &ObjectMeta) -> Key {
    (
        meta.namespace.clone().unwrap_or_default(),
        meta.name.clone().unwrap_or_default(),
    )
}

#[derive(Debug, Clone)]
pub struct Store {
    pub pods: BTreeMap<Key, Pod>,
    pub services: BTreeMap<Key, Service>,
    pub endpoints: BTreeMap<Key, Endpoints>,
    pub nodes: BTreeMap<String, Node>,
    pub namespaces: BTreeMap<String, Namespace>,
    pub config_maps: BTreeMap<Key, ConfigMap>,
    pub secrets: BTreeMap<Key, Secret>,
    /// Kinds accepted but not simulated yet, by (kind, namespace, name).
    pub others: BTreeMap<(String, String, String), OtherObject>,
    pub versions: Versions,
    uids: Stream,
    /// Pods by owner uid (`pod_owners.rs`); re-index after writing owner references.
    pub(crate) pod_owners: crate::pod_owners::PodOwners,
}

/// etcd's revision: every write to any object gets the next number. A field of its own so a
/// writer can stamp an object it holds borrowed from one of the maps.
#[derive(Debug, Clone, Default)]
pub struct Versions {
    rv: u64,
}

impl Versions {
    pub fn stamp(&mut self, meta: &mut ObjectMeta) {
        self.rv += 1;
        meta.resource_version = Some(self.rv.to_string());
    }
}

impl Store {
    pub fn new(seed: u64) -> Store {
        Store {
            pods: BTreeMap::new(),
            services: BTreeMap::new(),
            endpoints: BTreeMap::new(),
            nodes: BTreeMap::new(),
            namespaces: BTreeMap::new(),
            config_maps: BTreeMap::new(),
            secrets: BTreeMap::new(),
            others: BTreeMap::new(),
            versions: Versions::default(),
            uids: Stream::new(seed, "uid"),
            pod_owners: Default::default(),
        }
    }

    /// Stamps an object being created: uid, creationTimestamp, resourceVersion.
    pub fn stamp_create(&mut self, meta: &mut ObjectMeta, now: Millis) {
        if meta.uid.is_none() {
            meta.uid = Some(self.new_uid());
        }
        meta.creation_timestamp = Some(Time(now));
        self.stamp_update(meta);
    }

    /// Every write bumps the global resourceVersion, as etcd's revision does.
    pub fn stamp_update(&mut self, meta: &mut ObjectMeta) {
        self.versions.stamp(meta);
    }

    pub fn resource_version(&self) -> u64 {
        self.versions.rv
    }

    /// A version-4 UUID from the seeded "uid" stream.
    pub fn new_uid(&mut self) -> String {
        let a = self.uids.next_u64();
        let b = self.uids.next_u64();
        let hex = format!("{a:016x}{b:016x}");
        format!(
            "{}-{}-4{}-{}{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[13..16],
            ["8", "9", "a", "b"][(b >> 62) as usize & 3],
            &hex[17..20],
            &hex[20..32]
        )
    }

    /// Whether any object of `kind` is stored among the untyped kinds: a range lookup on the
    /// (kind, namespace, name) keys, not a scan (the settle loop asks after every pod change).
    pub fn has_other_kind(&self, kind: &str) -> bool {
        self.others
            .range((kind.to_string(), String::new(), String::new())..)
            .next()
            .is_some_and(|((k, _, _), _)| k == kind)
    }

    pub fn namespace_exists(&self, ns: &str) -> bool {
        self.namespaces.contains_key(ns)
    }

    pub fn pod_by_uid(&self, uid: &str) -> Option<&Pod> {
        self.pods
            .values()
            .find(|p| p.metadata.uid.as_deref() == Some(uid))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_other_kind_finds_a_kind_by_its_key_range() {
        let mut st = Store::new(1);
        let other = |kind: &str| podplay_api::types::OtherObject {
            api_version: "batch/v1".into(),
            kind: kind.into(),
            metadata: Default::default(),
            body: Default::default(),
        };
        assert!(!st.has_other_kind("Job"));
        st.others
            .insert(("JobX".into(), "default".into(), "a".into()), other("JobX"));
        st.others.insert(
            ("Deployment".into(), "default".into(), "a".into()),
            other("Deployment"),
        );
        assert!(
            !st.has_other_kind("Job"),
            "a longer kind name is not the kind"
        );
        st.others
            .insert(("Job".into(), "default".into(), "a".into()), other("Job"));
        assert!(st.has_other_kind("Job") && st.has_other_kind("Deployment"));
        assert!(!st.has_other_kind("CronJob"));
    }

    #[test]
    fn uids_look_like_version_4_uuids_and_are_seeded() {
        let mut a = Store::new(1);
        let mut b = Store::new(1);
        let u = a.new_uid();
        assert_eq!(u, b.new_uid());
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
    }

    #[test]
    fn resource_version_grows_on_every_write() {
        let mut s = Store::new(1);
        let mut m = ObjectMeta::default();
        s.stamp_create(&mut m, 0);
        let first = m.resource_version.clone();
        s.stamp_update(&mut m);
        assert_ne!(first, m.resource_version);
    }
}
