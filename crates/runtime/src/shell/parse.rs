//! A POSIX-sh subset parser: enough for the scripts that pod manifests and tutorials run.
//! Errors use busybox ash's words (`sh: syntax error: unexpected "fi"`).

use std::sync::Arc;

use super::ast::{Cmd, Part, Redir, Simple, Word};
use super::compile;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(Word, String),
    Op(&'static str),
    Redir(RedirTok),
    Newline,
}

#[derive(Debug, Clone, PartialEq)]
enum RedirTok {
    Out { fd: u8, append: bool },
    In,
    Dup { fd: u8, to: u8 },
    Both { append: bool },
}

pub(crate) fn parse(src: &str) -> Result<Cmd, String> {
    let toks = Lexer {
        s: src.chars().collect(),
        i: 0,
    }
    .run()?;
    let mut p = Parser { toks, i: 0 };
    let cmd = p.list(&[])?;
    match p.peek() {
        None => Ok(cmd),
        Some(t) => Err(format!("syntax error: unexpected {}", describe(t))),
    }
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Word(_, raw) => format!("\"{raw}\""),
        Tok::Op(o) => format!("\"{o}\""),
        Tok::Redir(_) => "redirection".into(),
        Tok::Newline => "newline".into(),
    }
}

struct Lexer {
    s: Vec<char>,
    i: usize,
}

