//! The root component: the page's layout, the one reducer, and the effects that tie it to the
//! browser (animation frames, keyboard, localStorage, the editor bundle, `window.podplayDebug`).
//!
//! Layout: the editor on the left, the timeline and the cluster in the centre, the event log,
//! console and inspector as tabs on the right. Embed mode (`?embed`) keeps only the panels asked
//! for; presenter mode enlarges everything.

#[cfg(target_arch = "wasm32")]
use std::cell::RefCell;
use std::rc::Rc;

use podplay_session::{EventRow, Marker, Session};
use yew::prelude::*;

use crate::components::cluster_view::{ClusterView, MenuAction};
use crate::components::console::{Console, Entry};
use crate::components::editor::Editor;
use crate::components::event_log::EventLog;
use crate::components::inspector::Inspector;
use crate::components::timeline::Timeline;
use crate::components::workloads::{hpa_point, HpaHistory};
use crate::i18n::{t, Lang};
use crate::params::Theme;
use crate::scenarios::SCENARIOS;
use crate::state::{
    still_pending, Action, Init, InspectorMode, Selection, ShareResult, State, Tab,
};

/// What the page opens with: the address and, outside embeds, the saved workspace.
fn read_init() -> Init {
    #[cfg(target_arch = "wasm32")]
    {
        let (search, hash) = crate::web::location();
        let params = crate::params::parse(&search, &hash);
        let saved = crate::web::storage_get(crate::state::WORKSPACE_KEY)
            .and_then(|s| serde_json::from_str(&s).ok());
        Init { params, saved }
    }
    #[cfg(not(target_arch = "wasm32"))]
    Init::default()
}

/// Caches of what is derived from the trace, so a frame only looks at what is new.
#[derive(Default)]
struct Caches {
    console_epoch: u64,
    console_cursor: usize,
    console: Rc<Vec<Entry>>,
    markers_key: (u64, usize),
    events_key: (u64, usize),
    events: Rc<Vec<EventRow>>,
    events_wall: f64,
    markers: Rc<Vec<Marker>>,
    inspector_key: Option<(Selection, InspectorMode, i64, u64)>,
    inspector_text: AttrValue,
    hpa_key: (u64, usize),
    hpa: Rc<HpaHistory>,
}

/// HPAs' kubectl rows over time (the chart's points), read from the trace incrementally: only
/// records since the last frame are looked at; a jump (seek, fork) starts again.
fn hpa_history(c: &mut Caches, session: &Session, epoch: u64) -> Rc<HpaHistory> {
    use podplay_engine::trace::Record;
    let trace = session.trace();
    if c.hpa_key.0 != epoch || trace.len() < c.hpa_key.1 {
        c.hpa_key = (epoch, 0);
        c.hpa = Rc::default();
    }
    let new = trace.get(c.hpa_key.1..).unwrap_or_default();
    let hpa_rows = new.iter().filter(|r| {
        matches!(r, Record::Object { kind, deleted: false, .. } if *kind == "HorizontalPodAutoscaler")
    });
    if hpa_rows.clone().next().is_some() {
        let mut all = (*c.hpa).clone();
        for r in hpa_rows {
            if let Record::Object {
                t,
                namespace,
                name,
                columns,
                ..
            } = r
            {
                let columns: Vec<(String, String)> = columns
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect();
                all.entry((namespace.clone(), name.clone()))
                    .or_default()
                    .push(hpa_point(*t, &columns));
            }
        }
        c.hpa = Rc::new(all);
    }
    c.hpa_key.1 = trace.len();
    c.hpa.clone()
}

fn console_entries(c: &mut Caches, session: &Session, epoch: u64) -> Rc<Vec<Entry>> {
    let len = session.trace().len();
    if c.console_epoch != epoch || len < c.console_cursor {
        c.console_epoch = epoch;
        c.console_cursor = 0;
        c.console = Rc::new(vec![]);
    }
    let (new, next) = session.outputs_since(c.console_cursor);
    c.console_cursor = next;
    if !new.is_empty() {
        let mut all = (*c.console).clone();
        all.extend(new.into_iter().map(|(t, command, o)| Entry {
            t,
            command,
            stdout: o.stdout,
            stderr: o.stderr,
            exit: o.exit,
        }));
        c.console = Rc::new(all);
    }
    c.console.clone()
}

