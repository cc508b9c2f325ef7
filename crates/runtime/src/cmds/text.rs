//! Text applets: echo, printf, sed, grep, wc, head, tail, sort, tr, cut, seq, expr.

use super::{CmdOut, Ctx};
use crate::process::Sys;

/// Read the named files, or stdin when there are none. Errors as busybox prints them.
fn inputs(
    name: &str,
    files: &[String],
    sys: &mut Sys,
    ctx: &Ctx,
) -> (Vec<(String, String)>, String, i32) {
    if files.is_empty() {
        return (vec![("-".into(), ctx.stdin.clone())], String::new(), 0);
    }
    let mut out = Vec::new();
    let mut err = String::new();
    let mut status = 0;
    for f in files {
        match sys.files().read(&ctx.abs(f)) {
            Ok(d) => out.push((f.clone(), d)),
            Err(e) => {
                status = if name == "grep" { 2 } else { 1 };
                err.push_str(&format!("{name}: {f}: {}\n", e.strerror()));
            }
        }
    }
    (out, err, status)
}

fn unescape(s: &str) -> (String, bool) {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('e') => out.push('\u{1b}'),
            Some('c') => return (out, true),
            Some('0') => {
                let mut n = 0u32;
                for _ in 0..3 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            n = n * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                if let Some(ch) = char::from_u32(n) {
                    out.push(ch);
                }
            }
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    (out, false)
}

pub(super) fn echo(args: &[String]) -> CmdOut {
    let mut newline = true;
    let mut escapes = false;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| matches!(c, 'n' | 'e' | 'E'))
        {
            if a.contains('n') {
                newline = false;
            }
            if a.contains('e') {
                escapes = true;
            }
            i += 1;
        } else {
            break;
        }
    }
    let mut s = args[i..].join(" ");
    if escapes {
        let (u, stop) = unescape(&s);
        s = u;
        if stop {
            newline = false;
        }
    }
    if newline {
        s.push('\n');
    }
    CmdOut::ok(s)
}

pub(super) fn printf(args: &[String]) -> CmdOut {
    let Some(fmt) = args.first() else {
        return CmdOut::fail(1, "printf: usage: printf FORMAT [ARGUMENT...]\n".into());
    };
    let (fmt, _) = unescape(fmt);
    let mut rest = args[1..].iter();
    let mut out = String::new();
    // The format is reused while arguments remain, as printf(1) does.
    loop {
        let mut consumed = false;
        let mut chars = fmt.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            let mut spec = String::new();
            while let Some(&n) = chars.peek() {
                if n.is_ascii_digit() || n == '-' || n == '.' {
                    spec.push(n);
                    chars.next();
                } else {
                    break;
                }
            }
            let conv = chars.next();
            let width: usize = spec
                .trim_start_matches('-')
                .split('.')
                .next()
                .and_then(|w| w.parse().ok())
                .unwrap_or(0);
            let left = spec.starts_with('-');
            let val = match conv {
                Some('%') => "%".to_string(),
                Some('s') | Some('b') => {
                    consumed = true;
                    let v = rest.next().cloned().unwrap_or_default();
                    if conv == Some('b') {
                        unescape(&v).0
                    } else {
                        v
                    }
                }
                Some('d') | Some('i') | Some('u') => {
                    consumed = true;
                    rest.next()
                        .and_then(|v| v.trim().parse::<i64>().ok())
                        .unwrap_or(0)
                        .to_string()
                }
                Some('x') => {
                    consumed = true;
                    format!(
                        "{:x}",
                        rest.next()
                            .and_then(|v| v.trim().parse::<i64>().ok())
                            .unwrap_or(0)
                    )
                }
                Some('c') => {
                    consumed = true;
                    rest.next()
                        .and_then(|v| v.chars().next())
                        .map(String::from)
                        .unwrap_or_default()
                }
                Some(o) => format!("%{spec}{o}"),
                None => "%".to_string(),
            };
            if val.len() < width {
                let pad = " ".repeat(width - val.len());
                if left {
                    out.push_str(&val);
                    out.push_str(&pad);
                } else {
                    out.push_str(&pad);
                    out.push_str(&val);
                }
            } else {
                out.push_str(&val);
            }
        }
        if !consumed || rest.len() == 0 {
            break;
        }
    }
    CmdOut::ok(out)
}

