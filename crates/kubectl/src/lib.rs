//! podplay-kubectl: kubectl's command line and printers, as pure functions over API objects.
//!
//! API boundary: the engine parses a command line with `command::parse`, runs it against its
//! store, and renders results with `printers::*`. Nothing here touches simulation state, clocks or
//! randomness; "now" is always a parameter (`podplay_api::time::Millis`).

pub mod command;
pub mod create_batch;
pub mod duration;
pub mod flagparse;
pub mod flags;
pub mod printers;
pub mod record;
pub mod resource;
pub mod rollout;
pub mod selector;
pub mod table;
