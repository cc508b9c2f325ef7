//! From the metrics' proposal to the replica count the HPA writes (horizontal.go
//! `normalizeDesiredReplicas`, `normalizeDesiredReplicasWithBehaviors`, `stabilizeRecommendation*`,
//! `convertDesiredReplicasWithRules`, `calculateScale{Up,Down}Limit*`), controllers-semantics §6.4.
//! The controller's memory of recent recommendations and scale events lives in `History`.

use podplay_api::time::{Millis, SECOND};

/// `--horizontal-pod-autoscaler-downscale-stabilization`.
pub const DOWNSCALE_STABILIZATION_WINDOW: Millis = 300 * SECOND;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyType {
    Pods,
    Percent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub type_: PolicyType,
    pub value: i32,
    pub period_seconds: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelectPolicy {
    Max,
    Min,
    Disabled,
}

/// `HPAScalingRules` with the API defaults filled in (§6.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    pub stabilization_window_seconds: Option<i32>,
    pub select_policy: SelectPolicy,
    pub policies: Vec<Policy>,
}

impl Rules {
    pub fn default_scale_up() -> Rules {
        Rules {
            stabilization_window_seconds: Some(0),
            select_policy: SelectPolicy::Max,
            policies: vec![
                Policy {
                    type_: PolicyType::Pods,
                    value: 4,
                    period_seconds: 15,
                },
                Policy {
                    type_: PolicyType::Percent,
                    value: 100,
                    period_seconds: 15,
                },
            ],
        }
    }

