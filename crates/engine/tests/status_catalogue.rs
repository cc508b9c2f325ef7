//! Every STATUS string of the seed 002 catalogue (shared/seeds/002_*.txt, "其他状态") that a pod can
//! reach on a simulated cluster, each reached by a real cause and read from `kubectl get pods`.
//!
//! Not reachable here, on purpose: `Unknown` / `NodeLost` (need a lost node: the node-lifecycle
//! work), `RegistryUnavailable` and `ImageInspectError` (dockershim-era reasons containerd does not
//! report), `DockerDaemonNotReady` / `NetworkPluginNotReady` (node-level failures), `PreStartContainer`
//! (device-plugin hook). `ContainersNotInitialized` / `ContainersNotReady` are condition reasons, not
//! STATUS strings, and are checked with the conditions.

use podplay_engine::Simulation;

/// Runs `yaml` (and an optional script) until `until_s` and returns every STATUS the pod showed.
fn statuses(yaml: &str, script: &str, until_s: i64) -> Vec<String> {
    let mut sim = Simulation::new(1);
    let objs: Vec<_> = podplay_api::parse_manifests("pod.yaml", yaml)
        .expect("valid manifest")
        .into_iter()
        .map(|m| m.object)
        .collect();
    sim.ensure_nodes(&objs);
    if !script.is_empty() {
        sim.set_script(
            podplay_engine::commands::parse_script(script).expect("script"),
            None,
        );
    }
    for o in objs {
        sim.apply_object(o, "pod.yaml").expect("applied");
    }
    sim.run_until(until_s * 1000);
    sim.trace()
        .iter()
        .map(|r| r.to_json())
        .filter(|j| j["kind"] == "object" && j["objectKind"] == "Pod")
        .map(|j| j["columns"]["STATUS"].as_str().unwrap_or("").to_string())
        .collect()
}

fn pod(spec: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n{spec}")
}

fn assert_reaches(seen: &[String], want: &str) {
    assert!(
        seen.iter().any(|s| s == want),
        "never showed {want}; showed {seen:?}"
    );
}

#[test]
fn pending_container_creating_and_running() {
    let seen = statuses(
        &pod("  containers:\n  - {name: web, image: nginx:1.27}\n"),
        "",
        20,
    );
    for s in ["Pending", "ContainerCreating", "Running"] {
        assert_reaches(&seen, s);
    }
}

#[test]
fn pending_while_unschedulable() {
    let seen = statuses(
        &pod(
            "  nodeSelector: {disktype: ssd}\n  containers:\n  - {name: web, image: nginx:1.27}\n",
        ),
        "",
        10,
    );
    assert_eq!(seen.last().map(String::as_str), Some("Pending"));
}

#[test]
fn init_n_of_m_pod_initializing_init_error_and_init_crash_loop() {
    let spec = "  initContainers:\n  - {name: a, image: busybox:1.36, command: [sh, -c, 'sleep 5']}\n  - {name: b, image: busybox:1.36, command: [sh, -c, 'exit 1']}\n  containers:\n  - {name: web, image: nginx:1.27}\n";
    let seen = statuses(&pod(spec), "", 60);
    for s in [
        "Init:0/2",
        "Init:1/2",
        "Init:Error",
        "Init:CrashLoopBackOff",
    ] {
        assert_reaches(&seen, s);
    }
    let ok = "  initContainers:\n  - {name: a, image: busybox:1.36, command: [sh, -c, 'sleep 2']}\n  containers:\n  - {name: web, image: nginx:1.27}\n";
    assert_reaches(&statuses(&pod(ok), "", 30), "PodInitializing");
}

#[test]
fn error_completed_and_crash_loop_back_off() {
    let seen = statuses(
        &pod("  containers:\n  - {name: c, image: busybox:1.36, command: [sh, -c, 'exit 3']}\n"),
        "",
        60,
    );
    assert_reaches(&seen, "Error");
    assert_reaches(&seen, "CrashLoopBackOff");
    let done = statuses(&pod("  restartPolicy: Never\n  containers:\n  - {name: c, image: busybox:1.36, command: [sh, -c, 'exit 0']}\n"), "", 20);
    assert_eq!(done.last().map(String::as_str), Some("Completed"));
}

#[test]
fn terminating_while_the_grace_period_runs() {
    let seen = statuses(
        &pod("  containers:\n  - {name: c, image: busybox:1.36, command: [sleep, '3600']}\n"),
        "@20s kubectl delete pod p\n",
        30,
    );
    assert_reaches(&seen, "Terminating");
}

#[test]
fn err_image_pull_and_image_pull_back_off() {
    let seen = statuses(
        &pod("  containers:\n  - {name: c, image: 'nginx:1.99.99'}\n"),
        "",
        60,
    );
    assert_reaches(&seen, "ErrImagePull");
    assert_reaches(&seen, "ImagePullBackOff");
}

#[test]
fn invalid_image_name() {
    let seen = statuses(
        &pod("  containers:\n  - {name: c, image: 'nginx:bad tag'}\n"),
        "",
        20,
    );
    assert_reaches(&seen, "InvalidImageName");
}

#[test]
fn err_image_never_pull() {
    let seen = statuses(
        &pod("  containers:\n  - {name: c, image: 'nginx:1.27', imagePullPolicy: Never}\n"),
        "",
        20,
    );
    assert_reaches(&seen, "ErrImageNeverPull");
}

