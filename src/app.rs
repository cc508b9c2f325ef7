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

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders a component to HTML natively, the way the browser would show it first.
    pub(crate) fn render<C: BaseComponent<Properties = ()>>() -> String {
        futures::executor::block_on(yew::LocalServerRenderer::<C>::new().render())
    }

    #[test]
    fn page_heading_is_podplay() {
        assert!(render::<App>().contains("<h1>podplay</h1>"));
    }

    #[test]
    fn cluster_view_is_a_pre_found_by_its_test_id() {
        // The browser tests look it up by data-testid="cluster"; keep the attribute.
        assert!(render::<App>().contains(r#"<pre data-testid="cluster">"#));
    }
}
