//! Test helpers: objects from JSON, times as seconds after the epoch.

use podplay_api::types::Pod;
use serde_json::Value;

/// RFC 3339 text of virtual second `s` (t=0 is 2024-06-01T12:00:00Z).
pub fn at(s: i64) -> String {
    podplay_api::time::DateTime::at(s * 1000).rfc3339()
}

pub fn obj<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).unwrap_or_else(|e| panic!("fixture: {e}"))
}

/// A pod named `name` with the given container names, created at t=0, and `status` as JSON.
pub fn pod(name: &str, containers: &[&str], init: &[&str], status: Value) -> Pod {
    let cs: Vec<Value> = containers
        .iter()
        .map(|c| serde_json::json!({"name": c, "image": "busybox"}))
        .collect();
    let is: Vec<Value> = init
        .iter()
        .map(|c| {
            // A trailing '+' marks a sidecar (restartPolicy: Always).
            match c.strip_suffix('+') {
                Some(n) => {
                    serde_json::json!({"name": n, "image": "busybox", "restartPolicy": "Always"})
                }
                None => serde_json::json!({"name": c, "image": "busybox"}),
            }
        })
        .collect();
    obj(serde_json::json!({
        "metadata": {"name": name, "namespace": "default", "creationTimestamp": at(0)},
        "spec": {"containers": cs, "initContainers": is},
        "status": status,
    }))
}
