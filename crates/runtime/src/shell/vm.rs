//! The shell virtual machine: frames of compiled code with a program counter each, variables,
//! traps, and a block state so `sleep`, `wait` and foreground children suspend the script.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use podplay_api::time::Millis;

use super::ast::{Part, Redir, Simple, Word};
use super::compile::{self, Code, Ins};
use super::{arith, parse};
use crate::cmds::{self, CmdOut, Ctx, Then};
use crate::fs::{self, Kind};
use crate::process::{Body, Ended, SigEffect, Step, Sys};
use crate::signal::Signal;

/// Instructions one `run` may execute before yielding: a script that loops without sleeping
/// burns a second of virtual CPU per slice instead of hanging the simulation.
const FUEL: u32 = 20_000;
/// Nesting limit for `$(...)` inside `$(...)`.
const MAX_SUB_DEPTH: u32 = 8;

#[derive(Debug, Clone, PartialEq)]
enum Trap {
    Ignore,
    Run(Arc<Code>),
}

#[derive(Debug, Clone, PartialEq)]
enum Block {
    None,
    Until(Option<Millis>),
    Child(u32),
    WaitAll,
}

#[derive(Debug, Clone)]
struct Frame {
    code: Arc<Code>,
    pc: usize,
    fors: Vec<(Vec<String>, usize)>,
    trap: bool,
    saved_status: i32,
    redir_depth: usize,
}

/// Where a command's stdout or stderr goes.
#[derive(Debug, Clone, PartialEq)]
enum Target {
    /// The process's own output (after the enclosing group redirects).
    Inherit,
    File {
        path: String,
        append: bool,
    },
    Null,
}

#[derive(Debug, Clone)]
pub(crate) struct Shell {
    /// `sh` or `bash`: the prefix of error messages.
    pub name: String,
    frames: Vec<Frame>,
    pub vars: BTreeMap<String, String>,
    pub exported: BTreeSet<String>,
    pub status: i32,
    pub cwd: String,
    args: Vec<String>,
    traps: BTreeMap<Signal, Trap>,
    pending: Vec<Signal>,
    block: Block,
    group_redirs: Vec<(Target, Target)>,
    /// A redirection of the current command could not be opened: the command does not run.
    redir_failed: bool,
    bg: Vec<u32>,
    last_bg: Option<u32>,
    exit: Option<i32>,
    /// Output of this process not yet handed to its sink.
    pub out: String,
    startup_error: Option<String>,
    sub_depth: u32,
    sync: bool,
    err_buf: String,
}

impl Shell {
    /// A shell that will run `script`; `$0` is `args[0]`.
    pub fn new(
        name: &str,
        script: &str,
        args: Vec<String>,
        env: &[(String, String)],
        cwd: &str,
    ) -> Shell {
        let (code, err) = match parse::parse(script) {
            Ok(c) => (compile::compile(&c), None),
            Err(e) => (Code::default(), Some(e)),
        };
        let mut vars = BTreeMap::new();
        let mut exported = BTreeSet::new();
        for (k, v) in env {
            vars.insert(k.clone(), v.clone());
            exported.insert(k.clone());
        }
        vars.entry("PWD".into()).or_insert_with(|| cwd.to_string());
        vars.insert("IFS".into(), " \t\n".into());
        Shell {
            name: name.to_string(),
            frames: vec![Frame {
                code: Arc::new(code),
                pc: 0,
                fors: Vec::new(),
                trap: false,
                saved_status: 0,
                redir_depth: 0,
            }],
            vars,
            exported,
            status: 0,
            cwd: cwd.to_string(),
            args,
            traps: BTreeMap::new(),
            pending: Vec::new(),
            block: Block::None,
            group_redirs: Vec::new(),
            redir_failed: false,
            bg: Vec::new(),
            last_bg: None,
            exit: None,
            out: String::new(),
            startup_error: err,
            sub_depth: 0,
            sync: false,
            err_buf: String::new(),
        }
    }

