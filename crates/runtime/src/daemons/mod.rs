//! Long-running programs of the catalog's images: nginx, redis, agnhost, envoy, kiada, pause,
//! generic servers. Each binds its ports when it starts, answers requests, and reacts to
//! signals the way the real program does.

use podplay_api::time::{Millis, SECOND};

use crate::cmds::{CmdOut, Ctx, Then};
use crate::net::{ip_string, HttpRequest, HttpResponse, Ip};
use crate::process::{Body, Ended, Proc, SigEffect, Step, Sys};
use crate::signal::Signal;

pub(crate) mod nginx;
mod stamps;

/// Which behaviour a daemon has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    Nginx {
        conf: nginx::Conf,
    },
    Redis {
        port: u16,
    },
    AgnhostLiveness,
    Netexec {
        port: u16,
    },
    AgnhostPause,
    ServeHostname,
    Envoy {
        healthy: bool,
    },
    Kiada,
    GoProxy,
    Pause,
    Mysql,
    Stress {
        bytes: u64,
        wait: bool,
    },
    /// Listens on the image's ports (or the container's declared ones) and answers 200.
    Generic {
        ports: Vec<u16>,
        body: String,
        http: bool,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct Daemon {
    pub kind: Kind,
    pub bound: Vec<u16>,
    started: bool,
    pub start: Millis,
    pub(crate) conns: u64,
    /// Memory this program adds on top of the image baseline.
    pub extra_memory: u64,
    /// nginx: the pid of its current worker process (0 before it started).
    worker: u32,
}

const DAEMONS: &[&str] = &[
    "nginx",
    "nginx-entrypoint",
    "redis-server",
    "agnhost",
    "liveness-server",
    "envoy",
    "kiada",
    "goproxy",
    "pause",
    "generic-server",
    "mysql-entrypoint",
    "stress",
    "httpd-foreground",
    "php-fpm",
    "catalina",
    "redis-entrypoint",
    "generic-entrypoint",
];

pub(crate) fn is_daemon(program: &str) -> bool {
    DAEMONS.contains(&program)
}

fn daemon(kind: Kind) -> Then {
    Then::Become(Body::Daemon(Box::new(Daemon {
        kind,
        bound: Vec::new(),
        started: false,
        start: 0,
        conns: 0,
        extra_memory: 0,
        worker: 0,
    })))
}

fn flag_value(argv: &[String], name: &str) -> Option<String> {
    argv.iter().enumerate().find_map(|(i, a)| {
        if let Some(v) = a.strip_prefix(&format!("{name}=")) {
            Some(v.to_string())
        } else if a == name {
            argv.get(i + 1).cloned()
        } else {
            None
        }
    })
}

/// Run a daemon program's command line: start the server, or a control command (`nginx -s`).
pub(crate) fn command(program: &str, sys: &mut Sys, ctx: &mut Ctx, argv: &[String]) -> CmdOut {
    match program {
        "nginx" => nginx_command(sys, ctx, argv),
        "nginx-entrypoint" => {
            // The official image's /docker-entrypoint.sh: configure, then exec "$@".
            let rest: Vec<String> = argv[1..].to_vec();
            let is_nginx = rest.first().is_some_and(|a| a == "nginx" || a == "nginx-debug");
            let mut log = String::new();
            if is_nginx {
                log.push_str(&entrypoint_lines(sys));
            }
            if rest.is_empty() {
                return CmdOut::ok(log);
            }
            let mut r = crate::cmds::run(sys, ctx, &rest);
            r.out = log + &r.out;
            r
        }
        "redis-entrypoint" | "generic-entrypoint" => {
            // Entrypoint scripts that end in `exec "$@"`.
            let rest: Vec<String> = argv[1..].to_vec();
            if rest.is_empty() {
                return CmdOut::status(0);
            }
            crate::cmds::run(sys, ctx, &rest)
        }
        "redis-server" => {
            let port = flag_value(argv, "--port").and_then(|p| p.parse().ok()).unwrap_or(6379);
            CmdOut::then(daemon(Kind::Redis { port }))
        }
        "agnhost" | "liveness-server" => {
            let sub = if program == "liveness-server" { "liveness" } else { argv.get(1).map(String::as_str).unwrap_or("") };
            match sub {
                "liveness" => CmdOut::then(daemon(Kind::AgnhostLiveness)),
                "netexec" => {
                    let port = flag_value(argv, "--http-port").and_then(|p| p.parse().ok()).unwrap_or(8080);
                    CmdOut::then(daemon(Kind::Netexec { port }))
                }
                "pause" => CmdOut::then(daemon(Kind::AgnhostPause)),
                "serve-hostname" => CmdOut::then(daemon(Kind::ServeHostname)),
                "test-webserver" => CmdOut::then(daemon(Kind::Generic { ports: vec![80], body: "Hello World!".into(), http: true })),
                "" => CmdOut::ok("Usage:\n  agnhost [command]\n\nAvailable Commands:\n  liveness\n  netexec\n  pause\n  serve-hostname\n  test-webserver\n".into()),
                other => CmdOut::fail(1, format!("Error: unknown command \"{other}\" for \"agnhost\"\nRun 'agnhost --help' for usage.\n")),
            }
        }
        "envoy" => CmdOut::then(daemon(Kind::Envoy { healthy: true })),
        "kiada" => CmdOut::then(daemon(Kind::Kiada)),
        "goproxy" => CmdOut::then(daemon(Kind::GoProxy)),
        "pause" => CmdOut::then(daemon(Kind::Pause)),
        "mysql-entrypoint" => {
            let has = ["MYSQL_ROOT_PASSWORD", "MYSQL_ALLOW_EMPTY_PASSWORD", "MYSQL_RANDOM_ROOT_PASSWORD"].iter().any(|k| ctx.vars.get(*k).is_some_and(|v| !v.is_empty()));
            if !has {
                let ts = mysql_stamp(sys.now);
                return CmdOut::fail(
                    1,
                    format!(
                        "{ts} [Note] [Entrypoint]: Entrypoint script for MySQL Server 8.4.0-1.el9 started.\n{ts} [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified\n    You need to specify one of the following as an environment variable:\n    - MYSQL_ROOT_PASSWORD\n    - MYSQL_ALLOW_EMPTY_PASSWORD\n    - MYSQL_RANDOM_ROOT_PASSWORD\n"
                    ),
                );
            }
            CmdOut::then(daemon(Kind::Mysql))
        }
        "stress" if argv.len() == 1 => CmdOut::fail(1, "`stress' imposes certain types of compute stress on your system\n\nUsage: stress [OPTION [ARG]] ...\n".into()),
        "stress" => {
            let bytes = flag_value(argv, "--vm-bytes").and_then(|v| parse_size(&v)).unwrap_or(256 * 1024 * 1024);
            let workers = flag_value(argv, "--vm").and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
            let mut r = CmdOut::then(daemon(Kind::Stress { bytes: bytes * workers.max(1), wait: true }));
            r.out = format!("stress: info: [1] dispatching hogs: 0 cpu, 0 io, {workers} vm, 0 hdd\n");
            r
        }
        "httpd-foreground" => CmdOut::then(daemon(Kind::Generic { ports: vec![80], body: "<html><body><h1>It works!</h1></body></html>\n".into(), http: true })),
        "php-fpm" => CmdOut::then(daemon(Kind::Generic { ports: vec![9000], body: String::new(), http: false })),
        "catalina" => CmdOut::then(daemon(Kind::Generic { ports: vec![8080], body: String::new(), http: true })),
        _ => {
            let ports = if sys.declared_ports.is_empty() { sys.image.ports() } else { sys.declared_ports.to_vec() };
            let http = sys.image.speaks_http();
            CmdOut::then(daemon(Kind::Generic { ports, body: sys.image.http_body(), http }))
        }
    }
}

fn parse_size(v: &str) -> Option<u64> {
    let (n, m) = match v.chars().last()? {
        'k' | 'K' => (&v[..v.len() - 1], 1024),
        'm' | 'M' => (&v[..v.len() - 1], 1024 * 1024),
        'g' | 'G' => (&v[..v.len() - 1], 1024 * 1024 * 1024),
        _ => (v, 1),
    };
    n.parse::<u64>().ok().map(|x| x.saturating_mul(m))
}

fn mysql_stamp(now: Millis) -> String {
    let d = podplay_api::time::DateTime::at(now);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}+00:00",
        d.year, d.month, d.day, d.hour, d.minute, d.second
    )
}

