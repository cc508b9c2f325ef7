//! What only runs in a browser: localStorage, the page's attributes, the wall clock, calling into
//! JavaScript objects. Run with `wasm-bindgen-test-runner` in headless Chromium:
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner CHROMEDRIVER=/usr/bin/chromedriver
//!  cargo test --target wasm32-unknown-unknown --bin podplay-web` (webdriver.json passes --no-sandbox).

use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

use crate::params::Theme;
use crate::web;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn workspace_storage_round_trips() {
    web::storage_set("podplay.test", "{\"editor\":\"kind: Pod\"}");
    assert_eq!(
        web::storage_get("podplay.test").as_deref(),
        Some("{\"editor\":\"kind: Pod\"}")
    );
    assert_eq!(web::storage_get("podplay.missing"), None);
}

#[wasm_bindgen_test]
fn document_attributes_follow_language_and_theme() {
    web::set_document_attrs("zh-CN", Theme::Dark);
    let root = web::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .expect("document element");
    assert_eq!(root.get_attribute("lang").as_deref(), Some("zh-CN"));
    assert_eq!(root.get_attribute("data-theme").as_deref(), Some("dark"));
    assert!(web::is_dark(Theme::Dark));
    assert!(!web::is_dark(Theme::Light));
}

#[wasm_bindgen_test]
fn wall_clock_advances() {
    let a = crate::clock::now();
    let mut x = 0u64;
    for i in 0..200_000u64 {
        x = x.wrapping_add(i * i);
    }
    let b = crate::clock::now();
    assert!(x > 0 && b >= a && a > 0.0);
}

#[wasm_bindgen_test]
fn calling_into_javascript_never_throws_into_rust() {
    let obj = js_sys::Object::new();
    let f = js_sys::Function::new_with_args("x", "return x + 1");
    let _ = js_sys::Reflect::set(&obj, &"inc".into(), &f);
    let out = web::call(&obj, "inc", &[JsValue::from_f64(1.0)]);
    assert_eq!(out.and_then(|v| v.as_f64()), Some(2.0));
    assert!(web::call(&obj, "missing", &[]).is_none());
    let thrower = js_sys::Function::new_no_args("throw new Error('no')");
    let _ = js_sys::Reflect::set(&obj, &"boom".into(), &thrower);
    assert!(web::call(&obj, "boom", &[]).is_none());
    // Without the bundle there is no editor API, and the textarea stays.
    assert!(web::editor_api().is_none());
}

#[wasm_bindgen_test]
fn address_parameters_are_read_from_the_page() {
    let (search, hash) = web::location();
    let p = crate::params::parse(&search, &hash);
    assert!(!p.embed || search.contains("embed"));
    assert!(web::base_url().starts_with("http"));
}
