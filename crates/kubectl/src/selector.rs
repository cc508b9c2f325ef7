//! Label selectors (`-l/--selector`), a port of apimachinery `labels.Parse`.
//!
//! Grammar: `<req>[,<req>]*` with `key`, `!key`, `key=v`, `key==v`, `key!=v`, `key in (a,b)`,
//! `key notin (a,b)`, `key>N`, `key<N`. Error texts are apimachinery's.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operator {
    Exists,
    DoesNotExist,
    Equals,
    DoubleEquals,
    NotEquals,
    In,
    NotIn,
    GreaterThan,
    LessThan,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub key: String,
    pub operator: Operator,
    /// Sorted and de-duplicated, as Go's `sets.String.List()`.
    pub values: Vec<String>,
}

impl Requirement {
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let got = labels.get(&self.key);
        match self.operator {
            Operator::Exists => got.is_some(),
            Operator::DoesNotExist => got.is_none(),
            Operator::Equals | Operator::DoubleEquals | Operator::In => {
                got.is_some_and(|v| self.values.iter().any(|x| x == v))
            }
            // notin and != also match objects that lack the label.
            Operator::NotEquals | Operator::NotIn => {
                got.is_none_or(|v| !self.values.iter().any(|x| x == v))
            }
            Operator::GreaterThan | Operator::LessThan => {
                let (Some(v), Some(limit)) = (got, self.values.first()) else {
                    return false;
                };
                let (Ok(v), Ok(limit)) = (v.parse::<i64>(), limit.parse::<i64>()) else {
                    return false;
                };
                if self.operator == Operator::GreaterThan {
                    v > limit
                } else {
                    v < limit
                }
            }
        }
    }
}

/// A parsed selector: all requirements must match (logical AND). Empty matches everything.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LabelSelector {
    pub requirements: Vec<Requirement>,
}

impl LabelSelector {
    /// Selects everything (`-l ""` or no selector).
    pub fn everything() -> LabelSelector {
        LabelSelector::default()
    }

    pub fn parse(text: &str) -> Result<LabelSelector, String> {
        let tokens = lex(text)?;
        let mut p = Parser { tokens, pos: 0 };
        let mut reqs = p.parse()?;
        reqs.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(LabelSelector { requirements: reqs })
    }

    /// Equality selector from a map (a Service's `spec.selector`, a ReplicaSet's `matchLabels`).
    pub fn from_map(m: &BTreeMap<String, String>) -> LabelSelector {
        LabelSelector {
            requirements: m
                .iter()
                .map(|(k, v)| Requirement {
                    key: k.clone(),
                    operator: Operator::Equals,
                    values: vec![v.clone()],
                })
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.requirements.iter().all(|r| r.matches(labels))
    }
}

/// `Requirement.String()`: `!key`, `key`, `key=v`, `key in (a,b)`, values sorted.
impl std::fmt::Display for Requirement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.operator == Operator::DoesNotExist {
            f.write_str("!")?;
        }
        f.write_str(&self.key)?;
        let op = match self.operator {
            Operator::Exists | Operator::DoesNotExist => return Ok(()),
            Operator::Equals => "=",
            Operator::DoubleEquals => "==",
            Operator::NotEquals => "!=",
            Operator::In => " in ",
            Operator::NotIn => " notin ",
            Operator::GreaterThan => ">",
            Operator::LessThan => "<",
        };
        f.write_str(op)?;
        let mut values = self.values.clone();
        values.sort();
        let set = matches!(self.operator, Operator::In | Operator::NotIn);
        if set {
            f.write_str("(")?;
        }
        f.write_str(&values.join(","))?;
        if set {
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// `Selector.String()`: the requirements (sorted by key when parsed) joined by commas.
impl std::fmt::Display for LabelSelector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, r) in self.requirements.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{r}")?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    Not,
    NotEquals,
    Open,
    Close,
    Comma,
    Equals,
    DoubleEquals,
    Greater,
    Less,
    In,
    NotIn,
    End,
}

impl Tok {
    fn literal(&self) -> String {
        match self {
            Tok::Ident(s) => s.clone(),
            Tok::Not => "!".into(),
            Tok::NotEquals => "!=".into(),
            Tok::Open => "(".into(),
            Tok::Close => ")".into(),
            Tok::Comma => ",".into(),
            Tok::Equals => "=".into(),
            Tok::DoubleEquals => "==".into(),
            Tok::Greater => ">".into(),
            Tok::Less => "<".into(),
            Tok::In => "in".into(),
            Tok::NotIn => "notin".into(),
            Tok::End => String::new(),
        }
    }
    /// In a value position `in`/`notin` are plain identifiers.
    fn as_value(&self) -> Tok {
        match self {
            Tok::In => Tok::Ident("in".into()),
            Tok::NotIn => Tok::Ident("notin".into()),
            t => t.clone(),
        }
    }
}

