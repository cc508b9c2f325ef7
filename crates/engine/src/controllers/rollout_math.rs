//! The Deployment controller's arithmetic, as pure functions over small views of ReplicaSets
//! (controllers-semantics §1.2, §1.5, §1.6, §1.7, §1.8): `intstr` scaling, `ResolveFenceposts`,
//! `NewRSNewReplicas`, the rolling-update reconcilers, proportional scaling, and the status
//! predicates. The engine applies what these decide; the upstream unit-test vectors (Part B) run
//! against them directly.

use podplay_api::time::Millis;
use serde_json::Value;

/// What the rollout arithmetic needs of one ReplicaSet.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RsView {
    pub name: String,
    pub replicas: i64,
    pub available: i64,
    pub created: Millis,
    /// `deployment.kubernetes.io/desired-replicas`, when present and numeric.
    pub desired_annotation: Option<i64>,
    /// `deployment.kubernetes.io/max-replicas`.
    pub max_annotation: Option<i64>,
}

/// The Deployment's strategy: RollingUpdate with its two IntOrStrings (None = unset), or Recreate.
#[derive(Debug, Clone, PartialEq)]
pub struct Strategy {
    pub rolling: bool,
    pub max_surge: Option<Value>,
    pub max_unavailable: Option<Value>,
}

impl Strategy {
    pub fn rolling(max_surge: Value, max_unavailable: Value) -> Strategy {
        Strategy {
            rolling: true,
            max_surge: Some(max_surge),
            max_unavailable: Some(max_unavailable),
        }
    }
    pub fn recreate() -> Strategy {
        Strategy {
            rolling: false,
            max_surge: None,
            max_unavailable: None,
        }
    }
}

/// One ScalingReplicaSet decision: RS `index` goes from `from` to `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scale {
    pub name: String,
    pub from: i64,
    pub to: i64,
}

/// `intstr.GetScaledValueFromIntOrPercent`: an int is itself; "N%" is N% of `total`, rounded up
/// or down; any other string is an error (apimachinery's words).
pub fn scaled_value(v: &Value, total: i64, round_up: bool) -> Result<i64, String> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .ok_or_else(|| format!("invalid value for IntOrString: {n}")),
        Value::String(s) => {
            let Some(num) = s.strip_suffix('%') else {
                return Err("invalid type: string is not a percentage".into());
            };
            let pct: i64 = num.parse().map_err(|_| {
                format!("invalid value {s:?}: strconv.Atoi: parsing {num:?}: invalid syntax")
            })?;
            let prod = pct.saturating_mul(total);
            Ok(if round_up {
                prod.div_euclid(100) + i64::from(prod.rem_euclid(100) != 0)
            } else {
                prod.div_euclid(100)
            })
        }
        other => Err(format!("invalid value for IntOrString: {other}")),
    }
}

/// `ResolveFenceposts`: surge rounds up, unavailable rounds down, unset is 0, and 0/0 becomes 0/1
/// so a rollout can always make progress.
pub fn resolve_fenceposts(
    max_surge: Option<&Value>,
    max_unavailable: Option<&Value>,
    desired: i64,
) -> Result<(i64, i64), String> {
    let zero = Value::from(0);
    let surge = scaled_value(max_surge.unwrap_or(&zero), desired, true)?;
    let unavailable = scaled_value(max_unavailable.unwrap_or(&zero), desired, false)?;
    if surge == 0 && unavailable == 0 {
        return Ok((0, 1));
    }
    Ok((surge, unavailable))
}

/// `MaxUnavailable(d)`: 0 unless RollingUpdate with replicas > 0, and never above replicas.
pub fn max_unavailable(s: &Strategy, replicas: i64) -> i64 {
    if !s.rolling || replicas == 0 {
        return 0;
    }
    let (_, u) = resolve_fenceposts(s.max_surge.as_ref(), s.max_unavailable.as_ref(), replicas)
        .unwrap_or((0, 0));
    u.min(replicas)
}

/// `MaxSurge(d)`: 0 unless RollingUpdate.
pub fn max_surge(s: &Strategy, replicas: i64) -> i64 {
    if !s.rolling {
        return 0;
    }
    resolve_fenceposts(s.max_surge.as_ref(), s.max_unavailable.as_ref(), replicas)
        .map(|(m, _)| m)
        .unwrap_or(0)
}

/// `NewRSNewReplicas`: how big the new RS may be now. `all` is every RS counted (spec sum).
pub fn new_rs_new_replicas(s: &Strategy, replicas: i64, all_spec_sum: i64, new_spec: i64) -> i64 {
    if !s.rolling {
        return replicas;
    }
    let max_total = replicas + max_surge(s, replicas);
    if all_spec_sum >= max_total {
        return new_spec;
    }
    let up = (max_total - all_spec_sum).min((replicas - new_spec).max(0));
    new_spec + up
}

