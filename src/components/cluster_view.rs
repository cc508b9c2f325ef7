//! The cluster view. A placeholder `<pre>` until the engine's trace is rendered as nodes and pods;
//! the browser tests find it by `data-testid="cluster"`, so keep that attribute when it grows.

use yew::prelude::*;

#[derive(Properties, PartialEq, Default)]
pub struct ClusterViewProps {
    /// Text to show; the engine's `kubectl get pods` output will go here first.
    #[prop_or_default]
    pub text: AttrValue,
}

#[component]
pub fn ClusterView(props: &ClusterViewProps) -> Html {
    let text = if props.text.is_empty() {
        AttrValue::from("No resources found in default namespace.")
    } else {
        props.text.clone()
    };
    html! {
        <section class="cluster" aria-label="Cluster">
            <pre data-testid="cluster">{ text }</pre>
        </section>
    }
}
