//! Process and system applets: sleep, test, date, uname, env, kill, killall, pidof, ps, which.

use podplay_api::time::{DateTime, Millis};

use super::{CmdOut, Ctx, Then};
use crate::fs::Kind;
use crate::process::{Body, Effect, Sys};
use crate::signal::Signal;

/// `sleep 5`, `sleep 0.5`, `sleep 2m`, `sleep 1h`, `sleep infinity`.
pub(super) fn sleep(argv: &[String]) -> CmdOut {
    let args = &argv[1..];
    if args.is_empty() {
        return CmdOut::fail(1, "sleep: missing operand\n".into());
    }
    let mut total: Millis = 0;
    for a in args {
        if a == "infinity" || a == "inf" {
            return CmdOut::then(Then::Sleep(None));
        }
        match parse_duration(a) {
            Some(ms) => total = total.saturating_add(ms),
            None => return CmdOut::fail(1, format!("sleep: invalid number '{a}'\n")),
        }
    }
    CmdOut::then(Then::Sleep(Some(total)))
}

pub(crate) fn parse_duration(a: &str) -> Option<Millis> {
    let (num, mult) = match a.chars().last()? {
        's' => (&a[..a.len() - 1], 1_000.0),
        'm' => (&a[..a.len() - 1], 60_000.0),
        'h' => (&a[..a.len() - 1], 3_600_000.0),
        'd' => (&a[..a.len() - 1], 86_400_000.0),
        _ => (a, 1_000.0),
    };
    let v: f64 = num.parse().ok()?;
    if !v.is_finite() || v < 0.0 {
        return None;
    }
    let ms = v * mult;
    if ms > 1e15 {
        return Some(1_000_000_000_000_000);
    }
    Some(ms.round() as Millis)
}

/// `test` / `[`: -f -d -e -s -x -z -n = != -eq -ne -lt -le -gt -ge, `!`, -a, -o.
pub(super) fn test(args: &[String], sys: &mut Sys, ctx: &Ctx, bracket: bool) -> CmdOut {
    let mut a: Vec<String> = args.to_vec();
    if bracket {
        if a.last().map(String::as_str) != Some("]") {
            return CmdOut::fail(2, "[: missing ]\n".into());
        }
        a.pop();
    }
    match eval_or(&a, sys, ctx) {
        Ok(true) => CmdOut::status(0),
        Ok(false) => CmdOut::status(1),
        Err(e) => CmdOut::fail(2, format!("{}: {e}\n", if bracket { "[" } else { "test" })),
    }
}

fn eval_or(a: &[String], sys: &mut Sys, ctx: &Ctx) -> Result<bool, String> {
    if let Some(i) = a.iter().position(|x| x == "-o") {
        return Ok(eval_or(&a[..i], sys, ctx)? || eval_or(&a[i + 1..], sys, ctx)?);
    }
    if let Some(i) = a.iter().position(|x| x == "-a") {
        if i > 0 {
            return Ok(eval_or(&a[..i], sys, ctx)? && eval_or(&a[i + 1..], sys, ctx)?);
        }
    }
    eval1(a, sys, ctx)
}

fn eval1(a: &[String], sys: &mut Sys, ctx: &Ctx) -> Result<bool, String> {
    match a {
        [] => Ok(false),
        [x] => Ok(!x.is_empty()),
        [n, rest @ ..] if n == "!" => Ok(!eval1(rest, sys, ctx)?),
        [op, x] => {
            let abs = ctx.abs(x);
            let files = sys.files();
            Ok(match op.as_str() {
                "-z" => x.is_empty(),
                "-n" => !x.is_empty(),
                "-e" => files.kind(&abs).is_some(),
                "-f" => files.kind(&abs) == Some(Kind::File),
                "-d" => files.kind(&abs) == Some(Kind::Dir),
                "-s" => files
                    .read(&abs)
                    .map(|d| !d.is_empty())
                    .unwrap_or(files.kind(&abs) == Some(Kind::Dir)),
                "-x" => files.is_exec(&abs) || files.kind(&abs) == Some(Kind::Dir),
                "-r" | "-w" => files.kind(&abs).is_some(),
                "-L" | "-h" | "-p" | "-S" | "-b" | "-c" => false,
                _ => return Err(format!("{op}: unknown operand")),
            })
        }
        [x, op, y] => {
            let num = |s: &str| {
                s.trim()
                    .parse::<i64>()
                    .map_err(|_| format!("{s}: bad number"))
            };
            Ok(match op.as_str() {
                "=" | "==" => x == y,
                "!=" => x != y,
                "-eq" => num(x)? == num(y)?,
                "-ne" => num(x)? != num(y)?,
                "-lt" => num(x)? < num(y)?,
                "-le" => num(x)? <= num(y)?,
                "-gt" => num(x)? > num(y)?,
                "-ge" => num(x)? >= num(y)?,
                _ => return Err(format!("{op}: unknown operand")),
            })
        }
        _ => Err("syntax error".into()),
    }
}