/// How often (wall clock) the event log takes new rows while time plays: a table of hundreds of
/// rows redrawn every frame would cost more than the frame.
const EVENTS_REFRESH_MS: f64 = 250.0;

fn events(c: &mut Caches, session: &Session, epoch: u64, wall: f64) -> Rc<Vec<EventRow>> {
    let len = session.trace().len();
    // A seek or a fork cuts the trace back: read it again from the start.
    let jumped = c.events_key.0 != epoch || len < c.events_key.1;
    let due = wall - c.events_wall >= EVENTS_REFRESH_MS || wall < c.events_wall;
    if jumped {
        c.events = Rc::new(vec![]);
        c.events_key = (epoch, 0);
    }
    if jumped || (len != c.events_key.1 && due) {
        let (new, next) = session.events_since(c.events_key.1);
        c.events_key = (epoch, next);
        c.events_wall = wall;
        if !new.is_empty() {
            let mut all = (*c.events).clone();
            all.extend(new);
            c.events = Rc::new(all);
        }
    }
    c.events.clone()
}

fn markers(c: &mut Caches, session: &Session, epoch: u64) -> Rc<Vec<Marker>> {
    let key = (epoch, session.markers().len());
    if c.markers_key != key || c.markers.is_empty() {
        c.markers_key = key;
        c.markers = Rc::new(session.markers().to_vec());
    }
    c.markers.clone()
}

/// The picker's groups in the order the index first names them (workload scenarios by kind).
fn categories() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = vec![];
    for s in SCENARIOS {
        let g = crate::scenarios::group(s);
        if !out.contains(&g) {
            out.push(g);
        }
    }
    out
}

/// A picker group's label.
fn group_label(lang: Lang, group: &str) -> String {
    match group {
        "deployments" => t(lang, "picker.deployments").to_string(),
        "replicasets" => t(lang, "picker.replicasets").to_string(),
        "jobs" => t(lang, "picker.jobs").to_string(),
        "cronjobs" => t(lang, "picker.cronjobs").to_string(),
        "autoscaling" => t(lang, "picker.autoscaling").to_string(),
        "daemonsets-statefulsets" => t(lang, "picker.daemonsets_statefulsets").to_string(),
        "scheduling" => t(lang, "picker.scheduling").to_string(),
        "nodes" => t(lang, "picker.nodes").to_string(),
        other => other.to_string(),
    }
}

fn ns_flag(ns: &str) -> String {
    if ns == "default" || ns.is_empty() {
        String::new()
    } else {
        format!(" -n {ns}")
    }
}

fn inspector_text(c: &mut Caches, state: &State, sel: &Selection) -> AttrValue {
    // Refreshed four times a second of virtual time at most: describe is not free.
    let now = state.now();
    let key = (sel.clone(), state.inspector_mode, now / 250, state.epoch);
    if c.inspector_key.as_ref() == Some(&key) {
        return c.inspector_text.clone();
    }
    let line = match (state.inspector_mode, &sel.container) {
        (InspectorMode::Logs, Some(cn)) => format!(
            "kubectl logs {} -c {cn}{}",
            sel.pod,
            ns_flag(&sel.namespace)
        ),
        (InspectorMode::Logs, None) => format!(
            "kubectl logs {} --all-containers{}",
            sel.pod,
            ns_flag(&sel.namespace)
        ),
        (InspectorMode::Describe, _) => format!(
            "kubectl describe pod {}{}",
            sel.pod,
            ns_flag(&sel.namespace)
        ),
    };
    let out = state
        .session
        .try_borrow_mut()
        .map(|mut s| s.inspect(&line))
        .unwrap_or_default();
    let text = AttrValue::from(format!("$ {line}\n{}{}", out.stdout, out.stderr));
    c.inspector_key = Some(key);
    c.inspector_text = text.clone();
    text
}

/// Callbacks that never change for the page's lifetime.
struct Stable {
    select: Callback<Option<Selection>>,
    menu: Callback<Option<Selection>>,
    menu_action: Callback<MenuAction>,
    filter: Callback<String>,
    run: Callback<String>,
    editor_change: Callback<String>,
    apply: Callback<()>,
    complete: Callback<String, Vec<String>>,
}