    /// The status of a command whose redirection failed: 2 in dash, 1 in busybox ash and bash.
    fn redir_failure_status(&self) -> i32 {
        if self.name == "dash" {
            2
        } else {
            1
        }
    }

    fn err_prefix(&self) -> String {
        if self.name == "bash" {
            format!("{}: line 1: ", self.name)
        } else if self.name == "dash" {
            "sh: 1: ".to_string()
        } else {
            format!("{}: ", self.name)
        }
    }

    /// A foreground child of this shell ended.
    pub fn child_exited(&mut self, pid: u32, end: Ended) {
        self.bg.retain(|p| *p != pid);
        if self.block == Block::Child(pid) {
            self.block = Block::None;
            self.status = end.code;
        }
    }

    /// What `sig` does to this shell. PID 1 has no default actions (the kernel ignores signals
    /// an init process has no handler for); SIGKILL cannot be caught.
    pub fn signal(&mut self, sig: Signal, is_pid1: bool) -> SigEffect {
        if sig == Signal::Kill {
            return SigEffect::Dies(Ended::by(sig));
        }
        match self.traps.get(&sig) {
            Some(Trap::Ignore) => SigEffect::Ignored,
            Some(Trap::Run(_)) => {
                self.pending.push(sig);
                if self.block == Block::WaitAll {
                    // `wait` is interrupted by a trapped signal and returns 128+n.
                    self.block = Block::None;
                    self.status = 128 + sig.number();
                }
                SigEffect::Handled
            }
            None if is_pid1 => SigEffect::Ignored,
            None => SigEffect::Dies(Ended::by(sig)),
        }
    }

    /// Run until the script blocks or ends.
    pub fn run(&mut self, sys: &mut Sys, pid: u32) -> Step {
        if let Some(e) = self.startup_error.take() {
            let p = self.err_prefix();
            self.out.push_str(&format!("{p}{e}\n"));
            return Step::Exit(Ended::code(2));
        }
        let mut fuel = FUEL;
        loop {
            if let Some(code) = self.exit {
                return Step::Exit(Ended::code(code));
            }
            match self.block.clone() {
                Block::None => {}
                Block::Until(Some(t)) if t <= sys.now => {
                    self.block = Block::None;
                    self.status = 0;
                }
                Block::Until(t) => return Step::Wait(t),
                Block::Child(_) => return Step::Wait(None),
                Block::WaitAll => {
                    let alive = self.bg.iter().any(|p| sys.procs.contains_key(p));
                    if alive {
                        return Step::Wait(None);
                    }
                    self.bg.clear();
                    self.block = Block::None;
                    self.status = 0;
                }
            }
            if !self.pending.is_empty() {
                let sig = self.pending.remove(0);
                if let Some(Trap::Run(code)) = self.traps.get(&sig).cloned() {
                    let saved = self.status;
                    self.frames.push(Frame {
                        code,
                        pc: 0,
                        fors: Vec::new(),
                        trap: true,
                        saved_status: saved,
                        redir_depth: 0,
                    });
                }
                continue;
            }
            if fuel == 0 {
                return Step::Wait(Some(sys.now + 1000));
            }
            fuel -= 1;
            let Some(frame) = self.frames.last_mut() else {
                return Step::Exit(Ended::code(self.status));
            };
            let Some(ins) = frame.code.ins.get(frame.pc).cloned() else {
                let done = self.frames.pop();
                if let Some(f) = done {
                    for _ in 0..f.redir_depth {
                        self.group_redirs.pop();
                    }
                    if f.trap {
                        self.status = f.saved_status;
                    }
                }
                if self.frames.is_empty() {
                    return Step::Exit(Ended::code(self.status));
                }
                continue;
            };
            frame.pc += 1;
            if let Some(step) = self.exec(ins, sys, pid) {
                return step;
            }
        }
    }

    fn frame(&mut self) -> Option<&mut Frame> {
        self.frames.last_mut()
    }

    fn jump(&mut self, to: usize) {
        if let Some(f) = self.frame() {
            f.pc = to;
        }
    }

