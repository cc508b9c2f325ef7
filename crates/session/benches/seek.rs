//! Seeking in a long session (the playground's timeline): 50 pods with probes simulated for an
//! hour, then seeks back and forth. Issue 3's budget: any seek ≤ 50 ms (in the browser; this is the
//! native figure, the browser one is `cargo xtask bench-web`).

use criterion::{criterion_group, criterion_main, Criterion};
use podplay_api::time::{MINUTE, SECOND};
use podplay_session::Session;

const FIFTY: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: fifty
spec:
  replicas: 50
  selector:
    matchLabels: {app: fifty}
  template:
    metadata:
      labels: {app: fifty}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        readinessProbe:
          httpGet: {path: /, port: 80}
          periodSeconds: 10
        livenessProbe:
          httpGet: {path: /, port: 80}
          periodSeconds: 10
";

fn an_hour_of_fifty_pods() -> Session {
    let mut s = Session::new(1);
    s.apply(FIFTY).expect("valid");
    s.advance(60 * MINUTE, u64::MAX);
    s
}

fn seek(c: &mut Criterion) {
    let mut s = an_hour_of_fifty_pods();
    let targets = [
        0,
        30 * MINUTE,
        10 * MINUTE,
        59 * MINUTE,
        MINUTE,
        60 * MINUTE,
        45 * MINUTE + 10 * SECOND,
    ];
    let mut i = 0;
    c.bench_function("seek_50_pods_1h", |b| {
        b.iter(|| {
            i = (i + 1) % targets.len();
            s.seek(targets[i]);
            s.view()
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = seek
}
criterion_main!(benches);
