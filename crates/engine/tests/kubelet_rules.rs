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
    sim.run_until(15 * S);
    let kill = reason(&sim, "ignoreterm", "Killing")[0].t;
    // Look right after the restart, before the next kill replaces the last state.
    sim.run_until(kill + 9 * S);
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
// successes. §1.2 manual triggers: every pod sync probes a started, not-yet-Success readiness at
// once, and the initial Failure the worker sets for a new container is itself a result change
// (results manager `Set` publishes when the cached value is absent) that causes one more sync at the
// next relist; so two quick probes can come before the ticker's — but the third success still needs
// a tick, one period after the last manual run.
#[test]
fn readiness_success_threshold_needs_consecutive_successes() {
    let ready_at = |threshold: i32| {
        let yaml = busybox_pod(
            "threeok",
            "sleep 3600",
            &format!("    readinessProbe:\n      exec:\n        command: [\"true\"]\n      periodSeconds: 5\n      successThreshold: {threshold}\n"),
            "",
        );
        let mut sim = start_with(&yaml, "", &[BUSYBOX]);
        sim.run_until(40 * S);
        let st = started(&sim, "threeok", "app")[0];
        let ready = first_row(&sim, "threeok", 0, |r| r.ready == "1/1").expect("ready");
        (st, ready.t)
    };
    let (st, one) = ready_at(1);
    let (_, three) = ready_at(3);
    assert_within("ready after 1 success", one, st, st + 7 * S);
    assert!(
        three >= one + 5 * S,
        "3 successes need at least one more period: {one} vs {three}"
    );
    assert_within("ready after 3 successes", three, st + 5 * S, st + 17 * S);
}

// =====================================================================================
// §2 Restarts and back-off
// =====================================================================================

/// S8's crash loop: `echo boom; exit 1` under the given restart policy.
fn crash_pod(name: &str, script: &str, policy: &str) -> String {
    busybox_pod(name, script, "", &format!("  restartPolicy: {policy}\n"))
}

// §2.2 "Sequence of enforced delays between a crash (FinishedAt) and the next start: 0 (first
// restart is immediate), 10 s, 20 s, 40 s, 80 s, 160 s, 300 s, 300 s …"; §2.4 "≤ v1.33 … restart
// delay ≈ backoff rounded up to the next 10–15 s retry … v1.34+ … requeue at Jitter(min(expiry−now,
// 60s), 0.5)"; invariant 4.
#[test]
fn first_restart_is_immediate_then_backoff_doubles_to_300s() {
    let yaml = crash_pod("crash", "echo boom; exit 1", "Always");
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    // Started events stop after the pod's 25th kubelet event (spam filter, §8), so the instances
    // are read from the container statuses: (startedAt, finishedAt) of every terminated one.
    let mut runs: Vec<(i64, i64)> = vec![];
    watch(&mut sim, 1500 * S, |sim| {
        let cs = container(sim, "crash", "app");
        for t in [cs.state.terminated, cs.last_state.terminated]
            .into_iter()
            .flatten()
        {
            let run = (
                t.started_at.map(|x| x.0).unwrap_or_default(),
                t.finished_at.map(|x| x.0).unwrap_or_default(),
            );
            if !runs.contains(&run) {
                runs.push(run);
            }
        }
    });
    runs.sort();
    assert!(runs.len() >= 9, "{runs:?}");
    // Delay from one container's FinishedAt to the next one's start.
    let gaps: Vec<_> = runs.windows(2).map(|w| w[1].0 - w[0].1).collect();
    assert!(gaps[0] <= S, "first restart is immediate: {gaps:?}");
    let bases = [10, 20, 40, 80, 160, 300, 300];
    for (gap, base) in gaps[1..].iter().zip(bases) {
        let base = base * S;
        // Retry granularity: +15 s (≤1.33) or ×1.5 capped at 90 s re-checks (1.34+), plus ≤1 s PLEG.
        let slack = (base / 2).clamp(16 * S, 91 * S);
        assert_within(&format!("restart gap {gaps:?}"), *gap, base, base + slack);
    }
}

// §2.2 "backOff.Get(key) is printed with Go Duration.String(): 10s, 20s, 40s, 1m20s, 2m40s, 5m0s";
// §2.3 "waiting reason CrashLoopBackOff, message back-off 20s restarting failed container=<c>
// pod=<name>_<ns>(<uid>)".
#[test]
fn crash_loop_waiting_message_prints_backoff_as_go_duration() {
    let yaml = crash_pod("crash", "exit 1", "Always");
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    let mut seen: Vec<String> = vec![];
    watch(&mut sim, 700 * S, |sim| {
        let cs = container(sim, "crash", "app");
        if let Some(w) = cs.state.waiting {
            if w.reason.as_deref() == Some("CrashLoopBackOff") {
                let m = w.message.unwrap_or_default();
                if !seen.contains(&m) {
                    seen.push(m);
                }
            }
        }
    });
    let id = format!("pod=crash_default({})", uid(&sim, "crash"));
    let want: Vec<String> = ["10s", "20s", "40s", "1m20s", "2m40s", "5m0s"]
        .iter()
        .map(|d| format!("back-off {d} restarting failed container=app {id}"))
        .collect();
    assert_eq!(seen, want);
}

// §2.3 "event Warning BackOff 'Back-off restarting failed container <c> in pod
// <name>_<ns>(<uid>)' (format.Pod), emitted on every sync that hits the backoff".
#[test]
fn backoff_event_names_container_and_pod_with_uid() {
    let yaml = crash_pod("crash", "exit 1", "Always");
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(60 * S);
    let backoff = reason(&sim, "crash", "BackOff");
    assert!(backoff.len() >= 2, "{backoff:?}");
    let want = format!(
        "Back-off restarting failed container app in pod crash_default({})",
        uid(&sim, "crash")
    );
    assert!(backoff
        .iter()
        .all(|e| e.type_ == "Warning" && e.message == want));
}

// §2.5 "after a crash the first status shows the container Terminated (Error/Completed), and
// CrashLoopBackOff only appears at the next sync"; invariant 5.
#[test]
fn crash_status_shows_error_before_crashloopbackoff() {
    let yaml = crash_pod("crash", "exit 1", "Always");
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(300 * S);
    let st = statuses(&sim, "crash");
    let first_clbo = st
        .iter()
        .position(|s| s == "CrashLoopBackOff")
        .expect("CrashLoopBackOff shown");
    assert!(st[..first_clbo].contains(&"Error".to_string()), "{st:?}");
    // Every CrashLoopBackOff follows an Error (never directly after Running).
    for w in st.windows(2) {
        if w[1] == "CrashLoopBackOff" {
            assert_eq!(w[0], "Error", "{st:?}");
        }
    }
}

// §2.1 "backoff resets when a container ran more than 10 minutes since its last (re)start";
// invariant 4 "reset after 10 min of running".
#[test]
fn backoff_resets_after_ten_minutes_of_running() {
    let yaml = crash_pod("longrun", "sleep 605; exit 1", "Always");
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(1300 * S);
    let starts = started(&sim, "longrun", "app");
    assert!(starts.len() >= 3, "{starts:?}");
    // Both crashes come > 600 s after the last restart: neither restart is backed off.
    assert_within("1st restart", starts[1] - starts[0], 605 * S, 606 * S);
    assert_within("2nd restart", starts[2] - starts[1], 605 * S, 606 * S);
    assert!(reason(&sim, "longrun", "BackOff").is_empty());
}

// §2.6 "RESTARTS / restartCount: the new container gets previous.RestartCount + 1 when it is
// created"; §5.2 "RESTARTS … If non-zero and a last termination time exists: '%d (%s ago)'".
#[test]
fn restarts_column_counts_restarts_and_says_how_long_ago() {
    let yaml = crash_pod("again", "sleep 5; exit 1", "Always");
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(9 * S);
    assert_eq!(container(&sim, "again", "app").restart_count, 1);
    let out = kubectl(&mut sim, "kubectl get pods");
    let line = out.lines().nth(1).unwrap_or_default().to_string();
    let finished = container(&sim, "again", "app")
        .last_state
        .terminated
        .and_then(|t| t.finished_at)
        .map(|t| t.0)
        .unwrap_or_default();
    let ago = (9 * S - finished) / S;
    assert!(
        line.contains(&format!("1 ({ago}s ago)")),
        "RESTARTS column in {out:?}"
    );
}

