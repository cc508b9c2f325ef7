//! Property tests of the engine's contract (architecture.md): the same input and seed give the
//! same trace byte for byte, virtual time never runs backwards, and no input — valid pod, broken
//! manifest, or nonsense script line — makes the engine panic.
//!
//! Pods are generated as YAML text and go through `parse_manifests`, exactly like `podplay run`,
//! so every case is a pod a user could have written.

use podplay_api::time::Millis;
use podplay_engine::commands::parse_script;
use podplay_engine::Simulation;
use proptest::prelude::*;
use std::fmt::Write as _;

// ------------------------------------------------------------------ the generator

const IMAGES: &[&str] = &[
    "nginx:1.27",
    "busybox:1.36",
    "registry.k8s.io/busybox:1.27.2",
    "registry.k8s.io/goproxy:0.1",
    "nginx:doesnotexist",
];

#[derive(Debug, Clone)]
enum MainCommand {
    /// The image's own entrypoint.
    ImageDefault,
    /// `sh -c "sleep N; exit K"`.
    SleepThenExit { secs: u32, code: u8 },
    /// The docs' exec-liveness container: healthy for N s, then unhealthy.
    HealthyFor { secs: u32 },
}

#[derive(Debug, Clone)]
enum Handler {
    ExecCatHealthy,
    HttpGetRoot { port: u16 },
    TcpSocket { port: u16 },
}

#[derive(Debug, Clone)]
struct ProbeSpec {
    handler: Handler,
    initial_delay: u32,
    period: u32,
    timeout: u32,
    failure_threshold: u32,
    /// Only used for readiness (liveness requires 1).
    success_threshold: u32,
}

#[derive(Debug, Clone)]
enum Hook {
    ExecWrite,
    ExecFails,
    ExecSleep { secs: u32 },
    HttpGetRoot { port: u16 },
}

#[derive(Debug, Clone)]
struct InitSpec {
    image: &'static str,
    secs: u32,
    code: u8,
}

#[derive(Debug, Clone)]
struct PodCase {
    image: &'static str,
    command: MainCommand,
    restart_policy: Option<&'static str>,
    liveness: Option<ProbeSpec>,
    readiness: Option<ProbeSpec>,
    init: Option<InitSpec>,
    post_start: Option<Hook>,
    pre_stop: Option<Hook>,
    grace: Option<u32>,
    /// A Service selecting the pod, so that readiness reaches an Endpoints object.
    service: bool,
    /// `@Ns kubectl delete pod web`.
    delete_at: Option<u32>,
    /// How long to simulate, in seconds.
    until: u32,
}

fn port() -> impl Strategy<Value = u16> {
    prop_oneof![Just(80u16), Just(8080u16)]
}

fn handler() -> impl Strategy<Value = Handler> {
    prop_oneof![
        Just(Handler::ExecCatHealthy),
        port().prop_map(|port| Handler::HttpGetRoot { port }),
        port().prop_map(|port| Handler::TcpSocket { port }),
    ]
}

fn probe() -> impl Strategy<Value = ProbeSpec> {
    (handler(), 0u32..20, 1u32..15, 1u32..5, 1u32..5, 1u32..3).prop_map(
        |(handler, initial_delay, period, timeout, failure_threshold, success_threshold)| {
            ProbeSpec {
                handler,
                initial_delay,
                period,
                timeout,
                failure_threshold,
                success_threshold,
            }
        },
    )
}

fn hook() -> impl Strategy<Value = Hook> {
    prop_oneof![
        Just(Hook::ExecWrite),
        Just(Hook::ExecFails),
        (0u32..10).prop_map(|secs| Hook::ExecSleep { secs }),
        port().prop_map(|port| Hook::HttpGetRoot { port }),
    ]
}

fn main_command() -> impl Strategy<Value = MainCommand> {
    prop_oneof![
        Just(MainCommand::ImageDefault),
        (0u32..40, 0u8..3).prop_map(|(secs, code)| MainCommand::SleepThenExit { secs, code }),
        (0u32..40).prop_map(|secs| MainCommand::HealthyFor { secs }),
    ]
}

