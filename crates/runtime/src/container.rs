//! One container instance: a fresh file tree from its image, its processes, its log.
//! Restarting a container means making a new `Container`: files come back from the image
//! (a `mv index.html index.htm` is undone), while the pod's volumes are kept.

use std::collections::BTreeMap;

use podplay_api::time::Millis;

use crate::cmds::{self, CmdOut, Ctx, Lookup, Then};
use crate::daemons;
use crate::fs::{self, MountPoint, Node, Tree};
use crate::image::Image;
use crate::net::{ip_string, HttpRequest, HttpResponse, Ip, NoWorld, World};
use crate::pod::PodEnv;
use crate::process::{Body, Effect, Ended, Proc, SigEffect, Sink, Step, Sys};
use crate::signal::Signal;

/// What the kubelet asks the runtime to run (from the pod spec, after defaulting).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Launch {
    pub name: String,
    pub command: Vec<String>,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub working_dir: Option<String>,
    pub ports: Vec<u16>,
    pub mounts: Vec<Mount>,
    pub memory_limit: Option<u64>,
    pub cpu_limit_millis: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mount {
    pub volume: String,
    pub mount_path: String,
    pub read_only: bool,
    pub sub_path: Option<String>,
}

/// How PID 1 ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exit {
    pub code: i32,
    /// `Completed` (0), `Error` (non-zero), `OOMKilled`.
    pub reason: &'static str,
    pub signal: Option<Signal>,
    pub at: Millis,
}

/// The runtime's start failure: exit 128, reason `StartError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartError {
    pub exit_code: i32,
    pub reason: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ExecId(pub u64);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecResult {
    pub exit_code: i32,
    /// Combined stdout+stderr, as CRI ExecSync gives it.
    pub output: String,
}

/// One line a container's main process wrote (what `kubectl logs` shows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    pub t: Millis,
    text: LogText,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum LogText {
    Plain(String),
    /// nginx's access log line, formatted on reading: client, time and the shared request part.
    Access {
        from: Ip,
        line: std::rc::Rc<AccessLine>,
    },
}

/// The parts of an nginx access-log line that repeat from request to request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessLine {
    pub(crate) request_line: String,
    pub(crate) status: u16,
    pub(crate) sent: usize,
    pub(crate) user_agent: String,
}

impl AccessLine {
    fn format(&self, from: Ip, t: Millis) -> String {
        format!(
            "{} - - [{}] \"{}\" {} {} \"-\" \"{}\" \"-\"",
            ip_string(from),
            podplay_api::time::DateTime::at(t).clf(),
            self.request_line,
            self.status,
            self.sent,
            self.user_agent
        )
    }
}

impl LogLine {
    pub fn new(t: Millis, text: impl Into<String>) -> LogLine {
        LogLine {
            t,
            text: LogText::Plain(text.into()),
        }
    }

    /// The line as the program wrote it.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match &self.text {
            LogText::Plain(s) => std::borrow::Cow::Borrowed(s),
            LogText::Access { from, line } => std::borrow::Cow::Owned(line.format(*from, self.t)),
        }
    }
}

/// The last HTTP request a daemon of this container answered, while nothing has changed since:
/// the same request gets the same answer, so a probe can be answered from memory.
#[derive(Debug, Clone)]
struct HttpMemo {
    /// Where the request lived: a caller that reuses one request object (the kubelet's probe
    /// workers do) is recognised without comparing its fields. Only compared, never followed.
    req_addr: usize,
    port: u16,
    from: Ip,
    method: String,
    path: String,
    host: String,
    user_agent: String,
    gen: u64,
    pod_gen: u64,
    pid: u32,
    status: u16,
    access: std::rc::Rc<AccessLine>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    pub cpu_millis: u64,
    pub memory_bytes: u64,
}

#[derive(Debug, Clone)]
struct ExecState {
    pid: Option<u32>,
    output: String,
    result: Option<ExecResult>,
}

