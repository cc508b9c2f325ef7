//! podplay-runtime: what happens inside a simulated container (shared/design/container-model.md).
