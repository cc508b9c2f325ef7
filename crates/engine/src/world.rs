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
    /// kube-proxy's rewrite of a destination: a Service (by ClusterIP or NodePort) becomes one
    /// of its ready endpoints; a node port nothing listens on is refused; pod IPs pass.
    fn route(&mut self, to: Ip, port: u16) -> Result<(Ip, u16), NetError> {
        match crate::kube_proxy::destination(self.cl, to, port) {
            crate::kube_proxy::Destination::Service((ns, name), port) => {
                self.pick_endpoint(&ns, &name, port)
            }
            crate::kube_proxy::Destination::NodeClosed => Err(NetError::Refused),
            crate::kube_proxy::Destination::Direct => Ok((to, port)),
        }
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

    fn worker_by_ip(&mut self, ip: Ip) -> Option<&mut PodWorker> {
        self.workers
            .values_mut()
            .find(|w| w.sandbox_ready && !w.terminated && w.env.ip == ip)
    }
}

impl<'a> World for NetView<'a> {
    fn resolve(&mut self, name: &str, from_namespace: &str) -> Option<Ip> {
        self.resolve_all(name, from_namespace).into_iter().next()
    }

    fn resolve_all(&mut self, name: &str, from_namespace: &str) -> Vec<Ip> {
        let answer = crate::dns::lookup(&self.cl.store, name, from_namespace);
        let mut ips = answer.ips;
        // CoreDNS's `loadbalance` plugin rotates a headless Service's A records per query.
        if let Some(key) = answer.headless {
            if ips.len() > 1 {
                let cursor = self.cl.lb_cursor.entry(key).or_insert(0);
                let n = *cursor % ips.len();
                *cursor += 1;
                ips.rotate_left(n);
            }
        }
        ips
    }

    fn ptr(&mut self, ip: Ip) -> Option<String> {
        crate::dns::ptr(&self.cl.store, &ip_string(ip))
    }

    fn http(
        &mut self,
        from: Ip,
        to: Ip,
        port: u16,
        req: &HttpRequest,
        now: Millis,
    ) -> Result<HttpResponse, NetError> {
        let local = |ip: Ip, me: Ip| ip[0] == 127 || ip == me;
        let (to, port) = if local(to, self.from) {
            (to, port)
        } else {
            self.route(to, port)?
        };
        if local(to, self.from) {
            // localhost (or a Service endpoint that is this pod): another container of the pod.
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
        let ip = to;
        let w = self
            .workers
            .values_mut()
            .find(|w| w.sandbox_ready && !w.terminated && w.env.ip == ip)
            .ok_or(NetError::Timeout)?;
        let owner = w.env.listener(port).ok_or(NetError::Refused)?.to_string();
        // The request is work for the serving container (see kube_proxy::RequestLog).
        self.cl.requests.note(&w.uid, &owner, now);
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

    fn dnat(&mut self, to: Ip, port: u16) -> Result<(Ip, u16), NetError> {
        if to[0] == 127 || to == self.from {
            return Ok((to, port));
        }
        self.route(to, port)
    }

    fn tcp_connect(&mut self, _from: Ip, to: Ip, port: u16, _now: Millis) -> Result<(), NetError> {
        let (to, port) = if to[0] == 127 || to == self.from {
            (to, port)
        } else {
            self.route(to, port)?
        };
        if to[0] == 127 || to == self.from {
            let local = self.local.as_ref().ok_or(NetError::Refused)?;
            return local
                .env
                .listener(port)
                .map(|_| ())
                .ok_or(NetError::Refused);
        }
        let w = self.worker_by_ip(to).ok_or(NetError::Timeout)?;
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
