//! Installing what is missing. Each tool is checked by version and skipped when right; only a
//! missing or wrong one is installed, the way shared/design/toolchain.md found to work offline
//! (crates.io, npm and Debian are the only registries these machines reach).

use std::path::Path;

use crate::cmd;

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// trunk 0.22 needs rustc >= 1.96; 0.21.x works with 1.95.
pub const TRUNK_SERIES: &str = "0.21.";
pub const TRUNK_REQUIREMENT: &str = "~0.21";
/// Must equal the `wasm-bindgen = "=0.2.130"` pin in Cargo.toml and `[tools]` in Trunk.toml.
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";
/// playwright-core 1.65 requires Node 20.
pub const NODE_MIN_MAJOR: u32 = 20;
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// What the command about to run needs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Trunk, wasm-bindgen, the wasm target and npm's binaryen.
    WebBuild,
    /// Node packages and Chromium.
    BrowserTests,
    Everything,
}

pub fn ensure_all(root: &Path, need: Need) -> Result<(), String> {
    let web = matches!(need, Need::WebBuild | Need::Everything);
    let browser = matches!(need, Need::BrowserTests | Need::Everything);
    if web {
        ensure_wasm_target(root)?;
        ensure_trunk(root)?;
        ensure_wasm_bindgen(root)?;
    }
    ensure_node(root)?;
    ensure_node_modules(root)?;
    if browser {
        ensure_chromium(root)?;
    }
    Ok(())
}

fn ensure_wasm_target(root: &Path) -> Result<(), String> {
    // The sysroot check also works where rustup is absent (it only reports, then).
    let installed = cmd::output("rustc", &["--print", "sysroot"])
        .map(|sysroot| {
            Path::new(&sysroot)
                .join("lib/rustlib")
                .join(WASM_TARGET)
                .is_dir()
        })
        .unwrap_or(false);
    if installed {
        println!("{WASM_TARGET}: present");
        return Ok(());
    }
    println!("{WASM_TARGET}: missing, installing");
    cmd::run(cmd::command("rustup", root).args(["target", "add", WASM_TARGET]))
}

fn ensure_trunk(root: &Path) -> Result<(), String> {
    let found = cmd::output("trunk", &["--version"]);
    if let Some(version) = found.as_deref().and_then(trunk_version) {
        if version.starts_with(TRUNK_SERIES) {
            println!("trunk {version}: present");
            return Ok(());
        }
        println!("trunk {version}: wrong series (want {TRUNK_REQUIREMENT}), reinstalling");
    } else {
        println!("trunk: missing, installing (about 12 minutes on 2 cores)");
    }
    cmd::run(cmd::command("cargo", root).args([
        "install",
        "trunk",
        "--version",
        TRUNK_REQUIREMENT,
        "--locked",
    ]))?;
    let found = cmd::output("trunk", &["--version"]);
    match found.as_deref().and_then(trunk_version) {
        Some(version) if version.starts_with(TRUNK_SERIES) => Ok(()),
        other => Err(format!(
            "after installing, `trunk --version` says {other:?}; is $CARGO_HOME/bin on PATH?"
        )),
    }
}

fn ensure_wasm_bindgen(root: &Path) -> Result<(), String> {
    let found = cmd::output("wasm-bindgen", &["--version"]);
    match found.as_deref().and_then(wasm_bindgen_version) {
        Some(version) if version == WASM_BINDGEN_VERSION => {
            println!("wasm-bindgen {version}: present");
            return Ok(());
        }
        Some(version) => {
            println!("wasm-bindgen {version}: want {WASM_BINDGEN_VERSION}, reinstalling")
        }
        None => println!("wasm-bindgen: missing, installing (about 6 minutes on 2 cores)"),
    }
    // Not --locked: its lock file pins a webpki-roots release the registry lacks.
    cmd::run(cmd::command("cargo", root).args([
        "install",
        "wasm-bindgen-cli",
        "--version",
        WASM_BINDGEN_VERSION,
        "--force",
    ]))
}

fn ensure_node(root: &Path) -> Result<(), String> {
    if let Some(major) = cmd::output("node", &["--version"])
        .as_deref()
        .and_then(node_major)
    {
        if major >= NODE_MIN_MAJOR && cmd::output("npm", &["--version"]).is_some() {
            println!("node v{major}: present");
            return Ok(());
        }
    }
    println!("node >= {NODE_MIN_MAJOR} with npm: missing, trying Debian's nodejs and npm");
    apt_install(root, &["nodejs", "npm"])?;
    match cmd::output("node", &["--version"])
        .as_deref()
        .and_then(node_major)
    {
        Some(major) if major >= NODE_MIN_MAJOR => Ok(()),
        other => Err(format!(
            "need Node.js >= {NODE_MIN_MAJOR} (playwright-core), found major {other:?}; \
             install a newer Node.js and run again"
        )),
    }
}

