//! `kubectl describe pod` golden, recorded from kubectl v1.32 against a fake apiserver serving
//! `fixtures/describe_pod.json` (timestamps shifted so that "now" is virtual t=100s; dates in the
//! golden mapped back to virtual time).

use podplay_api::types::{Event, Pod};
use podplay_kubectl::printers::describe::describe_pod;

#[test]
fn describe_pod_matches_kubectl_1_32_byte_for_byte() {
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/describe_pod.json")).expect("fixture json");
    let pod: Pod = serde_json::from_value(fixture["pod"].clone()).expect("pod");
    let events: Vec<Event> = serde_json::from_value(fixture["events"].clone()).expect("events");
    let now = fixture["now"].as_i64().unwrap_or(0) * 1000;
    let refs: Vec<&Event> = events.iter().collect();
    let got = describe_pod(&pod, &refs, now);
    let want = include_str!("fixtures/describe_pod.golden");
    if got != want {
        for (i, (g, w)) in got.lines().zip(want.lines()).enumerate() {
            if g != w {
                panic!(
                    "first difference at line {}:\n got: {g:?}\nwant: {w:?}\n\nfull output:\n{got}",
                    i + 1
                );
            }
        }
        panic!("length differs:\n{got}");
    }
}

#[test]
fn describe_pod_without_events_prints_none() {
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/describe_pod.json")).expect("fixture json");
    let pod: Pod = serde_json::from_value(fixture["pod"].clone()).expect("pod");
    let got = describe_pod(&pod, &[], 100_000);
    assert!(
        got.ends_with("Events:                      <none>\n"),
        "{got}"
    );
}
