//! The shell's syntax tree: what the parser builds and the compiler lowers to instructions.

use std::sync::Arc;

use super::compile::Code;

/// One piece of a word before expansion.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Part {
    /// Literal text; `quoted` text is never field-split or globbed.
    Lit { text: String, quoted: bool },
    /// `$NAME`, `${NAME}`, `$?`, `$$`, `$1`...; `default` is the word of `${NAME:-word}`.
    Var {
        name: String,
        quoted: bool,
        default: Option<Vec<Part>>,
    },
    /// `$(...)` or backticks, compiled once.
    Sub { code: Arc<Code>, quoted: bool },
    /// `$((...))`.
    Arith { expr: String, quoted: bool },
}

pub(crate) type Word = Vec<Part>;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Redir {
    /// `N> word`, `N>> word`.
    Out { fd: u8, target: Word, append: bool },
    /// `< word`.
    In { source: Word },
    /// `N>&M`.
    Dup { fd: u8, to: u8 },
    /// `&> word`, `&>> word`.
    Both { target: Word, append: bool },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Simple {
    pub assigns: Vec<(String, Word)>,
    pub words: Vec<Word>,
    pub redirs: Vec<Redir>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cmd {
    Simple(Simple),
    Pipeline(Vec<Simple>),
    Not(Box<Cmd>),
    And(Box<Cmd>, Box<Cmd>),
    Or(Box<Cmd>, Box<Cmd>),
    Seq(Vec<Cmd>),
    Background(Box<Cmd>),
    If {
        branches: Vec<(Cmd, Cmd)>,
        otherwise: Option<Box<Cmd>>,
    },
    Loop {
        cond: Box<Cmd>,
        body: Box<Cmd>,
        until: bool,
    },
    For {
        var: String,
        items: Option<Vec<Word>>,
        body: Box<Cmd>,
    },
    Group {
        body: Box<Cmd>,
        redirs: Vec<Redir>,
    },
    Break,
    Continue,
}
