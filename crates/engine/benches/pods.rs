//! Engine throughput benchmarks.
//!
//! `pods_1000x1h` is the issue's target workload: 1,000 nginx pods, each with an httpGet liveness
//! and readiness probe every 10 s, simulated for one hour of virtual time. Target: ≥ 1M simulated
//! events per second and < 200 MB peak RSS. `scenario_s2` (the S2 exec-liveness pod, 10 minutes)
//! is a small, fast regression bench for the per-task cost of a restarting container.
//!
//! Run: `cargo bench -p podplay-engine --bench pods`. Besides criterion's timings, each bench prints
//! one summary line from a separate timed run, e.g.
//! `pods-1000x1h: N events in X s = Y events/s, peak RSS Z MB`.

mod common;
use common::{mb, nodes_yaml, proc_status_mb};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use podplay_api::time::Millis;
use podplay_engine::Simulation;
use std::time::{Duration, Instant};

const PODS: usize = 1000;
/// 10 nodes × `pods: 200` capacity: every pod fits without pushing any node near its limit.
const NODES: usize = 10;
const HOUR: Millis = 3_600_000;
const PROBE_PERIOD_S: i64 = 10;

/// One nginx pod with httpGet liveness and readiness probes, period 10 s.
fn probed_pod_yaml(i: usize) -> String {
    format!(
        "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web-{i:04}\n  labels:\n    app: web\nspec:\n  containers:\n  - name: nginx\n    image: nginx:1.27\n    ports:\n    - containerPort: 80\n    livenessProbe:\n      httpGet:\n        path: /\n        port: 80\n      periodSeconds: {PROBE_PERIOD_S}\n    readinessProbe:\n      httpGet:\n        path: /\n        port: 80\n      periodSeconds: {PROBE_PERIOD_S}\n"
    )
}

fn pods_1000_yaml() -> String {
    let mut s = nodes_yaml(NODES, 200);
    for i in 0..PODS {
        s.push_str(&probed_pod_yaml(i));
    }
    s
}

/// The S2 golden scenario's pod (golden-pod-scenarios.md S2, docs exec-liveness.yaml).
const S2_POD: &str = r#"apiVersion: v1
kind: Pod
metadata:
  labels:
    test: liveness
  name: liveness-exec
spec:
  containers:
  - name: liveness
    image: registry.k8s.io/busybox:1.27.2
    args:
    - /bin/sh
    - -c
    - touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600
    livenessProbe:
      exec:
        command:
        - cat
        - /tmp/healthy
      initialDelaySeconds: 5
      periodSeconds: 5
"#;

/// Parses and applies `text` as `podplay run` does (nodes first, then every object).
fn build(file: &str, text: &str) -> Simulation {
    let manifests = match podplay_api::parse_manifests(file, text) {
        Ok(m) => m,
        Err(d) => panic!(
            "bench manifest rejected: {}",
            d.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        ),
    };
    let objects: Vec<_> = manifests.into_iter().map(|m| m.object).collect();
    let mut sim = Simulation::new(1);
    sim.ensure_nodes(&objects);
    for o in objects {
        if let Err(e) = sim.apply_object(o, file) {
            panic!("bench apply failed: {e}");
        }
    }
    sim
}

/// "Simulated events": until the engine counts the tasks it processes, the trace records plus an
/// estimate of the probe runs (pods × probes × until/period), which dominate this workload.
/// Simulated events: the tasks the engine ran (probe ticks, pod syncs, timers, scheduling...).
fn simulated_events(sim: &Simulation, _pods: usize, _probes_per_pod: usize, _period_s: i64) -> u64 {
    sim.tasks_processed()
}

/// Pods whose last trace row is `Running` and `1/1`: the bench must measure healthy pods being
/// probed, not pods stuck in Pending.
fn running_ready_pods(sim: &Simulation) -> usize {
    let mut last = std::collections::BTreeMap::new();
    for r in sim.trace() {
        if let podplay_engine::Record::Object {
            kind: "Pod",
            name,
            columns,
            ..
        } = r
        {
            let col = |k: &str| {
                columns
                    .iter()
                    .find(|(c, _)| *c == k)
                    .map(|(_, v)| v.as_str())
            };
            last.insert(
                name.clone(),
                col("STATUS") == Some("Running") && col("READY") == Some("1/1"),
            );
        }
    }
    last.values().filter(|ok| **ok).count()
}

/// One timed run outside criterion, for the summary line (events/s and peak memory).
fn report(label: &str, sim: Simulation, until: Millis, pods: usize, probes: usize, period: i64) {
    let mut sim = sim;
    let rss_before = proc_status_mb("VmRSS:");
    let start = Instant::now();
    sim.run_until(until);
    let secs = start.elapsed().as_secs_f64();
    let events = simulated_events(&sim, pods, probes, period);
    println!(
        "{label}: {events} events in {secs:.3} s = {:.0} events/s, peak RSS {} (RSS before run {}, trace records {}, pods Running 1/1 at end {})",
        events as f64 / secs.max(1e-9),
        mb(proc_status_mb("VmHWM:")),
        mb(rss_before),
        sim.trace().len(),
        running_ready_pods(&sim),
    );
}

fn pods_1000x1h(c: &mut Criterion) {
    let text = pods_1000_yaml();
    // Measured first, so that VmHWM is this workload's peak and not criterion's bookkeeping.
    report(
        "pods-1000x1h",
        build("pods.yaml", &text),
        HOUR,
        PODS,
        2,
        PROBE_PERIOD_S,
    );
    let mut g = c.benchmark_group("engine");
    g.sample_size(10);
    // One iteration is ~12 s here; criterion needs at least 10, so ask for that much time.
    g.measurement_time(Duration::from_secs(120));
    g.warm_up_time(Duration::from_secs(1));
    g.bench_function("pods_1000x1h", |b| {
        b.iter_batched(
            || build("pods.yaml", &text),
            |mut sim| {
                sim.run_until(HOUR);
                sim
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

fn scenario_s2(c: &mut Criterion) {
    const TEN_MIN: Millis = 600_000;
    report(
        "scenario-s2-10m",
        build("pod.yaml", S2_POD),
        TEN_MIN,
        1,
        1,
        5,
    );
    let mut g = c.benchmark_group("engine");
    g.sample_size(20);
    g.measurement_time(Duration::from_secs(10));
    g.bench_function("scenario_s2_10m", |b| {
        b.iter_batched(
            || build("pod.yaml", S2_POD),
            |mut sim| {
                sim.run_until(TEN_MIN);
                sim
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(benches, scenario_s2, pods_1000x1h);
criterion_main!(benches);