impl Stable {
    fn new(d: UseReducerDispatcher<State>, session: Rc<std::cell::RefCell<Session>>) -> Stable {
        let dcb: Callback<Action> = d.to_callback();
        let menu_action = Callback::from(move |a: MenuAction| match a {
            MenuAction::Delete(s) => {
                d.dispatch(Action::OpenMenu(None));
                d.dispatch(Action::Command(format!(
                    "kubectl delete pod {}{}",
                    s.pod,
                    ns_flag(&s.namespace)
                )));
            }
            MenuAction::Exec(s) => d.dispatch(Action::PresetConsole(format!(
                "kubectl exec {}{} -c {} -- ",
                s.pod,
                ns_flag(&s.namespace),
                s.container.unwrap_or_default()
            ))),
            MenuAction::Kill(s) => {
                d.dispatch(Action::OpenMenu(None));
                d.dispatch(Action::Command(format!(
                    "kubectl exec {}{} -c {} -- kill 1",
                    s.pod,
                    ns_flag(&s.namespace),
                    s.container.unwrap_or_default()
                )));
                d.dispatch(Action::SetTab(Tab::Console));
            }
            MenuAction::Logs(s) => {
                d.dispatch(Action::Select(Some(s)));
                d.dispatch(Action::SetInspectorMode(InspectorMode::Logs));
            }
        });
        Stable {
            select: dcb.reform(Action::Select),
            menu: dcb.reform(Action::OpenMenu),
            menu_action,
            filter: dcb.reform(Action::SetEventFilter),
            run: dcb.reform(Action::Command),
            editor_change: dcb.reform(Action::EditorChanged),
            apply: dcb.reform(|_| Action::Apply),
            complete: Callback::from(move |line: String| {
                session
                    .try_borrow()
                    .map(|s| podplay_session::complete(&s, &line))
                    .unwrap_or_default()
            }),
        }
    }
}

