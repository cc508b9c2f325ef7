//! The deprecated `--record` flag (`genericclioptions.RecordFlags`): the command line, as
//! `parseCommandArguments` rebuilds it, becomes the `kubernetes.io/change-cause` annotation that
//! `kubectl rollout history` shows.

use crate::flags::{Flag, FlagKind, GLOBAL};

pub const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";

/// What kubectl prints on stderr when `--record` is used.
pub const DEPRECATION: &str =
    "Flag --record has been deprecated, --record will be removed in the future\n";

/// `parseCommandArguments`: the command path (`kubectl create`), then the positional
/// arguments, then every flag in the order given as ` --<long name>=<value>` (`true` for a bare
/// boolean). `args` are the words after the command path.
pub fn change_cause(command_path: &str, args: &[String], table: &[Flag]) -> String {
    let find_long = |name: &str| table.iter().chain(GLOBAL.iter()).find(|f| f.long == name);
    let find_short = |c: char| {
        table
            .iter()
            .chain(GLOBAL.iter())
            .find(|f| f.short == Some(c))
    };
    let mut positional: Vec<&str> = vec![];
    let mut flags = String::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        i += 1;
        let (flag, inline) = if let Some(rest) = a.strip_prefix("--") {
            match rest.split_once('=') {
                Some((n, v)) => (find_long(n), Some(v.to_string())),
                None => (find_long(rest), None),
            }
        } else if let Some(rest) = a.strip_prefix('-').filter(|r| !r.is_empty()) {
            let mut chars = rest.chars();
            let c = chars.next().unwrap_or('-');
            let tail: String = chars.collect();
            let tail = tail.strip_prefix('=').map(str::to_string).unwrap_or(tail);
            (find_short(c), (!tail.is_empty()).then_some(tail))
        } else {
            positional.push(a);
            continue;
        };
        let Some(f) = flag else { continue };
        let value = match (inline, f.kind) {
            (Some(v), _) => v,
            (None, FlagKind::Bool) => "true".to_string(),
            (None, FlagKind::OptionalValue) => f.default.to_string(),
            (None, FlagKind::Value) => {
                let v = args.get(i).cloned().unwrap_or_default();
                i += 1;
                v
            }
        };
        flags.push_str(&format!(" --{}={value}", f.long));
    }
    let mut out = command_path.to_string();
    if !positional.is_empty() {
        out.push(' ');
        out.push_str(&positional.join(" "));
    }
    out.push_str(&flags);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flags::CREATE;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    /// The Kubernetes docs' `--record` example, and seed 001's
    /// `kubectl create -f mayikt-pod-controller04.yml --record`.
    #[test]
    fn change_cause_spells_out_long_flag_names_in_the_order_given() {
        assert_eq!(
            change_cause(
                "kubectl create",
                &words("-f mayikt-pod-controller04.yml --record"),
                CREATE
            ),
            "kubectl create --filename=mayikt-pod-controller04.yml --record=true"
        );
        assert_eq!(
            change_cause(
                "kubectl create",
                &words("--record -n mayikt-sit --filename=x.yml"),
                CREATE
            ),
            "kubectl create --record=true --namespace=mayikt-sit --filename=x.yml"
        );
    }
}
