//! `FitError.Error()` (framework/types.go) and the default preemption PostFilter's message
//! (controllers-semantics §7.3): `0/N nodes are available: <sorted "count reason">.` followed by
//! the PostFilter's own sentence.

use std::collections::BTreeMap;

/// The reason histogram, as `"<count> <reason>"` strings sorted as strings (so `"10 x"` comes
/// before `"2 y"`, and `"1 Insufficient cpu"` before `"1 node(s)…"`).
pub fn sorted_histogram(reasons: &BTreeMap<String, usize>) -> Vec<String> {
    let mut v: Vec<String> = reasons.iter().map(|(r, c)| format!("{c} {r}")).collect();
    v.sort();
    v
}

/// The whole message. `pre_filter` replaces the histogram when a PreFilter rejected the pod.
pub fn fit_error_message(
    num_nodes: usize,
    pre_filter: Option<&str>,
    reasons: &BTreeMap<String, usize>,
    post_filter: Option<&str>,
) -> String {
    let mut msg = format!("0/{num_nodes} nodes are available:");
    match pre_filter {
        Some(p) => msg.push_str(&format!(" {p}.")),
        None => msg.push_str(&format!(" {}.", sorted_histogram(reasons).join(", "))),
    }
    if let Some(p) = post_filter.filter(|p| !p.is_empty()) {
        msg.push_str(&format!(" {p}."));
    }
    msg
}

/// The default preemption's PostFilter message: each node's verdict counted the same way.
pub fn preemption_message(num_nodes: usize, verdicts: &BTreeMap<String, usize>) -> String {
    format!(
        "preemption: 0/{num_nodes} nodes are available: {}",
        sorted_histogram(verdicts).join(", ")
    )
}

pub const PREEMPTION_NOT_HELPFUL: &str = "Preemption is not helpful for scheduling";
pub const NO_PREEMPTION_VICTIMS: &str = "No preemption victims found for incoming pod";

#[cfg(test)]
mod tests {
    use super::*;

    fn hist(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
        pairs.iter().map(|(r, c)| (r.to_string(), *c)).collect()
    }

    /// B14: framework/types_test.go `TestFitError_Error`.
    #[test]
    fn test_fit_error_error() {
        type Case<'a> = (
            &'a str,
            Option<&'a str>,
            BTreeMap<String, usize>,
            Option<&'a str>,
            &'a str,
        );
        let cases: Vec<Case> = vec![
            (
                "nodes failed PreFilter plugin",
                Some("Node(s) failed PreFilter plugin FalsePreFilter"),
                hist(&[]),
                None,
                "0/3 nodes are available: Node(s) failed PreFilter plugin FalsePreFilter.",
            ),
            (
                "nodes failed one Filter plugin",
                None,
                hist(&[("Node(s) failed Filter plugin FalseFilter-1", 3)]),
                None,
                "0/3 nodes are available: 3 Node(s) failed Filter plugin FalseFilter-1.",
            ),
            (
                "nodes failed one Filter plugin with a PostFilter message",
                None,
                hist(&[("Node(s) failed Filter plugin FalseFilter-1", 3)]),
                Some("Error running PostFilter plugin FailedPostFilter"),
                "0/3 nodes are available: 3 Node(s) failed Filter plugin FalseFilter-1. Error running PostFilter plugin FailedPostFilter.",
            ),
            (
                "nodes failed two Filter plugins: sorted as strings",
                None,
                hist(&[
                    ("Node(s) failed Filter plugin FalseFilter-1", 2),
                    ("Node(s) failed Filter plugin FalseFilter-2", 1),
                ]),
                None,
                "0/3 nodes are available: 1 Node(s) failed Filter plugin FalseFilter-2, 2 Node(s) failed Filter plugin FalseFilter-1.",
            ),
        ];
        for (name, pre, reasons, post, want) in cases {
            assert_eq!(fit_error_message(3, pre, &reasons, post), want, "{name}");
        }
    }

    /// B14: default_preemption_test.go PostFilter statuses.
    #[test]
    fn test_post_filter_preemption_messages() {
        assert_eq!(
            preemption_message(1, &hist(&[(NO_PREEMPTION_VICTIMS, 1)])),
            "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod"
        );
        assert_eq!(
            preemption_message(1, &hist(&[(PREEMPTION_NOT_HELPFUL, 1)])),
            "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling"
        );
        assert_eq!(
            preemption_message(2, &hist(&[("Insufficient cpu", 2)])),
            "preemption: 0/2 nodes are available: 2 Insufficient cpu"
        );
        assert_eq!(
            preemption_message(3, &hist(&[("Insufficient cpu", 1), (NO_PREEMPTION_VICTIMS, 2)])),
            "preemption: 0/3 nodes are available: 1 Insufficient cpu, 2 No preemption victims found for incoming pod"
        );
        assert_eq!(
            preemption_message(4, &hist(&[("Insufficient cpu", 2), (PREEMPTION_NOT_HELPFUL, 2)])),
            "preemption: 0/4 nodes are available: 2 Insufficient cpu, 2 Preemption is not helpful for scheduling"
        );
    }

    #[test]
    fn ten_sorts_before_two_as_a_string() {
        let h = hist(&[("x", 10), ("y", 2)]);
        assert_eq!(sorted_histogram(&h), vec!["10 x", "2 y"]);
    }
}
