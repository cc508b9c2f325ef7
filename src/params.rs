//! What the page's address asks for: a shared session (`#s=v1.…`), embed mode and its parameters
//! (`?embed&scenario=…&manifest=…&autoplay=1&speed=2&panels=cluster,events&lang=zh&theme=dark`),
//! presenter mode (`?present`). Pure string handling, so it is tested natively.

use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Theme {
    /// Follow the system (`prefers-color-scheme`).
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub fn code(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
    pub fn parse(s: &str) -> Option<Theme> {
        match s.trim().to_ascii_lowercase().as_str() {
            "system" | "auto" => Some(Theme::System),
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }
}

/// The page's panels, as the `panels` parameter names them.
pub const PANELS: &[&str] = &[
    "editor",
    "cluster",
    "timeline",
    "events",
    "console",
    "inspector",
];

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Params {
    pub embed: bool,
    pub present: bool,
    pub scenario: Option<String>,
    /// Inline manifests (`manifest=` URL-encoded YAML).
    pub manifest: Option<String>,
    pub autoplay: Option<bool>,
    pub speed: Option<f64>,
    /// Panels to show (embed mode); None = the mode's default.
    pub panels: Option<Vec<String>>,
    pub lang: Option<Lang>,
    pub theme: Option<Theme>,
    /// The share link payload from `#s=`.
    pub shared: Option<String>,
}

/// Decodes `%XX` escapes and `+` (form encoding), leaving malformed escapes as they are.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes everything but unreserved characters (for building URLs).
#[cfg_attr(not(test), allow(dead_code))]
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn truthy(v: &str) -> bool {
    !matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "0" | "false" | "no" | "off"
    )
}

/// Reads `location.search` (with or without `?`) and `location.hash` (with or without `#`).
pub fn parse(search: &str, hash: &str) -> Params {
    let mut p = Params::default();
    let search = search.strip_prefix('?').unwrap_or(search);
    for pair in search.split('&').filter(|s| !s.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = percent_decode(v);
        match percent_decode(k).as_str() {
            "embed" => p.embed = v.is_empty() || truthy(&v),
            "present" => p.present = v.is_empty() || truthy(&v),
            "scenario" if !v.is_empty() => p.scenario = Some(v),
            "manifest" if !v.is_empty() => p.manifest = Some(v),
            "autoplay" => p.autoplay = Some(v.is_empty() || truthy(&v)),
            "speed" => {
                p.speed = v
                    .trim()
                    .trim_end_matches('x')
                    .parse::<f64>()
                    .ok()
                    .map(clamp_speed)
            }
            "panels" => {
                let list: Vec<String> = v
                    .split(',')
                    .map(|s| s.trim().to_ascii_lowercase())
                    .filter(|s| PANELS.contains(&s.as_str()))
                    .collect();
                if !list.is_empty() {
                    p.panels = Some(list);
                }
            }
            "lang" => p.lang = Lang::parse(&v),
            "theme" => p.theme = Theme::parse(&v),
            _ => {}
        }
    }
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    for part in hash.split('&') {
        if let Some(s) = part.strip_prefix("s=") {
            if !s.is_empty() {
                p.shared = Some(s.to_string());
            }
        }
    }
    p
}

/// The speeds the speed selector offers.
pub const SPEEDS: &[f64] = &[0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 25.0, 50.0, 100.0];

/// Any speed, brought into 0.25×–100× (NaN → 1×).
pub fn clamp_speed(s: f64) -> f64 {
    if s.is_finite() {
        s.clamp(0.25, 100.0)
    } else {
        1.0
    }
}

/// The next offered speed up (`+`) or down (`-`).
pub fn next_speed(current: f64, up: bool) -> f64 {
    if up {
        SPEEDS
            .iter()
            .copied()
            .find(|s| *s > current + 1e-9)
            .unwrap_or(100.0)
    } else {
        SPEEDS
            .iter()
            .rev()
            .copied()
            .find(|s| *s < current - 1e-9)
            .unwrap_or(0.25)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embed_params_are_read() {
        let p = parse(
            "?embed&scenario=default&autoplay=1&speed=2&panels=cluster,events,bogus&lang=zh&theme=dark",
            "",
        );
        assert!(p.embed);
        assert_eq!(p.scenario.as_deref(), Some("default"));
        assert_eq!(p.autoplay, Some(true));
        assert_eq!(p.speed, Some(2.0));
        assert_eq!(
            p.panels,
            Some(vec!["cluster".to_string(), "events".to_string()])
        );
        assert_eq!(p.lang, Some(Lang::Zh));
        assert_eq!(p.theme, Some(Theme::Dark));
    }

    #[test]
    fn inline_manifest_is_percent_decoded() {
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a b\n";
        let p = parse(&format!("embed=1&manifest={}", percent_encode(yaml)), "");
        assert_eq!(p.manifest.as_deref(), Some(yaml));
        assert_eq!(percent_decode("a+b%2"), "a b%2");
        assert_eq!(percent_decode("%zz%41"), "%zzA");
    }

    #[test]
    fn share_payload_comes_from_the_hash() {
        assert_eq!(parse("", "#s=v1.abc").shared.as_deref(), Some("v1.abc"));
        assert_eq!(parse("", "").shared, None);
    }

    #[test]
    fn speed_is_clamped_to_the_offered_range() {
        assert_eq!(parse("speed=1000", "").speed, Some(100.0));
        assert_eq!(parse("speed=0", "").speed, Some(0.25));
        assert_eq!(next_speed(1.0, true), 2.0);
        assert_eq!(next_speed(1.0, false), 0.5);
        assert_eq!(next_speed(100.0, true), 100.0);
        assert_eq!(next_speed(0.25, false), 0.25);
    }
}
