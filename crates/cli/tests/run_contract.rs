//! `podplay run` as shared/design/cli-contract.md promises it: files in order, `-` for stdin, the
//! `--until` forms, `--seed`, byte-identical output, the three `--output` modes and the exit status.

mod common;

use common::*;
use std::time::Duration;

/// The `t` of the first event with this reason and object, in a `--output json` run.
fn first_event_t(records: &[serde_json::Value], reason: &str, object: &str) -> Option<f64> {
    of_kind(records, "event")
        .into_iter()
        .find(|r| s(r, "reason") == reason && s(r, "object") == object)
        .and_then(|r| r["t"].as_f64())
}

/// The objects of the Scheduled events, in trace order.
fn scheduled_order(out: &Outcome) -> Vec<String> {
    of_kind(&out.records(), "event")
        .into_iter()
        .filter(|r| s(r, "reason") == "Scheduled")
        .map(|r| s(r, "object").to_string())
        .collect()
}

#[test]
fn run_applies_files_in_the_order_given() {
    // A namespace must exist before a pod is created in it, so only one order works.
    podplay(&["run", "--until", "1s", "ns-dev.yaml", "pod-in-dev.yaml"]).assert_ok();
    podplay(&["run", "--until", "1s", "pod-in-dev.yaml", "ns-dev.yaml"]).assert_code(1);
}

#[test]
fn scheduler_takes_pods_in_the_order_they_were_applied() {
    let ab = podplay(&[
        "run",
        "--until",
        "1s",
        "--output",
        "json",
        "pod-a.yaml",
        "pod-b.yaml",
    ]);
    ab.assert_ok();
    assert_eq!(scheduled_order(&ab), ["Pod/a", "Pod/b"], "{ab:#?}");
    let ba = podplay(&[
        "run",
        "--until",
        "1s",
        "--output",
        "json",
        "pod-b.yaml",
        "pod-a.yaml",
    ]);
    ba.assert_ok();
    assert_eq!(scheduled_order(&ba), ["Pod/b", "Pod/a"], "{ba:#?}");
}

#[test]
fn run_applies_documents_of_a_list_in_order() {
    let out = podplay(&[
        "run",
        "--until",
        "1s",
        "--output",
        "json",
        "list-two-pods.yaml",
    ]);
    out.assert_ok();
    assert_eq!(scheduled_order(&out), ["Pod/a", "Pod/b"], "{out:#?}");
}

#[test]
fn run_applies_a_namespace_given_before_its_pod() {
    let out = podplay(&[
        "run",
        "--until",
        "2s",
        "--output",
        "json",
        "ns-dev.yaml",
        "pod-in-dev.yaml",
    ]);
    out.assert_ok();
    let records = out.records();
    let scheduled = of_kind(&records, "event")
        .into_iter()
        .find(|r| s(r, "reason") == "Scheduled")
        .cloned();
    let scheduled = scheduled.unwrap_or_else(|| panic!("no Scheduled event: {out:#?}"));
    assert_eq!(s(&scheduled, "namespace"), "dev");
    assert_eq!(s(&scheduled, "object"), "Pod/web");
}

#[test]
fn run_rejects_a_pod_whose_namespace_comes_in_a_later_file() {
    // kubectl apply -f pod-in-dev.yaml (before the namespace exists): the API server refuses it.
    let out = podplay(&["run", "--until", "2s", "pod-in-dev.yaml", "ns-dev.yaml"]);
    out.assert_code(1).assert_stderr_contains(
        "Error from server (NotFound): error when creating \"pod-in-dev.yaml\": namespaces \"dev\" not found",
    );
}

#[test]
fn run_reads_standard_input_for_dash() {
    let text = std::fs::read(fixtures().join("pod-web.yaml")).expect("fixture");
    let from_stdin = podplay_with(
        &fixtures(),
        &["run", "--until", "20s", "-"],
        Some(&text),
        Duration::from_secs(60),
    );
    from_stdin.assert_ok();
    let from_file = podplay(&["run", "--until", "20s", "pod-web.yaml"]);
    from_file.assert_ok();
    assert_eq!(from_stdin.stdout, from_file.stdout);
    assert!(from_stdin.stdout.contains("Running"), "{from_stdin:#?}");
}

