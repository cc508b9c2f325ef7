//! How a plain scalar resolves, as go-yaml v2 (behind sigs.k8s.io/yaml, behind kubectl) resolves it
//! before the document becomes JSON: YAML 1.1 booleans (`yes`, `on`), ints in bases 0x/0o/0b and
//! leading-zero octal, `.inf`/`.nan`, everything else a string.

#[derive(Clone, Debug, PartialEq)]
pub enum Resolved {
    Null,
    Bool(bool),
    Int(i64),
    /// An integer too large for int64 (go-yaml makes it a float; the text is kept for messages).
    Float(f64),
    Str,
}

impl Resolved {
    pub fn is_number(&self) -> bool {
        matches!(self, Resolved::Int(_) | Resolved::Float(_))
    }

    /// The JSON type name encoding/json uses in `cannot unmarshal <x> into ...`.
    pub fn json_kind(&self) -> &'static str {
        match self {
            Resolved::Null => "null",
            Resolved::Bool(_) => "bool",
            Resolved::Int(_) | Resolved::Float(_) => "number",
            Resolved::Str => "string",
        }
    }
}

pub fn resolve(s: &str) -> Resolved {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => {
            return Resolved::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => {
            return Resolved::Bool(false)
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Resolved::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Resolved::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Resolved::Float(f64::NAN),
        _ => {}
    }
    let first = s.as_bytes().first().copied().unwrap_or(b' ');
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return Resolved::Str;
    }
    let plain: String = s.chars().filter(|c| *c != '_').collect();
    if let Some(n) = parse_go_int(&plain) {
        return Resolved::Int(n);
    }
    if is_float_syntax(&plain) {
        if let Ok(f) = plain.parse::<f64>() {
            return Resolved::Float(f);
        }
    }
    Resolved::Str
}

/// strconv.ParseInt(s, 0, 64): optional sign, then 0x/0o/0b prefixes or leading-zero octal.
fn parse_go_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() {
        return None;
    }
    let (radix, digits) =
        if let Some(r) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            (16, r)
        } else if let Some(r) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
            (8, r)
        } else if let Some(r) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
            (2, r)
        } else if body.len() > 1 && body.starts_with('0') {
            (8, &body[1..])
        } else {
            (10, body)
        };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let v = i128::from_str_radix(digits, radix).ok()?;
    let v = if neg { -v } else { v };
    i64::try_from(v).ok()
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_float_syntax(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    let int_start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let int_digits = i - int_start;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let frac_start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if int_digits == 0 && i == frac_start {
            return false;
        }
    } else if int_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp_start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == exp_start {
            return false;
        }
    }
    i == b.len()
}

/// How encoding/json prints a float64 in an error (`number 1e+21`, `number 0.5`).
pub fn go_float_text(f: f64) -> String {
    let a = f.abs();
    if a != 0.0 && !(1e-6..1e21).contains(&a) {
        let s = format!("{f:e}");
        // Rust: 1e21, Go: 1e+21
        match s.split_once('e') {
            Some((m, e)) if !e.starts_with('-') => format!("{m}e+{e}"),
            _ => s,
        }
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml11_booleans_resolve_like_go_yaml_v2() {
        assert_eq!(resolve("yes"), Resolved::Bool(true));
        assert_eq!(resolve("Off"), Resolved::Bool(false));
        assert_eq!(resolve("true"), Resolved::Bool(true));
    }

    #[test]
    fn ints_floats_and_strings_resolve_like_go_yaml_v2() {
        assert_eq!(resolve("80"), Resolved::Int(80));
        assert_eq!(resolve("-1"), Resolved::Int(-1));
        assert_eq!(resolve("0x1F"), Resolved::Int(31));
        assert_eq!(resolve("0755"), Resolved::Int(493));
        assert_eq!(resolve("1_000"), Resolved::Int(1000));
        assert_eq!(resolve("1e3"), Resolved::Float(1000.0));
        assert_eq!(resolve("0.5"), Resolved::Float(0.5));
        assert_eq!(resolve("99999999999999999999"), Resolved::Float(1e20));
        assert_eq!(resolve("nginx:1.27"), Resolved::Str);
        assert_eq!(resolve("1.27.3"), Resolved::Str);
        assert_eq!(resolve("100m"), Resolved::Str);
        assert_eq!(resolve("~"), Resolved::Null);
    }

    #[test]
    fn floats_print_as_go_prints_them() {
        assert_eq!(go_float_text(0.5), "0.5");
        assert_eq!(go_float_text(1e21), "1e+21");
    }
}