    /// Execute one instruction; Some(step) when the process must yield or change.
    fn exec(&mut self, ins: Ins, sys: &mut Sys, pid: u32) -> Option<Step> {
        match ins {
            Ins::Jump(t) => self.jump(t),
            Ins::JumpIfOk(t) => {
                if self.status == 0 {
                    self.jump(t)
                }
            }
            Ins::JumpIfFail(t) => {
                if self.status != 0 {
                    self.jump(t)
                }
            }
            Ins::Negate => self.status = if self.status == 0 { 1 } else { 0 },
            Ins::SetStatus(s) => self.status = s,
            Ins::ForInit { slot, items } => {
                let list = match items {
                    Some(ws) => {
                        let mut v = Vec::new();
                        for w in &ws {
                            v.extend(self.expand(w, sys, pid));
                        }
                        v
                    }
                    None => self.args.iter().skip(1).cloned().collect(),
                };
                if let Some(f) = self.frame() {
                    while f.fors.len() <= slot {
                        f.fors.push((Vec::new(), 0));
                    }
                    f.fors[slot] = (list, 0);
                }
            }
            Ins::ForNext { slot, var, end } => {
                let next = self.frame().and_then(|f| {
                    let (list, i) = f.fors.get_mut(slot)?;
                    let item = list.get(*i).cloned();
                    *i += 1;
                    item
                });
                match next {
                    Some(v) => {
                        self.vars.insert(var, v);
                    }
                    None => self.jump(end),
                }
            }
            Ins::PushRedirs(rs) => {
                let (o, e, _) = self.resolve_redirs(&rs, sys, pid);
                self.group_redirs.push((o, e));
                if let Some(f) = self.frame() {
                    f.redir_depth += 1;
                }
            }
            Ins::PopRedirs => {
                self.group_redirs.pop();
                if let Some(f) = self.frame() {
                    f.redir_depth = f.redir_depth.saturating_sub(1);
                }
            }
            Ins::Pipe(stages) => {
                let mut input = String::new();
                let mut status = 0;
                let n = stages.len();
                for (i, s) in stages.iter().enumerate() {
                    let last = i + 1 == n;
                    let (st, out) =
                        self.run_simple_sync(s, sys, pid, std::mem::take(&mut input), !last);
                    status = st;
                    input = out;
                }
                self.status = status;
            }
            Ins::Background(s) => {
                let argv = self.expand_words(&s.words, sys, pid);
                if argv.is_empty() {
                    return None;
                }
                let mut ctx = self.ctx(pid, String::new());
                let r = cmds::run(sys, &mut ctx, &argv);
                self.finish_ctx(ctx);
                let (o, e, _) = self.resolve_redirs(&s.redirs, sys, pid);
                self.emit(sys, &o, &r.out);
                self.emit_err(sys, &e, &r.err);
                let body = match r.then {
                    Then::Done => None,
                    Then::Daemonize(b) => {
                        sys.spawn(1, argv.clone(), b, crate::process::Sink::Log);
                        None
                    }
                    Then::Sleep(d) => Some(Body::Sleep {
                        until: d.map(|d| sys.now + d),
                    }),
                    Then::Become(b) => Some(b),
                };
                if let Some(body) = body {
                    let sink = sys.sink;
                    let child = sys.spawn(pid, argv, body, sink);
                    self.bg.push(child);
                    self.last_bg = Some(child);
                }
                self.status = 0;
            }
            Ins::Run(s) => return self.run_simple(&s, sys, pid),
        }
        None
    }

    fn ctx(&mut self, pid: u32, stdin: String) -> Ctx {
        Ctx {
            cwd: self.cwd.clone(),
            vars: self.vars.clone(),
            exported: self.exported.clone(),
            pid,
            shell: self.name.clone(),
            stdin,
            in_shell: true,
        }
    }

    fn finish_ctx(&mut self, ctx: Ctx) {
        self.cwd = ctx.cwd;
    }

