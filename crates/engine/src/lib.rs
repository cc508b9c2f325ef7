//! podplay-engine: a deterministic simulation of a Kubernetes cluster.
//!
//! Shape (mirrors Kubernetes' own): an apiserver-like `store`, a `scheduler`, an endpoints
//! controller, and one kubelet pod worker per pod (`kubelet::worker`) that drives the container
//! model of `podplay-runtime` in virtual time. Everything that happens is ordered on one agenda by
//! (time, sequence), so the same input and seed give the same `trace`, byte for byte.

pub mod cluster;
pub mod commands;
pub mod controllers;
pub mod describe;
pub mod dns;
pub mod endpoints_scope;
pub mod events;
pub mod kube_proxy;
pub mod metrics;
pub mod pod_owners;
pub mod scheduler;
pub mod services;
pub mod simulation;
pub mod store;
pub mod trace;
pub mod view;
pub mod world;
pub mod yaml_out;

pub mod sim {
    pub mod queue;
    pub mod rng;
}
pub mod kubelet {
    pub mod backoff;
    pub mod prober;
    pub mod status;
    pub mod worker;
    pub mod workers;
}

pub use commands::CommandOutput;
pub use simulation::Simulation;
pub use trace::Record;
