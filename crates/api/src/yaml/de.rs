//! A serde `Deserializer` over a positioned `Node`.
//!
//! It tracks two paths while descending: the Kubernetes field path with indices
//! (`spec.containers[0].livenessProbe`, used by strict decoding and validation) and the Go
//! encoding/json path without indices plus the enclosing Go struct name
//! (`ContainerPort.spec.containers.ports.containerPort`), so that type errors read exactly like the
//! API server's. In Kubernetes mode it reports *all* unknown fields of a document (the server joins
//! them with ", ") instead of stopping at the first, and plain scalars keep their YAML type
//! (`image: 1` is a number, not a string), as they do after kubectl turns YAML into JSON.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};

use super::error::{YamlError, YamlErrorKind};
use super::node::{Node, NodeKind, Pos};
use super::scalar::{go_float_text, resolve, Resolved};
use crate::suggest::did_you_mean;

/// Decoding mode and what decoding collected on the side.
pub struct Ctx {
    /// Kubernetes semantics: no scalar coercion, unknown fields collected (not passed to serde).
    pub kubernetes: bool,
    pub unknown: RefCell<Vec<YamlError>>,
}

impl Ctx {
    pub fn kubernetes() -> Ctx {
        Ctx {
            kubernetes: true,
            unknown: RefCell::new(Vec::new()),
        }
    }
    pub fn lenient() -> Ctx {
        Ctx {
            kubernetes: false,
            unknown: RefCell::new(Vec::new()),
        }
    }
}

/// The error type inside serde; becomes a `YamlError` at the top.
#[derive(Debug, Clone)]
pub struct DeError {
    kind: YamlErrorKind,
    message: String,
    pos: Option<Pos>,
    path: String,
    /// A type mismatch reported by a visitor: (JSON kind found, Go type expected), worded when the
    /// error passes the node it is about.
    mismatch: Option<(String, String)>,
}

impl DeError {
    pub fn into_yaml_error(self) -> YamlError {
        let mut e = YamlError::new(
            self.kind,
            self.message,
            self.pos.unwrap_or(Pos { line: 1, column: 1 }),
        );
        e.path = self.path;
        e
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError {
            kind: YamlErrorKind::Type,
            message: msg.to_string(),
            pos: None,
            path: String::new(),
            mismatch: None,
        }
    }

    fn invalid_type(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        let found = match unexp {
            de::Unexpected::Bool(_) => "bool".to_string(),
            de::Unexpected::Unsigned(n) => format!("number {n}"),
            de::Unexpected::Signed(n) => format!("number {n}"),
            de::Unexpected::Float(f) => format!("number {}", go_float_text(f)),
            de::Unexpected::Str(_) | de::Unexpected::Char(_) | de::Unexpected::Bytes(_) => {
                "string".into()
            }
            de::Unexpected::Unit | de::Unexpected::Option => "null".into(),
            de::Unexpected::Seq => "array".into(),
            de::Unexpected::Map => "object".into(),
            _ => "value".into(),
        };
        let mut e = DeError::custom("");
        e.mismatch = Some((found, exp.to_string()));
        e
    }

    fn invalid_value(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        Self::invalid_type(unexp, exp)
    }

    fn unknown_field(field: &str, _expected: &'static [&'static str]) -> Self {
        DeError {
            kind: YamlErrorKind::UnknownField,
            message: format!("unknown field \"{field}\""),
            pos: None,
            path: String::new(),
            mismatch: None,
        }
    }
}

/// Deserializes one node (a whole document or any subtree).
pub struct NodeDe<'a> {
    node: &'a Node,
    ctx: &'a Ctx,
    /// Kubernetes path with indices.
    path: String,
    /// encoding/json field path (no indices).
    go_path: String,
    /// Go name of the innermost struct whose field this is ("" at the top).
    go_struct: &'static str,
    /// JSON name of this field ("" at the top or for list items' own position).
    field: String,
}

