//! The HPA's replica math for Resource metrics (replica_calculator.go `GetResourceReplicas`,
//! `groupPods`, `calculatePodRequests`; metrics/utilization.go `GetResourceUtilizationRatio`),
//! controllers-semantics §6.3. Pure: pods and samples in, a proposal out.

use podplay_api::time::Millis;
use std::collections::BTreeMap;

/// `--horizontal-pod-autoscaler-cpu-initialization-period`.
pub const CPU_INITIALIZATION_PERIOD: Millis = 5 * 60 * 1000;
/// `--horizontal-pod-autoscaler-initial-readiness-delay`.
pub const DELAY_OF_INITIAL_READINESS_STATUS: Millis = 30 * 1000;
/// `--horizontal-pod-autoscaler-tolerance`.
pub const TOLERANCE: f64 = 0.1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Pending,
    Running,
    Succeeded,
    Failed,
}

/// What the calculator needs of a pod the HPA's selector matched.
#[derive(Debug, Clone, PartialEq)]
pub struct PodInfo {
    pub name: String,
    pub phase: Phase,
    pub deleting: bool,
    pub start_time: Option<Millis>,
    /// The Ready condition: (status is True, lastTransitionTime). None: no Ready condition.
    pub ready: Option<(bool, Millis)>,
    /// Σ of the containers' requests for the resource (milli-units); None when a container
    /// requests none (the name of the first such container).
    pub request: Result<i64, String>,
}

/// A metrics-server sample: milli-units (millicores, or milli-bytes as the API's MilliValue).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub value: i64,
    pub timestamp: Millis,
    pub window: Millis,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub replicas: i32,
    /// Integer utilization (% of request) over the pods that counted.
    pub utilization: i32,
    /// Average raw value (milli-units) over those pods.
    pub raw_average: i64,
}

fn is_within(ratio: f64) -> bool {
    (1.0 - ratio).abs() <= TOLERANCE
}

/// `groupPods`: (ready pod count, unready, missing, ignored) pod names.
pub fn group_pods(
    pods: &[PodInfo],
    metrics: &BTreeMap<String, Sample>,
    cpu: bool,
    now: Millis,
) -> (usize, Vec<String>, Vec<String>, Vec<String>) {
    let (mut ready, mut unready, mut missing, mut ignored) = (0, vec![], vec![], vec![]);
    for p in pods {
        if p.deleting || p.phase == Phase::Failed {
            ignored.push(p.name.clone());
            continue;
        }
        if p.phase == Phase::Pending {
            unready.push(p.name.clone());
            continue;
        }
        let Some(m) = metrics.get(&p.name) else {
            missing.push(p.name.clone());
            continue;
        };
        if cpu {
            let is_unready = match (p.ready, p.start_time) {
                (Some((status, transition)), Some(start)) => {
                    if start + CPU_INITIALIZATION_PERIOD > now {
                        // Still initialising: ignore an unready pod, or a sample that does not
                        // cover a whole window since the last readiness change.
                        !status || m.timestamp < transition + m.window
                    } else {
                        // Ignore a pod that is unready and has never been ready.
                        !status && start + DELAY_OF_INITIAL_READINESS_STATUS > transition
                    }
                }
                _ => true,
            };
            if is_unready {
                unready.push(p.name.clone());
                continue;
            }
        }
        ready += 1;
    }
    (ready, unready, missing, ignored)
}

/// `GetResourceUtilizationRatio`: (ratio, utilization, raw average).
pub fn utilization_ratio(
    metrics: &BTreeMap<String, i64>,
    requests: &BTreeMap<String, i64>,
    target: i32,
) -> Result<(f64, i32, i64), String> {
    let (mut total, mut req, mut n) = (0i64, 0i64, 0i64);
    for (pod, v) in metrics {
        let Some(r) = requests.get(pod) else {
            continue;
        };
        total = total.saturating_add(*v);
        req = req.saturating_add(*r);
        n += 1;
    }
    if req == 0 || n == 0 {
        return Err("no metrics returned matched known pods".into());
    }
    let utilization = (total.saturating_mul(100) / req).clamp(0, i32::MAX as i64) as i32;
    let ratio = f64::from(utilization) / f64::from(target.max(1));
    Ok((ratio, utilization, total / n))
}

