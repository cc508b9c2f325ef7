//! The manifest editor: a plain `<textarea>` at first (so the text is there and editable from the
//! first paint), replaced by CodeMirror (`window.podplayEditor`, `dist/editor.js`) once that bundle
//! has loaded. If it never loads, the textarea stays and everything still works. Diagnostics from
//! the validator show inline (CodeMirror) and as a list under the editor (both modes).

use std::cell::RefCell;
use std::rc::Rc;

use podplay_session::EditorDiagnostic;
use yew::prelude::*;

use crate::i18n::{t, Lang};

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub text: AttrValue,
    /// Bumped when the text was replaced from outside (scenario, link, restore).
    pub rev: u64,
    pub diagnostics: Rc<Vec<EditorDiagnostic>>,
    pub dark: bool,
    pub lang: Lang,
    pub on_change: Callback<String>,
    pub on_apply: Callback<()>,
}

/// The newest (on_change, on_apply, text), read by closures that CodeMirror keeps.
type Latest = Rc<RefCell<(Callback<String>, Callback<()>, AttrValue)>>;

/// The mounted CodeMirror and the closures it calls (kept alive as long as it lives).
#[derive(Default)]
struct Mounted {
    #[cfg(target_arch = "wasm32")]
    handle: Option<wasm_bindgen::JsValue>,
    #[cfg(target_arch = "wasm32")]
    _closures: Vec<wasm_bindgen::JsValue>,
}

#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let lang = props.lang;
    let host = use_node_ref();
    let mounted: Rc<RefCell<Mounted>> = use_mut_ref(Mounted::default);
    let cm_ready = use_state(|| false);
    // The newest callbacks and text, for closures created once.
    let latest = use_mut_ref(|| {
        (
            props.on_change.clone(),
            props.on_apply.clone(),
            props.text.clone(),
        )
    });
    *latest.borrow_mut() = (
        props.on_change.clone(),
        props.on_apply.clone(),
        props.text.clone(),
    );

    #[cfg(target_arch = "wasm32")]
    {
        let host = host.clone();
        let mounted = mounted.clone();
        let latest = latest.clone();
        let cm_ready = cm_ready.clone();
        let dark = props.dark;
        let lang = props.lang;
        use_effect_with((), move |_| {
            let mount = move || mount_codemirror(&host, &mounted, &latest, dark, lang, &cm_ready);
            if crate::web::editor_api().is_some() {
                mount();
            } else {
                crate::web::on_window_event_once("podplay-editor-ready", mount);
            }
        });
    }
    #[cfg(target_arch = "wasm32")]
    {
        let mounted = mounted.clone();
        let text = props.text.clone();
        use_effect_with((props.rev, *cm_ready), move |_| {
            if let Some(h) = mounted.borrow().handle.as_ref() {
                let current = crate::web::call(h, "getValue", &[]).and_then(|v| v.as_string());
                if current.as_deref() != Some(text.as_str()) {
                    crate::web::call(h, "setValue", &[wasm_bindgen::JsValue::from_str(&text)]);
                }
            }
        });
    }
    #[cfg(target_arch = "wasm32")]
    {
        let mounted = mounted.clone();
        use_effect_with((props.diagnostics.clone(), *cm_ready), move |(diags, _)| {
            if let Some(h) = mounted.borrow().handle.as_ref() {
                let json = serde_json::to_string(&**diags).unwrap_or_else(|_| "[]".into());
                if let Ok(list) = js_sys::JSON::parse(&json) {
                    crate::web::call(h, "setDiagnostics", &[list]);
                }
            }
        });
    }
    #[cfg(target_arch = "wasm32")]
    {
        let mounted = mounted.clone();
        use_effect_with((props.dark, *cm_ready), move |(dark, _)| {
            if let Some(h) = mounted.borrow().handle.as_ref() {
                crate::web::call(h, "setTheme", &[wasm_bindgen::JsValue::from_bool(*dark)]);
            }
        });
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (&host, &mounted, &latest);

    let oninput = {
        let cb = props.on_change.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                cb.emit(area.value());
            }
        })
    };
    let onkeydown = {
        let cb = props.on_apply.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                cb.emit(());
            }
        })
    };
    let diags = &props.diagnostics;
    html! {
        <div class="editor-wrap">
            <div class={classes!("editor", (*cm_ready).then_some("cm"))} data-testid="editor" ref={host}>
                if !*cm_ready {
                    <textarea class="editor-fallback" spellcheck="false" value={props.text.clone()}
                        aria-label={t(lang, "editor.label")} {oninput} {onkeydown}
                        aria-invalid={(!diags.is_empty()).to_string()} />
                }
            </div>
            <ul class="diagnostics" data-testid="diagnostics" aria-live="polite" tabindex="-1" aria-label={t(lang, "editor.problems")}>
                { for diags.iter().map(|d| html! {
                    <li class={classes!("diagnostic", d.severity)} data-line={d.line.to_string()}>
                        <span class="where">{ format!("{}:{}", d.line, d.col) }</span>
                        <span class="message">{ &d.message }</span>
                    </li>
                }) }
            </ul>
        </div>
    }
}

#[cfg(target_arch = "wasm32")]
fn mount_codemirror(
    host: &NodeRef,
    mounted: &Rc<RefCell<Mounted>>,
    latest: &Latest,
    dark: bool,
    lang: Lang,
    cm_ready: &UseStateHandle<bool>,
) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsValue;

    if mounted.borrow().handle.is_some() {
        return;
    }
    let (Some(api), Some(host_el)) = (crate::web::editor_api(), host.cast::<web_sys::Element>())
    else {
        return;
    };
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    // CodeMirror goes into its own child, beside the textarea Yew owns (removed on the next render).
    let Ok(parent) = doc.create_element("div") else {
        return;
    };
    parent.set_class_name("cm-host");
    let _ = host_el.append_child(&parent);
    let on_change = {
        let latest = latest.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |text: JsValue| {
            if let Some(text) = text.as_string() {
                let cb = latest.borrow().0.clone();
                cb.emit(text);
            }
        })
        .into_js_value()
    };
    let on_apply = {
        let latest = latest.clone();
        Closure::<dyn FnMut()>::new(move || {
            let cb = latest.borrow().1.clone();
            cb.emit(());
        })
        .into_js_value()
    };
    let opts = js_sys::Object::new();
    let text = latest.borrow().2.clone();
    let set = |k: &str, v: &JsValue| {
        let _ = js_sys::Reflect::set(&opts, &JsValue::from_str(k), v);
    };
    set("doc", &JsValue::from_str(&text));
    set("dark", &JsValue::from_bool(dark));
    set("label", &JsValue::from_str(t(lang, "editor.label")));
    set("onChange", &on_change);
    set("onApply", &on_apply);
    let Some(handle) = crate::web::call(&api, "mount", &[parent.clone().into(), opts.into()])
    else {
        let _ = host_el.remove_child(&parent);
        return;
    };
    // The wrapper carries data-testid="editor"; the bundle's own root would make it ambiguous.
    if let Ok(Some(inner)) = parent.query_selector("[data-testid=editor]") {
        let _ = inner.remove_attribute("data-testid");
    }
    // axe (scrollable-region-focusable) does not count the contenteditable inside CodeMirror's
    // scroller as focusable, so a long manifest would make the scroller unreachable by keyboard.
    if let Ok(Some(scroller)) = parent.query_selector(".cm-scroller") {
        let _ = scroller.set_attribute("tabindex", "0");
    }
    let mut m = mounted.borrow_mut();
    m.handle = Some(handle);
    m._closures = vec![on_change, on_apply];
    cm_ready.set(true);
}