/// Keep logs bounded: a script that prints in a tight loop must not eat the browser's memory.
const MAX_LOG_LINES: usize = 5_000;
/// Scheduling passes per `advance`: processes waking each other cannot spin forever.
const MAX_PASSES: usize = 200;

#[derive(Debug, Clone)]
pub struct Container {
    image: Image,
    launch: Launch,
    root: Tree,
    mounts: Vec<MountPoint>,
    procs: BTreeMap<u32, Proc>,
    next_pid: u32,
    logs: Vec<LogLine>,
    main_exit: Option<Exit>,
    execs: BTreeMap<u64, ExecState>,
    next_exec: u64,
    load_rps: u32,
    served: u64,
    /// Bumped whenever anything runs in this container (see `HttpMemo`).
    gen: u64,
    memo: Option<HttpMemo>,
    access: Option<AccessLine>,
    effects: Vec<Effect>,
}

fn oci_exec_error(argv0: &str, lookup: &Lookup) -> String {
    match lookup {
        Lookup::Denied { path } => format!("exec: \"{argv0}\": stat {path}: permission denied"),
        _ if argv0.contains('/') => {
            format!("exec: \"{argv0}\": stat {argv0}: no such file or directory")
        }
        _ => format!("exec: \"{argv0}\": executable file not found in $PATH"),
    }
}

impl Container {
    pub fn new(image: &Image, launch: Launch) -> Container {
        let mut root = Tree::new();
        for d in [
            "/tmp", "/root", "/etc", "/var/run", "/run", "/dev", "/proc", "/home",
        ] {
            root.mkdir_all(d);
        }
        for (path, node) in &image.def.files {
            root.put_node(path, node.clone());
        }
        let mounts = launch
            .mounts
            .iter()
            .map(|m| MountPoint {
                path: fs::normalize("/", &m.mount_path),
                volume: m.volume.clone(),
                sub_path: m.sub_path.clone(),
                read_only: m.read_only,
            })
            .collect();
        Container {
            image: image.clone(),
            launch,
            root,
            mounts,
            procs: BTreeMap::new(),
            next_pid: 1,
            logs: Vec::new(),
            main_exit: None,
            execs: BTreeMap::new(),
            next_exec: 1,
            load_rps: 0,
            served: 0,
            gen: 0,
            memo: None,
            access: None,
            effects: Vec::new(),
        }
    }

    pub fn image(&self) -> &Image {
        &self.image
    }

    pub fn name(&self) -> &str {
        &self.launch.name
    }

    /// The environment PID 1 gets: image ENV, then the pod spec's env, as containerd merges them.
    fn env(&self, pod: &PodEnv) -> Vec<(String, String)> {
        let mut m: BTreeMap<String, String> = BTreeMap::new();
        for (k, v) in &self.image.def.env {
            m.insert(k.clone(), v.clone());
        }
        m.insert("HOSTNAME".into(), pod.hostname.clone());
        m.insert("HOME".into(), "/root".into());
        for (k, v) in &self.launch.env {
            m.insert(k.clone(), v.clone());
        }
        m.into_iter().collect()
    }

