//! The page's state and its one reducer (`State` + `enum Action`, as Yew's `function_todomvc`).
//!
//! The session (engine + the user's actions in time) lives behind `Rc<RefCell<…>>` inside the state:
//! every engine call goes through an `Action` here, so what the engine did and what the page shows
//! change together. The reducer is plain Rust; it runs natively in the tests.

use std::cell::RefCell;
use std::rc::Rc;

use podplay_api::time::Millis;
use podplay_session::{EditorDiagnostic, Session, SharedSession};
use yew::Reducible;

use crate::i18n::Lang;
use crate::params::{clamp_speed, next_speed, Params, Theme};
use crate::scenarios;

/// The seed every playground session starts from (share links carry their own).
pub const SEED: u64 = 1;

/// Wall-clock milliseconds the validator waits after the last keystroke.
pub const VALIDATE_DEBOUNCE_MS: f64 = 300.0;

/// Engine work per frame: the step budget adapts so a frame's slice stays under this.
pub const FRAME_WORK_MS: f64 = 6.0;

/// Starting size of an engine slice, in moments of the agenda (see `Session::advance`).
pub const START_BUDGET: u64 = 32;

/// A frame's wall-clock delta is capped (a tab in the background resumes without a jump).
pub const MAX_FRAME_DT_MS: f64 = 100.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Events,
    Console,
    Inspector,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum InspectorMode {
    #[default]
    Describe,
    Logs,
}

/// What the pod context menu and the cluster view select.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selection {
    pub namespace: String,
    pub pod: String,
    pub container: Option<String>,
}

/// A line the console shows after a command the user typed, before its output arrives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    pub t: Millis,
    pub line: String,
}

/// What the Share button produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareResult {
    Url(String),
    Error(String),
}

#[derive(Clone)]
pub struct State {
    pub session: Rc<RefCell<Session>>,
    /// Bumped on every change the page must draw (a new `Rc` is what re-renders).
    pub frame: u64,
    /// Bumped when the timeline jumps (seek, reset, load): caches of the trace start over.
    pub epoch: u64,
    pub playing: bool,
    pub speed: f64,
    /// Agenda steps allowed per frame (adapted to FRAME_WORK_MS).
    pub budget: u64,
    /// Wall milliseconds the engine took in the last frame, and the most in any frame (for
    /// `podplayDebug.frameStats()`).
    pub engine_ms: (f64, f64),
    /// Virtual milliseconds owed from previous frames (fractions of a millisecond at low speed).
    pub carry: f64,
    /// The wall clock of the last frame (performance.now()).
    pub wall: f64,
    pub editor_text: String,
    /// Bumped when the text is set from outside the editor (scenario, link), so it reloads.
    pub editor_rev: u64,
    pub diagnostics: Vec<EditorDiagnostic>,
    /// When (wall clock) to validate the editor's text next.
    pub validate_at: Option<f64>,
    /// The last Apply's result: (ok, kubectl's output).
    pub apply_result: Option<(bool, String)>,
    pub scenario: String,
    pub lang: Lang,
    pub theme: Theme,
    pub presenter: bool,
    pub embed: bool,
    /// Panels shown (all when None).
    pub panels: Option<Vec<String>>,
    pub show_help: bool,
    pub tab: Tab,
    pub inspector_mode: InspectorMode,
    pub selected: Option<Selection>,
    /// The pod whose context menu is open.
    pub menu: Option<Selection>,
    pub history: Vec<String>,
    pub pending: Vec<Pending>,
    /// Text put into the console's input from outside (context menu), with a counter to notice it.
    pub console_preset: (u64, String),
    pub event_filter: String,
    pub share: Option<ShareResult>,
    /// A problem to show in a banner (a damaged link, a scenario that would not load).
    pub notice: Option<String>,
}

impl PartialEq for State {
    fn eq(&self, other: &Self) -> bool {
        self.frame == other.frame && Rc::ptr_eq(&self.session, &other.session)
    }
}

