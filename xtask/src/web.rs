//! The playground build: Trunk (offline, release) into dist/, with npm's wasm-opt run by the
//! post-build hook in Trunk.toml; then the sizes, since bundle size is a budget we watch.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::cmd;

pub fn build(root: &Path) -> Result<PathBuf, String> {
    fetch_crates(root)?;
    cmd::run(cmd::command("trunk", root).args(["build", "--release"]))?;
    let dist = root.join("dist");
    report_sizes(&dist)?;
    Ok(dist)
}

/// `trunk serve` rebuilds on every change; debug profile, so the hook skips wasm-opt.
pub fn watch(root: &Path, port: u16) -> Result<(), String> {
    fetch_crates(root)?;
    println!("serving with rebuild on change at http://127.0.0.1:{port}/");
    let port = port.to_string();
    cmd::run(cmd::command("trunk", root).args(["serve", "--address", "127.0.0.1", "--port", &port]))
}

/// Trunk runs cargo with `--offline` (Trunk.toml `offline = true`, so it never tries to download
/// its tools), which also stops cargo from downloading crates: on a fresh machine the wasm-only
/// dependencies would be missing. `cargo fetch` gets them for every target first (a no-op when
/// they are already there).
fn fetch_crates(root: &Path) -> Result<(), String> {
    cmd::run(cmd::command("cargo", root).args(["fetch", "--quiet"]))
}

fn report_sizes(dist: &Path) -> Result<(), String> {
    let entries = std::fs::read_dir(dist)
        .map_err(|error| format!("cannot read {}: {error}", dist.display()))?;
    let mut wasms: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "wasm"))
        .collect();
    wasms.sort();
    if wasms.is_empty() {
        return Err(format!("no .wasm file in {}", dist.display()));
    }
    for wasm in wasms {
        let raw = std::fs::metadata(&wasm)
            .map_err(|error| format!("cannot stat {}: {error}", wasm.display()))?
            .len();
        let name = wasm.file_name().unwrap_or_default().to_string_lossy();
        match gzip_size(&wasm) {
            Some(gzipped) => println!("wasm {name}: {} (gzip {})", kb(raw), kb(gzipped)),
            None => println!("wasm {name}: {} (gzip size unknown: no gzip)", kb(raw)),
        }
    }
    Ok(())
}

/// Bytes after `gzip -c` (level 6, what servers typically use on the fly).
fn gzip_size(file: &Path) -> Option<u64> {
    let cwd = file.parent()?;
    let out = cmd::command("gzip", cwd)
        .arg("-c")
        .arg(file)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout.len() as u64)
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_reported_in_kibibytes_with_one_decimal() {
        assert_eq!(kb(1536), "1.5 KB");
    }
}
