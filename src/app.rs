//! The root component: page chrome and the layout the feature components slot into.
//!
//! State will live in one reducer (`State` + `enum Action`, as in Yew's `function_todomvc`) once the
//! engine is wired in; for now the page only proves that the build, the wasm and the tests work.

use yew::prelude::*;

use crate::components::cluster_view::ClusterView;

#[component]
pub fn App() -> Html {
    html! {
        <main class="podplay">
            <header class="podplay-header">
                <h1>{ "podplay" }</h1>
                <p class="tagline">{ "A Kubernetes playground that runs in your browser." }</p>
            </header>
            <ClusterView />
        </main>
    }
}
