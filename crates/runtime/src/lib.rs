//! podplay-runtime: what happens inside a simulated container (shared/design/container-model.md).
//!
//! API boundary (the engine codes against this):
//! - `Catalog::builtin().pull(image)` → `Image` or the kubelet's `PullError`.
//! - `PodEnv`: the pod's IP, hostname, volumes and shared port space.
//! - `Container::new(&image, launch)` then `start`, `advance` (virtual time), `exec`, `signal`,
//!   `serve_http`, `logs`, `usage`. Restart = a new `Container` (files from the image again).
//! - `World`: what the engine provides to containers (cluster DNS, HTTP/TCP to other pods).
//!
//! Architecture invariants: nothing blocks (a sleeping process reports when it wants to wake);
//! nothing panics on input (scripts, manifests, requests); no wall clock, no hash ordering.

mod cmds;
mod container;
mod daemons;
mod fs;
mod image;
mod net;
mod pod;
mod process;
mod shell;
mod signal;

pub use container::{
    Container, ExecId, ExecResult, Exit, Launch, LogLine, Mount, StartError, Usage,
};
pub use image::{Catalog, Image, PullError};
pub use net::{
    ip_string, parse_ip, reason_phrase, HttpRequest, HttpResponse, Ip, NetError, NoWorld, World,
};
pub use pod::{PodEnv, Volume, VolumeSource};
pub use podplay_api::time::Millis;
pub use signal::Signal;

#[cfg(test)]
mod tests;
