//! The session's promises to the playground: time can be cut into slices, sought back and forth,
//! shared as a link and forked, and every path to a moment shows the same cluster.

use podplay_api::time::{Millis, SECOND};
use podplay_engine::commands::parse_script;
use podplay_session::{
    complete, explain, validate, ActionKind, LinkError, Session, SharedSession, LINK_LIMIT,
};

const WEB: &str = include_str!("../../../scenarios/default/web.yaml");
const SCRIPT: &str = include_str!("../../../scenarios/default/script.txt");
const POD: &str = "web-5d8f7b9c6d-4xkzp";

fn default_scenario() -> Session {
    let mut s = Session::new(1);
    let script = parse_script(SCRIPT).expect("the default script parses");
    s.load(WEB, &script).expect("the default scenario is valid");
    s
}

fn pod_status(s: &Session, name: &str) -> Option<(String, String, String)> {
    let v = s.view();
    v.nodes
        .iter()
        .flat_map(|n| n.pods.iter())
        .chain(v.unscheduled.iter())
        .find(|p| p.name == name)
        .map(|p| (p.status.clone(), p.ready.clone(), p.restarts.clone()))
}

#[test]
fn the_default_scenario_plays_its_script() {
    let mut s = default_scenario();
    assert!(s.advance(80 * SECOND, u64::MAX));
    let (status, ready, restarts) = pod_status(&s, POD).expect("the pod exists");
    assert_eq!((status.as_str(), ready.as_str()), ("Running", "1/1"));
    assert!(restarts.starts_with('1'), "restarted once: {restarts}");
    // The script's lines show on the timeline as actions.
    assert!(s
        .markers()
        .iter()
        .any(|m| m.type_ == "Action" && m.t == 33 * SECOND && m.label.contains("rm /usr/share")));
}

#[test]
fn advancing_in_small_slices_is_the_same_as_one_run() {
    let mut whole = default_scenario();
    whole.advance(80 * SECOND, u64::MAX);
    let mut sliced = default_scenario();
    let mut t = 0;
    while t < 80 * SECOND {
        t = (t + 16 * 37).min(80 * SECOND);
        // A tiny budget: most frames stop before reaching their target.
        while !sliced.advance(t, 3) {}
    }
    assert_eq!(whole.view(), sliced.view());
    assert_eq!(whole.trace(), sliced.trace());
    assert_eq!(whole.markers(), sliced.markers());
}

#[test]
fn seeking_back_shows_the_earlier_cluster_exactly() {
    let mut s = default_scenario();
    s.advance(40 * SECOND, u64::MAX);
    let at_40 = (s.view(), s.trace().to_vec());
    s.advance(90 * SECOND, u64::MAX);
    assert_eq!(s.frontier(), 90 * SECOND);
    s.seek(40 * SECOND);
    assert_eq!(s.now(), 40 * SECOND);
    assert_eq!((s.view(), s.trace().to_vec()), at_40);
    // Forward again along the same timeline: the same future.
    let mut straight = default_scenario();
    straight.advance(90 * SECOND, u64::MAX);
    s.seek(90 * SECOND);
    assert_eq!(s.view(), straight.view());
    assert_eq!(s.trace(), straight.trace());
    // Markers are the whole timeline's, whatever moment is shown, without duplicates.
    assert_eq!(s.markers(), straight.markers());
}

#[test]
fn seeking_is_clamped_to_the_timeline() {
    let mut s = default_scenario();
    s.advance(10 * SECOND, u64::MAX);
    s.seek(-5);
    assert_eq!(s.now(), 0);
    s.seek(10 * 60 * SECOND);
    assert_eq!(s.now(), 10 * SECOND);
}

#[test]
fn acting_in_the_past_forks_the_timeline_but_keeps_the_script() {
    let mut s = default_scenario();
    s.advance(20 * SECOND, u64::MAX);
    s.command("kubectl label pod web-5d8f7b9c6d-4xkzp tier=front");
    s.advance(60 * SECOND, u64::MAX);
    s.seek(10 * SECOND);
    let out = s.command("kubectl get pods").expect("get answers at once");
    assert_eq!(out.exit, 0);
    assert_eq!(s.frontier(), 10 * SECOND);
    let lines: Vec<String> = s
        .actions()
        .iter()
        .filter_map(|a| match &a.kind {
            ActionKind::Command { line } => Some(line.clone()),
            _ => None,
        })
        .collect();
    assert!(
        !lines.iter().any(|l| l.contains("label")),
        "the label was in the abandoned future: {lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("rm /usr/share")),
        "the script still plays: {lines:?}"
    );
}

