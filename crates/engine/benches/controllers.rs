//! Workload-controller throughput benchmark (issue 4, "Performance").
//!
//! `deployments_10x100_1h`: 10 Deployments × 100 nginx replicas, each pod with an httpGet
//! liveness and readiness probe every 10 s, on 10 nodes with room to spare; a rolling update
//! (`kubectl set image`) of every Deployment at staggered times (5 min + 4 min × i); and an HPA on
//! `web-0` (50% CPU, 100..150 replicas) under `sim load` 0 → medium → high → low → 0 over one
//! hour of virtual time, which it follows up and back down (the summary prints its replica
//! history). Target: the pod benchmark's rate (≥ 1M simulated events/s).
//!
//! Run: `cargo bench -p podplay-engine --bench controllers` (or `cargo xtask bench`). Besides
//! criterion's timings it prints one summary line from a separate timed run:
//! `deployments-10x100-1h: N events in X s = Y events/s, peak RSS Z MB (...)`.

mod common;
use common::{mb, nodes_yaml, proc_status_mb};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use podplay_api::time::Millis;
use podplay_engine::Simulation;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

const DEPLOYMENTS: usize = 10;
const REPLICAS: usize = 100;
const NODES: usize = 10;
const HOUR: Millis = 3_600_000;

/// A Deployment of probed nginx pods (CPU request 100m, so the HPA has a utilization to read).
fn deployment_yaml(i: usize) -> String {
    format!(
        "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-{i}\nspec:\n  replicas: {REPLICAS}\n  selector:\n    matchLabels:\n      app: web-{i}\n  template:\n    metadata:\n      labels:\n        app: web-{i}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n        ports:\n        - containerPort: 80\n        resources:\n          requests:\n            cpu: 100m\n        livenessProbe:\n          httpGet:\n            path: /\n            port: 80\n          periodSeconds: 10\n        readinessProbe:\n          httpGet:\n            path: /\n            port: 80\n          periodSeconds: 10\n"
    )
}

const SERVICE: &str = "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web-0\nspec:\n  selector:\n    app: web-0\n  ports:\n  - port: 80\n";

fn workload_yaml() -> String {
    let mut s = nodes_yaml(NODES, 250);
    for i in 0..DEPLOYMENTS {
        s.push_str(&deployment_yaml(i));
    }
    s.push_str(SERVICE);
    s
}

/// The timed actions: an HPA, load that rises and falls, and one rolling update per Deployment.
///
/// An nginx request costs 2 CPU-milliseconds (the image catalog's default `request_cpu`) and a
/// pod idles at 1m, so a pod serving r requests/s uses 1 + 2r millicores of its 100m request.
/// The load is chosen so the HPA (target 50%) moves through its whole range, not only between
/// its bounds: 3,000 rps over 100 pods is 61% (ceil(100 × 61/50) = 122 replicas, where 3,000
/// rps is ~50% again); 8,000 rps is far above target (max, 150); 2,500 rps over 150 pods is 34%
/// (~102 replicas once the 5-minute downscale stabilization window has passed); 0 rps goes back
/// to the minimum, 100.
fn script() -> String {
    let mut s = String::from(
        "@1m kubectl autoscale deployment web-0 --cpu-percent=50 --min=100 --max=150\n\
         @10m sim load service/web-0 3000\n\
         @20m sim load service/web-0 8000\n\
         @30m sim load service/web-0 2500\n\
         @45m sim load service/web-0 0\n",
    );
    for i in 0..DEPLOYMENTS {
        let _ = writeln!(
            s,
            "@{}m kubectl set image deployment/web-{i} nginx=nginx:1.25",
            5 + 4 * i
        );
    }
    s
}

/// Parses and applies the workload as `podplay run` does, with the script.
fn build() -> Simulation {
    let text = workload_yaml();
    let manifests = match podplay_api::parse_manifests("bench.yaml", &text) {
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
        if let Err(e) = sim.apply_object(o, "bench.yaml") {
            panic!("bench apply failed: {e}");
        }
    }
    match podplay_engine::commands::parse_script(&script()) {
        Ok(lines) => sim.set_script(lines, None),
        Err(e) => panic!("bench script rejected: {e}"),
    }
    sim
}

/// What the run ended with, so a broken workload (pods stuck, rollouts not done) shows up in
/// the summary instead of as a suspiciously fast rate.
fn summary(sim: &mut Simulation) -> String {
    let out = sim
        .run_command("kubectl get deployments")
        .map(|o| o.stdout)
        .unwrap_or_default();
    let rows: Vec<String> = out
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .collect();
    let hpa = sim
        .run_command("kubectl get hpa web-0 --no-headers")
        .map(|o| o.stdout.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    format!(
        "deployments [{}]; hpa [{hpa}]; hpa replicas over time [{}]",
        rows.join(", "),
        hpa_replicas_history(sim)
    )
}

/// The HPA's REPLICAS column each time its row changed (`t:replicas`, deduplicated), so the
/// summary shows whether the autoscaler really scaled up and back down during the hour.
fn hpa_replicas_history(sim: &Simulation) -> String {
    let mut out: Vec<String> = vec![];
    let mut last = String::new();
    for r in sim.trace() {
        if let podplay_engine::trace::Record::Object {
            t, kind, columns, ..
        } = r
        {
            if *kind != "HorizontalPodAutoscaler" {
                continue;
            }
            let replicas = columns
                .iter()
                .find(|(h, _)| *h == "REPLICAS")
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            if replicas != last {
                out.push(format!("{}s:{replicas}", t / 1000));
                last = replicas;
            }
        }
    }
    out.join(" ")
}

/// One timed run outside criterion, for the summary line (events/s and peak memory).
fn report(label: &str, mut sim: Simulation, until: Millis) {
    let rss_before = proc_status_mb("VmRSS:");
    let start = Instant::now();
    sim.run_until(until);
    let secs = start.elapsed().as_secs_f64();
    let events = sim.tasks_processed();
    println!(
        "{label}: {events} events in {secs:.3} s = {:.0} events/s, peak RSS {} (RSS before run {}, trace records {}; {})",
        events as f64 / secs.max(1e-9),
        mb(proc_status_mb("VmHWM:")),
        mb(rss_before),
        sim.trace().len(),
        summary(&mut sim),
    );
}

fn deployments_10x100_1h(c: &mut Criterion) {
    // Measured first, so that VmHWM is this workload's peak and not criterion's bookkeeping.
    report("deployments-10x100-1h", build(), HOUR);
    let mut g = c.benchmark_group("controllers");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(120));
    g.warm_up_time(Duration::from_secs(1));
    g.bench_function("deployments_10x100_1h", |b| {
        b.iter_batched(
            build,
            |mut sim| {
                sim.run_until(HOUR);
                sim
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, deployments_10x100_1h);
criterion_main!(benches);
