//! Part B vectors of golden-controller-scenarios.md for Deployments and ReplicaSets, each test
//! named after the upstream test it reproduces (B1, B2, B3, B4, B11).

use podplay_api::time::Millis;
use podplay_api::types::{
    ContainerStatus, ObjectMeta, Pod, PodCondition, PodSpec, PodStatus, Time,
};
use podplay_engine::controllers::pod_ranking::less;
use podplay_engine::controllers::rollout_math::*;
use serde_json::{json, Value};

fn pct(s: &str) -> Value {
    json!(s)
}

// ---------------------------------------------------------------- B11

/// B11 intstr_test.go TestGetIntFromIntOrPercent / GetScaledValueFromIntOrPercent.
#[test]
fn test_get_int_from_int_or_percent() {
    assert_eq!(scaled_value(&json!(123), 0, false), Ok(123));
    assert_eq!(scaled_value(&pct("90%"), 100, true), Ok(90));
    assert_eq!(scaled_value(&pct("90%"), 95, true), Ok(86));
    assert_eq!(scaled_value(&pct("90%"), 95, false), Ok(85));
    for bad in ["%", "90#", "#%", "90"] {
        assert!(scaled_value(&pct(bad), 100, true).is_err(), "{bad}");
    }
}

// ---------------------------------------------------------------- B1

/// B1 deployment_util_test.go TestResolveFenceposts.
#[test]
fn test_resolve_fenceposts() {
    type Case<'a> = (Option<&'a str>, Option<&'a str>, i64, i64, i64, bool);
    let cases: [Case; 7] = [
        (Some("0%"), Some("0%"), 0, 0, 1, false),
        (Some("39%"), Some("39%"), 10, 4, 3, false),
        (Some("oops"), Some("39%"), 10, 0, 0, true),
        (Some("55%"), Some("urg"), 10, 0, 0, true),
        (None, Some("39%"), 10, 0, 3, false),
        (Some("39%"), None, 10, 4, 0, false),
        (None, None, 10, 0, 1, false),
    ];
    for (s, u, desired, surge, unavail, err) in cases {
        let (sv, uv) = (s.map(pct), u.map(pct));
        let got = resolve_fenceposts(sv.as_ref(), uv.as_ref(), desired);
        if err {
            assert!(got.is_err(), "{s:?} {u:?}");
        } else {
            assert_eq!(got, Ok((surge, unavail)), "{s:?} {u:?}");
        }
    }
}

/// B1 TestNewRSNewReplicas: allRSs holds only rs5 (5 replicas); maxUnavailable 1.
#[test]
fn test_new_rs_new_replicas() {
    let s = |surge: i64| Strategy::rolling(json!(surge), json!(1));
    assert_eq!(new_rs_new_replicas(&s(1), 1, 5, 5), 5);
    assert_eq!(new_rs_new_replicas(&s(10), 6, 5, 2), 6);
    assert_eq!(new_rs_new_replicas(&Strategy::recreate(), 3, 5, 1), 3);
}

/// B1 TestMaxUnavailable (maxSurge 1).
#[test]
fn test_max_unavailable() {
    let s = |u: Value| Strategy::rolling(json!(1), u);
    assert_eq!(max_unavailable(&s(json!(5)), 10), 5);
    assert_eq!(max_unavailable(&s(json!(10)), 10), 10);
    assert_eq!(max_unavailable(&s(json!(10)), 5), 5);
    assert_eq!(max_unavailable(&s(json!(10)), 0), 0);
    assert_eq!(max_unavailable(&Strategy::recreate(), 10), 0);
    assert_eq!(max_unavailable(&s(pct("50%")), 10), 5);
    assert_eq!(max_unavailable(&s(pct("100%")), 10), 10);
    assert_eq!(max_unavailable(&s(pct("100%")), 5), 5);
}

fn counts(replicas: i64, updated: i64, ready: i64, available: i64) -> Counts {
    Counts {
        replicas,
        updated,
        ready,
        available,
        observed_generation: 1,
    }
}