    /// Files the kubelet and runtime put into every container.
    fn write_pod_files(&mut self, pod: &PodEnv) {
        self.root
            .put_file("/etc/hostname", &format!("{}\n", pod.hostname), false);
        self.root.put_file(
            "/etc/hosts",
            &format!("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n{}\t{}\n", ip_string(pod.ip), pod.hostname),
            false,
        );
        self.root.put_file(
            "/etc/resolv.conf",
            &format!("search {0}.svc.cluster.local svc.cluster.local cluster.local\nnameserver {1}\noptions ndots:5\n", pod.namespace, ip_string(pod.dns_server)),
            false,
        );
        let sa = "/var/run/secrets/kubernetes.io/serviceaccount";
        self.root
            .put_file(&format!("{sa}/namespace"), &pod.namespace, false);
        self.root.put_file(&format!("{sa}/token"), "eyJhbGciOiJSUzI1NiIsImtpZCI6InBvZHBsYXkifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZGVmYXVsdDpkZWZhdWx0In0.c2lnbmF0dXJl", false);
        self.root.put_file(&format!("{sa}/ca.crt"), "-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIBADAKBggqhkjOPQQDAjAjMSEwHwYDVQQDDBhrM3Mtc2Vy\n-----END CERTIFICATE-----\n", false);
        for m in self.mounts.clone() {
            // The runtime creates mount points; a subPath of a file mounts a file.
            let is_file = pod.volumes.get(&m.volume).is_some_and(|v| {
                let inner = fs::normalize("/", m.sub_path.as_deref().unwrap_or("/"));
                matches!(v.files.tree.get(&inner), Some(Node::File { .. }))
            });
            if is_file {
                self.root.mkdir_all(fs::parent(&m.path));
            } else {
                self.root.mkdir_all(&m.path);
            }
        }
    }

    /// Run `f` with a `Sys` over this container (the process being run is not in `procs`).
    fn with_sys<R>(
        &mut self,
        pod: &mut PodEnv,
        world: &mut dyn World,
        now: Millis,
        sink: Sink,
        f: impl FnOnce(&mut Sys) -> R,
    ) -> R {
        self.gen += 1;
        pod.gen += 1;
        let mut sys = Sys {
            root: &mut self.root,
            mounts: &self.mounts,
            pod,
            world,
            now,
            procs: &mut self.procs,
            next_pid: &mut self.next_pid,
            image: &self.image,
            container: &self.launch.name,
            declared_ports: &self.launch.ports,
            effects: &mut self.effects,
            served: &mut self.served,
            sink,
            access: &mut self.access,
        };
        f(&mut sys)
    }

    /// Look a program up and run its command line once: the first step of a new process.
    fn launch_argv(sys: &mut Sys, ctx: &mut Ctx, argv: &[String]) -> Result<CmdOut, Lookup> {
        let Some(first) = argv.first() else {
            return Err(Lookup::NotFound);
        };
        let path_var = ctx
            .vars
            .get("PATH")
            .cloned()
            .unwrap_or_else(|| cmds::DEFAULT_PATH.to_string());
        match cmds::lookup(sys, &ctx.cwd, &path_var, first) {
            Lookup::Program { program, .. } => Ok(cmds::run_program(&program, sys, ctx, argv)),
            Lookup::Script { path } => {
                let src = sys.files().read(&path).unwrap_or_default();
                let shell =
                    crate::shell::Shell::new("sh", &src, argv.to_vec(), &ctx.env(), &ctx.cwd);
                Ok(CmdOut::then(Then::Become(Body::Shell(Box::new(shell)))))
            }
            other => Err(other),
        }
    }

    fn ctx(&self, pod: &PodEnv, pid: u32) -> Ctx {
        let env = self.env(pod);
        let cwd = fs::normalize(
            "/",
            self.launch
                .working_dir
                .as_deref()
                .unwrap_or(&self.image.def.workdir),
        );
        Ctx {
            cwd,
            vars: env.iter().cloned().collect(),
            exported: env.iter().map(|(k, _)| k.clone()).collect(),
            pid,
            shell: "sh".into(),
            stdin: String::new(),
            in_shell: false,
        }
    }

