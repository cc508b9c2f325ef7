//! Which pods a ReplicaSet deletes first when it scales down: controller_utils.go's
//! `ActivePodsWithRanks.Less` (controllers-semantics §2), with LogarithmicScaleDown and
//! PodDeletionCost both GA.

use podplay_api::time::Millis;
use podplay_api::types::Pod;

const DELETION_COST: &str = "controller.kubernetes.io/pod-deletion-cost";

fn phase_ordinal(p: &Pod) -> u8 {
    match p.status.as_ref().and_then(|s| s.phase.as_deref()) {
        Some("Pending") => 0,
        Some("Unknown") => 1,
        Some("Running") => 2,
        _ => 3,
    }
}

fn is_ready(p: &Pod) -> bool {
    p.status.as_ref().is_some_and(|s| {
        s.conditions
            .iter()
            .any(|c| c.type_ == "Ready" && c.status == "True")
    })
}

/// `podReadyTime`: the Ready condition's lastTransitionTime, None when unknown.
fn ready_time(p: &Pod) -> Option<Millis> {
    p.status.as_ref().and_then(|s| {
        s.conditions
            .iter()
            .find(|c| c.type_ == "Ready" && c.status == "True")
            .and_then(|c| c.last_transition_time.map(|t| t.0))
    })
}

fn deletion_cost(p: &Pod) -> i64 {
    p.metadata
        .annotations
        .get(DELETION_COST)
        .and_then(|v| v.parse::<i32>().ok())
        .map_or(0, i64::from)
}

/// (regular, sidecar) maximum restart counts.
fn max_restarts(p: &Pod) -> (i32, i32) {
    let Some(s) = p.status.as_ref() else {
        return (0, 0);
    };
    let regular = s
        .container_statuses
        .iter()
        .map(|c| c.restart_count)
        .max()
        .unwrap_or(0);
    let sidecar = s
        .init_container_statuses
        .iter()
        .map(|c| c.restart_count)
        .max()
        .unwrap_or(0);
    (regular, sidecar)
}

/// `logarithmicRankDiff`: compares how long ago two moments were on a log₂ scale of nanoseconds.
fn log_rank_diff(t1: Millis, t2: Millis, now: Millis) -> i64 {
    let rank = |t: Millis| -> i64 {
        let d = (now - t) as f64 * 1e6;
        if d > 0.0 {
            d.log2() as i64
        } else {
            -1
        }
    };
    rank(t1) - rank(t2)
}

/// `afterOrZero`: a zero time sorts first, otherwise the later one.
fn after_or_zero(t1: Option<Millis>, t2: Option<Millis>) -> bool {
    match (t1, t2) {
        (None, _) | (_, None) => t1.is_none(),
        (Some(a), Some(b)) => a > b,
    }
}

/// `ActivePodsWithRanks.Less(i, j)`: true when `a` (with `rank_a` related pods on its node) is
/// deleted before `b`.
pub fn less(a: &Pod, rank_a: usize, b: &Pod, rank_b: usize, now: Millis) -> bool {
    let (na, nb) = (
        a.spec.node_name.as_deref().unwrap_or(""),
        b.spec.node_name.as_deref().unwrap_or(""),
    );
    // 1. Unassigned before assigned.
    if na != nb && (na.is_empty() || nb.is_empty()) {
        return na.is_empty();
    }
    // 2. Pending < Unknown < Running.
    if phase_ordinal(a) != phase_ordinal(b) {
        return phase_ordinal(a) < phase_ordinal(b);
    }
    // 3. Not ready before ready.
    if is_ready(a) != is_ready(b) {
        return !is_ready(a);
    }
    // 4. Lower deletion cost first.
    if deletion_cost(a) != deletion_cost(b) {
        return deletion_cost(a) < deletion_cost(b);
    }
    // 5. Doubled up (more related pods on the node) first.
    if rank_a != rank_b {
        return rank_a > rank_b;
    }
    // 6. Ready for less time first, on a log scale; same bucket → by UID.
    if is_ready(a) && is_ready(b) {
        let (ra, rb) = (ready_time(a), ready_time(b));
        if ra != rb {
            return match (ra, rb) {
                (Some(x), Some(y)) => {
                    let d = log_rank_diff(x, y, now);
                    if d == 0 {
                        a.metadata.uid < b.metadata.uid
                    } else {
                        d < 0
                    }
                }
                _ => after_or_zero(ra, rb),
            };
        }
    }
    // 7. More restarts first (regular containers, then sidecars).
    let (ra, rb) = (max_restarts(a), max_restarts(b));
    if ra.0 != rb.0 {
        return ra.0 > rb.0;
    }
    if ra.1 != rb.1 {
        return ra.1 > rb.1;
    }
    // 8. Newer first, on a log scale; same bucket → by UID.
    let (ca, cb) = (
        a.metadata.creation_timestamp.map(|t| t.0),
        b.metadata.creation_timestamp.map(|t| t.0),
    );
    if ca != cb {
        return match (ca, cb) {
            (Some(x), Some(y)) => {
                let d = log_rank_diff(x, y, now);
                if d == 0 {
                    a.metadata.uid < b.metadata.uid
                } else {
                    d < 0
                }
            }
            _ => after_or_zero(ca, cb),
        };
    }
    false
}

/// `getPodsToDelete`: the first `count` pods by `less`. `ranked` pairs each active pod with its
/// rank (related active pods on the same node). Sorting only happens when some pods survive.
pub fn pods_to_delete<P: std::borrow::Borrow<Pod>>(
    ranked: Vec<(P, usize)>,
    count: usize,
    now: Millis,
) -> Vec<P> {
    let ranked = if count < ranked.len() {
        insertion_sort(ranked, &|(a, ra): &(P, usize), (b, rb): &(P, usize)| {
            less(a.borrow(), *ra, b.borrow(), *rb, now)
        })
    } else {
        ranked
    };
    ranked.into_iter().take(count).map(|(p, _)| p).collect()
}

/// Go's `insertionSort` (what `sort.Sort` runs for the ≤ 12 pods of a typical scale-down):
/// stable, and it tolerates a comparator that is not a strict weak order. Go's `Less` here is
/// not one (two pods Ready at the same instant skip the UID tie-break that pods Ready at
/// different instants of the same log bucket get); Rust's `sort_by` may panic when it notices
/// that, while Go just returns some order. For a consistent comparator the order is the same as
/// any stable sort's.
fn insertion_sort<T>(mut v: Vec<T>, less: &dyn Fn(&T, &T) -> bool) -> Vec<T> {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && less(&v[j], &v[j - 1]) {
            v.swap(j, j - 1);
            j -= 1;
        }
    }
    v
}

#[cfg(test)]
mod insertion_sort_tests {
    use super::insertion_sort;

    #[test]
    fn insertion_sort_is_stable_and_survives_an_inconsistent_comparator() {
        let v = vec![(1, 'a'), (0, 'b'), (1, 'c'), (0, 'd')];
        let sorted = insertion_sort(v, &|a: &(i32, char), b: &(i32, char)| a.0 < b.0);
        assert_eq!(sorted, vec![(0, 'b'), (0, 'd'), (1, 'a'), (1, 'c')]);
        // "Everything is less than everything": no panic, every element kept.
        let v: Vec<i32> = (0..50).collect();
        let out = insertion_sort(v, &|_: &i32, _: &i32| true);
        assert_eq!(out.len(), 50);
    }
}