fn init() -> impl Strategy<Value = InitSpec> {
    (
        prop_oneof![Just("busybox:1.36"), Just("registry.k8s.io/busybox:1.27.2")],
        0u32..15,
        prop_oneof![3 => Just(0u8), 1 => Just(1u8)],
    )
        .prop_map(|(image, secs, code)| InitSpec { image, secs, code })
}

fn pod_case() -> impl Strategy<Value = PodCase> {
    (
        (
            prop::sample::select(IMAGES),
            main_command(),
            prop::option::of(prop::sample::select(&["Always", "OnFailure", "Never"][..])),
            prop::option::of(probe()),
            prop::option::of(probe()),
            prop::option::of(init()),
        ),
        (
            prop::option::of(hook()),
            prop::option::of(hook()),
            prop::option::of(0u32..40),
            any::<bool>(),
            prop::option::of(0u32..150),
            30u32..600,
        ),
    )
        .prop_map(
            |(
                (image, command, restart_policy, liveness, readiness, init),
                (post_start, pre_stop, grace, service, delete_at, until),
            )| PodCase {
                image,
                command,
                restart_policy,
                liveness,
                readiness,
                init,
                post_start,
                pre_stop,
                grace,
                service,
                delete_at,
                until,
            },
        )
}

// ------------------------------------------------------------------ YAML text

fn handler_yaml(h: &Handler, indent: &str) -> String {
    match h {
        Handler::ExecCatHealthy => {
            format!("{indent}exec:\n{indent}  command: [\"cat\", \"/tmp/healthy\"]\n")
        }
        Handler::HttpGetRoot { port } => {
            format!("{indent}httpGet:\n{indent}  path: /\n{indent}  port: {port}\n")
        }
        Handler::TcpSocket { port } => format!("{indent}tcpSocket:\n{indent}  port: {port}\n"),
    }
}

fn probe_yaml(field: &str, p: &ProbeSpec, readiness: bool) -> String {
    let mut s = format!("    {field}:\n");
    s.push_str(&handler_yaml(&p.handler, "      "));
    let _ = write!(
        s,
        "      initialDelaySeconds: {}\n      periodSeconds: {}\n      timeoutSeconds: {}\n      failureThreshold: {}\n",
        p.initial_delay, p.period, p.timeout, p.failure_threshold
    );
    if readiness {
        let _ = writeln!(s, "      successThreshold: {}", p.success_threshold);
    }
    s
}

fn hook_yaml(field: &str, h: &Hook) -> String {
    let body = match h {
        Hook::ExecWrite => {
            "        exec:\n          command: [\"sh\", \"-c\", \"echo hook > /tmp/hook\"]\n"
                .to_string()
        }
        Hook::ExecFails => "        exec:\n          command: [\"/bin/false\"]\n".to_string(),
        Hook::ExecSleep { secs } => {
            format!("        exec:\n          command: [\"sh\", \"-c\", \"sleep {secs}\"]\n")
        }
        Hook::HttpGetRoot { port } => {
            format!("        httpGet:\n          path: /\n          port: {port}\n")
        }
    };
    format!("      {field}:\n{body}")
}

const SERVICE: &str = "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: 80\n";

/// The case's pod as a manifest file (with the Service when the case has one).
fn pod_yaml(c: &PodCase) -> String {
    let mut s = pod_doc(c, "web");
    if c.service {
        s.push_str(SERVICE);
    }
    s
}

/// Several cases as pods `web-0`, `web-1`, ... in one file; all carry `app: web`.
fn pods_yaml(cases: &[PodCase]) -> String {
    let mut s = String::new();
    for (i, c) in cases.iter().enumerate() {
        s.push_str("---\n");
        s.push_str(&pod_doc(c, &format!("web-{i}")));
    }
    if cases.iter().any(|c| c.service) {
        s.push_str(SERVICE);
    }
    s
}

