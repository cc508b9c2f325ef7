//! The timeline: play/pause, step back and forward between events, the speed, and a scrubbable
//! track from 0 to the frontier (the furthest moment simulated) with the events marked on it,
//! coloured by type (Normal, Warning, and the user's own Actions).

use std::rc::Rc;

use podplay_api::time::Millis;
use podplay_session::Marker;
use yew::prelude::*;

use crate::i18n::{t, Lang};
use crate::params::SPEEDS;

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub now: Millis,
    pub frontier: Millis,
    pub markers: Rc<Vec<Marker>>,
    pub playing: bool,
    pub speed: f64,
    pub lang: Lang,
    pub on_toggle: Callback<()>,
    pub on_step: Callback<()>,
    pub on_step_back: Callback<()>,
    pub on_speed: Callback<f64>,
    pub on_seek: Callback<Millis>,
}

/// `1:05.3` (minutes:seconds.tenths), or `1:02:03` past an hour.
pub fn clock(t: Millis) -> String {
    let t = t.max(0);
    let tenths = (t % 1000) / 100;
    let s = t / 1000;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
    } else {
        format!("{}:{:02}.{}", s / 60, s % 60, tenths)
    }
}

/// At most `buckets` marks, one per slice of the track, the most severe of each slice
/// (Warning over Action over Normal), so an hour of events stays a few hundred elements.
pub fn bucket_markers(markers: &[Marker], end: Millis, buckets: usize) -> Vec<(f64, &Marker)> {
    let end = end.max(1);
    let mut out: Vec<Option<&Marker>> = vec![None; buckets.max(1)];
    let rank = |m: &Marker| match m.type_.as_str() {
        "Warning" => 2,
        "Action" => 1,
        _ => 0,
    };
    for m in markers.iter().filter(|m| m.t <= end) {
        let i = ((m.t.max(0) as f64 / end as f64) * (buckets as f64 - 1.0)).round() as usize;
        if let Some(slot) = out.get_mut(i) {
            if slot.is_none_or(|old| rank(m) > rank(old)) {
                *slot = Some(m);
            }
        }
    }
    out.into_iter()
        .flatten()
        .map(|m| (m.t.max(0) as f64 * 100.0 / end as f64, m))
        .collect()
}

fn speed_label(s: f64) -> String {
    if s.fract() == 0.0 {
        format!("{s:.0}×")
    } else {
        format!("{s}×")
    }
}

/// Icons as inline SVG: the media-control characters (⏮ ⏸ ⏭) are missing from many fonts.
fn icon(path: &'static str) -> Html {
    html! {
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
            <path d={path} fill="currentColor" />
        </svg>
    }
}
const ICON_PLAY: &str = "M4 2l10 6-10 6z";
const ICON_PAUSE: &str = "M3 2h4v12H3zM9 2h4v12H9z";
const ICON_STEP: &str = "M2 2l8 6-8 6zM11 2h3v12h-3z";
const ICON_BACK: &str = "M14 2L6 8l8 6zM2 2h3v12H2z";

#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let lang = props.lang;
    let end = props.frontier.max(props.now).max(1_000);
    let on_toggle = props.on_toggle.reform(|_: MouseEvent| ());
    let on_step = props.on_step.reform(|_: MouseEvent| ());
    let on_step_back = props.on_step_back.reform(|_: MouseEvent| ());
    let on_speed = {
        let cb = props.on_speed.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            if let Ok(v) = value.parse::<f64>() {
                cb.emit(v);
            }
        })
    };
    let on_input = {
        let cb = props.on_seek.clone();
        Callback::from(move |e: InputEvent| {
            let value = e
                .target_dyn_into::<web_sys::HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            if let Ok(v) = value.parse::<f64>() {
                cb.emit(v as Millis);
            }
        })
    };
    let marks = bucket_markers(&props.markers, end, 240);
    html! {
        <section class="timeline" data-testid="timeline" aria-label={t(lang, "timeline.title")}>
            <div class="timeline-controls">
                <button class="step-back" onclick={on_step_back} title={t(lang, "timeline.step_back")}
                    aria-label={t(lang, "timeline.step_back")}>{ icon(ICON_BACK) }</button>
                <button class="play-pause" data-testid="play-pause" onclick={on_toggle}
                    aria-pressed={props.playing.to_string()}
                    aria-label={if props.playing { t(lang, "timeline.pause") } else { t(lang, "timeline.play") }}>
                    { icon(if props.playing { ICON_PAUSE } else { ICON_PLAY }) }
                </button>
                <button class="step" data-testid="step" onclick={on_step} title={t(lang, "timeline.step")}
                    aria-label={t(lang, "timeline.step")}>{ icon(ICON_STEP) }</button>
                <label class="speed-label">
                    <span class="visually-hidden">{ t(lang, "timeline.speed") }</span>
                    <select data-testid="speed" onchange={on_speed} aria-label={t(lang, "timeline.speed")}>
                        { for SPEEDS.iter().map(|s| html! {
                            <option value={s.to_string()} selected={(*s - props.speed).abs() < 1e-9}>{ speed_label(*s) }</option>
                        }) }
                    </select>
                </label>
                <output class="clock" data-testid="clock" aria-live="off">
                    { format!("{} / {}", clock(props.now), clock(props.frontier)) }
                </output>
            </div>
            <div class="track">
                <div class="marks" aria-hidden="true">
                    { for marks.iter().map(|(pct, m)| html! {
                        <span class={classes!("mark", m.type_.to_ascii_lowercase())}
                            style={format!("left:{pct:.2}%")} title={format!("{} {}", clock(m.t), m.label)}></span>
                    }) }
                </div>
                <input type="range" class="scrubber" data-testid="scrubber" min="0" max={end.to_string()} step="100"
                    value={props.now.to_string()} oninput={on_input} aria-label={t(lang, "timeline.scrub")}
                    aria-valuetext={clock(props.now)} />
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(t: Millis, ty: &str) -> Marker {
        Marker {
            t,
            type_: ty.into(),
            label: String::new(),
        }
    }

    #[test]
    fn clock_shows_minutes_seconds_and_tenths() {
        assert_eq!(clock(65_300), "1:05.3");
        assert_eq!(clock(0), "0:00.0");
        assert_eq!(clock(3_723_000), "1:02:03");
    }

    #[test]
    fn markers_bucket_to_the_most_severe_type() {
        let ms = vec![
            m(0, "Normal"),
            m(1, "Warning"),
            m(2, "Action"),
            m(1000, "Normal"),
        ];
        let b = bucket_markers(&ms, 1000, 10);
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].1.type_, "Warning");
        assert_eq!(b[1].0, 100.0);
    }
}