pub enum Action {
    /// One animation frame: `wall` is performance.now(), `dt` the time since the last frame.
    Frame {
        wall: f64,
        dt: f64,
    },
    TogglePlay,
    SetPlaying(bool),
    SetSpeed(f64),
    SpeedStep {
        up: bool,
    },
    /// Run until the next thing is due, then pause.
    StepNext,
    /// Back to the previous timeline mark, paused.
    StepBack,
    Seek(Millis),
    EditorChanged(String),
    Apply,
    Reset,
    LoadScenario(String),
    Command(String),
    SetTab(Tab),
    SetInspectorMode(InspectorMode),
    Select(Option<Selection>),
    OpenMenu(Option<Selection>),
    /// Put text into the console input and show the console.
    PresetConsole(String),
    SetEventFilter(String),
    Share {
        base_url: String,
    },
    DismissShare,
    DismissNotice,
    SetLang(Lang),
    SetTheme(Theme),
    TogglePresenter,
    ToggleHelp(Option<bool>),
}

/// What the page starts from: the URL's parameters and the saved workspace.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Init {
    pub params: Params,
    pub saved: Option<Workspace>,
}

/// What survives a reload (localStorage).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Workspace {
    pub editor: String,
    pub scenario: String,
    #[serde(default)]
    pub lang: String,
    #[serde(default)]
    pub theme: String,
    #[serde(default)]
    pub speed: f64,
}

pub const WORKSPACE_KEY: &str = "podplay.workspace.v1";

impl State {
    fn blank() -> State {
        State {
            session: Rc::new(RefCell::new(Session::new(SEED))),
            frame: 0,
            epoch: 0,
            playing: false,
            speed: 1.0,
            budget: START_BUDGET,
            engine_ms: (0.0, 0.0),
            carry: 0.0,
            wall: 0.0,
            editor_text: String::new(),
            editor_rev: 0,
            diagnostics: vec![],
            validate_at: None,
            apply_result: None,
            scenario: scenarios::DEFAULT.to_string(),
            lang: Lang::En,
            theme: Theme::System,
            presenter: false,
            embed: false,
            panels: None,
            show_help: false,
            tab: Tab::Events,
            inspector_mode: InspectorMode::Describe,
            selected: None,
            menu: None,
            history: vec![],
            pending: vec![],
            console_preset: (0, String::new()),
            event_filter: String::new(),
            share: None,
            notice: None,
        }
    }

    /// The page as it opens: a shared link, else an embed's scenario or inline manifest, else the
    /// saved workspace, else the default scenario playing.
    pub fn init(init: Init) -> State {
        let mut s = State::blank();
        let p = &init.params;
        let saved = init.saved.as_ref().filter(|_| !p.embed);
        s.embed = p.embed;
        s.presenter = p.present;
        s.panels = p.panels.clone();
        s.lang = p
            .lang
            .or_else(|| saved.and_then(|w| Lang::parse(&w.lang)))
            .unwrap_or_default();
        s.theme = p
            .theme
            .or_else(|| saved.and_then(|w| Theme::parse(&w.theme)))
            .unwrap_or_default();
        s.speed = clamp_speed(
            p.speed
                .or_else(|| saved.map(|w| w.speed).filter(|v| *v > 0.0))
                .unwrap_or(1.0),
        );
        // Embeds wait for the reader unless asked to play; the full page plays on open.
        let autoplay = p.autoplay.unwrap_or(!p.embed);

        if let Some(link) = &p.shared {
            match SharedSession::decode(link) {
                Ok(shared) => {
                    s.session = Rc::new(RefCell::new(shared.open()));
                    s.editor_text = shared.editor;
                    s.scenario = String::new();
                    // A link shows its moment; the reader presses play.
                    s.playing = p.autoplay.unwrap_or(false);
                    s.revalidate();
                    return s;
                }
                Err(e) => s.notice = Some(e.to_string()),
            }
        }
        if let Some(manifest) = &p.manifest {
            s.scenario = String::new();
            s.editor_text = manifest.clone();
            s.load_text(manifest, &[]);
            s.playing = autoplay && s.diagnostics.is_empty();
            return s;
        }
        let wanted = p
            .scenario
            .clone()
            .or_else(|| {
                saved
                    .map(|w| w.scenario.clone())
                    .filter(|id| !id.is_empty())
            })
            .unwrap_or_else(|| scenarios::DEFAULT.to_string());
        let scenario = scenarios::find(&wanted).or_else(|| scenarios::find(scenarios::DEFAULT));
        if let Some(sc) = scenario {
            s.load_scenario(sc);
        }
        // The saved editor text wins over the scenario's; when it differs, it is what was being
        // worked on, so the cluster starts from it (if it is valid).
        if let Some(w) = saved.filter(|_| p.scenario.is_none()) {
            if !w.editor.is_empty() && w.editor != s.editor_text {
                s.editor_text = w.editor.clone();
                if podplay_session::validate(&w.editor).is_empty() {
                    s.scenario = String::new();
                    s.load_text(&w.editor, &[]);
                } else {
                    s.revalidate();
                }
            }
        }
        s.playing = autoplay;
        s
    }

