//! `podplay`: run Kubernetes manifests on a simulated cluster, headless (shared/design/cli-contract.md).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use podplay_engine::commands::{parse_duration, parse_script};
use podplay_engine::{Record, Simulation};
use podplay_kubectl::printers::get::{PrintOptions, Row, WatchPrinter};
use podplay_kubectl::resource::Kind;

/// The longest run: a week of virtual time is more than any lesson needs, and bounds the work.
const MAX_UNTIL: i64 = 168 * 3_600_000;

const USAGE: &str = "podplay: a Kubernetes playground on a simulated cluster

Usage:
  podplay run [OPTIONS] <FILE>...   apply the manifests at t=0 and simulate
  podplay check <FILE>...           parse and validate only

Options for run:
  --script FILE                     timed actions, one per line: @30s kubectl ... | @1m sim ...
  --until DURATION                  simulated end time (default 10m): 90, 90s, 5m, 1h30m
  --seed N                          seed of every random choice (default 1)
  --output watch|events|json        what to print (default watch)

FILE may be - for standard input.
";

#[derive(Debug, PartialEq)]
enum Output {
    Watch,
    Events,
    Json,
}

struct RunArgs {
    files: Vec<String>,
    script: Option<String>,
    until: i64,
    seed: u64,
    output: Output,
}

