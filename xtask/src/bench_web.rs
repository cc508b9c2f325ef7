//! `cargo xtask bench-web`: the playground's performance budgets (tests/e2e/budgets.mjs) in
//! headless Chromium against dist/: first-load bytes (gzip), the editor bundle, time to the first
//! pod card, frame time with 100 pods at 10x, seek time. Prints a table, writes
//! target/budgets.json. Over-budget values fail the command only with `--strict`.

use std::path::Path;

use crate::cmd;

pub struct Options {
    pub build: bool,
    pub strict: bool,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Options {
            build: true,
            strict: false,
        };
        for arg in args {
            match arg.as_str() {
                "--no-build" => options.build = false,
                "--strict" => options.strict = true,
                other => return Err(format!("unknown option `{other}`")),
            }
        }
        Ok(options)
    }
}

pub fn run(root: &Path, options: &Options) -> Result<(), String> {
    let mut budgets = cmd::command("node", root);
    budgets.arg("tests/e2e/budgets.mjs");
    if options.strict {
        budgets.arg("--strict");
    }
    cmd::run(&mut budgets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bench_web_builds_first_and_is_lenient_by_default() {
        let options = Options::parse(&[]).ok();
        assert!(options.as_ref().is_some_and(|o| o.build && !o.strict));
        let options = Options::parse(&["--no-build".into(), "--strict".into()]).ok();
        assert!(options.is_some_and(|o| !o.build && o.strict));
        assert!(Options::parse(&["--fast".into()]).is_err());
    }
}