    fn load_scenario(&mut self, sc: &'static scenarios::Scenario) {
        self.scenario = sc.id.to_string();
        // A scenario whose script creates everything applies nothing at 0 s; the editor shows
        // its files to read.
        let manifests = sc.manifests();
        self.editor_text = if sc.files.is_empty() {
            sc.script_files_text()
        } else {
            manifests.clone()
        };
        self.load_with_files(&manifests, sc.session_files(), &sc.script_lines());
    }

    fn load_text(&mut self, text: &str, script: &[(Millis, String)]) {
        self.load_with_files(text, vec![], script);
    }

    fn load_with_files(
        &mut self,
        text: &str,
        files: Vec<(String, String)>,
        script: &[(Millis, String)],
    ) {
        let result = self
            .session
            .borrow_mut()
            .load_with_files(text, files, script);
        self.editor_rev += 1;
        self.epoch += 1;
        self.pending.clear();
        self.selected = None;
        self.menu = None;
        match result {
            Ok(()) => self.diagnostics.clear(),
            Err(d) => self.diagnostics = d,
        }
    }

    fn revalidate(&mut self) {
        self.diagnostics = podplay_session::validate(&self.editor_text);
        self.validate_at = None;
    }

    pub fn now(&self) -> Millis {
        self.session.try_borrow().map_or(0, |s| s.now())
    }

    /// The workspace to save.
    pub fn workspace(&self) -> Workspace {
        Workspace {
            editor: self.editor_text.clone(),
            scenario: self.scenario.clone(),
            lang: self.lang.code().to_string(),
            theme: self.theme.code().to_string(),
            speed: self.speed,
        }
    }

    /// Whether a panel is on screen (embeds choose theirs; the full page shows all).
    pub fn shows(&self, panel: &str) -> bool {
        match &self.panels {
            Some(list) => list.iter().any(|p| p == panel),
            None if self.embed => matches!(panel, "cluster" | "timeline" | "events"),
            None => true,
        }
    }

    /// Advances the session for one frame: `dt` of wall time at the chosen speed, within the budget.
    fn frame(&mut self, wall: f64, dt: f64) -> bool {
        let mut changed = false;
        self.wall = wall;
        if let Some(at) = self.validate_at {
            if wall >= at {
                self.revalidate();
                changed = true;
            }
        }
        if self.playing {
            let dt = if dt.is_finite() {
                dt.clamp(0.0, MAX_FRAME_DT_MS)
            } else {
                0.0
            };
            let owed = dt * self.speed + self.carry;
            let step = owed.floor();
            self.carry = owed - step;
            if step >= 1.0 {
                let Ok(mut session) = self.session.try_borrow_mut() else {
                    return changed;
                };
                let target = session.now() + step as Millis;
                // Slices of `budget` moments until the target or FRAME_WORK_MS of wall time: the
                // clock is checked between slices, and the slice size adapts so one slice stays short.
                let started = crate::clock::now();
                loop {
                    let slice_start = crate::clock::now();
                    let reached = session.advance(target, self.budget);
                    let now = crate::clock::now();
                    self.budget = adapt_budget(self.budget, now - slice_start, reached);
                    if reached || now - started >= FRAME_WORK_MS {
                        break;
                    }
                }
                let spent = crate::clock::now() - started;
                drop(session);
                self.engine_ms = (spent, self.engine_ms.1.max(spent));
                changed = true;
            }
        }
        changed
    }

