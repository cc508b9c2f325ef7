//! "Nothing a user types may panic the engine or the CLI: empty files, garbage bytes, wrong types,
//! unknown kinds, tabs, duplicate keys, YAML alias bombs, absurd numbers. Each gets a clear message
//! with its position, exit code 1 for rejected manifests."
//!
//! Every case checks: no panic (never exit 101, no "panicked" on stderr), the right exit code, and
//! a message naming the position (`FILE:LINE:COL` from `podplay check`, or `line N`).

mod common;

use common::*;
use std::time::Duration;

/// `podplay check FILE` and `podplay run FILE` in `fixtures/bad`: both refuse it with exit 1;
/// check prints one or more lines starting `FILE:LINE:COL: ` and containing `message`; run prints
/// kubectl's error on stderr, containing `kubectl`.
fn assert_rejected(file: &str, position: &str, message: &str, kubectl: &str) {
    let dir = fixtures().join("bad");
    let check = podplay_in(&dir, &["check", file]);
    check.assert_code(1);
    assert!(
        names_position(&check.stdout, file),
        "no position: {check:#?}"
    );
    let first = check.stdout.lines().next().unwrap_or("");
    assert!(
        first.starts_with(&format!("{file}:{position}: ")),
        "expected {file}:{position}: {check:#?}"
    );
    assert!(
        check.stdout.contains(message),
        "check lacks {message:?}: {check:#?}"
    );
    let run = podplay_in(&dir, &["run", "--until", "5s", file]);
    run.assert_code(1).assert_stderr_contains(kubectl);
    assert_eq!(run.stdout, "", "a rejected run prints no trace: {run:#?}");
}

#[test]
fn empty_file_is_no_objects_passed_to_apply() {
    assert_rejected(
        "empty.yaml",
        "1:1",
        "no objects passed to apply",
        "error: no objects passed to apply",
    );
}

#[test]
fn comment_only_file_is_no_objects_passed_to_apply() {
    assert_rejected(
        "comment-only.yaml",
        "1:1",
        "no objects passed to apply",
        "error: no objects passed to apply",
    );
}

#[test]
fn file_of_document_separators_only_is_no_objects_passed_to_apply() {
    assert_rejected(
        "only-separators.yaml",
        "1:1",
        "no objects passed to apply",
        "error: no objects passed to apply",
    );
}

#[test]
fn garbage_bytes_are_a_yaml_error_with_position() {
    assert_rejected(
        // 0xa5 is a continuation byte where a character must start: go-yaml's reader stops there.
        "garbage.bin",
        "1:1",
        "yaml: invalid leading UTF-8 octet",
        "error: error parsing garbage.bin: error converting YAML to JSON: yaml: invalid leading UTF-8 octet",
    );
}

#[test]
fn a_scalar_document_is_not_an_object() {
    assert_rejected(
        "scalar-document.yaml",
        "1:1",
        "json: cannot unmarshal string into Go value of type map[string]interface {}",
        "error: unable to decode \"scalar-document.yaml\"",
    );
}

#[test]
fn a_list_document_is_not_an_object() {
    assert_rejected(
        "list-document.yaml",
        "1:1",
        "json: cannot unmarshal array into Go value of type map[string]interface {}",
        "error: unable to decode \"list-document.yaml\"",
    );
}

#[test]
fn wrong_type_for_a_list_field_is_a_decoding_error() {
    assert_rejected(
        "wrong-type-containers.yaml",
        "6:15",
        "json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container",
        "Error from server (BadRequest): error when creating \"wrong-type-containers.yaml\": Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container",
    );
}

#[test]
fn wrong_type_for_a_number_field_is_a_decoding_error() {
    assert_rejected(
        "wrong-type-port.yaml",
        "10:22",
        "json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32",
        "Error from server (BadRequest): error when creating \"wrong-type-port.yaml\"",
    );
}

#[test]
fn wrong_type_for_metadata_is_a_decoding_error() {
    assert_rejected(
        "metadata-string.yaml",
        "3:11",
        "json: cannot unmarshal string into Go struct field Pod.metadata of type v1.ObjectMeta",
        "Pod in version \"v1\" cannot be handled as a Pod",
    );
}

#[test]
fn a_string_where_a_command_list_belongs_is_a_decoding_error() {
    assert_rejected(
        "command-string.yaml",
        "9:14",
        "json: cannot unmarshal string into Go struct field Container.spec.containers.command of type []string",
        "Pod in version \"v1\" cannot be handled as a Pod",
    );
}