/// One sed command: `s/re/rep/flags`, `p`, `d`, with an optional line address.
#[derive(Debug)]
struct SedCmd {
    addr: Option<usize>,
    pattern_addr: Option<String>,
    op: SedOp,
}

#[derive(Debug)]
enum SedOp {
    Subst {
        from: String,
        to: String,
        global: bool,
        print: bool,
    },
    Print,
    Delete,
}

fn parse_sed(script: &str) -> Option<Vec<SedCmd>> {
    let c: Vec<char> = script.chars().collect();
    let mut i = 0;
    let mut cmds = Vec::new();
    while i < c.len() {
        while i < c.len() && (c[i].is_whitespace() || c[i] == ';') {
            i += 1;
        }
        if i >= c.len() {
            break;
        }
        let mut addr = None;
        let mut pattern_addr = None;
        let mut digits = String::new();
        while i < c.len() && c[i].is_ascii_digit() {
            digits.push(c[i]);
            i += 1;
        }
        if !digits.is_empty() {
            addr = digits.parse().ok();
        } else if c[i] == '/' {
            i += 1;
            let mut p = String::new();
            while i < c.len() && c[i] != '/' {
                p.push(c[i]);
                i += 1;
            }
            i += 1;
            pattern_addr = Some(p);
        }
        let op = match c.get(i) {
            Some('s') => {
                i += 1;
                let delim = *c.get(i)?;
                i += 1;
                let mut parts = [String::new(), String::new()];
                for part in parts.iter_mut() {
                    while i < c.len() && c[i] != delim {
                        if c[i] == '\\' && c.get(i + 1) == Some(&delim) {
                            part.push(delim);
                            i += 2;
                            continue;
                        }
                        part.push(c[i]);
                        i += 1;
                    }
                    if i >= c.len() {
                        return None;
                    }
                    i += 1;
                }
                let mut flags = String::new();
                while i < c.len() && c[i] != ';' && !c[i].is_whitespace() {
                    flags.push(c[i]);
                    i += 1;
                }
                SedOp::Subst {
                    from: parts[0].clone(),
                    to: parts[1].clone(),
                    global: flags.contains('g'),
                    print: flags.contains('p'),
                }
            }
            Some('p') => {
                i += 1;
                SedOp::Print
            }
            Some('d') => {
                i += 1;
                SedOp::Delete
            }
            _ => return None,
        };
        cmds.push(SedCmd {
            addr,
            pattern_addr,
            op,
        });
    }
    Some(cmds)
}

/// Literal matching with `^`/`$` anchors and `.` as any character; enough for tutorial seds.
fn find_match(line: &str, pat: &str, from: usize) -> Option<(usize, usize)> {
    let anchored_start = pat.starts_with('^');
    let anchored_end = pat.ends_with('$') && !pat.ends_with("\\$");
    let core = pat.trim_start_matches('^');
    let core = if anchored_end {
        &core[..core.len() - 1]
    } else {
        core
    };
    let core = core.replace("\\.", "\u{0}").replace("\\/", "/");
    let pc: Vec<char> = core.chars().collect();
    let lc: Vec<(usize, char)> = line.char_indices().collect();
    let starts: Vec<usize> = if anchored_start {
        vec![0]
    } else {
        (0..=lc.len()).collect()
    };
    for si in starts {
        let byte_start = lc.get(si).map(|(b, _)| *b).unwrap_or(line.len());
        if byte_start < from {
            continue;
        }
        if si + pc.len() > lc.len() {
            break;
        }
        let ok = pc.iter().enumerate().all(|(k, p)| match p {
            '.' => true,
            '\u{0}' => lc[si + k].1 == '.',
            c => lc[si + k].1 == *c,
        });
        if ok {
            let end_idx = si + pc.len();
            let byte_end = lc.get(end_idx).map(|(b, _)| *b).unwrap_or(line.len());
            if anchored_end && byte_end != line.len() {
                continue;
            }
            return Some((byte_start, byte_end));
        }
    }
    None
}