    /// Run a simple command synchronously (pipelines, `$(...)`): sleeps and daemons are skipped.
    fn run_simple_sync(
        &mut self,
        s: &Simple,
        sys: &mut Sys,
        pid: u32,
        stdin: String,
        capture: bool,
    ) -> (i32, String) {
        let argv = self.expand_words(&s.words, sys, pid);
        for (name, w) in &s.assigns {
            let v = self.expand_joined(w, sys, pid);
            self.vars.insert(name.clone(), v);
        }
        if argv.is_empty() {
            return (0, String::new());
        }
        let (o, e, input) = self.resolve_redirs(&s.redirs, sys, pid);
        if std::mem::take(&mut self.redir_failed) {
            return (self.redir_failure_status(), String::new());
        }
        let stdin = input.unwrap_or(stdin);
        let r = self.dispatch(&argv, sys, pid, stdin);
        let mut captured = String::new();
        if capture && o == Target::Inherit {
            captured.push_str(&r.out);
        } else {
            self.emit(sys, &o, &r.out);
        }
        self.emit_err(sys, &e, &r.err);
        (r.status, captured)
    }

    fn run_simple(&mut self, s: &Simple, sys: &mut Sys, pid: u32) -> Option<Step> {
        let argv = self.expand_words(&s.words, sys, pid);
        let sub_status = self.status;
        let mut assigned = Vec::new();
        for (name, w) in &s.assigns {
            let v = self.expand_joined(w, sys, pid);
            assigned.push((name.clone(), v));
        }
        let (o, e, input) = self.resolve_redirs(&s.redirs, sys, pid);
        if std::mem::take(&mut self.redir_failed) {
            // The command is not run when one of its redirections cannot be opened.
            self.status = self.redir_failure_status();
            return None;
        }
        if argv.is_empty() {
            for (k, v) in assigned {
                self.vars.insert(k, v);
            }
            // Status of `X=$(cmd)` is cmd's status.
            self.status = if s
                .assigns
                .iter()
                .any(|(_, w)| w.iter().any(|p| matches!(p, Part::Sub { .. })))
            {
                sub_status
            } else {
                0
            };
            return None;
        }
        for (k, v) in assigned {
            self.vars.insert(k, v);
        }
        let stdin = input.unwrap_or_default();
        let name = argv[0].as_str();
        // Special builtins that act on the shell itself.
        match name {
            "exit" => {
                let code = match argv.get(1) {
                    None => self.status,
                    Some(a) => match a.parse::<i64>() {
                        Ok(n) => (n & 0xff) as i32,
                        Err(_) => {
                            let p = self.err_prefix();
                            self.emit_err(sys, &e, &format!("{p}exit: Illegal number: {a}\n"));
                            2
                        }
                    },
                };
                self.exit = Some(code);
                return Some(Step::Exit(Ended::code(code)));
            }
            "exec" => {
                if argv.len() == 1 {
                    self.status = 0;
                    return None;
                }
                let rest = argv[1..].to_vec();
                let r = self.dispatch(&rest, sys, pid, stdin);
                self.emit(sys, &o, &r.out);
                self.emit_err(sys, &e, &r.err);
                return Some(match r.then {
                    Then::Done => Step::Exit(Ended::code(r.status)),
                    Then::Daemonize(b) => {
                        sys.spawn(1, rest.clone(), b, crate::process::Sink::Log);
                        Step::Exit(Ended::code(0))
                    }
                    Then::Sleep(d) => Step::Become(
                        Body::Sleep {
                            until: d.map(|d| sys.now + d),
                        },
                        rest,
                    ),
                    Then::Become(b) => Step::Become(b, rest),
                });
            }
            "trap" => {
                self.trap(&argv, sys, &o);
                return None;
            }
            "wait" => {
                self.bg.retain(|p| sys.procs.contains_key(p));
                if self.bg.is_empty() {
                    self.status = 0;
                } else {
                    self.block = Block::WaitAll;
                }
                return None;
            }
            "export" => {
                for a in &argv[1..] {
                    if let Some((k, v)) = a.split_once('=') {
                        self.vars.insert(k.to_string(), v.to_string());
                        self.exported.insert(k.to_string());
                    } else {
                        self.exported.insert(a.clone());
                    }
                }
                self.status = 0;
                return None;
            }
            "unset" => {
                for a in &argv[1..] {
                    self.vars.remove(a);
                    self.exported.remove(a);
                }
                self.status = 0;
                return None;
            }
            "set" | "shopt" | "ulimit" | "umask" | "local" | "readonly" | "source" | "." => {
                self.status = 0;
                return None;
            }
            "shift" => {
                let n: usize = argv.get(1).and_then(|a| a.parse().ok()).unwrap_or(1);
                if self.args.len() > n {
                    self.args.drain(1..=n);
                }
                self.status = 0;
                return None;
            }
            "read" => {
                // No terminal: stdin is empty unless redirected.
                let line = stdin.lines().next().map(str::to_string);
                if let Some(var) = argv.get(1) {
                    self.vars
                        .insert(var.clone(), line.clone().unwrap_or_default());
                }
                self.status = if line.is_some() { 0 } else { 1 };
                return None;
            }
            _ => {}
        }
        let r = self.dispatch(&argv, sys, pid, stdin);
        self.emit(sys, &o, &r.out);
        self.emit_err(sys, &e, &r.err);
        self.status = r.status;
        match r.then {
            Then::Done => None,
            Then::Daemonize(b) => {
                sys.spawn(1, argv, b, crate::process::Sink::Log);
                None
            }
            Then::Sleep(d) => {
                if self.sync {
                    return None;
                }
                self.block = Block::Until(d.map(|d| sys.now + d));
                None
            }
            Then::Become(body) => {
                if self.sync {
                    return None;
                }
                let sink = sys.sink;
                let child = sys.spawn(pid, argv, body, sink);
                self.block = Block::Child(child);
                None
            }
        }
    }