#[test]
fn run_dash_takes_its_place_among_the_files() {
    let ns = std::fs::read(fixtures().join("ns-dev.yaml")).expect("fixture");
    let run = |args: &[&str]| podplay_with(&fixtures(), args, Some(&ns), Duration::from_secs(60));
    run(&["run", "--until", "1s", "-", "pod-in-dev.yaml"]).assert_ok();
    run(&["run", "--until", "1s", "pod-in-dev.yaml", "-"])
        .assert_code(1)
        .assert_stderr_contains("namespaces \"dev\" not found");
}

/// Runs pod-web.yaml with a script that asks `kubectl get pods` one second before and one second
/// after `end_ms`, and returns the times of the commands that ran.
fn script_times_until(until: Option<&str>, end_ms: i64) -> Vec<f64> {
    let dir = scratch(&format!("until-{}", until.unwrap_or("default")));
    std::fs::copy(fixtures().join("pod-web.yaml"), dir.join("pod.yaml")).expect("copy");
    let (before, after) = ((end_ms - 1000) / 1000, (end_ms + 1000) / 1000);
    std::fs::write(
        dir.join("script.txt"),
        format!("@{before}s kubectl get pods\n@{after}s kubectl get pods\n"),
    )
    .expect("script");
    let mut args = vec!["run", "--script", "script.txt", "--output", "json"];
    if let Some(u) = until {
        args.extend(["--until", u]);
    }
    args.push("pod.yaml");
    let out = podplay_in(&dir, &args);
    out.assert_ok();
    of_kind(&out.records(), "output")
        .into_iter()
        .filter_map(|r| r["t"].as_f64())
        .collect()
}

#[test]
fn until_accepts_every_form_of_the_contract() {
    for (form, ms) in [
        ("90", 90_000),
        ("90s", 90_000),
        ("5m", 300_000),
        ("1h30m", 5_400_000),
        ("2m30s", 150_000),
    ] {
        let times = script_times_until(Some(form), ms);
        assert_eq!(
            times,
            [(ms - 1000) as f64 / 1000.0],
            "--until {form}: the run must end at {ms} ms"
        );
    }
}

#[test]
fn until_defaults_to_10m() {
    assert_eq!(script_times_until(None, 600_000), [599.0]);
}

#[test]
fn until_forms_of_one_duration_give_the_same_run() {
    let a = podplay(&["run", "--until", "90", "--output", "json", "pod-web.yaml"]);
    let b = podplay(&["run", "--until", "90s", "--output", "json", "pod-web.yaml"]);
    let c = podplay(&[
        "run",
        "--until",
        "1m30s",
        "--output",
        "json",
        "pod-web.yaml",
    ]);
    a.assert_ok();
    b.assert_ok();
    c.assert_ok();
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(a.stdout, c.stdout);
}

#[test]
fn seed_defaults_to_1() {
    // The deployment's pod names carry a random suffix: the seed shows in the output.
    let default = podplay(&[
        "run",
        "--until",
        "15s",
        "--output",
        "json",
        "kinds/deployment.yaml",
    ]);
    let one = podplay(&[
        "run",
        "--until",
        "15s",
        "--output",
        "json",
        "--seed",
        "1",
        "kinds/deployment.yaml",
    ]);
    let two = podplay(&[
        "run",
        "--until",
        "15s",
        "--output",
        "json",
        "--seed",
        "2",
        "kinds/deployment.yaml",
    ]);
    default.assert_ok();
    one.assert_ok();
    two.assert_ok();
    assert_eq!(default.stdout, one.stdout);
    assert_ne!(
        one.stdout, two.stdout,
        "the seed must drive the random choices"
    );
}

