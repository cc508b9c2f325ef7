//! Commands: shell builtins, busybox/coreutils applets, and the way a name becomes a program
//! (`$PATH` lookup in the container's own files, so `rm /bin/cat` really removes `cat`).

use std::collections::{BTreeMap, BTreeSet};

use podplay_api::time::Millis;

use crate::fs::{self, Kind};
use crate::process::{Body, Sys};
use crate::shell::Shell;

mod files;
pub(crate) mod net;
mod procs;
mod text;

/// The calling shell's state a command may read (and `cd` may change).
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    pub cwd: String,
    pub vars: BTreeMap<String, String>,
    pub exported: BTreeSet<String>,
    pub pid: u32,
    pub shell: String,
    pub stdin: String,
    /// False when the command was exec'd directly (kubectl exec, exec probe): no shell runs it,
    /// the command itself is process `pid`.
    pub in_shell: bool,
}

impl Ctx {
    pub fn abs(&self, path: &str) -> String {
        fs::normalize(&self.cwd, path)
    }
    pub fn env(&self) -> Vec<(String, String)> {
        self.exported
            .iter()
            .filter_map(|k| self.vars.get(k).map(|v| (k.clone(), v.clone())))
            .collect()
    }
}

/// What a command leaves behind once it has run.
#[derive(Debug, Clone)]
pub(crate) enum Then {
    Done,
    /// Sleep this long (None: forever), then exit 0.
    Sleep(Option<Millis>),
    /// A long-running program: the caller makes it a process and waits for it.
    Become(Body),
    /// A program that forks into the background (`nginx` without `daemon off;`): it keeps
    /// running as its own process while the command returns at once.
    Daemonize(Body),
}

#[derive(Debug, Clone)]
pub(crate) struct CmdOut {
    pub status: i32,
    pub out: String,
    pub err: String,
    pub then: Then,
}

impl CmdOut {
    pub fn ok(out: String) -> CmdOut {
        CmdOut {
            status: 0,
            out,
            err: String::new(),
            then: Then::Done,
        }
    }
    pub fn fail(status: i32, err: String) -> CmdOut {
        CmdOut {
            status,
            out: String::new(),
            err,
            then: Then::Done,
        }
    }
    pub fn status(status: i32) -> CmdOut {
        CmdOut {
            status,
            out: String::new(),
            err: String::new(),
            then: Then::Done,
        }
    }
    pub fn then(then: Then) -> CmdOut {
        CmdOut {
            status: 0,
            out: String::new(),
            err: String::new(),
            then,
        }
    }
}

/// Built into ash and bash: they work even when no such file exists.
const SHELL_BUILTINS: &[&str] = &[
    "echo", "printf", "test", "[", "true", "false", "pwd", "kill", ":", "type", "command", "let",
];

pub(crate) const DEFAULT_PATH: &str =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// The outcome of looking a command name up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Lookup {
    Program { path: String, program: String },
    Script { path: String },
    NotFound,
    Denied { path: String },
}

pub(crate) fn lookup(sys: &mut Sys, cwd: &str, path_var: &str, name: &str) -> Lookup {
    let candidates: Vec<String> = if name.contains('/') {
        vec![fs::normalize(cwd, name)]
    } else {
        path_var
            .split(':')
            .filter(|d| !d.is_empty())
            .map(|d| fs::normalize("/", &format!("{d}/{name}")))
            .collect()
    };
    let files = sys.files();
    for p in candidates {
        match files.kind(&p) {
            Some(Kind::File) => {
                let data = files.read(&p).unwrap_or_default();
                if !files.is_exec(&p) {
                    if name.contains('/') {
                        return Lookup::Denied { path: p };
                    }
                    continue;
                }
                if let Some(prog) = fs::program_of(&data) {
                    return Lookup::Program {
                        path: p,
                        program: prog.to_string(),
                    };
                }
                return Lookup::Script { path: p };
            }
            Some(Kind::Dir) if name.contains('/') => return Lookup::Denied { path: p },
            _ => {}
        }
    }
    Lookup::NotFound
}

