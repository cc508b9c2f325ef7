//! The Job controller's pod-failure back-off (pkg/controller/job/backoff_utils.go): a replacement
//! for a failed pod waits `default · 2^(n-1)`, capped, counted from the last failure's finish time,
//! where n is the number of failures since the last success (controllers-semantics §4.3).

use podplay_api::time::{Millis, MINUTE, SECOND};

/// `DefaultJobPodFailureBackOff`.
pub const DEFAULT_JOB_POD_FAILURE_BACKOFF: Millis = 10 * SECOND;
/// `MaxJobPodFailureBackOff`: 10 minutes in the code (the docs say six; §11 says use the code).
pub const MAX_JOB_POD_FAILURE_BACKOFF: Millis = 10 * MINUTE;

/// `backoffRecord`: failures since the last success and when the latest of them finished.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BackoffRecord {
    pub failures_after_last_success: u32,
    pub last_failure_time: Option<Millis>,
}

impl BackoffRecord {
    /// `newBackoffRecord`: folds newly finished pods, given as (finish time, succeeded), into the
    /// record. A success resets the count; failures after the latest success still count.
    pub fn with_finished(mut self, mut finished: Vec<(Millis, bool)>) -> BackoffRecord {
        finished.sort();
        let last_success = finished.iter().rev().find(|(_, ok)| *ok).map(|(t, _)| *t);
        match last_success {
            None => {
                let failures: Vec<Millis> = finished.iter().map(|(t, _)| *t).collect();
                if let Some(last) = failures.iter().max() {
                    self.failures_after_last_success += failures.len() as u32;
                    self.last_failure_time = Some(*last);
                }
            }
            Some(s) => {
                self.failures_after_last_success = 0;
                self.last_failure_time = None;
                for (t, ok) in finished.iter().rev() {
                    if *ok || *t <= s {
                        continue;
                    }
                    if self.last_failure_time.is_none() {
                        self.last_failure_time = Some(*t);
                    }
                    self.failures_after_last_success += 1;
                }
            }
        }
        self
    }

    /// `getRemainingTime` with the production constants.
    pub fn remaining(&self, now: Millis) -> Millis {
        remaining_backoff_time(
            DEFAULT_JOB_POD_FAILURE_BACKOFF,
            MAX_JOB_POD_FAILURE_BACKOFF,
            self.failures_after_last_success,
            self.last_failure_time,
            now,
        )
    }
}

/// `getRemainingTimeForFailuresCount`: the back-off still to wait before a replacement pod.
pub fn remaining_backoff_time(
    default_backoff: Millis,
    max_backoff: Millis,
    failures: u32,
    last_failure_time: Option<Millis>,
    now: Millis,
) -> Millis {
    if failures == 0 {
        return 0;
    }
    let mut backoff = default_backoff;
    for _ in 1..failures {
        backoff = backoff.saturating_mul(2);
        if backoff >= max_backoff {
            backoff = max_backoff;
            break;
        }
    }
    let elapsed = now - last_failure_time.unwrap_or(now);
    if backoff < elapsed {
        0
    } else {
        backoff - elapsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// golden-controller-scenarios B6: backoff_utils_test.go TestGetRemainingBackoffTime
    /// (defaultBackoff 5 s, maxBackoff 700 s).
    #[test]
    fn test_get_remaining_backoff_time() {
        let s = SECOND;
        let now = 1_000 * s;
        // (failuresAfterLastSuccess, now - lastFailure, remaining)
        let table: &[(u32, Option<Millis>, Millis)] = &[
            (0, None, 0),
            (1, Some(0), 5 * s),
            (1, Some(s), 4 * s),
            (1, Some(5 * s), 0),
            (1, Some(6 * s), 0),
            (3, Some(0), 20 * s),
            (8, Some(0), 640 * s),
            (9, Some(0), 700 * s),
        ];
        for (failures, since, want) in table {
            let last = since.map(|d| now - d);
            let got = remaining_backoff_time(5 * s, 700 * s, *failures, last, now);
            assert_eq!(got, *want, "failures {failures}, since {since:?}");
        }
    }

    #[test]
    fn production_backoff_doubles_from_ten_seconds_and_caps_at_ten_minutes() {
        let delays: Vec<Millis> = (1..=8)
            .map(|n| {
                BackoffRecord {
                    failures_after_last_success: n,
                    last_failure_time: Some(0),
                }
                .remaining(0)
                    / SECOND
            })
            .collect();
        assert_eq!(delays, vec![10, 20, 40, 80, 160, 320, 600, 600]);
    }

    #[test]
    fn a_success_resets_the_failure_count_but_later_failures_count() {
        let r = BackoffRecord {
            failures_after_last_success: 3,
            last_failure_time: Some(5),
        };
        let r = r.with_finished(vec![(10, false), (20, true), (30, false)]);
        assert_eq!(r.failures_after_last_success, 1);
        assert_eq!(r.last_failure_time, Some(30));
        let r = r.with_finished(vec![(40, false), (50, false)]);
        assert_eq!(r.failures_after_last_success, 3);
        assert_eq!(r.last_failure_time, Some(50));
    }
}