    /// Start PID 1: the image's ENTRYPOINT/CMD, overridden by `command`/`args` as Kubernetes does.
    pub fn start(
        &mut self,
        env: &mut PodEnv,
        world: &mut dyn World,
        now: Millis,
    ) -> Result<(), StartError> {
        self.write_pod_files(env);
        let argv: Vec<String> = if !self.launch.command.is_empty() {
            self.launch
                .command
                .iter()
                .chain(self.launch.args.iter())
                .cloned()
                .collect()
        } else if !self.launch.args.is_empty() {
            self.image
                .def
                .entrypoint
                .iter()
                .chain(self.launch.args.iter())
                .cloned()
                .collect()
        } else {
            self.image
                .def
                .entrypoint
                .iter()
                .chain(self.image.def.cmd.iter())
                .cloned()
                .collect()
        };
        let mut ctx = self.ctx(env, 1);
        let _ = self
            .root
            .get(&ctx.cwd)
            .is_none()
            .then(|| self.root.mkdir_all(&ctx.cwd.clone()));
        self.next_pid = 2;
        let r = self.with_sys(env, world, now, Sink::Log, |sys| {
            Self::launch_argv(sys, &mut ctx, &argv)
        });
        let r = match r {
            Ok(r) => r,
            Err(lookup) => {
                let argv0 = argv.first().cloned().unwrap_or_default();
                return Err(StartError {
                    exit_code: 128,
                    reason: "StartError",
                    message: format!(
                        "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: {}: unknown",
                        oci_exec_error(&argv0, &lookup)
                    ),
                });
            }
        };
        self.log(now, &r.out);
        self.log(now, &r.err);
        let body = match r.then {
            Then::Done => {
                self.end_main(Ended::code(r.status), now, env);
                return Ok(());
            }
            Then::Daemonize(b) => {
                // The forked daemon outlives nothing: PID 1 exits and the container stops.
                let _ = b;
                self.end_main(Ended::code(0), now, env);
                return Ok(());
            }
            Then::Sleep(d) => Body::Sleep {
                until: d.map(|d| now + d),
            },
            Then::Become(b) => b,
        };
        self.procs.insert(
            1,
            Proc {
                pid: 1,
                ppid: 0,
                argv,
                body,
                sink: Sink::Log,
                wake: Some(now),
                started: now,
                out: String::new(),
            },
        );
        self.advance(env, world, now);
        Ok(())
    }

    fn log(&mut self, now: Millis, text: &str) {
        if text.is_empty() {
            return;
        }
        let text = text.strip_suffix('\n').unwrap_or(text);
        for line in text.split('\n') {
            self.logs.push(LogLine::new(now, line));
        }
        self.trim_logs();
    }

    /// Keeps the newest MAX_LOG_LINES, trimming in batches so each line costs O(1).
    fn trim_logs(&mut self) {
        if self.logs.len() > MAX_LOG_LINES + MAX_LOG_LINES / 4 {
            let drop = self.logs.len() - MAX_LOG_LINES;
            self.logs.drain(..drop);
        }
    }

    fn drain(&mut self, sink: Sink, text: String, now: Millis) {
        if text.is_empty() {
            return;
        }
        match sink {
            Sink::Log => self.log(now, &text),
            Sink::Exec(id) => {
                if let Some(e) = self.execs.get_mut(&id) {
                    e.output.push_str(&text);
                }
            }
        }
    }

    /// Run every process whose wake time is <= now until each blocks again.
    pub fn advance(&mut self, env: &mut PodEnv, world: &mut dyn World, now: Millis) {
        for _ in 0..MAX_PASSES {
            self.apply_effects(env, world, now);
            let ready: Vec<u32> = self
                .procs
                .values()
                .filter(|p| p.wake.is_some_and(|w| w <= now))
                .map(|p| p.pid)
                .collect();
            if ready.is_empty() {
                break;
            }
            for pid in ready {
                self.run_proc(pid, env, world, now);
                self.apply_effects(env, world, now);
            }
        }
        self.check_memory(env, now);
    }

