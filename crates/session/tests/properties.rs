#![cfg(not(target_arch = "wasm32"))]
//! Properties of sessions under arbitrary click sequences: nothing panics, and however the user
//! gets to a moment (slices, seeks, a share link), the cluster shown there is the same.

use podplay_api::time::SECOND;
use podplay_session::{Session, SharedSession};
use proptest::prelude::*;

const WEB: &str = include_str!("../../../scenarios/default/web.yaml");

#[derive(Debug, Clone)]
enum Click {
    Advance(i64),
    Seek(i64),
    Command(usize),
    Apply(bool),
    Link,
    Reset,
}

const LINES: &[&str] = &[
    "kubectl get pods",
    "kubectl delete pod web-5d8f7b9c6d-4xkzp",
    "kubectl exec web-5d8f7b9c6d-4xkzp -c nginx -- rm /usr/share/nginx/html/index.html",
    "kubectl exec web-5d8f7b9c6d-4xkzp -c nginx -- nginx -s stop",
    "kubectl describe pod web-5d8f7b9c6d-4xkzp",
    "kubectl logs web-5d8f7b9c6d-4xkzp -c nginx",
    "kubectl get pods -w",
    "sim crash web-5d8f7b9c6d-4xkzp",
    "kubectl apply -f editor.yaml",
    "kubectl delete -f editor.yaml",
    "kubectl",
    "nonsense \"unterminated",
];

fn click() -> impl Strategy<Value = Click> {
    prop_oneof![
        (0i64..120).prop_map(Click::Advance),
        (-10i64..200).prop_map(Click::Seek),
        (0usize..LINES.len()).prop_map(Click::Command),
        any::<bool>().prop_map(Click::Apply),
        Just(Click::Link),
        Just(Click::Reset),
    ]
}

fn run(clicks: &[Click]) -> Session {
    let mut s = Session::new(7);
    for c in clicks {
        match c {
            Click::Advance(secs) => {
                let to = s.now() + secs * SECOND;
                s.advance(to, u64::MAX);
            }
            Click::Seek(secs) => s.seek(secs * SECOND),
            Click::Command(i) => {
                s.command(LINES[*i]);
            }
            Click::Apply(valid) => {
                let _ = s.apply(if *valid {
                    WEB
                } else {
                    "kind: Pod\nmetadata: ["
                });
            }
            Click::Link => {
                if let Ok(link) = SharedSession::of(&s, WEB).encode() {
                    let opened = SharedSession::decode(&link)
                        .expect("own links decode")
                        .open();
                    assert_eq!(opened.now(), s.now());
                    assert_eq!(opened.view(), s.view(), "a link shows the same cluster");
                }
            }
            Click::Reset => s.reset(),
        }
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn no_click_sequence_panics_and_replays_agree(clicks in prop::collection::vec(click(), 1..12)) {
        let s = run(&clicks);
        // The same actions from scratch, straight to the same moment, show the same cluster.
        let replayed = Session::replay(s.seed(), s.actions().to_vec(), s.now());
        prop_assert_eq!(replayed.view(), s.view());
    }

    #[test]
    fn any_link_text_is_refused_or_opened_without_panicking(text in ".{0,200}") {
        let _ = SharedSession::decode(&text).map(|s| s.open());
        let _ = SharedSession::decode(&format!("v1.{text}")).map(|s| s.open());
    }
}
