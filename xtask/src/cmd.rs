//! Running other programs: every child sees `$CARGO_HOME/bin` on its PATH, because that is where
//! `cargo install` puts trunk and wasm-bindgen, and a fresh shell may not have it yet.

use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Where `cargo install` puts binaries.
pub fn cargo_bin_dir() -> Option<PathBuf> {
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        return Some(PathBuf::from(home).join("bin"));
    }
    std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo").join("bin"))
}

/// PATH with the cargo bin directory first.
fn search_path() -> OsString {
    let current = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs: Vec<PathBuf> = std::env::split_paths(&current).collect();
    if let Some(bin) = cargo_bin_dir() {
        if !dirs.contains(&bin) {
            dirs.insert(0, bin);
        }
    }
    std::env::join_paths(dirs).unwrap_or(current)
}

/// A command to run in `cwd`, stdin closed (CI has none; nothing may wait for a keypress).
pub fn command(program: &str, cwd: &Path) -> Command {
    let mut command = Command::new(program);
    command
        .current_dir(cwd)
        .env("PATH", search_path())
        .stdin(Stdio::null());
    command
}

fn describe(command: &Command) -> String {
    let mut words = vec![command.get_program().to_string_lossy().into_owned()];
    words.extend(
        command
            .get_args()
            .map(|arg| arg.to_string_lossy().into_owned()),
    );
    words.join(" ")
}

/// Runs to completion with output passed through; Err names the command and its exit status.
pub fn run(command: &mut Command) -> Result<(), String> {
    println!("$ {}", describe(command));
    let status = command
        .status()
        .map_err(|error| format!("cannot run `{}`: {error}", describe(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(command)))
    }
}

/// Which output stream [`run_tee`] watches.
#[derive(Clone, Copy)]
pub enum Stream {
    Stdout,
    /// cargo-nextest writes its progress and closing summary here.
    Stderr,
}

/// Like [`run`], but also hands each line of `stream` to `on_line` (to pick out summaries) while
/// still printing it, so the log stays complete.
pub fn run_tee(
    command: &mut Command,
    stream: Stream,
    mut on_line: impl FnMut(&str),
) -> Result<(), String> {
    println!("$ {}", describe(command));
    match stream {
        Stream::Stdout => command.stdout(Stdio::piped()),
        Stream::Stderr => command.stderr(Stdio::piped()),
    };
    let mut child = command
        .spawn()
        .map_err(|error| format!("cannot run `{}`: {error}", describe(command)))?;
    let reader: Option<Box<dyn std::io::Read>> = match stream {
        Stream::Stdout => child
            .stdout
            .take()
            .map(|out| Box::new(out) as Box<dyn std::io::Read>),
        Stream::Stderr => child
            .stderr
            .take()
            .map(|err| Box::new(err) as Box<dyn std::io::Read>),
    };
    if let Some(reader) = reader {
        for line in BufReader::new(reader).lines() {
            let Ok(line) = line else { break };
            match stream {
                Stream::Stdout => println!("{line}"),
                Stream::Stderr => eprintln!("{line}"),
            }
            on_line(&line);
        }
    }
    let status = child
        .wait()
        .map_err(|error| format!("`{}` did not finish: {error}", describe(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(command)))
    }
}

/// The trimmed stdout of a quick query (`--version` and the like); None when it cannot run or fails.
pub fn output(program: &str, args: &[&str]) -> Option<String> {
    let cwd = std::env::current_dir().ok()?;
    let out = command(program, &cwd)
        .args(args)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
}