/// B1 TestDeploymentComplete `(desired, current, updated, available, maxUnavailable, maxSurge)`.
#[test]
fn test_deployment_complete() {
    let cases = [
        ((5, 5, 5, 4), false),
        ((5, 5, 5, 3), false),
        ((5, 5, 5, 5), true),
        ((5, 5, 4, 5), false),
        ((1, 2, 1, 1), false),
        ((1, 1, 1, 0), false),
    ];
    for ((desired, current, updated, available), want) in cases {
        let st = counts(current, updated, 0, available);
        assert_eq!(
            deployment_complete(desired, 1, &st),
            want,
            "{desired} {current} {updated} {available}"
        );
    }
}

/// B1 TestDeploymentProgressing `old(current,updated,ready,available) → new(...)`.
#[test]
fn test_deployment_progressing() {
    let cases = [
        ((10, 4, 4, 4), (10, 6, 4, 4), true),
        ((10, 4, 4, 4), (10, 4, 4, 4), false),
        ((10, 4, 6, 6), (8, 4, 6, 6), true),
        ((10, 7, 3, 3), (10, 6, 3, 3), false),
        ((10, 4, 7, 7), (8, 8, 5, 5), true),
        ((10, 10, 9, 8), (10, 10, 10, 8), true),
        ((10, 10, 10, 9), (10, 10, 10, 10), true),
    ];
    for (o, n, want) in cases {
        let old = counts(o.0, o.1, o.2, o.3);
        let new = counts(n.0, n.1, n.2, n.3);
        assert_eq!(deployment_progressing(&old, &new), want, "{o:?} -> {n:?}");
    }
}

/// B1 TestDeploymentTimedOut (lastUpdateTime 00:01:09 unless noted, now 00:01:20).
#[test]
fn test_deployment_timed_out() {
    let s = |x: i64| x * 1000;
    let (last, now) = (s(69), s(80));
    assert!(!deployment_timed_out(
        None,
        Some("ReplicaSetUpdated"),
        last,
        now
    ));
    assert!(!deployment_timed_out(
        Some(i32::MAX as i64),
        Some("ReplicaSetUpdated"),
        last,
        now
    ));
    assert!(deployment_timed_out(
        Some(10),
        Some("ReplicaSetUpdated"),
        last,
        now
    ));
    assert!(!deployment_timed_out(
        Some(10),
        Some("ReplicaSetUpdated"),
        s(71),
        now
    ));
    assert!(!deployment_timed_out(
        Some(10),
        Some("NewReplicaSetAvailable"),
        last,
        now
    ));
}

// ---------------------------------------------------------------- B2

/// B2 rolling_test.go TestDeploymentController_reconcileNewReplicaSet (maxUnavailable 0).
#[test]
fn test_deployment_controller_reconcile_new_replica_set() {
    let cases = [
        ((10, 0, 10, 0), None),
        ((10, 2, 10, 0), Some(2)),
        ((10, 2, 5, 0), Some(7)),
        ((10, 2, 10, 2), None),
        ((10, 2, 2, 11), Some(10)),
    ];
    for ((replicas, surge, old, new), want) in cases {
        let s = Strategy::rolling(json!(surge), json!(0));
        assert_eq!(
            reconcile_new_replica_set(&s, replicas, old + new, new),
            want,
            "{replicas} {surge} {old} {new}"
        );
    }
}

fn rs(name: &str, replicas: i64, available: i64, created: Millis) -> RsView {
    RsView {
        name: name.into(),
        replicas,
        available,
        created,
        ..Default::default()
    }
}

/// B2 TestDeploymentController_reconcileOldReplicaSets (maxSurge 0).
#[test]
fn test_deployment_controller_reconcile_old_replica_sets() {
    let cases = [
        ((10, 0, 10, 0, 10, 0), Some(9)),
        ((10, 2, 10, 0, 10, 0), Some(8)),
        ((10, 2, 10, 0, 8, 0), Some(8)),
        ((10, 2, 10, 0, 9, 0), Some(8)),
        ((10, 2, 8, 2, 8, 0), None),
    ];
    for ((replicas, unavail, old_r, new_r, old_a, new_a), want) in cases {
        let s = Strategy::rolling(json!(0), json!(unavail));
        let mut old = vec![rs("old", old_r, old_a, 0)];
        let new = rs("new", new_r, new_a, 1);
        let ops = reconcile_old_replica_sets(&s, replicas, &mut old, Some(&new));
        let got = (!ops.is_empty()).then_some(old[0].replicas);
        assert_eq!(
            got, want,
            "{replicas} {unavail} {old_r} {new_r} {old_a} {new_a}"
        );
    }
}