    fn run_proc(&mut self, pid: u32, env: &mut PodEnv, world: &mut dyn World, now: Millis) {
        let Some(mut p) = self.procs.remove(&pid) else {
            return;
        };
        let sink = p.sink;
        let step = self.with_sys(env, world, now, sink, |sys| match &mut p.body {
            Body::Shell(sh) => {
                let s = sh.run(sys, pid);
                p.out.push_str(&std::mem::take(&mut sh.out));
                s
            }
            Body::Sleep { until: Some(t) } if *t <= now => Step::Exit(Ended::code(0)),
            Body::Sleep { until } => Step::Wait(*until),
            Body::Daemon(d) => d.run(sys, pid, &mut p.out),
        });
        let out = std::mem::take(&mut p.out);
        self.drain(sink, out, now);
        match step {
            Step::Wait(t) => {
                p.wake = t;
                self.procs.insert(pid, p);
            }
            Step::Become(body, argv) => {
                p.body = body;
                p.argv = argv;
                p.wake = Some(now);
                self.procs.insert(pid, p);
            }
            Step::Exit(e) => self.finish(p, e, env, now),
        }
    }

    fn finish(&mut self, p: Proc, e: Ended, env: &mut PodEnv, now: Millis) {
        env.release_pid(&self.launch.name, p.pid);
        if let Sink::Exec(id) = p.sink {
            if let Some(st) = self.execs.get_mut(&id) {
                if st.pid == Some(p.pid) {
                    st.result = Some(ExecResult {
                        exit_code: e.code,
                        output: st.output.clone(),
                    });
                    st.pid = None;
                }
            }
        }
        if let Some(parent) = self.procs.get_mut(&p.ppid) {
            if let Body::Shell(sh) = &mut parent.body {
                sh.child_exited(p.pid, e);
                parent.wake = Some(now);
            }
        }
        if p.pid == 1 {
            self.end_main(e, now, env);
        }
    }

    /// PID 1 is gone: the kernel kills every other process of the container.
    fn end_main(&mut self, e: Ended, now: Millis, env: &mut PodEnv) {
        if self.main_exit.is_some() {
            return;
        }
        let reason = if e.code == 0 { "Completed" } else { "Error" };
        self.main_exit = Some(Exit {
            code: e.code,
            reason,
            signal: e.signal,
            at: now,
        });
        self.kill_all(env);
    }

    fn kill_all(&mut self, env: &mut PodEnv) {
        for (_, p) in std::mem::take(&mut self.procs) {
            if let Sink::Exec(id) = p.sink {
                if let Some(st) = self.execs.get_mut(&id) {
                    if st.pid == Some(p.pid) {
                        st.result = Some(ExecResult {
                            exit_code: 137,
                            output: st.output.clone(),
                        });
                        st.pid = None;
                    }
                }
            }
        }
        env.release_container(&self.launch.name);
    }

    fn apply_effects(&mut self, env: &mut PodEnv, world: &mut dyn World, now: Millis) {
        let mut guard = 0;
        while !self.effects.is_empty() && guard < 1000 {
            guard += 1;
            let Effect::Signal { pid, sig } = self.effects.remove(0);
            self.deliver(pid, sig, env, world, now);
        }
    }

    fn deliver(
        &mut self,
        pid: u32,
        sig: Signal,
        env: &mut PodEnv,
        world: &mut dyn World,
        now: Millis,
    ) {
        let Some(mut p) = self.procs.remove(&pid) else {
            return;
        };
        let sink = p.sink;
        let effect = self.with_sys(env, world, now, sink, |sys| match &mut p.body {
            Body::Shell(sh) => sh.signal(sig, pid == 1),
            Body::Sleep { .. } if sig == Signal::Kill => SigEffect::Dies(Ended::by(sig)),
            Body::Sleep { .. } if pid == 1 => SigEffect::Ignored,
            Body::Sleep { .. } => SigEffect::Dies(Ended::by(sig)),
            Body::Daemon(d) => d.signal(sig, pid, sys, &mut p.out),
        });
        let out = std::mem::take(&mut p.out);
        self.drain(sink, out, now);
        match effect {
            SigEffect::Ignored => {
                self.procs.insert(pid, p);
            }
            SigEffect::Handled => {
                p.wake = Some(now);
                self.procs.insert(pid, p);
            }
            SigEffect::Dies(e) => self.finish(p, e, env, now),
        }
    }