    fn trap(&mut self, argv: &[String], sys: &mut Sys, o: &Target) {
        if argv.len() < 2 {
            self.status = 0;
            return;
        }
        if argv.len() == 2 {
            // `trap - TERM` style with one word is handled below; a lone action lists nothing.
            self.status = 0;
            return;
        }
        let action = argv[1].clone();
        for s in &argv[2..] {
            let sig = if s == "EXIT" || s == "0" {
                None
            } else {
                Signal::parse(s)
            };
            let Some(sig) = sig else {
                if s != "EXIT" && s != "0" {
                    let p = self.err_prefix();
                    self.emit(sys, o, &format!("{p}trap: {s}: bad trap\n"));
                    self.status = 1;
                }
                continue;
            };
            if action == "-" {
                self.traps.remove(&sig);
            } else if action.is_empty() {
                self.traps.insert(sig, Trap::Ignore);
            } else {
                match parse::parse(&action) {
                    Ok(c) => {
                        self.traps
                            .insert(sig, Trap::Run(Arc::new(compile::compile(&c))));
                    }
                    Err(e) => {
                        let p = self.err_prefix();
                        self.emit(sys, o, &format!("{p}{e}\n"));
                    }
                }
            }
        }
        self.status = 0;
    }

    /// Run a command by name: shell builtins, then files found on `$PATH`.
    fn dispatch(&mut self, argv: &[String], sys: &mut Sys, pid: u32, stdin: String) -> CmdOut {
        if argv[0] == "cd" {
            return self.cd(argv, sys);
        }
        let mut ctx = self.ctx(pid, stdin);
        let r = cmds::run(sys, &mut ctx, argv);
        self.finish_ctx(ctx);
        r
    }