fn entrypoint_lines(sys: &mut Sys) -> String {
    let conf = "/etc/nginx/conf.d/default.conf";
    let mut s = String::from(
        "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\n/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/\n/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh\n",
    );
    match sys.files().read(conf) {
        Err(_) => s.push_str(&format!(
            "10-listen-on-ipv6-by-default.sh: info: {conf} is not a file or does not exist\n"
        )),
        Ok(text) => {
            s.push_str(&format!(
                "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of {conf}\n"
            ));
            if text.contains("[::]") {
                s.push_str("10-listen-on-ipv6-by-default.sh: info: IPv6 listen already enabled\n");
            } else {
                let patched = text.replacen(
                    "    listen       80;\n",
                    "    listen       80;\n    listen  [::]:80;\n",
                    1,
                );
                match sys.files().write(conf, &patched, false) {
                    Ok(()) => s.push_str(&format!("10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in {conf}\n")),
                    Err(_) => s.push_str(&format!("10-listen-on-ipv6-by-default.sh: info: can not modify {conf} (read-only file system?)\n")),
                }
            }
        }
    }
    s.push_str("/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh\n/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh\n/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh\n/docker-entrypoint.sh: Configuration complete; ready for start up\n");
    s
}

const NGINX_PID_FILE: &str = "/run/nginx.pid";

