//! Validation in the API server's words (pkg/apis/core/validation, apimachinery field errors).
//!
//! Every rule returns `FieldError`s whose `Display` is exactly what kubectl prints after
//! `The Pod "p" is invalid: `. Objects are validated *after* defaulting, as the API server does.

mod names;
mod other;
mod pod;
mod service;

use std::fmt;

pub use names::*;

use crate::types::Object;

/// apimachinery's field.ErrorType, with its printed words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorType {
    Required,
    Invalid,
    Forbidden,
    NotSupported,
    Duplicate,
    NotFound,
    TooMany,
    TooLong,
}

/// The value an error is about, printed as Go's field.Error prints it (strings quoted).
#[derive(Clone, Debug, PartialEq)]
pub enum BadValue {
    None,
    Str(String),
    Int(i64),
    Bool(bool),
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    pub type_: ErrorType,
    /// `spec.containers[0].livenessProbe.successThreshold`
    pub path: String,
    pub value: BadValue,
    pub detail: String,
}

impl FieldError {
    /// `field.TooLong`: the value is not printed, only the limit.
    pub fn too_long(path: impl Into<String>, max_bytes: usize) -> FieldError {
        FieldError {
            type_: ErrorType::TooLong,
            path: path.into(),
            value: BadValue::None,
            detail: format!("must have at most {max_bytes} bytes"),
        }
    }

    pub fn required(path: impl Into<String>, detail: impl Into<String>) -> FieldError {
        FieldError {
            type_: ErrorType::Required,
            path: path.into(),
            value: BadValue::None,
            detail: detail.into(),
        }
    }
    pub fn forbidden(path: impl Into<String>, detail: impl Into<String>) -> FieldError {
        FieldError {
            type_: ErrorType::Forbidden,
            path: path.into(),
            value: BadValue::None,
            detail: detail.into(),
        }
    }
    pub fn invalid(
        path: impl Into<String>,
        value: BadValue,
        detail: impl Into<String>,
    ) -> FieldError {
        FieldError {
            type_: ErrorType::Invalid,
            path: path.into(),
            value,
            detail: detail.into(),
        }
    }
    pub fn duplicate(path: impl Into<String>, value: BadValue) -> FieldError {
        FieldError {
            type_: ErrorType::Duplicate,
            path: path.into(),
            value,
            detail: String::new(),
        }
    }
    pub fn not_found(path: impl Into<String>, value: BadValue) -> FieldError {
        FieldError {
            type_: ErrorType::NotFound,
            path: path.into(),
            value,
            detail: String::new(),
        }
    }
    /// `Unsupported value: "x": supported values: "a", "b"`
    pub fn not_supported(path: impl Into<String>, value: &str, supported: &[&str]) -> FieldError {
        let quoted: Vec<String> = supported.iter().map(|s| crate::yaml::go_quote(s)).collect();
        FieldError {
            type_: ErrorType::NotSupported,
            path: path.into(),
            value: BadValue::Str(value.to_string()),
            detail: format!("supported values: {}", quoted.join(", ")),
        }
    }

    /// `field.Error.ErrorBody()`: everything after `<path>: `.
    pub fn body(&self) -> String {
        let word = match self.type_ {
            ErrorType::Required => "Required value",
            ErrorType::Invalid => "Invalid value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::NotSupported => "Unsupported value",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::NotFound => "Not found",
            ErrorType::TooMany => "Too many",
            ErrorType::TooLong => "Too long",
        };
        let mut s = word.to_string();
        let shows_value = !matches!(
            self.type_,
            ErrorType::Required | ErrorType::Forbidden | ErrorType::TooLong
        );
        if shows_value {
            match &self.value {
                BadValue::None => {}
                BadValue::Str(v) => {
                    s.push_str(": ");
                    s.push_str(&crate::yaml::go_quote(v));
                }
                BadValue::Int(n) => s.push_str(&format!(": {n}")),
                BadValue::Bool(b) => s.push_str(&format!(": {b}")),
            }
        }
        if !self.detail.is_empty() {
            s.push_str(": ");
            s.push_str(&self.detail);
        }
        s
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.body())
    }
}

/// What kubectl prints for an Invalid status: `The Pod "p" is invalid: <err>`, or with several
/// errors `The Pod "p" is invalid: ` followed by one `\n* <err>` line each.
pub fn invalid_message(kind: &str, name: &str, errors: &[FieldError]) -> String {
    let head = format!("The {kind} {} is invalid: ", crate::yaml::go_quote(name));
    match errors {
        [one] => format!("{head}{one}"),
        _ => {
            let mut s = head;
            for e in errors {
                s.push_str("\n* ");
                s.push_str(&e.to_string());
            }
            s
        }
    }
}

/// Validates an object (already defaulted). Errors come in the API server's order.
pub fn validate(obj: &Object) -> Vec<FieldError> {
    let mut errs = Vec::new();
    match obj {
        Object::Pod(p) => {
            other::validate_object_meta(&p.metadata, true, NameRule::Subdomain, &mut errs);
            pod::validate_pod_spec(&p.spec, "spec", &mut errs);
        }
        Object::Service(s) => {
            other::validate_object_meta(&s.metadata, true, NameRule::Dns1035Label, &mut errs);
            service::validate_service(s, &mut errs);
        }
        Object::Endpoints(e) => {
            other::validate_object_meta(&e.metadata, true, NameRule::Subdomain, &mut errs)
        }
        Object::Namespace(n) => {
            other::validate_object_meta(&n.metadata, false, NameRule::Label, &mut errs)
        }
        Object::ConfigMap(c) => {
            other::validate_object_meta(&c.metadata, true, NameRule::Subdomain, &mut errs);
            other::validate_config_map(c, &mut errs);
        }
        Object::Secret(s) => {
            other::validate_object_meta(&s.metadata, true, NameRule::Subdomain, &mut errs);
            other::validate_secret(s, &mut errs);
        }
        Object::Node(n) => {
            other::validate_object_meta(&n.metadata, false, NameRule::Subdomain, &mut errs);
            other::validate_node(n, &mut errs);
        }
        Object::Event(e) => {
            other::validate_object_meta(&e.metadata, true, NameRule::None, &mut errs)
        }
        Object::Other(o) => {
            let namespaced = crate::types::is_namespaced_kind(&o.kind);
            other::validate_object_meta(&o.metadata, namespaced, NameRule::Subdomain, &mut errs);
        }
    }
    errs
}

/// Which name syntax a kind requires for metadata.name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameRule {
    Subdomain,
    Label,
    Dns1035Label,
    None,
}

/// `path[i]`
pub(crate) fn idx(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// `path.child`
pub(crate) fn child(path: &str, name: &str) -> String {
    format!("{path}.{name}")
}

/// `path[key]` (field.Path.Key)
pub(crate) fn key(path: &str, k: &str) -> String {
    format!("{path}[{k}]")
}