/// `reconcileNewReplicaSet`: the new RS's next size, None when it is already right.
pub fn reconcile_new_replica_set(
    s: &Strategy,
    replicas: i64,
    all_spec_sum: i64,
    new_spec: i64,
) -> Option<i64> {
    if new_spec == replicas {
        return None;
    }
    if new_spec > replicas {
        return Some(replicas);
    }
    let n = new_rs_new_replicas(s, replicas, all_spec_sum, new_spec);
    (n != new_spec).then_some(n)
}

/// `reconcileOldReplicaSets`: first the unhealthy surplus of old RSs (oldest first), then
/// healthy old pods while more than minAvailable are available. `old` is updated in place; the
/// scale operations come back in the order the controller does them.
pub fn reconcile_old_replica_sets(
    s: &Strategy,
    replicas: i64,
    old: &mut [RsView],
    new: Option<&RsView>,
) -> Vec<Scale> {
    let old_count: i64 = old.iter().map(|r| r.replicas).sum();
    if old_count == 0 {
        return vec![];
    }
    let new_spec = new.map_or(0, |n| n.replicas);
    let new_available = new.map_or(0, |n| n.available);
    let all_count = old_count + new_spec;
    let min_available = replicas - max_unavailable(s, replicas);
    let new_unavailable = new_spec - new_available;
    let max_scaled_down = all_count - min_available - new_unavailable;
    if max_scaled_down <= 0 {
        return vec![];
    }
    let mut ops = cleanup_unhealthy_replicas(old, max_scaled_down);
    ops.extend(scale_down_old_replica_sets_for_rolling_update(
        s,
        replicas,
        old,
        new_available,
    ));
    ops
}

/// `cleanupUnhealthyReplicas`: removes only the unavailable surplus of each old RS.
pub fn cleanup_unhealthy_replicas(old: &mut [RsView], max_cleanup: i64) -> Vec<Scale> {
    old.sort_by(|a, b| a.created.cmp(&b.created).then(a.name.cmp(&b.name)));
    let mut total = 0;
    let mut ops = vec![];
    for rs in old.iter_mut() {
        if total >= max_cleanup {
            break;
        }
        if rs.replicas == 0 || rs.replicas == rs.available {
            continue;
        }
        let down = (max_cleanup - total).min(rs.replicas - rs.available);
        let to = rs.replicas - down;
        if to > rs.replicas {
            break;
        }
        ops.push(Scale {
            name: rs.name.clone(),
            from: rs.replicas,
            to,
        });
        rs.replicas = to;
        total += down;
    }
    ops
}

/// `scaleDownOldReplicaSetsForRollingUpdate`: while more than minAvailable pods are available
/// (status counts, which have not moved yet in this sync), scale old RSs down, oldest first.
pub fn scale_down_old_replica_sets_for_rolling_update(
    s: &Strategy,
    replicas: i64,
    old: &mut [RsView],
    new_available: i64,
) -> Vec<Scale> {
    let min_available = replicas - max_unavailable(s, replicas);
    let available: i64 = old.iter().map(|r| r.available).sum::<i64>() + new_available;
    if available <= min_available {
        return vec![];
    }
    old.sort_by(|a, b| a.created.cmp(&b.created).then(a.name.cmp(&b.name)));
    let budget = available - min_available;
    let mut total = 0;
    let mut ops = vec![];
    for rs in old.iter_mut() {
        if total >= budget {
            break;
        }
        if rs.replicas == 0 {
            continue;
        }
        let down = rs.replicas.min(budget - total);
        ops.push(Scale {
            name: rs.name.clone(),
            from: rs.replicas,
            to: rs.replicas - down,
        });
        rs.replicas -= down;
        total += down;
    }
    ops
}

/// `getReplicaSetFraction`: this RS's share of a resize, from the max-replicas annotation it got
/// when last scaled (falling back to the Deployment's status replicas).
fn replica_set_fraction(rs: &RsView, replicas: i64, surge: i64, status_replicas: i64) -> i64 {
    if replicas == 0 {
        return -rs.replicas;
    }
    let max_now = replicas + surge;
    let before = match rs.max_annotation {
        Some(m) if m != 0 => m,
        _ => status_replicas,
    };
    if before == 0 {
        return 0;
    }
    // integer.RoundToInt32(math.Round): halves away from zero.
    let num = rs.replicas * max_now;
    let q = num as f64 / before as f64;
    q.round() as i64 - rs.replicas
}

/// `GetProportion`: the fraction, clamped so the running total never passes `to_add`.
fn proportion(
    rs: &RsView,
    replicas: i64,
    surge: i64,
    status_replicas: i64,
    to_add: i64,
    added: i64,
) -> i64 {
    if rs.replicas == 0 || to_add == 0 || to_add == added {
        return 0;
    }
    let fraction = replica_set_fraction(rs, replicas, surge, status_replicas);
    let allowed = to_add - added;
    if to_add > 0 {
        fraction.min(allowed)
    } else {
        fraction.max(allowed)
    }
}

