//! The trace: the append-only, time-ordered record of everything a user can see change. The CLI
//! prints it (watch / events / json), the UI animates it, the golden tests compare it.

use podplay_api::time::Millis;
use serde_json::{json, Map, Value};

use crate::events::Occurrence;

#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Event(Occurrence),
    /// The row `kubectl get <kind> -o wide` prints for one object changed (or it was deleted).
    Object {
        t: Millis,
        kind: &'static str,
        namespace: String,
        name: String,
        /// kubectl's column headers and values, except NAME and AGE.
        columns: Vec<(&'static str, String)>,
        deleted: bool,
        /// The watch line as `kubectl get -o wide -w` prints it (AGE at that moment).
        watch_row: Vec<String>,
    },
    Endpoints {
        t: Millis,
        namespace: String,
        name: String,
        ready: Vec<String>,
        not_ready: Vec<String>,
    },
    /// What a scripted command printed.
    Output {
        t: Millis,
        command: String,
        stdout: String,
        stderr: String,
        exit: i32,
    },
    /// Something the simulator wants the user to know (e.g. a kind it does not simulate yet).
    Note {
        t: Millis,
        message: String,
    },
}

impl Record {
    pub fn t(&self) -> Millis {
        match self {
            Record::Event(o) => o.t,
            Record::Object { t, .. }
            | Record::Endpoints { t, .. }
            | Record::Output { t, .. }
            | Record::Note { t, .. } => *t,
        }
    }

    /// One line of the `--output json` trace (cli-contract.md).
    pub fn to_json(&self) -> Value {
        let t = seconds(self.t());
        match self {
            Record::Event(o) => json!({
                "t": t, "kind": "event", "type": o.type_, "reason": o.reason,
                "object": format!("{}/{}", o.involved.kind, o.involved.name),
                "namespace": o.involved.namespace, "message": o.message,
                "source": o.source,
                "fieldPath": o.involved.field_path,
            }),
            Record::Object {
                kind,
                namespace,
                name,
                columns,
                deleted,
                ..
            } => {
                let mut cols = Map::new();
                for (k, v) in columns {
                    cols.insert((*k).to_string(), Value::String(v.clone()));
                }
                let mut o = json!({
                    "t": t, "kind": "object", "objectKind": kind, "namespace": namespace,
                    "name": name, "columns": cols,
                });
                if *deleted {
                    o["deleted"] = Value::Bool(true);
                }
                o
            }
            Record::Endpoints {
                namespace,
                name,
                ready,
                not_ready,
                ..
            } => json!({
                "t": t, "kind": "endpoints", "namespace": namespace, "name": name,
                "ready": ready, "notReady": not_ready,
            }),
            Record::Output {
                command,
                stdout,
                stderr,
                exit,
                ..
            } => json!({
                "t": t, "kind": "output", "command": command, "stdout": stdout,
                "stderr": stderr, "exit": exit,
            }),
            Record::Note { message, .. } => json!({"t": t, "kind": "note", "message": message}),
        }
    }
}

/// Simulated seconds with millisecond precision, as a JSON number (`35.0`, `8.264`).
fn seconds(t: Millis) -> Value {
    let f = t as f64 / 1000.0;
    serde_json::Number::from_f64(f)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

/// `12.000s`-style prefix for the human outputs, right-aligned so that columns line up.
pub fn time_prefix(t: Millis) -> String {
    format!("{:>9}", format!("{}.{:03}s", t / 1000, t % 1000))
}