#[test]
fn same_files_script_and_seed_give_byte_identical_output() {
    for output in ["watch", "events", "json"] {
        let args = [
            "run",
            "--script",
            "scripts/grammar.txt",
            "--until",
            "40s",
            "--seed",
            "7",
            "--output",
            output,
            "pod-web.yaml",
            "kinds/deployment.yaml",
        ];
        let first = podplay(&args);
        first.assert_ok();
        assert!(!first.stdout.is_empty());
        for _ in 0..2 {
            let again = podplay(&args);
            again.assert_ok();
            assert!(
                again.stdout == first.stdout,
                "--output {output}: two runs differ"
            );
        }
    }
}

/// Every line of watch and events output starts with the simulated time: `  12.345s  `.
fn assert_time_prefixed(text: &str) {
    for line in text.lines() {
        let trimmed = line.trim_start();
        let (time, rest) = trimmed
            .split_once("s  ")
            .unwrap_or_else(|| panic!("no time prefix: {line:?}"));
        let (secs, millis) = time
            .split_once('.')
            .unwrap_or_else(|| panic!("time without milliseconds: {line:?}"));
        assert!(
            !secs.is_empty() && secs.chars().all(|c| c.is_ascii_digit()),
            "{line:?}"
        );
        assert!(
            millis.len() == 3 && millis.chars().all(|c| c.is_ascii_digit()),
            "{line:?}"
        );
        assert!(!rest.is_empty(), "{line:?}");
    }
}

/// The columns of a printed line, split on runs of two or more spaces, after the time prefix.
fn columns(line: &str) -> Vec<String> {
    let after = line
        .trim_start()
        .split_once("s  ")
        .map(|x| x.1)
        .unwrap_or("");
    after
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(String::from)
        .collect()
}

#[test]
fn output_watch_prints_kubectl_get_pods_wide_watch_with_time_prefix() {
    let out = podplay(&["run", "--until", "20s", "--output", "watch", "pod-web.yaml"]);
    out.assert_ok();
    assert_time_prefixed(&out.stdout);
    let mut lines = out.stdout.lines();
    let header = lines.next().unwrap_or_default();
    assert_eq!(
        columns(header),
        [
            "NAME",
            "READY",
            "STATUS",
            "RESTARTS",
            "AGE",
            "IP",
            "NODE",
            "NOMINATED NODE",
            "READINESS GATES"
        ],
        "{out:#?}"
    );
    let rows: Vec<Vec<String>> = lines.map(columns).collect();
    assert!(rows
        .iter()
        .all(|r| r.first().map(String::as_str) == Some("web")));
    let last = rows.last().unwrap_or_else(|| panic!("no rows: {out:#?}"));
    assert_eq!(last[1..4], ["1/1", "Running", "0"], "{out:#?}");
}

#[test]
fn output_defaults_to_watch() {
    let default = podplay(&["run", "--until", "20s", "pod-web.yaml"]);
    let watch = podplay(&["run", "--until", "20s", "--output", "watch", "pod-web.yaml"]);
    default.assert_ok();
    watch.assert_ok();
    assert_eq!(default.stdout, watch.stdout);
}

#[test]
fn output_events_prints_kubectl_get_events_watch_with_time_prefix() {
    let out = podplay(&[
        "run",
        "--until",
        "20s",
        "--output",
        "events",
        "pod-web.yaml",
    ]);
    out.assert_ok();
    assert_time_prefixed(&out.stdout);
    let mut lines = out.stdout.lines();
    assert_eq!(
        columns(lines.next().unwrap_or_default()),
        ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    );
    let rows: Vec<Vec<String>> = lines.map(columns).collect();
    let reasons: Vec<&str> = rows.iter().map(|r| r[2].as_str()).collect();
    assert_eq!(
        reasons,
        ["Scheduled", "Pulling", "Pulled", "Created", "Started"],
        "{out:#?}"
    );
    assert!(rows.iter().all(|r| r[1] == "Normal" && r[3] == "pod/web"));
}

