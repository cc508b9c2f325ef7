//! Cluster DNS as CoreDNS's `kubernetes` plugin answers it, with the pod resolver's search path.
//!
//! Records (cluster domain `cluster.local`):
//! - `<svc>.<ns>.svc`: a Service's ClusterIP; for a headless Service (`clusterIP: None`) the IPs
//!   of its Endpoints' ready addresses (all of them with `publishNotReadyAddresses`).
//! - `<hostname>.<svc>.<ns>.svc`: the endpoint of a headless Service whose pod set
//!   `spec.hostname` and `spec.subdomain: <svc>` (StatefulSet pods), or whose dashed IP is
//!   `<hostname>` (`10-244-1-5.<svc>.<ns>.svc`).
//! - `<a-b-c-d>.<ns>.pod`: the dashed IP itself (CoreDNS's `pods insecure`).
//!
//! The pod's resolv.conf has `search <ns>.svc.cluster.local svc.cluster.local cluster.local` and
//! `options ndots:5`, so a name with fewer than five dots is tried with each suffix first.

use podplay_runtime::{parse_ip, Ip};

use crate::store::Store;

pub const CLUSTER_DOMAIN: &str = "cluster.local";

/// Every address `name` resolves to from a pod in `from_ns`, in the order the server returns
/// them (headless answers are rotated by the caller: CoreDNS's `loadbalance` plugin).
pub fn lookup(store: &Store, name: &str, from_ns: &str) -> Answer {
    let name = name.to_ascii_lowercase();
    let absolute = name.ends_with('.');
    let name = name.trim_end_matches('.');
    if name.is_empty() {
        return Answer::default();
    }
    let mut candidates: Vec<String> = vec![];
    let search = [
        format!("{from_ns}.svc.{CLUSTER_DOMAIN}"),
        format!("svc.{CLUSTER_DOMAIN}"),
        CLUSTER_DOMAIN.to_string(),
    ];
    let dots = name.matches('.').count();
    if !absolute && dots < 5 {
        candidates.extend(search.iter().map(|s| format!("{name}.{s}")));
        candidates.push(name.to_string());
    } else {
        candidates.push(name.to_string());
        if !absolute {
            candidates.extend(search.iter().map(|s| format!("{name}.{s}")));
        }
    }
    candidates
        .iter()
        .map(|fqdn| record(store, fqdn))
        .find(|a| !a.ips.is_empty())
        .unwrap_or_default()
}

/// A DNS answer: the addresses, and the headless Service they came from (for rotation).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answer {
    pub ips: Vec<Ip>,
    pub headless: Option<(String, String)>,
}

/// The records of one fully qualified name.
fn record(store: &Store, fqdn: &str) -> Answer {
    let Some(rel) = fqdn.strip_suffix(&format!(".{CLUSTER_DOMAIN}")) else {
        return Answer::default();
    };
    let labels: Vec<&str> = rel.split('.').collect();
    match labels.as_slice() {
        [svc, ns, "svc"] => service_record(store, ns, svc),
        [host, svc, ns, "svc"] => Answer {
            ips: headless_host(store, ns, svc, host).into_iter().collect(),
            headless: None,
        },
        [dashed, _ns, "pod"] => Answer {
            ips: parse_ip(&dashed.replace('-', ".")).into_iter().collect(),
            headless: None,
        },
        _ => Answer::default(),
    }
}

fn service_record(store: &Store, ns: &str, name: &str) -> Answer {
    let key = (ns.to_string(), name.to_string());
    let Some(svc) = store.services.get(&key) else {
        return Answer::default();
    };
    match svc.spec.cluster_ip.as_deref() {
        Some("None") | None => {
            let ips = store
                .endpoints
                .get(&key)
                .map(|ep| {
                    ep.subsets
                        .iter()
                        .flat_map(|s| s.addresses.iter())
                        .filter_map(|a| parse_ip(&a.ip))
                        .collect()
                })
                .unwrap_or_default();
            Answer {
                ips,
                headless: Some(key),
            }
        }
        Some(ip) => Answer {
            ips: parse_ip(ip).into_iter().collect(),
            headless: None,
        },
    }
}

/// `<host>.<svc>.<ns>.svc`: a headless Service's endpoint by hostname or dashed IP.
fn headless_host(store: &Store, ns: &str, svc: &str, host: &str) -> Option<Ip> {
    let key = (ns.to_string(), svc.to_string());
    let s = store.services.get(&key)?;
    if s.spec.cluster_ip.as_deref().is_some_and(|ip| ip != "None") {
        return None;
    }
    let ep = store.endpoints.get(&key)?;
    ep.subsets
        .iter()
        .flat_map(|s| s.addresses.iter())
        .find(|a| a.hostname.as_deref() == Some(host) || a.ip.replace('.', "-") == host)
        .and_then(|a| parse_ip(&a.ip))
}