fn nginx_command(sys: &mut Sys, ctx: &mut Ctx, argv: &[String]) -> CmdOut {
    let version = sys.image.version();
    let mut i = 1;
    let mut daemon_off = false;
    let mut signal: Option<String> = None;
    let mut test = false;
    while let Some(a) = argv.get(i) {
        match a.as_str() {
            "-s" => {
                signal = argv.get(i + 1).cloned();
                i += 1;
            }
            "-g" => {
                if argv
                    .get(i + 1)
                    .is_some_and(|g| g.replace(' ', "").contains("daemonoff;"))
                {
                    daemon_off = true;
                }
                i += 1;
            }
            "-t" | "-T" => test = true,
            "-v" => return CmdOut::fail(0, format!("nginx version: nginx/{version}\n")),
            "-V" => {
                return CmdOut::fail(
                    0,
                    format!(
                        "nginx version: nginx/{version}\nbuilt by gcc 12.2.0 (Debian 12.2.0-14)\n"
                    ),
                )
            }
            "-c" | "-p" | "-e" => i += 1,
            _ => {}
        }
        i += 1;
    }
    if test {
        return match nginx::load(sys) {
            Ok(_) => CmdOut::fail(0, "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n".into()),
            Err(e) => CmdOut::fail(1, format!("nginx: [emerg] {e}\nnginx: configuration file /etc/nginx/nginx.conf test failed\n")),
        };
    }
    if let Some(s) = signal {
        let sig = match s.as_str() {
            "stop" => Signal::Term,
            "quit" => Signal::Quit,
            "reload" => Signal::Hup,
            "reopen" => Signal::Usr1,
            other => return CmdOut::fail(1, format!("nginx: invalid option: \"-s {other}\"\n")),
        };
        let pid_text = match sys.files().read(NGINX_PID_FILE) {
            Ok(t) => t,
            Err(e) => {
                return CmdOut::fail(
                    1,
                    format!(
                        "nginx: [error] open() \"{NGINX_PID_FILE}\" failed (2: {})\n",
                        e.strerror()
                    ),
                )
            }
        };
        let Ok(pid) = pid_text.trim().parse::<u32>() else {
            return CmdOut::fail(
                1,
                format!(
                    "nginx: [error] invalid PID number \"{}\" in \"{NGINX_PID_FILE}\"\n",
                    pid_text.trim()
                ),
            );
        };
        let me = ctx.pid;
        let mut out = CmdOut::fail(
            0,
            format!(
                "{} [notice] {me}#{me}: signal process started\n",
                nginx::stamp(sys.now)
            ),
        );
        if sys.procs.contains_key(&pid) {
            sys.effects
                .push(crate::process::Effect::Signal { pid, sig });
        } else {
            out.status = 1;
            out.err.push_str(&format!(
                "{} [alert] {me}#{me}: kill({pid}, {}) failed (3: No such process)\n",
                nginx::stamp(sys.now),
                sig.number()
            ));
        }
        return out;
    }
    let conf = match nginx::load(sys) {
        Ok(c) => c,
        Err(e) => return CmdOut::fail(1, format!("nginx: [emerg] {e}\n")),
    };
    let then = daemon(Kind::Nginx { conf });
    if daemon_off {
        CmdOut::then(then)
    } else {
        // Without `daemon off;` nginx forks into the background and the command returns.
        let mut r = CmdOut::status(0);
        if let Then::Become(b) = then {
            r.then = Then::Daemonize(b);
        }
        r
    }
}

