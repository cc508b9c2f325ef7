//! The apiserver's Service registry rules that are not just storing: NodePort allocation from
//! `--service-node-port-range` (30000-32767) without collisions, its validation errors, and what
//! an update (`kubectl apply` of a changed Service) may change.

use podplay_api::types::Service;
use std::collections::BTreeSet;

use crate::sim::rng::Stream;
use crate::store::Store;

pub const NODE_PORT_MIN: i32 = 30_000;
pub const NODE_PORT_MAX: i32 = 32_767;

/// Every nodePort in use, except the Service `skip` (namespace, name) when updating it.
pub fn used_node_ports(store: &Store, skip: Option<&(String, String)>) -> BTreeSet<i32> {
    store
        .services
        .iter()
        .filter(|(k, _)| Some(*k) != skip)
        .flat_map(|(_, s)| s.spec.ports.iter().filter_map(|p| p.node_port))
        .collect()
}

/// The allocator's random pick in the range, drawing again while the port is taken. None when
/// the range is full (`range is full`).
pub fn allocate_node_port(stream: &mut Stream, used: &BTreeSet<i32>) -> Option<i32> {
    let size = (NODE_PORT_MAX - NODE_PORT_MIN + 1) as usize;
    if used.range(NODE_PORT_MIN..=NODE_PORT_MAX).count() >= size {
        return None;
    }
    loop {
        let p = stream.between(i64::from(NODE_PORT_MIN), i64::from(NODE_PORT_MAX)) as i32;
        if !used.contains(&p) {
            return Some(p);
        }
    }
}

/// Gives every port of a NodePort/LoadBalancer Service a nodePort (checking the ones the user
/// chose), and strips them from other types. Errors are the apiserver's `Invalid` causes.
pub fn assign_node_ports(
    svc: &mut Service,
    stream: &mut Stream,
    mut used: BTreeSet<i32>,
    previous: Option<&Service>,
) -> Result<(), String> {
    let wants = matches!(svc.spec.type_(), "NodePort" | "LoadBalancer");
    let name = svc.metadata.name.clone().unwrap_or_default();
    for (i, p) in svc.spec.ports.iter_mut().enumerate() {
        if !wants {
            p.node_port = None;
            continue;
        }
        if let Some(n) = p.node_port {
            let kept =
                previous.is_some_and(|old| old.spec.ports.iter().any(|op| op.node_port == Some(n)));
            if !(NODE_PORT_MIN..=NODE_PORT_MAX).contains(&n) {
                return Err(format!("The Service \"{name}\" is invalid: spec.ports[{i}].nodePort: Invalid value: {n}: provided port is not in the valid range. The range of valid ports is {NODE_PORT_MIN}-{NODE_PORT_MAX}"));
            }
            if used.contains(&n) && !kept {
                return Err(format!("The Service \"{name}\" is invalid: spec.ports[{i}].nodePort: Invalid value: {n}: provided port is already allocated"));
            }
            used.insert(n);
            continue;
        }
        // An update keeps the nodePort the same port had.
        let old = previous.and_then(|old| {
            old.spec
                .ports
                .iter()
                .find(|op| op.port == p.port && op.node_port.is_some())
                .and_then(|op| op.node_port)
        });
        let n = match old {
            Some(n) => n,
            None => allocate_node_port(stream, &used).ok_or_else(|| {
                "Internal error occurred: failed to allocate a nodePort: range is full".to_string()
            })?,
        };
        used.insert(n);
        p.node_port = Some(n);
    }
    Ok(())
}