fn usage_error(msg: &str) -> ExitCode {
    eprintln!("error: {msg}\nSee 'podplay --help' for usage.");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run") => match parse_run(&args[1..]) {
            Ok(a) => run(a),
            Err(e) => usage_error(&e),
        },
        Some("check") => {
            if args.len() < 2 {
                return usage_error("check needs at least one FILE");
            }
            if let Some(flag) = args[1..].iter().find(|a| a.starts_with('-') && *a != "-") {
                return usage_error(&format!("unknown flag: {flag}"));
            }
            check(&args[1..])
        }
        Some("-h") | Some("--help") | Some("help") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some("-V") | Some("--version") | Some("version") => {
            println!("podplay {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some(other) => usage_error(&format!("unknown command {other:?}")),
        None => {
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn parse_run(args: &[String]) -> Result<RunArgs, String> {
    let mut a = RunArgs {
        files: vec![],
        script: None,
        until: 600_000,
        seed: 1,
        output: Output::Watch,
    };
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = || -> Result<String, String> {
            if let Some(v) = inline.clone() {
                return Ok(v);
            }
            i += 1;
            args.get(i)
                .cloned()
                .ok_or_else(|| format!("flag needs an argument: {flag}"))
        };
        match flag {
            "--script" => a.script = Some(value()?),
            "--until" => {
                let v = value()?;
                a.until = parse_duration(&v)
                    .ok_or_else(|| format!("invalid --until {v:?}: use e.g. 90, 90s, 5m, 1h30m"))?;
                if a.until > MAX_UNTIL {
                    return Err(format!(
                        "invalid --until {v:?}: at most 168h (a week of simulated time)"
                    ));
                }
            }
            "--seed" => {
                let v = value()?;
                a.seed = v.parse().map_err(|_| {
                    format!("invalid --seed {v:?}: a whole number from 0 to 18446744073709551615")
                })?;
            }
            "--output" | "-o" => {
                let v = value()?;
                a.output = match v.as_str() {
                    "watch" => Output::Watch,
                    "events" => Output::Events,
                    "json" => Output::Json,
                    _ => {
                        return Err(format!(
                            "invalid --output {v:?}: one of watch, events, json"
                        ))
                    }
                }
            }
            "-" => a.files.push("-".into()),
            f if f.starts_with('-') => return Err(format!("unknown flag: {f}")),
            _ => a.files.push(arg.clone()),
        }
        i += 1;
    }
    if a.files.is_empty() {
        return Err("run needs at least one FILE".into());
    }
    Ok(a)
}

/// What reading a manifest gave: its text, or kubectl's error (with the check line) for bytes that
/// are not UTF-8.
enum Input {
    Text(String),
    BadBytes { check_line: String, kubectl: String },
}

fn read_input(path: &str) -> Result<Input, String> {
    let bytes = if path == "-" {
        let mut b = vec![];
        std::io::stdin()
            .read_to_end(&mut b)
            .map_err(|e| format!("error: reading standard input: {e}"))?;
        b
    } else {
        std::fs::read(path).map_err(|_| format!("error: the path \"{path}\" does not exist"))?
    };
    match String::from_utf8(bytes) {
        Ok(t) => Ok(Input::Text(t)),
        Err(e) => {
            let bytes = e.into_bytes();
            let (offset, problem) = utf8_reader_error(&bytes);
            let before = &bytes[..offset];
            let line = before.iter().filter(|b| **b == b'\n').count() + 1;
            let col = offset
                - before
                    .iter()
                    .rposition(|b| *b == b'\n')
                    .map_or(0, |i| i + 1)
                + 1;
            let name = display_name(path);
            Ok(Input::BadBytes {
                check_line: format!(
                    "{name}:{line}:{col}: error converting YAML to JSON: yaml: {problem}"
                ),
                kubectl: format!(
                    "error: error parsing {name}: error converting YAML to JSON: yaml: {problem}"
                ),
            })
        }
    }
}

/// go-yaml's reader (yaml_parser_update_buffer): where the first bad byte is and what it calls it.
fn utf8_reader_error(b: &[u8]) -> (usize, &'static str) {
    let mut i = 0;
    while i < b.len() {
        let lead = b[i];
        let width = match lead {
            x if x & 0x80 == 0 => 1,
            x if x & 0xE0 == 0xC0 => 2,
            x if x & 0xF0 == 0xE0 => 3,
            x if x & 0xF8 == 0xF0 => 4,
            _ => return (i, "invalid leading UTF-8 octet"),
        };
        if i + width > b.len() {
            return (i, "incomplete UTF-8 octet sequence");
        }
        for k in 1..width {
            if b[i + k] & 0xC0 != 0x80 {
                return (i + k, "invalid trailing UTF-8 octet");
            }
        }
        if std::str::from_utf8(&b[i..i + width]).is_err() {
            return (i, "invalid Unicode character");
        }
        i += width;
    }
    (b.len(), "invalid leading UTF-8 octet")
}

fn check(files: &[String]) -> ExitCode {
    let mut failed = false;
    let mut out = std::io::stdout().lock();
    for f in files {
        let text = match read_input(f) {
            Ok(Input::Text(t)) => t,
            Ok(Input::BadBytes { check_line, .. }) => {
                let _ = writeln!(out, "{check_line}");
                failed = true;
                continue;
            }
            Err(e) => {
                let _ = writeln!(out, "{e}");
                failed = true;
                continue;
            }
        };
        if let Err(diags) = podplay_api::parse_manifests(display_name(f), &text) {
            failed = true;
            for d in diags {
                let _ = writeln!(out, "{d}");
            }
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn display_name(f: &str) -> &str {
    if f == "-" {
        "STDIN"
    } else {
        f
    }
}

fn run(a: RunArgs) -> ExitCode {
    let mut sim = Simulation::new(a.seed);
    let mut objects = vec![];
    let mut rejected = false;
    for f in &a.files {
        let text = match read_input(f) {
            Ok(Input::Text(t)) => t,
            Ok(Input::BadBytes { kubectl, .. }) => {
                eprintln!("{kubectl}");
                rejected = true;
                continue;
            }
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(1);
            }
        };
        match podplay_api::parse_manifests(display_name(f), &text) {
            Ok(ms) => objects.extend(ms.into_iter().map(|m| (f.clone(), m.object))),
            Err(diags) => {
                rejected = true;
                for d in diags {
                    eprintln!("{}", d.kubectl);
                }
            }
        }
    }
    if rejected {
        return ExitCode::from(1);
    }
    if let Some(script) = &a.script {
        let text = match std::fs::read(script) {
            Err(_) => return usage_error(&format!("the script \"{script}\" does not exist")),
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => {
                    let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                    let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
                    return usage_error(&format!("{script}: line {line}: not valid UTF-8"));
                }
            },
        };
        match parse_script(&text) {
            Ok(lines) => {
                let dir = Path::new(script).parent().map(PathBuf::from);
                sim.set_script(lines, dir);
            }
            Err(e) => return usage_error(&format!("{script}: {e}")),
        }
    }
    let objs: Vec<_> = objects.iter().map(|(_, o)| o.clone()).collect();
    sim.ensure_nodes(&objs);
    for (f, o) in objects {
        if let Err(e) = sim.apply_object(o, &f) {
            eprintln!("{e}");
            rejected = true;
        }
    }
    if rejected {
        return ExitCode::from(1);
    }
    sim.run_until(a.until);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let _ = match a.output {
        Output::Json => print_json(&mut out, sim.trace()),
        Output::Watch => print_watch(&mut out, sim.trace()),
        Output::Events => print_events(&mut out, sim.trace()),
    };
    let _ = out.flush();
    drop(out);
    // The process ends here: freeing a large simulation object by object would only cost time.
    std::mem::forget(sim);
    ExitCode::SUCCESS
}

fn print_json(out: &mut impl Write, trace: &[Record]) -> std::io::Result<()> {
    for r in trace {
        writeln!(out, "{}", r.to_json())?;
    }
    Ok(())
}

fn prefixed(out: &mut impl Write, t: i64, text: &str) -> std::io::Result<()> {
    for line in text.lines() {
        writeln!(out, "{}  {line}", podplay_engine::trace::time_prefix(t))?;
    }
    Ok(())
}

fn print_output_record(out: &mut impl Write, r: &Record) -> std::io::Result<()> {
    if let Record::Output {
        t,
        command,
        stdout,
        stderr,
        ..
    } = r
    {
        prefixed(out, *t, &format!("$ {command}"))?;
        prefixed(out, *t, stdout)?;
        prefixed(out, *t, stderr)?;
    }
    Ok(())
}

/// What `kubectl get pods -o wide -w` prints, each line prefixed by the simulated time, with the
/// output of scripted commands interleaved where they ran.
fn print_watch(out: &mut impl Write, trace: &[Record]) -> std::io::Result<()> {
    let mut printer = WatchPrinter::new(
        Kind::Pod,
        PrintOptions {
            wide: true,
            ..Default::default()
        },
    );
    for r in trace {
        match r {
            Record::Object {
                t,
                kind: "Pod",
                namespace,
                name,
                watch_row,
                ..
            } => {
                let row = Row {
                    kind: Kind::Pod,
                    namespace: namespace.clone(),
                    name: name.clone(),
                    labels: Default::default(),
                    cells: watch_row.clone(),
                };
                prefixed(out, *t, &printer.print(&[row]))?;
            }
            Record::Output { .. } => print_output_record(out, r)?,
            Record::Note { t, message } => prefixed(out, *t, &format!("# {message}"))?,
            _ => {}
        }
    }
    Ok(())
}

/// What `kubectl get events -w` prints, each line prefixed by the simulated time.
fn print_events(out: &mut impl Write, trace: &[Record]) -> std::io::Result<()> {
    let mut w = podplay_kubectl::table::TabWriter::new(0, 3, true);
    let mut first = true;
    for r in trace {
        match r {
            Record::Event(o) => {
                if first {
                    w.write_row(&["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]);
                    first = false;
                }
                let cells = [
                    "0s".to_string(),
                    o.type_.to_string(),
                    o.reason.clone(),
                    format!("{}/{}", o.involved.kind.to_lowercase(), o.involved.name),
                    o.message.clone(),
                ];
                w.write_row(&cells);
                prefixed(out, o.t, &w.flush())?;
            }
            Record::Output { .. } => print_output_record(out, r)?,
            Record::Note { t, message } => prefixed(out, *t, &format!("# {message}"))?,
            _ => {}
        }
    }
    Ok(())
}
