//! `cargo test --workspace`, or cargo-nextest when it is installed (it runs test binaries in
//! parallel, one process per test).
//! cargo test prints one `test result:` line per test binary; the totals line printed at the end
//! saves scrolling through a long log to learn whether anything failed.

use std::path::Path;

use crate::cmd;

pub fn run(root: &Path) -> Result<String, String> {
    if cmd::output("cargo", &["nextest", "--version"]).is_some() {
        return run_nextest(root);
    }
    let mut totals = Totals::default();
    let outcome = cmd::run_tee(
        cmd::command("cargo", root).args(["test", "--workspace", "--no-fail-fast"]),
        cmd::Stream::Stdout,
        |line| totals.add_line(line),
    );
    finish(
        outcome,
        format!("cargo test --workspace: {}", totals.line()),
    )
}

/// nextest does not run doctests, so `cargo test --doc` follows it.
fn run_nextest(root: &Path) -> Result<String, String> {
    let mut nextest_summary = String::from("no summary (did the tests build?)");
    let nextest = cmd::run_tee(
        cmd::command("cargo", root).args(["nextest", "run", "--workspace", "--no-fail-fast"]),
        cmd::Stream::Stderr,
        |line| {
            // `     Summary [   0.250s] 96 tests run: 96 passed, 0 skipped`
            if let Some(rest) = line.trim().strip_prefix("Summary [") {
                if let Some((_, counts)) = rest.split_once(']') {
                    nextest_summary = counts.trim().to_string();
                }
            }
        },
    );
    let mut doctests = Totals::default();
    let doc = cmd::run_tee(
        cmd::command("cargo", root).args(["test", "--workspace", "--doc", "--no-fail-fast"]),
        cmd::Stream::Stdout,
        |line| doctests.add_line(line),
    );
    let summary = format!(
        "cargo nextest run --workspace: {nextest_summary}; doctests: {}",
        doctests.line()
    );
    finish(nextest.and(doc), summary)
}

fn finish(outcome: Result<(), String>, summary: String) -> Result<String, String> {
    match outcome {
        Ok(()) => Ok(summary),
        Err(error) => {
            println!("{summary}");
            Err(error)
        }
    }
}

/// Sums of the `test result:` lines.
#[derive(Default, Debug, PartialEq)]
struct Totals {
    binaries: u32,
    passed: u32,
    failed: u32,
    ignored: u32,
}

impl Totals {
    /// `test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s`
    fn add_line(&mut self, line: &str) {
        let Some(rest) = line.trim().strip_prefix("test result: ") else {
            return;
        };
        self.binaries += 1;
        for part in rest.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(what), Some(count)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(count) = count.parse::<u32>() else {
                continue;
            };
            match what {
                "passed" => self.passed += count,
                "failed" => self.failed += count,
                "ignored" => self.ignored += count,
                _ => {}
            }
        }
    }

    fn line(&self) -> String {
        format!(
            "{} passed, {} failed, {} ignored ({} test binaries)",
            self.passed, self.failed, self.ignored, self.binaries
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_result_lines_are_summed_across_binaries() {
        let mut totals = Totals::default();
        totals.add_line("test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s");
        totals.add_line("running 3 tests");
        totals.add_line("test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.20s");
        assert_eq!(
            totals,
            Totals {
                binaries: 2,
                passed: 14,
                failed: 1,
                ignored: 1
            }
        );
        assert_eq!(
            totals.line(),
            "14 passed, 1 failed, 1 ignored (2 test binaries)"
        );
    }
}