    fn check_memory(&mut self, env: &mut PodEnv, now: Millis) {
        let Some(limit) = self.launch.memory_limit else {
            return;
        };
        if self.main_exit.is_some() {
            return;
        }
        if self.usage(now).memory_bytes > limit {
            self.main_exit = Some(Exit {
                code: 137,
                reason: "OOMKilled",
                signal: Some(Signal::Kill),
                at: now,
            });
            self.kill_all(env);
        }
    }

    /// Earliest timer of any process; None = nothing timed.
    pub fn next_wake(&self) -> Option<Millis> {
        self.procs.values().filter_map(|p| p.wake).min()
    }

    pub fn main_exit(&self) -> Option<Exit> {
        self.main_exit.clone()
    }

    pub fn is_running(&self) -> bool {
        self.main_exit.is_none() && self.procs.contains_key(&1)
    }

    /// Spawn a process (kubectl exec, exec probe, exec hook). Runs at once until it blocks or exits.
    pub fn exec(
        &mut self,
        argv: &[String],
        env: &mut PodEnv,
        world: &mut dyn World,
        now: Millis,
    ) -> ExecId {
        let id = self.next_exec;
        self.next_exec += 1;
        self.execs.insert(
            id,
            ExecState {
                pid: None,
                output: String::new(),
                result: None,
            },
        );
        if !self.is_running() {
            self.execs.insert(id, ExecState { pid: None, output: String::new(), result: Some(ExecResult { exit_code: 126, output: "OCI runtime exec failed: exec failed: cannot exec in a stopped container: unknown\r\n".into() }) });
            return ExecId(id);
        }
        let pid = self.next_pid;
        let mut ctx = self.ctx(env, pid);
        self.next_pid += 1;
        let r = self.with_sys(env, world, now, Sink::Exec(id), |sys| {
            Self::launch_argv(sys, &mut ctx, argv)
        });
        let r = match r {
            Ok(r) => r,
            Err(lookup) => {
                let argv0 = argv.first().cloned().unwrap_or_default();
                let output = format!("OCI runtime exec failed: exec failed: unable to start container process: {}: unknown\r\n", oci_exec_error(&argv0, &lookup));
                self.execs.insert(
                    id,
                    ExecState {
                        pid: None,
                        output: String::new(),
                        result: Some(ExecResult {
                            exit_code: 126,
                            output,
                        }),
                    },
                );
                return ExecId(id);
            }
        };
        let mut output = r.out.clone();
        output.push_str(&r.err);
        let body = match r.then {
            Then::Done => {
                self.execs.insert(
                    id,
                    ExecState {
                        pid: None,
                        output: output.clone(),
                        result: Some(ExecResult {
                            exit_code: r.status,
                            output,
                        }),
                    },
                );
                self.apply_effects(env, world, now);
                self.advance(env, world, now);
                return ExecId(id);
            }
            Then::Daemonize(b) => {
                let dpid = self.next_pid;
                self.next_pid += 1;
                self.procs.insert(
                    dpid,
                    Proc {
                        pid: dpid,
                        ppid: 1,
                        argv: argv.to_vec(),
                        body: b,
                        sink: Sink::Log,
                        wake: Some(now),
                        started: now,
                        out: String::new(),
                    },
                );
                self.execs.insert(
                    id,
                    ExecState {
                        pid: None,
                        output: output.clone(),
                        result: Some(ExecResult {
                            exit_code: 0,
                            output,
                        }),
                    },
                );
                self.advance(env, world, now);
                return ExecId(id);
            }
            Then::Sleep(d) => Body::Sleep {
                until: d.map(|d| now + d),
            },
            Then::Become(b) => b,
        };
        self.execs.insert(
            id,
            ExecState {
                pid: Some(pid),
                output,
                result: None,
            },
        );
        self.procs.insert(
            pid,
            Proc {
                pid,
                ppid: 0,
                argv: argv.to_vec(),
                body,
                sink: Sink::Exec(id),
                wake: Some(now),
                started: now,
                out: String::new(),
            },
        );
        self.advance(env, world, now);
        ExecId(id)
    }

