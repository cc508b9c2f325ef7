//! `$(( ... ))`: integer arithmetic with + - * / % and comparisons, as ash evaluates it.

use std::collections::BTreeMap;

pub(crate) fn eval(expr: &str, vars: &BTreeMap<String, String>) -> Result<i64, String> {
    let toks = lex(expr)?;
    let mut p = P {
        t: toks,
        i: 0,
        vars,
    };
    let v = p.cmp()?;
    if p.i < p.t.len() {
        return Err(format!("arithmetic syntax error: \"{expr}\""));
    }
    Ok(v)
}

#[derive(Debug, Clone, PartialEq)]
enum T {
    Num(i64),
    Name(String),
    Op(String),
}

fn lex(s: &str) -> Result<Vec<T>, String> {
    let c: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < c.len() {
        let ch = c[i];
        if ch.is_whitespace() {
            i += 1;
        } else if ch.is_ascii_digit() {
            let mut n = String::new();
            while i < c.len() && c[i].is_ascii_digit() {
                n.push(c[i]);
                i += 1;
            }
            out.push(T::Num(
                n.parse().map_err(|_| "arithmetic overflow".to_string())?,
            ));
        } else if ch.is_ascii_alphabetic() || ch == '_' || ch == '$' {
            let mut n = String::new();
            if ch == '$' {
                i += 1;
            }
            while i < c.len() && (c[i].is_ascii_alphanumeric() || c[i] == '_') {
                n.push(c[i]);
                i += 1;
            }
            out.push(T::Name(n));
        } else {
            let two: String = c[i..(i + 2).min(c.len())].iter().collect();
            if ["<=", ">=", "==", "!="].contains(&two.as_str()) {
                out.push(T::Op(two));
                i += 2;
            } else if "+-*/%()<>".contains(ch) {
                out.push(T::Op(ch.to_string()));
                i += 1;
            } else {
                return Err(format!("arithmetic syntax error: \"{s}\""));
            }
        }
    }
    Ok(out)
}

struct P<'a> {
    t: Vec<T>,
    i: usize,
    vars: &'a BTreeMap<String, String>,
}

impl P<'_> {
    fn op(&self) -> Option<&str> {
        match self.t.get(self.i) {
            Some(T::Op(o)) => Some(o.as_str()),
            _ => None,
        }
    }
    fn cmp(&mut self) -> Result<i64, String> {
        let l = self.add()?;
        if let Some(o) = self.op().map(str::to_string) {
            if ["<", ">", "<=", ">=", "==", "!="].contains(&o.as_str()) {
                self.i += 1;
                let r = self.add()?;
                let b = match o.as_str() {
                    "<" => l < r,
                    ">" => l > r,
                    "<=" => l <= r,
                    ">=" => l >= r,
                    "==" => l == r,
                    _ => l != r,
                };
                return Ok(b as i64);
            }
        }
        Ok(l)
    }
    fn add(&mut self) -> Result<i64, String> {
        let mut l = self.mul()?;
        while let Some(o) = self
            .op()
            .filter(|o| *o == "+" || *o == "-")
            .map(str::to_string)
        {
            self.i += 1;
            let r = self.mul()?;
            l = if o == "+" {
                l.wrapping_add(r)
            } else {
                l.wrapping_sub(r)
            };
        }
        Ok(l)
    }
    fn mul(&mut self) -> Result<i64, String> {
        let mut l = self.unary()?;
        while let Some(o) = self
            .op()
            .filter(|o| ["*", "/", "%"].contains(o))
            .map(str::to_string)
        {
            self.i += 1;
            let r = self.unary()?;
            l = match o.as_str() {
                "*" => l.wrapping_mul(r),
                _ if r == 0 => return Err("divide by zero".into()),
                "/" => l.wrapping_div(r),
                _ => l.wrapping_rem(r),
            };
        }
        Ok(l)
    }
    fn unary(&mut self) -> Result<i64, String> {
        if self.op() == Some("-") {
            self.i += 1;
            return Ok(self.unary()?.wrapping_neg());
        }
        if self.op() == Some("(") {
            self.i += 1;
            let v = self.cmp()?;
            if self.op() != Some(")") {
                return Err("arithmetic syntax error".into());
            }
            self.i += 1;
            return Ok(v);
        }
        match self.t.get(self.i).cloned() {
            Some(T::Num(n)) => {
                self.i += 1;
                Ok(n)
            }
            Some(T::Name(n)) => {
                self.i += 1;
                Ok(self
                    .vars
                    .get(&n)
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0))
            }
            _ => Err("arithmetic syntax error".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_counts_loop_variables() {
        let mut v = BTreeMap::new();
        v.insert("i".to_string(), "4".to_string());
        assert_eq!(eval("i+1", &v), Ok(5));
        assert_eq!(eval("$i * (2 + 1) % 5", &v), Ok(2));
        assert_eq!(eval("i < 5", &v), Ok(1));
    }
}
