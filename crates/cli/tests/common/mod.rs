//! Runs the real `podplay` binary the way a user (or an outside test suite) would, and checks the
//! promises every invocation must keep whatever it was given: it ends, it does not panic.
#![allow(dead_code)] // each test file uses its own subset

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What one `podplay` invocation did.
#[derive(Debug)]
pub struct Outcome {
    pub args: Vec<String>,
    /// `None` when the process was killed (by us, on timeout, or by a signal).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub timed_out: bool,
}

/// The folder of checked-in inputs: `crates/cli/tests/fixtures`.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A fresh scratch folder for generated inputs (big, deep or binary files are made, not committed).
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("podplay-cli-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// Runs `podplay ARGS` in `fixtures()` with no stdin; see [`podplay_with`].
pub fn podplay(args: &[&str]) -> Outcome {
    podplay_with(&fixtures(), args, None, Duration::from_secs(60))
}

/// Runs `podplay ARGS` in `dir`; `cwd` matters because messages name files as they were given.
pub fn podplay_in(dir: &Path, args: &[&str]) -> Outcome {
    podplay_with(dir, args, None, Duration::from_secs(60))
}

/// Runs `podplay ARGS` in `dir`, feeding `stdin`, killing it after `limit` (a hang is a bug too).
pub fn podplay_with(dir: &Path, args: &[&str], stdin: Option<&[u8]>, limit: Duration) -> Outcome {
    let mut child = Command::new(env!("CARGO_BIN_EXE_podplay"))
        .args(args)
        .current_dir(dir)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn podplay");
    // Pipes are drained on their own threads so a chatty child never blocks on a full pipe.
    let feeder = stdin.map(|bytes| {
        let bytes = bytes.to_vec();
        let mut pipe = child.stdin.take().expect("stdin pipe");
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        })
    });
    let mut out_pipe = child.stdout.take().expect("stdout pipe");
    let mut err_pipe = child.stderr.take().expect("stderr pipe");
    let out = std::thread::spawn(move || {
        let mut b = vec![];
        let _ = out_pipe.read_to_end(&mut b);
        b
    });
    let err = std::thread::spawn(move || {
        let mut b = vec![];
        let _ = err_pipe.read_to_end(&mut b);
        b
    });
    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait for podplay") {
            break s;
        }
        if start.elapsed() > limit {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("wait for killed podplay");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    if let Some(f) = feeder {
        let _ = f.join();
    }
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    Outcome {
        args: args.iter().map(|a| a.to_string()).collect(),
        code: status.code(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        timed_out,
    }
}

impl Outcome {
    /// Whatever the input, `podplay` ends by itself, with an exit code, and without a Rust panic
    /// (exit code 101 and "panicked at" on stderr).
    pub fn assert_no_panic(&self) -> &Self {
        assert!(!self.timed_out, "podplay did not finish in time: {self:#?}");
        assert!(
            self.code.is_some(),
            "podplay was killed by a signal: {self:#?}"
        );
        assert_ne!(self.code, Some(101), "podplay panicked: {self:#?}");
        assert!(
            !self.stderr.contains("panicked"),
            "podplay panicked: {self:#?}"
        );
        self
    }

    /// Asserts no panic and this exit code.
    pub fn assert_code(&self, code: i32) -> &Self {
        self.assert_no_panic();
        assert_eq!(self.code, Some(code), "unexpected exit code: {self:#?}");
        self
    }

    /// Exit 0 with nothing on stderr.
    pub fn assert_ok(&self) -> &Self {
        self.assert_code(0);
        assert_eq!(self.stderr, "", "unexpected stderr: {self:#?}");
        self
    }

    pub fn assert_stderr_contains(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}: {self:#?}"
        );
        self
    }

    pub fn assert_stdout_contains(&self, needle: &str) -> &Self {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}: {self:#?}"
        );
        self
    }

    /// The `--output json` trace, one parsed object per line.
    pub fn records(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l:?}")))
            .collect()
    }
}

/// Does `text` name a position the way podplay and kubectl do: `FILE:LINE:COL` or `line N`?
pub fn names_position(text: &str, file: &str) -> bool {
    let with_file = text.lines().any(|l| {
        l.strip_prefix(file)
            .and_then(|rest| rest.strip_prefix(':'))
            .map(|rest| {
                let mut parts = rest.splitn(3, ':');
                let line = parts.next().unwrap_or("");
                let col = parts.next().unwrap_or("");
                is_positive(line) && is_positive(col) && parts.next().is_some()
            })
            .unwrap_or(false)
    });
    let with_line = text.match_indices("line ").any(|(i, m)| {
        let digits: String = text[i + m.len()..]
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        is_positive(&digits)
    });
    with_file || with_line
}

fn is_positive(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) && s.parse::<u64>().is_ok_and(|n| n > 0)
}

/// Records of one kind (`event`, `object`, `endpoints`, `output`).
pub fn of_kind<'a>(records: &'a [serde_json::Value], kind: &str) -> Vec<&'a serde_json::Value> {
    records.iter().filter(|r| r["kind"] == kind).collect()
}

/// The string field `key` of a record ("" when absent or not a string).
pub fn s<'a>(r: &'a serde_json::Value, key: &str) -> &'a str {
    r[key].as_str().unwrap_or("")
}
