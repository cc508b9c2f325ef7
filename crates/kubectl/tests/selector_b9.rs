//! Table-driven vectors from apimachinery `pkg/labels/selector_test.go` (golden-controller-scenarios
//! B9) and the label-selector scenario S21, against podplay's selector parser.

use podplay_kubectl::selector::LabelSelector;
use std::collections::BTreeMap;

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// B9 TestSelectorParse: these parse, those do not.
#[test]
fn test_selector_parse() {
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
        assert!(LabelSelector::parse(good).is_ok(), "{good:?} should parse");
    }
    for bad in ["x=a||y=b", "x==a==b", "!x=a", "x<a"] {
        assert!(
            LabelSelector::parse(bad).is_err(),
            "{bad:?} should not parse"
        );
    }
}

/// B9 TestSelectorMatches.
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
        let s = LabelSelector::parse(sel).unwrap_or_else(|e| panic!("{sel}: {e}"));
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
        let s = LabelSelector::parse(sel).unwrap_or_else(|e| panic!("{sel}: {e}"));
        assert!(!s.matches(&labels(l)), "{sel:?} should not match {l:?}");
    }
}

/// B9 TestSetSelectorParser: valid and invalid set-based forms.
#[test]
fn test_set_selector_parser() {
    for good in [
        "x in (abc,)",
        "x in ()",
        "x notin (abc,,def),bar,z in (),w",
        "a in (x,y,notin, z,in)",
    ] {
        assert!(LabelSelector::parse(good).is_ok(), "{good:?} should parse");
    }
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

/// B9 TestRequirementSelectorMatching (as selector strings): Gt on a non-integer is false.
#[test]
fn test_requirement_selector_matching() {
    let l = labels(&[("y", "")]);
    assert!(LabelSelector::parse("x notin (),y").is_ok_and(|s| s.matches(&l)));
    assert!(LabelSelector::parse("!x,y").is_ok_and(|s| s.matches(&l)));
    assert!(!LabelSelector::parse("z>1").is_ok_and(|s| s.matches(&labels(&[("z", "v2")]))));
}

/// S21: the pods a..d and each `-l` expression of the table.
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
