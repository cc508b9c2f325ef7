//! podplay-engine: a deterministic simulation of a Kubernetes cluster.

pub mod sim {
    pub mod queue;
    pub mod rng;
}
pub mod kubelet {
    pub mod backoff;
}