#[test]
fn a_fraction_where_an_integer_belongs_is_a_decoding_error() {
    assert_rejected(
        "fractional-seconds.yaml",
        "11:22",
        "json: cannot unmarshal number 1.5 into Go struct field Probe.spec.containers.livenessProbe.periodSeconds of type int32",
        "Pod in version \"v1\" cannot be handled as a Pod",
    );
}

#[test]
fn unknown_kind_is_no_matches_for_kind() {
    assert_rejected(
        "unknown-kind.yaml",
        "2:1",
        "no matches for kind \"Pud\" in version \"v1\"",
        "error: resource mapping not found for name: \"web\" namespace: \"\" from \"unknown-kind.yaml\": no matches for kind \"Pud\" in version \"v1\"\nensure CRDs are installed first",
    );
}

#[test]
fn a_kind_that_is_a_number_is_refused() {
    let dir = fixtures().join("bad");
    let check = podplay_in(&dir, &["check", "kind-number.yaml"]);
    check.assert_code(1);
    assert!(
        names_position(&check.stdout, "kind-number.yaml"),
        "{check:#?}"
    );
    podplay_in(&dir, &["run", "--until", "1s", "kind-number.yaml"]).assert_code(1);
}

#[test]
fn tab_indentation_is_a_yaml_error_with_position() {
    assert_rejected(
        "tabs.yaml",
        "4:2",
        "yaml: line 4: found character that cannot start any token",
        "error: error parsing tabs.yaml: error converting YAML to JSON: yaml: line 4: found character that cannot start any token",
    );
}

#[test]
fn duplicate_keys_are_a_yaml_error_with_position() {
    assert_rejected(
        "duplicate-keys.yaml",
        "5:3",
        "line 5: key \"name\" already set in map",
        "line 5: key \"name\" already set in map",
    );
}

#[test]
fn yaml_alias_bomb_is_refused_quickly() {
    assert_rejected(
        "alias-bomb.yaml",
        "11:12",
        "yaml: document contains excessive aliasing",
        "error: error parsing alias-bomb.yaml: error converting YAML to JSON: yaml: document contains excessive aliasing",
    );
}

#[test]
fn unclosed_flow_mapping_is_a_yaml_error_with_position() {
    assert_rejected(
        "unclosed-flow.yaml",
        "10:1",
        "yaml: line 9: did not find expected ',' or '}'",
        "error: error parsing unclosed-flow.yaml: error converting YAML to JSON: yaml: line 9: did not find expected ',' or '}'",
    );
}

#[test]
fn unclosed_quote_is_a_yaml_error_with_position() {
    assert_rejected(
        "unclosed-quote.yaml",
        "5:17",
        "yaml: line 5: found unexpected end of stream",
        "error: error parsing unclosed-quote.yaml: error converting YAML to JSON",
    );
}

#[test]
fn undefined_alias_is_refused_with_position() {
    let dir = fixtures().join("bad");
    let check = podplay_in(&dir, &["check", "unknown-alias.yaml"]);
    check.assert_code(1);
    assert!(
        names_position(&check.stdout, "unknown-alias.yaml"),
        "{check:#?}"
    );
    podplay_in(&dir, &["run", "--until", "1s", "unknown-alias.yaml"]).assert_code(1);
}

#[test]
fn undefined_alias_says_what_kubectl_says() {
    assert_rejected(
        "unknown-alias.yaml",
        "4:9",
        "yaml: unknown anchor 'nothing' referenced",
        "error: error parsing unknown-alias.yaml: error converting YAML to JSON: yaml: unknown anchor 'nothing' referenced",
    );
}

#[test]
fn int64_overflow_is_a_decoding_error() {
    assert_rejected(
        "absurd-numbers.yaml",
        "6:34",
        "json: cannot unmarshal number 99999999999999999999999999 into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64",
        "Error from server (BadRequest): error when creating \"absurd-numbers.yaml\"",
    );
}

#[test]
fn period_seconds_beyond_int32_is_a_decoding_error() {
    // periodSeconds: 99999999999999 (the example): Probe.periodSeconds is an int32.
    assert_rejected(
        "huge-period.yaml",
        "11:22",
        "json: cannot unmarshal number 99999999999999 into Go struct field Probe.spec.containers.livenessProbe.periodSeconds of type int32",
        "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal number 99999999999999 into Go struct field Probe.spec.containers.livenessProbe.periodSeconds of type int32",
    );
}

