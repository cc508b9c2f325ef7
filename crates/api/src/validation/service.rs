//! Service validation (ValidateService).

use std::collections::BTreeSet;

use super::names::*;
use super::pod::{validate_labels, validate_port_num_or_name, validate_protocol};
use super::{child, idx, BadValue, FieldError};
use crate::types::Service;

pub fn validate_service(s: &Service, errs: &mut Vec<FieldError>) {
    let spec = &s.spec;
    let t = spec.type_();
    let headless = spec.cluster_ip.as_deref() == Some("None");
    if spec.ports.is_empty() && !headless && t != "ExternalName" {
        errs.push(FieldError::required("spec.ports", ""));
    }
    let require_name = spec.ports.len() > 1;
    let mut names = BTreeSet::new();
    for (i, p) in spec.ports.iter().enumerate() {
        let path = idx("spec.ports", i);
        let name = p.name.as_deref().unwrap_or("");
        if require_name && name.is_empty() {
            errs.push(FieldError::required(child(&path, "name"), ""));
        } else if !name.is_empty() {
            for m in is_dns1123_label(name) {
                errs.push(FieldError::invalid(
                    child(&path, "name"),
                    BadValue::Str(name.into()),
                    m,
                ));
            }
            if !names.insert(name) {
                errs.push(FieldError::duplicate(
                    child(&path, "name"),
                    BadValue::Str(name.into()),
                ));
            }
        }
        for m in is_valid_port_num(i64::from(p.port)) {
            errs.push(FieldError::invalid(
                child(&path, "port"),
                BadValue::Int(p.port.into()),
                m,
            ));
        }
        validate_protocol(p.protocol.as_deref(), &child(&path, "protocol"), errs);
        if let Some(tp) = &p.target_port {
            validate_port_num_or_name(tp, &child(&path, "targetPort"), errs);
        }
        if let Some(np) = p.node_port.filter(|n| *n != 0) {
            if t == "ClusterIP" {
                errs.push(FieldError::forbidden(
                    child(&path, "nodePort"),
                    "may not be used when `type` is 'ClusterIP'",
                ));
            } else if !(30000..=32767).contains(&np) {
                // The NodePort allocator's words (the default service-node-port-range).
                errs.push(FieldError::invalid(
                    child(&path, "nodePort"),
                    BadValue::Int(np.into()),
                    "provided port is not in the valid range. The range of valid ports is 30000-32767",
                ));
            }
        }
    }
    if !matches!(
        t,
        "ClusterIP" | "ExternalName" | "LoadBalancer" | "NodePort"
    ) {
        errs.push(FieldError::not_supported(
            "spec.type",
            t,
            &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
        ));
    }
    if t == "ExternalName" && spec.external_name.as_deref().unwrap_or("").is_empty() {
        errs.push(FieldError::required("spec.externalName", ""));
    }
    if let Some(sa) = spec.session_affinity.as_deref() {
        if !matches!(sa, "ClientIP" | "None") {
            errs.push(FieldError::not_supported(
                "spec.sessionAffinity",
                sa,
                &["ClientIP", "None"],
            ));
        }
    }
    if let Some(etp) = spec.external_traffic_policy.as_deref() {
        if t != "NodePort" && t != "LoadBalancer" {
            errs.push(FieldError::invalid(
                "spec.externalTrafficPolicy",
                BadValue::Str(etp.into()),
                "may only be set when `type` is 'NodePort' or 'LoadBalancer'",
            ));
        } else if !matches!(etp, "Cluster" | "Local") {
            errs.push(FieldError::not_supported(
                "spec.externalTrafficPolicy",
                etp,
                &["Cluster", "Local"],
            ));
        }
    }
    validate_labels(&spec.selector, "spec.selector", errs);
}
