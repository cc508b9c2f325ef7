//! What only runs in wasm: the engine inside a browser. The same scenario must give the same trace
//! there as natively (32-bit `usize`, no `RandomState`, no wall clock), share links must round-trip,
//! and the workspace survives in the real `localStorage`.
#![cfg(target_arch = "wasm32")]

use podplay_api::time::SECOND;
use podplay_engine::commands::parse_script;
use podplay_session::{Session, SharedSession};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const WEB: &str = include_str!("../../../scenarios/default/web.yaml");
const SCRIPT: &str = include_str!("../../../scenarios/default/script.txt");
const NATIVE_TRACE: &str = include_str!("snapshots/default-session.jsonl");

#[wasm_bindgen_test]
fn the_default_scenario_gives_the_same_trace_in_the_browser_as_natively() {
    let mut s = Session::new(1);
    s.load(WEB, &parse_script(SCRIPT).unwrap()).unwrap();
    s.advance(90 * SECOND, u64::MAX);
    let lines: Vec<String> = s.trace().iter().map(|r| r.to_json().to_string()).collect();
    let expected: Vec<&str> = NATIVE_TRACE.lines().collect();
    assert_eq!(lines.len(), expected.len());
    for (got, want) in lines.iter().zip(expected) {
        assert_eq!(got, want);
    }
}

#[wasm_bindgen_test]
fn share_links_round_trip_in_the_browser() {
    let mut s = Session::new(1);
    s.load(WEB, &parse_script(SCRIPT).unwrap()).unwrap();
    s.advance(40 * SECOND, u64::MAX);
    let link = SharedSession::of(&s, WEB).encode().unwrap();
    let opened = SharedSession::decode(&link).unwrap().open();
    assert_eq!(opened.view(), s.view());
}
