//! TaintToleration (component-helpers `scheduling/corev1`, scheduler plugin `tainttoleration`):
//! which taints a pod tolerates, the filter's first untolerated taint, and the PreferNoSchedule score.

use podplay_api::types::{Taint, Toleration};

/// `Toleration.ToleratesTaint`: an empty effect matches every effect; `Exists` with an empty key
/// matches every taint; `Equal` (the default) needs the same key and value.
pub fn toleration_matches(t: &Toleration, taint: &Taint) -> bool {
    if let Some(e) = t.effect.as_deref().filter(|e| !e.is_empty()) {
        if e != taint.effect {
            return false;
        }
    }
    let key = t.key.as_deref().unwrap_or("");
    if !key.is_empty() && key != taint.key {
        return false;
    }
    match t.operator.as_deref().unwrap_or("Equal") {
        "Exists" => true,
        "Equal" | "" => {
            !key.is_empty()
                && t.value.as_deref().unwrap_or("") == taint.value.as_deref().unwrap_or("")
        }
        _ => false,
    }
}

pub fn tolerates(tolerations: &[Toleration], taint: &Taint) -> bool {
    tolerations.iter().any(|t| toleration_matches(t, taint))
}

/// `FindMatchingUntoleratedTaint`: the first taint kept by `filter` that no toleration tolerates.
pub fn find_matching_untolerated_taint<'a>(
    taints: &'a [Taint],
    tolerations: &[Toleration],
    filter: impl Fn(&Taint) -> bool,
) -> Option<&'a Taint> {
    taints
        .iter()
        .filter(|t| filter(t))
        .find(|t| !tolerates(tolerations, t))
}

/// The filter's taints: `NoSchedule` and `NoExecute` (PreferNoSchedule only scores).
pub fn do_not_schedule(t: &Taint) -> bool {
    t.effect == "NoSchedule" || t.effect == "NoExecute"
}

/// The filter's reason: `node(s) had untolerated taint {key: value}`.
pub fn untolerated_reason(t: &Taint) -> String {
    format!(
        "node(s) had untolerated taint {{{}: {}}}",
        t.key,
        t.value.as_deref().unwrap_or("")
    )
}

/// Score input: how many `PreferNoSchedule` taints the pod does not tolerate (fewer is better;
/// normalised in reverse). Only tolerations with an empty or PreferNoSchedule effect count.
pub fn count_intolerable_prefer_no_schedule(taints: &[Taint], tolerations: &[Toleration]) -> i64 {
    let relevant: Vec<Toleration> = tolerations
        .iter()
        .filter(|t| {
            t.effect
                .as_deref()
                .is_none_or(|e| e.is_empty() || e == "PreferNoSchedule")
        })
        .cloned()
        .collect();
    taints
        .iter()
        .filter(|t| t.effect == "PreferNoSchedule" && !tolerates(&relevant, t))
        .count() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taint(key: &str, effect: &str) -> Taint {
        Taint {
            key: key.into(),
            value: None,
            effect: effect.into(),
            time_added: None,
        }
    }

    fn tol(key: &str, op: &str, effect: &str) -> Toleration {
        Toleration {
            key: Some(key.into()),
            operator: Some(op.into()),
            effect: Some(effect.into()),
            ..Default::default()
        }
    }

    /// B12: component-helpers helpers_test.go `TestFindMatchingUntoleratedTaint`.
    #[test]
    fn test_find_matching_untolerated_taint() {
        struct Case {
            name: &'static str,
            tolerations: Vec<Toleration>,
            taints: Vec<Taint>,
            only_no_execute: bool,
            tolerated: bool,
        }
        let cases = vec![
            Case {
                name: "empty tolerations tolerate empty taints",
                tolerations: vec![],
                taints: vec![],
                only_no_execute: false,
                tolerated: true,
            },
            Case {
                name: "non-empty tolerations tolerate empty taints",
                tolerations: vec![tol("foo", "Exists", "NoSchedule")],
                taints: vec![],
                only_no_execute: false,
                tolerated: true,
            },
            Case {
                name: "tolerations match all taints, expect tolerated",
                tolerations: vec![tol("foo", "Exists", "NoSchedule")],
                taints: vec![taint("foo", "NoSchedule")],
                only_no_execute: false,
                tolerated: true,
            },
            Case {
                name: "tolerations don't match taints, expect untolerated",
                tolerations: vec![tol("foo", "Exists", "NoSchedule")],
                taints: vec![taint("bar", "NoSchedule")],
                only_no_execute: false,
                tolerated: false,
            },
            Case {
                name: "only NoExecute taints are filtered; the NoSchedule one is not looked at",
                tolerations: vec![tol("foo", "Exists", "NoExecute")],
                taints: vec![taint("foo", "NoExecute"), taint("bar", "NoSchedule")],
                only_no_execute: true,
                tolerated: true,
            },
        ];
        for c in cases {
            let got = find_matching_untolerated_taint(&c.taints, &c.tolerations, |t| {
                !c.only_no_execute || t.effect == "NoExecute"
            });
            assert_eq!(got.is_none(), c.tolerated, "{}", c.name);
        }
    }

    #[test]
    fn toleration_with_empty_effect_matches_every_effect_and_exists_with_empty_key_everything() {
        let any = Toleration {
            operator: Some("Exists".into()),
            ..Default::default()
        };
        assert!(toleration_matches(&any, &taint("x", "NoExecute")));
        let key_only = Toleration {
            key: Some("x".into()),
            operator: Some("Exists".into()),
            ..Default::default()
        };
        assert!(toleration_matches(&key_only, &taint("x", "NoSchedule")));
        assert!(!toleration_matches(&key_only, &taint("y", "NoSchedule")));
        let equal = Toleration {
            key: Some("x".into()),
            value: Some("v".into()),
            ..Default::default()
        };
        let mut t = taint("x", "NoSchedule");
        assert!(!toleration_matches(&equal, &t));
        t.value = Some("v".into());
        assert!(toleration_matches(&equal, &t));
    }

    #[test]
    fn prefer_no_schedule_counts_only_untolerated_soft_taints() {
        let taints = vec![
            taint("a", "PreferNoSchedule"),
            taint("b", "PreferNoSchedule"),
            taint("c", "NoSchedule"),
        ];
        assert_eq!(count_intolerable_prefer_no_schedule(&taints, &[]), 2);
        assert_eq!(
            count_intolerable_prefer_no_schedule(
                &taints,
                &[tol("a", "Exists", "PreferNoSchedule")]
            ),
            1
        );
        // A NoSchedule toleration does not tolerate a PreferNoSchedule taint for scoring.
        assert_eq!(
            count_intolerable_prefer_no_schedule(&taints, &[tol("a", "Exists", "NoSchedule")]),
            2
        );
    }
}
