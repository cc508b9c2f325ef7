//! The inspector: for the selected pod or container, why it is in its state (one sentence from the
//! session), then live `kubectl describe pod` or the container's `kubectl logs`, at the moment shown.

use yew::prelude::*;

use crate::i18n::{t, Lang};
use crate::state::{InspectorMode, Selection};

#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    pub selected: Option<Selection>,
    pub mode: InspectorMode,
    pub explain: Option<String>,
    /// describe or logs output (stdout then stderr).
    pub text: AttrValue,
    pub lang: Lang,
    pub on_mode: Callback<InspectorMode>,
    pub on_close: Callback<()>,
}

#[component]
pub fn Inspector(props: &InspectorProps) -> Html {
    let lang = props.lang;
    let Some(sel) = &props.selected else {
        return html! {
            <section class="inspector" data-testid="inspector" aria-label={t(lang, "inspector.title")}>
                <p class="empty">{ t(lang, "inspector.empty") }</p>
            </section>
        };
    };
    let mode_button = |mode: InspectorMode, key: &'static str| {
        let cb = props.on_mode.clone();
        html! {
            <button role="tab" aria-selected={(props.mode == mode).to_string()}
                class={classes!((props.mode == mode).then_some("active"))}
                onclick={Callback::from(move |_: MouseEvent| cb.emit(mode))}>{ t(lang, key) }</button>
        }
    };
    let on_close = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <section class="inspector" data-testid="inspector" aria-label={t(lang, "inspector.title")}>
            <header class="inspector-head">
                <strong data-testid="inspector-target">
                    { match &sel.container { Some(c) => format!("pod/{} · {}", sel.pod, c), None => format!("pod/{}", sel.pod) } }
                </strong>
                <div role="tablist" class="mini-tabs">
                    { mode_button(InspectorMode::Describe, "inspector.describe") }
                    { mode_button(InspectorMode::Logs, "inspector.logs") }
                </div>
                <button class="close" onclick={on_close} aria-label={t(lang, "inspector.close")}>{ "×" }</button>
            </header>
            if let Some(why) = &props.explain {
                <p class="explain" data-testid="explain">{ why }</p>
            }
            <pre class="inspector-text" data-testid="inspector-text" tabindex="0">{ props.text.clone() }</pre>
        </section>
    }
}