/// Run `argv` as the shell would: builtins first, then `$PATH`.
pub(crate) fn run(sys: &mut Sys, ctx: &mut Ctx, argv: &[String]) -> CmdOut {
    let Some(name) = argv.first() else {
        return CmdOut::status(0);
    };
    if SHELL_BUILTINS.contains(&name.as_str()) {
        return applet(name, sys, ctx, argv);
    }
    let path_var = ctx
        .vars
        .get("PATH")
        .cloned()
        .unwrap_or_else(|| DEFAULT_PATH.to_string());
    match lookup(sys, &ctx.cwd, &path_var, name) {
        Lookup::Program { program, .. } => run_program(&program, sys, ctx, argv),
        Lookup::Script { path } => {
            let src = sys.files().read(&path).unwrap_or_default();
            let shell = Shell::new("sh", &src, argv.to_vec(), &ctx.env(), &ctx.cwd);
            CmdOut::then(Then::Become(Body::Shell(Box::new(shell))))
        }
        Lookup::NotFound => {
            let msg = if ctx.shell == "bash" {
                format!("bash: line 1: {name}: command not found\n")
            } else if ctx.shell == "dash" {
                format!("sh: 1: {name}: not found\n")
            } else {
                format!("{}: {name}: not found\n", ctx.shell)
            };
            CmdOut::fail(127, msg)
        }
        Lookup::Denied { .. } => CmdOut::fail(
            126,
            format!(
                "{}: {name}: Permission denied\n",
                if ctx.shell == "dash" {
                    "sh: 1"
                } else {
                    &ctx.shell
                }
            ),
        ),
    }
}

/// Run a program file (its name comes from the image catalog) with `argv`.
pub(crate) fn run_program(program: &str, sys: &mut Sys, ctx: &mut Ctx, argv: &[String]) -> CmdOut {
    match program {
        "busybox" => match argv.get(1) {
            Some(a) => {
                let rest = argv[1..].to_vec();
                run_program(a, sys, ctx, &rest)
            }
            None => {
                CmdOut::ok("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n".into())
            }
        },
        "sh" | "ash" | "bash" | "dash" => shell_program(program, ctx, argv, sys),
        "sleep" => procs::sleep(argv),
        p if crate::daemons::is_daemon(p) => crate::daemons::command(p, sys, ctx, argv),
        p => {
            let mut out = applet(p, sys, ctx, argv);
            if sys.image.gnu() {
                name_as_invoked(p, argv, &mut out);
            }
            out
        }
    }
}

/// GNU programs that print their diagnostics under `program_name`, which
/// `set_program_name(argv[0])` takes verbatim from the command line (coreutils, sed, grep).
const GNU_ARGV0_PROGRAMS: &[&str] = &[
    "cat", "ls", "touch", "rm", "rmdir", "mv", "cp", "mkdir", "chmod", "chown", "chgrp", "tee",
    "wc", "head", "tail", "sort", "tr", "cut", "basename", "dirname", "seq", "expr", "date",
    "uname", "env", "printenv", "id", "whoami", "pwd", "echo", "printf", "test", "sed", "grep",
];

/// In a GNU userland, `/bin/cat x` complains as `/bin/cat: x: No such file or directory`
/// (the name as invoked), while busybox applets always use their applet name (`cat: ...`).
/// The applets write `<program>: ` prefixes, so an invocation by another name renames them.
fn name_as_invoked(program: &str, argv: &[String], out: &mut CmdOut) {
    let Some(argv0) = argv.first() else {
        return;
    };
    if argv0 == program || !GNU_ARGV0_PROGRAMS.contains(&program) || out.err.is_empty() {
        return;
    }
    let prefix = format!("{program}: ");
    let renamed: String = out
        .err
        .split_inclusive('\n')
        .map(|line| match line.strip_prefix(&prefix) {
            Some(rest) => format!("{argv0}: {rest}"),
            None => line.to_string(),
        })
        .collect();
    out.err = renamed;
}

/// `sh -c 'script' [name args...]`, `sh script.sh`, or a bare `sh` (no terminal: exits at once).
fn shell_program(program: &str, ctx: &mut Ctx, argv: &[String], sys: &mut Sys) -> CmdOut {
    // Debian's /bin/sh is dash, whose messages carry a line number (`sh: 1: x: not found`).
    let name = match program {
        "bash" => "bash",
        "dash" => "dash",
        _ => "sh",
    };
    let mut i = 1;
    let mut script: Option<String> = None;
    while let Some(a) = argv.get(i) {
        if a == "-c" {
            match argv.get(i + 1) {
                Some(s) => {
                    script = Some(s.clone());
                    i += 2;
                }
                None => return CmdOut::fail(2, format!("{name}: -c requires an argument\n")),
            }
            break;
        } else if a.starts_with('-') && a.len() > 1 {
            if a.contains('c') {
                match argv.get(i + 1) {
                    Some(s) => {
                        script = Some(s.clone());
                        i += 2;
                    }
                    None => return CmdOut::fail(2, format!("{name}: -c requires an argument\n")),
                }
                break;
            }
            i += 1;
        } else {
            break;
        }
    }
    let (src, args) = match script {
        Some(s) => {
            let mut args = vec![argv.get(i).cloned().unwrap_or_else(|| name.to_string())];
            args.extend(argv.iter().skip(i + 1).cloned());
            (s, args)
        }
        None => match argv.get(i) {
            Some(file) => {
                let abs = ctx.abs(file);
                match sys.files().read(&abs) {
                    Ok(s) => (s, argv[i..].to_vec()),
                    Err(e) => {
                        return CmdOut::fail(
                            2,
                            format!("{name}: can't open '{file}': {}\n", e.strerror()),
                        )
                    }
                }
            }
            // Interactive shell without a terminal reads an empty stdin and exits 0.
            None => return CmdOut::status(0),
        },
    };
    let shell = Shell::new(name, &src, args, &ctx.env(), &ctx.cwd);
    CmdOut::then(Then::Become(Body::Shell(Box::new(shell))))
}

