//! `-o yaml` as kubectl prints it (sigs.k8s.io/yaml → go-yaml v2): keys sorted, two-space
//! indentation, list items at the same indentation as their key, strings quoted only when
//! they would otherwise read as something else.

use serde_json::Value;

pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v, 0, false);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

fn write_value(out: &mut String, v: &Value, indent: usize, in_seq: bool) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            for (i, k) in keys.iter().enumerate() {
                if !(in_seq && i == 0) {
                    out.push_str(&" ".repeat(indent));
                }
                out.push_str(&scalar(k));
                out.push(':');
                let child = &m[*k];
                match child {
                    Value::Object(cm) if !cm.is_empty() => {
                        out.push('\n');
                        write_value(out, child, indent + 2, false);
                    }
                    Value::Array(a) if !a.is_empty() => {
                        out.push('\n');
                        write_value(out, child, indent, false);
                    }
                    _ => {
                        out.push(' ');
                        write_value(out, child, indent + 2, false);
                    }
                }
            }
        }
        Value::Array(a) if !a.is_empty() => {
            for item in a {
                out.push_str(&" ".repeat(indent));
                out.push_str("- ");
                match item {
                    Value::Object(m) if !m.is_empty() => write_value(out, item, indent + 2, true),
                    Value::Array(inner) if !inner.is_empty() => {
                        out.push('\n');
                        write_value(out, item, indent + 2, false);
                    }
                    _ => write_value(out, item, indent + 2, false),
                }
            }
        }
        Value::Object(_) => out.push_str("{}\n"),
        Value::Array(_) => out.push_str("[]\n"),
        Value::String(s) if s.contains('\n') => {
            out.push_str("|\n");
            for line in s.lines() {
                out.push_str(&" ".repeat(indent));
                out.push_str(line);
                out.push('\n');
            }
        }
        other => {
            out.push_str(&match other {
                Value::String(s) => scalar(s),
                Value::Null => "null".into(),
                x => x.to_string(),
            });
            out.push('\n');
        }
    }
}

fn scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~" | "y" | "n"
        )
        && s.parse::<f64>().is_err()
        && !s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@` ".contains(c))
        && !s.ends_with(' ')
        && !s.contains(": ")
        && !s.contains(" #");
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_sit_under_their_key_and_keys_are_sorted() {
        let v = serde_json::json!({"spec": {"containers": [{"name": "web", "image": "nginx"}]}, "kind": "Pod"});
        assert_eq!(
            to_yaml(&v),
            "kind: Pod\nspec:\n  containers:\n  - image: nginx\n    name: web\n"
        );
    }

    #[test]
    fn ambiguous_strings_are_quoted() {
        let v = serde_json::json!({"a": "80", "b": "true", "c": "", "d": "plain"});
        assert_eq!(to_yaml(&v), "a: '80'\nb: 'true'\nc: ''\nd: plain\n");
    }
}
