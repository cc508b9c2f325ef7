//! ObjectMeta, Namespace, ConfigMap, Secret and Node validation.

use std::collections::BTreeSet;

use super::names::*;
use super::pod::validate_labels;
use super::{child, idx, key, BadValue, FieldError, NameRule};
use crate::types::{ConfigMap, Node, ObjectMeta, Secret};

/// ValidateObjectMeta: name (by the kind's rule), namespace, labels, annotation keys.
pub fn validate_object_meta(
    meta: &ObjectMeta,
    namespaced: bool,
    rule: NameRule,
    errs: &mut Vec<FieldError>,
) {
    let check = |v: &str, prefix: bool| -> Vec<String> {
        // generateName is validated with its trailing '-' allowed (a suffix follows).
        let v = if prefix {
            v.strip_suffix('-').unwrap_or(v)
        } else {
            v
        };
        match rule {
            NameRule::Subdomain => is_dns1123_subdomain(v),
            NameRule::Label => is_dns1123_label(v),
            NameRule::Dns1035Label => is_dns1035_label(v),
            NameRule::None => Vec::new(),
        }
    };
    if let Some(g) = meta.generate_name.as_deref().filter(|g| !g.is_empty()) {
        for m in check(g, true) {
            errs.push(FieldError::invalid(
                "metadata.generateName",
                BadValue::Str(g.into()),
                m,
            ));
        }
    }
    match meta.name.as_deref().filter(|n| !n.is_empty()) {
        None => errs.push(FieldError::required(
            "metadata.name",
            "name or generateName is required",
        )),
        Some(n) => {
            for m in check(n, false) {
                errs.push(FieldError::invalid(
                    "metadata.name",
                    BadValue::Str(n.into()),
                    m,
                ));
            }
        }
    }
    if namespaced {
        if let Some(ns) = meta.namespace.as_deref() {
            for m in is_dns1123_label(ns) {
                errs.push(FieldError::invalid(
                    "metadata.namespace",
                    BadValue::Str(ns.into()),
                    m,
                ));
            }
        }
    } else if meta.namespace.as_deref().is_some_and(|ns| !ns.is_empty()) {
        errs.push(FieldError::forbidden(
            "metadata.namespace",
            "not allowed on this type",
        ));
    }
    validate_labels(&meta.labels, "metadata.labels", errs);
    for k in meta.annotations.keys() {
        for m in is_qualified_name(&k.to_lowercase()) {
            errs.push(FieldError::invalid(
                "metadata.annotations",
                BadValue::Str(k.clone()),
                m,
            ));
        }
    }
}

fn validate_data_keys<'a>(
    keys: impl Iterator<Item = &'a String>,
    path: &str,
    errs: &mut Vec<FieldError>,
) {
    for k in keys {
        for m in is_config_map_key(k) {
            errs.push(FieldError::invalid(
                key(path, k),
                BadValue::Str(k.clone()),
                m,
            ));
        }
    }
}

/// `MaxSecretSize` / the ConfigMap limit: 1 MiB of keys and values together.
const MAX_DATA_SIZE: usize = 1024 * 1024;

pub fn validate_config_map(c: &ConfigMap, errs: &mut Vec<FieldError>) {
    let total: usize = c
        .data
        .iter()
        .map(|(k, v)| k.len() + v.len())
        .chain(c.binary_data.iter().map(|(k, v)| k.len() + v.len() / 4 * 3))
        .sum();
    if total > MAX_DATA_SIZE {
        errs.push(FieldError::too_long("[]", MAX_DATA_SIZE));
    }
    validate_data_keys(c.data.keys(), "data", errs);
    validate_data_keys(c.binary_data.keys(), "binaryData", errs);
    for k in c.binary_data.keys() {
        if c.data.contains_key(k) {
            errs.push(FieldError::invalid(
                key("data", k),
                BadValue::Str(k.clone()),
                "duplicate of key present in binaryData",
            ));
        }
    }
}

pub fn validate_secret(s: &Secret, errs: &mut Vec<FieldError>) {
    validate_data_keys(s.data.keys().chain(s.string_data.keys()), "data", errs);
    let t = s.type_.as_deref().unwrap_or("Opaque");
    let need = |k: &str, errs: &mut Vec<FieldError>| {
        if !s.data.contains_key(k) && !s.string_data.contains_key(k) {
            errs.push(FieldError::required(key("data", k), ""));
        }
    };
    match t {
        "kubernetes.io/tls" => {
            need("tls.crt", errs);
            need("tls.key", errs);
        }
        "kubernetes.io/dockerconfigjson" => need(".dockerconfigjson", errs),
        "kubernetes.io/basic-auth" => {}
        "kubernetes.io/ssh-auth" => need("ssh-privatekey", errs),
        _ => {}
    }
}

pub fn validate_node(n: &Node, errs: &mut Vec<FieldError>) {
    let mut seen = BTreeSet::new();
    for (i, t) in n.spec.taints.iter().enumerate() {
        let p = idx("spec.taints", i);
        for m in is_qualified_name(&t.key) {
            errs.push(FieldError::invalid(
                child(&p, "key"),
                BadValue::Str(t.key.clone()),
                m,
            ));
        }
        if let Some(v) = t.value.as_deref() {
            for m in is_valid_label_value(v) {
                errs.push(FieldError::invalid(
                    child(&p, "value"),
                    BadValue::Str(v.into()),
                    m,
                ));
            }
        }
        match t.effect.as_str() {
            "NoSchedule" | "PreferNoSchedule" | "NoExecute" => {}
            "" => errs.push(FieldError::required(child(&p, "effect"), "")),
            other => errs.push(FieldError::not_supported(
                child(&p, "effect"),
                other,
                &["NoSchedule", "PreferNoSchedule", "NoExecute"],
            )),
        }
        if !seen.insert((t.key.as_str(), t.effect.as_str())) {
            errs.push(FieldError::duplicate(
                &p,
                BadValue::Str(format!("{}:{}", t.key, t.effect)),
            ));
            if let Some(last) = errs.last_mut() {
                last.detail = "taints must be unique by key and effect pair".into();
            }
        }
    }
    for (name, q) in n.status.capacity.iter().chain(n.status.allocatable.iter()) {
        if !q.is_valid() {
            errs.push(FieldError::invalid(
                key("status.capacity", name),
                BadValue::Str(q.0.clone()),
                crate::types::QUANTITY_ERROR,
            ));
        }
    }
}
