//! `Object`: any document podplay accepts, typed where podplay simulates the kind.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{ConfigMap, Endpoints, Event, Namespace, Node, ObjectMeta, Pod, Secret, Service};

#[derive(Clone, Debug, PartialEq)]
pub enum Object {
    Pod(Pod),
    Service(Service),
    Endpoints(Endpoints),
    Namespace(Namespace),
    ConfigMap(ConfigMap),
    Secret(Secret),
    Node(Node),
    Event(Event),
    /// A kind not simulated field by field (Deployment, Job, ...): kept as JSON.
    Other(OtherObject),
}

impl Default for Object {
    fn default() -> Self {
        Object::Pod(Pod::default())
    }
}

/// A document of a kind podplay does not type (yet). `body` holds every top-level field except
/// apiVersion, kind and metadata (usually `spec` and `status`).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct OtherObject {
    pub api_version: String,
    pub kind: String,
    pub metadata: ObjectMeta,
    pub body: serde_json::Map<String, Value>,
}

/// The kinds with a typed variant, with the apiVersion they are served at.
pub const TYPED_KINDS: &[(&str, &str)] = &[
    ("Pod", "v1"),
    ("Service", "v1"),
    ("Endpoints", "v1"),
    ("Namespace", "v1"),
    ("ConfigMap", "v1"),
    ("Secret", "v1"),
    ("Node", "v1"),
    ("Event", "v1"),
];

impl Object {
    /// The kind as Kubernetes spells it (`Pod`, `Deployment`).
    pub fn kind(&self) -> &str {
        match self {
            Object::Pod(_) => "Pod",
            Object::Service(_) => "Service",
            Object::Endpoints(_) => "Endpoints",
            Object::Namespace(_) => "Namespace",
            Object::ConfigMap(_) => "ConfigMap",
            Object::Secret(_) => "Secret",
            Object::Node(_) => "Node",
            Object::Event(_) => "Event",
            Object::Other(o) => &o.kind,
        }
    }

    pub fn api_version(&self) -> &str {
        match self {
            Object::Other(o) => &o.api_version,
            _ => "v1",
        }
    }

    pub fn metadata(&self) -> &ObjectMeta {
        match self {
            Object::Pod(o) => &o.metadata,
            Object::Service(o) => &o.metadata,
            Object::Endpoints(o) => &o.metadata,
            Object::Namespace(o) => &o.metadata,
            Object::ConfigMap(o) => &o.metadata,
            Object::Secret(o) => &o.metadata,
            Object::Node(o) => &o.metadata,
            Object::Event(o) => &o.metadata,
            Object::Other(o) => &o.metadata,
        }
    }

    pub fn metadata_mut(&mut self) -> &mut ObjectMeta {
        match self {
            Object::Pod(o) => &mut o.metadata,
            Object::Service(o) => &mut o.metadata,
            Object::Endpoints(o) => &mut o.metadata,
            Object::Namespace(o) => &mut o.metadata,
            Object::ConfigMap(o) => &mut o.metadata,
            Object::Secret(o) => &mut o.metadata,
            Object::Node(o) => &mut o.metadata,
            Object::Event(o) => &mut o.metadata,
            Object::Other(o) => &mut o.metadata,
        }
    }

    pub fn name(&self) -> &str {
        self.metadata().name()
    }

    /// Whether objects of this kind live in a namespace (Namespace and Node do not).
    pub fn is_namespaced(&self) -> bool {
        is_namespaced_kind(self.kind())
    }

    /// The object as JSON, with apiVersion and kind set (as `kubectl get -o json` shows it).
    pub fn to_json(&self) -> Value {
        let mut v = match self {
            Object::Pod(o) => serde_json::to_value(o),
            Object::Service(o) => serde_json::to_value(o),
            Object::Endpoints(o) => serde_json::to_value(o),
            Object::Namespace(o) => serde_json::to_value(o),
            Object::ConfigMap(o) => serde_json::to_value(o),
            Object::Secret(o) => serde_json::to_value(o),
            Object::Node(o) => serde_json::to_value(o),
            Object::Event(o) => serde_json::to_value(o),
            Object::Other(o) => {
                let mut m = serde_json::Map::new();
                m.insert(
                    "metadata".into(),
                    serde_json::to_value(&o.metadata).unwrap_or(Value::Null),
                );
                for (k, v) in &o.body {
                    m.insert(k.clone(), v.clone());
                }
                Ok(Value::Object(m))
            }
        }
        .unwrap_or(Value::Null);
        if let Value::Object(m) = &mut v {
            // apiVersion and kind first, as the API server writes them.
            let mut out = serde_json::Map::new();
            out.insert(
                "apiVersion".into(),
                Value::String(self.api_version().to_string()),
            );
            out.insert("kind".into(), Value::String(self.kind().to_string()));
            for (k, val) in std::mem::take(m) {
                if k != "apiVersion" && k != "kind" {
                    out.insert(k, val);
                }
            }
            *m = out;
        }
        v
    }

    /// Builds an object from JSON by its `kind` (no positions; used for objects made by commands).
    pub fn from_json(v: Value) -> Result<Object, String> {
        let kind = v
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let api_version = v
            .get("apiVersion")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let typed = TYPED_KINDS
            .iter()
            .any(|(k, av)| *k == kind && *av == api_version);
        Ok(match (typed, kind.as_str()) {
            (true, "Pod") => Object::Pod(crate::yaml::from_json(&v)?),
            (true, "Service") => Object::Service(crate::yaml::from_json(&v)?),
            (true, "Endpoints") => Object::Endpoints(crate::yaml::from_json(&v)?),
            (true, "Namespace") => Object::Namespace(crate::yaml::from_json(&v)?),
            (true, "ConfigMap") => Object::ConfigMap(crate::yaml::from_json(&v)?),
            (true, "Secret") => Object::Secret(crate::yaml::from_json(&v)?),
            (true, "Node") => Object::Node(crate::yaml::from_json(&v)?),
            (true, "Event") => Object::Event(crate::yaml::from_json(&v)?),
            _ => {
                let Value::Object(mut m) = v else {
                    return Err("object expected".into());
                };
                m.remove("apiVersion");
                m.remove("kind");
                let metadata = match m.remove("metadata") {
                    Some(md) => crate::yaml::from_json(&md)?,
                    None => ObjectMeta::default(),
                };
                Object::Other(OtherObject {
                    api_version,
                    kind,
                    metadata,
                    body: m,
                })
            }
        })
    }
}

/// Cluster-scoped kinds are the exception; everything else podplay knows is namespaced.
pub fn is_namespaced_kind(kind: &str) -> bool {
    !matches!(
        kind,
        "Namespace"
            | "Node"
            | "PersistentVolume"
            | "ClusterRole"
            | "ClusterRoleBinding"
            | "StorageClass"
            | "PriorityClass"
            | "CustomResourceDefinition"
            | "IngressClass"
            | "RuntimeClass"
    )
}

impl Serialize for Object {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Object {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        Object::from_json(v).map_err(serde::de::Error::custom)
    }
}
