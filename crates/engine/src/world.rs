//! The context a pod worker works in, and the network its containers see: cluster DNS for
//! Services (`<svc>.<ns>.svc.cluster.local`), kube-proxy's choice among ready endpoints, and
//! pod-to-pod connections that reach the container listening on the port.

use podplay_api::time::Millis;
use podplay_api::types::{IntOrString, Secret};
use podplay_runtime::{HttpRequest, HttpResponse, Ip, NetError, World};
use std::collections::BTreeMap;

use crate::cluster::Cluster;
use crate::kubelet::worker::{ContainerRecord, PodWorker};
use podplay_runtime::PodEnv;

/// A pod worker's view of everything else.
pub struct Ctx<'a> {
    pub cl: &'a mut Cluster,
    pub others: &'a mut crate::kubelet::workers::Workers,
}

/// The calling pod's other containers, reachable over localhost (the pause container's network
/// namespace). `env` is a copy of the pod's environment for serving them: the caller holds the
/// real one while its own process runs.
pub struct Local<'a> {
    pub containers: &'a mut BTreeMap<String, ContainerRecord>,
    pub env: PodEnv,
}

pub struct NetView<'a> {
    pub cl: &'a mut Cluster,
    pub workers: &'a mut crate::kubelet::workers::Workers,
    pub from: Ip,
    pub local: Option<Local<'a>>,
}

pub use podplay_runtime::{ip_string, parse_ip};

/// Secret values as the files of a secret volume hold them (decoded).
pub fn secret_data(s: &Secret) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = s
        .data
        .iter()
        .map(|(k, v)| (k.clone(), base64_decode(v).unwrap_or_default()))
        .collect();
    for (k, v) in &s.string_data {
        out.insert(k.clone(), v.clone());
    }
    out
}

