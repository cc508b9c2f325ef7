//! podplay-api: the Kubernetes objects podplay understands.
//!
//! API boundary (other crates rely on exactly this; extend, don't break):
//! - `time::Millis` (i64 virtual milliseconds since the simulation epoch) and `time::EPOCH_UNIX_SECS`.
//! - `yaml::from_str::<T>(text)` — serde deserialisation from YAML through a positioned node tree.
//! - `types::*` — typed Pod, Service, Namespace, ConfigMap, Secret, Node, Event, with status types.
//! - `parse_manifests(file, text) -> Result<Vec<Manifest>, Vec<Diagnostic>>` — parse, strict-decode,
//!   default and validate every document; each problem is a `Diagnostic` with FILE:LINE:COLUMN.
//!
//! Architecture invariant: nothing here panics on any input.

pub mod defaults;
mod manifest;
pub mod suggest;
pub mod time;
pub mod types;
pub mod validation;
pub mod yaml;

pub use defaults::apply_defaults;
pub use manifest::{parse_manifests, Diagnostic, Manifest, OTHER_KINDS};
pub use validation::{validate, FieldError};