#[test]
fn port_out_of_range_is_a_validation_error() {
    assert_rejected(
        "port-out-of-range.yaml",
        "10:7",
        "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
        "The Pod \"web\" is invalid: spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
    );
}

#[test]
fn no_containers_is_a_validation_error() {
    assert_rejected(
        "no-containers.yaml",
        "6:3",
        "spec.containers: Required value",
        "The Pod \"web\" is invalid: spec.containers: Required value",
    );
}

#[test]
fn duplicate_container_names_are_a_validation_error() {
    assert_rejected(
        "duplicate-container-names.yaml",
        "9:5",
        "spec.containers[1].name: Duplicate value: \"web\"",
        "The Pod \"web\" is invalid: spec.containers[1].name: Duplicate value: \"web\"",
    );
}

#[test]
fn invalid_utf8_is_refused_with_position() {
    let dir = fixtures().join("bad");
    let check = podplay_in(&dir, &["check", "invalid-utf8.yaml"]);
    check.assert_code(1);
    assert!(
        names_position(&check.stdout, "invalid-utf8.yaml"),
        "{check:#?}"
    );
    podplay_in(&dir, &["run", "--until", "1s", "invalid-utf8.yaml"]).assert_code(1);
}

#[test]
fn invalid_utf8_says_what_kubectl_says() {
    let dir = fixtures().join("bad");
    let run = podplay_in(&dir, &["run", "--until", "1s", "invalid-utf8.yaml"]);
    run.assert_code(1).assert_stderr_contains(
        "error: error parsing invalid-utf8.yaml: error converting YAML to JSON: yaml: invalid trailing UTF-8 octet",
    );
}

#[test]
fn byte_order_mark_is_accepted() {
    let dir = fixtures().join("bad");
    podplay_in(&dir, &["check", "bom.yaml"]).assert_ok();
    let bom = podplay_in(
        &dir,
        &["run", "--until", "20s", "--output", "json", "bom.yaml"],
    );
    bom.assert_ok();
    let plain = podplay(&["run", "--until", "20s", "--output", "json", "pod-web.yaml"]);
    assert_eq!(bom.stdout, plain.stdout, "a BOM changes nothing");
}

#[test]
fn crlf_line_endings_are_accepted() {
    let dir = fixtures().join("bad");
    podplay_in(&dir, &["check", "crlf.yaml"]).assert_ok();
    let crlf = podplay_in(
        &dir,
        &["run", "--until", "20s", "--output", "json", "crlf.yaml"],
    );
    crlf.assert_ok();
    let plain = podplay(&["run", "--until", "20s", "--output", "json", "pod-web.yaml"]);
    assert_eq!(crlf.stdout, plain.stdout, "CRLF changes nothing");
}

#[test]
fn crlf_line_endings_keep_positions_right() {
    assert_rejected(
        "crlf-invalid.yaml",
        "11:7",
        "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
        "The Pod \"web\" is invalid: spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1\n",
    );
}

#[test]
fn a_two_megabyte_file_is_handled() {
    // 2 MB of ConfigMaps, each well under the 1 MiB object limit.
    let dir = scratch("two-megabytes");
    let mut text = String::new();
    let value = "x".repeat(300);
    let mut i = 0;
    while text.len() < 2 * 1024 * 1024 {
        text.push_str(&format!(
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm{i}\ndata:\n  k: \"{value}\"\n"
        ));
        i += 1;
    }
    std::fs::write(dir.join("big.yaml"), &text).expect("write");
    podplay_in(&dir, &["check", "big.yaml"]).assert_ok();
    podplay_in(&dir, &["run", "--until", "1s", "big.yaml"]).assert_ok();
}

#[test]
fn a_configmap_over_one_mebibyte_is_too_long() {
    let dir = scratch("configmap-too-long");
    let text = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  a: \"{}\"\n  b: small\n",
        "x".repeat(1_100_000)
    );
    std::fs::write(dir.join("cm.yaml"), text).expect("write");
    let check = podplay_in(&dir, &["check", "cm.yaml"]);
    check.assert_code(1);
    assert!(names_position(&check.stdout, "cm.yaml"), "{check:#?}");
    podplay_in(&dir, &["run", "--until", "1s", "cm.yaml"])
        .assert_code(1)
        .assert_stderr_contains(
            "The ConfigMap \"big\" is invalid: []: Too long: must have at most 1048576 bytes",
        );
}