/// `GetResourceReplicas` for a `targetUtilization` (percent of request).
pub fn resource_replicas(
    current: i32,
    target: i32,
    resource: &str,
    pods: &[PodInfo],
    samples: &BTreeMap<String, Sample>,
    now: Millis,
) -> Result<Proposal, String> {
    if samples.is_empty() {
        return Err(format!(
            "unable to get metrics for resource {resource}: no metrics returned from resource metrics API"
        ));
    }
    if pods.is_empty() {
        return Err("no pods returned by selector while calculating replica count".into());
    }
    let (ready_count, unready, missing, ignored) =
        group_pods(pods, samples, resource == "cpu", now);
    let mut metrics: BTreeMap<String, i64> = samples
        .iter()
        .filter(|(n, _)| !ignored.contains(n) && !unready.contains(n))
        .map(|(n, s)| (n.clone(), s.value))
        .collect();
    if metrics.is_empty() {
        return Err("did not receive metrics for any ready pods".into());
    }
    let mut requests = BTreeMap::new();
    for p in pods {
        match &p.request {
            Ok(r) => {
                requests.insert(p.name.clone(), *r);
            }
            Err(container) => {
                return Err(format!(
                    "missing request for {resource} in container {container} of Pod {}",
                    p.name
                ))
            }
        }
    }
    let (ratio, utilization, raw_average) = utilization_ratio(&metrics, &requests, target)?;
    let keep = |replicas| Proposal {
        replicas,
        utilization,
        raw_average,
    };
    let scale_up_with_unready = !unready.is_empty() && ratio > 1.0;
    if !scale_up_with_unready && missing.is_empty() {
        if is_within(ratio) {
            return Ok(keep(current));
        }
        return Ok(keep((ratio * ready_count as f64).ceil() as i32));
    }
    if !missing.is_empty() {
        if ratio < 1.0 {
            // On a scale-down, missing pods are taken to use exactly their request (or target).
            let fallback = i64::from(target.max(100));
            for p in &missing {
                let r = requests.get(p).copied().unwrap_or(0);
                metrics.insert(p.clone(), r * fallback / 100);
            }
        } else if ratio > 1.0 {
            for p in &missing {
                metrics.insert(p.clone(), 0);
            }
        }
    }
    if scale_up_with_unready {
        for p in &unready {
            metrics.insert(p.clone(), 0);
        }
    }
    let (new_ratio, _, _) = utilization_ratio(&metrics, &requests, target)?;
    if is_within(new_ratio) || (ratio < 1.0 && new_ratio > 1.0) || (ratio > 1.0 && new_ratio < 1.0)
    {
        return Ok(keep(current));
    }
    let replicas = (new_ratio * metrics.len() as f64).ceil() as i32;
    if (new_ratio < 1.0 && replicas > current) || (new_ratio > 1.0 && replicas < current) {
        return Ok(keep(current));
    }
    Ok(keep(replicas))
}

/// `GetRawResourceReplicas` (an AverageValue target, milli-units): usage ratio against the target
/// value over the ready pods; same tolerance and missing-pod rules as above.
pub fn raw_resource_replicas(
    current: i32,
    target_value: i64,
    resource: &str,
    pods: &[PodInfo],
    samples: &BTreeMap<String, Sample>,
    now: Millis,
) -> Result<Proposal, String> {
    if samples.is_empty() {
        return Err(format!(
            "unable to get metrics for resource {resource}: no metrics returned from resource metrics API"
        ));
    }
    if pods.is_empty() {
        return Err("no pods returned by selector while calculating replica count".into());
    }
    // `getUsageRatioReplicaCount` treats the value as a plain metric: Σ/ready against target.
    let (ready_count, unready, missing, ignored) =
        group_pods(pods, samples, resource == "cpu", now);
    let mut metrics: BTreeMap<String, i64> = samples
        .iter()
        .filter(|(n, _)| !ignored.contains(n) && !unready.contains(n))
        .map(|(n, s)| (n.clone(), s.value))
        .collect();
    if metrics.is_empty() {
        return Err("did not receive metrics for any ready pods".into());
    }
    let ratio_of = |m: &BTreeMap<String, i64>| {
        let total: i64 = m.values().sum();
        (
            total as f64 / (target_value.max(1) as f64 * m.len() as f64),
            total / m.len() as i64,
        )
    };
    let (ratio, raw_average) = ratio_of(&metrics);
    let keep = |replicas| Proposal {
        replicas,
        utilization: 0,
        raw_average,
    };
    let scale_up_with_unready = !unready.is_empty() && ratio > 1.0;
    if !scale_up_with_unready && missing.is_empty() {
        if is_within(ratio) {
            return Ok(keep(current));
        }
        return Ok(keep((ratio * ready_count as f64).ceil() as i32));
    }
    for p in &missing {
        if ratio < 1.0 {
            metrics.insert(p.clone(), target_value);
        } else if ratio > 1.0 {
            metrics.insert(p.clone(), 0);
        }
    }
    if scale_up_with_unready {
        for p in &unready {
            metrics.insert(p.clone(), 0);
        }
    }
    let (new_ratio, _) = ratio_of(&metrics);
    if is_within(new_ratio) || (ratio < 1.0 && new_ratio > 1.0) || (ratio > 1.0 && new_ratio < 1.0)
    {
        return Ok(keep(current));
    }
    let replicas = (new_ratio * metrics.len() as f64).ceil() as i32;
    if (new_ratio < 1.0 && replicas > current) || (new_ratio > 1.0 && replicas < current) {
        return Ok(keep(current));
    }
    Ok(keep(replicas))
}

