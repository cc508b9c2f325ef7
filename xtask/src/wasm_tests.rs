//! wasm-bindgen tests: what only runs in wasm (the engine inside a browser), compiled for
//! wasm32-unknown-unknown and run by wasm-bindgen-test-runner (installed with wasm-bindgen-cli)
//! in headless Chromium through Debian's chromedriver.

use std::path::Path;

use crate::cmd;

/// (package, test target) pairs that have wasm-bindgen tests.
const SUITES: &[(&str, &str)] = &[("podplay-session", "wasm")];

pub fn run(root: &Path) -> Result<String, String> {
    let runner = cmd::cargo_bin_dir()
        .map(|d| d.join("wasm-bindgen-test-runner"))
        .filter(|p| p.exists())
        .ok_or("wasm-bindgen-test-runner is missing (it comes with wasm-bindgen-cli)")?;
    let mut passed = 0usize;
    for (package, test) in SUITES {
        let mut c = cmd::command("cargo", root);
        c.args([
            "test",
            "-p",
            package,
            "--target",
            "wasm32-unknown-unknown",
            "--test",
            test,
        ])
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", &runner)
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
        cmd::run_tee(&mut c, cmd::Stream::Stdout, |line| {
            // `test result: ok. 2 passed; 0 failed; ...`
            if let Some(rest) = line.trim().strip_prefix("test result: ok. ") {
                if let Some(n) = rest.split(' ').next().and_then(|n| n.parse::<usize>().ok()) {
                    passed += n;
                }
            }
        })?;
    }
    Ok(format!("wasm-bindgen tests: {passed} passed"))
}