fn is_special(c: char) -> bool {
    matches!(c, '=' | '!' | '(' | ')' | ',' | '>' | '<')
}

fn lex(s: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
            i += 1;
        } else if is_special(c) {
            // Longest match among the two-character operators.
            let two: String = chars[i..chars.len().min(i + 2)].iter().collect();
            let (tok, len) = match two.as_str() {
                "!=" => (Tok::NotEquals, 2),
                "==" => (Tok::DoubleEquals, 2),
                _ => match c {
                    '!' => (Tok::Not, 1),
                    '(' => (Tok::Open, 1),
                    ')' => (Tok::Close, 1),
                    ',' => (Tok::Comma, 1),
                    '=' => (Tok::Equals, 1),
                    '>' => (Tok::Greater, 1),
                    _ => (Tok::Less, 1),
                },
            };
            out.push(tok);
            i += len;
        } else {
            let start = i;
            while i < chars.len() && !is_special(chars[i]) && !chars[i].is_whitespace() {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            out.push(match word.as_str() {
                "in" => Tok::In,
                "notin" => Tok::NotIn,
                _ => Tok::Ident(word),
            });
        }
    }
    out.push(Tok::End);
    Ok(out)
}

struct Parser {
    tokens: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Tok {
        self.tokens.get(self.pos).cloned().unwrap_or(Tok::End)
    }
    fn next(&mut self) -> Tok {
        let t = self.peek();
        self.pos += 1;
        t
    }

    fn parse(&mut self) -> Result<Vec<Requirement>, String> {
        let mut reqs = Vec::new();
        loop {
            match self.peek().as_value() {
                Tok::Ident(_) | Tok::Not => {
                    let r = self
                        .requirement()
                        .map_err(|e| format!("unable to parse requirement: {e}"))?;
                    reqs.push(r);
                    match self.next().as_value() {
                        Tok::End => return Ok(reqs),
                        Tok::Comma => match self.peek().as_value() {
                            Tok::Ident(_) | Tok::Not => {}
                            t => {
                                return Err(format!(
                                    "found '{}', expected: identifier after ','",
                                    t.literal()
                                ))
                            }
                        },
                        t => {
                            return Err(format!(
                                "found '{}', expected: ',' or 'end of string'",
                                t.literal()
                            ))
                        }
                    }
                }
                Tok::End => return Ok(reqs),
                t => {
                    return Err(format!(
                        "found '{}', expected: !, identifier, or 'end of string'",
                        t.literal()
                    ))
                }
            }
        }
    }

    fn requirement(&mut self) -> Result<Requirement, String> {
        let mut tok = self.next().as_value();
        let negated = tok == Tok::Not;
        if negated {
            tok = self.next().as_value();
        }
        let Tok::Ident(key) = tok else {
            return Err(format!("found '{}', expected: identifier", tok.literal()));
        };
        validate_key(&key)?;
        let after = self.peek().as_value();
        if negated || after == Tok::End || after == Tok::Comma {
            let operator = if negated {
                Operator::DoesNotExist
            } else {
                Operator::Exists
            };
            return Ok(Requirement {
                key,
                operator,
                values: vec![],
            });
        }
        let op = match self.next() {
            Tok::In => Operator::In,
            Tok::Equals => Operator::Equals,
            Tok::DoubleEquals => Operator::DoubleEquals,
            Tok::Greater => Operator::GreaterThan,
            Tok::Less => Operator::LessThan,
            Tok::NotIn => Operator::NotIn,
            Tok::NotEquals => Operator::NotEquals,
            t => {
                return Err(format!(
                    "found '{}', expected: in, notin, =, ==, !=, gt, lt",
                    t.literal()
                ))
            }
        };
        let mut values = match op {
            Operator::In | Operator::NotIn => self.set_values()?,
            _ => self.exact_value()?,
        };
        values.sort();
        values.dedup();
        if matches!(op, Operator::GreaterThan | Operator::LessThan) {
            let ok = values.len() == 1 && values[0].parse::<i64>().is_ok();
            if !ok {
                return Err(format!(
                    "for 'Gt', 'Lt' operators, the value must be an integer: Invalid value: \"{}\"",
                    values.first().cloned().unwrap_or_default()
                ));
            }
        } else if matches!(op, Operator::In | Operator::NotIn) && values.is_empty() {
            return Err("for 'in', 'notin' operators, values set can't be empty".into());
        }
        Ok(Requirement {
            key,
            operator: op,
            values,
        })
    }