    fn seek(&mut self, t: Millis) {
        if let Ok(mut s) = self.session.try_borrow_mut() {
            s.seek(t);
        }
        self.carry = 0.0;
        self.epoch += 1;
    }
}

/// Halves a slice that took over a third of the frame's engine time; grows it by half when it was
/// quick and the target was not reached. One moment is the floor (a moment cannot be split).
pub fn adapt_budget(budget: u64, spent_ms: f64, reached: bool) -> u64 {
    if spent_ms > FRAME_WORK_MS / 3.0 {
        (budget / 2).max(1)
    } else if !reached && spent_ms < FRAME_WORK_MS / 6.0 {
        (budget + budget / 2 + 1).min(100_000)
    } else {
        budget
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        if let Action::Frame { wall, dt } = action {
            // Most frames of a paused page change nothing: keep the same Rc, no re-render.
            if !self.playing && self.validate_at.is_none() {
                return self;
            }
            let mut s = (*self).clone();
            if !s.frame(wall, dt) {
                return self;
            }
            s.frame += 1;
            return Rc::new(s);
        }
        let mut s = (*self).clone();
        match action {
            Action::Frame { .. } => {}
            Action::TogglePlay => s.playing = !s.playing,
            Action::SetPlaying(p) => s.playing = p,
            Action::SetSpeed(v) => s.speed = clamp_speed(v),
            Action::SpeedStep { up } => s.speed = next_speed(s.speed, up),
            Action::StepNext => {
                s.playing = false;
                if let Ok(mut session) = s.session.try_borrow_mut() {
                    if let Some(t) = session.next_event_time() {
                        let t = t.max(session.now() + 1);
                        session.advance(t, u64::MAX);
                    }
                }
            }
            Action::StepBack => {
                s.playing = false;
                let target = s.session.try_borrow().ok().and_then(|session| {
                    let now = session.now();
                    session
                        .markers()
                        .iter()
                        .rev()
                        .map(|m| m.t)
                        .find(|t| *t < now)
                });
                s.seek(target.unwrap_or(0));
            }
            Action::Seek(t) => s.seek(t),
            Action::EditorChanged(text) => {
                if text != s.editor_text {
                    s.editor_text = text;
                    s.validate_at = Some(s.wall + VALIDATE_DEBOUNCE_MS);
                }
            }
            Action::Apply => {
                let text = s.editor_text.clone();
                let result = s
                    .session
                    .try_borrow_mut()
                    .map(|mut session| session.apply(&text));
                match result {
                    Ok(Ok(out)) => {
                        s.diagnostics.clear();
                        s.validate_at = None;
                        let ok = out.exit == 0;
                        s.apply_result = Some((ok, format!("{}{}", out.stdout, out.stderr)));
                        // Applying is meant to be watched.
                        s.playing = true;
                    }
                    Ok(Err(diags)) => {
                        s.apply_result = Some((
                            false,
                            diags.first().map(|d| d.message.clone()).unwrap_or_default(),
                        ));
                        s.diagnostics = diags;
                    }
                    Err(_) => {}
                }
            }
            Action::Reset => {
                if let Ok(mut session) = s.session.try_borrow_mut() {
                    session.reset();
                }
                s.epoch += 1;
                s.pending.clear();
                s.selected = None;
                s.menu = None;
                s.apply_result = None;
                s.scenario = String::new();
            }
            Action::LoadScenario(id) => {
                if let Some(sc) = scenarios::find(&id) {
                    s.load_scenario(sc);
                    s.apply_result = None;
                    s.playing = s.diagnostics.is_empty();
                }
            }
            Action::Command(line) => {
                let line = line.trim().to_string();
                if !line.is_empty() {
                    if s.history.last() != Some(&line) {
                        s.history.push(line.clone());
                    }
                    let t = s.now();
                    let out = s
                        .session
                        .try_borrow_mut()
                        .ok()
                        .map(|mut session| session.command(&line));
                    if let Some(None) = out {
                        s.pending.push(Pending { t, line });
                    }
                }
            }
            Action::SetTab(tab) => s.tab = tab,
            Action::SetInspectorMode(m) => s.inspector_mode = m,
            Action::Select(sel) => {
                if sel.is_some() {
                    s.tab = Tab::Inspector;
                }
                s.selected = sel;
                s.menu = None;
            }
            Action::OpenMenu(sel) => s.menu = sel,
            Action::PresetConsole(text) => {
                s.console_preset = (s.console_preset.0 + 1, text);
                s.tab = Tab::Console;
                s.menu = None;
            }
            Action::SetEventFilter(f) => s.event_filter = f,
            Action::Share { base_url } => {
                let result = s
                    .session
                    .try_borrow()
                    .ok()
                    .map(|session| SharedSession::of(&session, &s.editor_text).encode());
                s.share = result.map(|r| match r {
                    Ok(code) => ShareResult::Url(format!("{base_url}#s={code}")),
                    Err(e) => ShareResult::Error(e.to_string()),
                });
            }
            Action::DismissShare => s.share = None,
            Action::DismissNotice => s.notice = None,
            Action::SetLang(l) => s.lang = l,
            Action::SetTheme(t) => s.theme = t,
            Action::TogglePresenter => s.presenter = !s.presenter,
            Action::ToggleHelp(v) => s.show_help = v.unwrap_or(!s.show_help),
        }
        s.frame += 1;
        Rc::new(s)
    }
}