/// Serve a request with a daemon of this container that listens on `port` (the caller is a
/// process of the same container, so the daemon is in `sys.procs`).
pub(crate) fn serve_local(
    sys: &mut Sys,
    port: u16,
    req: &HttpRequest,
    from: Ip,
) -> Option<HttpResponse> {
    let pid = sys
        .procs
        .values()
        .find(|p| matches!(&p.body, Body::Daemon(d) if d.bound.contains(&port)))?
        .pid;
    let mut p = sys.procs.remove(&pid)?;
    let r = serve_proc(&mut p, port, req, from, sys);
    sys.procs.insert(pid, p);
    r
}

pub(crate) fn listens_local(sys: &Sys, port: u16) -> bool {
    sys.procs
        .values()
        .any(|p| matches!(&p.body, Body::Daemon(d) if d.bound.contains(&port)))
}

pub(crate) fn serve_proc(
    p: &mut Proc,
    port: u16,
    req: &HttpRequest,
    from: Ip,
    sys: &mut Sys,
) -> Option<HttpResponse> {
    let pid = p.pid;
    let started = p.started;
    let Body::Daemon(d) = &mut p.body else {
        return None;
    };
    if !d.bound.contains(&port) {
        return None;
    }
    d.conns += 1;
    *sys.served += 1;
    d.serve(pid, started, port, req, from, sys, &mut p.out)
}

impl Daemon {
    /// The pid of nginx's current worker process.
    pub(crate) fn worker_pid(&self, master: u32) -> u32 {
        if self.worker == 0 {
            master + 1
        } else {
            self.worker
        }
    }

    /// nginx forks a worker, which takes the container's next pid. Behind the official image's
    /// `/docker-entrypoint.sh` the scripts it ran have used pids up to 28 (`start worker process
    /// 29` in its log), so later processes (exec'd shells, `nginx -s`) number after that.
    fn fork_worker(&mut self, sys: &mut Sys, master: u32) -> u32 {
        let behind_entrypoint = master == 1
            && sys
                .image
                .entrypoint()
                .first()
                .is_some_and(|e| e.ends_with("docker-entrypoint.sh"));
        if behind_entrypoint && self.worker == 0 && *sys.next_pid < 29 {
            *sys.next_pid = 29;
        }
        self.worker = sys.alloc_pid();
        self.worker
    }

    /// What `ps` shows for this program: nginx retitles its processes.
    pub(crate) fn ps_rows(&self, pid: u32, argv: &[String]) -> Vec<(u32, &'static str, String)> {
        match &self.kind {
            Kind::Nginx { .. } => {
                // The official entrypoint script execs nginx, so its own name is gone.
                let args: Vec<&str> = argv
                    .iter()
                    .map(String::as_str)
                    .skip_while(|a| a.ends_with("docker-entrypoint.sh"))
                    .collect();
                vec![
                    (
                        pid,
                        "root",
                        format!("nginx: master process {}", args.join(" ")),
                    ),
                    (
                        self.worker_pid(pid),
                        "nginx",
                        "nginx: worker process".into(),
                    ),
                ]
            }
            _ => vec![(pid, "root", argv.join(" "))],
        }
    }