fn pod_doc(c: &PodCase, name: &str) -> String {
    let mut s = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  labels:\n    app: web\nspec:\n"
    );
    if let Some(rp) = c.restart_policy {
        let _ = writeln!(s, "  restartPolicy: {rp}");
    }
    if let Some(g) = c.grace {
        let _ = writeln!(s, "  terminationGracePeriodSeconds: {g}");
    }
    if let Some(i) = &c.init {
        let _ = write!(
            s,
            "  initContainers:\n  - name: init\n    image: {}\n    command: [\"sh\", \"-c\", \"sleep {}; exit {}\"]\n",
            i.image, i.secs, i.code
        );
    }
    let _ = write!(s, "  containers:\n  - name: main\n    image: {}\n", c.image);
    match &c.command {
        MainCommand::ImageDefault => {}
        MainCommand::SleepThenExit { secs, code } => {
            let _ = writeln!(
                s,
                "    command: [\"sh\", \"-c\", \"sleep {secs}; exit {code}\"]"
            );
        }
        MainCommand::HealthyFor { secs } => {
            let _ = writeln!(
                s,
                "    command: [\"sh\", \"-c\", \"touch /tmp/healthy; sleep {secs}; rm -f /tmp/healthy; sleep 600\"]"
            );
        }
    }
    s.push_str("    ports:\n    - containerPort: 80\n");
    if let Some(p) = &c.liveness {
        s.push_str(&probe_yaml("livenessProbe", p, false));
    }
    if let Some(p) = &c.readiness {
        s.push_str(&probe_yaml("readinessProbe", p, true));
    }
    if c.post_start.is_some() || c.pre_stop.is_some() {
        s.push_str("    lifecycle:\n");
        if let Some(h) = &c.post_start {
            s.push_str(&hook_yaml("postStart", h));
        }
        if let Some(h) = &c.pre_stop {
            s.push_str(&hook_yaml("preStop", h));
        }
    }
    s
}

fn script_text(c: &PodCase) -> String {
    delete_line(c, "web")
}

fn delete_line(c: &PodCase, name: &str) -> String {
    c.delete_at
        .map(|t| format!("@{t}s kubectl delete pod {name}\n"))
        .unwrap_or_default()
}

fn scripts_text(cases: &[PodCase]) -> String {
    cases
        .iter()
        .enumerate()
        .map(|(i, c)| delete_line(c, &format!("web-{i}")))
        .collect()
}

// ------------------------------------------------------------------ running

/// Parses, applies and runs as `podplay run` does; returns the JSON trace lines and the records'
/// times. Rejected manifests are a generator bug, reported as Err.
fn run(
    yaml: &str,
    script: &str,
    seed: u64,
    until: Millis,
) -> Result<(Vec<String>, Vec<Millis>), String> {
    run_in_steps(yaml, script, seed, &[], until)
}