    /// None while the exec'd process still runs.
    pub fn exec_result(&self, id: ExecId) -> Option<ExecResult> {
        self.execs.get(&id.0).and_then(|e| e.result.clone())
    }

    /// Output so far of a running exec (for an interactive console).
    pub fn exec_output(&self, id: ExecId) -> Option<&str> {
        self.execs.get(&id.0).map(|e| e.output.as_str())
    }

    /// Kill an exec'd process (a probe timed out). Its result becomes exit 137.
    pub fn kill_exec(&mut self, id: ExecId) {
        let Some(st) = self.execs.get_mut(&id.0) else {
            return;
        };
        if let Some(pid) = st.pid.take() {
            self.procs.remove(&pid);
            // Children it started die with it.
            let orphans: Vec<u32> = self
                .procs
                .values()
                .filter(|p| p.sink == Sink::Exec(id.0))
                .map(|p| p.pid)
                .collect();
            for o in orphans {
                self.procs.remove(&o);
            }
            st.result = Some(ExecResult {
                exit_code: 137,
                output: st.output.clone(),
            });
        }
    }

    /// Send a signal to PID 1 (the runtime's StopContainer sends the stop signal, then SIGKILL).
    pub fn signal(&mut self, sig: Signal, env: &mut PodEnv, world: &mut dyn World, now: Millis) {
        if !self.procs.contains_key(&1) {
            return;
        }
        self.deliver(1, sig, env, world, now);
        self.advance(env, world, now);
    }

    /// Serve an HTTP request on `port` if a process of this container listens there; the client
    /// is taken to be the node (the pod network's gateway `x.y.z.1`), as for kubelet probes.
    pub fn serve_http(
        &mut self,
        port: u16,
        req: &HttpRequest,
        env: &mut PodEnv,
        now: Millis,
    ) -> Option<HttpResponse> {
        let gw = [env.ip[0], env.ip[1], env.ip[2], 1];
        self.serve_http_from(port, req, gw, env, now)
    }

    /// As `serve_http`, with the client's IP (for access logs and echo endpoints).
    /// Returns None when nothing listens on `port` or the listener does not speak HTTP
    /// (`listens_on` tells the two apart).
    pub fn serve_http_from(
        &mut self,
        port: u16,
        req: &HttpRequest,
        from: Ip,
        env: &mut PodEnv,
        now: Millis,
    ) -> Option<HttpResponse> {
        let pid = self
            .procs
            .values()
            .find(|p| matches!(&p.body, Body::Daemon(d) if d.bound.contains(&port)))?
            .pid;
        let mut p = self.procs.remove(&pid)?;
        let sink = p.sink;
        let mut world = NoWorld;
        self.access = None;
        let r = self.with_sys(env, &mut world, now, sink, |sys| {
            daemons::serve_proc(&mut p, port, req, from, sys)
        });
        let out = std::mem::take(&mut p.out);
        self.procs.insert(pid, p);
        let quiet = out.is_empty();
        self.drain(sink, out, now);
        self.memo = None;
        if let Some(line) = self.access.take().map(std::rc::Rc::new) {
            self.write_access(sink, from, std::rc::Rc::clone(&line), now);
            // Only a request that wrote nothing but its access line can be replayed.
            if let (true, Some(resp)) = (quiet && sink == Sink::Log, &r) {
                self.memo = Some(HttpMemo {
                    req_addr: req as *const HttpRequest as usize,
                    port,
                    from,
                    method: req.method.clone(),
                    path: req.path.clone(),
                    host: req.host.clone(),
                    user_agent: req.user_agent.clone(),
                    gen: self.gen,
                    pod_gen: env.gen,
                    pid,
                    status: resp.status,
                    access: line,
                });
            }
        }
        r
    }

