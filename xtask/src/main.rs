//! `cargo xtask`: the project's build system (the alias lives in `.cargo/config.toml`).
//!
//! Every command first installs what it needs and is missing, checks the version of what is
//! present, and skips what is already right, so a fresh machine needs only Rust and Node, and a
//! warm one does not pay ~20 minutes of tool builds again (shared/design/toolchain.md).

mod bench_web;
mod cmd;
mod e2e;
mod rust_tests;
mod serve;
mod stage;
mod tools;
mod wasm_tests;
mod web;

use std::path::PathBuf;
use std::process::ExitCode;

use stage::Stages;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  serve [--port N] [--watch]   install what is missing, build the playground (release) and serve it
                               on http://127.0.0.1:8080; --watch rebuilds on change (trunk serve, debug)
  test                         run every test: tools, cargo tests, release web build, browser tests
  e2e [--no-build]             browser tests only (builds the playground first unless --no-build)
  build                        install what is missing and build the playground into dist/
  bench [ARGS...]              cargo bench -p podplay-engine [ARGS...]
  bench-web [--no-build] [--strict]
                               the playground's budgets in Chromium (first-load bytes, first pod card,
                               frame time, seek); table + target/budgets.json; --strict fails when over
  tools                        install what is missing, nothing else
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = match project_root() {
        Ok(root) => root,
        Err(error) => {
            eprintln!("xtask: {error}");
            return ExitCode::FAILURE;
        }
    };
    let Some(command) = args.first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let rest = &args[1..];
    let outcome = match command.as_str() {
        "serve" => serve_command(&root, rest),
        "test" => test_command(&root),
        "e2e" => e2e_command(&root, rest),
        "build" => build_command(&root),
        "bench" => bench_command(&root, rest),
        "bench-web" => bench_web_command(&root, rest),
        "tools" => tools_command(&root),
        "help" | "-h" | "--help" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        // An empty error was already reported by the command itself.
        Err(error) if error.is_empty() => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: xtask/ sits one level below it.
fn project_root() -> Result<PathBuf, String> {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .ok_or_else(|| format!("cannot find the workspace above {}", manifest_dir.display()))
}

fn test_command(root: &std::path::Path) -> Result<(), String> {
    let mut stages = Stages::new("cargo xtask test");
    // A test run builds everything once from scratch in CI: incremental caches only cost disk
    // there (about a third of `target/`), and CI machines have run out of it.
    if std::env::var_os("CARGO_INCREMENTAL").is_none() {
        std::env::set_var("CARGO_INCREMENTAL", "0");
    }
    // Nothing after this can run without the tools, so a failure here stops the run.
    stages.run("install tools", || {
        tools::ensure_all(root, tools::Need::Everything)
    })?;
    // The later stages are independent of the Rust tests: run them all and report everything.
    let _ = stages.run("cargo test --workspace", || cargo_tests(root));
    let _ = stages.run("wasm-bindgen tests (headless Chromium)", || {
        wasm_tests::run(root).map(|summary| println!("{summary}"))
    });
    let built = stages.run("web build (trunk, release)", || {
        web::build(root).map(|_| ())
    });
    let mut e2e_summary = None;
    if built.is_ok() {
        let _ = stages.run("browser tests", || e2e::run(root, &mut e2e_summary));
    } else {
        stages.skip("browser tests", "the web build failed");
    }
    stages.print_summary();
    let result = stages.result();
    if let Err(error) = &result {
        eprintln!("xtask: {error}");
    }
    // The closing line is the browser tests' count, whatever happened before.
    println!(
        "browser tests: {}",
        e2e_summary.as_deref().unwrap_or("did not run")
    );
    result.map_err(|_| String::new())
}

fn cargo_tests(root: &std::path::Path) -> Result<(), String> {
    let summary = rust_tests::run(root)?;
    println!("{summary}");
    Ok(())
}

fn e2e_command(root: &std::path::Path, rest: &[String]) -> Result<(), String> {
    let build = match rest {
        [] => true,
        [flag] if flag == "--no-build" => false,
        _ => return Err(format!("unexpected arguments {rest:?}\n\n{USAGE}")),
    };
    let mut stages = Stages::new("cargo xtask e2e");
    let need = if build {
        tools::Need::Everything
    } else {
        tools::Need::BrowserTests
    };
    stages.run("install tools", || tools::ensure_all(root, need))?;
    if build {
        stages.run("web build (trunk, release)", || {
            web::build(root).map(|_| ())
        })?;
    }
    let mut summary = None;
    let outcome = stages.run("browser tests", || e2e::run(root, &mut summary));
    stages.print_summary();
    if let Some(summary) = summary {
        println!("browser tests: {summary}");
    }
    outcome.map(|_| ())
}

fn build_command(root: &std::path::Path) -> Result<(), String> {
    let mut stages = Stages::new("cargo xtask build");
    stages.run("install tools", || {
        tools::ensure_all(root, tools::Need::WebBuild)
    })?;
    stages.run("web build (trunk, release)", || {
        web::build(root).map(|_| ())
    })?;
    stages.print_summary();
    Ok(())
}

fn tools_command(root: &std::path::Path) -> Result<(), String> {
    let mut stages = Stages::new("cargo xtask tools");
    stages.run("install tools", || {
        tools::ensure_all(root, tools::Need::Everything)
    })?;
    stages.print_summary();
    Ok(())
}

fn serve_command(root: &std::path::Path, rest: &[String]) -> Result<(), String> {
    let options = serve::Options::parse(rest).map_err(|error| format!("{error}\n\n{USAGE}"))?;
    let mut stages = Stages::new("cargo xtask serve");
    stages.run("install tools", || {
        tools::ensure_all(root, tools::Need::WebBuild)
    })?;
    if options.watch {
        stages.print_summary();
        return web::watch(root, options.port);
    }
    let dist = stages.run("web build (trunk, release)", || web::build(root))?;
    stages.print_summary();
    serve::serve(&dist, options.port)
}

fn bench_command(root: &std::path::Path, rest: &[String]) -> Result<(), String> {
    let mut stages = Stages::new("cargo xtask bench");
    stages.run("cargo bench -p podplay-engine", || {
        let mut bench = cmd::command("cargo", root);
        bench.args(["bench", "-p", "podplay-engine"]).args(rest);
        cmd::run(&mut bench)
    })?;
    stages.run("cargo bench -p podplay-session (seek)", || {
        let mut bench = cmd::command("cargo", root);
        bench.args(["bench", "-p", "podplay-session"]).args(rest);
        cmd::run(&mut bench)
    })?;
    stages.print_summary();
    Ok(())
}

fn bench_web_command(root: &std::path::Path, rest: &[String]) -> Result<(), String> {
    let options = bench_web::Options::parse(rest).map_err(|error| format!("{error}\n\n{USAGE}"))?;
    let mut stages = Stages::new("cargo xtask bench-web");
    let need = if options.build {
        tools::Need::Everything
    } else {
        tools::Need::BrowserTests
    };
    stages.run("install tools", || tools::ensure_all(root, need))?;
    if options.build {
        stages.run("web build (trunk, release)", || {
            web::build(root).map(|_| ())
        })?;
    }
    let outcome = stages.run("budgets (tests/e2e/budgets.mjs)", || {
        bench_web::run(root, &options)
    });
    stages.print_summary();
    outcome
}