/// As `run`, but the clock is first advanced to each of `stops` (as the UI's play/pause does).
fn run_in_steps(
    yaml: &str,
    script: &str,
    seed: u64,
    stops: &[Millis],
    until: Millis,
) -> Result<(Vec<String>, Vec<Millis>), String> {
    let manifests = podplay_api::parse_manifests("pod.yaml", yaml).map_err(|d| {
        d.iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    let mut sim = Simulation::new(seed);
    sim.set_script(parse_script(script)?, None);
    let objects: Vec<_> = manifests.into_iter().map(|m| m.object).collect();
    sim.ensure_nodes(&objects);
    for o in objects {
        let _ = sim.apply_object(o, "pod.yaml");
    }
    for t in stops {
        sim.run_until(*t);
    }
    sim.run_until(until);
    let lines = sim
        .trace()
        .iter()
        .map(|r| r.to_json().to_string())
        .collect();
    let times = sim.trace().iter().map(|r| r.t()).collect();
    Ok((lines, times))
}

fn run_case(c: &PodCase, seed: u64) -> Result<(Vec<String>, Vec<Millis>), TestCaseError> {
    let yaml = pod_yaml(c);
    run(&yaml, &script_text(c), seed, Millis::from(c.until) * 1000)
        .map_err(|e| TestCaseError::fail(format!("generated pod rejected:\n{e}\n---\n{yaml}")))
}

fn run_cases(cases: &[PodCase], seed: u64) -> Result<(Vec<String>, Vec<Millis>), TestCaseError> {
    let yaml = pods_yaml(cases);
    let until = cases
        .iter()
        .map(|c| Millis::from(c.until))
        .max()
        .unwrap_or(60)
        * 1000;
    run(&yaml, &scripts_text(cases), seed, until)
        .map_err(|e| TestCaseError::fail(format!("generated pods rejected:\n{e}\n---\n{yaml}")))
}

/// Applies whatever parses and simulates it briefly; the point is only that nothing panics.
fn simulate_if_it_parses(text: &str) {
    if let Ok(ms) = podplay_api::parse_manifests("f.yaml", text) {
        let mut sim = Simulation::new(7);
        let objects: Vec<_> = ms.into_iter().map(|m| m.object).collect();
        sim.ensure_nodes(&objects);
        for o in objects {
            let _ = sim.apply_object(o, "f.yaml");
        }
        sim.run_until(60_000);
    }
}

/// `cases` keeps the suite fast; `PROPTEST_CASES=5000` explores deeper (e.g. in a nightly run).
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        // Failures are reported with the minimal case; persisting them needs a writable source dir.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ------------------------------------------------------------------ properties

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn generated_pods_are_valid_manifests(c in pod_case()) {
        let yaml = pod_yaml(&c);
        let parsed = podplay_api::parse_manifests("pod.yaml", &yaml);
        prop_assert!(parsed.is_ok(), "rejected: {:?}\n{}", parsed.err(), yaml);
    }

    #[test]
    fn same_input_and_seed_give_identical_traces(c in pod_case(), seed in 0u64..1000) {
        let (a, _) = run_case(&c, seed)?;
        let (b, _) = run_case(&c, seed)?;
        prop_assert_eq!(a.len(), b.len());
        for (i, (x, y)) in a.iter().zip(&b).enumerate() {
            prop_assert_eq!(x, y, "trace line {} differs", i + 1);
        }
    }

    /// Several pods share nodes, the scheduler's choices and one Service's endpoints: the
    /// places where an unordered map would leak iteration order into the trace.
    #[test]
    fn several_pods_same_seed_give_identical_traces(
        cases in prop::collection::vec(pod_case(), 2..5),
        seed in 0u64..1000,
    ) {
        let (a, ta) = run_cases(&cases, seed)?;
        let (b, _) = run_cases(&cases, seed)?;
        prop_assert_eq!(a.len(), b.len());
        for (i, (x, y)) in a.iter().zip(&b).enumerate() {
            prop_assert_eq!(x, y, "trace line {} differs", i + 1);
        }
        for w in ta.windows(2) {
            prop_assert!(w[0] <= w[1], "t went from {} to {}", w[0], w[1]);
        }
    }

    /// The UI advances the clock in small steps; the trace must not depend on where it paused.
    #[test]
    fn running_in_steps_gives_the_same_trace_as_one_run(
        c in pod_case(),
        seed in 0u64..1000,
        mut stops in prop::collection::vec(0i64..600_000, 1..8),
    ) {
        let until = Millis::from(c.until) * 1000;
        stops.sort_unstable();
        stops.retain(|t| *t <= until);
        let yaml = pod_yaml(&c);
        let (whole, _) = run(&yaml, &script_text(&c), seed, until).map_err(TestCaseError::fail)?;
        let (stepped, _) = run_in_steps(&yaml, &script_text(&c), seed, &stops, until)
            .map_err(TestCaseError::fail)?;
        prop_assert_eq!(whole.len(), stepped.len(), "stops {:?}", stops);
        for (i, (x, y)) in whole.iter().zip(&stepped).enumerate() {
            prop_assert_eq!(x, y, "trace line {} differs (stops {:?})", i + 1, &stops);
        }
    }

    #[test]
    fn different_seeds_both_complete(c in pod_case(), s1 in 0u64..1000, s2 in 1000u64..2000) {
        let (a, _) = run_case(&c, s1)?;
        let (b, _) = run_case(&c, s2)?;
        // Either may differ (jitter, pod IPs); both must have produced a trace.
        prop_assert!(!a.is_empty() && !b.is_empty());
    }

    #[test]
    fn trace_time_never_goes_backwards_and_stays_within_until(c in pod_case(), seed in 0u64..1000) {
        let (_, times) = run_case(&c, seed)?;
        let until = Millis::from(c.until) * 1000;
        for w in times.windows(2) {
            prop_assert!(w[0] <= w[1], "t went from {} to {}", w[0], w[1]);
        }
        for t in &times {
            prop_assert!(*t >= 0 && *t <= until, "record at t={} outside [0, {}]", t, until);
        }
    }
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,300}") {
        simulate_if_it_parses(&s);
    }

    #[test]
    fn arbitrary_bytes_never_panic(b in prop::collection::vec(any::<u8>(), 0..300)) {
        simulate_if_it_parses(&String::from_utf8_lossy(&b));
    }

    /// Small edits of a valid pod mostly still parse, so they reach the simulation with odd values.
    #[test]
    fn edited_valid_pods_never_panic(
        c in pod_case(),
        edits in prop::collection::vec((0usize..4000, 0usize..3, "[ -~]{0,3}"), 1..4),
    ) {
        let mut s: Vec<char> = pod_yaml(&c).chars().collect();
        for (at, op, text) in edits {
            let at = at % (s.len() + 1);
            match op {
                0 => { s.splice(at..at, text.chars()); }
                1 => { if at < s.len() { s.remove(at); } }
                _ => {
                    let end = (at + text.chars().count()).min(s.len());
                    s.splice(at..end, text.chars());
                }
            }
        }
        simulate_if_it_parses(&s.into_iter().collect::<String>());
    }

    #[test]
    fn arbitrary_script_lines_never_panic(
        c in pod_case(),
        lines in prop::collection::vec(
            (0u32..120, any::<bool>(), prop::collection::vec(script_word(), 0..6)),
            1..5,
        ),
    ) {
        let mut text = String::new();
        for (t, kubectl, words) in &lines {
            let head = if *kubectl { "kubectl" } else { "sim" };
            let _ = writeln!(text, "@{t}s {head} {}", words.join(" "));
        }
        // A script the parser refuses is fine; one it accepts must run.
        if let Ok(script) = parse_script(&text) {
            let manifests = podplay_api::parse_manifests("pod.yaml", &pod_yaml(&c))
                .map_err(|_| TestCaseError::fail("generated pod rejected"))?;
            let mut sim = Simulation::new(3);
            sim.set_script(script, Some(std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))));
            let objects: Vec<_> = manifests.into_iter().map(|m| m.object).collect();
            sim.ensure_nodes(&objects);
            for o in objects {
                let _ = sim.apply_object(o, "pod.yaml");
            }
            sim.run_until(150_000);
        }
    }
}