/// B2 TestDeploymentController_cleanupUnhealthyReplicas (old 10, ready 8).
#[test]
fn test_deployment_controller_cleanup_unhealthy_replicas() {
    for (ready, max, want) in [(8, 1, 1), (8, 3, 2), (8, 0, 0), (10, 3, 0)] {
        let mut old = vec![rs("old", 10, ready, 0)];
        let ops = cleanup_unhealthy_replicas(&mut old, max);
        let cleaned: i64 = ops.iter().map(|o| o.from - o.to).sum();
        assert_eq!(cleaned, want, "ready {ready} max {max}");
    }
}

/// B2 TestDeploymentController_scaleDownOldReplicaSetsForRollingUpdate (replicas 10).
#[test]
fn test_deployment_controller_scale_down_old_replica_sets_for_rolling_update() {
    let cases = [
        ((0, 10, 10), Some(9)),
        ((2, 10, 10), Some(8)),
        ((2, 8, 10), None),
        ((2, 10, 0), None),
        ((2, 1, 10), None),
    ];
    for ((unavail, ready, old_r), want) in cases {
        let s = Strategy::rolling(json!(0), json!(unavail));
        let mut old = vec![rs("old", old_r, ready, 0)];
        let ops = scale_down_old_replica_sets_for_rolling_update(&s, 10, &mut old, 0);
        let got = (!ops.is_empty()).then_some(old[0].replicas);
        assert_eq!(got, want, "{unavail} {ready} {old_r}");
    }
}

// ---------------------------------------------------------------- B3