#[test]
fn a_share_link_reproduces_the_session() {
    let mut s = default_scenario();
    s.advance(15 * SECOND, u64::MAX);
    s.command(
        "kubectl exec web-5d8f7b9c6d-4xkzp -c nginx -- rm /usr/share/nginx/html/podplay/index.html",
    );
    s.advance(50 * SECOND, u64::MAX);
    s.seek(45 * SECOND);
    let link = SharedSession::of(&s, "# my edits\n")
        .encode()
        .expect("small enough");
    assert!(link.starts_with("v1."));
    assert!(link.len() < 4000, "links stay short: {}", link.len());
    let shared = SharedSession::decode(&link).expect("decodes");
    assert_eq!(shared.editor, "# my edits\n");
    let opened = shared.open();
    assert_eq!(opened.now(), 45 * SECOND);
    assert_eq!(opened.view(), s.view());
    assert_eq!(opened.trace(), s.trace());
}

#[test]
fn damaged_and_foreign_links_are_refused_with_a_reason() {
    let s = default_scenario();
    let link = SharedSession::of(&s, "").encode().unwrap();
    let cut = &link[..link.len() / 2];
    match SharedSession::decode(cut) {
        Err(e @ LinkError::Damaged(_)) => assert!(e.to_string().contains("damaged")),
        other => panic!("a cut link is damaged: {other:?}"),
    }
    assert!(matches!(
        SharedSession::decode("v9.abc"),
        Err(LinkError::Version(9))
    ));
    assert!(matches!(
        SharedSession::decode("hello"),
        Err(LinkError::Damaged(_))
    ));
    assert!(matches!(
        SharedSession::decode("v1.!!!"),
        Err(LinkError::Damaged(_))
    ));
    let long = "v1.".to_string() + &"A".repeat(LINK_LIMIT);
    assert!(matches!(
        SharedSession::decode(&long),
        Err(LinkError::TooLong { .. })
    ));
}

#[test]
fn a_session_too_large_for_a_link_says_so() {
    // Incompressible text: a pseudo-random comment the size of a big manifest set.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let noise: String = (0..60_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from(b'!' + (x % 90) as u8)
        })
        .collect();
    let s = Session::new(1);
    let err = SharedSession::of(&s, &format!("# {noise}\n"))
        .encode()
        .unwrap_err();
    assert!(matches!(err, LinkError::TooLong { .. }));
    assert!(err.to_string().contains("too large to share"));
}

#[test]
fn validation_points_at_the_line_in_kubectls_words() {
    let diags = validate("apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\nspec:\n  containers:\n  - name: c\n    image: nginx\n");
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].line, 4);
    assert!(
        diags[0].message.contains("a lowercase RFC 1123 subdomain"),
        "{}",
        diags[0].message
    );
    assert!(validate(WEB).is_empty());
}

#[test]
fn applying_invalid_text_changes_nothing() {
    let mut s = Session::new(1);
    assert!(s.apply("kind: Pod\n").is_err());
    assert!(s.actions().is_empty());
}

#[test]
fn applying_again_changes_only_what_changed() {
    let mut s = Session::new(1);
    let first = s.apply(WEB).expect("valid");
    assert!(first.stdout.contains("created"), "{}", first.stdout);
    s.advance(5 * SECOND, u64::MAX);
    let again = s.apply(WEB).expect("valid");
    assert!(again.stdout.contains("unchanged"), "{}", again.stdout);
}

#[test]
fn inspecting_leaves_no_trace_and_refuses_changes() {
    let mut s = default_scenario();
    s.advance(10 * SECOND, u64::MAX);
    let before = s.trace().len();
    let d = s.inspect(&format!("kubectl describe pod {POD}"));
    assert_eq!(d.exit, 0, "{}", d.stderr);
    assert!(d.stdout.contains("Name:") && d.stdout.contains(POD));
    assert_eq!(s.trace().len(), before);
    let refused = s.inspect(&format!("kubectl delete pod {POD}"));
    assert_eq!(refused.exit, 1);
    assert!(pod_status(&s, POD).is_some());
}

#[test]
fn the_cause_of_a_liveness_restart_names_the_failures_and_threshold() {
    let mut s = default_scenario();
    s.advance(60 * SECOND, u64::MAX);
    let why = explain(&s, "default", POD, Some("nginx")).expect("the container exists");
    assert!(
        why.starts_with(
            "restarted because the liveness probe failed 3 times in a row (failureThreshold 3) at "
        ),
        "{why}"
    );
    // Three moments, period 5 s apart.
    let moments = why
        .split(" at ")
        .nth(1)
        .and_then(|r| r.split(';').next())
        .unwrap_or_default()
        .to_string();
    assert_eq!(moments.matches(" s").count(), 3, "{why}");
}

