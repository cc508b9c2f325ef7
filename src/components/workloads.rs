//! The workloads above the nodes, each drawn in its own terms: a Deployment's ReplicaSets by
//! revision with the rollout budget (desired, max surge, min available) as a bar, so a rollout
//! shows old pods draining and new ones filling; Jobs as completion segments with failures and
//! the back-off; a CronJob's schedule with a countdown to the next run and the Jobs it owns; the
//! HPA's current vs target utilization and its replicas over time as a small chart; DaemonSets and
//! StatefulSets as groups of their pods.
//!
//! Everything comes from the engine's `ClusterView` (kubectl's row per object, plus
//! `WorkloadDetail`) and, for the HPA chart, from its row's history in the trace (`HpaHistory`).

use std::collections::BTreeMap;

use podplay_api::time::Millis;
use podplay_session::view::{ClusterView, PodView, WorkloadDetail, WorkloadView};
use yew::prelude::*;

use crate::i18n::{t, tf, Lang};

/// One HPA's kubectl row over time: (moment, current %, target %, replicas, min, max).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct HpaPoint {
    pub t: Millis,
    pub current: Option<i64>,
    pub target: Option<i64>,
    pub replicas: i64,
    pub min: i64,
    pub max: i64,
}

/// HPAs by (namespace, name), each with its points, oldest first.
pub type HpaHistory = BTreeMap<(String, String), Vec<HpaPoint>>;

/// A column of kubectl's row by header (`READY`, `TARGETS`).
pub fn column<'a>(w: &'a WorkloadView, name: &str) -> Option<&'a str> {
    w.columns
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The first metric of the TARGETS column (`cpu: 250%/50%`, `cpu: <unknown>/50%`, `250%/50%`):
/// (current, target) percentages, either unknown.
pub fn parse_targets(targets: &str) -> (Option<i64>, Option<i64>) {
    let first = targets.split(", ").next().unwrap_or_default();
    let value = first.rsplit(": ").next().unwrap_or_default();
    let mut parts = value.splitn(2, '/');
    let pct = |s: Option<&str>| {
        s.and_then(|s| s.trim().strip_suffix('%'))
            .and_then(|n| n.parse().ok())
    };
    let current = pct(parts.next());
    let target = pct(parts.next());
    (current, target)
}

/// An HPA row's columns as a chart point.
pub fn hpa_point(t: Millis, columns: &[(String, String)]) -> HpaPoint {
    let col = |name: &str| {
        columns
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    };
    let (current, target) = parse_targets(col("TARGETS"));
    let int = |name: &str| col(name).trim().parse::<i64>().unwrap_or(0);
    HpaPoint {
        t,
        current,
        target,
        replicas: int("REPLICAS"),
        min: int("MINPODS"),
        max: int("MAXPODS"),
    }
}

/// The rollout budget as the Deployment controller keeps it: at most `desired + surge` pods, at
/// least `desired − unavailable` of them available.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Budget {
    pub desired: i64,
    pub surge: i64,
    pub unavailable: i64,
    pub max_pods: i64,
    pub min_available: i64,
}

pub fn budget(detail: &WorkloadDetail) -> Option<Budget> {
    match detail {
        WorkloadDetail::Rollout {
            replicas,
            max_surge,
            max_unavailable,
            ..
        } => Some(Budget {
            desired: *replicas,
            surge: *max_surge,
            unavailable: *max_unavailable,
            max_pods: replicas + max_surge,
            min_available: (replicas - max_unavailable).max(0),
        }),
        _ => None,
    }
}

/// A Job's completion segments: `done` for each success, `running` for active pods, `todo` for
/// the rest (completions, or parallelism for a work queue without completions). Capped so a huge
/// Job stays a bar.
pub fn job_segments(completions: Option<i64>, succeeded: i64, active: i64) -> Vec<&'static str> {
    const MAX: i64 = 40;
    let total = completions.unwrap_or(succeeded + active).clamp(0, MAX);
    (0..total)
        .map(|i| {
            if i < succeeded {
                "done"
            } else if i < succeeded + active {
                "running"
            } else {
                "todo"
            }
        })
        .collect()
}

/// Whole seconds from `now` to `until`, rounded up (a countdown never shows 0 early).
pub fn secs_until(until: Millis, now: Millis) -> i64 {
    ((until - now).max(0) + 999) / 1000
}