// §2.6 "OnFailure: only after non-zero exit"; S9 "OnFailure / 0 → Completed, Succeeded".
#[test]
fn restart_policy_on_failure_does_not_restart_exit_0() {
    let yaml = crash_pod("job", "sleep 3; exit 0", "OnFailure");
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(60 * S);
    assert_eq!(started(&sim, "job", "app").len(), 1);
    assert_eq!(phase(&sim, "job"), "Succeeded");
    let r = row_at(&sim, "job", 60 * S).expect("row");
    assert_eq!(
        (r.status.as_str(), r.ready.as_str(), r.restarts.as_str()),
        ("Completed", "0/1", "0")
    );
    let ready = condition(&sim, "job", "Ready");
    assert_eq!(ready.reason.as_deref(), Some("PodCompleted"));
}

// §2.6 / S9 "OnFailure / 1 → Error ↔ CrashLoopBackOff, RESTARTS grows; phase Running".
#[test]
fn restart_policy_on_failure_restarts_non_zero_exit() {
    let yaml = crash_pod("job", "sleep 3; exit 1", "OnFailure");
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(60 * S);
    assert!(started(&sim, "job", "app").len() >= 3);
    assert_eq!(phase(&sim, "job"), "Running");
    assert!(statuses(&sim, "job").contains(&"CrashLoopBackOff".to_string()));
}

// §2.6 / S9 "Never / 1 → job 0/1 Error 0, Failed; Ready/ContainersReady False reason PodFailed";
// §3.4 rule 7 "Never → Failed".
#[test]
fn restart_policy_never_exit_1_fails_the_pod() {
    let yaml = crash_pod("job", "sleep 3; exit 1", "Never");
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(30 * S);
    assert_eq!(started(&sim, "job", "app").len(), 1);
    assert_eq!(phase(&sim, "job"), "Failed");
    let r = row_at(&sim, "job", 30 * S).expect("row");
    assert_eq!((r.status.as_str(), r.restarts.as_str()), ("Error", "0"));
    for t in ["Ready", "ContainersReady"] {
        let c = condition(&sim, "job", t);
        assert_eq!(c.status, "False");
        assert_eq!(c.reason.as_deref(), Some("PodFailed"));
    }
    let st = started(&sim, "job", "app")[0];
    let shown = first_row(&sim, "job", 0, |r| r.status == "Error").expect("Error row");
    // S9 "container exits at StartedAt+3 [exact]; status visible ≤1 s later".
    assert_within("Error shown", shown.t, st + 3 * S, st + 4 * S);
}

// §2.6 / S9 "Never / 0 → job 0/1 Completed 0, Succeeded; Ready False reason PodCompleted".
#[test]
fn restart_policy_never_exit_0_succeeds() {
    let yaml = crash_pod("job", "sleep 3; exit 0", "Never");
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(30 * S);
    assert_eq!(phase(&sim, "job"), "Succeeded");
    let r = row_at(&sim, "job", 30 * S).expect("row");
    assert_eq!((r.status.as_str(), r.ready.as_str()), ("Completed", "0/1"));
    assert_eq!(
        condition(&sim, "job", "ContainersReady").reason.as_deref(),
        Some("PodCompleted")
    );
}

// §2.6 "Always: restart after any exit"; S9 "Always / 0 → Completed ↔ CrashLoopBackOff, Running";
// §3.4 rule 7 "Always → Running ('in the process of restarting')".
#[test]
fn restart_policy_always_restarts_exit_0_with_backoff() {
    let yaml = crash_pod("job", "sleep 3; exit 0", "Always");
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(90 * S);
    assert!(started(&sim, "job", "app").len() >= 3);
    let st = statuses(&sim, "job");
    assert!(st.contains(&"Completed".to_string()), "{st:?}");
    assert!(st.contains(&"CrashLoopBackOff".to_string()), "{st:?}");
    assert_eq!(phase(&sim, "job"), "Running");
}

// §3.4 rule 7 with policy Always: all containers stopped, waiting in CrashLoopBackOff → phase stays
// Running; S8 "Phase stays Running".
#[test]
fn phase_stays_running_while_crash_looping() {
    let yaml = crash_pod("crash", "exit 1", "Always");
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    let mut phases = vec![];
    watch(&mut sim, 120 * S, |sim| {
        let p = phase(sim, "crash");
        if phases.last() != Some(&p) {
            phases.push(p);
        }
    });
    assert_eq!(phases, ["Pending", "Running"]);
}

// =====================================================================================
// §3 Init containers, sidecars, conditions, phase
// =====================================================================================

fn init_pod(name: &str, inits: &[(&str, &str)], app: &str, spec_extra: &str) -> String {
    let mut y = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n{spec_extra}  initContainers:\n"
    );
    for (n, script) in inits {
        y.push_str(&format!(
            "  - name: {n}\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", \"{script}\"]\n"
        ));
    }
    y.push_str(&format!(
        "  containers:\n  - name: app\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", \"{app}\"]\n"
    ));
    y
}

// §3.1 "Init containers run one at a time in spec order; the next one is started only after the
// previous exited 0 … Main containers start only after all init containers are done".
#[test]
fn init_containers_run_one_at_a_time_in_order() {
    let yaml = init_pod(
        "initorder",
        &[("first", "sleep 4"), ("second", "sleep 4")],
        "sleep 3600",
        "",
    );
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(30 * S);
    let a = started(&sim, "initorder", "first")[0];
    let b = started(&sim, "initorder", "second")[0];
    let c = started(&sim, "initorder", "app")[0];
    // Each exits 4 s after its start; the kubelet notices within the 1 s relist.
    assert_within("second init", b, a + 4 * S, a + 5 * S);
    assert_within("app", c, b + 4 * S, b + 5 * S);
}

// §5.1 "else: reason = 'Init:%d/%d' % (i, len(spec.initContainers))"; "Init:N/M shows N = index of
// the first unfinished init container"; S10 "myapp-pod 0/1 Init:0/2 0".
#[test]
fn init_status_counts_finished_init_containers() {
    let yaml = init_pod(
        "initcount",
        &[("first", "sleep 4"), ("second", "sleep 4")],
        "sleep 3600",
        "",
    );
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(30 * S);
    let st = statuses(&sim, "initcount");
    let want_order = ["Init:0/2", "Init:1/2", "Running"];
    let mut it = st.iter();
    for w in want_order {
        assert!(it.any(|s| s == w), "{w} missing or out of order in {st:?}");
    }
}

// §3.2 "Before the runtime reports anything: app containers Waiting{Reason: ContainerCreating}, or
// PodInitializing if the pod has init containers (also used for init containers not yet started)";
// §3.3 Initialized False "containers with incomplete status: [init-myservice init-mydb]"; S10.
#[test]
fn initialized_condition_message_lists_incomplete_init_containers() {
    let yaml = init_pod(
        "waitsvc",
        &[
            ("init-myservice", "sleep 3600"),
            ("init-mydb", "sleep 3600"),
        ],
        "sleep 3600",
        "",
    );
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(10 * S);
    let c = condition(&sim, "waitsvc", "Initialized");
    assert_eq!(c.status, "False");
    assert_eq!(c.reason.as_deref(), Some("ContainersNotInitialized"));
    assert_eq!(
        c.message.as_deref(),
        Some("containers with incomplete status: [init-myservice init-mydb]")
    );
    assert_eq!(
        waiting_reason(&container(&sim, "waitsvc", "init-mydb")).as_deref(),
        Some("PodInitializing")
    );
    assert_eq!(
        waiting_reason(&container(&sim, "waitsvc", "app")).as_deref(),
        Some("PodInitializing")
    );
    assert!(container(&sim, "waitsvc", "init-myservice")
        .state
        .running
        .is_some());
    assert_eq!(phase(&sim, "waitsvc"), "Pending");
    let r = row_at(&sim, "waitsvc", 10 * S).expect("row");
    assert_eq!((r.status.as_str(), r.ready.as_str()), ("Init:0/2", "0/1"));
}

