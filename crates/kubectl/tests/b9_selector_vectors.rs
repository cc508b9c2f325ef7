//! golden-controller-scenarios.md B9: apimachinery `pkg/labels/selector_test.go` (v0.33.0)
//! vectors, controllers-semantics §9.1. Each test is named after the upstream test.

use podplay_kubectl::selector::{LabelSelector, Operator, Requirement};
use std::collections::BTreeMap;

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn req(key: &str, op: Operator, values: &[&str]) -> Requirement {
    Requirement {
        key: key.into(),
        operator: op,
        values: values.iter().map(|v| v.to_string()).collect(),
    }
}

#[test]
fn test_selector_parse() {
    // Good selectors print back as the input without spaces.
    for good in [
        "x=a,y=b,z=c",
        "",
        "x!=a,y=b",
        "x=",
        "x= ",
        "x=,z= ",
        "x= ,z= ",
        "!x",
        "x>1",
        "x>1,z<5",
    ] {
        let sel = LabelSelector::parse(good);
        let Ok(sel) = sel else {
            panic!("{good:?} should parse: {sel:?}")
        };
        assert_eq!(sel.to_string(), good.replace(' ', ""), "{good:?}");
    }
    for bad in ["x=a||y=b", "x==a==b", "!x=a", "x<a"] {
        assert!(
            LabelSelector::parse(bad).is_err(),
            "{bad:?} should not parse"
        );
    }
}

#[test]
fn test_selector_parse_or_is_an_error_with_apimachinerys_text() {
    // golden S21: the lexer reads `||` as an identifier.
    let e = LabelSelector::parse("app=web || env=prod")
        .err()
        .unwrap_or_default();
    assert!(
        e.contains("found '||', expected: ',' or 'end of string'"),
        "{e}"
    );
}

#[test]
fn test_selector_matches() {
    let yes: &[(&str, &[(&str, &str)])] = &[
        ("", &[("x", "y")]),
        ("x=y,z=w", &[("x", "y"), ("z", "w")]),
        ("x!=y,z!=w", &[("x", "z"), ("z", "a")]),
        ("notin=in", &[("notin", "in")]),
        ("x", &[("x", "z")]),
        ("!x", &[("y", "z")]),
        ("x>1", &[("x", "2")]),
        ("x<1", &[("x", "0")]),
    ];
    for (sel, l) in yes {
        let s = LabelSelector::parse(sel).unwrap_or_default();
        assert!(s.matches(&labels(l)), "{sel:?} should match {l:?}");
    }
    let no: &[(&str, &[(&str, &str)])] = &[
        ("x=z", &[]),
        ("x=y,z=w", &[("x", "w"), ("z", "w")]),
        ("x", &[("y", "z")]),
        ("!x", &[("x", "z")]),
        ("x>1", &[("x", "0")]),
    ];
    for (sel, l) in no {
        let s = LabelSelector::parse(sel).unwrap_or_default();
        assert!(!s.matches(&labels(l)), "{sel:?} should not match {l:?}");
    }
}

#[test]
fn test_set_selector_parser() {
    let values = |s: &str| -> Vec<Vec<String>> {
        LabelSelector::parse(s)
            .map(|sel| sel.requirements.into_iter().map(|r| r.values).collect())
            .unwrap_or_default()
    };
    assert_eq!(
        values("x in (abc,)"),
        vec![vec!["".to_string(), "abc".into()]]
    );
    assert_eq!(values("x in ()"), vec![vec!["".to_string()]]);
    let sel = LabelSelector::parse("x notin (abc,,def),bar,z in (),w");
    let keys: Vec<String> = sel
        .map(|s| s.requirements.into_iter().map(|r| r.key).collect())
        .unwrap_or_default();
    assert_eq!(keys, vec!["bar", "w", "x", "z"]);
    assert_eq!(
        values("a in (x,y,notin, z,in)"),
        vec![vec![
            "in".to_string(),
            "notin".into(),
            "x".into(),
            "y".into(),
            "z".into()
        ]]
    );
    for bad in [
        "x,,y",
        ",x,y",
        "x nott in (y)",
        "a in (xyz),",
        "a in (xyz)b notin ()",
        "a in (xyz abc)",
        "a notin(",
        "a (",
        "(",
    ] {
        assert!(
            LabelSelector::parse(bad).is_err(),
            "{bad:?} should not parse"
        );
    }
}

#[test]
fn test_to_string() {
    let cases = [
        (
            vec![
                req("x", Operator::In, &["abc", "def"]),
                req("y", Operator::NotIn, &["jkl"]),
                req("z", Operator::Exists, &[]),
            ],
            "x in (abc,def),y notin (jkl),z",
        ),
        (
            vec![
                req("x", Operator::NotIn, &["abc", "def"]),
                req("y", Operator::NotEquals, &["jkl"]),
                req("z", Operator::DoesNotExist, &[]),
            ],
            "x notin (abc,def),y!=jkl,!z",
        ),
        (
            vec![
                req("x", Operator::GreaterThan, &["2"]),
                req("y", Operator::LessThan, &["8"]),
                req("z", Operator::Exists, &[]),
            ],
            "x>2,y<8,z",
        ),
    ];
    for (requirements, want) in cases {
        let sel = LabelSelector { requirements };
        assert_eq!(sel.to_string(), want);
        // and the text parses back to the same selector
        assert_eq!(
            LabelSelector::parse(want)
                .map(|s| s.to_string())
                .ok()
                .as_deref(),
            Some(want)
        );
    }
}

#[test]
fn test_requirement_selector_matching() {
    let l = labels(&[("y", "")]);
    let s = LabelSelector {
        requirements: vec![
            req("x", Operator::NotIn, &[""]),
            req("y", Operator::Exists, &[]),
        ],
    };
    assert!(s.matches(&l));
    let s = LabelSelector {
        requirements: vec![
            req("x", Operator::DoesNotExist, &[]),
            req("y", Operator::Exists, &[]),
        ],
    };
    assert!(s.matches(&l));
    let s = LabelSelector {
        requirements: vec![req("z", Operator::GreaterThan, &["1"])],
    };
    assert!(!s.matches(&labels(&[("z", "v2")])));
}
