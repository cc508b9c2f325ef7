//! The Kubernetes objects podplay understands, as plain serde structs.
//!
//! Field names are Kubernetes' own (camelCase on the wire). Input types deny unknown fields so that a
//! misspelt field is an error, as with `kubectl apply --validate=strict`. Struct names passed to serde
//! are Go's type names (`HTTPGetAction`, not `HttpGetAction`) because the YAML deserializer quotes
//! them in type errors exactly as the API server does
//! (`json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32`).

mod event;
mod meta;
mod node;
mod object;
mod pod;
mod quantity;
mod service;
mod simple;

pub use event::*;
pub use meta::*;
pub use node::*;
pub use object::*;
pub use pod::*;
pub use quantity::*;
pub use service::*;
pub use simple::*;