    fn ports(&self, sys: &Sys) -> Vec<u16> {
        match &self.kind {
            Kind::Nginx { conf } => conf.ports(),
            Kind::Redis { port } | Kind::Netexec { port } => vec![*port],
            Kind::AgnhostLiveness | Kind::Kiada | Kind::GoProxy => vec![8080],
            Kind::ServeHostname => vec![9376],
            Kind::Envoy { .. } => vec![8443, 9901],
            Kind::Mysql => vec![3306, 33060],
            Kind::Generic { ports, .. } => ports.clone(),
            Kind::Pause | Kind::AgnhostPause | Kind::Stress { .. } => {
                let _ = sys;
                Vec::new()
            }
        }
    }

    /// First run binds the ports and prints the start-up lines; later runs are timers.
    pub fn run(&mut self, sys: &mut Sys, pid: u32, out: &mut String) -> Step {
        if self.started {
            if let Kind::Stress { wait: true, .. } = self.kind {
                if let Kind::Stress { wait, .. } = &mut self.kind {
                    *wait = false;
                }
            }
            return Step::Wait(None);
        }
        self.started = true;
        self.start = sys.now;
        let ports = self.ports(sys);
        for p in &ports {
            if !sys.pod.bind(*p, sys.container, pid) {
                sys.pod.release_pid(sys.container, pid);
                out.push_str(&self.bind_error(*p, sys, pid));
                return Step::Exit(Ended::code(1));
            }
        }
        self.bound = ports;
        out.push_str(&self.startup(sys, pid));
        match self.kind {
            // stress allocates over about a second; the container checks memory against its limit.
            Kind::Stress { bytes, .. } => {
                self.extra_memory = bytes;
                Step::Wait(Some(sys.now + SECOND))
            }
            _ => Step::Wait(None),
        }
    }

    fn bind_error(&self, port: u16, sys: &mut Sys, pid: u32) -> String {
        match &self.kind {
            Kind::Nginx { .. } => {
                let text = if sys.image.musl() {
                    "Address in use"
                } else {
                    "Address already in use"
                };
                let st = nginx::stamp(sys.now);
                format!("{st} [emerg] {pid}#{pid}: bind() to 0.0.0.0:{port} failed (98: {text})\nnginx: [emerg] bind() to 0.0.0.0:{port} failed (98: {text})\n")
            }
            Kind::Redis { .. } => {
                let r = stamps::redis(sys.now);
                format!("1:M {r} # Warning: Could not create server TCP listening socket *:{port}: bind: Address already in use\n1:M {r} # Failed listening on port {port} (tcp), aborting.\n")
            }
            _ => format!("listen tcp :{port}: bind: address already in use\n"),
        }
    }