/// B3 sync_test.go TestScale: the annotations come from the old size (max-replicas = old +
/// surge); the helper's strategy is maxSurge 0 / maxUnavailable 0 unless noted.
#[test]
fn test_scale() {
    struct Case {
        name: &'static str,
        old: i64,
        new: i64,
        surge: i64,
        new_rs: Option<i64>,
        old_rs: Vec<i64>,
        want_new: Option<i64>,
        want_old: Vec<i64>,
    }
    let c = |name, old, new, surge, new_rs, old_rs: Vec<i64>, want_new, want_old: Vec<i64>| Case {
        name,
        old,
        new,
        surge,
        new_rs,
        old_rs,
        want_new,
        want_old,
    };
    let cases = vec![
        c(
            "normal scaling event: 10 -> 12",
            10,
            12,
            0,
            Some(10),
            vec![],
            Some(12),
            vec![],
        ),
        c(
            "normal scaling event: 10 -> 5",
            10,
            5,
            0,
            Some(10),
            vec![],
            Some(5),
            vec![],
        ),
        c(
            "proportional scaling: 5 -> 10",
            5,
            10,
            0,
            Some(2),
            vec![3],
            Some(4),
            vec![6],
        ),
        c(
            "proportional scaling: 5 -> 3",
            5,
            3,
            0,
            Some(2),
            vec![3],
            Some(1),
            vec![2],
        ),
        c(
            "proportional scaling: 9 -> 4",
            9,
            4,
            0,
            Some(8),
            vec![1],
            Some(4),
            vec![0],
        ),
        c(
            "proportional scaling: 7 -> 10",
            7,
            10,
            0,
            Some(2),
            vec![3, 2],
            Some(3),
            vec![4, 3],
        ),
        c(
            "proportional scaling: 13 -> 8",
            13,
            8,
            0,
            Some(2),
            vec![8, 3],
            Some(1),
            vec![5, 2],
        ),
        c(
            "leftover distribution: 3 -> 4",
            3,
            4,
            0,
            Some(1),
            vec![1, 1],
            Some(2),
            vec![1, 1],
        ),
        c(
            "leftover distribution: 3 -> 2",
            3,
            2,
            0,
            Some(1),
            vec![1, 1],
            Some(1),
            vec![1, 0],
        ),
        c(
            "no new replica set",
            4,
            5,
            0,
            None,
            vec![2, 2],
            None,
            vec![3, 2],
        ),
        c("to zero", 6, 0, 0, Some(3), vec![2, 1], Some(0), vec![0, 0]),
        c(
            "from zero",
            6,
            6,
            0,
            Some(0),
            vec![0, 0],
            Some(6),
            vec![0, 0],
        ),
        c(
            "scaling with surge: 10 -> 20",
            10,
            20,
            2,
            Some(6),
            vec![6],
            Some(11),
            vec![11],
        ),
        c(
            "change both surge (3 -> 6) and size (10 -> 50)",
            10,
            50,
            6,
            Some(5),
            vec![8],
            Some(22),
            vec![34],
        ),
        c(
            "template and size change: 10 -> 14",
            10,
            14,
            0,
            None,
            vec![7, 3],
            None,
            vec![10, 4],
        ),
    ];
    for case in cases {
        // Old RSs are listed newest first (v2, v1); the new RS is the newest of all.
        let strategy = Strategy::rolling(json!(case.surge), json!(0));
        // The RSs were annotated by the old Deployment (surge 3 in the surge-change case).
        let old_surge = if case.surge == 6 { 3 } else { case.surge };
        let max_before = case.old + old_surge;
        let mk = |name: String, r: i64, created: Millis| RsView {
            name,
            replicas: r,
            available: r,
            created,
            desired_annotation: Some(case.old),
            max_annotation: Some(max_before),
        };
        let n_old = case.old_rs.len() as i64;
        let old: Vec<RsView> = case
            .old_rs
            .iter()
            .enumerate()
            .map(|(i, r)| {
                mk(
                    format!("v{}", n_old - i as i64),
                    *r,
                    (n_old - i as i64) * 1000,
                )
            })
            .collect();
        let new = case.new_rs.map(|r| mk("new".into(), r, 100_000));
        let sizes = proportional_scale(&strategy, case.new, case.old, new.as_ref(), &old);
        let size_of = |name: &str, before: i64| {
            sizes
                .iter()
                .find(|(n, _)| n == name)
                .map_or(before, |(_, s)| *s)
        };
        if let (Some(want), Some(n)) = (case.want_new, new.as_ref()) {
            assert_eq!(size_of("new", n.replicas), want, "{}: new", case.name);
        }
        for (i, want) in case.want_old.iter().enumerate() {
            assert_eq!(
                size_of(&old[i].name, old[i].replicas),
                *want,
                "{}: old[{i}]",
                case.name
            );
        }
    }
}

/// B3 "saturated but broken new replica set does not affect old pods" (surge 1, unavailable 1).
#[test]
fn test_scale_saturated_broken_new_replica_set_keeps_old_pods() {
    let s = Strategy::rolling(json!(1), json!(1));
    let new = RsView {
        name: "v2".into(),
        replicas: 2,
        available: 0,
        created: 2000,
        desired_annotation: Some(2),
        max_annotation: Some(3),
    };
    let old = vec![RsView {
        name: "v1".into(),
        replicas: 1,
        available: 1,
        created: 1000,
        desired_annotation: Some(2),
        max_annotation: Some(3),
    }];
    let sizes = proportional_scale(&s, 2, 3, Some(&new), &old);
    assert!(
        sizes
            .iter()
            .all(|(n, s)| (n == "v1" && *s == 1) || (n == "v2" && *s == 2)),
        "{sizes:?}"
    );
}

// ---------------------------------------------------------------- B4

const NOW: Millis = 10 * 3_600_000;