/// What `kubectl apply` of a changed Service may change beyond selector, ports and labels: its
/// type (allocating or releasing nodePorts). The ClusterIP is immutable and kept.
pub fn apply_update(
    updated: &mut Service,
    incoming: &Service,
    existing: &Service,
    cl: &mut crate::cluster::Cluster,
) -> Result<(), String> {
    updated.spec.type_ = Some(incoming.spec.type_().to_string());
    if updated.spec.type_() != existing.spec.type_() || incoming.spec.ports != existing.spec.ports {
        let key = crate::store::key_of(&existing.metadata);
        let used = used_node_ports(&cl.store, Some(&key));
        assign_node_ports(updated, &mut cl.service_ips, used, Some(existing))?;
        for p in updated.spec.ports.iter_mut() {
            if p.protocol.is_none() {
                p.protocol = Some("TCP".into());
            }
            if p.target_port.is_none() {
                p.target_port = Some(podplay_api::types::IntOrString::Int(p.port));
            }
        }
        if matches!(updated.spec.type_(), "NodePort" | "LoadBalancer") {
            if updated.spec.external_traffic_policy.is_none() {
                updated.spec.external_traffic_policy = Some("Cluster".into());
            }
        } else {
            updated.spec.external_traffic_policy = None;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use podplay_api::types::ServicePort;

    fn node_port_service(ports: &[i32]) -> Service {
        let mut s = Service::default();
        s.metadata.name = Some("web".into());
        s.spec.type_ = Some("NodePort".into());
        for p in ports {
            s.spec.ports.push(ServicePort {
                port: *p,
                ..Default::default()
            });
        }
        s
    }

    #[test]
    fn node_ports_are_allocated_in_range_without_collisions() {
        let mut stream = Stream::new(1, "service-ip");
        let mut used = BTreeSet::new();
        for _ in 0..2000 {
            let p = allocate_node_port(&mut stream, &used);
            let Some(p) = p else {
                panic!("range is not full")
            };
            assert!((NODE_PORT_MIN..=NODE_PORT_MAX).contains(&p));
            assert!(used.insert(p), "{p} allocated twice");
        }
    }

    #[test]
    fn node_port_allocation_is_deterministic() {
        let mut a = node_port_service(&[80, 443]);
        let mut b = node_port_service(&[80, 443]);
        assign_node_ports(&mut a, &mut Stream::new(7, "s"), BTreeSet::new(), None).ok();
        assign_node_ports(&mut b, &mut Stream::new(7, "s"), BTreeSet::new(), None).ok();
        assert_eq!(a, b);
        assert_ne!(a.spec.ports[0].node_port, a.spec.ports[1].node_port);
    }

    #[test]
    fn full_range_is_an_error_not_a_hang() {
        let used: BTreeSet<i32> = (NODE_PORT_MIN..=NODE_PORT_MAX).collect();
        assert_eq!(allocate_node_port(&mut Stream::new(1, "s"), &used), None);
    }

    #[test]
    fn chosen_node_port_must_be_free_and_in_range() {
        let mut s = node_port_service(&[80]);
        s.spec.ports[0].node_port = Some(30080);
        let used: BTreeSet<i32> = [30080].into_iter().collect();
        assert_eq!(
            assign_node_ports(&mut s, &mut Stream::new(1, "s"), used, None),
            Err("The Service \"web\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated".into())
        );
        s.spec.ports[0].node_port = Some(80);
        assert_eq!(
            assign_node_ports(&mut s, &mut Stream::new(1, "s"), BTreeSet::new(), None),
            Err("The Service \"web\" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767".into())
        );
    }

    #[test]
    fn update_keeps_node_ports_and_clusterip_type_drops_them() {
        let mut old = node_port_service(&[80]);
        old.spec.ports[0].node_port = Some(31234);
        let mut new = node_port_service(&[80]);
        assign_node_ports(
            &mut new,
            &mut Stream::new(1, "s"),
            BTreeSet::new(),
            Some(&old),
        )
        .ok();
        assert_eq!(new.spec.ports[0].node_port, Some(31234));
        new.spec.type_ = Some("ClusterIP".into());
        assign_node_ports(
            &mut new,
            &mut Stream::new(1, "s"),
            BTreeSet::new(),
            Some(&old),
        )
        .ok();
        assert_eq!(new.spec.ports[0].node_port, None);
    }
}