/// Words a user might type after `kubectl` or `sim`, plus junk. No '/' in the junk, so that no
/// word names a device like /dev/tty that `kubectl apply -f` would block reading.
fn script_word() -> impl Strategy<Value = String> {
    const WORDS: &[&str] = &[
        "get",
        "describe",
        "logs",
        "exec",
        "delete",
        "apply",
        "create",
        "label",
        "version",
        "crash",
        "load",
        "node-down",
        "node-up",
        "pod",
        "pods",
        "po",
        "svc",
        "service",
        "node",
        "nodes",
        "endpoints",
        "ep",
        "web",
        "pod/web",
        "main",
        "init",
        "-c",
        "--container",
        "-n",
        "default",
        "kube-system",
        "-o",
        "wide",
        "yaml",
        "json",
        "name",
        "-w",
        "-f",
        "-p",
        "--previous",
        "--tail=2",
        "--all",
        "-l",
        "app=web",
        "--grace-period=0",
        "--force",
        "--now",
        "--exit-code",
        "--exit-code=137",
        "137",
        "-1",
        "--",
        "sh",
        "-c",
        "cat",
        "/tmp/healthy",
        "curl",
        "-s",
        "localhost",
        "http://localhost/",
        "kill",
        "1",
        "-it",
        "-i",
        "'",
        "\"",
        "\\",
        "x=y",
        "--overwrite",
        "-A",
        "--all-namespaces",
        "missing.yaml",
    ];
    prop_oneof![
        4 => prop::sample::select(WORDS).prop_map(String::from),
        1 => "[a-zA-Z0-9=._:-]{0,8}",
    ]
}
