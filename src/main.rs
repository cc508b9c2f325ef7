//! podplay-web: the playground's browser face.
//!
//! Trunk builds this package for `wasm32-unknown-unknown` from `index.html`. The engine does the
//! simulating (through `podplay-session`); this crate renders what the session reports and turns
//! what the user does into session calls (see ARCHITECTURE.md).

// Native builds only serve the tests; what only the browser calls looks unused there.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

mod app;
mod clock;
mod components;
mod i18n;
mod params;
mod scenarios;
mod state;
#[cfg(all(test, target_arch = "wasm32"))]
mod wasm_tests;
#[cfg(target_arch = "wasm32")]
mod web;

/// The sources, for the test that every UI string has a translation.
#[cfg(test)]
pub(crate) const SOURCES: &[(&str, &str)] = &[
    ("app.rs", include_str!("app.rs")),
    (
        "components/cluster_view.rs",
        include_str!("components/cluster_view.rs"),
    ),
    (
        "components/console.rs",
        include_str!("components/console.rs"),
    ),
    ("components/editor.rs", include_str!("components/editor.rs")),
    (
        "components/event_log.rs",
        include_str!("components/event_log.rs"),
    ),
    (
        "components/inspector.rs",
        include_str!("components/inspector.rs"),
    ),
    (
        "components/timeline.rs",
        include_str!("components/timeline.rs"),
    ),
    (
        "components/workloads.rs",
        include_str!("components/workloads.rs"),
    ),
];

fn main() {
    yew::Renderer::<app::App>::new().render();
}
