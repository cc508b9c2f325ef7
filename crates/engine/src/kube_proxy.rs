//! kube-proxy's side of the network: which Service a destination (ip, port) is — a ClusterIP
//! port, or a NodePort on any node's IP — and the requests each container served recently, so
//! load started from the console (a `wget` loop in a pod) drives CPU usage as `sim load` does.

use podplay_api::time::{Millis, SECOND};
use podplay_runtime::{ip_string, Ip};
use std::collections::{BTreeMap, VecDeque};

use crate::cluster::Cluster;
use crate::store::Key;

/// Where kube-proxy sends a connection to `to:port`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// A Service port (reached by ClusterIP:port or NodeIP:nodePort): the Service and its `port`.
    Service(Key, u16),
    /// A node's own address on a port no Service claims: nothing listens there.
    NodeClosed,
    /// Anything else (a pod IP): routed as is.
    Direct,
}

pub fn destination(cl: &Cluster, to: Ip, port: u16) -> Destination {
    let ip = ip_string(to);
    for (key, svc) in &cl.store.services {
        if svc.spec.cluster_ip.as_deref() == Some(ip.as_str()) {
            // A ClusterIP answers only on its Service's ports; others are rejected.
            return match svc.spec.ports.iter().find(|p| p.port == i32::from(port)) {
                Some(_) => Destination::Service(key.clone(), port),
                None => Destination::NodeClosed,
            };
        }
    }
    if cl.nodes.values().any(|n| n.ip == ip) {
        // NodePort: every node's kube-proxy listens on every NodePort Service's nodePort.
        for (key, svc) in &cl.store.services {
            if !matches!(svc.spec.type_(), "NodePort" | "LoadBalancer") {
                continue;
            }
            if let Some(p) = svc
                .spec
                .ports
                .iter()
                .find(|p| p.node_port == Some(i32::from(port)))
            {
                return Destination::Service(key.clone(), p.port.clamp(0, 65535) as u16);
            }
        }
        return Destination::NodeClosed;
    }
    Destination::Direct
}

/// How far back the served-request rate looks: metrics-server's resolution, so a scrape sees
/// the average rate over the window it reports.
pub const REQUEST_WINDOW: Millis = 15 * SECOND;

/// Requests served per container (pod uid, container), in per-second buckets.
#[derive(Debug, Clone, Default)]
pub struct RequestLog {
    served: BTreeMap<(String, String), VecDeque<(Millis, u32)>>,
}

impl RequestLog {
    /// One request reached `container` of pod `uid` at `now`.
    pub fn note(&mut self, uid: &str, container: &str, now: Millis) {
        let second = now.div_euclid(SECOND) * SECOND;
        let q = self
            .served
            .entry((uid.to_string(), container.to_string()))
            .or_default();
        match q.back_mut() {
            Some((t, n)) if *t == second => *n = n.saturating_add(1),
            _ => q.push_back((second, 1)),
        }
        while q.front().is_some_and(|(t, _)| *t < now - REQUEST_WINDOW) {
            q.pop_front();
        }
    }

    /// The average rate (requests per second, rounded down) over the whole seconds of the window
    /// ending at `now` (`now` itself, a second still filling, is not counted).
    pub fn rate(&self, uid: &str, container: &str, now: Millis) -> u32 {
        // Asked for every container at every scrape, mostly of containers nobody requested:
        // an empty log answers without building a key.
        if self.served.is_empty() {
            return 0;
        }
        let Some(q) = self.served.get(&(uid.to_string(), container.to_string())) else {
            return 0;
        };
        let total: u64 = q
            .iter()
            .filter(|(t, _)| *t >= now - REQUEST_WINDOW && *t < now)
            .map(|(_, n)| u64::from(*n))
            .sum();
        let secs = (REQUEST_WINDOW / SECOND) as u64;
        (total / secs).min(u64::from(u32::MAX)) as u32
    }

    /// Forgets containers with nothing in the window (pods that went away).
    pub fn prune(&mut self, now: Millis) {
        self.served
            .retain(|_, q| q.back().is_some_and(|(t, _)| *t >= now - REQUEST_WINDOW));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_rate_averages_over_the_metrics_window() {
        let mut log = RequestLog::default();
        // 100 requests per second for 20 s (a `while sleep 0.01; do wget ...; done` loop).
        for ms in (0..20_000).step_by(10) {
            log.note("u1", "php-apache", ms);
        }
        assert_eq!(log.rate("u1", "php-apache", 20_000), 100);
        assert_eq!(log.rate("u1", "other", 20_000), 0);
        // The loop stops: 15 s later nothing is left in the window.
        assert_eq!(log.rate("u1", "php-apache", 35_000), 0);
        log.prune(35_000);
        assert!(log.served.is_empty());
    }

    #[test]
    fn a_few_requests_do_not_make_load() {
        let mut log = RequestLog::default();
        for ms in [1000, 1200, 3000, 4000] {
            log.note("u", "c", ms);
        }
        assert_eq!(log.rate("u", "c", 5000), 0);
    }
}