    fn cd(&mut self, argv: &[String], sys: &mut Sys) -> CmdOut {
        let target = argv
            .get(1)
            .cloned()
            .unwrap_or_else(|| self.vars.get("HOME").cloned().unwrap_or_else(|| "/".into()));
        let abs = fs::normalize(&self.cwd, &target);
        match sys.files().kind(&abs) {
            Some(Kind::Dir) => {
                self.cwd = abs.clone();
                self.vars.insert("PWD".into(), abs);
                CmdOut::ok(String::new())
            }
            Some(Kind::File) => CmdOut::fail(
                2,
                format!(
                    "{}cd: can't cd to {target}: Not a directory\n",
                    self.err_prefix()
                ),
            ),
            None => CmdOut::fail(
                2,
                format!(
                    "{}cd: can't cd to {target}: No such file or directory\n",
                    self.err_prefix()
                ),
            ),
        }
    }

    /// Stderr: inside `$(...)` it is not captured but passed to the enclosing shell's output.
    fn emit_err(&mut self, sys: &mut Sys, t: &Target, text: &str) {
        if self.sync && *t == Target::Inherit && self.group_redirs.is_empty() {
            self.err_buf.push_str(text);
        } else {
            self.emit(sys, t, text);
        }
    }

    /// Write to a target; `Inherit` goes through the enclosing group redirect or to the process.
    fn emit(&mut self, sys: &mut Sys, t: &Target, text: &str) {
        if text.is_empty() {
            return;
        }
        let t = match t {
            Target::Inherit => self
                .group_redirs
                .last()
                .map(|(o, _)| o.clone())
                .unwrap_or(Target::Inherit),
            other => other.clone(),
        };
        match t {
            Target::Inherit => self.out.push_str(text),
            Target::Null => {}
            Target::File { path, append } => {
                if let Err(e) = sys.files().write(&path, text, append) {
                    let p = self.err_prefix();
                    self.out
                        .push_str(&format!("{p}can't create {path}: {}\n", e.strerror()));
                }
            }
        }
    }

    /// Resolve redirections to (stdout, stderr, stdin). Files named by `>` are created at once.
    fn resolve_redirs(
        &mut self,
        rs: &[Redir],
        sys: &mut Sys,
        pid: u32,
    ) -> (Target, Target, Option<String>) {
        let mut out = Target::Inherit;
        let mut err = self
            .group_redirs
            .last()
            .map(|(_, e)| e.clone())
            .unwrap_or(Target::Inherit);
        if err == Target::Inherit && self.group_redirs.last().is_some() {
            err = Target::Inherit;
        }
        let mut input = None;
        for r in rs {
            match r {
                Redir::Out { fd, target, append } => {
                    let path = self.expand_joined(target, sys, pid);
                    let t = self.open(&path, *append, sys);
                    if *fd == 2 {
                        err = t;
                    } else {
                        out = t;
                    }
                }
                Redir::Both { target, append } => {
                    let path = self.expand_joined(target, sys, pid);
                    let t = self.open(&path, *append, sys);
                    out = t.clone();
                    err = t;
                }
                Redir::Dup { fd, to } => {
                    let src = if *to == 1 { out.clone() } else { err.clone() };
                    // After a redirect to a file, further writes append to it.
                    let src = match src {
                        Target::File { path, .. } => Target::File { path, append: true },
                        o => o,
                    };
                    if *fd == 2 {
                        err = src;
                    } else {
                        out = src;
                    }
                }
                Redir::In { source } => {
                    let path = self.expand_joined(source, sys, pid);
                    let abs = fs::normalize(&self.cwd, &path);
                    match sys.files().read(&abs) {
                        Ok(d) => input = Some(d),
                        Err(e) => {
                            let p = self.err_prefix();
                            self.out
                                .push_str(&format!("{p}can't open {path}: {}\n", e.strerror()));
                            input = Some(String::new());
                        }
                    }
                }
            }
        }
        (out, err, input)
    }

