//! One module per part of the playground (cluster view, editor, timeline, event log, console,
//! inspector). Each takes `Props` and reports upward through `Callback`s; none owns engine state.

pub mod cluster_view;
pub mod console;
pub mod editor;
pub mod event_log;
pub mod inspector;
pub mod timeline;
pub mod workloads;