#[test]
fn deeply_nested_flow_yaml_is_refused_with_position() {
    let dir = scratch("deep-flow");
    let depth = 100_000;
    let text = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    std::fs::write(dir.join("deep.yaml"), text).expect("write");
    let check = podplay_in(&dir, &["check", "deep.yaml"]);
    check.assert_code(1);
    assert!(names_position(&check.stdout, "deep.yaml"), "{check:#?}");
    let run = podplay_in(&dir, &["run", "--until", "1s", "deep.yaml"]);
    run.assert_code(1);
    assert!(names_position(&run.stderr, "deep.yaml"), "{run:#?}");
}

#[test]
fn deeply_nested_block_yaml_is_refused_with_position() {
    let dir = scratch("deep-block");
    let mut text =
        String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\n  labels:\n");
    for i in 0..1500 {
        text.push_str(&" ".repeat(i + 4));
        text.push_str("a:\n");
    }
    text.push_str(&" ".repeat(1504));
    text.push_str("b\n");
    std::fs::write(dir.join("deep.yaml"), text).expect("write");
    let check = podplay_in(&dir, &["check", "deep.yaml"]);
    check.assert_code(1);
    assert!(names_position(&check.stdout, "deep.yaml"), "{check:#?}");
    podplay_in(&dir, &["run", "--until", "1s", "deep.yaml"]).assert_code(1);
}

#[test]
fn a_pod_with_1000_containers_runs() {
    let dir = scratch("thousand-containers");
    let mut text =
        String::from("apiVersion: v1\nkind: Pod\nmetadata:\n  name: many\nspec:\n  containers:\n");
    for i in 0..1000 {
        text.push_str(&format!(
            "  - name: c{i}\n    image: busybox:1.36\n    command: [\"sleep\", \"3600\"]\n"
        ));
    }
    std::fs::write(dir.join("many.yaml"), text).expect("write");
    podplay_in(&dir, &["check", "many.yaml"]).assert_ok();
    let out = podplay_in(
        &dir,
        &["run", "--until", "5s", "--output", "json", "many.yaml"],
    );
    out.assert_ok();
    let last = of_kind(&out.records(), "object")
        .into_iter()
        .rfind(|r| s(r, "objectKind") == "Pod" && s(r, "name") == "many")
        .cloned()
        .unwrap_or_default();
    assert_eq!(last["columns"]["READY"], "1000/1000", "{last}");
}

#[test]
fn largest_valid_int32_and_int64_values_run() {
    let dir = fixtures().join("bad");
    podplay_in(&dir, &["check", "max-int64-grace.yaml"]).assert_ok();
    podplay_in(&dir, &["run", "--until", "20s", "max-int64-grace.yaml"]).assert_ok();
}

#[test]
fn deleting_a_pod_with_the_largest_grace_period_does_not_panic() {
    let dir = scratch("max-grace-delete");
    std::fs::copy(
        fixtures().join("bad/max-int64-grace.yaml"),
        dir.join("pod.yaml"),
    )
    .expect("copy");
    std::fs::write(
        dir.join("s.txt"),
        "@5s kubectl delete pod web\n@6s kubectl get pods\n",
    )
    .expect("script");
    let out = podplay_in(
        &dir,
        &["run", "--script", "s.txt", "--until", "20s", "pod.yaml"],
    );
    out.assert_ok();
    out.assert_stdout_contains("Terminating");
}

#[test]
fn delete_with_the_largest_grace_period_flag_does_not_panic() {
    let dir = scratch("max-grace-flag");
    std::fs::copy(fixtures().join("pod-web.yaml"), dir.join("pod.yaml")).expect("copy");
    std::fs::write(
        dir.join("s.txt"),
        "@5s kubectl delete pod web --grace-period=9223372036854775807\n",
    )
    .expect("script");
    podplay_in(
        &dir,
        &["run", "--script", "s.txt", "--until", "20s", "pod.yaml"],
    )
    .assert_ok();
}

#[test]
fn huge_resource_requests_do_not_fit_any_node() {
    let dir = fixtures().join("bad");
    podplay_in(&dir, &["check", "huge-requests.yaml"]).assert_ok();
    let out = podplay_in(
        &dir,
        &[
            "run",
            "--until",
            "5s",
            "--output",
            "json",
            "huge-requests.yaml",
        ],
    );
    out.assert_ok();
    let records = out.records();
    let events = of_kind(&records, "event");
    assert!(
        events.iter().all(|r| s(r, "reason") != "Scheduled"),
        "{events:#?}"
    );
    assert!(
        events.iter().any(|r| s(r, "reason") == "FailedScheduling"
            && s(r, "message").contains("2 Insufficient cpu")),
        "{events:#?}"
    );
}