// §3.2 "app containers Waiting{Reason: ContainerCreating}" before the runtime reports anything; S1
// "t=0 … web 0/1 ContainerCreating … Conditions: PodReadyToStartContainers False, Initialized True,
// Ready False (ContainersNotReady, containers with unready status: [web]) …; Phase Pending".
#[test]
fn first_status_is_container_creating_and_initialized_without_init_containers() {
    let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.27
";
    let mut sim = start(yaml);
    sim.run_until(500);
    assert_eq!(
        waiting_reason(&container(&sim, "web", "web")).as_deref(),
        Some("ContainerCreating")
    );
    assert_eq!(phase(&sim, "web"), "Pending");
    let want = [
        ("PodReadyToStartContainers", "False"),
        ("Initialized", "True"),
        ("Ready", "False"),
        ("ContainersReady", "False"),
        ("PodScheduled", "True"),
    ];
    let got: Vec<(String, String)> = conditions(&sim, "web")
        .into_iter()
        .map(|c| (c.type_, c.status))
        .collect();
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(got, want);
    let ready = condition(&sim, "web", "Ready");
    assert_eq!(ready.reason.as_deref(), Some("ContainersNotReady"));
    assert_eq!(
        ready.message.as_deref(),
        Some("containers with unready status: [web]")
    );
    let r = row_at(&sim, "web", 500).expect("row");
    assert_eq!(
        (r.status.as_str(), r.ready.as_str()),
        ("ContainerCreating", "0/1")
    );
}

// §3.3 "Kubelet writes, in this order: PodReadyToStartContainers, Initialized, Ready,
// ContainersReady, PodScheduled"; PodReadyToStartContainers "True once a sandbox with networking
// exists".
#[test]
fn conditions_are_written_in_kubelet_order() {
    let yaml = busybox_pod("order", "sleep 3600", "", "");
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(10 * S);
    let got: Vec<(String, String)> = conditions(&sim, "order")
        .into_iter()
        .map(|c| (c.type_, c.status))
        .collect();
    let want: Vec<(String, String)> = [
        "PodReadyToStartContainers",
        "Initialized",
        "Ready",
        "ContainersReady",
        "PodScheduled",
    ]
    .iter()
    .map(|t| (t.to_string(), "True".to_string()))
    .collect();
    assert_eq!(got, want);
    let out = kubectl(&mut sim, "kubectl describe pod order");
    assert!(out.contains("Conditions:\n  Type                        Status\n  PodReadyToStartContainers   True \n  Initialized                 True \n  Ready                       True \n  ContainersReady             True \n  PodScheduled                True \n"), "{out}");
}

// §2.6 "If the policy is Never, a failed init container makes the pod terminal" — §3.4 rule 4
// "failedInit > 0 && restartPolicy == Never → Failed"; S11 "init-fail-never 0/1 Init:Error 0;
// phase Failed; app never created; Initialized False (containers with incomplete status: [check]),
// Ready/ContainersReady False reason PodFailed".
#[test]
fn failed_init_with_restart_never_fails_the_pod() {
    let yaml = init_pod(
        "init-fail-never",
        &[("check", "echo bad config; exit 1")],
        "sleep 3600",
        "  restartPolicy: Never\n",
    );
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(30 * S);
    let st = started(&sim, "init-fail-never", "check")[0];
    assert_eq!(phase(&sim, "init-fail-never"), "Failed");
    let shown = first_row(&sim, "init-fail-never", 0, |r| r.status == "Init:Error")
        .expect("Init:Error shown");
    assert_within("Init:Error", shown.t, st, st + S);
    let r = row_at(&sim, "init-fail-never", 30 * S).expect("row");
    assert_eq!(
        (r.status.as_str(), r.ready.as_str(), r.restarts.as_str()),
        ("Init:Error", "0/1", "0")
    );
    assert!(started(&sim, "init-fail-never", "app").is_empty());
    assert!(reason(&sim, "init-fail-never", "Created")
        .iter()
        .all(|e| e.message != "Created container: app"));
    assert_eq!(
        waiting_reason(&container(&sim, "init-fail-never", "app")).as_deref(),
        Some("PodInitializing")
    );
    let init = condition(&sim, "init-fail-never", "Initialized");
    assert_eq!(init.status, "False");
    assert_eq!(init.reason.as_deref(), Some("ContainersNotInitialized"));
    assert_eq!(
        init.message.as_deref(),
        Some("containers with incomplete status: [check]")
    );
    for t in ["Ready", "ContainersReady"] {
        assert_eq!(
            condition(&sim, "init-fail-never", t).reason.as_deref(),
            Some("PodFailed")
        );
    }
}

// §2.6 "Regular init containers: if the pod policy is Always, init containers behave as OnFailure;
// a failed init container is retried with the same backoff"; §5.1 "Init:Error",
// "Init:CrashLoopBackOff"; §5.2 "RESTARTS = while initializing: sum of init-container restarts".
#[test]
fn failed_init_with_restart_always_is_retried_with_backoff() {
    let yaml = init_pod("initretry", &[("check", "exit 1")], "sleep 3600", "");
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(90 * S);
    let starts = started(&sim, "initretry", "check");
    assert!(starts.len() >= 3, "{starts:?}");
    assert!(starts[1] - starts[0] <= S, "first retry is immediate");
    assert!(starts[2] - starts[1] >= 10 * S, "then backed off");
    let st = statuses(&sim, "initretry");
    assert!(st.contains(&"Init:Error".to_string()), "{st:?}");
    assert!(st.contains(&"Init:CrashLoopBackOff".to_string()), "{st:?}");
    let restarts = container(&sim, "initretry", "check").restart_count;
    assert!(restarts >= 2);
    let r = row_at(&sim, "initretry", 90 * S).expect("row");
    assert_eq!(r.restarts, restarts.to_string());
    assert_eq!(phase(&sim, "initretry"), "Pending");
}

