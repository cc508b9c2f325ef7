//! `parse_manifests`: from a file's text to typed, defaulted, validated objects, or to diagnostics
//! that carry FILE:LINE:COLUMN and the exact text kubectl would print.

use std::fmt;

use crate::defaults::apply_defaults;
use crate::types::{Object, ObjectMeta, OtherObject, TYPED_KINDS};
use crate::validation::{invalid_message, validate, FieldError};
use crate::yaml::{self, Node, NodeKind, Pos, YamlError, YamlErrorKind};

/// One accepted object and where its document starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Manifest {
    pub object: Object,
    pub file: String,
    /// 1-based.
    pub line: u32,
    /// 1-based.
    pub column: u32,
}

/// One problem in a manifest file.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based.
    pub line: u32,
    /// 1-based.
    pub column: u32,
    /// The problem, on one line (`podplay check` prints `{file}:{line}:{column}: {message}`).
    pub message: String,
    /// What `kubectl apply -f FILE` prints on stderr for the document (may be several lines).
    pub kubectl: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// Kinds podplay accepts without typing them field by field, with their served apiVersions.
pub const OTHER_KINDS: &[(&str, &[&str])] = &[
    ("Deployment", &["apps/v1"]),
    ("ReplicaSet", &["apps/v1"]),
    ("StatefulSet", &["apps/v1"]),
    ("DaemonSet", &["apps/v1"]),
    ("Job", &["batch/v1"]),
    ("CronJob", &["batch/v1"]),
    (
        "HorizontalPodAutoscaler",
        &["autoscaling/v2", "autoscaling/v1"],
    ),
    ("Ingress", &["networking.k8s.io/v1"]),
    ("IngressClass", &["networking.k8s.io/v1"]),
    ("NetworkPolicy", &["networking.k8s.io/v1"]),
    ("PodDisruptionBudget", &["policy/v1"]),
    ("ServiceAccount", &["v1"]),
    ("PersistentVolumeClaim", &["v1"]),
    ("PersistentVolume", &["v1"]),
    ("LimitRange", &["v1"]),
    ("ResourceQuota", &["v1"]),
    ("ReplicationController", &["v1"]),
    ("PodTemplate", &["v1"]),
    ("EndpointSlice", &["discovery.k8s.io/v1"]),
    ("StorageClass", &["storage.k8s.io/v1"]),
    ("PriorityClass", &["scheduling.k8s.io/v1"]),
    ("Role", &["rbac.authorization.k8s.io/v1"]),
    ("RoleBinding", &["rbac.authorization.k8s.io/v1"]),
    ("ClusterRole", &["rbac.authorization.k8s.io/v1"]),
    ("ClusterRoleBinding", &["rbac.authorization.k8s.io/v1"]),
    ("Lease", &["coordination.k8s.io/v1"]),
    ("RuntimeClass", &["node.k8s.io/v1"]),
    ("CustomResourceDefinition", &["apiextensions.k8s.io/v1"]),
];

/// Parses, strictly decodes, defaults and validates every document of `text` (the content of
/// `file`). All documents are checked; any problem makes the result `Err` with every diagnostic.
pub fn parse_manifests(file: &str, text: &str) -> Result<Vec<Manifest>, Vec<Diagnostic>> {
    let docs = match yaml::parse_stream(text) {
        Ok(docs) => docs,
        Err(errors) => return Err(yaml_diagnostics(file, &errors)),
    };
    let mut items: Vec<&Node> = Vec::new();
    for doc in &docs {
        if is_list(doc) {
            if let Some(list) = doc.get("items").and_then(Node::as_seq) {
                items.extend(list.iter());
            }
        } else {
            items.push(doc);
        }
    }
    if items.is_empty() {
        return Err(vec![Diagnostic {
            file: file.into(),
            line: 1,
            column: 1,
            message: "no objects passed to apply".into(),
            kubectl: "error: no objects passed to apply".into(),
        }]);
    }
    let mut manifests = Vec::new();
    let mut diagnostics = Vec::new();
    for node in items {
        match parse_document(file, node) {
            Ok(object) => manifests.push(Manifest {
                object,
                file: file.into(),
                line: node.start().line,
                column: node.start().column,
            }),
            Err(mut d) => diagnostics.append(&mut d),
        }
    }
    if diagnostics.is_empty() {
        Ok(manifests)
    } else {
        Err(diagnostics)
    }
}