/// Applets shared by busybox and coreutils images (messages follow the image's userland).
pub(crate) fn applet(name: &str, sys: &mut Sys, ctx: &mut Ctx, argv: &[String]) -> CmdOut {
    let args = &argv[1..];
    match name {
        "true" | ":" => CmdOut::status(0),
        "false" => CmdOut::status(1),
        "echo" => text::echo(args),
        "printf" => text::printf(args),
        "test" => procs::test(args, sys, ctx, false),
        "[" => procs::test(args, sys, ctx, true),
        "pwd" => CmdOut::ok(format!("{}\n", ctx.cwd)),
        "cat" => files::cat(args, sys, ctx),
        "ls" => files::ls(args, sys, ctx),
        "touch" => files::touch(args, sys, ctx),
        "rm" => files::rm(args, sys, ctx),
        "rmdir" => files::rmdir(args, sys, ctx),
        "mv" => files::mv_cp(args, sys, ctx, true),
        "cp" => files::mv_cp(args, sys, ctx, false),
        "mkdir" => files::mkdir(args, sys, ctx),
        "chmod" => files::chmod(args, sys, ctx),
        "chown" | "chgrp" | "sync" | "ln" => CmdOut::status(0),
        "tee" => files::tee(args, sys, ctx),
        "sed" => text::sed(args, sys, ctx),
        "grep" | "egrep" | "fgrep" => text::grep(args, sys, ctx),
        "wc" => text::wc(args, sys, ctx),
        "head" => text::head_tail(args, sys, ctx, true),
        "tail" => text::head_tail(args, sys, ctx, false),
        "sort" => text::sort(args, sys, ctx),
        "tr" => text::tr(args, ctx),
        "cut" => text::cut(args, sys, ctx),
        "basename" => CmdOut::ok(format!(
            "{}\n",
            args.first().map(|a| fs::basename(a)).unwrap_or("")
        )),
        "dirname" => CmdOut::ok(format!(
            "{}\n",
            args.first().map(|a| fs::parent(a)).unwrap_or(".")
        )),
        "seq" => text::seq(args),
        "expr" => text::expr(args),
        "date" => procs::date(args, sys),
        "hostname" => CmdOut::ok(format!("{}\n", sys.pod.hostname)),
        "whoami" => CmdOut::ok("root\n".into()),
        "id" => CmdOut::ok("uid=0(root) gid=0(root) groups=0(root),10(wheel)\n".into()),
        "uname" => procs::uname(args),
        "env" | "printenv" => procs::env(name, args, ctx),
        "kill" => procs::kill(args, sys, ctx),
        "killall" | "pkill" => procs::killall(args, sys, ctx),
        "pidof" => procs::pidof(args, sys),
        "ps" => procs::ps(sys, ctx),
        "type" | "command" | "which" => procs::which(name, args, sys, ctx),
        "nslookup" => net::nslookup(args, sys),
        "wget" => net::wget(args, sys, ctx),
        "curl" => net::curl(args, sys, ctx),
        "nc" => net::nc(args, sys),
        "redis-cli" => net::redis_cli(args, sys),
        "let" => CmdOut::status(0),
        // Interpreters without a terminal read an empty stdin and exit.
        "node" | "python" | "python3" => CmdOut::status(0),
        "vi" | "vim" | "top" | "less" | "more" => CmdOut::fail(
            1,
            format!("{name}: can't run without a terminal in this playground\n"),
        ),
        _ => CmdOut::fail(127, format!("{}: {name}: not found\n", ctx.shell)),
    }
}