impl<'a> NodeDe<'a> {
    pub fn new(node: &'a Node, ctx: &'a Ctx) -> NodeDe<'a> {
        NodeDe {
            node,
            ctx,
            path: String::new(),
            go_path: String::new(),
            go_struct: "",
            field: String::new(),
        }
    }

    /// A deserializer for a subtree that sits at `path` (a field of Go struct `go_struct`).
    pub fn at(node: &'a Node, ctx: &'a Ctx, path: &str, go_struct: &'static str) -> NodeDe<'a> {
        let field = path.rsplit('.').next().unwrap_or(path).to_string();
        NodeDe {
            node,
            ctx,
            path: path.into(),
            go_path: path.into(),
            go_struct,
            field,
        }
    }

    #[inline(never)]
    fn child_field(&self, node: &'a Node, name: &str, go_struct: &'static str) -> NodeDe<'a> {
        NodeDe {
            node,
            ctx: self.ctx,
            path: join(&self.path, name),
            go_path: join(&self.go_path, name),
            go_struct,
            field: name.to_string(),
        }
    }

    #[inline(never)]
    fn child_item(&self, node: &'a Node, index: usize) -> NodeDe<'a> {
        NodeDe {
            node,
            ctx: self.ctx,
            path: format!("{}[{index}]", self.path),
            go_path: self.go_path.clone(),
            go_struct: self.go_struct,
            field: self.field.clone(),
        }
    }

    /// The JSON type of this node as encoding/json names it.
    fn json_kind(&self) -> String {
        match &self.node.kind {
            NodeKind::Null => "null".into(),
            NodeKind::Seq(_) => "array".into(),
            NodeKind::Map(_) => "object".into(),
            NodeKind::Scalar(s, style) if style.is_plain() => match resolve(s) {
                Resolved::Float(f) if !f.is_finite() => "string".into(),
                r => r.json_kind().into(),
            },
            NodeKind::Scalar(..) => "string".into(),
        }
    }

    #[inline(never)]
    fn type_error(&self, found: &str, go_type: &str) -> DeError {
        let message = if self.go_struct.is_empty() || self.go_path.is_empty() {
            format!("json: cannot unmarshal {found} into Go value of type {go_type}")
        } else {
            format!(
                "json: cannot unmarshal {found} into Go struct field {}.{} of type {go_type}",
                self.go_struct, self.go_path
            )
        };
        DeError {
            kind: YamlErrorKind::Type,
            message,
            pos: Some(self.node.start()),
            path: self.path.clone(),
            mismatch: None,
        }
    }

    #[inline(never)]
    fn mismatch(&self, go_type: &str) -> DeError {
        self.type_error(&self.json_kind(), go_type)
    }

    /// Gives an error from a visitor (or a child) this node's position and Go wording, unless it
    /// already has them.
    #[inline(never)]
    fn fix(&self, mut e: DeError) -> DeError {
        if let Some((found, exp)) = e.mismatch.take() {
            let mut fixed = self.type_error(&found, &exp);
            fixed.kind = e.kind;
            return fixed;
        }
        if e.pos.is_none() {
            e.pos = Some(self.node.start());
            e.path = self.path.clone();
        }
        e
    }

    /// The integer this node holds, or the error encoding/json gives for `go_type`.
    fn integer(&self, go_type: &str, min: i128, max: i128) -> Result<i128, DeError> {
        let out_of_range = |text: String| self.type_error(&format!("number {text}"), go_type);
        let n: i128 = match &self.node.kind {
            NodeKind::Null => 0,
            NodeKind::Scalar(s, style) => {
                let r = if style.is_plain() {
                    resolve(s)
                } else if !self.ctx.kubernetes {
                    // Data files may quote numbers; only manifests follow JSON's strictness.
                    match resolve(s.trim()) {
                        r @ (Resolved::Int(_) | Resolved::Float(_)) => r,
                        _ => return Err(self.mismatch(go_type)),
                    }
                } else {
                    return Err(self.mismatch(go_type));
                };
                match r {
                    Resolved::Int(n) => i128::from(n),
                    Resolved::Float(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e21 => {
                        let n = f as i128;
                        if n < min || n > max {
                            return Err(out_of_range(go_float_text(f)));
                        }
                        n
                    }
                    Resolved::Float(f) if f.is_finite() => {
                        // An int64 overflow keeps its digits in Go's message.
                        let text = if s
                            .chars()
                            .all(|c| c.is_ascii_digit() || c == '-' || c == '+')
                        {
                            s.trim_start_matches('+').to_string()
                        } else {
                            go_float_text(f)
                        };
                        return Err(out_of_range(text));
                    }
                    Resolved::Null => 0,
                    _ => return Err(self.mismatch(go_type)),
                }
            }
            _ => return Err(self.mismatch(go_type)),
        };
        if n < min || n > max {
            return Err(out_of_range(n.to_string()));
        }
        Ok(n)
    }

    fn seq_type(&self) -> String {
        go_collection_type(&self.field, self.go_struct, true)
    }

    fn map_type(&self) -> String {
        go_collection_type(&self.field, self.go_struct, false)
    }
}

fn join(base: &str, name: &str) -> String {
    if base.is_empty() {
        name.to_string()
    } else {
        format!("{base}.{name}")
    }
}

/// Go types of list- and map-valued fields, for type errors (`of type []v1.Container`).
fn go_collection_type(field: &str, go_struct: &str, seq: bool) -> String {
    let t = match (field, go_struct) {
        ("containers" | "initContainers", _) => "[]v1.Container",
        ("ports", "ServiceSpec") => "[]v1.ServicePort",
        ("ports", "EndpointSubset") => "[]v1.EndpointPort",
        ("ports", _) => "[]v1.ContainerPort",
        ("volumes", _) => "[]v1.Volume",
        ("volumeMounts", _) => "[]v1.VolumeMount",
        ("env", _) => "[]v1.EnvVar",
        ("envFrom", _) => "[]v1.EnvFromSource",
        ("tolerations", _) => "[]v1.Toleration",
        ("taints", _) => "[]v1.Taint",
        ("conditions", "PodStatus") => "[]v1.PodCondition",
        ("conditions", "NodeStatus") => "[]v1.NodeCondition",
        ("subsets", _) => "[]v1.EndpointSubset",
        ("addresses" | "notReadyAddresses", "EndpointSubset") => "[]v1.EndpointAddress",
        ("ownerReferences", _) => "[]v1.OwnerReference",
        ("items", _) if seq => "[]v1.KeyToPath",
        ("limits" | "requests" | "capacity" | "allocatable" | "overhead", _) => "v1.ResourceList",
        (
            "command"
            | "args"
            | "finalizers"
            | "clusterIPs"
            | "externalIPs"
            | "podCIDRs"
            | "ipFamilies"
            | "loadBalancerSourceRanges",
            _,
        ) => "[]string",
        _ if seq => "[]interface {}",
        _ => "map[string]string",
    };
    t.to_string()
}

macro_rules! int_method {
    ($method:ident, $visit:ident, $ty:ty, $go:literal) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            let n = self.integer($go, <$ty>::MIN as i128, <$ty>::MAX as i128)?;
            // In range by construction: `integer` checked the bounds of $ty.
            visitor.$visit(n as $ty).map_err(|e| self.fix(e))
        }
    };
}