impl Lexer {
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }
    fn at(&self, k: usize) -> Option<char> {
        self.s.get(self.i + k).copied()
    }

    fn run(mut self) -> Result<Vec<Tok>, String> {
        let mut out = Vec::new();
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\r' => self.i += 1,
                '\\' if self.at(1) == Some('\n') => self.i += 2,
                '#' => {
                    while let Some(c) = self.peek() {
                        if c == '\n' {
                            break;
                        }
                        self.i += 1;
                    }
                }
                '\n' => {
                    self.i += 1;
                    out.push(Tok::Newline);
                }
                ';' => {
                    self.i += 1;
                    if self.peek() == Some(';') {
                        return Err("syntax error: unexpected \";;\"".into());
                    }
                    out.push(Tok::Op(";"));
                }
                '&' => {
                    if self.at(1) == Some('&') {
                        self.i += 2;
                        out.push(Tok::Op("&&"));
                    } else if self.at(1) == Some('>') {
                        self.i += 2;
                        let append = self.peek() == Some('>');
                        if append {
                            self.i += 1;
                        }
                        out.push(Tok::Redir(RedirTok::Both { append }));
                    } else {
                        self.i += 1;
                        out.push(Tok::Op("&"));
                    }
                }
                '|' => {
                    if self.at(1) == Some('|') {
                        self.i += 2;
                        out.push(Tok::Op("||"));
                    } else {
                        self.i += 1;
                        out.push(Tok::Op("|"));
                    }
                }
                '(' => {
                    self.i += 1;
                    out.push(Tok::Op("("));
                }
                ')' => {
                    self.i += 1;
                    out.push(Tok::Op(")"));
                }
                '>' | '<' => out.push(self.redir(1)?),
                d @ '0'..='9' if matches!(self.at(1), Some('>') | Some('<')) => {
                    self.i += 1;
                    out.push(self.redir(d as u8 - b'0')?);
                }
                _ => {
                    let start = self.i;
                    let w = self.word()?;
                    let raw: String = self.s[start..self.i].iter().collect();
                    out.push(Tok::Word(w, raw));
                }
            }
        }
        Ok(out)
    }

    fn redir(&mut self, fd: u8) -> Result<Tok, String> {
        let c = self.peek();
        self.i += 1;
        if c == Some('<') {
            return Ok(Tok::Redir(RedirTok::In));
        }
        let append = self.peek() == Some('>');
        if append {
            self.i += 1;
        }
        if self.peek() == Some('&') {
            if let Some(d @ '0'..='9') = self.at(1) {
                self.i += 2;
                return Ok(Tok::Redir(RedirTok::Dup {
                    fd,
                    to: d as u8 - b'0',
                }));
            }
        }
        Ok(Tok::Redir(RedirTok::Out { fd, append }))
    }

    fn word(&mut self) -> Result<Word, String> {
        let mut parts: Word = Vec::new();
        let mut lit = String::new();
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\n' | '\r' | ';' | '&' | '|' | '<' | '>' | '(' | ')' => break,
                '\\' => {
                    self.i += 1;
                    if let Some(n) = self.peek() {
                        self.i += 1;
                        flush(&mut parts, &mut lit, false);
                        parts.push(Part::Lit {
                            text: n.to_string(),
                            quoted: true,
                        });
                    }
                }
                '\'' => {
                    self.i += 1;
                    flush(&mut parts, &mut lit, false);
                    let mut q = String::new();
                    loop {
                        match self.peek() {
                            None => return Err("syntax error: unterminated quoted string".into()),
                            Some('\'') => {
                                self.i += 1;
                                break;
                            }
                            Some(ch) => {
                                q.push(ch);
                                self.i += 1;
                            }
                        }
                    }
                    parts.push(Part::Lit {
                        text: q,
                        quoted: true,
                    });
                }
                '"' => {
                    self.i += 1;
                    flush(&mut parts, &mut lit, false);
                    let mut q = String::new();
                    let mut any = false;
                    loop {
                        match self.peek() {
                            None => return Err("syntax error: unterminated quoted string".into()),
                            Some('"') => {
                                self.i += 1;
                                break;
                            }
                            Some('\\') => {
                                let n = self.at(1);
                                match n {
                                    Some(ch @ ('$' | '`' | '"' | '\\')) => {
                                        q.push(ch);
                                        self.i += 2;
                                    }
                                    Some('\n') => self.i += 2,
                                    _ => {
                                        q.push('\\');
                                        self.i += 1;
                                    }
                                }
                            }
                            Some('$') | Some('`') => {
                                if let Some(p) = self.dollar(true)? {
                                    if !q.is_empty() {
                                        parts.push(Part::Lit {
                                            text: std::mem::take(&mut q),
                                            quoted: true,
                                        });
                                    }
                                    parts.push(p);
                                    any = true;
                                } else {
                                    q.push('$');
                                }
                            }
                            Some(ch) => {
                                q.push(ch);
                                self.i += 1;
                            }
                        }
                    }
                    if !q.is_empty() || !any {
                        parts.push(Part::Lit {
                            text: q,
                            quoted: true,
                        });
                    }
                }
                '$' | '`' => {
                    if let Some(p) = self.dollar(false)? {
                        flush(&mut parts, &mut lit, false);
                        parts.push(p);
                    } else {
                        lit.push('$');
                    }
                }
                _ => {
                    lit.push(c);
                    self.i += 1;
                }
            }
        }
        flush(&mut parts, &mut lit, false);
        Ok(parts)
    }

    /// At `$` or a backtick. Returns None for a lone `$` (taken literally).
    fn dollar(&mut self, quoted: bool) -> Result<Option<Part>, String> {
        if self.peek() == Some('`') {
            self.i += 1;
            let mut inner = String::new();
            loop {
                match self.peek() {
                    None => return Err("syntax error: unterminated quoted string".into()),
                    Some('`') => {
                        self.i += 1;
                        break;
                    }
                    Some('\\') if matches!(self.at(1), Some('`') | Some('\\') | Some('$')) => {
                        inner.push(self.at(1).unwrap_or('\\'));
                        self.i += 2;
                    }
                    Some(c) => {
                        inner.push(c);
                        self.i += 1;
                    }
                }
            }
            return Ok(Some(Part::Sub {
                code: Arc::new(compile::compile(&parse(&inner)?)),
                quoted,
            }));
        }
        self.i += 1; // the '$'
        match self.peek() {
            Some('(') if self.at(1) == Some('(') => {
                self.i += 2;
                let start = self.i;
                let mut depth = 0i32;
                while let Some(c) = self.peek() {
                    if c == '(' {
                        depth += 1;
                    } else if c == ')' {
                        if depth == 0 && self.at(1) == Some(')') {
                            let expr: String = self.s[start..self.i].iter().collect();
                            self.i += 2;
                            return Ok(Some(Part::Arith { expr, quoted }));
                        }
                        depth -= 1;
                    }
                    self.i += 1;
                }
                Err("syntax error: unterminated arithmetic".into())
            }
            Some('(') => {
                self.i += 1;
                let start = self.i;
                let end = self.matching_paren()?;
                let inner: String = self.s[start..end].iter().collect();
                self.i = end + 1;
                Ok(Some(Part::Sub {
                    code: Arc::new(compile::compile(&parse(&inner)?)),
                    quoted,
                }))
            }
            Some('{') => {
                self.i += 1;
                let mut name = String::new();
                while let Some(c) = self.peek() {
                    if c.is_ascii_alphanumeric()
                        || c == '_'
                        || (name.is_empty() && "?$#@!*".contains(c))
                    {
                        name.push(c);
                        self.i += 1;
                    } else {
                        break;
                    }
                }
                let mut default = None;
                if self.peek() == Some(':') && self.at(1) == Some('-') || self.peek() == Some('-') {
                    self.i += if self.peek() == Some(':') { 2 } else { 1 };
                    let start = self.i;
                    let mut depth = 0;
                    while let Some(c) = self.peek() {
                        if c == '{' {
                            depth += 1;
                        }
                        if c == '}' {
                            if depth == 0 {
                                break;
                            }
                            depth -= 1;
                        }
                        self.i += 1;
                    }
                    let text: String = self.s[start..self.i].iter().collect();
                    let w = Lexer {
                        s: text.chars().collect(),
                        i: 0,
                    }
                    .word()?;
                    default = Some(w);
                }
                if self.peek() != Some('}') {
                    return Err("syntax error: bad substitution".into());
                }
                self.i += 1;
                Ok(Some(Part::Var {
                    name,
                    quoted,
                    default,
                }))
            }
            Some(c) if "?$#@!*0123456789".contains(c) => {
                self.i += 1;
                Ok(Some(Part::Var {
                    name: c.to_string(),
                    quoted,
                    default: None,
                }))
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let mut name = String::new();
                while let Some(c) = self.peek() {
                    if c.is_ascii_alphanumeric() || c == '_' {
                        name.push(c);
                        self.i += 1;
                    } else {
                        break;
                    }
                }
                Ok(Some(Part::Var {
                    name,
                    quoted,
                    default: None,
                }))
            }
            _ => Ok(None),
        }
    }

    /// Index of the `)` that closes a `$(` whose content starts at `self.i`.
    fn matching_paren(&self) -> Result<usize, String> {
        let mut depth = 0i32;
        let mut j = self.i;
        let mut quote: Option<char> = None;
        while let Some(&c) = self.s.get(j) {
            match quote {
                Some(q) => {
                    if c == q {
                        quote = None;
                    } else if c == '\\' && q == '"' {
                        j += 1;
                    }
                }
                None => match c {
                    '\'' | '"' => quote = Some(c),
                    '\\' => j += 1,
                    '(' => depth += 1,
                    ')' => {
                        if depth == 0 {
                            return Ok(j);
                        }
                        depth -= 1;
                    }
                    _ => {}
                },
            }
            j += 1;
        }
        Err("syntax error: unterminated quoted string".into())
    }
}