fn base64_decode(s: &str) -> Option<String> {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut buf = 0u32;
    let mut bits = 0;
    let mut out = vec![];
    for c in s.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'=') {
        let v = T.iter().position(|t| *t == c)? as u32;
        buf = (buf << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `Created` event's message in the simulated version (1.33–1.34: `Created container: <c>`).
pub fn created_message(container: &str) -> String {
    format!("Created container: {container}")
}

impl<'a> NetView<'a> {
    /// A Service by ClusterIP: (namespace, name).
    fn service_by_ip(&self, ip: Ip) -> Option<(String, String)> {
        let s = ip_string(ip);
        self.cl
            .store
            .services
            .iter()
            .find(|(_, svc)| svc.spec.cluster_ip.as_deref() == Some(s.as_str()))
            .map(|(k, _)| k.clone())
    }

    /// kube-proxy: the Service port maps to a ready endpoint's target port, round robin.
    fn pick_endpoint(&mut self, ns: &str, name: &str, port: u16) -> Result<(Ip, u16), NetError> {
        let key = (ns.to_string(), name.to_string());
        let svc = self.cl.store.services.get(&key).ok_or(NetError::Refused)?;
        let sp = svc
            .spec
            .ports
            .iter()
            .find(|p| p.port == port as i32)
            .ok_or(NetError::Refused)?;
        let sp_name = sp.name.clone();
        let target = sp.target_port.clone();
        let ep = self.cl.store.endpoints.get(&key).ok_or(NetError::Refused)?;
        let mut candidates = vec![];
        for subset in &ep.subsets {
            let port = subset
                .ports
                .iter()
                .find(|p| p.name == sp_name || subset.ports.len() == 1)
                .map(|p| p.port)
                .or(match &target {
                    Some(IntOrString::Int(n)) => Some(*n),
                    _ => None,
                });
            for a in &subset.addresses {
                if let (Some(ip), Some(p)) = (parse_ip(&a.ip), port) {
                    candidates.push((ip, p.clamp(0, 65535) as u16));
                }
            }
        }
        if candidates.is_empty() {
            // kube-proxy rejects connections to a Service without endpoints.
            return Err(NetError::Refused);
        }
        let cursor = self.cl.lb_cursor.entry(key).or_insert(0);
        let pick = candidates[*cursor % candidates.len()];
        *cursor += 1;
        Ok(pick)
    }

    /// CoreDNS's record for a ready endpoint with a hostname: the pod whose `hostname` and
    /// `subdomain` name it, behind a headless Service called `subdomain`.
    fn headless_pod_record(&self, parts: &[&str], from_namespace: &str) -> Option<Ip> {
        let (host, sub, ns) = match parts {
            [h, sub] => (*h, *sub, from_namespace),
            [h, sub, ns] | [h, sub, ns, "svc"] | [h, sub, ns, "svc", "cluster", "local"] => {
                (*h, *sub, *ns)
            }
            _ => return None,
        };
        let key = (ns.to_string(), sub.to_string());
        let svc = self.cl.store.services.get(&key)?;
        if svc.spec.cluster_ip.as_deref() != Some("None") {
            return None;
        }
        let ep = self.cl.store.endpoints.get(&key)?;
        ep.subsets
            .iter()
            .flat_map(|s| s.addresses.iter())
            .find(|a| {
                a.target_ref
                    .as_ref()
                    .and_then(|r| r.name.as_ref())
                    .and_then(|n| self.cl.store.pods.get(&(ns.to_string(), n.clone())))
                    .is_some_and(|p| {
                        p.spec.hostname.as_deref() == Some(host)
                            && p.spec.subdomain.as_deref() == Some(sub)
                    })
            })
            .and_then(|a| parse_ip(&a.ip))
    }

    fn worker_by_ip(&mut self, ip: Ip) -> Option<&mut PodWorker> {
        self.workers
            .values_mut()
            .find(|w| w.sandbox_ready && !w.terminated && w.env.ip == ip)
    }
}

impl<'a> World for NetView<'a> {
    fn resolve(&mut self, name: &str, from_namespace: &str) -> Option<Ip> {
        let name = name.trim_end_matches('.');
        let parts: Vec<&str> = name.split('.').collect();
        // A pod's own record under its headless Service (StatefulSet pods):
        // <hostname>.<subdomain>[.<ns>[.svc[.cluster.local]]], tried first as the search path does.
        if let Some(ip) = self.headless_pod_record(&parts, from_namespace) {
            return Some(ip);
        }
        // <svc>, <svc>.<ns>, <svc>.<ns>.svc, <svc>.<ns>.svc.cluster.local
        let (svc, ns) = match parts.as_slice() {
            [svc] => (*svc, from_namespace),
            [svc, ns] => (*svc, *ns),
            [svc, ns, "svc"] => (*svc, *ns),
            [svc, ns, "svc", "cluster", "local"] => (*svc, *ns),
            _ => return None,
        };
        let s = self
            .cl
            .store
            .services
            .get(&(ns.to_string(), svc.to_string()))?;
        match s.spec.cluster_ip.as_deref() {
            Some("None") | None => {
                let ep = self
                    .cl
                    .store
                    .endpoints
                    .get(&(ns.to_string(), svc.to_string()))?;
                ep.subsets
                    .iter()
                    .flat_map(|s| s.addresses.iter())
                    .find_map(|a| parse_ip(&a.ip))
            }
            Some(ip) => parse_ip(ip),
        }
    }

    fn http(
        &mut self,
        from: Ip,
        to: Ip,
        port: u16,
        req: &HttpRequest,
        now: Millis,
    ) -> Result<HttpResponse, NetError> {
        if to[0] == 127 || to == self.from {
            // localhost: another container of the same pod.
            let local = self.local.as_mut().ok_or(NetError::Refused)?;
            let owner = local
                .env
                .listener(port)
                .ok_or(NetError::Refused)?
                .to_string();
            let inst = local
                .containers
                .get_mut(&owner)
                .and_then(|r| r.newest_mut())
                .filter(|i| i.exit.is_none())
                .ok_or(NetError::Refused)?;
            return inst
                .rt
                .serve_http_from(port, req, from, &mut local.env, now)
                .ok_or(NetError::Refused);
        }
        let (ip, port) = match self.service_by_ip(to) {
            Some((ns, name)) => self.pick_endpoint(&ns, &name, port)?,
            None => (to, port),
        };
        let w = self.worker_by_ip(ip).ok_or(NetError::Timeout)?;
        let owner = w.env.listener(port).ok_or(NetError::Refused)?.to_string();
        let (containers, env) = (&mut w.containers, &mut w.env);
        let inst = containers
            .get_mut(&owner)
            .and_then(|r| r.newest_mut())
            .filter(|i| i.exit.is_none())
            .ok_or(NetError::Refused)?;
        inst.rt
            .serve_http_from(port, req, from, env, now)
            .ok_or(NetError::Refused)
    }

    fn tcp_connect(&mut self, _from: Ip, to: Ip, port: u16, _now: Millis) -> Result<(), NetError> {
        if to[0] == 127 || to == self.from {
            let local = self.local.as_ref().ok_or(NetError::Refused)?;
            return local
                .env
                .listener(port)
                .map(|_| ())
                .ok_or(NetError::Refused);
        }
        let (ip, port) = match self.service_by_ip(to) {
            Some((ns, name)) => self.pick_endpoint(&ns, &name, port)?,
            None => (to, port),
        };
        let w = self.worker_by_ip(ip).ok_or(NetError::Timeout)?;
        w.env.listener(port).map(|_| ()).ok_or(NetError::Refused)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_data_is_base64_decoded() {
        let mut s = Secret::default();
        s.data.insert("password".into(), "czNjcjN0".into());
        assert_eq!(
            secret_data(&s).get("password").map(String::as_str),
            Some("s3cr3t")
        );
    }

    #[test]
    fn ip_strings_round_trip() {
        assert_eq!(
            parse_ip("10.244.1.7").map(ip_string).as_deref(),
            Some("10.244.1.7")
        );
        assert_eq!(parse_ip("10.244.1"), None);
    }
}
