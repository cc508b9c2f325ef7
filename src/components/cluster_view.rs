//! The cluster view: nodes as areas, pods as cards inside them (pod IP, the pause container, init
//! containers as an ordered strip, containers with their state, probe pulses, hook badges,
//! restarts and a back-off ring), Services above with lines to their endpoints (solid to ready
//! pods, dashed to not-ready ones), and the pods no node has taken.
//!
//! Everything drawn comes from the engine's `ClusterView` of the moment shown; the lines are the
//! only thing measured from the page (an effect draws them into an SVG overlay after layout).

use std::rc::Rc;

use podplay_api::time::Millis;
use podplay_session::view::{
    ClusterView as View, ContainerRole, ContainerView, NodeView, PodView, ProbeView, ServiceView,
    StateView,
};
use yew::prelude::*;

use crate::components::workloads::{self, HpaHistory, WorkloadList};
use crate::i18n::{t, tf, Lang};
use crate::state::Selection;

/// What a pod's context menu asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum MenuAction {
    Delete(Selection),
    /// Put `kubectl exec POD -c C -- ` into the console.
    Exec(Selection),
    /// `kubectl exec POD -c C -- kill 1`.
    Kill(Selection),
    Logs(Selection),
}

/// Above this many pods the probe pulses stop animating: a hundred overlapping CSS animations cost
/// the browser more than a frame (measured: p95 frame 33–50 ms → 16.8 ms at 100 pods, 10x). The
/// dots still show pass/fail.
pub const CALM_ABOVE_PODS: usize = 24;

#[derive(Properties, PartialEq)]
pub struct ClusterViewProps {
    pub view: Rc<View>,
    pub lang: Lang,
    /// HPAs' rows over time, for their charts.
    #[prop_or_default]
    pub hpa: Rc<HpaHistory>,
    #[prop_or_default]
    pub selected: Option<Selection>,
    #[prop_or_default]
    pub menu: Option<Selection>,
    #[prop_or_default]
    pub on_select: Callback<Option<Selection>>,
    #[prop_or_default]
    pub on_menu: Callback<Option<Selection>>,
    #[prop_or_default]
    pub on_menu_action: Callback<MenuAction>,
}

#[component]
pub fn ClusterView(props: &ClusterViewProps) -> Html {
    let lang = props.lang;
    let root = use_node_ref();
    let svg = use_node_ref();
    {
        let root = root.clone();
        let svg = svg.clone();
        use_effect_with(props.view.clone(), move |view| {
            draw_service_lines(&root, &svg, view);
        });
    }
    let view = &props.view;
    let pod_count: usize =
        view.nodes.iter().map(|n| n.pods.len()).sum::<usize>() + view.unscheduled.len();
    let pod = |p: &PodView| {
        let mine = |s: &&Selection| s.pod == p.name && s.namespace == p.namespace;
        // Only pods with a countdown depend on the clock; the others keep equal props from frame
        // to frame, so Yew skips them (100 pods at 10x stay within a frame).
        let counting = p.deletion.is_some()
            || p.containers
                .iter()
                .chain(&p.init_containers)
                .any(|c| c.backoff.is_some() || c.hook.is_some());
        html! {
            <PodCard key={p.uid.clone()} pod={p.clone()} now={if counting { view.t } else { 0 }}
                selected={props.selected.as_ref().filter(mine).cloned()}
                menu_open={props.menu.as_ref().filter(mine).is_some()} {lang}
                on_select={props.on_select.clone()} on_menu={props.on_menu.clone()}
                on_menu_action={props.on_menu_action.clone()} />
        }
    };
    html! {
        <section class={classes!("cluster", (pod_count > CALM_ABOVE_PODS).then_some("calm"))} data-testid="cluster" ref={root} aria-label={t(lang, "cluster.title")} tabindex="0">
            <svg class="service-lines" ref={svg} aria-hidden="true"></svg>
            if view.services.iter().any(|s| s.namespace != "kube-system") {
                <div class="services" aria-label={t(lang, "cluster.services")}>
                    { for view.services.iter().filter(|s| s.namespace != "kube-system").map(|s| service_card(s, lang)) }
                </div>
            }
            if !view.workloads.is_empty() {
                <WorkloadList workloads={view.workloads.clone()} pods={workloads::pods_by_name(view)}
                    hpa={props.hpa.clone()} now={workloads::list_props_now(view)} {lang} />
            }
            <div class="nodes">
                { for view.nodes.iter().map(|n| node_card(n, &pod, lang)) }
            </div>
            if !view.unscheduled.is_empty() {
                <div class="unscheduled" data-testid="unscheduled">
                    <h3>{ t(lang, "cluster.unscheduled") }</h3>
                    <div class="pods">{ for view.unscheduled.iter().map(pod) }</div>
                </div>
            }
            if pod_count == 0 {
                <p class="cluster-empty">{ t(lang, "cluster.empty") }</p>
            }
        </section>
    }
}

