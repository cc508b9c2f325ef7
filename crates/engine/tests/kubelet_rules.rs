//! One focused test per kubelet rule of `shared/reference/kubelet-semantics.md` (§1–§8) and the
//! cross-scenario invariants 1–7 of `golden-pod-scenarios.md`. Each test quotes the rule it checks
//! and asserts exact strings, and timings within the ranges the reference allows ([exact] exactly,
//! [jitter] within its range, [env] only loosely).

mod common;

use common::*;

const BUSYBOX: &str = "busybox:1.36";

/// A busybox pod with one container running `script` under `sh -c`, plus extra container fields
/// (already indented for the container map) and extra pod spec fields.
fn busybox_pod(name: &str, script: &str, container_extra: &str, spec_extra: &str) -> String {
    format!(
        "apiVersion: v1
kind: Pod
metadata:
  name: {name}
  labels:
    app: {name}
spec:
{spec_extra}  containers:
  - name: app
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"{script}\"]
{container_extra}"
    )
}

// =====================================================================================
// §1 Probes
// =====================================================================================

// §1.1 "Zero values are replaced at admission (defaulting) … timeoutSeconds 1, periodSeconds 10,
// successThreshold 1, failureThreshold 3"; describe prints
// "exec [cat /tmp/healthy] delay=5s timeout=1s period=5s #success=1 #failure=3".
#[test]
fn probe_defaults_are_timeout_1_period_10_success_1_failure_3() {
    let yaml = busybox_pod(
        "defaults",
        "sleep 3600",
        "    livenessProbe:\n      exec:\n        command: [\"true\"]\n",
        "",
    );
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(5 * S);
    let out = kubectl(&mut sim, "kubectl describe pod defaults");
    assert!(
        out.contains(
            "Liveness:       exec [true] delay=0s timeout=1s period=10s #success=1 #failure=3"
        ),
        "{out}"
    );
}

// §1.1 "SetDefaults_PodSpec: restartPolicy → Always, terminationGracePeriodSeconds → 30,
// dnsPolicy → ClusterFirst, schedulerName → default-scheduler. SetDefaults_Container: …
// terminationMessagePath /dev/termination-log, terminationMessagePolicy File."
#[test]
fn pod_spec_defaults_restart_always_grace_30_cluster_first() {
    let yaml = busybox_pod("specdefaults", "sleep 3600", "", "");
    let sim = start_with(&yaml, "", &[BUSYBOX]);
    let p = pod(&sim, "specdefaults");
    let spec = serde_json::to_value(&p.spec).unwrap_or_default();
    assert_eq!(spec["restartPolicy"], "Always");
    assert_eq!(spec["terminationGracePeriodSeconds"], 30);
    assert_eq!(spec["dnsPolicy"], "ClusterFirst");
    assert_eq!(spec["schedulerName"], "default-scheduler");
    assert_eq!(
        spec["containers"][0]["terminationMessagePath"],
        "/dev/termination-log"
    );
    assert_eq!(spec["containers"][0]["terminationMessagePolicy"], "File");
}

// §1.2 "The first real probe happens at the first tick t with
// int32(seconds(t − StartedAt)) >= initialDelaySeconds (note the truncation to whole seconds). So
// the first probe lands in [StartedAt + initialDelay, StartedAt + initialDelay + period)."
#[test]
fn probe_first_run_waits_for_initial_delay_truncated_to_seconds() {
    let yaml = busybox_pod(
        "delay",
        "sleep 3600",
        "    livenessProbe:\n      exec:\n        command: [\"cat\", \"/nonexistent\"]\n      initialDelaySeconds: 7\n      periodSeconds: 5\n      failureThreshold: 100\n",
        "",
    );
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(40 * S);
    let st = started(&sim, "delay", "app")[0];
    let first = reason(&sim, "delay", "Unhealthy")[0].t;
    assert_within("first probe", first, st + 7 * S, st + 12 * S - 1);
    assert!(
        (first - st) / S >= 7,
        "truncated seconds since start < delay"
    );
    // The tick before it was skipped because its truncated age was below the delay.
    assert!((first - 5 * S - st) / S < 7);
}

