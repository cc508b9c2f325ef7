//! Lowers the syntax tree to a flat instruction list with jumps, so a running script is just a
//! program counter: `sleep` can suspend it at any point and virtual time can resume it later.

use super::ast::{Cmd, Redir, Simple, Word};

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ins {
    Run(Simple),
    Pipe(Vec<Simple>),
    /// `cmd &`: a background job (only simple commands run in the background).
    Background(Simple),
    Jump(usize),
    /// Jump when `$?` is 0.
    JumpIfOk(usize),
    /// Jump when `$?` is not 0.
    JumpIfFail(usize),
    Negate,
    SetStatus(i32),
    ForInit {
        slot: usize,
        items: Option<Vec<Word>>,
    },
    /// Take the next item into `var`, or jump to `end` when the list is used up.
    ForNext {
        slot: usize,
        var: String,
        end: usize,
    },
    PushRedirs(Vec<Redir>),
    PopRedirs,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Code {
    pub ins: Vec<Ins>,
    pub slots: usize,
}

pub(crate) fn compile(cmd: &Cmd) -> Code {
    let mut c = Compiler {
        code: Code::default(),
        loops: Vec::new(),
    };
    c.cmd(cmd);
    c.code
}

struct Loop {
    top: usize,
    breaks: Vec<usize>,
    redir_depth: usize,
}

struct Compiler {
    code: Code,
    loops: Vec<Loop>,
}

impl Compiler {
    fn emit(&mut self, i: Ins) -> usize {
        self.code.ins.push(i);
        self.code.ins.len() - 1
    }

    fn here(&self) -> usize {
        self.code.ins.len()
    }

    fn patch(&mut self, at: usize, target: usize) {
        if let Some(ins) = self.code.ins.get_mut(at) {
            match ins {
                Ins::Jump(t) | Ins::JumpIfOk(t) | Ins::JumpIfFail(t) => *t = target,
                Ins::ForNext { end, .. } => *end = target,
                _ => {}
            }
        }
    }

    fn cmd(&mut self, cmd: &Cmd) {
        match cmd {
            Cmd::Simple(s) => {
                self.emit(Ins::Run(s.clone()));
            }
            Cmd::Pipeline(v) => {
                self.emit(Ins::Pipe(v.clone()));
            }
            Cmd::Not(c) => {
                self.cmd(c);
                self.emit(Ins::Negate);
            }
            Cmd::And(a, b) => {
                self.cmd(a);
                let j = self.emit(Ins::JumpIfFail(0));
                self.cmd(b);
                let end = self.here();
                self.patch(j, end);
            }
            Cmd::Or(a, b) => {
                self.cmd(a);
                let j = self.emit(Ins::JumpIfOk(0));
                self.cmd(b);
                let end = self.here();
                self.patch(j, end);
            }
            Cmd::Seq(v) => {
                for c in v {
                    self.cmd(c);
                }
            }
            Cmd::Background(c) => match &**c {
                Cmd::Simple(s) => {
                    self.emit(Ins::Background(s.clone()));
                }
                // Compound background jobs are run in the foreground: an approximation.
                other => self.cmd(other),
            },
            Cmd::If {
                branches,
                otherwise,
            } => {
                let mut ends = Vec::new();
                for (cond, body) in branches {
                    self.cmd(cond);
                    let skip = self.emit(Ins::JumpIfFail(0));
                    self.cmd(body);
                    ends.push(self.emit(Ins::Jump(0)));
                    let next = self.here();
                    self.patch(skip, next);
                }
                match otherwise {
                    Some(e) => self.cmd(e),
                    // No branch taken: `if` itself succeeds.
                    None => {
                        self.emit(Ins::SetStatus(0));
                    }
                }
                let end = self.here();
                for j in ends {
                    self.patch(j, end);
                }
            }
            Cmd::Loop { cond, body, until } => {
                let top = self.here();
                self.cmd(cond);
                let exit = if *until {
                    self.emit(Ins::JumpIfOk(0))
                } else {
                    self.emit(Ins::JumpIfFail(0))
                };
                self.loops.push(Loop {
                    top,
                    breaks: Vec::new(),
                    redir_depth: 0,
                });
                self.cmd(body);
                self.emit(Ins::Jump(top));
                let end = self.here();
                self.emit(Ins::SetStatus(0));
                self.patch(exit, end);
                if let Some(l) = self.loops.pop() {
                    for b in l.breaks {
                        self.patch(b, end);
                    }
                }
            }
            Cmd::For { var, items, body } => {
                let slot = self.code.slots;
                self.code.slots += 1;
                self.emit(Ins::ForInit {
                    slot,
                    items: items.clone(),
                });
                let top = self.emit(Ins::ForNext {
                    slot,
                    var: var.clone(),
                    end: 0,
                });
                self.loops.push(Loop {
                    top,
                    breaks: Vec::new(),
                    redir_depth: 0,
                });
                self.cmd(body);
                self.emit(Ins::Jump(top));
                let end = self.here();
                self.emit(Ins::SetStatus(0));
                self.patch(top, end);
                if let Some(l) = self.loops.pop() {
                    for b in l.breaks {
                        self.patch(b, end);
                    }
                }
            }
            Cmd::Group { body, redirs } => {
                if redirs.is_empty() {
                    self.cmd(body);
                } else {
                    self.emit(Ins::PushRedirs(redirs.clone()));
                    if let Some(l) = self.loops.last_mut() {
                        l.redir_depth += 1;
                    }
                    self.cmd(body);
                    if let Some(l) = self.loops.last_mut() {
                        l.redir_depth = l.redir_depth.saturating_sub(1);
                    }
                    self.emit(Ins::PopRedirs);
                }
            }
            Cmd::Break | Cmd::Continue => {
                let depth = self.loops.last().map(|l| l.redir_depth).unwrap_or(0);
                for _ in 0..depth {
                    self.emit(Ins::PopRedirs);
                }
                let is_break = matches!(cmd, Cmd::Break);
                let top = self.loops.last().map(|l| l.top);
                match top {
                    // `break` outside a loop does nothing, as in ash.
                    None => {
                        self.emit(Ins::SetStatus(0));
                    }
                    Some(top) if !is_break => {
                        self.emit(Ins::Jump(top));
                    }
                    Some(_) => {
                        let j = self.emit(Ins::Jump(0));
                        if let Some(l) = self.loops.last_mut() {
                            l.breaks.push(j);
                        }
                    }
                }
            }
        }
    }
}