    fn set_values(&mut self) -> Result<Vec<String>, String> {
        let t = self.next().as_value();
        if t != Tok::Open {
            return Err(format!("found '{}' expected: '('", t.literal()));
        }
        match self.peek().as_value() {
            Tok::Ident(_) | Tok::Comma => {
                let lit = self.peek().literal();
                let s = self.identifiers()?;
                if self.next().as_value() != Tok::Close {
                    return Err(format!("found '{lit}', expected: ')'"));
                }
                Ok(s)
            }
            Tok::Close => {
                self.next();
                Ok(vec![String::new()])
            }
            t => Err(format!(
                "found '{}', expected: ',', ')' or identifier",
                t.literal()
            )),
        }
    }

    fn identifiers(&mut self) -> Result<Vec<String>, String> {
        let mut s: Vec<String> = Vec::new();
        loop {
            match self.next().as_value() {
                Tok::Ident(v) => {
                    s.push(v);
                    match self.peek().as_value() {
                        Tok::Comma => continue,
                        Tok::Close => return Ok(s),
                        t => return Err(format!("found '{}', expected: ',' or ')'", t.literal())),
                    }
                }
                Tok::Comma => {
                    if s.is_empty() {
                        s.push(String::new());
                    }
                    match self.peek().as_value() {
                        Tok::Close => {
                            s.push(String::new());
                            return Ok(s);
                        }
                        Tok::Comma => s.push(String::new()),
                        _ => {}
                    }
                }
                t => {
                    return Err(format!(
                        "found '{}', expected: ',', or identifier",
                        t.literal()
                    ))
                }
            }
        }
    }

    fn exact_value(&mut self) -> Result<Vec<String>, String> {
        match self.peek().as_value() {
            Tok::End | Tok::Comma => Ok(vec![String::new()]),
            _ => match self.next().as_value() {
                Tok::Ident(v) => Ok(vec![v]),
                t => Err(format!("found '{}', expected: identifier", t.literal())),
            },
        }
    }
}

/// A label key is `[prefix/]name`, name ≤ 63 chars of alphanumerics, `-`, `_`, `.`, starting and
/// ending alphanumeric (apimachinery `IsQualifiedName`).
fn validate_key(key: &str) -> Result<(), String> {
    let name = key.rsplit('/').next().unwrap_or(key);
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.');
    let ends_ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    if name.is_empty() || name.len() > 63 || !ok_chars || !ends_ok || key.matches('/').count() > 1 {
        return Err(format!(
            "Invalid value: \"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn m(sel: &str, l: &[(&str, &str)]) -> bool {
        LabelSelector::parse(sel)
            .unwrap_or_else(|e| panic!("{sel}: {e}"))
            .matches(&labels(l))
    }

    #[test]
    fn equality_operators_require_the_label() {
        assert!(m("app=web", &[("app", "web")]));
        assert!(m("app==web", &[("app", "web")]));
        assert!(!m("app=web", &[]));
        assert!(!m("app=web", &[("app", "db")]));
    }

    #[test]
    fn not_equals_and_notin_match_missing_labels() {
        assert!(m("app!=web", &[]));
        assert!(!m("app!=web", &[("app", "web")]));
        assert!(m("env notin (prod, staging)", &[("env", "dev")]));
        assert!(m("env notin (prod)", &[]));
        assert!(!m("env notin (prod,staging)", &[("env", "prod")]));
    }

    #[test]
    fn set_based_in_and_existence() {
        assert!(m("env in (prod,dev)", &[("env", "dev")]));
        assert!(!m("env in (prod)", &[]));
        assert!(m("tier", &[("tier", "x")]));
        assert!(!m("tier", &[]));
        assert!(m("!tier", &[]));
        assert!(!m("!tier", &[("tier", "")]));
    }

    #[test]
    fn comma_means_and() {
        assert!(m("app=web,tier=fe", &[("app", "web"), ("tier", "fe")]));
        assert!(!m("app=web,tier=fe", &[("app", "web")]));
        assert!(m("", &[("a", "b")]));
    }

    #[test]
    fn gt_lt_compare_integers() {
        assert!(m("gen>1", &[("gen", "2")]));
        assert!(!m("gen<1", &[("gen", "2")]));
    }

    #[test]
    fn parse_errors_use_apimachinery_wording() {
        assert_eq!(
            LabelSelector::parse("a in (x").unwrap_err(),
            "unable to parse requirement: found '', expected: ',' or ')'"
        );
        assert_eq!(
            LabelSelector::parse("=x").unwrap_err(),
            "found '=', expected: !, identifier, or 'end of string'"
        );
        assert_eq!(
            LabelSelector::parse("a=b c").unwrap_err(),
            "found 'c', expected: ',' or 'end of string'"
        );
    }
}