fn substitute(line: &str, from: &str, to: &str, global: bool) -> (String, bool) {
    let mut out = String::new();
    let mut pos = 0;
    let mut changed = false;
    while let Some((s, e)) = find_match(line, from, pos) {
        out.push_str(&line[pos..s]);
        out.push_str(&to.replace('&', &line[s..e]).replace("\\/", "/"));
        changed = true;
        // An empty match advances by one whole character (never into the middle of one).
        pos = e;
        if e == s {
            match line[s..].chars().next() {
                Some(c) => {
                    out.push(c);
                    pos = e + c.len_utf8();
                }
                None => pos = line.len() + 1,
            }
        }
        if !global || pos > line.len() {
            break;
        }
    }
    if pos <= line.len() {
        out.push_str(&line[pos..]);
    }
    (out, changed)
}

pub(super) fn sed(args: &[String], sys: &mut Sys, ctx: &Ctx) -> CmdOut {
    let mut in_place = false;
    let mut quiet = false;
    let mut script: Option<String> = None;
    let mut files = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        match a.as_str() {
            "-i" => in_place = true,
            "-n" => quiet = true,
            "-e" => {
                script = args.get(i + 1).cloned();
                i += 1;
            }
            "-E" | "-r" => {}
            s if s.starts_with("-i") => in_place = true,
            s if script.is_none() => script = Some(s.to_string()),
            s => files.push(s.to_string()),
        }
        i += 1;
    }
    let Some(script) = script else {
        return CmdOut::fail(1, "sed: no script specified\n".into());
    };
    let Some(cmds) = parse_sed(&script) else {
        return CmdOut::fail(1, format!("sed: unsupported command {script}\n"));
    };
    let (ins, err, status) = inputs("sed", &files, sys, ctx);
    let mut out = CmdOut {
        status,
        out: String::new(),
        err,
        then: super::Then::Done,
    };
    for (name, data) in ins {
        let mut result = String::new();
        for (n, line) in data.split_inclusive('\n').enumerate() {
            let (body, nl) = match line.strip_suffix('\n') {
                Some(b) => (b.to_string(), "\n"),
                None => (line.to_string(), ""),
            };
            let mut cur = body;
            let mut deleted = false;
            let mut printed = String::new();
            for c in &cmds {
                let hit = match (&c.addr, &c.pattern_addr) {
                    (Some(a), _) => *a == n + 1,
                    (None, Some(p)) => find_match(&cur, p, 0).is_some(),
                    _ => true,
                };
                if !hit {
                    continue;
                }
                match &c.op {
                    SedOp::Subst {
                        from,
                        to,
                        global,
                        print,
                    } => {
                        let (r, changed) = substitute(&cur, from, to, *global);
                        cur = r;
                        if changed && *print {
                            printed.push_str(&cur);
                            printed.push('\n');
                        }
                    }
                    SedOp::Print => {
                        printed.push_str(&cur);
                        printed.push('\n');
                    }
                    SedOp::Delete => {
                        deleted = true;
                        break;
                    }
                }
            }
            result.push_str(&printed);
            if !deleted && !quiet {
                result.push_str(&cur);
                result.push_str(nl);
            }
        }
        if in_place && name != "-" {
            if let Err(e) = sys.files().write(&ctx.abs(&name), &result, false) {
                out.status = 1;
                out.err
                    .push_str(&format!("sed: can't create {name}: {}\n", e.strerror()));
            }
        } else {
            out.out.push_str(&result);
        }
    }
    out
}

