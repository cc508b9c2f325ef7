//! What the engine's benchmarks share: big enough nodes, and the process's memory figures.

use std::fmt::Write as _;

/// `n` node documents (64 CPU, 256 GiB, `pods` pods each): the default teaching cluster holds
/// only 220 pods.
pub fn nodes_yaml(n: usize, pods: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        let _ = write!(
            s,
            "---\napiVersion: v1\nkind: Node\nmetadata:\n  name: bench-node{i}\n  labels:\n    kubernetes.io/hostname: bench-node{i}\n    kubernetes.io/os: linux\n    kubernetes.io/arch: amd64\nspec:\n  podCIDR: 10.244.{i}.0/24\nstatus:\n  capacity:\n    cpu: \"64\"\n    memory: 256Gi\n    ephemeral-storage: 100Gi\n    pods: \"{pods}\"\n  allocatable:\n    cpu: \"64\"\n    memory: 256Gi\n    ephemeral-storage: 100Gi\n    pods: \"{pods}\"\n  addresses:\n  - type: InternalIP\n    address: 172.18.1.{}\n",
            i + 2
        );
    }
    s
}

/// A line of /proc/self/status (`VmHWM` = peak RSS, `VmRSS` = current), in MB.
#[cfg(target_os = "linux")]
pub fn proc_status_mb(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
#[cfg(not(target_os = "linux"))]
pub fn proc_status_mb(_field: &str) -> Option<f64> {
    None
}

pub fn mb(v: Option<f64>) -> String {
    v.map(|m| format!("{m:.1} MB"))
        .unwrap_or_else(|| "n/a".into())
}