#[component]
pub fn App() -> Html {
    let state = use_reducer(|| {
        let s = State::init(read_init());
        // Before the first paint, so the page does not open in one theme and fade to the other.
        #[cfg(target_arch = "wasm32")]
        crate::web::set_document_attrs(s.lang.html_lang(), s.theme);
        s
    });
    let caches = use_mut_ref(Caches::default);
    // Callbacks made once: children compare props (a callback by identity), so stable ones let
    // unchanged pod cards and panels skip re-rendering.
    let stable = {
        let d = state.dispatcher();
        let session = state.session.clone();
        use_memo((), move |_| Stable::new(d, session))
    };
    let latest_text = use_mut_ref(String::new);
    latest_text.borrow_mut().clone_from(&state.editor_text);
    // The engine's share of the last frame, for `podplayDebug.frameStats()`.
    let stats = use_mut_ref(|| (0u64, 0.0f64, 0.0f64));
    *stats.borrow_mut() = (state.budget, state.engine_ms.0, state.engine_ms.1);
    let lang = state.lang;

    // Once: the frame loop, the keyboard, the editor bundle, the debug hooks.
    {
        let dispatcher = state.dispatcher();
        let session = state.session.clone();
        let latest_text = latest_text.clone();
        let stats = stats.clone();
        use_effect_with((), move |_| {
            #[cfg(target_arch = "wasm32")]
            start_browser_side(dispatcher, session, latest_text, stats);
            #[cfg(not(target_arch = "wasm32"))]
            let _ = (dispatcher, session, latest_text, stats);
        });
    }
    // The workspace survives a reload (not an embed's: it belongs to the page around it).
    {
        let ws = state.workspace();
        let embed = state.embed;
        use_effect_with(ws, move |ws| {
            #[cfg(target_arch = "wasm32")]
            if !embed {
                if let Ok(json) = serde_json::to_string(ws) {
                    crate::web::storage_set(crate::state::WORKSPACE_KEY, &json);
                }
            }
            #[cfg(not(target_arch = "wasm32"))]
            let _ = (ws, embed);
        });
    }
    {
        use_effect_with((state.lang, state.theme), move |(lang, theme)| {
            #[cfg(target_arch = "wasm32")]
            crate::web::set_document_attrs(lang.html_lang(), *theme);
            #[cfg(not(target_arch = "wasm32"))]
            let _ = (lang, theme);
        });
    }
    {
        use_effect_with(state.share.clone(), move |share| {
            #[cfg(target_arch = "wasm32")]
            if let Some(ShareResult::Url(url)) = share {
                crate::web::copy_to_clipboard(url);
            }
            #[cfg(not(target_arch = "wasm32"))]
            let _ = share;
        });
    }

    let d = state.dispatcher();
    let dcb: Callback<Action> = d.to_callback();
    let cb = |make: fn() -> Action| {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(make()))
    };

    // Derived from the session at the moment shown.
    let inspector = state
        .selected
        .clone()
        .filter(|_| state.tab == Tab::Inspector && state.shows("inspector"));
    let inspector_text = inspector
        .as_ref()
        .map(|sel| inspector_text(&mut caches.borrow_mut(), &state, sel))
        .unwrap_or_default();
    let Ok(session) = state.session.try_borrow() else {
        return html! { <main class="podplay"><h1>{ "podplay" }</h1></main> };
    };
    let view = Rc::new(session.view());
    let now = session.now();
    let frontier = session.frontier();
    let mut c = caches.borrow_mut();
    // The page's jumps (seek, load, reset) and the session's own (a fork) both restart the caches.
    let epoch = state
        .epoch
        .wrapping_mul(1 << 20)
        .wrapping_add(session.epoch());
    let events = if state.shows("events") {
        events(&mut c, &session, epoch, state.wall)
    } else {
        Rc::default()
    };
    let console = console_entries(&mut c, &session, epoch);
    let markers = markers(&mut c, &session, epoch);
    let hpa = hpa_history(&mut c, &session, epoch);
    drop(c);
    let explain = inspector.as_ref().and_then(|sel| {
        podplay_session::explain(&session, &sel.namespace, &sel.pod, sel.container.as_deref())
    });
    drop(session);
    let outputs: Vec<(i64, String)> = console.iter().map(|e| (e.t, e.command.clone())).collect();
    let pending = still_pending(&state.pending, &outputs);
    let dark = {
        #[cfg(target_arch = "wasm32")]
        {
            crate::web::is_dark(state.theme)
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            state.theme == Theme::Dark
        }
    };

    let tabs: Vec<(Tab, &'static str, &'static str)> = [
        (Tab::Events, "events", "tab.events"),
        (Tab::Console, "console", "tab.console"),
        (Tab::Inspector, "inspector", "tab.inspector"),
    ]
    .into_iter()
    .filter(|(_, panel, _)| state.shows(panel))
    .collect();
    let active_tab = if tabs.iter().any(|(tab, _, _)| *tab == state.tab) {
        Some(state.tab)
    } else {
        tabs.first().map(|(tab, _, _)| *tab)
    };

    let root_classes = classes!(
        "podplay",
        state.presenter.then_some("presenter"),
        state.embed.then_some("embed"),
        (!state.shows("editor")).then_some("no-editor"),
        tabs.is_empty().then_some("no-side"),
    );
    let on_scenario = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                d.dispatch(Action::LoadScenario(s.value()));
            }
        })
    };
    let on_lang = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                if let Some(l) = Lang::parse(&s.value()) {
                    d.dispatch(Action::SetLang(l));
                }
            }
        })
    };
    let on_theme = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                if let Some(th) = Theme::parse(&s.value()) {
                    d.dispatch(Action::SetTheme(th));
                }
            }
        })
    };
    let on_share = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| {
            #[cfg(target_arch = "wasm32")]
            let base_url = crate::web::base_url();
            #[cfg(not(target_arch = "wasm32"))]
            let base_url = String::new();
            d.dispatch(Action::Share { base_url });
        })
    };
    let close_menu = {
        let d = d.clone();
        let open = state.menu.is_some();
        Callback::from(move |_: MouseEvent| {
            if open {
                d.dispatch(Action::OpenMenu(None));
            }
        })
    };

    html! {
        <div class={root_classes} onclick={close_menu}>
            if !state.embed {
                <header class="podplay-header">
                    <h1>{ "podplay" }</h1>
                    <p class="tagline">{ t(lang, "app.tagline") }</p>
                    <div class="header-tools">
                        <label>
                            <span class="visually-hidden">{ t(lang, "header.scenario") }</span>
                            <select data-testid="scenario" onchange={on_scenario} aria-label={t(lang, "header.scenario")}>
                                if state.scenario.is_empty() {
                                    <option value="" selected=true>{ t(lang, "header.own_manifests") }</option>
                                }
                                { for categories().into_iter().map(|cat| html! {
                                    <optgroup label={group_label(lang, cat)}>
                                        { for SCENARIOS.iter().filter(|s| crate::scenarios::group(s) == cat).map(|s| html! {
                                            <option value={s.id} selected={state.scenario == s.id}>{ s.title(lang) }</option>
                                        }) }
                                    </optgroup>
                                }) }
                            </select>
                        </label>
                        <button data-testid="share" onclick={on_share}>{ t(lang, "header.share") }</button>
                        <button data-testid="presenter" aria-pressed={state.presenter.to_string()}
                            onclick={cb(|| Action::TogglePresenter)}>{ t(lang, "header.presenter") }</button>
                        <select data-testid="lang" onchange={on_lang} aria-label={t(lang, "header.language")}>
                            <option value="en" selected={lang == Lang::En}>{ "English" }</option>
                            <option value="zh" selected={lang == Lang::Zh}>{ "简体中文" }</option>
                        </select>
                        <select data-testid="theme" onchange={on_theme} aria-label={t(lang, "header.theme")}>
                            <option value="system" selected={state.theme == Theme::System}>{ t(lang, "theme.system") }</option>
                            <option value="light" selected={state.theme == Theme::Light}>{ t(lang, "theme.light") }</option>
                            <option value="dark" selected={state.theme == Theme::Dark}>{ t(lang, "theme.dark") }</option>
                        </select>
                        <button data-testid="help" aria-label={t(lang, "header.help")} onclick={cb(|| Action::ToggleHelp(None))}>{ "?" }</button>
                    </div>
                </header>
            }
            if let Some(n) = &state.notice {
                <div class="notice" role="alert" data-testid="notice">
                    <span>{ n }</span>
                    <button onclick={cb(|| Action::DismissNotice)} aria-label={t(lang, "common.dismiss")}>{ "×" }</button>
                </div>
            }
            if let Some(share) = &state.share {
                <div class="share-panel" data-testid="share-panel">
                    { match share {
                        ShareResult::Url(url) => html! {
                            <>
                                <label for="share-url">{ t(lang, "share.copied") }</label>
                                <input id="share-url" data-testid="share-url" readonly=true value={url.clone()} />
                            </>
                        },
                        ShareResult::Error(e) => html! { <span role="alert" data-testid="share-error">{ e }</span> },
                    } }
                    <button onclick={cb(|| Action::DismissShare)} aria-label={t(lang, "common.dismiss")}>{ "×" }</button>
                </div>
            }
            <main class="workspace">
                if state.shows("editor") {
                    <section class="editor-panel" aria-label={t(lang, "editor.title")}>
                        <div class="panel-tools">
                            <button class="primary" data-testid="apply" onclick={cb(|| Action::Apply)}
                                title={t(lang, "editor.apply_hint")}>{ t(lang, "editor.apply") }</button>
                            <button data-testid="reset" onclick={cb(|| Action::Reset)}>{ t(lang, "editor.reset") }</button>
                            if let Some((ok, msg)) = &state.apply_result {
                                <span class={classes!("apply-result", if *ok { "ok" } else { "bad" })} data-testid="apply-result">{ msg }</span>
                            }
                        </div>
                        if let Some(sc) = crate::scenarios::find(&state.scenario).filter(|s| !s.notes_en.is_empty()) {
                            <details class="scenario-notes" data-testid="scenario-notes">
                                <summary>{ t(lang, "editor.notes") }</summary>
                                <p tabindex="0">{ sc.notes(lang) }</p>
                            </details>
                        }
                        <Editor text={AttrValue::from(state.editor_text.clone())} rev={state.editor_rev}
                            diagnostics={Rc::new(state.diagnostics.clone())} {dark} {lang}
                            on_change={stable.editor_change.clone()} on_apply={stable.apply.clone()} />
                    </section>
                }
                <section class="centre">
                    if state.shows("timeline") {
                        <Timeline {now} {frontier} {markers} playing={state.playing} speed={state.speed} {lang}
                            on_toggle={dcb.reform(|_| Action::TogglePlay)} on_step={dcb.reform(|_| Action::StepNext)}
                            on_step_back={dcb.reform(|_| Action::StepBack)} on_speed={dcb.reform(Action::SetSpeed)}
                            on_seek={dcb.reform(Action::Seek)} />
                    }
                    if state.shows("cluster") {
                        <ClusterView {view} {lang} {hpa} selected={state.selected.clone()} menu={state.menu.clone()}
                            on_select={stable.select.clone()} on_menu={stable.menu.clone()}
                            on_menu_action={stable.menu_action.clone()} />
                    }
                </section>
                if !tabs.is_empty() {
                    <section class="side">
                        <div role="tablist" class="tabs" aria-label={t(lang, "tab.label")}>
                            { for tabs.iter().map(|(tab, panel, key)| {
                                let tab = *tab;
                                let selected = active_tab == Some(tab);
                                html! {
                                    <button role="tab" id={format!("tab-{panel}")} aria-selected={selected.to_string()}
                                        aria-controls={selected.then_some("side-panel")} class={classes!(selected.then_some("active"))}
                                        onclick={dcb.reform(move |_| Action::SetTab(tab))}>{ t(lang, key) }</button>
                                }
                            }) }
                        </div>
                        <div class="tab-panel" role="tabpanel" id="side-panel"
                            aria-labelledby={active_tab.and_then(|a| tabs.iter().find(|(t, _, _)| *t == a)).map(|(_, p, _)| format!("tab-{p}"))}>
                            { match active_tab {
                                Some(Tab::Events) => html! {
                                    <EventLog {events} now={now - now % 1000} filter={AttrValue::from(state.event_filter.clone())} {lang}
                                        on_filter={stable.filter.clone()} />
                                },
                                Some(Tab::Console) => html! {
                                    <Console entries={console} {pending} history={state.history.clone()}
                                        preset={state.console_preset.clone()} {lang}
                                        on_run={stable.run.clone()} complete={stable.complete.clone()} />
                                },
                                Some(Tab::Inspector) => html! {
                                    <Inspector selected={inspector} mode={state.inspector_mode} {explain}
                                        text={inspector_text} {lang} on_mode={dcb.reform(Action::SetInspectorMode)}
                                        on_close={dcb.reform(|_| Action::Select(None))} />
                                },
                                None => html! {},
                            } }
                        </div>
                    </section>
                }
            </main>
            if state.show_help {
                <div class="help" role="dialog" aria-modal="true" aria-labelledby="help-title" data-testid="shortcuts">
                    <h2 id="help-title">{ t(lang, "help.title") }</h2>
                    <dl>
                        <dt><kbd>{ "Space" }</kbd></dt><dd>{ t(lang, "help.space") }</dd>
                        <dt><kbd>{ "←" }</kbd>{ " " }<kbd>{ "→" }</kbd></dt><dd>{ t(lang, "help.arrows") }</dd>
                        <dt><kbd>{ "+" }</kbd>{ " " }<kbd>{ "-" }</kbd></dt><dd>{ t(lang, "help.speed") }</dd>
                        <dt><kbd>{ "F" }</kbd></dt><dd>{ t(lang, "help.fullscreen") }</dd>
                        <dt><kbd>{ "Ctrl/⌘ + Enter" }</kbd></dt><dd>{ t(lang, "help.apply") }</dd>
                        <dt><kbd>{ "?" }</kbd></dt><dd>{ t(lang, "help.help") }</dd>
                    </dl>
                    <button onclick={cb(|| Action::ToggleHelp(Some(false)))}>{ t(lang, "common.close") }</button>
                </div>
            }
        </div>
    }
}