pub(super) fn grep(args: &[String], sys: &mut Sys, ctx: &Ctx) -> CmdOut {
    let mut quiet = false;
    let mut invert = false;
    let mut icase = false;
    let mut count = false;
    let mut pattern: Option<String> = None;
    let mut files = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if a == "-e" {
            pattern = args.get(i + 1).cloned();
            i += 2;
            continue;
        }
        if a.starts_with('-') && a.len() > 1 {
            quiet |= a.contains('q');
            invert |= a.contains('v');
            icase |= a.contains('i');
            count |= a.contains('c');
        } else if pattern.is_none() {
            pattern = Some(a.clone());
        } else {
            files.push(a.clone());
        }
        i += 1;
    }
    let Some(pat) = pattern else {
        return CmdOut::fail(2, "grep: no pattern\n".into());
    };
    let (ins, err, status) = inputs("grep", &files, sys, ctx);
    let multi = files.len() > 1;
    let mut out = String::new();
    let mut hits = 0;
    for (name, data) in &ins {
        let mut n = 0;
        for line in data.lines() {
            let m = if icase {
                find_match(&line.to_lowercase(), &pat.to_lowercase(), 0).is_some()
            } else {
                find_match(line, &pat, 0).is_some()
            };
            if m != invert {
                n += 1;
                if !count {
                    if multi {
                        out.push_str(&format!("{name}:"));
                    }
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
        if count {
            out.push_str(&format!("{n}\n"));
        }
        hits += n;
    }
    let st = if status != 0 && hits == 0 {
        status
    } else if hits > 0 {
        0
    } else {
        1
    };
    CmdOut {
        status: st,
        out: if quiet { String::new() } else { out },
        err,
        then: super::Then::Done,
    }
}

pub(super) fn wc(args: &[String], sys: &mut Sys, ctx: &Ctx) -> CmdOut {
    let flags: String = args
        .iter()
        .filter(|a| a.starts_with('-'))
        .map(|a| a[1..].to_string())
        .collect();
    let files: Vec<String> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .cloned()
        .collect();
    let (ins, err, status) = inputs("wc", &files, sys, ctx);
    let mut out = String::new();
    for (name, d) in ins {
        let l = d.matches('\n').count();
        let w = d.split_whitespace().count();
        let c = d.len();
        let mut cols = Vec::new();
        if flags.is_empty() || flags.contains('l') {
            cols.push(l);
        }
        if flags.is_empty() || flags.contains('w') {
            cols.push(w);
        }
        if flags.is_empty() || flags.contains('c') {
            cols.push(c);
        }
        let nums: Vec<String> = cols
            .iter()
            .map(|n| {
                if cols.len() == 1 {
                    n.to_string()
                } else {
                    format!("{n:>9}")
                }
            })
            .collect();
        out.push_str(&nums.join(" "));
        if name != "-" {
            out.push(' ');
            out.push_str(&name);
        }
        out.push('\n');
    }
    CmdOut {
        status,
        out,
        err,
        then: super::Then::Done,
    }
}

pub(super) fn head_tail(args: &[String], sys: &mut Sys, ctx: &Ctx, head: bool) -> CmdOut {
    let mut n: usize = 10;
    let mut files = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if a == "-n" {
            n = args
                .get(i + 1)
                .and_then(|v| v.trim_start_matches('+').parse().ok())
                .unwrap_or(10);
            i += 1;
        } else if let Some(num) = a.strip_prefix("-n") {
            n = num.parse().unwrap_or(10);
        } else if a.starts_with('-') && a[1..].chars().all(|c| c.is_ascii_digit()) && a.len() > 1 {
            n = a[1..].parse().unwrap_or(10);
        } else if a == "-f" || a == "-F" {
        } else {
            files.push(a.clone());
        }
        i += 1;
    }
    let (ins, err, status) = inputs(if head { "head" } else { "tail" }, &files, sys, ctx);
    let mut out = String::new();
    for (_, d) in ins {
        let lines: Vec<&str> = d.split_inclusive('\n').collect();
        let pick: &[&str] = if head {
            &lines[..n.min(lines.len())]
        } else {
            &lines[lines.len().saturating_sub(n)..]
        };
        for l in pick {
            out.push_str(l);
        }
    }
    CmdOut {
        status,
        out,
        err,
        then: super::Then::Done,
    }
}

pub(super) fn sort(args: &[String], sys: &mut Sys, ctx: &Ctx) -> CmdOut {
    let reverse = args.iter().any(|a| a.starts_with('-') && a.contains('r'));
    let numeric = args.iter().any(|a| a.starts_with('-') && a.contains('n'));
    let files: Vec<String> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .cloned()
        .collect();
    let (ins, err, status) = inputs("sort", &files, sys, ctx);
    let mut lines: Vec<String> = ins
        .iter()
        .flat_map(|(_, d)| d.lines().map(str::to_string))
        .collect();
    if numeric {
        lines.sort_by_key(|l| l.trim().parse::<i64>().unwrap_or(0));
    } else {
        lines.sort();
    }
    if reverse {
        lines.reverse();
    }
    let out: String = lines.into_iter().map(|l| l + "\n").collect();
    CmdOut {
        status,
        out,
        err,
        then: super::Then::Done,
    }
}

pub(super) fn tr(args: &[String], ctx: &Ctx) -> CmdOut {
    let delete = args.first().is_some_and(|a| a == "-d");
    let sets: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let expand = |s: &str| -> Vec<char> {
        let c: Vec<char> = s.chars().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < c.len() {
            if i + 2 < c.len() && c[i + 1] == '-' {
                let (a, b) = (c[i] as u32, c[i + 2] as u32);
                for x in a..=b {
                    if let Some(ch) = char::from_u32(x) {
                        out.push(ch);
                    }
                }
                i += 3;
            } else {
                out.push(c[i]);
                i += 1;
            }
        }
        out
    };
    let from = sets.first().map(|s| expand(s)).unwrap_or_default();
    let to = sets.get(1).map(|s| expand(s)).unwrap_or_default();
    let out: String = ctx
        .stdin
        .chars()
        .filter_map(|c| match from.iter().position(|f| *f == c) {
            Some(_) if delete => None,
            Some(i) => Some(to.get(i).or(to.last()).copied().unwrap_or(c)),
            None => Some(c),
        })
        .collect();
    CmdOut::ok(out)
}

pub(super) fn cut(args: &[String], sys: &mut Sys, ctx: &Ctx) -> CmdOut {
    let mut delim = '\t';
    let mut field: usize = 1;
    let mut files = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if a == "-d" {
            delim = args
                .get(i + 1)
                .and_then(|d| d.chars().next())
                .unwrap_or('\t');
            i += 1;
        } else if let Some(d) = a.strip_prefix("-d") {
            delim = d.chars().next().unwrap_or('\t');
        } else if a == "-f" {
            field = args.get(i + 1).and_then(|f| f.parse().ok()).unwrap_or(1);
            i += 1;
        } else if let Some(f) = a.strip_prefix("-f") {
            field = f.parse().unwrap_or(1);
        } else {
            files.push(a.clone());
        }
        i += 1;
    }
    let (ins, err, status) = inputs("cut", &files, sys, ctx);
    let mut out = String::new();
    for (_, d) in ins {
        for line in d.lines() {
            out.push_str(line.split(delim).nth(field.saturating_sub(1)).unwrap_or(""));
            out.push('\n');
        }
    }
    CmdOut {
        status,
        out,
        err,
        then: super::Then::Done,
    }
}