fn node_card(n: &NodeView, pod: &dyn Fn(&PodView) -> Html, lang: Lang) -> Html {
    let ready = n.status.starts_with("Ready");
    html! {
        <div class={classes!("node", (!ready).then_some("node-not-ready"))} data-testid="node-card" data-node={n.name.clone()}>
            <header class="node-head">
                <span class="node-name">{ &n.name }</span>
                <span class={classes!("badge", if ready { "ok" } else { "bad" })}>{ &n.status }</span>
                if n.roles != "<none>" && !n.roles.is_empty() {
                    <span class="node-role">{ &n.roles }</span>
                }
                <span class="node-ip" title={t(lang, "node.ip")}>{ &n.ip }</span>
            </header>
            if n.pods.is_empty() {
                <p class="node-empty">{ t(lang, "node.no_pods") }</p>
            } else {
                <div class="pods">{ for n.pods.iter().map(pod) }</div>
            }
        </div>
    }
}

fn service_card(s: &ServiceView, lang: Lang) -> Html {
    let counts = tf(
        lang,
        "service.endpoints",
        &[
            ("ready", &s.ready.len().to_string()),
            ("not_ready", &s.not_ready.len().to_string()),
        ],
    );
    html! {
        <div class="service" data-testid="service-card" data-service={s.name.clone()}>
            <span class="service-kind">{ "svc" }</span>
            <span class="service-name">{ &s.name }</span>
            <span class="service-meta">{ format!("{} {} {}", s.type_, s.cluster_ip, s.ports) }</span>
            <span class="service-counts">{ counts }</span>
        </div>
    }
}

/// A status word's colour class.
fn status_class(status: &str) -> &'static str {
    match status {
        "Running" | "Completed" | "Succeeded" => "ok",
        "Terminating" => "warn",
        s if s.starts_with("Init:")
            || s == "PodInitializing"
            || s == "ContainerCreating"
            || s == "Pending" =>
        {
            "progress"
        }
        _ => "bad",
    }
}

#[derive(Properties, PartialEq)]
pub struct PodCardProps {
    pub pod: PodView,
    /// The moment shown, for countdowns (0 when the pod has none, so its props stay equal).
    pub now: Millis,
    /// The selection, when it is this pod or one of its containers.
    pub selected: Option<Selection>,
    pub menu_open: bool,
    pub lang: Lang,
    pub on_select: Callback<Option<Selection>>,
    pub on_menu: Callback<Option<Selection>>,
    pub on_menu_action: Callback<MenuAction>,
}