/// Drops pending console lines whose output has arrived (an output record for the same command at
/// or after the moment it was typed).
pub fn still_pending(pending: &[Pending], outputs: &[(Millis, String)]) -> Vec<Pending> {
    pending
        .iter()
        .filter(|p| !outputs.iter().any(|(t, c)| *t >= p.t && *c == p.line))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start() -> Rc<State> {
        Rc::new(State::init(Init::default()))
    }

    fn play_for(mut s: Rc<State>, ms: f64) -> Rc<State> {
        let mut wall = 0.0;
        let mut left = ms;
        while left > 0.0 {
            wall += 16.0;
            left -= 16.0;
            s = s.reduce(Action::Frame { wall, dt: 16.0 });
        }
        s
    }

    #[test]
    fn default_scenario_plays_on_open() {
        let s = start();
        assert!(s.playing);
        assert_eq!(s.scenario, "default");
        assert!(s.editor_text.contains("web-5d8f7b9c6d-4xkzp"));
        let s = play_for(s, 2_000.0);
        assert!(s.now() >= 1_900, "time advanced at 1x: {}", s.now());
        let view = s.session.borrow().view();
        let pods: usize =
            view.nodes.iter().map(|n| n.pods.len()).sum::<usize>() + view.unscheduled.len();
        assert_eq!(pods, 1);
    }

    #[test]
    fn speed_multiplies_virtual_time_per_frame() {
        let s = start().reduce(Action::SetSpeed(10.0));
        let s = play_for(s, 1_000.0);
        assert!(s.now() >= 9_000, "10x for 1 s wall: {}", s.now());
    }

    #[test]
    fn a_paused_frame_does_not_rerender() {
        let s = start().reduce(Action::SetPlaying(false));
        let same = s.clone().reduce(Action::Frame {
            wall: 16.0,
            dt: 16.0,
        });
        assert!(Rc::ptr_eq(&s, &same));
    }

    #[test]
    fn engine_slice_halves_when_slow_and_grows_when_behind() {
        assert_eq!(adapt_budget(400, 9.0, true), 200);
        assert_eq!(adapt_budget(400, 0.5, false), 601);
        assert_eq!(adapt_budget(400, 0.5, true), 400);
        assert_eq!(adapt_budget(1, 50.0, false), 1);
    }

    #[test]
    fn typing_validates_after_the_debounce_with_kubectls_message() {
        let s = start().reduce(Action::SetPlaying(false));
        let s = s.reduce(Action::EditorChanged(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\nspec:\n  containers: []\n"
                .into(),
        ));
        assert!(s.diagnostics.is_empty(), "not before the debounce");
        let s = s.reduce(Action::Frame {
            wall: 100.0,
            dt: 16.0,
        });
        assert!(s.diagnostics.is_empty());
        let s = s.reduce(Action::Frame {
            wall: 400.0,
            dt: 16.0,
        });
        assert!(!s.diagnostics.is_empty());
        assert!(s.validate_at.is_none());
    }

    #[test]
    fn apply_with_errors_keeps_the_cluster_and_marks_the_text() {
        let s = start().reduce(Action::EditorChanged("kind: Pod\n".into()));
        let s = s.reduce(Action::Apply);
        assert!(!s.diagnostics.is_empty());
        assert_eq!(s.apply_result.as_ref().map(|r| r.0), Some(false));
    }

    #[test]
    fn console_command_runs_and_is_remembered_in_history() {
        let s = play_for(start(), 500.0);
        let s = s.reduce(Action::Command("kubectl get pods".into()));
        assert_eq!(s.history, vec!["kubectl get pods".to_string()]);
        let (outs, _) = s.session.borrow().outputs_since(0);
        assert!(outs
            .iter()
            .any(|(_, c, o)| c == "kubectl get pods" && o.stdout.contains("NAME")));
    }

    #[test]
    fn seek_back_shows_the_earlier_moment() {
        let s = play_for(start().reduce(Action::SetSpeed(10.0)), 1_000.0);
        let later = s.now();
        let s = s.reduce(Action::Seek(1_000));
        assert_eq!(s.now(), 1_000);
        assert!(later > 1_000);
        assert!(s.session.borrow().frontier() >= later);
    }

    #[test]
    fn step_next_pauses_and_moves_forward() {
        let s = start();
        let before = s.now();
        let s = s.reduce(Action::StepNext);
        assert!(!s.playing);
        assert!(s.now() > before);
    }

    #[test]
    fn share_link_round_trips_through_init() {
        let s = play_for(start().reduce(Action::SetSpeed(10.0)), 500.0);
        let moment = s.now();
        let s = s.reduce(Action::Share {
            base_url: "http://x/".into(),
        });
        let Some(ShareResult::Url(url)) = s.share.clone() else {
            panic!("no url: {:?}", s.share)
        };
        let hash = url.split_once('#').map(|(_, h)| h).unwrap_or("");
        let opened = State::init(Init {
            params: crate::params::parse("", hash),
            saved: None,
        });
        assert_eq!(opened.now(), moment);
        assert_eq!(opened.editor_text, s.editor_text);
        assert!(!opened.playing);
        assert!(opened.notice.is_none());
    }

    #[test]
    fn damaged_link_shows_the_message_and_the_default_scenario() {
        let opened = State::init(Init {
            params: crate::params::parse("", "#s=v1.@@@"),
            saved: None,
        });
        assert!(opened.notice.as_deref().unwrap_or("").contains("damaged"));
        assert_eq!(opened.scenario, "default");
    }

    #[test]
    fn saved_workspace_restores_the_editor_text() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: mine\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n";
        let opened = State::init(Init {
            params: Params::default(),
            saved: Some(Workspace {
                editor: text.into(),
                scenario: "default".into(),
                lang: "zh".into(),
                theme: "dark".into(),
                speed: 2.0,
            }),
        });
        assert_eq!(opened.editor_text, text);
        assert_eq!(opened.lang, Lang::Zh);
        assert_eq!(opened.theme, Theme::Dark);
        assert_eq!(opened.speed, 2.0);
    }

    #[test]
    fn embed_with_inline_manifest_waits_unless_autoplay() {
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: e\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n";
        let q = format!("embed&manifest={}", crate::params::percent_encode(yaml));
        let s = State::init(Init {
            params: crate::params::parse(&q, ""),
            saved: None,
        });
        assert!(s.embed && !s.playing);
        assert!(s.shows("cluster") && !s.shows("editor"));
        let s = State::init(Init {
            params: crate::params::parse(&format!("{q}&autoplay=1&panels=editor"), ""),
            saved: None,
        });
        assert!(s.playing && s.shows("editor") && !s.shows("cluster"));
    }

    #[test]
    fn pending_output_clears_when_it_arrives() {
        let p = vec![Pending {
            t: 5,
            line: "kubectl exec x -- sleep 1".into(),
        }];
        assert_eq!(still_pending(&p, &[]).len(), 1);
        assert!(still_pending(&p, &[(6, "kubectl exec x -- sleep 1".into())]).is_empty());
    }
}