pub(super) fn seq(args: &[String]) -> CmdOut {
    let nums: Vec<i64> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let (a, step, b) = match nums.as_slice() {
        [b] => (1, 1, *b),
        [a, b] => (*a, 1, *b),
        [a, s, b] => (*a, *s, *b),
        _ => return CmdOut::fail(1, "seq: missing operand\n".into()),
    };
    if step == 0 {
        return CmdOut::status(1);
    }
    let mut out = String::new();
    let mut x = a;
    let mut guard = 0;
    while (step > 0 && x <= b || step < 0 && x >= b) && guard < 100_000 {
        out.push_str(&format!("{x}\n"));
        x += step;
        guard += 1;
    }
    CmdOut::ok(out)
}

pub(super) fn expr(args: &[String]) -> CmdOut {
    if let [a, op, b] = args {
        if let (Ok(x), Ok(y)) = (a.parse::<i64>(), b.parse::<i64>()) {
            let v = match op.as_str() {
                "+" => Some(x.wrapping_add(y)),
                "-" => Some(x.wrapping_sub(y)),
                "*" => Some(x.wrapping_mul(y)),
                "/" if y != 0 => Some(x / y),
                "%" if y != 0 => Some(x % y),
                "<" => Some((x < y) as i64),
                ">" => Some((x > y) as i64),
                "=" => Some((x == y) as i64),
                _ => None,
            };
            if let Some(v) = v {
                return CmdOut {
                    status: if v == 0 { 1 } else { 0 },
                    out: format!("{v}\n"),
                    err: String::new(),
                    then: super::Then::Done,
                };
            }
        }
    }
    CmdOut::fail(2, "expr: syntax error\n".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sed_empty_matches_never_split_a_character() {
        assert_eq!(substitute("éa", "^", "x", true).0, "xéa");
    }

    #[test]
    fn sed_substitution_moves_nginx_to_port_81() {
        let (r, changed) = substitute(
            "    listen       80;",
            "listen       80;",
            "listen       81;",
            true,
        );
        assert!(changed);
        assert_eq!(r, "    listen       81;");
        assert_eq!(substitute("aaa", "a", "b", true).0, "bbb");
        assert_eq!(substitute("aaa", "a", "b", false).0, "baa");
    }
}