#[component]
fn PodCard(props: &PodCardProps) -> Html {
    let (p, now, lang) = (&props.pod, props.now, props.lang);
    let sel = Selection {
        namespace: p.namespace.clone(),
        pod: p.name.clone(),
        container: None,
    };
    let selected = props.selected.is_some();
    let menu_open = props.menu_open;
    let onclick = {
        let cb = props.on_select.clone();
        let sel = sel.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            cb.emit(Some(sel.clone()));
        })
    };
    let oncontextmenu = {
        let cb = props.on_menu.clone();
        let sel = sel.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            cb.emit(Some(sel.clone()));
        })
    };
    let menu_button = {
        let cb = props.on_menu.clone();
        let sel = sel.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            cb.emit(if menu_open { None } else { Some(sel.clone()) });
        })
    };
    let onkeydown = {
        let cb = props.on_select.clone();
        let sel = sel.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                cb.emit(Some(sel.clone()));
            }
        })
    };
    let main_container = p.containers.first().map(|c| c.name.clone());
    html! {
        <article
            class={classes!("pod", status_class(&p.status), selected.then_some("selected"), p.deletion.is_some().then_some("terminating"))}
            data-testid="pod-card" data-pod={p.name.clone()} data-status={p.status.clone()} data-ready={p.ready.clone()}
            tabindex="0" aria-label={format!("{} {} {}", p.name, p.status, p.ready)}
            {onclick} {oncontextmenu} {onkeydown}>
            <header class="pod-head">
                <span class="pod-name">{ &p.name }</span>
                <button class="pod-menu-button" aria-label={t(lang, "pod.menu")} aria-haspopup="menu"
                    aria-expanded={menu_open.to_string()} onclick={menu_button}>{ "⋯" }</button>
            </header>
            <div class="pod-status-line">
                <span class={classes!("badge", status_class(&p.status))} data-testid="pod-status">{ &p.status }</span>
                <span class="pod-ready" title={t(lang, "pod.ready")}>{ &p.ready }</span>
                <span class="pod-restarts" title={t(lang, "pod.restarts")}>{ format!("↻ {}", p.restarts) }</span>
            </div>
            <div class="pod-net">
                <span class={classes!("sandbox", p.sandbox_ready.then_some("up"))} title={t(lang, "pod.sandbox_help")}>
                    { t(lang, "pod.sandbox") }
                </span>
                <span class="pod-ip">{ p.ip.clone().unwrap_or_else(|| t(lang, "pod.no_ip").to_string()) }</span>
            </div>
            if let Some(d) = &p.deletion {
                <div class="grace" data-testid="grace">
                    { tf(lang, "pod.grace_left", &[
                        ("left", &secs_left(d.deadline, now).to_string()),
                        ("grace", &d.grace_seconds.to_string()),
                    ]) }
                </div>
            }
            if let Some(reason) = &p.unschedulable {
                <p class="unschedulable-reason" data-testid="unschedulable-reason">{ reason }</p>
            }
            if !p.node_verdicts.is_empty() {
                { node_verdicts(&p.node_verdicts, lang) }
            }
            if !p.init_containers.is_empty() {
                <ol class="init-strip" aria-label={t(lang, "pod.init_containers")}>
                    { for p.init_containers.iter().map(|c| html!{ <li>{ container(c, &sel, now, props, lang) }</li> }) }
                </ol>
            }
            <div class="containers">
                { for p.containers.iter().map(|c| container(c, &sel, now, props, lang)) }
            </div>
            if menu_open {
                { pod_menu(&sel, main_container, props, lang) }
            }
        </article>
    }
}

/// Why each node refused a pending pod: the scheduler's filter reasons per node, in plugin order
/// (the FailedScheduling message above is their histogram).
fn node_verdicts(verdicts: &[(String, Vec<String>)], lang: Lang) -> Html {
    html! {
        <div class="verdicts" data-testid="node-verdicts">
            <span class="verdicts-title">{ t(lang, "pod.why_pending") }</span>
            <ul>
                { for verdicts.iter().map(|(node, reasons)| html! {
                    <li data-testid="node-verdict" data-node={node.clone()}>
                        <span class="verdict-node">{ node }</span>
                        <span class="verdict-reasons">
                            { for reasons.iter().map(|r| html! { <span class="badge bad verdict-rule">{ r }</span> }) }
                        </span>
                    </li>
                }) }
            </ul>
        </div>
    }
}