#[test]
fn output_events_and_json_show_the_same_events_at_the_same_times() {
    let json = podplay(&["run", "--until", "20s", "--output", "json", "pod-web.yaml"]);
    json.assert_ok();
    let records = json.records();
    let started = first_event_t(&records, "Started", "Pod/web").expect("Started event");
    let events = podplay(&[
        "run",
        "--until",
        "20s",
        "--output",
        "events",
        "pod-web.yaml",
    ]);
    events.assert_ok();
    let line = events
        .stdout
        .lines()
        .find(|l| l.contains("Started"))
        .unwrap_or_else(|| panic!("{events:#?}"));
    assert!(
        line.trim_start().starts_with(&format!("{started:.3}s  ")),
        "{line:?} vs t={started}"
    );
}

#[test]
fn exit_0_when_the_run_completed() {
    podplay(&["run", "--until", "5s", "pod-web.yaml"]).assert_ok();
}

#[test]
fn exit_1_for_an_invalid_manifest_with_kubectls_message() {
    let dir = fixtures().join("contract-threshold");
    let out = podplay_in(&dir, &["run", "--until", "5s", "pod.yaml"]);
    out.assert_code(1);
    assert_eq!(
        out.stderr,
        "The Pod \"web\" is invalid: spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1\n"
    );
    assert_eq!(out.stdout, "", "a rejected run prints no trace");
}

#[test]
fn exit_1_for_an_unknown_field_with_kubectls_message() {
    let dir = fixtures().join("contract-typo");
    let out = podplay_in(&dir, &["run", "--until", "5s", "pod.yaml"]);
    out.assert_code(1);
    assert_eq!(
        out.stderr,
        "Error from server (BadRequest): error when creating \"pod.yaml\": Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.containers[0].livenessProbe.initialDelaySecands\"\n"
    );
}

#[test]
fn exit_1_when_a_file_does_not_exist() {
    podplay(&["run", "--until", "5s", "no-such-file.yaml"])
        .assert_code(1)
        .assert_stderr_contains("error: the path \"no-such-file.yaml\" does not exist");
}

#[test]
fn exit_1_when_any_of_several_files_is_rejected() {
    podplay(&[
        "run",
        "--until",
        "5s",
        "pod-a.yaml",
        "contract-threshold/pod.yaml",
    ])
    .assert_code(1)
    .assert_stderr_contains("The Pod \"web\" is invalid");
}

/// Usage errors: exit 2, a message on stderr, nothing on stdout.
fn assert_usage_error(args: &[&str]) {
    let out = podplay(args);
    out.assert_code(2);
    assert!(
        !out.stderr.trim().is_empty(),
        "usage error without message: {out:#?}"
    );
    assert_eq!(out.stdout, "", "{out:#?}");
}

#[test]
fn exit_2_for_usage_errors() {
    for args in [
        &[][..],
        &["frobnicate"],
        &["run"],
        &["run", "--until", "5s"],
        &["run", "--frobnicate", "pod-web.yaml"],
        &["run", "-x", "pod-web.yaml"],
        &["run", "--output", "yaml", "pod-web.yaml"],
        &["run", "--output", "", "pod-web.yaml"],
        &["run", "pod-web.yaml", "--until"],
        &["run", "pod-web.yaml", "--seed"],
        &["run", "pod-web.yaml", "--script"],
        &["run", "pod-web.yaml", "--output"],
        &["run", "--until", "soon", "pod-web.yaml"],
        &["run", "--seed", "one", "pod-web.yaml"],
        &["check"],
    ] {
        assert_usage_error(args);
    }
}

#[test]
fn exit_2_names_the_unknown_flag() {
    podplay(&["run", "--frobnicate", "pod-web.yaml"])
        .assert_code(2)
        .assert_stderr_contains("--frobnicate");
}

#[test]
fn help_prints_usage_and_exits_0() {
    for flag in ["--help", "-h"] {
        let out = podplay(&[flag]);
        out.assert_ok();
        assert!(out.stdout.contains("podplay run"), "{out:#?}");
        assert!(out.stdout.contains("podplay check"), "{out:#?}");
    }
}