impl<'de, 'a> de::Deserializer<'de> for NodeDe<'a> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let r = match &self.node.kind {
            NodeKind::Null => visitor.visit_unit(),
            NodeKind::Scalar(s, style) if style.is_plain() => match resolve(s) {
                Resolved::Null => visitor.visit_unit(),
                Resolved::Bool(b) => visitor.visit_bool(b),
                Resolved::Int(n) => visitor.visit_i64(n),
                // JSON has no infinities; sigs.k8s.io/yaml writes them as strings.
                Resolved::Float(f) if !f.is_finite() => visitor.visit_str(s),
                Resolved::Float(f) => visitor.visit_f64(f),
                Resolved::Str => visitor.visit_str(s),
            },
            NodeKind::Scalar(s, _) => visitor.visit_str(s),
            NodeKind::Seq(items) => visitor.visit_seq(Seq {
                de: &self,
                items,
                next: 0,
            }),
            NodeKind::Map(entries) => visitor.visit_map(Map {
                de: &self,
                entries,
                next: 0,
                value: None,
            }),
        };
        r.map_err(|e| self.fix(e))
    }

    int_method!(deserialize_i8, visit_i8, i8, "int8");
    int_method!(deserialize_i16, visit_i16, i16, "int16");
    int_method!(deserialize_i32, visit_i32, i32, "int32");
    int_method!(deserialize_i64, visit_i64, i64, "int64");
    int_method!(deserialize_u8, visit_u8, u8, "uint8");
    int_method!(deserialize_u16, visit_u16, u16, "uint16");
    int_method!(deserialize_u32, visit_u32, u32, "uint32");
    int_method!(deserialize_u64, visit_u64, u64, "uint64");

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let f = match &self.node.kind {
            NodeKind::Null => 0.0,
            NodeKind::Scalar(s, style) if style.is_plain() || !self.ctx.kubernetes => {
                match resolve(s.trim()) {
                    Resolved::Int(n) => n as f64,
                    Resolved::Float(f) if f.is_finite() => f,
                    Resolved::Null => 0.0,
                    _ => return Err(self.mismatch("float64")),
                }
            }
            _ => return Err(self.mismatch("float64")),
        };
        visitor.visit_f64(f).map_err(|e| self.fix(e))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let b = match &self.node.kind {
            NodeKind::Null => false,
            NodeKind::Scalar(s, style) if style.is_plain() || !self.ctx.kubernetes => {
                match resolve(s) {
                    Resolved::Bool(b) => b,
                    Resolved::Null => false,
                    _ => return Err(self.mismatch("bool")),
                }
            }
            _ => return Err(self.mismatch("bool")),
        };
        visitor.visit_bool(b).map_err(|e| self.fix(e))
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let r = match &self.node.kind {
            // encoding/json leaves a string untouched on null.
            NodeKind::Null => visitor.visit_str(""),
            NodeKind::Scalar(s, style) if style.is_plain() => match resolve(s) {
                Resolved::Str => visitor.visit_str(s),
                Resolved::Null => visitor.visit_str(""),
                Resolved::Float(f) if !f.is_finite() => visitor.visit_str(s),
                _ if !self.ctx.kubernetes => visitor.visit_str(s),
                _ => return Err(self.mismatch("string")),
            },
            NodeKind::Scalar(s, _) => visitor.visit_str(s),
            _ => return Err(self.mismatch("string")),
        };
        r.map_err(|e| self.fix(e))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.node.is_null() {
            visitor.visit_none().map_err(|e| self.fix(e))
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit().map_err(|e| self.fix(e))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let r = match &self.node.kind {
            NodeKind::Seq(items) => visitor.visit_seq(Seq {
                de: &self,
                items,
                next: 0,
            }),
            _ if self.node.is_null() => visitor.visit_seq(Seq {
                de: &self,
                items: &[],
                next: 0,
            }),
            _ => return Err(self.mismatch(&self.seq_type())),
        };
        r.map_err(|e| self.fix(e))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let r = match &self.node.kind {
            NodeKind::Map(entries) => visitor.visit_map(Map {
                de: &self,
                entries,
                next: 0,
                value: None,
            }),
            _ if self.node.is_null() => visitor.visit_map(Map {
                de: &self,
                entries: &[],
                next: 0,
                value: None,
            }),
            _ => return Err(self.mismatch(&self.map_type())),
        };
        r.map_err(|e| self.fix(e))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let entries: &[(Node, Node)] = match &self.node.kind {
            NodeKind::Map(entries) => entries,
            _ if self.node.is_null() => &[],
            _ => return Err(self.mismatch(&format!("v1.{name}"))),
        };
        let r = visitor.visit_map(Struct {
            de: &self,
            name,
            fields,
            entries,
            next: 0,
            value: None,
        });
        r.map_err(|e| self.fix(e))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        // Only unit variants written as strings are supported (enough for data files).
        match self.node.as_str() {
            Some(s) => visitor
                .visit_enum(s.into_deserializer())
                .map_err(|e: DeError| self.fix(e)),
            None => Err(self.mismatch("string")),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }
}