    fn open(&mut self, path: &str, append: bool, sys: &mut Sys) -> Target {
        match path {
            "/dev/null" => Target::Null,
            "/dev/stdout" | "/proc/self/fd/1" | "/dev/stderr" | "/proc/self/fd/2"
            | "/proc/1/fd/1" | "/proc/1/fd/2" => Target::Inherit,
            _ => {
                let abs = fs::normalize(&self.cwd, path);
                // `>` truncates now, `>>` creates if missing; later writes append.
                match sys.files().write(&abs, "", append) {
                    Ok(()) => Target::File {
                        path: abs,
                        append: true,
                    },
                    Err(e) => {
                        let p = self.err_prefix();
                        self.out
                            .push_str(&format!("{p}can't create {path}: {}\n", e.strerror()));
                        self.redir_failed = true;
                        Target::Null
                    }
                }
            }
        }
    }

    fn expand_words(&mut self, words: &[Word], sys: &mut Sys, pid: u32) -> Vec<String> {
        let mut out = Vec::new();
        for w in words {
            out.extend(self.expand(w, sys, pid));
        }
        out
    }

    fn expand_joined(&mut self, w: &Word, sys: &mut Sys, pid: u32) -> String {
        let mut s = String::new();
        for p in w {
            match p {
                Part::Lit { text, .. } => s.push_str(text),
                other => s.push_str(&self.part_value(other, sys, pid)),
            }
        }
        s
    }

    fn var(&self, name: &str, pid: u32) -> Option<String> {
        Some(match name {
            "?" => self.status.to_string(),
            "$" => pid.to_string(),
            "!" => return self.last_bg.map(|p| p.to_string()),
            "#" => self.args.len().saturating_sub(1).to_string(),
            "@" | "*" => self
                .args
                .iter()
                .skip(1)
                .cloned()
                .collect::<Vec<_>>()
                .join(" "),
            n if n.chars().all(|c| c.is_ascii_digit()) => {
                let i: usize = n.parse().ok()?;
                return self.args.get(i).cloned();
            }
            n => return self.vars.get(n).cloned(),
        })
    }

    fn part_value(&mut self, p: &Part, sys: &mut Sys, pid: u32) -> String {
        match p {
            Part::Lit { text, .. } => text.clone(),
            Part::Var { name, default, .. } => match self.var(name, pid) {
                Some(v) if !v.is_empty() => v,
                _ => match default {
                    Some(d) => self.expand_joined(&d.clone(), sys, pid),
                    None => String::new(),
                },
            },
            Part::Arith { expr, .. } => {
                // Expand `$x` inside first, then evaluate.
                let mut vars = self.vars.clone();
                vars.insert("?".into(), self.status.to_string());
                match arith::eval(expr, &vars) {
                    Ok(v) => v.to_string(),
                    Err(e) => {
                        let p = self.err_prefix();
                        self.out.push_str(&format!("{p}{e}\n"));
                        String::new()
                    }
                }
            }
            Part::Sub { code, .. } => self.command_sub(code.clone(), sys, pid),
        }
    }

    /// `$(...)`: run to completion in a copy of this shell and capture stdout (trailing
    /// newlines removed). Sleeps inside are skipped: a documented approximation.
    fn command_sub(&mut self, code: Arc<Code>, sys: &mut Sys, pid: u32) -> String {
        if self.sub_depth >= MAX_SUB_DEPTH {
            return String::new();
        }
        let mut sub = self.clone();
        sub.frames = vec![Frame {
            code,
            pc: 0,
            fors: Vec::new(),
            trap: false,
            saved_status: 0,
            redir_depth: 0,
        }];
        sub.out = String::new();
        sub.exit = None;
        sub.block = Block::None;
        sub.pending.clear();
        sub.group_redirs.clear();
        sub.sub_depth += 1;
        sub.sync = true;
        sub.err_buf = String::new();
        for _ in 0..64 {
            match sub.run(sys, pid) {
                Step::Exit(e) => {
                    self.status = e.code;
                    break;
                }
                Step::Wait(_) | Step::Become(..) => {
                    sub.block = Block::None;
                    if sub.frames.is_empty() {
                        self.status = sub.status;
                        break;
                    }
                }
            }
        }
        self.out.push_str(&sub.err_buf);
        let mut s = std::mem::take(&mut sub.out);
        while s.ends_with('\n') {
            s.pop();
        }
        s
    }

