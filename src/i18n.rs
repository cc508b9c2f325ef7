//! Every string the page shows comes from `www/i18n/<lang>.json` (flat `key → text` maps), embedded at
//! build time and parsed once. A key missing from a language falls back to English, then to the key
//! itself, so a gap shows up as a readable key rather than a blank (the tests forbid gaps).

use std::collections::BTreeMap;
use std::sync::OnceLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// `en` / `zh`, as the `lang` URL parameter and the workspace store it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The `lang` attribute of the page (BCP 47).
    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" | "en-us" | "en-gb" => Some(Lang::En),
            "zh" | "zh-cn" | "zh-hans" | "cn" => Some(Lang::Zh),
            _ => None,
        }
    }
}

pub const EN_JSON: &str = include_str!("../www/i18n/en.json");
pub const ZH_JSON: &str = include_str!("../www/i18n/zh.json");

fn table(lang: Lang) -> &'static BTreeMap<String, String> {
    static EN: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    static ZH: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    let (cell, text) = match lang {
        Lang::En => (&EN, EN_JSON),
        Lang::Zh => (&ZH, ZH_JSON),
    };
    cell.get_or_init(|| serde_json::from_str(text).unwrap_or_default())
}

/// The text for `key` in `lang`.
pub fn t(lang: Lang, key: &'static str) -> &'static str {
    table(lang)
        .get(key)
        .or_else(|| table(Lang::En).get(key))
        .map_or(key, String::as_str)
}

/// `t` with `{name}` placeholders filled in.
pub fn tf(lang: Lang, key: &'static str, args: &[(&str, &str)]) -> String {
    let mut s = t(lang, key).to_string();
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(json: &str) -> Vec<String> {
        let map: BTreeMap<String, String> = serde_json::from_str(json).expect("valid i18n JSON");
        map.into_keys().collect()
    }

    #[test]
    fn every_key_exists_in_both_languages() {
        assert_eq!(keys(EN_JSON), keys(ZH_JSON));
    }

    #[test]
    fn no_translation_is_empty() {
        for json in [EN_JSON, ZH_JSON] {
            let map: BTreeMap<String, String> =
                serde_json::from_str(json).expect("valid i18n JSON");
            for (k, v) in map {
                assert!(!v.trim().is_empty(), "{k} is empty");
            }
        }
    }

    /// The keys passed to `t(lang, "…")` / `tf(lang, "…", …)` in a source, however it is wrapped.
    fn keys_used(src: &str) -> Vec<String> {
        let mut out = vec![];
        for (at, _) in src.match_indices('(') {
            // The identifier right before the parenthesis must be exactly `t` or `tf`.
            let ident: String = src[..at]
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if ident != "t" && ident != "ft" {
                continue;
            }
            let rest = src[at + 1..].trim_start();
            let Some(rest) = rest.strip_prefix("lang") else {
                continue;
            };
            let Some(rest) = rest.trim_start().strip_prefix(',') else {
                continue;
            };
            let Some(rest) = rest.trim_start().strip_prefix('"') else {
                continue;
            };
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].to_string());
            }
        }
        out
    }

    #[test]
    fn every_key_used_in_the_source_is_translated() {
        // A new string cannot ship untranslated, nor a key be misspelt.
        let en = keys(EN_JSON);
        let mut missing = vec![];
        let mut used = 0;
        for (name, src) in crate::SOURCES {
            for key in keys_used(src) {
                used += 1;
                if !en.contains(&key) {
                    missing.push(format!("{name}: {key}"));
                }
            }
        }
        assert!(used > 50, "the scan found only {used} keys");
        assert!(
            missing.is_empty(),
            "keys without a translation: {missing:?}"
        );
    }

    #[test]
    fn key_scan_sees_calls_wrapped_over_lines() {
        let src = "tf(\n        lang,\n        \"a.b\",\n) t(lang, \"c\") fmt(lang, \"no\")";
        assert_eq!(keys_used(src), vec!["a.b".to_string(), "c".to_string()]);
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            tf(Lang::En, "no-such-key-{x}", &[("x", "1")]),
            "no-such-key-1"
        );
    }

    #[test]
    fn lang_param_accepts_common_spellings() {
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("EN"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
