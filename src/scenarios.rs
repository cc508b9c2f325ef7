//! The scenario library, embedded at build time by `build.rs` from `scenarios/index.yaml`.

use crate::i18n::Lang;
use podplay_api::time::Millis;

#[derive(Debug)]
pub struct Scenario {
    pub id: &'static str,
    pub category: &'static str,
    pub title_en: &'static str,
    pub title_zh: &'static str,
    /// What to watch for, from `scenario.yaml`'s notes (may be empty).
    pub notes_en: &'static str,
    pub notes_zh: &'static str,
    /// (file name, contents), in the order `scenario.yaml` lists them.
    pub files: &'static [(&'static str, &'static str)],
    /// The directory's manifest files that `files` does not list, for the script's
    /// `kubectl apply|create -f NAME`.
    pub own_files: &'static [(&'static str, &'static str)],
    /// The timed script (`@33s kubectl ...`), empty when there is none.
    pub script: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/scenarios.rs"));

pub const DEFAULT: &str = "default";

impl Scenario {
    pub fn title(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.title_en,
            Lang::Zh => self.title_zh,
        }
    }

    pub fn notes(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.notes_en,
            Lang::Zh if !self.notes_zh.is_empty() => self.notes_zh,
            Lang::Zh => self.notes_en,
        }
    }

    /// The editor's text: the scenario's files as one multi-document YAML stream.
    pub fn manifests(&self) -> String {
        let mut out = String::new();
        for (i, (_, text)) in self.files.iter().enumerate() {
            if i > 0 {
                out.push_str("---\n");
            }
            out.push_str(text);
            if !text.ends_with('\n') {
                out.push('\n');
            }
        }
        out
    }

    /// The files the session hands to the script, by name: every manifest of the directory.
    pub fn session_files(&self) -> Vec<(String, String)> {
        self.files
            .iter()
            .chain(self.own_files)
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect()
    }

    /// The editor's text for a scenario that applies nothing at 0 s (its script creates
    /// everything): its files, to read, each under a comment with its name.
    pub fn script_files_text(&self) -> String {
        let mut out = String::new();
        for (i, (name, text)) in self.own_files.iter().enumerate() {
            if i > 0 {
                out.push_str("---\n");
            }
            out.push_str(&format!("# {name}\n"));
            out.push_str(text);
            if !text.ends_with('\n') {
                out.push('\n');
            }
        }
        out
    }

    /// The script's lines; a script the engine cannot read plays nothing rather than failing.
    pub fn script_lines(&self) -> Vec<(Millis, String)> {
        podplay_engine::commands::parse_script(self.script).unwrap_or_default()
    }
}

/// The picker's group of a scenario: its index category, except that the workload scenarios
/// (category `controllers`) are grouped by the kind they show, so each kind has its templates.
pub fn group(s: &Scenario) -> &'static str {
    if s.category != "controllers" {
        return s.category;
    }
    let id = s.id;
    let has = |w: &str| id.contains(w);
    if has("hpa") {
        "autoscaling"
    } else if has("cronjob") {
        "cronjobs"
    } else if has("job") {
        "jobs"
    } else if has("daemonset") || has("statefulset") {
        "daemonsets-statefulsets"
    } else if has("deployment") {
        "deployments"
    } else if has("replicaset") || has("label-selectors") {
        "replicasets"
    } else if has("schedul") || has("affinity") || has("taint") {
        "scheduling"
    } else if has("node") || has("drain") || has("namespace") {
        "nodes"
    } else {
        "controllers"
    }
}

pub fn find(id: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|s| s.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_scenario_is_embedded_with_its_script() {
        let s = find(DEFAULT).expect("default scenario");
        assert!(s.manifests().contains("kind: Service"));
        assert!(!s.script_lines().is_empty());
        assert!(s.title(Lang::Zh).contains("Pod"));
        assert!(s.notes(Lang::En).starts_with("Watch the init container"));
        assert!(s.notes(Lang::Zh).contains("init 容器"));
    }

    #[test]
    fn workload_scenarios_are_grouped_by_kind() {
        let g = |id: &str| group(find(id).expect(id));
        assert_eq!(g("golden-s2-deployment-rolling-update"), "deployments");
        assert_eq!(g("golden-s16-hpa-scale-up-down"), "autoscaling");
        assert_eq!(g("seed001-cronjob"), "cronjobs");
        assert_eq!(g("golden-s11-job-backoff"), "jobs");
        assert_eq!(g("statefulset-ordered"), "daemonsets-statefulsets");
        assert_eq!(g("golden-s17-failed-scheduling"), "scheduling");
        assert_eq!(g("golden-s18-cordon-drain"), "nodes");
        assert_eq!(g("default"), "probes");
    }

    #[test]
    fn script_only_scenarios_hand_their_files_to_the_session() {
        // namespace-delete lists no files: its script runs `kubectl apply -f` on its own.
        let s = find("namespace-delete").expect("embedded");
        assert!(s.files.is_empty());
        assert!(s.session_files().iter().any(|(n, _)| n == "pod.yaml"));
        assert!(s.script_files_text().starts_with("# "));
        let mut session = podplay_session::Session::new(1);
        session
            .load_with_files(&s.manifests(), s.session_files(), &s.script_lines())
            .expect("loads");
        // At 30 s the script's ReplicaSet (from rs.yaml) exists.
        session.advance(30_000, u64::MAX);
        assert!(session
            .view()
            .workloads
            .iter()
            .any(|w| w.kind == "ReplicaSet"));
    }

    #[test]
    fn every_embedded_scenario_has_files_and_a_readable_script() {
        assert!(SCENARIOS.len() > 10);
        for s in SCENARIOS {
            assert!(
                !s.files.is_empty() || !s.own_files.is_empty(),
                "{} has no files",
                s.id
            );
            assert!(
                podplay_engine::commands::parse_script(s.script).is_ok(),
                "{}'s script does not parse",
                s.id
            );
        }
    }
}