// §1.2 "Then a time.NewTicker(period) is created and doProbe is called immediately, then once per
// tick" — §10 "probe cadence: every periodSeconds [exact] (ticker)".
#[test]
fn probe_cadence_is_exactly_period_seconds() {
    let yaml = busybox_pod(
        "cadence",
        "sleep 3600",
        "    livenessProbe:\n      exec:\n        command: [\"cat\", \"/nonexistent\"]\n      periodSeconds: 3\n      failureThreshold: 1000\n",
        "",
    );
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(60 * S);
    let ts: Vec<_> = reason(&sim, "cadence", "Unhealthy")
        .iter()
        .map(|e| e.t)
        .collect();
    assert!(ts.len() >= 15, "{ts:?}");
    for w in ts.windows(2) {
        assert_eq!(w[1] - w[0], 3 * S, "probes are period apart: {ts:?}");
    }
}

// §1.3 "before the first readiness probe the container is NotReady (initial value Failure)";
// invariant 1 "with a readiness probe it is NotReady until the first successful probe."
#[test]
fn readiness_is_false_before_the_first_probe() {
    let yaml = busybox_pod(
        "notyet",
        "sleep 3600",
        "    readinessProbe:\n      exec:\n        command: [\"true\"]\n      initialDelaySeconds: 20\n      periodSeconds: 5\n",
        "",
    );
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(60 * S);
    let st = started(&sim, "notyet", "app")[0];
    let running = first_row(&sim, "notyet", 0, |r| r.status == "Running").expect("Running row");
    assert_eq!(
        running.ready, "0/1",
        "Running but not ready before any probe"
    );
    let ready = first_row(&sim, "notyet", 0, |r| r.ready == "1/1").expect("becomes ready");
    // First probe ∈ [StartedAt+20, StartedAt+25), status ≤1 s later.
    assert_within("ready", ready.t, st + 20 * S, st + 26 * S);
}

// §1.3 "a container without a readiness probe is Ready as soon as it is running (and started)";
// invariant 1 "A running container with no readiness probe is Ready in the first status after it
// starts".
#[test]
fn container_without_readiness_probe_is_ready_once_running() {
    let yaml = busybox_pod("noprobe", "sleep 3600", "", "");
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(10 * S);
    let st = started(&sim, "noprobe", "app")[0];
    let running = first_row(&sim, "noprobe", 0, |r| r.status == "Running").expect("Running");
    assert_eq!(running.ready, "1/1");
    assert_within("Running row", running.t, st, st + S);
}

// §1.2 manual triggers: "UpdatePodStatus … sends to the readiness worker's manualTriggerCh whenever
// the container is started but its readiness result is not Success … Model the first readiness
// probe after a start … as 'immediately or one period later'." S5: "first probe ∈ [1,7]".
#[test]
fn readiness_is_probed_at_start_by_the_manual_trigger_or_one_period_later() {
    let yaml = busybox_pod(
        "trigger",
        "sleep 3600",
        "    readinessProbe:\n      exec:\n        command: [\"cat\", \"/nonexistent\"]\n      periodSeconds: 5\n",
        "",
    );
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(30 * S);
    let st = started(&sim, "trigger", "app")[0];
    let first = reason(&sim, "trigger", "Unhealthy")[0].t;
    assert_within("first readiness probe", first, st, st + 6 * S);
}