/// `1m20s`, `45s`, `2h3m`: a short duration for countdowns.
pub fn short_duration(secs: i64) -> String {
    let secs = secs.max(0);
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => match s % 60 {
            0 => format!("{}m", s / 60),
            r => format!("{}m{r}s", s / 60),
        },
        s => match (s % 3600) / 60 {
            0 => format!("{}h", s / 3600),
            m => format!("{}h{m}m", s / 3600),
        },
    }
}

/// The chart's lines as SVG path data over a `w × h` box, time left to right up to `now`:
/// replicas as steps (0 at the bottom, the largest of max and replicas at the top, with the
/// min/max lines), and utilization on its own axis (0 to the largest percentage seen, with the
/// target line).
pub struct Chart {
    pub replicas: String,
    pub utilization: String,
    pub min_y: f64,
    pub max_y: f64,
    pub target_y: Option<f64>,
}

pub fn chart(points: &[HpaPoint], now: Millis, w: f64, h: f64) -> Chart {
    let t0 = points.first().map_or(0, |p| p.t);
    let span = (now - t0).max(1) as f64;
    let x = |t: Millis| ((t - t0) as f64 / span * w).clamp(0.0, w);
    let top = points
        .iter()
        .map(|p| p.max.max(p.replicas))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let y = |v: i64| h - (v as f64 / top * h).clamp(0.0, h);
    let mut replicas = String::new();
    for (i, p) in points.iter().enumerate() {
        if i == 0 {
            replicas.push_str(&format!("M{:.1} {:.1}", x(p.t), y(p.replicas)));
        } else {
            // A step: the count holds until it changes.
            replicas.push_str(&format!(" H{:.1} V{:.1}", x(p.t), y(p.replicas)));
        }
    }
    if let Some(last) = points.last() {
        replicas.push_str(&format!(" H{:.1}", x(now.max(last.t))));
    }
    let top_pct = points
        .iter()
        .flat_map(|p| [p.current.unwrap_or(0), p.target.unwrap_or(0)])
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let yp = |v: i64| h - (v as f64 / top_pct * h).clamp(0.0, h);
    let mut utilization = String::new();
    for p in points {
        if let Some(c) = p.current {
            let cmd = if utilization.is_empty() { 'M' } else { 'L' };
            utilization.push_str(&format!("{cmd}{:.1} {:.1} ", x(p.t), yp(c)));
        }
    }
    let last = points.last();
    Chart {
        replicas,
        utilization: utilization.trim_end().to_string(),
        min_y: y(last.map_or(0, |p| p.min)),
        max_y: y(last.map_or(0, |p| p.max)),
        target_y: last.and_then(|p| p.target).map(yp),
    }
}

/// A pod as its chip shows it: STATUS and READY.
#[derive(Clone, Debug, PartialEq)]
pub struct PodSummary {
    pub status: String,
    pub ready: String,
}

/// Pods of the view by (namespace, name), for the chips under each workload.
pub type Pods = BTreeMap<(String, String), PodSummary>;

pub fn pods_by_name(view: &ClusterView) -> Pods {
    view.nodes
        .iter()
        .flat_map(|n| n.pods.iter())
        .chain(view.unscheduled.iter())
        .map(|p: &PodView| {
            (
                (p.namespace.clone(), p.name.clone()),
                PodSummary {
                    status: p.status.clone(),
                    ready: p.ready.clone(),
                },
            )
        })
        .collect()
}

/// Whether anything drawn counts down (so the list needs the clock every frame).
fn counting(all: &[WorkloadView]) -> bool {
    all.iter().any(|w| {
        w.kind == "HorizontalPodAutoscaler"
            || matches!(
                &w.detail,
                Some(WorkloadDetail::CronJob { .. })
                    | Some(WorkloadDetail::Job {
                        backoff_until: Some(_),
                        ..
                    })
            )
    })
}

#[derive(Properties, PartialEq)]
pub struct WorkloadListProps {
    pub workloads: Vec<WorkloadView>,
    pub pods: Pods,
    pub hpa: std::rc::Rc<HpaHistory>,
    /// The moment shown, or 0 when nothing counts down (then equal props skip the render: a
    /// 100-replica Deployment redrawn every frame would cost the frame).
    pub now: Millis,
    pub lang: Lang,
}

/// Chips drawn per workload at most; the rest are counted.
const MAX_CHIPS: usize = 30;