fn is_list(doc: &Node) -> bool {
    let kind = doc.get("kind").and_then(Node::as_str).unwrap_or("");
    kind == "List"
        || (kind.ends_with("List") && doc.get("items").is_some_and(|i| i.as_seq().is_some()))
}

fn diag(file: &str, pos: Pos, message: String, kubectl: String) -> Diagnostic {
    Diagnostic {
        file: file.into(),
        line: pos.line.max(1),
        column: pos.column.max(1),
        message,
        kubectl,
    }
}

fn yaml_diagnostics(file: &str, errors: &[YamlError]) -> Vec<Diagnostic> {
    let all = yaml::combined_message(errors);
    let kubectl = match errors.first().map(|e| e.kind) {
        Some(YamlErrorKind::Limit) if all.starts_with("Request entity") => format!("error: {all}"),
        _ => format!("error: error parsing {file}: error converting YAML to JSON: {all}"),
    };
    errors
        .iter()
        .map(|e| {
            let message = match e.kind {
                YamlErrorKind::DuplicateKey => {
                    format!(
                        "error converting YAML to JSON: yaml: unmarshal errors: {}",
                        e.message
                    )
                }
                _ => format!("error converting YAML to JSON: {}", e.message),
            };
            diag(file, e.pos, message, kubectl.clone())
        })
        .collect()
}

/// One document → one object, or its diagnostics.
fn parse_document(file: &str, node: &Node) -> Result<Object, Vec<Diagnostic>> {
    let start = node.start();
    let go_kind = match &node.kind {
        NodeKind::Map(_) => None,
        NodeKind::Seq(_) => Some("array"),
        NodeKind::Null => Some("null"),
        NodeKind::Scalar(..) => Some("string"),
    };
    if let Some(k) = go_kind {
        let m =
            format!("json: cannot unmarshal {k} into Go value of type map[string]interface {{}}");
        return Err(vec![diag(
            file,
            start,
            m.clone(),
            format!("error: unable to decode \"{file}\": {m}"),
        )]);
    }
    let api_version = node
        .get("apiVersion")
        .and_then(Node::as_str)
        .unwrap_or("")
        .to_string();
    let kind = node
        .get("kind")
        .and_then(Node::as_str)
        .unwrap_or("")
        .to_string();
    let mut missing = Vec::new();
    if api_version.is_empty() {
        missing.push("apiVersion not set");
    }
    if kind.is_empty() {
        missing.push("kind not set");
    }
    if !missing.is_empty() {
        let what = if missing.len() == 1 {
            missing.join("")
        } else {
            format!("[{}]", missing.join(", "))
        };
        let m = format!("error validating data: {what}; if you choose to ignore these errors, turn validation off with --validate=false");
        let k = format!("error: error validating \"{file}\": {m}");
        return Err(vec![diag(file, start, m, k)]);
    }
    let typed = TYPED_KINDS
        .iter()
        .any(|(k, v)| *k == kind && *v == api_version);
    let other = OTHER_KINDS
        .iter()
        .any(|(k, vs)| *k == kind && vs.contains(&api_version.as_str()));
    if !typed && !other {
        let name = node
            .get("metadata")
            .and_then(|m| m.get("name"))
            .and_then(Node::as_str)
            .unwrap_or("");
        let ns = node
            .get("metadata")
            .and_then(|m| m.get("namespace"))
            .and_then(Node::as_str)
            .unwrap_or("");
        let m = format!("no matches for kind \"{kind}\" in version \"{api_version}\"");
        let k = format!(
            "error: resource mapping not found for name: \"{name}\" namespace: \"{ns}\" from \"{file}\": {m}\nensure CRDs are installed first"
        );
        let pos = node.entry("kind").map(|(k, _)| k.start()).unwrap_or(start);
        return Err(vec![diag(file, pos, m, k)]);
    }
    let mut object = decode(file, node, &kind, &api_version, typed)?;
    apply_defaults(&mut object);
    let errors = validate(&object);
    if errors.is_empty() {
        return Ok(object);
    }
    let all = invalid_message(&kind, object.name(), &errors);
    Err(errors
        .iter()
        .map(|e| {
            let one = invalid_message(&kind, object.name(), std::slice::from_ref(e));
            diag(file, field_position(node, e), one, all.clone())
        })
        .collect())
}