#[test]
fn create_container_config_error() {
    let spec = "  containers:\n  - name: c\n    image: busybox:1.36\n    command: [sleep, '3600']\n    env:\n    - name: X\n      valueFrom: {configMapKeyRef: {name: missing, key: k}}\n";
    assert_reaches(&statuses(&pod(spec), "", 20), "CreateContainerConfigError");
}

#[test]
fn post_start_hook_error() {
    let spec = "  containers:\n  - name: c\n    image: nginx:1.27\n    lifecycle:\n      postStart: {exec: {command: [badcommand]}}\n";
    assert_reaches(&statuses(&pod(spec), "", 30), "PostStartHookError");
}

#[test]
fn run_container_error_when_the_command_is_not_in_the_image() {
    let spec = "  containers:\n  - {name: c, image: busybox:1.36, command: [/no/such/binary]}\n";
    assert_reaches(&statuses(&pod(spec), "", 30), "RunContainerError");
}

#[test]
fn deadline_exceeded_after_active_deadline_seconds() {
    let spec = "  activeDeadlineSeconds: 10\n  containers:\n  - {name: c, image: busybox:1.36, command: [sleep, '3600']}\n";
    assert_reaches(&statuses(&pod(spec), "", 60), "DeadlineExceeded");
}

#[test]
fn scheduling_gated_while_gates_remain() {
    let spec = "  schedulingGates:\n  - {name: example.com/foo}\n  containers:\n  - {name: c, image: nginx:1.27}\n";
    let seen = statuses(&pod(spec), "", 10);
    assert_eq!(seen.last().map(String::as_str), Some("SchedulingGated"));
}

/// kubelet-semantics §2.6/§7: on deletion the main containers stop first; sidecars are terminated
/// after all main containers, in reverse order, within what is left of the grace period.
#[test]
fn sidecars_stop_after_the_main_containers_in_reverse_order() {
    let yaml = pod(concat!(
        "  terminationGracePeriodSeconds: 10\n",
        "  initContainers:\n",
        "  - {name: log-a, image: busybox:1.36, restartPolicy: Always, command: [sleep, '3600']}\n",
        "  - {name: log-b, image: busybox:1.36, restartPolicy: Always, command: [sleep, '3600']}\n",
        "  containers:\n",
        "  - {name: app, image: busybox:1.36, command: [sleep, '3600']}\n",
    ));
    let mut sim = Simulation::new(1);
    let objs: Vec<_> = podplay_api::parse_manifests("pod.yaml", &yaml)
        .expect("valid")
        .into_iter()
        .map(|m| m.object)
        .collect();
    sim.ensure_nodes(&objs);
    sim.set_script(
        podplay_engine::commands::parse_script("@30s kubectl delete pod p\n").expect("script"),
        None,
    );
    for o in objs {
        sim.apply_object(o, "pod.yaml").expect("applied");
    }
    sim.run_until(80_000);
    let killing: Vec<(i64, String)> = sim
        .trace()
        .iter()
        .map(|r| r.to_json())
        .filter(|j| j["kind"] == "event" && j["reason"] == "Killing")
        .map(|j| {
            (
                (j["t"].as_f64().unwrap_or(0.0) * 1000.0) as i64,
                j["fieldPath"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let order: Vec<&str> = killing.iter().map(|(_, f)| f.as_str()).collect();
    assert_eq!(
        order,
        vec![
            "spec.containers{app}",
            "spec.initContainers{log-b}",
            "spec.initContainers{log-a}"
        ],
        "{killing:?}"
    );
    // `sleep` ignores SIGTERM: the app is killed at the end of its 10 s, and the sidecars then get
    // only the 2 s minimum that is left.
    assert_eq!(killing[0].0, 30_000);
    assert!(
        killing[1].0 >= 40_000 && killing[1].0 <= 40_200,
        "{killing:?}"
    );
}

/// kubelet-semantics §4.1: the waiting message of PostStartHookError is handlers.go's, with the
/// command, the CRI's exit error and the output (the event itself says only "PostStartHook failed").
#[test]
fn post_start_hook_error_message_names_the_command_and_its_output() {
    let spec = "  containers:\n  - name: c\n    image: nginx:1.27\n    lifecycle:\n      postStart: {exec: {command: [badcommand]}}\n";
    let mut sim = Simulation::new(1);
    let objs: Vec<_> = podplay_api::parse_manifests("pod.yaml", &pod(spec))
        .expect("valid")
        .into_iter()
        .map(|m| m.object)
        .collect();
    sim.ensure_nodes(&objs);
    for o in objs {
        sim.apply_object(o, "pod.yaml").expect("applied");
    }
    let mut seen = None;
    for t in 1..40 {
        sim.run_until(t * 1000);
        let st = sim
            .cl
            .store
            .pods
            .values()
            .next()
            .and_then(|p| p.status.clone())
            .unwrap_or_default();
        if let Some(w) = st
            .container_statuses
            .first()
            .and_then(|c| c.state.waiting.clone())
        {
            if w.reason.as_deref() == Some("PostStartHookError") {
                seen = w.message;
                break;
            }
        }
    }
    let msg = seen.expect("PostStartHookError was shown");
    assert!(
        msg.starts_with(
            "Exec lifecycle hook ([badcommand]) for Container \"c\" in Pod \"p_default("
        ),
        "{msg}"
    );
    assert!(msg.contains(")\" failed - error: command 'badcommand' exited with 126: , message: \"OCI runtime exec failed"), "{msg}");
}
