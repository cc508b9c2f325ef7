//! The shell: `sh -c`, `/bin/sh -c`, `bash -c` scripts as a resumable virtual machine.
//!
//! Scripts are parsed (`parse`), lowered to an instruction list with jumps (`compile`) and run
//! by `vm::Shell`, whose program counter survives `sleep`: nothing ever blocks the simulation.

pub(crate) mod arith;
pub(crate) mod ast;
pub(crate) mod compile;
pub(crate) mod parse;
pub(crate) mod vm;

pub(crate) use vm::Shell;
