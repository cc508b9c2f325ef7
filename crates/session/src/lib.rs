//! podplay-session: what the playground holds between frames. A `Session` is the engine plus the
//! user's actions in virtual time (applies and console commands), so that the same seed and actions
//! always give the same cluster. That one fact buys the rest: checkpoints let the timeline seek
//! back (restore the nearest earlier copy, replay), a share link is just seed + actions + moment,
//! and an action taken in the past forks a new future.
//!
//! The UI only talks to this crate: it advances time in budgeted slices (`advance`), renders
//! `view()`, lists `events()` and `markers()`, runs console lines (`command`) and read-only
//! inspections (`inspect`), and asks `explain()` why a pod or container is in its state.

mod explain;
mod link;
mod session;

pub use explain::explain;
pub use link::{LinkError, SharedSession, LINK_LIMIT, LINK_VERSION};
pub use podplay_engine::view;
pub use podplay_engine::CommandOutput;
pub use session::{
    complete, validate, Action, ActionKind, EditorDiagnostic, EventRow, Marker, Session,
    CHECKPOINT_EVERY, EDITOR_FILE, MAX_CHECKPOINTS,
};