fn pod_menu(sel: &Selection, main: Option<String>, props: &PodCardProps, lang: Lang) -> Html {
    let target = Selection {
        container: props
            .selected
            .as_ref()
            .filter(|s| s.pod == sel.pod)
            .and_then(|s| s.container.clone())
            .or(main),
        ..sel.clone()
    };
    let item = |key: &'static str, make: fn(Selection) -> MenuAction| {
        let cb = props.on_menu_action.clone();
        let target = target.clone();
        let onclick = Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            cb.emit(make(target.clone()));
        });
        html! { <button role="menuitem" {onclick} data-action={key}>{ t(lang, key) }</button> }
    };
    html! {
        <div class="pod-menu" role="menu" data-testid="pod-menu">
            { item("menu.logs", MenuAction::Logs) }
            { item("menu.exec", MenuAction::Exec) }
            { item("menu.kill", MenuAction::Kill) }
            { item("menu.delete", MenuAction::Delete) }
        </div>
    }
}

fn secs_left(until: Millis, now: Millis) -> i64 {
    ((until - now).max(0) + 999) / 1000
}

fn state_text(state: &StateView, lang: Lang) -> String {
    match state {
        StateView::Waiting { reason, .. } => tf(lang, "container.waiting", &[("reason", reason)]),
        StateView::Running { .. } => t(lang, "container.running").to_string(),
        StateView::Terminated {
            exit_code, reason, ..
        } => tf(
            lang,
            "container.terminated",
            &[("reason", reason), ("code", &exit_code.to_string())],
        ),
    }
}

fn container(
    c: &ContainerView,
    pod: &Selection,
    now: Millis,
    props: &PodCardProps,
    lang: Lang,
) -> Html {
    let sel = Selection {
        container: Some(c.name.clone()),
        ..pod.clone()
    };
    let selected = props.selected.as_ref() == Some(&sel);
    let onclick = {
        let cb = props.on_select.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            cb.emit(Some(sel.clone()));
        })
    };
    let role = match c.role {
        ContainerRole::Init => "init",
        ContainerRole::Sidecar => "sidecar",
        ContainerRole::Regular => "regular",
    };
    let mut title = state_text(&c.state, lang);
    if let StateView::Waiting { message, .. } = &c.state {
        if !message.is_empty() {
            title = format!("{title}: {message}");
        }
    }
    html! {
        <div class={classes!("container", c.state.word(), role, c.ready.then_some("ready"), selected.then_some("selected"))}
            data-testid="container" data-container={c.name.clone()} data-state={c.state.word()}
            data-ready={c.ready.to_string()} {onclick} title={title.clone()}>
            <div class="c-head">
                <span class="c-name">{ &c.name }</span>
                if c.role == ContainerRole::Sidecar {
                    <span class="badge sidecar">{ t(lang, "container.sidecar") }</span>
                }
                if c.restart_count > 0 {
                    <span class="c-restarts" title={t(lang, "pod.restarts")}>{ format!("↻{}", c.restart_count) }</span>
                }
                if let Some(b) = &c.backoff {
                    { backoff_ring(b.until, b.seconds, now, lang) }
                }
            </div>
            <div class="c-state">{ title }</div>
            if !c.probes.is_empty() {
                <div class="probes">{ for c.probes.iter().map(|p| probe_pulse(p, lang)) }</div>
            }
            if let Some(h) = &c.hook {
                <span class={classes!("badge", "hook", h.kind)} data-testid="hook" data-hook={h.kind}>
                    { format!("{} {}s", h.kind, secs_left(h.until, now)) }
                </span>
            }
        </div>
    }
}

fn probe_pulse(p: &ProbeView, lang: Lang) -> Html {
    let letter = match p.kind {
        "startup" => "S",
        "liveness" => "L",
        _ => "R",
    };
    let last = p
        .last
        .map(|(_, ok)| if ok { "pass" } else { "fail" })
        .unwrap_or("unknown");
    let result = match p.result {
        Some(true) => t(lang, "probe.success"),
        Some(false) => t(lang, "probe.failure"),
        None => t(lang, "probe.unknown"),
    };
    let title = tf(
        lang,
        "probe.title",
        &[
            ("kind", p.kind),
            ("result", result),
            ("failures", &p.failures.to_string()),
            ("threshold", &p.failure_threshold.to_string()),
            ("period", &p.period_seconds.to_string()),
        ],
    );
    // Keyed by the attempt's moment: a new attempt is a new element, so the pulse animation replays.
    let key = p.last.map_or(-1, |(t, _)| t);
    html! {
        <span class={classes!("probe", last, p.on_hold.then_some("on-hold"))} data-probe={p.kind}
            data-last={last} title={title.clone()} aria-label={title}>
            <span class="pulse" key={key.to_string()}></span>
            { letter }
            if p.failures > 0 {
                <small>{ format!("{}/{}", p.failures, p.failure_threshold) }</small>
            }
        </span>
    }
}

