//! The playground build: Trunk (offline, release) into dist/, with npm's wasm-opt and the editor
//! bundle (www/editor/build.mjs, esbuild only when its inputs changed) run by the post-build hooks
//! in Trunk.toml; then the sizes, since bundle size is a budget we watch.

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

/// The lazily loaded CodeMirror bundle; not part of the first load.
pub const EDITOR_BUNDLE: &str = "editor.js";
/// Pages copied into dist/ beside the app that the app itself never loads.
const NOT_FIRST_LOAD: &[&str] = &[EDITOR_BUNDLE, "embed-example.html"];
/// The first load's budget (gzip): everything the page fetches before the editor.
pub const FIRST_LOAD_BUDGET_KB: u64 = 400;

fn report_sizes(dist: &Path) -> Result<(), String> {
    let entries = std::fs::read_dir(dist)
        .map_err(|error| format!("cannot read {}: {error}", dist.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    let wasms: Vec<&PathBuf> = files
        .iter()
        .filter(|path| has_extension(path, "wasm"))
        .collect();
    if wasms.is_empty() {
        return Err(format!("no .wasm file in {}", dist.display()));
    }
    for wasm in wasms {
        println!("wasm {}", size_line(wasm)?);
    }
    let editor = dist.join(EDITOR_BUNDLE);
    if editor.is_file() {
        println!("editor {}", size_line(&editor)?);
    } else {
        return Err(format!(
            "{} is missing: the editor hook in Trunk.toml did not run",
            editor.display()
        ));
    }
    // What the browser fetches before first paint: the page, the app's JS glue, CSS and wasm.
    let first_load: Vec<&PathBuf> = files
        .iter()
        .filter(|path| {
            ["html", "js", "css", "wasm"]
                .iter()
                .any(|ext| has_extension(path, ext))
        })
        .filter(|path| !NOT_FIRST_LOAD.iter().any(|name| path.ends_with(name)))
        .collect();
    let mut raw = 0;
    let mut gzipped = Some(0);
    for file in &first_load {
        raw += file_size(file)?;
        gzipped = gzipped.zip(gzip_size(file)).map(|(sum, size)| sum + size);
    }
    match gzipped {
        Some(gzipped) => println!(
            "first load without the editor ({} files): {} (gzip {}, budget {FIRST_LOAD_BUDGET_KB} KB)",
            first_load.len(),
            kb(raw),
            kb(gzipped)
        ),
        None => println!("first load without the editor: {} (gzip size unknown)", kb(raw)),
    }
    Ok(())
}

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension().is_some_and(|found| found == ext)
}

fn file_size(file: &Path) -> Result<u64, String> {
    std::fs::metadata(file)
        .map(|meta| meta.len())
        .map_err(|error| format!("cannot stat {}: {error}", file.display()))
}

/// `podplay-web-….wasm: 227.1 KB (gzip 103.0 KB)`
fn size_line(file: &Path) -> Result<String, String> {
    let raw = file_size(file)?;
    let name = file.file_name().unwrap_or_default().to_string_lossy();
    Ok(match gzip_size(file) {
        Some(gzipped) => format!("{name}: {} (gzip {})", kb(raw), kb(gzipped)),
        None => format!("{name}: {} (gzip size unknown: no gzip)", kb(raw)),
    })
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