fn flush(parts: &mut Word, lit: &mut String, quoted: bool) {
    if !lit.is_empty() {
        parts.push(Part::Lit {
            text: std::mem::take(lit),
            quoted,
        });
    }
}

struct Parser {
    toks: Vec<Tok>,
    i: usize,
}

const RESERVED_END: &[&str] = &["then", "elif", "else", "fi", "do", "done", "}"];

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i)
    }

    fn reserved(&self) -> Option<&str> {
        match self.peek() {
            Some(Tok::Word(w, raw))
                if w.len() == 1 && matches!(&w[0], Part::Lit { quoted: false, .. }) =>
            {
                Some(raw.as_str())
            }
            _ => None,
        }
    }

    fn skip_newlines(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline) | Some(Tok::Op(";"))) {
            self.i += 1;
        }
    }

    fn expect_word(&mut self, w: &str) -> Result<(), String> {
        self.skip_newlines();
        if self.reserved() == Some(w) {
            self.i += 1;
            Ok(())
        } else {
            match self.peek() {
                Some(t) => Err(format!("syntax error: unexpected {}", describe(t))),
                None => Err(format!(
                    "syntax error: unexpected end of file (expecting \"{w}\")"
                )),
            }
        }
    }

    fn at_end(&self, stops: &[&str]) -> bool {
        match self.peek() {
            None => true,
            Some(Tok::Op(")")) => true,
            _ => self
                .reserved()
                .is_some_and(|r| RESERVED_END.contains(&r) || stops.contains(&r)),
        }
    }

    fn list(&mut self, stops: &[&str]) -> Result<Cmd, String> {
        let mut cmds = Vec::new();
        loop {
            self.skip_newlines();
            if self.at_end(stops) {
                break;
            }
            let c = self.and_or()?;
            if matches!(self.peek(), Some(Tok::Op("&"))) {
                self.i += 1;
                cmds.push(Cmd::Background(Box::new(c)));
            } else {
                cmds.push(c);
            }
            match self.peek() {
                Some(Tok::Op(";")) | Some(Tok::Newline) => self.i += 1,
                _ => {}
            }
        }
        Ok(if cmds.len() == 1 {
            cmds.remove(0)
        } else {
            Cmd::Seq(cmds)
        })
    }

    fn and_or(&mut self) -> Result<Cmd, String> {
        let mut left = self.pipeline()?;
        loop {
            match self.peek() {
                Some(Tok::Op("&&")) => {
                    self.i += 1;
                    while matches!(self.peek(), Some(Tok::Newline)) {
                        self.i += 1;
                    }
                    left = Cmd::And(Box::new(left), Box::new(self.pipeline()?));
                }
                Some(Tok::Op("||")) => {
                    self.i += 1;
                    while matches!(self.peek(), Some(Tok::Newline)) {
                        self.i += 1;
                    }
                    left = Cmd::Or(Box::new(left), Box::new(self.pipeline()?));
                }
                _ => return Ok(left),
            }
        }
    }

    fn pipeline(&mut self) -> Result<Cmd, String> {
        let negate = self.reserved() == Some("!");
        if negate {
            self.i += 1;
        }
        let first = self.command()?;
        let mut stages = vec![first];
        while matches!(self.peek(), Some(Tok::Op("|"))) {
            self.i += 1;
            while matches!(self.peek(), Some(Tok::Newline)) {
                self.i += 1;
            }
            stages.push(self.command()?);
        }
        let cmd = if stages.len() == 1 {
            stages.remove(0)
        } else {
            let mut simples = Vec::new();
            for s in stages {
                match s {
                    Cmd::Simple(s) => simples.push(s),
                    _ => {
                        return Err(
                            "syntax error: only simple commands are supported in a pipeline".into(),
                        )
                    }
                }
            }
            Cmd::Pipeline(simples)
        };
        Ok(if negate { Cmd::Not(Box::new(cmd)) } else { cmd })
    }

    fn command(&mut self) -> Result<Cmd, String> {
        match self.reserved() {
            Some("if") => {
                self.i += 1;
                let mut branches = Vec::new();
                let cond = self.list(&[])?;
                self.expect_word("then")?;
                let body = self.list(&[])?;
                branches.push((cond, body));
                let mut otherwise = None;
                loop {
                    self.skip_newlines();
                    match self.reserved() {
                        Some("elif") => {
                            self.i += 1;
                            let c = self.list(&[])?;
                            self.expect_word("then")?;
                            let b = self.list(&[])?;
                            branches.push((c, b));
                        }
                        Some("else") => {
                            self.i += 1;
                            otherwise = Some(Box::new(self.list(&[])?));
                        }
                        _ => break,
                    }
                }
                self.expect_word("fi")?;
                let redirs = self.redirs()?;
                Ok(wrap(
                    Cmd::If {
                        branches,
                        otherwise,
                    },
                    redirs,
                ))
            }
            Some(kw @ ("while" | "until")) => {
                let until = kw == "until";
                self.i += 1;
                let cond = self.list(&[])?;
                self.expect_word("do")?;
                let body = self.list(&[])?;
                self.expect_word("done")?;
                let redirs = self.redirs()?;
                Ok(wrap(
                    Cmd::Loop {
                        cond: Box::new(cond),
                        body: Box::new(body),
                        until,
                    },
                    redirs,
                ))
            }
            Some("for") => {
                self.i += 1;
                let var = match self.peek() {
                    Some(Tok::Word(_, raw)) => raw.clone(),
                    _ => return Err("syntax error: bad for loop variable".into()),
                };
                self.i += 1;
                while matches!(self.peek(), Some(Tok::Newline)) {
                    self.i += 1;
                }
                let mut items = None;
                if self.reserved() == Some("in") {
                    self.i += 1;
                    let mut ws = Vec::new();
                    while let Some(Tok::Word(w, _)) = self.peek() {
                        ws.push(w.clone());
                        self.i += 1;
                    }
                    items = Some(ws);
                }
                self.expect_word("do")?;
                let body = self.list(&[])?;
                self.expect_word("done")?;
                let redirs = self.redirs()?;
                Ok(wrap(
                    Cmd::For {
                        var,
                        items,
                        body: Box::new(body),
                    },
                    redirs,
                ))
            }
            Some("{") => {
                self.i += 1;
                let body = self.list(&[])?;
                self.expect_word("}")?;
                let redirs = self.redirs()?;
                Ok(Cmd::Group {
                    body: Box::new(body),
                    redirs,
                })
            }
            Some(w) if RESERVED_END.contains(&w) => {
                Err(format!("syntax error: unexpected \"{w}\""))
            }
            _ => {
                if matches!(self.peek(), Some(Tok::Op("("))) {
                    self.i += 1;
                    let body = self.list(&[])?;
                    match self.peek() {
                        Some(Tok::Op(")")) => self.i += 1,
                        _ => {
                            return Err(
                                "syntax error: unexpected end of file (expecting \")\")".into()
                            )
                        }
                    }
                    let redirs = self.redirs()?;
                    return Ok(Cmd::Group {
                        body: Box::new(body),
                        redirs,
                    });
                }
                self.simple()
            }
        }
    }

    fn redirs(&mut self) -> Result<Vec<Redir>, String> {
        let mut out = Vec::new();
        while let Some(Tok::Redir(r)) = self.peek().cloned() {
            self.i += 1;
            out.push(self.redir_target(r)?);
        }
        Ok(out)
    }

    fn redir_target(&mut self, r: RedirTok) -> Result<Redir, String> {
        if let RedirTok::Dup { fd, to } = r {
            return Ok(Redir::Dup { fd, to });
        }
        let target = match self.peek() {
            Some(Tok::Word(w, _)) => w.clone(),
            Some(t) => return Err(format!("syntax error: unexpected {}", describe(t))),
            None => return Err("syntax error: unexpected newline".into()),
        };
        self.i += 1;
        Ok(match r {
            RedirTok::Out { fd, append } => Redir::Out { fd, target, append },
            RedirTok::In => Redir::In { source: target },
            RedirTok::Both { append } => Redir::Both { target, append },
            RedirTok::Dup { .. } => unreachable_dup(),
        })
    }

    fn simple(&mut self) -> Result<Cmd, String> {
        let mut s = Simple {
            assigns: Vec::new(),
            words: Vec::new(),
            redirs: Vec::new(),
        };
        loop {
            match self.peek().cloned() {
                Some(Tok::Word(w, raw)) => {
                    self.i += 1;
                    if s.words.is_empty() {
                        if let Some((name, value)) = assignment(&w, &raw) {
                            s.assigns.push((name, value));
                            continue;
                        }
                        if raw == "break" && s.assigns.is_empty() {
                            return Ok(Cmd::Break);
                        }
                        if raw == "continue" && s.assigns.is_empty() {
                            return Ok(Cmd::Continue);
                        }
                    }
                    s.words.push(w);
                }
                Some(Tok::Redir(r)) => {
                    self.i += 1;
                    let r = self.redir_target(r)?;
                    s.redirs.push(r);
                }
                _ => break,
            }
        }
        if s.words.is_empty() && s.assigns.is_empty() && s.redirs.is_empty() {
            return match self.peek() {
                Some(t) => Err(format!("syntax error: unexpected {}", describe(t))),
                None => Err("syntax error: unexpected end of file".into()),
            };
        }
        Ok(Cmd::Simple(s))
    }
}

