//! pflag/cobra argument splitting: interspersed flags, `--name=value`, `--name value`, combined
//! shorthands (`-it`), `-n=foo`, `-nfoo`, and `--` ending flags. Error texts are pflag's.

use crate::flags::{Flag, FlagKind};
use std::collections::BTreeMap;

/// The flags and positional arguments of one command line.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// Values by long flag name, in the order given (repeatable flags such as `-f` keep all).
    pub values: BTreeMap<&'static str, Vec<String>>,
    pub positional: Vec<String>,
    /// cobra's `ArgsLenAtDash`: how many positional arguments came before `--` (None if no `--`).
    pub args_len_at_dash: Option<usize>,
}

impl Parsed {
    pub fn last(&self, long: &str) -> Option<&str> {
        self.values
            .get(long)
            .and_then(|v| v.last())
            .map(|s| s.as_str())
    }
    pub fn all(&self, long: &str) -> Vec<String> {
        self.values.get(long).cloned().unwrap_or_default()
    }
    pub fn has(&self, long: &str) -> bool {
        self.values.contains_key(long)
    }
    /// A bool flag's value (already validated during parsing).
    pub fn flag(&self, long: &str) -> bool {
        self.last(long).is_some_and(|v| parse_bool(v) == Some(true))
    }
    pub fn bool_or(&self, long: &str, default: bool) -> bool {
        self.last(long).and_then(parse_bool).unwrap_or(default)
    }
}

/// Go `strconv.ParseBool`.
pub fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// How pflag names a flag in messages: `-w, --watch` or `--tail`.
pub fn flag_display(f: &Flag) -> String {
    match f.short {
        Some(c) => format!("-{c}, --{}", f.long),
        None => format!("--{}", f.long),
    }
}

fn find_long<'a>(tables: &[&'a [Flag]], name: &str) -> Option<&'a Flag> {
    tables
        .iter()
        .flat_map(|t| t.iter())
        .find(|f| f.long == name)
}

fn find_short<'a>(tables: &[&'a [Flag]], c: char) -> Option<&'a Flag> {
    tables
        .iter()
        .flat_map(|t| t.iter())
        .find(|f| f.short == Some(c))
}

fn set(out: &mut Parsed, f: &Flag, value: String) -> Result<(), String> {
    if f.kind == FlagKind::Bool && parse_bool(&value).is_none() {
        return Err(format!(
            "invalid argument \"{value}\" for \"{}\" flag: strconv.ParseBool: parsing \"{value}\": invalid syntax",
            flag_display(f)
        ));
    }
    out.values.entry(f.long).or_default().push(value);
    Ok(())
}

/// Split `args` into flags (looked up in `tables`) and positional arguments.
/// The error is pflag's message without the `Error: ` prefix.
pub fn parse(args: &[String], tables: &[&[Flag]]) -> Result<Parsed, String> {
    let mut out = Parsed::default();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            out.args_len_at_dash = Some(out.positional.len());
            out.positional.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(body) = a.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let Some(f) = find_long(tables, name) else {
                return Err(format!("unknown flag: --{name}"));
            };
            let value = match (inline, f.kind) {
                (Some(v), _) => v,
                (None, FlagKind::Bool) => "true".to_string(),
                (None, FlagKind::OptionalValue) => "unchanged".to_string(),
                (None, FlagKind::Value) => match args.get(i) {
                    Some(v) => {
                        i += 1;
                        v.clone()
                    }
                    None => return Err(format!("flag needs an argument: --{name}")),
                },
            };
            set(&mut out, f, value)?;
        } else if a.len() > 1 && a.starts_with('-') {
            let chars: Vec<char> = a.chars().skip(1).collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                let Some(f) = find_short(tables, c) else {
                    return Err(format!("unknown shorthand flag: '{c}' in {a}"));
                };
                let rest: String = chars[j + 1..].iter().collect();
                match f.kind {
                    FlagKind::Bool | FlagKind::OptionalValue => {
                        if let Some(v) = rest.strip_prefix('=') {
                            set(&mut out, f, v.to_string())?;
                            break;
                        }
                        let dflt = if f.kind == FlagKind::Bool {
                            "true"
                        } else {
                            "unchanged"
                        };
                        set(&mut out, f, dflt.to_string())?;
                        j += 1;
                    }
                    FlagKind::Value => {
                        if !rest.is_empty() {
                            let v = rest.strip_prefix('=').unwrap_or(&rest).to_string();
                            set(&mut out, f, v)?;
                        } else {
                            match args.get(i) {
                                Some(v) => {
                                    i += 1;
                                    set(&mut out, f, v.clone())?;
                                }
                                None => {
                                    return Err(format!("flag needs an argument: '{c}' in -{c}"))
                                }
                            }
                        }
                        break;
                    }
                }
            }
        } else {
            out.positional.push(a.clone());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flags::{GET, GLOBAL};

    fn p(args: &[&str]) -> Result<Parsed, String> {
        let v: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        parse(&v, &[GET, GLOBAL])
    }

    #[test]
    fn flags_may_be_interspersed_with_arguments() {
        let r = p(&["pods", "-n", "kube-system", "web", "-owide"]).unwrap();
        assert_eq!(r.positional, vec!["pods", "web"]);
        assert_eq!(r.last("namespace"), Some("kube-system"));
        assert_eq!(r.last("output"), Some("wide"));
    }

    #[test]
    fn shorthand_forms_with_equals_and_combined() {
        let r = p(&["-n=dev", "-lapp=web", "-Aw"]).unwrap();
        assert_eq!(r.last("namespace"), Some("dev"));
        assert_eq!(r.last("selector"), Some("app=web"));
        assert!(r.flag("all-namespaces") && r.flag("watch"));
    }

    #[test]
    fn pflag_error_texts() {
        assert_eq!(p(&["--bogus=1"]).unwrap_err(), "unknown flag: --bogus");
        assert_eq!(p(&["-z"]).unwrap_err(), "unknown shorthand flag: 'z' in -z");
        assert_eq!(p(&["-n"]).unwrap_err(), "flag needs an argument: 'n' in -n");
        assert_eq!(
            p(&["--namespace"]).unwrap_err(),
            "flag needs an argument: --namespace"
        );
        assert_eq!(
            p(&["-w=maybe"]).unwrap_err(),
            "invalid argument \"maybe\" for \"-w, --watch\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax"
        );
    }

    #[test]
    fn double_dash_ends_flags_and_records_position() {
        let r = p(&["web", "--", "ls", "-l"]).unwrap();
        assert_eq!(r.positional, vec!["web", "ls", "-l"]);
        assert_eq!(r.args_len_at_dash, Some(1));
    }
}