#[test]
fn negative_until_is_a_usage_error() {
    for until in ["-5s", "-1", "-1h"] {
        podplay(&["run", "--until", until, "pod-web.yaml"])
            .assert_code(2)
            .assert_stderr_contains("--until");
    }
}

#[test]
fn unparsable_until_is_a_usage_error() {
    for until in ["", "soon", "5x", "1e9", "5 m", "m", "1h-5m"] {
        podplay(&["run", "--until", until, "pod-web.yaml"])
            .assert_code(2)
            .assert_stderr_contains("--until");
    }
}

#[test]
fn until_beyond_i64_milliseconds_is_a_usage_error() {
    for until in [
        "99999999999999999999",
        "9223372036854775807",
        "999999999999h999999999999h999999999999h",
    ] {
        podplay(&["run", "--until", until, "pod-web.yaml"])
            .assert_code(2)
            .assert_stderr_contains("--until");
    }
}

#[test]
fn huge_until_ends_promptly() {
    let out = podplay_with(
        &fixtures(),
        &["run", "--until", "1000000000h", "pod-web.yaml"],
        None,
        Duration::from_secs(30),
    );
    out.assert_no_panic();
    assert!(matches!(out.code, Some(0) | Some(2)), "{out:#?}");
}

#[test]
fn seed_out_of_range_is_a_usage_error() {
    for seed in ["18446744073709551616", "-1", "1.5", "abc", ""] {
        podplay(&["run", "--seed", seed, "pod-web.yaml"])
            .assert_code(2)
            .assert_stderr_contains("--seed");
    }
    podplay(&[
        "run",
        "--seed",
        "18446744073709551615",
        "--until",
        "1s",
        "pod-web.yaml",
    ])
    .assert_ok();
    podplay(&["run", "--seed", "0", "--until", "1s", "pod-web.yaml"]).assert_ok();
}

#[test]
fn unknown_flags_are_usage_errors() {
    for args in [
        &["run", "--until", "1s", "--verbose", "pod-web.yaml"][..],
        &["run", "--until", "1s", "pod-web.yaml", "--frobnicate=yes"],
        &["run", "-z", "pod-web.yaml"],
    ] {
        let out = podplay(args);
        out.assert_code(2);
        assert!(out.stderr.contains("unknown flag"), "{out:#?}");
    }
}

#[test]
fn check_unknown_flag_is_a_usage_error() {
    let out = podplay(&["check", "--strict", "pod-web.yaml"]);
    out.assert_code(2);
    assert!(out.stderr.contains("unknown flag: --strict"), "{out:#?}");
}

#[test]
fn script_with_garbage_lines_is_refused_naming_the_line() {
    let out = podplay(&["run", "--script", "scripts/garbage.txt", "pod-web.yaml"]);
    out.assert_code(2);
    assert!(
        names_position(&out.stderr, "scripts/garbage.txt"),
        "{out:#?}"
    );
}

#[test]
fn script_with_absurd_lines_is_refused_naming_the_line() {
    let dir = scratch("script-absurd-times");
    std::fs::copy(fixtures().join("pod-web.yaml"), dir.join("pod.yaml")).expect("copy");
    for (n, bad) in [
        "@99999999999999999999s kubectl get pods",
        "@-1s kubectl get pods",
        "@ kubectl get pods",
        "@1s",
        "@1s rm -rf /",
        "@1s sim",
    ]
    .iter()
    .enumerate()
    {
        std::fs::write(dir.join("s.txt"), format!("# header\n{bad}\n")).expect("script");
        let out = podplay_in(
            &dir,
            &["run", "--script", "s.txt", "--until", "2s", "pod.yaml"],
        );
        out.assert_code(2);
        assert!(out.stderr.contains("line 2"), "case {n} {bad:?}: {out:#?}");
    }
}

#[test]
fn script_line_after_until_never_runs() {
    let dir = scratch("script-far-future");
    std::fs::copy(fixtures().join("pod-web.yaml"), dir.join("pod.yaml")).expect("copy");
    std::fs::write(dir.join("s.txt"), "@1000000000h kubectl get pods\n").expect("script");
    let out = podplay_in(
        &dir,
        &[
            "run", "--script", "s.txt", "--until", "2s", "--output", "json", "pod.yaml",
        ],
    );
    out.assert_ok();
    assert!(of_kind(&out.records(), "output").is_empty());
}