fn pod(
    node: &str,
    phase: &str,
    ready_since: Option<Millis>,
    restarts: i32,
    created: Millis,
) -> Pod {
    let mut conditions = vec![];
    if let Some(t) = ready_since {
        conditions.push(PodCondition {
            type_: "Ready".into(),
            status: "True".into(),
            last_transition_time: (t >= 0).then_some(Time(t)),
            ..Default::default()
        });
    }
    Pod {
        metadata: ObjectMeta {
            creation_timestamp: Some(Time(created)),
            ..Default::default()
        },
        spec: PodSpec {
            node_name: (!node.is_empty()).then(|| node.to_string()),
            ..Default::default()
        },
        status: Some(PodStatus {
            phase: Some(phase.into()),
            conditions,
            container_statuses: vec![ContainerStatus {
                restart_count: restarts,
                ..Default::default()
            }],
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// B4 controller_utils_test.go TestSortingActivePodsWithRanks: `lesser(rank) < greater(rank)`.
#[test]
fn test_sorting_active_pods_with_ranks() {
    let then = NOW - 3_600_000;
    let unscheduled = pod("", "Pending", None, 0, then);
    let scheduled_pending = pod("node", "Pending", None, 0, then);
    let unknown_phase = pod("node", "Unknown", None, 0, then);
    let running_not_ready = pod("node", "Running", None, 0, then);
    let ready_no_ltt = pod("node", "Running", Some(-1), 0, then);
    let ready_now = pod("node", "Running", Some(NOW), 0, then);
    let ready_then = pod("node", "Running", Some(then), 0, then);
    let ready_now_high_restarts = pod("node", "Running", Some(NOW), 9001, then);
    let ready_now_created_then = pod("node", "Running", Some(NOW), 0, then - 3_600_000 * 3);
    let ready_now_created_now = pod("node", "Running", Some(NOW), 0, then);
    let mut low_cost = ready_now.clone();
    low_cost.metadata.annotations.insert(
        "controller.kubernetes.io/pod-deletion-cost".into(),
        "10".into(),
    );
    let mut high_cost = ready_now.clone();
    high_cost.metadata.annotations.insert(
        "controller.kubernetes.io/pod-deletion-cost".into(),
        "100".into(),
    );
    let ready_2h = pod("node", "Running", Some(NOW - 2 * 3_600_000), 0, then);
    let ready_5h = pod("node", "Running", Some(NOW - 5 * 3_600_000), 0, then);
    let cases: Vec<(&Pod, usize, &Pod, usize)> = vec![
        (&unscheduled, 1, &scheduled_pending, 2),
        (&unscheduled, 2, &scheduled_pending, 1),
        (&scheduled_pending, 1, &unknown_phase, 2),
        (&unknown_phase, 1, &running_not_ready, 2),
        (&running_not_ready, 1, &ready_no_ltt, 1),
        (&ready_no_ltt, 1, &ready_now, 1),
        (&ready_now, 2, &ready_no_ltt, 1),
        (&ready_now, 1, &ready_then, 1),
        (&ready_now, 2, &ready_then, 1),
        (&ready_now_high_restarts, 1, &ready_now, 1),
        (&ready_now, 2, &ready_now_high_restarts, 1),
        (&ready_now_created_now, 1, &ready_now_created_then, 1),
        (&ready_now_created_then, 2, &ready_now, 1),
        (&low_cost, 2, &high_cost, 1),
        (&ready_2h, 1, &ready_5h, 1),
    ];
    for (i, (a, ra, b, rb)) in cases.iter().enumerate() {
        assert!(less(a, *ra, b, *rb, NOW), "case {i}: lesser is not less");
        assert!(!less(b, *rb, a, *ra, NOW), "case {i}: greater is less");
    }
    // Equal under the log scale: neither goes first.
    let unscheduled_5h = pod("", "Pending", None, 0, NOW - 5 * 3_600_000);
    let unscheduled_8h = pod("", "Pending", None, 0, NOW - 8 * 3_600_000);
    let ready_8h = pod("node", "Running", Some(NOW - 8 * 3_600_000), 0, then);
    for (a, b) in [(&unscheduled_5h, &unscheduled_8h), (&ready_5h, &ready_8h)] {
        assert!(!less(a, 1, b, 1, NOW) && !less(b, 1, a, 1, NOW));
    }
}