    fn write_access(&mut self, sink: Sink, from: Ip, line: std::rc::Rc<AccessLine>, now: Millis) {
        match sink {
            Sink::Log => {
                self.logs.push(LogLine {
                    t: now,
                    text: LogText::Access { from, line },
                });
                self.trim_logs();
            }
            Sink::Exec(_) => {
                let text = format!("{}\n", line.format(from, now));
                self.drain(sink, text, now);
            }
        }
    }

    /// An HTTP probe: only the status code matters. A request exactly like the last one, with
    /// nothing run in the container or pod since, gets the same answer and the same side effects
    /// (connection count, access-log line) without being served again.
    pub fn probe_http(
        &mut self,
        port: u16,
        req: &HttpRequest,
        from: Ip,
        env: &mut PodEnv,
        now: Millis,
    ) -> Option<u16> {
        if let Some(m) = &self.memo {
            let same_object = m.req_addr == req as *const HttpRequest as usize;
            let same = m.port == port
                && m.from == from
                && m.gen == self.gen
                && m.pod_gen == env.gen
                && (same_object || m.method == req.method)
                && (same_object
                    || (m.path == req.path
                        && m.host == req.host
                        && m.user_agent == req.user_agent));
            if same {
                let (pid, status, line) = (m.pid, m.status, std::rc::Rc::clone(&m.access));
                if let Some(Body::Daemon(d)) = self.procs.get_mut(&pid).map(|p| &mut p.body) {
                    d.conns += 1;
                    self.served += 1;
                    self.logs.push(LogLine {
                        t: now,
                        text: LogText::Access { from, line },
                    });
                    self.trim_logs();
                    return Some(status);
                }
            }
        }
        self.serve_http_from(port, req, from, env, now)
            .map(|r| r.status)
    }

    pub fn listens_on(&self, port: u16) -> bool {
        self.procs
            .values()
            .any(|p| matches!(&p.body, Body::Daemon(d) if d.bound.contains(&port)))
    }

    /// stdout+stderr of PID 1 (and what inherits them).
    pub fn logs(&self) -> &[LogLine] {
        &self.logs
    }

    /// Current cpu (millicores) and memory. Memory: image baseline plus what programs allocate.
    pub fn usage(&self, _now: Millis) -> Usage {
        if self.main_exit.is_some() {
            return Usage::default();
        }
        let extra: u64 = self
            .procs
            .values()
            .map(|p| match &p.body {
                Body::Daemon(d) => d.extra_memory,
                Body::Shell(_) => 256 * 1024,
                Body::Sleep { .. } => 64 * 1024,
            })
            .sum();
        let cpu = 1 + u64::from(self.load_rps).saturating_mul(self.image.request_cpu());
        let cpu = match self.launch.cpu_limit_millis {
            Some(l) => cpu.min(l),
            None => cpu,
        };
        Usage {
            cpu_millis: cpu,
            memory_bytes: self.image.baseline_memory() + extra,
        }
    }

    /// Steady request load (requests per second) that drives cpu usage (for `kubectl top`, HPA).
    pub fn add_load(&mut self, rps: u32) {
        self.load_rps = self.load_rps.saturating_add(rps);
    }

    pub fn set_load(&mut self, rps: u32) {
        self.load_rps = rps;
    }

    /// Read a file as the container sees it (for the engine's inspector and tests).
    pub fn read_file(&mut self, path: &str, env: &mut PodEnv) -> Option<String> {
        let files = fs::Files {
            root: &mut self.root,
            mounts: &self.mounts,
            volumes: &mut env.volumes,
        };
        files.read(&fs::normalize("/", path)).ok()
    }
}
