//! A pod's shared environment: the pause container's network namespace (one IP, one port space)
//! and the pod's volumes, which outlive container restarts.

use std::collections::BTreeMap;

use crate::fs::{Tree, VolumeTree};
use crate::net::Ip;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VolumeSource {
    EmptyDir,
    /// Keys become files; the volume is read-only, as the kubelet projects it.
    ConfigMap(BTreeMap<String, String>),
    Secret(BTreeMap<String, String>),
    /// A directory on the node; modelled as a directory owned by the pod.
    HostPath(String),
}

#[derive(Debug, Clone)]
pub struct Volume {
    pub source: VolumeSource,
    pub(crate) files: VolumeTree,
}

impl Volume {
    pub fn new(source: VolumeSource) -> Volume {
        let mut tree = Tree::new();
        let read_only = match &source {
            VolumeSource::ConfigMap(data) | VolumeSource::Secret(data) => {
                for (k, v) in data {
                    tree.put_file(&format!("/{k}"), v, false);
                }
                true
            }
            _ => false,
        };
        Volume {
            source,
            files: VolumeTree { tree, read_only },
        }
    }

    /// A file's content inside the volume (e.g. for the engine to show an emptyDir's state).
    pub fn read(&self, path: &str) -> Option<String> {
        match self.files.tree.get(&crate::fs::normalize("/", path)) {
            Some(crate::fs::Node::File { data, .. }) => Some(data.clone()),
            _ => None,
        }
    }
}

/// Who holds a port in the pod's network namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Listener {
    pub container: String,
    pub pid: u32,
}

#[derive(Debug, Clone)]
pub struct PodEnv {
    pub ip: Ip,
    pub hostname: String,
    pub namespace: String,
    pub pod_name: String,
    /// Cluster DNS (kube-dns Service IP) written to every container's /etc/resolv.conf.
    pub dns_server: Ip,
    pub volumes: BTreeMap<String, Volume>,
    /// Which container (and process) listens on which TCP port: the pod shares one port space.
    pub(crate) listeners: BTreeMap<u16, Listener>,
    /// Bumped whenever anything runs in any container of the pod: a remembered HTTP answer is
    /// only replayed while the pod is exactly as it was (volumes are shared).
    pub(crate) gen: u64,
}

impl PodEnv {
    pub fn new(
        ip: Ip,
        hostname: impl Into<String>,
        namespace: impl Into<String>,
        pod_name: impl Into<String>,
    ) -> PodEnv {
        PodEnv {
            ip,
            hostname: hostname.into(),
            namespace: namespace.into(),
            pod_name: pod_name.into(),
            dns_server: [10, 96, 0, 10],
            volumes: BTreeMap::new(),
            listeners: BTreeMap::new(),
            gen: 0,
        }
    }

    pub fn add_volume(&mut self, name: impl Into<String>, source: VolumeSource) {
        self.volumes.insert(name.into(), Volume::new(source));
    }

    /// The container listening on `port`, if any (for the engine's routing of pod-IP traffic).
    pub fn listener(&self, port: u16) -> Option<&str> {
        self.listeners.get(&port).map(|l| l.container.as_str())
    }

    pub(crate) fn bind(&mut self, port: u16, container: &str, pid: u32) -> bool {
        match self.listeners.get(&port) {
            Some(l) if !(l.container == container && l.pid == pid) => false,
            _ => {
                self.listeners.insert(
                    port,
                    Listener {
                        container: container.to_string(),
                        pid,
                    },
                );
                true
            }
        }
    }

    pub(crate) fn release_pid(&mut self, container: &str, pid: u32) {
        self.listeners
            .retain(|_, l| !(l.container == container && l.pid == pid));
    }

    pub(crate) fn release_container(&mut self, container: &str) {
        self.listeners.retain(|_, l| l.container != container);
    }
}