    fn startup(&mut self, sys: &mut Sys, pid: u32) -> String {
        let st = nginx::stamp(sys.now);
        match &self.kind {
            Kind::Nginx { .. } => {
                let _ = sys.files().mkdir("/run", true);
                let _ = sys.files().write(NGINX_PID_FILE, &format!("{pid}\n"), false);
                let v = sys.image.version();
                let w = self.fork_worker(sys, pid);
                format!(
                    "{st} [notice] {pid}#{pid}: using the \"epoll\" event method\n{st} [notice] {pid}#{pid}: nginx/{v}\n{st} [notice] {pid}#{pid}: built by gcc 12.2.0 (Debian 12.2.0-14)\n{st} [notice] {pid}#{pid}: OS: Linux 6.8.0\n{st} [notice] {pid}#{pid}: getrlimit(RLIMIT_NOFILE): 1048576:1048576\n{st} [notice] {pid}#{pid}: start worker processes\n{st} [notice] {pid}#{pid}: start worker process {w}\n"
                )
            }
            Kind::Redis { port } => {
                let r = stamps::redis(sys.now);
                format!(
                    "1:C {r} # WARNING Memory overcommit must be enabled!\n1:C {r} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo\n1:M {r} * Running mode=standalone, port={port}.\n1:M {r} * Server initialized\n1:M {r} * Ready to accept connections tcp\n"
                )
            }
            Kind::AgnhostLiveness => String::new(),
            Kind::Netexec { port } => {
                let k = stamps::klog(sys.now);
                format!("I{k}       1 netexec.go:173] Started HTTP server on port {port}\nI{k}       1 netexec.go:174] Started UDP server on port  8081\n")
            }
            Kind::AgnhostPause => "Paused\n".into(),
            Kind::ServeHostname => "Serving on port 9376.\n".into(),
            Kind::Envoy { .. } => {
                let e = stamps::envoy(sys.now);
                format!("{e}[1][info][main] [source/server/server.cc:430] initializing epoch 0 (base id=0, hot restart version=11.104)\n{e}[1][info][main] [source/server/server.cc:895] all clusters initialized. initializing init manager\n{e}[1][info][main] [source/server/server.cc:914] starting main dispatch loop\n")
            }
            Kind::Kiada => "Kiada - Kubernetes in Action Demo Application\n---------------------------------------------\nKiada 0.2 starting...\nLocal hostname is ".to_string() + &sys.pod.hostname + "\nListening on port 8080\n",
            Kind::Mysql => format!("{} [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.4.0'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.\n", mysql_stamp(sys.now)),
            Kind::Pause | Kind::GoProxy | Kind::Stress { .. } | Kind::Generic { .. } => {
                let _ = st;
                String::new()
            }
        }
    }

