//! The `--script` grammar (cli-contract.md "Script grammar"): `@<DURATION> <command>` lines,
//! comments and blank lines, time order with file order for ties, `kubectl apply -f` paths
//! relative to the script file, and `sim crash`.

mod common;

use common::*;
use serde_json::Value;

/// (t, command) of every output record.
fn commands(records: &[Value]) -> Vec<(f64, String)> {
    of_kind(records, "output")
        .into_iter()
        .map(|r| (r["t"].as_f64().unwrap_or(-1.0), s(r, "command").to_string()))
        .collect()
}

fn grammar_run() -> (Outcome, Vec<Value>) {
    let out = podplay(&[
        "run",
        "--script",
        "scripts/grammar.txt",
        "--until",
        "25s",
        "--output",
        "json",
        "pod-web.yaml",
    ]);
    out.assert_ok();
    let records = out.records();
    (out, records)
}

#[test]
fn script_lines_run_in_time_order_and_same_time_lines_in_file_order() {
    let (_, records) = grammar_run();
    let got = commands(&records);
    let want: Vec<(f64, String)> = [
        (5.0, "kubectl apply -f manifests/extra.yaml"),
        (12.0, "kubectl get pods web --no-headers"),
        (12.0, "kubectl get pods extra --no-headers"),
        (12.0, "kubectl get pods --no-headers"),
        (15.0, "sim crash web -c web --exit-code 3"),
        (18.0, "kubectl describe pod web"),
        (20.0, "kubectl get pods extra"),
    ]
    .into_iter()
    .map(|(t, c)| (t, c.to_string()))
    .collect();
    // Comments (also indented ones) and blank lines are no commands.
    assert_eq!(got, want);
}

