//! What the playground's workload pictures read from `ClusterView::workloads[..].detail`: a
//! Deployment's rollout budget as the controller resolves it, a Job's counts and its back-off, a
//! CronJob's schedule and next run.

use podplay_api::time::{Millis, SECOND};
use podplay_engine::commands::parse_script;
use podplay_session::view::{WorkloadDetail, WorkloadView};
use podplay_session::Session;

fn session(manifests: &str, script: &str) -> Session {
    let mut s = Session::new(1);
    let script = parse_script(script).expect("script parses");
    s.load(manifests, &script).expect("manifests are valid");
    s
}

fn workload(s: &Session, kind: &str, name: &str) -> WorkloadView {
    s.view()
        .workloads
        .into_iter()
        .find(|w| w.kind == kind && w.name == name)
        .unwrap_or_else(|| panic!("{kind}/{name} in the view"))
}

const DEPLOY: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 10
  selector:
    matchLabels: {app: web}
  strategy:
    rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
";

#[test]
fn rollout_budget_resolves_fenceposts_surge_up_unavailable_down() {
    // ResolveFenceposts: 25% of 10 = 2.5 → surge 3 (round up), unavailable 2 (round down).
    let s = session(DEPLOY, "");
    let w = workload(&s, "Deployment", "web");
    assert_eq!(
        w.detail,
        Some(WorkloadDetail::Rollout {
            replicas: 10,
            strategy: "RollingUpdate".into(),
            max_surge: 3,
            max_unavailable: 2,
        })
    );
}

#[test]
fn rollout_budget_zero_zero_becomes_zero_one() {
    let text = DEPLOY.replace(
        "{maxSurge: 25%, maxUnavailable: 25%}",
        "{maxSurge: 0, maxUnavailable: 0}",
    );
    // The apiserver refuses 0/0 (validation), so the rule is only reachable with a percentage
    // that rounds down to 0: maxSurge 0, maxUnavailable 5% of 10 = 0.5 → 0 → 0/1.
    let text = text.replace("maxUnavailable: 0}", "maxUnavailable: 5%}");
    let s = session(&text, "");
    match workload(&s, "Deployment", "web").detail {
        Some(WorkloadDetail::Rollout {
            max_surge,
            max_unavailable,
            ..
        }) => assert_eq!((max_surge, max_unavailable), (0, 1)),
        other => panic!("not a rollout: {other:?}"),
    }
}

#[test]
fn recreate_has_no_budget() {
    let text = DEPLOY.replace(
        "rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}",
        "type: Recreate",
    );
    let s = session(&text, "");
    match workload(&s, "Deployment", "web").detail {
        Some(WorkloadDetail::Rollout {
            strategy,
            max_surge,
            max_unavailable,
            ..
        }) => assert_eq!(
            (strategy.as_str(), max_surge, max_unavailable),
            ("Recreate", 0, 0)
        ),
        other => panic!("not a rollout: {other:?}"),
    }
}

const FAILING_JOB: &str = "apiVersion: batch/v1
kind: Job
metadata:
  name: fail
spec:
  completions: 3
  backoffLimit: 4
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: c
        image: busybox
        command: [sh, -c, 'exit 1']
";

#[test]
fn job_detail_counts_failures_and_shows_the_pod_failure_backoff() {
    // controllers-semantics §4.3: a replacement waits 10 s · 2^(n-1) after the last failure.
    let mut s = session(FAILING_JOB, "");
    let mut saw_backoff: Option<Millis> = None;
    let mut t = 0;
    while t < 60 * SECOND && saw_backoff.is_none() {
        t += SECOND;
        s.advance(t, u64::MAX);
        if let Some(WorkloadDetail::Job {
            backoff_until: Some(until),
            failed,
            ..
        }) = workload(&s, "Job", "fail").detail
        {
            assert!(failed >= 1, "a back-off follows a failure");
            saw_backoff = Some(until);
        }
    }
    let until = saw_backoff.expect("the Job waits out a back-off in its first minute");
    assert!(
        until > s.now() && until <= s.now() + 10 * SECOND,
        "{until} vs {}",
        s.now()
    );
    match workload(&s, "Job", "fail").detail {
        Some(WorkloadDetail::Job {
            completions,
            parallelism,
            backoff_limit,
            succeeded,
            finished,
            ..
        }) => {
            assert_eq!((completions, parallelism, backoff_limit), (Some(3), 1, 4));
            assert_eq!((succeeded, finished), (0, None));
        }
        other => panic!("not a job: {other:?}"),
    }
}

const CRONJOB: &str = "apiVersion: batch/v1
kind: CronJob
metadata:
  name: tick
spec:
  schedule: '*/5 * * * *'
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: c
            image: busybox
            command: [sh, -c, 'sleep 5']
";

#[test]
fn cronjob_next_run_is_the_next_schedule_time_after_now() {
    // The virtual epoch (2024-06-01T12:00:00Z) is on a 5-minute boundary, so the next run of
    // */5 is at 5m, then 10m; the last schedule time is set once the first Job was created.
    let mut s = session(CRONJOB, "");
    s.advance(10 * SECOND, u64::MAX);
    match workload(&s, "CronJob", "tick").detail {
        Some(WorkloadDetail::CronJob {
            schedule,
            next_run,
            last_schedule,
            suspend,
            concurrency_policy,
            ..
        }) => {
            assert_eq!(schedule, "*/5 * * * *");
            assert_eq!(next_run, Some(5 * 60 * SECOND));
            assert_eq!(last_schedule, None);
            assert!(!suspend);
            assert_eq!(concurrency_policy, "Allow");
        }
        other => panic!("not a cronjob: {other:?}"),
    }
    s.advance(6 * 60 * SECOND, u64::MAX);
    let w = workload(&s, "CronJob", "tick");
    match &w.detail {
        Some(WorkloadDetail::CronJob {
            next_run,
            last_schedule,
            ..
        }) => {
            assert_eq!(*next_run, Some(10 * 60 * SECOND));
            assert_eq!(*last_schedule, Some(5 * 60 * SECOND));
        }
        other => panic!("not a cronjob: {other:?}"),
    }
    assert!(w.owned.iter().any(|(k, _)| k == "Job"), "{:?}", w.owned);
}