    /// Expand one word into fields: variables, substitutions, field splitting, globbing.
    fn expand(&mut self, w: &Word, sys: &mut Sys, pid: u32) -> Vec<String> {
        let mut fields: Vec<String> = Vec::new();
        let mut cur = String::new();
        let mut has = false;
        let mut glob = false;
        for p in w {
            match p {
                Part::Lit { text, quoted } => {
                    if !quoted && (text.contains('*') || text.contains('?')) {
                        glob = true;
                    }
                    cur.push_str(text);
                    has = true;
                }
                Part::Var { quoted: true, .. }
                | Part::Sub { quoted: true, .. }
                | Part::Arith { quoted: true, .. } => {
                    if matches!(p, Part::Var { name, .. } if name == "@") {
                        // "$@": one field per positional parameter.
                        let items: Vec<String> = self.args.iter().skip(1).cloned().collect();
                        let n = items.len();
                        for (i, it) in items.into_iter().enumerate() {
                            cur.push_str(&it);
                            if i + 1 < n {
                                fields.push(std::mem::take(&mut cur));
                            }
                        }
                        has = n > 0 || has;
                        continue;
                    }
                    let v = self.part_value(p, sys, pid);
                    cur.push_str(&v);
                    has = true;
                }
                _ => {
                    let v = self.part_value(p, sys, pid);
                    let starts_ws = v.starts_with(|c: char| c.is_whitespace());
                    let ends_ws = v.ends_with(|c: char| c.is_whitespace());
                    let pieces: Vec<&str> = v.split_whitespace().collect();
                    if pieces.is_empty() {
                        if starts_ws && has {
                            fields.push(std::mem::take(&mut cur));
                            has = false;
                        }
                        continue;
                    }
                    if starts_ws && has {
                        fields.push(std::mem::take(&mut cur));
                    }
                    let n = pieces.len();
                    for (i, piece) in pieces.into_iter().enumerate() {
                        cur.push_str(piece);
                        if i + 1 < n {
                            fields.push(std::mem::take(&mut cur));
                        }
                    }
                    has = true;
                    if ends_ws {
                        fields.push(std::mem::take(&mut cur));
                        has = false;
                    }
                }
            }
        }
        if has {
            fields.push(cur);
        }
        if glob {
            let mut out = Vec::new();
            for f in fields {
                out.extend(self.glob(&f, sys));
            }
            return out;
        }
        fields
    }

    /// Pathname expansion of `*` and `?` in the last path component; no match keeps the word.
    fn glob(&self, pattern: &str, sys: &mut Sys) -> Vec<String> {
        let (dir, pat) = match pattern.rfind('/') {
            Some(i) => (&pattern[..=i], &pattern[i + 1..]),
            None => ("", pattern),
        };
        if dir.contains('*') || dir.contains('?') {
            return vec![pattern.to_string()];
        }
        let abs = fs::normalize(&self.cwd, if dir.is_empty() { "." } else { dir });
        let names = sys.files().list(&abs).unwrap_or_default();
        let mut hits: Vec<String> = names
            .into_iter()
            .filter(|n| (!n.starts_with('.') || pat.starts_with('.')) && glob_match(pat, n))
            .map(|n| format!("{dir}{n}"))
            .collect();
        if hits.is_empty() {
            return vec![pattern.to_string()];
        }
        hits.sort();
        hits
    }
}

pub(crate) fn glob_match(pat: &str, s: &str) -> bool {
    let p: Vec<char> = pat.chars().collect();
    let t: Vec<char> = s.chars().collect();
    fn go(p: &[char], t: &[char]) -> bool {
        match p.first() {
            None => t.is_empty(),
            Some('*') => (0..=t.len()).any(|i| go(&p[1..], &t[i..])),
            Some('?') => !t.is_empty() && go(&p[1..], &t[1..]),
            Some(c) => t.first() == Some(c) && go(&p[1..], &t[1..]),
        }
    }
    go(&p, &t)
}