#[cfg(test)]
mod tests {
    //! B5: `pkg/controller/podautoscaler/replica_calculator_test.go`, one test per upstream case.
    //! Pods are started two minutes ago (inside the CPU initialization period); a ready pod has
    //! been Ready since its start, an unready one has a Ready=False condition.
    use super::*;

    const NOW: Millis = 10 * 60 * 1000;

    struct Case {
        current: i32,
        ready: Vec<bool>,
        phases: Vec<Phase>,
        requests: Vec<Option<i64>>,
        /// Samples for the first pods, in order (pods past the list have none).
        levels: Vec<i64>,
        target: i32,
    }

    fn run(c: Case) -> Result<Proposal, String> {
        let start = NOW - 2 * 60 * 1000;
        let pods: Vec<PodInfo> = (0..c.requests.len())
            .map(|i| PodInfo {
                name: format!("test-pod-{i}"),
                phase: c.phases.get(i).copied().unwrap_or(Phase::Running),
                deleting: false,
                start_time: Some(start),
                ready: Some((c.ready.get(i).copied().unwrap_or(true), start)),
                request: c.requests[i].ok_or_else(|| "container1".to_string()),
            })
            .collect();
        let samples: BTreeMap<String, Sample> = c
            .levels
            .iter()
            .enumerate()
            .map(|(i, v)| {
                (
                    format!("test-pod-{i}"),
                    Sample {
                        value: *v,
                        timestamp: NOW,
                        window: 30_000,
                    },
                )
            })
            .collect();
        resource_replicas(c.current, c.target, "cpu", &pods, &samples, NOW)
    }

    fn req(n: usize) -> Vec<Option<i64>> {
        vec![Some(1000); n]
    }

    fn expect(c: Case, replicas: i32, utilization: i32) {
        let p = run(c).unwrap_or_else(|e| panic!("unexpected error {e}"));
        assert_eq!((p.replicas, p.utilization), (replicas, utilization));
    }

    #[test]
    fn test_replica_calc_scale_up() {
        let c = Case {
            current: 3,
            ready: vec![],
            phases: vec![],
            requests: req(3),
            levels: vec![300, 500, 700],
            target: 30,
        };
        expect(c, 5, 50);
    }

    #[test]
    fn test_replica_calc_scale_up_unready_less_scale() {
        let c = Case {
            current: 3,
            ready: vec![false, true, true],
            phases: vec![],
            requests: req(3),
            levels: vec![300, 500, 700],
            target: 30,
        };
        expect(c, 4, 60);
    }

    #[test]
    fn test_replica_calc_scale_up_unready_no_scale() {
        let c = Case {
            current: 3,
            ready: vec![true, false, false],
            phases: vec![],
            requests: req(3),
            levels: vec![400, 500, 700],
            target: 30,
        };
        expect(c, 3, 40);
    }

    #[test]
    fn test_replica_calc_scale_down() {
        let c = Case {
            current: 5,
            ready: vec![],
            phases: vec![],
            requests: req(5),
            levels: vec![100, 300, 500, 250, 250],
            target: 50,
        };
        expect(c, 3, 28);
    }