/// `date` (busybox default format) and `date +FORMAT`.
pub(super) fn date(args: &[String], sys: &Sys) -> CmdOut {
    let d = DateTime::at(sys.now);
    let epoch = podplay_api::time::EPOCH_UNIX_SECS + sys.now.div_euclid(1000);
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let wd = DAYS.get(d.weekday as usize).copied().unwrap_or("Sun");
    let mon = MONTHS
        .get(d.month.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("Jan");
    let fmt = args
        .iter()
        .find(|a| a.starts_with('+'))
        .map(|a| a[1..].to_string());
    let Some(fmt) = fmt else {
        return CmdOut::ok(format!(
            "{wd} {mon} {:>2} {:02}:{:02}:{:02} UTC {}\n",
            d.day, d.hour, d.minute, d.second, d.year
        ));
    };
    let mut out = String::new();
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Y') => out.push_str(&format!("{:04}", d.year)),
            Some('m') => out.push_str(&format!("{:02}", d.month)),
            Some('d') => out.push_str(&format!("{:02}", d.day)),
            Some('e') => out.push_str(&format!("{:>2}", d.day)),
            Some('H') => out.push_str(&format!("{:02}", d.hour)),
            Some('M') => out.push_str(&format!("{:02}", d.minute)),
            Some('S') => out.push_str(&format!("{:02}", d.second)),
            Some('s') => out.push_str(&epoch.to_string()),
            Some('T') => out.push_str(&format!("{:02}:{:02}:{:02}", d.hour, d.minute, d.second)),
            Some('F') => out.push_str(&format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)),
            Some('a') => out.push_str(wd),
            Some('b') => out.push_str(mon),
            Some('Z') => out.push_str("UTC"),
            Some('N') => out.push_str(&format!("{:09}", d.millis as u64 * 1_000_000)),
            Some('%') => out.push('%'),
            Some(o) => {
                out.push('%');
                out.push(o);
            }
            None => out.push('%'),
        }
    }
    out.push('\n');
    CmdOut::ok(out)
}

pub(super) fn uname(args: &[String]) -> CmdOut {
    if args.iter().any(|a| a.contains('a')) {
        return CmdOut::ok("Linux podplay 6.8.0 #1 SMP x86_64 GNU/Linux\n".into());
    }
    if args.iter().any(|a| a.contains('r')) {
        return CmdOut::ok("6.8.0\n".into());
    }
    if args.iter().any(|a| a.contains('m')) {
        return CmdOut::ok("x86_64\n".into());
    }
    CmdOut::ok("Linux\n".into())
}

pub(super) fn env(name: &str, args: &[String], ctx: &Ctx) -> CmdOut {
    if name == "printenv" {
        if let Some(k) = args.first() {
            return match ctx.vars.get(k).filter(|_| ctx.exported.contains(k)) {
                Some(v) => CmdOut::ok(format!("{v}\n")),
                None => CmdOut::status(1),
            };
        }
    }
    let mut out = String::new();
    for (k, v) in ctx.env() {
        out.push_str(&format!("{k}={v}\n"));
    }
    CmdOut::ok(out)
}

fn parse_sig_flag(a: &str) -> Option<Option<Signal>> {
    // Some(None) = -0 (existence check only).
    let s = a.strip_prefix('-')?;
    if s == "0" {
        return Some(None);
    }
    Signal::parse(s).map(Some)
}

/// `kill [-SIG|-s SIG|-0] PID...`.
pub(super) fn kill(args: &[String], sys: &mut Sys, ctx: &Ctx) -> CmdOut {
    let mut sig = Some(Signal::Term);
    let mut pids = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if a == "-s" || a == "-n" {
            match args.get(i + 1).and_then(|s| Signal::parse(s)) {
                Some(s) => sig = Some(s),
                None => {
                    return CmdOut::fail(
                        1,
                        format!(
                            "kill: bad signal name '{}'\n",
                            args.get(i + 1).cloned().unwrap_or_default()
                        ),
                    )
                }
            }
            i += 2;
            continue;
        }
        if a == "-l" {
            return CmdOut::ok(
                " 1) HUP\n 2) INT\n 3) QUIT\n 9) KILL\n10) USR1\n12) USR2\n15) TERM\n".into(),
            );
        }
        if a.starts_with('-')
            && pids.is_empty()
            && a.len() > 1
            && !a[1..].starts_with(|c: char| c.is_ascii_digit() && a.len() > 3)
        {
            match parse_sig_flag(a) {
                Some(s) => sig = s,
                None => return CmdOut::fail(1, format!("kill: bad signal name '{}'\n", &a[1..])),
            }
        } else {
            pids.push(a.clone());
        }
        i += 1;
    }
    if pids.is_empty() {
        return CmdOut::fail(
            1,
            "kill: usage: kill [-s sigspec | -signum | -sigspec] pid | jobspec ...\n".into(),
        );
    }
    let mut out = CmdOut::ok(String::new());
    for p in pids {
        let Ok(pid) = p.parse::<u32>() else {
            out.status = 1;
            out.err
                .push_str(&format!("{}: kill: invalid number '{p}'\n", ctx.shell));
            continue;
        };
        let exists = sys.procs.contains_key(&pid) || pid == ctx.pid;
        if !exists {
            out.status = 1;
            out.err.push_str(&format!(
                "{}: kill: can't kill pid {pid}: No such process\n",
                ctx.shell
            ));
            continue;
        }
        if let Some(s) = sig {
            sys.effects.push(Effect::Signal { pid, sig: s });
        }
    }
    out
}