/// The text of a mapping key (JSON keys are strings: `1: x` becomes `"1"`).
fn key_text(k: &Node) -> Option<&str> {
    match &k.kind {
        NodeKind::Scalar(s, _) => Some(s),
        NodeKind::Null => Some("null"),
        _ => None,
    }
}

struct Seq<'s, 'a> {
    de: &'s NodeDe<'a>,
    items: &'a [Node],
    next: usize,
}

impl<'de> SeqAccess<'de> for Seq<'_, '_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        let Some(item) = self.items.get(self.next) else {
            return Ok(None);
        };
        let child = self.de.child_item(item, self.next);
        self.next += 1;
        seed.deserialize(child).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len().saturating_sub(self.next))
    }
}

/// A mapping read as a map (`labels`, `data`, `serde_json::Value`).
struct Map<'s, 'a> {
    de: &'s NodeDe<'a>,
    entries: &'a [(Node, Node)],
    next: usize,
    value: Option<(&'a Node, &'a str)>,
}

impl<'de> MapAccess<'de> for Map<'_, '_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let Some((k, v)) = self.entries.get(self.next) else {
            return Ok(None);
        };
        self.next += 1;
        let Some(text) = key_text(k) else {
            let at = NodeDe {
                node: k,
                ctx: self.de.ctx,
                path: self.de.path.clone(),
                go_path: self.de.go_path.clone(),
                go_struct: self.de.go_struct,
                field: self.de.field.clone(),
            };
            return Err(at.type_error("object", "string"));
        };
        self.value = Some((v, text));
        seed.deserialize(text.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let Some((v, key)) = self.value.take() else {
            return Err(de::Error::custom("value without key"));
        };
        // Map values keep the map's Go context: encoding/json names the map field, not the key.
        let child = NodeDe {
            node: v,
            ctx: self.de.ctx,
            path: join(&self.de.path, key),
            go_path: self.de.go_path.clone(),
            go_struct: self.de.go_struct,
            field: self.de.field.clone(),
        };
        seed.deserialize(child)
    }
}