/// The PTR record of an address: a Service's ClusterIP names the Service; an endpoint of a
/// headless Service names its per-pod record.
pub fn ptr(store: &Store, ip: &str) -> Option<String> {
    if let Some(svc) = store
        .services
        .values()
        .find(|s| s.spec.cluster_ip.as_deref() == Some(ip))
    {
        let (ns, name) = crate::store::key_of(&svc.metadata);
        return Some(format!("{name}.{ns}.svc.{CLUSTER_DOMAIN}"));
    }
    store
        .services
        .iter()
        .filter(|(_, s)| s.spec.cluster_ip.as_deref() == Some("None"))
        .find(|(k, _)| {
            store.endpoints.get(*k).is_some_and(|ep| {
                ep.subsets
                    .iter()
                    .flat_map(|s| s.addresses.iter())
                    .any(|a| a.ip == ip)
            })
        })
        .map(|((ns, name), _)| endpoint_ptr(store, ns, name, ip))
}

/// The name a PTR query for an endpoint IP returns, as busybox's old nslookup prints it:
/// `<hostname or dashed ip>.<svc>.<ns>.svc.cluster.local`.
pub fn endpoint_ptr(store: &Store, ns: &str, svc: &str, ip: &str) -> String {
    let key = (ns.to_string(), svc.to_string());
    let host = store
        .endpoints
        .get(&key)
        .and_then(|ep| {
            ep.subsets
                .iter()
                .flat_map(|s| s.addresses.iter())
                .find(|a| a.ip == ip)
                .and_then(|a| a.hostname.clone())
        })
        .unwrap_or_else(|| ip.replace('.', "-"));
    format!("{host}.{svc}.{ns}.svc.{CLUSTER_DOMAIN}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use podplay_api::types::{EndpointAddress, EndpointSubset, Endpoints, Service};

    fn store_with(headless: bool) -> Store {
        let mut st = Store::new(1);
        let mut svc = Service::default();
        svc.metadata.name = Some("web".into());
        svc.metadata.namespace = Some("default".into());
        svc.spec.cluster_ip = Some(if headless { "None" } else { "10.96.3.4" }.into());
        st.services
            .insert(("default".into(), "web".into()), svc.clone());
        let mut ep = Endpoints::default();
        ep.subsets.push(EndpointSubset {
            addresses: vec![
                EndpointAddress {
                    ip: "10.244.1.5".into(),
                    hostname: Some("web-0".into()),
                    ..Default::default()
                },
                EndpointAddress {
                    ip: "10.244.2.6".into(),
                    ..Default::default()
                },
            ],
            ..Default::default()
        });
        st.endpoints.insert(("default".into(), "web".into()), ep);
        st
    }

    #[test]
    fn cluster_ip_service_resolves_through_the_search_path() {
        let st = store_with(false);
        for name in [
            "web",
            "web.default",
            "web.default.svc",
            "web.default.svc.cluster.local",
            "WEB.default.svc.cluster.local.",
        ] {
            assert_eq!(
                lookup(&st, name, "default").ips,
                vec![[10, 96, 3, 4]],
                "{name}"
            );
        }
        assert!(lookup(&st, "web", "other").ips.is_empty());
        assert_eq!(
            lookup(&st, "web.default", "other").ips,
            vec![[10, 96, 3, 4]]
        );
    }

    #[test]
    fn headless_service_resolves_to_every_ready_endpoint() {
        let st = store_with(true);
        let a = lookup(&st, "web", "default");
        assert_eq!(a.ips, vec![[10, 244, 1, 5], [10, 244, 2, 6]]);
        assert_eq!(a.headless, Some(("default".into(), "web".into())));
    }

    #[test]
    fn headless_pod_names_need_hostname_and_subdomain() {
        let st = store_with(true);
        assert_eq!(
            lookup(&st, "web-0.web", "default").ips,
            vec![[10, 244, 1, 5]]
        );
        assert_eq!(
            lookup(&st, "web-0.web.default.svc.cluster.local", "x").ips,
            vec![[10, 244, 1, 5]]
        );
        assert_eq!(
            lookup(&st, "10-244-2-6.web", "default").ips,
            vec![[10, 244, 2, 6]]
        );
        assert!(lookup(&st, "web-1.web", "default").ips.is_empty());
        // A ClusterIP Service has no per-pod records.
        assert!(lookup(&store_with(false), "web-0.web", "default")
            .ips
            .is_empty());
    }

    #[test]
    fn pod_a_records_from_dashed_ip() {
        let st = Store::new(1);
        assert_eq!(
            lookup(&st, "10-244-1-7.default.pod.cluster.local", "default").ips,
            vec![[10, 244, 1, 7]]
        );
    }
}