fn proc_name(argv: &[String]) -> String {
    argv.first()
        .map(|a| crate::fs::basename(a).to_string())
        .unwrap_or_default()
}

pub(super) fn killall(args: &[String], sys: &mut Sys, _ctx: &Ctx) -> CmdOut {
    let mut sig = Some(Signal::Term);
    let mut names = Vec::new();
    for a in args {
        match parse_sig_flag(a) {
            Some(s) if names.is_empty() => sig = s,
            _ => names.push(a.clone()),
        }
    }
    let mut out = CmdOut::ok(String::new());
    for n in names {
        let pids: Vec<u32> = sys
            .procs
            .values()
            .filter(|p| proc_name(&p.argv) == n)
            .map(|p| p.pid)
            .collect();
        if pids.is_empty() {
            out.status = 1;
            if sig.is_some() {
                out.err
                    .push_str(&format!("killall: {n}: no process killed\n"));
            }
            continue;
        }
        if let Some(s) = sig {
            for pid in pids {
                sys.effects.push(Effect::Signal { pid, sig: s });
            }
        }
    }
    out
}

pub(super) fn pidof(args: &[String], sys: &mut Sys) -> CmdOut {
    let mut pids = Vec::new();
    for n in args {
        for p in sys.procs.values().rev() {
            if proc_name(&p.argv) == *n {
                pids.push(p.pid.to_string());
            }
        }
    }
    if pids.is_empty() {
        return CmdOut::status(1);
    }
    CmdOut::ok(format!("{}\n", pids.join(" ")))
}

/// busybox `ps`: PID USER TIME COMMAND.
pub(super) fn ps(sys: &mut Sys, ctx: &Ctx) -> CmdOut {
    let mut rows: Vec<(u32, &str, String)> = vec![];
    for p in sys.procs.values() {
        match &p.body {
            Body::Daemon(d) => rows.extend(d.ps_rows(p.pid, &p.argv)),
            _ => rows.push((p.pid, "root", p.argv.join(" "))),
        }
    }
    // Run from a shell, `ps` is the shell's child; exec'd directly, it is the exec's process.
    let me = if ctx.in_shell {
        if !rows.iter().any(|(p, _, _)| *p == ctx.pid) {
            rows.push((ctx.pid, "root", ctx.shell.clone()));
        }
        *sys.next_pid
    } else {
        ctx.pid
    };
    rows.push((me, "root", "ps".into()));
    rows.sort();
    // busybox 1.3x default columns: pid(5) user(-8) time(5) args, each followed by a space.
    let mut out = String::from("PID   USER     TIME  COMMAND\n");
    for (pid, user, cmd) in rows {
        out.push_str(&format!("{pid:>5} {user:<8}  0:00 {cmd}\n"));
    }
    CmdOut::ok(out)
}

pub(super) fn which(name: &str, args: &[String], sys: &mut Sys, ctx: &Ctx) -> CmdOut {
    let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let path_var = ctx
        .vars
        .get("PATH")
        .cloned()
        .unwrap_or_else(|| super::DEFAULT_PATH.to_string());
    let mut out = CmdOut::ok(String::new());
    for n in names {
        if name != "which" && super::SHELL_BUILTINS.contains(&n.as_str()) {
            if name == "type" {
                out.out.push_str(&format!("{n} is a shell builtin\n"));
            } else {
                out.out.push_str(&format!("{n}\n"));
            }
            continue;
        }
        match super::lookup(sys, &ctx.cwd, &path_var, n) {
            super::Lookup::Program { path, .. } | super::Lookup::Script { path } => {
                if name == "type" {
                    out.out.push_str(&format!("{n} is {path}\n"));
                } else {
                    out.out.push_str(&format!("{path}\n"));
                }
            }
            _ => {
                out.status = 1;
                if name == "type" {
                    out.err.push_str(&format!("{n}: not found\n"));
                }
            }
        }
    }
    out
}