    #[test]
    fn test_replica_calc_scale_down_exclude_unready_pods() {
        let c = Case {
            current: 5,
            ready: vec![true, true, true, false, false],
            phases: vec![],
            requests: req(5),
            levels: vec![100, 300, 500, 250, 250],
            target: 50,
        };
        expect(c, 2, 30);
    }

    #[test]
    fn test_replica_calc_scale_down_ignores_failed_pods() {
        let mut phases = vec![Phase::Running; 5];
        phases.extend([Phase::Failed, Phase::Failed]);
        let c = Case {
            current: 5,
            ready: vec![],
            phases,
            requests: req(7),
            levels: vec![100, 300, 500, 250, 250],
            target: 50,
        };
        expect(c, 3, 28);
    }

    #[test]
    fn test_replica_calc_tolerance() {
        let c = Case {
            current: 3,
            ready: vec![],
            phases: vec![],
            requests: vec![Some(900), Some(1000), Some(1100)],
            levels: vec![1010, 1030, 1020],
            target: 100,
        };
        expect(c, 3, 102);
    }

    #[test]
    fn test_replica_calc_missing_metrics() {
        let c = Case {
            current: 4,
            ready: vec![],
            phases: vec![],
            requests: req(4),
            levels: vec![400, 95],
            target: 100,
        };
        expect(c, 3, 24);
    }

    #[test]
    fn test_replica_calc_missing_metrics_no_change_eq() {
        let c = Case {
            current: 2,
            ready: vec![],
            phases: vec![],
            requests: req(2),
            levels: vec![1000],
            target: 100,
        };
        expect(c, 2, 100);
    }

    #[test]
    fn test_replica_calc_missing_metrics_unready_scale_down() {
        let c = Case {
            current: 4,
            ready: vec![false, true, true, true],
            phases: vec![],
            requests: req(4),
            levels: vec![100, 100, 100],
            target: 50,
        };
        expect(c, 3, 10);
    }

    #[test]
    fn test_replica_calc_empty_cpu_request() {
        let c = Case {
            current: 1,
            ready: vec![],
            phases: vec![],
            requests: vec![None],
            levels: vec![200],
            target: 100,
        };
        let e = run(c).err().unwrap_or_default();
        assert!(e.starts_with("missing request for cpu"), "{e}");
    }

    #[test]
    fn test_replica_calc_scale_up_cm_as_average_value() {
        // ScaleUpCM: a per-pod value (qps 20000, 10000, 30000) against 15000 → 4.
        let start = NOW - 2 * 60 * 1000;
        let pods: Vec<PodInfo> = (0..3)
            .map(|i| PodInfo {
                name: format!("p{i}"),
                phase: Phase::Running,
                deleting: false,
                start_time: Some(start),
                ready: Some((true, start)),
                request: Ok(0),
            })
            .collect();
        let samples: BTreeMap<String, Sample> = [20_000, 10_000, 30_000]
            .iter()
            .enumerate()
            .map(|(i, v)| {
                (
                    format!("p{i}"),
                    Sample {
                        value: *v,
                        timestamp: NOW,
                        window: 30_000,
                    },
                )
            })
            .collect();
        let p = raw_resource_replicas(3, 15_000, "qps", &pods, &samples, NOW)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((p.replicas, p.raw_average), (4, 20_000));
    }

    #[test]
    fn utilization_is_integer_truncated_before_the_ratio() {
        // S16: 8 pods × 200m requested, 1000m used → 62% (not 62.5), ratio 1.24 → ceil(9.92) = 10.
        let start = NOW - 10 * 60 * 1000;
        let pods: Vec<PodInfo> = (0..8)
            .map(|i| PodInfo {
                name: format!("p{i}"),
                phase: Phase::Running,
                deleting: false,
                start_time: Some(start),
                ready: Some((true, start)),
                request: Ok(200),
            })
            .collect();
        let samples: BTreeMap<String, Sample> = (0..8)
            .map(|i| {
                (
                    format!("p{i}"),
                    Sample {
                        value: 125,
                        timestamp: NOW,
                        window: 15_000,
                    },
                )
            })
            .collect();
        let p =
            resource_replicas(8, 50, "cpu", &pods, &samples, NOW).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((p.replicas, p.utilization), (10, 62));
    }
}