/// A mapping read as a struct: unknown keys are collected (Kubernetes mode) or passed on.
struct Struct<'s, 'a> {
    de: &'s NodeDe<'a>,
    name: &'static str,
    fields: &'static [&'static str],
    entries: &'a [(Node, Node)],
    next: usize,
    value: Option<(&'a Node, &'a str)>,
}

impl<'a> Struct<'_, 'a> {
    /// The next key this struct knows (unknown ones are collected in Kubernetes mode). Not
    /// generic and never inlined: serde instantiates `next_key_seed` once per struct, and this
    /// part would otherwise be copied into every one of them.
    #[inline(never)]
    fn next_known_key(&mut self) -> Result<Option<(&'a Node, &'a str)>, DeError> {
        loop {
            let Some((k, v)) = self.entries.get(self.next) else {
                return Ok(None);
            };
            self.next += 1;
            let Some(text) = key_text(k) else {
                let at = NodeDe {
                    node: k,
                    ctx: self.de.ctx,
                    path: self.de.path.clone(),
                    go_path: String::new(),
                    go_struct: "",
                    field: String::new(),
                };
                return Err(at.type_error("object", "string"));
            };
            let known = self.fields.contains(&text);
            if !known && self.de.ctx.kubernetes {
                let path = join(&self.de.path, text);
                let mut e = YamlError::new(
                    YamlErrorKind::UnknownField,
                    format!("unknown field \"{path}\""),
                    k.start(),
                );
                e.path = path;
                e.hint = did_you_mean(text, self.fields).map(str::to_string);
                self.de.ctx.unknown.borrow_mut().push(e);
                continue;
            }
            self.value = Some((v, text));
            return Ok(Some((k, text)));
        }
    }

    #[inline(never)]
    fn key_error(&self, k: &Node, text: &str, e: DeError) -> DeError {
        let mut e = e;
        if e.kind == YamlErrorKind::UnknownField {
            let path = join(&self.de.path, text);
            e.message = format!("unknown field \"{path}\"");
            e.path = path;
            e.pos = Some(k.start());
        }
        e
    }
}

impl<'de> MapAccess<'de> for Struct<'_, '_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let Some((k, text)) = self.next_known_key()? else {
            return Ok(None);
        };
        seed.deserialize(text.into_deserializer())
            .map(Some)
            .map_err(|e: DeError| self.key_error(k, text, e))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let Some((v, key)) = self.value.take() else {
            return Err(de::Error::custom("value without key"));
        };
        let child = self.de.child_field(v, key, self.name);
        seed.deserialize(child)
    }
}