fn sidecar_pod(name: &str, sidecar_script: &str, app: &str, policy: &str) -> String {
    format!(
        "apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  restartPolicy: {policy}
  initContainers:
  - name: logshipper
    image: busybox:1.36
    restartPolicy: Always
    command: [\"sh\", \"-c\", \"{sidecar_script}\"]
  - name: setup
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"sleep 2\"]
  containers:
  - name: app
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"{app}\"]
"
    )
}

// §2.6 sidecars: "It is started in init order; the next init container starts once the sidecar has
// started … count in READY"; §5.2 "READY = ready/total, total = app containers + sidecars".
#[test]
fn sidecar_starts_before_next_init_and_counts_in_ready() {
    let yaml = sidecar_pod("withsidecar", "sleep 3600", "sleep 3600", "Always");
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(20 * S);
    let side = started(&sim, "withsidecar", "logshipper")[0];
    let setup = started(&sim, "withsidecar", "setup")[0];
    let app = started(&sim, "withsidecar", "app")[0];
    assert!(side <= setup, "sidecar first");
    assert!(
        setup - side <= S,
        "next init starts once the sidecar has started"
    );
    assert_within("app after setup", app, setup + 2 * S, setup + 3 * S);
    let r = row_at(&sim, "withsidecar", 20 * S).expect("row");
    assert_eq!((r.status.as_str(), r.ready.as_str()), ("Running", "2/2"));
    assert!(
        first_row(&sim, "withsidecar", 0, |r| r.status == "Init:1/2").is_some(),
        "sidecar started counts as done for Init:N/M: {:?}",
        statuses(&sim, "withsidecar")
    );
}

// §2.6 "Sidecars are always restarted (with backoff) regardless of the pod policy"; §5.2 RESTARTS
// "afterwards: sidecar + app restarts".
#[test]
fn sidecars_are_restarted_regardless_of_pod_restart_policy() {
    let yaml = sidecar_pod("sidecarcrash", "sleep 5; exit 1", "sleep 3600", "Never");
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(60 * S);
    let starts = started(&sim, "sidecarcrash", "logshipper");
    assert!(starts.len() >= 3, "{starts:?}");
    assert_eq!(started(&sim, "sidecarcrash", "app").len(), 1);
    assert_eq!(phase(&sim, "sidecarcrash"), "Running");
    let restarts = container(&sim, "sidecarcrash", "logshipper").restart_count;
    let r = row_at(&sim, "sidecarcrash", 60 * S).expect("row");
    assert_eq!(r.restarts, restarts.to_string(), "sidecar restarts count");
}

// §2.6 sidecars "do not block pod completion, are ignored for phase, and are terminated after all
// main containers".
#[test]
fn sidecar_does_not_block_pod_completion() {
    let yaml = sidecar_pod("jobsidecar", "sleep 3600", "sleep 3; exit 0", "Never");
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(120 * S);
    assert_eq!(phase(&sim, "jobsidecar"), "Succeeded");
    let r = row_at(&sim, "jobsidecar", 120 * S).expect("row");
    assert_eq!(r.status, "Completed");
    let app = container(&sim, "jobsidecar", "app");
    let side = container(&sim, "jobsidecar", "logshipper");
    let app_end = app
        .state
        .terminated
        .and_then(|t| t.finished_at)
        .map(|t| t.0);
    let side_end = side
        .state
        .terminated
        .and_then(|t| t.finished_at)
        .map(|t| t.0);
    assert!(side_end.is_some(), "sidecar terminated");
    assert!(
        side_end >= app_end,
        "sidecar stops after the main container"
    );
}

// §5.1 "a running-but-not-ready container leaves the phase (Running) as STATUS; NotReady appears
// only in the Completed+running case": reverse iteration finds Completed, a ready running container
// sets hasRunning, and the Ready condition is False.
#[test]
fn completed_and_running_containers_show_not_ready() {
    let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: half
spec:
  restartPolicy: OnFailure
  containers:
  - name: a
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"exit 0\"]
  - name: b
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"sleep 3600\"]
";
    let mut sim = start_with(yaml, "", &[BUSYBOX]);
    sim.run_until(20 * S);
    let r = row_at(&sim, "half", 20 * S).expect("row");
    assert_eq!((r.status.as_str(), r.ready.as_str()), ("NotReady", "1/2"));
    assert_eq!(phase(&sim, "half"), "Running");
}

// §5.1 "reverse iteration means the alphabetically first container with a waiting/terminated
// reason wins".
#[test]
fn status_shows_the_alphabetically_first_container_reason() {
    let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: two
spec:
  restartPolicy: Never
  containers:
  - name: zeta
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"exit 2\"]
  - name: alpha
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"exit 0\"]
";
    let mut sim = start_with(yaml, "", &[BUSYBOX]);
    sim.run_until(20 * S);
    let r = row_at(&sim, "two", 20 * S).expect("row");
    assert_eq!(
        r.status, "Completed",
        "alpha's reason wins over zeta's Error"
    );
    assert_eq!(phase(&sim, "two"), "Failed");
}

// §3.4 rule 5 "waiting > 0 → Pending": a container that cannot start keeps the pod Pending even if
// another container runs.
#[test]
fn phase_is_pending_while_a_container_is_waiting() {
    let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: oneblocked
spec:
  containers:
  - name: a
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"sleep 3600\"]
  - name: b
    image: nginx:doesnotexist
";
    let mut sim = start_with(yaml, "", &[BUSYBOX]);
    sim.run_until(30 * S);
    assert!(container(&sim, "oneblocked", "a").state.running.is_some());
    assert_eq!(phase(&sim, "oneblocked"), "Pending");
}

// =====================================================================================
// §4 Lifecycle hooks and stopping
// =====================================================================================

// §4.1 "run postStart synchronously inside the pod worker's sync … no new API status is written
// until the hook returns (docs: 'The Container's status is not set to RUNNING until the postStart
// handler completes')"; S14 "STATUS still ContainerCreating while it runs".
#[test]
fn post_start_blocks_running_status() {
    let yaml = busybox_pod(
        "hooked",
        "sleep 3600",
        "    lifecycle:\n      postStart:\n        exec:\n          command: [\"sh\", \"-c\", \"sleep 5\"]\n",
        "",
    );
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(20 * S);
    let st = started(&sim, "hooked", "app")[0];
    assert_eq!(
        row_at(&sim, "hooked", st + 4 * S).map(|r| r.status),
        Some("ContainerCreating".into())
    );
    let running = first_row(&sim, "hooked", 0, |r| r.status == "Running").expect("Running");
    assert_within("Running after the hook", running.t, st + 5 * S, st + 6 * S);
}

// §4.1 "On hook failure: Warning FailedPostStartHook 'PostStartHook failed' … Normal Killing
// 'FailedPostStartHook' then normal stop … container Waiting reason PostStartHookError in the next
// status, then restarted per policy with crash-loop backoff"; S14.
#[test]
fn post_start_failure_kills_and_backs_off() {
    let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: lifecycle-demo
spec:
  containers:
  - name: lifecycle-demo-container
    image: nginx
    lifecycle:
      postStart:
        exec:
          command: [badcommand]
      preStop:
        exec:
          command: [/bin/sh, -c, \"nginx -s quit; while killall -0 nginx; do sleep 1; done\"]
";
    let mut sim = start(yaml);
    sim.run_until(60 * S);
    let hook = reason(&sim, "lifecycle-demo", "FailedPostStartHook");
    assert!(!hook.is_empty());
    assert_eq!(hook[0].type_, "Warning");
    assert_eq!(hook[0].message, "PostStartHook failed");
    let killing = reason(&sim, "lifecycle-demo", "Killing");
    assert_eq!(killing[0].message, "FailedPostStartHook");
    assert_eq!(killing[0].t, hook[0].t, "killed in the same sync");
    let st = statuses(&sim, "lifecycle-demo");
    assert!(st.contains(&"PostStartHookError".to_string()), "{st:?}");
    assert!(st.contains(&"CrashLoopBackOff".to_string()), "{st:?}");
    assert!(!st.contains(&"Running".to_string()), "{st:?}");
    let uid = uid(&sim, "lifecycle-demo");
    let backoff = reason(&sim, "lifecycle-demo", "BackOff");
    assert!(backoff.iter().any(|e| e.message
        == format!("Back-off restarting failed container lifecycle-demo-container in pod lifecycle-demo_default({uid})")));
}

// §4.2 "If preStop exists and grace > 0: run it … wait until it finishes or grace seconds pass;
// grace -= elapsed seconds … CRI StopContainer(id, grace): … waits grace, then SIGKILL".
#[test]
fn prestop_runs_inside_the_grace_period() {
    let yaml = busybox_pod(
        "prestop",
        "sleep 3600",
        "    lifecycle:\n      preStop:\n        exec:\n          command: [\"sh\", \"-c\", \"sleep 10\"]\n",
        "  terminationGracePeriodSeconds: 30\n",
    );
    let mut sim = start_with(
        &yaml,
        "@20s kubectl delete pod prestop --wait=false\n",
        &[BUSYBOX],
    );
    sim.run_until(80 * S);
    let gone = rows(&sim, "prestop")
        .into_iter()
        .find(|r| r.deleted)
        .expect("deleted");
    // 10 s of hook + the remaining 20 s for SIGTERM (ignored by sh) = 30 s, not 40.
    assert_within("removed", gone.t, 50 * S, 52 * S);
}

// §4.2 "if grace < 2 { grace = 2 } (minimumGracePeriodInSeconds) — always give containers a
// minimal shutdown window".
#[test]
fn grace_period_is_at_least_two_seconds_after_prestop() {
    let yaml = busybox_pod(
        "longhook",
        "sleep 3600",
        "    lifecycle:\n      preStop:\n        exec:\n          command: [\"sh\", \"-c\", \"sleep 100\"]\n",
        "  terminationGracePeriodSeconds: 10\n",
    );
    let mut sim = start_with(
        &yaml,
        "@20s kubectl delete pod longhook --wait=false\n",
        &[BUSYBOX],
    );
    sim.run_until(80 * S);
    let gone = rows(&sim, "longhook")
        .into_iter()
        .find(|r| r.deleted)
        .expect("deleted");
    // The hook is cut at 10 s, then 2 more seconds before SIGKILL.
    assert_within("removed", gone.t, 32 * S, 34 * S);
}

// §4.2 "Failure → Warning FailedPreStopHook 'PreStopHook failed' (no detail). A failing preStop does
// not stop the termination."
#[test]
fn failed_prestop_emits_event_and_termination_goes_on() {
    let yaml = busybox_pod(
        "badhook",
        "sleep 3600",
        "    lifecycle:\n      preStop:\n        exec:\n          command: [\"badcommand\"]\n",
        "  terminationGracePeriodSeconds: 5\n",
    );
    let mut sim = start_with(
        &yaml,
        "@20s kubectl delete pod badhook --wait=false\n",
        &[BUSYBOX],
    );
    sim.run_until(60 * S);
    let failed = reason(&sim, "badhook", "FailedPreStopHook");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].type_, "Warning");
    assert_eq!(failed[0].message, "PreStopHook failed");
    assert!(!pod_exists(&sim, "badhook"));
}

