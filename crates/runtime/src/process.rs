//! Processes inside a container and the system they run against (`Sys`): files, the pod's
//! network, the process table, virtual time.

use std::collections::BTreeMap;

use podplay_api::time::Millis;

use crate::daemons::Daemon;
use crate::fs::{Files, MountPoint, Tree};
use crate::image::Image;
use crate::net::World;
use crate::pod::PodEnv;
use crate::shell::Shell;
use crate::signal::Signal;

/// Where a process's stdout and stderr go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sink {
    /// The container log (PID 1 and what inherits its stdout).
    Log,
    /// The output of one `exec` (kubectl exec, exec probe, exec hook).
    Exec(u64),
}

#[derive(Debug, Clone)]
pub(crate) enum Body {
    Shell(Box<Shell>),
    /// `sleep N` (None: `sleep infinity`).
    Sleep {
        until: Option<Millis>,
    },
    Daemon(Box<Daemon>),
}

#[derive(Debug, Clone)]
pub(crate) struct Proc {
    pub pid: u32,
    pub ppid: u32,
    pub argv: Vec<String>,
    pub body: Body,
    pub sink: Sink,
    /// When to run next; None = only an outside event (signal, child exit, request) wakes it.
    pub wake: Option<Millis>,
    pub started: Millis,
    /// Text written since the container last drained it.
    pub out: String,
}

/// How a process ended: exit code, and the signal when one killed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ended {
    pub code: i32,
    pub signal: Option<Signal>,
}

impl Ended {
    pub fn code(code: i32) -> Ended {
        Ended { code, signal: None }
    }
    pub fn by(sig: Signal) -> Ended {
        Ended {
            code: 128 + sig.number(),
            signal: Some(sig),
        }
    }
}

/// What running a process for a while led to.
#[derive(Debug, Clone)]
pub(crate) enum Step {
    /// Blocked; run again at the given time (None: when something happens to it).
    Wait(Option<Millis>),
    Exit(Ended),
    /// `exec`: the process becomes another program (same pid).
    Become(Body, Vec<String>),
}

/// What a signal did to a process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SigEffect {
    Ignored,
    /// A handler will run (the process is woken).
    Handled,
    Dies(Ended),
}

/// Deferred work a command asks for; applied by the container after the current step.
#[derive(Debug, Clone)]
pub(crate) enum Effect {
    Signal { pid: u32, sig: Signal },
}

/// Everything a running process can touch. The running process itself is taken out of `procs`.
pub(crate) struct Sys<'a> {
    pub root: &'a mut Tree,
    pub mounts: &'a [MountPoint],
    pub pod: &'a mut PodEnv,
    pub world: &'a mut dyn World,
    pub now: Millis,
    pub procs: &'a mut BTreeMap<u32, Proc>,
    pub next_pid: &'a mut u32,
    pub image: &'a Image,
    pub container: &'a str,
    pub declared_ports: &'a [u16],
    pub effects: &'a mut Vec<Effect>,
    /// Requests served by this container's daemons (for cpu usage).
    pub served: &'a mut u64,
    /// The running process's sink, inherited by the children it starts.
    pub sink: Sink,
    /// An HTTP access-log line the serving daemon wants written (nginx).
    pub access: &'a mut Option<crate::container::AccessLine>,
}

impl Sys<'_> {
    pub fn files(&mut self) -> Files<'_> {
        Files {
            root: self.root,
            mounts: self.mounts,
            volumes: &mut self.pod.volumes,
        }
    }

    pub fn alloc_pid(&mut self) -> u32 {
        let pid = *self.next_pid;
        *self.next_pid += 1;
        pid
    }

    /// Start a child process; it first runs in the container's next scheduling pass (now).
    pub fn spawn(&mut self, ppid: u32, argv: Vec<String>, body: Body, sink: Sink) -> u32 {
        let pid = self.alloc_pid();
        self.procs.insert(
            pid,
            Proc {
                pid,
                ppid,
                argv,
                body,
                sink,
                wake: Some(self.now),
                started: self.now,
                out: String::new(),
            },
        );
        pid
    }
}
