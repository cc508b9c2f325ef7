//! kubectl's human-readable output over API objects. Every function is pure: objects and "now"
//! in, text out.

pub mod batch;
pub mod describe;
pub mod get;
pub mod hpa;
pub mod messages;
pub mod pod_status;
pub mod rollout;
pub mod sets;
#[cfg(test)]
pub(crate) mod testutil;
pub mod workloads;

pub use pod_status::{pod_ready, pod_restarts, pod_status_reason};