fn decode(
    file: &str,
    node: &Node,
    kind: &str,
    api_version: &str,
    typed: bool,
) -> Result<Object, Vec<Diagnostic>> {
    let decoded: Result<Object, Vec<YamlError>> = if typed {
        match kind {
            "Pod" => yaml::from_node(node).map(Object::Pod),
            "Service" => yaml::from_node(node).map(Object::Service),
            "Endpoints" => yaml::from_node(node).map(Object::Endpoints),
            "Namespace" => yaml::from_node(node).map(Object::Namespace),
            "ConfigMap" => yaml::from_node(node).map(Object::ConfigMap),
            "Secret" => yaml::from_node(node)
                .map(Object::Secret)
                .and_then(check_base64),
            "Node" => yaml::from_node(node).map(Object::Node),
            _ => yaml::from_node(node).map(Object::Event),
        }
    } else {
        decode_other(node, kind, api_version)
    };
    decoded.map_err(|errors| {
        let version = api_version.rsplit('/').next().unwrap_or(api_version);
        let head = format!("{kind} in version \"{version}\" cannot be handled as a {kind}: ");
        let strict: Vec<&YamlError> = errors
            .iter()
            .filter(|e| e.kind == YamlErrorKind::UnknownField)
            .collect();
        let server = if strict.is_empty() {
            errors
                .first()
                .map(|e| e.message.clone())
                .unwrap_or_default()
        } else {
            let all: Vec<&str> = strict.iter().map(|e| e.message.as_str()).collect();
            format!("strict decoding error: {}", all.join(", "))
        };
        let kubectl = format!(
            "Error from server (BadRequest): error when creating \"{file}\": {head}{server}"
        );
        errors
            .iter()
            .map(|e| {
                let message = match e.kind {
                    YamlErrorKind::UnknownField => {
                        let hint = e
                            .hint
                            .as_ref()
                            .map(|h| format!(" (did you mean \"{h}\"?)"))
                            .unwrap_or_default();
                        format!("strict decoding error: {}{hint}", e.message)
                    }
                    _ => format!("{head}{}", e.message),
                };
                diag(file, e.pos, message, kubectl.clone())
            })
            .collect()
    })
}

/// A kind podplay does not type: its metadata is decoded strictly, the rest kept as JSON.
fn decode_other(node: &Node, kind: &str, api_version: &str) -> Result<Object, Vec<YamlError>> {
    let go_struct: &'static str = OTHER_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(k, _)| *k)
        .unwrap_or("Object");
    let metadata: ObjectMeta = match node.get("metadata") {
        Some(m) => yaml::from_node_at(m, "metadata", go_struct)?,
        None => ObjectMeta::default(),
    };
    let mut body: serde_json::Map<String, serde_json::Value> = yaml::from_node(node)?;
    body.remove("apiVersion");
    body.remove("kind");
    body.remove("metadata");
    Ok(Object::Other(OtherObject {
        api_version: api_version.into(),
        kind: kind.into(),
        metadata,
        body,
    }))
}

/// Secret.data is `[]byte` in Go: values must be standard base64, else decoding fails.
fn check_base64(obj: Object) -> Result<Object, Vec<YamlError>> {
    if let Object::Secret(s) = &obj {
        for v in s.data.values() {
            if let Some(at) = base64_error_at(v) {
                return Err(vec![YamlError::new(
                    YamlErrorKind::Type,
                    format!("illegal base64 data at input byte {at}"),
                    Pos { line: 1, column: 1 },
                )]);
            }
        }
    }
    Ok(obj)
}

/// Where Go's base64.StdEncoding would fail, if it would.
fn base64_error_at(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let body_len = b.iter().rposition(|c| *c != b'=').map_or(0, |i| i + 1);
    for (i, c) in b.iter().enumerate() {
        let ok =
            c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/' || (*c == b'=' && i >= body_len);
        if !ok {
            return Some(i);
        }
    }
    if b.len() % 4 != 0 {
        return Some(b.len() / 4 * 4);
    }
    if b.len() - body_len > 2 {
        return Some(body_len);
    }
    None
}

/// The node a field error is about: the key of the named field when it exists (so the column is
/// the field's), else the deepest existing ancestor.
fn field_position(doc: &Node, e: &FieldError) -> Pos {
    let located = doc.locate(&e.path);
    if located.complete {
        if let Some(k) = located.key {
            return k.start();
        }
    }
    located.node.start()
}