    /// What `sig` does. Programs with handlers exit cleanly; PID 1 ignores signals it has no
    /// handler for; Go programs without a handler exit 2 as PID 1 (the runtime re-raises, the
    /// kernel ignores it for init, then it exits).
    pub fn signal(&mut self, sig: Signal, pid: u32, sys: &mut Sys, out: &mut String) -> SigEffect {
        if sig == Signal::Kill {
            return SigEffect::Dies(Ended::by(sig));
        }
        let pid1 = pid == 1;
        let st = nginx::stamp(sys.now);
        let default = |go: bool| {
            if !pid1 {
                SigEffect::Dies(Ended::by(sig))
            } else if go && matches!(sig, Signal::Term | Signal::Int | Signal::Hup | Signal::Quit) {
                SigEffect::Dies(Ended::code(2))
            } else {
                SigEffect::Ignored
            }
        };
        match &mut self.kind {
            Kind::Nginx { .. } => match sig {
                Signal::Hup => {
                    out.push_str(&format!("{st} [notice] {pid}#{pid}: signal 1 (SIGHUP) received, reconfiguring\n{st} [notice] {pid}#{pid}: reconfiguring\n"));
                    match nginx::load(sys) {
                        Ok(conf) => {
                            let ports = conf.ports();
                            let taken: Vec<u16> = ports
                                .iter()
                                .copied()
                                .filter(|p| {
                                    sys.pod.listeners.get(p).is_some_and(|l| {
                                        !(l.container == sys.container && l.pid == pid)
                                    })
                                })
                                .collect();
                            if let Some(p) = taken.first() {
                                out.push_str(&format!("{st} [emerg] {pid}#{pid}: bind() to 0.0.0.0:{p} failed (98: Address already in use)\n"));
                                return SigEffect::Handled;
                            }
                            sys.pod.release_pid(sys.container, pid);
                            for p in &ports {
                                sys.pod.bind(*p, sys.container, pid);
                            }
                            self.bound = ports;
                            self.kind = Kind::Nginx { conf };
                            let w = self.worker_pid(pid);
                            let new = self.fork_worker(sys, pid);
                            out.push_str(&format!("{st} [notice] {pid}#{pid}: using the \"epoll\" event method\n{st} [notice] {pid}#{pid}: start worker processes\n{st} [notice] {pid}#{pid}: start worker process {new}\n{st} [notice] {w}#{w}: gracefully shutting down\n{st} [notice] {w}#{w}: exiting\n{st} [notice] {w}#{w}: exit\n"));
                        }
                        Err(e) => out.push_str(&format!("{st} [emerg] {pid}#{pid}: {e}\n")),
                    }
                    SigEffect::Handled
                }
                Signal::Usr1 => SigEffect::Handled,
                Signal::Term | Signal::Int | Signal::Quit => {
                    let w = self.worker_pid(pid);
                    let head = if sig == Signal::Quit {
                        format!("{st} [notice] {pid}#{pid}: signal 3 (SIGQUIT) received, shutting down\n{st} [notice] {w}#{w}: gracefully shutting down\n")
                    } else {
                        format!(
                            "{st} [notice] {pid}#{pid}: signal {} ({}) received, exiting\n",
                            sig.number(),
                            sig.name()
                        )
                    };
                    out.push_str(&head);
                    out.push_str(&format!("{st} [notice] {w}#{w}: exiting\n{st} [notice] {w}#{w}: exit\n{st} [notice] {pid}#{pid}: signal 17 (SIGCHLD) received from {w}\n{st} [notice] {pid}#{pid}: worker process {w} exited with code 0\n{st} [notice] {pid}#{pid}: exit\n"));
                    let _ = sys.files().remove(NGINX_PID_FILE, false);
                    SigEffect::Dies(Ended::code(0))
                }
                _ => default(false),
            },
            Kind::Redis { .. } => match sig {
                Signal::Term | Signal::Int => {
                    let (u, r) = (stamps::unix(sys.now), stamps::redis(sys.now));
                    out.push_str(&format!("1:signal-handler ({u}) Received SIGTERM scheduling shutdown...\n1:M {r} * User requested shutdown...\n1:M {r} # Redis is now ready to exit, bye bye...\n"));
                    SigEffect::Dies(Ended::code(0))
                }
                _ => default(false),
            },
            Kind::Envoy { .. } => match sig {
                Signal::Term | Signal::Int => {
                    let e = stamps::envoy(sys.now);
                    out.push_str(&format!("{e}[1][warning][main] [source/server/server.cc:493] caught SIGTERM\n{e}[1][info][main] [source/server/server.cc:613] shutting down server instance\n{e}[1][info][main] [source/server/server.cc:560] main dispatch loop exited\n{e}[1][info][main] [source/server/server.cc:606] exiting\n"));
                    SigEffect::Dies(Ended::code(0))
                }
                _ => default(false),
            },
            Kind::Pause => match sig {
                Signal::Term | Signal::Int => {
                    out.push_str(&format!(
                        "Shutting down, got signal: {}\n",
                        sig.description()
                    ));
                    SigEffect::Dies(Ended::code(0))
                }
                _ => default(false),
            },
            Kind::AgnhostPause => match sig {
                Signal::Term | Signal::Int => {
                    out.push_str("Shutting down after receiving signal: terminated.\nExiting.\n");
                    SigEffect::Dies(Ended::code(0))
                }
                _ => default(false),
            },
            Kind::Mysql => match sig {
                Signal::Term => SigEffect::Dies(Ended::code(0)),
                _ => default(false),
            },
            Kind::AgnhostLiveness | Kind::Netexec { .. } | Kind::GoProxy | Kind::ServeHostname => {
                default(true)
            }
            Kind::Kiada | Kind::Stress { .. } => default(false),
            Kind::Generic { .. } => match sys.image.sigterm() {
                crate::image::OnTerm::Exit0 if matches!(sig, Signal::Term | Signal::Int) => {
                    SigEffect::Dies(Ended::code(0))
                }
                crate::image::OnTerm::Exit143 if matches!(sig, Signal::Term | Signal::Int) => {
                    SigEffect::Dies(Ended::by(sig))
                }
                _ => default(false),
            },
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn serve(
        &mut self,
        pid: u32,
        started: Millis,
        port: u16,
        req: &HttpRequest,
        from: Ip,
        sys: &mut Sys,
        out: &mut String,
    ) -> Option<HttpResponse> {
        let path = req.path.split('?').next().unwrap_or("/").to_string();
        let query = req
            .path
            .split_once('?')
            .map(|(_, q)| q.to_string())
            .unwrap_or_default();
        let elapsed = sys.now - started;
        let (worker_pid, conns) = (self.worker_pid(pid), self.conns);
        match &mut self.kind {
            Kind::Nginx { conf } => nginx::serve(
                conf,
                &sys.image.version(),
                worker_pid,
                conns,
                port,
                req,
                from,
                sys,
                out,
            ),
            Kind::AgnhostLiveness => Some(if path == "/healthz" {
                // agnhost liveness: healthy for the first 10 seconds after the process started.
                if elapsed > 10 * SECOND {
                    HttpResponse::new(500, format!("error: {}", elapsed as f64 / 1000.0))
                } else {
                    HttpResponse::new(200, "ok")
                }
            } else if path == "/redirect" {
                HttpResponse::new(302, "").with_header("Location", "/healthz")
            } else {
                HttpResponse::new(404, "404 page not found\n")
            }),
            Kind::Netexec { .. } => {
                let q = |k: &str| {
                    query
                        .split('&')
                        .find_map(|kv| kv.strip_prefix(&format!("{k}=")))
                        .unwrap_or("")
                        .to_string()
                };
                Some(match path.as_str() {
                    "/" => HttpResponse::new(
                        200,
                        format!(
                            "NOW: {}",
                            podplay_api::time::DateTime::at(sys.now).rfc3339()
                        ),
                    ),
                    "/hostname" => HttpResponse::new(200, sys.pod.hostname.clone()),
                    "/echo" => HttpResponse::new(200, q("msg")),
                    "/clientip" => HttpResponse::new(200, format!("{}:40000", ip_string(from))),
                    "/healthz" => HttpResponse::new(200, ""),
                    _ => HttpResponse::new(404, "404 page not found\n"),
                })
            }
            Kind::ServeHostname => Some(HttpResponse::new(200, sys.pod.hostname.clone())),
            Kind::Envoy { healthy } => Some(if port == 9901 {
                match (req.method.as_str(), path.as_str()) {
                    ("POST", "/healthcheck/fail") => {
                        *healthy = false;
                        HttpResponse::new(200, "OK\n")
                    }
                    ("POST", "/healthcheck/ok") => {
                        *healthy = true;
                        HttpResponse::new(200, "OK\n")
                    }
                    (_, "/ready") => {
                        if *healthy {
                            HttpResponse::new(200, "LIVE\n")
                        } else {
                            HttpResponse::new(503, "DRAINING\n")
                        }
                    }
                    _ => HttpResponse::new(404, "invalid path. admin commands are:\n"),
                }
            } else {
                HttpResponse::new(200, format!("Kiada version 0.2. Request processed by \"{}\". Client IP: ::ffff:127.0.0.1\n", sys.pod.pod_name))
            }),
            Kind::Kiada => {
                out.push_str(&format!(
                    "Received request for {} from ::ffff:{}\n",
                    req.path,
                    ip_string(from)
                ));
                Some(HttpResponse::new(
                    200,
                    format!(
                        "Kiada version 0.2. Request processed by \"{}\". Client IP: ::ffff:{}\n",
                        sys.pod.pod_name,
                        ip_string(from)
                    ),
                ))
            }
            Kind::GoProxy => Some(HttpResponse::new(
                500,
                "This is a proxy server. Does not respond to non-proxy requests.\n",
            )),
            Kind::Generic {
                body, http: true, ..
            } => Some(HttpResponse::new(200, body.clone())),
            Kind::Generic { http: false, .. }
            | Kind::Redis { .. }
            | Kind::Mysql
            | Kind::Pause
            | Kind::AgnhostPause
            | Kind::Stress { .. } => None,
        }
    }
}
