//! `podplay check` (cli-contract.md): silent success, and one `FILE:LINE:COLUMN: message` line per
//! problem with exit status 1, the message in kubectl's words.

mod common;

use common::*;
use std::time::Duration;

#[test]
fn check_prints_nothing_and_exits_0_when_every_document_is_valid() {
    let out = podplay(&[
        "check",
        "pod-web.yaml",
        "pod-liveness-exec.yaml",
        "web-with-service.yaml",
        "list-two-pods.yaml",
        "six-pods.yaml",
        "ns-dev.yaml",
        "pod-in-dev.yaml",
        "node-big-worker.yaml",
        "kinds/deployment.yaml",
        "kinds/jobs.yaml",
        "scripts/manifests/extra.yaml",
    ]);
    out.assert_ok();
    assert_eq!(out.stdout, "");
}

#[test]
fn check_prints_the_contracts_validation_example_exactly() {
    let out = podplay_in(
        &fixtures().join("contract-threshold"),
        &["check", "pod.yaml"],
    );
    out.assert_code(1);
    assert_eq!(
        out.stdout,
        "pod.yaml:14:9: The Pod \"web\" is invalid: spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1\n"
    );
}

#[test]
fn check_prints_the_contracts_unknown_field_example_exactly() {
    let out = podplay_in(&fixtures().join("contract-typo"), &["check", "pod.yaml"]);
    out.assert_code(1);
    assert_eq!(
        out.stdout,
        "pod.yaml:9:5: strict decoding error: unknown field \"spec.containers[0].livenessProbe.initialDelaySecands\" (did you mean \"initialDelaySeconds\"?)\n"
    );
}

#[test]
fn check_prints_one_line_per_problem_in_file_order() {
    let out = podplay(&[
        "check",
        "contract-multiple/pod.yaml",
        "pod-web.yaml",
        "contract-threshold/pod.yaml",
    ]);
    out.assert_code(1);
    assert_eq!(
        out.stdout,
        "contract-multiple/pod.yaml:13:7: The Pod \"p\" is invalid: spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0\n\
         contract-multiple/pod.yaml:14:7: The Pod \"p\" is invalid: spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1\n\
         contract-threshold/pod.yaml:14:9: The Pod \"web\" is invalid: spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1\n"
    );
}

#[test]
fn check_reports_each_invalid_document_of_a_multi_document_file() {
    let dir = scratch("check-multi-doc");
    let threshold =
        std::fs::read_to_string(fixtures().join("contract-threshold/pod.yaml")).expect("fixture");
    let typo = std::fs::read_to_string(fixtures().join("contract-typo/pod.yaml")).expect("fixture");
    // threshold: lines 1-14, "---" on 15, typo from line 16 (its line 9 is line 24).
    std::fs::write(dir.join("both.yaml"), format!("{threshold}---\n{typo}")).expect("write");
    let out = podplay_in(&dir, &["check", "both.yaml"]);
    out.assert_code(1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{out:#?}");
    assert!(
        lines[0].starts_with("both.yaml:14:9: The Pod \"web\" is invalid"),
        "{out:#?}"
    );
    assert!(
        lines[1].starts_with("both.yaml:24:5: strict decoding error"),
        "{out:#?}"
    );
}

#[test]
fn check_lines_are_file_line_column_message() {
    let out = podplay(&[
        "check",
        "contract-multiple/pod.yaml",
        "contract-threshold/pod.yaml",
        "contract-typo/pod.yaml",
        "bad/tabs.yaml",
        "bad/unknown-kind.yaml",
        "bad/wrong-type-port.yaml",
    ]);
    out.assert_code(1);
    for line in out.stdout.lines() {
        let file = line.split(':').next().unwrap_or("");
        assert!(file.ends_with(".yaml"), "{line:?}");
        assert!(
            names_position(line, file),
            "no FILE:LINE:COLUMN: in {line:?}"
        );
    }
}

#[test]
fn check_reads_standard_input_for_dash() {
    let text = std::fs::read(fixtures().join("contract-threshold/pod.yaml")).expect("fixture");
    let out = podplay_with(
        &fixtures(),
        &["check", "-"],
        Some(&text),
        Duration::from_secs(60),
    );
    out.assert_code(1);
    assert!(
        out.stdout.contains(":14:9: The Pod \"web\" is invalid"),
        "{out:#?}"
    );
    let ok = std::fs::read(fixtures().join("pod-web.yaml")).expect("fixture");
    podplay_with(
        &fixtures(),
        &["check", "-"],
        Some(&ok),
        Duration::from_secs(60),
    )
    .assert_ok();
}

#[test]
fn check_fails_for_a_missing_file_naming_it() {
    let out = podplay(&["check", "pod-web.yaml", "no-such-file.yaml"]);
    out.assert_code(1);
    assert!(out.stdout.contains("no-such-file.yaml"), "{out:#?}");
}