/// The workloads no other workload owns, each with what it owns below it.
#[component]
pub fn WorkloadList(props: &WorkloadListProps) -> Html {
    let all = &props.workloads;
    let lang = props.lang;
    html! {
        <ul class="workloads" data-testid="workloads" aria-label={t(lang, "cluster.workloads")}>
            { for top_workloads(all).into_iter().map(|w| workload(w, all, &props.pods, &props.hpa, props.now, lang)) }
        </ul>
    }
}

/// The list's props for a view: `now` only when something counts down.
pub fn list_props_now(view: &ClusterView) -> Millis {
    if counting(&view.workloads) {
        view.t
    } else {
        0
    }
}

/// Workloads no other workload owns (a Deployment, not its ReplicaSets), in the view's order.
fn top_workloads(all: &[WorkloadView]) -> Vec<&WorkloadView> {
    all.iter()
        .filter(|w| {
            !all.iter().any(|o| {
                o.namespace == w.namespace
                    && o.owned.iter().any(|(k, n)| *k == w.kind && *n == w.name)
            })
        })
        .collect()
}

fn chip_class(status: &str, ready: &str) -> &'static str {
    let all_ready = ready
        .split_once('/')
        .is_some_and(|(a, b)| a == b && b != "0");
    match status {
        "Terminating" => "draining",
        "Running" if all_ready => "ok",
        "Running" => "progress",
        "Completed" | "Succeeded" => "done",
        "Pending" | "ContainerCreating" | "PodInitializing" => "progress",
        s if s.starts_with("Init:") => "progress",
        _ => "bad",
    }
}

fn owned_pods<'a>(w: &'a WorkloadView, pods: &'a Pods) -> Vec<(&'a str, &'a PodSummary)> {
    w.owned
        .iter()
        .filter(|(k, _)| k == "Pod")
        .filter_map(|(_, name)| {
            pods.get(&(w.namespace.clone(), name.clone()))
                .map(|p| (name.as_str(), p))
        })
        .collect()
}

fn pod_chips(w: &WorkloadView, pods: &Pods) -> Html {
    let mine = owned_pods(w, pods);
    if mine.is_empty() {
        return html! {};
    }
    let more = mine.len().saturating_sub(MAX_CHIPS);
    html! {
        <span class="chips" data-pods={mine.len().to_string()}>
            { for mine.iter().take(MAX_CHIPS).map(|(name, p)| html! {
                <span class={classes!("chip", chip_class(&p.status, &p.ready))} data-testid="pod-chip" data-pod={name.to_string()}
                    data-status={p.status.clone()} title={format!("{name} {} {}", p.status, p.ready)}></span>
            }) }
            if more > 0 { <small>{ format!("+{more}") }</small> }
        </span>
    }
}

fn children<'a>(w: &WorkloadView, all: &'a [WorkloadView]) -> Vec<&'a WorkloadView> {
    let mut out: Vec<&WorkloadView> = all
        .iter()
        .filter(|o| {
            o.namespace == w.namespace && w.owned.iter().any(|(k, n)| *k == o.kind && *n == o.name)
        })
        .collect();
    // Newest revision first (ReplicaSets), newest Job first (CronJob names end in unix minutes).
    out.sort_by(|a, b| {
        let rev = |c: &WorkloadView| c.revision.as_deref().and_then(|r| r.parse::<u64>().ok());
        rev(b).cmp(&rev(a)).then_with(|| b.name.cmp(&a.name))
    });
    out
}