// §1.3 step 8 "if not started, liveness and readiness skip"; S6 "liveness and readiness are gated
// (not run)", "Started: false in container status".
#[test]
fn startup_probe_gates_liveness_and_readiness() {
    let yaml = busybox_pod(
        "slowstart",
        "sleep 25; touch /tmp/started; sleep 3600",
        "    startupProbe:\n      exec:\n        command: [\"test\", \"-f\", \"/tmp/started\"]\n      periodSeconds: 5\n      failureThreshold: 12\n    readinessProbe:\n      exec:\n        command: [\"test\", \"-f\", \"/tmp/started\"]\n      periodSeconds: 10\n    livenessProbe:\n      exec:\n        command: [\"test\", \"-f\", \"/tmp/started\"]\n      periodSeconds: 10\n",
        "",
    );
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(20 * S);
    let cs = container(&sim, "slowstart", "app");
    assert!(cs.state.running.is_some());
    assert_eq!(cs.started, Some(false), "not started while startup fails");
    assert!(!cs.ready);
    sim.run_until(90 * S);
    let st = started(&sim, "slowstart", "app")[0];
    let unhealthy = reason(&sim, "slowstart", "Unhealthy");
    assert!(
        unhealthy
            .iter()
            .all(|e| e.message == "Startup probe failed: "),
        "only startup probes run before the startup probe succeeds: {unhealthy:?}"
    );
    // Startup ticks every 5 s fail until /tmp/started exists at StartedAt+25.
    assert!((4..=6).contains(&unhealthy.len()), "{unhealthy:?}");
    for w in unhealthy.windows(2) {
        assert_eq!(w[1].t - w[0].t, 5 * S);
    }
    let ready = first_row(&sim, "slowstart", 0, |r| r.ready == "1/1").expect("ready");
    // S6: startup success ∈ [26,31) (StartedAt+25 … +30); Ready ≤1 s later, or one readiness
    // period later if the triggered run still saw Started=false.
    assert_within("ready", ready.t, st + 25 * S, st + 41 * S);
    let cs = container(&sim, "slowstart", "app");
    assert_eq!(cs.started, Some(true));
    assert_eq!(cs.restart_count, 0);
}

// §1.6 "if startup result is Failure → 'Container <name> failed startup probe' … ', will be
// restarted' appended"; S6 "If the app took > 60 s, the 12th failure would kill it".
#[test]
fn startup_failure_kills_at_threshold_with_startup_message() {
    let yaml = busybox_pod(
        "neverstarts",
        "sleep 3600",
        "    startupProbe:\n      exec:\n        command: [\"test\", \"-f\", \"/tmp/started\"]\n      periodSeconds: 2\n      failureThreshold: 3\n",
        "  terminationGracePeriodSeconds: 1\n",
    );
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(20 * S);
    let killing = reason(&sim, "neverstarts", "Killing");
    assert!(!killing.is_empty());
    assert_eq!(
        killing[0].message,
        "Container app failed startup probe, will be restarted"
    );
    let fails: Vec<_> = reason(&sim, "neverstarts", "Unhealthy")
        .into_iter()
        .filter(|e| e.t <= killing[0].t)
        .collect();
    assert_eq!(fails.len(), 3, "killed at the 3rd failure: {fails:?}");
    assert_eq!(
        fails[2].t, killing[0].t,
        "Killing in the same second as the 3rd failure"
    );
}

// §1.3 rule 10 "Threshold counting: resultRun counts consecutive identical results; the shared
// result is only changed when Failure run ≥ failureThreshold"; invariant 3 "kill happens at exactly
// the failureThreshold-th consecutive failure".
#[test]
fn failure_threshold_counts_only_consecutive_failures() {
    // The file is absent 3 s out of every 12 s: a 5 s ticker can see at most one failure in a row.
    let yaml = busybox_pod(
        "flaky",
        "while true; do touch /tmp/ok; sleep 9; rm /tmp/ok; sleep 3; done",
        "    livenessProbe:\n      exec:\n        command: [\"cat\", \"/tmp/ok\"]\n      periodSeconds: 5\n      failureThreshold: 2\n",
        "",
    );
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(180 * S);
    assert!(
        !reason(&sim, "flaky", "Unhealthy").is_empty(),
        "some single failures happen"
    );
    assert!(reason(&sim, "flaky", "Killing").is_empty(), "never killed");
    assert_eq!(container(&sim, "flaky", "app").restart_count, 0);
}