/// The browser side, started once: frames, keys, the editor bundle, `window.podplayDebug`.
#[cfg(target_arch = "wasm32")]
fn start_browser_side(
    dispatcher: UseReducerDispatcher<State>,
    session: Rc<RefCell<Session>>,
    latest_text: Rc<RefCell<String>>,
    stats: Rc<RefCell<(u64, f64, f64)>>,
) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsValue;

    {
        let d = dispatcher.clone();
        crate::web::animation_loop(move |wall, dt| d.dispatch(Action::Frame { wall, dt }));
    }
    crate::web::load_editor_bundle_after_paint();
    {
        let d = dispatcher.clone();
        crate::web::on_keydown(move |e: web_sys::KeyboardEvent| {
            let key = e.key();
            if key == "Enter" && (e.ctrl_key() || e.meta_key()) {
                // The textarea and CodeMirror handle it themselves.
                if !crate::web::typing_in_field() {
                    e.prevent_default();
                    d.dispatch(Action::Apply);
                }
                return;
            }
            if key == "Escape" {
                d.dispatch(Action::ToggleHelp(Some(false)));
                d.dispatch(Action::OpenMenu(None));
                return;
            }
            if crate::web::typing_in_field() || e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let action = match key.as_str() {
                " " => Some(Action::TogglePlay),
                "ArrowRight" => Some(Action::StepNext),
                "ArrowLeft" => Some(Action::StepBack),
                "+" | "=" => Some(Action::SpeedStep { up: true }),
                "-" | "_" => Some(Action::SpeedStep { up: false }),
                "?" => Some(Action::ToggleHelp(None)),
                "f" | "F" => {
                    crate::web::toggle_fullscreen();
                    None
                }
                _ => None,
            };
            if let Some(a) = action {
                // Space on a focused button would click it too.
                e.prevent_default();
                d.dispatch(a);
            }
        });
    }
    let seek = {
        let session = session.clone();
        let d = dispatcher.clone();
        Closure::<dyn FnMut(f64) -> f64>::new(move |ms: f64| {
            let started = crate::clock::now();
            d.dispatch(Action::SetPlaying(false));
            d.dispatch(Action::Seek(ms as i64));
            let _ = &session;
            crate::clock::now() - started
        })
        .into_js_value()
    };
    // Simulates (paused) up to `ms`, as a long session would have: the seek benchmark needs a
    // timeline an hour long. Returns the elapsed ms.
    let run_to = {
        let session = session.clone();
        let d = dispatcher.clone();
        Closure::<dyn FnMut(f64) -> f64>::new(move |ms: f64| {
            let started = crate::clock::now();
            d.dispatch(Action::SetPlaying(false));
            if let Ok(mut s) = session.try_borrow_mut() {
                s.advance(ms as i64, u64::MAX);
            }
            d.dispatch(Action::Seek(ms as i64));
            crate::clock::now() - started
        })
        .into_js_value()
    };
    let now = {
        let session = session.clone();
        Closure::<dyn FnMut() -> f64>::new(move || {
            session.try_borrow().map_or(-1.0, |s| s.now() as f64)
        })
        .into_js_value()
    };
    let editor_text =
        Closure::<dyn FnMut() -> String>::new(move || latest_text.borrow().clone()).into_js_value();
    let pod_count = {
        let session = session.clone();
        Closure::<dyn FnMut() -> f64>::new(move || {
            session.try_borrow().map_or(0.0, |s| {
                let v = s.view();
                (v.nodes.iter().map(|n| n.pods.len()).sum::<usize>() + v.unscheduled.len()) as f64
            })
        })
        .into_js_value()
    };
    let frame_stats = {
        let stats = stats.clone();
        Closure::<dyn FnMut() -> JsValue>::new(move || {
            let (budget, last, max) = *stats.borrow();
            let o = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&o, &"budget".into(), &(budget as f64).into());
            let _ = js_sys::Reflect::set(&o, &"engineMs".into(), &last.into());
            let _ = js_sys::Reflect::set(&o, &"engineMaxMs".into(), &max.into());
            o.into()
        })
        .into_js_value()
    };
    crate::web::expose(
        "podplayDebug",
        vec![
            ("seek", seek),
            ("runTo", run_to),
            ("now", now),
            ("editorText", editor_text),
            ("podCount", pod_count),
            ("frameStats", frame_stats),
        ],
    );
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// Renders a component to HTML natively, the way the browser would show it first.
    pub(crate) fn render<C: BaseComponent<Properties = ()>>() -> String {
        futures::executor::block_on(yew::LocalServerRenderer::<C>::new().render())
    }

    #[test]
    fn page_heading_is_podplay() {
        assert!(render::<App>().contains("<h1>podplay</h1>"));
    }

    #[test]
    fn main_parts_carry_their_test_ids() {
        let html = render::<App>();
        for id in [
            "editor",
            "apply",
            "cluster",
            "timeline",
            "play-pause",
            "speed",
            "event-log",
            "share",
        ] {
            assert!(
                html.contains(&format!("data-testid=\"{id}\"")),
                "missing data-testid={id}"
            );
        }
    }

    #[test]
    fn default_scenario_shows_its_pod_card_on_first_render() {
        let html = render::<App>();
        assert!(html.contains("data-pod=\"web-5d8f7b9c6d-4xkzp\""), "{html}");
        assert!(html.contains("data-testid=\"node-card\""));
    }
}
