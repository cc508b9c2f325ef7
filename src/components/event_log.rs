//! The event log, as `kubectl get events` prints it (LAST SEEN, TYPE, REASON, OBJECT, MESSAGE), up to
//! the moment shown, with a filter by object (`pod/web`, or any part of it).

use std::rc::Rc;

use podplay_api::time::Millis;
use podplay_kubectl::duration::human_duration;
use podplay_session::EventRow;
use yew::prelude::*;

use crate::i18n::{t, Lang};

/// Rows drawn at most (the newest); the rest stay a `kubectl get events` away in the console.
pub const MAX_ROWS: usize = 200;

#[derive(Properties, PartialEq)]
pub struct EventLogProps {
    pub events: Rc<Vec<EventRow>>,
    pub now: Millis,
    pub filter: AttrValue,
    pub lang: Lang,
    pub on_filter: Callback<String>,
}

/// Whether a row's OBJECT matches the filter (case-insensitive substring; empty matches all).
pub fn matches(row: &EventRow, filter: &str) -> bool {
    let f = filter.trim().to_ascii_lowercase();
    f.is_empty() || row.object.to_ascii_lowercase().contains(&f)
}

#[component]
pub fn EventLog(props: &EventLogProps) -> Html {
    let lang = props.lang;
    let oninput = {
        let cb = props.on_filter.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                cb.emit(i.value());
            }
        })
    };
    // Newest at the bottom, as `kubectl get events -w` grows: follow it while rows arrive.
    let scroller = use_node_ref();
    {
        let scroller = scroller.clone();
        use_effect_with(props.events.len(), move |_| {
            if let Some(el) = scroller.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    let rows: Vec<&EventRow> = props
        .events
        .iter()
        .filter(|r| matches(r, &props.filter))
        .collect();
    let skip = rows.len().saturating_sub(MAX_ROWS);
    html! {
        <section class="event-log" data-testid="event-log" aria-label={t(lang, "events.title")}>
            <div class="panel-tools">
                <input type="search" class="event-filter" data-testid="event-filter" value={props.filter.clone()}
                    placeholder={t(lang, "events.filter")} aria-label={t(lang, "events.filter")} {oninput} />
                <span class="count">{ rows.len() }</span>
            </div>
            <div class="table-scroll" tabindex="0" ref={scroller}>
                <table>
                    <thead><tr>
                        <th>{ "LAST SEEN" }</th><th>{ "TYPE" }</th><th>{ "REASON" }</th><th>{ "OBJECT" }</th><th>{ "MESSAGE" }</th>
                    </tr></thead>
                    <tbody>
                        { for rows.iter().enumerate().skip(skip).map(|(i, r)| html! {
                            <Row key={i} row={(*r).clone()} now={props.now} {lang} on_filter={props.on_filter.clone()} />
                        }) }
                    </tbody>
                </table>
                if rows.is_empty() {
                    <p class="empty">{ t(lang, "events.none") }</p>
                }
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    row: EventRow,
    now: Millis,
    lang: Lang,
    on_filter: Callback<String>,
}

/// One event; a component so that rows whose props did not change are not redrawn.
#[component]
fn Row(props: &RowProps) -> Html {
    let r = &props.row;
    let object = r.object.clone();
    let cb = props.on_filter.clone();
    let onclick = Callback::from(move |_: MouseEvent| cb.emit(object.clone()));
    html! {
        <tr class={r.type_.to_ascii_lowercase()} data-reason={r.reason.clone()}>
            <td>{ human_duration(props.now - r.t) }</td>
            <td>{ &r.type_ }</td>
            <td>{ &r.reason }</td>
            <td><button class="link" {onclick} title={t(props.lang, "events.filter_object")}>{ &r.object }</button></td>
            <td class="message">{ &r.message }</td>
        </tr>
    }
}