/// sync.go `scale`: spreads a change of `spec.replicas` over the active RSs. `new` is the new RS
/// if there is one, `old` the others. Returns the target size of every RS it touches (by name),
/// in the order the controller updates them; sizes equal to the current ones are included
/// (their annotations still get refreshed).
pub fn proportional_scale(
    s: &Strategy,
    replicas: i64,
    status_replicas: i64,
    new: Option<&RsView>,
    old: &[RsView],
) -> Vec<(String, i64)> {
    // FindActiveOrLatest: one active RS (or none) takes the whole size.
    let mut olds: Vec<&RsView> = old.iter().collect();
    olds.sort_by(|a, b| b.created.cmp(&a.created).then(b.name.cmp(&a.name)));
    let active: Vec<&RsView> = olds
        .iter()
        .copied()
        .chain(new)
        .filter(|r| r.replicas > 0)
        .collect();
    let single = match active.len() {
        0 => new.or(olds.first().copied()),
        1 => active.first().copied(),
        _ => None,
    };
    if let Some(rs) = single {
        if rs.replicas == replicas {
            return vec![];
        }
        return vec![(rs.name.clone(), replicas)];
    }
    // IsSaturated: the new RS has everything; old ones go to zero.
    if let Some(n) = new {
        if n.replicas == replicas
            && n.desired_annotation == Some(replicas)
            && n.available == replicas
        {
            return old
                .iter()
                .filter(|r| r.replicas > 0)
                .map(|r| (r.name.clone(), 0))
                .collect();
        }
    }
    if !s.rolling {
        return vec![];
    }
    let surge = max_surge(s, replicas);
    let mut all: Vec<RsView> = old
        .iter()
        .chain(new)
        .filter(|r| r.replicas > 0)
        .cloned()
        .collect();
    let total: i64 = all.iter().map(|r| r.replicas).sum();
    let allowed = if replicas > 0 { replicas + surge } else { 0 };
    let to_add = allowed - total;
    if to_add > 0 {
        // ReplicaSetsBySizeNewer: larger first, newer first on ties.
        all.sort_by(|a, b| {
            b.replicas
                .cmp(&a.replicas)
                .then(b.created.cmp(&a.created))
                .then(a.name.cmp(&b.name))
        });
    } else if to_add < 0 {
        // ReplicaSetsBySizeOlder: larger first, older first on ties.
        all.sort_by(|a, b| {
            b.replicas
                .cmp(&a.replicas)
                .then(a.created.cmp(&b.created))
                .then(a.name.cmp(&b.name))
        });
    }
    let mut added = 0;
    let mut sizes: Vec<(String, i64)> = vec![];
    for rs in &all {
        if to_add != 0 {
            let p = proportion(rs, replicas, surge, status_replicas, to_add, added);
            sizes.push((rs.name.clone(), rs.replicas + p));
            added += p;
        } else {
            sizes.push((rs.name.clone(), rs.replicas));
        }
    }
    if to_add != 0 {
        if let Some(first) = sizes.first_mut() {
            first.1 = (first.1 + to_add - added).max(0);
        }
    }
    sizes
}

/// The counts the status predicates look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub replicas: i64,
    pub updated: i64,
    pub ready: i64,
    pub available: i64,
    pub observed_generation: i64,
}

/// `DeploymentComplete`.
pub fn deployment_complete(desired: i64, generation: i64, st: &Counts) -> bool {
    st.updated == desired
        && st.replicas == desired
        && st.available == desired
        && st.observed_generation >= generation
}

/// `DeploymentProgressing`: some measurable step since the old status.
pub fn deployment_progressing(old: &Counts, new: &Counts) -> bool {
    let old_old = old.replicas - old.updated;
    let new_old = new.replicas - new.updated;
    new.updated > old.updated
        || new_old < old_old
        || new.ready > old.ready
        || new.available > old.available
}

/// `DeploymentTimedOut`: the Progressing condition's lastUpdateTime plus the deadline has passed.
/// `deadline_s` None (or MaxInt32) means no deadline.
pub fn deployment_timed_out(
    deadline_s: Option<i64>,
    reason: Option<&str>,
    last_update: Millis,
    now: Millis,
) -> bool {
    let Some(d) = deadline_s.filter(|d| *d != i32::MAX as i64) else {
        return false;
    };
    match reason {
        Some("NewReplicaSetAvailable") => false,
        Some("ProgressDeadlineExceeded") => true,
        None => false,
        Some(_) => last_update.saturating_add(d.saturating_mul(1000)) < now,
    }
}
