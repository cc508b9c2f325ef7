//! The kubectl console: a command line with history (↑/↓) and Tab completion, and the transcript of
//! every command's exact output (stdout, stderr, exit code) up to the moment shown. Outputs that
//! arrive later (an exec still running) appear when they do; until then the line shows as pending.

use std::rc::Rc;

use podplay_api::time::Millis;
use yew::prelude::*;

use crate::components::timeline::clock;
use crate::i18n::{t, tf, Lang};
use crate::state::Pending;

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub t: Millis,
    pub command: String,
    pub stdout: String,
    pub stderr: String,
    pub exit: i32,
}

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub entries: Rc<Vec<Entry>>,
    pub pending: Vec<Pending>,
    pub history: Vec<String>,
    /// Text to put in the input (from the pod menu), with a counter to notice a new one.
    pub preset: (u64, String),
    pub lang: Lang,
    pub on_run: Callback<String>,
    /// Completion candidates for a line.
    pub complete: Callback<String, Vec<String>>,
}

/// The line after completing its last word with `candidates`: the one candidate, or the longest
/// prefix they share.
pub fn complete_line(line: &str, candidates: &[String]) -> String {
    let (head, word) = match line.rfind(char::is_whitespace) {
        Some(i) => (&line[..=i], &line[i + 1..]),
        None => ("", line),
    };
    match candidates {
        [] => line.to_string(),
        [one] => format!("{head}{one} "),
        many => {
            let first = &many[0];
            let mut n = first.len();
            for c in &many[1..] {
                n = n.min(
                    first
                        .bytes()
                        .zip(c.bytes())
                        .take_while(|(a, b)| a == b)
                        .count(),
                );
            }
            let common = first.get(..n).unwrap_or(word);
            if common.len() > word.len() {
                format!("{head}{common}")
            } else {
                line.to_string()
            }
        }
    }
}

#[component]
pub fn Console(props: &ConsoleProps) -> Html {
    let lang = props.lang;
    let input = use_state(String::new);
    let hint = use_state(Vec::<String>::new);
    // Position in history while browsing with ↑/↓ (None = the line being typed).
    let cursor = use_mut_ref(|| None::<usize>);
    let input_ref = use_node_ref();
    // `clear` hides what is on screen (as a terminal does); the transcript itself stays in the session.
    let cleared = use_state(|| 0usize);
    let shown_from = if *cleared > props.entries.len() {
        0
    } else {
        *cleared
    };
    {
        let input = input.clone();
        let input_ref = input_ref.clone();
        use_effect_with(props.preset.clone(), move |(n, text)| {
            if *n > 0 {
                input.set(text.clone());
                if let Some(el) = input_ref.cast::<web_sys::HtmlInputElement>() {
                    let _ = el.focus();
                }
            }
        });
    }
    let oninput = {
        let input = input.clone();
        let hint = hint.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                input.set(i.value());
                hint.set(vec![]);
            }
        })
    };
    let onkeydown = {
        let input = input.clone();
        let hint = hint.clone();
        let cursor = cursor.clone();
        let history = props.history.clone();
        let run = props.on_run.clone();
        let complete = props.complete.clone();
        let cleared = cleared.clone();
        let entries = props.entries.len();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" => {
                e.prevent_default();
                let line = (*input).clone();
                if line.trim() == "clear" {
                    cleared.set(entries);
                } else if !line.trim().is_empty() {
                    run.emit(line);
                }
                input.set(String::new());
                hint.set(vec![]);
                *cursor.borrow_mut() = None;
            }
            "ArrowUp" | "ArrowDown" => {
                if history.is_empty() {
                    return;
                }
                e.prevent_default();
                let up = e.key() == "ArrowUp";
                let mut c = cursor.borrow_mut();
                let next = match (*c, up) {
                    (None, true) => Some(history.len() - 1),
                    (None, false) => None,
                    (Some(i), true) => Some(i.saturating_sub(1)),
                    (Some(i), false) if i + 1 < history.len() => Some(i + 1),
                    (Some(_), false) => None,
                };
                *c = next;
                input.set(
                    next.and_then(|i| history.get(i).cloned())
                        .unwrap_or_default(),
                );
            }
            "Tab" => {
                let line = (*input).clone();
                if line.is_empty() {
                    return; // let Tab move focus out of an empty console
                }
                e.prevent_default();
                let candidates = complete.emit(line.clone());
                input.set(complete_line(&line, &candidates));
                hint.set(if candidates.len() > 1 {
                    candidates
                } else {
                    vec![]
                });
            }
            _ => {}
        })
    };
    let screen = use_node_ref();
    {
        let screen = screen.clone();
        use_effect_with((props.entries.len(), props.pending.len()), move |_| {
            if let Some(el) = screen.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    html! {
        <section class="console" data-testid="console" aria-label={t(lang, "console.title")}>
            <div class="console-screen" ref={screen} role="log" aria-live="polite" tabindex="0">
                { for props.entries.iter().skip(shown_from).map(|e| html! {
                    <div class="console-entry" data-testid="console-entry" data-exit={e.exit.to_string()}>
                        <div class="prompt"><span class="at">{ format!("@{}", clock(e.t)) }</span>{ format!("$ {}", e.command) }</div>
                        if !e.stdout.is_empty() { <pre class="stdout">{ &e.stdout }</pre> }
                        if !e.stderr.is_empty() { <pre class="stderr">{ &e.stderr }</pre> }
                        if e.exit != 0 { <div class="exit">{ tf(lang, "console.exit", &[("code", &e.exit.to_string())]) }</div> }
                    </div>
                }) }
                { for props.pending.iter().map(|p| html! {
                    <div class="console-entry pending">
                        <div class="prompt"><span class="at">{ format!("@{}", clock(p.t)) }</span>{ format!("$ {}", p.line) }</div>
                        <div class="waiting">{ t(lang, "console.pending") }</div>
                    </div>
                }) }
            </div>
            if !hint.is_empty() {
                <div class="completions" data-testid="completions">{ hint.join("  ") }</div>
            }
            <div class="console-input">
                <span class="ps1" aria-hidden="true">{ "$" }</span>
                <input ref={input_ref} data-testid="console-input" type="text" spellcheck="false" autocomplete="off"
                    value={(*input).clone()} placeholder={t(lang, "console.placeholder")}
                    aria-label={t(lang, "console.input")} {oninput} {onkeydown} />
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_completes_one_candidate_with_a_space() {
        assert_eq!(complete_line("kubectl ge", &["get".into()]), "kubectl get ");
    }

    #[test]
    fn tab_extends_to_the_common_prefix() {
        let c = vec!["web-1".to_string(), "web-2".to_string()];
        assert_eq!(complete_line("kubectl logs w", &c), "kubectl logs web-");
        assert_eq!(complete_line("kubectl logs web-", &c), "kubectl logs web-");
        assert_eq!(complete_line("x", &[]), "x");
    }
}