#[test]
fn the_cause_of_an_unscheduled_pod_is_the_schedulers_message() {
    let mut s = Session::new(1);
    s.apply("apiVersion: v1\nkind: Pod\nmetadata:\n  name: big\nspec:\n  containers:\n  - name: c\n    image: nginx\n    resources:\n      requests:\n        cpu: \"64\"\n").unwrap();
    s.advance(5 * SECOND, u64::MAX);
    let why = explain(&s, "default", "big", None).expect("the pod exists");
    assert!(
        why.starts_with("not scheduled: 0/3 nodes are available"),
        "{why}"
    );
    assert!(why.contains("Insufficient cpu"), "{why}");
    // Node by node, for the pending-pod panel.
    let v = s.view();
    let pod = v
        .unscheduled
        .iter()
        .find(|p| p.name == "big")
        .expect("pending");
    let nodes: Vec<&str> = pod.node_verdicts.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(nodes, ["control-plane", "node1", "node2"]);
    assert!(
        pod.node_verdicts[0]
            .1
            .iter()
            .any(|r| r.contains("untolerated taint")),
        "{:?}",
        pod.node_verdicts
    );
    assert_eq!(pod.node_verdicts[1].1, ["Insufficient cpu"]);
}

#[test]
fn completion_offers_verbs_kinds_and_names() {
    let mut s = default_scenario();
    s.advance(5 * SECOND, u64::MAX);
    assert!(complete(&s, "kubectl des").contains(&"describe".to_string()));
    assert!(complete(&s, "kubectl get po").contains(&"pods".to_string()));
    assert!(complete(&s, "kubectl logs web-").contains(&POD.to_string()));
    assert_eq!(complete(&s, "ku"), vec!["kubectl".to_string()]);
}

#[test]
fn the_next_event_is_ahead_while_something_is_due() {
    let mut s = default_scenario();
    let next = s.next_event_time().expect("the pod has work to do");
    assert!(next >= s.now());
    s.advance(next, u64::MAX);
    assert_eq!(s.now(), next);
}

#[test]
fn reset_empties_the_cluster() {
    let mut s = default_scenario();
    s.advance(10 * SECOND, u64::MAX);
    s.reset();
    assert_eq!(s.now(), 0);
    assert!(s.actions().is_empty());
    assert!(pod_status(&s, POD).is_none());
}

#[test]
fn a_link_cannot_ask_for_more_than_a_week() {
    let shared = SharedSession {
        v: 1,
        seed: 1,
        editor: String::new(),
        actions: vec![],
        moment: Millis::MAX / 2,
        files: vec![],
    };
    let s = shared.open();
    assert_eq!(s.now(), 7 * 24 * 3600 * SECOND);
}

#[test]
fn the_view_shows_nodes_pods_containers_probes_and_endpoints() {
    use podplay_session::view::{ContainerRole, StateView};
    let mut s = default_scenario();
    s.advance(SECOND + 500, u64::MAX);
    let v = s.view();
    assert_eq!(
        v.nodes.iter().map(|n| n.name.as_str()).collect::<Vec<_>>(),
        ["control-plane", "node1", "node2"]
    );
    assert!(v.nodes.iter().all(|n| n.status == "Ready"));
    let pod = v
        .nodes
        .iter()
        .flat_map(|n| n.pods.iter())
        .find(|p| p.name == POD)
        .unwrap();
    assert_eq!(pod.status, "Init:0/1");
    assert_eq!(
        pod.owner, None,
        "the default scenario's pod is a bare pod named like a Deployment's"
    );
    assert_eq!(pod.init_containers[0].role, ContainerRole::Init);
    s.advance(40 * SECOND, u64::MAX);
    let v = s.view();
    let pod = v
        .nodes
        .iter()
        .flat_map(|n| n.pods.iter())
        .find(|p| p.name == POD)
        .unwrap();
    assert!(pod.sandbox_ready && pod.ip.is_some());
    let nginx = &pod.containers[0];
    assert_eq!(nginx.state.word(), "running");
    assert!(matches!(nginx.state, StateView::Running { .. }));
    let liveness = nginx.probes.iter().find(|p| p.kind == "liveness").unwrap();
    // At 40 s the page is gone (33 s): liveness is failing, counting toward its threshold.
    assert_eq!(liveness.failure_threshold, 3);
    assert!(liveness.failures >= 1, "{liveness:?}");
    assert_eq!(liveness.last.map(|l| l.1), Some(false));
    let svc = v.services.iter().find(|x| x.name == "web").unwrap();
    assert_eq!(svc.ready.len() + svc.not_ready.len(), 1);
}

