//! podplay-web: the playground's browser face.
//!
//! Trunk builds this package for `wasm32-unknown-unknown` from `index.html`. The engine does the
//! simulating; this crate only renders what the engine reports (see ARCHITECTURE.md).

mod app;
mod components;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