    pub fn default_scale_down() -> Rules {
        Rules {
            stabilization_window_seconds: None,
            select_policy: SelectPolicy::Max,
            policies: vec![Policy {
                type_: PolicyType::Percent,
                value: 100,
                period_seconds: 15,
            }],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Behavior {
    pub scale_up: Rules,
    pub scale_down: Rules,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Recommendation {
    replicas: i32,
    at: Millis,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ScaleEvent {
    change: i32,
    at: Millis,
    outdated: bool,
}

/// The controller's per-HPA memory (`a.recommendations[key]`, `scaleUpEvents`, `scaleDownEvents`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    recommendations: Vec<Recommendation>,
    up_events: Vec<ScaleEvent>,
    down_events: Vec<ScaleEvent>,
}

/// A condition the normalization sets: (type, status, reason, message).
pub type Cond = (&'static str, &'static str, &'static str, String);

/// The outcome: replicas and the AbleToScale / ScalingLimited conditions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    pub replicas: i32,
    pub able_to_scale: Cond,
    pub scaling_limited: Cond,
}

fn cond(t: &'static str, s: &'static str, r: &'static str, m: &str) -> Cond {
    (t, s, r, m.to_string())
}

const READY_FOR_NEW_SCALE: &str = "recommended size matches current size";
const SCALE_DOWN_STABILIZED: &str =
    "recent recommendations were higher than current one, applying the highest recent recommendation";
const SCALE_UP_STABILIZED: &str =
    "recent recommendations were lower than current one, applying the lowest recent recommendation";

impl History {
    /// `normalizeDesiredReplicas` (no `behavior`): max over the 5-minute window, then
    /// `convertDesiredReplicasWithRules` (scale-up limit max(2×current, 4), min/max).
    pub fn normalize(
        &mut self,
        now: Millis,
        current: i32,
        desired: i32,
        min: i32,
        max: i32,
    ) -> Normalized {
        let stabilized = self.stabilize(now, desired);
        let able_to_scale = if stabilized != desired {
            cond(
                "AbleToScale",
                "True",
                "ScaleDownStabilized",
                SCALE_DOWN_STABILIZED,
            )
        } else {
            cond(
                "AbleToScale",
                "True",
                "ReadyForNewScale",
                READY_FOR_NEW_SCALE,
            )
        };
        let (replicas, reason, message) = convert_with_rules(current, stabilized, min, max);
        let status = if replicas == stabilized {
            "False"
        } else {
            "True"
        };
        Normalized {
            replicas,
            able_to_scale,
            scaling_limited: cond("ScalingLimited", status, reason, message),
        }
    }

    /// `stabilizeRecommendation`: the highest recommendation of the last 300 s; one sample older
    /// than the window is overwritten instead of appending.
    fn stabilize(&mut self, now: Millis, desired: i32) -> i32 {
        let cutoff = now - DOWNSCALE_STABILIZATION_WINDOW;
        let mut max = desired;
        let mut old = None;
        for (i, r) in self.recommendations.iter().enumerate() {
            if r.at < cutoff {
                old = Some(i);
            } else if r.replicas > max {
                max = r.replicas;
            }
        }
        self.record(old, desired, now);
        max
    }

    fn record(&mut self, old: Option<usize>, replicas: i32, at: Millis) {
        let rec = Recommendation { replicas, at };
        match old.and_then(|i| self.recommendations.get_mut(i)) {
            Some(slot) => *slot = rec,
            None => self.recommendations.push(rec),
        }
    }

    /// `normalizeDesiredReplicasWithBehaviors`.
    pub fn normalize_with_behavior(
        &mut self,
        now: Millis,
        b: &Behavior,
        current: i32,
        desired: i32,
        min: i32,
        max: i32,
    ) -> Normalized {
        let up_window = i64::from(b.scale_up.stabilization_window_seconds.unwrap_or(0)) * SECOND;
        let down_window = b
            .scale_down
            .stabilization_window_seconds
            .map(|s| i64::from(s) * SECOND)
            .unwrap_or(DOWNSCALE_STABILIZATION_WINDOW);
        let (up_cutoff, down_cutoff) = (now - up_window, now - down_window);
        let (mut up_rec, mut down_rec) = (desired, desired);
        let mut old = None;
        for (i, r) in self.recommendations.iter().enumerate() {
            if r.at > up_cutoff {
                up_rec = up_rec.min(r.replicas);
            }
            if r.at > down_cutoff {
                down_rec = down_rec.max(r.replicas);
            }
            if r.at < up_cutoff && r.at < down_cutoff {
                old = Some(i);
            }
        }
        let stabilized = current.max(up_rec).min(down_rec);
        self.record(old, desired, now);
        let able_to_scale = if stabilized != desired {
            if desired >= current {
                cond(
                    "AbleToScale",
                    "True",
                    "ScaleUpStabilized",
                    SCALE_UP_STABILIZED,
                )
            } else {
                cond(
                    "AbleToScale",
                    "True",
                    "ScaleDownStabilized",
                    SCALE_DOWN_STABILIZED,
                )
            }
        } else {
            cond(
                "AbleToScale",
                "True",
                "ReadyForNewScale",
                READY_FOR_NEW_SCALE,
            )
        };
        let (replicas, reason, message) =
            self.convert_with_behavior_rate(now, b, current, stabilized, min, max);
        let status = if replicas == stabilized {
            "False"
        } else {
            "True"
        };
        Normalized {
            replicas,
            able_to_scale,
            scaling_limited: cond("ScalingLimited", status, reason, message),
        }
    }

    fn change_in_period(events: &[ScaleEvent], now: Millis, period_seconds: i32) -> i32 {
        let cutoff = now - i64::from(period_seconds) * SECOND;
        events
            .iter()
            .filter(|e| e.at > cutoff && !e.outdated)
            .map(|e| e.change)
            .sum()
    }

    fn convert_with_behavior_rate(
        &self,
        now: Millis,
        b: &Behavior,
        current: i32,
        desired: i32,
        min: i32,
        max: i32,
    ) -> (i32, &'static str, &'static str) {
        if desired > current {
            let limit = self.scale_up_limit(now, current, &b.scale_up).max(current);
            let (allowed, reason, message) = if max > limit {
                (limit, "ScaleUpLimit", SCALE_UP_LIMIT)
            } else {
                (max, "TooManyReplicas", TOO_MANY)
            };
            if desired > allowed {
                return (allowed, reason, message);
            }
        } else if desired < current {
            let limit = self
                .scale_down_limit(now, current, &b.scale_down)
                .min(current);
            let (allowed, reason, message) = if min < limit {
                (limit, "ScaleDownLimit", SCALE_DOWN_LIMIT)
            } else {
                (min, "TooFewReplicas", TOO_FEW)
            };
            if desired < allowed {
                return (allowed, reason, message);
            }
        }
        (desired, "DesiredWithinRange", WITHIN_RANGE)
    }

    /// `calculateScaleUpLimitWithScalingRules`.
    fn scale_up_limit(&self, now: Millis, current: i32, rules: &Rules) -> i32 {
        let (mut result, pick): (i32, fn(i32, i32) -> i32) = match rules.select_policy {
            SelectPolicy::Disabled => return current,
            SelectPolicy::Min => (i32::MAX, std::cmp::min),
            SelectPolicy::Max => (i32::MIN, std::cmp::max),
        };
        for p in &rules.policies {
            let added = Self::change_in_period(&self.up_events, now, p.period_seconds);
            let deleted = Self::change_in_period(&self.down_events, now, p.period_seconds);
            let start = current - added + deleted;
            let proposed = match p.type_ {
                PolicyType::Pods => start.saturating_add(p.value),
                PolicyType::Percent => {
                    (f64::from(start) * (1.0 + f64::from(p.value) / 100.0)).ceil() as i32
                }
            };
            result = pick(result, proposed);
        }
        result
    }

    /// `calculateScaleDownLimitWithBehaviors`.
    fn scale_down_limit(&self, now: Millis, current: i32, rules: &Rules) -> i32 {
        let (mut result, pick): (i32, fn(i32, i32) -> i32) = match rules.select_policy {
            SelectPolicy::Disabled => return current,
            SelectPolicy::Min => (i32::MIN, std::cmp::max),
            SelectPolicy::Max => (i32::MAX, std::cmp::min),
        };
        for p in &rules.policies {
            let added = Self::change_in_period(&self.up_events, now, p.period_seconds);
            let deleted = Self::change_in_period(&self.down_events, now, p.period_seconds);
            let start = current - added + deleted;
            let proposed = match p.type_ {
                PolicyType::Pods => start.saturating_sub(p.value),
                PolicyType::Percent => {
                    (f64::from(start) * (1.0 - f64::from(p.value) / 100.0)) as i32
                }
            };
            result = pick(result, proposed);
        }
        result
    }

    /// `storeScaleEvent`: only HPAs with `behavior` keep scale events.
    pub fn store_scale_event(&mut self, now: Millis, b: &Behavior, prev: i32, new: i32) {
        let (events, rules, change) = if new > prev {
            (&mut self.up_events, &b.scale_up, new - prev)
        } else {
            (&mut self.down_events, &b.scale_down, prev - new)
        };
        let longest = rules
            .policies
            .iter()
            .map(|p| p.period_seconds)
            .max()
            .unwrap_or(0);
        let cutoff = now - i64::from(longest) * SECOND;
        for e in events.iter_mut() {
            if e.at < cutoff {
                e.outdated = true;
            }
        }
        let ev = ScaleEvent {
            change,
            at: now,
            outdated: false,
        };
        match events.iter_mut().find(|e| e.outdated) {
            Some(slot) => *slot = ev,
            None => events.push(ev),
        }
    }
}

const SCALE_UP_LIMIT: &str =
    "the desired replica count is increasing faster than the maximum scale rate";
const SCALE_DOWN_LIMIT: &str =
    "the desired replica count is decreasing faster than the maximum scale rate";
const TOO_MANY: &str = "the desired replica count is more than the maximum replica count";
const TOO_FEW: &str = "the desired replica count is less than the minimum replica count";
const WITHIN_RANGE: &str = "the desired count is within the acceptable range";

/// `calculateScaleUpLimit`: max(2 × current, 4).
pub fn scale_up_limit(current: i32) -> i32 {
    current.saturating_mul(2).max(4)
}

/// `convertDesiredReplicasWithRules`.
pub fn convert_with_rules(
    current: i32,
    desired: i32,
    min: i32,
    max: i32,
) -> (i32, &'static str, &'static str) {
    let limit = scale_up_limit(current);
    let (maximum, mut reason, mut message) = if max > limit {
        (limit, "ScaleUpLimit", SCALE_UP_LIMIT)
    } else {
        (max, "TooManyReplicas", TOO_MANY)
    };
    if desired < min {
        reason = "TooFewReplicas";
        message = TOO_FEW;
        return (min, reason, message);
    }
    if desired > maximum {
        return (maximum, reason, message);
    }
    (desired, "DesiredWithinRange", WITHIN_RANGE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_scale_up_is_limited_to_twice_current_or_four() {
        // S16 t0: 1 replica, metrics want 5 → max(2×1, 4) = 4, ScalingLimited ScaleUpLimit.
        let mut h = History::default();
        let n = h.normalize(0, 1, 5, 1, 10);
        assert_eq!(n.replicas, 4);
        assert_eq!(n.scaling_limited.1, "True");
        assert_eq!(n.scaling_limited.2, "ScaleUpLimit");
        let n = h.normalize(15_000, 4, 10, 1, 10);
        assert_eq!(n.replicas, 8);
        let n = h.normalize(30_000, 8, 10, 1, 10);
        assert_eq!(
            (n.replicas, n.scaling_limited.2),
            (10, "DesiredWithinRange")
        );
    }

    #[test]
    fn scale_down_waits_for_the_five_minute_stabilization_window() {
        let mut h = History::default();
        h.normalize(0, 10, 10, 1, 10);
        let n = h.normalize(15_000, 10, 0, 1, 10);
        assert_eq!(n.replicas, 10);
        assert_eq!(n.able_to_scale.2, "ScaleDownStabilized");
        // 300 s after the last recommendation of 10, only zeros remain → clamp to min.
        let mut t = 15_000;
        while t < 300_000 {
            t += 15_000;
            assert_eq!(h.normalize(t, 10, 0, 1, 10).replicas, 10, "at {t}");
        }
        let n = h.normalize(315_000, 10, 0, 1, 10);
        assert_eq!(n.replicas, 1);
        assert_eq!(n.scaling_limited.2, "TooFewReplicas");
    }

    #[test]
    fn behavior_scale_up_max_of_four_pods_or_double() {
        let b = Behavior {
            scale_up: Rules::default_scale_up(),
            scale_down: Rules::default_scale_down(),
        };
        let mut h = History::default();
        // 1 → max(1+4, 2) = 5; 10 → max(14, 20) = 20.
        assert_eq!(h.normalize_with_behavior(0, &b, 1, 50, 1, 100).replicas, 5);
        let mut h = History::default();
        assert_eq!(
            h.normalize_with_behavior(0, &b, 10, 50, 1, 100).replicas,
            20
        );
    }

    #[test]
    fn behavior_select_policy_min_picks_the_smallest_change() {
        let mut up = Rules::default_scale_up();
        up.select_policy = SelectPolicy::Min;
        let b = Behavior {
            scale_up: up,
            scale_down: Rules::default_scale_down(),
        };
        let mut h = History::default();
        // min(10+4, 20) = 14.
        assert_eq!(
            h.normalize_with_behavior(0, &b, 10, 50, 1, 100).replicas,
            14
        );
    }

    #[test]
    fn behavior_rate_counts_changes_within_the_period() {
        let down = Rules {
            stabilization_window_seconds: Some(0),
            select_policy: SelectPolicy::Max,
            policies: vec![Policy {
                type_: PolicyType::Pods,
                value: 1,
                period_seconds: 60,
            }],
        };
        let b = Behavior {
            scale_up: Rules::default_scale_up(),
            scale_down: down,
        };
        let mut h = History::default();
        let n = h.normalize_with_behavior(0, &b, 5, 1, 1, 10);
        assert_eq!((n.replicas, n.scaling_limited.2), (4, "ScaleDownLimit"));
        h.store_scale_event(0, &b, 5, 4);
        // Within the 60 s period the start is still 5: 5 - 1 = 4, no further step.
        assert_eq!(
            h.normalize_with_behavior(15_000, &b, 4, 1, 1, 10).replicas,
            4
        );
        assert_eq!(
            h.normalize_with_behavior(61_000, &b, 4, 1, 1, 10).replicas,
            3
        );
    }

    #[test]
    fn disabled_select_policy_never_scales_that_way() {
        let mut down = Rules::default_scale_down();
        down.select_policy = SelectPolicy::Disabled;
        down.stabilization_window_seconds = Some(0);
        let b = Behavior {
            scale_up: Rules::default_scale_up(),
            scale_down: down,
        };
        let mut h = History::default();
        assert_eq!(h.normalize_with_behavior(0, &b, 5, 1, 1, 10).replicas, 5);
    }
}
