//! golden-controller-scenarios.md B10: apimachinery `pkg/api/resource/quantity_test.go`
//! vectors (TestQuantityParse, TestQuantityParseEmit, TestQuantityString), controllers-semantics §9.2.

use podplay_api::types::Quantity;

fn q(s: &str) -> Quantity {
    Quantity::from(s)
}

#[test]
fn test_quantity_parse() {
    // (input, value in millis): MilliValue() rounds up like the apiserver's precision rule.
    let cases: &[(&str, i64)] = &[
        ("0", 0),
        ("0m", 0),
        ("0Ki", 0),
        ("1Ki", 1024 * 1000),
        ("7Mi", 7 * 1024 * 1024 * 1000),
        ("8k", 8_000_000),
        ("50k", 50_000_000),
        ("3m", 3),
        ("100.035k", 100_035_000),
        ("10.035M", 10_035_000_000),
        ("0.5Mi", 524_288_000),
        ("100.035Ki", 102_435_840),
    ];
    for (s, millis) in cases {
        assert_eq!(q(s).cpu_millis(), Some(*millis), "{s}");
    }
    // 5n is 5e-9: its canonical form keeps the nanos.
    assert_eq!(q("5n").canonical().as_deref(), Some("5n"));
    assert_eq!(q("3m").canonical().as_deref(), Some("3m"));
    assert_eq!(q("100.035k").canonical().as_deref(), Some("100035"));
    // Precision below 1n rounds up.
    assert_eq!(q("3.001n").canonical().as_deref(), Some("4n"));
    assert_eq!(q("0.9n").canonical().as_deref(), Some("1n"));
    // 9Ei is more than an int64 holds: Value() saturates.
    assert_eq!(q("9Ei").bytes(), Some(i64::MAX));
    // The empty string is not a quantity.
    assert!(!q("").is_valid());
}

#[test]
fn test_quantity_parse_emit() {
    for (input, canonical) in [
        ("1024Mi", "1Gi"),
        ("1000M", "1G"),
        (".001Ki", "1024m"),
        (".000001Ki", "1024u"),
        (".000000001Ki", "1024n"),
        (".000000000001Ki", "2n"),
    ] {
        assert_eq!(q(input).canonical().as_deref(), Some(canonical), "{input}");
    }
}

#[test]
fn test_quantity_string() {
    // (canonical, alternate input with the same canonical form)
    for (canonical, alternate) in [
        ("1Gi", "1024Mi"),
        ("300Mi", "307200Ki"),
        ("5", "5000m"),
        ("500m", "0.5"),
        ("1G", "1000M"),
        ("1080m", "1.08"),
        ("1e9", ".001e12"),
    ] {
        assert_eq!(
            q(canonical).canonical().as_deref(),
            Some(canonical),
            "{canonical}"
        );
        assert_eq!(
            q(alternate).canonical().as_deref(),
            Some(canonical),
            "{alternate}"
        );
    }
    // 5 as BinarySI (below 1024) prints as decimal; 1e3 stays in exponent form.
    assert_eq!(q("5").canonical().as_deref(), Some("5"));
    assert_eq!(q("1e3").canonical().as_deref(), Some("1e3"));
    assert_eq!(q("-1024Mi").canonical().as_deref(), Some("-1Gi"));
}

#[test]
fn test_quantity_parse_errors() {
    for bad in ["", "1MB", "1.2.3", "Mi", "x=1"] {
        assert_eq!(q(bad).canonical(), None, "{bad}");
    }
}
