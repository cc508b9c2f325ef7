//! The browser tests: `node tests/e2e/run.mjs` (node's test runner, playwright-core driving
//! Debian's Chromium against dist/). The runner's closing line is `N passed, N failed`.

use std::path::Path;

use crate::cmd;

/// Runs the browser tests; `summary` receives the runner's `N passed, N failed` line, if any.
pub fn run(root: &Path, summary: &mut Option<String>) -> Result<(), String> {
    cmd::run_tee(
        cmd::command("node", root).arg("tests/e2e/run.mjs"),
        cmd::Stream::Stdout,
        |line| {
            if is_summary(line) {
                *summary = Some(line.trim().to_string());
            }
        },
    )?;
    if summary.is_none() {
        return Err("the runner printed no `N passed, N failed` line".to_string());
    }
    Ok(())
}

/// `3 passed, 0 failed`
fn is_summary(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    matches!(
        words.as_slice(),
        [passed, "passed,", failed, "failed"]
            if passed.parse::<u32>().is_ok() && failed.parse::<u32>().is_ok()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runner_summary_line_is_recognised() {
        assert!(is_summary("3 passed, 0 failed"));
        assert!(!is_summary("# pass 3"));
        assert!(!is_summary("x passed, 0 failed"));
    }
}