fn backoff_ring(until: Millis, seconds: i64, now: Millis, lang: Lang) -> Html {
    let total = (seconds * 1000).max(1) as f64;
    let left = (until - now).max(0) as f64;
    let frac = (left / total).clamp(0.0, 1.0);
    // r = 7 → circumference ≈ 43.98
    let circ = 43.98_f64;
    let title = tf(
        lang,
        "container.backoff",
        &[
            ("left", &secs_left(until, now).to_string()),
            ("total", &seconds.to_string()),
        ],
    );
    html! {
        <span class="backoff" data-testid="backoff" title={title.clone()} aria-label={title}>
            <svg viewBox="0 0 18 18" width="18" height="18" aria-hidden="true">
                <circle class="ring-bg" cx="9" cy="9" r="7" />
                <circle class="ring" cx="9" cy="9" r="7"
                    stroke-dasharray={format!("{circ:.2}")}
                    stroke-dashoffset={format!("{:.2}", circ * (1.0 - frac))} />
            </svg>
            <small>{ format!("{}s", secs_left(until, now)) }</small>
        </span>
    }
}

/// Draws a line from each Service card to each endpoint pod's card: solid to ready endpoints,
/// dashed to not-ready ones. Runs after layout, so it measures where the cards ended up.
fn draw_service_lines(root: &NodeRef, svg: &NodeRef, view: &View) {
    #[cfg(target_arch = "wasm32")]
    {
        let (Some(root), Some(svg)) = (
            root.cast::<web_sys::Element>(),
            svg.cast::<web_sys::Element>(),
        ) else {
            return;
        };
        // Measuring forces a layout: skip it when there is no line to draw.
        if view
            .services
            .iter()
            .all(|s| s.ready.is_empty() && s.not_ready.is_empty())
        {
            if !svg.inner_html().is_empty() {
                svg.set_inner_html("");
            }
            return;
        }
        let base = root.get_bounding_client_rect();
        let mut out = String::new();
        for s in &view.services {
            let Ok(Some(card)) = root.query_selector(&format!(
                "[data-testid=service-card][data-service=\"{}\"]",
                css_escape(&s.name)
            )) else {
                continue;
            };
            let r = card.get_bounding_client_rect();
            let (x1, y1) = (
                r.left() + r.width() / 2.0 - base.left(),
                r.bottom() - base.top(),
            );
            let lines = s
                .ready
                .iter()
                .map(|e| (e, true))
                .chain(s.not_ready.iter().map(|e| (e, false)));
            for ((pod, _ip), ready) in lines {
                let Ok(Some(pc)) = root.query_selector(&format!(
                    "[data-testid=pod-card][data-pod=\"{}\"]",
                    css_escape(pod)
                )) else {
                    continue;
                };
                let p = pc.get_bounding_client_rect();
                let (x2, y2) = (
                    p.left() + p.width() / 2.0 - base.left(),
                    p.top() - base.top(),
                );
                out.push_str(&format!(
                    "<line data-testid=\"endpoint-line\" data-service=\"{}\" data-pod=\"{}\" data-ready=\"{}\" class=\"{}\" x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\"/>",
                    css_escape(&s.name),
                    css_escape(pod),
                    ready,
                    if ready { "ready" } else { "not-ready" },
                ));
            }
        }
        let _ = svg.set_attribute("width", &format!("{:.0}", base.width()));
        let _ = svg.set_attribute("height", &format!("{:.0}", base.height()));
        if svg.inner_html() != out {
            svg.set_inner_html(&out);
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (root, svg, view);
}

/// Kubernetes names are DNS labels, but a selector or attribute must never break on odd input.
#[cfg(target_arch = "wasm32")]
fn css_escape(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
        .collect()
}