#[test]
fn script_of_invalid_utf8_is_refused_without_panic() {
    let dir = scratch("script-binary");
    std::fs::copy(fixtures().join("pod-web.yaml"), dir.join("pod.yaml")).expect("copy");
    std::fs::write(
        dir.join("s.txt"),
        b"@1s kubectl get pods\n\xff\xfe garbage\n",
    )
    .expect("script");
    let out = podplay_in(
        &dir,
        &["run", "--script", "s.txt", "--until", "2s", "pod.yaml"],
    );
    out.assert_code(2);
    out.assert_stderr_contains("s.txt");
}

#[test]
fn script_of_invalid_utf8_names_the_line() {
    let dir = scratch("script-binary-line");
    std::fs::copy(fixtures().join("pod-web.yaml"), dir.join("pod.yaml")).expect("copy");
    std::fs::write(
        dir.join("s.txt"),
        b"@1s kubectl get pods\n\xff\xfe garbage\n",
    )
    .expect("script");
    let out = podplay_in(
        &dir,
        &["run", "--script", "s.txt", "--until", "2s", "pod.yaml"],
    );
    out.assert_code(2);
    assert!(!out.stderr.contains("does not exist"), "{out:#?}");
    out.assert_stderr_contains("line 2");
}

#[test]
fn script_deleting_a_pod_that_does_not_exist_completes() {
    let dir = scratch("script-delete-ghost");
    std::fs::copy(fixtures().join("pod-web.yaml"), dir.join("pod.yaml")).expect("copy");
    std::fs::write(
        dir.join("s.txt"),
        "@1s kubectl delete pod ghost\n@2s kubectl delete pod web\n@3s kubectl delete pod web\n",
    )
    .expect("script");
    let out = podplay_in(
        &dir,
        &[
            "run", "--script", "s.txt", "--until", "60s", "--output", "json", "pod.yaml",
        ],
    );
    out.assert_ok();
    let records = out.records();
    let outputs = of_kind(&records, "output");
    assert_eq!(outputs.len(), 3);
    assert_eq!(
        s(outputs[0], "stderr"),
        "Error from server (NotFound): pods \"ghost\" not found\n"
    );
    assert_eq!(outputs[0]["exit"], 1);
    assert_eq!(s(outputs[1], "stdout"), "pod \"web\" deleted\n");
    // Deleting again while it terminates is accepted by the API server too.
    assert!(
        outputs[2]["exit"] == 0 || outputs[2]["exit"] == 1,
        "{}",
        outputs[2]
    );
}

#[test]
fn script_exec_into_a_missing_container_completes() {
    let out = podplay(&[
        "run",
        "--script",
        "scripts/missing-things.txt",
        "--until",
        "20s",
        "pod-web.yaml",
    ]);
    out.assert_ok();
    out.assert_stdout_contains("container ghost is not valid for pod web");
}

#[test]
fn script_with_unknown_commands_and_flags_completes() {
    let dir = scratch("script-unknown-things");
    std::fs::copy(fixtures().join("pod-web.yaml"), dir.join("pod.yaml")).expect("copy");
    std::fs::write(
        dir.join("s.txt"),
        "@1s kubectl frobnicate\n\
         @1s kubectl get pods --frobnicate\n\
         @1s kubectl get\n\
         @1s kubectl\n\
         @1s kubectl get pods -o\n\
         @1s kubectl exec\n\
         @1s kubectl exec web\n\
         @1s kubectl exec web --\n\
         @1s kubectl delete\n\
         @1s kubectl apply -f\n\
         @1s kubectl apply -f does-not-exist.yaml\n\
         @1s sim frobnicate\n\
         @1s sim crash\n\
         @1s sim crash web -c\n\
         @1s sim crash web --exit-code\n\
         @1s sim crash web --exit-code 99999999999999999999\n\
         @1s sim node-down\n\
         @1s sim load\n\
         @1s sim load service/web\n\
         @1s sim load service/web -5\n\
         @1s kubectl get pods \"unterminated\n",
    )
    .expect("script");
    let out = podplay_in(
        &dir,
        &[
            "run", "--script", "s.txt", "--until", "3s", "--output", "json", "pod.yaml",
        ],
    );
    out.assert_ok();
    let records = out.records();
    let outputs = of_kind(&records, "output");
    assert_eq!(outputs.len(), 21, "one record per line: {outputs:#?}");
    for r in outputs {
        assert!(
            r["exit"].as_i64().is_some_and(|e| e != 0),
            "should fail: {r}"
        );
        assert!(!s(r, "stderr").is_empty(), "failure without message: {r}");
    }
}