#[test]
fn kubectl_apply_path_is_relative_to_the_script_file_not_the_working_directory() {
    // Run from fixtures/: "manifests/extra.yaml" exists only next to the script.
    let (_, records) = grammar_run();
    let apply = of_kind(&records, "output")
        .into_iter()
        .find(|r| s(r, "command").starts_with("kubectl apply"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(s(&apply, "stdout"), "pod/extra created\n", "{apply}");
    assert_eq!(apply["exit"], 0, "{apply}");
    // And from somewhere else entirely, with absolute paths.
    let dir = scratch("script-elsewhere");
    let script = fixtures().join("scripts/grammar.txt");
    let pod = fixtures().join("pod-web.yaml");
    let out = podplay_in(
        &dir,
        &[
            "run",
            "--script",
            script.to_str().unwrap_or_default(),
            "--until",
            "13s",
            "--output",
            "json",
            pod.to_str().unwrap_or_default(),
        ],
    );
    out.assert_ok();
    let extra_ran = of_kind(&out.records(), "output")
        .into_iter()
        .any(|r| s(r, "command") == "kubectl get pods extra --no-headers" && r["exit"] == 0);
    assert!(extra_ran, "{out:#?}");
}

#[test]
fn sim_crash_kills_the_main_process_with_the_given_exit_code() {
    let (_, records) = grammar_run();
    let crash = of_kind(&records, "output")
        .into_iter()
        .find(|r| s(r, "command").starts_with("sim crash"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(crash["exit"], 0, "{crash}");
    // The container terminates with reason Error and exit code 3, and is restarted.
    let describe = of_kind(&records, "output")
        .into_iter()
        .find(|r| s(r, "command") == "kubectl describe pod web")
        .map(|r| s(r, "stdout").to_string())
        .unwrap_or_default();
    assert!(
        describe.contains("    Last State:     Terminated\n"),
        "{describe}"
    );
    assert!(
        describe.contains("      Reason:       Error\n"),
        "{describe}"
    );
    assert!(describe.contains("      Exit Code:    3\n"), "{describe}");
    assert!(describe.contains("    Restart Count:  1\n"), "{describe}");
    let web_rows: Vec<&Value> = of_kind(&records, "object")
        .into_iter()
        .filter(|r| s(r, "objectKind") == "Pod" && s(r, "name") == "web")
        .filter(|r| r["t"].as_f64().is_some_and(|t| t >= 15.0))
        .collect();
    assert!(
        web_rows.iter().any(|r| r["columns"]["STATUS"] == "Error"),
        "STATUS shows the terminated reason first: {web_rows:#?}"
    );
    assert!(
        web_rows
            .last()
            .is_some_and(|r| r["columns"]["RESTARTS"] == "1" && r["columns"]["STATUS"] == "Running"),
        "{web_rows:#?}"
    );
}

#[test]
fn sim_crash_without_container_crashes_the_pods_container() {
    let dir = scratch("sim-crash-default");
    std::fs::copy(fixtures().join("pod-web.yaml"), dir.join("pod.yaml")).expect("copy");
    std::fs::write(
        dir.join("s.txt"),
        "@15s sim crash web\n@18s kubectl get pods web\n",
    )
    .expect("script");
    let out = podplay_in(
        &dir,
        &[
            "run", "--script", "s.txt", "--until", "20s", "--output", "json", "pod.yaml",
        ],
    );
    out.assert_ok();
    let records = out.records();
    let outputs = of_kind(&records, "output");
    assert_eq!(outputs.len(), 2, "{outputs:#?}");
    assert_eq!(outputs[0]["exit"], 0, "{}", outputs[0]);
    assert!(
        s(outputs[1], "stdout").contains("web    1/1     Running   1 ("),
        "{}",
        outputs[1]
    );
}

#[test]
fn script_times_take_every_duration_form() {
    let dir = scratch("script-time-forms");
    std::fs::copy(fixtures().join("pod-web.yaml"), dir.join("pod.yaml")).expect("copy");
    std::fs::write(
        dir.join("s.txt"),
        "@2m kubectl get pods\n@90 kubectl get pods\n@1m30s kubectl get pods web\n@1m kubectl get pods\n@30s kubectl get pods\n",
    )
    .expect("script");
    let out = podplay_in(
        &dir,
        &[
            "run", "--script", "s.txt", "--until", "3m", "--output", "json", "pod.yaml",
        ],
    );
    out.assert_ok();
    let times: Vec<f64> = commands(&out.records())
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    assert_eq!(times, [30.0, 60.0, 90.0, 90.0, 120.0]);
    let same_time: Vec<String> = commands(&out.records())
        .into_iter()
        .filter(|(t, _)| *t == 90.0)
        .map(|(_, c)| c)
        .collect();
    assert_eq!(same_time, ["kubectl get pods", "kubectl get pods web"]);
}

#[test]
fn script_with_crlf_line_endings_runs() {
    let out = podplay(&[
        "run",
        "--script",
        "scripts/crlf.txt",
        "--until",
        "3s",
        "--output",
        "json",
        "pod-web.yaml",
    ]);
    out.assert_ok();
    let got: Vec<String> = commands(&out.records())
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    assert_eq!(got, ["kubectl get pods", "kubectl get pods web"]);
}

#[test]
fn empty_script_runs_nothing() {
    let out = podplay(&[
        "run",
        "--script",
        "scripts/empty.txt",
        "--until",
        "3s",
        "--output",
        "json",
        "pod-web.yaml",
    ]);
    out.assert_ok();
    assert!(of_kind(&out.records(), "output").is_empty());
}

#[test]
fn script_garbage_line_is_refused_naming_the_line() {
    let out = podplay(&[
        "run",
        "--script",
        "scripts/garbage.txt",
        "--until",
        "3s",
        "pod-web.yaml",
    ]);
    out.assert_code(2);
    assert!(
        names_position(&out.stderr, "scripts/garbage.txt"),
        "{out:#?}"
    );
    out.assert_stderr_contains("line 3")
        .assert_stderr_contains("scripts/garbage.txt");
    assert_eq!(out.stdout, "", "nothing runs when the script is refused");
}

#[test]
fn script_bad_time_is_refused_naming_the_line() {
    podplay(&[
        "run",
        "--script",
        "scripts/bad-time.txt",
        "--until",
        "3s",
        "pod-web.yaml",
    ])
    .assert_code(2)
    .assert_stderr_contains("line 2");
}

#[test]
fn missing_script_file_is_refused_naming_it() {
    let out = podplay(&["run", "--script", "scripts/no-such.txt", "pod-web.yaml"]);
    out.assert_no_panic();
    assert!(matches!(out.code, Some(1) | Some(2)), "{out:#?}");
    out.assert_stderr_contains("scripts/no-such.txt");
}

#[test]
fn failing_script_commands_are_recorded_and_the_run_completes() {
    let out = podplay(&[
        "run",
        "--script",
        "scripts/missing-things.txt",
        "--until",
        "20s",
        "--output",
        "json",
        "pod-web.yaml",
    ]);
    out.assert_ok();
    let records = out.records();
    let outputs = of_kind(&records, "output");
    let by_command = |c: &str| {
        outputs
            .iter()
            .find(|r| s(r, "command") == c)
            .copied()
            .cloned()
            .unwrap_or_else(|| panic!("no output record for {c:?}: {outputs:#?}"))
    };
    let delete = by_command("kubectl delete pod ghost");
    assert_eq!(delete["exit"], 1);
    assert_eq!(
        s(&delete, "stderr"),
        "Error from server (NotFound): pods \"ghost\" not found\n"
    );
    let exec_pod = by_command("kubectl exec ghost -- ls /");
    assert_eq!(exec_pod["exit"], 1);
    assert_eq!(
        s(&exec_pod, "stderr"),
        "Error from server (NotFound): pods \"ghost\" not found\n"
    );
    let exec_container = by_command("kubectl exec web -c ghost -- ls /");
    assert_eq!(exec_container["exit"], 1);
    assert!(
        s(&exec_container, "stderr").contains("container ghost is not valid for pod web"),
        "{exec_container}"
    );
    let crash = by_command("sim crash ghost");
    assert_eq!(crash["exit"], 1);
    assert!(s(&crash, "stderr").contains("ghost"), "{crash}");
    let flag = by_command("kubectl get pods --no-such-flag");
    assert_eq!(flag["exit"], 1);
    assert!(
        s(&flag, "stderr").contains("unknown flag: --no-such-flag"),
        "{flag}"
    );
    // The real pod is untouched by all of this.
    let web_last = of_kind(&records, "object")
        .into_iter()
        .rfind(|r| s(r, "objectKind") == "Pod" && s(r, "name") == "web")
        .cloned()
        .unwrap_or_default();
    assert_eq!(web_last["columns"]["STATUS"], "Running", "{web_last}");
}

#[test]
fn kubectl_exec_into_a_missing_container_says_what_kubectl_says() {
    let out = podplay(&[
        "run",
        "--script",
        "scripts/missing-things.txt",
        "--until",
        "20s",
        "--output",
        "json",
        "pod-web.yaml",
    ]);
    out.assert_ok();
    let records = out.records();
    let exec = of_kind(&records, "output")
        .into_iter()
        .find(|r| s(r, "command") == "kubectl exec web -c ghost -- ls /")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        s(&exec, "stderr"),
        "Error from server (BadRequest): container ghost is not valid for pod web\n"
    );
}

#[test]
// kubectl 1.32 on this machine prints `Error: unknown flag: --bogus` / `Error: unknown command ...`
// (cobra's capitalised form) with exit 1; checked with the real binary.
fn kubectl_usage_errors_say_what_kubectl_says() {
    let dir = scratch("kubectl-usage-errors");
    std::fs::copy(fixtures().join("pod-web.yaml"), dir.join("pod.yaml")).expect("copy");
    std::fs::write(
        dir.join("s.txt"),
        "@1s kubectl get pods --no-such-flag\n@2s kubectl frobnicate\n",
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
    assert_eq!(
        s(outputs[0], "stderr"),
        "Error: unknown flag: --no-such-flag\nSee 'kubectl get --help' for usage.\n"
    );
    assert_eq!(
        s(outputs[1], "stderr"),
        "Error: unknown command \"frobnicate\" for \"kubectl\"\n"
    );
}

#[test]
fn sim_crash_refuses_an_exit_code_that_is_not_a_number() {
    let dir = scratch("sim-crash-bad-exit-code");
    std::fs::copy(fixtures().join("pod-web.yaml"), dir.join("pod.yaml")).expect("copy");
    std::fs::write(dir.join("s.txt"), "@15s sim crash web --exit-code abc\n").expect("script");
    let out = podplay_in(
        &dir,
        &[
            "run", "--script", "s.txt", "--until", "20s", "--output", "json", "pod.yaml",
        ],
    );
    out.assert_no_panic();
    let records = out.records();
    let crash = of_kind(&records, "output");
    assert_eq!(crash.len(), 1);
    assert_ne!(crash[0]["exit"], 0, "{}", crash[0]);
    assert!(s(crash[0], "stderr").contains("abc"), "{}", crash[0]);
}
