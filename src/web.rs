//! Browser glue: localStorage, the address, animation frames, the lazily loaded editor bundle,
//! keyboard shortcuts and `window.podplayDebug`. Only effects call these (never rendering), so
//! the components still render natively in tests.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::params::Theme;

pub fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

pub fn storage_get(key: &str) -> Option<String> {
    window()?.local_storage().ok()??.get_item(key).ok()?
}

pub fn storage_set(key: &str, value: &str) {
    if let Some(Ok(Some(s))) = window().map(|w| w.local_storage()) {
        // A full or disabled storage only loses the workspace, never the page.
        let _ = s.set_item(key, value);
    }
}

/// (search, hash) of the page's address.
pub fn location() -> (String, String) {
    let Some(loc) = window().map(|w| w.location()) else {
        return (String::new(), String::new());
    };
    (
        loc.search().unwrap_or_default(),
        loc.hash().unwrap_or_default(),
    )
}

/// The address a share link starts from: this page without query or hash.
pub fn base_url() -> String {
    let Some(loc) = window().map(|w| w.location()) else {
        return String::new();
    };
    format!(
        "{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_else(|_| "/".into())
    )
}

/// The frame callback, kept where it can re-register itself.
type FrameSlot = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

/// Calls `tick(now, dt)` once per animation frame, for the page's lifetime.
pub fn animation_loop(mut tick: impl FnMut(f64, f64) + 'static) {
    let Some(win) = window() else { return };
    let slot: FrameSlot = Rc::new(RefCell::new(None));
    let again = slot.clone();
    let mut last: Option<f64> = None;
    let win2 = win.clone();
    *slot.borrow_mut() = Some(Closure::new(move |now: f64| {
        let dt = last.map_or(0.0, |l| now - l);
        last = Some(now);
        tick(now, dt);
        if let Some(cb) = again.borrow().as_ref() {
            let _ = win2.request_animation_frame(cb.as_ref().unchecked_ref());
        }
    }));
    if let Some(cb) = slot.borrow().as_ref() {
        let _ = win.request_animation_frame(cb.as_ref().unchecked_ref());
    };
}

/// Adds `<script src="/editor.js">` once the first frame has been painted, so the CodeMirror bundle
/// never delays the first pod card. Absolute on purpose: extensionless routes serve index.html too.
pub fn load_editor_bundle_after_paint() {
    let Some(win) = window() else { return };
    let add = Closure::once_into_js(move || {
        let Some(doc) = window().and_then(|w| w.document()) else {
            return;
        };
        if doc
            .query_selector("script[data-podplay-editor]")
            .ok()
            .flatten()
            .is_some()
        {
            return;
        }
        if editor_api().is_some() {
            return;
        }
        if let Ok(el) = doc.create_element("script") {
            let _ = el.set_attribute("src", "/editor.js");
            let _ = el.set_attribute("async", "");
            let _ = el.set_attribute("data-podplay-editor", "");
            if let Some(head) = doc.head() {
                let _ = head.append_child(&el);
            }
        }
    });
    let later = Closure::once_into_js(move || {
        if let Some(w) = window() {
            let _ =
                w.set_timeout_with_callback_and_timeout_and_arguments_0(add.unchecked_ref(), 50);
        }
    });
    let _ = win.request_animation_frame(later.unchecked_ref());
}

/// `window.podplayEditor`, once the bundle has loaded.
pub fn editor_api() -> Option<JsValue> {
    let win = window()?;
    let api = js_sys::Reflect::get(&win, &JsValue::from_str("podplayEditor")).ok()?;
    (!api.is_undefined() && !api.is_null()).then_some(api)
}

/// Calls `target.name(args…)`, ignoring (but not panicking on) anything that goes wrong.
pub fn call(target: &JsValue, name: &str, args: &[JsValue]) -> Option<JsValue> {
    let f = js_sys::Reflect::get(target, &JsValue::from_str(name)).ok()?;
    let f: js_sys::Function = f.dyn_into().ok()?;
    let arr = js_sys::Array::new();
    for a in args {
        arr.push(a);
    }
    f.apply(target, &arr).ok()
}

pub fn prefers_dark() -> bool {
    window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

pub fn is_dark(theme: Theme) -> bool {
    match theme {
        Theme::Dark => true,
        Theme::Light => false,
        Theme::System => prefers_dark(),
    }
}

/// Sets `<html lang data-theme>`: the theme's colours and the page language follow the state.
pub fn set_document_attrs(lang: &str, theme: Theme) {
    if let Some(root) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", lang);
        let _ = root.set_attribute("data-theme", theme.code());
    }
}

pub fn copy_to_clipboard(text: &str) {
    if let Some(w) = window() {
        // Refused without a user gesture or permission: the link stays visible to copy by hand.
        let _ = w.navigator().clipboard().write_text(text);
    }
}

pub fn toggle_fullscreen() {
    let Some(doc) = window().and_then(|w| w.document()) else {
        return;
    };
    if doc.fullscreen_element().is_some() {
        doc.exit_fullscreen();
    } else if let Some(root) = doc.document_element() {
        let _ = root.request_fullscreen();
    }
}

/// True when keys go to a text field (the shortcuts must not steal typing).
pub fn typing_in_field() -> bool {
    let Some(el) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
    else {
        return false;
    };
    let tag = el.tag_name().to_ascii_lowercase();
    if matches!(tag.as_str(), "input" | "textarea" | "select") {
        return true;
    }
    el.closest(".cm-editor").ok().flatten().is_some()
        || el
            .dyn_ref::<web_sys::HtmlElement>()
            .is_some_and(|h| h.is_content_editable())
}

/// Listens to keydown on the window for the page's lifetime.
pub fn on_keydown(handler: impl FnMut(web_sys::KeyboardEvent) + 'static) {
    let Some(win) = window() else { return };
    let cb = Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(handler);
    let _ = win.add_event_listener_with_callback("keydown", cb.as_ref().unchecked_ref());
    cb.forget();
}

/// Listens for an event on the window, once.
pub fn on_window_event_once(name: &str, handler: impl FnOnce() + 'static) {
    let Some(win) = window() else { return };
    let cb = Closure::once_into_js(handler);
    let opts = web_sys::AddEventListenerOptions::new();
    opts.set_once(true);
    let _ = win.add_event_listener_with_callback_and_add_event_listener_options(
        name,
        cb.unchecked_ref(),
        &opts,
    );
}

/// Sets `window[name] = object` with the given functions as its methods.
pub fn expose(name: &str, methods: Vec<(&str, JsValue)>) {
    let Some(win) = window() else { return };
    let obj = js_sys::Object::new();
    for (k, f) in methods {
        let _ = js_sys::Reflect::set(&obj, &JsValue::from_str(k), &f);
    }
    let _ = js_sys::Reflect::set(&win, &JsValue::from_str(name), &obj);
}