/// `Dup` returns early in `redir_target`; this keeps the match total without a panic path.
fn unreachable_dup() -> Redir {
    Redir::Dup { fd: 1, to: 1 }
}

fn wrap(cmd: Cmd, redirs: Vec<Redir>) -> Cmd {
    if redirs.is_empty() {
        cmd
    } else {
        Cmd::Group {
            body: Box::new(cmd),
            redirs,
        }
    }
}

/// `NAME=value` as the first words of a command.
fn assignment(w: &Word, raw: &str) -> Option<(String, Word)> {
    let eq = raw.find('=')?;
    let name = &raw[..eq];
    if name.is_empty()
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        || name.starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    // The name sits in the first unquoted literal part; split the value off it.
    let mut value: Word = Vec::new();
    let mut found = false;
    for p in w {
        if !found {
            if let Part::Lit {
                text,
                quoted: false,
            } = p
            {
                if let Some(i) = text.find('=') {
                    found = true;
                    let rest = &text[i + 1..];
                    if !rest.is_empty() {
                        value.push(Part::Lit {
                            text: rest.to_string(),
                            quoted: false,
                        });
                    }
                    continue;
                }
            }
            return None;
        }
        value.push(p.clone());
    }
    if found {
        Some((name.to_string(), value))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_docs_liveness_script() {
        let c = parse("touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600").unwrap();
        assert!(matches!(c, Cmd::Seq(ref v) if v.len() == 4));
    }

    #[test]
    fn parses_until_loops_with_command_substitution() {
        let c = parse("until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done");
        assert!(matches!(c, Ok(Cmd::Loop { until: true, .. })));
    }

    #[test]
    fn syntax_errors_use_ash_words() {
        assert_eq!(
            parse("echo hi; fi"),
            Err("syntax error: unexpected \"fi\"".to_string())
        );
        assert_eq!(
            parse("echo 'oops"),
            Err("syntax error: unterminated quoted string".to_string())
        );
    }
}
