//! Runs every scenario of `scenarios/` through the engine and checks what its `scenario.yaml`
//! expects (format: scenarios/README.md), and compares each run's whole trace with its reviewed
//! snapshot in `tests/snapshots/<id>.jsonl`. `UPDATE_SNAPSHOTS=1` rewrites the snapshots.

use libtest_mimic::{Arguments, Failed, Trial};
use podplay_engine::commands::{parse_duration, parse_script};
use podplay_engine::Simulation;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn main() {
    let args = Arguments::from_args();
    let mut trials = vec![];
    let root = repo().join("scenarios");
    let mut dirs = vec![];
    for base in [root.clone(), root.join("controllers")] {
        if let Ok(rd) = std::fs::read_dir(&base) {
            for e in rd.flatten() {
                if e.path().join("scenario.yaml").is_file() {
                    dirs.push(e.path());
                }
            }
        }
    }
    dirs.sort();
    for dir in dirs {
        let spec: Value = match std::fs::read_to_string(dir.join("scenario.yaml"))
            .map_err(|e| e.to_string())
            .and_then(|t| podplay_api::yaml::from_str(&t).map_err(|e| format!("{e:?}")))
        {
            Ok(v) => v,
            Err(e) => {
                let name = dir
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                trials.push(Trial::test(name, move || {
                    Err(format!("scenario.yaml does not parse: {e}").into())
                }));
                continue;
            }
        };
        let id = spec["id"].as_str().unwrap_or("?").to_string();
        let pending = spec["status"].as_str() == Some("pending-engine");
        let d = dir.clone();
        trials.push(Trial::test(id, move || run_scenario(&d, &spec)).with_ignored_flag(pending));
    }
    libtest_mimic::run(&args, trials).exit();
}