// §4.2 "Event Normal Killing with the given message or 'Stopping container <c>' — emitted before the
// hook"; §7 step 3.
#[test]
fn delete_emits_killing_stopping_container() {
    let yaml = busybox_pod(
        "stopme",
        "sleep 3600",
        "",
        "  terminationGracePeriodSeconds: 3\n",
    );
    let mut sim = start_with(
        &yaml,
        "@20s kubectl delete pod stopme --wait=false\n",
        &[BUSYBOX],
    );
    sim.run_until(40 * S);
    let killing = reason(&sim, "stopme", "Killing");
    assert_eq!(killing.len(), 1);
    assert_eq!(killing[0].message, "Stopping container app");
    assert_eq!(killing[0].type_, "Normal");
    assert_eq!(killing[0].t, 20 * S);
}

// =====================================================================================
// §5 kubectl presentation
// =====================================================================================

// §5.1 "elif deletionTimestamp and phase not in (Succeeded, Failed): reason = 'Terminating'";
// invariant 6 "Terminating is shown whenever deletionTimestamp is set and the phase is not
// terminal"; S16 "D: web 1/1 Terminating".
#[test]
fn terminating_shown_while_deleting() {
    let yaml = busybox_pod("term", "sleep 3600", "", "");
    let mut sim = start_with(
        &yaml,
        "@20s kubectl delete pod term --wait=false\n",
        &[BUSYBOX],
    );
    sim.run_until(70 * S);
    let r = row_at(&sim, "term", 20 * S).expect("row");
    assert_eq!(
        (r.status.as_str(), r.ready.as_str()),
        ("Terminating", "1/1")
    );
    // sh ignores SIGTERM: Terminating for the whole default 30 s grace.
    let r = row_at(&sim, "term", 49 * S).expect("row");
    assert_eq!(r.status, "Terminating");
    let gone = rows(&sim, "term")
        .into_iter()
        .find(|r| r.deleted)
        .expect("deleted");
    assert_within("removed", gone.t, 50 * S, 52 * S);
}

// §5.2 AGE "HumanDuration: < 120 s %ds; < 10 min %dm%ds (%dm if s==0); < 3 h %dm; < 8 h %dh%dm;
// < 48 h %dh; < 8 d %dd%dh"; invariant 7 "(e.g. 119s, 2m, 5m40s, 15m, 3h20m, 23h, 2d8h)".
#[test]
fn age_column_follows_human_duration() {
    let yaml = busybox_pod("aged", "sleep 999999999", "", "");
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    for (t, want) in [
        (119, "119s"),
        (120, "2m"),
        (340, "5m40s"),
        (900, "15m"),
        (12_000, "3h20m"),
        (82_800, "23h"),
        (201_600, "2d8h"),
    ] {
        sim.run_until(t * S);
        let out = kubectl(&mut sim, "kubectl get pods");
        let line = out.lines().nth(1).unwrap_or_default();
        assert!(
            line.trim_end().ends_with(&format!(" {want}")),
            "at {t}s: {out:?}"
        );
    }
}

// §5.3 "Age is HumanDuration(now−first) or, when count>1, '<last> (x<count> over <first>)', e.g.
// 71s (x6 over 3m21s)"; S2 "At t=57 kubectl describe ages would read Unhealthy 12s (x3 over 22s)".
#[test]
fn describe_events_show_count_over_first_seen() {
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
    sim.run_until(50 * S);
    let unhealthy = reason(&sim, "liveness-exec", "Unhealthy");
    let (first, last) = (unhealthy[0].t, unhealthy[2].t);
    let now = last + 12 * S;
    sim.run_until(now);
    let out = kubectl(&mut sim, "kubectl describe pod liveness-exec");
    let want = format!("{}s (x3 over {}s)", (now - last) / S, (now - first) / S);
    let line = out
        .lines()
        .find(|l| l.contains("Unhealthy"))
        .unwrap_or_default();
    assert!(line.contains(&want), "want {want:?} in {line:?}");
    assert!(line.contains("kubelet            Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory"), "{line:?}");
}

// =====================================================================================
// §6 Images
// =====================================================================================

// §6 "Tag latest (explicit or implied) → Always; otherwise (incl. digest-only refs) →
// IfNotPresent."
#[test]
fn latest_tag_defaults_to_always_pull() {
    let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: tags
spec:
  containers:
  - name: implied
    image: nginx
  - name: explicit
    image: nginx:latest
  - name: pinned
    image: nginx:1.27
  - name: digest
    image: nginx@sha256:2df04e537139f13d3fa67332de2e4d4608678d99cb5a0bff6f6b819e4a2104a9
";
    let sim = start(yaml);
    let spec = serde_json::to_value(&pod(&sim, "tags").spec).unwrap_or_default();
    let policies: Vec<_> = (0..4)
        .map(|i| spec["containers"][i]["imagePullPolicy"].clone())
        .collect();
    assert_eq!(
        policies,
        ["Always", "Always", "IfNotPresent", "IfNotPresent"]
    );
}