/// `npm ci` when node_modules is missing or was installed from a different package-lock.json.
/// The stamp is a copy of the lock file npm ci installed from: byte equality is the whole test.
fn ensure_node_modules(root: &Path) -> Result<(), String> {
    let lock = root.join("package-lock.json");
    let stamp = root.join("node_modules").join(".podplay-package-lock.json");
    let wanted =
        std::fs::read(&lock).map_err(|error| format!("cannot read {}: {error}", lock.display()))?;
    if std::fs::read(&stamp).ok().as_deref() == Some(wanted.as_slice()) {
        println!("node_modules: up to date with package-lock.json");
        return Ok(());
    }
    println!("node_modules: missing or stale, running npm ci");
    cmd::run(
        cmd::command("npm", root)
            .args(["ci", "--no-audit", "--no-fund"])
            // playwright-core downloads nothing, but make sure no browser download is ever tried.
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
    )?;
    std::fs::write(&stamp, &wanted)
        .map_err(|error| format!("cannot write {}: {error}", stamp.display()))
}

fn ensure_chromium(root: &Path) -> Result<(), String> {
    if Path::new(CHROMIUM).exists() {
        let version = cmd::output(CHROMIUM, &["--version"]).unwrap_or_default();
        println!("chromium: present ({})", version.trim());
        return Ok(());
    }
    println!("chromium: missing, installing Debian's chromium and chromium-driver");
    apt_install(root, &["chromium", "chromium-driver"])?;
    if Path::new(CHROMIUM).exists() {
        Ok(())
    } else {
        Err(format!("{CHROMIUM} is still missing after apt-get install"))
    }
}

/// apt-get as root, or through passwordless sudo; never prompts (CI has no stdin).
fn apt_install(root: &Path, packages: &[&str]) -> Result<(), String> {
    let is_root = cmd::output("id", &["-u"]).as_deref() == Some("0");
    let mut prefix: Vec<&str> = Vec::new();
    if !is_root {
        if cmd::output("sudo", &["-n", "true"]).is_none() {
            return Err(format!(
                "not root and no passwordless sudo: install by hand with \
                 `apt-get update && apt-get install -y {}`",
                packages.join(" ")
            ));
        }
        prefix = vec!["sudo", "-n"];
    }
    let apt = |args: &[&str]| {
        let mut words: Vec<&str> = prefix.clone();
        words.extend(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]);
        words.extend(args);
        let (program, rest) = words.split_first().ok_or("empty apt-get command")?;
        cmd::run(cmd::command(program, root).args(rest))
    };
    apt(&["update"])?;
    let mut install = vec!["install", "-y"];
    install.extend(packages);
    apt(&install)
}

/// `trunk 0.21.14` -> `0.21.14`.
fn trunk_version(output: &str) -> Option<&str> {
    output.strip_prefix("trunk ")?.split_whitespace().next()
}

/// `wasm-bindgen 0.2.130` -> `0.2.130`.
fn wasm_bindgen_version(output: &str) -> Option<&str> {
    output
        .strip_prefix("wasm-bindgen ")?
        .split_whitespace()
        .next()
}

/// `v20.20.2` -> 20.
fn node_major(output: &str) -> Option<u32> {
    output.strip_prefix('v')?.split('.').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_version_is_the_second_word_of_trunk_dash_dash_version() {
        assert_eq!(trunk_version("trunk 0.21.14"), Some("0.21.14"));
        assert_eq!(trunk_version("something else"), None);
    }

    #[test]
    fn wasm_bindgen_version_must_match_exactly() {
        assert_eq!(
            wasm_bindgen_version("wasm-bindgen 0.2.130"),
            Some(WASM_BINDGEN_VERSION)
        );
        assert_ne!(
            wasm_bindgen_version("wasm-bindgen 0.2.13"),
            Some(WASM_BINDGEN_VERSION)
        );
    }

    /// Trunk refuses to run (offline) when the installed wasm-bindgen differs from its pin, and the
    /// JS glue breaks when the crate differs from the CLI: the three places must agree.
    #[test]
    fn wasm_bindgen_pin_agrees_in_cargo_toml_trunk_toml_and_xtask() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let cargo = std::fs::read_to_string(root.join("Cargo.toml")).unwrap_or_default();
        let trunk = std::fs::read_to_string(root.join("Trunk.toml")).unwrap_or_default();
        let crate_pin = format!("wasm-bindgen = \"={WASM_BINDGEN_VERSION}\"");
        let trunk_pin = format!("wasm_bindgen = \"{WASM_BINDGEN_VERSION}\"");
        assert!(cargo.contains(&crate_pin), "Cargo.toml lacks {crate_pin}");
        assert!(trunk.contains(&trunk_pin), "Trunk.toml lacks {trunk_pin}");
    }

    #[test]
    fn node_major_version_comes_from_the_leading_v_number() {
        assert_eq!(node_major("v20.20.2"), Some(20));
        assert_eq!(node_major("20.1.0"), None);
        assert_eq!(node_major("vx"), None);
    }
}