fn run_scenario(dir: &Path, spec: &Value) -> Result<(), Failed> {
    let files: Vec<String> = spec["files"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let expect = spec["expect"].as_array().cloned().unwrap_or_default();
    if expect.iter().any(|e| e.get("check").is_some()) {
        return run_check(dir, &files, &expect);
    }
    let seed = spec["seed"].as_u64().unwrap_or(1);
    let until =
        parse_duration(&scalar(&spec["until"]).unwrap_or("10m".into())).ok_or("bad until")?;
    let mut sim = Simulation::new(seed);
    let mut objects = vec![];
    for f in &files {
        let text = std::fs::read_to_string(dir.join(f)).map_err(|e| format!("{f}: {e}"))?;
        let ms = podplay_api::parse_manifests(f, &text).map_err(|d| {
            format!(
                "{f} rejected: {}",
                d.iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        })?;
        objects.extend(ms.into_iter().map(|m| (f.clone(), m.object)));
    }
    if let Some(script) = spec["script"].as_str() {
        let text =
            std::fs::read_to_string(dir.join(script)).map_err(|e| format!("{script}: {e}"))?;
        sim.set_script(parse_script(&text)?, Some(dir.to_path_buf()));
    }
    let objs: Vec<_> = objects.iter().map(|(_, o)| o.clone()).collect();
    sim.ensure_nodes(&objs);
    for (f, o) in objects {
        sim.apply_object(o, &f)
            .map_err(|e| format!("apply {f}: {e}"))?;
    }
    sim.run_until(until);
    let trace: Vec<Value> = sim.trace().iter().map(|r| r.to_json()).collect();
    let id = spec["id"].as_str().unwrap_or("unknown");
    let mut failures = vec![];
    if let Err(e) = compare_snapshot(id, &trace) {
        failures.push(e);
    }
    let anchors = resolve_anchors(spec, &trace)?;
    for (i, e) in expect.iter().enumerate() {
        if let Err(msg) = check_assertion(e, &trace, &anchors) {
            failures.push(format!("expect[{i}] {}: {msg}", compact(e)));
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n").into())
    }
}

fn compare_snapshot(id: &str, trace: &[Value]) -> Result<(), String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(format!("{id}.jsonl"));
    let text: String = trace.iter().map(|v| format!("{v}\n")).collect();
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        let _ = std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")));
        std::fs::write(&path, &text).map_err(|e| e.to_string())?;
        return Ok(());
    }
    let old = std::fs::read_to_string(&path).map_err(|_| {
        format!(
            "no trace snapshot {}: review the run, then UPDATE_SNAPSHOTS=1 to write it",
            path.display()
        )
    })?;
    if old == text {
        return Ok(());
    }
    let first_diff = old
        .lines()
        .zip(text.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(old.lines().count().min(text.lines().count()));
    Err(format!(
        "trace differs from snapshot {} at line {}:\n  snapshot: {}\n  now:      {}\n(review, then UPDATE_SNAPSHOTS=1 to accept)",
        path.display(),
        first_diff + 1,
        old.lines().nth(first_diff).unwrap_or("<end>"),
        text.lines().nth(first_diff).unwrap_or("<end>")
    ))
}

fn run_check(dir: &Path, files: &[String], expect: &[Value]) -> Result<(), Failed> {
    let mut lines = vec![];
    for f in files {
        let text = std::fs::read_to_string(dir.join(f)).map_err(|e| format!("{f}: {e}"))?;
        if let Err(diags) = podplay_api::parse_manifests(f, &text) {
            lines.extend(diags.iter().map(|d| d.to_string()));
        }
    }
    let want: Vec<String> = expect
        .iter()
        .filter_map(|e| e.get("check").and_then(|c| c.as_str()).map(String::from))
        .collect();
    if lines == want {
        Ok(())
    } else {
        Err(format!(
            "podplay check printed:\n  {}\nexpected:\n  {}",
            lines.join("\n  "),
            want.join("\n  ")
        )
        .into())
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn compact(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 160 {
        format!(
            "{}…",
            &s[..s.char_indices().nth(160).map_or(s.len(), |(i, _)| i)]
        )
    } else {
        s
    }
}

fn t_of(r: &Value) -> i64 {
    (r["t"].as_f64().unwrap_or(0.0) * 1000.0).round() as i64
}

fn resolve_anchors(spec: &Value, trace: &[Value]) -> Result<BTreeMap<String, i64>, String> {
    let mut out = BTreeMap::new();
    if let Some(m) = spec["anchors"].as_object() {
        for (name, a) in m {
            let nth = a["nth"].as_u64().unwrap_or(1) as usize;
            let found = trace
                .iter()
                .filter(|r| record_matches_subject(a, r))
                .nth(nth.saturating_sub(1));
            match found {
                Some(r) => {
                    out.insert(name.clone(), t_of(r));
                }
                None => return Err(format!("anchor {name} ({}) never occurs", compact(a))),
            }
        }
    }
    Ok(out)
}

fn parse_time(v: &Value, anchors: &BTreeMap<String, i64>) -> Result<i64, String> {
    let s = scalar(v).ok_or_else(|| format!("not a time: {v}"))?;
    if let Some(t) = parse_duration(&s) {
        return Ok(t);
    }
    let (name, rest, sign) = match s.find(['+', '-']) {
        Some(i) => (
            &s[..i],
            &s[i + 1..],
            if &s[i..i + 1] == "+" { 1 } else { -1 },
        ),
        None => (s.as_str(), "0s", 1),
    };
    let base = anchors
        .get(name)
        .ok_or_else(|| format!("unknown anchor {name:?}"))?;
    let d = parse_duration(rest).ok_or_else(|| format!("bad duration in {s:?}"))?;
    Ok(base + sign * d)
}

fn name_matches(pattern: &str, name: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => pattern == name,
    }
}

fn ns_of(a: &Value) -> String {
    a["namespace"].as_str().unwrap_or("default").to_string()
}

/// Does this trace record match the assertion's subject (ignoring timing)?
fn record_matches_subject(a: &Value, r: &Value) -> bool {
    if let Some(ev) = a.get("event") {
        if r["kind"] != "event" {
            return false;
        }
        if r["namespace"].as_str() != Some(&ns_of(a)) && a.get("namespace").is_some() {
            return false;
        }
        for key in ["type", "reason"] {
            if let Some(want) = ev.get(key).and_then(|v| v.as_str()) {
                if r[key].as_str() != Some(want) {
                    return false;
                }
            }
        }
        if let Some(obj) = ev.get("object").and_then(|v| v.as_str()) {
            if !name_matches(obj, r["object"].as_str().unwrap_or("")) {
                return false;
            }
        }
        let msg = r["message"].as_str().unwrap_or("");
        if let Some(want) = ev.get("message").and_then(|v| v.as_str()) {
            if msg != want {
                return false;
            }
        }
        match ev.get("messageContains") {
            Some(Value::String(s)) if !msg.contains(s.as_str()) => return false,
            Some(Value::Array(list))
                if !list
                    .iter()
                    .all(|s| s.as_str().is_some_and(|s| msg.contains(s))) =>
            {
                return false
            }
            _ => {}
        }
        return true;
    }
    if let Some(cmd) = a.get("output").and_then(|v| v.as_str()) {
        return r["kind"] == "output" && r["command"].as_str() == Some(cmd);
    }
    false
}

/// Pod state (STATUS, READY, RESTARTS, deleted) of every pod matching `pattern`, as of time `t`.
fn pod_states_at(trace: &[Value], pattern: &str, ns: &str, t: i64) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for r in trace.iter().take_while(|r| t_of(r) <= t) {
        if r["kind"] == "object"
            && r["objectKind"] == "Pod"
            && r["namespace"].as_str() == Some(ns)
            && name_matches(pattern, r["name"].as_str().unwrap_or(""))
        {
            out.insert(r["name"].as_str().unwrap_or("").to_string(), r.clone());
        }
    }
    out
}

fn pod_state_ok(a: &Value, state: &Value) -> bool {
    let deleted = state["deleted"].as_bool().unwrap_or(false);
    if a["deleted"].as_bool() == Some(true) {
        return deleted;
    }
    if deleted {
        return false;
    }
    for (key, col) in [
        ("status", "STATUS"),
        ("ready", "READY"),
        ("restarts", "RESTARTS"),
    ] {
        if let Some(want) = a.get(key).and_then(scalar) {
            if state["columns"][col].as_str() != Some(want.as_str()) {
                return false;
            }
        }
    }
    true
}

fn pods_ok_at(a: &Value, trace: &[Value], t: i64) -> Result<(), String> {
    let pattern = a["pod"].as_str().unwrap_or("");
    let states = pod_states_at(trace, pattern, &ns_of(a), t);
    if states.is_empty() {
        return Err(format!("no pod {pattern} at {}ms", t));
    }
    if a["deleted"].as_bool() == Some(true) {
        return if states.values().all(|s| pod_state_ok(a, s)) {
            Ok(())
        } else {
            Err(format!("pod {pattern} not deleted at {t}ms"))
        };
    }
    if states.values().any(|s| pod_state_ok(a, s)) {
        Ok(())
    } else {
        let seen: Vec<String> = states
            .iter()
            .map(|(n, s)| {
                format!(
                    "{n}: {} {} {}",
                    s["columns"]["READY"], s["columns"]["STATUS"], s["columns"]["RESTARTS"]
                )
            })
            .collect();
        Err(format!("at {}ms: {}", t, seen.join(", ")))
    }
}

fn endpoints_at(trace: &[Value], name: &str, ns: &str, t: i64) -> Option<Value> {
    trace
        .iter()
        .take_while(|r| t_of(r) <= t)
        .filter(|r| {
            r["kind"] == "endpoints" && r["name"] == name && r["namespace"].as_str() == Some(ns)
        })
        .last()
        .cloned()
}

fn endpoints_ok(a: &Value, e: Option<&Value>) -> bool {
    let empty = serde_json::json!({"ready": [], "notReady": []});
    let e = e.unwrap_or(&empty);
    let ready = e["ready"].as_array().map_or(0, |v| v.len()) as u64;
    let not_ready = e["notReady"].as_array().map_or(0, |v| v.len()) as u64;
    if let Some(n) = a["ready"].as_u64() {
        if n != ready {
            return false;
        }
    }
    if let Some(n) = a["notReady"].as_u64() {
        if n != not_ready {
            return false;
        }
    }
    if let Some(list) = a["readyAddresses"].as_array() {
        if Some(list) != e["ready"].as_array() {
            return false;
        }
    }
    true
}

fn count_ok(spec: Option<&Value>, n: usize) -> bool {
    match spec {
        None => n >= 1,
        Some(Value::Number(k)) => k.as_u64() == Some(n as u64),
        Some(Value::String(s)) => {
            if let Some(k) = s.strip_prefix(">=") {
                k.trim().parse::<usize>().is_ok_and(|k| n >= k)
            } else if let Some(k) = s.strip_prefix("<=") {
                k.trim().parse::<usize>().is_ok_and(|k| n <= k)
            } else {
                s.parse::<usize>().is_ok_and(|k| n == k)
            }
        }
        _ => false,
    }
}

fn output_ok(a: &Value, r: &Value) -> Result<(), String> {
    let stdout = r["stdout"].as_str().unwrap_or("");
    let stderr = r["stderr"].as_str().unwrap_or("");
    let list = |v: &Value| -> Vec<String> {
        match v {
            Value::String(s) => vec![s.clone()],
            Value::Array(a) => a
                .iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect(),
            _ => vec![],
        }
    };
    for s in list(&a["contains"]) {
        if !stdout.contains(&s) {
            return Err(format!(
                "stdout lacks {s:?}; stdout was:\n{stdout}\nstderr: {stderr}"
            ));
        }
    }
    for s in list(&a["excludes"]) {
        if stdout.contains(&s) {
            return Err(format!("stdout has {s:?}:\n{stdout}"));
        }
    }
    if let Some(eq) = a["equals"].as_str() {
        if stdout != eq {
            return Err(format!("stdout {stdout:?} != {eq:?}"));
        }
    }
    for s in list(&a["stderrContains"]) {
        if !stderr.contains(&s) {
            return Err(format!("stderr lacks {s:?}; stderr was: {stderr}"));
        }
    }
    if let Some(x) = a["exit"].as_i64() {
        if r["exit"].as_i64() != Some(x) {
            return Err(format!("exit {} != {x}", r["exit"]));
        }
    }
    Ok(())
}

fn check_assertion(
    a: &Value,
    trace: &[Value],
    anchors: &BTreeMap<String, i64>,
) -> Result<(), String> {
    if let Some(inner) = a.get("never") {
        let range = match a.get("between") {
            Some(b) => Some((parse_time(&b[0], anchors)?, parse_time(&b[1], anchors)?)),
            None => None,
        };
        let in_range = |t: i64| range.is_none_or(|(lo, hi)| t >= lo && t <= hi);
        if inner.get("pod").is_some() {
            let pattern = inner["pod"].as_str().unwrap_or("");
            let hit = trace.iter().find(|r| {
                r["kind"] == "object"
                    && r["objectKind"] == "Pod"
                    && name_matches(pattern, r["name"].as_str().unwrap_or(""))
                    && in_range(t_of(r))
                    && pod_state_ok(inner, r)
            });
            return match hit {
                Some(r) => Err(format!("happened at {}ms: {}", t_of(r), compact(r))),
                None => Ok(()),
            };
        }
        return match trace
            .iter()
            .find(|r| record_matches_subject(inner, r) && in_range(t_of(r)))
        {
            Some(r) => Err(format!("happened at {}ms: {}", t_of(r), compact(r))),
            None => Ok(()),
        };
    }
    let (lo, hi) = if let Some(t) = a.get("at") {
        let t = parse_time(t, anchors)?;
        (t, t)
    } else if let Some(b) = a.get("between") {
        (parse_time(&b[0], anchors)?, parse_time(&b[1], anchors)?)
    } else {
        return Err("no at/between/never".into());
    };
    if a.get("pod").is_some() {
        // The state carried into `lo`, then every change up to `hi`.
        let mut moments = vec![lo];
        moments.extend(trace.iter().map(t_of).filter(|t| *t > lo && *t <= hi));
        let mut last_err = String::new();
        for t in moments {
            match pods_ok_at(a, trace, t) {
                Ok(()) => return Ok(()),
                Err(e) => last_err = e,
            }
        }
        return Err(last_err);
    }
    if let Some(name) = a.get("endpoints").and_then(|v| v.as_str()) {
        let ns = ns_of(a);
        let mut moments = vec![lo];
        moments.extend(trace.iter().map(t_of).filter(|t| *t > lo && *t <= hi));
        for t in &moments {
            if endpoints_ok(a, endpoints_at(trace, name, &ns, *t).as_ref()) {
                return Ok(());
            }
        }
        return Err(format!(
            "endpoints {name} at {lo}..{hi}ms: {}",
            endpoints_at(trace, name, &ns, hi)
                .map(|v| compact(&v))
                .unwrap_or("<none>".into())
        ));
    }
    if a.get("event").is_some() {
        let n = trace
            .iter()
            .filter(|r| record_matches_subject(a, r) && (lo..=hi).contains(&t_of(r)))
            .count();
        if count_ok(a.get("count"), n) {
            return Ok(());
        }
        let near: Vec<String> = trace
            .iter()
            .filter(|r| {
                r["kind"] == "event"
                    && a["event"]["reason"]
                        .as_str()
                        .is_none_or(|x| r["reason"].as_str() == Some(x))
            })
            .take(6)
            .map(|r| format!("{}ms {} {}", t_of(r), r["reason"], r["message"]))
            .collect();
        return Err(format!(
            "{n} matching events in {lo}..{hi}ms; events with that reason: {}",
            near.join(" | ")
        ));
    }
    if a.get("output").is_some() {
        let r = trace
            .iter()
            .find(|r| record_matches_subject(a, r) && (lo..=hi).contains(&t_of(r)));
        return match r {
            Some(r) => output_ok(a, r),
            None => Err(format!("no output record in {lo}..{hi}ms")),
        };
    }
    Err("unknown subject".into())
}