// §1.3 rules 4 and 11 "After setting a liveness Failure … onHold = true" — "onHold → skip … cleared
// only when a new container ID appears": no liveness probes while the killed container stops.
#[test]
fn liveness_worker_is_on_hold_until_the_new_container() {
    let yaml = busybox_pod(
        "onhold",
        "sleep 3600",
        "    livenessProbe:\n      exec:\n        command: [\"cat\", \"/nonexistent\"]\n      periodSeconds: 2\n      failureThreshold: 2\n",
        "  terminationGracePeriodSeconds: 20\n",
    );
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(60 * S);
    let kill = reason(&sim, "onhold", "Killing")[0].t;
    let restart = started(&sim, "onhold", "app")[1];
    // busybox sh as PID 1 ignores SIGTERM: the old container lives the full 20 s grace.
    assert_within("restart", restart, kill + 20 * S, kill + 21 * S);
    let during: Vec<_> = reason(&sim, "onhold", "Unhealthy")
        .into_iter()
        .filter(|e| e.t > kill && e.t < restart)
        .collect();
    assert!(during.is_empty(), "probed while on hold: {during:?}");
}

// §1.4 "every failed probe emits an Unhealthy event (not only the threshold-crossing one)";
// invariant 2 "each failed probe emits one Unhealthy event"; S2 "probe fails ×3; each emits
// Warning Unhealthy … threshold reached ⇒ Normal Killing … [exact: same second as 3rd failure]".
#[test]
fn every_failed_probe_emits_unhealthy() {
    let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: liveness-exec
spec:
  containers:
  - name: liveness
    image: registry.k8s.io/busybox:1.27.2
    args: [/bin/sh, -c, \"touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600\"]
    livenessProbe:
      exec:
        command: [cat, /tmp/healthy]
      initialDelaySeconds: 5
      periodSeconds: 5
";
    let mut sim = start_with(yaml, "", &["registry.k8s.io/busybox:1.27.2"]);
    sim.run_until(70 * S);
    let st = started(&sim, "liveness-exec", "liveness")[0];
    let unhealthy = reason(&sim, "liveness-exec", "Unhealthy");
    let killing = reason(&sim, "liveness-exec", "Killing");
    assert_eq!(unhealthy.len(), 3, "{unhealthy:?}");
    for e in &unhealthy {
        assert_eq!(e.type_, "Warning");
        assert_eq!(
            e.message,
            "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory"
        );
        assert_eq!(e.field_path.as_deref(), Some("spec.containers{liveness}"));
        assert_eq!(e.source, "kubelet");
    }
    // The file goes at StartedAt+30; the first failing tick is within one period after.
    assert_within("first failure", unhealthy[0].t, st + 30 * S, st + 35 * S);
    assert_eq!(unhealthy[1].t - unhealthy[0].t, 5 * S);
    assert_eq!(unhealthy[2].t - unhealthy[1].t, 5 * S);
    assert_eq!(killing.len(), 1);
    assert_eq!(killing[0].type_, "Normal");
    assert_eq!(
        killing[0].message,
        "Container liveness failed liveness probe, will be restarted"
    );
    assert_eq!(killing[0].t, unhealthy[2].t);
}

// §1.4 "Success → Success, event: none"; invariant 2 "Successful probes emit no events"; S4 "No
// events beyond Scheduled/Pulled/Created/Started while healthy".
#[test]
fn successful_probes_emit_no_events() {
    let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: healthy
spec:
  containers:
  - name: web
    image: nginx:1.27
    ports:
    - containerPort: 80
    readinessProbe:
      httpGet:
        path: /
        port: 80
      periodSeconds: 2
    livenessProbe:
      tcpSocket:
        port: 80
      periodSeconds: 2
    startupProbe:
      exec:
        command: [\"true\"]
      periodSeconds: 2
";
    let mut sim = start_with(yaml, "", &["nginx:1.27"]);
    sim.run_until(120 * S);
    let reasons: Vec<_> = events(&sim, "healthy")
        .into_iter()
        .map(|e| e.reason)
        .collect();
    assert_eq!(reasons, ["Scheduled", "Pulled", "Created", "Started"]);
    assert_eq!(
        row_at(&sim, "healthy", 120 * S).map(|r| r.ready),
        Some("1/1".into())
    );
}

// §1.4 "error after 3 tries → Failure, but worker.doProbe discards it (does not count towards
// thresholds) → Warning Unhealthy '%s probe errored and resulted in %s state: %s'"; §9 "A named
// probe port that is not declared in ports passes validation but fails at probe time".
#[test]
fn named_probe_port_that_does_not_exist_errors_and_is_not_counted() {
    let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: namedport
spec:
  containers:
  - name: web
    image: nginx:1.27
    livenessProbe:
      httpGet:
        path: /
        port: http
      periodSeconds: 3
      failureThreshold: 1
";
    let mut sim = start_with(yaml, "", &["nginx:1.27"]);
    sim.run_until(60 * S);
    let unhealthy = reason(&sim, "namedport", "Unhealthy");
    assert!(unhealthy.len() >= 15, "{unhealthy:?}");
    assert_eq!(
        unhealthy[0].message,
        "Liveness probe errored and resulted in unknown state: strconv.Atoi: parsing \"http\": invalid syntax"
    );
    assert!(reason(&sim, "namedport", "Killing").is_empty());
    assert_eq!(container(&sim, "namedport", "web").restart_count, 0);
}

// §1.5 exec "Timeout (ExecProbeTimeout on by default) → Failure with output
// `command \"cat /tmp/healthy\" timed out`".
#[test]
fn exec_probe_timeout_message() {
    let yaml = busybox_pod(
        "slowprobe",
        "sleep 3600",
        "    livenessProbe:\n      exec:\n        command: [\"sleep\", \"5\"]\n      timeoutSeconds: 1\n      periodSeconds: 10\n      failureThreshold: 100\n",
        "",
    );
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(40 * S);
    let unhealthy = reason(&sim, "slowprobe", "Unhealthy");
    assert!(!unhealthy.is_empty());
    assert_eq!(
        unhealthy[0].message,
        "Liveness probe failed: command \"sleep 5\" timed out"
    );
}

// §1.5 HTTP "Success iff 200 <= code < 400 … Failure output: `HTTP probe failed with statuscode:
// 503`"; S5 "Readiness probe failed: HTTP probe failed with statuscode: 404".
#[test]
fn http_probe_failure_reports_the_status_code() {
    let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: notready
spec:
  containers:
  - name: web
    image: nginx:1.27
    readinessProbe:
      httpGet:
        path: /notfound
        port: 80
      periodSeconds: 5
";
    let mut sim = start_with(yaml, "", &["nginx:1.27"]);
    sim.run_until(30 * S);
    let unhealthy = reason(&sim, "notready", "Unhealthy");
    assert!(unhealthy.len() >= 4);
    assert!(unhealthy
        .iter()
        .all(|e| e.message == "Readiness probe failed: HTTP probe failed with statuscode: 404"));
}

// §1.5 HTTP "Success iff 200 <= code < 400" — the docs' liveness server answers 200 for 10 s,
// then 500.
#[test]
fn probe_http_success_is_200_to_399() {
    let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: liveness-http
spec:
  containers:
  - name: liveness
    image: registry.k8s.io/liveness
    args: [/server]
    livenessProbe:
      httpGet:
        path: /healthz
        port: 8080
      initialDelaySeconds: 3
      periodSeconds: 3
";
    let mut sim = start_with(yaml, "", &[]);
    sim.run_until(60 * S);
    let st = started(&sim, "liveness-http", "liveness")[0];
    let unhealthy = reason(&sim, "liveness-http", "Unhealthy");
    assert!(!unhealthy.is_empty());
    assert_eq!(
        unhealthy[0].message,
        "Liveness probe failed: HTTP probe failed with statuscode: 500"
    );
    // 200 answers during the first 10 s are successes: no event before then.
    assert!(
        unhealthy[0].t >= st + 10 * S,
        "{} vs {}",
        unhealthy[0].t,
        st
    );
}

// §1.5 TCP "Failure output = dial error, e.g. `dial tcp 10.244.0.11:8080: connect: connection
// refused`".
#[test]
fn tcp_probe_failure_is_the_dial_error() {
    let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: wrongport
spec:
  containers:
  - name: web
    image: nginx:1.27
    readinessProbe:
      tcpSocket:
        port: 8080
      periodSeconds: 5
";
    let mut sim = start_with(yaml, "", &["nginx:1.27"]);
    sim.run_until(20 * S);
    let ip = pod_ip(&sim, "wrongport");
    let unhealthy = reason(&sim, "wrongport", "Unhealthy");
    assert!(!unhealthy.is_empty());
    assert_eq!(
        unhealthy[0].message,
        format!("Readiness probe failed: dial tcp {ip}:8080: connect: connection refused")
    );
}

// §1.5 HTTP "Transport errors become Failure with the Go error text, e.g.
// `Get \"http://10.244.1.7:8080/healthz\": dial tcp 10.244.1.7:8080: connect: connection refused`".
#[test]
fn http_probe_connection_refused_is_the_go_error() {
    let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: refused
spec:
  containers:
  - name: web
    image: nginx:1.27
    readinessProbe:
      httpGet:
        path: /healthz
        port: 8080
      periodSeconds: 5
";
    let mut sim = start_with(yaml, "", &["nginx:1.27"]);
    sim.run_until(20 * S);
    let ip = pod_ip(&sim, "refused");
    let unhealthy = reason(&sim, "refused", "Unhealthy");
    assert!(!unhealthy.is_empty());
    assert_eq!(
        unhealthy[0].message,
        format!("Readiness probe failed: Get \"http://{ip}:8080/healthz\": dial tcp {ip}:8080: connect: connection refused")
    );
}

// §1.6 "Grace period for a probe-triggered kill: … probe-level terminationGracePeriodSeconds if set
// (liveness/startup only); else pod terminationGracePeriodSeconds".
#[test]
fn liveness_kill_uses_probe_termination_grace_period() {
    let yaml = busybox_pod(
        "probegrace",
        "sleep 3600",
        "    livenessProbe:\n      exec:\n        command: [\"cat\", \"/nonexistent\"]\n      periodSeconds: 3\n      failureThreshold: 1\n      terminationGracePeriodSeconds: 5\n",
        "  terminationGracePeriodSeconds: 60\n",
    );
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(40 * S);
    let kill = reason(&sim, "probegrace", "Killing")[0].t;
    let restart = started(&sim, "probegrace", "app")[1];
    // sh ignores SIGTERM: SIGKILL at the end of the probe's 5 s, then restarted in the same sync.
    assert_within(
        "restart after probe grace",
        restart,
        kill + 5 * S,
        kill + 6 * S,
    );
}

// §1.6 "Restart after a liveness kill happens in the same sync right after the container has
// stopped"; invariant 3 "the restart of a liveness-killed container happens right after it stops
// (no wait)"; §4.2 "busybox sh ignores SIGTERM and is SIGKILLed at the end of the full grace
// period (137)".
#[test]
fn sigterm_ignoring_pid1_is_killed_at_grace_end_with_137() {
    let yaml = busybox_pod(
        "ignoreterm",
        "sleep 3600",
        "    livenessProbe:\n      exec:\n        command: [\"cat\", \"/nonexistent\"]\n      periodSeconds: 5\n      failureThreshold: 1\n",
        "  terminationGracePeriodSeconds: 8\n",
    );
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(30 * S);
    let kill = reason(&sim, "ignoreterm", "Killing")[0].t;
    let restart = started(&sim, "ignoreterm", "app")[1];
    assert_within("restart", restart, kill + 8 * S, kill + 9 * S);
    let cs = container(&sim, "ignoreterm", "app");
    let last = cs.last_state.terminated.expect("last state terminated");
    assert_eq!(last.exit_code, 137);
    assert_eq!(last.reason.as_deref(), Some("Error"));
    let finished = last.finished_at.map(|t| t.0).unwrap_or_default();
    assert_within("finishedAt", finished, kill + 8 * S, kill + 9 * S);
}

// §4.2 "CRI StopContainer: runtime sends the image's STOPSIGNAL (… nginx image uses SIGQUIT) …
// processes that exit cleanly on the signal → 0 (Completed, e.g. nginx)".
#[test]
fn nginx_exits_0_on_its_stop_signal() {
    let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: nginxkill
spec:
  containers:
  - name: web
    image: nginx:1.27
    livenessProbe:
      tcpSocket:
        port: 8080
      periodSeconds: 5
      failureThreshold: 1
";
    let mut sim = start_with(yaml, "", &["nginx:1.27"]);
    sim.run_until(30 * S);
    let kill = reason(&sim, "nginxkill", "Killing")[0].t;
    let restart = started(&sim, "nginxkill", "web")[1];
    assert_within("restart right after nginx quits", restart, kill, kill + S);
    let last = container(&sim, "nginxkill", "web")
        .last_state
        .terminated
        .expect("terminated");
    assert_eq!(last.exit_code, 0);
    assert_eq!(last.reason.as_deref(), Some("Completed"));
}

// §1.6 "With restartPolicy: Never the container is killed without restart (message without the
// suffix) and the pod goes terminal."
#[test]
fn liveness_kill_with_restart_never_has_no_suffix_and_pod_fails() {
    let yaml = busybox_pod(
        "killnever",
        "sleep 3600",
        "    livenessProbe:\n      exec:\n        command: [\"cat\", \"/nonexistent\"]\n      periodSeconds: 5\n      failureThreshold: 1\n",
        "  restartPolicy: Never\n  terminationGracePeriodSeconds: 3\n",
    );
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(40 * S);
    let killing = reason(&sim, "killnever", "Killing");
    assert_eq!(killing.len(), 1);
    assert_eq!(killing[0].message, "Container app failed liveness probe");
    assert_eq!(started(&sim, "killnever", "app").len(), 1);
    assert_eq!(phase(&sim, "killnever"), "Failed");
    let r = row_at(&sim, "killnever", 40 * S).expect("row");
    assert_eq!((r.status.as_str(), r.ready.as_str()), ("Error", "0/1"));
}

// §1.7 "A failing readiness probe never restarts a container"; S5 "forever: Phase Running, STATUS
// Running, READY 0/1, RESTARTS 0; condition Ready False ContainersNotReady / containers with
// unready status: [web]".
#[test]
fn failing_readiness_never_restarts_and_leaves_status_running() {
    let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: notready
spec:
  containers:
  - name: web
    image: nginx:1.27
    readinessProbe:
      httpGet:
        path: /notfound
        port: 80
      periodSeconds: 5
";
    let mut sim = start_with(yaml, "", &["nginx:1.27"]);
    sim.run_until(150 * S);
    let r = row_at(&sim, "notready", 150 * S).expect("row");
    assert_eq!(
        (r.status.as_str(), r.ready.as_str(), r.restarts.as_str()),
        ("Running", "0/1", "0")
    );
    assert!(reason(&sim, "notready", "Killing").is_empty());
    assert_eq!(phase(&sim, "notready"), "Running");
    for t in ["Ready", "ContainersReady"] {
        let c = condition(&sim, "notready", t);
        assert_eq!(c.status, "False");
        assert_eq!(c.reason.as_deref(), Some("ContainersNotReady"));
        assert_eq!(
            c.message.as_deref(),
            Some("containers with unready status: [web]")
        );
    }
}

// §1.7 "EndpointSlice controller removes a not-ready pod's address from Service endpoints".
#[test]
fn not_ready_pod_is_listed_as_not_ready_in_endpoints() {
    let yaml = "apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
---
apiVersion: v1
kind: Pod
metadata:
  name: notready
  labels:
    app: web
spec:
  containers:
  - name: web
    image: nginx:1.27
    readinessProbe:
      httpGet:
        path: /notfound
        port: 80
      periodSeconds: 5
";
    let mut sim = start_with(yaml, "", &["nginx:1.27"]);
    sim.run_until(30 * S);
    let ip = pod_ip(&sim, "notready");
    let ep = sim
        .cl
        .store
        .endpoints
        .get(&("default".to_string(), "web".to_string()))
        .expect("endpoints");
    let v = serde_json::to_value(ep).unwrap_or_default();
    assert_eq!(v["subsets"][0]["notReadyAddresses"][0]["ip"], ip.as_str());
    assert!(v["subsets"][0]["addresses"].is_null());
}

// §1.3 rule 6 "Pod has deletionTimestamp and probe is liveness or startup → set result Success and
// stop … Readiness keeps running during termination."
#[test]
fn deletion_stops_liveness_but_readiness_keeps_probing() {
    let yaml = busybox_pod(
        "quiet",
        "sleep 3600",
        "    livenessProbe:\n      exec:\n        command: [\"cat\", \"/nonexistent\"]\n      periodSeconds: 2\n      failureThreshold: 1000\n    readinessProbe:\n      exec:\n        command: [\"cat\", \"/nonexistent\"]\n      periodSeconds: 2\n",
        "",
    );
    let mut sim = start_with(
        &yaml,
        "@20s kubectl delete pod quiet --wait=false\n",
        &[BUSYBOX],
    );
    sim.run_until(45 * S);
    let after: Vec<_> = reason(&sim, "quiet", "Unhealthy")
        .into_iter()
        .filter(|e| e.t > 20 * S)
        .collect();
    assert!(
        after.iter().all(|e| e.message.starts_with("Readiness")),
        "liveness probed after deletion: {after:?}"
    );
    assert!(
        after.iter().any(|e| e.message.starts_with("Readiness")),
        "readiness stopped at deletion"
    );
}

// §1.3 rule 5 "the worker exits if the container is terminated and restartPolicy == Never ⇒ a
// readiness probe stops once its container has terminated for good".
#[test]
fn readiness_probe_stops_once_the_container_terminated_for_good() {
    let yaml = busybox_pod(
        "done",
        "sleep 10; exit 0",
        "    readinessProbe:\n      exec:\n        command: [\"cat\", \"/nonexistent\"]\n      periodSeconds: 2\n",
        "  restartPolicy: Never\n",
    );
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(60 * S);
    let st = started(&sim, "done", "app")[0];
    let late: Vec<_> = reason(&sim, "done", "Unhealthy")
        .into_iter()
        .filter(|e| e.t > st + 10 * S)
        .collect();
    assert!(late.is_empty(), "probed a terminated container: {late:?}");
    assert_eq!(phase(&sim, "done"), "Succeeded");
}

// §1.3 rule 10 for readiness: the result becomes Success only after successThreshold consecutive
// successes.
#[test]
fn readiness_success_threshold_needs_consecutive_successes() {
    let yaml = busybox_pod(
        "threeok",
        "sleep 3600",
        "    readinessProbe:\n      exec:\n        command: [\"true\"]\n      periodSeconds: 5\n      successThreshold: 3\n",
        "",
    );
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(40 * S);
    let st = started(&sim, "threeok", "app")[0];
    let ready = first_row(&sim, "threeok", 0, |r| r.ready == "1/1").expect("ready");
    // Three probes 5 s apart; the first at start or one period later; status ≤1 s after.
    assert_within("ready after 3 successes", ready.t, st + 10 * S, st + 16 * S);
}
