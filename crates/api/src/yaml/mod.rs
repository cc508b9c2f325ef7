//! YAML with source positions.
//!
//! - `parse_stream(text)` → one positioned `Node` tree per document (aliases expanded within a
//!   budget, duplicate keys rejected as sigs.k8s.io/yaml rejects them).
//! - `from_str::<T>(text)` → serde deserialisation of a single document, for data files. Lenient:
//!   plain scalars may fill string fields (`tag: 1.27` is the string "1.27").
//! - `from_node::<T>(node)` → Kubernetes decoding of one document: JSON's type strictness and all
//!   unknown fields reported, each with its position.

mod de;
mod error;
mod node;
mod parse;
mod scalar;

pub use error::{YamlError, YamlErrorKind};
pub use node::{Located, Node, NodeKind, Pos, ScalarStyle, Span};
pub use parse::{go_quote, parse_stream, parse_stream_with, Limits};
pub use scalar::{resolve, Resolved};

use serde::de::DeserializeOwned;

/// Deserialises a single-document YAML text (an empty text is an empty mapping/null).
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let docs = parse_stream(text).map_err(first_error)?;
    let null = Node::new(
        NodeKind::Null,
        Span {
            start: Pos { line: 1, column: 1 },
            end: Pos { line: 1, column: 1 },
        },
    );
    let doc = match docs.as_slice() {
        [] => &null,
        [one] => one,
        [_, second, ..] => {
            return Err(YamlError::new(
                YamlErrorKind::Syntax,
                "expected a single YAML document, found several",
                second.start(),
            ))
        }
    };
    let ctx = de::Ctx::lenient();
    T::deserialize(de::NodeDe::new(doc, &ctx)).map_err(de::DeError::into_yaml_error)
}

/// Decodes one document as the API server does: type errors stop decoding (one error); otherwise
/// every unknown field is an error, in document order.
pub fn from_node<T: DeserializeOwned>(node: &Node) -> Result<T, Vec<YamlError>> {
    let ctx = de::Ctx::kubernetes();
    let value =
        T::deserialize(de::NodeDe::new(node, &ctx)).map_err(|e| vec![e.into_yaml_error()])?;
    let unknown = ctx.unknown.into_inner();
    if unknown.is_empty() {
        Ok(value)
    } else {
        Err(unknown)
    }
}

/// Like `from_node`, for a subtree found at `path` inside a field of Go struct `go_struct`
/// (e.g. the `metadata` of a kind podplay does not type: `from_node_at(meta, "metadata", "Deployment")`).
pub fn from_node_at<T: DeserializeOwned>(
    node: &Node,
    path: &str,
    go_struct: &'static str,
) -> Result<T, Vec<YamlError>> {
    let ctx = de::Ctx::kubernetes();
    let value = T::deserialize(de::NodeDe::at(node, &ctx, path, go_struct))
        .map_err(|e| vec![e.into_yaml_error()])?;
    let unknown = ctx.unknown.into_inner();
    if unknown.is_empty() {
        Ok(value)
    } else {
        Err(unknown)
    }
}

/// The kubectl text for several duplicate-key errors of one document, or the single error's text.
pub fn combined_message(errors: &[YamlError]) -> String {
    match errors {
        [one] if one.kind != YamlErrorKind::DuplicateKey => one.message.clone(),
        _ => {
            let lines: Vec<String> = errors.iter().map(|e| format!("  {}", e.message)).collect();
            format!("yaml: unmarshal errors:\n{}", lines.join("\n"))
        }
    }
}

fn first_error(errors: Vec<YamlError>) -> YamlError {
    let mut e = errors
        .first()
        .cloned()
        .unwrap_or_else(|| YamlError::new(YamlErrorKind::Syntax, "yaml: error", Pos::default()));
    if e.kind == YamlErrorKind::DuplicateKey {
        let lines: Vec<String> = errors.iter().map(|e| format!("  {}", e.message)).collect();
        e.message = format!("yaml: unmarshal errors:\n{}", lines.join("\n"));
    }
    e
}

/// Decodes a typed object from JSON through the same decoder as YAML. The API types then need one
/// set of `Deserialize` instantiations, not a second one for `serde_json::Value`: that halves the
/// decoding code in the WebAssembly build. Unknown fields are errors, as with `from_node`.
pub fn from_json<T: DeserializeOwned>(v: &serde_json::Value) -> Result<T, String> {
    from_node(&json_node(v)).map_err(|errs| combined_message(&errs))
}

fn json_node(v: &serde_json::Value) -> Node {
    use serde_json::Value;
    let kind = match v {
        Value::Null => NodeKind::Null,
        Value::Bool(b) => NodeKind::Scalar(b.to_string(), ScalarStyle::Plain),
        Value::Number(n) => NodeKind::Scalar(n.to_string(), ScalarStyle::Plain),
        // Quoted, so "80" stays a string and never resolves to a number.
        Value::String(s) => NodeKind::Scalar(s.clone(), ScalarStyle::DoubleQuoted),
        Value::Array(a) => NodeKind::Seq(a.iter().map(json_node).collect()),
        Value::Object(m) => NodeKind::Map(
            m.iter()
                .map(|(k, v)| {
                    (
                        Node::new(
                            NodeKind::Scalar(k.clone(), ScalarStyle::DoubleQuoted),
                            Span::default(),
                        ),
                        json_node(v),
                    )
                })
                .collect(),
        ),
    };
    Node::new(kind, Span::default())
}
