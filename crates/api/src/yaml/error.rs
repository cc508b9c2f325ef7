//! YAML and decoding errors, worded as the Go libraries behind kubectl word them.

use std::fmt;

use super::node::Pos;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YamlErrorKind {
    /// The text is not YAML (go-yaml scanner/parser error): kubectl fails before sending anything.
    Syntax,
    /// A key repeated in one mapping (sigs.k8s.io/yaml strict conversion).
    DuplicateKey,
    /// Input too large, too deep, or an alias expanding beyond the budget.
    Limit,
    /// A value of the wrong JSON type for its field (`json: cannot unmarshal ...`), or a malformed
    /// quantity/time: the API server rejects the whole document.
    Type,
    /// Fields the type does not have (`strict decoding error: unknown field ...`).
    UnknownField,
}

/// One error with the position of the node it is about.
#[derive(Clone, Debug, PartialEq)]
pub struct YamlError {
    pub kind: YamlErrorKind,
    /// The text as kubectl shows it after `error converting YAML to JSON: ` (syntax) or after
    /// `cannot be handled as a Pod: ` (decoding), e.g. `yaml: line 7: mapping values are not
    /// allowed in this context`.
    pub message: String,
    /// Where the problem is, 1-based.
    pub pos: Pos,
    /// The field path (`spec.containers[0].image`), empty for syntax errors.
    pub path: String,
    /// A known field with a near spelling, for unknown-field errors (`livenessProbe`).
    pub hint: Option<String>,
}

impl YamlError {
    pub fn new(kind: YamlErrorKind, message: impl Into<String>, pos: Pos) -> YamlError {
        YamlError {
            kind,
            message: message.into(),
            pos,
            path: String::new(),
            hint: None,
        }
    }
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.pos.line, self.pos.column, self.message)
    }
}

impl std::error::Error for YamlError {}