fn columns_text(w: &WorkloadView) -> String {
    w.columns
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A workload and, below it, what it owns.
fn workload(
    w: &WorkloadView,
    all: &[WorkloadView],
    pods: &Pods,
    hpa: &HpaHistory,
    now: Millis,
    lang: Lang,
) -> Html {
    let kids = children(w, all);
    let body = match (w.kind.as_str(), &w.detail) {
        ("Deployment", Some(d)) => rollout(d, &kids, pods, lang),
        ("Job", Some(d)) => job(w, d, now, lang),
        ("CronJob", Some(d)) => cronjob(d, now, lang),
        ("HorizontalPodAutoscaler", _) => hpa_view(w, hpa, now, lang),
        _ => html! {},
    };
    let nested = match w.kind.as_str() {
        "Deployment" => html! {},
        _ if kids.is_empty() => html! {},
        _ => html! {
            <ul>
                { for kids.iter().map(|c| html! {
                    <li class="workload child" data-testid="workload" data-kind={c.kind.clone()} data-name={c.name.clone()}>
                        { header(c) }
                        if let Some(d) = &c.detail { if c.kind == "Job" { { job(c, d, now, lang) } } }
                        { pod_chips(c, pods) }
                    </li>
                }) }
            </ul>
        },
    };
    html! {
        <li class={classes!("workload", w.kind.to_ascii_lowercase())} data-testid="workload"
            data-kind={w.kind.clone()} data-name={w.name.clone()}>
            { header(w) }
            { body }
            if w.kind != "Deployment" { { pod_chips(w, pods) } }
            { nested }
        </li>
    }
}

fn header(w: &WorkloadView) -> Html {
    html! {
        <span class="w-head">
            <span class="w-kind">{ w.kind.to_ascii_lowercase() }</span>
            <span class="w-name">{ &w.name }</span>
            if let Some(r) = &w.revision {
                <span class="badge progress">{ format!("rev {r}") }</span>
            }
            <span class="w-cols">{ columns_text(w) }</span>
        </span>
    }
}

fn rollout(d: &WorkloadDetail, sets: &[&WorkloadView], pods: &Pods, lang: Lang) -> Html {
    let Some(b) = budget(d) else {
        return html! {};
    };
    // Pods of every ReplicaSet, newest revision first, as runs of (class, is_new, count): a few
    // elements however many replicas.
    let mut segments: Vec<(&'static str, bool, i64)> = vec![];
    for (i, rs) in sets.iter().enumerate() {
        let mut classes: Vec<&'static str> = owned_pods(rs, pods)
            .iter()
            .map(|(_, p)| chip_class(&p.status, &p.ready))
            .collect();
        classes.sort_by_key(|c| {
            ["ok", "progress", "done", "draining", "bad"]
                .iter()
                .position(|x| x == c)
        });
        for class in classes {
            match segments.last_mut() {
                Some((c, new, n)) if *c == class && *new == (i == 0) => *n += 1,
                _ => segments.push((class, i == 0, 1)),
            }
        }
    }
    let pod_count: i64 = segments.iter().map(|(_, _, n)| n).sum();
    let scale = b.max_pods.max(pod_count).max(1) as f64;
    let pct = |v: i64| format!("{:.2}%", v as f64 / scale * 100.0);
    let text = tf(
        lang,
        "rollout.budget",
        &[
            ("desired", &b.desired.to_string()),
            ("max", &b.max_pods.to_string()),
            ("surge", &b.surge.to_string()),
            ("min", &b.min_available.to_string()),
            ("unavailable", &b.unavailable.to_string()),
        ],
    );
    let strategy = match d {
        WorkloadDetail::Rollout { strategy, .. } => strategy.clone(),
        _ => String::new(),
    };
    html! {
        <div class="rollout" data-testid="rollout">
            <div class="budget" data-testid="rollout-budget" data-desired={b.desired.to_string()}
                data-max={b.max_pods.to_string()} data-min={b.min_available.to_string()}
                data-pods={pod_count.to_string()}>
                <span class="budget-text">{ format!("{strategy} · {text}") }</span>
                <div class="budget-bar" role="img" aria-label={text.clone()}>
                    { for segments.iter().map(|(class, new, n)| html! {
                        <span class={classes!("seg", *class, if *new { "new" } else { "old" })}
                            style={format!("width:{}", pct(*n))}></span>
                    }) }
                    <span class="mark min" style={format!("left:{}", pct(b.min_available))} title={t(lang, "rollout.min_available")}></span>
                    <span class="mark desired" style={format!("left:{}", pct(b.desired))} title={t(lang, "rollout.desired")}></span>
                    <span class="mark max" style={format!("left:{}", pct(b.max_pods))} title={t(lang, "rollout.max")}></span>
                </div>
            </div>
            <ol class="replicasets">
                { for sets.iter().enumerate().map(|(i, rs)| {
                    let col = |n: &str| column(rs, n).unwrap_or("0").to_string();
                    let counts = tf(lang, "rollout.rs_counts", &[
                        ("desired", &col("DESIRED")),
                        ("current", &col("CURRENT")),
                        ("ready", &col("READY")),
                    ]);
                    html! {
                        <li class={classes!("rs", if i == 0 { "new" } else { "old" })} data-testid="replicaset"
                            data-name={rs.name.clone()} data-revision={rs.revision.clone().unwrap_or_default()}
                            data-desired={col("DESIRED")} data-current={col("CURRENT")} data-ready={col("READY")}>
                            <span class="badge progress">{ format!("rev {}", rs.revision.as_deref().unwrap_or("?")) }</span>
                            <span class="w-name">{ &rs.name }</span>
                            <span class="w-cols">{ counts }</span>
                            { pod_chips(rs, pods) }
                        </li>
                    }
                }) }
            </ol>
        </div>
    }
}

fn job(w: &WorkloadView, d: &WorkloadDetail, now: Millis, lang: Lang) -> Html {
    let WorkloadDetail::Job {
        completions,
        parallelism,
        backoff_limit,
        succeeded,
        failed,
        active,
        finished,
        backoff_until,
    } = d
    else {
        return html! {};
    };
    let segs = job_segments(*completions, *succeeded, *active);
    let label = tf(
        lang,
        "job.progress",
        &[
            ("succeeded", &succeeded.to_string()),
            (
                "completions",
                &completions.map_or_else(|| "-".to_string(), |c| c.to_string()),
            ),
            ("parallelism", &parallelism.to_string()),
        ],
    );
    html! {
        <div class="job" data-testid="job-progress" data-name={w.name.clone()} data-succeeded={succeeded.to_string()}
            data-failed={failed.to_string()} data-active={active.to_string()}
            data-finished={finished.clone().unwrap_or_default()}>
            <span class="segments" role="img" aria-label={label.clone()}>
                { for segs.iter().map(|s| html! { <span class={classes!("seg", *s)}></span> }) }
            </span>
            <span class="job-text">{ label }</span>
            if *failed > 0 {
                <span class="badge bad">{ tf(lang, "job.failed", &[("failed", &failed.to_string()), ("limit", &backoff_limit.to_string())]) }</span>
            }
            if let Some(until) = backoff_until {
                <span class="badge warn" data-testid="job-backoff">
                    { tf(lang, "job.backoff", &[("left", &short_duration(secs_until(*until, now)))]) }
                </span>
            }
            if let Some(f) = finished {
                <span class={classes!("badge", if f == "Complete" { "ok" } else { "bad" })}>{ f }</span>
            }
        </div>
    }
}

fn cronjob(d: &WorkloadDetail, now: Millis, lang: Lang) -> Html {
    let WorkloadDetail::CronJob {
        schedule,
        time_zone,
        suspend,
        concurrency_policy,
        last_schedule,
        next_run,
    } = d
    else {
        return html! {};
    };
    html! {
        <div class="cron" data-testid="cron" data-next={next_run.map(|n| n.to_string()).unwrap_or_default()}>
            <code class="schedule">{ schedule }</code>
            if let Some(z) = time_zone { <span class="muted">{ z }</span> }
            <span class="muted">{ concurrency_policy }</span>
            if *suspend {
                <span class="badge warn">{ t(lang, "cron.suspended") }</span>
            } else if let Some(next) = next_run {
                <span class="badge progress" data-testid="cron-next">
                    { tf(lang, "cron.next", &[("in", &short_duration(secs_until(*next, now)))]) }
                </span>
            }
            <span class="muted" data-testid="cron-last">
                { match last_schedule {
                    Some(l) => tf(lang, "cron.last", &[("ago", &short_duration((now - l).max(0) / 1000))]),
                    None => t(lang, "cron.never").to_string(),
                } }
            </span>
        </div>
    }
}

fn hpa_view(w: &WorkloadView, hpa: &HpaHistory, now: Millis, lang: Lang) -> Html {
    let empty = vec![];
    let points = hpa
        .get(&(w.namespace.clone(), w.name.clone()))
        .unwrap_or(&empty);
    let last = points.last().cloned().unwrap_or_default();
    let pct = |v: Option<i64>| v.map_or_else(|| "?".to_string(), |v| format!("{v}%"));
    let text = tf(
        lang,
        "hpa.utilization",
        &[
            ("current", &pct(last.current)),
            ("target", &pct(last.target)),
        ],
    );
    let (cw, ch) = (220.0, 60.0);
    let c = chart(points, now, cw, ch);
    let label = tf(
        lang,
        "hpa.chart",
        &[
            ("replicas", &last.replicas.to_string()),
            ("min", &last.min.to_string()),
            ("max", &last.max.to_string()),
        ],
    );
    html! {
        <div class="hpa" data-testid="hpa" data-replicas={last.replicas.to_string()}
            data-current={last.current.map(|v| v.to_string()).unwrap_or_default()}
            data-points={points.len().to_string()}>
            <span class="hpa-text">{ text }</span>
            <svg class="hpa-chart" data-testid="hpa-chart" viewBox={format!("0 0 {cw} {ch}")} width={cw.to_string()} height={ch.to_string()}
                role="img" aria-label={label.clone()}>
                <title>{ label.clone() }</title>
                <line class="limit" x1="0" x2={cw.to_string()} y1={format!("{:.1}", c.max_y)} y2={format!("{:.1}", c.max_y)} />
                <line class="limit" x1="0" x2={cw.to_string()} y1={format!("{:.1}", c.min_y)} y2={format!("{:.1}", c.min_y)} />
                if let Some(ty) = c.target_y {
                    <line class="target" x1="0" x2={cw.to_string()} y1={format!("{ty:.1}")} y2={format!("{ty:.1}")} />
                }
                if !c.utilization.is_empty() {
                    <path class="utilization" d={c.utilization} />
                }
                if !c.replicas.is_empty() {
                    <path class="replicas" data-testid="hpa-replicas-line" d={c.replicas} />
                }
            </svg>
            <span class="hpa-legend muted">{ label }</span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_column_reads_current_and_target_of_the_first_metric() {
        assert_eq!(parse_targets("cpu: 250%/50%"), (Some(250), Some(50)));
        assert_eq!(parse_targets("cpu: <unknown>/50%"), (None, Some(50)));
        assert_eq!(parse_targets("0%/80%"), (Some(0), Some(80)));
        assert_eq!(
            parse_targets("cpu: 10%/50%, memory: 30%/60%"),
            (Some(10), Some(50))
        );
        assert_eq!(parse_targets(""), (None, None));
    }

    #[test]
    fn rollout_budget_is_desired_plus_surge_and_desired_minus_unavailable() {
        let b = budget(&WorkloadDetail::Rollout {
            replicas: 10,
            strategy: "RollingUpdate".into(),
            max_surge: 3,
            max_unavailable: 2,
        })
        .expect("a rollout");
        assert_eq!((b.max_pods, b.min_available), (13, 8));
    }

    #[test]
    fn job_segments_show_done_running_and_todo() {
        assert_eq!(
            job_segments(Some(5), 3, 1),
            vec!["done", "done", "done", "running", "todo"]
        );
        // A work queue (no completions) counts what exists.
        assert_eq!(job_segments(None, 1, 2), vec!["done", "running", "running"]);
        assert_eq!(job_segments(Some(10_000), 0, 0).len(), 40);
    }

    #[test]
    fn countdowns_round_up_and_read_short() {
        assert_eq!(secs_until(1_001, 0), 2);
        assert_eq!(secs_until(0, 5_000), 0);
        assert_eq!(short_duration(45), "45s");
        assert_eq!(short_duration(80), "1m20s");
        assert_eq!(short_duration(120), "2m");
        assert_eq!(short_duration(3_720), "1h2m");
    }

    #[test]
    fn hpa_chart_steps_replicas_and_scales_to_max() {
        let cols = |targets: &str, replicas: &str| {
            vec![
                ("REFERENCE".to_string(), "Deployment/php-apache".to_string()),
                ("TARGETS".to_string(), targets.to_string()),
                ("MINPODS".to_string(), "1".to_string()),
                ("MAXPODS".to_string(), "10".to_string()),
                ("REPLICAS".to_string(), replicas.to_string()),
            ]
        };
        let points = vec![
            hpa_point(0, &cols("cpu: <unknown>/50%", "1")),
            hpa_point(50_000, &cols("cpu: 250%/50%", "4")),
        ];
        assert_eq!(points[1].current, Some(250));
        assert_eq!(
            (points[1].min, points[1].max, points[1].replicas),
            (1, 10, 4)
        );
        let c = chart(&points, 100_000, 100.0, 50.0);
        assert_eq!(c.replicas, "M0.0 45.0 H50.0 V30.0 H100.0");
        assert_eq!((c.max_y, c.min_y), (0.0, 45.0));
        assert_eq!(c.utilization, "M50.0 0.0");
        assert_eq!(c.target_y, Some(40.0));
    }
}