#[test]
fn the_view_groups_a_deployments_replica_sets_and_pods() {
    let mut s = Session::new(1);
    s.apply("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n").unwrap();
    s.advance(10 * SECOND, u64::MAX);
    let v = s.view();
    let deploy = v
        .workloads
        .iter()
        .find(|w| w.kind == "Deployment")
        .expect("the deployment");
    assert_eq!(deploy.owned.len(), 1, "{deploy:?}");
    assert_eq!(deploy.owned[0].0, "ReplicaSet");
    let rs = v
        .workloads
        .iter()
        .find(|w| w.kind == "ReplicaSet")
        .expect("its replica set");
    assert_eq!(rs.owned.len(), 2, "{rs:?}");
    assert_eq!(rs.revision.as_deref(), Some("1"));
    let pods: Vec<_> = v.nodes.iter().flat_map(|n| n.pods.iter()).collect();
    assert!(pods
        .iter()
        .all(|p| p.owner.as_ref().map(|o| o.0.as_str()) == Some("ReplicaSet")));
}

#[test]
fn incremental_event_readers_are_told_to_start_again_after_a_seek_back() {
    let mut s = default_scenario();
    s.advance(20 * SECOND, u64::MAX);
    let (first, from) = s.events_since(0);
    assert!(!first.is_empty());
    let epoch = s.epoch();
    s.advance(60 * SECOND, u64::MAX);
    let (more, _) = s.events_since(from);
    assert!(!more.is_empty());
    s.seek(10 * SECOND);
    assert_ne!(s.epoch(), epoch, "the trace was cut back");
    let (all, _) = s.events_since(0);
    assert_eq!(all, s.events());
}

/// The native trace of the default scenario, which the wasm test (`tests/wasm.rs`) compares the
/// browser's against. Rewritten with UPDATE_SNAPSHOTS=1.
#[test]
fn the_default_scenario_trace_snapshot_for_the_wasm_comparison() {
    let mut s = default_scenario();
    s.advance(90 * SECOND, u64::MAX);
    let text: String = s
        .trace()
        .iter()
        .map(|r| r.to_json().to_string() + "\n")
        .collect();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/snapshots/default-session.jsonl"
    );
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots")).unwrap();
        std::fs::write(path, &text).unwrap();
    }
    let want =
        std::fs::read_to_string(path).expect("snapshot exists (UPDATE_SNAPSHOTS=1 writes it)");
    assert_eq!(text, want);
}

#[test]
fn an_objects_row_history_follows_its_changes() {
    let mut s = default_scenario();
    s.advance(80 * SECOND, u64::MAX);
    let h = s.row_history("Pod", "default", POD);
    assert!(h.len() >= 4, "{h:?}");
    assert!(h.windows(2).all(|w| w[0].0 <= w[1].0));
    let statuses: Vec<&str> = h
        .iter()
        .filter_map(|(_, c)| {
            c.iter()
                .find(|(k, _)| k == "STATUS")
                .map(|(_, v)| v.as_str())
        })
        .collect();
    assert!(
        statuses.contains(&"Init:0/1") && statuses.contains(&"Running"),
        "{statuses:?}"
    );
}

#[test]
fn a_scenario_with_files_of_its_own_runs_its_script_and_shares_them() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: solo\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n";
    let mut s = Session::new(3);
    s.load_with_files(
        "",
        vec![("pod.yaml".into(), pod.into())],
        &[(2 * SECOND, "kubectl create -f pod.yaml".into())],
    )
    .expect("no manifests is valid");
    assert!(s
        .actions()
        .iter()
        .all(|a| matches!(a.kind, ActionKind::Command { .. })));
    s.advance(20 * SECOND, u64::MAX);
    assert_eq!(
        pod_status(&s, "solo").map(|p| p.0),
        Some("Running".to_string())
    );
    let link = SharedSession::of(&s, "").encode().unwrap();
    let opened = SharedSession::decode(&link).unwrap().open();
    assert_eq!(opened.view(), s.view());
    s.reset();
    assert_eq!(s.files().len(), 1, "reset keeps the scenario's files");
}

#[test]
fn checkpoints_stay_bounded_and_seeking_far_back_still_works() {
    let mut s = default_scenario();
    s.advance(3 * 3600 * SECOND, u64::MAX);
    assert!(
        s.checkpoint_count() <= podplay_session::MAX_CHECKPOINTS,
        "{}",
        s.checkpoint_count()
    );
    let mut straight = default_scenario();
    straight.advance(100 * SECOND, u64::MAX);
    s.seek(100 * SECOND);
    assert_eq!(s.view(), straight.view());
    assert_eq!(s.trace(), straight.trace());
}