// §6 "Always" pulls even when the image is on the node: every restart shows Pulling (S14 "restart
// immediately ⇒ Pulling again (Always)").
#[test]
fn always_policy_pulls_again_on_restart() {
    let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: repull
spec:
  containers:
  - name: app
    image: busybox
    command: [\"sh\", \"-c\", \"sleep 5; exit 1\"]
";
    let mut sim = start_with(yaml, "", &["busybox"]);
    sim.run_until(15 * S);
    assert!(reason(&sim, "repull", "Pulling").len() >= 2);
    assert!(reason(&sim, "repull", "Pulled")
        .iter()
        .all(|e| !e.message.contains("already present")));
}

// §6 "Present & no pull needed: Normal Pulled 'Container image \"nginx:1.27\" already present on
// machine'"; "Pull: Normal Pulling 'Pulling image \"nginx\"'; success Normal Pulled 'Successfully
// pulled image \"nginx\" in 1.393s (1.393s including waiting). Image size: 62958873 bytes.'"
#[test]
fn pulled_event_messages_for_pull_and_present_image() {
    let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: first
spec:
  nodeName: node1
  containers:
  - name: web
    image: nginx:1.27
---
apiVersion: v1
kind: Pod
metadata:
  name: second
spec:
  nodeName: node1
  containers:
  - name: web
    image: nginx:1.27
";
    let mut sim = start(yaml);
    sim.run_until(60 * S);
    let pulls: Vec<_> = ["first", "second"]
        .iter()
        .flat_map(|p| reason(&sim, p, "Pulled"))
        .collect();
    assert_eq!(pulls.len(), 2);
    let fresh = pulls
        .iter()
        .find(|e| e.message.starts_with("Successfully pulled"))
        .expect("one pull");
    let m = fresh.message.clone();
    assert!(
        m.starts_with("Successfully pulled image \"nginx:1.27\" in "),
        "{m}"
    );
    assert!(m.ends_with(" bytes."), "{m}");
    let took = m
        .trim_start_matches("Successfully pulled image \"nginx:1.27\" in ")
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(
        m.contains(&format!(
            "in {took} ({took} including waiting). Image size: "
        )),
        "{m}"
    );
    let pulling: Vec<_> = ["first", "second"]
        .iter()
        .flat_map(|p| reason(&sim, p, "Pulling"))
        .collect();
    assert!(pulling
        .iter()
        .all(|e| e.message == "Pulling image \"nginx:1.27\""));
    let present = pulls
        .iter()
        .filter(|e| e.message == "Container image \"nginx:1.27\" already present on machine")
        .count();
    // Both pods land on node1: one pulls; the other either finds it or pulls in parallel.
    assert!(present <= 1);
}

// §6 "Never and absent: Warning ErrImageNeverPull 'Container image \"x\" is not present with pull
// policy of Never', waiting reason ErrImageNeverPull"; S13.
#[test]
fn err_image_never_pull_with_policy_never() {
    let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: neverpull
spec:
  containers:
  - name: app
    image: nginx:doesnotexist
    imagePullPolicy: Never
";
    let mut sim = start(yaml);
    sim.run_until(30 * S);
    let ev = reason(&sim, "neverpull", "ErrImageNeverPull");
    assert!(!ev.is_empty());
    assert_eq!(ev[0].type_, "Warning");
    assert_eq!(
        ev[0].message,
        "Container image \"nginx:doesnotexist\" is not present with pull policy of Never"
    );
    assert!(reason(&sim, "neverpull", "Pulling").is_empty());
    let r = row_at(&sim, "neverpull", 30 * S).expect("row");
    assert_eq!(
        (r.status.as_str(), r.ready.as_str(), r.restarts.as_str()),
        ("ErrImageNeverPull", "0/1", "0")
    );
    assert_eq!(phase(&sim, "neverpull"), "Pending");
}

// §6 "Failure: Warning Failed 'Failed to pull image \"x\": <runtime error>' then Warning Failed
// 'Error: ErrImagePull' … While in backoff: Normal BackOff 'Back-off pulling image \"x\"' and Warning
// Failed 'Error: ImagePullBackOff'; waiting reason ImagePullBackOff, message (v1.32+) 'Back-off
// pulling image \"x\": ErrImagePull: <previous error>'"; §2.5 "ContainerCreating → ErrImagePull →
// ImagePullBackOff"; S13.
#[test]
fn image_pull_failure_shows_err_image_pull_then_image_pull_backoff() {
    let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: badimage
spec:
  containers:
  - name: app
    image: nginx:doesnotexist
";
    let mut sim = start(yaml);
    let mut waiting_messages: Vec<String> = vec![];
    watch(&mut sim, 40 * S, |sim| {
        let cs = container(sim, "badimage", "app");
        if let Some(w) = cs.state.waiting {
            if w.reason.as_deref() == Some("ImagePullBackOff") {
                let m = w.message.unwrap_or_default();
                if !waiting_messages.contains(&m) {
                    waiting_messages.push(m);
                }
            }
        }
    });
    let err = "rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/nginx:doesnotexist\": failed to resolve reference \"docker.io/library/nginx:doesnotexist\": docker.io/library/nginx:doesnotexist: not found";
    let failed: Vec<_> = reason(&sim, "badimage", "Failed")
        .into_iter()
        .map(|e| e.message)
        .collect();
    assert_eq!(
        failed[0],
        format!("Failed to pull image \"nginx:doesnotexist\": {err}")
    );
    assert_eq!(failed[1], "Error: ErrImagePull");
    assert!(failed.contains(&"Error: ImagePullBackOff".to_string()));
    let backoff = reason(&sim, "badimage", "BackOff");
    assert!(!backoff.is_empty());
    assert_eq!(backoff[0].type_, "Normal");
    assert_eq!(
        backoff[0].message,
        "Back-off pulling image \"nginx:doesnotexist\""
    );
    assert_eq!(
        waiting_messages,
        [format!(
            "Back-off pulling image \"nginx:doesnotexist\": ErrImagePull: {err}"
        )]
    );
    let st = statuses(&sim, "badimage");
    let i = st
        .iter()
        .position(|s| s == "ErrImagePull")
        .expect("ErrImagePull");
    assert_eq!(
        st.get(i + 1).map(String::as_str),
        Some("ImagePullBackOff"),
        "{st:?}"
    );
    assert_eq!(st.first().map(String::as_str), Some("Pending"));
    assert_eq!(st.get(1).map(String::as_str), Some("ContainerCreating"));
    assert_eq!(phase(&sim, "badimage"), "Pending");
}

// §6 "backOff.Next (10 s, ×2, max 300 s …)"; "The image backoff check is now − lastPullFailure <
// backoff (IsInBackOffSinceUpdate), evaluated at each sync (10–15 s retry cadence)"; S13 "≈12–17,
// then +20, +40, … ≤300 s".
#[test]
fn image_pull_backoff_doubles() {
    let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: badimage
spec:
  containers:
  - name: app
    image: nginx:doesnotexist
";
    let mut sim = start(yaml);
    // Pulling events are spam-filtered after the pod's 25th event; count the attempts from the
    // pull failures' effect instead: each attempt is a Pulling event while they last.
    sim.run_until(200 * S);
    let pulls: Vec<_> = reason(&sim, "badimage", "Pulling")
        .iter()
        .map(|e| e.t)
        .collect();
    assert!(pulls.len() >= 4, "{pulls:?}");
    let gaps: Vec<_> = pulls.windows(2).map(|w| w[1] - w[0]).collect();
    // Each gap = pull latency (≤1 s) + backoff since the failure + ≤15 s retry granularity.
    for (gap, base) in gaps.iter().zip([10, 20, 40, 80]) {
        assert_within(
            &format!("pull gap {gaps:?}"),
            *gap,
            base * S,
            (base + 17) * S,
        );
    }
}

// =====================================================================================
// §7 Graceful deletion
// =====================================================================================

// §7 step 1 "API sets metadata.deletionTimestamp = now + grace, deletionGracePeriodSeconds = grace;
// kubectl prints pod \"x\" deleted".
#[test]
fn delete_sets_deletion_timestamp_to_now_plus_grace() {
    let yaml = busybox_pod("tobedeleted", "sleep 3600", "", "");
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(10 * S);
    let out = kubectl(&mut sim, "kubectl delete pod tobedeleted --wait=false");
    assert_eq!(out, "pod \"tobedeleted\" deleted\n");
    let meta = &pod(&sim, "tobedeleted").metadata;
    assert_eq!(meta.deletion_timestamp.as_ref().map(|t| t.0), Some(40 * S));
    assert_eq!(meta.deletion_grace_period_seconds, Some(30));
}

// §7 "Force delete (--grace-period=0 --force) removes the API object immediately; the kubelet still
// kills with a short grace."
// kubectl delete.go PrintObj: `if o.GracePeriod == 0 { operation = "force deleted" }`.
#[test]
fn force_delete_removes_the_object_at_once() {
    let yaml = busybox_pod("forced", "sleep 3600", "", "");
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(10 * S);
    let out = kubectl(
        &mut sim,
        "kubectl delete pod forced --grace-period=0 --force",
    );
    assert_eq!(
        out,
        "pod \"forced\" force deleted\n<stderr>Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n"
    );
    assert!(!pod_exists(&sim, "forced"));
    let gone = rows(&sim, "forced").into_iter().find(|r| r.deleted);
    assert_eq!(gone.map(|r| r.t), Some(10 * S));
}

// §7 step 3 "effective grace = min(deletionGracePeriodSeconds, previous)"; kubectl --grace-period.
#[test]
fn delete_with_grace_period_flag() {
    let yaml = busybox_pod("short", "sleep 3600", "", "");
    let mut sim = start_with(
        &yaml,
        "@10s kubectl delete pod short --grace-period=5 --wait=false\n",
        &[BUSYBOX],
    );
    sim.run_until(60 * S);
    assert!(
        !pod_exists(&sim, "short"),
        "removed well before the pod's 30 s"
    );
    let gone = rows(&sim, "short")
        .into_iter()
        .find(|r| r.deleted)
        .expect("deleted");
    assert_within("removed", gone.t, 15 * S, 17 * S);
}

// §7 step 4 "After all containers stop: … phase set to Succeeded (all exit 0) or Failed; kubelet
// issues the final delete"; S16 "nginx exits 0 … phase Succeeded; briefly web 0/1 Completed …
// D+≤2 object deleted".
#[test]
fn deleted_nginx_pod_passes_through_succeeded_and_goes_within_two_seconds() {
    let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.27
";
    let mut sim = start_with(
        yaml,
        "@30s kubectl delete pod web --wait=false\n",
        &["nginx:1.27"],
    );
    let mut phases = vec![];
    watch(&mut sim, 40 * S, |sim| {
        if pod_exists(sim, "web") {
            let p = phase(sim, "web");
            if phases.last() != Some(&p) {
                phases.push(p);
            }
        }
    });
    let gone = rows(&sim, "web")
        .into_iter()
        .find(|r| r.deleted)
        .expect("deleted");
    assert_within("removed", gone.t, 30 * S, 32 * S);
    assert_eq!(
        phases.last().map(String::as_str),
        Some("Succeeded"),
        "{phases:?}"
    );
    let r = row_at(&sim, "web", 30 * S).expect("row");
    assert_eq!(r.status, "Terminating");
}

// §7 step 2 "EndpointSlice controller marks the endpoint ready=false, terminating=true — the pod
// stops receiving new Service traffic."
#[test]
fn terminating_pod_leaves_the_ready_endpoints() {
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
  name: web
  labels:
    app: web
spec:
  containers:
  - name: web
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"sleep 3600\"]
";
    let mut sim = start_with(
        yaml,
        "@20s kubectl delete pod web --wait=false\n",
        &[BUSYBOX],
    );
    sim.run_until(19 * S);
    let ready = |sim: &podplay_engine::Simulation| {
        let ep = sim
            .cl
            .store
            .endpoints
            .get(&("default".to_string(), "web".to_string()));
        let v = serde_json::to_value(ep).unwrap_or_default();
        v["subsets"][0]["addresses"]
            .as_array()
            .map(|a| a.len())
            .unwrap_or(0)
    };
    assert_eq!(ready(&sim), 1);
    sim.run_until(20 * S);
    assert_eq!(ready(&sim), 0, "not ready as soon as deletion starts");
}

// =====================================================================================
// §8 Events
// =====================================================================================

// §8 "Scheduled Normal default-scheduler 'Successfully assigned <ns>/<pod> to <node>'"; "Created
// 1.33–1.34 'Created container: <c>'"; "Started ≤1.34 'Started container <c>'".
#[test]
fn scheduled_created_started_event_messages() {
    let yaml = busybox_pod("msgs", "sleep 3600", "", "  nodeName: node1\n");
    let yaml = yaml.replace("  nodeName: node1\n", "");
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(10 * S);
    let node = pod(&sim, "msgs").spec.node_name.clone().unwrap_or_default();
    let sched = reason(&sim, "msgs", "Scheduled");
    assert_eq!(sched.len(), 1);
    assert_eq!(sched[0].source, "default-scheduler");
    assert_eq!(sched[0].type_, "Normal");
    assert_eq!(
        sched[0].message,
        format!("Successfully assigned default/msgs to {node}")
    );
    assert_eq!(sched[0].field_path, None);
    let created = reason(&sim, "msgs", "Created");
    assert_eq!(created[0].message, "Created container: app");
    assert_eq!(
        created[0].field_path.as_deref(),
        Some("spec.containers{app}")
    );
    let started_ev = reason(&sim, "msgs", "Started");
    assert_eq!(started_ev[0].message, "Started container app");
    // §4.1 "pull (events) → CreateContainer → Created → StartContainer → Started": one moment.
    assert_eq!(created[0].t, started_ev[0].t);
}

// §8 "identical events (same source, object incl. fieldPath, type, reason, message) are merged into
// one object with count++ and lastTimestamp".
#[test]
fn identical_events_are_counted_not_repeated() {
    let yaml = busybox_pod(
        "counted",
        "sleep 3600",
        "    livenessProbe:\n      exec:\n        command: [\"cat\", \"/nonexistent\"]\n      periodSeconds: 5\n      failureThreshold: 100\n",
        "",
    );
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(60 * S);
    let occurrences = reason(&sim, "counted", "Unhealthy");
    let objects: Vec<_> = sim
        .cl
        .recorder
        .events
        .iter()
        .filter(|e| e.reason.as_deref() == Some("Unhealthy"))
        .collect();
    assert_eq!(objects.len(), 1, "one Event object");
    let e = objects[0];
    assert_eq!(e.count, Some(occurrences.len() as i32));
    assert_eq!(
        e.first_timestamp.as_ref().map(|t| t.0),
        occurrences.first().map(|o| o.t)
    );
    assert_eq!(
        e.last_timestamp.as_ref().map(|t| t.0),
        occurrences.last().map(|o| o.t)
    );
    assert_eq!(
        e.involved_object.field_path.as_deref(),
        Some("spec.containers{app}")
    );
}

// §8 "a spam filter per (source, involved object) allows a burst of 25 events then 1 per 5 min
// (defaultSpamBurst = 25, defaultSpamQPS = 1/300)"; S5 "API writes are spam-limited after 25 events
// per pod".
#[test]
fn spam_filter_allows_25_kubelet_events_per_pod_then_one_per_five_minutes() {
    let yaml = busybox_pod(
        "chatty",
        "sleep 3600",
        "    readinessProbe:\n      exec:\n        command: [\"cat\", \"/nonexistent\"]\n      periodSeconds: 1\n",
        "",
    );
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(400 * S);
    let kubelet: Vec<_> = events(&sim, "chatty")
        .into_iter()
        .filter(|e| e.source == "kubelet")
        .collect();
    let first_window = kubelet.iter().filter(|e| e.t < 290 * S).count();
    assert_eq!(first_window, 25, "burst of 25");
    let t25 = kubelet[24].t;
    let next = kubelet.get(25).map(|e| e.t).expect("one more after refill");
    // One token refills every 300 s after the bucket started draining.
    assert!(
        next >= t25 + 250 * S && next <= 310 * S + kubelet[0].t,
        "{t25} → {next}"
    );
    // The scheduler is a different source: its event is not counted in the kubelet's burst.
    assert_eq!(reason(&sim, "chatty", "Scheduled").len(), 1);
}

// =====================================================================================
// More rules that a pod can exhibit
// =====================================================================================

// §4.1 "StartedAt is the runtime start time, so hook time counts against probe
// initialDelaySeconds" — and probe workers read the status manager, which shows the container
// running only once the hook has returned.
#[test]
fn post_start_time_counts_against_initial_delay() {
    let yaml = busybox_pod(
        "hookdelay",
        "sleep 3600",
        "    lifecycle:\n      postStart:\n        exec:\n          command: [\"sh\", \"-c\", \"sleep 8\"]\n    livenessProbe:\n      exec:\n        command: [\"cat\", \"/nonexistent\"]\n      initialDelaySeconds: 5\n      periodSeconds: 5\n      failureThreshold: 100\n",
        "",
    );
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(40 * S);
    let st = started(&sim, "hookdelay", "app")[0];
    let first = reason(&sim, "hookdelay", "Unhealthy")[0].t;
    // Not initialDelay after the hook (st+13…), but the first tick once the status shows Running.
    assert_within("first probe", first, st + 8 * S, st + 14 * S);
}

// §1.3 rule 8 "if containerStatus.Started == true, a startup worker skips" — a startup probe is not
// run again once it has succeeded, even if its check would now fail.
#[test]
fn startup_probe_stops_after_its_first_success() {
    let yaml = busybox_pod(
        "startedonce",
        "touch /tmp/up; sleep 10; rm /tmp/up; sleep 3600",
        "    startupProbe:\n      exec:\n        command: [\"cat\", \"/tmp/up\"]\n      periodSeconds: 2\n      failureThreshold: 3\n",
        "",
    );
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(60 * S);
    assert!(reason(&sim, "startedonce", "Unhealthy").is_empty());
    assert!(reason(&sim, "startedonce", "Killing").is_empty());
    assert_eq!(container(&sim, "startedonce", "app").started, Some(true));
}

// §1.6 "Because the backoff check uses the pod status captured before the kill, these restarts
// usually skip CrashLoopBackOff — but the backoff still doubles on every restart, so a pod that keeps
// failing liveness eventually shows CrashLoopBackOff once the backoff exceeds its failure cycle";
// §2.3 "Called before (re)starting a container that has an exited instance in the pod status
// snapshot"; S2 "from the restart where the backoff exceeds the time since the previous container
// finished (≈45 s here, i.e. once it has reached 80 s, at the 6th liveness kill) the pod shows
// CrashLoopBackOff between kills".
#[test]
fn liveness_restarts_skip_backoff_until_it_exceeds_the_failure_cycle() {
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
    let mut first_clbo: Option<i32> = None;
    watch(&mut sim, 700 * S, |sim| {
        let cs = container(sim, "liveness-exec", "liveness");
        if first_clbo.is_none() && waiting_reason(&cs).as_deref() == Some("CrashLoopBackOff") {
            first_clbo = Some(cs.restart_count);
        }
    });
    // Kills 1–5 restart at once (5 restarts); the 6th kill's restart is the first backed off.
    assert_eq!(first_clbo, Some(5));
}

// §1.6 "Sidecars: 'Init container %s failed liveness probe' … (no 'will be restarted' suffix)".
#[test]
fn sidecar_liveness_kill_message_names_an_init_container() {
    let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: sidecarprobe
spec:
  terminationGracePeriodSeconds: 2
  initContainers:
  - name: proxy
    image: busybox:1.36
    restartPolicy: Always
    command: [\"sh\", \"-c\", \"sleep 3600\"]
    livenessProbe:
      exec:
        command: [\"cat\", \"/nonexistent\"]
      periodSeconds: 3
      failureThreshold: 2
  containers:
  - name: app
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"sleep 3600\"]
";
    let mut sim = start_with(yaml, "", &[BUSYBOX]);
    sim.run_until(30 * S);
    let killing = reason(&sim, "sidecarprobe", "Killing");
    assert!(!killing.is_empty());
    assert_eq!(
        killing[0].message,
        "Init container proxy failed liveness probe"
    );
    assert!(
        started(&sim, "sidecarprobe", "proxy").len() >= 2,
        "sidecar restarted"
    );
}

// §6 "bad reference → InvalidImageName (Failed to apply default image tag …)"; image_manager.go
// logs it as Warning InspectFailed; §3.2 waiting reason InvalidImageName.
#[test]
fn invalid_image_name_is_reported_and_never_pulled() {
    let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: badref
spec:
  containers:
  - name: app
    image: Nginx
";
    let mut sim = start(yaml);
    sim.run_until(30 * S);
    let inspect = reason(&sim, "badref", "InspectFailed");
    assert!(!inspect.is_empty());
    assert_eq!(inspect[0].type_, "Warning");
    assert_eq!(
        inspect[0].message,
        "Failed to apply default image tag \"Nginx\": couldn't parse image name \"Nginx\": invalid reference format: repository name (library/Nginx) must be lowercase"
    );
    assert!(reason(&sim, "badref", "Failed")
        .iter()
        .any(|e| e.message == "Error: InvalidImageName"));
    assert!(reason(&sim, "badref", "Pulling").is_empty());
    assert_eq!(
        row_at(&sim, "badref", 30 * S).map(|r| r.status),
        Some("InvalidImageName".into())
    );
}

// §8 ">10 similar events (same reason, different message) within 10 min are aggregated as
// '(combined from similar events): …'". Exactly, client-go EventAggregate inserts the message into
// the record's set first and aggregates once `localKeys.Len() < maxEvents (10)` no longer holds: the
// 10th distinct message and every later one merge into one Event whose count grows and whose
// message is the latest, prefixed.
#[test]
fn similar_events_beyond_ten_are_combined() {
    let yaml = busybox_pod(
        "similar",
        "sleep 3600",
        "    readinessProbe:\n      exec:\n        command: [\"sh\", \"-c\", \"date +%s; exit 1\"]\n      periodSeconds: 2\n",
        "",
    );
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(30 * S);
    let occurrences = reason(&sim, "similar", "Unhealthy");
    assert!(occurrences.len() >= 12, "{occurrences:?}");
    let distinct: std::collections::BTreeSet<_> =
        occurrences.iter().map(|e| e.message.clone()).collect();
    assert_eq!(
        distinct.len(),
        occurrences.len(),
        "the probe output changes every time"
    );
    let objects: Vec<_> = sim
        .cl
        .recorder
        .events
        .iter()
        .filter(|e| e.reason.as_deref() == Some("Unhealthy"))
        .collect();
    assert_eq!(
        objects.len(),
        10,
        "9 distinct messages, then one combined Event"
    );
    let combined = objects[9];
    assert!(combined
        .message
        .as_deref()
        .unwrap_or_default()
        .starts_with("(combined from similar events): Readiness probe failed: "));
    assert_eq!(combined.count, Some(occurrences.len() as i32 - 9));
    let latest = occurrences
        .last()
        .map(|e| e.message.clone())
        .unwrap_or_default();
    // The trace reports each occurrence as the API recorded it: already combined.
    assert_eq!(combined.message.as_deref(), Some(latest.as_str()));
    assert!(latest.starts_with("(combined from similar events): Readiness probe failed: "));
}

// §1.2 "the tick phase is anchored at pod admission, not at container start … Liveness and startup
// workers are never manually triggered": with no initial delay the first liveness probe is the
// first admission-anchored tick after the start, not the sync that saw the container running.
#[test]
fn liveness_is_never_manually_triggered_its_ticks_are_anchored_at_admission() {
    let yaml = busybox_pod(
        "anchored",
        "sleep 3600",
        "    livenessProbe:\n      exec:\n        command: [\"cat\", \"/nonexistent\"]\n      periodSeconds: 10\n      failureThreshold: 100\n",
        "",
    );
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(60 * S);
    let st = started(&sim, "anchored", "app")[0];
    let unhealthy = reason(&sim, "anchored", "Unhealthy");
    let admitted = reason(&sim, "anchored", "Scheduled")[0].t;
    assert_within("first liveness probe", unhealthy[0].t, st, st + 10 * S);
    for e in &unhealthy {
        assert_eq!(
            (e.t - admitted) % (10 * S),
            0,
            "tick phase = admission: {unhealthy:?}"
        );
    }
}

// §2.3 "event Warning BackOff … emitted on every sync that hits the backoff (dedup → (xN over …))".
#[test]
fn backoff_events_are_deduplicated_into_one_event_with_a_count() {
    let yaml = crash_pod("crash", "exit 1", "Always");
    let mut sim = start_with(&yaml, "", &[BUSYBOX]);
    sim.run_until(120 * S);
    let occurrences = reason(&sim, "crash", "BackOff");
    assert!(occurrences.len() >= 2, "{occurrences:?}");
    let objects: Vec<_> = sim
        .cl
        .recorder
        .events
        .iter()
        .filter(|e| e.reason.as_deref() == Some("BackOff"))
        .collect();
    assert_eq!(objects.len(), 1);
    assert_eq!(objects[0].count, Some(occurrences.len() as i32));
}
