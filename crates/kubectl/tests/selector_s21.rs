//! The label-selector scenario S21 (golden-controller-scenarios) against podplay's selector parser;
//! the B9 vectors are in `b9_selector_vectors.rs`.

use podplay_kubectl::selector::LabelSelector;
use std::collections::BTreeMap;

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn s21_label_selectors_select_the_documented_pods() {
    let pods = [
        (
            "a",
            labels(&[("app", "web"), ("env", "prod"), ("tier", "frontend")]),
        ),
        (
            "b",
            labels(&[("app", "web"), ("env", "staging"), ("tier", "backend")]),
        ),
        ("c", labels(&[("app", "db"), ("env", "prod")])),
        ("d", labels(&[("app", "web")])),
    ];
    let cases = [
        ("app=web", "abd"),
        ("app=web,env=prod", "a"),
        ("env!=prod", "bd"),
        ("env in (prod,staging)", "abc"),
        ("env notin (prod)", "bd"),
        ("tier", "ab"),
        ("!tier", "cd"),
        ("app=web,tier!=frontend", "bd"),
    ];
    for (sel, want) in cases {
        let s = LabelSelector::parse(sel).unwrap_or_else(|e| panic!("{sel}: {e}"));
        let got: String = pods
            .iter()
            .filter(|(_, l)| s.matches(l))
            .map(|(n, _)| *n)
            .collect();
        assert_eq!(got, want, "{sel}");
    }
    assert_eq!(
        LabelSelector::parse("app=web || env=prod").unwrap_err(),
        "found '||', expected: ',' or 'end of string'"
    );
}
